//! Reading a plottable number out of a text payload the way ESP32 firmwares write them:
//! "21.5", "21.5 °C", "57%", "3,31", "1.2e3", "ON"/"OFF", "true", "\"21.5\"".
//! A reading that is not a real number ("nan", "inf") is `None`, never 0, so a broken
//! sensor leaves a gap in the plot instead of a fake value.

// JSON paths and binary fields are the other two ways to get numbers out of payloads.
pub use super::binary::{BinaryKind, BinaryNumber};
pub use super::json_path::{JsonPath, JsonPathError, PathSegment, numeric_paths, value_as_number};

/// Longer texts are not a number with a unit; bailing early keeps classification of
/// multi-megabyte payloads from scanning them here.
const MAX_NUMBER_TEXT_BYTES: usize = 128;

/// Longest unit accepted after a number ("hPa", "µg/m³", "kWh").
const MAX_UNIT_CHARS: usize = 16;

/// Longest normalised number we parse (sign, digits, '.', exponent).
const MAX_NUMBER_BYTES: usize = MAX_NUMBER_TEXT_BYTES + 2;

/// The numeric value of a text payload or JSON string, if it has one.
///
/// Accepts, after trimming whitespace and one pair of surrounding double quotes:
/// - `true`/`false`, `on`/`off`, `online`/`offline` in any case, as 1 and 0;
/// - a decimal number with an optional sign, a decimal point or comma, and an optional
///   exponent (`-71`, `.5`, `3,31`, `1.2e3`);
/// - that number followed by a unit: up to 16 characters without spaces or digits,
///   made of letters, `%`, `/` or non-ASCII symbols (`1013.2 hPa`, `57%`, `21.5 °C`).
///
/// Non-finite results (`nan`, `inf`, `1e999`) are `None`.
pub fn extract_number(text: &str) -> Option<f64> {
    let text = text.trim();
    if text.len() > MAX_NUMBER_TEXT_BYTES {
        return None;
    }
    let text = text
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .map_or(text, str::trim);
    if let Some(flag) = keyword_value(text) {
        return Some(flag);
    }
    let (value, rest) = leading_number(text)?;
    let unit = rest.trim_start();
    (unit.is_empty() || is_unit(unit)).then_some(value)
}

/// The words firmwares use for binary states.
fn keyword_value(text: &str) -> Option<f64> {
    const ONE: [&str; 3] = ["true", "on", "online"];
    const ZERO: [&str; 3] = ["false", "off", "offline"];
    if ONE.iter().any(|k| k.eq_ignore_ascii_case(text)) {
        Some(1.0)
    } else if ZERO.iter().any(|k| k.eq_ignore_ascii_case(text)) {
        Some(0.0)
    } else {
        None
    }
}

/// Parses the number at the start of `text`; returns it and the unparsed rest.
fn leading_number(text: &str) -> Option<(f64, &str)> {
    let b = text.as_bytes();
    let mut normalised = [0u8; MAX_NUMBER_BYTES];
    let mut len = 0;
    let mut push = |c: u8| {
        if let Some(slot) = normalised.get_mut(len) {
            *slot = c;
            len += 1;
        }
    };
    let mut i = 0;
    if let Some(&sign @ (b'+' | b'-')) = b.first() {
        push(sign);
        i = 1;
    }
    let int_start = i;
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        push(b[i]);
        i += 1;
    }
    let mut digits = i - int_start;
    // A decimal point or comma counts only when a digit follows: "5," and "5." are not
    // numbers with a fraction, and "1,234.5" must not be read as 1.234.
    if matches!(b.get(i), Some(b'.' | b',')) && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
        push(b'.');
        i += 1;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            push(b[i]);
            i += 1;
            digits += 1;
        }
    }
    if digits == 0 {
        return None;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        if matches!(b.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        // Without digits the 'e' belongs to a unit, as in "5 eggs".
        if b.get(j).is_some_and(u8::is_ascii_digit) {
            b[i..j].iter().for_each(|&c| push(c));
            i = j;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                push(b[i]);
                i += 1;
            }
        }
    }
    let number = std::str::from_utf8(&normalised[..len]).ok()?;
    let value: f64 = number.parse().ok()?;
    // Every byte consumed is ASCII, so `i` is a char boundary.
    let rest = text.get(i..)?;
    value.is_finite().then_some((value, rest))
}

fn is_unit(unit: &str) -> bool {
    unit.chars().count() <= MAX_UNIT_CHARS
        && unit.chars().all(|c| {
            if c.is_ascii() {
                c.is_ascii_alphabetic() || c == '%' || c == '/'
            } else {
                !c.is_whitespace() && !c.is_control()
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_corpus::corpus;

    #[test]
    fn plain_and_signed_numbers() {
        assert_eq!(extract_number("42"), Some(42.0));
        assert_eq!(extract_number(" -71\n"), Some(-71.0));
        assert_eq!(extract_number("+5"), Some(5.0));
        assert_eq!(extract_number(".5"), Some(0.5));
        assert_eq!(extract_number("007"), Some(7.0));
        assert_eq!(extract_number("1.2e3"), Some(1200.0));
        assert_eq!(extract_number("1.5E-3"), Some(0.0015));
        assert_eq!(extract_number("3,31"), Some(3.31));
        assert_eq!(extract_number("-0,5 V"), Some(-0.5));
    }

    #[test]
    fn units() {
        assert_eq!(extract_number("1013.2 hPa"), Some(1013.2));
        assert_eq!(extract_number("57%"), Some(57.0));
        assert_eq!(extract_number("21.5 °C"), Some(21.5));
        assert_eq!(extract_number("21.5°C"), Some(21.5));
        assert_eq!(extract_number("-71 dBm"), Some(-71.0));
        assert_eq!(extract_number("12 µg/m³"), Some(12.0));
        assert_eq!(extract_number("5 eggs"), Some(5.0));
    }

    #[test]
    fn keywords_and_quotes() {
        for (text, want) in [
            ("true", 1.0),
            ("FALSE", 0.0),
            ("ON", 1.0),
            ("off", 0.0),
            ("Online", 1.0),
            ("OFFLINE", 0.0),
            ("\"21.5\"", 21.5),
            ("\" 7 \"", 7.0),
            ("\"ON\"", 1.0),
        ] {
            assert_eq!(extract_number(text), Some(want), "{text}");
        }
    }

    #[test]
    fn rejects_non_numbers() {
        for text in [
            "",
            " ",
            "nan",
            "NaN",
            "-nan",
            "inf",
            "-inf",
            "Infinity",
            "1e999",
            "-1e999",
            "TOGGLE",
            "ok",
            "e5",
            ".",
            "-",
            "+",
            "5.",
            "5,",
            "1,234.5",
            "1.2.3",
            "12:30",
            "0x1F",
            "2026-11-20T08:15:02",
            "0T02:41:10",
            "12 apples and 3 pears",
            "1.5 m s",
            "\"\"",
            "\"",
            "°C",
            "E (1234) wifi: Association refused",
            "[1]",
            "{\"a\": 1}",
            "5 (TUs)",
            "1 2",
            "onn",
        ] {
            assert_eq!(extract_number(text), None, "{text:?}");
        }
    }

    #[test]
    fn long_texts_are_not_numbers() {
        let long = format!("1{}", "0".repeat(200));
        assert_eq!(extract_number(&long), None);
        let unit = format!("5 {}", "x".repeat(17));
        assert_eq!(extract_number(&unit), None);
        let at_limit = format!("5 {}", "x".repeat(16));
        assert_eq!(extract_number(&at_limit), Some(5.0));
    }

    #[test]
    fn every_numeric_looking_corpus_entry() {
        let expected: &[(&str, Option<f64>)] = &[
            ("tele/tasmota_5C3F21/LWT", Some(1.0)),
            ("cmnd/tasmota_5C3F21/POWER", None),
            ("stat/tasmota_5C3F21/POWER", Some(1.0)),
            ("greenhouse/status", Some(1.0)),
            ("greenhouse/sensor/soil_moisture/state", Some(37.2)),
            ("greenhouse/sensor/air_temperature/state", Some(19.84)),
            ("greenhouse/sensor/wifi_signal/state", Some(-71.0)),
            ("greenhouse/binary_sensor/door/state", Some(0.0)),
            ("greenhouse/switch/pump/command", Some(1.0)),
            ("greenhouse/switch/pump/state", Some(1.0)),
            ("greenhouse/sensor/uptime/state", Some(86400.0)),
            ("greenhouse/sensor/lux/state", Some(1200.0)),
            ("greenhouse/sensor/voltage/state", Some(3.31)),
            ("greenhouse/sensor/pressure/state", Some(1013.2)),
            ("greenhouse/sensor/broken/state", None),
            ("esp32/a1b2c3/temperature", Some(23.5)),
            ("esp32/a1b2c3/ota/progress", Some(57.0)),
            ("esp32/a1b2c3/log", None),
            ("esp32/a1b2c3/boot", None),
            ("esp32/a1b2c3/bool", Some(1.0)),
            ("/leading/slash", Some(1.0)),
            ("trailing/slash/", Some(2.0)),
            ("double//slash", Some(3.0)),
            ("unicode/温度/传感器", Some(24.1)),
            ("spaces in/topic name", None),
            ("$SYS/broker/clients/connected", Some(12.0)),
            ("$SYS/broker/load/messages/received/1min", Some(1043.77)),
        ];
        let entries = corpus();
        for (topic, want) in expected {
            let entry = entries.iter().find(|e| e.topic == *topic).unwrap();
            let text = std::str::from_utf8(&entry.payload).unwrap();
            assert_eq!(extract_number(text), *want, "{topic}: {text:?}");
        }
    }
}
