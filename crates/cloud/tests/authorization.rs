//! Authorization as AWS evaluates it: the default world's profiles, cross-account use, grants
//! and grant tokens on the simulated clock, kms:ViaService and AWS managed keys, the lockout
//! safety check, explanations, and the order "authorization before key state".
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use cloud::{CallContext, PROD_ACCOUNT, World};
use common::{Lab, b64};
use proptest::prelude::*;
use serde_json::{Value, json};

const PARTNER: &str = "444455556666";

fn ctx(w: &mut World, profile: &str) -> CallContext {
    w.context_for_profile(Some(profile), None).unwrap()
}

fn call(w: &mut World, c: &CallContext, op: &str, input: Value) -> Result<Value, cloud::AwsError> {
    w.call(c, "kms", op, input)
}

fn key_arn(id: &str) -> String {
    format!("arn:aws:kms:us-east-1:{PROD_ACCOUNT}:key/{id}")
}

fn default_statement() -> Value {
    json!({ "Sid": "Enable IAM User Permissions", "Effect": "Allow",
            "Principal": { "AWS": format!("arn:aws:iam::{PROD_ACCOUNT}:root") },
            "Action": "kms:*", "Resource": "*" })
}

fn policy(statements: Vec<Value>) -> String {
    json!({ "Version": "2012-10-17", "Statement": statements }).to_string()
}

fn put_policy(lab: &mut Lab, key: &str, statements: Vec<Value>) {
    lab.ok(
        "PutKeyPolicy",
        json!({ "KeyId": key, "Policy": policy(statements) }),
    );
}

/// A role in `account` with no permissions but `inline` (if any), assumable by the account,
/// and a profile `profile` for it whose source is `source`.
fn role_profile(
    w: &mut World,
    source: &str,
    account: &str,
    role: &str,
    profile: &str,
    inline: Option<Value>,
) -> CallContext {
    let src = ctx(w, source);
    let trust = json!({ "Version": "2012-10-17", "Statement": [{ "Effect": "Allow",
        "Principal": { "AWS": format!("arn:aws:iam::{account}:root") }, "Action": "sts:AssumeRole" }] });
    w.call(
        &src,
        "iam",
        "CreateRole",
        json!({ "RoleName": role, "AssumeRolePolicyDocument": trust.to_string() }),
    )
    .unwrap();
    if let Some(doc) = inline {
        w.call(
            &src,
            "iam",
            "PutRolePolicy",
            json!({ "RoleName": role, "PolicyName": "p", "PolicyDocument": doc.to_string() }),
        )
        .unwrap();
    }
    w.configure_set(
        profile,
        "role_arn",
        &format!("arn:aws:iam::{account}:role/{role}"),
    )
    .unwrap();
    w.configure_set(profile, "source_profile", source).unwrap();
    ctx(w, profile)
}

fn allow(actions: &[&str]) -> Value {
    json!({ "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": actions, "Resource": "*" }] })
}

#[test]
fn admin_can_do_everything_on_a_default_policy_key() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    let blob = lab.encrypt(&key, b"hi", Value::Null);
    assert_eq!(lab.decrypt(&blob, Value::Null).unwrap(), b"hi");
    lab.ok("EnableKeyRotation", json!({ "KeyId": key }));
    lab.ok(
        "CreateAlias",
        json!({ "AliasName": "alias/app", "TargetKeyId": key }),
    );
    lab.ok(
        "TagResource",
        json!({ "KeyId": key, "Tags": [{ "TagKey": "team", "TagValue": "a" }] }),
    );
    lab.ok("DisableKey", json!({ "KeyId": key }));
    lab.ok(
        "ScheduleKeyDeletion",
        json!({ "KeyId": key, "PendingWindowInDays": 7 }),
    );
    let d = lab.w.last_denial(&lab.admin.principal_arn);
    assert!(d.is_none(), "{d:?}");
}

#[test]
fn security_admin_administers_but_cannot_use_keys() {
    let mut lab = Lab::new();
    let sec = ctx(&mut lab.w, "security-admin");
    let key = call(&mut lab.w, &sec, "CreateKey", json!({})).unwrap()["KeyMetadata"]["KeyId"]
        .as_str()
        .unwrap()
        .to_owned();
    call(&mut lab.w, &sec, "DescribeKey", json!({ "KeyId": key })).unwrap();
    let e = call(
        &mut lab.w,
        &sec,
        "Encrypt",
        json!({ "KeyId": key, "Plaintext": b64(b"x") }),
    )
    .unwrap_err();
    assert_eq!(e.code, "AccessDeniedException");
    assert_eq!(
        e.message,
        format!(
            "User: {} is not authorized to perform: kms:Encrypt on resource: {} because no identity-based policy allows the kms:Encrypt action",
            sec.principal_arn,
            key_arn(&key)
        )
    );
    let why = lab.w.last_denial(&sec.principal_arn).unwrap();
    assert_eq!(why.gate, "NoIamAllow");
    assert!(why.text.starts_with("DENIED: "), "{}", why.text);
    call(&mut lab.w, &sec, "DisableKey", json!({ "KeyId": key })).unwrap();
    call(
        &mut lab.w,
        &sec,
        "ScheduleKeyDeletion",
        json!({ "KeyId": key, "PendingWindowInDays": 7 }),
    )
    .unwrap();
    // The denial is logged with AWS's error code and message.
    let ev = lab
        .w
        .events()
        .filter(|e| e.event_name == "Encrypt")
        .last()
        .unwrap()
        .record
        .clone();
    assert_eq!(ev["errorCode"], "AccessDeniedException");
    assert_eq!(ev["errorMessage"], json!(e.message));
}

#[test]
fn app_uses_but_cannot_administer() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    let app = ctx(&mut lab.w, "app");
    let out = call(
        &mut lab.w,
        &app,
        "GenerateDataKey",
        json!({ "KeyId": key, "KeySpec": "AES_256" }),
    )
    .unwrap();
    let pt = call(
        &mut lab.w,
        &app,
        "Decrypt",
        json!({ "CiphertextBlob": out["CiphertextBlob"] }),
    )
    .unwrap();
    assert_eq!(pt["Plaintext"], out["Plaintext"]);
    for op in ["DisableKey", "ScheduleKeyDeletion", "EnableKeyRotation"] {
        let e = call(&mut lab.w, &app, op, json!({ "KeyId": key })).unwrap_err();
        assert_eq!(e.code, "AccessDeniedException", "{op}");
    }
    let e = call(&mut lab.w, &app, "CreateKey", json!({})).unwrap_err();
    assert_eq!(
        e.message,
        format!(
            "User: {} is not authorized to perform: kms:CreateKey on resource: * because no identity-based policy allows the kms:CreateKey action",
            app.principal_arn
        )
    );
    assert_eq!(lab.state(&key), "Enabled");
}

#[test]
fn authorization_comes_before_key_state() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    lab.ok("DisableKey", json!({ "KeyId": key }));
    let sec = ctx(&mut lab.w, "security-admin");
    let app = ctx(&mut lab.w, "app");
    // Denied caller on a disabled key: AccessDenied, not Disabled.
    let e = call(
        &mut lab.w,
        &sec,
        "Encrypt",
        json!({ "KeyId": key, "Plaintext": b64(b"x") }),
    )
    .unwrap_err();
    assert_eq!(e.code, "AccessDeniedException");
    // Allowed caller on a disabled key: DisabledException.
    let e = call(
        &mut lab.w,
        &app,
        "Encrypt",
        json!({ "KeyId": key, "Plaintext": b64(b"x") }),
    )
    .unwrap_err();
    assert_eq!(e.code, "DisabledException");
}

#[test]
fn partner_needs_the_key_policy_and_the_key_arn() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    let blob = lab.encrypt(&key, b"shared", Value::Null);
    let partner = ctx(&mut lab.w, "partner-admin");
    // Not allowed by the key policy yet: denied even with AdministratorAccess.
    let e = call(
        &mut lab.w,
        &partner,
        "Decrypt",
        json!({ "CiphertextBlob": blob, "KeyId": key_arn(&key) }),
    )
    .unwrap_err();
    assert_eq!(e.code, "AccessDeniedException");
    assert!(
        e.message
            .ends_with("because no resource-based policy allows the kms:Decrypt action"),
        "{}",
        e.message
    );
    put_policy(
        &mut lab,
        &key,
        vec![
            default_statement(),
            json!({ "Sid": "Partner", "Effect": "Allow",
                    "Principal": { "AWS": format!("arn:aws:iam::{PARTNER}:root") },
                    "Action": ["kms:Decrypt", "kms:DescribeKey"], "Resource": "*" }),
        ],
    );
    let out = call(
        &mut lab.w,
        &partner,
        "Decrypt",
        json!({ "CiphertextBlob": blob, "KeyId": key_arn(&key) }),
    )
    .unwrap();
    assert_eq!(out["Plaintext"], b64(b"shared"));
    assert_eq!(lab.w.kms_request_count(PARTNER), 2, "the caller pays");
    // A bare key id names a key in the caller's own account.
    let e = call(&mut lab.w, &partner, "DescribeKey", json!({ "KeyId": key })).unwrap_err();
    assert_eq!(e.code, "NotFoundException");
    call(
        &mut lab.w,
        &partner,
        "DescribeKey",
        json!({ "KeyId": key_arn(&key) }),
    )
    .unwrap();
    // ListKeys never shows another account's key.
    let keys = call(&mut lab.w, &partner, "ListKeys", json!({})).unwrap();
    assert!(!keys.to_string().contains(&key));
    // Not a cross-account operation, whatever the policy says.
    let e = call(
        &mut lab.w,
        &partner,
        "DisableKey",
        json!({ "KeyId": key_arn(&key) }),
    )
    .unwrap_err();
    assert_eq!(e.code, "AccessDeniedException");
    assert_eq!(
        lab.w.last_denial(&partner.principal_arn).unwrap().gate,
        "CrossAccountNotSupported"
    );
}

#[test]
fn cross_account_needs_both_sides() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    let blob = lab.encrypt(&key, b"x", Value::Null);
    let decrypt = json!({ "CiphertextBlob": blob, "KeyId": key_arn(&key) });
    // A partner role without any identity policy.
    let bare = role_profile(
        &mut lab.w,
        "partner-admin",
        PARTNER,
        "Bare",
        "partner-bare",
        None,
    );
    // A partner role whose identity policy allows Decrypt.
    let user = role_profile(
        &mut lab.w,
        "partner-admin",
        PARTNER,
        "Reader",
        "partner-reader",
        Some(allow(&["kms:Decrypt"])),
    );
    // Only the identity side: denied by the key policy.
    let e = call(&mut lab.w, &user, "Decrypt", decrypt.clone()).unwrap_err();
    assert_eq!(e.code, "AccessDeniedException");
    assert_eq!(
        lab.w.last_denial(&user.principal_arn).unwrap().gate,
        "IamNotDelegated"
    );
    put_policy(
        &mut lab,
        &key,
        vec![
            default_statement(),
            json!({ "Sid": "Partner", "Effect": "Allow",
                    "Principal": { "AWS": format!("arn:aws:iam::{PARTNER}:root") },
                    "Action": "kms:Decrypt", "Resource": "*" }),
        ],
    );
    // Only the key-policy side: denied by the caller's account.
    let e = call(&mut lab.w, &bare, "Decrypt", decrypt.clone()).unwrap_err();
    assert_eq!(e.code, "AccessDeniedException");
    assert!(
        e.message
            .ends_with("because no identity-based policy allows the kms:Decrypt action"),
        "{}",
        e.message
    );
    // Both: allowed.
    call(&mut lab.w, &user, "Decrypt", decrypt).unwrap();
}

#[test]
fn grants_propagate_or_need_their_token() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    let worker = role_profile(&mut lab.w, "admin", PROD_ACCOUNT, "Worker", "worker", None);
    let enc = json!({ "KeyId": key, "Plaintext": b64(b"job") });
    let e = call(&mut lab.w, &worker, "Encrypt", enc.clone()).unwrap_err();
    assert_eq!(e.code, "AccessDeniedException");
    let grant = lab.ok(
        "CreateGrant",
        json!({ "KeyId": key, "GranteePrincipal": format!("arn:aws:iam::{PROD_ACCOUNT}:role/Worker"),
                "Operations": ["Encrypt", "Decrypt"],
                "Constraints": { "EncryptionContextSubset": { "job": "1" } } }),
    );
    let token = grant["GrantToken"].as_str().unwrap().to_owned();
    let with_ctx =
        json!({ "KeyId": key, "Plaintext": b64(b"job"), "EncryptionContext": { "job": "1" } });
    // Not propagated yet: denied without the token.
    let e = call(&mut lab.w, &worker, "Encrypt", with_ctx.clone()).unwrap_err();
    assert_eq!(e.code, "AccessDeniedException");
    assert_eq!(
        lab.w.last_denial(&worker.principal_arn).unwrap().gate,
        "GrantPending"
    );
    // With the grant token: allowed at once.
    let mut tokened = with_ctx.clone();
    tokened["GrantTokens"] = json!([token]);
    call(&mut lab.w, &worker, "Encrypt", tokened).unwrap();
    // The grant's constraint still applies.
    let mut wrong = enc.clone();
    wrong["GrantTokens"] = json!([token]);
    assert_eq!(
        call(&mut lab.w, &worker, "Encrypt", wrong)
            .unwrap_err()
            .code,
        "AccessDeniedException"
    );
    // After propagation (60 s on the simulated clock), no token is needed.
    lab.w.advance_clock(61_000);
    call(&mut lab.w, &worker, "Encrypt", with_ctx.clone()).unwrap();
    // The grantee may retire its grant if the grant says RetireGrant; Worker's does not.
    let e = call(
        &mut lab.w,
        &worker,
        "RetireGrant",
        json!({ "GrantToken": token }),
    )
    .unwrap_err();
    assert_eq!(e.code, "AccessDeniedException");
    lab.ok(
        "RevokeGrant",
        json!({ "KeyId": key, "GrantId": grant["GrantId"] }),
    );
    assert_eq!(
        call(&mut lab.w, &worker, "Encrypt", with_ctx)
            .unwrap_err()
            .code,
        "AccessDeniedException"
    );
}

#[test]
fn aws_managed_keys_only_through_their_service() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    lab.ok("DescribeKey", json!({ "KeyId": "alias/aws/s3" }));
    let enc = json!({ "KeyId": "alias/aws/s3", "Plaintext": b64(b"obj") });
    // Used directly, even by an administrator: denied by the key's own policy.
    let e = lab.err("Encrypt", enc.clone());
    assert_eq!(e.code, "AccessDeniedException");
    assert!(
        e.message
            .ends_with("because no resource-based policy allows the kms:Encrypt action"),
        "{}",
        e.message
    );
    // Through S3 (kms:ViaService = s3.us-east-1.amazonaws.com): allowed.
    let via = admin.via("s3");
    lab.w.call(&via, "kms", "Encrypt", enc.clone()).unwrap();
    // Through another service: denied.
    let e = lab
        .w
        .call(&admin.via("rds"), "kms", "Encrypt", enc)
        .unwrap_err();
    assert_eq!(e.code, "AccessDeniedException");
    // Its policy, deletion and rotation cannot be changed.
    for (op, input) in [
        ("DisableKey", json!({ "KeyId": "alias/aws/s3" })),
        ("ScheduleKeyDeletion", json!({ "KeyId": "alias/aws/s3" })),
        ("DisableKeyRotation", json!({ "KeyId": "alias/aws/s3" })),
        (
            "PutKeyPolicy",
            json!({ "KeyId": "alias/aws/s3", "Policy": policy(vec![default_statement()]) }),
        ),
    ] {
        // These operations take a key id, not an alias: resolve it first.
        let id = lab.ok("DescribeKey", json!({ "KeyId": "alias/aws/s3" }))["KeyMetadata"]["KeyId"]
            .clone();
        let mut input = input;
        input["KeyId"] = id;
        assert_eq!(lab.err(op, input).code, "AccessDeniedException", "{op}");
    }
}

#[test]
fn via_service_conditions_in_a_customer_key_policy() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    put_policy(
        &mut lab,
        &key,
        vec![
            default_statement(),
            json!({ "Sid": "OnlyThroughS3", "Effect": "Deny", "Principal": "*",
                    "Action": "kms:Decrypt", "Resource": "*",
                    "Condition": { "StringNotEquals": { "kms:ViaService": "s3.us-east-1.amazonaws.com" } } }),
        ],
    );
    let blob = lab.encrypt(&key, b"x", Value::Null);
    let e = lab.decrypt(&blob, Value::Null).unwrap_err();
    assert_eq!(e.code, "AccessDeniedException");
    assert!(
        e.message
            .ends_with("with an explicit deny in a resource-based policy")
    );
    let via = lab.admin.via("s3");
    lab.w
        .call(&via, "kms", "Decrypt", json!({ "CiphertextBlob": blob }))
        .unwrap();
}

#[test]
fn reencrypt_checks_both_keys() {
    let mut lab = Lab::new();
    let src = lab.create_key();
    let dst = lab.create_key();
    let blob = lab.encrypt(&src, b"x", Value::Null);
    let mover = role_profile(
        &mut lab.w,
        "admin",
        PROD_ACCOUNT,
        "Mover",
        "mover",
        Some(json!({ "Version": "2012-10-17", "Statement": [
            { "Effect": "Allow", "Action": "kms:ReEncryptFrom", "Resource": key_arn(&src) },
            { "Effect": "Allow", "Action": "kms:ReEncryptTo", "Resource": key_arn(&src) },
        ] })),
    );
    let input = json!({ "CiphertextBlob": blob, "DestinationKeyId": dst });
    let e = call(&mut lab.w, &mover, "ReEncrypt", input.clone()).unwrap_err();
    assert!(
        e.message
            .contains(&format!("kms:ReEncryptTo on resource: {}", key_arn(&dst))),
        "{}",
        e.message
    );
    let explained = lab.w.explain(&mover, "kms", "ReEncrypt", input).unwrap();
    let decisions = explained["Decisions"].as_array().unwrap();
    assert_eq!(decisions.len(), 2);
    assert_eq!(decisions[0]["Action"], "kms:ReEncryptFrom");
    assert_eq!(decisions[0]["Allowed"], true);
    assert_eq!(decisions[1]["Action"], "kms:ReEncryptTo");
    assert_eq!(decisions[1]["Allowed"], false);
}

#[test]
fn lockout_safety_check() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    let partner_only = policy(vec![json!({ "Effect": "Allow",
        "Principal": { "AWS": format!("arn:aws:iam::{PARTNER}:root") }, "Action": "kms:*", "Resource": "*" })]);
    let e = lab.err(
        "PutKeyPolicy",
        json!({ "KeyId": key, "Policy": partner_only }),
    );
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        (
            "MalformedPolicyDocumentException",
            "The new key policy will not allow you to update the key policy in the future."
        )
    );
    let e = lab.err("CreateKey", json!({ "Policy": partner_only }));
    assert_eq!(e.code, "MalformedPolicyDocumentException");
    // The default statement passes the check for an administrator.
    lab.ok(
        "CreateKey",
        json!({ "Policy": policy(vec![default_statement()]) }),
    );
    // Bypassing the check locks the account out of the key.
    lab.ok(
        "PutKeyPolicy",
        json!({ "KeyId": key, "Policy": partner_only, "BypassPolicyLockoutSafetyCheck": true }),
    );
    assert_eq!(
        lab.err("GetKeyPolicy", json!({ "KeyId": key })).code,
        "AccessDeniedException"
    );
}

#[test]
fn policies_are_parsed_on_write() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    let e = lab.err(
        "PutKeyPolicy",
        json!({ "KeyId": key, "Policy": r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*"}]}"# }),
    );
    assert_eq!(e.code, "MalformedPolicyDocumentException");
    assert!(e.message.contains("Principal"), "{}", e.message);
    let big = format!(
        r#"{{"Version":"2012-10-17","Id":"{}","Statement":[{}]}}"#,
        "x".repeat(33_000),
        default_statement()
    );
    assert_eq!(
        lab.err("PutKeyPolicy", json!({ "KeyId": key, "Policy": big }))
            .code,
        "LimitExceededException"
    );
    // GetKeyPolicy returns the policy exactly as written.
    let text = policy(vec![default_statement()]);
    lab.ok("PutKeyPolicy", json!({ "KeyId": key, "Policy": text }));
    assert_eq!(
        lab.ok("GetKeyPolicy", json!({ "KeyId": key }))["Policy"],
        json!(text)
    );
}

#[test]
fn explain_changes_nothing_and_says_which_gate_decided() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    let app = ctx(&mut lab.w, "app");
    let events = lab.w.event_counters().total;
    let requests = lab.w.kms_request_count(PROD_ACCOUNT);
    let out = lab
        .w
        .explain(&app, "kms", "DisableKey", json!({ "KeyId": key }))
        .unwrap();
    assert_eq!(out["Outcome"], "Denied");
    assert_eq!(out["Error"]["Code"], "AccessDeniedException");
    let d = &out["Decisions"][0];
    assert_eq!(d["Gate"], "NoIamAllow");
    assert_eq!(d["Action"], "kms:DisableKey");
    assert_eq!(d["Resource"], json!(key_arn(&key)));
    assert_eq!(
        d["Explanation"]["key_policy"]["statements"][0]["sid"],
        "Enable IAM User Permissions"
    );
    let text = out["Text"].as_str().unwrap();
    assert!(text.contains("DENIED: "), "{text}");
    assert!(
        text.contains("role/AppRole inline policy AppKeyUse"),
        "{text}"
    );
    assert_eq!(lab.w.event_counters().total, events);
    assert_eq!(lab.w.kms_request_count(PROD_ACCOUNT), requests);
    assert_eq!(lab.state(&key), "Enabled");
    // An allowed call is explained too, and not made.
    let out = lab
        .w
        .explain(
            &app,
            "kms",
            "Encrypt",
            json!({ "KeyId": key, "Plaintext": b64(b"x") }),
        )
        .unwrap();
    assert_eq!(out["Outcome"], "Allowed");
    assert_eq!(out["Decisions"][0]["Gate"], "KeyPolicyPlusIam");
    // A failure before authorization says so.
    let out = lab
        .w
        .explain(&app, "kms", "DescribeKey", json!({ "KeyId": "alias/none" }))
        .unwrap();
    assert_eq!(out["Outcome"], "Failed");
    assert!(
        out["Text"]
            .as_str()
            .unwrap()
            .contains("fails before authorization with NotFoundException")
    );
}

#[test]
fn iam_and_sts_are_authorized() {
    let mut lab = Lab::new();
    let app = ctx(&mut lab.w, "app");
    let e = lab.w.call(&app, "iam", "ListUsers", json!({})).unwrap_err();
    assert_eq!((e.code.as_str(), e.status), ("AccessDenied", 403));
    // GetCallerIdentity needs no permission.
    lab.w
        .call(&app, "sts", "GetCallerIdentity", json!({}))
        .unwrap();
    let e = lab
        .w
        .call(&app, "cloudtrail", "LookupEvents", json!({}))
        .unwrap_err();
    assert_eq!(e.code, "AccessDeniedException");
    // The app role cannot assume the security administrator's role.
    let e = lab
        .w
        .call(
            &app,
            "sts",
            "AssumeRole",
            json!({ "RoleArn": format!("arn:aws:iam::{PROD_ACCOUNT}:role/SecurityAdmin"), "RoleSessionName": "probe" }),
        )
        .unwrap_err();
    assert_eq!(e.code, "AccessDenied");
    assert_eq!(
        lab.w.last_denial(&app.principal_arn).unwrap().action,
        "sts:AssumeRole"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Adding an explicit Deny statement to a key policy never turns a denied call into an
    /// allowed one.
    #[test]
    fn adding_a_deny_never_allows(
        profile in prop::sample::select(vec!["admin", "security-admin", "app", "partner-admin"]),
        op in prop::sample::select(vec!["Encrypt", "DescribeKey", "DisableKey", "GetKeyPolicy", "EnableKeyRotation"]),
        deny_action in prop::sample::select(vec!["kms:*", "kms:Encrypt", "kms:Describe*", "kms:Disable*", "s3:*"]),
        deny_principal in prop::sample::select(vec!["*", "arn:aws:iam::111122223333:root", "arn:aws:iam::444455556666:root", "arn:aws:iam::111122223333:role/AppRole"]),
        partner_allowed in any::<bool>(),
    ) {
        let mut lab = Lab::new();
        let key = lab.create_key();
        let mut statements = vec![default_statement()];
        if partner_allowed {
            statements.push(json!({ "Sid": "Partner", "Effect": "Allow",
                "Principal": { "AWS": format!("arn:aws:iam::{PARTNER}:root") },
                "Action": "kms:*", "Resource": "*" }));
        }
        put_policy(&mut lab, &key, statements.clone());
        let caller = ctx(&mut lab.w, profile);
        let input = match op {
            "Encrypt" => json!({ "KeyId": key_arn(&key), "Plaintext": b64(b"p") }),
            _ => json!({ "KeyId": key_arn(&key) }),
        };
        let before = lab.w.explain(&caller, "kms", op, input.clone()).unwrap();
        statements.push(json!({ "Sid": "Deny", "Effect": "Deny",
            "Principal": { "AWS": deny_principal }, "Action": deny_action, "Resource": "*" }));
        lab.ok("PutKeyPolicy", json!({ "KeyId": key, "Policy": policy(statements),
            "BypassPolicyLockoutSafetyCheck": true }));
        let after = lab.w.explain(&caller, "kms", op, input).unwrap();
        let allowed = |v: &Value| v["Decisions"].as_array().is_some_and(|d| !d.is_empty() && d.iter().all(|x| x["Allowed"] == true));
        prop_assert!(allowed(&before) || !allowed(&after), "{op} as {profile}: {}", after["Text"]);
    }
}

#[test]
fn operation_condition_keys_reach_the_policies() {
    let mut lab = Lab::new();
    // An administrator role that may only create keys tagged team=data and may only schedule
    // deletion with the longest waiting period.
    let ops = role_profile(
        &mut lab.w,
        "admin",
        PROD_ACCOUNT,
        "Ops",
        "ops",
        Some(json!({ "Version": "2012-10-17", "Statement": [
            { "Effect": "Allow", "Action": "kms:CreateKey", "Resource": "*",
              "Condition": { "StringEquals": { "aws:RequestTag/team": "data" } } },
            { "Effect": "Allow", "Action": "kms:ScheduleKeyDeletion", "Resource": "*",
              "Condition": { "NumericGreaterThanEquals": { "kms:ScheduleKeyDeletionPendingWindowInDays": "30" } } },
            { "Effect": "Allow", "Action": "kms:Encrypt", "Resource": "*",
              "Condition": { "StringEquals": { "kms:RequestAlias": "alias/data" } } },
        ] })),
    );
    assert_eq!(
        call(&mut lab.w, &ops, "CreateKey", json!({}))
            .unwrap_err()
            .code,
        "AccessDeniedException"
    );
    let key = call(
        &mut lab.w,
        &ops,
        "CreateKey",
        json!({ "Tags": [{ "TagKey": "team", "TagValue": "data" }] }),
    )
    .unwrap()["KeyMetadata"]["KeyId"]
        .as_str()
        .unwrap()
        .to_owned();
    lab.ok(
        "CreateAlias",
        json!({ "AliasName": "alias/data", "TargetKeyId": key }),
    );
    // kms:RequestAlias: allowed through the alias, not by key id.
    let by_id = json!({ "KeyId": key, "Plaintext": b64(b"x") });
    assert_eq!(
        call(&mut lab.w, &ops, "Encrypt", by_id).unwrap_err().code,
        "AccessDeniedException"
    );
    call(
        &mut lab.w,
        &ops,
        "Encrypt",
        json!({ "KeyId": "alias/data", "Plaintext": b64(b"x") }),
    )
    .unwrap();
    // kms:ScheduleKeyDeletionPendingWindowInDays.
    let e = call(
        &mut lab.w,
        &ops,
        "ScheduleKeyDeletion",
        json!({ "KeyId": key, "PendingWindowInDays": 7 }),
    )
    .unwrap_err();
    assert_eq!(e.code, "AccessDeniedException");
    call(
        &mut lab.w,
        &ops,
        "ScheduleKeyDeletion",
        json!({ "KeyId": key, "PendingWindowInDays": 30 }),
    )
    .unwrap();
}
