//! Building events: a call's [`CallAudit`] (what its CloudTrail event reports), the event
//! record of a call (`userIdentity`, request parameters, errors, resources) and KMS's own
//! service events (rotations, deletions).

use std::borrow::Cow;
use std::sync::Arc;

use serde_json::{Map, Value, json};

use crate::context::{CallContext, IdentityType};
use crate::env::{IdText, WorldRng, iso8601};
use crate::error::AwsError;

use super::params::{Deferred, DeferredText, Param, request_parameters};
use super::{CloudTrail, StoredEvent, TrailEvent};

/// A resource an event names (its texts shared with the other events naming it: see
/// [`shared_text`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Resource {
    pub account: Arc<str>,
    pub kind: &'static str,
    pub arn: Arc<str>,
}

/// The resources an event names, in order: the first kept inline (a call names one resource,
/// or none, almost always), so keeping it allocates no list.
#[derive(Clone, Default)]
pub(crate) struct Resources {
    first: Option<Resource>,
    rest: Vec<Resource>,
}

impl Resources {
    pub(crate) fn iter(&self) -> impl Iterator<Item = &Resource> {
        self.first.iter().chain(&self.rest)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.first.is_none()
    }

    fn push(&mut self, r: Resource) {
        match self.first {
            None => self.first = Some(r),
            Some(_) => self.rest.push(r),
        }
    }
}

impl std::fmt::Debug for Resources {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// `s` as an `Arc<str>`, shared with the last texts asked for when one of them is the same:
/// the events of calls on the same key share its account and ARN (and key material id) instead
/// of each keeping a copy. A small thread-local cache (four entries, replaced in turn).
#[cfg_attr(wasm_speed, optimize(speed))]
pub(crate) fn shared_text(s: &str) -> Arc<str> {
    use std::cell::RefCell;
    const ENTRIES: usize = 4;
    thread_local! {
        static LAST: RefCell<([Option<Arc<str>>; ENTRIES], usize)> =
            const { RefCell::new(([None, None, None, None], 0)) };
    }
    LAST.with(|cell| {
        let Ok(mut last) = cell.try_borrow_mut() else {
            return Arc::from(s);
        };
        let (entries, next) = &mut *last;
        if let Some(hit) = entries.iter().flatten().find(|t| ***t == *s) {
            return Arc::clone(hit);
        }
        let text: Arc<str> = Arc::from(s);
        if let Some(slot) = entries.get_mut(*next % ENTRIES) {
            *slot = Some(Arc::clone(&text));
        }
        *next = (*next + 1) % ENTRIES;
        text
    })
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
    pub(crate) service: &'static str,
    pub(crate) operation: Cow<'static, str>,
    /// The caller (shared with the world's other calls by the same caller).
    pub(crate) ctx: Arc<CallContext>,
    /// The event's `requestParameters` when built (see [`CallAudit::request_parameters_mut`]);
    /// `null` while `deferred_input` holds them.
    request_parameters: Value,
    /// The caller's JSON input, its secret members removed (as `serde_json::Map::remove` does):
    /// the `requestParameters` converted to CloudTrail's form only when the event is read.
    deferred_input: Option<Deferred>,
    /// A member a service set (`set_param`) while `deferred_input` was kept, inserted after
    /// the conversion.
    deferred_param: Option<(&'static str, Param)>,
    pub(crate) response_elements: Value,
    /// Boxed: rarely set, and the audit is kept in every event.
    pub(crate) additional_event_data: Option<Box<Value>>,
    /// The `keyMaterialId` a KMS cryptographic operation reports: its `additionalEventData`
    /// (`{"keyMaterialId": …}`) when no other is set, built when the event is read.
    pub(crate) key_material_id: Option<Arc<str>>,
    pub(crate) resources: Resources,
    pub(crate) read_only: bool,
    /// The event's `eventID` (drawn before the call so operations can cite it).
    pub(crate) event_id: IdText,
    /// The event's `requestID`.
    pub(crate) request_id: IdText,
    /// Service events to record right after the call's own event.
    pub(crate) followups: Vec<ServiceEvent>,
    /// Every authorization decision the call took, in order (not part of the event).
    pub(crate) authorizations: Vec<crate::authorize::AuthorizationRecord>,
    /// Whether the caller reads the allowed decisions (`World::call_recorded`, `explain`):
    /// when false (`World::call`), an allowed KMS decision may be taken without its
    /// explanation and is not recorded; a denial always is.
    pub(crate) explain: bool,
}

/// Whether a call is a CloudTrail data event (a data-plane operation: S3 object calls,
/// DynamoDB item calls), which trails log only with data-event selectors and event history
/// never shows, rather than a management event.
pub(crate) fn is_data_event(service: &str, operation: &str) -> bool {
    match service {
        "s3" => crate::s3::is_data_event(operation),
        "dynamodb" => crate::dynamodb::is_data_event(operation),
        _ => false,
    }
}

impl CallAudit {
    pub(crate) fn new(
        service: &'static str,
        operation: &str,
        ctx: &CallContext,
        input: &Value,
        event_id: String,
        request_id: String,
    ) -> Self {
        let mut audit = Self::open(
            service,
            Cow::Owned(operation.to_owned()),
            Arc::new(ctx.clone()),
            event_id,
            request_id,
        );
        audit.set_request_parameters(request_parameters(input));
        audit
    }

    /// A call's audit before its input is known (`request_parameters` null).
    pub(crate) fn open(
        service: &'static str,
        operation: Cow<'static, str>,
        ctx: Arc<CallContext>,
        event_id: impl Into<IdText>,
        request_id: impl Into<IdText>,
    ) -> Self {
        CallAudit {
            service,
            operation,
            ctx,
            request_parameters: Value::Null,
            deferred_input: None,
            deferred_param: None,
            response_elements: Value::Null,
            additional_event_data: None,
            key_material_id: None,
            resources: Resources::default(),
            read_only: false,
            event_id: event_id.into(),
            request_id: request_id.into(),
            followups: Vec::new(),
            authorizations: Vec::new(),
            explain: true,
        }
    }

    /// Sets the event's `requestParameters` (built).
    pub(crate) fn set_request_parameters(&mut self, params: Value) {
        self.request_parameters = params;
        self.deferred_input = None;
        self.deferred_param = None;
    }

    /// Keeps the caller's JSON `input` for the event's `requestParameters`, converted when the
    /// event is read: the same value [`request_parameters`] builds now. The secret members are
    /// left out now, the others kept in the order removing them with `serde_json::Map::remove`
    /// leaves (the order [`request_parameters`] keeps).
    pub(crate) fn defer_request_parameters(&mut self, input: Value) {
        self.defer(Deferred::new(input));
    }

    /// [`CallAudit::defer_request_parameters`] of the input `text` was written from.
    pub(crate) fn defer_request_parameters_text(&mut self, text: DeferredText) {
        self.defer(text.0);
    }

    fn defer(&mut self, input: Deferred) {
        self.request_parameters = Value::Null;
        self.deferred_input = Some(input);
        self.deferred_param = None;
    }

    /// The event's `requestParameters`, for a service that amends them (built now if they
    /// were deferred).
    pub(crate) fn request_parameters_mut(&mut self) -> &mut Value {
        if let Some(input) = self.deferred_input.take() {
            self.request_parameters = request_parameters(&input.value());
            if let Some((name, value)) = self.deferred_param.take() {
                insert_param(&mut self.request_parameters, name, value.into_value());
            }
        }
        &mut self.request_parameters
    }

    /// Sets one member of the `requestParameters` (making them an object if they were `null`).
    pub(crate) fn set_param(&mut self, name: &'static str, value: Value) {
        if self.deferred_input.is_some() && self.deferred_param.is_none() {
            self.deferred_param = Some((name, Param::Value(Box::new(value))));
        } else {
            insert_param(self.request_parameters_mut(), name, value);
        }
    }

    /// [`CallAudit::set_param`] of a string known at compile time: the same parameter,
    /// without a copy while the input is deferred.
    pub(crate) fn set_param_text(&mut self, name: &'static str, value: &'static str) {
        if self.deferred_input.is_some() && self.deferred_param.is_none() {
            self.deferred_param = Some((name, Param::Text(value)));
        } else {
            insert_param(
                self.request_parameters_mut(),
                name,
                Value::String(value.to_owned()),
            );
        }
    }

    /// The event's `requestParameters` as read.
    pub(crate) fn request_parameters(&self) -> Cow<'_, Value> {
        match &self.deferred_input {
            Some(input) => {
                let mut params = request_parameters(&input.value());
                if let Some((name, value)) = &self.deferred_param {
                    insert_param(&mut params, name, value.clone().into_value());
                }
                Cow::Owned(params)
            }
            None => Cow::Borrowed(&self.request_parameters),
        }
    }

    /// The Region the event lands in (IAM's global endpoint logs in us-east-1).
    pub(crate) fn region(&self) -> &str {
        if self.service == "iam" {
            "us-east-1"
        } else {
            &self.ctx.region
        }
    }

    /// Adds a resource once.
    #[cfg_attr(wasm_speed, optimize(speed))]
    pub(crate) fn resource(&mut self, account: &str, kind: &'static str, arn: &str) {
        if !self
            .resources
            .iter()
            .any(|r| r.kind == kind && *r.account == *account && *r.arn == *arn)
        {
            self.resources.push(Resource {
                account: shared_text(account),
                kind,
                arn: shared_text(arn),
            });
        }
    }
}

/// Inserts `name` into request parameters (an object made of `null`).
fn insert_param(params: &mut Value, name: &str, value: Value) {
    match params {
        Value::Object(m) => {
            m.insert(name.to_owned(), value);
        }
        other => {
            *other = json!({ name: value });
        }
    }
}

fn user_identity(ctx: &CallContext) -> Value {
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

/// One API call's event as kept in the trail: the call's audit, rendered to its
/// [`StoredEvent`] (the CloudTrail record) when first read.
#[derive(Debug)]
pub(crate) struct CallEvent {
    pub(crate) audit: CallAudit,
    pub(crate) error: Option<AwsError>,
    pub(crate) now_ms: i64,
}

impl CallEvent {
    /// The stored event, exactly as it was built when calls were recorded eagerly.
    pub(crate) fn render(&self) -> StoredEvent {
        let rec = call_record(&self.audit, self.error.as_ref(), self.now_ms);
        stored_call(
            &self.audit,
            self.error.as_ref(),
            self.now_ms,
            Value::Object(rec),
        )
    }
}

/// The CloudTrail record of one API call, without the cross-account members.
fn call_record(audit: &CallAudit, error: Option<&AwsError>, now_ms: i64) -> Map<String, Value> {
    let ctx = &*audit.ctx;
    let mut rec = Map::new();
    rec.insert("eventVersion".into(), json!("1.11"));
    rec.insert("userIdentity".into(), user_identity(ctx));
    rec.insert("eventTime".into(), json!(iso8601(now_ms)));
    rec.insert(
        "eventSource".into(),
        json!(format!("{}.amazonaws.com", audit.service)),
    );
    rec.insert("eventName".into(), json!(audit.operation));
    rec.insert("awsRegion".into(), json!(audit.region()));
    rec.insert("sourceIPAddress".into(), json!(ctx.source_ip));
    rec.insert("userAgent".into(), json!(ctx.user_agent));
    if let Some(e) = error {
        rec.insert("errorCode".into(), json!(e.code));
        rec.insert("errorMessage".into(), json!(e.message));
    }
    rec.insert(
        "requestParameters".into(),
        audit.request_parameters().into_owned(),
    );
    rec.insert(
        "responseElements".into(),
        if error.is_none() {
            audit.response_elements.clone()
        } else {
            Value::Null
        },
    );
    if let Some(extra) = &audit.additional_event_data {
        rec.insert("additionalEventData".into(), Value::clone(extra));
    } else if let Some(id) = &audit.key_material_id {
        rec.insert(
            "additionalEventData".into(),
            json!({ "keyMaterialId": &**id }),
        );
    }
    rec.insert("requestID".into(), json!(audit.request_id.as_str()));
    rec.insert("eventID".into(), json!(audit.event_id.as_str()));
    rec.insert("readOnly".into(), json!(audit.read_only));
    if !audit.resources.is_empty() {
        rec.insert(
            "resources".into(),
            Value::Array(
                audit
                    .resources
                    .iter()
                    .map(|r| json!({ "accountId": &*r.account, "type": r.kind, "ARN": &*r.arn }))
                    .collect(),
            ),
        );
    }
    let data_event = is_data_event(audit.service, &audit.operation);
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
                "clientProvidedHostHeader": format!("{}.{}.amazonaws.com", audit.service, audit.region()),
            }),
        );
    }
    rec
}

/// The stored event (indexed attributes and record) of one API call.
fn stored_call(
    audit: &CallAudit,
    error: Option<&AwsError>,
    now_ms: i64,
    record: Value,
) -> StoredEvent {
    let ctx = &*audit.ctx;
    StoredEvent {
        event_id: audit.event_id.as_str().to_owned(),
        event_name: audit.operation.clone().into_owned(),
        event_source: format!("{}.amazonaws.com", audit.service),
        event_time_ms: now_ms,
        region: audit.region().to_owned(),
        accounts: vec![ctx.account.clone()],
        username: lookup_username(ctx),
        read_only: audit.read_only,
        access_key_id: (!ctx.access_key_id.is_empty()).then(|| ctx.access_key_id.clone()),
        resources: audit
            .resources
            .iter()
            .map(|r| (r.kind.to_owned(), r.arn.to_string()))
            .collect(),
        error_code: error.map(|e| e.code.clone()),
        record,
    }
}

impl CloudTrail {
    /// Records the event of one API call. A call that involves no other account's resource is
    /// kept as its audit and rendered when read; a cross-account call's events (the caller's and
    /// each key owner's copy) are rendered now.
    pub(crate) fn record(
        &mut self,
        audit: CallAudit,
        error: Option<&AwsError>,
        now_ms: i64,
        rng: &mut WorldRng,
    ) {
        let ctx = &*audit.ctx;
        // Cross-account use: the key owner's trail gets its own copy (its own eventID, the
        // caller shown as an AWSAccount), both copies linked by sharedEventID. A denied
        // cross-account request is logged only in the caller's account (KMS developer guide,
        // "Logging AWS KMS API calls with AWS CloudTrail").
        let denied = error.is_some_and(|e| e.code.contains("AccessDenied"));
        let mut owners: Vec<String> = Vec::new();
        for r in audit.resources.iter().filter(|_| !denied) {
            if *r.account != *ctx.account && !owners.iter().any(|o| **o == *r.account) {
                owners.push(r.account.to_string());
            }
        }
        if owners.is_empty() {
            self.count(
                &audit.operation,
                audit.resources.iter().map(|r| (r.kind, &*r.arn)),
                error.is_some(),
                (audit.service == "kms").then_some(ctx.account.as_str()),
            );
            self.retain(TrailEvent::call(CallEvent {
                audit,
                error: error.cloned(),
                now_ms,
            }));
            return;
        }
        let mut rec = call_record(&audit, error, now_ms);
        let mut copies = Vec::new();
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
        let ev = stored_call(&audit, error, now_ms, Value::Object(rec));
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
            self.retain(TrailEvent::stored(copy));
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
}
