//! The Key policy tab: the console's "default view" (key administrators, key users, other AWS
//! accounts, grants for AWS services, service principals, and whether IAM policies count), read
//! from the typed policy document, then the document and its editor. Saving is a PutKeyPolicy
//! call; an invalid document is refused by KMS, marked where it points, and nothing changes.

use serde_json::json;
use yew::prelude::*;

use crate::components::policy_editor::PolicyEditor;
use crate::hooks::use_lab;
use crate::views::{KeyPolicyRoles, key_policy_roles};

#[derive(Properties, PartialEq, Debug)]
pub struct PolicyTabProps {
    pub region: AttrValue,
    pub key_id: AttrValue,
    pub account: AttrValue,
    pub doc: policy::PolicyDocument,
    /// AWS managed keys' policies cannot be changed.
    pub customer_managed: bool,
}

fn principal_list(list: &[String], none: &str) -> Html {
    if list.is_empty() {
        return html! { <p class="muted small">{ none.to_owned() }</p> };
    }
    html! { <ul class="small mono plain-list">{ for list.iter().map(|p| html! { <li class="break">{ p.clone() }</li> }) }</ul> }
}

/// The document as the read-only policy view shows it: indented when it parses (the stored text
/// is what the editor opens on).
fn pretty(source: &str) -> String {
    serde_json::from_str::<serde_json::Value>(source)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| source.to_owned())
}

#[component]
pub fn PolicyTab(props: &PolicyTabProps) -> Html {
    let lab = use_lab();
    let editing = use_state(|| false);
    let error = use_state(|| None::<String>);
    // Close the editor once a save succeeded; keep it (and the text) open with the error on failure.
    {
        let editing = editing.clone();
        let error = error.clone();
        use_effect_with(lab.last_call.clone(), move |last| {
            if let Some(outcome) = last
                && outcome.operation == "PutKeyPolicy"
            {
                match &outcome.result {
                    Ok(_) => {
                        editing.set(false);
                        error.set(None);
                    }
                    Err(e) => error.set(Some(format!("{}: {}", e.code, e.message))),
                }
            }
        });
    }
    let source = props.doc.source().to_owned();
    let KeyPolicyRoles {
        admins,
        users,
        iam,
        other_accounts,
        service_grants,
        services,
        admins_can_delete,
    } = key_policy_roles(&props.doc, &props.account);
    let users: Vec<String> = users
        .into_iter()
        .filter(|u| !other_accounts.contains(u))
        .collect();

    let editor = if *editing {
        let on_save = {
            let (lab, region, key_id) = (
                lab.clone(),
                props.region.to_string(),
                props.key_id.to_string(),
            );
            Callback::from(move |text: String| {
                lab.call(
                    region.clone(),
                    "kms",
                    "PutKeyPolicy",
                    json!({ "KeyId": key_id, "PolicyName": "default", "Policy": text }),
                    "Saved the key policy",
                );
            })
        };
        let on_cancel = {
            let (editing, error) = (editing.clone(), error.clone());
            Callback::from(move |()| {
                editing.set(false);
                error.set(None);
            })
        };
        let on_change = {
            let error = error.clone();
            Callback::from(move |_: String| error.set(None))
        };
        html! {
            <>
            <p class="help">{ "Edit the JSON policy document. Save checks the JSON syntax here; KMS then validates the policy (elements, principals, and the lockout safety check) and refuses an invalid document: nothing is saved." }</p>
            <PolicyEditor value={source.clone()} label="Key policy JSON" {on_save} on_cancel={Some(on_cancel)} on_change={Some(on_change)}
                error={(*error).clone().map(AttrValue::from)} syntax_code="MalformedPolicyDocumentException" />
            </>
        }
    } else {
        let edit = {
            let editing = editing.clone();
            Callback::from(move |_: MouseEvent| editing.set(true))
        };
        html! {
            <>
            if props.customer_managed {
                <div class="actions"><button type="button" class="btn btn-small" onclick={edit} data-testid="edit-policy">{ "Edit" }</button></div>
            }
            <pre class="code" data-testid="key-policy">{ pretty(&source) }</pre>
            </>
        }
    };

    html! {
        <>
        <div class="default-view" data-testid="policy-default-view">
            <section aria-labelledby="kp-admins">
                <h3 id="kp-admins">{ "Key administrators" }</h3>
                { principal_list(&admins, if iam { "None named: the account's IAM policies decide who administers this key." } else { "None named in the policy." }) }
                <p class="small" data-testid="admins-can-delete">
                    <strong>{ "Key deletion: " }</strong>
                    { if admins.is_empty() { "-" } else if admins_can_delete { "Key administrators may delete this key." } else { "Key administrators may not delete this key." } }
                </p>
            </section>
            <section aria-labelledby="kp-users">
                <h3 id="kp-users">{ "Key users" }</h3>
                { principal_list(&users, if iam { "None named: the account's IAM policies decide who uses this key." } else { "None named in the policy." }) }
            </section>
            <section aria-labelledby="kp-other">
                <h3 id="kp-other">{ "Other AWS accounts" }</h3>
                { principal_list(&other_accounts, "None: only this account can use the key.") }
                if !other_accounts.is_empty() {
                    <p class="small">{ "Administrators in those accounts must also allow their users and roles to use this key in IAM policies." }</p>
                }
            </section>
            <section aria-labelledby="kp-grants">
                <h3 id="kp-grants">{ "Use with AWS services (grants)" }</h3>
                { principal_list(&service_grants, "No statement lets key users create grants for AWS resources (kms:GrantIsForAWSResource).") }
                if !services.is_empty() {
                    <p class="small">{ "Service principals: " }<span class="mono">{ services.join(", ") }</span></p>
                }
            </section>
            <section aria-labelledby="kp-iam">
                <h3 id="kp-iam">{ "IAM policies in the account" }</h3>
                <p class="small">{ if iam { "Can grant access (the key policy trusts the account root)." } else { "Have NO effect on this key: no statement trusts the account root." } }</p>
            </section>
        </div>
        <h3>{ "Policy view" }</h3>
        { editor }
        </>
    }
}
