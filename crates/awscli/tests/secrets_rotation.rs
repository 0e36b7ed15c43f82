//! Rotation through the terminal: `lab rotation-functions` lists the stand-ins by ARN,
//! `aws secretsmanager rotate-secret` with one of them really changes the database password,
//! and `lab db-connect` shows it (the old password no longer logs in).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use awscli::{FileSystem, MemFs, ScriptOptions, Session};

const START: i64 = 1_795_377_659_000;

#[test]
fn rotate_a_database_secret_and_log_in_with_it() {
    let mut s = Session::new(42, START);
    let mut fs = MemFs::new();
    let script = r#"
lab rotation-functions > functions.txt
aws rds create-db-instance --db-instance-identifier orders --db-instance-class db.t3.micro --engine mysql --master-username admin --master-user-password Initial-Passw0rd
aws secretsmanager create-secret --name prod/orders/db --secret-string '{"engine":"mysql","username":"admin","password":"Initial-Passw0rd","dbInstanceIdentifier":"orders"}'
lab db-connect --secret-id prod/orders/db > before.txt
aws secretsmanager rotate-secret --secret-id prod/orders/db --rotation-lambda-arn arn:aws:lambda:us-east-1:111122223333:function:KmsLabRotation-RDSSingleUser --rotation-rules AutomaticallyAfterDays=30
lab db-connect --secret-id prod/orders/db > after.txt
lab expect 1 -- lab db-connect --db-instance-identifier orders --username admin --password Initial-Passw0rd
aws secretsmanager describe-secret --secret-id prod/orders/db --query RotationEnabled --output text > enabled.txt
lab expect AccessDeniedException -- aws secretsmanager rotate-secret --secret-id prod/orders/db --rotation-lambda-arn arn:aws:lambda:us-east-1:111122223333:function:my-own
"#;
    let out = s.run_script(script, &mut fs, ScriptOptions::default());
    assert_eq!(out.exit_code, 0, "{out:#?}");
    let functions = String::from_utf8(fs.read("functions.txt").unwrap()).unwrap();
    assert!(
        functions.contains(
            "arn:aws:lambda:us-east-1:111122223333:function:KmsLabRotation-RDSSingleUser"
        )
    );
    assert!(functions.contains("KmsLabRotationFunctionRole"));
    assert!(
        fs.read("before.txt")
            .unwrap()
            .starts_with(b"Connected to orders as admin.")
    );
    assert!(
        fs.read("after.txt")
            .unwrap()
            .starts_with(b"Connected to orders as admin.")
    );
    assert_eq!(fs.read("enabled.txt").unwrap(), b"True\n");
    // The old password is refused in the database's own words.
    let line = out
        .lines
        .iter()
        .find(|l| l.source.starts_with("lab expect 1"))
        .unwrap();
    assert_eq!(line.output.exit_code, 0);
}

#[test]
fn a_wrong_password_is_refused_by_the_database() {
    let mut s = Session::new(42, START);
    let mut fs = MemFs::new();
    let out = s.run_script(
        "aws rds create-db-instance --db-instance-identifier pg --db-instance-class db.t3.micro --engine postgres --master-username app --master-user-password right-one-1\nlab db-connect --db-instance-identifier pg --username app --password wrong\n",
        &mut fs,
        ScriptOptions::default(),
    );
    let last = out.lines.last().unwrap();
    assert_eq!(last.output.exit_code, 1);
    assert_eq!(
        last.output.stderr,
        "psql: error: FATAL:  password authentication failed for user \"app\"\n"
    );
}
