//! Amazon SQS with server-side encryption: SSE-SQS by default, SSE-KMS with data keys reused for
//! `KmsDataKeyReusePeriodSeconds` (so the period decides how many KMS requests a queue makes),
//! messages really sealed, visibility timeouts on the world's clock, queue policies, and the
//! errors SQS answers (its query-compatible codes).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use cloud::{AwsError, CallContext, PARTNER_ACCOUNT, PROD_ACCOUNT};
use common::Lab;
use serde_json::{Value, json};

const REGION: &str = "us-east-1";

fn url(name: &str) -> String {
    format!("https://sqs.{REGION}.amazonaws.com/{PROD_ACCOUNT}/{name}")
}

fn sqs_as(lab: &mut Lab, c: &CallContext, op: &str, input: Value) -> Result<Value, AwsError> {
    lab.w.call(c, "sqs", op, input)
}

fn ok(lab: &mut Lab, op: &str, input: Value) -> Value {
    let admin = lab.admin.clone();
    sqs_as(lab, &admin, op, input.clone()).unwrap_or_else(|e| panic!("{op} {input}: {e}"))
}

fn err(lab: &mut Lab, op: &str, input: Value) -> AwsError {
    let admin = lab.admin.clone();
    match sqs_as(lab, &admin, op, input.clone()) {
        Ok(v) => panic!("{op} {input} unexpectedly succeeded: {v}"),
        Err(e) => e,
    }
}

fn count(lab: &Lab, name: &str) -> usize {
    lab.w
        .events()
        .filter(|e| e.event_name == name && e.event_source == "kms.amazonaws.com")
        .count()
}

fn attributes(lab: &mut Lab, name: &str) -> Value {
    ok(
        lab,
        "GetQueueAttributes",
        json!({ "QueueUrl": url(name), "AttributeNames": ["All"] }),
    )["Attributes"]
        .clone()
}

fn send(lab: &mut Lab, name: &str, body: &str) -> Value {
    ok(
        lab,
        "SendMessage",
        json!({ "QueueUrl": url(name), "MessageBody": body }),
    )
}

fn receive(lab: &mut Lab, name: &str, max: i64) -> Vec<Value> {
    ok(
        lab,
        "ReceiveMessage",
        json!({ "QueueUrl": url(name), "MaxNumberOfMessages": max, "AttributeNames": ["All"] }),
    )["Messages"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[test]
fn new_queues_use_sse_sqs_and_really_encrypt() {
    let mut lab = Lab::new();
    let created = ok(&mut lab, "CreateQueue", json!({ "QueueName": "orders" }));
    assert_eq!(created, json!({ "QueueUrl": url("orders") }));
    let a = attributes(&mut lab, "orders");
    assert_eq!(a["SqsManagedSseEnabled"], "true");
    assert!(a.get("KmsMasterKeyId").is_none());
    assert_eq!(
        a["QueueArn"],
        format!("arn:aws:sqs:{REGION}:{PROD_ACCOUNT}:orders")
    );
    assert_eq!(a["VisibilityTimeout"], "30");
    let sent = send(&mut lab, "orders", "order #1");
    // MD5("order #1"), as `md5sum` prints it.
    assert_eq!(sent["MD5OfMessageBody"].as_str().unwrap().len(), 32);
    let stored = lab
        .w
        .sqs()
        .stored_bodies(PROD_ACCOUNT, REGION, "orders")
        .unwrap();
    assert!(!stored[0].windows(8).any(|w| w == b"order #1"));
    let got = receive(&mut lab, "orders", 10);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0]["Body"], "order #1");
    assert_eq!(got[0]["MD5OfBody"], sent["MD5OfMessageBody"]);
    assert_eq!(count(&lab, "GenerateDataKey") + count(&lab, "Decrypt"), 0);
    // An unencrypted queue keeps the body as sent.
    ok(
        &mut lab,
        "CreateQueue",
        json!({ "QueueName": "plain", "Attributes": { "SqsManagedSseEnabled": "false" } }),
    );
    send(&mut lab, "plain", "hello");
    let stored = lab
        .w
        .sqs()
        .stored_bodies(PROD_ACCOUNT, REGION, "plain")
        .unwrap();
    assert_eq!(stored[0], b"hello");
}

#[test]
fn md5_of_body_is_the_real_md5() {
    let mut lab = Lab::new();
    ok(&mut lab, "CreateQueue", json!({ "QueueName": "q" }));
    let sent = send(&mut lab, "q", "abc");
    assert_eq!(sent["MD5OfMessageBody"], "900150983cd24fb0d6963f7d28e17f72");
}

#[test]
fn the_reuse_period_decides_how_often_sqs_calls_kms() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    for (name, period) in [("short", "60"), ("long", "86400")] {
        ok(
            &mut lab,
            "CreateQueue",
            json!({ "QueueName": name, "Attributes": {
                "KmsMasterKeyId": key, "KmsDataKeyReusePeriodSeconds": period } }),
        );
    }
    let a = attributes(&mut lab, "short");
    assert_eq!(a["SqsManagedSseEnabled"], "false");
    assert_eq!(a["KmsMasterKeyId"], key.as_str());
    assert_eq!(a["KmsDataKeyReusePeriodSeconds"], "60");
    let before = lab.w.kms_request_count(PROD_ACCOUNT);
    // Three messages to each queue, then again 61 seconds later.
    for _ in 0..2 {
        for name in ["short", "long"] {
            for i in 0..3 {
                send(&mut lab, name, &format!("m{i}"));
            }
        }
        lab.w.advance_clock(61_000);
    }
    // short: a data key per period (2); long: one for the whole day. SQS decrypts each new
    // data key once, as the producer, to verify it (a producer costs 2 requests per period).
    assert_eq!(count(&lab, "GenerateDataKey"), 3);
    assert_eq!(count(&lab, "Decrypt"), 3);
    let event = lab
        .w
        .events()
        .find(|e| e.event_name == "GenerateDataKey")
        .unwrap()
        .record
        .clone();
    assert_eq!(event["userIdentity"]["invokedBy"], "sqs.amazonaws.com");
    assert_eq!(
        event["requestParameters"]["encryptionContext"]["aws:sqs:arn"],
        format!("arn:aws:sqs:{REGION}:{PROD_ACCOUNT}:short")
    );
    // Receiving: one Decrypt per distinct data key, reused for the period.
    assert_eq!(receive(&mut lab, "short", 10).len(), 6);
    assert_eq!(count(&lab, "Decrypt"), 3 + 2);
    assert_eq!(receive(&mut lab, "long", 10).len(), 6);
    assert_eq!(count(&lab, "Decrypt"), 3 + 3);
    // R = (B / D) * (2 * P + C): 3 data keys * 2 for the producer, 3 for the consumer.
    assert_eq!(lab.w.kms_request_count(PROD_ACCOUNT) - before, 9);
    // A stored message is ciphertext.
    let stored = lab
        .w
        .sqs()
        .stored_bodies(PROD_ACCOUNT, REGION, "short")
        .unwrap();
    assert!(stored.iter().all(|b| !b.windows(2).any(|w| w == b"m0")));
}

#[test]
fn visibility_timeout_runs_on_the_world_clock() {
    let mut lab = Lab::new();
    ok(
        &mut lab,
        "CreateQueue",
        json!({ "QueueName": "jobs", "Attributes": { "VisibilityTimeout": "20" } }),
    );
    send(&mut lab, "jobs", "job");
    let first = receive(&mut lab, "jobs", 1);
    assert_eq!(first[0]["Attributes"]["ApproximateReceiveCount"], "1");
    assert!(receive(&mut lab, "jobs", 1).is_empty());
    let a = attributes(&mut lab, "jobs");
    assert_eq!(a["ApproximateNumberOfMessagesNotVisible"], "1");
    lab.w.advance_clock(21_000);
    let second = receive(&mut lab, "jobs", 1);
    assert_eq!(second[0]["Attributes"]["ApproximateReceiveCount"], "2");
    ok(
        &mut lab,
        "DeleteMessage",
        json!({ "QueueUrl": url("jobs"), "ReceiptHandle": second[0]["ReceiptHandle"] }),
    );
    lab.w.advance_clock(60_000);
    assert!(receive(&mut lab, "jobs", 1).is_empty());
    let e = err(
        &mut lab,
        "DeleteMessage",
        json!({ "QueueUrl": url("jobs"), "ReceiptHandle": "nope" }),
    );
    assert_eq!(e.code, "ReceiptHandleIsInvalid");
    assert_eq!(
        e.message,
        "The input receipt handle \"nope\" is not a valid receipt handle."
    );
}

#[test]
fn attribute_errors() {
    let mut lab = Lab::new();
    let e = err(
        &mut lab,
        "CreateQueue",
        json!({ "QueueName": "q", "Attributes": { "KmsDataKeyReusePeriodSeconds": "59" } }),
    );
    assert_eq!(e.code, "InvalidAttributeValue");
    assert_eq!(
        e.message,
        "Invalid value for the parameter KmsDataKeyReusePeriodSeconds."
    );
    let e = err(
        &mut lab,
        "CreateQueue",
        json!({ "QueueName": "q", "Attributes": { "Colour": "blue" } }),
    );
    assert_eq!(e.code, "InvalidAttributeName");
    let e = err(
        &mut lab,
        "CreateQueue",
        json!({ "QueueName": "q", "Attributes": {
            "KmsMasterKeyId": "alias/aws/sqs", "SqsManagedSseEnabled": "true" } }),
    );
    assert_eq!(e.code, "InvalidAttributeName");
    let e = err(&mut lab, "CreateQueue", json!({ "QueueName": "bad name" }));
    assert_eq!(e.code, "InvalidParameterValue");
    let e = err(
        &mut lab,
        "GetQueueAttributes",
        json!({ "QueueUrl": url("missing"), "AttributeNames": ["All"] }),
    );
    assert_eq!(e.code, "AWS.SimpleQueueService.NonExistentQueue");
    assert_eq!(e.message, "The specified queue does not exist.");
    let e = err(&mut lab, "GetQueueUrl", json!({ "QueueName": "missing" }));
    assert_eq!(e.code, "AWS.SimpleQueueService.NonExistentQueue");
}

#[test]
fn kms_failures_use_sqs_codes() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    ok(
        &mut lab,
        "CreateQueue",
        json!({ "QueueName": "enc", "Attributes": { "KmsMasterKeyId": key } }),
    );
    lab.ok("DisableKey", json!({ "KeyId": key }));
    let e = err(
        &mut lab,
        "SendMessage",
        json!({ "QueueUrl": url("enc"), "MessageBody": "x" }),
    );
    assert_eq!(e.code, "KMS.DisabledException");
    lab.ok("EnableKey", json!({ "KeyId": key }));
    send(&mut lab, "enc", "x");
    // A key that does not exist fails at send time, not at creation.
    ok(
        &mut lab,
        "CreateQueue",
        json!({ "QueueName": "ghost", "Attributes": { "KmsMasterKeyId": "alias/none" } }),
    );
    let e = err(
        &mut lab,
        "SendMessage",
        json!({ "QueueUrl": url("ghost"), "MessageBody": "x" }),
    );
    assert_eq!(e.code, "KMS.NotFoundException");
    // A key policy that does not let the caller use the key.
    let policy = json!({ "Version": "2012-10-17", "Statement": [{
        "Effect": "Allow",
        "Principal": { "AWS": format!("arn:aws:iam::{PROD_ACCOUNT}:user/Admin") },
        "Action": "kms:*", "Resource": "*" }] })
    .to_string();
    let locked = lab.ok("CreateKey", json!({ "Policy": policy }))["KeyMetadata"]["Arn"]
        .as_str()
        .unwrap()
        .to_owned();
    // The queue policy lets AppRole send (it has no SQS permission of its own).
    let queue_policy = json!({ "Version": "2012-10-17", "Statement": [{
        "Effect": "Allow",
        "Principal": { "AWS": format!("arn:aws:iam::{PROD_ACCOUNT}:role/AppRole") },
        "Action": "sqs:SendMessage", "Resource": "*" }] })
    .to_string();
    ok(
        &mut lab,
        "CreateQueue",
        json!({ "QueueName": "locked", "Attributes": {
            "KmsMasterKeyId": locked, "Policy": queue_policy } }),
    );
    let app = lab.w.context_for_profile(Some("app"), None).unwrap();
    let e = sqs_as(
        &mut lab,
        &app,
        "SendMessage",
        json!({ "QueueUrl": url("locked"), "MessageBody": "x" }),
    )
    .unwrap_err();
    assert_eq!(e.code, "KMS.AccessDeniedException");
}

#[test]
fn the_aws_managed_key_works_for_principals_of_the_account() {
    let mut lab = Lab::new();
    ok(
        &mut lab,
        "CreateQueue",
        json!({ "QueueName": "managed", "Attributes": { "KmsMasterKeyId": "alias/aws/sqs" } }),
    );
    send(&mut lab, "managed", "hi");
    assert_eq!(receive(&mut lab, "managed", 1)[0]["Body"], "hi");
    let keys = lab.ok("ListAliases", json!({}));
    assert!(
        keys["Aliases"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["AliasName"] == "alias/aws/sqs" && a.get("TargetKeyId").is_some())
    );
}

#[test]
fn queue_policies_decide_cross_account_access() {
    let mut lab = Lab::new();
    ok(&mut lab, "CreateQueue", json!({ "QueueName": "shared" }));
    let partner = lab
        .w
        .context_for_profile(Some("partner-admin"), None)
        .unwrap();
    let input = json!({ "QueueUrl": url("shared"), "MessageBody": "from partner" });
    let e = sqs_as(&mut lab, &partner, "SendMessage", input.clone()).unwrap_err();
    assert_eq!(e.code, "AccessDenied");
    let policy = json!({ "Version": "2012-10-17", "Statement": [{
        "Effect": "Allow",
        "Principal": { "AWS": format!("arn:aws:iam::{PARTNER_ACCOUNT}:root") },
        "Action": "sqs:SendMessage",
        "Resource": format!("arn:aws:sqs:{REGION}:{PROD_ACCOUNT}:shared") }] })
    .to_string();
    ok(
        &mut lab,
        "SetQueueAttributes",
        json!({ "QueueUrl": url("shared"), "Attributes": { "Policy": policy } }),
    );
    sqs_as(&mut lab, &partner, "SendMessage", input).unwrap();
    assert_eq!(receive(&mut lab, "shared", 1)[0]["Body"], "from partner");
    let e = err(
        &mut lab,
        "SetQueueAttributes",
        json!({ "QueueUrl": url("shared"), "Attributes": { "Policy": "{not json" } }),
    );
    assert_eq!(e.code, "InvalidAttributeValue");
}

#[test]
fn list_delete_and_purge() {
    let mut lab = Lab::new();
    for name in ["a-1", "a-2", "b-1"] {
        ok(&mut lab, "CreateQueue", json!({ "QueueName": name }));
    }
    let listed = ok(&mut lab, "ListQueues", json!({ "QueueNamePrefix": "a-" }));
    assert_eq!(listed, json!({ "QueueUrls": [url("a-1"), url("a-2")] }));
    // Creating again with the same attributes answers the same URL; others conflict.
    ok(&mut lab, "CreateQueue", json!({ "QueueName": "a-1" }));
    // The defaults count as the queue's values.
    ok(
        &mut lab,
        "CreateQueue",
        json!({ "QueueName": "a-1", "Attributes": {
            "VisibilityTimeout": "30", "MessageRetentionPeriod": "345600",
            "SqsManagedSseEnabled": "true" } }),
    );
    let e = err(
        &mut lab,
        "CreateQueue",
        json!({ "QueueName": "a-1", "Attributes": { "DelaySeconds": "5" } }),
    );
    assert_eq!(e.code, "QueueAlreadyExists");
    send(&mut lab, "a-2", "x");
    ok(&mut lab, "PurgeQueue", json!({ "QueueUrl": url("a-2") }));
    assert!(receive(&mut lab, "a-2", 1).is_empty());
    let e = err(&mut lab, "PurgeQueue", json!({ "QueueUrl": url("a-2") }));
    assert_eq!(e.code, "AWS.SimpleQueueService.PurgeQueueInProgress");
    ok(&mut lab, "DeleteQueue", json!({ "QueueUrl": url("b-1") }));
    let e = err(&mut lab, "CreateQueue", json!({ "QueueName": "b-1" }));
    assert_eq!(e.code, "AWS.SimpleQueueService.QueueDeletedRecently");
    lab.w.advance_clock(61_000);
    ok(&mut lab, "CreateQueue", json!({ "QueueName": "b-1" }));
}

#[test]
fn message_bodies_stay_out_of_cloudtrail() {
    let mut lab = Lab::new();
    ok(&mut lab, "CreateQueue", json!({ "QueueName": "q" }));
    send(&mut lab, "q", "secret order");
    let e = lab
        .w
        .events()
        .find(|e| e.event_name == "SendMessage")
        .unwrap();
    assert_eq!(e.event_source, "sqs.amazonaws.com");
    assert!(!e.record.to_string().contains("secret order"));
}

#[test]
fn typed_and_json_calls_answer_and_audit_alike() {
    use cloud::sqs::model::{CreateQueueRequest, SendMessageRequest};
    let mut typed = Lab::new();
    let mut json_lab = Lab::new();
    let admin = typed.admin.clone();
    let url_typed = typed
        .w
        .client(&admin)
        .sqs()
        .create_queue(CreateQueueRequest {
            queue_name: Some("q".into()),
            ..CreateQueueRequest::default()
        })
        .unwrap()
        .queue_url;
    assert_eq!(url_typed, url("q"));
    typed
        .w
        .client(&admin)
        .sqs()
        .send_message(SendMessageRequest {
            queue_url: Some(url("q")),
            message_body: Some("hi".into()),
            ..SendMessageRequest::default()
        })
        .unwrap();
    ok(&mut json_lab, "CreateQueue", json!({ "QueueName": "q" }));
    send(&mut json_lab, "q", "hi");
    let records = |l: &Lab| l.w.events().map(|e| e.record.clone()).collect::<Vec<_>>();
    assert_eq!(records(&typed), records(&json_lab));
}

#[test]
fn each_requester_gets_its_own_data_key() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    let queue_policy = json!({ "Version": "2012-10-17", "Statement": [{
        "Effect": "Allow",
        "Principal": { "AWS": format!("arn:aws:iam::{PROD_ACCOUNT}:role/AppRole") },
        "Action": "sqs:SendMessage", "Resource": "*" }] })
    .to_string();
    ok(
        &mut lab,
        "CreateQueue",
        json!({ "QueueName": "shared", "Attributes": { "KmsMasterKeyId": key, "Policy": queue_policy } }),
    );
    send(&mut lab, "shared", "from admin");
    send(&mut lab, "shared", "from admin again");
    let app = lab.w.context_for_profile(Some("app"), None).unwrap();
    for body in ["from app", "from app again"] {
        sqs_as(
            &mut lab,
            &app,
            "SendMessage",
            json!({ "QueueUrl": url("shared"), "MessageBody": body }),
        )
        .unwrap();
    }
    assert_eq!(count(&lab, "GenerateDataKey"), 2);
}

#[test]
fn a_fifo_queue_requires_a_message_group() {
    let mut lab = Lab::new();
    ok(
        &mut lab,
        "CreateQueue",
        json!({ "QueueName": "orders.fifo", "Attributes": { "FifoQueue": "true", "ContentBasedDeduplication": "true" } }),
    );
    let e = err(
        &mut lab,
        "SendMessage",
        json!({ "QueueUrl": url("orders.fifo"), "MessageBody": "x" }),
    );
    assert_eq!(e.code, "MissingParameter");
    assert_eq!(
        e.message,
        "The request must contain the parameter MessageGroupId."
    );
    ok(
        &mut lab,
        "SendMessage",
        json!({ "QueueUrl": url("orders.fifo"), "MessageBody": "x", "MessageGroupId": "g" }),
    );
    let e = err(
        &mut lab,
        "CreateQueue",
        json!({ "QueueName": "orders", "Attributes": { "FifoQueue": "true" } }),
    );
    assert_eq!(e.code, "InvalidParameterValue");
}

#[test]
fn a_refused_receive_leaves_every_message_visible() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    ok(
        &mut lab,
        "CreateQueue",
        json!({ "QueueName": "enc", "Attributes": { "KmsMasterKeyId": key, "KmsDataKeyReusePeriodSeconds": "60" } }),
    );
    send(&mut lab, "enc", "one");
    lab.w.advance_clock(61_000);
    send(&mut lab, "enc", "two");
    lab.ok("DisableKey", json!({ "KeyId": key }));
    lab.w.advance_clock(61_000);
    let e = err(
        &mut lab,
        "ReceiveMessage",
        json!({ "QueueUrl": url("enc"), "MaxNumberOfMessages": 10 }),
    );
    assert_eq!(e.code, "KMS.DisabledException");
    lab.ok("EnableKey", json!({ "KeyId": key }));
    assert_eq!(receive(&mut lab, "enc", 10).len(), 2);
}

#[test]
fn a_producer_needs_kms_decrypt_as_well_as_generate_data_key() {
    // The SQS developer guide, "Configure AWS KMS permissions for producers": SendMessage
    // triggers kms:GenerateDataKey and kms:Decrypt (to verify the new data key).
    let mut lab = Lab::new();
    let app_role = format!("arn:aws:iam::{PROD_ACCOUNT}:role/AppRole");
    let policy = |actions: Value| {
        json!({ "Version": "2012-10-17", "Statement": [
            { "Effect": "Allow",
              "Principal": { "AWS": format!("arn:aws:iam::{PROD_ACCOUNT}:user/Admin") },
              "Action": "kms:*", "Resource": "*" },
            { "Effect": "Allow", "Principal": { "AWS": app_role.clone() },
              "Action": actions, "Resource": "*" }] })
        .to_string()
    };
    let key = lab.ok(
        "CreateKey",
        json!({ "Policy": policy(json!("kms:GenerateDataKey")) }),
    )["KeyMetadata"]["Arn"]
        .as_str()
        .unwrap()
        .to_owned();
    let queue_policy = json!({ "Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": { "AWS": app_role.clone() },
        "Action": "sqs:SendMessage", "Resource": "*" }] })
    .to_string();
    ok(
        &mut lab,
        "CreateQueue",
        json!({ "QueueName": "verify", "Attributes": {
            "KmsMasterKeyId": key, "Policy": queue_policy } }),
    );
    let app = lab.w.context_for_profile(Some("app"), None).unwrap();
    let send_as_app = |lab: &mut Lab| {
        sqs_as(
            lab,
            &app,
            "SendMessage",
            json!({ "QueueUrl": url("verify"), "MessageBody": "x" }),
        )
    };
    let e = send_as_app(&mut lab).unwrap_err();
    assert_eq!(e.code, "KMS.AccessDeniedException");
    assert!(e.message.contains("kms:Decrypt"), "{}", e.message);
    assert_eq!(
        lab.w
            .sqs()
            .stored_bodies(PROD_ACCOUNT, REGION, "verify")
            .unwrap()
            .len(),
        0
    );
    lab.ok(
        "PutKeyPolicy",
        json!({ "KeyId": key, "PolicyName": "default",
                "Policy": policy(json!(["kms:GenerateDataKey", "kms:Decrypt"])) }),
    );
    send_as_app(&mut lab).unwrap();
    let decrypt = lab
        .w
        .events()
        .filter(|e| e.event_name == "Decrypt" && e.event_source == "kms.amazonaws.com")
        .last()
        .unwrap()
        .record
        .clone();
    assert_eq!(decrypt["userIdentity"]["invokedBy"], "sqs.amazonaws.com");
    assert!(decrypt.get("errorCode").is_none(), "{decrypt}");
}

#[test]
fn sender_id_is_the_senders_not_the_receivers() {
    let mut lab = Lab::new();
    let app_role = format!("arn:aws:iam::{PROD_ACCOUNT}:role/AppRole");
    let queue_policy = json!({ "Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": { "AWS": app_role },
        "Action": "sqs:SendMessage", "Resource": "*" }] })
    .to_string();
    ok(
        &mut lab,
        "CreateQueue",
        json!({ "QueueName": "who", "Attributes": { "Policy": queue_policy } }),
    );
    let app = lab.w.context_for_profile(Some("app"), None).unwrap();
    sqs_as(
        &mut lab,
        &app,
        "SendMessage",
        json!({ "QueueUrl": url("who"), "MessageBody": "from app" }),
    )
    .unwrap();
    let got = receive(&mut lab, "who", 1);
    assert_eq!(got[0]["Attributes"]["SenderId"], app.principal_id.as_str());
    assert_ne!(app.principal_id, lab.admin.principal_id);
}
