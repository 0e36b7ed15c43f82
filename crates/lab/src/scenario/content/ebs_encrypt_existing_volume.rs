//! `ebs-encrypt-existing-volume`: there is no in-place switch; snapshot, make an encrypted copy
//! with the customer managed key (by CopySnapshot or by CreateVolume from the snapshot), swap the
//! volumes and retire the unencrypted one.

use super::Checks;
use crate::scenario::probe::shapes::Volume;
use crate::scenario::{Probe, Seen, Verdict};

/// The reports volume's size (`setup.aws`), distinctive so copies can be recognised.
const SIZE: u64 = 137;

pub(super) const CHECKS: Checks = Checks {
    id: "ebs-encrypt-existing-volume",
    objectives: &[
        ("encrypted-copy", encrypted_copy),
        ("swapped", swapped),
        ("retired", retired),
    ],
    wrong_turns: &[
        ("default-key", default_key_used),
        ("default-encryption-only", default_only),
        ("unencrypted-restore", unencrypted_copy),
        ("deleted-first", lost),
    ],
    ..Checks::BASE
};

fn volumes(p: &mut Probe) -> Vec<Volume> {
    p.ec2("admin").volumes().unwrap_or_default()
}

/// Snapshots holding the reports volume's data: snapshots of it, and copies of those (a copy
/// does not name its source, so CloudTrail's CopySnapshot requests tell).
fn lineage(p: &mut Probe) -> Vec<String> {
    let vol = p.var("VOLUME_ID");
    let snaps = p.ec2("admin").snapshots().unwrap_or_default();
    let mut ids: Vec<String> = snaps
        .iter()
        .filter(|s| s.volume_id == vol)
        .map(|s| s.snapshot_id.clone())
        .collect();
    let copied_from_ours = p.events_since_start().iter().any(|e| {
        e.name() == "CopySnapshot"
            && e.succeeded()
            && e.param("SourceSnapshotId")
                .is_some_and(|s| ids.iter().any(|i| i == s))
    });
    if copied_from_ours {
        ids.extend(
            snaps
                .iter()
                .filter(|s| s.volume_id == "vol-ffffffff" && s.volume_size == SIZE)
                .map(|s| s.snapshot_id.clone()),
        );
    }
    ids
}

/// Volumes created from the reports volume's data.
fn copies(p: &mut Probe) -> Vec<Volume> {
    let ids = lineage(p);
    volumes(p)
        .into_iter()
        .filter(|v| ids.contains(&v.snapshot_id))
        .collect()
}

fn good_copies(p: &mut Probe) -> Vec<Volume> {
    let key = p.var("KEY_ID");
    copies(p)
        .into_iter()
        .filter(|v| v.encrypted_with(&key))
        .collect()
}

fn encrypted_copy(p: &mut Probe) -> Verdict {
    let good = good_copies(p);
    match good.first() {
        Some(v) => Verdict::pass(format!(
            "{} holds the reports data and is encrypted with the customer managed key.",
            v.volume_id
        )),
        None if copies(p).is_empty() => {
            Verdict::fail("No volume created from a snapshot of the reports volume exists yet.")
        }
        None => Verdict::fail(
            "A copy of the reports data exists, but not encrypted with alias/ebs-data ($KEY_ID).",
        ),
    }
}

fn swapped(p: &mut Probe) -> Verdict {
    let instance = p.var("INSTANCE_ID");
    let vol = p.var("VOLUME_ID");
    let good = good_copies(p);
    let Some(v) = good.iter().find(|v| v.attached_to(&instance)) else {
        return Verdict::fail(
            "No encrypted copy of the reports volume is attached to $INSTANCE_ID.",
        );
    };
    let old_attached = volumes(p)
        .iter()
        .any(|o| o.volume_id == vol && o.attached_to(&instance));
    if old_attached {
        return Verdict::fail("The unencrypted $VOLUME_ID is still attached to $INSTANCE_ID.");
    }
    Verdict::pass(format!(
        "$INSTANCE_ID now uses {}; the unencrypted volume is detached.",
        v.volume_id
    ))
}

fn retired(p: &mut Probe) -> Verdict {
    let vol = p.var("VOLUME_ID");
    if volumes(p).iter().any(|v| v.volume_id == vol) {
        return Verdict::fail("The unencrypted $VOLUME_ID still exists.");
    }
    if good_copies(p).is_empty() {
        return Verdict::fail(
            "$VOLUME_ID is gone, but no encrypted copy of its data exists: the data is lost.",
        );
    }
    Verdict::pass("The unencrypted volume is deleted; only the encrypted copy remains in use.")
}

fn default_key_used(p: &mut Probe) -> Option<Seen> {
    let key = p.var("KEY_ID");
    let wrong = copies(p)
        .iter()
        .any(|v| v.encrypted && !v.encrypted_with(&key));
    (wrong && good_copies(p).is_empty()).then(Seen::it)
}

fn default_only(p: &mut Probe) -> Option<Seen> {
    let on = p.ec2("admin").encryption_by_default().unwrap_or(false);
    (on && copies(p).is_empty()).then(Seen::it)
}

fn unencrypted_copy(p: &mut Probe) -> Option<Seen> {
    let plain = copies(p).iter().any(|v| !v.encrypted);
    (plain && good_copies(p).is_empty()).then(Seen::it)
}

fn lost(p: &mut Probe) -> Option<Seen> {
    let vol = p.var("VOLUME_ID");
    let gone = !volumes(p).iter().any(|v| v.volume_id == vol);
    (gone && lineage(p).is_empty()).then(Seen::it)
}
