//! The Secrets Manager operations: secrets and their versions (create, read, put, update,
//! staging labels), describe and list, deletion with a recovery window, tags, resource
//! policies, and random passwords (rotation is in `rotation`).

use std::collections::BTreeMap;

use super::auth::authorize;
use super::error::{marked_for_deletion, missing, no_secret, required, too_long};
use super::model::{
    ApiErrorType, BatchGetSecretValueRequest, BatchGetSecretValueResponse, CreateSecretRequest,
    DeleteSecretRequest, DeleteSecretResponse, DescribeSecretRequest, EmptyResponse, Filter,
    GetSecretValueRequest, ListSecretVersionIdsRequest, ListSecretVersionIdsResponse,
    ListSecretsRequest, ListSecretsResponse, PutSecretValueRequest,
    RestoreSecretRequest, SecretMetadata, SecretRef,
    SecretValue, SecretVersionResponse, SecretVersionsListEntry, TagResourceRequest,
    UntagResourceRequest, UpdateSecretRequest, UpdateSecretVersionStageRequest,
};
use super::{
    AWSCURRENT, AWSPENDING, AWSPREVIOUS, DEFAULT_KEY, MAX_SECRET_BYTES, SecretsManagerError,
    StoredSecret, StoredVersion, open, seal,
};
use crate::World;
use crate::cloudtrail::CallAudit;
use crate::context::CallContext;
use crate::kms::model::Blob;

type Result<T> = std::result::Result<T, SecretsManagerError>;

const RESOURCE_TYPE: &str = "AWS::SecretsManager::Secret";
const MAX_TAGS: usize = 50;
const MAX_VERSIONS: usize = 100;
const DAY_MS: i64 = 86_400_000;
/// What only the owning service may do to a secret it manages.
const MANAGED_BY_OWNER: &[&str] = &[
    "PutSecretValue",
    "UpdateSecret",
    "UpdateSecretVersionStage",
    "DeleteSecret",
    "CancelRotateSecret",
];

fn epoch(ms: i64) -> f64 {
    #[expect(clippy::cast_precision_loss, reason = "ms timestamps fit f64 exactly")]
    let secs = ms as f64 / 1000.0;
    secs
}

pub(super) fn invalid(m: impl Into<String>) -> SecretsManagerError {
    SecretsManagerError::InvalidParameterException(m.into())
}

fn invalid_request(m: impl Into<String>) -> SecretsManagerError {
    SecretsManagerError::InvalidRequestException(m.into())
}

/// A secret's ARN for a name in the caller's account and Region (without the random suffix:
/// what IAM sees for a secret that does not exist yet).
pub(super) fn arn_prefix(region: &str, account: &str, name: &str) -> String {
    format!("arn:aws:secretsmanager:{region}:{account}:secret:{name}")
}

/// What a `SecretId` names: the owner's account and Region, the secret's key in the world (if
/// it exists) and the ARN IAM evaluates.
struct Target {
    account: String,
    key: Option<String>,
    arn: String,
}

/// Resolves a name (the caller's account and Region), a full ARN or a partial ARN (without the
/// six random characters).
fn resolve(world: &World, ctx: &CallContext, id: &str) -> Target {
    let secrets = &world.services.secretsmanager.secrets;
    if let Some(rest) = id.strip_prefix("arn:aws:secretsmanager:") {
        let mut parts = rest.splitn(3, ':');
        let region = parts.next().unwrap_or_default().to_owned();
        let account = parts.next().unwrap_or_default().to_owned();
        let name = parts
            .next()
            .and_then(|r| r.strip_prefix("secret:"))
            .unwrap_or_default()
            .to_owned();
        let key = if secrets.contains_key(id) {
            Some(id.to_owned())
        } else {
            secrets
                .values()
                .find(|s| s.account == account && s.region == region && s.name == name)
                .map(|s| s.arn.clone())
        };
        return Target {
            account,
            key,
            arn: id.to_owned(),
        };
    }
    let found = secrets
        .values()
        .find(|s| s.account == ctx.account && s.region == ctx.region && s.name == id);
    Target {
        account: ctx.account.clone(),
        key: found.map(|s| s.arn.clone()),
        arn: found.map_or_else(
            || arn_prefix(&ctx.region, &ctx.account, id),
            |s| s.arn.clone(),
        ),
    }
}

/// The secret `SecretId` names, once `secretsmanager:ACTION` on it is authorized; a secret in
/// its recovery window only when `deleted_ok`.
pub(super) fn lookup(
    world: &World,
    ctx: &CallContext,
    id: &Option<String>,
    action: &str,
    deleted_ok: bool,
    audit: &mut CallAudit,
) -> Result<StoredSecret> {
    let id = required(id, "secretId")?;
    if id.is_empty() || id.len() > 2048 {
        return Err(SecretsManagerError::ValidationException(format!(
            "1 validation error detected: Value '{id}' at 'secretId' failed to satisfy constraint: Member must have length between 1 and 2048"
        )));
    }
    let t = resolve(world, ctx, id);
    let secret = t
        .key
        .as_ref()
        .and_then(|k| world.services.secretsmanager.secrets.get(k));
    let policy = secret.and_then(|s| s.policy.as_deref());
    authorize(world, ctx, action, &t.arn, &t.account, policy, audit)?;
    let secret = secret.cloned().ok_or_else(no_secret)?;
    audit.resource(&secret.account, RESOURCE_TYPE, &secret.arn);
    if secret.deletion_due_ms.is_some() && !deleted_ok {
        return Err(marked_for_deletion());
    }
    // A secret another service manages changes only through that service.
    if MANAGED_BY_OWNER.contains(&action)
        && let Some(service) = super::rotation::owning_service(&secret)
    {
        return Err(invalid_request(format!(
            "The secret {} is managed by {service}, and you must use that service to update it.",
            secret.name
        )));
    }
    Ok(secret)
}

pub(super) fn save(world: &mut World, s: StoredSecret) {
    world
        .services
        .secretsmanager
        .secrets
        .insert(s.arn.clone(), s);
}

/// Checks a new secret's name (ASCII letters, digits and `/_+=.@-`, at most 512 characters).
fn validate_name(name: &str) -> Result<()> {
    if name.len() > 512 {
        return Err(too_long("name", 512));
    }
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/_+=.@-".contains(c))
    {
        return Err(invalid(
            "Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!",
        ));
    }
    Ok(())
}

/// The value of a write: (bytes, binary?), or `None` when the request carries none.
fn value_of(string: &Option<String>, binary: &Option<Blob>) -> Result<Option<(Vec<u8>, bool)>> {
    match (string, binary) {
        (Some(_), Some(_)) => Err(invalid(
            "You can't specify both a binary secret value and a string secret value in the same secret.",
        )),
        (Some(s), None) => {
            if s.len() > MAX_SECRET_BYTES {
                return Err(too_long("secretString", MAX_SECRET_BYTES));
            }
            if s.is_empty() {
                return Err(SecretsManagerError::ValidationException(
                    "1 validation error detected: Value at 'secretString' failed to satisfy constraint: Member must have length greater than or equal to 1".into(),
                ));
            }
            Ok(Some((s.as_bytes().to_vec(), false)))
        }
        (None, Some(b)) => {
            if b.0.len() > MAX_SECRET_BYTES {
                return Err(too_long("secretBinary", MAX_SECRET_BYTES));
            }
            if b.0.is_empty() {
                return Err(SecretsManagerError::ValidationException(
                    "1 validation error detected: Value at 'secretBinary' failed to satisfy constraint: Member must have length greater than or equal to 1".into(),
                ));
            }
            Ok(Some((b.0.clone(), true)))
        }
        (None, None) => Ok(None),
    }
}

/// A version id: the request's `ClientRequestToken` (32–64 characters) or a new UUID.
fn version_id(world: &mut World, token: &Option<String>) -> Result<String> {
    match token {
        Some(t) if !(32..=64).contains(&t.len()) => Err(SecretsManagerError::ValidationException(
            format!(
                "1 validation error detected: Value '{t}' at 'clientRequestToken' failed to satisfy constraint: Member must have length between 32 and 64"
            ),
        )),
        Some(t) => Ok(t.clone()),
        None => Ok(world.rng.uuid()),
    }
}

fn check_description(d: &Option<String>) -> Result<()> {
    match d {
        Some(d) if d.len() > 2048 => Err(too_long("description", 2048)),
        _ => Ok(()),
    }
}

/// Six random characters from the world's RNG (the end of every secret ARN).
pub(super) fn suffix(world: &mut World) -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    world
        .rng
        .bytes(6)
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect()
}

/// Attaches `stage` to version `id` (and only to it); moving `AWSCURRENT` hands `AWSPREVIOUS`
/// to the version that had it.
fn attach(s: &mut StoredSecret, id: &str, stage: &str) {
    let previous_current = (stage == AWSCURRENT)
        .then(|| s.version_by_stage(AWSCURRENT).map(|v| v.id.clone()))
        .flatten()
        .filter(|p| p != id);
    for v in &mut s.versions {
        if v.id != id {
            v.stages.retain(|x| x != stage);
        }
    }
    if let Some(prev) = previous_current {
        for v in &mut s.versions {
            v.stages.retain(|x| x != AWSPREVIOUS);
        }
        if let Some(v) = s.versions.iter_mut().find(|v| v.id == prev) {
            v.stages.push(AWSPREVIOUS.to_owned());
        }
    }
    if let Some(v) = s.versions.iter_mut().find(|v| v.id == id)
        && !v.stages.iter().any(|x| x == stage)
    {
        v.stages.push(stage.to_owned());
    }
}

/// Drops the oldest versions without a label beyond the versions Secrets Manager keeps.
fn trim_versions(s: &mut StoredSecret) {
    while s.versions.len() > MAX_VERSIONS {
        match s.versions.iter().position(|v| v.stages.is_empty()) {
            Some(i) => {
                s.versions.remove(i);
            }
            None => break,
        }
    }
}

/// The key new versions of `s` are encrypted under.
fn key_of(s: &StoredSecret) -> String {
    s.kms_key_id.clone().unwrap_or_else(|| DEFAULT_KEY.to_owned())
}

/// Whether `key` names the AWS managed key (kept as `None`).
fn is_default_key(ctx: &CallContext, key: &str) -> bool {
    key == DEFAULT_KEY
        || key
            == format!(
                "arn:aws:kms:{}:{}:{DEFAULT_KEY}",
                ctx.region, ctx.account
            )
}

/// Encrypts a new version of `s` and adds it with `stages`.
pub(super) fn add_version(
    world: &mut World,
    ctx: &CallContext,
    s: &mut StoredSecret,
    id: &str,
    value: &(Vec<u8>, bool),
    stages: &[String],
    audit: &mut CallAudit,
) -> Result<()> {
    let key = key_of(s);
    let env = seal(world, ctx, &key, &s.arn, id, &value.0, audit)?;
    s.versions.push(StoredVersion {
        id: id.to_owned(),
        stages: Vec::new(),
        created_ms: world.now_ms(),
        binary: value.1,
        envelopes: vec![env],
        last_accessed_ms: None,
    });
    for st in stages {
        attach(s, id, st);
    }
    trim_versions(s);
    s.changed_ms = world.now_ms();
    Ok(())
}

fn write_response(s: &StoredSecret, version: Option<String>) -> SecretVersionResponse {
    SecretVersionResponse {
        arn: s.arn.clone(),
        name: s.name.clone(),
        version_id: version,
        version_stages: None,
    }
}

fn check_tags(tags: &[super::model::Tag]) -> Result<()> {
    if tags.len() > MAX_TAGS {
        return Err(SecretsManagerError::LimitExceededException(
            "The request failed because it would exceed the quota of 50 tags per secret.".into(),
        ));
    }
    for t in tags {
        if t.key.is_empty() || t.key.len() > 128 {
            return Err(SecretsManagerError::ValidationException(
                "1 validation error detected: Value at 'tags.member.key' failed to satisfy constraint: Member must have length between 1 and 128".into(),
            ));
        }
        if t.value.len() > 256 {
            return Err(too_long("tags.member.value", 256));
        }
    }
    Ok(())
}

pub(super) fn create(
    world: &mut World,
    ctx: &CallContext,
    r: &CreateSecretRequest,
    audit: &mut CallAudit,
) -> Result<SecretVersionResponse> {
    let name = required(&r.name, "name")?.clone();
    let prefix = arn_prefix(&ctx.region, &ctx.account, &name);
    authorize(world, ctx, "CreateSecret", &prefix, &ctx.account, None, audit)?;
    validate_name(&name)?;
    check_description(&r.description)?;
    let value = value_of(&r.secret_string, &r.secret_binary)?;
    let tags = r.tags.clone().unwrap_or_default();
    check_tags(&tags)?;
    if let Some(existing) = world
        .services
        .secretsmanager
        .secrets
        .values()
        .find(|s| s.account == ctx.account && s.region == ctx.region && s.name == name)
    {
        return Err(if existing.deletion_due_ms.is_some() {
            invalid_request(
                "You can't create this secret because a secret with this name is already scheduled for deletion.",
            )
        } else {
            SecretsManagerError::ResourceExistsException(format!(
                "The operation failed because the secret {name} already exists."
            ))
        });
    }
    let id = version_id(world, &r.client_request_token)?;
    let arn = format!("{prefix}-{}", suffix(world));
    audit.resource(&ctx.account, RESOURCE_TYPE, &arn);
    let now = world.now_ms();
    let mut s = StoredSecret {
        name,
        arn,
        account: ctx.account.clone(),
        region: ctx.region.clone(),
        description: r.description.clone(),
        kms_key_id: r
            .kms_key_id
            .clone()
            .filter(|k| !is_default_key(ctx, k)),
        r#type: r.r#type.clone(),
        versions: Vec::new(),
        tags,
        policy: None,
        created_ms: now,
        changed_ms: now,
        accessed_ms: None,
        deletion_due_ms: None,
        rotation_lambda_arn: None,
        rotation_rules: None,
        last_rotated_ms: None,
        schedule_from_ms: None,
        rotation_queued: None,
        rotation_failed_ms: None,
    };
    let version = match &value {
        Some(v) => {
            add_version(world, ctx, &mut s, &id, v, &[AWSCURRENT.to_owned()], audit)?;
            Some(id)
        }
        None => None,
    };
    let resp = write_response(&s, version);
    audit.response_elements = serde_json::json!({
        "arn": resp.arn, "name": resp.name, "versionId": resp.version_id,
    });
    save(world, s);
    Ok(resp)
}

/// The version a read names: by id and/or label (default `AWSCURRENT`).
fn pick<'s>(
    s: &'s StoredSecret,
    version_id: Option<&str>,
    stage: Option<&str>,
) -> Result<&'s StoredVersion> {
    match (version_id, stage) {
        (Some(id), stage) => s
            .versions
            .iter()
            .find(|v| v.id == id && stage.is_none_or(|st| v.stages.iter().any(|x| x == st)))
            .ok_or_else(|| {
                SecretsManagerError::ResourceNotFoundException(format!(
                    "Secrets Manager can't find the specified secret value for VersionId: {id}"
                ))
            }),
        (None, stage) => {
            let stage = stage.unwrap_or(AWSCURRENT);
            s.version_by_stage(stage).ok_or_else(|| {
                SecretsManagerError::ResourceNotFoundException(format!(
                    "Secrets Manager can't find the specified secret value for staging label: {stage}"
                ))
            })
        }
    }
}

/// Reads and decrypts a version (recording the day of access).
fn read(
    world: &mut World,
    ctx: &CallContext,
    s: &StoredSecret,
    version_id: Option<&str>,
    stage: Option<&str>,
    audit: &mut CallAudit,
) -> Result<SecretValue> {
    let v = pick(s, version_id, stage)?.clone();
    let plain = open(world, ctx, &s.arn, &v, audit)?;
    let day = world.now_ms().div_euclid(DAY_MS) * DAY_MS;
    if let Some(stored) = world.services.secretsmanager.secrets.get_mut(&s.arn) {
        stored.accessed_ms = Some(day);
        if let Some(sv) = stored.versions.iter_mut().find(|x| x.id == v.id) {
            sv.last_accessed_ms = Some(day);
        }
    }
    let (secret_string, secret_binary) = if v.binary {
        (None, Some(Blob(plain)))
    } else {
        (
            Some(String::from_utf8(plain).map_err(|_| {
                SecretsManagerError::InternalServiceError("the stored value is not text".into())
            })?),
            None,
        )
    };
    Ok(SecretValue {
        arn: s.arn.clone(),
        name: s.name.clone(),
        version_id: v.id.clone(),
        secret_binary,
        secret_string,
        version_stages: v.stages.clone(),
        created_date: epoch(v.created_ms),
    })
}

pub(super) fn get(
    world: &mut World,
    ctx: &CallContext,
    r: &GetSecretValueRequest,
    audit: &mut CallAudit,
) -> Result<SecretValue> {
    let s = lookup(world, ctx, &r.secret_id, "GetSecretValue", false, audit)?;
    read(
        world,
        ctx,
        &s,
        r.version_id.as_deref(),
        r.version_stage.as_deref(),
        audit,
    )
}

/// An offset page of `items`: the page and the next token.
fn page<T: Clone>(
    items: &[T],
    token: Option<&str>,
    max: usize,
) -> Result<(Vec<T>, Option<String>)> {
    let start = match token {
        None => 0,
        Some(t) => t
            .strip_prefix("smpage-")
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|n| *n <= items.len())
            .ok_or_else(|| {
                SecretsManagerError::InvalidNextTokenException(
                    "The NextToken value is invalid.".into(),
                )
            })?,
    };
    let end = start.saturating_add(max).min(items.len());
    let next = (end < items.len()).then(|| format!("smpage-{end}"));
    Ok((items.get(start..end).unwrap_or_default().to_vec(), next))
}

fn max_results(v: Option<i64>, default: usize, max: usize) -> Result<usize> {
    match v {
        None => Ok(default),
        Some(n) => usize::try_from(n)
            .ok()
            .filter(|n| (1..=max).contains(n))
            .ok_or_else(|| {
                SecretsManagerError::ValidationException(format!(
                    "1 validation error detected: Value '{n}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and {max}"
                ))
            }),
    }
}

const FILTER_KEYS: &[&str] = &[
    "description",
    "name",
    "tag-key",
    "tag-value",
    "primary-region",
    "owning-service",
    "all",
];

fn check_filters(filters: &[Filter]) -> Result<()> {
    for f in filters {
        let key = f.key.as_deref().unwrap_or_default();
        if !FILTER_KEYS.contains(&key) {
            return Err(SecretsManagerError::ValidationException(format!(
                "1 validation error detected: Value '{key}' at 'filters.1.member.key' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
                FILTER_KEYS.join(", ")
            )));
        }
        if f.values.as_ref().is_none_or(Vec::is_empty) {
            return Err(invalid("Invalid filter values. A filter must have at least one value."));
        }
    }
    Ok(())
}

/// Whether `s` passes every filter (values: prefix match, case-sensitive; a leading `!` negates).
fn matches(s: &StoredSecret, filters: &[Filter]) -> bool {
    filters.iter().all(|f| {
        let fields: Vec<&str> = match f.key.as_deref().unwrap_or_default() {
            "name" => vec![s.name.as_str()],
            "description" => s.description.as_deref().into_iter().collect(),
            "tag-key" => s.tags.iter().map(|t| t.key.as_str()).collect(),
            "tag-value" => s.tags.iter().map(|t| t.value.as_str()).collect(),
            "primary-region" => vec![s.region.as_str()],
            "owning-service" => Vec::new(),
            _ => {
                let mut all = vec![s.name.as_str()];
                all.extend(s.description.as_deref());
                all.extend(s.tags.iter().flat_map(|t| [t.key.as_str(), t.value.as_str()]));
                all
            }
        };
        f.values.iter().flatten().any(|want| match want.strip_prefix('!') {
            Some(neg) => !fields.iter().any(|x| x.starts_with(neg)),
            None => fields.iter().any(|x| x.starts_with(want.as_str())),
        })
    })
}

fn stages_map(s: &StoredSecret) -> BTreeMap<String, Vec<String>> {
    s.versions
        .iter()
        .filter(|v| !v.stages.is_empty())
        .map(|v| (v.id.clone(), v.stages.clone()))
        .collect()
}

fn metadata(s: &StoredSecret, list: bool) -> SecretMetadata {
    let stages = stages_map(s);
    let stages = (!stages.is_empty()).then_some(stages);
    SecretMetadata {
        arn: s.arn.clone(),
        name: s.name.clone(),
        r#type: s.r#type.clone(),
        description: s.description.clone(),
        kms_key_id: s.kms_key_id.clone(),
        // Managed rotation (a secret another service manages) has rules and no function.
        rotation_enabled: (s.rotation_lambda_arn.is_some() || s.rotation_rules.is_some())
            .then_some(true),
        rotation_lambda_arn: s.rotation_lambda_arn.clone(),
        rotation_rules: s.rotation_rules.clone(),
        last_rotated_date: s.last_rotated_ms.map(epoch),
        last_changed_date: Some(epoch(s.changed_ms)),
        last_accessed_date: s.accessed_ms.map(epoch),
        deleted_date: s.deletion_due_ms.map(epoch),
        next_rotation_date: s
            .rotation_lambda_arn
            .as_ref()
            .and(super::rotation::next_rotation_ms(s))
            .map(epoch),
        tags: (!s.tags.is_empty()).then(|| s.tags.clone()),
        version_ids_to_stages: if list { None } else { stages.clone() },
        secret_versions_to_stages: if list { stages } else { None },
        owning_service: super::rotation::owning_service(s).map(str::to_owned),
        created_date: epoch(s.created_ms),
    }
}

/// The caller's secrets (Region and account) that pass `filters`.
fn listed(
    world: &World,
    ctx: &CallContext,
    filters: &[Filter],
    planned_deletion: bool,
) -> Vec<StoredSecret> {
    world
        .services
        .secretsmanager
        .secrets
        .values()
        .filter(|s| s.account == ctx.account && s.region == ctx.region)
        .filter(|s| planned_deletion || s.deletion_due_ms.is_none())
        .filter(|s| matches(s, filters))
        .cloned()
        .collect()
}

pub(super) fn batch_get(
    world: &mut World,
    ctx: &CallContext,
    r: &BatchGetSecretValueRequest,
    audit: &mut CallAudit,
) -> Result<BatchGetSecretValueResponse> {
    authorize(
        world,
        ctx,
        "BatchGetSecretValue",
        "*",
        &ctx.account,
        None,
        audit,
    )?;
    let ids: Vec<String> = match (&r.secret_id_list, &r.filters) {
        (Some(_), Some(_)) | (None, None) => {
            return Err(invalid(
                "Either 'SecretIdList' or 'Filters' must be provided, but not both.",
            ));
        }
        (Some(list), None) => {
            if list.is_empty() || list.len() > 20 {
                return Err(SecretsManagerError::ValidationException(
                    "1 validation error detected: Value at 'secretIdList' failed to satisfy constraint: Member must have length between 1 and 20".into(),
                ));
            }
            if r.max_results.is_some() {
                return Err(invalid(
                    "'MaxResults' can only be used with 'Filters', not with 'SecretIdList'.",
                ));
            }
            list.to_vec()
        }
        (None, Some(filters)) => {
            check_filters(filters)?;
            authorize(world, ctx, "ListSecrets", "*", &ctx.account, None, audit)?;
            listed(world, ctx, filters, false)
                .into_iter()
                .map(|s| s.arn)
                .collect()
        }
    };
    let max = max_results(r.max_results, 20, 20)?;
    let (ids, next_token) = if r.filters.is_some() {
        page(&ids, r.next_token.as_deref(), max)?
    } else {
        (ids, None)
    };
    let mut secret_values = Vec::new();
    let mut errors = Vec::new();
    for id in ids {
        let got = lookup(world, ctx, &Some(id.clone()), "GetSecretValue", false, audit)
            .and_then(|s| read(world, ctx, &s, None, None, audit));
        match got {
            Ok(v) => secret_values.push(v),
            Err(e) => errors.push(ApiErrorType {
                secret_id: id,
                error_code: e.code().to_owned(),
                message: e.to_string(),
            }),
        }
    }
    Ok(BatchGetSecretValueResponse {
        secret_values,
        next_token,
        errors,
    })
}

pub(super) fn put(
    world: &mut World,
    ctx: &CallContext,
    r: &PutSecretValueRequest,
    audit: &mut CallAudit,
) -> Result<SecretVersionResponse> {
    let mut s = lookup(world, ctx, &r.secret_id, "PutSecretValue", false, audit)?;
    let value = value_of(&r.secret_string, &r.secret_binary)?
        .ok_or_else(|| invalid("You must provide either SecretString or SecretBinary."))?;
    let stages = r
        .version_stages
        .as_ref()
        .map_or_else(|| vec![AWSCURRENT.to_owned()], |v| v.to_vec());
    if stages.len() > 20 {
        return Err(SecretsManagerError::ValidationException(
            "1 validation error detected: Value at 'versionStages' failed to satisfy constraint: Member must have length less than or equal to 20".into(),
        ));
    }
    let id = version_id(world, &r.client_request_token)?;
    if let Some(existing) = s.versions.iter().find(|v| v.id == id).cloned() {
        let same = existing.binary == value.1 && open(world, ctx, &s.arn, &existing, audit)? == value.0;
        if !same {
            return Err(SecretsManagerError::ResourceExistsException(
                "You can't modify an existing version, you can only create a new version.".into(),
            ));
        }
        return Ok(SecretVersionResponse {
            version_stages: Some(existing.stages.clone()),
            ..write_response(&s, Some(id))
        });
    }
    add_version(world, ctx, &mut s, &id, &value, &stages, audit)?;
    let final_stages = s
        .versions
        .iter()
        .find(|v| v.id == id)
        .map(|v| v.stages.clone())
        .unwrap_or_default();
    let resp = SecretVersionResponse {
        version_stages: Some(final_stages),
        ..write_response(&s, Some(id))
    };
    audit.response_elements = serde_json::json!({
        "arn": resp.arn, "name": resp.name, "versionId": resp.version_id, "versionStages": resp.version_stages,
    });
    save(world, s);
    Ok(resp)
}

pub(super) fn describe(
    world: &World,
    ctx: &CallContext,
    r: &DescribeSecretRequest,
    audit: &mut CallAudit,
) -> Result<Box<SecretMetadata>> {
    let s = lookup(world, ctx, &r.secret_id, "DescribeSecret", true, audit)?;
    Ok(Box::new(metadata(&s, false)))
}

pub(super) fn list(
    world: &World,
    ctx: &CallContext,
    r: &ListSecretsRequest,
    audit: &mut CallAudit,
) -> Result<ListSecretsResponse> {
    authorize(world, ctx, "ListSecrets", "*", &ctx.account, None, audit)?;
    let max = max_results(r.max_results, 100, 100)?;
    let filters = r.filters.clone().unwrap_or_default();
    check_filters(&filters)?;
    let mut found = listed(world, ctx, &filters, r.include_planned_deletion == Some(true));
    // One stable sort with the order picked here (one copy of the sort, not four).
    let order: fn(&StoredSecret, &StoredSecret) -> std::cmp::Ordering = match r.sort_by.as_deref()
    {
        Some("name") => |a, b| a.name.cmp(&b.name),
        Some("last-changed-date") => |a, b| a.changed_ms.cmp(&b.changed_ms),
        Some("last-accessed-date") => |a, b| a.accessed_ms.cmp(&b.accessed_ms),
        _ => |a, b| a.created_ms.cmp(&b.created_ms),
    };
    found.sort_by(order);
    match r.sort_order.as_deref() {
        None | Some("desc") => found.reverse(),
        Some("asc") => {}
        Some(other) => {
            return Err(SecretsManagerError::ValidationException(format!(
                "1 validation error detected: Value '{other}' at 'sortOrder' failed to satisfy constraint: Member must satisfy enum value set: [asc, desc]"
            )));
        }
    }
    let all: Vec<SecretMetadata> = found.iter().map(|s| metadata(s, true)).collect();
    let (secret_list, next_token) = page(&all, r.next_token.as_deref(), max)?;
    Ok(ListSecretsResponse {
        secret_list,
        next_token,
    })
}

pub(super) fn list_versions(
    world: &World,
    ctx: &CallContext,
    r: &ListSecretVersionIdsRequest,
    audit: &mut CallAudit,
) -> Result<ListSecretVersionIdsResponse> {
    let s = lookup(world, ctx, &r.secret_id, "ListSecretVersionIds", true, audit)?;
    let max = max_results(r.max_results, 100, 100)?;
    let deprecated = r.include_deprecated == Some(true);
    let all: Vec<SecretVersionsListEntry> = s
        .versions
        .iter()
        .rev()
        .filter(|v| deprecated || !v.stages.is_empty())
        .map(|v| SecretVersionsListEntry {
            version_id: v.id.clone(),
            version_stages: v.stages.clone(),
            last_accessed_date: v.last_accessed_ms.map(epoch),
            created_date: epoch(v.created_ms),
            kms_key_ids: v.envelopes.iter().map(|e| e.key_arn.clone()).collect(),
        })
        .collect();
    let (versions, next_token) = page(&all, r.next_token.as_deref(), max)?;
    Ok(ListSecretVersionIdsResponse {
        versions,
        next_token,
        arn: s.arn,
        name: s.name,
    })
}

pub(super) fn update(
    world: &mut World,
    ctx: &CallContext,
    r: &UpdateSecretRequest,
    audit: &mut CallAudit,
) -> Result<SecretVersionResponse> {
    let mut s = lookup(world, ctx, &r.secret_id, "UpdateSecret", false, audit)?;
    check_description(&r.description)?;
    let value = value_of(&r.secret_string, &r.secret_binary)?;
    if let Some(d) = &r.description {
        s.description = Some(d.clone());
    }
    if let Some(t) = &r.r#type {
        s.r#type = Some(t.clone());
    }
    if let Some(key) = &r.kms_key_id
        && *key != key_of(&s)
    {
        s.kms_key_id = (!is_default_key(ctx, key)).then(|| key.clone());
        // Re-encrypt the labelled versions under the new key when the caller can still open
        // them with the old one; keep the old envelopes (either key opens them).
        for i in 0..s.versions.len() {
            let Some(v) = s.versions.get(i).cloned() else {
                continue;
            };
            let labelled = v
                .stages
                .iter()
                .any(|x| x == AWSCURRENT || x == AWSPENDING || x == AWSPREVIOUS);
            if !labelled {
                continue;
            }
            let Ok(plain) = open(world, ctx, &s.arn, &v, audit) else {
                continue;
            };
            let env = seal(world, ctx, key, &s.arn, &v.id, &plain, audit)?;
            if let Some(sv) = s.versions.get_mut(i) {
                sv.envelopes.retain(|e| e.key_arn != env.key_arn);
                sv.envelopes.insert(0, env);
            }
        }
    }
    let version = match &value {
        Some(v) => {
            let id = version_id(world, &r.client_request_token)?;
            if s.versions.iter().any(|x| x.id == id) {
                return Err(SecretsManagerError::ResourceExistsException(
                    "You can't modify an existing version, you can only create a new version."
                        .into(),
                ));
            }
            add_version(world, ctx, &mut s, &id, v, &[AWSCURRENT.to_owned()], audit)?;
            Some(id)
        }
        None => None,
    };
    s.changed_ms = world.now_ms();
    let resp = write_response(&s, version);
    audit.response_elements = serde_json::json!({
        "arn": resp.arn, "name": resp.name, "versionId": resp.version_id,
    });
    save(world, s);
    Ok(resp)
}

pub(super) fn update_stage(
    world: &mut World,
    ctx: &CallContext,
    r: &UpdateSecretVersionStageRequest,
    audit: &mut CallAudit,
) -> Result<SecretRef> {
    let mut s = lookup(
        world,
        ctx,
        &r.secret_id,
        "UpdateSecretVersionStage",
        false,
        audit,
    )?;
    let stage = required(&r.version_stage, "versionStage")?.clone();
    let holder = s.version_by_stage(&stage).map(|v| v.id.clone());
    for id in [&r.remove_from_version_id, &r.move_to_version_id]
        .into_iter()
        .flatten()
    {
        if !s.versions.iter().any(|v| v.id == *id) {
            return Err(invalid(format!(
                "The version {id} doesn't exist on the secret."
            )));
        }
    }
    match (&r.remove_from_version_id, &r.move_to_version_id) {
        (None, None) => {
            return Err(invalid(
                "You must specify at least one of RemoveFromVersionId and MoveToVersionId.",
            ));
        }
        (remove, Some(to)) => {
            if let Some(h) = &holder
                && h != to
                && remove.as_ref() != Some(h)
            {
                return Err(invalid(format!(
                    "The parameter RemoveFromVersionId can't be empty. Staging label {stage} is currently attached to version {h}, so you must explicitly reference that version in RemoveFromVersionId."
                )));
            }
            attach(&mut s, to, &stage);
        }
        (Some(from), None) => {
            if holder.as_ref() != Some(from) {
                return Err(invalid(format!(
                    "The staging label {stage} isn't attached to the version {from}."
                )));
            }
            if stage == AWSCURRENT {
                return Err(invalid(
                    "You can only move staging label AWSCURRENT to a different secret version. It can't be completely removed.",
                ));
            }
            if let Some(v) = s.versions.iter_mut().find(|v| v.id == *from) {
                v.stages.retain(|x| *x != stage);
            }
        }
    }
    s.changed_ms = world.now_ms();
    let resp = SecretRef {
        arn: s.arn.clone(),
        name: s.name.clone(),
    };
    save(world, s);
    Ok(resp)
}

pub(super) fn delete(
    world: &mut World,
    ctx: &CallContext,
    r: &DeleteSecretRequest,
    audit: &mut CallAudit,
) -> Result<DeleteSecretResponse> {
    let mut s = lookup(world, ctx, &r.secret_id, "DeleteSecret", true, audit)?;
    let force = r.force_delete_without_recovery == Some(true);
    if force && r.recovery_window_in_days.is_some() {
        return Err(invalid(
            "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
        ));
    }
    let now = world.now_ms();
    if force {
        world.services.secretsmanager.secrets.remove(&s.arn);
        return Ok(DeleteSecretResponse {
            arn: s.arn,
            name: s.name,
            deletion_date: epoch(now),
        });
    }
    if s.deletion_due_ms.is_some() {
        return Err(marked_for_deletion());
    }
    let days = r.recovery_window_in_days.unwrap_or(30);
    if !(7..=30).contains(&days) {
        return Err(invalid(
            "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).",
        ));
    }
    let due = now + days * DAY_MS;
    s.deletion_due_ms = Some(due);
    let resp = DeleteSecretResponse {
        arn: s.arn.clone(),
        name: s.name.clone(),
        deletion_date: epoch(due),
    };
    save(world, s);
    Ok(resp)
}

pub(super) fn restore(
    world: &mut World,
    ctx: &CallContext,
    r: &RestoreSecretRequest,
    audit: &mut CallAudit,
) -> Result<SecretRef> {
    let mut s = lookup(world, ctx, &r.secret_id, "RestoreSecret", true, audit)?;
    s.deletion_due_ms = None;
    let resp = SecretRef {
        arn: s.arn.clone(),
        name: s.name.clone(),
    };
    save(world, s);
    Ok(resp)
}

pub(super) fn tag(
    world: &mut World,
    ctx: &CallContext,
    r: &TagResourceRequest,
    audit: &mut CallAudit,
) -> Result<EmptyResponse> {
    let mut s = lookup(world, ctx, &r.secret_id, "TagResource", false, audit)?;
    let tags = r.tags.clone().ok_or_else(|| missing("tags"))?;
    let mut merged = s.tags.clone();
    for t in tags {
        match merged.iter_mut().find(|x| x.key == t.key) {
            Some(x) => x.value = t.value,
            None => merged.push(t),
        }
    }
    check_tags(&merged)?;
    s.tags = merged;
    save(world, s);
    Ok(EmptyResponse {})
}

pub(super) fn untag(
    world: &mut World,
    ctx: &CallContext,
    r: &UntagResourceRequest,
    audit: &mut CallAudit,
) -> Result<EmptyResponse> {
    let mut s = lookup(world, ctx, &r.secret_id, "UntagResource", false, audit)?;
    let keys = required(&r.tag_keys, "tagKeys")?.to_vec();
    s.tags.retain(|t| !keys.contains(&t.key));
    save(world, s);
    Ok(EmptyResponse {})
}
