//! S3, EC2 (EBS) and RDS consoles: their resources with the encryption settings front and centre.
//! Read on a copy of the world (no trace), in the AWS response shapes of each service.

use serde_json::{Value, json};
use yew::prelude::*;

use crate::components::empty_state::EmptyState;
use crate::hooks::use_lab;
use crate::state::LabState;
use crate::views::{Peek, field};

/// One table: the list call, where the rows are, and the columns (title, JSON field).
struct TableSpec {
    title: &'static str,
    service: &'static str,
    operation: &'static str,
    input: fn() -> Value,
    rows: &'static str,
    columns: &'static [(&'static str, &'static str)],
}

const EC2_TABLES: &[TableSpec] = &[
    TableSpec {
        title: "Volumes",
        service: "ec2",
        operation: "DescribeVolumes",
        input: || json!({}),
        rows: "Volumes",
        columns: &[
            ("Volume ID", "VolumeId"),
            ("Size (GiB)", "Size"),
            ("State", "State"),
            ("Encrypted", "Encrypted"),
            ("KMS key", "KmsKeyId"),
        ],
    },
    TableSpec {
        title: "Snapshots",
        service: "ec2",
        operation: "DescribeSnapshots",
        input: || json!({ "OwnerIds": ["self"] }),
        rows: "Snapshots",
        columns: &[
            ("Snapshot ID", "SnapshotId"),
            ("Volume", "VolumeId"),
            ("State", "State"),
            ("Encrypted", "Encrypted"),
            ("KMS key", "KmsKeyId"),
        ],
    },
    TableSpec {
        title: "Instances",
        service: "ec2",
        operation: "DescribeInstances",
        input: || json!({}),
        rows: "Reservations",
        columns: &[("Reservation", "ReservationId"), ("Instances", "Instances")],
    },
];

const RDS_TABLES: &[TableSpec] = &[
    TableSpec {
        title: "DB instances",
        service: "rds",
        operation: "DescribeDBInstances",
        input: || json!({}),
        rows: "DBInstances",
        columns: &[
            ("Identifier", "DBInstanceIdentifier"),
            ("Engine", "Engine"),
            ("Status", "DBInstanceStatus"),
            ("Encrypted", "StorageEncrypted"),
            ("KMS key", "KmsKeyId"),
        ],
    },
    TableSpec {
        title: "DB snapshots",
        service: "rds",
        operation: "DescribeDBSnapshots",
        input: || json!({}),
        rows: "DBSnapshots",
        columns: &[
            ("Identifier", "DBSnapshotIdentifier"),
            ("Type", "SnapshotType"),
            ("Status", "Status"),
            ("Encrypted", "Encrypted"),
            ("KMS key", "KmsKeyId"),
        ],
    },
];

fn cell(v: &Value) -> Html {
    match v {
        Value::Null => html! { "-" },
        Value::Bool(true) => html! { <span class="badge badge-ok">{ "Yes" }</span> },
        Value::Bool(false) => html! { <span class="badge badge-warn">{ "No" }</span> },
        Value::String(s) => html! { s.clone() },
        Value::Array(a) => html! { format!("{} item(s)", a.len()) },
        other => html! { other.to_string() },
    }
}

/// A string member as a cell ("-" when absent).
fn str_cell(v: Option<&str>) -> Html {
    v.map_or_else(|| html! { "-" }, |s| html! { s.to_owned() })
}

/// A boolean member as a cell ("-" when absent).
fn bool_cell(v: Option<bool>) -> Html {
    v.map_or_else(|| html! { "-" }, |b| cell(&Value::Bool(b)))
}

fn table(peek: &mut Peek, region: &str, spec: &TableSpec) -> Html {
    let listed = peek.rows(
        region,
        (spec.service, spec.operation),
        (spec.input)(),
        spec.rows,
    );
    match listed {
        Err(e) => {
            html! { <div class="alert alert-error"><strong>{ e.code }</strong>{ ": " }{ e.message }</div> }
        }
        Ok(rows) => {
            html! {
                <div class="panel">
                    <div class="panel-header"><h2>{ format!("{} ({})", spec.title, rows.len()) }</h2></div>
                    if rows.is_empty() {
                        <p class="muted">{ format!("No {} in this account and Region.", spec.title.to_lowercase()) }</p>
                    } else {
                        <div class="table-wrap"><table class="table">
                            <thead><tr>{ for spec.columns.iter().map(|(t, _)| html! { <th scope="col">{ *t }</th> }) }</tr></thead>
                            <tbody>{ for rows.iter().map(|r| html! {
                                <tr>{ for spec.columns.iter().map(|(_, f)| html! { <td class="small">{ cell(field(r, f)) }</td> }) }</tr>
                            }) }</tbody>
                        </table></div>
                    }
                </div>
            }
        }
    }
}

fn s3_view(peek: &mut Peek, region: &str) -> Html {
    let buckets = match peek.s3_buckets(region) {
        Err(e) => {
            return html! { <div class="alert alert-error"><strong>{ e.code }</strong>{ ": " }{ e.message }</div> };
        }
        Ok(b) => b,
    };
    if buckets.is_empty() {
        return html! { <EmptyState title="No buckets" text="Create one in the terminal: aws s3api create-bucket --bucket my-bucket" /> };
    }
    html! {
        <div class="panel">
            <div class="panel-header"><h2>{ format!("Buckets ({})", buckets.len()) }</h2></div>
            <div class="table-wrap"><table class="table" data-testid="buckets-table">
                <thead><tr><th>{ "Name" }</th><th>{ "Region" }</th><th>{ "Default encryption" }</th><th>{ "KMS key" }</th><th>{ "Bucket Key" }</th><th>{ "Objects" }</th></tr></thead>
                <tbody>{ for buckets.iter().map(|b| {
                    let name = b.name.clone();
                    let rule = peek.s3_bucket_encryption(region, &name).ok().and_then(|c| c.rules.into_iter().next()).unwrap_or_default();
                    let by_default = rule.apply_server_side_encryption_by_default.unwrap_or_default();
                    let objects = peek.s3_object_count(region, &name)
                        .map(|n| n.to_string())
                        .unwrap_or_else(|e| e.code);
                    html! { <tr>
                        <td class="mono">{ name.clone() }</td>
                        <td>{ str_cell(b.bucket_region.as_deref()) }</td>
                        <td>{ str_cell(by_default.sse_algorithm.as_deref()) }</td>
                        <td class="small">{ str_cell(by_default.kms_master_key_id.as_deref()) }</td>
                        <td>{ bool_cell(rule.bucket_key_enabled) }</td>
                        <td>{ objects }</td>
                    </tr> }
                }) }</tbody>
            </table></div>
        </div>
    }
}

#[derive(Properties, PartialEq, Debug)]
pub struct ServiceProps {
    pub name: AttrValue,
}

#[component]
pub fn Service(props: &ServiceProps) -> Html {
    let lab = use_lab();
    let id = lab.identity();
    // The page's reads run on one copy of the world, once per revision, Region and service.
    let body = {
        let lab = lab.clone();
        use_memo(
            (lab.revision, id.region.clone(), props.name.clone()),
            move |(_, region, name)| render(&lab, region, name),
        )
    };
    html! {
        <section class="page page-wide" aria-labelledby="page-title">
            <div class="page-header">
                <h1 id="page-title">{ props.name.clone() }</h1>
                <span class="muted">{ format!("{} · {}", id.account, id.region) }</span>
            </div>
            { (*body).clone() }
        </section>
    }
}

/// The page body for `name` (S3, EC2 or RDS) in `region`.
fn render(lab: &LabState, region: &str, name: &str) -> Html {
    let mut peek = Peek::new(lab);
    let peek = &mut peek;
    if name == "S3" {
        return s3_view(peek, region);
    }
    let tables = if name == "RDS" {
        RDS_TABLES
    } else {
        EC2_TABLES
    };
    let extra = if name == "EC2" {
        let by_default = peek.ec2_ebs_encryption_by_default(region).ok().flatten();
        let key = peek.ec2_ebs_default_kms_key_id(region).ok().flatten();
        html! { <div class="panel"><div class="fields">
            <div class="field"><div class="field-label">{ "EBS encryption by default (this Region)" }</div><div class="field-value">{ bool_cell(by_default) }</div></div>
            <div class="field"><div class="field-label">{ "Default KMS key" }</div><div class="field-value small">{ str_cell(key.as_deref()) }</div></div>
        </div></div> }
    } else {
        html! {}
    };
    html! { <>{ extra }{ for tables.iter().map(|t| table(peek, region, t)) }</> }
}
