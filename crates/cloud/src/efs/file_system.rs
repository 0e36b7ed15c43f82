//! The file system operations: create (with or without encryption), describe and delete.

use super::error::not_found;
use super::model::{
    CreateFileSystemRequest, DeleteFileSystemRequest, DescribeFileSystemsRequest,
    DescribeFileSystemsResponse, EmptyResponse, FileSystemDescription, FileSystemProtection,
    FileSystemSize,
};
use super::{EfsError, FileSystem, KMS, MANAGED_KEY};
use crate::World;
use crate::cloudtrail::CallAudit;
use crate::context::CallContext;
use crate::kms::model::{CreateGrantRequest, GrantConstraints};

const PERFORMANCE_MODES: &[&str] = &["generalPurpose", "maxIO"];
const THROUGHPUT_MODES: &[&str] = &["bursting", "provisioned", "elastic"];

fn epoch(ms: i64) -> f64 {
    #[expect(clippy::cast_precision_loss, reason = "ms timestamps fit f64 exactly")]
    let secs = ms as f64 / 1000.0;
    secs
}

/// Authorizes `elasticfilesystem:ACTION` on `resource` against the caller's identity policies,
/// with the action's condition keys.
fn authorize(
    world: &World,
    ctx: &CallContext,
    action: &str,
    resource: &str,
    extra: &[(String, Vec<String>)],
    audit: &mut CallAudit,
) -> Result<(), EfsError> {
    crate::authorize::identity_only(
        &world.iam,
        ctx,
        &format!("elasticfilesystem:{action}"),
        resource,
        extra,
        world.now_ms(),
        &mut audit.authorizations,
    )
    .map_err(EfsError::AccessDeniedException)
}

fn validation(message: String) -> EfsError {
    EfsError::ValidationException(message)
}

fn describe_of(fs: &FileSystem, state: &str) -> FileSystemDescription {
    FileSystemDescription {
        owner_id: fs.account.clone(),
        creation_token: fs.creation_token.clone(),
        file_system_id: fs.id.clone(),
        file_system_arn: fs.arn(),
        creation_time: epoch(fs.created_ms),
        life_cycle_state: state.to_owned(),
        name: fs
            .tags
            .iter()
            .find(|t| t.key == "Name")
            .map(|t| t.value.clone()),
        number_of_mount_targets: 0,
        size_in_bytes: FileSystemSize {
            value: 6144,
            value_in_ia: 0,
            value_in_standard: 6144,
            value_in_archive: 0,
        },
        performance_mode: fs.performance_mode.clone(),
        encrypted: fs.kms_key_arn.is_some(),
        kms_key_id: fs.kms_key_arn.clone(),
        throughput_mode: fs.throughput_mode.clone(),
        provisioned_throughput_in_mibps: None,
        availability_zone_name: fs.availability_zone.clone(),
        tags: fs.tags.clone(),
        file_system_protection: FileSystemProtection {
            replication_overwrite_protection: "ENABLED".into(),
        },
    }
}

/// Checks an enum member.
fn one_of(value: Option<&str>, member: &str, allowed: &[&str]) -> Result<(), EfsError> {
    match value {
        Some(v) if !allowed.contains(&v) => Err(validation(format!(
            "1 validation error detected: Value '{v}' at '{member}' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
            allowed.join(", ")
        ))),
        _ => Ok(()),
    }
}

pub(super) fn create(
    world: &mut World,
    ctx: &CallContext,
    r: &CreateFileSystemRequest,
    audit: &mut CallAudit,
) -> Result<FileSystemDescription, EfsError> {
    let encrypted = r.encrypted.unwrap_or(false);
    let id = format!("fs-0{}", world.rng.hex(16));
    let fs_arn = format!(
        "arn:aws:elasticfilesystem:{}:{}:file-system/{id}",
        ctx.region, ctx.account
    );
    authorize(
        world,
        ctx,
        "CreateFileSystem",
        &fs_arn,
        &[(
            "elasticfilesystem:Encrypted".to_owned(),
            vec![encrypted.to_string()],
        )],
        audit,
    )?;
    // `CreationToken` is an idempotency token: the SDKs and the aws-cli fill one in when the
    // caller gives none, so no client ever sends a request without it.
    let token = r.creation_token.clone().unwrap_or_else(|| world.rng.uuid());
    if token.is_empty() || token.len() > 64 {
        return Err(validation(format!(
            "1 validation error detected: Value '{token}' at 'creationToken' failed to satisfy constraint: Member must have length {}",
            if token.is_empty() { "greater than or equal to 1" } else { "less than or equal to 64" }
        )));
    }
    if r.kms_key_id.as_deref() == Some("") {
        return Err(validation(
            "1 validation error detected: Value '' at 'kmsKeyId' failed to satisfy constraint: Member must have length greater than or equal to 1".into(),
        ));
    }
    one_of(r.performance_mode.as_deref(), "performanceMode", PERFORMANCE_MODES)?;
    one_of(r.throughput_mode.as_deref(), "throughputMode", THROUGHPUT_MODES)?;
    if r.kms_key_id.is_some() && !encrypted {
        return Err(EfsError::BadRequest(
            "KmsKeyId can only be specified when Encrypted is true.".into(),
        ));
    }
    if let Some(existing) = world
        .services
        .efs
        .file_systems
        .values()
        .find(|f| f.account == ctx.account && f.region == ctx.region && f.creation_token == token)
    {
        return Err(EfsError::FileSystemAlreadyExists(format!(
            "File system '{}' already exists with creation token '{token}'",
            existing.id
        )));
    }
    let kms_key_arn = if encrypted {
        let key = r.kms_key_id.clone().unwrap_or_else(|| MANAGED_KEY.to_owned());
        let via = ctx.clone();
        let meta = KMS.describe_key(world, &via, &key, audit)?;
        if meta.key_spec != "SYMMETRIC_DEFAULT" || meta.key_usage != "ENCRYPT_DECRYPT" {
            return Err(EfsError::BadRequest(format!(
                "The KMS key {} is not a symmetric encryption key; EFS accepts only symmetric KMS keys.",
                meta.arn
            )));
        }
        KMS.create_grant(
            world,
            &via,
            CreateGrantRequest {
                key_id: meta.arn.clone(),
                grantee_service_principal: Some("elasticfilesystem.amazonaws.com".into()),
                retiring_service_principal: Some("elasticfilesystem.amazonaws.com".into()),
                operations: [
                    "Encrypt",
                    "Decrypt",
                    "ReEncryptFrom",
                    "ReEncryptTo",
                    "GenerateDataKeyWithoutPlaintext",
                    "DescribeKey",
                    "RetireGrant",
                ]
                .map(str::to_owned)
                .to_vec(),
                constraints: Some(GrantConstraints {
                    encryption_context_subset: Some(KMS.context(&id)),
                    source_arn: Some(fs_arn.clone()),
                    ..GrantConstraints::default()
                }),
                ..CreateGrantRequest::default()
            },
            audit,
        )?;
        Some(meta.arn)
    } else {
        None
    };
    let fs = FileSystem {
        id: id.clone(),
        account: ctx.account.clone(),
        region: ctx.region.clone(),
        creation_token: token,
        created_ms: world.now_ms(),
        performance_mode: r
            .performance_mode
            .clone()
            .unwrap_or_else(|| "generalPurpose".into()),
        throughput_mode: r
            .throughput_mode
            .clone()
            .unwrap_or_else(|| "bursting".into()),
        availability_zone: r.availability_zone_name.clone(),
        kms_key_arn,
        tags: r.tags.clone().unwrap_or_default(),
    };
    audit.resource(&ctx.account, "AWS::EFS::FileSystem", &fs.arn());
    let out = describe_of(&fs, "creating");
    world.services.efs.file_systems.insert(id, fs);
    Ok(out)
}

pub(super) fn describe(
    world: &mut World,
    ctx: &CallContext,
    r: &DescribeFileSystemsRequest,
    audit: &mut CallAudit,
) -> Result<DescribeFileSystemsResponse, EfsError> {
    let resource = match &r.file_system_id {
        Some(id) => format!(
            "arn:aws:elasticfilesystem:{}:{}:file-system/{id}",
            ctx.region, ctx.account
        ),
        None => "*".to_owned(),
    };
    authorize(world, ctx, "DescribeFileSystems", &resource, &[], audit)?;
    if r.file_system_id.is_some() && r.creation_token.is_some() {
        return Err(EfsError::BadRequest(
            "Request cannot contain both a file system ID and a creation token.".into(),
        ));
    }
    let max = r.max_items.unwrap_or(100);
    if max < 1 {
        return Err(validation(format!(
            "1 validation error detected: Value '{max}' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1"
        )));
    }
    let mine: Vec<&FileSystem> = world
        .services
        .efs
        .file_systems
        .values()
        .filter(|f| f.account == ctx.account && f.region == ctx.region)
        .filter(|f| r.file_system_id.as_ref().is_none_or(|id| *id == f.id))
        .filter(|f| r.creation_token.as_ref().is_none_or(|t| *t == f.creation_token))
        .collect();
    if let Some(id) = &r.file_system_id
        && mine.is_empty()
    {
        return Err(not_found(id));
    }
    let start = match &r.marker {
        Some(m) => mine
            .iter()
            .position(|f| f.id == *m)
            .ok_or_else(|| EfsError::BadRequest("Invalid Marker".into()))?,
        None => 0,
    };
    let max = usize::try_from(max).unwrap_or(usize::MAX);
    let page: Vec<FileSystemDescription> = mine
        .iter()
        .skip(start)
        .take(max)
        .map(|f| describe_of(f, "available"))
        .collect();
    let next_marker = mine.get(start.saturating_add(max)).map(|f| f.id.clone());
    Ok(DescribeFileSystemsResponse {
        marker: r.marker.clone(),
        file_systems: page,
        next_marker,
    })
}

pub(super) fn delete(
    world: &mut World,
    ctx: &CallContext,
    r: &DeleteFileSystemRequest,
    audit: &mut CallAudit,
) -> Result<EmptyResponse, EfsError> {
    let Some(id) = r.file_system_id.clone() else {
        return Err(validation(
            "1 validation error detected: Value null at 'fileSystemId' failed to satisfy constraint: Member must not be null".into(),
        ));
    };
    let arn = format!(
        "arn:aws:elasticfilesystem:{}:{}:file-system/{id}",
        ctx.region, ctx.account
    );
    audit.resource(&ctx.account, "AWS::EFS::FileSystem", &arn);
    authorize(world, ctx, "DeleteFileSystem", &arn, &[], audit)?;
    let mine = world
        .services
        .efs
        .file_systems
        .get(&id)
        .is_some_and(|f| f.account == ctx.account && f.region == ctx.region);
    if !mine {
        return Err(not_found(&id));
    }
    world.services.efs.file_systems.remove(&id);
    Ok(EmptyResponse {})
}
