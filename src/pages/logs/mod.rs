//! The CloudWatch Logs console (`#/logs`, Log groups): every log group with its KMS key ARN,
//! Create log group (with an optional KMS key), and on a selected group the actions "Associate
//! KMS key" and "Disassociate KMS key", then its log streams and events (`streams`).
//!
//! Logs uses the key as its own Regional service principal (`logs.REGION.amazonaws.com`), not as
//! you: the key policy must allow that principal, or Logs refuses with AccessDeniedException.
//! Reads run on a copy of the world; actions are real Logs calls, audited.

mod streams;

use cloud::logs::model as logs;
use serde_json::{Value, json};
use yew::prelude::*;

use crate::components::form::{Fields, key_picker, select, text, use_form};
use crate::components::resources::{key_cell, key_choices, page_header, row_select, table};
use crate::hooks::use_lab;
use crate::state::{LabState, format_time};
use crate::views::{Peek, ViewError};

#[derive(Clone, Debug)]
struct GroupRow {
    group: logs::LogGroup,
    key: Html,
}

#[derive(Debug)]
struct LogsData {
    groups: Result<Vec<GroupRow>, ViewError>,
    /// Key ARNs only: Logs takes no alias.
    keys: Vec<(String, String)>,
}

fn read(lab: &LabState, region: &str) -> LogsData {
    let mut peek = Peek::new(lab);
    let listed = peek.all_pages(region, |c, next_token| {
        let page = c
            .logs()
            .describe_log_groups(logs::DescribeLogGroupsRequest {
                next_token,
                ..Default::default()
            })?;
        Ok((page.log_groups, page.next_token))
    });
    let groups = listed.map(|list| {
        list.into_iter()
            .map(|group| GroupRow {
                key: key_cell(&mut peek, lab, region, group.kms_key_id.as_deref()),
                group,
            })
            .collect()
    });
    let keys = key_choices(&mut peek, region)
        .into_iter()
        .filter(|(v, _)| v.starts_with("arn:"))
        .collect();
    LogsData { groups, keys }
}

/// `CreateLogGroup` from the form.
pub(crate) fn create_input(f: &Fields) -> Value {
    let mut v = json!({ "logGroupName": f.get("name") });
    if let Some(k) = f.opt("key") {
        v["kmsKeyId"] = json!(k);
    }
    if f.get("class") != "STANDARD" {
        v["logGroupClass"] = json!(f.get("class"));
    }
    v
}

/// The key policy statement Logs needs, for the help text.
const POLICY_HINT: &str = r#"{
  "Effect": "Allow",
  "Principal": { "Service": "logs.REGION.amazonaws.com" },
  "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
  "Resource": "*",
  "Condition": { "ArnLike": { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:REGION:ACCOUNT:log-group:*" } }
}"#;

#[component]
pub fn Logs() -> Html {
    let lab = use_lab();
    let region = lab.identity().region;
    let data = {
        let state = (*lab).clone();
        use_memo((lab.revision, region.clone()), move |(_, region)| {
            read(&state, region)
        })
    };
    let selected = use_state(|| None::<String>);
    let form = use_form(&[("class", "STANDARD")]);
    let action = use_form(&[]);
    let rows = data.groups.clone().map(|rows| {
        rows.into_iter()
            .map(|r| {
                let g = r.group;
                vec![
                    row_select("log-group", &g.log_group_name, &selected),
                    html! { <span class="mono">{ g.log_group_name.clone() }</span> },
                    r.key,
                    html! { g.log_group_class.clone() },
                    html! { format!("{} bytes", g.stored_bytes) },
                    html! { format_time(g.creation_time) },
                ]
            })
            .collect()
    });
    let create = {
        let (lab, form) = (lab.clone(), form.clone());
        Callback::from(move |_: MouseEvent| {
            let region = lab.identity().region;
            let name = form.get("name").to_owned();
            lab.call(
                region,
                "logs",
                "CreateLogGroup",
                create_input(&form),
                format!("Created log group {name}"),
            );
        })
    };
    let group_call = |operation: &'static str, with_key: bool, summary: &'static str| {
        let (lab, action, selected) = (lab.clone(), action.clone(), selected.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(group) = (*selected).clone() else {
                return;
            };
            let region = lab.identity().region;
            let mut input = json!({ "logGroupName": group });
            if with_key {
                input["kmsKeyId"] = json!(action.get("key"));
            }
            lab.call(
                region,
                "logs",
                operation,
                input,
                format!("{summary} {group}"),
            );
        })
    };
    let classes = vec![
        ("STANDARD".to_owned(), "Standard".to_owned()),
        (
            "INFREQUENT_ACCESS".to_owned(),
            "Infrequent Access".to_owned(),
        ),
    ];
    let actions = (*selected).clone().map(|group| {
        let has_key = data
            .groups
            .as_ref()
            .ok()
            .and_then(|g| g.iter().find(|r| r.group.log_group_name == group))
            .is_some_and(|r| r.group.kms_key_id.is_some());
        html! { <>
            <div class="panel" data-testid="log-group-actions">
                <div class="panel-header"><h2>{ format!("Log group: {group}") }</h2></div>
                <h3 class="sub-heading">{ "KMS key" }</h3>
                <div class="form-grid">{ key_picker(&action, "key", "KMS key ARN", &data.keys) }</div>
                <p class="help">{ "Associating takes effect for events ingested within about five minutes; events already stored keep the encryption they had. Disassociating leaves older events encrypted under the key: Logs still needs the key to read them." }</p>
                <div class="actions">
                    <button class="btn btn-small btn-primary" onclick={group_call("AssociateKmsKey", true, "Associated the KMS key with")} disabled={action.opt("key").is_none()} data-testid="associate-key">{ "Associate KMS key" }</button>
                    <button class="btn btn-small" onclick={group_call("DisassociateKmsKey", false, "Disassociated the KMS key from")} disabled={!has_key} data-testid="disassociate-key">{ "Disassociate KMS key" }</button>
                    <button class="btn btn-small btn-danger" onclick={group_call("DeleteLogGroup", false, "Deleted log group")} data-testid="delete-log-group">{ "Delete log group" }</button>
                </div>
            </div>
            <streams::Streams group={group.clone()} />
        </> }
    });
    html! {
        <section class="page page-wide" aria-labelledby="page-title">
            { page_header("Log groups", &lab) }
            { table("Log groups", "log-groups-table", &["", "Log group", "KMS key ARN", "Log class", "Stored", "Created"], rows) }
            { actions.unwrap_or_default() }
            <div class="panel" data-testid="create-log-group">
                <div class="panel-header"><h2>{ "Create log group" }</h2></div>
                <div class="form-grid">
                    { text(&form, "name", "Log group name", "/app/orders") }
                    { select(&form, "class", "Log class", &classes) }
                    { key_picker(&form, "key", "KMS key ARN (optional)", &data.keys) }
                </div>
                <p class="help">{ "With a KMS key, CloudWatch Logs encrypts the group's events as its own service principal, logs.REGION.amazonaws.com: your permissions to use the key do not count, the key policy must allow that principal, for example:" }</p>
                <pre class="code small">{ POLICY_HINT }</pre>
                <div class="actions"><button class="btn btn-primary" onclick={create} data-testid="create-log-group-submit">{ "Create log group" }</button></div>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_sends_the_key_and_a_non_default_class() {
        let f = Fields::with(&[("name", "/app"), ("class", "STANDARD"), ("key", "arn:k")]);
        assert_eq!(
            create_input(&f),
            json!({ "logGroupName": "/app", "kmsKeyId": "arn:k" })
        );
        let ia = f
            .with_value("class", "INFREQUENT_ACCESS")
            .with_value("key", "");
        assert_eq!(
            create_input(&ia),
            json!({ "logGroupName": "/app", "logGroupClass": "INFREQUENT_ACCESS" })
        );
    }
}
