//! Messages for the user (what happened, what failed), newest last. The status bar
//! shows the newest line; the toasts show each one until it fades (information) or is
//! dismissed (errors). The level is decided where the message is made, never guessed
//! from its words (which may be in any language).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// How many notices are kept: the toasts and the status bar only look at recent ones.
pub const NOTICES_KEPT: usize = 50;

/// How serious a notice is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NoticeLevel {
    /// Something happened as asked (saved, cleared, merged…): fades by itself.
    Info,
    /// Something failed: stays until the user dismisses it.
    Error,
}

/// One message for the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// Increases with every notice made in this process, so a reader can tell which
    /// ones it has already seen even after old ones were dropped.
    pub seq: u64,
    pub at: Instant,
    pub text: String,
    pub level: NoticeLevel,
}

/// Records a message for the user, keeping the last [`NOTICES_KEPT`].
pub fn push_notice_at(notices: &mut Vec<Notice>, text: String, level: NoticeLevel) {
    static SEQ: AtomicU64 = AtomicU64::new(1);
    notices.push(Notice {
        seq: SEQ.fetch_add(1, Ordering::Relaxed),
        at: Instant::now(),
        text,
        level,
    });
    if notices.len() > NOTICES_KEPT {
        notices.remove(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_are_numbered_in_order_and_bounded() {
        let mut v = Vec::new();
        for i in 0..(NOTICES_KEPT + 5) {
            let level = if i % 2 == 0 {
                NoticeLevel::Info
            } else {
                NoticeLevel::Error
            };
            push_notice_at(&mut v, format!("n{i}"), level);
        }
        assert_eq!(v.len(), NOTICES_KEPT);
        assert_eq!(v[0].text, "n5");
        assert!(v.windows(2).all(|w| w[0].seq < w[1].seq));
        assert_eq!(v[0].level, NoticeLevel::Error);
    }
}
