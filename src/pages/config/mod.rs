//! The AWS Config console (`#/config`): the Settings of the Region's recorder and delivery
//! channel, with the console's "Get started" (1-click setup) form when Config is not set up:
//! record all supported resource types, an IAM role for Config, and the S3 bucket of the
//! delivery channel; then PutConfigurationRecorder, PutDeliveryChannel and
//! StartConfigurationRecorder, in that order (Config refuses a channel before a recorder). The
//! recorder's status, with Start and Stop recording. The Rules (`rules`) and a rule's page with
//! its resources in scope (`rule`).

mod managed;
pub mod rule;
pub mod rules;

use cloud::config::model as config;
use serde_json::json;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::form::{Fields, select, use_form};
use crate::components::resources::{page_header, str_cell, sub_tabs};
use crate::hooks::use_lab;
use crate::pages::{epoch, error_box};
use crate::state::{ConsoleCall, LabState};
use crate::views::{Peek, ViewError};

/// The recorder name the console uses.
const RECORDER: &str = "default";

#[derive(Debug)]
struct ConfigData {
    recorders: Result<Vec<config::ConfigurationRecorder>, ViewError>,
    status: Vec<config::ConfigurationRecorderStatus>,
    channels: Vec<config::DeliveryChannel>,
    roles: Vec<(String, String)>,
    buckets: Vec<(String, String)>,
}

fn read(lab: &LabState, region: &str) -> ConfigData {
    let mut peek = Peek::new(lab);
    let recorders = peek.client(region).and_then(|c| {
        Ok(c.config()
            .describe_configuration_recorders(Default::default())?
            .configuration_recorders)
    });
    let status = peek
        .client(region)
        .and_then(|c| {
            Ok(c.config()
                .describe_configuration_recorder_status(Default::default())?
                .configuration_recorders_status)
        })
        .unwrap_or_default();
    let channels = peek
        .client(region)
        .and_then(|c| {
            Ok(c.config()
                .describe_delivery_channels(Default::default())?
                .delivery_channels)
        })
        .unwrap_or_default();
    let roles = peek
        .iam_principals(region, true)
        .unwrap_or_default()
        .into_iter()
        .map(|r| (r.arn.clone(), r.arn))
        .collect();
    let buckets = peek
        .client(region)
        .and_then(|c| {
            Ok(c.s3()
                .list_buckets(cloud::s3::model::ListBucketsRequest {})?)
        })
        .map(|b| {
            b.buckets
                .into_iter()
                .map(|b| (b.name.clone(), b.name))
                .collect()
        })
        .unwrap_or_default();
    ConfigData {
        recorders,
        status,
        channels,
        roles,
        buckets,
    }
}

/// The console's setup, as three calls: the recorder (all supported resource types), the
/// delivery channel, then recording.
pub(crate) fn setup_calls(f: &Fields) -> Vec<ConsoleCall> {
    vec![
        ConsoleCall {
            service: "configservice",
            operation: "PutConfigurationRecorder",
            input: json!({ "ConfigurationRecorder": {
                "name": RECORDER,
                "roleARN": f.get("role"),
                "recordingGroup": { "allSupported": true, "includeGlobalResourceTypes": false }
            } }),
        },
        ConsoleCall {
            service: "configservice",
            operation: "PutDeliveryChannel",
            input: json!({ "DeliveryChannel": { "name": "default", "s3BucketName": f.get("bucket") } }),
        },
        ConsoleCall {
            service: "configservice",
            operation: "StartConfigurationRecorder",
            input: json!({ "ConfigurationRecorderName": RECORDER }),
        },
    ]
}

/// The Config pages' tabs.
pub(crate) fn config_tabs(current: &Route) -> Html {
    sub_tabs(
        "AWS Config",
        &[("Settings", Route::Config), ("Rules", Route::ConfigRules)],
        current,
    )
}

/// The recorder's recording strategy as the console words it.
fn strategy(r: &config::ConfigurationRecorder) -> &'static str {
    if r.recording_group.as_ref().and_then(|g| g.all_supported) == Some(false) {
        "Specific resource types"
    } else {
        "All resource types"
    }
}

fn field(label: &str, value: Html) -> Html {
    html! { <div class="field"><div class="field-label">{ label.to_owned() }</div><div class="field-value">{ value }</div></div> }
}

#[component]
pub fn ConfigSettings() -> Html {
    let lab = use_lab();
    let region = lab.identity().region;
    let data = {
        let state = (*lab).clone();
        use_memo((lab.revision, region.clone()), move |(_, region)| {
            read(&state, region)
        })
    };
    let form = use_form(&[]);
    let recorders = match &data.recorders {
        Ok(r) => r.clone(),
        Err(e) => {
            return html! {
                <section class="page page-wide" aria-labelledby="page-title">
                    { page_header("AWS Config", &lab) }
                    { error_box(e) }
                </section>
            };
        }
    };
    let setup = {
        let (lab, form, region) = (lab.clone(), form.clone(), region.clone());
        Callback::from(move |_: MouseEvent| {
            lab.calls(
                region.clone(),
                setup_calls(&form),
                "AWS Config is set up: the recorder records all supported resource types and delivers to the bucket",
            );
        })
    };
    let recording = |operation: &'static str, summary: &'static str| {
        let (lab, region) = (lab.clone(), region.clone());
        Callback::from(move |_: MouseEvent| {
            lab.call(
                region.clone(),
                "configservice",
                operation,
                json!({ "ConfigurationRecorderName": RECORDER }),
                summary,
            );
        })
    };
    let with_choose = |list: &[(String, String)], what: &str| {
        std::iter::once((String::new(), format!("Choose {what}")))
            .chain(list.iter().cloned())
            .collect::<Vec<_>>()
    };
    let set_up = !recorders.is_empty() && !data.channels.is_empty();
    let settings_form = html! {
        <div class="panel" data-testid="config-setup">
            <div class="panel-header"><h2>{ if recorders.is_empty() { "Set up AWS Config" } else { "Settings" } }</h2></div>
            <p class="help">{ "Recording strategy: all resource types with customizable overrides (the lab records every supported type in this Region). Config reads your resources through the IAM role you choose, and delivers configuration snapshots and history to the S3 bucket's AWSLogs/ACCOUNT/Config/ prefix." }</p>
            <div class="form-grid">
                { select(&form, "role", "IAM role for AWS Config: choose a role from your account", &with_choose(&data.roles, "a role")) }
                { select(&form, "bucket", "Delivery method: choose a bucket from your account", &with_choose(&data.buckets, "a bucket")) }
            </div>
            <div class="actions">
                <button class="btn btn-primary" onclick={setup} disabled={form.opt("role").is_none() || form.opt("bucket").is_none()} data-testid="config-setup-submit">{ "Confirm" }</button>
            </div>
            <p class="help">{ "Confirm makes three calls, as the console does: PutConfigurationRecorder (name default), PutDeliveryChannel, then StartConfigurationRecorder." }</p>
        </div>
    };
    let status = data.status.iter().find(|s| s.name == RECORDER).cloned();
    let recorder = recorders
        .iter()
        .find(|r| r.name.as_deref() == Some(RECORDER));
    html! {
        <section class="page page-wide" aria-labelledby="page-title">
            { page_header("AWS Config", &lab) }
            { config_tabs(&Route::Config) }
            if !set_up {
                <div class="alert alert-info" role="note" data-testid="config-get-started">
                    <strong>{ "Get started." }</strong>
                    { " AWS Config is not recording in this Region. It needs a configuration recorder and a delivery channel, and recording must be started, before rules can evaluate." }
                </div>
            }
            if let Some(r) = recorder {
                <div class="panel" data-testid="recorder-status">
                    <div class="panel-header"><h2>{ "Recorder" }</h2>
                        <div class="actions">
                            if status.as_ref().is_some_and(|s| s.recording) {
                                <button class="btn btn-small" onclick={recording("StopConfigurationRecorder", "Stopped recording")} data-testid="stop-recording">{ "Stop recording" }</button>
                            } else {
                                <button class="btn btn-small btn-primary" onclick={recording("StartConfigurationRecorder", "Started recording")} data-testid="start-recording">{ "Start recording" }</button>
                            }
                        </div>
                    </div>
                    <div class="fields">
                        { field("Recording is", match &status { Some(s) if s.recording => html! { <span class="badge badge-ok" data-testid="recording-on">{ "On" }</span> }, _ => html! { <span class="badge badge-warn" data-testid="recording-off">{ "Off" }</span> } }) }
                        { field("Recorder name", html! { r.name.clone().unwrap_or_default() }) }
                        { field("Recording strategy", html! { strategy(r) }) }
                        { field("IAM role", html! { <span class="mono small break">{ r.role_arn.clone().unwrap_or_default() }</span> }) }
                        { field("Last status", str_cell(status.as_ref().and_then(|s| s.last_status.as_deref()))) }
                        { field("Last started", epoch(status.as_ref().and_then(|s| s.last_start_time))) }
                    </div>
                    { for data.channels.iter().map(|c| html! {
                        <div class="fields">
                            { field("Delivery channel", html! { c.name.clone().unwrap_or_default() }) }
                            { field("S3 bucket", html! { <span class="mono">{ c.s3_bucket_name.clone().unwrap_or_default() }</span> }) }
                        </div>
                    }) }
                </div>
            }
            if !set_up { { settings_form } }
            <p><Link<Route> to={Route::ConfigRules}>{ "Rules →" }</Link<Route>></p>
        </section>
    }
}

/// A world where Config records (the setup's three calls made), for the pages' tests.
#[cfg(test)]
pub(super) fn recording_world() -> (cloud::World, cloud::CallContext) {
    let f = Fields::with(&[
        ("role", "arn:aws:iam::111122223333:role/ConfigRecorderRole"),
        ("bucket", "config-bucket-111122223333"),
    ]);
    let mut world = cloud::World::new(1, 0);
    let ctx = world.context_for_profile(None, None).unwrap();
    world
        .call(
            &ctx,
            "s3",
            "CreateBucket",
            json!({ "Bucket": "config-bucket-111122223333" }),
        )
        .unwrap();
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"config.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    world
        .call(
            &ctx,
            "iam",
            "CreateRole",
            json!({ "RoleName": "ConfigRecorderRole", "AssumeRolePolicyDocument": trust }),
        )
        .unwrap();
    for c in setup_calls(&f) {
        world.call(&ctx, c.service, c.operation, c.input).unwrap();
    }
    (world, ctx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_setup_records_then_delivers_then_starts() {
        let (mut world, ctx) = recording_world();
        let status = world
            .call(
                &ctx,
                "configservice",
                "DescribeConfigurationRecorderStatus",
                json!({}),
            )
            .unwrap();
        assert_eq!(status["ConfigurationRecordersStatus"][0]["recording"], true);
    }
}
