//! The Broker pane: what the broker says about itself in `$SYS` — which broker and
//! version, uptime, clients, messages and bytes per second in and out, retained
//! messages and subscriptions — with charts of its load over the last half hour. When
//! `$SYS` is not subscribed, refused, or silent, it says so and what to do.

use std::time::Duration;

use egui_plot::{Legend, Line, Plot, PlotPoints};

use crate::app::{AppState, now_secs};
use crate::model::broker_sys::{BrokerKind, BrokerStats, BrokerSys, Flow, LOAD_WINDOW_SECS, Metric, SysState};
use crate::model::thousands;
use crate::ui::{format, theme};

/// The filter the pane's button subscribes to.
const SYS_FILTER: &str = "$SYS/#";
/// Height of each load chart.
const CHART_HEIGHT: f32 = 150.0;
/// The shortest time a load chart spans, so that a few first points are not a wall.
const MIN_CHART_SECS: f64 = 60.0;

/// The Broker pane of the active connection.
pub fn broker_ui(ui: &mut egui::Ui, state: &mut AppState) {
    let now = now_secs();
    let conn = state.conn();
    let sys_state = conn.broker_sys.state(now, conn.sys_subscribed());
    let refused = conn.sys_refused().map(|s| (s.filter.clone(), s.shown()));
    let connected = state.connection_active();
    egui::ScrollArea::vertical()
        .id_salt("broker_pane")
        .auto_shrink(false)
        .show(ui, |ui| {
            let sys = &state.conn().broker_sys;
            ui.heading(broker_name(sys));
            if let Some((filter, status)) = refused {
                let palette = theme::palette(ui);
                ui.colored_label(
                    palette.error,
                    crate::tr!("sys-refused", filter = filter.as_str(), status = status.as_str()),
                );
                ui.label(crate::tr!("sys-refused-help"));
            }
            match sys_state {
                SysState::NotSubscribed => {
                    ui.label(crate::tr!("sys-not-subscribed"));
                    subscribe_button_ui(ui, state, connected);
                    // What was heard before, marked by its age ("updated … ago").
                    let sys = &state.conn().broker_sys;
                    if sys.messages() > 0 {
                        ui.separator();
                        figures_ui(ui, sys, now);
                    }
                }
                SysState::Waiting { secs_left } => {
                    if connected {
                        ui.weak(crate::tr!("sys-waiting", s = secs_left.ceil().max(1.0) as u64));
                        // The verdict comes with time, not with a message.
                        crate::app::redraw::after(ui.ctx(), Duration::from_secs(1));
                    } else {
                        ui.weak(crate::tr!("sys-connect-first"));
                    }
                }
                SysState::Silent => {
                    let palette = theme::palette(ui);
                    ui.colored_label(palette.warn, crate::tr!("sys-silent"));
                    ui.label(crate::tr!("sys-silent-help"));
                    if let Some(hint) = state.conn().retained_hint(now) {
                        super::subscriptions::retained_hint_ui(ui, &hint);
                    }
                }
                SysState::Publishing => figures_ui(ui, sys, now),
            }
        });
}

/// "Mosquitto 2.0.18", "EMQX 5.8.0 (emqx@host)", or words when unknown.
fn broker_name(sys: &BrokerSys) -> String {
    let s = sys.stats();
    let product = match sys.kind() {
        Some(kind) => kind
            .product()
            .map_or_else(|| crate::tr!("sys-kind-mosquitto-like"), str::to_owned),
        None => crate::tr!("sys-kind-unknown"),
    };
    let mut name = match &s.version {
        // mosquitto writes its name into its version: "mosquitto version 2.0.18".
        Some(v) if v.to_ascii_lowercase().contains(&product.to_ascii_lowercase()) => v.clone(),
        Some(v) => format!("{product} {v}"),
        None => product,
    };
    if let Some(node) = &s.node {
        name = format!("{name} ({node})");
    }
    name
}

fn subscribe_button_ui(ui: &mut egui::Ui, state: &mut AppState, connected: bool) {
    let button = ui
        .add_enabled(
            connected,
            egui::Button::new(crate::tr!("sys-subscribe", filter = SYS_FILTER)),
        )
        .on_disabled_hover_text(crate::tr!("sys-connect-first"));
    if button.clicked()
        && let Err(e) = state.subscribe(SYS_FILTER, 0)
    {
        crate::app::push_error(&mut state.notices, e);
    }
}

/// The figures and the load charts.
fn figures_ui(ui: &mut egui::Ui, sys: &BrokerSys, now: f64) {
    let s = sys.stats();
    if let Some(name) = sys.kind().filter(|k| k.events_only()).and_then(BrokerKind::product) {
        ui.label(crate::tr!("sys-events-only", name = name));
    }
    if let Some(d) = &s.description {
        ui.weak(d.as_str());
    }
    egui::Grid::new("broker_figures")
        .num_columns(2)
        .striped(true)
        .spacing([16.0, 4.0])
        .show(ui, |ui| {
            row_ui(
                ui,
                crate::tr!("sys-uptime"),
                s.uptime_secs.map(|u| format::duration(Duration::from_secs(u))),
            );
            row_ui(ui, crate::tr!("sys-clients"), clients(s));
            for flow in Flow::ALL {
                rate_row_ui(ui, s, flow);
            }
            let count = |m: Metric| s.value(m).map(|v| thousands(v as u64));
            row_ui(ui, crate::tr!("sys-messages-received"), count(Metric::MessagesReceived));
            row_ui(ui, crate::tr!("sys-messages-sent"), count(Metric::MessagesSent));
            let size = |m: Metric| s.value(m).map(|v| format::bytes(v as u64));
            row_ui(ui, crate::tr!("sys-bytes-received"), size(Metric::BytesReceived));
            row_ui(ui, crate::tr!("sys-bytes-sent"), size(Metric::BytesSent));
            row_ui(ui, crate::tr!("sys-retained"), count(Metric::Retained));
            row_ui(ui, crate::tr!("sys-subscriptions"), count(Metric::Subscriptions));
            // mosquitto states bytes; amqtt's `heap/…` under the same names are megabytes.
            if let Some(heap) = s
                .value(Metric::HeapBytes)
                .filter(|_| sys.kind() == Some(BrokerKind::Mosquitto))
            {
                let text = match s.value(Metric::HeapMaxBytes) {
                    Some(max) => crate::tr!(
                        "sys-heap-of-max",
                        heap = format::bytes(heap as u64),
                        max = format::bytes(max as u64)
                    ),
                    None => format::bytes(heap as u64),
                };
                row_ui(ui, crate::tr!("sys-heap"), Some(text));
            }
        });
    if let Some(last) = sys.last_at() {
        ui.weak(crate::tr!(
            "sys-updated",
            ago = format::duration(Duration::from_secs_f64((now - last).max(0.0)))
        ));
    }
    ui.separator();
    chart_ui(
        ui,
        sys,
        now,
        "broker_messages_chart",
        crate::tr!("sys-chart-messages"),
        [Flow::MessagesIn, Flow::MessagesOut],
    );
    chart_ui(
        ui,
        sys,
        now,
        "broker_bytes_chart",
        crate::tr!("sys-chart-bytes"),
        [Flow::BytesIn, Flow::BytesOut],
    );
    // Brokers publish every few seconds; a repaint a second keeps "updated … ago" true.
    crate::app::redraw::after(ui.ctx(), Duration::from_secs(1));
}

/// A label and its value, or "—" when the broker does not state it.
fn row_ui(ui: &mut egui::Ui, label: String, value: Option<String>) {
    ui.label(label);
    match value {
        Some(v) => ui.monospace(v),
        None => ui.weak("—").on_hover_text(crate::tr!("sys-not-stated")),
    };
    ui.end_row();
}

fn rate_row_ui(ui: &mut egui::Ui, s: &BrokerStats, flow: Flow) {
    let value = s.rate(flow).map(|r| match flow {
        Flow::MessagesIn | Flow::MessagesOut => crate::tr!("sys-per-second", value = format!("{r:.1}")),
        Flow::BytesIn | Flow::BytesOut => crate::tr!("sys-per-second", value = format::bytes(r as u64)),
    });
    let source = if s.rate_is_brokers(flow) {
        crate::tr!("sys-rate-brokers")
    } else {
        crate::tr!("sys-rate-from-totals")
    };
    let label = ui.label(flow_label(flow));
    match value {
        Some(v) => {
            ui.monospace(v).on_hover_text(&source);
            label.on_hover_text(source);
        }
        None => {
            ui.weak("—").on_hover_text(crate::tr!("sys-not-stated"));
        }
    }
    ui.end_row();
}

fn flow_label(flow: Flow) -> String {
    match flow {
        Flow::MessagesIn => crate::tr!("sys-messages-in"),
        Flow::MessagesOut => crate::tr!("sys-messages-out"),
        Flow::BytesIn => crate::tr!("sys-bytes-in"),
        Flow::BytesOut => crate::tr!("sys-bytes-out"),
    }
}

/// "3 (of 12 known, at most 5)": connected, and the totals the broker gives.
fn clients(s: &BrokerStats) -> Option<String> {
    let connected = s.value(Metric::ClientsConnected)? as u64;
    let mut text = thousands(connected);
    if let Some(max) = s.value(Metric::ClientsMax) {
        text = crate::tr!("sys-clients-max", clients = text, max = thousands(max as u64));
    }
    if let Some(total) = s.value(Metric::ClientsTotal) {
        text = crate::tr!("sys-clients-total", clients = text, total = thousands(total as u64));
    }
    Some(text)
}

/// One chart of two flows over the last half hour.
fn chart_ui(ui: &mut egui::Ui, sys: &BrokerSys, now: f64, id: &str, title: String, flows: [Flow; 2]) {
    ui.strong(&title);
    if flows.iter().all(|f| sys.load(*f).is_none_or(|l| l.is_empty())) {
        ui.weak(crate::tr!("sys-chart-empty"));
        return;
    }
    // From the oldest point kept (at most half an hour back), and at least a minute.
    let oldest = flows
        .iter()
        .filter_map(|f| sys.load(*f).and_then(|l| l.points().next()))
        .map(|p| p[0])
        .fold(now - MIN_CHART_SECS, f64::min);
    let x0 = oldest.max(now - LOAD_WINDOW_SECS);
    Plot::new(id)
        .height(CHART_HEIGHT)
        .legend(Legend::default())
        .x_axis_formatter(|mark, _| clock_label(mark.value))
        .include_x(x0)
        .include_x(now)
        .include_y(0.0)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .show(ui, |plot_ui| {
            for (i, flow) in flows.into_iter().enumerate() {
                if let Some(series) = sys.load(flow) {
                    let points: Vec<[f64; 2]> = series.points().collect();
                    plot_ui.line(Line::new(flow_label(flow), PlotPoints::from(points)).color(theme::series_color(i)));
                }
            }
        });
}

fn clock_label(secs: f64) -> String {
    let t = std::time::UNIX_EPOCH + Duration::from_secs_f64(secs.max(0.0));
    let local: chrono::DateTime<chrono::Local> = t.into();
    local.format("%H:%M:%S").to_string()
}
