//! Numbers, sizes, times and durations the way the panels print them, in the
//! interface's language (the words and the date pattern come from `panes.ftl`).

use std::fmt::Write as _;
use std::time::{Duration, SystemTime};

pub use crate::model::render::{bytes_text as bytes, rate_text as rate};

/// Local wall-clock time with milliseconds, "14:03:07.412" (the same in every language).
pub fn clock(t: SystemTime) -> String {
    let local: chrono::DateTime<chrono::Local> = t.into();
    local.format("%H:%M:%S%.3f").to_string()
}

/// Local date and time in the language's pattern: "2026-11-26 14:03:07.412",
/// "2026年11月26日 14:03:07.412".
pub fn date_time(t: SystemTime) -> String {
    let local: chrono::DateTime<chrono::Local> = t.into();
    let pattern = crate::tr!("panes-date-time-pattern");
    let mut out = String::new();
    // The pattern is a translator's text: a broken one falls back to ISO, never panics.
    if write!(out, "{}", local.format(&pattern)).is_err() || out.is_empty() {
        out.clear();
        let _ = write!(out, "{}", local.format("%Y-%m-%d %H:%M:%S%.3f"));
    }
    out
}

/// A short duration: "850 ms", "4.2 s", "3 min 5 s", "2 h 10 min" ("2 小时 10 分").
pub fn duration(d: Duration) -> String {
    let ms = d.as_millis();
    let secs = d.as_secs();
    if ms < 1000 {
        crate::tr!("panes-duration-ms", ms = ms as u64)
    } else if ms < 60_000 {
        // Pre-formatted: one decimal, which the number formatter would not keep.
        crate::tr!("panes-duration-s", s = format!("{:.1}", d.as_secs_f64()))
    } else if ms < 3_600_000 {
        crate::tr!("panes-duration-min", min = secs / 60, s = secs % 60)
    } else {
        // Hours ungrouped ("7999 h"): an age, read as one figure, as the clock shows it.
        crate::tr!(
            "panes-duration-h",
            h = crate::i18n::shown(secs / 3600),
            min = (secs % 3600) / 60
        )
    }
}

/// The time between two messages, `newer - older`, or "—" if the clock went backwards.
pub fn delta(newer: SystemTime, older: SystemTime) -> String {
    newer.duration_since(older).map_or_else(|_| "—".to_owned(), duration)
}

pub use crate::model::payload_format::json_error;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(bytes(1), "1 byte");
        assert_eq!(bytes(12), "12 bytes");
        assert_eq!(bytes(1536), "1.5 KiB");
        assert_eq!(bytes(10 * 1024 * 1024), "10.0 MiB");
        assert_eq!(duration(Duration::from_millis(850)), "850 ms");
        assert_eq!(duration(Duration::from_millis(4200)), "4.2 s");
        assert_eq!(duration(Duration::from_secs(185)), "3 min 5 s");
        assert_eq!(duration(Duration::from_secs(7800)), "2 h 10 min");
    }

    #[test]
    fn json_errors_say_where_and_why() {
        let e = |s: &str| json_error(&serde_json::from_str::<serde_json::Value>(s).unwrap_err());
        assert_eq!(e("{\"a\": }"), "at line 1, column 7: expected value");
        assert_eq!(
            e("[1, 2"),
            "at line 1, column 5: the text ends too early (a bracket or string is not closed)"
        );
        assert_eq!(e("1 2"), "at line 1, column 3: trailing characters");
    }

    #[test]
    fn english_dates_are_iso() {
        let t = SystemTime::now();
        let shown = date_time(t);
        let local: chrono::DateTime<chrono::Local> = t.into();
        assert_eq!(shown, local.format("%Y-%m-%d %H:%M:%S%.3f").to_string());
    }
}
