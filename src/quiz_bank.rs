//! The question bank is fetched after the first load: its topic files (`quiz/NAME.json`, copied
//! beside the wasm by trunk) are not compiled into the app, which keeps about 100 KiB of
//! gzipped JSON out of the first download. Quiz pages wait for it behind [`QuizGate`].

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

use crate::hooks::use_lab;

/// The text of a fetched file, or why it could not be read.
pub(crate) async fn body(url: &str, fetch: js_sys::Promise) -> Result<String, String> {
    let response = JsFuture::from(fetch)
        .await
        .map_err(|_| format!("{url}: the request failed"))?
        .dyn_into::<web_sys::Response>()
        .map_err(|_| format!("{url}: not a response"))?;
    if !response.ok() {
        return Err(format!("{url}: HTTP {}", response.status()));
    }
    let text = response.text().map_err(|_| format!("{url}: no body"))?;
    JsFuture::from(text)
        .await
        .ok()
        .and_then(|t| t.as_string())
        .ok_or_else(|| format!("{url}: unreadable body"))
}

/// Fetches every topic file (all requests at once) and installs the bank. Nothing is installed
/// unless every file arrived.
pub async fn fetch_and_install() -> Result<(), String> {
    if lab::quiz::is_loaded() {
        return Ok(());
    }
    // Every request is sent before the first is awaited (a `fetch` starts when called).
    let window = web_sys::window().ok_or("no window")?;
    let pending: Vec<(&str, js_sys::Promise)> = lab::quiz::FILE_NAMES
        .iter()
        .map(|name| (*name, window.fetch_with_str(&format!("quiz/{name}"))))
        .collect();
    let mut files = Vec::with_capacity(pending.len());
    for (name, promise) in pending {
        files.push((name, body(name, promise).await?));
    }
    lab::quiz::install(files.iter().map(|(n, t)| (*n, t.as_str())));
    Ok(())
}

#[derive(Properties, PartialEq, Debug)]
pub struct QuizGateProps {
    pub children: Html,
}

/// Renders its children once the question bank is there; a loading line until then (or the
/// reason it could not be fetched).
#[component]
pub fn QuizGate(props: &QuizGateProps) -> Html {
    let lab = use_lab();
    match &lab.quiz_bank {
        QuizBank::Ready => props.children.clone(),
        QuizBank::Loading => html! {
            <section class="page" aria-busy="true" data-testid="quiz-loading">
                <p class="muted">{ "Loading the questions…" }</p>
            </section>
        },
        QuizBank::Failed(e) => html! {
            <section class="page" role="alert" data-testid="quiz-unavailable">
                <h1>{ "The questions could not be loaded" }</h1>
                <p>{ format!("{e}. Reload the page to try again; your answers so far are saved.") }</p>
            </section>
        },
    }
}

/// Where the question bank is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QuizBank {
    Loading,
    Ready,
    Failed(String),
}

impl QuizBank {
    /// At start-up: ready when the bank is compiled in (tests), loading otherwise.
    pub fn initial() -> Self {
        if lab::quiz::is_loaded() {
            Self::Ready
        } else {
            Self::Loading
        }
    }
}
