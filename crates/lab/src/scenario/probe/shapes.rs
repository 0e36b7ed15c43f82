//! Typed answers the probe's service handles return: the members of the AWS JSON responses that
//! checks read, decoded with serde (never indexed by hand). Unknown members are ignored.

use std::fmt;

use cloud::kms::model::{Blob, GrantConstraints};
use cloud::kms::{KeyManager, RotationType};
use serde::Deserialize;

// ----- KMS -----

/// A key's state, as `DescribeKey` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub enum KeyState {
    /// Being created (multi-Region replicas).
    Creating,
    /// Usable.
    Enabled,
    /// Not usable until enabled.
    Disabled,
    /// Scheduled for deletion.
    PendingDeletion,
    /// An `EXTERNAL` key without material.
    PendingImport,
    /// A multi-Region primary waiting for its replicas' deletion.
    PendingReplicaDeletion,
    /// A custom key store key whose store is disconnected.
    Unavailable,
    /// Being updated (multi-Region primary moves).
    Updating,
}

impl KeyState {
    /// The AWS name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Creating => "Creating",
            Self::Enabled => "Enabled",
            Self::Disabled => "Disabled",
            Self::PendingDeletion => "PendingDeletion",
            Self::PendingImport => "PendingImport",
            Self::PendingReplicaDeletion => "PendingReplicaDeletion",
            Self::Unavailable => "Unavailable",
            Self::Updating => "Updating",
        }
    }

    /// Pending deletion, of the key or (a multi-Region primary) of its replicas first.
    pub fn pending_deletion(self) -> bool {
        matches!(self, Self::PendingDeletion | Self::PendingReplicaDeletion)
    }
}

impl fmt::Display for KeyState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// `DescribeKey`'s `KeyMetadata`.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct KeyMetadata {
    /// The key id (`mrk-…` for multi-Region keys).
    pub key_id: String,
    /// The key ARN.
    pub arn: String,
    /// The state.
    pub key_state: KeyState,
    /// `CUSTOMER` or `AWS`.
    pub key_manager: KeyManager,
    /// When a pending deletion completes (epoch seconds).
    #[serde(default)]
    pub deletion_date: Option<f64>,
    /// Imported material: when it expires (epoch seconds).
    #[serde(default)]
    pub valid_to: Option<f64>,
    /// Imported material: `KEY_MATERIAL_EXPIRES` or `KEY_MATERIAL_DOES_NOT_EXPIRE`.
    #[serde(default)]
    pub expiration_model: Option<String>,
    /// Multi-Region keys: the primary and the replicas.
    #[serde(default)]
    pub multi_region_configuration: Option<MultiRegionConfiguration>,
}

impl KeyMetadata {
    /// Whether the customer manages the key.
    pub fn customer_managed(&self) -> bool {
        self.key_manager == KeyManager::Customer
    }

    /// Whether a related multi-Region key lives in `region` (as primary or replica).
    pub fn related_in(&self, region: &str) -> bool {
        self.multi_region_configuration.as_ref().is_some_and(|c| {
            c.primary_key.as_ref().is_some_and(|k| k.region == region)
                || c.replica_keys.iter().any(|k| k.region == region)
        })
    }
}

/// `MultiRegionConfiguration`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MultiRegionConfiguration {
    /// The primary key.
    #[serde(default)]
    pub primary_key: Option<RegionalKey>,
    /// The replicas.
    #[serde(default)]
    pub replica_keys: Vec<RegionalKey>,
}

/// A related multi-Region key.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RegionalKey {
    /// Its ARN.
    pub arn: String,
    /// Its Region.
    pub region: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct DescribeKeyResponse {
    pub key_metadata: KeyMetadata,
}

/// `GetKeyRotationStatus`.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RotationStatus {
    /// Whether automatic rotation is on.
    pub key_rotation_enabled: bool,
    /// The period, when on.
    #[serde(default)]
    pub rotation_period_in_days: Option<i64>,
}

impl RotationStatus {
    /// The period as text (empty when none is reported).
    pub fn period(&self) -> String {
        self.rotation_period_in_days
            .map(|d| d.to_string())
            .unwrap_or_default()
    }
}

/// One `ListKeyRotations` entry.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Rotation {
    /// Automatic or on demand.
    pub rotation_type: RotationType,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct ListKeyRotationsResponse {
    #[serde(default)]
    pub rotations: Vec<Rotation>,
}

/// One `ListGrants` entry.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Grant {
    /// Who may use the grant.
    pub grantee_principal: String,
    /// Who may retire it.
    #[serde(default)]
    pub retiring_principal: Option<String>,
    /// Encryption-context constraints.
    #[serde(default)]
    pub constraints: Option<GrantConstraints>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct ListGrantsResponse {
    #[serde(default)]
    pub grants: Vec<Grant>,
}

/// `Decrypt`'s answer.
#[derive(Clone, Debug)]
pub struct Decrypted {
    /// The plaintext.
    pub plaintext: Vec<u8>,
    /// The ARN of the key that decrypted.
    pub key_id: String,
    /// The key material the ciphertext was encrypted under.
    pub key_material_id: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct DecryptResponse {
    pub plaintext: Blob,
    #[serde(default)]
    pub key_id: String,
    #[serde(default)]
    pub key_material_id: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct EncryptResponse {
    /// Base64, as `Decrypt` takes it back.
    pub ciphertext_blob: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct ListKeysResponse {
    #[serde(default)]
    pub keys: Vec<KeyListEntry>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct KeyListEntry {
    pub key_id: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct PolicyResponse {
    pub policy: String,
}

// ----- EC2 (EBS) -----

/// An EBS volume (`DescribeVolumes`, `CreateVolume`).
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Volume {
    /// `vol-…`.
    pub volume_id: String,
    /// Whether it is encrypted.
    #[serde(default)]
    pub encrypted: bool,
    /// The key ARN, when encrypted.
    #[serde(default)]
    pub kms_key_id: Option<String>,
    /// The snapshot it was created from (empty when none).
    #[serde(default)]
    pub snapshot_id: String,
    /// Where it is attached.
    #[serde(default)]
    pub attachments: Vec<Attachment>,
}

impl Volume {
    /// Whether it is attached to `instance`.
    pub fn attached_to(&self, instance: &str) -> bool {
        self.attachments.iter().any(|a| a.instance_id == instance)
    }

    /// Whether it is encrypted under the key with id `key` (its ARN ends in `key/ID`).
    pub fn encrypted_with(&self, key: &str) -> bool {
        self.encrypted
            && !key.is_empty()
            && self
                .kms_key_id
                .as_deref()
                .is_some_and(|k| k.ends_with(&format!("key/{key}")))
    }
}

/// A volume attachment.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Attachment {
    /// The instance.
    pub instance_id: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct VolumesResponse {
    #[serde(default)]
    pub volumes: Vec<Volume>,
}

/// An EBS snapshot.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Snapshot {
    /// `snap-…`.
    pub snapshot_id: String,
    /// The source volume (`vol-ffffffff` for copies).
    pub volume_id: String,
    /// GiB.
    pub volume_size: u64,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct SnapshotsResponse {
    #[serde(default)]
    pub snapshots: Vec<Snapshot>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct EbsByDefaultResponse {
    pub ebs_encryption_by_default: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct KmsKeyIdResponse {
    #[serde(default)]
    pub kms_key_id: Option<String>,
}

// ----- RDS -----

/// A DB snapshot.
#[derive(Clone, Debug, Deserialize)]
pub struct DbSnapshot {
    /// Its id in its account.
    #[serde(rename = "DBSnapshotIdentifier")]
    pub id: String,
    /// Its ARN.
    #[serde(rename = "DBSnapshotArn")]
    pub arn: String,
    /// The instance it was taken of (copies keep it).
    #[serde(rename = "DBInstanceIdentifier")]
    pub instance: String,
    /// Whether it is encrypted.
    #[serde(rename = "Encrypted", default)]
    pub encrypted: bool,
    /// The key ARN, when encrypted (empty otherwise).
    #[serde(rename = "KmsKeyId", default)]
    pub kms_key_id: String,
}

#[derive(Deserialize)]
pub(super) struct DbSnapshotsResponse {
    #[serde(rename = "DBSnapshots", default)]
    pub snapshots: Vec<DbSnapshot>,
}

#[derive(Deserialize)]
pub(super) struct CopyDbSnapshotResponse {
    #[serde(rename = "DBSnapshot")]
    pub snapshot: DbSnapshot,
}

#[derive(Deserialize)]
pub(super) struct SnapshotAttributesResponse {
    #[serde(rename = "DBSnapshotAttributesResult")]
    pub result: SnapshotAttributesResult,
}

#[derive(Deserialize)]
pub(super) struct SnapshotAttributesResult {
    #[serde(rename = "DBSnapshotAttributes", default)]
    pub attributes: Vec<SnapshotAttribute>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct SnapshotAttribute {
    pub attribute_name: String,
    #[serde(default)]
    pub attribute_values: Vec<String>,
}

/// A DB instance.
#[derive(Clone, Debug, Deserialize)]
pub struct DbInstance {
    /// Its id.
    #[serde(rename = "DBInstanceIdentifier")]
    pub id: String,
    /// The engine (`mysql`, `postgres`, ...).
    #[serde(rename = "Engine", default)]
    pub engine: String,
    /// Whether its storage is encrypted.
    #[serde(rename = "StorageEncrypted", default)]
    pub storage_encrypted: bool,
    /// The key ARN, when encrypted (empty otherwise).
    #[serde(rename = "KmsKeyId", default)]
    pub kms_key_id: String,
}

#[derive(Deserialize)]
pub(super) struct DbInstancesResponse {
    #[serde(rename = "DBInstances", default)]
    pub instances: Vec<DbInstance>,
}

// ----- S3 -----

/// The first rule of a bucket's default encryption.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EncryptionRule {
    /// What new objects get.
    #[serde(default)]
    pub apply_server_side_encryption_by_default: DefaultEncryption,
    /// Whether S3 Bucket Keys are on.
    #[serde(default)]
    pub bucket_key_enabled: bool,
}

/// `ApplyServerSideEncryptionByDefault`.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct DefaultEncryption {
    /// `AES256`, `aws:kms` or `aws:kms:dsse`.
    #[serde(rename = "SSEAlgorithm", default)]
    pub algorithm: String,
    /// The KMS key, as configured (id, ARN or alias).
    #[serde(rename = "KMSMasterKeyID", default)]
    pub kms_key: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct BucketEncryptionResponse {
    pub server_side_encryption_configuration: EncryptionConfiguration,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct EncryptionConfiguration {
    #[serde(default)]
    pub rules: Vec<EncryptionRule>,
}

/// `HeadObject`'s encryption members.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct ObjectHead {
    /// `AES256`, `aws:kms`, ...
    #[serde(rename = "ServerSideEncryption", default)]
    pub server_side_encryption: Option<String>,
    /// The key ARN (SSE-KMS).
    #[serde(rename = "SSEKMSKeyId", default)]
    pub kms_key_id: Option<String>,
    /// Whether the object uses the bucket key.
    #[serde(rename = "BucketKeyEnabled", default)]
    pub bucket_key_enabled: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct GetObjectResponse {
    /// Base64.
    pub body: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct ListObjectsResponse {
    #[serde(default)]
    pub contents: Vec<ObjectEntry>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct ObjectEntry {
    pub key: String,
}

/// What a bulk upload (`lab load --s3-put`) reports.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct BulkPutReport {
    /// KMS requests the uploads made.
    pub kms_requests: u64,
    /// The error that stopped the run, if any.
    #[serde(default)]
    pub error: Option<BulkPutError>,
}

/// The error that stopped a bulk upload.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct BulkPutError {
    /// The AWS error code.
    pub code: String,
    /// Its message.
    pub message: String,
}

// ----- IAM -----

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct PolicyNamesResponse {
    #[serde(default)]
    pub policy_names: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct AttachedPoliciesResponse {
    #[serde(default)]
    pub attached_policies: Vec<AttachedPolicy>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct AttachedPolicy {
    pub policy_arn: String,
}

/// `GetRolePolicy`'s document: the lab answers it as an object (AWS: URL-encoded text).
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct RolePolicyResponse {
    pub policy_document: serde_json::Value,
}
