//! One component per route.

pub mod activity;
pub mod create_key;
pub mod home;
pub mod iam;
pub mod key_detail;
pub mod kms_keys;
pub mod learn;
pub mod not_found;
pub mod parameters;
pub mod quiz;
pub mod scenarios;
pub mod secrets;
pub mod services;
pub mod terminal;

use yew::prelude::*;

use crate::views::ViewError;

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
