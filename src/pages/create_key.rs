//! Console: the Create key wizard. It builds the same key policy the AWS console generates
//! (key-policy-default.html: root statement, key administrators, key users, persistent
//! resources) and calls CreateKey (+ CreateAlias) through the entry point.

use serde_json::{Value, json};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::hooks::use_lab;
use crate::state::Action;
use crate::views::{Peek, created_key_id};

/// The wizard's `CreateKey` request (members in the order the console sends them).
#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "PascalCase")]
struct CreateKeyInput {
    key_spec: String,
    key_usage: String,
    origin: String,
    multi_region: bool,
    policy: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
}

/// Key administrator actions in the console's default policy.
const ADMIN_ACTIONS: [&str; 15] = [
    "kms:Create*",
    "kms:Describe*",
    "kms:Enable*",
    "kms:List*",
    "kms:Put*",
    "kms:Update*",
    "kms:Revoke*",
    "kms:Disable*",
    "kms:Get*",
    "kms:Delete*",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:ScheduleKeyDeletion",
    "kms:CancelKeyDeletion",
    "kms:RotateKeyOnDemand",
];

/// Key specs offered per key type and usage.
fn specs(key_type: &str, usage: &str) -> &'static [&'static str] {
    match (key_type, usage) {
        ("SYMMETRIC", _) => &["SYMMETRIC_DEFAULT"],
        ("HMAC", _) => &["HMAC_224", "HMAC_256", "HMAC_384", "HMAC_512"],
        ("ASYMMETRIC", "ENCRYPT_DECRYPT") => &["RSA_2048", "RSA_3072", "RSA_4096"],
        ("ASYMMETRIC", "KEY_AGREEMENT") => &["ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521"],
        _ => &[
            "RSA_2048",
            "RSA_3072",
            "RSA_4096",
            "ECC_NIST_P256",
            "ECC_NIST_P384",
            "ECC_NIST_P521",
            "ECC_SECG_P256K1",
            "ECC_NIST_EDWARDS25519",
        ],
    }
}

fn usages(key_type: &str) -> &'static [&'static str] {
    match key_type {
        "SYMMETRIC" => &["ENCRYPT_DECRYPT"],
        "HMAC" => &["GENERATE_VERIFY_MAC"],
        _ => &["ENCRYPT_DECRYPT", "SIGN_VERIFY", "KEY_AGREEMENT"],
    }
}

/// The key policy the console generates for these administrators and users.
pub fn console_policy(account: &str, admins: &[String], users: &[String], usage: &str) -> Value {
    let mut statements = vec![json!({
        "Sid": "Enable IAM User Permissions",
        "Effect": "Allow",
        "Principal": { "AWS": format!("arn:aws:iam::{account}:root") },
        "Action": "kms:*",
        "Resource": "*"
    })];
    if !admins.is_empty() {
        statements.push(json!({
            "Sid": "Allow access for Key Administrators",
            "Effect": "Allow",
            "Principal": { "AWS": admins },
            "Action": ADMIN_ACTIONS,
            "Resource": "*"
        }));
    }
    if !users.is_empty() {
        let use_actions: Vec<&str> = match usage {
            "SIGN_VERIFY" => vec![
                "kms:DescribeKey",
                "kms:GetPublicKey",
                "kms:Sign",
                "kms:Verify",
            ],
            "GENERATE_VERIFY_MAC" => vec!["kms:DescribeKey", "kms:GenerateMac", "kms:VerifyMac"],
            "KEY_AGREEMENT" => vec![
                "kms:DescribeKey",
                "kms:GetPublicKey",
                "kms:DeriveSharedSecret",
            ],
            _ => vec![
                "kms:Encrypt",
                "kms:Decrypt",
                "kms:ReEncrypt*",
                "kms:GenerateDataKey*",
                "kms:DescribeKey",
            ],
        };
        statements.push(json!({
            "Sid": "Allow use of the key",
            "Effect": "Allow",
            "Principal": { "AWS": users },
            "Action": use_actions,
            "Resource": "*"
        }));
        if usage == "ENCRYPT_DECRYPT" {
            statements.push(json!({
                "Sid": "Allow attachment of persistent resources",
                "Effect": "Allow",
                "Principal": { "AWS": users },
                "Action": ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
                "Resource": "*",
                "Condition": { "Bool": { "kms:GrantIsForAWSResource": "true" } }
            }));
        }
    }
    json!({ "Id": "key-consolepolicy-3", "Version": "2012-10-17", "Statement": statements })
}

fn select_cb(state: &UseStateHandle<String>) -> Callback<Event> {
    let state = state.clone();
    Callback::from(move |e: Event| {
        if let Some(s) = e.target_dyn_into::<HtmlSelectElement>() {
            state.set(s.value());
        }
    })
}

fn input_cb(state: &UseStateHandle<String>) -> Callback<InputEvent> {
    let state = state.clone();
    Callback::from(move |e: InputEvent| {
        if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
            state.set(i.value());
        }
    })
}

#[component]
pub fn CreateKey() -> Html {
    let lab = use_lab();
    let navigator = use_navigator();
    let key_type = use_state(|| "SYMMETRIC".to_owned());
    let usage = use_state(|| "ENCRYPT_DECRYPT".to_owned());
    let spec = use_state(|| "SYMMETRIC_DEFAULT".to_owned());
    let origin = use_state(|| "AWS_KMS".to_owned());
    let multi_region = use_state(|| false);
    let alias = use_state(String::new);
    let description = use_state(String::new);
    let admins = use_state(Vec::<String>::new);
    let users = use_state(Vec::<String>::new);
    let submitted = use_state(|| false);
    let id = lab.identity();

    // Principals of the account, for the administrator and user pickers.
    let principals = {
        let lab = (*lab).clone();
        let region = id.region.clone();
        use_memo((lab.revision, id.account.clone()), move |_| {
            let mut peek = Peek::new(&lab);
            let mut out = Vec::new();
            for role in [false, true] {
                if let Ok(list) = peek.iam_principals(&region, role) {
                    out.extend(list.into_iter().map(|p| p.arn).filter(|a| !a.is_empty()));
                }
            }
            out
        })
    };

    // After a successful CreateKey from this page, open the new key.
    {
        let navigator = navigator.clone();
        let submitted = submitted.clone();
        let region = id.region.clone();
        use_effect_with(lab.last_call.clone(), move |last| {
            if let (true, Some(outcome)) = (*submitted, last)
                && outcome.operation == "CreateKey"
            {
                if let (Ok(v), Some(nav)) = (&outcome.result, navigator)
                    && let Some(key_id) = created_key_id(v)
                {
                    nav.push(&Route::KeyDetail { region, key_id });
                }
                submitted.set(false);
            }
        });
    }

    let on_type = {
        let key_type = key_type.clone();
        let usage = usage.clone();
        let spec = spec.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = e.target_dyn_into::<HtmlInputElement>() {
                let t = s.value();
                let u = usages(&t).first().copied().unwrap_or("ENCRYPT_DECRYPT");
                usage.set(u.to_owned());
                spec.set(specs(&t, u).first().copied().unwrap_or_default().to_owned());
                key_type.set(t);
            }
        })
    };
    let on_usage = {
        let usage = usage.clone();
        let spec = spec.clone();
        let key_type = key_type.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = e.target_dyn_into::<HtmlSelectElement>() {
                let u = s.value();
                spec.set(
                    specs(&key_type, &u)
                        .first()
                        .copied()
                        .unwrap_or_default()
                        .to_owned(),
                );
                usage.set(u);
            }
        })
    };
    let toggle = |list: &UseStateHandle<Vec<String>>, arn: String| {
        let list = list.clone();
        Callback::from(move |_: Event| {
            let mut v = (*list).clone();
            if let Some(pos) = v.iter().position(|a| *a == arn) {
                v.remove(pos);
            } else {
                v.push(arn.clone());
            }
            list.set(v);
        })
    };

    let policy = console_policy(&id.account, &admins, &users, &usage);
    let policy_text = serde_json::to_string_pretty(&policy).unwrap_or_default();

    let create = {
        let lab = lab.clone();
        let submitted = submitted.clone();
        let region = id.region.clone();
        let input = serde_json::to_value(CreateKeyInput {
            key_spec: (*spec).clone(),
            key_usage: (*usage).clone(),
            origin: (*origin).clone(),
            multi_region: *multi_region,
            policy: policy_text.clone(),
            description: (!description.is_empty()).then(|| (*description).clone()),
        })
        .unwrap_or_default();
        let alias = alias.trim().to_owned();
        Callback::from(move |_: MouseEvent| {
            submitted.set(true);
            lab.act(Action::CreateKey {
                region: region.clone(),
                input: input.clone(),
                alias: (!alias.is_empty()).then(|| {
                    if alias.starts_with("alias/") {
                        alias.clone()
                    } else {
                        format!("alias/{alias}")
                    }
                }),
            });
        })
    };

    let picker = |title: &str, help: &str, list: &UseStateHandle<Vec<String>>, testid: &str| {
        html! {
            <fieldset class="picker" data-testid={testid.to_owned()}>
                <legend>{ title.to_owned() }</legend>
                <p class="help">{ help.to_owned() }</p>
                { for principals.iter().map(|arn| html! {
                    <label class="check">
                        <input type="checkbox" checked={list.contains(arn)} onchange={toggle(list, arn.clone())} />
                        <span class="mono small">{ arn.clone() }</span>
                    </label>
                }) }
            </fieldset>
        }
    };

    html! {
        <section class="page" aria-labelledby="page-title">
            <nav class="breadcrumbs" aria-label="Breadcrumb">
                <Link<Route> to={Route::KmsKeys}>{ "KMS keys" }</Link<Route>>{ " › Create key" }
            </nav>
            <h1 id="page-title">{ "Create key" }</h1>
            <div class="panel">
                <div class="panel-header"><h2>{ "Step 1 · Configure key" }</h2></div>
                <fieldset class="radio-row">
                    <legend>{ "Key type" }</legend>
                    { for [("SYMMETRIC", "Symmetric"), ("ASYMMETRIC", "Asymmetric"), ("HMAC", "HMAC")].iter().map(|(v, label)| html! {
                        <label class="check"><input type="radio" name="key-type" value={*v} checked={*key_type == *v} onchange={on_type.clone()} />{ format!(" {label}") }</label>
                    }) }
                </fieldset>
                <div class="form-grid">
                    <label>{ "Key usage" }
                        <select class="input" onchange={on_usage} aria-label="Key usage">
                            { for usages(&key_type).iter().map(|u| html! { <option value={*u} selected={*usage == *u}>{ *u }</option> }) }
                        </select>
                    </label>
                    <label>{ "Key spec" }
                        <select class="input" onchange={select_cb(&spec)} aria-label="Key spec">
                            { for specs(&key_type, &usage).iter().map(|s| html! { <option value={*s} selected={*spec == *s}>{ *s }</option> }) }
                        </select>
                    </label>
                    <label>{ "Key material origin" }
                        <select class="input" onchange={select_cb(&origin)} aria-label="Key material origin">
                            <option value="AWS_KMS" selected={*origin == "AWS_KMS"}>{ "KMS (recommended)" }</option>
                            <option value="EXTERNAL" selected={*origin == "EXTERNAL"}>{ "External (import key material)" }</option>
                        </select>
                    </label>
                    <label class="check">
                        <input type="checkbox" checked={*multi_region} onchange={{ let m = multi_region.clone(); Callback::from(move |_| m.set(!*m)) }} />
                        { " Multi-Region key (chosen at creation only)" }
                    </label>
                </div>
            </div>
            <div class="panel">
                <div class="panel-header"><h2>{ "Step 2 · Add labels" }</h2></div>
                <div class="form-grid">
                    <label>{ "Alias" }<input class="input" placeholder="alias/my-key" aria-label="Alias" value={(*alias).clone()} oninput={input_cb(&alias)} /></label>
                    <label>{ "Description" }<input class="input" placeholder="What this key protects" aria-label="Description" value={(*description).clone()} oninput={input_cb(&description)} /></label>
                </div>
            </div>
            <div class="panel">
                <div class="panel-header"><h2>{ "Steps 3 and 4 · Key administrators and key users" }</h2></div>
                <div class="form-grid">
                    { picker("Key administrators", "Can manage the key (enable, disable, policy, deletion) but not use it.", &admins, "admins") }
                    { picker("Key users", "Can use the key in cryptographic operations and attach it to AWS resources.", &users, "users") }
                </div>
            </div>
            <div class="panel">
                <div class="panel-header"><h2>{ "Step 5 · Review the key policy" }</h2></div>
                <p class="help">{ "The first statement gives the account (not only the root user) access and lets IAM policies grant use of the key; without it, IAM policies have no effect on this key." }</p>
                <pre class="code" data-testid="wizard-policy">{ policy_text }</pre>
                <div class="actions">
                    <button class="btn btn-primary" data-testid="create-key" onclick={create}>{ "Create key" }</button>
                    <Link<Route> to={Route::KmsKeys} classes="btn">{ "Cancel" }</Link<Route>>
                </div>
            </div>
        </section>
    }
}
