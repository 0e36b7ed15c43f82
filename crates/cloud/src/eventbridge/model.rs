//! Amazon EventBridge's typed requests and responses (AWS JSON 1.1, PascalCase members, in the
//! order of the official model `events-2015-10-07`). Request members are read leniently
//! ([`crate::lenient`]).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A rule's target.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Target {
    /// The target's id within the rule.
    #[serde(default)]
    pub id: String,
    /// The target's ARN (an SQS queue or an SNS topic in the lab).
    #[serde(default)]
    pub arn: String,
    /// The role EventBridge assumes (not needed for SQS and SNS targets).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
    /// Constant JSON sent instead of the event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
}

/// One `PutEvents` entry.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PutEventsRequestEntry {
    /// The event's source (`aws.*` is reserved for AWS services).
    #[serde(default)]
    pub source: Option<String>,
    /// Resources the event is about.
    #[serde(default)]
    pub resources: Option<Vec<String>>,
    /// The event's `detail-type`.
    #[serde(default)]
    pub detail_type: Option<String>,
    /// The event's `detail` (a JSON object as text).
    #[serde(default)]
    pub detail: Option<String>,
    /// The bus (only `default` in the lab).
    #[serde(default)]
    pub event_bus_name: Option<String>,
}

lenient_request!(
    /// `PutRule`.
    PutRuleRequest {
        /// 1–64 characters of `[.\-_A-Za-z0-9]`.
        name: String = "Name",
        /// `rate(…)` or `cron(…)` (accepted, never fires in the lab).
        schedule_expression: String = "ScheduleExpression",
        /// The event pattern (JSON text).
        event_pattern: String = "EventPattern",
        /// `ENABLED` (default) or `DISABLED`.
        state: String = "State",
        /// A description.
        description: String = "Description",
        /// A role (for targets in other accounts; not modelled).
        role_arn: String = "RoleArn",
        /// The bus (only `default` in the lab).
        event_bus_name: String = "EventBusName",
    }
);

lenient_request!(
    /// `DescribeRule` and `DeleteRule`.
    RuleNameRequest {
        /// The rule's name.
        name: String = "Name",
        /// The bus.
        event_bus_name: String = "EventBusName",
        /// For a managed rule (not modelled).
        force: bool = "Force",
    }
);

lenient_request!(
    /// `ListRules`.
    ListRulesRequest {
        /// Only rules whose names start with it.
        name_prefix: String = "NamePrefix",
        /// The bus.
        event_bus_name: String = "EventBusName",
        /// The token of the previous page.
        next_token: String = "NextToken",
        /// 1–100 per page.
        limit: i64 = "Limit",
    }
);

lenient_request!(
    /// `PutTargets`.
    PutTargetsRequest {
        /// The rule.
        rule: String = "Rule",
        /// The bus.
        event_bus_name: String = "EventBusName",
        /// 1–10 targets to add or update.
        targets: Vec<Target> = "Targets",
    }
);

lenient_request!(
    /// `RemoveTargets`.
    RemoveTargetsRequest {
        /// The rule.
        rule: String = "Rule",
        /// The bus.
        event_bus_name: String = "EventBusName",
        /// The targets' ids.
        ids: Vec<String> = "Ids",
        /// For a managed rule (not modelled).
        force: bool = "Force",
    }
);

lenient_request!(
    /// `ListTargetsByRule`.
    ListTargetsByRuleRequest {
        /// The rule.
        rule: String = "Rule",
        /// The bus.
        event_bus_name: String = "EventBusName",
        /// The token of the previous page.
        next_token: String = "NextToken",
        /// 1–100 per page.
        limit: i64 = "Limit",
    }
);

lenient_request!(
    /// `PutEvents`.
    PutEventsRequest {
        /// 1–10 entries.
        entries: Vec<PutEventsRequestEntry> = "Entries",
    }
);

/// An answer without members.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmptyResponse {}

/// `PutRule`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PutRuleResponse {
    /// The rule's ARN.
    pub rule_arn: String,
}

/// A rule as `DescribeRule` and `ListRules` show it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Rule {
    /// The name.
    pub name: String,
    /// The ARN.
    pub arn: String,
    /// The event pattern.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_pattern: Option<String>,
    /// The schedule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule_expression: Option<String>,
    /// `ENABLED` or `DISABLED`.
    pub state: String,
    /// The description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The bus.
    pub event_bus_name: String,
    /// The account that created it (`DescribeRule` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
}

/// `ListRules`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListRulesResponse {
    /// The rules.
    pub rules: Vec<Rule>,
}

/// One entry `PutTargets` or `RemoveTargets` could not apply.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct FailedEntry {
    /// The target's id.
    pub target_id: String,
    /// The error code.
    pub error_code: String,
    /// The error message.
    pub error_message: String,
}

/// `PutTargets` and `RemoveTargets`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TargetsResultResponse {
    /// How many entries failed.
    pub failed_entry_count: i64,
    /// The failed entries.
    pub failed_entries: Vec<FailedEntry>,
}

/// `ListTargetsByRule`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListTargetsByRuleResponse {
    /// The rule's targets.
    pub targets: Vec<Target>,
}

/// One `PutEvents` result: an event id, or an error.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PutEventsResultEntry {
    /// The event's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_id: Option<String>,
    /// The error code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    /// The error message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_message: Option<String>,
}

/// `PutEvents`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PutEventsResponse {
    /// How many entries failed.
    pub failed_entry_count: i64,
    /// One result per entry, in order.
    pub entries: Vec<PutEventsResultEntry>,
}

/// Tags are not modelled beyond being accepted.
pub type Tags = BTreeMap<String, String>;

operations!(EventsRequest / EventsResponse, events -> EventsClient for crate::eventbridge::Events {
    put_rule: PutRule(PutRuleRequest) -> PutRuleResponse,
    describe_rule: DescribeRule(RuleNameRequest) -> Rule,
    list_rules: ListRules(ListRulesRequest) -> ListRulesResponse,
    delete_rule: DeleteRule(RuleNameRequest) -> EmptyResponse,
    put_targets: PutTargets(PutTargetsRequest) -> TargetsResultResponse,
    remove_targets: RemoveTargets(RemoveTargetsRequest) -> TargetsResultResponse,
    list_targets_by_rule: ListTargetsByRule(ListTargetsByRuleRequest) -> ListTargetsByRuleResponse,
    put_events: PutEvents(PutEventsRequest) -> PutEventsResponse,
});
