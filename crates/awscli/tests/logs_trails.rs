//! `aws logs …` (CloudWatch Logs with a KMS key) and `aws cloudtrail …` trails through the
//! terminal, with the syntax of the AWS CLI reference (`create-log-group --kms-key-id`,
//! `put-log-events --log-events` shorthand, `create-trail --s3-bucket-name --kms-key-id`, …).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use awscli::{MemFs, Session};
use common::{ok, session};

const ACCOUNT: &str = "111122223333";

fn fails(s: &mut Session, fs: &mut MemFs, line: &str) -> String {
    let out = s.run_line(line, fs);
    assert_eq!(
        out.exit_code, 254,
        "`{line}`:\n{}{}",
        out.stdout, out.stderr
    );
    out.stderr
}

/// A key whose policy allows the account and, when `logs`, CloudWatch Logs in us-east-1; its ARN.
fn logs_key(s: &mut Session, fs: &mut MemFs, logs: bool) -> String {
    let mut statements = vec![format!(
        r#"{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{ACCOUNT}:root"}},"Action":"kms:*","Resource":"*"}}"#
    )];
    if logs {
        statements.push(format!(
            r#"{{"Effect":"Allow","Principal":{{"Service":"logs.us-east-1.amazonaws.com"}},"Action":["kms:Encrypt*","kms:Decrypt*","kms:ReEncrypt*","kms:GenerateDataKey*","kms:Describe*"],"Resource":"*","Condition":{{"ArnLike":{{"kms:EncryptionContext:aws:logs:arn":"arn:aws:logs:us-east-1:{ACCOUNT}:*"}}}}}}"#
        ));
    }
    let policy = format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        statements.join(",")
    );
    ok(
        s,
        fs,
        &format!("aws kms create-key --policy '{policy}' --query KeyMetadata.Arn --output text"),
    )
    .trim()
    .to_owned()
}

#[test]
fn logs_commands_encrypt_a_log_group_with_the_reference_syntax() {
    let (mut s, mut fs) = session();
    let key = logs_key(&mut s, &mut fs, true);
    ok(
        &mut s,
        &mut fs,
        &format!("aws logs create-log-group --log-group-name /app/orders --kms-key-id {key}"),
    );
    ok(
        &mut s,
        &mut fs,
        "aws logs create-log-stream --log-group-name /app/orders --log-stream-name web-1",
    );
    // The reference's shorthand: timestamp=…,message=… per event.
    let put = ok(
        &mut s,
        &mut fs,
        "aws logs put-log-events --log-group-name /app/orders --log-stream-name web-1 --log-events timestamp=1795377659000,message=first timestamp=1795377659500,message=second",
    );
    let put: serde_json::Value = serde_json::from_str(&put).unwrap();
    assert!(put["nextSequenceToken"].is_string(), "{put}");
    assert!(put.get("rejectedLogEventsInfo").is_none(), "{put}");
    // JSON works too; an event 15 days old is rejected, not stored.
    let put = ok(
        &mut s,
        &mut fs,
        r#"aws logs put-log-events --log-group-name /app/orders --log-stream-name web-1 --log-events '[{"timestamp":1794081659000,"message":"ancient"}]'"#,
    );
    let put: serde_json::Value = serde_json::from_str(&put).unwrap();
    assert_eq!(
        put["rejectedLogEventsInfo"],
        serde_json::json!({ "tooOldLogEventEndIndex": 1 })
    );
    assert_eq!(
        ok(
            &mut s,
            &mut fs,
            "aws logs get-log-events --log-group-name /app/orders --log-stream-name web-1 --start-from-head --query events[].message --output text"
        ),
        "first\tsecond\n"
    );
    assert_eq!(
        ok(
            &mut s,
            &mut fs,
            "aws logs describe-log-groups --log-group-name-prefix /app --query logGroups[0].kmsKeyId --output text"
        )
        .trim(),
        key
    );
    ok(
        &mut s,
        &mut fs,
        "aws logs disassociate-kms-key --log-group-name /app/orders",
    );
    ok(
        &mut s,
        &mut fs,
        "aws logs delete-log-group --log-group-name /app/orders",
    );
}

#[test]
fn associating_a_key_without_the_logs_statement_prints_aws_s_error() {
    let (mut s, mut fs) = session();
    let key = logs_key(&mut s, &mut fs, false);
    ok(
        &mut s,
        &mut fs,
        "aws logs create-log-group --log-group-name /app/orders",
    );
    let err = fails(
        &mut s,
        &mut fs,
        &format!("aws logs associate-kms-key --log-group-name /app/orders --kms-key-id {key}"),
    );
    assert!(
        err.contains(&format!(
            "An error occurred (AccessDeniedException) when calling the AssociateKmsKey operation: The specified KMS key does not exist or is not allowed to be used with Arn 'arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/app/orders'"
        )),
        "{err}"
    );
    let err = fails(
        &mut s,
        &mut fs,
        "aws logs create-log-group --log-group-name /app/orders",
    );
    assert!(err.contains("(ResourceAlreadyExistsException)"), "{err}");
}

const BUCKET: &str = "trail-logs-111122223333";

fn trail_bucket(s: &mut Session, fs: &mut MemFs) {
    ok(s, fs, &format!("aws s3api create-bucket --bucket {BUCKET}"));
    let arn = format!("arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/main");
    let policy = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"AWSCloudTrailAclCheck","Effect":"Allow","Principal":{{"Service":"cloudtrail.amazonaws.com"}},"Action":"s3:GetBucketAcl","Resource":"arn:aws:s3:::{BUCKET}","Condition":{{"StringEquals":{{"aws:SourceArn":"{arn}"}}}}}},{{"Sid":"AWSCloudTrailWrite","Effect":"Allow","Principal":{{"Service":"cloudtrail.amazonaws.com"}},"Action":"s3:PutObject","Resource":"arn:aws:s3:::{BUCKET}/AWSLogs/{ACCOUNT}/*","Condition":{{"StringEquals":{{"s3:x-amz-acl":"bucket-owner-full-control","aws:SourceArn":"{arn}"}}}}}}]}}"#
    );
    ok(
        s,
        fs,
        &format!("aws s3api put-bucket-policy --bucket {BUCKET} --policy '{policy}'"),
    );
}

#[test]
fn cloudtrail_trail_commands_with_a_kms_key() {
    let (mut s, mut fs) = session();
    let plain_key = logs_key(&mut s, &mut fs, false);
    let err = fails(
        &mut s,
        &mut fs,
        &format!("aws cloudtrail create-trail --name main --s3-bucket-name {BUCKET}"),
    );
    assert!(err.contains("(S3BucketDoesNotExistException)"), "{err}");
    trail_bucket(&mut s, &mut fs);
    let err = fails(
        &mut s,
        &mut fs,
        &format!(
            "aws cloudtrail create-trail --name main --s3-bucket-name {BUCKET} --kms-key-id {plain_key}"
        ),
    );
    assert!(
        err.contains(&format!(
            "An error occurred (InsufficientEncryptionPolicyException) when calling the CreateTrail operation: Insufficient permissions to access S3 bucket {BUCKET} or KMS key {plain_key}."
        )),
        "{err}"
    );
    let arn = format!("arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/main");
    let policy = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{ACCOUNT}:root"}},"Action":"kms:*","Resource":"*"}},{{"Sid":"Allow CloudTrail to encrypt logs","Effect":"Allow","Principal":{{"Service":"cloudtrail.amazonaws.com"}},"Action":"kms:GenerateDataKey*","Resource":"*","Condition":{{"StringEquals":{{"aws:SourceArn":"{arn}"}},"StringLike":{{"kms:EncryptionContext:aws:cloudtrail:arn":"arn:aws:cloudtrail:*:{ACCOUNT}:trail/*"}}}}}},{{"Sid":"Allow CloudTrail to describe key","Effect":"Allow","Principal":{{"Service":"cloudtrail.amazonaws.com"}},"Action":"kms:DescribeKey","Resource":"*"}}]}}"#
    );
    let key = ok(
        &mut s,
        &mut fs,
        &format!("aws kms create-key --policy '{policy}' --query KeyMetadata.Arn --output text"),
    )
    .trim()
    .to_owned();
    ok(
        &mut s,
        &mut fs,
        &format!("aws kms create-alias --alias-name alias/trail --target-key-id {key}"),
    );
    let created = ok(
        &mut s,
        &mut fs,
        &format!(
            "aws cloudtrail create-trail --name main --s3-bucket-name {BUCKET} --kms-key-id alias/trail"
        ),
    );
    let created: serde_json::Value = serde_json::from_str(&created).unwrap();
    assert_eq!(created["KmsKeyId"], serde_json::json!(key));
    assert_eq!(created["TrailARN"], serde_json::json!(arn));
    ok(&mut s, &mut fs, "aws cloudtrail start-logging --name main");
    assert_eq!(
        ok(
            &mut s,
            &mut fs,
            "aws cloudtrail get-trail-status --name main --query IsLogging"
        ),
        "true\n"
    );
    ok(&mut s, &mut fs, "lab clock advance 5m");
    let status = ok(
        &mut s,
        &mut fs,
        "aws cloudtrail get-trail-status --name main",
    );
    let status: serde_json::Value = serde_json::from_str(&status).unwrap();
    // Timestamps print as ISO 8601, as aws-cli v2 prints them.
    assert!(
        status["LatestDeliveryTime"]
            .as_str()
            .is_some_and(|t| t.starts_with("2026-11-22T20:0")),
        "{status}"
    );
    let listed = ok(
        &mut s,
        &mut fs,
        &format!(
            "aws s3api list-objects-v2 --bucket {BUCKET} --query Contents[].Key --output text"
        ),
    );
    assert!(
        listed.starts_with(&format!(
            "AWSLogs/{ACCOUNT}/CloudTrail/us-east-1/2026/11/22/"
        )),
        "{listed}"
    );
    assert_eq!(
        ok(
            &mut s,
            &mut fs,
            "aws cloudtrail describe-trails --trail-name-list main --query trailList[0].KmsKeyId --output text"
        )
        .trim(),
        key
    );
    ok(&mut s, &mut fs, "aws cloudtrail stop-logging --name main");
    ok(&mut s, &mut fs, "aws cloudtrail delete-trail --name main");
}
