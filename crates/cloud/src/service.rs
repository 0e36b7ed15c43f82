//! One trait every service implements, the registry `World::call` dispatches through, and the
//! typed client that enters the same seam.
//!
//! A service is a folder (`kms/`, `iam/`, `s3/`, …) with its model (request and response
//! shapes), its error enum (named after its AWS codes) and its operations, plus one
//! [`Service`] impl and one line of `services!` (lib.rs). `World::call` (JSON) and [`Client::call`]
//! (typed) both go through `World`'s seam: check the endpoint, open the call's audit (its
//! CloudTrail event), run [`Service::handle`], record exactly one event, count the request and
//! keep the call's authorization decisions.

use std::any::Any;

use serde_json::Value;

use crate::World;
use crate::authorize::AuthorizationRecord;
use crate::context::CallContext;
use crate::error::{AwsError, ServiceError};

pub use crate::cloudtrail::CallAudit;

/// An AWS service of the lab.
pub trait Service: 'static {
    /// The aws-cli service name (`kms`, `s3`, …): the endpoint and the event source prefix.
    const NAME: &'static str;
    /// The typed request (one variant per operation).
    type Request: 'static;
    /// The typed response.
    type Response: 'static;
    /// The service's error enum, named after its AWS codes.
    type Error: ServiceError + 'static;

    /// The API name of a request's operation.
    fn operation(req: &Self::Request) -> &'static str;
    /// The JSON codec, in: an unknown operation or a malformed request is the service's error
    /// as AWS answers it.
    fn decode(operation: &str, input: Value) -> Result<Self::Request, AwsError>;
    /// The JSON codec, in, reading `input` without taking it, for a service whose JSON seam
    /// keeps the input for the call's CloudTrail event (its `requestParameters` are then built
    /// only when the event is read): the same answer as [`Service::decode`]. `None` (the
    /// default): the service decodes through [`Service::handle_json`] and the seam builds the
    /// request parameters first.
    fn decode_ref(_operation: &str, _input: &Value) -> Option<Result<Self::Request, AwsError>> {
        None
    }
    /// Whether [`Service::decode_ref`] decodes (is `Some`): the JSON seam then writes the
    /// input's request parameters first and decodes with [`Service::decode_taking`].
    const DECODES_BY_REF: bool = false;
    /// [`Service::decode_ref`] of an input whose request parameters the seam has already kept
    /// (and reads no more): the same answer, but a request it decodes (`Some(Ok(_))`) may move
    /// strings out of `input` (leaving them empty) instead of copying them; `input` is left as
    /// it was otherwise. The default is [`Service::decode_ref`].
    fn decode_taking(
        operation: &str,
        input: &mut Value,
    ) -> Option<Result<Self::Request, AwsError>> {
        Self::decode_ref(operation, input)
    }
    /// The JSON codec, out. Takes the response, so its strings may move into the JSON.
    fn encode(resp: Self::Response) -> Result<Value, AwsError>;
    /// A typed request as the JSON input a caller would have sent (for its CloudTrail event).
    fn audit_input(req: &Self::Request) -> Value;
    /// Keeps a typed request's input for the call's CloudTrail event in `audit` without
    /// building it (as [`Service::audit_input`]'s text, read back when the event is read),
    /// where the service can: true if it did. The default (false): the seam builds the event's
    /// request parameters from [`Service::audit_input`].
    fn defer_audit_input(_req: &Self::Request, _audit: &mut CallAudit) -> bool {
        false
    }
    /// A client-side error (the endpoint does not exist) in the service's error type.
    fn client_side(e: AwsError) -> Self::Error;
    /// An internal failure (never expected) in the service's error type.
    fn internal(message: String) -> Self::Error;
    /// Runs one request as `ctx`: authorization, the operation, and what the call's CloudTrail
    /// event reports (`audit`).
    fn handle(
        world: &mut World,
        ctx: &CallContext,
        req: Self::Request,
        audit: &mut CallAudit,
    ) -> Result<Self::Response, Self::Error>;

    /// The JSON entry: decode, [`Service::handle`], encode. A service overrides it only where
    /// AWS checks something before reading the request.
    fn handle_json(
        world: &mut World,
        ctx: &CallContext,
        operation: &str,
        input: Value,
        audit: &mut CallAudit,
    ) -> Result<Value, AwsError> {
        let req = Self::decode(operation, input)?;
        let resp = Self::handle(world, ctx, req, audit).map_err(|e| e.to_aws())?;
        Self::encode(resp)
    }
}

/// A JSON entry into one service (`World::json_entry` of it): what the registry lists, and
/// what `World::json_call` runs; it answers with the call's audit, which the seam closes.
pub(crate) type JsonEntry =
    fn(&mut World, &CallContext, &str, Value) -> (Result<Value, AwsError>, CallAudit);

/// A typed entry into one service (`typed_entry` of it): takes the [`Slot`] of the service's
/// request (as `dyn Any`) and leaves the answer in it. The typed client reaches a service through
/// it rather than calling the service's code directly, so that code can live in a part of the
/// engine loaded later ([`install`]).
pub(crate) type TypedEntry = fn(&mut World, &CallContext, &mut dyn Any);

/// A typed call of service `S` on its way through a [`TypedEntry`]: the request, then the answer.
pub(crate) enum Slot<S: Service> {
    Request(S::Request),
    Done((Result<S::Response, S::Error>, Vec<AuthorizationRecord>)),
    Empty,
}

/// One service's entries into the world's seam.
#[derive(Clone, Copy)]
pub struct Entry {
    pub(crate) name: &'static str,
    pub(crate) json: JsonEntry,
    pub(crate) typed: TypedEntry,
}

impl std::fmt::Debug for Entry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Entry").field("name", &self.name).finish()
    }
}

impl Entry {
    /// The entries of service `S`.
    pub(crate) const fn of<S: Service>() -> Entry {
        Entry {
            name: S::NAME,
            json: World::json_entry::<S>,
            typed: typed_entry::<S>,
        }
    }
}

/// [`TypedEntry`] of service `S`: runs the request in the slot through the typed seam.
fn typed_entry<S: Service>(world: &mut World, ctx: &CallContext, slot: &mut dyn Any) {
    if let Some(slot) = slot.downcast_mut::<Slot<S>>()
        && let Slot::Request(req) = std::mem::replace(slot, Slot::Empty)
    {
        *slot = Slot::Done(world.invoke::<S>(ctx, req));
    }
}

/// The core services, by aws-cli name: the ones [`World`] is built around. Without the `lazy`
/// feature they are always present; with it they are installed with the [`Extension`] like every
/// other service, so the browser app's first download holds none of their request handling (a
/// call waits for it as any other does; the world still reads their state directly).
pub(crate) const CORE: &[Entry] = &[
    Entry::of::<crate::kms::Kms>(),
    Entry::of::<crate::iam::Iam>(),
    Entry::of::<crate::sts::Sts>(),
    Entry::of::<crate::cloudtrail::CloudTrail>(),
];

/// The names of [`CORE`]'s services, in its order (what needs no code of theirs).
const CORE_NAMES: &[&str] = &[
    <crate::kms::Kms as Service>::NAME,
    <crate::iam::Iam as Service>::NAME,
    <crate::sts::Sts as Service>::NAME,
    <crate::cloudtrail::CloudTrail as Service>::NAME,
];

/// The hooks through which the world reaches code of the extension: each is called only when the
/// service's state says there is something to do.
#[derive(Debug)]
pub(crate) struct Hooks {
    /// AWS Config's evaluation after a call changed something (`config::after_change`).
    pub(crate) config_after_change: fn(&mut World, &CallContext, &str),
    /// EventBridge's rules after a call's event (`eventbridge::after_call`).
    pub(crate) events_after_call: fn(&mut World),
    /// EventBridge's rules after a KMS service event (`eventbridge::on_kms_service_event`).
    pub(crate) events_on_kms_event: fn(&mut World, &crate::cloudtrail::ServiceEvent),
    /// KMS's asymmetric crypto (RSA, ECC, Ed25519, ML-DSA, ML-KEM).
    pub(crate) asym: crate::kms::asym::Crypto,
    /// The KMS request `lab load` drives, decoded from its input (`load::kms_request`).
    pub(crate) kms_request: fn(&str, serde_json::Value) -> Option<crate::kms::KmsRequest>,
}

/// The engine's services: the registered services' and the core's entries, and the hooks
/// through which the world reaches code of theirs (AWS Config's evaluation after a change,
/// EventBridge's rules, KMS's asymmetric crypto and `lab load`'s requests). With the `lazy`
/// feature they are present only once [`install`]ed (the browser app loads them after its first
/// download); without it, always. The world itself (its state, its clock, its saved form) is
/// never part of it.
#[derive(Debug)]
pub struct Extension {
    pub(crate) services: &'static [Entry],
    /// The core services' entries ([`CORE`]), reached through the extension in a `lazy` build.
    pub(crate) core: &'static [Entry],
    pub(crate) hooks: Hooks,
}

/// The engine's extension: what a build with the `lazy` feature [`install`]s once the code is
/// there. Only the installer names it, so that in such a build its code can be loaded later.
pub fn extension() -> &'static Extension {
    &crate::EXTENSION
}

#[cfg(feature = "lazy")]
static INSTALLED: std::sync::OnceLock<&'static Extension> = std::sync::OnceLock::new();

/// Installs the engine's extension ([`extension`]): from now on every service is present.
/// Without the `lazy` feature it always is, and this does nothing.
pub fn install(extension: &'static Extension) {
    #[cfg(feature = "lazy")]
    let _ = INSTALLED.set(extension);
    #[cfg(not(feature = "lazy"))]
    let _ = extension;
}

thread_local! {
    /// Whether a call needed the extension while it was not installed.
    static WANTED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Notes that a call needed the engine's extension while it was not installed (also for code
/// of another crate that is installed with it, as the scenarios' checks are).
pub fn want_extension() {
    WANTED.with(|w| w.set(true));
}

/// Whether some call, on any world, needed the engine's extension while it was not installed
/// since the last time this was asked (and forgets it). Such a call answered a
/// `ServiceUnavailable` error and may have left its world half changed: a caller that can run
/// again (the app's store) drops what it did, [`install`]s the extension and runs it again
/// from where it started. Always false without the `lazy` feature.
pub fn take_wanted() -> bool {
    WANTED.with(|w| w.replace(false))
}

/// Whether the engine's extension is present (always, without the `lazy` feature).
pub fn installed() -> bool {
    present().is_some()
}

/// The extension, if present.
pub(crate) fn present() -> Option<&'static Extension> {
    #[cfg(feature = "lazy")]
    return INSTALLED.get().copied();
    #[cfg(not(feature = "lazy"))]
    return Some(extension());
}

/// The extension, if present; noting that it was wanted ([`take_wanted`]) if not.
pub(crate) fn present_or_want() -> Option<&'static Extension> {
    let ext = present();
    if ext.is_none() {
        want_extension();
    }
    ext
}

/// The entries of service `name` (its aws-cli name): `Ok(None)` for a service the lab does not
/// model, `Err(())` for one whose code is not installed yet.
pub(crate) fn entry(name: &str) -> Result<Option<Entry>, ()> {
    #[cfg(not(feature = "lazy"))]
    if let Some(e) = CORE.iter().find(|e| e.name == name) {
        return Ok(Some(*e));
    }
    if !crate::REGISTERED.contains(&name) && !CORE_NAMES.contains(&name) {
        return Ok(None);
    }
    match present() {
        Some(ext) => Ok(ext
            .core
            .iter()
            .chain(ext.services)
            .find(|e| e.name == name)
            .copied()),
        None => Err(()),
    }
}

/// The aws-cli names of every service the lab models, in registration order.
pub fn service_names() -> impl Iterator<Item = &'static str> {
    CORE_NAMES
        .iter()
        .copied()
        .chain(crate::REGISTERED.iter().copied())
}

/// The internal error's message when a typed call to `operation` got another operation's
/// response (never expected): one copy for every typed client method.
pub(crate) fn answered(operation: &str, other: &str) -> String {
    format!("{operation} answered {other}")
}

/// Drops `null` members (recursively): a typed request's absent members, as a JSON caller
/// leaves them out.
pub(crate) fn without_nulls(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

/// The typed client of a world, acting as one caller: `world.client(&ctx).kms().describe_key(…)`.
/// Every call goes through the same seam as `World::call`: one CloudTrail event, one request
/// counted, its denial kept for `World::last_denial`.
#[derive(Debug)]
pub struct Client<'w> {
    world: &'w mut World,
    ctx: &'w CallContext,
}

impl<'w> Client<'w> {
    pub(crate) fn new(world: &'w mut World, ctx: &'w CallContext) -> Self {
        Self { world, ctx }
    }

    /// One typed request to service `S`.
    #[cfg_attr(wasm_speed, optimize(speed))]
    pub fn call<S: Service>(&mut self, req: S::Request) -> Result<S::Response, S::Error> {
        let ctx = self.ctx;
        let (result, decisions) = self
            .world
            .with_lean(true, |w| w.invoke_entry::<S>(ctx, req));
        self.world.keep_denial(ctx, &decisions);
        result
    }

    /// [`Client::call`], also returning the authorization decisions the call took (as
    /// `World::call_recorded` does).
    pub fn call_recorded<S: Service>(
        &mut self,
        req: S::Request,
    ) -> (Result<S::Response, S::Error>, Vec<AuthorizationRecord>) {
        let ctx = self.ctx;
        let (result, decisions) = self
            .world
            .with_lean(false, |w| w.invoke_entry::<S>(ctx, req));
        self.world.keep_denial(ctx, &decisions);
        (result, decisions)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::World;
    use crate::kms::model::{CreateKeyRequest, DescribeKeyRequest};

    /// A typed call and the same JSON call write the same CloudTrail event and count alike.
    #[test]
    fn typed_and_json_calls_audit_alike() {
        let mut typed = World::new(7, 1_795_377_600_000);
        let mut json = typed.clone();
        let ctx = typed.context_for_profile(None, None).unwrap();
        let ctx2 = json.context_for_profile(None, None).unwrap();
        let mut kms = typed.client(&ctx).kms();
        let key = kms
            .create_key(CreateKeyRequest {
                description: Some("demo".into()),
                ..CreateKeyRequest::default()
            })
            .unwrap()
            .key_metadata
            .unwrap();
        let described = kms
            .describe_key(DescribeKeyRequest {
                key_id: key.key_id.clone(),
                ..DescribeKeyRequest::default()
            })
            .unwrap();
        assert_eq!(described.key_metadata.unwrap().arn, key.arn);
        let missing = kms.describe_key(DescribeKeyRequest {
            key_id: "alias/none".into(),
            ..DescribeKeyRequest::default()
        });
        assert_eq!(missing.unwrap_err().code(), "NotFoundException");
        json.call(&ctx2, "kms", "CreateKey", json!({ "Description": "demo" }))
            .unwrap();
        json.call(&ctx2, "kms", "DescribeKey", json!({ "KeyId": key.key_id }))
            .unwrap();
        let _ = json.call(
            &ctx2,
            "kms",
            "DescribeKey",
            json!({ "KeyId": "alias/none" }),
        );
        let records = |w: &World| w.events().map(|e| e.record.clone()).collect::<Vec<_>>();
        assert_eq!(records(&typed), records(&json));
        assert_eq!(typed.event_counters(), json.event_counters());
        assert_eq!(
            typed.kms_request_count(&ctx.account),
            json.kms_request_count(&ctx.account)
        );
    }

    /// Typed Encrypt, Decrypt and GenerateDataKey calls (whose events keep the input as text)
    /// write the events the same JSON calls write, read either way.
    #[test]
    fn typed_crypto_calls_audit_as_json_calls_do() {
        use super::Service;
        use crate::kms::model::{Blob, DecryptRequest, EncryptRequest, GenerateDataKeyRequest};
        let mut typed = World::new(11, 1_795_377_600_000);
        let ctx = typed.context_for_profile(None, None).unwrap();
        let key = typed.call(&ctx, "kms", "CreateKey", json!({})).unwrap()["KeyMetadata"]["KeyId"]
            .as_str()
            .unwrap()
            .to_owned();
        let mut json = typed.clone();
        let context: crate::kms::model::EncryptionContext = [
            ("b\"q".to_owned(), "line\n".to_owned()),
            ("a".to_owned(), "é".to_owned()),
        ]
        .into();
        let mut kms = typed.client(&ctx).kms();
        let blob = kms
            .encrypt(EncryptRequest {
                key_id: key.clone(),
                plaintext: Blob(vec![1; 16]),
                encryption_context: Some(context.clone()),
                grant_tokens: Some(vec!["t".into()]),
                ..EncryptRequest::default()
            })
            .unwrap()
            .ciphertext_blob
            .unwrap();
        kms.decrypt(DecryptRequest {
            ciphertext_blob: blob.clone(),
            key_id: Some(key.clone()),
            encryption_context: Some(context.clone()),
            dry_run: Some(false),
            ..DecryptRequest::default()
        })
        .unwrap();
        let wrong = kms.decrypt(DecryptRequest {
            ciphertext_blob: blob.clone(),
            ..DecryptRequest::default()
        });
        assert_eq!(wrong.unwrap_err().code(), "InvalidCiphertextException");
        kms.generate_data_key(GenerateDataKeyRequest {
            key_id: key.clone(),
            number_of_bytes: Some(24),
            ..GenerateDataKeyRequest::default()
        })
        .unwrap();
        use base64::Engine as _;
        let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
        // A typed context is a sorted map: the JSON caller here lists it in that order.
        let ctx_json = json!({ "a": "é", "b\"q": "line\n" });
        json.call(&ctx, "kms", "Encrypt", json!({ "KeyId": key, "Plaintext": b64(&[1; 16]), "EncryptionContext": ctx_json, "GrantTokens": ["t"] })).unwrap();
        json.call(&ctx, "kms", "Decrypt", json!({ "CiphertextBlob": b64(&blob.0), "KeyId": key, "EncryptionContext": ctx_json, "DryRun": false })).unwrap();
        let _ = json.call(
            &ctx,
            "kms",
            "Decrypt",
            json!({ "CiphertextBlob": b64(&blob.0) }),
        );
        json.call(
            &ctx,
            "kms",
            "GenerateDataKey",
            json!({ "KeyId": key, "NumberOfBytes": 24 }),
        )
        .unwrap();
        // The typed seam took the text path for each of them (not the built value).
        for req in [
            crate::kms::KmsRequest::Encrypt(EncryptRequest {
                key_id: key.clone(),
                grant_tokens: Some(vec!["t".into()]),
                encryption_context: Some(context.clone()),
                ..EncryptRequest::default()
            }),
            crate::kms::KmsRequest::Decrypt(DecryptRequest {
                ciphertext_blob: blob.clone(),
                ..DecryptRequest::default()
            }),
            crate::kms::KmsRequest::GenerateDataKey(GenerateDataKeyRequest {
                key_id: key.clone(),
                ..GenerateDataKeyRequest::default()
            }),
        ] {
            let mut audit = crate::cloudtrail::CallAudit::open(
                "kms",
                std::borrow::Cow::Borrowed("Encrypt"),
                std::sync::Arc::new(ctx.clone()),
                String::from("e"),
                String::from("r"),
            );
            assert!(<crate::kms::Kms as Service>::defer_audit_input(
                &req, &mut audit
            ));
        }
        let params = |w: &World| {
            w.events()
                .map(|e| e.record["requestParameters"].to_string())
                .collect::<Vec<_>>()
        };
        let got = params(&typed);
        assert_eq!(got, params(&json));
        for secret in ["grantTokens", "plaintext", "ciphertextBlob", "GrantTokens"] {
            assert!(got.iter().all(|p| !p.contains(secret)), "{got:?}");
        }
        assert!(got.iter().any(|p| p.contains("line\\n")), "{got:?}");
        assert!(
            got.iter().any(|p| p.contains("\"numberOfBytes\":24")),
            "{got:?}"
        );
    }
}
