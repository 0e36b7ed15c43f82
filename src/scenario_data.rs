//! The scenario data (`crates/lab/scenarios/`: prose, setup and solution scripts) is fetched
//! while the saved world opens, as one file beside the wasm (`scenarios.json`, written by a
//! Trunk.toml hook), instead of being compiled in: about 170 KiB less wasm (38 KiB gzipped).
//! The lab starts once it has arrived, so every page, the JavaScript API and the embed protocol
//! see the scenarios as before. If it could not be fetched (or gave no answer within 15 s) the
//! rest of the lab works, and the scenario pages say why and offer to try again
//! ([`ScenarioGate`]).

use yew::prelude::*;

use crate::hooks::use_lab;
use crate::state::Action;

/// Where the scenario data is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScenarioData {
    Loading,
    Ready,
    Failed(String),
}

impl ScenarioData {
    /// At start-up: ready when the data is compiled in (tests), loading otherwise.
    pub fn initial() -> Self {
        if lab::scenario::is_loaded() {
            Self::Ready
        } else {
            Self::Loading
        }
    }
}

/// Sends the request (a `fetch` starts when called), unless the data is already there.
pub fn request() -> Option<js_sys::Promise> {
    if lab::scenario::is_loaded() {
        return None;
    }
    let window = web_sys::window()?;
    Some(window.fetch_with_str(lab::scenario::BUNDLE_FILE))
}

/// How long the lab waits for the scenario data before it starts without it.
const TIMEOUT_MS: i32 = 15_000;

/// The answer to `request`, or `undefined` once [`TIMEOUT_MS`] have passed without one (a
/// stalled request must not keep the lab from starting).
fn with_timeout(request: js_sys::Promise) -> js_sys::Promise {
    let Some(window) = web_sys::window() else {
        return request;
    };
    let timer = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, TIMEOUT_MS);
    });
    js_sys::Promise::race(&js_sys::Array::of2(&request, &timer))
}

/// The bundle's text, or why it could not be read.
async fn fetch_text(request: js_sys::Promise) -> Result<String, String> {
    let file = lab::scenario::BUNDLE_FILE;
    let answer = wasm_bindgen_futures::JsFuture::from(with_timeout(request))
        .await
        .map_err(|_| format!("{file}: the request failed"))?;
    if answer.is_undefined() {
        return Err(format!(
            "{file}: no answer within {} seconds",
            TIMEOUT_MS / 1000
        ));
    }
    crate::quiz_bank::body(file, js_sys::Promise::resolve(&answer)).await
}

/// Waits for the [`request`] and installs the data.
pub async fn install(pending: Option<js_sys::Promise>) -> ScenarioData {
    let Some(promise) = pending.or_else(request) else {
        return ScenarioData::Ready;
    };
    let installed = fetch_text(promise)
        .await
        .and_then(|text| lab::scenario::install(&text));
    match installed {
        Ok(()) => ScenarioData::Ready,
        Err(e) => ScenarioData::Failed(e),
    }
}

#[derive(Properties, PartialEq, Debug)]
pub struct ScenarioGateProps {
    pub children: Html,
}

/// Renders its children once the scenario data is there; otherwise why not, with a button that
/// fetches it again.
#[component]
pub fn ScenarioGate(props: &ScenarioGateProps) -> Html {
    let lab = use_lab();
    let retry = {
        let lab = lab.clone();
        Callback::from(move |_: MouseEvent| {
            let lab = lab.clone();
            lab.dispatch(Action::ScenarioDataFetched(ScenarioData::Loading));
            wasm_bindgen_futures::spawn_local(async move {
                lab.dispatch(Action::ScenarioDataFetched(install(None).await));
            });
        })
    };
    match &lab.scenario_data {
        ScenarioData::Ready => props.children.clone(),
        ScenarioData::Loading => html! {
            <section class="page" aria-busy="true" data-testid="scenarios-loading">
                <p class="muted">{ "Loading the scenarios…" }</p>
            </section>
        },
        ScenarioData::Failed(e) => html! {
            <section class="page" role="alert" data-testid="scenarios-unavailable">
                <h1>{ "The scenarios could not be loaded" }</h1>
                <p>{ format!("{e}. Your lab and your progress are saved.") }</p>
                <button class="btn" onclick={retry} data-testid="scenarios-retry">{ "Try again" }</button>
            </section>
        },
    }
}
