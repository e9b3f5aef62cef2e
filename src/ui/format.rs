//! Numbers, sizes, times and durations the way the panels print them.

use std::time::{Duration, SystemTime};

/// "1.5 KiB", "12 bytes".
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if n < 1024 {
        return format!("{n} bytes");
    }
    let mut v = n as f64 / 1024.0;
    let mut unit = 0;
    while v >= 1024.0 && unit < UNITS.len() - 1 {
        v /= 1024.0;
        unit += 1;
    }
    format!("{v:.1} {}", UNITS[unit])
}

pub use crate::model::thousands;

/// "1 topic", "3 topics": a count with its noun, plural when it is not one.
pub fn count(n: u64, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// Local wall-clock time with milliseconds, "14:03:07.412".
pub fn clock(t: SystemTime) -> String {
    let local: chrono::DateTime<chrono::Local> = t.into();
    local.format("%H:%M:%S%.3f").to_string()
}

/// Local date and time, "2026-11-26 14:03:07.412".
pub fn date_time(t: SystemTime) -> String {
    let local: chrono::DateTime<chrono::Local> = t.into();
    local.format("%Y-%m-%d %H:%M:%S%.3f").to_string()
}

/// A short duration: "850 ms", "4.2 s", "3 min 5 s", "2 h 10 min".
pub fn duration(d: Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 {
        format!("{ms} ms")
    } else if ms < 60_000 {
        format!("{:.1} s", d.as_secs_f64())
    } else if ms < 3_600_000 {
        format!("{} min {} s", d.as_secs() / 60, d.as_secs() % 60)
    } else {
        format!("{} h {} min", d.as_secs() / 3600, (d.as_secs() % 3600) / 60)
    }
}

/// The time between two messages, `newer - older`, or "—" if the clock went backwards.
pub fn delta(newer: SystemTime, older: SystemTime) -> String {
    newer.duration_since(older).map_or_else(|_| "—".to_owned(), duration)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(bytes(12), "12 bytes");
        assert_eq!(bytes(1536), "1.5 KiB");
        assert_eq!(bytes(10 * 1024 * 1024), "10.0 MiB");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(999), "999");
        assert_eq!(count(1, "topic"), "1 topic");
        assert_eq!(count(0, "msg"), "0 msgs");
        assert_eq!(count(3, "msg"), "3 msgs");
        assert_eq!(duration(Duration::from_millis(850)), "850 ms");
        assert_eq!(duration(Duration::from_millis(4200)), "4.2 s");
        assert_eq!(duration(Duration::from_secs(185)), "3 min 5 s");
    }
}
