//! The shapes of CloudTrail's trail operations (JSON 1.1, PascalCase members except
//! `DescribeTrails`' `trailNameList` / `includeShadowTrails` / `trailList`), in the member order of
//! the official model (`cloudtrail-2013-11-01`), which is the order the aws-cli prints.

use serde::{Deserialize, Serialize};

use crate::lenient::StringList;

/// A tag of `CreateTrail`'s `TagsList`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Tag {
    /// The key.
    #[serde(default)]
    pub key: String,
    /// The value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

lenient_request!(
    /// `CreateTrail`.
    CreateTrailRequest {
        /// 3–128 characters: letters, digits, `.`, `_`, `-`.
        name: String = "Name",
        /// The bucket log files go to.
        s3_bucket_name: String = "S3BucketName",
        /// A prefix before `AWSLogs/`.
        s3_key_prefix: String = "S3KeyPrefix",
        /// SNS notifications (not modelled).
        sns_topic_name: String = "SnsTopicName",
        /// IAM and other global events (default true).
        include_global_service_events: bool = "IncludeGlobalServiceEvents",
        /// Every Region's events (default false).
        is_multi_region_trail: bool = "IsMultiRegionTrail",
        /// Digest files (recorded; digests are not delivered by the lab).
        enable_log_file_validation: bool = "EnableLogFileValidation",
        /// Delivery to CloudWatch Logs (not modelled).
        cloud_watch_logs_log_group_arn: String = "CloudWatchLogsLogGroupArn",
        /// The role for CloudWatch Logs delivery (not modelled).
        cloud_watch_logs_role_arn: String = "CloudWatchLogsRoleArn",
        /// The KMS key of SSE-KMS log files (alias, key id or ARN).
        kms_key_id: String = "KmsKeyId",
        /// Organization trails (not modelled).
        is_organization_trail: bool = "IsOrganizationTrail",
        /// Tags of the new trail.
        tags_list: Vec<Tag> = "TagsList",
    }
);

lenient_request!(
    /// `UpdateTrail`: only the members given change.
    UpdateTrailRequest {
        /// The trail's name or ARN.
        name: String = "Name",
        /// A new bucket.
        s3_bucket_name: String = "S3BucketName",
        /// A new prefix (empty: none).
        s3_key_prefix: String = "S3KeyPrefix",
        /// SNS notifications (not modelled).
        sns_topic_name: String = "SnsTopicName",
        /// IAM and other global events.
        include_global_service_events: bool = "IncludeGlobalServiceEvents",
        /// Every Region's events.
        is_multi_region_trail: bool = "IsMultiRegionTrail",
        /// Digest files.
        enable_log_file_validation: bool = "EnableLogFileValidation",
        /// Delivery to CloudWatch Logs (not modelled).
        cloud_watch_logs_log_group_arn: String = "CloudWatchLogsLogGroupArn",
        /// The role for CloudWatch Logs delivery (not modelled).
        cloud_watch_logs_role_arn: String = "CloudWatchLogsRoleArn",
        /// A new KMS key (empty: SSE-S3 again).
        kms_key_id: String = "KmsKeyId",
        /// Organization trails (not modelled).
        is_organization_trail: bool = "IsOrganizationTrail",
    }
);

lenient_request!(
    /// `StartLogging`, `StopLogging`, `GetTrailStatus` and `DeleteTrail`: a trail by name or ARN.
    TrailNameRequest {
        /// The trail's name or ARN.
        name: String = "Name",
    }
);

lenient_request!(
    /// `DescribeTrails`.
    DescribeTrailsRequest {
        /// Names or ARNs (default: every trail of the Region).
        trail_name_list: StringList = "trailNameList",
        /// Also multi-Region trails of other home Regions (default true).
        include_shadow_trails: bool = "includeShadowTrails",
    }
);

/// `CreateTrail`'s and `UpdateTrail`'s answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TrailResponse {
    /// The name.
    pub name: String,
    /// The bucket.
    pub s3_bucket_name: String,
    /// The prefix, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub s3_key_prefix: Option<String>,
    /// Whether global service events are logged.
    pub include_global_service_events: bool,
    /// Whether every Region's events are logged.
    pub is_multi_region_trail: bool,
    /// The ARN.
    #[serde(rename = "TrailARN")]
    pub trail_arn: String,
    /// Whether digest files are on.
    pub log_file_validation_enabled: bool,
    /// The KMS key ARN, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kms_key_id: Option<String>,
    /// Always false in the lab.
    pub is_organization_trail: bool,
}

/// A trail as `DescribeTrails` lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Trail {
    /// The name.
    pub name: String,
    /// The bucket.
    pub s3_bucket_name: String,
    /// The prefix, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub s3_key_prefix: Option<String>,
    /// Whether global service events are logged.
    pub include_global_service_events: bool,
    /// Whether every Region's events are logged.
    pub is_multi_region_trail: bool,
    /// Where the trail was created.
    pub home_region: String,
    /// The ARN.
    #[serde(rename = "TrailARN")]
    pub trail_arn: String,
    /// Whether digest files are on.
    pub log_file_validation_enabled: bool,
    /// The KMS key ARN, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kms_key_id: Option<String>,
    /// Always false in the lab.
    pub has_custom_event_selectors: bool,
    /// Always false in the lab.
    pub has_insight_selectors: bool,
    /// Always false in the lab.
    pub is_organization_trail: bool,
}

/// `DescribeTrails`' answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DescribeTrailsResponse {
    /// The trails.
    #[serde(rename = "trailList")]
    pub trail_list: Vec<Trail>,
}

/// `GetTrailStatus`' answer (times in epoch seconds; the `…Attempt…` members are ISO 8601
/// text, empty when there was none, as AWS answers them).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetTrailStatusResponse {
    /// Whether the trail is logging.
    pub is_logging: bool,
    /// The error of the latest failed delivery (`AccessDenied`, `NoSuchBucket`,
    /// `KMS.DisabledException`, …), cleared by a successful one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_delivery_error: Option<String>,
    /// The latest successful delivery.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_delivery_time: Option<f64>,
    /// The latest `StartLogging`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_logging_time: Option<f64>,
    /// The latest `StopLogging`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_logging_time: Option<f64>,
    /// The latest delivery attempt.
    pub latest_delivery_attempt_time: String,
    /// Never (no SNS).
    pub latest_notification_attempt_time: String,
    /// Never (no SNS).
    pub latest_notification_attempt_succeeded: String,
    /// The latest successful attempt.
    pub latest_delivery_attempt_succeeded: String,
    /// The latest `StartLogging`.
    pub time_logging_started: String,
    /// The latest `StopLogging`.
    pub time_logging_stopped: String,
}

/// An answer without members.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmptyResponse {}
