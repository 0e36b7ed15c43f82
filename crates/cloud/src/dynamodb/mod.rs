//! Amazon DynamoDB on top of KMS: tables with the three encryption-at-rest options, items
//! (`PutItem`, `GetItem`, `DeleteItem`, `Query`, `Scan`), on-demand backups and restores, and
//! what a customer managed key's state does to a table.
//!
//! As the DynamoDB developer guide and the KMS developer guide document
//! (<https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/encryption.howitworks.html>,
//! <https://docs.aws.amazon.com/kms/latest/developerguide/services-dynamodb.html>):
//! - every table is encrypted; by default under an **AWS owned key** (no KMS call, no KMS
//!   CloudTrail event, no SSEDescription); `SSESpecification` `Enabled=true` picks the AWS
//!   managed key `aws/dynamodb` (created on first use), and `KMSMasterKeyId` a customer managed
//!   key; `UpdateTable` switches between the three at any time;
//! - a KMS key protects a **table key** (a data key from `GenerateDataKey`, made when the table
//!   gets the key, kept encrypted with the table) and the table key protects the items; the
//!   encryption context is `{"aws:dynamodb:tableName": NAME, "aws:dynamodb:subscriberId":
//!   ACCOUNT}`;
//! - the KMS requests are made **as the caller, through DynamoDB** (`kms:ViaService`
//!   `dynamodb.REGION.amazonaws.com`, CloudTrail `invokedBy` `dynamodb.amazonaws.com`):
//!   `DescribeKey`, `CreateGrant` (for the service principal) and `GenerateDataKey` when a
//!   table gets a KMS key, and `Decrypt` of the table key when a caller reads or writes items;
//!   the plaintext table key is cached per caller and used without KMS for five minutes after
//!   its last use (never saved with the world);
//! - items are really encrypted: each one sealed with AES-256-GCM under the table key (an AWS
//!   owned table key is the lab's stand-in for AWS's own key hierarchy: a random key kept with
//!   the table, as nothing in the customer's account protects it).
//!
//! A customer managed key that is disabled, pending deletion or deleted makes the table
//! `INACCESSIBLE_ENCRYPTION_CREDENTIALS` within minutes (the lab: five minutes after the key
//! changed), with `SSEDescription.InaccessibleEncryptionDateTime`; it is `ACTIVE` again once the
//! key is usable; after seven days inaccessible DynamoDB archives it: an on-demand backup is made
//! (`ArchivalSummary.ArchivalBackupArn`), the table is `ARCHIVING`, then `ARCHIVED`
//! (<https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ArchivalSummary.html>).
//! The states are evaluated lazily, on the world's clock, whenever DynamoDB is called (see
//! `health`).

use std::collections::BTreeMap;

use base64::Engine as _;
use serde::{Deserialize, Serialize};

mod backup;
mod error;
mod health;
mod item;
pub mod model;
mod query;
mod service;
mod table;

pub use error::DynamoDbError;
pub use model::{DynamoDbClient, DynamoDbRequest, DynamoDbResponse};

use crate::World;
use crate::cloudtrail::CallAudit;
use crate::context::CallContext;
use crate::kms::model::{Blob, DecryptRequest, EncryptionContext};
use crate::service_kms::{ServiceKms, open_envelope, seal_envelope, split_envelope};

/// The AWS managed key of DynamoDB.
pub const MANAGED_KEY: &str = "alias/aws/dynamodb";
/// How long a caller's plaintext table key is used without KMS after its last use.
pub const TABLE_KEY_CACHE_MS: i64 = 5 * 60_000;

/// How a table (or a backup) is encrypted.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) enum Encryption {
    /// The AWS owned key: the table key itself (base64), outside the customer's reach.
    Owned { table_key: String },
    /// A KMS key in the account (`aws/dynamodb` or customer managed): its ARN and the table key
    /// it encrypted (base64 ciphertext blob).
    Kms { key_arn: String, wrapped: String },
}

impl Encryption {
    /// The KMS key ARN, if a KMS key protects the table key.
    pub(crate) fn key_arn(&self) -> Option<&str> {
        match self {
            Self::Owned { .. } => None,
            Self::Kms { key_arn, .. } => Some(key_arn),
        }
    }
}

/// One stored item: the sealed attributes (the lab's envelope, base64) and its size.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct StoredItem {
    pub sealed: String,
    pub size: i64,
}

/// A table's archival.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Archival {
    /// When archival started (the table is `ARCHIVING` until it ends).
    pub started_ms: i64,
    /// The backup the table was archived to.
    pub backup_arn: String,
}

/// Where a restored table came from.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Restored {
    pub backup_arn: String,
    pub table_arn: String,
    pub at_ms: i64,
}

/// A table.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Table {
    pub name: String,
    pub id: String,
    pub account: String,
    pub region: String,
    pub created_ms: i64,
    pub attribute_definitions: Vec<model::AttributeDefinition>,
    pub key_schema: Vec<model::KeySchemaElement>,
    /// `PROVISIONED` or `PAY_PER_REQUEST`.
    pub billing_mode: String,
    pub read_capacity: i64,
    pub write_capacity: i64,
    /// When the table last switched to on-demand.
    pub pay_per_request_ms: Option<i64>,
    pub table_class: Option<String>,
    pub deletion_protection: bool,
    pub tags: Vec<model::Tag>,
    pub encryption: Encryption,
    /// When the current encryption was set (a key change before it does not count).
    pub encryption_set_ms: i64,
    /// When DynamoDB detected that the table's KMS key is inaccessible.
    pub inaccessible_ms: Option<i64>,
    /// When DynamoDB first found the key unusable, for a change the trail does not show.
    #[serde(default)]
    pub unusable_seen_ms: Option<i64>,
    pub archival: Option<Archival>,
    pub restored: Option<Restored>,
    /// Items by slot (a hash of the table id and the item's key).
    pub items: BTreeMap<String, StoredItem>,
}

impl Table {
    pub(crate) fn arn(&self) -> String {
        table_arn(&self.account, &self.region, &self.name)
    }

    /// The attribute names of the partition key and the sort key.
    pub(crate) fn key_names(&self) -> (String, Option<String>) {
        let of = |kind: &str| {
            self.key_schema
                .iter()
                .find(|k| k.key_type == kind)
                .map(|k| k.attribute_name.clone())
        };
        (of("HASH").unwrap_or_default(), of("RANGE"))
    }

    /// The declared type (`S`, `N`, `B`) of a key attribute.
    pub(crate) fn key_type(&self, name: &str) -> String {
        self.attribute_definitions
            .iter()
            .find(|a| a.attribute_name == name)
            .map(|a| a.attribute_type.clone())
            .unwrap_or_default()
    }

    pub(crate) fn size_bytes(&self) -> i64 {
        self.items.values().map(|i| i.size).sum()
    }
}

/// An on-demand backup: a copy of the table's encrypted items and of its encryption.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Backup {
    pub arn: String,
    pub name: String,
    pub account: String,
    pub region: String,
    /// `USER`, or `SYSTEM` for the backup of an archived table.
    pub kind: String,
    pub created_ms: i64,
    /// The table as it was (its items included).
    pub table: Table,
}

/// A caller's plaintext table key, cached by DynamoDB (in memory only).
#[derive(Clone, Debug)]
pub(crate) struct CachedKey {
    pub plain: Vec<u8>,
    pub last_used_ms: i64,
}

/// The DynamoDB state of every account and Region.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct DynamoDb {
    /// Tables by `ACCOUNT/REGION/NAME`.
    pub(crate) tables: BTreeMap<String, Table>,
    /// Backups by ARN.
    pub(crate) backups: BTreeMap<String, Backup>,
    /// Plaintext table keys by `TABLE_ID PRINCIPAL_ARN` (never saved).
    #[serde(skip)]
    pub(crate) cache: BTreeMap<String, CachedKey>,
}

impl DynamoDb {
    /// The number of tables in every account and Region.
    pub fn table_count(&self) -> usize {
        self.tables.len()
    }

    /// What the world stores for a table's items (the sealed envelopes, base64), never the
    /// plaintext. For UIs and tests.
    pub fn stored_items(&self, account: &str, region: &str, name: &str) -> Vec<String> {
        self.tables
            .get(&slot(account, region, name))
            .map(|t| t.items.values().map(|i| i.sealed.clone()).collect())
            .unwrap_or_default()
    }

    /// The ARN of the KMS key protecting a table (`None` for the AWS owned key).
    pub fn table_key_arn(&self, account: &str, region: &str, name: &str) -> Option<String> {
        self.tables
            .get(&slot(account, region, name))
            .and_then(|t| t.encryption.key_arn().map(str::to_owned))
    }
}

/// Whether a DynamoDB operation is a CloudTrail data event (item reads and writes), not a
/// management event (<https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/logging-using-cloudtrail.html>):
/// the item-level API, including the batch, transaction and PartiQL forms the lab does not
/// offer. Table, backup and settings calls are management events.
pub(crate) fn is_data_event(operation: &str) -> bool {
    matches!(
        operation,
        "PutItem"
            | "GetItem"
            | "DeleteItem"
            | "UpdateItem"
            | "Query"
            | "Scan"
            | "BatchGetItem"
            | "BatchWriteItem"
            | "TransactGetItems"
            | "TransactWriteItems"
            | "ExecuteStatement"
            | "BatchExecuteStatement"
            | "ExecuteTransaction"
    )
}

/// The `ACCOUNT/REGION/NAME` key of a table.
pub(crate) fn slot(account: &str, region: &str, name: &str) -> String {
    format!("{account}/{region}/{name}")
}

/// A table's ARN.
pub(crate) fn table_arn(account: &str, region: &str, name: &str) -> String {
    format!("arn:aws:dynamodb:{region}:{account}:table/{name}")
}

/// DynamoDB calls KMS for the caller; its AWS managed key is `aws/dynamodb`.
pub(crate) const KMS: ServiceKms<DynamoDbError> = ServiceKms {
    service: "dynamodb",
    context_key: "aws:dynamodb:tableName",
    map_err: DynamoDbError::from_kms,
    internal: DynamoDbError::InternalServerError,
};

/// The encryption context of a table key.
pub(crate) fn encryption_context(table: &str, account: &str) -> EncryptionContext {
    EncryptionContext::from([
        ("aws:dynamodb:tableName".to_owned(), table.to_owned()),
        ("aws:dynamodb:subscriberId".to_owned(), account.to_owned()),
    ])
}

pub(crate) fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

pub(crate) fn epoch(ms: i64) -> f64 {
    #[expect(clippy::cast_precision_loss, reason = "ms timestamps fit f64 exactly")]
    let secs = ms as f64 / 1000.0;
    secs
}

/// The magic of the lab's item envelope.
const MAGIC: &[u8; 4] = b"KLDD";

fn corrupt() -> DynamoDbError {
    DynamoDbError::InternalServerError("the stored item failed to decrypt".into())
}

/// Seals an item's attributes under the table key, bound to its slot.
pub(crate) fn seal_item(
    world: &mut World,
    table_key: &[u8],
    slot: &str,
    item: &model::Item,
) -> Result<StoredItem, DynamoDbError> {
    let plain = serde_json::to_vec(item).map_err(|_| corrupt())?;
    let nonce: [u8; 12] = world.rng.array();
    let sealed = seal_envelope(MAGIC, table_key, &[], &nonce, &plain, slot.as_bytes())
        .ok_or_else(|| DynamoDbError::InternalServerError("encryption failed".into()))?;
    Ok(StoredItem {
        sealed: b64().encode(sealed),
        size: item_size(item),
    })
}

/// Opens an item sealed with [`seal_item`].
pub(crate) fn open_item(
    table_key: &[u8],
    slot: &str,
    stored: &StoredItem,
) -> Result<model::Item, DynamoDbError> {
    let sealed = b64().decode(stored.sealed.as_bytes()).map_err(|_| corrupt())?;
    let (_, nonce, ct) = split_envelope(MAGIC, &sealed).ok_or_else(corrupt)?;
    let plain = open_envelope(table_key, nonce, ct, slot.as_bytes()).ok_or_else(corrupt)?;
    serde_json::from_slice(&plain).map_err(|_| corrupt())
}

/// An item's size as DynamoDB counts it (roughly: names plus values).
pub(crate) fn item_size(item: &model::Item) -> i64 {
    let bytes: usize = item
        .iter()
        .map(|(k, v)| k.len() + v.to_string().len().saturating_sub(6))
        .sum();
    i64::try_from(bytes).unwrap_or(i64::MAX)
}

/// The plaintext table key of `t` for the caller: the AWS owned one, a cached one, or the
/// table key decrypted by KMS as the caller through DynamoDB (then cached).
pub(crate) fn table_key(
    world: &mut World,
    ctx: &CallContext,
    t: &Table,
    audit: &mut CallAudit,
) -> Result<Vec<u8>, DynamoDbError> {
    let (key_arn, wrapped) = match &t.encryption {
        Encryption::Owned { table_key } => {
            return b64().decode(table_key.as_bytes()).map_err(|_| corrupt());
        }
        Encryption::Kms { key_arn, wrapped } => (key_arn.clone(), wrapped.clone()),
    };
    let now = world.now_ms();
    let cache_key = format!("{} {}", t.id, ctx.principal_arn);
    if t.inaccessible_ms.is_none()
        && let Some(c) = world.services.dynamodb.cache.get_mut(&cache_key)
        && now - c.last_used_ms < TABLE_KEY_CACHE_MS
    {
        c.last_used_ms = now;
        return Ok(c.plain.clone());
    }
    world.services.dynamodb.cache.remove(&cache_key);
    let req = DecryptRequest {
        ciphertext_blob: Blob(b64().decode(wrapped.as_bytes()).unwrap_or_default()),
        key_id: Some(key_arn),
        encryption_context: Some(encryption_context(&t.name, &t.account)),
        ..DecryptRequest::default()
    };
    let plain = KMS.decrypt(world, ctx, req, audit)?.0.clone();
    world.services.dynamodb.cache.insert(
        cache_key,
        CachedKey {
            plain: plain.clone(),
            last_used_ms: now,
        },
    );
    Ok(plain)
}

/// Caches a table key DynamoDB just made for the caller.
pub(crate) fn cache_key(world: &mut World, ctx: &CallContext, table_id: &str, plain: &[u8]) {
    let now = world.now_ms();
    world.services.dynamodb.cache.insert(
        format!("{table_id} {}", ctx.principal_arn),
        CachedKey {
            plain: plain.to_vec(),
            last_used_ms: now,
        },
    );
}

/// Forgets every cached key of a table (its key changed, or it is gone).
pub(crate) fn forget_keys(world: &mut World, table_id: &str) {
    let prefix = format!("{table_id} ");
    world
        .services
        .dynamodb
        .cache
        .retain(|k, _| !k.starts_with(&prefix));
}
