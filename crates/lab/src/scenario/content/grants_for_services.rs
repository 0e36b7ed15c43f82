//! `grants-for-services`: temporary, constrained, retirable access through a grant, the way AWS
//! services such as EBS and RDS get it.

use serde_json::{Value, json};

use super::{
    APP_ROLE, IAM_IGNORED, PROD, always, b64, cannot_decrypt, decrypts_to, role_policy_changed,
};
use crate::scenario::probe::has_root_statement;
use crate::scenario::{
    Availability, Difficulty, Hint, Objective, Probe, Scenario, Solution, Verdict, WrongTurn,
};

const NIGHTLY: &str = "nightly run 2026-11-22: 40,112 rows reconciled\n";
const ADHOC: &str = "ad-hoc export for legal hold #88\n";
const POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"KeyOwner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/Admin"},"Action":"kms:*","Resource":"*"}]}"#;

fn setup(_seed: u64) -> String {
    format!(
        "\
BATCH_KEY=$(aws kms create-key --description \"Batch exports\" --policy '{POLICY}' --query KeyMetadata.KeyId --output text)
aws kms create-alias --alias-name alias/batch --target-key-id $BATCH_KEY
aws kms encrypt --key-id $BATCH_KEY --plaintext {} --encryption-context job=nightly --query CiphertextBlob --output text | base64 --decode > nightly.bin
aws kms encrypt --key-id $BATCH_KEY --plaintext {} --encryption-context job=adhoc --query CiphertextBlob --output text | base64 --decode > adhoc.bin
",
        b64(NIGHTLY),
        b64(ADHOC)
    )
}

fn nightly(p: &mut Probe) -> Verdict {
    // The worker runs later without the grant token: let grants propagate first.
    p.settle();
    decrypts_to(
        p,
        "app",
        "nightly.bin",
        Some(json!({ "job": "nightly" })),
        NIGHTLY,
    )
}

fn constrained(p: &mut Probe) -> Verdict {
    nightly(p).and(|| cannot_decrypt(p, "app", "adhoc.bin", Some(json!({ "job": "adhoc" }))))
}

fn app_grants(p: &mut Probe) -> Vec<Value> {
    let key = p.var("BATCH_KEY");
    p.kms("admin", "ListGrants", json!({ "KeyId": key }))
        .ok()
        .and_then(|v| v["Grants"].as_array().cloned())
        .unwrap_or_default()
        .into_iter()
        .filter(|g| g["GranteePrincipal"] == APP_ROLE)
        .collect()
}

fn policy_unchanged(p: &mut Probe) -> bool {
    let key = p.var("BATCH_KEY");
    let want: Value = serde_json::from_str(POLICY).unwrap_or_default();
    p.key_policy(&key) == Some(want)
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
    if grants.iter().any(|g| g["RetiringPrincipal"] == APP_ROLE) {
        Verdict::pass("The worker's grant names AppRole as retiring principal.")
    } else if grants.is_empty() {
        Verdict::fail("No grant names AppRole as grantee.")
    } else {
        Verdict::fail("The grant names no retiring principal (or another one than AppRole).")
    }
}

fn key_policy_edited(p: &mut Probe) -> Option<String> {
    (!policy_unchanged(p)).then(|| {
        "You edited the key policy. A policy change is permanent and broad until someone edits it back; a grant \
gives one principal specific operations, can carry an encryption-context constraint, and is retired or revoked \
when the job ends."
            .to_owned()
    })
}

fn unconstrained(p: &mut Probe) -> Option<String> {
    app_grants(p)
        .iter()
        .any(|g| g.get("Constraints").is_none_or(Value::is_null))
        .then(|| {
            "A grant for AppRole has no constraints, so the worker can decrypt every job's data. Add \
EncryptionContextEquals or EncryptionContextSubset with job=nightly."
                .to_owned()
        })
}

fn iam_ignored(p: &mut Probe) -> Option<String> {
    let key = p.var("BATCH_KEY");
    let pol = p.key_policy(&key)?;
    (role_policy_changed(p, "AppRole") && !has_root_statement(&pol, PROD))
        .then(|| IAM_IGNORED.to_owned())
}

const EQUALS: &str = "\
aws kms create-grant --key-id $BATCH_KEY --grantee-principal arn:aws:iam::111122223333:role/AppRole --retiring-principal arn:aws:iam::111122223333:role/AppRole --operations Decrypt --constraints EncryptionContextEquals={job=nightly}
";

const SUBSET: &str = "\
GRANT_TOKEN=$(aws kms create-grant --key-id $BATCH_KEY --grantee-principal arn:aws:iam::111122223333:role/AppRole --retiring-principal arn:aws:iam::111122223333:role/AppRole --operations Decrypt DescribeKey --constraints EncryptionContextSubset={job=nightly} --query GrantToken --output text)
aws kms decrypt --profile app --ciphertext-blob fileb://nightly.bin --encryption-context job=nightly --grant-tokens $GRANT_TOKEN --query Plaintext --output text
";

pub(super) const SCENARIO: Scenario = Scenario {
    id: "grants-for-services",
    title: "Give the batch worker a grant, not a policy",
    exam: "SOA-C03 Domain 4 (Security and Compliance): KMS access with grants; SAA-C03 Domain 1 (Design Secure Architectures)",
    difficulty: Difficulty::Intermediate,
    minutes: 20,
    availability: Availability::Playable,
    story: "The key alias/batch protects two kinds of exports: the nightly job's (nightly.bin, encryption context \
job=nightly) and ad-hoc legal exports (adhoc.bin, job=adhoc). Only the Admin user may use the key today. A \
new batch worker running as AppRole (profile app) must read the nightly exports, but never the legal ones, \
and must be able to give up its access when the job is retired, the way EBS and RDS use grants for volumes \
and databases. The security team does not want the key policy touched.",
    setup,
    record_vars: &["BATCH_KEY"],
    files: &["nightly.bin", "adhoc.bin"],
    objectives: &[
        Objective {
            id: "nightly",
            text: "As app, decrypt nightly.bin (encryption context job=nightly).",
            success: "A grant allowed Decrypt although neither the key policy nor IAM names AppRole.",
            check: nightly,
            pending: None,
        },
        Objective {
            id: "constrained",
            text: "As app, decrypting adhoc.bin (job=adhoc) must still be denied.",
            success: "Grant constraints on the encryption context limit a grant to matching requests only.",
            check: constrained,
            pending: None,
        },
        Objective {
            id: "via-grant",
            text: "Access comes from a grant for AppRole; the key policy is unchanged.",
            success: "Grants are the KMS mechanism for temporary, delegated access; services like EBS create them per volume.",
            check: via_grant,
            pending: None,
        },
        Objective {
            id: "retirable",
            text: "The worker can retire its own grant: name AppRole as the retiring principal.",
            success: "A retiring principal (or the grantee) retires a grant with RetireGrant; administrators revoke with RevokeGrant.",
            check: retirable,
            pending: None,
        },
    ],
    hints: &[
        Hint {
            text: "`aws kms create-grant help`: a grant names a grantee principal, operations, and optional constraints and retiring principal.",
            cost: 10,
        },
        Hint {
            text: "Constraints use the shorthand `--constraints EncryptionContextEquals={job=nightly}` (or EncryptionContextSubset).",
            cost: 20,
        },
        Hint {
            text: "Grants are eventually consistent in AWS: use the returned GrantToken (`--grant-tokens`) to use a grant immediately.",
            cost: 10,
        },
    ],
    wrong_turns: &[
        WrongTurn {
            id: "key-policy-edited",
            detect: key_policy_edited,
        },
        WrongTurn {
            id: "unconstrained",
            detect: unconstrained,
        },
        WrongTurn {
            id: "iam-ignored",
            detect: iam_ignored,
        },
    ],
    solutions: &[
        Solution {
            route: "context-equals",
            script: |_| Some(EQUALS.to_owned()),
        },
        Solution {
            route: "context-subset",
            script: |_| Some(SUBSET.to_owned()),
        },
    ],
    debrief: "A grant is a per-key allow (never a deny) for one grantee principal and a list of operations, with \
optional encryption-context constraints and a retiring principal. Grants need no key policy or IAM change, \
which is why AWS services use them: EBS and RDS create grants so that the service can decrypt a volume's data \
key while it is attached. Grants are eventually consistent (usually within five minutes); a grant token makes \
a new grant usable at once. The grantee or the retiring principal retires a grant; an administrator with \
kms:RevokeGrant revokes it. To let services create grants for your principals only when acting for AWS \
resources, use the kms:GrantIsForAWSResource condition.",
    docs: &[
        "https://docs.aws.amazon.com/kms/latest/developerguide/grants.html",
        "https://docs.aws.amazon.com/kms/latest/developerguide/create-grant-overview.html",
        "https://docs.aws.amazon.com/kms/latest/developerguide/using-grant-token.html",
        "https://docs.aws.amazon.com/kms/latest/APIReference/API_GrantConstraints.html",
    ],
    needs_enforcement: always,
    diagnose_from_cloudtrail: super::never,
};
