//! Desktop notifications for device trouble, when the connection's device settings ask
//! for them: `notify-send` (libnotify, on every Linux desktop) or the program the
//! settings name (it gets the same arguments), reaped on a short-lived thread so the
//! window never waits for it. A program that cannot be run is said once, in words, and
//! the toasts go on as before.

use std::process::{Command, Stdio};
use std::sync::Mutex;

/// The program that could not be run, so the failure is told only once (until the
/// settings name another).
static FAILED: Mutex<Option<String>> = Mutex::new(None);

/// Shows `text` as a desktop notification titled "Topicscope" with `program`
/// (`notify-send` when empty). Returns the reason when it cannot be run, the first time.
pub fn notify(program: &str, text: &str) -> Option<String> {
    let program = if program.trim().is_empty() {
        crate::profiles::DEFAULT_NOTIFY_COMMAND
    } else {
        program.trim()
    };
    let mut failed = FAILED.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if failed.as_deref() == Some(program) {
        return None;
    }
    let mut command = Command::new(program);
    command
        .args(["--app-name=Topicscope", "--icon=topicscope", "Topicscope", text])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    match command.spawn() {
        Ok(mut child) => {
            // Reaped off the UI thread: a slow notification daemon never holds a frame.
            std::thread::spawn(move || child.wait());
            None
        }
        Err(e) => {
            *failed = Some(program.to_owned());
            Some(crate::tr!(
                "dev-notify-missing",
                program = program,
                reason = e.to_string()
            ))
        }
    }
}
