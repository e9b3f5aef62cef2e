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
    (
        "Chinese (simplified)",
        "家/客厅/温度 家/卧室/湿度 工厂/车间一/电机/转速 {\"温度\": 23.5, \"湿度\": 61, \"状态\": \"正常\", \"设备\": \"智能插座\"}",
    ),
    (
        "Chinese (traditional)",
        "家/客廳/溫度 臥室/濕度 廚房/燈光 {\"狀態\": \"正常\", \"電壓\": 220, \"開關\": \"關閉\"}",
    ),
    (
        "Japanese",
        "工場/ライン1/温度センサー {\"状態\": \"稼働中\", \"メッセージ\": \"こんにちは、世界\"}",
    ),
    (
        "Korean",
        "집/거실/온도 {\"상태\": \"정상\", \"습도\": 45, \"메시지\": \"안녕하세요\"}",
    ),
    ("CJK punctuation", "，。：；！？（）【】「」『』、～　"),
    (
        "Cyrillic",
        "дом/гостиная/температура {\"состояние\": \"норма\", \"ЁЖЩЪ\": 1}",
    ),
    ("Greek", "σπίτι/σαλόνι/θερμοκρασία ΑΒΓΔΩ"),
    // egui's own emoji font; it lacks some newer ones (🌡 🌧 🟢 🟡 🛜), which no bundled font adds.
    ("emoji", "🔥💡✅⚠❌📶🔋⭐🏠☀💧🔌⚡❄📡"),
    ("Arabic", "المنزل/غرفة المعيشة/درجة الحرارة {\"الحالة\": \"طبيعي\"}"),
    ("Hebrew", "בית/סלון/טמפרטורה {\"מצב\": \"תקין\"}"),
];

/// A context whose first pass has run (egui builds its fonts then).
fn context_with(provider: ScriptFonts) -> egui::Context {
    let ctx = egui::Context::default();
    ctx.add_font_provider(Arc::new(provider));
    first_pass(&ctx);
    ctx
}

fn first_pass(ctx: &egui::Context) {
    // No renderer here to take the font atlas.
    ctx.run_ui(egui::RawInput::default(), |_| {}).textures_delta.clear();
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
    first_pass(&ctx);
    assert_all_covered(&ctx);
}

#[test]
fn without_the_fallback_cjk_is_missing() {
    // The test above can fail: egui's own fonts have no CJK.
    let ctx = egui::Context::default();
    first_pass(&ctx);
    assert_eq!(missing(&ctx, &FontFamily::Proportional, "家客厅"), "家客厅");
}

/// The x position of each glyph drawing a character of `chars`, in text order.
fn glyph_xs(ctx: &egui::Context, text: &str, chars: &str) -> Vec<(char, f32)> {
    let galley = ctx.fonts_mut(|f| f.layout_no_wrap(text.to_owned(), FontId::proportional(14.0), egui::Color32::WHITE));
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

/// The glyphs drawn for `c` in the last frame: their places in the font atlas.
fn drawn_glyphs(h: &common::window::AppHarness, c: char) -> Vec<([u16; 2], [u16; 2])> {
    fn walk(shape: &egui::Shape, c: char, out: &mut Vec<([u16; 2], [u16; 2])>) {
        match shape {
            egui::Shape::Vec(shapes) => shapes.iter().for_each(|s| walk(s, c, out)),
            egui::Shape::Text(text) => {
                let glyphs = text.galley.rows.iter().flat_map(|r| r.glyphs.iter());
                out.extend(glyphs.filter(|g| g.chr == c).map(|g| (g.uv_rect.min, g.uv_rect.max)));
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for clipped in &h.output().shapes {
        walk(&clipped.shape, c, &mut out);
    }
    out
}

#[test]
fn chinese_topics_in_the_tree_are_drawn_with_real_glyphs() {
    use common::TestBroker;
    use common::window::*;
    use egui_kittest::kittest::{NodeT as _, Queryable as _};

    // The embedded broker: no $SYS tree to push the rows out of view. rumqttd 0.20 panics
    // on a topic whose first character is not ASCII, hence the `cn/` level.
    let broker = TestBroker::embedded();
    let root = "cn/家";
    let dir = tempfile::tempdir().unwrap();
    let mut h = connected_app(&broker, dir.path());
    let topics: Vec<String> = ["客厅", "卧室", "厨房"]
        .iter()
        .map(|r| format!("{root}/{r}/温度"))
        .collect();
    let messages: Vec<(&str, &str, bool)> = topics.iter().map(|t| (t.as_str(), "23.5", true)).collect();
    feed(&broker, &messages);
    step_until(&mut h, "the topics arrive", |h| {
        h.state().state.conn().model.tree().len() >= 7
    });
    let rooms_shown = |h: &AppHarness| {
        ["客厅", "卧室", "厨房"]
            .iter()
            .all(|room| has_label_containing(h, room))
    };
    for _ in 0..50 {
        if rooms_shown(&h) {
            break;
        }
        h.get_by_label("Expand all").click();
        h.step();
        h.step();
    }
    if !rooms_shown(&h) {
        let labels: Vec<String> = h
            .query_all(egui_kittest::kittest::by())
            .map(|n| n.accesskit_node().label().unwrap_or_default())
            .collect();
        panic!("the rooms are not in the tree; labels: {labels:?}");
    }
    h.step();
    // The bug this guards against: every character drawn as the same empty box, so the
    // three rooms looked like identical siblings. Each character must be drawn, and with a
    // glyph of its own.
    let mut seen = Vec::new();
    for c in "家客厅卧室厨房温度".chars() {
        let glyphs = drawn_glyphs(&h, c);
        let Some(&(min, max)) = glyphs.first() else {
            panic!("{c} is not drawn");
        };
        assert!(max[0] > min[0] && max[1] > min[1], "{c} is drawn blank");
        assert!(!seen.contains(&(min, max)), "{c} looks like another character: a box?");
        seen.push((min, max));
    }
}
