//! A queue's "SNS subscriptions" tab: the topics the queue is subscribed to, and "Subscribe to
//! Amazon SNS topic" (`Subscribe` with the queue's ARN as the endpoint). Subscribing does not
//! change the queue policy: SNS still needs a statement there (and, on an SSE-KMS queue, in the
//! key policy) to deliver.

use cloud::sns::model as sns;
use serde_json::json;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::form::{Fields, Form};
use crate::hooks::use_lab;
use crate::pages::error_box;
use crate::state::LabState;
use crate::views::{Peek, ViewError};

#[derive(Debug)]
struct SubsData {
    subscriptions: Result<Vec<sns::Subscription>, ViewError>,
    topics: Vec<String>,
}

fn read(lab: &LabState, region: &str, queue_arn: &str) -> SubsData {
    let mut peek = Peek::new(lab);
    let subscriptions = peek.client(region).and_then(|c| {
        Ok(c.sns()
            .list_subscriptions(sns::ListRequest::default())?
            .subscriptions
            .into_iter()
            .filter(|s| s.endpoint == queue_arn)
            .collect())
    });
    let topics = peek
        .client(region)
        .and_then(|c| Ok(c.sns().list_topics(sns::ListRequest::default())?.topics))
        .unwrap_or_default()
        .into_iter()
        .map(|t| t.topic_arn)
        .collect();
    SubsData {
        subscriptions,
        topics,
    }
}

/// The topic page of `arn` when it is a topic of the current account and Region.
pub(crate) fn topic_link(lab: &LabState, arn: &str) -> Html {
    let id = lab.identity();
    let prefix = format!("arn:aws:sns:{}:{}:", id.region, id.account);
    match arn.strip_prefix(&prefix) {
        Some(name) => html! {
            <Link<Route> to={Route::SnsTopic { name: name.to_owned() }} classes="mono small break">{ arn.to_owned() }</Link<Route>>
        },
        None => html! { <span class="mono small break">{ arn.to_owned() }</span> },
    }
}

#[derive(Properties, PartialEq, Debug)]
pub(super) struct QueueSubscriptionsProps {
    pub queue_arn: String,
}

#[component]
pub(super) fn QueueSubscriptions(props: &QueueSubscriptionsProps) -> Html {
    let lab = use_lab();
    let data = {
        let state = (*lab).clone();
        let id = lab.identity();
        use_memo(
            (lab.revision, id.region, id.profile, props.queue_arn.clone()),
            move |(_, region, _, arn)| read(&state, region, arn),
        )
    };
    let form: Form = use_state(Fields::default);
    let subscribe = {
        let (lab, form, queue) = (lab.clone(), form.clone(), props.queue_arn.clone());
        Callback::from(move |_: MouseEvent| {
            let region = lab.identity().region;
            let topic = form.get("topic").to_owned();
            lab.call(
                region,
                "sns",
                "Subscribe",
                json!({ "TopicArn": topic, "Protocol": "sqs", "Endpoint": queue, "ReturnSubscriptionArn": true }),
                format!("Subscribed the queue to {topic}"),
            );
        })
    };
    let list = match &data.subscriptions {
        Err(e) => error_box(e),
        Ok(s) if s.is_empty() => {
            html! { <p class="muted">{ "This queue is not subscribed to any SNS topic." }</p> }
        }
        Ok(s) => html! {
            <ul class="plain-list" data-testid="queue-subscriptions">
                { for s.iter().map(|s| html! {
                    <li class="message-card">
                        <div class="fields">
                            { super::field("Topic ARN", topic_link(&lab, &s.topic_arn)) }
                            { super::field("Subscription ARN", html! { <span class="mono small break">{ s.subscription_arn.clone() }</span> }) }
                        </div>
                    </li>
                }) }
            </ul>
        },
    };
    let set_topic = {
        let form = form.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                form.set(form.with_value("topic", i.value()));
            }
        })
    };
    html! {
        <div data-testid="queue-sns">
            <div class="panel-header"><h2>{ "SNS subscriptions" }</h2></div>
            { list }
            <h3 class="sub-heading">{ "Subscribe to Amazon SNS topic" }</h3>
            <label class="wide-field">{ "Topic ARN" }
                    <input class="input mono" name="topic" list="queue-topics" autocomplete="off" placeholder="arn:aws:sns:…"
                        value={form.get("topic").to_owned()} oninput={set_topic} />
                <datalist id="queue-topics">{ for data.topics.iter().map(|t| html! { <option value={t.clone()} /> }) }</datalist>
            </label>
            <p class="help">{ "SNS delivers as its service principal sns.amazonaws.com: the queue's access policy must let it send for this topic, and on an SSE-KMS queue the key policy must let it use the key." }</p>
            <div class="actions">
                <button class="btn btn-small btn-primary" onclick={subscribe} disabled={form.opt("topic").is_none()} data-testid="queue-subscribe">{ "Save" }</button>
            </div>
        </div>
    }
}
