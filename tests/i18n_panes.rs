//! The panes in Chinese, in the real window on the demo fleet: the inspector's views,
//! the publish button and the other panes' words come out in Chinese, and no label
//! inside a pane is left in English (data such as topics, payloads and chart names, and
//! protocol words such as MQTT, QoS and JSON, are allowed).
//!
//! The interface language is global to the process, so this is its own test binary
//! with one window test: switching the language cannot reach the English UI tests.

#![cfg(feature = "broker")]

mod common;

use std::collections::HashSet;

use common::window::*;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use topicscope::app::StartConnect;
use topicscope::i18n::{Lang, set_lang};
use topicscope::ui::{Action, Pane};

/// Words that are the same in every language: protocol and format names, units, keys.
const PROTOCOL_WORDS: &[&str] = &[
    "MQTT", "QoS", "JSON", "Hex", "CSV", "UTF", "PNG", "JPEG", "KiB", "MiB", "GiB", "TiB", "Ctrl", "Cmd", "Shift",
    "Enter", "LE", "BE", "Y",
];

fn show(h: &mut AppHarness, pane: Pane) {
    let ctx = h.ctx.clone();
    let app = h.state_mut();
    app.ui.run(&ctx, &mut app.state, Action::ShowPane(pane));
    h.step();
    h.step();
}

fn is_chinese(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3000}'..='\u{303f}' | '\u{ff00}'..='\u{ffef}')
}

/// The words of `label` that look like untranslated English: ASCII letters only, two
/// or more, not a protocol word. A label with any Chinese in it counts as translated.
fn english_words(label: &str) -> Vec<&str> {
    if label.chars().any(is_chinese) {
        return Vec::new();
    }
    label
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| w.len() >= 2 && w.chars().all(|c| c.is_ascii_alphabetic()))
        .filter(|w| !PROTOCOL_WORDS.contains(w))
        .collect()
}

/// Labels that are the user's data rather than the interface's words.
fn data_strings(h: &AppHarness) -> HashSet<String> {
    let state = &h.state().state;
    let mut data = HashSet::new();
    for conn in &state.connections {
        data.insert(conn.name.clone());
        let tree = conn.model.tree();
        for id in tree.iter_subtree(topicscope::model::NodeId::ROOT) {
            data.insert(tree.name(id).to_owned());
            // The types a decoder reports beside a value (`bool`, `char[8]` of a struct
            // layout the user wrote, Sparkplug's `Float`) are the format's words.
            if let Some(last) = tree.last_message(id)
                && let Some(decoder) = conn.profile.decoders.decoder_for(&tree.full_topic(id), &last.payload)
                && let Ok(typed) = decoder.decode_typed(&last.payload)
            {
                data.extend(typed.types.names().map(str::to_owned));
            }
            // Home Assistant discovery configs name their entities and devices (the
            // Discovery pane shows those names).
            if tree.full_topic(id).ends_with("/config")
                && let Some(last) = tree.last_message(id)
                && let Ok(v) = serde_json::from_slice::<serde_json::Value>(&last.payload)
            {
                for pointer in ["/name", "/device/name", "/dev/name"] {
                    data.extend(v.pointer(pointer).and_then(|n| n.as_str()).map(str::to_owned));
                }
            }
        }
        // Devices are data: their names, kinds (proper nouns), readings, states and
        // the command words their firmware defines.
        for d in conn.devices.devices() {
            data.extend([d.name.clone(), d.kind.label().to_owned()]);
            data.extend(d.readings.iter().map(|r| r.label.clone()));
            data.extend(
                d.states
                    .iter()
                    .flat_map(|(k, v)| [format!("{k}: {v}"), format!("{k}:")]),
            );
            data.extend(
                d.commands
                    .iter()
                    .flat_map(|c| [c.label.clone(), format!("{}:", c.target)]),
            );
        }
        // Saved commands are the user's: their names, payloads and key chords.
        for c in &conn.profile.commands {
            data.extend([c.name.clone(), c.collection.clone(), c.payload.clone()]);
            data.extend(c.shortcut.clone());
        }
    }
    for chart in &state.charts.charts {
        data.insert(chart.title.clone());
        for s in &chart.series {
            data.insert(s.spec.label());
        }
    }
    data
}

/// Is `label` data: a topic level, chart or series name, a topic or filter, a line of
/// a payload (JSON lines are indented or bracketed), a hex dump line, a user property.
fn is_data(label: &str, data: &HashSet<String>) -> bool {
    let trimmed = label.trim();
    data.contains(trimmed)
        || data.iter().any(|d| d.len() > 3 && trimmed.contains(d.as_str()))
        || label.starts_with(' ')
        || trimmed.starts_with(['{', '}', '[', ']', '"'])
        || trimmed.contains(['/', '"', '='])
        || trimmed
            .get(..8)
            .is_some_and(|p| p.chars().all(|c| c.is_ascii_hexdigit()))
}

/// The language is one global: a new window sets it from the system at start-up, so
/// the tests that read Chinese never run at the same time.
static LANG_LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn lang_lock() -> std::sync::MutexGuard<'static, ()> {
    LANG_LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

#[test]
fn the_panes_speak_chinese_and_leave_no_english_label() {
    let _lang = lang_lock();
    let dir = tempfile::tempdir().unwrap();
    let mut h = app_sized(dir.path(), Some(StartConnect::Demo), [1600.0, 1000.0]);
    // After the app applied its own start-up language (the settings or the system's).
    set_lang(Lang::ZhCn);
    step_until(&mut h, "the demo sensor is selected", |h| {
        h.state().ui.selected_topic(&h.state().state).as_deref() == Some("tele/tasmota_5C3F21/SENSOR")
    });
    step_until(&mut h, "the demo sensor's payload shows", |h| {
        has_label_containing(h, "\"ENERGY\"")
    });

    // The inspector: its views, actions and the message's details.
    show(&mut h, Pane::Inspector);
    for label in [
        "自动",
        "文本",
        "图片",
        "与上一条对比",
        "复制载荷",
        "保存到文件…",
        "复制主题",
    ] {
        assert!(has_label(&h, label), "the inspector shows {label:?}");
    }
    // Hex and JSON are the same in every language.
    assert!(has_label(&h, "JSON") && has_label(&h, "Hex"));
    for start in ["接收时间 ", "大小 ", "保留 ", "类型 JSON", "距今 "] {
        assert!(
            has_label_containing(&h, start),
            "the inspector's details show {start:?}"
        );
    }
    // The date in words, the Chinese way: "接收时间 2026年11月29日 21:40:05.123".
    let received = h
        .query_all_by_label_contains("接收时间 ")
        .filter_map(|n| n.accesskit_node().value())
        .next()
        .expect("the received time");
    let now = chrono::Local::now();
    let date = now.format("%Y年%-m月%-d日 ").to_string();
    let just_after_midnight = now.format("%H:%M").to_string() == "00:00";
    assert!(
        received.starts_with(&format!("接收时间 {date}")) || just_after_midnight,
        "{received:?} is not a Chinese date like {date:?}"
    );
    step_until(&mut h, "the history lists the kept messages", |h| {
        has_label_containing(h, "历史（保存了 ")
    });

    show(&mut h, Pane::Publish);
    for label in ["发布", "主题", "载荷", "格式", "保留", "QoS 1"] {
        assert!(has_label(&h, label), "the publish pane shows {label:?}");
    }
    show(&mut h, Pane::Charts);
    assert!(
        has_label(&h, "新建图表") && has_label(&h, "时间窗口"),
        "the charts speak Chinese"
    );
    show(&mut h, Pane::Subscriptions);
    assert!(
        has_label(&h, "添加过滤器") && has_label(&h, "订阅"),
        "the subscriptions speak Chinese"
    );
    show(&mut h, Pane::Tree);
    assert!(
        has_label(&h, "过滤") && has_label(&h, "全部展开"),
        "the tree speaks Chinese"
    );

    let mut english = english_in_panes(&mut h, "the demo");

    // More states, each walked again: the diff with the previous message, a refused
    // publish, and the inspector with nothing selected.
    show(&mut h, Pane::Inspector);
    step_until(&mut h, "a second message of the sensor is kept", |h| {
        has_label_containing(h, "历史（保存了 ") && !has_label(h, "历史（保存了 1 条）")
    });
    h.get_by_label("与上一条对比").click();
    h.step();
    h.step();
    assert!(
        has_label_containing(&h, "与上一条消息对比（"),
        "the diff's heading is Chinese"
    );
    english.extend(english_in_panes(&mut h, "the diff"));

    show(&mut h, Pane::Publish);
    h.state_mut().ui.panes.publish.topic = "cmnd/demo/POWER".into();
    h.state_mut().ui.panes.publish.payload = "{\"on\": tru".into();
    h.state_mut().ui.panes.publish.format = topicscope::ui::panes::publish::PayloadFormat::Json;
    h.step();
    h.get_by_label("发布").click();
    h.step();
    h.step();
    assert!(
        has_label_containing(&h, "未发送：无效的 JSON，第 1 行第 "),
        "the refused publish says why in Chinese"
    );
    english.extend(english_in_panes(&mut h, "a refused publish"));

    // A binary board's packed struct, decoded by the demo profile's rule.
    show(&mut h, Pane::Inspector);
    step_until(&mut h, "the struct board has published", |h| {
        h.state().state.conn().model.tree().find("esp32/5a17c0/raw").is_some()
    });
    let id = h.state().state.conn().id;
    let node = h.state().state.conn().model.tree().find("esp32/5a17c0/raw");
    h.state_mut().ui.conn_view(id).tree.selected = node;
    step_until(&mut h, "the struct shows decoded", |h| {
        has_label(h, "由 27 字节的 C 结构体解码") && has_label_containing(h, "\"temperature\": ")
    });
    assert!(has_label(&h, "解码为") && has_label(&h, "应用于"));
    english.extend(english_in_panes(&mut h, "a decoded struct"));

    h.state_mut().ui.conn_view(id).tree.selected = None;
    h.step();
    h.step();
    assert!(has_label(&h, "选择一个主题"), "the empty inspector speaks Chinese");
    english.extend(english_in_panes(&mut h, "no selection"));

    english.sort();
    english.dedup();
    assert!(english.is_empty(), "left in English: {english:#?}");
}

/// Every label inside every pane (the tab bars and the window's chrome are another
/// area's) that looks like English, each shown once in turn; `when` names the state.
fn english_in_panes(h: &mut AppHarness, when: &str) -> Vec<String> {
    let mut english = Vec::new();
    let mut seen = 0;
    for pane in Pane::ALL {
        show(h, pane);
        let rect = h.state().ui.workspace.pane_rect(pane).expect("the pane is shown");
        let data = data_strings(h);
        for node in h.root().children_recursive() {
            let ak = node.accesskit_node();
            // A label's text is its value; an input's value is the user's, its label ours.
            let text = if ak.role() == egui::accesskit::Role::Label {
                ak.value()
            } else {
                ak.label()
            };
            let label = text.unwrap_or_default();
            // egui's own name for a panel's resize handle (a Splitter) is not ours.
            if label.trim().is_empty()
                || ak.role() == egui::accesskit::Role::Splitter
                || ak.bounding_box().is_none()
                || !rect.contains_rect(node.rect().shrink(0.5))
            {
                continue;
            }
            seen += 1;
            if is_data(&label, &data) {
                continue;
            }
            let words = english_words(&label);
            if !words.is_empty() {
                english.push(format!("{when}, {pane:?}: {label:?} ({})", words.join(" ")));
            }
        }
    }
    assert!(
        seen > 60,
        "{when}: only {seen} labels inside the panes: the walk saw too little"
    );
    english
}

#[test]
fn the_word_filter_tells_english_from_chinese_and_data() {
    assert_eq!(english_words("Copy topic"), ["Copy", "topic"]);
    assert!(english_words("复制主题").is_empty());
    assert!(english_words("QoS 1").is_empty());
    assert!(english_words("发布（Ctrl+Enter）").is_empty());
    let data: HashSet<String> = ["Temperatures".to_owned()].into();
    assert!(is_data("Temperatures", &data));
    assert!(is_data("  \"Time\": \"2026-11-29T21:40:05\",", &data));
    assert!(is_data("00000010  48 65 6c 6c", &data));
    assert!(!is_data("Last publish:", &data));
}

#[test]
fn the_model_words_previews_and_plurals_come_out_in_chinese() {
    use topicscope::model::series::TimeWindow;
    use topicscope::model::{PayloadKind, preview};
    let _lang = lang_lock();
    set_lang(Lang::ZhCn);
    // Counts are grouped; Chinese needs no plural forms.
    assert_eq!(preview(&[0xff; 1234], 10), "（二进制，1,234 字节）");
    assert_eq!(preview(&[0xff; 1], 10), "（二进制，1 字节）");
    assert_eq!(preview(b"", 10), "（空）");
    assert_eq!(preview(b"\x89PNG\r\n\x1a\n..", 10), "（PNG 图片，10 字节）");
    assert_eq!(preview("温度 23.5".as_bytes(), 10), "温度 23.5", "data stays as it is");
    assert_eq!(PayloadKind::Number.label(), "数字");
    assert_eq!(TimeWindow::Min10.label(), "10 分钟");
    assert_eq!(TimeWindow::All.label(), "全部");
}
