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

#[test]
fn sns_topic_to_an_sqs_queue_as_the_reference_shows() {
    let (mut s, mut fs) = session();
    let topic = json(&ok(
        &mut s,
        &mut fs,
        "aws sns create-topic --name my-topic --attributes KmsMasterKeyId=alias/aws/sns",
    ));
    let topic_arn = "arn:aws:sns:us-east-1:111122223333:my-topic";
    assert_eq!(topic["TopicArn"], topic_arn);
    let policy = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Service":"sns.amazonaws.com"}},"Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:111122223333:MyQueue","Condition":{{"ArnEquals":{{"aws:SourceArn":"{topic_arn}"}}}}}}]}}"#
    );
    fs.write(
        "attributes.json",
        serde_json::json!({ "Policy": policy })
            .to_string()
            .as_bytes(),
    )
    .unwrap();
    ok(
        &mut s,
        &mut fs,
        "aws sqs create-queue --queue-name MyQueue --attributes file://attributes.json",
    );
    let sub = json(&ok(
        &mut s,
        &mut fs,
        &format!(
            "aws sns subscribe --topic-arn {topic_arn} --protocol sqs --notification-endpoint arn:aws:sqs:us-east-1:111122223333:MyQueue"
        ),
    ));
    assert!(
        sub["SubscriptionArn"]
            .as_str()
            .unwrap()
            .starts_with(topic_arn)
    );
    let published = json(&ok(
        &mut s,
        &mut fs,
        &format!("aws sns publish --topic-arn {topic_arn} --message \"Hello World!\""),
    ));
    assert!(published["MessageId"].is_string());
    let got = json(&ok(
        &mut s,
        &mut fs,
        &format!("aws sqs receive-message --queue-url {URL}"),
    ));
    let body: Value = serde_json::from_str(got["Messages"][0]["Body"].as_str().unwrap()).unwrap();
    assert_eq!(body["Message"], "Hello World!");
    let attrs = json(&ok(
        &mut s,
        &mut fs,
        &format!("aws sns get-topic-attributes --topic-arn {topic_arn}"),
    ));
    assert_eq!(attrs["Attributes"]["SubscriptionsConfirmed"], "1");
    ok(
        &mut s,
        &mut fs,
        &format!(
            "aws sns set-topic-attributes --topic-arn {topic_arn} --attribute-name DisplayName --attribute-value MyTopicDisplayName"
        ),
    );
    let subs = json(&ok(&mut s, &mut fs, "aws sns list-subscriptions"));
    assert_eq!(subs["Subscriptions"][0]["Protocol"], "sqs");
    let err = fails(
        &mut s,
        &mut fs,
        "aws sns publish --topic-arn arn:aws:sns:us-east-1:111122223333:none --message x",
    );
    assert!(
        err.contains(
            "An error occurred (NotFound) when calling the Publish operation: Topic does not exist"
        ),
        "{err}"
    );
}

#[test]
fn events_rule_for_kms_deletions_as_the_reference_shows() {
    let (mut s, mut fs) = session();
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"events.amazonaws.com"},"Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:111122223333:MyQueue","Condition":{"ArnEquals":{"aws:SourceArn":"arn:aws:events:us-east-1:111122223333:rule/KmsDeletions"}}}]}"#;
    fs.write(
        "attributes.json",
        serde_json::json!({ "Policy": policy })
            .to_string()
            .as_bytes(),
    )
    .unwrap();
    ok(
        &mut s,
        &mut fs,
        "aws sqs create-queue --queue-name MyQueue --attributes file://attributes.json",
    );
    let rule = json(&ok(
        &mut s,
        &mut fs,
        r#"aws events put-rule --name "KmsDeletions" --event-pattern "{\"source\":[\"aws.kms\"],\"detail-type\":[\"KMS CMK Deletion\"]}""#,
    ));
    assert_eq!(
        rule["RuleArn"],
        "arn:aws:events:us-east-1:111122223333:rule/KmsDeletions"
    );
    let put = json(&ok(
        &mut s,
        &mut fs,
        r#"aws events put-targets --rule KmsDeletions --targets "Id"="1","Arn"="arn:aws:sqs:us-east-1:111122223333:MyQueue""#,
    ));
    assert_eq!(put["FailedEntryCount"], 0);
    let key = ok(
        &mut s,
        &mut fs,
        "aws kms create-key --query KeyMetadata.KeyId --output text",
    );
    ok(
        &mut s,
        &mut fs,
        &format!(
            "aws kms schedule-key-deletion --key-id {} --pending-window-in-days 7",
            key.trim()
        ),
    );
    ok(&mut s, &mut fs, "lab clock advance 7d");
    ok(&mut s, &mut fs, "lab clock advance 1h");
    let got = json(&ok(
        &mut s,
        &mut fs,
        &format!("aws sqs receive-message --queue-url {URL}"),
    ));
    let event: Value = serde_json::from_str(got["Messages"][0]["Body"].as_str().unwrap()).unwrap();
    assert_eq!(event["detail-type"], "KMS CMK Deletion");
    assert_eq!(event["detail"]["key-id"], key.trim());
    let described = json(&ok(
        &mut s,
        &mut fs,
        "aws events describe-rule --name KmsDeletions",
    ));
    assert_eq!(described["State"], "ENABLED");
    let targets = json(&ok(
        &mut s,
        &mut fs,
        "aws events list-targets-by-rule --rule KmsDeletions",
    ));
    assert_eq!(targets["Targets"][0]["Id"], "1");
    let err = fails(
        &mut s,
        &mut fs,
        r#"aws events put-rule --name Bad --event-pattern "{\"source\":\"aws.kms\"}""#,
    );
    assert!(
        err.contains(
            "An error occurred (InvalidEventPatternException) when calling the PutRule operation: Event pattern is not valid. Reason: \"source\" must be an object or an array"
        ),
        "{err}"
    );
    let err = fails(
        &mut s,
        &mut fs,
        "aws events delete-rule --name KmsDeletions",
    );
    assert!(err.contains("(ValidationException)"), "{err}");
    ok(
        &mut s,
        &mut fs,
        "aws events remove-targets --rule KmsDeletions --ids 1",
    );
    ok(
        &mut s,
        &mut fs,
        "aws events delete-rule --name KmsDeletions",
    );
    let rules = json(&ok(&mut s, &mut fs, "aws events list-rules"));
    assert_eq!(rules["Rules"].as_array().unwrap().len(), 0);
}

#[test]
fn lab_deliveries_shows_what_sns_lost() {
    let (mut s, mut fs) = session();
    // A customer managed key without the SNS statement.
    let key = ok(
        &mut s,
        &mut fs,
        "aws kms create-key --query KeyMetadata.Arn --output text",
    );
    let topic_arn = "arn:aws:sns:us-east-1:111122223333:orders";
    let policy = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Service":"sns.amazonaws.com"}},"Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:111122223333:MyQueue","Condition":{{"ArnEquals":{{"aws:SourceArn":"{topic_arn}"}}}}}}]}}"#
    );
    fs.write(
        "attributes.json",
        serde_json::json!({ "Policy": policy, "KmsMasterKeyId": key.trim() })
            .to_string()
            .as_bytes(),
    )
    .unwrap();
    ok(
        &mut s,
        &mut fs,
        "aws sqs create-queue --queue-name MyQueue --attributes file://attributes.json",
    );
    ok(&mut s, &mut fs, "aws sns create-topic --name orders");
    ok(
        &mut s,
        &mut fs,
        &format!(
            "aws sns subscribe --topic-arn {topic_arn} --protocol sqs --notification-endpoint arn:aws:sqs:us-east-1:111122223333:MyQueue"
        ),
    );
    ok(
        &mut s,
        &mut fs,
        &format!("aws sns publish --topic-arn {topic_arn} --message lost"),
    );
    let shown = ok(&mut s, &mut fs, "lab deliveries");
    assert!(shown.contains("KMS.AccessDeniedException"), "{shown}");
    assert!(
        shown.contains("arn:aws:sqs:us-east-1:111122223333:MyQueue"),
        "{shown}"
    );
}

/// The `requests:` count of `lab cost`.
fn kms_requests(s: &mut Session, fs: &mut MemFs) -> u64 {
    let bill = ok(s, fs, "lab cost");
    let line = bill
        .lines()
        .find(|l| l.trim_start().starts_with("requests:"))
        .unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[test]
fn lab_cost_counts_the_kms_requests_the_reuse_period_allows() {
    let (mut s, mut fs) = session();
    let key = ok(
        &mut s,
        &mut fs,
        "aws kms create-key --query KeyMetadata.KeyId --output text",
    );
    ok(
        &mut s,
        &mut fs,
        &format!(
            "aws sqs create-queue --queue-name MyQueue --attributes KmsMasterKeyId={},KmsDataKeyReusePeriodSeconds=60",
            key.trim()
        ),
    );
    let before = kms_requests(&mut s, &mut fs);
    for body in ["a", "b", "c"] {
        ok(
            &mut s,
            &mut fs,
            &format!("aws sqs send-message --queue-url {URL} --message-body {body}"),
        );
    }
    // One data key for the three messages of the same minute: GenerateDataKey, then the
    // Decrypt that verifies it (both as the producer).
    assert_eq!(kms_requests(&mut s, &mut fs), before + 2);
    ok(&mut s, &mut fs, "lab clock advance 61s");
    ok(
        &mut s,
        &mut fs,
        &format!("aws sqs send-message --queue-url {URL} --message-body d"),
    );
    assert_eq!(kms_requests(&mut s, &mut fs), before + 4);
}
