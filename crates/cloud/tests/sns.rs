//! Amazon SNS with SSE-KMS and SQS subscriptions: the publisher's KMS permissions on an
//! encrypted topic, deliveries as `sns.amazonaws.com` that need the queue policy and (for an
//! SSE-KMS queue) the queue key's policy, the `aws/sqs` queue that never receives, SSE-SQS
//! queues that need no key statement, and lost deliveries kept in the failure log.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use cloud::{AwsError, CallContext, PROD_ACCOUNT};
use common::Lab;
use serde_json::{Value, json};

const REGION: &str = "us-east-1";

fn topic_arn(name: &str) -> String {
    format!("arn:aws:sns:{REGION}:{PROD_ACCOUNT}:{name}")
}

fn queue_arn(name: &str) -> String {
    format!("arn:aws:sqs:{REGION}:{PROD_ACCOUNT}:{name}")
}

fn queue_url(name: &str) -> String {
    format!("https://sqs.{REGION}.amazonaws.com/{PROD_ACCOUNT}/{name}")
}

fn call(
    lab: &mut Lab,
    c: &CallContext,
    svc: &str,
    op: &str,
    input: Value,
) -> Result<Value, AwsError> {
    lab.w.call(c, svc, op, input)
}

fn ok(lab: &mut Lab, svc: &str, op: &str, input: Value) -> Value {
    let admin = lab.admin.clone();
    call(lab, &admin, svc, op, input.clone()).unwrap_or_else(|e| panic!("{op} {input}: {e}"))
}

/// A queue policy letting the topic `topic` send (the statement SNS's guide gives).
fn queue_policy(queue: &str, topic: &str) -> String {
    json!({ "Version": "2012-10-17", "Statement": [{
        "Effect": "Allow",
        "Principal": { "Service": "sns.amazonaws.com" },
        "Action": "sqs:SendMessage",
        "Resource": queue_arn(queue),
        "Condition": { "ArnEquals": { "aws:SourceArn": topic_arn(topic) } } }] })
    .to_string()
}

/// A key policy: the account root, plus the SNS statement when `sns`.
fn key_policy(sns: bool) -> String {
    let mut statements = vec![json!({
        "Sid": "Enable IAM User Permissions",
        "Effect": "Allow",
        "Principal": { "AWS": format!("arn:aws:iam::{PROD_ACCOUNT}:root") },
        "Action": "kms:*", "Resource": "*" })];
    if sns {
        statements.push(json!({
            "Sid": "Allow SNS",
            "Effect": "Allow",
            "Principal": { "Service": "sns.amazonaws.com" },
            "Action": ["kms:GenerateDataKey*", "kms:Decrypt"],
            "Resource": "*" }));
    }
    json!({ "Version": "2012-10-17", "Statement": statements }).to_string()
}

fn key(lab: &mut Lab, sns: bool) -> String {
    lab.ok("CreateKey", json!({ "Policy": key_policy(sns) }))["KeyMetadata"]["Arn"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// A topic `orders` subscribed by queue `name` (with `attributes` and the queue policy).
fn pipeline(lab: &mut Lab, name: &str, mut attributes: Value) {
    ok(lab, "sns", "CreateTopic", json!({ "Name": "orders" }));
    attributes["Policy"] = json!(queue_policy(name, "orders"));
    ok(
        lab,
        "sqs",
        "CreateQueue",
        json!({ "QueueName": name, "Attributes": attributes }),
    );
    let sub = ok(
        lab,
        "sns",
        "Subscribe",
        json!({ "TopicArn": topic_arn("orders"), "Protocol": "sqs", "Endpoint": queue_arn(name) }),
    );
    assert!(
        sub["SubscriptionArn"]
            .as_str()
            .unwrap()
            .starts_with(&topic_arn("orders"))
    );
}

fn publish(lab: &mut Lab, message: &str) -> Value {
    ok(
        lab,
        "sns",
        "Publish",
        json!({ "TopicArn": topic_arn("orders"), "Message": message, "Subject": "new order" }),
    )
}

fn received(lab: &mut Lab, queue: &str) -> Vec<Value> {
    ok(
        lab,
        "sqs",
        "ReceiveMessage",
        json!({ "QueueUrl": queue_url(queue), "MaxNumberOfMessages": 10 }),
    )["Messages"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[test]
fn topics_attributes_list_delete() {
    let mut lab = Lab::new();
    let created = ok(
        &mut lab,
        "sns",
        "CreateTopic",
        json!({ "Name": "orders", "Attributes": { "KmsMasterKeyId": "alias/aws/sns" } }),
    );
    assert_eq!(created, json!({ "TopicArn": topic_arn("orders") }));
    let a = ok(
        &mut lab,
        "sns",
        "GetTopicAttributes",
        json!({ "TopicArn": topic_arn("orders") }),
    )["Attributes"]
        .clone();
    assert_eq!(a["KmsMasterKeyId"], "alias/aws/sns");
    assert_eq!(a["Owner"], PROD_ACCOUNT);
    assert!(
        a["Policy"]
            .as_str()
            .unwrap()
            .contains("__default_statement_ID")
    );
    ok(
        &mut lab,
        "sns",
        "SetTopicAttributes",
        json!({ "TopicArn": topic_arn("orders"), "AttributeName": "DisplayName", "AttributeValue": "Orders" }),
    );
    let listed = ok(&mut lab, "sns", "ListTopics", json!({}));
    assert_eq!(
        listed,
        json!({ "Topics": [{ "TopicArn": topic_arn("orders") }] })
    );
    ok(
        &mut lab,
        "sns",
        "DeleteTopic",
        json!({ "TopicArn": topic_arn("orders") }),
    );
    let admin = lab.admin.clone();
    let e = call(
        &mut lab,
        &admin,
        "sns",
        "GetTopicAttributes",
        json!({ "TopicArn": topic_arn("orders") }),
    )
    .unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        ("NotFound", "Topic does not exist")
    );
}

#[test]
fn an_sse_sqs_queue_needs_only_the_queue_policy() {
    let mut lab = Lab::new();
    pipeline(&mut lab, "orders-q", json!({}));
    let id = publish(&mut lab, "order 1")["MessageId"]
        .as_str()
        .unwrap()
        .to_owned();
    let got = received(&mut lab, "orders-q");
    assert_eq!(got.len(), 1);
    let note: Value = serde_json::from_str(got[0]["Body"].as_str().unwrap()).unwrap();
    assert_eq!(note["Type"], "Notification");
    assert_eq!(note["MessageId"], id);
    assert_eq!(note["Message"], "order 1");
    assert_eq!(note["Subject"], "new order");
    let subs = ok(&mut lab, "sns", "ListSubscriptions", json!({}));
    let sub_arn = subs["Subscriptions"][0]["SubscriptionArn"]
        .as_str()
        .unwrap();
    assert_eq!(
        note["UnsubscribeURL"],
        format!("https://sns.{REGION}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn={sub_arn}")
    );
    assert!(lab.w.sns().delivery_failures().is_empty());
}

#[test]
fn sns_needs_kms_decrypt_as_well_on_an_sse_kms_queue_key() {
    // SQS's key-management page: an AWS service sending to an encrypted queue needs
    // kms:GenerateDataKey and kms:Decrypt in the key policy; with GenerateDataKey alone the
    // delivery is lost.
    let mut lab = Lab::new();
    let policy = json!({ "Version": "2012-10-17", "Statement": [
        { "Effect": "Allow",
          "Principal": { "AWS": format!("arn:aws:iam::{PROD_ACCOUNT}:root") },
          "Action": "kms:*", "Resource": "*" },
        { "Effect": "Allow", "Principal": { "Service": "sns.amazonaws.com" },
          "Action": "kms:GenerateDataKey*", "Resource": "*" }] })
    .to_string();
    let key = lab.ok("CreateKey", json!({ "Policy": policy }))["KeyMetadata"]["Arn"]
        .as_str()
        .unwrap()
        .to_owned();
    pipeline(&mut lab, "half", json!({ "KmsMasterKeyId": key }));
    publish(&mut lab, "order 1");
    assert!(received(&mut lab, "half").is_empty());
    let failures = lab.w.sns().delivery_failures();
    assert_eq!(failures.len(), 1);
    assert_eq!(failures[0].error_code, "KMS.AccessDeniedException");
    assert!(
        failures[0].error_message.contains("kms:Decrypt"),
        "{}",
        failures[0].error_message
    );
}

#[test]
fn without_the_queue_policy_the_delivery_is_lost() {
    let mut lab = Lab::new();
    ok(&mut lab, "sns", "CreateTopic", json!({ "Name": "orders" }));
    ok(
        &mut lab,
        "sqs",
        "CreateQueue",
        json!({ "QueueName": "closed" }),
    );
    ok(
        &mut lab,
        "sns",
        "Subscribe",
        json!({ "TopicArn": topic_arn("orders"), "Protocol": "sqs", "Endpoint": queue_arn("closed") }),
    );
    publish(&mut lab, "order 1");
    assert!(received(&mut lab, "closed").is_empty());
    let f = &lab.w.sns().delivery_failures()[0];
    assert_eq!(f.error_code, "AccessDenied");
    assert_eq!(f.endpoint, queue_arn("closed"));
}

#[test]
fn an_sse_kms_queue_needs_the_sns_statement_in_its_key_policy() {
    let mut lab = Lab::new();
    let bare = key(&mut lab, false);
    pipeline(&mut lab, "enc", json!({ "KmsMasterKeyId": bare }));
    publish(&mut lab, "order 1");
    assert!(received(&mut lab, "enc").is_empty());
    let f = lab.w.sns().delivery_failures().last().unwrap().clone();
    assert_eq!(f.error_code, "KMS.AccessDeniedException");
    // CloudTrail shows SNS's refused GenerateDataKey.
    let ev = lab
        .w
        .events()
        .find(|e| e.event_name == "GenerateDataKey" && e.error_code.is_some())
        .unwrap()
        .record
        .clone();
    assert_eq!(ev["userIdentity"]["type"], "AWSService");
    assert_eq!(ev["userIdentity"]["invokedBy"], "sns.amazonaws.com");
    assert_eq!(ev["errorCode"], "AccessDeniedException");
    // With the statement, deliveries arrive (and the message is lost no longer).
    lab.ok(
        "PutKeyPolicy",
        json!({ "KeyId": bare, "PolicyName": "default", "Policy": key_policy(true) }),
    );
    publish(&mut lab, "order 2");
    let got = received(&mut lab, "enc");
    assert_eq!(got.len(), 1);
    assert!(got[0]["Body"].as_str().unwrap().contains("order 2"));
    assert_eq!(lab.w.sns().delivery_failures().len(), 1);
}

#[test]
fn an_aws_sqs_queue_never_receives_from_sns() {
    let mut lab = Lab::new();
    pipeline(
        &mut lab,
        "managed",
        json!({ "KmsMasterKeyId": "alias/aws/sqs" }),
    );
    publish(&mut lab, "order 1");
    assert!(received(&mut lab, "managed").is_empty());
    let f = lab.w.sns().delivery_failures().last().unwrap().clone();
    assert_eq!(f.error_code, "KMS.AccessDeniedException");
}

#[test]
fn publishing_to_an_encrypted_topic_needs_the_publisher_s_kms_permissions() {
    let mut lab = Lab::new();
    // Only Admin may use this key.
    let policy = json!({ "Version": "2012-10-17", "Statement": [{
        "Effect": "Allow",
        "Principal": { "AWS": format!("arn:aws:iam::{PROD_ACCOUNT}:user/Admin") },
        "Action": "kms:*", "Resource": "*" }] })
    .to_string();
    let topic_key = lab.ok("CreateKey", json!({ "Policy": policy }))["KeyMetadata"]["Arn"]
        .as_str()
        .unwrap()
        .to_owned();
    pipeline(&mut lab, "q", json!({}));
    // The topic policy lets AppRole publish (it has no SNS permission of its own).
    let topic_policy = json!({ "Version": "2012-10-17", "Statement": [{
        "Effect": "Allow",
        "Principal": { "AWS": format!("arn:aws:iam::{PROD_ACCOUNT}:role/AppRole") },
        "Action": "sns:Publish", "Resource": topic_arn("orders") }] })
    .to_string();
    for (name, value) in [
        ("KmsMasterKeyId", topic_key.as_str()),
        ("Policy", &topic_policy),
    ] {
        ok(
            &mut lab,
            "sns",
            "SetTopicAttributes",
            json!({ "TopicArn": topic_arn("orders"), "AttributeName": name, "AttributeValue": value }),
        );
    }
    publish(&mut lab, "from admin");
    let gdk = lab
        .w
        .events()
        .find(|e| e.event_name == "GenerateDataKey")
        .unwrap()
        .record
        .clone();
    assert_eq!(gdk["userIdentity"]["invokedBy"], "sns.amazonaws.com");
    assert_eq!(gdk["userIdentity"]["type"], "IAMUser");
    assert!(lab.w.events().any(|e| e.event_name == "Decrypt"));
    assert_eq!(received(&mut lab, "q").len(), 1);
    let app = lab.w.context_for_profile(Some("app"), None).unwrap();
    let input = json!({ "TopicArn": topic_arn("orders"), "Message": "from app" });
    let e = call(&mut lab, &app, "sns", "Publish", input).unwrap_err();
    assert_eq!(e.code, "KMSAccessDenied");
    lab.ok("DisableKey", json!({ "KeyId": topic_key }));
    let admin = lab.admin.clone();
    let input = json!({ "TopicArn": topic_arn("orders"), "Message": "x" });
    let e = call(&mut lab, &admin, "sns", "Publish", input).unwrap_err();
    assert_eq!(e.code, "KMSDisabled");
}

#[test]
fn another_account_may_not_publish_without_the_topic_policy() {
    let mut lab = Lab::new();
    ok(&mut lab, "sns", "CreateTopic", json!({ "Name": "orders" }));
    let partner = lab
        .w
        .context_for_profile(Some("partner-admin"), None)
        .unwrap();
    let input = json!({ "TopicArn": topic_arn("orders"), "Message": "x" });
    let e = call(&mut lab, &partner, "sns", "Publish", input).unwrap_err();
    assert_eq!(e.code, "AuthorizationError");
    assert!(e.message.contains("SNS:Publish"), "{}", e.message);
}

#[test]
fn subscriptions_list_and_unsubscribe() {
    let mut lab = Lab::new();
    pipeline(&mut lab, "q", json!({}));
    let email = ok(
        &mut lab,
        "sns",
        "Subscribe",
        json!({ "TopicArn": topic_arn("orders"), "Protocol": "email", "Endpoint": "ops@example.com" }),
    );
    assert_eq!(email["SubscriptionArn"], "pending confirmation");
    let by_topic = ok(
        &mut lab,
        "sns",
        "ListSubscriptionsByTopic",
        json!({ "TopicArn": topic_arn("orders") }),
    );
    let subs = by_topic["Subscriptions"].as_array().unwrap();
    assert_eq!(subs.len(), 2);
    let sqs_sub = subs.iter().find(|s| s["Protocol"] == "sqs").unwrap();
    ok(
        &mut lab,
        "sns",
        "Unsubscribe",
        json!({ "SubscriptionArn": sqs_sub["SubscriptionArn"] }),
    );
    let all = ok(&mut lab, "sns", "ListSubscriptions", json!({}));
    assert_eq!(all["Subscriptions"].as_array().unwrap().len(), 1);
    let a = ok(
        &mut lab,
        "sns",
        "GetTopicAttributes",
        json!({ "TopicArn": topic_arn("orders") }),
    )["Attributes"]
        .clone();
    assert_eq!(a["SubscriptionsPending"], "1");
    assert_eq!(a["SubscriptionsConfirmed"], "0");
}

#[test]
fn typed_and_json_calls_answer_and_audit_alike() {
    use cloud::sns::model::{CreateTopicRequest, ListRequest};
    let mut typed = Lab::new();
    let mut json_lab = Lab::new();
    let admin = typed.admin.clone();
    typed
        .w
        .client(&admin)
        .sns()
        .create_topic(CreateTopicRequest {
            name: Some("orders".into()),
            ..CreateTopicRequest::default()
        })
        .unwrap();
    let listed = typed
        .w
        .client(&admin)
        .sns()
        .list_topics(ListRequest::default())
        .unwrap();
    assert_eq!(listed.topics[0].topic_arn, topic_arn("orders"));
    ok(
        &mut json_lab,
        "sns",
        "CreateTopic",
        json!({ "Name": "orders" }),
    );
    ok(&mut json_lab, "sns", "ListTopics", json!({}));
    let records = |l: &Lab| l.w.events().map(|e| e.record.clone()).collect::<Vec<_>>();
    assert_eq!(records(&typed), records(&json_lab));
}

/// SNS's KMS requests for a delivery carry the topic as `aws:SourceArn` and its account as
/// `aws:SourceAccount`, so a key-policy statement bound to the topic (the confused-deputy
/// guard AWS recommends) lets that topic's deliveries in and no other topic's.
#[test]
fn a_key_statement_bound_to_the_topic_by_source_arn_admits_only_that_topic() {
    let mut lab = Lab::new();
    let bound = json!({ "Version": "2012-10-17", "Statement": [
        { "Sid": "Enable IAM User Permissions", "Effect": "Allow",
          "Principal": { "AWS": format!("arn:aws:iam::{PROD_ACCOUNT}:root") },
          "Action": "kms:*", "Resource": "*" },
        { "Sid": "OrdersTopicOnly", "Effect": "Allow",
          "Principal": { "Service": "sns.amazonaws.com" },
          "Action": ["kms:GenerateDataKey*", "kms:Decrypt"], "Resource": "*",
          "Condition": {
            "ArnEquals": { "aws:SourceArn": topic_arn("orders") },
            "StringEquals": { "aws:SourceAccount": PROD_ACCOUNT } } }] })
    .to_string();
    let key = lab.ok("CreateKey", json!({ "Policy": bound }))["KeyMetadata"]["Arn"]
        .as_str()
        .unwrap()
        .to_owned();
    pipeline(&mut lab, "enc", json!({ "KmsMasterKeyId": key }));
    publish(&mut lab, "order 1");
    let got = received(&mut lab, "enc");
    assert_eq!(got.len(), 1, "the bound topic delivers");
    assert!(lab.w.sns().delivery_failures().is_empty());
    // Another topic subscribed to the same queue (and allowed by the queue policy) is refused
    // by the key: its deliveries carry its own ARN.
    ok(&mut lab, "sns", "CreateTopic", json!({ "Name": "returns" }));
    let both = json!({ "Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": { "Service": "sns.amazonaws.com" },
        "Action": "sqs:SendMessage", "Resource": queue_arn("enc"),
        "Condition": { "ArnEquals": { "aws:SourceArn": [topic_arn("orders"), topic_arn("returns")] } } }] })
    .to_string();
    ok(
        &mut lab,
        "sqs",
        "SetQueueAttributes",
        json!({ "QueueUrl": queue_url("enc"), "Attributes": { "Policy": both } }),
    );
    ok(
        &mut lab,
        "sns",
        "Subscribe",
        json!({ "TopicArn": topic_arn("returns"), "Protocol": "sqs", "Endpoint": queue_arn("enc") }),
    );
    // Past the queue's data-key reuse period (300 s), so the delivery needs KMS again.
    lab.w.advance_clock(301_000);
    ok(
        &mut lab,
        "sns",
        "Publish",
        json!({ "TopicArn": topic_arn("returns"), "Message": "return 1" }),
    );
    // (order 1, never deleted, is visible again; the return never arrived.)
    let got = received(&mut lab, "enc");
    assert!(
        got.iter()
            .all(|m| !m["Body"].as_str().unwrap().contains("return 1")),
        "{got:?}"
    );
    let f = lab.w.sns().delivery_failures().last().unwrap().clone();
    assert_eq!(f.error_code, "KMS.AccessDeniedException");
}

/// Publishing to a phone number: AWS's refusal text for a number SNS will not publish to, and
/// the lab's reason (it sends no SMS) in the hint, never in AWS's message.
#[test]
fn a_phone_number_gets_aws_s_words_and_the_lab_s_reason_in_the_hint() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let e = call(
        &mut lab,
        &admin,
        "sns",
        "Publish",
        json!({ "PhoneNumber": "+15555550100", "Message": "hello" }),
    )
    .unwrap_err();
    assert_eq!(e.code, "InvalidParameter");
    assert_eq!(
        e.message,
        "Invalid parameter: PhoneNumber Reason: +15555550100 is not valid to publish to"
    );
    assert!(
        e.hint
            .as_deref()
            .is_some_and(|h| h.contains("sends no SMS")),
        "{e:?}"
    );
}
