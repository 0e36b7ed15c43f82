//! `key-rotation`: automatic rotation with a custom period, on-demand rotation, and proof that
//! old ciphertext still decrypts.

use serde_json::{Value, json};

use super::{b64, decrypts_to, key_state, never};
use crate::scenario::{
    Availability, Difficulty, Hint, Objective, Probe, Scenario, Solution, Verdict, WrongTurn,
};

const LEDGER: &str = "settlement batch 2026-Q4: 1204 payments, total 88,410.17 EUR\n";

fn setup(_seed: u64) -> String {
    format!(
        "\
KEY_ID=$(aws kms create-key --description \"Payments ledger\" --query KeyMetadata.KeyId --output text)
aws kms create-alias --alias-name alias/payments --target-key-id $KEY_ID
aws kms encrypt --key-id alias/payments --plaintext {} --query CiphertextBlob --output text | base64 --decode > ledger.bin
",
        b64(LEDGER)
    )
}

fn rotations(p: &mut Probe) -> Vec<Value> {
    let key = p.var("KEY_ID");
    p.kms("admin", "ListKeyRotations", json!({ "KeyId": key }))
        .ok()
        .and_then(|v| v["Rotations"].as_array().cloned())
        .unwrap_or_default()
}

fn count(rot: &[Value], kind: &str) -> usize {
    rot.iter().filter(|r| r["RotationType"] == kind).count()
}

fn auto_180(p: &mut Probe) -> Verdict {
    let key = p.var("KEY_ID");
    match p.kms("admin", "GetKeyRotationStatus", json!({ "KeyId": key })) {
        Ok(v) if v["KeyRotationEnabled"] == true && v["RotationPeriodInDays"] == 180 => {
            Verdict::pass("Automatic rotation is enabled with a 180-day period.")
        }
        Ok(v) if v["KeyRotationEnabled"] == true => Verdict::fail(format!(
            "Automatic rotation is enabled, but every {} days.",
            v["RotationPeriodInDays"]
        )),
        Ok(_) => Verdict::fail("Automatic rotation is not enabled."),
        Err(e) => Verdict::fail(format!("GetKeyRotationStatus failed: {}", e.code)),
    }
}

fn auto_rotated(p: &mut Probe) -> Verdict {
    let n = count(&rotations(p), "AUTOMATIC");
    if n > 0 {
        Verdict::pass(format!("ListKeyRotations shows {n} automatic rotation(s)."))
    } else {
        Verdict::fail("ListKeyRotations shows no automatic rotation yet.")
    }
}

fn on_demand(p: &mut Probe) -> Verdict {
    let n = count(&rotations(p), "ON_DEMAND");
    if n > 0 {
        Verdict::pass(format!("ListKeyRotations shows {n} on-demand rotation(s)."))
    } else {
        Verdict::fail("ListKeyRotations shows no on-demand rotation.")
    }
}

fn old_decrypts(p: &mut Probe) -> Verdict {
    let n = rotations(p).len();
    if n == 0 {
        return Verdict::fail("The key has not rotated yet, so this proves nothing so far.");
    }
    let file = p.file("ledger.txt");
    if file.as_deref() != Some(LEDGER.as_bytes()) {
        return Verdict::fail("ledger.txt does not hold the decrypted ledger yet.");
    }
    Verdict::pass(format!(
        "ledger.txt holds the ledger; the key has {} material versions.",
        n + 1
    ))
    .and(|| decrypts_to(p, "admin", "ledger.bin", None, LEDGER))
}

fn alias_moved(p: &mut Probe) -> Option<String> {
    let key = p.var("KEY_ID");
    let m = p.describe("alias/payments").ok()?;
    (m["KeyId"] != key.as_str()).then(|| {
        "alias/payments now points at a different key. That is manual rotation (for asymmetric, HMAC and \
imported keys); this symmetric AWS_KMS key rotates in place: same key id, same alias, new material."
            .to_owned()
    })
}

fn wrong_period(p: &mut Probe) -> Option<String> {
    let key = p.var("KEY_ID");
    let v = p
        .kms("admin", "GetKeyRotationStatus", json!({ "KeyId": key }))
        .ok()?;
    (v["KeyRotationEnabled"] == true && v["RotationPeriodInDays"] != 180).then(|| {
        format!(
            "Rotation is on every {} days. The default is 365; the policy here asks for 180 \
(`--rotation-period-in-days` accepts 90 to 2560).",
            v["RotationPeriodInDays"]
        )
    })
}

fn disabled(p: &mut Probe) -> Option<String> {
    let key = p.var("KEY_ID");
    (key_state(p, &key).ok()? == "Disabled").then(|| {
        "The key is disabled. Disabled keys do not rotate; a rotation that falls due while disabled happens \
when the key is enabled again."
            .to_owned()
    })
}

const SOLUTION: &str = "\
aws kms enable-key-rotation --key-id $KEY_ID --rotation-period-in-days 180
lab clock advance 181d
aws kms rotate-key-on-demand --key-id $KEY_ID
aws kms decrypt --ciphertext-blob fileb://ledger.bin --query Plaintext --output text | base64 --decode > ledger.txt
";

const SOLUTION_ON_DEMAND_FIRST: &str = "\
aws kms rotate-key-on-demand --key-id $KEY_ID
aws kms decrypt --ciphertext-blob fileb://ledger.bin --query Plaintext --output text | base64 --decode > ledger.txt
aws kms enable-key-rotation --key-id $KEY_ID --rotation-period-in-days 180
lab clock advance 200d
aws kms list-key-rotations --key-id $KEY_ID
";

pub(super) const SCENARIO: Scenario = Scenario {
    id: "key-rotation",
    title: "Rotate the payments key without breaking old data",
    exam: "SOA-C03 Domain 4 (Security and Compliance): data protection at rest; SAA-C03 Domain 1 (Design Secure Architectures)",
    difficulty: Difficulty::Beginner,
    minutes: 15,
    availability: Availability::Playable,
    story: "The payments team encrypts its ledger with the customer managed key alias/payments. A new \
compliance rule says key material must change every 180 days, and the auditors also want one rotation \
right now, before the next audit. The finance lead is worried: will last quarter's ledger (ledger.bin) \
still open after the key changes?",
    setup,
    record_vars: &["KEY_ID"],
    files: &["ledger.bin", "ledger.txt"],
    objectives: &[
        Objective {
            id: "auto-180",
            text: "Turn on automatic rotation of $KEY_ID with a 180-day period.",
            success: "Automatic rotation is off by default for customer managed keys; the period is configurable from 90 to 2560 days.",
            check: auto_180,
            pending: None,
        },
        Objective {
            id: "auto-rotated",
            text: "Let the simulated clock run until KMS rotates the key automatically.",
            success: "KMS rotated the material on schedule; the key id, ARN, aliases and policy stayed the same.",
            check: auto_rotated,
            pending: None,
        },
        Objective {
            id: "on-demand",
            text: "Rotate the key once on demand for the auditors.",
            success: "On-demand rotation does not change the automatic schedule; each key allows 25 of them.",
            check: on_demand,
            pending: None,
        },
        Objective {
            id: "old-decrypts",
            text: "After a rotation, decrypt ledger.bin (written before any rotation) into ledger.txt.",
            success: "KMS keeps every earlier key material and picks the right one from the ciphertext, so old data needs no re-encryption.",
            check: old_decrypts,
            pending: None,
        },
    ],
    hints: &[
        Hint {
            text: "Automatic rotation is off by default. `aws kms enable-key-rotation help` shows an option for the period.",
            cost: 10,
        },
        Hint {
            text: "Time only moves when you move it: `lab clock advance 181d`, then `aws kms list-key-rotations --key-id $KEY_ID`.",
            cost: 20,
        },
        Hint {
            text: "`aws kms rotate-key-on-demand --key-id $KEY_ID`, then `aws kms decrypt --ciphertext-blob fileb://ledger.bin --query Plaintext --output text | base64 --decode > ledger.txt`.",
            cost: 30,
        },
    ],
    wrong_turns: &[
        WrongTurn {
            id: "alias-moved",
            detect: alias_moved,
        },
        WrongTurn {
            id: "wrong-period",
            detect: wrong_period,
        },
        WrongTurn {
            id: "disabled",
            detect: disabled,
        },
    ],
    solutions: &[
        Solution {
            route: "scheduled-first",
            script: |_| Some(SOLUTION.to_owned()),
        },
        Solution {
            route: "on-demand-first",
            script: |_| Some(SOLUTION_ON_DEMAND_FIRST.to_owned()),
        },
    ],
    debrief: "Rotation changes only the key material. The key id, ARN, aliases, policy and grants stay the same, \
and KMS keeps every earlier material until the key is deleted, so Decrypt of old ciphertext keeps working \
without re-encrypting anything (rotation does not re-encrypt data or rotate data keys). Automatic rotation \
is optional for customer managed keys, from 90 to 2560 days (365 by default); AWS managed keys rotate every \
year and you cannot change that. On-demand rotation (25 per key) works with or without a schedule and \
does not move it. Each rotation is a RotateKey event in CloudTrail; the first two rotations each add to the \
monthly key price, later ones do not. Keys whose material KMS cannot rotate (asymmetric, HMAC, custom key \
stores) are rotated manually by creating a new key and moving the alias.",
    docs: &[
        "https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html",
        "https://docs.aws.amazon.com/kms/latest/developerguide/rotating-keys-on-demand.html",
        "https://docs.aws.amazon.com/kms/latest/APIReference/API_EnableKeyRotation.html",
        "https://docs.aws.amazon.com/kms/latest/APIReference/API_ListKeyRotations.html",
    ],
    needs_enforcement: never,
    diagnose_from_cloudtrail: super::never,
};
