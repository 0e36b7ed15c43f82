//! EFS's typed requests and responses (REST-JSON in AWS; the members as the aws-cli sends them),
//! serialised in the member order of the official model (`elasticfilesystem-2015-02-01`).

use serde::{Deserialize, Serialize};

/// A tag.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    /// The key.
    #[serde(rename = "Key", default)]
    pub key: String,
    /// The value.
    #[serde(rename = "Value", default)]
    pub value: String,
}

lenient_request!(
    /// `CreateFileSystem`.
    CreateFileSystemRequest {
        /// Up to 64 ASCII characters; makes creation idempotent.
        creation_token: String = "CreationToken",
        /// `generalPurpose` (default) or `maxIO`.
        performance_mode: String = "PerformanceMode",
        /// Encrypt the file system at rest (default: not encrypted, through the API).
        encrypted: bool = "Encrypted",
        /// The KMS key (default `aws/elasticfilesystem`); only with `Encrypted`.
        kms_key_id: String = "KmsKeyId",
        /// `bursting` (default), `provisioned` or `elastic`.
        throughput_mode: String = "ThroughputMode",
        /// A One Zone file system's Availability Zone.
        availability_zone_name: String = "AvailabilityZoneName",
        /// Automatic backups (not modelled).
        backup: bool = "Backup",
        /// Tags (`Name` becomes the file system's name).
        tags: Vec<Tag> = "Tags",
    }
);

lenient_request!(
    /// `DescribeFileSystems`.
    DescribeFileSystemsRequest {
        /// 1 or more (default 100).
        max_items: i64 = "MaxItems",
        /// The previous page's `NextMarker`.
        marker: String = "Marker",
        /// Only the file system with this creation token.
        creation_token: String = "CreationToken",
        /// Only this file system.
        file_system_id: String = "FileSystemId",
    }
);

lenient_request!(
    /// `DeleteFileSystem`.
    DeleteFileSystemRequest {
        /// The file system.
        file_system_id: String = "FileSystemId",
    }
);

/// `FileSystemSize`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileSystemSize {
    /// Bytes stored.
    #[serde(rename = "Value")]
    pub value: i64,
    /// In Infrequent Access.
    #[serde(rename = "ValueInIA")]
    pub value_in_ia: i64,
    /// In Standard.
    #[serde(rename = "ValueInStandard")]
    pub value_in_standard: i64,
    /// In Archive.
    #[serde(rename = "ValueInArchive")]
    pub value_in_archive: i64,
}

/// `FileSystemProtectionDescription`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileSystemProtection {
    /// `ENABLED`.
    #[serde(rename = "ReplicationOverwriteProtection")]
    pub replication_overwrite_protection: String,
}

/// `FileSystemDescription`, in the model's member order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FileSystemDescription {
    /// The owning account.
    #[serde(rename = "OwnerId")]
    pub owner_id: String,
    /// The creation token.
    #[serde(rename = "CreationToken")]
    pub creation_token: String,
    /// `fs-…`.
    #[serde(rename = "FileSystemId")]
    pub file_system_id: String,
    /// The ARN.
    #[serde(rename = "FileSystemArn")]
    pub file_system_arn: String,
    /// Epoch seconds.
    #[serde(rename = "CreationTime")]
    pub creation_time: f64,
    /// `creating`, `available`, `deleting`, …
    #[serde(rename = "LifeCycleState")]
    pub life_cycle_state: String,
    /// The `Name` tag.
    #[serde(rename = "Name", default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Mount targets (none in the lab).
    #[serde(rename = "NumberOfMountTargets")]
    pub number_of_mount_targets: i64,
    /// The metered size.
    #[serde(rename = "SizeInBytes")]
    pub size_in_bytes: FileSystemSize,
    /// `generalPurpose` or `maxIO`.
    #[serde(rename = "PerformanceMode")]
    pub performance_mode: String,
    /// Encrypted at rest.
    #[serde(rename = "Encrypted")]
    pub encrypted: bool,
    /// The KMS key's ARN (encrypted file systems).
    #[serde(rename = "KmsKeyId", default, skip_serializing_if = "Option::is_none")]
    pub kms_key_id: Option<String>,
    /// `bursting`, `provisioned` or `elastic`.
    #[serde(rename = "ThroughputMode")]
    pub throughput_mode: String,
    /// With `provisioned`.
    #[serde(
        rename = "ProvisionedThroughputInMibps",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub provisioned_throughput_in_mibps: Option<f64>,
    /// One Zone file systems.
    #[serde(rename = "AvailabilityZoneName", default, skip_serializing_if = "Option::is_none")]
    pub availability_zone_name: Option<String>,
    /// Tags.
    #[serde(rename = "Tags")]
    pub tags: Vec<Tag>,
    /// Replication overwrite protection.
    #[serde(rename = "FileSystemProtection")]
    pub file_system_protection: FileSystemProtection,
}

/// `DescribeFileSystems`' answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DescribeFileSystemsResponse {
    /// The request's marker.
    #[serde(rename = "Marker", default, skip_serializing_if = "Option::is_none")]
    pub marker: Option<String>,
    /// The file systems.
    #[serde(rename = "FileSystems")]
    pub file_systems: Vec<FileSystemDescription>,
    /// Where the next page starts.
    #[serde(rename = "NextMarker", default, skip_serializing_if = "Option::is_none")]
    pub next_marker: Option<String>,
}

/// An answer without members (`DeleteFileSystem`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmptyResponse {}

operations!(EfsRequest / EfsResponse, efs -> EfsClient for crate::efs::Efs {
    create_file_system: CreateFileSystem(CreateFileSystemRequest) -> Box<FileSystemDescription>,
    describe_file_systems: DescribeFileSystems(DescribeFileSystemsRequest) -> DescribeFileSystemsResponse,
    delete_file_system: DeleteFileSystem(DeleteFileSystemRequest) -> EmptyResponse,
});
