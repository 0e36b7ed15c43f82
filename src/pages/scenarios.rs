//! Guided scenarios graded against the world: cards, and a scenario view with the story,
//! objectives re-evaluated after every operation (on a copy of the world, so grading leaves no
//! trace), hints that cost points, each checker's evidence, wrong turns and the debrief.

use std::rc::Rc;

use lab::scenario::{self, Availability, Status};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::empty_state::EmptyState;
use crate::components::prose::prose;
use crate::hooks::{Lab, use_lab};
use crate::pages::terminal::TerminalPanel;
use crate::state::Grading;

#[component]
pub fn Scenarios() -> Html {
    let lab = use_lab();
    html! {
        <section class="page page-wide" aria-labelledby="page-title">
            <h1 id="page-title">{ "Scenarios" }</h1>
            <p class="muted">{ "Short missions in a prepared world. Solve them in the console or the terminal, any valid way: graders run operations against your world to check." }</p>
            <div class="cards" data-testid="scenario-cards">
                { for scenario::catalog().iter().map(|s| {
                    let status = lab.with_session(|session| scenario::score(session, s.id).ok());
                    let (badge, class) = match (&s.availability, status) {
                        (Availability::Coming(needs), _) => (format!("coming: needs {needs}"), "badge"),
                        (_, Some(sc)) if sc.total > 0 && sc.passed == sc.total => ("completed".to_owned(), "badge badge-ok"),
                        (_, Some(sc)) => (format!("{}/{} objectives", sc.passed, sc.total), "badge badge-warn"),
                        _ => ("not started".to_owned(), "badge"),
                    };
                    html! {
                        <Link<Route> to={Route::Scenario { id: s.id.to_owned() }} classes={classes!("card", matches!(s.availability, Availability::Coming(_)).then_some("card-muted"))}>
                            <h2>{ s.title }</h2>
                            <p>{ s.exam }</p>
                            <p class="card-meta">
                                <span class="badge">{ format!("{:?}", s.difficulty) }</span>{ " " }
                                <span class="badge">{ format!("{} min", s.minutes) }</span>{ " " }
                                <span class={class}>{ badge }</span>
                            </p>
                        </Link<Route>>
                    }
                }) }
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq, Debug)]
pub struct ScenarioViewProps {
    pub id: AttrValue,
}

#[component]
pub fn ScenarioView(props: &ScenarioViewProps) -> Html {
    let lab = use_lab();
    let show_evidence = use_state(|| false);
    let id = props.id.to_string();
    // The active scenario is graded (and its progress recorded) by the store, once per change
    // of the world; another scenario's page grades on demand, memoised per revision.
    let grading = {
        let lab = lab.clone();
        let id = id.clone();
        use_memo(
            (
                lab.revision,
                lab.grading.clone(),
                id.clone(),
                lab.engine,
                lab.engine_failed,
            ),
            move |_| match lab.grading.clone().filter(|g| g.scenario == id) {
                Some(g) => g,
                None => Rc::new(grade_here(lab.session(), &id, lab.engine_failed)),
            },
        )
    };
    let results = &grading.results;

    let Some(s) = scenario::get(&id) else {
        return html! {
            <section class="page" aria-labelledby="page-title">
                <h1 id="page-title">{ format!("Scenario {id}") }</h1>
                <EmptyState title="Unknown scenario" text={format!("No scenario has the id `{id}`.")}>
                    <Link<Route> to={Route::Scenarios} classes="btn">{ "All scenarios" }</Link<Route>>
                </EmptyState>
            </section>
        };
    };
    let on = |f: fn(&Lab, String)| {
        let (lab, id) = (lab.clone(), id.clone());
        Callback::from(move |_: MouseEvent| f(&lab, id.clone()))
    };
    // The ids the setup created ($KEY_ID, ...), so the story's names can be found in the console.
    let vars = lab.with_session(|session| {
        lab::progress::scenario(&session.progress, &id)
            .map(|p| p.vars)
            .unwrap_or_default()
    });
    let header = html! {
        <>
        <nav class="breadcrumbs" aria-label="Breadcrumb"><Link<Route> to={Route::Scenarios}>{ "Scenarios" }</Link<Route>>{ format!(" › {}", s.title) }</nav>
        <h1 id="page-title">{ s.title }</h1>
        <p class="card-meta">
            <span class="badge">{ s.exam }</span>{ " " }
            <span class="badge">{ format!("{:?}", s.difficulty) }</span>{ " " }
            <span class="badge">{ format!("about {} min", s.minutes) }</span>
        </p>
        <div class="story">{ for s.story.split("\n\n").map(|p| html! { <p>{ prose(p) }</p> }) }</div>
        if !vars.is_empty() {
            <p class="muted small" data-testid="scenario-vars">{ "In your world: " }
                { for vars.iter().map(|(k, v)| {
                    let key = lab.with_session(|session| crate::pages::key_route(&session.world, None, v));
                    html! { <>
                        <code class="inline-code">{ format!("${k} = {v}") }</code>
                        if let Some(route) = key { { " " }<Link<Route> to={route} classes="small">{ "open the key" }</Link<Route>> }
                        { " " }
                    </> }
                }) }
            </p>
        }
        </>
    };
    if let Availability::Coming(needs) = s.availability {
        return html! {
            <section class="page" aria-labelledby="page-title">
                { header }
                <EmptyState title={format!("Coming: this scenario needs {needs}")} text="It is listed so study sites can link to it; it becomes playable when the lab simulates what it needs." />
            </section>
        };
    }
    let start = on(|lab, id| lab.start_scenario(id));
    let body = match results {
        Err(scenario::ScenarioError::NotStarted { .. }) => html! {
            <div class="panel">
                <p>{ "Starting prepares a fresh world for this mission (your current world is replaced; export it first from the Lab menu if you want to keep it)." }</p>
                <button class="btn btn-primary" onclick={start} data-testid="start-scenario">{ "Start scenario" }</button>
            </div>
        },
        Err(e) => html! { <div class="alert alert-error" role="alert">{ format!("{e:?}") }</div> },
        Ok(results) => {
            let counted: Vec<_> = results
                .iter()
                .filter(|r| r.status != Status::Pending)
                .collect();
            let passed = counted
                .iter()
                .filter(|r| r.status == Status::Passed)
                .count();
            let done = !counted.is_empty() && passed == counted.len();
            let hints = lab.with_session(|session| {
                scenario::hints_shown(session, &id)
                    .map(|h| h.iter().map(|h| h.text).collect::<Vec<&'static str>>())
                    .unwrap_or_default()
            });
            let more_hints = hints.len() < s.hints.len();
            let next_cost = s.hints.get(hints.len()).map(|h| h.cost).unwrap_or(0);
            let wrong = &grading.wrong_turns;
            let score = lab.with_session(|session| scenario::score(session, &id).ok());
            let toggle_evidence = {
                let show = show_evidence.clone();
                Callback::from(move |_| show.set(!*show))
            };
            html! {
                <div class="scenario-grid">
                    <div>
                        <div class="panel">
                            <div class="panel-header">
                                <h2>{ if counted.is_empty() && !results.is_empty() {
                                    // Not graded yet: the checks come after the first download.
                                    format!("Objectives ({})", results.len())
                                } else {
                                    format!("Objectives {passed}/{}", counted.len())
                                } }</h2>
                                <div class="actions">
                                    <button class="btn btn-small" onclick={toggle_evidence} data-testid="check">{ if *show_evidence { "Hide evidence" } else { "Check (show evidence)" } }</button>
                                    <button class="btn btn-small" onclick={on(|lab, id| lab.restart_scenario(id))} data-testid="restart-scenario"
                                        title="A fresh world, files and variables (a randomised scenario may draw another cause)">{ "Restart" }</button>
                                </div>
                            </div>
                            <progress class="progress" max={counted.len().to_string()} value={passed.to_string()} aria-label="Objectives passed" />
                            <ol class="objectives" data-testid="objectives">
                                { for results.iter().map(|r| html! {
                                    <li class={classes!("objective", match r.status { Status::Passed => "obj-pass", Status::Failed => "obj-fail", Status::Pending => "obj-pending" })}>
                                        <span class="obj-mark" aria-hidden="true">{ match r.status { Status::Passed => "✓", Status::Failed => "○", Status::Pending => "…" } }</span>
                                        <div>
                                            <div>{ prose(r.text) }</div>
                                            if let Some(ok) = r.success { <div class="obj-success">{ prose(ok) }</div> }
                                            if *show_evidence || r.status == Status::Pending { <div class="obj-evidence mono small">{ r.evidence.clone() }</div> }
                                        </div>
                                    </li>
                                }) }
                            </ol>
                            if let Some(sc) = score { <p class="muted small">{ format!("Score: {} / {} (hints cost points)", sc.points, sc.max) }</p> }
                        </div>
                        if !wrong.is_empty() {
                            <div class="alert alert-error" role="status" data-testid="wrong-turns">
                                <strong>{ "Watch out" }</strong>
                                <ul>{ for wrong.iter().map(|w| html! { <li>{ prose(&w.message) }</li> }) }</ul>
                            </div>
                        }
                        <div class="panel">
                            <div class="panel-header"><h2>{ "Hints" }</h2>
                                if more_hints { <button class="btn btn-small" onclick={on(|lab, id| lab.hint(id))}>{ format!("Reveal a hint (−{next_cost} points)") }</button> }
                            </div>
                            if hints.is_empty() { <p class="muted">{ "No hints revealed." }</p> }
                            <ol>{ for hints.iter().map(|h| html! { <li>{ prose(h) }</li> }) }</ol>
                        </div>
                        if done {
                            <div class="panel debrief" data-testid="debrief">
                                <div class="panel-header"><h2>{ "Debrief" }</h2></div>
                                { for s.debrief.split("\n\n").map(|p| html! { <p>{ prose(p) }</p> }) }
                                <ul>{ for s.docs.iter().map(|d| html! { <li><a href={*d} target="_blank" rel="noopener">{ *d }</a></li> }) }</ul>
                            </div>
                        }
                    </div>
                    <div class="scenario-terminal"><TerminalPanel /></div>
                </div>
            }
        }
    };
    html! {
        <section class="page page-wide" aria-labelledby="page-title">
            { header }
            { body }
        </section>
    }
}

/// Grades a scenario on the page (not the store's active one). Before the engine's extension is
/// installed a check may need it: its objectives then show as being checked, with no wrong
/// turns, until it is (the page grades again then).
fn grade_here(session: &awscli::Session, id: &str, download_failed: bool) -> Grading {
    cloud::service::take_wanted();
    let results = scenario::evaluate(session, id);
    let wrong_turns = scenario::wrong_turns(session, id).unwrap_or_default();
    if !cloud::service::take_wanted() {
        return Grading {
            scenario: id.to_owned(),
            results,
            wrong_turns,
        };
    }
    Grading {
        scenario: id.to_owned(),
        results: results.map(|rs| {
            rs.into_iter()
                .map(|r| scenario::ObjectiveResult {
                    status: scenario::Status::Pending,
                    evidence: if download_failed {
                        "not checked: a part of the lab could not be downloaded (it is tried \
                         again with your next command)"
                            .into()
                    } else {
                        "checked once the rest of the lab has loaded…".into()
                    },
                    success: None,
                    ..r
                })
                .collect()
        }),
        wrong_turns: Vec::new(),
    }
}
