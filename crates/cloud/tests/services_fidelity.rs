//! EC2, RDS and S3 answer with the members AWS's models give for what the lab models (issue 20,
//! item 5): volume types and their performance, tags at creation, the default EBS key's alias,
//! public snapshots; RDS instance and snapshot members and statuses on the simulated clock; S3
//! byte ranges and bucket versioning.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use cloud::{AwsError, CallContext, World};
use common::{Lab, b64, unb64};
use serde_json::{Value, json};

fn call(
    w: &mut World,
    c: &CallContext,
    svc: &str,
    op: &str,
    input: Value,
) -> Result<Value, AwsError> {
    w.call(c, svc, op, input)
}

fn ok(w: &mut World, c: &CallContext, svc: &str, op: &str, input: Value) -> Value {
    call(w, c, svc, op, input.clone()).unwrap_or_else(|e| panic!("{op} {input}: {e}"))
}

fn code(w: &mut World, c: &CallContext, svc: &str, op: &str, input: Value) -> String {
    match call(w, c, svc, op, input.clone()) {
        Ok(v) => panic!("{op} {input} unexpectedly succeeded: {v}"),
        Err(e) => e.code,
    }
}

#[test]
fn volume_types_and_their_performance() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let w = &mut lab.w;
    // gp2 is the default, with a baseline of 3 IOPS per GiB (at least 100).
    let v = ok(w, &admin, "ec2", "CreateVolume", json!({ "Size": 80 }));
    assert_eq!(v["VolumeType"], "gp2");
    assert_eq!(v["Iops"], 240);
    assert_eq!(v["Tags"], json!([]));
    assert_eq!(v["MultiAttachEnabled"], false);
    assert!(v.get("Throughput").is_none());
    let small = ok(w, &admin, "ec2", "CreateVolume", json!({ "Size": 8 }));
    assert_eq!(small["Iops"], 100);
    // gp3: 3,000 IOPS and 125 MiB/s unless given.
    let g = ok(
        w,
        &admin,
        "ec2",
        "CreateVolume",
        json!({ "Size": 8, "VolumeType": "gp3" }),
    );
    assert_eq!(
        (g["Iops"].clone(), g["Throughput"].clone()),
        (json!(3000), json!(125))
    );
    let g = ok(
        w,
        &admin,
        "ec2",
        "CreateVolume",
        json!({ "Size": 100, "VolumeType": "gp3", "Iops": 6000, "Throughput": 500 }),
    );
    assert_eq!(
        (g["Iops"].clone(), g["Throughput"].clone()),
        (json!(6000), json!(500))
    );
    // io1 needs IOPS, at most 50 per GiB; st1 has none and starts at 125 GiB.
    let io1 = ok(
        w,
        &admin,
        "ec2",
        "CreateVolume",
        json!({ "Size": 100, "VolumeType": "io1", "Iops": 1000 }),
    );
    assert_eq!(
        (io1["VolumeType"].clone(), io1["Iops"].clone()),
        (json!("io1"), json!(1000))
    );
    for (input, want) in [
        (
            json!({ "Size": 100, "VolumeType": "io1" }),
            "MissingParameter",
        ),
        (
            json!({ "Size": 10, "VolumeType": "io1", "Iops": 1000 }),
            "InvalidParameterValue",
        ),
        (
            json!({ "Size": 80, "VolumeType": "gp2", "Iops": 300 }),
            "InvalidParameterCombination",
        ),
        (
            json!({ "Size": 80, "VolumeType": "gp2", "Throughput": 300 }),
            "InvalidParameterCombination",
        ),
        (
            json!({ "Size": 80, "VolumeType": "st1" }),
            "InvalidParameterValue",
        ),
        (
            json!({ "Size": 80, "VolumeType": "gp9" }),
            "InvalidParameterValue",
        ),
        (
            json!({ "Size": 8, "VolumeType": "gp3", "Throughput": 1000 }),
            "InvalidParameterValue",
        ),
    ] {
        assert_eq!(
            code(w, &admin, "ec2", "CreateVolume", input.clone()),
            want,
            "{input}"
        );
    }
    let st1 = ok(
        w,
        &admin,
        "ec2",
        "CreateVolume",
        json!({ "Size": 500, "VolumeType": "st1" }),
    );
    assert!(st1.get("Iops").is_none());
    // Tags from TagSpecifications; DescribeVolumes shows them; the state moves on.
    let tagged = ok(
        w,
        &admin,
        "ec2",
        "CreateVolume",
        json!({ "Size": 8, "TagSpecifications": [
            { "ResourceType": "volume", "Tags": [{ "Key": "team", "Value": "data" }] },
            { "ResourceType": "snapshot", "Tags": [{ "Key": "ignored", "Value": "x" }] }
        ] }),
    );
    assert_eq!(tagged["Tags"], json!([{ "Key": "team", "Value": "data" }]));
    assert_eq!(tagged["State"], "creating");
    let id = tagged["VolumeId"].as_str().unwrap().to_owned();
    let d = ok(
        w,
        &admin,
        "ec2",
        "DescribeVolumes",
        json!({ "VolumeIds": [id] }),
    );
    assert_eq!(d["Volumes"][0]["State"], "creating");
    w.advance_clock(60_000);
    let d = ok(
        w,
        &admin,
        "ec2",
        "DescribeVolumes",
        json!({ "VolumeIds": [id] }),
    );
    assert_eq!(d["Volumes"][0]["State"], "available");
    assert_eq!(d["Volumes"][0]["Tags"][0]["Key"], "team");
    // ModifyVolume changes the type: gp2 → gp3 takes gp3's baseline.
    let m = ok(
        w,
        &admin,
        "ec2",
        "ModifyVolume",
        json!({ "VolumeId": id, "VolumeType": "gp3" }),
    );
    let m = &m["VolumeModification"];
    assert_eq!(
        (
            m["OriginalVolumeType"].clone(),
            m["TargetVolumeType"].clone(),
            m["TargetIops"].clone()
        ),
        (json!("gp2"), json!("gp3"), json!(3000))
    );
}

#[test]
fn snapshots_pending_then_completed_tags_and_public_sharing() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let key = lab.create_key();
    let w = &mut lab.w;
    // The default EBS key shows as its alias until one is set.
    let k = ok(w, &admin, "ec2", "GetEbsDefaultKmsKeyId", json!({}));
    assert_eq!(k["KmsKeyId"], "alias/aws/ebs");
    ok(
        w,
        &admin,
        "ec2",
        "ModifyEbsDefaultKmsKeyId",
        json!({ "KmsKeyId": key }),
    );
    let k = ok(w, &admin, "ec2", "GetEbsDefaultKmsKeyId", json!({}));
    assert!(k["KmsKeyId"].as_str().unwrap().ends_with(&key));
    let reset = ok(w, &admin, "ec2", "ResetEbsDefaultKmsKeyId", json!({}));
    assert!(
        reset["KmsKeyId"]
            .as_str()
            .unwrap()
            .starts_with("arn:aws:kms:")
    );
    let k = ok(w, &admin, "ec2", "GetEbsDefaultKmsKeyId", json!({}));
    assert_eq!(k["KmsKeyId"], "alias/aws/ebs");

    let v = ok(w, &admin, "ec2", "CreateVolume", json!({ "Size": 8 }));
    let vid = v["VolumeId"].as_str().unwrap().to_owned();
    let s = ok(
        w,
        &admin,
        "ec2",
        "CreateSnapshot",
        json!({ "VolumeId": vid, "TagSpecifications": [
            { "ResourceType": "snapshot", "Tags": [{ "Key": "purpose", "Value": "prod" }] }
        ] }),
    );
    assert_eq!(
        (s["State"].clone(), s["Progress"].clone()),
        (json!("pending"), json!(""))
    );
    assert_eq!(s["Tags"], json!([{ "Key": "purpose", "Value": "prod" }]));
    let sid = s["SnapshotId"].as_str().unwrap().to_owned();
    w.advance_clock(3_600_000);
    let d = ok(
        w,
        &admin,
        "ec2",
        "DescribeSnapshots",
        json!({ "SnapshotIds": [sid] }),
    );
    assert_eq!(
        (
            d["Snapshots"][0]["State"].clone(),
            d["Snapshots"][0]["Progress"].clone()
        ),
        (json!("completed"), json!("100%"))
    );
    // --group-names all makes an unencrypted snapshot public; another account can then use it.
    ok(
        w,
        &admin,
        "ec2",
        "ModifySnapshotAttribute",
        json!({ "SnapshotId": sid, "Attribute": "createVolumePermission", "OperationType": "add",
                "GroupNames": ["all"] }),
    );
    let a = ok(
        w,
        &admin,
        "ec2",
        "DescribeSnapshotAttribute",
        json!({ "SnapshotId": sid, "Attribute": "createVolumePermission" }),
    );
    assert_eq!(a["CreateVolumePermissions"], json!([{ "Group": "all" }]));
    let partner = w.context_for_profile(Some("partner-admin"), None).unwrap();
    let from_public = ok(
        w,
        &partner,
        "ec2",
        "CreateVolume",
        json!({ "SnapshotId": sid }),
    );
    assert_eq!(from_public["Size"], 8);
    // An encrypted snapshot cannot be made public.
    let ev = ok(
        w,
        &admin,
        "ec2",
        "CreateVolume",
        json!({ "Size": 8, "Encrypted": true, "KmsKeyId": key }),
    );
    let es = ok(
        w,
        &admin,
        "ec2",
        "CreateSnapshot",
        json!({ "VolumeId": ev["VolumeId"] }),
    );
    assert_eq!(
        code(
            w,
            &admin,
            "ec2",
            "ModifySnapshotAttribute",
            json!({ "SnapshotId": es["SnapshotId"], "Attribute": "createVolumePermission",
                    "OperationType": "add", "GroupNames": ["all"] }),
        ),
        "InvalidParameter"
    );
}

#[test]
fn rds_instances_and_snapshots_carry_the_model_members_and_move_on_the_clock() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let w = &mut lab.w;
    let created = ok(
        w,
        &admin,
        "rds",
        "CreateDBInstance",
        json!({ "DBInstanceIdentifier": "db1", "DBInstanceClass": "db.t3.micro", "Engine": "mysql",
                "MasterUsername": "admin", "MasterUserPassword": "secret99", "AllocatedStorage": 20,
                "StorageEncrypted": true }),
    )["DBInstance"]
        .clone();
    assert_eq!(created["DBInstanceStatus"], "creating");
    assert_eq!(
        created["PendingModifiedValues"],
        json!({ "MasterUserPassword": "****" })
    );
    for absent in ["Endpoint", "InstanceCreateTime", "AvailabilityZone"] {
        assert!(created.get(absent).is_none(), "{absent} while creating");
    }
    assert_eq!(created["EngineVersion"], "8.0.41");
    assert_eq!(created["StorageType"], "gp3");
    assert_eq!(
        (
            created["Iops"].clone(),
            created["StorageThroughput"].clone()
        ),
        (json!(3000), json!(125))
    );
    assert_eq!(created["LicenseModel"], "general-public-license");
    assert_eq!(created["BackupRetentionPeriod"], 1);
    assert_eq!(created["MultiAZ"], false);
    assert_eq!(created["DbInstancePort"], 0);
    assert_eq!(
        created["DBParameterGroups"][0]["DBParameterGroupName"],
        "default.mysql8.0"
    );
    assert_eq!(
        created["OptionGroupMemberships"][0]["OptionGroupName"],
        "default:mysql-8-0"
    );
    assert_eq!(
        created["DBSubnetGroup"]["Subnets"]
            .as_array()
            .unwrap()
            .len(),
        6
    );
    assert!(
        created["DbiResourceId"]
            .as_str()
            .unwrap()
            .starts_with("db-")
    );
    w.advance_clock(3_600_000);
    let d = ok(
        w,
        &admin,
        "rds",
        "DescribeDBInstances",
        json!({ "DBInstanceIdentifier": "db1" }),
    );
    let d = &d["DBInstances"][0];
    assert_eq!(d["DBInstanceStatus"], "available");
    assert_eq!(d["Endpoint"]["Port"], 3306);
    assert_eq!(d["PendingModifiedValues"], json!({}));
    let snap = ok(
        w,
        &admin,
        "rds",
        "CreateDBSnapshot",
        json!({ "DBInstanceIdentifier": "db1", "DBSnapshotIdentifier": "s1" }),
    )["DBSnapshot"]
        .clone();
    assert_eq!(
        (snap["Status"].clone(), snap["PercentProgress"].clone()),
        (json!("creating"), json!(0))
    );
    assert_eq!(snap["MasterUsername"], "admin");
    assert_eq!(snap["Port"], 3306);
    assert!(snap.get("SnapshotCreateTime").is_none());
    w.advance_clock(3_600_000);
    let copy = ok(
        w,
        &admin,
        "rds",
        "CopyDBSnapshot",
        json!({ "SourceDBSnapshotIdentifier": "s1", "TargetDBSnapshotIdentifier": "s1-copy" }),
    )["DBSnapshot"]
        .clone();
    assert_eq!(copy["Status"], "creating");
    assert_eq!(copy["SourceRegion"], "us-east-1");
    let listed = ok(
        w,
        &admin,
        "rds",
        "DescribeDBSnapshots",
        json!({ "DBSnapshotIdentifier": "s1" }),
    );
    assert_eq!(listed["DBSnapshots"][0]["Status"], "available");
    assert_eq!(listed["DBSnapshots"][0]["PercentProgress"], 100);
    // A restore keeps the engine version and master user; io1 needs IOPS.
    let restored = ok(
        w,
        &admin,
        "rds",
        "RestoreDBInstanceFromDBSnapshot",
        json!({ "DBInstanceIdentifier": "db2", "DBSnapshotIdentifier": "s1" }),
    )["DBInstance"]
        .clone();
    assert_eq!(restored["MasterUsername"], "admin");
    assert_eq!(restored["PendingModifiedValues"], json!({}));
    assert_eq!(
        code(
            w,
            &admin,
            "rds",
            "CreateDBInstance",
            json!({ "DBInstanceIdentifier": "db3", "DBInstanceClass": "db.t3.micro", "Engine": "postgres",
                    "AllocatedStorage": 100, "StorageType": "io1" }),
        ),
        "InvalidParameterCombination"
    );
    // Deletion protection refuses DeleteDBInstance.
    ok(
        w,
        &admin,
        "rds",
        "CreateDBInstance",
        json!({ "DBInstanceIdentifier": "kept", "DBInstanceClass": "db.t3.micro", "Engine": "postgres",
                "AllocatedStorage": 20, "DeletionProtection": true }),
    );
    assert_eq!(
        code(
            w,
            &admin,
            "rds",
            "DeleteDBInstance",
            json!({ "DBInstanceIdentifier": "kept" })
        ),
        "InvalidParameterCombination"
    );
}

#[test]
fn s3_ranges_and_versioning() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let w = &mut lab.w;
    ok(w, &admin, "s3", "CreateBucket", json!({ "Bucket": "vers" }));
    let body: Vec<u8> = (0..100u8).collect();
    let put = ok(
        w,
        &admin,
        "s3",
        "PutObject",
        json!({ "Bucket": "vers", "Key": "k", "Body": b64(&body) }),
    );
    assert!(put.get("VersionId").is_none(), "no versioning yet");
    let part = ok(
        w,
        &admin,
        "s3",
        "GetObject",
        json!({ "Bucket": "vers", "Key": "k", "Range": "bytes=10-19" }),
    );
    assert_eq!(unb64(&part["Body"]), (10..20u8).collect::<Vec<_>>());
    assert_eq!(
        (part["ContentLength"].clone(), part["ContentRange"].clone()),
        (json!(10), json!("bytes 10-19/100"))
    );
    let tail = ok(
        w,
        &admin,
        "s3",
        "GetObject",
        json!({ "Bucket": "vers", "Key": "k", "Range": "bytes=-5" }),
    );
    assert_eq!(unb64(&tail["Body"]), (95..100u8).collect::<Vec<_>>());
    assert_eq!(
        code(
            w,
            &admin,
            "s3",
            "GetObject",
            json!({ "Bucket": "vers", "Key": "k", "Range": "bytes=100-" })
        ),
        "InvalidRange"
    );
    assert_eq!(
        ok(
            w,
            &admin,
            "s3",
            "GetBucketVersioning",
            json!({ "Bucket": "vers" })
        ),
        json!({})
    );
    ok(
        w,
        &admin,
        "s3",
        "PutBucketVersioning",
        json!({ "Bucket": "vers", "VersioningConfiguration": { "Status": "Enabled" } }),
    );
    assert_eq!(
        ok(
            w,
            &admin,
            "s3",
            "GetBucketVersioning",
            json!({ "Bucket": "vers" })
        )["Status"],
        "Enabled"
    );
    let v2 = ok(
        w,
        &admin,
        "s3",
        "PutObject",
        json!({ "Bucket": "vers", "Key": "k", "Body": b64(b"second") }),
    );
    let v2_id = v2["VersionId"].as_str().unwrap().to_owned();
    assert_eq!(v2_id.len(), 32);
    let head = ok(
        w,
        &admin,
        "s3",
        "HeadObject",
        json!({ "Bucket": "vers", "Key": "k" }),
    );
    assert_eq!(head["VersionId"], v2_id.as_str());
    // The object from before versioning is version null.
    let old = ok(
        w,
        &admin,
        "s3",
        "GetObject",
        json!({ "Bucket": "vers", "Key": "k", "VersionId": "null" }),
    );
    assert_eq!(unb64(&old["Body"]), body);
    assert_eq!(old["VersionId"], "null");
    // A delete adds a marker; the versions stay.
    let del = ok(
        w,
        &admin,
        "s3",
        "DeleteObject",
        json!({ "Bucket": "vers", "Key": "k" }),
    );
    assert_eq!(del["DeleteMarker"], true);
    let marker = del["VersionId"].as_str().unwrap().to_owned();
    assert_eq!(
        code(
            w,
            &admin,
            "s3",
            "GetObject",
            json!({ "Bucket": "vers", "Key": "k" })
        ),
        "NoSuchKey"
    );
    let listed = ok(
        w,
        &admin,
        "s3",
        "ListObjectsV2",
        json!({ "Bucket": "vers" }),
    );
    assert!(listed.get("Contents").is_none());
    let versions = ok(
        w,
        &admin,
        "s3",
        "ListObjectVersions",
        json!({ "Bucket": "vers" }),
    );
    assert_eq!(versions["Versions"].as_array().unwrap().len(), 2);
    assert_eq!(versions["DeleteMarkers"][0]["IsLatest"], true);
    assert_eq!(
        code(w, &admin, "s3", "DeleteBucket", json!({ "Bucket": "vers" })),
        "BucketNotEmpty"
    );
    // Deleting the marker for good brings the key back.
    ok(
        w,
        &admin,
        "s3",
        "DeleteObject",
        json!({ "Bucket": "vers", "Key": "k", "VersionId": marker }),
    );
    let back = ok(
        w,
        &admin,
        "s3",
        "GetObject",
        json!({ "Bucket": "vers", "Key": "k" }),
    );
    assert_eq!(unb64(&back["Body"]), b"second");
    assert_eq!(
        code(
            w,
            &admin,
            "s3",
            "GetObject",
            json!({ "Bucket": "vers", "Key": "k", "VersionId": "nope" })
        ),
        "NoSuchVersion"
    );
}
