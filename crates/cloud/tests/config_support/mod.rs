//! What the AWS Config tests share: calls, a world with Config enabled, rules and their results.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[allow(unused_imports, reason = "each test binary uses a part")]
pub use crate::common::{DAY, Lab};
pub use cloud::{AwsError, CallContext, PROD_ACCOUNT, World};
pub use serde_json::{Value, json};

pub const BUCKET: &str = "config-bucket-111122223333";
pub const ROLE: &str = "arn:aws:iam::111122223333:role/ConfigRecorderRole";
pub const SLR: &str =
    "arn:aws:iam::111122223333:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig";

pub fn call(
    w: &mut World,
    c: &CallContext,
    service: &str,
    op: &str,
    input: Value,
) -> Result<Value, AwsError> {
    w.call(c, service, op, input)
}

pub fn ok(lab: &mut Lab, service: &str, op: &str, input: Value) -> Value {
    let admin = lab.admin.clone();
    let out = call(&mut lab.w, &admin, service, op, input.clone())
        .unwrap_or_else(|e| panic!("{service} {op} {input}: {e}"));
    // What it creates is waited for, as a learner waits (`aws ec2 wait volume-available`).
    if crate::common::creates_a_resource(op) {
        lab.w.advance_clock(crate::common::READY_MS);
    }
    out
}

pub fn err(lab: &mut Lab, service: &str, op: &str, input: Value) -> AwsError {
    let admin = lab.admin.clone();
    match call(&mut lab.w, &admin, service, op, input.clone()) {
        Ok(v) => panic!("{service} {op} {input} unexpectedly succeeded: {v}"),
        Err(e) => e,
    }
}

pub fn cfg(lab: &mut Lab, op: &str, input: Value) -> Value {
    ok(lab, "configservice", op, input)
}

pub fn cfg_err(lab: &mut Lab, op: &str, input: Value) -> AwsError {
    err(lab, "configservice", op, input)
}

/// A bucket, a recorder with a custom role, the default channel, recording.
pub fn enabled() -> Lab {
    let mut lab = Lab::new();
    ok(&mut lab, "s3", "CreateBucket", json!({ "Bucket": BUCKET }));
    cfg(
        &mut lab,
        "PutConfigurationRecorder",
        json!({ "ConfigurationRecorder": { "name": "default", "roleARN": ROLE } }),
    );
    cfg(
        &mut lab,
        "PutDeliveryChannel",
        json!({ "DeliveryChannel": { "name": "default", "s3BucketName": BUCKET } }),
    );
    cfg(
        &mut lab,
        "StartConfigurationRecorder",
        json!({ "ConfigurationRecorderName": "default" }),
    );
    lab
}

pub fn put_rule(lab: &mut Lab, name: &str, identifier: &str, params: Option<Value>) {
    let mut rule = json!({ "ConfigRuleName": name,
        "Source": { "Owner": "AWS", "SourceIdentifier": identifier } });
    if let Some(p) = params {
        rule["InputParameters"] = json!(p.to_string());
    }
    cfg(lab, "PutConfigRule", json!({ "ConfigRule": rule }));
}

/// The rule's results as (resource type, resource id, compliance), sorted.
pub fn results(lab: &mut Lab, rule: &str) -> Vec<(String, String, String)> {
    let out = cfg(
        lab,
        "GetComplianceDetailsByConfigRule",
        json!({ "ConfigRuleName": rule, "Limit": 100 }),
    );
    let mut v: Vec<(String, String, String)> = out["EvaluationResults"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let q = &r["EvaluationResultIdentifier"]["EvaluationResultQualifier"];
            (
                q["ResourceType"].as_str().unwrap().to_owned(),
                q["ResourceId"].as_str().unwrap().to_owned(),
                r["ComplianceType"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    v.sort();
    v
}

pub fn one(t: &str, id: &str, c: &str) -> (String, String, String) {
    (t.to_owned(), id.to_owned(), c.to_owned())
}

pub fn rule_compliance(lab: &mut Lab, rule: &str) -> Value {
    cfg(
        lab,
        "DescribeComplianceByConfigRule",
        json!({ "ConfigRuleNames": [rule] }),
    )["ComplianceByConfigRules"][0]["Compliance"]
        .clone()
}

pub fn evaluate(lab: &mut Lab, rule: &str) {
    cfg(
        lab,
        "StartConfigRulesEvaluation",
        json!({ "ConfigRuleNames": [rule] }),
    );
}

pub fn table(lab: &mut Lab, name: &str) {
    ok(
        lab,
        "dynamodb",
        "CreateTable",
        json!({
            "TableName": name,
            "AttributeDefinitions": [{ "AttributeName": "Artist", "AttributeType": "S" }],
            "KeySchema": [{ "AttributeName": "Artist", "KeyType": "HASH" }],
            "BillingMode": "PAY_PER_REQUEST"
        }),
    );
}
