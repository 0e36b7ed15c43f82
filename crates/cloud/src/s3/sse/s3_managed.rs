//! SSE-S3: the data key is wrapped under S3's own root key (an AWS owned key: no KMS requests).

use super::{corrupt, open, seal};
use crate::World;
use crate::s3::{Object, ObjectEncryption, S3Error};

/// S3's root key, made on first use.
pub(super) fn root_key(world: &mut World) -> Vec<u8> {
    if world.services.s3.root_key.len() != 32 {
        world.services.s3.root_key = world.rng.bytes(32);
    }
    world.services.s3.root_key.clone()
}

pub(super) fn encrypt(
    world: &mut World,
    object_arn: &str,
    body: &[u8],
    nonce: &[u8; 12],
) -> Result<(Vec<u8>, ObjectEncryption), S3Error> {
    let aad = object_arn.as_bytes();
    let root = root_key(world);
    let data_key = zeroize::Zeroizing::new(world.rng.bytes(32));
    let sealed = seal(&data_key, nonce, body, aad)?;
    let wrap_nonce: [u8; 12] = world.rng.array();
    let wrapped = seal(&root, &wrap_nonce, &data_key, aad)?;
    Ok((
        sealed,
        ObjectEncryption::SseS3 {
            wrapped_key: wrapped,
        },
    ))
}

pub(super) fn decrypt(
    world: &mut World,
    object_arn: &str,
    object: &Object,
    wrapped_key: &[u8],
) -> Result<Vec<u8>, S3Error> {
    let aad = object_arn.as_bytes();
    let root = root_key(world);
    let data_key = zeroize::Zeroizing::new(open(&root, wrapped_key, aad).ok_or_else(corrupt)?);
    open(&data_key, &object.body, aad).ok_or_else(corrupt)
}
