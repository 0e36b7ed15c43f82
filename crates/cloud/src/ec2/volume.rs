//! EBS volumes: create (encrypted by request, by default or from an encrypted snapshot),
//! describe, delete, modify, attach (EC2's `CreateGrant` + `Decrypt`) and detach.

use super::error::required;
use super::model::{
    AttachVolumeRequest, AttachVolumeResponse, CreateVolumeRequest, DescribeVolumesRequest,
    DescribeVolumesResponse, DetachVolumeResponse, Empty, ModifyVolumeRequest,
    ModifyVolumeResponse, VolumeAttachment, VolumeDescription, VolumeIdRequest, VolumeModification,
};
use super::snapshot::snapshot;
use super::{Ec2Error, KMS, Volume, new_id, pick_key, slot};
use crate::World;
use crate::cloudtrail::CallAudit;
use crate::context::CallContext;
use crate::env::iso8601;
use crate::kms::model::{CreateGrantRequest, GrantConstraints};
use crate::service_kms::{Sealed, in_region};

/// The caller's volume `id` (in its account and Region).
pub(super) fn volume(world: &World, ctx: &CallContext, id: &str) -> Result<Volume, Ec2Error> {
    world
        .services.ec2
        .volumes
        .get(id)
        .filter(|v| v.account == ctx.account && v.region == ctx.region)
        .cloned()
        .ok_or_else(|| {
            Ec2Error::InvalidVolumeNotFound(format!("The volume '{id}' does not exist."))
        })
}

fn description(v: &Volume) -> VolumeDescription {
    VolumeDescription {
        volume_id: v.id.clone(),
        size: v.size,
        availability_zone: v.az.clone(),
        state: v.state.clone(),
        encrypted: v.encrypted,
        create_time: iso8601(v.created_ms),
        volume_type: "gp3".into(),
        snapshot_id: v.snapshot_id.clone().unwrap_or_default(),
        attachments: Some(v.attached_to.as_ref().map_or_else(Vec::new, |i| {
            vec![VolumeAttachment {
                instance_id: i.clone(),
                volume_id: v.id.clone(),
                device: "/dev/sdf".into(),
                state: "attached".into(),
            }]
        })),
        kms_key_id: v.kms_key_arn.clone(),
    }
}

/// `ModifyVolume`: size (grow only) and type. Like AWS, it has no encryption or key parameter:
/// a volume's encryption is fixed at creation. The lab models gp3 volumes and records no
/// performance settings (Iops, Throughput and MultiAttachEnabled are accepted and ignored).
pub(super) fn modify(
    world: &mut World,
    ctx: &CallContext,
    r: &ModifyVolumeRequest,
) -> Result<ModifyVolumeResponse, Ec2Error> {
    let id = required(&r.volume_id, "VolumeId")?;
    let v = volume(world, ctx, id)?;
    if let Some(t) = r.volume_type.as_deref().filter(|t| *t != "gp3") {
        return Err(Ec2Error::InvalidParameterValue(format!(
            "The lab models gp3 volumes only; volume type {t} is not available here."
        )));
    }
    if r.size.is_some_and(|n| n < v.size) {
        return Err(Ec2Error::InvalidParameterValue(format!(
            "New size cannot be smaller than existing size of {} GiB.",
            v.size
        )));
    }
    let target = r.size.unwrap_or(v.size);
    if let Some(vol) = world.services.ec2.volumes.get_mut(id) {
        vol.size = target;
    }
    Ok(ModifyVolumeResponse {
        volume_modification: VolumeModification {
            volume_id: id.to_owned(),
            modification_state: "modifying".into(),
            status_message: String::new(),
            target_size: target,
            original_size: v.size,
            target_volume_type: "gp3".into(),
            original_volume_type: "gp3".into(),
            progress: 0,
            start_time: iso8601(world.now_ms()),
        },
    })
}

pub(super) fn create(
    world: &mut World,
    ctx: &CallContext,
    r: &CreateVolumeRequest,
    audit: &mut CallAudit,
) -> Result<VolumeDescription, Ec2Error> {
    let az = r
        .availability_zone
        .clone()
        .unwrap_or_else(|| format!("{}a", ctx.region));
    if !az.starts_with(&ctx.region) {
        return Err(Ec2Error::InvalidParameterValue(format!(
            "Invalid availability zone: [{az}]"
        )));
    }
    let requested_key = r.kms_key_id.as_deref();
    let asked = r.encrypted;
    if requested_key.is_some() && asked != Some(true) {
        return Err(Ec2Error::InvalidParameterDependency(
            "The parameter KmsKeyId requires the parameter Encrypted to be set.".into(),
        ));
    }
    let snap = match &r.snapshot_id {
        Some(id) => Some(snapshot(world, ctx, id)?),
        None => None,
    };
    let size = r
        .size
        .or_else(|| snap.as_ref().map(|s| s.size))
        .ok_or_else(|| {
            Ec2Error::MissingParameter(
                "The request must contain the parameter size or snapshotId".into(),
            )
        })?;
    let by_default = world
        .services.ec2
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
    let out = VolumeDescription {
        state: "creating".into(),
        attachments: None,
        ..description(&v)
    };
    world.services.ec2.volumes.insert(id, v);
    Ok(out)
}

pub(super) fn describe(
    world: &World,
    ctx: &CallContext,
    r: &DescribeVolumesRequest,
) -> DescribeVolumesResponse {
    let ids: &[String] = r.volume_ids.as_deref().map_or(&[], |v| v.as_slice());
    let volumes = world
        .services.ec2
        .volumes
        .values()
        .filter(|v| v.account == ctx.account && v.region == ctx.region)
        .filter(|v| ids.is_empty() || ids.contains(&v.id))
        .map(description)
        .collect();
    DescribeVolumesResponse { volumes }
}

pub(super) fn delete(
    world: &mut World,
    ctx: &CallContext,
    r: &VolumeIdRequest,
) -> Result<Empty, Ec2Error> {
    let id = required(&r.volume_id, "VolumeId")?;
    let v = volume(world, ctx, id)?;
    if let Some(instance) = v.attached_to {
        return Err(Ec2Error::VolumeInUse(format!(
            "Volume {id} is currently attached to {instance}"
        )));
    }
    world.services.ec2.volumes.remove(id);
    Ok(Empty {})
}

pub(super) fn attach(
    world: &mut World,
    ctx: &CallContext,
    r: &AttachVolumeRequest,
    audit: &mut CallAudit,
) -> Result<AttachVolumeResponse, Ec2Error> {
    let id = required(&r.volume_id, "VolumeId")?;
    let instance = required(&r.instance_id, "InstanceId")?;
    let device = r.device.as_deref().unwrap_or("/dev/sdf");
    let v = volume(world, ctx, id)?;
    let running = world.services.ec2.instances.get(instance).is_some_and(|i| {
        i.account == ctx.account && i.region == ctx.region && i.state == "running"
    });
    if !running {
        return Err(Ec2Error::InvalidInstanceIdNotFound(format!(
            "The instance ID '{instance}' does not exist"
        )));
    }
    if v.attached_to.is_some() {
        return Err(Ec2Error::VolumeInUse(format!(
            "{id} is already attached to an instance"
        )));
    }
    attach_key(world, ctx, &v, instance, audit)?;
    if let Some(v) = world.services.ec2.volumes.get_mut(id) {
        v.attached_to = Some(instance.to_owned());
        "in-use".clone_into(&mut v.state);
    }
    Ok(AttachVolumeResponse {
        attach_time: iso8601(world.now_ms()),
        device: device.to_owned(),
        instance_id: instance.to_owned(),
        state: "attaching".into(),
        volume_id: id.to_owned(),
    })
}

pub(super) fn detach(
    world: &mut World,
    ctx: &CallContext,
    r: &VolumeIdRequest,
) -> Result<DetachVolumeResponse, Ec2Error> {
    let id = required(&r.volume_id, "VolumeId")?;
    let v = volume(world, ctx, id)?;
    let Some(instance) = v.attached_to.clone() else {
        return Err(Ec2Error::IncorrectState(format!(
            "Volume '{id}' is in the 'available' state."
        )));
    };
    if let Some(v) = world.services.ec2.volumes.get_mut(id) {
        v.attached_to = None;
        "available".clone_into(&mut v.state);
    }
    Ok(DetachVolumeResponse {
        volume_id: id.to_owned(),
        instance_id: instance,
        state: "detaching".into(),
        device: "/dev/sdf".into(),
    })
}

/// EC2's KMS requests when an encrypted volume is attached: a grant for the host, then
/// `Decrypt` of the volume's data key.
pub(super) fn attach_key(
    world: &mut World,
    ctx: &CallContext,
    v: &Volume,
    instance: &str,
    audit: &mut CallAudit,
) -> Result<(), Ec2Error> {
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
