//! A timed practice exam for one exam guide, restricted to its data-protection slice and weighted
//! as the guide weights those domains (`lab::quiz::skills`): flags, a confirmation before
//! finishing, and results with topic titles, a percentage against the lab's pass mark, and a
//! review of every question in the order shown.

use std::collections::{BTreeMap, BTreeSet};

use lab::quiz;
use yew::prelude::*;
use yew_router::prelude::*;

use super::order::display_order;
use super::practice::{question_body, topic_title};
use crate::app::Route;
use crate::components::prose::prose;
use crate::hooks::{Lab, use_lab};

use crate::storage;

/// The lab's pass mark, in percent of questions right.
pub const PASS_PERCENT: usize = 72;

/// Why the pass mark is what it is (shown with every result).
pub const PASS_REASON: &str = "AWS publishes a passing scaled score of 720 out of 1000 for SOA-C03 \
and SAA-C03 (750 for SCS-C02), but not how answers are scaled, so the lab does not invent a scaled \
score: it compares the share of questions you got right with 72% as a rough guide, not a \
prediction.";

/// An exam in progress: its questions, when it started, and the seed of its option order.
#[derive(Clone, Debug, PartialEq)]
struct Sitting {
    /// The exam guide's code (`SOA-C03`).
    code: &'static str,
    exam: quiz::Exam,
    started_ms: f64,
    seed: u64,
}

/// Answers as option indices of the data (the display order only maps them).
type Answers = BTreeMap<String, BTreeSet<usize>>;

fn choice(answers: &Answers, id: &str) -> Vec<usize> {
    answers
        .get(id)
        .map(|s| s.iter().copied().collect())
        .unwrap_or_default()
}

fn is_right(answers: &Answers, id: &str) -> bool {
    quiz::get(id).is_some_and(|q| quiz::grade(q, &choice(answers, id)))
}

/// A timed exam with flags and results by topic.
#[component]
pub fn ExamView() -> Html {
    let lab = use_lab();
    let count = use_state(|| 20usize);
    let code = use_state(|| quiz::skills::EXAMS[0].code);
    let sitting = use_state(|| None::<Sitting>);
    let index = use_state(|| 0usize);
    let answers = use_state(Answers::new);
    let flags = use_state(BTreeSet::<String>::new);
    let confirming = use_state(|| false);
    let finished = use_state(|| false);
    let now = use_state(js_sys::Date::now);
    {
        let now = now.clone();
        use_effect_with((), move |_| {
            let interval =
                gloo_timers::callback::Interval::new(1000, move || now.set(js_sys::Date::now()));
            move || drop(interval)
        });
    }
    // When time runs out, the attempt is recorded once, as it stands.
    let out_of_time = sitting
        .as_ref()
        .is_some_and(|s| *now - s.started_ms >= f64::from(s.exam.minutes) * 60_000.0);
    {
        let (lab, sitting, answers, flags, finished) = (
            lab.clone(),
            sitting.clone(),
            answers.clone(),
            flags.clone(),
            finished.clone(),
        );
        use_effect_with(out_of_time, move |out| {
            if let (true, false, Some(s)) = (*out, *finished, sitting.as_ref()) {
                record_attempt(&lab, s, &answers, &flags);
                finished.set(true);
            }
        });
    }
    let Some(s) = (*sitting).clone() else {
        let start = {
            let (sitting, count, code) = (sitting.clone(), count.clone(), code.clone());
            Callback::from(move |_| {
                let seed = storage::random_seed();
                sitting.set(Some(Sitting {
                    code: *code,
                    exam: quiz::skills::practice_exam(*code, *count, seed),
                    started_ms: js_sys::Date::now(),
                    seed,
                }))
            })
        };
        return html! {
            <div class="panel" data-testid="exam-intro">
                <fieldset class="actions plain-fieldset">
                    <legend>{ "Exam guide" }</legend>
                    { for quiz::skills::EXAMS.iter().map(|g| {
                        let c = code.clone();
                        let g_code = g.code;
                        html! { <label class="check"><input type="radio" name="guide" checked={*code == g.code} onchange={Callback::from(move |_| c.set(g_code))} data-testid={format!("guide-{}", g.code)} />{ format!(" {} ({})", g.code, g.name) }</label> }
                    }) }
                </fieldset>
                { slice_intro(*code) }
                <fieldset class="actions plain-fieldset">
                    <legend class="visually-hidden">{ "Exam length" }</legend>
                    { for [10usize, 20, 65].iter().map(|n| {
                        let c = count.clone();
                        let n = *n;
                        html! { <label class="check"><input type="radio" name="count" checked={*count == n} onchange={Callback::from(move |_| c.set(n))} />{ format!(" {n} questions") }</label> }
                    }) }
                    <button class="btn btn-primary" onclick={start} data-testid="start-exam">{ "Start exam" }</button>
                </fieldset>
            </div>
        };
    };
    let ids = &s.exam.questions;
    let limit_ms = f64::from(s.exam.minutes) * 60_000.0;
    let left = (limit_ms - (*now - s.started_ms)).max(0.0);
    let finish = {
        let (lab, finished, answers, flags) = (
            lab.clone(),
            finished.clone(),
            answers.clone(),
            flags.clone(),
        );
        let s = s.clone();
        Callback::from(move |_: MouseEvent| {
            record_attempt(&lab, &s, &answers, &flags);
            finished.set(true);
        })
    };
    if *finished || out_of_time {
        return results(&s, &answers, &flags, out_of_time);
    }
    let Some(q) = ids.get(*index).and_then(|id| quiz::get(id)) else {
        return html! {};
    };
    let order = display_order(q.options.len(), s.seed, &q.id);
    let selected = answers.get(&q.id).cloned().unwrap_or_default();
    let on_toggle = {
        let answers = answers.clone();
        let (id, multi) = (q.id.clone(), q.answers > 1);
        Callback::from(move |option: usize| {
            let mut all = (*answers).clone();
            let s = all.entry(id.clone()).or_default();
            if multi {
                if !s.remove(&option) {
                    s.insert(option);
                }
            } else {
                *s = BTreeSet::from([option]);
            }
            answers.set(all);
        })
    };
    let go = |to: usize| {
        let index = index.clone();
        Callback::from(move |_| index.set(to))
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
    let ask = {
        let confirming = confirming.clone();
        Callback::from(move |_| confirming.set(true))
    };
    let keep_going = {
        let confirming = confirming.clone();
        Callback::from(move |_| confirming.set(false))
    };
    let unanswered = ids
        .iter()
        .filter(|id| answers.get(**id).is_none_or(BTreeSet::is_empty))
        .count();
    let secs = (left / 1000.0) as i64;
    let flagged_now = flags.contains(&q.id);
    html! {
        <div class="panel question" data-testid="exam-question" data-question-id={q.id.clone()}>
            <div class="panel-header">
                <span>{ format!("Question {} of {}", *index + 1, ids.len()) }</span>
                <span class="mono" role="timer" aria-label="Time left">{ format!("{:02}:{:02}:{:02}", secs / 3600, (secs % 3600) / 60, secs % 60) }</span>
            </div>
            { question_body(q, &order, &selected, &on_toggle, false) }
            <div class="actions">
                <button class="btn btn-small" disabled={*index == 0} onclick={go(index.saturating_sub(1))}>{ "Previous" }</button>
                if *index + 1 < ids.len() {
                    <button class="btn btn-small" onclick={go(*index + 1)} data-testid="exam-next">{ "Next" }</button>
                }
                <button class="btn btn-small" onclick={toggle_flag} aria-pressed={flagged_now.to_string()} data-testid="exam-flag">{ if flagged_now { "Unflag" } else { "Flag for review" } }</button>
                <button class="btn btn-primary btn-small" onclick={ask} data-testid="finish-exam">{ "Finish exam" }</button>
            </div>
            if *confirming {
                <div class="confirm" role="alertdialog" aria-labelledby="finish-title" aria-describedby="finish-text" data-testid="finish-confirm">
                    <h2 id="finish-title">{ "Finish the exam?" }</h2>
                    <p id="finish-text">{ format!(
                        "{unanswered} unanswered and {} flagged for review. Finished answers cannot be changed.",
                        flags.len()) }</p>
                    <div class="actions">
                        <button class="btn btn-primary" onclick={finish} data-testid="confirm-finish">{ "Finish exam" }</button>
                        <button class="btn" onclick={keep_going} data-testid="keep-going">{ "Keep working" }</button>
                    </div>
                </div>
            }
            <div class="exam-map" role="group" aria-label="Questions">
                { for ids.iter().enumerate().map(|(i, id)| {
                    let answered = answers.get(*id).is_some_and(|s| !s.is_empty());
                    let flagged = flags.contains(*id);
                    let label = format!("Question {}{}{}", i + 1,
                        if answered { ", answered" } else { "" }, if flagged { ", flagged" } else { "" });
                    html! { <button class={classes!("exam-dot", answered.then_some("answered"), flagged.then_some("flagged"), (i == *index).then_some("current"))}
                        onclick={go(i)} aria-label={label} aria-current={(i == *index).then_some("step")}>{ i + 1 }</button> }
                }) }
            </div>
        </div>
    }
}

/// What the practice exam for `code` is: the slice of the guide it covers and the weights it
/// draws with.
fn slice_intro(code: &str) -> Html {
    let Some(g) = quiz::skills::guide(code) else {
        return html! {};
    };
    let domains = quiz::skills::slice(code);
    html! {
        <div data-testid="exam-weights">
            <h2>{ format!("{} practice exam: data-protection slice", g.code) }</h2>
            <p>{ format!(
                "The real {} exam has {} questions in {} minutes over every domain. This practice exam covers only the domains that hold the guide's KMS and data-protection skills, and draws from them as the guide weights them, scaled to 100%. Pick a length; the time scales with it.",
                g.code, g.questions, g.minutes) }</p>
            <table class="table">
                <thead><tr><th>{ "Domain" }</th><th>{ "Guide weight" }</th><th>{ "Share of this exam" }</th><th>{ "Questions in the bank" }</th></tr></thead>
                <tbody>
                    { for domains.iter().map(|d| html! {
                        <tr><td>{ format!("{} {}", d.domain.number, d.domain.title) }</td><td>{ format!("{}%", d.domain.weight) }</td>
                            <td>{ format!("{}%", d.share) }</td><td>{ d.available }</td></tr>
                    }) }
                </tbody>
            </table>
            <p class="small muted">{ "A domain with too few questions in the bank gives its places to the others; the results show the mix you got. " }
                <a href={g.url} target="_blank" rel="noopener">{ "Exam guide" }</a></p>
        </div>
    }
}

/// Records every answer (and flag, so "Review missed and flagged" finds it) and the attempt.
fn record_attempt(lab: &Lab, s: &Sitting, answers: &Answers, flags: &BTreeSet<String>) {
    let ids = &s.exam.questions;
    for id in ids {
        lab.answer(*id, is_right(answers, id));
        if flags.contains(*id) {
            lab.flag(*id, true);
        }
    }
    let right = ids.iter().filter(|id| is_right(answers, id)).count();
    lab.exam_finished(right, ids.len(), s.seed);
}

/// The results: score, pass mark, topics by title, and every question as it was shown.
fn results(s: &Sitting, answers: &Answers, flags: &BTreeSet<String>, out_of_time: bool) -> Html {
    let ids = &s.exam.questions;
    let mut by_topic: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for id in ids {
        if let Some(q) = quiz::get(id) {
            let entry = by_topic.entry(q.topic.clone()).or_default();
            entry.1 += 1;
            entry.0 += usize::from(is_right(answers, id));
        }
    }
    let right: usize = by_topic.values().map(|(r, _)| r).sum();
    let total = ids.len().max(1);
    let percent = 100 * right / total;
    let passed = percent >= PASS_PERCENT;
    let no_op = Callback::from(|_: usize| ());
    html! {
        <div class="panel" data-testid="exam-results">
            <p class="muted">{ format!("{} practice exam, data-protection slice: {}", s.code, domain_mix(s)) }</p>
            <h2>{ format!("Result: {right} / {} ({percent}%)", ids.len()) }</h2>
            <p class={classes!("verdict", if passed { "feedback-ok" } else { "feedback-bad" })} data-testid="exam-verdict">
                <strong>{ if passed { "At or above the lab's pass mark" } else { "Below the lab's pass mark" } }</strong>
                { format!(" of {PASS_PERCENT}%. ") }{ PASS_REASON }
            </p>
            if out_of_time { <p class="muted">{ "Time ran out." }</p> }
            <table class="table"><thead><tr><th>{ "Topic" }</th><th>{ "Right" }</th><th>{ "Score" }</th></tr></thead><tbody>
                { for by_topic.iter().map(|(t, (r, n))| html! {
                    <tr><td>{ topic_title(t) }</td><td>{ format!("{r}/{n}") }</td>
                        <td><div class="meter" role="img" aria-label={format!("{}%", 100 * r / (*n).max(1))}><span style={format!("width:{}%", 100 * r / (*n).max(1))} /></div></td></tr>
                }) }
            </tbody></table>
            <h3>{ "Your answers" }</h3>
            <ol class="exam-review" data-testid="exam-review">
                { for ids.iter().filter_map(|id| quiz::get(id)).map(|q| {
                    let order = display_order(q.options.len(), s.seed, &q.id);
                    let selected: BTreeSet<usize> = choice(answers, &q.id).into_iter().collect();
                    let ok = is_right(answers, &q.id);
                    html! {
                        <li data-question-id={q.id.clone()}>
                            <details>
                                <summary>
                                    <span class={classes!("badge", if ok { "badge-ok" } else { "badge-warn" })}>{ if ok { "right" } else { "missed" } }</span>
                                    if flags.contains(&q.id) { { " " }<span class="badge">{ "flagged" }</span> }
                                    { " " }{ topic_title(&q.topic) }{ " · " }<span class="mono">{ q.id.clone() }</span>
                                </summary>
                                { question_body(q, &order, &selected, &no_op, true) }
                                <p class="small">{ prose(&q.explanation) }</p>
                            </details>
                        </li>
                    }
                }) }
            </ol>
            <Link<Route> to={Route::QuizMode { mode: "review".into() }} classes="btn">{ "Review missed and flagged" }</Link<Route>>
        </div>
    }
}

/// The domains of the questions drawn ("Domain 2: 5, Domain 4: 15").
fn domain_mix(s: &Sitting) -> String {
    quiz::skills::domain_counts(s.code, &s.exam.questions)
        .iter()
        .map(|(d, n)| format!("Domain {d}: {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grading_uses_data_indices_whatever_the_display_order() {
        let q = lab::quiz::bank().iter().find(|q| q.answers == 1).unwrap();
        let right = q.correct()[0];
        let mut a = Answers::new();
        a.insert(q.id.clone(), BTreeSet::from([right]));
        assert!(is_right(&a, &q.id));
        let wrong = (0..q.options.len()).find(|i| *i != right).unwrap();
        a.insert(q.id.clone(), BTreeSet::from([wrong]));
        assert!(!is_right(&a, &q.id));
        assert!(!is_right(&Answers::new(), &q.id), "unanswered is not right");
    }
}
