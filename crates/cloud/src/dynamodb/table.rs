//! The table operations: create, describe, update (billing mode, encryption, deletion
//! protection), delete and list; and how a table gets its table key under each of the three
//! encryption options.

use base64::Engine as _;

use super::error::{invalid, missing, no_table, required};
use super::health::{self, Status};
use super::model::{
    AttributeDefinition, BillingModeSummary, CreateTableRequest, CreateTableResponse,
    DescribeTableResponse, KeySchemaElement, ListTablesRequest, ListTablesResponse,
    ProvisionedThroughput, ProvisionedThroughputDescription, RestoreSummary, SseDescription,
    SseSpecification, TableClassSummary, TableDescription, TableNameRequest, UpdateTableRequest,
};
use super::{
    DynamoDbError, Encryption, KMS, MANAGED_KEY, Table, b64, cache_key, encryption_context, epoch,
    forget_keys, open_item, seal_item, slot, table_arn, table_key,
};
use crate::World;
use crate::cloudtrail::CallAudit;
use crate::context::CallContext;
use crate::kms::model::{CreateGrantRequest, GrantConstraints};

const BILLING_MODES: &[&str] = &["PROVISIONED", "PAY_PER_REQUEST"];
const TABLE_CLASSES: &[&str] = &["STANDARD", "STANDARD_INFREQUENT_ACCESS"];

/// Authorizes `dynamodb:ACTION` on `resource` against the caller's identity policies.
pub(super) fn authorize(
    world: &World,
    ctx: &CallContext,
    action: &str,
    resource: &str,
    audit: &mut CallAudit,
) -> Result<(), DynamoDbError> {
    crate::authorize::identity_only(
        &world.iam,
        ctx,
        &format!("dynamodb:{action}"),
        resource,
        &[],
        world.now_ms(),
        &mut audit.authorizations,
    )
    .map_err(DynamoDbError::AccessDeniedException)
}

/// A table name as requests give it: the name, or the table's ARN.
pub(super) fn table_name(ctx: &CallContext, raw: &str) -> String {
    let own = format!("arn:aws:dynamodb:{}:{}:table/", ctx.region, ctx.account);
    raw.strip_prefix(&own).unwrap_or(raw).to_owned()
}

/// Checks a table name against the model (3–255 characters of `[a-zA-Z0-9_.-]`).
pub(super) fn check_name(name: &str, member: &str) -> Result<(), DynamoDbError> {
    if name.len() < 3 {
        return Err(DynamoDbError::ValidationException(format!(
            "1 validation error detected: Value '{name}' at '{member}' failed to satisfy constraint: Member must have length greater than or equal to 3"
        )));
    }
    if name.len() > 255 {
        return Err(DynamoDbError::ValidationException(format!(
            "1 validation error detected: Value '{name}' at '{member}' failed to satisfy constraint: Member must have length less than or equal to 255"
        )));
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
    {
        return Err(DynamoDbError::ValidationException(format!(
            "1 validation error detected: Value '{name}' at '{member}' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"
        )));
    }
    Ok(())
}

fn not_in_enum(value: &str, member: &str, allowed: &[&str]) -> DynamoDbError {
    DynamoDbError::ValidationException(format!(
        "1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
        allowed.join(", ")
    ))
}

/// The KMS key an `SSESpecification` asks for: `None` for the AWS owned key.
pub(super) fn requested_key(
    spec: Option<&SseSpecification>,
    member: &str,
) -> Result<Option<String>, DynamoDbError> {
    let Some(spec) = spec else { return Ok(None) };
    if let Some(t) = &spec.sse_type
        && !matches!(t.as_str(), "AES256" | "KMS")
    {
        return Err(not_in_enum(
            t,
            &format!("{member}.sSEType"),
            &["AES256", "KMS"],
        ));
    }
    if spec.enabled != Some(true) {
        if spec.kms_master_key_id.is_some() || spec.sse_type.is_some() {
            return Err(invalid(
                "SSEType or KMSMasterKeyId cannot be specified when SSE is disabled",
            ));
        }
        return Ok(None);
    }
    Ok(Some(
        spec.kms_master_key_id
            .clone()
            .unwrap_or_else(|| MANAGED_KEY.to_owned()),
    ))
}

/// Gives a table a new table key under `key` (`None`: the AWS owned key), making DynamoDB's KMS
/// requests as the caller: `DescribeKey`, `CreateGrant` and `GenerateDataKey`. Answers the
/// encryption and the plaintext table key.
pub(super) fn new_encryption(
    world: &mut World,
    ctx: &CallContext,
    key: Option<&str>,
    name: &str,
    audit: &mut CallAudit,
) -> Result<(Encryption, Vec<u8>), DynamoDbError> {
    let Some(key) = key else {
        let plain: [u8; 32] = world.rng.array();
        return Ok((
            Encryption::Owned {
                table_key: b64().encode(plain),
            },
            plain.to_vec(),
        ));
    };
    let meta = KMS.describe_key(world, ctx, key, audit)?;
    if meta.key_spec != "SYMMETRIC_DEFAULT" || meta.key_usage != "ENCRYPT_DECRYPT" {
        return Err(DynamoDbError::ValidationException(format!(
            "KMSMasterKeyId {key} is not a symmetric encryption key; DynamoDB supports only symmetric encryption KMS keys"
        )));
    }
    let arn = meta.arn.clone();
    let context = encryption_context(name, &ctx.account);
    KMS.create_grant(
        world,
        ctx,
        CreateGrantRequest {
            key_id: arn.clone(),
            grantee_service_principal: Some("dynamodb.amazonaws.com".into()),
            retiring_service_principal: Some("dynamodb.amazonaws.com".into()),
            operations: [
                "DescribeKey",
                "GenerateDataKey",
                "Decrypt",
                "Encrypt",
                "ReEncryptFrom",
                "ReEncryptTo",
                "RetireGrant",
            ]
            .map(str::to_owned)
            .to_vec(),
            constraints: Some(GrantConstraints {
                encryption_context_subset: Some(context.clone()),
                source_arn: Some(table_arn(&ctx.account, &ctx.region, name)),
                ..GrantConstraints::default()
            }),
            ..CreateGrantRequest::default()
        },
        audit,
    )?;
    let out = KMS.data_key(world, ctx, &arn, context, true, audit)?;
    let (Some(plain), Some(wrapped)) = (out.plaintext.as_ref(), out.ciphertext_blob.as_ref())
    else {
        return Err(DynamoDbError::InternalServerError(
            "KMS returned no data key".into(),
        ));
    };
    Ok((
        Encryption::Kms {
            key_arn: out.key_id.clone().unwrap_or(arn),
            wrapped: b64().encode(&wrapped.0),
        },
        plain.0.clone(),
    ))
}

/// Checks the key schema against the attribute definitions, as `CreateTable` does.
fn check_schema(
    defs: &[AttributeDefinition],
    schema: &[KeySchemaElement],
) -> Result<(), DynamoDbError> {
    for d in defs {
        if !matches!(d.attribute_type.as_str(), "S" | "N" | "B") {
            return Err(DynamoDbError::ValidationException(format!(
                "1 validation error detected: Value '{}' at 'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]",
                d.attribute_type
            )));
        }
    }
    let hashes = schema.iter().filter(|k| k.key_type == "HASH").count();
    let ranges = schema.iter().filter(|k| k.key_type == "RANGE").count();
    if schema.is_empty() || schema.len() > 2 {
        return Err(DynamoDbError::ValidationException(format!(
            "1 validation error detected: Value '[{}]' at 'keySchema' failed to satisfy constraint: Member must have length less than or equal to 2",
            schema.iter().map(|k| k.attribute_name.as_str()).collect::<Vec<_>>().join(", ")
        )));
    }
    if hashes != 1 || ranges > 1 || schema.first().is_some_and(|k| k.key_type != "HASH") {
        return Err(invalid(
            "Invalid KeySchema: The first KeySchemaElement is not a HASH key type",
        ));
    }
    let names: Vec<&str> = schema.iter().map(|k| k.attribute_name.as_str()).collect();
    let defined: Vec<&str> = defs.iter().map(|d| d.attribute_name.as_str()).collect();
    if names.iter().any(|n| !defined.contains(n)) {
        return Err(invalid(&format!(
            "Some index key attributes are not defined in AttributeDefinitions. Keys: [{}], AttributeDefinitions: [{}]",
            names.join(", "),
            defined.join(", ")
        )));
    }
    if defined.len() != names.len() {
        return Err(invalid(
            "Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions",
        ));
    }
    Ok(())
}

/// The capacity of a new or updated table: `(mode, read, write)`.
fn capacity(
    mode: Option<&str>,
    throughput: Option<&ProvisionedThroughput>,
) -> Result<(String, i64, i64), DynamoDbError> {
    let mode = mode.unwrap_or("PROVISIONED");
    if !BILLING_MODES.contains(&mode) {
        return Err(not_in_enum(mode, "billingMode", BILLING_MODES));
    }
    if mode == "PAY_PER_REQUEST" {
        if throughput.is_some() {
            return Err(invalid(
                "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST",
            ));
        }
        return Ok((mode.to_owned(), 0, 0));
    }
    let Some(t) = throughput else {
        return Err(DynamoDbError::ValidationException(
            "No provisioned throughput specified for the table".into(),
        ));
    };
    let (Some(r), Some(w)) = (t.read_capacity_units, t.write_capacity_units) else {
        return Err(missing(if t.read_capacity_units.is_none() {
            "provisionedThroughput.readCapacityUnits"
        } else {
            "provisionedThroughput.writeCapacityUnits"
        }));
    };
    if r < 1 || w < 1 {
        return Err(DynamoDbError::ValidationException(format!(
            "1 validation error detected: Value '{}' at 'provisionedThroughput.{}' failed to satisfy constraint: Member must have value greater than or equal to 1",
            r.min(w),
            if r < 1 { "readCapacityUnits" } else { "writeCapacityUnits" }
        )));
    }
    Ok((mode.to_owned(), r, w))
}

/// A table as `DescribeTable` shows it at `now`.
pub(super) fn describe_of(t: &Table, status: &str) -> TableDescription {
    let sse_description = match &t.encryption {
        Encryption::Owned { .. } => None,
        Encryption::Kms { key_arn, .. } => Some(SseDescription {
            status: "ENABLED".into(),
            sse_type: "KMS".into(),
            kms_master_key_arn: key_arn.clone(),
            inaccessible_encryption_date_time: t.inaccessible_ms.map(epoch),
        }),
    };
    TableDescription {
        attribute_definitions: t.attribute_definitions.clone(),
        table_name: t.name.clone(),
        key_schema: t.key_schema.clone(),
        table_status: status.to_owned(),
        creation_date_time: epoch(t.created_ms),
        provisioned_throughput: ProvisionedThroughputDescription {
            number_of_decreases_today: 0,
            read_capacity_units: t.read_capacity,
            write_capacity_units: t.write_capacity,
        },
        table_size_bytes: t.size_bytes(),
        item_count: i64::try_from(t.items.len()).unwrap_or(i64::MAX),
        table_arn: t.arn(),
        table_id: t.id.clone(),
        billing_mode_summary: (t.billing_mode == "PAY_PER_REQUEST" || t.pay_per_request_ms.is_some())
            .then(|| BillingModeSummary {
                billing_mode: t.billing_mode.clone(),
                last_update_to_pay_per_request_date_time: t.pay_per_request_ms.map(epoch),
            }),
        restore_summary: t.restored.as_ref().map(|r| RestoreSummary {
            source_backup_arn: r.backup_arn.clone(),
            source_table_arn: r.table_arn.clone(),
            restore_date_time: epoch(r.at_ms),
            restore_in_progress: false,
        }),
        sse_description,
        archival_summary: t.archival.as_ref().map(|a| super::model::ArchivalSummary {
            archival_date_time: epoch(a.started_ms),
            archival_reason: "INACCESSIBLE_ENCRYPTION_CREDENTIALS".into(),
            archival_backup_arn: Some(a.backup_arn.clone()),
        }),
        table_class_summary: t.table_class.as_ref().map(|c| TableClassSummary {
            table_class: c.clone(),
        }),
        deletion_protection_enabled: t.deletion_protection,
    }
}

/// The caller's table `name` (after the lazy key-health evaluation), or `None`.
pub(super) fn find<'w>(world: &'w World, ctx: &CallContext, name: &str) -> Option<&'w Table> {
    world
        .services
        .dynamodb
        .tables
        .get(&slot(&ctx.account, &ctx.region, name))
}

pub(super) fn create(
    world: &mut World,
    ctx: &CallContext,
    r: &CreateTableRequest,
    audit: &mut CallAudit,
) -> Result<CreateTableResponse, DynamoDbError> {
    let name = table_name(ctx, required(&r.table_name, "tableName")?);
    let arn = table_arn(&ctx.account, &ctx.region, &name);
    audit.resource(&ctx.account, "AWS::DynamoDB::Table", &arn);
    authorize(world, ctx, "CreateTable", &arn, audit)?;
    check_name(&name, "tableName")?;
    let schema = required(&r.key_schema, "keySchema")?.clone();
    let defs = required(&r.attribute_definitions, "attributeDefinitions")?.clone();
    check_schema(&defs, &schema)?;
    let (mode, read, write) = capacity(r.billing_mode.as_deref(), r.provisioned_throughput.as_ref())?;
    if let Some(c) = &r.table_class
        && !TABLE_CLASSES.contains(&c.as_str())
    {
        return Err(not_in_enum(c, "tableClass", TABLE_CLASSES));
    }
    let key = requested_key(r.sse_specification.as_ref(), "sSESpecification")?;
    if find(world, ctx, &name).is_some() {
        return Err(DynamoDbError::ResourceInUseException(format!(
            "Table already exists: {name}"
        )));
    }
    let (encryption, plain) = new_encryption(world, ctx, key.as_deref(), &name, audit)?;
    let now = world.now_ms();
    let t = Table {
        name: name.clone(),
        id: world.rng.uuid(),
        account: ctx.account.clone(),
        region: ctx.region.clone(),
        created_ms: now,
        attribute_definitions: defs,
        key_schema: schema,
        billing_mode: mode.clone(),
        read_capacity: read,
        write_capacity: write,
        pay_per_request_ms: None,
        table_class: r.table_class.clone(),
        deletion_protection: r.deletion_protection_enabled.unwrap_or(false),
        tags: r.tags.clone().unwrap_or_default(),
        encryption,
        encryption_set_ms: now,
        inaccessible_ms: None,
        unusable_seen_ms: None,
        archival: None,
        restored: None,
        items: Default::default(),
    };
    if t.encryption.key_arn().is_some() {
        cache_key(world, ctx, &t.id, &plain);
    }
    let mut description = describe_of(&t, "CREATING");
    if mode == "PAY_PER_REQUEST" {
        description.billing_mode_summary = Some(BillingModeSummary {
            billing_mode: mode,
            last_update_to_pay_per_request_date_time: None,
        });
    }
    world
        .services
        .dynamodb
        .tables
        .insert(slot(&ctx.account, &ctx.region, &name), t);
    Ok(CreateTableResponse {
        table_description: description,
    })
}

pub(super) fn describe(
    world: &mut World,
    ctx: &CallContext,
    r: &TableNameRequest,
    audit: &mut CallAudit,
) -> Result<DescribeTableResponse, DynamoDbError> {
    let name = table_name(ctx, required(&r.table_name, "tableName")?);
    let arn = table_arn(&ctx.account, &ctx.region, &name);
    audit.resource(&ctx.account, "AWS::DynamoDB::Table", &arn);
    authorize(world, ctx, "DescribeTable", &arn, audit)?;
    let t = find(world, ctx, &name).ok_or_else(|| no_table(&name))?;
    let now = world.now_ms();
    let status = health::status(t, now);
    Ok(DescribeTableResponse {
        table: describe_of(t, status.name()),
    })
}

pub(super) fn list(
    world: &mut World,
    ctx: &CallContext,
    r: &ListTablesRequest,
    audit: &mut CallAudit,
) -> Result<ListTablesResponse, DynamoDbError> {
    authorize(world, ctx, "ListTables", "*", audit)?;
    let limit = r.limit.unwrap_or(100);
    if limit < 1 {
        return Err(DynamoDbError::ValidationException(format!(
            "1 validation error detected: Value '{limit}' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"
        )));
    }
    if limit > 100 {
        return Err(DynamoDbError::ValidationException(format!(
            "1 validation error detected: Value '{limit}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100"
        )));
    }
    let names: Vec<String> = world
        .services
        .dynamodb
        .tables
        .values()
        .filter(|t| t.account == ctx.account && t.region == ctx.region)
        .map(|t| t.name.clone())
        .filter(|n| {
            r.exclusive_start_table_name
                .as_ref()
                .is_none_or(|s| n.as_str() > s.as_str())
        })
        .collect();
    let limit = usize::try_from(limit).unwrap_or(100);
    let more = names.len() > limit;
    let page: Vec<String> = names.into_iter().take(limit).collect();
    Ok(ListTablesResponse {
        last_evaluated_table_name: more.then(|| page.last().cloned()).flatten(),
        table_names: page,
    })
}

pub(super) fn update(
    world: &mut World,
    ctx: &CallContext,
    r: &UpdateTableRequest,
    audit: &mut CallAudit,
) -> Result<CreateTableResponse, DynamoDbError> {
    let name = table_name(ctx, required(&r.table_name, "tableName")?);
    let arn = table_arn(&ctx.account, &ctx.region, &name);
    audit.resource(&ctx.account, "AWS::DynamoDB::Table", &arn);
    authorize(world, ctx, "UpdateTable", &arn, audit)?;
    let mut t = find(world, ctx, &name).cloned().ok_or_else(|| no_table(&name))?;
    let now = world.now_ms();
    match health::status(&t, now) {
        Status::Archiving | Status::Archived => {
            return Err(DynamoDbError::ResourceInUseException(format!(
                "Attempt to change a resource which is still in use: Table is archived: {name}"
            )));
        }
        _ => {}
    }
    if r.billing_mode.is_none()
        && r.provisioned_throughput.is_none()
        && r.sse_specification.is_none()
        && r.deletion_protection_enabled.is_none()
    {
        return Err(DynamoDbError::ValidationException(
            "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required".into(),
        ));
    }
    if r.billing_mode.is_some() || r.provisioned_throughput.is_some() {
        let mode = r.billing_mode.as_deref().unwrap_or(&t.billing_mode).to_owned();
        let (mode, read, write) = capacity(Some(&mode), r.provisioned_throughput.as_ref())?;
        if mode == "PAY_PER_REQUEST" && t.billing_mode != "PAY_PER_REQUEST" {
            t.pay_per_request_ms = Some(now);
        }
        t.billing_mode = mode;
        t.read_capacity = read;
        t.write_capacity = write;
    }
    if let Some(p) = r.deletion_protection_enabled {
        t.deletion_protection = p;
    }
    let mut sse_updating = false;
    if let Some(spec) = &r.sse_specification {
        let key = requested_key(Some(spec), "sSESpecification")?;
        switch_key(world, ctx, &mut t, key.as_deref(), audit)?;
        sse_updating = true;
    }
    let mut description = describe_of(&t, "UPDATING");
    if sse_updating && let Some(d) = description.sse_description.as_mut() {
        d.status = "UPDATING".into();
    }
    world
        .services
        .dynamodb
        .tables
        .insert(slot(&ctx.account, &ctx.region, &name), t);
    Ok(CreateTableResponse {
        table_description: description,
    })
}

/// Moves a table to another key: the items are opened with the old table key (decrypted as the
/// caller) and sealed again under a new table key.
fn switch_key(
    world: &mut World,
    ctx: &CallContext,
    t: &mut Table,
    key: Option<&str>,
    audit: &mut CallAudit,
) -> Result<(), DynamoDbError> {
    let old = table_key(world, ctx, t, audit)?;
    let (encryption, plain) = new_encryption(world, ctx, key, &t.name, audit)?;
    let mut items = std::collections::BTreeMap::new();
    for (s, stored) in &t.items {
        let item = open_item(&old, s, stored)?;
        items.insert(s.clone(), seal_item(world, &plain, s, &item)?);
    }
    forget_keys(world, &t.id);
    t.items = items;
    t.encryption = encryption;
    t.encryption_set_ms = world.now_ms();
    t.inaccessible_ms = None;
    t.unusable_seen_ms = None;
    if t.encryption.key_arn().is_some() {
        cache_key(world, ctx, &t.id, &plain);
    }
    Ok(())
}

pub(super) fn delete(
    world: &mut World,
    ctx: &CallContext,
    r: &TableNameRequest,
    audit: &mut CallAudit,
) -> Result<CreateTableResponse, DynamoDbError> {
    let name = table_name(ctx, required(&r.table_name, "tableName")?);
    let arn = table_arn(&ctx.account, &ctx.region, &name);
    audit.resource(&ctx.account, "AWS::DynamoDB::Table", &arn);
    authorize(world, ctx, "DeleteTable", &arn, audit)?;
    let t = find(world, ctx, &name).cloned().ok_or_else(|| no_table(&name))?;
    if t.deletion_protection {
        return Err(DynamoDbError::ValidationException(
            "Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.".into(),
        ));
    }
    if health::status(&t, world.now_ms()) == Status::Archiving {
        return Err(DynamoDbError::ResourceInUseException(format!(
            "Attempt to change a resource which is still in use: Table is being archived: {name}"
        )));
    }
    let description = describe_of(&t, "DELETING");
    forget_keys(world, &t.id);
    world
        .services
        .dynamodb
        .tables
        .remove(&slot(&ctx.account, &ctx.region, &name));
    Ok(CreateTableResponse {
        table_description: description,
    })
}
