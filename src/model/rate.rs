//! A topic's (or subtree's) current rate: messages and bytes per second over the last
//! 10 seconds and over the last minute, in constant memory per node and O(1) per message.
//!
//! Two 10-second buckets, the current one and the one before, each with the moment its
//! first message came: the messages of the previous bucket are taken as spread from that
//! moment to the bucket's end, and the part inside the window counts (the sliding-window
//! counter of rate limiters, which without the first moment reads a stream that began
//! mid-bucket up to half too low). Over less than 10 s when the stream began more
//! recently (at least 1 s), so a new flood shows its rate at once. 24 bytes a node and
//! window, where a ring of per-second buckets would cost ten times that; a node keeps
//! both windows in one box from its second message on (`node.rs`), so a million
//! topics of one retained message each pay a pointer apiece, not 48 MB. A topic that
//! stops falls to 0 within two windows (20 s, 2 min), with no tree walk: reading decays
//! it. The same counter serves both windows, with 10 s and 60 s buckets.

use std::time::{SystemTime, UNIX_EPOCH};

/// The short window ("now"), in milliseconds.
pub const WINDOW_MS: u64 = 10_000;
/// The long window ("the last minute"), in milliseconds. Under 65.536 s: the ms into a
/// bucket are kept in a u16.
pub const MINUTE_MS: u64 = 60_000;

/// The counter over the last 10 s.
pub type RateWindow = Window<WINDOW_MS>;
/// The counter over the last minute.
pub type MinuteWindow = Window<MINUTE_MS>;

/// Milliseconds since 1970 of `t` (0 before 1970: a clock that wrong counts as "long ago").
pub fn epoch_ms(t: SystemTime) -> u64 {
    // Not `as_millis`: its u128 arithmetic costs more than the rest of a rate update.
    t.duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() * 1000 + u64::from(d.subsec_millis()))
}

/// Where a message falls in both windows' buckets: computed once per message, shared by
/// the topic and its ancestors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    pub short: (u32, u16),
    pub minute: (u32, u16),
}

impl Stamp {
    /// The buckets of `at_ms` (ms since 1970).
    pub fn of(at_ms: u64) -> Self {
        let split = |ms: u64| (u32::try_from(at_ms / ms).unwrap_or(u32::MAX), (at_ms % ms) as u16);
        Self {
            short: split(WINDOW_MS),
            minute: split(MINUTE_MS),
        }
    }
}

/// Messages and bytes per second.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Rate {
    pub messages: f64,
    pub bytes: f64,
}

/// The counter of one node over a window of `MS` milliseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Window<const MS: u64> {
    /// Index of the current bucket (ms since 1970 / `MS`).
    bucket: u32,
    prev_messages: u32,
    messages: u32,
    prev_bytes: u32,
    bytes: u32,
    /// Where in its bucket (ms from its start) the previous bucket's first message came:
    /// a stream that began mid-bucket filled only the rest of it.
    prev_first: u16,
    /// The same for the current bucket.
    first: u16,
}

impl<const MS: u64> Window<MS> {
    /// Counts a message of `bytes` received at `at_ms` (ms since 1970). A message from
    /// before the current bucket (a clock stepped back) counts into the current one.
    pub fn add(&mut self, at_ms: u64, bytes: u64) {
        self.add_in(
            u32::try_from(at_ms / MS).unwrap_or(u32::MAX),
            (at_ms % MS) as u16,
            bytes,
        );
    }

    /// [`Self::add`] with the bucket (see [`Stamp`]) and the ms into it already computed.
    pub fn add_in(&mut self, bucket: u32, into_ms: u16, bytes: u64) {
        let fresh = self.messages == 0 && self.prev_messages == 0;
        if bucket > self.bucket || fresh {
            if !fresh && bucket == self.bucket + 1 {
                self.prev_messages = self.messages;
                self.prev_bytes = self.bytes;
                self.prev_first = self.first;
            } else {
                self.prev_messages = 0;
                self.prev_bytes = 0;
            }
            self.messages = 0;
            self.bytes = 0;
            self.first = into_ms;
            self.bucket = bucket;
        }
        self.messages = self.messages.saturating_add(1);
        self.bytes = self.bytes.saturating_add(u32::try_from(bytes).unwrap_or(u32::MAX));
    }

    /// The rate at `now_ms`: the messages of the last window over the window, or over the time
    /// since the stream began when that is shorter (at least 1 s), so a new flood shows
    /// its rate at once.
    pub fn at(&self, now_ms: u64) -> Rate {
        let now_bucket = now_ms / MS;
        let b = u64::from(self.bucket);
        // (count, first ms in bucket, bucket start) of the older and the newer bucket.
        let (older, newer) = if now_bucket == b {
            (
                (
                    self.prev_messages,
                    self.prev_bytes,
                    self.prev_first,
                    (b.saturating_sub(1)) * MS,
                ),
                (self.messages, self.bytes, self.first, b * MS),
            )
        } else if now_bucket == b + 1 {
            (
                (self.messages, self.bytes, self.first, b * MS),
                (0, 0, 0, now_bucket * MS),
            )
        } else if now_bucket < b {
            // The clock went back: show what the current bucket holds.
            ((0, 0, 0, 0), (self.messages, self.bytes, self.first, b * MS))
        } else {
            return Rate::default();
        };
        let window_start = now_ms.saturating_sub(MS);
        // The older bucket's messages are spread from its first one to its end; the part
        // of that span inside the window counts.
        let (om, ob, ofirst, ostart) = older;
        let (nm, nb, nfirst, nstart) = newer;
        let (mut messages, mut bytes) = (f64::from(nm), f64::from(nb));
        let mut began = if nm > 0 { nstart + u64::from(nfirst) } else { now_ms };
        if om > 0 {
            let from = ostart + u64::from(ofirst);
            let end = ostart + MS;
            let inside = end.saturating_sub(from.max(window_start)) as f64 / (end - from).max(1) as f64;
            messages += f64::from(om) * inside;
            bytes += f64::from(ob) * inside;
            began = began.min(from);
        }
        let span_ms = now_ms.saturating_sub(began.max(window_start)).clamp(1_000, MS);
        let span = span_ms as f64 / 1000.0;
        Rate {
            messages: messages / span,
            bytes: bytes / span,
        }
    }
}

/// A topic's messages per second over the last `secs` seconds before `now`, one count a
/// second (oldest first), from the receive times of its kept messages (newest first).
/// `complete`: every message of that time is still kept (the history budget may have
/// dropped older ones); when it is false the counts before the oldest kept one are
/// unknown and reported as such.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PerSecond {
    pub counts: Vec<u32>,
    pub complete: bool,
    /// Seconds the counts cover: the whole span, or less when every message is kept and
    /// the oldest is younger (a topic seen for 14 s is not averaged over a minute).
    pub covered_secs: u32,
}

impl PerSecond {
    /// `times`: newest first; `all_kept`: no message of this topic was ever dropped.
    pub fn of(times: impl Iterator<Item = SystemTime>, now: SystemTime, secs: usize, all_kept: bool) -> Self {
        let mut counts = vec![0u32; secs];
        let now_ms = epoch_ms(now);
        let span_ms = secs as u64 * 1000;
        let mut reached_start = all_kept;
        let mut older_kept = false;
        let mut oldest_age = 0;
        for t in times {
            let at = epoch_ms(t);
            let age = now_ms.saturating_sub(at);
            if age >= span_ms {
                // An older message is kept: everything after it is too.
                reached_start = true;
                older_kept = true;
                break;
            }
            oldest_age = age;
            counts[secs - 1 - (age / 1000) as usize] += 1;
        }
        let covered_secs = if older_kept || !all_kept {
            secs as u32
        } else {
            // Every message is kept and none is older than the span: the topic began then.
            ((oldest_age / 1000) as u32 + 1).clamp(1, secs as u32)
        };
        Self {
            counts,
            complete: reached_start,
            covered_secs,
        }
    }

    /// Messages a second over the seconds covered.
    pub fn mean(&self) -> f64 {
        self.counts.iter().map(|c| f64::from(*c)).sum::<f64>() / f64::from(self.covered_secs.max(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Feeds `per_sec` messages of `bytes` each, evenly, from `from_ms` for `ms`.
    fn feed_ms<const MS: u64>(w: &mut Window<MS>, from_ms: u64, ms: u64, per_sec: u64, bytes: u64) {
        let n = ms * per_sec / 1000;
        for i in 0..n {
            w.add(from_ms + i * 1000 / per_sec, bytes);
        }
    }

    fn feed<const MS: u64>(w: &mut Window<MS>, from_ms: u64, secs: u64, per_sec: u64, bytes: u64) {
        feed_ms(w, from_ms, secs * 1000, per_sec, bytes);
    }

    #[test]
    fn a_steady_stream_reads_its_rate_at_any_moment() {
        let t0 = 1_764_460_800_000; // a bucket boundary
        let mut w = RateWindow::default();
        feed(&mut w, t0, 30, 50, 100);
        for offset in [0, 1_000, 4_999, 5_000, 9_999] {
            let now = t0 + 20_000 + offset;
            let mut w2 = RateWindow::default();
            feed_ms(&mut w2, t0, 20_000 + offset, 50, 100);
            let r = w2.at(now);
            assert!((r.messages - 50.0).abs() / 50.0 < 0.05, "{offset}: {r:?}");
            assert!((r.bytes - 5_000.0).abs() / 5_000.0 < 0.05, "{offset}: {r:?}");
        }
        assert!((w.at(t0 + 30_000).messages - 50.0).abs() < 2.5);
    }

    #[test]
    fn the_minute_window_reads_the_last_minute_where_the_short_one_reads_now() {
        // 30 s at 20/s, then 30 s at 2/s: the minute averages both, 10 s sees only now.
        let t0 = 1_764_460_800_000; // a minute boundary
        let (mut short, mut minute) = (RateWindow::default(), MinuteWindow::default());
        let mut both = |from: u64, ms: u64, per_sec: u64| {
            feed_ms(&mut short, from, ms, per_sec, 10);
            feed_ms(&mut minute, from, ms, per_sec, 10);
        };
        both(t0, 30_000, 20);
        both(t0 + 30_000, 30_000, 2);
        let now = t0 + 60_000;
        let (s, m) = (short.at(now), minute.at(now));
        assert!((s.messages - 2.0).abs() < 0.2, "{s:?}");
        assert!((m.messages - 11.0).abs() / 11.0 < 0.05, "{m:?}");
        assert!((m.bytes - 110.0).abs() / 110.0 < 0.05, "{m:?}");
        // A stream that stops: the short window forgets it in 20 s, the minute keeps it.
        let later = now + 25_000;
        assert_eq!(short.at(later).messages, 0.0);
        assert!(minute.at(later).messages > 0.0);
        assert_eq!(minute.at(now + 120_000).messages, 0.0);
    }

    #[test]
    fn a_topic_that_stops_falls_to_zero_within_two_windows() {
        let t0 = 1_764_460_800_000;
        let mut w = RateWindow::default();
        feed(&mut w, t0, 10, 20, 10);
        let last = t0 + 10_000;
        assert!(w.at(last).messages > 15.0);
        assert!(w.at(last + 5_000).messages < 11.0, "halfway out of the window");
        assert_eq!(w.at(last + 10_000).messages, 0.0);
        assert_eq!(w.at(last + 60_000), Rate::default());
    }

    #[test]
    fn a_gap_of_more_than_a_bucket_forgets_the_old_one() {
        let t0 = 1_764_460_800_000;
        let mut w = RateWindow::default();
        feed(&mut w, t0, 10, 100, 1);
        w.add(t0 + 45_000, 1);
        // One message: one a second at first (the shortest span), then one in 5 s.
        assert_eq!(w.at(t0 + 45_000).messages, 1.0);
        assert_eq!(w.at(t0 + 50_000).messages, 0.2);
    }

    #[test]
    fn a_stream_that_began_mid_bucket_reads_its_rate_at_once_and_later() {
        let t0 = 1_764_460_800_000;
        for start in [3_000, 7_500, 9_900] {
            let mut w = RateWindow::default();
            feed_ms(&mut w, t0 + start, 4_000, 100, 1);
            let r = w.at(t0 + start + 4_000);
            assert!((r.messages - 100.0).abs() < 5.0, "{start}: 4 s in: {r:?}");
            let mut w = RateWindow::default();
            feed_ms(&mut w, t0 + start, 13_000, 100, 1);
            let r = w.at(t0 + start + 13_000);
            assert!((r.messages - 100.0).abs() < 5.0, "{start}: 13 s in: {r:?}");
        }
    }

    #[test]
    fn per_second_counts_come_from_the_kept_times() {
        let now = UNIX_EPOCH + std::time::Duration::from_millis(1_764_460_800_500);
        let ago = |ms: u64| now - std::time::Duration::from_millis(ms);
        // Newest first: two in the last second, one 2.5 s ago, one 70 s ago.
        let times = [ago(100), ago(900), ago(2_500), ago(70_000)];
        let p = PerSecond::of(times.into_iter(), now, 60, false);
        assert_eq!(p.counts.len(), 60);
        assert_eq!(p.counts[59], 2);
        assert_eq!(p.counts[57], 1);
        assert_eq!(p.counts.iter().sum::<u32>(), 3);
        assert!(p.complete, "a kept message older than the span proves the rest is kept");
        assert!((p.mean() - 0.05).abs() < 1e-9);
        let partial = PerSecond::of(times[..3].iter().copied(), now, 60, false);
        assert!(!partial.complete, "older ones may have been dropped");
        let young = PerSecond::of(times[..3].iter().copied(), now, 60, true);
        assert!(young.complete);
        // Three messages in the 3 s since the topic's first one, not over a minute.
        assert_eq!(young.covered_secs, 3);
        assert!((young.mean() - 1.0).abs() < 1e-9, "{young:?}");
    }

    #[test]
    fn a_clock_stepping_back_counts_into_the_current_bucket() {
        let t0 = 1_764_460_800_000;
        let mut w = RateWindow::default();
        w.add(t0 + 15_000, 1);
        w.add(t0 + 2_000, 1);
        assert_eq!(w.at(t0 + 15_000).messages, 2.0);
    }
}
