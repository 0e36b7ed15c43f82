//! One IAM user or role: "sign in as", its permissions (AWS managed policies attached and
//! detached, inline policies added, edited and deleted in the policy editor), a role's trust
//! policy, and Delete; and the Create user / Create role forms.

use serde_json::{Value, json};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::Principal;
use crate::components::dialog::Dialog;
use crate::components::policy_editor::PolicyEditor;
use crate::hooks::{Lab, use_lab};

/// AWS managed policies the lab's IAM knows (AttachUserPolicy / AttachRolePolicy accept these).
const MANAGED: [&str; 4] = [
    "AdministratorAccess",
    "PowerUserAccess",
    "ReadOnlyAccess",
    "AmazonS3FullAccess",
];

const NEW_POLICY: &str = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": \"kms:DescribeKey\",\n      \"Resource\": \"*\"\n    }\n  ]\n}";

/// The trust policy a new role starts with: the account may assume it (its IAM policies decide who).
pub fn account_trust(account: &str) -> String {
    format!(
        "{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {{\n      \"Effect\": \"Allow\",\n      \"Principal\": {{ \"AWS\": \"arn:aws:iam::{account}:root\" }},\n      \"Action\": \"sts:AssumeRole\"\n    }}\n  ]\n}}"
    )
}

/// The IAM operation and name member for a user's or a role's `verb` (`Put`, `Delete`,
/// `Attach`, `Detach` + `Policy`).
fn op(kind: &str, verb: &str) -> (&'static str, &'static str) {
    let user = kind == "user";
    let name = if user { "UserName" } else { "RoleName" };
    let operation = match (verb, user) {
        ("Put", true) => "PutUserPolicy",
        ("Put", false) => "PutRolePolicy",
        ("Delete", true) => "DeleteUserPolicy",
        ("Delete", false) => "DeleteRolePolicy",
        ("Attach", true) => "AttachUserPolicy",
        ("Attach", false) => "AttachRolePolicy",
        ("Detach", true) => "DetachUserPolicy",
        _ => "DetachRolePolicy",
    };
    (operation, name)
}

fn iam(lab: &Lab, region: &str, operation: &'static str, input: Value, summary: String) {
    lab.call(region.to_owned(), "iam", operation, input, summary);
}

#[derive(Properties, PartialEq, Debug)]
pub struct PrincipalDetailProps {
    pub principal: Principal,
    pub region: AttrValue,
    /// The ARNs of the account's customer managed policies (what may be attached).
    pub customer: Vec<String>,
}

/// The inline policy being edited: (name, text it opened on, whether it is new).
type Editing = Option<(String, String, bool)>;

#[component]
pub fn PrincipalDetail(props: &PrincipalDetailProps) -> Html {
    let lab = use_lab();
    let p = &props.principal;
    let id = lab.identity();
    let editing = use_state(|| None::<(String, String, bool)> as Editing);
    let new_name = use_state(|| "NewPolicy".to_owned());
    let error = use_state(|| None::<String>);
    let attach = use_state(|| None::<String>);
    let attach_customer = use_state(|| None::<String>);
    let deleting = use_state(|| false);
    let profiles = lab.with_session(|s| s.world.profiles());
    // Close the editor once IAM saved the policy; keep it open with IAM's error otherwise.
    {
        let (editing, error) = (editing.clone(), error.clone());
        use_effect_with(lab.last_call.clone(), move |last| {
            if let Some(outcome) = last
                && matches!(
                    outcome.operation.as_str(),
                    "PutUserPolicy" | "PutRolePolicy"
                )
            {
                match &outcome.result {
                    Ok(_) => {
                        editing.set(None);
                        error.set(None);
                    }
                    Err(e) => error.set(Some(format!("{}: {}", e.code, e.message))),
                }
            }
        });
    }
    let kind = p.kind;
    let region = props.region.to_string();

    let editor = match &*editing {
        None => {
            let editing = editing.clone();
            let new_name = new_name.clone();
            html! { <button type="button" class="btn btn-small" data-testid="add-inline-policy" onclick={Callback::from(move |_| {
                new_name.set("NewPolicy".into());
                editing.set(Some(("NewPolicy".into(), NEW_POLICY.into(), true)));
            })}>{ "Add inline policy" }</button> }
        }
        Some((name, text, is_new)) => {
            let policy_name = if *is_new {
                (*new_name).clone()
            } else {
                name.clone()
            };
            let on_save = {
                let (lab, region, principal) = (lab.clone(), region.clone(), p.name.clone());
                let policy_name = policy_name.clone();
                Callback::from(move |text: String| {
                    let (operation, member) = op(kind, "Put");
                    iam(
                        &lab,
                        &region,
                        operation,
                        json!({ member: principal, "PolicyName": policy_name, "PolicyDocument": text }),
                        format!("Saved inline policy {policy_name} on {kind} {principal}"),
                    );
                })
            };
            let on_cancel = {
                let (editing, error) = (editing.clone(), error.clone());
                Callback::from(move |()| {
                    editing.set(None);
                    error.set(None);
                })
            };
            let on_name = {
                let new_name = new_name.clone();
                Callback::from(move |e: InputEvent| {
                    if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
                        new_name.set(i.value());
                    }
                })
            };
            html! {
                <div class="policy-editor" data-testid="inline-policy-editor">
                    <h4 class="policy-name">{ if *is_new { "New inline policy".to_owned() } else { format!("Edit {name}") } }</h4>
                    if *is_new {
                        <label class="inline-form">{ "Policy name " }<input class="input" aria-label="Policy name" value={(*new_name).clone()} oninput={on_name} /></label>
                    }
                    <PolicyEditor value={text.clone()} label="Inline policy JSON" testid="inline-policy-json" save_label="Save policy"
                        {on_save} on_cancel={Some(on_cancel)} error={(*error).clone().map(AttrValue::from)} syntax_code="MalformedPolicyDocument" />
                </div>
            }
        }
    };

    // By ARN: a customer managed policy may share an AWS managed policy's name.
    let free: Vec<&str> = MANAGED
        .iter()
        .copied()
        .filter(|m| {
            !p.attached
                .iter()
                .any(|a| *a == format!("arn:aws:iam::aws:policy/{m}"))
        })
        .collect();
    let chosen = (*attach)
        .clone()
        .filter(|c| free.contains(&c.as_str()))
        .or_else(|| free.first().map(|s| (*s).to_owned()));
    let on_attach = {
        let (lab, region, principal, chosen) =
            (lab.clone(), region.clone(), p.name.clone(), chosen.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(name) = &chosen {
                let (operation, member) = op(kind, "Attach");
                iam(
                    &lab,
                    &region,
                    operation,
                    json!({ member: principal, "PolicyArn": format!("arn:aws:iam::aws:policy/{name}") }),
                    format!("Attached {name} to {kind} {principal}"),
                );
            }
        })
    };
    let free_customer: Vec<&String> = props
        .customer
        .iter()
        .filter(|arn| !p.attached.contains(arn))
        .collect();
    let chosen_customer = (*attach_customer)
        .clone()
        .filter(|c| free_customer.contains(&c))
        .or_else(|| free_customer.first().map(|s| (*s).clone()));
    let on_attach_customer = {
        let (lab, region, principal, chosen) = (
            lab.clone(),
            region.clone(),
            p.name.clone(),
            chosen_customer.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(arn) = &chosen {
                let (operation, member) = op(kind, "Attach");
                let short = arn.rsplit('/').next().unwrap_or(arn);
                iam(
                    &lab,
                    &region,
                    operation,
                    json!({ member: principal, "PolicyArn": arn }),
                    format!("Attached {short} to {kind} {principal}"),
                );
            }
        })
    };
    let on_choose_customer = {
        let attach = attach_customer.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = e.target_dyn_into::<HtmlSelectElement>() {
                attach.set(Some(s.value()));
            }
        })
    };
    let on_choose = {
        let attach = attach.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = e.target_dyn_into::<HtmlSelectElement>() {
                attach.set(Some(s.value()));
            }
        })
    };

    html! {
        <div class="panel split-detail" data-testid="iam-detail">
            <div class="panel-header"><h2 class="mono break">{ p.arn.clone() }</h2>
                { for profiles.iter().filter(|pr| pr.principal_arn.as_deref() == Some(&p.arn) || pr.role_arn.as_deref() == Some(&p.arn)).map(|pr| {
                    let lab = lab.clone();
                    let name = pr.name.clone();
                    let active = name == id.profile;
                    html! { <button type="button" class="btn btn-small" disabled={active} data-testid="sign-in-as" onclick={Callback::from(move |_| lab.use_profile(name.clone()))}>
                        { if active { format!("Signed in as profile {}", pr.name) } else { format!("Sign in as (profile {})", pr.name) } }</button> }
                }) }
            </div>
            <h3>{ "Attached managed policies" }</h3>
            if p.attached.is_empty() { <p class="muted">{ "None" }</p> } else {
                <div class="table-wrap"><table class="table" data-testid="attached-policies">
                    <thead><tr><th scope="col">{ "Policy name" }</th><th scope="col">{ "Type" }</th><th scope="col"><span class="sr-only">{ "Actions" }</span></th></tr></thead>
                    <tbody>
                    { for p.attached.iter().map(|arn| {
                        let short = arn.rsplit('/').next().unwrap_or(arn).to_owned();
                        let detach = {
                            let (lab, region, principal, arn, short) = (lab.clone(), region.clone(), p.name.clone(), arn.clone(), short.clone());
                            Callback::from(move |_: MouseEvent| {
                                let (operation, member) = op(kind, "Detach");
                                iam(&lab, &region, operation, json!({ member: principal, "PolicyArn": arn }), format!("Detached {short} from {kind} {principal}"));
                            })
                        };
                        html! { <tr>
                            <td class="mono small" title={arn.clone()}>{ short.clone() }</td>
                            <td class="small">{ if arn.starts_with("arn:aws:iam::aws:") { "AWS managed" } else { "Customer managed" } }</td>
                            <td><button type="button" class="btn btn-small" aria-label={if arn.starts_with("arn:aws:iam::aws:") { format!("Detach {short}") } else { format!("Detach {short} (customer managed)") }} onclick={detach}>{ "Detach" }</button></td>
                        </tr> }
                    }) }
                    </tbody>
                </table></div>
            }
            if !free.is_empty() {
                <form class="inline-form" onsubmit={on_attach} data-testid="attach-form">
                    <label>{ "AWS managed policy " }
                        <select class="input" aria-label="AWS managed policy" onchange={on_choose}>
                            { for free.iter().map(|m| html! { <option value={*m} selected={chosen.as_deref() == Some(*m)}>{ *m }</option> }) }
                        </select>
                    </label>
                    <button type="submit" class="btn btn-small">{ "Attach policy" }</button>
                </form>
            }
            if !free_customer.is_empty() {
                <form class="inline-form" onsubmit={on_attach_customer} data-testid="attach-customer-form">
                    <label>{ "Customer managed policy " }
                        <select class="input" aria-label="Customer managed policy" onchange={on_choose_customer}>
                            { for free_customer.iter().map(|a| html! { <option value={(*a).clone()} selected={chosen_customer.as_ref() == Some(*a)}>{ a.rsplit('/').next().unwrap_or(a).to_owned() }</option> }) }
                        </select>
                    </label>
                    <button type="submit" class="btn btn-small">{ "Attach policy" }</button>
                </form>
            }
            <h3>{ "Inline policies" }</h3>
            if p.inline.is_empty() { <p class="muted">{ "None" }</p> }
            { for p.inline.iter().map(|(n, doc)| {
                let edit = {
                    let (editing, error) = (editing.clone(), error.clone());
                    let (n2, d2) = (n.clone(), doc.clone());
                    Callback::from(move |_| {
                        error.set(None);
                        editing.set(Some((n2.clone(), d2.clone(), false)));
                    })
                };
                let delete = {
                    let (lab, region, principal, n) = (lab.clone(), region.clone(), p.name.clone(), n.clone());
                    Callback::from(move |_: MouseEvent| {
                        let (operation, member) = op(kind, "Delete");
                        iam(&lab, &region, operation, json!({ member: principal, "PolicyName": n }), format!("Deleted inline policy {n} from {kind} {principal}"));
                    })
                };
                html! { <div data-testid="inline-policy" data-policy-name={n.clone()}>
                    <div class="actions"><h4 class="policy-name">{ n.clone() }</h4>
                        <button type="button" class="btn btn-small" aria-label={format!("Edit {n}")} onclick={edit}>{ "Edit" }</button>
                        <button type="button" class="btn btn-small" aria-label={format!("Remove {n}")} onclick={delete}>{ "Remove" }</button>
                    </div>
                    <pre class="code" data-testid="policy-text">{ doc.clone() }</pre>
                </div> }
            }) }
            { editor }
            if let Some(t) = &p.trust {
                <h3>{ "Trust policy (who may assume this role)" }</h3>
                <pre class="code" data-testid="trust-policy">{ t.clone() }</pre>
            }
            <h3>{ format!("Delete {kind}") }</h3>
            <p class="help">{ format!("IAM refuses to delete a {kind} that still has policies (DeleteConflict): remove its inline policies and detach its managed policies first.") }</p>
            <button type="button" class="btn btn-small btn-danger" data-testid="delete-principal" onclick={{ let d = deleting.clone(); Callback::from(move |_| d.set(true)) }}>{ format!("Delete {kind}") }</button>
            if *deleting {
                <DeletePrincipal kind={kind} name={p.name.clone()} region={region.clone()} on_close={{ let d = deleting.clone(); Callback::from(move |()| d.set(false)) }} />
            }
        </div>
    }
}

#[derive(Properties, PartialEq, Debug)]
struct DeleteProps {
    kind: &'static str,
    name: AttrValue,
    region: AttrValue,
    on_close: Callback<()>,
}

/// The IAM console's delete confirmation: type the name to enable Delete.
#[component]
fn DeletePrincipal(props: &DeleteProps) -> Html {
    let lab = use_lab();
    let typed = use_state(String::new);
    let matches = typed.trim() == props.name.as_str();
    let delete = {
        let (lab, region, name, kind, close) = (
            lab.clone(),
            props.region.to_string(),
            props.name.to_string(),
            props.kind,
            props.on_close.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let (operation, member) = if kind == "user" {
                ("DeleteUser", "UserName")
            } else {
                ("DeleteRole", "RoleName")
            };
            iam(
                &lab,
                &region,
                operation,
                json!({ member: name }),
                format!("Deleted {kind} {name}"),
            );
            close.emit(());
        })
    };
    let oninput = {
        let typed = typed.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
                typed.set(i.value());
            }
        })
    };
    let footer = html! {
        <>
        <button type="button" class="btn btn-small" onclick={props.on_close.reform(|_: MouseEvent| ())}>{ "Cancel" }</button>
        <button type="button" class="btn btn-danger btn-small" disabled={!matches} onclick={delete} data-testid="confirm-delete-principal">{ "Delete" }</button>
        </>
    };
    html! {
        <Dialog title={format!("Delete {} {}?", props.kind, props.name)} on_close={props.on_close.clone()} testid="delete-principal-dialog" {footer}>
            <p>{ format!("Anything that signs in as this {} loses its access. This cannot be undone.", props.kind) }</p>
            <label class="dialog-field">{ format!("To confirm deletion, enter the {} name", props.kind) }
                <input class="input" value={(*typed).clone()} {oninput} placeholder={props.name.clone()} />
            </label>
        </Dialog>
    }
}

#[derive(Properties, PartialEq, Debug)]
pub struct CreateProps {
    pub kind: &'static str,
    pub account: AttrValue,
    pub region: AttrValue,
    pub on_cancel: Callback<()>,
}

/// Create user (a name) or Create role (a name and its trust policy, in the policy editor).
#[component]
pub fn CreatePrincipal(props: &CreateProps) -> Html {
    let lab = use_lab();
    let name = use_state(String::new);
    let error = use_state(|| None::<String>);
    {
        let error = error.clone();
        use_effect_with(lab.last_call.clone(), move |last| {
            if let Some(outcome) = last
                && outcome.operation == "CreateRole"
                && let Err(e) = &outcome.result
            {
                error.set(Some(format!("{}: {}", e.code, e.message)));
            }
        });
    }
    let on_name = {
        let name = name.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
                name.set(i.value());
            }
        })
    };
    let is_user = props.kind == "user";
    let region = props.region.to_string();
    let form = if is_user {
        let create = {
            let (lab, region, name) = (lab.clone(), region.clone(), name.clone());
            Callback::from(move |e: SubmitEvent| {
                e.prevent_default();
                let n = name.trim().to_owned();
                iam(
                    &lab,
                    &region,
                    "CreateUser",
                    json!({ "UserName": n }),
                    format!("Created user {n}"),
                );
            })
        };
        html! {
            <form class="inline-form" onsubmit={create}>
                <label>{ "User name " }<input class="input" aria-label="User name" value={(*name).clone()} oninput={on_name} /></label>
                <button type="submit" class="btn btn-primary btn-small" data-testid="confirm-create-user">{ "Create user" }</button>
            </form>
        }
    } else {
        let on_save = {
            let (lab, region, name) = (lab.clone(), region.clone(), name.clone());
            Callback::from(move |trust: String| {
                let n = name.trim().to_owned();
                iam(
                    &lab,
                    &region,
                    "CreateRole",
                    json!({ "RoleName": n, "AssumeRolePolicyDocument": trust }),
                    format!("Created role {n}"),
                );
            })
        };
        html! {
            <>
            <label class="inline-form">{ "Role name " }<input class="input" aria-label="Role name" value={(*name).clone()} oninput={on_name} /></label>
            <h3>{ "Trust policy" }</h3>
            <p class="help">{ "Who may assume the role (sts:AssumeRole). Trusting the account root lets the account's IAM policies decide." }</p>
            <PolicyEditor value={account_trust(&props.account)} label="Trust policy JSON" testid="trust-policy-json" save_label="Create role"
                {on_save} error={(*error).clone().map(AttrValue::from)} syntax_code="MalformedPolicyDocument" />
            </>
        }
    };
    html! {
        <div class="panel split-detail" data-testid="iam-create">
            <div class="panel-header"><h2>{ if is_user { "Create user" } else { "Create role" } }</h2></div>
            { form }
            <div class="actions"><button type="button" class="btn btn-small" onclick={props.on_cancel.reform(|_: MouseEvent| ())}>{ "Cancel" }</button></div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_follow_the_principal_kind() {
        assert_eq!(op("user", "Put"), ("PutUserPolicy", "UserName"));
        assert_eq!(op("role", "Put"), ("PutRolePolicy", "RoleName"));
        assert_eq!(op("role", "Detach"), ("DetachRolePolicy", "RoleName"));
        assert_eq!(op("user", "Attach"), ("AttachUserPolicy", "UserName"));
        assert_eq!(op("user", "Delete"), ("DeleteUserPolicy", "UserName"));
    }

    #[test]
    fn a_new_role_trusts_its_account_and_iam_accepts_it() {
        let mut session = awscli::Session::new(1, 0);
        let world = &mut session.world;
        let ctx = world.context_for_profile(None, Some("us-east-1")).unwrap();
        let made = world.call(
            &ctx,
            "iam",
            "CreateRole",
            json!({ "RoleName": "Auditor", "AssumeRolePolicyDocument": account_trust("111122223333") }),
        );
        assert!(made.is_ok(), "{made:?}");
        let new_inline = world.call(
            &ctx,
            "iam",
            "PutRolePolicy",
            json!({ "RoleName": "Auditor", "PolicyName": "P", "PolicyDocument": NEW_POLICY }),
        );
        assert!(new_inline.is_ok(), "{new_inline:?}");
        for m in MANAGED {
            let attached = world.call(
                &ctx,
                "iam",
                "AttachRolePolicy",
                json!({ "RoleName": "Auditor", "PolicyArn": format!("arn:aws:iam::aws:policy/{m}") }),
            );
            assert!(attached.is_ok(), "{m}: {attached:?}");
        }
    }
}
