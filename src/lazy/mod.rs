//! Console pages loaded on first use (issue 21, first load).
//!
//! The first download holds the shell, the store and the world's state, the home page, the
//! terminal's view and the scenarios' catalogue; the engine ([`engine`]: every service and the
//! command line's interpreter) and every other page group are **split points** (`points.rs`):
//! with the `split` feature (the release and `trunk serve` builds), `cargo xtask split-wasm` cuts
//! the code only that group reaches into its own wasm chunk, fetched the first time one of its
//! routes is opened, and, in the full lab, 3 s after it is ready. Without the feature (the native
//! and wasm-bindgen tests) the same functions are plain calls, so a page renders at once.
//!
//! [`LazyRoute`] shows "Loading…" while a chunk downloads and, if the download fails or has no
//! answer within 15 s, why, with a **Try again** button; nothing panics and nothing of the lab's
//! state is touched.

mod pages;
mod points;
pub mod rt;

use std::cell::Cell;
use std::rc::Rc;

use yew::prelude::*;

use crate::app::Route;
pub use points::Chunk;

/// Renders one route of a chunk's group.
pub type PageFn = fn(&Route) -> Html;

/// A chunk could not be downloaded or instantiated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SplitLoaderError;

impl std::fmt::Display for SplitLoaderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("this page's code could not be downloaded")
    }
}

/// How long a chunk may take before the page offers to try again.
const LOAD_TIMEOUT_MS: u32 = 15_000;

impl Chunk {
    /// The chunk a route's page is in; `None` for the pages of the first download.
    pub fn of(route: &Route) -> Option<Chunk> {
        use Route as R;
        Some(match route {
            R::KmsKeys | R::CreateKey | R::KeyDetail { .. } => Chunk::Kms,
            R::Iam => Chunk::Iam,
            R::S3
            | R::S3Buckets
            | R::S3Bucket { .. }
            | R::Ec2
            | R::Ec2Volumes
            | R::Ec2Snapshots
            | R::Ec2Settings
            | R::Rds
            | R::RdsDatabases
            | R::RdsSnapshots
            | R::DynamoDb
            | R::DynamoDbTable { .. }
            | R::Efs => Chunk::Storage,
            R::Logs
            | R::Sqs
            | R::SqsQueue { .. }
            | R::Sns
            | R::SnsTopic { .. }
            | R::Events
            | R::EventsRule { .. } => Chunk::Messaging,
            R::CloudTrailTrails
            | R::Config
            | R::ConfigRules
            | R::ConfigRule { .. }
            | R::SecretsManager
            | R::ParameterStore
            | R::LabTools
            | R::Activity => Chunk::Governance,
            R::Quiz | R::QuizQuestion { .. } | R::QuizMode { .. } | R::QuizTopic { .. } => {
                Chunk::Quiz
            }
            R::Learn | R::LearnTopic { .. } => Chunk::Learn,
            R::Home
            | R::Terminal
            | R::Scenarios
            | R::Scenario { .. }
            | R::EmbedScenario { .. }
            | R::EmbedQuestion { .. }
            | R::EmbedQuizTopic { .. }
            | R::EmbedTerminal
            | R::NotFound => return None,
        })
    }

    fn index(self) -> usize {
        self as usize
    }
}

const CHUNKS: usize = Chunk::ALL.len();

thread_local! {
    /// The render functions of the chunks downloaded so far (code, not lab state).
    static LOADED: Cell<[Option<PageFn>; CHUNKS]> = const { Cell::new([None; CHUNKS]) };
}

/// The chunk's render function when its code is here, with the engine's extension its pages
/// read through (without the split, always).
fn loaded(chunk: Chunk) -> Option<PageFn> {
    #[cfg(not(feature = "split"))]
    return Some(pages::render_fn(chunk));
    #[cfg(feature = "split")]
    if !cloud::service::installed() {
        return None;
    }
    #[cfg(feature = "split")]
    LOADED.with(|l| l.get()[chunk.index()])
}

/// Downloads the engine's extension (every service, the command line's interpreter, the CLI's
/// tables and the scenarios' checks) once, and installs it. The lab starts it as soon as it is
/// ready; whatever needs it first waits for it (the store's waiting actions, a long command, a
/// chunked page, the active scenario's grading).
pub async fn engine() -> Result<(), SplitLoaderError> {
    if cloud::service::installed() {
        return Ok(());
    }
    let engine = points::fetch_engine().await?;
    // The checks first: the store takes the extension's presence for both.
    lab::scenario::install_checks(engine.checks);
    awscli::model::install(engine.models);
    awscli::runner::install(engine.runner);
    cloud::service::install(engine.extension);
    Ok(())
}

/// Downloads the chunk (once, with the engine's extension first) and keeps its render function.
async fn load(chunk: Chunk) -> Result<PageFn, SplitLoaderError> {
    if let Some(render) = loaded(chunk) {
        return Ok(render);
    }
    engine().await?;
    let render = points::fetch(chunk).await?;
    LOADED.with(|l| {
        let mut all = l.get();
        all[chunk.index()] = Some(render);
        l.set(all);
    });
    Ok(render)
}

/// Fetches every chunk not yet here, one after another (the full lab calls this 3 s after it is
/// ready, so later pages open at once).
pub async fn prefetch_all() {
    for chunk in Chunk::ALL {
        // A failure is not reported here: the page reports it when it is opened.
        let _ = load(*chunk).await;
    }
}

#[derive(Properties, PartialEq, Debug)]
pub struct LazyRouteProps {
    pub chunk: Chunk,
    pub route: Route,
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Status {
    Loading,
    Ready,
    Failed,
}

/// A route whose page is in a chunk: the page once the chunk is here, "Loading…" until then,
/// and the reason with a **Try again** button if the download failed or took too long. Keyed by
/// chunk where it is used, so its state belongs to one chunk.
#[component]
pub fn LazyRoute(props: &LazyRouteProps) -> Html {
    let status = use_state(|| Status::Loading);
    let attempt = use_state(|| 0u32);
    {
        let status = status.clone();
        use_effect_with((props.chunk, *attempt), move |(chunk, _)| {
            let chunk = *chunk;
            let mut timer = None;
            if loaded(chunk).is_none() {
                status.set(Status::Loading);
                let done = Rc::new(Cell::new(false));
                timer = Some({
                    let (status, done) = (status.clone(), done.clone());
                    gloo_timers::callback::Timeout::new(LOAD_TIMEOUT_MS, move || {
                        if !done.get() {
                            status.set(Status::Failed);
                        }
                    })
                });
                wasm_bindgen_futures::spawn_local(async move {
                    let result = load(chunk).await;
                    done.set(true);
                    // A chunk that arrives after the time-out still shows its page.
                    status.set(match result {
                        Ok(_) => Status::Ready,
                        Err(_) => Status::Failed,
                    });
                });
            }
            move || drop(timer)
        });
    }
    // The page appeared after a change of page: its heading takes focus, as on any other page.
    use_effect_with(*status, |status| {
        if *status == Status::Ready && crate::app::has_navigated() {
            crate::app::focus_page_title();
        }
    });
    if let Some(render) = loaded(props.chunk) {
        return render(&props.route);
    }
    match *status {
        Status::Failed => {
            let retry = {
                let attempt = attempt.clone();
                Callback::from(move |_| attempt.set(*attempt + 1))
            };
            html! {
                <section class="page" role="alert" data-testid="page-unavailable">
                    <h1 id="page-title">{ "This page could not be loaded" }</h1>
                    <p>
                        { "Its code is downloaded the first time the page is opened, and that \
                           download failed or had no answer. Check the connection and try again \
                           (or reload the page); the lab and its saved state are untouched." }
                    </p>
                    <button class="btn btn-primary" onclick={retry}>{ "Try again" }</button>
                </section>
            }
        }
        Status::Loading | Status::Ready => html! {
            <section class="page" aria-busy="true" data-testid="page-loading">
                <p class="muted">{ "Loading…" }</p>
            </section>
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One route of every variant, with made-up parameters.
    fn every_route() -> Vec<Route> {
        let s = || "x".to_owned();
        vec![
            Route::Home,
            Route::KmsKeys,
            Route::CreateKey,
            Route::KeyDetail {
                region: s(),
                key_id: s(),
            },
            Route::Iam,
            Route::S3,
            Route::S3Buckets,
            Route::S3Bucket { name: s() },
            Route::Ec2,
            Route::Ec2Volumes,
            Route::Ec2Snapshots,
            Route::Ec2Settings,
            Route::Rds,
            Route::RdsDatabases,
            Route::RdsSnapshots,
            Route::DynamoDb,
            Route::DynamoDbTable { name: s() },
            Route::Efs,
            Route::Logs,
            Route::CloudTrailTrails,
            Route::Sqs,
            Route::SqsQueue { name: s() },
            Route::Sns,
            Route::SnsTopic { name: s() },
            Route::Events,
            Route::EventsRule { name: s() },
            Route::Config,
            Route::ConfigRules,
            Route::ConfigRule { name: s() },
            Route::LabTools,
            Route::SecretsManager,
            Route::ParameterStore,
            Route::Terminal,
            Route::Activity,
            Route::Scenarios,
            Route::Scenario { id: s() },
            Route::Quiz,
            Route::QuizQuestion { id: s() },
            Route::QuizMode { mode: s() },
            Route::QuizTopic { topic: s() },
            Route::Learn,
            Route::LearnTopic { topic: s() },
            Route::EmbedScenario { id: s() },
            Route::EmbedQuestion { id: s() },
            Route::EmbedQuizTopic { topic: s() },
            Route::EmbedTerminal,
            Route::NotFound,
        ]
    }

    #[test]
    fn every_chunked_route_is_rendered_by_its_chunk() {
        let mut chunked = 0;
        for route in every_route() {
            let Some(chunk) = Chunk::of(&route) else {
                continue;
            };
            chunked += 1;
            let render = pages::render_fn(chunk);
            assert_ne!(
                render(&route),
                pages::elsewhere(),
                "{route:?} is not in {chunk:?}"
            );
        }
        assert_eq!(chunked, 38);
    }

    #[test]
    fn the_first_download_keeps_home_terminal_scenarios_and_embeds() {
        for route in every_route() {
            let first = matches!(
                route,
                Route::Home
                    | Route::Terminal
                    | Route::Scenarios
                    | Route::Scenario { .. }
                    | Route::EmbedScenario { .. }
                    | Route::EmbedQuestion { .. }
                    | Route::EmbedQuizTopic { .. }
                    | Route::EmbedTerminal
                    | Route::NotFound
            );
            assert_eq!(Chunk::of(&route).is_none(), first, "{route:?}");
        }
    }

    #[test]
    fn every_chunk_has_routes_and_is_fetched_in_the_background() {
        for chunk in Chunk::ALL {
            assert!(
                every_route().iter().any(|r| Chunk::of(r) == Some(*chunk)),
                "{chunk:?}"
            );
        }
        assert_eq!(Chunk::ALL.len(), CHUNKS);
    }
}
