//! The RDS console: Databases (`#/rds`, `#/rds/databases`) and Snapshots (`#/rds/snapshots`).
//!
//! Reads run on a copy of the world through the typed client (no trace); every action is one
//! real RDS call as the current profile (`Lab::call`), audited in CloudTrail. RDS enforces AWS's
//! rules (an aws/rds snapshot cannot be shared, a shared encrypted snapshot must be copied under
//! your own key before a restore, a cross-Region copy or replica needs a key there); the pages
//! show its error.

mod databases;
mod snapshots;

use cloud::rds::model as rds;
use yew::prelude::*;

use crate::app::Route;
use crate::components::resources::{key_cell, key_choices, page_header, sub_tabs};
use crate::hooks::use_lab;
use crate::state::LabState;
use crate::views::{Peek, ViewError};

/// Which RDS page is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    Databases,
    Snapshots,
}

#[derive(Clone, Debug)]
struct DbRow {
    db: rds::DBInstance,
    key: Html,
}

#[derive(Clone, Debug)]
struct SnapshotRow {
    snapshot: rds::DBSnapshot,
    key: Html,
    /// The accounts it is shared with (own snapshots).
    shared_with: Vec<String>,
    /// Shared with this account by another one.
    shared_with_me: bool,
}

#[derive(Debug)]
struct RdsData {
    databases: Result<Vec<DbRow>, ViewError>,
    snapshots: Result<Vec<SnapshotRow>, ViewError>,
    keys: Vec<(String, String)>,
}

fn read(lab: &LabState, region: &str) -> RdsData {
    let mut peek = Peek::new(lab);
    let databases = peek
        .client(region)
        .and_then(|c| Ok(c.rds().describe_db_instances(Default::default())?))
        .map(|r| r.db_instances);
    let databases = databases.map(|list| {
        list.into_iter()
            .map(|db| DbRow {
                key: key_cell(&mut peek, lab, region, db.kms_key_id.as_deref()),
                db,
            })
            .collect()
    });
    let req = rds::DescribeDBSnapshotsRequest {
        include_shared: Some(true),
        ..Default::default()
    };
    let account = lab.identity().account;
    let snapshots = peek
        .client(region)
        .and_then(|c| Ok(c.rds().describe_db_snapshots(req)?))
        .map(|r| r.db_snapshots);
    let snapshots = snapshots.map(|list| {
        list.into_iter()
            .map(|s| {
                let shared_with_me = s.db_snapshot_arn.split(':').nth(4) != Some(account.as_str());
                let shared_with = if shared_with_me {
                    Vec::new()
                } else {
                    let req = rds::DBSnapshotRequest {
                        db_snapshot_identifier: Some(s.db_snapshot_identifier.clone()),
                    };
                    peek.client(region)
                        .and_then(|c| Ok(c.rds().describe_db_snapshot_attributes(req)?))
                        .map(|a| {
                            a.db_snapshot_attributes_result
                                .db_snapshot_attributes
                                .into_iter()
                                .flat_map(|a| a.attribute_values)
                                .collect()
                        })
                        .unwrap_or_default()
                };
                SnapshotRow {
                    key: key_cell(&mut peek, lab, region, s.kms_key_id.as_deref()),
                    snapshot: s,
                    shared_with,
                    shared_with_me,
                }
            })
            .collect()
    });
    RdsData {
        databases,
        snapshots,
        keys: key_choices(&mut peek, region),
    }
}

/// The RDS data of the current Region, read once per revision.
#[hook]
fn use_rds() -> std::rc::Rc<RdsData> {
    let lab = use_lab();
    let region = lab.identity().region;
    let state = (*lab).clone();
    use_memo((lab.revision, region), move |(_, region)| {
        read(&state, region)
    })
}

#[derive(Properties, PartialEq, Debug)]
pub struct RdsProps {
    pub section: Section,
}

#[component]
pub fn Rds(props: &RdsProps) -> Html {
    let lab = use_lab();
    let (title, route) = match props.section {
        Section::Databases => ("RDS databases", Route::RdsDatabases),
        Section::Snapshots => ("RDS snapshots", Route::RdsSnapshots),
    };
    let tabs = [
        ("Databases", Route::RdsDatabases),
        ("Snapshots", Route::RdsSnapshots),
    ];
    html! {
        <section class="page page-wide" aria-labelledby="page-title">
            { page_header(title, &lab) }
            { sub_tabs("RDS pages", &tabs, &route) }
            { match props.section {
                Section::Databases => html! { <databases::Databases /> },
                Section::Snapshots => html! { <snapshots::Snapshots /> },
            } }
        </section>
    }
}
