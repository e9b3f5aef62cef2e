//! The discovery index and its orphan rules, on hand-made configs and a test clock.

use std::collections::HashMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;

use super::*;
use crate::model::stored::StoredMessage;

const HOUR: Duration = Duration::from_secs(3600);

fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_800_000_000)
}

/// What the tree would say: topic → (seconds before `now`, payload).
fn seen_map(entries: &[(&str, u64, &str)]) -> HashMap<String, Seen> {
    entries
        .iter()
        .map(|(t, ago, p)| {
            let at = now() - Duration::from_secs(*ago);
            (
                (*t).to_owned(),
                Seen {
                    at,
                    payload: (*p).to_owned(),
                },
            )
        })
        .collect()
}

fn index(configs: &[(&str, &str)], seen: &[(&str, u64, &str)]) -> DiscoveryIndex {
    let map = seen_map(seen);
    let lookup = |t: &str| map.get(t).cloned();
    let configs = configs.iter().map(|(t, p)| ((*t).to_owned(), p.as_bytes().to_vec()));
    DiscoveryIndex::build(configs, DEFAULT_PREFIX, &lookup, OrphanRules::default(), now())
}

const PLUG: &str = r#"{"name":"Plug","~":"tasmota/plug","stat_t":"~/POWER","cmd_t":"~/cmnd","avty_t":"~/LWT",
    "pl_avail":"Online","pl_not_avail":"Offline","uniq_id":"plug_relay",
    "dev":{"ids":["5C3F21"],"name":"Kitchen plug"}}"#;
const PLUG_ENERGY: &str = r#"{"name":"Energy","stat_t":"tasmota/plug/SENSOR","avty_t":"tasmota/plug/LWT",
    "pl_avail":"Online","pl_not_avail":"Offline","dev":{"identifiers":"5C3F21","name":"Kitchen plug"}}"#;
const GARAGE: &str = r#"{"name":"Temperature","stat_t":"garage/temp","avty_t":"garage/status",
    "dev":{"ids":["garage"],"name":"Garage"}}"#;

#[test]
fn entities_group_into_devices_with_their_topics_expanded() {
    let idx = index(
        &[
            ("homeassistant/switch/plug/relay/config", PLUG),
            ("homeassistant/sensor/plug/energy/config", PLUG_ENERGY),
        ],
        &[("tasmota/plug/LWT", 10, "Online")],
    );
    assert_eq!(idx.devices.len(), 1, "{idx:?}");
    let d = &idx.devices[0];
    assert_eq!((d.key.as_str(), d.name.as_str()), ("id:5C3F21", "Kitchen plug"));
    assert_eq!(d.entities.len(), 2);
    let relay = d.entities.iter().find(|e| e.object_id == "relay").unwrap();
    assert_eq!(relay.component, "switch");
    assert_eq!(relay.unique_id.as_deref(), Some("plug_relay"));
    assert_eq!(relay.state_topic.as_deref(), Some("tasmota/plug/POWER"));
    assert_eq!(relay.command_topic.as_deref(), Some("tasmota/plug/cmnd"));
    assert_eq!(relay.availability_topics, ["tasmota/plug/LWT"]);
    assert_eq!(relay.config_topic, "homeassistant/switch/plug/relay/config");
    assert_eq!(relay.orphan, None, "online");
    assert_eq!(
        idx.counts(),
        DiscoveryCounts {
            devices: 1,
            entities: 2,
            orphaned: 0
        }
    );
}

#[test]
fn nothing_ever_seen_is_an_orphan_and_so_is_its_device() {
    let idx = index(&[("homeassistant/sensor/garage/temp/config", GARAGE)], &[]);
    assert_eq!(idx.devices[0].entities[0].orphan, Some(Orphan::NothingSeen));
    assert_eq!(idx.devices[0].orphan(), Some(Orphan::NothingSeen));
    assert_eq!(idx.orphan_config_topics(), ["homeassistant/sensor/garage/temp/config"]);
}

#[test]
fn a_state_message_alone_means_the_device_is_there() {
    let idx = index(
        &[("homeassistant/sensor/garage/temp/config", GARAGE)],
        &[("garage/temp", 5, "21.5")],
    );
    assert_eq!(idx.devices[0].entities[0].orphan, None);
}

#[test]
fn offline_longer_than_the_threshold_is_an_orphan_shorter_is_not() {
    let day = 24 * 3600;
    let long_ago = index(
        &[("homeassistant/sensor/garage/temp/config", GARAGE)],
        &[("garage/status", day + 60, "offline"), ("garage/temp", day + 90, "20")],
    );
    assert_eq!(
        long_ago.devices[0].entities[0].orphan,
        Some(Orphan::OfflineFor(Duration::from_secs(day + 60)))
    );
    let recent = index(
        &[("homeassistant/sensor/garage/temp/config", GARAGE)],
        &[("garage/status", day - 60, "offline")],
    );
    assert_eq!(recent.devices[0].entities[0].orphan, None, "offline, but not for long");
    // The payloads the config names count, not the word "offline".
    let plug = index(
        &[("homeassistant/switch/plug/relay/config", PLUG)],
        &[("tasmota/plug/LWT", day + 60, "Offline")],
    );
    assert!(matches!(
        plug.devices[0].entities[0].orphan,
        Some(Orphan::OfflineFor(_))
    ));
}

#[test]
fn the_threshold_is_a_setting() {
    let map = seen_map(&[("garage/status", 3 * 3600, "offline")]);
    let lookup = |t: &str| map.get(t).cloned();
    let build = |hours: u64| {
        let configs = [(
            "homeassistant/sensor/garage/temp/config".to_owned(),
            GARAGE.as_bytes().to_vec(),
        )];
        let rules = OrphanRules {
            offline_after: HOUR * hours as u32,
        };
        DiscoveryIndex::build(configs, DEFAULT_PREFIX, &lookup, rules, now())
    };
    assert!(build(2).devices[0].orphan().is_some(), "3 h offline, 2 h allowed");
    assert!(build(4).devices[0].orphan().is_none(), "3 h offline, 4 h allowed");
}

#[test]
fn a_device_is_orphaned_only_when_all_its_entities_are() {
    let other = r#"{"name":"Door","stat_t":"garage/door","dev":{"ids":["garage"],"name":"Garage"}}"#;
    let idx = index(
        &[
            ("homeassistant/sensor/garage/temp/config", GARAGE),
            ("homeassistant/binary_sensor/garage/door/config", other),
        ],
        &[("garage/door", 5, "ON")],
    );
    let d = &idx.devices[0];
    assert_eq!(d.entities.len(), 2);
    assert_eq!(d.orphan(), None, "the door reports");
    assert_eq!(idx.counts().orphaned, 1, "the temperature does not");
}

#[test]
fn malformed_json_is_a_broken_config_with_the_reason_in_words() {
    let idx = index(
        &[
            ("homeassistant/sensor/bad/temp/config", "{\"name\": \"T\", "),
            ("homeassistant/sensor/bad/list/config", "[1, 2]"),
        ],
        &[],
    );
    assert!(idx.devices.is_empty());
    assert_eq!(idx.broken.len(), 2);
    let temp = idx.broken.iter().find(|b| b.topic.ends_with("temp/config")).unwrap();
    assert!(temp.error.contains("line 1"), "{}", temp.error);
    let list = idx.broken.iter().find(|b| b.topic.ends_with("list/config")).unwrap();
    assert!(list.error.contains("not a JSON object"), "{}", list.error);
    assert_eq!(idx.counts().orphaned, 2);
    assert_eq!(idx.orphan_config_topics().len(), 2);
}

#[test]
fn removals_and_other_topics_are_skipped() {
    let idx = index(
        &[
            ("homeassistant/sensor/garage/temp/config", ""),
            ("homeassistant/sensor/garage/temp/state", "{}"),
            ("homeassistant/status", "online"),
            ("homeassistant/a/b/c/d/config", "{}"),
        ],
        &[],
    );
    assert_eq!(idx, DiscoveryIndex::default());
}

#[test]
fn devices_without_identifiers_group_by_connection_then_name_then_node() {
    let by_mac = r#"{"name":"A","stat_t":"x/a","dev":{"cns":[["mac","aa:bb"]],"name":"Board"}}"#;
    let by_mac2 = r#"{"name":"B","stat_t":"x/b","dev":{"connections":[["mac","aa:bb"]]}}"#;
    let by_name = r#"{"name":"C","stat_t":"y/c","dev":{"name":"Lonely"}}"#;
    let bare = r#"{"name":"D","stat_t":"z/d"}"#;
    let idx = index(
        &[
            ("homeassistant/sensor/n1/a/config", by_mac),
            ("homeassistant/sensor/n2/b/config", by_mac2),
            ("homeassistant/sensor/n3/c/config", by_name),
            ("homeassistant/sensor/d/config", bare),
        ],
        &[],
    );
    let keys: Vec<&str> = idx.devices.iter().map(|d| d.key.as_str()).collect();
    assert!(keys.contains(&"cn:mac:aa:bb"), "{keys:?}");
    assert!(keys.contains(&"name:Lonely"), "{keys:?}");
    assert!(keys.contains(&"node:d"), "{keys:?}");
    let mac = idx.devices.iter().find(|d| d.key == "cn:mac:aa:bb").unwrap();
    assert_eq!(mac.entities.len(), 2);
}

#[test]
fn an_entity_with_no_topic_to_watch_is_not_judged() {
    let button = r#"{"name":"Restart","cmd_t":"garage/restart","dev":{"ids":["garage"]}}"#;
    let idx = index(&[("homeassistant/button/garage/restart/config", button)], &[]);
    assert_eq!(idx.devices[0].entities[0].orphan, None);
}

#[test]
fn another_prefix_is_read_the_same_way() {
    let configs = [("ha/sensor/garage/temp/config".to_owned(), GARAGE.as_bytes().to_vec())];
    let idx = DiscoveryIndex::build(configs, "ha", &|_| None, OrphanRules::default(), now());
    assert_eq!(idx.devices[0].entities[0].state_topic.as_deref(), Some("garage/temp"));
}

#[test]
fn read_from_a_topic_tree() {
    let mut tree = TopicTree::new();
    let msg = |p: &str, at: SystemTime| StoredMessage::new(Bytes::from(p.to_owned()), 1, true, at, None);
    tree.record("homeassistant/sensor/garage/temp/config", msg(GARAGE, now()));
    tree.record("homeassistant/switch/plug/relay/config", msg(PLUG, now()));
    tree.record("tasmota/plug/LWT", msg("Offline", now() - HOUR * 30));
    let idx = DiscoveryIndex::from_tree(&tree, DEFAULT_PREFIX, OrphanRules::default(), now());
    assert_eq!(
        idx.counts(),
        DiscoveryCounts {
            devices: 2,
            entities: 2,
            orphaned: 2
        }
    );
    let plug = idx.devices.iter().find(|d| d.name == "Kitchen plug").unwrap();
    assert_eq!(plug.orphan(), Some(Orphan::OfflineFor(HOUR * 30)));
    // Clearing the config (an empty retained message) removes it from the index.
    tree.record("homeassistant/sensor/garage/temp/config", msg("", now()));
    let idx = DiscoveryIndex::from_tree(&tree, DEFAULT_PREFIX, OrphanRules::default(), now());
    assert_eq!(idx.counts().entities, 1);
    assert_eq!(
        DiscoveryIndex::from_tree(&TopicTree::new(), DEFAULT_PREFIX, OrphanRules::default(), now()),
        DiscoveryIndex::default()
    );
}
