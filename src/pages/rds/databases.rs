//! RDS → Databases: the Region's DB instances, Create database (engine, class, storage, master
//! credentials, encryption and its key), and the actions on one: take a snapshot, create a read
//! replica (same or another Region, with the key rules RDS enforces), delete.

use serde_json::{Value, json};
use yew::prelude::*;

use super::use_rds;
use crate::components::form::{Fields, check, choices, key_picker, number, select, text, use_form};
use crate::components::resources::{region_choices, row_select, str_cell, table, yes_no};
use crate::hooks::use_lab;

/// `CreateDBInstance` from the form.
pub(super) fn create_input(f: &Fields) -> Value {
    let mut v = json!({
        "DBInstanceIdentifier": f.get("id"),
        "Engine": f.get("engine"),
        "DBInstanceClass": f.get("class"),
        "StorageEncrypted": f.on("encrypted"),
    });
    if let Some(size) = f.opt("storage") {
        v["AllocatedStorage"] = size.parse::<u64>().map_or(json!(size), |n| json!(n));
    }
    if let Some(user) = f.opt("user") {
        v["MasterUsername"] = json!(user);
    }
    if f.on("managed") {
        v["ManageMasterUserPassword"] = json!(true);
    } else if let Some(p) = f.opt("password") {
        v["MasterUserPassword"] = json!(p);
    }
    if let Some(k) = f.opt("key") {
        v["KmsKeyId"] = json!(k);
    }
    v
}

/// The ARN of DB instance `id` of `account` in `region`.
fn db_arn(region: &str, account: &str, id: &str) -> String {
    format!("arn:aws:rds:{region}:{account}:db:{id}")
}

/// `CreateDBInstanceReadReplica`, sent to the replica's Region: a source in another Region is
/// named by its ARN.
/// ModifyDBInstance that hands the master password to Secrets Manager (under the key named, if
/// any), applied immediately.
pub(super) fn manage_password_input(db: &str, f: &Fields) -> Value {
    let mut input = json!({
        "DBInstanceIdentifier": db,
        "ManageMasterUserPassword": true,
        "ApplyImmediately": true,
    });
    if let Some(key) = f.opt("secret_key") {
        input["MasterUserSecretKmsKeyId"] = key.into();
    }
    input
}

pub(super) fn replica_input(source: &str, source_region: &str, account: &str, f: &Fields) -> Value {
    let to = f.opt("region").unwrap_or_else(|| source_region.to_owned());
    let source = if to == source_region {
        source.to_owned()
    } else {
        db_arn(source_region, account, source)
    };
    let mut v = json!({
        "DBInstanceIdentifier": f.get("replica"),
        "SourceDBInstanceIdentifier": source,
    });
    if let Some(k) = f.opt("key") {
        v["KmsKeyId"] = json!(k);
    }
    v
}

#[component]
pub(super) fn Databases() -> Html {
    let lab = use_lab();
    let data = use_rds();
    let id = lab.identity();
    let region = id.region.clone();
    let selected = use_state(|| None::<String>);
    let form = use_form(&[
        ("engine", "postgres"),
        ("class", "db.t3.micro"),
        ("storage", "20"),
        ("user", "admin"),
        ("managed", "true"),
        ("encrypted", "true"),
    ]);
    let action = use_form(&[]);

    let rows = data.databases.clone().map(|rows| {
        rows.into_iter()
            .map(|r| {
                let d = r.db;
                vec![
                    row_select("database", &d.db_instance_identifier, &selected),
                    html! { <span class="mono rid">{ d.db_instance_identifier.clone() }</span> },
                    html! { d.engine },
                    html! { d.db_instance_class },
                    html! { d.db_instance_status },
                    yes_no(d.storage_encrypted),
                    r.key,
                    str_cell(d.read_replica_source_db_instance_identifier.as_deref()),
                ]
            })
            .collect()
    });

    let create = {
        let (lab, form, region) = (lab.clone(), form.clone(), region.clone());
        Callback::from(move |_: MouseEvent| {
            let name = form.get("id").to_owned();
            lab.call(
                region.clone(),
                "rds",
                "CreateDBInstance",
                create_input(&form),
                format!("Created database {name}"),
            );
        })
    };

    let actions = (*selected).clone().map(|db| {
        // RDS refuses to snapshot or modify an instance it is still creating
        // (InvalidDBInstanceState): the buttons wait for it, and say why.
        let status = data
            .databases
            .iter()
            .flatten()
            .find(|r| r.db.db_instance_identifier == db)
            .map(|r| r.db.db_instance_status.clone())
            .unwrap_or_default();
        let creating = status == "creating";
        let not_ready = creating.then(|| html! {
            <p class="help" data-testid="database-not-ready">{ format!("{db} is {status}: RDS takes about ten minutes to create a database, and snapshots or modifies it only once it is available. Advance the clock (the top bar's +1d) or run `aws rds wait db-instance-available --db-instance-identifier {db}` in the terminal.") }</p>
        });
        let snapshot = {
            let (lab, action, region, db) = (lab.clone(), action.clone(), region.clone(), db.clone());
            Callback::from(move |_: MouseEvent| {
                let snap = action.get("snapshot").to_owned();
                lab.call(region.clone(), "rds", "CreateDBSnapshot",
                    json!({ "DBSnapshotIdentifier": snap, "DBInstanceIdentifier": db }),
                    format!("Took snapshot {snap} of {db}"));
            })
        };
        let replica = {
            let (lab, action, region, db, account) = (lab.clone(), action.clone(), region.clone(), db.clone(), id.account.clone());
            Callback::from(move |_: MouseEvent| {
                let to = action.opt("region").unwrap_or_else(|| region.clone());
                lab.call(to.clone(), "rds", "CreateDBInstanceReadReplica",
                    replica_input(&db, &region, &account, &action),
                    format!("Created a read replica of {db} in {to}"));
            })
        };
        let manage = {
            let (lab, action, region, db) = (lab.clone(), action.clone(), region.clone(), db.clone());
            Callback::from(move |_: MouseEvent| {
                lab.call(region.clone(), "rds", "ModifyDBInstance",
                    manage_password_input(&db, &action),
                    format!("{db}: the master password is now managed in Secrets Manager"));
            })
        };
        let delete = {
            let (lab, region, db) = (lab.clone(), region.clone(), db.clone());
            Callback::from(move |_: MouseEvent| {
                lab.call(region.clone(), "rds", "DeleteDBInstance",
                    json!({ "DBInstanceIdentifier": db, "SkipFinalSnapshot": true }),
                    format!("Deleted database {db}"));
            })
        };
        html! {
            <div class="panel" data-testid="database-actions">
                <div class="panel-header"><h2>{ format!("Actions: {db}") }</h2></div>
                { not_ready.unwrap_or_default() }
                <h3 class="sub-heading">{ "Take snapshot" }</h3>
                <div class="form-grid">{ text(&action, "snapshot", "Snapshot name", &format!("{db}-snapshot")) }</div>
                <div class="actions"><button class="btn btn-small" onclick={snapshot} disabled={creating} data-testid="database-snapshot">{ "Take snapshot" }</button></div>
                <h3 class="sub-heading">{ "Create read replica" }</h3>
                <div class="form-grid">
                    { text(&action, "replica", "Replica identifier", &format!("{db}-replica")) }
                    { select(&action, "region", "Destination Region", &region_choices(&region)) }
                    { key_picker(&action, "key", "KMS key (another Region only)", &data.keys) }
                </div>
                <p class="help">{ "A replica in the same Region uses the source's key. In another Region, an encrypted source needs a key of that Region; an unencrypted source cannot get an encrypted replica." }</p>
                <h3 class="sub-heading">{ "Modify: manage master credentials in AWS Secrets Manager" }</h3>
                <div class="form-grid">{ key_picker(&action, "secret_key", "Secrets Manager KMS key (empty: aws/secretsmanager)", &data.keys) }</div>
                <p class="help">{ "RDS keeps the master password in a secret it owns and rotates it every 7 days. Applied immediately." }</p>
                <div class="actions"><button class="btn btn-small" onclick={manage} disabled={creating} data-testid="database-manage-password">{ "Manage in Secrets Manager" }</button></div>
                <div class="actions">
                    <button class="btn btn-small" onclick={replica} data-testid="database-replica">{ "Create read replica" }</button>
                    <button class="btn btn-small btn-danger" onclick={delete} data-testid="database-delete">{ "Delete" }</button>
                </div>
            </div>
        }
    });

    html! { <>
        { table("Databases", "databases-table", &["", "DB identifier", "Engine", "Class", "Status", "Encrypted", "KMS key", "Replica of"], rows) }
        { actions.unwrap_or_default() }
        <div class="panel" data-testid="create-database">
            <div class="panel-header"><h2>{ "Create database" }</h2></div>
            <div class="form-grid">
                { text(&form, "id", "DB instance identifier", "orders-db") }
                { select(&form, "engine", "Engine", &choices(&["postgres", "mysql", "mariadb"])) }
                { select(&form, "class", "DB instance class", &choices(&["db.t3.micro", "db.t3.medium", "db.m5.large"])) }
                { number(&form, "storage", "Allocated storage (GiB)", 20, 65536) }
                { text(&form, "user", "Master username", "admin") }
                { check(&form, "managed", "Manage the master password in AWS Secrets Manager") }
                if !form.on("managed") {
                    { text(&form, "password", "Master password", "") }
                }
                { check(&form, "encrypted", "Enable encryption") }
                { key_picker(&form, "key", "KMS key (empty: aws/rds)", &data.keys) }
            </div>
            <p class="help">{ "Encryption is chosen at creation: an unencrypted database is encrypted by restoring an encrypted copy of its snapshot. A snapshot under aws/rds cannot be shared with another account." }</p>
            <div class="actions"><button class="btn btn-primary" onclick={create} data-testid="create-database-submit">{ "Create database" }</button></div>
        </div>
    </> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_sends_encryption_and_the_managed_password() {
        let f = Fields::with(&[
            ("id", "db1"),
            ("engine", "postgres"),
            ("class", "db.t3.micro"),
            ("storage", "20"),
            ("user", "admin"),
            ("managed", "true"),
            ("encrypted", "true"),
            ("password", "ignored"),
        ]);
        let v = create_input(&f);
        assert_eq!(v["StorageEncrypted"], json!(true));
        assert_eq!(v["AllocatedStorage"], json!(20));
        assert_eq!(v["ManageMasterUserPassword"], json!(true));
        assert!(v.get("MasterUserPassword").is_none());
        assert!(v.get("KmsKeyId").is_none(), "no key: aws/rds");
    }

    #[test]
    fn a_replica_in_another_region_names_its_source_by_arn() {
        let f = Fields::with(&[
            ("replica", "r1"),
            ("region", "us-west-2"),
            ("key", "alias/west"),
        ]);
        assert_eq!(
            replica_input("db1", "us-east-1", "111122223333", &f),
            json!({ "DBInstanceIdentifier": "r1", "SourceDBInstanceIdentifier": "arn:aws:rds:us-east-1:111122223333:db:db1", "KmsKeyId": "alias/west" })
        );
        let same = Fields::with(&[("replica", "r1")]);
        assert_eq!(
            replica_input("db1", "us-east-1", "111122223333", &same)["SourceDBInstanceIdentifier"],
            "db1"
        );
    }

    #[test]
    fn rds_refuses_a_cross_region_replica_of_an_encrypted_db_without_a_key() {
        let mut world = cloud::World::new(1, 0);
        let ctx = world.context_for_profile(None, None).unwrap();
        let f = Fields::with(&[
            ("id", "db1"),
            ("engine", "postgres"),
            ("class", "db.t3.micro"),
            ("user", "admin"),
            ("managed", "true"),
            ("encrypted", "true"),
        ]);
        world
            .call(&ctx, "rds", "CreateDBInstance", create_input(&f))
            .unwrap();
        let west = world.context_for_profile(None, Some("us-west-2")).unwrap();
        let r = Fields::with(&[("replica", "r1"), ("region", "us-west-2")]);
        let err = world
            .call(
                &west,
                "rds",
                "CreateDBInstanceReadReplica",
                replica_input("db1", "us-east-1", "111122223333", &r),
            )
            .unwrap_err();
        assert!(
            err.message.contains("KmsKeyId is required"),
            "{}",
            err.message
        );
    }
}
