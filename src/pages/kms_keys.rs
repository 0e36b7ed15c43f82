//! Console: customer managed keys in the current account and Region.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::empty_state::EmptyState;
use crate::hooks::use_lab;

#[component]
pub fn KmsKeys() -> Html {
    let lab = use_lab();
    html! {
        <section class="page" aria-labelledby="page-title">
            <nav class="breadcrumbs" aria-label="Breadcrumb">{ "Key Management Service (KMS) › Customer managed keys" }</nav>
            <div class="page-header">
                <h1 id="page-title">{ "Customer managed keys" }</h1>
                <span class="muted">{ format!("{} · {}", lab.identity().account, lab.region) }</span>
            </div>
            <div class="panel">
                <div class="panel-header">
                    <h2>{ "Customer managed keys (0)" }</h2>
                </div>
                <EmptyState title="No customer managed keys" text="You have no KMS keys in this account and Region yet. Create one in the terminal with `aws kms create-key`.">
                    <Link<Route> to={Route::Terminal} classes="btn btn-primary">{ "Open the terminal" }</Link<Route>>
                </EmptyState>
            </div>
        </section>
    }
}
