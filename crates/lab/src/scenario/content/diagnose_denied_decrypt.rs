//! `diagnose-denied-decrypt`: the application cannot decrypt; the seed picks why (key policy,
//! IAM policy, revoked grant, disabled key, or encryption context).

use serde_json::json;

use super::{
    IAM_IGNORED, PROD, always, b64, cannot_decrypt, decrypts_to, key_state, role_policy_changed,
};
use crate::scenario::probe::{allows_everyone, has_root_statement};
use crate::scenario::{
    Availability, Difficulty, Hint, Objective, Probe, Scenario, Solution, Verdict, WrongTurn,
};

/// Why the application's Decrypt fails in a variant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cause {
    KeyPolicy,
    Iam,
    Grant,
    Disabled,
    Context,
}

const CAUSES: [Cause; 5] = [
    Cause::KeyPolicy,
    Cause::Iam,
    Cause::Grant,
    Cause::Disabled,
    Cause::Context,
];
const SECRETS: [&str; 3] = [
    "wire transfer batch 2026-11-22 approved by CFO\n",
    "payroll export November: 212 employees\n",
    "supplier bank details update: 14 vendors\n",
];

fn index(n: u64, len: usize) -> usize {
    usize::try_from(n % u64::try_from(len).unwrap_or(1)).unwrap_or(0)
}

fn cause(seed: u64) -> Cause {
    CAUSES
        .get(index(seed, CAUSES.len()))
        .copied()
        .unwrap_or(Cause::Disabled)
}

fn secret(seed: u64) -> &'static str {
    SECRETS
        .get(index(seed / 5, SECRETS.len()))
        .copied()
        .unwrap_or_default()
}

fn token(c: Cause) -> &'static str {
    match c {
        Cause::KeyPolicy => "key-policy",
        Cause::Iam => "iam-policy",
        Cause::Grant => "grant",
        Cause::Disabled => "disabled-key",
        Cause::Context => "encryption-context",
    }
}

const ADMIN: &str = r#"{"Sid":"KeyOwner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/Admin"},"Action":"kms:*","Resource":"*"}"#;
const SEC_ADMIN: &str = r#"{"Sid":"KeyAdministrators","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/SecurityAdmin"},"Action":["kms:Describe*","kms:Enable*","kms:Disable*","kms:Get*","kms:List*","kms:Put*","kms:Update*","kms:Revoke*","kms:ScheduleKeyDeletion","kms:CancelKeyDeletion"],"Resource":"*"}"#;
const ROOT: &str = r#"{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}"#;
const APP_USE: &str = r#"{"Sid":"AppDecrypts","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/AppRole"},"Action":["kms:Decrypt","kms:Encrypt","kms:GenerateDataKey*","kms:DescribeKey"],"Resource":"*"}"#;
const APP_IAM: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"AppKeyUse","Effect":"Allow","Action":["kms:Encrypt","kms:Decrypt","kms:GenerateDataKey*","kms:DescribeKey"],"Resource":"*"}]}"#;
const APP_IAM_NO_DECRYPT: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"AppKeyUse","Effect":"Allow","Action":["kms:Encrypt","kms:GenerateDataKey*","kms:DescribeKey"],"Resource":"*"}]}"#;

fn policy(statements: &[&str]) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        statements.join(",")
    )
}

fn setup(seed: u64) -> String {
    let c = cause(seed);
    let create_policy = if c == Cause::KeyPolicy {
        format!(" --policy '{}'", policy(&[ADMIN, SEC_ADMIN]))
    } else {
        String::new()
    };
    let context = if c == Cause::Context {
        "Department=Finance"
    } else {
        "department=finance"
    };
    let variant = match c {
        Cause::KeyPolicy | Cause::Context => String::new(),
        Cause::Iam => format!(
            "aws iam put-role-policy --role-name AppRole --policy-name AppKeyUse --policy-document '{APP_IAM_NO_DECRYPT}'\n"
        ),
        Cause::Grant => "\
aws iam delete-role-policy --role-name AppRole --policy-name AppKeyUse
T=$(aws kms create-grant --key-id $KEY_ID --grantee-principal arn:aws:iam::111122223333:role/AppRole --operations Decrypt --query GrantId --output text)
aws kms revoke-grant --key-id $KEY_ID --grant-id $T
"
        .to_owned(),
        Cause::Disabled => "aws kms disable-key --key-id $KEY_ID --profile security-admin\n".to_owned(),
    };
    format!(
        "\
KEY_ID=$(aws kms create-key --description \"Finance exports\"{create_policy} --query KeyMetadata.KeyId --output text)
aws kms create-alias --alias-name alias/finance --target-key-id $KEY_ID
aws kms encrypt --key-id alias/finance --plaintext {} --encryption-context {context} --query CiphertextBlob --output text | base64 --decode > secret.bin
{variant}T=done
try aws kms decrypt --profile app --ciphertext-blob fileb://secret.bin --encryption-context department=finance --query Plaintext --output text
",
        b64(secret(seed))
    )
}

fn app_decrypts(p: &mut Probe) -> Verdict {
    let s = secret(p.seed());
    // The application's next run comes later, without a grant token: let grants propagate.
    p.settle();
    decrypts_to(
        p,
        "app",
        "secret.bin",
        Some(json!({ "department": "finance" })),
        s,
    )
}

fn least_privilege(p: &mut Probe) -> Verdict {
    let key = p.var("KEY_ID");
    app_decrypts(p)
        .and(|| {
            cannot_decrypt(
                p,
                "security-admin",
                "secret.bin",
                Some(json!({ "department": "finance" })),
            )
        })
        .and(|| {
            cannot_decrypt(
                p,
                "partner-admin",
                "secret.bin",
                Some(json!({ "department": "finance" })),
            )
        })
        .and(|| match p.key_policy(&key) {
            Some(pol) if allows_everyone(&pol) => Verdict::fail("The key policy allows everyone."),
            Some(_) => Verdict::pass("The key policy names its principals."),
            None => Verdict::fail("GetKeyPolicy failed."),
        })
}

fn diagnosis(p: &mut Probe) -> Verdict {
    let want = token(cause(p.seed()));
    let Some(text) = p.file("diagnosis.txt") else {
        return Verdict::fail("diagnosis.txt does not exist yet.");
    };
    let text = String::from_utf8_lossy(&text).to_lowercase();
    let first = text
        .split(|c: char| c.is_whitespace() || c == ':' || c == ',' || c == '.')
        .find(|w| !w.is_empty())
        .unwrap_or_default()
        .to_owned();
    if first == want {
        Verdict::pass(format!("diagnosis.txt names the cause: {want}."))
    } else if first.is_empty() {
        Verdict::fail("diagnosis.txt is empty.")
    } else {
        Verdict::fail(format!(
            "diagnosis.txt starts with `{first}`, which is not the cause."
        ))
    }
}

fn everyone(p: &mut Probe) -> Option<String> {
    let key = p.var("KEY_ID");
    allows_everyone(&p.key_policy(&key)?).then(|| {
        "The key policy now allows \"Principal\": \"*\". That fixes the symptom by opening the key to every \
principal an IAM policy lets through, in any account. Fix the one missing permission instead."
            .to_owned()
    })
}

fn iam_ignored(p: &mut Probe) -> Option<String> {
    let key = p.var("KEY_ID");
    let pol = p.key_policy(&key)?;
    (role_policy_changed(p, "AppRole") && !has_root_statement(&pol, PROD))
        .then(|| IAM_IGNORED.to_owned())
}

fn admin_reads(p: &mut Probe) -> Option<String> {
    if !crate::enforcement_active() {
        return None;
    }
    p.decrypt_file("security-admin", "secret.bin", Some(json!({ "department": "finance" })))
        .is_ok()
        .then(|| {
            "security-admin can now decrypt secret.bin. Key administrators should not be able to read the data \
they protect: give the permission to AppRole only."
                .to_owned()
        })
}

fn wrong_state(p: &mut Probe) -> Option<String> {
    let key = p.var("KEY_ID");
    let state = key_state(p, &key).ok()?;
    (state == "PendingDeletion").then(|| {
        "The key is pending deletion. That never fixes access; cancel the deletion (and enable the key).".to_owned()
    })
}

fn diag(c: Cause, why: &str) -> String {
    format!("echo \"{}: {why}\" > diagnosis.txt\n", token(c))
}

fn solve_main(seed: u64) -> Option<String> {
    let c = cause(seed);
    Some(match c {
        Cause::KeyPolicy => format!(
            "aws kms put-key-policy --key-id $KEY_ID --policy-name default --policy '{}'\n{}",
            policy(&[ADMIN, SEC_ADMIN, APP_USE]),
            diag(
                c,
                "the key policy has no root statement, so the IAM allow for AppRole was ignored"
            )
        ),
        Cause::Iam => format!(
            "aws iam put-role-policy --role-name AppRole --policy-name AppKeyUse --policy-document '{APP_IAM}'\n{}",
            diag(c, "AppRole's IAM policy lost kms:Decrypt")
        ),
        Cause::Grant => format!(
            "aws kms create-grant --key-id $KEY_ID --grantee-principal arn:aws:iam::111122223333:role/AppRole --operations Decrypt\n{}",
            diag(
                c,
                "the grant AppRole relied on was revoked (RevokeGrant in CloudTrail)"
            )
        ),
        Cause::Disabled => format!(
            "aws kms enable-key --key-id $KEY_ID\n{}",
            diag(c, "DisabledException; security-admin disabled the key")
        ),
        Cause::Context => format!(
            "aws kms re-encrypt --ciphertext-blob fileb://secret.bin --source-encryption-context Department=Finance --destination-key-id $KEY_ID --destination-encryption-context department=finance --query CiphertextBlob --output text | base64 --decode > secret.bin\n{}",
            diag(
                c,
                "InvalidCiphertextException; the data was encrypted with Department=Finance and the context is case-sensitive"
            )
        ),
    })
}

fn solve_alternative(seed: u64) -> Option<String> {
    let c = cause(seed);
    match c {
        Cause::KeyPolicy => Some(format!(
            "aws kms put-key-policy --key-id $KEY_ID --policy-name default --policy '{}'\n{}",
            policy(&[ROOT, ADMIN, SEC_ADMIN]),
            diag(
                c,
                "restored the root statement so AppRole's IAM policy counts again"
            )
        )),
        Cause::Grant => Some(format!(
            "aws iam put-role-policy --role-name AppRole --policy-name AppKeyUse --policy-document '{APP_IAM}'\n{}",
            diag(
                c,
                "the revoked grant was AppRole's only permission; IAM now allows Decrypt"
            )
        )),
        _ => None,
    }
}

pub(super) const SCENARIO: Scenario = Scenario {
    id: "diagnose-denied-decrypt",
    title: "Why can't the finance app decrypt?",
    exam: "SOA-C03 Domain 4 (Security and Compliance): troubleshoot access; Domain 1 (Monitoring): CloudTrail analysis",
    difficulty: Difficulty::Advanced,
    minutes: 25,
    availability: Availability::Playable,
    story: "The finance application (profile app, role AppRole) decrypts secret.bin with the encryption context \
department=finance. Since this morning the call fails, and the on-call engineer has already proposed \
\"just allow kms:* to everyone\". Find the real cause (CloudTrail, the key policy, IAM, grants, the key \
state and the context are all fair game), fix it with the least privilege, and write your diagnosis to \
diagnosis.txt, starting with one of: key-policy, iam-policy, grant, disabled-key, encryption-context. \
The cause is drawn at random when the scenario starts; Restart may draw a different one.",
    setup,
    record_vars: &["KEY_ID"],
    files: &["secret.bin", "diagnosis.txt"],
    objectives: &[
        Objective {
            id: "app-decrypts",
            text: "As app, `aws kms decrypt --ciphertext-blob fileb://secret.bin --encryption-context department=finance` returns the data.",
            success: "The application works again, with the exact call it always made.",
            check: app_decrypts,
            pending: None,
        },
        Objective {
            id: "least-privilege",
            text: "Fixed without opening the key: security-admin and the partner account still cannot decrypt, and no policy allows everyone.",
            success: "The fix added only the missing permission (or state, or context), nothing broader.",
            check: least_privilege,
            pending: None,
        },
        Objective {
            id: "diagnosis",
            text: "Write the root cause to diagnosis.txt (first word: key-policy, iam-policy, grant, disabled-key or encryption-context).",
            success: "Naming the layer that denied is what the exam asks: key policy, IAM, grant, key state or context.",
            check: diagnosis,
            pending: None,
        },
    ],
    hints: &[
        Hint {
            text: "Start with the error itself: `aws cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=Decrypt` shows the app's failed call and its errorCode.",
            cost: 10,
        },
        Hint {
            text: "AccessDeniedException means a permission layer (key policy, IAM, grants); DisabledException the key state; InvalidCiphertextException usually a different encryption context.",
            cost: 20,
        },
        Hint {
            text: "Compare `aws kms get-key-policy --key-id $KEY_ID --policy-name default`, `aws iam get-role-policy --role-name AppRole --policy-name AppKeyUse`, `aws kms list-grants --key-id $KEY_ID` and the Encrypt event's encryptionContext in CloudTrail.",
            cost: 30,
        },
    ],
    wrong_turns: &[
        WrongTurn {
            id: "everyone",
            detect: everyone,
        },
        WrongTurn {
            id: "iam-ignored",
            detect: iam_ignored,
        },
        WrongTurn {
            id: "admin-reads",
            detect: admin_reads,
        },
        WrongTurn {
            id: "pending-deletion",
            detect: wrong_state,
        },
    ],
    solutions: &[
        Solution {
            route: "fix",
            script: solve_main,
        },
        Solution {
            route: "alternative",
            script: solve_alternative,
        },
    ],
    debrief: "KMS denies Decrypt for five common reasons. (1) The key policy allows neither the caller nor the \
account root: IAM allows are then ignored. (2) The key policy delegates to IAM, but no IAM policy allows \
kms:Decrypt. (3) Access came from a grant that was retired or revoked. (4) The key is disabled \
(DisabledException) or pending deletion (KMSInvalidStateException). (5) The encryption context differs from \
the one used at encryption; it must match exactly, case included (InvalidCiphertextException). CloudTrail \
records the failed call with its errorCode, and the Encrypt event shows the context that was used, since \
the context is logged in plaintext. Fix the one layer that failed; never open the key to \"*\".",
    docs: &[
        "https://docs.aws.amazon.com/kms/latest/developerguide/policy-evaluation.html",
        "https://docs.aws.amazon.com/kms/latest/developerguide/troubleshooting-key-policies.html",
        "https://docs.aws.amazon.com/kms/latest/developerguide/encrypt_context.html",
        "https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html",
    ],
    // Every variant's least-privilege objective needs enforcement (security-admin must be denied).
    needs_enforcement: always,
    // Advanced: the learner finds the cause in CloudTrail, so the "Why?" card must not name it.
    diagnose_from_cloudtrail: always,
};

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::scenario::testing::started;
    use crate::scenario::{restart, start};

    #[test]
    fn restart_with_new_seeds_draws_different_causes() {
        let id = "diagnose-denied-decrypt";
        let mut s = started(id, 0);
        let mut causes = BTreeSet::new();
        let mut outcomes = BTreeSet::new();
        for seed in 1..=5 {
            restart(&mut s, id, seed).unwrap();
            let p = crate::progress::scenario(&s.progress, id).unwrap();
            assert_eq!(p.seed, seed);
            causes.insert(token(cause(p.seed)));
            // What the application sees differs too, not only the recorded seed.
            let out = s.run_line_in_memory(
                "aws kms decrypt --profile app --ciphertext-blob fileb://secret.bin --encryption-context department=finance",
            );
            outcomes.insert(out.error_code.unwrap_or_else(|| "ok".into()));
        }
        assert!(causes.len() >= 2, "{causes:?}");
        assert!(outcomes.len() >= 2, "{outcomes:?}");
        // Starting again with a seed gives that seed's variant, whatever ran before.
        start(&mut s, id, 3).unwrap();
        assert_eq!(cause(3), Cause::Disabled);
        let out = s.run_line_in_memory(
            "aws kms decrypt --profile app --ciphertext-blob fileb://secret.bin --encryption-context department=finance",
        );
        assert_eq!(out.error_code.as_deref(), Some("DisabledException"));
    }
}
