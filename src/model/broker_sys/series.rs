//! The broker's load over the last half hour, for the Broker pane's charts: a few
//! series of (time, value) points, bounded in time and in count.

use std::collections::VecDeque;

/// How far back the charts look.
pub const LOAD_WINDOW_SECS: f64 = 30.0 * 60.0;
/// Most points kept per series (one a second over the window): a broker publishing
/// `$SYS` many times a second cannot grow it.
pub const LOAD_POINTS_MAX: usize = 1800;

/// One figure over time.
#[derive(Clone, Debug, Default)]
pub struct LoadSeries {
    points: VecDeque<[f64; 2]>,
}

impl LoadSeries {
    /// Adds a value at `t` (seconds since the Unix epoch). A value less than a second
    /// after the last one replaces it; points older than the window, or past the
    /// count, are dropped from the front.
    pub fn push(&mut self, t: f64, value: f64) {
        if let Some(last) = self.points.back_mut()
            && t - last[0] < 1.0
            && t >= last[0]
        {
            *last = [last[0], value];
        } else {
            self.points.push_back([t, value]);
        }
        while self.points.len() > LOAD_POINTS_MAX || self.points.front().is_some_and(|p| t - p[0] > LOAD_WINDOW_SECS) {
            self.points.pop_front();
        }
    }

    /// The points, oldest first.
    pub fn points(&self) -> impl ExactSizeIterator<Item = [f64; 2]> + '_ {
        self.points.iter().copied()
    }

    pub fn len(&self) -> usize {
        self.points.len()
    }

    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// The newest value.
    pub fn last(&self) -> Option<f64> {
        self.points.back().map(|p| p[1])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_series_keeps_half_an_hour_and_a_bounded_count() {
        let mut s = LoadSeries::default();
        for i in 0..4000 {
            s.push(f64::from(i), f64::from(i));
        }
        assert!(s.len() <= LOAD_POINTS_MAX);
        let first = s.points().next().unwrap();
        assert!(3999.0 - first[0] <= LOAD_WINDOW_SECS);
        // Many values within a second keep one point.
        let mut fast = LoadSeries::default();
        for i in 0..100 {
            fast.push(10.0 + f64::from(i) / 1000.0, f64::from(i));
        }
        assert_eq!(fast.len(), 1);
        assert_eq!(fast.last(), Some(99.0));
    }
}
