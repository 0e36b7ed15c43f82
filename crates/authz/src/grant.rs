//! Grants: allow-only permissions for one grantee on one key.
//!
//! <https://docs.aws.amazon.com/kms/latest/developerguide/grants.html>,
//! <https://docs.aws.amazon.com/kms/latest/developerguide/using-grant-token.html>,
//! <https://docs.aws.amazon.com/kms/latest/developerguide/create-grant-overview.html>.

use std::collections::BTreeMap;

use crate::explain::{GrantTrace, GrantVerdict};
use crate::input::{Caller, CallerKindView, CallerView, GrantFacts, KmsRequest};

/// How long a new grant takes to become usable without its grant token (epoch ms).
///
/// AWS: "there might be a brief delay, usually less than five minutes, until the grant is
/// available throughout KMS" (eventual consistency,
/// <https://docs.aws.amazon.com/kms/latest/developerguide/grants.html#terms-eventual-consistency>).
/// The lab picks 60 s so learners see the effect without waiting five minutes; a request that
/// carries the grant's token may use it at once
/// (<https://docs.aws.amazon.com/kms/latest/developerguide/using-grant-token.html>).
pub const GRANT_PROPAGATION_MS: i64 = 60_000;

/// The operations a grant may allow (the `GrantOperation` enum of the KMS API,
/// <https://docs.aws.amazon.com/kms/latest/developerguide/grants.html#terms-grant-operations>).
pub const GRANT_OPERATIONS: &[&str] = &[
    "CreateGrant",
    "Decapsulate",
    "Decrypt",
    "DeriveSharedSecret",
    "DescribeKey",
    "Encapsulate",
    "Encrypt",
    "GenerateDataKey",
    "GenerateDataKeyPair",
    "GenerateDataKeyPairWithoutPlaintext",
    "GenerateDataKeyWithoutPlaintext",
    "GenerateMac",
    "GetPublicKey",
    "ReEncryptFrom",
    "ReEncryptTo",
    "RetireGrant",
    "Sign",
    "Verify",
    "VerifyMac",
];

/// The operations that take an encryption context (with a symmetric encryption key): the only
/// ones grant constraints apply to. "Grant constraints are not applied to operations that do not
/// support an encryption context, such as cryptographic operations with asymmetric KMS keys and
/// management operations, such as DescribeKey or RetireGrant"
/// (<https://docs.aws.amazon.com/kms/latest/APIReference/API_GrantConstraints.html>).
const CONTEXT_OPERATIONS: &[&str] = &[
    "Decrypt",
    "Encrypt",
    "GenerateDataKey",
    "GenerateDataKeyPair",
    "GenerateDataKeyPairWithoutPlaintext",
    "GenerateDataKeyWithoutPlaintext",
    "ReEncryptFrom",
    "ReEncryptTo",
];

/// True when `grantee` (as written in the grant) names `caller`: the exact ARN, the role ARN for
/// a session of that role, or the service principal.
pub fn grantee_matches(grantee: &str, caller: &Caller) -> bool {
    grantee_names(grantee, &caller.view())
}

/// [`grantee_matches`] on a borrowed caller.
pub(crate) fn grantee_names(grantee: &str, caller: &CallerView<'_>) -> bool {
    if grantee == caller.arn {
        return true;
    }
    match caller.kind {
        CallerKindView::AssumedRole { role_arn } => grantee == role_arn,
        CallerKindView::Service { name } => grantee == name,
        CallerKindView::User | CallerKindView::Root => false,
    }
}

/// What a grant check reads of a request.
#[derive(Debug, Clone, Copy)]
pub(crate) struct GrantRequest<'a> {
    pub caller: CallerView<'a>,
    /// The action (`kms:Decrypt`).
    pub action: &'a str,
    /// The key's spec (constraints apply to symmetric encryption keys only).
    pub key_spec: &'a str,
    pub encryption_context: Option<&'a BTreeMap<String, String>>,
    pub grant_tokens: &'a [String],
    pub now_ms: i64,
}

impl<'a> GrantRequest<'a> {
    pub(crate) fn of(req: &'a KmsRequest<'a>) -> Self {
        Self {
            caller: req.caller.view(),
            action: req.action,
            key_spec: &req.key.key_spec,
            encryption_context: req.encryption_context,
            grant_tokens: req.grant_tokens,
            now_ms: req.now_ms,
        }
    }

    fn op(&self) -> &'a str {
        self.action
            .split_once(':')
            .map_or(self.action, |(_, op)| op)
    }
}

/// A grant's verdict without its sentence (what [`GrantVerdict`] says, minus the missing pairs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GrantCheck {
    OtherGrantee,
    NotAGrantOperation,
    OperationNotListed,
    ConstraintNotModelled,
    ContextNotEqual,
    ContextSubsetMissing,
    Applies { by_token: bool },
    NotYetPropagated { effective_ms: i64 },
}

/// Checks one grant against a request, without building the evidence.
pub(crate) fn grant_check(grant: &GrantFacts, req: &GrantRequest<'_>) -> GrantCheck {
    let op = req.op();
    if !grantee_names(&grant.grantee_principal, &req.caller) {
        GrantCheck::OtherGrantee
    } else if !GRANT_OPERATIONS.iter().any(|g| g.eq_ignore_ascii_case(op)) {
        GrantCheck::NotAGrantOperation
    } else if !grant.operations.iter().any(|o| o.eq_ignore_ascii_case(op)) {
        GrantCheck::OperationNotListed
    } else if let Some(c) = constraint_failure(grant, op, req) {
        c
    } else {
        let effective_ms = grant.created_ms.saturating_add(GRANT_PROPAGATION_MS);
        if req.now_ms >= effective_ms {
            GrantCheck::Applies { by_token: false }
        } else if req.grant_tokens.contains(&grant.token) {
            GrantCheck::Applies { by_token: true }
        } else {
            GrantCheck::NotYetPropagated { effective_ms }
        }
    }
}

/// Checks one grant against a request.
pub(crate) fn check_grant(grant: &GrantFacts, req: &KmsRequest<'_>) -> GrantTrace {
    let g = GrantRequest::of(req);
    let op = g.op();
    let id = &grant.grant_id;
    let (verdict, text) = match grant_check(grant, &g) {
        GrantCheck::OtherGrantee => (
            GrantVerdict::OtherGrantee,
            format!(
                "grant {id} is for {}, not for the caller",
                grant.grantee_principal
            ),
        ),
        GrantCheck::NotAGrantOperation => (
            GrantVerdict::OperationNotListed,
            format!("grant {id} cannot allow {op}: grants only allow the grant operations"),
        ),
        GrantCheck::OperationNotListed => (
            GrantVerdict::OperationNotListed,
            format!(
                "grant {id} allows [{}], not {op}",
                grant.operations.join(", ")
            ),
        ),
        GrantCheck::ConstraintNotModelled => (
            GrantVerdict::ConstraintNotModelled,
            format!(
                "grant {id} has an encryption context constraint; CreateGrant through such a grant needs an equally strict constraint on the new grant, which this lab does not check, so the grant does not apply"
            ),
        ),
        GrantCheck::ContextNotEqual => {
            let eq = grant.encryption_context_equals.clone().unwrap_or_default();
            (
                GrantVerdict::ContextNotEqual,
                format!(
                    "grant {id} requires the encryption context to equal {}, the request has {}",
                    show(&eq),
                    show(&g.encryption_context.cloned().unwrap_or_default())
                ),
            )
        }
        GrantCheck::ContextSubsetMissing => {
            let ctx = lowered(g.encryption_context);
            let missing: Vec<String> = grant
                .encryption_context_subset
                .iter()
                .flatten()
                .filter(|(k, v)| ctx.get(&k.to_lowercase()) != Some(v))
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            let text = format!(
                "grant {id} requires the encryption context to include {}, the request has {}",
                missing.join(", "),
                show(&g.encryption_context.cloned().unwrap_or_default())
            );
            (GrantVerdict::ContextSubsetMissing { missing }, text)
        }
        GrantCheck::Applies { by_token: false } => (
            GrantVerdict::Applies { by_token: false },
            format!("grant {id} allows {op} to {}", grant.grantee_principal),
        ),
        GrantCheck::Applies { by_token: true } => (
            GrantVerdict::Applies { by_token: true },
            format!(
                "grant {id} allows {op} to {}; it has not propagated yet, but the request carries its grant token",
                grant.grantee_principal
            ),
        ),
        GrantCheck::NotYetPropagated { effective_ms } => (
            GrantVerdict::NotYetPropagated { effective_ms },
            format!(
                "grant {id} would allow {op}, but it is still propagating ({} s left) and the request carries no grant token for it",
                (effective_ms - g.now_ms + 999) / 1000
            ),
        ),
    };
    GrantTrace {
        grant_id: id.clone(),
        grantee: grant.grantee_principal.clone(),
        verdict,
        text,
    }
}

/// The request's encryption context with lower-cased keys: in a grant constraint the key of each
/// pair is not case sensitive, the value is (API_GrantConstraints.html).
fn lowered(ec: Option<&BTreeMap<String, String>>) -> BTreeMap<String, &String> {
    ec.map(|m| m.iter().map(|(k, v)| (k.to_lowercase(), v)).collect())
        .unwrap_or_default()
}

fn constraint_failure(grant: &GrantFacts, op: &str, req: &GrantRequest<'_>) -> Option<GrantCheck> {
    let constrained =
        grant.encryption_context_equals.is_some() || grant.encryption_context_subset.is_some();
    if !constrained {
        return None;
    }
    if op.eq_ignore_ascii_case("CreateGrant") {
        // "If a grant with a grant constraint includes the CreateGrant operation, the constraint
        // requires that any grants created with the CreateGrant permission have an equally
        // strict or stricter encryption context constraint" (API_CreateGrant.html). The lab
        // does not compare the new grant's constraints, so it refuses (conservatively).
        return Some(GrantCheck::ConstraintNotModelled);
    }
    let symmetric = req.key_spec == "SYMMETRIC_DEFAULT";
    if !symmetric
        || !CONTEXT_OPERATIONS
            .iter()
            .any(|o| o.eq_ignore_ascii_case(op))
    {
        return None;
    }
    let ctx = lowered(req.encryption_context);
    if let Some(eq) = &grant.encryption_context_equals {
        let equal = eq.len() == ctx.len()
            && eq
                .iter()
                .all(|(k, v)| ctx.get(&k.to_lowercase()) == Some(&v));
        if !equal {
            return Some(GrantCheck::ContextNotEqual);
        }
    }
    if let Some(sub) = &grant.encryption_context_subset
        && sub
            .iter()
            .any(|(k, v)| ctx.get(&k.to_lowercase()) != Some(&v))
    {
        return Some(GrantCheck::ContextSubsetMissing);
    }
    None
}

fn show(m: &BTreeMap<String, String>) -> String {
    let pairs: Vec<String> = m.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!("{{{}}}", pairs.join(", "))
}

/// Why a caller may retire a grant without any policy permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum RetireRight {
    /// The caller is the grant's retiring principal.
    RetiringPrincipal,
    /// The caller is the grantee and the grant includes the `RetireGrant` operation.
    GranteeWithRetireGrant,
    /// The caller is the root user of the account in which the grant was created.
    GrantAccount,
}

/// Who may retire a grant by virtue of the grant itself
/// (<https://docs.aws.amazon.com/kms/latest/developerguide/grant-delete.html>): the retiring
/// principal, the grantee if the grant includes `RetireGrant`, and (as a backup) the account in
/// which the grant was created — modelled as that account's root user; other principals of that
/// account need `kms:RetireGrant` through [`crate::authorize_kms`]. `None` means the grant gives
/// the caller no right to retire it.
pub fn retire_right(
    caller: &Caller,
    grant: &GrantFacts,
    grant_account: &str,
) -> Option<RetireRight> {
    if grant
        .retiring_principal
        .as_deref()
        .is_some_and(|r| grantee_matches(r, caller))
    {
        Some(RetireRight::RetiringPrincipal)
    } else if grantee_matches(&grant.grantee_principal, caller)
        && grant.operations.iter().any(|o| o == "RetireGrant")
    {
        Some(RetireRight::GranteeWithRetireGrant)
    } else if caller.is_root() && caller.account == grant_account {
        Some(RetireRight::GrantAccount)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grantee_matching() {
        let session = Caller::assumed_role("111122223333", "Worker", "i-1");
        assert!(grantee_matches(
            "arn:aws:iam::111122223333:role/Worker",
            &session
        ));
        assert!(grantee_matches(
            "arn:aws:sts::111122223333:assumed-role/Worker/i-1",
            &session
        ));
        assert!(!grantee_matches(
            "arn:aws:iam::111122223333:role/Other",
            &session
        ));
        let user = Caller::user("111122223333", "alice");
        assert!(grantee_matches(
            "arn:aws:iam::111122223333:user/alice",
            &user
        ));
        // An account grantee names the account, which here matches only its root user.
        assert!(!grantee_matches("arn:aws:iam::111122223333:root", &user));
        assert!(grantee_matches(
            "arn:aws:iam::111122223333:root",
            &Caller::root("111122223333")
        ));
        let svc = Caller::service("logs.amazonaws.com", "111122223333");
        assert!(grantee_matches("logs.amazonaws.com", &svc));
    }

    #[test]
    fn grant_operations_are_the_api_enum() {
        assert_eq!(GRANT_OPERATIONS.len(), 19);
        assert!(!GRANT_OPERATIONS.contains(&"ScheduleKeyDeletion"));
        assert!(
            CONTEXT_OPERATIONS
                .iter()
                .all(|o| GRANT_OPERATIONS.contains(o))
        );
    }
}
