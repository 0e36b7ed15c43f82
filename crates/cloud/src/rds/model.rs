//! RDS's typed requests and responses. RDS speaks the AWS query protocol; the lab's shapes are
//! the members the aws-cli sends (read leniently, as the lab always read them) and the JSON it prints.
//! Request members are read leniently ([`crate::lenient`]): decoding never fails, and each
//! operation reports the members it requires after authorization, as RDS does.

use serde::{Deserialize, Serialize};

use crate::lenient::StringList;

lenient_request!(
    /// A tag (`Key`, `Value`).
    TagInput {
        /// The key.
        key: String = "Key",
        /// The value.
        value: String = "Value",
    }
);

lenient_request!(
    /// `CreateDBInstance`.
    CreateDBInstanceRequest {
        /// The instance name.
        db_instance_identifier: String = "DBInstanceIdentifier",
        /// E.g. `db.t3.micro`.
        db_instance_class: String = "DBInstanceClass",
        /// E.g. `postgres`.
        engine: String = "Engine",
        /// The engine version (default: the engine's current default).
        engine_version: String = "EngineVersion",
        /// GiB (default 20).
        allocated_storage: u64 = "AllocatedStorage",
        /// `gp3` (default), `gp2`, `io1`, `io2`, `standard`.
        storage_type: String = "StorageType",
        /// Provisioned IOPS (io1, io2; gp3 from 400 GiB).
        iops: u32 = "Iops",
        /// Throughput in MiB/s (gp3).
        storage_throughput: u32 = "StorageThroughput",
        /// The port (default: the engine's).
        port: u16 = "Port",
        /// A standby in another Availability Zone.
        multi_az: bool = "MultiAZ",
        /// The Availability Zone (not with MultiAZ).
        availability_zone: String = "AvailabilityZone",
        /// Reachable from the internet.
        publicly_accessible: bool = "PubliclyAccessible",
        /// The initial database's name.
        db_name: String = "DBName",
        /// Days of automated backups (default 1).
        backup_retention_period: u32 = "BackupRetentionPeriod",
        /// `hh24:mi-hh24:mi` (UTC).
        preferred_backup_window: String = "PreferredBackupWindow",
        /// `ddd:hh24:mi-ddd:hh24:mi` (UTC).
        preferred_maintenance_window: String = "PreferredMaintenanceWindow",
        /// Refuse DeleteDBInstance.
        deletion_protection: bool = "DeletionProtection",
        /// Copy the instance's tags to its snapshots.
        copy_tags_to_snapshot: bool = "CopyTagsToSnapshot",
        /// IAM database authentication.
        enable_iam_database_authentication: bool = "EnableIAMDatabaseAuthentication",
        /// Apply minor engine upgrades in the maintenance window (default true).
        auto_minor_version_upgrade: bool = "AutoMinorVersionUpgrade",
        /// The license model (default: the engine's).
        license_model: String = "LicenseModel",
        /// Tags.
        tags: Vec<TagInput> = "Tags",
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

/// A DB instance's endpoint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Endpoint {
    /// The DNS name.
    #[serde(rename = "Address")]
    pub address: String,
    /// The port.
    #[serde(rename = "Port")]
    pub port: u16,
    /// The Route 53 hosted zone of RDS endpoints in the Region.
    #[serde(rename = "HostedZoneId")]
    pub hosted_zone_id: String,
}

/// A VPC security group of an instance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VpcSecurityGroupMembership {
    /// The group.
    #[serde(rename = "VpcSecurityGroupId")]
    pub vpc_security_group_id: String,
    /// `active`.
    #[serde(rename = "Status")]
    pub status: String,
}

/// A parameter group of an instance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DBParameterGroupStatus {
    /// E.g. `default.mysql8.0`.
    #[serde(rename = "DBParameterGroupName")]
    pub db_parameter_group_name: String,
    /// `in-sync`.
    #[serde(rename = "ParameterApplyStatus")]
    pub parameter_apply_status: String,
}

/// An Availability Zone's name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AvailabilityZone {
    /// E.g. `us-east-1a`.
    #[serde(rename = "Name")]
    pub name: String,
}

/// A subnet of a DB subnet group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subnet {
    /// The subnet.
    #[serde(rename = "SubnetIdentifier")]
    pub subnet_identifier: String,
    /// Its zone.
    #[serde(rename = "SubnetAvailabilityZone")]
    pub subnet_availability_zone: AvailabilityZone,
    /// `Active`.
    #[serde(rename = "SubnetStatus")]
    pub subnet_status: String,
}

/// A DB subnet group (the account's `default`: one subnet per zone of the default VPC).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DBSubnetGroup {
    /// `default`.
    #[serde(rename = "DBSubnetGroupName")]
    pub db_subnet_group_name: String,
    /// `default`.
    #[serde(rename = "DBSubnetGroupDescription")]
    pub db_subnet_group_description: String,
    /// The default VPC.
    #[serde(rename = "VpcId")]
    pub vpc_id: String,
    /// `Complete`.
    #[serde(rename = "SubnetGroupStatus")]
    pub subnet_group_status: String,
    /// Its subnets.
    #[serde(rename = "Subnets")]
    pub subnets: Vec<Subnet>,
}

/// An option group of an instance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptionGroupMembership {
    /// E.g. `default:mysql-8-0`.
    #[serde(rename = "OptionGroupName")]
    pub option_group_name: String,
    /// `in-sync`.
    #[serde(rename = "Status")]
    pub status: String,
}

/// Changes waiting to be applied.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingModifiedValues {
    /// `****` while a new master password is being set.
    #[serde(rename = "MasterUserPassword", default, skip_serializing_if = "Option::is_none")]
    pub master_user_password: Option<String>,
}

/// A tag as RDS shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    /// The key.
    #[serde(rename = "Key")]
    pub key: String,
    /// The value.
    #[serde(rename = "Value")]
    pub value: String,
}

/// The CA of an instance's server certificate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateDetails {
    /// E.g. `rds-ca-rsa2048-g1`.
    #[serde(rename = "CAIdentifier")]
    pub ca_identifier: String,
}

/// A DB instance, members in the RDS model's order.
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
    /// The initial database.
    #[serde(rename = "DBName", default, skip_serializing_if = "Option::is_none")]
    pub db_name: Option<String>,
    /// Where to connect (once created).
    #[serde(rename = "Endpoint", default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<Endpoint>,
    /// GiB.
    #[serde(rename = "AllocatedStorage")]
    pub allocated_storage: u64,
    /// ISO 8601 (once created).
    #[serde(rename = "InstanceCreateTime", default, skip_serializing_if = "Option::is_none")]
    pub instance_create_time: Option<String>,
    /// The daily backup window.
    #[serde(rename = "PreferredBackupWindow", default)]
    pub preferred_backup_window: String,
    /// Days of automated backups.
    #[serde(rename = "BackupRetentionPeriod", default)]
    pub backup_retention_period: u32,
    /// EC2-Classic security groups (none).
    #[serde(rename = "DBSecurityGroups", default)]
    pub db_security_groups: Vec<String>,
    /// The VPC security groups.
    #[serde(rename = "VpcSecurityGroups", default)]
    pub vpc_security_groups: Vec<VpcSecurityGroupMembership>,
    /// The parameter groups.
    #[serde(rename = "DBParameterGroups", default)]
    pub db_parameter_groups: Vec<DBParameterGroupStatus>,
    /// The Availability Zone (once placed).
    #[serde(rename = "AvailabilityZone", default, skip_serializing_if = "Option::is_none")]
    pub availability_zone: Option<String>,
    /// The subnet group.
    #[serde(rename = "DBSubnetGroup", default, skip_serializing_if = "Option::is_none")]
    pub db_subnet_group: Option<DBSubnetGroup>,
    /// The weekly maintenance window.
    #[serde(rename = "PreferredMaintenanceWindow", default)]
    pub preferred_maintenance_window: String,
    /// Changes waiting to be applied.
    #[serde(rename = "PendingModifiedValues", default)]
    pub pending_modified_values: PendingModifiedValues,
    /// A standby in another zone.
    #[serde(rename = "MultiAZ", default)]
    pub multi_az: bool,
    /// The engine version.
    #[serde(rename = "EngineVersion", default)]
    pub engine_version: String,
    /// Minor upgrades in the maintenance window.
    #[serde(rename = "AutoMinorVersionUpgrade", default)]
    pub auto_minor_version_upgrade: bool,
    /// The source of a read replica.
    #[serde(
        rename = "ReadReplicaSourceDBInstanceIdentifier",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub read_replica_source_db_instance_identifier: Option<String>,
    /// The instance's read replicas.
    #[serde(rename = "ReadReplicaDBInstanceIdentifiers", default)]
    pub read_replica_db_instance_identifiers: Vec<String>,
    /// The license model.
    #[serde(rename = "LicenseModel", default)]
    pub license_model: String,
    /// Provisioned IOPS (io1, io2, gp3).
    #[serde(rename = "Iops", default, skip_serializing_if = "Option::is_none")]
    pub iops: Option<u32>,
    /// Throughput in MiB/s (gp3).
    #[serde(rename = "StorageThroughput", default, skip_serializing_if = "Option::is_none")]
    pub storage_throughput: Option<u32>,
    /// The option groups.
    #[serde(rename = "OptionGroupMemberships", default)]
    pub option_group_memberships: Vec<OptionGroupMembership>,
    /// Reachable from the internet.
    #[serde(rename = "PubliclyAccessible", default)]
    pub publicly_accessible: bool,
    /// `gp3`, `gp2`, `io1`, `io2`, `standard`.
    #[serde(rename = "StorageType", default)]
    pub storage_type: String,
    /// 0 for an instance outside a cluster.
    #[serde(rename = "DbInstancePort", default)]
    pub db_instance_port: u16,
    /// Whether the storage is encrypted.
    #[serde(rename = "StorageEncrypted")]
    pub storage_encrypted: bool,
    /// The KMS key ARN (encrypted instances).
    #[serde(rename = "KmsKeyId", default, skip_serializing_if = "Option::is_none")]
    pub kms_key_id: Option<String>,
    /// The Region-unique, immutable resource id (`db-…`; CloudTrail and the key's
    /// encryption context name it).
    #[serde(rename = "DbiResourceId", default)]
    pub dbi_resource_id: String,
    /// The server certificate's CA.
    #[serde(rename = "CACertificateIdentifier", default)]
    pub ca_certificate_identifier: String,
    /// Active Directory domains (none).
    #[serde(rename = "DomainMemberships", default)]
    pub domain_memberships: Vec<String>,
    /// Copy the instance's tags to its snapshots.
    #[serde(rename = "CopyTagsToSnapshot", default)]
    pub copy_tags_to_snapshot: bool,
    /// Enhanced Monitoring interval (0: off).
    #[serde(rename = "MonitoringInterval", default)]
    pub monitoring_interval: u32,
    /// The ARN.
    #[serde(rename = "DBInstanceArn")]
    pub db_instance_arn: String,
    /// IAM database authentication.
    #[serde(rename = "IAMDatabaseAuthenticationEnabled", default)]
    pub iam_database_authentication_enabled: bool,
    /// Performance Insights (off).
    #[serde(rename = "PerformanceInsightsEnabled", default)]
    pub performance_insights_enabled: bool,
    /// Refuses DeleteDBInstance.
    #[serde(rename = "DeletionProtection", default)]
    pub deletion_protection: bool,
    /// IAM roles (none).
    #[serde(rename = "AssociatedRoles", default)]
    pub associated_roles: Vec<String>,
    /// The tags.
    #[serde(rename = "TagList", default)]
    pub tag_list: Vec<Tag>,
    /// The server certificate.
    #[serde(rename = "CertificateDetails", default, skip_serializing_if = "Option::is_none")]
    pub certificate_details: Option<CertificateDetails>,
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

/// A DB snapshot, members in the RDS model's order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DBSnapshot {
    /// The name.
    #[serde(rename = "DBSnapshotIdentifier")]
    pub db_snapshot_identifier: String,
    /// The instance it was taken of.
    #[serde(rename = "DBInstanceIdentifier")]
    pub db_instance_identifier: String,
    /// ISO 8601 (once the snapshot is taken).
    #[serde(rename = "SnapshotCreateTime", default, skip_serializing_if = "Option::is_none")]
    pub snapshot_create_time: Option<String>,
    /// The engine.
    #[serde(rename = "Engine")]
    pub engine: String,
    /// GiB.
    #[serde(rename = "AllocatedStorage")]
    pub allocated_storage: u64,
    /// `creating`, `available`.
    #[serde(rename = "Status")]
    pub status: String,
    /// The instance's port.
    #[serde(rename = "Port", default)]
    pub port: u16,
    /// The instance's Availability Zone.
    #[serde(rename = "AvailabilityZone", default, skip_serializing_if = "Option::is_none")]
    pub availability_zone: Option<String>,
    /// The instance's VPC.
    #[serde(rename = "VpcId", default, skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<String>,
    /// When the instance was created.
    #[serde(rename = "InstanceCreateTime", default, skip_serializing_if = "Option::is_none")]
    pub instance_create_time: Option<String>,
    /// The master user's name.
    #[serde(rename = "MasterUsername", default, skip_serializing_if = "Option::is_none")]
    pub master_username: Option<String>,
    /// The engine version.
    #[serde(rename = "EngineVersion", default)]
    pub engine_version: String,
    /// The license model.
    #[serde(rename = "LicenseModel", default)]
    pub license_model: String,
    /// `manual`.
    #[serde(rename = "SnapshotType")]
    pub snapshot_type: String,
    /// Provisioned IOPS of the instance (io1, io2, gp3).
    #[serde(rename = "Iops", default, skip_serializing_if = "Option::is_none")]
    pub iops: Option<u32>,
    /// Throughput of the instance (gp3).
    #[serde(rename = "StorageThroughput", default, skip_serializing_if = "Option::is_none")]
    pub storage_throughput: Option<u32>,
    /// The instance's option group.
    #[serde(rename = "OptionGroupName", default, skip_serializing_if = "Option::is_none")]
    pub option_group_name: Option<String>,
    /// 0 while creating, 100 when available.
    #[serde(rename = "PercentProgress", default)]
    pub percent_progress: u32,
    /// The source's Region (`CopyDBSnapshot`).
    #[serde(rename = "SourceRegion", default, skip_serializing_if = "Option::is_none")]
    pub source_region: Option<String>,
    /// The source's ARN (`CopyDBSnapshot`).
    #[serde(
        rename = "SourceDBSnapshotIdentifier",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub source_db_snapshot_identifier: Option<String>,
    /// The instance's storage type.
    #[serde(rename = "StorageType", default)]
    pub storage_type: String,
    /// Whether it is encrypted.
    #[serde(rename = "Encrypted")]
    pub encrypted: bool,
    /// The KMS key ARN (encrypted snapshots).
    #[serde(rename = "KmsKeyId", default, skip_serializing_if = "Option::is_none")]
    pub kms_key_id: Option<String>,
    /// The ARN.
    #[serde(rename = "DBSnapshotArn")]
    pub db_snapshot_arn: String,
    /// IAM database authentication on the instance.
    #[serde(rename = "IAMDatabaseAuthenticationEnabled", default)]
    pub iam_database_authentication_enabled: bool,
    /// Processor features (none).
    #[serde(rename = "ProcessorFeatures", default)]
    pub processor_features: Vec<String>,
    /// The instance's resource id.
    #[serde(rename = "DbiResourceId", default)]
    pub dbi_resource_id: String,
    /// The tags.
    #[serde(rename = "TagList", default)]
    pub tag_list: Vec<Tag>,
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
    // Boxed: its many members would make every request as large as this one.
    create_db_instance: CreateDBInstance(Box<CreateDBInstanceRequest>) -> DBInstanceResponse,
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
