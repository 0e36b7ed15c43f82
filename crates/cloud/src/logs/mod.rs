//! Amazon CloudWatch Logs with KMS: log groups, log streams and log events, where a log group
//! with a KMS key really has its events encrypted.
//!
//! Unlike Parameter Store or S3, Logs does not call KMS for the caller: it calls as its own
//! **Regional service principal** `logs.REGION.amazonaws.com`, with the encryption context
//! `{"aws:logs:arn": "arn:aws:logs:REGION:ACCOUNT:log-group:NAME"}`
//! (<https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html>). So
//! the key policy must allow that principal (a statement for `logs.amazonaws.com` does not),
//! usually conditioned on `kms:EncryptionContext:aws:logs:arn`; the caller's own KMS
//! permissions do not matter. When it does not, `CreateLogGroup --kms-key-id` and
//! `AssociateKmsKey` fail with `AccessDeniedException` "The specified KMS key does not exist or
//! is not allowed to be used with Arn '…'", and so do ingestion and reading once the key is
//! disabled or the policy changes.
//!
//! Each `PutLogEvents` batch gets a data key from `GenerateDataKey`; every message is sealed
//! with AES-256-GCM under it and only the encrypted data key is kept; `GetLogEvents` opens the
//! data key of each batch it reads with `Decrypt`. Associating or disassociating a key takes
//! effect [`ASSOCIATION_DELAY_MS`] later ("it can take up to 5 minutes for this operation to
//! take effect", `AssociateKmsKey`); events ingested before keep the encryption they had.
//! `PutLogEvents` stores only events at most [`MAX_AGE_MS`] old and at most
//! [`MAX_FUTURE_MS`] ahead; the others are reported in `rejectedLogEventsInfo`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

mod error;
mod group;
pub mod model;
mod service;
mod stream;

pub use error::LogsError;
pub use model::{LogsClient, LogsRequest, LogsResponse};

use crate::World;
use crate::cloudtrail::CallAudit;
use crate::context::CallContext;
use crate::kms::model::{Blob, DecryptRequest, EncryptionContext, GenerateDataKeyRequest};
use crate::kms::{KmsError, KmsRequest, KmsResponse};

/// How long an association or disassociation takes to apply to newly ingested events.
pub const ASSOCIATION_DELAY_MS: i64 = 5 * 60_000;
/// Events older than this (14 days) are rejected by `PutLogEvents`.
pub const MAX_AGE_MS: i64 = 14 * 24 * 3_600_000;
/// Events further ahead than this (2 hours) are rejected by `PutLogEvents`.
pub const MAX_FUTURE_MS: i64 = 2 * 3_600_000;
/// The encryption-context key Logs binds its data keys to.
pub const CONTEXT_KEY: &str = "aws:logs:arn";

/// Base64 in the serialised state.
mod b64 {
    use base64::Engine as _;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&base64::engine::general_purpose::STANDARD.encode(bytes))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        base64::engine::general_purpose::STANDARD
            .decode(text.as_bytes())
            .map_err(serde::de::Error::custom)
    }
}

/// From `from_ms` on, newly ingested events are encrypted under `key` (none: Logs' own key).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct KeyPeriod {
    pub from_ms: i64,
    pub key: Option<String>,
}

/// One stored event: its times and its message (sealed when its batch has a KMS data key:
/// a 12-byte nonce, then the AES-256-GCM ciphertext and tag).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct StoredLogEvent {
    pub timestamp: i64,
    #[serde(with = "b64")]
    pub body: Vec<u8>,
}

/// One `PutLogEvents` batch as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Batch {
    pub ingested_ms: i64,
    /// The KMS key the data key was generated under (as the association named it).
    pub key: Option<String>,
    /// KMS's ciphertext of the batch's data key (empty without a KMS key).
    #[serde(with = "b64")]
    pub wrapped_key: Vec<u8>,
    pub events: Vec<StoredLogEvent>,
}

/// A log stream.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct StoredStream {
    pub name: String,
    pub created_ms: i64,
    pub batches: Vec<Batch>,
}

/// A log group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct StoredGroup {
    pub name: String,
    pub account: String,
    pub region: String,
    pub created_ms: i64,
    pub class: String,
    /// The key `DescribeLogGroups` shows (the latest association, as given).
    pub kms_key_id: Option<String>,
    /// The associations over time, oldest first.
    pub periods: Vec<KeyPeriod>,
    pub tags: BTreeMap<String, String>,
    pub streams: BTreeMap<String, StoredStream>,
}

impl StoredGroup {
    /// `arn:aws:logs:REGION:ACCOUNT:log-group:NAME` (the encryption context's value).
    pub(crate) fn arn(&self) -> String {
        group_arn(&self.account, &self.region, &self.name)
    }

    /// The key newly ingested events are encrypted under at `now_ms`.
    pub(crate) fn key_at(&self, now_ms: i64) -> Option<&str> {
        self.periods
            .iter()
            .rev()
            .find(|p| p.from_ms <= now_ms)
            .and_then(|p| p.key.as_deref())
    }

    /// The bytes of every stored message.
    pub(crate) fn stored_bytes(&self) -> usize {
        self.streams
            .values()
            .flat_map(|s| &s.batches)
            .flat_map(|b| &b.events)
            .map(|e| e.body.len())
            .sum()
    }
}

/// The CloudWatch Logs state of every account and Region, by `ACCOUNT/REGION/NAME`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Logs {
    pub(crate) groups: BTreeMap<String, StoredGroup>,
}

impl Logs {
    /// The number of log groups in every account and Region.
    pub fn group_count(&self) -> usize {
        self.groups.len()
    }

    /// The stored bodies of a stream's events, oldest batch first (a KMS-encrypted group's
    /// are ciphertext): for UIs and tests.
    pub fn stored_bodies(
        &self,
        account: &str,
        region: &str,
        group: &str,
        stream: &str,
    ) -> Option<Vec<Vec<u8>>> {
        let g = self.groups.get(&slot(account, region, group))?;
        let s = g.streams.get(stream)?;
        Some(
            s.batches
                .iter()
                .flat_map(|b| b.events.iter().map(|e| e.body.clone()))
                .collect(),
        )
    }
}

/// The `ACCOUNT/REGION/NAME` key of a log group.
pub(crate) fn slot(account: &str, region: &str, name: &str) -> String {
    format!("{account}/{region}/{name}")
}

/// A log group's ARN without the trailing `:*`.
pub(crate) fn group_arn(account: &str, region: &str, name: &str) -> String {
    format!("arn:aws:logs:{region}:{account}:log-group:{name}")
}

/// Logs' Regional service principal in `region`, acting for `account`.
pub(crate) fn principal(account: &str, region: &str) -> CallContext {
    CallContext::aws_service(&format!("logs.{region}"), account, region)
}

/// The encryption context of a group's data keys.
fn context(group_arn: &str) -> EncryptionContext {
    EncryptionContext::from([(CONTEXT_KEY.to_owned(), group_arn.to_owned())])
}

/// A new AES-256 data key for the group `group_arn` under `key`, asked for by Logs' service
/// principal: (plaintext, encrypted copy).
pub(crate) fn data_key(
    world: &mut World,
    (account, region): (&str, &str),
    key: &str,
    group_arn: &str,
    audit: &mut CallAudit,
) -> Result<(Vec<u8>, Vec<u8>), KmsError> {
    let req = KmsRequest::GenerateDataKey(GenerateDataKeyRequest {
        key_id: key.to_owned(),
        key_spec: Some("AES_256".into()),
        encryption_context: Some(context(group_arn)),
        ..GenerateDataKeyRequest::default()
    });
    match world.kms_on_behalf(&principal(account, region), req, &mut audit.authorizations)? {
        KmsResponse::GenerateDataKey(r) => Ok((
            r.plaintext.map(|b| b.0.clone()).unwrap_or_default(),
            r.ciphertext_blob.map(|b| b.0.clone()).unwrap_or_default(),
        )),
        other => Err(KmsError::KmsInternal(format!(
            "KMS answered {}",
            other.operation()
        ))),
    }
}

/// The plaintext of a batch's data key: `Decrypt` by Logs' service principal.
pub(crate) fn open_data_key(
    world: &mut World,
    (account, region): (&str, &str),
    key: &str,
    wrapped: &[u8],
    group_arn: &str,
    audit: &mut CallAudit,
) -> Result<Vec<u8>, KmsError> {
    let req = KmsRequest::Decrypt(DecryptRequest {
        ciphertext_blob: Blob(wrapped.to_vec()),
        key_id: Some(key.to_owned()),
        encryption_context: Some(context(group_arn)),
        ..DecryptRequest::default()
    });
    match world.kms_on_behalf(&principal(account, region), req, &mut audit.authorizations)? {
        KmsResponse::Decrypt(r) => Ok(r.plaintext.map(|b| b.0.clone()).unwrap_or_default()),
        other => Err(KmsError::KmsInternal(format!(
            "KMS answered {}",
            other.operation()
        ))),
    }
}

/// Seals one message under a batch's data key (`aad`: the group ARN).
pub(crate) fn seal(data_key: &[u8], nonce: &[u8; 12], message: &[u8], aad: &[u8]) -> Option<Vec<u8>> {
    use aes_gcm::aead::{Aead, KeyInit, Payload};
    let cipher = aes_gcm::Aes256Gcm::new_from_slice(data_key).ok()?;
    let ct = cipher
        .encrypt(aes_gcm::Nonce::from_slice(nonce), Payload { msg: message, aad })
        .ok()?;
    let mut out = nonce.to_vec();
    out.extend(ct);
    Some(out)
}

/// Opens a sealed message; `None` if it does not open.
pub(crate) fn open(data_key: &[u8], sealed: &[u8], aad: &[u8]) -> Option<Vec<u8>> {
    use aes_gcm::aead::{Aead, KeyInit, Payload};
    let (nonce, ct) = sealed.split_at_checked(12)?;
    let cipher = aes_gcm::Aes256Gcm::new_from_slice(data_key.get(..32)?).ok()?;
    cipher
        .decrypt(aes_gcm::Nonce::from_slice(nonce), Payload { msg: ct, aad })
        .ok()
}
