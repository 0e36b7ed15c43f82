//! `separation-of-duties`: key administrators cannot use the key; key users cannot administer it.

use serde_json::json;

use super::{Checks, PROD, allowed, b64, cannot_decrypt, decrypts_to, denied, role_policy_changed};
use crate::scenario::probe::policies::{allows_everyone, delegates_to_account};
use crate::scenario::{Probe, Seen, Verdict};

const HR: &str = "employee 4711: salary band 7, review due 2027-01\n";

pub(super) const CHECKS: Checks = Checks {
    id: "separation-of-duties",
    objectives: &[
        ("admin-cannot-read", admin_cannot_read),
        ("app-cannot-administer", app_cannot_administer),
        ("no-lockout", no_lockout),
    ],
    wrong_turns: &[("no-root", no_root), ("everyone", everyone)],
    values: |_| vec![("HR_B64", b64(HR))],
    ..Checks::BASE
};

fn admin_cannot_read(p: &mut Probe) -> Verdict {
    let key = p.var("HR_KEY");
    allowed(p, "security-admin", "DescribeKey", json!({ "KeyId": key }))
        .and(|| {
            allowed(
                p,
                "security-admin",
                "EnableKeyRotation",
                json!({ "KeyId": key }),
            )
        })
        .and(|| cannot_decrypt(p, "security-admin", "hr.bin", None))
}

fn app_cannot_administer(p: &mut Probe) -> Verdict {
    let key = p.var("HR_KEY");
    decrypts_to(p, "app", "hr.bin", None, HR)
        .and(|| denied(p, "app", "DisableKey", json!({ "KeyId": key })))
        .and(|| {
            denied(
                p,
                "app",
                "ScheduleKeyDeletion",
                json!({ "KeyId": key, "PendingWindowInDays": 7 }),
            )
        })
        .and(|| {
            let policy = p
                .key_policy(&key)
                .map(|d| d.source().to_owned())
                .unwrap_or_default();
            denied(
                p,
                "app",
                "PutKeyPolicy",
                json!({ "KeyId": key, "PolicyName": "default", "Policy": policy }),
            )
        })
}

fn no_lockout(p: &mut Probe) -> Verdict {
    let key = p.var("HR_KEY");
    let both = admin_cannot_read(p).passed && app_cannot_administer(p).passed;
    if !both {
        return Verdict::fail("Finish the first two objectives first.");
    }
    match p.key_policy(&key) {
        Some(pol) if delegates_to_account(&pol, PROD) && !allows_everyone(&pol) => Verdict::pass(
            "The key policy still lets the account manage the key through IAM, and opens it to no one else.",
        ),
        Some(_) => Verdict::fail(
            "The key policy no longer has the account root statement (or allows everyone).",
        ),
        None => Verdict::fail("GetKeyPolicy failed."),
    }
}

fn no_root(p: &mut Probe) -> Option<Seen> {
    let key = p.var("HR_KEY");
    let pol = p.key_policy(&key)?;
    if delegates_to_account(&pol, PROD) {
        return None;
    }
    if role_policy_changed(p, "SecurityAdmin") || role_policy_changed(p, "AppRole") {
        return Some(Seen::variant("iam-ignored"));
    }
    Some(Seen::it())
}

fn everyone(p: &mut Probe) -> Option<Seen> {
    let key = p.var("HR_KEY");
    allows_everyone(&p.key_policy(&key)?).then(Seen::it)
}
