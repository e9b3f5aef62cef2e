//! Protobuf with the user's own `.proto` file, compiled at run time by `protox` (no
//! `protoc`), read by `prost-reflect`. A schema is compiled once and cached by path and
//! modification time, so editing the file takes effect on the next message and a
//! thousand messages a second do not re-parse it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use prost_reflect::{DescriptorPool, DynamicMessage, Kind, MapKey, MessageDescriptor, ReflectMessage, Value as PValue};
use serde_json::{Map, Value};

use super::{Budget, DecodeError, bytes_value, f32_value, float_value};

/// Most schemas kept compiled at once (each is a few KiB; a user binds a handful).
const MAX_CACHED_SCHEMAS: usize = 32;

type Cached = (Option<SystemTime>, Result<Arc<DescriptorPool>, DecodeError>);

fn cache() -> &'static Mutex<HashMap<PathBuf, Cached>> {
    static CACHE: std::sync::OnceLock<Mutex<HashMap<PathBuf, Cached>>> = std::sync::OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// The compiled schema of `file` (with its imports), from the cache when the file has not
/// changed since it was compiled.
pub fn schema(file: &Path) -> Result<Arc<DescriptorPool>, DecodeError> {
    let mtime = match std::fs::metadata(file) {
        Ok(meta) => meta.modified().ok(),
        Err(e) => {
            return Err(DecodeError::Proto(crate::tr!(
                "proto-err-file",
                path = file.display().to_string(),
                detail = crate::i18n::shown(e)
            )));
        }
    };
    let mut cache = cache().lock().unwrap_or_else(|p| p.into_inner());
    if let Some((when, compiled)) = cache.get(file)
        && *when == mtime
    {
        return compiled.clone();
    }
    let compiled = compile(file).map(Arc::new);
    if cache.len() >= MAX_CACHED_SCHEMAS {
        cache.clear();
    }
    cache.insert(file.to_path_buf(), (mtime, compiled.clone()));
    compiled
}

/// Compiles `file`, looking for its imports next to it.
fn compile(file: &Path) -> Result<DescriptorPool, DecodeError> {
    let dir = file
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let result = protox::Compiler::new([dir]).and_then(|mut c| {
        c.include_imports(true);
        c.open_file(file)?;
        Ok(c.descriptor_pool())
    });
    result.map_err(|e| schema_error(file, dir, &e))
}

/// A compile error in words, with the file and line where the parser found it.
fn schema_error(file: &Path, dir: &Path, e: &protox::Error) -> DecodeError {
    use miette::Diagnostic;
    let name = e.file().map_or_else(|| file.display().to_string(), str::to_owned);
    let offset = e.labels().and_then(|mut l| l.next()).map(|l| l.offset());
    let line = offset.and_then(|at| {
        let text = std::fs::read_to_string(dir.join(&name)).ok()?;
        Some(text.get(..at)?.matches('\n').count() as u64 + 1)
    });
    let detail = e.to_string();
    DecodeError::Proto(match line {
        Some(line) => crate::tr!("proto-err-syntax-line", file = name, line = line, detail = detail),
        None => crate::tr!("proto-err-syntax", file = name, detail = detail),
    })
}

/// The message type `name` of `pool`: a full name (`pkg.Reading`), or a short name
/// when only one type has it. Unknown names list the ones that exist.
pub fn message(pool: &DescriptorPool, name: &str) -> Result<MessageDescriptor, DecodeError> {
    let name = name.trim().trim_start_matches('.');
    if let Some(found) = pool.get_message_by_name(name) {
        return Ok(found);
    }
    let short: Vec<_> = pool.all_messages().filter(|m| m.name() == name).collect();
    if let [only] = short.as_slice() {
        return Ok(only.clone());
    }
    let mut known: Vec<String> = pool
        .all_messages()
        .filter(|m| !m.full_name().starts_with("google.protobuf."))
        .map(|m| m.full_name().to_owned())
        .collect();
    known.sort();
    Err(DecodeError::Proto(crate::tr!(
        "proto-err-unknown-message",
        name = name,
        known = known.join(", ")
    )))
}

/// Decodes `bytes` as the message `name` of the schema in `file`.
pub(super) fn decode(file: &Path, name: &str, bytes: &[u8], budget: &mut Budget) -> Result<Value, DecodeError> {
    let pool = schema(file)?;
    let desc = message(&pool, name)?;
    decode_with(&desc, bytes, budget)
}

/// Decodes `bytes` as one `desc` message into JSON.
pub fn decode_as(desc: &MessageDescriptor, bytes: &[u8]) -> Result<Value, DecodeError> {
    decode_with(desc, bytes, &mut Budget::default())
}

fn decode_with(desc: &MessageDescriptor, bytes: &[u8], budget: &mut Budget) -> Result<Value, DecodeError> {
    let msg = DynamicMessage::decode(desc.clone(), bytes).map_err(|e| {
        DecodeError::Proto(crate::tr!(
            "proto-err-payload",
            message = desc.full_name(),
            detail = e.to_string()
        ))
    })?;
    message_value(&msg, 0, budget)
}

/// A message as a JSON object by field name (as written in the .proto). Fields with
/// presence appear only when set; others (proto3 scalars, lists) always, so a reading of
/// 0 still plots.
pub(crate) fn message_value(msg: &DynamicMessage, depth: usize, budget: &mut Budget) -> Result<Value, DecodeError> {
    budget.take(depth)?;
    let mut out = Map::new();
    for field in msg.descriptor().fields() {
        if field.supports_presence() && !msg.has_field(&field) {
            continue;
        }
        let value = msg.get_field(&field);
        let mark = budget.types.enter_key(field.name());
        if budget.types.is_on() {
            let kind = kind_name(&field.kind());
            let ty = if field.is_map() {
                let entry = field.kind();
                let entry = entry.as_message();
                let k = entry.map(|e| kind_name(&e.map_entry_key_field().kind()));
                let v = entry.map(|e| kind_name(&e.map_entry_value_field().kind()));
                format!("map<{}, {}>", k.unwrap_or_default(), v.unwrap_or_default())
            } else if field.is_list() {
                format!("{kind}[]")
            } else {
                kind
            };
            budget.types.note(&ty);
        }
        let shown = field_value(&value, &field.kind(), depth + 1, budget);
        budget.types.leave(mark);
        out.insert(field.name().to_owned(), shown?);
    }
    Ok(Value::Object(out))
}

fn field_value(v: &PValue, kind: &Kind, depth: usize, budget: &mut Budget) -> Result<Value, DecodeError> {
    budget.take(depth)?;
    Ok(match v {
        PValue::Bool(b) => Value::Bool(*b),
        PValue::I32(n) => Value::from(*n),
        PValue::I64(n) => Value::from(*n),
        PValue::U32(n) => Value::from(*n),
        PValue::U64(n) => Value::from(*n),
        PValue::F32(n) => f32_value(*n),
        PValue::F64(n) => float_value(*n),
        PValue::String(s) => Value::String(s.clone()),
        PValue::Bytes(b) => bytes_value(b),
        PValue::EnumNumber(n) => match kind.as_enum().and_then(|e| e.get_value(*n)) {
            Some(named) => Value::String(named.name().to_owned()),
            None => Value::from(*n),
        },
        PValue::Message(m) => message_value(m, depth, budget)?,
        PValue::List(items) => Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let mark = budget.types.enter_index(i);
                    if budget.types.is_on() {
                        budget.types.note(&kind_name(kind));
                    }
                    let v = field_value(item, kind, depth + 1, budget);
                    budget.types.leave(mark);
                    v
                })
                .collect::<Result<_, _>>()?,
        ),
        PValue::Map(entries) => {
            let value_kind = kind
                .as_message()
                .map(|entry| entry.map_entry_value_field().kind())
                .unwrap_or_else(|| kind.clone());
            let mut keys: Vec<_> = entries.iter().collect();
            keys.sort_by_key(|(k, _)| key_text(k));
            let mut out = Map::new();
            for (k, v) in keys {
                let key = key_text(k);
                let mark = budget.types.enter_key(&key);
                if budget.types.is_on() {
                    budget.types.note(&kind_name(&value_kind));
                }
                let shown = field_value(v, &value_kind, depth + 1, budget);
                budget.types.leave(mark);
                out.insert(key, shown?);
            }
            Value::Object(out)
        }
    })
}

/// A field's type as written in the .proto (`sint32`, `float`, a message's own name).
pub(crate) fn kind_name(kind: &Kind) -> String {
    match kind {
        Kind::Double => "double".into(),
        Kind::Float => "float".into(),
        Kind::Int32 => "int32".into(),
        Kind::Int64 => "int64".into(),
        Kind::Uint32 => "uint32".into(),
        Kind::Uint64 => "uint64".into(),
        Kind::Sint32 => "sint32".into(),
        Kind::Sint64 => "sint64".into(),
        Kind::Fixed32 => "fixed32".into(),
        Kind::Fixed64 => "fixed64".into(),
        Kind::Sfixed32 => "sfixed32".into(),
        Kind::Sfixed64 => "sfixed64".into(),
        Kind::Bool => "bool".into(),
        Kind::String => "string".into(),
        Kind::Bytes => "bytes".into(),
        Kind::Message(m) => m.name().into(),
        Kind::Enum(e) => e.name().into(),
    }
}

fn key_text(k: &MapKey) -> String {
    match k {
        MapKey::Bool(b) => b.to_string(),
        MapKey::I32(n) => n.to_string(),
        MapKey::I64(n) => n.to_string(),
        MapKey::U32(n) => n.to_string(),
        MapKey::U64(n) => n.to_string(),
        MapKey::String(s) => s.clone(),
    }
}
