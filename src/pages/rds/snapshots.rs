//! RDS → Snapshots: the Region's manual and automated snapshots, with those other accounts share
//! with this one, and the actions on one: copy (same or another Region, with a key), share with
//! accounts (ModifyDBSnapshotAttribute `restore`), restore to a new DB instance, delete.

use serde_json::{Value, json};
use yew::prelude::*;

use super::use_rds;
use crate::components::form::{Fields, choices, key_picker, select, text, use_form};
use crate::components::resources::{region_choices, row_select, table, yes_no};
use crate::hooks::use_lab;
use crate::pages::ec2::account_ids;

/// How a request names the snapshot: its identifier in its own account and Region, its ARN
/// from another Region or account.
fn source_name(id: &str, arn: &str, local: bool) -> String {
    if local { id.to_owned() } else { arn.to_owned() }
}

/// `CopyDBSnapshot`, sent to the destination Region.
pub(super) fn copy_input(source: &str, f: &Fields) -> Value {
    let mut v = json!({
        "SourceDBSnapshotIdentifier": source,
        "TargetDBSnapshotIdentifier": f.get("target"),
    });
    if let Some(k) = f.opt("key") {
        v["KmsKeyId"] = json!(k);
    }
    v
}

/// `ModifyDBSnapshotAttribute` (`restore`) adding or removing accounts.
pub(super) fn share_input(id: &str, add: bool, accounts: &[String]) -> Value {
    let member = if add { "ValuesToAdd" } else { "ValuesToRemove" };
    json!({ "DBSnapshotIdentifier": id, "AttributeName": "restore", member: accounts })
}

#[component]
pub(super) fn Snapshots() -> Html {
    let lab = use_lab();
    let data = use_rds();
    let region = lab.identity().region;
    let selected = use_state(|| None::<String>);
    let copy = use_form(&[]);
    let share = use_form(&[]);
    let restore = use_form(&[("class", "db.t3.micro")]);

    let rows = data.snapshots.clone().map(|rows| {
        rows.into_iter()
            .map(|r| {
                let s = r.snapshot;
                let who = if r.shared_with_me {
                    format!(
                        "shared by {}",
                        s.db_snapshot_arn.split(':').nth(4).unwrap_or_default()
                    )
                } else if r.shared_with.is_empty() {
                    "Private".to_owned()
                } else {
                    r.shared_with.join(", ")
                };
                vec![
                    row_select("db-snapshot", &s.db_snapshot_arn, &selected),
                    html! { <span class="mono rid">{ s.db_snapshot_identifier.clone() }</span> },
                    html! { s.db_instance_identifier.clone() },
                    html! { s.snapshot_type.clone() },
                    html! { s.status.clone() },
                    yes_no(s.encrypted),
                    r.key,
                    html! { who },
                ]
            })
            .collect()
    });
    let chosen = (*selected).clone().and_then(|arn| {
        data.snapshots
            .iter()
            .flatten()
            .find(|r| r.snapshot.db_snapshot_arn == arn)
            .cloned()
    });

    let actions = chosen.map(|r| {
        let id = r.snapshot.db_snapshot_identifier.clone();
        let arn = r.snapshot.db_snapshot_arn.clone();
        let own = !r.shared_with_me;
        // RDS refuses to copy, share or restore a snapshot it is still creating
        // (InvalidDBSnapshotState): the buttons wait for it, and say why.
        let creating = r.snapshot.status != "available";
        let not_ready = creating.then(|| html! {
            <p class="help" data-testid="db-snapshot-not-ready">{ format!("{id} is {} ({}%): RDS copies, shares and restores a snapshot only once it is available, a few minutes after it is taken. Advance the clock (the top bar's +1d) or run `aws rds wait db-snapshot-available --db-snapshot-identifier {id}` in the terminal.", r.snapshot.status, r.snapshot.percent_progress) }</p>
        });
        let do_copy = {
            let (lab, copy, region, id, arn) = (lab.clone(), copy.clone(), region.clone(), id.clone(), arn.clone());
            Callback::from(move |_: MouseEvent| {
                let to = copy.opt("region").unwrap_or_else(|| region.clone());
                let source = source_name(&id, &arn, own && to == region);
                lab.call(to.clone(), "rds", "CopyDBSnapshot", copy_input(&source, &copy),
                    format!("Copied {id} to {} in {to}", copy.get("target")));
            })
        };
        let modify = |add: bool| {
            let (lab, share, region, id) = (lab.clone(), share.clone(), region.clone(), id.clone());
            Callback::from(move |_: MouseEvent| {
                let accounts = account_ids(share.get("accounts"));
                let verb = if add { "Shared" } else { "Stopped sharing" };
                lab.call(region.clone(), "rds", "ModifyDBSnapshotAttribute", share_input(&id, add, &accounts),
                    format!("{verb} {id} with {}", accounts.join(", ")));
            })
        };
        let do_restore = {
            let (lab, restore, region, id, arn) = (lab.clone(), restore.clone(), region.clone(), id.clone(), arn.clone());
            Callback::from(move |_: MouseEvent| {
                let db = restore.get("db").to_owned();
                lab.call(region.clone(), "rds", "RestoreDBInstanceFromDBSnapshot", json!({
                    "DBInstanceIdentifier": db,
                    "DBSnapshotIdentifier": source_name(&id, &arn, own),
                    "DBInstanceClass": restore.get("class"),
                }), format!("Restored {db} from {id}"));
            })
        };
        let delete = {
            let (lab, region, id) = (lab.clone(), region.clone(), id.clone());
            Callback::from(move |_: MouseEvent| {
                lab.call(region.clone(), "rds", "DeleteDBSnapshot", json!({ "DBSnapshotIdentifier": id }), format!("Deleted snapshot {id}"));
            })
        };
        html! {
            <div class="panel" data-testid="db-snapshot-actions">
                <div class="panel-header"><h2>{ format!("Actions: {id}") }</h2></div>
                { not_ready.unwrap_or_default() }
                <h3 class="sub-heading">{ "Copy snapshot" }</h3>
                <div class="form-grid">
                    { text(&copy, "target", "New snapshot identifier", &format!("{id}-copy")) }
                    { select(&copy, "region", "Destination Region", &region_choices(&region)) }
                    { key_picker(&copy, "key", "KMS key", &data.keys) }
                </div>
                <p class="help">{ "The key re-encrypts the copy. It is required for a copy in another Region (a key of that Region) and for a snapshot shared by another account (a key of yours)." }</p>
                <div class="actions"><button class="btn btn-small" onclick={do_copy} disabled={creating} data-testid="db-snapshot-copy">{ "Copy snapshot" }</button></div>
                if own {
                    <h3 class="sub-heading">{ "Share snapshot" }</h3>
                    <p class="help">{ format!("Shared with: {}. A snapshot encrypted with aws/rds cannot be shared: copy it under a customer managed key and let the other account use that key.", if r.shared_with.is_empty() { "nobody (private)".to_owned() } else { r.shared_with.join(", ") }) }</p>
                    <div class="form-grid">{ text(&share, "accounts", "AWS account IDs", "444455556666") }</div>
                    <div class="actions">
                        <button class="btn btn-small" onclick={modify(true)} disabled={creating} data-testid="db-snapshot-share">{ "Add accounts" }</button>
                        <button class="btn btn-small" onclick={modify(false)} disabled={creating} data-testid="db-snapshot-unshare">{ "Remove accounts" }</button>
                    </div>
                }
                <h3 class="sub-heading">{ "Restore snapshot" }</h3>
                <div class="form-grid">
                    { text(&restore, "db", "New DB instance identifier", &format!("{}-restored", r.snapshot.db_instance_identifier)) }
                    { select(&restore, "class", "DB instance class", &choices(&["db.t3.micro", "db.t3.medium", "db.m5.large"])) }
                </div>
                <p class="help">{ "The new database keeps the snapshot's key. To restore under another key, copy the snapshot with that key first." }</p>
                <div class="actions">
                    <button class="btn btn-small" onclick={do_restore} disabled={creating} data-testid="db-snapshot-restore">{ "Restore snapshot" }</button>
                    if own {
                        <button class="btn btn-small btn-danger" onclick={delete} data-testid="db-snapshot-delete">{ "Delete snapshot" }</button>
                    }
                </div>
            </div>
        }
    });

    html! { <>
        { table("Snapshots", "db-snapshots-table", &["", "Snapshot", "DB instance", "Type", "Status", "Encrypted", "KMS key", "Shared with"], rows) }
        { actions.unwrap_or_else(|| html! { <p class="help">{ "Select a snapshot to copy, share, restore or delete it. Take snapshots from a database on the Databases page." }</p> }) }
    </> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shared_or_remote_snapshot_is_named_by_its_arn() {
        assert_eq!(
            source_name("s1", "arn:aws:rds:us-east-1:1:snapshot:s1", true),
            "s1"
        );
        assert_eq!(
            source_name("s1", "arn:aws:rds:us-east-1:1:snapshot:s1", false),
            "arn:aws:rds:us-east-1:1:snapshot:s1"
        );
        let f = Fields::with(&[("target", "s2"), ("key", "alias/share")]);
        assert_eq!(
            copy_input("s1", &f),
            json!({ "SourceDBSnapshotIdentifier": "s1", "TargetDBSnapshotIdentifier": "s2", "KmsKeyId": "alias/share" })
        );
    }

    #[test]
    fn rds_refuses_to_share_an_aws_rds_snapshot() {
        let mut world = cloud::World::new(1, 0);
        let ctx = world.context_for_profile(None, None).unwrap();
        world.call(&ctx, "rds", "CreateDBInstance", json!({ "DBInstanceIdentifier": "db1", "Engine": "postgres", "DBInstanceClass": "db.t3.micro", "StorageEncrypted": true })).unwrap();
        // The instance, then the snapshot, become available before they are used.
        world.advance_clock(15 * 60_000);
        world
            .call(
                &ctx,
                "rds",
                "CreateDBSnapshot",
                json!({ "DBSnapshotIdentifier": "s1", "DBInstanceIdentifier": "db1" }),
            )
            .unwrap();
        world.advance_clock(10 * 60_000);
        let err = world
            .call(
                &ctx,
                "rds",
                "ModifyDBSnapshotAttribute",
                share_input("s1", true, &["444455556666".into()]),
            )
            .unwrap_err();
        assert!(err.message.contains("aws/rds"), "{}", err.message);
        assert_eq!(
            share_input("s1", false, &["1".into()])["ValuesToRemove"],
            json!(["1"])
        );
    }
}
