//! Queues: create (with SSE-SQS on by default), look up, attributes, list, delete, purge.

use std::collections::BTreeMap;

use super::access::{ResourceRequest, authorize, parse_policy};
use super::error::{no_queue, required};
use super::model::{
    CreateQueueRequest, EmptyResponse, GetQueueAttributesRequest, GetQueueAttributesResponse,
    GetQueueUrlRequest, ListQueuesRequest, ListQueuesResponse, QueueUrlRequest, QueueUrlResponse,
    SetQueueAttributesRequest,
};
use super::{DEFAULT_REUSE_SECONDS, SqsError, StoredQueue, parse_url, queue_arn, slot};
use crate::World;
use crate::cloudtrail::CallAudit;
use crate::context::CallContext;

type Result<T> = std::result::Result<T, SqsError>;

/// How long a deleted queue's name stays taken, and a purge blocks the next.
const SIXTY_SECONDS_MS: i64 = 60_000;

/// Checks `sqs:ACTION` on the queue at `slot` for `ctx` (with `extra` condition keys).
pub(crate) fn check(
    world: &World,
    ctx: &CallContext,
    action: &str,
    q: &StoredQueue,
    extra: Vec<(String, Vec<String>)>,
    audit: &mut CallAudit,
) -> Result<()> {
    let arn = q.arn();
    let req = ResourceRequest {
        action: format!("sqs:{action}"),
        resource: &arn,
        owner: &q.account,
        policy: q.attributes.get("Policy").map(String::as_str),
        extra,
    };
    authorize(world, ctx, &req, audit).map_err(SqsError::AccessDenied)
}

/// The queue a URL names (in the caller's Region), authorized for `action`: its slot.
pub(crate) fn lookup(
    world: &World,
    ctx: &CallContext,
    url: &Option<String>,
    action: &str,
    audit: &mut CallAudit,
) -> Result<String> {
    let url = required(url, "QueueUrl")?;
    let (account, region, name) = parse_url(url).ok_or_else(no_queue)?;
    if region != ctx.region {
        return Err(no_queue());
    }
    let key = slot(&account, &region, &name);
    let q = world.services.sqs.queues.get(&key).ok_or_else(no_queue)?;
    audit.resource(&q.account, "AWS::SQS::Queue", &q.arn());
    check(world, ctx, action, q, Vec::new(), audit)?;
    Ok(key)
}

fn invalid_value(name: &str) -> SqsError {
    SqsError::InvalidAttributeValue(format!("Invalid value for the parameter {name}."))
}

fn int_in(name: &str, value: &str, lo: i64, hi: i64) -> Result<()> {
    match value.trim().parse::<i64>() {
        Ok(v) if (lo..=hi).contains(&v) => Ok(()),
        _ => Err(invalid_value(name)),
    }
}

/// Validates attributes as `CreateQueue` (`creating`) or `SetQueueAttributes` takes them.
fn validate(attrs: &BTreeMap<String, String>, creating: bool) -> Result<()> {
    for (name, value) in attrs {
        match name.as_str() {
            "DelaySeconds" => int_in(name, value, 0, 900)?,
            "MaximumMessageSize" => int_in(name, value, 1024, 1_048_576)?,
            "MessageRetentionPeriod" => int_in(name, value, 60, 1_209_600)?,
            "ReceiveMessageWaitTimeSeconds" => int_in(name, value, 0, 20)?,
            "VisibilityTimeout" => int_in(name, value, 0, 43_200)?,
            "KmsDataKeyReusePeriodSeconds" => int_in(name, value, 60, 86_400)?,
            "SqsManagedSseEnabled" | "ContentBasedDeduplication" => {
                if !matches!(value.as_str(), "true" | "false") {
                    return Err(invalid_value(name));
                }
            }
            "FifoQueue" if creating => {
                if !matches!(value.as_str(), "true" | "false") {
                    return Err(invalid_value(name));
                }
            }
            "Policy" => {
                if !value.is_empty() {
                    parse_policy(value, 20_480).map_err(|e| {
                        SqsError::InvalidAttributeValue(format!(
                            "Invalid value for the parameter Policy. Reason: {e}"
                        ))
                    })?;
                }
            }
            "KmsMasterKeyId" | "RedrivePolicy" | "RedriveAllowPolicy" | "DeduplicationScope"
            | "FifoThroughputLimit" => {}
            _ => {
                return Err(SqsError::InvalidAttributeName(format!(
                    "Unknown Attribute {name}."
                )));
            }
        }
    }
    let kms = attrs.get("KmsMasterKeyId").is_some_and(|k| !k.is_empty());
    if kms && attrs.get("SqsManagedSseEnabled").is_some_and(|v| v == "true") {
        return Err(SqsError::InvalidAttributeName(
            "You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.".into(),
        ));
    }
    Ok(())
}

/// A queue's name is 1–80 characters of `[A-Za-z0-9_-]`, plus `.fifo` for a FIFO queue.
fn valid_name(name: &str, fifo: bool) -> bool {
    let base = if fifo {
        name.strip_suffix(".fifo").unwrap_or("")
    } else {
        name
    };
    !base.is_empty()
        && name.len() <= 80
        && base
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Sets `attrs` on `q`: SSE-KMS and SSE-SQS replace each other.
fn apply(q: &mut StoredQueue, attrs: &BTreeMap<String, String>) {
    for (name, value) in attrs {
        q.attributes.insert(name.clone(), value.clone());
    }
    if attrs.get("KmsMasterKeyId").is_some_and(|k| !k.is_empty()) {
        q.attributes
            .insert("SqsManagedSseEnabled".into(), "false".into());
    }
    if attrs.get("SqsManagedSseEnabled").is_some_and(|v| v == "true") {
        q.attributes.remove("KmsMasterKeyId");
    }
    if attrs.contains_key("KmsMasterKeyId") {
        // A new key (or none): producers get a new data key.
        q.producer_keys.clear();
    }
}

pub(super) fn create(
    world: &mut World,
    ctx: &CallContext,
    r: &CreateQueueRequest,
    audit: &mut CallAudit,
) -> Result<QueueUrlResponse> {
    let name = required(&r.queue_name, "QueueName")?.clone();
    let attrs = r.attributes.clone().unwrap_or_default();
    let fifo = attrs.get("FifoQueue").is_some_and(|v| v == "true");
    if !valid_name(&name, fifo) {
        return Err(SqsError::InvalidParameterValue(if fifo {
            "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.".into()
        } else {
            "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length"
                .into()
        }));
    }
    let arn = queue_arn(&ctx.account, &ctx.region, &name);
    let req = ResourceRequest {
        action: "sqs:CreateQueue".into(),
        resource: &arn,
        owner: &ctx.account,
        policy: None,
        extra: Vec::new(),
    };
    authorize(world, ctx, &req, audit).map_err(SqsError::AccessDenied)?;
    validate(&attrs, true)?;
    let key = slot(&ctx.account, &ctx.region, &name);
    let now = world.now_ms();
    if let Some(q) = world.services.sqs.queues.get(&key) {
        // Compared with the queue's values, defaults included: asking again for the default
        // `VisibilityTimeout` of 30 is asking for the same queue.
        let current = all_attributes(q, now);
        let same = |k: &String, v: &String| {
            current
                .get(k)
                .or_else(|| q.attributes.get(k))
                .is_some_and(|c| c.trim() == v.trim())
        };
        if let Some((differs, _)) = attrs.iter().find(|(k, v)| !same(k, v)) {
            return Err(SqsError::QueueNameExists(format!(
                "A queue already exists with the same name and a different value for attribute {differs}"
            )));
        }
        return Ok(QueueUrlResponse { queue_url: q.url() });
    }
    if world
        .services
        .sqs
        .deleted
        .get(&key)
        .is_some_and(|t| now - t < SIXTY_SECONDS_MS)
    {
        return Err(SqsError::QueueDeletedRecently(
            "You must wait 60 seconds after deleting a queue before you can create another with the same name.".into(),
        ));
    }
    let mut q = StoredQueue {
        name,
        account: ctx.account.clone(),
        region: ctx.region.clone(),
        created_ms: now,
        modified_ms: now,
        attributes: BTreeMap::new(),
        tags: r.tags.clone().unwrap_or_default(),
        owned_key: world.rng.bytes(32),
        messages: Vec::new(),
        producer_keys: BTreeMap::new(),
        consumer_keys: BTreeMap::new(),
        purged_ms: None,
    };
    // SSE-SQS is on for new queues unless the request chooses otherwise.
    if !attrs.contains_key("SqsManagedSseEnabled")
        && attrs.get("KmsMasterKeyId").is_none_or(String::is_empty)
    {
        q.attributes
            .insert("SqsManagedSseEnabled".into(), "true".into());
    }
    apply(&mut q, &attrs);
    let resp = QueueUrlResponse { queue_url: q.url() };
    world.services.sqs.deleted.remove(&key);
    world.services.sqs.queues.insert(key, q);
    Ok(resp)
}

pub(super) fn get_url(
    world: &World,
    ctx: &CallContext,
    r: &GetQueueUrlRequest,
    audit: &mut CallAudit,
) -> Result<QueueUrlResponse> {
    audit.read_only = true;
    let name = required(&r.queue_name, "QueueName")?;
    let account = r
        .queue_owner_aws_account_id
        .clone()
        .unwrap_or_else(|| ctx.account.clone());
    let q = world
        .services
        .sqs
        .queues
        .get(&slot(&account, &ctx.region, name))
        .ok_or_else(no_queue)?;
    check(world, ctx, "GetQueueUrl", q, Vec::new(), audit)?;
    Ok(QueueUrlResponse { queue_url: q.url() })
}

/// Every attribute `GetQueueAttributes` can show for `q`.
fn all_attributes(q: &StoredQueue, now: i64) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let visible = q.messages.iter().filter(|m| m.visible_ms <= now).count();
    let in_flight = q
        .messages
        .iter()
        .filter(|m| m.visible_ms > now && m.receipt.is_some())
        .count();
    let delayed = q
        .messages
        .iter()
        .filter(|m| m.visible_ms > now && m.receipt.is_none())
        .count();
    let mut put = |k: &str, v: String| {
        out.insert(k.to_owned(), v);
    };
    put("QueueArn", q.arn());
    put("ApproximateNumberOfMessages", visible.to_string());
    put("ApproximateNumberOfMessagesNotVisible", in_flight.to_string());
    put("ApproximateNumberOfMessagesDelayed", delayed.to_string());
    put("CreatedTimestamp", q.created_ms.div_euclid(1000).to_string());
    put(
        "LastModifiedTimestamp",
        q.modified_ms.div_euclid(1000).to_string(),
    );
    put("VisibilityTimeout", q.int("VisibilityTimeout", 30).to_string());
    put(
        "MaximumMessageSize",
        q.int("MaximumMessageSize", 1_048_576).to_string(),
    );
    put(
        "MessageRetentionPeriod",
        q.int("MessageRetentionPeriod", 345_600).to_string(),
    );
    put("DelaySeconds", q.int("DelaySeconds", 0).to_string());
    put(
        "ReceiveMessageWaitTimeSeconds",
        q.int("ReceiveMessageWaitTimeSeconds", 0).to_string(),
    );
    put("SqsManagedSseEnabled", q.sse_sqs().to_string());
    if let Some(key) = q.kms_key() {
        put("KmsMasterKeyId", key.to_owned());
        put(
            "KmsDataKeyReusePeriodSeconds",
            q.int("KmsDataKeyReusePeriodSeconds", DEFAULT_REUSE_SECONDS)
                .to_string(),
        );
    }
    for name in [
        "Policy",
        "RedrivePolicy",
        "RedriveAllowPolicy",
        "FifoQueue",
        "ContentBasedDeduplication",
        "DeduplicationScope",
        "FifoThroughputLimit",
    ] {
        if let Some(v) = q.attributes.get(name).filter(|v| !v.is_empty()) {
            put(name, v.clone());
        }
    }
    out
}

pub(super) fn get_attributes(
    world: &mut World,
    ctx: &CallContext,
    r: &GetQueueAttributesRequest,
    audit: &mut CallAudit,
) -> Result<GetQueueAttributesResponse> {
    audit.read_only = true;
    let key = lookup(world, ctx, &r.queue_url, "GetQueueAttributes", audit)?;
    let now = world.now_ms();
    super::message::expire(world, &key, now);
    let q = world.services.sqs.queues.get(&key).ok_or_else(no_queue)?;
    let all = all_attributes(q, now);
    let names = r.attribute_names.clone().unwrap_or_default();
    let known = |n: &str| super::model::ATTRIBUTE_NAMES.contains(&n);
    if let Some(bad) = names.iter().find(|n| !known(n)) {
        return Err(SqsError::InvalidAttributeName(format!(
            "Unknown Attribute {bad}."
        )));
    }
    let picked: BTreeMap<String, String> = if names.iter().any(|n| n == "All") {
        all
    } else {
        all.into_iter()
            .filter(|(k, _)| names.iter().any(|n| n == k))
            .collect()
    };
    Ok(GetQueueAttributesResponse {
        attributes: (!picked.is_empty()).then_some(picked),
    })
}

pub(super) fn set_attributes(
    world: &mut World,
    ctx: &CallContext,
    r: &SetQueueAttributesRequest,
    audit: &mut CallAudit,
) -> Result<EmptyResponse> {
    let key = lookup(world, ctx, &r.queue_url, "SetQueueAttributes", audit)?;
    let attrs = required(&r.attributes, "Attributes")?.clone();
    validate(&attrs, false)?;
    let now = world.now_ms();
    if let Some(q) = world.services.sqs.queues.get_mut(&key) {
        apply(q, &attrs);
        q.modified_ms = now;
    }
    Ok(EmptyResponse {})
}

pub(super) fn list(
    world: &World,
    ctx: &CallContext,
    r: &ListQueuesRequest,
    audit: &mut CallAudit,
) -> Result<ListQueuesResponse> {
    audit.read_only = true;
    let resource = format!("arn:aws:sqs:{}:{}:*", ctx.region, ctx.account);
    let req = ResourceRequest {
        action: "sqs:ListQueues".into(),
        resource: &resource,
        owner: &ctx.account,
        policy: None,
        extra: Vec::new(),
    };
    authorize(world, ctx, &req, audit).map_err(SqsError::AccessDenied)?;
    let prefix = r.queue_name_prefix.clone().unwrap_or_default();
    let max = match r.max_results {
        None => 1000,
        Some(n) if (1..=1000).contains(&n) => usize::try_from(n).unwrap_or(1000),
        Some(n) => {
            return Err(SqsError::InvalidParameterValue(format!(
                "Value {n} for parameter MaxResults is invalid. Reason: MaxResults must be an integer between 1 and 1000."
            )));
        }
    };
    let skip: usize = r
        .next_token
        .as_deref()
        .and_then(|t| t.parse().ok())
        .unwrap_or(0);
    let urls: Vec<String> = world
        .services
        .sqs
        .queues
        .values()
        .filter(|q| q.account == ctx.account && q.region == ctx.region)
        .filter(|q| q.name.starts_with(&prefix))
        .map(StoredQueue::url)
        .collect();
    let page: Vec<String> = urls.iter().skip(skip).take(max).cloned().collect();
    let next = (r.max_results.is_some() && skip + page.len() < urls.len())
        .then(|| (skip + page.len()).to_string());
    Ok(ListQueuesResponse {
        queue_urls: (!page.is_empty()).then_some(page),
        next_token: next,
    })
}

pub(super) fn delete(
    world: &mut World,
    ctx: &CallContext,
    r: &QueueUrlRequest,
    audit: &mut CallAudit,
) -> Result<EmptyResponse> {
    let key = lookup(world, ctx, &r.queue_url, "DeleteQueue", audit)?;
    let now = world.now_ms();
    world.services.sqs.queues.remove(&key);
    world.services.sqs.deleted.insert(key, now);
    Ok(EmptyResponse {})
}

pub(super) fn purge(
    world: &mut World,
    ctx: &CallContext,
    r: &QueueUrlRequest,
    audit: &mut CallAudit,
) -> Result<EmptyResponse> {
    let key = lookup(world, ctx, &r.queue_url, "PurgeQueue", audit)?;
    let now = world.now_ms();
    let q = world
        .services
        .sqs
        .queues
        .get_mut(&key)
        .ok_or_else(no_queue)?;
    if q.purged_ms.is_some_and(|t| now - t < SIXTY_SECONDS_MS) {
        return Err(SqsError::PurgeQueueInProgress(format!(
            "Only one PurgeQueue operation on {} is allowed every 60 seconds.",
            q.name
        )));
    }
    q.messages.clear();
    q.purged_ms = Some(now);
    Ok(EmptyResponse {})
}
