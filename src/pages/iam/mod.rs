//! IAM (enough for the lab): users and roles (create, delete), their inline policies (added,
//! edited and deleted in the policy editor), AWS and customer managed policies (attach,
//! detach; customer managed ones are created and versioned in `policies`), a role's
//! trust policy, and "sign in as" through the matching profile. Every change is an IAM call as
//! the current profile, so it is audited and can be denied.

mod policies;
mod principal;

use serde_json::Value;
use yew::prelude::*;

use crate::hooks::use_lab;
use crate::views::{Peek, ViewError};
use policies::CustomerPolicies;
use principal::{CreatePrincipal, PrincipalDetail};

/// A user or role with its policies, as the page shows it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Principal {
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
    let creating = use_state(|| None::<&'static str>);
    let principals = {
        let lab = (*lab).clone();
        let region = id.region.clone();
        use_memo((lab.revision, id.clone()), move |_| load(&lab, &region))
    };
    // The account's customer managed policies, read once per revision: the Policies panel
    // shows them, a user's or role's page offers them to attach.
    let customer = {
        let lab = (*lab).clone();
        let region = id.region.clone();
        use_memo((lab.revision, id.clone()), move |_| {
            policies::load(&lab, &region)
        })
    };
    let customer_arns: Vec<String> = customer
        .as_ref()
        .as_ref()
        .map(|l| l.iter().map(|p| p.policy.arn.clone()).collect())
        .unwrap_or_default();
    // A created user or role is selected once IAM answered it.
    {
        let selected = selected.clone();
        let creating = creating.clone();
        use_effect_with(lab.last_call.clone(), move |last| {
            if let Some(outcome) = last
                && let Ok(v) = &outcome.result
                && matches!(outcome.operation.as_str(), "CreateUser" | "CreateRole")
            {
                let arn = v
                    .get("User")
                    .or_else(|| v.get("Role"))
                    .and_then(|x| x.get("Arn"))
                    .and_then(Value::as_str);
                if let Some(arn) = arn {
                    selected.set(Some(arn.to_owned()));
                }
                creating.set(None);
            }
        });
    }

    let body = match &*principals {
        Err(e) => crate::pages::error_box(e),
        Ok(list) => {
            let current = selected
                .as_ref()
                .and_then(|arn| list.iter().find(|p| &p.arn == arn))
                .or_else(|| list.first());
            let start = |kind: &'static str| {
                let creating = creating.clone();
                Callback::from(move |_: MouseEvent| creating.set(Some(kind)))
            };
            html! {
                <div class="split">
                    <div class="panel split-list">
                        <div class="panel-header"><h2>{ format!("Users and roles ({})", list.len()) }</h2></div>
                        <ul class="plain-list" data-testid="iam-principals">
                            { for list.iter().map(|p| {
                                let arn = p.arn.clone();
                                let sel = selected.clone();
                                let creating = creating.clone();
                                let active = creating.is_none() && current.map(|c| c.arn == p.arn).unwrap_or(false);
                                html! { <li><button type="button" class={classes!("linkish", active.then_some("active-item"))} aria-current={active.then_some("true")}
                                    onclick={Callback::from(move |_| { creating.set(None); sel.set(Some(arn.clone())) })}>
                                    <span class="badge">{ p.kind }</span>{ " " }{ p.name.clone() }</button></li> }
                            }) }
                        </ul>
                        <div class="actions">
                            <button type="button" class="btn btn-small" onclick={start("user")} data-testid="create-user">{ "Create user" }</button>
                            <button type="button" class="btn btn-small" onclick={start("role")} data-testid="create-role">{ "Create role" }</button>
                        </div>
                    </div>
                    if let Some(kind) = *creating {
                        <CreatePrincipal {kind} account={id.account.clone()} region={id.region.clone()}
                            on_cancel={{ let c = creating.clone(); Callback::from(move |()| c.set(None)) }} />
                    } else if let Some(p) = current {
                        <PrincipalDetail principal={p.clone()} region={id.region.clone()} customer={customer_arns.clone()} key={p.arn.clone()} />
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
            <CustomerPolicies region={id.region.clone()} policies={customer.clone()} />
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
