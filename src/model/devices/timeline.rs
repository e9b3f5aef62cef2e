//! A device's availability over the last hours, for the Devices pane's timeline: which
//! minutes it spoke in (a bitset, 48 bytes for six hours) and when it said online or
//! offline. [`Timeline::spans`] turns them into online / offline / silent / unknown
//! spans against an explicit clock (seconds since the Unix epoch), judging silence the
//! way [`super::health`] does.

use std::collections::VecDeque;

/// Minutes kept: six hours.
pub const MINUTES: u64 = 6 * 60;
/// Words of the bitset: enough for [`MINUTES`] plus the word being filled.
const WORDS: usize = (MINUTES as usize).div_ceil(64) + 1;
/// Availability changes kept.
const SAID_MAX: usize = 64;

/// What a span of the timeline shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpanState {
    /// Online, or reporting.
    Online,
    Offline,
    /// Nothing heard for longer than its silence threshold.
    Silent,
    /// Before anything was heard.
    Unknown,
}

/// One span, `[from, to)` in seconds since the epoch.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Span {
    pub from: f64,
    pub to: f64,
    pub state: SpanState,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Timeline {
    /// Minute `first_word * 64 + i` is bit `i` of the first word, and so on.
    words: VecDeque<u64>,
    first_word: u64,
    /// (minute, online?) as said, oldest first; stored as minutes and seconds apart.
    said: VecDeque<(u64, bool)>,
}

fn minute_of(t: f64) -> u64 {
    (t.max(0.0) / 60.0) as u64
}

impl Timeline {
    /// When the first thing kept was heard or said (seconds since the epoch).
    pub fn first(&self) -> Option<f64> {
        let heard =
            self.words.iter().enumerate().find_map(|(i, w)| {
                (*w != 0).then(|| (self.first_word + i as u64) * 64 + u64::from(w.trailing_zeros()))
            });
        let said = self.said.front().map(|(m, _)| *m);
        [heard, said].into_iter().flatten().min().map(|m| (m * 60) as f64)
    }

    /// The device spoke at `now`.
    pub fn heard(&mut self, now: f64) {
        let m = minute_of(now);
        let w = m / 64;
        if self.words.is_empty() {
            self.first_word = w;
        }
        if w < self.first_word {
            return; // a clock stepped back past the kept hours
        }
        while self.first_word + self.words.len() as u64 <= w {
            self.words.push_back(0);
            if self.words.len() > WORDS {
                self.words.pop_front();
                self.first_word += 1;
            }
        }
        let i = (w - self.first_word) as usize;
        self.words[i] |= 1 << (m % 64);
    }

    /// The device said it is online (or not) at `now`.
    pub fn said(&mut self, online: bool, now: f64) {
        if self.said.len() >= SAID_MAX {
            self.said.pop_front();
        }
        self.said.push_back((minute_of(now), online));
    }

    fn active(&self, m: u64) -> bool {
        let w = m / 64;
        w >= self.first_word
            && self
                .words
                .get((w - self.first_word) as usize)
                .is_some_and(|word| word & (1 << (m % 64)) != 0)
    }

    /// What it said last at or before minute `m`.
    fn said_at(&self, m: u64) -> Option<bool> {
        self.said.iter().rev().find(|(at, _)| *at <= m).map(|(_, s)| *s)
    }

    /// The last `minutes` (at most [`MINUTES`]) before `now` as spans, oldest first.
    /// `silent_after`: seconds without a message before it counts as silent (None while
    /// its rhythm is unknown: then quiet minutes are not called silent).
    pub fn spans(&self, now: f64, minutes: u64, silent_after: Option<f64>) -> Vec<Span> {
        let minutes = minutes.clamp(1, MINUTES);
        let window_start = (now - (minutes * 60) as f64).max(0.0);
        let end = minute_of(now);
        let start = minute_of(window_start);
        // The last minute it spoke before the window, to judge the first quiet minutes.
        let mut last_active = (start.saturating_sub(MINUTES)..start).rev().find(|&m| self.active(m));
        let silent_minutes = silent_after.map(|s| (s / 60.0).ceil().max(1.0) as u64);
        let mut spans: Vec<Span> = Vec::new();
        for m in start..=end {
            let active = self.active(m);
            if active {
                last_active = Some(m);
            }
            let state = match self.said_at(m) {
                Some(false) => SpanState::Offline,
                _ if active => SpanState::Online,
                said => match (last_active, silent_minutes) {
                    (Some(last), Some(limit)) if m - last > limit => SpanState::Silent,
                    (Some(_), _) => SpanState::Online,
                    (None, _) if said == Some(true) => SpanState::Online,
                    (None, _) => SpanState::Unknown,
                },
            };
            let from = ((m * 60) as f64).max(window_start);
            let to = ((m * 60 + 60) as f64).min(now);
            if to <= from {
                continue;
            }
            match spans.last_mut() {
                Some(last) if last.state == state => last.to = to,
                _ => spans.push(Span { from, to, state }),
            }
        }
        spans
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: f64 = 1_800_000_000.0; // a minute boundary (30,000,000 minutes)

    fn states(spans: &[Span]) -> Vec<(SpanState, u64)> {
        spans
            .iter()
            .map(|s| (s.state, ((s.to - s.from) / 60.0).round() as u64))
            .collect()
    }

    #[test]
    fn reporting_then_offline_then_back_then_silent() {
        let mut t = Timeline::default();
        t.said(true, T0);
        // Reports every minute for 30 minutes.
        for i in 0..30 {
            t.heard(T0 + f64::from(i) * 60.0 + 5.0);
        }
        t.said(false, T0 + 30.0 * 60.0);
        t.said(true, T0 + 40.0 * 60.0);
        for i in 40..50 {
            t.heard(T0 + f64::from(i) * 60.0 + 5.0);
        }
        // Then nothing for 30 minutes; silent after 3 minutes.
        let now = T0 + 80.0 * 60.0;
        let spans = t.spans(now, 80, Some(180.0));
        assert_eq!(
            states(&spans),
            [
                (SpanState::Online, 30),
                (SpanState::Offline, 10),
                (SpanState::Online, 13),
                (SpanState::Silent, 27),
            ]
        );
        assert_eq!(spans.last().unwrap().to, now);
        // Without a known rhythm, quiet is not silence.
        assert_eq!(
            states(&t.spans(now, 80, None)),
            [
                (SpanState::Online, 30),
                (SpanState::Offline, 10),
                (SpanState::Online, 40)
            ]
        );
    }

    #[test]
    fn before_anything_is_heard_it_is_unknown_and_memory_stays_bounded() {
        let mut t = Timeline::default();
        assert_eq!(t.first(), None);
        t.heard(T0 + 600.0);
        assert_eq!(t.first(), Some(T0 + 600.0));
        let spans = t.spans(T0 + 900.0, 15, None);
        assert_eq!(states(&spans), [(SpanState::Unknown, 10), (SpanState::Online, 5)]);
        // A day of reports keeps six hours of bits.
        for i in 0..(24 * 60) {
            t.heard(T0 + f64::from(i) * 60.0);
        }
        assert!(t.words.len() <= WORDS, "{}", t.words.len());
        let now = T0 + 24.0 * 3600.0;
        assert_eq!(
            states(&t.spans(now, MINUTES, Some(120.0))),
            [(SpanState::Online, MINUTES)]
        );
        for i in 0..200 {
            t.said(i % 2 == 0, T0 + f64::from(i));
        }
        assert_eq!(t.said.len(), SAID_MAX);
    }
}
