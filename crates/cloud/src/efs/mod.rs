//! Amazon EFS file systems and their encryption at rest
//! (<https://docs.aws.amazon.com/efs/latest/ug/encryption-at-rest.html>,
//! <https://docs.aws.amazon.com/efs/latest/ug/use-kms-key.html>):
//! - encryption is chosen **only when the file system is created**: through the API a file
//!   system is unencrypted unless `Encrypted` is true; `KmsKeyId` (only with `Encrypted`) picks
//!   a customer managed key, else the AWS managed key `aws/elasticfilesystem` (created on first
//!   use); no operation changes it afterwards (to encrypt an existing file system, copy its data
//!   to a new encrypted one);
//! - creating an encrypted file system makes EFS's KMS requests **as the caller, through EFS**
//!   (`kms:ViaService` `elasticfilesystem.REGION.amazonaws.com`): `DescribeKey`, then
//!   `CreateGrant` for the EFS service principal; a key that is disabled, pending deletion or
//!   not allowed fails the creation;
//! - a key disabled or deleted later does not change what the EFS API shows: a mounted file
//!   system "stops working after a period of time", which the lab (without mounts or file data)
//!   does not model;
//! - IAM can require encryption with the condition key `elasticfilesystem:Encrypted` on
//!   `elasticfilesystem:CreateFileSystem`
//!   (<https://docs.aws.amazon.com/efs/latest/ug/using-iam-to-enforce-encryption-at-rest.html>).
//!
//! The aws-cli calls the service `efs`; its endpoint, its CloudTrail event source and its IAM
//! prefix are `elasticfilesystem`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

mod error;
mod file_system;
pub mod model;
mod service;

pub use error::EfsError;
pub use model::{EfsClient, EfsRequest, EfsResponse};

use crate::service_kms::ServiceKms;

/// The AWS managed key of EFS.
pub const MANAGED_KEY: &str = "alias/aws/elasticfilesystem";

/// A file system.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct FileSystem {
    pub id: String,
    pub account: String,
    pub region: String,
    pub creation_token: String,
    pub created_ms: i64,
    pub performance_mode: String,
    pub throughput_mode: String,
    pub availability_zone: Option<String>,
    /// The KMS key's ARN, if encrypted.
    pub kms_key_arn: Option<String>,
    pub tags: Vec<model::Tag>,
}

impl FileSystem {
    pub(crate) fn arn(&self) -> String {
        format!(
            "arn:aws:elasticfilesystem:{}:{}:file-system/{}",
            self.region, self.account, self.id
        )
    }
}

/// The EFS state of every account and Region, by file system id.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Efs {
    pub(crate) file_systems: BTreeMap<String, FileSystem>,
}

impl Efs {
    /// The number of file systems in every account and Region.
    pub fn file_system_count(&self) -> usize {
        self.file_systems.len()
    }
}

/// EFS calls KMS for the caller; its AWS managed key is `aws/elasticfilesystem`.
pub(crate) const KMS: ServiceKms<EfsError> = ServiceKms {
    service: "elasticfilesystem",
    context_key: "aws:elasticfilesystem:filesystem:id",
    map_err: EfsError::from_kms,
    internal: EfsError::InternalServerError,
};
