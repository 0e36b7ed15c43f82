//! Hostile input never panics in SQS, SNS and EventBridge: random members and values for every
//! operation, against a world with a queue, a topic and a rule wired together.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{DAY, Lab};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

const OPS: &[(&str, &str)] = &[
    ("sqs", "CreateQueue"),
    ("sqs", "GetQueueUrl"),
    ("sqs", "GetQueueAttributes"),
    ("sqs", "SetQueueAttributes"),
    ("sqs", "ListQueues"),
    ("sqs", "DeleteQueue"),
    ("sqs", "PurgeQueue"),
    ("sqs", "SendMessage"),
    ("sqs", "ReceiveMessage"),
    ("sqs", "DeleteMessage"),
    ("sns", "CreateTopic"),
    ("sns", "GetTopicAttributes"),
    ("sns", "SetTopicAttributes"),
    ("sns", "ListTopics"),
    ("sns", "DeleteTopic"),
    ("sns", "Subscribe"),
    ("sns", "ListSubscriptions"),
    ("sns", "ListSubscriptionsByTopic"),
    ("sns", "Unsubscribe"),
    ("sns", "Publish"),
    ("events", "PutRule"),
    ("events", "DescribeRule"),
    ("events", "ListRules"),
    ("events", "DeleteRule"),
    ("events", "PutTargets"),
    ("events", "RemoveTargets"),
    ("events", "ListTargetsByRule"),
    ("events", "PutEvents"),
];

const MEMBERS: &[&str] = &[
    "QueueName",
    "Attributes",
    "AttributeNames",
    "MessageBody",
    "DelaySeconds",
    "MaxNumberOfMessages",
    "VisibilityTimeout",
    "ReceiptHandle",
    "MaxResults",
    "NextToken",
    "Name",
    "AttributeName",
    "AttributeValue",
    "Protocol",
    "Endpoint",
    "SubscriptionArn",
    "Message",
    "EventPattern",
    "State",
    "Rule",
    "Targets",
    "Ids",
    "Entries",
];

const QUEUE_URL: &str = "https://sqs.us-east-1.amazonaws.com/111122223333/q";
const QUEUE_ARN: &str = "arn:aws:sqs:us-east-1:111122223333:q";
const TOPIC_ARN: &str = "arn:aws:sns:us-east-1:111122223333:t";

fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        prop_oneof![
            Just(-1i64),
            Just(0),
            Just(1),
            Just(10),
            Just(60),
            Just(86_401)
        ]
        .prop_map(|n| json!(n)),
        "[a-zA-Z0-9:/_+=.-]{0,40}".prop_map(Value::String),
        prop_oneof![
            Just(QUEUE_URL.to_owned()),
            Just(QUEUE_ARN.to_owned()),
            Just(TOPIC_ARN.to_owned()),
            Just("alias/aws/sqs".to_owned()),
            Just(r#"{"source":[{"numeric":[">",1]}]}"#.to_owned()),
            Just(r#"{"detail":{"x":[{"anything-but":{"prefix":"a"}}]}}"#.to_owned()),
            Just("{\"Version\":\"2012-10-17\",\"Statement\":[]}".to_owned()),
        ]
        .prop_map(Value::String),
    ];
    leaf.prop_recursive(2, 8, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map("[a-zA-Z]{1,12}", inner, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect::<Map<String, Value>>())),
        ]
    })
}

fn request() -> impl Strategy<Value = (usize, Value)> {
    (
        0..OPS.len(),
        proptest::collection::vec((0..MEMBERS.len(), value()), 0..5).prop_map(|pairs| {
            Value::Object(
                pairs
                    .into_iter()
                    .map(|(i, v)| (MEMBERS[i].to_owned(), v))
                    .collect(),
            )
        }),
    )
}

/// A queue `q` under a customer managed key, a topic `t` subscribed by it, and a rule `r`
/// delivering to both.
fn wired() -> Lab {
    let mut lab = Lab::new();
    let key = lab.create_key();
    let admin = lab.admin.clone();
    let mut call = |svc: &str, op: &str, input: Value| {
        lab.w.call(&admin, svc, op, input).unwrap();
    };
    call(
        "sqs",
        "CreateQueue",
        json!({ "QueueName": "q", "Attributes": { "KmsMasterKeyId": key } }),
    );
    call("sns", "CreateTopic", json!({ "Name": "t" }));
    call(
        "sns",
        "Subscribe",
        json!({ "TopicArn": TOPIC_ARN, "Protocol": "sqs", "Endpoint": QUEUE_ARN }),
    );
    call(
        "events",
        "PutRule",
        json!({ "Name": "r", "EventPattern": r#"{"source":[{"prefix":""}]}"# }),
    );
    call(
        "events",
        "PutTargets",
        json!({ "Rule": "r", "Targets": [{ "Id": "q", "Arn": QUEUE_ARN }, { "Id": "t", "Arn": TOPIC_ARN }] }),
    );
    lab
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn random_requests_never_panic(reqs in proptest::collection::vec(request(), 1..12), days in 0i64..30) {
        let mut lab = wired();
        for (i, mut input) in reqs {
            let (service, op) = OPS[i];
            // Half the time, aim at the real resources so deeper code runs.
            if i % 2 == 0 && let Value::Object(m) = &mut input {
                m.entry("QueueUrl").or_insert(json!(QUEUE_URL));
                m.entry("TopicArn").or_insert(json!(TOPIC_ARN));
                m.entry("Rule").or_insert(json!("r"));
            }
            let ctx = lab.admin.clone();
            let before = lab.w.event_counters().total;
            let _ = lab.w.call(&ctx, service, op, input);
            prop_assert!(lab.w.event_counters().total > before, "every call is logged");
        }
        lab.w.advance_clock(days * DAY);
        let saved = serde_json::to_string(&lab.w).unwrap();
        let _: cloud::World = serde_json::from_str(&saved).unwrap();
    }
}
