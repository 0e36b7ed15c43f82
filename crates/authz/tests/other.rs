//! The lockout safety check, AssumeRole, IAM-only checks, the AWS managed key policy generator,
//! and the learner-facing rendering.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use authz::{
    Caller, Gate, IamGate, KeyFacts, KeyManager, KmsRequest, NamedPolicy, authorize_assume_role,
    authorize_identity_only, authorize_kms, aws_managed_key_policy, lockout_check,
};
use policy::{Limits, PolicyDocument, PolicyKind};

const KEY_ARN: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const NOW_MS: i64 = 1_780_000_000_000;

fn key_policy(json: &str) -> PolicyDocument {
    PolicyDocument::parse(json, PolicyKind::Resource, Limits::kms_key_policy()).unwrap()
}

fn identity(json: &str) -> PolicyDocument {
    PolicyDocument::parse(json, PolicyKind::Identity, Limits::iam_managed()).unwrap()
}

fn trust(json: &str) -> PolicyDocument {
    PolicyDocument::parse(json, PolicyKind::Trust, Limits::iam_role_trust()).unwrap()
}

const DEFAULT: &str = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}]}"#;
const KMS_ALL: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:*", "Resource": "*"}]}"#;

// ---- lockout check (https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html,
//      BypassPolicyLockoutSafetyCheck) ----

#[test]
fn lockout_default_policy_with_iam_passes() {
    let p = key_policy(DEFAULT);
    let iam = identity(KMS_ALL);
    let named = [NamedPolicy {
        name: "admin".into(),
        document: &iam,
    }];
    assert!(lockout_check(&p, &Caller::user("111122223333", "alice"), KEY_ARN, &named).is_ok());
}

#[test]
fn lockout_default_policy_without_iam_fails_for_a_user() {
    let p = key_policy(DEFAULT);
    let err = lockout_check(&p, &Caller::user("111122223333", "alice"), KEY_ARN, &[]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "The new key policy will not allow you to update the key policy in the future."
    );
    assert_eq!(err.code(), "MalformedPolicyDocumentException");
    assert!(err.explanation.verdict.contains("no identity policy"));
}

#[test]
fn lockout_default_policy_passes_for_root() {
    let p = key_policy(DEFAULT);
    assert!(lockout_check(&p, &Caller::root("111122223333"), KEY_ARN, &[]).is_ok());
}

#[test]
fn lockout_policy_naming_only_someone_else_fails() {
    let p = key_policy(
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/bob"}, "Action": "kms:*", "Resource": "*"}]}"#,
    );
    let iam = identity(KMS_ALL);
    let named = [NamedPolicy {
        name: "admin".into(),
        document: &iam,
    }];
    let err =
        lockout_check(&p, &Caller::user("111122223333", "alice"), KEY_ARN, &named).unwrap_err();
    assert!(
        err.explanation
            .to_string()
            .contains("allows neither the caller nor its account")
    );
}

#[test]
fn lockout_policy_naming_the_callers_role_passes_for_its_session() {
    let p = key_policy(
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/Admin"}, "Action": "kms:PutKeyPolicy", "Resource": "*"}]}"#,
    );
    assert!(
        lockout_check(
            &p,
            &Caller::assumed_role("111122223333", "Admin", "me"),
            KEY_ARN,
            &[]
        )
        .is_ok()
    );
}

#[test]
fn lockout_policy_denying_put_key_policy_fails() {
    let p = key_policy(
        r#"{"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
            {"Effect": "Deny", "Principal": "*", "Action": "kms:PutKeyPolicy", "Resource": "*"}]}"#,
    );
    assert!(lockout_check(&p, &Caller::root("111122223333"), KEY_ARN, &[]).is_err());
}

// ---- AssumeRole ----

const TRUST_ACCOUNT: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole"}]}"#;
const TRUST_ALICE: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/alice"}, "Action": "sts:AssumeRole"}]}"#;
const TRUST_EXTERNAL: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "sts:AssumeRole"}]}"#;
const ALLOW_ASSUME: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::111122223333:role/Admin"}]}"#;
const ROLE: &str = "arn:aws:iam::111122223333:role/Admin";

#[test]
fn assume_role_trust_names_caller_same_account() {
    let t = trust(TRUST_ALICE);
    let d = authorize_assume_role(
        &Caller::user("111122223333", "alice"),
        ROLE,
        &t,
        &[],
        NOW_MS,
    );
    assert!(d.allowed, "{}", d.explanation);
    assert_eq!(d.gate, IamGate::TrustPolicy);
}

#[test]
fn assume_role_trust_names_account_needs_identity_policy() {
    let t = trust(TRUST_ACCOUNT);
    let alice = Caller::user("111122223333", "alice");
    let d = authorize_assume_role(&alice, ROLE, &t, &[], NOW_MS);
    assert!(!d.allowed);
    assert_eq!(d.gate, IamGate::NoIdentityAllow);
    assert_eq!(
        d.aws_message,
        "User: arn:aws:iam::111122223333:user/alice is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::111122223333:role/Admin"
    );
    let allow = identity(ALLOW_ASSUME);
    let named = [NamedPolicy {
        name: "assume".into(),
        document: &allow,
    }];
    let d = authorize_assume_role(&alice, ROLE, &t, &named, NOW_MS);
    assert!(d.allowed);
    assert_eq!(d.gate, IamGate::TrustPolicyPlusIam);
}

#[test]
fn assume_role_cross_account_needs_both() {
    let t = trust(TRUST_EXTERNAL);
    let bob = Caller::user("444455556666", "bob");
    assert_eq!(
        authorize_assume_role(&bob, ROLE, &t, &[], NOW_MS).gate,
        IamGate::NoIdentityAllow
    );
    let allow = identity(ALLOW_ASSUME);
    let named = [NamedPolicy {
        name: "assume".into(),
        document: &allow,
    }];
    assert_eq!(
        authorize_assume_role(&bob, ROLE, &t, &named, NOW_MS).gate,
        IamGate::TrustPolicyPlusIam
    );
    // Trust policy for another account: not allowed.
    let t2 = trust(TRUST_ACCOUNT);
    assert_eq!(
        authorize_assume_role(&bob, ROLE, &t2, &named, NOW_MS).gate,
        IamGate::TrustPolicyDoesNotAllow
    );
}

#[test]
fn assume_role_identity_deny_wins_and_root_cannot_assume() {
    let t = trust(TRUST_ALICE);
    let deny = identity(
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "sts:*", "Resource": "*"}]}"#,
    );
    let named = [NamedPolicy {
        name: "deny".into(),
        document: &deny,
    }];
    let d = authorize_assume_role(
        &Caller::user("111122223333", "alice"),
        ROLE,
        &t,
        &named,
        NOW_MS,
    );
    assert_eq!(d.gate, IamGate::ExplicitDenyIam);
    let d = authorize_assume_role(
        &Caller::root("111122223333"),
        ROLE,
        &trust(TRUST_ACCOUNT),
        &[],
        NOW_MS,
    );
    assert_eq!(d.gate, IamGate::RootCannotAssumeRole);
    assert_eq!(d.aws_message, "Roles may not be assumed by root accounts.");
}

// ---- IAM-only ----

#[test]
fn identity_only_checks() {
    let alice = Caller::user("111122223333", "alice");
    let res = "arn:aws:iam::111122223333:user/bob";
    let d = authorize_identity_only(&alice, "iam:CreateAccessKey", res, &[], &[]);
    assert_eq!(d.gate, IamGate::NoIdentityAllow);
    assert_eq!(
        d.aws_message,
        "User: arn:aws:iam::111122223333:user/alice is not authorized to perform: iam:CreateAccessKey on resource: arn:aws:iam::111122223333:user/bob because no identity-based policy allows the iam:CreateAccessKey action"
    );
    let admin = identity(
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}"#,
    );
    let deny = identity(
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "iam:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}"#,
    );
    let named = [
        NamedPolicy {
            name: "arn:aws:iam::aws:policy/AdministratorAccess".into(),
            document: &admin,
        },
        NamedPolicy {
            name: "user/alice inline: TlsOnly".into(),
            document: &deny,
        },
    ];
    let tls = [("aws:SecureTransport".to_owned(), vec!["true".to_owned()])];
    let plain = [("aws:SecureTransport".to_owned(), vec!["false".to_owned()])];
    assert_eq!(
        authorize_identity_only(&alice, "iam:CreateAccessKey", res, &named, &tls).gate,
        IamGate::IdentityPolicy
    );
    let d = authorize_identity_only(&alice, "iam:CreateAccessKey", res, &named, &plain);
    assert_eq!(d.gate, IamGate::ExplicitDenyIam);
    assert!(
        d.aws_message
            .ends_with("with an explicit deny in an identity-based policy")
    );
    assert!(
        d.explanation
            .to_string()
            .contains("user/alice inline: TlsOnly")
    );
    let root = authorize_identity_only(
        &Caller::root("111122223333"),
        "iam:CreateUser",
        res,
        &[],
        &[],
    );
    assert_eq!(root.gate, IamGate::RootUser);
}

// ---- AWS managed key policy generator ----

fn managed_request(
    policy: &PolicyDocument,
    caller: &Caller,
    action: &str,
    via: Option<&str>,
) -> authz::KmsDecision {
    let key = KeyFacts {
        arn: KEY_ARN.into(),
        account: "111122223333".into(),
        region: "us-east-1".into(),
        manager: KeyManager::Aws,
        key_spec: "SYMMETRIC_DEFAULT".into(),
        key_usage: "ENCRYPT_DECRYPT".into(),
        origin: "AWS_KMS".into(),
        aliases: vec!["alias/aws/ebs".into()],
        tags: vec![],
        policy,
    };
    let iam = identity(KMS_ALL);
    let named = [NamedPolicy {
        name: "kms-all".into(),
        document: &iam,
    }];
    let req = KmsRequest {
        caller,
        action,
        key: &key,
        identity_policies: &named,
        grants: &[],
        grant_tokens: &[],
        encryption_context: None,
        via_service: via,
        secure_transport: true,
        source_ip: None,
        now_ms: NOW_MS,
        extra_conditions: vec![],
    };
    let d = authorize_kms(&req);
    assert_eq!(authz::decide_kms_request(&req), authz::KmsVerdict::of(&d));
    d
}

#[test]
fn aws_managed_ebs_policy_is_enforced_by_evaluation() {
    let text = aws_managed_key_policy("111122223333", "us-east-1", "ebs");
    assert!(text.contains("ec2.us-east-1.amazonaws.com"));
    assert!(text.contains(
        "Allow access through EBS for all principals in the account that are authorized to use EBS"
    ));
    let p = key_policy(&text);
    let alice = Caller::user("111122223333", "alice");
    let via = managed_request(
        &p,
        &alice,
        "kms:CreateGrant",
        Some("ec2.us-east-1.amazonaws.com"),
    );
    assert!(via.allowed, "{}", via.explanation);
    let direct = managed_request(&p, &alice, "kms:Decrypt", None);
    assert!(!direct.allowed);
    let bob = Caller::user("444455556666", "bob");
    let cross = managed_request(&p, &bob, "kms:Decrypt", Some("ec2.us-east-1.amazonaws.com"));
    assert!(!cross.allowed);
    let describe = managed_request(&p, &alice, "kms:DescribeKey", None);
    assert_eq!(describe.gate, Gate::KeyPolicyPlusIam);
    let delete = managed_request(
        &p,
        &Caller::root("111122223333"),
        "kms:ScheduleKeyDeletion",
        None,
    );
    assert!(!delete.allowed);
}

#[test]
fn aws_managed_s3_policy_shape() {
    let text = aws_managed_key_policy("111122223333", "eu-west-1", "s3");
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["Id"], "auto-s3-2");
    assert_eq!(
        v["Statement"][0]["Condition"]["StringEquals"]["kms:ViaService"],
        "s3.eu-west-1.amazonaws.com"
    );
    assert_eq!(
        v["Statement"][0]["Condition"]["StringEquals"]["kms:CallerAccount"],
        "111122223333"
    );
    assert_eq!(
        v["Statement"][1]["Principal"]["AWS"],
        "arn:aws:iam::111122223333:root"
    );
}

// ---- rendering ----

#[test]
fn explanation_renders_verdict_then_evidence_and_serializes() {
    let p = key_policy(DEFAULT);
    let alice = Caller::assumed_role("111122223333", "Dev", "alice");
    let key = KeyFacts {
        arn: KEY_ARN.into(),
        account: "111122223333".into(),
        region: "us-east-1".into(),
        manager: KeyManager::Customer,
        key_spec: "SYMMETRIC_DEFAULT".into(),
        key_usage: "ENCRYPT_DECRYPT".into(),
        origin: "AWS_KMS".into(),
        aliases: vec!["alias/prod".into()],
        tags: vec![("Team".into(), "blue".into())],
        policy: &p,
    };
    let ec = std::collections::BTreeMap::from([("Project".to_owned(), "alpha".to_owned())]);
    let d = authorize_kms(&KmsRequest {
        caller: &alice,
        action: "kms:Decrypt",
        key: &key,
        identity_policies: &[],
        grants: &[],
        grant_tokens: &[],
        encryption_context: Some(&ec),
        via_service: None,
        secure_transport: true,
        source_ip: Some("203.0.113.5"),
        now_ms: NOW_MS,
        extra_conditions: vec![(
            "kms:EncryptionAlgorithm".into(),
            vec!["SYMMETRIC_DEFAULT".into()],
        )],
    });
    let text = d.explanation.to_string();
    let first = text.lines().next().unwrap();
    assert!(first.starts_with(
        "DENIED: arn:aws:sts::111122223333:assumed-role/Dev/alice may not call kms:Decrypt"
    ));
    assert!(first.contains("delegates to IAM (statement `Enable IAM User Permissions`)"));
    for needle in [
        "[delegates to IAM]",
        "Identity policies: none",
        "Grants: none on this key",
        "aws:PrincipalArn = arn:aws:iam::111122223333:role/Dev",
        "kms:EncryptionContext:Project = alpha",
        "kms:EncryptionContextKeys = Project",
        "kms:ResourceAliases = alias/prod",
        "aws:ResourceTag/Team = blue",
        "aws:SourceIp = 203.0.113.5",
        "aws:CurrentTime = 2026-05-28T20:26:40Z",
        "kms:EncryptionAlgorithm = SYMMETRIC_DEFAULT",
    ] {
        assert!(text.contains(needle), "missing `{needle}` in\n{text}");
    }
    assert_eq!(
        d.aws_message,
        format!(
            "User: arn:aws:sts::111122223333:assumed-role/Dev/alice is not authorized to perform: kms:Decrypt on resource: {KEY_ARN} because no identity-based policy allows the kms:Decrypt action"
        )
    );
    let json = serde_json::to_value(&d).unwrap();
    assert_eq!(json["gate"], "NoIamAllow");
    assert_eq!(json["explanation"]["key_policy_delegates_to_iam"], true);
    assert_eq!(
        json["explanation"]["key_policy"]["statements"][0]["role"]["kind"],
        "DelegatesToAccount"
    );
}

// ---- retiring grants (https://docs.aws.amazon.com/kms/latest/developerguide/grant-delete.html) ----

#[test]
fn retire_rights() {
    use authz::{GrantFacts, RetireRight, retire_right};
    let grant = GrantFacts {
        grant_id: "g".into(),
        grantee_principal: "arn:aws:iam::111122223333:role/Worker".into(),
        retiring_principal: Some("arn:aws:iam::111122223333:user/ops".into()),
        operations: vec!["Decrypt".into()],
        encryption_context_equals: None,
        encryption_context_subset: None,
        created_ms: 0,
        token: "t".into(),
    };
    let acct = "111122223333";
    assert_eq!(
        retire_right(&Caller::user(acct, "ops"), &grant, acct),
        Some(RetireRight::RetiringPrincipal)
    );
    // The grantee may retire only when the grant includes RetireGrant.
    let worker = Caller::assumed_role(acct, "Worker", "i-1");
    assert_eq!(retire_right(&worker, &grant, acct), None);
    let mut with_retire = grant.clone();
    with_retire.operations.push("RetireGrant".into());
    assert_eq!(
        retire_right(&worker, &with_retire, acct),
        Some(RetireRight::GranteeWithRetireGrant)
    );
    assert_eq!(
        retire_right(&Caller::root(acct), &grant, acct),
        Some(RetireRight::GrantAccount)
    );
    assert_eq!(retire_right(&Caller::user(acct, "eve"), &grant, acct), None);
    assert_eq!(
        retire_right(&Caller::root("444455556666"), &grant, acct),
        None
    );
}
