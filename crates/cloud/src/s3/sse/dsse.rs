//! DSSE-KMS: two independent layers, the inner one under a KMS data key (as SSE-KMS), the outer
//! one under a key wrapped by S3's root key.

use super::kms::{KmsWrite, new_data_key, unwrap_key};
use super::s3_managed::root_key;
use super::{corrupt, open, seal};
use crate::World;
use crate::cloudtrail::CallAudit;
use crate::context::CallContext;
use crate::s3::{Bucket, Object, ObjectEncryption, S3Error};

pub(super) fn encrypt(
    world: &mut World,
    ctx: &CallContext,
    w: &KmsWrite<'_>,
    audit: &mut CallAudit,
) -> Result<(Vec<u8>, ObjectEncryption), S3Error> {
    let aad = w.object_arn.as_bytes();
    let context = w.object_context();
    let dk = new_data_key(
        world,
        ctx,
        &w.bucket.region,
        w.key_id,
        context.clone(),
        audit,
    )?;
    let inner = seal(&dk.plaintext, w.nonce, w.body, aad)?;
    // The second, independent layer under an S3 key.
    let root = root_key(world);
    let outer_key = zeroize::Zeroizing::new(world.rng.bytes(32));
    let outer_nonce: [u8; 12] = world.rng.array();
    let sealed = seal(&outer_key, &outer_nonce, &inner, aad)?;
    let wrap_nonce: [u8; 12] = world.rng.array();
    let outer_wrapped = seal(&root, &wrap_nonce, &outer_key, aad)?;
    Ok((
        sealed,
        ObjectEncryption::Dsse {
            key_arn: dk.key_arn,
            context,
            wrapped_key: dk.wrapped,
            outer_wrapped_key: outer_wrapped,
            user_context: w.enc.user_context.clone(),
        },
    ))
}

pub(super) fn decrypt(
    world: &mut World,
    ctx: &CallContext,
    bucket: &Bucket,
    object: &Object,
    audit: &mut CallAudit,
) -> Result<Vec<u8>, S3Error> {
    let ObjectEncryption::Dsse {
        key_arn,
        context,
        wrapped_key,
        outer_wrapped_key,
        ..
    } = &object.encryption
    else {
        return Err(corrupt());
    };
    let object_arn = format!("{}/{}", bucket.arn(), object.key);
    let aad = object_arn.as_bytes();
    let data_key = unwrap_key(
        world,
        ctx,
        &bucket.region,
        wrapped_key,
        key_arn,
        context.clone(),
        audit,
    )?;
    let root = root_key(world);
    let outer_key =
        zeroize::Zeroizing::new(open(&root, outer_wrapped_key, aad).ok_or_else(corrupt)?);
    let inner = open(&outer_key, &object.body, aad).ok_or_else(corrupt)?;
    open(&data_key, &inner, aad).ok_or_else(corrupt)
}
