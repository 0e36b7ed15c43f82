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
        | Route::S3Buckets
        | Route::S3Bucket { .. }
        | Route::Ec2
        | Route::Ec2Volumes
        | Route::Ec2Snapshots
        | Route::Ec2Settings
        | Route::Rds
        | Route::RdsDatabases
        | Route::RdsSnapshots
        | Route::SecretsManager
        | Route::ParameterStore
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

/// A sub-page of a service: its name and route.
pub type PageLink = (&'static str, fn() -> Route);

/// One service of the console menu: its name, its landing page, and its sub-pages as the AWS
/// console's menu groups them.
#[derive(Debug)]
pub struct ServiceEntry {
    pub name: &'static str,
    pub to: Route,
    pub pages: &'static [PageLink],
}

/// The console's services and their sub-pages, as the AWS console's menu lists them. The side
/// navigation shows them on wide screens, the console menu (`ConsoleMenu`) on narrow ones.
pub fn services() -> [ServiceEntry; 15] {
    [
        ServiceEntry {
            name: "KMS keys",
            to: Route::KmsKeys,
            pages: &[],
        },
        ServiceEntry {
            name: "S3",
            to: Route::S3,
            pages: &[("Buckets", || Route::S3Buckets)],
        },
        ServiceEntry {
            name: "EC2 (EBS)",
            to: Route::Ec2,
            pages: &[
                ("Volumes", || Route::Ec2Volumes),
                ("Snapshots", || Route::Ec2Snapshots),
                ("EBS encryption", || Route::Ec2Settings),
            ],
        },
        ServiceEntry {
            name: "RDS",
            to: Route::Rds,
            pages: &[
                ("Databases", || Route::RdsDatabases),
                ("Snapshots", || Route::RdsSnapshots),
            ],
        },
        ServiceEntry {
            name: "Secrets Manager",
            to: Route::SecretsManager,
            pages: &[],
        },
        ServiceEntry {
            name: "Parameter Store",
            to: Route::ParameterStore,
            pages: &[],
        },
        ServiceEntry {
            name: "DynamoDB",
            to: Route::DynamoDb,
            pages: &[("Tables", || Route::DynamoDb)],
        },
        ServiceEntry {
            name: "EFS",
            to: Route::Efs,
            pages: &[("File systems", || Route::Efs)],
        },
        ServiceEntry {
            name: "CloudWatch",
            to: Route::Logs,
            pages: &[("Log groups", || Route::Logs)],
        },
        ServiceEntry {
            name: "CloudTrail",
            to: Route::CloudTrailTrails,
            pages: &[("Trails", || Route::CloudTrailTrails)],
        },
        ServiceEntry {
            name: "SQS",
            to: Route::Sqs,
            pages: &[("Queues", || Route::Sqs)],
        },
        ServiceEntry {
            name: "SNS",
            to: Route::Sns,
            pages: &[("Topics", || Route::Sns)],
        },
        ServiceEntry {
            name: "EventBridge",
            to: Route::Events,
            pages: &[("Rules", || Route::Events)],
        },
        ServiceEntry {
            name: "AWS Config",
            to: Route::Config,
            pages: &[
                ("Rules", || Route::ConfigRules),
                ("Settings", || Route::Config),
            ],
        },
        ServiceEntry {
            name: "Lab tools",
            to: Route::LabTools,
            pages: &[],
        },
    ]
}

/// The service a route belongs to (its index in [`services`]), if any.
pub fn service_of(route: &Route) -> Option<usize> {
    Some(match route {
        Route::KmsKeys | Route::KeyDetail { .. } | Route::CreateKey => 0,
        Route::S3 | Route::S3Buckets | Route::S3Bucket { .. } => 1,
        Route::Ec2 | Route::Ec2Volumes | Route::Ec2Snapshots | Route::Ec2Settings => 2,
        Route::Rds | Route::RdsDatabases | Route::RdsSnapshots => 3,
        Route::SecretsManager => 4,
        Route::ParameterStore => 5,
        Route::DynamoDb | Route::DynamoDbTable { .. } => 6,
        Route::Efs => 7,
        Route::Logs => 8,
        Route::CloudTrailTrails => 9,
        Route::Sqs | Route::SqsQueue { .. } => 10,
        Route::Sns | Route::SnsTopic { .. } => 11,
        Route::Events | Route::EventsRule { .. } => 12,
        Route::Config | Route::ConfigRules | Route::ConfigRule { .. } => 13,
        Route::LabTools => 14,
        _ => return None,
    })
}

/// Whether `page` is the sub-page `route` shows (a bucket counts as Buckets; the service's
/// landing route counts as its first sub-page when they show the same page).
fn on_page(route: &Route, page: &Route) -> bool {
    route == page
        || matches!(
            (route, page),
            (Route::S3 | Route::S3Bucket { .. }, Route::S3Buckets)
                | (Route::Rds, Route::RdsDatabases)
                | (Route::DynamoDbTable { .. }, Route::DynamoDb)
                | (Route::SqsQueue { .. }, Route::Sqs)
                | (Route::SnsTopic { .. }, Route::Sns)
                | (Route::EventsRule { .. }, Route::Events)
                | (Route::ConfigRule { .. }, Route::ConfigRules)
        )
}

/// The services with their sub-pages, the current one marked.
pub fn service_list(route: Option<&Route>, class: &'static str) -> Html {
    let current = route.and_then(service_of);
    html! {
        <ul class={class} aria-label="Services">
            { for services().into_iter().enumerate().map(|(i, s)| {
                let here = current == Some(i);
                html! {
                    <li>
                        <Link<Route> to={s.to.clone()} classes={classes!("nav-sublink", here.then_some("current"))}>{ s.name }</Link<Route>>
                        if !s.pages.is_empty() {
                            <ul class="nav-pages" aria-label={format!("{} pages", s.name)}>
                                { for s.pages.iter().map(|(name, to)| {
                                    let to = to();
                                    let on = route.is_some_and(|r| on_page(r, &to));
                                    html! {
                                        <li><Link<Route> to={to} classes={classes!("nav-pagelink", on.then_some("current"))}>{ *name }</Link<Route>></li>
                                    }
                                }) }
                            </ul>
                        }
                    </li>
                }
            }) }
        </ul>
    }
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
                            if i == 0 { { service_list(route.as_ref(), "nav-sub") } }
                        </li>
                    }
                }) }
            </ul>
        </nav>
    }
}

/// The console's services on narrow screens (where the side navigation is a tab bar): a
/// disclosure at the top of every console page.
#[component]
pub fn ConsoleMenu() -> Html {
    let route = use_route::<Route>();
    if route.as_ref().is_none_or(|r| section_of(r) != 0) {
        return html! {};
    }
    let name = route
        .as_ref()
        .and_then(service_of)
        .and_then(|i| services().into_iter().nth(i))
        .map_or("Services", |s| s.name);
    html! {
        <details class="console-menu" data-testid="console-menu">
            <summary>{ format!("Services: {name}") }</summary>
            <nav aria-label="Console services">{ service_list(route.as_ref(), "console-menu-list") }</nav>
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_service_page_belongs_to_its_service_and_the_console_section() {
        for (i, s) in services().iter().enumerate() {
            assert_eq!(service_of(&s.to), Some(i), "{}", s.name);
            assert_eq!(section_of(&s.to), 0, "{}", s.name);
            for (name, page) in s.pages {
                assert_eq!(service_of(&page()), Some(i), "{} › {name}", s.name);
                assert_eq!(section_of(&page()), 0, "{} › {name}", s.name);
            }
        }
        let bucket = Route::S3Bucket { name: "b".into() };
        assert!(
            on_page(&bucket, &Route::S3Buckets),
            "a bucket is under Buckets"
        );
        assert!(on_page(&Route::Rds, &Route::RdsDatabases));
        assert!(
            !on_page(&Route::Ec2, &Route::Ec2Volumes),
            "the EC2 overview is its own page"
        );
        assert_eq!(service_of(&Route::Iam), None, "IAM has its own section");
    }
}
