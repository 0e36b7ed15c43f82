//! Guided scenarios graded against the world.

use yew::prelude::*;

use crate::components::empty_state::EmptyState;

#[component]
pub fn Scenarios() -> Html {
    html! {
        <section class="page" aria-labelledby="page-title">
            <h1 id="page-title">{ "Scenarios" }</h1>
            <p class="muted">{ "Short missions in a prepared world, graded by running operations against it." }</p>
            <EmptyState title="No scenarios loaded" text="Scenarios arrive with the lab content." />
        </section>
    }
}

#[derive(Properties, PartialEq, Debug)]
pub struct ScenarioViewProps {
    pub id: AttrValue,
}

#[component]
pub fn ScenarioView(props: &ScenarioViewProps) -> Html {
    html! {
        <section class="page" aria-labelledby="page-title">
            <h1 id="page-title">{ format!("Scenario {}", props.id) }</h1>
            <EmptyState title="Unknown scenario" text={format!("No scenario has the id `{}`.", props.id)} />
        </section>
    }
}
