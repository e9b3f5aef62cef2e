//! The small windows of saved commands, drawn whichever pane is visible (a shortcut or
//! the palette may send a command while its pane is closed): the values of a command's
//! variables, and the capture of a keyboard shortcut.

use std::collections::BTreeMap;

use super::commands::{AfterPrompt, CommandsView, copy_mosquitto};
use super::repeat_form;
use crate::app::AppState;
use crate::ui::{command_keys, theme};

/// Asks for the values of the command's user variables, then does what was asked.
pub fn prompt_ui(ctx: &egui::Context, state: &mut AppState, view: &mut CommandsView) {
    let Some(p) = view.prompt.as_mut() else { return };
    let mut go = false;
    let mut close = false;
    let modal = egui::Modal::new(egui::Id::unique("command_values")).show(ctx, |ui| {
        ui.set_max_width(480.0);
        ui.heading(crate::tr!("cmd-values-title", name = p.command.full_name()));
        ui.weak(p.command.topic.as_str());
        egui::Grid::new("command_values_grid").num_columns(2).show(ui, |ui| {
            for (i, (name, value)) in p.values.iter_mut().enumerate() {
                let label = ui.label(name.as_str());
                let edit = ui
                    .add(egui::TextEdit::singleline(value).desired_width(280.0))
                    .labelled_by(label.id);
                if i == 0 && !edit.has_focus() && ui.memory(|m| m.focused().is_none()) {
                    edit.request_focus();
                }
                if edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                    go = true;
                }
                ui.end_row();
            }
        });
        if let Some(e) = &p.error {
            ui.colored_label(theme::palette(ui).error, e.as_str());
        }
        ui.horizontal(|ui| {
            let label = match p.then {
                AfterPrompt::Send => crate::tr!("cmd-values-send"),
                AfterPrompt::Repeat(_) => crate::tr!("cmd-repeat-start"),
                AfterPrompt::CopyMosquitto => crate::tr!("cmd-values-copy"),
            };
            go |= ui.button(label).clicked();
            close = ui.button(crate::tr!("chrome-cancel")).clicked();
        });
    });
    close |= modal.should_close();
    if go {
        let values: BTreeMap<String, String> = p.values.iter().cloned().collect();
        let result = match &p.then {
            AfterPrompt::Send => state.send_command(&p.command, &values).map(drop),
            AfterPrompt::Repeat(form) => form.read().and_then(|(interval, count, payload_size)| {
                let spec = crate::app::repeats::RepeatSpec {
                    command: p.command.clone(),
                    values: values.clone(),
                    interval,
                    count,
                    payload_size,
                };
                repeat_form::start(state, spec)
            }),
            AfterPrompt::CopyMosquitto => {
                copy_mosquitto(ctx, state, &p.command, &values);
                Ok(())
            }
        };
        match result {
            Ok(()) => {
                remember_values(state, &p.command.full_name(), values);
                close = true;
            }
            Err(e) => p.error = Some(e),
        }
    }
    if close {
        view.prompt = None;
    }
}

/// Asks before deleting a saved command.
pub fn delete_ui(ctx: &egui::Context, state: &mut AppState, view: &mut CommandsView) {
    let Some(name) = view.confirm_delete.clone() else {
        return;
    };
    let mut decision = None;
    let modal = egui::Modal::new(egui::Id::unique("command_delete")).show(ctx, |ui| {
        ui.label(crate::tr!("cmd-delete-confirm", name = name.as_str()));
        ui.horizontal(|ui| {
            if ui.button(crate::tr!("cmd-delete")).clicked() {
                decision = Some(true);
            }
            if ui.button(crate::tr!("chrome-cancel")).clicked() {
                decision = Some(false);
            }
        });
    });
    if modal.should_close() {
        decision = decision.or(Some(false));
    }
    if decision == Some(true) {
        let rest: Vec<_> = state
            .conn()
            .profile
            .commands
            .iter()
            .filter(|c| c.full_name() != name)
            .cloned()
            .collect();
        if let Err(e) = state.set_commands(rest) {
            state.error(e);
        }
    }
    if decision.is_some() {
        view.confirm_delete = None;
    }
}

/// Keeps the values given, to offer them next time (only for a saved command).
fn remember_values(state: &mut AppState, full_name: &str, values: BTreeMap<String, String>) {
    let mut list = state.conn().profile.commands.clone();
    let Some(c) = list.iter_mut().find(|c| c.full_name() == full_name) else {
        return;
    };
    if c.values == values {
        return;
    }
    c.values = values;
    if let Err(e) = state.set_commands(list) {
        state.error(e);
    }
}

/// Waits for the keys of a command's shortcut: Escape cancels, Backspace removes it.
pub fn capture_ui(ctx: &egui::Context, state: &mut AppState, view: &mut CommandsView) {
    let Some((name, refused)) = view.capture.as_mut() else {
        return;
    };
    let mut done = false;
    if let Some((modifiers, key)) = command_keys::captured(ctx) {
        let list = state.conn().profile.commands.clone();
        match key {
            egui::Key::Escape if modifiers.is_none() => done = true,
            egui::Key::Backspace | egui::Key::Delete if modifiers.is_none() => {
                set_shortcut(state, name, None);
                done = true;
            }
            _ => {
                let others: Vec<_> = list.iter().filter(|c| c.full_name() != *name).collect();
                match command_keys::accept(modifiers, key, &others) {
                    Ok(keys) => {
                        set_shortcut(state, name, Some(keys));
                        done = true;
                    }
                    Err(e) => *refused = Some(e),
                }
            }
        }
    }
    let modal = egui::Modal::new(egui::Id::unique("command_shortcut")).show(ctx, |ui| {
        ui.heading(crate::tr!("cmd-key-title", name = name.as_str()));
        let current = state
            .conn()
            .profile
            .commands
            .iter()
            .find(|c| c.full_name() == *name)
            .and_then(|c| c.shortcut.clone());
        match current {
            Some(keys) => ui.label(crate::tr!("cmd-key-current", keys = keys)),
            None => ui.weak(crate::tr!("cmd-key-none")),
        };
        ui.label(crate::tr!("cmd-key-press"));
        ui.weak(crate::tr!("cmd-key-how"));
        if let Some(e) = refused {
            ui.colored_label(theme::palette(ui).error, e.as_str());
        }
        if ui.button(crate::tr!("chrome-cancel")).clicked() {
            done = true;
        }
    });
    if done || modal.should_close() {
        view.capture = None;
    }
}

fn set_shortcut(state: &mut AppState, full_name: &str, keys: Option<String>) {
    let mut list = state.conn().profile.commands.clone();
    if let Some(c) = list.iter_mut().find(|c| c.full_name() == full_name) {
        c.shortcut = keys;
        if let Err(e) = state.set_commands(list) {
            state.error(e);
        }
    }
}

/// Sends the command whose shortcut was pressed, if any. Works while a text field has
/// the keyboard: a command's keys are Ctrl/Alt chords or function keys, which typing
/// does not produce. Not while one of the commands' own windows is open.
pub fn shortcuts(ctx: &egui::Context, state: &mut AppState, view: &mut CommandsView) {
    if view.capture.is_some() || view.prompt.is_some() || view.editor.is_some() || view.confirm_delete.is_some() {
        return;
    }
    if let Some(full_name) = command_keys::pressed(ctx, &state.conn().profile.commands) {
        super::commands::send_named(state, view, &full_name);
    }
}
