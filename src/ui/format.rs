//! Numbers, sizes, times and durations the way the panels print them, in the
//! interface's language (the words and the date pattern come from `panes.ftl`).

use std::fmt::Write as _;
use std::time::{Duration, SystemTime};

use fluent_bundle::{FluentArgs, FluentValue};

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

/// A short duration: "850 ms", "4.2 s", "3 min 5 s", "2 h 10 min" ("2 小时 10 分");
/// a part that is zero is left out: "10 min", "2 h" ("10 分钟", "2 小时").
pub fn duration(d: Duration) -> String {
    duration_in(crate::i18n::lang(), d)
}

/// [`duration`] in `lang`.
fn duration_in(lang: crate::i18n::Lang, d: Duration) -> String {
    use crate::i18n::shown;
    let text = |key: &str, args: &[(&str, FluentValue<'static>)]| {
        let mut a = FluentArgs::new();
        for (name, value) in args {
            a.set(*name, value.clone());
        }
        crate::i18n::text_in(lang, key, Some(&a))
    };
    let ms = d.as_millis();
    let secs = d.as_secs();
    if ms < 1000 {
        text("panes-duration-ms", &[("ms", (ms as u64).into())])
    } else if ms < 60_000 {
        // Pre-formatted: one decimal, which the number formatter would not keep.
        text("panes-duration-s", &[("s", shown(format!("{:.1}", d.as_secs_f64())))])
    } else if ms < 3_600_000 {
        let (min, s) = (secs / 60, secs % 60);
        if s == 0 {
            // The charts' "10 min" window says whole minutes in the same words.
            text("panes-window-min", &[("n", min.into())])
        } else {
            text("panes-duration-min", &[("min", min.into()), ("s", s.into())])
        }
    } else {
        // Hours ungrouped ("7999 h"): an age, read as one figure, as the clock shows it.
        let (h, min) = (shown(secs / 3600), (secs % 3600) / 60);
        if min == 0 {
            text("panes-window-h", &[("n", h)])
        } else {
            text("panes-duration-h", &[("h", h), ("min", min.into())])
        }
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

    /// "8 times in 10 min", not "in 10 min 0 s": a part that is zero is not said.
    #[test]
    fn whole_minutes_and_hours_drop_the_zero_part() {
        assert_eq!(duration(Duration::from_secs(60)), "1 min");
        assert_eq!(duration(Duration::from_secs(600)), "10 min");
        assert_eq!(duration(Duration::from_millis(600_400)), "10 min");
        assert_eq!(duration(Duration::from_secs(601)), "10 min 1 s");
        assert_eq!(duration(Duration::from_secs(3600)), "1 h");
        assert_eq!(
            duration(Duration::from_secs(3659)),
            "1 h",
            "seconds are not shown with hours"
        );
        assert_eq!(duration(Duration::from_secs(3660)), "1 h 1 min");
        assert_eq!(duration(Duration::from_secs(7999 * 3600)), "7999 h");
        assert_eq!(duration(Duration::from_secs(59)), "59.0 s");
    }

    /// The Chinese words for the same durations: "10 分钟", "2 小时", "3 分 5 秒".
    #[test]
    fn chinese_durations_drop_the_zero_part_too() {
        use crate::i18n::Lang;
        assert_eq!(duration_in(Lang::ZhCn, Duration::from_secs(600)), "10 分钟");
        assert_eq!(duration_in(Lang::ZhCn, Duration::from_secs(7200)), "2 小时");
        assert_eq!(duration_in(Lang::ZhCn, Duration::from_secs(185)), "3 分 5 秒");
        assert_eq!(duration_in(Lang::ZhCn, Duration::from_secs(7800)), "2 小时 10 分");
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
