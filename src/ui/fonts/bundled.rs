//! The fonts compiled into the binary, so that a machine with no fonts installed still
//! draws CJK, Arabic and Hebrew. Subsets of Noto made by assets/fonts/make-subset.sh.
//!
//! They are `static` bytes handed to egui without copying: the pages of a glyph never
//! drawn are never read, so they stay out of resident memory.

use super::script::Script;

/// Noto Sans CJK SC, cut to GB2312, the Big5 common set, JIS X 0208 and the KS X 1001
/// Hangul syllables (13,455 characters).
static CJK: &[u8] = include_bytes!("../../../assets/fonts/NotoSansCJKsc-Subset.otf");
static ARABIC: &[u8] = include_bytes!("../../../assets/fonts/NotoSansArabic-Subset.ttf");
static HEBREW: &[u8] = include_bytes!("../../../assets/fonts/NotoSansHebrew-Subset.ttf");

/// A bundled font: the name egui knows it by and its bytes.
#[derive(Clone, Copy, Debug)]
pub struct Bundled {
    pub name: &'static str,
    pub bytes: &'static [u8],
}

/// The bundled font for `script`, if there is one.
pub fn for_script(script: Script) -> Option<Bundled> {
    let (name, bytes) = match script {
        Script::Cjk => ("bundled:Noto Sans CJK SC (subset)", CJK),
        Script::Arabic => ("bundled:Noto Sans Arabic (subset)", ARABIC),
        Script::Hebrew => ("bundled:Noto Sans Hebrew (subset)", HEBREW),
        Script::Other => return None,
    };
    Some(Bundled { name, bytes })
}

/// Size of all bundled fonts in bytes.
pub fn total_bytes() -> usize {
    CJK.len() + ARABIC.len() + HEBREW.len()
}
