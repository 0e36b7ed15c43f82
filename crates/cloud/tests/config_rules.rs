//! AWS Config's managed rules, each turning from `NON_COMPLIANT` to `COMPLIANT` after a fix
//! (on change, periodically or on demand), as each rule's page in the developer guide says.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
mod config_support;

use config_support::*;

fn run_instance(lab: &mut Lab) -> String {
    ok(
        lab,
        "ec2",
        "RunInstances",
        json!({ "ImageId": "ami-0abc", "MinCount": 1, "MaxCount": 1 }),
    )["Instances"][0]["InstanceId"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn volume(lab: &mut Lab, input: Value) -> String {
    ok(lab, "ec2", "CreateVolume", input)["VolumeId"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn encrypted_volumes_checks_only_attached_volumes() {
    let mut lab = enabled();
    let plain = volume(
        &mut lab,
        json!({ "Size": 8, "AvailabilityZone": "us-east-1a" }),
    );
    // The instance's root volume follows encryption by default.
    ok(&mut lab, "ec2", "EnableEbsEncryptionByDefault", json!({}));
    let iid = run_instance(&mut lab);
    let key = lab.create_key();
    let enc = volume(
        &mut lab,
        json!({ "Size": 8, "AvailabilityZone": "us-east-1a", "Encrypted": true, "KmsKeyId": key }),
    );
    put_rule(&mut lab, "encrypted-volumes", "ENCRYPTED_VOLUMES", None);
    let before = results(&mut lab, "encrypted-volumes");
    assert!(
        before.contains(&one("AWS::EC2::Volume", &plain, "NOT_APPLICABLE")),
        "{before:?}"
    );
    assert!(before.contains(&one("AWS::EC2::Volume", &enc, "NOT_APPLICABLE")));
    // Attaching the plain volume is a change: the rule re-evaluates without being asked.
    ok(
        &mut lab,
        "ec2",
        "AttachVolume",
        json!({ "VolumeId": plain, "InstanceId": iid, "Device": "/dev/sdf" }),
    );
    ok(
        &mut lab,
        "ec2",
        "AttachVolume",
        json!({ "VolumeId": enc, "InstanceId": iid, "Device": "/dev/sdg" }),
    );
    let now = results(&mut lab, "encrypted-volumes");
    assert!(
        now.contains(&one("AWS::EC2::Volume", &plain, "NON_COMPLIANT")),
        "{now:?}"
    );
    assert!(now.contains(&one("AWS::EC2::Volume", &enc, "COMPLIANT")));
    let c = rule_compliance(&mut lab, "encrypted-volumes");
    assert_eq!(c["ComplianceType"], "NON_COMPLIANT");
    assert!(
        c["ComplianceContributorCount"]["CappedCount"]
            .as_i64()
            .unwrap()
            >= 1
    );
    assert_eq!(c["ComplianceContributorCount"]["CapExceeded"], false);
    // The fix: detach and delete the unencrypted data volume, and replace the root volume.
    ok(
        &mut lab,
        "ec2",
        "DetachVolume",
        json!({ "VolumeId": plain }),
    );
    ok(
        &mut lab,
        "ec2",
        "DeleteVolume",
        json!({ "VolumeId": plain }),
    );
    let left = results(&mut lab, "encrypted-volumes");
    assert!(!left.iter().any(|(_, id, _)| *id == plain));
    assert_eq!(
        rule_compliance(&mut lab, "encrypted-volumes")["ComplianceType"],
        "COMPLIANT"
    );
    let only = cfg(
        &mut lab,
        "GetComplianceDetailsByConfigRule",
        json!({ "ConfigRuleName": "encrypted-volumes", "ComplianceTypes": ["NON_COMPLIANT"] }),
    );
    assert_eq!(only["EvaluationResults"], json!([]), "{only}");
    // With kmsId, a volume under another key does not comply.
    let other = lab.create_key();
    put_rule(
        &mut lab,
        "encrypted-volumes-key",
        "ENCRYPTED_VOLUMES",
        Some(json!({ "kmsId": other })),
    );
    let iid2 = run_instance(&mut lab);
    ok(&mut lab, "ec2", "DetachVolume", json!({ "VolumeId": enc }));
    ok(
        &mut lab,
        "ec2",
        "AttachVolume",
        json!({ "VolumeId": enc, "InstanceId": iid2, "Device": "/dev/sdg" }),
    );
    assert!(results(&mut lab, "encrypted-volumes-key").contains(&one(
        "AWS::EC2::Volume",
        &enc,
        "NON_COMPLIANT"
    )));
}

#[test]
fn ebs_encryption_by_default_is_periodic() {
    let mut lab = enabled();
    put_rule(
        &mut lab,
        "ebs-default",
        "EC2_EBS_ENCRYPTION_BY_DEFAULT",
        None,
    );
    assert_eq!(
        results(&mut lab, "ebs-default"),
        vec![one("AWS::::Account", PROD_ACCOUNT, "NON_COMPLIANT")]
    );
    ok(&mut lab, "ec2", "EnableEbsEncryptionByDefault", json!({}));
    // A periodic rule does not evaluate on the change …
    assert_eq!(
        results(&mut lab, "ebs-default"),
        vec![one("AWS::::Account", PROD_ACCOUNT, "NON_COMPLIANT")]
    );
    // … but every 24 hours.
    lab.w.advance_clock(DAY);
    assert_eq!(
        results(&mut lab, "ebs-default"),
        vec![one("AWS::::Account", PROD_ACCOUNT, "COMPLIANT")]
    );
    assert_eq!(
        rule_compliance(&mut lab, "ebs-default")["ComplianceType"],
        "COMPLIANT"
    );
}

fn create_db(lab: &mut Lab, id: &str, extra: Value) -> Value {
    let mut input = json!({ "DBInstanceIdentifier": id, "DBInstanceClass": "db.t3.micro",
        "Engine": "postgres", "AllocatedStorage": 20, "MasterUsername": "app", "MasterUserPassword": "secret123" });
    if let (Value::Object(m), Value::Object(e)) = (&mut input, extra) {
        m.extend(e);
    }
    ok(lab, "rds", "CreateDBInstance", input)["DBInstance"].clone()
}

#[test]
fn rds_storage_and_snapshots_encrypted() {
    let mut lab = enabled();
    put_rule(&mut lab, "rds-storage", "RDS_STORAGE_ENCRYPTED", None);
    put_rule(&mut lab, "rds-snapshots", "RDS_SNAPSHOT_ENCRYPTED", None);
    let plain = create_db(&mut lab, "orders", json!({}));
    let dbi = plain["DbiResourceId"].as_str().unwrap().to_owned();
    assert!(dbi.starts_with("db-"), "{dbi}");
    assert_eq!(
        results(&mut lab, "rds-storage"),
        vec![one("AWS::RDS::DBInstance", &dbi, "NON_COMPLIANT")]
    );
    ok(
        &mut lab,
        "rds",
        "CreateDBSnapshot",
        json!({ "DBSnapshotIdentifier": "orders-plain", "DBInstanceIdentifier": "orders" }),
    );
    assert_eq!(
        results(&mut lab, "rds-snapshots"),
        vec![one("AWS::RDS::DBSnapshot", "orders-plain", "NON_COMPLIANT")]
    );
    // The fix: an encrypted copy, a new instance restored from it, the old ones deleted.
    let key = lab.create_key();
    ok(
        &mut lab,
        "rds",
        "CopyDBSnapshot",
        json!({ "SourceDBSnapshotIdentifier": "orders-plain", "TargetDBSnapshotIdentifier": "orders-enc", "KmsKeyId": key }),
    );
    ok(
        &mut lab,
        "rds",
        "DeleteDBSnapshot",
        json!({ "DBSnapshotIdentifier": "orders-plain" }),
    );
    assert_eq!(
        results(&mut lab, "rds-snapshots"),
        vec![one("AWS::RDS::DBSnapshot", "orders-enc", "COMPLIANT")]
    );
    let enc = create_db(
        &mut lab,
        "orders-2",
        json!({ "StorageEncrypted": true, "KmsKeyId": key }),
    );
    let dbi2 = enc["DbiResourceId"].as_str().unwrap().to_owned();
    ok(
        &mut lab,
        "rds",
        "DeleteDBInstance",
        json!({ "DBInstanceIdentifier": "orders", "SkipFinalSnapshot": true }),
    );
    assert_eq!(
        results(&mut lab, "rds-storage"),
        vec![one("AWS::RDS::DBInstance", &dbi2, "COMPLIANT")]
    );
    assert_eq!(
        rule_compliance(&mut lab, "rds-storage")["ComplianceType"],
        "COMPLIANT"
    );
}

#[test]
fn s3_rules_default_encryption_and_sse_kms() {
    let mut lab = enabled();
    ok(
        &mut lab,
        "s3",
        "CreateBucket",
        json!({ "Bucket": "docs-1" }),
    );
    put_rule(
        &mut lab,
        "s3-sse",
        "S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED",
        None,
    );
    put_rule(&mut lab, "s3-kms", "S3_DEFAULT_ENCRYPTION_KMS", None);
    // Every bucket has SSE-S3 at least (since January 2023).
    assert_eq!(
        results(&mut lab, "s3-sse"),
        vec![
            one("AWS::S3::Bucket", BUCKET, "COMPLIANT"),
            one("AWS::S3::Bucket", "docs-1", "COMPLIANT")
        ]
    );
    assert!(results(&mut lab, "s3-kms").contains(&one(
        "AWS::S3::Bucket",
        "docs-1",
        "NON_COMPLIANT"
    )));
    let key = lab.create_key();
    let arn = lab.ok("DescribeKey", json!({ "KeyId": key }))["KeyMetadata"]["Arn"]
        .as_str()
        .unwrap()
        .to_owned();
    ok(
        &mut lab,
        "s3",
        "PutBucketEncryption",
        json!({ "Bucket": "docs-1", "ServerSideEncryptionConfiguration": { "Rules": [{
            "ApplyServerSideEncryptionByDefault": { "SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key } }]}}),
    );
    assert!(results(&mut lab, "s3-kms").contains(&one("AWS::S3::Bucket", "docs-1", "COMPLIANT")));
    // With kmsKeyArns, only the listed keys comply (the key id in the bucket matches its ARN).
    let other = lab.create_key();
    let other_arn = lab.ok("DescribeKey", json!({ "KeyId": other }))["KeyMetadata"]["Arn"]
        .as_str()
        .unwrap()
        .to_owned();
    put_rule(
        &mut lab,
        "s3-kms-listed",
        "S3_DEFAULT_ENCRYPTION_KMS",
        Some(json!({ "kmsKeyArns": format!("{other_arn},{arn}") })),
    );
    assert!(results(&mut lab, "s3-kms-listed").contains(&one(
        "AWS::S3::Bucket",
        "docs-1",
        "COMPLIANT"
    )));
    put_rule(
        &mut lab,
        "s3-kms-other",
        "S3_DEFAULT_ENCRYPTION_KMS",
        Some(json!({ "kmsKeyArns": other_arn })),
    );
    assert!(results(&mut lab, "s3-kms-other").contains(&one(
        "AWS::S3::Bucket",
        "docs-1",
        "NON_COMPLIANT"
    )));
}

#[test]
fn dynamodb_tables_need_a_kms_key() {
    let mut lab = enabled();
    put_rule(&mut lab, "ddb", "DYNAMODB_TABLE_ENCRYPTED_KMS", None);
    table(&mut lab, "Music");
    // The AWS owned key is not a KMS key of the account.
    assert_eq!(
        results(&mut lab, "ddb"),
        vec![one("AWS::DynamoDB::Table", "Music", "NON_COMPLIANT")]
    );
    ok(
        &mut lab,
        "dynamodb",
        "UpdateTable",
        json!({ "TableName": "Music", "SSESpecification": { "Enabled": true } }),
    );
    assert_eq!(
        results(&mut lab, "ddb"),
        vec![one("AWS::DynamoDB::Table", "Music", "COMPLIANT")]
    );
}

#[test]
fn efs_file_systems_encrypted_on_demand() {
    let mut lab = enabled();
    let plain = ok(
        &mut lab,
        "efs",
        "CreateFileSystem",
        json!({ "CreationToken": "plain" }),
    )["FileSystemId"]
        .as_str()
        .unwrap()
        .to_owned();
    put_rule(&mut lab, "efs", "EFS_ENCRYPTED_CHECK", None);
    assert_eq!(
        results(&mut lab, "efs"),
        vec![one("AWS::EFS::FileSystem", &plain, "NON_COMPLIANT")]
    );
    // Encryption is chosen at creation only: a new encrypted file system replaces it.
    let enc = ok(
        &mut lab,
        "efs",
        "CreateFileSystem",
        json!({ "CreationToken": "enc", "Encrypted": true }),
    )["FileSystemId"]
        .as_str()
        .unwrap()
        .to_owned();
    ok(
        &mut lab,
        "efs",
        "DeleteFileSystem",
        json!({ "FileSystemId": plain }),
    );
    // A periodic rule: nothing changes until it runs.
    assert_eq!(
        results(&mut lab, "efs"),
        vec![one("AWS::EFS::FileSystem", &plain, "NON_COMPLIANT")]
    );
    evaluate(&mut lab, "efs");
    assert_eq!(
        results(&mut lab, "efs"),
        vec![one("AWS::EFS::FileSystem", &enc, "COMPLIANT")]
    );
}

#[test]
fn cloudtrail_trails_and_log_groups_encrypted() {
    let mut lab = enabled();
    let trail_bucket = "trail-logs-111122223333";
    let trail_arn = format!("arn:aws:cloudtrail:us-east-1:{PROD_ACCOUNT}:trail/main");
    ok(
        &mut lab,
        "s3",
        "CreateBucket",
        json!({ "Bucket": trail_bucket }),
    );
    let policy = json!({ "Version": "2012-10-17", "Statement": [
        { "Effect": "Allow", "Principal": { "Service": "cloudtrail.amazonaws.com" },
          "Action": "s3:GetBucketAcl", "Resource": format!("arn:aws:s3:::{trail_bucket}") },
        { "Effect": "Allow", "Principal": { "Service": "cloudtrail.amazonaws.com" },
          "Action": "s3:PutObject", "Resource": format!("arn:aws:s3:::{trail_bucket}/AWSLogs/{PROD_ACCOUNT}/*"),
          "Condition": { "StringEquals": { "s3:x-amz-acl": "bucket-owner-full-control" } } }
    ]});
    ok(
        &mut lab,
        "s3",
        "PutBucketPolicy",
        json!({ "Bucket": trail_bucket, "Policy": policy.to_string() }),
    );
    ok(
        &mut lab,
        "cloudtrail",
        "CreateTrail",
        json!({ "Name": "main", "S3BucketName": trail_bucket }),
    );
    ok(
        &mut lab,
        "logs",
        "CreateLogGroup",
        json!({ "logGroupName": "/app/web" }),
    );
    put_rule(
        &mut lab,
        "trail-enc",
        "CLOUD_TRAIL_ENCRYPTION_ENABLED",
        None,
    );
    put_rule(&mut lab, "logs-enc", "CLOUDWATCH_LOG_GROUP_ENCRYPTED", None);
    assert_eq!(
        results(&mut lab, "trail-enc"),
        vec![one("AWS::CloudTrail::Trail", "main", "NON_COMPLIANT")]
    );
    assert_eq!(
        results(&mut lab, "logs-enc"),
        vec![one("AWS::Logs::LogGroup", "/app/web", "NON_COMPLIANT")]
    );
    // A key whose policy lets CloudTrail and Logs use it.
    let key_policy = json!({ "Version": "2012-10-17", "Statement": [
        { "Effect": "Allow", "Principal": { "AWS": format!("arn:aws:iam::{PROD_ACCOUNT}:root") },
          "Action": "kms:*", "Resource": "*" },
        { "Effect": "Allow", "Principal": { "Service": "cloudtrail.amazonaws.com" },
          "Action": "kms:GenerateDataKey*", "Resource": "*",
          "Condition": { "StringEquals": { "aws:SourceArn": trail_arn } } },
        { "Effect": "Allow", "Principal": { "Service": "cloudtrail.amazonaws.com" },
          "Action": "kms:DescribeKey", "Resource": "*" },
        { "Effect": "Allow", "Principal": { "Service": "logs.us-east-1.amazonaws.com" },
          "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
          "Resource": "*" }
    ]});
    let key =
        lab.ok("CreateKey", json!({ "Policy": key_policy.to_string() }))["KeyMetadata"]["Arn"]
            .as_str()
            .unwrap()
            .to_owned();
    ok(
        &mut lab,
        "cloudtrail",
        "UpdateTrail",
        json!({ "Name": "main", "KmsKeyId": key }),
    );
    ok(
        &mut lab,
        "logs",
        "AssociateKmsKey",
        json!({ "logGroupName": "/app/web", "kmsKeyId": key }),
    );
    cfg(
        &mut lab,
        "StartConfigRulesEvaluation",
        json!({ "ConfigRuleNames": ["trail-enc", "logs-enc"] }),
    );
    assert_eq!(
        results(&mut lab, "trail-enc"),
        vec![one("AWS::CloudTrail::Trail", "main", "COMPLIANT")]
    );
    assert_eq!(
        results(&mut lab, "logs-enc"),
        vec![one("AWS::Logs::LogGroup", "/app/web", "COMPLIANT")]
    );
}

#[test]
fn a_key_scheduled_for_deletion_is_noncompliant_until_cancelled() {
    let mut lab = enabled();
    let key = lab.create_key();
    put_rule(
        &mut lab,
        "kms-deletion",
        "KMS_CMK_NOT_SCHEDULED_FOR_DELETION",
        Some(json!({ "kmsKeyIds": key })),
    );
    assert_eq!(
        results(&mut lab, "kms-deletion"),
        vec![one("AWS::KMS::Key", &key, "COMPLIANT")]
    );
    lab.ok(
        "ScheduleKeyDeletion",
        json!({ "KeyId": key, "PendingWindowInDays": 30 }),
    );
    evaluate(&mut lab, "kms-deletion");
    assert_eq!(
        results(&mut lab, "kms-deletion"),
        vec![one("AWS::KMS::Key", &key, "NON_COMPLIANT")]
    );
    lab.ok("CancelKeyDeletion", json!({ "KeyId": key }));
    evaluate(&mut lab, "kms-deletion");
    assert_eq!(
        results(&mut lab, "kms-deletion"),
        vec![one("AWS::KMS::Key", &key, "COMPLIANT")]
    );
}
