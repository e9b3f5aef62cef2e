//! Files are saved and opened where the user picks, through the file dialog, driven as
//! a person would in the real window (egui_kittest, embedded broker on 127.0.0.1): a
//! chart's CSV and a payload saved into a folder typed into the dialog (the second
//! time after the "replace?" question), and a payload file loaded into the publish form.

mod common;

use std::path::Path;

use common::TestBroker;
use common::window::*;
use egui_kittest::kittest::Queryable;
use topicscope::model::series::{Extractor, SeriesSpec};
use topicscope::ui::PayloadFormat;
use topicscope::ui::file_dialog::{file_name_label, folder_label};

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn chart_csv_and_payload_are_saved_where_the_user_picks_and_a_file_loads_as_payload() {
    let broker = TestBroker::embedded();
    let config = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let mut h = connected_app(&broker, config.path());
    feed(&broker, &[("lab/temp", "21.5", false), ("lab/temp", "22.5", false)]);
    step_until(&mut h, "both readings arrived", |h| {
        h.state().state.conn().model.total_messages() >= 2
    });

    // The chart's CSV: the dialog offers a name; the file lands in the folder picked.
    h.state_mut().state.plot(
        SeriesSpec {
            topic: "lab/temp".into(),
            extractor: Extractor::Whole,
            connection: None,
        },
        None,
    );
    step_until(&mut h, "the chart is shown", |h| has_label(h, "Export CSV…"));
    h.get_by_label("Export CSV…").click();
    h.step();
    go_to_folder(&mut h, out.path());
    h.get_by_label("Save").click();
    step_until(&mut h, "the CSV is written", |_| !files_in(out.path()).is_empty());
    let csv_name = files_in(out.path()).remove(0);
    assert!(csv_name.ends_with(".csv"), "{csv_name}");
    let csv = std::fs::read_to_string(out.path().join(&csv_name)).unwrap();
    assert!(csv.contains("21.5") && csv.contains("22.5"), "{csv}");
    step_until(&mut h, "the dialog is closed and a toast says where", |h| {
        !has_label(h, &folder_label()) && has_label_containing(h, &csv_name)
    });

    // The payload, under a name typed into the dialog.
    select_topic(&mut h, "temp");
    step_until(&mut h, "the inspector shows the payload", |h| {
        has_label(h, "Save to file…")
    });
    h.get_by_label("Save to file…").click();
    h.step();
    // The payload dialog remembers nothing yet: it does not start in the CSV's folder.
    go_to_folder(&mut h, out.path());
    fill(&mut h, &file_name_label(), "reading.txt");
    h.get_by_label("Save").click();
    let saved = out.path().join("reading.txt");
    step_until(&mut h, "the payload is written", |_| saved.exists());
    assert_eq!(std::fs::read(&saved).unwrap(), b"22.5");

    // Saving again under the same name asks first; replacing writes the newer payload.
    feed(&broker, &[("lab/temp", "23.5", false)]);
    step_until(&mut h, "the new reading arrived", |h| {
        h.state().state.conn().model.total_messages() >= 3
    });
    std::fs::write(&saved, "old").unwrap();
    h.get_by_label("Save to file…").click();
    h.step();
    // This time the dialog starts in the folder the payload was saved to.
    step_until(&mut h, "the file dialog is open", |h| has_label(h, &folder_label()));
    fill(&mut h, &file_name_label(), "reading.txt");
    h.get_by_label("Save").click();
    step_until(&mut h, "the dialog asks before replacing", |h| has_label(h, "Replace"));
    assert_eq!(
        std::fs::read(&saved).unwrap(),
        b"old",
        "nothing written before the answer"
    );
    h.get_by_label("Replace").click();
    step_until(&mut h, "the payload replaced the file", |_| {
        std::fs::read(&saved).is_ok_and(|b| b == b"23.5")
    });

    // A file becomes the payload to publish: JSON as JSON. (The "saved" toasts are
    // dismissed first: they sit over the bottom-right corner, where the button is.)
    h.state_mut().ui.toasts.dismiss_all();
    let cmd = out.path().join("cmd.json");
    std::fs::write(&cmd, br#"{"state": "ON", "level": 3}"#).unwrap();
    h.get_by_label("Load payload from file…").click();
    h.step();
    go_to_folder(&mut h, out.path());
    h.get_by_label("🗋 cmd.json").click();
    h.step();
    h.step();
    // The dialog's button, not the connection bar's "Open" picker.
    h.get_by_role_and_label(egui::Role::Button, "Open").click();
    step_until(&mut h, "the file is in the payload field", |h| {
        h.state().ui.panes.publish.payload == r#"{"state": "ON", "level": 3}"#
    });
    assert_eq!(h.state().ui.panes.publish.format, PayloadFormat::Json);
}

#[test]
fn a_payload_file_larger_than_the_connection_accepts_is_refused_in_words() {
    let broker = TestBroker::embedded();
    let config = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let mut h = connected_app(&broker, config.path());
    let limit = h.state().state.conn().profile.max_packet_bytes;
    let big = out.path().join("big.bin");
    std::fs::File::create(&big).unwrap().set_len(limit as u64 + 1).unwrap();
    h.state_mut().ui.panes.publish.payload = "kept".into();
    h.get_by_label("Load payload from file…").click();
    h.step();
    go_to_folder(&mut h, out.path());
    h.get_by_label("🗋 big.bin").click();
    h.step();
    h.step();
    // The dialog's button, not the connection bar's "Open" picker.
    h.get_by_role_and_label(egui::Role::Button, "Open").click();
    step_until(&mut h, "the refusal is shown", |h| {
        h.state()
            .ui
            .panes
            .publish
            .error
            .as_deref()
            .is_some_and(|e| e.contains("larger than"))
    });
    assert_eq!(h.state().ui.panes.publish.payload, "kept");
}
