//! EC2 → Snapshots: the Region's snapshots (own and shared with the account), and the actions
//! on one: copy (to a Region, with encryption and a key), create a volume from it (re-encrypted
//! under another key if chosen), and its permissions (accounts, public) with AWS's rules for
//! encrypted snapshots, which EC2 enforces and this page shows as EC2 answers them.

use serde_json::{Value, json};
use yew::prelude::*;

use super::use_ec2;
use crate::components::form::{Fields, check, choices, key_picker, select, text, use_form};
use crate::components::resources::{region_choices, row_select, str_cell, table, yes_no};
use crate::hooks::use_lab;

/// `CopySnapshot`, sent to the destination Region.
pub(super) fn copy_input(id: &str, source_region: &str, f: &Fields) -> Value {
    let mut v = json!({ "SourceSnapshotId": id, "SourceRegion": source_region });
    if f.on("encrypted") {
        v["Encrypted"] = json!(true);
    }
    if let Some(k) = f.opt("key") {
        v["KmsKeyId"] = json!(k);
    }
    if let Some(d) = f.opt("description") {
        v["Description"] = json!(d);
    }
    v
}

/// `CreateVolume` from the snapshot.
pub(super) fn volume_input(id: &str, region: &str, f: &Fields) -> Value {
    let mut v = super::volumes::create_volume_input(f, region);
    v["SnapshotId"] = json!(id);
    v
}

/// A snapshot's state as the console shows it: `pending (40%)`, `completed`.
fn state_cell(s: &cloud::ec2::model::SnapshotDescription) -> String {
    if s.state == "pending" && !s.progress.is_empty() {
        format!("{} ({})", s.state, s.progress)
    } else {
        s.state.clone()
    }
}

/// The account ids typed in a field (commas, spaces or new lines between them).
pub(crate) fn account_ids(text: &str) -> Vec<String> {
    text.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// `ModifySnapshotAttribute` adding or removing accounts, or (`public`) the group `all`.
pub(super) fn permission_input(id: &str, add: bool, accounts: &[String], public: bool) -> Value {
    let entries: Vec<Value> = if public {
        vec![json!({ "Group": "all" })]
    } else {
        accounts.iter().map(|a| json!({ "UserId": a })).collect()
    };
    let op = if add { "Add" } else { "Remove" };
    json!({
        "SnapshotId": id,
        "Attribute": "createVolumePermission",
        "CreateVolumePermission": { op: entries },
    })
}

#[component]
pub(super) fn Snapshots() -> Html {
    let lab = use_lab();
    let data = use_ec2();
    let region = lab.identity().region;
    let selected = use_state(|| None::<String>);
    let copy = use_form(&[]);
    let volume = use_form(&[]);
    let share = use_form(&[]);

    let rows = data.snapshots.clone().map(|rows| {
        rows.into_iter()
            .map(|r| {
                let s = r.snapshot;
                let shared = if r.own {
                    if r.shared_with.is_empty() {
                        "Private".to_owned()
                    } else {
                        r.shared_with.join(", ")
                    }
                } else {
                    format!("shared by {}", s.owner_id)
                };
                vec![
                    row_select("snapshot", &s.snapshot_id, &selected),
                    html! { <span class="mono rid">{ s.snapshot_id.clone() }</span> },
                    html! { s.volume_id.clone() },
                    html! { s.volume_size.to_string() },
                    html! { state_cell(&s) },
                    yes_no(s.encrypted),
                    r.key,
                    str_cell(Some(s.description.as_str())),
                    html! { shared },
                ]
            })
            .collect()
    });
    let chosen = (*selected).clone().and_then(|id| {
        data.snapshots
            .iter()
            .flatten()
            .find(|r| r.snapshot.snapshot_id == id)
            .cloned()
    });
    let azs = choices(&["a", "b", "c"].map(|z| format!("{region}{z}")));

    let actions = chosen.map(|r| {
        let id = r.snapshot.snapshot_id.clone();
        // EC2 refuses to copy a snapshot or create a volume from it while it is pending
        // (IncorrectState): the buttons wait for it, and say why.
        let pending = r.snapshot.state == "pending";
        let do_copy = {
            let (lab, copy, region, id) = (lab.clone(), copy.clone(), region.clone(), id.clone());
            Callback::from(move |_: MouseEvent| {
                let to = copy.opt("region").unwrap_or_else(|| region.clone());
                lab.call(to.clone(), "ec2", "CopySnapshot", copy_input(&id, &region, &copy), format!("Copied {id} to {to}"));
            })
        };
        let do_volume = {
            let (lab, volume, region, id) = (lab.clone(), volume.clone(), region.clone(), id.clone());
            Callback::from(move |_: MouseEvent| {
                lab.call(region.clone(), "ec2", "CreateVolume", volume_input(&id, &region, &volume), format!("Created a volume from {id}"));
            })
        };
        let modify = |add: bool, public: bool| {
            let (lab, share, region, id) = (lab.clone(), share.clone(), region.clone(), id.clone());
            Callback::from(move |_: MouseEvent| {
                let accounts = account_ids(share.get("accounts"));
                let what = if public { "everyone (public)".to_owned() } else { accounts.join(", ") };
                let verb = if add { "Shared" } else { "Stopped sharing" };
                lab.call(region.clone(), "ec2", "ModifySnapshotAttribute", permission_input(&id, add, &accounts, public), format!("{verb} {id} with {what}"));
            })
        };
        html! {
            <div class="panel" data-testid="snapshot-actions">
                <div class="panel-header"><h2>{ format!("Actions: {id}") }</h2></div>
                if pending {
                    <p class="help" data-testid="snapshot-not-ready">{ format!("{id} is {}: EBS copies a snapshot or creates a volume from it once it is completed, a minute or more after it is taken. Advance the clock (the top bar's +1d) or run `aws ec2 wait snapshot-completed --snapshot-ids {id}` in the terminal.", state_cell(&r.snapshot)) }</p>
                }
                <h3 class="sub-heading">{ "Copy snapshot" }</h3>
                <div class="form-grid" data-testid="snapshot-copy-form">
                    { select(&copy, "region", "Destination Region", &region_choices(&region)) }
                    { text(&copy, "description", "Description", "encrypted copy") }
                    { check(&copy, "encrypted", "Encrypt this snapshot") }
                    { key_picker(&copy, "key", "KMS key (a key in the destination Region)", &data.keys) }
                </div>
                <p class="help">{ "A copy of an encrypted snapshot is always encrypted. Copying to another Region, or a snapshot shared by another account, needs a key you can use there." }</p>
                <div class="actions"><button class="btn btn-small" onclick={do_copy} disabled={pending} data-testid="snapshot-copy">{ "Copy snapshot" }</button></div>
                <h3 class="sub-heading">{ "Create volume from snapshot" }</h3>
                <div class="form-grid" data-testid="snapshot-volume-form">
                    { select(&volume, "az", "Availability Zone", &azs) }
                    { check(&volume, "encrypted", "Encrypt this volume") }
                    { key_picker(&volume, "key", "KMS key (re-encrypt under this key)", &data.keys) }
                </div>
                <div class="actions"><button class="btn btn-small" onclick={do_volume} disabled={pending} data-testid="snapshot-volume">{ "Create volume" }</button></div>
                if r.own {
                    <h3 class="sub-heading">{ "Snapshot permissions" }</h3>
                    <p class="help">{ format!("Shared with: {}. Encrypted snapshots cannot be made public, and a snapshot encrypted with aws/ebs cannot be shared: copy it under a customer managed key first and let the other account use that key in its key policy.", if r.shared_with.is_empty() { "nobody (private)".to_owned() } else { r.shared_with.join(", ") }) }</p>
                    <div class="form-grid">{ text(&share, "accounts", "AWS account IDs", "444455556666") }</div>
                    <div class="actions">
                        <button class="btn btn-small" onclick={modify(true, false)} data-testid="snapshot-share">{ "Add accounts" }</button>
                        <button class="btn btn-small" onclick={modify(false, false)} data-testid="snapshot-unshare">{ "Remove accounts" }</button>
                        <button class="btn btn-small btn-danger" onclick={modify(true, true)} data-testid="snapshot-public">{ "Make public" }</button>
                        <button class="btn btn-small" onclick={modify(false, true)} data-testid="snapshot-private">{ "Make private" }</button>
                    </div>
                }
            </div>
        }
    });

    html! { <>
        { table("Snapshots", "snapshots-table", &["", "Snapshot ID", "Volume", "Size (GiB)", "State", "Encrypted", "KMS key", "Description", "Permissions"], rows) }
        { actions.unwrap_or_else(|| html! { <p class="help">{ "Select a snapshot to copy it, create a volume from it or change who may use it. Create snapshots from a volume on the Volumes page." }</p> }) }
    </> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_goes_with_its_source_region_and_key() {
        let f = Fields::with(&[("encrypted", "true"), ("key", "alias/ebs-data")]);
        assert_eq!(
            copy_input("snap-1", "us-east-1", &f),
            json!({ "SourceSnapshotId": "snap-1", "SourceRegion": "us-east-1", "Encrypted": true, "KmsKeyId": "alias/ebs-data" })
        );
    }

    #[test]
    fn accounts_are_split_on_commas_and_spaces() {
        assert_eq!(
            account_ids(" 1111, 2222\n3333 "),
            vec!["1111", "2222", "3333"]
        );
        assert!(account_ids(" , ").is_empty());
    }

    #[test]
    fn ec2_refuses_to_make_an_encrypted_snapshot_public_and_to_share_aws_ebs() {
        let mut world = cloud::World::new(1, 0);
        let ctx = world.context_for_profile(None, None).unwrap();
        let vol = world
            .call(
                &ctx,
                "ec2",
                "CreateVolume",
                json!({ "Size": 8, "AvailabilityZone": "us-east-1a", "Encrypted": true }),
            )
            .unwrap();
        let snap = world
            .call(
                &ctx,
                "ec2",
                "CreateSnapshot",
                json!({ "VolumeId": vol["VolumeId"] }),
            )
            .unwrap();
        let id = snap["SnapshotId"].as_str().unwrap();
        // The snapshot completes (a minute plus a second per GiB) before it is used.
        world.advance_clock(10 * 60_000);
        let public = world
            .call(
                &ctx,
                "ec2",
                "ModifySnapshotAttribute",
                permission_input(id, true, &[], true),
            )
            .unwrap_err();
        assert!(
            public.message.contains("cannot be made public"),
            "{}",
            public.message
        );
        let shared = world
            .call(
                &ctx,
                "ec2",
                "ModifySnapshotAttribute",
                permission_input(id, true, &["444455556666".into()], false),
            )
            .unwrap_err();
        assert!(
            shared.message.contains("AWS Managed CMK"),
            "{}",
            shared.message
        );
        let v = volume_input(id, "us-east-1", &Fields::default());
        assert_eq!(
            world.call(&ctx, "ec2", "CreateVolume", v).unwrap()["Encrypted"],
            json!(true)
        );
    }
}
