//! Quizzes whose answers are proven by runs: topics and results, practice (one question at a
//! time, instant feedback, explanation and the proof), exam (timed, flag for review, results by
//! topic), review (missed or flagged) and spaced repetition (Leitner boxes), all persisted.

mod exam;
mod order;
mod practice;
mod proof;

use lab::quiz::{self, Kind};
use yew::prelude::*;
use yew_router::prelude::*;

use self::exam::ExamView;
use self::practice::Practice;
use crate::app::Route;
use crate::components::empty_state::EmptyState;
use crate::hooks::use_lab;
use crate::storage;

#[component]
pub fn Quiz() -> Html {
    let lab = use_lab();
    let results = lab.with_session(|s| quiz::results_by_topic(&s.progress));
    let (review, due) = lab.with_session(|s| {
        (
            quiz::review(&s.progress).len(),
            quiz::due(&s.progress, storage::now_ms()).len(),
        )
    });
    let facts = quiz::bank().iter().filter(|q| q.kind == Kind::Fact).count();
    html! {
        <section class="page page-wide" aria-labelledby="page-title">
            <h1 id="page-title">{ "Quizzes" }</h1>
            <p class="muted">{ format!(
                "{} exam-style questions. {} are proved by running operations in a fresh world — after answering, watch the proof run; {} are documented facts with their AWS citation.",
                quiz::bank().len(), quiz::bank().len() - facts, facts) }</p>
            <div class="actions quiz-modes">
                <Link<Route> to={Route::QuizMode { mode: "exam".into() }} classes="btn btn-primary">{ "Exam (timed)" }</Link<Route>>
                <Link<Route> to={Route::QuizMode { mode: "practice".into() }} classes="btn">{ "Practice all" }</Link<Route>>
                <Link<Route> to={Route::QuizMode { mode: "due".into() }} classes="btn">{ format!("Spaced repetition ({due} due)") }</Link<Route>>
                <Link<Route> to={Route::QuizMode { mode: "review".into() }} classes="btn">{ format!("Review missed and flagged ({review})") }</Link<Route>>
            </div>
            <Trend attempts={lab.with_session(|s| crate::state::exam_attempts(&s.progress))} />
            <h2>{ "Performance tasks" }</h2>
            <p class="muted">{ "Make it true in your own lab (console or terminal, any valid way); the checker runs operations against a copy of your world." }</p>
            <div class="tasks" data-testid="tasks">
                { for quiz::tasks::tasks().iter().map(|t| html! { <TaskCard id={t.id} /> }) }
            </div>
            <h2>{ "Topics" }</h2>
            <div class="cards" data-testid="quiz-topics">
                { for quiz::topics().iter().map(|t| {
                    let r = results.iter().find(|r| r.topic == t.id);
                    let (right, answered) = r.map(|r| (r.right, r.answered)).unwrap_or((0, 0));
                    html! {
                        <Link<Route> to={Route::QuizTopic { topic: t.id.clone() }} classes="card">
                            <h2>{ t.title.clone() }</h2>
                            <p>{ format!("{} questions · {answered} answered · {right} right", t.questions) }</p>
                            <div class="meter" aria-hidden="true"><span style={format!("width:{}%", (100 * right).checked_div(t.questions).unwrap_or(0))} /></div>
                        </Link<Route>>
                    }
                }) }
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq, Debug)]
pub struct QuizTopicProps {
    pub topic: AttrValue,
}

/// Practice one topic.
#[component]
pub fn QuizTopic(props: &QuizTopicProps) -> Html {
    let lab = use_lab();
    let Some(topic) = quiz::topics().iter().find(|t| t.id == props.topic.as_str()) else {
        return html! {
            <section class="page" aria-labelledby="page-title">
                <h1 id="page-title">{ format!("Quiz: {}", props.topic) }</h1>
                <EmptyState title="Unknown topic" text={format!("No quiz topic is called `{}`.", props.topic)}>
                    <Link<Route> to={Route::Quiz} classes="btn">{ "All topics" }</Link<Route>>
                </EmptyState>
            </section>
        };
    };
    let ids = lab.with_session(|s| quiz::practice_order(&s.progress, Some(&topic.id)));
    html! {
        <section class="page" aria-labelledby="page-title">
            <nav class="breadcrumbs" aria-label="Breadcrumb"><Link<Route> to={Route::Quiz}>{ "Quizzes" }</Link<Route>>{ format!(" › {}", topic.title) }</nav>
            <h1 id="page-title">{ format!("Quiz: {}", topic.title) }</h1>
            <Practice key={topic.id.clone()} ids={ids.into_iter().map(str::to_owned).collect::<Vec<_>>()} />
        </section>
    }
}

#[derive(Properties, PartialEq, Debug)]
pub struct QuizModeProps {
    pub mode: AttrValue,
}

/// Exam, practice-all, review and spaced-repetition modes.
#[component]
pub fn QuizMode(props: &QuizModeProps) -> Html {
    let lab = use_lab();
    let (title, ids): (&str, Vec<String>) = lab.with_session(|s| match props.mode.as_str() {
        "review" => (
            "Review: missed and flagged",
            quiz::review(&s.progress)
                .into_iter()
                .map(str::to_owned)
                .collect(),
        ),
        "due" => (
            "Spaced repetition: due now",
            quiz::due(&s.progress, storage::now_ms())
                .into_iter()
                .map(str::to_owned)
                .collect(),
        ),
        "exam" => ("Exam", Vec::new()),
        _ => (
            "Practice: all topics",
            quiz::practice_order(&s.progress, None)
                .into_iter()
                .map(str::to_owned)
                .collect(),
        ),
    });
    html! {
        <section class="page" aria-labelledby="page-title">
            <nav class="breadcrumbs" aria-label="Breadcrumb"><Link<Route> to={Route::Quiz}>{ "Quizzes" }</Link<Route>>{ format!(" › {title}") }</nav>
            <h1 id="page-title">{ title }</h1>
            if props.mode == "exam" {
                <ExamView />
            } else if ids.is_empty() {
                <EmptyState title="Nothing here right now" text="Answer some questions first; missed, flagged and due questions collect here." />
            } else {
                <Practice key={props.mode.to_string()} {ids} />
            }
        </section>
    }
}

#[derive(Properties, PartialEq, Debug)]
pub struct QuestionPageProps {
    pub id: AttrValue,
}

/// A single question (deep link for study sites).
#[component]
pub fn QuestionPage(props: &QuestionPageProps) -> Html {
    html! {
        <section class="page" aria-labelledby="page-title">
            <nav class="breadcrumbs" aria-label="Breadcrumb"><Link<Route> to={Route::Quiz}>{ "Quizzes" }</Link<Route>>{ format!(" › {}", props.id) }</nav>
            <h1 id="page-title">{ "Question" }</h1>
            if quiz::get(&props.id).is_some() {
                <Practice key={props.id.to_string()} ids={vec![props.id.to_string()]} />
            } else {
                <EmptyState title="Unknown question" text={format!("No question has the id `{}`.", props.id)} />
            }
        </section>
    }
}

#[derive(Properties, PartialEq, Debug)]
struct TrendProps {
    attempts: Vec<(i64, u64, u64)>,
}

/// Exam scores over attempts, as a line chart.
#[component]
fn Trend(props: &TrendProps) -> Html {
    if props.attempts.is_empty() {
        return html! {};
    }
    let n = props.attempts.len();
    let points: Vec<(f64, f64)> = props
        .attempts
        .iter()
        .enumerate()
        .map(|(i, (_, right, total))| {
            let pct = (*right as f64) * 100.0 / (*total).max(1) as f64;
            let x = if n == 1 {
                360.0
            } else {
                40.0 + 660.0 * i as f64 / (n - 1) as f64
            };
            (x, 150.0 - 1.3 * pct)
        })
        .collect();
    let path: String = points
        .iter()
        .enumerate()
        .map(|(i, (x, y))| format!("{}{x:.1} {y:.1}", if i == 0 { "M" } else { " L" }))
        .collect();
    html! {
        <figure class="diagram" data-testid="exam-trend">
            <svg viewBox="0 0 740 170" class="svg-diagram chart" role="img" aria-label={format!("Exam scores over {n} attempts")}>
                <line x1="40" y1="20" x2="40" y2="150" class="axis" />
                <line x1="40" y1="150" x2="720" y2="150" class="axis" />
                <line x1="40" y1={(150.0 - 1.3 * 72.0).to_string()} x2="720" y2={(150.0 - 1.3 * 72.0).to_string()} class="pass-line" />
                <text x="34" y="24" class="svg-small chart-y">{ "100%" }</text>
                <text x="34" y="150" class="svg-small chart-y">{ "0%" }</text>
                <text x="716" y={(146.0 - 1.3 * 72.0).to_string()} class="svg-small chart-x-end">{ "720/1000 to pass" }</text>
                <path d={path} class="trend-line" />
                { for points.iter().zip(&props.attempts).map(|((x, y), (_, r, t))| html! {
                    <circle cx={x.to_string()} cy={y.to_string()} r="4" class="trend-dot"><title>{ format!("{r}/{t}") }</title></circle>
                }) }
            </svg>
            <figcaption class="muted small">{ format!("Your exam scores over {n} attempt(s).") }</figcaption>
        </figure>
    }
}

#[derive(Properties, PartialEq, Debug)]
struct TaskCardProps {
    id: &'static str,
}

/// One "make this true" task with its checker.
#[component]
fn TaskCard(props: &TaskCardProps) -> Html {
    let lab = use_lab();
    let verdict = use_state(|| None::<(bool, String)>);
    let Some(t) = quiz::tasks::task(props.id) else {
        return html! {};
    };
    let check = {
        let (lab, verdict) = (lab.clone(), verdict.clone());
        let id = props.id;
        Callback::from(move |_| {
            let v = lab.with_session(|s| quiz::tasks::check_task(s, id));
            verdict.set(v.map(|v| (v.passed, v.evidence)));
        })
    };
    html! {
        <div class="panel task" data-testid={format!("task-{}", t.id)}>
            <p><span class="badge">{ t.topic }</span>{ " " }{ t.prompt }</p>
            <div class="actions">
                <button class="btn btn-small" onclick={check}>{ "Check my world" }</button>
                { for t.docs.iter().map(|d| html! { <a class="small" href={*d} target="_blank" rel="noopener">{ "AWS docs" }</a> }) }
            </div>
            if let Some((passed, evidence)) = &*verdict {
                <p class={classes!("task-verdict", if *passed { "feedback-ok" } else { "feedback-bad" })} role="status">
                    <strong>{ if *passed { "Done. " } else { "Not yet. " } }</strong>{ evidence.clone() }
                </p>
            }
        </div>
    }
}
