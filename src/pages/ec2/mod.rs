//! The EC2 console's EBS pages: an overview (`#/ec2`), Volumes (`#/ec2/volumes`), Snapshots
//! (`#/ec2/snapshots`) and the Region's EBS encryption settings (`#/ec2/settings`).
//!
//! Reads run on a copy of the world through the typed client (no trace); every action is one
//! real EC2 call as the current profile (`Lab::call`), audited in CloudTrail, and a refusal shows
//! AWS's error with its Why? card.

mod settings;
mod snapshots;

pub(crate) use snapshots::account_ids;
mod volumes;

use cloud::ec2::model as ec2;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::resources::{
    bool_cell, key_cell, key_choices, page_header, sub_tabs, table, yes_no,
};
use crate::hooks::use_lab;
use crate::state::LabState;
use crate::views::{Peek, ViewError};

/// Which EC2 page is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    Dashboard,
    Volumes,
    Snapshots,
    Settings,
}

/// A volume with its key as a link.
#[derive(Clone, Debug)]
struct VolumeRow {
    volume: ec2::VolumeDescription,
    key: Html,
}

/// A snapshot with its key as a link and who may create volumes from it (own snapshots).
#[derive(Clone, Debug)]
struct SnapshotRow {
    snapshot: ec2::SnapshotDescription,
    key: Html,
    shared_with: Vec<String>,
    own: bool,
}

/// What the EC2 pages show, read on one copy of the world.
#[derive(Debug)]
struct Ec2Data {
    by_default: Result<bool, ViewError>,
    default_key_link: Html,
    volumes: Result<Vec<VolumeRow>, ViewError>,
    snapshots: Result<Vec<SnapshotRow>, ViewError>,
    instances: Result<Vec<ec2::InstanceDescription>, ViewError>,
    keys: Vec<(String, String)>,
}

fn read(lab: &LabState, region: &str) -> Ec2Data {
    let mut peek = Peek::new(lab);
    let by_default = peek
        .client(region)
        .and_then(|c| Ok(c.ec2().get_ebs_encryption_by_default(Default::default())?))
        .map(|r| r.ebs_encryption_by_default);
    let default_key = peek
        .client(region)
        .and_then(|c| Ok(c.ec2().get_ebs_default_kms_key_id(Default::default())?))
        .map(|r| r.kms_key_id);
    let default_key_link = key_cell(&mut peek, lab, region, default_key.as_deref().ok());
    let volumes = peek
        .client(region)
        .and_then(|c| Ok(c.ec2().describe_volumes(Default::default())?))
        .map(|list| list.volumes);
    let volumes = volumes.map(|list| {
        list.into_iter()
            .map(|v| VolumeRow {
                key: key_cell(&mut peek, lab, region, v.kms_key_id.as_deref()),
                volume: v,
            })
            .collect()
    });
    let account = lab.identity().account;
    let snapshots = peek
        .client(region)
        .and_then(|c| Ok(c.ec2().describe_snapshots(Default::default())?))
        .map(|list| list.snapshots);
    let snapshots = snapshots.map(|list| {
        list.into_iter()
            .map(|s| {
                let own = s.owner_id == account;
                let shared_with = if own {
                    let req = ec2::SnapshotIdRequest {
                        snapshot_id: Some(s.snapshot_id.clone()),
                        ..Default::default()
                    };
                    peek.client(region)
                        .and_then(|c| Ok(c.ec2().describe_snapshot_attribute(req)?))
                        .map(|a| {
                            a.create_volume_permissions
                                .into_iter()
                                .filter_map(|p| {
                                    p.user_id.or_else(|| p.group.map(|_| "Public".to_owned()))
                                })
                                .collect()
                        })
                        .unwrap_or_default()
                } else {
                    Vec::new()
                };
                SnapshotRow {
                    key: key_cell(&mut peek, lab, region, s.kms_key_id.as_deref()),
                    snapshot: s,
                    shared_with,
                    own,
                }
            })
            .collect()
    });
    let instances = peek
        .client(region)
        .and_then(|c| Ok(c.ec2().describe_instances(Default::default())?))
        .map(|r| {
            r.reservations
                .into_iter()
                .flat_map(|r| r.instances)
                .collect()
        });
    Ec2Data {
        by_default,
        default_key_link,
        volumes,
        snapshots,
        instances,
        keys: key_choices(&mut peek, region),
    }
}

/// The EC2 data of the current Region, read once per revision.
#[hook]
fn use_ec2() -> std::rc::Rc<Ec2Data> {
    let lab = use_lab();
    let region = lab.identity().region;
    let state = (*lab).clone();
    use_memo((lab.revision, region), move |(_, region)| {
        read(&state, region)
    })
}

#[derive(Properties, PartialEq, Debug)]
pub struct Ec2Props {
    pub section: Section,
}

#[component]
pub fn Ec2(props: &Ec2Props) -> Html {
    let lab = use_lab();
    let (title, route) = match props.section {
        Section::Dashboard => ("EC2 (EBS)", Route::Ec2),
        Section::Volumes => ("EC2 volumes", Route::Ec2Volumes),
        Section::Snapshots => ("EC2 snapshots", Route::Ec2Snapshots),
        Section::Settings => ("EBS encryption (EC2 settings)", Route::Ec2Settings),
    };
    let tabs = [
        ("Overview", Route::Ec2),
        ("Volumes", Route::Ec2Volumes),
        ("Snapshots", Route::Ec2Snapshots),
        ("EBS encryption", Route::Ec2Settings),
    ];
    html! {
        <section class="page page-wide" aria-labelledby="page-title">
            { page_header(title, &lab) }
            { sub_tabs("EC2 pages", &tabs, &route) }
            { match props.section {
                Section::Dashboard => html! { <Dashboard /> },
                Section::Volumes => html! { <volumes::Volumes /> },
                Section::Snapshots => html! { <snapshots::Snapshots /> },
                Section::Settings => html! { <settings::Settings /> },
            } }
        </section>
    }
}

/// The overview: the Region's encryption settings and every volume, snapshot and instance.
#[component]
fn Dashboard() -> Html {
    let data = use_ec2();
    let volumes = data.volumes.clone().map(|rows| {
        rows.into_iter()
            .map(|r| {
                vec![
                    html! { r.volume.volume_id },
                    html! { r.volume.size.to_string() },
                    html! { r.volume.state },
                    yes_no(r.volume.encrypted),
                    r.key,
                ]
            })
            .collect()
    });
    let snapshots = data.snapshots.clone().map(|rows| {
        rows.into_iter()
            .map(|r| {
                vec![
                    html! { r.snapshot.snapshot_id },
                    html! { r.snapshot.volume_id },
                    html! { r.snapshot.state },
                    yes_no(r.snapshot.encrypted),
                    r.key,
                ]
            })
            .collect()
    });
    let instances = data.instances.clone().map(|list| {
        list.into_iter()
            .map(|i| {
                let vols: Vec<String> = i
                    .block_device_mappings
                    .iter()
                    .map(|b| format!("{} ({})", b.ebs.volume_id, b.device_name))
                    .collect();
                vec![
                    html! { i.instance_id },
                    html! { i.instance_type },
                    html! { i.state.name },
                    html! { vols.join(", ") },
                ]
            })
            .collect()
    });
    html! { <>
        <div class="panel">
            <div class="panel-header">
                <h2>{ "EBS encryption (this Region)" }</h2>
                <Link<Route> to={Route::Ec2Settings} classes="btn btn-small">{ "Manage" }</Link<Route>>
            </div>
            <div class="fields">
                <div class="field"><div class="field-label">{ "Always encrypt new EBS volumes" }</div><div class="field-value">{ bool_cell(data.by_default.clone().ok()) }</div></div>
                <div class="field"><div class="field-label">{ "Default encryption key" }</div><div class="field-value">{ data.default_key_link.clone() }</div></div>
            </div>
        </div>
        { table("Volumes", "volumes-summary", &["Volume ID", "Size (GiB)", "State", "Encrypted", "KMS key"], volumes) }
        { table("Snapshots", "snapshots-summary", &["Snapshot ID", "Volume", "State", "Encrypted", "KMS key"], snapshots) }
        { table("Instances", "instances-table", &["Instance ID", "Type", "State", "Volumes"], instances) }
    </> }
}
