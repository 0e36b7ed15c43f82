//! Identity-only authorization (IAM, STS, CloudTrail, S3's identity side) and the
//! `sts:AssumeRole` check (trust policy plus, where needed, the caller's identity policy).

use std::fmt;

use policy::{Decision, Outcome, PolicyDocument, PrincipalMatch, Reason};
use serde::{Deserialize, Serialize};

use crate::explain::{ContextEntry, Explanation, PolicyTrace};
use crate::input::{Caller, NamedPolicy};
use crate::kms::ContextBuilder;
use crate::message::{DenialKind, access_denied};

/// Which rule decided an IAM-only or AssumeRole request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum IamGate {
    /// Allowed: an identity policy allows and none denies.
    IdentityPolicy,
    /// Allowed: the root user is not restricted by identity policies in its own account.
    RootUser,
    /// Allowed: the trust policy names the caller (same account), so no identity policy is needed.
    TrustPolicy,
    /// Allowed: the trust policy allows the caller's account (or the caller in another account)
    /// and the caller's identity policy allows `sts:AssumeRole`.
    TrustPolicyPlusIam,
    /// Denied: an identity policy denies.
    ExplicitDenyIam,
    /// Denied: no identity policy allows.
    NoIdentityAllow,
    /// Denied: the trust policy denies the caller.
    TrustPolicyDenies,
    /// Denied: the trust policy does not allow the caller.
    TrustPolicyDoesNotAllow,
    /// Denied: the root user cannot assume roles.
    RootCannotAssumeRole,
    /// Denied: an IAM resource of another account (IAM resources have no resource-based
    /// policy, so nothing can let another account in).
    OtherAccountIamResource,
}

impl IamGate {
    /// True for the allowing gates.
    pub fn allows(self) -> bool {
        matches!(
            self,
            Self::IdentityPolicy | Self::RootUser | Self::TrustPolicy | Self::TrustPolicyPlusIam
        )
    }
}

impl fmt::Display for IamGate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::IdentityPolicy => "an identity policy allows",
            Self::RootUser => "the root user is allowed in its own account",
            Self::TrustPolicy => "the role's trust policy names the caller",
            Self::TrustPolicyPlusIam => {
                "the trust policy allows and the caller's identity policy allows sts:AssumeRole"
            }
            Self::ExplicitDenyIam => "an explicit deny in an identity policy",
            Self::NoIdentityAllow => "no identity policy allows",
            Self::TrustPolicyDenies => "the trust policy denies the caller",
            Self::TrustPolicyDoesNotAllow => "the trust policy does not allow the caller",
            Self::RootCannotAssumeRole => "the root user cannot assume roles",
            Self::OtherAccountIamResource => {
                "the IAM resource is in another account, and IAM resources have no resource-based policy"
            }
        })
    }
}

/// The decision for an IAM-only or AssumeRole request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IamDecision {
    /// Whether the request may proceed.
    pub allowed: bool,
    /// The rule that decided.
    pub gate: IamGate,
    /// The evidence. For AssumeRole the trust policy appears as `key_policy`'s sibling:
    /// in `identity_policies` first, named `trust policy of ROLE_ARN`.
    pub explanation: Explanation,
    /// The `AccessDenied` message (empty when allowed).
    pub aws_message: String,
}

/// Authorizes a request that only identity policies govern (IAM, STS, CloudTrail, and the
/// identity side of S3). `conditions` are the request's condition keys (`aws:SecureTransport`,
/// `aws:CurrentTime`, `aws:RequestTag/…`, …).
///
/// [Policy evaluation logic](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html):
/// an explicit deny wins; otherwise an allow is needed; otherwise implicit deny. The root user
/// is allowed in its own account (no identity policies apply to it).
pub fn authorize_identity_only(
    caller: &Caller,
    action: &str,
    resource: &str,
    identity_policies: &[NamedPolicy<'_>],
    conditions: &[(String, Vec<String>)],
) -> IamDecision {
    let mut b = ContextBuilder::new(caller, action, resource);
    for (k, v) in conditions {
        b.set_list(k, v.iter().cloned());
    }
    let (ctx, shown) = b.finish();
    let traces: Vec<PolicyTrace> = identity_policies
        .iter()
        .map(|p| PolicyTrace::identity(&p.name, p.document.evaluate(&ctx)))
        .collect();
    let decision = Decision::combine(traces.iter().map(|t| t.decision));
    let (gate, why) = match decision {
        Decision::ExplicitDeny => (IamGate::ExplicitDenyIam, denying_names(&traces)),
        Decision::Allow => (IamGate::IdentityPolicy, allowing_names(&traces)),
        Decision::NotApplicable if caller.is_root() => (
            IamGate::RootUser,
            "the root user has full access to its own account".to_owned(),
        ),
        Decision::NotApplicable => (
            IamGate::NoIdentityAllow,
            format!("no identity policy allows {action}"),
        ),
    };
    // IAM's own resources (users, roles, policies) live in one account and have no
    // resource-based policy: another account's are out of reach whatever the caller's policies
    // say (AWS managed policies, account `aws`, are everyone's).
    let owner = resource
        .strip_prefix("arn:aws:iam::")
        .and_then(|r| r.split(':').next())
        .filter(|a| !a.is_empty() && *a != "aws" && *a != caller.account);
    let (gate, why) = match owner {
        Some(owner) if action.starts_with("iam:") && gate != IamGate::ExplicitDenyIam => (
            IamGate::OtherAccountIamResource,
            format!(
                "{resource} belongs to account {owner}, not the caller's account {}: IAM resources have no resource-based policy, so no other account can be allowed",
                caller.account
            ),
        ),
        _ => (gate, why),
    };
    finish(
        caller, action, resource, gate, why, None, traces, shown, false,
    )
}

/// Authorizes `sts:AssumeRole` on `role_arn`.
///
/// - The trust policy must allow the caller, and must not deny it.
/// - When the trust policy names the caller itself (its user or role ARN) and caller and role
///   are in the same account, that is enough; when it only names the account (`…:root`) or the
///   caller is in another account, the caller's identity policy must also allow
///   `sts:AssumeRole` on the role
///   ([id_roles_terms-and-concepts](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html),
///   [cross-account evaluation](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html)).
/// - An identity-policy deny always wins.
/// - The root user cannot assume roles (AWS answers "Roles may not be assumed by root accounts.").
pub fn authorize_assume_role(
    caller: &Caller,
    role_arn: &str,
    trust_policy: &PolicyDocument,
    caller_identity_policies: &[NamedPolicy<'_>],
    now_ms: i64,
) -> IamDecision {
    let action = "sts:AssumeRole";
    let mut b = ContextBuilder::new(caller, action, role_arn);
    b.set_time(now_ms);
    let (ctx, shown) = b.finish();
    let trust_eval = trust_policy.evaluate(&ctx);
    let role_account = role_arn.split(':').nth(4).unwrap_or_default();
    let same_account = role_account == caller.account;
    let names_caller = trust_eval.statements.iter().any(|s| {
        s.outcome == Outcome::Allow
            && !matches!(
                s.reason,
                Reason::Applies {
                    principal: PrincipalMatch::Account { .. },
                    ..
                }
            )
    });
    let trust = PolicyTrace::identity(&format!("trust policy of {role_arn}"), trust_eval);
    let trust_decision = trust.decision;
    let traces: Vec<PolicyTrace> = caller_identity_policies
        .iter()
        .map(|p| PolicyTrace::identity(&p.name, p.document.evaluate(&ctx)))
        .collect();
    let iam = Decision::combine(traces.iter().map(|t| t.decision));
    let (gate, why) = if caller.is_root() {
        (
            IamGate::RootCannotAssumeRole,
            "roles may not be assumed by root accounts".to_owned(),
        )
    } else if trust_decision == Decision::ExplicitDeny {
        (
            IamGate::TrustPolicyDenies,
            "the role's trust policy denies the caller".to_owned(),
        )
    } else if iam == Decision::ExplicitDeny {
        (IamGate::ExplicitDenyIam, denying_names(&traces))
    } else if trust_decision != Decision::Allow {
        (
            IamGate::TrustPolicyDoesNotAllow,
            "the role's trust policy does not allow the caller".to_owned(),
        )
    } else if names_caller && same_account {
        (
            IamGate::TrustPolicy,
            "the role's trust policy names the caller".to_owned(),
        )
    } else if iam == Decision::Allow {
        (
            IamGate::TrustPolicyPlusIam,
            format!(
                "the trust policy allows the caller's account and {}",
                allowing_names(&traces)
            ),
        )
    } else {
        (
            IamGate::NoIdentityAllow,
            "the trust policy allows the caller's account, but no identity policy of the caller allows sts:AssumeRole on the role".to_owned(),
        )
    };
    let mut all = vec![trust];
    all.extend(traces);
    finish(
        caller,
        action,
        role_arn,
        gate,
        why,
        Some(same_account),
        all,
        shown,
        true,
    )
}

fn denying_names(traces: &[PolicyTrace]) -> String {
    let v: Vec<&str> = traces
        .iter()
        .filter(|t| t.decision == Decision::ExplicitDeny)
        .map(|t| t.name.as_str())
        .collect();
    format!("an identity policy denies it ({})", v.join(", "))
}

fn allowing_names(traces: &[PolicyTrace]) -> String {
    let v: Vec<&str> = traces
        .iter()
        .filter(|t| t.decision == Decision::Allow)
        .map(|t| t.name.as_str())
        .collect();
    format!("an identity policy allows it ({})", v.join(", "))
}

#[expect(clippy::too_many_arguments, reason = "internal assembly of one result")]
fn finish(
    caller: &Caller,
    action: &str,
    resource: &str,
    gate: IamGate,
    why: String,
    same_account: Option<bool>,
    traces: Vec<PolicyTrace>,
    shown: Vec<ContextEntry>,
    assume_role: bool,
) -> IamDecision {
    let allowed = gate.allows();
    let aws_message = if allowed {
        String::new()
    } else if gate == IamGate::RootCannotAssumeRole {
        "Roles may not be assumed by root accounts.".to_owned()
    } else if assume_role {
        // STS reports AssumeRole denials without naming the policy type.
        format!(
            "User: {} is not authorized to perform: {action} on resource: {resource}",
            caller.arn
        )
    } else {
        let kind = match gate {
            IamGate::ExplicitDenyIam => DenialKind::ExplicitDenyIdentityPolicy,
            IamGate::OtherAccountIamResource => DenialKind::NoResourcePolicyAllows,
            _ => DenialKind::NoIdentityPolicyAllows,
        };
        access_denied(&caller.arn, action, resource, kind)
    };
    IamDecision {
        allowed,
        gate,
        explanation: Explanation {
            verdict: format!(
                "{}: {} {} {action} on {resource} — {why}",
                if allowed { "ALLOWED" } else { "DENIED" },
                caller.arn,
                if allowed { "may call" } else { "may not call" },
            ),
            caller: caller.arn.clone(),
            action: action.to_owned(),
            resource: resource.to_owned(),
            same_account: same_account.unwrap_or(true),
            key_policy: None,
            key_policy_delegates_to_iam: false,
            identity_policies: traces,
            grants: Vec::new(),
            conditions: shown,
            notes: Vec::new(),
        },
        aws_message,
    }
}
