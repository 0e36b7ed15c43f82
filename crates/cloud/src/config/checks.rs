//! What each managed rule checks, reading the other services' state as it is now (the lab's
//! configuration items are the resources themselves):
//! - `ENCRYPTED_VOLUMES`: attached (`in-use`) volumes must be encrypted, with `kmsId` if given;
//!   an unattached volume is `NOT_APPLICABLE`;
//! - `EC2_EBS_ENCRYPTION_BY_DEFAULT`: the account's EBS encryption by default in the Region
//!   (the result names the account, `AWS::::Account`);
//! - `RDS_STORAGE_ENCRYPTED`: DB instances must have storage encryption, with `kmsKeyId` if
//!   given (Config names an instance by its `DbiResourceId`);
//! - `RDS_SNAPSHOT_ENCRYPTED`: the account's manual DB snapshots must be encrypted;
//! - `S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED`: buckets must have default encryption (every
//!   bucket has SSE-S3 at least since January 2023, so every bucket complies);
//! - `S3_DEFAULT_ENCRYPTION_KMS`: buckets' default encryption must be SSE-KMS or DSSE-KMS, with
//!   a key of `kmsKeyArns` if given;
//! - `DYNAMODB_TABLE_ENCRYPTED_KMS`: tables must be encrypted with a KMS key (`aws/dynamodb` or
//!   customer managed, not the AWS owned key), one of `kmsKeyArns` if given;
//! - `EFS_ENCRYPTED_CHECK`: file systems must be encrypted, with `KmsKeyId` if given;
//! - `CLOUD_TRAIL_ENCRYPTION_ENABLED`: trails (of their home Region) must have a `KmsKeyId`;
//! - `CLOUDWATCH_LOG_GROUP_ENCRYPTED`: log groups must have a KMS key, `KmsKeyId` if given;
//! - `KMS_CMK_NOT_SCHEDULED_FOR_DELETION`: keys (only those of `kmsKeyIds`, if given) must not
//!   be pending deletion.

use std::collections::BTreeMap;

use super::managed::{ComplianceType, Finding, Params, Target};
use crate::World;

use ComplianceType::{Compliant, NonCompliant, NotApplicable};

/// Every name of the Region's KMS keys (key id, key ARN, alias name, alias ARN) → key ARN.
struct Keys(BTreeMap<String, String>);

impl Keys {
    fn of(world: &World, t: Target<'_>) -> Keys {
        let mut names = BTreeMap::new();
        for v in world.kms().key_views(t.account, t.region) {
            let arn = v.metadata.arn.clone();
            names.insert(v.metadata.key_id.clone(), arn.clone());
            for a in &v.aliases {
                names.insert(
                    format!("arn:aws:kms:{}:{}:{a}", t.region, t.account),
                    arn.clone(),
                );
                names.insert(a.clone(), arn.clone());
            }
            names.insert(arn.clone(), arn);
        }
        Keys(names)
    }

    /// The key ARN `id` names (itself when it names no key of the Region).
    fn arn<'a>(&'a self, id: &'a str) -> &'a str {
        self.0.get(id).map_or(id, String::as_str)
    }

    /// Whether the resource's key (`used`) is one of `allowed`.
    fn any(&self, allowed: &[String], used: &str) -> bool {
        let used = self.arn(used);
        allowed.iter().any(|a| self.arn(a) == used)
    }
}

/// A parameter as a list (comma separated), `None` when absent or blank.
fn list(p: &Params, name: &str) -> Option<Vec<String>> {
    let v: Vec<String> = p
        .get(name)?
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    (!v.is_empty()).then_some(v)
}

/// The verdict on a resource encrypted under `key` (`None`: not encrypted) when `allowed`
/// (if given) lists the keys it may use.
fn keyed(keys: &Keys, key: Option<&str>, allowed: Option<&[String]>) -> ComplianceType {
    match (key, allowed) {
        (None, _) => NonCompliant,
        (Some(_), None) => Compliant,
        (Some(k), Some(allowed)) if keys.any(allowed, k) => Compliant,
        (Some(_), Some(_)) => NonCompliant,
    }
}

fn finding(
    resource_type: &'static str,
    resource_id: &str,
    compliance: ComplianceType,
    tags: Vec<(String, String)>,
) -> Finding {
    Finding {
        resource_type,
        resource_id: resource_id.to_owned(),
        compliance,
        tags,
    }
}

pub(super) fn encrypted_volumes(world: &World, t: Target<'_>, p: &Params) -> Vec<Finding> {
    let keys = Keys::of(world, t);
    let allowed = list(p, "kmsId");
    world
        .services
        .ec2
        .volumes
        .values()
        .filter(|v| v.account == t.account && v.region == t.region)
        .map(|v| {
            let c = if v.attached_to.is_none() && v.state != "in-use" {
                NotApplicable
            } else if !v.encrypted {
                NonCompliant
            } else {
                keyed(&keys, v.kms_key_arn.as_deref(), allowed.as_deref())
            };
            finding("AWS::EC2::Volume", &v.id, c, v.tags.clone())
        })
        .collect()
}

pub(super) fn ebs_encryption_by_default(world: &World, t: Target<'_>, _: &Params) -> Vec<Finding> {
    let on = world
        .services
        .ec2
        .defaults
        .get(&super::slot(t.account, t.region))
        .is_some_and(|d| d.enabled);
    vec![finding(
        "AWS::::Account",
        t.account,
        if on { Compliant } else { NonCompliant },
        Vec::new(),
    )]
}

pub(super) fn rds_storage_encrypted(world: &World, t: Target<'_>, p: &Params) -> Vec<Finding> {
    let keys = Keys::of(world, t);
    let allowed = list(p, "kmsKeyId");
    world
        .services
        .rds
        .instances
        .values()
        .filter(|i| i.account == t.account && i.region == t.region)
        .map(|i| {
            let key = i.kms_key_arn.as_deref().filter(|_| i.encrypted);
            let dbi = i.settings().dbi_resource_id;
            let id = if dbi.is_empty() { i.id.clone() } else { dbi };
            finding(
                "AWS::RDS::DBInstance",
                &id,
                keyed(&keys, key, allowed.as_deref()),
                Vec::new(),
            )
        })
        .collect()
}

pub(super) fn rds_snapshot_encrypted(world: &World, t: Target<'_>, _: &Params) -> Vec<Finding> {
    world
        .services
        .rds
        .snapshots
        .values()
        .filter(|s| s.account == t.account && s.region == t.region)
        .map(|s| {
            let c = if s.encrypted { Compliant } else { NonCompliant };
            finding("AWS::RDS::DBSnapshot", &s.id, c, Vec::new())
        })
        .collect()
}

/// The Region's buckets of the account.
fn buckets<'w>(world: &'w World, t: Target<'_>) -> impl Iterator<Item = &'w crate::s3::Bucket> {
    let (account, region) = (t.account.to_owned(), t.region.to_owned());
    world
        .services
        .s3
        .buckets
        .values()
        .filter(move |b| b.account == account && b.region == region)
}

pub(super) fn s3_bucket_sse_enabled(world: &World, t: Target<'_>, _: &Params) -> Vec<Finding> {
    buckets(world, t)
        .map(|b| {
            let c = if b.encryption.algorithm.is_empty() {
                NonCompliant
            } else {
                Compliant
            };
            finding("AWS::S3::Bucket", &b.name, c, Vec::new())
        })
        .collect()
}

pub(super) fn s3_default_encryption_kms(world: &World, t: Target<'_>, p: &Params) -> Vec<Finding> {
    let keys = Keys::of(world, t);
    let allowed = list(p, "kmsKeyArns");
    buckets(world, t)
        .map(|b| {
            let key = b
                .encryption
                .algorithm
                .starts_with("aws:kms")
                .then(|| b.encryption.kms_key.as_deref().unwrap_or("alias/aws/s3"));
            finding(
                "AWS::S3::Bucket",
                &b.name,
                keyed(&keys, key, allowed.as_deref()),
                Vec::new(),
            )
        })
        .collect()
}

pub(super) fn dynamodb_table_encrypted_kms(
    world: &World,
    t: Target<'_>,
    p: &Params,
) -> Vec<Finding> {
    let keys = Keys::of(world, t);
    let allowed = list(p, "kmsKeyArns");
    world
        .services
        .dynamodb
        .tables
        .values()
        .filter(|x| x.account == t.account && x.region == t.region)
        .map(|x| {
            let tags = x
                .tags
                .iter()
                .map(|t| (t.key.clone(), t.value.clone()))
                .collect();
            finding(
                "AWS::DynamoDB::Table",
                &x.name,
                keyed(&keys, x.encryption.key_arn(), allowed.as_deref()),
                tags,
            )
        })
        .collect()
}

pub(super) fn efs_encrypted(world: &World, t: Target<'_>, p: &Params) -> Vec<Finding> {
    let keys = Keys::of(world, t);
    let allowed = list(p, "KmsKeyId");
    world
        .services
        .efs
        .file_systems
        .values()
        .filter(|f| f.account == t.account && f.region == t.region)
        .map(|f| {
            let tags = f
                .tags
                .iter()
                .map(|t| (t.key.clone(), t.value.clone()))
                .collect();
            finding(
                "AWS::EFS::FileSystem",
                &f.id,
                keyed(&keys, f.kms_key_arn.as_deref(), allowed.as_deref()),
                tags,
            )
        })
        .collect()
}

pub(super) fn cloud_trail_encryption_enabled(
    world: &World,
    t: Target<'_>,
    _: &Params,
) -> Vec<Finding> {
    world
        .trail
        .trails
        .trails
        .values()
        .filter(|x| x.account == t.account && x.home_region == t.region)
        .map(|x| {
            let c = if x.kms_key.is_some() {
                Compliant
            } else {
                NonCompliant
            };
            finding("AWS::CloudTrail::Trail", &x.name, c, Vec::new())
        })
        .collect()
}

pub(super) fn log_group_encrypted(world: &World, t: Target<'_>, p: &Params) -> Vec<Finding> {
    let keys = Keys::of(world, t);
    let allowed = list(p, "KmsKeyId");
    world
        .services
        .logs
        .groups
        .values()
        .filter(|g| g.account == t.account && g.region == t.region)
        .map(|g| {
            let tags = g
                .tags
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            finding(
                "AWS::Logs::LogGroup",
                &g.name,
                keyed(&keys, g.kms_key_id.as_deref(), allowed.as_deref()),
                tags,
            )
        })
        .collect()
}

pub(super) fn kms_key_not_scheduled_for_deletion(
    world: &World,
    t: Target<'_>,
    p: &Params,
) -> Vec<Finding> {
    let only = list(p, "kmsKeyIds");
    world
        .kms()
        .key_views(t.account, t.region)
        .into_iter()
        .filter(|v| {
            only.as_ref().is_none_or(|ids| {
                ids.iter()
                    .any(|id| *id == v.metadata.key_id || *id == v.metadata.arn)
            })
        })
        .map(|v| {
            let c = if v.metadata.key_state.starts_with("Pending")
                && v.metadata.key_state.ends_with("Deletion")
            {
                NonCompliant
            } else {
                Compliant
            };
            let tags = v
                .tags
                .iter()
                .map(|t| (t.tag_key.clone(), t.tag_value.clone()))
                .collect();
            finding("AWS::KMS::Key", &v.metadata.key_id, c, tags)
        })
        .collect()
}
