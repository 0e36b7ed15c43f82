//! S3: Regional buckets, default encryption (SSE-S3, SSE-KMS, DSSE-KMS, SSE-C blocking), bucket
//! policies, and objects whose bytes are really encrypted with per-object data keys.
//!
//! SSE-KMS objects use envelope encryption: S3 calls KMS `GenerateDataKey` **on behalf of the
//! caller** (`kms:ViaService` = `s3.REGION.amazonaws.com`, CloudTrail `invokedBy`
//! `s3.amazonaws.com`) with the encryption context `{"aws:s3:arn": OBJECT_ARN}`, encrypts the
//! body with AES-256-GCM under the plaintext data key and keeps only the encrypted copy;
//! `GetObject` calls KMS `Decrypt` with the same context. So the reader needs `kms:Decrypt` on
//! the key, and a disabled key stops reads.
//!
//! With an S3 Bucket Key S3 asks KMS for a bucket-level key (context `{"aws:s3:arn":
//! BUCKET_ARN}`), caches it per requester for [`BUCKET_KEY_TTL_MS`] and derives each object's
//! key locally with HKDF-SHA256 (a random salt per object), so most uploads make no KMS request.
//! <https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html>

mod auth;
mod bucket;
mod bulk;
mod error;
pub mod model;
mod object;
mod service;
mod service_writes;
mod sse;
mod versioning;

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

pub use bulk::BulkPut;
pub use error::S3Error;
pub use model::{S3Client, S3Request, S3Response};
pub(crate) use service::is_data_event;
pub(crate) use service_writes::{
    ServiceDataKey, ServiceWrite, bucket_allows_service, bucket_exists, put_as_service,
};

/// How long S3 keeps a bucket-level key for one requester before asking KMS again. AWS documents
/// only that the key is "time-limited"; the lab uses five minutes.
pub const BUCKET_KEY_TTL_MS: i64 = 5 * 60_000;

/// Base64 in the serialised state (not arrays of numbers).
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

/// A bucket's default encryption (`ServerSideEncryptionConfiguration`, one rule).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct DefaultEncryption {
    /// `AES256`, `aws:kms` or `aws:kms:dsse`.
    pub algorithm: String,
    /// `KMSMasterKeyID` as configured (key id, key ARN, alias name or alias ARN).
    pub kms_key: Option<String>,
    pub bucket_key_enabled: bool,
    /// `BlockedEncryptionTypes`: whether SSE-C uploads are blocked (the default for new
    /// general purpose buckets since April 2026).
    pub sse_c_blocked: bool,
}

impl Default for DefaultEncryption {
    fn default() -> Self {
        DefaultEncryption {
            algorithm: "AES256".into(),
            kms_key: None,
            bucket_key_enabled: false,
            sse_c_blocked: true,
        }
    }
}

/// How one object is encrypted, with what S3 keeps to decrypt it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum ObjectEncryption {
    /// SSE-S3: the data key wrapped under S3's own root key (no KMS involved).
    SseS3 {
        #[serde(with = "b64")]
        wrapped_key: Vec<u8>,
    },
    /// SSE-KMS, one data key per object from KMS.
    SseKms {
        key_arn: String,
        /// The encryption context KMS bound the data key to (includes `aws:s3:arn`).
        context: BTreeMap<String, String>,
        /// Present for objects written without a bucket key: KMS's ciphertext of the data key.
        #[serde(with = "b64")]
        wrapped_key: Vec<u8>,
        /// Present for objects written with a bucket key: KMS's ciphertext of the bucket key,
        /// and the HKDF salt of this object's key.
        #[serde(default, with = "b64")]
        bucket_key: Vec<u8>,
        #[serde(default, with = "b64")]
        salt: Vec<u8>,
        /// The user-supplied part of the context (returned as `SSEKMSEncryptionContext`).
        user_context: Option<BTreeMap<String, String>>,
    },
    /// DSSE-KMS: two layers, the inner one under a KMS data key, the outer one under an S3 key.
    Dsse {
        key_arn: String,
        context: BTreeMap<String, String>,
        #[serde(with = "b64")]
        wrapped_key: Vec<u8>,
        #[serde(with = "b64")]
        outer_wrapped_key: Vec<u8>,
        user_context: Option<BTreeMap<String, String>>,
    },
    /// SSE-C: the customer keeps the key; S3 keeps only a salted hash to check it.
    SseC {
        key_check: String,
        key_md5: Option<String>,
    },
}

impl ObjectEncryption {
    pub(crate) fn header(&self) -> Option<&'static str> {
        match self {
            Self::SseS3 { .. } => Some("AES256"),
            Self::SseKms { .. } => Some("aws:kms"),
            Self::Dsse { .. } => Some("aws:kms:dsse"),
            Self::SseC { .. } => None,
        }
    }

    pub(crate) fn uses_bucket_key(&self) -> bool {
        matches!(self, Self::SseKms { bucket_key, .. } if !bucket_key.is_empty())
    }
}

/// One stored object: the encrypted body and its encryption record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Object {
    pub key: String,
    pub size: u64,
    pub etag: String,
    pub last_modified_ms: i64,
    pub content_type: Option<String>,
    /// Nonce (12 bytes) followed by the AES-256-GCM ciphertext and tag.
    #[serde(with = "b64")]
    pub body: Vec<u8>,
    pub encryption: ObjectEncryption,
    /// The version id: `None` in a bucket that never had versioning, `null` for a version
    /// written while versioning was suspended.
    #[serde(default)]
    pub version_id: Option<String>,
    /// A delete marker (no body): the key reads as deleted while it is the current version.
    #[serde(default)]
    pub delete_marker: bool,
}

/// A general purpose bucket.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Bucket {
    pub name: String,
    pub account: String,
    pub region: String,
    pub created_ms: i64,
    pub encryption: DefaultEncryption,
    pub policy: Option<policy::PolicyDocument>,
    /// The current version of each key (a delete marker in a versioned bucket, after a delete).
    /// Each object is shared, so cloning a world (every scenario check grades a clone) does not
    /// copy bodies, and replaced, never changed in place, so a save in parts can skip what it
    /// wrote before. The map is shared too, and copied only when this bucket's objects change
    /// (`Arc::make_mut`): the browser's store copies the world on every command, and 12,000
    /// keys cost milliseconds to copy.
    #[serde(serialize_with = "crate::parts::serialize_map")]
    pub objects: Arc<BTreeMap<String, Arc<Object>>>,
    /// `Enabled` or `Suspended`; `None` for a bucket that never had versioning.
    #[serde(default)]
    pub versioning: Option<String>,
    /// The earlier versions of each key, oldest first.
    #[serde(default)]
    pub noncurrent: BTreeMap<String, Vec<Arc<Object>>>,
}

impl Bucket {
    pub(crate) fn arn(&self) -> String {
        format!("arn:aws:s3:::{}", self.name)
    }
}

/// A bucket key S3 holds for one requester.
#[derive(Clone, Debug)]
pub(crate) struct CachedBucketKey {
    pub plaintext: zeroize::Zeroizing<Vec<u8>>,
    pub blob: Vec<u8>,
    pub key_arn: String,
    pub expires_ms: i64,
}

/// The S3 state of the world (bucket names are global).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct S3 {
    pub(crate) buckets: BTreeMap<String, Bucket>,
    /// S3's own root key for SSE-S3 (an AWS owned key: no KMS requests), made on first use.
    #[serde(default, with = "b64")]
    pub(crate) root_key: Vec<u8>,
    /// Bucket keys in S3's memory, by `BUCKET\nREQUESTER\nKEY-OR-BLOB`; not part of the saved
    /// state (after a reload S3 asks KMS again, as after the cache window).
    #[serde(skip)]
    pub(crate) bucket_keys: BTreeMap<String, CachedBucketKey>,
}

impl S3 {
    /// The number of buckets in every account.
    pub fn bucket_count(&self) -> usize {
        self.buckets.len()
    }

    /// The number of objects in a bucket (`None` if there is no such bucket).
    pub fn object_count(&self, bucket: &str) -> Option<usize> {
        self.buckets.get(bucket).map(|b| b.objects.len())
    }
}
