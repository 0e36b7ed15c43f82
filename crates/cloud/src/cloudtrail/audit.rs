//! Building events: a call's [`CallAudit`] (what its CloudTrail event reports), the event
//! record of a call (`userIdentity`, request parameters, errors, resources) and KMS's own
//! service events (rotations, deletions).

use std::borrow::Cow;
use std::sync::Arc;

use serde_json::{Map, Value, json};

use crate::context::{CallContext, IdentityType};
use crate::env::{IdText, WorldRng, iso8601};
use crate::error::AwsError;

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

/// The caller's input kept for the event ([`CallAudit::defer_request_parameters`]): as JSON
/// text (one allocation instead of one per string, map and list of the input) when the text
/// reads back as the same value, which holds for every input without a floating-point number
/// and nested less deep than [`Deferred::MAX_DEPTH`]; otherwise as the value itself (boxed:
/// the audit is kept in every event).
#[derive(Clone, Debug)]
enum Deferred {
    Text(String),
    /// A text of at most [`ShortText::CAPACITY`] bytes, kept in the audit itself (no
    /// allocation kept for every event).
    Short(ShortText),
    Value(Box<Value>),
}

/// A short JSON text kept inline ([`Deferred::Short`]).
#[derive(Clone)]
struct ShortText {
    len: u8,
    bytes: [u8; ShortText::CAPACITY],
}

impl ShortText {
    /// Room for a typical Encrypt, Decrypt or GenerateDataKey input by key id, while the
    /// retained event stays under glibc's 1 KiB small-bin limit (`a_call_event_stays_small`).
    const CAPACITY: usize = 102;

    /// `text` kept inline; `None` if it is longer than [`ShortText::CAPACITY`].
    fn new(text: &str) -> Option<Self> {
        let len = u8::try_from(text.len()).ok()?;
        let mut bytes = [0; Self::CAPACITY];
        bytes
            .get_mut(..text.len())?
            .copy_from_slice(text.as_bytes());
        Some(Self { len, bytes })
    }

    fn as_str(&self) -> &str {
        (self.bytes.get(..usize::from(self.len)))
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or_default()
    }
}

impl std::fmt::Debug for ShortText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl Deferred {
    /// Well below `serde_json`'s recursion limit (128), which the text must read back under.
    const MAX_DEPTH: usize = 64;

    /// The input without its secret members (an object's kept members in [`kept_order`]: the
    /// map `serde_json::Map::remove` leaves).
    fn new(mut input: Value) -> Self {
        if let Some(text) = Self::text(&input) {
            return text;
        }
        if let Value::Object(m) = &mut input {
            remove_secrets(m);
        }
        Self::Value(Box::new(input))
    }

    /// The text form of [`Deferred::new`]'s input (inline when short); `None` where it keeps
    /// the value. Written into a buffer the thread reuses, then kept inline or copied into a
    /// `String` of its length.
    fn text(input: &Value) -> Option<Self> {
        thread_local! {
            static BUFFER: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
        }
        BUFFER.with_borrow_mut(|text| {
            text.clear();
            let written = match input {
                Value::Object(m) => {
                    kept_order(m).is_some_and(|(order, len)| Self::write_kept(text, m, &order, len))
                }
                other => Self::write(text, other, 0),
            };
            let kept = written.then(|| {
                ShortText::new(text)
                    .map_or_else(|| Self::Text(text.as_str().to_owned()), Self::Short)
            });
            // A rare large input's buffer is not kept.
            if text.capacity() > 4096 {
                *text = String::new();
            }
            kept
        })
    }

    /// Writes the members of `m` at `order`'s first `len` positions as a JSON object.
    fn write_kept(out: &mut String, m: &Map<String, Value>, order: &[usize], len: usize) -> bool {
        out.push('{');
        for (n, &i) in order.iter().take(len).enumerate() {
            let Some((k, v)) = m.iter().nth(i) else {
                return false;
            };
            if n > 0 {
                out.push(',');
            }
            if !Self::write_str(out, k) {
                return false;
            }
            out.push(':');
            if !Self::write(out, v, 1) {
                return false;
            }
        }
        out.push('}');
        true
    }

    /// Appends JSON text of `v` that `serde_json` reads back as `v`; false (and `out` left
    /// unusable) for a float, whose text may not read back as the same number, or nesting
    /// deeper than [`Deferred::MAX_DEPTH`].
    fn write(out: &mut String, v: &Value, depth: usize) -> bool {
        match v {
            Value::Null => out.push_str("null"),
            Value::Bool(true) => out.push_str("true"),
            Value::Bool(false) => out.push_str("false"),
            Value::Number(n) => {
                use std::fmt::Write as _;
                if n.is_f64() || write!(out, "{n}").is_err() {
                    return false;
                }
            }
            Value::String(s) => return Self::write_str(out, s),
            Value::Array(a) => {
                if depth >= Self::MAX_DEPTH {
                    return false;
                }
                out.push('[');
                for (i, v) in a.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    if !Self::write(out, v, depth + 1) {
                        return false;
                    }
                }
                out.push(']');
            }
            Value::Object(m) => {
                if depth >= Self::MAX_DEPTH {
                    return false;
                }
                out.push('{');
                for (i, (k, v)) in m.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    if !Self::write_str(out, k) {
                        return false;
                    }
                    out.push(':');
                    if !Self::write(out, v, depth + 1) {
                        return false;
                    }
                }
                out.push('}');
            }
        }
        true
    }

    /// A JSON string: copied between quotes when nothing in it needs an escape, otherwise as
    /// `serde_json` writes it.
    fn write_str(out: &mut String, s: &str) -> bool {
        if !needs_escape(s.as_bytes()) {
            out.push('"');
            out.push_str(s);
            out.push('"');
            return true;
        }
        match serde_json::to_string(s) {
            Ok(text) => {
                out.push_str(&text);
                true
            }
            Err(_) => false,
        }
    }

    /// The input (read back from its text).
    fn value(&self) -> Cow<'_, Value> {
        match self {
            Self::Text(text) => Cow::Owned(serde_json::from_str(text).unwrap_or(Value::Null)),
            Self::Short(text) => {
                Cow::Owned(serde_json::from_str(text.as_str()).unwrap_or(Value::Null))
            }
            Self::Value(v) => Cow::Borrowed(v),
        }
    }
}

/// A caller's input kept for its event as text ([`CallAudit::defer_request_parameters_text`]),
/// written before the call takes strings out of the input.
#[derive(Debug)]
pub(crate) struct DeferredText(Deferred);

impl DeferredText {
    /// The text [`CallAudit::defer_request_parameters`] would keep of `input`; `None` where it
    /// would keep the value (a float, deep nesting).
    pub(crate) fn of(input: &Value) -> Option<Self> {
        Deferred::text(input).map(Self)
    }
}

/// Whether JSON text of `s` needs an escape: a control character (below 0x20), `"` or `\\`.
/// Eight bytes at a time (each test exact for any byte, with or without its high bit).
fn needs_escape(s: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    /// Whether a byte of `x` is below `n` (`n` at most 128).
    fn any_below(x: u64, n: u8) -> bool {
        x.wrapping_sub(ONES * u64::from(n)) & !x & HIGH != 0
    }
    /// Whether a byte of `x` is `b`.
    fn any_is(x: u64, b: u8) -> bool {
        any_below(x ^ (ONES * u64::from(b)), 1)
    }
    let (words, rest) = s.as_chunks::<8>();
    words.iter().any(|w| {
        let x = u64::from_le_bytes(*w);
        any_below(x, 0x20) | any_is(x, b'"') | any_is(x, b'\\')
    }) || rest.iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\')
}

/// A request parameter a service set while the input was deferred: a JSON value, or a text
/// known at compile time (kept without an allocation).
#[derive(Clone, Debug)]
enum Param {
    /// Boxed: the audit is kept in every event.
    Value(Box<Value>),
    Text(&'static str),
}

impl Param {
    fn into_value(self) -> Value {
        match self {
            Self::Value(v) => *v,
            Self::Text(t) => Value::String(t.to_owned()),
        }
    }
}

/// Request members never logged (secrets and bulk data).
const SECRET_MEMBERS: &[&str] = &[
    "Plaintext",
    "CiphertextBlob",
    "Recipient",
    "GrantTokens",
    "GrantToken",
];

/// Removes the secret members from `m` as `serde_json::Map::remove` does, in
/// [`SECRET_MEMBERS`]' order (the same map as removing each in turn), but hashes only the names
/// present: a small input is scanned first, so a member it lacks costs no hash lookup.
fn remove_secrets(m: &mut Map<String, Value>) {
    for s in SECRET_MEMBERS {
        if m.keys().any(|k| k == s) {
            m.remove(*s);
        }
    }
}

/// `KeyId` -> `keyId`, `AWSAccountId` -> `aWSAccountId` (CloudTrail's own spelling).
pub(crate) fn camel(name: &str) -> String {
    let mut c = name.chars();
    match c.next() {
        Some(f) if f.is_ascii() => {
            let mut s = String::with_capacity(name.len());
            s.push(f.to_ascii_lowercase());
            s.push_str(c.as_str());
            s
        }
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Converts the top-level members (and nested structure members) of an AWS shape to CloudTrail's
/// camelCase; map-typed members (encryption context, tags as maps) are kept verbatim.
pub(crate) fn camel_value(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| (camel(k), camel_member(k, v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(camel_value).collect()),
        other => other.clone(),
    }
}

/// Inputs up to this many members are reordered in place ([`kept_order`]); bigger ones (never
/// seen) take the plain copy.
const SMALL: usize = 32;

/// The positions of `m`'s members that are not secret, in the order removing the secret
/// members with `serde_json::Map::remove` (a swap-remove: the last member moves into the
/// removed one's place) leaves them, and how many there are; `None` for a map of more than
/// [`SMALL`] members.
fn kept_order(m: &Map<String, Value>) -> Option<([usize; SMALL], usize)> {
    if m.len() > SMALL {
        return None;
    }
    let mut order = [0usize; SMALL];
    let mut len = m.len();
    for (i, slot) in order.iter_mut().enumerate().take(len) {
        *slot = i;
    }
    // Where each secret member is (one pass over the names), then the swap-removes in
    // SECRET_MEMBERS' order.
    let mut at = [None; SECRET_MEMBERS.len()];
    let mut any = false;
    for (i, k) in m.keys().enumerate() {
        if let Some(s) = SECRET_MEMBERS.iter().position(|s| k == s)
            && let Some(slot) = at.get_mut(s)
        {
            *slot = Some(i);
            any = true;
        }
    }
    if any {
        for i in at.into_iter().flatten() {
            if let Some(pos) = order.iter().take(len).position(|&o| o == i) {
                len -= 1;
                order.swap(pos, len);
            }
        }
    }
    Some((order, len))
}

/// The `requestParameters` of a call's input: the input without its secret members (removed as
/// `serde_json::Map::remove` does, which moves the last member into the removed one's place),
/// in CloudTrail's camelCase; `null` when nothing is left. Copies only what is kept.
pub(crate) fn request_parameters(input: &Value) -> Value {
    let Value::Object(m) = input else {
        return camel_value(input);
    };
    let Some((order, len)) = kept_order(m) else {
        let mut params = input.clone();
        if let Value::Object(m) = &mut params {
            for s in SECRET_MEMBERS {
                m.remove(*s);
            }
        }
        let params = camel_value(&params);
        return if params.as_object().is_some_and(Map::is_empty) {
            Value::Null
        } else {
            params
        };
    };
    if len == 0 {
        return Value::Null;
    }
    // Room for the member or two services add while serving the call.
    let mut out = Map::with_capacity(len + 2);
    for &i in order.iter().take(len) {
        if let Some((k, v)) = m.iter().nth(i) {
            out.insert(camel(k), camel_member(k, v));
        }
    }
    Value::Object(out)
}

/// [`request_parameters`] of an input the caller gives away: the same value, built by moving
/// the kept members instead of copying them.
pub(crate) fn request_parameters_owned(input: Value) -> Value {
    let Value::Object(mut m) = input else {
        return camel_value_owned(input);
    };
    remove_secrets(&mut m);
    if m.is_empty() {
        return Value::Null;
    }
    Value::Object(
        m.into_iter()
            .map(|(k, v)| {
                let v = if is_verbatim(&k) {
                    v
                } else {
                    camel_value_owned(v)
                };
                (camel_owned(k), v)
            })
            .collect(),
    )
}

/// [`camel`] of a name the caller gives away (in place when the first letter is ASCII).
fn camel_owned(mut name: String) -> String {
    match name.chars().next() {
        Some(f) if f.is_ascii() => {
            if let Some(first) = name.get_mut(0..1) {
                first.make_ascii_lowercase();
            }
            name
        }
        _ => camel(&name),
    }
}

/// [`camel_value`] of a value the caller gives away.
fn camel_value_owned(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, v)| {
                    let v = if is_verbatim(&k) {
                        v
                    } else {
                        camel_value_owned(v)
                    };
                    (camel_owned(k), v)
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(camel_value_owned).collect()),
        other => other,
    }
}

/// One member's value in CloudTrail's form: map-typed members (encryption context, tags as
/// maps) verbatim, the others converted.
fn camel_member(k: &str, v: &Value) -> Value {
    if is_verbatim(k) {
        v.clone()
    } else {
        camel_value(v)
    }
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

fn is_verbatim(k: &str) -> bool {
    k.ends_with("EncryptionContext")
        || k == "EncryptionContextSubset"
        || k == "EncryptionContextEquals"
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

#[cfg(test)]
mod tests {
    use serde_json::{Map, Value, json};

    use super::{
        SECRET_MEMBERS, camel_value, needs_escape, request_parameters, request_parameters_owned,
    };

    /// The word-at-a-time test is the byte test, for every byte at every position of strings
    /// of 0 to 24 bytes (around the eight-byte words), among other bytes of every kind.
    #[test]
    fn needs_escape_is_the_byte_test() {
        let slow = |s: &[u8]| s.iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\');
        for len in 0..=24usize {
            for fill in [b'a', b' ', 0x7f, 0x80, 0xff, 0x21, 0x5b, 0x5d] {
                for at in 0..len.max(1) {
                    for b in 0..=255u8 {
                        let mut s = vec![fill; len];
                        if let Some(slot) = s.get_mut(at) {
                            *slot = b;
                        }
                        assert_eq!(needs_escape(&s), slow(&s), "{s:?}");
                    }
                }
            }
        }
    }

    /// The request parameters as they were built before (copy the input, remove the secret
    /// members, convert the copy).
    fn reference(input: &Value) -> Value {
        let mut params = input.clone();
        if let Value::Object(m) = &mut params {
            for s in SECRET_MEMBERS {
                m.remove(*s);
            }
        }
        let params = camel_value(&params);
        if params.as_object().is_some_and(Map::is_empty) {
            Value::Null
        } else {
            params
        }
    }

    #[test]
    fn request_parameters_match_the_copying_reference() {
        let members = [
            ("KeyId", json!("alias/x")),
            ("Plaintext", json!("aGVsbG8=")),
            ("EncryptionContext", json!({ "Dept": "a", "b": "B" })),
            ("CiphertextBlob", json!("AAAA")),
            ("GrantTokens", json!(["t"])),
            ("Tags", json!([{ "TagKey": "K", "TagValue": "V" }])),
            ("Policy", json!("{}")),
            ("Émoji", json!({ "Inner": { "Deep": 1 } })),
            ("Recipient", json!({ "AttestationDocument": "x" })),
            ("keyId", json!("lower")),
            ("DestinationEncryptionContext", json!({ "K": "v" })),
        ];
        // Every order of every subset of up to four members (secrets in every position).
        let n = members.len();
        let mut inputs = vec![json!({}), json!(null), json!([{ "A": 1 }]), json!("s")];
        for a in 0..n {
            for b in 0..n {
                for c in 0..n {
                    for d in [None, Some(0), Some(1), Some(3), Some(7)] {
                        let mut m = Map::new();
                        for i in [Some(a), Some(b), Some(c), d].into_iter().flatten() {
                            let (k, v) = &members[i];
                            m.insert((*k).to_owned(), v.clone());
                        }
                        inputs.push(Value::Object(m));
                    }
                }
            }
        }
        for input in &inputs {
            let expected = reference(input);
            let got = request_parameters(input);
            assert_eq!(got, expected, "{input}");
            // Same members in the same order.
            assert_eq!(got.to_string(), expected.to_string(), "{input}");
            let owned = request_parameters_owned(input.clone());
            assert_eq!(owned.to_string(), expected.to_string(), "{input}");
        }
    }
}
