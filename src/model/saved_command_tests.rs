use std::collections::BTreeMap;

use super::*;

fn pump_on() -> SavedCommand {
    SavedCommand {
        name: "pump on".into(),
        collection: "greenhouse".into(),
        topic: "cmnd/greenhouse/POWER".into(),
        payload: "ON".into(),
        format: "text".into(),
        qos: 1,
        ..SavedCommand::default()
    }
}

#[test]
fn a_plain_command_prepares_as_saved() {
    let p = pump_on().prepare(1, &BTreeMap::new(), false).unwrap();
    assert_eq!(p.topic, "cmnd/greenhouse/POWER");
    assert_eq!(&p.payload[..], b"ON");
    assert_eq!((p.qos, p.retain), (1, false));
    assert_eq!(p.properties, None);
    assert_eq!(p.reply, None);
}

#[test]
fn variables_fill_topic_payload_and_correlation() {
    let c = SavedCommand {
        name: "LED colour".into(),
        topic: "led/{{room}}/set".into(),
        payload: r#"{"colour":"{{colour}}","seq":{{counter}}}"#.into(),
        format: "json".into(),
        properties: Some(SavedProperties {
            response_topic: "led/{{room}}/reply".into(),
            correlation_data: "req-{{counter}}".into(),
            ..SavedProperties::default()
        }),
        values: BTreeMap::from([("room".to_owned(), "kitchen".to_owned())]),
        ..SavedCommand::default()
    };
    assert_eq!(c.user_variables(), vec!["room".to_owned(), "colour".to_owned()]);
    let values = BTreeMap::from([("colour".to_owned(), "蓝".to_owned())]);
    let p = c.prepare(4, &values, true).unwrap();
    assert_eq!(p.topic, "led/kitchen/set");
    assert_eq!(std::str::from_utf8(&p.payload).unwrap(), r#"{"colour":"蓝","seq":4}"#);
    let props = p.properties.unwrap();
    assert_eq!(props.response_topic.as_deref(), Some("led/kitchen/reply"));
    assert_eq!(props.correlation_data.as_deref(), Some(&b"req-4"[..]));
    // Under MQTT 3.1.1 the properties are left out, the rest is the same.
    let p = c.prepare(4, &values, false).unwrap();
    assert_eq!(p.properties, None);
    // A value given now wins over the saved one.
    let values = BTreeMap::from([
        ("colour".to_owned(), "red".to_owned()),
        ("room".to_owned(), "hall".to_owned()),
    ]);
    assert_eq!(c.prepare(1, &values, true).unwrap().topic, "led/hall/set");
}

#[test]
fn what_cannot_be_sent_is_refused_in_words() {
    let mut c = pump_on();
    c.payload = "{{state}}".into();
    let e = c.prepare(1, &BTreeMap::new(), false).unwrap_err();
    assert!(e.contains("state"), "{e}");

    let mut c = pump_on();
    c.topic = "cmnd/{{device}}/#".into();
    let values = BTreeMap::from([("device".to_owned(), "x".to_owned())]);
    assert!(c.prepare(1, &values, false).is_err());

    let mut c = pump_on();
    c.format = "json".into();
    c.payload = "{oops".into();
    let e = c.prepare(1, &BTreeMap::new(), false).unwrap_err();
    assert!(e.contains("line 1"), "{e}");

    let mut c = pump_on();
    c.format = "hex".into();
    c.payload = "de ad {{counter}}".into();
    // The counter 7 becomes the hex digit "7": one nibble short.
    assert!(c.prepare(7, &BTreeMap::new(), false).is_err());
    assert_eq!(
        &c.prepare(17, &BTreeMap::new(), false).unwrap().payload[..],
        &[0xde, 0xad, 0x17]
    );
}

#[test]
fn a_reply_wait_is_a_checked_filter_with_a_timeout() {
    let mut c = pump_on();
    c.reply = Some(ReplyWait {
        topic: "stat/greenhouse/+".into(),
        timeout_secs: 0,
    });
    let p = c.prepare(1, &BTreeMap::new(), false).unwrap();
    assert_eq!(p.reply, Some(("stat/greenhouse/+".to_owned(), Duration::from_secs(1))));
    c.reply = Some(ReplyWait {
        topic: "stat/#/bad".into(),
        timeout_secs: 5,
    });
    assert!(c.prepare(1, &BTreeMap::new(), false).is_err());
}

#[test]
fn commands_are_found_by_name_or_collection_and_name() {
    let mut off = pump_on();
    off.name = "pump off".into();
    let mut other = pump_on();
    other.collection = "garden".into();
    let list = vec![pump_on(), off, other];
    assert_eq!(find_command(&list, "pump off").unwrap().name, "pump off");
    assert_eq!(find_command(&list, "garden/pump on").unwrap().collection, "garden");
    assert_eq!(
        find_command(&list, "greenhouse / pump on").unwrap().collection,
        "greenhouse"
    );
    let e = find_command(&list, "pump on").unwrap_err();
    assert!(
        e.contains("garden / pump on") && e.contains("greenhouse / pump on"),
        "{e}"
    );
    let e = find_command(&list, "fan").unwrap_err();
    assert!(e.contains("fan") && e.contains("pump off"), "{e}");
    assert!(find_command(&[], "fan").unwrap_err().contains("fan"));
}

#[test]
fn names_must_be_present_and_unique_in_a_collection() {
    assert!(validate_commands(&[pump_on()]).is_ok());
    assert!(validate_commands(&[pump_on(), pump_on()]).is_err());
    let mut elsewhere = pump_on();
    elsewhere.collection = "garden".into();
    assert!(validate_commands(&[pump_on(), elsewhere]).is_ok());
    let mut unnamed = pump_on();
    unnamed.name = " ".into();
    assert!(validate_commands(&[unnamed]).is_err());
}

#[test]
fn commands_survive_ron_and_old_files_without_them_load() {
    let mut c = pump_on();
    c.properties = Some(SavedProperties {
        user_properties: vec![("k".into(), "v".into())],
        ..SavedProperties::default()
    });
    c.shortcut = Some("Ctrl+Alt+1".into());
    let text = ron::to_string(&c).unwrap();
    let back: SavedCommand = ron::from_str(&text).unwrap();
    assert_eq!(back, c);
    let minimal: SavedCommand = ron::from_str(r#"(name: "x", topic: "a")"#).unwrap();
    assert_eq!(minimal.format, "");
    assert_eq!(minimal.qos, 0);
}
