//! Tests of the publish pane.

use super::super::payload_format::*;
use super::*;

#[test]
fn text_is_sent_as_utf8() {
    assert_eq!(PayloadFormat::Text.encode("21.5 °C").unwrap(), Bytes::from("21.5 °C"));
    assert_eq!(PayloadFormat::Text.encode("").unwrap().len(), 0);
}

#[test]
fn valid_json_is_sent_as_typed() {
    let text = "{ \"t\": 21.70,\n  \"big\": 123456789012345678901234 }";
    assert_eq!(PayloadFormat::Json.encode(text).unwrap(), Bytes::from(text.to_owned()));
}

#[test]
fn invalid_json_names_line_and_column() {
    let err = PayloadFormat::Json.encode("{\n  \"a\": 1,\n  \"b\" 2\n}").unwrap_err();
    assert!(err.starts_with("Invalid JSON at line 3, column "), "{err}");
    assert!(err.contains("expected `:`"), "{err}");
    assert!(!err.contains(" at line 3 column"), "position said twice: {err}");
    let err = PayloadFormat::Json.encode("").unwrap_err();
    assert!(err.contains("line 1"), "{err}");
}

#[test]
fn hex_accepts_spaces_newlines_prefixes_and_colons() {
    let want = Bytes::from_static(&[0xde, 0xad, 0xbe, 0xef]);
    for text in [
        "deadbeef",
        "de ad be ef",
        "DE AD\nBE EF\n",
        "0xde 0xad 0xBE 0XEF",
        "de:ad:be:ef",
        "0xde, 0xad, 0xbe, 0xef",
        "0xdeadbeef",
    ] {
        assert_eq!(PayloadFormat::Hex.encode(text).unwrap(), want, "{text:?}");
    }
    assert_eq!(PayloadFormat::Hex.encode("  ").unwrap().len(), 0);
    assert_eq!(
        PayloadFormat::Hex.encode("00 0a").unwrap(),
        Bytes::from_static(&[0x00, 0x0a])
    );
}

#[test]
fn hex_odd_digit_count_is_refused() {
    let err = PayloadFormat::Hex.encode("de ad b").unwrap_err();
    assert!(err.contains("Odd number of hex digits (5)"), "{err}");
}

#[test]
fn hex_bad_character_names_its_position() {
    let err = PayloadFormat::Hex.encode("de ag").unwrap_err();
    assert_eq!(err, "'g' at position 5 is not a hex digit");
    let err = PayloadFormat::Hex.encode("de ad\nbe 0xzz").unwrap_err();
    assert_eq!(err, "'z' at line 2, column 6 is not a hex digit");
    let err = PayloadFormat::Hex.encode("de 0x ad").unwrap_err();
    assert_eq!(err, "'0x' at position 4 has no hex digits after it");
    assert!(PayloadFormat::Hex.encode("d0xe").is_err(), "0x only opens a group");
}

#[test]
fn formats_round_trip_through_their_names() {
    for f in PayloadFormat::ALL {
        assert_eq!(PayloadFormat::from_name(f.as_str()), f);
    }
}

#[test]
fn the_selection_never_changes_the_topic_unless_the_user_asks() {
    let mut form = PublishForm {
        topic: "cmnd/tasmota_5C3F21/POWER".into(),
        ..PublishForm::default()
    };
    form.follow_selection(Some("camera/front/snapshot".into()));
    assert_eq!(
        form.topic, "cmnd/tasmota_5C3F21/POWER",
        "a click in the tree is not a request"
    );
    form.follow_selection(None);
    assert_eq!(form.topic, "cmnd/tasmota_5C3F21/POWER");
}

#[test]
fn with_follow_the_tree_on_a_new_selection_fills_the_topic() {
    let mut form = PublishForm {
        follow_tree: true,
        ..PublishForm::default()
    };
    form.follow_selection(Some("a/b".into()));
    assert_eq!(form.topic, "a/b");
    form.topic = "mine".into();
    form.follow_selection(Some("a/b".into()));
    assert_eq!(form.topic, "mine", "an unchanged selection keeps the typed topic");
    form.follow_selection(Some("c".into()));
    assert_eq!(form.topic, "c");
}

#[test]
fn loading_a_binary_record_shows_hex() {
    let mut form = PublishForm::default();
    form.load(&PublishRecord::new("bin", &[0xff, 0x00, 0x10], 2, true, "text"));
    assert_eq!(
        (form.format, form.payload.as_str(), form.qos, form.retain),
        (PayloadFormat::Hex, "ff 00 10", 2, true)
    );
    assert_eq!(
        form.format.encode(&form.payload).unwrap(),
        Bytes::from_static(&[0xff, 0x00, 0x10])
    );
    form.load(&PublishRecord::new("j", b"{\"a\":1}", 0, false, "json"));
    assert_eq!((form.format, form.payload.as_str()), (PayloadFormat::Json, "{\"a\":1}"));
    assert_eq!(hex_text(&[0u8; 17]).lines().count(), 2);
}

#[test]
fn history_previews_show_binary_as_hex() {
    let preview = |bytes: &[u8], format| record_preview(&PublishRecord::new("t", bytes, 0, false, format));
    assert_eq!(preview(b"{\"a\": 1}", "json"), "{\"a\": 1}");
    assert_eq!(preview(b"\x01\x02", "text"), "01 02 (2 bytes)");
    assert_eq!(preview(b"AB", "hex"), "41 42 (2 bytes)");
    assert_eq!(
        preview(&[0xff; 20], "hex"),
        format!("{}… (20 bytes)", ["ff"; 16].join(" "))
    );
    assert_eq!(preview(b"", "text"), "(empty)");
}

mod ui {
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable as _;

    use super::super::*;
    use crate::mqtt::ConnectionState;
    use crate::profiles::validate_publish_topic;

    type Fixture = (AppState, PublishForm);

    /// The panel with "sel/topic" selected in the tree, the topic field still empty.
    fn bare_harness(dir: &std::path::Path, connected: bool) -> Harness<'static, Fixture> {
        let mut state = AppState::new(None, dir.to_owned(), 1 << 20);
        if connected {
            state.conn_mut().status = ConnectionState::Connected {
                broker: "mqtt://127.0.0.1:1".into(),
            };
        }
        let mut h = Harness::new_ui_state(
            |ui, (state, form): &mut Fixture| publish_panel_ui(ui, state, form, Some("sel/topic".into())),
            (state, PublishForm::default()),
        );
        h.run();
        h
    }

    /// The panel with the selected topic put into the topic field by its button.
    fn harness(dir: &std::path::Path, connected: bool) -> Harness<'static, Fixture> {
        let mut h = bare_harness(dir, connected);
        h.get_by_label("Use selected topic").click();
        h.run();
        h
    }

    #[test]
    fn a_wildcard_topic_is_refused_with_its_message() {
        let dir = tempfile::tempdir().unwrap();
        let mut h = bare_harness(dir.path(), true);
        assert_eq!(
            h.get_by_label("Topic").value().as_deref(),
            Some(""),
            "not filled by itself"
        );
        h.get_by_label("Use selected topic").click();
        h.run();
        assert_eq!(h.get_by_label("Topic").value().as_deref(), Some("sel/topic"));
        h.get_by_label("Topic").focus();
        h.run();
        h.get_by_label("Topic").type_text("/+");
        h.run();
        h.get_by_label("Publish").click();
        h.run();
        let want = validate_publish_topic("sel/topic/+").unwrap_err().to_string();
        h.get_by_label(&want);
        assert!(h.state().0.conn().last_publish.is_none());
    }

    #[test]
    fn on_a_short_pane_a_refusal_is_scrolled_into_view() {
        let dir = tempfile::tempdir().unwrap();
        let mut state = AppState::new(None, dir.path().to_owned(), 1 << 20);
        state.conn_mut().status = ConnectionState::Connected {
            broker: "mqtt://127.0.0.1:1".into(),
        };
        // As tall as the Publish pane at 1024x700: the outcome line lies below its bottom.
        let height = 210.0;
        let mut h = Harness::builder().with_size(egui::vec2(400.0, height)).build_ui_state(
            |ui, (state, form): &mut Fixture| publish_panel_ui(ui, state, form, None),
            (state, PublishForm::default()),
        );
        h.run();
        h.get_by_label("Publish").click();
        for _ in 0..4 {
            h.run();
        }
        let want = validate_publish_topic("").unwrap_err().to_string();
        let shown = h.get_by_label(&want).rect();
        assert!(
            shown.max.y <= height,
            "the refusal lies at {shown:?}, below the pane's {height} px"
        );
        assert!(h.state().0.conn().last_publish.is_none());
    }

    #[test]
    fn ctrl_enter_publishes_the_payload_with_qos_and_retain() {
        let dir = tempfile::tempdir().unwrap();
        let mut h = harness(dir.path(), true);
        h.get_by_label("QoS 1").click();
        h.get_by_label("Retain").click();
        h.run();
        h.get_by_label("Payload").focus();
        h.run();
        h.get_by_label("Payload").type_text("ON");
        h.run();
        h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Enter);
        h.run();
        let state = &h.state().0;
        assert!(state.conn().last_publish.is_some(), "{:?}", h.state().1.error);
        let r = &state.publish_history.records[0];
        assert_eq!(
            (r.topic.as_str(), r.payload.as_str(), r.qos, r.retain),
            ("sel/topic", "ON", 1, true)
        );
        assert_eq!(h.state().1.payload, "ON", "Ctrl+Enter adds no newline");
    }

    #[test]
    fn invalid_json_is_shown_while_typing_and_not_sent() {
        let dir = tempfile::tempdir().unwrap();
        let mut h = harness(dir.path(), true);
        h.get_by_label("Format").click();
        h.run();
        h.get_by_label("JSON").click();
        h.run();
        h.get_by_label("Payload").focus();
        h.run();
        h.get_by_label("Payload").type_text("{\"a\" 1}");
        h.run();
        h.get_by_label_contains("Invalid JSON at line 1, column 6");
        h.get_by_label("Publish").click();
        h.run();
        assert!(h.state().0.conn().last_publish.is_none());
        h.get_by_label_contains("Not sent: Invalid JSON");
    }

    #[test]
    fn history_rows_load_and_send_again() {
        let dir = tempfile::tempdir().unwrap();
        let mut h = harness(dir.path(), true);
        h.state_mut()
            .0
            .publish("dev/cmd", Bytes::from_static(b"\x01\x02"), 2, false, "hex", None)
            .unwrap();
        h.run();
        h.get_by_label("Publish history (1)").click();
        h.run();
        h.get_by_label("Load").click();
        h.run();
        let form = &h.state().1;
        assert_eq!(
            (form.topic.as_str(), form.payload.as_str(), form.format, form.qos),
            ("dev/cmd", "01 02", PayloadFormat::Hex, 2)
        );
        h.get_by_label("Send again").click();
        h.run();
        assert_eq!(h.state().0.publish_history.records.len(), 2);
        h.get_by_label("Publish history (2)");
    }

    #[test]
    fn publishing_while_disconnected_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let mut h = harness(dir.path(), false);
        h.get_by_label("Publish").click();
        h.run();
        h.get_by_label("not connected");
    }
}
