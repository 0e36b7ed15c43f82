//! CloudTrail: one event per call, bounded retention, counters, and `LookupEvents`.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::World;
use crate::context::{CallContext, IdentityType};
use crate::env::{WorldRng, iso8601, parse_time};
use crate::error::AwsError;
use crate::iam::Iam;
use crate::service::Service;

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

/// A resource an event names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Resource {
    pub account: String,
    pub kind: &'static str,
    pub arn: String,
}

/// An event a service emits itself as a consequence of a call or of time passing (KMS's own
/// `RotateKey`, `DeleteKey`), recorded as an `AwsServiceEvent` (`additional` becomes its
/// `serviceEventDetails`).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ServiceEvent {
    pub account: String,
    pub region: String,
    pub event_name: &'static str,
    pub key_arn: String,
    pub additional: Option<Value>,
}

/// What a service reports about one call, for its CloudTrail event (opaque outside the crate:
/// the seam opens it, the service fills it, the seam records it).
#[derive(Clone, Debug)]
pub struct CallAudit {
    pub(crate) service: String,
    pub(crate) operation: String,
    pub(crate) ctx: CallContext,
    pub(crate) request_parameters: Value,
    pub(crate) response_elements: Value,
    pub(crate) additional_event_data: Option<Value>,
    pub(crate) resources: Vec<Resource>,
    pub(crate) read_only: bool,
    /// Region the event lands in (IAM's global endpoint logs in us-east-1).
    pub(crate) region: String,
    /// The event's `eventID` (drawn before the call so operations can cite it).
    pub(crate) event_id: String,
    /// The event's `requestID`.
    pub(crate) request_id: String,
    /// Service events to record right after the call's own event.
    pub(crate) followups: Vec<ServiceEvent>,
    /// Every authorization decision the call took, in order (not part of the event).
    pub(crate) authorizations: Vec<crate::authorize::AuthorizationRecord>,
}

/// Request members never logged (secrets and bulk data).
const SECRET_MEMBERS: &[&str] = &[
    "Plaintext",
    "CiphertextBlob",
    "Recipient",
    "GrantTokens",
    "GrantToken",
];

/// `KeyId` -> `keyId`, `AWSAccountId` -> `aWSAccountId` (CloudTrail's own spelling).
pub(crate) fn camel(name: &str) -> String {
    let mut c = name.chars();
    c.next()
        .map(|f| f.to_lowercase().chain(c).collect())
        .unwrap_or_default()
}

/// Converts the top-level members (and nested structure members) of an AWS shape to CloudTrail's
/// camelCase; map-typed members (encryption context, tags as maps) are kept verbatim.
pub(crate) fn camel_value(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| {
                    let verbatim = k.ends_with("EncryptionContext")
                        || k == "EncryptionContextSubset"
                        || k == "EncryptionContextEquals";
                    (camel(k), if verbatim { v.clone() } else { camel_value(v) })
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(camel_value).collect()),
        other => other.clone(),
    }
}

impl CallAudit {
    pub(crate) fn new(
        service: &str,
        operation: &str,
        ctx: &CallContext,
        input: &Value,
        event_id: String,
        request_id: String,
    ) -> Self {
        let mut params = input.clone();
        if let Value::Object(m) = &mut params {
            for s in SECRET_MEMBERS {
                m.remove(*s);
            }
        }
        let region = if matches!(service, "iam") {
            "us-east-1".to_owned()
        } else {
            ctx.region.clone()
        };
        let params = camel_value(&params);
        CallAudit {
            service: service.to_owned(),
            operation: operation.to_owned(),
            ctx: ctx.clone(),
            request_parameters: if params.as_object().is_some_and(Map::is_empty) {
                Value::Null
            } else {
                params
            },
            response_elements: Value::Null,
            additional_event_data: None,
            resources: Vec::new(),
            read_only: false,
            region,
            event_id,
            request_id,
            followups: Vec::new(),
            authorizations: Vec::new(),
        }
    }

    /// Adds a resource once.
    pub(crate) fn resource(&mut self, account: &str, kind: &'static str, arn: &str) {
        let r = Resource {
            account: account.to_owned(),
            kind,
            arn: arn.to_owned(),
        };
        if !self.resources.contains(&r) {
            self.resources.push(r);
        }
    }
}

/// The trail of the whole world (all accounts; `LookupEvents` filters by the caller's account
/// and Region as the per-account, per-Region event history does).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CloudTrail {
    /// Shared with every clone of the world (a world clone copies pointers, not records); the
    /// serde form is the events themselves.
    events: VecDeque<Arc<StoredEvent>>,
    counters: EventCounters,
    /// How many full events to keep (default [`RETAINED_EVENTS`]).
    #[serde(default = "default_retention")]
    retention: usize,
    /// During a bulk run: how many more events to retain in full (the rest are only counted).
    #[serde(skip)]
    sampling: Option<usize>,
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
        }
    }
}

fn user_identity(ctx: &CallContext, iam: &Iam) -> Value {
    let mut u = Map::new();
    u.insert("type".into(), json!(ctx.identity_type.as_str()));
    match ctx.identity_type {
        IdentityType::AWSService => {
            u.insert(
                "invokedBy".into(),
                json!(ctx.invoked_by.clone().unwrap_or_default()),
            );
        }
        _ => {
            u.insert("principalId".into(), json!(ctx.principal_id));
            u.insert("arn".into(), json!(ctx.principal_arn));
            u.insert("accountId".into(), json!(ctx.account));
            if !ctx.access_key_id.is_empty() {
                u.insert("accessKeyId".into(), json!(ctx.access_key_id));
            }
            if let Some(name) = &ctx.user_name {
                u.insert("userName".into(), json!(name));
            }
            if let Some(s) = &ctx.session {
                u.insert(
                    "sessionContext".into(),
                    json!({
                        "sessionIssuer": {
                            "type": "Role",
                            "principalId": s.role_id,
                            "arn": s.role_arn,
                            "accountId": ctx.account,
                            "userName": s.role_name,
                        },
                        "attributes": {
                            "creationDate": iso8601(s.created_ms),
                            "mfaAuthenticated": "false",
                        },
                    }),
                );
            }
            if let Some(by) = &ctx.invoked_by {
                u.insert("invokedBy".into(), json!(by));
            }
        }
    }
    let _ = iam;
    Value::Object(u)
}

fn lookup_username(ctx: &CallContext) -> Option<String> {
    match ctx.identity_type {
        IdentityType::IAMUser => ctx.user_name.clone(),
        IdentityType::AssumedRole => ctx.session.as_ref().map(|s| s.session_name.clone()),
        IdentityType::Root => Some("root".into()),
        IdentityType::AWSService => ctx.invoked_by.clone(),
    }
}

impl CloudTrail {
    pub(crate) fn events(&self) -> impl DoubleEndedIterator<Item = &StoredEvent> {
        self.events.iter().map(|e| &**e)
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
        self.counters.total += 1;
        if ev.error_code.is_some() {
            self.counters.errors += 1;
        }
        *self
            .counters
            .by_event_name
            .entry(ev.event_name.clone())
            .or_default() += 1;
        for (kind, name) in &ev.resources {
            if kind == "AWS::KMS::Key" && name.contains(":key/") {
                *self.counters.by_key.entry(name.clone()).or_default() += 1;
            }
        }
        if let Some(acct) = kms_request_account {
            *self
                .counters
                .kms_requests_by_account
                .entry(acct.to_owned())
                .or_default() += 1;
        }
        self.retain(ev);
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
    fn retain(&mut self, ev: StoredEvent) {
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

    /// Records the event of one API call.
    pub(crate) fn record(
        &mut self,
        audit: &CallAudit,
        error: Option<&AwsError>,
        now_ms: i64,
        iam: &Iam,
        rng: &mut WorldRng,
    ) {
        let event_id = audit.event_id.clone();
        let request_id = audit.request_id.clone();
        let ctx = &audit.ctx;
        let source = format!("{}.amazonaws.com", audit.service);
        let mut rec = Map::new();
        rec.insert("eventVersion".into(), json!("1.11"));
        rec.insert("userIdentity".into(), user_identity(ctx, iam));
        rec.insert("eventTime".into(), json!(iso8601(now_ms)));
        rec.insert("eventSource".into(), json!(source));
        rec.insert("eventName".into(), json!(audit.operation));
        rec.insert("awsRegion".into(), json!(audit.region));
        rec.insert("sourceIPAddress".into(), json!(ctx.source_ip));
        rec.insert("userAgent".into(), json!(ctx.user_agent));
        if let Some(e) = error {
            rec.insert("errorCode".into(), json!(e.code));
            rec.insert("errorMessage".into(), json!(e.message));
        }
        rec.insert("requestParameters".into(), audit.request_parameters.clone());
        rec.insert(
            "responseElements".into(),
            if error.is_none() {
                audit.response_elements.clone()
            } else {
                Value::Null
            },
        );
        if let Some(extra) = &audit.additional_event_data {
            rec.insert("additionalEventData".into(), extra.clone());
        }
        rec.insert("requestID".into(), json!(request_id));
        rec.insert("eventID".into(), json!(event_id));
        rec.insert("readOnly".into(), json!(audit.read_only));
        if !audit.resources.is_empty() {
            rec.insert(
                "resources".into(),
                Value::Array(
                    audit
                        .resources
                        .iter()
                        .map(|r| json!({ "accountId": r.account, "type": r.kind, "ARN": r.arn }))
                        .collect(),
                ),
            );
        }
        let data_event = audit.service == "s3" && crate::s3::is_data_event(&audit.operation);
        rec.insert("eventType".into(), json!("AwsApiCall"));
        rec.insert("managementEvent".into(), json!(!data_event));
        rec.insert("recipientAccountId".into(), json!(ctx.account));
        rec.insert(
            "eventCategory".into(),
            json!(if data_event { "Data" } else { "Management" }),
        );
        if ctx.secure_transport {
            rec.insert(
                "tlsDetails".into(),
                json!({
                    "tlsVersion": "TLSv1.3",
                    "cipherSuite": "TLS_AES_256_GCM_SHA384",
                    "clientProvidedHostHeader": format!("{}.{}.amazonaws.com", audit.service, audit.region),
                }),
            );
        }
        // Cross-account use: the key owner's trail gets its own copy (its own eventID, the
        // caller shown as an AWSAccount), both copies linked by sharedEventID.
        let mut owners: Vec<String> = Vec::new();
        for r in &audit.resources {
            if r.account != ctx.account && !owners.contains(&r.account) {
                owners.push(r.account.clone());
            }
        }
        let mut copies = Vec::new();
        if !owners.is_empty() {
            let shared = rng.uuid();
            rec.insert("sharedEventID".into(), json!(shared));
            for owner in owners {
                let mut copy = rec.clone();
                let copy_id = rng.uuid();
                copy.insert(
                    "userIdentity".into(),
                    json!({ "type": "AWSAccount", "principalId": ctx.principal_id, "accountId": ctx.account }),
                );
                copy.insert("eventID".into(), json!(copy_id));
                copy.insert("recipientAccountId".into(), json!(owner));
                copies.push((owner, copy_id, Value::Object(copy)));
            }
        }
        let accounts = vec![ctx.account.clone()];
        let ev = StoredEvent {
            event_id,
            event_name: audit.operation.clone(),
            event_source: source,
            event_time_ms: now_ms,
            region: audit.region.clone(),
            accounts,
            username: lookup_username(ctx),
            read_only: audit.read_only,
            access_key_id: (!ctx.access_key_id.is_empty()).then(|| ctx.access_key_id.clone()),
            resources: audit
                .resources
                .iter()
                .map(|r| (r.kind.to_owned(), r.arn.clone()))
                .collect(),
            error_code: error.map(|e| e.code.clone()),
            record: Value::Object(rec),
        };
        let kms_account = (audit.service == "kms").then(|| ctx.account.clone());
        for (owner, copy_id, record) in copies {
            let copy = StoredEvent {
                event_id: copy_id,
                accounts: vec![owner],
                username: None,
                access_key_id: None,
                record,
                ..ev.clone()
            };
            // The copy is the same call: it is retained but not counted twice.
            self.retain(copy);
        }
        self.push(ev, kms_account.as_deref());
    }

    /// Records an event KMS itself emits (`RotateKey`, `DeleteKey`, ...): `AwsServiceEvent`.
    pub(crate) fn record_service_event(
        &mut self,
        ev: ServiceEvent,
        now_ms: i64,
        event_id: String,
        request_id: Option<String>,
    ) {
        let ServiceEvent {
            account,
            region,
            event_name,
            key_arn,
            additional,
        } = ev;
        let (account, region, key_arn) = (account.as_str(), region.as_str(), key_arn.as_str());
        let mut rec = Map::new();
        rec.insert("eventVersion".into(), json!("1.11"));
        rec.insert(
            "userIdentity".into(),
            json!({ "accountId": account, "invokedBy": "AWS Internal" }),
        );
        rec.insert("eventTime".into(), json!(iso8601(now_ms)));
        rec.insert("eventSource".into(), json!("kms.amazonaws.com"));
        rec.insert("eventName".into(), json!(event_name));
        rec.insert("awsRegion".into(), json!(region));
        rec.insert("sourceIPAddress".into(), json!("AWS Internal"));
        rec.insert("userAgent".into(), json!("AWS Internal"));
        rec.insert("requestParameters".into(), Value::Null);
        rec.insert("responseElements".into(), Value::Null);
        let _ = request_id; // KMS's own events carry no requestID.
        rec.insert("eventID".into(), json!(event_id));
        rec.insert("readOnly".into(), json!(false));
        rec.insert(
            "resources".into(),
            json!([{ "accountId": account, "type": "AWS::KMS::Key", "ARN": key_arn }]),
        );
        rec.insert("eventType".into(), json!("AwsServiceEvent"));
        rec.insert("managementEvent".into(), json!(true));
        rec.insert("recipientAccountId".into(), json!(account));
        if let Some(details) = additional {
            rec.insert("serviceEventDetails".into(), details);
        }
        rec.insert("eventCategory".into(), json!("Management"));
        let ev = StoredEvent {
            event_id,
            event_name: event_name.to_owned(),
            event_source: "kms.amazonaws.com".into(),
            event_time_ms: now_ms,
            region: region.to_owned(),
            accounts: vec![account.to_owned()],
            username: None,
            read_only: false,
            access_key_id: None,
            resources: vec![("AWS::KMS::Key".into(), key_arn.to_owned())],
            error_code: None,
            record: Value::Object(rec),
        };
        self.push(ev, None);
    }

    fn lookup_events(
        &self,
        ctx: &CallContext,
        req: &LookupEventsRequest,
    ) -> Result<Value, CloudTrailError> {
        if req.lookup_attributes.len() > 1 {
            return Err(CloudTrailError::InvalidLookupAttributes(
                "You can only specify one lookup attribute per request.".into(),
            ));
        }
        let max = req.max_results.unwrap_or(50);
        if !(1..=50).contains(&max) {
            return Err(CloudTrailError::InvalidMaxResults(
                "MaxResults must be between 1 and 50.".into(),
            ));
        }
        let start = req
            .start_time
            .as_ref()
            .map(|t| {
                time_arg(t).ok_or_else(|| {
                    CloudTrailError::InvalidTimeRange(format!("invalid StartTime `{t}`"))
                })
            })
            .transpose()?;
        let end = req
            .end_time
            .as_ref()
            .map(|t| {
                time_arg(t).ok_or_else(|| {
                    CloudTrailError::InvalidTimeRange(format!("invalid EndTime `{t}`"))
                })
            })
            .transpose()?;
        if let (Some(s), Some(e)) = (start, end)
            && s > e
        {
            return Err(CloudTrailError::InvalidTimeRange(
                "Start time must be earlier than end time.".into(),
            ));
        }
        if let Some(cat) = &req.event_category {
            if cat != "insight" {
                return Err(CloudTrailError::InvalidEventCategory(format!(
                    "invalid EventCategory `{cat}`"
                )));
            }
            return Ok(json!({ "Events": [] }));
        }
        let attr = req.lookup_attributes.first();
        if let Some(a) = attr {
            const KEYS: &[&str] = &[
                "EventId",
                "EventName",
                "ReadOnly",
                "Username",
                "ResourceType",
                "ResourceName",
                "EventSource",
                "AccessKeyId",
            ];
            if !KEYS.contains(&a.attribute_key.as_str()) {
                return Err(CloudTrailError::InvalidLookupAttributes(format!(
                    "invalid AttributeKey `{}`; valid keys: {}",
                    a.attribute_key,
                    KEYS.join(", ")
                )));
            }
        }
        // NextToken = the eventID of the first event of the next page.
        let mut matching = self.events().rev().filter(|ev| {
            ev.accounts.contains(&ctx.account)
                && ev.region == ctx.region
                && start.is_none_or(|s| ev.event_time_ms >= s)
                && end.is_none_or(|e| ev.event_time_ms <= e)
                && attr.is_none_or(|a| matches_attribute(ev, &a.attribute_key, &a.attribute_value))
        });
        let mut page: Vec<&StoredEvent> = Vec::new();
        if let Some(tok) = &req.next_token {
            let mut found = false;
            for ev in matching.by_ref() {
                if &ev.event_id == tok {
                    page.push(ev);
                    found = true;
                    break;
                }
            }
            if !found {
                return Err(CloudTrailError::InvalidNextToken(
                    "Invalid NextToken".into(),
                ));
            }
        }
        let max = usize::try_from(max).unwrap_or(50);
        for ev in matching.by_ref() {
            if page.len() == max {
                break;
            }
            page.push(ev);
        }
        let next = matching.next().map(|ev| ev.event_id.clone());
        let events: Vec<Value> = page
            .iter()
            .map(|ev| {
                let mut e = Map::new();
                e.insert("EventId".into(), json!(ev.event_id));
                e.insert("EventName".into(), json!(ev.event_name));
                e.insert(
                    "ReadOnly".into(),
                    json!(if ev.read_only { "true" } else { "false" }),
                );
                if let Some(k) = &ev.access_key_id {
                    e.insert("AccessKeyId".into(), json!(k));
                }
                e.insert(
                    "EventTime".into(),
                    crate::env::epoch_seconds(ev.event_time_ms),
                );
                e.insert("EventSource".into(), json!(ev.event_source));
                if let Some(u) = &ev.username {
                    e.insert("Username".into(), json!(u));
                }
                e.insert(
                    "Resources".into(),
                    Value::Array(
                        ev.resources
                            .iter()
                            .map(|(t, n)| json!({ "ResourceType": t, "ResourceName": n }))
                            .collect(),
                    ),
                );
                e.insert("CloudTrailEvent".into(), json!(ev.record.to_string()));
                Value::Object(e)
            })
            .collect();
        let mut out = Map::new();
        out.insert("Events".into(), Value::Array(events));
        if let Some(n) = next {
            out.insert("NextToken".into(), json!(n));
        }
        Ok(Value::Object(out))
    }
}

fn time_arg(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_f64().and_then(|f| parse_time(&f.to_string())),
        Value::String(s) => parse_time(s),
        _ => None,
    }
}

fn matches_attribute(ev: &StoredEvent, key: &str, value: &str) -> bool {
    match key {
        "EventId" => ev.event_id == value,
        "EventName" => ev.event_name == value,
        "ReadOnly" => (if ev.read_only { "true" } else { "false" }) == value,
        "Username" => ev.username.as_deref() == Some(value),
        "ResourceType" => ev.resources.iter().any(|(t, _)| t == value),
        "ResourceName" => ev
            .resources
            .iter()
            .any(|(_, n)| n == value || n.rsplit_once('/').is_some_and(|(_, id)| id == value)),
        "EventSource" => ev.event_source == value,
        "AccessKeyId" => ev.access_key_id.as_deref() == Some(value),
        _ => false,
    }
}

/// One `LookupAttributes` entry.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct LookupAttribute {
    /// `EventName`, `ResourceName`, ….
    pub attribute_key: String,
    /// The value to match.
    pub attribute_value: String,
}

/// `LookupEvents`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct LookupEventsRequest {
    /// At most one attribute to match.
    #[serde(default)]
    pub lookup_attributes: Vec<LookupAttribute>,
    /// Epoch seconds (number) or a date-time string.
    pub start_time: Option<Value>,
    /// Epoch seconds (number) or a date-time string.
    pub end_time: Option<Value>,
    /// Only `insight` (which answers no events).
    pub event_category: Option<String>,
    /// 1 to 50 (default 50).
    pub max_results: Option<i64>,
    /// The `NextToken` of the previous page.
    pub next_token: Option<String>,
}

operations!(CloudTrailRequest / CloudTrailResponse, cloudtrail -> CloudTrailClient for CloudTrail {
    lookup_events: LookupEvents(LookupEventsRequest) -> Value,
});

service_error!(
    /// CloudTrail errors, named after the AWS error codes.
    CloudTrailError {
        /// More than one attribute, or an unknown attribute key.
        InvalidLookupAttributes = "InvalidLookupAttributesException" / 400,
        /// `MaxResults` out of 1..=50.
        InvalidMaxResults = "InvalidMaxResultsException" / 400,
        /// A malformed or reversed time range.
        InvalidTimeRange = "InvalidTimeRangeException" / 400,
        /// An event category other than `insight`.
        InvalidEventCategory = "InvalidEventCategoryException" / 400,
        /// A `NextToken` that names no event.
        InvalidNextToken = "InvalidNextTokenException" / 400,
        /// The caller may not call `cloudtrail:LookupEvents`.
        AccessDenied = "AccessDeniedException" / 400,
        /// An internal failure (never expected).
        InternalFailure = "InternalFailure" / 500,
    }
);

impl Service for CloudTrail {
    const NAME: &'static str = "cloudtrail";
    type Request = CloudTrailRequest;
    type Response = CloudTrailResponse;
    type Error = CloudTrailError;

    fn operation(req: &CloudTrailRequest) -> &str {
        req.operation()
    }

    fn decode(operation: &str, input: Value) -> Result<CloudTrailRequest, AwsError> {
        match CloudTrailRequest::decode(operation, input) {
            Some(req) => req.map_err(|e| {
                AwsError::new(
                    "InvalidParameterException",
                    format!("invalid {operation} request: {e}"),
                )
            }),
            None => Err(AwsError::new(
                "UnknownOperationException",
                format!("the lab's CloudTrail models LookupEvents only, not `{operation}`"),
            )),
        }
    }

    fn encode(resp: &CloudTrailResponse) -> Result<Value, AwsError> {
        resp.encode()
            .map_err(|e| CloudTrailError::InternalFailure(e.to_string()).to_aws())
    }

    fn audit_input(req: &CloudTrailRequest) -> Value {
        req.to_input()
    }

    fn client_side(e: AwsError) -> CloudTrailError {
        CloudTrailError::EndpointConnection(e.message)
    }

    fn internal(message: String) -> CloudTrailError {
        CloudTrailError::InternalFailure(message)
    }

    fn handle(
        world: &mut World,
        ctx: &CallContext,
        req: CloudTrailRequest,
        audit: &mut CallAudit,
    ) -> Result<CloudTrailResponse, CloudTrailError> {
        match req {
            CloudTrailRequest::LookupEvents(r) => {
                authorize_lookup(world, ctx, audit)?;
                world
                    .trail
                    .lookup_events(ctx, &r)
                    .map(CloudTrailResponse::LookupEvents)
            }
        }
    }

    /// CloudTrail authorizes `LookupEvents` before it reads the request.
    fn handle_json(
        world: &mut World,
        ctx: &CallContext,
        operation: &str,
        input: Value,
        audit: &mut CallAudit,
    ) -> Result<Value, AwsError> {
        if operation == "LookupEvents" {
            authorize_lookup(world, ctx, audit).map_err(|e| e.to_aws())?;
        }
        let CloudTrailRequest::LookupEvents(r) = Self::decode(operation, input)?;
        let resp = world.trail.lookup_events(ctx, &r).map_err(|e| e.to_aws())?;
        Self::encode(&CloudTrailResponse::LookupEvents(resp))
    }
}

/// `cloudtrail:LookupEvents` is identity-only; an allowed lookup is read-only.
fn authorize_lookup(
    world: &World,
    ctx: &CallContext,
    audit: &mut CallAudit,
) -> Result<(), CloudTrailError> {
    crate::authorize::identity_only(
        &world.iam,
        ctx,
        "cloudtrail:LookupEvents",
        "*",
        &[],
        world.now_ms(),
        &mut audit.authorizations,
    )
    .map_err(CloudTrailError::AccessDenied)?;
    audit.read_only = true;
    Ok(())
}
