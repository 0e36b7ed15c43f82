//! EBS on top of KMS: encryption by default per account and Region, the default key, volumes,
//! snapshots (encrypting by copy, sharing) and instance launches.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use cloud::{AwsError, CallContext, PARTNER_ACCOUNT, PROD_ACCOUNT, World};
use common::Lab;
use serde_json::{Value, json};

fn ec2(w: &mut World, c: &CallContext, op: &str, input: Value) -> Result<Value, AwsError> {
    w.call(c, "ec2", op, input)
}

/// A call that must succeed. A volume or snapshot it creates is then waited for, as a learner
/// waits (`aws ec2 wait volume-available` / `snapshot-completed`): the clock moves ten minutes.
fn ok(w: &mut World, c: &CallContext, op: &str, input: Value) -> Value {
    let out = ec2(w, c, op, input.clone()).unwrap_or_else(|e| panic!("{op} {input}: {e}"));
    if common::creates_a_resource(op) {
        w.advance_clock(common::READY_MS);
    }
    out
}

#[test]
fn encrypt_an_unencrypted_volume_through_a_snapshot_copy() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    let admin = lab.admin.clone();
    let w = &mut lab.w;
    let vol = ok(
        w,
        &admin,
        "CreateVolume",
        json!({ "AvailabilityZone": "us-east-1a", "Size": 8 }),
    );
    assert_eq!(vol["Encrypted"], false);
    let vid = vol["VolumeId"].as_str().unwrap().to_owned();
    let snap = ok(w, &admin, "CreateSnapshot", json!({ "VolumeId": vid }));
    let sid = snap["SnapshotId"].as_str().unwrap().to_owned();
    assert_eq!(snap["Encrypted"], false);
    let before = w.kms_request_count(PROD_ACCOUNT);
    let copy = ok(
        w,
        &admin,
        "CopySnapshot",
        json!({ "SourceSnapshotId": sid, "SourceRegion": "us-east-1", "Encrypted": true, "KmsKeyId": key }),
    );
    let cid = copy["SnapshotId"].as_str().unwrap().to_owned();
    assert_eq!(w.kms_request_count(PROD_ACCOUNT) - before, 1);
    let gdk = w
        .events()
        .filter(|e| e.event_name == "GenerateDataKeyWithoutPlaintext")
        .last()
        .unwrap();
    assert_eq!(gdk.record["userIdentity"]["invokedBy"], "ec2.amazonaws.com");
    assert_eq!(
        gdk.record["requestParameters"]["encryptionContext"]["aws:ebs:id"],
        cid.as_str()
    );
    let d = ok(
        w,
        &admin,
        "DescribeSnapshots",
        json!({ "SnapshotIds": [cid] }),
    );
    assert_eq!(d["Snapshots"][0]["Encrypted"], true);
    assert!(
        d["Snapshots"][0]["KmsKeyId"]
            .as_str()
            .unwrap()
            .ends_with(&key)
    );
    let enc = ok(
        w,
        &admin,
        "CreateVolume",
        json!({ "AvailabilityZone": "us-east-1a", "SnapshotId": cid }),
    );
    assert_eq!(enc["Encrypted"], true);
    assert!(enc["KmsKeyId"].as_str().unwrap().ends_with(&key));
    // An encrypted snapshot never becomes unencrypted.
    let back = ok(
        w,
        &admin,
        "CopySnapshot",
        json!({ "SourceSnapshotId": cid, "SourceRegion": "us-east-1", "Encrypted": false }),
    );
    let bid = back["SnapshotId"].as_str().unwrap();
    let d = ok(
        w,
        &admin,
        "DescribeSnapshots",
        json!({ "SnapshotIds": [bid] }),
    );
    assert_eq!(d["Snapshots"][0]["Encrypted"], true);
    // KmsKeyId without Encrypted is rejected.
    let e = ec2(
        w,
        &admin,
        "CreateVolume",
        json!({ "Size": 8, "KmsKeyId": key }),
    )
    .unwrap_err();
    assert_eq!(e.code, "InvalidParameterDependency");
    // A cross-Region copy needs a key in the destination Region.
    let mut west = admin.clone();
    west.region = "eu-west-1".into();
    let e = ec2(
        w,
        &west,
        "CopySnapshot",
        json!({ "SourceSnapshotId": cid, "SourceRegion": "us-east-1", "KmsKeyId": format!("arn:aws:kms:us-east-1:{PROD_ACCOUNT}:key/{key}") }),
    )
    .unwrap_err();
    assert!(e.code.starts_with("KMS."), "{e}");
    let ok_west = ok(
        w,
        &west,
        "CopySnapshot",
        json!({ "SourceSnapshotId": cid, "SourceRegion": "us-east-1" }),
    );
    let wid = ok_west["SnapshotId"].as_str().unwrap();
    let d = ok(
        w,
        &west,
        "DescribeSnapshots",
        json!({ "SnapshotIds": [wid] }),
    );
    assert!(
        d["Snapshots"][0]["KmsKeyId"]
            .as_str()
            .unwrap()
            .starts_with("arn:aws:kms:eu-west-1:")
    );
}

#[test]
fn encryption_by_default_is_per_region_and_a_disabled_default_key_stops_launches() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    let admin = lab.admin.clone();
    let w = &mut lab.w;
    ok(w, &admin, "EnableEbsEncryptionByDefault", json!({}));
    assert_eq!(
        ok(w, &admin, "GetEbsEncryptionByDefault", json!({}))["EbsEncryptionByDefault"],
        true
    );
    let mut west = admin.clone();
    west.region = "eu-west-1".into();
    assert_eq!(
        ok(w, &west, "GetEbsEncryptionByDefault", json!({}))["EbsEncryptionByDefault"],
        false
    );
    let managed = w.aws_managed_key(PROD_ACCOUNT, "us-east-1", "ebs").unwrap();
    // Until a key is set, the default is the AWS managed key, shown as its alias (the
    // get-ebs-default-kms-key-id reference).
    assert_eq!(
        ok(w, &admin, "GetEbsDefaultKmsKeyId", json!({}))["KmsKeyId"],
        "alias/aws/ebs"
    );
    let v = ok(w, &admin, "CreateVolume", json!({ "Size": 8 }));
    assert_eq!(v["Encrypted"], true);
    assert!(v["KmsKeyId"].as_str().unwrap().ends_with(&managed));
    ok(
        w,
        &admin,
        "ModifyEbsDefaultKmsKeyId",
        json!({ "KmsKeyId": key }),
    );
    let run = ok(
        w,
        &admin,
        "RunInstances",
        json!({ "ImageId": "ami-0abc", "MinCount": 1, "MaxCount": 1 }),
    );
    let iid = run["Instances"][0]["InstanceId"]
        .as_str()
        .unwrap()
        .to_owned();
    let d = ok(w, &admin, "DescribeInstances", json!({}));
    let inst = &d["Reservations"][0]["Instances"][0];
    assert_eq!(inst["State"]["Name"], "running");
    // Attach made a grant and a Decrypt on the caller's behalf.
    let grant = w
        .events()
        .filter(|e| e.event_name == "CreateGrant")
        .last()
        .unwrap();
    assert_eq!(
        grant.record["userIdentity"]["invokedBy"],
        "ec2.amazonaws.com"
    );
    let vol = ok(w, &admin, "CreateVolume", json!({ "Size": 4 }));
    let vid = vol["VolumeId"].as_str().unwrap();
    ok(
        w,
        &admin,
        "AttachVolume",
        json!({ "VolumeId": vid, "InstanceId": iid, "Device": "/dev/sdf" }),
    );
    ok(w, &admin, "DetachVolume", json!({ "VolumeId": vid }));
    lab.ok("DisableKey", json!({ "KeyId": key }));
    let w = &mut lab.w;
    let run = ok(
        w,
        &admin,
        "RunInstances",
        json!({ "ImageId": "ami-0abc", "MinCount": 1, "MaxCount": 1 }),
    );
    let failed = run["Instances"][0]["InstanceId"]
        .as_str()
        .unwrap()
        .to_owned();
    let d = ok(w, &admin, "DescribeInstances", json!({}));
    let inst = d["Reservations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["Instances"][0])
        .find(|i| i["InstanceId"] == failed.as_str())
        .unwrap()
        .clone();
    assert_eq!(inst["State"]["Name"], "terminated");
    assert_eq!(inst["StateReason"]["Code"], "Client.InternalError");
    let e = ec2(w, &admin, "CreateVolume", json!({ "Size": 8 })).unwrap_err();
    assert_eq!(e.code, "KMS.DisabledException");
    ok(w, &admin, "ResetEbsDefaultKmsKeyId", json!({}));
    ok(w, &admin, "CreateVolume", json!({ "Size": 8 }));
}

#[test]
fn sharing_snapshots_needs_a_customer_managed_key_the_other_account_can_use() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let key = lab.create_key();
    let w = &mut lab.w;
    ok(w, &admin, "EnableEbsEncryptionByDefault", json!({}));
    let v = ok(w, &admin, "CreateVolume", json!({ "Size": 8 }));
    let snap = ok(
        w,
        &admin,
        "CreateSnapshot",
        json!({ "VolumeId": v["VolumeId"] }),
    );
    let sid = snap["SnapshotId"].as_str().unwrap().to_owned();
    let e = ec2(
        w,
        &admin,
        "ModifySnapshotAttribute",
        json!({ "SnapshotId": sid, "Attribute": "createVolumePermission", "OperationType": "add", "UserIds": [PARTNER_ACCOUNT] }),
    )
    .unwrap_err();
    assert_eq!(e.code, "InvalidParameter");
    // Re-encrypt with a customer managed key and share that copy.
    let copy = ok(
        w,
        &admin,
        "CopySnapshot",
        json!({ "SourceSnapshotId": sid, "SourceRegion": "us-east-1", "Encrypted": true, "KmsKeyId": key }),
    );
    let cid = copy["SnapshotId"].as_str().unwrap().to_owned();
    ok(
        w,
        &admin,
        "ModifySnapshotAttribute",
        json!({ "SnapshotId": cid, "CreateVolumePermission": { "Add": [{ "UserId": PARTNER_ACCOUNT }] } }),
    );
    let partner = w.context_for_profile(Some("partner-admin"), None).unwrap();
    let seen = ok(
        w,
        &partner,
        "DescribeSnapshots",
        json!({ "OwnerIds": [PROD_ACCOUNT] }),
    );
    assert_eq!(seen["Snapshots"].as_array().unwrap().len(), 1);
    // Without access to the key, the partner cannot copy it.
    let e = ec2(
        w,
        &partner,
        "CopySnapshot",
        json!({ "SourceSnapshotId": cid, "SourceRegion": "us-east-1" }),
    )
    .unwrap_err();
    assert_eq!(e.code, "UnauthorizedOperation", "{e}");
    let policy = json!({ "Version": "2012-10-17", "Statement": [
        { "Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": { "AWS": format!("arn:aws:iam::{PROD_ACCOUNT}:root") }, "Action": "kms:*", "Resource": "*" },
        { "Sid": "Partner", "Effect": "Allow", "Principal": { "AWS": format!("arn:aws:iam::{PARTNER_ACCOUNT}:root") },
          "Action": ["kms:Decrypt", "kms:DescribeKey", "kms:CreateGrant", "kms:ReEncrypt*", "kms:GenerateDataKeyWithoutPlaintext"], "Resource": "*" }
    ]});
    lab.ok(
        "PutKeyPolicy",
        json!({ "KeyId": key, "Policy": policy.to_string() }),
    );
    let w = &mut lab.w;
    let partner_key =
        w.call(&partner, "kms", "CreateKey", json!({})).unwrap()["KeyMetadata"]["Arn"]
            .as_str()
            .unwrap()
            .to_owned();
    let mine = ok(
        w,
        &partner,
        "CopySnapshot",
        json!({ "SourceSnapshotId": cid, "SourceRegion": "us-east-1", "KmsKeyId": partner_key }),
    );
    let d = ok(
        w,
        &partner,
        "DescribeSnapshots",
        json!({ "SnapshotIds": [mine["SnapshotId"]] }),
    );
    assert_eq!(d["Snapshots"][0]["OwnerId"], PARTNER_ACCOUNT);
    assert_eq!(d["Snapshots"][0]["KmsKeyId"], partner_key.as_str());
}

#[test]
fn modify_volume_grows_a_volume_and_has_no_encryption_parameter() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let w = &mut lab.w;
    let vol = ok(
        w,
        &admin,
        "CreateVolume",
        json!({ "AvailabilityZone": "us-east-1a", "Size": 8 }),
    );
    let vid = vol["VolumeId"].as_str().unwrap().to_owned();
    let m = ok(
        w,
        &admin,
        "ModifyVolume",
        json!({ "VolumeId": vid, "Size": 16 }),
    );
    assert_eq!(m["VolumeModification"]["OriginalSize"], 8);
    assert_eq!(m["VolumeModification"]["TargetSize"], 16);
    let d = ok(w, &admin, "DescribeVolumes", json!({ "VolumeIds": [vid] }));
    assert_eq!(d["Volumes"][0]["Size"], 16);
    assert_eq!(d["Volumes"][0]["Encrypted"], false);
    let e = ec2(
        w,
        &admin,
        "ModifyVolume",
        json!({ "VolumeId": vid, "Size": 4 }),
    )
    .unwrap_err();
    assert_eq!(e.code, "InvalidParameterValue");
    let e = ec2(
        w,
        &admin,
        "ModifyVolume",
        json!({ "VolumeId": "vol-0nope" }),
    )
    .unwrap_err();
    assert_eq!(e.code, "InvalidVolume.NotFound");
}

#[test]
fn naming_alias_aws_ebs_creates_the_aws_managed_key_on_first_use() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let w = &mut lab.w;
    let vol = ok(
        w,
        &admin,
        "CreateVolume",
        json!({ "AvailabilityZone": "us-east-1a", "Size": 8, "Encrypted": true, "KmsKeyId": "alias/aws/ebs" }),
    );
    let managed = w
        .call(
            &admin,
            "kms",
            "DescribeKey",
            json!({ "KeyId": "alias/aws/ebs" }),
        )
        .unwrap();
    assert_eq!(managed["KeyMetadata"]["KeyManager"], "AWS");
    assert_eq!(vol["KmsKeyId"], managed["KeyMetadata"]["Arn"]);
}

/// An instance's root volume is at `/dev/xvda`; an attached volume keeps the device it was
/// attached at (DescribeVolumes, DetachVolume); a device in use is refused; and a running
/// instance's root volume cannot be detached.
#[test]
fn attachments_keep_their_device_and_the_root_volume_stays_put() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let w = &mut lab.w;
    let run = ok(
        w,
        &admin,
        "RunInstances",
        json!({ "ImageId": "ami-0abcdef1234567890", "InstanceType": "t3.micro", "MinCount": 1, "MaxCount": 1 }),
    );
    let instance = run["Instances"][0]["InstanceId"]
        .as_str()
        .unwrap()
        .to_owned();
    let described = ok(
        w,
        &admin,
        "DescribeInstances",
        json!({ "InstanceIds": [instance] }),
    );
    let root =
        described["Reservations"][0]["Instances"][0]["BlockDeviceMappings"][0]["Ebs"]["VolumeId"]
            .as_str()
            .unwrap()
            .to_owned();
    let vols = ok(w, &admin, "DescribeVolumes", json!({ "VolumeIds": [root] }));
    assert_eq!(vols["Volumes"][0]["Attachments"][0]["Device"], "/dev/xvda");
    let e = ec2(w, &admin, "DetachVolume", json!({ "VolumeId": root })).unwrap_err();
    assert_eq!(e.code, "IncorrectState");
    assert_eq!(
        e.message,
        format!("Unable to detach root volume '{root}' from instance '{instance}'")
    );
    let data = ok(
        w,
        &admin,
        "CreateVolume",
        json!({ "AvailabilityZone": "us-east-1a", "Size": 10 }),
    )["VolumeId"]
        .as_str()
        .unwrap()
        .to_owned();
    let e = ec2(
        w,
        &admin,
        "AttachVolume",
        json!({ "VolumeId": data, "InstanceId": instance, "Device": "/dev/xvda" }),
    )
    .unwrap_err();
    assert_eq!(e.code, "InvalidParameterValue");
    assert_eq!(
        e.message,
        "Invalid value '/dev/xvda' for unixDevice. Attachment point /dev/xvda is already in use"
    );
    let att = ok(
        w,
        &admin,
        "AttachVolume",
        json!({ "VolumeId": data, "InstanceId": instance, "Device": "/dev/sdh" }),
    );
    assert_eq!(att["Device"], "/dev/sdh");
    let vols = ok(w, &admin, "DescribeVolumes", json!({ "VolumeIds": [data] }));
    assert_eq!(vols["Volumes"][0]["Attachments"][0]["Device"], "/dev/sdh");
    let det = ok(w, &admin, "DetachVolume", json!({ "VolumeId": data }));
    assert_eq!(det["Device"], "/dev/sdh");
}
