#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Hostile input never panics: random members and values for every operation, and the hard
//! rules of cross-account use.

mod common;
use common::*;
use proptest::prelude::*;
use serde_json::{Map, Value, json};

const OPS: &[(&str, &str)] = &[
    ("kms", "CreateKey"),
    ("kms", "DescribeKey"),
    ("kms", "ListKeys"),
    ("kms", "UpdateKeyDescription"),
    ("kms", "EnableKey"),
    ("kms", "DisableKey"),
    ("kms", "ScheduleKeyDeletion"),
    ("kms", "CancelKeyDeletion"),
    ("kms", "Encrypt"),
    ("kms", "Decrypt"),
    ("kms", "ReEncrypt"),
    ("kms", "GenerateDataKey"),
    ("kms", "GenerateDataKeyWithoutPlaintext"),
    ("kms", "GenerateRandom"),
    ("kms", "CreateAlias"),
    ("kms", "UpdateAlias"),
    ("kms", "DeleteAlias"),
    ("kms", "ListAliases"),
    ("kms", "PutKeyPolicy"),
    ("kms", "GetKeyPolicy"),
    ("kms", "ListKeyPolicies"),
    ("kms", "EnableKeyRotation"),
    ("kms", "DisableKeyRotation"),
    ("kms", "GetKeyRotationStatus"),
    ("kms", "RotateKeyOnDemand"),
    ("kms", "ListKeyRotations"),
    ("kms", "TagResource"),
    ("kms", "UntagResource"),
    ("kms", "ListResourceTags"),
    ("kms", "GetKeyLastUsage"),
    ("kms", "CreateGrant"),
    ("kms", "ListGrants"),
    ("kms", "ListRetirableGrants"),
    ("kms", "RetireGrant"),
    ("kms", "RevokeGrant"),
    ("iam", "CreateUser"),
    ("iam", "CreateRole"),
    ("iam", "PutUserPolicy"),
    ("iam", "ListRoles"),
    ("sts", "AssumeRole"),
    ("cloudtrail", "LookupEvents"),
];

const MEMBERS: &[&str] = &[
    "KeyId",
    "Plaintext",
    "CiphertextBlob",
    "EncryptionContext",
    "NumberOfBytes",
    "KeySpec",
    "Limit",
    "Marker",
    "AliasName",
    "TargetKeyId",
    "Policy",
    "PolicyName",
    "PendingWindowInDays",
    "RotationPeriodInDays",
    "Tags",
    "TagKeys",
    "Operations",
    "GranteePrincipal",
    "GrantId",
    "GrantToken",
    "Description",
    "DestinationKeyId",
    "UserName",
    "RoleName",
    "AssumeRolePolicyDocument",
    "PolicyDocument",
    "RoleArn",
    "RoleSessionName",
    "DurationSeconds",
    "MaxResults",
    "StartTime",
    "LookupAttributes",
    "DryRun",
    "Origin",
    "IncludeKeyMaterial",
];

fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        prop_oneof![
            Just(-1i64),
            Just(0),
            Just(1),
            Just(7),
            Just(90),
            Just(1024),
            Just(4097)
        ]
        .prop_map(|n| json!(n)),
        "[a-zA-Z0-9:/_+=-]{0,40}".prop_map(Value::String),
        prop_oneof![
            Just("alias/aws/s3".to_owned()),
            Just("arn:aws:kms:us-east-1:111122223333:key/".to_owned()),
            Just("S0wBAAAA".to_owned()),
            Just("9999999999999-99-99T99:99:99Z".to_owned()),
        ]
        .prop_map(Value::String),
    ];
    leaf.prop_recursive(2, 8, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map("[a-zA-Z]{1,8}", inner, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect::<Map<String, Value>>())),
        ]
    })
}

fn request() -> impl Strategy<Value = (usize, Value)> {
    (
        0..OPS.len(),
        proptest::collection::vec((0..MEMBERS.len(), value()), 0..5).prop_map(|pairs| {
            Value::Object(
                pairs
                    .into_iter()
                    .map(|(i, v)| (MEMBERS[i].to_owned(), v))
                    .collect(),
            )
        }),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn random_requests_never_panic(reqs in proptest::collection::vec(request(), 1..12), days in 0i64..400) {
        let mut lab = Lab::new();
        let key = lab.create_key();
        for (i, mut input) in reqs {
            let (service, op) = OPS[i];
            // Half the time, aim at a real key so deeper code runs.
            if i % 2 == 0 && let Value::Object(m) = &mut input {
                m.entry("KeyId").or_insert(json!(key));
            }
            let ctx = lab.admin.clone();
            let before = lab.w.event_counters().total;
            let _ = lab.w.call(&ctx, service, op, input);
            prop_assert!(lab.w.event_counters().total > before, "every call is logged");
        }
        lab.w.advance_clock(days * DAY);
        let _ = serde_json::to_string(&lab.w).unwrap();
    }
}

#[test]
fn cross_account_hard_rules() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    let arn = format!("arn:aws:kms:us-east-1:111122223333:key/{key}");
    // The key policy even allows the partner account everything: the operations below are
    // refused for being cross-account, not for the policy.
    lab.ok(
        "PutKeyPolicy",
        json!({ "KeyId": key, "Policy": serde_json::to_string(&json!({
            "Version": "2012-10-17",
            "Statement": [
                { "Sid": "Enable IAM User Permissions", "Effect": "Allow",
                  "Principal": { "AWS": "arn:aws:iam::111122223333:root" }, "Action": "kms:*", "Resource": "*" },
                { "Sid": "Partner", "Effect": "Allow",
                  "Principal": { "AWS": "arn:aws:iam::444455556666:root" }, "Action": "kms:*", "Resource": "*" },
            ],
        })).unwrap() }),
    );
    let partner = lab
        .w
        .context_for_profile(Some("partner-admin"), None)
        .unwrap();
    // A bare key id is looked up in the caller's own account.
    let e = lab
        .w
        .call(&partner, "kms", "DescribeKey", json!({ "KeyId": key }))
        .unwrap_err();
    assert_eq!(
        e.message,
        format!("Key 'arn:aws:kms:us-east-1:444455556666:key/{key}' does not exist")
    );
    // Operations without cross-account support are refused on another account's key.
    for (op, input) in [
        ("ScheduleKeyDeletion", json!({ "KeyId": arn })),
        ("DisableKey", json!({ "KeyId": arn })),
        (
            "PutKeyPolicy",
            json!({ "KeyId": arn, "Policy": "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:*\"}]}" }),
        ),
        ("TagResource", json!({ "KeyId": arn, "Tags": [] })),
        ("ListKeyRotations", json!({ "KeyId": arn })),
    ] {
        let e = lab.w.call(&partner, "kms", op, input).unwrap_err();
        assert_eq!(e.code, "AccessDeniedException", "{op}");
        assert_eq!(
            e.message,
            format!(
                "User: arn:aws:iam::444455556666:user/PartnerAdmin is not authorized to perform: kms:{op} on resource: {arn} because no resource-based policy allows the kms:{op} action"
            ),
            "{op}"
        );
        let why = lab.w.last_denial(&partner.principal_arn).unwrap();
        assert_eq!(why.gate, "CrossAccountNotSupported", "{op}");
    }
    assert_eq!(lab.state(&key), "Enabled");
    // Denied across accounts, the partner's attempts are logged only in its own trail.
    let lookup = json!({ "LookupAttributes": [{ "AttributeKey": "EventName", "AttributeValue": "ScheduleKeyDeletion" }] });
    let out = lab
        .w
        .call(
            &lab.admin.clone(),
            "cloudtrail",
            "LookupEvents",
            lookup.clone(),
        )
        .unwrap();
    assert_eq!(out["Events"].as_array().unwrap().len(), 0);
    let out = lab
        .w
        .call(&partner, "cloudtrail", "LookupEvents", lookup)
        .unwrap();
    assert_eq!(out["Events"].as_array().unwrap().len(), 1);
}

/// A key pending deletion across an accrual still saves: the meter's pending time is keyed by
/// strings (a tuple key once made the state file unserialisable).
#[test]
fn a_world_with_a_key_pending_deletion_saves_and_loads() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    lab.ok(
        "ScheduleKeyDeletion",
        json!({ "KeyId": key, "PendingWindowInDays": 7 }),
    );
    lab.w.advance_clock(DAY);
    lab.ok("DescribeKey", json!({ "KeyId": key }));
    let text = serde_json::to_string(&lab.w).expect("the world saves");
    let mut back: cloud::World = serde_json::from_str(&text).expect("and loads");
    let ctx = lab.admin.clone();
    back.call(&ctx, "kms", "CancelKeyDeletion", json!({ "KeyId": key }))
        .expect("the loaded world works");
}
