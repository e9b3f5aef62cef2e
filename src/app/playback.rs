//! A recording opened in the window: a read-only connection whose messages come from a
//! file instead of a broker. [`Playback`] holds the time bar's state (the moment shown,
//! playing or not, the speed) and the reading thread ([`crate::record::player`]);
//! whatever the thread sends goes through [`Connection::apply`], the path a broker's
//! messages take, so the tree, inspector, history, devices and charts need nothing new.
//!
//! Seeking empties the connection and asks the thread for the state at the moment (per
//! topic the newest messages at or before it); playing and stepping feed the messages
//! after it in time order.

use std::path::{Path, PathBuf};
use std::time::Instant;

use super::connection::{Connection, Outside, push_error};
use crate::mqtt::Event;
use crate::record::player::{self, Opened, Output, Player};
use crate::record::seek::Cursor;

/// The speeds the time bar offers.
pub const SPEEDS: [u32; 3] = [1, 10, 100];
/// Messages asked for at a time while playing.
const FETCH_MAX: usize = player::BATCH;

/// The time bar's state of one open recording.
#[derive(Debug)]
pub struct Playback {
    pub path: PathBuf,
    pub opened: Opened,
    /// The moment shown, µs since the epoch.
    pub position_us: i64,
    pub playing: bool,
    /// 1, 10 or 100.
    pub speed: u32,
    /// While the state at a moment is being read: topics read of all.
    pub loading: Option<(usize, usize)>,
    /// Why reading failed last, if it did.
    pub error: Option<String>,
    /// The replay into a broker, while one runs.
    pub replay: Option<super::replay_task::ReplayTask>,
    player: Player,
    generation: u64,
    /// The last message applied (known once the state at the moment is complete).
    cursor: Option<Cursor>,
    fetching: bool,
    /// Every message up to this time has been asked for (µs since the epoch).
    fetched_to_us: i64,
    /// What the fetch under way asks up to.
    fetching_to_us: i64,
    /// A step asked for: the moment moves to the next message when it arrives.
    stepping: bool,
    last_tick: Option<Instant>,
}

impl Playback {
    /// Opens `path` and starts reading the state at its end (every topic shown).
    pub fn open(path: &Path) -> Result<Self, crate::record::RecordError> {
        let (player, opened) = Player::open(path)?;
        let end = opened.span.map_or(0, |(_, last)| last);
        let mut p = Self {
            path: path.to_owned(),
            opened,
            position_us: end,
            playing: false,
            speed: 1,
            loading: None,
            error: None,
            replay: None,
            player,
            generation: 0,
            cursor: None,
            fetching: false,
            fetched_to_us: end,
            fetching_to_us: end,
            stepping: false,
            last_tick: None,
        };
        p.request_seek(end);
        Ok(p)
    }

    /// First and last message times; a moment for an empty file.
    pub fn span(&self) -> (i64, i64) {
        self.opened.span.unwrap_or((self.position_us, self.position_us))
    }

    /// True while the shown state is complete and the moment can move on.
    pub fn ready(&self) -> bool {
        self.loading.is_none() && self.cursor.is_some()
    }

    fn request_seek(&mut self, at_us: i64) {
        self.generation += 1;
        self.position_us = at_us;
        self.cursor = None;
        self.fetching = false;
        self.fetched_to_us = at_us;
        self.stepping = false;
        self.loading = Some((0, 0));
        self.last_tick = None;
        self.player.seek(self.generation, at_us);
    }

    /// Moves the clock on while playing; asks for what became due.
    fn tick(&mut self, now: Instant) {
        let (_, last) = self.span();
        if self.playing && self.ready() {
            if let Some(before) = self.last_tick {
                let us = (now - before).as_secs_f64() * 1e6 * f64::from(self.speed);
                self.position_us = self.position_us.saturating_add(us as i64).min(last);
            }
            self.last_tick = Some(now);
            if self.position_us >= last {
                self.playing = false;
            }
        } else {
            self.last_tick = None;
        }
        if let Some(cursor) = self.cursor
            && !self.fetching
            && !self.stepping
            && self.fetched_to_us < self.position_us
        {
            self.fetching = true;
            self.fetching_to_us = self.position_us;
            self.player.fetch(self.generation, cursor, self.position_us, FETCH_MAX);
        }
    }
}

impl Connection {
    /// Empties the connection and shows the recording as it was at `at_us`.
    pub fn seek_recording(&mut self, at_us: i64, charts: &mut super::Charts) {
        let Some(p) = &mut self.playback else { return };
        let (first, last) = p.span();
        p.request_seek(at_us.clamp(first, last));
        self.clear();
        charts.clear_points_of(&self.name);
    }

    /// Plays on from the moment shown (from the start when at the end), or pauses.
    pub fn toggle_play(&mut self, charts: &mut super::Charts) {
        let Some(p) = &mut self.playback else { return };
        if p.playing {
            p.playing = false;
            return;
        }
        let (first, last) = p.span();
        if p.position_us >= last {
            self.seek_recording(first, charts);
        }
        if let Some(p) = &mut self.playback {
            p.playing = true;
        }
    }

    /// Shows the next message of the recording (and pauses).
    pub fn step_recording(&mut self) {
        let Some(p) = &mut self.playback else { return };
        p.playing = false;
        let Some(cursor) = p.cursor.filter(|_| p.loading.is_none() && !p.fetching && !p.stepping) else {
            return;
        };
        let (_, last) = p.span();
        p.stepping = true;
        p.fetching = true;
        p.fetching_to_us = last;
        p.player.fetch(p.generation, cursor, last, 1);
    }

    /// Applies what the reading thread sent, until `deadline`; true when more is due
    /// (still reading, or playing).
    pub(super) fn drain_playback(&mut self, deadline: Instant, out: &mut Outside<'_>) -> bool {
        if let Some(p) = &mut self.playback {
            p.tick(Instant::now());
        }
        loop {
            let Some(p) = &mut self.playback else { return false };
            if Instant::now() >= deadline {
                return true;
            }
            let Ok(output) = p.player.outputs.try_recv() else { break };
            if output.generation() != p.generation {
                continue;
            }
            match output {
                Output::Batch { messages, .. } => self.apply(Event::Messages(messages), out),
                Output::Progress { done, total, .. } => p.loading = Some((done, total)),
                Output::Sought { cursor, .. } => {
                    p.loading = None;
                    p.cursor = Some(cursor);
                }
                Output::Fetched { cursor, full, .. } => {
                    p.fetching = false;
                    p.cursor = Some(cursor);
                    if std::mem::take(&mut p.stepping) {
                        p.position_us = p.position_us.max(cursor.time_us);
                        p.fetched_to_us = p.position_us;
                    } else if full {
                        // More may be due at or after the last one read: ask again.
                        p.fetched_to_us = cursor.time_us.saturating_sub(1);
                    } else {
                        p.fetched_to_us = p.fetching_to_us;
                    }
                }
                Output::Failed { why, .. } => {
                    p.loading = None;
                    p.fetching = false;
                    p.stepping = false;
                    p.playing = false;
                    p.error = Some(why.clone());
                    push_error(out.notices, format!("{}: {why}", self.name));
                }
            }
        }
        self.playback
            .as_ref()
            .is_some_and(|p| p.playing || p.loading.is_some() || p.fetching)
    }
}
