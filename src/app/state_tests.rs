//! Tests of the window's state: several connections, their charts, clearing.

use super::*;
use crate::model::Message;
use crate::model::series::{ChartLayout, Extractor, SeriesSpec};

fn profile(name: &str, charts: Vec<ChartLayout>) -> Profile {
    // A closed port: the worker keeps retrying in the background, which is all these
    // tests need (they look at the window's state, not at traffic).
    let mut p = Profile::new(name, "mqtt://127.0.0.1:1");
    p.charts = charts;
    p
}

fn one_chart() -> Vec<ChartLayout> {
    vec![ChartLayout {
        title: "Stock".into(),
        series: vec![SeriesSpec {
            topic: "t".into(),
            extractor: Extractor::Whole,
            connection: None,
        }],
        ..ChartLayout::default()
    }]
}

#[test]
fn a_profile_opens_beside_the_others_and_reconnecting_keeps_it_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let mut state = AppState::new(None, dir.path().to_owned(), 1 << 20);
    state.connect(profile("a", vec![]));
    // The fresh first connection was taken, not a second one opened.
    assert_eq!(state.connections.len(), 1);
    state.connect(profile("b", vec![]));
    assert_eq!(state.connections.len(), 2);
    assert_eq!(state.conn().name, "b");
    // Each holds half the history budget.
    assert!(
        state
            .connections
            .iter()
            .all(|c| c.model.history().budget_bytes() == 1 << 19)
    );
    state.connect(profile("a", vec![]));
    assert_eq!(state.connections.len(), 2, "reconnecting a opened no third connection");
    assert_eq!(state.active, 0);
    state.close_connection(0);
    assert_eq!(state.connections.len(), 1);
    assert_eq!(state.conn().name, "b");
    assert_eq!(state.conn().model.history().budget_bytes(), 1 << 20);
}

#[test]
fn reconnecting_keeps_the_charts_the_user_changed() {
    let dir = tempfile::tempdir().unwrap();
    let mut state = AppState::new(None, dir.path().to_owned(), 1 << 20);
    state.connect(profile("demo", one_chart()));
    assert_eq!(state.charts.charts.len(), 1, "the profile's charts come with it");
    state.charts.remove_chart(0);
    let home = state.conn().name.clone();
    state.charts.add_chart(&home);
    state.charts.charts[0].title = "Mine".into();
    // Reconnecting (as after the demo's broker restarts) keeps the user's chart.
    state.connect(profile("demo", one_chart()));
    assert_eq!(state.charts.charts.len(), 1);
    assert_eq!(state.charts.charts[0].title, "Mine");
}

#[test]
fn clearing_empties_one_connection_only() {
    let dir = tempfile::tempdir().unwrap();
    let mut state = AppState::new(None, dir.path().to_owned(), 1 << 20);
    state.connect(profile("a", vec![]));
    state.apply(Event::Messages(vec![Message::new("x/1", "1", 0, false)]));
    state.connect(profile("b", vec![]));
    state.apply(Event::Messages(vec![Message::new("y/1", "2", 0, false)]));
    let epoch = state.conn().epoch;
    state.clear_tree();
    assert_eq!(state.conn().model.tree().topic_count(), 0);
    assert_eq!(state.conn().epoch, epoch + 1, "views of the cleared tree start afresh");
    assert_eq!(state.connections[0].model.tree().topic_count(), 1);
}
