//! `ebs-encrypt-existing-volume`: there is no in-place switch; snapshot, make an encrypted copy
//! with the customer managed key (by CopySnapshot or by CreateVolume from the snapshot), swap the
//! volumes and retire the unencrypted one.

use serde_json::{Value, json};

use super::never;
use crate::scenario::{
    Availability, Difficulty, Hint, Objective, Probe, Scenario, Solution, Verdict, WrongTurn,
};

/// The reports volume's size, distinctive so copies can be recognised.
const SIZE: u64 = 137;

fn setup(_seed: u64) -> String {
    format!(
        "\
KEY_ID=$(aws kms create-key --description \"EBS data volumes\" --query KeyMetadata.KeyId --output text)
aws kms create-alias --alias-name alias/ebs-data --target-key-id $KEY_ID
INSTANCE_ID=$(aws ec2 run-instances --image-id ami-0abcdef1234567890 --instance-type t3.micro --min-count 1 --max-count 1 --query Instances[0].InstanceId --output text)
VOLUME_ID=$(aws ec2 create-volume --availability-zone us-east-1a --size {SIZE} --query VolumeId --output text)
aws ec2 attach-volume --volume-id $VOLUME_ID --instance-id $INSTANCE_ID --device /dev/sdf
"
    )
}

fn ec2(p: &mut Probe, op: &str, input: Value) -> Value {
    p.call("admin", "ec2", op, input).unwrap_or(Value::Null)
}

fn volumes(p: &mut Probe) -> Vec<Value> {
    ec2(p, "DescribeVolumes", json!({}))["Volumes"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn snapshots(p: &mut Probe) -> Vec<Value> {
    ec2(p, "DescribeSnapshots", json!({ "OwnerIds": ["self"] }))["Snapshots"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// Snapshots holding the reports volume's data: snapshots of it, and copies of those (a copy
/// does not name its source, so CloudTrail's CopySnapshot requests tell).
fn lineage(p: &mut Probe) -> Vec<String> {
    let vol = p.var("VOLUME_ID");
    let snaps = snapshots(p);
    let mut ids: Vec<String> = snaps
        .iter()
        .filter(|s| s["VolumeId"] == vol.as_str())
        .filter_map(|s| s["SnapshotId"].as_str().map(str::to_owned))
        .collect();
    let copied_from_ours = p.events_since_start().iter().any(|e| {
        let r = &e.record["requestParameters"];
        e.event_name == "CopySnapshot"
            && e.error_code.is_none()
            && [&r["sourceSnapshotId"], &r["SourceSnapshotId"]]
                .iter()
                .any(|v| v.as_str().is_some_and(|s| ids.iter().any(|i| i == s)))
    });
    if copied_from_ours {
        ids.extend(
            snaps
                .iter()
                .filter(|s| s["VolumeId"] == "vol-ffffffff" && s["VolumeSize"] == SIZE)
                .filter_map(|s| s["SnapshotId"].as_str().map(str::to_owned)),
        );
    }
    ids
}

/// Volumes created from the reports volume's data.
fn copies(p: &mut Probe) -> Vec<Value> {
    let ids = lineage(p);
    volumes(p)
        .into_iter()
        .filter(|v| {
            v["SnapshotId"]
                .as_str()
                .is_some_and(|s| ids.iter().any(|i| i == s))
        })
        .collect()
}

fn with_key(p: &Probe, v: &Value) -> bool {
    let key = p.var("KEY_ID");
    v["Encrypted"] == true
        && !key.is_empty()
        && v["KmsKeyId"]
            .as_str()
            .is_some_and(|k| k.ends_with(&format!("key/{key}")))
}

fn good_copies(p: &mut Probe) -> Vec<Value> {
    let all = copies(p);
    all.into_iter().filter(|v| with_key(p, v)).collect()
}

fn encrypted_copy(p: &mut Probe) -> Verdict {
    let good = good_copies(p);
    match good.first() {
        Some(v) => Verdict::pass(format!(
            "{} holds the reports data and is encrypted with the customer managed key.",
            v["VolumeId"].as_str().unwrap_or_default()
        )),
        None if copies(p).is_empty() => {
            Verdict::fail("No volume created from a snapshot of the reports volume exists yet.")
        }
        None => Verdict::fail(
            "A copy of the reports data exists, but not encrypted with alias/ebs-data ($KEY_ID).",
        ),
    }
}

fn attached_to_instance(v: &Value, instance: &str) -> bool {
    v["Attachments"]
        .as_array()
        .is_some_and(|a| a.iter().any(|x| x["InstanceId"] == instance))
}

fn swapped(p: &mut Probe) -> Verdict {
    let instance = p.var("INSTANCE_ID");
    let vol = p.var("VOLUME_ID");
    let good = good_copies(p);
    let Some(v) = good.iter().find(|v| attached_to_instance(v, &instance)) else {
        return Verdict::fail(
            "No encrypted copy of the reports volume is attached to $INSTANCE_ID.",
        );
    };
    let old_attached = volumes(p)
        .iter()
        .any(|o| o["VolumeId"] == vol.as_str() && attached_to_instance(o, &instance));
    if old_attached {
        return Verdict::fail("The unencrypted $VOLUME_ID is still attached to $INSTANCE_ID.");
    }
    Verdict::pass(format!(
        "$INSTANCE_ID now uses {}; the unencrypted volume is detached.",
        v["VolumeId"].as_str().unwrap_or_default()
    ))
}

fn retired(p: &mut Probe) -> Verdict {
    let vol = p.var("VOLUME_ID");
    if volumes(p).iter().any(|v| v["VolumeId"] == vol.as_str()) {
        return Verdict::fail("The unencrypted $VOLUME_ID still exists.");
    }
    if good_copies(p).is_empty() {
        return Verdict::fail(
            "$VOLUME_ID is gone, but no encrypted copy of its data exists: the data is lost.",
        );
    }
    Verdict::pass("The unencrypted volume is deleted; only the encrypted copy remains in use.")
}

fn default_key_used(p: &mut Probe) -> Option<String> {
    let all = copies(p);
    let wrong: Vec<&Value> = all
        .iter()
        .filter(|v| v["Encrypted"] == true && !with_key(p, v))
        .collect();
    (!wrong.is_empty() && good_copies(p).is_empty()).then(|| {
        "Your encrypted copy uses another key (without --kms-key-id EBS picks the account's default \
EBS key, usually aws/ebs). Name the customer managed key: --encrypted --kms-key-id alias/ebs-data."
            .to_owned()
    })
}

fn default_only(p: &mut Probe) -> Option<String> {
    let on = ec2(p, "GetEbsEncryptionByDefault", json!({}))["EbsEncryptionByDefault"] == true;
    (on && copies(p).is_empty()).then(|| {
        "Encryption by default affects only volumes and snapshot copies created from now on; it does \
not encrypt the existing volume. You still need a snapshot and an encrypted copy."
            .to_owned()
    })
}

fn unencrypted_copy(p: &mut Probe) -> Option<String> {
    let all = copies(p);
    (all.iter().any(|v| v["Encrypted"] == false) && good_copies(p).is_empty()).then(|| {
        "A volume restored from an unencrypted snapshot stays unencrypted unless you pass --encrypted \
(with --kms-key-id) to create-volume or copy the snapshot encrypted first."
            .to_owned()
    })
}

fn lost(p: &mut Probe) -> Option<String> {
    let vol = p.var("VOLUME_ID");
    let gone = !volumes(p).iter().any(|v| v["VolumeId"] == vol.as_str());
    (gone && lineage(p).is_empty()).then(|| {
        "You deleted the unencrypted volume before taking a snapshot of it: its data is gone. Snapshot \
first, swap to the encrypted copy, then delete."
            .to_owned()
    })
}

const SWAP: &str = "\
aws ec2 detach-volume --volume-id $VOLUME_ID
aws ec2 attach-volume --volume-id $NEW_VOLUME --instance-id $INSTANCE_ID --device /dev/sdf
aws ec2 delete-volume --volume-id $VOLUME_ID
";

fn solution_copy(_: u64) -> Option<String> {
    Some(format!(
        "\
SNAP=$(aws ec2 create-snapshot --volume-id $VOLUME_ID --description \"reports before encryption\" --query SnapshotId --output text)
ENC_SNAP=$(aws ec2 copy-snapshot --source-snapshot-id $SNAP --source-region us-east-1 --encrypted --kms-key-id alias/ebs-data --query SnapshotId --output text)
NEW_VOLUME=$(aws ec2 create-volume --availability-zone us-east-1a --snapshot-id $ENC_SNAP --query VolumeId --output text)
{SWAP}"
    ))
}

fn solution_create_volume(_: u64) -> Option<String> {
    Some(format!(
        "\
SNAP=$(aws ec2 create-snapshot --volume-id $VOLUME_ID --query SnapshotId --output text)
NEW_VOLUME=$(aws ec2 create-volume --availability-zone us-east-1a --snapshot-id $SNAP --encrypted --kms-key-id $KEY_ID --query VolumeId --output text)
{SWAP}"
    ))
}

pub(super) const SCENARIO: Scenario = Scenario {
    id: "ebs-encrypt-existing-volume",
    title: "Encrypt an existing unencrypted EBS volume",
    exam: "SOA-C03 Domain 4 (Security and Compliance): data protection at rest",
    difficulty: Difficulty::Intermediate,
    minutes: 25,
    availability: Availability::Playable,
    story: "The reporting server $INSTANCE_ID keeps its data on $VOLUME_ID, a 137 GiB volume that was \
created before anyone thought about encryption. The security team now requires every data volume to be \
encrypted with the customer managed key alias/ebs-data ($KEY_ID). EBS has no switch that encrypts an \
existing volume in place. Move the server onto an encrypted copy of its data and get rid of the \
unencrypted volume, without losing anything.",
    setup,
    record_vars: &["KEY_ID", "VOLUME_ID", "INSTANCE_ID"],
    files: &[],
    objectives: &[
        Objective {
            id: "encrypted-copy",
            text: "Create a new volume holding $VOLUME_ID's data, encrypted with alias/ebs-data.",
            success: "Encryption happens when data is written through a snapshot copy or a restore; a snapshot of an unencrypted volume is unencrypted, its encrypted copy or restore is not.",
            check: encrypted_copy,
            pending: None,
        },
        Objective {
            id: "swapped",
            text: "Attach the encrypted volume to $INSTANCE_ID in place of $VOLUME_ID.",
            success: "Attaching an encrypted volume made EC2 create a grant and decrypt the volume's data key on your behalf.",
            check: swapped,
            pending: None,
        },
        Objective {
            id: "retired",
            text: "Delete the unencrypted $VOLUME_ID once the server runs on the encrypted copy.",
            success: "The unencrypted copy is gone; remember the unencrypted snapshot still holds the data until you delete it.",
            check: retired,
            pending: None,
        },
    ],
    hints: &[
        Hint {
            text: "Start with `aws ec2 create-snapshot --volume-id $VOLUME_ID`. A snapshot of an unencrypted volume is unencrypted.",
            cost: 10,
        },
        Hint {
            text: "Either `aws ec2 copy-snapshot ... --encrypted --kms-key-id alias/ebs-data` and create a volume from the copy, or `aws ec2 create-volume --snapshot-id SNAP --encrypted --kms-key-id $KEY_ID` directly. Keep it in us-east-1a, the instance's zone.",
            cost: 20,
        },
        Hint {
            text: "`aws ec2 detach-volume --volume-id $VOLUME_ID`, `aws ec2 attach-volume --volume-id NEW --instance-id $INSTANCE_ID --device /dev/sdf`, then `aws ec2 delete-volume --volume-id $VOLUME_ID`.",
            cost: 30,
        },
    ],
    wrong_turns: &[
        WrongTurn {
            id: "default-key",
            detect: default_key_used,
        },
        WrongTurn {
            id: "default-encryption-only",
            detect: default_only,
        },
        WrongTurn {
            id: "unencrypted-restore",
            detect: unencrypted_copy,
        },
        WrongTurn {
            id: "deleted-first",
            detect: lost,
        },
    ],
    solutions: &[
        Solution {
            route: "copy-snapshot",
            script: solution_copy,
        },
        Solution {
            route: "create-volume-encrypted",
            script: solution_create_volume,
        },
    ],
    debrief: "You cannot encrypt an existing EBS volume or snapshot in place, and you cannot decrypt an \
encrypted one. The supported path is: snapshot the volume (the snapshot is unencrypted like its volume), \
then either copy the snapshot with Encrypted and KmsKeyId, or create a volume from the unencrypted \
snapshot with Encrypted and KmsKeyId; both write the data under a new data key from your customer managed \
key. Without KmsKeyId, EBS uses the account's default EBS key (aws/ebs unless changed). Then stop the \
application, detach the old volume, attach the new one (EC2 creates a grant and calls Decrypt for the \
host), and delete the unencrypted volume and snapshots. Encryption by default only affects volumes created \
afterwards. Every KMS request EBS makes on your behalf (GenerateDataKeyWithoutPlaintext, CreateGrant, \
Decrypt) is in CloudTrail with the aws:ebs:id encryption context.",
    docs: &[
        "https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html",
        "https://docs.aws.amazon.com/ebs/latest/userguide/encryption-examples.html",
        "https://docs.aws.amazon.com/ebs/latest/userguide/ebs-copy-snapshot.html",
        "https://docs.aws.amazon.com/kms/latest/developerguide/services-ebs.html",
    ],
    needs_enforcement: never,
    diagnose_from_cloudtrail: super::never,
};
