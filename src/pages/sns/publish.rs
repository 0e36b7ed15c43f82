//! Publish message: subject (optional) and body, sent with `Publish` as the current profile. On
//! an encrypted topic SNS first asks KMS for a data key as the publisher (through SNS); the
//! deliveries to the subscribed queues that follow are SNS's own requests.

use serde_json::{Value, json};
use yew::prelude::*;

use crate::components::form::{Fields, Form, text, textarea};
use crate::hooks::use_lab;

/// `Publish` from the form.
pub(super) fn publish_input(topic: &str, f: &Fields) -> Value {
    let mut v = json!({ "TopicArn": topic, "Message": f.get("message") });
    if let Some(s) = f.opt("subject") {
        v["Subject"] = json!(s);
    }
    v
}

#[derive(Properties, PartialEq, Debug)]
pub(super) struct PublishProps {
    pub topic_arn: String,
    pub encrypted: bool,
}

#[component]
pub(super) fn Publish(props: &PublishProps) -> Html {
    let lab = use_lab();
    let form: Form = use_state(Fields::default);
    let publish = {
        let (lab, form, topic) = (lab.clone(), form.clone(), props.topic_arn.clone());
        Callback::from(move |_: MouseEvent| {
            let region = lab.identity().region;
            lab.call(
                region,
                "sns",
                "Publish",
                publish_input(&topic, &form),
                format!("Published a message to {topic}"),
            );
        })
    };
    html! {
        <div class="panel" data-testid="publish-panel">
            <div class="panel-header"><h2>{ "Publish message" }</h2></div>
            <p class="mono small break">{ props.topic_arn.clone() }</p>
            <div class="form-grid">{ text(&form, "subject", "Subject - optional", "") }</div>
            { textarea(&form, "message", "Message body", 4) }
            <p class="help">
                { if props.encrypted { "The topic is encrypted: SNS asks KMS for a data key as you (kms:GenerateDataKey*, then kms:Decrypt), so publishing fails if you may not use the key. " } else { "" } }
                { "Publishing succeeds once SNS has the message; each delivery to a subscribed queue is then SNS's own request as sns.amazonaws.com, and one the queue or its key refuses is lost (see the Delivery failures tab)." }
            </p>
            <div class="actions">
                <button class="btn btn-primary btn-small" onclick={publish} disabled={form.opt("message").is_none()} data-testid="publish-submit">{ "Publish message" }</button>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publish_sends_the_subject_only_when_given() {
        let f = Fields::with(&[("message", "order-1")]);
        assert_eq!(
            publish_input("t", &f),
            json!({ "TopicArn": "t", "Message": "order-1" })
        );
        assert_eq!(
            publish_input("t", &f.with_value("subject", "Hi"))["Subject"],
            "Hi"
        );
    }
}
