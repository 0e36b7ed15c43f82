#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! CreateKey / DescribeKey / Encrypt / Decrypt end to end.

mod common;
use common::*;
use serde_json::{Value, json};

#[test]
fn create_describe_encrypt_decrypt() {
    let mut lab = Lab::new();
    let created = lab.ok("CreateKey", json!({ "Description": "orders" }));
    let md = &created["KeyMetadata"];
    let id = md["KeyId"].as_str().unwrap().to_owned();
    assert_eq!(
        md["Arn"],
        format!("arn:aws:kms:us-east-1:111122223333:key/{id}")
    );
    assert_eq!(md["KeyState"], "Enabled");
    assert_eq!(md["KeyManager"], "CUSTOMER");
    assert_eq!(md["Origin"], "AWS_KMS");
    assert_eq!(md["Description"], "orders");
    assert_eq!(md["EncryptionAlgorithms"], json!(["SYMMETRIC_DEFAULT"]));
    assert_eq!(md["CurrentKeyMaterialId"].as_str().unwrap().len(), 64);
    let described = lab.ok("DescribeKey", json!({ "KeyId": id }));
    assert_eq!(described["KeyMetadata"], *md);

    let blob = lab.encrypt(&id, b"secret", json!({ "dept": "sales" }));
    assert_eq!(
        lab.decrypt(&blob, json!({ "dept": "sales" })).unwrap(),
        b"secret"
    );
    let e = lab.decrypt(&blob, json!({ "dept": "Sales" })).unwrap_err();
    assert_eq!(e.code, "InvalidCiphertextException");
    let e = lab.decrypt(&blob, Value::Null).unwrap_err();
    assert_eq!(e.code, "InvalidCiphertextException");

    // CloudTrail: the decrypt failure is the last event; the successful Encrypt logs context.
    let ev = lab.last_event();
    assert_eq!(ev["eventName"], "Decrypt");
    assert_eq!(ev["errorCode"], "InvalidCiphertextException");
    let enc = lab
        .w
        .events()
        .find(|e| e.event_name == "Encrypt")
        .unwrap()
        .record
        .clone();
    assert_eq!(
        enc["requestParameters"]["encryptionContext"],
        json!({ "dept": "sales" })
    );
    assert!(enc["requestParameters"].get("plaintext").is_none());
    assert_eq!(enc["responseElements"], Value::Null);
    assert_eq!(enc["resources"][0]["ARN"], md["Arn"]);
    assert_eq!(enc["userIdentity"]["type"], "IAMUser");
}
