//! The start page: what the lab is, three ways in, and the returning learner's last place.

use lab::scenario;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::{Route, title_of};
use crate::hooks::use_lab;
use crate::storage;

/// The scenario offered to newcomers.
const FIRST_SCENARIO: &str = "key-rotation";

#[component]
pub fn Home() -> Html {
    let lab = use_lab();
    let last = storage::last_place()
        .and_then(|path| Route::recognize(&path))
        .filter(|r| !matches!(r, Route::Home | Route::NotFound));
    let answered = lab.with_session(|s| lab::progress::questions(&s.progress).len());
    let scenarios_started = lab.with_session(|s| {
        scenario::catalog()
            .iter()
            .filter(|c| lab::progress::scenario(&s.progress, c.id).is_some())
            .count()
    });
    let first = scenario::get(FIRST_SCENARIO);
    html! {
        <section class="page page-wide home" aria-labelledby="page-title">
            <h1 id="page-title">{ "Learn AWS KMS by doing it" }</h1>
            <p class="lead">{ "KMS Lab is a simulated AWS world that runs entirely in your browser: accounts, IAM, KMS, CloudTrail, S3, EBS and RDS, with real encryption. Create keys, write key policies, break access and fix it. Every call is checked against key policies, IAM, grants and key state, and every denial can explain itself. Nothing here touches a real AWS account." }</p>
            if let Some(route) = last {
                <div class="panel continue" data-testid="continue">
                    <p>{ "Welcome back. You were last on " }<strong>{ title_of(&route) }</strong>{ "." }</p>
                    <Link<Route> to={route} classes="btn btn-primary">{ "Continue where you left off" }</Link<Route>>
                    if answered > 0 || scenarios_started > 0 {
                        <p class="muted small">{ format!("{scenarios_started} scenario(s) started · {answered} quiz question(s) answered") }</p>
                    }
                </div>
            }
            <h2>{ "Three ways in" }</h2>
            <div class="cards ways-in" data-testid="ways-in">
                <div class="card">
                    <h3>{ "New to KMS? Take a guided scenario" }</h3>
                    <p>{ "Short missions in a prepared world with objectives, hints and a debrief. Start with " }
                        <strong>{ first.map_or("key rotation", |s| s.title) }</strong>{ " (beginner, about 10 minutes)." }</p>
                    <div class="actions">
                        <Link<Route> to={Route::Scenario { id: FIRST_SCENARIO.into() }} classes="btn btn-primary">{ "Start the guided scenario" }</Link<Route>>
                        <Link<Route> to={Route::Scenarios} classes="btn">{ "All scenarios" }</Link<Route>>
                    </div>
                </div>
                <div class="card">
                    <h3>{ "Preparing for an exam? Quiz yourself" }</h3>
                    <p>{ "Exam-style questions for SOA-C03, Solutions Architect and Security, practice or timed. Each answer comes with a proof you can run." }</p>
                    <div class="actions">
                        <Link<Route> to={Route::Quiz} classes="btn btn-primary">{ "Open the quizzes" }</Link<Route>>
                    </div>
                </div>
                <div class="card">
                    <h3>{ "Know the console? Explore freely" }</h3>
                    <p>{ "An AWS-console-like KMS console and an aws-cli terminal. Sign in as different profiles and watch CloudTrail." }</p>
                    <div class="actions">
                        <Link<Route> to={Route::KmsKeys} classes="btn btn-primary">{ "Open the KMS console" }</Link<Route>>
                        <Link<Route> to={Route::Terminal} classes="btn">{ "Open the terminal" }</Link<Route>>
                    </div>
                </div>
            </div>
            <p class="muted">{ "Want the concepts first? " }<Link<Route> to={Route::Learn}>{ "Read the Learn pages" }</Link<Route>>{ ": envelope encryption, key policies, rotation and more, drawn from what you do." }</p>
        </section>
    }
}
