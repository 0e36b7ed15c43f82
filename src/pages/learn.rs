//! Learn: concept pages.

use yew::prelude::*;

use crate::components::empty_state::EmptyState;

#[component]
pub fn Learn() -> Html {
    html! {
        <section class="page" aria-labelledby="page-title">
            <h1 id="page-title">{ "Learn" }</h1>
            <p class="muted">{ "Concepts behind AWS KMS and encryption at rest, with diagrams." }</p>
        </section>
    }
}

#[derive(Properties, PartialEq, Debug)]
pub struct LearnTopicProps {
    pub topic: AttrValue,
}

#[component]
pub fn LearnTopic(props: &LearnTopicProps) -> Html {
    html! {
        <section class="page" aria-labelledby="page-title">
            <h1 id="page-title">{ format!("Learn: {}", props.topic) }</h1>
            <EmptyState title="Unknown topic" text={format!("No concept page is called `{}`.", props.topic)} />
        </section>
    }
}
