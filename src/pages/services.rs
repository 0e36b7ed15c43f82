//! S3, EC2 (EBS) and RDS consoles: their resources with the encryption settings front and centre.
//! Read on a copy of the world (no trace) through the typed client, in each service's own
//! response types.

use cloud::ec2::model as ec2;
use cloud::rds::model as rds;
use cloud::s3::model as s3;
use yew::prelude::*;

use crate::components::empty_state::EmptyState;
use crate::hooks::use_lab;
use crate::pages::error_box;
use crate::state::LabState;
use crate::views::{Peek, ViewError};

/// A string member as a cell ("-" when absent).
fn str_cell(v: Option<&str>) -> Html {
    v.map_or_else(|| html! { "-" }, |s| html! { s.to_owned() })
}

/// A yes/no badge.
fn yes_no(b: bool) -> Html {
    if b {
        html! { <span class="badge badge-ok">{ "Yes" }</span> }
    } else {
        html! { <span class="badge badge-warn">{ "No" }</span> }
    }
}

/// A boolean member as a cell ("-" when absent).
fn bool_cell(v: Option<bool>) -> Html {
    v.map_or_else(|| html! { "-" }, yes_no)
}

/// One table: its title, column headers and rows of cells, or the error its list call met.
fn table(title: &str, headers: &[&str], rows: Result<Vec<Vec<Html>>, ViewError>) -> Html {
    let rows = match rows {
        Err(e) => return error_box(&e),
        Ok(rows) => rows,
    };
    html! {
        <div class="panel">
            <div class="panel-header"><h2>{ format!("{title} ({})", rows.len()) }</h2></div>
            if rows.is_empty() {
                <p class="muted">{ format!("No {} in this account and Region.", title.to_lowercase()) }</p>
            } else {
                <div class="table-wrap"><table class="table">
                    <thead><tr>{ for headers.iter().map(|t| html! { <th scope="col">{ *t }</th> }) }</tr></thead>
                    <tbody>{ for rows.into_iter().map(|r| html! {
                        <tr>{ for r.into_iter().map(|c| html! { <td class="small">{ c }</td> }) }</tr>
                    }) }</tbody>
                </table></div>
            }
        </div>
    }
}

fn ec2_view(peek: &mut Peek, region: &str) -> Html {
    let by_default = peek
        .client(region)
        .and_then(|c| Ok(c.ec2().get_ebs_encryption_by_default(Default::default())?))
        .ok()
        .map(|r| r.ebs_encryption_by_default);
    let key = peek
        .client(region)
        .and_then(|c| Ok(c.ec2().get_ebs_default_kms_key_id(Default::default())?))
        .ok()
        .map(|r| r.kms_key_id);
    let volumes = peek.client(region).and_then(|c| {
        let list = c.ec2().describe_volumes(Default::default())?;
        Ok(list
            .volumes
            .into_iter()
            .map(|v| {
                vec![
                    html! { v.volume_id },
                    html! { v.size.to_string() },
                    html! { v.state },
                    yes_no(v.encrypted),
                    str_cell(v.kms_key_id.as_deref()),
                ]
            })
            .collect())
    });
    let snapshots = peek.client(region).and_then(|c| {
        let req = ec2::DescribeSnapshotsRequest {
            owner_ids: Some(vec!["self".to_owned()].into()),
            ..Default::default()
        };
        let list = c.ec2().describe_snapshots(req)?;
        Ok(list
            .snapshots
            .into_iter()
            .map(|s| {
                vec![
                    html! { s.snapshot_id },
                    html! { s.volume_id },
                    html! { s.state },
                    yes_no(s.encrypted),
                    str_cell(s.kms_key_id.as_deref()),
                ]
            })
            .collect())
    });
    let instances = peek.client(region).and_then(|c| {
        let list = c.ec2().describe_instances(Default::default())?;
        Ok(list
            .reservations
            .into_iter()
            .flat_map(|r| r.instances)
            .map(|i| {
                vec![
                    html! { i.instance_id },
                    html! { i.instance_type },
                    html! { i.state.name },
                    html! { i.block_device_mappings.len().to_string() },
                ]
            })
            .collect())
    });
    html! { <>
        <div class="panel"><div class="fields">
            <div class="field"><div class="field-label">{ "EBS encryption by default (this Region)" }</div><div class="field-value">{ bool_cell(by_default) }</div></div>
            <div class="field"><div class="field-label">{ "Default KMS key" }</div><div class="field-value small">{ str_cell(key.as_deref()) }</div></div>
        </div></div>
        { table("Volumes", &["Volume ID", "Size (GiB)", "State", "Encrypted", "KMS key"], volumes) }
        { table("Snapshots", &["Snapshot ID", "Volume", "State", "Encrypted", "KMS key"], snapshots) }
        { table("Instances", &["Instance ID", "Type", "State", "Volumes"], instances) }
    </> }
}

fn rds_view(peek: &mut Peek, region: &str) -> Html {
    let instances = peek.client(region).and_then(|c| {
        let list = c
            .rds()
            .describe_db_instances(rds::DBInstanceRequest::default())?;
        Ok(list
            .db_instances
            .into_iter()
            .map(|d| {
                vec![
                    html! { d.db_instance_identifier },
                    html! { d.engine },
                    html! { d.db_instance_status },
                    yes_no(d.storage_encrypted),
                    str_cell(d.kms_key_id.as_deref()),
                ]
            })
            .collect())
    });
    let snapshots = peek.client(region).and_then(|c| {
        let list = c.rds().describe_db_snapshots(Default::default())?;
        Ok(list
            .db_snapshots
            .into_iter()
            .map(|s| {
                vec![
                    html! { s.db_snapshot_identifier },
                    html! { s.snapshot_type },
                    html! { s.status },
                    yes_no(s.encrypted),
                    str_cell(s.kms_key_id.as_deref()),
                ]
            })
            .collect())
    });
    html! { <>
        { table("DB instances", &["Identifier", "Engine", "Status", "Encrypted", "KMS key"], instances) }
        { table("DB snapshots", &["Identifier", "Type", "Status", "Encrypted", "KMS key"], snapshots) }
    </> }
}

/// How many objects a bucket holds (the first page of `ListObjectsV2`: "1000+" beyond it).
fn object_count(peek: &mut Peek, region: &str, bucket: &str) -> Result<String, ViewError> {
    let req = s3::ListObjectsV2Request {
        bucket: Some(bucket.to_owned()),
        ..Default::default()
    };
    let page = peek.client(region)?.s3().list_objects_v2(req)?;
    Ok(if page.is_truncated {
        format!("{}+", page.key_count)
    } else {
        page.key_count.to_string()
    })
}

/// A bucket's default encryption rule (`GetBucketEncryption`; the default when unreadable).
fn encryption_rule(peek: &mut Peek, region: &str, bucket: &str) -> s3::ServerSideEncryptionRule {
    let req = s3::BucketRequest {
        bucket: Some(bucket.to_owned()),
    };
    peek.client(region)
        .and_then(|c| Ok(c.s3().get_bucket_encryption(req)?))
        .ok()
        .and_then(|r| r.server_side_encryption_configuration.rules)
        .and_then(|rules| rules.into_iter().next())
        .unwrap_or_default()
}

fn s3_view(peek: &mut Peek, region: &str) -> Html {
    let buckets = match peek
        .client(region)
        .and_then(|c| Ok(c.s3().list_buckets(s3::ListBucketsRequest {})?))
    {
        Err(e) => return error_box(&e),
        Ok(b) => b.buckets,
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
                    let rule = encryption_rule(peek, region, &b.name);
                    let by_default = rule.apply_server_side_encryption_by_default.unwrap_or_default();
                    let objects = object_count(peek, region, &b.name).unwrap_or_else(|e| e.code);
                    html! { <tr>
                        <td class="mono">{ b.name.clone() }</td>
                        <td>{ str_cell(Some(b.bucket_region.as_str()).filter(|r| !r.is_empty())) }</td>
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
    match name {
        "S3" => s3_view(&mut peek, region),
        "RDS" => rds_view(&mut peek, region),
        _ => ec2_view(&mut peek, region),
    }
}
