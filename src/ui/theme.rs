//! Colours and spacing in one place, for the dark and the light theme.

use egui::Color32;

/// Height of one row in the topic tree, history and text views (virtualised lists need it fixed).
pub const ROW_HEIGHT: f32 = 18.0;
/// How long a topic row glows after an update.
pub const ACTIVITY_FADE_SECS: f32 = 1.5;
/// Indentation per tree level.
pub const INDENT: f32 = 14.0;

/// Colours that depend on the theme.
#[derive(Clone, Copy, Debug)]
pub struct Palette {
    pub activity: Color32,
    pub retained: Color32,
    pub count: Color32,
    pub preview: Color32,
    pub ok: Color32,
    pub warn: Color32,
    pub error: Color32,
    pub json_key: Color32,
    pub json_string: Color32,
    pub json_number: Color32,
    pub json_literal: Color32,
    pub json_punct: Color32,
    pub diff_added: Color32,
    pub diff_removed: Color32,
}

/// The palette for the current visuals.
pub fn palette(ui: &egui::Ui) -> Palette {
    if ui.visuals().dark_mode { DARK } else { LIGHT }
}

const DARK: Palette = Palette {
    activity: Color32::from_rgb(70, 130, 60),
    retained: Color32::from_rgb(200, 160, 60),
    count: Color32::from_rgb(140, 170, 220),
    preview: Color32::from_rgb(150, 150, 150),
    ok: Color32::from_rgb(110, 200, 110),
    warn: Color32::from_rgb(230, 180, 70),
    error: Color32::from_rgb(240, 100, 90),
    json_key: Color32::from_rgb(140, 190, 250),
    json_string: Color32::from_rgb(200, 170, 120),
    json_number: Color32::from_rgb(150, 210, 140),
    json_literal: Color32::from_rgb(200, 140, 220),
    json_punct: Color32::from_rgb(160, 160, 160),
    diff_added: Color32::from_rgb(40, 90, 40),
    diff_removed: Color32::from_rgb(100, 40, 40),
};

const LIGHT: Palette = Palette {
    activity: Color32::from_rgb(170, 230, 160),
    retained: Color32::from_rgb(170, 110, 0),
    count: Color32::from_rgb(40, 80, 160),
    preview: Color32::from_rgb(110, 110, 110),
    ok: Color32::from_rgb(30, 130, 30),
    warn: Color32::from_rgb(170, 110, 0),
    error: Color32::from_rgb(190, 30, 30),
    json_key: Color32::from_rgb(20, 80, 170),
    json_string: Color32::from_rgb(150, 80, 20),
    json_number: Color32::from_rgb(30, 120, 40),
    json_literal: Color32::from_rgb(130, 40, 150),
    json_punct: Color32::from_rgb(90, 90, 90),
    diff_added: Color32::from_rgb(200, 240, 200),
    diff_removed: Color32::from_rgb(250, 210, 210),
};

/// Blends the activity colour over the row background, fading with `age_secs`.
pub fn activity_fill(p: &Palette, age_secs: f32) -> Option<Color32> {
    if !(0.0..ACTIVITY_FADE_SECS).contains(&age_secs) {
        return None;
    }
    let strength = 1.0 - age_secs / ACTIVITY_FADE_SECS;
    Some(p.activity.gamma_multiply(strength * 0.8))
}

/// The colour of a chart's `index`-th series, in its line and in its legend row: hues
/// spread by the golden ratio so neighbours differ.
pub fn series_color(index: usize) -> Color32 {
    let golden = (5.0_f32.sqrt() - 1.0) / 2.0;
    let h = (index as f32 * golden).fract();
    egui::epaint::Hsva::new(h, 0.85, 0.55, 1.0).into()
}
