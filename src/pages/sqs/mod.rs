//! The Amazon SQS console: Queues (`#/sqs`) with Create queue, and a queue's page
//! (`#/sqs/queues/NAME`) with its details, "Send and receive messages", and the Access policy and
//! Encryption tabs.
//!
//! A queue is encrypted with SSE-SQS (SQS's own keys, the default), with SSE-KMS (a KMS key:
//! `alias/aws/sqs` or a customer managed key, and a data key reuse period of 1 minute to 24
//! hours), or not at all. Reads run on a copy of the world through the typed client; every
//! action is one real SQS call as the current profile, audited in CloudTrail, and a refusal
//! shows AWS's error with its Why? card in the flash.
//!
//! The queue page needs no `ListQueues`: like the console (whose queue route carries the queue
//! URL), it builds the URL from the name, so a consumer role allowed only `GetQueueAttributes`,
//! `ReceiveMessage` and `DeleteMessage` can still open it and poll.

mod confirm;
mod create;
mod encryption;
mod messages;
mod policy;
mod queue;
mod subscriptions;

use std::collections::BTreeMap;

use cloud::sqs::model as sqs;
use yew::prelude::*;
use yew_router::prelude::*;

pub(crate) use confirm::ConfirmByTyping;
pub(crate) use policy::ResourcePolicy;
pub use queue::QueueDetail;

use crate::app::Route;
use crate::components::resources::{key_cell, key_choices, page_header, table};
use crate::hooks::use_lab;
use crate::state::{LabState, format_time};
use crate::views::{Peek, ViewError};

/// How a queue is encrypted at rest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Sse {
    /// SSE-SQS: SQS's own keys.
    Sqs,
    /// SSE-KMS: a KMS key.
    Kms,
    /// No server-side encryption.
    Disabled,
}

impl Sse {
    /// The queue's encryption, from its attributes.
    pub(crate) fn of(attrs: &BTreeMap<String, String>) -> Self {
        if attrs.get("KmsMasterKeyId").is_some_and(|k| !k.is_empty()) {
            Sse::Kms
        } else if attrs
            .get("SqsManagedSseEnabled")
            .is_some_and(|v| v == "true")
        {
            Sse::Sqs
        } else {
            Sse::Disabled
        }
    }

    /// The short name the queue list shows.
    pub(crate) fn short(self) -> &'static str {
        match self {
            Sse::Sqs => "SSE-SQS",
            Sse::Kms => "SSE-KMS",
            Sse::Disabled => "Disabled",
        }
    }

    /// The console's name for the encryption key type.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Sse::Sqs => "Amazon SQS key (SSE-SQS)",
            Sse::Kms => "AWS Key Management Service key (SSE-KMS)",
            Sse::Disabled => "Disabled",
        }
    }
}

/// A queue as the pages show it.
#[derive(Clone, Debug)]
pub(crate) struct QueueRow {
    pub name: String,
    pub url: String,
    pub attributes: BTreeMap<String, String>,
    /// The KMS key as the queue names it, as a link ("-" without SSE-KMS).
    pub key: Html,
    /// The KMS key's ARN as a link, when the key exists ("-" otherwise).
    pub key_arn: Html,
}

impl QueueRow {
    /// An attribute ("" when absent).
    pub(crate) fn attr(&self, name: &str) -> &str {
        self.attributes.get(name).map_or("", String::as_str)
    }

    pub(crate) fn sse(&self) -> Sse {
        Sse::of(&self.attributes)
    }

    /// "Standard" or "FIFO".
    pub(crate) fn kind(&self) -> &'static str {
        if self.attr("FifoQueue") == "true" {
            "FIFO"
        } else {
            "Standard"
        }
    }
}

/// The URL of queue `name` of the current account and Region (as SQS builds it).
pub(crate) fn queue_url(lab: &LabState, name: &str) -> String {
    let id = lab.identity();
    format!(
        "https://sqs.{}.amazonaws.com/{}/{name}",
        id.region, id.account
    )
}

/// A queue's attributes (`All`), with its key as links.
pub(crate) fn read_queue(
    peek: &mut Peek,
    lab: &LabState,
    region: &str,
    url: &str,
) -> Result<QueueRow, ViewError> {
    let attributes = peek
        .client(region)?
        .sqs()
        .get_queue_attributes(sqs::GetQueueAttributesRequest {
            queue_url: Some(url.to_owned()),
            attribute_names: Some(vec!["All".to_owned()]),
        })?
        .attributes
        .unwrap_or_default();
    let named = attributes.get("KmsMasterKeyId").cloned();
    let key = key_cell(peek, lab, region, named.as_deref());
    let key_arn = match named.as_deref() {
        Some(k) if !k.is_empty() => match peek.kms_describe_key(region, k) {
            Ok(m) => key_cell(peek, lab, region, Some(&m.arn)),
            Err(_) => html! { "-" },
        },
        _ => html! { "-" },
    };
    Ok(QueueRow {
        name: url.rsplit('/').next().unwrap_or_default().to_owned(),
        url: url.to_owned(),
        attributes,
        key,
        key_arn,
    })
}

#[derive(Debug)]
pub(crate) struct SqsData {
    pub queues: Result<Vec<QueueRow>, ViewError>,
    pub keys: Vec<(String, String)>,
}

fn read(lab: &LabState, region: &str) -> SqsData {
    let mut peek = Peek::new(lab);
    let urls = peek.all_pages(region, |c, next_token| {
        let page = c.sqs().list_queues(sqs::ListQueuesRequest {
            next_token,
            max_results: Some(1000),
            ..Default::default()
        })?;
        Ok((page.queue_urls.unwrap_or_default(), page.next_token))
    });
    let queues = urls.map(|urls| {
        urls.iter()
            .filter_map(|url| read_queue(&mut peek, lab, region, url).ok())
            .collect()
    });
    SqsData {
        queues,
        keys: key_choices(&mut peek, region),
    }
}

/// The SQS data of the current Region, read once per revision.
#[hook]
pub(crate) fn use_sqs() -> std::rc::Rc<SqsData> {
    let lab = use_lab();
    let region = lab.identity().region;
    let state = (*lab).clone();
    use_memo((lab.revision, region), move |(_, region)| {
        read(&state, region)
    })
}

/// One label and value of a details panel.
pub(crate) fn field(label: &str, value: Html) -> Html {
    html! {
        <div class="field"><div class="field-label">{ label.to_owned() }</div><div class="field-value">{ value }</div></div>
    }
}

/// An epoch-seconds attribute as a date ("-" when absent).
pub(crate) fn seconds_attr(v: &str) -> Html {
    v.parse::<i64>().map_or_else(
        |_| html! { "-" },
        |s| html! { format_time(s.saturating_mul(1000)) },
    )
}

/// SQS → Queues: every queue with its type, counts and encryption, then Create queue.
#[component]
pub fn Sqs() -> Html {
    let lab = use_lab();
    let data = use_sqs();
    let rows = data.queues.clone().map(|rows| {
        rows.into_iter()
            .map(|q| {
                vec![
                    html! { <Link<Route> to={Route::SqsQueue { name: q.name.clone() }} classes="mono rid">{ q.name.clone() }</Link<Route>> },
                    html! { q.kind() },
                    seconds_attr(q.attr("CreatedTimestamp")),
                    html! { q.attr("ApproximateNumberOfMessages").to_owned() },
                    html! { q.attr("ApproximateNumberOfMessagesNotVisible").to_owned() },
                    html! { <span data-testid="queue-encryption">{ q.sse().short() }</span> },
                    q.key.clone(),
                ]
            })
            .collect()
    });
    html! {
        <section class="page page-wide" aria-labelledby="page-title">
            { page_header("Queues", &lab) }
            { table("Queues", "queues-table", &["Name", "Type", "Created", "Messages available", "Messages in flight", "Encryption", "KMS key"], rows) }
            <create::CreateQueue />
        </section>
    }
}
