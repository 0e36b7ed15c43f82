//! S3 on top of KMS: default encryption, SSE-KMS envelope encryption on the caller's behalf,
//! Bucket Keys and their KMS request savings, bucket policies, SSE-C blocking, and the errors
//! S3 returns when KMS says no.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use cloud::{AwsError, CallContext, PROD_ACCOUNT, World};
use common::{Lab, b64, unb64};
use serde_json::{Value, json};

fn s3(w: &mut World, c: &CallContext, op: &str, input: Value) -> Result<Value, AwsError> {
    w.call(c, "s3", op, input)
}

fn ok(w: &mut World, c: &CallContext, op: &str, input: Value) -> Value {
    s3(w, c, op, input.clone()).unwrap_or_else(|e| panic!("{op} {input}: {e}"))
}

fn fail(w: &mut World, c: &CallContext, op: &str, input: Value) -> AwsError {
    match s3(w, c, op, input.clone()) {
        Ok(v) => panic!("{op} {input} unexpectedly succeeded: {v}"),
        Err(e) => e,
    }
}

fn kms_bucket(lab: &mut Lab, bucket: &str, key: &str, bucket_key: bool) {
    let admin = lab.admin.clone();
    ok(
        &mut lab.w,
        &admin,
        "CreateBucket",
        json!({ "Bucket": bucket }),
    );
    ok(
        &mut lab.w,
        &admin,
        "PutBucketEncryption",
        json!({ "Bucket": bucket, "ServerSideEncryptionConfiguration": { "Rules": [{
            "ApplyServerSideEncryptionByDefault": { "SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key },
            "BucketKeyEnabled": bucket_key }]}}),
    );
}

/// A role in prod allowed `actions` on everything, and its call context.
fn role(lab: &mut Lab, name: &str, actions: &[&str]) -> CallContext {
    let admin = lab.admin.clone();
    let trust = json!({ "Version": "2012-10-17", "Statement": [{ "Effect": "Allow",
        "Principal": { "AWS": format!("arn:aws:iam::{PROD_ACCOUNT}:root") }, "Action": "sts:AssumeRole" }] });
    lab.w
        .call(
            &admin,
            "iam",
            "CreateRole",
            json!({ "RoleName": name, "AssumeRolePolicyDocument": trust.to_string() }),
        )
        .unwrap();
    let doc = json!({ "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": actions, "Resource": "*" }] });
    lab.w
        .call(
            &admin,
            "iam",
            "PutRolePolicy",
            json!({ "RoleName": name, "PolicyName": "p", "PolicyDocument": doc.to_string() }),
        )
        .unwrap();
    lab.w
        .configure_set(
            name,
            "role_arn",
            &format!("arn:aws:iam::{PROD_ACCOUNT}:role/{name}"),
        )
        .unwrap();
    lab.w
        .configure_set(name, "source_profile", "admin")
        .unwrap();
    lab.w.context_for_profile(Some(name), None).unwrap()
}

#[test]
fn buckets_default_to_sse_s3_and_block_sse_c() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let w = &mut lab.w;
    ok(w, &admin, "CreateBucket", json!({ "Bucket": "docs-1" }));
    let e = fail(w, &admin, "CreateBucket", json!({ "Bucket": "docs-1" }));
    assert_eq!(
        (e.code.as_str(), e.status),
        ("BucketAlreadyOwnedByYou", 409)
    );
    let partner = w.context_for_profile(Some("partner-admin"), None).unwrap();
    assert_eq!(
        fail(w, &partner, "CreateBucket", json!({ "Bucket": "docs-1" })).code,
        "BucketAlreadyExists"
    );
    let enc = ok(
        w,
        &admin,
        "GetBucketEncryption",
        json!({ "Bucket": "docs-1" }),
    );
    let rule = &enc["ServerSideEncryptionConfiguration"]["Rules"][0];
    assert_eq!(
        rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"],
        "AES256"
    );
    assert_eq!(
        rule["BlockedEncryptionTypes"]["EncryptionType"],
        json!(["SSE-C"])
    );
    let kms_before = w.kms_request_count(PROD_ACCOUNT);
    let put = ok(
        w,
        &admin,
        "PutObject",
        json!({ "Bucket": "docs-1", "Key": "a.txt", "Body": b64(b"hello") }),
    );
    assert_eq!(put["ServerSideEncryption"], "AES256");
    assert_eq!(
        w.kms_request_count(PROD_ACCOUNT),
        kms_before,
        "SSE-S3 makes no KMS request"
    );
    let got = ok(
        w,
        &admin,
        "GetObject",
        json!({ "Bucket": "docs-1", "Key": "a.txt" }),
    );
    assert_eq!(unb64(&got["Body"]), b"hello");
    // The stored bytes are ciphertext.
    let stored = serde_json::to_string(&lab.w).unwrap();
    assert!(!stored.contains(&b64(b"hello")));
    // SSE-C is blocked on new buckets.
    let w = &mut lab.w;
    let sse_c = json!({ "Bucket": "docs-1", "Key": "c.txt", "Body": b64(b"secret"),
        "SSECustomerAlgorithm": "AES256", "SSECustomerKey": b64(&[7u8; 32]) });
    let e = fail(w, &admin, "PutObject", sse_c.clone());
    assert_eq!((e.code.as_str(), e.status), ("AccessDenied", 403));
    ok(
        w,
        &admin,
        "PutBucketEncryption",
        json!({ "Bucket": "docs-1", "ServerSideEncryptionConfiguration": { "Rules": [{
            "ApplyServerSideEncryptionByDefault": { "SSEAlgorithm": "AES256" },
            "BlockedEncryptionTypes": { "EncryptionType": ["NONE"] } }]}}),
    );
    ok(w, &admin, "PutObject", sse_c);
    let e = fail(
        w,
        &admin,
        "GetObject",
        json!({ "Bucket": "docs-1", "Key": "c.txt" }),
    );
    assert_eq!(e.code, "InvalidRequest");
    let got = ok(
        w,
        &admin,
        "GetObject",
        json!({ "Bucket": "docs-1", "Key": "c.txt", "SSECustomerAlgorithm": "AES256", "SSECustomerKey": b64(&[7u8; 32]) }),
    );
    assert_eq!(unb64(&got["Body"]), b"secret");
    assert_eq!(
        fail(
            w,
            &admin,
            "GetObject",
            json!({ "Bucket": "docs-1", "Key": "nope" })
        )
        .code,
        "NoSuchKey"
    );
    assert_eq!(
        fail(
            w,
            &admin,
            "GetObject",
            json!({ "Bucket": "nope-bucket", "Key": "x" })
        )
        .code,
        "NoSuchBucket"
    );
    assert_eq!(
        fail(w, &admin, "DeleteBucket", json!({ "Bucket": "docs-1" })).code,
        "BucketNotEmpty"
    );
    for k in ["a.txt", "c.txt"] {
        ok(
            w,
            &admin,
            "DeleteObject",
            json!({ "Bucket": "docs-1", "Key": k }),
        );
    }
    ok(w, &admin, "DeleteBucket", json!({ "Bucket": "docs-1" }));
    assert_eq!(
        ok(w, &admin, "ListBuckets", json!({}))["Buckets"],
        json!([])
    );
}

#[test]
fn sse_kms_calls_kms_on_behalf_of_the_caller() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    kms_bucket(&mut lab, "reports", &key, false);
    let admin = lab.admin.clone();
    let w = &mut lab.w;
    let put = ok(
        w,
        &admin,
        "PutObject",
        json!({ "Bucket": "reports", "Key": "q1.csv", "Body": b64(b"a,b\n1,2\n") }),
    );
    assert_eq!(put["ServerSideEncryption"], "aws:kms");
    assert!(put["SSEKMSKeyId"].as_str().unwrap().ends_with(&key));
    let gdk = w
        .events()
        .filter(|e| e.event_name == "GenerateDataKey")
        .last()
        .unwrap()
        .record
        .clone();
    assert_eq!(gdk["userIdentity"]["arn"], admin.principal_arn.as_str());
    assert_eq!(gdk["userIdentity"]["invokedBy"], "s3.amazonaws.com");
    assert_eq!(
        gdk["requestParameters"]["encryptionContext"]["aws:s3:arn"],
        "arn:aws:s3:::reports/q1.csv"
    );
    let got = ok(
        w,
        &admin,
        "GetObject",
        json!({ "Bucket": "reports", "Key": "q1.csv" }),
    );
    assert_eq!(unb64(&got["Body"]), b"a,b\n1,2\n");
    let dec = w
        .events()
        .filter(|e| e.event_name == "Decrypt")
        .last()
        .unwrap();
    assert_eq!(dec.record["userIdentity"]["invokedBy"], "s3.amazonaws.com");
    // The object event is a data event.
    let get = w
        .events()
        .filter(|e| e.event_name == "GetObject")
        .last()
        .unwrap();
    assert_eq!(get.record["eventCategory"], "Data");
    // HeadObject needs no KMS request.
    let before = w.kms_request_count(PROD_ACCOUNT);
    ok(
        w,
        &admin,
        "HeadObject",
        json!({ "Bucket": "reports", "Key": "q1.csv" }),
    );
    assert_eq!(w.kms_request_count(PROD_ACCOUNT), before);
    // aws/s3 when the header names no key.
    let put = ok(
        w,
        &admin,
        "PutObject",
        json!({ "Bucket": "reports", "Key": "managed", "Body": b64(b"x"), "ServerSideEncryption": "aws:kms" }),
    );
    let managed = w.aws_managed_key(PROD_ACCOUNT, "us-east-1", "s3").unwrap();
    assert!(put["SSEKMSKeyId"].as_str().unwrap().ends_with(&managed));
    ok(
        w,
        &admin,
        "GetObject",
        json!({ "Bucket": "reports", "Key": "managed" }),
    );
    // A user-supplied context is bound too and returned.
    let ctx = b64(br#"{"project":"x"}"#);
    let put = ok(
        w,
        &admin,
        "PutObject",
        json!({ "Bucket": "reports", "Key": "ctx", "Body": b64(b"y"), "ServerSideEncryption": "aws:kms",
                "SSEKMSKeyId": key, "SSEKMSEncryptionContext": ctx }),
    );
    assert_eq!(put["SSEKMSEncryptionContext"], ctx.as_str());
    // DSSE-KMS: two layers, still one KMS data key.
    let put = ok(
        w,
        &admin,
        "PutObject",
        json!({ "Bucket": "reports", "Key": "dsse", "Body": b64(b"z"), "ServerSideEncryption": "aws:kms:dsse", "SSEKMSKeyId": key }),
    );
    assert_eq!(put["ServerSideEncryption"], "aws:kms:dsse");
    let got = ok(
        w,
        &admin,
        "GetObject",
        json!({ "Bucket": "reports", "Key": "dsse" }),
    );
    assert_eq!(unb64(&got["Body"]), b"z");
}

#[test]
fn get_object_without_kms_decrypt_and_with_a_disabled_key_fail_differently() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    kms_bucket(&mut lab, "payroll", &key, false);
    let admin = lab.admin.clone();
    ok(
        &mut lab.w,
        &admin,
        "PutObject",
        json!({ "Bucket": "payroll", "Key": "jan", "Body": b64(b"100") }),
    );
    let reader = role(&mut lab, "Reader", &["s3:GetObject", "s3:ListBucket"]);
    let e = fail(
        &mut lab.w,
        &reader,
        "GetObject",
        json!({ "Bucket": "payroll", "Key": "jan" }),
    );
    assert_eq!((e.code.as_str(), e.status), ("AccessDenied", 403));
    assert!(e.message.contains("kms:Decrypt"), "{}", e.message);
    assert!(
        e.message
            .ends_with("because no identity-based policy allows the kms:Decrypt action"),
        "{}",
        e.message
    );
    // The explanation names the KMS decision.
    let why = lab.w.last_denial(&reader.principal_arn).unwrap();
    assert_eq!(why.action, "kms:Decrypt");
    // With kms:Decrypt the read works; after DisableKey it fails with KMS.DisabledException.
    let reader2 = role(&mut lab, "Reader2", &["s3:GetObject", "kms:Decrypt"]);
    let got = ok(
        &mut lab.w,
        &reader2,
        "GetObject",
        json!({ "Bucket": "payroll", "Key": "jan" }),
    );
    assert_eq!(unb64(&got["Body"]), b"100");
    lab.ok("DisableKey", json!({ "KeyId": key }));
    let e = fail(
        &mut lab.w,
        &reader2,
        "GetObject",
        json!({ "Bucket": "payroll", "Key": "jan" }),
    );
    assert_eq!((e.code.as_str(), e.status), ("KMS.DisabledException", 400));
    let e = fail(
        &mut lab.w,
        &admin,
        "PutObject",
        json!({ "Bucket": "payroll", "Key": "feb", "Body": b64(b"1") }),
    );
    assert_eq!(e.code, "KMS.DisabledException");
    // A key id that does not exist.
    let e = fail(
        &mut lab.w,
        &admin,
        "PutObject",
        json!({ "Bucket": "payroll", "Key": "mar", "Body": b64(b"1"), "ServerSideEncryption": "aws:kms",
                "SSEKMSKeyId": "1234abcd-12ab-34cd-56ef-1234567890ab" }),
    );
    assert_eq!(e.code, "KMS.NotFoundException");
    // Without s3:ListBucket a missing key reads as AccessDenied, not NoSuchKey.
    let e = fail(
        &mut lab.w,
        &reader2,
        "GetObject",
        json!({ "Bucket": "payroll", "Key": "nope" }),
    );
    assert_eq!(e.code, "AccessDenied");
}

#[test]
fn bucket_policies_require_kms_pin_the_key_and_tls() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    let other = lab.create_key();
    let admin = lab.admin.clone();
    let w = &mut lab.w;
    ok(w, &admin, "CreateBucket", json!({ "Bucket": "locked" }));
    let key_arn = format!("arn:aws:kms:us-east-1:{PROD_ACCOUNT}:key/{key}");
    let policy = json!({ "Version": "2012-10-17", "Statement": [
        { "Sid": "DenyNotKms", "Effect": "Deny", "Principal": "*", "Action": "s3:PutObject",
          "Resource": "arn:aws:s3:::locked/*",
          "Condition": { "StringNotEquals": { "s3:x-amz-server-side-encryption": "aws:kms" } } },
        { "Sid": "PinKey", "Effect": "Deny", "Principal": "*", "Action": "s3:PutObject",
          "Resource": "arn:aws:s3:::locked/*",
          "Condition": { "StringNotEqualsIfExists": { "s3:x-amz-server-side-encryption-aws-kms-key-id": key_arn } } },
        { "Sid": "TlsOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
          "Resource": ["arn:aws:s3:::locked", "arn:aws:s3:::locked/*"],
          "Condition": { "Bool": { "aws:SecureTransport": "false" } } }
    ]});
    ok(
        w,
        &admin,
        "PutBucketPolicy",
        json!({ "Bucket": "locked", "Policy": policy.to_string() }),
    );
    assert!(
        ok(w, &admin, "GetBucketPolicy", json!({ "Bucket": "locked" }))["Policy"]
            .as_str()
            .unwrap()
            .contains("DenyNotKms")
    );
    let plain = fail(
        w,
        &admin,
        "PutObject",
        json!({ "Bucket": "locked", "Key": "a", "Body": b64(b"1") }),
    );
    assert_eq!(plain.code, "AccessDenied");
    assert!(
        plain
            .message
            .ends_with("with an explicit deny in a resource-based policy")
    );
    let wrong = fail(
        w,
        &admin,
        "PutObject",
        json!({ "Bucket": "locked", "Key": "a", "Body": b64(b"1"), "ServerSideEncryption": "aws:kms", "SSEKMSKeyId": other }),
    );
    assert_eq!(wrong.code, "AccessDenied");
    ok(
        w,
        &admin,
        "PutObject",
        json!({ "Bucket": "locked", "Key": "a", "Body": b64(b"1"), "ServerSideEncryption": "aws:kms", "SSEKMSKeyId": key_arn }),
    );
    let mut insecure = admin.clone();
    insecure.secure_transport = false;
    assert_eq!(
        fail(
            w,
            &insecure,
            "GetObject",
            json!({ "Bucket": "locked", "Key": "a" })
        )
        .code,
        "AccessDenied"
    );
    let bad = json!({ "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Principal": "*",
        "Action": "s3:GetObject", "Resource": "arn:aws:s3:::elsewhere/*" }] });
    assert_eq!(
        fail(
            w,
            &admin,
            "PutBucketPolicy",
            json!({ "Bucket": "locked", "Policy": bad.to_string() })
        )
        .code,
        "MalformedPolicy"
    );
}

#[test]
fn same_account_either_policy_cross_account_both() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    ok(
        &mut lab.w,
        &admin,
        "CreateBucket",
        json!({ "Bucket": "shared-data" }),
    );
    ok(
        &mut lab.w,
        &admin,
        "PutObject",
        json!({ "Bucket": "shared-data", "Key": "f", "Body": b64(b"1") }),
    );
    // A role with no S3 permission, allowed by the bucket policy alone (same account).
    let nobody = role(&mut lab, "Nobody", &["sts:GetCallerIdentity"]);
    assert_eq!(
        fail(
            &mut lab.w,
            &nobody,
            "GetObject",
            json!({ "Bucket": "shared-data", "Key": "f" })
        )
        .code,
        "AccessDenied"
    );
    let partner = lab
        .w
        .context_for_profile(Some("partner-admin"), None)
        .unwrap();
    let policy = json!({ "Version": "2012-10-17", "Statement": [{ "Effect": "Allow",
        "Principal": { "AWS": [format!("arn:aws:iam::{PROD_ACCOUNT}:role/Nobody"), "arn:aws:iam::444455556666:root"] },
        "Action": "s3:GetObject", "Resource": "arn:aws:s3:::shared-data/*" }] });
    ok(
        &mut lab.w,
        &admin,
        "PutBucketPolicy",
        json!({ "Bucket": "shared-data", "Policy": policy.to_string() }),
    );
    ok(
        &mut lab.w,
        &nobody,
        "GetObject",
        json!({ "Bucket": "shared-data", "Key": "f" }),
    );
    // The partner admin has AdministratorAccess in its account and the bucket policy allows.
    ok(
        &mut lab.w,
        &partner,
        "GetObject",
        json!({ "Bucket": "shared-data", "Key": "f" }),
    );
    ok(
        &mut lab.w,
        &admin,
        "DeleteBucketPolicy",
        json!({ "Bucket": "shared-data" }),
    );
    let e = fail(
        &mut lab.w,
        &partner,
        "GetObject",
        json!({ "Bucket": "shared-data", "Key": "f" }),
    );
    assert!(
        e.message
            .ends_with("because no resource-based policy allows the s3:GetObject action")
    );
}

#[test]
fn bucket_keys_cut_kms_requests_by_more_than_99_percent() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    kms_bucket(&mut lab, "no-bucket-key", &key, false);
    kms_bucket(&mut lab, "with-bucket-key", &key, true);
    let admin = lab.admin.clone();
    let without = lab
        .w
        .s3_bulk_put(&admin, "no-bucket-key", 10_000, 16)
        .unwrap();
    let with = lab
        .w
        .s3_bulk_put(&admin, "with-bucket-key", 10_000, 16)
        .unwrap();
    assert_eq!(without["Uploads"], 10_000);
    assert_eq!(with["Uploads"], 10_000);
    let a = without["KmsRequests"].as_u64().unwrap();
    let b = with["KmsRequests"].as_u64().unwrap();
    eprintln!("10,000 uploads: {a} KMS requests without Bucket Keys, {b} with");
    assert_eq!(a, 10_000);
    assert!(b * 100 <= a, "{b} vs {a}");
    assert!(b >= 1);
    // The events were counted but not all retained.
    assert!(lab.w.events().count() < 5_000);
    assert_eq!(lab.w.s3().object_count("with-bucket-key"), Some(10_000));
    // Objects written with the bucket key still read back (one Decrypt for the bucket key).
    let w = &mut lab.w;
    let before = w.kms_request_count(PROD_ACCOUNT);
    for i in [0, 1, 9_999] {
        ok(
            w,
            &admin,
            "GetObject",
            json!({ "Bucket": "with-bucket-key", "Key": format!("bulk/{i:06}") }),
        );
    }
    assert!(w.kms_request_count(PROD_ACCOUNT) - before <= 1);
    // A new requester fetches its own bucket key; the context is the bucket ARN.
    let app = w.context_for_profile(Some("app"), None).unwrap();
    let _ = s3(
        w,
        &app,
        "PutObject",
        json!({ "Bucket": "with-bucket-key", "Key": "app", "Body": b64(b"1") }),
    );
    let gdk = w
        .events()
        .filter(|e| e.event_name == "GenerateDataKey")
        .last()
        .unwrap();
    assert_eq!(
        gdk.record["requestParameters"]["encryptionContext"]["aws:s3:arn"],
        "arn:aws:s3:::with-bucket-key"
    );
}

#[test]
fn copy_object_picks_up_the_bucket_key_and_a_new_key() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    let key2 = lab.create_key();
    kms_bucket(&mut lab, "archive", &key, false);
    let admin = lab.admin.clone();
    let w = &mut lab.w;
    ok(
        w,
        &admin,
        "PutObject",
        json!({ "Bucket": "archive", "Key": "old", "Body": b64(b"data") }),
    );
    ok(
        w,
        &admin,
        "PutBucketEncryption",
        json!({ "Bucket": "archive", "ServerSideEncryptionConfiguration": { "Rules": [{
            "ApplyServerSideEncryptionByDefault": { "SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key },
            "BucketKeyEnabled": true }]}}),
    );
    let head = ok(
        w,
        &admin,
        "HeadObject",
        json!({ "Bucket": "archive", "Key": "old" }),
    );
    assert!(
        head.get("BucketKeyEnabled").is_none(),
        "existing objects keep their encryption"
    );
    assert_eq!(
        fail(
            w,
            &admin,
            "CopyObject",
            json!({ "Bucket": "archive", "Key": "old", "CopySource": "archive/old" })
        )
        .code,
        "InvalidRequest"
    );
    let copied = ok(
        w,
        &admin,
        "CopyObject",
        json!({ "Bucket": "archive", "Key": "old", "CopySource": "archive/old", "ServerSideEncryption": "aws:kms", "SSEKMSKeyId": key }),
    );
    assert_eq!(copied["BucketKeyEnabled"], true);
    let rekeyed = ok(
        w,
        &admin,
        "CopyObject",
        json!({ "Bucket": "archive", "Key": "new", "CopySource": "archive/old", "ServerSideEncryption": "aws:kms", "SSEKMSKeyId": key2, "BucketKeyEnabled": false }),
    );
    assert!(rekeyed["SSEKMSKeyId"].as_str().unwrap().ends_with(&key2));
    assert!(rekeyed.get("BucketKeyEnabled").is_none());
    let got = ok(
        w,
        &admin,
        "GetObject",
        json!({ "Bucket": "archive", "Key": "new" }),
    );
    assert_eq!(unb64(&got["Body"]), b"data");
    let list = ok(
        w,
        &admin,
        "ListObjectsV2",
        json!({ "Bucket": "archive", "MaxKeys": 1 }),
    );
    assert_eq!(list["KeyCount"], 1);
    assert_eq!(list["IsTruncated"], true);
    let next = list["NextContinuationToken"].as_str().unwrap().to_owned();
    let list = ok(
        w,
        &admin,
        "ListObjectsV2",
        json!({ "Bucket": "archive", "ContinuationToken": next }),
    );
    assert_eq!(list["Contents"][0]["Key"], "old");
}

#[test]
fn aws_s3_key_is_not_usable_by_another_account_and_regions_are_checked() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let w = &mut lab.w;
    let mut west = admin.clone();
    west.region = "eu-west-1".into();
    assert_eq!(
        fail(w, &west, "CreateBucket", json!({ "Bucket": "west-data" })).code,
        "IllegalLocationConstraintException"
    );
    ok(
        w,
        &west,
        "CreateBucket",
        json!({ "Bucket": "west-data", "CreateBucketConfiguration": { "LocationConstraint": "eu-west-1" } }),
    );
    let put = ok(
        w,
        &west,
        "PutObject",
        json!({ "Bucket": "west-data", "Key": "k", "Body": b64(b"1"), "ServerSideEncryption": "aws:kms" }),
    );
    assert!(
        put["SSEKMSKeyId"]
            .as_str()
            .unwrap()
            .starts_with("arn:aws:kms:eu-west-1:")
    );
    // The partner account may read via the bucket policy, but aws/s3 only serves its own account.
    let policy = json!({ "Version": "2012-10-17", "Statement": [{ "Effect": "Allow",
        "Principal": { "AWS": "arn:aws:iam::444455556666:root" },
        "Action": "s3:GetObject", "Resource": "arn:aws:s3:::west-data/*" }] });
    ok(
        w,
        &west,
        "PutBucketPolicy",
        json!({ "Bucket": "west-data", "Policy": policy.to_string() }),
    );
    let mut partner = w.context_for_profile(Some("partner-admin"), None).unwrap();
    partner.region = "eu-west-1".into();
    let e = fail(
        w,
        &partner,
        "GetObject",
        json!({ "Bucket": "west-data", "Key": "k" }),
    );
    assert_eq!(e.code, "AccessDenied");
    assert!(e.message.contains("kms:Decrypt"), "{}", e.message);
}

#[test]
fn naming_alias_aws_s3_creates_the_aws_managed_key_on_first_use() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let w = &mut lab.w;
    ok(
        w,
        &admin,
        "CreateBucket",
        json!({ "Bucket": "named-aws-s3" }),
    );
    let put = ok(
        w,
        &admin,
        "PutObject",
        json!({ "Bucket": "named-aws-s3", "Key": "k", "Body": b64(b"x"),
                "ServerSideEncryption": "aws:kms", "SSEKMSKeyId": "alias/aws/s3" }),
    );
    let key = put["SSEKMSKeyId"].as_str().unwrap();
    assert!(key.starts_with("arn:aws:kms:us-east-1:"), "{put}");
    let d = w
        .call(
            &admin,
            "kms",
            "DescribeKey",
            json!({ "KeyId": "alias/aws/s3" }),
        )
        .unwrap();
    assert_eq!(d["KeyMetadata"]["Arn"], key);
    assert_eq!(d["KeyMetadata"]["KeyManager"], "AWS");
}
