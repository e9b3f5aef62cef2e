//! Text in any script. egui's default fonts draw Latin, Greek, Cyrillic and the common
//! emoji; for every other character it asks its font providers the first time that
//! character is laid out. [`ScriptFonts`] is ours: it answers with an installed font
//! for the character's script (Noto Sans CJK, Microsoft YaHei, PingFang...) and falls
//! back to the subsets bundled in assets/fonts/, so a bare machine still draws Chinese,
//! Japanese, Korean, Arabic and Hebrew.
//!
//! Nothing is loaded until such a character is first laid out, wherever it appears
//! (tree, inspector, chart legend, text boxes, the Chinese interface): egui asks only
//! once per character it cannot draw, and a found font then covers the rest of its
//! script. The installed fonts are scanned on a background thread from start-up.

mod bundled;
mod script;
mod system;

use std::sync::Arc;

use egui::{FontData, FontFamily, FontInsert, FontPriority, InsertFontFamily};
use skrifa::MetadataProvider as _;

pub use script::Script;
pub use system::SystemFonts;

/// Adds [`ScriptFonts`] (with the installed fonts) to egui's font providers.
pub fn install(ctx: &egui::Context) {
    ctx.add_font_provider(Arc::new(ScriptFonts::new(Some(SystemFonts::scan()))));
}

/// Size of the fonts compiled into the binary, in bytes.
pub fn bundled_bytes() -> usize {
    bundled::total_bytes()
}

/// Finds a font for characters egui's default fonts lack: an installed one preferred,
/// the bundled subset otherwise.
#[derive(Debug)]
pub struct ScriptFonts {
    system: Option<SystemFonts>,
}

impl ScriptFonts {
    /// `None` uses only the bundled fonts.
    pub fn new(system: Option<SystemFonts>) -> Self {
        Self { system }
    }

    /// The font to use for `c`, if any: its name and data.
    pub fn font_for_char(&self, c: char) -> Option<(String, FontData)> {
        let script = Script::of(c);
        let system = self.system.as_ref();
        if let Some(found) = system.and_then(|s| s.preferred(script.preferred_families(), c)) {
            return Some((found.name, FontData::from_blob(found.bytes, found.index)));
        }
        if let Some(b) = bundled::for_script(script).filter(|b| has_char(b.bytes, 0, c)) {
            return Some((b.name.to_owned(), FontData::from_static(b.bytes)));
        }
        let found = system?.any(c)?;
        Some((found.name, FontData::from_blob(found.bytes, found.index)))
    }
}

impl egui::FontProvider for ScriptFonts {
    fn font_for(&self, request: &egui::FallbackRequest<'_>) -> Option<FontInsert> {
        let c = request.cluster.chars().next()?;
        let (name, data) = self.font_for_char(c)?;
        tracing::debug!(font = %name, ?c, "fallback font loaded");
        // Both families: a CJK topic must read the same in the tree and in a monospace
        // payload. Last in each chain, so Latin keeps egui's own fonts.
        let families = [FontFamily::Proportional, FontFamily::Monospace]
            .into_iter()
            .map(|family| InsertFontFamily {
                family,
                priority: FontPriority::Lowest,
            })
            .collect();
        Some(FontInsert::new(&name, data, families))
    }
}

/// Does face `index` of the font file `bytes` map `c` to a glyph?
fn has_char(bytes: &[u8], index: u32, c: char) -> bool {
    skrifa::FontRef::from_index(bytes, index).is_ok_and(|font| font.charmap().map(c).is_some())
}

#[cfg(test)]
mod tests;
