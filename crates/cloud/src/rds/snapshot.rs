//! DB snapshots: create, describe (own and shared), delete, copy (encrypting, re-keying, across
//! Regions and accounts) and sharing (`restore`; `aws/rds`-encrypted snapshots cannot be shared).

use super::error::{required, snapshot_not_available, snapshot_of_unavailable_instance};
use super::instance::{instance, is_creating as is_creating_instance};
use super::model::{
    CopyDBSnapshotRequest, CreateDBSnapshotRequest, DBSnapshot, DBSnapshotAttributesResponse,
    DBSnapshotRequest, DBSnapshotResponse, DescribeDBSnapshotsRequest, DescribeDBSnapshotsResponse,
    ModifyDBSnapshotAttributeRequest,
};
use super::settings::{self, SNAPSHOT_CREATING_MS};
use super::{DbSnapshot, KMS, RdsError, managed_key, slot};
use crate::World;
use crate::cloudtrail::CallAudit;
use crate::context::CallContext;
use crate::env::iso8601;
use crate::kms::KmsRequest;
use crate::kms::model::{CreateGrantRequest, DecryptRequest, GrantConstraints, RetireGrantRequest};
use crate::service_kms::{in_region, stored_blob};

fn not_found(id: &str) -> RdsError {
    RdsError::DBSnapshotNotFound(format!("DBSnapshot {id} not found."))
}

/// The caller's snapshot `id` (in its account and Region).
fn own_snapshot(world: &World, ctx: &CallContext, id: &str) -> Result<DbSnapshot, RdsError> {
    world
        .services.rds
        .snapshots
        .get(&slot(&ctx.account, &ctx.region, id))
        .cloned()
        .ok_or_else(|| not_found(id))
}

/// A snapshot by identifier (the caller's, in its Region) or by ARN (any Region; another
/// account's only if shared with the caller).
pub(super) fn snapshot_ref(
    world: &World,
    ctx: &CallContext,
    id: &str,
) -> Result<DbSnapshot, RdsError> {
    let Some(rest) = id.strip_prefix("arn:aws:rds:") else {
        return own_snapshot(world, ctx, id);
    };
    let mut parts = rest.splitn(4, ':');
    let (Some(region), Some(account), Some("snapshot"), Some(name)) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(not_found(id));
    };
    world
        .services.rds
        .snapshots
        .get(&slot(account, region, name))
        .filter(|s| s.account == ctx.account || s.shared_with.contains(&ctx.account))
        .cloned()
        .ok_or_else(|| not_found(id))
}

/// Whether RDS is still creating the snapshot at `now` on the simulated clock.
pub(super) fn is_creating(s: &DbSnapshot, now: i64) -> bool {
    now < s.created_ms + SNAPSHOT_CREATING_MS
}

/// A snapshot as it is at `now` on the simulated clock: `creating` (0%) for its first minutes,
/// then `available` (100%) with its creation time.
fn description(s: &DbSnapshot, now: i64) -> DBSnapshot {
    let st = s.settings();
    let done = !is_creating(s, now);
    DBSnapshot {
        db_snapshot_identifier: s.id.clone(),
        db_instance_identifier: s.instance_id.clone(),
        snapshot_create_time: done.then(|| iso8601(s.created_ms)),
        engine: s.engine.clone(),
        allocated_storage: s.storage,
        status: if done { "available" } else { "creating" }.into(),
        port: st.port,
        availability_zone: Some(st.availability_zone.clone()),
        vpc_id: Some(settings::default_vpc(&s.account, &s.region)),
        instance_create_time: s.instance_created_ms.map(iso8601),
        master_username: s.master_username.clone(),
        engine_version: st.engine_version.clone(),
        license_model: st.license_model.clone(),
        snapshot_type: "manual".into(),
        iops: st.iops,
        storage_throughput: st.storage_throughput,
        option_group_name: Some(st.option_group(&s.engine)),
        percent_progress: if done { 100 } else { 0 },
        source_region: s.source.as_ref().map(|(region, _)| region.clone()),
        source_db_snapshot_identifier: s.source.as_ref().map(|(_, arn)| arn.clone()),
        storage_type: st.storage_type.clone(),
        encrypted: s.encrypted,
        kms_key_id: s.kms_key_arn.clone(),
        db_snapshot_arn: s.arn(),
        iam_database_authentication_enabled: st.iam_database_authentication,
        processor_features: Vec::new(),
        dbi_resource_id: st.dbi_resource_id.clone(),
        tag_list: Vec::new(),
    }
}

/// The KMS requests RDS makes with the source account's key when an account copies an
/// encrypted snapshot shared with it: `DescribeKey`, a `CreateGrant` for the caller (so
/// `kms:GrantIsForAWSResource` is true), `Decrypt` of the data key under that grant, and
/// `RetireGrant` once the copy is made. This is why the key policy must give the other account
/// `kms:DescribeKey` and `kms:CreateGrant`
/// (<https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/share-encrypted-snapshot.html>).
fn open_shared_snapshot(
    world: &mut World,
    ctx: &CallContext,
    snap: &DbSnapshot,
    audit: &mut CallAudit,
) -> Result<(), RdsError> {
    let (Some(blob), Some(key)) = (&snap.wrapped_key, &snap.kms_key_arn) else {
        return Ok(());
    };
    let region = snap.region.clone();
    KMS.describe_key(world, &in_region(ctx, &region), key, audit)?;
    let me = ctx.policy_principal_arn().to_owned();
    let grant = KMS.create_grant(
        world,
        &in_region(ctx, &region),
        CreateGrantRequest {
            key_id: key.clone(),
            grantee_principal: Some(me.clone()),
            retiring_principal: Some(me),
            operations: vec!["Decrypt".into()],
            constraints: Some(GrantConstraints {
                encryption_context_subset: Some(KMS.context(&snap.key_context)),
                ..GrantConstraints::default()
            }),
            name: Some(format!("rds-copy-{}", snap.id)),
            ..CreateGrantRequest::default()
        },
        audit,
    )?;
    let token = grant.grant_token.unwrap_or_default();
    let opened = KMS.decrypt(
        world,
        &in_region(ctx, &region),
        DecryptRequest {
            ciphertext_blob: stored_blob(blob),
            key_id: Some(key.clone()),
            grant_tokens: Some(vec![token.clone()]),
            encryption_context: Some(KMS.context(&snap.key_context)),
            ..DecryptRequest::default()
        },
        audit,
    );
    // Retired whether the Decrypt worked or not, so a failed copy leaves no grant behind
    // (best effort: a refused RetireGrant does not change the copy's outcome).
    let _ = KMS.call(
        world,
        &in_region(ctx, &region),
        KmsRequest::RetireGrant(RetireGrantRequest {
            grant_token: Some(token),
            ..RetireGrantRequest::default()
        }),
        key,
        audit,
    );
    opened.map(|_| ())
}

pub(super) fn create(
    world: &mut World,
    ctx: &CallContext,
    r: &CreateDBSnapshotRequest,
) -> Result<DBSnapshotResponse, RdsError> {
    let id = required(&r.db_snapshot_identifier, "DBSnapshotIdentifier")?;
    let iid = required(&r.db_instance_identifier, "DBInstanceIdentifier")?;
    let inst = instance(world, ctx, iid)?;
    let key = slot(&ctx.account, &ctx.region, id);
    if world.services.rds.snapshots.contains_key(&key) {
        return Err(RdsError::DBSnapshotAlreadyExists(format!(
            "Cannot create the snapshot because a snapshot with the identifier {id} already exists."
        )));
    }
    if is_creating_instance(&inst, world.now_ms()) {
        return Err(snapshot_of_unavailable_instance(iid));
    }
    let snap = DbSnapshot {
        id: id.to_owned(),
        account: ctx.account.clone(),
        region: ctx.region.clone(),
        instance_id: iid.to_owned(),
        engine: inst.engine.clone(),
        storage: inst.storage,
        encrypted: inst.encrypted,
        kms_key_arn: inst.kms_key_arn.clone(),
        wrapped_key: inst.wrapped_key.clone(),
        key_context: inst.id.clone(),
        shared_with: Vec::new(),
        created_ms: world.now_ms(),
        settings: Some(inst.settings()),
        instance_created_ms: Some(inst.created_ms),
        master_username: inst.master_username.clone(),
        source: None,
    };
    let out = description(&snap, snap.created_ms);
    world.services.rds.snapshots.insert(key, snap);
    Ok(DBSnapshotResponse { db_snapshot: out })
}

pub(super) fn describe(
    world: &World,
    ctx: &CallContext,
    r: &DescribeDBSnapshotsRequest,
) -> Result<DescribeDBSnapshotsResponse, RdsError> {
    let now = world.now_ms();
    if let Some(id) = &r.db_snapshot_identifier {
        let snap = snapshot_ref(world, ctx, id)?;
        return Ok(DescribeDBSnapshotsResponse {
            db_snapshots: vec![description(&snap, now)],
        });
    }
    let shared_only = r.snapshot_type.as_deref() == Some("shared");
    let include_shared = shared_only || r.include_shared == Some(true);
    let instance = r.db_instance_identifier.as_deref();
    let db_snapshots = world
        .services.rds
        .snapshots
        .values()
        .filter(|sn| sn.region == ctx.region)
        .filter(|sn| {
            let own = sn.account == ctx.account;
            let shared = sn.shared_with.contains(&ctx.account);
            if shared_only {
                shared
            } else {
                own || (include_shared && shared)
            }
        })
        .filter(|sn| instance.is_none_or(|i| sn.instance_id == i))
        .map(|sn| description(sn, now))
        .collect();
    Ok(DescribeDBSnapshotsResponse { db_snapshots })
}

pub(super) fn delete(
    world: &mut World,
    ctx: &CallContext,
    r: &DBSnapshotRequest,
) -> Result<DBSnapshotResponse, RdsError> {
    let id = required(&r.db_snapshot_identifier, "DBSnapshotIdentifier")?;
    let snap = own_snapshot(world, ctx, id)?;
    world
        .services.rds
        .snapshots
        .remove(&slot(&ctx.account, &ctx.region, id));
    Ok(DBSnapshotResponse {
        db_snapshot: DBSnapshot {
            status: "deleted".into(),
            ..description(&snap, world.now_ms())
        },
    })
}

pub(super) fn copy(
    world: &mut World,
    ctx: &CallContext,
    r: &CopyDBSnapshotRequest,
    audit: &mut CallAudit,
) -> Result<DBSnapshotResponse, RdsError> {
    let source = required(
        &r.source_db_snapshot_identifier,
        "SourceDBSnapshotIdentifier",
    )?;
    let target = required(
        &r.target_db_snapshot_identifier,
        "TargetDBSnapshotIdentifier",
    )?;
    let src = snapshot_ref(world, ctx, source)?;
    if is_creating(&src, world.now_ms()) {
        return Err(snapshot_not_available(source));
    }
    let key = slot(&ctx.account, &ctx.region, target);
    if world.services.rds.snapshots.contains_key(&key) {
        return Err(RdsError::DBSnapshotAlreadyExists(format!(
            "Cannot copy the snapshot because a snapshot with the identifier {target} already exists."
        )));
    }
    let requested = r.kms_key_id.as_deref();
    let same_place = src.region == ctx.region && src.account == ctx.account;
    if src.encrypted && !same_place && requested.is_none() {
        return Err(RdsError::InvalidParameterValue(
            if src.region != ctx.region {
                "KmsKeyId is required to copy an encrypted snapshot to another Region: name a KMS key in the destination Region."
            } else {
                "KmsKeyId is required to copy an encrypted snapshot shared from another account: name a KMS key of your account."
            }
            .into(),
        ));
    }
    // A KmsKeyId encrypts an unencrypted snapshot's copy, or re-keys an encrypted one.
    let encrypted = src.encrypted || requested.is_some();
    let (key_arn, wrapped) = if encrypted {
        if src.account == ctx.account {
            KMS.open(world, ctx, &src.sealed(), audit)?;
        } else {
            open_shared_snapshot(world, ctx, &src, audit)?;
        }
        let k = match requested {
            Some(k) => k.to_owned(),
            None => src.kms_key_arn.clone().unwrap_or_default(),
        };
        let (a, b) = KMS.new_data_key(world, ctx, &k, target, audit)?;
        (Some(a), Some(b))
    } else {
        (None, None)
    };
    let snap = DbSnapshot {
        id: target.to_owned(),
        account: ctx.account.clone(),
        region: ctx.region.clone(),
        instance_id: src.instance_id.clone(),
        engine: src.engine.clone(),
        storage: src.storage,
        encrypted,
        kms_key_arn: key_arn,
        wrapped_key: wrapped,
        key_context: target.to_owned(),
        shared_with: Vec::new(),
        created_ms: world.now_ms(),
        settings: Some(src.settings()),
        instance_created_ms: src.instance_created_ms,
        master_username: src.master_username.clone(),
        source: Some((src.region.clone(), src.arn())),
    };
    let out = description(&snap, snap.created_ms);
    world.services.rds.snapshots.insert(key, snap);
    Ok(DBSnapshotResponse { db_snapshot: out })
}

pub(super) fn modify_attribute(
    world: &mut World,
    ctx: &CallContext,
    r: &ModifyDBSnapshotAttributeRequest,
) -> Result<DBSnapshotAttributesResponse, RdsError> {
    let id = required(&r.db_snapshot_identifier, "DBSnapshotIdentifier")?;
    let name = required(&r.attribute_name, "AttributeName")?;
    if name != "restore" {
        return Err(RdsError::InvalidParameterValue(format!(
            "Invalid snapshot attribute name: {name} (use restore)"
        )));
    }
    let snap = own_snapshot(world, ctx, id)?;
    if is_creating(&snap, world.now_ms()) {
        return Err(snapshot_not_available(id));
    }
    let add: Vec<String> = r.values_to_add.as_deref().cloned().unwrap_or_default();
    let remove: Vec<String> = r.values_to_remove.as_deref().cloned().unwrap_or_default();
    if snap.encrypted && add.iter().any(|a| a == "all") {
        return Err(RdsError::InvalidParameterValue(
            "Encrypted snapshots cannot be shared publicly (ValuesToAdd all).".into(),
        ));
    }
    if snap.encrypted && !add.is_empty() {
        let managed = managed_key(world, ctx)?;
        if snap
            .kms_key_arn
            .as_deref()
            .is_some_and(|k| k.ends_with(&managed))
        {
            return Err(RdsError::InvalidParameterValue(
                "You can't share a snapshot encrypted with the default AWS managed key (aws/rds). Copy the snapshot with a customer managed key that the other account can use, then share the copy.".into(),
            ));
        }
    }
    let mut shared = snap.shared_with.clone();
    for a in add {
        if !shared.contains(&a) {
            shared.push(a);
        }
    }
    shared.retain(|a| !remove.contains(a));
    if shared.iter().filter(|a| *a != "all").count() > 20 {
        return Err(RdsError::SharedSnapshotQuotaExceeded(
            "You have exceeded the maximum number of accounts (20) you can share a manual DB snapshot with.".into(),
        ));
    }
    if let Some(sn) = world
        .services.rds
        .snapshots
        .get_mut(&slot(&ctx.account, &ctx.region, id))
    {
        sn.shared_with.clone_from(&shared);
    }
    Ok(DBSnapshotAttributesResponse::restore(id, shared))
}

pub(super) fn describe_attributes(
    world: &World,
    ctx: &CallContext,
    r: &DBSnapshotRequest,
) -> Result<DBSnapshotAttributesResponse, RdsError> {
    let id = required(&r.db_snapshot_identifier, "DBSnapshotIdentifier")?;
    let snap = own_snapshot(world, ctx, id)?;
    Ok(DBSnapshotAttributesResponse::restore(id, snap.shared_with))
}
