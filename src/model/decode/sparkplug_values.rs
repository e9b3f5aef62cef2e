//! A Sparkplug B metric's value as JSON, by its datatype: scalars signed as the datatype
//! says, a DataSet as columns, types and rows keyed by column name (so a cell plots as
//! `metrics.Log.rows[3].temp`), a Template as its reference, version, parameters and
//! member metrics by name, read the same way, recursively. The datatype names go to the
//! walk's type sink, so the inspector can tag `Float`, `Int32` or `DataSet`.

use prost_reflect::{DynamicMessage, ReflectMessage, Value as PValue};
use serde_json::{Map, Value};

use super::proto::message_value;
use super::sparkplug_arrays::{array_value, is_array};
use super::{Budget, DecodeError, bytes_value, f32_value, float_value};

/// The datatype's name in the specification (Tahu's `DataType` enum).
pub(super) fn datatype_name(code: u64) -> String {
    const NAMES: [&str; 35] = [
        "Unknown",
        "Int8",
        "Int16",
        "Int32",
        "Int64",
        "UInt8",
        "UInt16",
        "UInt32",
        "UInt64",
        "Float",
        "Double",
        "Boolean",
        "String",
        "DateTime",
        "Text",
        "UUID",
        "DataSet",
        "Bytes",
        "File",
        "Template",
        "PropertySet",
        "PropertySetList",
        "Int8Array",
        "Int16Array",
        "Int32Array",
        "Int64Array",
        "UInt8Array",
        "UInt16Array",
        "UInt32Array",
        "UInt64Array",
        "FloatArray",
        "DoubleArray",
        "BooleanArray",
        "StringArray",
        "DateTimeArray",
    ];
    match usize::try_from(code).ok().and_then(|i| NAMES.get(i)) {
        Some(name) => (*name).to_owned(),
        None => code.to_string(),
    }
}

/// A metric's value from its `value` oneof (`depth` is its nesting, for the budget).
pub(super) fn metric_value(
    metric: &DynamicMessage,
    datatype: u64,
    depth: usize,
    budget: &mut Budget,
) -> Result<Value, DecodeError> {
    if msg_bool(metric, "is_null") {
        return Ok(Value::Null);
    }
    match oneof_value(metric) {
        Some(PValue::Message(m)) => match m.descriptor().name() {
            "DataSet" => dataset_value(&m, depth + 1, budget),
            "Template" => template_value(&m, depth + 1, budget),
            _ => message_value(&m, depth + 1, budget),
        },
        Some(v) => {
            let value = scalar_value(v, datatype);
            // An array's items count against the budget like any other values.
            if let Value::Array(items) = &value {
                budget.take_many(items.len())?;
            }
            Ok(value)
        }
        None => Ok(Value::Null),
    }
}

/// The field set in the message's `value` oneof.
fn oneof_value(msg: &DynamicMessage) -> Option<PValue> {
    let oneof = msg.descriptor().oneofs().find(|o| o.name() == "value")?;
    let field = oneof.fields().find(|f| msg.has_field(f))?;
    Some(msg.get_field(&field).into_owned())
}

/// A scalar, signed where the datatype says so: Int8–Int64 travel as two's complement
/// in the unsigned `int_value` / `long_value`.
fn scalar_value(v: PValue, datatype: u64) -> Value {
    match v {
        PValue::U32(n) => match datatype {
            1 => Value::from(n as u8 as i8),
            2 => Value::from(n as u16 as i16),
            3 => Value::from(n as i32),
            _ => Value::from(n),
        },
        PValue::U64(n) if datatype == 4 => Value::from(n as i64),
        PValue::U64(n) => Value::from(n),
        PValue::F32(n) => f32_value(n),
        PValue::F64(n) => float_value(n),
        PValue::Bool(b) => Value::Bool(b),
        PValue::String(s) => Value::String(s),
        // Arrays travel packed in `bytes_value`; bytes that do not fit stay hex.
        PValue::Bytes(b) if is_array(datatype) => array_value(&b, datatype).unwrap_or_else(|| bytes_value(&b)),
        PValue::Bytes(b) => bytes_value(&b),
        // An extension value: nothing a host can read without the third party's schema.
        _ => Value::Null,
    }
}

/// `{"columns": [...], "types": [...], "rows": [{column: cell}, ...]}`.
fn dataset_value(ds: &DynamicMessage, depth: usize, budget: &mut Budget) -> Result<Value, DecodeError> {
    budget.take(depth)?;
    let columns: Vec<String> = list(ds, "columns")
        .iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
    let types: Vec<u64> = list(ds, "types")
        .iter()
        .filter_map(|v| v.as_u32())
        .map(u64::from)
        .collect();
    let mut rows = Vec::new();
    let rows_mark = budget.types.enter_key("rows");
    for (r, row) in list(ds, "rows").iter().enumerate() {
        budget.take(depth + 1)?;
        let Some(row) = row.as_message() else { continue };
        let row_mark = budget.types.enter_index(r);
        let mut cells = Map::new();
        for (c, element) in list(row, "elements").iter().enumerate() {
            budget.take(depth + 2)?;
            let Some(element) = element.as_message() else { continue };
            // A row longer than the header still shows its extra cells, by position.
            let name = columns.get(c).cloned().unwrap_or_else(|| (c + 1).to_string());
            let datatype = types.get(c).copied().unwrap_or(0);
            let cell_mark = budget.types.enter_key(&name);
            if datatype != 0 && budget.types.is_on() {
                budget.types.note(&datatype_name(datatype));
            }
            budget.types.leave(cell_mark);
            let value = oneof_value(element).map_or(Value::Null, |v| scalar_value(v, datatype));
            cells.insert(name, value);
        }
        budget.types.leave(row_mark);
        rows.push(Value::Object(cells));
    }
    budget.types.leave(rows_mark);
    let mut out = Map::new();
    out.insert("columns".into(), Value::from(columns));
    out.insert(
        "types".into(),
        Value::from(types.iter().map(|&t| datatype_name(t)).collect::<Vec<_>>()),
    );
    out.insert("rows".into(), Value::Array(rows));
    Ok(Value::Object(out))
}

/// `{"template_ref", "version", "is_definition", "parameters": {name: value},
/// "metrics": {name: value}}`, the members read like top-level metrics.
fn template_value(t: &DynamicMessage, depth: usize, budget: &mut Budget) -> Result<Value, DecodeError> {
    budget.take(depth)?;
    let mut out = Map::new();
    for key in ["template_ref", "version"] {
        if let Some(s) = field_str(t, key) {
            out.insert(key.into(), Value::String(s));
        }
    }
    if t.has_field_by_name("is_definition") {
        out.insert("is_definition".into(), Value::Bool(msg_bool(t, "is_definition")));
    }
    let params = list(t, "parameters");
    if !params.is_empty() {
        let mark = budget.types.enter_key("parameters");
        let mut map = Map::new();
        for (i, p) in params.iter().enumerate() {
            budget.take(depth + 1)?;
            let Some(p) = p.as_message() else { continue };
            let name = field_str(p, "name").unwrap_or_else(|| format!("parameter {}", i + 1));
            let datatype = field_u64(p, "type").unwrap_or(0);
            let m = budget.types.enter_key(&name);
            if datatype != 0 && budget.types.is_on() {
                budget.types.note(&datatype_name(datatype));
            }
            budget.types.leave(m);
            map.insert(name, oneof_value(p).map_or(Value::Null, |v| scalar_value(v, datatype)));
        }
        budget.types.leave(mark);
        out.insert("parameters".into(), Value::Object(map));
    }
    let mark = budget.types.enter_key("metrics");
    let mut members = Map::new();
    for (i, m) in list(t, "metrics").iter().enumerate() {
        budget.take(depth + 1)?;
        let Some(m) = m.as_message() else { continue };
        let name = field_str(m, "name").unwrap_or_else(|| format!("metric {}", i + 1));
        let datatype = field_u64(m, "datatype").unwrap_or(0);
        let member = budget.types.enter_key(&name);
        if datatype != 0 && budget.types.is_on() {
            budget.types.note(&datatype_name(datatype));
        }
        let value = metric_value(m, datatype, depth + 1, budget);
        budget.types.leave(member);
        members.insert(name, value?);
    }
    budget.types.leave(mark);
    out.insert("metrics".into(), Value::Object(members));
    Ok(Value::Object(out))
}

/// A PropertySet as `{key: value}`, each value signed and typed by its `type` like a
/// metric's; nested sets and set lists read the same way.
pub(super) fn property_set_value(
    set: &DynamicMessage,
    depth: usize,
    budget: &mut Budget,
) -> Result<Value, DecodeError> {
    budget.take(depth)?;
    let keys = list(set, "keys");
    let mut out = Map::new();
    for (i, value) in list(set, "values").iter().enumerate() {
        budget.take(depth + 1)?;
        let Some(value) = value.as_message() else { continue };
        // A value without its key is still shown, by position.
        let key = keys
            .get(i)
            .and_then(|k| k.as_str().map(str::to_owned))
            .unwrap_or_else(|| (i + 1).to_string());
        let datatype = field_u64(value, "type").unwrap_or(0);
        let mark = budget.types.enter_key(&key);
        if datatype != 0 && budget.types.is_on() {
            budget.types.note(&datatype_name(datatype));
        }
        let shown = if msg_bool(value, "is_null") {
            Ok(Value::Null)
        } else {
            match oneof_value(value) {
                Some(PValue::Message(m)) if m.descriptor().name() == "PropertySet" => {
                    property_set_value(&m, depth + 1, budget)
                }
                Some(PValue::Message(m)) if m.descriptor().name() == "PropertySetList" => list(&m, "propertyset")
                    .iter()
                    .enumerate()
                    .filter_map(|(j, s)| s.as_message().map(|s| (j, s.clone())))
                    .map(|(j, s)| {
                        let item = budget.types.enter_index(j);
                        let v = property_set_value(&s, depth + 2, budget);
                        budget.types.leave(item);
                        v
                    })
                    .collect::<Result<Vec<_>, _>>()
                    .map(Value::Array),
                Some(PValue::Message(_)) | None => Ok(Value::Null),
                Some(v) => Ok(scalar_value(v, datatype)),
            }
        };
        budget.types.leave(mark);
        out.insert(key, shown?);
    }
    Ok(Value::Object(out))
}

/// A repeated field's items (empty when unset).
fn list(msg: &DynamicMessage, name: &str) -> Vec<PValue> {
    match msg.get_field_by_name(name).map(|v| v.into_owned()) {
        Some(PValue::List(items)) => items,
        _ => Vec::new(),
    }
}

pub(super) fn field_u64(msg: &DynamicMessage, name: &str) -> Option<u64> {
    if !msg.has_field_by_name(name) {
        return None;
    }
    match msg.get_field_by_name(name)?.into_owned() {
        PValue::U64(n) => Some(n),
        PValue::U32(n) => Some(u64::from(n)),
        _ => None,
    }
}

pub(super) fn field_str(msg: &DynamicMessage, name: &str) -> Option<String> {
    if !msg.has_field_by_name(name) {
        return None;
    }
    msg.get_field_by_name(name)?.as_str().map(str::to_owned)
}

pub(super) fn msg_bool(msg: &DynamicMessage, name: &str) -> bool {
    msg.has_field_by_name(name) && msg.get_field_by_name(name).and_then(|v| v.as_bool()).unwrap_or(false)
}
