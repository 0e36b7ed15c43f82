//! Secrets Manager rotation: `RotateSecret` starts the lab's stand-in rotation functions, which
//! run as their execution role before the next call (through the audited seam, so a customer
//! managed key must allow the role); the RDS function really changes the database password;
//! schedules fall due on the world's clock; unfinished rotations are reattempted; RDS-managed
//! secrets get managed rotation.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use cloud::{AwsError, CallContext, World};
use common::{DAY, Lab};
use serde_json::{Value, json};

const ACCOUNT: &str = "111122223333";
const REGION: &str = "us-east-1";
const GENERIC: &str =
    "arn:aws:lambda:us-east-1:111122223333:function:KmsLabRotation-GenericPassword";
const RDS_FN: &str = "arn:aws:lambda:us-east-1:111122223333:function:KmsLabRotation-RDSSingleUser";
const ROLE_SESSION: &str = "arn:aws:sts::111122223333:assumed-role/KmsLabRotationFunctionRole/KmsLabRotation-RDSSingleUser";

fn call(
    w: &mut World,
    c: &CallContext,
    svc: &str,
    op: &str,
    input: Value,
) -> Result<Value, AwsError> {
    w.call(c, svc, op, input)
}

/// A call that must succeed; what it creates is then waited for, as a learner waits.
fn ok(w: &mut World, c: &CallContext, svc: &str, op: &str, input: Value) -> Value {
    let out = call(w, c, svc, op, input.clone()).unwrap_or_else(|e| panic!("{op} {input}: {e}"));
    if common::creates_a_resource(op) {
        w.advance_clock(common::READY_MS);
    }
    out
}

fn err(w: &mut World, c: &CallContext, op: &str, input: Value) -> AwsError {
    match call(w, c, "secretsmanager", op, input.clone()) {
        Ok(v) => panic!("{op} {input} unexpectedly succeeded: {v}"),
        Err(e) => e,
    }
}

fn current(w: &mut World, c: &CallContext, id: &str) -> Value {
    let v = ok(
        w,
        c,
        "secretsmanager",
        "GetSecretValue",
        json!({ "SecretId": id }),
    );
    serde_json::from_str(v["SecretString"].as_str().unwrap()).unwrap()
}

fn password(w: &mut World, c: &CallContext, id: &str) -> String {
    current(w, c, id)["password"].as_str().unwrap().to_owned()
}

/// A database `orders` with master user `admin` / `Initial-Passw0rd`, and the secret `prod/db`
/// holding those credentials (under `kms_key`, or `aws/secretsmanager`).
fn database_and_secret(lab: &mut Lab, kms_key: Option<&str>) {
    let admin = lab.admin.clone();
    ok(
        &mut lab.w,
        &admin,
        "rds",
        "CreateDBInstance",
        json!({
            "DBInstanceIdentifier": "orders", "Engine": "mysql", "DBInstanceClass": "db.t3.micro",
            "AllocatedStorage": 20, "MasterUsername": "admin", "MasterUserPassword": "Initial-Passw0rd",
        }),
    );
    let mut input = json!({ "Name": "prod/db", "SecretString": json!({
        "engine": "mysql", "username": "admin", "password": "Initial-Passw0rd",
        "dbInstanceIdentifier": "orders",
    }).to_string() });
    if let Some(k) = kms_key {
        input["KmsKeyId"] = json!(k);
    }
    ok(&mut lab.w, &admin, "secretsmanager", "CreateSecret", input);
}

fn logs_in(w: &World, password: &str) -> bool {
    cloud::rds::login(w, ACCOUNT, REGION, "orders", "admin", password).is_ok()
}

#[test]
fn the_rds_function_changes_the_database_password_and_moves_the_labels() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    database_and_secret(&mut lab, None);
    assert!(logs_in(&lab.w, "Initial-Passw0rd"));
    let w = &mut lab.w;
    let started = ok(
        w,
        &admin,
        "secretsmanager",
        "RotateSecret",
        json!({
            "SecretId": "prod/db", "RotationLambdaARN": RDS_FN,
            "RotationRules": { "AutomaticallyAfterDays": 30 },
        }),
    );
    let token = started["VersionId"].as_str().unwrap().to_owned();
    assert!(
        started["ARN"]
            .as_str()
            .unwrap()
            .contains(":secret:prod/db-")
    );
    let before = w.events().count();
    // The function runs before the next call, as its execution role.
    let new = password(w, &admin, "prod/db");
    assert_ne!(new, "Initial-Passw0rd");
    assert!(
        !logs_in(w, "Initial-Passw0rd"),
        "the old password no longer logs in"
    );
    assert!(logs_in(w, &new), "the new password logs in");
    let by_function: Vec<String> = w
        .events()
        .skip(before)
        .filter(|e| e.record["userIdentity"]["arn"] == ROLE_SESSION)
        .map(|e| e.event_name.clone())
        .collect();
    for op in [
        "DescribeSecret",
        "GetSecretValue",
        "GetRandomPassword",
        "PutSecretValue",
        "UpdateSecretVersionStage",
    ] {
        assert!(
            by_function.iter().any(|n| n == op),
            "{op} by the function in {by_function:?}"
        );
    }
    let d = ok(
        w,
        &admin,
        "secretsmanager",
        "DescribeSecret",
        json!({ "SecretId": "prod/db" }),
    );
    assert_eq!(d["RotationEnabled"], json!(true));
    assert_eq!(d["RotationLambdaARN"], json!(RDS_FN));
    assert_eq!(d["RotationRules"]["AutomaticallyAfterDays"], json!(30));
    let last = d["LastRotatedDate"].as_f64().unwrap();
    assert_eq!(
        d["NextRotationDate"].as_f64().unwrap(),
        last + 30.0 * 86_400.0
    );
    let stages = d["VersionIdsToStages"].as_object().unwrap();
    let current = stages[&token].as_array().unwrap();
    assert!(current.contains(&json!("AWSCURRENT")));
    assert!(
        stages
            .values()
            .any(|s| s.as_array().unwrap().contains(&json!("AWSPREVIOUS")))
    );
    // The previous version still holds the old password.
    let prev = ok(
        w,
        &admin,
        "secretsmanager",
        "GetSecretValue",
        json!({ "SecretId": "prod/db", "VersionStage": "AWSPREVIOUS" }),
    );
    assert!(
        prev["SecretString"]
            .as_str()
            .unwrap()
            .contains("Initial-Passw0rd")
    );
    // The execution role exists, trusted by Lambda, with the template's Secrets Manager policy.
    let role = ok(
        w,
        &admin,
        "iam",
        "GetRole",
        json!({ "RoleName": "KmsLabRotationFunctionRole" }),
    );
    assert!(
        role["Role"]["AssumeRolePolicyDocument"]
            .to_string()
            .contains("lambda.amazonaws.com")
    );
}

#[test]
fn schedules_fall_due_on_the_world_clock() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let w = &mut lab.w;
    ok(
        w,
        &admin,
        "secretsmanager",
        "CreateSecret",
        json!({ "Name": "app/api", "SecretString": "{\"user\":\"svc\",\"password\":\"one\"}" }),
    );
    let started = ok(
        w,
        &admin,
        "secretsmanager",
        "RotateSecret",
        json!({
            "SecretId": "app/api", "RotationLambdaARN": GENERIC,
            "RotationRules": { "ScheduleExpression": "rate(2 days)" }, "RotateImmediately": false,
        }),
    );
    assert!(
        started.get("VersionId").is_none(),
        "nothing rotates now: {started}"
    );
    assert_eq!(password(w, &admin, "app/api"), "one");
    let d = ok(
        w,
        &admin,
        "secretsmanager",
        "DescribeSecret",
        json!({ "SecretId": "app/api" }),
    );
    assert!(d.get("LastRotatedDate").is_none());
    let next = d["NextRotationDate"].as_f64().unwrap();
    w.advance_clock(DAY);
    assert_eq!(
        password(w, &admin, "app/api"),
        "one",
        "not due after one day"
    );
    w.advance_clock(DAY);
    let rotated = current(w, &admin, "app/api");
    assert_ne!(rotated["password"], json!("one"));
    assert_eq!(rotated["user"], json!("svc"), "other fields are kept");
    let d = ok(
        w,
        &admin,
        "secretsmanager",
        "DescribeSecret",
        json!({ "SecretId": "app/api" }),
    );
    assert_eq!(d["LastRotatedDate"].as_f64().unwrap(), next);
}

#[test]
fn a_customer_managed_key_must_allow_the_function_role() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let key = lab.create_key();
    database_and_secret(&mut lab, Some(&key));
    let w = &mut lab.w;
    ok(
        w,
        &admin,
        "secretsmanager",
        "RotateSecret",
        json!({
            "SecretId": "prod/db", "RotationLambdaARN": RDS_FN,
            "RotationRules": { "AutomaticallyAfterDays": 7 },
        }),
    );
    let before = w.events().count();
    // The key policy delegates to IAM, and the role has no KMS permission: createSecret fails
    // reading the current version, and nothing changes.
    assert_eq!(password(w, &admin, "prod/db"), "Initial-Passw0rd");
    assert!(logs_in(w, "Initial-Passw0rd"));
    let denied = w
        .events()
        .skip(before)
        .find(|e| {
            e.record["userIdentity"]["arn"] == ROLE_SESSION && e.event_name == "GetSecretValue"
        })
        .expect("the function's GetSecretValue");
    assert_eq!(denied.record["errorCode"], json!("AccessDeniedException"));
    let d = ok(
        w,
        &admin,
        "secretsmanager",
        "DescribeSecret",
        json!({ "SecretId": "prod/db" }),
    );
    assert!(d.get("LastRotatedDate").is_none());
    // Let the role use the key through Secrets Manager; rotate again.
    ok(
        w,
        &admin,
        "iam",
        "PutRolePolicy",
        json!({
            "RoleName": "KmsLabRotationFunctionRole", "PolicyName": "UseSecretKey",
            "PolicyDocument": json!({ "Version": "2012-10-17", "Statement": [{ "Effect": "Allow",
                "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": "*",
                "Condition": { "StringEquals": { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" } } }] }).to_string(),
        }),
    );
    ok(
        w,
        &admin,
        "secretsmanager",
        "RotateSecret",
        json!({ "SecretId": "prod/db" }),
    );
    let new = password(w, &admin, "prod/db");
    assert_ne!(new, "Initial-Passw0rd");
    assert!(logs_in(w, &new));
}

#[test]
fn an_unfinished_rotation_is_reported_and_reattempted() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    database_and_secret(&mut lab, None);
    let w = &mut lab.w;
    // Someone changes the password outside Secrets Manager: the function can't log in.
    ok(
        w,
        &admin,
        "rds",
        "ModifyDBInstance",
        json!({
            "DBInstanceIdentifier": "orders", "MasterUserPassword": "Changed-By-Hand1", "ApplyImmediately": true,
        }),
    );
    ok(
        w,
        &admin,
        "secretsmanager",
        "RotateSecret",
        json!({
            "SecretId": "prod/db", "RotationLambdaARN": RDS_FN,
            "RotationRules": { "AutomaticallyAfterDays": 30 },
        }),
    );
    assert_eq!(
        password(w, &admin, "prod/db"),
        "Initial-Passw0rd",
        "AWSCURRENT is unchanged"
    );
    let pending = ok(
        w,
        &admin,
        "secretsmanager",
        "GetSecretValue",
        json!({ "SecretId": "prod/db", "VersionStage": "AWSPENDING" }),
    );
    assert!(
        pending["VersionStages"]
            .as_array()
            .unwrap()
            .contains(&json!("AWSPENDING"))
    );
    let e = err(w, &admin, "RotateSecret", json!({ "SecretId": "prod/db" }));
    assert_eq!(e.code, "InvalidRequestException");
    assert_eq!(
        e.message,
        "A previous rotation isn't complete. That rotation will be reattempted."
    );
    // Fix the secret's current value; the reattempt then finishes with the pending version.
    ok(
        w,
        &admin,
        "secretsmanager",
        "PutSecretValue",
        json!({
            "SecretId": "prod/db", "SecretString": json!({ "engine": "mysql", "username": "admin",
                "password": "Changed-By-Hand1", "dbInstanceIdentifier": "orders" }).to_string(),
        }),
    );
    let e = err(w, &admin, "RotateSecret", json!({ "SecretId": "prod/db" }));
    assert_eq!(e.code, "InvalidRequestException");
    let new = password(w, &admin, "prod/db");
    assert_eq!(new, pending_password(&pending));
    assert!(logs_in(w, &new));
}

fn pending_password(v: &Value) -> String {
    let s: Value = serde_json::from_str(v["SecretString"].as_str().unwrap()).unwrap();
    s["password"].as_str().unwrap().to_owned()
}

#[test]
fn rotate_secret_refuses_what_it_cannot_rotate() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let w = &mut lab.w;
    ok(
        w,
        &admin,
        "secretsmanager",
        "CreateSecret",
        json!({ "Name": "plain", "SecretString": "x" }),
    );
    let e = err(w, &admin, "RotateSecret", json!({ "SecretId": "plain" }));
    assert_eq!(e.code, "InvalidRequestException");
    assert_eq!(
        e.message,
        "No Lambda rotation function ARN is associated with this secret."
    );
    let e = err(
        w,
        &admin,
        "RotateSecret",
        json!({ "SecretId": "plain",
        "RotationLambdaARN": "arn:aws:lambda:us-east-1:111122223333:function:my-rotator",
        "RotationRules": { "AutomaticallyAfterDays": 30 } }),
    );
    assert_eq!(e.code, "AccessDeniedException");
    assert!(
        e.message
            .starts_with("Secrets Manager cannot invoke the specified Lambda function.")
    );
    let e = err(
        w,
        &admin,
        "RotateSecret",
        json!({ "SecretId": "plain", "RotationLambdaARN": GENERIC,
        "RotationRules": { "AutomaticallyAfterDays": 1001 } }),
    );
    assert_eq!(e.code, "ValidationException");
    let e = err(
        w,
        &admin,
        "RotateSecret",
        json!({ "SecretId": "plain", "RotationLambdaARN": GENERIC,
        "RotationRules": { "ScheduleExpression": "rate(1 hours)" } }),
    );
    assert_eq!(e.code, "InvalidParameterException");
    let e = err(
        w,
        &admin,
        "RotateSecret",
        json!({ "SecretId": "plain", "RotationLambdaARN": GENERIC }),
    );
    assert_eq!(e.code, "InvalidParameterException");
    // Nothing was turned on by the refusals.
    let d = ok(
        w,
        &admin,
        "secretsmanager",
        "DescribeSecret",
        json!({ "SecretId": "plain" }),
    );
    assert!(d.get("RotationEnabled").is_none());
    // Cancel turns rotation off.
    ok(
        w,
        &admin,
        "secretsmanager",
        "RotateSecret",
        json!({ "SecretId": "plain", "RotationLambdaARN": GENERIC,
        "RotationRules": { "AutomaticallyAfterDays": 10 }, "RotateImmediately": false }),
    );
    ok(
        w,
        &admin,
        "secretsmanager",
        "CancelRotateSecret",
        json!({ "SecretId": "plain" }),
    );
    let d = ok(
        w,
        &admin,
        "secretsmanager",
        "DescribeSecret",
        json!({ "SecretId": "plain" }),
    );
    assert!(d.get("RotationEnabled").is_none());
    assert!(d.get("NextRotationDate").is_none());
}

#[test]
fn an_rds_managed_secret_rotates_through_rds() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let w = &mut lab.w;
    let db = ok(
        w,
        &admin,
        "rds",
        "CreateDBInstance",
        json!({
            "DBInstanceIdentifier": "billing", "Engine": "postgres", "DBInstanceClass": "db.t3.micro",
            "AllocatedStorage": 20, "MasterUsername": "dbadmin", "ManageMasterUserPassword": true,
        }),
    );
    let arn = db["DBInstance"]["MasterUserSecret"]["SecretArn"]
        .as_str()
        .unwrap()
        .to_owned();
    let first = current(w, &admin, &arn)["password"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(cloud::rds::login(w, ACCOUNT, REGION, "billing", "dbadmin", &first).is_ok());
    let e = err(
        w,
        &admin,
        "RotateSecret",
        json!({ "SecretId": arn, "RotationLambdaARN": GENERIC }),
    );
    assert_eq!(e.code, "InvalidRequestException");
    ok(
        w,
        &admin,
        "secretsmanager",
        "RotateSecret",
        json!({ "SecretId": arn }),
    );
    let second = current(w, &admin, &arn)["password"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(first, second);
    assert!(cloud::rds::login(w, ACCOUNT, REGION, "billing", "dbadmin", &second).is_ok());
    assert!(cloud::rds::login(w, ACCOUNT, REGION, "billing", "dbadmin", &first).is_err());
    let d = ok(
        w,
        &admin,
        "secretsmanager",
        "DescribeSecret",
        json!({ "SecretId": arn }),
    );
    assert_eq!(d["OwningService"], json!("rds"));
}

#[test]
fn a_managed_secret_changes_only_through_its_service() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let w = &mut lab.w;
    let db = ok(
        w,
        &admin,
        "rds",
        "CreateDBInstance",
        json!({
            "DBInstanceIdentifier": "crm", "Engine": "mysql", "DBInstanceClass": "db.t3.micro",
            "AllocatedStorage": 20, "MasterUsername": "admin", "ManageMasterUserPassword": true,
        }),
    );
    let arn = db["DBInstance"]["MasterUserSecret"]["SecretArn"]
        .as_str()
        .unwrap()
        .to_owned();
    for (op, extra) in [
        ("PutSecretValue", json!({ "SecretString": "x" })),
        ("UpdateSecret", json!({ "Description": "mine now" })),
        (
            "DeleteSecret",
            json!({ "ForceDeleteWithoutRecovery": true }),
        ),
        ("CancelRotateSecret", json!({})),
    ] {
        let mut input = extra;
        input["SecretId"] = json!(arn);
        let e = err(w, &admin, op, input);
        assert_eq!(e.code, "InvalidRequestException", "{op}");
        assert!(e.message.contains("managed by rds"), "{op}: {}", e.message);
    }
    // Reads and resource policies still work.
    let first = password(w, &admin, &arn);
    ok(
        w,
        &admin,
        "secretsmanager",
        "PutResourcePolicy",
        json!({ "SecretId": arn,
        "ResourcePolicy": json!({ "Version": "2012-10-17", "Statement": [{ "Effect": "Allow",
            "Principal": { "AWS": "arn:aws:iam::444455556666:root" },
            "Action": "secretsmanager:GetSecretValue", "Resource": "*" }] }).to_string() }),
    );
    assert!(cloud::rds::login(w, ACCOUNT, REGION, "crm", "admin", &first).is_ok());
}
