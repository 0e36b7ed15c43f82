//! A table's on-demand backups: Create backup, the table's backups with the key each one was
//! made under, and Restore (to a new table, under the backup's key or another of the three
//! choices: `SSESpecificationOverride`). Restoring decrypts the backup's table key through KMS
//! as you, so the backup's key must be usable.

use cloud::dynamodb::model as ddb;
use serde_json::{Value, json};
use yew::prelude::*;

use super::encryption::{CHOICES, complete, sse_specification};
use super::use_dynamodb;
use crate::components::form::{Fields, key_picker, radio, text, use_form};
use crate::components::resources::{key_cell, row_select, table};
use crate::hooks::use_lab;
use crate::pages::epoch;
use crate::state::LabState;
use crate::views::{Peek, ViewError};

#[derive(Properties, PartialEq, Debug)]
pub(super) struct BackupsProps {
    pub table: String,
}

/// The table's backups (user and archival), each with its key as a link.
fn read(
    lab: &LabState,
    region: &str,
    table: &str,
) -> Result<Vec<(ddb::BackupSummary, Html)>, ViewError> {
    let mut peek = Peek::new(lab);
    let req = ddb::ListBackupsRequest {
        table_name: Some(table.to_owned()),
        backup_type: Some("ALL".into()),
        ..Default::default()
    };
    let list = peek.client(region)?.dynamodb().list_backups(req)?;
    Ok(list
        .backup_summaries
        .into_iter()
        .map(|b| {
            let req = ddb::BackupArnRequest {
                backup_arn: Some(b.backup_arn.clone()),
            };
            let key = peek
                .client(region)
                .ok()
                .and_then(|c| c.dynamodb().describe_backup(req).ok())
                .and_then(|d| {
                    d.backup_description
                        .source_table_feature_details
                        .sse_description
                })
                .map(|s| s.kms_master_key_arn);
            let key = match key {
                Some(k) => key_cell(&mut peek, lab, region, Some(&k)),
                None => html! { "Owned by Amazon DynamoDB" },
            };
            (b, key)
        })
        .collect())
}

/// `RestoreTableFromBackup` from the form ("keep": the backup's own key).
pub(super) fn restore_input(backup: &str, f: &Fields) -> Value {
    let mut v = json!({ "TargetTableName": f.get("target"), "BackupArn": backup });
    if f.get("enc") != "keep"
        && let Some(sse) = sse_specification(f, true)
    {
        v["SSESpecificationOverride"] = sse;
    }
    v
}

#[component]
pub(super) fn Backups(props: &BackupsProps) -> Html {
    let lab = use_lab();
    let data = use_dynamodb();
    let region = lab.identity().region;
    let list = {
        let (state, table) = ((*lab).clone(), props.table.clone());
        use_memo((lab.revision, region.clone()), move |(_, region)| {
            read(&state, region, &table)
        })
    };
    let selected = use_state(|| None::<String>);
    let form = use_form(&[("enc", "keep")]);
    let create = {
        let (lab, form, table) = (lab.clone(), form.clone(), props.table.clone());
        Callback::from(move |_: MouseEvent| {
            let region = lab.identity().region;
            let name = form
                .opt("name")
                .unwrap_or_else(|| format!("{table}-backup"));
            lab.call(
                region,
                "dynamodb",
                "CreateBackup",
                json!({ "TableName": table, "BackupName": name }),
                format!("Created backup {name} of table {table}"),
            );
        })
    };
    let rows = (*list).clone().map(|rows| {
        rows.into_iter()
            .map(|(b, key)| {
                vec![
                    row_select("backup", &b.backup_arn, &selected),
                    html! { <span class="mono">{ b.backup_name.clone() }</span> },
                    html! { b.backup_type.clone() },
                    html! { b.backup_status.clone() },
                    key,
                    epoch(Some(b.backup_creation_date_time)),
                ]
            })
            .collect()
    });
    let restore = (*selected).clone().map(|arn| {
        let restore = {
            let (lab, form, arn) = (lab.clone(), form.clone(), arn.clone());
            Callback::from(move |_: MouseEvent| {
                let region = lab.identity().region;
                let target = form.get("target").to_owned();
                lab.call(
                    region,
                    "dynamodb",
                    "RestoreTableFromBackup",
                    restore_input(&arn, &form),
                    format!("Restored the backup to table {target}"),
                );
            })
        };
        let mut choices: Vec<(&str, &str)> = vec![("keep", "The backup's key")];
        choices.extend_from_slice(CHOICES);
        html! {
            <div data-testid="restore-backup">
                <h3 class="sub-heading">{ "Restore to a new table" }</h3>
                <p class="mono small break">{ arn }</p>
                <div class="form-grid">
                    { text(&form, "target", "New table name", &format!("{}-restored", props.table)) }
                    { radio(&form, "enc", "restore-enc", "Encryption of the new table", &choices) }
                    if form.get("enc") == "cmk" {
                        { key_picker(&form, "key", "AWS KMS key", &data.keys) }
                    }
                </div>
                <div class="actions">
                    <button class="btn btn-small btn-primary" onclick={restore} disabled={!complete(&form) || form.opt("target").is_none()} data-testid="restore-submit">{ "Restore" }</button>
                </div>
            </div>
        }
    });
    html! {
        <div data-testid="table-backups">
            { table("Backups", "backups-table", &["", "Name", "Type", "Status", "KMS key", "Created"], rows) }
            <div class="panel">
                <div class="panel-header"><h2>{ "Create backup" }</h2></div>
                <p class="help">{ "A backup keeps the items as they are stored, under the table's key; making one needs no KMS call. Restoring opens them with KMS (as you), so the backup's key must be usable, and seals them under the new table's key." }</p>
                <div class="form-grid">{ text(&form, "name", "Backup name", &format!("{}-backup", props.table)) }</div>
                <div class="actions"><button class="btn btn-small" onclick={create} data-testid="create-backup">{ "Create backup" }</button></div>
                { restore.unwrap_or_default() }
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restore_keeps_the_backups_key_unless_told_otherwise() {
        let keep = Fields::with(&[("target", "t2"), ("enc", "keep")]);
        assert_eq!(
            restore_input("arn:b", &keep),
            json!({ "TargetTableName": "t2", "BackupArn": "arn:b" })
        );
        let owned = keep.with_value("enc", "owned");
        assert_eq!(
            restore_input("arn:b", &owned)["SSESpecificationOverride"],
            json!({ "Enabled": false })
        );
    }
}
