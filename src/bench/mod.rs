//! `topicscope bench …`: the performance figures, measured on the real code (model,
//! worker, app state, panels) in the binary people run. Each result is one line of
//! `key=value` pairs so scripts and BENCHMARKS.md can grep them.

pub mod decode_bench;
pub mod devices_bench;
pub mod e2e;
pub mod e2e_live;
pub mod flood;
pub mod measure;
pub mod model_bench;
pub mod mosquitto;
pub mod peer_readers;
pub mod peers;
pub mod record_bench;
pub mod seek_bench;
pub mod ui_bench;
pub mod window;
pub mod window_lines;
pub mod window_stream;
