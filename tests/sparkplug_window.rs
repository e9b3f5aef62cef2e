//! Sparkplug B in the window, end to end through the embedded broker: an NBIRTH with
//! aliases then an alias-only NDATA without datatypes (as Sparkplug 3.0 says DATA is
//! sent); the inspector shows the NDATA's metrics by name, with the datatype its birth
//! gave tagged (Float), one click plots `metrics.Temperature` (named from
//! the birth), and the Rebirth button publishes Node Control/Rebirth on the node's NCMD
//! topic.

mod common;

use common::TestBroker;
use common::window::*;
use egui_kittest::kittest::{NodeT as _, Queryable};
use topicscope::model::Decoder;
use topicscope::model::decode::sparkplug::{self, Metric, MetricValue};

fn metric(name: Option<&str>, alias: u64, value: MetricValue) -> Metric {
    Metric {
        name: name.map(str::to_owned),
        alias: Some(alias),
        value,
    }
}

/// Publishes raw bytes (not retained, in order) and waits for the acks.
fn feed_bytes(broker: &TestBroker, messages: &[(&str, Vec<u8>)]) {
    let raw: Vec<(&str, &[u8], bool)> = messages.iter().map(|(t, p)| (*t, p.as_slice(), false)).collect();
    feed_raw(broker, &raw);
}

#[test]
fn alias_only_data_shows_and_plots_by_name_and_rebirth_is_sent() {
    let broker = TestBroker::embedded();
    let dir = tempfile::tempdir().unwrap();
    let mut h = connected_app(&broker, dir.path());
    let birth = sparkplug::encode(
        1,
        Some(0),
        &[
            metric(Some("Node Control/Rebirth"), 1, MetricValue::Boolean(false)),
            metric(Some("Temperature"), 2, MetricValue::Float(21.5)),
        ],
    )
    .unwrap();
    let data = sparkplug::encode(2, Some(1), &[metric(None, 2, MetricValue::Float(22.25))]).unwrap();
    feed_bytes(
        &broker,
        &[
            ("spBv1.0/plant/NBIRTH/edge1", birth),
            ("spBv1.0/plant/NDATA/edge1", data),
        ],
    );
    step_until(&mut h, "the NDATA arrived", |h| {
        h.state()
            .state
            .conn()
            .model
            .tree()
            .find("spBv1.0/plant/NDATA/edge1")
            .is_some()
    });
    h.get_by_label("Expand all").click();
    h.step();
    h.step();
    // Two "edge1" levels, NBIRTH's then NDATA's (sorted).
    h.query_all_by_label("edge1").nth(1).expect("the NDATA node").click();
    h.step();
    h.step();
    assert_eq!(
        h.state().ui.selected_topic(&h.state().state).as_deref(),
        Some("spBv1.0/plant/NDATA/edge1")
    );
    step_until(&mut h, "the alias-only metric shows by name", |h| {
        has_label_containing(h, "\"Temperature\": 22.25")
    });
    assert!(has_label_containing(&h, "Sparkplug B"), "detected by its namespace");

    step_until(&mut h, "the birth's datatype tags the alias-only metric", |h| {
        has_label(h, "Float")
    });
    assert!(!has_label(&h, "Double"), "no other datatype was given");
    // For review: SPARKPLUG_SHOT=out.png writes what the inspector looks like here.
    if let Ok(path) = std::env::var("SPARKPLUG_SHOT") {
        h.render().expect("renders").save(path).expect("saves");
    }
    let unresolved: Vec<String> = h
        .query_all_by_label_contains("alias 2\"")
        .map(|n| format!("{:?}", n.accesskit_node().label().or(n.accesskit_node().value())))
        .collect();
    assert!(unresolved.is_empty(), "no unresolved alias: {unresolved:?}");

    // One click plots it by name, read through the births.
    h.query_all_by_label_contains("\"Temperature\": 22.25")
        .next()
        .unwrap()
        .click();
    step_until(&mut h, "the metric is plotted", |h| {
        let charts = &h.state().state.charts.charts;
        charts.len() == 1 && charts[0].series.len() == 1 && charts[0].series[0].points().len() == 1
    });
    assert_eq!(h.state().state.charts.charts[0].series[0].points()[0].y, 22.25);

    // Rebirth: the NCMD comes back to us (we subscribe to #) and reads as the command.
    h.get_by_label("Rebirth").click();
    step_until(&mut h, "the NCMD was published", |h| {
        h.state()
            .state
            .conn()
            .model
            .tree()
            .find("spBv1.0/plant/NCMD/edge1")
            .is_some()
    });
    let model = &h.state().state.conn().model;
    let id = model.tree().find("spBv1.0/plant/NCMD/edge1").unwrap();
    let msg = model.tree().last_message(id).unwrap();
    let value = Decoder::Sparkplug.decode(&msg.payload).unwrap();
    assert_eq!(value["metrics"]["Node Control/Rebirth"], true);
}
