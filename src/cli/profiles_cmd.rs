//! `topicscope profiles`: lists saved connection profiles.

use crate::profiles::{BrokerUrl, ProfileStore};

pub fn run() -> Result<(), String> {
    let outcome = ProfileStore::load_default();
    if let Some(e) = outcome.error {
        return Err(e.to_string());
    }
    let store = outcome.store;
    if store.list().is_empty() {
        println!("no saved profiles in {}", store.path().display());
        return Ok(());
    }
    for p in store.list() {
        let user = p
            .username
            .as_deref()
            .map(|u| format!(" (user {u})"))
            .unwrap_or_default();
        let subs: Vec<&str> = p.subscriptions.iter().map(|s| s.filter.as_str()).collect();
        // Display of a parsed URL never shows a password.
        let url = BrokerUrl::parse(&p.broker_url).map_or_else(|e| format!("(invalid URL: {e})"), |u| u.to_string());
        println!("{}\t{url}{user}\tsubscriptions: {}", p.name, subs.join(" "));
    }
    Ok(())
}
