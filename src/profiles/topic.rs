//! MQTT topic-name and topic-filter rules (MQTT 3.1.1 §4.7, MQTT 5 §4.7).
//!
//! Checked here, before anything reaches the broker, because a broker answers a bad
//! topic by dropping the connection, which tells the user nothing about why.

use thiserror::Error;

/// The longest topic or filter MQTT can carry: it is sent as a UTF-8 string with a
/// 16-bit length prefix.
pub const MAX_TOPIC_BYTES: usize = 65_535;

/// Why a topic or a topic filter was refused. The messages are meant to be shown as is.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TopicError {
    /// The topic or filter is the empty string.
    #[error("{}", crate::tr!("worker-topic-empty"))]
    Empty,
    /// The topic or filter contains the NUL character (U+0000).
    #[error("{}", crate::tr!("worker-topic-nul"))]
    ContainsNul,
    /// The UTF-8 encoding is longer than [`MAX_TOPIC_BYTES`].
    #[error("{}", crate::tr!("worker-topic-too-long", bytes = *.len_bytes, max = MAX_TOPIC_BYTES))]
    TooLong {
        /// Length of the topic in bytes.
        len_bytes: usize,
    },
    /// A topic to publish to contains `+` or `#`.
    #[error("{}", crate::tr!("worker-topic-wildcard", wildcard = crate::i18n::shown(.wildcard)))]
    WildcardInTopic {
        /// The wildcard character found.
        wildcard: char,
    },
    /// `#` appears somewhere other than the last level.
    #[error("{}", crate::tr!("worker-topic-hash-not-last"))]
    MultiLevelWildcardNotLast,
    /// `#` or `+` shares a level with other characters (e.g. `sensors#`, `a+/b`).
    #[error("{}", crate::tr!("worker-topic-wildcard-not-whole-level", wildcard = crate::i18n::shown(.wildcard)))]
    WildcardNotWholeLevel {
        /// The wildcard character found.
        wildcard: char,
    },
}

/// Checks the rules shared by topic names and filters.
fn validate_common(topic: &str) -> Result<(), TopicError> {
    if topic.is_empty() {
        return Err(TopicError::Empty);
    }
    if topic.len() > MAX_TOPIC_BYTES {
        return Err(TopicError::TooLong { len_bytes: topic.len() });
    }
    if topic.contains('\0') {
        return Err(TopicError::ContainsNul);
    }
    Ok(())
}

/// Checks a topic name that a message is published to: no wildcards allowed.
///
/// Topics starting with `$` (like `$SYS/...`) are allowed here: the protocol permits
/// publishing to them and it is the broker's call to refuse.
pub fn validate_publish_topic(topic: &str) -> Result<(), TopicError> {
    validate_common(topic)?;
    if let Some(wildcard) = topic.chars().find(|c| matches!(c, '+' | '#')) {
        return Err(TopicError::WildcardInTopic { wildcard });
    }
    Ok(())
}

/// Checks a topic filter used to subscribe: `+` must fill a whole level, `#` must fill
/// a whole level and be the last one.
pub fn validate_filter(filter: &str) -> Result<(), TopicError> {
    validate_common(filter)?;
    let level_count = filter.split('/').count();
    for (index, level) in filter.split('/').enumerate() {
        if level.contains('#') {
            if level != "#" {
                return Err(TopicError::WildcardNotWholeLevel { wildcard: '#' });
            }
            if index + 1 != level_count {
                return Err(TopicError::MultiLevelWildcardNotLast);
            }
        }
        if level.contains('+') && level != "+" {
            return Err(TopicError::WildcardNotWholeLevel { wildcard: '+' });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publish_topic_accepts_ordinary_topics() {
        assert_eq!(validate_publish_topic("tele/esp32/SENSOR"), Ok(()));
        assert_eq!(validate_publish_topic("/leading/slash"), Ok(()));
        assert_eq!(validate_publish_topic("trailing/"), Ok(()));
        assert_eq!(validate_publish_topic("a//b"), Ok(()));
        assert_eq!(validate_publish_topic("$SYS/custom"), Ok(()));
        assert_eq!(validate_publish_topic("température/°C"), Ok(()));
        assert_eq!(validate_publish_topic("/"), Ok(()));
    }

    #[test]
    fn publish_topic_refusals() {
        assert_eq!(validate_publish_topic(""), Err(TopicError::Empty));
        assert_eq!(
            validate_publish_topic("a/+/b"),
            Err(TopicError::WildcardInTopic { wildcard: '+' })
        );
        assert_eq!(
            validate_publish_topic("a/#"),
            Err(TopicError::WildcardInTopic { wildcard: '#' })
        );
        assert_eq!(validate_publish_topic("a\0b"), Err(TopicError::ContainsNul));
    }

    #[test]
    fn length_limit_is_65535_bytes_not_chars() {
        let at_limit = "a".repeat(MAX_TOPIC_BYTES);
        assert_eq!(validate_publish_topic(&at_limit), Ok(()));
        assert_eq!(validate_filter(&at_limit), Ok(()));
        let over = "a".repeat(MAX_TOPIC_BYTES + 1);
        assert_eq!(
            validate_publish_topic(&over),
            Err(TopicError::TooLong { len_bytes: 65_536 })
        );
        assert_eq!(validate_filter(&over), Err(TopicError::TooLong { len_bytes: 65_536 }));
        // 'é' is two bytes: 32,768 of them are 65,536 bytes although only 32,768 chars.
        let multibyte = "é".repeat(32_768);
        assert_eq!(
            validate_publish_topic(&multibyte),
            Err(TopicError::TooLong { len_bytes: 65_536 })
        );
    }

    #[test]
    fn filter_accepts_valid_wildcards() {
        for filter in [
            "#", "+", "$SYS/#", "a/+/c", "+/+", "a/#", "/#", "+/", "a/b/c", "/+/", "+/#",
        ] {
            assert_eq!(validate_filter(filter), Ok(()), "filter {filter:?}");
        }
    }

    #[test]
    fn filter_refusals() {
        assert_eq!(validate_filter(""), Err(TopicError::Empty));
        assert_eq!(validate_filter("a\0/#"), Err(TopicError::ContainsNul));
        assert_eq!(validate_filter("#/a"), Err(TopicError::MultiLevelWildcardNotLast));
        assert_eq!(validate_filter("a/#/"), Err(TopicError::MultiLevelWildcardNotLast));
        assert_eq!(
            validate_filter("sensors#"),
            Err(TopicError::WildcardNotWholeLevel { wildcard: '#' })
        );
        assert_eq!(
            validate_filter("a/##"),
            Err(TopicError::WildcardNotWholeLevel { wildcard: '#' })
        );
        assert_eq!(
            validate_filter("a+/b"),
            Err(TopicError::WildcardNotWholeLevel { wildcard: '+' })
        );
        assert_eq!(
            validate_filter("a/++"),
            Err(TopicError::WildcardNotWholeLevel { wildcard: '+' })
        );
    }

    #[test]
    fn messages_are_sentences() {
        assert_eq!(
            TopicError::MultiLevelWildcardNotLast.to_string(),
            "The wildcard '#' must be the last level of a filter, as in 'sensors/#'."
        );
        assert_eq!(
            TopicError::WildcardNotWholeLevel { wildcard: '+' }.to_string(),
            "The wildcard '+' must be a whole level on its own, as in 'sensors/+', \
             not part of a word like 'sensors+'."
        );
        assert_eq!(
            TopicError::WildcardInTopic { wildcard: '#' }.to_string(),
            "A topic to publish to cannot contain the wildcard '#'; wildcards are only for subscribing."
        );
    }
}
