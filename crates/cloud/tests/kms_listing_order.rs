//! The order and members KMS lists things in, as the aws-cli documentation examples show them:
//! RSA signing algorithms PKCS #1 v1.5 first, grant operations in the GrantOperation enum's
//! order whatever the request's order, and `Name: ""` for a grant created without a name.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::Lab;
use serde_json::json;

#[test]
fn rsa_signing_algorithms_in_kms_order() {
    let mut lab = Lab::new();
    let md = lab.ok(
        "CreateKey",
        json!({ "KeySpec": "RSA_2048", "KeyUsage": "SIGN_VERIFY" }),
    );
    assert_eq!(
        md["KeyMetadata"]["SigningAlgorithms"],
        json!([
            "RSASSA_PKCS1_V1_5_SHA_256",
            "RSASSA_PKCS1_V1_5_SHA_384",
            "RSASSA_PKCS1_V1_5_SHA_512",
            "RSASSA_PSS_SHA_256",
            "RSASSA_PSS_SHA_384",
            "RSASSA_PSS_SHA_512"
        ])
    );
}

#[test]
fn grant_operations_in_enum_order_and_unnamed_grants() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    lab.ok(
        "CreateGrant",
        json!({ "KeyId": key, "GranteePrincipal": "arn:aws:iam::111122223333:role/AppRole",
                "Operations": ["DescribeKey", "RetireGrant", "Encrypt", "Decrypt", "Encrypt"] }),
    );
    let g = lab.ok("ListGrants", json!({ "KeyId": key }));
    let g = &g["Grants"][0];
    assert_eq!(
        g["Operations"],
        json!(["Decrypt", "Encrypt", "RetireGrant", "DescribeKey"])
    );
    assert_eq!(g["Name"], "");
}
