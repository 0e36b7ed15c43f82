//! The AWS response shapes the console pages read, deserialized once per answer.
//!
//! Members follow the AWS API references (PascalCase, epoch seconds for KMS dates). Every member a
//! page can live without is optional or defaulted, so a missing member shows as "-" rather than
//! failing the page. The KMS list entries also serialize back in the API's member order, because
//! the key page still shows some of them as JSON.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// KMS `KeyMetadata` (`DescribeKey`).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct KeyMetadata {
    #[serde(rename = "AWSAccountId")]
    pub aws_account_id: String,
    pub key_id: String,
    pub arn: String,
    pub creation_date: Option<f64>,
    pub description: String,
    pub key_usage: String,
    pub key_state: String,
    pub deletion_date: Option<f64>,
    pub origin: String,
    pub key_manager: String,
    pub key_spec: String,
    pub encryption_algorithms: Option<Vec<String>>,
    pub multi_region: bool,
    pub multi_region_configuration: Option<MultiRegionConfiguration>,
}

/// KMS `MultiRegionConfiguration`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct MultiRegionConfiguration {
    pub multi_region_key_type: Option<String>,
    pub primary_key: Option<MultiRegionKey>,
    pub replica_keys: Vec<MultiRegionKey>,
}

/// KMS `MultiRegionKey`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct MultiRegionKey {
    pub arn: Option<String>,
    pub region: Option<String>,
}

/// KMS `KeyListEntry` (`ListKeys`).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct KeyListEntry {
    pub key_id: String,
    pub key_arn: String,
}

/// KMS `ListKeys`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ListKeysResponse {
    pub keys: Vec<KeyListEntry>,
    pub next_marker: Option<String>,
    pub truncated: bool,
}

/// KMS `AliasListEntry` (`ListAliases`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AliasListEntry {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_key_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creation_date: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_updated_date: Option<f64>,
}

/// KMS `GetKeyRotationStatus`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct KeyRotationStatus {
    pub key_rotation_enabled: bool,
    pub rotation_period_in_days: Option<i64>,
    pub next_rotation_date: Option<f64>,
    pub on_demand_rotation_start_date: Option<f64>,
}

/// KMS `RotationsListEntry` (`ListKeyRotations`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RotationsListEntry {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_material_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_material_state: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rotation_date: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rotation_type: Option<String>,
}

/// KMS `Tag` (`ListResourceTags`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Tag {
    #[serde(default)]
    pub tag_key: String,
    #[serde(default)]
    pub tag_value: String,
}

/// KMS `GrantConstraints`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GrantConstraints {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption_context_subset: Option<BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption_context_equals: Option<BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_arn: Option<String>,
}

/// KMS `GrantListEntry` (`ListGrants`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GrantListEntry {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grant_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creation_date: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grantee_principal: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retiring_principal: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuing_account: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operations: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub constraints: Option<GrantConstraints>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grantee_service_principal: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retiring_service_principal: Option<String>,
}

/// KMS `GetPublicKey` (the members the page shows).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct PublicKey {
    pub key_id: String,
    /// Base64 DER `SubjectPublicKeyInfo`.
    pub public_key: String,
}

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
