//! What the EventBridge console writes for you: the "Event pattern" samples it offers for AWS
//! Key Management Service, and the statement it adds to an SQS queue's or SNS topic's resource
//! policy when you pick it as a rule's target.
//!
//! The statement is the one the EventBridge user guide gives under "Using resource-based
//! policies for Amazon EventBridge" (SQS: `sqs:SendMessage`, SNS: `sns:Publish`, for the service
//! principal `events.amazonaws.com`, with `aws:SourceArn` = the rule's ARN), added with the
//! service's own call (`SetQueueAttributes`, `SetTopicAttributes`) as the console does.

use serde_json::{Value, json};

/// The KMS event types the console's pattern form offers, with their patterns. KMS's own events
/// (<https://docs.aws.amazon.com/kms/latest/developerguide/kms-events.html>), and API calls
/// recorded by CloudTrail.
pub(super) const SAMPLES: &[(&str, &str)] = &[
    (
        "KMS CMK Deletion",
        r#"{
  "source": ["aws.kms"],
  "detail-type": ["KMS CMK Deletion"]
}"#,
    ),
    (
        "KMS CMK Rotation",
        r#"{
  "source": ["aws.kms"],
  "detail-type": ["KMS CMK Rotation"]
}"#,
    ),
    (
        "KMS Imported Key Material Expiration",
        r#"{
  "source": ["aws.kms"],
  "detail-type": ["KMS Imported Key Material Expiration"]
}"#,
    ),
    (
        "AWS API Call via CloudTrail",
        r#"{
  "source": ["aws.kms"],
  "detail-type": ["AWS API Call via CloudTrail"],
  "detail": {
    "eventSource": ["kms.amazonaws.com"],
    "eventName": ["ScheduleKeyDeletion", "DisableKey"]
  }
}"#,
    ),
];

/// The sample named `name` (the first one when unknown).
pub(super) fn sample(name: &str) -> &'static str {
    SAMPLES
        .iter()
        .find(|(n, _)| *n == name)
        .or_else(|| SAMPLES.first())
        .map_or("{}", |(_, p)| p)
}

/// Whether a pattern matches `AWS API Call via CloudTrail` events (which arrive only while a
/// trail logs the Region).
pub(super) fn wants_api_calls(pattern: &str) -> bool {
    pattern.contains("AWS API Call via CloudTrail")
}

/// What a target is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum TargetKind {
    Queue,
    Topic,
}

impl TargetKind {
    /// The kind of a target ARN (`arn:aws:sqs:…` or `arn:aws:sns:…`).
    pub(super) fn of(arn: &str) -> Option<Self> {
        match arn.split(':').nth(2) {
            Some("sqs") => Some(Self::Queue),
            Some("sns") => Some(Self::Topic),
            _ => None,
        }
    }

    /// What the console calls it.
    pub(super) fn name(self) -> &'static str {
        match self {
            Self::Queue => "SQS queue",
            Self::Topic => "SNS topic",
        }
    }

    fn action(self) -> &'static str {
        match self {
            Self::Queue => "sqs:SendMessage",
            Self::Topic => "sns:Publish",
        }
    }
}

/// The statement the console adds for `rule_arn` to send to `target_arn`; its `Sid` is the
/// console's `AWSEvents_RULE_TARGETID`.
pub(super) fn permission(
    kind: TargetKind,
    rule_name: &str,
    target_id: &str,
    rule_arn: &str,
    target_arn: &str,
) -> Value {
    json!({
        "Sid": format!("AWSEvents_{rule_name}_{target_id}"),
        "Effect": "Allow",
        "Principal": { "Service": "events.amazonaws.com" },
        "Action": kind.action(),
        "Resource": target_arn,
        "Condition": { "ArnEquals": { "aws:SourceArn": rule_arn } }
    })
}

/// `policy` (the queue's or topic's, if any) with `statement` added, replacing a statement with
/// the same `Sid`; `None` when the policy is not JSON the console could edit (it is left alone).
pub(super) fn with_statement(policy: Option<&str>, statement: Value) -> Option<String> {
    let mut doc: Value = match policy.map(str::trim).filter(|p| !p.is_empty()) {
        None => json!({ "Version": "2012-10-17", "Statement": [] }),
        Some(p) => serde_json::from_str(p).ok()?,
    };
    let obj = doc.as_object_mut()?;
    let list = match obj.remove("Statement") {
        None => Vec::new(),
        Some(Value::Array(a)) => a,
        Some(one @ Value::Object(_)) => vec![one],
        Some(_) => return None,
    };
    let sid = statement.get("Sid").cloned();
    let mut list: Vec<Value> = list
        .into_iter()
        .filter(|s| sid.is_none() || s.get("Sid") != sid.as_ref())
        .collect();
    list.push(statement);
    obj.insert("Statement".into(), Value::Array(list));
    serde_json::to_string(&doc).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sample_is_a_pattern_eventbridge_accepts() {
        for (name, p) in SAMPLES {
            let v: Value = serde_json::from_str(p).unwrap();
            assert_eq!(v["source"], json!(["aws.kms"]), "{name}");
            assert_eq!(v["detail-type"], json!([name]), "{name}");
        }
        assert!(wants_api_calls(sample("AWS API Call via CloudTrail")));
        assert!(!wants_api_calls(sample("KMS CMK Deletion")));
        assert_eq!(sample("nope"), sample("KMS CMK Deletion"));
    }

    #[test]
    fn the_permission_is_added_once_and_keeps_the_other_statements() {
        let rule = "arn:aws:events:us-east-1:111122223333:rule/r";
        let q = "arn:aws:sqs:us-east-1:111122223333:alerts";
        let st = permission(TargetKind::Queue, "r", "t1", rule, q);
        let fresh = with_statement(None, st.clone()).unwrap();
        let v: Value = serde_json::from_str(&fresh).unwrap();
        assert_eq!(v["Statement"][0]["Action"], "sqs:SendMessage");
        assert_eq!(
            v["Statement"][0]["Condition"]["ArnEquals"]["aws:SourceArn"],
            rule
        );
        let again = with_statement(Some(&fresh), st).unwrap();
        let v: Value = serde_json::from_str(&again).unwrap();
        assert_eq!(v["Statement"].as_array().unwrap().len(), 1, "replaced");
        let other = r#"{"Version":"2012-10-17","Statement":{"Sid":"Owner","Effect":"Allow"}}"#;
        let t = "arn:aws:sns:us-east-1:111122223333:topic";
        let merged = with_statement(
            Some(other),
            permission(TargetKind::Topic, "r", "t", rule, t),
        )
        .unwrap();
        let v: Value = serde_json::from_str(&merged).unwrap();
        assert_eq!(v["Statement"][0]["Sid"], "Owner");
        assert_eq!(v["Statement"][1]["Action"], "sns:Publish");
        assert_eq!(with_statement(Some("not json"), json!({})), None);
    }

    #[test]
    fn targets_are_known_by_their_arn() {
        assert_eq!(
            TargetKind::of("arn:aws:sqs:us-east-1:1:q"),
            Some(TargetKind::Queue)
        );
        assert_eq!(
            TargetKind::of("arn:aws:sns:us-east-1:1:t"),
            Some(TargetKind::Topic)
        );
        assert_eq!(TargetKind::of("arn:aws:lambda:us-east-1:1:f"), None);
    }
}
