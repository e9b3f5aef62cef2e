//! `topicscope profiles`: lists saved connection profiles.

use std::io::Write as _;

use super::terminal::{escape_controls, is_closed_pipe};
use crate::profiles::{BrokerUrl, ProfileStore};

pub fn run() -> Result<(), String> {
    let outcome = ProfileStore::load_default();
    if let Some(e) = outcome.error {
        return Err(e.to_string());
    }
    let store = outcome.store;
    let mut out = std::io::stdout().lock();
    match write_list(&mut out, &store).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        // `topicscope profiles | head -1`: the reader has all it wanted.
        Err(e) if is_closed_pipe(&e) => Ok(()),
        Err(e) => Err(crate::tr!("worker-cli-stdout-failed", error = crate::i18n::shown(e))),
    }
}

fn write_list(out: &mut impl std::io::Write, store: &ProfileStore) -> std::io::Result<()> {
    if store.list().is_empty() {
        let path = crate::i18n::shown(store.path().display());
        return writeln!(out, "{}", crate::tr!("worker-cli-no-profiles", path = path));
    }
    for p in store.list() {
        let user = p
            .username
            .as_deref()
            .map(|u| format!(" {}", crate::tr!("worker-cli-profile-user", user = u)))
            .unwrap_or_default();
        let subs: Vec<&str> = p.subscriptions.iter().map(|s| s.filter.as_str()).collect();
        // Display of a parsed URL never shows a password.
        let url = BrokerUrl::parse(&p.broker_url).map_or_else(
            |e| crate::tr!("worker-cli-invalid-url", error = crate::i18n::shown(e)),
            |u| u.to_string(),
        );
        // The file may have been edited by anyone: no raw control characters to the terminal.
        writeln!(
            out,
            "{}\t{}\t{}",
            escape_controls(&p.name, false),
            escape_controls(&format!("{url}{user}"), false),
            crate::tr!(
                "worker-cli-profile-subscriptions",
                filters = escape_controls(&subs.join(" "), false).into_owned()
            )
        )?;
    }
    Ok(())
}
