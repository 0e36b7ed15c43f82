//! Routes (hash-based, stable: study sites link to them) and the page layout.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::components::drawer::TerminalDrawer;
use crate::components::flash::Flash;
use crate::components::notice::NoticeBanner;
use crate::components::side_nav::SideNav;
use crate::components::top_bar::TopBar;
use crate::hooks::LabContext;
use crate::pages;
use crate::state::{Action, LabState};
use crate::storage;

/// Every page of the lab. The `#/…` paths are a public contract.
#[derive(Clone, Debug, PartialEq, Routable)]
pub enum Route {
    #[at("/")]
    Home,
    #[at("/kms/keys")]
    KmsKeys,
    #[at("/kms/create-key")]
    CreateKey,
    #[at("/kms/keys/:region/:key_id")]
    KeyDetail { region: String, key_id: String },
    #[at("/iam")]
    Iam,
    #[at("/s3")]
    S3,
    #[at("/ec2")]
    Ec2,
    #[at("/rds")]
    Rds,
    #[at("/terminal")]
    Terminal,
    #[at("/activity")]
    Activity,
    #[at("/scenarios")]
    Scenarios,
    #[at("/scenarios/:id")]
    Scenario { id: String },
    #[at("/quiz")]
    Quiz,
    #[at("/quiz/q/:id")]
    QuizQuestion { id: String },
    #[at("/quiz/mode/:mode")]
    QuizMode { mode: String },
    #[at("/quiz/:topic")]
    QuizTopic { topic: String },
    #[at("/learn")]
    Learn,
    #[at("/learn/:topic")]
    LearnTopic { topic: String },
    #[not_found]
    #[at("/404")]
    NotFound,
}

fn switch(route: Route) -> Html {
    match route {
        Route::Home => html! { <Redirect<Route> to={Route::KmsKeys} /> },
        Route::KmsKeys => html! { <pages::kms_keys::KmsKeys /> },
        Route::CreateKey => html! { <pages::create_key::CreateKey /> },
        Route::KeyDetail { region, key_id } => {
            html! { <pages::key_detail::KeyDetail {region} {key_id} /> }
        }
        Route::Iam => html! { <pages::iam::Iam /> },
        Route::S3 => html! { <pages::services::Service name="S3" /> },
        Route::Ec2 => html! { <pages::services::Service name="EC2" /> },
        Route::Rds => html! { <pages::services::Service name="RDS" /> },
        Route::Terminal => html! { <pages::terminal::Terminal /> },
        Route::Activity => html! { <pages::activity::Activity /> },
        Route::Scenarios => html! { <pages::scenarios::Scenarios /> },
        Route::Scenario { id } => html! { <pages::scenarios::ScenarioView {id} /> },
        Route::Quiz => html! { <pages::quiz::Quiz /> },
        Route::QuizTopic { topic } => html! { <pages::quiz::QuizTopic {topic} /> },
        Route::QuizQuestion { id } => html! { <pages::quiz::QuestionPage {id} /> },
        Route::QuizMode { mode } => html! { <pages::quiz::QuizMode {mode} /> },
        Route::Learn => html! { <pages::learn::Learn /> },
        Route::LearnTopic { topic } => html! { <pages::learn::LearnTopic {topic} /> },
        Route::NotFound => html! { <pages::not_found::NotFound /> },
    }
}

/// The whole app: store, router, layout.
#[component]
pub fn App() -> Html {
    let lab = use_reducer(LabState::loading);
    // Read the saved world once (IndexedDB is asynchronous).
    use_effect_with((), {
        let dispatcher = lab.dispatcher();
        move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let (session, notice) = storage::load().await;
                dispatcher.dispatch(Action::Loaded(Box::new(session), notice));
            })
        }
    });
    // Persistence lives outside the reducer: save after every change of the world.
    use_effect_with((lab.loaded, lab.revision), {
        let lab = lab.clone();
        move |(loaded, revision)| {
            if *loaded && *revision > 0 {
                match lab.export() {
                    Ok(doc) => wasm_bindgen_futures::spawn_local(async move {
                        if let Err(e) = storage::save(doc).await {
                            web_sys::console::warn_1(&e.into());
                        }
                    }),
                    Err(e) => web_sys::console::warn_1(&e.into()),
                }
            }
        }
    });
    // The JavaScript API for study sites and tests, installed once the world is loaded.
    use_effect_with(lab.loaded, {
        let dispatcher = lab.dispatcher();
        move |loaded| {
            if *loaded {
                crate::js_api::install(dispatcher);
            }
        }
    });
    // RSA key generation is slow: warm the world's pool for import wrapping keys and RSA keys
    // in idle time after start-up, so the first asymmetric request does not freeze the page.
    use_effect_with(lab.loaded, {
        let lab = lab.clone();
        move |loaded| {
            let timer = loaded.then(|| {
                gloo_timers::callback::Timeout::new(1500, move || {
                    lab.with_session(|s| s.world.warm_rsa_pool(2048));
                })
            });
            move || drop(timer)
        }
    });
    if !lab.loaded {
        return html! { <div class="boot" role="status">{ "Loading your lab…" }</div> };
    }
    html! {
        <ContextProvider<LabContext> context={lab}>
            <HashRouter>
                <div class="shell">
                    <a class="skip-link" href="#main">{ "Skip to content" }</a>
                    <TopBar />
                    <div class="body">
                        <SideNav />
                        <main id="main" class="content" tabindex="-1">
                            <NoticeBanner />
                            <Flash />
                            <Switch<Route> render={switch} />
                        </main>
                    </div>
                    <TerminalDrawer />
                </div>
            </HashRouter>
        </ContextProvider<LabContext>>
    }
}
