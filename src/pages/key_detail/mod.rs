//! Console: one KMS key — general configuration, key actions (with the console's confirmation
//! dialogs), key policy, cryptographic configuration, rotation, aliases, tags, grants, replicas
//! and public key.

mod create_grant;
mod default_view;
mod dialogs;
mod material;
mod policy_tab;
mod tables;

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
    AliasListEntry, GrantListEntry, KeyMetadata, KeyRotationStatus, Peek, PublicKey,
    RotationsListEntry, Tag, ViewError,
};
use dialogs::{DeleteMaterialDialog, DisableKeyDialog, ScheduleDeletionDialog};
use material::MaterialTab;
use policy_tab::PolicyTab;
use tables::{AliasesTab, GrantsTab, ReplicasTab, RotationTab, TagsTab};

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
    Material,
}

const TABS: [(Tab, &str); 9] = [
    (Tab::Policy, "Key policy"),
    (Tab::Crypto, "Cryptographic configuration"),
    (Tab::Rotation, "Key rotation"),
    (Tab::Aliases, "Aliases"),
    (Tab::Tags, "Tags"),
    (Tab::Grants, "Grants"),
    (Tab::Replicas, "Regionality"),
    (Tab::PublicKey, "Public key"),
    (Tab::Material, "Key material"),
];

/// The confirmation dialog open on the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Confirm {
    Disable,
    ScheduleDeletion,
    DeleteMaterial,
}

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
    let confirm = use_state(|| None::<Confirm>);
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
    let open = |which: Confirm| {
        let confirm = confirm.clone();
        Callback::from(move |_: MouseEvent| confirm.set(Some(which)))
    };
    let close = {
        let confirm = confirm.clone();
        Callback::from(move |()| confirm.set(None))
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
    let customer = m.key_manager == "CUSTOMER";
    let tabs: Vec<(Tab, &str)> = TABS
        .iter()
        // Only keys with imported material have the Key material tab.
        .filter(|(t, _)| *t != Tab::Material || m.origin == "EXTERNAL")
        .map(|(t, label)| match t {
            Tab::Replicas if m.multi_region => (*t, "Replicas"),
            _ => (*t, *label),
        })
        .collect();
    let tab_content = match *tab {
        Tab::Policy => match &d.policy {
            Ok(doc) => html! {
                <PolicyTab region={region.clone()} key_id={key_id.clone()} account={m.aws_account_id.clone()}
                    doc={doc.clone()} customer_managed={customer} />
            },
            Err(e) => error_box(e),
        },
        Tab::Crypto => html! {
            <div class="fields">
                { field("Key type", html! { if m.key_spec == "SYMMETRIC_DEFAULT" { {"Symmetric"} } else if m.key_spec.starts_with("HMAC") { {"HMAC"} } else { {"Asymmetric"} } }) }
                { field("Key spec", text(Some(&m.key_spec))) }
                { field("Key usage", text(Some(&m.key_usage))) }
                { field("Origin", text(Some(&m.origin))) }
                { field("Encryption algorithms", text(Some(&m.encryption_algorithms.as_deref().unwrap_or_default().join(", ")))) }
                { field("Regionality", html! { if m.multi_region { {"Multi-Region"} } else { {"Single-Region"} } }) }
                if m.origin == "EXTERNAL" {
                    { field("Key material expires", if m.expiration_model.as_deref() == Some("KEY_MATERIAL_DOES_NOT_EXPIRE") { html! { "Never" } } else { epoch(m.valid_to) }) }
                }
            </div>
        },
        Tab::Rotation => match &d.rotation {
            Ok(r) => html! {
                <RotationTab region={region.clone()} key_id={key_id.clone()} status={r.clone()}
                    history={d.rotations.clone().unwrap_or_default()} />
            },
            Err(e) => error_box(e),
        },
        Tab::Aliases => match &d.aliases {
            Ok(a) => {
                html! { <AliasesTab region={region.clone()} key_id={key_id.clone()} items={a.clone()} /> }
            }
            Err(e) => error_box(e),
        },
        Tab::Tags => match &d.tags {
            Ok(t) => {
                html! { <TagsTab region={region.clone()} key_id={key_id.clone()} items={t.clone()} /> }
            }
            Err(e) => error_box(e),
        },
        Tab::Grants => match &d.grants {
            Ok(g) => {
                html! { <GrantsTab region={region.clone()} key_id={key_id.clone()} items={g.clone()} /> }
            }
            Err(e) => error_box(e),
        },
        Tab::Replicas => html! { <ReplicasTab region={region.clone()} metadata={m.clone()} /> },
        Tab::PublicKey => public_key_tab(&d.public_key),
        Tab::Material => html! { <MaterialTab region={region.clone()} metadata={m.clone()} /> },
    };
    let has_material = m.origin == "EXTERNAL"
        && !matches!(
            m.key_state.as_str(),
            "PendingImport" | "PendingDeletion" | "PendingReplicaDeletion"
        );

    html! {
        <section class="page" aria-labelledby="page-title">
            { crumbs }
            <div class="page-header">
                <h1 id="page-title" class="mono break">{ props.key_id.clone() }</h1>
                { state_badge(&m.key_state) }
            </div>
            if customer {
                <div class="actions key-actions" role="group" aria-label="Key actions">
                    { match m.key_state.as_str() {
                        "Enabled" => html! { <button type="button" class="btn btn-small" data-testid="disable-key" onclick={open(Confirm::Disable)}>{ "Disable" }</button> },
                        "Disabled" => html! { <button type="button" class="btn btn-small" data-testid="enable-key" onclick={call("EnableKey", json!({ "KeyId": key_id }), "Enabled the key".into())}>{ "Enable" }</button> },
                        _ => html! {},
                    } }
                    if m.key_state == "PendingDeletion" {
                        <button type="button" class="btn btn-small" data-testid="cancel-deletion" onclick={call("CancelKeyDeletion", json!({ "KeyId": key_id }), "Cancelled the key deletion; the key is now Disabled".into())}>{ "Cancel key deletion" }</button>
                    } else if m.key_state != "PendingReplicaDeletion" {
                        <button type="button" class="btn btn-small btn-danger" data-testid="schedule-deletion" onclick={open(Confirm::ScheduleDeletion)}>{ "Schedule key deletion" }</button>
                    }
                    if has_material {
                        <button type="button" class="btn btn-small btn-danger" data-testid="delete-material" onclick={open(Confirm::DeleteMaterial)}>{ "Delete key material" }</button>
                    }
                </div>
            }
            { match *confirm {
                Some(Confirm::Disable) => html! { <DisableKeyDialog region={region.clone()} key_id={key_id.clone()} on_close={close.clone()} /> },
                Some(Confirm::ScheduleDeletion) => html! { <ScheduleDeletionDialog region={region.clone()} key_id={key_id.clone()} on_close={close.clone()} /> },
                Some(Confirm::DeleteMaterial) => html! { <DeleteMaterialDialog region={region.clone()} key_id={key_id.clone()} on_close={close.clone()} /> },
                None => html! {},
            } }
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
            <div class="tabs" role="tablist" aria-label="Key details">
                { for tabs.iter().map(|(t, label)| {
                    let tab_h = tab.clone();
                    let t = *t;
                    let selected = *tab == t;
                    html! { <button type="button" role="tab" aria-selected={selected.to_string()} class={classes!("tab", selected.then_some("tab-active"))}
                        onclick={Callback::from(move |_| tab_h.set(t))}>{ *label }</button> }
                }) }
            </div>
            <div class="panel" role="tabpanel">{ tab_content }</div>
        </section>
    }
}

/// The public key of an asymmetric key, as PEM; why there is none otherwise.
fn public_key_tab(pk: &Result<PublicKey, ViewError>) -> Html {
    match pk {
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
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::{KeyPolicyRoles, key_policy_roles};

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
                iam: true,
                ..KeyPolicyRoles::default()
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
                iam: true,
                ..KeyPolicyRoles::default()
            }
        );
        let lab = LabState::new(awscli::Session::new(1, 0), None);
        assert_eq!(
            load(&lab, "us-east-1", &key).map(|_| ()).unwrap_err().code,
            "NotFoundException"
        );
    }
}
