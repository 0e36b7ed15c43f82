//! Console: one KMS key — general configuration, key policy, rotation, aliases, tags, grants.

use serde_json::{Value, json};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::empty_state::EmptyState;
use crate::hooks::use_lab;
use crate::pages::kms_keys::state_badge;
use crate::pages::{epoch, error_box};
use crate::state::LabState;
use crate::views::{
    AliasListEntry, GrantListEntry, KeyMetadata, KeyPolicyRoles, KeyRotationStatus, Peek,
    PublicKey, RotationsListEntry, Tag, ViewError, key_policy_roles,
};
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
    metadata: KeyMetadata,
    policy: Result<policy::PolicyDocument, ViewError>,
    rotation: Result<KeyRotationStatus, ViewError>,
    rotations: Result<Vec<RotationsListEntry>, ViewError>,
    aliases: Result<Vec<AliasListEntry>, ViewError>,
    tags: Result<Vec<Tag>, ViewError>,
    grants: Result<Vec<GrantListEntry>, ViewError>,
    public_key: Result<PublicKey, ViewError>,
}

fn field(label: &str, value: Html) -> Html {
    html! { <div class="field"><div class="field-label">{ label.to_owned() }</div><div class="field-value">{ value }</div></div> }
}

/// A text field; "-" when absent or empty.
fn text(v: Option<&str>) -> Html {
    match v {
        None | Some("") => html! { "-" },
        Some(s) => html! { s.to_owned() },
    }
}

/// A list shown as the API's JSON (the Aliases, Tags, Grants and rotation-history tabs).
fn json_block<T: serde::Serialize>(v: &T) -> Html {
    html! { <pre class="code">{ serde_json::to_string_pretty(v).unwrap_or_default() }</pre> }
}

fn principal_list(list: &[String]) -> Html {
    if list.is_empty() {
        return html! { <p class="muted small">{ "None named in the policy" }</p> };
    }
    html! { <ul class="small mono">{ for list.iter().map(|p| html! { <li>{ p.clone() }</li> }) }</ul> }
}

/// Everything the key page shows, read on one copy of the world.
fn load(lab: &LabState, region: &str, key: &str) -> Result<Detail, ViewError> {
    let mut peek = Peek::new(lab);
    let metadata = peek.kms_describe_key(region, key)?;
    let no_public_key =
        metadata.key_spec == "SYMMETRIC_DEFAULT" || metadata.key_spec.starts_with("HMAC");
    Ok(Detail {
        policy: peek.kms_key_policy(region, key),
        rotation: peek.kms_rotation_status(region, key),
        rotations: peek.kms_key_rotations(region, key),
        aliases: peek.kms_aliases(region, Some(key)),
        tags: peek.kms_tags(region, key),
        grants: peek.kms_grants(region, key),
        public_key: if no_public_key {
            Err(ViewError {
                code: "UnsupportedOperationException".into(),
                message: "Symmetric and HMAC keys have no public key: their material never leaves KMS. Asymmetric keys (RSA, ECC) have a public key you can download and use outside AWS.".into(),
            })
        } else {
            peek.kms_public_key(region, key)
        },
        metadata,
    })
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
                lab.call(
                    region.clone(),
                    "kms",
                    operation,
                    input.clone(),
                    summary.clone(),
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
            move |_| load(&lab, &region, &key),
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
                        lab.call(
                            region.clone(),
                            "kms",
                            "PutKeyPolicy",
                            json!({ "KeyId": key_id, "PolicyName": "default", "Policy": text }),
                            "Saved the key policy",
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
            (Ok(doc), None) => {
                let p = doc.source();
                let pretty = serde_json::from_str::<Value>(p)
                    .ok()
                    .and_then(|v| serde_json::to_string_pretty(&v).ok())
                    .unwrap_or_else(|| p.to_owned());
                let edit = {
                    let editing = editing.clone();
                    let pretty = pretty.clone();
                    Callback::from(move |_: MouseEvent| editing.set(Some(pretty.clone())))
                };
                let KeyPolicyRoles { admins, users, iam } =
                    key_policy_roles(doc, &m.aws_account_id);
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
                { field("Key type", html! { if m.key_spec == "SYMMETRIC_DEFAULT" { {"Symmetric"} } else { {"Asymmetric"} } }) }
                { field("Key spec", text(Some(&m.key_spec))) }
                { field("Key usage", text(Some(&m.key_usage))) }
                { field("Origin", text(Some(&m.origin))) }
                { field("Encryption algorithms", text(Some(&m.encryption_algorithms.as_deref().unwrap_or_default().join(", ")))) }
                { field("Regionality", html! { if m.multi_region { {"Multi-Region"} } else { {"Single-Region"} } }) }
            </div>
        },
        Tab::Rotation => html! {
            <>
            { match &d.rotation { Ok(r) => html! {
                <>
                <div class="inline-form">
                    if r.key_rotation_enabled == Some(true) {
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
                    { field("Automatic rotation", html! { if r.key_rotation_enabled == Some(true) { {"Enabled"} } else { {"Disabled"} } }) }
                    { field("Rotation period (days)", text(r.rotation_period_in_days.map(|d| d.to_string()).as_deref())) }
                    { field("Next rotation date", epoch(r.next_rotation_date)) }
                    { field("On-demand rotation started", epoch(r.on_demand_rotation_start_date)) }
                </div>
                </>
            }, Err(e) => error_box(e) } }
            <h3>{ "Rotation history" }</h3>
            { match &d.rotations { Ok(r) => json_block(r), Err(e) => error_box(e) } }
            </>
        },
        Tab::Aliases => match &d.aliases {
            Ok(a) => json_block(a),
            Err(e) => error_box(e),
        },
        Tab::Tags => match &d.tags {
            Ok(t) => json_block(t),
            Err(e) => error_box(e),
        },
        Tab::Grants => match &d.grants {
            Ok(g) => json_block(g),
            Err(e) => error_box(e),
        },
        Tab::Replicas => {
            let mrc = m.multi_region_configuration.clone().unwrap_or_default();
            if m.multi_region {
                html! {
                    <div class="fields">
                        { field("Multi-Region key type", text(mrc.multi_region_key_type.as_deref())) }
                        { field("Primary key", html! { <span class="mono break">{ text(mrc.primary_key.as_ref().and_then(|p| p.arn.as_deref())) }</span> }) }
                        { field("Replica keys", html! { <ul class="small mono">{ for mrc.replica_keys.iter().flatten().map(|r| html! { <li>{ text(r.arn.as_deref()) }</li> }) }</ul> }) }
                    </div>
                }
            } else {
                html! { <p>{ "Single-Region key: it exists only in this Region. Whether a key is multi-Region is chosen at creation (MultiRegion=true) and cannot be changed." }</p> }
            }
        }
        Tab::PublicKey => match &d.public_key {
            Ok(pk) => {
                use base64::Engine as _;
                let der = pk
                    .public_key
                    .as_ref()
                    .map(|b| base64::engine::general_purpose::STANDARD.encode(&b.0))
                    .unwrap_or_default();
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
                { state_badge(&m.key_state) }
            </div>
            <div class="actions key-actions" aria-label="Key actions">
                { match m.key_state.as_str() {
                    "Enabled" => html! { <button class="btn btn-small" data-testid="disable-key" onclick={call("DisableKey", json!({ "KeyId": key_id }), "Disabled the key".into())}>{ "Disable" }</button> },
                    "Disabled" => html! { <button class="btn btn-small" data-testid="enable-key" onclick={call("EnableKey", json!({ "KeyId": key_id }), "Enabled the key".into())}>{ "Enable" }</button> },
                    _ => html! {},
                } }
                if m.key_state == "PendingDeletion" {
                    <button class="btn btn-small" data-testid="cancel-deletion" onclick={call("CancelKeyDeletion", json!({ "KeyId": key_id }), "Cancelled the key deletion; the key is now Disabled".into())}>{ "Cancel key deletion" }</button>
                } else if m.key_manager == "CUSTOMER" {
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
                    { field("ARN", html! { <span class="mono break">{ text(Some(&m.arn)) }</span> }) }
                    { field("Description", text(Some(&m.description))) }
                    { field("Status", text(Some(&m.key_state))) }
                    { field("Creation date", epoch(Some(m.creation_date))) }
                    { field("Key manager", text(Some(&m.key_manager))) }
                    if m.deletion_date.is_some() {
                        { field("Scheduled deletion", epoch(m.deletion_date)) }
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
    use super::*;
    use crate::views::key_policy_roles;

    /// The key page's default view of the policy a script left on key `$K`.
    fn roles_after(script: &[&str]) -> (KeyPolicyRoles, String) {
        let mut session = awscli::Session::new(1, 0);
        for line in script {
            let out = session.run_line_in_memory(line);
            assert!(out.error_code.is_none(), "{line}: {out:?}");
        }
        let key = session.vars.get("K").cloned().unwrap_or_default();
        let lab = LabState::new(session, None);
        let d = load(&lab, "us-east-1", &key).unwrap();
        let doc = d.policy.unwrap();
        (key_policy_roles(&doc, &d.metadata.aws_account_id), key)
    }

    #[test]
    fn a_key_administrators_statement_is_named_whatever_its_sid() {
        // issue 19: "Key administrators: None named in the policy" for the
        // diagnose-denied-decrypt policy, whose administrators' Sid is "KeyAdministrators".
        let (roles, _) = roles_after(&[
            r#"K=$(aws kms create-key --policy '{"Version":"2012-10-17","Statement":[{"Sid":"KeyOwner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/Admin"},"Action":"kms:*","Resource":"*"},{"Sid":"KeyAdministrators","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/SecurityAdmin"},"Action":["kms:Describe*","kms:Enable*","kms:Disable*","kms:Get*","kms:List*","kms:Put*","kms:Update*","kms:Revoke*","kms:ScheduleKeyDeletion","kms:CancelKeyDeletion"],"Resource":"*"}]}' --query KeyMetadata.KeyId --output text)"#,
        ]);
        assert_eq!(
            roles.admins,
            [
                "arn:aws:iam::111122223333:user/Admin",
                "arn:aws:iam::111122223333:role/SecurityAdmin"
            ]
        );
        assert_eq!(roles.users, ["arn:aws:iam::111122223333:user/Admin"]);
        assert!(!roles.iam, "no statement trusts the account root");
    }

    #[test]
    fn not_action_statements_are_not_the_administrators_statement() {
        let (roles, _) = roles_after(&[
            r#"K=$(aws kms create-key --policy '{"Version":"2012-10-17","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},{"Sid":"Allow access for Key Administrators","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/SecurityAdmin"},"NotAction":["kms:Encrypt","kms:Decrypt"],"Resource":"*"}]}' --query KeyMetadata.KeyId --output text)"#,
        ]);
        assert_eq!(
            roles,
            KeyPolicyRoles {
                admins: vec![],
                users: vec![],
                iam: true
            }
        );
    }

    #[test]
    fn typed_lists_show_the_same_json_as_the_api_answer() {
        let mut session = awscli::Session::new(1, 0);
        for line in [
            "K=$(aws kms create-key --query KeyMetadata.KeyId --output text)",
            "aws kms create-alias --alias-name alias/app --target-key-id $K",
            "aws kms tag-resource --key-id $K --tags TagKey=team,TagValue=hr",
            "aws kms create-grant --key-id $K --grantee-principal arn:aws:iam::111122223333:role/AppRole --operations Decrypt --constraints EncryptionContextSubset={dept=hr}",
            "aws kms rotate-key-on-demand --key-id $K",
        ] {
            let out = session.run_line_in_memory(line);
            assert!(out.error_code.is_none(), "{line}: {out:?}");
        }
        let key = session.vars.get("K").cloned().unwrap_or_default();
        let lab = LabState::new(session, None);
        let d = load(&lab, "us-east-1", &key).unwrap();
        let mut peek = Peek::new(&lab);
        let raw = |peek: &mut Peek, op: &str, member: &str| {
            let v = peek
                .call("us-east-1", "kms", op, serde_json::json!({ "KeyId": key }))
                .unwrap();
            serde_json::to_string_pretty(v.get(member).unwrap()).unwrap()
        };
        fn typed<T: serde::Serialize>(v: &T) -> String {
            serde_json::to_string_pretty(v).unwrap()
        }
        assert_eq!(
            typed(&d.aliases.unwrap()),
            raw(&mut peek, "ListAliases", "Aliases")
        );
        assert_eq!(
            typed(&d.tags.unwrap()),
            raw(&mut peek, "ListResourceTags", "Tags")
        );
        assert_eq!(
            typed(&d.grants.unwrap()),
            raw(&mut peek, "ListGrants", "Grants")
        );
        assert_eq!(
            typed(&d.rotations.unwrap()),
            raw(&mut peek, "ListKeyRotations", "Rotations")
        );
    }

    #[test]
    fn the_default_key_policy_delegates_to_iam_and_names_nobody() {
        let (roles, key) =
            roles_after(&["K=$(aws kms create-key --query KeyMetadata.KeyId --output text)"]);
        assert_eq!(
            roles,
            KeyPolicyRoles {
                admins: vec![],
                users: vec![],
                iam: true
            }
        );
        let lab = LabState::new(awscli::Session::new(1, 0), None);
        assert_eq!(
            load(&lab, "us-east-1", &key).map(|_| ()).unwrap_err().code,
            "NotFoundException"
        );
    }
}
