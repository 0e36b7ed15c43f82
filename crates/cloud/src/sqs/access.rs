//! Access to a resource with a resource policy (an SQS queue's `Policy`, an SNS topic's
//! `Policy`): the caller's identity policies and the resource's policy, as IAM evaluates them
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html>).
//!
//! An explicit deny in either wins; within the resource's account an allow in the identity
//! policies **or** the resource policy suffices; a caller from another account needs both. An
//! AWS service principal (`sns.amazonaws.com`, `events.amazonaws.com`) has no identity policy:
//! only the resource policy can let it in, usually conditioned on `aws:SourceArn` (the topic or
//! rule it acts for) and `aws:SourceAccount`, which the caller passes in `extra`. SQS, SNS and
//! EventBridge share this gate.

use authz::{DenialKind, ResourceGate, access_denied};
use policy::{Decision, PolicyDocument, RequestContext};

use crate::World;
use crate::authorize::{AuthorizationRecord, base_conditions, caller, identity_policies};
use crate::cloudtrail::CallAudit;
use crate::context::{CallContext, IdentityType};

/// One request against a resource with a resource policy.
#[derive(Debug)]
pub(crate) struct ResourceRequest<'a> {
    /// The full action, `sqs:SendMessage`.
    pub action: String,
    /// The resource ARN.
    pub resource: &'a str,
    /// The account that owns the resource.
    pub owner: &'a str,
    /// The resource policy, if any.
    pub policy: Option<&'a str>,
    /// Condition keys besides the global ones (`aws:SourceArn`, `aws:SourceAccount`).
    pub extra: Vec<(String, Vec<String>)>,
}

/// Parses a resource policy (SQS and SNS take up to 20 KB; 30 KB for SNS, checked by SNS).
pub(crate) fn parse_policy(text: &str, max_bytes: usize) -> Result<PolicyDocument, String> {
    PolicyDocument::parse(
        text,
        policy::PolicyKind::Resource,
        policy::Limits::bytes(max_bytes),
    )
    .map_err(|e| e.to_string())
}

/// Decides `req` for `ctx`, recording the decision in `audit`; `Err` carries AWS's
/// access-denied message.
pub(crate) fn authorize(
    world: &World,
    ctx: &CallContext,
    req: &ResourceRequest<'_>,
    audit: &mut CallAudit,
) -> Result<(), String> {
    let service = req.action.split(':').next().unwrap_or_default();
    let mut conditions = base_conditions(ctx, world.now_ms(), service);
    conditions.extend(req.extra.iter().cloned());
    let who = caller(ctx);
    let policies = identity_policies(&world.iam, ctx);
    let identity =
        authz::authorize_identity_only(&who, &req.action, req.resource, &policies, &conditions);
    let identity_decision = match identity.gate {
        authz::IamGate::ExplicitDenyIam => Decision::ExplicitDeny,
        g if g.allows() && ctx.identity_type != IdentityType::AWSService => Decision::Allow,
        _ => Decision::NotApplicable,
    };
    let doc = req
        .policy
        .filter(|p| !p.trim().is_empty())
        .and_then(|p| parse_policy(p, 1 << 20).ok());
    let resource_decision = doc
        .as_ref()
        .map(|doc| {
            let mut rc = RequestContext::new(who.to_principal(), &req.action, req.resource);
            for (k, v) in &conditions {
                rc.set_list(k, v.iter().cloned());
            }
            doc.evaluate(&rc).decision
        })
        .unwrap_or(Decision::NotApplicable);
    let same_account = req.owner == ctx.account;
    let kind = if identity_decision == Decision::ExplicitDeny {
        Some(DenialKind::ExplicitDenyIdentityPolicy)
    } else if resource_decision == Decision::ExplicitDeny {
        Some(DenialKind::ExplicitDenyResourcePolicy)
    } else if ctx.identity_type == IdentityType::AWSService {
        (resource_decision != Decision::Allow).then_some(DenialKind::NoResourcePolicyAllows)
    } else if same_account {
        (identity_decision != Decision::Allow && resource_decision != Decision::Allow)
            .then_some(DenialKind::NoIdentityPolicyAllows)
    } else if ctx.identity_type == IdentityType::Root
        || identity_decision == Decision::Allow
        || identity.gate == authz::IamGate::RootUser
    {
        (resource_decision != Decision::Allow).then_some(DenialKind::NoResourcePolicyAllows)
    } else {
        Some(DenialKind::NoIdentityPolicyAllows)
    };
    let message = kind
        .map(|k| access_denied(&ctx.principal_arn, &req.action, req.resource, k))
        .unwrap_or_default();
    let gate = match kind {
        None if resource_decision == Decision::Allow && !same_account => {
            ResourceGate::ResourcePolicyPlusIam
        }
        None if resource_decision == Decision::Allow => ResourceGate::ResourcePolicy,
        None => ResourceGate::IdentityPolicy,
        Some(DenialKind::ExplicitDenyIdentityPolicy) => ResourceGate::ExplicitDenyIam,
        Some(DenialKind::ExplicitDenyResourcePolicy) => ResourceGate::ExplicitDenyResourcePolicy,
        Some(DenialKind::NoResourcePolicyAllows) => ResourceGate::NoResourcePolicyAllow,
        Some(DenialKind::NoIdentityPolicyAllows) => ResourceGate::NoIdentityOrResourcePolicyAllow,
    };
    let mut record =
        AuthorizationRecord::new(kind.is_none(), gate, &message, &identity.explanation);
    record.text = format!(
        "{}\n{service}: identity policies: {identity_decision}; resource policy: {}; {} → {}\n",
        record.text.trim_end(),
        if doc.is_some() {
            resource_decision.to_string()
        } else {
            "none".to_owned()
        },
        if ctx.identity_type == IdentityType::AWSService {
            "a service principal: only the resource policy can allow"
        } else if same_account {
            "same account: either may allow"
        } else {
            "another account: both must allow"
        },
        if kind.is_none() { "ALLOWED" } else { "DENIED" },
    );
    if kind.is_some() && record.text.starts_with("ALLOWED") {
        record.text = format!("DENIED: {message}\n{}", record.text);
    }
    audit.authorizations.push(record);
    match kind {
        None => Ok(()),
        Some(_) => Err(message),
    }
}
