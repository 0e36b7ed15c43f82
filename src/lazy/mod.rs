//! Console pages loaded on first use (issue 21, first load).
//!
//! The first download holds the shell, the engine, the home page, the terminal and the
//! scenarios; every other page group is a **split point**: with the `split` feature (the release
//! and `trunk serve` builds), `cargo xtask split-wasm` cuts the code only that group reaches into
//! its own wasm chunk, fetched the first time one of its routes is opened, and in the background
//! once the lab is idle. Without the feature (the native and wasm-bindgen tests) the same
//! functions are plain calls, so a page renders at once.
//!
//! [`LazyRoute`] shows "Loading…" while a chunk downloads and, if the download fails, why, with
//! a **Try again** button; nothing panics and nothing of the lab's state is touched.

// The split points' imports and the loader's callback: the only unsafe code of the app.
#![allow(unsafe_code)]

mod pages;
pub mod rt;

use std::cell::Cell;

use yew::prelude::*;

use crate::app::Route;

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

macro_rules! chunks {
    ($( $chunk:ident => $loader:ident, $render:path; )*) => {
        /// The page groups loaded on first use.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Chunk { $( $chunk ),* }

        impl Chunk {
            /// Every chunk, in the order they are fetched in the background.
            pub const ALL: &[Chunk] = &[ $( Chunk::$chunk ),* ];
        }

        $(
            #[cfg_attr(
                feature = "split",
                wasm_split_macros::wasm_split($loader, wasm_split_path = crate::lazy, fallible)
            )]
            fn $loader() -> Result<PageFn, SplitLoaderError> {
                Ok($render)
            }
        )*

        /// The chunk's render function, downloading the chunk first if need be.
        async fn fetch(chunk: Chunk) -> Result<PageFn, SplitLoaderError> {
            match chunk {
                $( Chunk::$chunk => {
                    #[cfg(feature = "split")]
                    let render = $loader().await;
                    #[cfg(not(feature = "split"))]
                    let render = $loader();
                    render
                } )*
            }
        }

        /// Without the split, every chunk is there from the start.
        #[cfg(not(feature = "split"))]
        fn built_in(chunk: Chunk) -> PageFn {
            match chunk { $( Chunk::$chunk => $render ),* }
        }
    };
}

chunks! {
    Kms => kms_pages, pages::kms;
    Iam => iam_pages, pages::iam;
    Storage => storage_pages, pages::storage;
    Messaging => messaging_pages, pages::messaging;
    Governance => governance_pages, pages::governance;
    Quiz => quiz_pages, pages::quiz;
    Learn => learn_pages, pages::learn;
}

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

/// The chunk's render function when its code is here.
fn loaded(chunk: Chunk) -> Option<PageFn> {
    #[cfg(not(feature = "split"))]
    return Some(built_in(chunk));
    #[cfg(feature = "split")]
    LOADED.with(|l| l.get()[chunk.index()])
}

/// Downloads the chunk (once) and keeps its render function.
async fn load(chunk: Chunk) -> Result<PageFn, SplitLoaderError> {
    if let Some(render) = loaded(chunk) {
        return Ok(render);
    }
    let render = fetch(chunk).await?;
    LOADED.with(|l| {
        let mut all = l.get();
        all[chunk.index()] = Some(render);
        l.set(all);
    });
    Ok(render)
}

/// Fetches every chunk not yet here, one after another (the lab calls this once it is idle, so
/// that later pages open at once and work offline).
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
/// and the reason with a **Try again** button if the download failed.
#[component]
pub fn LazyRoute(props: &LazyRouteProps) -> Html {
    let status = use_state(|| Status::Loading);
    let attempt = use_state(|| 0u32);
    {
        let status = status.clone();
        use_effect_with((props.chunk, *attempt), move |(chunk, _)| {
            let chunk = *chunk;
            if loaded(chunk).is_none() {
                status.set(Status::Loading);
                wasm_bindgen_futures::spawn_local(async move {
                    status.set(match load(chunk).await {
                        Ok(_) => Status::Ready,
                        Err(_) => Status::Failed,
                    });
                });
            }
        });
    }
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
                    <h1>{ "This page could not be loaded" }</h1>
                    <p>
                        { "Its code is downloaded the first time the page is opened, and that \
                           download failed. Check the connection and try again; the lab and its \
                           saved state are untouched." }
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
