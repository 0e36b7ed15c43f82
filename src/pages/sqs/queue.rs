//! A queue's page (`#/sqs/queues/NAME`): its Details, the actions Purge and Delete, and the
//! console's tabs: Send and receive messages, SNS subscriptions, Access policy and Encryption.

use std::rc::Rc;

use serde_json::json;
use yew::prelude::*;
use yew_router::prelude::*;

use super::encryption::EncryptionTab;
use super::messages::Messages;
use super::policy::ResourcePolicy;
use super::{ConfirmByTyping, QueueRow, field, queue_url, read_queue, seconds_attr};
use crate::app::Route;
use crate::components::resources::{key_choices, page_header};
use crate::hooks::use_lab;
use crate::pages::error_box;
use crate::state::LabState;
use crate::views::{Peek, ViewError};

/// One queue, read by its URL (no `ListQueues`), and the key suggestions.
#[derive(Debug)]
pub(crate) struct QueueData {
    pub queue: Result<QueueRow, ViewError>,
    pub keys: Vec<(String, String)>,
}

fn read(lab: &LabState, region: &str, name: &str) -> QueueData {
    let mut peek = Peek::new(lab);
    let url = queue_url(lab, name);
    QueueData {
        queue: read_queue(&mut peek, lab, region, &url),
        keys: key_choices(&mut peek, region),
    }
}

/// Queue `name` of the current account and Region, read once per revision.
#[hook]
pub(crate) fn use_queue(name: &AttrValue) -> Rc<QueueData> {
    let lab = use_lab();
    let id = lab.identity();
    let state = (*lab).clone();
    use_memo(
        (lab.revision, id.region, id.profile, name.clone()),
        move |(_, region, _, name)| read(&state, region, name),
    )
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tab {
    Messages,
    Subscriptions,
    Policy,
    Encryption,
}

const TABS: &[(Tab, &str)] = &[
    (Tab::Messages, "Send and receive messages"),
    (Tab::Subscriptions, "SNS subscriptions"),
    (Tab::Policy, "Access policy"),
    (Tab::Encryption, "Encryption"),
];

/// The Details panel.
fn details(q: &QueueRow, actions: Html) -> Html {
    html! {
        <div class="panel" data-testid="queue-details">
            <div class="panel-header"><h2>{ "Details" }</h2>{ actions }</div>
            <div class="fields">
                { field("Name", html! { <span class="mono">{ q.name.clone() }</span> }) }
                { field("Type", html! { q.kind() }) }
                { field("ARN", html! { <span class="mono small break" data-testid="queue-arn">{ q.attr("QueueArn").to_owned() }</span> }) }
                { field("Encryption", html! { <span data-testid="queue-details-sse">{ q.sse().label() }</span> }) }
                { field("URL", html! { <span class="mono small break">{ q.url.clone() }</span> }) }
                { field("Created", seconds_attr(q.attr("CreatedTimestamp"))) }
                { field("Last updated", seconds_attr(q.attr("LastModifiedTimestamp"))) }
                { field("Messages available", html! { q.attr("ApproximateNumberOfMessages").to_owned() }) }
                { field("Messages in flight", html! { q.attr("ApproximateNumberOfMessagesNotVisible").to_owned() }) }
                { field("Visibility timeout", html! { format!("{} seconds", q.attr("VisibilityTimeout")) }) }
            </div>
        </div>
    }
}

/// The example policy the Access policy tab starts from when the queue has none: the topic
/// statement SNS needs to deliver (SendMessage for one topic, `aws:SourceArn`).
fn example(arn: &str) -> String {
    let topic = {
        let mut parts: Vec<&str> = arn.split(':').collect();
        if let Some(service) = parts.get_mut(2) {
            *service = "sns";
        }
        if let Some(last) = parts.last_mut() {
            *last = "TOPIC_NAME";
        }
        parts.join(":")
    };
    format!(
        r#"{{
  "Version": "2012-10-17",
  "Statement": [
    {{
      "Sid": "AllowTopicToSend",
      "Effect": "Allow",
      "Principal": {{ "Service": "sns.amazonaws.com" }},
      "Action": "sqs:SendMessage",
      "Resource": "{arn}",
      "Condition": {{ "ArnEquals": {{ "aws:SourceArn": "{topic}" }} }}
    }}
  ]
}}"#
    )
}

#[derive(Properties, PartialEq, Debug)]
pub struct QueueProps {
    pub name: AttrValue,
}

#[component]
pub fn QueueDetail(props: &QueueProps) -> Html {
    let lab = use_lab();
    let data = use_queue(&props.name);
    let tab = use_state(|| Tab::Messages);
    // The action waiting for its typed confirmation: "delete" or "purge".
    let confirming = use_state(|| None::<&'static str>);
    let name = props.name.to_string();
    // A deleted queue's page has nothing left to show: back to Queues, as the console does.
    {
        let (navigator, deleted) = (use_navigator(), format!("Deleted queue {name}"));
        use_effect_with(lab.last_call.clone(), move |last| {
            if let (Some(o), Some(nav)) = (last, navigator)
                && o.operation == "DeleteQueue"
                && o.result.is_ok()
                && o.summary == deleted
            {
                nav.push(&Route::Sqs);
            }
        });
    }
    let back = html! {
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <Link<Route> to={Route::Sqs}>{ "Queues" }</Link<Route>>{ format!(" › {name}") }
        </nav>
    };
    let q = match &data.queue {
        Err(e) => {
            return html! {
                <section class="page page-wide" aria-labelledby="page-title">
                    { back }{ page_header(&name, &lab) }{ error_box(e) }
                </section>
            };
        }
        Ok(q) => q.clone(),
    };
    let queue_call = |operation: &'static str, summary: String| {
        let (lab, url) = (lab.clone(), q.url.clone());
        Callback::from(move |()| {
            let region = lab.identity().region;
            lab.call(
                region,
                "sqs",
                operation,
                json!({ "QueueUrl": url }),
                summary.clone(),
            );
        })
    };
    let save_policy = {
        let (lab, url, name) = (lab.clone(), q.url.clone(), name.clone());
        Callback::from(move |policy: String| {
            let region = lab.identity().region;
            lab.call(
                region,
                "sqs",
                "SetQueueAttributes",
                json!({ "QueueUrl": url, "Attributes": { "Policy": policy } }),
                format!("Saved the access policy of queue {name}"),
            );
        })
    };
    let ask = |what: &'static str| {
        let confirming = confirming.clone();
        Callback::from(move |_: MouseEvent| confirming.set(Some(what)))
    };
    let close = {
        let confirming = confirming.clone();
        Callback::from(move |()| confirming.set(None))
    };
    let actions = html! {
        <div class="actions">
            <button class="btn btn-small" onclick={ask("purge")} data-testid="purge-queue">{ "Purge" }</button>
            <button class="btn btn-small btn-danger" onclick={ask("delete")} data-testid="delete-queue">{ "Delete" }</button>
        </div>
    };
    let dialog = match *confirming {
        Some("purge") => html! {
            <ConfirmByTyping title="Purge queue" word="purge" action="Purge" testid="purge-queue-dialog"
                text={AttrValue::from(format!("Every message in {name} will be deleted. This cannot be undone."))}
                on_confirm={queue_call("PurgeQueue", format!("Purged queue {name}"))} on_close={close.clone()} />
        },
        Some(_) => html! {
            <ConfirmByTyping title="Delete queue" word="delete" action="Delete" testid="delete-queue-dialog"
                text={AttrValue::from(format!("The queue {name} and every message in it will be deleted. This cannot be undone."))}
                on_confirm={queue_call("DeleteQueue", format!("Deleted queue {name}"))} on_close={close.clone()} />
        },
        None => html! {},
    };
    let policy = q.attributes.get("Policy").cloned();
    let body = match *tab {
        Tab::Messages => html! { <Messages name={props.name.clone()} url={q.url.clone()} /> },
        Tab::Subscriptions => {
            html! { <super::subscriptions::QueueSubscriptions queue_arn={q.attr("QueueArn").to_owned()} /> }
        }
        Tab::Policy => html! {
            <ResourcePolicy current={policy.clone().map(AttrValue::from)} example={AttrValue::from(example(q.attr("QueueArn")))}
                title="Access policy" operation="SetQueueAttributes" syntax_code="InvalidAttributeValue"
                on_save={save_policy} testid="queue-policy">
                { "Who may use the queue besides the IAM principals of this account. An AWS service that delivers to the queue (SNS, EventBridge) sends as its service principal, so it needs a statement here, bound to its topic or rule with aws:SourceArn." }
            </ResourcePolicy>
        },
        Tab::Encryption => html! { <EncryptionTab name={props.name.clone()} /> },
    };
    html! {
        <section class="page page-wide" aria-labelledby="page-title">
            { back }
            { page_header(&name, &lab) }
            { details(&q, actions) }
            { dialog }
            <div class="tabs" role="tablist" aria-label="Queue details">
                { for TABS.iter().map(|(t, label)| {
                    let on = *tab == *t;
                    let onclick = { let tab = tab.clone(); let t = *t; Callback::from(move |_| tab.set(t)) };
                    html! { <button type="button" class={classes!("tab", on.then_some("tab-active"))} role="tab" aria-selected={on.to_string()} {onclick}>{ *label }</button> }
                }) }
            </div>
            <div class="panel" role="tabpanel">{ body }</div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_policy_names_the_queue_and_a_topic_of_its_account() {
        let p = example("arn:aws:sqs:us-east-1:111122223333:orders");
        let v: serde_json::Value = serde_json::from_str(&p).unwrap();
        assert_eq!(
            v["Statement"][0]["Resource"],
            "arn:aws:sqs:us-east-1:111122223333:orders"
        );
        assert_eq!(
            v["Statement"][0]["Condition"]["ArnEquals"]["aws:SourceArn"],
            "arn:aws:sns:us-east-1:111122223333:TOPIC_NAME"
        );
    }
}
