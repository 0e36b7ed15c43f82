//! `aws s3api`, `aws s3 cp`, `aws ec2`, `aws rds` and `lab load` scripts through the simulated world.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use awscli::{FileSystem, MemFs, ScriptOptions, Session};

const START: i64 = 1_795_377_659_000;

#[test]
fn s3_with_sse_kms_through_the_cli() {
    let mut s = Session::new(42, START);
    let mut fs = MemFs::new();
    let script = r#"
KEY=$(aws kms create-key --query KeyMetadata.Arn --output text)
aws s3 mb s3://lab-reports
aws s3api put-bucket-encryption --bucket lab-reports --server-side-encryption-configuration '{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"'$KEY'"},"BucketKeyEnabled":false}]}'
echo "quarterly numbers" > q1.txt
aws s3 cp q1.txt s3://lab-reports/q1.txt
aws s3api put-object --bucket lab-reports --key q2.txt --body q1.txt --server-side-encryption aws:kms --ssekms-key-id $KEY
aws s3api head-object --bucket lab-reports --key q2.txt --query ServerSideEncryption --output text > sse.txt
aws s3api get-object --bucket lab-reports --key q2.txt back.txt
aws s3 cp s3://lab-reports/q1.txt copy.txt
aws s3 ls s3://lab-reports
aws kms disable-key --key-id $KEY
lab expect KMS.DisabledException -- aws s3api get-object --bucket lab-reports --key q1.txt out.txt
aws s3api get-bucket-encryption --bucket lab-reports --query 'ServerSideEncryptionConfiguration.Rules[0].BlockedEncryptionTypes.EncryptionType[0]' --output text > blocked.txt
"#;
    let out = s.run_script(script, &mut fs, ScriptOptions::default());
    assert_eq!(out.exit_code, 0, "{out:#?}");
    assert_eq!(fs.read("back.txt").unwrap(), b"quarterly numbers\n");
    assert_eq!(fs.read("copy.txt").unwrap(), b"quarterly numbers\n");
    assert_eq!(fs.read("sse.txt").unwrap(), b"aws:kms\n");
    assert_eq!(fs.read("blocked.txt").unwrap(), b"SSE-C\n");
    let cp = out
        .lines
        .iter()
        .find(|l| l.source.starts_with("aws s3 cp q1"))
        .unwrap();
    assert_eq!(
        cp.output.stdout,
        "upload: q1.txt to s3://lab-reports/q1.txt\n"
    );
    let failed = s.run_line("aws s3 cp q1.txt s3://lab-reports/q3.txt", &mut fs);
    assert_eq!(failed.exit_code, 1);
    assert!(
        failed
            .stderr
            .starts_with("upload failed: q1.txt to s3://lab-reports/q3.txt An error occurred (KMS.DisabledException) when calling the PutObject operation"),
        "{}",
        failed.stderr
    );
}

#[test]
fn lab_load_reports_kms_requests_with_and_without_bucket_keys() {
    let mut s = Session::new(42, START);
    let mut fs = MemFs::new();
    let script = r#"
KEY=$(aws kms create-key --query KeyMetadata.KeyId --output text)
aws s3api create-bucket --bucket plain-kms
aws s3api create-bucket --bucket keyed-kms
aws s3api put-bucket-encryption --bucket plain-kms --server-side-encryption-configuration '{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"'$KEY'"}}]}'
aws s3api put-bucket-encryption --bucket keyed-kms --server-side-encryption-configuration '{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"'$KEY'"},"BucketKeyEnabled":true}]}'
lab load --s3-put 200 --bucket plain-kms
lab load --s3-put 200 --bucket keyed-kms
"#;
    let out = s.run_script(script, &mut fs, ScriptOptions::default());
    assert_eq!(out.exit_code, 0, "{out:#?}");
    let n = out.lines.len();
    let plain = &out.lines[n - 2].output.stdout;
    let keyed = &out.lines[n - 1].output.stdout;
    assert!(
        plain.contains("200 uploads") && plain.contains(": 200 KMS requests"),
        "{plain}"
    );
    assert!(
        keyed.contains("Bucket Key enabled): 1 KMS requests"),
        "{keyed}"
    );
    let bad = s.run_line("lab load --s3-put 5 --bucket missing-bucket", &mut fs);
    assert_eq!(bad.exit_code, 1);
    assert!(bad.stdout.contains("NoSuchBucket"), "{bad:?}");
}

#[test]
fn ebs_encryption_through_the_cli() {
    let mut s = Session::new(42, START);
    let mut fs = MemFs::new();
    let script = r#"
KEY=$(aws kms create-key --query KeyMetadata.KeyId --output text)
aws ec2 enable-ebs-encryption-by-default
aws ec2 get-ebs-encryption-by-default --query EbsEncryptionByDefault --output text > on.txt
VOL=$(aws ec2 create-volume --availability-zone us-east-1a --size 8 --query VolumeId --output text)
aws ec2 wait volume-available --volume-ids $VOL
SNAP=$(aws ec2 create-snapshot --volume-id $VOL --query SnapshotId --output text)
aws ec2 wait snapshot-completed --snapshot-ids $SNAP
lab expect InvalidParameter -- aws ec2 modify-snapshot-attribute --snapshot-id $SNAP --attribute createVolumePermission --operation-type add --user-ids 444455556666
COPY=$(aws ec2 copy-snapshot --source-snapshot-id $SNAP --source-region us-east-1 --encrypted --kms-key-id $KEY --query SnapshotId --output text)
aws ec2 wait snapshot-completed --snapshot-ids $COPY
aws ec2 modify-snapshot-attribute --snapshot-id $COPY --attribute createVolumePermission --operation-type add --user-ids 444455556666
aws ec2 modify-ebs-default-kms-key-id --kms-key-id $KEY
aws kms disable-key --key-id $KEY
lab expect KMS.DisabledException -- aws ec2 create-volume --availability-zone us-east-1a --size 8
lab expect DryRunOperation -- aws ec2 run-instances --image-id ami-1 --min-count 1 --max-count 1 --dry-run
aws ec2 modify-volume --volume-id $VOL --size 16
lab expect 252 -- aws ec2 modify-volume --volume-id $VOL --encrypted
lab expect 252 -- aws ec2 modify-volume --volume-id $VOL --kms-key-id $KEY
"#;
    let out = s.run_script(script, &mut fs, ScriptOptions::default());
    assert_eq!(out.exit_code, 0, "{out:#?}");
    assert_eq!(fs.read("on.txt").unwrap(), b"True\n");
}

#[test]
fn rds_encryption_and_sharing_through_the_cli() {
    let mut s = Session::new(42, START);
    let mut fs = MemFs::new();
    let script = r#"
KEY=$(aws kms create-key --query KeyMetadata.Arn --output text)
aws rds create-db-instance --db-instance-identifier shop --db-instance-class db.t3.micro --engine postgres --allocated-storage 20 --master-username app --master-user-password secret123
aws rds wait db-instance-available --db-instance-identifier shop
aws rds create-db-snapshot --db-snapshot-identifier shop-1 --db-instance-identifier shop
aws rds wait db-snapshot-available --db-snapshot-identifier shop-1
aws rds copy-db-snapshot --source-db-snapshot-identifier shop-1 --target-db-snapshot-identifier shop-1-enc --kms-key-id $KEY
aws rds wait db-snapshot-available --db-snapshot-identifier shop-1-enc
aws rds restore-db-instance-from-db-snapshot --db-instance-identifier shop-enc --db-snapshot-identifier shop-1-enc
aws rds wait db-instance-available --db-instance-identifier shop-enc
aws rds describe-db-instances --db-instance-identifier shop-enc --query 'DBInstances[0].StorageEncrypted' --output text > enc.txt
aws rds create-db-instance --db-instance-identifier crm --db-instance-class db.t3.micro --engine mysql --storage-encrypted
aws rds wait db-instance-available --db-instance-identifier crm
aws rds create-db-snapshot --db-snapshot-identifier crm-1 --db-instance-identifier crm
aws rds wait db-snapshot-available --db-snapshot-identifier crm-1
lab expect InvalidParameterValue -- aws rds modify-db-snapshot-attribute --db-snapshot-identifier crm-1 --attribute-name restore --values-to-add 444455556666
aws rds modify-db-snapshot-attribute --db-snapshot-identifier shop-1-enc --attribute-name restore --values-to-add 444455556666
"#;
    let out = s.run_script(script, &mut fs, ScriptOptions::default());
    assert_eq!(out.exit_code, 0, "{out:#?}");
    assert_eq!(fs.read("enc.txt").unwrap(), b"True\n");
}
