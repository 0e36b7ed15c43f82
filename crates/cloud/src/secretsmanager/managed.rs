//! Secrets another service manages (RDS's master user passwords): created, rotated and deleted
//! by that service on the caller's behalf
//! (<https://docs.aws.amazon.com/secretsmanager/latest/userguide/service-linked-secrets.html>).
//! The name starts with the service's id and `!` (`rds!db-…`), which `CreateSecret` refuses to
//! anyone else; the value is encrypted like any other version: a data key from KMS, asked for
//! as the caller through `secretsmanager.REGION.amazonaws.com`.

use super::auth::authorize;
use super::model::{RotationRules, Tag};
use super::secret::{add_version, arn_prefix, save, suffix};
use super::{AWSCURRENT, SecretsManagerError, StoredSecret};
use crate::World;
use crate::cloudtrail::CallAudit;
use crate::context::CallContext;

/// What a service keeps of the secret it manages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ManagedSecret {
    /// The secret's ARN.
    pub arn: String,
    /// The ARN of the KMS key its current version is encrypted under.
    pub key_arn: String,
}

/// Creates the secret `name` managed by `service` (tagged `aws:secretsmanager:owningService`),
/// with `value` as its `AWSCURRENT` version encrypted under `kms_key_id` (default
/// `aws/secretsmanager`), rotating every `rotate_days` days. The caller needs
/// `secretsmanager:CreateSecret` and the key.
#[allow(clippy::too_many_arguments)]
pub(crate) fn create_managed(
    world: &mut World,
    ctx: &CallContext,
    service: &str,
    name: &str,
    description: String,
    kms_key_id: Option<&str>,
    mut tags: Vec<Tag>,
    value: &str,
    rotate_days: i64,
    audit: &mut CallAudit,
) -> Result<ManagedSecret, SecretsManagerError> {
    let prefix = arn_prefix(&ctx.region, &ctx.account, name);
    authorize(world, ctx, "CreateSecret", &prefix, &ctx.account, None, audit)?;
    let arn = format!("{prefix}-{}", suffix(world));
    tags.push(Tag {
        key: "aws:secretsmanager:owningService".into(),
        value: service.to_owned(),
    });
    let now = world.now_ms();
    let mut s = StoredSecret {
        name: name.to_owned(),
        arn: arn.clone(),
        account: ctx.account.clone(),
        region: ctx.region.clone(),
        description: Some(description),
        kms_key_id: kms_key_id.map(str::to_owned),
        r#type: None,
        versions: Vec::new(),
        tags,
        policy: None,
        created_ms: now,
        changed_ms: now,
        accessed_ms: None,
        deletion_due_ms: None,
        rotation_lambda_arn: None,
        rotation_rules: Some(RotationRules {
            automatically_after_days: Some(rotate_days),
            ..RotationRules::default()
        }),
        last_rotated_ms: None,
        schedule_from_ms: None,
        rotation_queued: None,
        rotation_failed_ms: None,
    };
    let version = world.rng.uuid();
    add_version(
        world,
        ctx,
        &mut s,
        &version,
        &(value.as_bytes().to_vec(), false),
        &[AWSCURRENT.to_owned()],
        audit,
    )?;
    let key_arn = current_key(&s);
    save(world, s);
    Ok(ManagedSecret { arn, key_arn })
}

/// The key ARN of a secret's current version.
fn current_key(s: &StoredSecret) -> String {
    s.version_by_stage(AWSCURRENT)
        .and_then(|v| v.envelopes.first())
        .map(|e| e.key_arn.clone())
        .unwrap_or_default()
}

/// Rotates a managed secret: `value` becomes a new `AWSCURRENT` version (the old one
/// `AWSPREVIOUS`), encrypted as the caller. Answers the key of the new version.
pub(crate) fn rotate_managed(
    world: &mut World,
    ctx: &CallContext,
    arn: &str,
    value: &str,
    audit: &mut CallAudit,
) -> Result<ManagedSecret, SecretsManagerError> {
    let Some(mut s) = world.services.secretsmanager.secrets.get(arn).cloned() else {
        return Err(SecretsManagerError::ResourceNotFoundException(
            "Secrets Manager can't find the specified secret.".into(),
        ));
    };
    let version = world.rng.uuid();
    add_version(
        world,
        ctx,
        &mut s,
        &version,
        &(value.as_bytes().to_vec(), false),
        &[AWSCURRENT.to_owned()],
        audit,
    )?;
    let key_arn = current_key(&s);
    save(world, s);
    Ok(ManagedSecret {
        arn: arn.to_owned(),
        key_arn,
    })
}

/// Deletes a managed secret at once (the service turned management off, or its resource is
/// gone).
pub(crate) fn delete_managed(world: &mut World, arn: &str) {
    world.services.secretsmanager.secrets.remove(arn);
}
