//! The window's MQTT workers give way to its UI thread.
//!
//! On two busy cores (the broker, a publisher, the recording's writer, the MQTT worker
//! and the drain) the UI thread waited for its turn in the middle of frames. The UI
//! thread needs a few hundredths of a core, promptly; a worker reading the socket needs
//! more but no promptness (the broker and the socket buffer hold what it has not read
//! yet). So the window's workers lower their own priority (`nice` plus [`BEHIND_UI`]):
//! while a million retained topics arrive, the longest frame went from 8.6-10.0 ms to
//! 3.8-8.2 ms (BENCHMARKS.md, "Frames on busy cores").
//!
//! Not the other threads behind the window, as measured: the background drain holds
//! the state the next frame takes back, so at a lower priority a frame waited for it
//! whenever other programs kept the cores busy (UI part p99 23 ms with two busy loops,
//! against 4 ms); and a recording writer at a lower priority kept 22k of 50k msg/s
//! under the same two busy loops, and dropped the rest, where at normal priority it
//! kept all. The command-line tools, which have no window, keep their priority. Linux
//! only (elsewhere nothing changes): there the nice value is a thread's own.

/// How much nicer than the process the threads behind the window run (10: when they
/// compete for a core with a thread of the process's own priority, they get about a
/// tenth of it; alone, all of it).
pub const BEHIND_UI: i32 = 10;

/// Lowers the calling thread's priority to the process's nice value (its main thread's)
/// plus [`BEHIND_UI`], at most 19, whichever thread started it. A failure leaves the
/// thread as it was, and is logged.
pub fn run_behind_ui() {
    #[cfg(target_os = "linux")]
    {
        let result = rustix::process::getpriority_process(Some(rustix::process::getpid()))
            .map_err(std::io::Error::from)
            .and_then(|nice| set_this_thread_nice((nice + BEHIND_UI).min(19)));
        if let Err(e) = result {
            tracing::debug!("this thread keeps its priority: {e}");
        }
    }
}

/// Sets the calling thread's nice value (Linux; elsewhere an `Unsupported` error).
/// Raising it needs no privilege; lowering it below the process's usually does.
pub fn set_this_thread_nice(nice: i32) -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        Ok(rustix::process::setpriority_process(
            Some(rustix::thread::gettid()),
            nice,
        )?)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = nice;
        Err(std::io::ErrorKind::Unsupported.into())
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    fn this_thread_nice() -> std::io::Result<i32> {
        Ok(rustix::process::getpriority_process(Some(rustix::thread::gettid()))?)
    }

    #[test]
    fn a_thread_behind_the_ui_is_nicer_and_the_others_are_not() {
        let before = this_thread_nice().unwrap();
        let (behind, other) = std::thread::scope(|s| {
            let behind = s
                .spawn(|| {
                    run_behind_ui();
                    // Started by a thread that is itself behind the UI: no nicer still.
                    let twice = std::thread::spawn(|| {
                        run_behind_ui();
                        this_thread_nice().unwrap()
                    })
                    .join()
                    .unwrap();
                    assert_eq!(twice, this_thread_nice().unwrap());
                    this_thread_nice().unwrap()
                })
                .join()
                .unwrap();
            let other = s.spawn(|| this_thread_nice().unwrap()).join().unwrap();
            (behind, other)
        });
        assert_eq!(behind, (before + BEHIND_UI).min(19));
        assert_eq!(other, before, "only the calling thread changed");
        assert_eq!(this_thread_nice().unwrap(), before);
    }
}
