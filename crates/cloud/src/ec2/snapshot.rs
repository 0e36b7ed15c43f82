//! EBS snapshots: create (keeping the volume's key and data key), copy (re-encrypting in the
//! destination Region), describe, and sharing (`createVolumePermission`).

use super::error::{required, snapshot_pending};
use super::model::{
    CopySnapshotRequest, CopySnapshotResponse, CreateSnapshotRequest,
    CreateVolumePermissionModifications, DescribeSnapshotAttributeResponse,
    DescribeSnapshotsRequest, DescribeSnapshotsResponse, Empty, ModifySnapshotAttributeRequest,
    SnapshotDescription, SnapshotIdRequest, Tag, UserIdPermission, tags_for,
};
use super::volume::volume;
use super::{Ec2Error, KMS, Snapshot, new_id, pick_key, slot};
use crate::World;
use crate::cloudtrail::CallAudit;
use crate::context::CallContext;
use crate::env::iso8601;

fn not_found(id: &str) -> Ec2Error {
    Ec2Error::InvalidSnapshotNotFound(format!("The snapshot '{id}' does not exist."))
}

/// A snapshot the caller owns or that is shared with its account, in `region`.
fn snapshot_in(
    world: &World,
    ctx: &CallContext,
    id: &str,
    region: &str,
) -> Result<Snapshot, Ec2Error> {
    world
        .services.ec2
        .snapshots
        .get(id)
        .filter(|s| s.region == region && visible(s, ctx))
        .cloned()
        .ok_or_else(|| not_found(id))
}

/// Whether the caller may use a snapshot: its own, shared with its account, or public.
fn visible(s: &Snapshot, ctx: &CallContext) -> bool {
    s.account == ctx.account || s.shared_with.iter().any(|a| *a == ctx.account || a == "all")
}

/// A snapshot the caller owns or that is shared with its account, in the caller's Region.
pub(super) fn snapshot(world: &World, ctx: &CallContext, id: &str) -> Result<Snapshot, Ec2Error> {
    snapshot_in(world, ctx, id, &ctx.region)
}

/// How long a snapshot stays `pending` on the simulated clock: a minute, plus a second per GiB.
fn pending_ms(s: &Snapshot) -> i64 {
    60_000 + 1_000 * i64::try_from(s.size).unwrap_or(i64::MAX / 2_000)
}

/// Whether the snapshot is still `pending` at `now` on the simulated clock.
pub(super) fn is_pending(s: &Snapshot, now: i64) -> bool {
    now - s.created_ms < pending_ms(s)
}

fn description(s: &Snapshot, now: i64) -> SnapshotDescription {
    let elapsed = now - s.created_ms;
    let total = pending_ms(s);
    let (state, progress) = if elapsed < total {
        ("pending", format!("{}%", (elapsed.max(0) * 100 / total).min(99)))
    } else {
        ("completed", "100%".to_owned())
    };
    SnapshotDescription {
        tags: (!s.tags.is_empty()).then(|| Tag::list(&s.tags)),
        storage_tier: Some("standard".into()),
        snapshot_id: s.id.clone(),
        volume_id: s.volume_id.clone(),
        state: state.into(),
        progress,
        start_time: iso8601(s.created_ms),
        volume_size: s.size,
        owner_id: s.account.clone(),
        encrypted: s.encrypted,
        description: s.description.clone(),
        kms_key_id: s.kms_key_arn.clone(),
    }
}

pub(super) fn create(
    world: &mut World,
    ctx: &CallContext,
    r: &CreateSnapshotRequest,
) -> Result<SnapshotDescription, Ec2Error> {
    let vid = required(&r.volume_id, "VolumeId")?;
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
        description: r.description.clone().unwrap_or_default(),
        shared_with: Vec::new(),
        created_ms: world.now_ms(),
        tags: tags_for(r.tag_specifications.as_ref(), "snapshot"),
    };
    // CreateSnapshot answers the snapshot as it starts: pending, no progress yet, the tag list.
    let out = SnapshotDescription {
        tags: Some(Tag::list(&snap.tags)),
        storage_tier: None,
        progress: String::new(),
        ..description(&snap, snap.created_ms)
    };
    world.services.ec2.snapshots.insert(id, snap);
    Ok(out)
}

pub(super) fn copy(
    world: &mut World,
    ctx: &CallContext,
    r: &CopySnapshotRequest,
    audit: &mut CallAudit,
) -> Result<CopySnapshotResponse, Ec2Error> {
    let source_id = required(&r.source_snapshot_id, "SourceSnapshotId")?;
    let source_region = required(&r.source_region, "SourceRegion")?;
    let src = snapshot_in(world, ctx, source_id, source_region)?;
    if is_pending(&src, world.now_ms()) {
        return Err(snapshot_pending());
    }
    let requested_key = r.kms_key_id.as_deref();
    let asked = r.encrypted.unwrap_or(false);
    if requested_key.is_some() && !asked && !src.encrypted {
        return Err(Ec2Error::InvalidParameterDependency(
            "The parameter KmsKeyId requires the parameter Encrypted to be set.".into(),
        ));
    }
    let by_default = world
        .services.ec2
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
        description: r.description.clone().unwrap_or_default(),
        shared_with: Vec::new(),
        created_ms: world.now_ms(),
        tags: tags_for(r.tag_specifications.as_ref(), "snapshot"),
    };
    world.services.ec2.snapshots.insert(id.clone(), snap);
    Ok(CopySnapshotResponse { snapshot_id: id })
}

pub(super) fn describe(
    world: &World,
    ctx: &CallContext,
    r: &DescribeSnapshotsRequest,
) -> Result<DescribeSnapshotsResponse, Ec2Error> {
    let ids: &[String] = r.snapshot_ids.as_deref().map_or(&[], |v| v.as_slice());
    // A named snapshot the caller cannot see is an error, not an empty answer.
    for id in ids {
        snapshot(world, ctx, id)?;
    }
    let owners: &[String] = r.owner_ids.as_deref().map_or(&[], |v| v.as_slice());
    let has = |list: &[String], x: &str| list.iter().any(|i| i == x);
    let now = world.now_ms();
    let snapshots = world
        .services.ec2
        .snapshots
        .values()
        .filter(|s| s.region == ctx.region)
        // Public snapshots of other accounts show only when asked for by id.
        .filter(|s| {
            s.account == ctx.account
                || s.shared_with.contains(&ctx.account)
                || (!ids.is_empty() && visible(s, ctx))
        })
        .filter(|s| ids.is_empty() || has(ids, &s.id))
        .filter(|s| {
            owners.is_empty()
                || has(owners, &s.account)
                || (has(owners, "self") && s.account == ctx.account)
        })
        .map(|s| description(s, now))
        .collect();
    Ok(DescribeSnapshotsResponse { snapshots })
}

pub(super) fn modify_attribute(
    world: &mut World,
    ctx: &CallContext,
    r: &ModifySnapshotAttributeRequest,
) -> Result<Empty, Ec2Error> {
    let id = required(&r.snapshot_id, "SnapshotId")?;
    let snap = snapshot(world, ctx, id)?;
    if snap.account != ctx.account {
        return Err(not_found(id));
    }
    let mut add: Vec<String> = Vec::new();
    let mut remove: Vec<String> = Vec::new();
    let mut users: Vec<String> = r.user_ids.as_deref().cloned().unwrap_or_default();
    users.extend(r.group_names.as_deref().cloned().unwrap_or_default());
    match r.operation_type.as_deref() {
        Some("add") => add.extend(users),
        Some("remove") => remove.extend(users),
        _ => {}
    }
    let perms = r.create_volume_permission.as_ref();
    add.extend(CreateVolumePermissionModifications::ids(
        perms.and_then(|p| p.add.as_ref()),
    ));
    remove.extend(CreateVolumePermissionModifications::ids(
        perms.and_then(|p| p.remove.as_ref()),
    ));
    if add.iter().any(|a| a == "all") && snap.encrypted {
        return Err(Ec2Error::InvalidParameter(
            "Encrypted snapshots cannot be made public.".into(),
        ));
    }
    if !add.is_empty() && snap.encrypted {
        let now = world.now_ms();
        let managed = world
            .kms
            .aws_managed_key(&ctx.account, &ctx.region, "ebs", now, &mut world.rng)
            .map_err(Ec2Error::ManagedKey)?;
        if snap
            .kms_key_arn
            .as_deref()
            .is_some_and(|k| k.ends_with(&managed))
        {
            return Err(Ec2Error::InvalidParameter(
                "Snapshots encrypted with the AWS Managed CMK can't be shared. Try another snapshot.".into(),
            ));
        }
    }
    if let Some(sn) = world.services.ec2.snapshots.get_mut(id) {
        for a in add {
            if !sn.shared_with.contains(&a) {
                sn.shared_with.push(a);
            }
        }
        sn.shared_with.retain(|a| !remove.contains(a));
    }
    Ok(Empty {})
}

pub(super) fn describe_attribute(
    world: &World,
    ctx: &CallContext,
    r: &SnapshotIdRequest,
) -> Result<DescribeSnapshotAttributeResponse, Ec2Error> {
    let id = required(&r.snapshot_id, "SnapshotId")?;
    let snap = snapshot(world, ctx, id)?;
    Ok(DescribeSnapshotAttributeResponse {
        snapshot_id: id.to_owned(),
        create_volume_permissions: snap
            .shared_with
            .iter()
            .map(|a| {
                if a == "all" {
                    UserIdPermission { user_id: None, group: Some(a.clone()) }
                } else {
                    UserIdPermission { user_id: Some(a.clone()), group: None }
                }
            })
            .collect(),
    })
}
