//! `grants-for-services`: temporary, constrained, retirable access through a grant, the way AWS
//! services such as EBS and RDS get it.

use policy::{Limits, PolicyDocument, PolicyKind};

use super::{APP_ROLE, Checks, PROD, b64, cannot_decrypt, decrypts_to, role_policy_changed};
use crate::scenario::probe::policies::{delegates_to_account, same_statements};
use crate::scenario::probe::shapes::Grant;
use crate::scenario::{Probe, Seen, Verdict};

const NIGHTLY: &str = "nightly run 2026-11-22: 40,112 rows reconciled\n";
const ADHOC: &str = "ad-hoc export for legal hold #88\n";
/// The key policy the setup creates the key with: only the Admin user may use the key.
const POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"KeyOwner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/Admin"},"Action":"kms:*","Resource":"*"}]}"#;

pub(super) const CHECKS: Checks = Checks {
    id: "grants-for-services",
    objectives: &[
        ("nightly", nightly),
        ("constrained", constrained),
        ("via-grant", via_grant),
        ("retirable", retirable),
    ],
    wrong_turns: &[
        ("key-policy-edited", key_policy_edited),
        ("unconstrained", unconstrained),
        ("iam-ignored", iam_ignored),
    ],
    values: |_| {
        vec![
            ("POLICY", POLICY.to_owned()),
            ("NIGHTLY_B64", b64(NIGHTLY)),
            ("ADHOC_B64", b64(ADHOC)),
        ]
    },
    ..Checks::BASE
};

fn nightly(p: &mut Probe) -> Verdict {
    // The worker runs later without the grant token: let grants propagate first.
    p.settle();
    decrypts_to(
        p,
        "app",
        "nightly.bin",
        Some(&[("job", "nightly")]),
        NIGHTLY,
    )
}

fn constrained(p: &mut Probe) -> Verdict {
    nightly(p).and(|| cannot_decrypt(p, "app", "adhoc.bin", Some(&[("job", "adhoc")])))
}

fn app_grants(p: &mut Probe) -> Vec<Grant> {
    let key = p.var("BATCH_KEY");
    p.kms("admin")
        .grants(&key)
        .unwrap_or_default()
        .into_iter()
        .filter(|g| g.grantee_principal.as_deref() == Some(APP_ROLE))
        .collect()
}

fn policy_unchanged(p: &mut Probe) -> bool {
    let key = p.var("BATCH_KEY");
    let Ok(want) = PolicyDocument::parse(POLICY, PolicyKind::Resource, Limits::none()) else {
        return false;
    };
    p.key_policy(&key)
        .is_some_and(|now| same_statements(&now, &want))
}

fn via_grant(p: &mut Probe) -> Verdict {
    nightly(p).and(|| {
        let grants = app_grants(p);
        if grants.is_empty() {
            return Verdict::fail("No grant names AppRole as grantee.");
        }
        if !policy_unchanged(p) {
            return Verdict::fail("A grant exists, but the key policy was changed too.");
        }
        Verdict::pass(format!(
            "{} grant(s) for AppRole; the key policy is unchanged.",
            grants.len()
        ))
    })
}

fn retirable(p: &mut Probe) -> Verdict {
    let grants = app_grants(p);
    if grants
        .iter()
        .any(|g| g.retiring_principal.as_deref() == Some(APP_ROLE))
    {
        Verdict::pass("The worker's grant names AppRole as retiring principal.")
    } else if grants.is_empty() {
        Verdict::fail("No grant names AppRole as grantee.")
    } else {
        Verdict::fail("The grant names no retiring principal (or another one than AppRole).")
    }
}

fn key_policy_edited(p: &mut Probe) -> Option<Seen> {
    (!policy_unchanged(p)).then(Seen::it)
}

fn unconstrained(p: &mut Probe) -> Option<Seen> {
    app_grants(p)
        .iter()
        .any(|g| g.constraints.is_none())
        .then(Seen::it)
}

fn iam_ignored(p: &mut Probe) -> Option<Seen> {
    let key = p.var("BATCH_KEY");
    let pol = p.key_policy(&key)?;
    (role_policy_changed(p, "AppRole") && !delegates_to_account(&pol, PROD)).then(Seen::it)
}
