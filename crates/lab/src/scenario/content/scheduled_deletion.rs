//! `scheduled-deletion`: rescue a key scheduled for deletion by mistake, retire an unused one
//! with the shortest waiting period, and let the deletion complete.

use super::{Checks, b64, decrypts_to};
use crate::scenario::probe::shapes::KeyState;
use crate::scenario::{Probe, Seen, Verdict};

const REPORTS: &str = "Q3 board report: revenue up 4%, churn down 1.2 points\n";
const DAY_MS: i64 = 86_400_000;

pub(super) const CHECKS: Checks = Checks {
    id: "scheduled-deletion",
    objectives: &[
        ("reports-back", reports_back),
        ("old-seven-days", old_seven_days),
        ("old-deleted", old_deleted),
    ],
    wrong_turns: &[
        ("cancelled-not-enabled", cancelled_not_enabled),
        ("long-window", long_window),
        ("reports-lost", reports_lost),
    ],
    values: |_| vec![("REPORTS_B64", b64(REPORTS))],
    ..Checks::BASE
};

fn reports_back(p: &mut Probe) -> Verdict {
    let key = p.var("REPORTS_KEY");
    match p.key_state(&key) {
        Ok(KeyState::Enabled) => Verdict::pass("The reports key is Enabled.")
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
            e.name() == "ScheduleKeyDeletion" && e.succeeded() && e.params_text().contains(&key)
        })
        .map(|e| e.param_i64("PendingWindowInDays").unwrap_or(30))
}

fn old_seven_days(p: &mut Probe) -> Verdict {
    let key = p.var("OLD_KEY");
    match p.describe(&key).map_err(|e| e.code) {
        Ok(m) if m.key_state == KeyState::PendingDeletion => {
            #[expect(clippy::cast_possible_truncation, reason = "epoch seconds to ms")]
            let deletion_ms = (m.deletion_date.unwrap_or(0.0) * 1000.0) as i64;
            let left = deletion_ms - p.now_ms();
            if left <= 7 * DAY_MS + 60_000 && old_window(p) == Some(7) {
                Verdict::pass("The old key is PendingDeletion with a 7-day waiting period.")
            } else {
                Verdict::fail(format!(
                    "The old key is PendingDeletion, but with {} days left; the shortest window is 7.",
                    left.div_euclid(DAY_MS)
                ))
            }
        }
        Ok(m) => Verdict::fail(format!(
            "The old key is {}, not scheduled for deletion.",
            m.key_state
        )),
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
    match p.key_state(&key) {
        Err(e) if e == "NotFoundException" => {
            Verdict::pass("DescribeKey of the old key: NotFoundException (deleted).")
                .and(|| reports_back(p))
        }
        Err(e) => Verdict::fail(format!("DescribeKey of the old key failed with {e}.")),
        Ok(s) => Verdict::fail(format!("The old key still exists ({s}).")),
    }
}

fn cancelled_not_enabled(p: &mut Probe) -> Option<Seen> {
    let key = p.var("REPORTS_KEY");
    (p.key_state(&key).ok()? == KeyState::Disabled).then(Seen::it)
}

fn long_window(p: &mut Probe) -> Option<Seen> {
    let w = old_window(p)?;
    (w != 7).then(|| Seen::it().with("DAYS", w))
}

fn reports_lost(p: &mut Probe) -> Option<Seen> {
    let key = p.var("REPORTS_KEY");
    matches!(p.key_state(&key), Err(e) if e == "NotFoundException").then(Seen::it)
}
