//! Hostile or shared settings files, through the binary as a person meets them: a FIFO
//! or a link to an endless device as `profiles.ron` fails fast with a sentence (it used
//! to hang start-up or read until memory ran out), a Notepad BOM is accepted, and the
//! temporary files of a killed save are removed when Topicscope next starts.

mod common;

use std::time::{Duration, SystemTime};

use common::run::{run, text};

fn profiles_in(dir: &std::path::Path) -> std::process::Output {
    let mut c = common::run::topicscope();
    c.env("TOPICSCOPE_CONFIG_DIR", dir).arg("profiles");
    run(c)
}

#[cfg(unix)]
#[test]
fn a_fifo_or_a_device_as_the_profiles_file_fails_fast_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("profiles.ron");
    let status = std::process::Command::new("mkfifo").arg(&path).status().unwrap();
    assert!(status.success());
    let out = profiles_in(dir.path());
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("it is a named pipe (FIFO), not a regular file"),
        "{}",
        text(&out.stderr)
    );

    std::fs::remove_file(&path).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &path).unwrap();
    let out = profiles_in(dir.path());
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("it is a device, not a regular file"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_byte_order_mark_is_accepted_and_stale_temporary_files_are_removed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("profiles.ron"),
        "\u{feff}(version: 1, profiles: [(name: \"From Notepad\", broker_url: \"mqtt://pi:1883\")])\r\n",
    )
    .unwrap();
    let stale = dir.path().join(".profiles.ron.5eed1e55.tmp");
    std::fs::write(&stale, "(profiles: [(name: \"X\", password: \"hunter2\")])").unwrap();
    let file = std::fs::File::options().write(true).open(&stale).unwrap();
    file.set_modified(SystemTime::now() - Duration::from_secs(3600))
        .unwrap();
    drop(file);

    let out = profiles_in(dir.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).starts_with("From Notepad\tmqtt://pi:1883"),
        "{}",
        text(&out.stdout)
    );
    assert!(
        !stale.exists(),
        "the temporary file of a killed save (with a password) was left"
    );
}
