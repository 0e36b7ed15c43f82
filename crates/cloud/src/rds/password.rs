//! Master user passwords RDS manages in Secrets Manager (`--manage-master-user-password`), as
//! the RDS user guide describes
//! (<https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html>): RDS
//! generates the password and keeps it in a secret named `rds!db-UUID`, tagged with the
//! instance's ARN, encrypted under `MasterUserSecretKmsKeyId` (default `aws/secretsmanager`),
//! and rotates it every 7 days. Secrets Manager asks KMS for the data keys as the caller
//! (through `secretsmanager.REGION.amazonaws.com`), so the caller needs the key.
//!
//! Rotation runs on the world's clock, lazily: an RDS call in the account and Region rotates
//! every secret whose 7 days are up; when KMS refuses, the secret turns `impaired` (it still
//! holds the last password, as AWS documents for a key RDS can no longer use).

use super::error::required;
use super::instance::{description, instance};
use super::model::{
    CreateDBInstanceRequest, DBInstance, DBInstanceResponse, ModifyDBInstanceRequest,
};
use serde::{Deserialize, Serialize};

use super::{DbInstance, MasterSecret, RdsError, slot};
use crate::World;
use crate::error::ServiceError as _;
use crate::cloudtrail::CallAudit;
use crate::context::CallContext;
use crate::secretsmanager::model::Tag;
use crate::secretsmanager::{SecretsManagerError, create_managed, delete_managed, rotate_managed};

/// A master user's login as the database checks it: the user name and the SHA-256 of the
/// password (hex). The lab's databases hold no data; this is what makes a rotation real: after
/// it, the old password no longer logs in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Login {
    pub username: String,
    pub password_sha256: String,
}

fn digest(password: &str) -> String {
    use sha2::Digest as _;
    sha2::Sha256::digest(password.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Sets the master user's password of `inst` in the database itself.
pub(crate) fn set_login(world: &mut World, inst: &DbInstance, password: &str) {
    let username = inst.master_username.clone().unwrap_or_else(|| "admin".into());
    world.services.rds.logins.insert(
        slot(&inst.account, &inst.region, &inst.id),
        Login {
            username,
            password_sha256: digest(password),
        },
    );
}

/// Sets the master password of instance `id` of `account` in `region` in the database (what a
/// rotation function's `setSecret` step does with `ALTER USER`).
pub(crate) fn set_password(world: &mut World, account: &str, region: &str, id: &str, password: &str) {
    if let Some(inst) = world.services.rds.instances.get(&slot(account, region, id)).cloned() {
        set_login(world, &inst, password);
    }
}

/// Rotates the managed secret `arn` now (Secrets Manager's `RotateSecret` of an `rds!` secret),
/// as the caller.
pub(crate) fn rotate_secret_now(
    world: &mut World,
    ctx: &CallContext,
    arn: &str,
    audit: &mut CallAudit,
) -> Result<(), SecretsManagerError> {
    let Some(mut inst) = world
        .services
        .rds
        .instances
        .values()
        .find(|i| i.master_secret.as_ref().is_some_and(|m| m.arn == arn))
        .cloned()
    else {
        return Err(SecretsManagerError::InvalidRequestException(
            "The DB instance that manages this secret no longer exists.".into(),
        ));
    };
    let Some(m) = inst.master_secret.clone() else {
        return Ok(());
    };
    let rotated = rotate(world, ctx, &inst, &m, audit)?;
    inst.master_secret = Some(rotated);
    store(world, inst);
    Ok(())
}

/// Why a database login failed (the database's own words, as a MySQL or PostgreSQL client
/// prints them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoginError {
    /// No such instance in the account and Region.
    UnknownInstance,
    /// The lab has no password for this instance (it was created without one).
    NoPassword,
    /// Wrong user name or password (the instance's engine says so in its own words).
    Denied {
        /// The instance's engine (`mysql`, `postgres`, ...).
        engine: String,
    },
}

/// Logs in to the instance `id` of `account` in `region` as `username` with `password`.
pub fn login(
    world: &World,
    account: &str,
    region: &str,
    id: &str,
    username: &str,
    password: &str,
) -> Result<(), LoginError> {
    let key = slot(account, region, id);
    let Some(inst) = world.services.rds.instances.get(&key) else {
        return Err(LoginError::UnknownInstance);
    };
    let Some(l) = world.services.rds.logins.get(&key) else {
        return Err(LoginError::NoPassword);
    };
    if l.username == username && l.password_sha256 == digest(password) {
        Ok(())
    } else {
        Err(LoginError::Denied {
            engine: inst.engine.clone(),
        })
    }
}

/// Days between rotations of a managed master password (RDS's default).
pub(crate) const ROTATION_DAYS: i64 = 7;
const DAY_MS: i64 = 86_400_000;
/// The characters RDS may use in a generated password (no `/`, `"`, `@` or space).
const PASSWORD_CHARS: &[u8] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&()*+,-.:;<=>?[]^_{|}~";

fn combination(m: &str) -> RdsError {
    RdsError::InvalidParameterCombination(m.to_owned())
}

/// The checks `CreateDBInstance` makes of the password members.
pub(super) fn check_create(r: &CreateDBInstanceRequest) -> Result<(), RdsError> {
    let managed = r.manage_master_user_password == Some(true);
    if managed && r.master_user_password.is_some() {
        return Err(combination(
            "Can't manage the master user password with AWS Secrets Manager if MasterUserPassword is specified.",
        ));
    }
    if !managed && r.master_user_secret_kms_key_id.is_some() {
        return Err(combination(
            "MasterUserSecretKmsKeyId is valid only if the master user password is managed by RDS in AWS Secrets Manager (ManageMasterUserPassword).",
        ));
    }
    if managed && r.master_username.as_deref().is_none_or(str::is_empty) {
        return Err(RdsError::InvalidParameterValue(
            "The parameter MasterUsername must be provided and must not be blank.".into(),
        ));
    }
    Ok(())
}

/// A 28-character password from the world's randomness.
fn new_password(world: &mut World) -> String {
    world
        .rng
        .bytes(28)
        .iter()
        .map(|b| char::from(PASSWORD_CHARS[usize::from(*b) % PASSWORD_CHARS.len()]))
        .collect()
}

/// The secret's value: the JSON RDS stores.
fn value(username: &str, password: &str) -> String {
    serde_json::json!({ "username": username, "password": password }).to_string()
}

/// What RDS answers when Secrets Manager (or KMS behind it) refused.
fn from_secrets_manager(e: SecretsManagerError, key: Option<&str>) -> RdsError {
    let key = key.unwrap_or(crate::secretsmanager::DEFAULT_KEY);
    match e.code() {
        "AccessDeniedException" if e.message() == crate::secretsmanager::KMS_ACCESS_DENIED => {
            RdsError::KMSKeyNotAccessibleFault(format!(
                "The specified KMS key [{key}] does not exist, is not enabled or you do not have permissions to access it."
            ))
        }
        "AccessDeniedException" => RdsError::AccessDenied(e.message()),
        "EncryptionFailure" | "DecryptionFailure" | "ResourceNotFoundException" => {
            RdsError::KMSKeyNotAccessibleFault(format!(
                "The specified KMS key [{key}] does not exist, is not enabled or you do not have permissions to access it."
            ))
        }
        _ => RdsError::InvalidParameterValue(e.message()),
    }
}

/// Creates the managed secret of `inst` (a new password), as the caller.
pub(super) fn new_secret(
    world: &mut World,
    ctx: &CallContext,
    inst: &DbInstance,
    key: Option<&str>,
    audit: &mut CallAudit,
) -> Result<MasterSecret, RdsError> {
    let username = inst.master_username.clone().unwrap_or_else(|| "admin".into());
    let password = new_password(world);
    let name = format!("rds!db-{}", world.rng.uuid());
    let arn = inst.arn();
    let tags = vec![Tag {
        key: "aws:rds:primaryDBInstanceArn".into(),
        value: arn.clone(),
    }];
    let made = create_managed(
        world,
        ctx,
        "rds",
        &name,
        format!("Secret associated with primary RDS DB instance: {arn}"),
        key,
        tags,
        &value(&username, &password),
        ROTATION_DAYS,
        audit,
    )
    .map_err(|e| from_secrets_manager(e, key))?;
    set_login(world, inst, &password);
    Ok(MasterSecret {
        arn: made.arn,
        key_arn: made.key_arn,
        status: "active".into(),
        rotated_ms: world.now_ms(),
    })
}

/// Rotates the managed secret of `inst` now (a new password), as the caller.
fn rotate(
    world: &mut World,
    ctx: &CallContext,
    inst: &DbInstance,
    m: &MasterSecret,
    audit: &mut CallAudit,
) -> Result<MasterSecret, SecretsManagerError> {
    let username = inst.master_username.clone().unwrap_or_else(|| "admin".into());
    let password = new_password(world);
    let made = rotate_managed(world, ctx, &m.arn, &value(&username, &password), audit)?;
    set_login(world, inst, &password);
    Ok(MasterSecret {
        arn: made.arn,
        key_arn: made.key_arn,
        status: "active".into(),
        rotated_ms: world.now_ms(),
    })
}

fn store(world: &mut World, inst: DbInstance) {
    world.services.rds.instances.insert(
        slot(&inst.account, &inst.region, &inst.id),
        inst,
    );
}

/// `ModifyDBInstance`: turns password management on or off, or rotates the managed secret.
pub(super) fn modify(
    world: &mut World,
    ctx: &CallContext,
    r: &ModifyDBInstanceRequest,
    audit: &mut CallAudit,
) -> Result<DBInstanceResponse, RdsError> {
    let id = required(&r.db_instance_identifier, "DBInstanceIdentifier")?;
    let mut inst = instance(world, ctx, id)?;
    if super::instance::is_creating(&inst, world.now_ms()) {
        return Err(super::error::instance_not_available());
    }
    let manage = r.manage_master_user_password;
    let key = r.master_user_secret_kms_key_id.as_deref();
    let rotate_now = r.rotate_master_user_password == Some(true);
    if manage == Some(true) && r.master_user_password.is_some() {
        return Err(combination(
            "Can't manage the master user password with AWS Secrets Manager if MasterUserPassword is specified.",
        ));
    }
    if key.is_some() && manage != Some(true) {
        return Err(combination(
            "MasterUserSecretKmsKeyId is valid only when you turn on ManageMasterUserPassword.",
        ));
    }
    if key.is_some() && inst.master_secret.is_some() {
        return Err(combination(
            "The DB instance already manages the master user password in AWS Secrets Manager: you can't change the KMS key used to encrypt the secret.",
        ));
    }
    if manage == Some(false) && inst.master_secret.is_some() && r.master_user_password.is_none() {
        return Err(combination(
            "You must specify MasterUserPassword when you turn off ManageMasterUserPassword.",
        ));
    }
    if rotate_now {
        if manage == Some(false) || (inst.master_secret.is_none() && manage != Some(true)) {
            return Err(combination(
                "RotateMasterUserPassword is valid only if the master user password is managed by RDS in AWS Secrets Manager.",
            ));
        }
        if r.apply_immediately != Some(true) {
            return Err(combination(
                "You must apply the change immediately (ApplyImmediately) when rotating the master user password.",
            ));
        }
    }
    let mut changed = r.master_user_password.is_some();
    if let Some(p) = &r.master_user_password {
        set_login(world, &inst, p);
    }
    match (manage, inst.master_secret.clone()) {
        (Some(true), None) => {
            inst.master_secret = Some(new_secret(world, ctx, &inst, key, audit)?);
            changed = true;
        }
        (Some(false), Some(m)) => {
            // RDS deletes the secret and uses the new password.
            delete_managed(world, &m.arn);
            inst.master_secret = None;
            changed = true;
        }
        (_, Some(m)) if rotate_now => {
            let rotated = rotate(world, ctx, &inst, &m, audit)
                .map_err(|e| from_secrets_manager(e, Some(&m.key_arn)))?;
            inst.master_secret = Some(rotated);
            changed = true;
        }
        _ => {}
    }
    let out = DBInstance {
        db_instance_status: if changed { "modifying" } else { "available" }.into(),
        ..description(&inst)
    };
    store(world, inst);
    Ok(DBInstanceResponse { db_instance: out })
}

/// Rotates the managed secrets of the caller's account and Region whose rotation is due on the
/// world's clock. Each rotation asks KMS as the caller (its events are recorded; its decisions
/// stay out of the call's own Why? card); a refusal leaves the secret `impaired`.
pub(crate) fn rotate_due(world: &mut World, ctx: &CallContext, audit: &mut CallAudit) {
    let now = world.now_ms();
    let due: Vec<DbInstance> = world
        .services
        .rds
        .instances
        .values()
        .filter(|i| i.account == ctx.account && i.region == ctx.region)
        .filter(|i| {
            i.master_secret
                .as_ref()
                .is_some_and(|m| m.status == "active" && m.rotated_ms + ROTATION_DAYS * DAY_MS <= now)
        })
        .cloned()
        .collect();
    for mut inst in due {
        let Some(m) = inst.master_secret.clone() else {
            continue;
        };
        let mut scratch = audit.clone();
        scratch.authorizations.clear();
        scratch.followups.clear();
        let outcome = rotate(world, ctx, &inst, &m, &mut scratch);
        audit.followups.append(&mut scratch.followups);
        inst.master_secret = Some(match outcome {
            Ok(mut rotated) => {
                // The rotation ran when it fell due (the last of the missed schedule).
                let missed = (now - m.rotated_ms) / (ROTATION_DAYS * DAY_MS);
                rotated.rotated_ms = m.rotated_ms + missed * ROTATION_DAYS * DAY_MS;
                rotated
            }
            Err(_) => MasterSecret {
                status: "impaired".into(),
                ..m
            },
        });
        store(world, inst);
    }
}
