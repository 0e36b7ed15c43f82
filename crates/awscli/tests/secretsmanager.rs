//! `aws secretsmanager …` through the terminal, as in the AWS CLI reference.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use awscli::{FileSystem, ScriptOptions};
use common::{ok, session};

#[test]
fn create_and_read_a_secret_as_the_cli_reference_shows() {
    let (mut s, mut fs) = session();
    let out: serde_json::Value = serde_json::from_str(&ok(
        &mut s,
        &mut fs,
        r#"aws secretsmanager create-secret --name MyTestSecret --description "My test secret created with the CLI." --secret-string '{"user":"diegor","password":"EXAMPLE-PASSWORD"}'"#,
    ))
    .unwrap();
    let keys: Vec<&str> = out
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["ARN", "Name", "VersionId"]);
    assert!(
        out["ARN"]
            .as_str()
            .unwrap()
            .starts_with("arn:aws:secretsmanager:us-east-1:111122223333:secret:MyTestSecret-")
    );
    assert_eq!(
        ok(
            &mut s,
            &mut fs,
            "aws secretsmanager get-secret-value --secret-id MyTestSecret --query SecretString --output text"
        ),
        "{\"user\":\"diegor\",\"password\":\"EXAMPLE-PASSWORD\"}\n"
    );
    // The documented output shape, CreatedDate printed as ISO 8601.
    let full: serde_json::Value = serde_json::from_str(&ok(
        &mut s,
        &mut fs,
        "aws secretsmanager get-secret-value --secret-id MyTestSecret",
    ))
    .unwrap();
    let keys: Vec<&str> = full
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "ARN",
            "Name",
            "VersionId",
            "SecretString",
            "VersionStages",
            "CreatedDate"
        ]
    );
    assert!(full["CreatedDate"].as_str().unwrap().starts_with("2026-"));
    let described: serde_json::Value = serde_json::from_str(&ok(
        &mut s,
        &mut fs,
        "aws secretsmanager describe-secret --secret-id MyTestSecret",
    ))
    .unwrap();
    assert_eq!(
        described["Description"],
        "My test secret created with the CLI."
    );
    assert!(described["LastChangedDate"].is_string());
}

#[test]
fn secrets_manager_script_with_failures() {
    let (mut s, mut fs) = session();
    let script = r#"
KEY=$(aws kms create-key --query KeyMetadata.KeyId --output text)
aws secretsmanager create-secret --name app/db --secret-string first --kms-key-id $KEY --tags Key=team,Value=web
lab expect ResourceExistsException -- aws secretsmanager create-secret --name app/db --secret-string again
aws secretsmanager put-secret-value --secret-id app/db --secret-string second
aws secretsmanager get-secret-value --secret-id app/db --version-stage AWSPREVIOUS --query SecretString --output text > previous.txt
aws secretsmanager list-secret-version-ids --secret-id app/db --query 'length(Versions)' > versions.txt
aws secretsmanager list-secrets --filters Key=name,Values=app/ --query 'SecretList[0].Name' --output text > listed.txt
aws secretsmanager tag-resource --secret-id app/db --tags Key=env,Value=prod
aws secretsmanager describe-secret --secret-id app/db --query 'length(Tags)' > tags.txt
aws secretsmanager get-random-password --password-length 20 --exclude-punctuation --query 'length(RandomPassword)' > password.txt
aws kms disable-key --key-id $KEY
lab expect DecryptionFailure -- aws secretsmanager get-secret-value --secret-id app/db
aws kms enable-key --key-id $KEY
lab expect InvalidRequestException -- aws secretsmanager rotate-secret --secret-id app/db
aws secretsmanager delete-secret --secret-id app/db --recovery-window-in-days 7
lab expect InvalidRequestException -- aws secretsmanager get-secret-value --secret-id app/db
aws secretsmanager restore-secret --secret-id app/db
aws secretsmanager get-secret-value --secret-id app/db --query SecretString --output text > restored.txt
aws secretsmanager delete-secret --secret-id app/db --force-delete-without-recovery
lab expect ResourceNotFoundException -- aws secretsmanager describe-secret --secret-id app/db
"#;
    let out = s.run_script(script, &mut fs, ScriptOptions::default());
    assert_eq!(out.exit_code, 0, "{out:#?}");
    let read = |fs: &awscli::MemFs, f: &str| String::from_utf8(fs.read(f).unwrap()).unwrap();
    assert_eq!(read(&fs, "previous.txt"), "first\n");
    assert_eq!(read(&fs, "versions.txt"), "2\n");
    assert_eq!(read(&fs, "listed.txt"), "app/db\n");
    assert_eq!(read(&fs, "tags.txt"), "2\n");
    assert_eq!(read(&fs, "password.txt"), "20\n");
    assert_eq!(read(&fs, "restored.txt"), "second\n");
}

#[test]
fn the_app_without_kms_decrypt_gets_access_to_kms_is_not_allowed() {
    let (mut s, mut fs) = session();
    let key = ok(
        &mut s,
        &mut fs,
        "aws kms create-key --query KeyMetadata.KeyId --output text",
    );
    let key = key.trim();
    ok(
        &mut s,
        &mut fs,
        &format!(
            "aws secretsmanager create-secret --name app/api --secret-string k --kms-key-id {key}"
        ),
    );
    let out = s.run_line(
        "aws secretsmanager get-secret-value --secret-id app/api --profile app",
        &mut fs,
    );
    assert_eq!(out.exit_code, 254, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains(
            "An error occurred (AccessDeniedException) when calling the GetSecretValue operation"
        ),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("secretsmanager:GetSecretValue"));
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*"}]}"#;
    ok(
        &mut s,
        &mut fs,
        &format!(
            "aws iam put-role-policy --role-name AppRole --policy-name Secrets --policy-document '{policy}'"
        ),
    );
    let no_decrypt = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:Encrypt","Resource":"*"}]}"#;
    ok(
        &mut s,
        &mut fs,
        &format!(
            "aws iam put-role-policy --role-name AppRole --policy-name AppKeyUse --policy-document '{no_decrypt}'"
        ),
    );
    let out = s.run_line(
        "aws secretsmanager get-secret-value --secret-id app/api --profile app",
        &mut fs,
    );
    assert!(
        out.stderr.contains(
            "An error occurred (AccessDeniedException) when calling the GetSecretValue operation: Access to KMS is not allowed"
        ),
        "{}",
        out.stderr
    );
    // The Why? card names the KMS gate.
    let card = out.why.expect("a Why? card");
    assert_eq!(
        card.gate,
        "Access: Secrets Manager could not use the KMS key as you"
    );
    assert!(card.reading.contains("kms:Decrypt"), "{}", card.reading);
    assert!(card.trace.is_some());
}
