//! Topicscope: a native desktop MQTT explorer.
//!
//! Layers, dependencies pointing downwards only (see ARCHITECTURE.md):
//! `cli` / `app` + `ui` → `mqtt` (worker) → `model` (pure data); `profiles` is used by all.

pub mod app;
pub mod bench;
pub mod broker;
pub mod cli;
pub mod demo;
pub mod desktop;
pub mod frame_gate;
pub mod i18n;
pub mod model;
pub mod mqtt;
pub mod profiles;
pub mod record;
pub mod thread_priority;
pub mod ui;
