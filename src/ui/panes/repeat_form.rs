//! The repeat settings (every N ms or s, N times or until stopped, optionally a load test
//! with a payload size) and the running repeats with their counts and Stop buttons;
//! shared by the Publish and Commands panes.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use crate::app::repeats::{Repeat, RepeatSpec};
use crate::app::{AppState, Connection};
use crate::model::repeat::CONFIRM_ABOVE_PER_SEC;
use crate::model::saved_command::SavedCommand;
use crate::ui::theme;

/// Largest load-test payload offered (the broker's own limit may be lower).
const MAX_LOAD_PAYLOAD: usize = 1024 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Unit {
    Ms,
    #[default]
    S,
}

/// What the user set.
#[derive(Clone, Debug)]
pub struct RepeatForm {
    pub every: String,
    pub unit: Unit,
    /// Empty or 0: until stopped.
    pub times: String,
    pub load_test: bool,
    pub payload_size: String,
    /// The rate above [`CONFIRM_ABOVE_PER_SEC`] the first click armed: the next click starts
    /// (any change disarms).
    armed_rate: Option<f64>,
    pub error: Option<String>,
}

impl Default for RepeatForm {
    fn default() -> Self {
        Self {
            every: "1".into(),
            unit: Unit::S,
            times: "60".into(),
            load_test: false,
            payload_size: "100".into(),
            armed_rate: None,
            error: None,
        }
    }
}

/// What the Repeat button asked for.
// Made once per frame and matched at once: boxing the spec would buy nothing.
#[allow(clippy::large_enum_variant)]
pub enum Start {
    /// Start this.
    Go(Box<RepeatSpec>),
    /// Nothing (not clicked, or the input is wrong: `error` says why).
    No,
}

impl RepeatForm {
    /// The interval, count and payload size, or why they are not usable.
    pub fn read(&self) -> Result<(Duration, u64, Option<usize>), String> {
        let every = self.every.trim().replace(',', ".");
        let every: f64 = every
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite() && *v > 0.0)
            .ok_or_else(|| crate::tr!("cmd-repeat-bad-interval", value = self.every.as_str()))?;
        let secs = match self.unit {
            Unit::Ms => every / 1000.0,
            Unit::S => every,
        };
        let interval = Duration::try_from_secs_f64(secs)
            .ok()
            .filter(|d| *d >= crate::model::repeat::MIN_INTERVAL && *d <= Duration::from_secs(86_400))
            .ok_or_else(|| crate::tr!("cmd-repeat-interval-range"))?;
        let times = self.times.trim();
        let count = if times.is_empty() {
            0
        } else {
            times
                .parse::<u64>()
                .map_err(|_| crate::tr!("cmd-repeat-bad-count", value = times))?
        };
        let size = if self.load_test {
            let s = self
                .payload_size
                .trim()
                .parse::<usize>()
                .ok()
                .filter(|s| *s <= MAX_LOAD_PAYLOAD)
                .ok_or_else(|| {
                    crate::tr!(
                        "cmd-repeat-bad-size",
                        value = self.payload_size.as_str(),
                        max = MAX_LOAD_PAYLOAD
                    )
                })?;
            Some(s)
        } else {
            None
        };
        Ok((interval, count, size))
    }

    /// The settings row and the Repeat button (with a confirmation above
    /// [`CONFIRM_ABOVE_PER_SEC`]); `command` is what it will send.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        command: impl FnOnce() -> Result<(SavedCommand, BTreeMap<String, String>), String>,
    ) -> Start {
        let mut changed = false;
        let mut clicked = false;
        ui.horizontal_wrapped(|ui| {
            let every = ui.label(crate::tr!("cmd-repeat-every"));
            changed |= ui
                .add(egui::TextEdit::singleline(&mut self.every).desired_width(48.0))
                .labelled_by(every.id)
                .changed();
            let before = self.unit;
            egui::ComboBox::from_id_salt(ui.scope_id().with("repeat_unit"))
                .width(48.0)
                .selected_text(unit_label(self.unit))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.unit, Unit::Ms, unit_label(Unit::Ms));
                    ui.selectable_value(&mut self.unit, Unit::S, unit_label(Unit::S));
                })
                .response
                .labelled_by(every.id);
            changed |= before != self.unit;
            let times = ui.label(crate::tr!("cmd-repeat-times"));
            changed |= ui
                .add(
                    egui::TextEdit::singleline(&mut self.times)
                        .desired_width(48.0)
                        .hint_text("∞"),
                )
                .labelled_by(times.id)
                .on_hover_text(crate::tr!("cmd-repeat-times-hover"))
                .changed();
            changed |= ui
                .checkbox(&mut self.load_test, crate::tr!("cmd-repeat-load"))
                .on_hover_text(crate::tr!("cmd-repeat-load-hover"))
                .changed();
            if self.load_test {
                let size = ui.label(crate::tr!("cmd-repeat-size"));
                changed |= ui
                    .add(egui::TextEdit::singleline(&mut self.payload_size).desired_width(64.0))
                    .labelled_by(size.id)
                    .changed();
            }
            clicked = ui
                .button(crate::tr!("cmd-repeat-start"))
                .on_hover_text(crate::tr!("cmd-repeat-start-hover"))
                .clicked();
        });
        if changed {
            self.armed_rate = None;
            self.error = None;
        }
        let parsed = self.read();
        let rate = parsed
            .as_ref()
            .ok()
            .map(|(interval, _, _)| 1.0 / interval.as_secs_f64());
        let fast = rate.filter(|r| *r > CONFIRM_ABOVE_PER_SEC);
        if clicked
            && let Some(rate) = fast
            && self.armed_rate != Some(rate)
        {
            // A fast repeat starts on the second click, after this warning.
            self.armed_rate = Some(rate);
            clicked = false;
        } else if clicked {
            self.armed_rate = None;
        }
        if let Some(rate) = fast
            && self.armed_rate == Some(rate)
        {
            ui.colored_label(
                theme::palette(ui).warn,
                crate::tr!("cmd-repeat-fast", rate = format_rate(rate)),
            );
        }
        if let Some(e) = &self.error {
            ui.colored_label(theme::palette(ui).error, e.as_str());
        }
        if !clicked {
            return Start::No;
        }
        let result = parsed.and_then(|(interval, count, payload_size)| {
            let (command, values) = command()?;
            Ok(RepeatSpec {
                command,
                values,
                interval,
                count,
                payload_size,
            })
        });
        match result {
            Ok(spec) => Start::Go(Box::new(spec)),
            Err(e) => {
                self.error = Some(e);
                Start::No
            }
        }
    }
}

fn unit_label(u: Unit) -> String {
    match u {
        Unit::Ms => crate::tr!("cmd-unit-ms"),
        Unit::S => crate::tr!("cmd-unit-s"),
    }
}

/// "20", "0.5", "2,500" messages a second.
fn format_rate(rate: f64) -> String {
    if rate >= 10.0 {
        crate::model::thousands(rate.round() as u64)
    } else {
        let s = format!("{rate:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

/// The running (and just finished) repeats of `conn`, each with its counts and a Stop
/// button; returns the repeat to stop.
pub fn running_ui(ui: &mut egui::Ui, conn: &Connection) -> Option<u64> {
    let mut stop = None;
    let palette = theme::palette(ui);
    for r in conn.repeats.iter().rev() {
        ui.horizontal_wrapped(|ui| {
            let name = repeat_label(r);
            if r.running() {
                ui.spinner();
                ui.strong(crate::tr!("cmd-repeat-running", name = name.as_str()));
                if ui.button(crate::tr!("cmd-repeat-stop")).clicked() {
                    stop = Some(r.id);
                }
            } else if r.stopped {
                ui.weak(crate::tr!("cmd-repeat-stopped", name = name.as_str()));
            } else {
                ui.weak(crate::tr!("cmd-repeat-done", name = name.as_str()));
            }
            for part in counts_parts(r, Instant::now()) {
                ui.label(part);
            }
            if r.failed > 0 || r.busy > 0 {
                ui.colored_label(palette.error, crate::tr!("cmd-repeat-failed", n = r.failed + r.busy));
            }
            if let Some(e) = &r.error {
                ui.colored_label(palette.error, e.as_str());
            }
        });
    }
    stop
}

/// What a repeat sends, as its row names it.
fn repeat_label(r: &Repeat) -> String {
    let c = &r.spec.command;
    if c.name.is_empty() {
        c.topic.clone()
    } else {
        c.full_name()
    }
}

/// "12 of 60 sent", "12 acknowledged", "1/s", the replies' round trips, the delays and
/// the time it ran: separate parts, so a narrow pane wraps between them.
pub fn counts_parts(r: &Repeat, now: Instant) -> Vec<String> {
    let sent = r.schedule.sent() - r.busy.min(r.schedule.sent());
    let mut parts = vec![match r.schedule.count() {
        Some(total) => crate::tr!("cmd-repeat-sent-of", n = sent, total = total),
        None => crate::tr!("cmd-repeat-sent", n = sent),
    }];
    // QoS 0 has no acknowledgement: what counts is that it was written to the socket.
    parts.push(if r.spec.command.qos == 0 {
        crate::tr!("cmd-repeat-written", n = r.acknowledged)
    } else {
        crate::tr!("cmd-repeat-acked", n = r.acknowledged)
    });
    parts.push(crate::tr!("cmd-repeat-rate", rate = format_rate(r.schedule.rate())));
    let replies = &r.replies;
    if let (Some(min), Some(max), Some(mean)) = (replies.min, replies.max, replies.mean()) {
        parts.push(crate::tr!(
            "cmd-repeat-replies",
            n = replies.replies,
            min = min.as_millis() as u64,
            max = max.as_millis() as u64,
            mean = mean.as_millis() as u64
        ));
    }
    if replies.timeouts > 0 {
        parts.push(crate::tr!("cmd-repeat-no-reply", n = replies.timeouts));
    }
    if r.schedule.delays() > 0 {
        parts.push(crate::tr!("cmd-repeat-delayed", n = r.schedule.delays()));
    }
    let elapsed = r.ended.unwrap_or(now).saturating_duration_since(r.started);
    parts.push(crate::ui::format::duration(elapsed));
    parts
}

/// Starts `spec` on the active connection, or says why not.
pub fn start(state: &mut AppState, spec: RepeatSpec) -> Result<(), String> {
    state.start_repeat(spec).map(drop)
}
