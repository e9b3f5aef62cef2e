//! `topicscope top`: the busiest topics now, refreshed in the terminal like `top`, on
//! the same model code as the Traffic pane (rates kept on ingest, one scan a refresh).

use std::io::{IsTerminal as _, Write as _};
use std::time::{Instant, SystemTime};

use super::connection::subscribing_profile;
use super::terminal::{escape_controls, is_closed_pipe};
use super::{TopArgs, wait_connected};
use crate::model::Model;
use crate::model::traffic::{Talker, TrafficScan, scan};
use crate::mqtt::{Event, WorkerHandle};

/// History kept per run: only the last message of each topic is needed (the biggest
/// payloads), so a small budget.
const HISTORY_BUDGET: usize = 8 << 20;
/// Clears the screen and homes the cursor (a terminal only).
const CLEAR: &str = "\x1b[2J\x1b[H";

pub fn run(args: &TopArgs) -> Result<(), String> {
    let profile = subscribing_profile(&args.connect, &args.topics, 0)?;
    let broker = profile.broker_url.clone();
    let worker = WorkerHandle::spawn(None)
        .map_err(|e| crate::tr!("worker-cli-worker-cannot-start", error = crate::i18n::shown(e)))?;
    let mut model = Model::new(HISTORY_BUDGET);
    wait_connected(&worker, &profile, |ev| ingest(&mut model, ev)).map_err(|e| e.to_string())?;
    let terminal = std::io::stdout().is_terminal();
    let mut next = Instant::now() + args.interval;
    let mut shown = 0u64;
    loop {
        match worker.events.recv_deadline(next) {
            Ok(ev) => ingest(&mut model, ev),
            Err(crossbeam_channel::RecvTimeoutError::Timeout) => {
                let s = scan(model.tree(), SystemTime::now(), args.rows);
                let table = table(&broker, &s, args.rows, args.by_bytes);
                let mut out = std::io::stdout().lock();
                let written = if terminal {
                    write!(out, "{CLEAR}{table}")
                } else {
                    writeln!(out, "{table}")
                };
                match written.and_then(|()| out.flush()) {
                    Err(e) if is_closed_pipe(&e) => return Ok(()),
                    Err(e) => return Err(crate::tr!("rate-cli-write-failed", error = crate::i18n::shown(e))),
                    Ok(()) => {}
                }
                shown += 1;
                if args.iterations.is_some_and(|n| shown >= n) {
                    return Ok(());
                }
                next += args.interval;
                // After a stall, the next table a whole interval from now.
                if next < Instant::now() {
                    next = Instant::now() + args.interval;
                }
            }
            Err(crossbeam_channel::RecvTimeoutError::Disconnected) => {
                return Err(crate::tr!("worker-stopped"));
            }
        }
    }
}

fn ingest(model: &mut Model, ev: Event) {
    if let Event::Messages(batch) = ev {
        for m in batch {
            model.ingest(m);
        }
    }
}

/// The screen: a title line with the whole rate, then the top topics and subtrees.
fn table(broker: &str, s: &TrafficScan, rows: usize, by_bytes: bool) -> String {
    let mut out = crate::tr!(
        "rate-cli-title",
        broker = broker,
        msgs = crate::model::render::rate_text(s.total.messages),
        bytes = crate::model::render::bytes_text(s.total.bytes.round() as u64),
        n = s.topics
    );
    out.push('\n');
    let list = if by_bytes { &s.by_bytes } else { &s.by_messages };
    section(&mut out, &crate::tr!("rate-cli-topics"), list, rows);
    section(&mut out, &crate::tr!("rate-cli-subtrees"), &s.subtrees, rows.min(5));
    out
}

fn section(out: &mut String, title: &str, list: &[Talker], rows: usize) {
    out.push('\n');
    out.push_str(&format!(
        "{:>10}  {:>10}  {:>12}  {title}\n",
        crate::tr!("rate-cli-msgs"),
        crate::tr!("rate-cli-minute"),
        crate::tr!("rate-cli-bytes")
    ));
    if list.is_empty() {
        out.push_str(&format!(
            "{:>10}  {:>10}  {:>12}  {}\n",
            "-",
            "-",
            "-",
            crate::tr!("rate-quiet")
        ));
    }
    for t in list.iter().take(rows) {
        out.push_str(&format!(
            "{:>10}  {:>10}  {:>12}  {}\n",
            format!("{:.1}", t.rate.messages),
            format!("{:.1}", t.minute.messages),
            crate::model::render::bytes_text(t.rate.bytes.round() as u64),
            escape_controls(&t.topic, false)
        ));
    }
}
