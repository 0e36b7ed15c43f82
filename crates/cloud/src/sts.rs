//! Minimal STS: `GetCallerIdentity` (never denied, as in AWS) and `AssumeRole` (the role's trust
//! policy and the caller's identity policies, evaluated by `authz::authorize_assume_role`).

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::context::{CallContext, IdentityType, RoleSession};
use crate::env::{iso8601, parse_time};
use crate::error::AwsError;
use crate::iam::Iam;
use crate::service::{CallAudit, Service};
use crate::world::World;

/// `GetCallerIdentity` takes no members.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct GetCallerIdentityRequest {}

/// `AssumeRole` request.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct AssumeRoleRequest {
    /// The role to assume.
    pub role_arn: String,
    /// The session name (2–64 characters of `[\w+=,.@-]`).
    pub role_session_name: String,
    /// Session duration, 900 to the role's `MaxSessionDuration` (default 3600).
    pub duration_seconds: Option<i64>,
    /// Session policy (stored, not evaluated yet).
    pub policy: Option<String>,
    /// External id (not checked: trust-policy conditions are not evaluated yet).
    pub external_id: Option<String>,
}

/// `GetCallerIdentity` response.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetCallerIdentityResponse {
    /// `AIDA…` or `AROA…:session`.
    pub user_id: String,
    /// The caller's account.
    pub account: String,
    /// The caller's ARN.
    pub arn: String,
}

/// A role session's temporary credentials (`Credentials`).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Credentials {
    /// `ASIA…`.
    pub access_key_id: String,
    /// The secret key.
    pub secret_access_key: String,
    /// The session token.
    pub session_token: String,
    /// When the credentials expire (ISO 8601).
    pub expiration: String,
}

/// The assumed role's session (`AssumedRoleUser`).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AssumedRoleUser {
    /// `AROA…:session-name`.
    pub assumed_role_id: String,
    /// `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`.
    pub arn: String,
}

/// `AssumeRole` response (botocore's members in its order; `PackedPolicySize` and
/// `SourceIdentity`, never answered by the lab, are left out).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AssumeRoleResponse {
    /// The session's credentials.
    pub credentials: Credentials,
    /// The session's identity.
    pub assumed_role_user: AssumedRoleUser,
}

operations!(StsRequest / StsResponse, sts -> StsClient for crate::sts::Sts {
    get_caller_identity: GetCallerIdentity(GetCallerIdentityRequest) -> GetCallerIdentityResponse,
    assume_role: AssumeRole(AssumeRoleRequest) -> AssumeRoleResponse,
});

service_error!(
    /// STS errors, named after the AWS error codes.
    StsError {
        /// The caller may not assume the role (trust policy or identity policies).
        AccessDenied = "AccessDenied" / 403,
        /// A parameter fails the API's constraints.
        ValidationError = "ValidationError" / 400,
        /// An internal failure (never expected).
        InternalFailure = "InternalFailure" / 500,
    }
);

fn access_denied(ctx: &CallContext, role_arn: &str) -> StsError {
    StsError::AccessDenied(format!(
        "User: {} is not authorized to perform: sts:AssumeRole on resource: {role_arn}",
        ctx.principal_arn
    ))
}

/// STS (a marker: its state is IAM's roles and the caller's context).
#[derive(Clone, Copy, Debug, Default)]
pub struct Sts;

impl Service for Sts {
    const NAME: &'static str = "sts";
    type Request = StsRequest;
    type Response = StsResponse;
    type Error = StsError;

    fn operation(req: &StsRequest) -> &'static str {
        req.operation()
    }

    fn decode(operation: &str, input: Value) -> Result<StsRequest, AwsError> {
        let Some(req) = StsRequest::decode(operation, input) else {
            return Err(AwsError::new(
                "InvalidAction",
                format!("Could not find operation {operation} for version 2011-06-15"),
            ));
        };
        req.map_err(|e| crate::decode_error("ValidationError", operation, &e))
    }

    fn encode(resp: StsResponse) -> Result<Value, AwsError> {
        resp.encode()
            .map_err(|e| StsError::InternalFailure(e.to_string()).to_aws())
    }

    fn audit_input(req: &StsRequest) -> Value {
        req.to_input()
    }

    fn client_side(e: AwsError) -> StsError {
        StsError::EndpointConnection(e.message)
    }

    fn internal(message: String) -> StsError {
        StsError::InternalFailure(message)
    }

    fn handle(
        world: &mut World,
        ctx: &CallContext,
        req: StsRequest,
        audit: &mut CallAudit,
    ) -> Result<StsResponse, StsError> {
        handle(world, ctx, req, audit)
    }
}

fn handle(
    world: &mut World,
    ctx: &CallContext,
    req: StsRequest,
    audit: &mut CallAudit,
) -> Result<StsResponse, StsError> {
    let resp = match req {
        StsRequest::GetCallerIdentity(_) => {
            audit.read_only = true;
            StsResponse::GetCallerIdentity(GetCallerIdentityResponse {
                user_id: ctx.principal_id.clone(),
                account: ctx.account.clone(),
                arn: ctx.principal_arn.clone(),
            })
        }
        StsRequest::AssumeRole(r) => {
            audit.read_only = true;
            let name_ok = (2..=64).contains(&r.role_session_name.len())
                && r.role_session_name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c));
            if !name_ok {
                return Err(StsError::ValidationError(format!(
                    "1 validation error detected: Value '{}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
                    r.role_session_name
                )));
            }
            if r.role_arn.len() < 20 || crate::arn::Arn::parse(&r.role_arn).is_none() {
                return Err(StsError::ValidationError(format!(
                    "{} is invalid",
                    r.role_arn
                )));
            }
            let (account, role) = world
                .iam
                .role_by_arn(&r.role_arn)
                .ok_or_else(|| access_denied(ctx, &r.role_arn))?;
            audit.resource(&account.id, "AWS::IAM::Role", &role.arn);
            let caller = crate::authorize::caller(ctx);
            let policies = crate::authorize::identity_policies(&world.iam, ctx);
            let d = authz::authorize_assume_role(
                &caller,
                &role.arn,
                &role.assume_role_policy,
                &policies,
                world.now_ms(),
            );
            audit
                .authorizations
                .push(crate::authorize::AuthorizationRecord::new(
                    d.allowed,
                    d.gate,
                    &d.aws_message,
                    &d.explanation,
                ));
            if !d.allowed {
                return Err(StsError::AccessDenied(d.aws_message));
            }
            let duration = r.duration_seconds.unwrap_or(3600);
            if duration < 900 {
                return Err(StsError::ValidationError(format!(
                    "1 validation error detected: Value '{duration}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"
                )));
            }
            if duration > role.max_session_duration {
                return Err(StsError::ValidationError(
                    "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."
                        .into(),
                ));
            }
            let role_id = role.id.clone();
            let role_name = role.name.clone();
            let acct = account.id.clone();
            let now = world.now_ms();
            let expires = now + duration * 1000;
            let key_id = world.rng.iam_id("ASIA", 20);
            let secret = base64_like(&world.rng.bytes(30));
            let token = base64_like(&world.rng.bytes(96));
            let assumed_id = format!("{role_id}:{}", r.role_session_name);
            let arn = format!(
                "arn:aws:sts::{acct}:assumed-role/{role_name}/{}",
                r.role_session_name
            );
            audit.response_elements = json!({
                "credentials": { "accessKeyId": key_id, "expiration": iso8601(expires) },
                "assumedRoleUser": { "assumedRoleId": assumed_id, "arn": arn },
            });
            StsResponse::AssumeRole(AssumeRoleResponse {
                credentials: Credentials {
                    access_key_id: key_id,
                    secret_access_key: secret,
                    session_token: token,
                    expiration: iso8601(expires),
                },
                assumed_role_user: AssumedRoleUser {
                    assumed_role_id: assumed_id,
                    arn,
                },
            })
        }
    };
    Ok(resp)
}

fn base64_like(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Builds the role session's call context from an `AssumeRole` response.
pub(crate) fn context_from_assume_role(
    iam: &Iam,
    out: &AssumeRoleResponse,
    source: &CallContext,
    now: i64,
) -> Result<CallContext, AwsError> {
    let bad = || AwsError::with_status("InternalFailure", "malformed AssumeRole response", 500);
    let arn = out.assumed_role_user.arn.as_str();
    let assumed_id = out.assumed_role_user.assumed_role_id.as_str();
    let key_id = out.credentials.access_key_id.as_str();
    let expires = parse_time(&out.credentials.expiration).ok_or_else(bad)?;
    let parsed = crate::arn::Arn::parse(arn).ok_or_else(bad)?;
    let mut parts = parsed.resource.splitn(3, '/');
    let (_, role_name, session_name) = (
        parts.next(),
        parts.next().ok_or_else(bad)?,
        parts.next().ok_or_else(bad)?,
    );
    let account = parsed.account.to_owned();
    let role = iam
        .accounts
        .get(&account)
        .and_then(|a| a.roles.get(role_name))
        .ok_or_else(bad)?;
    Ok(CallContext {
        principal_arn: arn.to_owned(),
        account,
        region: source.region.clone(),
        via_service: None,
        secure_transport: true,
        source_ip: source.source_ip.clone(),
        user_agent: source.user_agent.clone(),
        identity_type: IdentityType::AssumedRole,
        principal_id: assumed_id.to_owned(),
        access_key_id: key_id.to_owned(),
        user_name: None,
        session: Some(RoleSession {
            role_arn: role.arn.clone(),
            role_id: role.id.clone(),
            role_name: role.name.clone(),
            session_name: session_name.to_owned(),
            created_ms: now,
            expires_ms: expires,
        }),
        invoked_by: None,
        source_arn: None,
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::AssumeRoleRequest;
    use crate::World;

    /// A typed `AssumeRole` prints as the JSON answer, writes the same event, and a role
    /// profile's session (which reads the typed answer) is the one the JSON answer describes.
    #[test]
    fn typed_assume_role_prints_as_the_json_answer() {
        let mut typed = World::new(5, 1_795_377_600_000);
        let mut json = typed.clone();
        let a = typed.context_for_profile(None, None).unwrap();
        let b = json.context_for_profile(None, None).unwrap();
        let arn = "arn:aws:iam::111122223333:role/AppRole";
        let out = typed
            .client(&a)
            .sts()
            .assume_role(AssumeRoleRequest {
                role_arn: arn.into(),
                role_session_name: "s1".into(),
                ..AssumeRoleRequest::default()
            })
            .unwrap();
        let answer = json
            .call(
                &b,
                "sts",
                "AssumeRole",
                json!({ "RoleArn": arn, "RoleSessionName": "s1" }),
            )
            .unwrap();
        let printed = serde_json::to_string(&out).unwrap();
        assert_eq!(printed, serde_json::to_string(&answer).unwrap());
        assert!(printed.starts_with(r#"{"Credentials":{"AccessKeyId":"ASIA"#));
        assert!(printed.contains(
            r#""Expiration":"2026-11-22T21:00:00Z"},"AssumedRoleUser":{"AssumedRoleId":"AROA"#
        ));
        assert!(
            printed
                .ends_with(r#":s1","Arn":"arn:aws:sts::111122223333:assumed-role/AppRole/s1"}}"#)
        );
        let records = |w: &World| w.events().map(|e| e.record.clone()).collect::<Vec<_>>();
        assert_eq!(records(&typed), records(&json));

        let app = typed.context_for_profile(Some("app"), None).unwrap();
        let session = app.session.as_ref().unwrap();
        assert_eq!(session.role_arn, arn);
        assert_eq!(session.expires_ms, session.created_ms + 3_600_000);
        assert!(app.access_key_id.starts_with("ASIA"));
        assert!(
            app.principal_arn
                .starts_with("arn:aws:sts::111122223333:assumed-role/AppRole/botocore-session-")
        );
    }
}
