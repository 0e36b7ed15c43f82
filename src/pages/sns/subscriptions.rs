//! A topic's Subscriptions tab: its subscriptions (`ListSubscriptionsByTopic`), Delete
//! (`Unsubscribe`), and Create subscription with the protocol Amazon SQS and the queue's ARN as
//! the endpoint, chosen from the Region's queues or typed (a queue of another account).

use cloud::sns::model as sns;
use cloud::sqs::model as sqs;
use serde_json::json;
use yew::prelude::*;

use crate::components::form::{Fields, Form};
use crate::hooks::use_lab;
use crate::pages::error_box;
use crate::pages::sqs::field;
use crate::state::LabState;
use crate::views::{Peek, ViewError};

#[derive(Debug)]
struct SubsData {
    subscriptions: Result<Vec<sns::Subscription>, ViewError>,
    /// The ARNs of the Region's queues the current profile can list.
    queues: Vec<String>,
}

fn read(lab: &LabState, region: &str, topic: &str) -> SubsData {
    let mut peek = Peek::new(lab);
    let subscriptions = peek.client(region).and_then(|c| {
        Ok(c.sns()
            .list_subscriptions_by_topic(sns::TopicArnRequest {
                topic_arn: Some(topic.to_owned()),
                next_token: None,
            })?
            .subscriptions)
    });
    let id = lab.identity();
    let queues = peek
        .client(region)
        .and_then(|c| Ok(c.sqs().list_queues(sqs::ListQueuesRequest::default())?))
        .map(|r| r.queue_urls.unwrap_or_default())
        .unwrap_or_default()
        .iter()
        .filter_map(|url| url.rsplit('/').next())
        .map(|name| format!("arn:aws:sqs:{region}:{}:{name}", id.account))
        .collect();
    SubsData {
        subscriptions,
        queues,
    }
}

#[derive(Properties, PartialEq, Debug)]
pub(super) struct SubscriptionsProps {
    pub topic_arn: String,
}

#[component]
pub(super) fn Subscriptions(props: &SubscriptionsProps) -> Html {
    let lab = use_lab();
    let data = {
        let state = (*lab).clone();
        let id = lab.identity();
        use_memo(
            (lab.revision, id.region, id.profile, props.topic_arn.clone()),
            move |(_, region, _, arn)| read(&state, region, arn),
        )
    };
    let form: Form = use_state(|| Fields::with(&[("protocol", "sqs")]));
    let create = {
        let (lab, form, topic) = (lab.clone(), form.clone(), props.topic_arn.clone());
        Callback::from(move |_: MouseEvent| {
            let region = lab.identity().region;
            let endpoint = form.get("endpoint").to_owned();
            lab.call(
                region,
                "sns",
                "Subscribe",
                json!({ "TopicArn": topic, "Protocol": "sqs", "Endpoint": endpoint, "ReturnSubscriptionArn": true }),
                format!("Created a subscription of {endpoint}"),
            );
        })
    };
    let unsubscribe = |arn: &str| {
        let (lab, arn) = (lab.clone(), arn.to_owned());
        Callback::from(move |_: MouseEvent| {
            let region = lab.identity().region;
            lab.call(
                region,
                "sns",
                "Unsubscribe",
                json!({ "SubscriptionArn": arn }),
                format!("Deleted subscription {arn}"),
            );
        })
    };
    let list = match &data.subscriptions {
        Err(e) => error_box(e),
        Ok(s) if s.is_empty() => html! { <p class="muted">{ "No subscriptions." }</p> },
        Ok(s) => html! {
            <ul class="plain-list" data-testid="subscriptions-table">
                { for s.iter().map(|s| {
                    let confirmed = s.subscription_arn != "PendingConfirmation";
                    let status = if confirmed { "Confirmed" } else { "Pending confirmation" };
                    let protocol = if s.protocol == "sqs" { "Amazon SQS".to_owned() } else { s.protocol.clone() };
                    html! {
                        <li class="message-card">
                            <div class="fields">
                                { field("Endpoint", html! { <span class="mono small break">{ s.endpoint.clone() }</span> }) }
                                { field("Protocol", html! { protocol }) }
                                { field("Status", html! { status }) }
                                { field("ID", html! { <span class="mono small break">{ s.subscription_arn.rsplit(':').next().unwrap_or_default().to_owned() }</span> }) }
                            </div>
                            if confirmed {
                                <div class="actions">
                                    <button class="btn btn-small" onclick={unsubscribe(&s.subscription_arn)} aria-label={format!("Delete the subscription of {}", s.endpoint)}>{ "Delete" }</button>
                                </div>
                            }
                        </li>
                    }
                }) }
            </ul>
        },
    };
    let set_endpoint = {
        let form = form.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                form.set(form.with_value("endpoint", i.value()));
            }
        })
    };
    html! {
        <div data-testid="topic-subscriptions">
            <div class="panel-header"><h2>{ "Subscriptions" }</h2></div>
            { list }
            <h3 class="sub-heading">{ "Create subscription" }</h3>
            <div class="form-grid">
                <label>{ "Protocol" }
                    <select class="input" name="protocol"><option value="sqs" selected=true>{ "Amazon SQS" }</option></select>
                </label>
            </div>
            <label class="wide-field">{ "Endpoint" }
                    <input class="input mono" name="endpoint" list="topic-queues" autocomplete="off" placeholder="arn:aws:sqs:…"
                        value={form.get("endpoint").to_owned()} oninput={set_endpoint} />
                <datalist id="topic-queues">{ for data.queues.iter().map(|q| html! { <option value={q.clone()} /> }) }</datalist>
            </label>
            <p class="help">{ "An Amazon SQS queue's ARN. SNS confirms a queue subscription at once, but delivers as sns.amazonaws.com: the queue's access policy must allow it sqs:SendMessage for this topic (aws:SourceArn), and an SSE-KMS queue's key policy must allow it kms:GenerateDataKey* and kms:Decrypt. A queue under alias/aws/sqs can never receive from a topic." }</p>
            <div class="actions">
                <button class="btn btn-small btn-primary" onclick={create} disabled={form.opt("endpoint").is_none()} data-testid="create-subscription">{ "Create subscription" }</button>
            </div>
        </div>
    }
}
