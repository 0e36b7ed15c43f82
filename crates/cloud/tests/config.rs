//! AWS Config: the recorder and delivery channel prerequisites (with AWS's codes and messages),
//! rules by source identifier (an unknown one is refused), their scope and the recording group,
//! the result shapes, and hostile input. Each managed rule's own check is in `config_rules.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
mod config_support;

use config_support::*;

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
    // A real managed rule the lab does not model gets the same answer, and the lab's hint.
    let e = cfg_err(
        &mut lab,
        "PutConfigRule",
        json!({ "ConfigRule": { "ConfigRuleName": "tags", "Source": { "Owner": "AWS", "SourceIdentifier": "REQUIRED_TAGS" } } }),
    );
    assert_eq!(e.code, "InvalidParameterValueException");
    assert!(
        e.hint.as_deref().unwrap().contains("ENCRYPTED_VOLUMES"),
        "{e:?}"
    );
    assert!(!e.message.contains("lab"));
    let e = cfg_err(
        &mut lab,
        "PutConfigRule",
        json!({ "ConfigRule": { "ConfigRuleName": "t2", "Source": { "Owner": "CUSTOM_LAMBDA",
            "SourceIdentifier": "arn:aws:lambda:us-east-1:111122223333:function:InstanceTypeCheck",
            "SourceDetails": [{ "EventSource": "aws.config", "MessageType": "ConfigurationItemChangeNotification" }] } } }),
    );
    assert_eq!(e.code, "InsufficientPermissionsException");
    assert_eq!(
        e.message,
        "The AWS Lambda function arn:aws:lambda:us-east-1:111122223333:function:InstanceTypeCheck cannot be invoked. Check the specified function ARN, and check the function's permissions."
    );
    let e = cfg_err(
        &mut lab,
        "PutConfigRule",
        json!({ "ConfigRule": { "ConfigRuleName": "x", "MaximumExecutionFrequency": "One_Hour",
            "Source": { "Owner": "AWS", "SourceIdentifier": "ENCRYPTED_VOLUMES" } } }),
    );
    assert_eq!(
        e.message,
        "A maximum execution frequency for this rule is not allowed because only a change in resources triggers this managed rule."
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
    assert_eq!(
        e.message,
        "Unknown parameters provided in the inputParameters: {\"kmsid\":\"x\"}"
    );
    let e = cfg_err(
        &mut lab,
        "PutConfigRule",
        json!({ "ConfigRule": { "ConfigRuleName": "vols", "InputParameters": "{kmsId:",
            "Source": { "Owner": "AWS", "SourceIdentifier": "ENCRYPTED_VOLUMES" } } }),
    );
    assert_eq!(
        e.message,
        "Invalid json {kmsId: passed in the InputParameters field"
    );
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

#[test]
fn config_state_saves_and_loads_and_old_state_files_still_load() {
    let mut lab = enabled();
    table(&mut lab, "Music");
    put_rule(&mut lab, "ddb", "DYNAMODB_TABLE_ENCRYPTED_KMS", None);
    let saved = serde_json::to_value(&lab.w).unwrap();
    assert!(saved.get("config").is_some());
    let mut loaded = Lab {
        w: serde_json::from_value::<World>(saved.clone()).unwrap(),
        admin: lab.admin.clone(),
    };
    assert_eq!(results(&mut loaded, "ddb"), results(&mut lab, "ddb"));
    // A state file saved before Config existed has no `config` member.
    let mut old = saved;
    old.as_object_mut().unwrap().remove("config");
    let w = serde_json::from_value::<World>(old).unwrap();
    assert_eq!(w.config().rule_count(), 0);
}

#[test]
fn the_typed_client_goes_through_the_same_seam() {
    use cloud::config::model::{
        ConfigRule, DescribeComplianceByConfigRuleRequest, PutConfigRuleRequest, Source,
    };
    let mut lab = enabled();
    let admin = lab.admin.clone();
    let before = lab.w.event_counters().total;
    let mut client = lab.w.client(&admin).config();
    client
        .put_config_rule(PutConfigRuleRequest {
            config_rule: Some(ConfigRule {
                config_rule_name: Some("ebs-default".into()),
                source: Some(Source {
                    owner: Some("AWS".into()),
                    source_identifier: Some("EC2_EBS_ENCRYPTION_BY_DEFAULT".into()),
                    ..Source::default()
                }),
                ..ConfigRule::default()
            }),
            ..PutConfigRuleRequest::default()
        })
        .unwrap();
    let c = client
        .describe_compliance_by_config_rule(DescribeComplianceByConfigRuleRequest::default())
        .unwrap();
    assert_eq!(
        c.compliance_by_config_rules[0].compliance.compliance_type,
        "NON_COMPLIANT"
    );
    let e = client
        .delete_config_rule(cloud::config::model::DeleteConfigRuleRequest {
            config_rule_name: Some("nope".into()),
        })
        .unwrap_err();
    assert_eq!(e.code(), "NoSuchConfigRuleException");
    assert_eq!(lab.w.event_counters().total, before + 3);
}

/// A Custom Policy rule: AWS requires its Guard policy and accepts a rule that has one; the
/// lab, which does not run Guard, refuses both without putting its reason in AWS's message.
#[test]
fn custom_policy_rules_are_refused_with_the_reason_in_the_hint() {
    let mut lab = enabled();
    let rule = |details: Option<Value>| {
        let mut source = json!({ "Owner": "CUSTOM_POLICY" });
        if let Some(d) = details {
            source["CustomPolicyDetails"] = d;
        }
        json!({ "ConfigRule": { "ConfigRuleName": "guard", "Source": source } })
    };
    let e = cfg_err(&mut lab, "PutConfigRule", rule(None));
    assert_eq!(e.code, "InvalidParameterValueException");
    assert_eq!(
        e.message,
        "CustomPolicyDetails is required when Owner is set to CUSTOM_POLICY."
    );
    assert!(e.hint.as_deref().unwrap().contains("Guard"));
    let e = cfg_err(
        &mut lab,
        "PutConfigRule",
        rule(Some(
            json!({ "PolicyRuntime": "guard-2.x.x", "PolicyText": "let x = 1" }),
        )),
    );
    assert_eq!(e.code, "InvalidParameterValueException");
    assert_eq!(e.message, "", "no lab text in AWS's message");
    assert!(
        e.hint
            .as_deref()
            .unwrap()
            .contains("does not evaluate Guard")
    );
}
