//! `config-encryption-compliance`: AWS Config's encryption rules find an unencrypted attached
//! volume, encryption by default off and a bucket without SSE-KMS default encryption; the
//! learner records, adds the rules, fixes each finding without taking data offline, and routes
//! `ScheduleKeyDeletion` (an `AWS API Call via CloudTrail` event, so the stopped trail must log)
//! to a queue or topic. Graded by asking Config in the clone (`StartConfigRulesEvaluation`,
//! `GetComplianceDetailsByConfigRule`) and by scheduling a deletion there and watching the
//! EventBridge deliveries.

use cloud::config::model::{
    DescribeConfigRulesRequest, DescribeConfigurationRecordersRequest,
    GetComplianceDetailsByConfigRuleRequest, StartConfigRulesEvaluationRequest,
};
use cloud::eventbridge::model::ListRulesRequest;
use cloud::trail::TrailNameRequest;
use serde_json::json;

use super::Checks;
use crate::scenario::probe::shapes::Volume;
use crate::scenario::{Probe, Seen, Verdict};

const TRAIL: &str = "management-events";
const BUCKET: &str = "reports-111122223333";
const API_CALL: &str = "AWS API Call via CloudTrail";

/// The three rules the audit asked for, by source identifier, and what each must find compliant.
const RULES: &[&str] = &[
    "ENCRYPTED_VOLUMES",
    "EC2_EBS_ENCRYPTION_BY_DEFAULT",
    "S3_DEFAULT_ENCRYPTION_KMS",
];

/// CloudTrail's bucket policy (`AWSCloudTrailAclCheck`, `AWSCloudTrailWrite`).
const TRAIL_BUCKET_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"AWSCloudTrailAclCheck","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:GetBucketAcl","Resource":"arn:aws:s3:::audit-trail-logs-111122223333"},{"Sid":"AWSCloudTrailWrite","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::audit-trail-logs-111122223333/AWSLogs/111122223333/*","Condition":{"StringEquals":{"s3:x-amz-acl":"bucket-owner-full-control"}}}]}"#;
/// The EventBridge pattern for a scheduled key deletion.
const EVENT_PATTERN: &str = r#"{"source":["aws.kms"],"detail-type":["AWS API Call via CloudTrail"],"detail":{"eventSource":["kms.amazonaws.com"],"eventName":["ScheduleKeyDeletion"]}}"#;
const RULE_ARN: &str = "arn:aws:events:us-east-1:111122223333:rule/kms-key-deletion-scheduled";

/// A queue policy letting EventBridge's rule (or an SNS topic) send to `queue`.
fn queue_attributes(queue: &str, principal: &str, source: &str) -> String {
    let policy = json!({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":principal},"Action":"sqs:SendMessage","Resource":format!("arn:aws:sqs:us-east-1:111122223333:{queue}"),"Condition":{"ArnEquals":{"aws:SourceArn":source}}}]});
    json!({ "Policy": policy.to_string() }).to_string()
}

pub(super) const CHECKS: Checks = Checks {
    id: "config-encryption-compliance",
    objectives: &[
        ("recording", recording),
        ("findings-compliant", findings_compliant),
        ("deletion-warning", deletion_warning),
    ],
    wrong_turns: &[
        ("volume-detached", volume_detached),
        ("deletion-event-only", deletion_event_only),
        ("trail-not-logging", trail_not_logging),
    ],
    values: |_| {
        let topic = "arn:aws:sns:us-east-1:111122223333:key-deletion-alerts";
        vec![
            ("TRAIL_BUCKET_POLICY", TRAIL_BUCKET_POLICY.to_owned()),
            ("EVENT_PATTERN", EVENT_PATTERN.to_owned()),
            (
                "ALERT_QUEUE_ATTRIBUTES",
                queue_attributes("key-deletion-alerts", "events.amazonaws.com", RULE_ARN),
            ),
            (
                "INBOX_QUEUE_ATTRIBUTES",
                queue_attributes("security-inbox", "sns.amazonaws.com", topic),
            ),
            (
                "ALERT_TOPIC_POLICY",
                json!({"Version":"2012-10-17","Statement":[{"Sid":"AccountOwner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":["sns:Publish","sns:Subscribe","sns:GetTopicAttributes","sns:SetTopicAttributes"],"Resource":topic},{"Sid":"EventBridge","Effect":"Allow","Principal":{"Service":"events.amazonaws.com"},"Action":"sns:Publish","Resource":topic,"Condition":{"ArnEquals":{"aws:SourceArn":RULE_ARN}}}]})
                    .to_string(),
            ),
        ]
    },
    ..Checks::BASE
};

/// The names of the account's Config rules with `source` (an AWS managed rule identifier).
fn rules_with(p: &mut Probe, source: &str) -> Vec<String> {
    let rules = p.typed("admin", |c| {
        c.config()
            .describe_config_rules(DescribeConfigRulesRequest::default())
    });
    rules
        .map(|r| r.config_rules)
        .unwrap_or_default()
        .into_iter()
        .filter(|r| {
            r.source
                .as_ref()
                .and_then(|s| s.source_identifier.as_deref())
                == Some(source)
        })
        .filter_map(|r| r.config_rule_name)
        .collect()
}

fn recording(p: &mut Probe) -> Verdict {
    let status = p.typed("admin", |c| {
        c.config().describe_configuration_recorder_status(
                DescribeConfigurationRecordersRequest::default(),
            )
    });
    let recording =
        status.is_ok_and(|s| s.configuration_recorders_status.iter().any(|r| r.recording));
    if !recording {
        return Verdict::fail(
            "No configuration recorder is recording (it needs a delivery channel, then StartConfigurationRecorder).",
        );
    }
    match RULES.iter().find(|r| rules_with(p, r).is_empty()) {
        Some(missing) => Verdict::fail(format!("No Config rule uses the managed rule {missing}.")),
        None => Verdict::pass(
            "The recorder records, and ENCRYPTED_VOLUMES, EC2_EBS_ENCRYPTION_BY_DEFAULT and S3_DEFAULT_ENCRYPTION_KMS are in place.",
        ),
    }
}

/// The reporting data volume attached to the server, if any: the original `VOLUME_ID`, or a
/// volume made from a snapshot (the instance's root volume is neither).
fn data_volume(p: &mut Probe) -> Option<Volume> {
    let instance = p.var("INSTANCE_ID");
    let original = p.var("VOLUME_ID");
    p.ec2("admin").volumes().ok()?.into_iter().find(|v| {
        v.attached_to(&instance) && (v.volume_id == original || !v.snapshot_id.is_empty())
    })
}

/// `resource`'s compliance under the rule `name` after an on-demand evaluation.
fn compliance(p: &mut Probe, name: &str, resource: &str) -> Option<String> {
    p.typed("admin", |c| {
        c.config()
            .get_compliance_details_by_config_rule(GetComplianceDetailsByConfigRuleRequest {
                config_rule_name: Some(name.to_owned()),
                limit: Some(100),
                ..Default::default()
            })
    })
    .ok()?
    .evaluation_results
    .into_iter()
    .find(|r| {
        r.evaluation_result_identifier
            .evaluation_result_qualifier
            .resource_id
            == resource
    })
    .map(|r| r.compliance_type)
}

fn findings_compliant(p: &mut Probe) -> Verdict {
    recording(p).and(|| {
        let Some(volume) = data_volume(p) else {
            return Verdict::fail(format!(
                "The reporting server {} has no data volume attached any more.",
                p.var("INSTANCE_ID")
            ));
        };
        let names: Vec<String> = RULES.iter().flat_map(|r| rules_with(p, r)).collect();
        let _ = p.typed("admin", |c| {
            c.config()
                .start_config_rules_evaluation(StartConfigRulesEvaluationRequest {
                    config_rule_names: Some(names),
                })
        });
        let want = [
            ("ENCRYPTED_VOLUMES", volume.volume_id.clone(), "the data volume"),
            ("EC2_EBS_ENCRYPTION_BY_DEFAULT", super::PROD.to_owned(), "the account"),
            ("S3_DEFAULT_ENCRYPTION_KMS", BUCKET.to_owned(), "reports-111122223333"),
        ];
        for (rule, resource, what) in want {
            let names = rules_with(p, rule);
            let ok = names
                .iter()
                .any(|n| compliance(p, n, &resource).as_deref() == Some("COMPLIANT"));
            if !ok {
                return Verdict::fail(format!("{rule} does not find {what} ({resource}) COMPLIANT."));
            }
        }
        match p.s3("admin").get_object(BUCKET, "q3.csv") {
            Ok(_) => Verdict::pass(
                "Config finds the attached data volume, the account's EBS default and reports-111122223333 COMPLIANT, and the reports are still there.",
            ),
            Err(e) => Verdict::fail(format!("q3.csv in reports-111122223333 cannot be read: {}", e.code)),
        }
    })
}

fn deletion_warning(p: &mut Probe) -> Verdict {
    let key = match p
        .kms("admin")
        .create_key("grader: a key to schedule for deletion")
    {
        Ok(k) => k.arn,
        Err(e) => return Verdict::fail(format!("CreateKey failed in the check: {}", e.code)),
    };
    let before = p.session.world.eventbridge().invocations().len();
    let scheduled = p.call(
        "admin",
        "kms",
        "ScheduleKeyDeletion",
        json!({ "KeyId": key, "PendingWindowInDays": 7 }),
    );
    if let Err(e) = scheduled {
        return Verdict::fail(format!(
            "ScheduleKeyDeletion failed in the check: {}",
            e.code
        ));
    }
    let new = p
        .session
        .world
        .eventbridge()
        .invocations()
        .get(before..)
        .unwrap_or_default()
        .to_vec();
    let delivered = new
        .iter()
        .find(|i| i.detail_type == API_CALL && i.outcome == "Delivered");
    match (delivered, new.first()) {
        (Some(i), _) => Verdict::pass(format!(
            "Scheduling a key's deletion reached {} through the rule {}.",
            i.target_arn, i.rule_arn
        )),
        (None, Some(i)) => Verdict::fail(format!(
            "A rule matched the scheduling, but {} refused the delivery: {}.",
            i.target_arn, i.outcome
        )),
        (None, None) => Verdict::fail(
            "Scheduling a key's deletion warned no one: no EventBridge rule delivered the event.",
        ),
    }
}

fn volume_detached(p: &mut Probe) -> Option<Seen> {
    data_volume(p).is_none().then(Seen::it)
}

/// The event patterns of the account's EventBridge rules.
fn patterns(p: &mut Probe) -> Vec<String> {
    p.typed("admin", |c| {
        c.events().list_rules(ListRulesRequest::default())
    })
    .map(|r| r.rules)
    .unwrap_or_default()
    .into_iter()
    .filter_map(|r| r.event_pattern)
    .collect()
}

fn deletion_event_only(p: &mut Probe) -> Option<Seen> {
    let patterns = patterns(p);
    let deletion = patterns.iter().any(|t| t.contains("KMS CMK Deletion"));
    let schedule = patterns.iter().any(|t| t.contains("ScheduleKeyDeletion"));
    (deletion && !schedule).then(Seen::it)
}

fn trail_not_logging(p: &mut Probe) -> Option<Seen> {
    if !patterns(p).iter().any(|t| t.contains(API_CALL)) {
        return None;
    }
    let logging = p
        .typed("admin", |c| {
            c.cloudtrail().get_trail_status(TrailNameRequest {
                name: Some(TRAIL.to_owned()),
            })
        })
        .is_ok_and(|s| s.is_logging);
    (!logging).then(Seen::it)
}

#[cfg(test)]
mod tests {
    use crate::scenario::testing::{passed_ids, run, started, wrong_turn_ids};

    const ID: &str = "config-encryption-compliance";

    const RECORD: &[&str] = &[
        "aws configservice put-configuration-recorder --configuration-recorder name=default,roleARN=arn:aws:iam::111122223333:role/ConfigRecorderRole",
        "aws configservice put-delivery-channel --delivery-channel name=default,s3BucketName=config-bucket-111122223333",
        "aws configservice start-configuration-recorder --configuration-recorder-name default",
        r#"aws configservice put-config-rule --config-rule '{"ConfigRuleName":"a","Source":{"Owner":"AWS","SourceIdentifier":"ENCRYPTED_VOLUMES"}}'"#,
        r#"aws configservice put-config-rule --config-rule '{"ConfigRuleName":"b","Source":{"Owner":"AWS","SourceIdentifier":"EC2_EBS_ENCRYPTION_BY_DEFAULT"}}'"#,
        r#"aws configservice put-config-rule --config-rule '{"ConfigRuleName":"c","Source":{"Owner":"AWS","SourceIdentifier":"S3_DEFAULT_ENCRYPTION_KMS"}}'"#,
    ];

    #[test]
    fn the_rules_find_the_three_resources_noncompliant() {
        let mut s = started(ID, 1);
        for line in RECORD {
            run(&mut s, line);
        }
        let out = s.run_line_in_memory(
            "aws configservice get-compliance-details-by-config-rule --config-rule-name a --query 'EvaluationResults[].ComplianceType' --output text",
        );
        // The attached volume is NON_COMPLIANT, the spare one NOT_APPLICABLE.
        assert!(out.stdout.contains("NON_COMPLIANT"), "{}", out.stdout);
        assert!(out.stdout.contains("NOT_APPLICABLE"), "{}", out.stdout);
        assert_eq!(passed_ids(&s, ID), ["recording"]);
        assert!(wrong_turn_ids(&s, ID).is_empty());
    }

    #[test]
    fn detaching_the_volume_is_not_a_fix() {
        let mut s = started(ID, 1);
        for line in RECORD {
            run(&mut s, line);
        }
        run(&mut s, "aws ec2 detach-volume --volume-id $VOLUME_ID");
        assert_eq!(passed_ids(&s, ID), ["recording"]);
        assert_eq!(wrong_turn_ids(&s, ID), ["volume-detached"]);
    }

    #[test]
    fn api_call_events_need_the_trail_to_log() {
        let mut s = started(ID, 1);
        run(
            &mut s,
            &format!(
                "aws sqs create-queue --queue-name key-deletion-alerts --attributes '{}'",
                super::queue_attributes(
                    "key-deletion-alerts",
                    "events.amazonaws.com",
                    super::RULE_ARN
                )
            ),
        );
        run(
            &mut s,
            &format!(
                "aws events put-rule --name kms-key-deletion-scheduled --event-pattern '{}'",
                super::EVENT_PATTERN
            ),
        );
        run(
            &mut s,
            "aws events put-targets --rule kms-key-deletion-scheduled --targets Id=alerts,Arn=arn:aws:sqs:us-east-1:111122223333:key-deletion-alerts",
        );
        assert!(passed_ids(&s, ID).is_empty());
        assert_eq!(wrong_turn_ids(&s, ID), ["trail-not-logging"]);
        run(
            &mut s,
            "aws cloudtrail start-logging --name management-events",
        );
        assert_eq!(passed_ids(&s, ID), ["deletion-warning"]);
        assert!(wrong_turn_ids(&s, ID).is_empty());
    }

    #[test]
    fn the_deletion_event_comes_too_late() {
        let mut s = started(ID, 1);
        run(
            &mut s,
            "aws cloudtrail start-logging --name management-events",
        );
        run(
            &mut s,
            r#"aws events put-rule --name key-deleted --event-pattern '{"source":["aws.kms"],"detail-type":["KMS CMK Deletion"]}'"#,
        );
        assert!(passed_ids(&s, ID).is_empty());
        assert_eq!(wrong_turn_ids(&s, ID), ["deletion-event-only"]);
    }
}
