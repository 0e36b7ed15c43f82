//! What the EventBridge pages read (on a copy of the world): the rules of the default bus, the
//! SQS queues and SNS topics a rule can target (with their resource policies), and whether a
//! trail logs this Region; and the calls "Add target" makes.

use cloud::eventbridge::model as events;
use cloud::sns::model as sns;
use cloud::sqs::model as sqs;
use serde_json::json;

use super::patterns::{TargetKind, permission, with_statement};
use crate::state::{ConsoleCall, LabState};
use crate::views::{Peek, ViewError};

/// An SQS queue or SNS topic a rule can send to.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Destination {
    pub arn: String,
    pub kind: TargetKind,
    /// The queue's URL (SetQueueAttributes takes it); the topic's ARN.
    pub address: String,
    /// Its resource policy, if it has one.
    pub policy: Option<String>,
    /// Its SSE-KMS key, if any.
    pub kms_key: Option<String>,
}

/// The queues and topics of the Region (none when the profile may not list them).
pub(super) fn destinations(peek: &mut Peek, region: &str) -> Vec<Destination> {
    let mut out = Vec::new();
    let urls = peek
        .all_pages(region, |c, next_token| {
            let page = c.sqs().list_queues(sqs::ListQueuesRequest {
                next_token,
                ..Default::default()
            })?;
            Ok((page.queue_urls.unwrap_or_default(), page.next_token))
        })
        .unwrap_or_default();
    for url in urls {
        let req = sqs::GetQueueAttributesRequest {
            queue_url: Some(url.clone()),
            attribute_names: Some(vec!["All".into()]),
        };
        let Ok(attrs) = peek
            .client(region)
            .and_then(|c| Ok(c.sqs().get_queue_attributes(req)?))
        else {
            continue;
        };
        let attrs = attrs.attributes.unwrap_or_default();
        let Some(arn) = attrs.get("QueueArn").cloned() else {
            continue;
        };
        out.push(Destination {
            arn,
            kind: TargetKind::Queue,
            address: url,
            policy: attrs.get("Policy").cloned(),
            kms_key: attrs.get("KmsMasterKeyId").cloned(),
        });
    }
    let topics = peek
        .all_pages(region, |c, next_token| {
            let page = c.sns().list_topics(sns::ListRequest { next_token })?;
            Ok((page.topics, None))
        })
        .unwrap_or_default();
    for t in topics {
        let req = sns::TopicArnRequest {
            topic_arn: Some(t.topic_arn.clone()),
            next_token: None,
        };
        let attrs = peek
            .client(region)
            .and_then(|c| Ok(c.sns().get_topic_attributes(req)?))
            .map(|a| a.attributes)
            .unwrap_or_default();
        out.push(Destination {
            address: t.topic_arn.clone(),
            arn: t.topic_arn,
            kind: TargetKind::Topic,
            policy: attrs.get("Policy").cloned(),
            kms_key: attrs.get("KmsMasterKeyId").cloned(),
        });
    }
    out
}

/// Whether a trail of the account logs `region` now (a multi-Region trail logs every Region):
/// only then does EventBridge receive `AWS API Call via CloudTrail` events.
pub(super) fn trail_logging(peek: &mut Peek, region: &str) -> bool {
    let Ok(trails) = peek
        .client(region)
        .and_then(|c| Ok(c.cloudtrail().describe_trails(Default::default())?))
    else {
        return false;
    };
    trails.trail_list.into_iter().any(|t| {
        let covers = t.is_multi_region_trail || t.home_region == region;
        let req = cloud::trail::TrailNameRequest {
            name: Some(t.trail_arn.clone()),
        };
        covers
            && peek
                .client(&t.home_region)
                .and_then(|c| Ok(c.cloudtrail().get_trail_status(req)?))
                .is_ok_and(|s| s.is_logging)
    })
}

/// The rules of the default event bus.
pub(super) fn rules(peek: &mut Peek, region: &str) -> Result<Vec<events::Rule>, ViewError> {
    let req = events::ListRulesRequest {
        limit: Some(100),
        ..Default::default()
    };
    Ok(peek.client(region)?.events().list_rules(req)?.rules)
}

/// One rule and its targets.
pub(super) fn rule(
    peek: &mut Peek,
    region: &str,
    name: &str,
) -> Result<(events::Rule, Vec<events::Target>), ViewError> {
    let rule = peek
        .client(region)?
        .events()
        .describe_rule(events::RuleNameRequest {
            name: Some(name.to_owned()),
            ..Default::default()
        })?;
    let targets = peek
        .client(region)?
        .events()
        .list_targets_by_rule(events::ListTargetsByRuleRequest {
            rule: Some(name.to_owned()),
            ..Default::default()
        })?
        .targets;
    Ok((rule, targets))
}

/// The calls "Add target" makes: `PutTargets`, then (as the console does for an SQS queue or an
/// SNS topic) the statement that lets the rule send, added to the queue's or topic's policy with
/// `SetQueueAttributes` or `SetTopicAttributes`. A policy that is not JSON is left alone.
pub(super) fn add_target_calls(
    rule_name: &str,
    rule_arn: &str,
    target_id: &str,
    dest: &Destination,
) -> Vec<ConsoleCall> {
    let mut calls = vec![ConsoleCall {
        service: "events",
        operation: "PutTargets",
        input: json!({ "Rule": rule_name, "Targets": [{ "Id": target_id, "Arn": dest.arn }] }),
    }];
    let statement = permission(dest.kind, rule_name, target_id, rule_arn, &dest.arn);
    if let Some(policy) = with_statement(dest.policy.as_deref(), statement) {
        calls.push(match dest.kind {
            TargetKind::Queue => ConsoleCall {
                service: "sqs",
                operation: "SetQueueAttributes",
                input: json!({ "QueueUrl": dest.address, "Attributes": { "Policy": policy } }),
            },
            TargetKind::Topic => ConsoleCall {
                service: "sns",
                operation: "SetTopicAttributes",
                input: json!({ "TopicArn": dest.address, "AttributeName": "Policy", "AttributeValue": policy }),
            },
        });
    }
    calls
}

/// The page's reads for the rules list.
#[derive(Debug)]
pub(super) struct RulesData {
    pub rules: Result<Vec<events::Rule>, ViewError>,
    pub destinations: Vec<Destination>,
    pub trail_logging: bool,
    pub account: String,
}

pub(super) fn read_rules(lab: &LabState, region: &str) -> RulesData {
    let mut peek = Peek::new(lab);
    RulesData {
        rules: rules(&mut peek, region),
        destinations: destinations(&mut peek, region),
        trail_logging: trail_logging(&mut peek, region),
        account: lab.identity().account,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_target_puts_the_target_then_the_queue_permission() {
        let dest = Destination {
            arn: "arn:aws:sqs:us-east-1:111122223333:alerts".into(),
            kind: TargetKind::Queue,
            address: "https://sqs.us-east-1.amazonaws.com/111122223333/alerts".into(),
            policy: None,
            kms_key: None,
        };
        let rule_arn = "arn:aws:events:us-east-1:111122223333:rule/r";
        let calls = add_target_calls("r", rule_arn, "alerts", &dest);
        assert_eq!(calls.len(), 2);
        assert_eq!(calls[0].operation, "PutTargets");
        assert_eq!(calls[1].operation, "SetQueueAttributes");
        assert_eq!(calls[1].input["QueueUrl"], dest.address);
        let topic = Destination {
            kind: TargetKind::Topic,
            arn: "arn:aws:sns:us-east-1:111122223333:t".into(),
            address: "arn:aws:sns:us-east-1:111122223333:t".into(),
            policy: Some("{broken".into()),
            kms_key: None,
        };
        let calls = add_target_calls("r", rule_arn, "t", &topic);
        assert_eq!(calls.len(), 1, "a policy that is not JSON is left alone");
    }

    #[test]
    fn the_permission_the_page_adds_lets_the_rule_deliver_to_the_queue() {
        let mut w = cloud::World::new(1, 0);
        let ctx = w.context_for_profile(None, None).unwrap();
        let url = w
            .call(&ctx, "sqs", "CreateQueue", json!({ "QueueName": "alerts" }))
            .unwrap()["QueueUrl"]
            .as_str()
            .unwrap()
            .to_owned();
        let pattern = super::super::patterns::sample("AWS API Call via CloudTrail");
        let put = json!({ "Name": "r", "EventPattern": pattern });
        let arn = w.call(&ctx, "events", "PutRule", put).unwrap()["RuleArn"]
            .as_str()
            .unwrap()
            .to_owned();
        let dest = Destination {
            arn: "arn:aws:sqs:us-east-1:111122223333:alerts".into(),
            kind: TargetKind::Queue,
            address: url.clone(),
            policy: None,
            kms_key: None,
        };
        for c in add_target_calls("r", &arn, "alerts", &dest) {
            w.call(&ctx, c.service, c.operation, c.input).unwrap();
        }
        w.call(
            &ctx,
            "s3",
            "CreateBucket",
            json!({ "Bucket": "trail-logs" }),
        )
        .unwrap();
        let bucket_policy = json!({"Version":"2012-10-17","Statement":[
            {"Sid":"AWSCloudTrailAclCheck","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:GetBucketAcl","Resource":"arn:aws:s3:::trail-logs"},
            {"Sid":"AWSCloudTrailWrite","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::trail-logs/AWSLogs/111122223333/*","Condition":{"StringEquals":{"s3:x-amz-acl":"bucket-owner-full-control"}}}]});
        w.call(
            &ctx,
            "s3",
            "PutBucketPolicy",
            json!({ "Bucket": "trail-logs", "Policy": bucket_policy.to_string() }),
        )
        .unwrap();
        w.call(
            &ctx,
            "cloudtrail",
            "CreateTrail",
            json!({ "Name": "management", "S3BucketName": "trail-logs" }),
        )
        .unwrap();
        w.call(
            &ctx,
            "cloudtrail",
            "StartLogging",
            json!({ "Name": "management" }),
        )
        .unwrap();
        let key = w.call(&ctx, "kms", "CreateKey", json!({})).unwrap()["KeyMetadata"]["KeyId"]
            .as_str()
            .unwrap()
            .to_owned();
        w.call(&ctx, "kms", "DisableKey", json!({ "KeyId": key }))
            .unwrap();
        let got = w
            .call(&ctx, "sqs", "ReceiveMessage", json!({ "QueueUrl": url }))
            .unwrap();
        let body = got["Messages"][0]["Body"].as_str().unwrap_or_default();
        assert!(body.contains("DisableKey"), "{got}");
    }
}
