//! The AWS managed rules the lab evaluates, by source identifier, each as its page in the
//! AWS Config developer guide describes it (trigger type, resource types, parameters):
//!
//! | identifier | trigger | resource types | parameters |
//! |---|---|---|---|
//! | `ENCRYPTED_VOLUMES` | configuration changes | `AWS::EC2::Volume` | `kmsId` |
//! | `EC2_EBS_ENCRYPTION_BY_DEFAULT` | periodic | (the account) | |
//! | `RDS_STORAGE_ENCRYPTED` | configuration changes | `AWS::RDS::DBInstance` | `kmsKeyId` |
//! | `RDS_SNAPSHOT_ENCRYPTED` | configuration changes | `AWS::RDS::DBSnapshot`, `AWS::RDS::DBClusterSnapshot` | |
//! | `S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED` | configuration changes | `AWS::S3::Bucket` | |
//! | `S3_DEFAULT_ENCRYPTION_KMS` | configuration changes | `AWS::S3::Bucket`, `AWS::KMS::Key` | `kmsKeyArns` |
//! | `DYNAMODB_TABLE_ENCRYPTED_KMS` | configuration changes | `AWS::DynamoDB::Table` | `kmsKeyArns` |
//! | `EFS_ENCRYPTED_CHECK` | periodic | `AWS::EFS::FileSystem` | `KmsKeyId` |
//! | `CLOUD_TRAIL_ENCRYPTION_ENABLED` | periodic | `AWS::CloudTrail::Trail` | |
//! | `CLOUDWATCH_LOG_GROUP_ENCRYPTED` | periodic | `AWS::Logs::LogGroup` | `KmsKeyId` |
//! | `KMS_CMK_NOT_SCHEDULED_FOR_DELETION` | periodic | `AWS::KMS::Key` | `kmsKeyIds` |
//!
//! What each one checks is in `checks.rs`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::checks;
use crate::World;

/// An evaluation's verdict on one resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ComplianceType {
    /// The resource complies.
    Compliant,
    /// The resource does not comply.
    NonCompliant,
    /// The rule does not apply to the resource (an unattached volume for `ENCRYPTED_VOLUMES`).
    NotApplicable,
}

impl ComplianceType {
    /// The AWS name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Compliant => "COMPLIANT",
            Self::NonCompliant => "NON_COMPLIANT",
            Self::NotApplicable => "NOT_APPLICABLE",
        }
    }
}

/// What makes a managed rule evaluate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trigger {
    /// A recorded change to a resource of its scope.
    ConfigurationChanges,
    /// Every `MaximumExecutionFrequency` (24 hours by default).
    Periodic,
}

/// The account and Region a rule evaluates.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Target<'a> {
    pub account: &'a str,
    pub region: &'a str,
}

/// One resource's evaluation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Finding {
    pub resource_type: &'static str,
    pub resource_id: String,
    pub compliance: ComplianceType,
    /// The resource's tags (for a scope's `TagKey`/`TagValue`).
    pub tags: Vec<(String, String)>,
}

/// A rule's parsed `InputParameters`.
pub(crate) type Params = BTreeMap<String, String>;

/// An AWS managed rule.
#[derive(Debug)]
pub struct ManagedRule {
    /// The source identifier (`ENCRYPTED_VOLUMES`).
    pub identifier: &'static str,
    /// What makes it evaluate.
    pub trigger: Trigger,
    /// The resource types it evaluates (none: it reports on the account).
    pub resource_types: &'static [&'static str],
    /// Its optional parameters.
    pub parameters: &'static [&'static str],
    pub(crate) evaluate: fn(&World, Target<'_>, &Params) -> Vec<Finding>,
}

/// The managed rules the lab models.
pub const RULES: &[ManagedRule] = &[
    ManagedRule {
        identifier: "ENCRYPTED_VOLUMES",
        trigger: Trigger::ConfigurationChanges,
        resource_types: &["AWS::EC2::Volume"],
        parameters: &["kmsId"],
        evaluate: checks::encrypted_volumes,
    },
    ManagedRule {
        identifier: "EC2_EBS_ENCRYPTION_BY_DEFAULT",
        trigger: Trigger::Periodic,
        resource_types: &[],
        parameters: &[],
        evaluate: checks::ebs_encryption_by_default,
    },
    ManagedRule {
        identifier: "RDS_STORAGE_ENCRYPTED",
        trigger: Trigger::ConfigurationChanges,
        resource_types: &["AWS::RDS::DBInstance"],
        parameters: &["kmsKeyId"],
        evaluate: checks::rds_storage_encrypted,
    },
    ManagedRule {
        identifier: "RDS_SNAPSHOT_ENCRYPTED",
        trigger: Trigger::ConfigurationChanges,
        resource_types: &["AWS::RDS::DBSnapshot", "AWS::RDS::DBClusterSnapshot"],
        parameters: &[],
        evaluate: checks::rds_snapshot_encrypted,
    },
    ManagedRule {
        identifier: "S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED",
        trigger: Trigger::ConfigurationChanges,
        resource_types: &["AWS::S3::Bucket"],
        parameters: &[],
        evaluate: checks::s3_bucket_sse_enabled,
    },
    ManagedRule {
        identifier: "S3_DEFAULT_ENCRYPTION_KMS",
        trigger: Trigger::ConfigurationChanges,
        resource_types: &["AWS::S3::Bucket", "AWS::KMS::Key"],
        parameters: &["kmsKeyArns"],
        evaluate: checks::s3_default_encryption_kms,
    },
    ManagedRule {
        identifier: "DYNAMODB_TABLE_ENCRYPTED_KMS",
        trigger: Trigger::ConfigurationChanges,
        resource_types: &["AWS::DynamoDB::Table"],
        parameters: &["kmsKeyArns"],
        evaluate: checks::dynamodb_table_encrypted_kms,
    },
    ManagedRule {
        identifier: "EFS_ENCRYPTED_CHECK",
        trigger: Trigger::Periodic,
        resource_types: &["AWS::EFS::FileSystem"],
        parameters: &["KmsKeyId"],
        evaluate: checks::efs_encrypted,
    },
    ManagedRule {
        identifier: "CLOUD_TRAIL_ENCRYPTION_ENABLED",
        trigger: Trigger::Periodic,
        resource_types: &["AWS::CloudTrail::Trail"],
        parameters: &[],
        evaluate: checks::cloud_trail_encryption_enabled,
    },
    ManagedRule {
        identifier: "CLOUDWATCH_LOG_GROUP_ENCRYPTED",
        trigger: Trigger::Periodic,
        resource_types: &["AWS::Logs::LogGroup"],
        parameters: &["KmsKeyId"],
        evaluate: checks::log_group_encrypted,
    },
    ManagedRule {
        identifier: "KMS_CMK_NOT_SCHEDULED_FOR_DELETION",
        trigger: Trigger::Periodic,
        resource_types: &["AWS::KMS::Key"],
        parameters: &["kmsKeyIds"],
        evaluate: checks::kms_key_not_scheduled_for_deletion,
    },
];

/// The managed rule with source identifier `identifier`.
pub fn rule(identifier: &str) -> Option<&'static ManagedRule> {
    RULES.iter().find(|r| r.identifier == identifier)
}

/// The resource types a change to service `service` (aws-cli name) can touch.
pub(crate) fn types_changed_by(service: &str) -> &'static [&'static str] {
    match service {
        "ec2" => &["AWS::EC2::Volume"],
        "rds" => &["AWS::RDS::DBInstance", "AWS::RDS::DBSnapshot"],
        "s3" | "s3api" => &["AWS::S3::Bucket"],
        "kms" => &["AWS::KMS::Key"],
        "dynamodb" => &["AWS::DynamoDB::Table"],
        _ => &[],
    }
}
