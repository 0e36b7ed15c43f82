//! The key page's list tabs as the console shows them: tables with add and remove actions for
//! aliases and tags, key rotation (period, Rotate now, history with dates), grants (a lab view:
//! the console has none), and the Regionality/Replicas tab of multi-Region keys. Every action is
//! a KMS call as the current profile (audited; a denial shows the Why? card).

use serde_json::{Value, json};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::hooks::{Lab, use_lab};
use crate::pages::epoch;
use crate::views::{
    AliasListEntry, GrantListEntry, KeyMetadata, KeyRotationStatus, RotationsListEntry, Tag,
};

/// One KMS call as the current profile.
fn kms(lab: &Lab, region: &str, operation: &'static str, input: Value, summary: String) {
    lab.call(region.to_owned(), "kms", operation, input, summary);
}

fn text_input(state: &UseStateHandle<String>) -> Callback<InputEvent> {
    let state = state.clone();
    Callback::from(move |e: InputEvent| {
        if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
            state.set(i.value());
        }
    })
}

/// `alias/NAME` for what was typed (the console adds the prefix).
pub fn alias_name(typed: &str) -> String {
    let t = typed.trim();
    if t.starts_with("alias/") {
        t.to_owned()
    } else {
        format!("alias/{t}")
    }
}

#[derive(Properties, PartialEq, Debug)]
pub struct KeyTabProps<T: PartialEq> {
    pub region: AttrValue,
    pub key_id: AttrValue,
    pub items: T,
}

#[component]
pub fn AliasesTab(props: &KeyTabProps<Vec<AliasListEntry>>) -> Html {
    let lab = use_lab();
    let name = use_state(String::new);
    let region = props.region.to_string();
    let key_id = props.key_id.to_string();
    let create = {
        let (lab, region, key_id, name) =
            (lab.clone(), region.clone(), key_id.clone(), name.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if name.trim().is_empty() {
                return;
            }
            let alias = alias_name(&name);
            kms(
                &lab,
                &region,
                "CreateAlias",
                json!({ "AliasName": alias, "TargetKeyId": key_id }),
                format!("Created alias {alias}"),
            );
            name.set(String::new());
        })
    };
    html! {
        <>
        <h3>{ format!("Aliases ({})", props.items.len()) }</h3>
        if props.items.is_empty() {
            <p class="muted">{ "This key has no aliases." }</p>
        } else {
            <div class="table-wrap"><table class="table" data-testid="aliases-table">
                <thead><tr><th scope="col">{ "Alias name" }</th><th scope="col">{ "Alias ARN" }</th><th scope="col">{ "Created" }</th><th scope="col"><span class="sr-only">{ "Actions" }</span></th></tr></thead>
                <tbody>
                { for props.items.iter().map(|a| {
                    let alias = a.alias_name.clone().unwrap_or_default();
                    let delete = {
                        let (lab, region, alias) = (lab.clone(), region.clone(), alias.clone());
                        Callback::from(move |_: MouseEvent| kms(&lab, &region, "DeleteAlias", json!({ "AliasName": alias }), format!("Deleted alias {alias}")))
                    };
                    html! { <tr>
                        <td class="mono">{ alias.clone() }</td>
                        <td class="mono small break">{ a.alias_arn.clone().unwrap_or_default() }</td>
                        <td class="small">{ epoch(a.creation_date) }</td>
                        <td><button type="button" class="btn btn-small" aria-label={format!("Delete alias {alias}")} onclick={delete}>{ "Delete" }</button></td>
                    </tr> }
                }) }
                </tbody>
            </table></div>
        }
        <form class="inline-form" onsubmit={create} data-testid="alias-form">
            <label>{ "New alias " }<input class="input" placeholder="alias/my-key" value={(*name).clone()} oninput={text_input(&name)} aria-label="New alias name" /></label>
            <button type="submit" class="btn btn-small">{ "Create alias" }</button>
        </form>
        </>
    }
}

#[component]
pub fn TagsTab(props: &KeyTabProps<Vec<Tag>>) -> Html {
    let lab = use_lab();
    let key = use_state(String::new);
    let value = use_state(String::new);
    let region = props.region.to_string();
    let key_id = props.key_id.to_string();
    let add = {
        let (lab, region, key_id, key, value) = (
            lab.clone(),
            region.clone(),
            key_id.clone(),
            key.clone(),
            value.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            kms(
                &lab,
                &region,
                "TagResource",
                json!({ "KeyId": key_id, "Tags": [{ "TagKey": *key, "TagValue": *value }] }),
                format!("Added tag {}={}", *key, *value),
            );
            key.set(String::new());
            value.set(String::new());
        })
    };
    html! {
        <>
        <h3>{ format!("Tags ({})", props.items.len()) }</h3>
        if props.items.is_empty() {
            <p class="muted">{ "This key has no tags." }</p>
        } else {
            <div class="table-wrap"><table class="table" data-testid="tags-table">
                <thead><tr><th scope="col">{ "Tag key" }</th><th scope="col">{ "Tag value" }</th><th scope="col"><span class="sr-only">{ "Actions" }</span></th></tr></thead>
                <tbody>
                { for props.items.iter().map(|t| {
                    let remove = {
                        let (lab, region, key_id, k) = (lab.clone(), region.clone(), key_id.clone(), t.tag_key.clone());
                        Callback::from(move |_: MouseEvent| kms(&lab, &region, "UntagResource", json!({ "KeyId": key_id, "TagKeys": [k] }), format!("Removed tag {k}")))
                    };
                    html! { <tr>
                        <td class="mono">{ t.tag_key.clone() }</td>
                        <td class="mono">{ if t.tag_value.is_empty() { "-".to_owned() } else { t.tag_value.clone() } }</td>
                        <td><button type="button" class="btn btn-small" aria-label={format!("Remove tag {}", t.tag_key)} onclick={remove}>{ "Remove" }</button></td>
                    </tr> }
                }) }
                </tbody>
            </table></div>
        }
        <form class="inline-form" onsubmit={add} data-testid="tag-form">
            <label>{ "Tag key " }<input class="input" value={(*key).clone()} oninput={text_input(&key)} aria-label="Tag key" /></label>
            <label>{ "Tag value " }<input class="input" value={(*value).clone()} oninput={text_input(&value)} aria-label="Tag value" /></label>
            <button type="submit" class="btn btn-small">{ "Add tag" }</button>
        </form>
        <p class="help">{ "Tags can also control access (ABAC: aws:ResourceTag conditions), so adding or removing one is a key-administrator permission." }</p>
        </>
    }
}

#[derive(Properties, PartialEq, Debug)]
pub struct RotationProps {
    pub region: AttrValue,
    pub key_id: AttrValue,
    pub status: KeyRotationStatus,
    pub history: Vec<RotationsListEntry>,
}

#[component]
pub fn RotationTab(props: &RotationProps) -> Html {
    let lab = use_lab();
    let r = &props.status;
    let enabled = r.key_rotation_enabled == Some(true);
    let period = use_state(|| r.rotation_period_in_days.unwrap_or(365).to_string());
    let region = props.region.to_string();
    let key_id = props.key_id.to_string();
    let save = {
        let (lab, region, key_id, period) =
            (lab.clone(), region.clone(), key_id.clone(), period.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            // Whatever was typed is sent: KMS answers a period outside 90–2560 with its own error.
            let days = period.trim().parse::<i64>().unwrap_or(-1);
            kms(
                &lab,
                &region,
                "EnableKeyRotation",
                json!({ "KeyId": key_id, "RotationPeriodInDays": days }),
                format!("Automatic rotation every {} days", period.trim()),
            );
        })
    };
    let disable = {
        let (lab, region, key_id) = (lab.clone(), region.clone(), key_id.clone());
        Callback::from(move |_: MouseEvent| {
            kms(
                &lab,
                &region,
                "DisableKeyRotation",
                json!({ "KeyId": key_id }),
                "Disabled automatic rotation".into(),
            )
        })
    };
    let rotate_now = {
        let (lab, region, key_id) = (lab.clone(), region.clone(), key_id.clone());
        Callback::from(move |_: MouseEvent| {
            kms(
                &lab,
                &region,
                "RotateKeyOnDemand",
                json!({ "KeyId": key_id }),
                "Started an on-demand rotation".into(),
            )
        })
    };
    html! {
        <>
        <h3>{ "Automatic key rotation" }</h3>
        <div class="fields">
            <div class="field"><div class="field-label">{ "Status" }</div><div class="field-value" data-testid="rotation-status">{ if enabled { "Enabled" } else { "Disabled" } }</div></div>
            <div class="field"><div class="field-label">{ "Rotation period" }</div><div class="field-value">{ r.rotation_period_in_days.map_or_else(|| "-".to_owned(), |d| format!("{d} days")) }</div></div>
            <div class="field"><div class="field-label">{ "Next rotation date" }</div><div class="field-value">{ epoch(r.next_rotation_date) }</div></div>
        </div>
        <form class="inline-form" onsubmit={save} data-testid="rotation-form">
            <label>{ "Rotation period (90–2560 days) " }
                <input class="input input-num" type="number" min="90" max="2560" value={(*period).clone()} oninput={text_input(&period)} aria-label="Rotation period in days" />
            </label>
            <button type="submit" class="btn btn-small" data-testid="enable-rotation">{ if enabled { "Save rotation period" } else { "Enable automatic rotation" } }</button>
            if enabled {
                <button type="button" class="btn btn-small" onclick={disable}>{ "Disable automatic rotation" }</button>
            }
        </form>
        <h3>{ "On-demand rotation" }</h3>
        <p class="help">{ "Rotates the key material now, without changing the automatic schedule. Old material is kept, so earlier ciphertexts still decrypt." }</p>
        <div class="inline-form">
            <button type="button" class="btn btn-small" onclick={rotate_now} data-testid="rotate-now">{ "Rotate now" }</button>
            if r.on_demand_rotation_start_date.is_some() {
                <span class="muted small">{ "On-demand rotation started " }{ epoch(r.on_demand_rotation_start_date) }</span>
            }
        </div>
        <h3>{ format!("Rotation history ({})", props.history.len()) }</h3>
        if props.history.is_empty() {
            <p class="muted">{ "This key's material has not been rotated yet." }</p>
        } else {
            <div class="table-wrap"><table class="table" data-testid="rotations-table">
                <thead><tr><th scope="col">{ "Date and time" }</th><th scope="col">{ "Rotation type" }</th><th scope="col">{ "Key material ID" }</th></tr></thead>
                <tbody>
                { for props.history.iter().map(|h| html! { <tr>
                    <td class="small">{ epoch(h.rotation_date) }</td>
                    <td>{ match h.rotation_type.as_deref() { Some("ON_DEMAND") => "On-demand", Some("AUTOMATIC") => "Automatic", Some(other) => other, None => "-" } }</td>
                    <td class="mono small break">{ h.key_material_id.clone().unwrap_or_else(|| "-".into()) }</td>
                </tr> }) }
                </tbody>
            </table></div>
        }
        </>
    }
}

/// Constraints of a grant in words: `EncryptionContextSubset {dept=hr}`.
pub fn constraints_text(g: &GrantListEntry) -> String {
    let Some(c) = &g.constraints else {
        return "-".into();
    };
    let pairs = |m: &std::collections::BTreeMap<String, String>| {
        m.iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut out = Vec::new();
    if let Some(m) = &c.encryption_context_subset {
        out.push(format!("EncryptionContextSubset {{{}}}", pairs(m)));
    }
    if let Some(m) = &c.encryption_context_equals {
        out.push(format!("EncryptionContextEquals {{{}}}", pairs(m)));
    }
    if let Some(s) = &c.source_arn {
        out.push(format!("SourceArn {s}"));
    }
    if out.is_empty() {
        "-".into()
    } else {
        out.join("; ")
    }
}

#[component]
pub fn GrantsTab(props: &KeyTabProps<Vec<GrantListEntry>>) -> Html {
    let lab = use_lab();
    let region = props.region.to_string();
    let key_id = props.key_id.to_string();
    html! {
        <>
        <div class="alert alert-info" role="note" data-testid="grants-lab-view">
            <strong>{ "Lab view." }</strong>
            { " The AWS console has no grants page: grants are listed with ListGrants and removed with RevokeGrant or RetireGrant (aws kms list-grants --key-id …). This table shows that answer; the form below is CreateGrant as the SDK or CLI calls it." }
        </div>
        <h3>{ format!("Grants ({})", props.items.len()) }</h3>
        if props.items.is_empty() {
            <p class="muted">{ "This key has no grants." }</p>
        } else {
            <div class="table-wrap"><table class="table" data-testid="grants-table">
                <thead><tr>
                    <th scope="col">{ "Grant ID" }</th><th scope="col">{ "Name" }</th><th scope="col">{ "Grantee principal" }</th>
                    <th scope="col">{ "Operations" }</th><th scope="col">{ "Constraints" }</th><th scope="col">{ "Retiring principal" }</th>
                    <th scope="col">{ "Created" }</th><th scope="col"><span class="sr-only">{ "Actions" }</span></th>
                </tr></thead>
                <tbody>
                { for props.items.iter().map(|g| {
                    let id = g.grant_id.clone().unwrap_or_default();
                    let revoke = {
                        let (lab, region, key_id, id) = (lab.clone(), region.clone(), key_id.clone(), id.clone());
                        Callback::from(move |_: MouseEvent| kms(&lab, &region, "RevokeGrant", json!({ "KeyId": key_id, "GrantId": id }), format!("Revoked grant {}", short(&id))))
                    };
                    html! { <tr>
                        <td class="mono small" title={id.clone()}>{ short(&id) }</td>
                        <td>{ g.name.clone().filter(|n| !n.is_empty()).unwrap_or_else(|| "-".into()) }</td>
                        <td class="mono small break">{ g.grantee_principal.clone().or_else(|| g.grantee_service_principal.clone()).unwrap_or_else(|| "-".into()) }</td>
                        <td class="small">{ g.operations.clone().unwrap_or_default().join(", ") }</td>
                        <td class="mono small break">{ constraints_text(g) }</td>
                        <td class="mono small break">{ g.retiring_principal.clone().unwrap_or_else(|| "-".into()) }</td>
                        <td class="small">{ epoch(g.creation_date) }</td>
                        <td><button type="button" class="btn btn-small" aria-label={format!("Revoke grant {}", short(&id))} onclick={revoke}>{ "Revoke" }</button></td>
                    </tr> }
                }) }
                </tbody>
            </table></div>
        }
        <super::create_grant::CreateGrantForm region={props.region.clone()} key_id={props.key_id.clone()} />
        </>
    }
}

/// The first 12 characters of a long id (the whole id is in the cell's title).
fn short(id: &str) -> String {
    match id.char_indices().nth(12) {
        Some((i, _)) => format!("{}…", &id[..i]),
        None => id.to_owned(),
    }
}

#[derive(Properties, PartialEq, Debug)]
pub struct ReplicasProps {
    pub region: AttrValue,
    pub metadata: KeyMetadata,
}

#[component]
pub fn ReplicasTab(props: &ReplicasProps) -> Html {
    let lab = use_lab();
    let m = &props.metadata;
    let mrc = m.multi_region_configuration.clone().unwrap_or_default();
    let used: Vec<String> = mrc
        .primary_key
        .iter()
        .chain(mrc.replica_keys.iter().flatten())
        .filter_map(|k| k.region.clone())
        .collect();
    let free: Vec<&str> = crate::state::REGIONS
        .iter()
        .copied()
        .filter(|r| !used.iter().any(|u| u == r))
        .collect();
    let target = use_state(|| None::<String>);
    if !m.multi_region {
        return html! { <p>{ "Single-Region key: it exists only in this Region. Whether a key is multi-Region is chosen when it is created (Advanced options → Multi-Region key) and cannot be changed." }</p> };
    }
    let primary = mrc.multi_region_key_type.as_deref() == Some("PRIMARY");
    let replicate = {
        let lab = lab.clone();
        let region = props.region.to_string();
        let key_id = m.key_id.clone();
        let chosen = (*target)
            .clone()
            .or_else(|| free.first().map(|s| (*s).to_owned()));
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(to) = &chosen {
                kms(
                    &lab,
                    &region,
                    "ReplicateKey",
                    json!({ "KeyId": key_id, "ReplicaRegion": to }),
                    format!("Created a replica key in {to}"),
                );
            }
        })
    };
    let on_target = {
        let target = target.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = e.target_dyn_into::<HtmlSelectElement>() {
                target.set(Some(s.value()));
            }
        })
    };
    let row = |k: &cloud::kms::model::MultiRegionKey, kind: &str| {
        let region = k.region.clone().unwrap_or_default();
        let here = region == props.region.as_str();
        html! { <tr>
            <td>{ region.clone() }{ if here { " (this key)" } else { "" } }</td>
            <td>{ kind.to_owned() }</td>
            <td class="mono small break">
                <Link<Route> to={Route::KeyDetail { region: region.clone(), key_id: m.key_id.clone() }}>{ k.arn.clone().unwrap_or_default() }</Link<Route>>
            </td>
        </tr> }
    };
    html! {
        <>
        <p class="help">{ "A multi-Region key and its replicas share key material and key ID, so one Region's ciphertext decrypts in another. Each has its own key policy, grants, aliases and state." }</p>
        <div class="table-wrap"><table class="table" data-testid="replicas-table">
            <thead><tr><th scope="col">{ "Region" }</th><th scope="col">{ "Type" }</th><th scope="col">{ "Key ARN" }</th></tr></thead>
            <tbody>
                { for mrc.primary_key.iter().map(|k| row(k, "Primary")) }
                { for mrc.replica_keys.iter().flatten().map(|k| row(k, "Replica")) }
            </tbody>
        </table></div>
        if primary && !free.is_empty() {
            <form class="inline-form" onsubmit={replicate} data-testid="replicate-form">
                <label>{ "Create new replica key in " }
                    <select class="input" aria-label="Replica Region" onchange={on_target}>
                        { for free.iter().map(|r| html! { <option value={*r} selected={target.as_deref() == Some(*r)}>{ *r }</option> }) }
                    </select>
                </label>
                <button type="submit" class="btn btn-small">{ "Create replica key" }</button>
            </form>
        } else if !primary {
            <p class="muted small">{ "Replicas are created from the primary key." }</p>
        }
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_get_their_prefix_once() {
        assert_eq!(alias_name("app"), "alias/app");
        assert_eq!(alias_name(" alias/app "), "alias/app");
    }

    #[test]
    fn grant_constraints_and_ids_read_in_words() {
        let g: GrantListEntry = GrantListEntry {
            constraints: Some(cloud::kms::model::GrantConstraints {
                encryption_context_subset: Some([("dept".to_owned(), "hr".to_owned())].into()),
                ..Default::default()
            }),
            ..Default::default()
        };
        assert_eq!(constraints_text(&g), "EncryptionContextSubset {dept=hr}");
        assert_eq!(constraints_text(&GrantListEntry::default()), "-");
        assert_eq!(short("0123456789abcdef"), "0123456789ab…");
        assert_eq!(short("abc"), "abc");
    }
}
