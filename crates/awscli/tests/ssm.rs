//! `aws ssm …` (Parameter Store) through the terminal, as in the AWS CLI reference.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use awscli::{FileSystem, ScriptOptions};
use common::{ok, session};

#[test]
fn secure_string_round_trip_with_and_without_decryption() {
    let (mut s, mut fs) = session();
    let put = ok(
        &mut s,
        &mut fs,
        "aws ssm put-parameter --name /app/db --value s3cr3t --type SecureString",
    );
    let put: serde_json::Value = serde_json::from_str(&put).unwrap();
    assert_eq!(put, serde_json::json!({ "Version": 1, "Tier": "Standard" }));
    assert_eq!(
        ok(
            &mut s,
            &mut fs,
            "aws ssm get-parameter --name /app/db --with-decryption --query Parameter.Value --output text"
        ),
        "s3cr3t\n"
    );
    let raw = ok(
        &mut s,
        &mut fs,
        "aws ssm get-parameter --name /app/db --no-with-decryption --query Parameter.Value --output text",
    );
    assert_ne!(raw, "s3cr3t\n");
    // The documented output shape, with LastModifiedDate printed as ISO 8601.
    let full: serde_json::Value =
        serde_json::from_str(&ok(&mut s, &mut fs, "aws ssm get-parameter --name /app/db")).unwrap();
    let p = &full["Parameter"];
    let keys: Vec<&str> = p.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "Name",
            "Type",
            "Value",
            "Version",
            "LastModifiedDate",
            "ARN",
            "DataType"
        ]
    );
    assert!(
        p["LastModifiedDate"]
            .as_str()
            .unwrap()
            .starts_with("2026-11-22T")
    );
    assert_eq!(
        p["ARN"],
        "arn:aws:ssm:us-east-1:111122223333:parameter/app/db"
    );
}

#[test]
fn parameter_store_script_with_failures() {
    let (mut s, mut fs) = session();
    let script = r#"
KEY=$(aws kms create-key --query KeyMetadata.KeyId --output text)
aws ssm put-parameter --name /app/url --value https://one --type String
lab expect ParameterAlreadyExists -- aws ssm put-parameter --name /app/url --value https://two --type String
aws ssm put-parameter --name /app/url --value https://two --overwrite
aws ssm label-parameter-version --name /app/url --parameter-version 1 --labels prod
aws ssm get-parameter --name /app/url:prod --query Parameter.Value --output text > prod.txt
aws ssm put-parameter --name /app/key --value k1 --type SecureString --key-id $KEY --tier Advanced
aws ssm get-parameters --names /app/url /app/nothing --query InvalidParameters --output text > invalid.txt
aws ssm get-parameters-by-path --path /app --with-decryption --query 'Parameters[].Value' --output text > values.txt
aws ssm describe-parameters --parameter-filters Key=Type,Values=SecureString --query 'Parameters[0].[Name,Tier]' --output text > described.txt
aws ssm get-parameter-history --name /app/url --query 'length(Parameters)' > history.txt
aws ssm add-tags-to-resource --resource-type Parameter --resource-id /app/url --tags Key=team,Value=web
aws ssm list-tags-for-resource --resource-type Parameter --resource-id /app/url --query 'TagList[0].Value' --output text > tag.txt
lab expect ValidationException -- aws ssm put-parameter --name /app/key --value k2 --overwrite --tier Standard
aws kms disable-key --key-id $KEY
lab expect InvalidKeyId -- aws ssm get-parameter --name /app/key --with-decryption
aws ssm get-parameter --name /app/key --query Parameter.Type --output text > type.txt
aws ssm delete-parameter --name /app/url
lab expect ParameterNotFound -- aws ssm get-parameter --name /app/url
aws ssm delete-parameters --names /app/key /app/url --query InvalidParameters --output text > deleted.txt
"#;
    let out = s.run_script(script, &mut fs, ScriptOptions::default());
    assert_eq!(out.exit_code, 0, "{out:#?}");
    let read = |fs: &awscli::MemFs, f: &str| String::from_utf8(fs.read(f).unwrap()).unwrap();
    assert_eq!(read(&fs, "prod.txt"), "https://one\n");
    assert_eq!(read(&fs, "invalid.txt"), "/app/nothing\n");
    assert_eq!(read(&fs, "values.txt"), "k1\thttps://two\n");
    assert_eq!(read(&fs, "described.txt"), "/app/key\tAdvanced\n");
    assert_eq!(read(&fs, "history.txt"), "2\n");
    assert_eq!(read(&fs, "tag.txt"), "web\n");
    assert_eq!(read(&fs, "type.txt"), "SecureString\n");
    assert_eq!(read(&fs, "deleted.txt"), "/app/url\n");
}

#[test]
fn the_app_profile_without_ssm_permissions_is_denied() {
    let (mut s, mut fs) = session();
    ok(
        &mut s,
        &mut fs,
        "aws ssm put-parameter --name /app/db --value s3cr3t --type SecureString",
    );
    let out = s.run_line(
        "aws ssm get-parameter --name /app/db --with-decryption --profile app",
        &mut fs,
    );
    assert_eq!(out.exit_code, 254, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains(
            "An error occurred (AccessDeniedException) when calling the GetParameter operation"
        ),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("ssm:GetParameter"));
}

/// `lab cost` prices what Secrets Manager and Parameter Store hold: $0.40 per secret and $0.05
/// per Advanced parameter per month; Standard parameters are free and add no line.
#[test]
fn lab_cost_prices_secrets_and_advanced_parameters() {
    let (mut s, mut fs) = session();
    let quiet = s.run_line("lab cost", &mut fs).stdout;
    assert!(!quiet.contains("Other services"), "{quiet}");
    ok(
        &mut s,
        &mut fs,
        "aws ssm put-parameter --name /std --value x --type String",
    );
    let standard_only = s.run_line("lab cost", &mut fs).stdout;
    assert!(
        !standard_only.contains("Parameter Store"),
        "{standard_only}"
    );
    ok(
        &mut s,
        &mut fs,
        "aws secretsmanager create-secret --name db --secret-string pw",
    );
    ok(
        &mut s,
        &mut fs,
        "aws secretsmanager create-secret --name api --secret-string k",
    );
    ok(
        &mut s,
        &mut fs,
        "aws ssm put-parameter --name /big --value x --type String --tier Advanced",
    );
    let out = s.run_line("lab cost", &mut fs).stdout;
    assert!(
        out.contains("Secrets Manager: 2 secret(s) x $0.40 = $0.80"),
        "{out}"
    );
    assert!(
        out.contains("Parameter Store: 1 Advanced parameter(s) x $0.05 = $0.05"),
        "{out}"
    );
}

/// The Why? card of Parameter Store's KMS failures says what Parameter Store did as the caller.
#[test]
fn why_cards_for_parameter_store_kms_failures() {
    let (mut s, mut fs) = session();
    ok(
        &mut s,
        &mut fs,
        "K=$(aws kms create-key --query KeyMetadata.KeyId --output text)",
    );
    ok(
        &mut s,
        &mut fs,
        "aws ssm put-parameter --name /app/db --value s3cr3t --type SecureString --key-id $K",
    );
    ok(&mut s, &mut fs, "aws kms disable-key --key-id $K");
    let out = s.run_line(
        "aws ssm get-parameter --name /app/db --with-decryption",
        &mut fs,
    );
    assert_eq!(out.error_code.as_deref(), Some("InvalidKeyId"), "{out:?}");
    let card = out.why.expect("a card for InvalidKeyId");
    assert!(
        card.reading.contains("DisabledException"),
        "{}",
        card.reading
    );
    assert_eq!(card.gate, "Key state: disabled");
}
