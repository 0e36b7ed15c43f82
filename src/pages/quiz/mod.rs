//! Quizzes whose answers are proven by runs: topics and results, practice (one question at a
//! time, instant feedback, explanation and the proof), exam (timed, flag for review, results by
//! topic), review (missed or flagged) and spaced repetition (Leitner boxes), all persisted.

use std::collections::{BTreeMap, BTreeSet};

use lab::quiz::{self, Kind, Question};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::empty_state::EmptyState;
use crate::hooks::use_lab;
use crate::state::{Action, QuizIntent};
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
            <Practice ids={ids.into_iter().map(str::to_owned).collect::<Vec<_>>()} />
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
                <Practice {ids} />
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
                <Practice ids={vec![props.id.to_string()]} />
            } else {
                <EmptyState title="Unknown question" text={format!("No question has the id `{}`.", props.id)} />
            }
        </section>
    }
}

#[derive(Properties, PartialEq, Debug)]
struct PracticeProps {
    ids: Vec<String>,
}

/// One question at a time with instant feedback.
#[component]
fn Practice(props: &PracticeProps) -> Html {
    let lab = use_lab();
    let index = use_state(|| 0usize);
    let selected = use_state(BTreeSet::<usize>::new);
    let submitted = use_state(|| false);
    let Some(q) = props.ids.get(*index).and_then(|id| quiz::get(id)) else {
        return html! {
            <EmptyState title="Done" text="You went through every question in this set.">
                <Link<Route> to={Route::Quiz} classes="btn btn-primary">{ "Back to topics" }</Link<Route>>
            </EmptyState>
        };
    };
    let correct_set: BTreeSet<usize> = q
        .options
        .iter()
        .enumerate()
        .filter(|(_, o)| o.correct)
        .map(|(i, _)| i)
        .collect();
    let right = *selected == correct_set;
    let submit = {
        let (lab, submitted, selected) = (lab.clone(), submitted.clone(), selected.clone());
        let id = q.id.clone();
        Callback::from(move |_| {
            let choice: Vec<usize> = selected.iter().copied().collect();
            let correct = quiz::get(&id).is_some_and(|q| quiz::grade(q, &choice));
            lab.dispatch(Action::Quiz(QuizIntent::Answer {
                id: id.clone(),
                correct,
                now_ms: storage::now_ms(),
            }));
            submitted.set(true);
        })
    };
    let next = {
        let (index, selected, submitted) = (index.clone(), selected.clone(), submitted.clone());
        Callback::from(move |_| {
            index.set(*index + 1);
            selected.set(BTreeSet::new());
            submitted.set(false);
        })
    };
    let flagged = lab
        .with_session(|s| lab::progress::question(&s.progress, &q.id).is_some_and(|p| p.flagged));
    let flag = {
        let lab = lab.clone();
        let id = q.id.clone();
        Callback::from(move |_| {
            lab.dispatch(Action::Quiz(QuizIntent::Flag {
                id: id.clone(),
                flagged: !flagged,
            }))
        })
    };
    html! {
        <div class="panel question" data-testid="question">
            <p class="muted small">{ format!("Question {} of {} · {} · {}", *index + 1, props.ids.len(), q.topic, q.id) }</p>
            { question_body(q, &selected, *submitted) }
            <div class="actions">
                if !*submitted {
                    <button class="btn btn-primary" disabled={selected.len() != q.answers} onclick={submit} data-testid="submit-answer">{ "Submit" }</button>
                } else {
                    <button class="btn btn-primary" onclick={next} data-testid="next-question">{ "Next question" }</button>
                }
                <button class="btn btn-small" onclick={flag}>{ if flagged { "Unflag" } else { "Flag for review" } }</button>
            </div>
            if *submitted {
                <div class={classes!("feedback", if right { "feedback-ok" } else { "feedback-bad" })} role="status" data-testid="feedback">
                    <strong>{ if right { "Correct." } else { "Not quite." } }</strong>{ " " }{ q.explanation.clone() }
                    if let Some(m) = &q.misconception { <p class="misconception"><strong>{ "Misconception: " }</strong>{ m.clone() }</p> }
                    <ul class="small">{ for q.docs.iter().map(|d| html! { <li><a href={d.clone()} target="_blank" rel="noopener">{ d.clone() }</a></li> }) }</ul>
                </div>
                <ProofPanel id={q.id.clone()} />
            }
        </div>
    }
}

/// The stem and options; after submission, marks right and wrong options.
fn question_body(
    q: &Question,
    selected: &UseStateHandle<BTreeSet<usize>>,
    submitted: bool,
) -> Html {
    let multi = q.answers > 1;
    html! {
        <>
        <p class="stem">{ q.stem.clone() }</p>
        if multi { <p class="muted small">{ format!("Choose {}.", q.answers) }</p> }
        <fieldset class="options" disabled={submitted}>
            <legend class="visually-hidden">{ "Answer options" }</legend>
            { for q.options.iter().enumerate().map(|(i, o)| {
                let sel = selected.clone();
                let checked = selected.contains(&i);
                let onchange = Callback::from(move |_| {
                    let mut s = (*sel).clone();
                    if multi {
                        if !s.remove(&i) { s.insert(i); }
                    } else {
                        s = BTreeSet::from([i]);
                    }
                    sel.set(s);
                });
                let mark = if submitted && o.correct { "option-right" } else if submitted && checked { "option-wrong" } else { "" };
                html! {
                    <label class={classes!("option", mark)}>
                        <input type={if multi { "checkbox" } else { "radio" }} name="answer" {checked} {onchange} />
                        <span>{ o.text.clone() }</span>
                    </label>
                }
            }) }
        </fieldset>
        </>
    }
}

#[derive(Properties, PartialEq, Debug)]
struct ProofPanelProps {
    id: String,
}

/// Runs the question's proof in a fresh world and shows each step and each option's check.
#[component]
fn ProofPanel(props: &ProofPanelProps) -> Html {
    let lab = use_lab();
    let run = use_state(|| None::<Result<quiz::ProofRun, String>>);
    let Some(q) = quiz::get(&props.id) else {
        return html! {};
    };
    if q.kind == Kind::Fact {
        return html! { <p class="muted small">{ "A documented fact: no run can show it, so the citation above is the proof." }</p> };
    }
    let start = {
        let run = run.clone();
        let id = props.id.clone();
        Callback::from(move |_| run.set(Some(quiz::prove(&id).map_err(|e| format!("{e:?}")))))
    };
    let script = q.proof.join("\n");
    let open_in_terminal = {
        let lab = lab.clone();
        let script = script.clone();
        Callback::from(move |_| crate::hooks::act(&lab, Action::Run(script.clone())))
    };
    html! {
        <div class="proof" data-testid="proof">
            <div class="actions">
                <button class="btn btn-small" onclick={start} data-testid="run-proof">{ "Watch the proof run (fresh world)" }</button>
                <button class="btn btn-small" onclick={open_in_terminal} title="Runs the proof's setup in your own world; see it in the terminal">{ "Run it in my terminal" }</button>
            </div>
            { match &*run {
                None => html! { <pre class="code small">{ script }</pre> },
                Some(Err(e)) => html! { <div class="alert alert-error">{ e.clone() }</div> },
                Some(Ok(p)) => html! {
                    <>
                    <ol class="proof-steps">
                        { for p.steps.iter().map(|s| html! {
                            <li><code>{ s.line.clone() }</code>
                                if !s.output.stdout.trim().is_empty() { <pre class="code small">{ s.output.stdout.trim().to_owned() }</pre> }
                                if !s.output.stderr.trim().is_empty() { <pre class="code small term-stderr">{ s.output.stderr.trim().to_owned() }</pre> }
                            </li>
                        }) }
                    </ol>
                    <h4>{ "Each option, tested" }</h4>
                    <ul class="option-checks" data-testid="option-checks">
                        { for p.option_checks.iter().map(|c| html! {
                            <li class={if c.holds == c.correct { "check-ok" } else { "check-bad" }}>
                                { format!("{} — {}", if c.holds { "holds" } else { "does not hold" }, c.text) }
                                { if c.correct { " (the right answer)" } else { "" } }
                                { for c.steps.iter().map(|st| html! { <div><code class="small">{ st.line.clone() }</code>{ format!("  → exit {}", st.output.exit_code) }</div> }) }
                            </li>
                        }) }
                    </ul>
                    </>
                },
            } }
        </div>
    }
}

/// A timed exam with flags and results by topic.
#[component]
fn ExamView() -> Html {
    let lab = use_lab();
    let count = use_state(|| 20usize);
    let exam = use_state(|| None::<(quiz::Exam, f64)>);
    let index = use_state(|| 0usize);
    let answers = use_state(BTreeMap::<String, BTreeSet<usize>>::new);
    let flags = use_state(BTreeSet::<String>::new);
    let finished = use_state(|| false);
    let sel_state = use_state_eq(BTreeSet::<usize>::new);
    let now = use_state(js_sys::Date::now);
    {
        let now = now.clone();
        use_effect_with((), move |_| {
            let interval =
                gloo_timers::callback::Interval::new(1000, move || now.set(js_sys::Date::now()));
            move || drop(interval)
        });
    }
    let Some((e, started)) = (*exam).clone() else {
        let start = {
            let (exam, count) = (exam.clone(), count.clone());
            Callback::from(move |_| {
                exam.set(Some((
                    quiz::exam(*count, storage::random_seed()),
                    js_sys::Date::now(),
                )))
            })
        };
        return html! {
            <div class="panel">
                <p>{ format!("The real SOA-C03 exam has {} questions in {} minutes. Pick a length; the time scales with it.", quiz::EXAM_QUESTIONS, quiz::EXAM_MINUTES) }</p>
                <div class="actions">
                    { for [10usize, 20, 65].iter().map(|n| {
                        let c = count.clone();
                        let n = *n;
                        html! { <label class="check"><input type="radio" name="count" checked={*count == n} onchange={Callback::from(move |_| c.set(n))} />{ format!(" {n} questions") }</label> }
                    }) }
                    <button class="btn btn-primary" onclick={start} data-testid="start-exam">{ "Start exam" }</button>
                </div>
            </div>
        };
    };
    let limit_ms = f64::from(e.minutes) * 60_000.0;
    let left = (limit_ms - (*now - started)).max(0.0);
    let out_of_time = left <= 0.0;
    if *finished || out_of_time {
        let mut by_topic: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        for id in &e.questions {
            if let Some(q) = quiz::get(id) {
                let choice: Vec<usize> = answers
                    .get(*id)
                    .map(|s| s.iter().copied().collect())
                    .unwrap_or_default();
                let entry = by_topic.entry(q.topic.clone()).or_default();
                entry.1 += 1;
                entry.0 += usize::from(quiz::grade(q, &choice));
            }
        }
        let right: usize = by_topic.values().map(|(r, _)| r).sum();
        return html! {
            <div class="panel" data-testid="exam-results">
                <h2>{ format!("Result: {right} / {} ({}%)", e.questions.len(), 100 * right / e.questions.len().max(1)) }</h2>
                if out_of_time && !*finished { <p class="muted">{ "Time ran out." }</p> }
                <table class="table"><thead><tr><th>{ "Topic" }</th><th>{ "Right" }</th><th>{ "Score" }</th></tr></thead><tbody>
                    { for by_topic.iter().map(|(t, (r, n))| html! {
                        <tr><td>{ t.clone() }</td><td>{ format!("{r}/{n}") }</td>
                            <td><div class="meter"><span style={format!("width:{}%", 100 * r / (*n).max(1))} /></div></td></tr>
                    }) }
                </tbody></table>
                <Link<Route> to={Route::QuizMode { mode: "review".into() }} classes="btn">{ "Review what you missed" }</Link<Route>>
            </div>
        };
    }
    let Some(q) = e.questions.get(*index).and_then(|id| quiz::get(id)) else {
        return html! {};
    };
    let selected_now = answers.get(&q.id).cloned().unwrap_or_default();
    // Keep the per-question selection in the answers map.
    if *sel_state != selected_now {
        let mut a = (*answers).clone();
        a.insert(q.id.clone(), (*sel_state).clone());
        answers.set(a);
    }
    let go = |to: usize| {
        let (index, sel_state, answers) = (index.clone(), sel_state.clone(), answers.clone());
        let ids = e.questions.clone();
        Callback::from(move |_| {
            index.set(to);
            sel_state.set(
                ids.get(to)
                    .and_then(|id| answers.get(*id).cloned())
                    .unwrap_or_default(),
            );
        })
    };
    let finish = {
        let (lab, finished, answers) = (lab.clone(), finished.clone(), answers.clone());
        let ids = e.questions.clone();
        Callback::from(move |_| {
            for id in &ids {
                if let Some(q) = quiz::get(id) {
                    let choice: Vec<usize> = answers
                        .get(*id)
                        .map(|s| s.iter().copied().collect())
                        .unwrap_or_default();
                    lab.dispatch(Action::Quiz(QuizIntent::Answer {
                        id: (*id).to_owned(),
                        correct: quiz::grade(q, &choice),
                        now_ms: storage::now_ms(),
                    }));
                }
            }
            let right = ids
                .iter()
                .filter(|id| {
                    let choice: Vec<usize> = answers
                        .get(**id)
                        .map(|s| s.iter().copied().collect())
                        .unwrap_or_default();
                    quiz::get(id).is_some_and(|q| quiz::grade(q, &choice))
                })
                .count();
            lab.dispatch(Action::Quiz(QuizIntent::ExamFinished {
                right,
                total: ids.len(),
                now_ms: storage::now_ms(),
            }));
            finished.set(true);
        })
    };
    let toggle_flag = {
        let flags = flags.clone();
        let id = q.id.clone();
        Callback::from(move |_| {
            let mut f = (*flags).clone();
            if !f.remove(&id) {
                f.insert(id.clone());
            }
            flags.set(f);
        })
    };
    let secs = (left / 1000.0) as i64;
    html! {
        <div class="panel question">
            <div class="panel-header">
                <span>{ format!("Question {} of {}", *index + 1, e.questions.len()) }</span>
                <span class="mono" role="timer" aria-label="Time left">{ format!("{:02}:{:02}:{:02}", secs / 3600, (secs % 3600) / 60, secs % 60) }</span>
            </div>
            { question_body(q, &sel_state, false) }
            <div class="actions">
                <button class="btn btn-small" disabled={*index == 0} onclick={go(index.saturating_sub(1))}>{ "Previous" }</button>
                if *index + 1 < e.questions.len() {
                    <button class="btn btn-small" onclick={go(*index + 1)}>{ "Next" }</button>
                }
                <button class="btn btn-small" onclick={toggle_flag}>{ if flags.contains(&q.id) { "Unflag" } else { "Flag for review" } }</button>
                <button class="btn btn-primary btn-small" onclick={finish} data-testid="finish-exam">{ "Finish exam" }</button>
            </div>
            <div class="exam-map" aria-label="Questions">
                { for e.questions.iter().enumerate().map(|(i, id)| {
                    let answered = answers.get(*id).is_some_and(|s| !s.is_empty());
                    html! { <button class={classes!("exam-dot", answered.then_some("answered"), flags.contains(*id).then_some("flagged"), (i == *index).then_some("current"))}
                        onclick={go(i)} aria-label={format!("Question {}", i + 1)}>{ i + 1 }</button> }
                }) }
            </div>
        </div>
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
