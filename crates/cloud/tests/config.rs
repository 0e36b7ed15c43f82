//! AWS Config: the recorder and delivery channel prerequisites (with AWS's codes and messages),
//! AWS managed rules by source identifier, each turning from `NON_COMPLIANT` to `COMPLIANT`
//! after a fix (on change, periodically or on demand), the result shapes, and an unknown
//! identifier.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use cloud::{AwsError, CallContext, PROD_ACCOUNT, World};
use common::{DAY, Lab};
use serde_json::{Value, json};

const BUCKET: &str = "config-bucket-111122223333";
const ROLE: &str = "arn:aws:iam::111122223333:role/ConfigRecorderRole";
const SLR: &str =
    "arn:aws:iam::111122223333:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig";

fn call(
    w: &mut World,
    c: &CallContext,
    service: &str,
    op: &str,
    input: Value,
) -> Result<Value, AwsError> {
    w.call(c, service, op, input)
}

fn ok(lab: &mut Lab, service: &str, op: &str, input: Value) -> Value {
    let admin = lab.admin.clone();
    call(&mut lab.w, &admin, service, op, input.clone())
        .unwrap_or_else(|e| panic!("{service} {op} {input}: {e}"))
}

fn err(lab: &mut Lab, service: &str, op: &str, input: Value) -> AwsError {
    let admin = lab.admin.clone();
    match call(&mut lab.w, &admin, service, op, input.clone()) {
        Ok(v) => panic!("{service} {op} {input} unexpectedly succeeded: {v}"),
        Err(e) => e,
    }
}

fn cfg(lab: &mut Lab, op: &str, input: Value) -> Value {
    ok(lab, "configservice", op, input)
}

fn cfg_err(lab: &mut Lab, op: &str, input: Value) -> AwsError {
    err(lab, "configservice", op, input)
}

/// A bucket, a recorder with a custom role, the default channel, recording.
fn enabled() -> Lab {
    let mut lab = Lab::new();
    ok(&mut lab, "s3", "CreateBucket", json!({ "Bucket": BUCKET }));
    cfg(
        &mut lab,
        "PutConfigurationRecorder",
        json!({ "ConfigurationRecorder": { "name": "default", "roleARN": ROLE } }),
    );
    cfg(
        &mut lab,
        "PutDeliveryChannel",
        json!({ "DeliveryChannel": { "name": "default", "s3BucketName": BUCKET } }),
    );
    cfg(
        &mut lab,
        "StartConfigurationRecorder",
        json!({ "ConfigurationRecorderName": "default" }),
    );
    lab
}

fn put_rule(lab: &mut Lab, name: &str, identifier: &str, params: Option<Value>) {
    let mut rule = json!({ "ConfigRuleName": name,
        "Source": { "Owner": "AWS", "SourceIdentifier": identifier } });
    if let Some(p) = params {
        rule["InputParameters"] = json!(p.to_string());
    }
    cfg(lab, "PutConfigRule", json!({ "ConfigRule": rule }));
}

/// The rule's results as (resource type, resource id, compliance), sorted.
fn results(lab: &mut Lab, rule: &str) -> Vec<(String, String, String)> {
    let out = cfg(
        lab,
        "GetComplianceDetailsByConfigRule",
        json!({ "ConfigRuleName": rule, "Limit": 100 }),
    );
    let mut v: Vec<(String, String, String)> = out["EvaluationResults"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let q = &r["EvaluationResultIdentifier"]["EvaluationResultQualifier"];
            (
                q["ResourceType"].as_str().unwrap().to_owned(),
                q["ResourceId"].as_str().unwrap().to_owned(),
                r["ComplianceType"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    v.sort();
    v
}

fn one(t: &str, id: &str, c: &str) -> (String, String, String) {
    (t.to_owned(), id.to_owned(), c.to_owned())
}

fn rule_compliance(lab: &mut Lab, rule: &str) -> Value {
    cfg(
        lab,
        "DescribeComplianceByConfigRule",
        json!({ "ConfigRuleNames": [rule] }),
    )["ComplianceByConfigRules"][0]["Compliance"]
        .clone()
}

fn evaluate(lab: &mut Lab, rule: &str) {
    cfg(
        lab,
        "StartConfigRulesEvaluation",
        json!({ "ConfigRuleNames": [rule] }),
    );
}

#[test]
fn the_recorder_comes_first_then_the_channel_then_recording() {
    let mut lab = Lab::new();
    let e = cfg_err(
        &mut lab,
        "PutDeliveryChannel",
        json!({ "DeliveryChannel": { "s3BucketName": BUCKET } }),
    );
    assert_eq!(e.code, "NoAvailableConfigurationRecorderException");
    assert_eq!(
        e.message,
        "Configuration recorder is not available to put delivery channel."
    );
    let e = cfg_err(
        &mut lab,
        "PutConfigRule",
        json!({ "ConfigRule": { "ConfigRuleName": "ebs", "Source": { "Owner": "AWS", "SourceIdentifier": "ENCRYPTED_VOLUMES" } } }),
    );
    assert_eq!(e.code, "NoAvailableConfigurationRecorderException");
    assert_eq!(
        e.message,
        "You must create a configuration recorder before you can create or update a Config rule."
    );
    cfg(
        &mut lab,
        "PutConfigurationRecorder",
        json!({ "ConfigurationRecorder": { "roleARN": ROLE } }),
    );
    let rec = cfg(&mut lab, "DescribeConfigurationRecorders", json!({}));
    let r = &rec["ConfigurationRecorders"][0];
    assert_eq!(r["name"], "default");
    assert_eq!(r["roleARN"], ROLE);
    assert_eq!(r["recordingGroup"]["allSupported"], true);
    assert_eq!(r["recordingGroup"]["includeGlobalResourceTypes"], false);
    let e = cfg_err(
        &mut lab,
        "PutConfigurationRecorder",
        json!({ "ConfigurationRecorder": { "name": "second", "roleARN": ROLE } }),
    );
    assert_eq!(e.code, "MaxNumberOfConfigurationRecordersExceededException");
    let e = cfg_err(
        &mut lab,
        "StartConfigurationRecorder",
        json!({ "ConfigurationRecorderName": "default" }),
    );
    assert_eq!(e.code, "NoAvailableDeliveryChannelException");
    assert_eq!(
        e.message,
        "Delivery channel is not available to start configuration recorder."
    );
    let e = cfg_err(
        &mut lab,
        "StartConfigurationRecorder",
        json!({ "ConfigurationRecorderName": "other" }),
    );
    assert_eq!(e.code, "NoSuchConfigurationRecorderException");
    // The channel's bucket must exist.
    let e = cfg_err(
        &mut lab,
        "PutDeliveryChannel",
        json!({ "DeliveryChannel": { "s3BucketName": BUCKET } }),
    );
    assert_eq!(e.code, "NoSuchBucketException");
    let e = cfg_err(
        &mut lab,
        "PutDeliveryChannel",
        json!({ "DeliveryChannel": { "s3BucketName": "" } }),
    );
    assert_eq!(
        e.message,
        "Cannot find a S3 bucket with an empty bucket name."
    );
    ok(&mut lab, "s3", "CreateBucket", json!({ "Bucket": BUCKET }));
    cfg(
        &mut lab,
        "PutDeliveryChannel",
        json!({ "DeliveryChannel": { "s3BucketName": BUCKET } }),
    );
    let ch = cfg(&mut lab, "DescribeDeliveryChannels", json!({}));
    assert_eq!(
        ch["DeliveryChannels"],
        json!([{ "name": "default", "s3BucketName": BUCKET }])
    );
    let e = cfg_err(
        &mut lab,
        "DescribeDeliveryChannels",
        json!({ "DeliveryChannelNames": ["nope"] }),
    );
    assert_eq!(e.code, "NoSuchDeliveryChannelException");
    let status = cfg(&mut lab, "DescribeConfigurationRecorderStatus", json!({}));
    assert_eq!(
        status["ConfigurationRecordersStatus"][0]["recording"],
        false
    );
    lab.w.advance_clock(1000);
    cfg(
        &mut lab,
        "StartConfigurationRecorder",
        json!({ "ConfigurationRecorderName": "default" }),
    );
    let status = cfg(&mut lab, "DescribeConfigurationRecorderStatus", json!({}));
    let s = &status["ConfigurationRecordersStatus"][0];
    assert_eq!(s["name"], "default");
    assert_eq!(s["recording"], true);
    assert_eq!(s["lastStatus"], "SUCCESS");
    assert!(s["lastStartTime"].as_f64().unwrap() > 1.7e9);
    // Config's calls are Config's CloudTrail events.
    let ev = lab.w.events().last().unwrap().record.clone();
    assert_eq!(ev["eventSource"], "config.amazonaws.com");
    assert_eq!(ev["eventName"], "DescribeConfigurationRecorderStatus");
}

#[test]
fn the_service_linked_role_needs_the_bucket_policy() {
    let mut lab = Lab::new();
    ok(&mut lab, "s3", "CreateBucket", json!({ "Bucket": BUCKET }));
    cfg(
        &mut lab,
        "PutConfigurationRecorder",
        json!({ "ConfigurationRecorder": { "roleARN": SLR } }),
    );
    let e = cfg_err(
        &mut lab,
        "PutDeliveryChannel",
        json!({ "DeliveryChannel": { "s3BucketName": BUCKET } }),
    );
    assert_eq!(e.code, "InsufficientDeliveryPolicyException");
    assert_eq!(
        e.message,
        format!(
            "Insufficient delivery policy to s3 bucket: {BUCKET}, unable to write to bucket, provided s3 key prefix is 'null', provided kms key is 'null'."
        )
    );
    // The developer guide's bucket policy for AWS Config.
    let policy = json!({ "Version": "2012-10-17", "Statement": [
        { "Sid": "AWSConfigBucketPermissionsCheck", "Effect": "Allow",
          "Principal": { "Service": "config.amazonaws.com" }, "Action": "s3:GetBucketAcl",
          "Resource": format!("arn:aws:s3:::{BUCKET}"),
          "Condition": { "StringEquals": { "AWS:SourceAccount": PROD_ACCOUNT } } },
        { "Sid": "AWSConfigBucketExistenceCheck", "Effect": "Allow",
          "Principal": { "Service": "config.amazonaws.com" }, "Action": "s3:ListBucket",
          "Resource": format!("arn:aws:s3:::{BUCKET}"),
          "Condition": { "StringEquals": { "AWS:SourceAccount": PROD_ACCOUNT } } },
        { "Sid": "AWSConfigBucketDelivery", "Effect": "Allow",
          "Principal": { "Service": "config.amazonaws.com" }, "Action": "s3:PutObject",
          "Resource": format!("arn:aws:s3:::{BUCKET}/AWSLogs/{PROD_ACCOUNT}/Config/*"),
          "Condition": { "StringEquals": { "s3:x-amz-acl": "bucket-owner-full-control",
                                           "AWS:SourceAccount": PROD_ACCOUNT } } }
    ]});
    ok(
        &mut lab,
        "s3",
        "PutBucketPolicy",
        json!({ "Bucket": BUCKET, "Policy": policy.to_string() }),
    );
    cfg(
        &mut lab,
        "PutDeliveryChannel",
        json!({ "DeliveryChannel": { "s3BucketName": BUCKET } }),
    );
}

#[test]
fn an_unknown_source_identifier_is_refused() {
    let mut lab = enabled();
    let e = cfg_err(
        &mut lab,
        "PutConfigRule",
        json!({ "ConfigRule": { "ConfigRuleName": "x", "Source": { "Owner": "AWS", "SourceIdentifier": "ENCRYPTED_VOLUMEZ" } } }),
    );
    assert_eq!(e.code, "InvalidParameterValueException");
    assert_eq!(
        e.message,
        "The sourceIdentifier ENCRYPTED_VOLUMEZ is invalid. Please refer to the documentation for a list of valid sourceIdentifiers that can be used when AWS is the Owner."
    );
    let e = cfg_err(
        &mut lab,
        "PutConfigRule",
        json!({ "ConfigRule": { "ConfigRuleName": "x", "MaximumExecutionFrequency": "One_Hour",
            "Source": { "Owner": "AWS", "SourceIdentifier": "ENCRYPTED_VOLUMES" } } }),
    );
    assert_eq!(
        e.message,
        "A maximum execution frequency is not allowed for rules triggered by configuration changes."
    );
    let e = cfg_err(
        &mut lab,
        "DescribeConfigRules",
        json!({ "ConfigRuleNames": ["x"] }),
    );
    assert_eq!(e.code, "NoSuchConfigRuleException");
    assert_eq!(
        e.message,
        "The ConfigRule 'x' provided in the request is invalid. Please check the configRule name"
    );
}

#[test]
fn describe_config_rules_shows_the_rule_as_aws_does() {
    let mut lab = enabled();
    put_rule(
        &mut lab,
        "ebs-default",
        "EC2_EBS_ENCRYPTION_BY_DEFAULT",
        None,
    );
    let r = cfg(&mut lab, "DescribeConfigRules", json!({}))["ConfigRules"][0].clone();
    let id = r["ConfigRuleId"].as_str().unwrap();
    assert!(id.starts_with("config-rule-") && id.len() == 18, "{id}");
    assert_eq!(
        r["ConfigRuleArn"],
        format!("arn:aws:config:us-east-1:{PROD_ACCOUNT}:config-rule/{id}")
    );
    assert_eq!(r["ConfigRuleState"], "ACTIVE");
    assert_eq!(r["InputParameters"], "{}");
    assert_eq!(r["MaximumExecutionFrequency"], "TwentyFour_Hours");
    assert_eq!(r["EvaluationModes"], json!([{ "Mode": "DETECTIVE" }]));
    assert_eq!(
        r["Source"],
        json!({ "Owner": "AWS", "SourceIdentifier": "EC2_EBS_ENCRYPTION_BY_DEFAULT" })
    );
    cfg(
        &mut lab,
        "DeleteConfigRule",
        json!({ "ConfigRuleName": "ebs-default" }),
    );
    let e = cfg_err(
        &mut lab,
        "DeleteConfigRule",
        json!({ "ConfigRuleName": "ebs-default" }),
    );
    assert_eq!(e.code, "NoSuchConfigRuleException");
}

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

fn table(lab: &mut Lab, name: &str) {
    ok(
        lab,
        "dynamodb",
        "CreateTable",
        json!({
            "TableName": name,
            "AttributeDefinitions": [{ "AttributeName": "Artist", "AttributeType": "S" }],
            "KeySchema": [{ "AttributeName": "Artist", "KeyType": "HASH" }],
            "BillingMode": "PAY_PER_REQUEST"
        }),
    );
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

#[test]
fn change_triggered_rules_need_a_running_recorder() {
    let mut lab = Lab::new();
    ok(&mut lab, "s3", "CreateBucket", json!({ "Bucket": BUCKET }));
    cfg(
        &mut lab,
        "PutConfigurationRecorder",
        json!({ "ConfigurationRecorder": { "roleARN": ROLE } }),
    );
    cfg(
        &mut lab,
        "PutDeliveryChannel",
        json!({ "DeliveryChannel": { "s3BucketName": BUCKET } }),
    );
    put_rule(&mut lab, "ddb", "DYNAMODB_TABLE_ENCRYPTED_KMS", None);
    table(&mut lab, "Music");
    // Nothing is recorded yet: no results, INSUFFICIENT_DATA.
    assert!(results(&mut lab, "ddb").is_empty());
    assert_eq!(
        rule_compliance(&mut lab, "ddb"),
        json!({ "ComplianceType": "INSUFFICIENT_DATA" })
    );
    evaluate(&mut lab, "ddb");
    assert!(results(&mut lab, "ddb").is_empty());
    // Starting the recorder records the table; the rule evaluates it.
    cfg(
        &mut lab,
        "StartConfigurationRecorder",
        json!({ "ConfigurationRecorderName": "default" }),
    );
    assert_eq!(
        results(&mut lab, "ddb"),
        vec![one("AWS::DynamoDB::Table", "Music", "NON_COMPLIANT")]
    );
    // Stopped, the recorder records no change: the old result stays.
    cfg(
        &mut lab,
        "StopConfigurationRecorder",
        json!({ "ConfigurationRecorderName": "default" }),
    );
    ok(
        &mut lab,
        "dynamodb",
        "UpdateTable",
        json!({ "TableName": "Music", "SSESpecification": { "Enabled": true } }),
    );
    assert_eq!(
        results(&mut lab, "ddb"),
        vec![one("AWS::DynamoDB::Table", "Music", "NON_COMPLIANT")]
    );
    cfg(
        &mut lab,
        "StartConfigurationRecorder",
        json!({ "ConfigurationRecorderName": "default" }),
    );
    assert_eq!(
        results(&mut lab, "ddb"),
        vec![one("AWS::DynamoDB::Table", "Music", "COMPLIANT")]
    );
}

#[test]
fn evaluation_results_have_the_model_s_shape() {
    let mut lab = enabled();
    table(&mut lab, "Music");
    put_rule(&mut lab, "ddb", "DYNAMODB_TABLE_ENCRYPTED_KMS", None);
    let out = cfg(
        &mut lab,
        "GetComplianceDetailsByConfigRule",
        json!({ "ConfigRuleName": "ddb" }),
    );
    let r = &out["EvaluationResults"][0];
    assert_eq!(
        r["EvaluationResultIdentifier"]["EvaluationResultQualifier"],
        json!({ "ConfigRuleName": "ddb", "ResourceType": "AWS::DynamoDB::Table",
                "ResourceId": "Music", "EvaluationMode": "DETECTIVE" })
    );
    assert!(r["EvaluationResultIdentifier"]["OrderingTimestamp"].is_f64());
    assert_eq!(r["ComplianceType"], "NON_COMPLIANT");
    assert!(r["ResultRecordedTime"].is_f64());
    assert!(r["ConfigRuleInvokedTime"].is_f64());
    assert!(out.get("NextToken").is_none());
    // Paging: Limit 1 over two tables.
    table(&mut lab, "Orders");
    let page = cfg(
        &mut lab,
        "GetComplianceDetailsByConfigRule",
        json!({ "ConfigRuleName": "ddb", "Limit": 1 }),
    );
    assert_eq!(page["EvaluationResults"].as_array().unwrap().len(), 1);
    let token = page["NextToken"].as_str().unwrap().to_owned();
    let next = cfg(
        &mut lab,
        "GetComplianceDetailsByConfigRule",
        json!({ "ConfigRuleName": "ddb", "Limit": 1, "NextToken": token }),
    );
    assert_eq!(next["EvaluationResults"].as_array().unwrap().len(), 1);
    assert!(next.get("NextToken").is_none());
    let e = cfg_err(
        &mut lab,
        "GetComplianceDetailsByConfigRule",
        json!({ "ConfigRuleName": "nope" }),
    );
    assert_eq!(e.code, "NoSuchConfigRuleException");
    let all = cfg(&mut lab, "DescribeComplianceByConfigRule", json!({}));
    assert_eq!(
        all["ComplianceByConfigRules"],
        json!([{ "ConfigRuleName": "ddb", "Compliance": { "ComplianceType": "NON_COMPLIANT",
            "ComplianceContributorCount": { "CappedCount": 2, "CapExceeded": false } } }])
    );
    let compliant_only = cfg(
        &mut lab,
        "DescribeComplianceByConfigRule",
        json!({ "ComplianceTypes": ["COMPLIANT"] }),
    );
    assert_eq!(compliant_only["ComplianceByConfigRules"], json!([]));
}

#[test]
fn the_scope_and_the_recording_group_limit_what_a_rule_evaluates() {
    let mut lab = enabled();
    let key = lab.create_key();
    let tagged = ok(
        &mut lab,
        "efs",
        "CreateFileSystem",
        json!({ "CreationToken": "a", "Tags": [{ "Key": "data", "Value": "pii" }] }),
    )["FileSystemId"]
        .as_str()
        .unwrap()
        .to_owned();
    ok(
        &mut lab,
        "efs",
        "CreateFileSystem",
        json!({ "CreationToken": "b", "Encrypted": true, "KmsKeyId": key }),
    );
    cfg(
        &mut lab,
        "PutConfigRule",
        json!({ "ConfigRule": { "ConfigRuleName": "pii-efs",
            "Scope": { "TagKey": "data", "TagValue": "pii" },
            "Source": { "Owner": "AWS", "SourceIdentifier": "EFS_ENCRYPTED_CHECK" } } }),
    );
    assert_eq!(
        results(&mut lab, "pii-efs"),
        vec![one("AWS::EFS::FileSystem", &tagged, "NON_COMPLIANT")]
    );
    // A scope naming one resource needs exactly one resource type.
    let e = cfg_err(
        &mut lab,
        "PutConfigRule",
        json!({ "ConfigRule": { "ConfigRuleName": "one",
            "Scope": { "ComplianceResourceId": tagged },
            "Source": { "Owner": "AWS", "SourceIdentifier": "EFS_ENCRYPTED_CHECK" } } }),
    );
    assert_eq!(e.code, "InvalidParameterValueException");
    // A recorder that records only volumes: the DynamoDB rule sees no table.
    cfg(
        &mut lab,
        "PutConfigurationRecorder",
        json!({ "ConfigurationRecorder": { "name": "default", "roleARN": ROLE,
            "recordingGroup": { "allSupported": false, "resourceTypes": ["AWS::EC2::Volume"],
                "recordingStrategy": { "useOnly": "INCLUSION_BY_RESOURCE_TYPES" } } } }),
    );
    table(&mut lab, "Music");
    put_rule(&mut lab, "ddb", "DYNAMODB_TABLE_ENCRYPTED_KMS", None);
    assert!(results(&mut lab, "ddb").is_empty());
    // allSupported with a list of types contradicts itself.
    let e = cfg_err(
        &mut lab,
        "PutConfigurationRecorder",
        json!({ "ConfigurationRecorder": { "name": "default", "roleARN": ROLE,
            "recordingGroup": { "allSupported": true, "resourceTypes": ["AWS::EC2::Volume"] } } }),
    );
    assert_eq!(e.code, "InvalidRecordingGroupException");
    // Unknown parameters are refused (a misspelt `kmsId`).
    let e = cfg_err(
        &mut lab,
        "PutConfigRule",
        json!({ "ConfigRule": { "ConfigRuleName": "vols", "InputParameters": "{\"kmsid\":\"x\"}",
            "Source": { "Owner": "AWS", "SourceIdentifier": "ENCRYPTED_VOLUMES" } } }),
    );
    assert_eq!(e.code, "InvalidParameterValueException");
}

#[test]
fn every_managed_rule_is_known_by_its_identifier() {
    let mut lab = enabled();
    for m in cloud::config::managed::RULES {
        put_rule(&mut lab, &m.identifier.to_lowercase(), m.identifier, None);
    }
    let rules = cfg(&mut lab, "DescribeConfigRules", json!({}));
    assert_eq!(rules["ConfigRules"].as_array().unwrap().len(), 11);
    assert_eq!(lab.w.config().rule_count(), 11);
}

mod hostile {
    //! Hostile input never panics: random members and values for every Config operation.
    use super::*;
    use proptest::prelude::*;

    const OPS: &[&str] = &[
        "PutDeliveryChannel",
        "DescribeDeliveryChannels",
        "PutConfigurationRecorder",
        "DescribeConfigurationRecorders",
        "DescribeConfigurationRecorderStatus",
        "StartConfigurationRecorder",
        "StopConfigurationRecorder",
        "PutConfigRule",
        "DescribeConfigRules",
        "DeleteConfigRule",
        "StartConfigRulesEvaluation",
        "GetComplianceDetailsByConfigRule",
        "DescribeComplianceByConfigRule",
    ];

    fn scalar() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            "[ -~]{0,12}".prop_map(Value::from),
            prop::sample::select(vec![
                "default",
                "AWS",
                "CUSTOM_LAMBDA",
                "ENCRYPTED_VOLUMES",
                "KMS_CMK_NOT_SCHEDULED_FOR_DELETION",
                "EFS_ENCRYPTED_CHECK",
                "One_Hour",
                "NON_COMPLIANT",
                "AWS::EC2::Volume",
                "{\"kmsId\":\"x\"}",
                "{\"kmsKeyIds\":7}",
                "{",
                "",
                BUCKET,
            ])
            .prop_map(Value::from),
        ]
    }

    fn value() -> impl Strategy<Value = Value> {
        scalar().prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
                prop::collection::vec(
                    (
                        prop::sample::select(vec![
                            "name",
                            "roleARN",
                            "s3BucketName",
                            "s3KeyPrefix",
                            "s3KmsKeyArn",
                            "recordingGroup",
                            "allSupported",
                            "resourceTypes",
                            "recordingStrategy",
                            "useOnly",
                            "ConfigRuleName",
                            "ConfigRuleId",
                            "Source",
                            "Owner",
                            "SourceIdentifier",
                            "InputParameters",
                            "Scope",
                            "ComplianceResourceTypes",
                            "ComplianceResourceId",
                            "TagKey",
                            "MaximumExecutionFrequency",
                        ]),
                        inner,
                    ),
                    0..4,
                )
                .prop_map(|m| Value::Object(
                    m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
                )),
            ]
        })
    }

    fn request() -> impl Strategy<Value = (usize, Value)> {
        (
            0..OPS.len(),
            prop::collection::vec(
                (
                    prop::sample::select(vec![
                        "DeliveryChannel",
                        "ConfigurationRecorder",
                        "ConfigRule",
                        "ConfigRuleName",
                        "ConfigRuleNames",
                        "ComplianceTypes",
                        "Limit",
                        "NextToken",
                        "ConfigurationRecorderName",
                        "ConfigurationRecorderNames",
                        "DeliveryChannelNames",
                        "Tags",
                    ]),
                    value(),
                ),
                0..4,
            )
            .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())),
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

        #[test]
        fn random_config_requests_never_panic(reqs in prop::collection::vec(request(), 1..16), hours in 0i64..100) {
            let mut lab = if hours % 2 == 0 { enabled() } else { Lab::new() };
            table(&mut lab, "Music");
            for (i, input) in reqs {
                let ctx = lab.admin.clone();
                let before = lab.w.event_counters().total;
                let _ = lab.w.call(&ctx, "configservice", OPS[i], input);
                prop_assert!(lab.w.event_counters().total > before, "every call is logged");
                lab.w.advance_clock(hours * 3_600_000);
                let _ = lab.w.call(&ctx, "dynamodb", "UpdateTable",
                    json!({ "TableName": "Music", "SSESpecification": { "Enabled": hours % 3 == 0 } }));
            }
            let _ = serde_json::to_string(&lab.w).unwrap();
        }
    }
}
