//! Bounded property tests (64 cases each) over random combinations of key-policy statements,
//! identity policies, grants, callers, actions and request contexts:
//! - adding a matching explicit `Deny` (to the key policy or to an identity policy) never turns a
//!   deny into an allow — in fact it always denies;
//! - with every `Allow` statement removed everywhere and no grants, every request is denied.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use authz::{
    Caller, GrantFacts, KeyFacts, KeyManager, KmsDecision, KmsRequest, NamedPolicy, authorize_kms,
};
use policy::{Limits, PolicyDocument, PolicyKind};
use proptest::prelude::*;

const KEY_ARN: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const NOW_MS: i64 = 1_780_000_000_000;

const KEY_STATEMENTS: &[&str] = &[
    r#"{"Sid": "Root", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}"#,
    r#"{"Sid": "Alice", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/alice"}, "Action": ["kms:Decrypt", "kms:Encrypt"], "Resource": "*"}"#,
    r#"{"Sid": "App", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"}, "Action": "kms:*", "Resource": "*"}"#,
    r#"{"Sid": "External", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": ["kms:Decrypt", "kms:Encrypt", "kms:DescribeKey", "kms:ScheduleKeyDeletion"], "Resource": "*"}"#,
    r#"{"Sid": "ViaS3", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:*", "Resource": "*", "Condition": {"StringEquals": {"kms:CallerAccount": "111122223333", "kms:ViaService": "s3.us-east-1.amazonaws.com"}}}"#,
    r#"{"Sid": "AliceWithContext", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/alice"}, "Action": "kms:*", "Resource": "*", "Condition": {"StringEquals": {"kms:EncryptionContext:Project": "alpha"}}}"#,
    r#"{"Sid": "DenyAliceDeletion", "Effect": "Deny", "Principal": {"AWS": "arn:aws:iam::111122223333:user/alice"}, "Action": "kms:ScheduleKeyDeletion", "Resource": "*"}"#,
    r#"{"Sid": "DenyPlainHttp", "Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}"#,
];

const IAM_STATEMENTS: &[&str] = &[
    r#"{"Effect": "Allow", "Action": "kms:*", "Resource": "*"}"#,
    r#"{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}"#,
    r#"{"Effect": "Deny", "Action": "kms:Encrypt", "Resource": "*"}"#,
    r#"{"Effect": "Allow", "Action": "kms:Generate*", "Resource": "*"}"#,
    r#"{"Effect": "Allow", "NotAction": "kms:PutKeyPolicy", "Resource": "*"}"#,
];

const ACTIONS: &[&str] = &[
    "kms:Decrypt",
    "kms:Encrypt",
    "kms:GenerateDataKey",
    "kms:DescribeKey",
    "kms:ScheduleKeyDeletion",
    "kms:PutKeyPolicy",
    "kms:CreateGrant",
];

fn callers() -> Vec<Caller> {
    vec![
        Caller::user("111122223333", "alice"),
        Caller::user("111122223333", "carol"),
        Caller::root("111122223333"),
        Caller::assumed_role("111122223333", "App", "job"),
        Caller::user("444455556666", "bob"),
        Caller::root("444455556666"),
        Caller::service("logs.amazonaws.com", "111122223333"),
    ]
}

fn grants() -> Vec<GrantFacts> {
    let g = |id: &str, grantee: &str, ops: &[&str], age_ms: i64| GrantFacts {
        grant_id: id.into(),
        grantee_principal: grantee.into(),
        retiring_principal: None,
        operations: ops.iter().map(|s| (*s).to_owned()).collect(),
        encryption_context_equals: None,
        encryption_context_subset: None,
        created_ms: NOW_MS - age_ms,
        token: format!("token-{id}"),
    };
    let mut with_subset = g(
        "g1",
        "arn:aws:iam::111122223333:role/App",
        &["Encrypt", "Decrypt"],
        3_600_000,
    );
    with_subset.encryption_context_subset =
        Some(BTreeMap::from([("Project".to_owned(), "alpha".to_owned())]));
    vec![
        g(
            "g0",
            "arn:aws:iam::111122223333:user/alice",
            &["Decrypt", "DescribeKey"],
            3_600_000,
        ),
        with_subset,
        g(
            "g2",
            "arn:aws:iam::444455556666:user/bob",
            &["Decrypt"],
            10_000,
        ),
        g(
            "g3",
            "arn:aws:iam::111122223333:user/carol",
            &["Encrypt", "CreateGrant"],
            3_600_000,
        ),
    ]
}

fn doc(statements: &[String], kind: PolicyKind) -> PolicyDocument {
    let json = format!(
        r#"{{"Version": "2012-10-17", "Statement": [{}]}}"#,
        statements.join(",")
    );
    let limits = if kind == PolicyKind::Resource {
        Limits::kms_key_policy()
    } else {
        Limits::iam_managed()
    };
    PolicyDocument::parse(&json, kind, limits).unwrap()
}

fn pick(all: &[&str], mask: u32) -> Vec<String> {
    all.iter()
        .enumerate()
        .filter(|(i, _)| mask & (1 << i) != 0)
        .map(|(_, s)| (*s).to_owned())
        .collect()
}

#[derive(Debug, Clone)]
struct Scenario {
    key_mask: u32,
    iam_masks: Vec<u32>,
    grant_mask: u32,
    caller: usize,
    action: usize,
    context: bool,
    via_s3: bool,
    tls: bool,
    token: bool,
}

fn scenario() -> impl Strategy<Value = Scenario> {
    (
        0u32..(1 << KEY_STATEMENTS.len()),
        prop::collection::vec(0u32..(1 << IAM_STATEMENTS.len()), 0..3),
        0u32..16,
        0..callers().len(),
        0..ACTIONS.len(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(key_mask, iam_masks, grant_mask, caller, action, context, via_s3, tls, token)| {
                Scenario {
                    key_mask,
                    iam_masks,
                    grant_mask,
                    caller,
                    action,
                    context,
                    via_s3,
                    tls,
                    token,
                }
            },
        )
}

/// Runs the scenario with the statements transformed by `edit_key` / `edit_iam` and the grants
/// filtered by `keep_grants`.
fn run(
    s: &Scenario,
    edit_key: impl Fn(Vec<String>) -> Vec<String>,
    edit_iam: impl Fn(Vec<Vec<String>>) -> Vec<Vec<String>>,
    keep_grants: bool,
) -> KmsDecision {
    let placeholder = r#"{"Sid": "Placeholder", "Effect": "Deny", "Principal": "*", "Action": "kms:NeverCalled", "Resource": "*"}"#;
    let mut key_statements = edit_key(pick(KEY_STATEMENTS, s.key_mask));
    if key_statements.is_empty() {
        key_statements.push(placeholder.to_owned());
    }
    let key_policy = doc(&key_statements, PolicyKind::Resource);
    let iam_statements = edit_iam(
        s.iam_masks
            .iter()
            .map(|m| pick(IAM_STATEMENTS, *m))
            .collect(),
    );
    let iam_docs: Vec<PolicyDocument> = iam_statements
        .iter()
        .filter(|st| !st.is_empty())
        .map(|st| doc(st, PolicyKind::Identity))
        .collect();
    let named: Vec<NamedPolicy<'_>> = iam_docs
        .iter()
        .enumerate()
        .map(|(i, d)| NamedPolicy {
            name: format!("policy-{i}"),
            document: d,
        })
        .collect();
    let all_grants = grants();
    let chosen: Vec<GrantFacts> = if keep_grants {
        all_grants
            .into_iter()
            .enumerate()
            .filter(|(i, _)| s.grant_mask & (1 << i) != 0)
            .map(|(_, g)| g)
            .collect()
    } else {
        Vec::new()
    };
    let key = KeyFacts {
        arn: KEY_ARN.into(),
        account: "111122223333".into(),
        region: "us-east-1".into(),
        manager: KeyManager::Customer,
        key_spec: "SYMMETRIC_DEFAULT".into(),
        key_usage: "ENCRYPT_DECRYPT".into(),
        origin: "AWS_KMS".into(),
        aliases: vec!["alias/app".into()],
        tags: vec![("Environment".into(), "prod".into())],
        policy: &key_policy,
    };
    let ec = BTreeMap::from([("Project".to_owned(), "alpha".to_owned())]);
    let tokens = if s.token {
        vec!["token-g2".to_owned()]
    } else {
        Vec::new()
    };
    let who = callers().swap_remove(s.caller);
    let req = KmsRequest {
        caller: &who,
        action: ACTIONS[s.action],
        key: &key,
        identity_policies: &named,
        grants: &chosen,
        grant_tokens: &tokens,
        encryption_context: s.context.then_some(&ec),
        via_service: s.via_s3.then_some("s3.us-east-1.amazonaws.com"),
        secure_transport: s.tls,
        source_ip: Some("203.0.113.5"),
        now_ms: NOW_MS,
        extra_conditions: vec![],
    };
    let d = authorize_kms(&req);
    // The decision without evidence agrees with the full one.
    assert_eq!(authz::decide_kms_request(&req), authz::KmsVerdict::of(&d));
    d
}

fn is_allow(statement: &str) -> bool {
    statement.contains(r#""Effect": "Allow""#)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn matching_deny_in_key_policy_never_allows(s in scenario()) {
        let before = run(&s, |k| k, |i| i, true);
        let action = ACTIONS[s.action];
        let after = run(
            &s,
            |mut k| {
                k.push(format!(r#"{{"Sid": "AddedDeny", "Effect": "Deny", "Principal": "*", "Action": "{action}", "Resource": "*"}}"#));
                k
            },
            |i| i,
            true,
        );
        prop_assert!(!after.allowed, "a matching deny must deny: {}", after.explanation);
        prop_assert!(before.allowed || !after.allowed);
    }

    #[test]
    fn matching_deny_in_identity_policy_never_allows(s in scenario()) {
        let before = run(&s, |k| k, |i| i, true);
        let action = ACTIONS[s.action];
        let after = run(
            &s,
            |k| k,
            |mut i| {
                i.push(vec![format!(r#"{{"Effect": "Deny", "Action": "{action}", "Resource": "*"}}"#)]);
                i
            },
            true,
        );
        prop_assert!(!after.allowed, "a matching IAM deny must deny: {}", after.explanation);
        prop_assert!(before.allowed || !after.allowed);
    }

    #[test]
    fn without_allows_and_grants_everything_is_denied(s in scenario()) {
        let d = run(
            &s,
            |k| k.into_iter().filter(|st| !is_allow(st)).collect(),
            |i| i.into_iter().map(|p| p.into_iter().filter(|st| !is_allow(st)).collect()).collect(),
            false,
        );
        prop_assert!(!d.allowed, "{}", d.explanation);
        prop_assert!(!d.aws_message.is_empty());
    }

    #[test]
    fn decisions_are_consistent(s in scenario()) {
        let d = run(&s, |k| k, |i| i, true);
        prop_assert_eq!(d.allowed, d.gate.allows());
        prop_assert_eq!(d.allowed, d.aws_message.is_empty());
        prop_assert!(serde_json::to_value(&d).is_ok());
    }
}
