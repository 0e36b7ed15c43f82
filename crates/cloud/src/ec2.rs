//! EC2/EBS on top of KMS: encryption by default (per account and Region), the default EBS key,
//! volumes, snapshots (copy, share) and minimal instances. Volumes and snapshots are records
//! (no block data), but every encrypted one holds a data key KMS encrypted: EBS asks KMS
//! `GenerateDataKeyWithoutPlaintext` at creation, and EC2 `CreateGrant` + `Decrypt` when a
//! volume is attached, all **on behalf of the caller** through `ec2.REGION.amazonaws.com`
//! (<https://docs.aws.amazon.com/ebs/latest/userguide/how-ebs-encryption-works.html>).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::World;
use crate::cloudtrail::CallAudit;
use crate::context::CallContext;
use crate::env::iso8601;
use crate::error::AwsError;

/// The EBS encryption settings of one account and Region.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub(crate) struct EbsDefaults {
    pub enabled: bool,
    /// `None` = `alias/aws/ebs`.
    pub kms_key: Option<String>,
}

/// An EBS volume (a record: no block data).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Volume {
    pub id: String,
    pub account: String,
    pub region: String,
    pub az: String,
    pub size: u64,
    pub encrypted: bool,
    pub kms_key_arn: Option<String>,
    /// KMS's ciphertext of the volume's data key.
    pub wrapped_key: Option<String>,
    pub snapshot_id: Option<String>,
    pub state: String,
    pub attached_to: Option<String>,
    pub created_ms: i64,
}

/// An EBS snapshot.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Snapshot {
    pub id: String,
    pub account: String,
    pub region: String,
    pub volume_id: String,
    pub size: u64,
    pub encrypted: bool,
    pub kms_key_arn: Option<String>,
    pub wrapped_key: Option<String>,
    /// The resource id the data key's encryption context names (`aws:ebs:id`).
    #[serde(default)]
    pub key_context: String,
    pub description: String,
    pub shared_with: Vec<String>,
    pub created_ms: i64,
}

impl Snapshot {
    /// Its encrypted data key, for the KMS `Decrypt` that checks the caller may still use it.
    pub(crate) fn sealed(&self) -> Sealed<'_> {
        Sealed {
            region: &self.region,
            blob: self.wrapped_key.as_ref(),
            key: self.kms_key_arn.as_ref(),
            resource: &self.key_context,
        }
    }
}

/// An instance: an id, a state and a root volume.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Instance {
    pub id: String,
    pub account: String,
    pub region: String,
    pub image_id: String,
    pub instance_type: String,
    pub state: String,
    pub state_reason: Option<(String, String)>,
    pub root_volume: Option<String>,
    pub launched_ms: i64,
}

/// The EC2 state of every account and Region.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Ec2 {
    /// By `ACCOUNT/REGION`.
    pub(crate) defaults: BTreeMap<String, EbsDefaults>,
    pub(crate) volumes: BTreeMap<String, Volume>,
    pub(crate) snapshots: BTreeMap<String, Snapshot>,
    pub(crate) instances: BTreeMap<String, Instance>,
}

impl Ec2 {
    /// The number of volumes in every account and Region.
    pub fn volume_count(&self) -> usize {
        self.volumes.len()
    }
}

use crate::kms::model::{CreateGrantRequest, GrantConstraints};
use crate::query_input::{err, required, s};
use crate::service_kms::{Sealed, ServiceKms, in_region};

fn slot(ctx: &CallContext) -> String {
    format!("{}/{}", ctx.account, ctx.region)
}

/// EC2 reports KMS failures of the calls it makes for the caller with the KMS message.
fn kms_error(e: KmsError, _key: &str) -> AwsError {
    let message = crate::ServiceError::message(&e);
    match e.code() {
        "AccessDeniedException" => err("UnauthorizedOperation", message),
        code => err(&format!("KMS.{code}"), message),
    }
}

/// EBS calls KMS through EC2, with data keys bound to the volume or snapshot id.
const KMS: ServiceKms<AwsError> = ServiceKms {
    service: "ec2",
    context_key: "aws:ebs:id",
    map_err: kms_error,
    internal: internal_error,
};

fn internal_error(message: String) -> AwsError {
    AwsError::with_status("InternalError", message, 500)
}

use crate::kms::KmsError;

const OPERATIONS: &[&str] = &[
    "EnableEbsEncryptionByDefault",
    "DisableEbsEncryptionByDefault",
    "GetEbsEncryptionByDefault",
    "ModifyEbsDefaultKmsKeyId",
    "GetEbsDefaultKmsKeyId",
    "ResetEbsDefaultKmsKeyId",
    "CreateVolume",
    "DescribeVolumes",
    "DeleteVolume",
    "ModifyVolume",
    "AttachVolume",
    "DetachVolume",
    "CreateSnapshot",
    "CopySnapshot",
    "DescribeSnapshots",
    "ModifySnapshotAttribute",
    "DescribeSnapshotAttribute",
    "RunInstances",
    "DescribeInstances",
];

/// The `ec2` entry point.
pub(crate) fn call(
    world: &mut World,
    ctx: &CallContext,
    operation: &str,
    input: Value,
    audit: &mut CallAudit,
) -> Result<Value, AwsError> {
    if !OPERATIONS.contains(&operation) {
        return Err(AwsError::with_status(
            "InvalidAction",
            format!(
                "The action {operation} is not valid for this web service (the lab models EBS encryption operations)."
            ),
            400,
        ));
    }
    audit.read_only = operation.starts_with("Describe") || operation.starts_with("Get");
    let now = world.now_ms();
    crate::authorize::identity_only(
        &world.iam,
        ctx,
        &format!("ec2:{operation}"),
        "*",
        &[],
        now,
        &mut audit.authorizations,
    )
    .map_err(|m| {
        AwsError::with_status(
            "UnauthorizedOperation",
            format!("You are not authorized to perform this operation. {m}"),
            403,
        )
    })?;
    if input.get("DryRun").and_then(Value::as_bool) == Some(true) {
        return Err(AwsError::with_status(
            "DryRunOperation",
            "Request would have succeeded, but DryRun flag is set.",
            412,
        ));
    }
    let key = slot(ctx);
    match operation {
        "EnableEbsEncryptionByDefault" | "DisableEbsEncryptionByDefault" => {
            let on = operation.starts_with("Enable");
            world.ec2.defaults.entry(key).or_default().enabled = on;
            Ok(json!({ "EbsEncryptionByDefault": on }))
        }
        "GetEbsEncryptionByDefault" => {
            let on = world.ec2.defaults.get(&key).is_some_and(|d| d.enabled);
            Ok(json!({ "EbsEncryptionByDefault": on, "SseType": "sse-ebs" }))
        }
        "ModifyEbsDefaultKmsKeyId" => {
            let id = required(&input, "KmsKeyId")?;
            // EBS checks the key through KMS (DescribeKey) and keeps its ARN.
            let md = KMS.describe_key(world, ctx, id, audit)?;
            if md.key_spec != "SYMMETRIC_DEFAULT" {
                return Err(err(
                    "InvalidParameterValue",
                    "The specified KMS key is not a symmetric encryption key: EBS supports only symmetric keys",
                ));
            }
            let arn = md.arn;
            world.ec2.defaults.entry(key).or_default().kms_key = Some(arn.clone());
            Ok(json!({ "KmsKeyId": arn }))
        }
        "GetEbsDefaultKmsKeyId" => Ok(json!({ "KmsKeyId": default_key_name(world, ctx) })),
        "ResetEbsDefaultKmsKeyId" => {
            world.ec2.defaults.entry(key).or_default().kms_key = None;
            Ok(json!({ "KmsKeyId": default_key_name(world, ctx) }))
        }
        "CreateVolume" => create_volume(world, ctx, &input, audit),
        "DescribeVolumes" => Ok(describe_volumes(world, ctx, &input)),
        "DeleteVolume" => {
            let id = required(&input, "VolumeId")?;
            let v = volume(world, ctx, id)?;
            if v.attached_to.is_some() {
                return Err(err(
                    "VolumeInUse",
                    format!(
                        "Volume {id} is currently attached to {}",
                        v.attached_to.unwrap_or_default()
                    ),
                ));
            }
            world.ec2.volumes.remove(id);
            Ok(json!({}))
        }
        "AttachVolume" => attach_volume(world, ctx, &input, audit),
        "DetachVolume" => {
            let id = required(&input, "VolumeId")?;
            let v = volume(world, ctx, id)?;
            let Some(instance) = v.attached_to.clone() else {
                return Err(err(
                    "IncorrectState",
                    format!("Volume '{id}' is in the 'available' state."),
                ));
            };
            if let Some(v) = world.ec2.volumes.get_mut(id) {
                v.attached_to = None;
                "available".clone_into(&mut v.state);
            }
            Ok(
                json!({ "VolumeId": id, "InstanceId": instance, "State": "detaching", "Device": "/dev/sdf" }),
            )
        }
        "ModifyVolume" => modify_volume(world, ctx, &input),
        "CreateSnapshot" => create_snapshot(world, ctx, &input),
        "CopySnapshot" => copy_snapshot(world, ctx, &input, audit),
        "DescribeSnapshots" => Ok(describe_snapshots(world, ctx, &input)),
        "ModifySnapshotAttribute" => modify_snapshot_attribute(world, ctx, &input),
        "DescribeSnapshotAttribute" => {
            let id = required(&input, "SnapshotId")?;
            let snap = snapshot(world, ctx, id)?;
            let perms: Vec<Value> = snap
                .shared_with
                .iter()
                .map(|a| json!({ "UserId": a }))
                .collect();
            Ok(json!({ "SnapshotId": id, "CreateVolumePermissions": perms }))
        }
        "RunInstances" => run_instances(world, ctx, &input, audit),
        _ => Ok(describe_instances(world, ctx)),
    }
}

/// What `GetEbsDefaultKmsKeyId` shows: the configured key ARN, or the `aws/ebs` ARN.
fn default_key_name(world: &mut World, ctx: &CallContext) -> String {
    match world
        .ec2
        .defaults
        .get(&slot(ctx))
        .and_then(|d| d.kms_key.clone())
    {
        Some(k) => k,
        None => world
            .aws_managed_key(&ctx.account, &ctx.region, "ebs")
            .map(|id| format!("arn:aws:kms:{}:{}:key/{id}", ctx.region, ctx.account))
            .unwrap_or_else(|_| "alias/aws/ebs".into()),
    }
}

fn new_id(world: &mut World, prefix: &str) -> String {
    format!("{prefix}-{}", world.rng.hex(17))
}

fn volume(world: &World, ctx: &CallContext, id: &str) -> Result<Volume, AwsError> {
    world
        .ec2
        .volumes
        .get(id)
        .filter(|v| v.account == ctx.account && v.region == ctx.region)
        .cloned()
        .ok_or_else(|| {
            err(
                "InvalidVolume.NotFound",
                format!("The volume '{id}' does not exist."),
            )
        })
}

/// A snapshot the caller owns or that is shared with its account, in the caller's Region (or
/// `region`).
fn snapshot_in(
    world: &World,
    ctx: &CallContext,
    id: &str,
    region: &str,
) -> Result<Snapshot, AwsError> {
    world
        .ec2
        .snapshots
        .get(id)
        .filter(|s| {
            s.region == region && (s.account == ctx.account || s.shared_with.contains(&ctx.account))
        })
        .cloned()
        .ok_or_else(|| {
            err(
                "InvalidSnapshot.NotFound",
                format!("The snapshot '{id}' does not exist."),
            )
        })
}

fn snapshot(world: &World, ctx: &CallContext, id: &str) -> Result<Snapshot, AwsError> {
    snapshot_in(world, ctx, id, &ctx.region)
}

/// The key a new encrypted resource gets: the request's, else the account's EBS default key,
/// else `aws/ebs`.
fn pick_key(
    world: &mut World,
    ctx: &CallContext,
    requested: Option<&str>,
) -> Result<String, AwsError> {
    if let Some(k) = requested {
        return Ok(k.to_owned());
    }
    if let Some(k) = world
        .ec2
        .defaults
        .get(&slot(ctx))
        .and_then(|d| d.kms_key.clone())
    {
        return Ok(k);
    }
    let id = world.aws_managed_key(&ctx.account, &ctx.region, "ebs")?;
    Ok(format!(
        "arn:aws:kms:{}:{}:key/{id}",
        ctx.region, ctx.account
    ))
}

fn volume_json(v: &Volume) -> Value {
    let mut out = json!({
        "VolumeId": v.id, "Size": v.size, "AvailabilityZone": v.az, "State": v.state,
        "Encrypted": v.encrypted, "CreateTime": iso8601(v.created_ms), "VolumeType": "gp3",
        "SnapshotId": v.snapshot_id.clone().unwrap_or_default(),
        "Attachments": v.attached_to.as_ref().map_or_else(Vec::new, |i| vec![json!({
            "InstanceId": i, "VolumeId": v.id, "Device": "/dev/sdf", "State": "attached" })]),
    });
    if let (Some(k), Value::Object(m)) = (&v.kms_key_arn, &mut out) {
        m.insert("KmsKeyId".into(), json!(k));
    }
    out
}

/// `ModifyVolume`: size (grow only) and type. Like AWS, it has no encryption or key parameter:
/// a volume's encryption is fixed at creation. The lab models gp3 volumes and records no
/// performance settings (Iops, Throughput and MultiAttachEnabled are accepted and ignored).
fn modify_volume(world: &mut World, ctx: &CallContext, input: &Value) -> Result<Value, AwsError> {
    let id = required(input, "VolumeId")?;
    let v = volume(world, ctx, id)?;
    let size = input.get("Size").and_then(Value::as_u64);
    if let Some(t) = s(input, "VolumeType").filter(|t| *t != "gp3") {
        return Err(err(
            "InvalidParameterValue",
            format!("The lab models gp3 volumes only; volume type {t} is not available here."),
        ));
    }
    if size.is_some_and(|n| n < v.size) {
        return Err(err(
            "InvalidParameterValue",
            format!(
                "New size cannot be smaller than existing size of {} GiB.",
                v.size
            ),
        ));
    }
    let target = size.unwrap_or(v.size);
    if let Some(vol) = world.ec2.volumes.get_mut(id) {
        vol.size = target;
    }
    Ok(json!({ "VolumeModification": {
        "VolumeId": id, "ModificationState": "modifying", "StatusMessage": "",
        "TargetSize": target, "OriginalSize": v.size,
        "TargetVolumeType": "gp3", "OriginalVolumeType": "gp3",
        "Progress": 0, "StartTime": iso8601(world.now_ms()),
    }}))
}

fn create_volume(
    world: &mut World,
    ctx: &CallContext,
    input: &Value,
    audit: &mut CallAudit,
) -> Result<Value, AwsError> {
    let az = s(input, "AvailabilityZone").map_or_else(|| format!("{}a", ctx.region), str::to_owned);
    if !az.starts_with(&ctx.region) {
        return Err(err(
            "InvalidParameterValue",
            format!("Invalid availability zone: [{az}]"),
        ));
    }
    let requested_key = s(input, "KmsKeyId");
    let asked = input.get("Encrypted").and_then(Value::as_bool);
    if requested_key.is_some() && asked != Some(true) {
        return Err(err(
            "InvalidParameterDependency",
            "The parameter KmsKeyId requires the parameter Encrypted to be set.",
        ));
    }
    let snap = match s(input, "SnapshotId") {
        Some(id) => Some(snapshot(world, ctx, id)?),
        None => None,
    };
    let size = input
        .get("Size")
        .and_then(Value::as_u64)
        .or_else(|| snap.as_ref().map(|s| s.size))
        .ok_or_else(|| {
            err(
                "MissingParameter",
                "The request must contain the parameter size or snapshotId",
            )
        })?;
    let by_default = world
        .ec2
        .defaults
        .get(&slot(ctx))
        .is_some_and(|d| d.enabled);
    let snap_encrypted = snap.as_ref().is_some_and(|s| s.encrypted);
    // Encryption by default and encrypted snapshots cannot be overridden by `Encrypted: false`.
    let encrypted = asked == Some(true) || by_default || snap_encrypted;
    let id = new_id(world, "vol");
    let (key_arn, wrapped) = if encrypted {
        if let Some(snap) = &snap {
            KMS.open(world, ctx, &snap.sealed(), audit)?;
        }
        // A volume from an encrypted snapshot keeps the snapshot's key unless another is named.
        let requested = requested_key.map(str::to_owned).or_else(|| {
            snap.as_ref()
                .filter(|s| s.account == ctx.account)
                .and_then(|s| s.kms_key_arn.clone())
        });
        let key = pick_key(world, ctx, requested.as_deref())?;
        let (arn, blob) = KMS.new_data_key(world, ctx, &key, &id, audit)?;
        (Some(arn), Some(blob))
    } else {
        (None, None)
    };
    let v = Volume {
        id: id.clone(),
        account: ctx.account.clone(),
        region: ctx.region.clone(),
        az,
        size,
        encrypted,
        kms_key_arn: key_arn,
        wrapped_key: wrapped,
        snapshot_id: snap.map(|s| s.id),
        state: "available".into(),
        attached_to: None,
        created_ms: world.now_ms(),
    };
    let mut out = volume_json(&v);
    if let Value::Object(m) = &mut out {
        m.insert("State".into(), json!("creating"));
        m.remove("Attachments");
    }
    world.ec2.volumes.insert(id, v);
    Ok(out)
}

fn describe_volumes(world: &World, ctx: &CallContext, input: &Value) -> Value {
    let ids: Vec<&str> = input
        .get("VolumeIds")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let vols: Vec<Value> = world
        .ec2
        .volumes
        .values()
        .filter(|v| v.account == ctx.account && v.region == ctx.region)
        .filter(|v| ids.is_empty() || ids.contains(&v.id.as_str()))
        .map(volume_json)
        .collect();
    json!({ "Volumes": vols })
}

fn attach_volume(
    world: &mut World,
    ctx: &CallContext,
    input: &Value,
    audit: &mut CallAudit,
) -> Result<Value, AwsError> {
    let id = required(input, "VolumeId")?;
    let instance = required(input, "InstanceId")?;
    let device = s(input, "Device").unwrap_or("/dev/sdf");
    let v = volume(world, ctx, id)?;
    let running = world.ec2.instances.get(instance).is_some_and(|i| {
        i.account == ctx.account && i.region == ctx.region && i.state == "running"
    });
    if !running {
        return Err(err(
            "InvalidInstanceID.NotFound",
            format!("The instance ID '{instance}' does not exist"),
        ));
    }
    if v.attached_to.is_some() {
        return Err(err(
            "VolumeInUse",
            format!("{id} is already attached to an instance"),
        ));
    }
    attach_key(world, ctx, &v, instance, audit)?;
    if let Some(v) = world.ec2.volumes.get_mut(id) {
        v.attached_to = Some(instance.to_owned());
        "in-use".clone_into(&mut v.state);
    }
    Ok(
        json!({ "AttachTime": iso8601(world.now_ms()), "Device": device, "InstanceId": instance,
               "State": "attaching", "VolumeId": id }),
    )
}

/// EC2's KMS requests when an encrypted volume is attached: a grant for the host, then
/// `Decrypt` of the volume's data key.
fn attach_key(
    world: &mut World,
    ctx: &CallContext,
    v: &Volume,
    instance: &str,
    audit: &mut CallAudit,
) -> Result<(), AwsError> {
    let (Some(blob), Some(key)) = (&v.wrapped_key, &v.kms_key_arn) else {
        return Ok(());
    };
    KMS.create_grant(
        world,
        &in_region(ctx, &v.region),
        CreateGrantRequest {
            key_id: key.clone(),
            grantee_principal: Some(ctx.policy_principal_arn().to_owned()),
            operations: vec!["Decrypt".into()],
            constraints: Some(GrantConstraints {
                encryption_context_subset: Some(KMS.context(&v.id)),
                ..GrantConstraints::default()
            }),
            name: Some(format!("ebs-attach-{}-{instance}", v.id)),
            ..CreateGrantRequest::default()
        },
        audit,
    )?;
    KMS.open(
        world,
        ctx,
        &Sealed {
            region: &v.region,
            blob: Some(blob),
            key: Some(key),
            resource: &v.id,
        },
        audit,
    )
}

fn snapshot_json(s: &Snapshot) -> Value {
    let mut out = json!({
        "SnapshotId": s.id, "VolumeId": s.volume_id, "State": "completed", "Progress": "100%",
        "StartTime": iso8601(s.created_ms), "VolumeSize": s.size, "OwnerId": s.account,
        "Encrypted": s.encrypted, "Description": s.description,
    });
    if let (Some(k), Value::Object(m)) = (&s.kms_key_arn, &mut out) {
        m.insert("KmsKeyId".into(), json!(k));
    }
    out
}

fn create_snapshot(world: &mut World, ctx: &CallContext, input: &Value) -> Result<Value, AwsError> {
    let vid = required(input, "VolumeId")?;
    let v = volume(world, ctx, vid)?;
    let id = new_id(world, "snap");
    // The snapshot keeps the volume's key and data key.
    let snap = Snapshot {
        id: id.clone(),
        account: ctx.account.clone(),
        region: ctx.region.clone(),
        volume_id: vid.to_owned(),
        size: v.size,
        encrypted: v.encrypted,
        kms_key_arn: v.kms_key_arn.clone(),
        wrapped_key: v.wrapped_key.clone(),
        key_context: v.id.clone(),
        description: s(input, "Description").unwrap_or_default().to_owned(),
        shared_with: Vec::new(),
        created_ms: world.now_ms(),
    };
    let mut out = snapshot_json(&snap);
    if let Value::Object(m) = &mut out {
        m.insert("State".into(), json!("pending"));
        m.insert("Progress".into(), json!(""));
    }
    world.ec2.snapshots.insert(id, snap);
    Ok(out)
}

fn copy_snapshot(
    world: &mut World,
    ctx: &CallContext,
    input: &Value,
    audit: &mut CallAudit,
) -> Result<Value, AwsError> {
    let source_id = required(input, "SourceSnapshotId")?;
    let source_region = required(input, "SourceRegion")?;
    let src = snapshot_in(world, ctx, source_id, source_region)?;
    let requested_key = s(input, "KmsKeyId");
    let asked = input
        .get("Encrypted")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    if requested_key.is_some() && !asked && !src.encrypted {
        return Err(err(
            "InvalidParameterDependency",
            "The parameter KmsKeyId requires the parameter Encrypted to be set.",
        ));
    }
    let by_default = world
        .ec2
        .defaults
        .get(&slot(ctx))
        .is_some_and(|d| d.enabled);
    // An encrypted snapshot's copy is always encrypted.
    let encrypted = src.encrypted || asked || by_default;
    let id = new_id(world, "snap");
    let (key_arn, wrapped) = if encrypted {
        KMS.open(world, ctx, &src.sealed(), audit)?;
        let same_place = src.region == ctx.region && src.account == ctx.account;
        let requested = requested_key.map(str::to_owned).or_else(|| {
            if same_place {
                src.kms_key_arn.clone()
            } else {
                None
            }
        });
        let key = pick_key(world, ctx, requested.as_deref())?;
        let (arn, blob) = KMS.new_data_key(world, ctx, &key, &id, audit)?;
        (Some(arn), Some(blob))
    } else {
        (None, None)
    };
    let snap = Snapshot {
        id: id.clone(),
        account: ctx.account.clone(),
        region: ctx.region.clone(),
        volume_id: "vol-ffffffff".into(),
        size: src.size,
        encrypted,
        kms_key_arn: key_arn,
        wrapped_key: wrapped,
        key_context: id.clone(),
        description: s(input, "Description").unwrap_or_default().to_owned(),
        shared_with: Vec::new(),
        created_ms: world.now_ms(),
    };
    world.ec2.snapshots.insert(id.clone(), snap);
    Ok(json!({ "SnapshotId": id }))
}

fn describe_snapshots(world: &World, ctx: &CallContext, input: &Value) -> Value {
    let ids: Vec<&str> = input
        .get("SnapshotIds")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let owners: Vec<&str> = input
        .get("OwnerIds")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let snaps: Vec<Value> = world
        .ec2
        .snapshots
        .values()
        .filter(|s| s.region == ctx.region)
        .filter(|s| s.account == ctx.account || s.shared_with.contains(&ctx.account))
        .filter(|s| ids.is_empty() || ids.contains(&s.id.as_str()))
        .filter(|s| {
            owners.is_empty()
                || owners.contains(&s.account.as_str())
                || (owners.contains(&"self") && s.account == ctx.account)
        })
        .map(snapshot_json)
        .collect();
    json!({ "Snapshots": snaps })
}

fn modify_snapshot_attribute(
    world: &mut World,
    ctx: &CallContext,
    input: &Value,
) -> Result<Value, AwsError> {
    let id = required(input, "SnapshotId")?;
    let snap = snapshot(world, ctx, id)?;
    if snap.account != ctx.account {
        return Err(err(
            "InvalidSnapshot.NotFound",
            format!("The snapshot '{id}' does not exist."),
        ));
    }
    let mut add: Vec<String> = Vec::new();
    let mut remove: Vec<String> = Vec::new();
    let users: Vec<String> = input
        .get("UserIds")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    match s(input, "OperationType") {
        Some("add") => add.extend(users),
        Some("remove") => remove.extend(users),
        _ => {}
    }
    let perm = |k: &str| -> Vec<String> {
        input
            .pointer(&format!("/CreateVolumePermission/{k}"))
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|e| s(e, "UserId").or_else(|| s(e, "Group")))
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    };
    add.extend(perm("Add"));
    remove.extend(perm("Remove"));
    if add.iter().any(|a| a == "all") && snap.encrypted {
        return Err(err(
            "InvalidParameter",
            "Encrypted snapshots cannot be made public.",
        ));
    }
    if !add.is_empty() && snap.encrypted {
        let managed = world.aws_managed_key(&ctx.account, &ctx.region, "ebs")?;
        if snap
            .kms_key_arn
            .as_deref()
            .is_some_and(|k| k.ends_with(&managed))
        {
            return Err(err(
                "InvalidParameter",
                "Snapshots encrypted with the AWS Managed CMK can't be shared. Try another snapshot.",
            ));
        }
    }
    if let Some(sn) = world.ec2.snapshots.get_mut(id) {
        for a in add {
            if !sn.shared_with.contains(&a) {
                sn.shared_with.push(a);
            }
        }
        sn.shared_with.retain(|a| !remove.contains(a));
    }
    Ok(json!({}))
}

fn instance_json(i: &Instance) -> Value {
    let code = match i.state.as_str() {
        "running" => 16,
        "terminated" => 48,
        _ => 0,
    };
    let mut out = json!({
        "InstanceId": i.id, "ImageId": i.image_id, "InstanceType": i.instance_type,
        "State": { "Code": code, "Name": i.state }, "LaunchTime": iso8601(i.launched_ms),
        "Placement": { "AvailabilityZone": format!("{}a", i.region) },
        "RootDeviceName": "/dev/xvda",
        "BlockDeviceMappings": i.root_volume.as_ref().map_or_else(Vec::new, |v| vec![json!({
            "DeviceName": "/dev/xvda", "Ebs": { "VolumeId": v, "Status": "attached" } })]),
    });
    if let (Some((code, message)), Value::Object(m)) = (&i.state_reason, &mut out) {
        m.insert(
            "StateReason".into(),
            json!({ "Code": code, "Message": message }),
        );
    }
    out
}

fn run_instances(
    world: &mut World,
    ctx: &CallContext,
    input: &Value,
    audit: &mut CallAudit,
) -> Result<Value, AwsError> {
    let image = s(input, "ImageId")
        .unwrap_or("ami-0abcdef1234567890")
        .to_owned();
    let itype = s(input, "InstanceType").unwrap_or("t3.micro").to_owned();
    let ebs = input
        .pointer("/BlockDeviceMappings/0/Ebs")
        .cloned()
        .unwrap_or(Value::Null);
    let id = new_id(world, "i");
    let mut volume_input = json!({ "AvailabilityZone": format!("{}a", ctx.region), "Size": ebs.get("VolumeSize").and_then(Value::as_u64).unwrap_or(8) });
    if ebs.get("Encrypted").and_then(Value::as_bool) == Some(true) {
        volume_input["Encrypted"] = json!(true);
    }
    if let Some(k) = s(&ebs, "KmsKeyId") {
        volume_input["KmsKeyId"] = json!(k);
    }
    let launched = world.now_ms();
    // The instance is accepted, then fails to start if EBS cannot get or use the root volume's
    // key: AWS reports it terminated with "Client.InternalError: Client error on launch".
    let mut instance = Instance {
        id: id.clone(),
        account: ctx.account.clone(),
        region: ctx.region.clone(),
        image_id: image,
        instance_type: itype,
        state: "running".into(),
        state_reason: None,
        root_volume: None,
        launched_ms: launched,
    };
    world.ec2.instances.insert(id.clone(), instance.clone());
    let started = create_volume(world, ctx, &volume_input, audit).and_then(|v| {
        let vid = v["VolumeId"].as_str().unwrap_or_default().to_owned();
        let vol = volume(world, ctx, &vid)?;
        attach_key(world, ctx, &vol, &id, audit).map(|()| vid)
    });
    match started {
        Ok(vid) => {
            if let Some(v) = world.ec2.volumes.get_mut(&vid) {
                v.attached_to = Some(id.clone());
                "in-use".clone_into(&mut v.state);
            }
            instance.root_volume = Some(vid);
        }
        Err(e) => {
            "terminated".clone_into(&mut instance.state);
            instance.state_reason = Some((
                "Client.InternalError".into(),
                "Client.InternalError: Client error on launch".into(),
            ));
            audit.additional_event_data =
                Some(json!({ "launchFailure": { "code": e.code, "message": e.message } }));
        }
    }
    world.ec2.instances.insert(id.clone(), instance.clone());
    let mut shown = instance_json(&instance);
    if let Value::Object(m) = &mut shown {
        // RunInstances answers while the instance is still pending.
        m.insert("State".into(), json!({ "Code": 0, "Name": "pending" }));
        m.remove("StateReason");
    }
    let reservation = format!("r-{}", world.rng.hex(17));
    Ok(json!({ "ReservationId": reservation, "OwnerId": ctx.account, "Instances": [shown] }))
}

fn describe_instances(world: &World, ctx: &CallContext) -> Value {
    let reservations: Vec<Value> = world
        .ec2
        .instances
        .values()
        .filter(|i| i.account == ctx.account && i.region == ctx.region)
        .map(|i| json!({ "OwnerId": i.account, "Instances": [instance_json(i)] }))
        .collect();
    json!({ "Reservations": reservations })
}

crate::service::json_service!(Ec2, "ec2", call);
