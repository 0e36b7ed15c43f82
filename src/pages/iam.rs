//! IAM (enough for the lab): users and roles, their inline and attached policies, a JSON editor
//! for inline policies, and "sign in as" through the matching profile.

use serde_json::{Value, json};
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::hooks::use_lab;
use crate::views::{Peek, ViewError};

#[derive(Clone, Debug, PartialEq)]
struct Principal {
    kind: &'static str,
    name: String,
    arn: String,
    inline: Vec<(String, String)>,
    attached: Vec<String>,
    trust: Option<String>,
}

/// A policy document as IAM's API answers it, as indented JSON text. The lab's IAM answers with
/// the document as a JSON object (what aws-cli prints after decoding); AWS's wire format is a
/// URL-encoded string. Both are accepted; `None` when there is no document.
pub fn policy_text(doc: &Value) -> Option<String> {
    match doc {
        Value::Object(_) => serde_json::to_string_pretty(doc).ok(),
        Value::String(text) if !text.trim().is_empty() => {
            let decoded = if text.trim_start().starts_with('{') {
                text.clone()
            } else {
                js_free_url_decode(text)
            };
            Some(
                serde_json::from_str::<Value>(&decoded)
                    .ok()
                    .and_then(|v| serde_json::to_string_pretty(&v).ok())
                    .unwrap_or(decoded),
            )
        }
        _ => None,
    }
}

/// Percent-decoding (`%7B` → `{`, `+` kept), without the browser, so it is tested natively.
fn js_free_url_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push((hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0)) as u8);
                i += 3;
            }
            (b, ..) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn load(lab: &crate::state::LabState, region: &str) -> Result<Vec<Principal>, ViewError> {
    let mut peek = Peek::new(lab);
    let mut out = Vec::new();
    for (kind, role) in [("user", false), ("role", true)] {
        for p in peek.iam_principals(region, role)? {
            let name = p.name;
            let mut inline = Vec::new();
            for pn in peek
                .iam_inline_policy_names(region, role, &name)
                .unwrap_or_default()
            {
                if let Ok(doc) = peek.iam_inline_policy(region, role, &name, &pn)
                    && let Some(text) = policy_text(&doc)
                {
                    inline.push((pn, text));
                }
            }
            let attached = peek
                .iam_attached_policies(region, role, &name)
                .map(|list| list.into_iter().map(|a| a.policy_arn).collect())
                .unwrap_or_default();
            out.push(Principal {
                kind,
                arn: p.arn,
                trust: p.trust.as_ref().and_then(policy_text),
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
        Err(e) => crate::pages::error_box(e),
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
                                    html! { <button class="btn btn-small" disabled={active} onclick={Callback::from(move |_| lab.use_profile(name.clone()))}>
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
                                html! { <div data-testid="inline-policy" data-policy-name={n.clone()}><div class="actions"><h4 class="policy-name">{ n.clone() }</h4>
                                    <button class="btn btn-small" aria-label={format!("Edit {n}")} onclick={Callback::from(move |_| editor.set(Some((n2.clone(), d2.clone()))))}>{ "Edit" }</button></div>
                                    <pre class="code" data-testid="policy-text">{ doc.clone() }</pre></div> }
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
            lab.call(
                region.clone(),
                "iam",
                operation,
                json!({ key: name, "PolicyName": policy_name, "PolicyDocument": text }),
                format!("Saved inline policy {policy_name} on {kind} {name}"),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_documents_render_as_object_string_or_url_encoded() {
        let doc = json!({ "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*" }] });
        let from_object = policy_text(&doc).unwrap();
        assert!(from_object.contains("\"kms:Decrypt\""), "{from_object}");
        assert_eq!(policy_text(&json!(doc.to_string())).unwrap(), from_object);
        let encoded = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22kms%3ADecrypt%22%2C%22Resource%22%3A%22%2A%22%7D%5D%7D";
        assert_eq!(policy_text(&json!(encoded)).unwrap(), from_object);
        assert_eq!(policy_text(&Value::Null), None);
        assert_eq!(policy_text(&json!("  ")), None);
    }

    #[test]
    fn app_roles_inline_policy_is_read_from_the_world() {
        let lab = crate::state::LabState::new(awscli::Session::new(1, 0), None);
        let principals = load(&lab, "us-east-1").unwrap();
        let app = principals.iter().find(|p| p.name == "AppRole").unwrap();
        let (name, text) = app.inline.iter().find(|(n, _)| n == "AppKeyUse").unwrap();
        assert_eq!(name, "AppKeyUse");
        assert!(text.contains("kms:"), "AppKeyUse shown as {text:?}");
        assert!(
            app.trust
                .as_deref()
                .is_some_and(|t| t.contains("sts:AssumeRole"))
        );
    }
}
