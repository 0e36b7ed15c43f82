//! Secrets Manager's typed requests and responses. Secrets Manager speaks the AWS JSON 1.1
//! protocol; the request members are read leniently ([`crate::lenient`]) so each operation
//! reports what it requires in its own order, and the responses are serialised in the member
//! order of the official model (`secretsmanager-2017-10-17`), the order the aws-cli prints.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::kms::model::Blob;
use crate::lenient::StringList;

/// A tag (`Key`, `Value`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Tag {
    /// 1–128 characters.
    #[serde(default)]
    pub key: String,
    /// 0–256 characters.
    #[serde(default)]
    pub value: String,
}

/// A `ListSecrets` / `BatchGetSecretValue` filter.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Filter {
    /// `description`, `name`, `tag-key`, `tag-value`, `primary-region`, `owning-service`, `all`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The values (a leading `!` negates one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<String>>,
}

/// `RotationRules`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RotationRules {
    /// Days between rotations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub automatically_after_days: Option<i64>,
    /// `rate(…)` or `cron(…)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<String>,
    /// `rate(…)` or `cron(…)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule_expression: Option<String>,
}

lenient_request!(
    /// `CreateSecret`.
    CreateSecretRequest {
        /// The name (1–512 characters of `A-Za-z0-9/_+=.@-`).
        name: String = "Name",
        /// The first version's id (a UUID is made when absent).
        client_request_token: String = "ClientRequestToken",
        /// Up to 2048 characters.
        description: String = "Description",
        /// The KMS key (default `aws/secretsmanager`).
        kms_key_id: String = "KmsKeyId",
        /// A binary value (base64), up to 65,536 bytes.
        secret_binary: Blob = "SecretBinary",
        /// A text value, up to 65,536 bytes.
        secret_string: String = "SecretString",
        /// Tags.
        tags: Vec<Tag> = "Tags",
        /// Replica Regions (not modelled).
        add_replica_regions: serde_json::Value = "AddReplicaRegions",
        /// Replica overwrite (not modelled).
        force_overwrite_replica_secret: bool = "ForceOverwriteReplicaSecret",
        /// The secret's type (kept).
        r#type: String = "Type",
    }
);

lenient_request!(
    /// `GetSecretValue`.
    GetSecretValueRequest {
        /// The name or ARN (another account's secret only by ARN).
        secret_id: String = "SecretId",
        /// A version id.
        version_id: String = "VersionId",
        /// A staging label (default `AWSCURRENT`).
        version_stage: String = "VersionStage",
    }
);

lenient_request!(
    /// `BatchGetSecretValue`.
    BatchGetSecretValueRequest {
        /// Up to 20 names or ARNs.
        secret_id_list: StringList = "SecretIdList",
        /// Filters (instead of `SecretIdList`).
        filters: Vec<Filter> = "Filters",
        /// 1–20.
        max_results: i64 = "MaxResults",
        /// The token of the previous page.
        next_token: String = "NextToken",
    }
);

lenient_request!(
    /// `PutSecretValue`.
    PutSecretValueRequest {
        /// The name or ARN.
        secret_id: String = "SecretId",
        /// The new version's id.
        client_request_token: String = "ClientRequestToken",
        /// A binary value.
        secret_binary: Blob = "SecretBinary",
        /// A text value.
        secret_string: String = "SecretString",
        /// The new version's labels (default `AWSCURRENT`).
        version_stages: StringList = "VersionStages",
        /// Rotation metadata (not modelled).
        rotation_token: String = "RotationToken",
    }
);

lenient_request!(
    /// `DescribeSecret`.
    DescribeSecretRequest {
        /// The name or ARN.
        secret_id: String = "SecretId",
    }
);

lenient_request!(
    /// `ListSecrets`.
    ListSecretsRequest {
        /// Also list secrets scheduled for deletion.
        include_planned_deletion: bool = "IncludePlannedDeletion",
        /// 1–100.
        max_results: i64 = "MaxResults",
        /// The token of the previous page.
        next_token: String = "NextToken",
        /// Filters.
        filters: Vec<Filter> = "Filters",
        /// `asc` or `desc`.
        sort_order: String = "SortOrder",
        /// `created-date`, `last-accessed-date`, `last-changed-date`, `name`.
        sort_by: String = "SortBy",
    }
);

lenient_request!(
    /// `ListSecretVersionIds`.
    ListSecretVersionIdsRequest {
        /// The name or ARN.
        secret_id: String = "SecretId",
        /// 1–100.
        max_results: i64 = "MaxResults",
        /// The token of the previous page.
        next_token: String = "NextToken",
        /// Also list versions without a staging label.
        include_deprecated: bool = "IncludeDeprecated",
    }
);

lenient_request!(
    /// `UpdateSecret`.
    UpdateSecretRequest {
        /// The name or ARN.
        secret_id: String = "SecretId",
        /// The new version's id (with a new value).
        client_request_token: String = "ClientRequestToken",
        /// A new description.
        description: String = "Description",
        /// A new KMS key.
        kms_key_id: String = "KmsKeyId",
        /// A new binary value.
        secret_binary: Blob = "SecretBinary",
        /// A new text value.
        secret_string: String = "SecretString",
        /// The secret's type (kept).
        r#type: String = "Type",
    }
);

lenient_request!(
    /// `UpdateSecretVersionStage`.
    UpdateSecretVersionStageRequest {
        /// The name or ARN.
        secret_id: String = "SecretId",
        /// The staging label to move.
        version_stage: String = "VersionStage",
        /// The version the label leaves.
        remove_from_version_id: String = "RemoveFromVersionId",
        /// The version the label joins.
        move_to_version_id: String = "MoveToVersionId",
    }
);

lenient_request!(
    /// `DeleteSecret`.
    DeleteSecretRequest {
        /// The name or ARN.
        secret_id: String = "SecretId",
        /// 7–30 days (default 30).
        recovery_window_in_days: i64 = "RecoveryWindowInDays",
        /// Delete now, with no recovery window.
        force_delete_without_recovery: bool = "ForceDeleteWithoutRecovery",
    }
);

lenient_request!(
    /// `RestoreSecret`.
    RestoreSecretRequest {
        /// The name or ARN.
        secret_id: String = "SecretId",
    }
);

lenient_request!(
    /// `TagResource`.
    TagResourceRequest {
        /// The name or ARN.
        secret_id: String = "SecretId",
        /// Tags to add or replace.
        tags: Vec<Tag> = "Tags",
    }
);

lenient_request!(
    /// `UntagResource`.
    UntagResourceRequest {
        /// The name or ARN.
        secret_id: String = "SecretId",
        /// Tag keys to remove.
        tag_keys: StringList = "TagKeys",
    }
);

lenient_request!(
    /// `GetResourcePolicy` / `DeleteResourcePolicy`.
    SecretIdRequest {
        /// The name or ARN.
        secret_id: String = "SecretId",
    }
);

lenient_request!(
    /// `PutResourcePolicy`.
    PutResourcePolicyRequest {
        /// The name or ARN.
        secret_id: String = "SecretId",
        /// The policy (JSON text).
        resource_policy: String = "ResourcePolicy",
        /// Refuse a policy that grants broad access (default true).
        block_public_policy: bool = "BlockPublicPolicy",
    }
);

lenient_request!(
    /// `ValidateResourcePolicy`.
    ValidateResourcePolicyRequest {
        /// The name or ARN (optional).
        secret_id: String = "SecretId",
        /// The policy (JSON text).
        resource_policy: String = "ResourcePolicy",
    }
);

lenient_request!(
    /// `RotateSecret`.
    RotateSecretRequest {
        /// The name or ARN.
        secret_id: String = "SecretId",
        /// The new version's id.
        client_request_token: String = "ClientRequestToken",
        /// The rotation function (the lab has no Lambda).
        rotation_lambda_arn: String = "RotationLambdaARN",
        /// The schedule.
        rotation_rules: RotationRules = "RotationRules",
        /// Rotate now (default true).
        rotate_immediately: bool = "RotateImmediately",
    }
);

lenient_request!(
    /// `GetRandomPassword`.
    GetRandomPasswordRequest {
        /// 1–4096 (default 32).
        password_length: i64 = "PasswordLength",
        /// Characters never used.
        exclude_characters: String = "ExcludeCharacters",
        /// No digits.
        exclude_numbers: bool = "ExcludeNumbers",
        /// No punctuation.
        exclude_punctuation: bool = "ExcludePunctuation",
        /// No upper-case letters.
        exclude_uppercase: bool = "ExcludeUppercase",
        /// No lower-case letters.
        exclude_lowercase: bool = "ExcludeLowercase",
        /// Include the space character.
        include_space: bool = "IncludeSpace",
        /// At least one character of every included type (default true).
        require_each_included_type: bool = "RequireEachIncludedType",
    }
);

/// `ARN`, `Name`, `VersionId`: what `CreateSecret`, `PutSecretValue`, `UpdateSecret` and
/// `RotateSecret` answer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretVersionResponse {
    /// The secret's ARN.
    #[serde(rename = "ARN")]
    pub arn: String,
    /// The secret's name.
    #[serde(rename = "Name")]
    pub name: String,
    /// The new version, if one was made.
    #[serde(rename = "VersionId", default, skip_serializing_if = "Option::is_none")]
    pub version_id: Option<String>,
    /// The new version's labels (`PutSecretValue` only).
    #[serde(rename = "VersionStages", default, skip_serializing_if = "Option::is_none")]
    pub version_stages: Option<Vec<String>>,
}

/// `ARN`, `Name`: `RestoreSecret`, `DeleteResourcePolicy`, `PutResourcePolicy`,
/// `UpdateSecretVersionStage`, `CancelRotateSecret`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretRef {
    /// The secret's ARN.
    #[serde(rename = "ARN")]
    pub arn: String,
    /// The secret's name.
    #[serde(rename = "Name")]
    pub name: String,
}

/// `GetSecretValue`'s answer (one entry of `BatchGetSecretValue`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SecretValue {
    /// The ARN.
    #[serde(rename = "ARN")]
    pub arn: String,
    /// The name.
    #[serde(rename = "Name")]
    pub name: String,
    /// The version.
    #[serde(rename = "VersionId")]
    pub version_id: String,
    /// A binary value.
    #[serde(rename = "SecretBinary", default, skip_serializing_if = "Option::is_none")]
    pub secret_binary: Option<Blob>,
    /// A text value.
    #[serde(rename = "SecretString", default, skip_serializing_if = "Option::is_none")]
    pub secret_string: Option<String>,
    /// The version's labels.
    #[serde(rename = "VersionStages")]
    pub version_stages: Vec<String>,
    /// Epoch seconds.
    #[serde(rename = "CreatedDate")]
    pub created_date: f64,
}

/// One failure of `BatchGetSecretValue`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiErrorType {
    /// The secret asked for.
    #[serde(rename = "SecretId")]
    pub secret_id: String,
    /// The error code.
    #[serde(rename = "ErrorCode")]
    pub error_code: String,
    /// The message.
    #[serde(rename = "Message")]
    pub message: String,
}

/// `BatchGetSecretValue`'s answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BatchGetSecretValueResponse {
    /// The values read.
    #[serde(rename = "SecretValues")]
    pub secret_values: Vec<SecretValue>,
    /// The next page's token.
    #[serde(rename = "NextToken", default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    /// The secrets that failed.
    #[serde(rename = "Errors")]
    pub errors: Vec<ApiErrorType>,
}

/// A secret as `DescribeSecret` and `ListSecrets` show it (no value).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SecretMetadata {
    /// The ARN.
    #[serde(rename = "ARN")]
    pub arn: String,
    /// The name.
    #[serde(rename = "Name")]
    pub name: String,
    /// The type, when set.
    #[serde(rename = "Type", default, skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
    /// The description.
    #[serde(rename = "Description", default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The key's ARN (left out for `aws/secretsmanager`).
    #[serde(rename = "KmsKeyId", default, skip_serializing_if = "Option::is_none")]
    pub kms_key_id: Option<String>,
    /// Whether rotation is on.
    #[serde(rename = "RotationEnabled", default, skip_serializing_if = "Option::is_none")]
    pub rotation_enabled: Option<bool>,
    /// The rotation function.
    #[serde(rename = "RotationLambdaARN", default, skip_serializing_if = "Option::is_none")]
    pub rotation_lambda_arn: Option<String>,
    /// The rotation schedule.
    #[serde(rename = "RotationRules", default, skip_serializing_if = "Option::is_none")]
    pub rotation_rules: Option<RotationRules>,
    /// When the last rotation finished, epoch seconds.
    #[serde(rename = "LastRotatedDate", default, skip_serializing_if = "Option::is_none")]
    pub last_rotated_date: Option<f64>,
    /// Epoch seconds.
    #[serde(rename = "LastChangedDate", default, skip_serializing_if = "Option::is_none")]
    pub last_changed_date: Option<f64>,
    /// Epoch seconds (midnight of the last read's day).
    #[serde(rename = "LastAccessedDate", default, skip_serializing_if = "Option::is_none")]
    pub last_accessed_date: Option<f64>,
    /// When the secret was deleted (in its recovery window), epoch seconds.
    #[serde(rename = "DeletedDate", default, skip_serializing_if = "Option::is_none")]
    pub deleted_date: Option<f64>,
    /// When the next scheduled rotation falls due, epoch seconds.
    #[serde(rename = "NextRotationDate", default, skip_serializing_if = "Option::is_none")]
    pub next_rotation_date: Option<f64>,
    /// Tags.
    #[serde(rename = "Tags", default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    /// `VersionIdsToStages` (DescribeSecret).
    #[serde(rename = "VersionIdsToStages", default, skip_serializing_if = "Option::is_none")]
    pub version_ids_to_stages: Option<BTreeMap<String, Vec<String>>>,
    /// `SecretVersionsToStages` (ListSecrets).
    #[serde(rename = "SecretVersionsToStages", default, skip_serializing_if = "Option::is_none")]
    pub secret_versions_to_stages: Option<BTreeMap<String, Vec<String>>>,
    /// The service that manages the secret (`rds`), if one does.
    #[serde(rename = "OwningService", default, skip_serializing_if = "Option::is_none")]
    pub owning_service: Option<String>,
    /// Epoch seconds.
    #[serde(rename = "CreatedDate")]
    pub created_date: f64,
}

/// `ListSecrets`' answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ListSecretsResponse {
    /// One page of secrets.
    #[serde(rename = "SecretList")]
    pub secret_list: Vec<SecretMetadata>,
    /// The next page's token.
    #[serde(rename = "NextToken", default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// One version in `ListSecretVersionIds`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SecretVersionsListEntry {
    /// The version id.
    #[serde(rename = "VersionId")]
    pub version_id: String,
    /// Its labels.
    #[serde(rename = "VersionStages")]
    pub version_stages: Vec<String>,
    /// Epoch seconds.
    #[serde(rename = "LastAccessedDate", default, skip_serializing_if = "Option::is_none")]
    pub last_accessed_date: Option<f64>,
    /// Epoch seconds.
    #[serde(rename = "CreatedDate")]
    pub created_date: f64,
    /// The ARNs of the keys the version is encrypted under.
    #[serde(rename = "KmsKeyIds")]
    pub kms_key_ids: Vec<String>,
}

/// `ListSecretVersionIds`' answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ListSecretVersionIdsResponse {
    /// The versions.
    #[serde(rename = "Versions")]
    pub versions: Vec<SecretVersionsListEntry>,
    /// The next page's token.
    #[serde(rename = "NextToken", default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    /// The secret's ARN.
    #[serde(rename = "ARN")]
    pub arn: String,
    /// The secret's name.
    #[serde(rename = "Name")]
    pub name: String,
}

/// `DeleteSecret`'s answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeleteSecretResponse {
    /// The ARN.
    #[serde(rename = "ARN")]
    pub arn: String,
    /// The name.
    #[serde(rename = "Name")]
    pub name: String,
    /// When the secret is (or was) deleted, epoch seconds.
    #[serde(rename = "DeletionDate")]
    pub deletion_date: f64,
}

/// An answer without members (`TagResource`, `UntagResource`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmptyResponse {}

/// `GetResourcePolicy`'s answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetResourcePolicyResponse {
    /// The ARN.
    #[serde(rename = "ARN")]
    pub arn: String,
    /// The name.
    #[serde(rename = "Name")]
    pub name: String,
    /// The policy (left out when there is none).
    #[serde(rename = "ResourcePolicy", default, skip_serializing_if = "Option::is_none")]
    pub resource_policy: Option<String>,
}

/// One finding of `ValidateResourcePolicy`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidationErrorsEntry {
    /// The check that failed.
    #[serde(rename = "CheckName")]
    pub check_name: String,
    /// What is wrong.
    #[serde(rename = "ErrorMessage")]
    pub error_message: String,
}

/// `ValidateResourcePolicy`'s answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidateResourcePolicyResponse {
    /// Whether the policy passed.
    #[serde(rename = "PolicyValidationPassed")]
    pub policy_validation_passed: bool,
    /// The findings.
    #[serde(rename = "ValidationErrors")]
    pub validation_errors: Vec<ValidationErrorsEntry>,
}

/// `GetRandomPassword`'s answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetRandomPasswordResponse {
    /// The password.
    #[serde(rename = "RandomPassword")]
    pub random_password: String,
}

operations!(SecretsManagerRequest / SecretsManagerResponse, secretsmanager -> SecretsManagerClient for crate::secretsmanager::SecretsManager {
    create_secret: CreateSecret(CreateSecretRequest) -> SecretVersionResponse,
    get_secret_value: GetSecretValue(GetSecretValueRequest) -> SecretValue,
    batch_get_secret_value: BatchGetSecretValue(BatchGetSecretValueRequest) -> BatchGetSecretValueResponse,
    put_secret_value: PutSecretValue(PutSecretValueRequest) -> SecretVersionResponse,
    describe_secret: DescribeSecret(DescribeSecretRequest) -> Box<SecretMetadata>,
    list_secrets: ListSecrets(ListSecretsRequest) -> ListSecretsResponse,
    list_secret_version_ids: ListSecretVersionIds(ListSecretVersionIdsRequest) -> ListSecretVersionIdsResponse,
    update_secret: UpdateSecret(UpdateSecretRequest) -> SecretVersionResponse,
    update_secret_version_stage: UpdateSecretVersionStage(UpdateSecretVersionStageRequest) -> SecretRef,
    delete_secret: DeleteSecret(DeleteSecretRequest) -> DeleteSecretResponse,
    restore_secret: RestoreSecret(RestoreSecretRequest) -> SecretRef,
    tag_resource: TagResource(TagResourceRequest) -> EmptyResponse,
    untag_resource: UntagResource(UntagResourceRequest) -> EmptyResponse,
    get_resource_policy: GetResourcePolicy(SecretIdRequest) -> GetResourcePolicyResponse,
    put_resource_policy: PutResourcePolicy(PutResourcePolicyRequest) -> SecretRef,
    delete_resource_policy: DeleteResourcePolicy(SecretIdRequest) -> SecretRef,
    validate_resource_policy: ValidateResourcePolicy(ValidateResourcePolicyRequest) -> ValidateResourcePolicyResponse,
    rotate_secret: RotateSecret(RotateSecretRequest) -> SecretVersionResponse,
    cancel_rotate_secret: CancelRotateSecret(SecretIdRequest) -> SecretVersionResponse,
    get_random_password: GetRandomPassword(GetRandomPasswordRequest) -> GetRandomPasswordResponse,
});
