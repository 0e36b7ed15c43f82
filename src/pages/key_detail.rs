//! Console: one KMS key.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::empty_state::EmptyState;

#[derive(Properties, PartialEq, Debug)]
pub struct KeyDetailProps {
    pub region: AttrValue,
    pub key_id: AttrValue,
}

#[component]
pub fn KeyDetail(props: &KeyDetailProps) -> Html {
    html! {
        <section class="page" aria-labelledby="page-title">
            <nav class="breadcrumbs" aria-label="Breadcrumb">
                <Link<Route> to={Route::KmsKeys}>{ "Customer managed keys" }</Link<Route>>
                { format!(" › {}", props.key_id) }
            </nav>
            <h1 id="page-title" class="mono">{ props.key_id.clone() }</h1>
            <EmptyState title="Key not found" text={format!("There is no key {} in {}.", props.key_id, props.region)} />
        </section>
    }
}
