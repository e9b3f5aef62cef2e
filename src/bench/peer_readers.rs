//! The other programs `bench peers` measures Topicscope against, as processes: the three
//! command-line readers (`mosquitto_sub`, `topicscope sub --quiet`, `mqttui log`), timed
//! until each has read a given number of messages, and mqttui's interactive viewer in a
//! tmux pseudo-terminal of a fixed size, whose screen can be read.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use super::mosquitto::{Mosquitto, find_program};

/// A command-line reader of a topic filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// `mosquitto_sub -C N` to /dev/null: exits after N messages.
    MosquittoSub,
    /// `topicscope sub --quiet -C N` to /dev/null: exits after N messages.
    TopicscopeSub,
    /// `mqttui log` to a pipe: one line a message, counted here until N.
    MqttuiLog,
}

impl Reader {
    pub const ALL: [Reader; 3] = [Reader::MosquittoSub, Reader::TopicscopeSub, Reader::MqttuiLog];

    /// The key it is printed under.
    pub fn key(self) -> &'static str {
        match self {
            Reader::MosquittoSub => "mosquitto_sub",
            Reader::TopicscopeSub => "topicscope-sub",
            Reader::MqttuiLog => "mqttui-log",
        }
    }
}

/// A process killed (and reaped) on drop.
pub struct KillOnDrop(pub Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A reader under way.
pub struct Running {
    reader: Reader,
    child: KillOnDrop,
    messages: usize,
    /// For `mqttui log`: the lines counted so far, and when the last one needed came.
    lines: Option<(Arc<AtomicU64>, Receiver<Instant>)>,
}

/// Starts `reader` on `filter` at QoS 0, to read `messages` messages.
pub fn spawn(
    reader: Reader,
    mqttui: &Path,
    broker: &Mosquitto,
    filter: &str,
    messages: usize,
) -> Result<Running, String> {
    let mut command = match reader {
        Reader::MosquittoSub => {
            let mut c = Command::new(mosquitto_sub()?);
            c.args([
                "-h",
                "127.0.0.1",
                "-p",
                &broker.port.to_string(),
                "-t",
                filter,
                "-q",
                "0",
            ])
            .args(["-C", &messages.to_string()]);
            c
        }
        Reader::TopicscopeSub => {
            let exe = std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?;
            let mut c = Command::new(exe);
            c.args(["sub", "--broker", &broker.url(), "-t", filter, "--quiet"])
                .args(["-C", &messages.to_string()]);
            c
        }
        Reader::MqttuiLog => {
            let mut c = Command::new(mqttui);
            c.args(["--broker", &broker.url(), "--qos", "0", "log", filter]);
            c
        }
    };
    let piped = reader == Reader::MqttuiLog;
    let child = command
        .stdin(Stdio::null())
        .stdout(if piped { Stdio::piped() } else { Stdio::null() })
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", reader.key()))?;
    let mut child = KillOnDrop(child);
    let lines = match child.0.stdout.take() {
        Some(out) if piped => Some(count_lines(out, messages as u64)?),
        _ => None,
    };
    Ok(Running {
        reader,
        child,
        messages,
        lines,
    })
}

fn mosquitto_sub() -> Result<PathBuf, String> {
    find_program("mosquitto_sub").ok_or_else(|| "this benchmark needs mosquitto_sub (mosquitto-clients)".into())
}

/// Counts the lines of `out` on a thread; says when the `wanted`-th came.
fn count_lines(
    mut out: impl Read + Send + 'static,
    wanted: u64,
) -> Result<(Arc<AtomicU64>, Receiver<Instant>), String> {
    let counted = Arc::new(AtomicU64::new(0));
    let (tx, rx) = mpsc::channel();
    let shared = counted.clone();
    std::thread::Builder::new()
        .name("bench-peers-lines".into())
        .spawn(move || {
            let mut buf = vec![0u8; 256 * 1024];
            let mut n = 0u64;
            while let Ok(len @ 1..) = out.read(&mut buf) {
                n += buf[..len].iter().filter(|&&b| b == b'\n').count() as u64;
                shared.store(n, Ordering::Relaxed);
                if n >= wanted {
                    let _ = tx.send(Instant::now());
                    return;
                }
            }
        })
        .map_err(|e| format!("cannot start a thread: {e}"))?;
    Ok((counted, rx))
}

impl Running {
    /// Waits until the reader has read all its messages, at most until `deadline`, and
    /// says when it had.
    pub fn finished(mut self, deadline: Instant) -> Result<Instant, String> {
        let name = self.reader.key();
        loop {
            if let Some((counted, done)) = &self.lines {
                match done.recv_timeout(Duration::from_millis(2)) {
                    Ok(at) => return Ok(at),
                    Err(RecvTimeoutError::Disconnected) => {
                        return Err(format!(
                            "{name} stopped after {} of {} messages",
                            counted.load(Ordering::Relaxed),
                            self.messages
                        ));
                    }
                    Err(RecvTimeoutError::Timeout) => {}
                }
            } else {
                match self.child.0.try_wait() {
                    Ok(Some(status)) if status.success() => return Ok(Instant::now()),
                    Ok(Some(status)) => {
                        return Err(format!("{name} did not read {} messages ({status})", self.messages));
                    }
                    Ok(None) => std::thread::sleep(Duration::from_millis(1)),
                    Err(e) => return Err(format!("cannot wait for {name}: {e}")),
                }
            }
            if Instant::now() > deadline {
                let got = self
                    .lines
                    .as_ref()
                    .map_or(String::new(), |(c, _)| format!(" (read {})", c.load(Ordering::Relaxed)));
                return Err(format!("{name} did not read {} messages in time{got}", self.messages));
            }
        }
    }
}

/// `mosquitto_sub` on `#` to /dev/null until dropped: the floor of the viewers.
pub fn mosquitto_sub_all(broker: &Mosquitto) -> Result<KillOnDrop, String> {
    let child = Command::new(mosquitto_sub()?)
        .args(["-h", "127.0.0.1", "-p", &broker.port.to_string(), "-t", "#", "-q", "0"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot start mosquitto_sub: {e}"))?;
    Ok(KillOnDrop(child))
}

/// mqttui's interactive viewer in its own tmux server (a real pseudo-terminal of a
/// fixed size); the server and mqttui are ended on drop.
pub struct MqttuiTui {
    tmux: PathBuf,
    socket: String,
    /// mqttui's own process (the pane runs it with `exec`, no shell in between).
    pub pid: u32,
}

impl MqttuiTui {
    pub fn start(mqttui: &Path, broker: &Mosquitto, columns: u16, rows: u16) -> Result<Self, String> {
        let tmux = find_program("tmux").ok_or("this benchmark runs mqttui's viewer in tmux (apt-get install tmux)")?;
        let socket = format!("topicscope-peers-{}-{}", std::process::id(), broker.port);
        // tmux runs the pane's command through a shell: quote the path for it.
        let program = format!("'{}'", mqttui.display().to_string().replace('\'', r"'\''"));
        let line = format!("exec {program} --broker {} --qos 0", broker.url());
        let status = Command::new(&tmux)
            .args(["-L", &socket, "-f", "/dev/null", "new-session", "-d", "-s", "peers"])
            .args(["-x", &columns.to_string(), "-y", &rows.to_string(), &line])
            .stdin(Stdio::null())
            .status()
            .map_err(|e| format!("cannot run tmux: {e}"))?;
        let mut tui = Self { tmux, socket, pid: 0 };
        if !status.success() {
            return Err(format!("tmux could not start mqttui ({status})"));
        }
        let pid = tui.tmux_output(&["list-panes", "-t", "peers", "-F", "#{pane_pid}"])?;
        tui.pid = pid
            .trim()
            .parse()
            .map_err(|_| format!("tmux gave no pane pid: {pid:?}"))?;
        Ok(tui)
    }

    fn tmux_output(&self, args: &[&str]) -> Result<String, String> {
        let out = Command::new(&self.tmux)
            .args(["-L", &self.socket])
            .args(args)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("cannot run tmux: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "tmux {}: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// The text on mqttui's screen now.
    pub fn screen(&self) -> Result<String, String> {
        self.tmux_output(&["capture-pane", "-p", "-t", "peers"])
    }
}

impl Drop for MqttuiTui {
    fn drop(&mut self) {
        let _ = Command::new(&self.tmux)
            .args(["-L", &self.socket, "kill-server"])
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

/// The topic count mqttui shows in its overview's title, `Topics (N, M messages)`.
pub fn topics_on_screen(screen: &str) -> Option<u64> {
    let rest = &screen[screen.find("Topics (")? + "Topics (".len()..];
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mqttui_topic_count_is_read_from_its_title() {
        let screen = "│ Topics (1000000, 1000000 messages) ─────┐\n│ bench (1000000 topics)";
        assert_eq!(topics_on_screen(screen), Some(1_000_000));
        assert_eq!(topics_on_screen("Topics (12, 30 messages)"), Some(12));
        assert_eq!(topics_on_screen("Connecting to mqtt://127.0.0.1"), None);
    }
}
