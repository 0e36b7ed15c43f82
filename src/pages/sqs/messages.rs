//! "Send and receive messages": Send message (`SendMessage`), Poll for messages
//! (`ReceiveMessage`, up to 10) with the messages received, and Delete on a received message
//! (`DeleteMessage` with its receipt handle). Each is a real call as the current profile: on an
//! SSE-KMS queue SQS asks KMS for a data key (sending) or to decrypt one (receiving) as you,
//! through SQS, once per data key reuse period.

use cloud::sqs::model as sqs;
use serde_json::json;
use yew::prelude::*;

use super::field;
use crate::components::form::{Fields, Form, number, textarea};
use crate::hooks::use_lab;
use crate::state::{CallOutcome, format_time};

#[derive(Properties, PartialEq, Debug)]
pub(super) struct MessagesProps {
    pub name: AttrValue,
    pub url: String,
}

/// The summary of a poll of `queue` (how the page finds its own answer).
fn poll_summary(queue: &str) -> String {
    format!("Polled queue {queue} for messages")
}

/// The summary of a deleted message.
fn delete_summary(id: &str) -> String {
    format!("Deleted message {id}")
}

/// The messages a successful poll of `queue` received (None: `outcome` is something else).
fn received(outcome: &CallOutcome, queue: &str) -> Option<Vec<sqs::Message>> {
    if outcome.operation != "ReceiveMessage" || outcome.summary != poll_summary(queue) {
        return None;
    }
    let answer = outcome.result.as_ref().ok()?;
    Some(
        serde_json::from_value::<sqs::ReceiveMessageResponse>(answer.clone())
            .ok()?
            .messages
            .unwrap_or_default(),
    )
}

/// `SendMessage` from the form.
fn send_input(url: &str, f: &Fields) -> serde_json::Value {
    let mut v = json!({ "QueueUrl": url, "MessageBody": f.get("body") });
    if let Some(d) = f.opt("delay").filter(|d| d != "0")
        && let Ok(d) = d.parse::<i64>()
    {
        v["DelaySeconds"] = json!(d);
    }
    v
}

fn attr<'a>(m: &'a sqs::Message, name: &str) -> &'a str {
    m.attributes
        .as_ref()
        .and_then(|a| a.get(name))
        .map_or("", String::as_str)
}

#[component]
pub(super) fn Messages(props: &MessagesProps) -> Html {
    let lab = use_lab();
    let form: Form = use_state(|| Fields::with(&[("delay", "0")]));
    // The messages of the last poll, kept on screen until deleted or polled again.
    let shown = use_state(|| None::<Vec<sqs::Message>>);
    {
        let (shown, queue) = (shown.clone(), props.name.to_string());
        use_effect_with(lab.last_call.clone(), move |last| {
            let Some(o) = last.as_deref() else {
                return;
            };
            if let Some(messages) = received(o, &queue) {
                shown.set(Some(messages));
            } else if o.operation == "DeleteMessage"
                && o.result.is_ok()
                && let Some(list) = (*shown).clone()
            {
                let left: Vec<_> = list
                    .into_iter()
                    .filter(|m| o.summary != delete_summary(&m.message_id))
                    .collect();
                shown.set(Some(left));
            }
        });
    }
    let send = {
        let (lab, form, url, name) = (
            lab.clone(),
            form.clone(),
            props.url.clone(),
            props.name.to_string(),
        );
        Callback::from(move |_: MouseEvent| {
            let region = lab.identity().region;
            lab.call(
                region,
                "sqs",
                "SendMessage",
                send_input(&url, &form),
                format!("Sent a message to queue {name}"),
            );
        })
    };
    let poll = {
        let (lab, url, name) = (lab.clone(), props.url.clone(), props.name.to_string());
        Callback::from(move |_: MouseEvent| {
            let region = lab.identity().region;
            lab.call(
                region,
                "sqs",
                "ReceiveMessage",
                json!({ "QueueUrl": url, "MaxNumberOfMessages": 10, "MessageSystemAttributeNames": ["All"] }),
                poll_summary(&name),
            );
        })
    };
    let delete = |m: &sqs::Message| {
        let (lab, url) = (lab.clone(), props.url.clone());
        let (id, handle) = (m.message_id.clone(), m.receipt_handle.clone());
        Callback::from(move |_: MouseEvent| {
            let region = lab.identity().region;
            lab.call(
                region,
                "sqs",
                "DeleteMessage",
                json!({ "QueueUrl": url, "ReceiptHandle": handle }),
                delete_summary(&id),
            );
        })
    };
    let results = match &*shown {
        None => html! {},
        Some(list) if list.is_empty() => {
            html! { <p class="muted" data-testid="received-messages">{ "No messages available." }</p> }
        }
        Some(list) => html! {
            <ul class="plain-list" data-testid="received-messages">
                { for list.iter().map(|m| html! {
                    <li class="message-card" data-testid="received-message">
                        <pre class="code small message-body" data-testid="message-body">{ m.body.clone() }</pre>
                        <div class="fields">
                            { field("ID", html! { <span class="mono small break">{ m.message_id.clone() }</span> }) }
                            { field("Sent", html! { attr(m, "SentTimestamp").parse::<i64>().map(format_time).unwrap_or_default() }) }
                            { field("Size", html! { format!("{} bytes", m.body.len()) }) }
                            { field("Receive count", html! { attr(m, "ApproximateReceiveCount").to_owned() }) }
                        </div>
                        <div class="actions">
                            <button class="btn btn-small" onclick={delete(m)} aria-label={format!("Delete message {}", m.message_id)} data-testid="delete-message">{ "Delete" }</button>
                        </div>
                    </li>
                }) }
            </ul>
        },
    };
    html! {
        <div data-testid="queue-messages">
            <div class="panel-header"><h2>{ "Send and receive messages" }</h2></div>
            <h3 class="sub-heading">{ "Send message" }</h3>
            { textarea(&form, "body", "Message body", 3) }
            <div class="form-grid">{ number(&form, "delay", "Delivery delay (seconds)", 0, 900) }</div>
            <div class="actions">
                <button class="btn btn-primary btn-small" onclick={send} disabled={form.opt("body").is_none()} data-testid="send-message">{ "Send message" }</button>
            </div>
            <h3 class="sub-heading">{ "Receive messages" }</h3>
            <p class="help">{ "Polling receives up to 10 messages and hides them from other consumers for the visibility timeout; delete a message once it is processed, or it becomes visible again. On an SSE-KMS queue, receiving needs kms:Decrypt on the queue's key." }</p>
            <div class="actions">
                <button class="btn btn-small" onclick={poll} data-testid="poll-messages">{ "Poll for messages" }</button>
            </div>
            { results }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn send_takes_the_body_and_a_delay() {
        let f = Fields::with(&[("body", "order-1"), ("delay", "0")]);
        assert_eq!(
            send_input("u", &f),
            json!({ "QueueUrl": "u", "MessageBody": "order-1" })
        );
        assert_eq!(
            send_input("u", &f.with_value("delay", "30"))["DelaySeconds"],
            30
        );
    }

    #[test]
    fn a_poll_of_this_queue_is_recognised() {
        let outcome = CallOutcome {
            operation: "ReceiveMessage".into(),
            summary: poll_summary("orders"),
            result: Ok(
                json!({ "Messages": [{ "MessageId": "m", "ReceiptHandle": "r", "MD5OfBody": "x", "Body": "hi" }] }),
            ),
            carry_over: false,
            why: None,
        };
        assert_eq!(received(&outcome, "orders").map(|m| m.len()), Some(1));
        assert_eq!(received(&outcome, "other"), None);
    }
}
