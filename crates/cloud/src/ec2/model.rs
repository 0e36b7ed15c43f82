//! EC2's (EBS's) typed requests and responses. EC2 speaks the EC2 query protocol; the lab's
//! shapes are the members the aws-cli sends (read leniently, as the lab always read them) and the JSON it
//! prints. Request members are read leniently ([`crate::lenient`]): decoding never fails, and
//! each operation reports the members it requires after authorization and `DryRun`, as EC2 does.

use serde::{Deserialize, Serialize};

lenient_request!(
    /// A request with no members but `DryRun` (`EnableEbsEncryptionByDefault`,
    /// `DisableEbsEncryptionByDefault`, `GetEbsEncryptionByDefault`, `GetEbsDefaultKmsKeyId`,
    /// `ResetEbsDefaultKmsKeyId`, `DescribeInstances`).
    DryRunRequest {
        /// Check permissions only.
        dry_run: bool = "DryRun",
    }
);

lenient_request!(
    /// `ModifyEbsDefaultKmsKeyId`.
    ModifyEbsDefaultKmsKeyIdRequest {
        /// Check permissions only.
        dry_run: bool = "DryRun",
        /// The new default key (id, ARN, alias name or alias ARN).
        kms_key_id: String = "KmsKeyId",
    }
);

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
    /// Tags for a resource being created (`TagSpecifications`).
    TagSpecification {
        /// `volume`, `snapshot`, … (only the entries for the created resource apply).
        resource_type: String = "ResourceType",
        /// The tags.
        tags: Vec<TagInput> = "Tags",
    }
);

/// The tags of `specs` whose `ResourceType` is `resource`, as (key, value) pairs.
pub(crate) fn tags_for(specs: Option<&Vec<TagSpecification>>, resource: &str) -> Vec<(String, String)> {
    specs
        .into_iter()
        .flatten()
        .filter(|s| s.resource_type.as_deref() == Some(resource))
        .flat_map(|s| s.tags.iter().flatten())
        .map(|t| (t.key.clone().unwrap_or_default(), t.value.clone().unwrap_or_default()))
        .collect()
}

lenient_request!(
    /// `CreateVolume`.
    CreateVolumeRequest {
        /// Check permissions only.
        dry_run: bool = "DryRun",
        /// In the caller's Region (default `REGIONa`).
        availability_zone: String = "AvailabilityZone",
        /// GiB (default: the snapshot's size).
        size: u64 = "Size",
        /// Encrypt the volume.
        encrypted: bool = "Encrypted",
        /// The KMS key (needs `Encrypted`).
        kms_key_id: String = "KmsKeyId",
        /// The snapshot to restore.
        snapshot_id: String = "SnapshotId",
        /// `gp2` (the default), `gp3`, `io1`, `io2`, `st1`, `sc1` or `standard`.
        volume_type: String = "VolumeType",
        /// Provisioned IOPS (gp3, io1, io2).
        iops: u32 = "Iops",
        /// Provisioned throughput in MiB/s (gp3).
        throughput: u32 = "Throughput",
        /// Multi-Attach (io1, io2).
        multi_attach_enabled: bool = "MultiAttachEnabled",
        /// Tags for the volume.
        tag_specifications: Vec<TagSpecification> = "TagSpecifications",
    }
);

lenient_request!(
    /// `DescribeVolumes`.
    DescribeVolumesRequest {
        /// Check permissions only.
        dry_run: bool = "DryRun",
        /// Only these volumes (all when absent or empty).
        volume_ids: crate::lenient::StringList = "VolumeIds",
    }
);

lenient_request!(
    /// `DeleteVolume` and `DetachVolume`.
    VolumeIdRequest {
        /// Check permissions only.
        dry_run: bool = "DryRun",
        /// The volume.
        volume_id: String = "VolumeId",
    }
);

lenient_request!(
    /// `ModifyVolume`: size (grow only), type and performance.
    ModifyVolumeRequest {
        /// Check permissions only.
        dry_run: bool = "DryRun",
        /// The volume.
        volume_id: String = "VolumeId",
        /// The new size, GiB.
        size: u64 = "Size",
        /// The new type.
        volume_type: String = "VolumeType",
        /// The new provisioned IOPS.
        iops: u32 = "Iops",
        /// The new throughput (gp3).
        throughput: u32 = "Throughput",
    }
);

lenient_request!(
    /// `AttachVolume`.
    AttachVolumeRequest {
        /// Check permissions only.
        dry_run: bool = "DryRun",
        /// The volume.
        volume_id: String = "VolumeId",
        /// The running instance.
        instance_id: String = "InstanceId",
        /// The device name (default `/dev/sdf`).
        device: String = "Device",
    }
);

lenient_request!(
    /// `CreateSnapshot`.
    CreateSnapshotRequest {
        /// Check permissions only.
        dry_run: bool = "DryRun",
        /// The volume.
        volume_id: String = "VolumeId",
        /// A description.
        description: String = "Description",
        /// Tags for the snapshot.
        tag_specifications: Vec<TagSpecification> = "TagSpecifications",
    }
);

lenient_request!(
    /// `CopySnapshot`.
    CopySnapshotRequest {
        /// Check permissions only.
        dry_run: bool = "DryRun",
        /// The snapshot to copy.
        source_snapshot_id: String = "SourceSnapshotId",
        /// Its Region.
        source_region: String = "SourceRegion",
        /// Encrypt the copy.
        encrypted: bool = "Encrypted",
        /// The copy's KMS key.
        kms_key_id: String = "KmsKeyId",
        /// A description.
        description: String = "Description",
        /// Tags for the copy.
        tag_specifications: Vec<TagSpecification> = "TagSpecifications",
    }
);

lenient_request!(
    /// `DescribeSnapshots`.
    DescribeSnapshotsRequest {
        /// Check permissions only.
        dry_run: bool = "DryRun",
        /// Only these snapshots.
        snapshot_ids: crate::lenient::StringList = "SnapshotIds",
        /// Only snapshots of these owners (`self` for the caller's account).
        owner_ids: crate::lenient::StringList = "OwnerIds",
    }
);

lenient_request!(
    /// `DescribeSnapshotAttribute` (`createVolumePermission`).
    SnapshotIdRequest {
        /// Check permissions only.
        dry_run: bool = "DryRun",
        /// The snapshot.
        snapshot_id: String = "SnapshotId",
    }
);

lenient_request!(
    /// One `createVolumePermission` entry: an account (`UserId`) or `all` (`Group`).
    CreateVolumePermission {
        /// An account id.
        user_id: String = "UserId",
        /// `all`.
        group: String = "Group",
    }
);

/// `CreateVolumePermission` of `ModifySnapshotAttribute`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateVolumePermissionModifications {
    /// Entries to add.
    #[serde(
        rename = "Add",
        default,
        deserialize_with = "crate::lenient::structs",
        skip_serializing_if = "Option::is_none"
    )]
    pub add: Option<Vec<CreateVolumePermission>>,
    /// Entries to remove.
    #[serde(
        rename = "Remove",
        default,
        deserialize_with = "crate::lenient::structs",
        skip_serializing_if = "Option::is_none"
    )]
    pub remove: Option<Vec<CreateVolumePermission>>,
}

impl CreateVolumePermissionModifications {
    /// The accounts (or `all`) of `add` or `remove`.
    pub(crate) fn ids(list: Option<&Vec<CreateVolumePermission>>) -> Vec<String> {
        list.map(|l| {
            l.iter()
                .filter_map(|e| e.user_id.clone().or_else(|| e.group.clone()))
                .collect()
        })
        .unwrap_or_default()
    }
}

lenient_request!(
    /// `ModifySnapshotAttribute` (`createVolumePermission`).
    ModifySnapshotAttributeRequest {
        /// Check permissions only.
        dry_run: bool = "DryRun",
        /// The snapshot.
        snapshot_id: String = "SnapshotId",
        /// `add` or `remove` (with `UserIds`).
        operation_type: String = "OperationType",
        /// Accounts to add or remove.
        user_ids: crate::lenient::StringList = "UserIds",
        /// `all` (public) to add or remove.
        group_names: crate::lenient::StringList = "GroupNames",
        /// Entries to add and remove.
        create_volume_permission: CreateVolumePermissionModifications = "CreateVolumePermission",
    }
);

lenient_request!(
    /// The EBS settings of a block device mapping.
    EbsBlockDevice {
        /// GiB (default 8).
        volume_size: u64 = "VolumeSize",
        /// Encrypt the volume.
        encrypted: bool = "Encrypted",
        /// The KMS key.
        kms_key_id: String = "KmsKeyId",
    }
);

lenient_request!(
    /// A block device mapping (the lab reads the first one's `Ebs`: the root volume).
    BlockDeviceMapping {
        /// The EBS volume.
        ebs: EbsBlockDevice = "Ebs",
    }
);

/// `RunInstances` (one instance).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunInstancesRequest {
    /// Check permissions only.
    #[serde(
        rename = "DryRun",
        default,
        deserialize_with = "crate::lenient::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub dry_run: Option<bool>,
    /// The AMI (default `ami-0abcdef1234567890`).
    #[serde(
        rename = "ImageId",
        default,
        deserialize_with = "crate::lenient::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub image_id: Option<String>,
    /// The type (default `t3.micro`).
    #[serde(
        rename = "InstanceType",
        default,
        deserialize_with = "crate::lenient::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub instance_type: Option<String>,
    /// The root volume's settings (the first mapping).
    #[serde(
        rename = "BlockDeviceMappings",
        default,
        deserialize_with = "crate::lenient::structs",
        skip_serializing_if = "Option::is_none"
    )]
    pub block_device_mappings: Option<Vec<BlockDeviceMapping>>,
}

/// `EbsEncryptionByDefault` answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EbsEncryptionByDefaultResponse {
    /// Whether new volumes are encrypted.
    #[serde(rename = "EbsEncryptionByDefault")]
    pub ebs_encryption_by_default: bool,
    /// `sse-ebs` (`GetEbsEncryptionByDefault` only).
    #[serde(rename = "SseType", default, skip_serializing_if = "Option::is_none")]
    pub sse_type: Option<String>,
}

/// `…EbsDefaultKmsKeyId` answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KmsKeyIdResponse {
    /// The default key's ARN.
    #[serde(rename = "KmsKeyId")]
    pub kms_key_id: String,
}

/// An answer without members (`{}`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Empty {}

/// A volume's attachment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VolumeAttachment {
    /// The instance.
    #[serde(rename = "InstanceId")]
    pub instance_id: String,
    /// The volume.
    #[serde(rename = "VolumeId")]
    pub volume_id: String,
    /// The device name.
    #[serde(rename = "Device")]
    pub device: String,
    /// `attached`.
    #[serde(rename = "State")]
    pub state: String,
}

/// A tag as EC2 shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    /// The key.
    #[serde(rename = "Key")]
    pub key: String,
    /// The value.
    #[serde(rename = "Value")]
    pub value: String,
}

impl Tag {
    /// The tags of a record.
    pub(crate) fn list(tags: &[(String, String)]) -> Vec<Tag> {
        tags.iter()
            .map(|(k, v)| Tag {
                key: k.clone(),
                value: v.clone(),
            })
            .collect()
    }
}

/// A volume (`DescribeVolumes`, `CreateVolume`), members in the EC2 model's order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VolumeDescription {
    /// Provisioned IOPS (gp3, io1, io2) or the baseline (gp2); absent for HDD types.
    #[serde(rename = "Iops", default, skip_serializing_if = "Option::is_none")]
    pub iops: Option<u32>,
    /// The tags (`CreateVolume` always answers the list; `DescribeVolumes` only when tagged).
    #[serde(rename = "Tags", default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    /// `gp2`, `gp3`, `io1`, `io2`, `st1`, `sc1`, `standard`.
    #[serde(rename = "VolumeType")]
    pub volume_type: String,
    /// Multi-Attach.
    #[serde(rename = "MultiAttachEnabled")]
    pub multi_attach_enabled: bool,
    /// Throughput in MiB/s (gp3).
    #[serde(rename = "Throughput", default, skip_serializing_if = "Option::is_none")]
    pub throughput: Option<u32>,
    /// The id.
    #[serde(rename = "VolumeId")]
    pub volume_id: String,
    /// GiB.
    #[serde(rename = "Size")]
    pub size: u64,
    /// The source snapshot (`""` when none).
    #[serde(rename = "SnapshotId")]
    pub snapshot_id: String,
    /// The Availability Zone.
    #[serde(rename = "AvailabilityZone")]
    pub availability_zone: String,
    /// `creating`, `available`, `in-use`.
    #[serde(rename = "State")]
    pub state: String,
    /// ISO 8601.
    #[serde(rename = "CreateTime")]
    pub create_time: String,
    /// Its attachments (left out of `CreateVolume`'s answer).
    #[serde(
        rename = "Attachments",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub attachments: Option<Vec<VolumeAttachment>>,
    /// Whether it is encrypted.
    #[serde(rename = "Encrypted")]
    pub encrypted: bool,
    /// The KMS key ARN (encrypted volumes).
    #[serde(rename = "KmsKeyId", default, skip_serializing_if = "Option::is_none")]
    pub kms_key_id: Option<String>,
}

/// `DescribeVolumes`'s answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DescribeVolumesResponse {
    /// The volumes.
    #[serde(rename = "Volumes")]
    pub volumes: Vec<VolumeDescription>,
}

/// `VolumeModification`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VolumeModification {
    /// The volume.
    #[serde(rename = "VolumeId")]
    pub volume_id: String,
    /// `modifying`.
    #[serde(rename = "ModificationState")]
    pub modification_state: String,
    /// `""`.
    #[serde(rename = "StatusMessage")]
    pub status_message: String,
    /// GiB.
    #[serde(rename = "TargetSize")]
    pub target_size: u64,
    /// The IOPS after the change.
    #[serde(rename = "TargetIops", default, skip_serializing_if = "Option::is_none")]
    pub target_iops: Option<u32>,
    /// The type after the change.
    #[serde(rename = "TargetVolumeType")]
    pub target_volume_type: String,
    /// The throughput after the change (gp3).
    #[serde(rename = "TargetThroughput", default, skip_serializing_if = "Option::is_none")]
    pub target_throughput: Option<u32>,
    /// GiB.
    #[serde(rename = "OriginalSize")]
    pub original_size: u64,
    /// The IOPS before.
    #[serde(rename = "OriginalIops", default, skip_serializing_if = "Option::is_none")]
    pub original_iops: Option<u32>,
    /// The type before.
    #[serde(rename = "OriginalVolumeType")]
    pub original_volume_type: String,
    /// The throughput before (gp3).
    #[serde(rename = "OriginalThroughput", default, skip_serializing_if = "Option::is_none")]
    pub original_throughput: Option<u32>,
    /// Percent.
    #[serde(rename = "Progress")]
    pub progress: u32,
    /// ISO 8601.
    #[serde(rename = "StartTime")]
    pub start_time: String,
}

/// `ModifyVolume`'s answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModifyVolumeResponse {
    /// The modification.
    #[serde(rename = "VolumeModification")]
    pub volume_modification: VolumeModification,
}

/// `AttachVolume`'s answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachVolumeResponse {
    /// ISO 8601.
    #[serde(rename = "AttachTime")]
    pub attach_time: String,
    /// The device name.
    #[serde(rename = "Device")]
    pub device: String,
    /// The instance.
    #[serde(rename = "InstanceId")]
    pub instance_id: String,
    /// `attaching`.
    #[serde(rename = "State")]
    pub state: String,
    /// The volume.
    #[serde(rename = "VolumeId")]
    pub volume_id: String,
}

/// `DetachVolume`'s answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DetachVolumeResponse {
    /// The volume.
    #[serde(rename = "VolumeId")]
    pub volume_id: String,
    /// The instance.
    #[serde(rename = "InstanceId")]
    pub instance_id: String,
    /// `detaching`.
    #[serde(rename = "State")]
    pub state: String,
    /// The device name.
    #[serde(rename = "Device")]
    pub device: String,
}

/// A snapshot (`DescribeSnapshots`, `CreateSnapshot`), members in the EC2 model's order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotDescription {
    /// The tags (`CreateSnapshot` always answers the list; `DescribeSnapshots` only when
    /// tagged).
    #[serde(rename = "Tags", default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    /// `standard` (`DescribeSnapshots`).
    #[serde(rename = "StorageTier", default, skip_serializing_if = "Option::is_none")]
    pub storage_tier: Option<String>,
    /// The id.
    #[serde(rename = "SnapshotId")]
    pub snapshot_id: String,
    /// The source volume.
    #[serde(rename = "VolumeId")]
    pub volume_id: String,
    /// `pending`, `completed`.
    #[serde(rename = "State")]
    pub state: String,
    /// ISO 8601.
    #[serde(rename = "StartTime")]
    pub start_time: String,
    /// `100%` (`""` while pending).
    #[serde(rename = "Progress")]
    pub progress: String,
    /// The owner account.
    #[serde(rename = "OwnerId")]
    pub owner_id: String,
    /// The description.
    #[serde(rename = "Description")]
    pub description: String,
    /// GiB.
    #[serde(rename = "VolumeSize")]
    pub volume_size: u64,
    /// Whether it is encrypted.
    #[serde(rename = "Encrypted")]
    pub encrypted: bool,
    /// The KMS key ARN (encrypted snapshots).
    #[serde(rename = "KmsKeyId", default, skip_serializing_if = "Option::is_none")]
    pub kms_key_id: Option<String>,
}

/// `CopySnapshot`'s answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CopySnapshotResponse {
    /// The copy.
    #[serde(rename = "SnapshotId")]
    pub snapshot_id: String,
}

/// `DescribeSnapshots`'s answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DescribeSnapshotsResponse {
    /// The snapshots.
    #[serde(rename = "Snapshots")]
    pub snapshots: Vec<SnapshotDescription>,
}

/// One entry of a snapshot's `createVolumePermission`: an account or the group `all`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserIdPermission {
    /// The account.
    #[serde(rename = "UserId", default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// `all` (public).
    #[serde(rename = "Group", default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
}

/// `DescribeSnapshotAttribute`'s answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DescribeSnapshotAttributeResponse {
    /// The snapshot.
    #[serde(rename = "SnapshotId")]
    pub snapshot_id: String,
    /// Who may create volumes from it.
    #[serde(rename = "CreateVolumePermissions")]
    pub create_volume_permissions: Vec<UserIdPermission>,
}

/// An instance's state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstanceState {
    /// 0 pending, 16 running, 48 terminated.
    #[serde(rename = "Code")]
    pub code: u32,
    /// The state name.
    #[serde(rename = "Name")]
    pub name: String,
}

/// An instance's placement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placement {
    /// The Availability Zone.
    #[serde(rename = "AvailabilityZone")]
    pub availability_zone: String,
}

/// The EBS part of an instance's block device.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EbsInstanceBlockDevice {
    /// The volume.
    #[serde(rename = "VolumeId")]
    pub volume_id: String,
    /// `attached`.
    #[serde(rename = "Status")]
    pub status: String,
}

/// An instance's block device.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstanceBlockDeviceMapping {
    /// `/dev/xvda`.
    #[serde(rename = "DeviceName")]
    pub device_name: String,
    /// The volume.
    #[serde(rename = "Ebs")]
    pub ebs: EbsInstanceBlockDevice,
}

/// Why an instance is in its state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateReason {
    /// E.g. `Client.InternalError`.
    #[serde(rename = "Code")]
    pub code: String,
    /// The message.
    #[serde(rename = "Message")]
    pub message: String,
}

/// An instance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstanceDescription {
    /// The id.
    #[serde(rename = "InstanceId")]
    pub instance_id: String,
    /// The AMI.
    #[serde(rename = "ImageId")]
    pub image_id: String,
    /// The type.
    #[serde(rename = "InstanceType")]
    pub instance_type: String,
    /// The state.
    #[serde(rename = "State")]
    pub state: InstanceState,
    /// ISO 8601.
    #[serde(rename = "LaunchTime")]
    pub launch_time: String,
    /// The Availability Zone.
    #[serde(rename = "Placement")]
    pub placement: Placement,
    /// `/dev/xvda`.
    #[serde(rename = "RootDeviceName")]
    pub root_device_name: String,
    /// The root volume (none when the launch failed).
    #[serde(rename = "BlockDeviceMappings")]
    pub block_device_mappings: Vec<InstanceBlockDeviceMapping>,
    /// Why it was terminated.
    #[serde(
        rename = "StateReason",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub state_reason: Option<StateReason>,
}

/// `RunInstances`'s answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunInstancesResponse {
    /// The reservation.
    #[serde(rename = "ReservationId")]
    pub reservation_id: String,
    /// The account.
    #[serde(rename = "OwnerId")]
    pub owner_id: String,
    /// The instance (pending).
    #[serde(rename = "Instances")]
    pub instances: Vec<InstanceDescription>,
}

/// A reservation of `DescribeInstances`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reservation {
    /// The account.
    #[serde(rename = "OwnerId")]
    pub owner_id: String,
    /// Its instance.
    #[serde(rename = "Instances")]
    pub instances: Vec<InstanceDescription>,
}

/// `DescribeInstances`'s answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DescribeInstancesResponse {
    /// One reservation per instance.
    #[serde(rename = "Reservations")]
    pub reservations: Vec<Reservation>,
}

operations!(Ec2Request / Ec2Response, ec2 -> Ec2Client for crate::ec2::Ec2 {
    enable_ebs_encryption_by_default: EnableEbsEncryptionByDefault(DryRunRequest) -> EbsEncryptionByDefaultResponse,
    disable_ebs_encryption_by_default: DisableEbsEncryptionByDefault(DryRunRequest) -> EbsEncryptionByDefaultResponse,
    get_ebs_encryption_by_default: GetEbsEncryptionByDefault(DryRunRequest) -> EbsEncryptionByDefaultResponse,
    modify_ebs_default_kms_key_id: ModifyEbsDefaultKmsKeyId(ModifyEbsDefaultKmsKeyIdRequest) -> KmsKeyIdResponse,
    get_ebs_default_kms_key_id: GetEbsDefaultKmsKeyId(DryRunRequest) -> KmsKeyIdResponse,
    reset_ebs_default_kms_key_id: ResetEbsDefaultKmsKeyId(DryRunRequest) -> KmsKeyIdResponse,
    create_volume: CreateVolume(CreateVolumeRequest) -> VolumeDescription,
    describe_volumes: DescribeVolumes(DescribeVolumesRequest) -> DescribeVolumesResponse,
    delete_volume: DeleteVolume(VolumeIdRequest) -> Empty,
    modify_volume: ModifyVolume(ModifyVolumeRequest) -> ModifyVolumeResponse,
    attach_volume: AttachVolume(AttachVolumeRequest) -> AttachVolumeResponse,
    detach_volume: DetachVolume(VolumeIdRequest) -> DetachVolumeResponse,
    create_snapshot: CreateSnapshot(CreateSnapshotRequest) -> SnapshotDescription,
    copy_snapshot: CopySnapshot(CopySnapshotRequest) -> CopySnapshotResponse,
    describe_snapshots: DescribeSnapshots(DescribeSnapshotsRequest) -> DescribeSnapshotsResponse,
    modify_snapshot_attribute: ModifySnapshotAttribute(ModifySnapshotAttributeRequest) -> Empty,
    describe_snapshot_attribute: DescribeSnapshotAttribute(SnapshotIdRequest) -> DescribeSnapshotAttributeResponse,
    run_instances: RunInstances(RunInstancesRequest) -> RunInstancesResponse,
    describe_instances: DescribeInstances(DryRunRequest) -> DescribeInstancesResponse,
});

impl Ec2Request {
    /// The request's `DryRun` member.
    pub fn dry_run(&self) -> Option<bool> {
        match self {
            Self::EnableEbsEncryptionByDefault(r)
            | Self::DisableEbsEncryptionByDefault(r)
            | Self::GetEbsEncryptionByDefault(r)
            | Self::GetEbsDefaultKmsKeyId(r)
            | Self::ResetEbsDefaultKmsKeyId(r)
            | Self::DescribeInstances(r) => r.dry_run,
            Self::ModifyEbsDefaultKmsKeyId(r) => r.dry_run,
            Self::CreateVolume(r) => r.dry_run,
            Self::DescribeVolumes(r) => r.dry_run,
            Self::DeleteVolume(r) | Self::DetachVolume(r) => r.dry_run,
            Self::ModifyVolume(r) => r.dry_run,
            Self::AttachVolume(r) => r.dry_run,
            Self::CreateSnapshot(r) => r.dry_run,
            Self::CopySnapshot(r) => r.dry_run,
            Self::DescribeSnapshots(r) => r.dry_run,
            Self::ModifySnapshotAttribute(r) => r.dry_run,
            Self::DescribeSnapshotAttribute(r) => r.dry_run,
            Self::RunInstances(r) => r.dry_run,
        }
    }
}
