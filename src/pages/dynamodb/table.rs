//! A DynamoDB table's page (`#/dynamodb/tables/NAME`): what its key state does to it (an
//! inaccessible or archived table says so, and what to do), Additional settings → Encryption
//! with "Manage encryption", the general information, then items and backups.

use cloud::dynamodb::model as ddb;
use yew::prelude::*;
use yew_router::prelude::*;

use super::encryption::ManageEncryption;
use super::{KeyKind, TableRow, key_attr, status_badge, use_dynamodb};
use crate::app::Route;
use crate::components::resources::page_header;
use crate::hooks::use_lab;
use crate::pages::{epoch, error_box};

#[derive(Properties, PartialEq, Debug)]
pub struct TableProps {
    pub name: String,
}

/// One label and value of a panel.
fn field(label: &str, value: Html) -> Html {
    html! {
        <div class="field"><div class="field-label">{ label.to_owned() }</div><div class="field-value">{ value }</div></div>
    }
}

/// What the key state did to the table, and the way back.
fn state_alert(desc: &ddb::TableDescription) -> Html {
    let since = desc
        .sse_description
        .as_ref()
        .and_then(|s| s.inaccessible_encryption_date_time);
    match desc.table_status.as_str() {
        "INACCESSIBLE_ENCRYPTION_CREDENTIALS" => html! {
            <div class="alert alert-error" role="alert" data-testid="table-inaccessible">
                <strong>{ "This table is inaccessible: DynamoDB cannot use its KMS key." }</strong>
                { " Since " }{ epoch(since) }{ ", reads and writes fail. The key was disabled, scheduled for deletion, or the key policy or grants no longer let DynamoDB use it. Make the key usable again (enable it, or cancel its deletion) and the table comes back within minutes. After seven days inaccessible, DynamoDB archives the table to a backup." }
            </div>
        },
        "ARCHIVING" | "ARCHIVED" => {
            let summary = desc.archival_summary.as_ref();
            let backup = summary
                .and_then(|a| a.archival_backup_arn.clone())
                .unwrap_or_default();
            html! {
                <div class="alert alert-error" role="alert" data-testid="table-archived">
                    <strong>{ format!("This table is {}", desc.table_status.to_lowercase()) }</strong>
                    { format!(" ({}): its KMS key stayed inaccessible for seven days, so DynamoDB archived it to a backup. Restore the backup below, under a key you can use.", summary.map_or("", |a| a.archival_reason.as_str())) }
                    <div class="mono small break">{ backup }</div>
                </div>
            }
        }
        _ => html! {},
    }
}

/// Additional settings → Encryption, with "Manage encryption".
fn encryption_panel(row: &TableRow, manage: Callback<MouseEvent>) -> Html {
    let sse = row.desc.sse_description.as_ref();
    let explain = match row.kind {
        KeyKind::Owned => {
            "An AWS owned key, in an AWS account: no KMS charge, no KMS calls in your CloudTrail, and no key policy for you to see or change."
        }
        KeyKind::AwsManaged => {
            "The AWS managed key aws/dynamodb of your account: its use is logged in your CloudTrail, but its key policy is AWS's and cannot be changed."
        }
        KeyKind::Customer => {
            "Your customer managed key: its key policy and grants decide who may use the table through DynamoDB, and disabling it or scheduling its deletion makes the table inaccessible."
        }
    };
    html! {
        <div class="panel" data-testid="table-encryption">
            <div class="panel-header">
                <h2>{ "Additional settings: Encryption" }</h2>
                <button class="btn btn-small" onclick={manage} data-testid="manage-encryption">{ "Manage encryption" }</button>
            </div>
            <div class="fields">
                { field("Key management", html! { <span data-testid="table-key-type">{ row.kind.label() }</span> }) }
                { field("KMS key ARN", row.key.clone()) }
                { field("Encryption status", html! { sse.map_or_else(|| "ENABLED".to_owned(), |s| s.status.clone()) }) }
                if let Some(at) = sse.and_then(|s| s.inaccessible_encryption_date_time) {
                    { field("Inaccessible since", epoch(Some(at))) }
                }
            </div>
            <p class="help">{ explain }</p>
        </div>
    }
}

/// General information.
fn overview(desc: &ddb::TableDescription) -> Html {
    let capacity = match desc
        .billing_mode_summary
        .as_ref()
        .map(|b| b.billing_mode.as_str())
    {
        Some("PAY_PER_REQUEST") => "On-demand".to_owned(),
        _ => format!(
            "Provisioned ({} RCU, {} WCU)",
            desc.provisioned_throughput.read_capacity_units,
            desc.provisioned_throughput.write_capacity_units
        ),
    };
    html! {
        <div class="panel">
            <div class="panel-header"><h2>{ "General information" }</h2></div>
            <div class="fields">
                { field("Status", status_badge(&desc.table_status)) }
                { field("Partition key", html! { key_attr(desc, "HASH").unwrap_or_default() }) }
                { field("Sort key", html! { key_attr(desc, "RANGE").unwrap_or_else(|| "-".into()) }) }
                { field("Capacity mode", html! { capacity }) }
                { field("Item count", html! { desc.item_count.to_string() }) }
                { field("Table size", html! { format!("{} bytes", desc.table_size_bytes) }) }
                { field("Created", epoch(Some(desc.creation_date_time))) }
                { field("Amazon Resource Name (ARN)", html! { <span class="mono small break">{ desc.table_arn.clone() }</span> }) }
            </div>
        </div>
    }
}

#[component]
pub fn TableDetail(props: &TableProps) -> Html {
    let lab = use_lab();
    let data = use_dynamodb();
    let managing = use_state(|| false);
    let back = html! { <p class="small"><Link<Route> to={Route::DynamoDb}>{ "← Tables" }</Link<Route>></p> };
    let row = match &data.tables {
        Err(e) => {
            return html! { <section class="page page-wide">{ page_header(&props.name, &lab) }{ back }{ error_box(e) }</section> };
        }
        Ok(rows) => rows
            .iter()
            .find(|r| r.desc.table_name == props.name)
            .cloned(),
    };
    let Some(row) = row else {
        return html! {
            <section class="page page-wide" aria-labelledby="page-title">
                { page_header(&props.name, &lab) }
                { back }
                <p class="muted">{ format!("No table {} in this account and Region.", props.name) }</p>
            </section>
        };
    };
    let open = {
        let managing = managing.clone();
        Callback::from(move |_: MouseEvent| managing.set(true))
    };
    let close = {
        let managing = managing.clone();
        Callback::from(move |()| managing.set(false))
    };
    html! {
        <section class="page page-wide" aria-labelledby="page-title">
            { page_header(&props.name, &lab) }
            { back }
            { state_alert(&row.desc) }
            { encryption_panel(&row, open) }
            if *managing {
                <ManageEncryption table={props.name.clone()} current={row.kind.choice()} on_close={close} />
            }
            { overview(&row.desc) }
            <super::items::Items table={props.name.clone()} />
            <super::backups::Backups table={props.name.clone()} />
        </section>
    }
}
