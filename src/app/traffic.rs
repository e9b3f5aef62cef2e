//! A connection's traffic view: the first level's rate sampled every second (kept while
//! the window runs, for the stacked chart), and the top lists, scanned at most once a
//! second and only while the Traffic pane asks for them.

use std::time::{Duration, Instant, SystemTime};

use crate::model::TopicTree;
use crate::model::traffic::{StopWatch, TrafficHistory, TrafficScan, scan};

/// Samples kept for the chart: ten minutes.
const HISTORY_SECONDS: usize = 600;
/// Rows in each top list.
pub const TOP_ROWS: usize = 15;
/// How often the top lists are scanned while shown.
pub const SCAN_EVERY: Duration = Duration::from_secs(1);

#[derive(Debug)]
pub struct Traffic {
    pub history: TrafficHistory,
    pub stops: StopWatch,
    pub last: Option<(Instant, TrafficScan)>,
}

impl Default for Traffic {
    fn default() -> Self {
        Self {
            history: TrafficHistory::new(HISTORY_SECONDS),
            stops: StopWatch::default(),
            last: None,
        }
    }
}

impl Traffic {
    /// Scans the tree if the last scan is older than [`SCAN_EVERY`]; returns the latest.
    /// With `hold` (the pointer rests on the lists) an existing scan is kept, so rows
    /// do not change places under a click.
    pub fn refresh(&mut self, tree: &TopicTree, hold: bool) -> &TrafficScan {
        let stale = self
            .last
            .as_ref()
            .is_none_or(|(at, _)| !hold && at.elapsed() >= SCAN_EVERY);
        if stale {
            let now = SystemTime::now();
            let s = scan(tree, now, TOP_ROWS);
            self.stops.update(tree, &s, now);
            self.last = Some((Instant::now(), s));
        }
        &self.last.as_ref().expect("scanned above").1
    }

    /// Forgets everything (the tree was emptied).
    pub fn clear(&mut self) {
        self.history.clear();
        self.stops.clear();
        self.last = None;
    }
}
