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

/// The console's services, as the AWS console's menu lists them (desktop only; narrow screens
/// keep the tab bar).
fn services() -> [(&'static str, Route); 6] {
    [
        ("KMS keys", Route::KmsKeys),
        ("S3", Route::S3),
        ("EC2 (EBS)", Route::Ec2),
        ("RDS", Route::Rds),
        ("Secrets Manager", Route::SecretsManager),
        ("Parameter Store", Route::ParameterStore),
    ]
}

#[component]
pub fn SideNav() -> Html {
    let route = use_route::<Route>();
    let current = route.as_ref().map_or(usize::MAX, section_of);
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
                            if i == 0 {
                                <ul class="nav-sub" aria-label="Services">
                                    { for services().into_iter().map(|(name, to)| {
                                        let here = route.as_ref() == Some(&to)
                                            || (to == Route::KmsKeys && matches!(route, Some(Route::KeyDetail { .. } | Route::CreateKey)));
                                        html! {
                                            <li>
                                                <Link<Route> to={to} classes={classes!("nav-sublink", here.then_some("current"))}>{ name }</Link<Route>>
                                            </li>
                                        }
                                    }) }
                                </ul>
                            }
                        </li>
                    }
                }) }
            </ul>
        </nav>
    }
}
