//! Opening a recording in the window (`--open FILE`, "Open recording…"): a read-only
//! connection named after the file, and the time bar's actions on the active one.

use std::path::Path;

use super::playback::Playback;
use super::state::AppState;
use crate::profiles::Profile;

impl AppState {
    /// Opens `path` as a read-only connection and shows it; an open tab of the same
    /// file is shown instead. A file that is not a readable recording opens nothing and
    /// gives the reason in words.
    pub fn open_recording(&mut self, path: &Path) -> Result<(), String> {
        if let Some(i) = self
            .connections
            .iter()
            .position(|c| c.playback.as_ref().is_some_and(|p| p.path == path))
        {
            self.set_active(i);
            return Ok(());
        }
        let playback = Playback::open(path).map_err(|e| e.to_string())?;
        let file = path
            .file_name()
            .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
        // Names are what charts and profiles refer to: keep them unique.
        let mut name = file.clone();
        let mut n = 2;
        while self.connections.iter().any(|c| c.name == name) || self.profiles.get(&name).is_some() {
            name = format!("{file} ({n})");
            n += 1;
        }
        // No broker URL: "Connect" is not offered and a connect never reuses this tab.
        self.add_connection(Profile::new(&name, ""), |c| c.playback = Some(playback));
        Ok(())
    }

    /// Shows the active recording as it was at `at_us` (µs since the epoch).
    pub fn seek_recording(&mut self, at_us: i64) {
        let i = self.active.min(self.connections.len() - 1);
        self.connections[i].seek_recording(at_us, &mut self.charts);
    }

    /// Plays the active recording on, or pauses it.
    pub fn toggle_play(&mut self) {
        let i = self.active.min(self.connections.len() - 1);
        self.connections[i].toggle_play(&mut self.charts);
    }

    /// Sets the active recording's speed (1, 10 or 100).
    pub fn set_play_speed(&mut self, speed: u32) {
        if let Some(p) = &mut self.conn_mut().playback {
            p.speed = speed;
        }
    }

    /// Seconds since the epoch as the active connection sees them: an opened
    /// recording's moment, else now. Charts and device ages are drawn against it, so a
    /// recording's plots and "last seen" are as of the moment shown.
    pub fn clock_secs(&self) -> f64 {
        match &self.conn().playback {
            Some(p) => p.position_us as f64 / 1e6,
            None => super::now_secs(),
        }
    }

    /// The moment the active connection shows: an opened recording's, else now (the
    /// inspector's age and rates are read against it).
    pub fn clock(&self) -> std::time::SystemTime {
        match &self.conn().playback {
            Some(p) => crate::record::schema::system_time(p.position_us),
            None => std::time::SystemTime::now(),
        }
    }

    /// Shows the active recording's next message.
    pub fn step_recording(&mut self) {
        self.conn_mut().step_recording();
    }
}
