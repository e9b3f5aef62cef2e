//! Ctrl+C (and SIGTERM) as a flag the long-running commands poll, so `record` and
//! `replay` end cleanly: the file closed, the summary printed.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

static FLAG: AtomicBool = AtomicBool::new(false);
static INSTALLED: OnceLock<bool> = OnceLock::new();

/// Installs the handler once; later calls share it. Without a handler (another one was
/// set first), Ctrl+C ends the process as usual and the recording is still readable.
pub fn install() {
    INSTALLED.get_or_init(|| ctrlc::set_handler(|| FLAG.store(true, Ordering::SeqCst)).is_ok());
}

/// True once Ctrl+C was pressed.
pub fn requested() -> bool {
    FLAG.load(Ordering::SeqCst)
}
