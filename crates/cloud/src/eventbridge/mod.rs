//! Amazon EventBridge on the default event bus: rules with event patterns, SQS and SNS targets,
//! and the events KMS puts on the bus.
//!
//! - **KMS's own events** (<https://docs.aws.amazon.com/kms/latest/developerguide/kms-events.html>),
//!   source `aws.kms`: `KMS CMK Rotation` (automatic on the world's clock, or on demand),
//!   `KMS Imported Key Material Expiration`, and `KMS CMK Deletion` when a key is really deleted
//!   at the end of its waiting period (not when the deletion is scheduled: that is the
//!   `ScheduleKeyDeletion` API call).
//! - **`AWS API Call via CloudTrail`** events for KMS calls that change something (read-only
//!   calls are not delivered), only while a trail of the account logs the Region: EventBridge
//!   gets them from CloudTrail
//!   (<https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html>).
//! - **Targets**: EventBridge delivers as its service principal `events.amazonaws.com`, so an
//!   SQS queue's policy (or an SNS topic's policy) must allow it, usually with `aws:SourceArn`
//!   = the rule's ARN; an SSE-KMS queue's or topic's key must allow it `kms:GenerateDataKey*`
//!   and `kms:Decrypt` (never the case for `aws/sqs` and `aws/sns`). Every delivery, made or
//!   failed, is kept in [`Events::invocations`] (what CloudWatch's `Invocations` and
//!   `FailedInvocations` metrics count).
//!
//! Not modelled: buses other than `default`, schedules (`ScheduleExpression` is kept but never
//! fires), retries and dead-letter queues, targets other than SQS and SNS, `$or` patterns, and
//! Every request EventBridge makes for a rule (to the queue or topic, and to KMS for their
//! keys) carries the rule as `aws:SourceArn` and its account as `aws:SourceAccount`.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

mod error;
pub mod model;
mod pattern;
mod rule;
mod service;

pub use error::EventsError;
pub use model::{EventsClient, EventsRequest, EventsResponse};

use crate::World;
use crate::cloudtrail::{CallAudit, ServiceEvent};
use crate::context::CallContext;
use model::Target;

/// The only bus the lab models.
pub const DEFAULT_BUS: &str = "default";
/// How many invocations the lab keeps.
pub const MAX_INVOCATIONS: usize = 500;

/// A rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct StoredRule {
    pub name: String,
    pub account: String,
    pub region: String,
    pub pattern: Option<String>,
    pub schedule: Option<String>,
    pub enabled: bool,
    pub description: Option<String>,
    pub targets: Vec<Target>,
    pub created_ms: i64,
}

impl StoredRule {
    /// `arn:aws:events:REGION:ACCOUNT:rule/NAME`.
    pub(crate) fn arn(&self) -> String {
        rule_arn(&self.account, &self.region, &self.name)
    }
}

/// One delivery of an event to a target, made or failed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Invocation {
    /// When (epoch ms).
    pub time_ms: i64,
    /// The rule that matched.
    pub rule_arn: String,
    /// The target's id.
    pub target_id: String,
    /// The target's ARN.
    pub target_arn: String,
    /// The event's id.
    pub event_id: String,
    /// The event's `source`.
    pub source: String,
    /// The event's `detail-type`.
    pub detail_type: String,
    /// `Delivered`, or the error code the target answered.
    pub outcome: String,
    /// The error message, if it failed.
    pub message: Option<String>,
}

/// The EventBridge state of every account and Region.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Events {
    /// Rules by ARN.
    pub(crate) rules: BTreeMap<String, StoredRule>,
    /// Deliveries, oldest first (the last [`MAX_INVOCATIONS`]).
    #[serde(default)]
    pub(crate) invocations: Vec<Invocation>,
    /// True while the bus delivers (deliveries never put new events on the bus). Not state.
    #[serde(skip)]
    busy: bool,
}

impl Events {
    /// The number of rules in every account and Region.
    pub fn rule_count(&self) -> usize {
        self.rules.len()
    }

    /// Every delivery made or failed, oldest first.
    pub fn invocations(&self) -> &[Invocation] {
        &self.invocations
    }
}

/// A rule's ARN on the default bus.
pub(crate) fn rule_arn(account: &str, region: &str, name: &str) -> String {
    format!("arn:aws:events:{region}:{account}:rule/{name}")
}

/// Puts `event` (a full EventBridge event) on the default bus of `account` in `region`:
/// every enabled rule there whose pattern matches delivers it to its targets.
pub(crate) fn put_event(world: &mut World, account: &str, region: &str, event: &Value) {
    if world.services.eventbridge.busy || world.services.eventbridge.rules.is_empty() {
        return;
    }
    let matching: Vec<StoredRule> = world
        .services
        .eventbridge
        .rules
        .values()
        .filter(|r| r.enabled && r.account == account && r.region == region)
        .filter(|r| {
            r.pattern
                .as_deref()
                .and_then(|p| pattern::validate(p).ok())
                .is_some_and(|p| pattern::matches(&p, event))
        })
        .cloned()
        .collect();
    if matching.is_empty() {
        return;
    }
    world.services.eventbridge.busy = true;
    for rule in matching {
        for target in &rule.targets {
            deliver(world, &rule, target, event);
        }
    }
    world.services.eventbridge.busy = false;
}

/// Delivers `event` to one target as `events.amazonaws.com`, and records the invocation.
fn deliver(world: &mut World, rule: &StoredRule, target: &Target, event: &Value) {
    let ctx = CallContext::aws_service("events", &rule.account, &rule.region).for_resource(&rule.arn());
    let mut audit = CallAudit::open(
        "events",
        Cow::Borrowed("Invoke"),
        Arc::new(ctx.clone()),
        world.rng.uuid(),
        world.rng.uuid(),
    );
    let arn = rule.arn();
    let body = target.input.clone().unwrap_or_else(|| event.to_string());
    let outcome: Result<(), (String, String)> = if target.arn.starts_with("arn:aws:sqs:") {
        crate::sqs::deliver(world, &ctx, &target.arn, &body, &arn, &mut audit)
            .map(|_| ())
            .map_err(|e| (e.code().to_owned(), e.to_string()))
    } else if target.arn.starts_with("arn:aws:sns:") {
        let extra = vec![
            ("aws:SourceArn".to_owned(), vec![arn.clone()]),
            ("aws:SourceAccount".to_owned(), vec![rule.account.clone()]),
        ];
        crate::sns::publish_as(world, &ctx, &target.arn, &body, None, extra, &mut audit)
            .map(|_| ())
            .map_err(|e| (e.code().to_owned(), e.to_string()))
    } else {
        Err((
            "UnsupportedTarget".to_owned(),
            "the lab delivers only to SQS queues and SNS topics".to_owned(),
        ))
    };
    let text = |k: &str| event.get(k).and_then(Value::as_str).unwrap_or_default().to_owned();
    let (outcome, message) = match outcome {
        Ok(()) => ("Delivered".to_owned(), None),
        Err((code, message)) => (code, Some(message)),
    };
    let time_ms = world.now_ms();
    let invocations = &mut world.services.eventbridge.invocations;
    invocations.push(Invocation {
        time_ms,
        rule_arn: arn,
        target_id: target.id.clone(),
        target_arn: target.arn.clone(),
        event_id: text("id"),
        source: text("source"),
        detail_type: text("detail-type"),
        outcome,
        message,
    });
    if invocations.len() > MAX_INVOCATIONS {
        invocations.remove(0);
    }
}

/// A new event's envelope.
fn envelope(
    world: &mut World,
    (account, region): (&str, &str),
    source: &str,
    detail_type: &str,
    resources: Vec<String>,
    detail: Value,
) -> Value {
    json!({
        "version": "0",
        "id": world.rng.uuid(),
        "detail-type": detail_type,
        "source": source,
        "account": account,
        "time": crate::env::iso8601(world.now_ms()),
        "region": region,
        "resources": resources,
        "detail": detail,
    })
}

/// KMS's own event for one of its service events (a rotation, an expiry of imported material,
/// a deletion), put on the account's default bus.
pub(crate) fn on_kms_service_event(world: &mut World, ev: &ServiceEvent) {
    if world.services.eventbridge.rules.is_empty() {
        return;
    }
    if let Some(ext) = crate::service::present_or_want() {
        (ext.hooks.events_on_kms_event)(world, ev);
    }
}

/// [`on_kms_service_event`] once it knows there is something to do (the engine's extension:
/// see `service::Hooks`).
pub(crate) fn on_kms_service_event_run(world: &mut World, ev: &ServiceEvent) {
    let key_id = ev
        .key_arn
        .rsplit_once("key/")
        .map_or(ev.key_arn.as_str(), |(_, id)| id)
        .to_owned();
    let (detail_type, detail) = match ev.event_name {
        "RotateKey" => {
            let extra = |k: &str| {
                ev.additional
                    .as_ref()
                    .and_then(|a| a.get(k))
                    .cloned()
                    .unwrap_or(Value::Null)
            };
            (
                "KMS CMK Rotation",
                json!({
                    "key-id": key_id,
                    "key-origin": extra("keyOrigin"),
                    "rotation-type": extra("rotationType"),
                    "previous-key-material-id": extra("previousKeyMaterialId"),
                    "current-key-material-id": extra("currentKeyMaterialId"),
                }),
            )
        }
        "DeleteExpiredKeyMaterial" => (
            "KMS Imported Key Material Expiration",
            json!({ "key-id": key_id }),
        ),
        "DeleteKey" => ("KMS CMK Deletion", json!({ "key-id": key_id })),
        _ => return,
    };
    let event = envelope(
        world,
        (&ev.account, &ev.region),
        "aws.kms",
        detail_type,
        vec![ev.key_arn.clone()],
        detail,
    );
    put_event(world, &ev.account, &ev.region, &event);
}

/// After each recorded call: a KMS call that changes something becomes an
/// `AWS API Call via CloudTrail` event, if a trail of the account logs its Region.
pub(crate) fn after_call(world: &mut World) {
    if world.services.eventbridge.busy || world.services.eventbridge.rules.is_empty() {
        return;
    }
    // Only a KMS API call that wrote something can match a rule.
    let Some(last) = world.trail.events().next_back() else {
        return;
    };
    if last.event_source != "kms.amazonaws.com"
        || last.read_only
        || last.record.get("eventType").and_then(Value::as_str) != Some("AwsApiCall")
    {
        return;
    }
    if let Some(ext) = crate::service::present_or_want() {
        (ext.hooks.events_after_call)(world);
    }
}

/// [`after_call`] once it knows the last event is a KMS API call that wrote something (the
/// engine's extension: see `service::Hooks`).
pub(crate) fn after_call_run(world: &mut World) {
    let Some(last) = world.trail.events().next_back() else {
        return;
    };
    let record = last.record.clone();
    let region = last.region.clone();
    let Some(account) = record
        .get("recipientAccountId")
        .and_then(Value::as_str)
        .map(str::to_owned)
    else {
        return;
    };
    let logging = world.trail.trails.trails.values().any(|t| {
        t.account == account && t.is_logging() && (t.multi_region || t.home_region == region)
    });
    if !logging {
        return;
    }
    let event = envelope(
        world,
        (&account, &region),
        "aws.kms",
        "AWS API Call via CloudTrail",
        Vec::new(),
        record,
    );
    put_event(world, &account, &region, &event);
}
