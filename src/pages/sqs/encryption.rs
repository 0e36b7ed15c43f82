//! A queue's encryption, as the console's Encryption section asks for it (shared by Create queue
//! and the Encryption tab's Edit): Server-side encryption Disabled/Enabled, the encryption key
//! type (SSE-SQS or SSE-KMS), the KMS key (`alias/aws/sqs` by default) and the data key reuse
//! period (1 minute to 24 hours, 5 minutes by default); the attributes they send; and the
//! Encryption tab with its Edit dialog (`SetQueueAttributes`).

use std::collections::BTreeMap;

use serde_json::json;
use yew::prelude::*;

use super::queue::use_queue;
use super::{QueueRow, Sse, field};
use crate::components::dialog::Dialog;
use crate::components::form::{Fields, Form, key_picker, number, radio, select};
use crate::hooks::use_lab;

/// The form's starting values for a new queue: SSE-SQS, as SQS does by default.
pub(super) const DEFAULTS: &[(&str, &str)] = &[
    ("sse", "on"),
    ("type", "sqs"),
    ("key", "alias/aws/sqs"),
    ("reuse", "5"),
    ("reuse_unit", "minutes"),
];

/// The form's values for an existing queue's encryption.
pub(super) fn current(q: &QueueRow) -> Fields {
    let sse = q.sse();
    let secs: i64 = q
        .attr("KmsDataKeyReusePeriodSeconds")
        .parse()
        .unwrap_or(cloud::sqs::DEFAULT_REUSE_SECONDS);
    let (reuse, unit) = if secs % 3600 == 0 {
        (secs / 3600, "hours")
    } else {
        (secs / 60, "minutes")
    };
    let key = match q.attr("KmsMasterKeyId") {
        "" => "alias/aws/sqs",
        k => k,
    };
    Fields::with(&[
        ("sse", if sse == Sse::Disabled { "off" } else { "on" }),
        ("type", if sse == Sse::Kms { "kms" } else { "sqs" }),
        ("key", key),
        ("reuse", &reuse.to_string()),
        ("reuse_unit", unit),
    ])
}

/// A reuse period in seconds as the console shows it ("5 minutes", "24 hours").
pub(super) fn period(secs: i64) -> String {
    let (n, unit) = if secs % 3600 == 0 {
        (secs / 3600, "hour")
    } else if secs % 60 == 0 {
        (secs / 60, "minute")
    } else {
        (secs, "second")
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

/// The data key reuse period of the form, in seconds, when it is 1 minute to 24 hours.
pub(super) fn reuse_seconds(f: &Fields) -> Result<i64, String> {
    let per = if f.get("reuse_unit") == "hours" {
        3600
    } else {
        60
    };
    match f.get("reuse").parse::<i64>() {
        Ok(n) if (60..=86_400).contains(&n.saturating_mul(per)) => Ok(n * per),
        _ => Err("The data key reuse period must be between 1 minute and 24 hours.".to_owned()),
    }
}

/// The queue attributes of the form: for `CreateQueue` (`creating`) or `SetQueueAttributes`
/// (which also clears the key when SSE-KMS is turned off).
pub(super) fn sse_attributes(
    f: &Fields,
    creating: bool,
) -> Result<BTreeMap<String, String>, String> {
    let mut a = BTreeMap::new();
    let mut put = |k: &str, v: String| {
        a.insert(k.to_owned(), v);
    };
    match (f.get("sse"), f.get("type")) {
        ("off", _) => {
            put("SqsManagedSseEnabled", "false".into());
            if !creating {
                put("KmsMasterKeyId", String::new());
            }
        }
        (_, "kms") => {
            let key = f
                .opt("key")
                .ok_or_else(|| "Choose a KMS key: an alias, a key id or a key ARN.".to_owned())?;
            put("KmsMasterKeyId", key);
            put(
                "KmsDataKeyReusePeriodSeconds",
                reuse_seconds(f)?.to_string(),
            );
        }
        _ => put("SqsManagedSseEnabled", "true".into()),
    }
    Ok(a)
}

/// The Encryption section's controls.
pub(super) fn section(form: &Form, group: &str, keys: &[(String, String)]) -> Html {
    let units = vec![
        ("minutes".to_owned(), "Minutes".to_owned()),
        ("hours".to_owned(), "Hours".to_owned()),
    ];
    let problem = sse_attributes(form, true).err();
    // The AWS managed key is offered even before it exists (SQS creates it on first use).
    let mut keys = keys.to_vec();
    if !keys.iter().any(|(v, _)| v == "alias/aws/sqs") {
        keys.insert(
            0,
            (
                "alias/aws/sqs".to_owned(),
                "(Default) AWS managed key".to_owned(),
            ),
        );
    }
    html! { <>
        { radio(form, "sse", &format!("{group}-sse"), "Server-side encryption", &[("off", "Disabled"), ("on", "Enabled")]) }
        if form.get("sse") != "off" {
            { radio(form, "type", &format!("{group}-type"), "Encryption key type", &[("sqs", "Amazon SQS key (SSE-SQS)"), ("kms", "AWS Key Management Service key (SSE-KMS)")]) }
            if form.get("type") == "kms" {
                <div class="form-grid">
                    { key_picker(form, "key", "AWS KMS key", &keys) }
                    { number(form, "reuse", "Data key reuse period", 1, 1440) }
                    { select(form, "reuse_unit", "Unit", &units) }
                </div>
                <p class="help">{ "SQS asks KMS for a data key (as the sender, through SQS) and reuses it for this period, so a longer period means fewer GenerateDataKey and Decrypt calls and a smaller KMS bill. alias/aws/sqs is the AWS managed key: its policy cannot be changed, so an SNS topic or EventBridge rule can never deliver to a queue that uses it." }</p>
            }
        }
        if let Some(p) = problem {
            <p class="help field-error" role="alert">{ p }</p>
        }
    </> }
}

#[derive(Properties, PartialEq, Debug)]
pub(super) struct EncryptionTabProps {
    pub name: AttrValue,
}

/// The queue's Encryption tab: what protects it, and Edit.
#[component]
pub(super) fn EncryptionTab(props: &EncryptionTabProps) -> Html {
    let data = use_queue(&props.name);
    let editing = use_state(|| false);
    let Ok(q) = &data.queue else {
        return html! {};
    };
    let sse = q.sse();
    let open = {
        let editing = editing.clone();
        Callback::from(move |_: MouseEvent| editing.set(true))
    };
    let close = {
        let editing = editing.clone();
        Callback::from(move |()| editing.set(false))
    };
    let reuse = q
        .attr("KmsDataKeyReusePeriodSeconds")
        .parse::<i64>()
        .map(period)
        .unwrap_or_else(|_| "-".into());
    html! {
        <div data-testid="queue-encryption-tab">
            <div class="panel-header">
                <h2>{ "Encryption" }</h2>
                <button class="btn btn-small" onclick={open} data-testid="edit-encryption">{ "Edit" }</button>
            </div>
            <div class="fields">
                { field("Server-side encryption", html! { <span data-testid="queue-sse">{ sse.label() }</span> }) }
                if sse == Sse::Kms {
                    { field("AWS KMS key", q.key.clone()) }
                    { field("KMS key ARN", q.key_arn.clone()) }
                    { field("Data key reuse period", html! { reuse }) }
                }
            </div>
            if *editing {
                <EditEncryption name={props.name.clone()} current={current(q)} on_close={close} />
            }
        </div>
    }
}

#[derive(Properties, PartialEq, Debug)]
struct EditProps {
    name: AttrValue,
    current: Fields,
    on_close: Callback<()>,
}

/// Edit → Encryption: `SetQueueAttributes` with the chosen encryption.
#[component]
fn EditEncryption(props: &EditProps) -> Html {
    let lab = use_lab();
    let data = use_queue(&props.name);
    let form: Form = {
        let current = props.current.clone();
        use_state(move || current)
    };
    let attributes = sse_attributes(&form, false);
    let save = {
        let (lab, name, close) = (lab.clone(), props.name.to_string(), props.on_close.clone());
        let attributes = attributes.clone();
        Callback::from(move |_: MouseEvent| {
            let Ok(attributes) = &attributes else {
                return;
            };
            let region = lab.identity().region;
            let url = super::queue_url(&lab, &name);
            lab.call(
                region,
                "sqs",
                "SetQueueAttributes",
                json!({ "QueueUrl": url, "Attributes": attributes }),
                format!("Updated the encryption of queue {name}"),
            );
            close.emit(());
        })
    };
    let footer = html! { <>
        <button type="button" class="btn btn-small" onclick={props.on_close.reform(|_: MouseEvent| ())}>{ "Cancel" }</button>
        <button type="button" class="btn btn-primary btn-small" disabled={attributes.is_err()} onclick={save} data-testid="encryption-save">{ "Save" }</button>
    </> };
    html! {
        <Dialog title="Edit encryption" on_close={props.on_close.clone()} testid="edit-encryption-dialog" {footer}>
            <p class="mono small break">{ props.name.clone() }</p>
            { section(&form, "edit", &data.keys) }
            <p class="help">{ "Messages already in the queue keep the encryption they were sent with; new messages use the new settings." }</p>
        </Dialog>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_encryption_section_sends_what_the_console_sends() {
        let kms = Fields::with(DEFAULTS)
            .with_value("type", "kms")
            .with_value("key", "alias/orders");
        let a = sse_attributes(&kms, true).unwrap();
        assert_eq!(
            a.get("KmsMasterKeyId").map(String::as_str),
            Some("alias/orders")
        );
        assert_eq!(
            a.get("KmsDataKeyReusePeriodSeconds").map(String::as_str),
            Some("300")
        );
        let day = kms
            .with_value("reuse", "24")
            .with_value("reuse_unit", "hours");
        assert_eq!(
            sse_attributes(&day, true).unwrap()["KmsDataKeyReusePeriodSeconds"],
            "86400"
        );
        assert!(
            sse_attributes(
                &kms.with_value("reuse", "25")
                    .with_value("reuse_unit", "hours"),
                true
            )
            .is_err()
        );
        assert!(sse_attributes(&kms.with_value("reuse", "0"), true).is_err());
        assert!(sse_attributes(&kms.with_value("key", ""), true).is_err());
        assert_eq!(period(300), "5 minutes");
        assert_eq!(period(3600), "1 hour");
        assert_eq!(period(86_400), "24 hours");
        assert_eq!(period(90), "90 seconds");
        let sqs = Fields::with(DEFAULTS);
        assert_eq!(
            json!(sse_attributes(&sqs, true).unwrap()),
            json!({ "SqsManagedSseEnabled": "true" })
        );
        let off = sqs.with_value("sse", "off");
        assert_eq!(
            json!(sse_attributes(&off, false).unwrap()),
            json!({ "SqsManagedSseEnabled": "false", "KmsMasterKeyId": "" })
        );
    }
}
