//! The Parameter Store console (`#/parameter-store`): the encryption settings first (the key of
//! SecureString parameters, `alias/aws/ssm` when none was named, and how each tier encrypts),
//! then every parameter. Read on a copy of the world through the typed client; "Show decrypted
//! value" is a real `GetParameter --with-decryption` call (audited, and failing with the KMS
//! error and its Why? card like any other call).

use cloud::ssm::model as ssm;
use serde_json::json;
use yew::prelude::*;

use crate::components::empty_state::EmptyState;
use crate::hooks::use_lab;
use crate::pages::secrets::key_link;
use crate::pages::{epoch, error_box};
use crate::state::LabState;
use crate::views::{Peek, ViewError};

/// Every parameter of the account and Region (`DescribeParameters`, every page).
fn parameters(peek: &mut Peek, region: &str) -> Result<Vec<ssm::ParameterMetadata>, ViewError> {
    peek.all_pages(region, |c, next_token| {
        let page = c
            .ssm()
            .describe_parameters(ssm::DescribeParametersRequest {
                max_results: Some(50),
                next_token,
                ..Default::default()
            })?;
        Ok((page.parameters, page.next_token))
    })
}

fn render(lab: &LabState, region: &str) -> Html {
    let mut peek = Peek::new(lab);
    let default_key = key_link(&mut peek, lab, region, cloud::ssm::DEFAULT_KEY);
    let settings = html! {
        <div class="panel" data-testid="parameters-encryption">
            <div class="panel-header"><h2>{ "Encryption settings" }</h2></div>
            <div class="fields">
                <div class="field"><div class="field-label">{ "Default key of SecureString parameters" }</div><div class="field-value">{ default_key }<span class="muted small">{ " (AWS managed, created on first use)" }</span></div></div>
                <div class="field"><div class="field-label">{ "Standard tier" }</div><div class="field-value small">{ "Values up to 4 KB, encrypted by KMS Encrypt directly; free." }</div></div>
                <div class="field"><div class="field-label">{ "Advanced tier" }</div><div class="field-value small">{ "Values up to 8 KB, envelope encryption with a data key from KMS GenerateDataKey; charged per parameter per month." }</div></div>
                <div class="field"><div class="field-label">{ "Encryption context" }</div><div class="field-value mono small">{ "PARAMETER_ARN" }</div></div>
                <div class="field"><div class="field-label">{ "Reading" }</div><div class="field-value small">{ "Without --with-decryption a SecureString reads as its ciphertext and no KMS call is made; with it, Parameter Store calls KMS Decrypt as the caller (kms:ViaService ssm.REGION.amazonaws.com)." }</div></div>
            </div>
        </div>
    };
    let params = match parameters(&mut peek, region) {
        Err(e) => return html! { <>{ settings }{ error_box(&e) }</> },
        Ok(p) => p,
    };
    let table = if params.is_empty() {
        html! { <EmptyState title="No parameters" text="Create one in the terminal: aws ssm put-parameter --name /app/db/password --type SecureString --value hunter2" /> }
    } else {
        html! {
            <div class="panel">
                <div class="panel-header"><h2>{ format!("Parameters ({})", params.len()) }</h2></div>
                <div class="table-wrap"><table class="table" data-testid="parameters-table">
                    <thead><tr>
                        <th scope="col">{ "Name" }</th>
                        <th scope="col">{ "Type" }</th>
                        <th scope="col">{ "Tier" }</th>
                        <th scope="col">{ "KMS key" }</th>
                        <th scope="col">{ "Version" }</th>
                        <th scope="col">{ "Last modified" }</th>
                        <th scope="col">{ "Value" }</th>
                    </tr></thead>
                    <tbody>{ for params.into_iter().map(|p| {
                        let key = match &p.key_id {
                            Some(k) => key_link(&mut peek, lab, region, k),
                            None => html! { "-" },
                        };
                        let secure = p.r#type == "SecureString";
                        html! {
                            <tr data-parameter={p.name.clone()}>
                                <td class="mono small">{ p.name.clone() }</td>
                                <td class="small">{ p.r#type.clone() }</td>
                                <td class="small">{ p.tier.clone() }</td>
                                <td>{ key }</td>
                                <td class="small">{ p.version.to_string() }</td>
                                <td class="small">{ epoch(Some(p.last_modified_date)) }</td>
                                <td><ShowValue name={p.name.clone()} {secure} /></td>
                            </tr>
                        }
                    }) }</tbody>
                </table></div>
            </div>
        }
    };
    html! { <>{ settings }{ table }</> }
}

#[derive(Properties, PartialEq, Debug)]
struct ShowValueProps {
    name: AttrValue,
    secure: bool,
}

/// "Show decrypted value" (or "Show value"): a real `GetParameter` as the current profile.
#[component]
fn ShowValue(props: &ShowValueProps) -> Html {
    let lab = use_lab();
    let onclick = {
        let (lab, name, secure) = (lab.clone(), props.name.to_string(), props.secure);
        Callback::from(move |_: MouseEvent| {
            let region = lab.identity().region;
            lab.call(
                region,
                "ssm",
                "GetParameter",
                json!({ "Name": name, "WithDecryption": secure }),
                if secure {
                    format!("Decrypted parameter {name}")
                } else {
                    format!("Read parameter {name}")
                },
            )
        })
    };
    let label = if props.secure {
        "Show decrypted value"
    } else {
        "Show value"
    };
    html! { <button class="btn btn-small" {onclick} data-testid="show-parameter">{ label }</button> }
}

/// The value the last `GetParameter` answered, shown until the flash is dismissed.
fn shown_value(lab: &LabState) -> Html {
    let Some(outcome) = lab.last_call.as_ref() else {
        return html! {};
    };
    let (Ok(answer), "GetParameter") = (&outcome.result, outcome.operation.as_str()) else {
        return html! {};
    };
    let p = &answer["Parameter"];
    let field = |k: &str| p[k].as_str().unwrap_or_default().to_owned();
    html! {
        <div class="panel" data-testid="parameter-value">
            <div class="panel-header"><h2>{ format!("Value of {}", field("Name")) }</h2></div>
            <p class="muted small">{ format!("{}, version {}.", field("Type"), p["Version"]) }</p>
            <pre class="code small">{ field("Value") }</pre>
        </div>
    }
}

#[component]
pub fn Parameters() -> Html {
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
                <h1 id="page-title">{ "Parameter Store" }</h1>
                <span class="muted">{ format!("{} · {}", id.account, id.region) }</span>
            </div>
            { shown_value(&lab) }
            { (*body).clone() }
        </section>
    }
}
