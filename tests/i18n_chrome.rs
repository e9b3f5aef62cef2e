//! The window chrome in Simplified Chinese (the real window through egui_kittest): the
//! Language menu switches the top bar, the status bar, the pane titles, the command
//! palette and the help at once and back again; the choice survives a restart; and a
//! walk over every label of the demo window lists whatever is still in English.
//!
//! Its own test binary because the interface language is global to the process; the
//! tests here take [`LANG_LOCK`] so that they never switch it under each other.

mod common;

use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;

use common::window::*;
use egui::{Key, Modifiers};
use egui_kittest::kittest::{By, NodeT as _, Queryable};
use topicscope::i18n::{Lang, lang, set_lang};
use topicscope::model::NodeId;
use topicscope::ui::{Action, Pane, UiState};

/// Held by every test of this binary: the language is one per process.
static LANG_LOCK: Mutex<()> = Mutex::new(());

fn lang_lock() -> std::sync::MutexGuard<'static, ()> {
    // A test that failed while holding it must not fail the others too.
    LANG_LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

/// The window with no connection and the connection dialog closed.
fn bare_app(dir: &std::path::Path) -> AppHarness {
    let mut h = app_sized(dir, None, [1440.0, 900.0]);
    h.state_mut().ui.profile_dialog = None;
    h.step();
    h.step();
    h
}

/// Picks `item` in the top bar's Language menu, as a person would.
fn pick_language(h: &mut AppHarness, menu: &str, item: &str) {
    h.get_by_label(menu).click();
    h.step();
    h.step();
    h.get_by_label(item).click();
    h.step();
    h.step();
}

/// eframe's storage, in memory: what a restart reads back.
#[derive(Default)]
struct MemoryStorage(HashMap<String, String>);

impl eframe::Storage for MemoryStorage {
    fn get_string(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }
    fn set_string(&mut self, key: &str, value: String) {
        self.0.insert(key.to_owned(), value);
    }
    fn remove_string(&mut self, key: &str) {
        self.0.remove(key);
    }
    fn flush(&mut self) {}
}

#[test]
fn the_language_menu_switches_the_chrome_to_chinese_and_back() {
    let _lock = lang_lock();
    set_lang(Lang::En);
    let dir = tempfile::tempdir().unwrap();
    let mut h = bare_app(dir.path());
    assert!(has_label(&h, "Panes"), "starts in English");

    pick_language(&mut h, "🌐 Language", "简体中文");
    assert_eq!(lang(), Lang::ZhCn);
    assert_eq!(h.state().ui.settings.language, Some(Lang::ZhCn));
    // Top bar.
    for label in ["🌐 语言", "面板", "⏸ 暂停", "清空", "⌨ 命令", "连接…", "+ 连接"] {
        assert!(has_label(&h, label), "the top bar shows {label}");
    }
    assert!(!has_label(&h, "Panes"), "no English left in the top bar's menus");
    // Status bar: the state in words, and the counts with Chinese units.
    for label in ["新连接：已断开", "0 条/秒", "0 条消息", "0 个主题"] {
        assert!(has_label(&h, label), "the status bar shows {label}");
    }
    // Pane titles in the tabs.
    for label in ["🌲 主题", "🔎 检查器", "📈 图表"] {
        assert!(has_label(&h, label), "the tab {label}");
    }
    // The palette: its field, its actions (languages named in their own script).
    h.key_press_modifiers(Modifiers::COMMAND, Key::K);
    h.step();
    h.step();
    for label in ["命令", "连接…", "筛选主题", "展开所有主题", "主题排序：按名称"] {
        assert!(has_label(&h, label), "the palette lists {label}");
    }
    // Typed in Chinese, the query finds the language commands, each language named in
    // its own script.
    h.event(egui::Event::Text("界面语言".into()));
    h.step();
    h.step();
    for label in ["界面语言：跟随系统", "界面语言：English", "界面语言：简体中文"] {
        assert!(has_label(&h, label), "the palette lists {label}");
    }
    assert!(!has_label(&h, "筛选主题"), "the query narrowed the list");
    h.key_press(Key::Escape);
    h.step();
    h.step();
    // The help window.
    h.key_press(Key::F1);
    h.step();
    h.step();
    for label in ["键盘快捷键", "筛选主题", "显示此列表", "关闭"] {
        assert!(has_label(&h, label), "the help shows {label}");
    }
    h.get_by_label("关闭").click();
    h.step();
    h.step();
    assert!(!has_label(&h, "键盘快捷键"), "the help closed");

    pick_language(&mut h, "🌐 语言", "English");
    assert_eq!(lang(), Lang::En);
    assert_eq!(h.state().ui.settings.language, Some(Lang::En));
    for label in ["🌐 Language", "Panes", "⏸ Pause", "🌲 Topics", "0 topics"] {
        assert!(has_label(&h, label), "back in English: {label}");
    }
    assert!(!has_label(&h, "面板"));
}

#[test]
fn the_chosen_language_survives_a_restart() {
    let _lock = lang_lock();
    set_lang(Lang::En);
    let dir = tempfile::tempdir().unwrap();
    let mut h = bare_app(dir.path());
    run_action(&mut h, Action::SetLanguage(Some(Lang::ZhCn)));
    assert_eq!(lang(), Lang::ZhCn);
    let mut storage = MemoryStorage::default();
    eframe::App::save(h.state_mut(), &mut storage);

    // A new process starts in the system's language until the settings are read.
    set_lang(Lang::En);
    let ui = UiState::new(Some(&storage), &h.state().state);
    assert_eq!(ui.settings.language, Some(Lang::ZhCn));
    assert_eq!(lang(), Lang::ZhCn, "the saved choice is applied on start");
    assert_eq!(Pane::Charts.title(), "图表");

    // Back to following the system: saved as such, and a restart follows the system.
    run_action(&mut h, Action::SetLanguage(None));
    eframe::App::save(h.state_mut(), &mut storage);
    set_lang(Lang::ZhCn);
    let ui = UiState::new(Some(&storage), &h.state().state);
    assert_eq!(ui.settings.language, None);
    assert_eq!(lang(), topicscope::i18n::detect());
    set_lang(Lang::En);
}

#[test]
fn states_outcomes_and_built_in_names_read_in_chinese() {
    let _lock = lang_lock();
    set_lang(Lang::ZhCn);
    let sub = |status: &str| topicscope::app::SubscriptionStatus {
        filter: "#".into(),
        qos: 1,
        status: status.into(),
    };
    assert_eq!(sub("pending").shown(), "等待确认");
    assert_eq!(sub("granted QoS 1").shown(), "已授权 QoS 1");
    assert_eq!(
        sub("refused: Not authorized (0x87)").shown(),
        "被拒绝：Not authorized (0x87)"
    );
    assert_eq!(
        topicscope::app::PublishOutcome::Acknowledged.to_string(),
        "服务器已确认"
    );
    // The built-in connections are named in the language; a saved profile keeps its name.
    assert_eq!(topicscope::app::display_name(topicscope::app::DEMO_NAME), "演示设备群");
    assert_eq!(
        topicscope::app::display_name(topicscope::app::COMMAND_LINE_NAME),
        "命令行"
    );
    assert_eq!(topicscope::app::display_name(""), "新连接");
    assert_eq!(topicscope::app::display_name("家里的树莓派"), "家里的树莓派");
    set_lang(Lang::En);
}

/// Words that are the same in every language: protocol and file-format names, key
/// names as printed on a keyboard, units, and the program's own name.
const SAME_IN_EVERY_LANGUAGE: &[&str] = &[
    "mqtt",
    "mqtts",
    "qos",
    "json",
    "tls",
    "tcp",
    "websocket",
    "url",
    "id",
    "ca",
    "pem",
    "csv",
    "utf",
    "hex",
    "esp",
    "ctrl",
    "shift",
    "space",
    "tab",
    "enter",
    "escape",
    "home",
    "end",
    "page",
    "up",
    "down",
    "f",
    "kib",
    "mib",
    "gib",
    "tib",
    "ms",
    "topicscope",
    "english",
    "wss",
    "ws",
    "localhost",
    // `$SYS`, the brokers' own topics, and the brokers' names (the Broker pane).
    "sys",
    "mosquitto",
    "emqx",
    "nanomq",
    "vernemq",
    "rabbitmq",
    // Home Assistant's short name, as its Chinese users write it too (the Discovery pane).
    "ha",
    "aedes",
    "acl",
    "http",
    "api",
];

/// Names the libraries give their own widgets for screen readers (egui's window
/// borders and close button, egui_tiles' tab close button and the painted arrows that
/// scroll a crowded tab bar): never drawn as text.
fn library_name(label: &str) -> bool {
    matches!(
        label,
        "Close" | "Close window" | "Resize panel" | "Scroll tabs left" | "Scroll tabs right"
    ) || label.starts_with("Resize window ")
}

/// The ASCII words of `text` (letters only; URLs and numbers are skipped whole).
fn words(text: &str) -> Vec<String> {
    text.split_whitespace()
        .filter(|t| !t.contains("://"))
        .flat_map(|t| t.split(|c: char| !c.is_ascii_alphabetic()))
        .filter(|w| w.len() >= 2)
        .map(str::to_lowercase)
        .collect()
}

/// The strings the data brings in: topics and their levels, JSON keys and string
/// values of the payloads (or short text payloads whole), connection names and
/// addresses, filters, series labels. Longest first, so that a topic is taken out of a
/// label before one of its levels.
fn data_strings(h: &AppHarness) -> Vec<String> {
    let state = &h.state().state;
    let mut out = BTreeSet::new();
    for c in &state.connections {
        out.insert(c.name.clone());
        out.insert(c.broker_display());
        out.extend(c.subscriptions.iter().map(|s| s.filter.clone()));
        let tree = c.model.tree();
        for id in tree.iter_subtree(NodeId::ROOT) {
            let topic = tree.full_topic(id);
            out.extend(topic.split('/').map(str::to_owned));
            out.insert(topic);
            let Some(m) = tree.last_message(id) else { continue };
            match serde_json::from_slice::<serde_json::Value>(&m.payload) {
                Ok(v) => json_strings(&v, &mut out),
                Err(_) if m.payload.len() <= 200 => {
                    out.insert(String::from_utf8_lossy(&m.payload).into_owned());
                }
                Err(_) => {}
            }
        }
    }
    for chart in &state.charts.charts {
        out.extend(chart.series.iter().map(|s| s.spec.label()));
    }
    let mut v: Vec<String> = out.into_iter().filter(|s| s.len() >= 2).collect();
    v.sort_by_key(|s| std::cmp::Reverse(s.len()));
    v
}

fn json_strings(v: &serde_json::Value, out: &mut BTreeSet<String>) {
    match v {
        serde_json::Value::String(s) => {
            out.insert(s.clone());
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| json_strings(x, out)),
        serde_json::Value::Object(o) => {
            for (k, x) in o {
                out.insert(k.clone());
                json_strings(x, out);
            }
        }
        _ => {}
    }
}

/// `label` without the data in it: the data strings, and quoted JSON strings (the
/// payload views quote keys and values, and cut long previews mid-string).
fn without_data(label: &str, data: &[String]) -> String {
    let mut rest = label.to_owned();
    for d in data {
        rest = remove_whole(&rest, d);
    }
    let mut out = String::new();
    let mut quoted = false;
    for c in rest.chars() {
        if c == '"' {
            quoted = !quoted;
            out.push(' ');
        } else if !quoted {
            out.push(c);
        }
    }
    out
}

/// `text` without the occurrences of `part` that are not inside a longer word (so that
/// a payload's "ON" does not take a bite out of "JSON").
fn remove_whole(text: &str, part: &str) -> String {
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric());
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(part) {
        let before = rest[..at].chars().next_back();
        let after = rest[at + part.len()..].chars().next();
        let (head, tail) = rest.split_at(at);
        out.push_str(head);
        if word(before) || word(after) {
            out.push_str(part);
        } else {
            out.push(' ');
        }
        rest = &tail[part.len()..];
    }
    out.push_str(rest);
    out
}

/// Every label on screen that still has an English word outside the data.
fn english_labels(h: &AppHarness) -> BTreeSet<String> {
    let data = data_strings(h);
    let labels: Vec<String> = h
        .query_all(By::new().include_labels().predicate(|n| n.label().is_some()))
        .filter_map(|n| n.accesskit_node().label())
        .collect();
    labels
        .into_iter()
        .filter(|l| !library_name(l))
        .filter(|l| {
            words(&without_data(l, &data))
                .iter()
                .any(|w| !SAME_IN_EVERY_LANGUAGE.contains(&w.as_str()))
        })
        .collect()
}

#[cfg(feature = "broker")]
#[test]
fn every_label_of_the_demo_window_is_chinese() {
    let _lock = lang_lock();
    set_lang(Lang::En);
    let dir = tempfile::tempdir().unwrap();
    let mut h = bare_app(dir.path());
    // As a person would: switch the language, then open the demo.
    run_action(&mut h, Action::SetLanguage(Some(Lang::ZhCn)));
    run_action(&mut h, Action::StartDemo);
    step_until(&mut h, "the demo is connected", connected);
    let topic = "tele/tasmota_5C3F21/SENSOR";
    step_until(&mut h, "the demo sensor has reported", |h| {
        h.state().state.conn().model.tree().find(topic).is_some()
    });
    let id = h.state().state.conn().model.tree().find(topic).unwrap();
    let conn = h.state().state.conn().id;
    h.state_mut().ui.conn_view(conn).tree.selected = Some(id);
    run_action(&mut h, Action::ExpandAll);
    let mut english = BTreeSet::new();
    // Every pane in turn (some share a tab group), then the dialogs.
    for pane in Pane::ALL {
        run_action(&mut h, Action::ShowPane(pane));
        english.extend(english_labels(&h));
    }
    // The top bar's menus, open.
    for menu in ["面板", "🌐 语言", "打开"] {
        h.get_by_label(menu).click();
        h.step();
        h.step();
        english.extend(english_labels(&h));
        h.key_press(Key::Escape);
        h.step();
        h.step();
    }
    // The question before clearing retained messages (answered "cancel").
    run_action(&mut h, Action::ClearRetainedBelow);
    assert!(has_label(&h, "清除保留消息"), "the confirmation is open");
    english.extend(english_labels(&h));
    h.get_by_label("取消").click();
    h.step();
    run_action(&mut h, Action::OpenPalette);
    english.extend(english_labels(&h));
    h.key_press(Key::Escape);
    h.step();
    run_action(&mut h, Action::ShowShortcuts);
    english.extend(english_labels(&h));
    h.key_press(Key::Escape);
    h.step();
    run_action(&mut h, Action::OpenConnections);
    english.extend(english_labels(&h));
    set_lang(Lang::En);
    assert!(
        english.is_empty(),
        "{} labels still in English in zh-CN:\n{}",
        english.len(),
        english.into_iter().collect::<Vec<_>>().join("\n")
    );
}
