//! Clocks, memory readings and percentiles for the benchmarks (Linux: `/proc` and
//! `clock_gettime`).

use std::net::{Ipv4Addr, TcpListener};
use std::time::Duration;

/// Resident memory of this process, in bytes.
pub fn rss_bytes() -> u64 {
    process_rss_bytes_at("/proc/self/status").unwrap_or(0)
}

/// Resident memory of another process, in bytes.
pub fn process_rss_bytes(pid: u32) -> Option<u64> {
    process_rss_bytes_at(&format!("/proc/{pid}/status"))
}

/// Peak resident memory of another process so far (`VmHWM`), in bytes.
pub fn process_peak_rss_bytes(pid: u32) -> Option<u64> {
    status_kib(&format!("/proc/{pid}/status"), "VmHWM:")
}

fn process_rss_bytes_at(status_path: &str) -> Option<u64> {
    status_kib(status_path, "VmRSS:")
}

/// A `KEY: N kB` field of a `/proc/PID/status` file, in bytes.
fn status_kib(status_path: &str, key: &str) -> Option<u64> {
    let status = std::fs::read_to_string(status_path).ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// CPU time used by the calling thread so far (`CLOCK_THREAD_CPUTIME_ID`: nanosecond
/// resolution, unlike `/proc`'s tick-based counters).
pub fn thread_cpu_time() -> Duration {
    cpu_time::ThreadTime::try_now().map_or(Duration::ZERO, |t| t.as_duration())
}

/// Linux reports process times in USER_HZ ticks, which is 100 on every architecture
/// the kernel exposes to user space.
const USER_HZ: f64 = 100.0;

/// User + system CPU time of a process (all its threads), from `/proc/PID/stat`.
pub fn process_cpu_time(pid: u32) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    parse_stat(&stat).map(|(_, cpu)| cpu)
}

/// One thread of a process: its id, name (`comm`) and CPU time so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreadCpu {
    pub tid: u32,
    pub name: String,
    pub cpu: Duration,
}

/// Every live thread of a process with its CPU time, from `/proc/PID/task/*/stat`.
pub fn process_thread_cpu_times(pid: u32) -> Vec<ThreadCpu> {
    let Ok(dir) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return Vec::new();
    };
    dir.filter_map(|entry| {
        let entry = entry.ok()?;
        let tid: u32 = entry.file_name().to_str()?.parse().ok()?;
        let stat = std::fs::read_to_string(entry.path().join("stat")).ok()?;
        let (name, cpu) = parse_stat(&stat)?;
        Some(ThreadCpu { tid, name, cpu })
    })
    .collect()
}

/// The name and user + system time in a `stat` line of a process or thread.
fn parse_stat(stat: &str) -> Option<(String, Duration)> {
    // The command name may contain spaces and ')'; fields are counted after the last ')'.
    let open = stat.find('(')?;
    let close = stat.rfind(')')?;
    let name = stat.get(open + 1..close)?.to_owned();
    let rest = stat.get(close + 2..)?;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some((name, Duration::from_secs_f64((utime + stime) as f64 / USER_HZ)))
}

/// True when this process runs as root (effective user id 0).
pub fn running_as_root() -> bool {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("Uid:"))
        .and_then(|l| l.split_whitespace().nth(2))
        .is_some_and(|euid| euid == "0")
}

/// A port that was free a moment ago on 127.0.0.1.
pub fn free_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?.local_addr()?.port())
}

/// Percentiles of a set of durations, in milliseconds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Percentiles {
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

impl Percentiles {
    /// `None` for an empty set.
    pub fn of(samples: &[Duration]) -> Option<Self> {
        let mut ms: Vec<f64> = samples.iter().map(|d| d.as_secs_f64() * 1000.0).collect();
        ms.sort_by(f64::total_cmp);
        let at = |q: f64| ms[((ms.len() - 1) as f64 * q).round() as usize];
        (!ms.is_empty()).then(|| Self {
            p50_ms: at(0.50),
            p99_ms: at(0.99),
            max_ms: at(1.0),
        })
    }
}

impl std::fmt::Display for Percentiles {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "p50={:.2} p99={:.2} max={:.2}",
            self.p50_ms, self.p99_ms, self.max_ms
        )
    }
}

/// Median of a non-empty set of durations.
pub fn median(samples: &[Duration]) -> Duration {
    let mut sorted = samples.to_vec();
    sorted.sort();
    sorted.get(sorted.len() / 2).copied().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_pick_the_right_samples() {
        let samples: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        let p = Percentiles::of(&samples).expect("non-empty");
        assert!((p.p50_ms - 50.0).abs() <= 1.0, "{p}");
        assert!((p.p99_ms - 99.0).abs() <= 1.0, "{p}");
        assert_eq!(p.max_ms, 100.0);
        assert!(Percentiles::of(&[]).is_none());
    }

    #[test]
    fn a_stat_line_gives_its_name_and_cpu_even_with_parentheses_in_the_name() {
        let line = "4242 (llvmpipe (1)) S 1 2 3 4 5 6 7 8 9 10 150 50 0 0 20 0 1 0";
        let (name, cpu) = parse_stat(line).expect("parses");
        assert_eq!(name, "llvmpipe (1)");
        assert_eq!(cpu, Duration::from_secs(2));
        assert_eq!(parse_stat("garbage"), None);
    }

    #[test]
    fn own_threads_are_listed_with_this_one_among_them() {
        let pid = std::process::id();
        let threads = process_thread_cpu_times(pid);
        assert!(threads.iter().any(|t| t.tid == pid), "{threads:?}");
    }

    #[test]
    fn own_process_readings_are_plausible() {
        assert!(rss_bytes() > 1024 * 1024, "a Rust test process uses more than 1 MiB");
        let before = thread_cpu_time();
        let mut x = 0u64;
        for i in 0..5_000_000u64 {
            x = x.wrapping_add(std::hint::black_box(i));
        }
        std::hint::black_box(x);
        assert!(thread_cpu_time() > before);
        let own = process_cpu_time(std::process::id()).expect("own /proc stat");
        assert!(own > Duration::ZERO);
    }
}
