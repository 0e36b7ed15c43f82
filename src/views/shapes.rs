//! The AWS response shapes the console pages read, deserialized once per answer.
//!
//! The KMS pages read the engine's typed responses (`cloud::kms::model`) through the typed
//! client; these are the IAM, S3 and EC2 answers the pages still read from JSON. Members follow
//! the AWS API references (PascalCase). Every member a page can live without is optional or
//! defaulted, so a missing member shows as "-" rather than failing the page.

use serde::Deserialize;
use serde_json::Value;

/// IAM `User` or `Role` (`ListUsers`, `ListRoles`).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct IamPrincipal {
    pub user_name: Option<String>,
    pub role_name: Option<String>,
    pub arn: String,
    /// Roles only; IAM answers an object (decoded) or a URL-encoded string: free-form text.
    pub assume_role_policy_document: Value,
}

/// IAM `AttachedPolicy`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct AttachedPolicy {
    pub policy_name: Option<String>,
    pub policy_arn: String,
}

/// S3 `Bucket` (`ListBuckets`).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Bucket {
    pub name: String,
    pub bucket_region: Option<String>,
}

/// S3 `ServerSideEncryptionByDefault`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct ServerSideEncryptionByDefault {
    #[serde(rename = "SSEAlgorithm")]
    pub sse_algorithm: Option<String>,
    #[serde(rename = "KMSMasterKeyID")]
    pub kms_master_key_id: Option<String>,
}

/// S3 `ServerSideEncryptionRule`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ServerSideEncryptionRule {
    pub apply_server_side_encryption_by_default: Option<ServerSideEncryptionByDefault>,
    pub bucket_key_enabled: Option<bool>,
}

/// S3 `ServerSideEncryptionConfiguration` (`GetBucketEncryption`).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ServerSideEncryptionConfiguration {
    pub rules: Vec<ServerSideEncryptionRule>,
}

/// S3 `ListObjectsV2` (only what the bucket table counts).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ListObjectsV2 {
    pub key_count: Option<u64>,
    pub contents: Option<Vec<serde::de::IgnoredAny>>,
}

/// One member of a response, deserialized as `T` (`{"Keys": [...]}` → `Vec<KeyListEntry>`);
/// an absent or null member is `T::default()`.
pub(super) fn member<T: for<'de> Deserialize<'de> + Default>(
    answer: Value,
    name: &str,
) -> Result<T, serde_json::Error> {
    match answer {
        Value::Object(mut map) => match map.remove(name) {
            None | Some(Value::Null) => Ok(T::default()),
            Some(v) => T::deserialize(v),
        },
        _ => Ok(T::default()),
    }
}
