//! AWS Systems Manager Parameter Store on top of KMS: `String`, `StringList` and `SecureString`
//! parameters with versions (up to 100), labels, tags, the Standard, Advanced and
//! Intelligent-Tiering tiers, and hierarchies read by path.
//!
//! `SecureString` values are really encrypted, as the KMS developer guide documents
//! (<https://docs.aws.amazon.com/kms/latest/developerguide/services-parameter-store.html>):
//! - Standard-tier values (at most 4096 bytes) with KMS `Encrypt` / `Decrypt` directly under the
//!   parameter's key;
//! - Advanced-tier values with envelope encryption (AWS uses the AWS Encryption SDK): a data key
//!   from `GenerateDataKey`, the value sealed locally with AES-256-GCM, the data key opened with
//!   `Decrypt` on every decrypting read;
//! - always with the encryption context `{"PARAMETER_ARN": "arn:aws:ssm:REGION:ACCOUNT:parameter/NAME"}`
//!   (`/app/db` → `parameter/app/db`, `MyParameter` → `parameter/MyParameter`).
//!
//! The KMS calls are made **as the caller, through SSM** (`kms:ViaService` =
//! `ssm.REGION.amazonaws.com`, CloudTrail `invokedBy` `ssm.amazonaws.com`), so key policies,
//! grants, IAM and key state apply; the default key `alias/aws/ssm` is created on first use.
//! Without `WithDecryption` a `SecureString` comes back as its stored ciphertext (base64) and
//! no KMS call is made.

use std::collections::BTreeMap;

use base64::Engine as _;
use serde::{Deserialize, Serialize};

mod error;
pub mod model;
mod parameter;
mod service;

pub use error::SsmError;
pub use model::{SsmClient, SsmRequest, SsmResponse};

use crate::World;
use crate::cloudtrail::CallAudit;
use crate::context::CallContext;
use crate::kms::model::{Blob, DecryptRequest, EncryptRequest, EncryptionContext};
use crate::kms::{KmsRequest, KmsResponse};
use crate::service_kms::{ServiceKms, open_envelope, seal_envelope, split_envelope, stored_blob};

/// The largest Standard-tier value, in bytes.
pub const STANDARD_MAX_BYTES: usize = 4096;
/// The largest Advanced-tier value, in bytes.
pub const ADVANCED_MAX_BYTES: usize = 8192;
/// The versions Parameter Store keeps of a parameter.
pub const MAX_VERSIONS: usize = 100;
/// The default key of `SecureString` parameters.
pub const DEFAULT_KEY: &str = "alias/aws/ssm";

/// One stored version of a parameter.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct StoredVersion {
    pub version: u64,
    /// `String`, `StringList`, `SecureString`.
    pub kind: String,
    /// The value, or for a `SecureString` its ciphertext (base64): a KMS ciphertext blob
    /// (Standard) or the lab's envelope (Advanced, see [`crate::service_kms::seal_envelope`]).
    pub value: String,
    /// The key as the request named it (`SecureString`).
    pub key_id: Option<String>,
    pub description: Option<String>,
    pub allowed_pattern: Option<String>,
    /// `Standard` or `Advanced`: also how the value was encrypted.
    pub tier: String,
    pub labels: Vec<String>,
    pub modified_ms: i64,
    pub modified_user: String,
    pub data_type: String,
}

/// A parameter: its versions (oldest first) and tags.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct StoredParameter {
    pub name: String,
    pub account: String,
    pub region: String,
    pub versions: Vec<StoredVersion>,
    pub tags: Vec<model::Tag>,
}

impl StoredParameter {
    /// The latest version (a stored parameter always has one).
    pub(crate) fn latest(&self) -> Option<&StoredVersion> {
        self.versions.last()
    }

    pub(crate) fn arn(&self) -> String {
        parameter_arn(&self.account, &self.region, &self.name)
    }
}

/// The Parameter Store state of every account and Region, by `ACCOUNT/REGION/NAME`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Ssm {
    pub(crate) parameters: BTreeMap<String, StoredParameter>,
}

impl Ssm {
    /// The number of parameters in every account and Region.
    pub fn parameter_count(&self) -> usize {
        self.parameters.len()
    }

    /// The number of Advanced-tier parameters of `account` (for `lab cost`).
    pub fn advanced_count(&self, account: &str) -> usize {
        self.parameters
            .values()
            .filter(|p| p.account == account)
            .filter(|p| p.latest().is_some_and(|v| v.tier == "Advanced"))
            .count()
    }

    /// What the world stores as the latest value of a parameter (a `SecureString`'s
    /// ciphertext, base64), for UIs and tests.
    pub fn stored_value(&self, account: &str, region: &str, name: &str) -> Option<&str> {
        self.parameters
            .get(&slot(account, region, name))
            .and_then(StoredParameter::latest)
            .map(|v| v.value.as_str())
    }
}

/// The `ACCOUNT/REGION/NAME` key of a parameter.
fn slot(account: &str, region: &str, name: &str) -> String {
    format!("{account}/{region}/{name}")
}

/// A parameter's ARN: `arn:aws:ssm:REGION:ACCOUNT:parameter/NAME`, where a hierarchical name's
/// leading slash is not doubled (`/app/db` → `parameter/app/db`).
pub(crate) fn parameter_arn(account: &str, region: &str, name: &str) -> String {
    format!(
        "arn:aws:ssm:{region}:{account}:parameter/{}",
        name.strip_prefix('/').unwrap_or(name)
    )
}

/// SSM calls KMS for the caller; its AWS managed key is `alias/aws/ssm`.
const KMS: ServiceKms<SsmError> = ServiceKms {
    service: "ssm",
    context_key: "PARAMETER_ARN",
    map_err: SsmError::from_kms,
    internal: SsmError::InternalServerError,
};

fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

/// The magic of the lab's Advanced-tier envelope.
const ENVELOPE_MAGIC: &[u8; 4] = b"KLPS";

/// Whether `key_id` names the caller's `aws/ssm` key (alias name or alias ARN).
fn names_default_key(ctx: &CallContext, key_id: &str) -> bool {
    key_id == DEFAULT_KEY
        || key_id == format!("arn:aws:kms:{}:{}:{DEFAULT_KEY}", ctx.region, ctx.account)
}

/// Encrypts a `SecureString` value for `arn` under `key_id` as the tier asks; the stored
/// ciphertext, base64.
fn encrypt_value(
    world: &mut World,
    ctx: &CallContext,
    key_id: &str,
    tier: &str,
    arn: &str,
    value: &str,
    audit: &mut CallAudit,
) -> Result<String, SsmError> {
    if names_default_key(ctx, key_id) {
        // Parameter Store creates `aws/ssm` the first time it needs it.
        let now = world.now_ms();
        world
            .kms
            .aws_managed_key(&ctx.account, &ctx.region, "ssm", now, &mut world.rng)
            .map_err(SsmError::ManagedKey)?;
    }
    let context = KMS.context(arn);
    if tier == "Advanced" {
        let out = KMS.data_key(world, ctx, key_id, context, true, audit)?;
        let (Some(plain), Some(wrapped)) = (out.plaintext.as_ref(), out.ciphertext_blob.as_ref())
        else {
            return Err(SsmError::InternalServerError(
                "KMS returned no data key".into(),
            ));
        };
        let nonce: [u8; 12] = world.rng.array();
        let sealed = seal_envelope(
            ENVELOPE_MAGIC,
            &plain.0,
            &wrapped.0,
            &nonce,
            value.as_bytes(),
            arn.as_bytes(),
        )
        .ok_or_else(|| SsmError::InternalServerError("encryption failed".into()))?;
        return Ok(b64().encode(sealed));
    }
    let req = KmsRequest::Encrypt(EncryptRequest {
        key_id: key_id.to_owned(),
        plaintext: Blob(value.as_bytes().to_vec()),
        encryption_context: Some(context),
        ..EncryptRequest::default()
    });
    match KMS.call(world, ctx, req, key_id, audit)? {
        KmsResponse::Encrypt(r) => Ok(r
            .ciphertext_blob
            .as_ref()
            .map(|b| b64().encode(&b.0))
            .unwrap_or_default()),
        other => Err(SsmError::InternalServerError(format!(
            "KMS answered {}",
            other.operation()
        ))),
    }
}

fn corrupt() -> SsmError {
    SsmError::InternalServerError("the stored value failed to decrypt".into())
}

/// Decrypts a stored `SecureString` version of the parameter `arn` through KMS, as the caller.
fn decrypt_value(
    world: &mut World,
    ctx: &CallContext,
    arn: &str,
    v: &StoredVersion,
    audit: &mut CallAudit,
) -> Result<String, SsmError> {
    let context: EncryptionContext = KMS.context(arn);
    if v.tier == "Advanced" {
        let sealed = b64().decode(v.value.as_bytes()).map_err(|_| corrupt())?;
        let (wrapped, nonce, ct) = split_envelope(ENVELOPE_MAGIC, &sealed).ok_or_else(corrupt)?;
        let req = DecryptRequest {
            ciphertext_blob: Blob(wrapped.to_vec()),
            encryption_context: Some(context),
            ..DecryptRequest::default()
        };
        let data_key = KMS.decrypt(world, ctx, req, audit)?;
        let plain = open_envelope(&data_key.0, nonce, ct, arn.as_bytes()).ok_or_else(corrupt)?;
        return String::from_utf8(plain).map_err(|_| corrupt());
    }
    let req = DecryptRequest {
        ciphertext_blob: stored_blob(&v.value),
        encryption_context: Some(context),
        ..DecryptRequest::default()
    };
    let plain = KMS.decrypt(world, ctx, req, audit)?;
    String::from_utf8(plain.0.clone()).map_err(|_| corrupt())
}
