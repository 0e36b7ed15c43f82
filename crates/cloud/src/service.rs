//! One trait every service implements, the registry `World::call` dispatches through, and the
//! typed client that enters the same seam.
//!
//! A service is a folder (`kms/`, `iam/`, `s3/`, …) with its model (request and response
//! shapes), its error enum (named after its AWS codes) and its operations, plus one
//! [`Service`] impl and one line of `services!` (lib.rs). `World::call` (JSON) and [`Client::call`]
//! (typed) both go through `World`'s seam: check the endpoint, open the call's audit (its
//! CloudTrail event), run [`Service::handle`], record exactly one event, count the request and
//! keep the call's authorization decisions.

use serde_json::Value;

use crate::World;
use crate::authorize::AuthorizationRecord;
use crate::context::CallContext;
use crate::error::{AwsError, ServiceError};

pub use crate::cloudtrail::CallAudit;

/// An AWS service of the lab.
pub trait Service {
    /// The aws-cli service name (`kms`, `s3`, …): the endpoint and the event source prefix.
    const NAME: &'static str;
    /// The typed request (one variant per operation).
    type Request;
    /// The typed response.
    type Response;
    /// The service's error enum, named after its AWS codes.
    type Error: ServiceError;

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
    /// The JSON codec, out.
    fn encode(resp: &Self::Response) -> Result<Value, AwsError>;
    /// A typed request as the JSON input a caller would have sent (for its CloudTrail event).
    fn audit_input(req: &Self::Request) -> Value;
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
        Self::encode(&resp)
    }
}

/// A JSON entry into one service (`World::json_entry` of it): what [`registry`] lists, and
/// what `World::json_call` runs; it answers with the call's audit, which the seam closes.
pub(crate) type JsonEntry =
    fn(&mut World, &CallContext, &str, Value) -> (Result<Value, AwsError>, CallAudit);

/// The core services, by aws-cli name: the ones [`World`] is built around.
const CORE: &[(&str, JsonEntry)] = &[
    (crate::kms::Kms::NAME, World::json_entry::<crate::kms::Kms>),
    (crate::iam::Iam::NAME, World::json_entry::<crate::iam::Iam>),
    (crate::sts::Sts::NAME, World::json_entry::<crate::sts::Sts>),
    (
        crate::cloudtrail::CloudTrail::NAME,
        World::json_entry::<crate::cloudtrail::CloudTrail>,
    ),
];

/// Every service the lab models, by aws-cli name: the core ones, then those registered with
/// `services!` (lib.rs), where registering a service is one line.
pub(crate) fn registry() -> impl Iterator<Item = &'static (&'static str, JsonEntry)> {
    CORE.iter().chain(crate::REGISTERED)
}

/// The aws-cli names of every service the lab models, in registration order.
pub fn service_names() -> impl Iterator<Item = &'static str> {
    registry().map(|(name, _)| *name)
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
    pub fn call<S: Service>(&mut self, req: S::Request) -> Result<S::Response, S::Error> {
        let ctx = self.ctx;
        let (result, decisions) = self.world.with_lean(true, |w| w.invoke::<S>(ctx, req));
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
        let (result, decisions) = self.world.with_lean(false, |w| w.invoke::<S>(ctx, req));
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
}
