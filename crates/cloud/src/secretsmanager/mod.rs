//! AWS Secrets Manager on top of KMS: secrets with versions and staging labels (`AWSCURRENT`,
//! `AWSPREVIOUS`, `AWSPENDING`), tags, resource policies, deletion with a recovery window on
//! the world's clock, and random passwords.
//!
//! Secret values are really encrypted, as the Secrets Manager user guide documents
//! (<https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html>):
//! every new version gets a 256-bit data key from KMS `GenerateDataKey`, the value is sealed
//! locally with AES-256-GCM, and only the encrypted data key and the ciphertext are kept; a read
//! opens the data key with KMS `Decrypt`. The encryption context is
//! `{"SecretARN": ARN, "SecretVersionId": VERSION}`.
//!
//! The KMS calls are made **as the caller, through Secrets Manager** (`kms:ViaService` =
//! `secretsmanager.REGION.amazonaws.com`, CloudTrail `invokedBy` `secretsmanager.amazonaws.com`),
//! so key policies, grants, IAM and key state apply; the default key `aws/secretsmanager` is
//! created on first use. When KMS refuses, `GetSecretValue` answers `AccessDeniedException`
//! "Access to KMS is not allowed"; a key in the wrong state gives `DecryptionFailure` (or
//! `EncryptionFailure` when writing).
//!
//! A new `KmsKeyId` re-encrypts the `AWSCURRENT`, `AWSPENDING` and `AWSPREVIOUS` versions under
//! the new key when the caller can decrypt them with the old one; the old envelopes are kept, so
//! those versions open with either key (as the user guide says).

use std::collections::BTreeMap;

use base64::Engine as _;
use serde::{Deserialize, Serialize};

mod auth;
mod error;
mod managed;
pub mod model;
mod random;
mod resource_policy;
mod rotation;
mod secret;
mod service;
pub mod standin;

pub use error::{KMS_ACCESS_DENIED, SecretsManagerError};
pub(crate) use managed::{create_managed, delete_managed, rotate_managed};
pub(crate) use rotation::run_due as run_due_rotations;
pub use model::{SecretsManagerClient, SecretsManagerRequest, SecretsManagerResponse};

use crate::World;
use crate::cloudtrail::CallAudit;
use crate::context::CallContext;
use crate::kms::model::{Blob, DecryptRequest, EncryptionContext};
use crate::service_kms::{ServiceKms, open_envelope, seal_envelope, split_envelope};

/// The largest secret value, in bytes.
pub const MAX_SECRET_BYTES: usize = 65_536;
/// The default key of new secrets.
pub const DEFAULT_KEY: &str = "alias/aws/secretsmanager";
/// The label of the current version.
pub const AWSCURRENT: &str = "AWSCURRENT";
/// The label of the previous version.
pub const AWSPREVIOUS: &str = "AWSPREVIOUS";
/// The label of a version being rotated in.
pub const AWSPENDING: &str = "AWSPENDING";

/// A version's value sealed under one KMS key.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Envelope {
    /// The KMS key's ARN.
    pub key_arn: String,
    /// The lab's envelope, base64 (see [`seal`]).
    pub sealed: String,
}

/// One version of a secret.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct StoredVersion {
    pub id: String,
    pub stages: Vec<String>,
    pub created_ms: i64,
    /// `SecretBinary` (else `SecretString`).
    pub binary: bool,
    /// The value under each key it is encrypted with, newest first.
    pub envelopes: Vec<Envelope>,
    /// The day of the last read (ms at midnight UTC).
    pub last_accessed_ms: Option<i64>,
}

/// A secret.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct StoredSecret {
    pub name: String,
    pub arn: String,
    pub account: String,
    pub region: String,
    pub description: Option<String>,
    /// The key as the request named it (key id, ARN or alias); `None` for `aws/secretsmanager`.
    pub kms_key_id: Option<String>,
    pub r#type: Option<String>,
    pub versions: Vec<StoredVersion>,
    pub tags: Vec<model::Tag>,
    pub policy: Option<String>,
    pub created_ms: i64,
    pub changed_ms: i64,
    pub accessed_ms: Option<i64>,
    /// When the deletion falls due (the secret is in its recovery window).
    pub deletion_due_ms: Option<i64>,
    pub rotation_lambda_arn: Option<String>,
    pub rotation_rules: Option<model::RotationRules>,
    /// When the last rotation finished.
    #[serde(default)]
    pub last_rotated_ms: Option<i64>,
    /// When the schedule was last set (the first rotation is due one interval later).
    #[serde(default)]
    pub schedule_from_ms: Option<i64>,
    /// The token of a rotation `RotateSecret` started (or asked to reattempt) that the rotation
    /// function has not run yet.
    #[serde(default)]
    pub rotation_queued: Option<String>,
    /// When the last scheduled rotation failed (it is retried a day later).
    #[serde(default)]
    pub rotation_failed_ms: Option<i64>,
}

impl StoredSecret {
    pub(crate) fn version_by_stage(&self, stage: &str) -> Option<&StoredVersion> {
        self.versions
            .iter()
            .find(|v| v.stages.iter().any(|s| s == stage))
    }
}

/// The Secrets Manager state of every account and Region, by ARN.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct SecretsManager {
    pub(crate) secrets: BTreeMap<String, StoredSecret>,
    /// A rotation function is running (its own calls must not start another).
    #[serde(skip)]
    pub(crate) rotating: bool,
}

impl SecretsManager {
    /// The number of secrets (in their recovery window included) whose deletion is not due at
    /// `now_ms`, in every account and Region.
    pub fn secret_count(&self, now_ms: i64) -> usize {
        self.secrets
            .values()
            .filter(|s| s.deletion_due_ms.is_none_or(|d| d > now_ms))
            .count()
    }

    /// The secrets of `account` not scheduled for deletion (for `lab cost`: each is billed).
    pub fn billed_count(&self, account: &str) -> usize {
        self.secrets
            .values()
            .filter(|s| s.account == account && s.deletion_due_ms.is_none())
            .count()
    }

    /// What the world stores for a secret's `AWSCURRENT` version: the sealed envelopes (base64),
    /// never the plaintext. For UIs and tests.
    pub fn stored_ciphertexts(&self, arn_or_name: &str) -> Vec<String> {
        self.secrets
            .values()
            .find(|s| s.arn == arn_or_name || s.name == arn_or_name)
            .and_then(|s| s.version_by_stage(AWSCURRENT))
            .map(|v| v.envelopes.iter().map(|e| e.sealed.clone()).collect())
            .unwrap_or_default()
    }

    /// Forgets the secrets whose recovery window has ended at `now_ms`.
    pub(crate) fn purge_due(&mut self, now_ms: i64) {
        self.secrets
            .retain(|_, s| s.deletion_due_ms.is_none_or(|d| d > now_ms));
    }
}

/// Secrets Manager calls KMS for the caller when writing a version; its AWS managed key is
/// `aws/secretsmanager`.
const KMS_WRITE: ServiceKms<SecretsManagerError> = ServiceKms {
    service: "secretsmanager",
    context_key: "SecretARN",
    map_err: SecretsManagerError::from_kms_encrypt,
    internal: SecretsManagerError::InternalServiceError,
};

/// … and when reading one.
const KMS_READ: ServiceKms<SecretsManagerError> = ServiceKms {
    service: "secretsmanager",
    context_key: "SecretARN",
    map_err: SecretsManagerError::from_kms_decrypt,
    internal: SecretsManagerError::InternalServiceError,
};

fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

/// The encryption context of a version's data key, as AWS documents it.
pub(crate) fn encryption_context(arn: &str, version: &str) -> EncryptionContext {
    EncryptionContext::from([
        ("SecretARN".to_owned(), arn.to_owned()),
        ("SecretVersionId".to_owned(), version.to_owned()),
    ])
}

/// The magic of the lab's envelope.
const MAGIC: &[u8; 4] = b"KLSM";

fn internal(m: &str) -> SecretsManagerError {
    SecretsManagerError::InternalServiceError(m.into())
}

/// Encrypts `plain` for version `version` of secret `arn` under `key_id`, through KMS as the
/// caller: the envelope.
pub(crate) fn seal(
    world: &mut World,
    ctx: &CallContext,
    key_id: &str,
    arn: &str,
    version: &str,
    plain: &[u8],
    audit: &mut CallAudit,
) -> Result<Envelope, SecretsManagerError> {
    let out = KMS_WRITE.data_key(
        world,
        ctx,
        key_id,
        encryption_context(arn, version),
        true,
        audit,
    )?;
    let (Some(data_key), Some(wrapped)) = (out.plaintext.as_ref(), out.ciphertext_blob.as_ref())
    else {
        return Err(internal("KMS returned no data key"));
    };
    let nonce: [u8; 12] = world.rng.array();
    let aad = format!("{arn}\n{version}");
    let sealed = seal_envelope(MAGIC, &data_key.0, &wrapped.0, &nonce, plain, aad.as_bytes())
        .ok_or_else(|| internal("encryption failed"))?;
    Ok(Envelope {
        key_arn: out.key_id.clone().unwrap_or_else(|| key_id.to_owned()),
        sealed: b64().encode(sealed),
    })
}

fn corrupt() -> SecretsManagerError {
    internal("the stored secret value failed to decrypt")
}

/// Opens one envelope of version `version` of `arn` through KMS `Decrypt`, as the caller.
fn open_one(
    world: &mut World,
    ctx: &CallContext,
    arn: &str,
    version: &str,
    env: &Envelope,
    audit: &mut CallAudit,
) -> Result<Vec<u8>, SecretsManagerError> {
    let sealed = b64().decode(env.sealed.as_bytes()).map_err(|_| corrupt())?;
    let (wrapped, nonce, ct) = split_envelope(MAGIC, &sealed).ok_or_else(corrupt)?;
    let req = DecryptRequest {
        ciphertext_blob: Blob(wrapped.to_vec()),
        key_id: Some(env.key_arn.clone()),
        encryption_context: Some(encryption_context(arn, version)),
        ..DecryptRequest::default()
    };
    let data_key = KMS_READ.decrypt(world, ctx, req, audit)?;
    let aad = format!("{arn}\n{version}");
    open_envelope(&data_key.0, nonce, ct, aad.as_bytes()).ok_or_else(corrupt)
}

/// Decrypts a version: its newest envelope first, then the older ones (a version re-encrypted
/// under a new key still opens with the old one); the first failure if none opens.
pub(crate) fn open(
    world: &mut World,
    ctx: &CallContext,
    arn: &str,
    v: &StoredVersion,
    audit: &mut CallAudit,
) -> Result<Vec<u8>, SecretsManagerError> {
    let mut first = None;
    for env in &v.envelopes {
        match open_one(world, ctx, arn, &v.id, env, audit) {
            Ok(p) => return Ok(p),
            Err(e) => {
                first.get_or_insert(e);
            }
        }
    }
    Err(first.unwrap_or_else(corrupt))
}
