//! `scheduled-deletion`: rescue a key scheduled for deletion by mistake, retire an unused one
//! with the shortest waiting period, and let the deletion complete.

use super::{b64, decrypts_to, key_state, never};
use crate::scenario::{
    Availability, Difficulty, Hint, Objective, Probe, Scenario, Solution, Verdict, WrongTurn,
};

const REPORTS: &str = "Q3 board report: revenue up 4%, churn down 1.2 points\n";
const DAY_MS: i64 = 86_400_000;

fn setup(_seed: u64) -> String {
    format!(
        "\
REPORTS_KEY=$(aws kms create-key --description \"Quarterly reports\" --query KeyMetadata.KeyId --output text)
aws kms create-alias --alias-name alias/reports --target-key-id $REPORTS_KEY
aws kms encrypt --key-id alias/reports --plaintext {} --query CiphertextBlob --output text | base64 --decode > reports.bin
OLD_KEY=$(aws kms create-key --description \"Old batch pipeline (decommissioned in 2025)\" --query KeyMetadata.KeyId --output text)
aws kms create-alias --alias-name alias/old-batch --target-key-id $OLD_KEY
aws kms schedule-key-deletion --key-id $REPORTS_KEY
",
        b64(REPORTS)
    )
}

fn reports_back(p: &mut Probe) -> Verdict {
    let key = p.var("REPORTS_KEY");
    match key_state(p, &key) {
        Ok(s) if s == "Enabled" => Verdict::pass("The reports key is Enabled.")
            .and(|| decrypts_to(p, "admin", "reports.bin", None, REPORTS)),
        Ok(s) => Verdict::fail(format!("The reports key is {s}.")),
        Err(e) => Verdict::fail(format!(
            "The reports key is gone ({e}); its data cannot be recovered."
        )),
    }
}

/// The deletion window the old key was scheduled with, from CloudTrail.
fn old_window(p: &Probe) -> Option<i64> {
    let key = p.var("OLD_KEY");
    p.events_since_start()
        .iter()
        .rev()
        .find(|e| {
            e.event_name == "ScheduleKeyDeletion"
                && e.error_code.is_none()
                && e.record["requestParameters"].to_string().contains(&key)
        })
        .map(|e| {
            e.record["requestParameters"]["pendingWindowInDays"]
                .as_i64()
                .unwrap_or(30)
        })
}

fn old_seven_days(p: &mut Probe) -> Verdict {
    let key = p.var("OLD_KEY");
    match key_state(p, &key) {
        Ok(s) if s == "PendingDeletion" => {
            let m = p.describe(&key).unwrap_or_default();
            let secs = m["DeletionDate"].as_f64().unwrap_or(0.0);
            let left = (secs * 1000.0) as i64 - p.now_ms();
            if left <= 7 * DAY_MS + 60_000 && old_window(p) == Some(7) {
                Verdict::pass("The old key is PendingDeletion with a 7-day waiting period.")
            } else {
                Verdict::fail(format!(
                    "The old key is PendingDeletion, but with {} days left; the shortest window is 7.",
                    left.div_euclid(DAY_MS)
                ))
            }
        }
        Ok(s) => Verdict::fail(format!("The old key is {s}, not scheduled for deletion.")),
        Err(_) if old_window(p) == Some(7) => Verdict::pass(
            "The old key was scheduled with a 7-day waiting period (and is deleted now).",
        ),
        Err(e) => Verdict::fail(format!(
            "The old key is gone ({e}), but not after a 7-day window."
        )),
    }
}

fn old_deleted(p: &mut Probe) -> Verdict {
    let key = p.var("OLD_KEY");
    match key_state(p, &key) {
        Err(e) if e == "NotFoundException" => {
            Verdict::pass("DescribeKey of the old key: NotFoundException (deleted).")
                .and(|| reports_back(p))
        }
        Err(e) => Verdict::fail(format!("DescribeKey of the old key failed with {e}.")),
        Ok(s) => Verdict::fail(format!("The old key still exists ({s}).")),
    }
}

fn cancelled_not_enabled(p: &mut Probe) -> Option<String> {
    let key = p.var("REPORTS_KEY");
    (key_state(p, &key).ok()? == "Disabled").then(|| {
        "The reports key is Disabled. CancelKeyDeletion brings a key back Disabled, not Enabled: run enable-key too."
            .to_owned()
    })
}

fn long_window(p: &mut Probe) -> Option<String> {
    let w = old_window(p)?;
    (w != 7).then(|| {
        format!("The old key was scheduled with a {w}-day window (30 is the default). Cancel and schedule again with --pending-window-in-days 7.")
    })
}

fn reports_lost(p: &mut Probe) -> Option<String> {
    let key = p.var("REPORTS_KEY");
    match key_state(p, &key) {
        Err(e) if e == "NotFoundException" => Some(
            "The reports key was deleted, and with it every way to decrypt reports.bin. Restart the scenario; \
in real life, set a CloudWatch alarm on attempts to use keys pending deletion."
                .to_owned(),
        ),
        _ => None,
    }
}

const SOLUTION: &str = "\
aws kms cancel-key-deletion --key-id $REPORTS_KEY
aws kms enable-key --key-id $REPORTS_KEY
aws kms schedule-key-deletion --key-id $OLD_KEY --pending-window-in-days 7
lab clock advance 8d
";

const SOLUTION_DISABLE_FIRST: &str = "\
aws kms cancel-key-deletion --key-id $REPORTS_KEY
aws kms enable-key --key-id $REPORTS_KEY
aws kms disable-key --key-id $OLD_KEY
lab clock advance 1d
aws kms schedule-key-deletion --key-id $OLD_KEY --pending-window-in-days 7
lab clock advance 7d
";

pub(super) const SCENARIO: Scenario = Scenario {
    id: "scheduled-deletion",
    title: "Undo a deletion, then delete the right key",
    exam: "SOA-C03 Domain 4 (Security and Compliance): key lifecycle; SOA-C03 Domain 2 (Reliability): recoverability",
    difficulty: Difficulty::Beginner,
    minutes: 15,
    availability: Availability::Playable,
    story: "During a clean-up, a colleague scheduled the wrong key for deletion: alias/reports, which still \
protects the quarterly reports (reports.bin). The key that should go is alias/old-batch, whose pipeline was \
decommissioned last year. Security wants it gone as soon as KMS allows.",
    setup,
    record_vars: &["REPORTS_KEY", "OLD_KEY"],
    files: &["reports.bin"],
    objectives: &[
        Objective {
            id: "reports-back",
            text: "Make the reports key usable again: reports.bin must decrypt.",
            success: "During the waiting period a key can be recovered with CancelKeyDeletion; it comes back Disabled, so you enabled it too.",
            check: reports_back,
            pending: None,
        },
        Objective {
            id: "old-seven-days",
            text: "Schedule the old batch key for deletion with the shortest waiting period KMS allows.",
            success: "The waiting period is 7 to 30 days (30 by default); during it the key is PendingDeletion and unusable.",
            check: old_seven_days,
            pending: None,
        },
        Objective {
            id: "old-deleted",
            text: "Let the waiting period pass so the old key is really deleted, while the reports key stays usable.",
            success: "After the window KMS deletes the material, metadata and aliases; data under that key can never be decrypted again.",
            check: old_deleted,
            pending: None,
        },
    ],
    hints: &[
        Hint {
            text: "`aws kms describe-key --key-id alias/reports` shows the state and the deletion date.",
            cost: 10,
        },
        Hint {
            text: "`aws kms cancel-key-deletion` undoes the schedule, but read the key state afterwards.",
            cost: 20,
        },
        Hint {
            text: "`aws kms schedule-key-deletion --key-id $OLD_KEY --pending-window-in-days 7`, then `lab clock advance 8d`.",
            cost: 30,
        },
    ],
    wrong_turns: &[
        WrongTurn {
            id: "cancelled-not-enabled",
            detect: cancelled_not_enabled,
        },
        WrongTurn {
            id: "long-window",
            detect: long_window,
        },
        WrongTurn {
            id: "reports-lost",
            detect: reports_lost,
        },
    ],
    solutions: &[
        Solution {
            route: "default",
            script: |_| Some(SOLUTION.to_owned()),
        },
        Solution {
            route: "disable-first",
            script: |_| Some(SOLUTION_DISABLE_FIRST.to_owned()),
        },
    ],
    debrief: "Deleting a KMS key is destructive and irreversible, so KMS forces a waiting period of 7 to 30 days \
(default 30), during which the key is PendingDeletion, cannot be used, and is not billed. CancelKeyDeletion \
recovers it in the Disabled state. When the period ends, KMS deletes the key material, its metadata and its \
aliases, and every ciphertext under it becomes unrecoverable. Before deleting, check CloudTrail for recent \
use of the key, consider disabling it first (reversible) and alarm on attempts to use a key pending deletion.",
    docs: &[
        "https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html",
        "https://docs.aws.amazon.com/kms/latest/APIReference/API_ScheduleKeyDeletion.html",
        "https://docs.aws.amazon.com/kms/latest/APIReference/API_CancelKeyDeletion.html",
        "https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html",
    ],
    needs_enforcement: never,
    diagnose_from_cloudtrail: super::never,
};
