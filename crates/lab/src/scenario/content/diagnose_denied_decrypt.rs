//! `diagnose-denied-decrypt`: the application cannot decrypt; the seed picks why (key policy,
//! IAM policy, revoked grant, disabled key, or encryption context). Each cause is a variant:
//! `setup/<cause>.aws`, `solutions/fix/<cause>.aws`, and for two causes
//! `solutions/alternative/<cause>.aws`.

use super::{Checks, PROD, b64, cannot_decrypt, decrypts_to, role_policy_changed};
use crate::scenario::probe::policies::{allows_everyone, delegates_to_account};
use crate::scenario::probe::shapes::KeyState;
use crate::scenario::{Probe, Seen, Verdict};

/// Why the application's Decrypt fails in a variant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cause {
    KeyPolicy,
    Iam,
    Grant,
    Disabled,
    Context,
}

const CAUSES: [Cause; 5] = [
    Cause::KeyPolicy,
    Cause::Iam,
    Cause::Grant,
    Cause::Disabled,
    Cause::Context,
];
const SECRETS: [&str; 3] = [
    "wire transfer batch 2026-11-22 approved by CFO\n",
    "payroll export November: 212 employees\n",
    "supplier bank details update: 14 vendors\n",
];
const FINANCE: &[(&str, &str)] = &[("department", "finance")];

pub(super) const CHECKS: Checks = Checks {
    id: "diagnose-denied-decrypt",
    objectives: &[
        ("app-decrypts", app_decrypts),
        ("least-privilege", least_privilege),
        ("diagnosis", diagnosis),
    ],
    wrong_turns: &[
        ("everyone", everyone),
        ("iam-ignored", iam_ignored),
        ("admin-reads", admin_reads),
        ("pending-deletion", wrong_state),
    ],
    values: |seed| vec![("SECRET_B64", b64(secret(seed)))],
    variant: |seed| token(cause(seed)),
    // Advanced: the learner finds the cause in CloudTrail, so the "Why?" card must not name it.
    diagnose_from_cloudtrail: |_| true,
};

fn index(n: u64, len: usize) -> usize {
    usize::try_from(n % u64::try_from(len).unwrap_or(1)).unwrap_or(0)
}

fn cause(seed: u64) -> Cause {
    CAUSES
        .get(index(seed, CAUSES.len()))
        .copied()
        .unwrap_or(Cause::Disabled)
}

fn secret(seed: u64) -> &'static str {
    SECRETS
        .get(index(seed / 5, SECRETS.len()))
        .copied()
        .unwrap_or_default()
}

/// The cause's name: the first word of a correct diagnosis, and the variant's file name.
fn token(c: Cause) -> &'static str {
    match c {
        Cause::KeyPolicy => "key-policy",
        Cause::Iam => "iam-policy",
        Cause::Grant => "grant",
        Cause::Disabled => "disabled-key",
        Cause::Context => "encryption-context",
    }
}

fn app_decrypts(p: &mut Probe) -> Verdict {
    let s = secret(p.seed());
    // The application's next run comes later, without a grant token: let grants propagate.
    p.settle();
    decrypts_to(p, "app", "secret.bin", Some(FINANCE), s)
}

fn least_privilege(p: &mut Probe) -> Verdict {
    let key = p.var("KEY_ID");
    app_decrypts(p)
        .and(|| cannot_decrypt(p, "security-admin", "secret.bin", Some(FINANCE)))
        .and(|| cannot_decrypt(p, "partner-admin", "secret.bin", Some(FINANCE)))
        .and(|| match p.key_policy(&key) {
            Some(pol) if allows_everyone(&pol) => Verdict::fail("The key policy allows everyone."),
            Some(_) => Verdict::pass("The key policy names its principals."),
            None => Verdict::fail("GetKeyPolicy failed."),
        })
}

fn diagnosis(p: &mut Probe) -> Verdict {
    let want = token(cause(p.seed()));
    let Some(text) = p.file("diagnosis.txt") else {
        return Verdict::fail("diagnosis.txt does not exist yet.");
    };
    let text = String::from_utf8_lossy(&text).to_lowercase();
    let first = text
        .split(|c: char| c.is_whitespace() || c == ':' || c == ',' || c == '.')
        .find(|w| !w.is_empty())
        .unwrap_or_default()
        .to_owned();
    if first == want {
        Verdict::pass(format!("diagnosis.txt names the cause: {want}."))
    } else if first.is_empty() {
        Verdict::fail("diagnosis.txt is empty.")
    } else {
        Verdict::fail(format!(
            "diagnosis.txt starts with `{first}`, which is not the cause."
        ))
    }
}

fn everyone(p: &mut Probe) -> Option<Seen> {
    let key = p.var("KEY_ID");
    allows_everyone(&p.key_policy(&key)?).then(Seen::it)
}

fn iam_ignored(p: &mut Probe) -> Option<Seen> {
    let key = p.var("KEY_ID");
    let pol = p.key_policy(&key)?;
    (role_policy_changed(p, "AppRole") && !delegates_to_account(&pol, PROD)).then(Seen::it)
}

fn admin_reads(p: &mut Probe) -> Option<Seen> {
    p.decrypt_file("security-admin", "secret.bin", Some(FINANCE))
        .is_ok()
        .then(Seen::it)
}

fn wrong_state(p: &mut Probe) -> Option<Seen> {
    let key = p.var("KEY_ID");
    (p.key_state(&key).ok()? == KeyState::PendingDeletion).then(Seen::it)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::scenario::testing::started;
    use crate::scenario::{restart, start};

    #[test]
    fn restart_with_new_seeds_draws_different_causes() {
        let id = "diagnose-denied-decrypt";
        let mut s = started(id, 0);
        let mut causes = BTreeSet::new();
        let mut outcomes = BTreeSet::new();
        for seed in 1..=5 {
            restart(&mut s, id, seed).unwrap();
            let p = crate::progress::scenario(&s.progress, id).unwrap();
            assert_eq!(p.seed, seed);
            causes.insert(token(cause(p.seed)));
            // What the application sees differs too, not only the recorded seed.
            let out = s.run_line_in_memory(
                "aws kms decrypt --profile app --ciphertext-blob fileb://secret.bin --encryption-context department=finance",
            );
            outcomes.insert(out.error_code.unwrap_or_else(|| "ok".into()));
        }
        assert!(causes.len() >= 2, "{causes:?}");
        assert!(outcomes.len() >= 2, "{outcomes:?}");
        // Starting again with a seed gives that seed's variant, whatever ran before.
        start(&mut s, id, 3).unwrap();
        assert_eq!(cause(3), Cause::Disabled);
        let out = s.run_line_in_memory(
            "aws kms decrypt --profile app --ciphertext-blob fileb://secret.bin --encryption-context department=finance",
        );
        assert_eq!(out.error_code.as_deref(), Some("DisabledException"));
    }
}
