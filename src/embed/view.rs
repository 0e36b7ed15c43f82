//! The embed layout: the view's own content under a compact header (profile, Region, the
//! simulated clock and "Open in full lab ↗"), without the side navigation and top bar.

use web_sys::HtmlSelectElement;
use yew::prelude::*;
use yew_router::Routable as _;

use crate::app::Route;
use crate::hooks::use_lab;
use crate::state::{REGIONS, format_time};

/// The embed views (`#/embed/…`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EmbedView {
    /// `#/embed/scenario/<id>`.
    Scenario(String),
    /// `#/embed/quiz/<topic>`.
    QuizTopic(String),
    /// `#/embed/quiz/q/<question-id>`.
    Question(String),
    /// `#/embed/terminal`.
    Terminal,
}

impl EmbedView {
    /// The view a route shows, for embed routes.
    pub fn of(route: &Route) -> Option<EmbedView> {
        Some(match route {
            Route::EmbedScenario { id } => EmbedView::Scenario(id.clone()),
            Route::EmbedQuizTopic { topic } => EmbedView::QuizTopic(topic.clone()),
            Route::EmbedQuestion { id } => EmbedView::Question(id.clone()),
            Route::EmbedTerminal => EmbedView::Terminal,
            _ => return None,
        })
    }

    /// The same content's route in the full lab.
    fn route(&self) -> Route {
        match self {
            EmbedView::Scenario(id) => Route::Scenario { id: id.clone() },
            EmbedView::QuizTopic(topic) => Route::QuizTopic {
                topic: topic.clone(),
            },
            EmbedView::Question(id) => Route::QuizQuestion { id: id.clone() },
            EmbedView::Terminal => Route::Terminal,
        }
    }

    /// The same content in the full lab (its path, for "Open in full lab").
    fn full_lab_path(&self) -> String {
        self.route().to_path()
    }
}

fn select_value(e: &Event) -> Option<String> {
    e.target_dyn_into::<HtmlSelectElement>().map(|s| s.value())
}

#[derive(Properties, PartialEq, Debug)]
pub struct EmbedShellProps {
    pub view: EmbedView,
}

/// The compact layout around one embed view.
#[component]
pub fn EmbedShell(props: &EmbedShellProps) -> Html {
    let lab = use_lab();
    let id = lab.identity();
    let profiles = lab.profile_names();
    let on_profile = {
        let lab = lab.clone();
        Callback::from(move |e: Event| {
            if let Some(v) = select_value(&e) {
                lab.use_profile(v);
            }
        })
    };
    let on_region = {
        let lab = lab.clone();
        Callback::from(move |e: Event| {
            if let Some(v) = select_value(&e) {
                lab.use_region(v);
            }
        })
    };
    // The full lab lives at the same address without the instance: its own world.
    let full_lab = format!("./#{}", props.view.full_lab_path());
    let body = match &props.view {
        EmbedView::Scenario(id) => {
            html! { <crate::scenario_data::ScenarioGate><crate::pages::scenarios::ScenarioView id={id.clone()} /></crate::scenario_data::ScenarioGate> }
        }
        // The quiz pages are in the quiz chunk (src/lazy/), as in the full lab.
        EmbedView::QuizTopic(_) | EmbedView::Question(_) => {
            let route = props.view.route();
            match crate::lazy::Chunk::of(&route) {
                Some(chunk) => html! { <crate::lazy::LazyRoute {chunk} {route} /> },
                None => html! { <crate::pages::not_found::NotFound /> },
            }
        }
        EmbedView::Terminal => html! { <crate::pages::terminal::Terminal /> },
    };
    html! {
        <div class="embed-shell" data-testid="embed-shell">
            <header class="embed-bar">
                <span class="brand-mark" aria-hidden="true">{ "⬢" }</span>
                <label class="embed-item">
                    <span class="visually-hidden">{ "Profile" }</span>
                    <select class="top-select" aria-label="Profile" onchange={on_profile} data-testid="profile">
                        { for profiles.iter().map(|p| html! {
                            <option value={p.clone()} selected={*p == id.profile}>{ p.clone() }</option>
                        }) }
                    </select>
                </label>
                <label class="embed-item">
                    <span class="visually-hidden">{ "Region" }</span>
                    <select class="top-select" aria-label="Region" onchange={on_region} data-testid="region">
                        { for REGIONS.iter().map(|r| html! {
                            <option value={*r} selected={*r == id.region}>{ *r }</option>
                        }) }
                    </select>
                </label>
                <span class="embed-item mono embed-clock" title="Simulated time" data-testid="clock">{ format_time(lab.now_ms()) }</span>
                <a class="embed-open" href={full_lab} target="_blank" rel="noopener" data-testid="open-full-lab">{ "Open in full lab ↗" }</a>
            </header>
            <main id="main" class="embed-content" tabindex="-1">
                { body }
            </main>
        </div>
    }
}
