//! Why a payload could not be decoded, in the interface's words.

use super::layout::LayoutError;

/// A decoding failure. Displayed in the interface's language.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The payload is not valid in the format (the parser's own words in `detail`).
    #[error("{}", crate::tr!("dec-err-invalid", format = .format.as_str(), detail = .detail.as_str()))]
    Invalid { format: String, detail: String },
    /// One value was read, and bytes remain after it.
    #[error("{}", crate::tr!("dec-err-trailing", format = .format.as_str(), n = *.extra_bytes))]
    Trailing { format: String, extra_bytes: u64 },
    /// Nested deeper than `MAX_DEPTH`.
    #[error("{}", crate::tr!("dec-err-too-deep", depth = super::MAX_DEPTH as u64))]
    TooDeep,
    /// More values than `MAX_NODES`.
    #[error("{}", crate::tr!("dec-err-too-large", n = super::MAX_NODES as u64))]
    TooLarge,
    /// Inflates past `MAX_INFLATED_BYTES`.
    #[error("{}", crate::tr!("dec-err-inflated", mib = (super::MAX_INFLATED_BYTES / (1024 * 1024)) as u64))]
    InflatedTooLarge,
    /// The payload's size is not the struct layout's.
    #[error("{}", crate::tr!("dec-err-size", expected = *.expected_bytes, n = *.actual_bytes))]
    SizeMismatch { expected_bytes: u64, actual_bytes: u64 },
    /// A protobuf schema or message problem, already in words (file, line, names).
    #[error("{0}")]
    Proto(String),
    /// The struct layout itself is wrong.
    #[error(transparent)]
    Layout(#[from] LayoutError),
}

impl DecodeError {
    pub(crate) fn invalid(format: &str, detail: impl std::fmt::Display) -> Self {
        Self::Invalid {
            format: format.to_owned(),
            detail: detail.to_string(),
        }
    }
}
