//! A call's request parameters: the caller's input kept for its event (as JSON text where it
//! reads back the same, converted to CloudTrail's form only when the event is read), the secret
//! members left out, and CloudTrail's camelCase.

use std::borrow::Cow;

use serde_json::{Map, Value};

/// The caller's input kept for the event
/// ([`CallAudit::defer_request_parameters`](super::CallAudit::defer_request_parameters)):
/// as JSON text (one allocation instead of one per string, map and list of the input) when the
/// text reads back as the same value, which holds for every input without a floating-point number
/// and nested less deep than [`Deferred::MAX_DEPTH`]; otherwise as the value itself (boxed:
/// the audit is kept in every event).
#[derive(Clone, Debug)]
pub(super) enum Deferred {
    Text(String),
    /// A text of at most [`ShortText::CAPACITY`] bytes, kept in the audit itself (no
    /// allocation kept for every event).
    Short(ShortText),
    Value(Box<Value>),
}

/// A short JSON text kept inline ([`Deferred::Short`]).
#[derive(Clone)]
pub(super) struct ShortText {
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
    pub(super) fn new(mut input: Value) -> Self {
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
    #[cfg_attr(wasm_speed, optimize(speed))]
    fn text(input: &Value) -> Option<Self> {
        Self::buffered(|text| match input {
            Value::Object(m) => {
                kept_order(m).is_some_and(|(order, len)| Self::write_kept(text, m, &order, len))
            }
            other => Self::write(text, other, 0),
        })
    }

    /// The text `write` writes (when it answers true) into a buffer the thread reuses, kept
    /// inline or copied into a `String` of its length.
    fn buffered(write: impl FnOnce(&mut String) -> bool) -> Option<Self> {
        thread_local! {
            static BUFFER: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
        }
        BUFFER.with_borrow_mut(|text| {
            text.clear();
            let kept = write(text).then(|| {
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

    /// The text [`Deferred::text`] writes of the input `members` stand for.
    fn members(members: &Members<'_>) -> Option<Self> {
        let items = members.items()?;
        let (order, len) = kept_positions(items.iter().map(|(k, _)| *k));
        Self::buffered(|out| {
            out.push('{');
            for (n, &i) in order.iter().take(len).enumerate() {
                let Some((k, v)) = items.get(i) else {
                    return false;
                };
                if n > 0 {
                    out.push(',');
                }
                // A member's name is the model's (letters only), never escaped.
                debug_assert!(!needs_escape(k.as_bytes()));
                out.push('"');
                out.push_str(k);
                out.push_str("\":");
                let written = match *v {
                    Member::Secret => {
                        out.push_str("null");
                        true
                    }
                    Member::Str(s) => Self::write_str(out, s),
                    Member::Bool(b) => {
                        out.push_str(if b { "true" } else { "false" });
                        true
                    }
                    Member::Int(i) => {
                        use std::fmt::Write as _;
                        write!(out, "{i}").is_ok()
                    }
                    Member::Map(m) => {
                        out.push('{');
                        let mut ok = true;
                        for (j, (k, v)) in m.iter().enumerate() {
                            if j > 0 {
                                out.push(',');
                            }
                            ok &= Self::write_str(out, k);
                            out.push(':');
                            ok &= Self::write_str(out, v);
                        }
                        out.push('}');
                        ok
                    }
                    Member::List(l) => {
                        out.push('[');
                        let mut ok = true;
                        for (j, s) in l.iter().enumerate() {
                            if j > 0 {
                                out.push(',');
                            }
                            ok &= Self::write_str(out, s);
                        }
                        out.push(']');
                        ok
                    }
                };
                if !written {
                    return false;
                }
            }
            out.push('}');
            true
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
    #[cfg_attr(wasm_speed, optimize(speed))]
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
    #[cfg_attr(wasm_speed, optimize(speed))]
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
    pub(super) fn value(&self) -> Cow<'_, Value> {
        match self {
            Self::Text(text) => Cow::Owned(serde_json::from_str(text).unwrap_or(Value::Null)),
            Self::Short(text) => {
                Cow::Owned(serde_json::from_str(text.as_str()).unwrap_or(Value::Null))
            }
            Self::Value(v) => Cow::Borrowed(v),
        }
    }
}

/// A caller's input kept for its event as text
/// ([`CallAudit::defer_request_parameters_text`](super::CallAudit::defer_request_parameters_text)),
/// written before the call takes strings out of the input.
#[derive(Debug)]
pub(crate) struct DeferredText(pub(super) Deferred);

impl DeferredText {
    /// The text
    /// [`CallAudit::defer_request_parameters`](super::CallAudit::defer_request_parameters)
    /// would keep of `input`; `None` where it would keep the value (a float, deep nesting).
    pub(crate) fn of(input: &Value) -> Option<Self> {
        Deferred::text(input).map(Self)
    }

    /// The text
    /// [`CallAudit::defer_request_parameters`](super::CallAudit::defer_request_parameters)
    /// would keep of [`Members::to_value`], written without building that value (a typed
    /// request's way to its event).
    pub(crate) fn of_members(members: &Members<'_>) -> Option<Self> {
        Deferred::members(members).map(Self)
    }

    /// The `requestParameters` the event reads from this text.
    #[cfg(test)]
    pub(crate) fn read_back(&self) -> Value {
        request_parameters(&self.0.value())
    }
}

/// One member of the JSON input a typed request stands for ([`Members`]).
#[derive(Clone, Copy, Debug)]
pub(crate) enum Member<'a> {
    /// A secret member ([`SECRET_MEMBERS`]: plaintext, ciphertext, grant tokens), present in
    /// the input as `null` and never logged.
    Secret,
    Str(&'a str),
    Bool(bool),
    Int(i64),
    /// A map of strings (an encryption context).
    Map(&'a std::collections::BTreeMap<String, String>),
    /// A list of strings.
    List(&'a [String]),
}

impl Member<'_> {
    fn to_value(self) -> Value {
        match self {
            Self::Secret => Value::Null,
            Self::Str(s) => Value::String(s.to_owned()),
            Self::Bool(b) => Value::Bool(b),
            Self::Int(i) => Value::from(i),
            Self::Map(m) => Value::Object(
                m.iter()
                    .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                    .collect(),
            ),
            Self::List(l) => Value::Array(l.iter().map(|s| Value::String(s.clone())).collect()),
        }
    }
}

/// The JSON input a typed request stands for, as its members in a caller's order (absent
/// members left out), borrowed from the request: the call's event keeps it as text
/// ([`DeferredText::of_members`]) without building the value ([`Members::to_value`]).
#[derive(Debug)]
pub(crate) struct Members<'a> {
    items: [(&'static str, Member<'a>); Members::CAPACITY],
    len: usize,
}

impl<'a> Members<'a> {
    /// More than any request that uses it has members.
    const CAPACITY: usize = 10;

    pub(crate) fn new() -> Self {
        Self {
            items: [("", Member::Secret); Self::CAPACITY],
            len: 0,
        }
    }

    /// Adds member `name` if present (`Some`). A member beyond [`Members::CAPACITY`] makes the
    /// whole input unusable (both ways out refuse it).
    pub(crate) fn put(&mut self, name: &'static str, member: Option<Member<'a>>) {
        if let Some(member) = member {
            if let Some(slot) = self.items.get_mut(self.len) {
                *slot = (name, member);
            }
            self.len += 1;
        }
    }

    /// The members; `None` if more were put than it holds.
    fn items(&self) -> Option<&[(&'static str, Member<'a>)]> {
        self.items.get(..self.len)
    }

    /// The JSON input itself (`None` if more members were put than it holds).
    pub(crate) fn to_value(&self) -> Option<Value> {
        self.items().map(|items| {
            Value::Object(
                items
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), v.to_value()))
                    .collect(),
            )
        })
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
pub(super) enum Param {
    /// Boxed: the audit is kept in every event.
    Value(Box<Value>),
    Text(&'static str),
}

impl Param {
    pub(super) fn into_value(self) -> Value {
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
#[cfg_attr(wasm_speed, optimize(speed))]
fn kept_order(m: &Map<String, Value>) -> Option<([usize; SMALL], usize)> {
    (m.len() <= SMALL).then(|| kept_positions(m.keys().map(String::as_str)))
}

/// [`kept_order`] of the member names `names`: both callers give at most [`SMALL`] (names past
/// it would be left out).
fn kept_positions<'k>(names: impl Iterator<Item = &'k str>) -> ([usize; SMALL], usize) {
    let mut order = [0usize; SMALL];
    let mut len = 0;
    // Where each secret member is (one pass over the names), then the swap-removes in
    // SECRET_MEMBERS' order.
    let mut at = [None; SECRET_MEMBERS.len()];
    let mut any = false;
    for (i, k) in names.enumerate() {
        let Some(slot) = order.get_mut(i) else {
            debug_assert!(false, "more than {SMALL} members");
            break;
        };
        *slot = i;
        len = i + 1;
        if let Some(s) = SECRET_MEMBERS.iter().position(|s| k == *s)
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
    (order, len)
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
    camel_value_owned(Value::Object(m))
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

fn is_verbatim(k: &str) -> bool {
    k.ends_with("EncryptionContext")
        || k == "EncryptionContextSubset"
        || k == "EncryptionContextEquals"
}

#[cfg(test)]
mod tests {
    use serde_json::{Map, Value, json};

    use super::{
        DeferredText, Member, Members, SECRET_MEMBERS, camel_value, needs_escape,
        request_parameters, request_parameters_owned,
    };

    /// A typed request with more members than [`Members`] holds is refused both ways (the
    /// seam then builds its parameters from the request's whole value); absent members take
    /// no room.
    #[test]
    fn members_beyond_capacity_are_refused() {
        const NAMES: [&str; 11] = ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K"];
        let mut m = Members::new();
        for (i, name) in NAMES.iter().take(Members::CAPACITY).enumerate() {
            m.put(name, Some(Member::Int(i as i64)));
            m.put("Absent", None);
        }
        let full = m.to_value().unwrap();
        assert_eq!(full.as_object().unwrap().len(), Members::CAPACITY);
        assert_eq!(
            DeferredText::of_members(&m).unwrap().read_back(),
            request_parameters(&full)
        );
        m.put(NAMES[Members::CAPACITY], Some(Member::Int(99)));
        assert!(m.to_value().is_none());
        assert!(DeferredText::of_members(&m).is_none());
        // A secret member alone leaves nothing to log.
        let mut m = Members::new();
        m.put("Plaintext", Some(Member::Secret));
        m.put("DryRun", None);
        assert_eq!(m.to_value(), Some(json!({ "Plaintext": null })));
        assert_eq!(
            DeferredText::of_members(&m).unwrap().read_back(),
            Value::Null
        );
    }

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
