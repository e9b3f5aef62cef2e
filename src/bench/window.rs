//! `topicscope bench startup` and `bench idle`: the real binary in a real window (needs a
//! display; under CI, Xvfb). Startup is the time from spawning the process to its first
//! frame; idle is the CPU the window uses connected to a broker with no traffic.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::measure::{median, process_cpu_time, process_rss_bytes};
use super::mosquitto::Mosquitto;

use crate::app::{FIRST_FRAME_ENV, FIRST_FRAME_LINE};

pub(super) fn require_display() -> Result<(), String> {
    let has = |v: &str| std::env::var_os(v).is_some_and(|s| !s.is_empty());
    if has("DISPLAY") || has("WAYLAND_DISPLAY") {
        Ok(())
    } else {
        Err("this benchmark opens a window and needs a display; run it under `xvfb-run -a`".into())
    }
}

/// The window process, killed on drop, with its own empty config directory.
pub(super) struct WindowProcess {
    pub(super) child: Child,
    config_dir: std::path::PathBuf,
}

impl WindowProcess {
    pub(super) fn spawn(args: &[String], first_frame: bool) -> Result<Self, String> {
        Self::spawn_with(args, if first_frame { Some(FIRST_FRAME_ENV) } else { None })
    }

    /// Spawns the window with `bench_env` (one of the app's bench switches) set.
    pub(super) fn spawn_with(args: &[String], bench_env: Option<&str>) -> Result<Self, String> {
        let envs: Vec<(&str, std::ffi::OsString)> = bench_env.map(|n| (n, "1".into())).into_iter().collect();
        Self::spawn_with_env(args, &envs)
    }

    /// The window with `args` and these variables set in its environment.
    pub(super) fn spawn_with_env(args: &[String], envs: &[(&str, std::ffi::OsString)]) -> Result<Self, String> {
        let exe = std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?;
        let config_dir = std::env::temp_dir().join(format!(
            "topicscope-bench-window-{}-{}",
            std::process::id(),
            crate::app::now_secs()
        ));
        let mut cmd = Command::new(exe);
        cmd.args(args)
            .env("TOPICSCOPE_CONFIG_DIR", &config_dir)
            .stdout(Stdio::piped())
            .stderr(if std::env::var_os(crate::app::bench_report::CAUSES_ENV).is_some() {
                Stdio::inherit()
            } else {
                Stdio::null()
            });
        for (name, value) in envs {
            cmd.env(name, value);
        }
        let child = cmd.spawn().map_err(|e| format!("cannot start the window: {e}"))?;
        Ok(Self { child, config_dir })
    }
}

impl Drop for WindowProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.config_dir);
    }
}

/// Spawn-to-first-frame time of the window, median of `runs`.
pub fn startup(runs: usize) -> Result<Duration, String> {
    require_display()?;
    let mut samples = Vec::new();
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        let mut window = WindowProcess::spawn(&[], true)?;
        let stdout = window.child.stdout.take().ok_or("no stdout")?;
        let line = BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .find(|l| l == FIRST_FRAME_LINE);
        if line.is_none() {
            return Err("the window exited before drawing its first frame".into());
        }
        samples.push(start.elapsed());
    }
    Ok(median(&samples))
}

/// CPU seconds used by the window over `seconds`, connected to an idle mosquitto, after
/// `settle` seconds; also its resident memory.
pub fn idle(seconds: u64, settle: u64) -> Result<(Duration, u64), String> {
    require_display()?;
    let broker = Mosquitto::start()?;
    let window = WindowProcess::spawn(&["--broker".into(), broker.url()], false)?;
    let pid = window.child.id();
    std::thread::sleep(Duration::from_secs(settle));
    let before = process_cpu_time(pid).ok_or("the window exited")?;
    std::thread::sleep(Duration::from_secs(seconds));
    let after = process_cpu_time(pid).ok_or("the window exited")?;
    let rss = process_rss_bytes(pid).unwrap_or(0);
    Ok((after.saturating_sub(before), rss))
}

pub fn run_startup(runs: usize) -> Result<(), String> {
    let t = startup(runs)?;
    println!("startup runs={runs} first-frame-ms={:.0}", t.as_secs_f64() * 1000.0);
    Ok(())
}

pub fn run_idle(seconds: u64) -> Result<(), String> {
    let (cpu, rss) = idle(seconds, 3)?;
    println!(
        "idle seconds={seconds} cpu-seconds={:.3} rss-mib={:.1}",
        cpu.as_secs_f64(),
        rss as f64 / (1024.0 * 1024.0)
    );
    Ok(())
}
