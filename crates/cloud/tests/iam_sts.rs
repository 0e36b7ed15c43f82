#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! IAM users, roles and policies; STS identities and AssumeRole; profiles.

mod common;
use cloud::{IdentityType, World};
use common::*;
use serde_json::{Value, json};

fn iam(
    w: &mut World,
    ctx: &cloud::CallContext,
    op: &str,
    input: Value,
) -> Result<Value, cloud::AwsError> {
    w.call(ctx, "iam", op, input)
}

#[test]
fn users_and_inline_and_managed_policies() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let w = &mut lab.w;
    let u = iam(w, &admin, "CreateUser", json!({ "UserName": "Bob" })).unwrap();
    assert_eq!(u["User"]["Arn"], "arn:aws:iam::111122223333:user/Bob");
    assert!(u["User"]["UserId"].as_str().unwrap().starts_with("AIDA"));
    assert_eq!(u["User"]["UserId"].as_str().unwrap().len(), 21);
    assert_eq!(u["User"]["CreateDate"], "2026-11-22T20:00:00Z");
    let e = iam(w, &admin, "CreateUser", json!({ "UserName": "Bob" })).unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.message.as_str(), e.status),
        (
            "EntityAlreadyExists",
            "User with name Bob already exists.",
            409
        )
    );
    let e = iam(w, &admin, "CreateUser", json!({ "UserName": "bad name" })).unwrap_err();
    assert_eq!(e.code, "ValidationError");
    let e = iam(w, &admin, "GetUser", json!({ "UserName": "Nobody" })).unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        ("NoSuchEntity", "The user with name Nobody cannot be found.")
    );
    // GetUser without a name describes the caller.
    assert_eq!(
        iam(w, &admin, "GetUser", json!({})).unwrap()["User"]["UserName"],
        "Admin"
    );

    let doc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}]}"#;
    let e = iam(
        w,
        &admin,
        "PutUserPolicy",
        json!({ "UserName": "Bob", "PolicyName": "p", "PolicyDocument": "{nope" }),
    )
    .unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        (
            "MalformedPolicyDocument",
            "This policy contains invalid Json (invalid JSON at line 1, column 2: key must be a string)"
        )
    );
    iam(
        w,
        &admin,
        "PutUserPolicy",
        json!({ "UserName": "Bob", "PolicyName": "p", "PolicyDocument": doc }),
    )
    .unwrap();
    assert_eq!(
        iam(w, &admin, "ListUserPolicies", json!({ "UserName": "Bob" })).unwrap()["PolicyNames"],
        json!(["p"])
    );
    let got = iam(
        w,
        &admin,
        "GetUserPolicy",
        json!({ "UserName": "Bob", "PolicyName": "p" }),
    )
    .unwrap();
    assert_eq!(
        got["PolicyDocument"]["Statement"][0]["Action"],
        "kms:Decrypt"
    );
    let e = iam(w, &admin, "DeleteUser", json!({ "UserName": "Bob" })).unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        (
            "DeleteConflict",
            "Cannot delete entity, must delete policies first."
        )
    );
    iam(
        w,
        &admin,
        "DeleteUserPolicy",
        json!({ "UserName": "Bob", "PolicyName": "p" }),
    )
    .unwrap();
    assert_eq!(
        iam(
            w,
            &admin,
            "DeleteUserPolicy",
            json!({ "UserName": "Bob", "PolicyName": "p" })
        )
        .unwrap_err()
        .code,
        "NoSuchEntity"
    );

    let ro = "arn:aws:iam::aws:policy/ReadOnlyAccess";
    iam(
        w,
        &admin,
        "AttachUserPolicy",
        json!({ "UserName": "Bob", "PolicyArn": ro }),
    )
    .unwrap();
    let att = iam(
        w,
        &admin,
        "ListAttachedUserPolicies",
        json!({ "UserName": "Bob" }),
    )
    .unwrap();
    assert_eq!(
        att["AttachedPolicies"],
        json!([{ "PolicyName": "ReadOnlyAccess", "PolicyArn": ro }])
    );
    let e = iam(
        w,
        &admin,
        "AttachUserPolicy",
        json!({ "UserName": "Bob", "PolicyArn": "arn:aws:iam::aws:policy/Nope" }),
    )
    .unwrap_err();
    assert_eq!(e.code, "NoSuchEntity");
    assert_eq!(
        iam(w, &admin, "DeleteUser", json!({ "UserName": "Bob" }))
            .unwrap_err()
            .message,
        "Cannot delete entity, must detach all policies first."
    );
    iam(
        w,
        &admin,
        "DetachUserPolicy",
        json!({ "UserName": "Bob", "PolicyArn": ro }),
    )
    .unwrap();
    iam(w, &admin, "DeleteUser", json!({ "UserName": "Bob" })).unwrap();
    let users = iam(w, &admin, "ListUsers", json!({})).unwrap();
    assert_eq!(users["Users"].as_array().unwrap().len(), 1);
    assert_eq!(users["IsTruncated"], false);
    // IAM events land in us-east-1 whatever the caller's Region.
    let west = w.context_for_profile(None, Some("eu-west-1")).unwrap();
    iam(w, &west, "ListUsers", json!({})).unwrap();
    let ev = w.events().last().unwrap();
    assert_eq!(
        (ev.region.as_str(), ev.event_source.as_str()),
        ("us-east-1", "iam.amazonaws.com")
    );
    assert!(iam(w, &admin, "Frobnicate", json!({})).is_err());
}

#[test]
fn roles_and_assume_role() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let w = &mut lab.w;
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"sts:AssumeRole"}]}"#;
    let r = iam(
        w,
        &admin,
        "CreateRole",
        json!({ "RoleName": "PartnerAccess", "AssumeRolePolicyDocument": trust }),
    )
    .unwrap();
    assert!(r["Role"]["RoleId"].as_str().unwrap().starts_with("AROA"));
    assert_eq!(
        r["Role"]["AssumeRolePolicyDocument"]["Statement"][0]["Action"],
        "sts:AssumeRole"
    );
    let use_doc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}]}"#;
    // A trust policy is not an identity policy: IAM rejects its Principal.
    let e = iam(
        w,
        &admin,
        "PutRolePolicy",
        json!({ "RoleName": "PartnerAccess", "PolicyName": "use", "PolicyDocument": trust }),
    )
    .unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        (
            "MalformedPolicyDocument",
            "Syntax errors in policy. (statement 1: `Principal` is not allowed in an identity policy)"
        )
    );
    iam(
        w,
        &admin,
        "PutRolePolicy",
        json!({ "RoleName": "PartnerAccess", "PolicyName": "use", "PolicyDocument": use_doc }),
    )
    .unwrap();
    assert_eq!(
        iam(
            w,
            &admin,
            "ListRolePolicies",
            json!({ "RoleName": "PartnerAccess" })
        )
        .unwrap()["PolicyNames"],
        json!(["use"])
    );
    iam(w, &admin, "AttachRolePolicy", json!({ "RoleName": "PartnerAccess", "PolicyArn": "arn:aws:iam::aws:policy/PowerUserAccess" })).unwrap();
    assert_eq!(
        iam(
            w,
            &admin,
            "DeleteRole",
            json!({ "RoleName": "PartnerAccess" })
        )
        .unwrap_err()
        .code,
        "DeleteConflict"
    );
    let roles = iam(w, &admin, "ListRoles", json!({ "MaxItems": 2 })).unwrap();
    assert_eq!(roles["IsTruncated"], true);
    let more = iam(w, &admin, "ListRoles", json!({ "Marker": roles["Marker"] })).unwrap();
    assert_eq!(more["Roles"].as_array().unwrap().len(), 1);

    // Admin (prod) is not trusted; the partner account is.
    let arn = "arn:aws:iam::111122223333:role/PartnerAccess";
    let e = w
        .call(
            &admin,
            "sts",
            "AssumeRole",
            json!({ "RoleArn": arn, "RoleSessionName": "s1" }),
        )
        .unwrap_err();
    assert_eq!(e.code, "AccessDenied");
    assert_eq!(
        e.message,
        format!(
            "User: arn:aws:iam::111122223333:user/Admin is not authorized to perform: sts:AssumeRole on resource: {arn}"
        )
    );
    let partner = w.context_for_profile(Some("partner-admin"), None).unwrap();
    let out = w
        .call(
            &partner,
            "sts",
            "AssumeRole",
            json!({ "RoleArn": arn, "RoleSessionName": "s1", "DurationSeconds": 900 }),
        )
        .unwrap();
    assert!(
        out["Credentials"]["AccessKeyId"]
            .as_str()
            .unwrap()
            .starts_with("ASIA")
    );
    assert_eq!(out["Credentials"]["Expiration"], "2026-11-22T20:15:00Z");
    assert_eq!(
        out["AssumedRoleUser"]["Arn"],
        "arn:aws:sts::111122223333:assumed-role/PartnerAccess/s1"
    );
    assert!(
        out["AssumedRoleUser"]["AssumedRoleId"]
            .as_str()
            .unwrap()
            .ends_with(":s1")
    );
    let e = w
        .call(
            &partner,
            "sts",
            "AssumeRole",
            json!({ "RoleArn": arn, "RoleSessionName": "s", "DurationSeconds": 7200 }),
        )
        .unwrap_err();
    assert_eq!(e.code, "ValidationError");
    let e = w
        .call(
            &partner,
            "sts",
            "AssumeRole",
            json!({ "RoleArn": "arn:aws:iam::111122223333:role/Nope", "RoleSessionName": "s1" }),
        )
        .unwrap_err();
    assert_eq!(e.code, "AccessDenied");
    // Role profiles through `aws configure set`.
    w.configure_set("partner-role", "role_arn", arn).unwrap();
    w.configure_set("partner-role", "source_profile", "partner-admin")
        .unwrap();
    w.configure_set("partner-role", "region", "eu-west-1")
        .unwrap();
    assert!(w.configure_set("partner-role", "region", "mars-1").is_err());
    assert!(w.configure_set("partner-role", "output", "json").is_err());
    assert!(
        w.configure_set("partner-role", "role_arn", "arn:aws:s3:::b")
            .is_err()
    );
    let ctx = w.context_for_profile(Some("partner-role"), None).unwrap();
    assert_eq!(ctx.identity_type, IdentityType::AssumedRole);
    assert_eq!(ctx.account, "111122223333");
    assert_eq!(ctx.region, "eu-west-1");
    let me = w.call(&ctx, "sts", "GetCallerIdentity", json!({})).unwrap();
    assert_eq!(me["Arn"], ctx.principal_arn.as_str());
    assert!(me["UserId"].as_str().unwrap().starts_with("AROA"));
    let p = w
        .profiles()
        .into_iter()
        .find(|p| p.name == "partner-role")
        .unwrap();
    assert_eq!(p.source_profile.as_deref(), Some("partner-admin"));
    w.set_default_profile("partner-role").unwrap();
    assert_eq!(w.default_profile(), "partner-role");
    assert!(w.set_default_profile("ghost").is_err());
}

#[test]
fn role_sessions_are_cached_and_logged() {
    let mut w = World::new(5, START);
    let a = w.context_for_profile(Some("app"), None).unwrap();
    let b = w.context_for_profile(Some("app"), None).unwrap();
    assert_eq!(a.access_key_id, b.access_key_id);
    assert_eq!(
        w.events().filter(|e| e.event_name == "AssumeRole").count(),
        1
    );
    let ev = w
        .events()
        .find(|e| e.event_name == "AssumeRole")
        .unwrap()
        .record
        .clone();
    assert_eq!(ev["eventSource"], "sts.amazonaws.com");
    assert_eq!(ev["userIdentity"]["userName"], "Admin");
    assert_eq!(
        ev["resources"][0]["ARN"],
        "arn:aws:iam::111122223333:role/AppRole"
    );
    assert!(
        !ev.to_string().contains("SecretAccessKey") && !ev.to_string().contains("sessionToken")
    );
    // After expiry the CLI assumes the role again.
    w.advance_clock(3_600_000);
    let c = w.context_for_profile(Some("app"), None).unwrap();
    assert_ne!(c.access_key_id, a.access_key_id);
    assert_eq!(
        w.events().filter(|e| e.event_name == "AssumeRole").count(),
        2
    );
    // A KMS call as the role logs an AssumedRole identity with its session issuer (the
    // administrator creates the key; the app may describe it).
    let admin = w.context_for_profile(None, None).unwrap();
    let key = w.call(&admin, "kms", "CreateKey", json!({})).unwrap();
    w.call(
        &c,
        "kms",
        "DescribeKey",
        json!({ "KeyId": key["KeyMetadata"]["KeyId"] }),
    )
    .unwrap();
    let ev = w.events().last().unwrap().record.clone();
    assert_eq!(ev["userIdentity"]["type"], "AssumedRole");
    assert_eq!(
        ev["userIdentity"]["sessionContext"]["sessionIssuer"]["arn"],
        "arn:aws:iam::111122223333:role/AppRole"
    );
    assert_eq!(
        ev["userIdentity"]["sessionContext"]["sessionIssuer"]["userName"],
        "AppRole"
    );
}

#[test]
fn unknown_services_and_regions() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let before = lab.w.event_counters().total;
    assert_eq!(
        lab.w
            .call(&admin, "kinesis", "ListStreams", json!({}))
            .unwrap_err()
            .code,
        "UnknownServiceError"
    );
    let mut bad = admin.clone();
    bad.region = "moon-1".into();
    assert_eq!(
        lab.w
            .call(&bad, "kms", "ListKeys", json!({}))
            .unwrap_err()
            .code,
        "EndpointConnectionError"
    );
    assert_eq!(lab.w.event_counters().total, before);
    let e = lab
        .w
        .call(&admin, "kms", "ListKeys", json!("not an object"))
        .unwrap_err();
    assert_eq!(e.code, "SerializationException");
}

#[test]
fn role_policies_and_account_aliases() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let w = &mut lab.w;
    assert_eq!(w.account_alias("111122223333"), Some("prod"));
    assert_eq!(w.account_alias("444455556666"), Some("partner"));
    assert_eq!(w.account_alias("999999999999"), None);
    let role = iam(w, &admin, "GetRole", json!({ "RoleName": "SecurityAdmin" })).unwrap();
    assert_eq!(
        role["Role"]["Arn"],
        "arn:aws:iam::111122223333:role/SecurityAdmin"
    );
    assert_eq!(
        role["Role"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]["AWS"],
        "arn:aws:iam::111122223333:root"
    );
    let p = iam(
        w,
        &admin,
        "GetRolePolicy",
        json!({ "RoleName": "SecurityAdmin", "PolicyName": "KeyAdministration" }),
    )
    .unwrap();
    let actions = p["PolicyDocument"]["Statement"][0]["Action"]
        .as_array()
        .unwrap()
        .clone();
    assert!(
        actions.contains(&json!("kms:RotateKeyOnDemand"))
            && !actions.contains(&json!("kms:Decrypt"))
    );
    let app = iam(
        w,
        &admin,
        "GetRolePolicy",
        json!({ "RoleName": "AppRole", "PolicyName": "AppKeyUse" }),
    )
    .unwrap();
    assert_eq!(
        app["PolicyDocument"]["Statement"][0]["Action"],
        json!([
            "kms:Encrypt",
            "kms:Decrypt",
            "kms:GenerateDataKey*",
            "kms:DescribeKey"
        ])
    );
    let e = iam(
        w,
        &admin,
        "GetRolePolicy",
        json!({ "RoleName": "AppRole", "PolicyName": "nope" }),
    )
    .unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        (
            "NoSuchEntity",
            "The role policy with name nope cannot be found."
        )
    );
    let att = iam(
        w,
        &admin,
        "ListAttachedUserPolicies",
        json!({ "UserName": "Admin" }),
    )
    .unwrap();
    assert_eq!(
        att["AttachedPolicies"][0]["PolicyArn"],
        "arn:aws:iam::aws:policy/AdministratorAccess"
    );
    iam(
        w,
        &admin,
        "AttachRolePolicy",
        json!({ "RoleName": "AppRole", "PolicyArn": "arn:aws:iam::aws:policy/AmazonS3FullAccess" }),
    )
    .unwrap();
    assert_eq!(
        iam(
            w,
            &admin,
            "ListAttachedRolePolicies",
            json!({ "RoleName": "AppRole" })
        )
        .unwrap()["AttachedPolicies"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    iam(
        w,
        &admin,
        "DetachRolePolicy",
        json!({ "RoleName": "AppRole", "PolicyArn": "arn:aws:iam::aws:policy/AmazonS3FullAccess" }),
    )
    .unwrap();
    assert_eq!(iam(w, &admin, "DetachRolePolicy", json!({ "RoleName": "AppRole", "PolicyArn": "arn:aws:iam::aws:policy/AmazonS3FullAccess" })).unwrap_err().code, "NoSuchEntity");
    iam(
        w,
        &admin,
        "DeleteRolePolicy",
        json!({ "RoleName": "AppRole", "PolicyName": "AppKeyUse" }),
    )
    .unwrap();
    iam(w, &admin, "DeleteRole", json!({ "RoleName": "AppRole" })).unwrap();
    assert_eq!(
        iam(w, &admin, "GetRole", json!({ "RoleName": "AppRole" }))
            .unwrap_err()
            .message,
        "The role with name AppRole cannot be found."
    );
    // The app profile can no longer assume its role.
    let e = w.context_for_profile(Some("app"), None).unwrap_err();
    assert_eq!(e.code, "AccessDenied");
    let e = iam(w, &admin, "PutRolePolicy", json!({ "RoleName": "SecurityAdmin", "PolicyName": "x", "PolicyDocument": "{\"Version\":\"2012-10-17\"}" })).unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        (
            "MalformedPolicyDocument",
            "Syntax errors in policy. (policy: missing required element `Statement`)"
        )
    );
    let e = iam(
        w,
        &admin,
        "CreateRole",
        json!({ "RoleName": "R", "AssumeRolePolicyDocument": "{}", "MaxSessionDuration": 60 }),
    )
    .unwrap_err();
    assert_eq!(e.code, "MalformedPolicyDocument");
}
