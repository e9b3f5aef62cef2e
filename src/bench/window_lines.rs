//! The lines the window prints for `bench stream` (see `app::bench_report`), read as they
//! come, each kept with when it came so that only the measured span is counted.

use std::time::{Duration, Instant};

use crate::app::FRAMES_LINE;
use crate::app::bench_report::{FRAME_MS_LINE, RECEIVED_LINE, RECORDING_LINE, UI_MS_LINE};

/// The recording's counters as the window reported them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RecordingLine {
    pub written: u64,
    pub dropped: u64,
    pub file_bytes: u64,
}

/// Everything the window said, in order of arrival.
#[derive(Debug, Default)]
pub struct WindowLines {
    pub frame_counts: Vec<(Instant, u32)>,
    pub frame_times: Vec<(Instant, Vec<Duration>)>,
    /// The UI thread's part of each frame (applying events or taking them back from the
    /// background drain, and layout).
    pub ui_times: Vec<(Instant, Vec<Duration>)>,
    pub recordings: Vec<(Instant, RecordingLine)>,
    pub received: Vec<(Instant, u64)>,
}

impl WindowLines {
    /// Keeps what `line` says, if it is one of the window's bench lines.
    pub fn take(&mut self, at: Instant, line: &str) {
        if let Some(rest) = line.strip_prefix(FRAME_MS_LINE) {
            self.frame_times.push((at, millis(rest)));
        } else if let Some(rest) = line.strip_prefix(UI_MS_LINE) {
            self.ui_times.push((at, millis(rest)));
        } else if let Some(rest) = line.strip_prefix(RECORDING_LINE) {
            let mut r = RecordingLine::default();
            for (key, value) in rest.split_whitespace().filter_map(|kv| kv.split_once('=')) {
                let Ok(n) = value.parse() else { continue };
                match key {
                    "written" => r.written = n,
                    "dropped" => r.dropped = n,
                    "file_bytes" => r.file_bytes = n,
                    _ => {}
                }
            }
            self.recordings.push((at, r));
        } else if let Some(n) = line.strip_prefix(RECEIVED_LINE).and_then(|n| n.trim().parse().ok()) {
            self.received.push((at, n));
        } else if let Some(n) = line.strip_prefix(FRAMES_LINE).and_then(|n| n.trim().parse().ok()) {
            self.frame_counts.push((at, n));
        }
    }

    /// The frame counts of the seconds that ended inside `span`.
    pub fn counts_in(&self, span: (Instant, Instant)) -> Vec<u32> {
        inside(&self.frame_counts, span).copied().collect()
    }

    /// The frame times of the seconds that ended inside `span`.
    pub fn times_in(&self, span: (Instant, Instant)) -> Vec<Duration> {
        inside(&self.frame_times, span).flatten().copied().collect()
    }

    /// The UI parts of the frames of the seconds that ended inside `span`.
    pub fn ui_times_in(&self, span: (Instant, Instant)) -> Vec<Duration> {
        inside(&self.ui_times, span).flatten().copied().collect()
    }

    /// Messages a second the window received, between the first and last report inside
    /// `span` (at least two reports).
    pub fn received_per_second_in(&self, (from, to): (Instant, Instant)) -> Option<f64> {
        let mut inside = self.received.iter().filter(|(at, _)| *at > from && *at <= to);
        let (t1, n1) = *inside.next()?;
        let (t2, n2) = *inside.next_back()?;
        let secs = t2.duration_since(t1).as_secs_f64();
        (secs > 0.0).then(|| n2.saturating_sub(n1) as f64 / secs)
    }

    /// The first and last recording counters inside `span`.
    pub fn recording_in(&self, span: (Instant, Instant)) -> Option<(RecordingLine, RecordingLine)> {
        let mut lines = inside(&self.recordings, span);
        let first = *lines.next()?;
        Some((first, lines.last().copied().unwrap_or(first)))
    }
}

/// Durations in ms separated by spaces; what does not read as one is left out.
fn millis(text: &str) -> Vec<Duration> {
    text.split_whitespace()
        .filter_map(|t| t.parse::<f64>().ok())
        .filter(|ms| ms.is_finite() && *ms >= 0.0)
        .map(|ms| Duration::from_secs_f64(ms / 1000.0))
        .collect()
}

fn inside<T>(items: &[(Instant, T)], (from, to): (Instant, Instant)) -> impl Iterator<Item = &T> {
    items
        .iter()
        .filter(move |(at, _)| *at > from && *at <= to)
        .map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_windows_lines_are_read_and_kept_by_span() {
        let t0 = Instant::now();
        let at = |s: u64| t0 + Duration::from_secs(s);
        let mut lines = WindowLines::default();
        lines.take(at(1), "topicscope-bench: frames 5");
        lines.take(at(1), "topicscope-bench: frame-ms 1.500 2.000 garbage 9.250");
        lines.take(
            at(1),
            "topicscope-bench: recording written=10 dropped=0 file_bytes=4096",
        );
        lines.take(at(2), "topicscope-bench: frames 6");
        lines.take(at(2), "topicscope-bench: frame-ms 3.000");
        lines.take(at(2), "topicscope-bench: ui-ms 0.500 x 1.250");
        lines.take(
            at(3),
            "topicscope-bench: recording written=90 dropped=2 file_bytes=8192",
        );
        lines.take(at(3), "something else");
        lines.take(at(1), "topicscope-bench: received 1000");
        lines.take(at(3), "topicscope-bench: received 21000");
        assert_eq!(lines.received_per_second_in((t0, at(3))), Some(10_000.0));
        assert_eq!(
            lines.received_per_second_in((at(2), at(4))),
            None,
            "one report is no rate"
        );
        assert_eq!(lines.counts_in((t0, at(2))), [5, 6]);
        assert_eq!(lines.counts_in((at(1), at(2))), [6], "the span's start is outside it");
        assert_eq!(
            lines.times_in((t0, at(1))),
            [1.5, 2.0, 9.25].map(|ms| Duration::from_secs_f64(ms / 1000.0))
        );
        assert_eq!(
            lines.ui_times_in((at(1), at(2))),
            [0.5, 1.25].map(|ms| Duration::from_secs_f64(ms / 1000.0))
        );
        assert!(lines.ui_times_in((t0, at(1))).is_empty());
        let (first, last) = lines.recording_in((t0, at(3))).unwrap();
        assert_eq!(
            (first.written, last.written, last.dropped, last.file_bytes),
            (10, 90, 2, 8192)
        );
        assert!(lines.recording_in((at(1), at(2))).is_none());
    }
}
