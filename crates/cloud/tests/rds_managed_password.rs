//! RDS-managed master passwords (`ManageMasterUserPassword`): the `rds!db-…` secret, its key
//! (default `aws/secretsmanager`), `MasterUserSecret` in `DescribeDBInstances`, the KMS calls made
//! as the caller through Secrets Manager, turning management on and off with
//! `ModifyDBInstance`, rotation now and every 7 days on the world's clock, and the errors.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use cloud::{AwsError, CallContext, World};
use common::Lab;
use serde_json::{Value, json};

const DAY: i64 = 86_400_000;

/// A call that must succeed; what it creates is then waited for, as a learner waits.
fn call(w: &mut World, c: &CallContext, svc: &str, op: &str, input: Value) -> Value {
    let out = w
        .call(c, svc, op, input.clone())
        .unwrap_or_else(|e| panic!("{op} {input}: {e}"));
    if common::creates_a_resource(op) {
        w.advance_clock(common::READY_MS);
    }
    out
}

fn err(w: &mut World, c: &CallContext, svc: &str, op: &str, input: Value) -> AwsError {
    w.call(c, svc, op, input.clone())
        .err()
        .unwrap_or_else(|| panic!("{op} {input} succeeded"))
}

fn create_db(w: &mut World, c: &CallContext, id: &str, extra: Value) -> Value {
    let mut input = json!({ "DBInstanceIdentifier": id, "DBInstanceClass": "db.t3.micro",
        "Engine": "postgres", "MasterUsername": "app" });
    if let (Value::Object(m), Value::Object(e)) = (&mut input, extra) {
        m.extend(e);
    }
    call(w, c, "rds", "CreateDBInstance", input)["DBInstance"].clone()
}

fn describe(w: &mut World, c: &CallContext, id: &str) -> Value {
    call(
        w,
        c,
        "rds",
        "DescribeDBInstances",
        json!({ "DBInstanceIdentifier": id }),
    )["DBInstances"][0]
        .clone()
}

fn secret_value(w: &mut World, c: &CallContext, arn: &str) -> Value {
    let v = call(
        w,
        c,
        "secretsmanager",
        "GetSecretValue",
        json!({ "SecretId": arn }),
    );
    serde_json::from_str(v["SecretString"].as_str().unwrap()).unwrap()
}

#[test]
fn a_managed_password_lives_in_an_rds_secret_under_aws_secretsmanager() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let w = &mut lab.w;
    let before = w.events().count();
    let db = create_db(
        w,
        &admin,
        "crm",
        json!({ "ManageMasterUserPassword": true }),
    );
    let secret = db["MasterUserSecret"].clone();
    let arn = secret["SecretArn"].as_str().unwrap().to_owned();
    assert!(
        arn.starts_with("arn:aws:secretsmanager:us-east-1:111122223333:secret:rds!db-"),
        "{arn}"
    );
    assert_eq!(secret["SecretStatus"], "active");
    // The AWS managed key aws/secretsmanager, by ARN.
    let key = secret["KmsKeyId"].as_str().unwrap();
    assert!(
        key.starts_with("arn:aws:kms:us-east-1:111122223333:key/"),
        "{key}"
    );
    let aliases = call(w, &admin, "kms", "ListAliases", json!({}));
    let managed = aliases["Aliases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["AliasName"] == "alias/aws/secretsmanager")
        .unwrap();
    assert!(key.ends_with(managed["TargetKeyId"].as_str().unwrap()));
    assert_eq!(db["MasterUsername"], "app");
    // The secret: the master user's name and a generated password, tagged as RDS's.
    let value = secret_value(w, &admin, &arn);
    assert_eq!(value["username"], "app");
    assert_eq!(value["password"].as_str().unwrap().len(), 28);
    let d = call(
        w,
        &admin,
        "secretsmanager",
        "DescribeSecret",
        json!({ "SecretId": arn }),
    );
    assert!(d["Name"].as_str().unwrap().starts_with("rds!db-"));
    let tags = d["Tags"].as_array().unwrap();
    assert!(
        tags.contains(&json!({ "Key": "aws:rds:primaryDBInstanceArn",
        "Value": "arn:aws:rds:us-east-1:111122223333:db:crm" }))
    );
    assert!(tags.contains(&json!({ "Key": "aws:secretsmanager:owningService", "Value": "rds" })));
    assert_eq!(d["RotationEnabled"], true);
    assert_eq!(d["RotationRules"]["AutomaticallyAfterDays"], 7);
    // Secrets Manager asked KMS for the data key as the caller.
    let gdk = w
        .events()
        .skip(before)
        .find(|e| {
            e.event_source == "kms.amazonaws.com" && e.record["eventName"] == "GenerateDataKey"
        })
        .unwrap()
        .record
        .clone();
    assert_eq!(
        gdk["userIdentity"]["invokedBy"],
        "secretsmanager.amazonaws.com"
    );
    assert_eq!(
        gdk["requestParameters"]["encryptionContext"]["SecretARN"],
        arn
    );
    // Describe shows the same secret.
    assert_eq!(describe(w, &admin, "crm")["MasterUserSecret"], secret);
    // Deleting the instance deletes its secret.
    call(
        w,
        &admin,
        "rds",
        "DeleteDBInstance",
        json!({ "DBInstanceIdentifier": "crm", "SkipFinalSnapshot": true }),
    );
    let gone = err(
        w,
        &admin,
        "secretsmanager",
        "DescribeSecret",
        json!({ "SecretId": arn }),
    );
    assert_eq!(gone.code, "ResourceNotFoundException");
}

#[test]
fn a_customer_managed_key_encrypts_the_secret_and_a_disabled_one_fails() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let key = lab.create_key();
    let w = &mut lab.w;
    let db = create_db(
        w,
        &admin,
        "crm",
        json!({ "ManageMasterUserPassword": true, "MasterUserSecretKmsKeyId": key }),
    );
    let secret_key = db["MasterUserSecret"]["KmsKeyId"].as_str().unwrap();
    assert!(secret_key.ends_with(&key), "{secret_key} {key}");
    let arn = db["MasterUserSecret"]["SecretArn"].as_str().unwrap();
    let d = call(
        w,
        &admin,
        "secretsmanager",
        "DescribeSecret",
        json!({ "SecretId": arn }),
    );
    assert_eq!(d["KmsKeyId"], key);
    call(w, &admin, "kms", "DisableKey", json!({ "KeyId": key }));
    let e = err(
        w,
        &admin,
        "rds",
        "CreateDBInstance",
        json!({ "DBInstanceIdentifier": "crm2", "DBInstanceClass": "db.t3.micro", "Engine": "postgres",
            "MasterUsername": "app", "ManageMasterUserPassword": true, "MasterUserSecretKmsKeyId": key }),
    );
    assert_eq!(e.code, "KMSKeyNotAccessibleFault", "{e}");
    // Nothing was created.
    let e = err(
        w,
        &admin,
        "rds",
        "DescribeDBInstances",
        json!({ "DBInstanceIdentifier": "crm2" }),
    );
    assert_eq!(e.code, "DBInstanceNotFound");
}

#[test]
fn bad_combinations_get_rds_errors() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let key = lab.create_key();
    let w = &mut lab.w;
    let base = json!({ "DBInstanceIdentifier": "x", "DBInstanceClass": "db.t3.micro", "Engine": "postgres",
        "MasterUsername": "app" });
    let with = |extra: Value| {
        let mut b = base.clone();
        if let (Value::Object(m), Value::Object(e)) = (&mut b, extra) {
            m.extend(e);
        }
        b
    };
    let e = err(
        w,
        &admin,
        "rds",
        "CreateDBInstance",
        with(json!({ "ManageMasterUserPassword": true, "MasterUserPassword": "secret123" })),
    );
    assert_eq!(e.code, "InvalidParameterCombination");
    let e = err(
        w,
        &admin,
        "rds",
        "CreateDBInstance",
        with(json!({ "MasterUserSecretKmsKeyId": key })),
    );
    assert_eq!(e.code, "InvalidParameterCombination");
    let e = err(
        w,
        &admin,
        "rds",
        "CreateDBInstance",
        json!({ "DBInstanceIdentifier": "x", "DBInstanceClass": "db.t3.micro", "Engine": "postgres",
            "ManageMasterUserPassword": true }),
    );
    assert_eq!(e.code, "InvalidParameterValue");
    create_db(
        w,
        &admin,
        "plain",
        json!({ "MasterUserPassword": "secret123" }),
    );
    let e = err(
        w,
        &admin,
        "rds",
        "ModifyDBInstance",
        json!({ "DBInstanceIdentifier": "plain", "RotateMasterUserPassword": true, "ApplyImmediately": true }),
    );
    assert_eq!(e.code, "InvalidParameterCombination");
    let e = err(
        w,
        &admin,
        "rds",
        "ModifyDBInstance",
        json!({ "DBInstanceIdentifier": "nope" }),
    );
    assert_eq!(e.code, "DBInstanceNotFound");
    let e = err(w, &admin, "rds", "ModifyDBInstance", json!({}));
    assert_eq!(e.code, "MissingParameter");
}

#[test]
fn modify_turns_management_on_rotates_and_turns_it_off() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let w = &mut lab.w;
    let db = create_db(
        w,
        &admin,
        "crm",
        json!({ "MasterUserPassword": "secret123" }),
    );
    assert!(db.get("MasterUserSecret").is_none());
    let out = call(
        w,
        &admin,
        "rds",
        "ModifyDBInstance",
        json!({ "DBInstanceIdentifier": "crm", "ManageMasterUserPassword": true, "ApplyImmediately": true }),
    );
    let arn = out["DBInstance"]["MasterUserSecret"]["SecretArn"]
        .as_str()
        .unwrap()
        .to_owned();
    let first = secret_value(w, &admin, &arn);
    // Rotating now needs ApplyImmediately.
    let e = err(
        w,
        &admin,
        "rds",
        "ModifyDBInstance",
        json!({ "DBInstanceIdentifier": "crm", "RotateMasterUserPassword": true }),
    );
    assert_eq!(e.code, "InvalidParameterCombination");
    call(
        w,
        &admin,
        "rds",
        "ModifyDBInstance",
        json!({ "DBInstanceIdentifier": "crm", "RotateMasterUserPassword": true, "ApplyImmediately": true }),
    );
    let second = secret_value(w, &admin, &arn);
    assert_ne!(first["password"], second["password"]);
    assert_eq!(second["username"], "app");
    let versions = call(
        w,
        &admin,
        "secretsmanager",
        "ListSecretVersionIds",
        json!({ "SecretId": arn }),
    );
    let mut stages: Vec<String> = versions["Versions"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|v| v["VersionStages"].as_array().unwrap().clone())
        .map(|s| s.as_str().unwrap().to_owned())
        .collect();
    stages.sort();
    assert_eq!(stages, ["AWSCURRENT", "AWSPREVIOUS"]);
    // The key can't change while RDS manages the secret.
    let e = err(
        w,
        &admin,
        "rds",
        "ModifyDBInstance",
        json!({ "DBInstanceIdentifier": "crm", "ManageMasterUserPassword": true, "MasterUserSecretKmsKeyId": "alias/aws/secretsmanager" }),
    );
    assert_eq!(e.code, "InvalidParameterCombination");
    // Turning management off needs a password, and deletes the secret.
    let e = err(
        w,
        &admin,
        "rds",
        "ModifyDBInstance",
        json!({ "DBInstanceIdentifier": "crm", "ManageMasterUserPassword": false }),
    );
    assert_eq!(e.code, "InvalidParameterCombination");
    call(
        w,
        &admin,
        "rds",
        "ModifyDBInstance",
        json!({ "DBInstanceIdentifier": "crm", "ManageMasterUserPassword": false, "MasterUserPassword": "new-secret-1" }),
    );
    assert!(describe(w, &admin, "crm").get("MasterUserSecret").is_none());
    let gone = err(
        w,
        &admin,
        "secretsmanager",
        "DescribeSecret",
        json!({ "SecretId": arn }),
    );
    assert_eq!(gone.code, "ResourceNotFoundException");
}

#[test]
fn the_password_rotates_every_7_days_and_a_disabled_key_impairs_the_secret() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let key = lab.create_key();
    let w = &mut lab.w;
    let db = create_db(
        w,
        &admin,
        "crm",
        json!({ "ManageMasterUserPassword": true, "MasterUserSecretKmsKeyId": key }),
    );
    let arn = db["MasterUserSecret"]["SecretArn"]
        .as_str()
        .unwrap()
        .to_owned();
    let first = secret_value(w, &admin, &arn);
    w.advance_clock(6 * DAY);
    describe(w, &admin, "crm");
    assert_eq!(secret_value(w, &admin, &arn), first);
    w.advance_clock(DAY);
    assert_eq!(
        describe(w, &admin, "crm")["MasterUserSecret"]["SecretStatus"],
        "active"
    );
    let second = secret_value(w, &admin, &arn);
    assert_ne!(second["password"], first["password"]);
    // A week later, with the key disabled, the rotation fails: the secret is impaired and still
    // holds the last password (readable once the key is back).
    call(w, &admin, "kms", "DisableKey", json!({ "KeyId": key }));
    w.advance_clock(7 * DAY);
    assert_eq!(
        describe(w, &admin, "crm")["MasterUserSecret"]["SecretStatus"],
        "impaired"
    );
    call(w, &admin, "kms", "EnableKey", json!({ "KeyId": key }));
    assert_eq!(secret_value(w, &admin, &arn), second);
}

/// A learner who moves the clock and reads the secret without touching RDS sees the rotated
/// password: the rotation falls due whichever service is asked next.
#[test]
fn reading_the_secret_after_a_week_shows_the_rotated_password() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let w = &mut lab.w;
    let db = create_db(
        w,
        &admin,
        "shop",
        json!({ "ManageMasterUserPassword": true }),
    );
    let arn = db["MasterUserSecret"]["SecretArn"]
        .as_str()
        .unwrap()
        .to_owned();
    let first = secret_value(w, &admin, &arn);
    w.advance_clock(7 * DAY);
    let second = secret_value(w, &admin, &arn);
    assert_ne!(second["password"], first["password"]);
    assert_eq!(second["username"], first["username"]);
}
