//! The AWS managed rules the lab evaluates, as the AWS Config console's "Add rule" lists them:
//! the rule's name on its page in the AWS Config developer guide (the console's default rule
//! name), its source identifier, and the description its page gives.

use cloud::config::managed::{RULES, Trigger};

/// A managed rule of the "Add rule" list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Managed {
    /// The source identifier (`ENCRYPTED_VOLUMES`).
    pub identifier: &'static str,
    /// The rule's page name, the console's default rule name (`encrypted-volumes`).
    pub name: &'static str,
    /// The description on the rule's page.
    pub description: &'static str,
}

/// Every managed rule the engine models, with its page name and description.
pub(super) const MANAGED: &[Managed] = &[
    Managed {
        identifier: "ENCRYPTED_VOLUMES",
        name: "encrypted-volumes",
        description: "Checks if attached Amazon EBS volumes are encrypted and optionally are encrypted with a specified KMS key. The rule is NON_COMPLIANT if attached EBS volumes are unencrypted or are encrypted with a KMS key not in the supplied parameters.",
    },
    Managed {
        identifier: "EC2_EBS_ENCRYPTION_BY_DEFAULT",
        name: "ec2-ebs-encryption-by-default",
        description: "Checks if Amazon Elastic Block Store (EBS) encryption is enabled by default. The rule is NON_COMPLIANT if the encryption is not enabled.",
    },
    Managed {
        identifier: "RDS_STORAGE_ENCRYPTED",
        name: "rds-storage-encrypted",
        description: "Checks if storage encryption is enabled for your Amazon Relational Database Service (Amazon RDS) DB instances. The rule is NON_COMPLIANT if storage encryption is not enabled.",
    },
    Managed {
        identifier: "RDS_SNAPSHOT_ENCRYPTED",
        name: "rds-snapshot-encrypted",
        description: "Checks if Amazon Relational Database Service (Amazon RDS) DB snapshots are encrypted. The rule is NON_COMPLIANT if the Amazon RDS DB snapshots are not encrypted.",
    },
    Managed {
        identifier: "S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED",
        name: "s3-bucket-server-side-encryption-enabled",
        description: "Checks if your Amazon S3 bucket either has the Amazon S3 default encryption enabled or that the Amazon S3 bucket policy explicitly denies put-object requests without server side encryption that uses AES-256 or AWS Key Management Service. The rule is NON_COMPLIANT if your Amazon S3 bucket is not encrypted by default.",
    },
    Managed {
        identifier: "S3_DEFAULT_ENCRYPTION_KMS",
        name: "s3-default-encryption-kms",
        description: "Checks if the Amazon S3 buckets are encrypted with AWS Key Management Service (AWS KMS). The rule is NON_COMPLIANT if the Amazon S3 bucket is not encrypted with AWS KMS key.",
    },
    Managed {
        identifier: "DYNAMODB_TABLE_ENCRYPTED_KMS",
        name: "dynamodb-table-encrypted-kms",
        description: "Checks if Amazon DynamoDB table is encrypted with AWS Key Management Service (KMS). The rule is NON_COMPLIANT if Amazon DynamoDB table is not encrypted with AWS KMS. The rule is also NON_COMPLIANT if the encrypted AWS KMS key is not present in kmsKeyArns input parameter.",
    },
    Managed {
        identifier: "EFS_ENCRYPTED_CHECK",
        name: "efs-encrypted-check",
        description: "Checks if Amazon Elastic File System (Amazon EFS) is configured to encrypt the file data using AWS Key Management Service (AWS KMS). The rule is NON_COMPLIANT if the encrypted key is set to false on DescribeFileSystems or if the KmsKeyId key on DescribeFileSystems does not match the KmsKeyId parameter.",
    },
    Managed {
        identifier: "CLOUD_TRAIL_ENCRYPTION_ENABLED",
        name: "cloud-trail-encryption-enabled",
        description: "Checks if AWS CloudTrail is configured to use the server side encryption (SSE) AWS Key Management Service (AWS KMS) encryption. The rule is COMPLIANT if the KmsKeyId is defined.",
    },
    Managed {
        identifier: "CLOUDWATCH_LOG_GROUP_ENCRYPTED",
        name: "cloudwatch-log-group-encrypted",
        description: "Checks if Amazon CloudWatch Log Groups are encrypted with any AWS KMS key or a specified AWS KMS key Id. The rule is NON_COMPLIANT if a CloudWatch Log Group is not encrypted with a KMS key or is encrypted with a KMS key not supplied in the rule parameter.",
    },
    Managed {
        identifier: "KMS_CMK_NOT_SCHEDULED_FOR_DELETION",
        name: "kms-cmk-not-scheduled-for-deletion",
        description: "Checks if AWS Key Management Service (AWS KMS) keys are not scheduled for deletion in AWS KMS. The rule is NON_COMPLIANT if KMS keys are scheduled for deletion.",
    },
];

/// The managed rule with this identifier.
pub(super) fn managed(identifier: &str) -> Option<&'static Managed> {
    MANAGED.iter().find(|m| m.identifier == identifier)
}

/// The rule's trigger as the console shows it.
pub(super) fn trigger(identifier: &str) -> &'static str {
    match RULES.iter().find(|r| r.identifier == identifier) {
        Some(r) if r.trigger == Trigger::Periodic => "Periodic: 24 hours",
        Some(_) => "Configuration changes",
        None => "-",
    }
}

/// The resource types the rule evaluates (its default scope in the console).
pub(super) fn resource_types(identifier: &str) -> &'static [&'static str] {
    RULES
        .iter()
        .find(|r| r.identifier == identifier)
        .map_or(&[], |r| r.resource_types)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_exactly_the_engines_managed_rules() {
        assert_eq!(MANAGED.len(), RULES.len());
        for r in RULES {
            let m = managed(r.identifier).unwrap();
            assert_eq!(
                m.name,
                r.identifier.to_lowercase().replace('_', "-"),
                "the page name is the identifier in lower case"
            );
            assert!(m.description.starts_with("Checks if"), "{}", m.identifier);
        }
        assert_eq!(
            trigger("EC2_EBS_ENCRYPTION_BY_DEFAULT"),
            "Periodic: 24 hours"
        );
        assert_eq!(trigger("ENCRYPTED_VOLUMES"), "Configuration changes");
        assert_eq!(resource_types("ENCRYPTED_VOLUMES"), ["AWS::EC2::Volume"]);
    }
}
