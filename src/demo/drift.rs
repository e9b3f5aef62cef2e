//! `Drift`: a bounded, smooth value generator for simulated sensor readings.
//!
//! A reading is the sum of a base value, a daily curve (cosine of the time of day, so
//! temperatures peak in the afternoon), an optional short cycle (so a few minutes of demo
//! show a visible curve), a slow mean-reverting random walk and a little noise, clamped to
//! the sensor's range. Consecutive samples therefore differ by a small, predictable
//! amount: plots look like real sensors rather than random jumps.

use std::f64::consts::TAU;

use rand::Rng;

use super::sim::Now;

/// How strongly the random walk is pulled back towards zero per sample, so it wanders
/// without settling against its limit.
const WALK_REVERSION: f64 = 0.002;

#[derive(Debug, Clone)]
pub(crate) struct Drift {
    base: f64,
    min: f64,
    max: f64,
    daily_amplitude: f64,
    peak_hour: f64,
    wave_amplitude: f64,
    wave_period_secs: f64,
    wave_phase: f64,
    walk: f64,
    walk_step: f64,
    walk_limit: f64,
    noise: f64,
    last: f64,
}

impl Drift {
    /// A value around `base`, never leaving `min..=max`. Without further settings it is
    /// constant; add `daily`, `wave`, `walk` and `noise` to make it move.
    pub fn new(base: f64, min: f64, max: f64) -> Self {
        Self {
            base,
            min,
            max,
            daily_amplitude: 0.0,
            peak_hour: 0.0,
            wave_amplitude: 0.0,
            wave_period_secs: 0.0,
            wave_phase: 0.0,
            walk: 0.0,
            walk_step: 0.0,
            walk_limit: 0.0,
            noise: 0.0,
            last: base.clamp(min, max),
        }
    }

    /// A daily swing of ±`amplitude`, highest at `peak_hour` (0–24).
    pub fn daily(mut self, amplitude: f64, peak_hour: f64) -> Self {
        self.daily_amplitude = amplitude;
        self.peak_hour = peak_hour;
        self
    }

    /// A short cycle of ±`amplitude` every `period_secs` of uptime; `phase` (0–1) keeps
    /// devices with the same settings from moving in lockstep.
    pub fn wave(mut self, amplitude: f64, period_secs: f64, phase: f64) -> Self {
        self.wave_amplitude = amplitude;
        self.wave_period_secs = period_secs;
        self.wave_phase = phase;
        self
    }

    /// A random walk moving at most `step` per sample and staying within ±`limit`.
    pub fn walk(mut self, step: f64, limit: f64) -> Self {
        self.walk_step = step;
        self.walk_limit = limit;
        self
    }

    /// Uniform noise of ±`amplitude` on every sample.
    pub fn noise(mut self, amplitude: f64) -> Self {
        self.noise = amplitude;
        self
    }

    /// The next reading at `now`.
    pub fn sample<R: Rng + ?Sized>(&mut self, now: &Now, rng: &mut R) -> f64 {
        let daily = self.daily_amplitude * (TAU * (now.hour() - self.peak_hour) / 24.0).cos();
        let wave = if self.wave_period_secs > 0.0 {
            self.wave_amplitude * (TAU * (now.uptime_secs / self.wave_period_secs + self.wave_phase)).sin()
        } else {
            0.0
        };
        if self.walk_step > 0.0 {
            self.walk += rng.random_range(-self.walk_step..=self.walk_step);
            self.walk -= self.walk * WALK_REVERSION;
            self.walk = self.walk.clamp(-self.walk_limit, self.walk_limit);
        }
        let noise = if self.noise > 0.0 {
            rng.random_range(-self.noise..=self.noise)
        } else {
            0.0
        };
        self.last = (self.base + daily + wave + self.walk + noise).clamp(self.min, self.max);
        self.last
    }

    /// The most recent reading (the clamped base before the first sample).
    pub fn last(&self) -> f64 {
        self.last
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::SmallRng;

    fn temperature() -> Drift {
        Drift::new(21.0, 15.0, 30.0)
            .daily(2.0, 15.0)
            .wave(0.5, 300.0, 0.25)
            .walk(0.03, 1.5)
            .noise(0.05)
    }

    #[test]
    fn samples_stay_in_range_and_move_smoothly() {
        let mut rng = SmallRng::seed_from_u64(7);
        let mut drift = temperature();
        // Largest change per one-second step: the two curves' slopes, one walk step (plus
        // its reversion) and noise at both ends.
        let bound = TAU * 2.0 / 86_400.0 + TAU * 0.5 / 300.0 + 0.03 + 1.5 * WALK_REVERSION + 0.1;
        let mut prev = None;
        let (mut lo, mut hi) = (f64::MAX, f64::MIN);
        for s in 0..50_000 {
            let v = drift.sample(&Now::at(6, f64::from(s)), &mut rng);
            assert!((15.0..=30.0).contains(&v), "{v} out of range");
            if let Some(p) = prev {
                let step: f64 = v - p;
                assert!(step.abs() <= bound + 1e-9, "jump of {step} at {s}");
            }
            prev = Some(v);
            lo = lo.min(v);
            hi = hi.max(v);
            assert_eq!(drift.last(), v);
        }
        // It does move: the daily curve alone spans several degrees over ~14 hours.
        assert!(hi - lo > 3.0, "range {lo}..{hi}");
    }

    #[test]
    fn clamps_to_limits() {
        let mut rng = SmallRng::seed_from_u64(1);
        let mut drift = Drift::new(99.0, 0.0, 100.0).daily(10.0, 0.0).noise(1.0);
        for s in 0..1000 {
            let v = drift.sample(&Now::at(0, f64::from(s)), &mut rng);
            assert!((0.0..=100.0).contains(&v));
        }
        assert_eq!(Drift::new(5.0, 0.0, 1.0).last(), 1.0);
    }

    #[test]
    fn without_settings_it_is_constant() {
        let mut rng = SmallRng::seed_from_u64(3);
        let mut drift = Drift::new(3.3, 0.0, 5.0);
        for s in 0..10 {
            assert_eq!(drift.sample(&Now::at(12, f64::from(s)), &mut rng), 3.3);
        }
    }
}
