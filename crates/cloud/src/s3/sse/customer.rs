//! SSE-C: the customer keeps the key; S3 keeps only a salted hash to check it.

use base64::Engine as _;
use sha2::{Digest, Sha256};

use super::{WriteEncryption, b64, open, seal};
use crate::s3::model::WriteHeaders;
use crate::s3::{Bucket, Object, ObjectEncryption, S3Error};

/// The salted hash S3 keeps to check an SSE-C key.
fn key_check(object_arn: &str, key: &[u8]) -> String {
    crate::env::hex(&Sha256::digest([object_arn.as_bytes(), key].concat()))
}

/// A write with `SSECustomerAlgorithm`.
pub(super) fn write_encryption(
    bucket: &Bucket,
    h: &WriteHeaders<'_>,
    alg: &str,
) -> Result<WriteEncryption, S3Error> {
    let invalid = |m: &str| S3Error::InvalidArgument(m.to_owned());
    if h.server_side_encryption.is_some() {
        return Err(invalid(
            "Server Side Encryption with Customer provided key is incompatible with the encryption method specified",
        ));
    }
    if alg != "AES256" {
        return Err(invalid(
            "The encryption algorithm specified is not valid: use AES256",
        ));
    }
    let key_b64 = h.sse_customer_key.ok_or_else(|| {
        invalid("Requests specifying Server Side Encryption with Customer provided keys must provide an appropriate secret key.")
    })?;
    let key = b64()
        .decode(key_b64.as_bytes())
        .ok()
        .filter(|k| k.len() == 32)
        .ok_or_else(|| invalid("The secret key was invalid for the specified algorithm."))?;
    if bucket.encryption.sse_c_blocked {
        return Err(S3Error::AccessDenied(
            "Requests specifying Server Side Encryption with Customer provided keys are blocked for this bucket (BlockedEncryptionTypes: SSE-C). Update the bucket's default encryption configuration to allow SSE-C.".into(),
        ));
    }
    Ok(WriteEncryption {
        kind: "SSE-C".into(),
        kms_key: None,
        bucket_key: false,
        user_context: None,
        sse_c_key: Some(key),
        sse_c_md5: h.sse_customer_key_md5.map(str::to_owned),
    })
}

/// The SSE-C key of a read (`SSECustomerKey` or `CopySourceSSECustomerKey`), if given.
pub(crate) fn read_key(member: Option<&str>) -> Result<Option<Vec<u8>>, S3Error> {
    match member {
        None => Ok(None),
        Some(k) => b64()
            .decode(k.as_bytes())
            .ok()
            .filter(|k| k.len() == 32)
            .map(Some)
            .ok_or_else(|| {
                S3Error::InvalidArgument(
                    "The secret key was invalid for the specified algorithm.".into(),
                )
            }),
    }
}

/// Whether `key` is the SSE-C key an object was written with.
pub(crate) fn key_matches(object_arn: &str, key: &[u8], check: &str) -> bool {
    key_check(object_arn, key) == check
}

pub(super) fn encrypt(
    object_arn: &str,
    body: &[u8],
    enc: &WriteEncryption,
    nonce: &[u8; 12],
) -> Result<(Vec<u8>, ObjectEncryption), S3Error> {
    let key = enc.sse_c_key.clone().unwrap_or_default();
    let sealed = seal(&key, nonce, body, object_arn.as_bytes())?;
    Ok((
        sealed,
        ObjectEncryption::SseC {
            key_check: key_check(object_arn, &key),
            key_md5: enc.sse_c_md5.clone(),
        },
    ))
}

pub(super) fn decrypt(
    object_arn: &str,
    object: &Object,
    check: &str,
    key: Option<&[u8]>,
) -> Result<Vec<u8>, S3Error> {
    let key = key.ok_or_else(|| {
        S3Error::InvalidRequest(
            "The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.".into(),
        )
    })?;
    if !key_matches(object_arn, key, check) {
        return Err(S3Error::AccessDenied("Forbidden".into()));
    }
    open(key, &object.body, object_arn.as_bytes()).ok_or_else(super::corrupt)
}
