//! CloudTrail: one event per call, bounded retention, counters, and `LookupEvents`.
//!
//! `audit.rs` builds events (a call's [`CallAudit`], the event record, KMS's own service
//! events); `params.rs` their request parameters (the caller's input kept as text, the secret
//! members left out, CloudTrail's camelCase); `lookup.rs` is the `LookupEvents` API (model,
//! errors, [`Service`] impl); this module keeps the trail (retention, sampling, counters).

mod audit;
#[cfg(test)]
mod deferred_tests;
mod lookup;
mod params;
mod trail_delivery;
mod trail_model;
mod trails;

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

pub use audit::CallAudit;
use audit::CallEvent;
pub(crate) use audit::{ServiceEvent, shared_text};
pub use lookup::{
    CloudTrailClient, Event, LookupAttribute, LookupEventsRequest, LookupEventsResponse, Resource,
};
pub(crate) use params::{
    DeferredText, Member, Members, camel, camel_value, request_parameters, request_parameters_owned,
};
pub(crate) use trail_delivery::deliver_due;
pub use trails::{
    CreateTrailRequest, DescribeTrailsRequest, DescribeTrailsResponse, GetTrailStatusResponse, Tag,
    Trail, TrailNameRequest, TrailResponse, Trails, UpdateTrailRequest,
};

/// How many full events are retained (older ones survive only in the counters).
pub const RETAINED_EVENTS: usize = 5000;

/// One retained event: the indexed attributes `LookupEvents` filters on plus the full record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoredEvent {
    /// `eventID`.
    pub event_id: String,
    /// `eventName`.
    pub event_name: String,
    /// `eventSource`, e.g. `kms.amazonaws.com`.
    pub event_source: String,
    /// Event time, epoch ms.
    pub event_time_ms: i64,
    /// The Region the event was recorded in.
    pub region: String,
    /// The accounts whose trail shows the event (the caller's, and the key owner's if different).
    pub accounts: Vec<String>,
    /// The user name `LookupEvents` reports (user name, role session name, or service).
    pub username: Option<String>,
    /// `readOnly`.
    pub read_only: bool,
    /// The access key id used, if any.
    pub access_key_id: Option<String>,
    /// `(ResourceType, ResourceName)` pairs.
    pub resources: Vec<(String, String)>,
    /// Whether the call failed (`errorCode` present).
    pub error_code: Option<String>,
    /// The full CloudTrail record.
    pub record: Value,
}

/// Counters over every event ever recorded, unaffected by retention.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EventCounters {
    /// All events.
    pub total: u64,
    /// Events with an `errorCode`.
    pub errors: u64,
    /// Per `eventName`.
    pub by_event_name: BTreeMap<String, u64>,
    /// Per KMS key ARN (every event naming the key as a resource).
    pub by_key: BTreeMap<String, u64>,
    /// KMS API requests per calling account (KMS's own service events are not requests).
    pub kms_requests_by_account: BTreeMap<String, u64>,
}

/// One retained event: a stored event, or an API call's audit that becomes one (rendered once,
/// when first read: recording a call builds no JSON).
#[derive(Debug)]
#[allow(
    clippy::large_enum_variant,
    reason = "each event is one Arc allocation either way; boxing would add a second"
)]
pub(crate) enum TrailEvent {
    /// Built rendered (service events, cross-account copies, events read from a save).
    Stored(StoredEvent),
    /// An API call, rendered on first read.
    Call(CallEvent, OnceLock<StoredEvent>),
}

impl TrailEvent {
    fn stored(ev: StoredEvent) -> Self {
        Self::Stored(ev)
    }

    fn call(call: CallEvent) -> Self {
        Self::Call(call, OnceLock::new())
    }

    /// The stored event (rendered now if it was not yet).
    fn get(&self) -> &StoredEvent {
        match self {
            Self::Stored(ev) => ev,
            Self::Call(call, rendered) => rendered.get_or_init(|| call.render()),
        }
    }
}

/// The average number of events in a part of a save ([`crate::parts`]).
const EVENTS_PER_PART: u64 = 8;

/// The serde form of the events: the stored events themselves, oldest first (as before events
/// were rendered lazily).
fn serialize_events<S: Serializer>(
    events: &VecDeque<Arc<TrailEvent>>,
    s: S,
) -> Result<S::Ok, S::Error> {
    // In parts when the browser saves (`crate::parts`), chunked where an event id says so:
    // about 8 events (some 14 KB) a chunk, as each command appends to the last chunk and
    // trimming the oldest event changes the first, and a changed chunk is written whole.
    crate::parts::serialize_seq(
        events.iter(),
        EVENTS_PER_PART,
        TrailEvent::get,
        |e| &e.event_id,
        s,
    )
}

fn deserialize_events<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<VecDeque<Arc<TrailEvent>>, D::Error> {
    Ok(Vec::<StoredEvent>::deserialize(d)?
        .into_iter()
        .map(|e| Arc::new(TrailEvent::stored(e)))
        .collect())
}

/// The trail of the whole world (all accounts; `LookupEvents` filters by the caller's account
/// and Region as the per-account, per-Region event history does).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CloudTrail {
    /// Shared with every clone of the world (a world clone copies pointers, not records); the
    /// serde form is the events themselves.
    #[serde(
        serialize_with = "serialize_events",
        deserialize_with = "deserialize_events"
    )]
    events: VecDeque<Arc<TrailEvent>>,
    counters: EventCounters,
    /// How many full events to keep (default [`RETAINED_EVENTS`]).
    #[serde(default = "default_retention")]
    retention: usize,
    /// During a bulk run: how many more events to retain in full (the rest are only counted).
    #[serde(skip)]
    sampling: Option<usize>,
    /// The trails (`CreateTrail`, …) and their delivery state.
    #[serde(default)]
    pub(crate) trails: Trails,
}

fn default_retention() -> usize {
    RETAINED_EVENTS
}

impl Default for CloudTrail {
    fn default() -> Self {
        CloudTrail {
            events: VecDeque::new(),
            counters: EventCounters::default(),
            retention: RETAINED_EVENTS,
            sampling: None,
            trails: Trails::default(),
        }
    }
}

impl CloudTrail {
    pub(crate) fn events(&self) -> impl DoubleEndedIterator<Item = &StoredEvent> {
        self.events.iter().map(|e| e.get())
    }

    pub(crate) fn counters(&self) -> &EventCounters {
        &self.counters
    }

    /// Sets how many full events are kept (at least 1), dropping the oldest beyond it.
    pub(crate) fn set_retention(&mut self, n: usize) {
        self.retention = n.max(1);
        while self.events.len() > self.retention {
            self.events.pop_front();
        }
    }

    fn push(&mut self, ev: StoredEvent, kms_request_account: Option<&str>) {
        self.count(
            &ev.event_name,
            ev.resources.iter().map(|(k, n)| (k.as_str(), n.as_str())),
            ev.error_code.is_some(),
            kms_request_account,
        );
        self.retain(TrailEvent::stored(ev));
    }

    /// Counts one event: its name, the KMS keys among its resources `(type, ARN)`, an error,
    /// and a KMS request of the calling account.
    fn count<'r>(
        &mut self,
        event_name: &str,
        resources: impl Iterator<Item = (&'r str, &'r str)>,
        error: bool,
        kms_request_account: Option<&str>,
    ) {
        /// `map[key] += 1`, allocating the key only the first time.
        #[cfg_attr(wasm_speed, optimize(speed))]
        fn bump(map: &mut BTreeMap<String, u64>, key: &str) {
            match map.get_mut(key) {
                Some(n) => *n += 1,
                None => {
                    map.insert(key.to_owned(), 1);
                }
            }
        }
        self.counters.total += 1;
        if error {
            self.counters.errors += 1;
        }
        bump(&mut self.counters.by_event_name, event_name);
        for (kind, name) in resources {
            if kind == "AWS::KMS::Key" && names_a_key(name) {
                bump(&mut self.counters.by_key, name);
            }
        }
        if let Some(acct) = kms_request_account {
            bump(&mut self.counters.kms_requests_by_account, acct);
        }
    }

    /// Counts `ok + errors` events of a simulated burst without storing them (`World::load`).
    pub(crate) fn count_bulk(
        &mut self,
        event_name: &str,
        key_arn: Option<&str>,
        account: &str,
        ok: u64,
        errors: u64,
    ) {
        let n = ok + errors;
        if n == 0 {
            return;
        }
        self.counters.total += n;
        self.counters.errors += errors;
        *self
            .counters
            .by_event_name
            .entry(event_name.to_owned())
            .or_default() += n;
        if let Some(arn) = key_arn {
            *self.counters.by_key.entry(arn.to_owned()).or_default() += n;
        }
        *self
            .counters
            .kms_requests_by_account
            .entry(account.to_owned())
            .or_default() += n;
    }

    /// Retain at most `n` more events in full until called with `None` (counters keep counting).
    pub(crate) fn set_sampling(&mut self, n: Option<usize>) {
        self.sampling = n;
    }

    /// Keeps an event in the bounded window (no counting).
    #[cfg_attr(wasm_speed, optimize(speed))]
    fn retain(&mut self, ev: TrailEvent) {
        match &mut self.sampling {
            Some(0) => return,
            Some(left) => *left -= 1,
            None => {}
        }
        self.events.push_back(Arc::new(ev));
        while self.events.len() > self.retention {
            self.events.pop_front();
        }
    }
}

/// Whether an ARN names a KMS key (`…:key/ID`, not an alias): `contains(":key/")`, without
/// the substring search's set-up on every call (a few hundred instructions in the browser).
fn names_a_key(arn: &str) -> bool {
    arn.split(':').skip(1).any(|part| part.starts_with("key/"))
}

#[cfg(test)]
mod names_a_key_tests {
    #[test]
    fn names_a_key_is_contains_key() {
        for arn in [
            "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab",
            "arn:aws:kms:us-east-1:111122223333:alias/key/x",
            "arn:aws:kms:us-east-1:111122223333:alias/app",
            "key/1234",
            ":key/",
            "::key/",
            ":key",
            "arn:aws:kms:us-east-1:111122223333:keys/1",
            "",
        ] {
            assert_eq!(super::names_a_key(arn), arn.contains(":key/"), "{arn}");
        }
    }
}
