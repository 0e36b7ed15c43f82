//! On-demand backups: `CreateBackup`, `DescribeBackup`, `ListBackups`, `DeleteBackup` and
//! `RestoreTableFromBackup`. A backup keeps the table's items as they are stored (sealed under
//! the table key, itself protected by the table's KMS key), so making one needs no KMS call;
//! restoring opens the items (the backup's table key decrypted by KMS as the caller, so the
//! backup's key must be usable) and seals them under the new table's key: by default the
//! backup's key, or what `SSESpecificationOverride` asks for (any of the three options)
//! (<https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/encryption.usagenotes.html>).

use std::collections::BTreeMap;

use super::error::required;
use super::health::{self, Status};
use super::item::{item_slot, key_of};
use super::model::{
    BackupArnRequest, BackupDescription, BackupDetails, BackupSummary, CreateBackupRequest,
    CreateBackupResponse, DescribeBackupResponse, ListBackupsRequest, ListBackupsResponse,
    ProvisionedThroughput, RestoreTableFromBackupRequest, RestoreTableFromBackupResponse,
    SourceTableDetails, SourceTableFeatureDetails,
};
use super::table::{
    authorize, check_name, describe_of, find, new_encryption, requested_key, table_name,
};
use super::{
    Backup, DynamoDbError, Encryption, Restored, Table, cache_key, epoch, open_item, seal_item,
    slot, table_arn, table_key,
};
use crate::World;
use crate::cloudtrail::CallAudit;
use crate::context::CallContext;

/// A backup's ARN: `TABLE_ARN/backup/MS-HEX8`.
pub(super) fn backup_arn(table_arn: &str, at_ms: i64, salt: &str) -> String {
    format!(
        "{table_arn}/backup/{at_ms:014}-{}",
        salt.get(..8).unwrap_or(salt)
    )
}

fn details(b: &Backup, status: &str) -> BackupDetails {
    BackupDetails {
        backup_arn: b.arn.clone(),
        backup_name: b.name.clone(),
        backup_size_bytes: b.table.size_bytes(),
        backup_status: status.to_owned(),
        backup_type: b.kind.clone(),
        backup_creation_date_time: epoch(b.created_ms),
    }
}

fn description(b: &Backup, status: &str) -> BackupDescription {
    let t = &b.table;
    BackupDescription {
        backup_details: details(b, status),
        source_table_details: SourceTableDetails {
            table_name: t.name.clone(),
            table_id: t.id.clone(),
            table_arn: t.arn(),
            table_size_bytes: t.size_bytes(),
            key_schema: t.key_schema.clone(),
            table_creation_date_time: epoch(t.created_ms),
            provisioned_throughput: ProvisionedThroughput {
                read_capacity_units: Some(t.read_capacity),
                write_capacity_units: Some(t.write_capacity),
            },
            item_count: i64::try_from(t.items.len()).unwrap_or(i64::MAX),
            billing_mode: t.billing_mode.clone(),
        },
        source_table_feature_details: SourceTableFeatureDetails {
            sse_description: describe_of(t, "ACTIVE").sse_description.map(|mut d| {
                d.inaccessible_encryption_date_time = None;
                d
            }),
        },
    }
}

fn not_found(arn: &str) -> DynamoDbError {
    DynamoDbError::BackupNotFoundException(format!("Backup not found: {arn}"))
}

/// The caller's backup `arn`.
fn backup(world: &World, ctx: &CallContext, arn: &str) -> Result<Backup, DynamoDbError> {
    world
        .services
        .dynamodb
        .backups
        .get(arn)
        .filter(|b| b.account == ctx.account && b.region == ctx.region)
        .cloned()
        .ok_or_else(|| not_found(arn))
}

pub(super) fn create(
    world: &mut World,
    ctx: &CallContext,
    r: &CreateBackupRequest,
    audit: &mut CallAudit,
) -> Result<CreateBackupResponse, DynamoDbError> {
    let name = table_name(ctx, required(&r.table_name, "tableName")?);
    let backup_name = required(&r.backup_name, "backupName")?.clone();
    let arn = table_arn(&ctx.account, &ctx.region, &name);
    audit.resource(&ctx.account, "AWS::DynamoDB::Table", &arn);
    authorize(world, ctx, "CreateBackup", &arn, audit)?;
    check_name(&backup_name, "backupName")?;
    let Some(t) = find(world, ctx, &name).cloned() else {
        return Err(DynamoDbError::TableNotFoundException(format!(
            "Table not found: {name}"
        )));
    };
    if matches!(
        health::status(&t, world.now_ms()),
        Status::Archiving | Status::Archived
    ) {
        return Err(DynamoDbError::TableInUseException(format!(
            "Table is archived: {name}"
        )));
    }
    let now = world.now_ms();
    let salt = world.rng.hex(8);
    let b = Backup {
        arn: backup_arn(&arn, now, &salt),
        name: backup_name,
        account: ctx.account.clone(),
        region: ctx.region.clone(),
        kind: "USER".into(),
        created_ms: now,
        table: t,
    };
    let out = details(&b, "CREATING");
    world.services.dynamodb.backups.insert(b.arn.clone(), b);
    Ok(CreateBackupResponse {
        backup_details: out,
    })
}

pub(super) fn describe(
    world: &mut World,
    ctx: &CallContext,
    r: &BackupArnRequest,
    audit: &mut CallAudit,
) -> Result<DescribeBackupResponse, DynamoDbError> {
    let arn = required(&r.backup_arn, "backupArn")?.clone();
    authorize(world, ctx, "DescribeBackup", &arn, audit)?;
    let b = backup(world, ctx, &arn)?;
    Ok(DescribeBackupResponse {
        backup_description: description(&b, "AVAILABLE"),
    })
}

pub(super) fn delete(
    world: &mut World,
    ctx: &CallContext,
    r: &BackupArnRequest,
    audit: &mut CallAudit,
) -> Result<DescribeBackupResponse, DynamoDbError> {
    let arn = required(&r.backup_arn, "backupArn")?.clone();
    authorize(world, ctx, "DeleteBackup", &arn, audit)?;
    let b = backup(world, ctx, &arn)?;
    world.services.dynamodb.backups.remove(&arn);
    Ok(DescribeBackupResponse {
        backup_description: description(&b, "DELETED"),
    })
}

pub(super) fn list(
    world: &mut World,
    ctx: &CallContext,
    r: &ListBackupsRequest,
    audit: &mut CallAudit,
) -> Result<ListBackupsResponse, DynamoDbError> {
    authorize(world, ctx, "ListBackups", "*", audit)?;
    let kind = r.backup_type.as_deref().unwrap_or("USER");
    if !matches!(kind, "USER" | "SYSTEM" | "AWS_BACKUP" | "ALL") {
        return Err(DynamoDbError::ValidationException(format!(
            "1 validation error detected: Value '{kind}' at 'backupType' failed to satisfy constraint: Member must satisfy enum value set: [USER, SYSTEM, AWS_BACKUP, ALL]"
        )));
    }
    let table = r.table_name.as_deref().map(|n| table_name(ctx, n));
    let limit = r.limit.and_then(|l| usize::try_from(l).ok()).unwrap_or(usize::MAX);
    let backup_summaries = world
        .services
        .dynamodb
        .backups
        .values()
        .filter(|b| b.account == ctx.account && b.region == ctx.region)
        .filter(|b| kind == "ALL" || b.kind == kind)
        .filter(|b| table.as_ref().is_none_or(|n| *n == b.table.name))
        .take(limit)
        .map(|b| BackupSummary {
            table_name: b.table.name.clone(),
            table_id: b.table.id.clone(),
            table_arn: b.table.arn(),
            backup_arn: b.arn.clone(),
            backup_name: b.name.clone(),
            backup_creation_date_time: epoch(b.created_ms),
            backup_status: "AVAILABLE".into(),
            backup_type: b.kind.clone(),
            backup_size_bytes: b.table.size_bytes(),
        })
        .collect();
    Ok(ListBackupsResponse { backup_summaries })
}

pub(super) fn restore(
    world: &mut World,
    ctx: &CallContext,
    r: &RestoreTableFromBackupRequest,
    audit: &mut CallAudit,
) -> Result<RestoreTableFromBackupResponse, DynamoDbError> {
    let target = table_name(ctx, required(&r.target_table_name, "targetTableName")?);
    let arn = required(&r.backup_arn, "backupArn")?.clone();
    let target_arn = table_arn(&ctx.account, &ctx.region, &target);
    audit.resource(&ctx.account, "AWS::DynamoDB::Table", &target_arn);
    authorize(world, ctx, "RestoreTableFromBackup", &arn, audit)?;
    check_name(&target, "targetTableName")?;
    let b = backup(world, ctx, &arn)?;
    if find(world, ctx, &target).is_some() {
        return Err(DynamoDbError::TableAlreadyExistsException(format!(
            "Table already exists: {target}"
        )));
    }
    let key = match &r.sse_specification_override {
        Some(spec) => requested_key(Some(spec), "sSESpecificationOverride")?,
        None => b.table.encryption.key_arn().map(str::to_owned),
    };
    // The backup's items open with its own table key (decrypted as the caller).
    let mut source = b.table.clone();
    source.id = format!("backup {}", b.arn);
    source.inaccessible_ms = None;
    let old_key = table_key(world, ctx, &source, audit)?;
    let (encryption, plain) = new_encryption(world, ctx, key.as_deref(), &target, audit)?;
    let now = world.now_ms();
    let mut t = Table {
        name: target.clone(),
        id: world.rng.uuid(),
        account: ctx.account.clone(),
        region: ctx.region.clone(),
        created_ms: now,
        attribute_definitions: b.table.attribute_definitions.clone(),
        key_schema: b.table.key_schema.clone(),
        billing_mode: r
            .billing_mode_override
            .clone()
            .unwrap_or_else(|| b.table.billing_mode.clone()),
        read_capacity: b.table.read_capacity,
        write_capacity: b.table.write_capacity,
        pay_per_request_ms: None,
        table_class: b.table.table_class.clone(),
        deletion_protection: false,
        tags: Vec::new(),
        encryption,
        encryption_set_ms: now,
        inaccessible_ms: None,
        unusable_seen_ms: None,
        archival: None,
        restored: Some(Restored {
            backup_arn: b.arn.clone(),
            table_arn: b.table.arn(),
            at_ms: now,
        }),
        items: BTreeMap::new(),
    };
    if t.billing_mode == "PAY_PER_REQUEST" {
        t.read_capacity = 0;
        t.write_capacity = 0;
    }
    for (s, stored) in &b.table.items {
        let item = open_item(&old_key, s, stored)?;
        let new_slot = item_slot(&t, &key_of(&t, &item));
        let sealed = seal_item(world, &plain, &new_slot, &item)?;
        t.items.insert(new_slot, sealed);
    }
    if matches!(t.encryption, Encryption::Kms { .. }) {
        cache_key(world, ctx, &t.id, &plain);
    }
    let out = describe_of(&t, "CREATING");
    world
        .services
        .dynamodb
        .tables
        .insert(slot(&ctx.account, &ctx.region, &target), t);
    Ok(RestoreTableFromBackupResponse {
        table_description: out,
    })
}
