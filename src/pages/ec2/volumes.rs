//! EC2 → Volumes: the Region's volumes, Create volume (type, size, Availability Zone, from a
//! snapshot, encrypted, key) and the actions on one volume (create a snapshot, attach, detach,
//! delete), each a real EC2 call.

use serde_json::{Value, json};
use yew::prelude::*;

use super::use_ec2;
use crate::components::dialog::Dialog;
use crate::components::form::{Fields, check, choices, key_picker, number, select, text, use_form};
use crate::components::resources::{row_select, str_cell, table, yes_no};
use crate::hooks::use_lab;

/// `CreateVolume` from the form (members the learner left empty are left out, so EC2 applies
/// its own defaults and rules: encryption by default, the snapshot's size and key).
pub(super) fn create_volume_input(f: &Fields, region: &str) -> Value {
    let mut v = json!({
        "AvailabilityZone": f.opt("az").unwrap_or_else(|| format!("{region}a")),
        "VolumeType": f.opt("type").unwrap_or_else(|| "gp3".into()),
    });
    if let Some(size) = f.opt("size") {
        v["Size"] = size.parse::<u64>().map_or(json!(size), |n| json!(n));
    }
    if let Some(s) = f.opt("snapshot") {
        v["SnapshotId"] = json!(s);
    }
    if f.on("encrypted") {
        v["Encrypted"] = json!(true);
    }
    if let Some(k) = f.opt("key") {
        v["KmsKeyId"] = json!(k);
    }
    v
}

#[component]
pub(super) fn Volumes() -> Html {
    let lab = use_lab();
    let data = use_ec2();
    let region = lab.identity().region;
    let selected = use_state(|| None::<String>);
    let form = use_form(&[("type", "gp3"), ("size", "8")]);
    let action = use_form(&[("device", "/dev/sdf")]);
    let confirm_detach = use_state(|| false);

    let rows = data.volumes.clone().map(|rows| {
        rows.into_iter()
            .map(|r| {
                let v = r.volume;
                let attached = v
                    .attachments
                    .iter()
                    .flatten()
                    .map(|a| format!("{} ({})", a.instance_id, a.device))
                    .collect::<Vec<_>>()
                    .join(", ");
                vec![
                    row_select("volume", &v.volume_id, &selected),
                    html! { <span class="mono rid">{ v.volume_id.clone() }</span> },
                    html! { v.volume_type },
                    html! { v.size.to_string() },
                    html! { v.state },
                    yes_no(v.encrypted),
                    r.key,
                    str_cell(Some(v.snapshot_id.as_str())),
                    str_cell(Some(attached.as_str())),
                    html! { v.availability_zone },
                ]
            })
            .collect()
    });
    let snapshots: Vec<(String, String)> =
        std::iter::once((String::new(), "None (empty volume)".to_owned()))
            .chain(data.snapshots.iter().flatten().map(|s| {
                let enc = if s.snapshot.encrypted {
                    "encrypted"
                } else {
                    "not encrypted"
                };
                (
                    s.snapshot.snapshot_id.clone(),
                    format!("{} ({enc})", s.snapshot.snapshot_id),
                )
            }))
            .collect();
    let azs = choices(&["a", "b", "c"].map(|z| format!("{region}{z}")));
    let by_default = data.by_default.clone().unwrap_or(false);

    let create = {
        let (lab, form, region) = (lab.clone(), form.clone(), region.clone());
        Callback::from(move |_: MouseEvent| {
            let input = create_volume_input(&form, &region);
            lab.call(
                region.clone(),
                "ec2",
                "CreateVolume",
                input,
                "Created a volume".to_owned(),
            );
        })
    };
    let call =
        |operation: &'static str, build: fn(&str, &Fields) -> Value, summary: &'static str| {
            let (lab, selected, action, region) = (
                lab.clone(),
                selected.clone(),
                action.clone(),
                region.clone(),
            );
            Callback::from(move |_: MouseEvent| {
                if let Some(id) = (*selected).clone() {
                    lab.call(
                        region.clone(),
                        "ec2",
                        operation,
                        build(&id, &action),
                        format!("{summary} {id}"),
                    );
                }
            })
        };
    let instances: Vec<(String, String)> = data
        .instances
        .iter()
        .flatten()
        .map(|i| {
            (
                i.instance_id.clone(),
                format!("{} ({})", i.instance_id, i.state.name),
            )
        })
        .collect();

    let open_detach = {
        let confirm = confirm_detach.clone();
        Callback::from(move |_: MouseEvent| confirm.set(true))
    };
    // The console's confirmation before Detach volume.
    let detach_dialog = (*selected).clone().filter(|_| *confirm_detach).map(|id| {
        let close = {
            let confirm = confirm_detach.clone();
            Callback::from(move |()| confirm.set(false))
        };
        let cancel = {
            let confirm = confirm_detach.clone();
            Callback::from(move |_: MouseEvent| confirm.set(false))
        };
        let detach = {
            let (confirm, run) = (confirm_detach.clone(), call("DetachVolume", id_input, "Detached"));
            Callback::from(move |e: MouseEvent| {
                confirm.set(false);
                run.emit(e);
            })
        };
        let footer = html! { <>
            <button class="btn" onclick={cancel}>{ "Cancel" }</button>
            <button class="btn btn-danger" onclick={detach} data-testid="volume-detach-confirm">{ "Detach" }</button>
        </> };
        html! {
            <Dialog title="Detach volume" on_close={close} testid="detach-volume-dialog" {footer}>
                <p>{ format!("Are you sure you want to detach volume {id}? The instance loses access to its data until the volume is attached again; unmount it in the operating system first.") }</p>
            </Dialog>
        }
    });

    // EC2 refuses to attach a volume it is still creating (IncorrectState): the button waits
    // for it, and says why.
    let creating = (*selected).clone().is_some_and(|id| {
        data.volumes
            .iter()
            .flatten()
            .any(|r| r.volume.volume_id == id && r.volume.state == "creating")
    });
    html! { <>
        { detach_dialog.unwrap_or_default() }
        <div class="panel" data-testid="create-volume">
            <div class="panel-header"><h2>{ "Create volume" }</h2></div>
            if by_default {
                <p class="help">{ "EBS encryption by default is on in this Region: every new volume is encrypted (with the default key unless you choose one), whatever you tick here." }</p>
            }
            <div class="form-grid">
                { select(&form, "type", "Volume type", &[("gp3".to_owned(), "General Purpose SSD (gp3)".to_owned())]) }
                { number(&form, "size", "Size (GiB)", 1, 16384) }
                { select(&form, "az", "Availability Zone", &azs) }
                { select(&form, "snapshot", "Snapshot ID", &snapshots) }
                { check(&form, "encrypted", "Encrypt this volume") }
                { key_picker(&form, "key", "KMS key (empty: the Region's default EBS key)", &data.keys) }
            </div>
            <p class="help">{ "The lab models gp3 volumes only. A volume from an encrypted snapshot is always encrypted; a KMS key here re-encrypts it under that key." }</p>
            <div class="actions"><button class="btn btn-primary" onclick={create} data-testid="create-volume-submit">{ "Create volume" }</button></div>
        </div>
        { table("Volumes", "volumes-table", &["", "Volume ID", "Type", "Size (GiB)", "State", "Encrypted", "KMS key", "Snapshot", "Attached to", "Zone"], rows) }
        if let Some(id) = (*selected).clone() {
            <div class="panel" data-testid="volume-actions">
                <div class="panel-header"><h2>{ format!("Actions: {id}") }</h2></div>
                if creating {
                    <p class="help" data-testid="volume-not-ready">{ format!("{id} is creating: EBS attaches a volume once it is available, a few seconds after it is created. Advance the clock (the top bar's +1d) or run `aws ec2 wait volume-available --volume-ids {id}` in the terminal.") }</p>
                }
                <div class="form-grid">
                    { text(&action, "description", "Snapshot description", "before encryption") }
                </div>
                <div class="actions">
                    <button class="btn btn-small" onclick={call("CreateSnapshot", snapshot_input, "Created a snapshot of")} data-testid="volume-snapshot">{ "Create snapshot" }</button>
                </div>
                <div class="form-grid">
                    { select(&action, "instance", "Instance", &std::iter::once((String::new(), "Choose an instance".to_owned())).chain(instances).collect::<Vec<_>>()) }
                    { text(&action, "device", "Device name", "/dev/sdf") }
                </div>
                <div class="actions">
                    <button class="btn btn-small" onclick={call("AttachVolume", attach_input, "Attached")} disabled={creating} data-testid="volume-attach">{ "Attach volume" }</button>
                    <button class="btn btn-small" onclick={open_detach} data-testid="volume-detach">{ "Detach volume" }</button>
                    <button class="btn btn-small btn-danger" onclick={call("DeleteVolume", id_input, "Deleted")} data-testid="volume-delete">{ "Delete volume" }</button>
                </div>
            </div>
        }
    </> }
}

fn id_input(id: &str, _: &Fields) -> Value {
    json!({ "VolumeId": id })
}

fn snapshot_input(id: &str, f: &Fields) -> Value {
    let mut v = json!({ "VolumeId": id });
    if let Some(d) = f.opt("description") {
        v["Description"] = json!(d);
    }
    v
}

fn attach_input(id: &str, f: &Fields) -> Value {
    let mut v =
        json!({ "VolumeId": id, "Device": f.opt("device").unwrap_or_else(|| "/dev/sdf".into()) });
    if let Some(i) = f.opt("instance") {
        v["InstanceId"] = json!(i);
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_volume_sends_only_what_was_chosen() {
        let f = Fields::with(&[("size", "8"), ("type", "gp3")]);
        assert_eq!(
            create_volume_input(&f, "us-east-1"),
            json!({ "AvailabilityZone": "us-east-1a", "VolumeType": "gp3", "Size": 8 })
        );
        let f = f
            .with_value("encrypted", "true")
            .with_value("key", "alias/ebs")
            .with_value("snapshot", "snap-1")
            .with_value("size", "");
        let v = create_volume_input(&f, "eu-west-1");
        assert_eq!(v["Encrypted"], json!(true));
        assert_eq!(v["KmsKeyId"], "alias/ebs");
        assert_eq!(v["SnapshotId"], "snap-1");
        assert!(v.get("Size").is_none(), "no size: the snapshot's");
        assert_eq!(v["AvailabilityZone"], "eu-west-1a");
        // A size that is not a number is sent as typed, for EC2 to refuse.
        assert_eq!(
            create_volume_input(&f.with_value("size", "big"), "us-east-1")["Size"],
            "big"
        );
    }

    #[test]
    fn attach_names_the_instance_and_device() {
        let f = Fields::with(&[("instance", "i-1"), ("device", "/dev/sdg")]);
        assert_eq!(
            attach_input("vol-1", &f),
            json!({ "VolumeId": "vol-1", "Device": "/dev/sdg", "InstanceId": "i-1" })
        );
        assert_eq!(
            snapshot_input("vol-1", &Fields::default()),
            json!({ "VolumeId": "vol-1" })
        );
    }

    #[test]
    fn a_key_without_encrypted_reaches_ec2_which_refuses_it() {
        let mut world = cloud::World::new(1, 0);
        let ctx = world.context_for_profile(None, None).unwrap();
        let f = Fields::with(&[("size", "8"), ("key", "alias/aws/ebs")]);
        let err = world
            .call(
                &ctx,
                "ec2",
                "CreateVolume",
                create_volume_input(&f, "us-east-1"),
            )
            .unwrap_err();
        assert_eq!(err.code, "InvalidParameterDependency");
        let ok = world
            .call(
                &ctx,
                "ec2",
                "CreateVolume",
                create_volume_input(&f.with_value("encrypted", "true"), "us-east-1"),
            )
            .unwrap();
        assert_eq!(ok["Encrypted"], json!(true));
    }
}
