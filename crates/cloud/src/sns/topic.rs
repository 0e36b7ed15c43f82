//! Topics: create, attributes, list, delete, and the access check every topic operation makes.

use std::collections::BTreeMap;

use serde_json::json;

use super::error::{no_topic, required};
use super::model::{
    AttributesResponse, CreateTopicRequest, EmptyResponse, ListRequest, ListTopicsResponse,
    SetTopicAttributesRequest, TopicArnRequest, TopicArnResponse,
};
use super::{SnsError, StoredTopic};
use crate::World;
use crate::cloudtrail::CallAudit;
use crate::context::{CallContext, IdentityType};
use crate::sqs::access::{ResourceRequest, authorize, parse_policy};

type Result<T> = std::result::Result<T, SnsError>;

/// The policy SNS gives a new topic: every principal of the owner account may manage it and
/// publish (`AWS:SourceOwner`), which still needs the caller's own IAM permissions across
/// accounts.
fn default_policy(arn: &str, account: &str) -> String {
    json!({
        "Version": "2008-10-17",
        "Id": "__default_policy_ID",
        "Statement": [{
            "Sid": "__default_statement_ID",
            "Effect": "Allow",
            "Principal": { "AWS": "*" },
            "Action": [
                "SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:AddPermission",
                "SNS:RemovePermission", "SNS:DeleteTopic", "SNS:Subscribe",
                "SNS:ListSubscriptionsByTopic", "SNS:Publish"
            ],
            "Resource": arn,
            "Condition": { "StringEquals": { "AWS:SourceOwner": account } }
        }]
    })
    .to_string()
}

/// Checks `sns:ACTION` on `topic` for `ctx`; `extra` adds condition keys (`aws:SourceArn` of
/// a service principal).
pub(crate) fn check(
    world: &World,
    ctx: &CallContext,
    action: &str,
    topic: &StoredTopic,
    mut extra: Vec<(String, Vec<String>)>,
    audit: &mut CallAudit,
) -> Result<()> {
    let arn = topic.arn();
    if ctx.identity_type != IdentityType::AWSService {
        extra.push(("aws:SourceOwner".into(), vec![ctx.account.clone()]));
    }
    let req = ResourceRequest {
        action: format!("sns:{action}"),
        resource: &arn,
        owner: &topic.account,
        policy: topic.attributes.get("Policy").map(String::as_str),
        extra,
    };
    authorize(world, ctx, &req, audit)
        .map_err(|m| SnsError::AuthorizationError(m.replace("sns:", "SNS:")))
}

/// The topic an ARN names, authorized for `action`.
pub(crate) fn lookup(
    world: &World,
    ctx: &CallContext,
    arn: &Option<String>,
    action: &str,
    audit: &mut CallAudit,
) -> Result<StoredTopic> {
    let arn = required(arn, "TopicArn")?;
    let topic = world
        .services
        .sns
        .topics
        .get(arn)
        .filter(|t| t.region == ctx.region)
        .ok_or_else(no_topic)?;
    audit.resource(&topic.account, "AWS::SNS::Topic", arn);
    check(world, ctx, action, topic, Vec::new(), audit)?;
    Ok(topic.clone())
}

/// The attributes SNS takes on a topic.
const SETTABLE: &[&str] = &[
    "DeliveryPolicy",
    "DisplayName",
    "Policy",
    "TracingConfig",
    "KmsMasterKeyId",
    "SignatureVersion",
    "FifoTopic",
    "ContentBasedDeduplication",
    "ArchivePolicy",
    "FifoThroughputScope",
];

fn validate(name: &str, value: &str) -> Result<()> {
    if !SETTABLE.contains(&name) {
        return Err(SnsError::InvalidParameter(
            "Invalid parameter: AttributeName".into(),
        ));
    }
    if name == "Policy" && !value.is_empty() {
        parse_policy(value, 30_720).map_err(|e| {
            SnsError::InvalidParameter(format!("Invalid parameter: Policy Error: {e}"))
        })?;
    }
    Ok(())
}

fn valid_name(name: &str) -> bool {
    let base = name.strip_suffix(".fifo").unwrap_or(name);
    !base.is_empty()
        && name.len() <= 256
        && base
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

pub(super) fn create(
    world: &mut World,
    ctx: &CallContext,
    r: &CreateTopicRequest,
    audit: &mut CallAudit,
) -> Result<TopicArnResponse> {
    let name = required(&r.name, "Name")?.clone();
    if !valid_name(&name) {
        return Err(SnsError::InvalidParameter(
            "Invalid parameter: Topic Name".into(),
        ));
    }
    let arn = format!("arn:aws:sns:{}:{}:{name}", ctx.region, ctx.account);
    let req = ResourceRequest {
        action: "sns:CreateTopic".into(),
        resource: &arn,
        owner: &ctx.account,
        policy: None,
        extra: Vec::new(),
    };
    authorize(world, ctx, &req, audit)
        .map_err(|m| SnsError::AuthorizationError(m.replace("sns:", "SNS:")))?;
    let attrs = r.attributes.clone().unwrap_or_default();
    for (k, v) in &attrs {
        validate(k, v)?;
    }
    if let Some(existing) = world.services.sns.topics.get(&arn) {
        // CreateTopic is idempotent for the same attributes.
        if attrs
            .iter()
            .any(|(k, v)| existing.attributes.get(k) != Some(v))
        {
            return Err(SnsError::InvalidParameter(
                "Invalid parameter: Attributes Reason: Topic already exists with different attributes".into(),
            ));
        }
        return Ok(TopicArnResponse { topic_arn: arn });
    }
    let mut attributes = BTreeMap::new();
    attributes.insert("Policy".to_owned(), default_policy(&arn, &ctx.account));
    attributes.insert("DisplayName".to_owned(), String::new());
    attributes.extend(attrs);
    let topic = StoredTopic {
        name,
        account: ctx.account.clone(),
        region: ctx.region.clone(),
        created_ms: world.now_ms(),
        attributes,
    };
    world.services.sns.topics.insert(arn.clone(), topic);
    Ok(TopicArnResponse { topic_arn: arn })
}

pub(super) fn get_attributes(
    world: &World,
    ctx: &CallContext,
    r: &TopicArnRequest,
    audit: &mut CallAudit,
) -> Result<AttributesResponse> {
    audit.read_only = true;
    let t = lookup(world, ctx, &r.topic_arn, "GetTopicAttributes", audit)?;
    let arn = t.arn();
    let subs: Vec<_> = world
        .services
        .sns
        .subscriptions
        .values()
        .filter(|s| s.topic_arn == arn)
        .collect();
    let mut a: BTreeMap<String, String> = t
        .attributes
        .iter()
        .filter(|(k, v)| !v.is_empty() || *k == "DisplayName")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    a.insert("TopicArn".into(), arn.clone());
    a.insert("Owner".into(), t.account.clone());
    a.insert(
        "SubscriptionsConfirmed".into(),
        subs.iter().filter(|s| s.confirmed).count().to_string(),
    );
    a.insert(
        "SubscriptionsPending".into(),
        subs.iter().filter(|s| !s.confirmed).count().to_string(),
    );
    a.insert("SubscriptionsDeleted".into(), "0".into());
    a.insert(
        "EffectiveDeliveryPolicy".into(),
        r#"{"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":20,"maxDelayTarget":20,"numRetries":3,"numMaxDelayRetries":0,"numNoDelayRetries":0,"numMinDelayRetries":0,"backoffFunction":"linear"},"disableSubscriptionOverrides":false,"defaultRequestPolicy":{"headerContentType":"text/plain; charset=UTF-8"}}}"#.into(),
    );
    Ok(AttributesResponse { attributes: a })
}

pub(super) fn set_attributes(
    world: &mut World,
    ctx: &CallContext,
    r: &SetTopicAttributesRequest,
    audit: &mut CallAudit,
) -> Result<EmptyResponse> {
    let t = lookup(world, ctx, &r.topic_arn, "SetTopicAttributes", audit)?;
    let name = required(&r.attribute_name, "AttributeName")?;
    let value = r.attribute_value.clone().unwrap_or_default();
    validate(name, &value)?;
    if let Some(topic) = world.services.sns.topics.get_mut(&t.arn()) {
        topic.attributes.insert(name.clone(), value);
    }
    Ok(EmptyResponse {})
}

pub(super) fn list(
    world: &World,
    ctx: &CallContext,
    _r: &ListRequest,
    audit: &mut CallAudit,
) -> Result<ListTopicsResponse> {
    audit.read_only = true;
    let resource = format!("arn:aws:sns:{}:{}:*", ctx.region, ctx.account);
    let req = ResourceRequest {
        action: "sns:ListTopics".into(),
        resource: &resource,
        owner: &ctx.account,
        policy: None,
        extra: Vec::new(),
    };
    authorize(world, ctx, &req, audit)
        .map_err(|m| SnsError::AuthorizationError(m.replace("sns:", "SNS:")))?;
    Ok(ListTopicsResponse {
        topics: world
            .services
            .sns
            .topics
            .values()
            .filter(|t| t.account == ctx.account && t.region == ctx.region)
            .map(|t| TopicArnResponse { topic_arn: t.arn() })
            .collect(),
    })
}

pub(super) fn delete(
    world: &mut World,
    ctx: &CallContext,
    r: &TopicArnRequest,
    audit: &mut CallAudit,
) -> Result<EmptyResponse> {
    // Deleting a topic that does not exist succeeds, as in AWS.
    let arn = required(&r.topic_arn, "TopicArn")?.clone();
    if !world.services.sns.topics.contains_key(&arn) {
        return Ok(EmptyResponse {});
    }
    lookup(world, ctx, &r.topic_arn, "DeleteTopic", audit)?;
    world.services.sns.topics.remove(&arn);
    world
        .services
        .sns
        .subscriptions
        .retain(|_, s| s.topic_arn != arn);
    Ok(EmptyResponse {})
}
