//! IAM (enough for the lab): users and roles, their inline and attached policies, a JSON editor
//! for inline policies, and "sign in as" through the matching profile.

use serde_json::{Value, json};
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::hooks::use_lab;
use crate::state::Action;
use crate::views::{ViewError, peek};

#[derive(Clone, Debug, PartialEq)]
struct Principal {
    kind: &'static str,
    name: String,
    arn: String,
    inline: Vec<(String, String)>,
    attached: Vec<String>,
    trust: Option<String>,
}

fn pretty(doc: &str) -> String {
    // IAM returns policy documents URL-encoded; the lab's IAM returns them as written.
    serde_json::from_str::<Value>(doc)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| doc.to_owned())
}

fn load(lab: &crate::state::LabState, region: &str) -> Result<Vec<Principal>, ViewError> {
    let call = |op: &str, input: Value| peek(lab, region, "iam", op, input);
    let mut out = Vec::new();
    for (kind, list_op, list_key, name_key) in [
        ("user", "ListUsers", "Users", "UserName"),
        ("role", "ListRoles", "Roles", "RoleName"),
    ] {
        let listed = call(list_op, json!({}))?;
        for p in listed[list_key].as_array().into_iter().flatten() {
            let name = p[name_key].as_str().unwrap_or_default().to_owned();
            let (inline_op, get_op, attached_op) = if kind == "user" {
                (
                    "ListUserPolicies",
                    "GetUserPolicy",
                    "ListAttachedUserPolicies",
                )
            } else {
                (
                    "ListRolePolicies",
                    "GetRolePolicy",
                    "ListAttachedRolePolicies",
                )
            };
            let mut inline = Vec::new();
            if let Ok(names) = call(inline_op, json!({ name_key: name })) {
                for pn in names["PolicyNames"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                {
                    if let Ok(doc) = call(get_op, json!({ name_key: name, "PolicyName": pn })) {
                        inline.push((
                            pn.to_owned(),
                            pretty(doc["PolicyDocument"].as_str().unwrap_or_default()),
                        ));
                    }
                }
            }
            let attached = call(attached_op, json!({ name_key: name }))
                .map(|v| {
                    v["AttachedPolicies"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|a| a["PolicyArn"].as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            out.push(Principal {
                kind,
                arn: p["Arn"].as_str().unwrap_or_default().to_owned(),
                trust: p["AssumeRolePolicyDocument"].as_str().map(pretty),
                name,
                inline,
                attached,
            });
        }
    }
    Ok(out)
}

#[component]
pub fn Iam() -> Html {
    let lab = use_lab();
    let id = lab.identity();
    let selected = use_state(|| None::<String>);
    let editor = use_state(|| None::<(String, String)>);
    let principals = {
        let lab = (*lab).clone();
        let region = id.region.clone();
        use_memo((lab.revision, id.clone()), move |_| load(&lab, &region))
    };
    let profiles = lab.with_session(|s| s.world.profiles());

    let body = match &*principals {
        Err(e) => {
            html! { <div class="alert alert-error" role="alert"><strong>{ e.code.clone() }</strong>{ ": " }{ e.message.clone() }</div> }
        }
        Ok(list) => {
            let current = selected
                .as_ref()
                .and_then(|arn| list.iter().find(|p| &p.arn == arn))
                .or_else(|| list.first());
            html! {
                <div class="split">
                    <div class="panel split-list">
                        <div class="panel-header"><h2>{ format!("Users and roles ({})", list.len()) }</h2></div>
                        <ul class="plain-list">
                            { for list.iter().map(|p| {
                                let arn = p.arn.clone();
                                let sel = selected.clone();
                                let active = current.map(|c| c.arn == p.arn).unwrap_or(false);
                                html! { <li><button class={classes!("linkish", active.then_some("active-item"))} onclick={Callback::from(move |_| sel.set(Some(arn.clone())))}>
                                    <span class="badge">{ p.kind }</span>{ " " }{ p.name.clone() }</button></li> }
                            }) }
                        </ul>
                    </div>
                    if let Some(p) = current {
                        <div class="panel split-detail" data-testid="iam-detail">
                            <div class="panel-header"><h2 class="mono break">{ p.arn.clone() }</h2>
                                { for profiles.iter().filter(|pr| pr.principal_arn.as_deref() == Some(&p.arn) || pr.role_arn.as_deref() == Some(&p.arn)).map(|pr| {
                                    let lab = lab.clone();
                                    let name = pr.name.clone();
                                    let active = name == id.profile;
                                    html! { <button class="btn btn-small" disabled={active} onclick={Callback::from(move |_| lab.dispatch(Action::UseProfile(name.clone())))}>
                                        { if active { format!("Signed in as profile {}", pr.name) } else { format!("Sign in as (profile {})", pr.name) } }</button> }
                                }) }
                            </div>
                            <h3>{ "Attached managed policies" }</h3>
                            if p.attached.is_empty() { <p class="muted">{ "None" }</p> } else {
                                <ul>{ for p.attached.iter().map(|a| html! { <li class="mono small">{ a.clone() }</li> }) }</ul>
                            }
                            <h3>{ "Inline policies" }</h3>
                            if p.inline.is_empty() { <p class="muted">{ "None" }</p> }
                            { for p.inline.iter().map(|(n, doc)| {
                                let editor = editor.clone();
                                let (n2, d2) = (n.clone(), doc.clone());
                                html! { <div><div class="actions"><strong>{ n.clone() }</strong>
                                    <button class="btn btn-small" onclick={Callback::from(move |_| editor.set(Some((n2.clone(), d2.clone()))))}>{ "Edit" }</button></div>
                                    <pre class="code">{ doc.clone() }</pre></div> }
                            }) }
                            <PolicyEditor kind={p.kind} name={p.name.clone()} region={id.region.clone()} editor={editor.clone()} />
                            if let Some(t) = &p.trust {
                                <h3>{ "Trust policy (who may assume this role)" }</h3>
                                <pre class="code">{ t.clone() }</pre>
                            }
                        </div>
                    }
                </div>
            }
        }
    };

    html! {
        <section class="page page-wide" aria-labelledby="page-title">
            <div class="page-header">
                <h1 id="page-title">{ "IAM" }</h1>
                <span class="muted">{ format!("account {} · identity policies are evaluated on every call", id.account) }</span>
            </div>
            { body }
        </section>
    }
}

#[derive(Properties, PartialEq, Debug)]
struct PolicyEditorProps {
    kind: &'static str,
    name: String,
    region: String,
    editor: UseStateHandle<Option<(String, String)>>,
}

/// Add or edit an inline policy (PutUserPolicy / PutRolePolicy).
#[component]
fn PolicyEditor(props: &PolicyEditorProps) -> Html {
    let lab = use_lab();
    let (policy_name, text) = props.editor.as_ref().cloned().unwrap_or_default();
    let open = props.editor.is_some();
    let start = {
        let editor = props.editor.clone();
        Callback::from(move |_| {
            editor.set(Some((
                "NewPolicy".into(),
                "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": \"kms:DescribeKey\",\n      \"Resource\": \"*\"\n    }\n  ]\n}".into(),
            )))
        })
    };
    if !open {
        return html! { <button class="btn btn-small" onclick={start}>{ "Add inline policy" }</button> };
    }
    let on_name = {
        let editor = props.editor.clone();
        let text = text.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
                editor.set(Some((i.value(), text.clone())));
            }
        })
    };
    let on_text = {
        let editor = props.editor.clone();
        let name = policy_name.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(t) = e.target_dyn_into::<HtmlTextAreaElement>() {
                editor.set(Some((name.clone(), t.value())));
            }
        })
    };
    let save = {
        let lab = lab.clone();
        let editor = props.editor.clone();
        let (kind, name, region) = (props.kind, props.name.clone(), props.region.clone());
        let (policy_name, text) = (policy_name.clone(), text.clone());
        Callback::from(move |_| {
            let (operation, key) = if kind == "user" {
                ("PutUserPolicy", "UserName")
            } else {
                ("PutRolePolicy", "RoleName")
            };
            crate::hooks::act(
                &lab,
                Action::Call {
                    region: region.clone(),
                    service: "iam",
                    operation,
                    input: json!({ key: name, "PolicyName": policy_name, "PolicyDocument": text }),
                    summary: format!("Saved inline policy {policy_name} on {kind} {name}"),
                },
            );
            editor.set(None);
        })
    };
    let cancel = {
        let editor = props.editor.clone();
        Callback::from(move |_| editor.set(None))
    };
    html! {
        <div class="policy-editor">
            <label class="inline-form">{ "Policy name " }<input class="input" aria-label="Policy name" value={policy_name} oninput={on_name} /></label>
            <textarea class="editor" aria-label="Inline policy JSON" spellcheck="false" value={text} oninput={on_text} />
            <div class="actions">
                <button class="btn btn-primary btn-small" onclick={save}>{ "Save policy" }</button>
                <button class="btn btn-small" onclick={cancel}>{ "Cancel" }</button>
            </div>
        </div>
    }
}
