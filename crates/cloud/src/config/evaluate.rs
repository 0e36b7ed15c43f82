//! Running the rules: when a rule is added, when the recorder starts, after a change to a
//! recorded resource (the world's call seam calls [`after_change`]), when a periodic rule falls
//! due on the world's clock, and on demand. Results are kept per resource; an automatic run
//! after a change keeps the times of results whose compliance did not change (only the changed
//! resource was re-evaluated, as far as anyone can tell).

use std::collections::BTreeMap;

use super::managed::{self, Finding, ManagedRule, Target, Trigger};
use super::model::Scope;
use super::{StoredResult, setup, slot};
use crate::World;
use crate::context::CallContext;

/// Why rules run.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Run<'a> {
    /// The recorder started: every rule triggered by configuration changes.
    Recorded,
    /// A change to resources of these types.
    Changed(&'a [&'a str]),
}

/// Milliseconds of a `MaximumExecutionFrequency` (24 hours when absent or unknown).
pub(super) fn frequency_ms(frequency: Option<&str>) -> i64 {
    const HOUR: i64 = 3_600_000;
    match frequency {
        Some("One_Hour") => HOUR,
        Some("Three_Hours") => 3 * HOUR,
        Some("Six_Hours") => 6 * HOUR,
        Some("Twelve_Hours") => 12 * HOUR,
        _ => 24 * HOUR,
    }
}

/// The managed rule behind a stored rule.
fn managed_of(rule: &super::StoredRule) -> Option<&'static ManagedRule> {
    rule.spec
        .source
        .as_ref()
        .and_then(|s| s.source_identifier.as_deref())
        .and_then(managed::rule)
}

/// Whether the rule's scope lets `f` trigger it.
fn in_scope(scope: Option<&Scope>, f: &Finding) -> bool {
    let Some(s) = scope else {
        return true;
    };
    if let Some(types) = s.compliance_resource_types.as_ref().filter(|t| !t.is_empty())
        && !types.iter().any(|t| t == f.resource_type)
    {
        return false;
    }
    if let Some(id) = s.compliance_resource_id.as_deref()
        && id != f.resource_id
    {
        return false;
    }
    if let Some(key) = s.tag_key.as_deref() {
        let value = f.tags.iter().find(|(k, _)| k == key).map(|(_, v)| v);
        return match (value, s.tag_value.as_deref()) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some(v), Some(want)) => v == want,
        };
    }
    true
}

/// Evaluates rule `name` of `account`/`region` now. `refresh` stamps every result with the
/// evaluation's time (periodic and on-demand runs); otherwise results whose compliance did
/// not change keep their times. A rule triggered by configuration changes evaluates only while
/// the recorder records, and only the resource types it records.
pub(super) fn evaluate_rule(world: &mut World, account: &str, region: &str, name: &str, refresh: bool) {
    let key = slot(account, region);
    let Some(state) = world.services.config.regions.get(&key) else {
        return;
    };
    let Some(rule) = state.rules.get(name) else {
        return;
    };
    let Some(m) = managed_of(rule) else {
        return;
    };
    let group = state
        .recorder
        .as_ref()
        .filter(|r| r.recording)
        .map(|r| r.spec.recording_group.clone());
    if m.trigger == Trigger::ConfigurationChanges && group.is_none() {
        return;
    }
    let group = group.flatten();
    let findings: Vec<Finding> = (m.evaluate)(world, Target { account, region }, &rule.params)
        .into_iter()
        .filter(|f| in_scope(rule.spec.scope.as_ref(), f))
        .filter(|f| {
            m.trigger == Trigger::Periodic || setup::records(group.as_ref(), f.resource_type)
        })
        .collect();
    let now = world.now_ms();
    let Some(rule) = world
        .services
        .config
        .regions
        .get_mut(&key)
        .and_then(|s| s.rules.get_mut(name))
    else {
        return;
    };
    let old = rule.results.take().unwrap_or_default();
    let mut results = BTreeMap::new();
    for f in findings {
        let id = format!("{} {}", f.resource_type, f.resource_id);
        let kept = old
            .get(&id)
            .filter(|o| !refresh && o.compliance == f.compliance)
            .cloned();
        let r = kept.unwrap_or(StoredResult {
            resource_type: f.resource_type.to_owned(),
            resource_id: f.resource_id,
            compliance: f.compliance,
            invoked_ms: now,
            recorded_ms: now,
        });
        results.insert(id, r);
    }
    rule.results = Some(results);
    if m.trigger == Trigger::Periodic {
        let every = frequency_ms(rule.spec.maximum_execution_frequency.as_deref());
        rule.next_periodic_ms = Some(now.saturating_add(every));
    }
}

/// The names of a Region's rules.
fn rule_names(world: &World, account: &str, region: &str) -> Vec<String> {
    world
        .services
        .config
        .regions
        .get(&slot(account, region))
        .map(|s| s.rules.keys().cloned().collect())
        .unwrap_or_default()
}

/// Runs the rules of a Region triggered by configuration changes that `run` concerns.
pub(super) fn run_region(world: &mut World, account: &str, region: &str, run: Run<'_>) {
    for name in rule_names(world, account, region) {
        let Some(m) = world
            .services
            .config
            .regions
            .get(&slot(account, region))
            .and_then(|s| s.rules.get(&name))
            .and_then(managed_of)
        else {
            continue;
        };
        let concerned = m.trigger == Trigger::ConfigurationChanges
            && match run {
                Run::Recorded => true,
                Run::Changed(types) => m.resource_types.iter().any(|t| types.contains(t)),
            };
        if concerned {
            evaluate_rule(world, account, region, &name, false);
        }
    }
}

/// Runs the periodic rules of a Region that fell due on the world's clock.
pub(super) fn catch_up(world: &mut World, account: &str, region: &str) {
    let now = world.now_ms();
    let due: Vec<String> = world
        .services
        .config
        .regions
        .get(&slot(account, region))
        .map(|s| {
            s.rules
                .iter()
                .filter(|(_, r)| r.next_periodic_ms.is_some_and(|t| t <= now))
                .map(|(n, _)| n.clone())
                .collect()
        })
        .unwrap_or_default();
    for name in due {
        evaluate_rule(world, account, region, &name, true);
    }
}

/// What the world's call seam tells Config after a successful call of `service` that may have
/// changed resources: the caller's account re-evaluates, in every Region where it has rules,
/// the rules triggered by changes to the resource types that service owns, and runs the
/// periodic rules that fell due.
pub(crate) fn after_change(world: &mut World, ctx: &CallContext, service: &str) {
    // A request a service makes on a caller's behalf (or as itself) is part of the caller's
    // call, which tells Config once it is over.
    if ctx.via_service.is_some() || ctx.principal_arn.ends_with(".amazonaws.com") {
        return;
    }
    if world.services.config.regions.is_empty() || service == <super::Config as crate::service::Service>::NAME {
        return;
    }
    if let Some(ext) = crate::service::present_or_want() {
        (ext.hooks.config_after_change)(world, ctx, service);
    }
}

/// [`after_change`] once it knows there is something to do (the engine's extension: see
/// `service::Hooks`).
pub(crate) fn after_change_run(world: &mut World, ctx: &CallContext, service: &str) {
    let prefix = format!("{}/", ctx.account);
    let regions: Vec<String> = world
        .services
        .config
        .regions
        .iter()
        .filter(|(k, s)| k.starts_with(&prefix) && !s.rules.is_empty())
        .filter_map(|(k, _)| k.strip_prefix(&prefix).map(str::to_owned))
        .collect();
    let types = managed::types_changed_by(service);
    for region in regions {
        catch_up(world, &ctx.account, &region);
        if !types.is_empty() {
            run_region(world, &ctx.account, &region, Run::Changed(types));
        }
    }
}
