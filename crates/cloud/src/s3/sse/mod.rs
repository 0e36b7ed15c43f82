//! Server-side encryption of object bodies, one module per mode: SSE-S3 ([`s3_managed`]),
//! SSE-KMS with or without an S3 Bucket Key ([`kms`]), DSSE-KMS ([`dsse`]) and SSE-C
//! ([`customer`]). This module reads a write's encryption headers against the bucket default and
//! dispatches to the mode.

mod customer;
mod dsse;
mod kms;
mod s3_managed;

use std::collections::BTreeMap;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::Engine as _;
use sha2::Sha256;

use super::model::{EncryptionMembers, WriteHeaders};
use super::{Bucket, Object, ObjectEncryption, S3Error};
use crate::World;
use crate::cloudtrail::CallAudit;
use crate::context::CallContext;

pub(crate) use customer::{key_matches as sse_c_key_matches, read_key as sse_c_read_key};

fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

/// The encryption a write asks for (headers) after the bucket default fills the gaps.
#[derive(Debug)]
pub(crate) struct WriteEncryption {
    /// `AES256`, `aws:kms`, `aws:kms:dsse` or `SSE-C`.
    kind: String,
    kms_key: Option<String>,
    bucket_key: bool,
    user_context: Option<BTreeMap<String, String>>,
    sse_c_key: Option<Vec<u8>>,
    sse_c_md5: Option<String>,
}

/// The condition keys of a write's encryption headers (present only when the header is).
pub(crate) fn write_conditions(h: &WriteHeaders<'_>) -> Vec<(String, Vec<String>)> {
    let mut c = Vec::new();
    if let Some(v) = h.server_side_encryption {
        c.push((
            "s3:x-amz-server-side-encryption".to_owned(),
            vec![v.to_owned()],
        ));
    }
    if let Some(v) = h.sse_kms_key_id {
        c.push((
            "s3:x-amz-server-side-encryption-aws-kms-key-id".to_owned(),
            vec![v.to_owned()],
        ));
    }
    if let Some(v) = h.sse_customer_algorithm {
        c.push((
            "s3:x-amz-server-side-encryption-customer-algorithm".to_owned(),
            vec![v.to_owned()],
        ));
    }
    c
}

const KMS_HEADER_REQUIRED: &str = "Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms";

/// Reads a write's encryption headers against the bucket's default encryption.
pub(crate) fn write_encryption(
    bucket: &Bucket,
    h: &WriteHeaders<'_>,
) -> Result<WriteEncryption, S3Error> {
    let invalid = |m: &str| S3Error::InvalidArgument(m.to_owned());
    let header = h.server_side_encryption;
    let key = h.sse_kms_key_id.map(str::to_owned);
    let user_context = kms::user_context(h.sse_kms_encryption_context)?;
    if let Some(alg) = h.sse_customer_algorithm {
        return customer::write_encryption(bucket, h, alg);
    }
    let d = &bucket.encryption;
    let (kind, kms_key) = match header {
        Some("AES256") => {
            if key.is_some() || user_context.is_some() {
                return Err(invalid(KMS_HEADER_REQUIRED));
            }
            ("AES256".to_owned(), None)
        }
        // With the header but without a key id S3 uses aws/s3.
        Some(h @ ("aws:kms" | "aws:kms:dsse")) => (h.to_owned(), key),
        Some(other) => {
            return Err(invalid(&format!(
                "The encryption method specified is not supported: {other}"
            )));
        }
        None if key.is_some() => return Err(invalid(KMS_HEADER_REQUIRED)),
        None => (d.algorithm.clone(), d.kms_key.clone()),
    };
    if kind == "AES256" && user_context.is_some() {
        return Err(invalid(KMS_HEADER_REQUIRED));
    }
    let bucket_key = kind == "aws:kms" && h.bucket_key_enabled.unwrap_or(d.bucket_key_enabled);
    Ok(WriteEncryption {
        kind,
        kms_key,
        bucket_key,
        user_context,
        sse_c_key: None,
        sse_c_md5: None,
    })
}

fn seal(key: &[u8], nonce: &[u8; 12], plaintext: &[u8], aad: &[u8]) -> Result<Vec<u8>, S3Error> {
    let cipher = Aes256Gcm::new_from_slice(key)
        .map_err(|_| S3Error::InternalError("bad data key length".into()))?;
    let ct = cipher
        .encrypt(
            Nonce::from_slice(nonce),
            Payload {
                msg: plaintext,
                aad,
            },
        )
        .map_err(|_| S3Error::InternalError("encryption failed".into()))?;
    let mut out = nonce.to_vec();
    out.extend(ct);
    Ok(out)
}

fn open(key: &[u8], sealed: &[u8], aad: &[u8]) -> Option<Vec<u8>> {
    let (nonce, ct) = sealed.split_at_checked(12)?;
    let cipher = Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(key.get(..32)?));
    cipher
        .decrypt(Nonce::from_slice(nonce), Payload { msg: ct, aad })
        .ok()
}

fn derive(bucket_key: &[u8], salt: &[u8], object_arn: &str) -> Result<Vec<u8>, S3Error> {
    let hk = hkdf::Hkdf::<Sha256>::new(Some(salt), bucket_key);
    let mut out = vec![0u8; 32];
    hk.expand(object_arn.as_bytes(), &mut out)
        .map_err(|_| S3Error::InternalError("key derivation failed".into()))?;
    Ok(out)
}

/// A stored object that does not decrypt (never expected).
fn corrupt() -> S3Error {
    S3Error::InternalError("the stored object failed to decrypt".into())
}

/// Encrypts `body` for `object_arn` as `enc` asks; returns the sealed body and its record.
pub(crate) fn encrypt_body(
    world: &mut World,
    ctx: &CallContext,
    bucket: &Bucket,
    object_arn: &str,
    body: &[u8],
    enc: &WriteEncryption,
    audit: &mut CallAudit,
) -> Result<(Vec<u8>, ObjectEncryption), S3Error> {
    let nonce: [u8; 12] = world.rng.array();
    match enc.kind.as_str() {
        "SSE-C" => customer::encrypt(object_arn, body, enc, &nonce),
        "AES256" => s3_managed::encrypt(world, object_arn, body, &nonce),
        kind => {
            let key_id = kms::resolve_key(world, bucket, enc.kms_key.as_deref())?;
            let w = kms::KmsWrite {
                bucket,
                object_arn,
                body,
                key_id: &key_id,
                enc,
                nonce: &nonce,
            };
            if enc.bucket_key {
                kms::encrypt_with_bucket_key(world, ctx, &w, audit)
            } else if kind == "aws:kms:dsse" {
                dsse::encrypt(world, ctx, &w, audit)
            } else {
                kms::encrypt(world, ctx, &w, audit)
            }
        }
    }
}

/// Decrypts a stored object's body (KMS `Decrypt` on the caller's behalf for SSE-KMS/DSSE).
pub(crate) fn decrypt_body(
    world: &mut World,
    ctx: &CallContext,
    bucket: &Bucket,
    object: &Object,
    sse_c_key: Option<&[u8]>,
    audit: &mut CallAudit,
) -> Result<Vec<u8>, S3Error> {
    let object_arn = format!("{}/{}", bucket.arn(), object.key);
    match &object.encryption {
        ObjectEncryption::SseC { key_check, .. } => {
            customer::decrypt(&object_arn, object, key_check, sse_c_key)
        }
        ObjectEncryption::SseS3 { wrapped_key } => {
            s3_managed::decrypt(world, &object_arn, object, wrapped_key)
        }
        ObjectEncryption::SseKms { .. } => kms::decrypt(world, ctx, bucket, object, audit),
        ObjectEncryption::Dsse { .. } => dsse::decrypt(world, ctx, bucket, object, audit),
    }
}

/// The encryption members of an object response.
pub(crate) fn encryption_members(enc: &ObjectEncryption) -> EncryptionMembers {
    let mut out = EncryptionMembers {
        server_side_encryption: enc.header().map(str::to_owned),
        ..EncryptionMembers::default()
    };
    match enc {
        ObjectEncryption::SseKms {
            key_arn,
            user_context,
            ..
        }
        | ObjectEncryption::Dsse {
            key_arn,
            user_context,
            ..
        } => {
            out.sse_kms_key_id = Some(key_arn.clone());
            if let Some(c) = user_context {
                let text = serde_json::to_string(c).unwrap_or_default();
                out.sse_kms_encryption_context = Some(b64().encode(text.as_bytes()));
            }
            if enc.uses_bucket_key() {
                out.bucket_key_enabled = Some(true);
            }
        }
        ObjectEncryption::SseC { key_md5, .. } => {
            out.sse_customer_algorithm = Some("AES256".into());
            out.sse_customer_key_md5.clone_from(key_md5);
        }
        ObjectEncryption::SseS3 { .. } => {}
    }
    out
}
