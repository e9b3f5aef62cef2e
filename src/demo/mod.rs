//! The simulated ESP32 fleet behind `topicscope --demo` and `topicscope broker --simulate`.
//!
//! Six devices modelled on real firmware (see ../shared/corpus/esp32_payloads.jsonl): a
//! Tasmota plug, an ESPHome greenhouse node, two custom JSON telemetry boards, an
//! ESP32-CAM and a Zigbee2MQTT bridge, plus Home Assistant discovery configs; and three
//! boards named in Chinese, Japanese and Korean (`cn/家/客厅/温度`...), and two boards
//! with binary firmware (a packed C struct, a MessagePack map) and a Sparkplug B edge
//! node with one device for the decoders; and two boards sharing one client id that
//! kick each other off now and then (`twins`); and the discovery configs of a board
//! retired long ago, which never reports (`retired`). Each device is its own MQTT connection
//! with its own client id (the twins excepted) and last will, so availability topics
//! behave like real hardware; one board drops off now and then so its last will
//! fires. Every device answers commands on its command topics.
//!
//! The fleet runs on its own thread ("topicscope-fleet") with a current-thread tokio
//! runtime, independent of the caller's runtime (the GUI has none). Dropping the
//! [`Fleet`] stops it: every connection closes at once and the broker publishes each
//! device's last will, as if the power had been cut.

mod binary_board;
mod board;
mod camera;
mod commands;
mod discovery;
mod drift;
mod greenhouse;
mod home;
mod link;
mod retired;
mod sim;
mod sparkplug_node;
mod tasmota;
mod twins;
mod zigbee;

use std::io;
use std::thread::JoinHandle;

use tokio::sync::oneshot;

pub use binary_board::{STRUCT_LAYOUT, demo_decoded_series, demo_decoders};
pub use commands::example_commands;
use link::Device;
pub use link::Dropout;

/// Topic roots of the simulated devices, for a note in the UI or README.
pub fn device_names() -> Vec<&'static str> {
    vec![
        tasmota::NAME,
        greenhouse::NAME,
        "esp32/a1b2c3",
        "esp32/d4e5f6",
        camera::NAME,
        zigbee::BASE,
        home::CHINESE.root,
        home::JAPANESE.root,
        home::KOREAN.root,
        binary_board::STRUCT_NAME,
        binary_board::MSGPACK_NAME,
        sparkplug_node::NAME,
        twins::PUMP,
        twins::FAN,
    ]
}

/// How the fleet behaves. `Default` is what the demo uses; tests shorten the dropout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FleetOptions {
    /// How often the second telemetry board (`esp32/d4e5f6`) vanishes and for how long;
    /// `None` keeps it connected.
    pub dropout: Option<Dropout>,
}

impl Default for FleetOptions {
    fn default() -> Self {
        Self {
            dropout: Some(Dropout {
                every_ms: 60_000..=120_000,
                away_ms: 10_000..=20_000,
            }),
        }
    }
}

/// A running simulated fleet. Dropping it disconnects every device.
#[derive(Debug)]
pub struct Fleet {
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Fleet {
    /// Starts the fleet against `broker_url` (`mqtt://HOST:PORT`, `tcp://…` or
    /// `HOST:PORT`; port 1883 if omitted). Devices keep retrying while the broker is
    /// unreachable, so the broker may start later.
    pub fn start(broker_url: &str) -> io::Result<Fleet> {
        Self::start_with(broker_url, FleetOptions::default())
    }

    /// [`Fleet::start`] with explicit options.
    pub fn start_with(broker_url: &str, options: FleetOptions) -> io::Result<Fleet> {
        let (host, port) = parse_broker_url(broker_url).map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        let (stop, stopped) = oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("topicscope-fleet".to_owned())
            .spawn(move || {
                runtime.block_on(async move {
                    for device in devices(&options) {
                        tokio::spawn(link::run_device(device, host.clone(), port));
                    }
                    // Resolves when `Fleet` sends or is dropped.
                    let _ = stopped.await;
                });
                // Dropping the runtime drops every device task, and with them the
                // sockets: no DISCONNECT is sent, so the broker fires the last wills.
                drop(runtime);
                tracing::debug!("simulated fleet stopped");
            })?;
        Ok(Fleet {
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// False once the fleet thread has ended.
    pub fn is_running(&self) -> bool {
        self.thread.as_ref().is_some_and(|t| !t.is_finished())
    }
}

impl Drop for Fleet {
    fn drop(&mut self) {
        // Dropping the sender wakes the fleet thread, which then exits within
        // milliseconds; joining makes the wills fire before the caller moves on.
        self.stop.take();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Every simulated device, freshly seeded so each run drifts differently.
fn devices(options: &FleetOptions) -> Vec<Box<dyn Device>> {
    vec![
        Box::new(tasmota::Tasmota::new(rand::random())),
        Box::new(greenhouse::Greenhouse::new(rand::random())),
        Box::new(board::Board::new(0, None, rand::random())),
        Box::new(board::Board::new(1, options.dropout.clone(), rand::random())),
        Box::new(camera::Camera::default()),
        Box::new(zigbee::Zigbee::new(rand::random())),
        Box::new(home::Home::new(&home::CHINESE, rand::random())),
        Box::new(home::Home::new(&home::JAPANESE, rand::random())),
        Box::new(home::Home::new(&home::KOREAN, rand::random())),
        Box::new(binary_board::BinaryBoard::new(
            binary_board::Format::Struct,
            rand::random(),
        )),
        Box::new(binary_board::BinaryBoard::new(
            binary_board::Format::MessagePack,
            rand::random(),
        )),
        Box::new(sparkplug_node::SparkplugNode::new(rand::random())),
        Box::new(twins::Twin::pump(rand::random())),
        Box::new(twins::Twin::fan(rand::random())),
    ]
}

/// Host and port from `mqtt://HOST:PORT`, `tcp://HOST:PORT` or `HOST:PORT`.
fn parse_broker_url(url: &str) -> Result<(String, u16), String> {
    let full = if url.contains("://") {
        url.to_owned()
    } else {
        format!("mqtt://{url}")
    };
    let parsed = url::Url::parse(&full).map_err(|e| format!("bad broker URL {url:?}: {e}"))?;
    if !matches!(parsed.scheme(), "mqtt" | "tcp") {
        return Err(format!(
            "the simulated fleet connects over plain TCP (mqtt://), not {}://",
            parsed.scheme()
        ));
    }
    let host = match parsed.host() {
        Some(url::Host::Domain(d)) if !d.is_empty() => d.to_owned(),
        Some(url::Host::Ipv4(a)) => a.to_string(),
        Some(url::Host::Ipv6(a)) => a.to_string(),
        _ => return Err(format!("no host in broker URL {url:?}")),
    };
    Ok((host, parsed.port().unwrap_or(1883)))
}

#[cfg(test)]
mod tests;
