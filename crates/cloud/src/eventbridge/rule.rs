//! Rules, targets and `PutEvents` on the default bus.

use serde_json::Value;

use super::error::{no_rule, required};
use super::model::{
    EmptyResponse, FailedEntry, ListRulesRequest, ListRulesResponse, ListTargetsByRuleRequest,
    ListTargetsByRuleResponse, PutEventsRequest, PutEventsResponse, PutEventsResultEntry,
    PutRuleRequest, PutRuleResponse, PutTargetsRequest, RemoveTargetsRequest, Rule,
    RuleNameRequest, TargetsResultResponse,
};
use super::{DEFAULT_BUS, EventsError, StoredRule, envelope, pattern, put_event, rule_arn};
use crate::World;
use crate::cloudtrail::CallAudit;
use crate::context::CallContext;
use crate::sqs::access::{ResourceRequest, authorize};

type Result<T> = std::result::Result<T, EventsError>;

/// How many targets a rule may have.
const MAX_TARGETS: usize = 5;

fn check(world: &World, ctx: &CallContext, action: &str, resource: &str, audit: &mut CallAudit) -> Result<()> {
    let req = ResourceRequest {
        action: format!("events:{action}"),
        resource,
        owner: &ctx.account,
        policy: None,
        extra: Vec::new(),
    };
    authorize(world, ctx, &req, audit).map_err(EventsError::AccessDenied)
}

/// Only the default bus (by name or ARN) exists in the lab.
fn bus(ctx: &CallContext, name: &Option<String>) -> Result<()> {
    match name.as_deref() {
        None | Some(DEFAULT_BUS) => Ok(()),
        Some(n) if n == format!("arn:aws:events:{}:{}:event-bus/default", ctx.region, ctx.account) => Ok(()),
        Some(n) => Err(EventsError::ResourceNotFound(format!(
            "Event bus {n} does not exist."
        ))),
    }
}

/// The rule `name` of the caller's account and Region, authorized for `action`.
fn lookup(
    world: &World,
    ctx: &CallContext,
    name: &Option<String>,
    member: &str,
    bus_name: &Option<String>,
    action: &str,
    audit: &mut CallAudit,
) -> Result<StoredRule> {
    let name = required(name, member)?;
    bus(ctx, bus_name)?;
    let arn = rule_arn(&ctx.account, &ctx.region, name);
    check(world, ctx, action, &arn, audit)?;
    audit.resource(&ctx.account, "AWS::Events::Rule", &arn);
    world
        .services
        .eventbridge
        .rules
        .get(&arn)
        .cloned()
        .ok_or_else(|| no_rule(name, DEFAULT_BUS))
}

fn shown(r: &StoredRule, describe: bool) -> Rule {
    Rule {
        name: r.name.clone(),
        arn: r.arn(),
        event_pattern: r.pattern.clone(),
        schedule_expression: r.schedule.clone(),
        state: if r.enabled { "ENABLED" } else { "DISABLED" }.into(),
        description: r.description.clone(),
        event_bus_name: DEFAULT_BUS.into(),
        created_by: describe.then(|| r.account.clone()),
    }
}

pub(super) fn put_rule(
    world: &mut World,
    ctx: &CallContext,
    r: &PutRuleRequest,
    audit: &mut CallAudit,
) -> Result<PutRuleResponse> {
    let name = required(&r.name, "name")?.clone();
    let valid = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if !valid {
        return Err(EventsError::Validation(format!(
            "1 validation error detected: Value '{name}' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+"
        )));
    }
    bus(ctx, &r.event_bus_name)?;
    let arn = rule_arn(&ctx.account, &ctx.region, &name);
    check(world, ctx, "PutRule", &arn, audit)?;
    if r.event_pattern.is_none() && r.schedule_expression.is_none() {
        return Err(EventsError::Validation(
            "Parameter(s) EventPattern or ScheduleExpression must be specified.".into(),
        ));
    }
    if let Some(p) = &r.event_pattern {
        pattern::validate(p).map_err(|reason| {
            EventsError::InvalidEventPattern(format!("Event pattern is not valid. Reason: {reason}"))
        })?;
    }
    let enabled = match r.state.as_deref() {
        None | Some("ENABLED" | "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS") => true,
        Some("DISABLED") => false,
        Some(other) => {
            return Err(EventsError::Validation(format!(
                "1 validation error detected: Value '{other}' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS]"
            )));
        }
    };
    let now = world.now_ms();
    let rules = &mut world.services.eventbridge.rules;
    let targets = rules.get(&arn).map(|old| old.targets.clone()).unwrap_or_default();
    let created_ms = rules.get(&arn).map_or(now, |old| old.created_ms);
    rules.insert(
        arn.clone(),
        StoredRule {
            name,
            account: ctx.account.clone(),
            region: ctx.region.clone(),
            pattern: r.event_pattern.clone(),
            schedule: r.schedule_expression.clone(),
            enabled,
            description: r.description.clone(),
            targets,
            created_ms,
        },
    );
    Ok(PutRuleResponse { rule_arn: arn })
}

pub(super) fn describe(
    world: &World,
    ctx: &CallContext,
    r: &RuleNameRequest,
    audit: &mut CallAudit,
) -> Result<Rule> {
    audit.read_only = true;
    let rule = lookup(world, ctx, &r.name, "name", &r.event_bus_name, "DescribeRule", audit)?;
    Ok(shown(&rule, true))
}

pub(super) fn list(
    world: &World,
    ctx: &CallContext,
    r: &ListRulesRequest,
    audit: &mut CallAudit,
) -> Result<ListRulesResponse> {
    audit.read_only = true;
    bus(ctx, &r.event_bus_name)?;
    let resource = format!("arn:aws:events:{}:{}:rule/*", ctx.region, ctx.account);
    check(world, ctx, "ListRules", &resource, audit)?;
    let prefix = r.name_prefix.clone().unwrap_or_default();
    Ok(ListRulesResponse {
        rules: world
            .services
            .eventbridge
            .rules
            .values()
            .filter(|x| x.account == ctx.account && x.region == ctx.region)
            .filter(|x| x.name.starts_with(&prefix))
            .map(|x| shown(x, false))
            .collect(),
    })
}

pub(super) fn delete(
    world: &mut World,
    ctx: &CallContext,
    r: &RuleNameRequest,
    audit: &mut CallAudit,
) -> Result<EmptyResponse> {
    // Deleting a rule that does not exist succeeds, as AWS documents.
    let rule = match lookup(world, ctx, &r.name, "name", &r.event_bus_name, "DeleteRule", audit) {
        Ok(rule) => rule,
        Err(EventsError::ResourceNotFound(_)) => return Ok(EmptyResponse {}),
        Err(e) => return Err(e),
    };
    if !rule.targets.is_empty() {
        return Err(EventsError::Validation(
            "Rule can't be deleted since it has targets.".into(),
        ));
    }
    world.services.eventbridge.rules.remove(&rule.arn());
    Ok(EmptyResponse {})
}

pub(super) fn put_targets(
    world: &mut World,
    ctx: &CallContext,
    r: &PutTargetsRequest,
    audit: &mut CallAudit,
) -> Result<TargetsResultResponse> {
    let rule = lookup(world, ctx, &r.rule, "rule", &r.event_bus_name, "PutTargets", audit)?;
    let targets = required(&r.targets, "targets")?;
    if targets.is_empty() || targets.len() > 10 {
        return Err(EventsError::Validation(
            "1 validation error detected: Value at 'targets' failed to satisfy constraint: Member must have length between 1 and 10".into(),
        ));
    }
    let mut failed = Vec::new();
    let mut list = rule.targets.clone();
    for t in targets {
        if t.id.is_empty() || t.arn.is_empty() {
            failed.push(FailedEntry {
                target_id: t.id.clone(),
                error_code: "ValidationException".into(),
                error_message: "Target Id and Arn are required.".into(),
            });
            continue;
        }
        let full = list.len() >= MAX_TARGETS;
        match list.iter_mut().find(|x| x.id == t.id) {
            Some(existing) => *existing = t.clone(),
            None if full => {
                return Err(EventsError::LimitExceeded(format!(
                    "The requested resource exceeds the maximum number allowed. Rule {} can have at most {MAX_TARGETS} targets.",
                    rule.name
                )));
            }
            None => list.push(t.clone()),
        }
    }
    if let Some(stored) = world.services.eventbridge.rules.get_mut(&rule.arn()) {
        stored.targets = list;
    }
    Ok(TargetsResultResponse {
        failed_entry_count: i64::try_from(failed.len()).unwrap_or(0),
        failed_entries: failed,
    })
}

pub(super) fn remove_targets(
    world: &mut World,
    ctx: &CallContext,
    r: &RemoveTargetsRequest,
    audit: &mut CallAudit,
) -> Result<TargetsResultResponse> {
    let rule = lookup(world, ctx, &r.rule, "rule", &r.event_bus_name, "RemoveTargets", audit)?;
    let ids = required(&r.ids, "ids")?;
    if let Some(stored) = world.services.eventbridge.rules.get_mut(&rule.arn()) {
        stored.targets.retain(|t| !ids.contains(&t.id));
    }
    Ok(TargetsResultResponse::default())
}

pub(super) fn list_targets(
    world: &World,
    ctx: &CallContext,
    r: &ListTargetsByRuleRequest,
    audit: &mut CallAudit,
) -> Result<ListTargetsByRuleResponse> {
    audit.read_only = true;
    let rule = lookup(world, ctx, &r.rule, "rule", &r.event_bus_name, "ListTargetsByRule", audit)?;
    Ok(ListTargetsByRuleResponse {
        targets: rule.targets,
    })
}

fn entry_error(code: &str, message: &str) -> PutEventsResultEntry {
    PutEventsResultEntry {
        event_id: None,
        error_code: Some(code.into()),
        error_message: Some(message.into()),
    }
}

pub(super) fn put_events(
    world: &mut World,
    ctx: &CallContext,
    r: &PutEventsRequest,
    audit: &mut CallAudit,
) -> Result<PutEventsResponse> {
    let resource = format!("arn:aws:events:{}:{}:event-bus/default", ctx.region, ctx.account);
    check(world, ctx, "PutEvents", &resource, audit)?;
    let entries = required(&r.entries, "entries")?;
    if entries.is_empty() || entries.len() > 10 {
        return Err(EventsError::Validation(
            "1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and 10".into(),
        ));
    }
    let mut out = Vec::new();
    for e in entries {
        let (Some(source), Some(detail_type), Some(detail)) = (&e.source, &e.detail_type, &e.detail)
        else {
            let missing = if e.source.is_none() {
                "Source"
            } else if e.detail_type.is_none() {
                "DetailType"
            } else {
                "Detail"
            };
            out.push(entry_error(
                "InvalidArgument",
                &format!("Parameter {missing} is not valid. Reason: {missing} is a required argument."),
            ));
            continue;
        };
        if source.starts_with("aws.") {
            out.push(entry_error(
                "NotAuthorizedForSourceException",
                "Not authorized for the source.",
            ));
            continue;
        }
        let detail: Value = match serde_json::from_str(detail) {
            Ok(v @ Value::Object(_)) => v,
            _ => {
                out.push(entry_error("MalformedDetail", "Detail is malformed."));
                continue;
            }
        };
        let event = envelope(
            world,
            (&ctx.account, &ctx.region),
            source,
            detail_type,
            e.resources.clone().unwrap_or_default(),
            detail,
        );
        let id = event
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        put_event(world, &ctx.account, &ctx.region, &event);
        out.push(PutEventsResultEntry {
            event_id: Some(id),
            error_code: None,
            error_message: None,
        });
    }
    let failed = out.iter().filter(|e| e.error_code.is_some()).count();
    Ok(PutEventsResponse {
        failed_entry_count: i64::try_from(failed).unwrap_or(0),
        entries: out,
    })
}
