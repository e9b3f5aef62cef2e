//! Clearing every retained message under a topic filter ([`super::Command::ClearRetainedBelow`]).
//!
//! MQTT 3.1.1 delivers a message published while we are subscribed with retain=0, even
//! when the broker keeps it as the retained one, so the session cannot know which of the
//! topics it saw the broker holds. What a *new* subscription receives with retain=1 is
//! exactly that, so a short probe connection with a fresh session subscribes to the
//! filter, collects the retained topics, clears each (an empty retained publish at QoS 1,
//! acknowledged), and a second fresh probe confirms that none is left.

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::time::Instant;

use super::forwarder::Item;
use super::protocol::{self, Client, Connection, Polled};
use super::supervisor::emit;
use super::{Event, PublishRequest};
use crate::profiles::Profile;

/// Retained messages arrive right after the SUBACK; this long without one means all came.
const QUIET: Duration = Duration::from_millis(400);
/// Longest wait for the retained messages or for the acknowledgements of the clears.
const PHASE_MAX: Duration = Duration::from_secs(10);
/// Topics named in the sentence, at most.
const NAMED_MAX: usize = 5;

/// What [`super::Command::ClearRetainedBelow`] did; `Display` says it in one sentence.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClearReport {
    /// The filter the command named.
    pub filter: String,
    /// Topics whose retained message was cleared (the broker acknowledged the clear).
    pub cleared: Vec<String>,
    /// Topics the broker refused to clear, with its reason (MQTT 5).
    pub refused: Vec<(String, String)>,
    /// Topics still retained according to the second probe.
    pub remaining: Vec<String>,
    /// Why the operation stopped early, if it did.
    pub failure: Option<String>,
}

impl ClearReport {
    /// A report of an operation that could not start or stopped with `why`.
    pub fn failed(filter: impl Into<String>, why: impl Into<String>) -> Self {
        Self {
            filter: filter.into(),
            failure: Some(why.into()),
            ..Self::default()
        }
    }

    /// True when everything found was cleared and nothing is left.
    pub fn complete(&self) -> bool {
        self.failure.is_none() && self.refused.is_empty() && self.remaining.is_empty()
    }
}

fn named(topics: &[String]) -> String {
    let mut text = topics.iter().take(NAMED_MAX).cloned().collect::<Vec<_>>().join(", ");
    if topics.len() > NAMED_MAX {
        text.push_str(", …");
    }
    text
}

impl std::fmt::Display for ClearReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let filter = self.filter.as_str();
        match (&self.failure, self.cleared.len()) {
            (Some(why), 0) => {
                return f.write_str(&crate::tr!("worker-clear-failed", filter = filter, why = why.as_str()));
            }
            (Some(why), n) => {
                return f.write_str(&crate::tr!(
                    "worker-clear-then-failed",
                    n = n,
                    filter = filter,
                    why = why.as_str()
                ));
            }
            (None, 0) if self.refused.is_empty() && self.remaining.is_empty() => {
                return f.write_str(&crate::tr!("worker-clear-nothing", filter = filter));
            }
            (None, n) => f.write_str(&crate::tr!("worker-clear-done", n = n, filter = filter))?,
        }
        if let Some((_, why)) = self.refused.first() {
            let refused = crate::tr!("worker-clear-refused", n = self.refused.len(), why = why.as_str());
            f.write_str(&refused)?;
        }
        if self.remaining.is_empty() {
            f.write_str(&crate::tr!("worker-clear-none-left"))
        } else {
            f.write_str(&crate::tr!(
                "worker-clear-still-retained",
                topics = named(&self.remaining)
            ))
        }
    }
}

/// Runs the whole operation and reports its outcome.
pub async fn clear_below(profile: Profile, filter: String, items: mpsc::Sender<Item>) {
    let report = clear(&profile, &filter).await;
    tracing::info!(%report, "clear retained below");
    emit(&items, Event::RetainedCleared(report)).await;
}

async fn clear(profile: &Profile, filter: &str) -> ClearReport {
    let mut report = ClearReport {
        filter: filter.to_owned(),
        ..ClearReport::default()
    };
    let found = match Probe::open(profile).await {
        Ok(mut probe) => {
            let found = probe.retained(filter).await;
            if let Ok(topics) = &found {
                let (cleared, refused, failure) = probe.clear(topics).await;
                report.cleared = cleared;
                report.refused = refused;
                report.failure = failure;
            }
            probe.close().await;
            found
        }
        Err(e) => Err(e),
    };
    if let Err(why) = found {
        report.failure = Some(why);
    }
    if report.failure.is_some() {
        return report;
    }
    // A fresh session again: the first probe's subscription would not re-deliver them.
    match Probe::open(profile).await {
        Ok(mut probe) => {
            match probe.retained(filter).await {
                Ok(left) => report.remaining = left.into_iter().collect(),
                Err(why) => report.failure = Some(crate::tr!("worker-clear-check-failed", why = why)),
            }
            probe.close().await;
        }
        Err(why) => report.failure = Some(crate::tr!("worker-clear-check-failed", why = why)),
    }
    report
}

/// A short-lived connection with a fresh session and no will.
struct Probe {
    client: Client,
    connection: Connection,
    timeout_secs: u64,
}

impl Probe {
    async fn open(profile: &Profile) -> Result<Self, String> {
        let mut p = profile.clone();
        // Short enough for brokers that limit client ids to 23 characters.
        p.client_id = format!("topicscope-p{:08x}", rand::random::<u32>());
        p.clean_session = true;
        p.session_expiry_secs = None;
        p.last_will = None;
        p.subscriptions.clear();
        let (client, connection, _) = protocol::open(&p).map_err(|e| e.to_string())?;
        let timeout_secs = p.connect_timeout_secs.max(1);
        let mut probe = Self {
            client,
            connection,
            timeout_secs,
        };
        let deadline = Instant::now() + Duration::from_secs(timeout_secs + 1);
        loop {
            match tokio::time::timeout_at(deadline, probe.connection.poll(timeout_secs)).await {
                Err(_) => return Err(crate::tr!("worker-probe-no-answer", secs = timeout_secs)),
                Ok(Err(failure)) => return Err(failure.text),
                Ok(Ok(Polled::ConnAck { .. })) => return Ok(probe),
                Ok(Ok(_)) => {}
            }
        }
    }

    /// The topics under `filter` the broker holds a retained message for.
    async fn retained(&mut self, filter: &str) -> Result<BTreeSet<String>, String> {
        // At QoS 0: rumqttd sends at most 100 retained messages to a QoS 1/2 subscription.
        self.client.subscribe(filter, 0).await?;
        let mut topics = BTreeSet::new();
        let hard = Instant::now() + PHASE_MAX;
        let mut quiet_until: Option<Instant> = None;
        loop {
            let until = quiet_until.map_or(hard, |q| q.min(hard));
            match tokio::time::timeout_at(until, self.connection.poll(self.timeout_secs)).await {
                Err(_) if quiet_until.is_some() => return Ok(topics),
                Err(_) => return Err(crate::tr!("worker-probe-no-suback", filter = filter)),
                Ok(Err(failure)) => return Err(failure.text),
                Ok(Ok(Polled::SubAck { granted: Ok(_), .. })) => quiet_until = Some(Instant::now() + QUIET),
                Ok(Ok(Polled::SubAck { granted: Err(why), .. })) => {
                    return Err(crate::tr!("worker-probe-sub-refused", filter = filter, why = why));
                }
                // Empty payloads are clears (ours included), not retained messages.
                Ok(Ok(Polled::Message(m))) if m.retain && !m.payload.is_empty() => {
                    topics.insert(m.topic);
                    quiet_until = Some(Instant::now() + QUIET);
                }
                Ok(Ok(_)) => {}
            }
        }
    }

    /// Publishes an empty retained message to each topic and waits for the acks: the
    /// topics cleared, those refused with the reason, and why it stopped early if it did.
    async fn clear(&mut self, topics: &BTreeSet<String>) -> (Vec<String>, Vec<(String, String)>, Option<String>) {
        let (mut cleared, mut refused) = (Vec::new(), Vec::new());
        // Published from another task: awaiting a full request channel while nobody polls
        // the event loop would never end.
        let client = self.client.clone();
        let list: Vec<String> = topics.iter().cloned().collect();
        let sender = tokio::spawn(async move {
            for topic in list {
                let req = PublishRequest::new(0, topic, bytes::Bytes::new(), 1, true);
                if client.publish(&req).await.is_err() {
                    break;
                }
            }
        });
        let mut unwritten: VecDeque<String> = topics.iter().cloned().collect();
        let mut written: HashMap<u16, String> = HashMap::new();
        let deadline = Instant::now() + PHASE_MAX;
        let failure = loop {
            if unwritten.is_empty() && written.is_empty() {
                break None;
            }
            match tokio::time::timeout_at(deadline, self.connection.poll(self.timeout_secs)).await {
                Err(_) => break Some(crate::tr!("worker-clear-ack-timeout")),
                Ok(Err(failure)) => break Some(failure.text),
                Ok(Ok(Polled::PublishWritten { pkid })) => {
                    if let Some(topic) = unwritten.pop_front() {
                        written.insert(pkid, topic);
                    }
                }
                Ok(Ok(Polled::PublishDone { pkid, refused: why })) => match (written.remove(&pkid), why) {
                    (Some(topic), None) => cleared.push(topic),
                    (Some(topic), Some(why)) => refused.push((topic, why)),
                    (None, _) => {}
                },
                Ok(Ok(_)) => {}
            }
        };
        sender.abort();
        (cleared, refused, failure)
    }

    /// Sends DISCONNECT (so no will fires and the broker drops the session) and waits a
    /// moment for it to be written.
    async fn close(mut self) {
        if !self.client.try_disconnect() {
            return;
        }
        let deadline = Instant::now() + Duration::from_secs(1);
        while let Ok(Ok(polled)) = tokio::time::timeout_at(deadline, self.connection.poll(self.timeout_secs)).await {
            if matches!(polled, Polled::DisconnectWritten) {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(cleared: &[&str], remaining: &[&str]) -> ClearReport {
        ClearReport {
            filter: "home/#".into(),
            cleared: cleared.iter().map(|s| (*s).to_owned()).collect(),
            remaining: remaining.iter().map(|s| (*s).to_owned()).collect(),
            ..ClearReport::default()
        }
    }

    #[test]
    fn the_report_reads_as_one_sentence() {
        let all = report(&["home/a", "home/b", "home/c", "home/d"], &[]);
        assert!(all.complete());
        assert_eq!(all.to_string(), "cleared 4 retained messages under home/#; none left");
        assert_eq!(report(&[], &[]).to_string(), "no retained messages under home/#");
        let left = report(&["home/a"], &["home/x"]);
        assert!(!left.complete());
        assert_eq!(
            left.to_string(),
            "cleared 1 retained message under home/#; still retained: home/x"
        );
        let failed = ClearReport::failed("home/#", "not connected");
        assert_eq!(
            failed.to_string(),
            "could not clear the retained messages under home/#: not connected"
        );
    }
}
