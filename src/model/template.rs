//! Variables in a saved command's topic and payload, filled when it is sent:
//! `{{now}}`, `{{timestamp}}`, `{{timestamp_ms}}`, `{{counter}}`, `{{random 0 100}}`,
//! `{{uuid}}`, and any other name (`{{colour}}`, `{{颜色}}`) as a value the user is
//! asked for.
//!
//! Reading is lenient on purpose: `{{` is a variable only when a valid one follows and
//! `}}` closes it, so a payload that merely contains braces (`{"a":{"b":1}}`) is sent as
//! written. A built-in with wrong arguments (`{{random 5}}`) is an error, not text.

use std::collections::BTreeMap;
use std::fmt;
use std::time::SystemTime;

/// One variable.
#[derive(Clone, Debug, PartialEq)]
pub enum Var {
    /// Local time, RFC 3339 with the UTC offset, whole seconds.
    Now,
    /// Seconds since 1970 (UTC).
    Timestamp,
    /// Milliseconds since 1970 (UTC).
    TimestampMs,
    /// How many times this command was sent in this session, from 1.
    Counter,
    /// A random number between `lo` and `hi` (both included), with `decimals` digits after
    /// the point (0: an integer).
    Random { lo: f64, hi: f64, decimals: usize },
    /// A random UUID (version 4).
    Uuid,
    /// A value the user gives.
    User(String),
}

#[derive(Clone, Debug, PartialEq)]
enum Piece {
    Text(String),
    Var(Var),
}

/// A text with variables, read once and filled many times.
#[derive(Clone, Debug, PartialEq)]
pub struct Template {
    pieces: Vec<Piece>,
}

/// Why a template cannot be read or filled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TemplateError {
    /// `{{random …}}` without two numbers, or with the larger first.
    BadRandom(String),
    /// A built-in that takes no arguments was given some.
    UnexpectedArguments(String),
    /// A user variable without a value.
    Missing(String),
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BadRandom(text) => f.write_str(&crate::tr!("cmd-var-bad-random", text = text.as_str())),
            Self::UnexpectedArguments(text) => f.write_str(&crate::tr!("cmd-var-no-arguments", text = text.as_str())),
            Self::Missing(name) => f.write_str(&crate::tr!("cmd-var-missing", name = name.as_str())),
        }
    }
}

impl std::error::Error for TemplateError {}

/// What a fill needs besides the template.
#[derive(Clone, Debug)]
pub struct FillContext<'a> {
    /// The value of `{{counter}}`.
    pub counter: u64,
    /// Values of the user variables.
    pub values: &'a BTreeMap<String, String>,
    /// The moment of `{{now}}` and `{{timestamp}}`.
    pub now: SystemTime,
}

impl Template {
    /// Reads `text`.
    pub fn parse(text: &str) -> Result<Self, TemplateError> {
        let mut pieces = Vec::new();
        let mut literal = String::new();
        let mut rest = text;
        while let Some(open) = rest.find("{{") {
            let after = &rest[open + 2..];
            let var = match after.find("}}") {
                Some(close) => parse_var(&after[..close])?.map(|v| (v, close)),
                None => None,
            };
            match var {
                Some((var, close)) => {
                    literal.push_str(&rest[..open]);
                    if !literal.is_empty() {
                        pieces.push(Piece::Text(std::mem::take(&mut literal)));
                    }
                    pieces.push(Piece::Var(var));
                    rest = &after[close + 2..];
                }
                None => {
                    // Not a variable: keep the first brace and look again from the second,
                    // so `{{{now}}` is a brace then a variable.
                    literal.push_str(&rest[..=open]);
                    rest = &rest[open + 1..];
                }
            }
        }
        literal.push_str(rest);
        if !literal.is_empty() {
            pieces.push(Piece::Text(literal));
        }
        Ok(Self { pieces })
    }

    /// True when there is nothing to fill.
    pub fn is_plain(&self) -> bool {
        self.pieces.iter().all(|p| matches!(p, Piece::Text(_)))
    }

    /// The variables, in order of first appearance, each once.
    pub fn variables(&self) -> Vec<&Var> {
        let mut out: Vec<&Var> = Vec::new();
        for p in &self.pieces {
            if let Piece::Var(v) = p
                && !out.contains(&v)
            {
                out.push(v);
            }
        }
        out
    }

    /// The names of the user variables, in order of first appearance, each once.
    pub fn user_variables(&self) -> Vec<&str> {
        self.variables()
            .into_iter()
            .filter_map(|v| match v {
                Var::User(name) => Some(name.as_str()),
                _ => None,
            })
            .collect()
    }

    /// The text with every variable replaced.
    pub fn fill(&self, ctx: &FillContext<'_>) -> Result<String, TemplateError> {
        let mut out = String::new();
        let mut rng = rand::rng();
        for p in &self.pieces {
            match p {
                Piece::Text(t) => out.push_str(t),
                Piece::Var(v) => out.push_str(&value_of(v, ctx, &mut rng)?),
            }
        }
        Ok(out)
    }
}

/// The user variables of several texts (a topic and a payload), each once, in order.
pub fn user_variables_of(texts: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in texts {
        if let Ok(t) = Template::parse(t) {
            for name in t.user_variables() {
                if !out.iter().any(|n| n == name) {
                    out.push(name.to_owned());
                }
            }
        }
    }
    out
}

/// The variable inside `{{…}}`, `None` when it is not one (then the braces are text).
fn parse_var(inner: &str) -> Result<Option<Var>, TemplateError> {
    let mut words = inner.split_whitespace();
    let Some(name) = words.next() else { return Ok(None) };
    let args: Vec<&str> = words.collect();
    let no_args = |v: Var| {
        if args.is_empty() {
            Ok(Some(v))
        } else {
            Err(TemplateError::UnexpectedArguments(format!("{{{{{}}}}}", inner.trim())))
        }
    };
    match name {
        "now" => no_args(Var::Now),
        "timestamp" => no_args(Var::Timestamp),
        "timestamp_ms" => no_args(Var::TimestampMs),
        "counter" => no_args(Var::Counter),
        "uuid" => no_args(Var::Uuid),
        "random" => parse_random(&args)
            .map(Some)
            .ok_or_else(|| TemplateError::BadRandom(format!("{{{{{}}}}}", inner.trim()))),
        _ if args.is_empty() && is_name(name) => Ok(Some(Var::User(name.to_owned()))),
        _ => Ok(None),
    }
}

/// A user variable's name: letters and digits of any script, `_`, `-` and `.`.
fn is_name(s: &str) -> bool {
    s.chars().all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

fn parse_random(args: &[&str]) -> Option<Var> {
    let [lo, hi] = args else { return None };
    let decimals = |s: &str| s.split_once('.').map_or(0, |(_, d)| d.len());
    let (lo_v, hi_v) = (lo.parse::<f64>().ok()?, hi.parse::<f64>().ok()?);
    if !lo_v.is_finite() || !hi_v.is_finite() || lo_v > hi_v {
        return None;
    }
    Some(Var::Random {
        lo: lo_v,
        hi: hi_v,
        decimals: decimals(lo).max(decimals(hi)).min(9),
    })
}

fn value_of(v: &Var, ctx: &FillContext<'_>, rng: &mut impl rand::Rng) -> Result<String, TemplateError> {
    let since_epoch = || ctx.now.duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default();
    Ok(match v {
        Var::Now => {
            let local: chrono::DateTime<chrono::Local> = ctx.now.into();
            local.to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
        }
        Var::Timestamp => since_epoch().as_secs().to_string(),
        Var::TimestampMs => since_epoch().as_millis().to_string(),
        Var::Counter => ctx.counter.to_string(),
        Var::Random { lo, hi, decimals: 0 } => {
            // Integers: both ends are reachable.
            let (lo, hi) = (lo.ceil() as i64, hi.floor() as i64);
            rng.random_range(lo..=hi.max(lo)).to_string()
        }
        Var::Random { lo, hi, decimals } => {
            let x = if lo == hi { *lo } else { rng.random_range(*lo..=*hi) };
            format!("{x:.decimals$}")
        }
        Var::Uuid => uuid_v4(rng),
        Var::User(name) => ctx
            .values
            .get(name)
            .cloned()
            .ok_or_else(|| TemplateError::Missing(name.clone()))?,
    })
}

/// A random (version 4, RFC 9562) UUID in its usual text form.
fn uuid_v4(rng: &mut impl rand::Rng) -> String {
    let mut b: [u8; 16] = rng.random();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
#[path = "template_tests.rs"]
mod tests;
