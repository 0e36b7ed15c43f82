//! Parameter Store's typed requests and responses. SSM speaks the AWS JSON 1.1 protocol; the
//! request members are read leniently ([`crate::lenient`]) so each operation reports what it
//! requires in its own order, and the responses are serialised in the member order of the
//! official model (`ssm-2014-11-06`), which is the order the aws-cli prints.

use serde::{Deserialize, Serialize};

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

/// `ParametersFilter` (the older `Filters` member of `DescribeParameters`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ParametersFilter {
    /// `Name`, `Type` or `KeyId`.
    #[serde(default)]
    pub key: String,
    /// The values (any matches).
    #[serde(default)]
    pub values: Vec<String>,
}

/// `ParameterStringFilter` (`ParameterFilters`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ParameterStringFilter {
    /// `Name`, `Type`, `KeyId`, `Path`, `Label`, `Tier`, `DataType` or `tag:KEY`.
    #[serde(default)]
    pub key: String,
    /// `Equals`, `BeginsWith`, `Contains` (`Name`), `Recursive`/`OneLevel` (`Path`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub option: Option<String>,
    /// The values (any matches).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<String>>,
}

lenient_request!(
    /// `PutParameter`.
    PutParameterRequest {
        /// The fully qualified name (`/app/db` or `MyParameter`).
        name: String = "Name",
        /// Up to 1024 characters.
        description: String = "Description",
        /// The value (4 KB Standard, 8 KB Advanced).
        value: String = "Value",
        /// `String`, `StringList` or `SecureString` (required when creating).
        r#type: String = "Type",
        /// The KMS key of a `SecureString` (default `alias/aws/ssm`).
        key_id: String = "KeyId",
        /// Replace an existing parameter (a new version).
        overwrite: bool = "Overwrite",
        /// A regular expression the value must match (kept, not enforced by the lab).
        allowed_pattern: String = "AllowedPattern",
        /// Tags of a new parameter.
        tags: Vec<Tag> = "Tags",
        /// `Standard`, `Advanced` or `Intelligent-Tiering`.
        tier: String = "Tier",
        /// Parameter policies (Advanced only; not modelled).
        policies: String = "Policies",
        /// `text` (default), `aws:ec2:image`, `aws:ssm:integration`.
        data_type: String = "DataType",
    }
);

lenient_request!(
    /// `GetParameter`.
    GetParameterRequest {
        /// The name, `name:version`, `name:label` or the ARN.
        name: String = "Name",
        /// Decrypt a `SecureString` (through KMS).
        with_decryption: bool = "WithDecryption",
    }
);

lenient_request!(
    /// `GetParameters`.
    GetParametersRequest {
        /// Up to 10 names (with selectors).
        names: StringList = "Names",
        /// Decrypt `SecureString` values.
        with_decryption: bool = "WithDecryption",
    }
);

lenient_request!(
    /// `GetParametersByPath`.
    GetParametersByPathRequest {
        /// The hierarchy (`/app`).
        path: String = "Path",
        /// Every level below the path, not only the next one.
        recursive: bool = "Recursive",
        /// Filters (`Type`, `KeyId`, `Label`, `tag:…`).
        parameter_filters: Vec<ParameterStringFilter> = "ParameterFilters",
        /// Decrypt `SecureString` values.
        with_decryption: bool = "WithDecryption",
        /// 1–10.
        max_results: i64 = "MaxResults",
        /// The token of the previous page.
        next_token: String = "NextToken",
    }
);

lenient_request!(
    /// `GetParameterHistory`.
    GetParameterHistoryRequest {
        /// The name or ARN.
        name: String = "Name",
        /// Decrypt `SecureString` values.
        with_decryption: bool = "WithDecryption",
        /// 1–50.
        max_results: i64 = "MaxResults",
        /// The token of the previous page.
        next_token: String = "NextToken",
    }
);

lenient_request!(
    /// `DeleteParameter`.
    DeleteParameterRequest {
        /// The name.
        name: String = "Name",
    }
);

lenient_request!(
    /// `DeleteParameters`.
    DeleteParametersRequest {
        /// Up to 10 names.
        names: StringList = "Names",
    }
);

lenient_request!(
    /// `LabelParameterVersion`.
    LabelParameterVersionRequest {
        /// The name.
        name: String = "Name",
        /// The version (default: the latest).
        parameter_version: i64 = "ParameterVersion",
        /// 1–10 labels.
        labels: StringList = "Labels",
    }
);

lenient_request!(
    /// `DescribeParameters`.
    DescribeParametersRequest {
        /// The older filters (`Name`, `Type`, `KeyId`).
        filters: Vec<ParametersFilter> = "Filters",
        /// Filters.
        parameter_filters: Vec<ParameterStringFilter> = "ParameterFilters",
        /// 1–50.
        max_results: i64 = "MaxResults",
        /// The token of the previous page.
        next_token: String = "NextToken",
        /// Parameters shared with the account (the lab shares none).
        shared: bool = "Shared",
    }
);

lenient_request!(
    /// `AddTagsToResource`.
    AddTagsToResourceRequest {
        /// `Parameter` (the only type the lab models).
        resource_type: String = "ResourceType",
        /// The parameter name.
        resource_id: String = "ResourceId",
        /// Tags to add or replace.
        tags: Vec<Tag> = "Tags",
    }
);

lenient_request!(
    /// `ListTagsForResource`.
    ListTagsForResourceRequest {
        /// `Parameter`.
        resource_type: String = "ResourceType",
        /// The parameter name.
        resource_id: String = "ResourceId",
    }
);

/// `PutParameter`'s answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PutParameterResponse {
    /// The new version.
    #[serde(rename = "Version")]
    pub version: u64,
    /// The tier it was stored in.
    #[serde(rename = "Tier")]
    pub tier: String,
}

/// A parameter as `GetParameter`, `GetParameters` and `GetParametersByPath` return it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Parameter {
    /// The name.
    #[serde(rename = "Name")]
    pub name: String,
    /// `String`, `StringList`, `SecureString`.
    #[serde(rename = "Type")]
    pub r#type: String,
    /// The value (a `SecureString`'s ciphertext, base64, unless decrypted).
    #[serde(rename = "Value")]
    pub value: String,
    /// The version.
    #[serde(rename = "Version")]
    pub version: u64,
    /// `:VERSION` or `:LABEL` when the name carried one.
    #[serde(rename = "Selector", default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<String>,
    /// Epoch seconds.
    #[serde(rename = "LastModifiedDate")]
    pub last_modified_date: f64,
    /// The ARN.
    #[serde(rename = "ARN")]
    pub arn: String,
    /// `text`, `aws:ec2:image`, …
    #[serde(rename = "DataType")]
    pub data_type: String,
}

/// `GetParameter`'s answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GetParameterResponse {
    /// The parameter.
    #[serde(rename = "Parameter")]
    pub parameter: Parameter,
}

/// `GetParameters`' answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GetParametersResponse {
    /// The parameters found.
    #[serde(rename = "Parameters")]
    pub parameters: Vec<Parameter>,
    /// The names not found.
    #[serde(rename = "InvalidParameters")]
    pub invalid_parameters: Vec<String>,
}

/// `GetParametersByPath`'s answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GetParametersByPathResponse {
    /// One page of parameters.
    #[serde(rename = "Parameters")]
    pub parameters: Vec<Parameter>,
    /// The next page's token.
    #[serde(rename = "NextToken", default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// One version in `GetParameterHistory`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ParameterHistory {
    /// The name.
    #[serde(rename = "Name")]
    pub name: String,
    /// The type.
    #[serde(rename = "Type")]
    pub r#type: String,
    /// The KMS key (`SecureString`).
    #[serde(rename = "KeyId", default, skip_serializing_if = "Option::is_none")]
    pub key_id: Option<String>,
    /// Epoch seconds.
    #[serde(rename = "LastModifiedDate")]
    pub last_modified_date: f64,
    /// Who wrote it (principal ARN).
    #[serde(rename = "LastModifiedUser")]
    pub last_modified_user: String,
    /// The description.
    #[serde(rename = "Description", default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The value (ciphertext unless decrypted).
    #[serde(rename = "Value")]
    pub value: String,
    /// The allowed pattern.
    #[serde(rename = "AllowedPattern", default, skip_serializing_if = "Option::is_none")]
    pub allowed_pattern: Option<String>,
    /// The version.
    #[serde(rename = "Version")]
    pub version: u64,
    /// Its labels.
    #[serde(rename = "Labels")]
    pub labels: Vec<String>,
    /// The tier.
    #[serde(rename = "Tier")]
    pub tier: String,
    /// Parameter policies (none in the lab).
    #[serde(rename = "Policies")]
    pub policies: Vec<serde_json::Value>,
    /// The data type.
    #[serde(rename = "DataType")]
    pub data_type: String,
}

/// `GetParameterHistory`'s answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GetParameterHistoryResponse {
    /// One page of versions, oldest first.
    #[serde(rename = "Parameters")]
    pub parameters: Vec<ParameterHistory>,
    /// The next page's token.
    #[serde(rename = "NextToken", default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// An answer without members (`DeleteParameter`, `AddTagsToResource`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmptyResponse {}

/// `DeleteParameters`' answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeleteParametersResponse {
    /// The names deleted.
    #[serde(rename = "DeletedParameters")]
    pub deleted_parameters: Vec<String>,
    /// The names not found.
    #[serde(rename = "InvalidParameters")]
    pub invalid_parameters: Vec<String>,
}

/// `LabelParameterVersion`'s answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelParameterVersionResponse {
    /// The labels that break the label rules (not attached).
    #[serde(rename = "InvalidLabels")]
    pub invalid_labels: Vec<String>,
    /// The version labelled.
    #[serde(rename = "ParameterVersion")]
    pub parameter_version: u64,
}

/// A parameter as `DescribeParameters` lists it (no value).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ParameterMetadata {
    /// The name.
    #[serde(rename = "Name")]
    pub name: String,
    /// The ARN.
    #[serde(rename = "ARN")]
    pub arn: String,
    /// The type.
    #[serde(rename = "Type")]
    pub r#type: String,
    /// The KMS key (`SecureString`).
    #[serde(rename = "KeyId", default, skip_serializing_if = "Option::is_none")]
    pub key_id: Option<String>,
    /// Epoch seconds.
    #[serde(rename = "LastModifiedDate")]
    pub last_modified_date: f64,
    /// Who wrote the latest version.
    #[serde(rename = "LastModifiedUser")]
    pub last_modified_user: String,
    /// The description.
    #[serde(rename = "Description", default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The allowed pattern.
    #[serde(rename = "AllowedPattern", default, skip_serializing_if = "Option::is_none")]
    pub allowed_pattern: Option<String>,
    /// The latest version.
    #[serde(rename = "Version")]
    pub version: u64,
    /// The tier.
    #[serde(rename = "Tier")]
    pub tier: String,
    /// Parameter policies (none in the lab).
    #[serde(rename = "Policies")]
    pub policies: Vec<serde_json::Value>,
    /// The data type.
    #[serde(rename = "DataType")]
    pub data_type: String,
}

/// `DescribeParameters`' answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DescribeParametersResponse {
    /// One page of parameters, by name.
    #[serde(rename = "Parameters")]
    pub parameters: Vec<ParameterMetadata>,
    /// The next page's token.
    #[serde(rename = "NextToken", default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// `ListTagsForResource`'s answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListTagsForResourceResponse {
    /// The tags.
    #[serde(rename = "TagList")]
    pub tag_list: Vec<Tag>,
}

operations!(SsmRequest / SsmResponse, ssm -> SsmClient for crate::ssm::Ssm {
    put_parameter: PutParameter(PutParameterRequest) -> PutParameterResponse,
    get_parameter: GetParameter(GetParameterRequest) -> GetParameterResponse,
    get_parameters: GetParameters(GetParametersRequest) -> GetParametersResponse,
    get_parameters_by_path: GetParametersByPath(GetParametersByPathRequest) -> GetParametersByPathResponse,
    get_parameter_history: GetParameterHistory(GetParameterHistoryRequest) -> GetParameterHistoryResponse,
    delete_parameter: DeleteParameter(DeleteParameterRequest) -> EmptyResponse,
    delete_parameters: DeleteParameters(DeleteParametersRequest) -> DeleteParametersResponse,
    label_parameter_version: LabelParameterVersion(LabelParameterVersionRequest) -> LabelParameterVersionResponse,
    describe_parameters: DescribeParameters(DescribeParametersRequest) -> DescribeParametersResponse,
    add_tags_to_resource: AddTagsToResource(AddTagsToResourceRequest) -> EmptyResponse,
    list_tags_for_resource: ListTagsForResource(ListTagsForResourceRequest) -> ListTagsForResourceResponse,
});
