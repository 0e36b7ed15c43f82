//! The Parameter Store operations: put (versions, tiers, encryption), the three reads with and
//! without decryption, history, delete, labels, describe with filters, and tags.

use super::error::{missing, not_in_enum, required};
use super::model::{
    AddTagsToResourceRequest, DeleteParameterRequest, DeleteParametersRequest,
    DeleteParametersResponse, DescribeParametersRequest, DescribeParametersResponse,
    EmptyResponse, GetParameterHistoryRequest, GetParameterHistoryResponse, GetParameterRequest,
    GetParameterResponse, GetParametersByPathRequest, GetParametersByPathResponse,
    GetParametersRequest, GetParametersResponse, LabelParameterVersionRequest,
    LabelParameterVersionResponse, ListTagsForResourceRequest, ListTagsForResourceResponse,
    Parameter, ParameterHistory, ParameterMetadata, ParameterStringFilter, PutParameterRequest,
    PutParameterResponse, Tag,
};
use super::{
    ADVANCED_MAX_BYTES, DEFAULT_KEY, MAX_VERSIONS, STANDARD_MAX_BYTES, SsmError, StoredParameter,
    StoredVersion, decrypt_value, encrypt_value, parameter_arn, slot,
};
use crate::World;
use crate::cloudtrail::CallAudit;
use crate::context::CallContext;

const TYPES: &[&str] = &["SecureString", "StringList", "String"];
const TIERS: &[&str] = &["Standard", "Advanced", "Intelligent-Tiering"];
const DATA_TYPES: &[&str] = &["text", "aws:ec2:image", "aws:ssm:integration"];
const MAX_TAGS: usize = 50;
const MAX_LABELS: usize = 10;

fn epoch(ms: i64) -> f64 {
    #[expect(clippy::cast_precision_loss, reason = "ms timestamps fit f64 exactly")]
    let secs = ms as f64 / 1000.0;
    secs
}

/// Authorizes `ssm:ACTION` on `resource` against the caller's identity policies.
fn authorize(
    world: &World,
    ctx: &CallContext,
    action: &str,
    resource: &str,
    audit: &mut CallAudit,
) -> Result<(), SsmError> {
    crate::authorize::identity_only(
        &world.iam,
        ctx,
        &format!("ssm:{action}"),
        resource,
        &[],
        world.now_ms(),
        &mut audit.authorizations,
    )
    .map_err(SsmError::AccessDeniedException)
}

/// The name as SSM reads it: surrounding spaces removed.
fn trimmed(name: &str) -> &str {
    name.trim_matches(' ')
}

fn name_rules() -> SsmError {
    SsmError::ValidationException(
        "Parameter name: can't be prefixed with \"aws\" or \"ssm\" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_".into(),
    )
}

/// Checks a new parameter's name against the naming rules of the PutParameter reference.
fn validate_name(ctx: &CallContext, name: &str) -> Result<(), SsmError> {
    if name.contains(' ') {
        return Err(SsmError::ValidationException(
            "Parameter name can't contain spaces.".into(),
        ));
    }
    if name.contains('/') && !name.starts_with('/') {
        return Err(SsmError::ValidationException(
            "Parameter name must be a fully qualified name.".into(),
        ));
    }
    let body = name.strip_prefix('/').unwrap_or(name);
    let segments: Vec<&str> = body.split('/').collect();
    let lower = body.to_ascii_lowercase();
    if body.is_empty()
        || lower.starts_with("aws")
        || lower.starts_with("ssm")
        || segments.iter().any(|s| s.is_empty())
        || !body
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | '/'))
    {
        return Err(name_rules());
    }
    if segments.len() > 15 {
        return Err(SsmError::HierarchyLevelLimitExceededException(
            "A hierarchy can have a maximum of 15 levels.".into(),
        ));
    }
    let arn_prefix = parameter_arn(&ctx.account, &ctx.region, "").len();
    if arn_prefix + body.len() > 1011 {
        return Err(SsmError::ValidationException(format!(
            "1 validation error detected: Value '{name}' at 'name' failed to satisfy constraint: Member must have length less than or equal to {}",
            1011 - arn_prefix
        )));
    }
    Ok(())
}

/// A name as the read operations take it: the name (or ARN) and its selector (`:3`, `:label`).
struct Selected {
    name: String,
    selector: Option<String>,
}

/// Splits `NAME[:SELECTOR]` (or `arn:aws:ssm:REGION:ACCOUNT:parameter/NAME[:SELECTOR]`).
fn select(ctx: &CallContext, raw: &str) -> Selected {
    let raw = trimmed(raw);
    let own = format!("arn:aws:ssm:{}:{}:parameter/", ctx.region, ctx.account);
    let (body, from_arn) = match raw.strip_prefix(&own) {
        Some(rest) => (rest.to_owned(), true),
        None => (raw.to_owned(), false),
    };
    let (name, selector) = match body.rsplit_once(':') {
        Some((n, s)) if !n.starts_with("arn") => (n.to_owned(), Some(format!(":{s}"))),
        _ => (body, None),
    };
    let name = if from_arn && name.contains('/') {
        format!("/{name}")
    } else {
        name
    };
    Selected { name, selector }
}

/// The caller's parameter `name` (an ARN's simple name matches with or without its slash).
fn find<'w>(world: &'w World, ctx: &CallContext, name: &str) -> Option<&'w StoredParameter> {
    let p = &world.services.ssm.parameters;
    p.get(&slot(&ctx.account, &ctx.region, name)).or_else(|| {
        (!name.starts_with('/'))
            .then(|| p.get(&slot(&ctx.account, &ctx.region, &format!("/{name}"))))
            .flatten()
    })
}

/// `ParameterNotFound`: SSM sends it without a message.
fn not_found() -> SsmError {
    SsmError::ParameterNotFound(String::new())
}

fn version_not_found(name: &str, selector: &str) -> SsmError {
    let what = selector.trim_start_matches(':');
    if what.chars().all(|c| c.is_ascii_digit()) {
        SsmError::ParameterVersionNotFound(format!(
            "Systems Manager could not find version {what} of {name}. Verify the version and try again."
        ))
    } else {
        SsmError::ParameterVersionNotFound(format!(
            "Systems Manager could not find label {what} of {name}. Verify the label and try again."
        ))
    }
}

/// The version a selector names (the latest without one).
fn pick<'p>(
    p: &'p StoredParameter,
    selector: Option<&str>,
) -> Result<&'p StoredVersion, SsmError> {
    let Some(sel) = selector else {
        return p.latest().ok_or_else(not_found);
    };
    let what = sel.trim_start_matches(':');
    let found = match what.parse::<u64>() {
        Ok(n) => p.versions.iter().find(|v| v.version == n),
        Err(_) => p.versions.iter().find(|v| v.labels.iter().any(|l| l == what)),
    };
    found.ok_or_else(|| version_not_found(&p.name, sel))
}

/// A version's value as the caller gets it: decrypted through KMS when asked for a
/// `SecureString`, else as stored (a `SecureString`'s ciphertext, with no KMS call).
fn value_of(
    world: &mut World,
    ctx: &CallContext,
    arn: &str,
    v: &StoredVersion,
    decrypt: bool,
    audit: &mut CallAudit,
) -> Result<String, SsmError> {
    if v.kind == "SecureString" && decrypt {
        decrypt_value(world, ctx, arn, v, audit)
    } else {
        Ok(v.value.clone())
    }
}

fn parameter_of(
    world: &mut World,
    ctx: &CallContext,
    p: &StoredParameter,
    v: &StoredVersion,
    selector: Option<String>,
    decrypt: bool,
    audit: &mut CallAudit,
) -> Result<Parameter, SsmError> {
    let arn = p.arn();
    let value = value_of(world, ctx, &arn, v, decrypt, audit)?;
    Ok(Parameter {
        name: p.name.clone(),
        r#type: v.kind.clone(),
        value,
        version: v.version,
        selector,
        last_modified_date: epoch(v.modified_ms),
        arn,
        data_type: v.data_type.clone(),
    })
}

pub(super) fn put(
    world: &mut World,
    ctx: &CallContext,
    r: &PutParameterRequest,
    audit: &mut CallAudit,
) -> Result<PutParameterResponse, SsmError> {
    let raw = required(&r.name, "name")?;
    let value = required(&r.value, "value")?;
    let name = trimmed(raw).to_owned();
    let arn = parameter_arn(&ctx.account, &ctx.region, &name);
    audit.resource(&ctx.account, "AWS::SSM::Parameter", &arn);
    authorize(world, ctx, "PutParameter", &arn, audit)?;
    validate_name(ctx, &name)?;
    if let Some(t) = &r.r#type
        && !TYPES.contains(&t.as_str())
    {
        return Err(not_in_enum(t, "type", TYPES));
    }
    if let Some(t) = &r.tier
        && !TIERS.contains(&t.as_str())
    {
        return Err(not_in_enum(t, "tier", TIERS));
    }
    if value.is_empty() {
        return Err(SsmError::ValidationException(
            "1 validation error detected: Value at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1".into(),
        ));
    }
    let data_type = r.data_type.clone().unwrap_or_else(|| "text".into());
    if !DATA_TYPES.contains(&data_type.as_str()) {
        return Err(SsmError::ValidationException(format!(
            "The following data type is not supported: {data_type} (Data type names are all lowercase.)"
        )));
    }
    let key = slot(&ctx.account, &ctx.region, &name);
    let existing = world.services.ssm.parameters.get(&key).cloned();
    let overwrite = r.overwrite.unwrap_or(false);
    if existing.is_some() && r.tags.is_some() && overwrite {
        return Err(SsmError::ValidationException(
            "Tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.".into(),
        ));
    }
    let latest = existing.as_ref().and_then(|p| p.latest().cloned());
    if latest.is_some() && !overwrite {
        return Err(SsmError::ParameterAlreadyExists(
            "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.".into(),
        ));
    }
    let kind = match (&r.r#type, &latest) {
        (Some(t), Some(l)) if *t != l.kind => {
            return Err(SsmError::HierarchyTypeMismatchException(format!(
                "The parameter type can't be changed from {} to {t} when the parameter is updated. Create a new parameter with the type you want.",
                l.kind
            )));
        }
        (Some(t), _) => t.clone(),
        (None, Some(l)) => l.kind.clone(),
        (None, None) => {
            return Err(SsmError::ValidationException(
                "A parameter type is required when you create a parameter.".into(),
            ));
        }
    };
    let was_advanced = latest.as_ref().is_some_and(|l| l.tier == "Advanced");
    let tier = match r.tier.as_deref() {
        Some("Standard") if was_advanced => {
            return Err(SsmError::ValidationException(
                "This parameter uses the advanced-parameter tier. You can't downgrade a parameter from the advanced-parameter tier to the standard-parameter tier. If necessary, you can delete the advanced parameter and recreate it as a standard parameter.".into(),
            ));
        }
        Some("Advanced") => "Advanced",
        Some("Intelligent-Tiering") if was_advanced || value.len() > STANDARD_MAX_BYTES => {
            "Advanced"
        }
        _ if was_advanced => "Advanced",
        _ => "Standard",
    };
    if tier == "Standard" && value.len() > STANDARD_MAX_BYTES {
        return Err(SsmError::ValidationException(
            "Standard tier parameters support a maximum parameter value of 4096 characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier. For more information, see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html".into(),
        ));
    }
    if value.len() > ADVANCED_MAX_BYTES {
        return Err(SsmError::ValidationException(
            "Advanced tier parameters support a maximum parameter value of 8192 characters. For more information, see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html".into(),
        ));
    }
    if let Some(tags) = &r.tags
        && tags.len() > MAX_TAGS
    {
        return Err(SsmError::TooManyTagsError(
            "The Targets parameter includes too many tags. Remove one or more tags and try the command again.".into(),
        ));
    }
    let mut param = existing.unwrap_or_else(|| StoredParameter {
        name: name.clone(),
        account: ctx.account.clone(),
        region: ctx.region.clone(),
        versions: Vec::new(),
        tags: r.tags.clone().unwrap_or_default(),
    });
    if param.versions.len() >= MAX_VERSIONS
        && let Some(oldest) = param.versions.first()
        && !oldest.labels.is_empty()
    {
        return Err(SsmError::ParameterMaxVersionLimitExceeded(format!(
            "You attempted to create a new version of {name} by calling the PutParameter API with the overwrite flag. Version {}, the oldest version, can't be deleted because it has a label associated with it. Move the label to another version of the parameter, and try again.",
            oldest.version
        )));
    }
    let (stored, key_id) = if kind == "SecureString" {
        let key_id = r.key_id.clone().unwrap_or_else(|| DEFAULT_KEY.to_owned());
        let sealed = encrypt_value(world, ctx, &key_id, tier, &arn, value, audit)?;
        (sealed, Some(key_id))
    } else {
        (value.clone(), None)
    };
    let version = latest.as_ref().map_or(1, |l| l.version + 1);
    if param.versions.len() >= MAX_VERSIONS {
        param.versions.remove(0);
    }
    param.versions.push(StoredVersion {
        version,
        kind,
        value: stored,
        key_id,
        description: r
            .description
            .clone()
            .or_else(|| latest.as_ref().and_then(|l| l.description.clone())),
        allowed_pattern: r
            .allowed_pattern
            .clone()
            .or_else(|| latest.as_ref().and_then(|l| l.allowed_pattern.clone())),
        tier: tier.to_owned(),
        labels: Vec::new(),
        modified_ms: world.now_ms(),
        modified_user: ctx.principal_arn.clone(),
        data_type,
    });
    world.services.ssm.parameters.insert(key, param);
    audit.response_elements = serde_json::json!({ "version": version, "tier": tier });
    Ok(PutParameterResponse {
        version,
        tier: tier.to_owned(),
    })
}

pub(super) fn get(
    world: &mut World,
    ctx: &CallContext,
    r: &GetParameterRequest,
    audit: &mut CallAudit,
) -> Result<GetParameterResponse, SsmError> {
    let raw = required(&r.name, "name")?;
    let sel = select(ctx, raw);
    let arn = parameter_arn(&ctx.account, &ctx.region, &sel.name);
    audit.resource(&ctx.account, "AWS::SSM::Parameter", &arn);
    authorize(world, ctx, "GetParameter", &arn, audit)?;
    let p = find(world, ctx, &sel.name).cloned().ok_or_else(not_found)?;
    let v = pick(&p, sel.selector.as_deref())?.clone();
    let parameter = parameter_of(
        world,
        ctx,
        &p,
        &v,
        sel.selector,
        r.with_decryption.unwrap_or(false),
        audit,
    )?;
    Ok(GetParameterResponse { parameter })
}

/// A list of names of 1–10 entries, or AWS's validation error.
fn names_list(names: &Option<crate::StringList>) -> Result<&[String], SsmError> {
    let names = required(names, "names")?;
    if names.is_empty() || names.len() > 10 {
        return Err(SsmError::ValidationException(format!(
            "1 validation error detected: Value '[{}]' at 'names' failed to satisfy constraint: Member must have length {} 10",
            names.join(", "),
            if names.is_empty() {
                "greater than or equal to 1, and less than or equal to"
            } else {
                "less than or equal to"
            }
        )));
    }
    Ok(names)
}

pub(super) fn get_many(
    world: &mut World,
    ctx: &CallContext,
    r: &GetParametersRequest,
    audit: &mut CallAudit,
) -> Result<GetParametersResponse, SsmError> {
    let names = names_list(&r.names)?.to_vec();
    let selected: Vec<Selected> = names.iter().map(|n| select(ctx, n)).collect();
    for s in &selected {
        let arn = parameter_arn(&ctx.account, &ctx.region, &s.name);
        authorize(world, ctx, "GetParameters", &arn, audit)?;
    }
    let decrypt = r.with_decryption.unwrap_or(false);
    let mut parameters = Vec::new();
    let mut invalid = Vec::new();
    for (raw, s) in names.iter().zip(selected) {
        let found = find(world, ctx, &s.name)
            .cloned()
            .and_then(|p| pick(&p, s.selector.as_deref()).ok().cloned().map(|v| (p, v)));
        match found {
            Some((p, v)) => {
                parameters.push(parameter_of(world, ctx, &p, &v, s.selector, decrypt, audit)?);
            }
            None => invalid.push(raw.clone()),
        }
    }
    Ok(GetParametersResponse {
        parameters,
        invalid_parameters: invalid,
    })
}

/// A page of `items` from `token` (an offset the lab issued), `max` long.
fn page<T: Clone>(
    items: &[T],
    token: Option<&str>,
    max: usize,
) -> Result<(Vec<T>, Option<String>), SsmError> {
    use base64::Engine as _;
    let start = match token {
        None => 0,
        Some(t) => base64::engine::general_purpose::STANDARD
            .decode(t.as_bytes())
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .and_then(|s| s.strip_prefix("kmslab-ssm:").and_then(|n| n.parse().ok()))
            .filter(|n: &usize| *n <= items.len())
            .ok_or_else(|| SsmError::InvalidNextToken("The specified token isn't valid.".into()))?,
    };
    let end = (start + max).min(items.len());
    let next = (end < items.len()).then(|| {
        base64::engine::general_purpose::STANDARD.encode(format!("kmslab-ssm:{end}"))
    });
    Ok((items.get(start..end).unwrap_or_default().to_vec(), next))
}

/// `MaxResults` within `1..=max` (default `max`), or AWS's validation error.
fn max_results(v: Option<i64>, max: i64) -> Result<usize, SsmError> {
    let n = v.unwrap_or(max);
    if !(1..=max).contains(&n) {
        return Err(SsmError::ValidationException(format!(
            "1 validation error detected: Value '{n}' at 'maxResults' failed to satisfy constraint: Member must have value {} {}",
            if n < 1 { "greater than or equal to" } else { "less than or equal to" },
            if n < 1 { 1 } else { max }
        )));
    }
    usize::try_from(n).map_err(|_| SsmError::InternalServerError("MaxResults".into()))
}

/// Whether `name` lies under `path` (one level, or any depth when recursive).
fn under(path: &str, name: &str, recursive: bool) -> bool {
    let prefix = if path == "/" {
        "/".to_owned()
    } else {
        format!("{}/", path.trim_end_matches('/'))
    };
    name.strip_prefix(&prefix)
        .is_some_and(|rest| !rest.is_empty() && (recursive || !rest.contains('/')))
}

pub(super) fn by_path(
    world: &mut World,
    ctx: &CallContext,
    r: &GetParametersByPathRequest,
    audit: &mut CallAudit,
) -> Result<GetParametersByPathResponse, SsmError> {
    let path = trimmed(required(&r.path, "path")?).to_owned();
    let arn = parameter_arn(&ctx.account, &ctx.region, &path);
    authorize(world, ctx, "GetParametersByPath", &arn, audit)?;
    if !path.starts_with('/') {
        return Err(SsmError::ValidationException(
            "The parameter doesn't meet the parameter name requirements. The parameter name must begin with a forward slash \"/\".".into(),
        ));
    }
    let max = max_results(r.max_results, 10)?;
    let filters = r.parameter_filters.clone().unwrap_or_default();
    for f in &filters {
        if matches!(f.key.as_str(), "Name" | "Path" | "Tier") {
            return Err(SsmError::InvalidFilterKey(format!(
                "The following filter key is not valid: {}. Valid filter keys include: [Type, KeyId, Label, DataType, tag:].",
                f.key
            )));
        }
        check_filter(f)?;
    }
    let recursive = r.recursive.unwrap_or(false);
    let matching: Vec<StoredParameter> = world
        .services
        .ssm
        .parameters
        .values()
        .filter(|p| p.account == ctx.account && p.region == ctx.region)
        .filter(|p| under(&path, &p.name, recursive))
        .filter(|p| filters.iter().all(|f| matches_filter(p, f)))
        .cloned()
        .collect();
    let (items, next_token) = page(&matching, r.next_token.as_deref(), max)?;
    let decrypt = r.with_decryption.unwrap_or(false);
    let mut parameters = Vec::new();
    for p in items {
        if let Some(v) = p.latest().cloned() {
            parameters.push(parameter_of(world, ctx, &p, &v, None, decrypt, audit)?);
        }
    }
    Ok(GetParametersByPathResponse {
        parameters,
        next_token,
    })
}

pub(super) fn history(
    world: &mut World,
    ctx: &CallContext,
    r: &GetParameterHistoryRequest,
    audit: &mut CallAudit,
) -> Result<GetParameterHistoryResponse, SsmError> {
    let raw = required(&r.name, "name")?;
    let sel = select(ctx, raw);
    let arn = parameter_arn(&ctx.account, &ctx.region, &sel.name);
    audit.resource(&ctx.account, "AWS::SSM::Parameter", &arn);
    authorize(world, ctx, "GetParameterHistory", &arn, audit)?;
    let max = max_results(r.max_results, 50)?;
    let p = find(world, ctx, &sel.name).cloned().ok_or_else(not_found)?;
    let (versions, next_token) = page(&p.versions, r.next_token.as_deref(), max)?;
    let decrypt = r.with_decryption.unwrap_or(false);
    let arn = p.arn();
    let mut parameters = Vec::new();
    for v in versions {
        let value = value_of(world, ctx, &arn, &v, decrypt, audit)?;
        parameters.push(ParameterHistory {
            name: p.name.clone(),
            r#type: v.kind.clone(),
            key_id: v.key_id.clone(),
            last_modified_date: epoch(v.modified_ms),
            last_modified_user: v.modified_user.clone(),
            description: v.description.clone(),
            value,
            allowed_pattern: v.allowed_pattern.clone(),
            version: v.version,
            labels: v.labels.clone(),
            tier: v.tier.clone(),
            policies: Vec::new(),
            data_type: v.data_type.clone(),
        });
    }
    Ok(GetParameterHistoryResponse {
        parameters,
        next_token,
    })
}

pub(super) fn delete(
    world: &mut World,
    ctx: &CallContext,
    r: &DeleteParameterRequest,
    audit: &mut CallAudit,
) -> Result<EmptyResponse, SsmError> {
    let name = trimmed(required(&r.name, "name")?).to_owned();
    let arn = parameter_arn(&ctx.account, &ctx.region, &name);
    audit.resource(&ctx.account, "AWS::SSM::Parameter", &arn);
    authorize(world, ctx, "DeleteParameter", &arn, audit)?;
    world
        .services
        .ssm
        .parameters
        .remove(&slot(&ctx.account, &ctx.region, &name))
        .ok_or_else(not_found)?;
    Ok(EmptyResponse {})
}

pub(super) fn delete_many(
    world: &mut World,
    ctx: &CallContext,
    r: &DeleteParametersRequest,
    audit: &mut CallAudit,
) -> Result<DeleteParametersResponse, SsmError> {
    let names = names_list(&r.names)?.to_vec();
    for n in &names {
        let arn = parameter_arn(&ctx.account, &ctx.region, trimmed(n));
        authorize(world, ctx, "DeleteParameters", &arn, audit)?;
    }
    let mut deleted = Vec::new();
    let mut invalid = Vec::new();
    for n in names {
        let key = slot(&ctx.account, &ctx.region, trimmed(&n));
        if world.services.ssm.parameters.remove(&key).is_some() {
            deleted.push(n);
        } else {
            invalid.push(n);
        }
    }
    Ok(DeleteParametersResponse {
        deleted_parameters: deleted,
        invalid_parameters: invalid,
    })
}

/// Whether a label breaks the label rules (it is then returned in `InvalidLabels`).
fn invalid_label(label: &str) -> bool {
    let lower = label.to_ascii_lowercase();
    label.is_empty()
        || label.len() > 100
        || label.starts_with(|c: char| c.is_ascii_digit())
        || lower.starts_with("aws")
        || lower.starts_with("ssm")
        || !label
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

pub(super) fn label(
    world: &mut World,
    ctx: &CallContext,
    r: &LabelParameterVersionRequest,
    audit: &mut CallAudit,
) -> Result<LabelParameterVersionResponse, SsmError> {
    let name = trimmed(required(&r.name, "name")?).to_owned();
    let labels = required(&r.labels, "labels")?.to_vec();
    let arn = parameter_arn(&ctx.account, &ctx.region, &name);
    audit.resource(&ctx.account, "AWS::SSM::Parameter", &arn);
    authorize(world, ctx, "LabelParameterVersion", &arn, audit)?;
    if labels.is_empty() || labels.len() > MAX_LABELS {
        return Err(SsmError::ValidationException(format!(
            "1 validation error detected: Value '[{}]' at 'labels' failed to satisfy constraint: Member must have length less than or equal to 10",
            labels.join(", ")
        )));
    }
    let key = slot(&ctx.account, &ctx.region, &name);
    let mut p = world
        .services
        .ssm
        .parameters
        .get(&key)
        .cloned()
        .ok_or_else(not_found)?;
    let target = match r.parameter_version {
        Some(n) => u64::try_from(n)
            .ok()
            .filter(|n| p.versions.iter().any(|v| v.version == *n))
            .ok_or_else(|| version_not_found(&name, &format!(":{n}")))?,
        None => p.latest().map(|v| v.version).ok_or_else(not_found)?,
    };
    let (invalid, valid): (Vec<String>, Vec<String>) =
        labels.into_iter().partition(|l| invalid_label(l));
    for v in &mut p.versions {
        if v.version != target {
            v.labels.retain(|l| !valid.contains(l));
        }
    }
    if let Some(v) = p.versions.iter_mut().find(|v| v.version == target) {
        for l in &valid {
            if !v.labels.contains(l) {
                v.labels.push(l.clone());
            }
        }
        if v.labels.len() > MAX_LABELS {
            return Err(SsmError::ParameterVersionLabelLimitExceeded(
                "A parameter version can have a maximum of ten labels.".into(),
            ));
        }
    }
    world.services.ssm.parameters.insert(key, p);
    Ok(LabelParameterVersionResponse {
        invalid_labels: invalid,
        parameter_version: target,
    })
}

/// Checks a filter's key and option.
fn check_filter(f: &ParameterStringFilter) -> Result<(), SsmError> {
    let keys = ["Name", "Type", "KeyId", "Path", "Label", "Tier", "DataType"];
    if !keys.contains(&f.key.as_str()) && !f.key.starts_with("tag:") {
        return Err(SsmError::InvalidFilterKey(format!(
            "The following filter key is not valid: {}. Valid filter keys include: [Name, Type, KeyId, Path, Label, Tier, DataType, tag:].",
            f.key
        )));
    }
    let allowed: &[&str] = match f.key.as_str() {
        "Path" => &["Recursive", "OneLevel"],
        "Name" => &["Equals", "BeginsWith", "Contains"],
        "Label" | "KeyId" => &["Equals", "BeginsWith"],
        k if k.starts_with("tag:") => &["Equals", "BeginsWith"],
        _ => &["Equals", "BeginsWith"],
    };
    if let Some(o) = &f.option
        && !allowed.contains(&o.as_str())
    {
        return Err(SsmError::InvalidFilterOption(format!(
            "The following filter option is not valid: {o}. Valid options include: [{}].",
            allowed.join(", ")
        )));
    }
    let needs_values = !f.key.starts_with("tag:");
    if needs_values && f.values.as_ref().is_none_or(Vec::is_empty) {
        return Err(SsmError::InvalidFilterValue(format!(
            "The following filter values are missing : null for filter key {}.",
            f.key
        )));
    }
    Ok(())
}

/// Whether `p` passes filter `f` (values: any matches).
fn matches_filter(p: &StoredParameter, f: &ParameterStringFilter) -> bool {
    let Some(v) = p.latest() else { return false };
    let values = f.values.clone().unwrap_or_default();
    let option = f.option.as_deref().unwrap_or(match f.key.as_str() {
        "Path" => "OneLevel",
        _ => "Equals",
    });
    let test = |actual: &str| {
        values.iter().any(|want| match option {
            "BeginsWith" => actual.starts_with(want.as_str()),
            "Contains" => actual.contains(want.as_str()),
            _ => actual == want,
        })
    };
    match f.key.as_str() {
        "Name" => {
            let bare = p.name.trim_start_matches('/');
            test(&p.name) || test(bare) || values.iter().any(|w| option == "Equals" && w.trim_start_matches('/') == bare)
        }
        "Type" => test(&v.kind),
        "KeyId" => v.key_id.as_deref().is_some_and(test),
        "Tier" => test(&v.tier),
        "DataType" => test(&v.data_type),
        "Label" => p.versions.iter().any(|x| x.labels.iter().any(|l| test(l))),
        "Path" => values
            .iter()
            .any(|path| under(path, &p.name, option == "Recursive")),
        k => {
            let tag = k.trim_start_matches("tag:");
            p.tags
                .iter()
                .any(|t| t.key == tag && (values.is_empty() || test(&t.value)))
        }
    }
}

pub(super) fn describe(
    world: &World,
    ctx: &CallContext,
    r: &DescribeParametersRequest,
    audit: &mut CallAudit,
) -> Result<DescribeParametersResponse, SsmError> {
    authorize(world, ctx, "DescribeParameters", "*", audit)?;
    if r.filters.is_some() && r.parameter_filters.is_some() {
        return Err(SsmError::ValidationException(
            "You can use either Filters or ParameterFilters in a single request.".into(),
        ));
    }
    let max = max_results(r.max_results, 50)?;
    let mut filters: Vec<ParameterStringFilter> = r.parameter_filters.clone().unwrap_or_default();
    for f in r.filters.clone().unwrap_or_default() {
        if !matches!(f.key.as_str(), "Name" | "Type" | "KeyId") {
            return Err(SsmError::InvalidFilterKey(format!(
                "The following filter key is not valid: {}. Valid filter keys include: [Name, Type, KeyId].",
                f.key
            )));
        }
        filters.push(ParameterStringFilter {
            option: (f.key == "Name").then(|| "BeginsWith".into()),
            key: f.key,
            values: Some(f.values),
        });
    }
    for f in &filters {
        check_filter(f)?;
    }
    let matching: Vec<ParameterMetadata> = world
        .services
        .ssm
        .parameters
        .values()
        .filter(|p| p.account == ctx.account && p.region == ctx.region)
        .filter(|_| r.shared != Some(true))
        .filter(|p| filters.iter().all(|f| matches_filter(p, f)))
        .filter_map(|p| {
            let v = p.latest()?;
            Some(ParameterMetadata {
                name: p.name.clone(),
                arn: p.arn(),
                r#type: v.kind.clone(),
                key_id: v.key_id.clone(),
                last_modified_date: epoch(v.modified_ms),
                last_modified_user: v.modified_user.clone(),
                description: v.description.clone(),
                allowed_pattern: v.allowed_pattern.clone(),
                version: v.version,
                tier: v.tier.clone(),
                policies: Vec::new(),
                data_type: v.data_type.clone(),
            })
        })
        .collect();
    let (parameters, next_token) = page(&matching, r.next_token.as_deref(), max)?;
    Ok(DescribeParametersResponse {
        parameters,
        next_token,
    })
}

/// The parameter a tagging request names (`ResourceType` `Parameter`, `ResourceId` its name).
fn tagged<'a>(
    world: &World,
    ctx: &CallContext,
    resource_type: &Option<String>,
    resource_id: &'a Option<String>,
    action: &str,
    audit: &mut CallAudit,
) -> Result<(String, &'a str), SsmError> {
    let kind = required(resource_type, "resourceType")?;
    let id = required(resource_id, "resourceId")?;
    let arn = parameter_arn(&ctx.account, &ctx.region, trimmed(id));
    authorize(world, ctx, action, &arn, audit)?;
    if kind != "Parameter" {
        return Err(SsmError::InvalidResourceType(format!(
            "The resource type isn't valid: the lab models Parameter Store only (ResourceType {kind})."
        )));
    }
    let key = slot(&ctx.account, &ctx.region, trimmed(id));
    if !world.services.ssm.parameters.contains_key(&key) {
        return Err(SsmError::InvalidResourceId(String::new()));
    }
    audit.resource(&ctx.account, "AWS::SSM::Parameter", &arn);
    Ok((key, id))
}

pub(super) fn add_tags(
    world: &mut World,
    ctx: &CallContext,
    r: &AddTagsToResourceRequest,
    audit: &mut CallAudit,
) -> Result<EmptyResponse, SsmError> {
    let tags = r.tags.clone().ok_or_else(|| missing("tags"))?;
    let (key, _) = tagged(
        world,
        ctx,
        &r.resource_type,
        &r.resource_id,
        "AddTagsToResource",
        audit,
    )?;
    let Some(p) = world.services.ssm.parameters.get_mut(&key) else {
        return Err(SsmError::InvalidResourceId(String::new()));
    };
    let mut merged = p.tags.clone();
    for t in tags {
        match merged.iter_mut().find(|x| x.key == t.key) {
            Some(x) => x.value = t.value,
            None => merged.push(t),
        }
    }
    if merged.len() > MAX_TAGS {
        return Err(SsmError::TooManyTagsError(
            "The Targets parameter includes too many tags. Remove one or more tags and try the command again.".into(),
        ));
    }
    p.tags = merged;
    Ok(EmptyResponse {})
}

pub(super) fn list_tags(
    world: &World,
    ctx: &CallContext,
    r: &ListTagsForResourceRequest,
    audit: &mut CallAudit,
) -> Result<ListTagsForResourceResponse, SsmError> {
    let (key, _) = tagged(
        world,
        ctx,
        &r.resource_type,
        &r.resource_id,
        "ListTagsForResource",
        audit,
    )?;
    let tag_list: Vec<Tag> = world
        .services
        .ssm
        .parameters
        .get(&key)
        .map(|p| p.tags.clone())
        .unwrap_or_default();
    Ok(ListTagsForResourceResponse { tag_list })
}
