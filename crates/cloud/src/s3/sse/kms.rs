//! SSE-KMS: one data key per object from KMS `GenerateDataKey`, requested for the caller through
//! S3 with the context `{"aws:s3:arn": OBJECT_ARN}` (plus the caller's); or, with an S3 Bucket
//! Key, one bucket-level key per bucket, requester and key (context = the bucket ARN), kept for
//! [`BUCKET_KEY_TTL_MS`], from which each object's key is derived with HKDF-SHA256.

use std::collections::BTreeMap;

use base64::Engine as _;

use super::{WriteEncryption, b64, corrupt, derive, open, seal};
use crate::World;
use crate::cloudtrail::CallAudit;
use crate::context::CallContext;
use crate::kms::model::{Blob, DecryptRequest, EncryptionContext};
use crate::s3::{BUCKET_KEY_TTL_MS, Bucket, CachedBucketKey, Object, ObjectEncryption, S3Error};
use crate::service_kms::{ServiceKms, in_region};

/// S3 calls KMS for the caller; its encryption context (`aws:s3:arn`, plus the caller's) is
/// built per request.
pub(super) const KMS: ServiceKms<S3Error> = ServiceKms {
    service: "s3",
    context_key: "aws:s3:arn",
    map_err: S3Error::from_kms,
    internal: S3Error::InternalError,
};

const BAD_CONTEXT: &str = "The header 'x-amz-server-side-encryption-context' shall be Base64-encoded UTF-8 string holding JSON with the encryption context key-value pairs.";

/// The caller's `SSEKMSEncryptionContext` (base64 of a JSON object), if given.
pub(super) fn user_context(
    header: Option<&str>,
) -> Result<Option<BTreeMap<String, String>>, S3Error> {
    let Some(text) = header else {
        return Ok(None);
    };
    let invalid = |m: &str| S3Error::InvalidArgument(m.to_owned());
    let bytes = b64()
        .decode(text.as_bytes())
        .map_err(|_| invalid(BAD_CONTEXT))?;
    let map: BTreeMap<String, String> =
        serde_json::from_slice(&bytes).map_err(|_| invalid(BAD_CONTEXT))?;
    if map.keys().any(|k| k.starts_with("aws:")) {
        return Err(invalid(
            "Encryption context keys cannot start with the reserved prefix aws:",
        ));
    }
    Ok(Some(map))
}

/// The key id S3 sends to KMS: the configured one, or the bucket account's `aws/s3`.
pub(super) fn resolve_key(
    world: &mut World,
    bucket: &Bucket,
    key: Option<&str>,
) -> Result<String, S3Error> {
    match key {
        Some(k) => Ok(k.to_owned()),
        None => {
            let now = world.now_ms();
            let id = world
                .kms
                .aws_managed_key(&bucket.account, &bucket.region, "s3", now, &mut world.rng)
                .map_err(S3Error::ManagedKey)?;
            Ok(format!(
                "arn:aws:kms:{}:{}:key/{id}",
                bucket.region, bucket.account
            ))
        }
    }
}

/// The plaintext of a data key (or bucket key) S3 stored encrypted under `key_arn`: KMS `Decrypt`
/// for the caller, in the bucket's Region, with the context it was bound to.
pub(super) fn unwrap_key(
    world: &mut World,
    ctx: &CallContext,
    region: &str,
    wrapped: &[u8],
    key_arn: &str,
    context: EncryptionContext,
    audit: &mut CallAudit,
) -> Result<zeroize::Zeroizing<Vec<u8>>, S3Error> {
    let req = DecryptRequest {
        ciphertext_blob: Blob(wrapped.to_vec()),
        key_id: Some(key_arn.to_owned()),
        encryption_context: Some(context),
        ..DecryptRequest::default()
    };
    let mut plaintext = KMS.decrypt(world, &in_region(ctx, region), req, audit)?;
    Ok(zeroize::Zeroizing::new(std::mem::take(&mut plaintext.0)))
}

/// A data key's plaintext, its encrypted form and the ARN of its KMS key.
pub(super) struct DataKey {
    pub plaintext: zeroize::Zeroizing<Vec<u8>>,
    pub wrapped: Vec<u8>,
    pub key_arn: String,
}

/// An AES-256 data key from KMS `GenerateDataKey` for the caller, in the bucket's Region.
pub(super) fn new_data_key(
    world: &mut World,
    ctx: &CallContext,
    region: &str,
    key_id: &str,
    context: EncryptionContext,
    audit: &mut CallAudit,
) -> Result<DataKey, S3Error> {
    let mut out = KMS.data_key(world, &in_region(ctx, region), key_id, context, true, audit)?;
    let missing = |m: &str| S3Error::InternalError(format!("KMS returned no {m}"));
    let plaintext = out.plaintext.take().ok_or_else(|| missing("Plaintext"))?;
    let wrapped = out
        .ciphertext_blob
        .take()
        .ok_or_else(|| missing("CiphertextBlob"))?;
    let key_arn = out.key_id.take().unwrap_or_else(|| key_id.to_owned());
    Ok(DataKey {
        plaintext: zeroize::Zeroizing::new(plaintext.0.clone()),
        wrapped: wrapped.0.clone(),
        key_arn,
    })
}

/// A KMS-encrypted write (SSE-KMS or DSSE-KMS): the object, its body and the key to use.
pub(super) struct KmsWrite<'a> {
    pub bucket: &'a Bucket,
    pub object_arn: &'a str,
    pub body: &'a [u8],
    /// The key id S3 sends to KMS.
    pub key_id: &'a str,
    pub enc: &'a WriteEncryption,
    pub nonce: &'a [u8; 12],
}

impl KmsWrite<'_> {
    /// The encryption context of the object's data key: the caller's plus `aws:s3:arn`.
    pub(super) fn object_context(&self) -> EncryptionContext {
        let mut context = self.enc.user_context.clone().unwrap_or_default();
        context.insert("aws:s3:arn".into(), self.object_arn.to_owned());
        context
    }
}

/// SSE-KMS without a Bucket Key: a data key per object.
pub(super) fn encrypt(
    world: &mut World,
    ctx: &CallContext,
    w: &KmsWrite<'_>,
    audit: &mut CallAudit,
) -> Result<(Vec<u8>, ObjectEncryption), S3Error> {
    let context = w.object_context();
    let dk = new_data_key(
        world,
        ctx,
        &w.bucket.region,
        w.key_id,
        context.clone(),
        audit,
    )?;
    let sealed = seal(&dk.plaintext, w.nonce, w.body, w.object_arn.as_bytes())?;
    Ok((
        sealed,
        ObjectEncryption::SseKms {
            key_arn: dk.key_arn,
            context,
            wrapped_key: dk.wrapped,
            bucket_key: Vec::new(),
            salt: Vec::new(),
            user_context: w.enc.user_context.clone(),
        },
    ))
}

/// The cache slot of a bucket key: `BUCKET\nREQUESTER\nW:KEY` (writes) or `…\nR:BLOB` (reads).
fn slot(bucket: &str, requester: &str, which: &str) -> String {
    format!("{bucket}\n{requester}\n{which}")
}

/// SSE-KMS with a Bucket Key: the cached bucket key (or a new one from KMS), an object key
/// derived from it with a fresh salt.
pub(super) fn encrypt_with_bucket_key(
    world: &mut World,
    ctx: &CallContext,
    w: &KmsWrite<'_>,
    audit: &mut CallAudit,
) -> Result<(Vec<u8>, ObjectEncryption), S3Error> {
    let bucket = w.bucket;
    let bucket_arn = bucket.arn();
    let write_slot = slot(&bucket.name, &ctx.principal_arn, &format!("W:{}", w.key_id));
    let now = world.now_ms();
    let cached = world
        .services.s3
        .bucket_keys
        .get(&write_slot)
        .filter(|c| c.expires_ms > now)
        .cloned();
    let bk = match cached {
        Some(c) => c,
        None => {
            let dk = new_data_key(
                world,
                ctx,
                &bucket.region,
                w.key_id,
                KMS.context(&bucket_arn),
                audit,
            )?;
            let c = CachedBucketKey {
                plaintext: dk.plaintext,
                blob: dk.wrapped,
                key_arn: dk.key_arn,
                expires_ms: now + BUCKET_KEY_TTL_MS,
            };
            world.services.s3.bucket_keys.insert(write_slot, c.clone());
            let read_slot = slot(
                &bucket.name,
                &ctx.principal_arn,
                &format!("R:{}", b64().encode(&c.blob)),
            );
            world.services.s3.bucket_keys.insert(read_slot, c.clone());
            c
        }
    };
    let salt = world.rng.bytes(16);
    let data_key = zeroize::Zeroizing::new(derive(&bk.plaintext, &salt, w.object_arn)?);
    let sealed = seal(&data_key, w.nonce, w.body, w.object_arn.as_bytes())?;
    let mut context = w.enc.user_context.clone().unwrap_or_default();
    context.insert("aws:s3:arn".into(), bucket_arn);
    Ok((
        sealed,
        ObjectEncryption::SseKms {
            key_arn: bk.key_arn,
            context,
            wrapped_key: Vec::new(),
            bucket_key: bk.blob,
            salt,
            user_context: w.enc.user_context.clone(),
        },
    ))
}

/// Decrypts an SSE-KMS object: KMS `Decrypt` of its data key, or of its bucket key (cached per
/// requester).
pub(super) fn decrypt(
    world: &mut World,
    ctx: &CallContext,
    bucket: &Bucket,
    object: &Object,
    audit: &mut CallAudit,
) -> Result<Vec<u8>, S3Error> {
    let ObjectEncryption::SseKms {
        key_arn,
        context,
        wrapped_key,
        bucket_key,
        salt,
        ..
    } = &object.encryption
    else {
        return Err(corrupt());
    };
    let object_arn = format!("{}/{}", bucket.arn(), object.key);
    let aad = object_arn.as_bytes();
    if bucket_key.is_empty() {
        let data_key = unwrap_key(
            world,
            ctx,
            &bucket.region,
            wrapped_key,
            key_arn,
            context.clone(),
            audit,
        )?;
        return open(&data_key, &object.body, aad).ok_or_else(corrupt);
    }
    let read_slot = slot(
        &bucket.name,
        &ctx.principal_arn,
        &format!("R:{}", b64().encode(bucket_key)),
    );
    let now = world.now_ms();
    let cached = world
        .services.s3
        .bucket_keys
        .get(&read_slot)
        .filter(|c| c.expires_ms > now)
        .map(|c| c.plaintext.clone());
    let plaintext = match cached {
        Some(p) => p,
        None => {
            let p = unwrap_key(
                world,
                ctx,
                &bucket.region,
                bucket_key,
                key_arn,
                KMS.context(&bucket.arn()),
                audit,
            )?;
            world.services.s3.bucket_keys.insert(
                read_slot,
                CachedBucketKey {
                    plaintext: p.clone(),
                    blob: bucket_key.clone(),
                    key_arn: key_arn.clone(),
                    expires_ms: now + BUCKET_KEY_TTL_MS,
                },
            );
            p
        }
    };
    let data_key = zeroize::Zeroizing::new(derive(&plaintext, salt, &object_arn)?);
    open(&data_key, &object.body, aad).ok_or_else(corrupt)
}
