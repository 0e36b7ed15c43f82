//! Each chunk's routes: what `switch` renders for them once the chunk is here. Only the split
//! points in `lazy/mod.rs` name these functions, so everything only they reach goes into the
//! chunk.

use yew::prelude::*;

use crate::app::Route;
use crate::pages;
use crate::quiz_bank::QuizGate;

/// Each chunk's function, named directly: only where nothing is split (with the split, naming
/// them here would put every page back into the first download).
#[cfg(any(test, not(feature = "split")))]
pub(super) fn render_fn(chunk: super::Chunk) -> super::PageFn {
    use super::Chunk;
    match chunk {
        Chunk::Kms => kms,
        Chunk::Iam => iam,
        Chunk::Storage => storage,
        Chunk::Messaging => messaging,
        Chunk::Governance => governance,
        Chunk::Quiz => quiz,
        Chunk::Learn => learn,
    }
}

/// A route given to the wrong chunk (`Chunk::of` and these functions disagree): not found.
pub(super) fn elsewhere() -> Html {
    html! { <pages::not_found::NotFound /> }
}

pub(super) fn kms(route: &Route) -> Html {
    match route.clone() {
        Route::KmsKeys => html! { <pages::kms_keys::KmsKeys /> },
        Route::CreateKey => html! { <pages::create_key::CreateKey /> },
        Route::KeyDetail { region, key_id } => {
            html! { <pages::key_detail::KeyDetail {region} {key_id} /> }
        }
        _ => elsewhere(),
    }
}

pub(super) fn iam(route: &Route) -> Html {
    match route {
        Route::Iam => html! { <pages::iam::Iam /> },
        _ => elsewhere(),
    }
}

pub(super) fn storage(route: &Route) -> Html {
    use pages::ec2::Section as Ec2;
    use pages::rds::Section as Rds;
    match route.clone() {
        Route::S3 | Route::S3Buckets => html! { <pages::s3::Buckets /> },
        Route::S3Bucket { name } => html! { <pages::s3::bucket::Bucket {name} /> },
        Route::Ec2 => html! { <pages::ec2::Ec2 section={Ec2::Dashboard} /> },
        Route::Ec2Volumes => html! { <pages::ec2::Ec2 section={Ec2::Volumes} /> },
        Route::Ec2Snapshots => html! { <pages::ec2::Ec2 section={Ec2::Snapshots} /> },
        Route::Ec2Settings => html! { <pages::ec2::Ec2 section={Ec2::Settings} /> },
        Route::Rds | Route::RdsDatabases => html! { <pages::rds::Rds section={Rds::Databases} /> },
        Route::RdsSnapshots => html! { <pages::rds::Rds section={Rds::Snapshots} /> },
        Route::DynamoDb => html! { <pages::dynamodb::DynamoDb /> },
        Route::DynamoDbTable { name } => html! { <pages::dynamodb::TableDetail {name} /> },
        Route::Efs => html! { <pages::efs::Efs /> },
        _ => elsewhere(),
    }
}

pub(super) fn messaging(route: &Route) -> Html {
    match route.clone() {
        Route::Logs => html! { <pages::logs::Logs /> },
        Route::Sqs => html! { <pages::sqs::Sqs /> },
        Route::SqsQueue { name } => html! { <pages::sqs::QueueDetail {name} /> },
        Route::Sns => html! { <pages::sns::Sns /> },
        Route::SnsTopic { name } => html! { <pages::sns::TopicDetail {name} /> },
        Route::Events => html! { <pages::events::Rules /> },
        Route::EventsRule { name } => html! { <pages::events::rule::RuleDetail {name} /> },
        _ => elsewhere(),
    }
}

pub(super) fn governance(route: &Route) -> Html {
    match route.clone() {
        Route::CloudTrailTrails => html! { <pages::cloudtrail::Trails /> },
        Route::Config => html! { <pages::config::ConfigSettings /> },
        Route::ConfigRules => html! { <pages::config::rules::ConfigRules /> },
        Route::ConfigRule { name } => html! { <pages::config::rule::ConfigRuleDetail {name} /> },
        Route::SecretsManager => html! { <pages::secrets::Secrets /> },
        Route::ParameterStore => html! { <pages::parameters::Parameters /> },
        Route::LabTools => html! { <pages::lab_tools::LabTools /> },
        Route::Activity => html! { <pages::activity::Activity /> },
        _ => elsewhere(),
    }
}

pub(super) fn quiz(route: &Route) -> Html {
    match route.clone() {
        Route::Quiz => html! { <QuizGate><pages::quiz::Quiz /></QuizGate> },
        Route::QuizTopic { topic } => {
            html! { <QuizGate><pages::quiz::QuizTopic {topic} /></QuizGate> }
        }
        Route::QuizQuestion { id } => {
            html! { <QuizGate><pages::quiz::QuestionPage {id} /></QuizGate> }
        }
        Route::QuizMode { mode } => html! { <QuizGate><pages::quiz::QuizMode {mode} /></QuizGate> },
        _ => elsewhere(),
    }
}

pub(super) fn learn(route: &Route) -> Html {
    match route.clone() {
        Route::Learn => html! { <pages::learn::Learn /> },
        Route::LearnTopic { topic } => html! { <pages::learn::LearnTopic {topic} /> },
        _ => elsewhere(),
    }
}
