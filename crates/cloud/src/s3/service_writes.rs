//! Writes an AWS service makes into a customer's bucket as its own service principal (CloudTrail
//! delivering log files): the bucket policy alone decides (a service principal has no identity
//! policies), and the object is stored as S3 stores any object, so reading it back goes through
//! `GetObject` and its KMS `Decrypt` for the reader.

use std::collections::BTreeMap;
use std::sync::Arc;

use policy::{Decision, RequestContext};
use sha2::{Digest, Sha256};

use super::{Object, ObjectEncryption};
use crate::World;
use crate::context::CallContext;

/// Whether the bucket `name` exists.
pub(crate) fn bucket_exists(world: &World, name: &str) -> bool {
    world.services.s3.buckets.contains_key(name)
}

/// Whether the policy of bucket `name` allows the service principal `service` (built with
/// [`CallContext::aws_service`]) `action` on `resource`, with the request's condition keys
/// `extra` (`aws:SourceArn`, `s3:x-amz-acl`, …). No policy, no matching `Allow`, or a matching
/// `Deny` is `false`.
pub(crate) fn bucket_allows_service(
    world: &World,
    name: &str,
    service: &CallContext,
    action: &str,
    resource: &str,
    extra: &[(String, Vec<String>)],
) -> bool {
    let Some(doc) = world
        .services
        .s3
        .buckets
        .get(name)
        .and_then(|b| b.policy.as_ref())
    else {
        return false;
    };
    let who = crate::authorize::caller(service);
    let mut rc = RequestContext::new(who.to_principal(), action, resource);
    let mut conditions = crate::authorize::base_conditions(service, world.now_ms(), "s3");
    conditions.extend(extra.iter().cloned());
    for (k, v) in &conditions {
        rc.set_list(k, v.iter().cloned());
    }
    doc.evaluate(&rc).decision == Decision::Allow
}

/// An object a service writes, encrypted as S3 encrypts under SSE-KMS: the body sealed with
/// AES-256-GCM under a KMS data key the service obtained itself (bound to `context`, which
/// includes `aws:s3:arn`), or under SSE-S3 when `kms` is `None`.
#[derive(Debug)]
pub(crate) struct ServiceWrite<'a> {
    pub bucket: &'a str,
    pub key: &'a str,
    pub body: &'a [u8],
    pub content_type: &'a str,
    /// The SSE-KMS data key, or `None` for SSE-S3.
    pub kms: Option<ServiceDataKey<'a>>,
}

/// A KMS data key a service obtained for one object.
#[derive(Debug)]
pub(crate) struct ServiceDataKey<'a> {
    /// The KMS key's ARN.
    pub key_arn: String,
    /// The context the data key is bound to (with `aws:s3:arn`).
    pub context: BTreeMap<String, String>,
    /// The plaintext data key.
    pub plaintext: &'a [u8],
    /// KMS's ciphertext of the data key.
    pub wrapped: Vec<u8>,
}

fn seal(key: &[u8], nonce: &[u8; 12], plaintext: &[u8], aad: &[u8]) -> Option<Vec<u8>> {
    use aes_gcm::aead::{Aead, KeyInit, Payload};
    let cipher = aes_gcm::Aes256Gcm::new_from_slice(key).ok()?;
    let ct = cipher
        .encrypt(
            aes_gcm::Nonce::from_slice(nonce),
            Payload {
                msg: plaintext,
                aad,
            },
        )
        .ok()?;
    let mut out = nonce.to_vec();
    out.extend(ct);
    Some(out)
}

/// SSE-S3 for a service write: the data key wrapped under S3's own root key, as
/// `sse::s3_managed` does for any upload.
fn sse_s3(world: &mut World, object_arn: &str, body: &[u8]) -> Option<(Vec<u8>, ObjectEncryption)> {
    if world.services.s3.root_key.len() != 32 {
        world.services.s3.root_key = world.rng.bytes(32);
    }
    let root = world.services.s3.root_key.clone();
    let data_key: [u8; 32] = world.rng.array();
    let nonce: [u8; 12] = world.rng.array();
    let wrap_nonce: [u8; 12] = world.rng.array();
    let sealed = seal(&data_key, &nonce, body, object_arn.as_bytes())?;
    let wrapped_key = seal(&root, &wrap_nonce, &data_key, object_arn.as_bytes())?;
    Some((sealed, ObjectEncryption::SseS3 { wrapped_key }))
}

/// Stores `w` in its bucket (which must exist); `Err` is the reason it could not be stored.
pub(crate) fn put_as_service(world: &mut World, w: ServiceWrite<'_>) -> Result<(), String> {
    if !bucket_exists(world, w.bucket) {
        return Err("NoSuchBucket".into());
    }
    let object_arn = format!("arn:aws:s3:::{}/{}", w.bucket, w.key);
    let (body, encryption) = match w.kms {
        Some(k) => {
            let nonce: [u8; 12] = world.rng.array();
            let sealed = seal(k.plaintext, &nonce, w.body, object_arn.as_bytes())
                .ok_or("InternalError")?;
            (
                sealed,
                ObjectEncryption::SseKms {
                    key_arn: k.key_arn,
                    context: k.context,
                    wrapped_key: k.wrapped,
                    bucket_key: Vec::new(),
                    salt: Vec::new(),
                    user_context: None,
                },
            )
        }
        None => sse_s3(world, &object_arn, w.body).ok_or("InternalError")?,
    };
    let digest = Sha256::digest(w.body);
    let hex = crate::env::hex(&digest);
    let object = Object {
        key: w.key.to_owned(),
        size: u64::try_from(w.body.len()).unwrap_or(u64::MAX),
        etag: format!("\"{}\"", hex.get(..32).unwrap_or(&hex)),
        last_modified_ms: world.now_ms(),
        content_type: Some(w.content_type.to_owned()),
        body,
        encryption,
        // The null version (log files are written once, under unique names).
        version_id: None,
        delete_marker: false,
    };
    let bucket = world
        .services
        .s3
        .buckets
        .get_mut(w.bucket)
        .ok_or("NoSuchBucket")?;
    Arc::make_mut(&mut bucket.objects).insert(w.key.to_owned(), Arc::new(object));
    Ok(())
}
