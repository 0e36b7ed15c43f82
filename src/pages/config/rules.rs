//! AWS Config → Rules (`#/config/rules`): the Region's rules with their compliance
//! (DescribeConfigRules, DescribeComplianceByConfigRule), and "Add rule" from the AWS managed
//! rules the lab evaluates, named by their source identifiers (PutConfigRule with Source Owner
//! `AWS`, and the rule's resource types as its scope, as the console sets them). Config accepts
//! a rule only once a recorder exists; the flash shows its error otherwise.

use std::collections::BTreeMap;

use cloud::config::model as config;
use serde_json::{Value, json};
use yew::prelude::*;
use yew_router::prelude::*;

use super::config_tabs;
use super::managed::{MANAGED, managed, resource_types, trigger};
use crate::app::Route;
use crate::components::form::{Fields, select, text, use_form};
use crate::components::resources::{page_header, table};
use crate::hooks::use_lab;
use crate::state::LabState;
use crate::views::{Peek, ViewError};

#[derive(Debug)]
struct RulesData {
    rules: Result<Vec<config::ConfigRule>, ViewError>,
    /// Compliance by rule name: `COMPLIANT`, `NON_COMPLIANT` (with the count), `INSUFFICIENT_DATA`.
    compliance: BTreeMap<String, config::Compliance>,
}

fn read(lab: &LabState, region: &str) -> RulesData {
    let mut peek = Peek::new(lab);
    let rules = peek.all_pages(region, |c, next_token| {
        let page = c
            .config()
            .describe_config_rules(config::DescribeConfigRulesRequest {
                next_token,
                ..Default::default()
            })?;
        Ok((page.config_rules, page.next_token))
    });
    let compliance = peek
        .all_pages(region, |c, next_token| {
            let page = c.config().describe_compliance_by_config_rule(
                config::DescribeComplianceByConfigRuleRequest {
                    next_token,
                    ..Default::default()
                },
            )?;
            Ok((page.compliance_by_config_rules, page.next_token))
        })
        .unwrap_or_default()
        .into_iter()
        .map(|c| (c.config_rule_name, c.compliance))
        .collect();
    RulesData { rules, compliance }
}

/// A compliance as the console shows it ("3 Noncompliant resource(s)", "Compliant", …).
pub(super) fn compliance_badge(c: Option<&config::Compliance>) -> Html {
    match c.map(|c| (c.compliance_type.as_str(), c)) {
        Some(("COMPLIANT", _)) => html! { <span class="badge badge-ok">{ "Compliant" }</span> },
        Some(("NON_COMPLIANT", c)) => {
            let n = c
                .compliance_contributor_count
                .as_ref()
                .map_or(0, |n| n.capped_count);
            html! { <span class="badge badge-err">{ format!("{n} Noncompliant resource(s)") }</span> }
        }
        Some(("NOT_APPLICABLE", _)) => html! { <span class="badge">{ "Not applicable" }</span> },
        _ => html! { <span class="badge badge-warn">{ "No results reported" }</span> },
    }
}

/// `PutConfigRule` for the managed rule chosen in the form.
pub(crate) fn put_rule_input(f: &Fields) -> Value {
    let identifier = f.get("identifier");
    let name = f
        .opt("name")
        .or_else(|| managed(identifier).map(|m| m.name.to_owned()))
        .unwrap_or_default();
    let mut rule = json!({
        "ConfigRuleName": name,
        "Source": { "Owner": "AWS", "SourceIdentifier": identifier },
    });
    if let Some(m) = managed(identifier) {
        rule["Description"] = json!(m.description);
    }
    let types = resource_types(identifier);
    if !types.is_empty() {
        rule["Scope"] = json!({ "ComplianceResourceTypes": types });
    }
    if let Some(p) = f.opt("parameters") {
        rule["InputParameters"] = json!(p);
    }
    json!({ "ConfigRule": rule })
}

#[component]
pub fn ConfigRules() -> Html {
    let lab = use_lab();
    let region = lab.identity().region;
    let data = {
        let state = (*lab).clone();
        use_memo((lab.revision, region.clone()), move |(_, region)| {
            read(&state, region)
        })
    };
    let form = use_form(&[("identifier", "ENCRYPTED_VOLUMES")]);
    let rows = data.rules.clone().map(|rules| {
        rules
            .into_iter()
            .map(|r| {
                let name = r.config_rule_name.clone().unwrap_or_default();
                let ident = r
                    .source
                    .as_ref()
                    .and_then(|s| s.source_identifier.clone())
                    .unwrap_or_default();
                vec![
                    html! { <Link<Route> to={Route::ConfigRule { name: name.clone() }} classes="mono">{ name.clone() }</Link<Route>> },
                    html! { <span class="mono small">{ ident.clone() }</span> },
                    compliance_badge(data.compliance.get(&name)),
                    html! { trigger(&ident) },
                ]
            })
            .collect()
    });
    let add = {
        let (lab, form, region) = (lab.clone(), form.clone(), region.clone());
        Callback::from(move |_: MouseEvent| {
            let input = put_rule_input(&form);
            let name = input["ConfigRule"]["ConfigRuleName"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            lab.call(
                region.clone(),
                "configservice",
                "PutConfigRule",
                input,
                format!("Added rule {name}"),
            );
        })
    };
    let choices: Vec<(String, String)> = MANAGED
        .iter()
        .map(|m| (m.identifier.to_owned(), m.name.to_owned()))
        .collect();
    let chosen = managed(form.get("identifier"));
    html! {
        <section class="page page-wide" aria-labelledby="page-title">
            { page_header("AWS Config rules", &lab) }
            { config_tabs(&Route::ConfigRules) }
            { table("Rules", "config-rules-table", &["Name", "Source identifier", "Compliance", "Trigger"], rows) }
            <div class="panel" data-testid="add-config-rule">
                <div class="panel-header"><h2>{ "Add rule" }</h2></div>
                <p class="help">{ "Rule type: Add AWS managed rule. The lab evaluates these AWS managed rules." }</p>
                <div class="form-grid">
                    { select(&form, "identifier", "AWS Managed Rules", &choices) }
                    { text(&form, "name", "Name", chosen.map_or("", |m| m.name)) }
                </div>
                if let Some(m) = chosen {
                    <div class="fields">
                        <div class="field"><div class="field-label">{ "Description" }</div><div class="field-value" data-testid="rule-description">{ m.description }</div></div>
                        <div class="field"><div class="field-label">{ "Source identifier" }</div><div class="field-value mono">{ m.identifier }</div></div>
                        <div class="field"><div class="field-label">{ "Trigger type" }</div><div class="field-value">{ trigger(m.identifier) }</div></div>
                        <div class="field"><div class="field-label">{ "Scope of changes" }</div><div class="field-value mono small">{ match resource_types(m.identifier) { [] => "-".to_owned(), t => t.join(", ") } }</div></div>
                    </div>
                }
                <div class="form-grid">
                    { text(&form, "parameters", "Parameters - optional (JSON object, for example {\"kmsId\": \"KEY_ARN\"})", "") }
                </div>
                <div class="actions"><button class="btn btn-primary" onclick={add} data-testid="add-config-rule-submit">{ "Add rule" }</button></div>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_managed_rule_is_named_by_its_page_and_scoped_to_its_types() {
        let f = Fields::with(&[("identifier", "ENCRYPTED_VOLUMES")]);
        let v = put_rule_input(&f);
        assert_eq!(v["ConfigRule"]["ConfigRuleName"], "encrypted-volumes");
        assert_eq!(v["ConfigRule"]["Source"]["Owner"], "AWS");
        assert_eq!(
            v["ConfigRule"]["Scope"]["ComplianceResourceTypes"],
            json!(["AWS::EC2::Volume"])
        );
        let f = Fields::with(&[
            ("identifier", "EC2_EBS_ENCRYPTION_BY_DEFAULT"),
            ("name", "ebs-default"),
        ]);
        let v = put_rule_input(&f);
        assert_eq!(v["ConfigRule"]["ConfigRuleName"], "ebs-default");
        assert!(
            v["ConfigRule"].get("Scope").is_none(),
            "the account: no scope"
        );
    }

    #[test]
    fn every_managed_rule_the_page_offers_is_accepted_once_config_records() {
        let (mut world, ctx) = super::super::recording_world();
        for m in MANAGED {
            let f = Fields::with(&[("identifier", m.identifier)]);
            world
                .call(&ctx, "configservice", "PutConfigRule", put_rule_input(&f))
                .unwrap_or_else(|e| panic!("{}: {e:?}", m.identifier));
        }
    }
}
