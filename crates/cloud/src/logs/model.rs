//! CloudWatch Logs' typed requests and responses. Logs speaks the AWS JSON 1.1 protocol with
//! camelCase members; the request members are read leniently ([`crate::lenient`]) so each
//! operation reports what it requires itself, and the responses keep the member order of the
//! official model (`logs-2014-03-28`), which is the order the aws-cli prints.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One event of a `PutLogEvents` batch.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputLogEvent {
    /// Milliseconds since the epoch.
    pub timestamp: i64,
    /// The raw message.
    pub message: String,
}

lenient_request!(
    /// `CreateLogGroup`.
    CreateLogGroupRequest {
        /// 1–512 characters of `[.\-_/#A-Za-z0-9]`.
        log_group_name: String = "logGroupName",
        /// The KMS key (ARN) that encrypts the group's log events.
        kms_key_id: String = "kmsKeyId",
        /// Tags of the new group.
        tags: BTreeMap<String, String> = "tags",
        /// `STANDARD` (default), `INFREQUENT_ACCESS` or `DELIVERY`.
        log_group_class: String = "logGroupClass",
        /// Whether the group may not be deleted.
        deletion_protection_enabled: bool = "deletionProtectionEnabled",
    }
);

lenient_request!(
    /// `AssociateKmsKey`.
    AssociateKmsKeyRequest {
        /// The log group.
        log_group_name: String = "logGroupName",
        /// The KMS key ARN.
        kms_key_id: String = "kmsKeyId",
        /// A query-result resource (not modelled).
        resource_identifier: String = "resourceIdentifier",
    }
);

lenient_request!(
    /// `DisassociateKmsKey`.
    DisassociateKmsKeyRequest {
        /// The log group.
        log_group_name: String = "logGroupName",
        /// A query-result resource (not modelled).
        resource_identifier: String = "resourceIdentifier",
    }
);

lenient_request!(
    /// `DescribeLogGroups`.
    DescribeLogGroupsRequest {
        /// Only groups whose names start with it.
        log_group_name_prefix: String = "logGroupNamePrefix",
        /// Only groups whose names contain it (case-insensitive).
        log_group_name_pattern: String = "logGroupNamePattern",
        /// The token of the previous page.
        next_token: String = "nextToken",
        /// 1–50 (default 50).
        limit: i64 = "limit",
        /// Only groups of this class.
        log_group_class: String = "logGroupClass",
    }
);

lenient_request!(
    /// `DeleteLogGroup`.
    DeleteLogGroupRequest {
        /// The log group.
        log_group_name: String = "logGroupName",
    }
);

lenient_request!(
    /// `CreateLogStream`.
    CreateLogStreamRequest {
        /// The log group.
        log_group_name: String = "logGroupName",
        /// 1–512 characters, no `:` or `*`.
        log_stream_name: String = "logStreamName",
    }
);

lenient_request!(
    /// `DescribeLogStreams`.
    DescribeLogStreamsRequest {
        /// The log group.
        log_group_name: String = "logGroupName",
        /// The log group's name or ARN (instead of `logGroupName`).
        log_group_identifier: String = "logGroupIdentifier",
        /// Only streams whose names start with it.
        log_stream_name_prefix: String = "logStreamNamePrefix",
        /// `LogStreamName` (default) or `LastEventTime`.
        order_by: String = "orderBy",
        /// Newest or last name first.
        descending: bool = "descending",
        /// The token of the previous page.
        next_token: String = "nextToken",
        /// 1–50 (default 50).
        limit: i64 = "limit",
    }
);

lenient_request!(
    /// `PutLogEvents`.
    PutLogEventsRequest {
        /// The log group.
        log_group_name: String = "logGroupName",
        /// The log stream.
        log_stream_name: String = "logStreamName",
        /// 1–10,000 events in chronological order.
        log_events: Vec<InputLogEvent> = "logEvents",
        /// Ignored since January 2023 (kept for old callers).
        sequence_token: String = "sequenceToken",
    }
);

lenient_request!(
    /// `GetLogEvents`.
    GetLogEventsRequest {
        /// The log group.
        log_group_name: String = "logGroupName",
        /// The log group's name or ARN (instead of `logGroupName`).
        log_group_identifier: String = "logGroupIdentifier",
        /// The log stream.
        log_stream_name: String = "logStreamName",
        /// Events at or after this time (ms).
        start_time: i64 = "startTime",
        /// Events before this time (ms).
        end_time: i64 = "endTime",
        /// `f/…` or `b/…` from a previous answer.
        next_token: String = "nextToken",
        /// 1–10,000 (default 10,000).
        limit: i64 = "limit",
        /// Oldest events first (default: the newest page).
        start_from_head: bool = "startFromHead",
        /// Unmask data-protected values (not modelled).
        unmask: bool = "unmask",
    }
);

/// An answer without members.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmptyResponse {}

/// A log group as `DescribeLogGroups` lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LogGroup {
    /// The name.
    pub log_group_name: String,
    /// Milliseconds since the epoch.
    pub creation_time: i64,
    /// Always 0 in the lab (no metric filters).
    pub metric_filter_count: i64,
    /// `arn:aws:logs:REGION:ACCOUNT:log-group:NAME:*`.
    pub arn: String,
    /// The bytes stored.
    pub stored_bytes: i64,
    /// The associated KMS key ARN, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kms_key_id: Option<String>,
    /// `STANDARD`, `INFREQUENT_ACCESS` or `DELIVERY`.
    pub log_group_class: String,
    /// `arn:aws:logs:REGION:ACCOUNT:log-group:NAME` (no trailing `:*`).
    pub log_group_arn: String,
}

/// `DescribeLogGroups`' answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DescribeLogGroupsResponse {
    /// One page of groups, by name.
    pub log_groups: Vec<LogGroup>,
    /// The next page's token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// A log stream as `DescribeLogStreams` lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LogStream {
    /// The name.
    pub log_stream_name: String,
    /// Milliseconds since the epoch.
    pub creation_time: i64,
    /// The oldest event's timestamp.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_event_timestamp: Option<i64>,
    /// The newest event's timestamp.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_event_timestamp: Option<i64>,
    /// When the last batch was ingested.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_ingestion_time: Option<i64>,
    /// The sequence token (no longer required by `PutLogEvents`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upload_sequence_token: Option<String>,
    /// `arn:aws:logs:REGION:ACCOUNT:log-group:GROUP:log-stream:NAME`.
    pub arn: String,
    /// Always 0 (deprecated by AWS).
    pub stored_bytes: i64,
}

/// `DescribeLogStreams`' answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DescribeLogStreamsResponse {
    /// One page of streams.
    pub log_streams: Vec<LogStream>,
    /// The next page's token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// Which events of a batch were not stored, by index (events are in chronological order).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RejectedLogEventsInfo {
    /// Events from this index on are more than 2 hours in the future.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub too_new_log_event_start_index: Option<i64>,
    /// Events before this index are more than 14 days old.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub too_old_log_event_end_index: Option<i64>,
    /// Events before this index are older than the group's retention (never in the lab).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expired_log_event_end_index: Option<i64>,
}

/// `PutLogEvents`' answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PutLogEventsResponse {
    /// The next sequence token (no longer needed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_sequence_token: Option<String>,
    /// The events not stored, when some were not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rejected_log_events_info: Option<RejectedLogEventsInfo>,
}

/// One event as `GetLogEvents` returns it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OutputLogEvent {
    /// The event's own time (ms).
    pub timestamp: i64,
    /// The message, decrypted.
    pub message: String,
    /// When Logs received it (ms).
    pub ingestion_time: i64,
}

/// `GetLogEvents`' answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetLogEventsResponse {
    /// The events, oldest first.
    pub events: Vec<OutputLogEvent>,
    /// `f/…`: the token of the next (newer) page.
    pub next_forward_token: String,
    /// `b/…`: the token of the previous (older) page.
    pub next_backward_token: String,
}

operations!(LogsRequest / LogsResponse, logs -> LogsClient for crate::logs::Logs {
    create_log_group: CreateLogGroup(CreateLogGroupRequest) -> EmptyResponse,
    associate_kms_key: AssociateKmsKey(AssociateKmsKeyRequest) -> EmptyResponse,
    disassociate_kms_key: DisassociateKmsKey(DisassociateKmsKeyRequest) -> EmptyResponse,
    describe_log_groups: DescribeLogGroups(DescribeLogGroupsRequest) -> DescribeLogGroupsResponse,
    delete_log_group: DeleteLogGroup(DeleteLogGroupRequest) -> EmptyResponse,
    create_log_stream: CreateLogStream(CreateLogStreamRequest) -> EmptyResponse,
    describe_log_streams: DescribeLogStreams(DescribeLogStreamsRequest) -> DescribeLogStreamsResponse,
    put_log_events: PutLogEvents(PutLogEventsRequest) -> PutLogEventsResponse,
    get_log_events: GetLogEvents(GetLogEventsRequest) -> GetLogEventsResponse,
});
