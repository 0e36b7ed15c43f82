//! AWS Config's typed requests and responses (JSON 1.1, `StarlingDoveService`), with the
//! members as the official model (`config-2014-11-12`) spells them: the delivery channel and
//! the configuration recorder in lower camel case, everything else in Pascal case. Timestamps
//! are epoch seconds.

use serde::{Deserialize, Serialize};
use serde_json::Value;

lenient_request!(
    /// `ConfigSnapshotDeliveryProperties`.
    ConfigSnapshotDeliveryProperties {
        /// `One_Hour`, `Three_Hours`, `Six_Hours`, `Twelve_Hours` or `TwentyFour_Hours`.
        delivery_frequency: String = "deliveryFrequency",
    }
);

lenient_request!(
    /// `DeliveryChannel`: where Config delivers configuration snapshots and history.
    DeliveryChannel {
        /// The name (`default` when absent).
        name: String = "name",
        /// The bucket.
        s3_bucket_name: String = "s3BucketName",
        /// The key prefix in the bucket.
        s3_key_prefix: String = "s3KeyPrefix",
        /// The KMS key that encrypts delivered objects.
        s3_kms_key_arn: String = "s3KmsKeyArn",
        /// The SNS topic for notifications.
        sns_topic_arn: String = "snsTopicARN",
        /// How often snapshots are delivered.
        config_snapshot_delivery_properties: ConfigSnapshotDeliveryProperties = "configSnapshotDeliveryProperties",
    }
);

lenient_request!(
    /// `PutDeliveryChannel`.
    PutDeliveryChannelRequest {
        /// The channel.
        delivery_channel: DeliveryChannel = "DeliveryChannel",
    }
);

lenient_request!(
    /// `DescribeDeliveryChannels`.
    DescribeDeliveryChannelsRequest {
        /// Only these channels.
        delivery_channel_names: Vec<String> = "DeliveryChannelNames",
    }
);

/// `DescribeDeliveryChannels`' answer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DescribeDeliveryChannelsResponse {
    /// The channels.
    #[serde(rename = "DeliveryChannels")]
    pub delivery_channels: Vec<DeliveryChannel>,
}

lenient_request!(
    /// `ExclusionByResourceTypes`.
    ExclusionByResourceTypes {
        /// The excluded types.
        resource_types: Vec<String> = "resourceTypes",
    }
);

lenient_request!(
    /// `RecordingStrategy`.
    RecordingStrategy {
        /// `ALL_SUPPORTED_RESOURCE_TYPES`, `INCLUSION_BY_RESOURCE_TYPES` or
        /// `EXCLUSION_BY_RESOURCE_TYPES`.
        use_only: String = "useOnly",
    }
);

lenient_request!(
    /// `RecordingGroup`: which resource types the recorder records.
    RecordingGroup {
        /// Every supported type.
        all_supported: bool = "allSupported",
        /// Also the global IAM types.
        include_global_resource_types: bool = "includeGlobalResourceTypes",
        /// Only these types.
        resource_types: Vec<String> = "resourceTypes",
        /// Every supported type but these.
        exclusion_by_resource_types: ExclusionByResourceTypes = "exclusionByResourceTypes",
        /// Which of the three lists applies.
        recording_strategy: RecordingStrategy = "recordingStrategy",
    }
);

lenient_request!(
    /// `ConfigurationRecorder`.
    ConfigurationRecorder {
        /// The recorder's ARN (output only).
        arn: String = "arn",
        /// The name (`default` when absent).
        name: String = "name",
        /// The role Config assumes to read the resources.
        role_arn: String = "roleARN",
        /// What it records (all supported regional types by default).
        recording_group: RecordingGroup = "recordingGroup",
        /// `CONTINUOUS` or `DAILY` recording, kept as given.
        recording_mode: Value = "recordingMode",
        /// `PAID` for a customer managed recorder.
        recording_scope: String = "recordingScope",
    }
);

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
    /// `PutConfigurationRecorder`.
    PutConfigurationRecorderRequest {
        /// The recorder.
        configuration_recorder: ConfigurationRecorder = "ConfigurationRecorder",
        /// Tags (kept on creation only).
        tags: Vec<Tag> = "Tags",
    }
);

lenient_request!(
    /// `DescribeConfigurationRecorders` and `DescribeConfigurationRecorderStatus`.
    DescribeConfigurationRecordersRequest {
        /// Only these recorders.
        configuration_recorder_names: Vec<String> = "ConfigurationRecorderNames",
        /// A service-linked recorder's principal (none in the lab).
        service_principal: String = "ServicePrincipal",
        /// Only the recorder with this ARN.
        arn: String = "Arn",
    }
);

/// `DescribeConfigurationRecorders`' answer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DescribeConfigurationRecordersResponse {
    /// The recorders.
    #[serde(rename = "ConfigurationRecorders")]
    pub configuration_recorders: Vec<ConfigurationRecorder>,
}

/// `ConfigurationRecorderStatus`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ConfigurationRecorderStatus {
    /// The recorder's ARN.
    #[serde(rename = "arn", default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    /// The recorder's name.
    #[serde(rename = "name")]
    pub name: String,
    /// When it last started.
    #[serde(rename = "lastStartTime", default, skip_serializing_if = "Option::is_none")]
    pub last_start_time: Option<f64>,
    /// When it last stopped.
    #[serde(rename = "lastStopTime", default, skip_serializing_if = "Option::is_none")]
    pub last_stop_time: Option<f64>,
    /// Whether it records now.
    #[serde(rename = "recording")]
    pub recording: bool,
    /// The last recording attempt's status.
    #[serde(rename = "lastStatus", default, skip_serializing_if = "Option::is_none")]
    pub last_status: Option<String>,
    /// When the status last changed.
    #[serde(
        rename = "lastStatusChangeTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub last_status_change_time: Option<f64>,
}

/// `DescribeConfigurationRecorderStatus`' answer.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DescribeConfigurationRecorderStatusResponse {
    /// One status per recorder.
    #[serde(rename = "ConfigurationRecordersStatus")]
    pub configuration_recorders_status: Vec<ConfigurationRecorderStatus>,
}

lenient_request!(
    /// `StartConfigurationRecorder` and `StopConfigurationRecorder`.
    RecorderNameRequest {
        /// The recorder.
        configuration_recorder_name: String = "ConfigurationRecorderName",
    }
);

/// An answer without members.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmptyResponse {}

lenient_request!(
    /// `SourceDetail`: what triggers a custom rule.
    SourceDetail {
        /// `aws.config`.
        event_source: String = "EventSource",
        /// The notification type.
        message_type: String = "MessageType",
        /// A periodic trigger's frequency.
        maximum_execution_frequency: String = "MaximumExecutionFrequency",
    }
);

lenient_request!(
    /// `Source`: who owns the rule and which one it is.
    Source {
        /// `AWS` for managed rules (`CUSTOM_LAMBDA`, `CUSTOM_POLICY`).
        owner: String = "Owner",
        /// A managed rule's identifier (`ENCRYPTED_VOLUMES`).
        source_identifier: String = "SourceIdentifier",
        /// Custom rules' triggers.
        source_details: Vec<SourceDetail> = "SourceDetails",
        /// A Custom Policy rule's Guard runtime and policy (`CUSTOM_POLICY`).
        custom_policy_details: Box<serde_json::Value> = "CustomPolicyDetails",
    }
);

lenient_request!(
    /// `Scope`: which resources can trigger an evaluation.
    Scope {
        /// Only these resource types.
        compliance_resource_types: Vec<String> = "ComplianceResourceTypes",
        /// Only resources with this tag key.
        tag_key: String = "TagKey",
        /// … and this tag value.
        tag_value: String = "TagValue",
        /// Only this resource (with one resource type).
        compliance_resource_id: String = "ComplianceResourceId",
    }
);

lenient_request!(
    /// `EvaluationModeConfiguration`.
    EvaluationModeConfiguration {
        /// `DETECTIVE` or `PROACTIVE`.
        mode: String = "Mode",
    }
);

lenient_request!(
    /// `ConfigRule`.
    ConfigRule {
        /// The name.
        config_rule_name: String = "ConfigRuleName",
        /// `arn:aws:config:REGION:ACCOUNT:config-rule/config-rule-ID`.
        config_rule_arn: String = "ConfigRuleArn",
        /// `config-rule-…`.
        config_rule_id: String = "ConfigRuleId",
        /// A description.
        description: String = "Description",
        /// Which resources trigger it.
        scope: Scope = "Scope",
        /// Who owns it and which rule it is.
        source: Source = "Source",
        /// The rule's parameters, a JSON object in a string.
        input_parameters: String = "InputParameters",
        /// A periodic rule's frequency.
        maximum_execution_frequency: String = "MaximumExecutionFrequency",
        /// `ACTIVE`, `DELETING`, `DELETING_RESULTS` or `EVALUATING`.
        config_rule_state: String = "ConfigRuleState",
        /// A service-linked rule's service.
        created_by: String = "CreatedBy",
        /// `DETECTIVE` (default) and/or `PROACTIVE`.
        evaluation_modes: Vec<EvaluationModeConfiguration> = "EvaluationModes",
    }
);

lenient_request!(
    /// `PutConfigRule`.
    PutConfigRuleRequest {
        /// The rule.
        config_rule: ConfigRule = "ConfigRule",
        /// Tags (kept on creation only).
        tags: Vec<Tag> = "Tags",
    }
);

lenient_request!(
    /// `DescribeConfigRules`.
    DescribeConfigRulesRequest {
        /// Only these rules.
        config_rule_names: Vec<String> = "ConfigRuleNames",
        /// Filters (evaluation mode; every lab rule is `DETECTIVE`).
        filters: Value = "Filters",
        /// The previous page's token.
        next_token: String = "NextToken",
    }
);

/// `DescribeConfigRules`' answer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DescribeConfigRulesResponse {
    /// The rules.
    #[serde(rename = "ConfigRules")]
    pub config_rules: Vec<ConfigRule>,
    /// Where the next page starts.
    #[serde(rename = "NextToken", default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

lenient_request!(
    /// `DeleteConfigRule`.
    DeleteConfigRuleRequest {
        /// The rule.
        config_rule_name: String = "ConfigRuleName",
    }
);

lenient_request!(
    /// `StartConfigRulesEvaluation`.
    StartConfigRulesEvaluationRequest {
        /// Up to 25 rules.
        config_rule_names: Vec<String> = "ConfigRuleNames",
    }
);

lenient_request!(
    /// `GetComplianceDetailsByConfigRule`.
    GetComplianceDetailsByConfigRuleRequest {
        /// The rule.
        config_rule_name: String = "ConfigRuleName",
        /// Only these results (`COMPLIANT`, `NON_COMPLIANT`, `NOT_APPLICABLE`).
        compliance_types: Vec<String> = "ComplianceTypes",
        /// Results per page (default 10, at most 100).
        limit: i64 = "Limit",
        /// The previous page's token.
        next_token: String = "NextToken",
    }
);

/// `EvaluationResultQualifier`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvaluationResultQualifier {
    /// The rule.
    #[serde(rename = "ConfigRuleName")]
    pub config_rule_name: String,
    /// The resource type (`AWS::EC2::Volume`).
    #[serde(rename = "ResourceType")]
    pub resource_type: String,
    /// The resource id as Config names it.
    #[serde(rename = "ResourceId")]
    pub resource_id: String,
    /// `DETECTIVE`.
    #[serde(rename = "EvaluationMode")]
    pub evaluation_mode: String,
}

/// `EvaluationResultIdentifier`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EvaluationResultIdentifier {
    /// Rule, resource type and id.
    #[serde(rename = "EvaluationResultQualifier")]
    pub evaluation_result_qualifier: EvaluationResultQualifier,
    /// The time of the event that triggered the evaluation.
    #[serde(rename = "OrderingTimestamp")]
    pub ordering_timestamp: f64,
}

/// `EvaluationResult`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EvaluationResult {
    /// Which rule evaluated which resource.
    #[serde(rename = "EvaluationResultIdentifier")]
    pub evaluation_result_identifier: EvaluationResultIdentifier,
    /// `COMPLIANT`, `NON_COMPLIANT` or `NOT_APPLICABLE`.
    #[serde(rename = "ComplianceType")]
    pub compliance_type: String,
    /// When Config recorded the result.
    #[serde(rename = "ResultRecordedTime")]
    pub result_recorded_time: f64,
    /// When the rule evaluated the resource.
    #[serde(rename = "ConfigRuleInvokedTime")]
    pub config_rule_invoked_time: f64,
    /// Supplementary information.
    #[serde(rename = "Annotation", default, skip_serializing_if = "Option::is_none")]
    pub annotation: Option<String>,
}

/// `GetComplianceDetailsByConfigRule`'s answer.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GetComplianceDetailsByConfigRuleResponse {
    /// The results.
    #[serde(rename = "EvaluationResults")]
    pub evaluation_results: Vec<EvaluationResult>,
    /// Where the next page starts.
    #[serde(rename = "NextToken", default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

lenient_request!(
    /// `DescribeComplianceByConfigRule`.
    DescribeComplianceByConfigRuleRequest {
        /// Only these rules.
        config_rule_names: Vec<String> = "ConfigRuleNames",
        /// Only rules with this compliance (`COMPLIANT`, `NON_COMPLIANT`, `INSUFFICIENT_DATA`).
        compliance_types: Vec<String> = "ComplianceTypes",
        /// The previous page's token.
        next_token: String = "NextToken",
    }
);

/// `ComplianceContributorCount`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplianceContributorCount {
    /// The number of noncompliant resources (capped at 100).
    #[serde(rename = "CappedCount")]
    pub capped_count: i64,
    /// Whether the cap was reached.
    #[serde(rename = "CapExceeded")]
    pub cap_exceeded: bool,
}

/// `Compliance`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Compliance {
    /// `COMPLIANT`, `NON_COMPLIANT` or `INSUFFICIENT_DATA`.
    #[serde(rename = "ComplianceType")]
    pub compliance_type: String,
    /// How many resources are noncompliant.
    #[serde(
        rename = "ComplianceContributorCount",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub compliance_contributor_count: Option<ComplianceContributorCount>,
}

/// `ComplianceByConfigRule`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplianceByConfigRule {
    /// The rule.
    #[serde(rename = "ConfigRuleName")]
    pub config_rule_name: String,
    /// Its compliance.
    #[serde(rename = "Compliance")]
    pub compliance: Compliance,
}

/// `DescribeComplianceByConfigRule`'s answer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DescribeComplianceByConfigRuleResponse {
    /// One entry per rule.
    #[serde(rename = "ComplianceByConfigRules")]
    pub compliance_by_config_rules: Vec<ComplianceByConfigRule>,
    /// Where the next page starts.
    #[serde(rename = "NextToken", default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

operations!(ConfigRequest / ConfigResponse, config -> ConfigClient for crate::config::Config {
    put_delivery_channel: PutDeliveryChannel(PutDeliveryChannelRequest) -> EmptyResponse,
    describe_delivery_channels: DescribeDeliveryChannels(DescribeDeliveryChannelsRequest) -> DescribeDeliveryChannelsResponse,
    put_configuration_recorder: PutConfigurationRecorder(PutConfigurationRecorderRequest) -> EmptyResponse,
    describe_configuration_recorders: DescribeConfigurationRecorders(DescribeConfigurationRecordersRequest) -> DescribeConfigurationRecordersResponse,
    describe_configuration_recorder_status: DescribeConfigurationRecorderStatus(DescribeConfigurationRecordersRequest) -> DescribeConfigurationRecorderStatusResponse,
    start_configuration_recorder: StartConfigurationRecorder(RecorderNameRequest) -> EmptyResponse,
    stop_configuration_recorder: StopConfigurationRecorder(RecorderNameRequest) -> EmptyResponse,
    put_config_rule: PutConfigRule(PutConfigRuleRequest) -> EmptyResponse,
    describe_config_rules: DescribeConfigRules(DescribeConfigRulesRequest) -> DescribeConfigRulesResponse,
    delete_config_rule: DeleteConfigRule(DeleteConfigRuleRequest) -> EmptyResponse,
    start_config_rules_evaluation: StartConfigRulesEvaluation(StartConfigRulesEvaluationRequest) -> EmptyResponse,
    get_compliance_details_by_config_rule: GetComplianceDetailsByConfigRule(GetComplianceDetailsByConfigRuleRequest) -> GetComplianceDetailsByConfigRuleResponse,
    describe_compliance_by_config_rule: DescribeComplianceByConfigRule(DescribeComplianceByConfigRuleRequest) -> DescribeComplianceByConfigRuleResponse,
});
