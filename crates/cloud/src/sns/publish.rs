//! Publishing: the message sealed under a data key of the topic's key (as the publisher,
//! through SNS), then delivered to each confirmed SQS subscription as `sns.amazonaws.com`.
//! Deliveries the queue or its key refuse are lost and kept in the failure log.

use serde_json::json;

use super::error::{from_kms, no_topic, required};
use super::model::{PublishRequest, PublishResponse};
use super::topic::check;
use super::{DeliveryFailure, MAX_FAILURES, SnsError, StoredTopic};
use crate::World;
use crate::cloudtrail::CallAudit;
use crate::context::{CallContext, IdentityType};
use crate::kms::model::{Blob, DecryptRequest, GenerateDataKeyRequest};
use crate::kms::{KmsRequest, KmsResponse};
use crate::service_kms::in_region;

type Result<T> = std::result::Result<T, SnsError>;

/// The largest message SNS takes (256 KB).
const MAX_MESSAGE_BYTES: usize = 262_144;

/// How `ctx` reaches KMS for a topic in `region`: an IAM principal through SNS, a service
/// principal as itself.
fn acting(ctx: &CallContext, region: &str) -> CallContext {
    if ctx.identity_type == IdentityType::AWSService {
        in_region(ctx, region)
    } else {
        in_region(&ctx.via("sns"), region)
    }
}

fn kms(
    world: &mut World,
    ctx: &CallContext,
    req: KmsRequest,
    key: &str,
    audit: &mut CallAudit,
) -> Result<KmsResponse> {
    if key == "alias/aws/sns"
        || key == format!("arn:aws:kms:{}:{}:alias/aws/sns", ctx.region, ctx.account)
    {
        let now = world.now_ms();
        world
            .kms
            .aws_managed_key(&ctx.account, &ctx.region, "sns", now, &mut world.rng)
            .map_err(|e| from_kms(e, key))?;
    }
    world
        .kms_on_behalf(ctx, req, &mut audit.authorizations)
        .map_err(|e| from_kms(e, key))
}

/// Seals `message` under a new data key of `key` and opens it again for delivery, as SNS does
/// for an encrypted topic (`kms:GenerateDataKey`, then `kms:Decrypt`, both as the publisher).
fn through_topic_key(
    world: &mut World,
    ctx: &CallContext,
    topic: &StoredTopic,
    key: &str,
    message: &str,
    audit: &mut CallAudit,
) -> Result<String> {
    use aes_gcm::aead::{Aead, KeyInit, Payload};
    let via = acting(ctx, &topic.region);
    let req = KmsRequest::GenerateDataKey(GenerateDataKeyRequest {
        key_id: key.to_owned(),
        key_spec: Some("AES_256".into()),
        ..GenerateDataKeyRequest::default()
    });
    let KmsResponse::GenerateDataKey(r) = kms(world, &via, req, key, audit)? else {
        return Err(SnsError::InternalError("KMS answered another operation".into()));
    };
    let plaintext = r.plaintext.map(|b| b.0.clone()).unwrap_or_default();
    let wrapped = r.ciphertext_blob.map(|b| b.0.clone()).unwrap_or_default();
    let nonce: [u8; 12] = world.rng.array();
    let aad = topic.arn();
    let seal_err = || SnsError::InternalError("message sealing failed".into());
    let cipher = aes_gcm::Aes256Gcm::new_from_slice(&plaintext).map_err(|_| seal_err())?;
    let sealed = cipher
        .encrypt(
            aes_gcm::Nonce::from_slice(&nonce),
            Payload {
                msg: message.as_bytes(),
                aad: aad.as_bytes(),
            },
        )
        .map_err(|_| seal_err())?;
    // Delivery: the data key is decrypted again.
    let req = KmsRequest::Decrypt(DecryptRequest {
        ciphertext_blob: Blob(wrapped),
        key_id: Some(key.to_owned()),
        ..DecryptRequest::default()
    });
    let KmsResponse::Decrypt(r) = kms(world, &via, req, key, audit)? else {
        return Err(SnsError::InternalError("KMS answered another operation".into()));
    };
    let opened_key = r.plaintext.map(|b| b.0.clone()).unwrap_or_default();
    let cipher = aes_gcm::Aes256Gcm::new_from_slice(&opened_key).map_err(|_| seal_err())?;
    let opened = cipher
        .decrypt(
            aes_gcm::Nonce::from_slice(&nonce),
            Payload {
                msg: &sealed,
                aad: aad.as_bytes(),
            },
        )
        .map_err(|_| seal_err())?;
    String::from_utf8(opened).map_err(|_| seal_err())
}

/// The JSON document SNS delivers to an SQS queue (unless raw message delivery is on), with the
/// members of the example in
/// <https://docs.aws.amazon.com/sns/latest/dg/sns-sqs-as-subscriber.html> except the signature
/// (`Signature`, `SigningCertURL`), which the lab cannot make with SNS's certificate.
fn envelope(
    topic: &StoredTopic,
    subscription_arn: &str,
    message_id: &str,
    subject: Option<&str>,
    message: &str,
    now: i64,
) -> String {
    let mut doc = json!({
        "Type": "Notification",
        "MessageId": message_id,
        "TopicArn": topic.arn(),
    });
    if let (Some(s), Some(m)) = (subject, doc.as_object_mut()) {
        m.insert("Subject".into(), json!(s));
    }
    if let Some(m) = doc.as_object_mut() {
        m.insert("Message".into(), json!(message));
        m.insert("Timestamp".into(), json!(crate::env::iso8601(now)));
        m.insert("SignatureVersion".into(), json!("1"));
        m.insert(
            "UnsubscribeURL".into(),
            json!(format!(
                "https://sns.{}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn={subscription_arn}",
                topic.region
            )),
        );
    }
    doc.to_string()
}

/// Publishes `message` to the topic `topic_arn` as `ctx` (a principal, or an AWS service
/// principal with `extra` condition keys such as `aws:SourceArn`): its message id.
pub(crate) fn publish_as(
    world: &mut World,
    ctx: &CallContext,
    topic_arn: &str,
    message: &str,
    subject: Option<&str>,
    extra: Vec<(String, Vec<String>)>,
    audit: &mut CallAudit,
) -> Result<String> {
    let topic = world
        .services
        .sns
        .topics
        .get(topic_arn)
        .filter(|t| t.region == ctx.region)
        .cloned()
        .ok_or_else(no_topic)?;
    audit.resource(&topic.account, "AWS::SNS::Topic", topic_arn);
    check(world, ctx, "Publish", &topic, extra, audit)?;
    if message.is_empty() {
        return Err(SnsError::InvalidParameter(
            "Invalid parameter: Empty message".into(),
        ));
    }
    if message.len() > MAX_MESSAGE_BYTES {
        return Err(SnsError::InvalidParameter(
            "Invalid parameter: Message too long".into(),
        ));
    }
    let message = match topic.kms_key().map(str::to_owned) {
        Some(key) => through_topic_key(world, ctx, &topic, &key, message, audit)?,
        None => message.to_owned(),
    };
    let message_id = world.rng.uuid();
    let now = world.now_ms();
    let subs: Vec<_> = world
        .services
        .sns
        .subscriptions
        .values()
        .filter(|s| s.topic_arn == topic_arn && s.confirmed && s.protocol == "sqs")
        .cloned()
        .collect();
    // Deliveries are SNS's own requests: their decisions are not the publisher's.
    let kept = audit.authorizations.len();
    let sns = CallContext::aws_service("sns", &topic.account, &topic.region).for_resource(topic_arn);
    for sub in subs {
        let body = if sub
            .attributes
            .get("RawMessageDelivery")
            .is_some_and(|v| v == "true")
        {
            message.clone()
        } else {
            envelope(&topic, &sub.arn, &message_id, subject, &message, now)
        };
        if let Err(e) = crate::sqs::deliver(world, &sns, &sub.endpoint, &body, topic_arn, audit) {
            let failures = &mut world.services.sns.failures;
            failures.push(DeliveryFailure {
                time_ms: now,
                topic_arn: topic_arn.to_owned(),
                subscription_arn: sub.arn.clone(),
                endpoint: sub.endpoint.clone(),
                message_id: message_id.clone(),
                error_code: e.code().to_owned(),
                error_message: e.to_string(),
            });
            if failures.len() > MAX_FAILURES {
                failures.remove(0);
            }
        }
    }
    audit.authorizations.truncate(kept);
    Ok(message_id)
}

pub(super) fn publish(
    world: &mut World,
    ctx: &CallContext,
    r: &PublishRequest,
    audit: &mut CallAudit,
) -> Result<PublishResponse> {
    if let Some(number) = &r.phone_number {
        return Err(SnsError::InvalidParameter(format!(
            "Invalid parameter: PhoneNumber Reason: {number} is not valid to publish to"
        )));
    }
    let arn = r
        .topic_arn
        .as_ref()
        .or(r.target_arn.as_ref())
        .ok_or_else(|| SnsError::InvalidParameter("Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter".into()))?
        .clone();
    let message = required(&r.message, "Message")?.clone();
    let message_id = publish_as(
        world,
        ctx,
        &arn,
        &message,
        r.subject.as_deref(),
        Vec::new(),
        audit,
    )?;
    Ok(PublishResponse { message_id })
}
