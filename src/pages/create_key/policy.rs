//! The key policy the KMS console generates in its Create key wizard (key-policy-default.html):
//! the root statement ("Enable IAM User Permissions"), the key administrators statement, and the
//! key users statements (cryptographic use, and grants for AWS resources), whose principals are
//! the chosen users and roles plus the roots of the other AWS accounts.

use serde_json::{Value, json};

/// What the wizard's steps chose.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Choices {
    /// `ENCRYPT_DECRYPT`, `SIGN_VERIFY`, `GENERATE_VERIFY_MAC`, `KEY_AGREEMENT` or
    /// `ENCAPSULATE_DECAPSULATE`.
    pub usage: String,
    /// The key spec (`SYMMETRIC_DEFAULT`, `RSA_2048`, …).
    pub spec: String,
    /// `AWS_KMS` or `EXTERNAL`.
    pub origin: String,
    pub multi_region: bool,
    /// Key administrators (IAM user and role ARNs).
    pub admins: Vec<String>,
    /// "Allow key administrators to delete this key" (checked by default, as in the console).
    pub admins_can_delete: bool,
    /// Key users in this account (IAM user and role ARNs).
    pub users: Vec<String>,
    /// Other AWS accounts (12-digit ids) whose principals may use the key.
    pub other_accounts: Vec<String>,
}

/// Key administrator actions of the console's default policy, in its order.
const ADMIN_ACTIONS: [&str; 15] = [
    "kms:Create*",
    "kms:Describe*",
    "kms:Enable*",
    "kms:List*",
    "kms:Put*",
    "kms:Update*",
    "kms:Revoke*",
    "kms:Disable*",
    "kms:Get*",
    "kms:Delete*",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:ScheduleKeyDeletion",
    "kms:CancelKeyDeletion",
    "kms:RotateKeyOnDemand",
];

/// The key users' cryptographic actions for a key usage and spec.
fn use_actions(usage: &str, spec: &str) -> &'static [&'static str] {
    match usage {
        "SIGN_VERIFY" => &[
            "kms:DescribeKey",
            "kms:GetPublicKey",
            "kms:Sign",
            "kms:Verify",
        ],
        "GENERATE_VERIFY_MAC" => &["kms:DescribeKey", "kms:GenerateMac", "kms:VerifyMac"],
        "KEY_AGREEMENT" => &[
            "kms:DescribeKey",
            "kms:GetPublicKey",
            "kms:DeriveSharedSecret",
        ],
        "ENCAPSULATE_DECAPSULATE" => &[
            "kms:DescribeKey",
            "kms:GetPublicKey",
            "kms:Encapsulate",
            "kms:Decapsulate",
        ],
        _ if spec != "SYMMETRIC_DEFAULT" => &[
            "kms:Encrypt",
            "kms:Decrypt",
            "kms:ReEncrypt*",
            "kms:DescribeKey",
            "kms:GetPublicKey",
        ],
        _ => &[
            "kms:Encrypt",
            "kms:Decrypt",
            "kms:ReEncrypt*",
            "kms:GenerateDataKey*",
            "kms:DescribeKey",
        ],
    }
}

/// A 12-digit AWS account id.
pub fn is_account_id(id: &str) -> bool {
    id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit())
}

/// The key policy the console generates for `account` and these choices.
pub fn console_policy(account: &str, c: &Choices) -> Value {
    let mut statements = vec![json!({
        "Sid": "Enable IAM User Permissions",
        "Effect": "Allow",
        "Principal": { "AWS": format!("arn:aws:iam::{account}:root") },
        "Action": "kms:*",
        "Resource": "*"
    })];
    if !c.admins.is_empty() {
        let mut actions: Vec<&str> = ADMIN_ACTIONS
            .iter()
            .copied()
            .filter(|a| {
                c.admins_can_delete
                    || !matches!(*a, "kms:ScheduleKeyDeletion" | "kms:CancelKeyDeletion")
            })
            .collect();
        // Special-purpose keys: the console adds these (key-policy-default.html).
        if c.origin == "EXTERNAL" {
            actions.push("kms:ImportKeyMaterial");
        }
        if c.multi_region {
            actions.extend(["kms:ReplicateKey", "kms:UpdatePrimaryRegion"]);
        }
        statements.push(json!({
            "Sid": "Allow access for Key Administrators",
            "Effect": "Allow",
            "Principal": { "AWS": c.admins },
            "Action": actions,
            "Resource": "*"
        }));
    }
    let users: Vec<String> = c
        .users
        .iter()
        .cloned()
        .chain(
            c.other_accounts
                .iter()
                .map(|a| format!("arn:aws:iam::{a}:root")),
        )
        .collect();
    if !users.is_empty() {
        statements.push(json!({
            "Sid": "Allow use of the key",
            "Effect": "Allow",
            "Principal": { "AWS": users },
            "Action": use_actions(&c.usage, &c.spec),
            "Resource": "*"
        }));
        if c.usage == "ENCRYPT_DECRYPT" {
            statements.push(json!({
                "Sid": "Allow attachment of persistent resources",
                "Effect": "Allow",
                "Principal": { "AWS": users },
                "Action": ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
                "Resource": "*",
                "Condition": { "Bool": { "kms:GrantIsForAWSResource": "true" } }
            }));
        }
    }
    json!({ "Id": "key-consolepolicy-3", "Version": "2012-10-17", "Statement": statements })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn symmetric() -> Choices {
        Choices {
            usage: "ENCRYPT_DECRYPT".into(),
            spec: "SYMMETRIC_DEFAULT".into(),
            origin: "AWS_KMS".into(),
            admins_can_delete: true,
            ..Choices::default()
        }
    }

    fn sids(p: &Value) -> Vec<&str> {
        p["Statement"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["Sid"].as_str().unwrap())
            .collect()
    }

    #[test]
    fn nobody_chosen_is_the_root_statement_only() {
        let p = console_policy("111122223333", &symmetric());
        assert_eq!(sids(&p), ["Enable IAM User Permissions"]);
        assert_eq!(
            p["Statement"][0]["Principal"]["AWS"],
            "arn:aws:iam::111122223333:root"
        );
    }

    #[test]
    fn administrators_users_and_other_accounts_get_the_console_statements() {
        let c = Choices {
            admins: vec!["arn:aws:iam::111122223333:role/SecurityAdmin".into()],
            users: vec!["arn:aws:iam::111122223333:role/AppRole".into()],
            other_accounts: vec!["444455556666".into()],
            ..symmetric()
        };
        let p = console_policy("111122223333", &c);
        assert_eq!(
            sids(&p),
            [
                "Enable IAM User Permissions",
                "Allow access for Key Administrators",
                "Allow use of the key",
                "Allow attachment of persistent resources"
            ]
        );
        let admin_actions = p["Statement"][1]["Action"].as_array().unwrap();
        assert!(admin_actions.contains(&json!("kms:ScheduleKeyDeletion")));
        assert!(!admin_actions.contains(&json!("kms:Encrypt")));
        let users = json!([
            "arn:aws:iam::111122223333:role/AppRole",
            "arn:aws:iam::444455556666:root"
        ]);
        assert_eq!(p["Statement"][2]["Principal"]["AWS"], users);
        assert_eq!(p["Statement"][3]["Principal"]["AWS"], users);
        assert_eq!(
            p["Statement"][3]["Condition"]["Bool"]["kms:GrantIsForAWSResource"],
            "true"
        );
        // And KMS accepts it as a key policy.
        policy::PolicyDocument::parse(
            &p.to_string(),
            policy::PolicyKind::Resource,
            policy::Limits::none(),
        )
        .unwrap();
    }

    #[test]
    fn unticking_delete_removes_schedule_and_cancel_deletion() {
        let c = Choices {
            admins: vec!["arn:aws:iam::111122223333:role/SecurityAdmin".into()],
            admins_can_delete: false,
            ..symmetric()
        };
        let p = console_policy("111122223333", &c);
        let actions = p["Statement"][1]["Action"].as_array().unwrap();
        assert!(!actions.contains(&json!("kms:ScheduleKeyDeletion")));
        assert!(!actions.contains(&json!("kms:CancelKeyDeletion")));
        assert!(actions.contains(&json!("kms:Delete*")));
    }

    #[test]
    fn special_purpose_keys_and_usages_change_the_actions() {
        let c = Choices {
            admins: vec!["arn:aws:iam::111122223333:user/Admin".into()],
            users: vec!["arn:aws:iam::111122223333:user/Admin".into()],
            origin: "EXTERNAL".into(),
            multi_region: true,
            ..symmetric()
        };
        let p = console_policy("111122223333", &c);
        let admin = p["Statement"][1]["Action"].as_array().unwrap();
        for a in [
            "kms:ImportKeyMaterial",
            "kms:ReplicateKey",
            "kms:UpdatePrimaryRegion",
        ] {
            assert!(admin.contains(&json!(a)), "{a}");
        }
        let sign = Choices {
            usage: "SIGN_VERIFY".into(),
            spec: "ECC_NIST_P256".into(),
            ..c.clone()
        };
        let p = console_policy("111122223333", &sign);
        assert_eq!(
            p["Statement"][2]["Action"],
            json!([
                "kms:DescribeKey",
                "kms:GetPublicKey",
                "kms:Sign",
                "kms:Verify"
            ])
        );
        assert_eq!(
            p["Statement"].as_array().unwrap().len(),
            3,
            "no grants statement"
        );
        let rsa = Choices {
            spec: "RSA_2048".into(),
            ..c
        };
        let p = console_policy("111122223333", &rsa);
        assert!(
            p["Statement"][2]["Action"]
                .as_array()
                .unwrap()
                .contains(&json!("kms:GetPublicKey"))
        );
    }

    #[test]
    fn account_ids_are_twelve_digits() {
        assert!(is_account_id("444455556666"));
        assert!(!is_account_id("44445555666"));
        assert!(!is_account_id("44445555666x"));
        assert!(!is_account_id("arn:aws:iam::444455556666:root"));
    }
}
