//! Performance questions: "make this true" tasks, graded by checkers against the learner's own
//! world — the same machinery as scenario objectives ([`Probe`] on a clone, so checking leaves
//! no trace).

use awscli::Session;
use serde_json::json;

use crate::scenario::probe::shapes::{KeyMetadata, KeyState};
use crate::scenario::{Probe, Verdict};

/// A performance task.
#[derive(Debug)]
pub struct Task {
    /// Stable id (deep links and progress).
    pub id: &'static str,
    /// Quiz topic it belongs to.
    pub topic: &'static str,
    /// What must be true in the learner's world.
    pub prompt: &'static str,
    /// AWS documentation.
    pub docs: &'static [&'static str],
    /// Grades the learner's world (on a clone).
    pub check: fn(&mut Probe) -> Verdict,
    /// A reference solution in the lab's script language (used by the self-test).
    pub solution: &'static str,
}

/// Every performance task.
pub fn tasks() -> &'static [Task] {
    TASKS
}

/// The task with this id.
pub fn task(id: &str) -> Option<&'static Task> {
    TASKS.iter().find(|t| t.id == id)
}

/// Checks task `id` against a clone of `session`; `None` for an unknown id.
pub fn check_task(session: &Session, id: &str) -> Option<Verdict> {
    let t = task(id)?;
    let mut probe = Probe::new(
        session.clone(),
        Default::default(),
        session.world.now_ms(),
        0,
    );
    Some((t.check)(&mut probe))
}

/// The key metadata behind an alias, as the admin sees it.
fn key_of(p: &mut Probe, alias: &str) -> Result<KeyMetadata, Verdict> {
    p.describe(alias).map_err(|e| {
        Verdict::fail(format!(
            "{alias} does not resolve: {} ({})",
            e.message, e.code
        ))
    })
}

fn rotation_180(p: &mut Probe) -> Verdict {
    let id = match key_of(p, "alias/payments") {
        Ok(k) => k.key_id,
        Err(v) => return v,
    };
    match p.kms("admin").rotation_status(&id) {
        Ok(r) if r.key_rotation_enabled && r.rotation_period_in_days == Some(180) => {
            Verdict::pass("alias/payments → a key with automatic rotation every 180 days")
        }
        Ok(r) => Verdict::fail(format!(
            "rotation enabled: {}, period: {}",
            r.key_rotation_enabled,
            r.rotation_period_in_days
                .map_or_else(|| "null".to_owned(), |d| d.to_string())
        )),
        Err(e) => Verdict::fail(format!("{}: {}", e.code, e.message)),
    }
}

fn app_use_not_admin(p: &mut Probe) -> Verdict {
    let id = match key_of(p, "alias/reports") {
        Ok(k) => k.key_id,
        Err(v) => return v,
    };
    let Ok(blob) = p.kms("app").encrypt("alias/reports", b"hi") else {
        return Verdict::fail("the app profile cannot Encrypt with alias/reports");
    };
    if p.kms("app").decrypt(&blob, None).is_err() {
        return Verdict::fail("the app profile cannot Decrypt what it encrypted");
    }
    match p.kms("app").call("DisableKey", json!({ "KeyId": id })) {
        Err(e) if e.code == "AccessDeniedException" => {
            Verdict::pass("app encrypts and decrypts with alias/reports, and DisableKey is denied")
        }
        Err(e) => Verdict::fail(format!("DisableKey as app failed, but with {}", e.code)),
        Ok(_) => Verdict::fail("the app profile could disable the key: too much access"),
    }
}

fn shortest_deletion(p: &mut Probe) -> Verdict {
    // Scheduling deletion keeps the alias until the key is deleted.
    let Ok(m) = p.describe("alias/old-batch") else {
        return Verdict::fail("alias/old-batch does not resolve to a key");
    };
    if m.key_state != KeyState::PendingDeletion {
        return Verdict::fail(format!(
            "the key is \"{}\", not PendingDeletion",
            m.key_state
        ));
    }
    let deletion_ms = m.deletion_date.unwrap_or_default() * 1000.0;
    let days = (deletion_ms - p.now_ms() as f64) / 86_400_000.0;
    if days <= 7.01 {
        Verdict::pass(format!(
            "deletion in {days:.1} days: 7 is the shortest window"
        ))
    } else {
        Verdict::fail(format!(
            "deletion in {days:.1} days; the shortest window is 7"
        ))
    }
}

fn partner_can_use(p: &mut Probe) -> Verdict {
    let arn = match key_of(p, "alias/shared") {
        Ok(k) => k.arn,
        Err(v) => return v,
    };
    match p.kms("partner-admin").encrypt(&arn, b"hi") {
        Ok(_) => Verdict::pass("partner-admin (444455556666) encrypts with the key ARN"),
        Err(e) => Verdict::fail(format!(
            "partner-admin cannot use the key: {} ({})",
            e.message, e.code
        )),
    }
}

const TASKS: &[Task] = &[
    Task {
        id: "task-rotation-180",
        topic: "rotation",
        prompt: "Make alias/payments point to a customer managed key whose automatic rotation is enabled with a 180-day period.",
        docs: &["https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html"],
        check: rotation_180,
        solution: "K=$(aws kms create-key --query KeyMetadata.KeyId --output text)\naws kms create-alias --alias-name alias/payments --target-key-id $K\naws kms enable-key-rotation --key-id $K --rotation-period-in-days 180",
    },
    Task {
        id: "task-app-use-not-admin",
        topic: "access",
        prompt: "Create alias/reports for a key that the app profile (role AppRole) can encrypt and decrypt with, but cannot disable.",
        docs: &["https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html"],
        check: app_use_not_admin,
        solution: "K=$(aws kms create-key --query KeyMetadata.KeyId --output text)\naws kms create-alias --alias-name alias/reports --target-key-id $K",
    },
    Task {
        id: "task-shortest-deletion",
        topic: "lifecycle",
        prompt: "Create alias/old-batch for a new key, then schedule that key for deletion with the shortest waiting period KMS allows.",
        docs: &["https://docs.aws.amazon.com/kms/latest/APIReference/API_ScheduleKeyDeletion.html"],
        check: shortest_deletion,
        solution: "K=$(aws kms create-key --query KeyMetadata.KeyId --output text)\naws kms create-alias --alias-name alias/old-batch --target-key-id $K\naws kms schedule-key-deletion --key-id $K --pending-window-in-days 7",
    },
    Task {
        id: "task-partner-use",
        topic: "cross-account",
        prompt: "Create alias/shared for a key that the partner account 444455556666 can use to encrypt (its admin already has AdministratorAccess there).",
        docs: &[
            "https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html",
        ],
        check: partner_can_use,
        solution: "K=$(aws kms create-key --query KeyMetadata.KeyId --output text)\naws kms create-alias --alias-name alias/shared --target-key-id $K\naws kms put-key-policy --key-id $K --policy '{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Enable IAM User Permissions\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"},{\"Sid\":\"Partner use\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::444455556666:root\"},\"Action\":[\"kms:Encrypt\",\"kms:Decrypt\",\"kms:DescribeKey\"],\"Resource\":\"*\"}]}'",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_task_fails_untouched_and_passes_after_its_solution() {
        for t in tasks() {
            let mut s = Session::new(3, crate::START_MS);
            let before = check_task(&s, t.id).unwrap();
            assert!(
                !before.passed,
                "{} passes on a fresh world: {}",
                t.id, before.evidence
            );
            let out = s.run_script_in_memory(t.solution, awscli::ScriptOptions::default());
            assert_eq!(
                out.exit_code,
                0,
                "{}: solution failed: {:?}",
                t.id,
                out.lines.last()
            );
            let after = check_task(&s, t.id).unwrap();
            assert!(
                after.passed,
                "{} fails after its solution: {}",
                t.id, after.evidence
            );
            assert!(!t.docs.is_empty());
            assert!(
                crate::quiz::topics().iter().any(|x| x.id == t.topic),
                "{}",
                t.topic
            );
        }
    }

    #[test]
    fn checking_leaves_the_world_untouched() {
        let mut s = Session::new(4, crate::START_MS);
        let _ = s.run_script_in_memory(tasks()[0].solution, awscli::ScriptOptions::default());
        let before = document::state_file::save(&s).unwrap();
        for t in tasks() {
            let _ = check_task(&s, t.id);
        }
        assert_eq!(document::state_file::save(&s).unwrap(), before);
    }

    #[test]
    fn over_granting_fails_the_least_privilege_task() {
        let mut s = Session::new(5, crate::START_MS);
        let script = "K=$(aws kms create-key --query KeyMetadata.KeyId --output text)\naws kms create-alias --alias-name alias/reports --target-key-id $K\naws iam put-role-policy --role-name AppRole --policy-name TooMuch --policy-document '{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"kms:*\",\"Resource\":\"*\"}]}'";
        let out = s.run_script_in_memory(script, awscli::ScriptOptions::default());
        assert_eq!(out.exit_code, 0, "{:?}", out.lines.last());
        let v = check_task(&s, "task-app-use-not-admin").unwrap();
        assert!(!v.passed, "{}", v.evidence);
    }
}
