//! The Amazon SNS console: Topics (`#/sns`) with Create topic, and a topic's page
//! (`#/sns/topics/NAME`) with its Details, Publish message, and the Subscriptions, Access policy
//! and Encryption tabs, plus a lab view of the deliveries SNS could not make.
//!
//! An encrypted topic seals each message under a data key of its KMS key (`alias/aws/sns` or a
//! customer managed key), asked for as the publisher through SNS. Delivering to an SQS queue is
//! SNS's own request, as `sns.amazonaws.com`: the queue policy and an SSE-KMS queue's key policy
//! must admit it, and a delivery either refuses is lost (SNS does not retry client-side errors).
//! Reads run on a copy of the world; actions are real SNS calls as the current profile.

mod publish;
mod subscriptions;
mod topic;

use std::collections::BTreeMap;

use cloud::sns::model as sns;
use serde_json::{Value, json};
use yew::prelude::*;
use yew_router::prelude::*;

pub use topic::TopicDetail;

use crate::app::Route;
use crate::components::form::{Fields, Form, check, key_picker, text, use_form};
use crate::components::resources::{key_cell, key_choices, page_header, table};
use crate::hooks::use_lab;
use crate::state::LabState;
use crate::views::{Peek, ViewError};

/// A topic as the pages show it.
#[derive(Clone, Debug)]
pub(crate) struct TopicRow {
    pub name: String,
    pub arn: String,
    pub attributes: BTreeMap<String, String>,
    /// The topic's KMS key as a link ("-" when not encrypted).
    pub key: Html,
}

impl TopicRow {
    pub(crate) fn attr(&self, name: &str) -> &str {
        self.attributes.get(name).map_or("", String::as_str)
    }

    /// "Standard" or "FIFO".
    pub(crate) fn kind(&self) -> &'static str {
        if self.attr("FifoTopic") == "true" {
            "FIFO"
        } else {
            "Standard"
        }
    }

    /// Whether the topic has a KMS key.
    pub(crate) fn encrypted(&self) -> bool {
        !self.attr("KmsMasterKeyId").is_empty()
    }
}

/// The ARN of topic `name` of the current account and Region.
pub(crate) fn topic_arn(lab: &LabState, name: &str) -> String {
    let id = lab.identity();
    format!("arn:aws:sns:{}:{}:{name}", id.region, id.account)
}

/// A topic's attributes, with its key as a link.
pub(crate) fn read_topic(
    peek: &mut Peek,
    lab: &LabState,
    region: &str,
    arn: &str,
) -> Result<TopicRow, ViewError> {
    let attributes = peek
        .client(region)?
        .sns()
        .get_topic_attributes(sns::TopicArnRequest {
            topic_arn: Some(arn.to_owned()),
            next_token: None,
        })?
        .attributes;
    let key = key_cell(
        peek,
        lab,
        region,
        attributes.get("KmsMasterKeyId").map(String::as_str),
    );
    Ok(TopicRow {
        name: arn.rsplit(':').next().unwrap_or_default().to_owned(),
        arn: arn.to_owned(),
        attributes,
        key,
    })
}

#[derive(Debug)]
struct SnsData {
    topics: Result<Vec<TopicRow>, ViewError>,
    keys: Vec<(String, String)>,
}

fn read(lab: &LabState, region: &str) -> SnsData {
    let mut peek = Peek::new(lab);
    let arns = peek.client(region).and_then(|c| {
        Ok(c.sns()
            .list_topics(sns::ListRequest::default())?
            .topics
            .into_iter()
            .map(|t| t.topic_arn)
            .collect::<Vec<_>>())
    });
    let topics = arns.map(|arns| {
        arns.iter()
            .filter_map(|arn| read_topic(&mut peek, lab, region, arn).ok())
            .collect()
    });
    SnsData {
        topics,
        keys: with_default_key(key_choices(&mut peek, region)),
    }
}

/// The key suggestions, with the AWS managed key `alias/aws/sns` first even before it exists
/// (SNS creates it on first use).
pub(crate) fn with_default_key(mut keys: Vec<(String, String)>) -> Vec<(String, String)> {
    if !keys.iter().any(|(v, _)| v == "alias/aws/sns") {
        keys.insert(
            0,
            (
                "alias/aws/sns".to_owned(),
                "(Default) AWS managed key".to_owned(),
            ),
        );
    }
    keys
}

/// `CreateTopic` from the form.
pub(crate) fn create_input(f: &Fields) -> Value {
    let mut attributes = BTreeMap::new();
    if let Some(d) = f.opt("display") {
        attributes.insert("DisplayName", d);
    }
    if f.on("encrypt") {
        attributes.insert("KmsMasterKeyId", f.get("key").to_owned());
    }
    let mut v = json!({ "Name": f.get("name") });
    if !attributes.is_empty() {
        v["Attributes"] = json!(attributes);
    }
    v
}

/// Create topic: Standard, name, display name, and the Encryption section.
fn create_form(form: &Form, keys: &[(String, String)], create: Callback<MouseEvent>) -> Html {
    html! {
        <div class="panel" data-testid="create-topic">
            <div class="panel-header"><h2>{ "Create topic" }</h2></div>
            <h3 class="sub-heading">{ "Details" }</h3>
            <p class="help">{ "Type: Standard (best-effort ordering, at-least-once delivery; SQS, Lambda, HTTP, SMS, email and mobile endpoints)." }</p>
            <div class="form-grid">
                { text(form, "name", "Name", "order-events") }
                { text(form, "display", "Display name (optional)", "") }
            </div>
            <h3 class="sub-heading">{ "Encryption - optional" }</h3>
            <p class="help">{ "Amazon SNS provides in-transit encryption by default. Enabling server-side encryption adds at-rest encryption to your topic: publishers then need kms:GenerateDataKey* and kms:Decrypt on the key." }</p>
            { check(form, "encrypt", "Enable encryption") }
            if form.on("encrypt") {
                <div class="form-grid">{ key_picker(form, "key", "AWS KMS key", keys) }</div>
            }
            <div class="actions">
                <button class="btn btn-primary" onclick={create} disabled={form.opt("name").is_none() || (form.on("encrypt") && form.opt("key").is_none())} data-testid="create-topic-submit">{ "Create topic" }</button>
            </div>
        </div>
    }
}

/// SNS → Topics: every topic with its type and encryption, then Create topic.
#[component]
pub fn Sns() -> Html {
    let lab = use_lab();
    let region = lab.identity().region;
    let data = {
        let state = (*lab).clone();
        use_memo((lab.revision, region), move |(_, region)| {
            read(&state, region)
        })
    };
    let form = use_form(&[("key", "alias/aws/sns")]);
    let create = {
        let (lab, form) = (lab.clone(), form.clone());
        Callback::from(move |_: MouseEvent| {
            let region = lab.identity().region;
            let name = form.get("name").to_owned();
            lab.call(
                region,
                "sns",
                "CreateTopic",
                create_input(&form),
                format!("Created topic {name}"),
            );
        })
    };
    let rows = data.topics.clone().map(|rows| {
        rows.into_iter()
            .map(|t| {
                vec![
                    html! { <Link<Route> to={Route::SnsTopic { name: t.name.clone() }} classes="mono rid">{ t.name.clone() }</Link<Route>> },
                    html! { t.kind() },
                    html! { <span class="mono small break">{ t.arn.clone() }</span> },
                    html! { <span data-testid="topic-encryption">{ topic::enabled(t.encrypted()) }</span> },
                    t.key.clone(),
                ]
            })
            .collect()
    });
    html! {
        <section class="page page-wide" aria-labelledby="page-title">
            { page_header("Topics", &lab) }
            { table("Topics", "topics-table", &["Name", "Type", "ARN", "Encryption", "KMS key"], rows) }
            { create_form(&form, &data.keys, create) }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_sends_the_key_only_when_encryption_is_enabled() {
        let f = Fields::with(&[("name", "orders"), ("key", "alias/aws/sns")]);
        assert_eq!(create_input(&f), json!({ "Name": "orders" }));
        let enc = f
            .with_value("encrypt", "true")
            .with_value("display", "Orders");
        assert_eq!(
            create_input(&enc),
            json!({ "Name": "orders", "Attributes": { "DisplayName": "Orders", "KmsMasterKeyId": "alias/aws/sns" } })
        );
    }
}
