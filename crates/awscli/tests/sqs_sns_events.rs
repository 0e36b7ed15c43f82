//! `aws sqs …` (and, as they land, `aws sns …` and `aws events …`) through the terminal, with
//! the syntax of the AWS CLI reference.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use awscli::{FileSystem, MemFs, Session};
use common::{ok, session};
use serde_json::Value;

const URL: &str = "https://sqs.us-east-1.amazonaws.com/111122223333/MyQueue";

fn json(s: &str) -> Value {
    serde_json::from_str(s).unwrap()
}

fn fails(s: &mut Session, fs: &mut MemFs, line: &str) -> String {
    let out = s.run_line(line, fs);
    assert_eq!(
        out.exit_code, 254,
        "`{line}`:\n{}{}",
        out.stdout, out.stderr
    );
    out.stderr
}

#[test]
fn sqs_queue_with_sse_kms_send_receive_delete() {
    let (mut s, mut fs) = session();
    let key = ok(
        &mut s,
        &mut fs,
        "aws kms create-key --query KeyMetadata.KeyId --output text",
    );
    let key = key.trim();
    let created = json(&ok(
        &mut s,
        &mut fs,
        &format!(
            "aws sqs create-queue --queue-name MyQueue --attributes KmsMasterKeyId={key},KmsDataKeyReusePeriodSeconds=120"
        ),
    ));
    assert_eq!(created["QueueUrl"], URL);
    let attrs = json(&ok(
        &mut s,
        &mut fs,
        &format!("aws sqs get-queue-attributes --queue-url {URL} --attribute-names All"),
    ));
    assert_eq!(attrs["Attributes"]["KmsMasterKeyId"], key);
    assert_eq!(attrs["Attributes"]["KmsDataKeyReusePeriodSeconds"], "120");
    assert_eq!(attrs["Attributes"]["SqsManagedSseEnabled"], "false");
    let sent = json(&ok(
        &mut s,
        &mut fs,
        &format!(
            "aws sqs send-message --queue-url {URL} --message-body \"Information about the largest city in Any Region.\" --delay-seconds 10"
        ),
    ));
    assert_eq!(sent["MD5OfMessageBody"].as_str().unwrap().len(), 32);
    // Delayed ten seconds: nothing yet.
    let none = ok(
        &mut s,
        &mut fs,
        &format!("aws sqs receive-message --queue-url {URL}"),
    );
    assert_eq!(none.trim(), "");
    ok(&mut s, &mut fs, "lab clock advance 11s");
    let got = json(&ok(
        &mut s,
        &mut fs,
        &format!(
            "aws sqs receive-message --queue-url {URL} --attribute-names All --max-number-of-messages 10"
        ),
    ));
    let m = &got["Messages"][0];
    assert_eq!(
        m["Body"],
        "Information about the largest city in Any Region."
    );
    let handle = m["ReceiptHandle"].as_str().unwrap();
    ok(
        &mut s,
        &mut fs,
        &format!("aws sqs delete-message --queue-url {URL} --receipt-handle {handle}"),
    );
    let listed = json(&ok(&mut s, &mut fs, "aws sqs list-queues"));
    assert_eq!(listed["QueueUrls"][0], URL);
    let text = ok(
        &mut s,
        &mut fs,
        "aws sqs get-queue-url --queue-name MyQueue --output text",
    );
    assert_eq!(text.trim(), URL);
}

#[test]
fn sqs_attributes_from_a_file_and_aws_errors() {
    let (mut s, mut fs) = session();
    fs.write(
        "create-queue.json",
        br#"{ "VisibilityTimeout": "60", "SqsManagedSseEnabled": "true" }"#,
    )
    .unwrap();
    ok(
        &mut s,
        &mut fs,
        "aws sqs create-queue --queue-name MyQueue --attributes file://create-queue.json",
    );
    let err = fails(&mut s, &mut fs, "aws sqs get-queue-url --queue-name Nope");
    assert!(
        err.contains(
            "An error occurred (AWS.SimpleQueueService.NonExistentQueue) when calling the GetQueueUrl operation: The specified queue does not exist."
        ),
        "{err}"
    );
    let err = fails(
        &mut s,
        &mut fs,
        &format!(
            "aws sqs set-queue-attributes --queue-url {URL} --attributes KmsDataKeyReusePeriodSeconds=100000"
        ),
    );
    assert!(err.contains("(InvalidAttributeValue)"), "{err}");
    ok(
        &mut s,
        &mut fs,
        &format!("aws sqs purge-queue --queue-url {URL}"),
    );
    ok(
        &mut s,
        &mut fs,
        &format!("aws sqs delete-queue --queue-url {URL}"),
    );
}
