//! Toasts: the notices and errors of [`AppState::notices`] as small cards stacked in the
//! bottom-right corner, newest at the bottom. Information fades after a few seconds;
//! an error stays until its ✖ is clicked. The same text again does not stack a new card:
//! the card moves to the bottom and counts the repeats (a broker that keeps refusing
//! shows one card "×12", not twelve). The stack never covers more than part of the
//! window: at most [`MAX_SHOWN`] cards, each at most [`MAX_WIDTH`] wide and a few lines
//! tall, the rest summed up in one line. An error card shows its whole text for
//! [`ERROR_FULL`], then folds to one line (the pointer over the stack unfolds it), so a
//! notice kept on screen hides as little as it can of the pane under it.

use std::time::{Duration, Instant};

use crate::app::{AppState, Notice, NoticeLevel};

use super::theme;

/// How long an information toast stays (the last second of it fading).
pub const INFO_SHOWN: Duration = Duration::from_secs(6);
const FADE: Duration = Duration::from_secs(1);
/// Most cards on screen at once; older ones are counted, not drawn.
pub const MAX_SHOWN: usize = 4;
/// Where the stack's bottom-right corner lies from the window's: above the status bar,
/// clear of the window's edge.
const CORNER_OFFSET: egui::Vec2 = egui::vec2(-8.0, -30.0);
/// Widest a card gets (less on a narrow window: at most 45 % of it).
pub const MAX_WIDTH: f32 = 380.0;
/// Lines of text a card shows before it elides the rest (the status bar and the
/// hover text have it whole).
const MAX_LINES: usize = 4;
/// How long an error card shows its whole text before it folds to one line.
pub const ERROR_FULL: Duration = Duration::from_secs(10);

/// How many lines of `t`'s text its card shows `age` after it came: all
/// ([`MAX_LINES`]) while it is new or the pointer is over the stack, one for an error
/// kept on screen past [`ERROR_FULL`].
pub fn lines_shown(t: &Toast, age: Duration, pointer_over: bool) -> usize {
    if t.level == NoticeLevel::Error && age >= ERROR_FULL && !pointer_over {
        1
    } else {
        MAX_LINES
    }
}

/// One card.
#[derive(Clone, Debug, PartialEq)]
pub struct Toast {
    pub text: String,
    pub level: NoticeLevel,
    /// How many times this text came (1 = once).
    pub count: u32,
    /// When it last came: information fades from then.
    pub at: Instant,
    /// When it first came: an error folds [`ERROR_FULL`] after that, however often it
    /// repeats (a broker refusing every reconnect would otherwise keep it whole).
    pub first: Instant,
}

/// The cards on screen and how far the notices have been read.
#[derive(Debug, Default)]
pub struct Toasts {
    items: Vec<Toast>,
    /// The highest [`Notice::seq`] already turned into a card.
    seen_seq: u64,
    /// The pointer was over the stack in the last frame (folded cards unfold).
    pointer_over: bool,
    /// How tall the stack was with no card folded: for [`FOLD_GRACE`] after a fold the
    /// pointer anywhere in that part of the corner unfolds the cards, so a ✖ aimed at
    /// before the fold is under the pointer again when the click comes. After that only
    /// the folded cards themselves do, and the rows they uncovered are the pane's.
    unfolded_height: f32,
    /// When the stack last folded.
    folded_since: Option<Instant>,
}

/// How long after a fold the unfolded stack's place still unfolds it.
const FOLD_GRACE: Duration = Duration::from_millis(1500);

impl Toasts {
    /// The cards, oldest first.
    pub fn items(&self) -> &[Toast] {
        &self.items
    }

    /// Turns the notices not seen yet into cards.
    pub fn collect(&mut self, notices: &[Notice]) {
        let seen = self.seen_seq;
        for n in notices.iter().filter(|n| n.seq > seen) {
            self.push_at(n.level, &n.text, n.at);
        }
        if let Some(last) = notices.last() {
            self.seen_seq = self.seen_seq.max(last.seq);
        }
    }

    /// Adds a card, or counts a repeat of one already shown (which moves to the bottom).
    pub fn push_at(&mut self, level: NoticeLevel, text: &str, at: Instant) {
        if let Some(i) = self.items.iter().position(|t| t.text == text && t.level == level) {
            let mut t = self.items.remove(i);
            t.count += 1;
            t.at = at;
            t.first = t.first.min(at);
            self.items.push(t);
        } else {
            self.items.push(Toast {
                text: text.to_owned(),
                level,
                count: 1,
                at,
                first: at,
            });
        }
        // Far more than fit on screen are only counted; keep the list itself small.
        if self.items.len() > 100 {
            self.items.remove(0);
        }
    }

    /// Drops the information cards whose time is up.
    pub fn expire(&mut self, now: Instant) {
        self.items
            .retain(|t| t.level == NoticeLevel::Error || now.saturating_duration_since(t.at) < INFO_SHOWN);
    }

    /// Removes card `i` (its ✖).
    pub fn dismiss(&mut self, i: usize) {
        if i < self.items.len() {
            self.items.remove(i);
        }
    }

    /// Removes every card.
    pub fn dismiss_all(&mut self) {
        self.items.clear();
    }
}

/// Reads new notices and draws the stack over the bottom-right of the window.
pub fn toasts_ui(ctx: &egui::Context, state: &AppState, toasts: &mut Toasts) {
    toasts.collect(&state.notices);
    let now = Instant::now();
    toasts.expire(now);
    if toasts.items.is_empty() {
        toasts.unfolded_height = 0.0;
        return;
    }
    let screen = ctx.content_rect();
    let width = MAX_WIDTH.min(screen.width() * 0.45);
    let hidden = toasts.items.len().saturating_sub(MAX_SHOWN);
    let mut dismiss = None;
    let mut dismiss_all = false;
    let pointer_over = toasts.pointer_over;
    // Above the status bar, clear of the window's edge.
    let shown = egui::Area::new(egui::Id::unique("topicscope_toasts"))
        .anchor(egui::Align2::RIGHT_BOTTOM, CORNER_OFFSET)
        .order(egui::Order::Foreground)
        .interactable(true)
        .show(ctx, |ui| {
            ui.set_max_width(width);
            if hidden > 0 {
                ui.horizontal(|ui| {
                    ui.weak(crate::tr!("desk-toast-more", n = hidden));
                    if ui.small_button(crate::tr!("desk-toast-dismiss-all")).clicked() {
                        dismiss_all = true;
                    }
                });
            }
            for (i, t) in toasts.items.iter().enumerate().skip(hidden) {
                if toast_ui(ui, t, now, width, pointer_over) {
                    dismiss = Some(i);
                }
            }
        });
    // The cards are drawn above everything else, so the pointer inside the stack is on it.
    // The zone is taken from the corner, not from the area's rect: the area is placed by
    // its size in the frame before, so while the stack folds or unfolds its rect lags.
    let any_folded = toasts
        .items
        .iter()
        .skip(hidden)
        .any(|t| lines_shown(t, now.saturating_duration_since(t.first), pointer_over) < MAX_LINES);
    let height = shown.response.rect.height();
    let mut reach = height;
    if any_folded {
        let since = *toasts.folded_since.get_or_insert(now);
        if now.saturating_duration_since(since) < FOLD_GRACE {
            reach = reach.max(toasts.unfolded_height);
        }
    } else {
        toasts.unfolded_height = height;
        toasts.folded_since = None;
    }
    let corner = screen.right_bottom() + CORNER_OFFSET;
    let zone = egui::Rect::from_min_max(corner - egui::vec2(width, reach), corner);
    toasts.pointer_over = ctx.pointer_hover_pos().is_some_and(|p| zone.contains(p));
    if dismiss_all {
        toasts.dismiss_all();
    } else if let Some(i) = dismiss {
        toasts.dismiss(i);
    }
    // Come back when the next information card starts to fade or is gone, or the next
    // error card folds.
    let next = toasts
        .items
        .iter()
        .filter_map(|t| {
            let age = now.saturating_duration_since(t.at);
            match t.level {
                NoticeLevel::Info => {
                    let fade_from = INFO_SHOWN - FADE;
                    Some(if age < fade_from {
                        fade_from - age
                    } else {
                        // Fading: a few frames a second is smooth enough and cheap.
                        Duration::from_millis(50)
                    })
                }
                NoticeLevel::Error => ERROR_FULL
                    .checked_sub(now.saturating_duration_since(t.first))
                    .filter(|left| !left.is_zero()),
            }
        })
        .min();
    if let Some(after) = next {
        ctx.request_repaint_after(after);
    }
}

/// One card; true when its ✖ was clicked.
fn toast_ui(ui: &mut egui::Ui, t: &Toast, now: Instant, width: f32, pointer_over: bool) -> bool {
    let palette = theme::palette(ui);
    let age = now.saturating_duration_since(t.at);
    if t.level == NoticeLevel::Info && age > INFO_SHOWN - FADE {
        let left = (INFO_SHOWN.saturating_sub(age)).as_secs_f32() / FADE.as_secs_f32();
        ui.multiply_opacity(left.clamp(0.0, 1.0));
    }
    let (accent, icon) = match t.level {
        NoticeLevel::Info => (palette.ok, "ℹ"),
        NoticeLevel::Error => (palette.error, "⚠"),
    };
    let mut clicked = false;
    egui::Frame::popup(ui.style())
        .stroke(egui::Stroke::new(1.0, accent))
        .show(ui, |ui| {
            ui.set_width(width - 16.0);
            ui.horizontal_top(|ui| {
                ui.colored_label(accent, icon);
                let text_width = ui.available_width() - 44.0;
                ui.vertical(|ui| {
                    ui.set_max_width(text_width.max(60.0));
                    let mut job = egui::text::LayoutJob::simple(
                        t.text.clone(),
                        egui::TextStyle::Body.resolve(ui.style()),
                        ui.visuals().text_color(),
                        text_width.max(60.0),
                    );
                    job.wrap.max_rows = lines_shown(t, now.saturating_duration_since(t.first), pointer_over);
                    ui.add(egui::Label::new(job)).on_hover_text(&t.text);
                });
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Min), |ui| {
                    clicked = ui
                        .small_button("✖")
                        .accessible_name(crate::tr!("desk-toast-dismiss"))
                        .on_hover_text(crate::tr!("desk-toast-dismiss"))
                        .clicked();
                    if t.count > 1 {
                        ui.weak(format!("×{}", t.count));
                    }
                });
            });
        });
    ui.add_space(4.0);
    clicked
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notice(seq: u64, text: &str, level: NoticeLevel) -> Notice {
        Notice {
            seq,
            at: Instant::now(),
            text: text.into(),
            level,
        }
    }

    #[test]
    fn each_notice_becomes_one_card_once_and_repeats_are_counted() {
        let mut t = Toasts::default();
        let mut notices = vec![
            notice(1, "saved", NoticeLevel::Info),
            notice(2, "refused", NoticeLevel::Error),
        ];
        t.collect(&notices);
        t.collect(&notices);
        assert_eq!(t.items().len(), 2);
        notices.push(notice(3, "refused", NoticeLevel::Error));
        notices.remove(0);
        t.collect(&notices);
        assert_eq!(t.items().len(), 2);
        let last = t.items().last().unwrap();
        assert_eq!((last.text.as_str(), last.count), ("refused", 2));
    }

    #[test]
    fn a_repeated_error_folds_from_its_first_coming() {
        let mut t = Toasts::default();
        let then = Instant::now();
        t.push_at(NoticeLevel::Error, "refused", then);
        t.push_at(NoticeLevel::Error, "refused", then + ERROR_FULL);
        let card = &t.items()[0];
        assert_eq!((card.count, card.first, card.at), (2, then, then + ERROR_FULL));
        assert_eq!(lines_shown(card, (then + ERROR_FULL) - card.first, false), 1);
    }

    #[test]
    fn information_fades_and_errors_stay_until_dismissed() {
        let mut t = Toasts::default();
        let then = Instant::now();
        t.push_at(NoticeLevel::Info, "saved", then);
        t.push_at(NoticeLevel::Error, "refused", then);
        t.expire(then + INFO_SHOWN / 2);
        assert_eq!(t.items().len(), 2);
        t.expire(then + INFO_SHOWN + Duration::from_millis(1));
        assert_eq!(t.items().len(), 1);
        t.expire(then + Duration::from_secs(3600));
        assert_eq!(t.items()[0].text, "refused");
        t.dismiss(0);
        assert!(t.items().is_empty());
    }

    #[test]
    fn an_error_kept_on_screen_folds_to_one_line_unless_the_pointer_is_over_it() {
        let toast = |level| Toast {
            text: "Client id esp32 is used by two clients that keep kicking each other off".into(),
            level,
            count: 1,
            at: Instant::now(),
            first: Instant::now(),
        };
        let error = toast(NoticeLevel::Error);
        assert_eq!(lines_shown(&error, Duration::ZERO, false), MAX_LINES);
        assert_eq!(
            lines_shown(&error, ERROR_FULL - Duration::from_millis(1), false),
            MAX_LINES
        );
        assert_eq!(lines_shown(&error, ERROR_FULL, false), 1);
        assert_eq!(lines_shown(&error, Duration::from_secs(3600), true), MAX_LINES);
        // Information never stays long enough to fold; it shows whole until it fades.
        let info = toast(NoticeLevel::Info);
        assert_eq!(lines_shown(&info, INFO_SHOWN - FADE, false), MAX_LINES);
    }
}
