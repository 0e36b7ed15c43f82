//! The DynamoDB console: Tables (`#/dynamodb`) with Create table, and a table's page
//! (`#/dynamodb/tables/NAME`) with its encryption first (Additional settings → Encryption,
//! "Manage encryption"), then items and backups.
//!
//! Every table is encrypted at rest, under one of three keys the console names "Owned by Amazon
//! DynamoDB" (an AWS owned key: no SSEDescription, no KMS call), "AWS managed key"
//! (`aws/dynamodb`) and "Stored in your account, and owned and managed by you" (a customer
//! managed key). Reads run on a copy of the world through the typed client (DynamoDB evaluates a
//! table's key state there too, so an INACCESSIBLE_ENCRYPTION_CREDENTIALS table shows as such);
//! every action is one real DynamoDB call as the current profile, audited in CloudTrail.

mod backups;
mod create;
mod encryption;
mod items;
mod table;

use cloud::dynamodb::model as ddb;
use yew::prelude::*;
use yew_router::prelude::*;

pub use table::TableDetail;

use crate::app::Route;
use crate::components::resources::{key_cell, key_choices, page_header, table};
use crate::hooks::use_lab;
use crate::state::LabState;
use crate::views::{Peek, ViewError};

/// Which of the console's three encryption choices protects a table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum KeyKind {
    /// "Owned by Amazon DynamoDB" (no SSEDescription).
    Owned,
    /// "AWS managed key" (`aws/dynamodb`).
    AwsManaged,
    /// "Stored in your account, and owned and managed by you".
    Customer,
}

impl KeyKind {
    /// The console's name for the key type.
    pub(crate) fn label(self) -> &'static str {
        match self {
            KeyKind::Owned => "Owned by Amazon DynamoDB",
            KeyKind::AwsManaged => "AWS managed key",
            KeyKind::Customer => "Customer managed key",
        }
    }

    /// The value of the encryption choice in the forms.
    pub(crate) fn choice(self) -> &'static str {
        match self {
            KeyKind::Owned => "owned",
            KeyKind::AwsManaged => "managed",
            KeyKind::Customer => "cmk",
        }
    }
}

/// A table as the pages show it.
#[derive(Clone, Debug)]
pub(crate) struct TableRow {
    pub desc: ddb::TableDescription,
    pub kind: KeyKind,
    /// The KMS key as a link ("-" for the AWS owned key).
    pub key: Html,
}

#[derive(Debug)]
pub(crate) struct DynamoData {
    pub tables: Result<Vec<TableRow>, ViewError>,
    pub keys: Vec<(String, String)>,
}

/// Every table name of the Region (every page of `ListTables`).
fn table_names(peek: &mut Peek, region: &str) -> Result<Vec<String>, ViewError> {
    let mut names = Vec::new();
    let mut start = None;
    loop {
        let req = ddb::ListTablesRequest {
            exclusive_start_table_name: start.take(),
            limit: Some(100),
        };
        let page = peek.client(region)?.dynamodb().list_tables(req)?;
        names.extend(page.table_names);
        match page.last_evaluated_table_name {
            Some(last) => start = Some(last),
            None => break,
        }
    }
    Ok(names)
}

/// What protects a table: the key type and the key as a link.
fn encryption_of(
    peek: &mut Peek,
    lab: &LabState,
    region: &str,
    desc: &ddb::TableDescription,
) -> (KeyKind, Html) {
    let Some(sse) = &desc.sse_description else {
        return (KeyKind::Owned, html! { "-" });
    };
    let arn = sse.kms_master_key_arn.as_str();
    let managed = peek
        .kms_describe_key(region, arn)
        .is_ok_and(|m| m.key_manager == "AWS");
    let kind = if managed {
        KeyKind::AwsManaged
    } else {
        KeyKind::Customer
    };
    (kind, key_cell(peek, lab, region, Some(arn)))
}

fn read(lab: &LabState, region: &str) -> DynamoData {
    let mut peek = Peek::new(lab);
    let tables = table_names(&mut peek, region).map(|names| {
        names
            .into_iter()
            .filter_map(|name| {
                let req = ddb::TableNameRequest {
                    table_name: Some(name),
                };
                let desc = peek
                    .client(region)
                    .ok()?
                    .dynamodb()
                    .describe_table(req)
                    .ok()?
                    .table;
                let (kind, key) = encryption_of(&mut peek, lab, region, &desc);
                Some(TableRow { desc, kind, key })
            })
            .collect()
    });
    DynamoData {
        tables,
        keys: key_choices(&mut peek, region),
    }
}

/// The DynamoDB data of the current Region, read once per revision.
#[hook]
pub(crate) fn use_dynamodb() -> std::rc::Rc<DynamoData> {
    let lab = use_lab();
    let region = lab.identity().region;
    let state = (*lab).clone();
    use_memo((lab.revision, region), move |(_, region)| {
        read(&state, region)
    })
}

/// A table status as a badge: inaccessible and archived tables stand out.
pub(crate) fn status_badge(status: &str) -> Html {
    let class = match status {
        "ACTIVE" => "badge badge-ok",
        "INACCESSIBLE_ENCRYPTION_CREDENTIALS" | "ARCHIVING" | "ARCHIVED" => "badge badge-err",
        _ => "badge",
    };
    html! { <span class={class} data-testid="table-status">{ status.to_owned() }</span> }
}

/// The partition and sort keys of a table, as "pk (S)" / "sk (N)".
pub(crate) fn key_attr(desc: &ddb::TableDescription, key_type: &str) -> Option<String> {
    let name = desc
        .key_schema
        .iter()
        .find(|k| k.key_type == key_type)?
        .attribute_name
        .clone();
    let ty = desc
        .attribute_definitions
        .iter()
        .find(|a| a.attribute_name == name)
        .map_or("", |a| a.attribute_type.as_str());
    Some(format!("{name} ({ty})"))
}

/// DynamoDB → Tables: every table with its status and encryption, then Create table.
#[component]
pub fn DynamoDb() -> Html {
    let lab = use_lab();
    let data = use_dynamodb();
    let rows = data.tables.clone().map(|rows| {
        rows.into_iter()
            .map(|r| {
                let name = r.desc.table_name.clone();
                vec![
                    html! { <Link<Route> to={Route::DynamoDbTable { name: name.clone() }} classes="mono rid">{ name }</Link<Route>> },
                    status_badge(&r.desc.table_status),
                    html! { r.kind.label() },
                    r.key,
                    html! { key_attr(&r.desc, "HASH").unwrap_or_default() },
                    html! { key_attr(&r.desc, "RANGE").unwrap_or_else(|| "-".into()) },
                    html! { r.desc.item_count.to_string() },
                ]
            })
            .collect()
    });
    html! {
        <section class="page page-wide" aria-labelledby="page-title">
            { page_header("DynamoDB tables", &lab) }
            { table("Tables", "tables-table", &["Name", "Status", "Encryption", "KMS key", "Partition key", "Sort key", "Items"], rows) }
            <create::CreateTable />
        </section>
    }
}
