//! Amazon SQS's typed requests and responses. SQS speaks the AWS JSON 1.0 protocol (since
//! 2023; `sqs-2012-11-05`, `awsQueryCompatible`) with PascalCase members; the request members are
//! read leniently ([`crate::lenient`]) so each operation reports what it requires itself, and the
//! responses keep the member order of the official model, which is the order the aws-cli prints.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

lenient_request!(
    /// `CreateQueue`.
    CreateQueueRequest {
        /// 1–80 characters of `[A-Za-z0-9_-]` (a FIFO queue's ends in `.fifo`).
        queue_name: String = "QueueName",
        /// The queue's attributes (`VisibilityTimeout`, `KmsMasterKeyId`, `Policy`, …).
        attributes: BTreeMap<String, String> = "Attributes",
        /// Tags of the new queue.
        tags: BTreeMap<String, String> = "tags",
    }
);

lenient_request!(
    /// `GetQueueUrl`.
    GetQueueUrlRequest {
        /// The queue's name.
        queue_name: String = "QueueName",
        /// The account that owns the queue (default: the caller's).
        queue_owner_aws_account_id: String = "QueueOwnerAWSAccountId",
    }
);

lenient_request!(
    /// `GetQueueAttributes`.
    GetQueueAttributesRequest {
        /// The queue.
        queue_url: String = "QueueUrl",
        /// The attributes to return (`All` for every one; none: no attributes).
        attribute_names: Vec<String> = "AttributeNames",
    }
);

lenient_request!(
    /// `SetQueueAttributes`.
    SetQueueAttributesRequest {
        /// The queue.
        queue_url: String = "QueueUrl",
        /// The attributes to set.
        attributes: BTreeMap<String, String> = "Attributes",
    }
);

lenient_request!(
    /// `ListQueues`.
    ListQueuesRequest {
        /// Only queues whose names start with it.
        queue_name_prefix: String = "QueueNamePrefix",
        /// The token of the previous page.
        next_token: String = "NextToken",
        /// 1–1,000 per page.
        max_results: i64 = "MaxResults",
    }
);

lenient_request!(
    /// `DeleteQueue` and `PurgeQueue`.
    QueueUrlRequest {
        /// The queue.
        queue_url: String = "QueueUrl",
    }
);

lenient_request!(
    /// `SendMessage`.
    SendMessageRequest {
        /// The queue.
        queue_url: String = "QueueUrl",
        /// The message (1 byte to 1 MiB of XML-allowed characters).
        message_body: String = "MessageBody",
        /// 0–900 seconds before the message becomes visible (the queue's `DelaySeconds` when
        /// absent).
        delay_seconds: i64 = "DelaySeconds",
        /// FIFO queues: the message group (not modelled beyond being accepted).
        message_group_id: String = "MessageGroupId",
        /// FIFO queues: the deduplication id (not modelled beyond being accepted).
        message_deduplication_id: String = "MessageDeduplicationId",
    }
);

lenient_request!(
    /// `ReceiveMessage`.
    ReceiveMessageRequest {
        /// The queue.
        queue_url: String = "QueueUrl",
        /// 1–10 (default 1).
        max_number_of_messages: i64 = "MaxNumberOfMessages",
        /// The visibility timeout of the received messages (the queue's when absent).
        visibility_timeout: i64 = "VisibilityTimeout",
        /// 0–20 seconds of long polling (the lab answers at once).
        wait_time_seconds: i64 = "WaitTimeSeconds",
        /// System attributes to return (deprecated name).
        attribute_names: Vec<String> = "AttributeNames",
        /// System attributes to return.
        message_system_attribute_names: Vec<String> = "MessageSystemAttributeNames",
    }
);

lenient_request!(
    /// `DeleteMessage`.
    DeleteMessageRequest {
        /// The queue.
        queue_url: String = "QueueUrl",
        /// The receipt handle of the message's last receipt.
        receipt_handle: String = "ReceiptHandle",
    }
);

/// Every queue attribute name `GetQueueAttributes` takes (`QueueAttributeName`).
pub const ATTRIBUTE_NAMES: &[&str] = &[
    "All",
    "Policy",
    "VisibilityTimeout",
    "MaximumMessageSize",
    "MessageRetentionPeriod",
    "ApproximateNumberOfMessages",
    "ApproximateNumberOfMessagesNotVisible",
    "CreatedTimestamp",
    "LastModifiedTimestamp",
    "QueueArn",
    "ApproximateNumberOfMessagesDelayed",
    "DelaySeconds",
    "ReceiveMessageWaitTimeSeconds",
    "RedrivePolicy",
    "FifoQueue",
    "ContentBasedDeduplication",
    "KmsMasterKeyId",
    "KmsDataKeyReusePeriodSeconds",
    "DeduplicationScope",
    "FifoThroughputLimit",
    "RedriveAllowPolicy",
    "SqsManagedSseEnabled",
];

/// An answer without members.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmptyResponse {}

/// `CreateQueue` and `GetQueueUrl`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct QueueUrlResponse {
    /// `https://sqs.REGION.amazonaws.com/ACCOUNT/NAME`.
    pub queue_url: String,
}

/// `GetQueueAttributes`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetQueueAttributesResponse {
    /// The attributes asked for (absent when none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<BTreeMap<String, String>>,
}

/// `ListQueues`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListQueuesResponse {
    /// The queue URLs (absent when there are none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue_urls: Option<Vec<String>>,
    /// The token of the next page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// `SendMessage`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendMessageResponse {
    /// The MD5 digest of the body (hex).
    #[serde(rename = "MD5OfMessageBody")]
    pub md5_of_message_body: String,
    /// The message's id.
    #[serde(rename = "MessageId")]
    pub message_id: String,
}

/// One received message.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// The message's id.
    #[serde(rename = "MessageId")]
    pub message_id: String,
    /// The handle `DeleteMessage` takes (new on every receipt).
    #[serde(rename = "ReceiptHandle")]
    pub receipt_handle: String,
    /// The MD5 digest of the body (hex).
    #[serde(rename = "MD5OfBody")]
    pub md5_of_body: String,
    /// The body, decrypted.
    #[serde(rename = "Body")]
    pub body: String,
    /// The system attributes asked for.
    #[serde(
        rename = "Attributes",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub attributes: Option<BTreeMap<String, String>>,
}

/// `ReceiveMessage`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ReceiveMessageResponse {
    /// The messages received (absent when none was available).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub messages: Option<Vec<Message>>,
}

operations!(SqsRequest / SqsResponse, sqs -> SqsClient for crate::sqs::Sqs {
    create_queue: CreateQueue(CreateQueueRequest) -> QueueUrlResponse,
    get_queue_url: GetQueueUrl(GetQueueUrlRequest) -> QueueUrlResponse,
    get_queue_attributes: GetQueueAttributes(GetQueueAttributesRequest) -> GetQueueAttributesResponse,
    set_queue_attributes: SetQueueAttributes(SetQueueAttributesRequest) -> EmptyResponse,
    list_queues: ListQueues(ListQueuesRequest) -> ListQueuesResponse,
    delete_queue: DeleteQueue(QueueUrlRequest) -> EmptyResponse,
    purge_queue: PurgeQueue(QueueUrlRequest) -> EmptyResponse,
    send_message: SendMessage(SendMessageRequest) -> SendMessageResponse,
    receive_message: ReceiveMessage(ReceiveMessageRequest) -> ReceiveMessageResponse,
    delete_message: DeleteMessage(DeleteMessageRequest) -> EmptyResponse,
});
