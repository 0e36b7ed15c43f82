//! The console's "default view" of a key policy, read from the typed policy document: who the
//! key administrators and key users are, and whether IAM policies of the account count.
//! <https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html>

use policy::{Effect, PolicyDocument, PrincipalId, Statement};

/// What the default view shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyPolicyRoles {
    /// Principals of the statements that allow managing the key.
    pub admins: Vec<String>,
    /// Principals of the statements that allow using the key for cryptography.
    pub users: Vec<String>,
    /// A statement allows the key's own account (its root): IAM policies there can grant access.
    pub iam: bool,
    /// Other AWS accounts named as key users (their roots or bare ids; the console's "Other AWS
    /// accounts"). They are in `users` too.
    pub other_accounts: Vec<String>,
    /// Principals allowed to create grants only for AWS resources (the console's "Allow
    /// attachment of persistent resources": services such as EBS and RDS act for them).
    pub service_grants: Vec<String>,
    /// AWS service principals (`{"Service": …}`) allowed anything on the key.
    pub services: Vec<String>,
    /// An administrators statement allows `kms:ScheduleKeyDeletion` (the console's "Allow key
    /// administrators to delete this key").
    pub admins_can_delete: bool,
}

/// The console's statement ids (key-policy-default.html).
const ADMINS_SID: &str = "Allow access for Key Administrators";
const USERS_SIDS: [&str; 2] = [
    "Allow use of the key",
    "Allow attachment of persistent resources",
];

/// Management operations: a statement allowing any of them makes its principals key administrators.
const MANAGE: &[&str] = &[
    "CancelKeyDeletion",
    "CreateAlias",
    "DeleteAlias",
    "DeleteImportedKeyMaterial",
    "DisableKey",
    "DisableKeyRotation",
    "EnableKey",
    "EnableKeyRotation",
    "ImportKeyMaterial",
    "PutKeyPolicy",
    "ReplicateKey",
    "RotateKeyOnDemand",
    "ScheduleKeyDeletion",
    "TagResource",
    "UntagResource",
    "UpdateAlias",
    "UpdateKeyDescription",
    "UpdatePrimaryRegion",
];

/// Cryptographic operations: a statement allowing any of them makes its principals key users.
const USE: &[&str] = &[
    "Decapsulate",
    "Decrypt",
    "DeriveSharedSecret",
    "Encapsulate",
    "Encrypt",
    "GenerateDataKey",
    "GenerateDataKeyPair",
    "GenerateDataKeyPairWithoutPlaintext",
    "GenerateDataKeyWithoutPlaintext",
    "GenerateMac",
    "ReEncryptFrom",
    "ReEncryptTo",
    "Sign",
    "Verify",
    "VerifyMac",
];

/// Reads the default view of `doc`, the key policy of a key in `account`.
///
/// Only `Allow` statements with `Principal` and `Action` name administrators or users: a statement
/// with `NotPrincipal` or `NotAction` allows everyone or everything *but* what it names, so it is
/// never "the key administrators statement", whatever its `Sid`. A statement is recognised by the
/// console's `Sid`, or else by what it allows (management operations → administrators,
/// cryptographic operations → users; `kms:*` both). The key's own account (its root or bare id) is
/// the delegation to IAM, reported by `iam`, not listed as a person.
pub fn key_policy_roles(doc: &PolicyDocument, account: &str) -> KeyPolicyRoles {
    let mut out = KeyPolicyRoles::default();
    for st in doc.statements() {
        let Some(principal) = st.principal() else {
            continue;
        };
        if st.effect() != Effect::Allow || principal.negated {
            continue;
        }
        let own_account =
            |id: &PrincipalId| matches!(id, PrincipalId::Account { id, .. } if id == account);
        if principal.ids.iter().any(own_account) {
            out.iam = true;
        }
        if st.action().negated {
            continue;
        }
        let (admin, user) = roles(st);
        let console_sid = st
            .sid()
            .is_some_and(|sid| sid == ADMINS_SID || USERS_SIDS.contains(&sid));
        for id in &principal.ids {
            if let PrincipalId::Service(s) = id
                && !out.services.contains(s)
            {
                out.services.push(s.clone());
            }
        }
        let for_resources = allows(st, &["CreateGrant"])
            && st
                .conditions()
                .iter()
                .any(|c| c.key().eq_ignore_ascii_case("kms:GrantIsForAWSResource"));
        let named: Vec<String> = principal
            .ids
            .iter()
            .filter(|id| match id {
                PrincipalId::Arn(_) | PrincipalId::Everyone => true,
                // The own account is the delegation to IAM, unless a console statement names it
                // (then its administrators or users are "the account", not nobody).
                PrincipalId::Account { .. } => !own_account(id) || console_sid,
                PrincipalId::Service(_) | PrincipalId::Federated(_) => false,
            })
            .map(ToString::to_string)
            .collect();
        // Only a statement that names administrators says whether they may delete the key.
        if admin && !named.is_empty() && allows(st, &["ScheduleKeyDeletion"]) {
            out.admins_can_delete = true;
        }
        let others: Vec<String> = principal
            .ids
            .iter()
            .filter(|id| matches!(id, PrincipalId::Account { .. }) && !own_account(id))
            .map(ToString::to_string)
            .collect();
        for (is, list, names) in [
            (admin, &mut out.admins, &named),
            (user, &mut out.users, &named),
            (user, &mut out.other_accounts, &others),
            (for_resources, &mut out.service_grants, &named),
        ] {
            if is {
                for p in names {
                    if !list.contains(p) {
                        list.push(p.clone());
                    }
                }
            }
        }
    }
    out
}

/// (administrators?, users?) for an `Allow` statement with `Action`.
fn roles(st: &Statement) -> (bool, bool) {
    match st.sid() {
        Some(ADMINS_SID) => return (true, false),
        Some(sid) if USERS_SIDS.contains(&sid) => return (false, true),
        _ => {}
    }
    (allows(st, MANAGE), allows(st, USE))
}

/// The statement's `Action` matches one of the KMS operations `ops`.
fn allows(st: &Statement, ops: &[&str]) -> bool {
    !st.action().negated
        && st.action().patterns.iter().any(|p| {
            ops.iter()
                .any(|op| wildcard_match(p.as_str(), &format!("kms:{op}")))
        })
}

/// IAM action matching: `*` and `?` wildcards, ignoring case.
fn wildcard_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.to_ascii_lowercase().chars().collect();
    let t: Vec<char> = text.to_ascii_lowercase().chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(&c) if c == '?' || c == t[ti] => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;
    use policy::{Limits, PolicyKind};

    fn roles_of(text: &str) -> KeyPolicyRoles {
        let doc = PolicyDocument::parse(text, PolicyKind::Resource, Limits::none()).unwrap();
        key_policy_roles(&doc, "111122223333")
    }

    #[test]
    fn wildcards_match_ignoring_case() {
        assert!(wildcard_match("kms:*", "kms:Decrypt"));
        assert!(wildcard_match("KMS:decrypt", "kms:Decrypt"));
        assert!(wildcard_match("kms:ReEncrypt*", "kms:ReEncryptFrom"));
        assert!(wildcard_match("kms:Enable*", "kms:EnableKey"));
        assert!(wildcard_match("*", "kms:Sign"));
        assert!(wildcard_match("kms:?ign", "kms:Sign"));
        assert!(!wildcard_match("kms:Describe*", "kms:DisableKey"));
        assert!(!wildcard_match("kms:Encrypt", "kms:EncryptX"));
    }

    #[test]
    fn console_statements_and_root_delegation() {
        let r = roles_of(
            r#"{"Statement":[
            {"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},
            {"Sid":"Allow access for Key Administrators","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:role/SecurityAdmin"]},"Action":"kms:Describe*","Resource":"*"},
            {"Sid":"Allow use of the key","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/AppRole"},"Action":"kms:Decrypt","Resource":"*"}]}"#,
        );
        assert_eq!(r.admins, ["arn:aws:iam::111122223333:role/SecurityAdmin"]);
        assert_eq!(r.users, ["arn:aws:iam::111122223333:role/AppRole"]);
        assert!(r.iam);
        let r = roles_of(
            r#"{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/Admin"},"Action":"kms:*","Resource":"*"}}"#,
        );
        assert!(!r.iam);
        assert_eq!(r.admins, ["arn:aws:iam::111122223333:user/Admin"]);
        assert_eq!(r.users, r.admins);
    }

    #[test]
    fn statements_are_recognised_by_what_they_allow() {
        // The diagnose-denied-decrypt policy: Sids of the learner's choosing.
        let r = roles_of(
            r#"{"Statement":[
            {"Sid":"KeyAdministrators","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/SecurityAdmin"},"Action":["kms:Describe*","kms:Enable*","kms:Disable*","kms:Put*","kms:ScheduleKeyDeletion"],"Resource":"*"},
            {"Sid":"AppDecrypts","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/AppRole"},"Action":["kms:Decrypt","kms:GenerateDataKey*","kms:DescribeKey"],"Resource":"*"},
            {"Sid":"ReadOnly","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/Auditor"},"Action":["kms:Describe*","kms:List*","kms:Get*"],"Resource":"*"},
            {"Sid":"Partner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"kms:Decrypt","Resource":"*"}]}"#,
        );
        assert_eq!(r.admins, ["arn:aws:iam::111122223333:role/SecurityAdmin"]);
        assert_eq!(
            r.users,
            [
                "arn:aws:iam::111122223333:role/AppRole",
                "arn:aws:iam::444455556666:root"
            ]
        );
        assert!(
            !r.iam,
            "another account's root does not delegate to this account's IAM"
        );
    }

    #[test]
    fn not_principal_not_action_and_deny_name_nobody() {
        // NotPrincipal is accepted only with Deny (the parser rejects it with Allow).
        let r = roles_of(
            r#"{"Statement":[
            {"Sid":"Allow access for Key Administrators","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/A"},"NotAction":"kms:Decrypt","Resource":"*"},
            {"Sid":"Allow use of the key","Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:role/B"},"Action":"kms:Decrypt","Resource":"*"},
            {"Sid":"AdminsNeverUseTheKey","Effect":"Deny","Principal":{"AWS":"arn:aws:iam::111122223333:role/C"},"Action":"kms:Decrypt","Resource":"*"},
            {"Sid":"Root","Effect":"Allow","Principal":{"AWS":"111122223333"},"NotAction":"kms:Decrypt","Resource":"*"}]}"#,
        );
        assert_eq!(
            r,
            KeyPolicyRoles {
                admins: vec![],
                users: vec![],
                iam: true,
                ..KeyPolicyRoles::default()
            }
        );
    }

    #[test]
    fn other_accounts_service_grants_services_and_deletion_are_read() {
        let r = roles_of(
            r#"{"Statement":[
            {"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},
            {"Sid":"Allow access for Key Administrators","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/SecurityAdmin"},"Action":["kms:Create*","kms:Describe*","kms:ScheduleKeyDeletion","kms:CancelKeyDeletion"],"Resource":"*"},
            {"Sid":"Allow use of the key","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:role/AppRole","arn:aws:iam::444455556666:root"]},"Action":["kms:Encrypt","kms:Decrypt"],"Resource":"*"},
            {"Sid":"Allow attachment of persistent resources","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:role/AppRole","arn:aws:iam::444455556666:root"]},"Action":["kms:CreateGrant","kms:ListGrants","kms:RevokeGrant"],"Resource":"*","Condition":{"Bool":{"kms:GrantIsForAWSResource":"true"}}},
            {"Sid":"Logs","Effect":"Allow","Principal":{"Service":"logs.us-east-1.amazonaws.com"},"Action":"kms:Encrypt*","Resource":"*"}]}"#,
        );
        assert_eq!(r.admins, ["arn:aws:iam::111122223333:role/SecurityAdmin"]);
        assert!(r.admins_can_delete);
        assert_eq!(r.other_accounts, ["arn:aws:iam::444455556666:root"]);
        assert_eq!(
            r.service_grants,
            [
                "arn:aws:iam::111122223333:role/AppRole",
                "arn:aws:iam::444455556666:root"
            ]
        );
        assert_eq!(r.services, ["logs.us-east-1.amazonaws.com"]);
        // Without ScheduleKeyDeletion, the administrators may not delete the key.
        let r = roles_of(
            r#"{"Statement":[{"Sid":"Allow access for Key Administrators","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/SecurityAdmin"},"Action":["kms:Describe*","kms:Delete*"],"Resource":"*"}]}"#,
        );
        assert!(
            !r.admins_can_delete,
            "kms:Delete* does not allow ScheduleKeyDeletion"
        );
        assert!(r.other_accounts.is_empty() && r.service_grants.is_empty());
    }

    #[test]
    fn a_console_statement_naming_the_account_names_the_account() {
        // issue 19: "Key administrators: None named in the policy" beside a key administrators
        // statement whose principal is the account itself.
        let r = roles_of(
            r#"{"Statement":[
            {"Sid":"Allow access for Key Administrators","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":["kms:Describe*","kms:Put*"],"Resource":"*"},
            {"Sid":"Allow use of the key","Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"kms:Decrypt","Resource":"*"}]}"#,
        );
        assert_eq!(r.admins, ["arn:aws:iam::111122223333:root"]);
        assert_eq!(r.users, ["111122223333"]);
        assert!(r.iam);
        assert!(
            r.other_accounts.is_empty(),
            "the own account is not another account"
        );
    }
}
