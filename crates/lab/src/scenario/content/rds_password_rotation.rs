//! `rds-password-rotation`: an RDS master password moved into Secrets Manager under a customer
//! managed key, rotated (by a rotation function or by RDS), and shared with the partner account.

use cloud::secretsmanager::model::{
    GetSecretValueRequest, ListSecretsRequest, RotationRules, SecretMetadata,
};

use super::{Checks, PROD};
use crate::scenario::{Probe, Seen, Verdict};

const DB_PASSWORD: &str = "Orders-Launch-2024!";
const INSTANCE: &str = "orders";
const REGION: &str = "us-east-1";
const DAY_MS: i64 = 86_400_000;

pub(super) const CHECKS: Checks = Checks {
    id: "rds-password-rotation",
    objectives: &[
        ("stored", stored),
        ("rotated", rotated),
        ("partner", partner),
        ("next-rotation", next_rotation),
    ],
    wrong_turns: &[
        ("aws-managed-key", aws_managed_key),
        ("out-of-sync", out_of_sync),
    ],
    values: |_| vec![("DB_PASSWORD", DB_PASSWORD.to_owned())],
    ..Checks::BASE
};

/// A secret that names the orders database's master user, with what it holds.
struct Candidate {
    meta: SecretMetadata,
    username: String,
    password: String,
}

fn credentials(value: &str) -> Option<(String, String)> {
    let v: serde_json::Value = serde_json::from_str(value).ok()?;
    let user = v.get("username")?.as_str()?.to_owned();
    let pass = v.get("password")?.as_str()?.to_owned();
    Some((user, pass))
}

fn logs_in(p: &Probe, user: &str, password: &str) -> bool {
    cloud::rds::login(&p.session.world, PROD, REGION, INSTANCE, user, password).is_ok()
}

fn read(p: &mut Probe, profile: &str, id: &str) -> Result<String, String> {
    p.typed(profile, |c| {
        c.secretsmanager().get_secret_value(GetSecretValueRequest {
            secret_id: Some(id.to_owned()),
            ..Default::default()
        })
    })
    .map(|v| v.secret_string.unwrap_or_default())
    .map_err(|e| format!("{}: {}", e.code, e.message))
}

/// The account's secrets that hold credentials for the orders master user.
fn candidates(p: &mut Probe) -> Vec<Candidate> {
    let Ok(listed) = p.typed("admin", |c| {
        c.secretsmanager()
            .list_secrets(ListSecretsRequest::default())
    }) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for meta in listed.secret_list {
        let Ok(value) = read(p, "admin", &meta.arn) else {
            continue;
        };
        if let Some((username, password)) = credentials(&value)
            && username == "admin"
        {
            out.push(Candidate {
                meta,
                username,
                password,
            });
        }
    }
    out
}

/// The candidates whose password logs in.
fn working(p: &mut Probe) -> Vec<Candidate> {
    candidates(p)
        .into_iter()
        .filter(|c| logs_in(p, &c.username, &c.password))
        .collect()
}

fn on_db_key(p: &Probe, meta: &SecretMetadata) -> bool {
    let key = p.var("DB_KEY_ARN");
    meta.kms_key_id.as_deref().is_some_and(|k| {
        k == key
            || key.ends_with(&format!("/{k}"))
            || k == "alias/db-secrets"
            || k == "arn:aws:kms:us-east-1:111122223333:alias/db-secrets"
    })
}

fn stored(p: &mut Probe) -> Verdict {
    let found = working(p);
    if found.is_empty() {
        return Verdict::fail("No secret holds admin credentials that log in to orders.");
    }
    match found.iter().find(|c| on_db_key(p, &c.meta)) {
        Some(c) => Verdict::pass(format!(
            "{} holds working credentials under alias/db-secrets.",
            c.meta.name
        )),
        None => Verdict::fail(
            "A secret holds working credentials, but it isn't encrypted under alias/db-secrets.",
        ),
    }
}

/// At most 30 days between rotations.
fn often_enough(rules: Option<&RotationRules>) -> bool {
    let Some(r) = rules else {
        return false;
    };
    if let Some(d) = r.automatically_after_days {
        return d <= 30;
    }
    let Some(expr) = r.schedule_expression.as_deref() else {
        return false;
    };
    match expr
        .strip_prefix("rate(")
        .and_then(|e| e.strip_suffix(')'))
        .map(|e| e.split_whitespace().collect::<Vec<_>>())
        .as_deref()
    {
        Some([n, unit]) if unit.starts_with("day") => n.parse::<u32>().is_ok_and(|n| n <= 30),
        Some([_, unit]) => unit.starts_with("hour"),
        _ => expr.starts_with("cron("),
    }
}

/// The secret under the key with working credentials, rotating often enough.
fn the_secret(p: &mut Probe) -> Result<Candidate, Verdict> {
    let found = working(p);
    let on_key: Vec<Candidate> = found
        .into_iter()
        .filter(|c| on_db_key(p, &c.meta))
        .collect();
    if on_key.is_empty() {
        return Err(stored(p));
    }
    on_key
        .into_iter()
        .find(|c| {
            c.meta.rotation_enabled == Some(true) && often_enough(c.meta.rotation_rules.as_ref())
        })
        .ok_or_else(|| {
            Verdict::fail("The secret doesn't rotate automatically every 30 days or more often.")
        })
}

fn rotated(p: &mut Probe) -> Verdict {
    let c = match the_secret(p) {
        Ok(c) => c,
        Err(v) => return v,
    };
    if logs_in(p, "admin", DB_PASSWORD) || c.password == DB_PASSWORD {
        return Verdict::fail(
            "Rotation is configured, but the password in db-password.txt still logs in: rotate now.",
        );
    }
    Verdict::pass(format!(
        "{} rotates and has rotated: the old password is refused, the secret's logs in.",
        c.meta.name
    ))
}

fn partner_reads(p: &mut Probe, arn: &str) -> Verdict {
    match read(p, "partner-admin", arn) {
        Ok(v) => match credentials(&v) {
            Some((u, pw)) if logs_in(p, &u, &pw) => {
                Verdict::pass("partner-admin reads working credentials from its own account.")
            }
            _ => Verdict::fail("partner-admin reads the secret, but its credentials don't log in."),
        },
        Err(e) => Verdict::fail(format!("partner-admin cannot read the secret: {e}")),
    }
}

fn partner(p: &mut Probe) -> Verdict {
    let Some(c) = working(p).into_iter().find(|c| on_db_key(p, &c.meta)) else {
        return stored(p);
    };
    partner_reads(p, &c.meta.arn)
}

fn next_rotation(p: &mut Probe) -> Verdict {
    rotated(p).and(|| partner(p)).and(|| {
        let Ok(before) = the_secret(p) else {
            return Verdict::fail("The secret doesn't rotate.");
        };
        p.session.world.advance_clock(31 * DAY_MS);
        let now = match read(p, "admin", &before.meta.arn) {
            Ok(v) => credentials(&v),
            Err(e) => return Verdict::fail(format!("After 31 days the secret can't be read: {e}")),
        };
        match now {
            Some((_, pw)) if pw == before.password => Verdict::fail(
                "31 days later the password is unchanged: the scheduled rotation did not run (did it fail? look in CloudTrail).",
            ),
            Some((u, pw)) if logs_in(p, &u, &pw) => partner_reads(p, &before.meta.arn),
            _ => Verdict::fail("After the next rotation the secret's password doesn't log in."),
        }
    })
}

fn aws_managed_key(p: &mut Probe) -> Option<Seen> {
    candidates(p)
        .iter()
        .any(|c| c.meta.kms_key_id.is_none())
        .then(Seen::it)
}

fn out_of_sync(p: &mut Probe) -> Option<Seen> {
    let all = candidates(p);
    all.iter()
        .any(|c| !logs_in(p, &c.username, &c.password))
        .then(Seen::it)
}
