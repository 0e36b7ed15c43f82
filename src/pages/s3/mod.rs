//! The S3 console: Buckets (`#/s3`, `#/s3/buckets`) with Create bucket (default encryption and
//! Bucket Key settings), and one bucket (`#/s3/buckets/NAME`): Objects, Properties (Default
//! encryption) and Permissions (bucket policy).
//!
//! Reads run on a copy of the world through the typed client (no trace); every action is one
//! real S3 call as the current profile (`Lab::call`), audited in CloudTrail, and S3's (or KMS's)
//! refusal shows with its Why? card.

pub mod bucket;
mod encryption;
mod objects;
mod policy;

use cloud::s3::model as s3;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::form::{key_picker, text, use_form};
use crate::components::resources::{bool_cell, key_cell, key_choices, page_header, str_cell};
use crate::hooks::use_lab;
use crate::pages::error_box;
use crate::state::LabState;
use crate::views::{Peek, ViewError};

use encryption::{encryption_input, sse_choice};

/// A bucket as the Buckets table shows it.
#[derive(Clone, Debug)]
struct BucketRow {
    name: String,
    region: String,
    algorithm: Option<String>,
    key: Html,
    bucket_key: Option<bool>,
    objects: String,
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

/// A bucket's default encryption rule (`GetBucketEncryption`).
fn encryption_rule(
    peek: &mut Peek,
    region: &str,
    bucket: &str,
) -> Result<s3::ServerSideEncryptionRule, ViewError> {
    let req = s3::BucketRequest {
        bucket: Some(bucket.to_owned()),
    };
    Ok(peek
        .client(region)?
        .s3()
        .get_bucket_encryption(req)?
        .server_side_encryption_configuration
        .rules
        .and_then(|rules| rules.into_iter().next())
        .unwrap_or_default())
}

/// The buckets, and the keys of the current Region for Create bucket.
type BucketsData = (Result<Vec<BucketRow>, ViewError>, Vec<(String, String)>);

fn read(lab: &LabState, region: &str) -> BucketsData {
    let mut peek = Peek::new(lab);
    let buckets = peek
        .client(region)
        .and_then(|c| Ok(c.s3().list_buckets(s3::ListBucketsRequest {})?))
        .map(|b| b.buckets);
    let rows = buckets.map(|list| {
        list.into_iter()
            .map(|b| {
                let at = if b.bucket_region.is_empty() {
                    region.to_owned()
                } else {
                    b.bucket_region.clone()
                };
                let rule = encryption_rule(&mut peek, &at, &b.name).unwrap_or_default();
                let by_default = rule
                    .apply_server_side_encryption_by_default
                    .unwrap_or_default();
                BucketRow {
                    key: key_cell(&mut peek, lab, &at, by_default.kms_master_key_id.as_deref()),
                    algorithm: by_default.sse_algorithm,
                    bucket_key: rule.bucket_key_enabled,
                    objects: object_count(&mut peek, &at, &b.name).unwrap_or_else(|e| e.code),
                    name: b.name,
                    region: at,
                }
            })
            .collect()
    });
    (rows, key_choices(&mut peek, region))
}

#[component]
pub fn Buckets() -> Html {
    let lab = use_lab();
    let region = lab.identity().region;
    let data = {
        let state = (*lab).clone();
        use_memo((lab.revision, region.clone()), move |(_, region)| {
            read(&state, region)
        })
    };
    let form = use_form(&[("sse", "AES256"), ("bucket_key", "true")]);
    // After this page's CreateBucket succeeds, its default encryption is put (as the console does).
    let pending = use_state(|| None::<serde_json::Value>);
    {
        let (lab, pending, region) = (lab.clone(), pending.clone(), region.clone());
        use_effect_with(lab.last_call.clone(), move |last| {
            if let (Some(input), Some(outcome)) = ((*pending).clone(), last)
                && outcome.operation == "CreateBucket"
            {
                pending.set(None);
                if outcome.result.is_ok() {
                    let name = input["Bucket"].as_str().unwrap_or_default().to_owned();
                    lab.call(
                        region,
                        "s3",
                        "PutBucketEncryption",
                        input,
                        format!("Created bucket {name} with its default encryption"),
                    );
                }
            }
        });
    }
    let create = {
        let (lab, form, region, pending) =
            (lab.clone(), form.clone(), region.clone(), pending.clone());
        Callback::from(move |_: MouseEvent| {
            let name = form.get("name").to_owned();
            let mut input = serde_json::json!({ "Bucket": name });
            if region != "us-east-1" {
                input["CreateBucketConfiguration"] =
                    serde_json::json!({ "LocationConstraint": region });
            }
            pending.set(Some(encryption_input(&name, &form)));
            lab.call(
                region.clone(),
                "s3",
                "CreateBucket",
                input,
                format!("Created bucket {name}"),
            );
        })
    };
    let (rows, keys) = &*data;
    let table = match rows {
        Err(e) => error_box(e),
        Ok(rows) if rows.is_empty() => {
            html! { <p class="muted">{ "No buckets in this account yet." }</p> }
        }
        Ok(rows) => html! {
            <div class="table-wrap"><table class="table resource-table" data-testid="buckets-table">
                <thead><tr>
                    <th scope="col">{ "Name" }</th><th scope="col">{ "Region" }</th><th scope="col">{ "Default encryption" }</th>
                    <th scope="col">{ "KMS key" }</th><th scope="col">{ "Bucket Key" }</th><th scope="col">{ "Objects" }</th>
                </tr></thead>
                <tbody>{ for rows.iter().map(|b| html! { <tr>
                    <td class="mono"><Link<Route> to={Route::S3Bucket { name: b.name.clone() }}>{ b.name.clone() }</Link<Route>></td>
                    <td>{ b.region.clone() }</td>
                    <td>{ str_cell(b.algorithm.as_deref()) }</td>
                    <td class="small">{ b.key.clone() }</td>
                    <td>{ bool_cell(b.bucket_key) }</td>
                    <td>{ b.objects.clone() }</td>
                </tr> }) }</tbody>
            </table></div>
        },
    };
    let count = rows.as_ref().map_or(0, Vec::len);
    html! {
        <section class="page page-wide" aria-labelledby="page-title">
            { page_header("S3 buckets", &lab) }
            <div class="panel">
                <div class="panel-header"><h2>{ format!("General purpose buckets ({count})") }</h2></div>
                <p class="help">{ "Buckets of every Region are listed; a bucket's page works in the bucket's Region." }</p>
                { table }
            </div>
            <div class="panel" data-testid="create-bucket">
                <div class="panel-header"><h2>{ format!("Create bucket in {region}") }</h2></div>
                <div class="form-grid">{ text(&form, "name", "Bucket name", "my-bucket-111122223333") }</div>
                <h3 class="sub-heading">{ "Default encryption" }</h3>
                { sse_choice(&form, false) }
                if form.get("sse") != "AES256" {
                    <div class="form-grid">{ key_picker(&form, "key", "AWS KMS key (empty: aws/s3)", keys) }</div>
                    { encryption::bucket_key_choice(&form, false) }
                }
                <div class="actions"><button class="btn btn-primary" onclick={create} data-testid="create-bucket-submit">{ "Create bucket" }</button></div>
            </div>
        </section>
    }
}
