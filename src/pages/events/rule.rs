//! An EventBridge rule's page (`#/events/rules/NAME`): its details and event pattern, its
//! targets with Remove, Add target (with the permission the console adds to the queue's or
//! topic's policy), and Delete rule after the console's confirmation (type the rule's name).
//! Deleting a rule that still has targets fails as in AWS: remove them first.

use cloud::eventbridge::model as events;
use serde_json::json;
use yew::prelude::*;
use yew_router::prelude::*;

use super::patterns::TargetKind;
use super::read::{Destination, add_target_calls, destinations, rule, trail_logging};
use super::{destination_choices, permission_help, trail_note};
use crate::app::Route;
use crate::components::dialog::Dialog;
use crate::components::form::{select, text, use_form};
use crate::components::resources::{page_header, str_cell};
use crate::hooks::use_lab;
use crate::pages::error_box;
use crate::state::LabState;
use crate::views::{Peek, ViewError};

#[derive(Properties, PartialEq, Debug)]
pub struct RuleProps {
    pub name: String,
}

#[derive(Debug)]
struct RuleData {
    rule: Result<(events::Rule, Vec<events::Target>), ViewError>,
    destinations: Vec<Destination>,
    trail_logging: bool,
}

fn read(lab: &LabState, region: &str, name: &str) -> RuleData {
    let mut peek = Peek::new(lab);
    RuleData {
        rule: rule(&mut peek, region, name),
        destinations: destinations(&mut peek, region),
        trail_logging: trail_logging(&mut peek, region),
    }
}

/// One labelled value of the details panel.
fn field(label: &str, value: Html) -> Html {
    html! { <div class="field"><div class="field-label">{ label.to_owned() }</div><div class="field-value">{ value }</div></div> }
}

/// The pattern as the console shows it: indented.
fn pretty(pattern: &str) -> String {
    serde_json::from_str::<serde_json::Value>(pattern)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| pattern.to_owned())
}

#[component]
pub fn RuleDetail(props: &RuleProps) -> Html {
    let lab = use_lab();
    let region = lab.identity().region;
    let data = {
        let (state, name) = ((*lab).clone(), props.name.clone());
        use_memo((lab.revision, region.clone()), move |(_, region)| {
            read(&state, region, &name)
        })
    };
    let form = use_form(&[("target_id", "Target0")]);
    let confirm = use_state(|| false);
    let (rule, targets) = match &data.rule {
        Ok(r) => r.clone(),
        Err(e) => {
            return html! {
                <section class="page page-wide" aria-labelledby="page-title">
                    { page_header(&props.name, &lab) }
                    { error_box(e) }
                    <p><Link<Route> to={Route::Events}>{ "Back to Rules" }</Link<Route>></p>
                </section>
            };
        }
    };
    let name = props.name.clone();
    let remove = |id: String| {
        let (lab, region, name) = (lab.clone(), region.clone(), name.clone());
        Callback::from(move |_: MouseEvent| {
            lab.call(
                region.clone(),
                "events",
                "RemoveTargets",
                json!({ "Rule": name, "Ids": [id] }),
                format!("Removed target {id} from {name}"),
            );
        })
    };
    let add = {
        let (lab, region, name, form, data) = (
            lab.clone(),
            region.clone(),
            name.clone(),
            form.clone(),
            data.clone(),
        );
        let arn = rule.arn.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(dest) = form
                .opt("target")
                .and_then(|t| data.destinations.iter().find(|d| d.arn == t))
            else {
                return;
            };
            let id = form.opt("target_id").unwrap_or_else(|| "Target0".into());
            lab.calls(
                region.clone(),
                add_target_calls(&name, &arn, &id, dest),
                format!(
                    "Added target {} to {name} (and the permission in its policy)",
                    dest.arn
                ),
            );
        })
    };
    let delete = {
        let (lab, region, name, confirm) =
            (lab.clone(), region.clone(), name.clone(), confirm.clone());
        Callback::from(move |_: MouseEvent| {
            confirm.set(false);
            lab.call(
                region.clone(),
                "events",
                "DeleteRule",
                json!({ "Name": name }),
                format!("Deleted rule {name}"),
            );
        })
    };
    let pattern = rule.event_pattern.clone().unwrap_or_default();
    let dialog = (*confirm).then(|| {
        let close = {
            let confirm = confirm.clone();
            Callback::from(move |()| confirm.set(false))
        };
        let cancel = {
            let confirm = confirm.clone();
            Callback::from(move |_: MouseEvent| confirm.set(false))
        };
        let typed = form.get("confirm") == props.name;
        let footer = html! { <>
            <button class="btn" onclick={cancel}>{ "Cancel" }</button>
            <button class="btn btn-danger" onclick={delete.clone()} disabled={!typed} data-testid="delete-rule-confirm">{ "Delete" }</button>
        </> };
        html! {
            <Dialog title={format!("Delete rule {}?", props.name)} on_close={close} testid="delete-rule-dialog" {footer}>
                <p>{ "Deleting the rule stops it matching events. Remove its targets first: EventBridge refuses to delete a rule that has targets." }</p>
                <div class="form-grid">{ text(&form, "confirm", &format!("To confirm deletion, enter {}", props.name), &props.name) }</div>
            </Dialog>
        }
    });
    let open_delete = {
        let confirm = confirm.clone();
        Callback::from(move |_: MouseEvent| confirm.set(true))
    };
    html! {
        <section class="page page-wide" aria-labelledby="page-title">
            { page_header(&format!("Rule: {}", props.name), &lab) }
            <p><Link<Route> to={Route::Events}>{ "← Rules" }</Link<Route>></p>
            <div class="panel" data-testid="rule-details">
                <div class="panel-header"><h2>{ "Rule details" }</h2>
                    <button class="btn btn-small btn-danger" onclick={open_delete} data-testid="delete-rule">{ "Delete" }</button>
                </div>
                <div class="fields">
                    { field("Rule name", html! { <span class="mono">{ rule.name.clone() }</span> }) }
                    { field("Status", html! { if rule.state == "ENABLED" { { "Enabled" } } else { { "Disabled" } } }) }
                    { field("Description", str_cell(rule.description.as_deref())) }
                    { field("Event bus name", html! { rule.event_bus_name.clone() }) }
                    { field("Rule ARN", html! { <span class="mono small break">{ rule.arn.clone() }</span> }) }
                </div>
            </div>
            <div class="panel">
                <div class="panel-header"><h2>{ "Event pattern" }</h2></div>
                { trail_note(&pattern, data.trail_logging) }
                <pre class="code small" data-testid="rule-pattern">{ pretty(&pattern) }</pre>
            </div>
            <div class="panel" data-testid="rule-targets">
                <div class="panel-header"><h2>{ format!("Targets ({})", targets.len()) }</h2></div>
                if targets.is_empty() {
                    <p class="muted">{ "No targets: matching events go nowhere." }</p>
                } else {
                    <div class="table-wrap"><table class="table resource-table" data-testid="targets-table">
                        <thead><tr><th scope="col">{ "Target ID" }</th><th scope="col">{ "Type" }</th><th scope="col">{ "Target ARN" }</th><th scope="col">{ "Actions" }</th></tr></thead>
                        <tbody>{ for targets.iter().map(|t| html! {
                            <tr>
                                <td class="mono">{ t.id.clone() }</td>
                                <td>{ TargetKind::of(&t.arn).map_or("-", TargetKind::name) }</td>
                                <td class="small"><span class="mono break">{ t.arn.clone() }</span></td>
                                <td><button class="btn btn-small" onclick={remove(t.id.clone())} data-testid={format!("remove-target-{}", t.id)}>{ "Remove" }</button></td>
                            </tr>
                        }) }</tbody>
                    </table></div>
                }
                <h3 class="sub-heading">{ "Add target" }</h3>
                <div class="form-grid">
                    { select(&form, "target", "Target (SQS queue or SNS topic)", &destination_choices(&data.destinations)) }
                    { text(&form, "target_id", "Target ID", "Target0") }
                </div>
                { permission_help() }
                <div class="actions"><button class="btn btn-small btn-primary" onclick={add} disabled={form.opt("target").is_none()} data-testid="add-target">{ "Add target" }</button></div>
            </div>
            { dialog.unwrap_or_default() }
        </section>
    }
}
