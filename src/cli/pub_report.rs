//! What `topicscope pub` tells the user while it runs: a progress line on stderr
//! (redrawn in place on a terminal, now and then a line in a log, never for a single
//! publish), notes below it, reply payloads on stdout, and the round-trip statistics.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use super::pub_repeat::Repeat;
use super::terminal::{escape_controls, is_closed_pipe};
use crate::i18n::shown;

/// How often the progress line is redrawn on a terminal.
const PROGRESS_TERMINAL: Duration = Duration::from_millis(250);
/// How often a progress line is written when stderr is a file or a pipe (a log).
const PROGRESS_LOG: Duration = Duration::from_secs(10);

/// The stderr side: progress and notes.
#[derive(Debug)]
pub struct Status {
    repeat: Repeat,
    terminal: bool,
    at: Instant,
    /// A progress line is on the terminal without its newline.
    shown: bool,
    /// Its width in columns, to blank it (no ANSI erase: the old Windows console shows
    /// escape sequences as text).
    shown_columns: usize,
}

impl Status {
    pub fn new(repeat: Repeat, start: Instant) -> Self {
        Self {
            repeat,
            terminal: std::io::stderr().is_terminal(),
            at: start,
            shown: false,
            shown_columns: 0,
        }
    }

    /// "sent 10 of 60, acknowledged 10", when it is time to show it again (or `force`).
    pub fn progress(&mut self, sent: u64, acked: u64, now: Instant, force: bool) {
        if !self.repeat.repeating {
            return;
        }
        let every = if self.terminal { PROGRESS_TERMINAL } else { PROGRESS_LOG };
        if !force && now.duration_since(self.at) < every {
            return;
        }
        self.at = now;
        let line = if self.repeat.count == 0 {
            crate::tr!("cmdcli-progress-endless", sent = sent, acked = acked)
        } else {
            crate::tr!("cmdcli-progress", sent = sent, total = self.repeat.count, acked = acked)
        };
        // Progress that cannot be written is not worth stopping the sends for.
        let mut err = std::io::stderr().lock();
        if self.terminal {
            let blank = self.shown_columns.saturating_sub(columns(&line));
            let _ = write!(err, "\r{line}{:blank$}", "");
            let _ = err.flush();
            self.shown = true;
            self.shown_columns = columns(&line) + blank;
        } else {
            let _ = writeln!(err, "{line}");
        }
    }

    /// Leaves the progress line as it ended, with its newline (a log has its lines).
    pub fn end(&mut self, sent: u64, acked: u64) {
        if self.terminal {
            self.progress(sent, acked, Instant::now(), true);
        }
        if self.shown {
            eprintln!();
            self.shown = false;
            self.shown_columns = 0;
        }
    }

    /// A line on stderr, below any progress line.
    pub fn note(&mut self, text: &str) {
        if self.shown {
            eprint!("\r{:1$}\r", "", self.shown_columns);
            self.shown = false;
            self.shown_columns = 0;
        }
        eprintln!("{text}");
    }
}

/// Terminal columns `text` takes: CJK characters take two.
fn columns(text: &str) -> usize {
    text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

/// Reply payloads on stdout, one a line, terminal controls escaped.
#[derive(Debug, Default)]
pub struct ReplyOut {
    /// stdout went away (`| head`): replies are no longer printed.
    closed: bool,
}

impl ReplyOut {
    /// Prints `text`; a note to show when stdout failed for another reason than a
    /// closed pipe (which ends the printing, not the requests).
    pub fn print(&mut self, text: &str) -> Option<String> {
        if self.closed {
            return None;
        }
        let mut out = std::io::stdout().lock();
        let result = writeln!(out, "{}", escape_controls(text, true)).and_then(|()| out.flush());
        let e = result.err()?;
        self.closed = true;
        (!is_closed_pipe(&e)).then(|| crate::tr!("worker-cli-stdout-failed", error = shown(e)))
    }
}

/// Round trips of the replies received.
#[derive(Debug, Default)]
pub struct RoundTrips {
    ms: Vec<f64>,
}

impl RoundTrips {
    /// Records one; returns it in ms as shown ("3.4").
    pub fn push(&mut self, round_trip: Duration) -> String {
        let ms = round_trip.as_secs_f64() * 1000.0;
        self.ms.push(ms);
        format!("{ms:.1}")
    }

    /// "replies: 20 of 20, round trip 1.2 / 3.4 / 9.9 ms (min / average / max)";
    /// nothing when none came (the error says so).
    pub fn summary(&self, timed_out: u64) -> Option<String> {
        let rt = &self.ms;
        if rt.is_empty() {
            return None;
        }
        let min = rt.iter().copied().fold(f64::INFINITY, f64::min);
        let max = rt.iter().copied().fold(0.0, f64::max);
        let avg = rt.iter().sum::<f64>() / rt.len() as f64;
        Some(crate::tr!(
            "cmdcli-round-trips",
            n = rt.len(),
            total = rt.len() as u64 + timed_out,
            min = format!("{min:.1}"),
            avg = format!("{avg:.1}"),
            max = format!("{max:.1}")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_sum_up_as_min_average_max() {
        let mut rt = RoundTrips::default();
        assert_eq!(rt.summary(3), None);
        assert_eq!(rt.push(Duration::from_micros(1_250)), "1.2");
        rt.push(Duration::from_millis(4));
        let line = rt.summary(1).unwrap();
        assert!(line.contains("2 of 3") && line.contains("1.2 / 2.6 / 4.0 ms"), "{line}");
    }
}
