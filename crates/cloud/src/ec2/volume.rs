//! EBS volumes: create (encrypted by request, by default or from an encrypted snapshot),
//! describe, delete, modify, attach (EC2's `CreateGrant` + `Decrypt`) and detach.

use super::error::{required, snapshot_pending, volume_not_available};
use super::model::{
    AttachVolumeRequest, AttachVolumeResponse, CreateVolumeRequest, DescribeVolumesRequest,
    DescribeVolumesResponse, DetachVolumeResponse, Empty, ModifyVolumeRequest,
    ModifyVolumeResponse, Tag, VolumeAttachment, VolumeDescription, VolumeIdRequest,
    VolumeModification, tags_for,
};
use super::snapshot::{is_pending, snapshot};
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

/// How long a new volume stays `creating` on the simulated clock (EBS takes seconds).
const CREATING_MS: i64 = 5_000;

/// Whether EBS is still creating the volume at `now` on the simulated clock.
pub(super) fn is_creating(v: &Volume, now: i64) -> bool {
    v.state == "available" && now < v.created_ms + CREATING_MS
}

/// The type of volumes saved before the lab modelled types.
pub(super) fn legacy_type() -> String {
    "gp3".into()
}

/// A volume type's performance, as EBS settles it at creation or modification.
struct Performance {
    volume_type: String,
    iops: Option<u32>,
    throughput: Option<u32>,
}

/// The size range of each volume type, GiB.
fn size_range(volume_type: &str) -> Option<(u64, u64)> {
    Some(match volume_type {
        "gp2" => (1, 16_384),
        "gp3" => (1, 65_536),
        "io1" => (4, 16_384),
        "io2" => (4, 65_536),
        "st1" | "sc1" => (125, 16_384),
        "standard" => (1, 1_024),
        _ => return None,
    })
}

/// Checks a volume type, size, IOPS and throughput against EBS's limits (the CreateVolume
/// reference) and fills in what EBS derives: gp2's baseline of 3 IOPS per GiB (100 to 16,000),
/// gp3's 3,000 IOPS and 125 MiB/s.
fn performance(
    volume_type: &str,
    size: u64,
    iops: Option<u32>,
    throughput: Option<u32>,
) -> Result<Performance, Ec2Error> {
    let invalid = |m: String| Ec2Error::InvalidParameterValue(m);
    let (min, max) = size_range(volume_type).ok_or_else(|| {
        invalid(format!(
            "The volume type '{volume_type}' is not valid. Valid types are: standard, io1, io2, gp2, sc1, st1, gp3."
        ))
    })?;
    if size < min {
        return Err(invalid(format!(
            "Volume of {size}GiB is too small for volume type {volume_type}; minimum is {min}GiB."
        )));
    }
    if size > max {
        return Err(invalid(format!(
            "Volume of {size}GiB is too large for volume type {volume_type}; maximum is {max}GiB."
        )));
    }
    let unsupported = |p: &str| {
        Ec2Error::InvalidParameterCombination(format!(
            "The parameter {p} is not supported for {volume_type} volumes."
        ))
    };
    if throughput.is_some() && volume_type != "gp3" {
        return Err(unsupported("throughput"));
    }
    // (IOPS range, largest IOPS per GiB) of the types with provisioned IOPS.
    let provisioned = match volume_type {
        "gp3" => Some(((3_000, 80_000), 500)),
        "io1" => Some(((100, 64_000), 50)),
        "io2" => Some(((100, 256_000), 1_000)),
        _ => None,
    };
    let iops = match (provisioned, iops) {
        (None, Some(_)) => return Err(unsupported("iops")),
        (None, None) if volume_type == "gp2" => {
            Some(u32::try_from(size.saturating_mul(3).clamp(100, 16_000)).unwrap_or(16_000))
        }
        (None, None) => None,
        (Some(_), None) if volume_type != "gp3" => {
            return Err(Ec2Error::MissingParameter(
                "The request must contain the parameter iops".into(),
            ));
        }
        (Some(_), None) => Some(3_000),
        (Some(((lo, hi), per_gib)), Some(n)) => {
            if n < lo {
                return Err(invalid(format!("Volume iops of {n} is too low; minimum is {lo}.")));
            }
            if n > hi {
                return Err(invalid(format!("Volume iops of {n} is too high; maximum is {hi}.")));
            }
            let ratio = f64::from(n) / size as f64;
            // gp3 gives its 3,000 IOPS baseline at any size.
            let baseline = volume_type == "gp3" && n <= 3_000;
            if !baseline && ratio > f64::from(per_gib) {
                return Err(invalid(format!(
                    "Iops to volume size ratio of {ratio:.6} is too high; maximum is {:.6}",
                    f64::from(per_gib)
                )));
            }
            Some(n)
        }
    };
    let throughput = if volume_type == "gp3" {
        let t = throughput.unwrap_or(125);
        if !(125..=2_000).contains(&t) {
            return Err(invalid(format!(
                "Throughput of {t}MiB/s is not valid; it must be between 125 and 2000 MiB/s."
            )));
        }
        let per_iops = f64::from(t) / f64::from(iops.unwrap_or(3_000));
        if per_iops > 0.25 {
            return Err(invalid(format!(
                "Throughput to iops ratio of {per_iops:.6} is too high; maximum is 0.250000"
            )));
        }
        Some(t)
    } else {
        None
    };
    Ok(Performance {
        volume_type: volume_type.to_owned(),
        iops,
        throughput,
    })
}

/// The device an attached volume is at; volumes saved before the device was kept were at
/// `/dev/sdf`.
pub(super) fn device_of(v: &Volume) -> String {
    v.device.clone().unwrap_or_else(|| "/dev/sdf".into())
}

fn description(v: &Volume, now: i64) -> VolumeDescription {
    let state = if is_creating(v, now) {
        "creating".to_owned()
    } else {
        v.state.clone()
    };
    VolumeDescription {
        iops: v.iops,
        tags: (!v.tags.is_empty()).then(|| Tag::list(&v.tags)),
        volume_type: v.volume_type.clone(),
        multi_attach_enabled: v.multi_attach,
        throughput: v.throughput,
        volume_id: v.id.clone(),
        size: v.size,
        availability_zone: v.az.clone(),
        state,
        encrypted: v.encrypted,
        create_time: iso8601(v.created_ms),
        snapshot_id: v.snapshot_id.clone().unwrap_or_default(),
        attachments: Some(v.attached_to.as_ref().map_or_else(Vec::new, |i| {
            vec![VolumeAttachment {
                instance_id: i.clone(),
                volume_id: v.id.clone(),
                device: device_of(v),
                state: "attached".into(),
            }]
        })),
        kms_key_id: v.kms_key_arn.clone(),
    }
}

/// `ModifyVolume`: size (grow only), type, IOPS and throughput, checked as CreateVolume checks
/// them. Like AWS, it has no encryption or key parameter: a volume's encryption is fixed at
/// creation. The change applies at once (EBS's `optimizing` phase is not modelled).
pub(super) fn modify(
    world: &mut World,
    ctx: &CallContext,
    r: &ModifyVolumeRequest,
) -> Result<ModifyVolumeResponse, Ec2Error> {
    let id = required(&r.volume_id, "VolumeId")?;
    let v = volume(world, ctx, id)?;
    if r.size.is_some_and(|n| n < v.size) {
        return Err(Ec2Error::InvalidParameterValue(format!(
            "New size cannot be smaller than existing size of {} GiB.",
            v.size
        )));
    }
    let target = r.size.unwrap_or(v.size);
    let target_type = r.volume_type.clone().unwrap_or_else(|| v.volume_type.clone());
    // Provisioned settings carry over while the type stays; a new type starts from its own.
    let same_type = target_type == v.volume_type && v.volume_type != "gp2";
    let perf = performance(
        &target_type,
        target,
        r.iops.or(v.iops.filter(|_| same_type)),
        r.throughput.or(v.throughput.filter(|_| same_type)),
    )?;
    let original = (v.volume_type.clone(), v.iops, v.throughput);
    if let Some(vol) = world.services.ec2.volumes.get_mut(id) {
        vol.size = target;
        vol.volume_type.clone_from(&perf.volume_type);
        vol.iops = perf.iops;
        vol.throughput = perf.throughput;
    }
    Ok(ModifyVolumeResponse {
        volume_modification: VolumeModification {
            volume_id: id.to_owned(),
            modification_state: "modifying".into(),
            status_message: String::new(),
            target_size: target,
            target_iops: perf.iops,
            target_volume_type: perf.volume_type,
            target_throughput: perf.throughput,
            original_size: v.size,
            original_iops: original.1,
            original_volume_type: original.0,
            original_throughput: original.2,
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
    if snap.as_ref().is_some_and(|s| is_pending(s, world.now_ms())) {
        return Err(snapshot_pending());
    }
    let size = r
        .size
        .or_else(|| snap.as_ref().map(|s| s.size))
        .ok_or_else(|| {
            Ec2Error::MissingParameter(
                "The request must contain the parameter size or snapshotId".into(),
            )
        })?;
    if let Some(s) = snap.as_ref().filter(|s| size < s.size) {
        return Err(Ec2Error::InvalidParameterValue(format!(
            "Volume of {size}GiB is too small; minimum is {}GiB.",
            s.size
        )));
    }
    let perf = performance(
        r.volume_type.as_deref().unwrap_or("gp2"),
        size,
        r.iops,
        r.throughput,
    )?;
    let multi_attach = r.multi_attach_enabled == Some(true);
    if multi_attach && !matches!(perf.volume_type.as_str(), "io1" | "io2") {
        return Err(Ec2Error::InvalidParameterCombination(
            "Multi-Attach is supported only for io1 and io2 volumes.".into(),
        ));
    }
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
        device: None,
        created_ms: world.now_ms(),
        volume_type: perf.volume_type,
        iops: perf.iops,
        throughput: perf.throughput,
        multi_attach,
        tags: tags_for(r.tag_specifications.as_ref(), "volume"),
    };
    let out = VolumeDescription {
        tags: Some(Tag::list(&v.tags)),
        attachments: None,
        ..description(&v, v.created_ms)
    };
    world.services.ec2.volumes.insert(id, v);
    Ok(out)
}

pub(super) fn describe(
    world: &World,
    ctx: &CallContext,
    r: &DescribeVolumesRequest,
) -> Result<DescribeVolumesResponse, Ec2Error> {
    let ids: &[String] = r.volume_ids.as_deref().map_or(&[], |v| v.as_slice());
    // A named volume that does not exist is an error, not an empty answer.
    for id in ids {
        volume(world, ctx, id)?;
    }
    let now = world.now_ms();
    let volumes = world
        .services.ec2
        .volumes
        .values()
        .filter(|v| v.account == ctx.account && v.region == ctx.region)
        .filter(|v| ids.is_empty() || ids.contains(&v.id))
        .map(|v| description(v, now))
        .collect();
    Ok(DescribeVolumesResponse { volumes })
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
    if is_creating(&v, world.now_ms()) {
        return Err(volume_not_available(id));
    }
    let taken = world.services.ec2.volumes.values().any(|o| {
        o.attached_to.as_deref() == Some(instance) && device_of(o) == device
    });
    if taken {
        return Err(Ec2Error::InvalidParameterValue(format!(
            "Invalid value '{device}' for unixDevice. Attachment point {device} is already in use"
        )));
    }
    attach_key(world, ctx, &v, instance, audit)?;
    if let Some(v) = world.services.ec2.volumes.get_mut(id) {
        v.attached_to = Some(instance.to_owned());
        v.device = Some(device.to_owned());
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
    let root_of_running = world.services.ec2.instances.get(&instance).is_some_and(|i| {
        i.root_volume.as_deref() == Some(id) && i.state == "running"
    });
    if root_of_running {
        return Err(Ec2Error::IncorrectState(format!(
            "Unable to detach root volume '{id}' from instance '{instance}'"
        )));
    }
    let device = device_of(&v);
    if let Some(v) = world.services.ec2.volumes.get_mut(id) {
        v.attached_to = None;
        v.device = None;
        "available".clone_into(&mut v.state);
    }
    Ok(DetachVolumeResponse {
        volume_id: id.to_owned(),
        instance_id: instance,
        state: "detaching".into(),
        device,
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
