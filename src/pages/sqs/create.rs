//! SQS → Create queue: type (Standard), name, the Encryption section and an optional access
//! policy (the console's "Advanced" JSON).

use serde_json::{Value, json};
use yew::prelude::*;

use super::encryption::{DEFAULTS, section, sse_attributes};
use super::use_sqs;
use crate::components::form::{Fields, text, textarea, use_form};
use crate::hooks::use_lab;

/// `CreateQueue` from the form (the encryption section's problem when it is incomplete).
pub(super) fn create_input(f: &Fields) -> Result<Value, String> {
    let mut attributes = sse_attributes(f, true)?;
    if let Some(policy) = f.opt("policy") {
        attributes.insert("Policy".into(), policy);
    }
    Ok(json!({ "QueueName": f.get("name"), "Attributes": attributes }))
}

#[component]
pub(super) fn CreateQueue() -> Html {
    let lab = use_lab();
    let data = use_sqs();
    let form = use_form(DEFAULTS);
    let input = create_input(&form);
    let create = {
        let (lab, form) = (lab.clone(), form.clone());
        let input = input.clone();
        Callback::from(move |_: MouseEvent| {
            let Ok(input) = &input else {
                return;
            };
            let region = lab.identity().region;
            let name = form.get("name").to_owned();
            lab.call(
                region,
                "sqs",
                "CreateQueue",
                input.clone(),
                format!("Created queue {name}"),
            );
        })
    };
    html! {
        <div class="panel" data-testid="create-queue">
            <div class="panel-header"><h2>{ "Create queue" }</h2></div>
            <h3 class="sub-heading">{ "Details" }</h3>
            <p class="help">{ "Type: Standard (at-least-once delivery, best-effort ordering)." }</p>
            <div class="form-grid">{ text(&form, "name", "Name", "orders") }</div>
            <p class="help">{ "Up to 80 characters: letters, numbers, hyphens (-) and underscores (_)." }</p>
            <h3 class="sub-heading">{ "Encryption" }</h3>
            <p class="help">{ "Amazon SQS provides in-transit encryption by default. To add at-rest encryption to your queue, enable server-side encryption." }</p>
            { section(&form, "create", &data.keys) }
            <h3 class="sub-heading">{ "Access policy" }</h3>
            <p class="help">{ "Optional, as JSON. Without one, only principals of this account with IAM permissions can use the queue." }</p>
            { textarea(&form, "policy", "Access policy (JSON)", 6) }
            <div class="actions">
                <button class="btn btn-primary" onclick={create} disabled={input.is_err() || form.opt("name").is_none()} data-testid="create-queue-submit">{ "Create queue" }</button>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_sends_the_encryption_and_the_policy() {
        let f = Fields::with(DEFAULTS)
            .with_value("name", "orders")
            .with_value("type", "kms")
            .with_value("key", "alias/orders")
            .with_value("reuse", "10")
            .with_value("policy", "{}");
        assert_eq!(
            create_input(&f).unwrap(),
            json!({ "QueueName": "orders", "Attributes": {
                "KmsMasterKeyId": "alias/orders", "KmsDataKeyReusePeriodSeconds": "600", "Policy": "{}"
            } })
        );
    }

    #[test]
    fn sqs_creates_the_queue_under_the_chosen_key() {
        let mut world = cloud::World::new(1, 0);
        let ctx = world.context_for_profile(None, None).unwrap();
        let f = Fields::with(DEFAULTS)
            .with_value("name", "orders")
            .with_value("type", "kms");
        let url = world
            .call(&ctx, "sqs", "CreateQueue", create_input(&f).unwrap())
            .unwrap()["QueueUrl"]
            .as_str()
            .unwrap()
            .to_owned();
        let attrs = world
            .call(
                &ctx,
                "sqs",
                "GetQueueAttributes",
                json!({ "QueueUrl": url, "AttributeNames": ["All"] }),
            )
            .unwrap();
        assert_eq!(attrs["Attributes"]["KmsMasterKeyId"], "alias/aws/sqs");
        assert_eq!(attrs["Attributes"]["KmsDataKeyReusePeriodSeconds"], "300");
        assert_eq!(attrs["Attributes"]["SqsManagedSseEnabled"], "false");
    }
}
