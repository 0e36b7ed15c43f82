//! Amazon SNS with server-side encryption: topics (`KmsMasterKeyId`), subscriptions of SQS
//! queues, and publishing, with what each delivery needs.
//!
//! - **Publishing to an encrypted topic**: SNS asks KMS for a data key *as the publisher*
//!   through SNS (`kms:ViaService` `sns.REGION.amazonaws.com`), and decrypts it again to deliver,
//!   so the publisher needs `kms:GenerateDataKey*` and `kms:Decrypt` on the topic's key
//!   (<https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html>).
//! - **Delivering to an SQS queue**: SNS sends as its service principal `sns.amazonaws.com`, so
//!   the queue policy must allow `sqs:SendMessage` for the topic (`aws:SourceArn`), and an
//!   SSE-KMS queue's key policy must allow `sns.amazonaws.com` `kms:GenerateDataKey*` and
//!   `kms:Decrypt`. A queue under `aws/sqs` never receives (that key's policy cannot be
//!   changed); an SSE-SQS queue needs no key statement.
//! - A delivery the queue or its key refuses is a client-side error SNS does not retry: the
//!   message is lost for that subscription. The lab keeps each such failure
//!   ([`Sns::delivery_failures`]) beside the failed KMS event (`sns.amazonaws.com`, with its
//!   `errorCode`) that CloudTrail shows.
//!
//! Subscriptions of SQS queues are confirmed at once; other protocols wait for a confirmation
//! the lab never sends (nothing is delivered to them). Not modelled: FIFO topics' ordering,
//! message filtering, and retries of server-side errors. SNS's requests for a delivery (to
//! the queue, and to KMS for the queue's key) carry the topic as `aws:SourceArn`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

mod error;
pub mod model;
mod publish;
mod service;
mod subscription;
mod topic;

pub use error::SnsError;
pub use model::{SnsClient, SnsRequest, SnsResponse};

pub(crate) use publish::publish_as;

/// A topic.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct StoredTopic {
    pub name: String,
    pub account: String,
    pub region: String,
    pub created_ms: i64,
    /// The attributes as last set (`DisplayName`, `Policy`, `KmsMasterKeyId`, …).
    pub attributes: BTreeMap<String, String>,
}

impl StoredTopic {
    /// `arn:aws:sns:REGION:ACCOUNT:NAME`.
    pub(crate) fn arn(&self) -> String {
        format!("arn:aws:sns:{}:{}:{}", self.region, self.account, self.name)
    }

    /// The topic's KMS key, if any.
    pub(crate) fn kms_key(&self) -> Option<&str> {
        self.attributes
            .get("KmsMasterKeyId")
            .map(String::as_str)
            .filter(|k| !k.is_empty())
    }
}

/// A subscription.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct StoredSubscription {
    pub arn: String,
    pub topic_arn: String,
    pub protocol: String,
    pub endpoint: String,
    pub owner: String,
    pub confirmed: bool,
    pub attributes: BTreeMap<String, String>,
}

/// A delivery SNS could not make and will not retry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeliveryFailure {
    /// When (epoch ms).
    pub time_ms: i64,
    /// The topic.
    pub topic_arn: String,
    /// The subscription.
    pub subscription_arn: String,
    /// The endpoint (the queue's ARN).
    pub endpoint: String,
    /// The published message's id.
    pub message_id: String,
    /// The error the endpoint answered (`KMS.AccessDeniedException`, `AccessDenied`, …).
    pub error_code: String,
    /// Its message.
    pub error_message: String,
}

/// The SNS state of every account and Region.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Sns {
    /// Topics by ARN.
    pub(crate) topics: BTreeMap<String, StoredTopic>,
    /// Subscriptions by ARN.
    pub(crate) subscriptions: BTreeMap<String, StoredSubscription>,
    /// Deliveries that failed, oldest first (the last [`MAX_FAILURES`]).
    #[serde(default)]
    pub(crate) failures: Vec<DeliveryFailure>,
}

/// How many delivery failures the lab keeps.
pub const MAX_FAILURES: usize = 200;

impl Sns {
    /// The number of topics in every account and Region.
    pub fn topic_count(&self) -> usize {
        self.topics.len()
    }

    /// The deliveries that failed and were not retried, oldest first.
    pub fn delivery_failures(&self) -> &[DeliveryFailure] {
        &self.failures
    }
}
