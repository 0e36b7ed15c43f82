//! The Amazon EventBridge console's Rules (`#/events`) on the default event bus: the rules
//! (name, state, description), and Create rule as the console's steps on one page: rule detail
//! (name, description, "Rule with an event pattern"), the event pattern (the console's samples
//! for AWS Key Management Service, or your own JSON in the editor), and a target (an SQS queue
//! or SNS topic). A rule's page (`rule`) shows its pattern and targets, Add and Remove target,
//! and Delete rule.
//!
//! Choosing an SQS queue or SNS topic as a target, the console also adds a statement to its
//! resource policy letting the rule send (`events.amazonaws.com`, `aws:SourceArn` = the rule's
//! ARN); the lab does the same with a real, audited SetQueueAttributes or SetTopicAttributes.

mod patterns;
mod read;
pub mod rule;

use serde_json::json;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::form::{select, text, use_form};
use crate::components::policy_editor::PolicyEditor;
use crate::components::resources::{page_header, str_cell, table};
use crate::hooks::use_lab;
use crate::state::ConsoleCall;
use patterns::{SAMPLES, sample, wants_api_calls};
use read::{Destination, add_target_calls, read_rules};

/// `arn:aws:events:REGION:ACCOUNT:rule/NAME`.
fn rule_arn(region: &str, account: &str, name: &str) -> String {
    format!("arn:aws:events:{region}:{account}:rule/{name}")
}

/// The target chooser's choices: every queue and topic of the Region, by ARN.
fn destination_choices(list: &[Destination]) -> Vec<(String, String)> {
    std::iter::once((String::new(), "No target yet".to_owned()))
        .chain(
            list.iter()
                .map(|d| (d.arn.clone(), format!("{}: {}", d.kind.name(), d.arn))),
        )
        .collect()
}

/// The lab's note when API-call events cannot arrive: no trail logs this Region.
fn trail_note(pattern: &str, logging: bool) -> Html {
    if logging || !wants_api_calls(pattern) {
        return html! {};
    }
    html! {
        <div class="alert alert-info" role="note" data-testid="trail-note">
            <strong>{ "Lab note: no trail is logging in this Region." }</strong>
            { " EventBridge receives \"AWS API Call via CloudTrail\" events from CloudTrail, and only while a trail logs the Region: this rule will match nothing until one does. Start logging on a trail in " }
            <Link<Route> to={Route::CloudTrailTrails}>{ "CloudTrail → Trails" }</Link<Route>>
            { ". KMS's own events (KMS CMK Deletion, Rotation, Imported Key Material Expiration) need no trail." }
        </div>
    }
}

/// What the console says about a target's permissions (and, for SSE-KMS, its key).
fn permission_help() -> Html {
    html! {
        <p class="help">{ "Choosing an SQS queue or SNS topic, the console adds a statement to its resource policy that lets this rule send to it (Principal events.amazonaws.com, Condition aws:SourceArn = the rule's ARN). The lab does the same with a real SetQueueAttributes or SetTopicAttributes call, in CloudTrail like any other. A queue or topic encrypted with a customer managed key also needs its key policy to allow events.amazonaws.com kms:GenerateDataKey* and kms:Decrypt; aws/sqs and aws/sns never allow it." }</p>
    }
}

#[component]
pub fn Rules() -> Html {
    let lab = use_lab();
    let region = lab.identity().region;
    let data = {
        let state = (*lab).clone();
        use_memo((lab.revision, region.clone()), move |(_, region)| {
            read_rules(&state, region)
        })
    };
    let form = use_form(&[("sample", "KMS CMK Deletion"), ("target_id", "Target0")]);
    let pattern = use_state(|| sample("KMS CMK Deletion").to_owned());
    let editor_value = sample(form.get("sample"));
    // The pattern editor starts from the chosen sample (choosing another replaces the text).
    {
        let pattern = pattern.clone();
        use_effect_with(editor_value, move |v| pattern.set((*v).to_owned()));
    }
    let error = use_state(|| None::<String>);
    {
        let error = error.clone();
        use_effect_with(lab.last_call.clone(), move |last| {
            if let Some(outcome) = last
                && outcome.operation == "PutRule"
            {
                error.set(
                    outcome
                        .result
                        .as_ref()
                        .err()
                        .map(|e| format!("{}: {}", e.code, e.message)),
                );
            }
        });
    }
    let rows = data.rules.clone().map(|rules| {
        rules
            .into_iter()
            .map(|r| {
                let state = if r.state == "ENABLED" {
                    html! { <span class="badge badge-ok">{ "Enabled" }</span> }
                } else {
                    html! { <span class="badge badge-warn">{ "Disabled" }</span> }
                };
                vec![
                    html! { <Link<Route> to={Route::EventsRule { name: r.name.clone() }} classes="mono">{ r.name.clone() }</Link<Route>> },
                    state,
                    str_cell(r.description.as_deref()),
                    html! { <span class="mono small break">{ r.arn.clone() }</span> },
                ]
            })
            .collect()
    });
    let on_change = {
        let (pattern, error) = (pattern.clone(), error.clone());
        Callback::from(move |t: String| {
            pattern.set(t);
            error.set(None);
        })
    };
    let create = {
        let (lab, form, region, data) = (lab.clone(), form.clone(), region.clone(), data.clone());
        Callback::from(move |event_pattern: String| {
            let name = form.get("name").to_owned();
            let mut put =
                json!({ "Name": name, "EventPattern": event_pattern, "State": "ENABLED" });
            if let Some(d) = form.opt("description") {
                put["Description"] = json!(d);
            }
            let mut calls = vec![ConsoleCall {
                service: "events",
                operation: "PutRule",
                input: put,
            }];
            let dest = form
                .opt("target")
                .and_then(|arn| data.destinations.iter().find(|d| d.arn == arn));
            if let Some(dest) = dest {
                let arn = rule_arn(&region, &data.account, &name);
                let id = form.opt("target_id").unwrap_or_else(|| "Target0".into());
                calls.extend(add_target_calls(&name, &arn, &id, dest));
            }
            let summary = match dest {
                Some(d) => format!(
                    "Created rule {name} with target {} (and the permission in its policy)",
                    d.arn
                ),
                None => format!("Created rule {name}"),
            };
            lab.calls(region.clone(), calls, summary);
        })
    };
    let samples: Vec<(String, String)> = SAMPLES
        .iter()
        .map(|(n, _)| ((*n).to_owned(), (*n).to_owned()))
        .collect();
    let targets = destination_choices(&data.destinations);
    html! {
        <section class="page page-wide" aria-labelledby="page-title">
            { page_header("EventBridge rules", &lab) }
            <p class="help">{ "Event bus: default. Rules match the events on the bus and send them to their targets." }</p>
            { table("Rules", "rules-table", &["Name", "Status", "Description", "ARN"], rows) }
            <div class="panel" data-testid="create-rule">
                <div class="panel-header"><h2>{ "Create rule" }</h2></div>
                <h3 class="sub-heading">{ "Step 1: Define rule detail" }</h3>
                <div class="form-grid">
                    { text(&form, "name", "Name", "kms-key-deletion") }
                    { text(&form, "description", "Description - optional", "Warn when a KMS key is scheduled for deletion") }
                </div>
                <p class="help">{ "Event bus: default. Rule type: Rule with an event pattern." }</p>
                <h3 class="sub-heading">{ "Step 2: Build event pattern" }</h3>
                <p class="help">{ "Event source: AWS events or EventBridge partner events. Creation method: Use pattern form. AWS service: Key Management Service." }</p>
                <div class="form-grid">
                    { select(&form, "sample", "Event type", &samples) }
                </div>
                { trail_note(&pattern, data.trail_logging) }
                <h3 class="sub-heading">{ "Step 3: Select target" }</h3>
                <div class="form-grid">
                    { select(&form, "target", "Target (SQS queue or SNS topic)", &targets) }
                    { text(&form, "target_id", "Target ID", "Target0") }
                </div>
                { permission_help() }
                <h3 class="sub-heading">{ "Event pattern (edit it here: the JSON is what PutRule sends)" }</h3>
                <PolicyEditor value={AttrValue::from(editor_value)} label="Event pattern" on_save={create} on_change={Some(on_change)}
                    error={(*error).clone().map(AttrValue::from)} syntax_code="InvalidEventPatternException"
                    save_label="Create rule" testid="event-pattern-editor" save_testid="create-rule-submit" />
            </div>
        </section>
    }
}
