//! DB instances: create (encrypted only at creation), describe, delete, restore from a snapshot
//! and read replicas (same Region: the source's key; cross-Region: a key of the destination).

use super::error::required;
use super::model::{
    CreateDBInstanceReadReplicaRequest, CreateDBInstanceRequest, DBInstance, DBInstanceRequest,
    DBInstanceResponse, DescribeDBInstancesResponse, MasterUserSecret, RestoreDBInstanceFromDBSnapshotRequest,
};
use super::snapshot::snapshot_ref;
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

pub(super) fn description(i: &DbInstance) -> DBInstance {
    DBInstance {
        db_instance_identifier: i.id.clone(),
        db_instance_class: i.class.clone(),
        engine: i.engine.clone(),
        db_instance_status: "available".into(),
        allocated_storage: i.storage,
        instance_create_time: iso8601(i.created_ms),
        storage_encrypted: i.encrypted,
        db_instance_arn: i.arn(),
        availability_zone: format!("{}a", i.region),
        kms_key_id: i.kms_key_arn.clone(),
        read_replica_source_db_instance_identifier: i.replica_of.clone(),
        master_username: i.master_username.clone(),
        master_user_secret: i.master_secret.as_ref().map(|m| MasterUserSecret {
            secret_arn: m.arn.clone(),
            secret_status: m.status.clone(),
            kms_key_id: m.key_arn.clone(),
        }),
    }
}

/// Stores a new instance; answers it as the API does while it is being created.
fn launch(world: &mut World, ctx: &CallContext, id: &str, inst: DbInstance) -> DBInstanceResponse {
    let out = DBInstance {
        db_instance_status: "creating".into(),
        ..description(&inst)
    };
    world
        .services.rds
        .instances
        .insert(slot(&ctx.account, &ctx.region, id), inst);
    DBInstanceResponse { db_instance: out }
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
        storage: r.allocated_storage.unwrap_or(20),
        encrypted,
        kms_key_arn: key_arn,
        wrapped_key: wrapped,
        replica_of: None,
        created_ms: world.now_ms(),
        master_username: r.master_username.clone(),
        master_secret: None,
    };
    if managed {
        let key = r.master_user_secret_kms_key_id.as_deref();
        inst.master_secret = Some(super::password::new_secret(world, ctx, &inst, key, audit)?);
    } else if let Some(p) = &r.master_user_password {
        super::password::set_login(world, &inst, p);
    }
    Ok(launch(world, ctx, id, inst))
}

pub(super) fn describe(
    world: &World,
    ctx: &CallContext,
    r: &DBInstanceRequest,
) -> Result<DescribeDBInstancesResponse, RdsError> {
    if let Some(id) = &r.db_instance_identifier {
        let i = instance(world, ctx, id)?;
        return Ok(DescribeDBInstancesResponse {
            db_instances: vec![description(&i)],
        });
    }
    let db_instances = world
        .services.rds
        .instances
        .values()
        .filter(|i| i.account == ctx.account && i.region == ctx.region)
        .map(description)
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
            ..description(&inst)
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
        master_username: None,
        master_secret: None,
    };
    Ok(launch(world, ctx, id, inst))
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
        master_username: None,
        master_secret: None,
    };
    Ok(launch(world, ctx, id, inst))
}
