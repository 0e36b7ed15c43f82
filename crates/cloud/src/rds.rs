//! RDS on top of KMS: DB instances and snapshots as records whose storage encryption is real
//! KMS use — a data key from `GenerateDataKeyWithoutPlaintext` when an encrypted instance or
//! copy is made, `Decrypt` whenever an encrypted snapshot is used, all on behalf of the caller
//! through `rds.REGION.amazonaws.com`. Encryption is chosen at creation only; an unencrypted
//! instance is encrypted by snapshot → `CopyDBSnapshot` with `KmsKeyId` → restore; snapshots
//! encrypted with `aws/rds` cannot be shared
//! (<https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html>,
//! <https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/share-encrypted-snapshot.html>).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::World;
use crate::cloudtrail::CallAudit;
use crate::context::CallContext;
use crate::env::iso8601;
use crate::error::AwsError;

/// A DB instance (a record, not a database).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct DbInstance {
    pub id: String,
    pub account: String,
    pub region: String,
    pub engine: String,
    pub class: String,
    pub storage: u64,
    pub encrypted: bool,
    pub kms_key_arn: Option<String>,
    pub wrapped_key: Option<String>,
    pub replica_of: Option<String>,
    pub created_ms: i64,
}

impl DbInstance {
    fn arn(&self) -> String {
        format!(
            "arn:aws:rds:{}:{}:db:{}",
            self.region, self.account, self.id
        )
    }
}

/// A manual DB snapshot.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct DbSnapshot {
    pub id: String,
    pub account: String,
    pub region: String,
    pub instance_id: String,
    pub engine: String,
    pub storage: u64,
    pub encrypted: bool,
    pub kms_key_arn: Option<String>,
    pub wrapped_key: Option<String>,
    /// The id the data key's encryption context names.
    pub key_context: String,
    pub shared_with: Vec<String>,
    pub created_ms: i64,
}

impl DbSnapshot {
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

impl DbSnapshot {
    fn arn(&self) -> String {
        format!(
            "arn:aws:rds:{}:{}:snapshot:{}",
            self.region, self.account, self.id
        )
    }
}

/// The RDS state of every account and Region, by `ACCOUNT/REGION/ID`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Rds {
    pub(crate) instances: BTreeMap<String, DbInstance>,
    pub(crate) snapshots: BTreeMap<String, DbSnapshot>,
}

impl Rds {
    /// The number of DB instances in every account and Region.
    pub fn instance_count(&self) -> usize {
        self.instances.len()
    }
}

use crate::kms::KmsRequest;
use crate::kms::model::{CreateGrantRequest, DecryptRequest, GrantConstraints, RetireGrantRequest};
use crate::query_input::{err, required, s};
use crate::service_kms::stored_blob;
use crate::service_kms::{Sealed, ServiceKms, in_region};

fn slot(account: &str, region: &str, id: &str) -> String {
    format!("{account}/{region}/{id}")
}

fn not_accessible(key: &str) -> AwsError {
    err(
        "KMSKeyNotAccessibleFault",
        format!(
            "The specified KMS key [{key}] does not exist, is not enabled or you do not have permissions to access it."
        ),
    )
}

fn kms_error(_: KmsError, key: &str) -> AwsError {
    not_accessible(key)
}

/// RDS calls KMS for the caller, with data keys bound to the DB instance or snapshot.
const KMS: ServiceKms<AwsError> = ServiceKms {
    service: "rds",
    context_key: "aws:rds:db-id",
    map_err: kms_error,
    internal: internal_error,
};

fn internal_error(message: String) -> AwsError {
    AwsError::with_status("InternalError", message, 500)
}

use crate::kms::KmsError;

const OPERATIONS: &[&str] = &[
    "CreateDBInstance",
    "DescribeDBInstances",
    "DeleteDBInstance",
    "CreateDBSnapshot",
    "DescribeDBSnapshots",
    "DeleteDBSnapshot",
    "CopyDBSnapshot",
    "ModifyDBSnapshotAttribute",
    "DescribeDBSnapshotAttributes",
    "RestoreDBInstanceFromDBSnapshot",
    "CreateDBInstanceReadReplica",
];

/// The `rds` entry point.
pub(crate) fn call(
    world: &mut World,
    ctx: &CallContext,
    operation: &str,
    input: Value,
    audit: &mut CallAudit,
) -> Result<Value, AwsError> {
    if !OPERATIONS.contains(&operation) {
        return Err(err(
            "InvalidAction",
            format!(
                "The action {operation} is not valid for this web service (the lab models RDS encryption operations)."
            ),
        ));
    }
    audit.read_only = operation.starts_with("Describe");
    let now = world.now_ms();
    crate::authorize::identity_only(
        &world.iam,
        ctx,
        &format!("rds:{operation}"),
        "*",
        &[],
        now,
        &mut audit.authorizations,
    )
    .map_err(|m| AwsError::with_status("AccessDenied", m, 403))?;
    match operation {
        "CreateDBInstance" => create_instance(world, ctx, &input, audit),
        "DescribeDBInstances" => describe_instances(world, ctx, &input),
        "DeleteDBInstance" => {
            let id = required(&input, "DBInstanceIdentifier")?;
            let inst = instance(world, ctx, id)?;
            world
                .rds
                .instances
                .remove(&slot(&ctx.account, &ctx.region, id));
            let mut out = instance_json(&inst);
            out["DBInstanceStatus"] = json!("deleting");
            Ok(json!({ "DBInstance": out }))
        }
        "CreateDBSnapshot" => create_snapshot(world, ctx, &input),
        "DescribeDBSnapshots" => describe_snapshots(world, ctx, &input),
        "DeleteDBSnapshot" => {
            let id = required(&input, "DBSnapshotIdentifier")?;
            let snap = own_snapshot(world, ctx, id)?;
            world
                .rds
                .snapshots
                .remove(&slot(&ctx.account, &ctx.region, id));
            Ok(json!({ "DBSnapshot": snapshot_json(&snap) }))
        }
        "CopyDBSnapshot" => copy_snapshot(world, ctx, &input, audit),
        "ModifyDBSnapshotAttribute" => modify_attribute(world, ctx, &input),
        "DescribeDBSnapshotAttributes" => {
            let id = required(&input, "DBSnapshotIdentifier")?;
            let snap = own_snapshot(world, ctx, id)?;
            Ok(json!({ "DBSnapshotAttributesResult": {
                "DBSnapshotIdentifier": id,
                "DBSnapshotAttributes": [{ "AttributeName": "restore", "AttributeValues": snap.shared_with }],
            }}))
        }
        "RestoreDBInstanceFromDBSnapshot" => restore(world, ctx, &input, audit),
        _ => read_replica(world, ctx, &input, audit),
    }
}

fn instance(world: &World, ctx: &CallContext, id: &str) -> Result<DbInstance, AwsError> {
    world
        .rds
        .instances
        .get(&slot(&ctx.account, &ctx.region, id))
        .cloned()
        .ok_or_else(|| err("DBInstanceNotFound", format!("DBInstance {id} not found.")))
}

fn own_snapshot(world: &World, ctx: &CallContext, id: &str) -> Result<DbSnapshot, AwsError> {
    world
        .rds
        .snapshots
        .get(&slot(&ctx.account, &ctx.region, id))
        .cloned()
        .ok_or_else(|| err("DBSnapshotNotFound", format!("DBSnapshot {id} not found.")))
}

/// A snapshot by identifier (the caller's, in its Region) or by ARN (any Region; another
/// account's only if shared with the caller).
fn snapshot_ref(world: &World, ctx: &CallContext, id: &str) -> Result<DbSnapshot, AwsError> {
    let not_found = || err("DBSnapshotNotFound", format!("DBSnapshot {id} not found."));
    let Some(rest) = id.strip_prefix("arn:aws:rds:") else {
        return own_snapshot(world, ctx, id);
    };
    let mut parts = rest.splitn(4, ':');
    let (Some(region), Some(account), Some("snapshot"), Some(name)) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(not_found());
    };
    world
        .rds
        .snapshots
        .get(&slot(account, region, name))
        .filter(|s| s.account == ctx.account || s.shared_with.contains(&ctx.account))
        .cloned()
        .ok_or_else(not_found)
}

fn instance_json(i: &DbInstance) -> Value {
    let mut out = json!({
        "DBInstanceIdentifier": i.id, "DBInstanceClass": i.class, "Engine": i.engine,
        "DBInstanceStatus": "available", "AllocatedStorage": i.storage,
        "InstanceCreateTime": iso8601(i.created_ms), "StorageEncrypted": i.encrypted,
        "DBInstanceArn": i.arn(), "AvailabilityZone": format!("{}a", i.region),
    });
    if let Value::Object(m) = &mut out {
        if let Some(k) = &i.kms_key_arn {
            m.insert("KmsKeyId".into(), json!(k));
        }
        if let Some(src) = &i.replica_of {
            m.insert("ReadReplicaSourceDBInstanceIdentifier".into(), json!(src));
        }
    }
    out
}

fn snapshot_json(s: &DbSnapshot) -> Value {
    let mut out = json!({
        "DBSnapshotIdentifier": s.id, "DBInstanceIdentifier": s.instance_id,
        "SnapshotCreateTime": iso8601(s.created_ms), "Engine": s.engine,
        "AllocatedStorage": s.storage, "Status": "available", "SnapshotType": "manual",
        "Encrypted": s.encrypted, "DBSnapshotArn": s.arn(),
    });
    if let (Some(k), Value::Object(m)) = (&s.kms_key_arn, &mut out) {
        m.insert("KmsKeyId".into(), json!(k));
    }
    out
}

/// The key of a new encrypted resource: the named one, or the account's `aws/rds`.
fn pick_key(
    world: &mut World,
    ctx: &CallContext,
    requested: Option<&str>,
) -> Result<String, AwsError> {
    match requested {
        Some(k) => Ok(k.to_owned()),
        None => {
            let id = world.aws_managed_key(&ctx.account, &ctx.region, "rds")?;
            Ok(format!(
                "arn:aws:kms:{}:{}:key/{id}",
                ctx.region, ctx.account
            ))
        }
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
) -> Result<(), AwsError> {
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

fn create_instance(
    world: &mut World,
    ctx: &CallContext,
    input: &Value,
    audit: &mut CallAudit,
) -> Result<Value, AwsError> {
    let id = required(input, "DBInstanceIdentifier")?;
    let class = required(input, "DBInstanceClass")?;
    let engine = required(input, "Engine")?;
    if world
        .rds
        .instances
        .contains_key(&slot(&ctx.account, &ctx.region, id))
    {
        return Err(err("DBInstanceAlreadyExists", "DB instance already exists"));
    }
    let requested = s(input, "KmsKeyId");
    let asked = input.get("StorageEncrypted").and_then(Value::as_bool);
    if requested.is_some() && asked == Some(false) {
        return Err(err(
            "InvalidParameterCombination",
            "KmsKeyId cannot be specified for an unencrypted DB instance (StorageEncrypted is false).",
        ));
    }
    let encrypted = asked == Some(true) || requested.is_some();
    let (key_arn, wrapped) = if encrypted {
        let key = pick_key(world, ctx, requested)?;
        let (a, b) = KMS.new_data_key(world, ctx, &key, id, audit)?;
        (Some(a), Some(b))
    } else {
        (None, None)
    };
    let inst = DbInstance {
        id: id.to_owned(),
        account: ctx.account.clone(),
        region: ctx.region.clone(),
        engine: engine.to_owned(),
        class: class.to_owned(),
        storage: input
            .get("AllocatedStorage")
            .and_then(Value::as_u64)
            .unwrap_or(20),
        encrypted,
        kms_key_arn: key_arn,
        wrapped_key: wrapped,
        replica_of: None,
        created_ms: world.now_ms(),
    };
    Ok(launch(world, ctx, id, inst))
}

/// Stores a new instance; answers it as the API does while it is being created.
fn launch(world: &mut World, ctx: &CallContext, id: &str, inst: DbInstance) -> Value {
    let mut out = instance_json(&inst);
    out["DBInstanceStatus"] = json!("creating");
    world
        .rds
        .instances
        .insert(slot(&ctx.account, &ctx.region, id), inst);
    json!({ "DBInstance": out })
}

fn describe_instances(world: &World, ctx: &CallContext, input: &Value) -> Result<Value, AwsError> {
    if let Some(id) = s(input, "DBInstanceIdentifier") {
        let i = instance(world, ctx, id)?;
        return Ok(json!({ "DBInstances": [instance_json(&i)] }));
    }
    let all: Vec<Value> = world
        .rds
        .instances
        .values()
        .filter(|i| i.account == ctx.account && i.region == ctx.region)
        .map(instance_json)
        .collect();
    Ok(json!({ "DBInstances": all }))
}

fn create_snapshot(world: &mut World, ctx: &CallContext, input: &Value) -> Result<Value, AwsError> {
    let id = required(input, "DBSnapshotIdentifier")?;
    let iid = required(input, "DBInstanceIdentifier")?;
    let inst = instance(world, ctx, iid)?;
    let key = slot(&ctx.account, &ctx.region, id);
    if world.rds.snapshots.contains_key(&key) {
        return Err(err(
            "DBSnapshotAlreadyExists",
            format!(
                "Cannot create the snapshot because a snapshot with the identifier {id} already exists."
            ),
        ));
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
    };
    let mut out = snapshot_json(&snap);
    out["Status"] = json!("creating");
    world.rds.snapshots.insert(key, snap);
    Ok(json!({ "DBSnapshot": out }))
}

fn describe_snapshots(world: &World, ctx: &CallContext, input: &Value) -> Result<Value, AwsError> {
    if let Some(id) = s(input, "DBSnapshotIdentifier") {
        let snap = snapshot_ref(world, ctx, id)?;
        return Ok(json!({ "DBSnapshots": [snapshot_json(&snap)] }));
    }
    let shared_only = s(input, "SnapshotType") == Some("shared");
    let include_shared =
        shared_only || input.get("IncludeShared").and_then(Value::as_bool) == Some(true);
    let instance = s(input, "DBInstanceIdentifier");
    let all: Vec<Value> = world
        .rds
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
        .map(snapshot_json)
        .collect();
    Ok(json!({ "DBSnapshots": all }))
}

fn copy_snapshot(
    world: &mut World,
    ctx: &CallContext,
    input: &Value,
    audit: &mut CallAudit,
) -> Result<Value, AwsError> {
    let source = required(input, "SourceDBSnapshotIdentifier")?;
    let target = required(input, "TargetDBSnapshotIdentifier")?;
    let src = snapshot_ref(world, ctx, source)?;
    let key = slot(&ctx.account, &ctx.region, target);
    if world.rds.snapshots.contains_key(&key) {
        return Err(err(
            "DBSnapshotAlreadyExists",
            format!(
                "Cannot copy the snapshot because a snapshot with the identifier {target} already exists."
            ),
        ));
    }
    let requested = s(input, "KmsKeyId");
    let same_place = src.region == ctx.region && src.account == ctx.account;
    if src.encrypted && !same_place && requested.is_none() {
        return Err(err(
            "InvalidParameterValue",
            if src.region != ctx.region {
                "KmsKeyId is required to copy an encrypted snapshot to another Region: name a KMS key in the destination Region."
            } else {
                "KmsKeyId is required to copy an encrypted snapshot shared from another account: name a KMS key of your account."
            },
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
    };
    let mut out = snapshot_json(&snap);
    out["SourceDBSnapshotIdentifier"] = json!(src.arn());
    world.rds.snapshots.insert(key, snap);
    Ok(json!({ "DBSnapshot": out }))
}

fn modify_attribute(
    world: &mut World,
    ctx: &CallContext,
    input: &Value,
) -> Result<Value, AwsError> {
    let id = required(input, "DBSnapshotIdentifier")?;
    let name = required(input, "AttributeName")?;
    if name != "restore" {
        return Err(err(
            "InvalidParameterValue",
            format!("Invalid snapshot attribute name: {name} (use restore)"),
        ));
    }
    let snap = own_snapshot(world, ctx, id)?;
    let list = |m: &str| -> Vec<String> {
        input
            .get(m)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    };
    let add = list("ValuesToAdd");
    let remove = list("ValuesToRemove");
    if snap.encrypted && add.iter().any(|a| a == "all") {
        return Err(err(
            "InvalidParameterValue",
            "Encrypted snapshots cannot be shared publicly (ValuesToAdd all).",
        ));
    }
    if snap.encrypted && !add.is_empty() {
        let managed = world.aws_managed_key(&ctx.account, &ctx.region, "rds")?;
        if snap
            .kms_key_arn
            .as_deref()
            .is_some_and(|k| k.ends_with(&managed))
        {
            return Err(err(
                "InvalidParameterValue",
                "You can't share a snapshot encrypted with the default AWS managed key (aws/rds). Copy the snapshot with a customer managed key that the other account can use, then share the copy.",
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
        return Err(err(
            "SharedSnapshotQuotaExceeded",
            "You have exceeded the maximum number of accounts (20) you can share a manual DB snapshot with.",
        ));
    }
    if let Some(sn) = world
        .rds
        .snapshots
        .get_mut(&slot(&ctx.account, &ctx.region, id))
    {
        sn.shared_with.clone_from(&shared);
    }
    Ok(json!({ "DBSnapshotAttributesResult": {
        "DBSnapshotIdentifier": id,
        "DBSnapshotAttributes": [{ "AttributeName": "restore", "AttributeValues": shared }],
    }}))
}

fn restore(
    world: &mut World,
    ctx: &CallContext,
    input: &Value,
    audit: &mut CallAudit,
) -> Result<Value, AwsError> {
    let id = required(input, "DBInstanceIdentifier")?;
    let source = required(input, "DBSnapshotIdentifier")?;
    let snap = snapshot_ref(world, ctx, source)?;
    if snap.encrypted && snap.account != ctx.account {
        return Err(err(
            "InvalidParameterValue",
            "A shared encrypted snapshot can't be restored directly: copy it first (CopyDBSnapshot with a KmsKeyId of your account), then restore the copy.",
        ));
    }
    if world
        .rds
        .instances
        .contains_key(&slot(&ctx.account, &ctx.region, id))
    {
        return Err(err("DBInstanceAlreadyExists", "DB instance already exists"));
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
        class: s(input, "DBInstanceClass")
            .unwrap_or("db.t3.micro")
            .to_owned(),
        storage: snap.storage,
        encrypted: snap.encrypted,
        kms_key_arn: key_arn,
        wrapped_key: wrapped,
        replica_of: None,
        created_ms: world.now_ms(),
    };
    Ok(launch(world, ctx, id, inst))
}

fn read_replica(
    world: &mut World,
    ctx: &CallContext,
    input: &Value,
    audit: &mut CallAudit,
) -> Result<Value, AwsError> {
    let id = required(input, "DBInstanceIdentifier")?;
    let source = required(input, "SourceDBInstanceIdentifier")?;
    // A source ARN names another Region (cross-Region replica); an identifier this Region.
    let src = match source.strip_prefix("arn:aws:rds:") {
        Some(rest) => {
            let mut p = rest.splitn(4, ':');
            let (Some(region), Some(account), Some("db"), Some(name)) =
                (p.next(), p.next(), p.next(), p.next())
            else {
                return Err(err(
                    "DBInstanceNotFound",
                    format!("DBInstance {source} not found."),
                ));
            };
            world
                .rds
                .instances
                .get(&slot(account, region, name))
                .filter(|i| i.account == ctx.account)
                .cloned()
                .ok_or_else(|| {
                    err(
                        "DBInstanceNotFound",
                        format!("DBInstance {source} not found."),
                    )
                })?
        }
        None => instance(world, ctx, source)?,
    };
    let requested = s(input, "KmsKeyId");
    let cross_region = src.region != ctx.region;
    if !src.encrypted && requested.is_some() {
        return Err(err(
            "InvalidParameterCombination",
            "Cannot create an encrypted read replica from an unencrypted DB instance.",
        ));
    }
    if src.encrypted && cross_region && requested.is_none() {
        return Err(err(
            "InvalidParameterValue",
            "KmsKeyId is required for a cross-Region read replica of an encrypted DB instance: name a KMS key in the destination Region.",
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
        class: s(input, "DBInstanceClass").unwrap_or(&src.class).to_owned(),
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
    };
    Ok(launch(world, ctx, id, inst))
}

crate::service::json_service!(Rds, "rds", call);
