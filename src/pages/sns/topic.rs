//! A topic's page (`#/sns/topics/NAME`): Details, Publish message and Delete, then the console's
//! tabs: Subscriptions (with Create subscription), Access policy, Encryption (with Edit), and a
//! lab view of the deliveries SNS could not make (AWS shows them only as CloudWatch's
//! `NumberOfNotificationsFailed` and the refused KMS request in CloudTrail).

use serde_json::json;
use yew::prelude::*;
use yew_router::prelude::*;

use super::publish::Publish;
use super::subscriptions::Subscriptions;
use super::{TopicRow, read_topic, topic_arn, with_default_key};
use crate::app::Route;
use crate::components::form::{Fields, Form, check, key_picker};
use crate::components::resources::{key_choices, page_header};
use crate::hooks::use_lab;
use crate::pages::error_box;
use crate::pages::sqs::{ConfirmByTyping, ResourcePolicy, field};
use crate::state::{LabState, format_time};
use crate::views::{Peek, ViewError};

#[derive(Debug)]
struct TopicData {
    topic: Result<TopicRow, ViewError>,
    keys: Vec<(String, String)>,
}

fn read(lab: &LabState, region: &str, name: &str) -> TopicData {
    let mut peek = Peek::new(lab);
    TopicData {
        topic: read_topic(&mut peek, lab, region, &topic_arn(lab, name)),
        keys: with_default_key(key_choices(&mut peek, region)),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tab {
    Subscriptions,
    Policy,
    Encryption,
    Deliveries,
}

const TABS: &[(Tab, &str)] = &[
    (Tab::Subscriptions, "Subscriptions"),
    (Tab::Policy, "Access policy"),
    (Tab::Encryption, "Encryption"),
    (Tab::Deliveries, "Delivery failures (lab view)"),
];

/// "Enabled" or "Disabled".
pub(super) fn enabled(on: bool) -> &'static str {
    if on { "Enabled" } else { "Disabled" }
}

/// The deliveries of this topic SNS could not make, newest first.
fn deliveries(lab: &LabState, arn: &str) -> Html {
    let failures: Vec<_> = lab.with_session(|s| {
        s.world
            .sns()
            .delivery_failures()
            .iter()
            .rev()
            .filter(|f| f.topic_arn == arn)
            .cloned()
            .collect()
    });
    html! {
        <div data-testid="topic-deliveries">
            <div class="panel-header"><h2>{ format!("Delivery failures ({})", failures.len()) }</h2></div>
            <p class="help">{ "A delivery the queue or its KMS key refuses is a client-side error: SNS does not retry it, and the message is lost for that subscription. In AWS you see it as the NumberOfNotificationsFailed metric and, for a key, as sns.amazonaws.com's refused KMS request in CloudTrail; the lab lists each one here (the terminal's lab deliveries)." }</p>
            if failures.is_empty() {
                <p class="muted">{ "No failed deliveries." }</p>
            } else {
                <ul class="plain-list" data-testid="delivery-failures">
                    { for failures.iter().map(|f| html! {
                        <li class="message-card">
                            <p class="small"><strong>{ f.error_code.clone() }</strong>{ ": " }{ f.error_message.clone() }</p>
                            <div class="fields">
                                { field("Time", html! { format_time(f.time_ms) }) }
                                { field("Endpoint", html! { <span class="mono small break">{ f.endpoint.clone() }</span> }) }
                                { field("Message ID", html! { <span class="mono small break">{ f.message_id.clone() }</span> }) }
                            </div>
                        </li>
                    }) }
                </ul>
            }
        </div>
    }
}

/// The Encryption tab: the topic's key, and Edit (`SetTopicAttributes KmsMasterKeyId`).
fn encryption(
    t: &TopicRow,
    form: &Form,
    keys: &[(String, String)],
    save: Callback<MouseEvent>,
) -> Html {
    html! {
        <div data-testid="topic-encryption-tab">
            <div class="panel-header"><h2>{ "Encryption" }</h2></div>
            <div class="fields">
                { field("Encryption", html! { <span data-testid="topic-sse">{ enabled(t.encrypted()) }</span> }) }
                if t.encrypted() {
                    { field("AWS KMS key", t.key.clone()) }
                }
            </div>
            <h3 class="sub-heading">{ "Edit encryption" }</h3>
            { check(form, "encrypt", "Enable encryption") }
            if form.on("encrypt") {
                <div class="form-grid">{ key_picker(form, "key", "AWS KMS key", keys) }</div>
            }
            <p class="help">{ "With encryption, SNS asks KMS for a data key as the publisher (through SNS) on every publish: publishers need kms:GenerateDataKey* and kms:Decrypt on the key, and AWS services that publish (EventBridge, CloudWatch) need a key-policy statement for their service principal, so they cannot publish to a topic under alias/aws/sns." }</p>
            <div class="actions">
                <button class="btn btn-small btn-primary" onclick={save} disabled={form.on("encrypt") && form.opt("key").is_none()} data-testid="topic-encryption-save">{ "Save changes" }</button>
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq, Debug)]
pub struct TopicProps {
    pub name: AttrValue,
}

#[component]
pub fn TopicDetail(props: &TopicProps) -> Html {
    let lab = use_lab();
    let data = {
        let state = (*lab).clone();
        let id = lab.identity();
        use_memo(
            (lab.revision, id.region, id.profile, props.name.clone()),
            move |(_, region, _, name)| read(&state, region, name),
        )
    };
    let tab = use_state(|| Tab::Subscriptions);
    let publishing = use_state(|| false);
    let deleting = use_state(|| false);
    let enc: Form = {
        let t = data.topic.as_ref().ok();
        let key = t
            .map(|t| t.attr("KmsMasterKeyId"))
            .filter(|k| !k.is_empty())
            .unwrap_or("alias/aws/sns")
            .to_owned();
        let on = if t.is_some_and(TopicRow::encrypted) {
            "true"
        } else {
            ""
        };
        use_state(move || Fields::with(&[("encrypt", on), ("key", key.as_str())]))
    };
    let name = props.name.to_string();
    // A deleted topic's page has nothing left to show: back to Topics, as the console does.
    {
        let navigator = use_navigator();
        let deleted = format!("Deleted topic {}", topic_arn(&lab, &name));
        use_effect_with(lab.last_call.clone(), move |last| {
            if let (Some(o), Some(nav)) = (last, navigator)
                && o.operation == "DeleteTopic"
                && o.result.is_ok()
                && o.summary == deleted
            {
                nav.push(&Route::Sns);
            }
        });
    }
    let back = html! {
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <Link<Route> to={Route::Sns}>{ "Topics" }</Link<Route>>{ format!(" › {name}") }
        </nav>
    };
    let t = match &data.topic {
        Err(e) => {
            return html! {
                <section class="page page-wide" aria-labelledby="page-title">
                    { back }{ page_header(&name, &lab) }{ error_box(e) }
                </section>
            };
        }
        Ok(t) => t.clone(),
    };
    let set_attribute = |attribute: &'static str, summary: String| {
        let (lab, arn) = (lab.clone(), t.arn.clone());
        Callback::from(move |value: String| {
            let region = lab.identity().region;
            lab.call(
                region,
                "sns",
                "SetTopicAttributes",
                json!({ "TopicArn": arn, "AttributeName": attribute, "AttributeValue": value }),
                summary.clone(),
            );
        })
    };
    let save_policy = set_attribute("Policy", format!("Saved the access policy of topic {name}"));
    let save_key = {
        let (set, enc) = (
            set_attribute(
                "KmsMasterKeyId",
                format!("Updated the encryption of topic {name}"),
            ),
            enc.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let key = if enc.on("encrypt") {
                enc.get("key").to_owned()
            } else {
                String::new()
            };
            set.emit(key);
        })
    };
    let delete = {
        let (lab, arn) = (lab.clone(), t.arn.clone());
        Callback::from(move |()| {
            let region = lab.identity().region;
            lab.call(
                region,
                "sns",
                "DeleteTopic",
                json!({ "TopicArn": arn }),
                format!("Deleted topic {arn}"),
            );
        })
    };
    let open_delete = {
        let deleting = deleting.clone();
        Callback::from(move |_: MouseEvent| deleting.set(true))
    };
    let close_delete = {
        let deleting = deleting.clone();
        Callback::from(move |()| deleting.set(false))
    };
    let toggle_publish = {
        let publishing = publishing.clone();
        Callback::from(move |_: MouseEvent| publishing.set(!*publishing))
    };
    let body = match *tab {
        Tab::Subscriptions => html! { <Subscriptions topic_arn={t.arn.clone()} /> },
        Tab::Policy => html! {
            <ResourcePolicy current={t.attributes.get("Policy").cloned().map(AttrValue::from)} example={AttrValue::from("{}")}
                title="Access policy" operation="SetTopicAttributes" syntax_code="InvalidParameter"
                on_save={save_policy} testid="topic-policy">
                { "Who may publish to and subscribe to the topic. The default policy lets principals of the owner account (AWS:SourceOwner) manage the topic and publish, if their IAM policies allow it." }
            </ResourcePolicy>
        },
        Tab::Encryption => encryption(&t, &enc, &data.keys, save_key),
        Tab::Deliveries => deliveries(&lab, &t.arn),
    };
    html! {
        <section class="page page-wide" aria-labelledby="page-title">
            { back }
            { page_header(&name, &lab) }
            <div class="panel" data-testid="topic-details">
                <div class="panel-header">
                    <h2>{ "Details" }</h2>
                    <div class="actions">
                        <button class="btn btn-small btn-primary" onclick={toggle_publish} aria-expanded={publishing.to_string()} data-testid="publish-message">{ "Publish message" }</button>
                        <button class="btn btn-small btn-danger" onclick={open_delete} data-testid="delete-topic">{ "Delete" }</button>
                    </div>
                </div>
                <div class="fields">
                    { field("Name", html! { <span class="mono">{ t.name.clone() }</span> }) }
                    { field("ARN", html! { <span class="mono small break" data-testid="topic-arn">{ t.arn.clone() }</span> }) }
                    { field("Type", html! { t.kind() }) }
                    { field("Display name", html! { t.attr("DisplayName").to_owned() }) }
                    { field("Topic owner", html! { t.attr("Owner").to_owned() }) }
                    { field("Encryption", html! { enabled(t.encrypted()) }) }
                </div>
            </div>
            if *deleting {
                <ConfirmByTyping title="Delete topic" word="delete me" action="Delete" testid="delete-topic-dialog"
                    text={AttrValue::from(format!("The topic {name} and all its subscriptions will be deleted."))}
                    on_confirm={delete} on_close={close_delete} />
            }
            if *publishing {
                <Publish topic_arn={t.arn.clone()} encrypted={t.encrypted()} />
            }
            <div class="tabs" role="tablist" aria-label="Topic details">
                { for TABS.iter().map(|(x, label)| {
                    let on = *tab == *x;
                    let onclick = { let tab = tab.clone(); let x = *x; Callback::from(move |_| tab.set(x)) };
                    html! { <button type="button" class={classes!("tab", on.then_some("tab-active"))} role="tab" aria-selected={on.to_string()} {onclick}>{ *label }</button> }
                }) }
            </div>
            <div class="panel" role="tabpanel">{ body }</div>
        </section>
    }
}
