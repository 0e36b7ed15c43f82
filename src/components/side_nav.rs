//! Left navigation (a bottom tab bar on narrow screens).

use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::icons::{Icon, IconSvg};

/// The navigation entries: label, target, and which routes light it up.
fn entries() -> [(&'static str, Route, Icon); 7] {
    [
        ("Console", Route::KmsKeys, Icon::Key),
        ("IAM", Route::Iam, Icon::User),
        ("Terminal", Route::Terminal, Icon::Terminal),
        ("Scenarios", Route::Scenarios, Icon::Target),
        ("Quizzes", Route::Quiz, Icon::Check),
        ("Activity", Route::Activity, Icon::List),
        ("Learn", Route::Learn, Icon::Book),
    ]
}

fn section_of(route: &Route) -> usize {
    match route {
        // The start page belongs to no section.
        Route::Home
        | Route::EmbedScenario { .. }
        | Route::EmbedQuestion { .. }
        | Route::EmbedQuizTopic { .. }
        | Route::EmbedTerminal => usize::MAX,
        Route::KmsKeys
        | Route::CreateKey
        | Route::KeyDetail { .. }
        | Route::S3
        | Route::Ec2
        | Route::Rds
        | Route::SecretsManager
        | Route::ParameterStore
        | Route::NotFound => 0,
        Route::Iam => 1,
        Route::Terminal => 2,
        Route::Scenarios | Route::Scenario { .. } => 3,
        Route::Quiz
        | Route::QuizTopic { .. }
        | Route::QuizQuestion { .. }
        | Route::QuizMode { .. } => 4,
        Route::Activity => 5,
        Route::Learn | Route::LearnTopic { .. } => 6,
    }
}

#[component]
pub fn SideNav() -> Html {
    let current = use_route::<Route>().map_or(usize::MAX, |r| section_of(&r));
    html! {
        <nav class="side-nav" aria-label="Main">
            <ul>
                { for entries().into_iter().enumerate().map(|(i, (label, to, icon))| {
                    let active = i == current;
                    html! {
                        <li>
                            <Link<Route> to={to} classes={classes!("nav-link", active.then_some("active"))}>
                                <IconSvg {icon} />
                                <span class="nav-label">{ label }</span>
                            </Link<Route>>
                        </li>
                    }
                }) }
            </ul>
        </nav>
    }
}
