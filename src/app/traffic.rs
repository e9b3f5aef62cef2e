//! A connection's traffic view: the first level's rate sampled every second (kept while
//! the window runs, for the stacked chart), and the top lists, scanned at most once a
//! second and only while the Traffic pane asks for them. A scan reads at most
//! [`SCAN_SLICE`] nodes a frame: 100k topics are read in one frame (about 1 ms), a
//! million over ten, so no frame stalls on it.

use std::time::{Duration, Instant, SystemTime};

use crate::model::TopicTree;
use crate::model::traffic::{Scanner, StopWatch, TrafficHistory, TrafficScan};

/// Samples kept for the chart: ten minutes.
const HISTORY_SECONDS: usize = 600;
/// Rows in each top list.
pub const TOP_ROWS: usize = 15;
/// How often the top lists are scanned while shown.
pub const SCAN_EVERY: Duration = Duration::from_secs(1);
/// Nodes a scan reads per frame.
pub const SCAN_SLICE: usize = 100_000;

#[derive(Debug)]
pub struct Traffic {
    pub history: TrafficHistory,
    pub stops: StopWatch,
    pub last: Option<(Instant, TrafficScan)>,
    /// The scan under way, read a slice per frame.
    scanning: Option<Scanner>,
}

impl Default for Traffic {
    fn default() -> Self {
        Self {
            history: TrafficHistory::new(HISTORY_SECONDS),
            stops: StopWatch::default(),
            last: None,
            scanning: None,
        }
    }
}

impl Traffic {
    /// Reads the next slice of a scan under way, or starts one when the last is older
    /// than [`SCAN_EVERY`]; returns the latest finished scan (`None` before the first)
    /// and whether a scan is still under way (the caller repaints to go on). With `hold`
    /// (the pointer rests on the lists) an existing scan is kept, so rows do not change
    /// places under a click.
    pub fn refresh(&mut self, tree: &TopicTree, hold: bool) -> (Option<&TrafficScan>, bool) {
        if hold && self.last.is_some() {
            return (self.last.as_ref().map(|(_, s)| s), false);
        }
        let stale = self.last.as_ref().is_none_or(|(at, _)| at.elapsed() >= SCAN_EVERY);
        if self.scanning.is_none() && stale {
            self.scanning = Some(Scanner::new(SystemTime::now()));
        }
        if let Some(scanner) = &mut self.scanning
            && scanner.step(tree, SCAN_SLICE)
        {
            let s = self.scanning.take().expect("scanning above").finish(tree, TOP_ROWS);
            self.stops.update(tree, &s, SystemTime::now());
            self.last = Some((Instant::now(), s));
        }
        (self.last.as_ref().map(|(_, s)| s), self.scanning.is_some())
    }

    /// Forgets everything (the tree was emptied).
    pub fn clear(&mut self) {
        self.history.clear();
        self.stops.clear();
        self.last = None;
        self.scanning = None;
    }
}
