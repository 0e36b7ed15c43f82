//! EC2/EBS on top of KMS: encryption by default (per account and Region), the default EBS key,
//! volumes, snapshots (copy, share) and minimal instances. Volumes and snapshots are records
//! (no block data), but every encrypted one holds a data key KMS encrypted: EBS asks KMS
//! `GenerateDataKeyWithoutPlaintext` at creation, and EC2 `CreateGrant` + `Decrypt` when a
//! volume is attached, all **on behalf of the caller** through `ec2.REGION.amazonaws.com`
//! (<https://docs.aws.amazon.com/ebs/latest/userguide/how-ebs-encryption-works.html>).

use std::collections::BTreeMap;

mod defaults;
mod error;
mod instance;
pub mod model;
mod service;
mod snapshot;
mod volume;

use serde::{Deserialize, Serialize};

pub use error::Ec2Error;
pub use model::{Ec2Client, Ec2Request, Ec2Response};

use crate::World;
use crate::context::CallContext;
use crate::service_kms::{Sealed, ServiceKms};

/// The EBS encryption settings of one account and Region.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub(crate) struct EbsDefaults {
    pub enabled: bool,
    /// `None` = `alias/aws/ebs`.
    pub kms_key: Option<String>,
}

/// An EBS volume (a record: no block data).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Volume {
    pub id: String,
    pub account: String,
    pub region: String,
    pub az: String,
    pub size: u64,
    pub encrypted: bool,
    pub kms_key_arn: Option<String>,
    /// KMS's ciphertext of the volume's data key.
    pub wrapped_key: Option<String>,
    pub snapshot_id: Option<String>,
    pub state: String,
    pub attached_to: Option<String>,
    /// The device name of the attachment (`/dev/xvda` for an instance's root volume). Volumes
    /// saved before it was kept have none: see `volume::device_of`.
    #[serde(default)]
    pub device: Option<String>,
    pub created_ms: i64,
    /// `gp2`, `gp3`, `io1`, `io2`, `st1`, `sc1`, `standard` (volumes saved before types were
    /// modelled were gp3).
    #[serde(default = "volume::legacy_type")]
    pub volume_type: String,
    /// Provisioned or baseline IOPS (none for the HDD types).
    #[serde(default)]
    pub iops: Option<u32>,
    /// Throughput in MiB/s (gp3).
    #[serde(default)]
    pub throughput: Option<u32>,
    /// Multi-Attach (io1, io2).
    #[serde(default)]
    pub multi_attach: bool,
    /// Tags (key, value).
    #[serde(default)]
    pub tags: Vec<(String, String)>,
}

/// An EBS snapshot.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Snapshot {
    pub id: String,
    pub account: String,
    pub region: String,
    pub volume_id: String,
    pub size: u64,
    pub encrypted: bool,
    pub kms_key_arn: Option<String>,
    pub wrapped_key: Option<String>,
    /// The resource id the data key's encryption context names (`aws:ebs:id`).
    #[serde(default)]
    pub key_context: String,
    pub description: String,
    /// Accounts it is shared with, and `all` when public.
    pub shared_with: Vec<String>,
    pub created_ms: i64,
    /// Tags (key, value).
    #[serde(default)]
    pub tags: Vec<(String, String)>,
}

impl Snapshot {
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

/// An instance: an id, a state and a root volume.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Instance {
    pub id: String,
    pub account: String,
    pub region: String,
    pub image_id: String,
    pub instance_type: String,
    pub state: String,
    pub state_reason: Option<(String, String)>,
    pub root_volume: Option<String>,
    pub launched_ms: i64,
}

/// The EC2 state of every account and Region.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Ec2 {
    /// By `ACCOUNT/REGION`.
    pub(crate) defaults: BTreeMap<String, EbsDefaults>,
    pub(crate) volumes: BTreeMap<String, Volume>,
    pub(crate) snapshots: BTreeMap<String, Snapshot>,
    pub(crate) instances: BTreeMap<String, Instance>,
}

impl Ec2 {
    /// The number of volumes in every account and Region.
    pub fn volume_count(&self) -> usize {
        self.volumes.len()
    }
}

/// The `ACCOUNT/REGION` slot of the caller's EBS defaults.
fn slot(ctx: &CallContext) -> String {
    format!("{}/{}", ctx.account, ctx.region)
}

/// EBS calls KMS through EC2, with data keys bound to the volume or snapshot id.
const KMS: ServiceKms<Ec2Error> = ServiceKms {
    service: "ec2",
    context_key: "aws:ebs:id",
    map_err: Ec2Error::from_kms,
    internal: Ec2Error::InternalError,
};

fn new_id(world: &mut World, prefix: &str) -> String {
    format!("{prefix}-{}", world.rng.hex(17))
}

/// The ARN of the caller's `aws/ebs` key (created on first use).
fn managed_key_arn(world: &mut World, ctx: &CallContext) -> Result<String, Ec2Error> {
    let now = world.now_ms();
    let id = world
        .kms
        .aws_managed_key(&ctx.account, &ctx.region, "ebs", now, &mut world.rng)
        .map_err(Ec2Error::ManagedKey)?;
    Ok(format!(
        "arn:aws:kms:{}:{}:key/{id}",
        ctx.region, ctx.account
    ))
}

/// The key a new encrypted resource gets: the request's, else the account's EBS default key,
/// else `aws/ebs`.
fn pick_key(
    world: &mut World,
    ctx: &CallContext,
    requested: Option<&str>,
) -> Result<String, Ec2Error> {
    if let Some(k) = requested {
        return Ok(k.to_owned());
    }
    if let Some(k) = world
        .services.ec2
        .defaults
        .get(&slot(ctx))
        .and_then(|d| d.kms_key.clone())
    {
        return Ok(k);
    }
    managed_key_arn(world, ctx)
}
