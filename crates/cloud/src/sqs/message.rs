//! Messages: send (sealed on arrival), receive (opened for the consumer, hidden for the
//! visibility timeout on the world's clock), delete by receipt handle, and what AWS services
//! deliver as their service principals.

use std::collections::BTreeMap;

use base64::Engine as _;

use super::error::{no_queue, required};
use super::model::{
    DeleteMessageRequest, EmptyResponse, Message, ReceiveMessageRequest, ReceiveMessageResponse,
    SendMessageRequest, SendMessageResponse,
};
use super::queue::{check, lookup};
use super::{SqsError, StoredMessage, md5, parse_arn, slot, sse};
use crate::World;
use crate::cloudtrail::CallAudit;
use crate::context::CallContext;

type Result<T> = std::result::Result<T, SqsError>;

fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

/// Drops the messages of the queue at `key` older than its retention period.
pub(crate) fn expire(world: &mut World, key: &str, now: i64) {
    if let Some(q) = world.services.sqs.queues.get_mut(key) {
        let keep_ms = q.int("MessageRetentionPeriod", 345_600) * 1000;
        q.messages.retain(|m| now - m.sent_ms < keep_ms);
        q.producer_keys.retain(|_, c| c.until_ms > now);
        q.consumer_keys.retain(|_, c| c.until_ms > now);
    }
}

/// Seals and stores `body` on the queue at `key`, sent by `ctx`: its message id and MD5.
fn store(
    world: &mut World,
    ctx: &CallContext,
    key: &str,
    body: &str,
    delay: Option<i64>,
    audit: &mut CallAudit,
) -> Result<SendMessageResponse> {
    let q = world.services.sqs.queues.get(key).ok_or_else(no_queue)?;
    let max = q.int("MaximumMessageSize", 1_048_576);
    if body.is_empty() {
        return Err(SqsError::MissingParameter(
            "The request must contain the parameter MessageBody.".into(),
        ));
    }
    if i64::try_from(body.len()).unwrap_or(i64::MAX) > max {
        return Err(SqsError::InvalidParameterValue(format!(
            "One or more parameters are invalid. Reason: Message must be shorter than {max} bytes."
        )));
    }
    let delay = match delay {
        Some(d) if !(0..=900).contains(&d) => {
            return Err(SqsError::InvalidParameterValue(format!(
                "Value {d} for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900."
            )));
        }
        Some(d) => d,
        None => q.int("DelaySeconds", 0),
    };
    let sealed = sse::seal(world, ctx, key, body.as_bytes(), audit)?;
    let now = world.now_ms();
    let id = world.rng.uuid();
    let md5 = md5::hex_digest(body.as_bytes());
    let q = world
        .services
        .sqs
        .queues
        .get_mut(key)
        .ok_or_else(no_queue)?;
    q.messages.push(StoredMessage {
        id: id.clone(),
        body: sealed.body,
        key: sealed.key,
        wrapped_key: sealed.wrapped,
        sse_sqs: sealed.sse_sqs,
        md5: md5.clone(),
        sent_ms: now,
        visible_ms: now + delay * 1000,
        receive_count: 0,
        first_receive_ms: None,
        receipt: None,
        sender_id: ctx.principal_id.clone(),
    });
    Ok(SendMessageResponse {
        md5_of_message_body: md5,
        message_id: id,
    })
}

pub(super) fn send(
    world: &mut World,
    ctx: &CallContext,
    r: &SendMessageRequest,
    audit: &mut CallAudit,
) -> Result<SendMessageResponse> {
    let key = lookup(world, ctx, &r.queue_url, "SendMessage", audit)?;
    let body = required(&r.message_body, "MessageBody")?;
    let fifo = world
        .services
        .sqs
        .queues
        .get(&key)
        .is_some_and(|q| q.attributes.get("FifoQueue").is_some_and(|v| v == "true"));
    if fifo {
        // FIFO order and deduplication are not modelled; the group id is still required.
        required(&r.message_group_id, "MessageGroupId")?;
        if r.delay_seconds.is_some_and(|d| d != 0) {
            return Err(SqsError::InvalidParameterValue(format!(
                "Value {} for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.",
                r.delay_seconds.unwrap_or_default()
            )));
        }
    }
    let now = world.now_ms();
    expire(world, &key, now);
    store(world, ctx, &key, body, r.delay_seconds, audit)
}

/// An AWS service (`ctx`: its service principal) delivering `body` to the queue `queue_arn`
/// for the resource `source_arn` (an SNS topic, an EventBridge rule): the queue policy must
/// allow it (`aws:SourceArn`, `aws:SourceAccount`), and an SSE-KMS queue's key must let the
/// principal generate a data key. The message id on success.
pub(crate) fn deliver(
    world: &mut World,
    ctx: &CallContext,
    queue_arn: &str,
    body: &str,
    source_arn: &str,
    audit: &mut CallAudit,
) -> Result<String> {
    let (account, region, name) = parse_arn(queue_arn).ok_or_else(no_queue)?;
    let key = slot(&account, &region, &name);
    let q = world.services.sqs.queues.get(&key).ok_or_else(no_queue)?;
    let source_account = source_arn.split(':').nth(4).unwrap_or_default().to_owned();
    let extra = vec![
        ("aws:SourceArn".to_owned(), vec![source_arn.to_owned()]),
        ("aws:SourceAccount".to_owned(), vec![source_account]),
    ];
    check(world, ctx, "SendMessage", q, extra, audit)?;
    let now = world.now_ms();
    expire(world, &key, now);
    let sender = crate::service_kms::in_region(ctx, &region);
    store(world, &sender, &key, body, None, audit).map(|r| r.message_id)
}

/// The system attributes of a received message that `names` ask for.
fn system_attributes(
    m: &StoredMessage,
    names: &[String],
) -> Option<BTreeMap<String, String>> {
    let all = names.iter().any(|n| n == "All");
    let mut out = BTreeMap::new();
    let mut put = |k: &str, v: String| {
        if all || names.iter().any(|n| n == k) {
            out.insert(k.to_owned(), v);
        }
    };
    put("SenderId", m.sender_id.clone());
    put("SentTimestamp", m.sent_ms.to_string());
    put("ApproximateReceiveCount", m.receive_count.to_string());
    put(
        "ApproximateFirstReceiveTimestamp",
        m.first_receive_ms.unwrap_or(m.sent_ms).to_string(),
    );
    (!out.is_empty()).then_some(out)
}

pub(super) fn receive(
    world: &mut World,
    ctx: &CallContext,
    r: &ReceiveMessageRequest,
    audit: &mut CallAudit,
) -> Result<ReceiveMessageResponse> {
    let key = lookup(world, ctx, &r.queue_url, "ReceiveMessage", audit)?;
    let max = r.max_number_of_messages.unwrap_or(1);
    if !(1..=10).contains(&max) {
        return Err(SqsError::InvalidParameterValue(format!(
            "Value {max} for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided."
        )));
    }
    if let Some(w) = r.wait_time_seconds.filter(|w| !(0..=20).contains(w)) {
        return Err(SqsError::InvalidParameterValue(format!(
            "Value {w} for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided."
        )));
    }
    let now = world.now_ms();
    expire(world, &key, now);
    let q = world.services.sqs.queues.get(&key).ok_or_else(no_queue)?;
    let timeout = match r.visibility_timeout {
        Some(v) if !(0..=43_200).contains(&v) => {
            return Err(SqsError::InvalidParameterValue(format!(
                "Value {v} for parameter VisibilityTimeout is invalid. Reason: Must be >= 0 and <= 43200, if provided."
            )));
        }
        Some(v) => v,
        None => q.int("VisibilityTimeout", 30),
    };
    let due: Vec<usize> = q
        .messages
        .iter()
        .enumerate()
        .filter(|(_, m)| m.visible_ms <= now)
        .map(|(i, _)| i)
        .take(usize::try_from(max).unwrap_or(1))
        .collect();
    let mut names = r.attribute_names.clone().unwrap_or_default();
    names.extend(r.message_system_attribute_names.clone().unwrap_or_default());
    // Every body is opened before any message is hidden: a KMS refusal fails the whole call
    // and leaves every message visible.
    let mut opened = Vec::new();
    for i in due {
        opened.push((i, sse::open(world, ctx, &key, i, audit)?));
    }
    let mut out = Vec::new();
    for (i, body) in opened {
        let handle_bytes: [u8; 16] = world.rng.array();
        let q = world
            .services
            .sqs
            .queues
            .get_mut(&key)
            .ok_or_else(no_queue)?;
        let Some(m) = q.messages.get_mut(i) else {
            continue;
        };
        let handle = b64().encode([handle_bytes.as_slice(), m.id.as_bytes()].concat());
        m.receive_count += 1;
        m.first_receive_ms.get_or_insert(now);
        m.visible_ms = now + timeout * 1000;
        m.receipt = Some(handle.clone());
        out.push(Message {
            message_id: m.id.clone(),
            receipt_handle: handle,
            md5_of_body: m.md5.clone(),
            body: String::from_utf8_lossy(&body).into_owned(),
            attributes: system_attributes(m, &names),
        });
    }
    Ok(ReceiveMessageResponse {
        messages: (!out.is_empty()).then_some(out),
    })
}

pub(super) fn delete(
    world: &mut World,
    ctx: &CallContext,
    r: &DeleteMessageRequest,
    audit: &mut CallAudit,
) -> Result<EmptyResponse> {
    let key = lookup(world, ctx, &r.queue_url, "DeleteMessage", audit)?;
    let handle = required(&r.receipt_handle, "ReceiptHandle")?;
    let valid = b64()
        .decode(handle.as_bytes())
        .is_ok_and(|b| b.len() > 16);
    if !valid {
        return Err(SqsError::ReceiptHandleIsInvalid(format!(
            "The input receipt handle \"{handle}\" is not a valid receipt handle."
        )));
    }
    if let Some(q) = world.services.sqs.queues.get_mut(&key) {
        // A handle of an earlier receipt, or of a message already deleted, deletes nothing
        // and is not an error (standard queues).
        q.messages
            .retain(|m| m.receipt.as_deref() != Some(handle.as_str()));
    }
    Ok(EmptyResponse {})
}
