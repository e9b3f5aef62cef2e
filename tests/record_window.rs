//! Recording from the real window (egui_kittest, the embedded broker on 127.0.0.1):
//! the Record button and dialog start a recording of the connection's chosen topics,
//! the connection bar shows it running, Stop ends it, and the file read back with the
//! recording reader holds exactly what was published, byte for byte; closing the
//! connection stops a recording cleanly too; an unwritable file is refused in words.

mod common;

use std::path::Path;
use std::time::Instant;

use common::TestBroker;
use common::window::*;
use egui_kittest::kittest::{NodeT as _, Queryable};
use topicscope::mqtt::{Command, Event, PublishRequest, WorkerHandle};
use topicscope::profiles::Profile;
use topicscope::record::{Recording, RecordingQuery};
use topicscope::ui::Action;
use topicscope::ui::file_dialog::file_name_label;

/// Publishes `(topic, payload, qos, retain)` from a client of its own and waits for
/// every acknowledgement (QoS 0 ones are followed by a QoS 1 marker in order).
fn publish_bytes(broker: &TestBroker, messages: &[(&str, Vec<u8>, u8, bool)]) {
    let worker = WorkerHandle::spawn(None).unwrap();
    let mut p = Profile::new("feeder", broker.url());
    p.subscriptions.clear();
    worker.send_blocking(Command::Connect(Box::new(p))).unwrap();
    for (i, (topic, payload, qos, retain)) in messages.iter().enumerate() {
        let req = PublishRequest::new(i as u64 + 1, *topic, payload.clone(), *qos, *retain);
        worker.send_blocking(Command::Publish(req)).unwrap();
    }
    let want = messages.iter().filter(|m| m.2 > 0).count();
    let (mut acked, deadline) = (0, Instant::now() + WAIT);
    while acked < want {
        match worker.events.recv_deadline(deadline) {
            Ok(Event::PublishAcked { .. }) => acked += 1,
            Ok(Event::PublishFailed { reason, .. }) => panic!("publish failed: {reason}"),
            Ok(_) => {}
            Err(_) => panic!("only {acked} of {want} publishes acknowledged"),
        }
    }
}

/// Opens the Record dialog with the connection bar's button and fills it in.
fn record_dialog(h: &mut AppHarness, file: &Path, topics: &str) {
    h.get_by_label("⏺ Record…").click();
    h.step();
    h.step();
    // Every field of the dialog has a name.
    h.check_accessibility();
    let default = h
        .state()
        .ui
        .record_dialog
        .as_ref()
        .expect("the dialog opened")
        .path
        .clone();
    assert!(
        default.contains("topicscope-recordings") && default.ends_with(".tsrec"),
        "{default}"
    );
    fill(h, "File", &file.display().to_string());
    if !topics.is_empty() {
        fill(h, "Topic filters", topics);
    }
    h.get_by_label("Start recording").click();
    h.step();
    h.step();
}

/// The indicator's text in the connection bar, while one shows.
fn indicator(h: &AppHarness) -> Option<String> {
    h.query_all_by_label_contains("recording greenhouse.tsrec: ")
        .next()
        .and_then(|n| n.accesskit_node().label().or_else(|| n.accesskit_node().value()))
}

fn recorded(h: &AppHarness) -> u64 {
    h.state()
        .state
        .conn()
        .recording
        .as_ref()
        .map_or(0, |r| r.stats().messages)
}

/// Everything the file holds, in order.
fn read_back(file: &Path) -> Vec<(String, Vec<u8>, u8, bool)> {
    let rec = Recording::open(file).unwrap_or_else(|e| panic!("{e}"));
    let mut got = Vec::new();
    rec.for_each(&RecordingQuery::default(), |r| {
        let m = r.message;
        got.push((m.topic, m.payload.to_vec(), m.qos, m.retain));
        true
    })
    .unwrap();
    got
}

#[test]
fn a_recording_started_in_the_window_holds_the_published_messages_byte_for_byte() {
    let broker = TestBroker::embedded();
    let dir = tempfile::tempdir().unwrap();
    let mut h = connected_app(&broker, dir.path());
    // The record and stop symbols are drawn, not boxes.
    let font = egui::FontId::proportional(14.0);
    let missing: String = h
        .ctx
        .fonts_mut(|f| "⏺⏹".chars().filter(|&c| !f.has_glyph(&font, c)).collect());
    assert!(missing.is_empty(), "no glyph for {missing:?}");
    let file = dir.path().join("night").join("greenhouse.tsrec");
    record_dialog(&mut h, &file, "greenhouse/#");
    assert!(h.state().ui.record_dialog.is_none(), "the dialog closed");
    assert!(h.state().state.conn().recording.is_some(), "recording");
    assert!(
        has_label_containing(&h, "recording greenhouse.tsrec"),
        "the connection bar shows the file being recorded"
    );
    assert!(has_label(&h, "⏺"), "the connection's tab shows it records");

    let sent: Vec<(&str, Vec<u8>, u8, bool)> = vec![
        ("greenhouse/air/temp", b"21.5".to_vec(), 1, false),
        ("kitchen/temp", b"19".to_vec(), 1, false),
        ("greenhouse/raw", vec![0, 159, 146, 150, 255, 10, 13], 1, false),
        ("greenhouse/温室/湿度", "六十二".as_bytes().to_vec(), 1, false),
        ("greenhouse/config", br#"{"interval": 30}"#.to_vec(), 1, true),
        ("greenhouse/empty", Vec::new(), 1, false),
    ];
    publish_bytes(&broker, &sent);
    let wanted: Vec<(String, Vec<u8>, u8, bool)> = sent
        .iter()
        .filter(|m| m.0.starts_with("greenhouse/"))
        .map(|(t, p, q, r)| (t.to_string(), p.clone(), *q, *r))
        .collect();
    step_until(&mut h, "the messages are recorded", |h| {
        recorded(h) == wanted.len() as u64
    });
    // "recording greenhouse.tsrec: 36 KB, 1.7/s": the size on disk and a rate above 0.
    step_until(&mut h, "the indicator shows the size and a rate", |h| {
        indicator(h).is_some_and(|t| !t.ends_with(" 0.0/s") && !t.contains(": 0 B,"))
    });

    h.get_by_label("⏹ Stop").click();
    h.step();
    h.step();
    assert!(h.state().state.conn().recording.is_none(), "stopped");
    assert!(indicator(&h).is_none(), "the indicator is gone");
    assert!(
        has_label_containing(&h, "Recorded 5 messages"),
        "the summary says how many"
    );
    assert!(has_label(&h, "⏺ Record…"), "the button is back");

    // The subscription QoS may lower the QoS delivered; topics, payloads and the retain
    // flag are the broker's own.
    let got = read_back(&file);
    let strip = |v: &[(String, Vec<u8>, u8, bool)]| -> Vec<(String, Vec<u8>)> {
        v.iter().map(|(t, p, _, _)| (t.clone(), p.clone())).collect()
    };
    assert_eq!(
        strip(&got),
        strip(&wanted),
        "topics and payloads byte-identical, in order"
    );
    let conn_qos = h.state().state.conn().subscriptions[0].qos;
    for (g, w) in got.iter().zip(&wanted) {
        assert_eq!(g.2, w.2.min(conn_qos), "QoS of {}", g.0);
    }
    let events: Vec<String> = Recording::open(&file)
        .unwrap()
        .events()
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(events.first().map(String::as_str), Some("started"), "{events:?}");
    assert_eq!(events.last().map(String::as_str), Some("stopped"), "{events:?}");
    let wal = std::path::PathBuf::from(format!("{}-wal", file.display()));
    assert!(
        std::fs::metadata(&wal).map_or(0, |m| m.len()) == 0,
        "the WAL is folded into the file"
    );
}

#[test]
fn closing_the_connection_stops_its_recording_with_nothing_lost() {
    let broker = TestBroker::embedded();
    let dir = tempfile::tempdir().unwrap();
    let mut h = connected_app(&broker, dir.path());
    let file = dir.path().join("all.tsrec");
    // The palette's action opens the same dialog; all topics by default.
    run_action(&mut h, Action::Record);
    assert!(h.state().ui.record_dialog.is_some());
    fill(&mut h, "File", &file.display().to_string());
    h.get_by_label("Start recording").click();
    h.step();
    assert!(h.state().state.conn().recording.is_some());
    let sent: Vec<(&str, Vec<u8>, u8, bool)> = (0..50)
        .map(|i| ("esp32/a1/count", format!("{i}").into_bytes(), 1, false))
        .collect();
    publish_bytes(&broker, &sent);
    step_until(&mut h, "the messages are recorded", |h| recorded(h) >= 50);
    run_action(&mut h, Action::CloseConnection);
    assert!(
        has_label_containing(&h, "Recorded 50 messages"),
        "closing says where the recording went"
    );
    let got = read_back(&file);
    let payloads: Vec<Vec<u8>> = got.into_iter().map(|m| m.1).collect();
    let want: Vec<Vec<u8>> = sent.into_iter().map(|m| m.1).collect();
    assert_eq!(payloads, want);
}

#[test]
fn an_unwritable_file_is_refused_in_words_and_nothing_records() {
    let broker = TestBroker::embedded();
    let dir = tempfile::tempdir().unwrap();
    let mut h = connected_app(&broker, dir.path());
    // A folder cannot be made inside a plain file, whoever runs the test (even root).
    let blocker = dir.path().join("not-a-folder");
    std::fs::write(&blocker, b"x").unwrap();
    let file = blocker.join("sub").join("x.tsrec");
    record_dialog(&mut h, &file, "");
    let dialog = h.state().ui.record_dialog.as_ref().expect("the dialog stays open");
    let error = dialog.error.clone().expect("an error is shown");
    assert!(error.starts_with("cannot use"), "{error}");
    assert!(error.contains("not-a-folder"), "{error}");
    assert!(has_label(&h, &error), "the error is on screen");
    assert!(h.state().state.conn().recording.is_none());
    // A bad filter and a bad size are said too, and the dialog can be cancelled.
    fill(&mut h, "File", &dir.path().join("ok.tsrec").display().to_string());
    fill(&mut h, "Topic filters", "a/#/b");
    h.get_by_label("Start recording").click();
    h.step();
    let error = h.state().ui.record_dialog.as_ref().unwrap().error.clone().unwrap();
    assert!(error.contains("a/#/b"), "{error}");
    fill(&mut h, "Topic filters", "");
    fill(&mut h, "Size limit", "huge");
    h.get_by_label("Start recording").click();
    h.step();
    let error = h.state().ui.record_dialog.as_ref().unwrap().error.clone().unwrap();
    assert!(error.contains("huge"), "{error}");
    h.get_by_label("Cancel").click();
    h.step();
    assert!(h.state().ui.record_dialog.is_none());
    assert!(h.state().state.conn().recording.is_none());
    assert!(!dir.path().join("ok.tsrec").exists(), "nothing was created");
}

/// Opens "Export messages…" on the tree's `greenhouse` and picks CSV.
fn open_csv_export(h: &mut AppHarness) {
    h.get_by_label("greenhouse").click_secondary();
    h.step();
    h.step();
    h.get_by_label("Export messages…").click();
    // The modal is centred once its size is known: a click before then lands where
    // its button no longer is.
    for _ in 0..4 {
        h.step();
    }
    h.get_by_label("CSV").click();
    h.step();
}

#[test]
fn a_subtree_exports_from_the_tree_to_json_lines_and_csv() {
    let broker = TestBroker::embedded();
    let dir = tempfile::tempdir().unwrap();
    let mut h = connected_app(&broker, dir.path());
    let sent: Vec<(&str, Vec<u8>, u8, bool)> = vec![
        ("greenhouse/air", br#"{"temp": 21.5, "rh": 60}"#.to_vec(), 1, false),
        ("greenhouse/soil", b"31".to_vec(), 1, false),
        ("greenhouse/cam", vec![0xff, 0xd8, 0x00], 1, false),
        ("kitchen/temp", b"19".to_vec(), 1, false),
    ];
    publish_bytes(&broker, &sent);
    step_until(&mut h, "all arrived", |h| {
        h.state().state.conn().model.total_messages() >= 4
    });
    h.get_by_label("Expand all").click();
    h.step();
    h.get_by_label("greenhouse").click_secondary();
    h.step();
    h.step();
    h.get_by_label("Export messages…").click();
    h.step();
    h.step();
    let d = topicscope::ui::export_dialog::current(&h.ctx).expect("the export dialog opened");
    assert_eq!((d.topic.as_str(), d.kept), ("greenhouse", 3));
    assert!(
        d.path.ends_with(".jsonl") && d.path.contains("greenhouse-"),
        "{}",
        d.path
    );
    h.check_accessibility();

    let jsonl = dir.path().join("out").join("gh.jsonl");
    fill(&mut h, "Export to", &jsonl.display().to_string());
    h.get_by_label("Export").click();
    h.step();
    assert!(
        topicscope::ui::export_dialog::current(&h.ctx).is_none(),
        "closed once written"
    );
    step_until(&mut h, "the export is announced", |h| {
        has_label_containing(h, "Exported 3 messages")
    });
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&jsonl)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let topics: Vec<&str> = lines.iter().map(|l| l["topic"].as_str().unwrap()).collect();
    assert_eq!(topics, ["greenhouse/air", "greenhouse/soil", "greenhouse/cam"]);
    assert_eq!(lines[1]["payload"], "31");
    assert_eq!(
        lines[2]["payload_base64"], "/9gA",
        "bytes that are not text go as base64"
    );

    // CSV: the numbers, one column per topic or JSON field.
    open_csv_export(&mut h);
    let d = topicscope::ui::export_dialog::current(&h.ctx).unwrap();
    assert!(d.path.ends_with(".csv"), "the extension follows the format: {}", d.path);
    let csv = dir.path().join("gh.csv");
    fill(&mut h, "Export to", &csv.display().to_string());
    h.get_by_label("Export").click();
    h.step();
    let text = std::fs::read_to_string(&csv).unwrap();
    let header = text.lines().next().unwrap();
    assert!(header.starts_with("time,greenhouse/air "), "{header}");
    assert!(header.ends_with(",greenhouse/soil"), "{header}");
    assert_eq!(header.split(',').count(), 4, "{header}");

    // The same file again: nothing is written over until the user says so.
    std::fs::write(&csv, "keep me").unwrap();
    open_csv_export(&mut h);
    fill(&mut h, "Export to", &csv.display().to_string());
    h.get_by_label("Export").click();
    h.step();
    h.step();
    assert_eq!(
        std::fs::read_to_string(&csv).unwrap(),
        "keep me",
        "not replaced unasked"
    );
    let d = topicscope::ui::export_dialog::current(&h.ctx).expect("the dialog stays open");
    let error = d.error.expect("it says the file exists");
    assert!(error.contains("already exists") && error.contains("gh.csv"), "{error}");
    assert!(has_label(&h, &error), "the warning is on screen");
    // A second click on Export (a double click) does not write over it either. (The
    // dialog grew by the warning: it is centred again first, as a hand would find it.)
    for _ in 0..3 {
        h.step();
    }
    h.get_by_label("Export").click();
    h.step();
    assert_eq!(
        std::fs::read_to_string(&csv).unwrap(),
        "keep me",
        "Export twice is not Replace"
    );
    // The dialog grew by the warning: it is centred again before the next click.
    for _ in 0..3 {
        h.step();
    }
    h.get_by_label("Replace it").click();
    h.step();
    assert!(
        std::fs::read_to_string(&csv)
            .unwrap()
            .starts_with("time,greenhouse/air "),
        "replaced once asked again"
    );
    assert!(topicscope::ui::export_dialog::current(&h.ctx).is_none(), "closed");

    // "Browse…" picks the file in the file dialog; its own "replace?" is the only question.
    std::fs::write(&csv, "keep me too").unwrap();
    open_csv_export(&mut h);
    h.get_by_label("Browse…").click();
    h.step();
    go_to_folder(&mut h, dir.path());
    assert!(
        !has_label(&h, "Export"),
        "the export dialog steps aside for the file dialog"
    );
    fill(&mut h, &file_name_label(), "gh.csv");
    h.get_by_label("Save").click();
    step_until(&mut h, "the file dialog asks before picking a file that exists", |h| {
        has_label(h, "Replace")
    });
    h.get_by_label("Replace").click();
    step_until(&mut h, "the export dialog is back with the file picked", |h| {
        topicscope::ui::export_dialog::current(&h.ctx).is_some_and(|d| std::path::Path::new(&d.path) == csv.as_path())
            && has_label(h, "Export")
    });
    assert_eq!(std::fs::read_to_string(&csv).unwrap(), "keep me too", "not yet written");
    for _ in 0..3 {
        h.step();
    }
    h.get_by_label("Export").click();
    h.step();
    assert!(std::fs::read_to_string(&csv).unwrap().starts_with("time,"));
}

#[test]
fn browse_in_the_record_dialog_picks_where_the_recording_goes() {
    let broker = TestBroker::embedded();
    let dir = tempfile::tempdir().unwrap();
    let mut h = connected_app(&broker, dir.path());
    h.get_by_label("⏺ Record…").click();
    h.step();
    h.step();
    // The modal is centred once its size is known: a click before then lands where
    // its button no longer is.
    for _ in 0..4 {
        h.step();
    }
    h.get_by_label("Browse…").click();
    h.step();
    go_to_folder(&mut h, dir.path());
    assert!(
        !has_label(&h, "Start recording"),
        "the Record dialog steps aside for the file dialog"
    );
    // The dialog offers the default file's name.
    let offered = h
        .get_by_label(&file_name_label())
        .accesskit_node()
        .value()
        .unwrap_or_default();
    assert!(offered.ends_with(".tsrec"), "{offered}");
    // Typed without the extension: the recording gets it.
    fill(&mut h, &file_name_label(), "夜间");
    h.get_by_label("Save").click();
    step_until(&mut h, "the Record dialog is back", |h| has_label(h, "Start recording"));
    let file = dir.path().join("夜间.tsrec");
    let d = h.state().ui.record_dialog.as_ref().expect("still open");
    assert_eq!(std::path::Path::new(d.path.as_str()), file.as_path());
    assert!(!file.exists(), "nothing is written before Start");
    h.get_by_label("Start recording").click();
    h.step();
    h.step();
    assert!(h.state().state.conn().recording.is_some(), "recording");
    publish_bytes(&broker, &[("greenhouse/air/temp", b"21.5".to_vec(), 1, false)]);
    step_until(&mut h, "the message is recorded", |h| recorded(h) == 1);
    h.get_by_label("⏹ Stop").click();
    h.step();
    assert_eq!(read_back(&file).len(), 1, "the recording is in the file picked");
}
