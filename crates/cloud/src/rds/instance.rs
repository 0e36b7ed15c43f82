//! DB instances: create (encrypted only at creation), describe, delete, restore from a snapshot
//! and read replicas (same Region: the source's key; cross-Region: a key of the destination).

use super::error::{required, snapshot_not_available};
use super::model::{
    CertificateDetails, CreateDBInstanceReadReplicaRequest, CreateDBInstanceRequest, DBInstance,
    DBInstanceRequest, DBInstanceResponse, DescribeDBInstancesResponse, Endpoint,
    MasterUserSecret, PendingModifiedValues, RestoreDBInstanceFromDBSnapshotRequest,
};
use super::settings::{self, DEFAULT_CA, INSTANCE_CREATING_MS, Settings};
use super::snapshot::{is_creating as is_creating_snapshot, snapshot_ref};
use super::{DbInstance, KMS, RdsError, pick_key, slot};
use crate::World;
use crate::cloudtrail::CallAudit;
use crate::context::CallContext;
use crate::env::iso8601;

fn not_found(id: &str) -> RdsError {
    RdsError::DBInstanceNotFound(format!("DBInstance {id} not found."))
}

fn already_exists() -> RdsError {
    RdsError::DBInstanceAlreadyExists("DB instance already exists".into())
}

/// The caller's instance `id` (in its account and Region).
pub(super) fn instance(world: &World, ctx: &CallContext, id: &str) -> Result<DbInstance, RdsError> {
    world
        .services.rds
        .instances
        .get(&slot(&ctx.account, &ctx.region, id))
        .cloned()
        .ok_or_else(|| not_found(id))
}

/// The Route 53 hosted zone of RDS endpoints in a Region.
fn hosted_zone(region: &str) -> &'static str {
    match region {
        "us-west-2" => "Z1PVIF0B656C1W",
        "eu-west-1" => "Z29XKXDKYMONMX",
        "ap-southeast-2" => "Z32T0VRHXEXS0V",
        _ => "Z2R2ITUGPM61AM",
    }
}

/// An available instance as `DescribeDBInstances` shows it.
pub(super) fn description(i: &DbInstance) -> DBInstance {
    let st = i.settings();
    let endpoint_id: String = st
        .dbi_resource_id
        .trim_start_matches("db-")
        .to_lowercase()
        .chars()
        .take(12)
        .collect();
    DBInstance {
        db_instance_identifier: i.id.clone(),
        db_instance_class: i.class.clone(),
        engine: i.engine.clone(),
        db_instance_status: "available".into(),
        master_username: i.master_username.clone(),
        db_name: st.db_name.clone(),
        endpoint: Some(Endpoint {
            address: format!("{}.{endpoint_id}.{}.rds.amazonaws.com", i.id, i.region),
            port: st.port,
            hosted_zone_id: hosted_zone(&i.region).into(),
        }),
        allocated_storage: i.storage,
        instance_create_time: Some(iso8601(i.created_ms)),
        preferred_backup_window: st.preferred_backup_window.clone(),
        backup_retention_period: st.backup_retention_period,
        db_security_groups: Vec::new(),
        vpc_security_groups: vec![settings::default_security_group(&i.account, &i.region)],
        db_parameter_groups: st.parameter_groups(&i.engine),
        availability_zone: Some(st.availability_zone.clone()),
        db_subnet_group: Some(settings::default_subnet_group(&i.account, &i.region)),
        preferred_maintenance_window: st.preferred_maintenance_window.clone(),
        pending_modified_values: PendingModifiedValues::default(),
        multi_az: st.multi_az,
        engine_version: st.engine_version.clone(),
        auto_minor_version_upgrade: st.auto_minor_version_upgrade,
        read_replica_source_db_instance_identifier: i.replica_of.clone(),
        read_replica_db_instance_identifiers: Vec::new(),
        license_model: st.license_model.clone(),
        iops: st.iops,
        storage_throughput: st.storage_throughput,
        option_group_memberships: st.option_groups(&i.engine),
        publicly_accessible: st.publicly_accessible,
        storage_type: st.storage_type.clone(),
        db_instance_port: 0,
        storage_encrypted: i.encrypted,
        kms_key_id: i.kms_key_arn.clone(),
        dbi_resource_id: st.dbi_resource_id.clone(),
        ca_certificate_identifier: DEFAULT_CA.into(),
        domain_memberships: Vec::new(),
        copy_tags_to_snapshot: st.copy_tags_to_snapshot,
        monitoring_interval: 0,
        db_instance_arn: i.arn(),
        iam_database_authentication_enabled: st.iam_database_authentication,
        performance_insights_enabled: false,
        deletion_protection: st.deletion_protection,
        associated_roles: Vec::new(),
        tag_list: st.tag_list(),
        certificate_details: Some(CertificateDetails {
            ca_identifier: DEFAULT_CA.into(),
        }),
        master_user_secret: i.master_secret.as_ref().map(|m| MasterUserSecret {
            secret_arn: m.arn.clone(),
            secret_status: m.status.clone(),
            kms_key_id: m.key_arn.clone(),
        }),
    }
}

/// An instance still being created: no endpoint, zone or creation time yet.
fn creating(i: &DbInstance) -> DBInstance {
    DBInstance {
        db_instance_status: "creating".into(),
        endpoint: None,
        instance_create_time: None,
        availability_zone: None,
        ..description(i)
    }
}

/// Whether RDS is still creating the instance at `now` on the simulated clock.
pub(super) fn is_creating(i: &DbInstance, now: i64) -> bool {
    now < i.created_ms + INSTANCE_CREATING_MS
}

/// The instance as it is at `now` on the simulated clock: `creating` for its first minutes.
pub(super) fn description_at(i: &DbInstance, now: i64) -> DBInstance {
    if is_creating(i, now) {
        creating(i)
    } else {
        description(i)
    }
}

/// Stores a new instance; answers it as the API does while it is being created (with the
/// new master password pending when one was given).
fn launch(
    world: &mut World,
    ctx: &CallContext,
    id: &str,
    inst: DbInstance,
    password_pending: bool,
) -> DBInstanceResponse {
    let out = DBInstance {
        pending_modified_values: PendingModifiedValues {
            master_user_password: password_pending.then(|| "****".into()),
        },
        ..creating(&inst)
    };
    world
        .services.rds
        .instances
        .insert(slot(&ctx.account, &ctx.region, id), inst);
    DBInstanceResponse { db_instance: out }
}

/// A new instance's `db-…` resource id and its backup and maintenance windows (AWS picks the
/// windows at random in the Region's block).
fn identity(world: &mut World) -> (String, String, String) {
    let dbi = world.rng.iam_id("db-", 29);
    let [a, b, c] = world.rng.array::<3>();
    let backup = settings::window(u32::from(a) * 5, false);
    let maintenance = settings::window(u32::from(b) * 39 + u32::from(c), true);
    (dbi, backup, maintenance)
}

/// A new instance's settings from the instance it copies (a restore or a replica): the same
/// engine version, storage and license, a new resource id and windows.
fn derived(world: &mut World, from: &Settings, region: &str) -> Settings {
    let (dbi, backup, maintenance) = identity(world);
    Settings {
        dbi_resource_id: dbi,
        preferred_backup_window: backup,
        preferred_maintenance_window: maintenance,
        availability_zone: format!("{region}a"),
        multi_az: false,
        deletion_protection: false,
        tags: Vec::new(),
        ..from.clone()
    }
}

pub(super) fn create(
    world: &mut World,
    ctx: &CallContext,
    r: &CreateDBInstanceRequest,
    audit: &mut CallAudit,
) -> Result<DBInstanceResponse, RdsError> {
    let id = required(&r.db_instance_identifier, "DBInstanceIdentifier")?;
    let class = required(&r.db_instance_class, "DBInstanceClass")?;
    let engine = required(&r.engine, "Engine")?;
    if world
        .services.rds
        .instances
        .contains_key(&slot(&ctx.account, &ctx.region, id))
    {
        return Err(already_exists());
    }
    let requested = r.kms_key_id.as_deref();
    let asked = r.storage_encrypted;
    if requested.is_some() && asked == Some(false) {
        return Err(RdsError::InvalidParameterCombination(
            "KmsKeyId cannot be specified for an unencrypted DB instance (StorageEncrypted is false).".into(),
        ));
    }
    let managed = r.manage_master_user_password == Some(true);
    super::password::check_create(r)?;
    let storage = r.allocated_storage.unwrap_or(20);
    let config = new_settings(world, ctx, engine, storage, r)?;
    let encrypted = asked == Some(true) || requested.is_some();
    let (key_arn, wrapped) = if encrypted {
        let key = pick_key(world, ctx, requested)?;
        let (a, b) = KMS.new_data_key(world, ctx, &key, id, audit)?;
        (Some(a), Some(b))
    } else {
        (None, None)
    };
    let mut inst = DbInstance {
        id: id.to_owned(),
        account: ctx.account.clone(),
        region: ctx.region.clone(),
        engine: engine.to_owned(),
        class: class.to_owned(),
        storage,
        encrypted,
        kms_key_arn: key_arn,
        wrapped_key: wrapped,
        replica_of: None,
        created_ms: world.now_ms(),
        master_username: r.master_username.clone(),
        master_secret: None,
        settings: Some(config),
    };
    if managed {
        let key = r.master_user_secret_kms_key_id.as_deref();
        inst.master_secret = Some(super::password::new_secret(world, ctx, &inst, key, audit)?);
    } else if let Some(p) = &r.master_user_password {
        super::password::set_login(world, &inst, p);
    }
    let password_pending = r.master_user_password.is_some();
    Ok(launch(world, ctx, id, inst, password_pending))
}

/// The settings of a new instance from its `CreateDBInstance` request, with RDS's defaults.
fn new_settings(
    world: &mut World,
    ctx: &CallContext,
    engine: &str,
    storage: u64,
    r: &CreateDBInstanceRequest,
) -> Result<Settings, RdsError> {
    let (version, port, license) = settings::defaults(engine);
    let (storage_type, iops, throughput) = settings::storage(
        engine,
        r.storage_type.as_deref(),
        storage,
        r.iops,
        r.storage_throughput,
    )?;
    let multi_az = r.multi_az == Some(true);
    if multi_az && r.availability_zone.is_some() {
        return Err(RdsError::InvalidParameterCombination(
            "Requesting a specific availability zone is not valid for Multi-AZ instances.".into(),
        ));
    }
    let zone = r
        .availability_zone
        .clone()
        .unwrap_or_else(|| format!("{}a", ctx.region));
    if !settings::zones(&ctx.region).contains(&zone) {
        return Err(RdsError::InvalidParameterValue(format!(
            "Cannot find a valid Availability Zone named {zone} in the {} Region.",
            ctx.region
        )));
    }
    let retention = r.backup_retention_period.unwrap_or(1);
    if retention > 35 {
        return Err(RdsError::InvalidParameterValue(format!(
            "Invalid backup retention period: {retention}. It must be between 0 and 35."
        )));
    }
    let (dbi, backup, maintenance) = identity(world);
    Ok(Settings {
        engine_version: r.engine_version.clone().unwrap_or(version),
        storage_type,
        iops,
        storage_throughput: throughput,
        port: r.port.unwrap_or(port),
        multi_az,
        publicly_accessible: r.publicly_accessible.unwrap_or(true),
        dbi_resource_id: dbi,
        availability_zone: zone,
        backup_retention_period: retention,
        preferred_backup_window: r.preferred_backup_window.clone().unwrap_or(backup),
        preferred_maintenance_window: r
            .preferred_maintenance_window
            .clone()
            .map(|w| w.to_lowercase())
            .unwrap_or(maintenance),
        db_name: r.db_name.clone(),
        deletion_protection: r.deletion_protection == Some(true),
        copy_tags_to_snapshot: r.copy_tags_to_snapshot == Some(true),
        iam_database_authentication: r.enable_iam_database_authentication == Some(true),
        auto_minor_version_upgrade: r.auto_minor_version_upgrade.unwrap_or(true),
        license_model: r.license_model.clone().unwrap_or(license),
        tags: r
            .tags
            .iter()
            .flatten()
            .map(|t| (t.key.clone().unwrap_or_default(), t.value.clone().unwrap_or_default()))
            .collect(),
    })
}

pub(super) fn describe(
    world: &World,
    ctx: &CallContext,
    r: &DBInstanceRequest,
) -> Result<DescribeDBInstancesResponse, RdsError> {
    let now = world.now_ms();
    if let Some(id) = &r.db_instance_identifier {
        let i = instance(world, ctx, id)?;
        return Ok(DescribeDBInstancesResponse {
            db_instances: vec![description_at(&i, now)],
        });
    }
    let db_instances = world
        .services.rds
        .instances
        .values()
        .filter(|i| i.account == ctx.account && i.region == ctx.region)
        .map(|i| description_at(i, now))
        .collect();
    Ok(DescribeDBInstancesResponse { db_instances })
}

pub(super) fn delete(
    world: &mut World,
    ctx: &CallContext,
    r: &DBInstanceRequest,
) -> Result<DBInstanceResponse, RdsError> {
    let id = required(&r.db_instance_identifier, "DBInstanceIdentifier")?;
    let inst = instance(world, ctx, id)?;
    if inst.settings().deletion_protection {
        return Err(RdsError::InvalidParameterCombination(
            "Cannot delete protected DB Instance, please disable deletion protection and try again.".into(),
        ));
    }
    world
        .services.rds
        .instances
        .remove(&slot(&ctx.account, &ctx.region, id));
    // RDS deletes the secret it managed for the instance.
    if let Some(m) = &inst.master_secret {
        crate::secretsmanager::delete_managed(world, &m.arn);
    }
    Ok(DBInstanceResponse {
        db_instance: DBInstance {
            db_instance_status: "deleting".into(),
            ..description_at(&inst, world.now_ms())
        },
    })
}

pub(super) fn restore(
    world: &mut World,
    ctx: &CallContext,
    r: &RestoreDBInstanceFromDBSnapshotRequest,
    audit: &mut CallAudit,
) -> Result<DBInstanceResponse, RdsError> {
    let id = required(&r.db_instance_identifier, "DBInstanceIdentifier")?;
    let source = required(&r.db_snapshot_identifier, "DBSnapshotIdentifier")?;
    let snap = snapshot_ref(world, ctx, source)?;
    if is_creating_snapshot(&snap, world.now_ms()) {
        return Err(snapshot_not_available(source));
    }
    if snap.encrypted && snap.account != ctx.account {
        return Err(RdsError::InvalidParameterValue(
            "A shared encrypted snapshot can't be restored directly: copy it first (CopyDBSnapshot with a KmsKeyId of your account), then restore the copy.".into(),
        ));
    }
    if world
        .services.rds
        .instances
        .contains_key(&slot(&ctx.account, &ctx.region, id))
    {
        return Err(already_exists());
    }
    // RestoreDBInstanceFromDBSnapshot has no KmsKeyId (unlike Aurora's
    // RestoreDBClusterFromSnapshot): the instance keeps the snapshot's key. To change keys,
    // copy the snapshot with CopyDBSnapshot and a KmsKeyId first.
    let (key_arn, wrapped) = if snap.encrypted {
        KMS.open(world, ctx, &snap.sealed(), audit)?;
        let k = snap.kms_key_arn.clone().unwrap_or_default();
        let (a, b) = KMS.new_data_key(world, ctx, &k, id, audit)?;
        (Some(a), Some(b))
    } else {
        (None, None)
    };
    let config = derived(world, &snap.settings(), &ctx.region);
    let inst = DbInstance {
        id: id.to_owned(),
        account: ctx.account.clone(),
        region: ctx.region.clone(),
        engine: snap.engine.clone(),
        class: r
            .db_instance_class
            .clone()
            .unwrap_or_else(|| "db.t3.micro".into()),
        storage: snap.storage,
        encrypted: snap.encrypted,
        kms_key_arn: key_arn,
        wrapped_key: wrapped,
        replica_of: None,
        created_ms: world.now_ms(),
        master_username: snap.master_username.clone(),
        master_secret: None,
        settings: Some(config),
    };
    Ok(launch(world, ctx, id, inst, false))
}

pub(super) fn read_replica(
    world: &mut World,
    ctx: &CallContext,
    r: &CreateDBInstanceReadReplicaRequest,
    audit: &mut CallAudit,
) -> Result<DBInstanceResponse, RdsError> {
    let id = required(&r.db_instance_identifier, "DBInstanceIdentifier")?;
    let source = required(
        &r.source_db_instance_identifier,
        "SourceDBInstanceIdentifier",
    )?;
    // A source ARN names another Region (cross-Region replica); an identifier this Region.
    let src = match source.strip_prefix("arn:aws:rds:") {
        Some(rest) => {
            let mut p = rest.splitn(4, ':');
            let (Some(region), Some(account), Some("db"), Some(name)) =
                (p.next(), p.next(), p.next(), p.next())
            else {
                return Err(not_found(source));
            };
            world
                .services.rds
                .instances
                .get(&slot(account, region, name))
                .filter(|i| i.account == ctx.account)
                .cloned()
                .ok_or_else(|| not_found(source))?
        }
        None => instance(world, ctx, source)?,
    };
    let requested = r.kms_key_id.as_deref();
    let cross_region = src.region != ctx.region;
    if !src.encrypted && requested.is_some() {
        return Err(RdsError::InvalidParameterCombination(
            "Cannot create an encrypted read replica from an unencrypted DB instance.".into(),
        ));
    }
    if src.encrypted && cross_region && requested.is_none() {
        return Err(RdsError::InvalidParameterValue(
            "KmsKeyId is required for a cross-Region read replica of an encrypted DB instance: name a KMS key in the destination Region.".into(),
        ));
    }
    let (key_arn, wrapped) = if src.encrypted {
        // A same-Region replica always uses the source's key.
        let k = if cross_region {
            requested.unwrap_or_default().to_owned()
        } else {
            src.kms_key_arn.clone().unwrap_or_default()
        };
        let (a, b) = KMS.new_data_key(world, ctx, &k, id, audit)?;
        (Some(a), Some(b))
    } else {
        (None, None)
    };
    let config = derived(world, &src.settings(), &ctx.region);
    let inst = DbInstance {
        id: id.to_owned(),
        account: ctx.account.clone(),
        region: ctx.region.clone(),
        engine: src.engine.clone(),
        class: r
            .db_instance_class
            .clone()
            .unwrap_or_else(|| src.class.clone()),
        storage: src.storage,
        encrypted: src.encrypted,
        kms_key_arn: key_arn,
        wrapped_key: wrapped,
        replica_of: Some(if cross_region {
            src.arn()
        } else {
            src.id.clone()
        }),
        created_ms: world.now_ms(),
        master_username: src.master_username.clone(),
        master_secret: None,
        settings: Some(config),
    };
    Ok(launch(world, ctx, id, inst, false))
}
