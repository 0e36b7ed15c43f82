//! `key-rotation`: automatic rotation with a custom period, on-demand rotation, and proof that
//! old ciphertext still decrypts.

use cloud::kms::RotationType;

use super::{Checks, b64, decrypts_to};
use crate::scenario::probe::shapes::{KeyState, Rotation};
use crate::scenario::{Probe, Seen, Verdict};

const LEDGER: &str = "settlement batch 2026-Q4: 1204 payments, total 88,410.17 EUR\n";

pub(super) const CHECKS: Checks = Checks {
    id: "key-rotation",
    objectives: &[
        ("auto-180", auto_180),
        ("auto-rotated", auto_rotated),
        ("on-demand", on_demand),
        ("old-decrypts", old_decrypts),
    ],
    wrong_turns: &[
        ("alias-moved", alias_moved),
        ("wrong-period", wrong_period),
        ("disabled", disabled),
    ],
    values: |_| vec![("LEDGER_B64", b64(LEDGER))],
    ..Checks::BASE
};

fn rotations(p: &mut Probe) -> Vec<Rotation> {
    let key = p.var("KEY_ID");
    p.kms("admin").rotations(&key).unwrap_or_default()
}

fn count(rot: &[Rotation], kind: RotationType) -> usize {
    rot.iter().filter(|r| r.rotation_type == kind).count()
}

fn auto_180(p: &mut Probe) -> Verdict {
    let key = p.var("KEY_ID");
    match p.kms("admin").rotation_status(&key) {
        Ok(r) if r.key_rotation_enabled && r.rotation_period_in_days == Some(180) => {
            Verdict::pass("Automatic rotation is enabled with a 180-day period.")
        }
        Ok(r) if r.key_rotation_enabled => Verdict::fail(format!(
            "Automatic rotation is enabled, but every {} days.",
            r.period()
        )),
        Ok(_) => Verdict::fail("Automatic rotation is not enabled."),
        Err(e) => Verdict::fail(format!("GetKeyRotationStatus failed: {}", e.code)),
    }
}

fn auto_rotated(p: &mut Probe) -> Verdict {
    let n = count(&rotations(p), RotationType::Automatic);
    if n > 0 {
        Verdict::pass(format!("ListKeyRotations shows {n} automatic rotation(s)."))
    } else {
        Verdict::fail("ListKeyRotations shows no automatic rotation yet.")
    }
}

fn on_demand(p: &mut Probe) -> Verdict {
    let n = count(&rotations(p), RotationType::OnDemand);
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

fn alias_moved(p: &mut Probe) -> Option<Seen> {
    let key = p.var("KEY_ID");
    let m = p.describe("alias/payments").ok()?;
    (m.key_id != key).then(Seen::it)
}

fn wrong_period(p: &mut Probe) -> Option<Seen> {
    let key = p.var("KEY_ID");
    let r = p.kms("admin").rotation_status(&key).ok()?;
    (r.key_rotation_enabled && r.rotation_period_in_days != Some(180))
        .then(|| Seen::it().with("DAYS", r.period()))
}

fn disabled(p: &mut Probe) -> Option<Seen> {
    let key = p.var("KEY_ID");
    (p.key_state(&key).ok()? == KeyState::Disabled).then(Seen::it)
}
