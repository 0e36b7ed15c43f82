//! The Key policy tab: the console's "default view" (key administrators, key users, other AWS
//! accounts, grants for AWS services, service principals, and whether IAM policies count), read
//! from the typed policy document, then the document and its editor. Saving is a PutKeyPolicy
//! call; an invalid document is refused by KMS, marked where it points, and nothing changes.

use serde_json::json;
use yew::prelude::*;

use super::default_view::{
    ADMINS_SID, USERS_SIDS, edit_principal, has_statement, set_admins_can_delete,
};
use crate::components::policy_editor::PolicyEditor;
use crate::hooks::use_lab;
use crate::views::{KeyPolicyRoles, Peek, key_policy_roles};

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
    let add_admin = use_state(|| None::<String>);
    let add_user = use_state(|| None::<String>);
    // IAM users and roles of the account, for the default view's Add.
    let account_principals = {
        let lab = (*lab).clone();
        let region = props.region.to_string();
        use_memo((lab.revision, lab.identity()), move |_| {
            let mut peek = Peek::new(&lab);
            let mut out = Vec::new();
            for role in [false, true] {
                if let Ok(list) = peek.iam_principals(&region, role) {
                    out.extend(list.into_iter().map(|p| p.arn));
                }
            }
            out
        })
    };
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
    // The default view changes the console's statements; other policies are edited as JSON.
    let put = {
        let (lab, region, key_id) = (
            lab.clone(),
            props.region.to_string(),
            props.key_id.to_string(),
        );
        move |policy: Option<String>, summary: String| {
            let (lab, region, key_id) = (lab.clone(), region.clone(), key_id.clone());
            Callback::from(move |_: MouseEvent| {
                if let Some(p) = &policy {
                    lab.call(
                        region.clone(),
                        "kms",
                        "PutKeyPolicy",
                        json!({ "KeyId": key_id, "PolicyName": "default", "Policy": p }),
                        summary.clone(),
                    );
                }
            })
        }
    };
    let editable = |sids: &[&str]| props.customer_managed && has_statement(&source, sids);
    let role_list = |list: &[String],
                     sids: &'static [&'static str],
                     what: &'static str,
                     none: &str,
                     chosen: &UseStateHandle<Option<String>>| {
        let can_edit = editable(sids);
        let addable: Vec<&String> = account_principals
            .iter()
            .filter(|a| !list.contains(a))
            .collect();
        let pick = (**chosen)
            .clone()
            .filter(|c| addable.contains(&c))
            .or_else(|| addable.first().map(|a| (*a).clone()));
        let on_pick = {
            let chosen = chosen.clone();
            Callback::from(move |e: Event| {
                if let Some(s) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                    chosen.set(Some(s.value()));
                }
            })
        };
        html! {
            <>
            if list.is_empty() {
                <p class="muted small">{ none.to_owned() }</p>
            } else {
                <ul class="small mono plain-list">{ for list.iter().map(|p| {
                    let removal = can_edit.then(|| edit_principal(&source, sids, p, false)).flatten();
                    html! { <li class="break">{ p.clone() }
                        if removal.is_some() {
                            { " " }<button type="button" class="btn btn-small" aria-label={format!("Remove {p} from the {what}")}
                                onclick={put(removal.clone(), format!("Removed {p} from the {what}"))}>{ "Remove" }</button>
                        }
                    </li> }
                }) }</ul>
            }
            if can_edit && pick.is_some() {
                <div class="inline-form">
                    <select class="input" aria-label={format!("Add to the {what}")} onchange={on_pick}>
                        { for addable.iter().map(|a| html! { <option value={(*a).clone()} selected={pick.as_ref() == Some(*a)}>{ (*a).clone() }</option> }) }
                    </select>
                    <button type="button" class="btn btn-small" data-testid={format!("add-{}", what.replace(' ', "-"))}
                        onclick={put(pick.as_ref().and_then(|a| edit_principal(&source, sids, a, true)), format!("Added {} to the {what}", pick.clone().unwrap_or_default()))}>{ "Add" }</button>
                </div>
            }
            </>
        }
    };

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
                { role_list(&admins, &[ADMINS_SID], "key administrators", if iam { "None named: the account's IAM policies decide who administers this key." } else { "None named in the policy." }, &add_admin) }
                <p class="small" data-testid="admins-can-delete">
                    <strong>{ "Key deletion: " }</strong>
                    { if admins.is_empty() { "-" } else if admins_can_delete { "Key administrators may delete this key." } else { "Key administrators may not delete this key." } }
                </p>
                if editable(&[ADMINS_SID]) {
                    <button type="button" class="btn btn-small" data-testid="toggle-admins-delete"
                        onclick={put(set_admins_can_delete(&source, !admins_can_delete), if admins_can_delete { "Key administrators may no longer delete this key".into() } else { "Key administrators may now delete this key".into() })}>
                        { if admins_can_delete { "Disallow key administrators to delete this key" } else { "Allow key administrators to delete this key" } }
                    </button>
                }
            </section>
            <section aria-labelledby="kp-users">
                <h3 id="kp-users">{ "Key users" }</h3>
                { role_list(&users, &USERS_SIDS, "key users", if iam { "None named: the account's IAM policies decide who uses this key." } else { "None named in the policy." }, &add_user) }
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
