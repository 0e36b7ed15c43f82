#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Alias rules: names, reserved prefix, uniqueness, targets, listing with AWS managed aliases.

mod common;
use common::*;
use serde_json::json;

#[test]
fn alias_name_rules() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    let cases = [
        ("noprefix", "ValidationException"),
        ("alias/", "InvalidAliasNameException"),
        ("alias/has space", "ValidationException"),
        ("alias/é", "ValidationException"),
        ("alias/aws/mine", "NotAuthorizedException"),
        ("", "ValidationException"),
    ];
    for (name, code) in cases {
        let e = lab.err(
            "CreateAlias",
            json!({ "AliasName": name, "TargetKeyId": key }),
        );
        assert_eq!(e.code, code, "{name}: {}", e.message);
    }
    let long = format!("alias/{}", "a".repeat(250));
    lab.ok(
        "CreateAlias",
        json!({ "AliasName": long, "TargetKeyId": key }),
    );
    let too_long = format!("alias/{}", "a".repeat(251));
    assert_eq!(
        lab.err(
            "CreateAlias",
            json!({ "AliasName": too_long, "TargetKeyId": key })
        )
        .code,
        "ValidationException"
    );
    lab.ok(
        "CreateAlias",
        json!({ "AliasName": "alias/Team_A-1:x/y", "TargetKeyId": key }),
    );
    let e = lab.err(
        "CreateAlias",
        json!({ "AliasName": "alias/aws/s3", "TargetKeyId": key }),
    );
    assert!(e.message.contains("alias/aws/"), "{}", e.message);
}

#[test]
fn alias_lifecycle() {
    let mut lab = Lab::new();
    let k1 = lab.create_key();
    let k2 = lab.create_key();
    lab.ok(
        "CreateAlias",
        json!({ "AliasName": "alias/app", "TargetKeyId": k1 }),
    );
    let e = lab.err(
        "CreateAlias",
        json!({ "AliasName": "alias/app", "TargetKeyId": k2 }),
    );
    assert_eq!(e.code, "AlreadyExistsException");
    assert_eq!(
        e.message,
        "An alias with the name arn:aws:kms:us-east-1:111122223333:alias/app already exists"
    );
    // Targets must be key ids or key ARNs.
    assert_eq!(
        lab.err(
            "CreateAlias",
            json!({ "AliasName": "alias/b", "TargetKeyId": "alias/app" })
        )
        .code,
        "NotFoundException"
    );
    lab.w.advance_clock(DAY);
    lab.ok("UpdateAlias", json!({ "AliasName": "alias/app", "TargetKeyId": format!("arn:aws:kms:us-east-1:111122223333:key/{k2}") }));
    assert_eq!(
        lab.ok("DescribeKey", json!({ "KeyId": "alias/app" }))["KeyMetadata"]["KeyId"],
        k2
    );
    let listed = lab.ok("ListAliases", json!({ "KeyId": k2 }));
    let a = &listed["Aliases"][0];
    assert_eq!(a["AliasName"], "alias/app");
    assert_eq!(
        a["AliasArn"],
        "arn:aws:kms:us-east-1:111122223333:alias/app"
    );
    assert_eq!(a["TargetKeyId"], k2.as_str());
    assert_eq!(a["CreationDate"].as_f64(), Some(START as f64 / 1000.0));
    assert_eq!(
        a["LastUpdatedDate"].as_f64(),
        Some((START + DAY) as f64 / 1000.0)
    );
    assert_eq!(
        lab.ok("ListAliases", json!({ "KeyId": k1 }))["Aliases"],
        json!([])
    );
    let e = lab.err(
        "UpdateAlias",
        json!({ "AliasName": "alias/none", "TargetKeyId": k1 }),
    );
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        (
            "NotFoundException",
            "Alias arn:aws:kms:us-east-1:111122223333:alias/none is not found."
        )
    );
    // Pending-deletion targets are refused.
    lab.ok(
        "ScheduleKeyDeletion",
        json!({ "KeyId": k1, "PendingWindowInDays": 7 }),
    );
    assert_eq!(
        lab.err(
            "UpdateAlias",
            json!({ "AliasName": "alias/app", "TargetKeyId": k1 })
        )
        .code,
        "KMSInvalidStateException"
    );
    assert_eq!(
        lab.err(
            "CreateAlias",
            json!({ "AliasName": "alias/z", "TargetKeyId": k1 })
        )
        .code,
        "KMSInvalidStateException"
    );
    lab.ok("DeleteAlias", json!({ "AliasName": "alias/app" }));
    assert_eq!(
        lab.err("DeleteAlias", json!({ "AliasName": "alias/app" }))
            .code,
        "NotFoundException"
    );
    assert_eq!(
        lab.err("DeleteAlias", json!({ "AliasName": "alias/aws/s3" }))
            .code,
        "NotAuthorizedException"
    );
    // Aliases are per Region.
    let k3 = lab.create_key();
    lab.ok(
        "CreateAlias",
        json!({ "AliasName": "alias/app", "TargetKeyId": k3 }),
    );
    let west = lab.w.context_for_profile(None, Some("us-west-2")).unwrap();
    assert_eq!(
        lab.w
            .call(&west, "kms", "DescribeKey", json!({ "KeyId": "alias/app" }))
            .unwrap_err()
            .code,
        "NotFoundException"
    );
    let arn_k3 = format!("arn:aws:kms:us-east-1:111122223333:key/{k3}");
    let e = lab
        .w
        .call(
            &west,
            "kms",
            "CreateAlias",
            json!({ "AliasName": "alias/app", "TargetKeyId": arn_k3 }),
        )
        .unwrap_err();
    assert_eq!(
        e.code, "NotFoundException",
        "an alias and its key must share a Region: {e}"
    );
}

#[test]
fn list_aliases_includes_predefined_aws_aliases_and_paginates() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    for i in 0..3 {
        lab.ok(
            "CreateAlias",
            json!({ "AliasName": format!("alias/k{i}"), "TargetKeyId": key }),
        );
    }
    let all = lab.ok("ListAliases", json!({}));
    let names: Vec<&str> = all["Aliases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["AliasName"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"alias/aws/s3")
            && names.contains(&"alias/aws/ebs")
            && names.contains(&"alias/k2")
    );
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    let s3 = all["Aliases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["AliasName"] == "alias/aws/s3")
        .unwrap();
    assert!(s3.get("TargetKeyId").is_none(), "no aws/s3 key exists yet");
    let s3_key = lab
        .w
        .aws_managed_key("111122223333", "us-east-1", "s3")
        .unwrap();
    let all = lab.ok("ListAliases", json!({}));
    let s3 = all["Aliases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["AliasName"] == "alias/aws/s3")
        .unwrap();
    assert_eq!(s3["TargetKeyId"], s3_key.as_str());
    let total = all["Aliases"].as_array().unwrap().len();
    let mut seen = 0;
    let mut marker = None;
    loop {
        let mut input = json!({ "Limit": 4 });
        if let Some(m) = &marker {
            input["Marker"] = json!(m);
        }
        let page = lab.ok("ListAliases", input);
        seen += page["Aliases"].as_array().unwrap().len();
        match page.get("NextMarker") {
            Some(m) => marker = Some(m.as_str().unwrap().to_owned()),
            None => break,
        }
    }
    assert_eq!(seen, total);
    assert_eq!(
        lab.err("ListAliases", json!({ "Limit": 101 })).code,
        "ValidationException"
    );
}

#[test]
fn alias_events_name_key_and_alias() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    lab.ok(
        "CreateAlias",
        json!({ "AliasName": "alias/ExampleAlias", "TargetKeyId": key }),
    );
    let ev = lab.last_event();
    let arn = format!("arn:aws:kms:us-east-1:111122223333:key/{key}");
    assert_eq!(
        ev["requestParameters"],
        json!({ "aliasName": "alias/ExampleAlias", "targetKeyId": key })
    );
    assert_eq!(ev["responseElements"], json!({ "keyId": arn }));
    assert_eq!(
        ev["resources"],
        json!([
            { "accountId": "111122223333", "type": "AWS::KMS::Key", "ARN": arn },
            { "accountId": "111122223333", "type": "AWS::KMS::Key", "ARN": "arn:aws:kms:us-east-1:111122223333:alias/ExampleAlias" },
        ])
    );
    assert!(
        lab.w
            .event_counters()
            .by_key
            .keys()
            .all(|k| k.contains(":key/"))
    );
}
