//! Routes (hash-based, stable: study sites link to them) and the page layout.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::components::drawer::TerminalDrawer;
use crate::components::flash::Flash;
use crate::components::notice::NoticeBanner;
use crate::components::side_nav::{ConsoleMenu, SideNav};
use crate::components::top_bar::TopBar;
use crate::hooks::Lab;
use crate::lazy;
use crate::pages;
use crate::quiz_bank::QuizBank;
use crate::scenario_data::ScenarioGate;
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
    #[at("/s3/buckets")]
    S3Buckets,
    #[at("/s3/buckets/:name")]
    S3Bucket { name: String },
    #[at("/ec2")]
    Ec2,
    #[at("/ec2/volumes")]
    Ec2Volumes,
    #[at("/ec2/snapshots")]
    Ec2Snapshots,
    #[at("/ec2/settings")]
    Ec2Settings,
    #[at("/rds")]
    Rds,
    #[at("/rds/databases")]
    RdsDatabases,
    #[at("/rds/snapshots")]
    RdsSnapshots,
    #[at("/dynamodb")]
    DynamoDb,
    #[at("/dynamodb/tables/:name")]
    DynamoDbTable { name: String },
    #[at("/efs")]
    Efs,
    #[at("/logs")]
    Logs,
    #[at("/cloudtrail/trails")]
    CloudTrailTrails,
    #[at("/sqs")]
    Sqs,
    #[at("/sqs/queues/:name")]
    SqsQueue { name: String },
    #[at("/sns")]
    Sns,
    #[at("/sns/topics/:name")]
    SnsTopic { name: String },
    #[at("/events")]
    Events,
    #[at("/events/rules/:name")]
    EventsRule { name: String },
    #[at("/config")]
    Config,
    #[at("/config/rules")]
    ConfigRules,
    #[at("/config/rules/:name")]
    ConfigRule { name: String },
    #[at("/lab-tools")]
    LabTools,
    #[at("/secretsmanager")]
    SecretsManager,
    #[at("/parameter-store")]
    ParameterStore,
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
    #[at("/embed/scenario/:id")]
    EmbedScenario { id: String },
    #[at("/embed/quiz/q/:id")]
    EmbedQuestion { id: String },
    #[at("/embed/quiz/:topic")]
    EmbedQuizTopic { topic: String },
    #[at("/embed/terminal")]
    EmbedTerminal,
    #[not_found]
    #[at("/404")]
    NotFound,
}

fn switch(route: Route) -> Html {
    // Every other page is in a chunk downloaded on first use (src/lazy/); keyed by chunk, so a
    // move to another group starts with a fresh loading state.
    if let Some(chunk) = lazy::Chunk::of(&route) {
        return html! { <lazy::LazyRoute key={chunk as usize} {chunk} {route} /> };
    }
    match route {
        Route::Home => html! { <pages::home::Home /> },
        Route::Terminal => html! { <pages::terminal::Terminal /> },
        Route::Scenarios => html! { <ScenarioGate><pages::scenarios::Scenarios /></ScenarioGate> },
        Route::Scenario { id } => {
            html! { <ScenarioGate><pages::scenarios::ScenarioView {id} /></ScenarioGate> }
        }
        Route::NotFound => html! { <pages::not_found::NotFound /> },
        // Embed routes render inside `EmbedShell` (see `Layout`).
        Route::EmbedScenario { .. }
        | Route::EmbedQuestion { .. }
        | Route::EmbedQuizTopic { .. }
        | Route::EmbedTerminal => html! { <pages::not_found::NotFound /> },
        // `Chunk::of` gave these a chunk above.
        Route::KmsKeys
        | Route::CreateKey
        | Route::KeyDetail { .. }
        | Route::Iam
        | Route::S3
        | Route::S3Buckets
        | Route::S3Bucket { .. }
        | Route::Ec2
        | Route::Ec2Volumes
        | Route::Ec2Snapshots
        | Route::Ec2Settings
        | Route::Rds
        | Route::RdsDatabases
        | Route::RdsSnapshots
        | Route::DynamoDb
        | Route::DynamoDbTable { .. }
        | Route::Efs
        | Route::Logs
        | Route::CloudTrailTrails
        | Route::Sqs
        | Route::SqsQueue { .. }
        | Route::Sns
        | Route::SnsTopic { .. }
        | Route::Events
        | Route::EventsRule { .. }
        | Route::Config
        | Route::ConfigRules
        | Route::ConfigRule { .. }
        | Route::LabTools
        | Route::SecretsManager
        | Route::ParameterStore
        | Route::Activity
        | Route::Quiz
        | Route::QuizQuestion { .. }
        | Route::QuizMode { .. }
        | Route::QuizTopic { .. }
        | Route::Learn
        | Route::LearnTopic { .. } => html! { <pages::not_found::NotFound /> },
    }
}

/// The page title for a route (the document's `<title>` is this plus " · KMS Lab").
pub fn title_of(route: &Route) -> String {
    match route {
        Route::Home => "Start".into(),
        Route::KmsKeys => "KMS keys".into(),
        Route::CreateKey => "Create key".into(),
        Route::KeyDetail { key_id, region } => format!("Key {key_id} ({region})"),
        Route::Iam => "IAM".into(),
        Route::S3 | Route::S3Buckets => "S3 buckets".into(),
        Route::S3Bucket { name } => format!("S3 bucket {name}"),
        Route::Ec2 => "EC2".into(),
        Route::Ec2Volumes => "EC2 volumes".into(),
        Route::Ec2Snapshots => "EC2 snapshots".into(),
        Route::Ec2Settings => "EBS encryption".into(),
        Route::Rds | Route::RdsDatabases => "RDS databases".into(),
        Route::RdsSnapshots => "RDS snapshots".into(),
        Route::DynamoDb => "DynamoDB tables".into(),
        Route::DynamoDbTable { name } => format!("DynamoDB table {name}"),
        Route::Efs => "EFS file systems".into(),
        Route::Logs => "CloudWatch log groups".into(),
        Route::CloudTrailTrails => "CloudTrail trails".into(),
        Route::Sqs => "SQS queues".into(),
        Route::SqsQueue { name } => format!("SQS queue {name}"),
        Route::Sns => "SNS topics".into(),
        Route::SnsTopic { name } => format!("SNS topic {name}"),
        Route::Events => "EventBridge rules".into(),
        Route::EventsRule { name } => format!("EventBridge rule {name}"),
        Route::Config => "AWS Config settings".into(),
        Route::ConfigRules => "AWS Config rules".into(),
        Route::ConfigRule { name } => format!("AWS Config rule {name}"),
        Route::LabTools => "Lab tools".into(),
        Route::SecretsManager => "Secrets Manager".into(),
        Route::ParameterStore => "Parameter Store".into(),
        Route::Terminal => "Terminal".into(),
        Route::Activity => "Activity (CloudTrail)".into(),
        Route::Scenarios => "Scenarios".into(),
        Route::Scenario { id } => match lab::scenario::get(id) {
            Some(s) => format!("Scenario: {}", s.title),
            None => format!("Scenario {id}"),
        },
        Route::Quiz => "Quizzes".into(),
        Route::QuizTopic { topic } => match lab::quiz::topics().iter().find(|t| &t.id == topic) {
            Some(t) => format!("Quiz: {}", t.title),
            None => format!("Quiz: {topic}"),
        },
        Route::QuizQuestion { id } => format!("Question {id}"),
        Route::QuizMode { mode } => match mode.as_str() {
            "exam" => "Exam".into(),
            "review" => "Review: missed and flagged".into(),
            "due" => "Spaced repetition".into(),
            _ => "Practice: all topics".into(),
        },
        Route::Learn => "Learn".into(),
        Route::LearnTopic { topic } => format!("Learn: {topic}"),
        Route::NotFound => "Page not found".into(),
        Route::EmbedScenario { id } => title_of(&Route::Scenario { id: id.clone() }),
        Route::EmbedQuestion { id } => title_of(&Route::QuizQuestion { id: id.clone() }),
        Route::EmbedQuizTopic { topic } => title_of(&Route::QuizTopic {
            topic: topic.clone(),
        }),
        Route::EmbedTerminal => "Terminal".into(),
    }
}

/// Whether the learner has moved past the visit's first page (whose focus stays the browser's).
static NAVIGATED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Moves focus to the page's heading (`#page-title`) after a change of page; a page whose code
/// arrives later (`lazy::LazyRoute`) calls it when it appears.
pub(crate) fn focus_page_title() {
    let h1 = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("page-title"));
    if let Some(h1) = h1 {
        let _ = h1.set_attribute("tabindex", "-1");
        if let Ok(h1) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(h1) {
            let _ = h1.focus();
        }
    }
}

/// Whether a page that appears now should take focus ([`focus_page_title`]).
pub(crate) fn has_navigated() -> bool {
    NAVIGATED.load(std::sync::atomic::Ordering::Relaxed)
}

/// What a change of page does besides rendering it: the document title, focus on the new
/// page's heading (so keyboard and screen-reader users land on it, not on `<body>`), the
/// learner's last place, and clearing banners that belonged to the page left.
#[component]
fn OnNavigate() -> Html {
    let route = use_route::<Route>();
    let lab = use_context::<Lab>();
    let first = use_mut_ref(|| true);
    use_effect_with(route, move |route| {
        let Some(route) = route else {
            return;
        };
        let document = web_sys::window().and_then(|w| w.document());
        if let Some(doc) = &document {
            doc.set_title(&format!("{} · KMS Lab", title_of(route)));
        }
        if std::mem::replace(&mut *first.borrow_mut(), false) {
            // The first page of a visit keeps the browser's own focus.
        } else {
            if let Some(lab) = &lab {
                lab.dispatch(Action::Navigated);
            }
            NAVIGATED.store(true, std::sync::atomic::Ordering::Relaxed);
            focus_page_title();
        }
        if !matches!(route, Route::Home | Route::NotFound) && !crate::embed::context().embedded {
            storage::set_last_place(&route.to_path());
        }
    });
    html! {}
}

/// The whole app: store, router, layout.
#[component]
pub fn App() -> Html {
    let lab = use_reducer(|| LabState::loading().with_host(storage::HOST));
    // A long command (`lab load …`) runs in chunks outside the reducer (see `job_runner`).
    crate::job_runner::use_job_runner(&lab);
    // Read the saved world once (IndexedDB is asynchronous).
    use_effect_with((), {
        let dispatcher = lab.dispatcher();
        move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                // The scenario data downloads while IndexedDB opens; the lab starts with it.
                let scenarios = crate::scenario_data::request();
                let loaded = storage::load().await;
                let scenarios = crate::scenario_data::install(scenarios).await;
                dispatcher.dispatch(Action::ScenarioDataFetched(scenarios));
                // Before `Loaded`: nothing is saved until then, so the restored terminal is
                // never overwritten by an empty one.
                if let Some((history, transcript)) = storage::load_terminal() {
                    dispatcher.dispatch(Action::RestoreTerminal {
                        history,
                        transcript,
                    });
                }
                dispatcher.dispatch(Action::Loaded {
                    session: Box::new(loaded.session),
                    notice: loaded.notice,
                    saves_blocked: loaded.saves_blocked,
                });
            })
        }
    });
    // Persistence lives outside the reducer: each change of the world schedules a save, which
    // runs after a quiet moment or when the tab is hidden or closed (see `persist`).
    use_effect_with((lab.loaded, lab.revision), {
        let lab = lab.clone();
        move |(loaded, revision)| {
            if *loaded && *revision > 0 && !lab.saves_blocked {
                crate::persist::schedule(move |cache, max_new| lab.export_in_parts(cache, max_new));
            }
        }
    });
    // Once loaded, an idle save learns which parts are stored, so the first command's save
    // serialises only what it changed.
    use_effect_with(lab.loaded, {
        let lab = lab.clone();
        move |loaded| {
            if *loaded && !lab.saves_blocked {
                crate::persist::warm(move |cache, max_new| lab.export_in_parts(cache, max_new));
            }
        }
    });
    // The terminal's history and scrollback survive a reload (kept beside the world).
    use_effect_with(
        (
            lab.loaded,
            lab.revision,
            lab.transcript.len(),
            lab.history.len(),
        ),
        {
            let lab = lab.clone();
            move |(loaded, ..)| {
                if *loaded {
                    storage::save_terminal_soon(lab.history.clone(), lab.transcript.clone());
                }
            }
        },
    );
    // The question bank is fetched once the world is loaded (it is not part of the first load).
    use_effect_with(lab.loaded, {
        let dispatcher = lab.dispatcher();
        move |loaded| {
            if *loaded && !lab::quiz::is_loaded() {
                wasm_bindgen_futures::spawn_local(async move {
                    let bank = match crate::quiz_bank::fetch_and_install().await {
                        Ok(()) => QuizBank::Ready,
                        Err(e) => QuizBank::Failed(e),
                    };
                    dispatcher.dispatch(Action::QuizBankFetched(bank));
                });
            }
        }
    });
    // The JavaScript API for study sites and tests, installed once the world is loaded (with the
    // state already published, so a `kmslab:ready` listener can call `state()`).
    use_effect_with(lab.loaded, {
        let lab = lab.clone();
        move |loaded| {
            if *loaded {
                crate::js_api::publish(&lab);
                crate::js_api::install(lab.dispatcher());
                crate::embed::protocol::install(lab.dispatcher());
            }
        }
    });
    // Script callers read the latest state and get their answers here, outside the reducer:
    // each queued reply resolves the promise with its request id, then the queue is cleared.
    use_effect_with((lab.loaded, lab.revision, lab.replies.clone()), {
        let lab = lab.clone();
        move |(_, _, replies)| {
            crate::js_api::publish(&lab);
            if let Some(up_to) = crate::js_api::deliver(replies) {
                lab.dispatch(Action::RepliesDelivered { up_to });
            }
        }
    });
    // An embedding host hears of every change: `changed`, objectives, completion, answers.
    use_effect_with((lab.loaded, lab.revision), {
        let lab = lab.clone();
        move |(loaded, _)| {
            if *loaded {
                crate::embed::protocol::after_revision(&lab);
            }
        }
    });
    // The page groups not in the first download (src/lazy/) are fetched 3 s after the lab is
    // ready, one after another, so a later page opens at once (and without a network for the
    // rest of the visit). Not in an embed, which shows one view.
    use_effect_with(lab.loaded, move |loaded| {
        let timer = (*loaded && !crate::embed::context().embedded).then(|| {
            gloo_timers::callback::Timeout::new(3000, || {
                wasm_bindgen_futures::spawn_local(lazy::prefetch_all());
            })
        });
        move || drop(timer)
    });
    // The engine's extension (every service and the command line's interpreter: src/lazy/) is
    // downloaded as soon as the lab is ready, embeds included; an action that needs it before it
    // is here waits for it (`LabState::waiting`), and after a failed download the next action
    // that waits tries again. The download is shared: the page chunks wait for the same one.
    let install = {
        let dispatcher = lab.dispatcher();
        move || {
            let dispatcher = dispatcher.clone();
            wasm_bindgen_futures::spawn_local(async move {
                dispatcher.dispatch(match lazy::engine().await {
                    Ok(()) => Action::EngineInstalled,
                    Err(_) => Action::EngineUnavailable,
                });
            });
        }
    };
    use_effect_with(lab.loaded, {
        let install = install.clone();
        move |loaded| {
            if *loaded {
                install();
            }
        }
    });
    // Again when something starts to wait for it, and, after a failed download, with every
    // change of the world while something still does (a waiting grading included).
    let retry = (lab.engine_failed && lab.needs_engine()).then_some(lab.revision);
    use_effect_with(
        (lab.waiting.is_empty(), retry),
        move |(nothing_waits, retry)| {
            if !*nothing_waits || retry.is_some() {
                install();
            }
        },
    );
    // RSA key generation is slow: warm the world's pool for import wrapping keys and RSA keys
    // in idle time after start-up, so the first asymmetric request does not freeze the page.
    // The key is kept in localStorage, so a reload takes it from there instead of computing it
    // again (a task of up to a second in a browser).
    use_effect_with(lab.loaded, {
        let lab = lab.clone();
        move |loaded| {
            let timer = loaded.then(|| {
                gloo_timers::callback::Timeout::new(1500, move || {
                    // RSA is in the engine's extension (src/lazy/).
                    wasm_bindgen_futures::spawn_local(async move {
                        if lazy::engine().await.is_ok() {
                            lab.with_session(|s| storage::warm_rsa_pool(&s.world, 2048));
                        }
                    });
                })
            });
            move || drop(timer)
        }
    });
    if !lab.loaded {
        return html! { <div class="boot" role="status">{ "Loading your lab…" }</div> };
    }
    // With hash routes, following `#main` would be read as a route: move focus instead.
    let skip_to_main = Callback::from(|e: MouseEvent| {
        e.prevent_default();
        if let Some(main) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("main"))
            .and_then(|m| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(m).ok())
        {
            let _ = main.focus();
        }
    });
    html! {
        <ContextProvider<Lab> context={Lab::new(lab)}>
            <HashRouter>
                <Layout {skip_to_main} />
            </HashRouter>
        </ContextProvider<Lab>>
    }
}

#[derive(Properties, PartialEq)]
struct LayoutProps {
    skip_to_main: Callback<MouseEvent>,
}

/// The full lab's layout, or an embed view's compact one (`#/embed/…`).
#[component]
fn Layout(props: &LayoutProps) -> Html {
    let route = use_route::<Route>();
    if let Some(view) = route.as_ref().and_then(crate::embed::view::EmbedView::of) {
        return html! {
            <>
                <NoticeBanner />
                <crate::embed::view::EmbedShell {view} />
                <OnNavigate />
            </>
        };
    }
    html! {
        <div class="shell">
            <a class="skip-link" href="#main" onclick={props.skip_to_main.clone()}>{ "Skip to content" }</a>
            <TopBar />
            <div class="body">
                <SideNav />
                <main id="main" class="content" tabindex="-1">
                    <NoticeBanner />
                    <crate::components::export_status::ExportStatus />
                    <ConsoleMenu />
                    <Flash />
                    <Switch<Route> render={switch} />
                </main>
                <OnNavigate />
            </div>
            <TerminalDrawer />
        </div>
    }
}
