//! Secrets Manager's authorization: identity policies and the secret's resource policy.
//!
//! As for every resource policy
//! ([auth-and-access_resource-policies](https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_resource-policies.html)):
//! an explicit deny in either wins; within the secret's account an allow in the identity
//! policies **or** the resource policy suffices; a caller from another account needs both the
//! secret's resource policy and its own identity policy to allow. (The KMS key is a second,
//! separate gate: see the module doc.) The decision is recorded with the S3 gate names, the
//! lab's names for the "identity policy + resource policy" rules.

use authz::{DenialKind, ResourceGate, access_denied};
use policy::{Decision, PolicyDocument, RequestContext};

use crate::World;
use crate::authorize::{AuthorizationRecord, base_conditions, caller, identity_policies};
use crate::cloudtrail::CallAudit;
use crate::context::{CallContext, IdentityType};

use super::SecretsManagerError;

/// Parses a resource policy as Secrets Manager takes it (20 KB).
pub(crate) fn parse_policy(text: &str) -> Result<PolicyDocument, String> {
    PolicyDocument::parse(
        text,
        policy::PolicyKind::Resource,
        policy::Limits::bytes(20_480),
    )
    .map_err(|e| e.to_string())
}

/// Decides `secretsmanager:ACTION` on `resource` (owned by `owner`, with `policy`), recording the
/// decision; `Err` is `AccessDeniedException` with AWS's message.
pub(crate) fn authorize(
    world: &World,
    ctx: &CallContext,
    action: &str,
    resource: &str,
    owner: &str,
    policy: Option<&str>,
    audit: &mut CallAudit,
) -> Result<(), SecretsManagerError> {
    let action = format!("secretsmanager:{action}");
    let conditions = base_conditions(ctx, world.now_ms(), "secretsmanager");
    let who = caller(ctx);
    let policies = identity_policies(&world.iam, ctx);
    let identity = authz::authorize_identity_only(&who, &action, resource, &policies, &conditions);
    let identity_decision = match identity.gate {
        authz::IamGate::ExplicitDenyIam => Decision::ExplicitDeny,
        g if g.allows() => Decision::Allow,
        _ => Decision::NotApplicable,
    };
    let doc = policy.and_then(|p| parse_policy(p).ok());
    let resource_decision = doc
        .as_ref()
        .map(|doc| {
            let mut rc = RequestContext::new(who.to_principal(), &action, resource);
            for (k, v) in &conditions {
                rc.set_list(k, v.iter().cloned());
            }
            doc.evaluate(&rc).decision
        })
        .unwrap_or(Decision::NotApplicable);
    let same_account = owner == ctx.account;
    let kind = if identity_decision == Decision::ExplicitDeny {
        Some(DenialKind::ExplicitDenyIdentityPolicy)
    } else if resource_decision == Decision::ExplicitDeny {
        Some(DenialKind::ExplicitDenyResourcePolicy)
    } else if same_account {
        if identity_decision == Decision::Allow || resource_decision == Decision::Allow {
            None
        } else {
            Some(DenialKind::NoIdentityPolicyAllows)
        }
    } else if ctx.identity_type == IdentityType::Root
        || identity_decision == Decision::Allow
        || identity.gate == authz::IamGate::RootUser
    {
        if resource_decision == Decision::Allow {
            None
        } else {
            Some(DenialKind::NoResourcePolicyAllows)
        }
    } else {
        Some(DenialKind::NoIdentityPolicyAllows)
    };
    let message = kind
        .map(|k| access_denied(&ctx.principal_arn, &action, resource, k))
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
        "{}\nSecrets Manager: identity policies: {identity_decision}; secret's resource policy: {}; {} → {}\n",
        record.text.trim_end(),
        if doc.is_some() {
            resource_decision.to_string()
        } else {
            "none".to_owned()
        },
        if same_account {
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
        Some(_) => Err(SecretsManagerError::AccessDeniedException(message)),
    }
}

/// Whether a policy grants broad (public) access: an `Allow` to everyone (`"*"`, or a
/// `NotPrincipal`) without any condition.
pub(crate) fn is_public(doc: &PolicyDocument) -> bool {
    doc.statements().iter().any(|st| {
        st.effect() == policy::Effect::Allow
            && st.conditions().is_empty()
            && st.principal().is_some_and(|p| {
                p.negated
                    || p.ids
                        .iter()
                        .any(|id| matches!(id, policy::PrincipalId::Everyone))
            })
    })
}
