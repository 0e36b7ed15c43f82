//! Grants: allow-only permissions for one grantee on one key.
//!
//! <https://docs.aws.amazon.com/kms/latest/developerguide/grants.html>,
//! <https://docs.aws.amazon.com/kms/latest/developerguide/using-grant-token.html>,
//! <https://docs.aws.amazon.com/kms/latest/developerguide/create-grant-overview.html>.

use std::collections::BTreeMap;

use crate::explain::{GrantTrace, GrantVerdict};
use crate::input::{Caller, CallerKind, GrantFacts};

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

/// Operations for which an encryption-context constraint is ignored: "Grants with grant
/// constraints can include the DescribeKey and RetireGrant operations, but the grant constraint
/// doesn't apply to these operations" (API_GrantConstraints.html).
const CONSTRAINT_FREE: &[&str] = &["DescribeKey", "RetireGrant"];

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
pub(crate) fn check_grant(
    grant: &GrantFacts,
    caller: &Caller,
    action: &str,
    context: Option<&BTreeMap<String, String>>,
    tokens: &[String],
    now_ms: i64,
) -> GrantTrace {
    let op = action
        .strip_prefix("kms:")
        .or_else(|| action.strip_prefix("KMS:"))
        .unwrap_or(action);
    let id = &grant.grant_id;
    let (verdict, text) = if !grantee_matches(&grant.grantee_principal, caller) {
        (
            GrantVerdict::OtherGrantee,
            format!(
                "grant {id} is for {}, not for the caller",
                grant.grantee_principal
            ),
        )
    } else if !GRANT_OPERATIONS.contains(&op) {
        (
            GrantVerdict::OperationNotListed,
            format!("grant {id} cannot allow {op}: grants only allow the grant operations"),
        )
    } else if !grant.operations.iter().any(|o| o == op) {
        (
            GrantVerdict::OperationNotListed,
            format!(
                "grant {id} allows [{}], not {op}",
                grant.operations.join(", ")
            ),
        )
    } else if let Some(v) = constraint_failure(grant, op, context) {
        v
    } else {
        let effective_ms = grant.created_ms.saturating_add(GRANT_PROPAGATION_MS);
        let by_token = tokens.contains(&grant.token);
        if now_ms >= effective_ms {
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
                    (effective_ms - now_ms + 999) / 1000
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
    context: Option<&BTreeMap<String, String>>,
) -> Option<(GrantVerdict, String)> {
    if CONSTRAINT_FREE.contains(&op) {
        return None;
    }
    let empty = BTreeMap::new();
    let ctx = context.unwrap_or(&empty);
    let id = &grant.grant_id;
    if let Some(eq) = &grant.encryption_context_equals
        && eq != ctx
    {
        return Some((
            GrantVerdict::ContextNotEqual,
            format!(
                "grant {id} requires the encryption context to equal {}, the request has {}",
                show(eq),
                show(ctx)
            ),
        ));
    }
    if let Some(sub) = &grant.encryption_context_subset {
        let missing: Vec<String> = sub
            .iter()
            .filter(|(k, v)| ctx.get(*k) != Some(*v))
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
                    show(ctx)
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
