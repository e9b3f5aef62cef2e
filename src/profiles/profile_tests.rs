//! Tests for `Profile`: defaults, partial files, credentials, validation, Debug.

use super::*;
use crate::profiles::TopicError;
use crate::profiles::UrlError;

fn is_generated_client_id(id: &str) -> bool {
    id.strip_prefix("topicscope-")
        .is_some_and(|hex| hex.len() == 8 && hex.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()))
}

#[test]
fn new_fills_documented_defaults() {
    let profile = Profile::new("Home", "mqtt://localhost:1883");
    assert_eq!(profile.name, "Home");
    assert_eq!(profile.broker_url, "mqtt://localhost:1883");
    assert!(is_generated_client_id(&profile.client_id), "{}", profile.client_id);
    assert_eq!(profile.username, None);
    assert_eq!(profile.password, None);
    assert_eq!(profile.keep_alive_secs, 30);
    assert!(profile.clean_session);
    assert_eq!(
        profile.subscriptions,
        vec![
            Subscription {
                filter: "#".into(),
                qos: 0
            },
            Subscription {
                filter: "$SYS/#".into(),
                qos: 0
            },
        ]
    );
    assert_eq!(profile.mqtt_version, MqttVersion::V311);
    assert_eq!(profile.tls, TlsSettings::default());
    assert!(!profile.tls.allow_invalid_certs);
    assert_eq!(profile.last_will, None);
    assert_eq!(profile.max_packet_bytes, 64 * 1024 * 1024);
    assert_eq!(profile.connect_timeout_secs, 10);
    assert_eq!(profile.validate(), Ok(()));
}

#[test]
fn client_ids_are_random() {
    let first = generate_client_id();
    assert!(is_generated_client_id(&first), "{first}");
    // Two in a row colliding has probability 2^-32 per try; three tries rule out a constant.
    assert!((0..3).any(|_| generate_client_id() != first));
}

#[test]
fn partial_profile_loads_with_defaults() {
    let text = r#"(name: "Old", broker_url: "tcp://10.0.0.2:1883", subscriptions: [(filter: "tele/#")])"#;
    let profile: Profile = ron::from_str(text).unwrap();
    assert_eq!(profile.name, "Old");
    assert_eq!(profile.broker_url, "tcp://10.0.0.2:1883");
    assert_eq!(profile.subscriptions, vec![Subscription::new("tele/#")]);
    assert_eq!(profile.keep_alive_secs, DEFAULT_KEEP_ALIVE_SECS);
    assert_eq!(profile.max_packet_bytes, DEFAULT_MAX_PACKET_BYTES);
    assert_eq!(profile.connect_timeout_secs, DEFAULT_CONNECT_TIMEOUT_SECS);
    assert_eq!(profile.session_expiry_secs, None);
    assert!(profile.clean_session);
    assert!(is_generated_client_id(&profile.client_id));
    assert_eq!(profile.validate(), Ok(()));
}

#[test]
fn a_profile_saved_before_decoders_loads_and_decoder_rules_round_trip() {
    // A profiles.ron entry as written before the `decoders` field existed.
    let old = r#"(name: "Fleet", broker_url: "mqtt://10.0.0.2", encodings: (default: Utf8, rules: [(filter: "legacy/#", encoding: Gb18030)]))"#;
    let mut profile: Profile = ron::from_str(old).unwrap();
    assert_eq!(profile.decoders, crate::model::DecoderRules::default());
    assert_eq!(profile.encodings.rules.len(), 1);
    let layout = crate::model::StructLayout::parse("f32le temperature; u16le humidity").unwrap();
    profile.decoders.set(
        "esp32/+/raw",
        crate::model::DecodeChoice::With(crate::model::Decoder::Struct(layout)),
    );
    profile.decoders.set(
        "esp32/+/mp",
        crate::model::DecodeChoice::With(crate::model::Decoder::MessagePack),
    );
    let text = ron::ser::to_string_pretty(&profile, ron::ser::PrettyConfig::default()).unwrap();
    let back: Profile = ron::from_str(&text).unwrap();
    assert_eq!(back.decoders, profile.decoders);
}

#[test]
fn device_settings_load_from_older_files_and_round_trip() {
    let old = r#"(name: "Fleet", broker_url: "mqtt://10.0.0.2")"#;
    let mut profile: Profile = ron::from_str(old).unwrap();
    assert_eq!(profile.devices, DeviceSettings::default());
    assert_eq!(
        profile.devices.health_rules(),
        crate::model::devices::HealthRules::default()
    );
    profile.devices.rules = vec!["sensors/{device}/#".into(), "bad/#".into()];
    profile.devices.silent_after_secs = Some(90);
    profile.devices.flap_changes = 6;
    profile.devices.flap_window_mins = 5;
    let text = ron::ser::to_string_pretty(&profile, ron::ser::PrettyConfig::default()).unwrap();
    let back: Profile = ron::from_str(&text).unwrap();
    assert_eq!(back.devices, profile.devices);
    // A hand-edited bad pattern is skipped, not fatal.
    assert_eq!(back.devices.user_rules().len(), 1);
    let rules = back.devices.health_rules();
    assert_eq!(
        (rules.silent_fixed_secs, rules.flap_changes, rules.flap_window_secs),
        (Some(90.0), 6, 300.0)
    );
}

#[test]
fn full_profile_round_trips_through_ron() {
    let profile = Profile {
        username: Some("alice".into()),
        password: Some("pa\"ss".into()),
        mqtt_version: MqttVersion::V5,
        session_expiry_secs: Some(3600),
        tls: TlsSettings {
            ca_file: Some("/etc/ca.pem".into()),
            client_cert: Some("c.pem".into()),
            client_key: Some("k.pem".into()),
            allow_invalid_certs: true,
        },
        last_will: Some(LastWill {
            topic: "status/topicscope".into(),
            payload: "offline".into(),
            qos: 1,
            retain: true,
        }),
        ..Profile::new("Full", "mqtts://broker:8883")
    };
    let text = ron::ser::to_string_pretty(&profile, Default::default()).unwrap();
    let back: Profile = ron::from_str(&text).unwrap();
    assert_eq!(back, profile);
}

#[test]
fn debug_hides_passwords_in_field_and_url() {
    let mut profile = Profile::new("P", "mqtt://bob:url-secret-42@host:1883");
    profile.username = Some("alice".into());
    profile.password = Some("field-secret-17".into());
    let debug = format!("{profile:?}");
    assert!(!debug.contains("field-secret-17"), "{debug}");
    assert!(!debug.contains("url-secret-42"), "{debug}");
    assert!(
        debug.contains("alice") && debug.contains("mqtt://bob@host:1883"),
        "{debug}"
    );
    let debug = format!("{:?}", Profile::new("P", "bad://u:p-secret@h"));
    assert!(!debug.contains("p-secret"), "{debug}");
}

#[test]
fn effective_credentials_prefer_profile_fields() {
    let mut profile = Profile::new("P", "mqtt://urluser:urlpass@host");
    assert_eq!(
        profile.effective_credentials(),
        (Some("urluser".into()), Some("urlpass".into()))
    );
    profile.username = Some("fielduser".into());
    assert_eq!(
        profile.effective_credentials(),
        (Some("fielduser".into()), Some("urlpass".into()))
    );
    profile.password = Some("fieldpass".into());
    assert_eq!(
        profile.effective_credentials(),
        (Some("fielduser".into()), Some("fieldpass".into()))
    );
    // An empty editor field means "not set", so the URL's value shows through.
    profile.username = Some(String::new());
    assert_eq!(profile.effective_credentials().0, Some("urluser".into()));
    profile.broker_url = "mqtt://host".into();
    assert_eq!(profile.effective_credentials(), (None, Some("fieldpass".into())));
    profile.broker_url = "http://u:p@host".into();
    assert_eq!(profile.effective_credentials(), (None, Some("fieldpass".into())));
}

#[test]
fn validate_reports_each_problem() {
    let base = Profile::new("P", "mqtt://localhost");
    let check = |edit: &dyn Fn(&mut Profile)| {
        let mut profile = base.clone();
        edit(&mut profile);
        profile.validate()
    };
    assert_eq!(check(&|p| p.name = "  ".into()), Err(ProfileError::EmptyName));
    assert_eq!(
        check(&|p| p.broker_url = "http://x".into()),
        Err(ProfileError::Url(UrlError::UnsupportedScheme { scheme: "http".into() }))
    );
    assert_eq!(check(&|p| p.client_id.clear()), Ok(()));
    assert_eq!(
        check(&|p| {
            p.client_id.clear();
            p.clean_session = false;
        }),
        Err(ProfileError::EmptyClientIdWithSession)
    );
    assert_eq!(
        check(&|p| p.subscriptions.push(Subscription::new("a/#/b"))),
        Err(ProfileError::Subscription {
            filter: "a/#/b".into(),
            error: TopicError::MultiLevelWildcardNotLast
        })
    );
    assert_eq!(
        check(&|p| p.subscriptions[1].qos = 3),
        Err(ProfileError::InvalidQos {
            what: "the subscription '$SYS/#'".into(),
            qos: 3
        })
    );
    let will = LastWill {
        topic: "a/+".into(),
        ..LastWill::default()
    };
    assert_eq!(
        check(&|p| p.last_will = Some(will.clone())),
        Err(ProfileError::LastWillTopic(TopicError::WildcardInTopic {
            wildcard: '+'
        }))
    );
    let will = LastWill {
        topic: "a".into(),
        qos: 7,
        ..LastWill::default()
    };
    assert_eq!(
        check(&|p| p.last_will = Some(will.clone())),
        Err(ProfileError::InvalidQos {
            what: "the last-will message".into(),
            qos: 7
        })
    );
    assert_eq!(
        check(&|p| p.password = Some("pw".into())),
        Err(ProfileError::PasswordWithoutUsername)
    );
    assert_eq!(
        check(&|p| {
            p.password = Some("pw".into());
            p.mqtt_version = MqttVersion::V5;
        }),
        Ok(())
    );
    assert_eq!(
        check(&|p| p.tls.client_key = Some("k.pem".into())),
        Err(ProfileError::CertWithoutKey)
    );
    assert_eq!(
        check(&|p| p.max_packet_bytes = 1023),
        Err(ProfileError::MaxPacketBytes { bytes: 1023 })
    );
    assert_eq!(check(&|p| p.max_packet_bytes = MAX_MAX_PACKET_BYTES), Ok(()));
    assert_eq!(
        check(&|p| p.max_packet_bytes = MAX_MAX_PACKET_BYTES + 1),
        Err(ProfileError::MaxPacketBytes {
            bytes: MAX_MAX_PACKET_BYTES + 1
        })
    );
    assert_eq!(
        check(&|p| p.connect_timeout_secs = 0),
        Err(ProfileError::ZeroConnectTimeout)
    );
}

#[test]
fn validation_messages_read_as_sentences() {
    let mut profile = Profile::new("P", "mqtt://host:port");
    assert_eq!(
        profile.validate().unwrap_err().to_string(),
        "The broker address is not valid: invalid port 'port' (use a number from 1 to 65535)."
    );
    profile.broker_url = "mqtt://host".into();
    profile.subscriptions = vec![Subscription::new("a+")];
    assert_eq!(
        profile.validate().unwrap_err().to_string(),
        "The subscription 'a+' is not valid. The wildcard '+' must be a whole level on its \
         own, as in 'sensors/+', not part of a word like 'sensors+'."
    );
}
