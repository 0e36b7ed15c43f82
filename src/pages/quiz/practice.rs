//! Practice: one question at a time, instant feedback, the explanation and the proof.
//!
//! The set of questions is frozen when it opens (answering moves a question between Leitner
//! boxes, which would otherwise reorder the list under the learner), so the feedback always
//! stays on the question that was answered until the learner moves on.

use std::collections::BTreeSet;

use lab::quiz::{self, Question};
use yew::prelude::*;
use yew_router::prelude::*;

use super::order::{display_order, letter};
use super::proof::ProofPanel;
use crate::app::Route;
use crate::components::empty_state::EmptyState;
use crate::components::prose::prose;
use crate::hooks::use_lab;

use crate::storage;

#[derive(Properties, PartialEq, Debug)]
pub struct PracticeProps {
    /// The set, in the order it is asked. Read once: give the component a `key` per set.
    pub ids: Vec<String>,
}

/// What was submitted for the question on screen.
#[derive(Clone, Debug, PartialEq)]
struct Submitted {
    id: String,
    correct: bool,
}

/// One question at a time with instant feedback.
#[component]
pub fn Practice(props: &PracticeProps) -> Html {
    let lab = use_lab();
    let ids = use_state(|| props.ids.clone());
    // One display order per attempt at the set: a new visit shuffles again.
    let seed = use_state(storage::random_seed);
    let index = use_state(|| 0usize);
    let selected = use_state(BTreeSet::<usize>::new);
    let submitted = use_state(|| None::<Submitted>);
    let Some(q) = ids.get(*index).and_then(|id| quiz::get(id)) else {
        return html! {
            <EmptyState title="Done" text="You went through every question in this set.">
                <Link<Route> to={Route::Quiz} classes="btn btn-primary">{ "Back to topics" }</Link<Route>>
            </EmptyState>
        };
    };
    let order = display_order(q.options.len(), *seed, &q.id);
    let on_toggle = {
        let selected = selected.clone();
        let multi = q.answers > 1;
        Callback::from(move |option: usize| {
            let mut s = (*selected).clone();
            if multi {
                if !s.remove(&option) {
                    s.insert(option);
                }
            } else {
                s = BTreeSet::from([option]);
            }
            selected.set(s);
        })
    };
    let submit = {
        let (lab, submitted, selected) = (lab.clone(), submitted.clone(), selected.clone());
        let id = q.id.clone();
        Callback::from(move |_| {
            let choice: Vec<usize> = selected.iter().copied().collect();
            let correct = quiz::get(&id).is_some_and(|q| quiz::grade(q, &choice));
            lab.answer(id.clone(), correct);
            submitted.set(Some(Submitted {
                id: id.clone(),
                correct,
            }));
        })
    };
    let next = {
        let (index, selected, submitted) = (index.clone(), selected.clone(), submitted.clone());
        Callback::from(move |_| {
            index.set(*index + 1);
            selected.set(BTreeSet::new());
            submitted.set(None);
        })
    };
    let flagged = lab
        .with_session(|s| lab::progress::question(&s.progress, &q.id).is_some_and(|p| p.flagged));
    let flag = {
        let lab = lab.clone();
        let id = q.id.clone();
        Callback::from(move |_| lab.flag(id.clone(), !flagged))
    };
    // Feedback belongs to the question it was given for (never shown on another one).
    let feedback = submitted.as_ref().filter(|s| s.id == q.id);
    html! {
        <div class="panel question" data-testid="question" data-question-id={q.id.clone()}>
            <p class="muted small">
                { format!("Question {} of {} · {} · ", *index + 1, ids.len(), topic_title(&q.topic)) }
                <span class="mono" data-testid="question-id">{ q.id.clone() }</span>
            </p>
            { question_body(q, &order, &selected, &on_toggle, feedback.is_some()) }
            <div class="actions">
                if feedback.is_none() {
                    <button class="btn btn-primary" disabled={selected.len() != q.answers} onclick={submit} data-testid="submit-answer">{ "Submit" }</button>
                } else {
                    <button class="btn btn-primary" onclick={next} data-testid="next-question">{ "Next question" }</button>
                }
                <button class="btn btn-small" onclick={flag} data-testid="flag" aria-pressed={flagged.to_string()}>{ if flagged { "Unflag" } else { "Flag for review" } }</button>
            </div>
            if let Some(f) = feedback {
                <div class={classes!("feedback", if f.correct { "feedback-ok" } else { "feedback-bad" })} role="status" data-testid="feedback" data-question-id={f.id.clone()}>
                    <strong>{ if f.correct { "Correct." } else { "Not quite." } }</strong>{ " " }{ prose(&q.explanation) }
                    if let Some(m) = &q.misconception { <p class="misconception"><strong>{ "Misconception: " }</strong>{ prose(m) }</p> }
                    <ul class="small">{ for q.docs.iter().map(|d| html! { <li><a href={d.clone()} target="_blank" rel="noopener">{ d.clone() }</a></li> }) }</ul>
                </div>
                <ProofPanel id={q.id.clone()} />
            }
        </div>
    }
}

/// A topic's title (its id when unknown).
pub fn topic_title(id: &str) -> String {
    quiz::topics()
        .iter()
        .find(|t| t.id == id)
        .map_or_else(|| id.to_owned(), |t| t.title.clone())
}

/// The stem and the options in display order (`order[p]` is the option at position `p`);
/// `selected` holds option indices of the data. When `reveal`, marks right and wrong options.
pub fn question_body(
    q: &Question,
    order: &[usize],
    selected: &BTreeSet<usize>,
    on_toggle: &Callback<usize>,
    reveal: bool,
) -> Html {
    let multi = q.answers > 1;
    html! {
        <>
        <p class="stem" data-testid="stem">{ prose(&q.stem) }</p>
        if multi { <p class="muted small">{ format!("Choose {}.", q.answers) }</p> }
        <fieldset class="options" disabled={reveal}>
            <legend class="visually-hidden">{ "Answer options" }</legend>
            { for order.iter().enumerate().filter_map(|(p, &i)| {
                let o = q.options.get(i)?;
                let checked = selected.contains(&i);
                let onchange = on_toggle.reform(move |_| i);
                let mark = if reveal && o.correct { "option-right" } else if reveal && checked { "option-wrong" } else { "" };
                Some(html! {
                    <label class={classes!("option", mark)} data-testid="option">
                        <input type={if multi { "checkbox" } else { "radio" }} name={format!("answer-{}", q.id)} {checked} {onchange} />
                        <span class="option-letter" aria-hidden="true">{ format!("{}.", letter(p)) }</span>
                        <span class="option-text">{ prose(&o.text) }</span>
                        if reveal && o.correct { <span class="visually-hidden">{ " (right answer)" }</span> }
                    </label>
                })
            }) }
        </fieldset>
        </>
    }
}
