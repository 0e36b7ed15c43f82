//! `separation-of-duties`: key administrators cannot use the key; key users cannot administer it.

use serde_json::json;

use super::{
    IAM_IGNORED, PROD, allowed, always, b64, cannot_decrypt, decrypts_to, denied,
    role_policy_changed,
};
use crate::scenario::probe::{allows_everyone, has_root_statement};
use crate::scenario::{
    Availability, Difficulty, Hint, Objective, Probe, Scenario, Solution, Verdict, WrongTurn,
};

const HR: &str = "employee 4711: salary band 7, review due 2027-01\n";

fn setup(_seed: u64) -> String {
    format!(
        "\
HR_KEY=$(aws kms create-key --description \"HR records\" --query KeyMetadata.KeyId --output text)
aws kms create-alias --alias-name alias/hr --target-key-id $HR_KEY
aws kms encrypt --key-id alias/hr --plaintext {} --query CiphertextBlob --output text | base64 --decode > hr.bin
aws iam put-role-policy --role-name SecurityAdmin --policy-name KeyAdministration --policy-document '{{\"Version\":\"2012-10-17\",\"Statement\":[{{\"Sid\":\"TooBroad\",\"Effect\":\"Allow\",\"Action\":\"kms:*\",\"Resource\":\"*\"}}]}}'
aws iam put-role-policy --role-name AppRole --policy-name AppKeyUse --policy-document '{{\"Version\":\"2012-10-17\",\"Statement\":[{{\"Sid\":\"TooBroad\",\"Effect\":\"Allow\",\"Action\":\"kms:*\",\"Resource\":\"*\"}}]}}'
",
        b64(HR)
    )
}

fn admin_cannot_read(p: &mut Probe) -> Verdict {
    let key = p.var("HR_KEY");
    allowed(p, "security-admin", "DescribeKey", json!({ "KeyId": key }))
        .and(|| {
            allowed(
                p,
                "security-admin",
                "EnableKeyRotation",
                json!({ "KeyId": key }),
            )
        })
        .and(|| cannot_decrypt(p, "security-admin", "hr.bin", None))
}

fn app_cannot_administer(p: &mut Probe) -> Verdict {
    let key = p.var("HR_KEY");
    decrypts_to(p, "app", "hr.bin", None, HR)
        .and(|| denied(p, "app", "DisableKey", json!({ "KeyId": key })))
        .and(|| {
            denied(
                p,
                "app",
                "ScheduleKeyDeletion",
                json!({ "KeyId": key, "PendingWindowInDays": 7 }),
            )
        })
        .and(|| {
            let policy = p
                .key_policy(&key)
                .map(|v| v.to_string())
                .unwrap_or_default();
            denied(
                p,
                "app",
                "PutKeyPolicy",
                json!({ "KeyId": key, "PolicyName": "default", "Policy": policy }),
            )
        })
}

fn no_lockout(p: &mut Probe) -> Verdict {
    let key = p.var("HR_KEY");
    let both = admin_cannot_read(p).passed && app_cannot_administer(p).passed;
    if !both {
        return Verdict::fail("Finish the first two objectives first.");
    }
    match p.key_policy(&key) {
        Some(pol) if has_root_statement(&pol, PROD) && !allows_everyone(&pol) => Verdict::pass(
            "The key policy still lets the account manage the key through IAM, and opens it to no one else.",
        ),
        Some(_) => Verdict::fail(
            "The key policy no longer has the account root statement (or allows everyone).",
        ),
        None => Verdict::fail("GetKeyPolicy failed."),
    }
}

fn no_root(p: &mut Probe) -> Option<String> {
    let key = p.var("HR_KEY");
    let pol = p.key_policy(&key)?;
    if has_root_statement(&pol, PROD) {
        return None;
    }
    if role_policy_changed(p, "SecurityAdmin") || role_policy_changed(p, "AppRole") {
        return Some(IAM_IGNORED.to_owned());
    }
    Some("The key policy has no statement for the account root: IAM policies no longer count for this key, and \
if the principals it names are deleted nobody can manage it. Keep \"Enable IAM User Permissions\"."
        .to_owned())
}

fn everyone(p: &mut Probe) -> Option<String> {
    let key = p.var("HR_KEY");
    allows_everyone(&p.key_policy(&key)?).then(|| {
        "The key policy allows \"Principal\": \"*\" without conditions: any principal in any account that an \
IAM policy lets through can use it. Name the principals instead."
            .to_owned()
    })
}

const IAM_ROUTE: &str = r#"
aws iam put-role-policy --role-name SecurityAdmin --policy-name KeyAdministration --policy-document '{"Version":"2012-10-17","Statement":[{"Sid":"KeyAdministration","Effect":"Allow","Action":["kms:Create*","kms:Describe*","kms:Enable*","kms:List*","kms:Put*","kms:Update*","kms:Revoke*","kms:Disable*","kms:Get*","kms:Delete*","kms:TagResource","kms:UntagResource","kms:ScheduleKeyDeletion","kms:CancelKeyDeletion","kms:RotateKeyOnDemand"],"Resource":"*"}]}'
aws iam put-role-policy --role-name AppRole --policy-name AppKeyUse --policy-document '{"Version":"2012-10-17","Statement":[{"Sid":"AppKeyUse","Effect":"Allow","Action":["kms:Encrypt","kms:Decrypt","kms:GenerateDataKey*","kms:DescribeKey"],"Resource":"*"}]}'
"#;

const KEY_POLICY_ROUTE: &str = r#"
aws kms put-key-policy --key-id $HR_KEY --policy-name default --policy '{"Version":"2012-10-17","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},{"Sid":"AdminsNeverUseTheKey","Effect":"Deny","Principal":{"AWS":"arn:aws:iam::111122223333:role/SecurityAdmin"},"Action":["kms:Encrypt","kms:Decrypt","kms:ReEncrypt*","kms:GenerateDataKey*"],"Resource":"*"},{"Sid":"UsersNeverAdminister","Effect":"Deny","Principal":{"AWS":"arn:aws:iam::111122223333:role/AppRole"},"Action":["kms:Create*","kms:Put*","kms:Update*","kms:Enable*","kms:Disable*","kms:Delete*","kms:ScheduleKeyDeletion","kms:CancelKeyDeletion","kms:Revoke*","kms:Retire*","kms:TagResource","kms:UntagResource","kms:RotateKeyOnDemand"],"Resource":"*"}]}'
"#;

pub(super) const SCENARIO: Scenario = Scenario {
    id: "separation-of-duties",
    title: "Key administrators must not read HR data",
    exam: "SOA-C03 Domain 4 (Security and Compliance): least privilege for KMS; SAA-C03 Domain 1 (Design Secure Architectures)",
    difficulty: Difficulty::Intermediate,
    minutes: 20,
    availability: Availability::Playable,
    story: "HR data (hr.bin) is encrypted under alias/hr. An audit found that both the SecurityAdmin role \
(profile security-admin, the key administrators) and the AppRole role (profile app, the HR application) have \
kms:* on every key. The auditors want separation of duties: administrators manage the key but can never \
decrypt; the application encrypts and decrypts but can never disable, delete or re-policy the key. Nobody \
may be locked out.",
    setup,
    record_vars: &["HR_KEY"],
    files: &["hr.bin"],
    objectives: &[
        Objective {
            id: "admin-cannot-read",
            text: "security-admin can still describe the key and manage rotation, but Decrypt of hr.bin is denied.",
            success: "Key administrators need the management actions only; decryption is a separate permission.",
            check: admin_cannot_read,
            pending: None,
        },
        Objective {
            id: "app-cannot-administer",
            text: "app can still decrypt hr.bin, but DisableKey, ScheduleKeyDeletion and PutKeyPolicy are denied.",
            success: "Key users get the cryptographic actions only, so a compromised application cannot destroy or take over the key.",
            check: app_cannot_administer,
            pending: None,
        },
        Objective {
            id: "no-lockout",
            text: "With both rules in place, the key policy still delegates to the account (no lockout) and allows no one else.",
            success: "The root statement keeps the key manageable through IAM; Deny statements or tight IAM policies do the separating.",
            check: no_lockout,
            pending: None,
        },
    ],
    hints: &[
        Hint {
            text: "Look at both layers: `aws iam get-role-policy --role-name SecurityAdmin --policy-name KeyAdministration` and `aws kms get-key-policy --key-id $HR_KEY --policy-name default`.",
            cost: 10,
        },
        Hint {
            text: "The key policy only delegates to IAM (\"Enable IAM User Permissions\"), so the IAM policies decide. Either narrow them, or add Deny statements to the key policy.",
            cost: 20,
        },
        Hint {
            text: "Administrators: Create*, Describe*, Enable*, List*, Put*, Update*, Revoke*, Disable*, Get*, Delete*, ScheduleKeyDeletion, CancelKeyDeletion. Users: Encrypt, Decrypt, ReEncrypt*, GenerateDataKey*, DescribeKey.",
            cost: 30,
        },
    ],
    wrong_turns: &[
        WrongTurn {
            id: "no-root",
            detect: no_root,
        },
        WrongTurn {
            id: "everyone",
            detect: everyone,
        },
    ],
    solutions: &[
        Solution {
            route: "iam",
            script: |_| Some(IAM_ROUTE.to_owned()),
        },
        Solution {
            route: "key-policy-deny",
            script: |_| Some(KEY_POLICY_ROUTE.to_owned()),
        },
    ],
    debrief: "KMS authorizes a request only if the key policy allows it, directly or by delegating to the \
account through the root statement, in which case IAM policies decide; any explicit Deny in either wins. \
The console's default key policy separates key administrators (management actions, no cryptographic use) \
from key users (Encrypt, Decrypt, ReEncrypt*, GenerateDataKey*, DescribeKey). You can enforce the split in \
IAM (narrow policies) or in the key policy (explicit Deny statements, which hold even if someone later \
attaches AdministratorAccess). Removing the root statement is not the way: IAM allows then stop counting, \
and losing the named principals makes the key unmanageable until AWS Support intervenes.",
    docs: &[
        "https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html",
        "https://docs.aws.amazon.com/kms/latest/developerguide/iam-policies-best-practices.html",
        "https://docs.aws.amazon.com/kms/latest/developerguide/control-access.html",
    ],
    needs_enforcement: always,
    diagnose_from_cloudtrail: super::never,
};
