//! RDS's typed requests and responses. RDS speaks the AWS query protocol; the lab's shapes are
//! the members the aws-cli sends (read leniently, as the lab always read them) and the JSON it prints.
//! Request members are read leniently ([`crate::lenient`]): decoding never fails, and each
//! operation reports the members it requires after authorization, as RDS does.

use serde::{Deserialize, Serialize};

use crate::lenient::StringList;

lenient_request!(
    /// `CreateDBInstance`.
    CreateDBInstanceRequest {
        /// The instance name.
        db_instance_identifier: String = "DBInstanceIdentifier",
        /// E.g. `db.t3.micro`.
        db_instance_class: String = "DBInstanceClass",
        /// E.g. `postgres`.
        engine: String = "Engine",
        /// GiB (default 20).
        allocated_storage: u64 = "AllocatedStorage",
        /// Encrypt the storage.
        storage_encrypted: bool = "StorageEncrypted",
        /// The KMS key (default `aws/rds`).
        kms_key_id: String = "KmsKeyId",
        /// The master user's name.
        master_username: String = "MasterUsername",
        /// The master user's password (not with `ManageMasterUserPassword`).
        master_user_password: String = "MasterUserPassword",
        /// Keep the master password in a Secrets Manager secret RDS manages.
        manage_master_user_password: bool = "ManageMasterUserPassword",
        /// The KMS key of that secret (default `aws/secretsmanager`).
        master_user_secret_kms_key_id: String = "MasterUserSecretKmsKeyId",
    }
);

lenient_request!(
    /// `ModifyDBInstance` (the master user password settings).
    ModifyDBInstanceRequest {
        /// The instance name.
        db_instance_identifier: String = "DBInstanceIdentifier",
        /// A new master user password (turns management off when it was on).
        master_user_password: String = "MasterUserPassword",
        /// Turn RDS management of the master password in Secrets Manager on or off.
        manage_master_user_password: bool = "ManageMasterUserPassword",
        /// The key of the managed secret (only when turning management on).
        master_user_secret_kms_key_id: String = "MasterUserSecretKmsKeyId",
        /// Rotate the managed secret now (needs `ApplyImmediately`).
        rotate_master_user_password: bool = "RotateMasterUserPassword",
        /// Apply now rather than in the maintenance window.
        apply_immediately: bool = "ApplyImmediately",
    }
);

lenient_request!(
    /// A request naming (or, for `DescribeDBInstances`, optionally naming) a DB instance
    /// (`DescribeDBInstances`, `DeleteDBInstance`).
    DBInstanceRequest {
        /// The instance name.
        db_instance_identifier: String = "DBInstanceIdentifier",
    }
);

lenient_request!(
    /// `CreateDBSnapshot`.
    CreateDBSnapshotRequest {
        /// The snapshot name.
        db_snapshot_identifier: String = "DBSnapshotIdentifier",
        /// The instance.
        db_instance_identifier: String = "DBInstanceIdentifier",
    }
);

lenient_request!(
    /// `DescribeDBSnapshots`.
    DescribeDBSnapshotsRequest {
        /// One snapshot (name, or ARN for another Region or a shared one).
        db_snapshot_identifier: String = "DBSnapshotIdentifier",
        /// Only the snapshots of this instance.
        db_instance_identifier: String = "DBInstanceIdentifier",
        /// `shared`: only snapshots shared with the caller.
        snapshot_type: String = "SnapshotType",
        /// Include snapshots shared with the caller.
        include_shared: bool = "IncludeShared",
    }
);

lenient_request!(
    /// A request naming a snapshot (`DeleteDBSnapshot`, `DescribeDBSnapshotAttributes`).
    DBSnapshotRequest {
        /// The snapshot name.
        db_snapshot_identifier: String = "DBSnapshotIdentifier",
    }
);

lenient_request!(
    /// `CopyDBSnapshot`.
    CopyDBSnapshotRequest {
        /// The source (name, or ARN for another Region or a shared one).
        source_db_snapshot_identifier: String = "SourceDBSnapshotIdentifier",
        /// The copy's name.
        target_db_snapshot_identifier: String = "TargetDBSnapshotIdentifier",
        /// Encrypts an unencrypted source's copy or re-keys an encrypted one.
        kms_key_id: String = "KmsKeyId",
    }
);

lenient_request!(
    /// `ModifyDBSnapshotAttribute` (`restore`).
    ModifyDBSnapshotAttributeRequest {
        /// The snapshot name.
        db_snapshot_identifier: String = "DBSnapshotIdentifier",
        /// `restore`.
        attribute_name: String = "AttributeName",
        /// Accounts (or `all`) to add.
        values_to_add: StringList = "ValuesToAdd",
        /// Accounts (or `all`) to remove.
        values_to_remove: StringList = "ValuesToRemove",
    }
);

lenient_request!(
    /// `RestoreDBInstanceFromDBSnapshot`.
    RestoreDBInstanceFromDBSnapshotRequest {
        /// The new instance.
        db_instance_identifier: String = "DBInstanceIdentifier",
        /// The snapshot (name or ARN).
        db_snapshot_identifier: String = "DBSnapshotIdentifier",
        /// The class (default `db.t3.micro`).
        db_instance_class: String = "DBInstanceClass",
    }
);

lenient_request!(
    /// `CreateDBInstanceReadReplica`.
    CreateDBInstanceReadReplicaRequest {
        /// The replica.
        db_instance_identifier: String = "DBInstanceIdentifier",
        /// The source (name, or ARN for a cross-Region replica).
        source_db_instance_identifier: String = "SourceDBInstanceIdentifier",
        /// The replica's key (cross-Region only).
        kms_key_id: String = "KmsKeyId",
        /// The class (default: the source's).
        db_instance_class: String = "DBInstanceClass",
    }
);

/// A DB instance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DBInstance {
    /// The name.
    #[serde(rename = "DBInstanceIdentifier")]
    pub db_instance_identifier: String,
    /// The class.
    #[serde(rename = "DBInstanceClass")]
    pub db_instance_class: String,
    /// The engine.
    #[serde(rename = "Engine")]
    pub engine: String,
    /// `creating`, `available`, `modifying`, `deleting`.
    #[serde(rename = "DBInstanceStatus")]
    pub db_instance_status: String,
    /// The master user's name.
    #[serde(rename = "MasterUsername", default, skip_serializing_if = "Option::is_none")]
    pub master_username: Option<String>,
    /// GiB.
    #[serde(rename = "AllocatedStorage")]
    pub allocated_storage: u64,
    /// ISO 8601.
    #[serde(rename = "InstanceCreateTime")]
    pub instance_create_time: String,
    /// Whether the storage is encrypted.
    #[serde(rename = "StorageEncrypted")]
    pub storage_encrypted: bool,
    /// The ARN.
    #[serde(rename = "DBInstanceArn")]
    pub db_instance_arn: String,
    /// The Availability Zone.
    #[serde(rename = "AvailabilityZone")]
    pub availability_zone: String,
    /// The KMS key ARN (encrypted instances).
    #[serde(rename = "KmsKeyId", default, skip_serializing_if = "Option::is_none")]
    pub kms_key_id: Option<String>,
    /// The source of a read replica.
    #[serde(
        rename = "ReadReplicaSourceDBInstanceIdentifier",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub read_replica_source_db_instance_identifier: Option<String>,
    /// The Secrets Manager secret RDS manages for the master user password.
    #[serde(rename = "MasterUserSecret", default, skip_serializing_if = "Option::is_none")]
    pub master_user_secret: Option<MasterUserSecret>,
}

/// `MasterUserSecret`: the secret RDS manages in Secrets Manager for the master user password.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MasterUserSecret {
    /// The secret's ARN.
    #[serde(rename = "SecretArn")]
    pub secret_arn: String,
    /// `creating`, `active`, `rotating` or `impaired`.
    #[serde(rename = "SecretStatus")]
    pub secret_status: String,
    /// The ARN of the KMS key that encrypts the secret.
    #[serde(rename = "KmsKeyId")]
    pub kms_key_id: String,
}

/// An answer with one DB instance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DBInstanceResponse {
    /// The instance.
    #[serde(rename = "DBInstance")]
    pub db_instance: DBInstance,
}

/// `DescribeDBInstances`'s answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DescribeDBInstancesResponse {
    /// The instances.
    #[serde(rename = "DBInstances")]
    pub db_instances: Vec<DBInstance>,
}

/// A DB snapshot.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DBSnapshot {
    /// The name.
    #[serde(rename = "DBSnapshotIdentifier")]
    pub db_snapshot_identifier: String,
    /// The instance it was taken of.
    #[serde(rename = "DBInstanceIdentifier")]
    pub db_instance_identifier: String,
    /// ISO 8601.
    #[serde(rename = "SnapshotCreateTime")]
    pub snapshot_create_time: String,
    /// The engine.
    #[serde(rename = "Engine")]
    pub engine: String,
    /// GiB.
    #[serde(rename = "AllocatedStorage")]
    pub allocated_storage: u64,
    /// `creating`, `available`.
    #[serde(rename = "Status")]
    pub status: String,
    /// `manual`.
    #[serde(rename = "SnapshotType")]
    pub snapshot_type: String,
    /// Whether it is encrypted.
    #[serde(rename = "Encrypted")]
    pub encrypted: bool,
    /// The ARN.
    #[serde(rename = "DBSnapshotArn")]
    pub db_snapshot_arn: String,
    /// The KMS key ARN (encrypted snapshots).
    #[serde(rename = "KmsKeyId", default, skip_serializing_if = "Option::is_none")]
    pub kms_key_id: Option<String>,
    /// The source's ARN (`CopyDBSnapshot`).
    #[serde(
        rename = "SourceDBSnapshotIdentifier",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub source_db_snapshot_identifier: Option<String>,
}

/// An answer with one DB snapshot.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DBSnapshotResponse {
    /// The snapshot.
    #[serde(rename = "DBSnapshot")]
    pub db_snapshot: DBSnapshot,
}

/// `DescribeDBSnapshots`'s answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DescribeDBSnapshotsResponse {
    /// The snapshots.
    #[serde(rename = "DBSnapshots")]
    pub db_snapshots: Vec<DBSnapshot>,
}

/// One attribute of a snapshot.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DBSnapshotAttribute {
    /// `restore`.
    #[serde(rename = "AttributeName")]
    pub attribute_name: String,
    /// The accounts (or `all`).
    #[serde(rename = "AttributeValues")]
    pub attribute_values: Vec<String>,
}

/// `DBSnapshotAttributesResult`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DBSnapshotAttributesResult {
    /// The snapshot.
    #[serde(rename = "DBSnapshotIdentifier")]
    pub db_snapshot_identifier: String,
    /// Its attributes (`restore`).
    #[serde(rename = "DBSnapshotAttributes")]
    pub db_snapshot_attributes: Vec<DBSnapshotAttribute>,
}

/// The answer of `ModifyDBSnapshotAttribute` and `DescribeDBSnapshotAttributes`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DBSnapshotAttributesResponse {
    /// The result.
    #[serde(rename = "DBSnapshotAttributesResult")]
    pub db_snapshot_attributes_result: DBSnapshotAttributesResult,
}

impl DBSnapshotAttributesResponse {
    /// The `restore` attribute of snapshot `id`.
    pub(crate) fn restore(id: &str, shared_with: Vec<String>) -> Self {
        Self {
            db_snapshot_attributes_result: DBSnapshotAttributesResult {
                db_snapshot_identifier: id.to_owned(),
                db_snapshot_attributes: vec![DBSnapshotAttribute {
                    attribute_name: "restore".into(),
                    attribute_values: shared_with,
                }],
            },
        }
    }
}

operations!(RdsRequest / RdsResponse, rds -> RdsClient for crate::rds::Rds {
    create_db_instance: CreateDBInstance(CreateDBInstanceRequest) -> DBInstanceResponse,
    describe_db_instances: DescribeDBInstances(DBInstanceRequest) -> DescribeDBInstancesResponse,
    delete_db_instance: DeleteDBInstance(DBInstanceRequest) -> DBInstanceResponse,
    modify_db_instance: ModifyDBInstance(ModifyDBInstanceRequest) -> DBInstanceResponse,
    create_db_snapshot: CreateDBSnapshot(CreateDBSnapshotRequest) -> DBSnapshotResponse,
    describe_db_snapshots: DescribeDBSnapshots(DescribeDBSnapshotsRequest) -> DescribeDBSnapshotsResponse,
    delete_db_snapshot: DeleteDBSnapshot(DBSnapshotRequest) -> DBSnapshotResponse,
    copy_db_snapshot: CopyDBSnapshot(CopyDBSnapshotRequest) -> DBSnapshotResponse,
    modify_db_snapshot_attribute: ModifyDBSnapshotAttribute(ModifyDBSnapshotAttributeRequest) -> DBSnapshotAttributesResponse,
    describe_db_snapshot_attributes: DescribeDBSnapshotAttributes(DBSnapshotRequest) -> DBSnapshotAttributesResponse,
    restore_db_instance_from_db_snapshot: RestoreDBInstanceFromDBSnapshot(RestoreDBInstanceFromDBSnapshotRequest) -> DBInstanceResponse,
    create_db_instance_read_replica: CreateDBInstanceReadReplica(CreateDBInstanceReadReplicaRequest) -> DBInstanceResponse,
});
