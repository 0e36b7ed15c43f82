//! Grants: allow-only permissions for one grantee on one key.
//!
//! <https://docs.aws.amazon.com/kms/latest/developerguide/grants.html>,
//! <https://docs.aws.amazon.com/kms/latest/developerguide/using-grant-token.html>,
//! <https://docs.aws.amazon.com/kms/latest/developerguide/create-grant-overview.html>.

use std::collections::BTreeMap;

use crate::explain::{GrantTrace, GrantVerdict};
use crate::input::{Caller, CallerKind, GrantFacts, KmsRequest};

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
    "Decrypt",
    "DeriveSharedSecret",
    "DescribeKey",
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
    if grantee == caller.arn {
        return true;
    }
    match &caller.kind {
        CallerKind::AssumedRole { role_arn } => grantee == role_arn,
        CallerKind::Service { name } => grantee == name,
        CallerKind::User | CallerKind::Root => false,
    }
}

/// Checks one grant against a request.
pub(crate) fn check_grant(grant: &GrantFacts, req: &KmsRequest<'_>) -> GrantTrace {
    let caller = req.caller;
    let action = req.action;
    let op = action.split_once(':').map_or(action, |(_, op)| op);
    let id = &grant.grant_id;
    let (verdict, text) = if !grantee_matches(&grant.grantee_principal, caller) {
        (
            GrantVerdict::OtherGrantee,
            format!(
                "grant {id} is for {}, not for the caller",
                grant.grantee_principal
            ),
        )
    } else if !GRANT_OPERATIONS.iter().any(|g| g.eq_ignore_ascii_case(op)) {
        (
            GrantVerdict::OperationNotListed,
            format!("grant {id} cannot allow {op}: grants only allow the grant operations"),
        )
    } else if !grant.operations.iter().any(|o| o.eq_ignore_ascii_case(op)) {
        (
            GrantVerdict::OperationNotListed,
            format!(
                "grant {id} allows [{}], not {op}",
                grant.operations.join(", ")
            ),
        )
    } else if let Some(v) = constraint_failure(grant, op, req) {
        v
    } else {
        let effective_ms = grant.created_ms.saturating_add(GRANT_PROPAGATION_MS);
        let by_token = req.grant_tokens.contains(&grant.token);
        if req.now_ms >= effective_ms {
            (
                GrantVerdict::Applies { by_token: false },
                format!("grant {id} allows {op} to {}", grant.grantee_principal),
            )
        } else if by_token {
            (
                GrantVerdict::Applies { by_token: true },
                format!(
                    "grant {id} allows {op} to {}; it has not propagated yet, but the request carries its grant token",
                    grant.grantee_principal
                ),
            )
        } else {
            (
                GrantVerdict::NotYetPropagated { effective_ms },
                format!(
                    "grant {id} would allow {op}, but it is still propagating ({} s left) and the request carries no grant token for it",
                    (effective_ms - req.now_ms + 999) / 1000
                ),
            )
        }
    };
    GrantTrace {
        grant_id: id.clone(),
        grantee: grant.grantee_principal.clone(),
        verdict,
        text,
    }
}

fn constraint_failure(
    grant: &GrantFacts,
    op: &str,
    req: &KmsRequest<'_>,
) -> Option<(GrantVerdict, String)> {
    let id = &grant.grant_id;
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
        return Some((
            GrantVerdict::ConstraintNotModelled,
            format!(
                "grant {id} has an encryption context constraint; CreateGrant through such a grant needs an equally strict constraint on the new grant, which this lab does not check, so the grant does not apply"
            ),
        ));
    }
    let symmetric = req.key.key_spec == "SYMMETRIC_DEFAULT";
    if !symmetric
        || !CONTEXT_OPERATIONS
            .iter()
            .any(|o| o.eq_ignore_ascii_case(op))
    {
        return None;
    }
    // In a grant constraint the key of each pair is not case sensitive, the value is
    // (API_GrantConstraints.html).
    let ctx: BTreeMap<String, &String> = req
        .encryption_context
        .map(|m| m.iter().map(|(k, v)| (k.to_lowercase(), v)).collect())
        .unwrap_or_default();
    let shown = req.encryption_context.cloned().unwrap_or_default();
    if let Some(eq) = &grant.encryption_context_equals {
        let equal = eq.len() == ctx.len()
            && eq
                .iter()
                .all(|(k, v)| ctx.get(&k.to_lowercase()) == Some(&v));
        if !equal {
            return Some((
                GrantVerdict::ContextNotEqual,
                format!(
                    "grant {id} requires the encryption context to equal {}, the request has {}",
                    show(eq),
                    show(&shown)
                ),
            ));
        }
    }
    if let Some(sub) = &grant.encryption_context_subset {
        let missing: Vec<String> = sub
            .iter()
            .filter(|(k, v)| ctx.get(&k.to_lowercase()) != Some(v))
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        if !missing.is_empty() {
            return Some((
                GrantVerdict::ContextSubsetMissing {
                    missing: missing.clone(),
                },
                format!(
                    "grant {id} requires the encryption context to include {}, the request has {}",
                    missing.join(", "),
                    show(&shown)
                ),
            ));
        }
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
        assert_eq!(GRANT_OPERATIONS.len(), 17);
        assert!(!GRANT_OPERATIONS.contains(&"ScheduleKeyDeletion"));
        assert!(
            CONTEXT_OPERATIONS
                .iter()
                .all(|o| GRANT_OPERATIONS.contains(o))
        );
    }
}
