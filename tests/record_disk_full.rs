//! A recording that fills the disk: on a 2 MiB tmpfs (mounted for the test; we run as
//! root here and in CI, and a mount that fails fails the test), with no size limit,
//! from the window and from `topicscope record`. Nothing panics; the recording stops and
//! says in words that the disk is full; the file left behind opens with the recording
//! reader and holds the messages committed before, each byte for byte as sent.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread::{self, JoinHandle};

use common::TestBroker;
use common::run::{run, text, topicscope};
use common::window::*;
use egui_kittest::kittest::Queryable;
use topicscope::record::{Recording, RecordingQuery};
use topicscope::ui::Action;

/// A small tmpfs mounted on a fresh folder, unmounted when dropped.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(size: &str) -> SmallDisk {
        let dir = tempfile::tempdir().unwrap();
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .output()
            .unwrap_or_else(|e| panic!("cannot run mount (this test needs root and mount): {e}"));
        assert!(
            out.status.success(),
            "cannot mount a {size} tmpfs on {} (this test needs root): {}",
            dir.path().display(),
            text(&out.stderr)
        );
        SmallDisk { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        // Lazily, so that a file a failed assertion left open cannot keep it mounted.
        let _ = Command::new("umount").arg("-l").arg(self.dir.path()).status();
    }
}

/// The payload of message `i`: its number, then 1000 bytes that are not text (zero
/// bytes included), so that a recorded message can be checked against what was sent.
fn payload(i: u64) -> Vec<u8> {
    let mut out = i.to_be_bytes().to_vec();
    let mut x = i.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    out.extend((0..1000).map(|_| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x as u8
    }));
    out
}

fn topic(i: u64) -> String {
    format!("full/{}", i % 10)
}

/// Publishes numbered messages at QoS 1 from its own client until dropped, about 1,000
/// a second (1 MB/s): several commits (one every 500 ms) reach the disk before it is
/// full. Faster, the first transaction alone would fill it, and a transaction cut by a
/// full disk is rolled back whole, so the file would rightly be empty.
struct Flood {
    stop: Arc<AtomicBool>,
    sent: Arc<AtomicU64>,
    thread: Option<JoinHandle<()>>,
}

impl Flood {
    fn start(broker: &TestBroker) -> Flood {
        let (client, mut connection) = rumqttc::Client::new(broker.client_options("disk-full-flood"), 100);
        thread::spawn(move || for _ in connection.iter() {});
        let (stop, sent) = (Arc::new(AtomicBool::new(false)), Arc::new(AtomicU64::new(0)));
        let (s, n) = (Arc::clone(&stop), Arc::clone(&sent));
        let thread = thread::spawn(move || {
            let mut i = 0;
            while !s.load(Ordering::Relaxed) {
                if client
                    .publish(topic(i), rumqttc::QoS::AtLeastOnce, false, payload(i))
                    .is_err()
                {
                    break;
                }
                i += 1;
                n.store(i, Ordering::Relaxed);
                if i % 2 == 0 {
                    thread::sleep(std::time::Duration::from_millis(2));
                }
            }
            let _ = client.disconnect();
        });
        Flood {
            stop,
            sent,
            thread: Some(thread),
        }
    }
}

impl Drop for Flood {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Opens what is left with the recording reader and checks every message against what
/// was sent under its number; returns how many there are.
fn check_left_behind(file: &Path) -> u64 {
    let rec = Recording::open(file).unwrap_or_else(|e| panic!("the file left behind does not open: {e}"));
    let mut count = 0;
    rec.for_each(&RecordingQuery::default(), |r| {
        let m = r.message;
        let i = u64::from_be_bytes(m.payload[..8].try_into().unwrap());
        assert_eq!(&m.payload[..], &payload(i)[..], "message {i} is not what was sent");
        assert_eq!(m.topic, topic(i), "message {i}");
        count += 1;
        true
    })
    .unwrap_or_else(|e| panic!("reading the file left behind: {e}"));
    assert!(count > 0, "nothing committed before the disk filled was kept");
    count
}

#[test]
fn recording_from_the_window_onto_a_full_disk_stops_in_words_and_keeps_what_was_committed() {
    let disk = SmallDisk::mount("2m");
    let broker = TestBroker::embedded();
    let config = tempfile::tempdir().unwrap();
    let mut h = connected_app(&broker, config.path());
    let file: PathBuf = disk.path().join("full.tsrec");
    run_action(&mut h, Action::Record);
    fill(&mut h, "File", &file.display().to_string());
    h.get_by_label("Start recording").click();
    h.step();
    h.step();
    assert!(h.state().state.conn().recording.is_some(), "recording");
    assert!(
        has_label_containing(&h, "recording full.tsrec: "),
        "the indicator shows"
    );

    let flood = Flood::start(&broker);
    step_until(&mut h, "the recording stops on its own", |h| {
        h.state().state.conn().recording.is_none()
    });
    let sent = flood.sent.load(Ordering::Relaxed);
    drop(flood);
    h.step();
    h.step();
    assert!(
        has_label_containing(&h, "the disk is full"),
        "the window says the disk is full"
    );
    assert!(
        !has_label_containing(&h, "recording full.tsrec: "),
        "the indicator is gone"
    );
    assert!(has_label(&h, "⏺ Record…"), "the Record button is back");
    let kept = check_left_behind(&file);
    eprintln!("window: {sent} sent, {kept} kept on a 2 MiB disk");
}

#[test]
fn topicscope_record_onto_a_full_disk_exits_non_zero_saying_so_and_keeps_what_was_committed() {
    let disk = SmallDisk::mount("2m");
    let broker = TestBroker::embedded();
    let file = disk.path().join("cli.tsrec");
    let flood = Flood::start(&broker);
    let mut command = topicscope();
    command
        .args(["record", "--broker", &broker.url(), "-t", "full/#", "-o"])
        .arg(&file);
    let out = run(command);
    let sent = flood.sent.load(Ordering::Relaxed);
    drop(flood);
    let stderr = text(&out.stderr);
    assert!(!out.status.success(), "exit status {}: {stderr}", out.status);
    assert!(stderr.contains("the disk is full"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let kept = check_left_behind(&file);
    eprintln!("cli: {sent} sent, {kept} kept on a 2 MiB disk");
}
