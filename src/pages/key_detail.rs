//! Console: one KMS key — general configuration, key policy, rotation, aliases, tags, grants.

use serde_json::{Value, json};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::empty_state::EmptyState;
use crate::hooks::use_lab;
use crate::pages::kms_keys::state_badge;
use crate::state::{Action, format_time};
use crate::views::{ViewError, peek};
use web_sys::{HtmlInputElement, HtmlTextAreaElement};

#[derive(Properties, PartialEq, Debug)]
pub struct KeyDetailProps {
    pub region: AttrValue,
    pub key_id: AttrValue,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tab {
    Policy,
    Crypto,
    Rotation,
    Aliases,
    Tags,
    Grants,
    Replicas,
    PublicKey,
}

const TABS: [(Tab, &str); 8] = [
    (Tab::Policy, "Key policy"),
    (Tab::Crypto, "Cryptographic configuration"),
    (Tab::Rotation, "Key rotation"),
    (Tab::Aliases, "Aliases"),
    (Tab::Tags, "Tags"),
    (Tab::Grants, "Grants"),
    (Tab::Replicas, "Regionality"),
    (Tab::PublicKey, "Public key"),
];

/// Everything the page shows, read in one go from a copy of the world.
#[derive(Clone, Debug, PartialEq)]
struct Detail {
    metadata: Value,
    policy: Result<String, ViewError>,
    rotation: Result<Value, ViewError>,
    rotations: Result<Value, ViewError>,
    aliases: Result<Value, ViewError>,
    tags: Result<Value, ViewError>,
    grants: Result<Value, ViewError>,
    public_key: Result<Value, ViewError>,
}

fn field(label: &str, value: Html) -> Html {
    html! { <div class="field"><div class="field-label">{ label.to_owned() }</div><div class="field-value">{ value }</div></div> }
}

fn text(v: &Value) -> Html {
    match v {
        Value::Null => html! { "-" },
        Value::String(s) if s.is_empty() => html! { "-" },
        Value::String(s) => html! { s.clone() },
        other => html! { other.to_string() },
    }
}

fn epoch(v: &Value) -> Html {
    v.as_f64()
        .map(|s| html! { format_time((s * 1000.0) as i64) })
        .unwrap_or_else(|| html! { "-" })
}

fn error_box(e: &ViewError) -> Html {
    html! { <div class="alert alert-error" role="alert"><strong>{ e.code.clone() }</strong>{ ": " }{ e.message.clone() }</div> }
}

fn json_block(v: &Value) -> Html {
    html! { <pre class="code">{ serde_json::to_string_pretty(v).unwrap_or_default() }</pre> }
}

/// The console's "default view" of a key policy: the principals of its key-administrator and
/// key-user statements, and whether it delegates to IAM (a statement allowing the account root).
fn default_view(policy: &str) -> (Vec<String>, Vec<String>, bool) {
    let doc: Value = serde_json::from_str(policy).unwrap_or(Value::Null);
    let statements: Vec<Value> = match &doc["Statement"] {
        Value::Array(a) => a.clone(),
        Value::Object(_) => vec![doc["Statement"].clone()],
        _ => Vec::new(),
    };
    let principals = |st: &Value| -> Vec<String> {
        match &st["Principal"]["AWS"] {
            Value::String(s) => vec![s.clone()],
            Value::Array(a) => a
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        }
    };
    let mut admins = Vec::new();
    let mut users = Vec::new();
    let mut iam = false;
    for st in &statements {
        if st["Effect"] != "Allow" {
            continue;
        }
        let sid = st["Sid"].as_str().unwrap_or_default();
        let ps = principals(st);
        if ps
            .iter()
            .any(|p| p.ends_with(":root") || p.chars().all(|c| c.is_ascii_digit()))
        {
            iam = true;
        }
        if sid == "Allow access for Key Administrators" {
            admins.extend(ps);
        } else if sid == "Allow use of the key" {
            users.extend(ps);
        }
    }
    (admins, users, iam)
}

fn principal_list(list: &[String]) -> Html {
    if list.is_empty() {
        return html! { <p class="muted small">{ "None named in the policy" }</p> };
    }
    html! { <ul class="small mono">{ for list.iter().map(|p| html! { <li>{ p.clone() }</li> }) }</ul> }
}

#[component]
pub fn KeyDetail(props: &KeyDetailProps) -> Html {
    let lab = use_lab();
    let tab = use_state(|| Tab::Policy);
    let editing = use_state(|| None::<String>);
    let editor_error = use_state(|| None::<String>);
    let deletion_days = use_state(|| "30".to_owned());
    let rotation_days = use_state(|| "365".to_owned());
    // Close the policy editor once a save succeeded; keep it (and the text) open on failure.
    {
        let editing = editing.clone();
        let editor_error = editor_error.clone();
        use_effect_with(lab.last_call.clone(), move |last| {
            if let Some(outcome) = last
                && outcome.operation == "PutKeyPolicy"
            {
                match &outcome.result {
                    Ok(_) => {
                        editing.set(None);
                        editor_error.set(None);
                    }
                    Err(e) => editor_error.set(Some(format!("{}: {}", e.code, e.message))),
                }
            }
        });
    }
    let region = props.region.to_string();
    let key_id = props.key_id.to_string();
    let call = {
        let lab = lab.clone();
        let region = region.clone();
        move |operation: &'static str, input: Value, summary: String| {
            let lab = lab.clone();
            let region = region.clone();
            Callback::from(move |_: MouseEvent| {
                crate::hooks::act(
                    &lab,
                    Action::Call {
                        region: region.clone(),
                        service: "kms",
                        operation,
                        input: input.clone(),
                        summary: summary.clone(),
                    },
                )
            })
        }
    };
    let detail = {
        let lab = (*lab).clone();
        let region = props.region.to_string();
        let key = props.key_id.to_string();
        use_memo(
            (lab.revision, lab.identity(), region.clone(), key.clone()),
            move |_| -> Result<Detail, ViewError> {
                let call = |op: &str, input: Value| peek(&lab, &region, "kms", op, input);
                let d = call("DescribeKey", json!({ "KeyId": key }))?;
                Ok(Detail {
                    metadata: d["KeyMetadata"].clone(),
                    policy: call(
                        "GetKeyPolicy",
                        json!({ "KeyId": key, "PolicyName": "default" }),
                    )
                    .map(|p| p["Policy"].as_str().unwrap_or_default().to_owned()),
                    rotation: call("GetKeyRotationStatus", json!({ "KeyId": key })),
                    rotations: call("ListKeyRotations", json!({ "KeyId": key })),
                    aliases: call("ListAliases", json!({ "KeyId": key })),
                    tags: call("ListResourceTags", json!({ "KeyId": key })),
                    grants: call("ListGrants", json!({ "KeyId": key })),
                    public_key: if d["KeyMetadata"]["KeySpec"] == "SYMMETRIC_DEFAULT"
                        || d["KeyMetadata"]["KeySpec"]
                            .as_str()
                            .is_some_and(|k| k.starts_with("HMAC"))
                    {
                        Err(ViewError {
                            code: "UnsupportedOperationException".into(),
                            message: "Symmetric and HMAC keys have no public key: their material never leaves KMS. Asymmetric keys (RSA, ECC) have a public key you can download and use outside AWS.".into(),
                        })
                    } else {
                        call("GetPublicKey", json!({ "KeyId": key }))
                    },
                })
            },
        )
    };

    let crumbs = html! {
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <Link<Route> to={Route::KmsKeys}>{ "KMS keys" }</Link<Route>>
            { format!(" › {}", props.key_id) }
        </nav>
    };
    let d = match &*detail {
        Err(e) => {
            return html! {
                <section class="page" aria-labelledby="page-title">
                    { crumbs }
                    <h1 id="page-title" class="mono break">{ props.key_id.clone() }</h1>
                    if e.code == "NotFoundException" {
                        <EmptyState title="Key not found" text={format!("There is no key {} in {} for this account.", props.key_id, props.region)} />
                    } else {
                        { error_box(e) }
                    }
                </section>
            };
        }
        Ok(d) => d,
    };
    let m = &d.metadata;
    let tab_content = match *tab {
        Tab::Policy => match (&d.policy, (*editing).clone()) {
            (Ok(_), Some(text)) => {
                let oninput = {
                    let editing = editing.clone();
                    Callback::from(move |e: InputEvent| {
                        if let Some(t) = e.target_dyn_into::<HtmlTextAreaElement>() {
                            editing.set(Some(t.value()));
                        }
                    })
                };
                let save = {
                    let lab = lab.clone();
                    let editor_error = editor_error.clone();
                    let region = region.clone();
                    let key_id = key_id.clone();
                    let text = text.clone();
                    Callback::from(move |_: MouseEvent| {
                        // The console checks JSON syntax before sending; KMS checks the rest.
                        if let Err(e) = serde_json::from_str::<Value>(&text) {
                            editor_error.set(Some(format!("MalformedPolicyDocumentException: the policy is not valid JSON ({e})")));
                            return;
                        }
                        editor_error.set(None);
                        crate::hooks::act(
                            &lab,
                            Action::Call {
                                region: region.clone(),
                                service: "kms",
                                operation: "PutKeyPolicy",
                                input: json!({ "KeyId": key_id, "PolicyName": "default", "Policy": text }),
                                summary: "Saved the key policy".into(),
                            },
                        );
                    })
                };
                let cancel = {
                    let editing = editing.clone();
                    let editor_error = editor_error.clone();
                    Callback::from(move |_: MouseEvent| {
                        editing.set(None);
                        editor_error.set(None);
                    })
                };
                html! {
                    <>
                    <p class="help">{ "Edit the JSON policy document. KMS validates it when you save (syntax, elements, principals, and the lockout safety check); an invalid document is not saved." }</p>
                    <textarea class="editor" aria-label="Key policy JSON" data-testid="policy-editor" spellcheck="false" value={text} {oninput} />
                    if let Some(err) = &*editor_error {
                        <div class="editor-error" role="alert" data-testid="policy-error">{ err.clone() }</div>
                    }
                    <div class="actions">
                        <button class="btn btn-primary btn-small" onclick={save}>{ "Save changes" }</button>
                        <button class="btn btn-small" onclick={cancel}>{ "Cancel" }</button>
                    </div>
                    </>
                }
            }
            (Ok(p), None) => {
                let pretty = serde_json::from_str::<Value>(p)
                    .ok()
                    .and_then(|v| serde_json::to_string_pretty(&v).ok())
                    .unwrap_or_else(|| p.clone());
                let edit = {
                    let editing = editing.clone();
                    let pretty = pretty.clone();
                    Callback::from(move |_: MouseEvent| editing.set(Some(pretty.clone())))
                };
                let (admins, users, iam) = default_view(p);
                html! {
                    <>
                    <div class="default-view" data-testid="policy-default-view">
                        <div><h3>{ "Key administrators" }</h3>{ principal_list(&admins) }</div>
                        <div><h3>{ "Key users" }</h3>{ principal_list(&users) }</div>
                        <div><h3>{ "IAM policies in the account" }</h3>
                            <p class="small">{ if iam { "Can grant access (the key policy trusts the account root)." } else { "Have NO effect on this key: no statement trusts the account root." } }</p></div>
                    </div>
                    <div class="actions"><button class="btn btn-small" onclick={edit} data-testid="edit-policy">{ "Edit" }</button></div>
                    <pre class="code" data-testid="key-policy">{ pretty }</pre>
                    </>
                }
            }
            (Err(e), _) => error_box(e),
        },
        Tab::Crypto => html! {
            <div class="fields">
                { field("Key type", html! { if m["KeySpec"] == "SYMMETRIC_DEFAULT" { {"Symmetric"} } else { {"Asymmetric"} } }) }
                { field("Key spec", text(&m["KeySpec"])) }
                { field("Key usage", text(&m["KeyUsage"])) }
                { field("Origin", text(&m["Origin"])) }
                { field("Encryption algorithms", text(&Value::String(m["EncryptionAlgorithms"].as_array().map(|a| a.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(", ")).unwrap_or_default()))) }
                { field("Regionality", html! { if m["MultiRegion"] == true { {"Multi-Region"} } else { {"Single-Region"} } }) }
            </div>
        },
        Tab::Rotation => html! {
            <>
            { match &d.rotation { Ok(r) => html! {
                <>
                <div class="inline-form">
                    if r["KeyRotationEnabled"] == true {
                        <button class="btn btn-small" onclick={call("DisableKeyRotation", json!({ "KeyId": key_id }), "Disabled automatic rotation".into())}>{ "Disable automatic rotation" }</button>
                    } else {
                        <label>{ "Rotation period (90–2560 days) " }
                            <input class="input input-num" type="number" min="90" max="2560" value={(*rotation_days).clone()}
                                oninput={{ let r = rotation_days.clone(); Callback::from(move |e: InputEvent| if let Some(i) = e.target_dyn_into::<HtmlInputElement>() { r.set(i.value()) }) }} />
                        </label>
                        <button class="btn btn-small" onclick={call("EnableKeyRotation", json!({ "KeyId": key_id, "RotationPeriodInDays": rotation_days.parse::<i64>().unwrap_or(-1) }), format!("Enabled automatic rotation every {} days", *rotation_days))}>{ "Enable automatic rotation" }</button>
                    }
                    <button class="btn btn-small" onclick={call("RotateKeyOnDemand", json!({ "KeyId": key_id }), "Started an on-demand rotation".into())}>{ "Rotate now" }</button>
                </div>
                <div class="fields">
                    { field("Automatic rotation", html! { if r["KeyRotationEnabled"] == true { {"Enabled"} } else { {"Disabled"} } }) }
                    { field("Rotation period (days)", text(&r["RotationPeriodInDays"])) }
                    { field("Next rotation date", epoch(&r["NextRotationDate"])) }
                    { field("On-demand rotation started", epoch(&r["OnDemandRotationStartDate"])) }
                </div>
                </>
            }, Err(e) => error_box(e) } }
            <h3>{ "Rotation history" }</h3>
            { match &d.rotations { Ok(r) => json_block(&r["Rotations"]), Err(e) => error_box(e) } }
            </>
        },
        Tab::Aliases => match &d.aliases {
            Ok(a) => json_block(&a["Aliases"]),
            Err(e) => error_box(e),
        },
        Tab::Tags => match &d.tags {
            Ok(t) => json_block(&t["Tags"]),
            Err(e) => error_box(e),
        },
        Tab::Grants => match &d.grants {
            Ok(g) => json_block(&g["Grants"]),
            Err(e) => error_box(e),
        },
        Tab::Replicas => {
            let mrc = &m["MultiRegionConfiguration"];
            if m["MultiRegion"] == true {
                html! {
                    <div class="fields">
                        { field("Multi-Region key type", text(&mrc["MultiRegionKeyType"])) }
                        { field("Primary key", html! { <span class="mono break">{ text(&mrc["PrimaryKey"]["Arn"]) }</span> }) }
                        { field("Replica keys", html! { <ul class="small mono">{ for mrc["ReplicaKeys"].as_array().into_iter().flatten().map(|r| html! { <li>{ text(&r["Arn"]) }</li> }) }</ul> }) }
                    </div>
                }
            } else {
                html! { <p>{ "Single-Region key: it exists only in this Region. Whether a key is multi-Region is chosen at creation (MultiRegion=true) and cannot be changed." }</p> }
            }
        }
        Tab::PublicKey => match &d.public_key {
            Ok(pk) => {
                let der = pk["PublicKey"].as_str().unwrap_or_default();
                let body: Vec<String> = der
                    .as_bytes()
                    .chunks(64)
                    .map(|c| String::from_utf8_lossy(c).into_owned())
                    .collect();
                html! {
                    <>
                    <p class="help">{ "DER SubjectPublicKeyInfo, shown as PEM. Anyone can use it outside AWS to encrypt or verify; only KMS holds the private key." }</p>
                    <pre class="code" data-testid="public-key">{ format!("-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----", body.join("\n")) }</pre>
                    </>
                }
            }
            Err(e) => html! { <p class="muted">{ e.message.clone() }</p> },
        },
    };

    html! {
        <section class="page" aria-labelledby="page-title">
            { crumbs }
            <div class="page-header">
                <h1 id="page-title" class="mono break">{ props.key_id.clone() }</h1>
                { state_badge(m["KeyState"].as_str().unwrap_or_default()) }
            </div>
            <div class="actions key-actions" aria-label="Key actions">
                { match m["KeyState"].as_str().unwrap_or_default() {
                    "Enabled" => html! { <button class="btn btn-small" data-testid="disable-key" onclick={call("DisableKey", json!({ "KeyId": key_id }), "Disabled the key".into())}>{ "Disable" }</button> },
                    "Disabled" => html! { <button class="btn btn-small" data-testid="enable-key" onclick={call("EnableKey", json!({ "KeyId": key_id }), "Enabled the key".into())}>{ "Enable" }</button> },
                    _ => html! {},
                } }
                if m["KeyState"] == "PendingDeletion" {
                    <button class="btn btn-small" data-testid="cancel-deletion" onclick={call("CancelKeyDeletion", json!({ "KeyId": key_id }), "Cancelled the key deletion; the key is now Disabled".into())}>{ "Cancel key deletion" }</button>
                } else if m["KeyManager"] == "CUSTOMER" {
                    <label class="inline-form">{ "Waiting period (7–30 days) " }
                        <input class="input input-num" type="number" min="7" max="30" value={(*deletion_days).clone()} aria-label="Waiting period in days"
                            oninput={{ let d = deletion_days.clone(); Callback::from(move |e: InputEvent| if let Some(i) = e.target_dyn_into::<HtmlInputElement>() { d.set(i.value()) }) }} />
                        <button class="btn btn-small btn-danger" data-testid="schedule-deletion" onclick={call("ScheduleKeyDeletion", json!({ "KeyId": key_id, "PendingWindowInDays": deletion_days.parse::<i64>().unwrap_or(-1) }), format!("Scheduled the key for deletion in {} days", *deletion_days))}>{ "Schedule key deletion" }</button>
                    </label>
                }
            </div>
            <div class="panel">
                <div class="panel-header"><h2>{ "General configuration" }</h2></div>
                <div class="fields">
                    { field("ARN", html! { <span class="mono break">{ text(&m["Arn"]) }</span> }) }
                    { field("Description", text(&m["Description"])) }
                    { field("Status", text(&m["KeyState"])) }
                    { field("Creation date", epoch(&m["CreationDate"])) }
                    { field("Key manager", text(&m["KeyManager"])) }
                    if m["DeletionDate"].is_number() {
                        { field("Scheduled deletion", epoch(&m["DeletionDate"])) }
                    }
                </div>
            </div>
            <div class="tabs" role="tablist">
                { for TABS.iter().map(|(t, label)| {
                    let tab_h = tab.clone();
                    let t = *t;
                    let selected = *tab == t;
                    html! { <button role="tab" aria-selected={selected.to_string()} class={classes!("tab", selected.then_some("tab-active"))}
                        onclick={Callback::from(move |_| tab_h.set(t))}>{ *label }</button> }
                }) }
            </div>
            <div class="panel" role="tabpanel">{ tab_content }</div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::default_view;

    #[test]
    fn default_view_reads_console_statements_and_root_delegation() {
        let policy = r#"{"Statement":[
            {"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},
            {"Sid":"Allow access for Key Administrators","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:role/SecurityAdmin"]},"Action":"kms:Describe*","Resource":"*"},
            {"Sid":"Allow use of the key","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/AppRole"},"Action":"kms:Decrypt","Resource":"*"}]}"#;
        let (admins, users, iam) = default_view(policy);
        assert_eq!(admins, ["arn:aws:iam::111122223333:role/SecurityAdmin"]);
        assert_eq!(users, ["arn:aws:iam::111122223333:role/AppRole"]);
        assert!(iam);
        let (_, _, iam) = default_view(
            r#"{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/Admin"},"Action":"kms:*","Resource":"*"}}"#,
        );
        assert!(!iam);
    }
}
