//! Numeric readings and switch states out of a device's JSON object payload, two levels
//! deep (Tasmota nests `{"ENERGY":{"Power":…}}`), read as the bytes stream past: every
//! recognised device message passes here, so nothing is built that is not kept (no
//! `serde_json::Value`, keys borrowed from the payload unless escaped, ignored values
//! skipped). The whole payload is still checked to be one valid JSON object; on any
//! error nothing is taken, as if it were not JSON.

use std::borrow::Cow;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::recognise::{JSON_MAX_BYTES, is_key_reading, is_switch_key, is_switch_word};

/// What one payload held: readings and states, in the payload's order.
#[derive(Debug, Default, PartialEq)]
pub struct Found {
    pub readings: Vec<(String, f64)>,
    pub states: Vec<(String, String)>,
}

/// Reads `payload` if it is a JSON object (of at most [`JSON_MAX_BYTES`]); `None` if
/// it is not, so the caller can try a plain number or text instead.
pub fn read(payload: &[u8]) -> Option<Found> {
    // Device state is small; a big JSON document is not parsed on the message path.
    if payload.first() != Some(&b'{') || payload.len() > JSON_MAX_BYTES {
        return None;
    }
    let mut found = Found::default();
    let mut de = serde_json::Deserializer::from_slice(payload);
    Object {
        found: &mut found,
        nested: false,
    }
    .deserialize(&mut de)
    .ok()?;
    de.end().ok()?;
    Some(found)
}

/// A JSON object whose members are read into `found`; `nested` for the second level,
/// where only numbers count.
struct Object<'a> {
    found: &'a mut Found,
    nested: bool,
}

impl<'de> DeserializeSeed<'de> for Object<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Object<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(Key(key)) = map.next_key()? {
            map.next_value_seed(Member {
                key: &key,
                found: self.found,
                nested: self.nested,
            })?;
        }
        Ok(())
    }
}

/// A member's key: borrowed from the payload when it has no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(s)))
            }
            fn visit_str<E>(self, s: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(s.to_owned())))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

/// One member's value, kept when it is a reading or a switch state.
struct Member<'a, 'k> {
    key: &'k str,
    found: &'a mut Found,
    nested: bool,
}

impl Member<'_, '_> {
    fn number(self, x: f64) {
        if is_key_reading(self.key) {
            self.found.readings.push((self.key.to_owned(), x));
        }
    }
}

impl<'de> DeserializeSeed<'de> for Member<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Member<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_u64<E>(self, x: u64) -> Result<(), E> {
        self.number(x as f64);
        Ok(())
    }

    fn visit_i64<E>(self, x: i64) -> Result<(), E> {
        self.number(x as f64);
        Ok(())
    }

    fn visit_f64<E>(self, x: f64) -> Result<(), E> {
        self.number(x);
        Ok(())
    }

    fn visit_str<E>(self, s: &str) -> Result<(), E> {
        if !self.nested && is_switch_key(self.key) && is_switch_word(s) {
            self.found.states.push((self.key.to_owned(), s.to_owned()));
        }
        Ok(())
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        if self.nested {
            // A third level is not read, only checked to be JSON.
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            return Ok(());
        }
        Object {
            found: self.found,
            nested: true,
        }
        .visit_map(map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Pairs<'a> = (Vec<(&'a str, f64)>, Vec<(&'a str, &'a str)>);

    fn pairs(found: &Found) -> Pairs<'_> {
        (
            found.readings.iter().map(|(k, v)| (k.as_str(), *v)).collect(),
            found.states.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect(),
        )
    }

    #[test]
    fn tasmota_sensor_and_state_payloads_give_their_readings_in_order() {
        let sensor = br#"{"Time":"2024-01-01T00:00:00","ENERGY":{"Total":1.5,"Power":42,"Voltage":230.5,"Current":-0.18},"AM2301":{"Temperature":21.5,"Humidity":48.2},"TempUnit":"C"}"#;
        let found = read(sensor).expect("an object");
        assert_eq!(
            pairs(&found).0,
            [
                ("Power", 42.0),
                ("Voltage", 230.5),
                ("Current", -0.18),
                ("Temperature", 21.5),
                ("Humidity", 48.2)
            ]
        );
        let state = br#"{"POWER1":"ON","POWER2":"off","Wifi":{"RSSI":76,"Signal":-62},"state":"maybe","power":"ON"}"#;
        let found = read(state).expect("an object");
        assert_eq!(pairs(&found).0, [("RSSI", 76.0), ("Signal", -62.0)]);
        assert_eq!(pairs(&found).1, [("POWER1", "ON"), ("POWER2", "off"), ("power", "ON")]);
    }

    #[test]
    fn escaped_and_chinese_keys_are_kept_as_the_device_spells_them() {
        let found = read("{\"temp\\u00e9rature\":20,\"温度 temp\":21.5,\"x\":{\"y\":{\"temp\":1}}}".as_bytes())
            .expect("an object");
        assert_eq!(pairs(&found).0, [("température", 20.0), ("温度 temp", 21.5)]);
    }

    #[test]
    fn anything_but_one_valid_object_gives_none_and_takes_nothing() {
        for bad in [
            &br#"{"temp": 21.5"#[..],
            br#"{"temp": 21.5} trailing"#,
            br#"{"temp": 21.5, "x": [1, 2,]}"#,
            br#"[{"temp": 21.5}]"#,
            b"21.5",
            b"",
        ] {
            assert_eq!(read(bad), None, "{}", String::from_utf8_lossy(bad));
        }
        let big = format!("{{\"temp\":1,\"pad\":\"{}\"}}", "x".repeat(JSON_MAX_BYTES));
        assert_eq!(read(big.as_bytes()), None, "too big for the message path");
        assert_eq!(read(b"{}"), Some(Found::default()), "an empty object is JSON");
    }
}
