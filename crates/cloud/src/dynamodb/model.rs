//! DynamoDB's typed requests and responses. DynamoDB speaks the AWS JSON 1.0 protocol; the
//! request members are read leniently ([`crate::lenient`]) so each operation reports what it
//! requires in its own order, and the responses are serialised in the member order of the
//! official model (`dynamodb-2012-08-10`), which is the order the aws-cli prints. Attribute
//! values (`{"S": "…"}`, `{"N": "…"}`, …) are kept as the JSON the caller sent.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// An item or a key: attribute name → attribute value (`{"S": "x"}`, `{"N": "1"}`, …).
pub type Item = BTreeMap<String, Value>;

/// `AttributeDefinition`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttributeDefinition {
    /// The attribute's name.
    #[serde(rename = "AttributeName", default)]
    pub attribute_name: String,
    /// `S`, `N` or `B`.
    #[serde(rename = "AttributeType", default)]
    pub attribute_type: String,
}

/// `KeySchemaElement`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeySchemaElement {
    /// The attribute's name.
    #[serde(rename = "AttributeName", default)]
    pub attribute_name: String,
    /// `HASH` (partition key) or `RANGE` (sort key).
    #[serde(rename = "KeyType", default)]
    pub key_type: String,
}

/// `ProvisionedThroughput` (request).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProvisionedThroughput {
    /// Read capacity units.
    #[serde(rename = "ReadCapacityUnits", default, skip_serializing_if = "Option::is_none")]
    pub read_capacity_units: Option<i64>,
    /// Write capacity units.
    #[serde(rename = "WriteCapacityUnits", default, skip_serializing_if = "Option::is_none")]
    pub write_capacity_units: Option<i64>,
}

/// `SSESpecification`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SseSpecification {
    /// `true`: a KMS key (`aws/dynamodb` unless `KMSMasterKeyId`); `false` or absent: the AWS
    /// owned key.
    #[serde(rename = "Enabled", default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// `KMS` (`AES256` is in the model's enum, but DynamoDB takes only `KMS`).
    #[serde(rename = "SSEType", default, skip_serializing_if = "Option::is_none")]
    pub sse_type: Option<String>,
    /// A customer managed key (key id, key ARN, alias name or alias ARN).
    #[serde(rename = "KMSMasterKeyId", default, skip_serializing_if = "Option::is_none")]
    pub kms_master_key_id: Option<String>,
}

/// A tag.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    /// The key.
    #[serde(rename = "Key", default)]
    pub key: String,
    /// The value.
    #[serde(rename = "Value", default)]
    pub value: String,
}

lenient_request!(
    /// `CreateTable`.
    CreateTableRequest {
        /// The key attributes' types.
        attribute_definitions: Vec<AttributeDefinition> = "AttributeDefinitions",
        /// The table's name (or ARN).
        table_name: String = "TableName",
        /// The primary key: a `HASH` element, and optionally a `RANGE` one.
        key_schema: Vec<KeySchemaElement> = "KeySchema",
        /// `PROVISIONED` (default) or `PAY_PER_REQUEST`.
        billing_mode: String = "BillingMode",
        /// Required with `PROVISIONED`.
        provisioned_throughput: ProvisionedThroughput = "ProvisionedThroughput",
        /// Encryption at rest.
        sse_specification: SseSpecification = "SSESpecification",
        /// Tags.
        tags: Vec<Tag> = "Tags",
        /// `STANDARD` or `STANDARD_INFREQUENT_ACCESS`.
        table_class: String = "TableClass",
        /// Deletion protection.
        deletion_protection_enabled: bool = "DeletionProtectionEnabled",
    }
);

lenient_request!(
    /// `UpdateTable` (the lab models billing mode, encryption and deletion protection).
    UpdateTableRequest {
        /// Key attributes of new indexes (not modelled).
        attribute_definitions: Vec<AttributeDefinition> = "AttributeDefinitions",
        /// The table's name (or ARN).
        table_name: String = "TableName",
        /// `PROVISIONED` or `PAY_PER_REQUEST`.
        billing_mode: String = "BillingMode",
        /// New provisioned throughput.
        provisioned_throughput: ProvisionedThroughput = "ProvisionedThroughput",
        /// A new encryption setting.
        sse_specification: SseSpecification = "SSESpecification",
        /// Deletion protection.
        deletion_protection_enabled: bool = "DeletionProtectionEnabled",
    }
);

lenient_request!(
    /// `DescribeTable`, `DeleteTable`.
    TableNameRequest {
        /// The table's name (or ARN).
        table_name: String = "TableName",
    }
);

lenient_request!(
    /// `ListTables`.
    ListTablesRequest {
        /// The last table name of the previous page.
        exclusive_start_table_name: String = "ExclusiveStartTableName",
        /// 1–100.
        limit: i64 = "Limit",
    }
);

lenient_request!(
    /// `PutItem`.
    PutItemRequest {
        /// The table's name (or ARN).
        table_name: String = "TableName",
        /// The item, with its key attributes.
        item: Item = "Item",
        /// `NONE` (default) or `ALL_OLD`.
        return_values: String = "ReturnValues",
    }
);

lenient_request!(
    /// `GetItem`.
    GetItemRequest {
        /// The table's name (or ARN).
        table_name: String = "TableName",
        /// The item's primary key.
        key: Item = "Key",
        /// Strongly consistent read (every read is, in the lab).
        consistent_read: bool = "ConsistentRead",
    }
);

lenient_request!(
    /// `DeleteItem`.
    DeleteItemRequest {
        /// The table's name (or ARN).
        table_name: String = "TableName",
        /// The item's primary key.
        key: Item = "Key",
        /// `NONE` (default) or `ALL_OLD`.
        return_values: String = "ReturnValues",
    }
);

lenient_request!(
    /// `Query` (a key condition on the partition key and, optionally, the sort key).
    QueryRequest {
        /// The table's name (or ARN).
        table_name: String = "TableName",
        /// `pk = :v [AND sk <op> :w | sk BETWEEN :a AND :b | begins_with(sk, :p)]`.
        key_condition_expression: String = "KeyConditionExpression",
        /// `#name` → attribute name.
        expression_attribute_names: BTreeMap<String, String> = "ExpressionAttributeNames",
        /// `:value` → attribute value.
        expression_attribute_values: Item = "ExpressionAttributeValues",
        /// Ascending sort-key order (default `true`).
        scan_index_forward: bool = "ScanIndexForward",
        /// The most items to read.
        limit: i64 = "Limit",
        /// Where the previous page stopped.
        exclusive_start_key: Item = "ExclusiveStartKey",
        /// `ALL_ATTRIBUTES` (default) or `COUNT`.
        select: String = "Select",
        /// Strongly consistent read.
        consistent_read: bool = "ConsistentRead",
    }
);

lenient_request!(
    /// `Scan`.
    ScanRequest {
        /// The table's name (or ARN).
        table_name: String = "TableName",
        /// The most items to read.
        limit: i64 = "Limit",
        /// Where the previous page stopped.
        exclusive_start_key: Item = "ExclusiveStartKey",
        /// `ALL_ATTRIBUTES` (default) or `COUNT`.
        select: String = "Select",
        /// Strongly consistent read.
        consistent_read: bool = "ConsistentRead",
    }
);

lenient_request!(
    /// `CreateBackup`.
    CreateBackupRequest {
        /// The table's name (or ARN).
        table_name: String = "TableName",
        /// The backup's name.
        backup_name: String = "BackupName",
    }
);

lenient_request!(
    /// `DescribeBackup`, `DeleteBackup`.
    BackupArnRequest {
        /// The backup's ARN.
        backup_arn: String = "BackupArn",
    }
);

lenient_request!(
    /// `ListBackups`.
    ListBackupsRequest {
        /// Only the backups of this table.
        table_name: String = "TableName",
        /// The most backups to list.
        limit: i64 = "Limit",
        /// `USER`, `SYSTEM`, `AWS_BACKUP` or `ALL`.
        backup_type: String = "BackupType",
    }
);

lenient_request!(
    /// `RestoreTableFromBackup`.
    RestoreTableFromBackupRequest {
        /// The new table's name.
        target_table_name: String = "TargetTableName",
        /// The backup's ARN.
        backup_arn: String = "BackupArn",
        /// The new table's billing mode.
        billing_mode_override: String = "BillingModeOverride",
        /// The new table's encryption (default: the backup's key).
        sse_specification_override: SseSpecification = "SSESpecificationOverride",
    }
);

/// `ProvisionedThroughputDescription`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProvisionedThroughputDescription {
    /// Decreases today.
    #[serde(rename = "NumberOfDecreasesToday")]
    pub number_of_decreases_today: i64,
    /// Read capacity units (0 on demand).
    #[serde(rename = "ReadCapacityUnits")]
    pub read_capacity_units: i64,
    /// Write capacity units (0 on demand).
    #[serde(rename = "WriteCapacityUnits")]
    pub write_capacity_units: i64,
}

/// `BillingModeSummary`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BillingModeSummary {
    /// `PROVISIONED` or `PAY_PER_REQUEST`.
    #[serde(rename = "BillingMode")]
    pub billing_mode: String,
    /// When the table last switched to on-demand (epoch seconds).
    #[serde(
        rename = "LastUpdateToPayPerRequestDateTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub last_update_to_pay_per_request_date_time: Option<f64>,
}

/// `SSEDescription`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SseDescription {
    /// `ENABLED` or `UPDATING`.
    #[serde(rename = "Status")]
    pub status: String,
    /// `KMS`.
    #[serde(rename = "SSEType")]
    pub sse_type: String,
    /// The KMS key's ARN.
    #[serde(rename = "KMSMasterKeyArn")]
    pub kms_master_key_arn: String,
    /// When DynamoDB detected that the key is inaccessible (epoch seconds).
    #[serde(
        rename = "InaccessibleEncryptionDateTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub inaccessible_encryption_date_time: Option<f64>,
}

/// `ArchivalSummary`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ArchivalSummary {
    /// When archival started (epoch seconds).
    #[serde(rename = "ArchivalDateTime")]
    pub archival_date_time: f64,
    /// `INACCESSIBLE_ENCRYPTION_CREDENTIALS`.
    #[serde(rename = "ArchivalReason")]
    pub archival_reason: String,
    /// The backup the table was archived to.
    #[serde(rename = "ArchivalBackupArn", default, skip_serializing_if = "Option::is_none")]
    pub archival_backup_arn: Option<String>,
}

/// `TableClassSummary`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TableClassSummary {
    /// `STANDARD` or `STANDARD_INFREQUENT_ACCESS`.
    #[serde(rename = "TableClass")]
    pub table_class: String,
}

/// `RestoreSummary`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RestoreSummary {
    /// The backup restored.
    #[serde(rename = "SourceBackupArn")]
    pub source_backup_arn: String,
    /// The table the backup was made of.
    #[serde(rename = "SourceTableArn")]
    pub source_table_arn: String,
    /// When the restore happened (epoch seconds).
    #[serde(rename = "RestoreDateTime")]
    pub restore_date_time: f64,
    /// Whether a restore is running (never, in the lab).
    #[serde(rename = "RestoreInProgress")]
    pub restore_in_progress: bool,
}

/// `TableDescription`, in the model's member order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TableDescription {
    /// The key attributes' types.
    #[serde(rename = "AttributeDefinitions")]
    pub attribute_definitions: Vec<AttributeDefinition>,
    /// The name.
    #[serde(rename = "TableName")]
    pub table_name: String,
    /// The primary key.
    #[serde(rename = "KeySchema")]
    pub key_schema: Vec<KeySchemaElement>,
    /// `CREATING`, `UPDATING`, `DELETING`, `ACTIVE`, `INACCESSIBLE_ENCRYPTION_CREDENTIALS`,
    /// `ARCHIVING` or `ARCHIVED`.
    #[serde(rename = "TableStatus")]
    pub table_status: String,
    /// Epoch seconds.
    #[serde(rename = "CreationDateTime")]
    pub creation_date_time: f64,
    /// The throughput.
    #[serde(rename = "ProvisionedThroughput")]
    pub provisioned_throughput: ProvisionedThroughputDescription,
    /// The size of the items, in bytes.
    #[serde(rename = "TableSizeBytes")]
    pub table_size_bytes: i64,
    /// The number of items.
    #[serde(rename = "ItemCount")]
    pub item_count: i64,
    /// The ARN.
    #[serde(rename = "TableArn")]
    pub table_arn: String,
    /// A UUID.
    #[serde(rename = "TableId")]
    pub table_id: String,
    /// The billing mode (on-demand tables, and tables that were).
    #[serde(rename = "BillingModeSummary", default, skip_serializing_if = "Option::is_none")]
    pub billing_mode_summary: Option<BillingModeSummary>,
    /// A restored table's source.
    #[serde(rename = "RestoreSummary", default, skip_serializing_if = "Option::is_none")]
    pub restore_summary: Option<RestoreSummary>,
    /// Absent for the AWS owned key.
    #[serde(rename = "SSEDescription", default, skip_serializing_if = "Option::is_none")]
    pub sse_description: Option<SseDescription>,
    /// Why and when the table was archived.
    #[serde(rename = "ArchivalSummary", default, skip_serializing_if = "Option::is_none")]
    pub archival_summary: Option<ArchivalSummary>,
    /// The table class, when not `STANDARD` by default.
    #[serde(rename = "TableClassSummary", default, skip_serializing_if = "Option::is_none")]
    pub table_class_summary: Option<TableClassSummary>,
    /// Deletion protection.
    #[serde(rename = "DeletionProtectionEnabled")]
    pub deletion_protection_enabled: bool,
}

/// `CreateTable`'s answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CreateTableResponse {
    /// The new table.
    #[serde(rename = "TableDescription")]
    pub table_description: TableDescription,
}

/// `DescribeTable`'s answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DescribeTableResponse {
    /// The table.
    #[serde(rename = "Table")]
    pub table: TableDescription,
}

/// `ListTables`' answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ListTablesResponse {
    /// Table names, sorted.
    #[serde(rename = "TableNames")]
    pub table_names: Vec<String>,
    /// The last name of this page, when more follow.
    #[serde(rename = "LastEvaluatedTableName", default, skip_serializing_if = "Option::is_none")]
    pub last_evaluated_table_name: Option<String>,
}

/// `PutItem`'s and `DeleteItem`'s answer.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WriteItemResponse {
    /// The old item (`ReturnValues` `ALL_OLD`).
    #[serde(rename = "Attributes", default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Item>,
}

/// `GetItem`'s answer.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GetItemResponse {
    /// The item, if it exists.
    #[serde(rename = "Item", default, skip_serializing_if = "Option::is_none")]
    pub item: Option<Item>,
}

/// `Query`'s and `Scan`'s answer.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ItemsResponse {
    /// The items (absent with `Select` `COUNT`).
    #[serde(rename = "Items", default, skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<Item>>,
    /// The number of items returned.
    #[serde(rename = "Count")]
    pub count: i64,
    /// The number of items read.
    #[serde(rename = "ScannedCount")]
    pub scanned_count: i64,
    /// The key to continue from, when `Limit` stopped the read.
    #[serde(rename = "LastEvaluatedKey", default, skip_serializing_if = "Option::is_none")]
    pub last_evaluated_key: Option<Item>,
}

/// `BackupDetails`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BackupDetails {
    /// The ARN.
    #[serde(rename = "BackupArn")]
    pub backup_arn: String,
    /// The name.
    #[serde(rename = "BackupName")]
    pub backup_name: String,
    /// The size, in bytes.
    #[serde(rename = "BackupSizeBytes")]
    pub backup_size_bytes: i64,
    /// `CREATING`, `AVAILABLE` or `DELETED`.
    #[serde(rename = "BackupStatus")]
    pub backup_status: String,
    /// `USER` or `SYSTEM` (the archival backup).
    #[serde(rename = "BackupType")]
    pub backup_type: String,
    /// Epoch seconds.
    #[serde(rename = "BackupCreationDateTime")]
    pub backup_creation_date_time: f64,
}

/// `SourceTableDetails`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SourceTableDetails {
    /// The table's name.
    #[serde(rename = "TableName")]
    pub table_name: String,
    /// The table's id.
    #[serde(rename = "TableId")]
    pub table_id: String,
    /// The table's ARN.
    #[serde(rename = "TableArn")]
    pub table_arn: String,
    /// The size, in bytes.
    #[serde(rename = "TableSizeBytes")]
    pub table_size_bytes: i64,
    /// The primary key.
    #[serde(rename = "KeySchema")]
    pub key_schema: Vec<KeySchemaElement>,
    /// Epoch seconds.
    #[serde(rename = "TableCreationDateTime")]
    pub table_creation_date_time: f64,
    /// The throughput.
    #[serde(rename = "ProvisionedThroughput")]
    pub provisioned_throughput: ProvisionedThroughput,
    /// The number of items.
    #[serde(rename = "ItemCount")]
    pub item_count: i64,
    /// The billing mode.
    #[serde(rename = "BillingMode")]
    pub billing_mode: String,
}

/// `SourceTableFeatureDetails` (only the encryption, in the lab).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SourceTableFeatureDetails {
    /// The table's encryption when the backup was made (absent for the AWS owned key).
    #[serde(rename = "SSEDescription", default, skip_serializing_if = "Option::is_none")]
    pub sse_description: Option<SseDescription>,
}

/// `BackupDescription`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BackupDescription {
    /// The backup.
    #[serde(rename = "BackupDetails")]
    pub backup_details: BackupDetails,
    /// The table it was made of.
    #[serde(rename = "SourceTableDetails")]
    pub source_table_details: SourceTableDetails,
    /// The table's features.
    #[serde(rename = "SourceTableFeatureDetails")]
    pub source_table_feature_details: SourceTableFeatureDetails,
}

/// `CreateBackup`'s answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CreateBackupResponse {
    /// The backup.
    #[serde(rename = "BackupDetails")]
    pub backup_details: BackupDetails,
}

/// `DescribeBackup`'s and `DeleteBackup`'s answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DescribeBackupResponse {
    /// The backup.
    #[serde(rename = "BackupDescription")]
    pub backup_description: BackupDescription,
}

/// `BackupSummary`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BackupSummary {
    /// The table's name.
    #[serde(rename = "TableName")]
    pub table_name: String,
    /// The table's id.
    #[serde(rename = "TableId")]
    pub table_id: String,
    /// The table's ARN.
    #[serde(rename = "TableArn")]
    pub table_arn: String,
    /// The backup's ARN.
    #[serde(rename = "BackupArn")]
    pub backup_arn: String,
    /// The backup's name.
    #[serde(rename = "BackupName")]
    pub backup_name: String,
    /// Epoch seconds.
    #[serde(rename = "BackupCreationDateTime")]
    pub backup_creation_date_time: f64,
    /// `AVAILABLE`.
    #[serde(rename = "BackupStatus")]
    pub backup_status: String,
    /// `USER` or `SYSTEM`.
    #[serde(rename = "BackupType")]
    pub backup_type: String,
    /// The size, in bytes.
    #[serde(rename = "BackupSizeBytes")]
    pub backup_size_bytes: i64,
}

/// `ListBackups`' answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ListBackupsResponse {
    /// The backups, oldest first.
    #[serde(rename = "BackupSummaries")]
    pub backup_summaries: Vec<BackupSummary>,
}

/// `RestoreTableFromBackup`'s answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RestoreTableFromBackupResponse {
    /// The new table.
    #[serde(rename = "TableDescription")]
    pub table_description: TableDescription,
}

/// `UpdateTable`'s and `DeleteTable`'s answer.
pub type TableDescriptionResponse = CreateTableResponse;

operations!(DynamoDbRequest / DynamoDbResponse, dynamodb -> DynamoDbClient for crate::dynamodb::DynamoDb {
    create_table: CreateTable(CreateTableRequest) -> CreateTableResponse,
    describe_table: DescribeTable(TableNameRequest) -> DescribeTableResponse,
    update_table: UpdateTable(UpdateTableRequest) -> TableDescriptionResponse,
    delete_table: DeleteTable(TableNameRequest) -> TableDescriptionResponse,
    list_tables: ListTables(ListTablesRequest) -> ListTablesResponse,
    put_item: PutItem(PutItemRequest) -> WriteItemResponse,
    get_item: GetItem(GetItemRequest) -> GetItemResponse,
    delete_item: DeleteItem(DeleteItemRequest) -> WriteItemResponse,
    query: Query(QueryRequest) -> ItemsResponse,
    scan: Scan(ScanRequest) -> ItemsResponse,
    create_backup: CreateBackup(CreateBackupRequest) -> CreateBackupResponse,
    describe_backup: DescribeBackup(BackupArnRequest) -> DescribeBackupResponse,
    delete_backup: DeleteBackup(BackupArnRequest) -> DescribeBackupResponse,
    list_backups: ListBackups(ListBackupsRequest) -> ListBackupsResponse,
    restore_table_from_backup: RestoreTableFromBackup(RestoreTableFromBackupRequest) -> RestoreTableFromBackupResponse,
});
