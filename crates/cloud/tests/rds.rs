//! RDS on top of KMS: encryption at creation only, encrypting an existing instance by snapshot →
//! copy with a key → restore, sharing encrypted snapshots, read replica key rules, and
//! KMSKeyNotAccessibleFault.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use cloud::{AwsError, CallContext, PARTNER_ACCOUNT, PROD_ACCOUNT, World};
use common::Lab;
use serde_json::{Value, json};

fn rds(w: &mut World, c: &CallContext, op: &str, input: Value) -> Result<Value, AwsError> {
    w.call(c, "rds", op, input)
}

/// A call that must succeed. An instance or snapshot it creates is then waited for, as a
/// learner waits (`aws rds wait db-instance-available` / `db-snapshot-available`): the clock
/// moves ten minutes.
fn ok(w: &mut World, c: &CallContext, op: &str, input: Value) -> Value {
    let out = rds(w, c, op, input.clone()).unwrap_or_else(|e| panic!("{op} {input}: {e}"));
    if common::creates_a_resource(op) {
        w.advance_clock(common::READY_MS);
    }
    out
}

fn create_db(w: &mut World, c: &CallContext, id: &str, extra: Value) -> Value {
    let mut input = json!({ "DBInstanceIdentifier": id, "DBInstanceClass": "db.t3.micro",
        "Engine": "postgres", "AllocatedStorage": 20, "MasterUsername": "app", "MasterUserPassword": "secret123" });
    if let (Value::Object(m), Value::Object(e)) = (&mut input, extra) {
        m.extend(e);
    }
    ok(w, c, "CreateDBInstance", input)["DBInstance"].clone()
}

/// `crm`, encrypted with a new customer managed key, and its snapshot `crm-1` shared with the
/// partner account: (the lab, the key, the snapshot ARN, the partner's context, a key of the
/// partner's own).
fn shared_snapshot() -> (Lab, String, String, CallContext, String) {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let key = lab.create_key();
    let w = &mut lab.w;
    create_db(
        w,
        &admin,
        "crm",
        json!({ "StorageEncrypted": true, "KmsKeyId": key }),
    );
    ok(
        w,
        &admin,
        "CreateDBSnapshot",
        json!({ "DBSnapshotIdentifier": "crm-1", "DBInstanceIdentifier": "crm" }),
    );
    ok(
        w,
        &admin,
        "ModifyDBSnapshotAttribute",
        json!({ "DBSnapshotIdentifier": "crm-1", "AttributeName": "restore", "ValuesToAdd": [PARTNER_ACCOUNT] }),
    );
    let arn = format!("arn:aws:rds:us-east-1:{PROD_ACCOUNT}:snapshot:crm-1");
    let partner = w.context_for_profile(Some("partner-admin"), None).unwrap();
    let partner_key =
        w.call(&partner, "kms", "CreateKey", json!({})).unwrap()["KeyMetadata"]["Arn"]
            .as_str()
            .unwrap()
            .to_owned();
    (lab, key, arn, partner, partner_key)
}

#[test]
fn encrypt_an_existing_instance_by_snapshot_copy_and_restore() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    let admin = lab.admin.clone();
    let w = &mut lab.w;
    let db = create_db(w, &admin, "orders", json!({}));
    assert_eq!(db["StorageEncrypted"], false);
    ok(
        w,
        &admin,
        "CreateDBSnapshot",
        json!({ "DBSnapshotIdentifier": "orders-plain", "DBInstanceIdentifier": "orders" }),
    );
    let copy = ok(
        w,
        &admin,
        "CopyDBSnapshot",
        json!({ "SourceDBSnapshotIdentifier": "orders-plain", "TargetDBSnapshotIdentifier": "orders-enc", "KmsKeyId": key }),
    );
    assert_eq!(copy["DBSnapshot"]["Encrypted"], true);
    let gdk = w
        .events()
        .filter(|e| e.event_name == "GenerateDataKeyWithoutPlaintext")
        .last()
        .unwrap();
    assert_eq!(gdk.record["userIdentity"]["invokedBy"], "rds.amazonaws.com");
    let restored = ok(
        w,
        &admin,
        "RestoreDBInstanceFromDBSnapshot",
        json!({ "DBInstanceIdentifier": "orders-encrypted", "DBSnapshotIdentifier": "orders-enc" }),
    );
    assert_eq!(restored["DBInstance"]["StorageEncrypted"], true);
    assert!(
        restored["DBInstance"]["KmsKeyId"]
            .as_str()
            .unwrap()
            .ends_with(&key)
    );
    let d = ok(
        w,
        &admin,
        "DescribeDBInstances",
        json!({ "DBInstanceIdentifier": "orders-encrypted" }),
    );
    assert_eq!(d["DBInstances"][0]["StorageEncrypted"], true);
    // Default key aws/rds when StorageEncrypted without KmsKeyId.
    let enc = create_db(w, &admin, "billing", json!({ "StorageEncrypted": true }));
    let managed = w.aws_managed_key(PROD_ACCOUNT, "us-east-1", "rds").unwrap();
    assert!(enc["KmsKeyId"].as_str().unwrap().ends_with(&managed));
    // Read replicas: same Region uses the source's key; encrypted from unencrypted fails;
    // cross-Region needs a key in the destination Region.
    let r = ok(
        w,
        &admin,
        "CreateDBInstanceReadReplica",
        json!({ "DBInstanceIdentifier": "billing-r1", "SourceDBInstanceIdentifier": "billing" }),
    )["DBInstance"]
        .clone();
    assert_eq!(r["KmsKeyId"], enc["KmsKeyId"]);
    let e = rds(w, &admin, "CreateDBInstanceReadReplica", json!({ "DBInstanceIdentifier": "orders-r1", "SourceDBInstanceIdentifier": "orders", "KmsKeyId": key })).unwrap_err();
    assert_eq!(e.code, "InvalidParameterCombination");
    let mut west = admin.clone();
    west.region = "eu-west-1".into();
    let src_arn = enc["DBInstanceArn"].as_str().unwrap().to_owned();
    let e = rds(
        w,
        &west,
        "CreateDBInstanceReadReplica",
        json!({ "DBInstanceIdentifier": "billing-west", "SourceDBInstanceIdentifier": src_arn }),
    )
    .unwrap_err();
    assert_eq!(e.code, "InvalidParameterValue");
    let west_key = w.call(&west, "kms", "CreateKey", json!({})).unwrap()["KeyMetadata"]["Arn"]
        .as_str()
        .unwrap()
        .to_owned();
    let e = rds(w, &west, "CreateDBInstanceReadReplica", json!({ "DBInstanceIdentifier": "billing-west", "SourceDBInstanceIdentifier": src_arn, "KmsKeyId": format!("arn:aws:kms:us-east-1:{PROD_ACCOUNT}:key/{key}") })).unwrap_err();
    assert_eq!(e.code, "KMSKeyNotAccessibleFault");
    let r = ok(
        w,
        &west,
        "CreateDBInstanceReadReplica",
        json!({ "DBInstanceIdentifier": "billing-west", "SourceDBInstanceIdentifier": src_arn, "KmsKeyId": west_key }),
    );
    assert_eq!(r["DBInstance"]["KmsKeyId"], west_key.as_str());
}

#[test]
fn a_disabled_key_gives_kms_key_not_accessible_fault() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    let admin = lab.admin.clone();
    create_db(
        &mut lab.w,
        &admin,
        "ledger",
        json!({ "StorageEncrypted": true, "KmsKeyId": key }),
    );
    ok(
        &mut lab.w,
        &admin,
        "CreateDBSnapshot",
        json!({ "DBSnapshotIdentifier": "ledger-1", "DBInstanceIdentifier": "ledger" }),
    );
    lab.ok("DisableKey", json!({ "KeyId": key }));
    let w = &mut lab.w;
    let e = rds(
        w,
        &admin,
        "RestoreDBInstanceFromDBSnapshot",
        json!({ "DBInstanceIdentifier": "ledger-2", "DBSnapshotIdentifier": "ledger-1" }),
    )
    .unwrap_err();
    assert_eq!(e.code, "KMSKeyNotAccessibleFault");
    let e = rds(w, &admin, "CreateDBInstance", json!({ "DBInstanceIdentifier": "x", "DBInstanceClass": "db.t3.micro", "Engine": "mysql", "StorageEncrypted": true, "KmsKeyId": key })).unwrap_err();
    assert_eq!(e.code, "KMSKeyNotAccessibleFault");
}

#[test]
fn share_an_encrypted_snapshot_across_accounts() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let key = lab.create_key();
    let w = &mut lab.w;
    create_db(w, &admin, "crm", json!({ "StorageEncrypted": true }));
    ok(
        w,
        &admin,
        "CreateDBSnapshot",
        json!({ "DBSnapshotIdentifier": "crm-1", "DBInstanceIdentifier": "crm" }),
    );
    // aws/rds snapshots cannot be shared.
    let e = rds(w, &admin, "ModifyDBSnapshotAttribute", json!({ "DBSnapshotIdentifier": "crm-1", "AttributeName": "restore", "ValuesToAdd": [PARTNER_ACCOUNT] })).unwrap_err();
    assert_eq!(e.code, "InvalidParameterValue");
    assert!(e.message.contains("aws/rds"), "{}", e.message);
    // Copy with a customer managed key, open its key policy to the partner, share the copy.
    ok(
        w,
        &admin,
        "CopyDBSnapshot",
        json!({ "SourceDBSnapshotIdentifier": "crm-1", "TargetDBSnapshotIdentifier": "crm-share", "KmsKeyId": key }),
    );
    let policy = json!({ "Version": "2012-10-17", "Statement": [
        { "Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": { "AWS": format!("arn:aws:iam::{PROD_ACCOUNT}:root") }, "Action": "kms:*", "Resource": "*" },
        { "Sid": "Partner", "Effect": "Allow", "Principal": { "AWS": format!("arn:aws:iam::{PARTNER_ACCOUNT}:root") },
          "Action": ["kms:Decrypt", "kms:DescribeKey", "kms:CreateGrant"], "Resource": "*" }
    ]});
    ok(
        w,
        &admin,
        "ModifyDBSnapshotAttribute",
        json!({ "DBSnapshotIdentifier": "crm-share", "AttributeName": "restore", "ValuesToAdd": [PARTNER_ACCOUNT] }),
    );
    let arn = format!("arn:aws:rds:us-east-1:{PROD_ACCOUNT}:snapshot:crm-share");
    let partner = w.context_for_profile(Some("partner-admin"), None).unwrap();
    let shared = ok(
        w,
        &partner,
        "DescribeDBSnapshots",
        json!({ "SnapshotType": "shared" }),
    );
    assert_eq!(shared["DBSnapshots"][0]["DBSnapshotArn"], arn.as_str());
    // The partner cannot restore it directly, and cannot copy it until the key policy allows.
    let e = rds(
        w,
        &partner,
        "RestoreDBInstanceFromDBSnapshot",
        json!({ "DBInstanceIdentifier": "crm", "DBSnapshotIdentifier": arn }),
    )
    .unwrap_err();
    assert_eq!(e.code, "InvalidParameterValue");
    let partner_key =
        w.call(&partner, "kms", "CreateKey", json!({})).unwrap()["KeyMetadata"]["Arn"]
            .as_str()
            .unwrap()
            .to_owned();
    let e = rds(
        w,
        &partner,
        "CopyDBSnapshot",
        json!({ "SourceDBSnapshotIdentifier": arn, "TargetDBSnapshotIdentifier": "crm-mine" }),
    )
    .unwrap_err();
    assert_eq!(e.code, "InvalidParameterValue");
    let e = rds(w, &partner, "CopyDBSnapshot", json!({ "SourceDBSnapshotIdentifier": arn, "TargetDBSnapshotIdentifier": "crm-mine", "KmsKeyId": partner_key })).unwrap_err();
    assert_eq!(e.code, "KMSKeyNotAccessibleFault");
    lab.ok(
        "PutKeyPolicy",
        json!({ "KeyId": key, "Policy": policy.to_string() }),
    );
    let w = &mut lab.w;
    ok(
        w,
        &partner,
        "CopyDBSnapshot",
        json!({ "SourceDBSnapshotIdentifier": arn, "TargetDBSnapshotIdentifier": "crm-mine", "KmsKeyId": partner_key }),
    );
    let r = ok(
        w,
        &partner,
        "RestoreDBInstanceFromDBSnapshot",
        json!({ "DBInstanceIdentifier": "crm", "DBSnapshotIdentifier": "crm-mine" }),
    );
    assert_eq!(r["DBInstance"]["KmsKeyId"], partner_key.as_str());
    assert!(
        r["DBInstance"]["DBInstanceArn"]
            .as_str()
            .unwrap()
            .contains(PARTNER_ACCOUNT)
    );
}

#[test]
fn copying_a_shared_snapshot_needs_describe_key_and_create_grant_for_aws_resources() {
    let (mut lab, key, arn, partner, partner_key) = shared_snapshot();
    let root = json!({ "Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": { "AWS": format!("arn:aws:iam::{PROD_ACCOUNT}:root") }, "Action": "kms:*", "Resource": "*" });
    let partner_root = format!("arn:aws:iam::{PARTNER_ACCOUNT}:root");
    let copy = |w: &mut World, target: &str| {
        rds(
            w,
            &partner,
            "CopyDBSnapshot",
            json!({ "SourceDBSnapshotIdentifier": arn, "TargetDBSnapshotIdentifier": target, "KmsKeyId": partner_key }),
        )
    };
    // Decrypt alone is not enough: RDS also describes the key and creates a grant.
    let decrypt_only = json!({ "Version": "2012-10-17", "Statement": [root,
        { "Effect": "Allow", "Principal": { "AWS": partner_root }, "Action": ["kms:Decrypt"], "Resource": "*" }]});
    lab.ok(
        "PutKeyPolicy",
        json!({ "KeyId": key, "Policy": decrypt_only.to_string() }),
    );
    let e = copy(&mut lab.w, "crm-a").unwrap_err();
    assert_eq!(e.code, "KMSKeyNotAccessibleFault");
    // The documented policy: key use, plus grants only for AWS resources.
    let documented = json!({ "Version": "2012-10-17", "Statement": [root,
        { "Sid": "Allow use of the key", "Effect": "Allow", "Principal": { "AWS": partner_root },
          "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"], "Resource": "*" },
        { "Sid": "Allow attachment of persistent resources", "Effect": "Allow", "Principal": { "AWS": partner_root },
          "Action": ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"], "Resource": "*",
          "Condition": { "Bool": { "kms:GrantIsForAWSResource": "true" } } }]});
    lab.ok(
        "PutKeyPolicy",
        json!({ "KeyId": key, "Policy": documented.to_string() }),
    );
    let w = &mut lab.w;
    let c = copy(w, "crm-b").unwrap();
    assert_eq!(c["DBSnapshot"]["KmsKeyId"], partner_key.as_str());
    let names: Vec<String> = w
        .events()
        .filter(|e| e.record["userIdentity"]["invokedBy"] == "rds.amazonaws.com")
        .map(|e| e.event_name.clone())
        .collect();
    for op in ["DescribeKey", "CreateGrant", "Decrypt", "RetireGrant"] {
        assert!(names.iter().any(|n| n == op), "{op} missing: {names:?}");
    }
    // The grant was retired after the copy; the partner cannot create one directly.
    let grants = lab.ok("ListGrants", json!({ "KeyId": key }));
    assert_eq!(grants["Grants"].as_array().unwrap().len(), 0, "{grants}");
    let w = &mut lab.w;
    let e = w
        .call(
            &partner,
            "kms",
            "CreateGrant",
            json!({ "KeyId": format!("arn:aws:kms:us-east-1:{PROD_ACCOUNT}:key/{key}"),
                    "GranteePrincipal": format!("arn:aws:iam::{PARTNER_ACCOUNT}:user/PartnerAdmin"), "Operations": ["Decrypt"] }),
        )
        .unwrap_err();
    assert_eq!(e.code, "AccessDeniedException");
    // The copy is ready once RDS has made it (`aws rds wait db-snapshot-available`).
    w.advance_clock(common::READY_MS);
    // RestoreDBInstanceFromDBSnapshot has no KmsKeyId: the instance keeps its snapshot's key.
    let r = ok(
        w,
        &partner,
        "RestoreDBInstanceFromDBSnapshot",
        json!({ "DBInstanceIdentifier": "crm", "DBSnapshotIdentifier": "crm-b", "KmsKeyId": "alias/aws/rds" }),
    );
    assert_eq!(r["DBInstance"]["KmsKeyId"], partner_key.as_str());
}

#[test]
fn a_failed_cross_account_copy_leaves_no_grant_behind() {
    let (mut lab, key, arn, partner, partner_key) = shared_snapshot();
    // DescribeKey and CreateGrant (for AWS resources) are allowed, so RDS creates its grant;
    // an explicit Deny of kms:Decrypt then makes the Decrypt under that grant fail.
    let partner_root = format!("arn:aws:iam::{PARTNER_ACCOUNT}:root");
    let policy = json!({ "Version": "2012-10-17", "Statement": [
        { "Effect": "Allow", "Principal": { "AWS": format!("arn:aws:iam::{PROD_ACCOUNT}:root") }, "Action": "kms:*", "Resource": "*" },
        { "Effect": "Allow", "Principal": { "AWS": partner_root }, "Action": ["kms:DescribeKey"], "Resource": "*" },
        { "Effect": "Allow", "Principal": { "AWS": partner_root }, "Action": ["kms:CreateGrant"], "Resource": "*",
          "Condition": { "Bool": { "kms:GrantIsForAWSResource": "true" } } },
        { "Effect": "Deny", "Principal": { "AWS": partner_root }, "Action": "kms:Decrypt", "Resource": "*" }]});
    lab.ok(
        "PutKeyPolicy",
        json!({ "KeyId": key, "Policy": policy.to_string() }),
    );
    for target in ["crm-a", "crm-b"] {
        let e = rds(
            &mut lab.w,
            &partner,
            "CopyDBSnapshot",
            json!({ "SourceDBSnapshotIdentifier": arn, "TargetDBSnapshotIdentifier": target, "KmsKeyId": partner_key }),
        )
        .unwrap_err();
        assert_eq!(e.code, "KMSKeyNotAccessibleFault");
    }
    let w = &lab.w;
    let made: Vec<_> = w
        .events()
        .filter(|e| e.record["userIdentity"]["invokedBy"] == "rds.amazonaws.com")
        .map(|e| (e.event_name.clone(), e.error_code.clone()))
        .collect();
    assert!(
        made.iter()
            .any(|(n, err)| n == "CreateGrant" && err.is_none()),
        "{made:?}"
    );
    assert!(
        made.iter().any(|(n, err)| n == "Decrypt" && err.is_some()),
        "{made:?}"
    );
    // Each failed copy retired the grant it created: the key owner sees none.
    let grants = lab.ok("ListGrants", json!({ "KeyId": key }));
    assert_eq!(grants["Grants"].as_array().unwrap().len(), 0, "{grants}");
}

#[test]
fn naming_alias_aws_rds_creates_the_aws_managed_key_on_first_use() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let w = &mut lab.w;
    create_db(w, &admin, "plain", json!({}));
    ok(
        w,
        &admin,
        "CreateDBSnapshot",
        json!({ "DBInstanceIdentifier": "plain", "DBSnapshotIdentifier": "plain-snap" }),
    );
    let copy = ok(
        w,
        &admin,
        "CopyDBSnapshot",
        json!({ "SourceDBSnapshotIdentifier": "plain-snap", "TargetDBSnapshotIdentifier": "enc",
            "KmsKeyId": "alias/aws/rds" }),
    );
    let managed = w
        .call(
            &admin,
            "kms",
            "DescribeKey",
            json!({ "KeyId": "alias/aws/rds" }),
        )
        .unwrap();
    assert_eq!(managed["KeyMetadata"]["KeyManager"], "AWS");
    assert_eq!(copy["DBSnapshot"]["Encrypted"], true);
    assert_eq!(
        copy["DBSnapshot"]["KmsKeyId"],
        managed["KeyMetadata"]["Arn"]
    );
}
