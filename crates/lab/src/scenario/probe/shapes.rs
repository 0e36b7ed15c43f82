//! The probe's views of the answers checks read, built from cloud's typed response structs (the
//! typed client's answers, never JSON) where those carry AWS names as text or members as
//! `Option`s: a key state or rotation type becomes an enum, a member the world always sends
//! becomes a plain value. Where cloud's struct serves as it is, the probe returns it (a grant is
//! cloud's `GrantListEntry`; IAM's answers are read straight from cloud's `cloud::iam` responses).
//! One answer is still JSON in the world and is decoded here with serde: the bulk-upload report
//! (`World::s3_bulk_put`).

use std::fmt;

use cloud::kms::RotationType;
use serde::Deserialize;

// ----- KMS -----

/// A key's state, as `DescribeKey` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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

    /// The state named `name` (`None` for a name KMS does not use).
    pub fn from_name(name: &str) -> Option<Self> {
        [
            Self::Creating,
            Self::Enabled,
            Self::Disabled,
            Self::PendingDeletion,
            Self::PendingImport,
            Self::PendingReplicaDeletion,
            Self::Unavailable,
            Self::Updating,
        ]
        .into_iter()
        .find(|s| s.name() == name)
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

/// `DescribeKey`'s `KeyMetadata`, with its state and manager as enums.
#[derive(Clone, Debug)]
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
    pub deletion_date: Option<f64>,
    /// Imported material: when it expires (epoch seconds).
    pub valid_to: Option<f64>,
    /// Imported material: `KEY_MATERIAL_EXPIRES` or `KEY_MATERIAL_DOES_NOT_EXPIRE`.
    pub expiration_model: Option<String>,
    /// Multi-Region keys: the primary and the replicas.
    pub multi_region_configuration: Option<MultiRegionConfiguration>,
}

impl KeyMetadata {
    /// Cloud's metadata as the probe reads it; `Err(what)` for a member it cannot read.
    pub(super) fn read(m: cloud::kms::model::KeyMetadata) -> Result<Self, String> {
        let key_state =
            KeyState::from_name(&m.key_state).ok_or(format!("key state {}", m.key_state))?;
        let key_manager = match m.key_manager.as_str() {
            "CUSTOMER" => KeyManager::Customer,
            "AWS" => KeyManager::Aws,
            other => return Err(format!("key manager {other}")),
        };
        let multi_region_configuration = m
            .multi_region_configuration
            .map(MultiRegionConfiguration::read);
        Ok(Self {
            key_id: m.key_id,
            arn: m.arn,
            key_state,
            key_manager,
            deletion_date: m.deletion_date,
            valid_to: m.valid_to,
            expiration_model: m.expiration_model,
            multi_region_configuration,
        })
    }

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

pub use cloud::kms::KeyManager;

/// `MultiRegionConfiguration`.
#[derive(Clone, Debug, Default)]
pub struct MultiRegionConfiguration {
    /// The primary key.
    pub primary_key: Option<RegionalKey>,
    /// The replicas.
    pub replica_keys: Vec<RegionalKey>,
}

impl MultiRegionConfiguration {
    fn read(c: cloud::kms::model::MultiRegionConfiguration) -> Self {
        let key = |k: cloud::kms::model::MultiRegionKey| {
            Some(RegionalKey {
                arn: k.arn?,
                region: k.region?,
            })
        };
        Self {
            primary_key: c.primary_key.and_then(key),
            replica_keys: c
                .replica_keys
                .unwrap_or_default()
                .into_iter()
                .filter_map(key)
                .collect(),
        }
    }
}

/// A related multi-Region key.
#[derive(Clone, Debug)]
pub struct RegionalKey {
    /// Its ARN.
    pub arn: String,
    /// Its Region.
    pub region: String,
}

/// `GetKeyRotationStatus`.
#[derive(Clone, Debug)]
pub struct RotationStatus {
    /// Whether automatic rotation is on.
    pub key_rotation_enabled: bool,
    /// The period, when on.
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
#[derive(Clone, Debug)]
pub struct Rotation {
    /// Automatic or on demand.
    pub rotation_type: RotationType,
}

impl Rotation {
    /// The type named `name` (`AUTOMATIC` or `ON_DEMAND`).
    pub(super) fn named(name: &str) -> Option<Self> {
        [RotationType::Automatic, RotationType::OnDemand]
            .into_iter()
            .find(|t| t.name() == name)
            .map(|rotation_type| Self { rotation_type })
    }
}

/// One `ListGrants` entry: cloud's own.
pub use cloud::kms::model::GrantListEntry as Grant;

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

// ----- EC2 (EBS) -----

/// An EBS volume (`DescribeVolumes`, `CreateVolume`).
#[derive(Clone, Debug)]
pub struct Volume {
    /// `vol-…`.
    pub volume_id: String,
    /// Whether it is encrypted.
    pub encrypted: bool,
    /// The key ARN, when encrypted.
    pub kms_key_id: Option<String>,
    /// The snapshot it was created from (empty when none).
    pub snapshot_id: String,
    /// Where it is attached.
    pub attachments: Vec<Attachment>,
}

impl From<cloud::ec2::model::VolumeDescription> for Volume {
    fn from(v: cloud::ec2::model::VolumeDescription) -> Self {
        Self {
            volume_id: v.volume_id,
            encrypted: v.encrypted,
            kms_key_id: v.kms_key_id,
            snapshot_id: v.snapshot_id,
            attachments: v
                .attachments
                .unwrap_or_default()
                .into_iter()
                .map(|a| Attachment {
                    instance_id: a.instance_id,
                })
                .collect(),
        }
    }
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
#[derive(Clone, Debug)]
pub struct Attachment {
    /// The instance.
    pub instance_id: String,
}

/// An EBS snapshot: cloud's own (`snapshot_id`, `volume_id`, `volume_size`, …).
pub use cloud::ec2::model::SnapshotDescription as Snapshot;

// ----- RDS -----

/// A DB snapshot.
#[derive(Clone, Debug)]
pub struct DbSnapshot {
    /// Its id in its account.
    pub id: String,
    /// Its ARN.
    pub arn: String,
    /// The instance it was taken of (copies keep it).
    pub instance: String,
    /// Whether it is encrypted.
    pub encrypted: bool,
    /// The key ARN, when encrypted (empty otherwise).
    pub kms_key_id: String,
}

impl From<cloud::rds::model::DBSnapshot> for DbSnapshot {
    fn from(s: cloud::rds::model::DBSnapshot) -> Self {
        Self {
            id: s.db_snapshot_identifier,
            arn: s.db_snapshot_arn,
            instance: s.db_instance_identifier,
            encrypted: s.encrypted,
            kms_key_id: s.kms_key_id.unwrap_or_default(),
        }
    }
}

/// A DB instance.
#[derive(Clone, Debug)]
pub struct DbInstance {
    /// Its id.
    pub id: String,
    /// The engine (`mysql`, `postgres`, ...).
    pub engine: String,
    /// Whether its storage is encrypted.
    pub storage_encrypted: bool,
    /// The key ARN, when encrypted (empty otherwise).
    pub kms_key_id: String,
}

impl From<cloud::rds::model::DBInstance> for DbInstance {
    fn from(i: cloud::rds::model::DBInstance) -> Self {
        Self {
            id: i.db_instance_identifier,
            engine: i.engine,
            storage_encrypted: i.storage_encrypted,
            kms_key_id: i.kms_key_id.unwrap_or_default(),
        }
    }
}

// ----- S3 -----

/// The first rule of a bucket's default encryption.
#[derive(Clone, Debug, Default)]
pub struct EncryptionRule {
    /// What new objects get.
    pub apply_server_side_encryption_by_default: DefaultEncryption,
    /// Whether S3 Bucket Keys are on.
    pub bucket_key_enabled: bool,
}

impl From<cloud::s3::model::ServerSideEncryptionRule> for EncryptionRule {
    fn from(r: cloud::s3::model::ServerSideEncryptionRule) -> Self {
        let d = r
            .apply_server_side_encryption_by_default
            .unwrap_or_default();
        Self {
            apply_server_side_encryption_by_default: DefaultEncryption {
                algorithm: d.sse_algorithm.unwrap_or_default(),
                kms_key: d.kms_master_key_id,
            },
            bucket_key_enabled: r.bucket_key_enabled.unwrap_or_default(),
        }
    }
}

/// `ApplyServerSideEncryptionByDefault`.
#[derive(Clone, Debug, Default)]
pub struct DefaultEncryption {
    /// `AES256`, `aws:kms` or `aws:kms:dsse`.
    pub algorithm: String,
    /// The KMS key, as configured (id, ARN or alias).
    pub kms_key: Option<String>,
}

/// `HeadObject`'s encryption members.
#[derive(Clone, Debug, Default)]
pub struct ObjectHead {
    /// `AES256`, `aws:kms`, ...
    pub server_side_encryption: Option<String>,
    /// The key ARN (SSE-KMS).
    pub kms_key_id: Option<String>,
    /// Whether the object uses the bucket key.
    pub bucket_key_enabled: bool,
}

impl From<cloud::s3::model::EncryptionMembers> for ObjectHead {
    fn from(e: cloud::s3::model::EncryptionMembers) -> Self {
        Self {
            server_side_encryption: e.server_side_encryption,
            kms_key_id: e.sse_kms_key_id,
            bucket_key_enabled: e.bucket_key_enabled.unwrap_or_default(),
        }
    }
}

/// What a bulk upload (`lab load --s3-put`) reports (JSON: `World::s3_bulk_put` answers it so).
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
