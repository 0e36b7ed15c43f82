#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Grant storage: create, list, retire, revoke, validation.

mod common;
use common::*;
use serde_json::json;

const APP: &str = "arn:aws:iam::111122223333:role/AppRole";
const SEC: &str = "arn:aws:iam::111122223333:role/SecurityAdmin";

#[test]
fn create_list_retire_revoke() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    let arn = format!("arn:aws:kms:us-east-1:111122223333:key/{key}");
    let g = lab.ok(
        "CreateGrant",
        json!({
            "KeyId": key, "GranteePrincipal": APP, "RetiringPrincipal": SEC,
            "Operations": ["Encrypt", "Decrypt"], "Name": "app-grant",
            "Constraints": { "EncryptionContextSubset": { "dept": "sales" } }
        }),
    );
    let gid = g["GrantId"].as_str().unwrap().to_owned();
    assert_eq!(gid.len(), 64);
    assert!(gid.bytes().all(|b| b.is_ascii_hexdigit()));
    assert!(!g["GrantToken"].as_str().unwrap().is_empty());
    // Same name and properties: same grant id.
    let again = lab.ok(
        "CreateGrant",
        json!({
            "KeyId": key, "GranteePrincipal": APP, "RetiringPrincipal": SEC,
            "Operations": ["Decrypt", "Encrypt"], "Name": "app-grant",
            "Constraints": { "EncryptionContextSubset": { "dept": "sales" } }
        }),
    );
    assert_eq!(again["GrantId"], gid.as_str());
    let listed = lab.ok("ListGrants", json!({ "KeyId": key }));
    let grants = listed["Grants"].as_array().unwrap();
    assert_eq!(grants.len(), 1);
    let e = &grants[0];
    assert_eq!(e["KeyId"], arn.as_str());
    assert_eq!(e["GranteePrincipal"], APP);
    assert_eq!(e["RetiringPrincipal"], SEC);
    assert_eq!(e["IssuingAccount"], "arn:aws:iam::111122223333:root");
    assert_eq!(e["Operations"], json!(["Decrypt", "Encrypt"]));
    assert_eq!(
        e["Constraints"],
        json!({ "EncryptionContextSubset": { "dept": "sales" } })
    );
    assert_eq!(e["Name"], "app-grant");
    let retirable = lab.ok("ListRetirableGrants", json!({ "RetiringPrincipal": SEC }));
    assert_eq!(retirable["Grants"].as_array().unwrap().len(), 1);
    assert_eq!(
        lab.ok(
            "ListGrants",
            json!({ "KeyId": key, "GranteePrincipal": SEC })
        )["Grants"],
        json!([])
    );
    assert_eq!(
        lab.ok("ListGrants", json!({ "KeyId": key, "GrantId": gid }))["Grants"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // Retire by token.
    lab.ok("RetireGrant", json!({ "GrantToken": g["GrantToken"] }));
    assert_eq!(
        lab.ok("ListGrants", json!({ "KeyId": key }))["Grants"],
        json!([])
    );
    assert_eq!(
        lab.err("RetireGrant", json!({ "GrantToken": g["GrantToken"] }))
            .code,
        "InvalidGrantTokenException"
    );

    // Retire by key ARN + grant id; revoke.
    let g2 = lab.ok(
        "CreateGrant",
        json!({ "KeyId": key, "GranteePrincipal": APP, "Operations": ["GenerateDataKey"] }),
    )["GrantId"]
        .clone();
    lab.ok("RetireGrant", json!({ "KeyId": arn, "GrantId": g2 }));
    let g3 = lab.ok(
        "CreateGrant",
        json!({ "KeyId": key, "GranteePrincipal": APP, "Operations": ["DescribeKey"] }),
    )["GrantId"]
        .clone();
    lab.ok("RevokeGrant", json!({ "KeyId": key, "GrantId": g3 }));
    let e = lab.err("RevokeGrant", json!({ "KeyId": key, "GrantId": g3 }));
    assert_eq!(e.code, "NotFoundException");
    assert_eq!(
        lab.err("RevokeGrant", json!({ "KeyId": key, "GrantId": "short" }))
            .code,
        "InvalidGrantIdException"
    );
    assert_eq!(
        lab.err("RetireGrant", json!({})).code,
        "ValidationException"
    );
    // Events: CreateGrant logs the grant id, never the token.
    let ev = lab
        .w
        .events()
        .find(|e| e.event_name == "CreateGrant")
        .unwrap()
        .record
        .clone();
    assert_eq!(ev["responseElements"]["grantId"], gid.as_str());
    assert!(!ev.to_string().contains(g["GrantToken"].as_str().unwrap()));
}

#[test]
fn create_grant_validation() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    let cases = [
        (
            json!({ "KeyId": key, "GranteePrincipal": APP, "Operations": [] }),
            "ValidationException",
        ),
        (
            json!({ "KeyId": key, "GranteePrincipal": APP, "Operations": ["Frobnicate"] }),
            "ValidationException",
        ),
        (
            json!({ "KeyId": key, "GranteePrincipal": APP, "Operations": ["Sign"] }),
            "ValidationException",
        ),
        (
            json!({ "KeyId": key, "GranteePrincipal": "bob", "Operations": ["Decrypt"] }),
            "ValidationException",
        ),
        (
            json!({ "KeyId": key, "Operations": ["Decrypt"] }),
            "ValidationException",
        ),
        (
            json!({ "KeyId": key, "GranteeServicePrincipal": "s3.amazonaws.com", "Operations": ["Decrypt"] }),
            "ValidationException",
        ),
        (
            json!({ "KeyId": key, "GranteePrincipal": APP, "Operations": ["Decrypt"], "Name": "bad name" }),
            "ValidationException",
        ),
        (
            json!({ "KeyId": "alias/x", "GranteePrincipal": APP, "Operations": ["Decrypt"] }),
            "NotFoundException",
        ),
        (
            json!({ "KeyId": key, "Operations": ["Decrypt"] , "GranteePrincipal": APP, "Constraints": { "Bogus": {} } }),
            "SerializationException",
        ),
    ];
    for (input, code) in cases {
        let e = lab.err("CreateGrant", input.clone());
        assert_eq!(e.code, code, "{input}: {}", e.message);
    }
    let e = lab.err(
        "CreateGrant",
        json!({ "KeyId": key, "GranteePrincipal": APP, "Operations": ["Sign"] }),
    );
    assert!(
        e.message.contains("Sign") && e.message.contains("SYMMETRIC_DEFAULT"),
        "{}",
        e.message
    );
    assert_eq!(
        lab.ok("ListGrants", json!({ "KeyId": key }))["Grants"],
        json!([])
    );
    assert_eq!(
        lab.err("ListGrants", json!({ "KeyId": key, "GrantId": "zz" }))
            .code,
        "InvalidGrantIdException"
    );
    assert_eq!(
        lab.err("ListGrants", json!({ "KeyId": key, "Limit": 101 }))
            .code,
        "ValidationException"
    );
    assert_eq!(
        lab.err("ListRetirableGrants", json!({})).code,
        "ValidationException"
    );
}

#[test]
fn list_grants_paginates() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    let mut ids = Vec::new();
    for i in 0..5 {
        let g = lab.ok("CreateGrant", json!({ "KeyId": key, "GranteePrincipal": APP, "Operations": ["Decrypt"], "Name": format!("g{i}") }));
        ids.push(g["GrantId"].as_str().unwrap().to_owned());
    }
    let p1 = lab.ok("ListGrants", json!({ "KeyId": key, "Limit": 2 }));
    assert_eq!(p1["Truncated"], true);
    let p2 = lab.ok(
        "ListGrants",
        json!({ "KeyId": key, "Limit": 2, "Marker": p1["NextMarker"] }),
    );
    let p3 = lab.ok(
        "ListGrants",
        json!({ "KeyId": key, "Limit": 2, "Marker": p2["NextMarker"] }),
    );
    assert_eq!(p3["Truncated"], false);
    let got: Vec<String> = [p1, p2, p3]
        .iter()
        .flat_map(|p| {
            p["Grants"]
                .as_array()
                .unwrap()
                .iter()
                .map(|g| g["GrantId"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(got, ids);
}
