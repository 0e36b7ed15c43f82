//! Quizzes whose answers are proven by runs.

use yew::prelude::*;

use crate::components::empty_state::EmptyState;

#[component]
pub fn Quiz() -> Html {
    html! {
        <section class="page" aria-labelledby="page-title">
            <h1 id="page-title">{ "Quizzes" }</h1>
            <p class="muted">{ "Exam-style questions; each answer comes with a proof you can run." }</p>
            <EmptyState title="No questions loaded" text="The question bank arrives with the lab content." />
        </section>
    }
}

#[derive(Properties, PartialEq, Debug)]
pub struct QuizTopicProps {
    pub topic: AttrValue,
}

#[component]
pub fn QuizTopic(props: &QuizTopicProps) -> Html {
    html! {
        <section class="page" aria-labelledby="page-title">
            <h1 id="page-title">{ format!("Quiz: {}", props.topic) }</h1>
            <EmptyState title="Unknown topic" text={format!("No quiz topic is called `{}`.", props.topic)} />
        </section>
    }
}
