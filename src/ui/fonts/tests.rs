//! The provider's choices, with and without installed fonts.

use super::*;

#[test]
fn bundled_fonts_cover_the_scripts_and_stay_small() {
    let fonts = ScriptFonts::new(None);
    for c in "家客厅温度溫臥廚センサー거실دשא".chars() {
        let (name, _) = fonts.font_for_char(c).unwrap_or_else(|| panic!("no font for {c}"));
        assert!(name.starts_with("bundled:"), "{c}: {name}");
    }
    // Latin, Greek and Cyrillic are egui's; nothing bundled claims them.
    assert!(fonts.font_for_char('ж').is_none());
    assert!(bundled_bytes() < 4_000_000, "bundle grew to {} bytes", bundled_bytes());
}

#[test]
fn an_installed_cjk_font_comes_before_the_bundled_one() {
    // The bundled subset's family is "Noto Sans CJK SC", the first preferred name: loaded
    // as if installed, it must win over the bundled copy.
    let mut db = fontdb::Database::new();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/fonts/NotoSansCJKsc-Subset.otf");
    db.load_font_file(path).unwrap();
    let fonts = ScriptFonts::new(Some(SystemFonts::from_database(db)));
    let (name, _) = fonts.font_for_char('家').unwrap();
    assert!(name.starts_with("system:NotoSansCJKsc"), "{name}");
    // Arabic has no installed font here: the bundled one.
    let (name, _) = fonts.font_for_char('د').unwrap();
    assert!(name.starts_with("bundled:"), "{name}");
}

#[test]
fn a_character_no_font_has_finds_nothing() {
    let fonts = ScriptFonts::new(Some(SystemFonts::from_database(fontdb::Database::new())));
    // A private-use code point: in no font, bundled or installed.
    assert!(fonts.font_for_char('\u{E123}').is_none());
    // An ideograph outside the bundled subset (extension B).
    assert!(fonts.font_for_char('\u{20000}').is_none());
}
