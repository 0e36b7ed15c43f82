//! The Secrets Manager console (`#/secretsmanager`): the encryption settings first (the key each
//! secret's versions are encrypted under, `aws/secretsmanager` when none was named), then every
//! secret with its versions and staging labels. Read on a copy of the world through the typed
//! client; "Retrieve secret value" is a real `GetSecretValue` call (audited, and failing with
//! the KMS error and its Why? card like any other call). A secret's resource permissions are
//! edited below the table.

use cloud::secretsmanager::model as sm;
use serde_json::{Value, json};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::empty_state::EmptyState;
use crate::hooks::use_lab;
use crate::pages::secret_permissions::SecretPermissions;
use crate::pages::{epoch, error_box};
use crate::state::LabState;
use crate::views::{Peek, ViewError};

/// A KMS key named by a service (key id, key ARN, alias name or alias ARN) as a link to its
/// console page when it can be found in the lab, else as text. Aliases are resolved with
/// `ListAliases` in their Region (on the page's copy of the world).
pub(crate) fn key_link(peek: &mut Peek, lab: &LabState, region: &str, key: &str) -> Html {
    let route = key_route(peek, lab, region, key);
    let text = key.to_owned();
    match route {
        Some(to) => html! { <Link<Route> {to} classes="mono small">{ text }</Link<Route>> },
        None => html! { <span class="mono small">{ text }</span> },
    }
}

/// The key page of `key` (see [`key_link`]): aliases (name or ARN) through `ListAliases` in
/// their Region, key ARNs and key ids through [`crate::pages::key_route`], the current Region
/// first.
fn key_route(peek: &mut Peek, lab: &LabState, region: &str, key: &str) -> Option<Route> {
    let alias = match key.strip_prefix("arn:aws:kms:") {
        Some(arn) => {
            let mut parts = arn.splitn(3, ':');
            let region = parts.next()?.to_owned();
            let _account = parts.next()?;
            parts
                .next()
                .filter(|rest| rest.starts_with("alias/"))
                .map(|rest| (region, rest.to_owned()))
        }
        None => key
            .starts_with("alias/")
            .then(|| (region.to_owned(), key.to_owned())),
    };
    if let Some((region, name)) = alias {
        let target = peek
            .kms_aliases(&region, None)
            .ok()?
            .into_iter()
            .find(|a| a.alias_name.as_deref() == Some(name.as_str()))?
            .target_key_id?;
        return Some(Route::KeyDetail {
            region,
            key_id: target,
        });
    }
    lab.with_session(|s| crate::pages::key_route(&s.world, Some(region), key))
}

/// A secret as the table shows it.
#[derive(Clone, Debug, PartialEq)]
struct SecretRow {
    arn: String,
    name: String,
    /// The key as the secret names it (`None`: `aws/secretsmanager`).
    kms_key_id: Option<String>,
    last_changed: Option<f64>,
    deletion_date: Option<f64>,
    rotation: String,
    /// Version id and its staging labels.
    versions: Vec<(String, Vec<String>)>,
    owned_by: Option<String>,
}

/// Every secret of the account and Region (those in their recovery window included).
fn secrets(peek: &mut Peek, region: &str) -> Result<Vec<SecretRow>, ViewError> {
    let mut rows = Vec::new();
    let mut next_token = None;
    loop {
        let req = sm::ListSecretsRequest {
            include_planned_deletion: Some(true),
            max_results: Some(100),
            next_token: next_token.take(),
            ..Default::default()
        };
        let page = peek.client(region)?.secretsmanager().list_secrets(req)?;
        for s in page.secret_list {
            let rotation = match (s.rotation_enabled, &s.rotation_rules) {
                (Some(true), Some(r)) => {
                    match (&r.automatically_after_days, &r.schedule_expression) {
                        (_, Some(e)) => format!("On: {e}"),
                        (Some(d), None) => format!("On: every {d} days"),
                        (None, None) => "On".to_owned(),
                    }
                }
                (Some(true), None) => "On".to_owned(),
                _ => "Off".to_owned(),
            };
            // The function (the lab's stand-ins say so) and the next due date.
            let function = s.rotation_lambda_arn.as_deref().map(|f| {
                let name = f.rsplit(':').next().unwrap_or(f);
                if name.starts_with("KmsLabRotation-") {
                    format!("{name} (the lab's stand-in)")
                } else {
                    name.to_owned()
                }
            });
            #[allow(clippy::cast_possible_truncation, reason = "milliseconds fit in i64")]
            let next = s
                .next_rotation_date
                .map(|d| crate::state::format_time((d * 1000.0) as i64));
            let rotation = match (function, next) {
                (Some(f), Some(n)) => format!("{rotation} · {f} · next {n}"),
                (Some(f), None) => format!("{rotation} · {f}"),
                (None, Some(n)) => format!("{rotation} · next {n}"),
                (None, None) => rotation,
            };
            let owned_by = s
                .tags
                .iter()
                .flatten()
                .find(|t| t.key == "aws:rds:primaryDBInstanceArn")
                .map(|_| "RDS".to_owned());
            rows.push(SecretRow {
                versions: s
                    .secret_versions_to_stages
                    .or(s.version_ids_to_stages)
                    .unwrap_or_default()
                    .into_iter()
                    .collect(),
                arn: s.arn,
                name: s.name,
                kms_key_id: s.kms_key_id,
                last_changed: s.last_changed_date,
                deletion_date: s.deleted_date,
                rotation,
                owned_by,
            });
        }
        match page.next_token {
            Some(t) => next_token = Some(t),
            None => break,
        }
    }
    Ok(rows)
}

/// The page's body: encryption settings, then the secrets table.
fn render(lab: &LabState, region: &str) -> Html {
    let mut peek = Peek::new(lab);
    let default_key = key_link(&mut peek, lab, region, cloud::secretsmanager::DEFAULT_KEY);
    let settings = html! {
        <div class="panel" data-testid="secrets-encryption">
            <div class="panel-header"><h2>{ "Encryption settings" }</h2></div>
            <div class="fields">
                <div class="field"><div class="field-label">{ "Default encryption key" }</div><div class="field-value">{ default_key }<span class="muted small">{ " (AWS managed, created on first use; never usable from another account)" }</span></div></div>
                <div class="field"><div class="field-label">{ "How a version is encrypted" }</div><div class="field-value small">{ "Each new version gets a 256-bit data key from KMS GenerateDataKey; the value is encrypted with it (AES-256-GCM) and only the encrypted data key is kept. Reading calls KMS Decrypt as the caller, through Secrets Manager (kms:ViaService secretsmanager.REGION.amazonaws.com)." }</div></div>
                <div class="field"><div class="field-label">{ "Encryption context" }</div><div class="field-value mono small">{ "SecretARN, SecretVersionId" }</div></div>
                <div class="field"><div class="field-label">{ "Value size" }</div><div class="field-value small">{ "Up to 65,536 bytes (64 KB)" }</div></div>
            </div>
        </div>
    };
    let rows = match secrets(&mut peek, region) {
        Err(e) => return html! { <>{ settings }{ error_box(&e) }</> },
        Ok(rows) => rows,
    };
    let listed: Vec<(String, String)> = rows
        .iter()
        .map(|r| (r.arn.clone(), r.name.clone()))
        .collect();
    let permissions = html! { <SecretPermissions region={region.to_owned()} secrets={listed} /> };
    let table = if rows.is_empty() {
        html! { <EmptyState title="No secrets" text="Create one in the terminal: aws secretsmanager create-secret --name prod/app/db --secret-string '{\"password\":\"hunter2\"}'" /> }
    } else {
        html! {
            <div class="panel">
                <div class="panel-header"><h2>{ format!("Secrets ({})", rows.len()) }</h2></div>
                <div class="table-wrap"><table class="table" data-testid="secrets-table">
                    <thead><tr>
                        <th scope="col">{ "Name" }</th>
                        <th scope="col">{ "KMS key" }</th>
                        <th scope="col">{ "Last changed" }</th>
                        <th scope="col">{ "Deletion date" }</th>
                        <th scope="col">{ "Rotation" }</th>
                        <th scope="col">{ "Versions (staging labels)" }</th>
                        <th scope="col">{ "Value" }</th>
                    </tr></thead>
                    <tbody>{ for rows.into_iter().map(|r| secret_row(&mut peek, lab, region, r)) }</tbody>
                </table></div>
            </div>
        }
    };
    html! { <>{ settings }{ table }{ permissions }</> }
}

fn secret_row(peek: &mut Peek, lab: &LabState, region: &str, r: SecretRow) -> Html {
    let key = match &r.kms_key_id {
        Some(k) => key_link(peek, lab, region, k),
        None => html! { <>
            { key_link(peek, lab, region, cloud::secretsmanager::DEFAULT_KEY) }
            <span class="muted small">{ " (AWS managed)" }</span>
        </> },
    };
    html! {
        <tr data-secret={r.name.clone()}>
            <td class="mono small">{ r.name.clone() }
                if let Some(by) = &r.owned_by { { " " }<span class="badge">{ format!("managed by {by}") }</span> }
                <div class="muted small break" data-testid="secret-arn">{ format!("Secret ARN: {}", r.arn) }</div>
            </td>
            <td>{ key }</td>
            <td class="small">{ epoch(r.last_changed) }</td>
            <td class="small">
                if r.deletion_date.is_some() { <span class="badge badge-warn">{ "scheduled" }</span>{ " " } }
                { epoch(r.deletion_date) }
            </td>
            <td class="small">{ r.rotation.clone() }</td>
            <td class="small">{ for r.versions.iter().map(|(id, stages)| html! {
                <div><span class="mono" title={id.clone()}>{ id.chars().take(8).collect::<String>() }</span>{ " " }
                    { for stages.iter().map(|s| html! { <><span class="badge">{ s.clone() }</span>{ " " }</> }) }
                </div>
            }) }</td>
            <td><RetrieveButton arn={r.arn.clone()} name={r.name.clone()} /></td>
        </tr>
    }
}

#[derive(Properties, PartialEq, Debug)]
struct RetrieveProps {
    arn: AttrValue,
    name: AttrValue,
}

/// "Retrieve secret value": a real `GetSecretValue` as the current profile.
#[component]
fn RetrieveButton(props: &RetrieveProps) -> Html {
    let lab = use_lab();
    let onclick = {
        let (lab, arn, name) = (lab.clone(), props.arn.to_string(), props.name.to_string());
        Callback::from(move |_: MouseEvent| {
            let region = lab.identity().region;
            lab.call(
                region,
                "secretsmanager",
                "GetSecretValue",
                json!({ "SecretId": arn }),
                format!("Retrieved the value of secret {name}"),
            )
        })
    };
    html! { <button class="btn btn-small" {onclick} data-testid="retrieve-secret">{ "Retrieve secret value" }</button> }
}

/// The value the last `GetSecretValue` answered, shown until the flash is dismissed.
fn retrieved_value(lab: &LabState) -> Html {
    let Some(outcome) = lab.last_call.as_ref() else {
        return html! {};
    };
    let Ok(answer) = &outcome.result else {
        return html! {};
    };
    if outcome.operation != "GetSecretValue" {
        return html! {};
    }
    let field = |k: &str| answer[k].as_str().unwrap_or_default().to_owned();
    let value = match &answer["SecretString"] {
        Value::String(s) => s.clone(),
        _ => format!("(binary, base64) {}", field("SecretBinary")),
    };
    let stages: Vec<&str> = answer["VersionStages"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    html! {
        <div class="panel" data-testid="secret-value">
            <div class="panel-header"><h2>{ format!("Secret value: {}", field("Name")) }</h2></div>
            <p class="muted small">{ format!("Version {} ({}). Decrypted by KMS for you: the call is in Activity (GetSecretValue, and the Decrypt Secrets Manager made as you).", field("VersionId"), stages.join(", ")) }</p>
            <pre class="code small">{ value }</pre>
        </div>
    }
}

#[component]
pub fn Secrets() -> Html {
    let lab = use_lab();
    let id = lab.identity();
    let body = {
        let lab = (*lab).clone();
        use_memo((lab.revision, id.region.clone()), move |(_, region)| {
            render(&lab, region)
        })
    };
    html! {
        <section class="page page-wide" aria-labelledby="page-title">
            <div class="page-header">
                <h1 id="page-title">{ "Secrets Manager" }</h1>
                <span class="muted">{ format!("{} · {}", id.account, id.region) }</span>
            </div>
            { retrieved_value(&lab) }
            { (*body).clone() }
        </section>
    }
}
