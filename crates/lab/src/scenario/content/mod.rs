//! The scenario catalogue: every id study sites link to, playable or coming.

mod diagnose_denied_decrypt;
mod ebs_default_encryption;
mod ebs_encrypt_existing_volume;
mod grants_for_services;
mod healthcare_design;
mod imported_key_material;
mod key_rotation;
mod multi_region_dr;
mod rds_snapshot_cross_account;
mod s3_bucket_keys;
mod s3_enforce_sse_kms;
mod scheduled_deletion;
mod separation_of_duties;

use base64::Engine as _;
use serde_json::Value;

use super::{Probe, Scenario, Verdict};

/// The catalogue, in the order the Scenarios page lists it.
pub(super) static SCENARIOS: &[Scenario] = &[
    key_rotation::SCENARIO,
    scheduled_deletion::SCENARIO,
    separation_of_duties::SCENARIO,
    grants_for_services::SCENARIO,
    diagnose_denied_decrypt::SCENARIO,
    ebs_encrypt_existing_volume::SCENARIO,
    s3_enforce_sse_kms::SCENARIO,
    ebs_default_encryption::SCENARIO,
    rds_snapshot_cross_account::SCENARIO,
    s3_bucket_keys::SCENARIO,
    multi_region_dr::SCENARIO,
    imported_key_material::SCENARIO,
    healthcare_design::SCENARIO,
];

/// The production account.
const PROD: &str = cloud::PROD_ACCOUNT;
const APP_ROLE: &str = "arn:aws:iam::111122223333:role/AppRole";

fn b64(text: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(text)
}

fn never(_: u64) -> bool {
    false
}

fn always(_: u64) -> bool {
    true
}

/// The key's state as `admin` sees it, or the error code.
fn key_state(p: &mut Probe, key: &str) -> Result<String, String> {
    p.describe(key)
        .map(|m| m["KeyState"].as_str().unwrap_or_default().to_owned())
}

/// Checks that `profile` decrypts file `name` (with `context`) to `expected`.
fn decrypts_to(
    p: &mut Probe,
    profile: &str,
    name: &str,
    context: Option<Value>,
    expected: &str,
) -> Verdict {
    match p.decrypt_file(profile, name, context) {
        Ok(b) if b == expected.as_bytes() => {
            Verdict::pass(format!("`{profile}` decrypts {name} to the original data."))
        }
        Ok(_) => Verdict::fail(format!(
            "`{profile}` decrypts {name}, but not to the original data."
        )),
        Err(e) => Verdict::fail(format!("`{profile}` cannot decrypt {name}: {e}")),
    }
}

/// Checks that `profile` is refused decrypting `name` (any error; AccessDenied expected).
fn cannot_decrypt(p: &mut Probe, profile: &str, name: &str, context: Option<Value>) -> Verdict {
    match p.decrypt_file(profile, name, context) {
        Ok(_) => Verdict::fail(format!("`{profile}` can decrypt {name}, and must not.")),
        Err(e) => Verdict::pass(format!(
            "`{profile}` is refused ({}).",
            e.split(':').next().unwrap_or_default()
        )),
    }
}

/// Checks that `profile` gets AccessDeniedException for `op`.
fn denied(p: &mut Probe, profile: &str, op: &str, input: Value) -> Verdict {
    match p.kms(profile, op, input) {
        Ok(_) => Verdict::fail(format!("`{profile}` may call {op}, and must not.")),
        Err(e) if e.code == "AccessDeniedException" => {
            Verdict::pass(format!("`{profile}` is denied {op}."))
        }
        Err(e) => Verdict::fail(format!(
            "`{profile}` {op} failed with {} instead of AccessDeniedException.",
            e.code
        )),
    }
}

/// Checks that `profile` may call `op`.
fn allowed(p: &mut Probe, profile: &str, op: &str, input: Value) -> Verdict {
    match p.kms(profile, op, input) {
        Ok(_) => Verdict::pass(format!("`{profile}` may call {op}.")),
        Err(e) => Verdict::fail(format!("`{profile}` cannot call {op}: {}", e.code)),
    }
}

/// Whether `role` got a new inline policy since the scenario started.
fn role_policy_changed(p: &Probe, role: &str) -> bool {
    p.events_since_start().iter().any(|e| {
        e.event_name == "PutRolePolicy"
            && e.error_code.is_none()
            && e.record["requestParameters"]["roleName"] == role
    })
}

const IAM_IGNORED: &str = "You changed an IAM policy, but the key policy has no statement for the account root \
(\"Enable IAM User Permissions\"), so IAM allows are ignored for this key. Add the principal to the key \
policy, restore the root statement, or use a grant.";
