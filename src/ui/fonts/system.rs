//! The fonts installed on this machine, found through `fontdb`. The scan (a few hundred
//! files on a typical desktop) runs on its own thread from start-up; the first lookup
//! waits for it, which by then has usually finished.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use fontdb::{Database, FaceInfo, ID, Style};

use super::has_char;

/// A system font picked for a character: the name egui will know it by and its bytes.
pub struct Found {
    pub name: String,
    pub bytes: Arc<dyn AsRef<[u8]> + Send + Sync>,
    pub index: u32,
}

/// Longest a search through every installed font for one character may take: it runs on
/// the UI thread, the first time that character is laid out.
const SEARCH_BUDGET: Duration = Duration::from_millis(25);
/// All such searches together: a payload of random characters must not stall the window
/// once per character.
const TOTAL_SEARCH_BUDGET: Duration = Duration::from_secs(1);

enum Scan {
    Running(JoinHandle<Database>),
    Done(Database),
    /// The scan thread could not start or panicked: behave as if no font were installed.
    Failed,
}

/// The installed fonts, scanned once.
pub struct SystemFonts {
    scan: Mutex<Scan>,
    search: Mutex<Searches>,
}

/// What the searches through every font have cost and found nothing for.
#[derive(Default)]
struct Searches {
    spent: Duration,
    not_found: HashSet<char>,
}

impl std::fmt::Debug for SystemFonts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SystemFonts")
    }
}

impl SystemFonts {
    /// Starts scanning the installed fonts in the background.
    pub fn scan() -> Self {
        let spawned = std::thread::Builder::new().name("font-scan".into()).spawn(|| {
            let started = std::time::Instant::now();
            let mut db = Database::new();
            db.load_system_fonts();
            tracing::debug!(
                faces = db.len(),
                ms = started.elapsed().as_millis() as u64,
                "system fonts scanned"
            );
            db
        });
        let scan = match spawned {
            Ok(handle) => Scan::Running(handle),
            Err(e) => {
                tracing::warn!("cannot start the font scan: {e}; only the bundled fonts will be used");
                Scan::Failed
            }
        };
        Self {
            scan: Mutex::new(scan),
            search: Mutex::default(),
        }
    }

    /// Uses the fonts of `db` instead of scanning (for tests, with chosen font files).
    pub fn from_database(db: Database) -> Self {
        Self {
            scan: Mutex::new(Scan::Done(db)),
            search: Mutex::default(),
        }
    }

    /// The first of `families` (in that order) with a regular face that has `c`.
    pub fn preferred(&self, families: &[&str], c: char) -> Option<Found> {
        self.with_db(|db| {
            let id = families.iter().find_map(|family| {
                let faces = regular_first(db.faces().filter(|f| named(f, family)));
                faces.into_iter().find(|&id| covers(db, id, c))
            })?;
            share(db, id)
        })
    }

    /// Any installed regular face that has `c`, for scripts without a preference list.
    /// Gives up after `SEARCH_BUDGET`, and for good after `TOTAL_SEARCH_BUDGET`.
    pub fn any(&self, c: char) -> Option<Found> {
        let mut search = self.search.lock().unwrap_or_else(|e| e.into_inner());
        if search.spent >= TOTAL_SEARCH_BUDGET || search.not_found.contains(&c) {
            return None;
        }
        let started = Instant::now();
        let found = self.with_db(|db| {
            // Colour emoji fonts are bitmaps egui may not draw; egui's own emoji font has
            // the common ones.
            let faces = regular_first(
                db.faces()
                    .filter(|f| !f.families.iter().any(|(n, _)| n.contains("Emoji"))),
            );
            let id = faces
                .into_iter()
                .take_while(|_| started.elapsed() < SEARCH_BUDGET)
                .find(|&id| covers(db, id, c))?;
            share(db, id)
        });
        search.spent += started.elapsed();
        if found.is_none() {
            // egui asks once per family: the monospace family need not search again.
            search.not_found.insert(c);
        }
        found
    }

    fn with_db<T>(&self, f: impl FnOnce(&mut Database) -> Option<T>) -> Option<T> {
        let mut scan = self.scan.lock().unwrap_or_else(|e| e.into_inner());
        if matches!(*scan, Scan::Running(_)) {
            let Scan::Running(handle) = std::mem::replace(&mut *scan, Scan::Failed) else {
                unreachable!("checked just above")
            };
            match handle.join() {
                Ok(db) => *scan = Scan::Done(db),
                Err(_) => tracing::warn!("the font scan failed; only the bundled fonts will be used"),
            }
        }
        match &mut *scan {
            Scan::Done(db) => f(db),
            _ => None,
        }
    }
}

fn named(face: &FaceInfo, family: &str) -> bool {
    face.families.iter().any(|(name, _)| name.eq_ignore_ascii_case(family))
}

/// Upright faces, the weight nearest to regular first (egui draws one weight).
fn regular_first<'a>(faces: impl Iterator<Item = &'a FaceInfo>) -> Vec<ID> {
    let mut faces: Vec<&FaceInfo> = faces.filter(|f| f.style == Style::Normal).collect();
    faces.sort_by_key(|f| (i32::from(f.weight.0) - 400).abs());
    faces.into_iter().map(|f| f.id).collect()
}

fn covers(db: &Database, id: ID, c: char) -> bool {
    db.with_face_data(id, |bytes, index| has_char(bytes, index, c))
        .unwrap_or(false)
}

/// The face's file, memory-mapped: a system CJK font is 15 to 60 MB, of which a window
/// touches a few pages.
fn share(db: &mut Database, id: ID) -> Option<Found> {
    let info = db.face(id)?;
    let name = format!("system:{} #{}", info.post_script_name, info.index);
    // SAFETY: the mapping goes wrong only if the font file is changed in place while we
    // run. Installers and package managers replace font files (a new inode), leaving
    // our mapping on the old one; this is the risk every program mapping system fonts
    // (browsers, fontconfig users) takes, and the price of not keeping tens of MB resident.
    #[allow(unsafe_code)]
    let (bytes, index) = unsafe { db.make_shared_face_data(id)? };
    Some(Found { name, bytes, index })
}
