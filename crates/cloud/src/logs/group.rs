//! Log group operations: create (optionally with a KMS key), associate and disassociate a key,
//! describe and delete. Each authorizes its `logs:` action against the caller's identity
//! policies first; a KMS key is checked by Logs' service principal asking KMS for a data key
//! bound to the group (the key policy decides, not the caller's permissions).

use super::error::{LogsError, association_error, required};
use super::model::{
    AssociateKmsKeyRequest, CreateLogGroupRequest, DeleteLogGroupRequest,
    DescribeLogGroupsRequest, DescribeLogGroupsResponse, DisassociateKmsKeyRequest,
    EmptyResponse, LogGroup,
};
use super::{ASSOCIATION_DELAY_MS, KeyPeriod, StoredGroup, group_arn, slot};
use crate::World;
use crate::cloudtrail::CallAudit;
use crate::context::CallContext;

/// Authorizes `action` on `resource` for the caller (identity policies only).
pub(crate) fn authorize(
    world: &World,
    ctx: &CallContext,
    action: &str,
    resource: &str,
    audit: &mut CallAudit,
) -> Result<(), LogsError> {
    crate::authorize::identity_only(
        &world.iam,
        ctx,
        action,
        resource,
        &[],
        world.now_ms(),
        &mut audit.authorizations,
    )
    .map_err(LogsError::AccessDenied)
}

/// The resource of a group-level action: `arn:aws:logs:REGION:ACCOUNT:log-group:NAME:*`.
pub(crate) fn group_resource(ctx: &CallContext, name: &str) -> String {
    format!("{}:*", group_arn(&ctx.account, &ctx.region, name))
}

/// Checks a log group name: 1–512 characters of `[.\-_/#A-Za-z0-9]`.
pub(crate) fn valid_group_name(name: &str) -> Result<(), LogsError> {
    let ok_char = |c: char| c.is_ascii_alphanumeric() || ".-_/#".contains(c);
    if name.is_empty() || name.len() > 512 {
        return Err(LogsError::InvalidParameter(format!(
            "1 validation error detected: Value '{name}' at 'logGroupName' failed to satisfy constraint: Member must have length between 1 and 512"
        )));
    }
    if !name.chars().all(ok_char) {
        return Err(LogsError::InvalidParameter(format!(
            "1 validation error detected: Value '{name}' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+"
        )));
    }
    Ok(())
}

pub(crate) fn not_found_group() -> LogsError {
    LogsError::ResourceNotFound("The specified log group does not exist.".into())
}

/// The group `name` of the caller's account and Region.
pub(crate) fn find<'w>(
    world: &'w World,
    ctx: &CallContext,
    name: &str,
) -> Result<&'w StoredGroup, LogsError> {
    world
        .services
        .logs
        .groups
        .get(&slot(&ctx.account, &ctx.region, name))
        .ok_or_else(not_found_group)
}

/// The group a request names by `logGroupName`, or by `logGroupIdentifier` (name or ARN).
pub(crate) fn named<'a>(
    name: &'a Option<String>,
    identifier: &'a Option<String>,
) -> Result<&'a str, LogsError> {
    if let Some(n) = name {
        return Ok(n);
    }
    let id = required(identifier, "logGroupName")?;
    // `arn:aws:logs:REGION:ACCOUNT:log-group:NAME[:*]`
    Ok(match id.split_once(":log-group:") {
        Some((_, rest)) => rest.strip_suffix(":*").unwrap_or(rest),
        None => id,
    })
}

/// Logs checks that it may use `key` for the group: a data key for the group, asked for by its
/// service principal (and thrown away).
fn check_key(
    world: &mut World,
    ctx: &CallContext,
    name: &str,
    key: &str,
    audit: &mut CallAudit,
) -> Result<(), LogsError> {
    let arn = group_arn(&ctx.account, &ctx.region, name);
    super::data_key(world, (&ctx.account, &ctx.region), key, &arn, audit)
        .map(|_| ())
        .map_err(|e| association_error(&e, name, &arn))
}

pub(crate) fn create(
    world: &mut World,
    ctx: &CallContext,
    r: &CreateLogGroupRequest,
    audit: &mut CallAudit,
) -> Result<EmptyResponse, LogsError> {
    let name = required(&r.log_group_name, "logGroupName")?;
    valid_group_name(name)?;
    authorize(world, ctx, "logs:CreateLogGroup", &group_resource(ctx, name), audit)?;
    let class = r.log_group_class.clone().unwrap_or_else(|| "STANDARD".into());
    if !["STANDARD", "INFREQUENT_ACCESS", "DELIVERY"].contains(&class.as_str()) {
        return Err(LogsError::InvalidParameter(format!(
            "1 validation error detected: Value '{class}' at 'logGroupClass' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, INFREQUENT_ACCESS, DELIVERY]"
        )));
    }
    let key = slot(&ctx.account, &ctx.region, name);
    if world.services.logs.groups.contains_key(&key) {
        return Err(LogsError::ResourceAlreadyExists(
            "The specified log group already exists".into(),
        ));
    }
    if let Some(k) = &r.kms_key_id {
        check_key(world, ctx, name, k, audit)?;
    }
    let now = world.now_ms();
    world.services.logs.groups.insert(
        key,
        StoredGroup {
            name: name.clone(),
            account: ctx.account.clone(),
            region: ctx.region.clone(),
            created_ms: now,
            class,
            kms_key_id: r.kms_key_id.clone(),
            periods: r
                .kms_key_id
                .iter()
                .map(|k| KeyPeriod {
                    from_ms: now,
                    key: Some(k.clone()),
                })
                .collect(),
            tags: r.tags.clone().unwrap_or_default(),
            streams: Default::default(),
        },
    );
    Ok(EmptyResponse {})
}

/// The group a key-association request names (`resourceIdentifier` is for query results,
/// which the lab does not model).
fn association_target<'a>(
    name: &'a Option<String>,
    resource: &Option<String>,
) -> Result<&'a str, LogsError> {
    match (name, resource) {
        (Some(_), Some(_)) => Err(LogsError::InvalidParameter(
            "You can't specify both logGroupName and resourceIdentifier.".into(),
        )),
        (Some(n), None) => Ok(n),
        (None, Some(_)) => Err(LogsError::InvalidParameter(
            "The lab models KMS keys of log groups only, not of query results (resourceIdentifier)"
                .into(),
        )),
        (None, None) => Err(LogsError::InvalidParameter(
            "Either logGroupName or resourceIdentifier must be specified.".into(),
        )),
    }
}

/// Records an association (or, with `None`, a disassociation) that applies to events
/// ingested [`ASSOCIATION_DELAY_MS`] from now.
fn set_key(world: &mut World, ctx: &CallContext, name: &str, key: Option<String>) {
    let now = world.now_ms();
    if let Some(g) = world
        .services
        .logs
        .groups
        .get_mut(&slot(&ctx.account, &ctx.region, name))
    {
        g.kms_key_id.clone_from(&key);
        g.periods.push(KeyPeriod {
            from_ms: now + ASSOCIATION_DELAY_MS,
            key,
        });
    }
}

pub(crate) fn associate(
    world: &mut World,
    ctx: &CallContext,
    r: &AssociateKmsKeyRequest,
    audit: &mut CallAudit,
) -> Result<EmptyResponse, LogsError> {
    let key = required(&r.kms_key_id, "kmsKeyId")?;
    let name = association_target(&r.log_group_name, &r.resource_identifier)?;
    authorize(world, ctx, "logs:AssociateKmsKey", &group_resource(ctx, name), audit)?;
    find(world, ctx, name)?;
    check_key(world, ctx, name, key, audit)?;
    set_key(world, ctx, name, Some(key.clone()));
    Ok(EmptyResponse {})
}

pub(crate) fn disassociate(
    world: &mut World,
    ctx: &CallContext,
    r: &DisassociateKmsKeyRequest,
    audit: &mut CallAudit,
) -> Result<EmptyResponse, LogsError> {
    let name = association_target(&r.log_group_name, &r.resource_identifier)?;
    authorize(world, ctx, "logs:DisassociateKmsKey", &group_resource(ctx, name), audit)?;
    find(world, ctx, name)?;
    set_key(world, ctx, name, None);
    Ok(EmptyResponse {})
}

pub(crate) fn delete(
    world: &mut World,
    ctx: &CallContext,
    r: &DeleteLogGroupRequest,
    audit: &mut CallAudit,
) -> Result<EmptyResponse, LogsError> {
    let name = required(&r.log_group_name, "logGroupName")?;
    authorize(world, ctx, "logs:DeleteLogGroup", &group_resource(ctx, name), audit)?;
    world
        .services
        .logs
        .groups
        .remove(&slot(&ctx.account, &ctx.region, name))
        .map(|_| EmptyResponse {})
        .ok_or_else(not_found_group)
}

/// Reads a page token (`START` as decimal) of the lab's listings.
pub(crate) fn page_start(token: Option<&String>) -> Result<usize, LogsError> {
    match token {
        None => Ok(0),
        Some(t) => t
            .parse()
            .map_err(|_| LogsError::InvalidParameter("The specified nextToken is invalid.".into())),
    }
}

/// `limit` (1–50, default 50) of a listing.
pub(crate) fn page_limit(limit: Option<i64>) -> Result<usize, LogsError> {
    let n = limit.unwrap_or(50);
    if !(1..=50).contains(&n) {
        return Err(LogsError::InvalidParameter(format!(
            "1 validation error detected: Value '{n}' at 'limit' failed to satisfy constraint: Member must have value between 1 and 50"
        )));
    }
    Ok(usize::try_from(n).unwrap_or(50))
}

pub(crate) fn describe(
    world: &mut World,
    ctx: &CallContext,
    r: &DescribeLogGroupsRequest,
    audit: &mut CallAudit,
) -> Result<DescribeLogGroupsResponse, LogsError> {
    authorize(
        world,
        ctx,
        "logs:DescribeLogGroups",
        &format!("arn:aws:logs:{}:{}:log-group:*", ctx.region, ctx.account),
        audit,
    )?;
    if r.log_group_name_prefix.is_some() && r.log_group_name_pattern.is_some() {
        return Err(LogsError::InvalidParameter(
            "LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters."
                .into(),
        ));
    }
    let limit = page_limit(r.limit)?;
    let start = page_start(r.next_token.as_ref())?;
    let pattern = r.log_group_name_pattern.as_ref().map(|p| p.to_lowercase());
    let matching: Vec<&StoredGroup> = world
        .services
        .logs
        .groups
        .values()
        .filter(|g| g.account == ctx.account && g.region == ctx.region)
        .filter(|g| {
            r.log_group_name_prefix
                .as_ref()
                .is_none_or(|p| g.name.starts_with(p.as_str()))
        })
        .filter(|g| {
            pattern
                .as_ref()
                .is_none_or(|p| g.name.to_lowercase().contains(p.as_str()))
        })
        .filter(|g| r.log_group_class.as_ref().is_none_or(|c| &g.class == c))
        .collect();
    let log_groups = matching
        .iter()
        .skip(start)
        .take(limit)
        .map(|g| LogGroup {
            log_group_name: g.name.clone(),
            creation_time: g.created_ms,
            metric_filter_count: 0,
            arn: format!("{}:*", g.arn()),
            stored_bytes: i64::try_from(g.stored_bytes()).unwrap_or(i64::MAX),
            kms_key_id: g.kms_key_id.clone(),
            log_group_class: g.class.clone(),
            log_group_arn: g.arn(),
        })
        .collect();
    let next = start.saturating_add(limit);
    Ok(DescribeLogGroupsResponse {
        log_groups,
        next_token: (next < matching.len()).then(|| next.to_string()),
    })
}
