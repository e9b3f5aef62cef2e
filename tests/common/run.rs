//! Driving topicscope from the transport and connection-option tests: the `topicscope`
//! binary as a user runs it, and the worker as the window uses it, each with a hard
//! deadline so a hang fails one test instead of stalling the suite.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use topicscope::model::Message;
use topicscope::mqtt::{Command as WorkerCommand, ConnectionState, Event, WorkerHandle};
use topicscope::profiles::Profile;

/// How long any single step may take.
pub const WAIT: Duration = Duration::from_secs(20);

/// The binary, reading an empty config directory rather than the developer's profiles.
pub fn topicscope() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_topicscope"));
    c.env(
        "TOPICSCOPE_CONFIG_DIR",
        std::env::temp_dir().join("topicscope-cli-tests-empty"),
    );
    c
}

/// `topicscope ARGS…` to completion within [`WAIT`].
pub fn run_topicscope(args: &[&str]) -> Output {
    let mut command = topicscope();
    command.args(args);
    run(command)
}

/// Runs to completion within [`WAIT`]; a hang is killed and fails the test.
pub fn run(mut command: Command) -> Output {
    let child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn topicscope");
    wait_with_deadline(child)
}

/// Waits for a spawned child within [`WAIT`]; a hang is killed and fails the test.
pub fn wait_with_deadline(mut child: Child) -> Output {
    let start = Instant::now();
    loop {
        if child.try_wait().expect("poll the child").is_some() {
            return child.wait_with_output().expect("child output");
        }
        if start.elapsed() > WAIT {
            let _ = child.kill();
            let out = child.wait_with_output().expect("child output");
            panic!("did not exit within {WAIT:?}; stderr: {}", text(&out.stderr));
        }
        thread::sleep(Duration::from_millis(20));
    }
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A running child whose stdout is read line by line as it arrives; killed on drop.
#[derive(Debug)]
pub struct LineChild {
    pub child: Child,
    lines: mpsc::Receiver<String>,
}

impl LineChild {
    pub fn spawn(mut command: Command) -> LineChild {
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn the child");
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, lines) = mpsc::channel();
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        LineChild { child, lines }
    }

    /// The next line of output, or a panic naming `what` after [`WAIT`].
    pub fn next_line(&self, what: &str) -> String {
        self.lines
            .recv_timeout(WAIT)
            .unwrap_or_else(|_| panic!("no output line within {WAIT:?} ({what})"))
    }

    /// Kills the process at once (SIGKILL): no MQTT DISCONNECT is sent.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for LineChild {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A worker told to connect with `profile`: `Ok` once connected, `Err` with the reason
/// the worker shows for the first failed attempt.
pub fn connect_worker(profile: &Profile) -> Result<WorkerHandle, String> {
    let worker = WorkerHandle::spawn(None).expect("spawn the worker");
    worker
        .send_blocking(WorkerCommand::Connect(Box::new(profile.clone())))
        .expect("send Connect");
    let deadline = Instant::now() + WAIT;
    loop {
        match worker.events.recv_deadline(deadline) {
            Ok(Event::State(ConnectionState::Connected { .. })) => return Ok(worker),
            Ok(Event::State(
                ConnectionState::Reconnecting { reason, .. } | ConnectionState::Disconnected { reason: Some(reason) },
            )) => return Err(reason),
            Ok(_) => {}
            Err(_) => panic!("the worker neither connected nor failed within {WAIT:?}"),
        }
    }
}

/// Consumes events until `done` says so; panics naming `what` after [`WAIT`].
pub fn wait_for(worker: &WorkerHandle, what: &str, mut done: impl FnMut(&Event) -> bool) {
    let deadline = Instant::now() + WAIT;
    loop {
        match worker.events.recv_deadline(deadline) {
            Ok(event) if done(&event) => return,
            Ok(_) => {}
            Err(_) => panic!("timed out waiting for {what}"),
        }
    }
}

/// The next message the worker receives (other events are dropped).
pub fn next_message(worker: &WorkerHandle) -> Message {
    let mut received = None;
    wait_for(worker, "a message", |event| {
        if let Event::Messages(batch) = event {
            received = batch.first().cloned();
        }
        received.is_some()
    });
    received.expect("a message")
}
