//! Console: the Create key wizard, in the console's five steps (configure key with its advanced
//! options, add labels, key administrative permissions, key usage permissions, review). It builds
//! the key policy the AWS console generates ([`policy::console_policy`]) and calls CreateKey
//! (+ CreateAlias) through the entry point.

mod policy;

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::hooks::use_lab;
use crate::state::Action;
use crate::views::{Peek, created_key_id};
use policy::{Choices, console_policy, is_account_id};

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
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<TagInput>,
}

#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "PascalCase")]
struct TagInput {
    tag_key: String,
    tag_value: String,
}

/// The console's steps.
const STEPS: [&str; 5] = [
    "Configure key",
    "Add labels",
    "Define key administrative permissions",
    "Define key usage permissions",
    "Review",
];

/// Key specs offered per key type and usage.
fn specs(key_type: &str, usage: &str) -> &'static [&'static str] {
    match (key_type, usage) {
        ("SYMMETRIC", _) => &["SYMMETRIC_DEFAULT"],
        ("HMAC", _) => &["HMAC_224", "HMAC_256", "HMAC_384", "HMAC_512"],
        ("ASYMMETRIC", "ENCRYPT_DECRYPT") => &["RSA_2048", "RSA_3072", "RSA_4096"],
        ("ASYMMETRIC", "KEY_AGREEMENT") => &["ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521"],
        ("ASYMMETRIC", "ENCAPSULATE_DECAPSULATE") => &["ML_KEM_512", "ML_KEM_768", "ML_KEM_1024"],
        _ => &[
            "RSA_2048",
            "RSA_3072",
            "RSA_4096",
            "ECC_NIST_P256",
            "ECC_NIST_P384",
            "ECC_NIST_P521",
            "ECC_SECG_P256K1",
            "ECC_NIST_EDWARDS25519",
            "ML_DSA_44",
            "ML_DSA_65",
            "ML_DSA_87",
        ],
    }
}

/// Key usages per key type, with the console's labels.
fn usages(key_type: &str) -> &'static [(&'static str, &'static str)] {
    match key_type {
        "SYMMETRIC" => &[("ENCRYPT_DECRYPT", "Encrypt and decrypt")],
        "HMAC" => &[("GENERATE_VERIFY_MAC", "Generate and verify MAC")],
        _ => &[
            ("ENCRYPT_DECRYPT", "Encrypt and decrypt"),
            ("SIGN_VERIFY", "Sign and verify"),
            ("KEY_AGREEMENT", "Key agreement"),
            ("ENCAPSULATE_DECAPSULATE", "Key encapsulation"),
        ],
    }
}

/// The alias as CreateAlias takes it (`alias/` added when missing); None when empty.
fn alias_name(typed: &str) -> Option<String> {
    let t = typed.trim();
    if t.is_empty() {
        None
    } else if t.starts_with("alias/") {
        Some(t.to_owned())
    } else {
        Some(format!("alias/{t}"))
    }
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

/// A row of a list of text pairs (tags) or texts (accounts) changed in place.
fn edit_at<T: Clone + 'static>(
    list: &UseStateHandle<Vec<T>>,
    i: usize,
    f: impl Fn(&mut T, String) + 'static,
) -> Callback<InputEvent> {
    let list = list.clone();
    Callback::from(move |e: InputEvent| {
        if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
            let mut v = (*list).clone();
            if let Some(item) = v.get_mut(i) {
                f(item, input.value());
            }
            list.set(v);
        }
    })
}

fn remove_at<T: Clone + 'static>(list: &UseStateHandle<Vec<T>>, i: usize) -> Callback<MouseEvent> {
    let list = list.clone();
    Callback::from(move |_| {
        let mut v = (*list).clone();
        if i < v.len() {
            v.remove(i);
        }
        list.set(v);
    })
}

/// What stops the learner leaving a step (shown on the step), if anything.
fn step_problem(step: usize, tags: &[(String, String)], accounts: &[String]) -> Option<String> {
    match step {
        1 if tags.iter().any(|(k, _)| k.trim().is_empty()) => {
            Some("Every tag needs a tag key (the value may be empty).".into())
        }
        3 => accounts
            .iter()
            .find(|a| !is_account_id(a.trim()))
            .map(|a| format!("\"{a}\" is not an AWS account ID: enter 12 digits.")),
        _ => None,
    }
}

#[component]
pub fn CreateKey() -> Html {
    let lab = use_lab();
    let navigator = use_navigator();
    let step = use_state(|| 0usize);
    let key_type = use_state(|| "SYMMETRIC".to_owned());
    let usage = use_state(|| "ENCRYPT_DECRYPT".to_owned());
    let spec = use_state(|| "SYMMETRIC_DEFAULT".to_owned());
    let origin = use_state(|| "AWS_KMS".to_owned());
    let multi_region = use_state(|| false);
    let alias = use_state(String::new);
    let description = use_state(String::new);
    let tags = use_state(Vec::<(String, String)>::new);
    let admins = use_state(Vec::<String>::new);
    let admins_can_delete = use_state(|| true);
    let users = use_state(Vec::<String>::new);
    let accounts = use_state(Vec::<String>::new);
    let submitted = use_state(|| false);
    let tried = use_state(|| false);
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
                let u = usages(&t).first().map_or("ENCRYPT_DECRYPT", |(u, _)| *u);
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
            if let Some(s) = e.target_dyn_into::<HtmlInputElement>() {
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
    let flag = |state: &UseStateHandle<bool>| {
        let state = state.clone();
        Callback::from(move |e: Event| {
            if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
                state.set(i.checked());
            }
        })
    };

    let choices = Choices {
        usage: (*usage).clone(),
        spec: (*spec).clone(),
        origin: (*origin).clone(),
        multi_region: *multi_region,
        admins: (*admins).clone(),
        admins_can_delete: *admins_can_delete,
        users: (*users).clone(),
        other_accounts: accounts.iter().map(|a| a.trim().to_owned()).collect(),
    };
    let policy = console_policy(&id.account, &choices);
    let policy_text = serde_json::to_string_pretty(&policy).unwrap_or_default();
    let problem = step_problem(*step, &tags, &accounts);

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
            description: (!description.trim().is_empty()).then(|| (*description).clone()),
            tags: tags
                .iter()
                .map(|(k, v)| TagInput {
                    tag_key: k.trim().to_owned(),
                    tag_value: v.clone(),
                })
                .collect(),
        })
        .unwrap_or_default();
        let alias = alias_name(&alias);
        Callback::from(move |_: MouseEvent| {
            submitted.set(true);
            lab.act(Action::CreateKey {
                region: region.clone(),
                input: input.clone(),
                alias: alias.clone(),
            });
        })
    };
    let go = |to: usize| {
        let step = step.clone();
        let tried = tried.clone();
        let blocked = to > *step && problem.is_some();
        Callback::from(move |_: MouseEvent| {
            if blocked {
                tried.set(true);
            } else {
                tried.set(false);
                step.set(to);
            }
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
                        <span class="mono small break">{ arn.clone() }</span>
                    </label>
                }) }
            </fieldset>
        }
    };

    let body = match *step {
        0 => html! {
            <>
            <fieldset class="radio-row">
                <legend>{ "Key type" }</legend>
                { for [("SYMMETRIC", "Symmetric"), ("ASYMMETRIC", "Asymmetric"), ("HMAC", "HMAC")].iter().map(|(v, label)| html! {
                    <label class="check"><input type="radio" name="key-type" value={*v} checked={*key_type == *v} onchange={on_type.clone()} />{ format!(" {label}") }</label>
                }) }
            </fieldset>
            <fieldset class="radio-row">
                <legend>{ "Key usage" }</legend>
                { for usages(&key_type).iter().map(|(v, label)| html! {
                    <label class="check"><input type="radio" name="key-usage" value={*v} checked={*usage == *v} onchange={on_usage.clone()} />{ format!(" {label}") }</label>
                }) }
            </fieldset>
            if *key_type != "SYMMETRIC" {
                <div class="form-grid">
                    <label>{ "Key spec" }
                        <select class="input" onchange={select_cb(&spec)} aria-label="Key spec">
                            { for specs(&key_type, &usage).iter().map(|s| html! { <option value={*s} selected={*spec == *s}>{ *s }</option> }) }
                        </select>
                    </label>
                </div>
            }
            <details class="wizard-advanced" data-testid="advanced-options">
                <summary>{ "Advanced options" }</summary>
                <fieldset class="radio-row">
                    <legend>{ "Key material origin" }</legend>
                    { for [("AWS_KMS", "KMS - recommended"), ("EXTERNAL", "External (Import key material)")].iter().map(|(v, label)| {
                        let origin = origin.clone();
                        let v = *v;
                        html! { <label class="check"><input type="radio" name="origin" value={v} checked={*origin == v} onchange={Callback::from(move |_| origin.set(v.to_owned()))} />{ format!(" {label}") }</label> }
                    }) }
                </fieldset>
                if *origin == "EXTERNAL" {
                    <p class="help">{ "The key is created without key material (Pending import). You then download a wrapping public key and an import token, wrap your own material and import it. You are responsible for keeping a copy: KMS cannot recreate it." }</p>
                }
                <fieldset class="radio-row">
                    <legend>{ "Regionality" }</legend>
                    <label class="check"><input type="radio" name="regionality" checked={!*multi_region} onchange={{ let m = multi_region.clone(); Callback::from(move |_| m.set(false)) }} />{ " Single-Region key" }</label>
                    <label class="check"><input type="radio" name="regionality" checked={*multi_region} onchange={{ let m = multi_region.clone(); Callback::from(move |_| m.set(true)) }} />{ " Multi-Region key" }</label>
                </fieldset>
                <p class="help">{ "Whether a key is multi-Region is chosen now and cannot be changed later. A multi-Region primary key can be replicated to other Regions, sharing its key material and key ID." }</p>
            </details>
            </>
        },
        1 => html! {
            <>
            <div class="form-grid">
                <label>{ "Alias" }<input class="input" placeholder="alias/my-key" aria-label="Alias" value={(*alias).clone()} oninput={input_cb(&alias)} /></label>
                <label>{ "Description" }<input class="input" placeholder="What this key protects" aria-label="Description" value={(*description).clone()} oninput={input_cb(&description)} /></label>
            </div>
            <h3>{ "Tags" }</h3>
            if tags.is_empty() { <p class="muted small">{ "No tags are associated with this key." }</p> }
            <div data-testid="wizard-tags">
            { for tags.iter().enumerate().map(|(i, (k, v))| html! {
                <div class="inline-form">
                    <label>{ "Tag key " }<input class="input" aria-label={format!("Tag key {}", i + 1)} value={k.clone()} oninput={edit_at(&tags, i, |t: &mut (String, String), s| t.0 = s)} /></label>
                    <label>{ "Tag value " }<input class="input" aria-label={format!("Tag value {}", i + 1)} value={v.clone()} oninput={edit_at(&tags, i, |t: &mut (String, String), s| t.1 = s)} /></label>
                    <button type="button" class="btn btn-small" onclick={remove_at(&tags, i)}>{ "Remove" }</button>
                </div>
            }) }
            </div>
            <button type="button" class="btn btn-small" data-testid="add-tag" onclick={{ let t = tags.clone(); Callback::from(move |_| { let mut v = (*t).clone(); v.push((String::new(), String::new())); t.set(v); }) }}>{ "Add tag" }</button>
            </>
        },
        2 => html! {
            <>
            { picker("Key administrators", "Choose the IAM users and roles who can administer this key (enable, disable, change the policy, rotate, tag) through the KMS API. They cannot use it in cryptographic operations unless you also make them key users.", &admins, "admins") }
            <fieldset class="picker">
                <legend>{ "Key deletion" }</legend>
                <label class="check"><input type="checkbox" checked={*admins_can_delete} onchange={flag(&admins_can_delete)} data-testid="admins-can-delete" />{ " Allow key administrators to delete this key." }</label>
                <p class="help">{ "Adds kms:ScheduleKeyDeletion and kms:CancelKeyDeletion to the key administrators statement." }</p>
            </fieldset>
            </>
        },
        3 => html! {
            <>
            { picker("This account", "Choose the IAM users and roles who can use this key in cryptographic operations and with AWS services that use grants (EBS, RDS …).", &users, "users") }
            <fieldset class="picker" data-testid="other-accounts">
                <legend>{ "Other AWS accounts" }</legend>
                <p class="help">{ "Give other AWS accounts permission to use this key. Administrators of those accounts must then allow their users and roles to use it in IAM policies." }</p>
                { for accounts.iter().enumerate().map(|(i, a)| html! {
                    <div class="inline-form">
                        <span class="mono small">{ "arn:aws:iam::" }</span>
                        <input class="input input-account" inputmode="numeric" aria-label={format!("Other AWS account {}", i + 1)} placeholder="444455556666" value={a.clone()} oninput={edit_at(&accounts, i, |t: &mut String, s| *t = s)} />
                        <span class="mono small">{ ":root" }</span>
                        <button type="button" class="btn btn-small" onclick={remove_at(&accounts, i)}>{ "Remove" }</button>
                    </div>
                }) }
                <div><button type="button" class="btn btn-small" data-testid="add-account" onclick={{ let a = accounts.clone(); Callback::from(move |_| { let mut v = (*a).clone(); v.push(String::new()); a.set(v); }) }}>{ "Add another AWS account" }</button></div>
            </fieldset>
            </>
        },
        _ => html! {
            <>
            <div class="fields" data-testid="wizard-review">
                <div class="field"><div class="field-label">{ "Key type" }</div><div class="field-value">{ (*key_type).clone() }</div></div>
                <div class="field"><div class="field-label">{ "Key spec" }</div><div class="field-value mono">{ (*spec).clone() }</div></div>
                <div class="field"><div class="field-label">{ "Key usage" }</div><div class="field-value">{ (*usage).clone() }</div></div>
                <div class="field"><div class="field-label">{ "Origin" }</div><div class="field-value">{ (*origin).clone() }</div></div>
                <div class="field"><div class="field-label">{ "Regionality" }</div><div class="field-value">{ if *multi_region { "Multi-Region" } else { "Single-Region" } }</div></div>
                <div class="field"><div class="field-label">{ "Alias" }</div><div class="field-value mono">{ alias_name(&alias).unwrap_or_else(|| "-".into()) }</div></div>
                <div class="field"><div class="field-label">{ "Description" }</div><div class="field-value">{ if description.trim().is_empty() { "-".to_owned() } else { (*description).clone() } }</div></div>
                <div class="field"><div class="field-label">{ "Tags" }</div><div class="field-value mono small">{ if tags.is_empty() { "-".to_owned() } else { tags.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(", ") } }</div></div>
            </div>
            <h3>{ "Key policy" }</h3>
            <p class="help">{ "The first statement gives the account (not only the root user) access and lets IAM policies grant use of the key; without it, IAM policies have no effect on this key." }</p>
            <pre class="code" data-testid="wizard-policy">{ policy_text }</pre>
            </>
        },
    };
    let last = STEPS.len() - 1;

    html! {
        <section class="page" aria-labelledby="page-title">
            <nav class="breadcrumbs" aria-label="Breadcrumb">
                <Link<Route> to={Route::KmsKeys}>{ "KMS keys" }</Link<Route>>{ " › Create key" }
            </nav>
            <h1 id="page-title">{ "Create key" }</h1>
            <ol class="wizard-steps" aria-label="Create key steps" data-testid="wizard-steps">
                { for STEPS.iter().enumerate().map(|(i, name)| html! {
                    <li class={classes!((i == *step).then_some("current"), (i < *step).then_some("done"))}>
                        <button type="button" class="linkish" aria-current={(i == *step).then_some("step")} onclick={go(i)}>
                            <span class="wizard-step-n">{ format!("Step {}", i + 1) }</span>
                            <span class="wizard-step-name">{ *name }</span>
                        </button>
                    </li>
                }) }
            </ol>
            <div class="panel" data-testid={format!("wizard-step-{}", *step + 1)}>
                <div class="panel-header"><h2>{ STEPS.get(*step).copied().unwrap_or_default() }</h2></div>
                { body }
                if let (Some(p), true) = (&problem, *tried) {
                    <div class="alert alert-error" role="alert">{ p.clone() }</div>
                }
                <div class="actions wizard-nav">
                    <Link<Route> to={Route::KmsKeys} classes="btn">{ "Cancel" }</Link<Route>>
                    if *step > 0 {
                        <button type="button" class="btn" onclick={go(*step - 1)} data-testid="wizard-previous">{ "Previous" }</button>
                    }
                    if *step < last {
                        <button type="button" class="btn btn-primary" onclick={go(*step + 1)} data-testid="wizard-next">{ "Next" }</button>
                    } else {
                        <button type="button" class="btn btn-primary" data-testid="create-key" onclick={create}>{ "Finish" }</button>
                    }
                </div>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_are_prefixed_once_and_empty_means_none() {
        assert_eq!(alias_name("app").as_deref(), Some("alias/app"));
        assert_eq!(alias_name(" alias/app ").as_deref(), Some("alias/app"));
        assert_eq!(alias_name("  "), None);
    }

    #[test]
    fn steps_block_on_an_unnamed_tag_or_a_bad_account() {
        assert_eq!(step_problem(1, &[], &[]), None);
        assert!(step_problem(1, &[(" ".into(), "v".into())], &[]).is_some());
        assert_eq!(
            step_problem(1, &[("team".into(), String::new())], &[]),
            None
        );
        assert!(step_problem(3, &[], &["4444".into()]).is_some());
        assert_eq!(step_problem(3, &[], &[" 444455556666 ".into()]), None);
        // A later step does not re-check an earlier one.
        assert_eq!(
            step_problem(4, &[(String::new(), String::new())], &[]),
            None
        );
    }

    #[test]
    fn usages_and_specs_follow_the_key_type() {
        assert_eq!(specs("SYMMETRIC", "ENCRYPT_DECRYPT"), ["SYMMETRIC_DEFAULT"]);
        assert_eq!(usages("HMAC")[0].0, "GENERATE_VERIFY_MAC");
        assert!(specs("ASYMMETRIC", "SIGN_VERIFY").contains(&"ECC_NIST_EDWARDS25519"));
        assert!(!specs("ASYMMETRIC", "ENCRYPT_DECRYPT").contains(&"ECC_NIST_P256"));
        assert!(specs("ASYMMETRIC", "SIGN_VERIFY").contains(&"ML_DSA_65"));
        assert_eq!(
            specs("ASYMMETRIC", "ENCAPSULATE_DECAPSULATE"),
            ["ML_KEM_512", "ML_KEM_768", "ML_KEM_1024"]
        );
        assert!(
            usages("ASYMMETRIC")
                .iter()
                .any(|(u, _)| *u == "ENCAPSULATE_DECAPSULATE")
        );
    }
}
