//! `ebs-default-encryption`: encryption by default for the account and Region, with the team's
//! customer managed key as the default EBS key.

use serde_json::{Value, json};

use super::never;
use crate::scenario::{
    Availability, Difficulty, Hint, Objective, Probe, Scenario, Solution, Verdict, WrongTurn,
};

fn setup(_seed: u64) -> String {
    "\
KEY_ID=$(aws kms create-key --description \"Team EBS volumes\" --query KeyMetadata.KeyId --output text)
aws kms create-alias --alias-name alias/team-ebs --target-key-id $KEY_ID
"
    .to_owned()
}

fn ec2(p: &mut Probe, op: &str, input: Value) -> Result<Value, String> {
    p.call("admin", "ec2", op, input).map_err(|e| e.code)
}

fn by_default(p: &mut Probe) -> Verdict {
    match ec2(p, "GetEbsEncryptionByDefault", json!({})) {
        Ok(v) if v["EbsEncryptionByDefault"] == true => {
            Verdict::pass("Encryption by default is on in us-east-1.")
        }
        Ok(_) => Verdict::fail("Encryption by default is off."),
        Err(code) => Verdict::fail(format!("GetEbsEncryptionByDefault failed: {code}")),
    }
}

fn new_volume_key(p: &mut Probe) -> Verdict {
    let key = p.var("KEY_ID");
    match ec2(p, "CreateVolume", json!({ "Size": 8 })) {
        Ok(v) if v["Encrypted"] != true => {
            Verdict::fail("A new volume created without options is not encrypted.")
        }
        Ok(v)
            if !key.is_empty()
                && v["KmsKeyId"]
                    .as_str()
                    .is_some_and(|k| k.ends_with(&format!("key/{key}"))) =>
        {
            Verdict::pass("A new volume created without options is encrypted with alias/team-ebs.")
        }
        Ok(v) => Verdict::fail(format!(
            "A new volume is encrypted, but with {} instead of alias/team-ebs.",
            v["KmsKeyId"].as_str().unwrap_or("another key")
        )),
        Err(code) => Verdict::fail(format!("Creating a volume failed: {code}")),
    }
}

fn aws_managed_default(p: &mut Probe) -> Option<String> {
    let on = ec2(p, "GetEbsEncryptionByDefault", json!({})).ok()?["EbsEncryptionByDefault"] == true;
    let key = ec2(p, "GetEbsDefaultKmsKeyId", json!({})).ok()?;
    let name = key["KmsKeyId"].as_str().unwrap_or_default().to_owned();
    (on && name.contains("alias/aws/ebs")).then(|| {
        "Encryption by default is on, but new volumes use the AWS managed key aws/ebs. Set the default \
EBS key with `aws ec2 modify-ebs-default-kms-key-id`; aws/ebs cannot be shared or have its policy changed."
            .to_owned()
    })
}

const SOLUTION: &str = "\
aws ec2 enable-ebs-encryption-by-default
aws ec2 modify-ebs-default-kms-key-id --kms-key-id alias/team-ebs
";

const SOLUTION_KEY_FIRST: &str = "\
aws ec2 modify-ebs-default-kms-key-id --kms-key-id arn:aws:kms:us-east-1:111122223333:key/$KEY_ID
aws ec2 enable-ebs-encryption-by-default
aws ec2 get-ebs-default-kms-key-id
";

pub(super) const SCENARIO: Scenario = Scenario {
    id: "ebs-default-encryption",
    title: "Turn on EBS encryption by default",
    exam: "SOA-C03 Domain 4 (Security and Compliance): data protection at rest",
    difficulty: Difficulty::Beginner,
    minutes: 15,
    availability: Availability::Playable,
    story: "An audit found unencrypted EBS volumes in us-east-1. From now on every new volume in the \
Region must be encrypted, with the team's customer managed key alias/team-ebs ($KEY_ID), even when \
whoever creates it forgets to ask for encryption.",
    setup,
    record_vars: &["KEY_ID"],
    files: &[],
    objectives: &[
        Objective {
            id: "by-default",
            text: "Turn on EBS encryption by default in us-east-1.",
            success: "The setting is per account and per Region; it cannot be overridden with Encrypted false.",
            check: by_default,
            pending: None,
        },
        Objective {
            id: "team-key",
            text: "New volumes created without options are encrypted with alias/team-ebs.",
            success: "The default EBS key (aws/ebs unless changed) is also per Region; a customer managed key lets you control its policy.",
            check: new_volume_key,
            pending: None,
        },
    ],
    hints: &[
        Hint {
            text: "Look at `aws ec2 enable-ebs-encryption-by-default` and `aws ec2 get-ebs-default-kms-key-id`.",
            cost: 10,
        },
        Hint {
            text: "`aws ec2 modify-ebs-default-kms-key-id --kms-key-id alias/team-ebs` changes the default key.",
            cost: 20,
        },
    ],
    wrong_turns: &[WrongTurn {
        id: "aws-managed-default",
        detect: aws_managed_default,
    }],
    solutions: &[
        Solution {
            route: "enable-then-key",
            script: |_| Some(SOLUTION.to_owned()),
        },
        Solution {
            route: "key-then-enable",
            script: |_| Some(SOLUTION_KEY_FIRST.to_owned()),
        },
    ],
    debrief: "EBS encryption by default is a per-account, per-Region setting: once on, every new volume \
and every snapshot copy is encrypted, and Encrypted false cannot override it. Existing volumes are not \
changed (encrypt those by snapshot and encrypted copy). New volumes use the default EBS key, aws/ebs unless \
you pick a symmetric customer managed key with ModifyEbsDefaultKmsKeyId; that key must let EC2 create \
grants and generate data keys for your users, or instance launches fail with Client.InternalError. \
Snapshots encrypted with aws/ebs cannot be shared with other accounts, another reason to prefer a customer \
managed key.",
    docs: &[
        "https://docs.aws.amazon.com/ebs/latest/userguide/encryption-by-default.html",
        "https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html",
        "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyEbsDefaultKmsKeyId.html",
    ],
    needs_enforcement: never,
    diagnose_from_cloudtrail: super::never,
};
