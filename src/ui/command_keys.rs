//! Keyboard shortcuts of saved commands: written as "Ctrl+Alt+1" in the profile,
//! captured from the next key the user presses, refused when they would take a key the
//! window or text fields need, and matched every frame.

use egui::{Key, KeyboardShortcut, Modifiers};

use crate::model::saved_command::SavedCommand;

/// The window's own shortcuts and the editing keys of text fields: never a command's.
fn reserved(sc: &KeyboardShortcut) -> bool {
    let m = sc.modifiers;
    let ctrl = Modifiers::COMMAND;
    let ctrl_shift = Modifiers::COMMAND | Modifiers::SHIFT;
    let plain = m.is_none();
    let digit = matches!(
        sc.logical_key,
        Key::Num1 | Key::Num2 | Key::Num3 | Key::Num4 | Key::Num5 | Key::Num6 | Key::Num7 | Key::Num8 | Key::Num9
    );
    (m.matches_exact(ctrl)
        && (digit
            || matches!(
                sc.logical_key,
                Key::F | Key::K | Key::C | Key::V | Key::X | Key::A | Key::Z | Key::Y | Key::Enter | Key::Tab
            )))
        || (m.matches_exact(ctrl_shift) && matches!(sc.logical_key, Key::P | Key::Space | Key::Z | Key::Tab))
        || (plain && matches!(sc.logical_key, Key::F1 | Key::Escape | Key::Tab | Key::Enter))
}

/// True when `key` may carry a shortcut with no modifier (function keys only: any other
/// plain key is typing).
fn is_function_key(key: Key) -> bool {
    key.name().starts_with('F') && key.name().len() > 1 && key.name()[1..].chars().all(|c| c.is_ascii_digit())
}

/// "Ctrl+Alt+Shift+1": the same words on every platform and in every language (they
/// are printed on the keys).
pub fn format(sc: &KeyboardShortcut) -> String {
    let m = sc.modifiers;
    let mut out = String::new();
    if m.command || m.ctrl {
        out.push_str("Ctrl+");
    }
    if m.alt {
        out.push_str("Alt+");
    }
    if m.shift {
        out.push_str("Shift+");
    }
    out.push_str(sc.logical_key.name());
    out
}

/// Reads a saved shortcut; `None` when it is not one.
pub fn parse(text: &str) -> Option<KeyboardShortcut> {
    let mut modifiers = Modifiers::NONE;
    let mut parts: Vec<&str> = text.split('+').map(str::trim).collect();
    // "Ctrl++" would be the plus key; keep it simple: the last part is the key.
    let key = Key::from_name(parts.pop()?)?;
    for p in parts {
        match p.to_ascii_lowercase().as_str() {
            "ctrl" | "cmd" | "command" => modifiers |= Modifiers::COMMAND,
            "alt" | "option" => modifiers |= Modifiers::ALT,
            "shift" => modifiers |= Modifiers::SHIFT,
            _ => return None,
        }
    }
    Some(KeyboardShortcut::new(modifiers, key))
}

/// The shortcut for a key pressed while capturing, or why it cannot be one. `others`:
/// the commands it must not collide with.
pub fn accept(modifiers: Modifiers, key: Key, others: &[&SavedCommand]) -> Result<String, String> {
    let modifiers = Modifiers {
        // One word for Ctrl and ⌘, as egui's COMMAND.
        command: modifiers.command || modifiers.ctrl,
        ctrl: false,
        mac_cmd: false,
        ..modifiers
    };
    let sc = KeyboardShortcut::new(modifiers, key);
    let text = format(&sc);
    if !(modifiers.command || modifiers.alt || is_function_key(key)) {
        return Err(crate::tr!("cmd-key-needs-modifier", keys = text.as_str()));
    }
    if reserved(&sc) {
        return Err(crate::tr!("cmd-key-reserved", keys = text.as_str()));
    }
    if let Some(other) = others
        .iter()
        .find(|c| c.shortcut.as_deref().and_then(parse).is_some_and(|o| same(&o, &sc)))
    {
        return Err(crate::tr!(
            "cmd-key-taken",
            keys = text.as_str(),
            name = other.full_name()
        ));
    }
    Ok(text)
}

fn same(a: &KeyboardShortcut, b: &KeyboardShortcut) -> bool {
    a.logical_key == b.logical_key && a.modifiers.matches_exact(b.modifiers)
}

/// The command whose shortcut was pressed this frame (the key is consumed).
pub fn pressed(ctx: &egui::Context, commands: &[SavedCommand]) -> Option<String> {
    for c in commands {
        let Some(sc) = c.shortcut.as_deref().and_then(parse) else {
            continue;
        };
        if ctx.input_mut(|i| i.consume_shortcut(&sc)) {
            return Some(c.full_name());
        }
    }
    None
}

/// While capturing: the key pressed this frame with its modifiers (consumed), if any.
pub fn captured(ctx: &egui::Context) -> Option<(Modifiers, Key)> {
    ctx.input_mut(|i| {
        let found = i.events.iter().find_map(|e| match e {
            egui::Event::Key {
                key,
                pressed: true,
                modifiers,
                ..
            } => Some((*modifiers, *key)),
            _ => None,
        });
        if let Some((m, k)) = found {
            i.consume_key(m, k);
        }
        found
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmd(name: &str, keys: Option<&str>) -> SavedCommand {
        SavedCommand {
            name: name.into(),
            shortcut: keys.map(str::to_owned),
            ..SavedCommand::default()
        }
    }

    #[test]
    fn shortcuts_read_back_as_written() {
        for text in ["Ctrl+Alt+1", "Alt+P", "F5", "Ctrl+Shift+F9", "Alt+Shift+O"] {
            let sc = parse(text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(format(&sc), text);
        }
        assert_eq!(parse("Hyper+1"), None);
        assert_eq!(parse("Ctrl+Nothing"), None);
    }

    #[test]
    fn typing_keys_and_the_windows_own_are_refused() {
        let none: [&SavedCommand; 0] = [];
        assert!(accept(Modifiers::NONE, Key::A, &none).is_err());
        assert!(accept(Modifiers::SHIFT, Key::A, &none).is_err());
        assert!(accept(Modifiers::COMMAND, Key::F, &none).is_err());
        assert!(accept(Modifiers::COMMAND, Key::Num1, &none).is_err());
        assert!(accept(Modifiers::COMMAND, Key::Enter, &none).is_err());
        assert!(accept(Modifiers::COMMAND | Modifiers::SHIFT, Key::P, &none).is_err());
        assert!(accept(Modifiers::NONE, Key::F1, &none).is_err());
        assert_eq!(accept(Modifiers::NONE, Key::F5, &none).unwrap(), "F5");
        assert_eq!(
            accept(Modifiers::COMMAND | Modifiers::ALT, Key::Num1, &none).unwrap(),
            "Ctrl+Alt+1"
        );
        assert_eq!(accept(Modifiers::ALT, Key::P, &none).unwrap(), "Alt+P");
    }

    #[test]
    fn a_shortcut_belongs_to_one_command() {
        let on = cmd("pump on", Some("Alt+1"));
        let e = accept(Modifiers::ALT, Key::Num1, &[&on]).unwrap_err();
        assert!(e.contains("pump on") && e.contains("Alt+1"), "{e}");
        assert!(accept(Modifiers::ALT, Key::Num2, &[&on]).is_ok());
    }
}
