//! `topicscope devices`: collects messages for a few seconds and prints the devices
//! found, as a table or JSON, on the same model code as the Devices pane.

use std::io::Write as _;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use super::terminal::{escape_controls, is_closed_pipe};
use super::{DevicesArgs, wait_connected};
use crate::model::devices::{Devices, Health};
use crate::mqtt::{Event, WorkerHandle};

pub fn run(args: &DevicesArgs) -> Result<(), String> {
    let wait = Duration::try_from_secs_f64(args.wait.clamp(0.0, 86_400.0)).unwrap_or(Duration::from_secs(5));
    let profile = super::subscribing_profile(&args.connect, &args.topics, 0)?;
    let worker = WorkerHandle::spawn(None)
        .map_err(|e| crate::tr!("worker-cli-worker-cannot-start", error = crate::i18n::shown(e)))?;
    let mut devices = Devices::default();
    wait_connected(&worker, &profile, |ev| ingest(&mut devices, ev)).map_err(|e| e.to_string())?;
    let deadline = Instant::now() + wait;
    loop {
        match worker.events.recv_deadline(deadline) {
            Ok(ev) => ingest(&mut devices, ev),
            Err(crossbeam_channel::RecvTimeoutError::Timeout) => break,
            Err(crossbeam_channel::RecvTimeoutError::Disconnected) => return Err(crate::tr!("worker-stopped")),
        }
    }
    let now = now_secs();
    let text = if args.json {
        json(&devices, now)
    } else if devices.is_empty() {
        crate::tr!("dev-cli-none", secs = crate::i18n::shown(wait.as_secs()))
    } else {
        table(&devices, now)
    };
    let mut out = std::io::stdout().lock();
    match writeln!(out, "{text}").and_then(|()| out.flush()) {
        Err(e) if is_closed_pipe(&e) => Ok(()),
        Err(e) => Err(crate::tr!("rate-cli-write-failed", error = crate::i18n::shown(e))),
        Ok(()) => Ok(()),
    }
}

fn now_secs() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

fn ingest(devices: &mut Devices, ev: Event) {
    if let Event::Messages(batch) = ev {
        for m in batch {
            let t = m.time.duration_since(UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64());
            devices.ingest(&m.topic, &m.payload, m.retain, t);
        }
    }
}

/// The fixed English word of a health, for JSON (the table says it in the language).
fn health_key(h: Health) -> &'static str {
    match h {
        Health::Online => "online",
        Health::Offline => "offline",
        Health::Silent => "silent",
        Health::Flapping => "flapping",
        Health::Unknown => "unknown",
    }
}

/// One JSON array: a device each, with its health, interval and rate at `now`.
pub fn json(devices: &Devices, now: f64) -> String {
    let rules = devices.rules();
    let list: Vec<serde_json::Value> = devices
        .devices()
        .iter()
        .map(|d| {
            let mut v = serde_json::to_value(d).unwrap_or_default();
            if let Some(o) = v.as_object_mut() {
                o.insert("health".into(), health_key(d.health(now, rules)).into());
                o.insert("interval_secs".into(), d.interval().into());
                o.insert("rate".into(), d.rate(now).into());
                o.insert("kind".into(), d.kind.label().into());
                // The client id (or suspected pair) of an active collision concerning it.
                let collision = devices.collisions().for_device(&d.name, &d.id, now);
                o.insert("collision".into(), collision.map(|c| c.label()).into());
            }
            v
        })
        .collect();
    serde_json::to_string_pretty(&list).unwrap_or_default()
}

/// A tab-separated table: worst health first, then by name.
pub fn table(devices: &Devices, now: f64) -> String {
    let rules = devices.rules();
    let c = devices.counts(now);
    let mut out = crate::tr!("dev-count", n = c.total);
    for (n, text) in [
        (c.offline, crate::tr!("dev-count-offline", n = c.offline)),
        (c.silent, crate::tr!("dev-count-silent", n = c.silent)),
        (c.flapping, crate::tr!("dev-count-flapping", n = c.flapping)),
    ] {
        if n > 0 {
            out.push_str(", ");
            out.push_str(&text);
        }
    }
    let collisions = devices.collisions().active(now).len();
    if collisions > 0 {
        out.push_str(", ");
        out.push_str(&crate::tr!("dev-count-collisions", n = collisions));
    }
    out.push('\n');
    out.push_str(&crate::tr!("dev-cli-head"));
    out.push('\n');
    let mut rows: Vec<_> = devices.devices().iter().collect();
    rows.sort_by(|a, b| {
        a.health(now, rules)
            .cmp(&b.health(now, rules))
            .then_with(|| crate::model::natural_cmp(&a.name, &b.name))
    });
    for d in rows {
        let health = crate::ui::panes::devices::health_text(d.health(now, rules));
        let seen = d.last_seen.map_or_else(
            || crate::tr!("dev-never"),
            |t| crate::ui::format::duration(Duration::from_secs_f64((now - t).max(0.0))),
        );
        let interval = d.interval().map_or_else(
            || "-".to_owned(),
            |i| crate::ui::format::duration(Duration::from_secs_f64(i)),
        );
        let readings: Vec<String> = d
            .readings
            .iter()
            .map(|r| format!("{}={}", r.label, crate::ui::panes::devices::reading_text(r.value)))
            .chain(d.states.iter().map(|(k, v)| format!("{k}={v}")))
            .collect();
        let fields = [
            d.name.clone(),
            d.kind.label().to_owned(),
            health,
            seen,
            interval,
            readings.join(" "),
        ];
        let fields: Vec<String> = fields.iter().map(|f| escape_controls(f, false).into_owned()).collect();
        out.push_str(&fields.join("\t"));
        out.push('\n');
    }
    out
}
