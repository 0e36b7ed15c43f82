//! The EFS console (`#/efs`): file systems with their encryption first (Encrypted, KMS key),
//! Create file system with "Enable encryption of data at rest" and the key, and a file
//! system's encryption, which has no edit: EFS chooses encryption at creation only, and no API
//! changes it. Reads run on a copy of the world; actions are real EFS calls, audited.

use cloud::efs::model as efs;
use serde_json::{Value, json};
use yew::prelude::*;

use crate::components::form::{Fields, check, key_picker, radio, select, text, use_form};
use crate::components::resources::{key_cell, key_choices, page_header, row_select, table, yes_no};
use crate::hooks::use_lab;
use crate::pages::epoch;
use crate::state::LabState;
use crate::views::{Peek, ViewError};

#[derive(Clone, Debug)]
struct FsRow {
    fs: efs::FileSystemDescription,
    key: Html,
}

#[derive(Debug)]
struct EfsData {
    file_systems: Result<Vec<FsRow>, ViewError>,
    keys: Vec<(String, String)>,
}

fn read(lab: &LabState, region: &str) -> EfsData {
    let mut peek = Peek::new(lab);
    let listed = peek.all_pages(region, |c, marker| {
        let page = c
            .efs()
            .describe_file_systems(efs::DescribeFileSystemsRequest {
                marker,
                ..Default::default()
            })?;
        Ok((page.file_systems, page.next_marker))
    });
    let file_systems = listed.map(|list| {
        list.into_iter()
            .map(|fs| FsRow {
                key: key_cell(&mut peek, lab, region, fs.kms_key_id.as_deref()),
                fs,
            })
            .collect()
    });
    EfsData {
        file_systems,
        keys: key_choices(&mut peek, region),
    }
}

/// `CreateFileSystem` from the form; `token` makes the request idempotent, as the console's is.
pub(crate) fn create_input(f: &Fields, token: &str) -> Value {
    let mut v = json!({
        "CreationToken": token,
        "PerformanceMode": f.get("performance"),
        "ThroughputMode": f.get("throughput"),
        "Encrypted": f.on("encrypted"),
    });
    if let Some(name) = f.opt("name") {
        v["Tags"] = json!([{ "Key": "Name", "Value": name }]);
    }
    if f.on("encrypted")
        && f.get("key_choice") == "cmk"
        && let Some(k) = f.opt("key")
    {
        v["KmsKeyId"] = json!(k);
    }
    v
}

/// A file system's encryption, and why it cannot be changed.
fn encryption_panel(row: &FsRow, delete: Callback<MouseEvent>) -> Html {
    let fs = &row.fs;
    html! {
        <div class="panel" data-testid="fs-encryption">
            <div class="panel-header"><h2>{ format!("Encryption: {}", fs.name.clone().unwrap_or_else(|| fs.file_system_id.clone())) }</h2></div>
            <div class="fields">
                <div class="field"><div class="field-label">{ "Encrypted at rest" }</div><div class="field-value">{ yes_no(fs.encrypted) }</div></div>
                <div class="field"><div class="field-label">{ "KMS key" }</div><div class="field-value">{ row.key.clone() }</div></div>
                <div class="field"><div class="field-label">{ "File system ID" }</div><div class="field-value mono small">{ fs.file_system_id.clone() }</div></div>
                <div class="field"><div class="field-label">{ "Created" }</div><div class="field-value small">{ epoch(Some(fs.creation_time)) }</div></div>
            </div>
            <div class="alert alert-info" role="note" data-testid="fs-no-edit">
                <strong>{ "Encryption at rest cannot be changed." }</strong>
                { " EFS sets it when the file system is created: the console has no edit for it and no EFS API changes it, neither on nor off, nor the key. To encrypt an existing file system's data, or move it to another key, create a new encrypted file system and copy the data across (AWS DataSync, or an AWS Backup restore to a new file system)." }
            </div>
            if fs.encrypted {
                <p class="help">{ "EFS uses the key through grants it creates when the file system is created: disabling the key or revoking them makes the data unreadable to clients." }</p>
            }
            <div class="actions">
                <button class="btn btn-small btn-danger" onclick={delete} data-testid="fs-delete">{ "Delete file system" }</button>
            </div>
        </div>
    }
}

#[component]
pub fn Efs() -> Html {
    let lab = use_lab();
    let region = lab.identity().region;
    let data = {
        let state = (*lab).clone();
        use_memo((lab.revision, region.clone()), move |(_, region)| {
            read(&state, region)
        })
    };
    let selected = use_state(|| None::<String>);
    let form = use_form(&[
        ("encrypted", "true"),
        ("key_choice", "managed"),
        ("performance", "generalPurpose"),
        ("throughput", "elastic"),
    ]);
    let rows = data.file_systems.clone().map(|rows| {
        rows.into_iter()
            .map(|r| {
                let fs = r.fs;
                vec![
                    row_select("file-system", &fs.file_system_id, &selected),
                    html! { fs.name.clone().unwrap_or_else(|| "-".into()) },
                    html! { <span class="mono rid">{ fs.file_system_id.clone() }</span> },
                    yes_no(fs.encrypted),
                    r.key,
                    html! { fs.life_cycle_state.clone() },
                    html! { fs.performance_mode.clone() },
                    html! { fs.throughput_mode.clone() },
                ]
            })
            .collect()
    });
    let chosen = data.file_systems.as_ref().ok().and_then(|rows| {
        rows.iter()
            .find(|r| Some(&r.fs.file_system_id) == selected.as_ref())
            .cloned()
    });
    let create = {
        let (lab, form) = (lab.clone(), form.clone());
        Callback::from(move |_: MouseEvent| {
            let region = lab.identity().region;
            let token = format!("console-{}", crate::storage::now_ms());
            let name = form.opt("name").unwrap_or_else(|| "a file system".into());
            lab.call(
                region,
                "efs",
                "CreateFileSystem",
                create_input(&form, &token),
                format!("Created {name}"),
            );
        })
    };
    let delete = chosen.as_ref().map(|r| {
        let (lab, id) = (lab.clone(), r.fs.file_system_id.clone());
        Callback::from(move |_: MouseEvent| {
            let region = lab.identity().region;
            lab.call(
                region,
                "efs",
                "DeleteFileSystem",
                json!({ "FileSystemId": id }),
                format!("Deleted file system {id}"),
            );
        })
    });
    let needs_key =
        form.on("encrypted") && form.get("key_choice") == "cmk" && form.opt("key").is_none();
    let performance = vec![
        ("generalPurpose".to_owned(), "General Purpose".to_owned()),
        ("maxIO".to_owned(), "Max I/O".to_owned()),
    ];
    let throughput = vec![
        ("elastic".to_owned(), "Elastic".to_owned()),
        ("bursting".to_owned(), "Bursting".to_owned()),
    ];
    html! {
        <section class="page page-wide" aria-labelledby="page-title">
            { page_header("EFS file systems", &lab) }
            { table("File systems", "file-systems-table", &["", "Name", "File system ID", "Encrypted", "KMS key", "State", "Performance", "Throughput"], rows) }
            if let Some(row) = &chosen {
                { encryption_panel(row, delete.clone().unwrap_or_default()) }
            }
            <div class="panel" data-testid="create-file-system">
                <div class="panel-header"><h2>{ "Create file system" }</h2></div>
                <h3 class="sub-heading">{ "Encryption" }</h3>
                <div class="form-grid">
                    { check(&form, "encrypted", "Enable encryption of data at rest") }
                    if form.on("encrypted") {
                        { radio(&form, "key_choice", "efs-key", "KMS key", &[("managed", "AWS managed key for Amazon EFS (aws/elasticfilesystem)"), ("cmk", "Customer managed key")]) }
                        if form.get("key_choice") == "cmk" {
                            { key_picker(&form, "key", "AWS KMS key", &data.keys) }
                        }
                    }
                </div>
                if needs_key {
                    <p class="help field-error">{ "Choose a KMS key: an alias, a key id or a key ARN." }</p>
                }
                <p class="help">{ "Decide now: encryption at rest is set at creation and can never be changed. The console ticks it for you; through the API or the CLI a file system is not encrypted unless you ask (--encrypted)." }</p>
                <h3 class="sub-heading">{ "General" }</h3>
                <div class="form-grid">
                    { text(&form, "name", "Name (optional)", "shared-files") }
                    { select(&form, "performance", "Performance mode", &performance) }
                    { select(&form, "throughput", "Throughput mode", &throughput) }
                </div>
                <div class="actions"><button class="btn btn-primary" onclick={create} disabled={needs_key} data-testid="create-file-system-submit">{ "Create file system" }</button></div>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_sends_encryption_and_the_key_only_when_chosen() {
        let f = Fields::with(&[
            ("name", "shared"),
            ("encrypted", "true"),
            ("key_choice", "cmk"),
            ("key", "alias/files"),
            ("performance", "generalPurpose"),
            ("throughput", "elastic"),
        ]);
        let v = create_input(&f, "t1");
        assert_eq!(v["Encrypted"], json!(true));
        assert_eq!(v["KmsKeyId"], "alias/files");
        assert_eq!(v["Tags"][0]["Value"], "shared");
        let managed = create_input(&f.with_value("key_choice", "managed"), "t2");
        assert!(managed.get("KmsKeyId").is_none(), "aws/elasticfilesystem");
        let plain = create_input(&f.with_value("encrypted", ""), "t3");
        assert_eq!(plain["Encrypted"], json!(false));
        assert!(plain.get("KmsKeyId").is_none());
    }
}
