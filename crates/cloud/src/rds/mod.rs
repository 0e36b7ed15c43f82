//! RDS on top of KMS: DB instances and snapshots as records whose storage encryption is real
//! KMS use — a data key from `GenerateDataKeyWithoutPlaintext` when an encrypted instance or
//! copy is made, `Decrypt` whenever an encrypted snapshot is used, all on behalf of the caller
//! through `rds.REGION.amazonaws.com`. Encryption is chosen at creation only; an unencrypted
//! instance is encrypted by snapshot → `CopyDBSnapshot` with `KmsKeyId` → restore; snapshots
//! encrypted with `aws/rds` cannot be shared
//! (<https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html>,
//! <https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/share-encrypted-snapshot.html>).

use std::collections::BTreeMap;

mod error;
mod instance;
mod password;
/// Rotates the RDS-managed master-user secrets that are due (Secrets Manager calls it too, so a
/// secret read after the clock moved shows the rotated password).
pub(crate) use password::rotate_due as rotate_managed_passwords;
pub use password::{LoginError, login};
pub(crate) use password::{rotate_secret_now as rotate_managed_secret, set_password};
pub mod model;
mod service;
mod settings;
mod snapshot;

use serde::{Deserialize, Serialize};

pub use error::RdsError;
pub use model::{RdsClient, RdsRequest, RdsResponse};

use crate::World;
use crate::context::CallContext;
use crate::service_kms::{Sealed, ServiceKms};

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
    /// The master user's name.
    #[serde(default)]
    pub master_username: Option<String>,
    /// The Secrets Manager secret RDS manages for the master password.
    #[serde(default)]
    pub master_secret: Option<MasterSecret>,
    /// Engine version, storage, network, backups (`None`: saved before the lab modelled them).
    #[serde(default)]
    pub settings: Option<settings::Settings>,
}

/// The secret RDS manages for an instance's master password.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct MasterSecret {
    pub arn: String,
    /// The ARN of the key its current version is encrypted under.
    pub key_arn: String,
    /// `active` or `impaired` (a rotation failed: RDS can no longer use the secret or its key).
    pub status: String,
    /// When it was last created or rotated (the next rotation is due 7 days later).
    pub rotated_ms: i64,
}

impl DbInstance {
    /// Its settings (the engine's defaults for an instance saved before they were modelled).
    pub(crate) fn settings(&self) -> settings::Settings {
        self.settings
            .clone()
            .unwrap_or_else(|| settings::Settings::legacy(&self.engine, self.storage, &self.region))
    }

    pub(crate) fn arn(&self) -> String {
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
    /// The instance's settings when the snapshot was taken.
    #[serde(default)]
    pub settings: Option<settings::Settings>,
    /// When the instance was created.
    #[serde(default)]
    pub instance_created_ms: Option<i64>,
    /// The instance's master user.
    #[serde(default)]
    pub master_username: Option<String>,
    /// A copy's source: (Region, snapshot ARN).
    #[serde(default)]
    pub source: Option<(String, String)>,
}

impl DbSnapshot {
    /// The instance settings it keeps (the engine's defaults for one saved before they were
    /// modelled).
    pub(crate) fn settings(&self) -> settings::Settings {
        self.settings
            .clone()
            .unwrap_or_else(|| settings::Settings::legacy(&self.engine, self.storage, &self.region))
    }

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
    /// Each instance's master user login (`ACCOUNT/REGION/ID` → SHA-256 of the password): what
    /// the database itself checks (see `password::login`).
    #[serde(default)]
    pub(crate) logins: BTreeMap<String, password::Login>,
}

impl Rds {
    /// The number of DB instances in every account and Region.
    pub fn instance_count(&self) -> usize {
        self.instances.len()
    }
}

/// The `ACCOUNT/REGION/ID` key of an instance or snapshot.
fn slot(account: &str, region: &str, id: &str) -> String {
    format!("{account}/{region}/{id}")
}

/// RDS calls KMS for the caller, with data keys bound to the DB instance or snapshot.
const KMS: ServiceKms<RdsError> = ServiceKms {
    service: "rds",
    context_key: "aws:rds:db-id",
    map_err: RdsError::from_kms,
    internal: RdsError::InternalError,
};

/// The key id of the caller's `aws/rds` key (created on first use).
fn managed_key(world: &mut World, ctx: &CallContext) -> Result<String, RdsError> {
    let now = world.now_ms();
    world
        .kms
        .aws_managed_key(&ctx.account, &ctx.region, "rds", now, &mut world.rng)
        .map_err(RdsError::ManagedKey)
}

/// The key of a new encrypted resource: the named one, or the account's `aws/rds`.
fn pick_key(
    world: &mut World,
    ctx: &CallContext,
    requested: Option<&str>,
) -> Result<String, RdsError> {
    match requested {
        Some(k) => Ok(k.to_owned()),
        None => {
            let id = managed_key(world, ctx)?;
            Ok(format!(
                "arn:aws:kms:{}:{}:key/{id}",
                ctx.region, ctx.account
            ))
        }
    }
}
