//! IAM → Policies: the account's customer managed policies. Create one in the policy editor;
//! open one to read its default version, edit it (the console's "Save changes" creates a new
//! version and makes it the default), see its versions (set another as the default, delete one
//! that is not), and delete the policy. Attaching happens on a user's or role's page. Every
//! change is an IAM call as the current profile, audited and possibly denied.

use std::rc::Rc;

use cloud::iam::model as iam;
use serde_json::{Value, json};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::policy_text;
use crate::components::policy_editor::PolicyEditor;
use crate::hooks::{Lab, use_lab};
use crate::state::LabState;
use crate::views::{Peek, ViewError};

const NEW_POLICY: &str = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": \"kms:DescribeKey\",\n      \"Resource\": \"*\"\n    }\n  ]\n}";

/// A customer managed policy with its versions, newest first: (id, default, created, text).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct CustomerPolicy {
    pub policy: iam::Policy,
    pub versions: Vec<(String, bool, String, String)>,
}

/// The account's customer managed policies (`ListPolicies --scope Local`, every page).
fn list(peek: &mut Peek, region: &str) -> Result<Vec<iam::Policy>, ViewError> {
    peek.all_pages(region, |client, marker| {
        let r = client.iam().list_policies(iam::ListPoliciesRequest {
            scope: Some("Local".into()),
            only_attached: None,
            path_prefix: None,
            policy_usage_filter: None,
            marker,
            max_items: None,
        })?;
        Ok((r.policies, r.marker))
    })
}

/// The account's customer managed policies, each with its versions' documents.
pub(crate) fn load(lab: &LabState, region: &str) -> Result<Vec<CustomerPolicy>, ViewError> {
    let mut peek = Peek::new(lab);
    let policies = list(&mut peek, region)?;
    let mut out = Vec::new();
    for listed_policy in policies {
        // GetPolicy answers the description, which ListPolicies leaves out.
        let policy = peek
            .client(region)?
            .iam()
            .get_policy(iam::PolicyArnRequest {
                policy_arn: listed_policy.arn,
            })?
            .policy;
        let listed =
            peek.client(region)?
                .iam()
                .list_policy_versions(iam::ListPolicyVersionsRequest {
                    policy_arn: policy.arn.clone(),
                    marker: None,
                    max_items: None,
                })?;
        let mut versions = Vec::new();
        for v in listed.versions {
            let doc = peek
                .client(region)?
                .iam()
                .get_policy_version(iam::PolicyVersionRequest {
                    policy_arn: policy.arn.clone(),
                    version_id: v.version_id.clone(),
                })?
                .policy_version
                .document
                .unwrap_or(Value::Null);
            let text = policy_text(&doc).unwrap_or_default();
            versions.push((v.version_id, v.is_default_version, v.create_date, text));
        }
        out.push(CustomerPolicy { policy, versions });
    }
    Ok(out)
}

fn iam_call(lab: &Lab, region: &str, operation: &'static str, input: Value, summary: String) {
    lab.call(region.to_owned(), "iam", operation, input, summary);
}

/// What the editor is doing: creating a policy, or editing the policy with this ARN.
#[derive(Clone, Debug, PartialEq)]
enum Editing {
    Create,
    Edit(String),
}

#[derive(Properties, PartialEq)]
pub struct CustomerPoliciesProps {
    pub region: AttrValue,
    /// The account's customer managed policies ([`load`]), read by the IAM page.
    pub policies: Rc<Result<Vec<CustomerPolicy>, ViewError>>,
}

#[component]
pub fn CustomerPolicies(props: &CustomerPoliciesProps) -> Html {
    let lab = use_lab();
    let region = props.region.to_string();
    let selected = use_state(|| None::<String>);
    let editing = use_state(|| None::<Editing>);
    let name = use_state(|| "KmsReadOnly".to_owned());
    let description = use_state(String::new);
    let error = use_state(|| None::<String>);
    let policies = &props.policies;
    // Close the editor once IAM accepted the document; keep it open with IAM's error otherwise.
    {
        let (editing, error, selected) = (editing.clone(), error.clone(), selected.clone());
        use_effect_with(lab.last_call.clone(), move |last| {
            if let Some(outcome) = last
                && outcome.operation == "DeletePolicy"
                && outcome.result.is_ok()
            {
                editing.set(None);
                selected.set(None);
            }
            if let Some(outcome) = last
                && matches!(
                    outcome.operation.as_str(),
                    "CreatePolicy" | "CreatePolicyVersion"
                )
            {
                match &outcome.result {
                    Ok(v) => {
                        if let Some(arn) = v.pointer("/Policy/Arn").and_then(Value::as_str) {
                            selected.set(Some(arn.to_owned()));
                        }
                        editing.set(None);
                        error.set(None);
                    }
                    Err(e) => error.set(Some(format!("{}: {}", e.code, e.message))),
                }
            }
        });
    }
    let list = match policies.as_ref() {
        Err(e) => return crate::pages::error_box(e),
        Ok(list) => list,
    };
    let current = selected
        .as_ref()
        .and_then(|arn| list.iter().find(|p| &p.policy.arn == arn));
    let open = |arn: &str| {
        let (selected, editing) = (selected.clone(), editing.clone());
        let arn = arn.to_owned();
        Callback::from(move |_: MouseEvent| {
            editing.set(None);
            selected.set(Some(arn.clone()));
        })
    };
    let on_cancel = {
        let (editing, error) = (editing.clone(), error.clone());
        Callback::from(move |()| {
            editing.set(None);
            error.set(None);
        })
    };
    let text_input = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
                state.set(i.value());
            }
        })
    };
    let editor = match &*editing {
        None => html! {},
        Some(Editing::Create) => {
            let on_save = {
                let (lab, region, name, description) = (
                    lab.clone(),
                    region.clone(),
                    name.clone(),
                    description.clone(),
                );
                Callback::from(move |text: String| {
                    let mut input = json!({ "PolicyName": *name, "PolicyDocument": text });
                    if !description.trim().is_empty() {
                        input["Description"] = json!(*description);
                    }
                    iam_call(
                        &lab,
                        &region,
                        "CreatePolicy",
                        input,
                        format!("Created policy {}", *name),
                    );
                })
            };
            html! {
                <div class="policy-editor" data-testid="create-policy-form">
                    <h3>{ "Create policy" }</h3>
                    <div class="form-grid">
                        <label class="field-label">{ "Policy name" }
                            <input class="input" name="policy-name" value={(*name).clone()} oninput={text_input(&name)} /></label>
                        <label class="field-label">{ "Description - optional" }
                            <input class="input" name="policy-description" value={(*description).clone()} oninput={text_input(&description)} /></label>
                    </div>
                    <PolicyEditor value={NEW_POLICY} label="Policy editor (JSON)" testid="managed-policy-json" save_testid="managed-policy-save"
                        save_label="Create policy" {on_save} on_cancel={Some(on_cancel.clone())}
                        error={(*error).clone().map(AttrValue::from)} syntax_code="MalformedPolicyDocument" />
                </div>
            }
        }
        Some(Editing::Edit(arn)) if current.is_some() => {
            let text = current
                .and_then(|p| p.versions.iter().find(|v| v.1))
                .map(|v| v.3.clone())
                .unwrap_or_default();
            let on_save = {
                let (lab, region, arn) = (lab.clone(), region.clone(), arn.clone());
                Callback::from(move |text: String| {
                    let short = arn.rsplit('/').next().unwrap_or(&arn).to_owned();
                    iam_call(
                        &lab,
                        &region,
                        "CreatePolicyVersion",
                        json!({ "PolicyArn": arn, "PolicyDocument": text, "SetAsDefault": true }),
                        format!("Saved a new default version of {short}"),
                    );
                })
            };
            html! {
                <div class="policy-editor" data-testid="edit-policy-form">
                    <p class="help">{ "Saving creates a new version of the policy and makes it the default: every user and role it is attached to gets it at once. A policy keeps at most five versions." }</p>
                    <PolicyEditor value={text} label="Policy editor (JSON)" testid="managed-policy-json" save_testid="managed-policy-save"
                        save_label="Save changes" {on_save} on_cancel={Some(on_cancel.clone())}
                        error={(*error).clone().map(AttrValue::from)} syntax_code="MalformedPolicyDocument" />
                </div>
            }
        }
        // The policy being edited is gone (deleted, here or in the terminal): no editor.
        Some(Editing::Edit(_)) => html! {},
    };
    let detail = current.map(|p| detail(&lab, &region, p, &editing));
    let start_create = {
        let (editing, selected) = (editing.clone(), selected.clone());
        Callback::from(move |_: MouseEvent| {
            selected.set(None);
            editing.set(Some(Editing::Create));
        })
    };
    html! {
        <div class="panel" data-testid="customer-policies">
            <div class="panel-header">
                <h2>{ format!("Policies: customer managed ({})", list.len()) }</h2>
                <button type="button" class="btn btn-small btn-primary" onclick={start_create} data-testid="create-policy">{ "Create policy" }</button>
            </div>
            if list.is_empty() {
                <p class="muted">{ "No customer managed policies yet. AWS managed policies are attached from a user's or role's page." }</p>
            } else {
                <div class="table-wrap"><table class="table" data-testid="policies-table">
                    <thead><tr><th scope="col">{ "Policy name" }</th><th scope="col">{ "Default version" }</th><th scope="col">{ "Attached entities" }</th><th scope="col">{ "Last edited" }</th></tr></thead>
                    <tbody>{ for list.iter().map(|p| html! { <tr>
                        <td><button type="button" class="linkish mono small" onclick={open(&p.policy.arn)}>{ p.policy.policy_name.clone() }</button></td>
                        <td class="small">{ p.policy.default_version_id.clone() }</td>
                        <td class="small">{ p.policy.attachment_count }</td>
                        <td class="small">{ p.policy.update_date.clone() }</td>
                    </tr> }) }</tbody>
                </table></div>
            }
            { editor }
            { detail.unwrap_or_default() }
        </div>
    }
}

/// One policy: its ARN, its default version's document, its versions, and its actions.
fn detail(
    lab: &Lab,
    region: &str,
    p: &CustomerPolicy,
    editing: &UseStateHandle<Option<Editing>>,
) -> Html {
    let arn = p.policy.arn.clone();
    let short = p.policy.policy_name.clone();
    let default_text = p
        .versions
        .iter()
        .find(|v| v.1)
        .map(|v| v.3.clone())
        .unwrap_or_default();
    let edit = {
        let (editing, arn) = (editing.clone(), arn.clone());
        Callback::from(move |_: MouseEvent| editing.set(Some(Editing::Edit(arn.clone()))))
    };
    let delete = {
        let (lab, region, arn, short) =
            (lab.clone(), region.to_owned(), arn.clone(), short.clone());
        Callback::from(move |_: MouseEvent| {
            iam_call(
                &lab,
                &region,
                "DeletePolicy",
                json!({ "PolicyArn": arn }),
                format!("Deleted policy {short}"),
            );
        })
    };
    let version_action = |operation: &'static str, version: &str, summary: String| {
        let (lab, region, arn, version) = (
            lab.clone(),
            region.to_owned(),
            arn.clone(),
            version.to_owned(),
        );
        Callback::from(move |_: MouseEvent| {
            iam_call(
                &lab,
                &region,
                operation,
                json!({ "PolicyArn": arn, "VersionId": version }),
                summary.clone(),
            );
        })
    };
    html! {
        <div data-testid="policy-detail">
            <div class="panel-header">
                <h3 class="mono break">{ arn.clone() }</h3>
                <div class="actions">
                    <button type="button" class="btn btn-small" onclick={edit} data-testid="edit-managed-policy">{ "Edit" }</button>
                    <button type="button" class="btn btn-small btn-danger" onclick={delete} data-testid="delete-managed-policy">{ "Delete" }</button>
                </div>
            </div>
            if let Some(d) = &p.policy.description { <p class="help">{ d.clone() }</p> }
            <pre class="code small" data-testid="managed-policy-document">{ default_text }</pre>
            <h4>{ "Policy versions" }</h4>
            <div class="table-wrap"><table class="table" data-testid="policy-versions">
                <thead><tr><th scope="col">{ "Version" }</th><th scope="col">{ "Created" }</th><th scope="col"><span class="sr-only">{ "Actions" }</span></th></tr></thead>
                <tbody>{ for p.versions.iter().map(|(id, default, created, _)| html! { <tr>
                    <td class="small">{ if *default { format!("{id} (Default)") } else { id.clone() } }</td>
                    <td class="small">{ created.clone() }</td>
                    <td>
                        if !*default { <div class="actions">
                            <button type="button" class="btn btn-small" aria-label={format!("Set {id} as default")}
                                onclick={version_action("SetDefaultPolicyVersion", id, format!("Set {id} of {short} as the default"))}>{ "Set as default" }</button>
                            <button type="button" class="btn btn-small" aria-label={format!("Delete {id}")}
                                onclick={version_action("DeletePolicyVersion", id, format!("Deleted {id} of {short}"))}>{ "Delete" }</button>
                        </div> }
                    </td>
                </tr> }) }</tbody>
            </table></div>
        </div>
    }
}
