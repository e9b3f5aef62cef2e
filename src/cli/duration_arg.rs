//! `--interval 500ms`: a duration as people type it (`500ms`, `1s`, `2.5s`, `1m`), read
//! here rather than with a crate because four units are all the repeat needs.

use std::time::Duration;

use crate::model::repeat::MIN_INTERVAL;

/// Reads a duration: a number (decimals allowed) and an optional unit `us`, `ms`, `s`,
/// `m` or `h`; a bare number is seconds, as for `sleep`. Refuses anything below
/// [`MIN_INTERVAL`], which would be a flood rather than a repeat.
pub fn parse_interval(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let seconds_per_unit = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "s" | "sec" | "secs" => 1.0,
        "ms" => 1e-3,
        "us" | "µs" => 1e-6,
        "m" | "min" => 60.0,
        "h" => 3600.0,
        _ => return Err(crate::tr!("cmdcli-bad-interval", text = text)),
    };
    let value: f64 = number
        .parse()
        .map_err(|_| crate::tr!("cmdcli-bad-interval", text = text))?;
    let secs = value * seconds_per_unit;
    // A week is plenty and keeps the conversion far from overflow.
    if !secs.is_finite() || secs > 7.0 * 24.0 * 3600.0 {
        return Err(crate::tr!("cmdcli-bad-interval", text = text));
    }
    let interval = Duration::from_secs_f64(secs);
    if interval < MIN_INTERVAL {
        return Err(crate::tr!(
            "cmdcli-interval-too-short",
            text = text,
            min_us = MIN_INTERVAL.as_micros() as u64
        ));
    }
    Ok(interval)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_read_as_people_write_them() {
        let ms = Duration::from_millis;
        assert_eq!(parse_interval("500ms"), Ok(ms(500)));
        assert_eq!(parse_interval("1s"), Ok(ms(1000)));
        assert_eq!(parse_interval("2.5s"), Ok(ms(2500)));
        assert_eq!(parse_interval("1m"), Ok(ms(60_000)));
        assert_eq!(parse_interval("3"), Ok(ms(3000)));
        assert_eq!(parse_interval(" 20 ms "), Ok(ms(20)));
        assert_eq!(parse_interval("250us"), Ok(Duration::from_micros(250)));
    }

    #[test]
    fn nonsense_and_floods_are_refused_in_words() {
        for bad in ["", "ms", "1x", "-1s", "1.2.3s", "1e9", "999999h"] {
            assert!(parse_interval(bad).is_err(), "{bad}");
        }
        assert!(parse_interval("0s").unwrap_err().contains("0s"));
        assert!(parse_interval("10us").is_err());
    }
}
