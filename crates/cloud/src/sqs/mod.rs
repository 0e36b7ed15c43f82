//! Amazon SQS with server-side encryption: queues, queue policies, and messages that are really
//! encrypted at rest.
//!
//! A queue is encrypted one of three ways
//! (<https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-server-side-encryption.html>):
//! - **SSE-SQS** (`SqsManagedSseEnabled`, the default for new queues): SQS's own keys; no KMS
//!   call, no key policy to write. The lab seals each message under a key the queue holds.
//! - **SSE-KMS** (`KmsMasterKeyId`: `alias/aws/sqs` or a customer managed key): SQS asks KMS,
//!   *as the caller* through SQS (`kms:ViaService` `sqs.REGION.amazonaws.com`), for a data key
//!   bound to the queue (`{"aws:sqs:arn": QUEUE_ARN}`), seals each message with AES-256-GCM under
//!   it, and keeps only the encrypted data key beside the message. A producer's data key is
//!   reused for `KmsDataKeyReusePeriodSeconds` (60–86,400, default 300), and so is a consumer's
//!   decrypted data key, so the period decides how many `GenerateDataKey` and `Decrypt`
//!   requests (CloudTrail events, and the KMS bill) a queue causes
//!   (<https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html>).
//!   The cache is per requester: SQS tells callers apart by their credentials (sessions of one
//!   role differing only in their session name are one requester).
//! - none (`SqsManagedSseEnabled=false` and no key).
//!
//! Access is the caller's identity policies and the queue's `Policy` ([`access`]). An AWS
//! service delivering to a queue (SNS, EventBridge) sends as its service principal, so the
//! queue policy must allow it (usually with `aws:SourceArn`), and for an SSE-KMS queue the key
//! policy must allow that principal `kms:GenerateDataKey*` and `kms:Decrypt`; the `aws/sqs`
//! key's policy allows only callers through SQS in the account and cannot be changed, so such a
//! queue never receives from those services.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub(crate) mod access;
mod error;
mod md5;
mod message;
pub mod model;
mod queue;
mod service;
mod sse;

pub use error::SqsError;
pub use model::{SqsClient, SqsRequest, SqsResponse};

pub(crate) use message::deliver;

/// The encryption-context key SQS binds its data keys to.
pub const CONTEXT_KEY: &str = "aws:sqs:arn";
/// The data key reuse period when a queue names none (seconds).
pub const DEFAULT_REUSE_SECONDS: i64 = 300;

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

/// One stored message: its body sealed (SSE) or as sent, and its delivery state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct StoredMessage {
    pub id: String,
    /// AES-256-GCM (12-byte nonce, ciphertext, tag) under the data key, or the body as sent
    /// for an unencrypted queue.
    #[serde(with = "b64")]
    pub body: Vec<u8>,
    /// The KMS key of an SSE-KMS message (as the queue named it when it was sent).
    pub key: Option<String>,
    /// KMS's ciphertext of the message's data key (empty unless SSE-KMS).
    #[serde(with = "b64")]
    pub wrapped_key: Vec<u8>,
    /// Whether the body is sealed under the queue's SSE-SQS key.
    pub sse_sqs: bool,
    pub md5: String,
    pub sent_ms: i64,
    /// Invisible until then (delay, or a receipt's visibility timeout).
    pub visible_ms: i64,
    pub receive_count: u32,
    pub first_receive_ms: Option<i64>,
    /// The handle of the latest receipt.
    pub receipt: Option<String>,
    /// The sender's principal id (the `SenderId` system attribute).
    #[serde(default)]
    pub sender_id: String,
}

/// A producer's data key, reused until `until_ms`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct CachedDataKey {
    pub key: String,
    #[serde(with = "b64")]
    pub plaintext: Vec<u8>,
    #[serde(with = "b64")]
    pub wrapped: Vec<u8>,
    pub until_ms: i64,
}

/// A consumer's decrypted data key, reused until `until_ms`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct CachedPlainKey {
    #[serde(with = "b64")]
    pub plaintext: Vec<u8>,
    pub until_ms: i64,
}

/// A queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct StoredQueue {
    pub name: String,
    pub account: String,
    pub region: String,
    pub created_ms: i64,
    pub modified_ms: i64,
    /// The settable attributes as last set (`VisibilityTimeout`, `KmsMasterKeyId`, …).
    pub attributes: BTreeMap<String, String>,
    pub tags: BTreeMap<String, String>,
    /// The SSE-SQS key (SQS owned; never leaves SQS).
    #[serde(with = "b64")]
    pub owned_key: Vec<u8>,
    pub messages: Vec<StoredMessage>,
    /// Producers' data keys, by requester (the principal ARN; a role session's role ARN).
    #[serde(default)]
    pub producer_keys: BTreeMap<String, CachedDataKey>,
    /// Consumers' decrypted data keys, by requester and encrypted data key.
    #[serde(default)]
    pub consumer_keys: BTreeMap<String, CachedPlainKey>,
    pub purged_ms: Option<i64>,
}

impl StoredQueue {
    /// `arn:aws:sqs:REGION:ACCOUNT:NAME`.
    pub(crate) fn arn(&self) -> String {
        queue_arn(&self.account, &self.region, &self.name)
    }

    /// `https://sqs.REGION.amazonaws.com/ACCOUNT/NAME`.
    pub(crate) fn url(&self) -> String {
        format!(
            "https://sqs.{}.amazonaws.com/{}/{}",
            self.region, self.account, self.name
        )
    }

    /// An integer attribute, or its default.
    pub(crate) fn int(&self, name: &str, default: i64) -> i64 {
        self.attributes
            .get(name)
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    }

    /// The queue's KMS key (SSE-KMS), if any.
    pub(crate) fn kms_key(&self) -> Option<&str> {
        self.attributes
            .get("KmsMasterKeyId")
            .map(String::as_str)
            .filter(|k| !k.is_empty())
    }

    /// Whether SSE-SQS is on.
    pub(crate) fn sse_sqs(&self) -> bool {
        self.kms_key().is_none()
            && self
                .attributes
                .get("SqsManagedSseEnabled")
                .is_some_and(|v| v == "true")
    }
}

/// The SQS state of every account and Region, by `ACCOUNT/REGION/NAME`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Sqs {
    pub(crate) queues: BTreeMap<String, StoredQueue>,
    /// When each deleted queue was deleted (a name is free again 60 seconds later).
    #[serde(default)]
    pub(crate) deleted: BTreeMap<String, i64>,
}

impl Sqs {
    /// The number of queues in every account and Region.
    pub fn queue_count(&self) -> usize {
        self.queues.len()
    }

    /// The stored bodies of a queue's messages, oldest first (an encrypted queue's are
    /// ciphertext): for UIs and tests.
    pub fn stored_bodies(&self, account: &str, region: &str, name: &str) -> Option<Vec<Vec<u8>>> {
        let q = self.queues.get(&slot(account, region, name))?;
        Some(q.messages.iter().map(|m| m.body.clone()).collect())
    }
}

/// The `ACCOUNT/REGION/NAME` key of a queue.
pub(crate) fn slot(account: &str, region: &str, name: &str) -> String {
    format!("{account}/{region}/{name}")
}

/// A queue's ARN.
pub(crate) fn queue_arn(account: &str, region: &str, name: &str) -> String {
    format!("arn:aws:sqs:{region}:{account}:{name}")
}

/// The `(account, region, name)` a queue URL names, if it is one.
pub(crate) fn parse_url(url: &str) -> Option<(String, String, String)> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let (host, path) = rest.split_once('/')?;
    let region = host
        .strip_prefix("sqs.")
        .and_then(|h| h.strip_suffix(".amazonaws.com"))?;
    let (account, name) = path.split_once('/')?;
    let name = name.trim_end_matches('/');
    (!name.is_empty() && !name.contains('/'))
        .then(|| (account.to_owned(), region.to_owned(), name.to_owned()))
}

/// The `(account, region, name)` a queue ARN names, if it is one.
pub(crate) fn parse_arn(arn: &str) -> Option<(String, String, String)> {
    let rest = arn.strip_prefix("arn:aws:sqs:")?;
    let mut parts = rest.splitn(3, ':');
    let region = parts.next()?;
    let account = parts.next()?;
    let name = parts.next()?;
    (!name.is_empty()).then(|| (account.to_owned(), region.to_owned(), name.to_owned()))
}
