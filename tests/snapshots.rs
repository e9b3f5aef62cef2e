//! Image snapshots of the main layouts, rendered on the CPU (egui_kittest's wgpu renderer
//! on Mesa's lavapipe), so that a layout change shows in review as a changed PNG under
//! tests/snapshots. The window holds fixed data (messages from a fixed past time, no
//! broker, a paused chart), so the pictures do not change from run to run; the one live
//! figure, a message's age, is masked.
//!
//! After an intended change: `UPDATE_SNAPSHOTS=1 cargo test --test snapshots`, then look
//! at the new PNGs before committing them.

mod common;

use std::time::{Duration, SystemTime};

use common::window::*;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use topicscope::app::{StartOptions, TopicscopeApp};
use topicscope::model::JsonPath;
use topicscope::model::Message;
use topicscope::model::series::{Extractor, SeriesSpec};

/// 2026-01-01T12:00:00Z: old enough that no row glows as "just updated".
const BASE_SECS: u64 = 1_767_268_800;

fn window(dir: &std::path::Path, size: [f32; 2]) -> AppHarness {
    let path = dir.to_path_buf();
    let mut h = Harness::builder().with_size(size).wgpu().build_eframe(move |cc| {
        TopicscopeApp::new(
            cc,
            StartOptions {
                config_dir: Some(path),
                ..StartOptions::default()
            },
        )
    });
    let app = h.state_mut();
    app.ui.profile_dialog = None;
    let base = SystemTime::UNIX_EPOCH + Duration::from_secs(BASE_SECS);
    let readings = [
        ("home/living_room/temperature", "23.5"),
        ("greenhouse/sensor/air_temperature/state", "21.4"),
        ("greenhouse/sensor/soil_moisture/state", "38"),
        ("esp32/a1b2c3/status", "online"),
        (
            "zigbee2mqtt/bedroom_sensor",
            r#"{"battery":97,"humidity":46.8,"temperature":21.9,"linkquality":120}"#,
        ),
    ];
    let conn = app.state.conn_mut();
    for i in 0..6u64 {
        for (j, (topic, payload)) in readings.iter().enumerate() {
            let mut m = Message::new(*topic, *payload, 0, j % 2 == 0);
            m.time = base + Duration::from_secs(i * 10 + j as u64);
            conn.model.ingest(m);
        }
        let mut m = Message::new(
            "tele/tasmota_5C3F21/SENSOR",
            format!(
                r#"{{"Time":"2026-01-01T12:00:{:02}","AM2301":{{"Temperature":{},"Humidity":{}}},"TempUnit":"C"}}"#,
                i * 10,
                21.0 + i as f64 * 0.3,
                48 - i
            ),
            0,
            false,
        );
        m.time = base + Duration::from_secs(i * 10);
        conn.model.ingest(m);
    }
    h
}

fn select_sensor(h: &mut AppHarness) {
    h.get_by_label("Expand all").click();
    h.run_steps(2);
    // Revealed as the demo does (the row may be below the fold on a small screen).
    let app = h.state_mut();
    let id = app.state.conn().id;
    app.ui.conn_view(id).tree.reveal_when_present = Some("tele/tasmota_5C3F21/SENSOR".into());
    h.run_steps(3);
}

fn plot_paused(h: &mut AppHarness) {
    let app = h.state_mut();
    let spec = SeriesSpec {
        topic: "tele/tasmota_5C3F21/SENSOR".into(),
        extractor: Extractor::Json(JsonPath::parse("AM2301.Temperature").unwrap()),
        connection: None,
    };
    app.state.plot(spec, None);
    let chart = &mut app.state.charts.charts[0];
    chart.paused_at = Some(BASE_SECS as f64 + 55.0);
    h.run_steps(3);
}

/// Masks the message's age (the one figure that moves with the clock). The mask has a
/// fixed width, not the label's: the label grows and shrinks with the clock ("3 h" ...
/// "12 h"), and a mask of its width would move the edge of the masked area.
fn mask_age(h: &mut AppHarness) {
    const AGE_MASK_WIDTH: f32 = 240.0;
    let rects: Vec<egui::Rect> = h.query_all_by_label_contains("Age ").map(|n| n.rect()).collect();
    for r in rects {
        h.mask(egui::Rect::from_min_size(r.min, egui::vec2(AGE_MASK_WIDTH, r.height())));
    }
}

/// Compares the window as eframe shows it with `tests/snapshots/{name}.png`. kittest's
/// renderer clears the frame to transparent; eframe clears it to the app's
/// `clear_color`, which is the window's background (no panel paints it). So the picture
/// is laid over that colour first (egui's pixels are premultiplied: `src + bg × (1 − α)`).
fn snapshot(h: &mut AppHarness, name: &str) {
    let mut image = h.render().expect("the window renders");
    let visuals = h.ctx.global_style().visuals.clone();
    let bg = eframe::App::clear_color(h.state(), &visuals).map(|c| (c.clamp(0.0, 1.0) * 255.0).round());
    for px in image.pixels_mut() {
        let keep = 1.0 - f32::from(px[3]) / 255.0;
        for c in 0..3 {
            px[c] = (f32::from(px[c]) + bg[c] * keep).round().min(255.0) as u8;
        }
        px[3] = 255;
    }
    egui_kittest::image_snapshot(&image, name);
}

/// One layout snapshot (one harness per test: egui_kittest collects a test's snapshot
/// results in its harness).
fn layout_snapshot(name: &str, size: [f32; 2]) {
    let dir = tempfile::tempdir().unwrap();
    let mut h = window(dir.path(), size);
    h.run_steps(2);
    select_sensor(&mut h);
    plot_paused(&mut h);
    mask_age(&mut h);
    snapshot(&mut h, name);
}

#[test]
fn layout_on_a_laptop() {
    layout_snapshot("layout_1024x700", [1024.0, 700.0]);
}

#[test]
fn layout_on_a_desktop() {
    layout_snapshot("layout_1440x900", [1440.0, 900.0]);
}

#[test]
fn layout_on_a_large_screen() {
    layout_snapshot("layout_2560x1440", [2560.0, 1440.0]);
}

#[test]
fn the_command_palette_and_the_shortcuts() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = window(dir.path(), [1024.0, 700.0]);
    h.run_steps(2);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::K);
    h.run_steps(2);
    h.event(egui::Event::Text("pane".into()));
    h.run_steps(3);
    snapshot(&mut h, "palette_1024x700");
    h.key_press(egui::Key::Escape);
    h.run_steps(2);
    h.key_press(egui::Key::F1);
    h.run_steps(3);
    snapshot(&mut h, "shortcuts_1024x700");
}

/// The saved commands pane on a laptop, with the demo's commands, then the editor.
#[test]
fn the_saved_commands_and_their_editor() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = window(dir.path(), [1024.0, 700.0]);
    h.run_steps(2);
    let app = h.state_mut();
    app.state.conn_mut().profile.commands = topicscope::demo::example_commands();
    let ctx = h.ctx.clone();
    let app = h.state_mut();
    app.ui.run(
        &ctx,
        &mut app.state,
        topicscope::ui::Action::ShowPane(topicscope::ui::Pane::Commands),
    );
    h.run_steps(3);
    snapshot(&mut h, "commands_1024x700");
    let app = h.state_mut();
    let led = app.state.conn().profile.commands[3].clone();
    app.ui.panes.commands.editor = Some(topicscope::ui::panes::command_edit::CommandEditor::new(
        led,
        Some("ESP32 / LED colour".into()),
    ));
    h.run_steps(3);
    snapshot(&mut h, "command_editor_1024x700");
}
