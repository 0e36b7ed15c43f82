//! Subscriptions: subscribe (SQS queues confirmed at once), list, unsubscribe.

use super::error::{invalid, required};
use super::model::{
    EmptyResponse, ListRequest, ListSubscriptionsResponse, SubscribeRequest, SubscribeResponse,
    Subscription, TopicArnRequest, UnsubscribeRequest,
};
use super::topic::lookup;
use super::{SnsError, StoredSubscription};
use crate::World;
use crate::cloudtrail::CallAudit;
use crate::context::CallContext;

type Result<T> = std::result::Result<T, SnsError>;

/// The protocols SNS knows.
const PROTOCOLS: &[&str] = &[
    "http",
    "https",
    "email",
    "email-json",
    "sms",
    "sqs",
    "application",
    "lambda",
    "firehose",
];

fn shown(s: &StoredSubscription) -> Subscription {
    Subscription {
        subscription_arn: if s.confirmed {
            s.arn.clone()
        } else {
            "PendingConfirmation".into()
        },
        owner: s.owner.clone(),
        protocol: s.protocol.clone(),
        endpoint: s.endpoint.clone(),
        topic_arn: s.topic_arn.clone(),
    }
}

pub(super) fn subscribe(
    world: &mut World,
    ctx: &CallContext,
    r: &SubscribeRequest,
    audit: &mut CallAudit,
) -> Result<SubscribeResponse> {
    let topic = lookup(world, ctx, &r.topic_arn, "Subscribe", audit)?;
    let protocol = required(&r.protocol, "Protocol")?.to_ascii_lowercase();
    if !PROTOCOLS.contains(&protocol.as_str()) {
        return Err(SnsError::InvalidParameter(
            "Invalid parameter: Amazon SNS does not support this protocol string.".into(),
        ));
    }
    let endpoint = r.endpoint.clone().unwrap_or_default();
    if protocol == "sqs" && crate::sqs::parse_arn(&endpoint).is_none() {
        return Err(SnsError::InvalidParameter(
            "Invalid parameter: SQS endpoint ARN".into(),
        ));
    }
    if endpoint.is_empty() {
        return Err(invalid("Endpoint"));
    }
    let topic_arn = topic.arn();
    if let Some(existing) = world
        .services
        .sns
        .subscriptions
        .values()
        .find(|s| s.topic_arn == topic_arn && s.protocol == protocol && s.endpoint == endpoint)
    {
        return Ok(SubscribeResponse {
            subscription_arn: existing.arn.clone(),
        });
    }
    let arn = format!("{topic_arn}:{}", world.rng.uuid());
    let confirmed = protocol == "sqs";
    world.services.sns.subscriptions.insert(
        arn.clone(),
        StoredSubscription {
            arn: arn.clone(),
            topic_arn,
            protocol,
            endpoint,
            owner: ctx.account.clone(),
            confirmed,
            attributes: r.attributes.clone().unwrap_or_default(),
        },
    );
    Ok(SubscribeResponse {
        subscription_arn: if confirmed || r.return_subscription_arn == Some(true) {
            arn
        } else {
            "pending confirmation".into()
        },
    })
}

pub(super) fn list(
    world: &World,
    ctx: &CallContext,
    _r: &ListRequest,
    audit: &mut CallAudit,
) -> Result<ListSubscriptionsResponse> {
    audit.read_only = true;
    let resource = format!("arn:aws:sns:{}:{}:*", ctx.region, ctx.account);
    let req = crate::sqs::access::ResourceRequest {
        action: "sns:ListSubscriptions".into(),
        resource: &resource,
        owner: &ctx.account,
        policy: None,
        extra: Vec::new(),
    };
    crate::sqs::access::authorize(world, ctx, &req, audit)
        .map_err(|m| SnsError::AuthorizationError(m.replace("sns:", "SNS:")))?;
    let prefix = format!("arn:aws:sns:{}:{}:", ctx.region, ctx.account);
    Ok(ListSubscriptionsResponse {
        subscriptions: world
            .services
            .sns
            .subscriptions
            .values()
            .filter(|s| s.owner == ctx.account || s.topic_arn.starts_with(&prefix))
            .map(shown)
            .collect(),
    })
}

pub(super) fn list_by_topic(
    world: &World,
    ctx: &CallContext,
    r: &TopicArnRequest,
    audit: &mut CallAudit,
) -> Result<ListSubscriptionsResponse> {
    audit.read_only = true;
    let topic = lookup(world, ctx, &r.topic_arn, "ListSubscriptionsByTopic", audit)?;
    let arn = topic.arn();
    Ok(ListSubscriptionsResponse {
        subscriptions: world
            .services
            .sns
            .subscriptions
            .values()
            .filter(|s| s.topic_arn == arn)
            .map(shown)
            .collect(),
    })
}

pub(super) fn unsubscribe(
    world: &mut World,
    ctx: &CallContext,
    r: &UnsubscribeRequest,
    audit: &mut CallAudit,
) -> Result<EmptyResponse> {
    let arn = required(&r.subscription_arn, "SubscriptionArn")?.clone();
    let sub = world
        .services
        .sns
        .subscriptions
        .get(&arn)
        .cloned()
        .ok_or_else(|| SnsError::NotFound("Subscription does not exist".into()))?;
    if world.services.sns.topics.contains_key(&sub.topic_arn) {
        lookup(world, ctx, &Some(sub.topic_arn.clone()), "Unsubscribe", audit)?;
    }
    world.services.sns.subscriptions.remove(&arn);
    Ok(EmptyResponse {})
}
