//! The stderr log subscriber for the window and every subcommand.
//!
//! `RUST_LOG` chooses what is shown, with one exception that no setting lifts: the
//! WebSocket libraries (tungstenite and the crates wrapping it) log every frame at trace
//! level, text and hex, and the first frame is the MQTT CONNECT with the user name and
//! password. Their trace output is dropped here, so no log level over any transport
//! shows a password (SECURITY.md). rumqttc and rustls log no packet contents.

use tracing::Level;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::filter::filter_fn;
use tracing_subscriber::prelude::*;

/// What is logged when `RUST_LOG` is not set. rumqttc warns about refused subscribes and
/// publishes, which the worker reports itself in words: its warnings would say the same
/// thing twice; rumqttd logs every accepted and dropped connection.
pub const DEFAULT_DIRECTIVES: &str = "warn,rumqttd=off,rumqttc=error";

/// `topicscope broker` shows its own connect / disconnect / refusal lines (info).
pub const BROKER_DIRECTIVES: &str = "warn,topicscope::broker=info,rumqttd=off,rumqttc=error";

/// Log targets (prefixes) that log whole WebSocket frames at trace level.
const FRAME_LOGGERS: [&str; 4] = [
    "tungstenite",
    "async_tungstenite",
    "tokio_tungstenite",
    "ws_stream_tungstenite",
];

/// True when a record may be shown: anything but trace output of a frame logger.
pub fn allowed(target: &str, level: &Level) -> bool {
    *level < Level::TRACE || !FRAME_LOGGERS.iter().any(|t| is_target_or_child(target, t))
}

fn is_target_or_child(target: &str, module: &str) -> bool {
    target
        .strip_prefix(module)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with("::"))
}

/// Installs the subscriber (stderr, `RUST_LOG` or `default_directives`, frame loggers
/// capped). Does nothing when one is installed already.
pub fn init(default_directives: &str) {
    let env = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_directives));
    let _ = tracing_subscriber::registry()
        .with(
            tracing_subscriber::fmt::layer()
                .with_writer(std::io::stderr)
                // Colour codes only for a person at a terminal, not in a log file.
                .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
                .with_filter(env)
                .with_filter(filter_fn(|meta| allowed(meta.target(), meta.level()))),
        )
        .try_init();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn websocket_frame_traces_are_dropped_at_any_setting() {
        assert!(!allowed("tungstenite::protocol", &Level::TRACE));
        assert!(!allowed("tungstenite", &Level::TRACE));
        assert!(!allowed("async_tungstenite::compat", &Level::TRACE));
        assert!(allowed("tungstenite::protocol", &Level::DEBUG));
        assert!(allowed("topicscope::mqtt", &Level::TRACE));
        assert!(allowed("tungstenitefoo", &Level::TRACE));
    }
}
