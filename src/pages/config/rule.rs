//! An AWS Config rule's page (`#/config/rules/NAME`): its details, "Resources in scope" with
//! their compliance (GetComplianceDetailsByConfigRule, every page), filtered as the console's
//! drop-down does (Noncompliant, Compliant, All), "Re-evaluate" (StartConfigRulesEvaluation)
//! and Delete rule after the console's confirmation. Resource ids link to their lab pages.

use cloud::config::model as config;
use serde_json::json;
use yew::prelude::*;
use yew_router::prelude::*;

use super::config_tabs;
use super::managed::{managed, trigger};
use super::rules::compliance_badge;
use crate::app::Route;
use crate::components::dialog::Dialog;
use crate::components::form::{select, text, use_form};
use crate::components::resources::{page_header, str_cell};
use crate::hooks::use_lab;
use crate::pages::{epoch, error_box};
use crate::state::LabState;
use crate::views::{Peek, ViewError};

#[derive(Properties, PartialEq, Debug)]
pub struct ConfigRuleProps {
    pub name: String,
}

#[derive(Debug)]
struct RuleData {
    rule: Result<config::ConfigRule, ViewError>,
    compliance: Option<config::Compliance>,
    results: Result<Vec<config::EvaluationResult>, ViewError>,
}

fn read(lab: &LabState, region: &str, name: &str) -> RuleData {
    let mut peek = Peek::new(lab);
    let rule = peek
        .client(region)
        .and_then(|c| {
            Ok(c.config()
                .describe_config_rules(config::DescribeConfigRulesRequest {
                    config_rule_names: Some(vec![name.to_owned()]),
                    ..Default::default()
                })?
                .config_rules)
        })
        .and_then(|list| {
            list.into_iter().next().ok_or_else(|| ViewError {
                code: "NoSuchConfigRuleException".into(),
                message: format!("The ConfigRule '{name}' provided in the request is invalid. Please check the configRule name."),
            })
        });
    let compliance = peek
        .client(region)
        .and_then(|c| {
            Ok(c.config().describe_compliance_by_config_rule(
                config::DescribeComplianceByConfigRuleRequest {
                    config_rule_names: Some(vec![name.to_owned()]),
                    ..Default::default()
                },
            )?)
        })
        .ok()
        .and_then(|r| r.compliance_by_config_rules.into_iter().next())
        .map(|c| c.compliance);
    let results = peek.all_pages(region, |c, next_token| {
        let page = c.config().get_compliance_details_by_config_rule(
            config::GetComplianceDetailsByConfigRuleRequest {
                config_rule_name: Some(name.to_owned()),
                compliance_types: Some(vec![
                    "COMPLIANT".into(),
                    "NON_COMPLIANT".into(),
                    "NOT_APPLICABLE".into(),
                ]),
                limit: Some(100),
                next_token,
            },
        )?;
        Ok((page.evaluation_results, page.next_token))
    });
    RuleData {
        rule,
        compliance,
        results,
    }
}

/// A resource id as a link to its page in the lab, where there is one.
fn resource_link(lab: &LabState, region: &str, kind: &str, id: &str) -> Html {
    let route = match kind {
        "AWS::EC2::Volume" => Some(Route::Ec2Volumes),
        "AWS::S3::Bucket" => Some(Route::S3Bucket {
            name: id.to_owned(),
        }),
        "AWS::KMS::Key" => {
            lab.with_session(|s| crate::pages::key_route(&s.world, Some(region), id))
        }
        "AWS::DynamoDB::Table" => Some(Route::DynamoDbTable {
            name: id.to_owned(),
        }),
        "AWS::RDS::DBInstance" => Some(Route::RdsDatabases),
        "AWS::RDS::DBSnapshot" | "AWS::RDS::DBClusterSnapshot" => Some(Route::RdsSnapshots),
        "AWS::EFS::FileSystem" => Some(Route::Efs),
        "AWS::Logs::LogGroup" => Some(Route::Logs),
        "AWS::CloudTrail::Trail" => Some(Route::CloudTrailTrails),
        "AWS::::Account" => Some(Route::Ec2Settings),
        _ => None,
    };
    match route {
        Some(to) => html! { <Link<Route> to={to} classes="mono">{ id.to_owned() }</Link<Route>> },
        None => html! { <span class="mono">{ id.to_owned() }</span> },
    }
}

/// A compliance type as the console words it.
fn compliance_word(t: &str) -> Html {
    match t {
        "COMPLIANT" => html! { <span class="badge badge-ok">{ "Compliant" }</span> },
        "NON_COMPLIANT" => html! { <span class="badge badge-err">{ "Noncompliant" }</span> },
        _ => html! { <span class="badge">{ "Not applicable" }</span> },
    }
}

#[component]
pub fn ConfigRuleDetail(props: &ConfigRuleProps) -> Html {
    let lab = use_lab();
    let region = lab.identity().region;
    let data = {
        let (state, name) = ((*lab).clone(), props.name.clone());
        use_memo((lab.revision, region.clone()), move |(_, region)| {
            read(&state, region, &name)
        })
    };
    let form = use_form(&[("show", "NON_COMPLIANT")]);
    let confirm = use_state(|| false);
    let rule = match &data.rule {
        Ok(r) => r.clone(),
        Err(e) => {
            return html! {
                <section class="page page-wide" aria-labelledby="page-title">
                    { page_header(&props.name, &lab) }
                    { error_box(e) }
                    <p><Link<Route> to={Route::ConfigRules}>{ "Back to Rules" }</Link<Route>></p>
                </section>
            };
        }
    };
    let name = props.name.clone();
    let reevaluate = {
        let (lab, region, name) = (lab.clone(), region.clone(), name.clone());
        Callback::from(move |_: MouseEvent| {
            lab.call(
                region.clone(),
                "configservice",
                "StartConfigRulesEvaluation",
                json!({ "ConfigRuleNames": [name] }),
                format!("Re-evaluated {name}"),
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
                "configservice",
                "DeleteConfigRule",
                json!({ "ConfigRuleName": name }),
                format!("Deleted rule {name}"),
            );
        })
    };
    let show = form.get("show").to_owned();
    let rows = match &data.results {
        Err(e) => error_box(e),
        Ok(list) => {
            let shown: Vec<_> = list
                .iter()
                .filter(|r| show == "ALL" || r.compliance_type == show)
                .collect();
            if shown.is_empty() {
                html! { <p class="muted" data-testid="no-results">{ "No resources to show. A rule evaluates when a resource in its scope changes, on its periodic trigger, or when you choose Re-evaluate." }</p> }
            } else {
                html! {
                    <div class="table-wrap"><table class="table resource-table" data-testid="rule-resources">
                        <thead><tr><th scope="col">{ "Resource ID" }</th><th scope="col">{ "Type" }</th><th scope="col">{ "Compliance" }</th><th scope="col">{ "Annotation" }</th><th scope="col">{ "Last evaluated" }</th></tr></thead>
                        <tbody>{ for shown.into_iter().map(|r| {
                            let q = &r.evaluation_result_identifier.evaluation_result_qualifier;
                            html! {
                                <tr>
                                    <td class="rid">{ resource_link(&lab, &region, &q.resource_type, &q.resource_id) }</td>
                                    <td class="mono small rid">{ q.resource_type.clone() }</td>
                                    <td>{ compliance_word(&r.compliance_type) }</td>
                                    <td class="small">{ str_cell(r.annotation.as_deref()) }</td>
                                    <td class="small">{ epoch(Some(r.result_recorded_time)) }</td>
                                </tr>
                            }
                        }) }</tbody>
                    </table></div>
                }
            }
        }
    };
    let ident = rule
        .source
        .as_ref()
        .and_then(|s| s.source_identifier.clone())
        .unwrap_or_default();
    let description = rule
        .description
        .clone()
        .or_else(|| managed(&ident).map(|m| m.description.to_owned()));
    let filter = vec![
        ("NON_COMPLIANT".to_owned(), "Noncompliant".to_owned()),
        ("COMPLIANT".to_owned(), "Compliant".to_owned()),
        ("ALL".to_owned(), "All".to_owned()),
    ];
    let dialog = (*confirm).then(|| {
        let close = {
            let confirm = confirm.clone();
            Callback::from(move |()| confirm.set(false))
        };
        let cancel = {
            let confirm = confirm.clone();
            Callback::from(move |_: MouseEvent| confirm.set(false))
        };
        let typed = form.get("confirm") == "delete";
        let footer = html! { <>
            <button class="btn" onclick={cancel}>{ "Cancel" }</button>
            <button class="btn btn-danger" onclick={delete.clone()} disabled={!typed} data-testid="delete-config-rule-confirm">{ "Delete" }</button>
        </> };
        html! {
            <Dialog title={format!("Delete {}?", props.name)} on_close={close} testid="delete-config-rule-dialog" {footer}>
                <p>{ "The rule and its evaluation results are deleted." }</p>
                <div class="form-grid">{ text(&form, "confirm", "To confirm deletion, type \"delete\" in the field.", "delete") }</div>
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
            { config_tabs(&Route::ConfigRules) }
            <div class="panel" data-testid="config-rule-details">
                <div class="panel-header"><h2>{ "Rule details" }</h2>
                    <div class="actions">
                        <button class="btn btn-small btn-primary" onclick={reevaluate} data-testid="reevaluate">{ "Re-evaluate" }</button>
                        <button class="btn btn-small btn-danger" onclick={open_delete} data-testid="delete-config-rule">{ "Delete rule" }</button>
                    </div>
                </div>
                <div class="fields">
                    <div class="field"><div class="field-label">{ "Description" }</div><div class="field-value">{ str_cell(description.as_deref()) }</div></div>
                    <div class="field"><div class="field-label">{ "Source identifier" }</div><div class="field-value mono">{ ident.clone() }</div></div>
                    <div class="field"><div class="field-label">{ "Trigger type" }</div><div class="field-value">{ trigger(&ident) }</div></div>
                    <div class="field"><div class="field-label">{ "Compliance" }</div><div class="field-value" data-testid="rule-compliance">{ compliance_badge(data.compliance.as_ref()) }</div></div>
                    <div class="field"><div class="field-label">{ "Parameters" }</div><div class="field-value mono small">{ str_cell(rule.input_parameters.as_deref()) }</div></div>
                </div>
            </div>
            <div class="panel">
                <div class="panel-header"><h2>{ "Resources in scope" }</h2></div>
                <div class="form-grid">{ select(&form, "show", "Show", &filter) }</div>
                { rows }
            </div>
            { dialog.unwrap_or_default() }
        </section>
    }
}
