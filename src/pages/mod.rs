//! One component per route.

pub mod activity;
pub mod cloudtrail;
pub mod config;
pub mod create_key;
pub mod dynamodb;
pub mod ec2;
pub mod efs;
pub mod events;
pub mod home;
pub mod iam;
pub mod key_detail;
pub mod kms_keys;
pub mod lab_kms_file;
pub mod lab_tools;
pub mod learn;
pub mod logs;
pub mod not_found;
pub mod parameters;
pub mod quiz;
pub mod rds;
pub mod s3;
pub mod scenarios;
pub mod secret_permissions;
pub mod secrets;
pub mod sns;
pub mod sqs;
pub mod terminal;

use yew::prelude::*;

use crate::app::Route;
use crate::views::ViewError;

/// The console page of a KMS key named by a key ARN or a bare key id, in the Region it lives in:
/// the ARN's Region, else `near` when the key is there, else the first Region holding it (keys
/// can live in any Region: s3-bucket-keys puts one in eu-north-1).
pub(crate) fn key_route(world: &cloud::World, near: Option<&str>, value: &str) -> Option<Route> {
    if let Some(rest) = value.strip_prefix("arn:aws:kms:") {
        let mut parts = rest.splitn(3, ':');
        let region = parts.next()?;
        let key_id = parts.nth(1)?.strip_prefix("key/")?;
        return Some(Route::KeyDetail {
            region: region.to_owned(),
            key_id: key_id.to_owned(),
        });
    }
    let regions = world.kms().regions_of(value);
    let region = match near {
        Some(r) if regions.iter().any(|x| x == r) => r.to_owned(),
        _ => regions.into_iter().next()?,
    };
    Some(Route::KeyDetail {
        region,
        key_id: value.to_owned(),
    })
}

/// The error a page shows instead of what it could not read (its AWS code and message).
pub(crate) fn error_box(e: &ViewError) -> Html {
    html! { <div class="alert alert-error" role="alert"><strong>{ e.code.clone() }</strong>{ ": " }{ e.message.clone() }</div> }
}

/// A date in epoch seconds (as the KMS and Secrets Manager APIs answer it); "-" when absent.
pub(crate) fn epoch(secs: Option<f64>) -> Html {
    #[allow(clippy::cast_possible_truncation, reason = "milliseconds fit in i64")]
    secs.map_or_else(
        || html! { "-" },
        |s| html! { crate::state::format_time((s * 1000.0) as i64) },
    )
}
