//! `aws dynamodb …` and `aws efs …` through the terminal, with the syntax of the AWS CLI
//! reference: the three DynamoDB encryption options, items, a key disabled under a table, and
//! EFS encryption chosen at creation.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use awscli::{FileSystem, ScriptOptions};
use common::{ok, session};
use serde_json::Value;

fn json(s: &str) -> Value {
    serde_json::from_str(s).unwrap()
}

#[test]
fn create_table_with_a_customer_managed_key_as_the_reference_shows() {
    let (mut s, mut fs) = session();
    let key = ok(
        &mut s,
        &mut fs,
        "aws kms create-key --query KeyMetadata.KeyId --output text",
    );
    let key = key.trim();
    let out = json(&ok(
        &mut s,
        &mut fs,
        &format!(
            "aws dynamodb create-table --table-name MusicCollection \
             --attribute-definitions AttributeName=Artist,AttributeType=S AttributeName=SongTitle,AttributeType=S \
             --key-schema AttributeName=Artist,KeyType=HASH AttributeName=SongTitle,KeyType=RANGE \
             --provisioned-throughput ReadCapacityUnits=5,WriteCapacityUnits=5 \
             --sse-specification Enabled=true,SSEType=KMS,KMSMasterKeyId={key}"
        ),
    ));
    let d = &out["TableDescription"];
    assert_eq!(d["TableStatus"], "CREATING");
    assert_eq!(d["ProvisionedThroughput"]["ReadCapacityUnits"], 5);
    assert_eq!(d["SSEDescription"]["SSEType"], "KMS");
    assert_eq!(
        d["SSEDescription"]["KMSMasterKeyArn"],
        format!("arn:aws:kms:us-east-1:111122223333:key/{key}")
    );
    // CreationDateTime printed as ISO 8601.
    assert!(
        d["CreationDateTime"]
            .as_str()
            .unwrap()
            .starts_with("2026-11-22T")
    );
    ok(
        &mut s,
        &mut fs,
        r#"aws dynamodb put-item --table-name MusicCollection --item '{"Artist": {"S": "No One You Know"}, "SongTitle": {"S": "Call Me Today"}, "AlbumTitle": {"S": "Greatest Hits"}}'"#,
    );
    fs.write(
        "key.json",
        br#"{"Artist": {"S": "No One You Know"}, "SongTitle": {"S": "Call Me Today"}}"#,
    )
    .unwrap();
    assert_eq!(
        ok(
            &mut s,
            &mut fs,
            "aws dynamodb get-item --table-name MusicCollection --key file://key.json --query Item.AlbumTitle.S --output text"
        ),
        "Greatest Hits\n"
    );
    fs.write("values.json", br#"{":v1": {"S": "No One You Know"}}"#)
        .unwrap();
    let q = json(&ok(
        &mut s,
        &mut fs,
        r#"aws dynamodb query --table-name MusicCollection --key-condition-expression "Artist = :v1" --expression-attribute-values file://values.json"#,
    ));
    assert_eq!(q["Count"], 1);
    assert_eq!(q["Items"][0]["SongTitle"]["S"], "Call Me Today");
    assert_eq!(
        ok(
            &mut s,
            &mut fs,
            "aws dynamodb scan --table-name MusicCollection --query Count"
        ),
        "1\n"
    );
    assert_eq!(
        ok(
            &mut s,
            &mut fs,
            "aws dynamodb list-tables --query 'TableNames[0]' --output text"
        ),
        "MusicCollection\n"
    );
}

#[test]
fn switching_keys_and_a_disabled_key_in_a_script() {
    let (mut s, mut fs) = session();
    let script = r#"
KEY=$(aws kms create-key --query KeyMetadata.KeyId --output text)
aws dynamodb create-table --table-name Orders --attribute-definitions AttributeName=id,AttributeType=S --key-schema AttributeName=id,KeyType=HASH --billing-mode PAY_PER_REQUEST
aws dynamodb describe-table --table-name Orders --query 'Table.SSEDescription' --output text > owned.txt
aws dynamodb update-table --table-name Orders --sse-specification Enabled=true,SSEType=KMS
aws dynamodb describe-table --table-name Orders --query 'Table.SSEDescription.KMSMasterKeyArn' --output text > managed.txt
aws dynamodb update-table --table-name Orders --sse-specification Enabled=true,SSEType=KMS,KMSMasterKeyId=$KEY
aws dynamodb put-item --table-name Orders --item '{"id": {"S": "o-1"}, "total": {"N": "42"}}'
aws kms disable-key --key-id $KEY
lab clock advance 10m
aws dynamodb describe-table --table-name Orders --query 'Table.TableStatus' --output text > status.txt
lab expect AccessDeniedException -- aws dynamodb get-item --table-name Orders --key '{"id": {"S": "o-1"}}'
aws kms enable-key --key-id $KEY
aws dynamodb get-item --table-name Orders --key '{"id": {"S": "o-1"}}' --query Item.total.N --output text > total.txt
lab expect ResourceNotFoundException -- aws dynamodb describe-table --table-name Nope
"#;
    let out = s.run_script(script, &mut fs, ScriptOptions::default());
    assert_eq!(out.exit_code, 0, "{out:#?}");
    let read = |fs: &awscli::MemFs, p: &str| String::from_utf8(fs.read(p).unwrap()).unwrap();
    assert_eq!(read(&fs, "owned.txt"), "None\n");
    assert!(read(&fs, "managed.txt").starts_with("arn:aws:kms:us-east-1:111122223333:key/"));
    assert_eq!(
        read(&fs, "status.txt"),
        "INACCESSIBLE_ENCRYPTION_CREDENTIALS\n"
    );
    assert_eq!(read(&fs, "total.txt"), "42\n");
}

#[test]
fn unknown_options_and_missing_members_are_refused_by_the_cli() {
    let (mut s, mut fs) = session();
    let out = s.run_line(
        "aws dynamodb scan --table-name T --filter-expression 'a = :b'",
        &mut fs,
    );
    assert_eq!(out.exit_code, 252, "{}{}", out.stdout, out.stderr);
    let out = s.run_line("aws dynamodb get-item --key '{}'", &mut fs);
    assert_eq!(out.exit_code, 252, "{}{}", out.stdout, out.stderr);
    assert!(out.stderr.contains("--table-name"), "{}", out.stderr);
}

#[test]
fn efs_encryption_is_chosen_at_creation() {
    let (mut s, mut fs) = session();
    let plain = json(&ok(
        &mut s,
        &mut fs,
        "aws efs create-file-system --performance-mode generalPurpose --throughput-mode bursting --tags Key=Name,Value=my-file-system",
    ));
    assert_eq!(plain["Encrypted"], false);
    assert_eq!(plain["Name"], "my-file-system");
    assert!(
        plain["CreationTime"]
            .as_str()
            .unwrap()
            .starts_with("2026-11-22T")
    );
    let enc = json(&ok(
        &mut s,
        &mut fs,
        "aws efs create-file-system --creation-token enc-1 --encrypted",
    ));
    assert_eq!(enc["Encrypted"], true);
    let managed = ok(
        &mut s,
        &mut fs,
        "aws kms describe-key --key-id alias/aws/elasticfilesystem --query KeyMetadata.Arn --output text",
    );
    assert_eq!(format!("{}\n", enc["KmsKeyId"].as_str().unwrap()), managed);
    let key = ok(
        &mut s,
        &mut fs,
        "aws kms create-key --query KeyMetadata.Arn --output text",
    );
    let cmk = json(&ok(
        &mut s,
        &mut fs,
        &format!(
            "aws efs create-file-system --creation-token enc-2 --encrypted --kms-key-id {}",
            key.trim()
        ),
    ));
    assert_eq!(cmk["KmsKeyId"], key.trim());
    let out = s.run_line(
        "aws efs create-file-system --creation-token x --no-encrypted --kms-key-id alias/foo",
        &mut fs,
    );
    assert_eq!(out.exit_code, 254, "{}{}", out.stdout, out.stderr);
    assert!(out.stderr.contains("BadRequest"), "{}", out.stderr);
    assert_eq!(
        ok(
            &mut s,
            &mut fs,
            "aws efs describe-file-systems --query 'length(FileSystems)'"
        ),
        "3\n"
    );
    let id = plain["FileSystemId"].as_str().unwrap();
    assert_eq!(
        ok(
            &mut s,
            &mut fs,
            &format!("aws efs delete-file-system --file-system-id {id}")
        ),
        ""
    );
    let out = s.run_line(
        "aws efs update-file-system-encryption --file-system-id fs-1",
        &mut fs,
    );
    assert_ne!(out.exit_code, 0);
}
