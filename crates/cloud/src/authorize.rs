//! The bridge between the world's state and the `authz` crate: callers, identity policies,
//! standard condition keys, and the record of every authorization decision a call made.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use authz::{Caller, CallerKind, DecidingGate, Explanation, NamedPolicy};

use crate::context::{CallContext, IdentityType};
use crate::iam::Iam;

/// One authorization decision taken while serving a call: what was asked, what was decided,
/// and the evidence (the `authz` explanation as JSON and as readable text).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AuthorizationRecord {
    /// The caller's ARN (the session ARN for a role session).
    pub principal: String,
    /// The action, e.g. `kms:Decrypt`.
    pub action: String,
    /// The resource: a key ARN, an IAM ARN, or `*`.
    pub resource: String,
    /// Whether the request was allowed.
    pub allowed: bool,
    /// The rule that decided (`KeyPolicyPlusIam`, `NoIamAllow`, `TrustPolicy`, …).
    pub gate: DecidingGate,
    /// The `AccessDenied…` message AWS sends (empty when allowed).
    pub aws_message: String,
    /// The readable explanation (verdict line, policies, statements, grants, context keys).
    pub text: String,
    /// The explanation as structured data.
    pub explanation: Value,
}

impl AuthorizationRecord {
    pub(crate) fn new(
        allowed: bool,
        gate: impl Into<DecidingGate>,
        aws_message: &str,
        explanation: &Explanation,
    ) -> Self {
        AuthorizationRecord {
            principal: explanation.caller.clone(),
            action: explanation.action.clone(),
            resource: explanation.resource.clone(),
            allowed,
            gate: gate.into(),
            aws_message: aws_message.to_owned(),
            text: explanation.to_string(),
            explanation: serde_json::to_value(explanation).unwrap_or(Value::Null),
        }
    }
}

/// The `authz` caller of a call context.
pub(crate) fn caller(ctx: &CallContext) -> Caller {
    let kind = match ctx.identity_type {
        IdentityType::IAMUser => CallerKind::User,
        IdentityType::AssumedRole => CallerKind::AssumedRole {
            role_arn: ctx.session.as_ref().map_or_else(
                || ctx.policy_principal_arn().to_owned(),
                |s| s.role_arn.clone(),
            ),
        },
        IdentityType::Root => CallerKind::Root,
        IdentityType::AWSService => CallerKind::Service {
            name: ctx.principal_arn.clone(),
        },
    };
    Caller {
        arn: ctx.principal_arn.clone(),
        account: ctx.account.clone(),
        kind,
        userid: ctx.principal_id.clone(),
        user_name: ctx.user_name.clone(),
    }
}

/// The `authz` caller of a call context, borrowed (the same caller as [`caller`]).
pub(crate) fn caller_view(ctx: &CallContext) -> authz::CallerView<'_> {
    let kind = match ctx.identity_type {
        IdentityType::IAMUser => authz::CallerKindView::User,
        IdentityType::AssumedRole => authz::CallerKindView::AssumedRole {
            role_arn: ctx.policy_principal_arn(),
        },
        IdentityType::Root => authz::CallerKindView::Root,
        IdentityType::AWSService => authz::CallerKindView::Service {
            name: &ctx.principal_arn,
        },
    };
    authz::CallerView {
        arn: &ctx.principal_arn,
        account: &ctx.account,
        kind,
    }
}

/// The caller's identity policy documents, in the order of [`identity_policies`] (without
/// naming them).
pub(crate) fn identity_documents<'a>(
    iam: &'a Iam,
    ctx: &CallContext,
) -> impl Iterator<Item = &'a policy::PolicyDocument> {
    let account = iam.accounts.get(&ctx.account);
    let (inline, attached) = match ctx.identity_type {
        IdentityType::IAMUser => account
            .and_then(|a| ctx.user_name.as_ref().and_then(|n| a.users.get(n)))
            .map(|u| (&u.inline, u.attached.as_slice()))
            .unzip(),
        IdentityType::AssumedRole => account
            .and_then(|a| ctx.session.as_ref().and_then(|s| a.roles.get(&s.role_name)))
            .map(|r| (&r.inline, r.attached.as_slice()))
            .unzip(),
        IdentityType::Root | IdentityType::AWSService => (None, None),
    };
    inline.into_iter().flat_map(|m| m.values()).chain(
        attached
            .unwrap_or_default()
            .iter()
            .filter_map(|arn| iam.attached_document(arn)),
    )
}

/// The caller's identity policies, named for the explanation.
pub(crate) fn identity_policies<'a>(iam: &'a Iam, ctx: &CallContext) -> Vec<NamedPolicy<'a>> {
    iam.identity_policies(ctx)
        .into_iter()
        .map(|(name, document)| NamedPolicy { name, document })
        .collect()
}

/// The global condition keys of every request: transport, time, source IP, and the KMS caller
/// keys when `service` is `kms`.
pub(crate) fn base_conditions(
    ctx: &CallContext,
    now_ms: i64,
    service: &str,
) -> Vec<(String, Vec<String>)> {
    let mut c = vec![
        (
            "aws:SecureTransport".to_owned(),
            vec![ctx.secure_transport.to_string()],
        ),
        (
            "aws:CurrentTime".to_owned(),
            vec![crate::env::iso8601(now_ms)],
        ),
        (
            "aws:EpochTime".to_owned(),
            vec![now_ms.div_euclid(1000).to_string()],
        ),
        (
            "aws:ViaAWSService".to_owned(),
            vec![ctx.via_service.is_some().to_string()],
        ),
    ];
    if ctx.source_ip.parse::<std::net::IpAddr>().is_ok() {
        c.push(("aws:SourceIp".to_owned(), vec![ctx.source_ip.clone()]));
    }
    if service == "kms" {
        c.push(("kms:CallerAccount".to_owned(), vec![ctx.account.clone()]));
        if let Some(via) = &ctx.via_service {
            c.push(("kms:ViaService".to_owned(), vec![via.clone()]));
        }
    }
    c
}

/// Authorizes an identity-only request (IAM, CloudTrail, key-less KMS operations) and records
/// the decision in `records`. Returns the denial message on denial.
pub(crate) fn identity_only(
    iam: &Iam,
    ctx: &CallContext,
    action: &str,
    resource: &str,
    extra: &[(String, Vec<String>)],
    now_ms: i64,
    records: &mut Vec<AuthorizationRecord>,
) -> Result<(), String> {
    let service = action.split(':').next().unwrap_or_default();
    let mut conditions = base_conditions(ctx, now_ms, service);
    conditions.extend(extra.iter().cloned());
    let caller = caller(ctx);
    let policies = identity_policies(iam, ctx);
    let d = authz::authorize_identity_only(&caller, action, resource, &policies, &conditions);
    records.push(AuthorizationRecord::new(
        d.allowed,
        d.gate,
        &d.aws_message,
        &d.explanation,
    ));
    if d.allowed {
        Ok(())
    } else {
        Err(d.aws_message)
    }
}
