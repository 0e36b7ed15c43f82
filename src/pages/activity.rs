//! Activity: the CloudTrail event history.

use yew::prelude::*;

use crate::components::empty_state::EmptyState;

#[component]
pub fn Activity() -> Html {
    html! {
        <section class="page" aria-labelledby="page-title">
            <h1 id="page-title">{ "Activity — CloudTrail event history" }</h1>
            <div class="panel">
                <EmptyState title="No events yet" text="Every call you make, allowed or denied, appears here as a CloudTrail event." />
            </div>
        </section>
    }
}
