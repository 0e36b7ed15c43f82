//! Server-side encryption of messages: SSE-SQS under the queue's own key, SSE-KMS under a data
//! key from KMS, cached per caller for the queue's `KmsDataKeyReusePeriodSeconds`.
//!
//! Who calls KMS: a principal of the account sending or receiving through SQS calls as itself
//! through SQS (`kms:ViaService` `sqs.REGION.amazonaws.com`, CloudTrail `invokedBy`
//! `sqs.amazonaws.com`); an AWS service delivering to the queue (SNS, EventBridge) calls as its
//! own service principal, without `kms:ViaService`, which is why the `aws/sqs` key's policy never
//! lets it in.

use crate::World;
use crate::cloudtrail::CallAudit;
use crate::context::{CallContext, IdentityType};
use crate::kms::model::{Blob, DecryptRequest, EncryptionContext, GenerateDataKeyRequest};
use crate::kms::{KmsRequest, KmsResponse};
use crate::service_kms::in_region;

use super::error::from_kms;
use super::{CONTEXT_KEY, CachedDataKey, CachedPlainKey, DEFAULT_REUSE_SECONDS, SqsError};

/// A message body as stored.
#[derive(Debug)]
pub(crate) struct SealedBody {
    pub body: Vec<u8>,
    pub key: Option<String>,
    pub wrapped: Vec<u8>,
    pub sse_sqs: bool,
}

/// The requester a data key is cached for: SQS tells callers apart by their credentials, but
/// sessions of one role that differ only in their session name are the same requester
/// (<https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html>).
fn requester(ctx: &CallContext) -> &str {
    ctx.policy_principal_arn()
}

/// How `ctx` reaches KMS for a queue in `region`.
fn acting(ctx: &CallContext, region: &str) -> CallContext {
    if ctx.identity_type == IdentityType::AWSService {
        in_region(ctx, region)
    } else {
        in_region(&ctx.via("sqs"), region)
    }
}

/// Whether `key` names the `aws/sqs` alias of `account` in `region`.
fn names_aws_sqs(key: &str, account: &str, region: &str) -> bool {
    key == "alias/aws/sqs" || key == format!("arn:aws:kms:{region}:{account}:alias/aws/sqs")
}

fn kms(
    world: &mut World,
    ctx: &CallContext,
    req: KmsRequest,
    key: &str,
    audit: &mut CallAudit,
) -> Result<KmsResponse, SqsError> {
    if names_aws_sqs(key, &ctx.account, &ctx.region) {
        // The AWS managed key is created on first use, as in AWS.
        let now = world.now_ms();
        world
            .kms
            .aws_managed_key(&ctx.account, &ctx.region, "sqs", now, &mut world.rng)
            .map_err(|e| from_kms(e, key))?;
    }
    world
        .kms_on_behalf(ctx, req, &mut audit.authorizations)
        .map_err(|e| from_kms(e, key))
}

fn context(queue_arn: &str) -> EncryptionContext {
    EncryptionContext::from([(CONTEXT_KEY.to_owned(), queue_arn.to_owned())])
}

fn aead(key: &[u8], nonce: &[u8], msg: &[u8], aad: &[u8], seal: bool) -> Option<Vec<u8>> {
    use aes_gcm::aead::{Aead, KeyInit, Payload};
    let cipher = aes_gcm::Aes256Gcm::new_from_slice(key.get(..32)?).ok()?;
    if nonce.len() != 12 {
        return None;
    }
    let nonce = aes_gcm::Nonce::from_slice(nonce);
    let payload = Payload { msg, aad };
    if seal {
        cipher.encrypt(nonce, payload).ok()
    } else {
        cipher.decrypt(nonce, payload).ok()
    }
}

/// Seals `body` for the queue at `slot` as `ctx` (the sender).
pub(crate) fn seal(
    world: &mut World,
    ctx: &CallContext,
    slot: &str,
    body: &[u8],
    audit: &mut CallAudit,
) -> Result<SealedBody, SqsError> {
    let internal = || SqsError::InternalError("the queue vanished".into());
    let q = world.services.sqs.queues.get(slot).ok_or_else(internal)?;
    let arn = q.arn();
    let nonce: [u8; 12] = world.rng.array();
    if q.sse_sqs() {
        let sealed = aead(&q.owned_key, &nonce, body, arn.as_bytes(), true)
            .ok_or_else(|| SqsError::InternalError("SSE-SQS sealing failed".into()))?;
        return Ok(SealedBody {
            body: [nonce.as_slice(), &sealed].concat(),
            key: None,
            wrapped: Vec::new(),
            sse_sqs: true,
        });
    }
    let Some(key) = q.kms_key().map(str::to_owned) else {
        return Ok(SealedBody {
            body: body.to_vec(),
            key: None,
            wrapped: Vec::new(),
            sse_sqs: false,
        });
    };
    let now = world.now_ms();
    let reuse_ms = q.int("KmsDataKeyReusePeriodSeconds", DEFAULT_REUSE_SECONDS) * 1000;
    let region = q.region.clone();
    let cached = q
        .producer_keys
        .get(requester(ctx))
        .filter(|c| c.key == key && c.until_ms > now)
        .cloned();
    let data_key = match cached {
        Some(c) => c,
        None => {
            let via = acting(ctx, &region);
            let req = KmsRequest::GenerateDataKey(GenerateDataKeyRequest {
                key_id: key.clone(),
                key_spec: Some("AES_256".into()),
                encryption_context: Some(context(&arn)),
                ..GenerateDataKeyRequest::default()
            });
            let KmsResponse::GenerateDataKey(r) = kms(world, &via, req, &key, audit)? else {
                return Err(SqsError::InternalError("KMS answered another operation".into()));
            };
            let wrapped = r.ciphertext_blob.map(|b| b.0.clone()).unwrap_or_default();
            // SQS then decrypts the new data key, as the producer, "to verify the integrity of
            // the new data key before using it": a producer needs kms:Decrypt as well as
            // kms:GenerateDataKey, and each new data key costs it two KMS requests
            // (<https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html>,
            // "Configure AWS KMS permissions for producers"; R = (B / D) * (2 * P + C)).
            let req = KmsRequest::Decrypt(DecryptRequest {
                ciphertext_blob: Blob(wrapped.clone()),
                key_id: Some(key.clone()),
                encryption_context: Some(context(&arn)),
                ..DecryptRequest::default()
            });
            let KmsResponse::Decrypt(d) = kms(world, &via, req, &key, audit)? else {
                return Err(SqsError::InternalError("KMS answered another operation".into()));
            };
            let plaintext = d.plaintext.map(|b| b.0.clone()).unwrap_or_default();
            if r.plaintext.is_some_and(|p| p.0 != plaintext) {
                return Err(SqsError::InternalError(
                    "the new data key did not verify".into(),
                ));
            }
            let fresh = CachedDataKey {
                key: key.clone(),
                plaintext,
                wrapped,
                until_ms: now.saturating_add(reuse_ms),
            };
            if let Some(q) = world.services.sqs.queues.get_mut(slot) {
                q.producer_keys
                    .insert(requester(ctx).to_owned(), fresh.clone());
            }
            fresh
        }
    };
    let sealed = aead(&data_key.plaintext, &nonce, body, arn.as_bytes(), true)
        .ok_or_else(|| SqsError::InternalError("SSE-KMS sealing failed".into()))?;
    Ok(SealedBody {
        body: [nonce.as_slice(), &sealed].concat(),
        key: Some(key),
        wrapped: data_key.wrapped,
        sse_sqs: false,
    })
}

/// The body of the message at `index` of the queue at `slot`, opened for `ctx` (the receiver).
pub(crate) fn open(
    world: &mut World,
    ctx: &CallContext,
    slot: &str,
    index: usize,
    audit: &mut CallAudit,
) -> Result<Vec<u8>, SqsError> {
    let internal = || SqsError::InternalError("the message vanished".into());
    let q = world.services.sqs.queues.get(slot).ok_or_else(internal)?;
    let m = q.messages.get(index).ok_or_else(internal)?;
    let arn = q.arn();
    let (nonce, sealed) = m.body.split_at_checked(12).unwrap_or_default();
    if m.sse_sqs {
        return aead(&q.owned_key, nonce, sealed, arn.as_bytes(), false)
            .ok_or_else(|| SqsError::InternalError("SSE-SQS opening failed".into()));
    }
    let Some(key) = m.key.clone() else {
        return Ok(m.body.clone());
    };
    let now = world.now_ms();
    let reuse_ms = q.int("KmsDataKeyReusePeriodSeconds", DEFAULT_REUSE_SECONDS) * 1000;
    let cache_slot = format!(
        "{}|{}",
        requester(ctx),
        crate::env::hex(&sha2_prefix(&m.wrapped_key))
    );
    let (wrapped, region) = (m.wrapped_key.clone(), q.region.clone());
    let (nonce, sealed) = (nonce.to_vec(), sealed.to_vec());
    let cached = q
        .consumer_keys
        .get(&cache_slot)
        .filter(|c| c.until_ms > now)
        .map(|c| c.plaintext.clone());
    let plaintext = match cached {
        Some(p) => p,
        None => {
            let via = acting(ctx, &region);
            let req = KmsRequest::Decrypt(DecryptRequest {
                ciphertext_blob: Blob(wrapped),
                key_id: Some(key.clone()),
                encryption_context: Some(context(&arn)),
                ..DecryptRequest::default()
            });
            let KmsResponse::Decrypt(r) = kms(world, &via, req, &key, audit)? else {
                return Err(SqsError::InternalError("KMS answered another operation".into()));
            };
            let plaintext = r.plaintext.map(|b| b.0.clone()).unwrap_or_default();
            if let Some(q) = world.services.sqs.queues.get_mut(slot) {
                q.consumer_keys.insert(
                    cache_slot,
                    CachedPlainKey {
                        plaintext: plaintext.clone(),
                        until_ms: now.saturating_add(reuse_ms),
                    },
                );
            }
            plaintext
        }
    };
    aead(&plaintext, &nonce, &sealed, arn.as_bytes(), false)
        .ok_or_else(|| SqsError::InternalError("SSE-KMS opening failed".into()))
}

/// The first 8 bytes of SHA-256 of an encrypted data key (its cache slot).
fn sha2_prefix(wrapped: &[u8]) -> Vec<u8> {
    use sha2::Digest as _;
    sha2::Sha256::digest(wrapped)
        .get(..8)
        .map(<[u8]>::to_vec)
        .unwrap_or_default()
}
