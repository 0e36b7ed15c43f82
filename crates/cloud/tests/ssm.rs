//! Parameter Store on top of KMS: SecureString values really encrypted (Standard tier through
//! KMS Encrypt/Decrypt, Advanced tier with a GenerateDataKey envelope), the PARAMETER_ARN
//! context, no KMS call without decryption, KMS failures as SSM reports them, tiers and sizes,
//! versions, labels, paths, filters, tags and CloudTrail.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use cloud::{AwsError, CallContext, PROD_ACCOUNT, World};
use common::{Lab, unb64};
use serde_json::{Value, json};

const REGION: &str = "us-east-1";

fn ssm(w: &mut World, c: &CallContext, op: &str, input: Value) -> Result<Value, AwsError> {
    w.call(c, "ssm", op, input)
}

fn ok(w: &mut World, c: &CallContext, op: &str, input: Value) -> Value {
    ssm(w, c, op, input.clone()).unwrap_or_else(|e| panic!("{op} {input}: {e}"))
}

fn err(w: &mut World, c: &CallContext, op: &str, input: Value) -> AwsError {
    match ssm(w, c, op, input.clone()) {
        Ok(v) => panic!("{op} {input} unexpectedly succeeded: {v}"),
        Err(e) => e,
    }
}

fn put(w: &mut World, c: &CallContext, name: &str, value: &str, extra: Value) -> Value {
    let mut input = json!({ "Name": name, "Value": value, "Type": "SecureString" });
    if let (Value::Object(m), Value::Object(e)) = (&mut input, extra) {
        m.extend(e);
    }
    ok(w, c, "PutParameter", input)
}

fn get(w: &mut World, c: &CallContext, name: &str, decrypt: bool) -> Result<Value, AwsError> {
    ssm(
        w,
        c,
        "GetParameter",
        json!({ "Name": name, "WithDecryption": decrypt }),
    )
}

/// The KMS events since event number `from`.
fn kms_events(w: &World, from: usize) -> Vec<Value> {
    w.events()
        .skip(from)
        .filter(|e| e.event_source == "kms.amazonaws.com")
        .map(|e| e.record.clone())
        .collect()
}

fn app(lab: &mut Lab) -> CallContext {
    lab.w.context_for_profile(Some("app"), None).unwrap()
}

/// Gives AppRole an inline policy.
fn role_policy(lab: &mut Lab, name: &str, doc: Value) {
    let admin = lab.admin.clone();
    lab.w
        .call(
            &admin,
            "iam",
            "PutRolePolicy",
            json!({ "RoleName": "AppRole", "PolicyName": name, "PolicyDocument": doc.to_string() }),
        )
        .unwrap();
}

#[test]
fn standard_secure_string_is_encrypted_through_kms_via_ssm() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let w = &mut lab.w;
    let before = w.events().count();
    let out = put(w, &admin, "/app/db", "s3cr3t", json!({}));
    assert_eq!(out, json!({ "Version": 1, "Tier": "Standard" }));
    // The value is stored as a KMS ciphertext blob, not the plaintext.
    let stored = w
        .ssm()
        .stored_value(PROD_ACCOUNT, REGION, "/app/db")
        .unwrap()
        .to_owned();
    let blob = unb64(&json!(stored));
    assert!(!blob.windows(6).any(|b| b == b"s3cr3t"));
    assert!(!serde_json::to_string(&w).unwrap().contains("s3cr3t"));
    // One KMS Encrypt, as the caller, through SSM, bound to the parameter ARN; aws/ssm exists.
    let kms = kms_events(w, before);
    let names: Vec<&str> = kms
        .iter()
        .map(|e| e["eventName"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Encrypt"]);
    let enc = &kms[0];
    assert_eq!(enc["userIdentity"]["invokedBy"], "ssm.amazonaws.com");
    assert_eq!(enc["userIdentity"]["arn"], admin.principal_arn.as_str());
    assert_eq!(
        enc["requestParameters"]["encryptionContext"],
        json!({ "PARAMETER_ARN": "arn:aws:ssm:us-east-1:111122223333:parameter/app/db" })
    );
    assert_eq!(enc["requestParameters"]["keyId"], "alias/aws/ssm");
    let alias = w
        .call(
            &admin,
            "kms",
            "DescribeKey",
            json!({ "KeyId": "alias/aws/ssm" }),
        )
        .unwrap();
    assert_eq!(alias["KeyMetadata"]["KeyManager"], "AWS");
    // The PutParameter event: ssm.amazonaws.com, not read-only, no value logged.
    let put_event = w
        .events()
        .find(|e| e.event_name == "PutParameter")
        .unwrap()
        .record
        .clone();
    assert_eq!(put_event["eventSource"], "ssm.amazonaws.com");
    assert_eq!(put_event["readOnly"], false);
    assert_eq!(put_event["requestParameters"]["name"], "/app/db");
    assert!(put_event["requestParameters"].get("value").is_none());
    assert!(!put_event.to_string().contains("s3cr3t"));

    // Without decryption: the stored ciphertext, and no KMS call at all.
    let before = w.events().count();
    let plain = get(w, &admin, "/app/db", false).unwrap();
    assert_eq!(plain["Parameter"]["Value"], stored.as_str());
    assert_eq!(plain["Parameter"]["Type"], "SecureString");
    assert_eq!(
        plain["Parameter"]["ARN"],
        "arn:aws:ssm:us-east-1:111122223333:parameter/app/db"
    );
    assert_eq!(plain["Parameter"]["DataType"], "text");
    assert!(kms_events(w, before).is_empty());
    assert_eq!(w.events().count(), before + 1);
    let ev = w.events().last().unwrap();
    assert_eq!(ev.event_name, "GetParameter");
    assert!(ev.read_only);

    // With decryption: the plaintext, after one KMS Decrypt through SSM.
    let before = w.events().count();
    let dec = get(w, &admin, "/app/db", true).unwrap();
    assert_eq!(dec["Parameter"]["Value"], "s3cr3t");
    let kms = kms_events(w, before);
    assert_eq!(kms.len(), 1);
    assert_eq!(kms[0]["eventName"], "Decrypt");
    assert_eq!(kms[0]["userIdentity"]["invokedBy"], "ssm.amazonaws.com");
    assert_eq!(kms[0]["sourceIPAddress"], "ssm.amazonaws.com");
    assert_eq!(
        kms[0]["requestParameters"]["encryptionContext"]["PARAMETER_ARN"],
        "arn:aws:ssm:us-east-1:111122223333:parameter/app/db"
    );
}

#[test]
fn a_name_without_a_slash_has_the_same_arn_form() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let w = &mut lab.w;
    let before = w.events().count();
    put(w, &admin, "MyParameter", "v", json!({}));
    let enc = &kms_events(w, before)[0];
    assert_eq!(
        enc["requestParameters"]["encryptionContext"]["PARAMETER_ARN"],
        "arn:aws:ssm:us-east-1:111122223333:parameter/MyParameter"
    );
    let by_arn = get(
        w,
        &admin,
        "arn:aws:ssm:us-east-1:111122223333:parameter/MyParameter",
        true,
    )
    .unwrap();
    assert_eq!(by_arn["Parameter"]["Value"], "v");
    assert_eq!(by_arn["Parameter"]["Name"], "MyParameter");
}

#[test]
fn advanced_tier_uses_envelope_encryption_and_sizes_follow_the_tier() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let w = &mut lab.w;
    let big = "x".repeat(5000);
    // Standard: at most 4096 bytes.
    let e = err(
        w,
        &admin,
        "PutParameter",
        json!({ "Name": "/big", "Value": big, "Type": "SecureString" }),
    );
    assert_eq!(e.code, "ValidationException");
    assert!(e.message.starts_with(
        "Standard tier parameters support a maximum parameter value of 4096 characters."
    ));
    let exact = "y".repeat(4096);
    put(w, &admin, "/exact", &exact, json!({}));
    // Advanced: GenerateDataKey, then a local AES-GCM envelope.
    let before = w.events().count();
    let out = put(w, &admin, "/big", &big, json!({ "Tier": "Advanced" }));
    assert_eq!(out["Tier"], "Advanced");
    let names: Vec<String> = kms_events(w, before)
        .iter()
        .map(|e| e["eventName"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names, ["GenerateDataKey"]);
    let stored = w.ssm().stored_value(PROD_ACCOUNT, REGION, "/big").unwrap();
    assert!(!stored.contains(&"x".repeat(20)));
    let before = w.events().count();
    assert_eq!(
        get(w, &admin, "/big", true).unwrap()["Parameter"]["Value"],
        big
    );
    let kms = kms_events(w, before);
    assert_eq!(kms.len(), 1);
    assert_eq!(kms[0]["eventName"], "Decrypt");
    assert_eq!(
        kms[0]["requestParameters"]["encryptionContext"]["PARAMETER_ARN"],
        "arn:aws:ssm:us-east-1:111122223333:parameter/big"
    );
    // Advanced: at most 8192 bytes.
    let huge = "z".repeat(8193);
    let e = err(
        w,
        &admin,
        "PutParameter",
        json!({ "Name": "/huge", "Value": huge, "Type": "String", "Tier": "Advanced" }),
    );
    assert_eq!(e.code, "ValidationException");
    assert!(e.message.contains("8192"));
    // Intelligent-Tiering picks Advanced only when the request needs it.
    let small = ok(
        w,
        &admin,
        "PutParameter",
        json!({ "Name": "/it/small", "Value": "a", "Type": "String", "Tier": "Intelligent-Tiering" }),
    );
    assert_eq!(small["Tier"], "Standard");
    let large = ok(
        w,
        &admin,
        "PutParameter",
        json!({ "Name": "/it/large", "Value": big, "Type": "String", "Tier": "Intelligent-Tiering" }),
    );
    assert_eq!(large["Tier"], "Advanced");
}

#[test]
fn an_advanced_parameter_cannot_go_back_to_standard() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let w = &mut lab.w;
    put(w, &admin, "/cfg", "one", json!({ "Tier": "Advanced" }));
    let e = err(
        w,
        &admin,
        "PutParameter",
        json!({ "Name": "/cfg", "Value": "two", "Overwrite": true, "Tier": "Standard" }),
    );
    assert_eq!(e.code, "ValidationException");
    assert!(
        e.message
            .contains("You can't downgrade a parameter from the advanced-parameter tier")
    );
    // Without a tier the overwrite stays Advanced; Standard → Advanced is allowed.
    let again = ok(
        w,
        &admin,
        "PutParameter",
        json!({ "Name": "/cfg", "Value": "two", "Overwrite": true }),
    );
    assert_eq!(again, json!({ "Version": 2, "Tier": "Advanced" }));
    put(w, &admin, "/std", "one", json!({}));
    let up = ok(
        w,
        &admin,
        "PutParameter",
        json!({ "Name": "/std", "Value": "two", "Overwrite": true, "Tier": "Advanced" }),
    );
    assert_eq!(up["Tier"], "Advanced");
    // Both versions still decrypt (version 1 was encrypted directly, version 2 with an envelope).
    let v1 = get(w, &admin, "/std:1", true).unwrap();
    assert_eq!(v1["Parameter"]["Value"], "one");
    assert_eq!(v1["Parameter"]["Selector"], ":1");
    assert_eq!(
        get(w, &admin, "/std", true).unwrap()["Parameter"]["Value"],
        "two"
    );
}

#[test]
fn kms_failures_surface_as_ssm_reports_them() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let key = lab.create_key();
    let w = &mut lab.w;
    put(w, &admin, "/app/key", "k", json!({ "KeyId": key }));
    // A key that does not exist: InvalidKeyId carrying KMS's NotFoundException.
    let e = err(
        w,
        &admin,
        "PutParameter",
        json!({ "Name": "/app/none", "Value": "v", "Type": "SecureString", "KeyId": "alias/none" }),
    );
    assert_eq!(e.code, "InvalidKeyId");
    assert!(
        e.message.contains("Error Code: NotFoundException"),
        "{}",
        e.message
    );
    assert!(e.message.contains("(Service: AWSKMS; Status Code: 400;"));
    // A disabled key: decrypting reads and writes fail, reading the ciphertext still works.
    w.call(&admin, "kms", "DisableKey", json!({ "KeyId": key }))
        .unwrap();
    let e = get(w, &admin, "/app/key", true).unwrap_err();
    assert_eq!(e.code, "InvalidKeyId");
    assert!(e.message.contains("is disabled"), "{}", e.message);
    assert!(e.message.contains("Error Code: DisabledException"));
    assert!(get(w, &admin, "/app/key", false).is_ok());
    let e = err(
        w,
        &admin,
        "PutParameter",
        json!({ "Name": "/app/key", "Value": "k2", "Overwrite": true, "KeyId": key }),
    );
    assert_eq!(e.code, "InvalidKeyId");
    // Nothing was stored by the failed overwrite.
    let history = ok(
        w,
        &admin,
        "GetParameterHistory",
        json!({ "Name": "/app/key" }),
    );
    assert_eq!(history["Parameters"].as_array().unwrap().len(), 1);
    // The failed KMS call is in CloudTrail, made through SSM.
    let failed = w
        .events()
        .filter(|e| e.event_source == "kms.amazonaws.com" && e.error_code.is_some())
        .last()
        .unwrap();
    assert_eq!(
        failed.record["userIdentity"]["invokedBy"],
        "ssm.amazonaws.com"
    );
    assert_eq!(failed.record["errorCode"], "DisabledException");
}

#[test]
fn the_app_needs_kms_decrypt_on_a_customer_managed_key_but_not_on_aws_ssm() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let key = lab.create_key();
    put(
        &mut lab.w,
        &admin,
        "/app/cmk",
        "cmk-secret",
        json!({ "KeyId": key }),
    );
    put(
        &mut lab.w,
        &admin,
        "/app/default",
        "default-secret",
        json!({}),
    );
    let app = app(&mut lab);
    // AppRole has no ssm permission at all in the default world.
    let e = get(&mut lab.w, &app, "/app/cmk", false).unwrap_err();
    assert_eq!(e.code, "AccessDeniedException");
    assert!(e.message.contains("ssm:GetParameter"), "{}", e.message);
    role_policy(
        &mut lab,
        "SsmRead",
        json!({ "Version": "2012-10-17", "Statement": [{ "Effect": "Allow",
            "Action": ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"],
            "Resource": "arn:aws:ssm:us-east-1:111122223333:parameter/app/*" }] }),
    );
    assert_eq!(
        get(&mut lab.w, &app, "/app/cmk", true).unwrap()["Parameter"]["Value"],
        "cmk-secret"
    );
    // Take kms:Decrypt away from the app.
    role_policy(
        &mut lab,
        "AppKeyUse",
        json!({ "Version": "2012-10-17", "Statement": [{ "Effect": "Allow",
            "Action": ["kms:Encrypt", "kms:DescribeKey"], "Resource": "*" }] }),
    );
    let e = get(&mut lab.w, &app, "/app/cmk", true).unwrap_err();
    assert_eq!(e.code, "AccessDeniedException");
    assert!(e.message.contains("kms:Decrypt"), "{}", e.message);
    assert!(e.message.contains("(Service: AWSKMS"), "{}", e.message);
    let denial = lab.w.last_denial(&app.principal_arn).unwrap();
    assert!(!denial.allowed);
    // The ciphertext is still readable without decryption.
    let raw = get(&mut lab.w, &app, "/app/cmk", false).unwrap();
    assert_ne!(raw["Parameter"]["Value"], "cmk-secret");
    // aws/ssm's key policy allows every principal of the account through SSM: no IAM needed.
    assert_eq!(
        get(&mut lab.w, &app, "/app/default", true).unwrap()["Parameter"]["Value"],
        "default-secret"
    );
    // GetParameters fails as a whole when one value cannot be decrypted.
    let e = ssm(
        &mut lab.w,
        &app,
        "GetParameters",
        json!({ "Names": ["/app/default", "/app/cmk"], "WithDecryption": true }),
    )
    .unwrap_err();
    assert_eq!(e.code, "AccessDeniedException");
    // Outside the allowed path: denied by IAM before any KMS call.
    put(&mut lab.w, &admin, "/other/x", "x", json!({}));
    let e = get(&mut lab.w, &app, "/other/x", true).unwrap_err();
    assert_eq!(e.code, "AccessDeniedException");
    assert!(e.message.contains("ssm:GetParameter"));
}

#[test]
fn versions_labels_and_history() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let w = &mut lab.w;
    let v = |w: &mut World, val: &str| {
        ok(
            w,
            &admin,
            "PutParameter",
            json!({ "Name": "/app/url", "Value": val, "Type": "String", "Overwrite": true }),
        )
    };
    assert_eq!(v(w, "one")["Version"], 1);
    let e = err(
        w,
        &admin,
        "PutParameter",
        json!({ "Name": "/app/url", "Value": "x", "Type": "String" }),
    );
    assert_eq!(e.code, "ParameterAlreadyExists");
    assert_eq!(v(w, "two")["Version"], 2);
    assert_eq!(v(w, "three")["Version"], 3);
    let e = err(
        w,
        &admin,
        "PutParameter",
        json!({ "Name": "/app/url", "Value": "x", "Type": "SecureString", "Overwrite": true }),
    );
    assert_eq!(e.code, "HierarchyTypeMismatchException");
    let labelled = ok(
        w,
        &admin,
        "LabelParameterVersion",
        json!({ "Name": "/app/url", "ParameterVersion": 1, "Labels": ["prod", "1bad", "awsx"] }),
    );
    assert_eq!(
        labelled,
        json!({ "InvalidLabels": ["1bad", "awsx"], "ParameterVersion": 1 })
    );
    let by_label = get(w, &admin, "/app/url:prod", false).unwrap();
    assert_eq!(by_label["Parameter"]["Value"], "one");
    assert_eq!(by_label["Parameter"]["Selector"], ":prod");
    // Moving the label to the latest version (no ParameterVersion).
    let moved = ok(
        w,
        &admin,
        "LabelParameterVersion",
        json!({ "Name": "/app/url", "Labels": ["prod"] }),
    );
    assert_eq!(moved["ParameterVersion"], 3);
    assert_eq!(
        get(w, &admin, "/app/url:prod", false).unwrap()["Parameter"]["Value"],
        "three"
    );
    let e = get(w, &admin, "/app/url:9", false).unwrap_err();
    assert_eq!(e.code, "ParameterVersionNotFound");
    let e = get(w, &admin, "/app/url:nolabel", false).unwrap_err();
    assert_eq!(e.code, "ParameterVersionNotFound");
    let history = ok(
        w,
        &admin,
        "GetParameterHistory",
        json!({ "Name": "/app/url" }),
    );
    let items = history["Parameters"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(items[0]["Labels"], json!([]));
    assert_eq!(items[2]["Labels"], json!(["prod"]));
    assert_eq!(items[2]["LastModifiedUser"], admin.principal_arn.as_str());
    assert_eq!(items[2]["Policies"], json!([]));
    // Ten labels per version at most.
    let many: Vec<String> = (0..10).map(|i| format!("l{i}")).collect();
    let e = err(
        w,
        &admin,
        "LabelParameterVersion",
        json!({ "Name": "/app/url", "ParameterVersion": 3, "Labels": many }),
    );
    assert_eq!(e.code, "ParameterVersionLabelLimitExceeded");
    let e = err(
        w,
        &admin,
        "LabelParameterVersion",
        json!({ "Name": "/app/url", "ParameterVersion": 7, "Labels": ["x"] }),
    );
    assert_eq!(e.code, "ParameterVersionNotFound");
}

#[test]
fn a_hundred_versions_then_the_oldest_goes_unless_it_has_a_label() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let w = &mut lab.w;
    for i in 1..=100 {
        ok(
            w,
            &admin,
            "PutParameter",
            json!({ "Name": "/v", "Value": format!("v{i}"), "Type": "String", "Overwrite": true }),
        );
    }
    ok(
        w,
        &admin,
        "LabelParameterVersion",
        json!({ "Name": "/v", "ParameterVersion": 1, "Labels": ["keep"] }),
    );
    let e = err(
        w,
        &admin,
        "PutParameter",
        json!({ "Name": "/v", "Value": "v101", "Overwrite": true }),
    );
    assert_eq!(e.code, "ParameterMaxVersionLimitExceeded");
    assert!(
        e.message
            .contains("Version 1, the oldest version, can't be deleted")
    );
    // Move the label: version 101 is created and version 1 is dropped.
    ok(
        w,
        &admin,
        "LabelParameterVersion",
        json!({ "Name": "/v", "ParameterVersion": 2, "Labels": ["keep"] }),
    );
    let out = ok(
        w,
        &admin,
        "PutParameter",
        json!({ "Name": "/v", "Value": "v101", "Overwrite": true }),
    );
    assert_eq!(out["Version"], 101);
    assert_eq!(
        get(w, &admin, "/v:1", false).unwrap_err().code,
        "ParameterVersionNotFound"
    );
    let history = ok(
        w,
        &admin,
        "GetParameterHistory",
        json!({ "Name": "/v", "MaxResults": 50 }),
    );
    assert_eq!(history["Parameters"][0]["Version"], 2);
    assert!(history["NextToken"].is_string());
}

#[test]
fn get_parameters_by_path_describe_tags_and_delete() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let key = lab.create_key();
    let w = &mut lab.w;
    for (n, t) in [
        ("/app/a", "String"),
        ("/app/b", "StringList"),
        ("/app/db/password", "SecureString"),
        ("/other/c", "String"),
    ] {
        let mut input = json!({ "Name": n, "Value": format!("{n}-value"), "Type": t });
        if t == "SecureString" {
            input["KeyId"] = json!(key);
        }
        ok(w, &admin, "PutParameter", input);
    }
    let many = ok(
        w,
        &admin,
        "GetParameters",
        json!({ "Names": ["/app/a", "/missing", "/app/db/password"], "WithDecryption": true }),
    );
    assert_eq!(many["InvalidParameters"], json!(["/missing"]));
    assert_eq!(many["Parameters"][1]["Value"], "/app/db/password-value");
    let one_level = ok(w, &admin, "GetParametersByPath", json!({ "Path": "/app" }));
    let names: Vec<&str> = one_level["Parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["Name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["/app/a", "/app/b"]);
    let page1 = ok(
        w,
        &admin,
        "GetParametersByPath",
        json!({ "Path": "/app", "Recursive": true, "MaxResults": 2 }),
    );
    assert_eq!(page1["Parameters"].as_array().unwrap().len(), 2);
    let token = page1["NextToken"].as_str().unwrap().to_owned();
    let page2 = ok(
        w,
        &admin,
        "GetParametersByPath",
        json!({ "Path": "/app", "Recursive": true, "MaxResults": 2, "NextToken": token, "WithDecryption": true }),
    );
    assert_eq!(page2["Parameters"][0]["Name"], "/app/db/password");
    assert_eq!(page2["Parameters"][0]["Value"], "/app/db/password-value");
    assert!(page2.get("NextToken").is_none());
    let e = err(
        w,
        &admin,
        "GetParametersByPath",
        json!({ "Path": "/app", "NextToken": "bogus" }),
    );
    assert_eq!(e.code, "InvalidNextToken");
    // DescribeParameters: metadata only, filters.
    let secure = ok(
        w,
        &admin,
        "DescribeParameters",
        json!({ "ParameterFilters": [{ "Key": "Type", "Values": ["SecureString"] }] }),
    );
    let p = &secure["Parameters"][0];
    assert_eq!(p["Name"], "/app/db/password");
    assert_eq!(p["KeyId"], key.as_str());
    assert_eq!(p["Tier"], "Standard");
    assert!(p.get("Value").is_none());
    let begins = ok(
        w,
        &admin,
        "DescribeParameters",
        json!({ "ParameterFilters": [{ "Key": "Name", "Option": "BeginsWith", "Values": ["/app/"] }] }),
    );
    assert_eq!(begins["Parameters"].as_array().unwrap().len(), 3);
    let by_key = ok(
        w,
        &admin,
        "DescribeParameters",
        json!({ "Filters": [{ "Key": "KeyId", "Values": [key] }] }),
    );
    assert_eq!(by_key["Parameters"].as_array().unwrap().len(), 1);
    let e = err(
        w,
        &admin,
        "DescribeParameters",
        json!({ "ParameterFilters": [{ "Key": "Colour", "Values": ["x"] }] }),
    );
    assert_eq!(e.code, "InvalidFilterKey");
    let e = err(
        w,
        &admin,
        "DescribeParameters",
        json!({ "ParameterFilters": [{ "Key": "Name", "Option": "Sideways", "Values": ["x"] }] }),
    );
    assert_eq!(e.code, "InvalidFilterOption");
    // Tags.
    ok(
        w,
        &admin,
        "AddTagsToResource",
        json!({ "ResourceType": "Parameter", "ResourceId": "/app/a", "Tags": [{ "Key": "team", "Value": "web" }] }),
    );
    let tags = ok(
        w,
        &admin,
        "ListTagsForResource",
        json!({ "ResourceType": "Parameter", "ResourceId": "/app/a" }),
    );
    assert_eq!(
        tags,
        json!({ "TagList": [{ "Key": "team", "Value": "web" }] })
    );
    let tagged = ok(
        w,
        &admin,
        "DescribeParameters",
        json!({ "ParameterFilters": [{ "Key": "tag:team", "Values": ["web"] }] }),
    );
    assert_eq!(tagged["Parameters"][0]["Name"], "/app/a");
    let e = err(
        w,
        &admin,
        "ListTagsForResource",
        json!({ "ResourceType": "Parameter", "ResourceId": "/nope" }),
    );
    assert_eq!(e.code, "InvalidResourceId");
    // Deleting.
    assert_eq!(
        ok(w, &admin, "DeleteParameter", json!({ "Name": "/app/a" })),
        json!({})
    );
    assert_eq!(
        get(w, &admin, "/app/a", false).unwrap_err().code,
        "ParameterNotFound"
    );
    assert_eq!(
        err(w, &admin, "DeleteParameter", json!({ "Name": "/app/a" })).code,
        "ParameterNotFound"
    );
    let gone = ok(
        w,
        &admin,
        "DeleteParameters",
        json!({ "Names": ["/app/b", "/app/a"] }),
    );
    assert_eq!(
        gone,
        json!({ "DeletedParameters": ["/app/b"], "InvalidParameters": ["/app/a"] })
    );
    // Reads are read-only events; the delete was not.
    let ev = w
        .events()
        .find(|e| e.event_name == "DescribeParameters")
        .unwrap();
    assert!(ev.read_only);
    let ev = w
        .events()
        .find(|e| e.event_name == "DeleteParameters")
        .unwrap();
    assert!(!ev.read_only);
}

#[test]
fn names_types_and_bad_input_get_aws_errors() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let w = &mut lab.w;
    for (name, code) in [
        ("aws-thing", "ValidationException"),
        ("/SSM/x", "ValidationException"),
        ("a/b", "ValidationException"),
        ("/with space", "ValidationException"),
        ("/bad#char", "ValidationException"),
        (
            "/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16",
            "HierarchyLevelLimitExceededException",
        ),
    ] {
        let e = err(
            w,
            &admin,
            "PutParameter",
            json!({ "Name": name, "Value": "v", "Type": "String" }),
        );
        assert_eq!(e.code, code, "{name}: {}", e.message);
    }
    let e = err(
        w,
        &admin,
        "PutParameter",
        json!({ "Name": "/t", "Value": "v" }),
    );
    assert_eq!(e.code, "ValidationException");
    assert!(e.message.contains("parameter type is required"));
    let e = err(
        w,
        &admin,
        "PutParameter",
        json!({ "Name": "/t", "Value": "v", "Type": "Secret" }),
    );
    assert!(e.message.contains("Member must satisfy enum value set"));
    let e = err(w, &admin, "PutParameter", json!({ "Value": "v" }));
    assert!(e.message.contains("Value null at 'name'"));
    let e = err(w, &admin, "GetParameter", json!("not an object"));
    assert_eq!(e.code, "ValidationException");
    let e = err(w, &admin, "CreateDocument", json!({}));
    assert_eq!(e.code, "UnknownOperationException");
    // A StringList keeps its commas; a String value is returned as stored.
    ok(
        w,
        &admin,
        "PutParameter",
        json!({ "Name": "/list", "Value": "a,b,c", "Type": "StringList" }),
    );
    assert_eq!(
        get(w, &admin, "/list", true).unwrap()["Parameter"]["Value"],
        "a,b,c"
    );
    let before = w.events().count();
    get(w, &admin, "/list", true).unwrap();
    assert!(kms_events(w, before).is_empty());
}
