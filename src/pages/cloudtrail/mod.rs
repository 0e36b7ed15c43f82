//! The CloudTrail console's Trails (`#/cloudtrail/trails`): every trail with its bucket, its
//! log file SSE-KMS key and its logging status; Create trail (bucket, prefix, SSE-KMS with a
//! key); and on a selected trail Start logging, Stop logging, Change the key (`UpdateTrail`),
//! Delete, with `GetTrailStatus` (latest delivery and its error).
//!
//! CloudTrail checks the bucket policy and the key policy when a trail is created or updated:
//! the key policy must let `cloudtrail.amazonaws.com` call `kms:GenerateDataKey*` (with
//! `kms:EncryptionContext:aws:cloudtrail:arn`) and `kms:DescribeKey`, or the call fails with
//! `InsufficientEncryptionPolicyException`; the bucket policy needs CloudTrail's two statements,
//! or `InsufficientS3BucketPolicyException`. The flash shows AWS's error and its Why? card.
//! The event history is the Activity page.

use cloud::trail;
use serde_json::{Value, json};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::form::{Fields, check, key_picker, text, use_form};
use crate::components::resources::{key_cell, key_choices, page_header, row_select, table, yes_no};
use crate::hooks::use_lab;
use crate::pages::epoch;
use crate::state::LabState;
use crate::views::{Peek, ViewError};

#[derive(Clone, Debug)]
struct TrailRow {
    trail: trail::Trail,
    key: Html,
    status: Result<trail::GetTrailStatusResponse, ViewError>,
}

#[derive(Debug)]
struct TrailsData {
    trails: Result<Vec<TrailRow>, ViewError>,
    keys: Vec<(String, String)>,
    buckets: Vec<(String, String)>,
}

fn read(lab: &LabState, region: &str) -> TrailsData {
    let mut peek = Peek::new(lab);
    let listed = peek
        .client(region)
        .and_then(|c| Ok(c.cloudtrail().describe_trails(Default::default())?))
        .map(|r| r.trail_list);
    let trails = listed.map(|list| {
        list.into_iter()
            .map(|t| {
                let req = trail::TrailNameRequest {
                    name: Some(t.trail_arn.clone()),
                };
                let status = peek
                    .client(&t.home_region)
                    .and_then(|c| Ok(c.cloudtrail().get_trail_status(req)?));
                TrailRow {
                    key: key_cell(&mut peek, lab, &t.home_region, t.kms_key_id.as_deref()),
                    trail: t,
                    status,
                }
            })
            .collect()
    });
    let buckets = peek
        .client(region)
        .and_then(|c| {
            Ok(c.s3()
                .list_buckets(cloud::s3::model::ListBucketsRequest {})?)
        })
        .map(|b| {
            b.buckets
                .into_iter()
                .map(|b| (b.name, "S3 bucket".to_owned()))
                .collect()
        })
        .unwrap_or_default();
    TrailsData {
        trails,
        keys: key_choices(&mut peek, region),
        buckets,
    }
}

/// `CreateTrail` from the form.
pub(crate) fn create_input(f: &Fields) -> Value {
    let mut v = json!({
        "Name": f.get("name"),
        "S3BucketName": f.get("bucket"),
        "IsMultiRegionTrail": f.on("multi_region"),
        "EnableLogFileValidation": f.on("validation"),
    });
    if let Some(p) = f.opt("prefix") {
        v["S3KeyPrefix"] = json!(p);
    }
    if f.on("sse_kms")
        && let Some(k) = f.opt("key")
    {
        v["KmsKeyId"] = json!(k);
    }
    v
}

/// A text input with suggestions (the Region's buckets).
fn suggest(
    form: &crate::components::form::Form,
    name: &'static str,
    label: &str,
    options: &[(String, String)],
) -> Html {
    let list = format!("{name}-options");
    let set = {
        let form = form.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                form.set(form.with_value(name, i.value()));
            }
        })
    };
    html! {
        <label>{ label.to_owned() }
            <input class="input mono" name={name} list={list.clone()} value={form.get(name).to_owned()} oninput={set} autocomplete="off" />
            <datalist id={list}>
                { for options.iter().map(|(v, t)| html! { <option value={v.clone()}>{ t.clone() }</option> }) }
            </datalist>
        </label>
    }
}

/// The logging status cell.
fn logging(status: &Result<trail::GetTrailStatusResponse, ViewError>) -> Html {
    match status {
        Ok(s) if s.is_logging => html! { <span class="badge badge-ok">{ "Logging" }</span> },
        Ok(_) => html! { <span class="badge badge-warn">{ "Off" }</span> },
        Err(e) => html! { <span class="small">{ e.code.clone() }</span> },
    }
}

/// A selected trail's status and actions.
fn trail_panel(
    row: &TrailRow,
    lab: &crate::hooks::Lab,
    action: &crate::components::form::Form,
    keys: &[(String, String)],
) -> Html {
    let t = &row.trail;
    let call = |operation: &'static str, summary: String| {
        let (lab, arn, home, action) = (
            lab.clone(),
            t.trail_arn.clone(),
            t.home_region.clone(),
            action.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let input = match operation {
                "UpdateTrail" => json!({ "Name": arn, "KmsKeyId": action.get("key") }),
                _ => json!({ "Name": arn }),
            };
            lab.call(
                home.clone(),
                "cloudtrail",
                operation,
                input,
                summary.clone(),
            );
        })
    };
    let status = match &row.status {
        Ok(s) => html! { <div class="fields" data-testid="trail-status">
            <div class="field"><div class="field-label">{ "Logging" }</div><div class="field-value">{ logging(&row.status) }</div></div>
            <div class="field"><div class="field-label">{ "Latest log file delivery" }</div><div class="field-value small">{ epoch(s.latest_delivery_time) }</div></div>
            <div class="field"><div class="field-label">{ "Latest delivery error" }</div><div class="field-value small mono" data-testid="trail-delivery-error">{ s.latest_delivery_error.clone().unwrap_or_else(|| "-".into()) }</div></div>
            <div class="field"><div class="field-label">{ "Logging started" }</div><div class="field-value small">{ epoch(s.start_logging_time) }</div></div>
            <div class="field"><div class="field-label">{ "Logging stopped" }</div><div class="field-value small">{ epoch(s.stop_logging_time) }</div></div>
        </div> },
        Err(e) => crate::pages::error_box(e),
    };
    html! {
        <div class="panel" data-testid="trail-actions">
            <div class="panel-header"><h2>{ format!("Trail: {}", t.name) }</h2></div>
            { status }
            <div class="actions">
                <button class="btn btn-small btn-primary" onclick={call("StartLogging", format!("Started logging for trail {}", t.name))} data-testid="trail-start">{ "Start logging" }</button>
                <button class="btn btn-small" onclick={call("StopLogging", format!("Stopped logging for trail {}", t.name))} data-testid="trail-stop">{ "Stop logging" }</button>
                <button class="btn btn-small btn-danger" onclick={call("DeleteTrail", format!("Deleted trail {}", t.name))} data-testid="trail-delete">{ "Delete trail" }</button>
            </div>
            <h3 class="sub-heading">{ "Log file SSE-KMS encryption" }</h3>
            <p class="help">{ "Log files are written to the bucket under SSE-KMS with this key; reading them needs kms:Decrypt on it. CloudTrail checks the key policy again when the key changes." }</p>
            <div class="form-grid">{ key_picker(action, "key", "New KMS key", keys) }</div>
            <div class="actions">
                <button class="btn btn-small" onclick={call("UpdateTrail", format!("Changed the KMS key of trail {}", t.name))} disabled={action.opt("key").is_none()} data-testid="trail-update-key">{ "Change key" }</button>
            </div>
        </div>
    }
}

/// The key policy statements CloudTrail needs (for the help text).
const KEY_POLICY_HINT: &str = r#"{
  "Sid": "Allow CloudTrail to encrypt logs",
  "Effect": "Allow",
  "Principal": { "Service": "cloudtrail.amazonaws.com" },
  "Action": "kms:GenerateDataKey*",
  "Resource": "*",
  "Condition": { "StringLike": { "kms:EncryptionContext:aws:cloudtrail:arn": "arn:aws:cloudtrail:*:ACCOUNT:trail/*" } }
},
{
  "Sid": "Allow CloudTrail to describe key",
  "Effect": "Allow",
  "Principal": { "Service": "cloudtrail.amazonaws.com" },
  "Action": "kms:DescribeKey",
  "Resource": "*"
}"#;

#[component]
pub fn Trails() -> Html {
    let lab = use_lab();
    let region = lab.identity().region;
    let data = {
        let state = (*lab).clone();
        use_memo((lab.revision, region.clone()), move |(_, region)| {
            read(&state, region)
        })
    };
    let selected = use_state(|| None::<String>);
    let form = use_form(&[
        ("sse_kms", "true"),
        ("multi_region", "true"),
        ("validation", "true"),
    ]);
    let action = use_form(&[]);
    let rows = data.trails.clone().map(|rows| {
        rows.into_iter()
            .map(|r| {
                let t = &r.trail;
                vec![
                    row_select("trail", &t.trail_arn, &selected),
                    html! { <span class="mono">{ t.name.clone() }</span> },
                    html! { t.home_region.clone() },
                    yes_no(t.is_multi_region_trail),
                    html! { <span class="mono">{ t.s3_bucket_name.clone() }</span> },
                    r.key.clone(),
                    logging(&r.status),
                ]
            })
            .collect()
    });
    let chosen = data.trails.as_ref().ok().and_then(|rows| {
        rows.iter()
            .find(|r| Some(&r.trail.trail_arn) == selected.as_ref())
            .cloned()
    });
    let create = {
        let (lab, form) = (lab.clone(), form.clone());
        Callback::from(move |_: MouseEvent| {
            let region = lab.identity().region;
            let name = form.get("name").to_owned();
            lab.call(
                region,
                "cloudtrail",
                "CreateTrail",
                create_input(&form),
                format!("Created trail {name}"),
            );
        })
    };
    let needs_key = form.on("sse_kms") && form.opt("key").is_none();
    let bucket = form.opt("bucket").map(|name| {
        html! { <Link<Route> to={Route::S3Bucket { name: name.clone() }}>{ format!("Open {name} (bucket policy)") }</Link<Route>> }
    });
    html! {
        <section class="page page-wide" aria-labelledby="page-title">
            { page_header("CloudTrail trails", &lab) }
            <p class="help">{ "A trail delivers log files of the account's events to an S3 bucket every few minutes. The event history is on the " }<Link<Route> to={Route::Activity}>{ "Activity" }</Link<Route>>{ " page." }</p>
            { table("Trails", "trails-table", &["", "Name", "Home Region", "Multi-Region", "S3 bucket", "Log file SSE-KMS key", "Status"], rows) }
            if let Some(row) = &chosen { { trail_panel(row, &lab, &action, &data.keys) } }
            <div class="panel" data-testid="create-trail">
                <div class="panel-header"><h2>{ "Create trail" }</h2></div>
                <div class="form-grid">
                    { text(&form, "name", "Trail name", "management-events") }
                    { suggest(&form, "bucket", "S3 bucket (existing)", &data.buckets) }
                    { text(&form, "prefix", "Prefix (optional)", "") }
                    { check(&form, "multi_region", "Enable for all Regions (multi-Region trail)") }
                    { check(&form, "validation", "Log file validation") }
                </div>
                if let Some(link) = bucket { <p class="small">{ link }</p> }
                <p class="help">{ "The bucket policy must let cloudtrail.amazonaws.com call s3:GetBucketAcl on the bucket and s3:PutObject under AWSLogs/ACCOUNT/ with the ACL bucket-owner-full-control, or CloudTrail refuses with InsufficientS3BucketPolicyException." }</p>
                <h3 class="sub-heading">{ "Log file SSE-KMS encryption" }</h3>
                <div class="form-grid">
                    { check(&form, "sse_kms", "Enabled") }
                    if form.on("sse_kms") {
                        { key_picker(&form, "key", "AWS KMS key (existing)", &data.keys) }
                    }
                </div>
                if needs_key {
                    <p class="help field-error">{ "Choose a KMS key, or turn SSE-KMS off (log files then get SSE-S3)." }</p>
                }
                <p class="help">{ "CloudTrail itself uses the key, as the service principal cloudtrail.amazonaws.com: for an existing key, its key policy must already allow it, or CloudTrail refuses with InsufficientEncryptionPolicyException. The console adds these statements only to a key it creates:" }</p>
                <pre class="code small">{ KEY_POLICY_HINT }</pre>
                <p class="help">{ "A new trail is not logging yet (the AWS console starts it for you; the API does not): select it above and choose Start logging." }</p>
                <div class="actions"><button class="btn btn-primary" onclick={create} disabled={needs_key} data-testid="create-trail-submit">{ "Create trail" }</button></div>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_sends_the_key_only_with_sse_kms() {
        let f = Fields::with(&[
            ("name", "t"),
            ("bucket", "logs-bucket"),
            ("sse_kms", "true"),
            ("key", "alias/trail"),
            ("multi_region", "true"),
        ]);
        let v = create_input(&f);
        assert_eq!(v["KmsKeyId"], "alias/trail");
        assert_eq!(v["IsMultiRegionTrail"], json!(true));
        assert!(v.get("S3KeyPrefix").is_none());
        assert!(
            create_input(&f.with_value("sse_kms", ""))
                .get("KmsKeyId")
                .is_none()
        );
    }
}
