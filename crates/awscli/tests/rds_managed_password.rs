//! `aws rds create-db-instance` / `modify-db-instance` with `--manage-master-user-password` and
//! `--master-user-secret-kms-key-id`, as in the AWS CLI reference, and the secret they make.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use awscli::{FileSystem, MemFs, ScriptOptions, Session};

const START: i64 = 1_795_377_659_000;

#[test]
fn managed_master_passwords_through_the_cli() {
    let mut s = Session::new(42, START);
    let mut fs = MemFs::new();
    let script = r#"
KEY=$(aws kms create-key --query KeyMetadata.Arn --output text)
aws rds create-db-instance --db-instance-identifier shop --db-instance-class db.t3.micro --engine postgres --master-username app --manage-master-user-password --master-user-secret-kms-key-id $KEY
aws rds wait db-instance-available --db-instance-identifier shop
aws rds describe-db-instances --db-instance-identifier shop --query 'DBInstances[0].MasterUserSecret.SecretStatus' --output text > status.txt
SECRET=$(aws rds describe-db-instances --db-instance-identifier shop --query 'DBInstances[0].MasterUserSecret.SecretArn' --output text)
aws secretsmanager get-secret-value --secret-id $SECRET --query SecretString --output text > value.txt
lab expect InvalidParameterCombination -- aws rds create-db-instance --db-instance-identifier bad --db-instance-class db.t3.micro --engine postgres --master-username app --manage-master-user-password --master-user-password secret123
aws rds create-db-instance --db-instance-identifier crm --db-instance-class db.t3.micro --engine mysql --master-username admin --master-user-password secret123
aws rds wait db-instance-available --db-instance-identifier crm
aws rds modify-db-instance --db-instance-identifier crm --manage-master-user-password --apply-immediately
aws rds modify-db-instance --db-instance-identifier crm --rotate-master-user-password --apply-immediately
lab expect InvalidParameterCombination -- aws rds modify-db-instance --db-instance-identifier crm --no-manage-master-user-password
aws rds modify-db-instance --db-instance-identifier crm --no-manage-master-user-password --master-user-password another-secret-1 --apply-immediately
aws rds describe-db-instances --db-instance-identifier crm --query 'DBInstances[0].MasterUserSecret' --output text > off.txt
"#;
    let out = s.run_script(script, &mut fs, ScriptOptions::default());
    assert_eq!(out.exit_code, 0, "{out:#?}");
    assert_eq!(fs.read("status.txt").unwrap(), b"active\n");
    let value = String::from_utf8(fs.read("value.txt").unwrap()).unwrap();
    assert!(value.contains("\"username\":\"app\""), "{value}");
    assert_eq!(fs.read("off.txt").unwrap(), b"None\n");
}
