//! The scenarios' checks: one module per scenario, each with its objectives' checks and its
//! wrong-turn detectors, registered in [`CHECKS`] in catalogue order. Everything a learner reads
//! (and every script) is data in `scenarios/<id>/`.

mod config_encryption_compliance;
mod diagnose_denied_decrypt;
mod dynamodb_inaccessible_table;
mod ebs_default_encryption;
mod ebs_encrypt_existing_volume;
mod grants_for_services;
mod healthcare_design;
mod imported_key_material;
mod key_rotation;
mod logs_trail_key_policy;
mod multi_region_dr;
mod rds_password_rotation;
mod rds_snapshot_cross_account;
mod s3_bucket_keys;
mod s3_enforce_sse_kms;
mod scheduled_deletion;
mod secrets_least_privilege;
mod separation_of_duties;
mod sns_sqs_encrypted_pipeline;

use base64::Engine as _;
use serde_json::Value;

use super::{Check, Detect, Probe, Verdict};

/// A scenario's Rust side.
#[derive(Debug)]
pub(crate) struct Checks {
    /// The scenario id: its data lives in `scenarios/<id>/`.
    pub id: &'static str,
    /// The check of each objective, by objective id.
    pub objectives: &'static [(&'static str, Check)],
    /// The detector of each wrong turn, by wrong-turn id.
    pub wrong_turns: &'static [(&'static str, Detect)],
    /// Values for the `{{NAME}}` placeholders of the setup and solution scripts.
    pub values: fn(u64) -> Vec<(&'static str, String)>,
    /// The variant a seed selects (`setup/<variant>.aws`, `solutions/<route>/<variant>.aws`);
    /// `""` for scenarios with one variant.
    pub variant: fn(u64) -> &'static str,
    /// Whether the variant asks the learner to diagnose from CloudTrail (see
    /// [`super::why_detail`]).
    pub diagnose_from_cloudtrail: fn(u64) -> bool,
}

impl Checks {
    /// A scenario with one variant, no placeholders and no diagnosis.
    pub const BASE: Checks = Checks {
        id: "",
        objectives: &[],
        wrong_turns: &[],
        values: |_| Vec::new(),
        variant: |_| "",
        diagnose_from_cloudtrail: |_| false,
    };
}

/// Every scenario's checks, in the order the Scenarios page lists it. Reached through
/// [`checks`]: with the `lazy` feature only once installed ([`install`]), so that the checks'
/// code can be downloaded after the lab's first load.
static CHECKS: &[Checks] = &[
    key_rotation::CHECKS,
    scheduled_deletion::CHECKS,
    separation_of_duties::CHECKS,
    grants_for_services::CHECKS,
    diagnose_denied_decrypt::CHECKS,
    ebs_encrypt_existing_volume::CHECKS,
    s3_enforce_sse_kms::CHECKS,
    ebs_default_encryption::CHECKS,
    rds_snapshot_cross_account::CHECKS,
    s3_bucket_keys::CHECKS,
    multi_region_dr::CHECKS,
    imported_key_material::CHECKS,
    healthcare_design::CHECKS,
    secrets_least_privilege::CHECKS,
    rds_password_rotation::CHECKS,
    logs_trail_key_policy::CHECKS,
    dynamodb_inaccessible_table::CHECKS,
    sns_sqs_encrypted_pipeline::CHECKS,
    config_encryption_compliance::CHECKS,
];

/// What the catalogue needs of a scenario's [`Checks`] without its checks: the ids, the
/// placeholders, the variants. Built at compile time from the same constants (`info!`), so it
/// holds no pointer to an objective's check or a wrong turn's detector.
#[derive(Debug)]
pub(crate) struct Info {
    /// The scenario id.
    pub id: &'static str,
    /// Its objectives' ids, in the order of [`Checks::objectives`].
    pub objectives: &'static [&'static str],
    /// Its wrong turns' ids, in the order of [`Checks::wrong_turns`].
    pub wrong_turns: &'static [&'static str],
    /// See [`Checks::values`].
    pub values: fn(u64) -> Vec<(&'static str, String)>,
    /// See [`Checks::variant`].
    pub variant: fn(u64) -> &'static str,
    /// See [`Checks::diagnose_from_cloudtrail`].
    pub diagnose_from_cloudtrail: fn(u64) -> bool,
}

/// The first members of `pairs` (compile time).
const fn ids<T: Copy, const N: usize>(pairs: &[(&'static str, T)]) -> [&'static str; N] {
    let mut out = [""; N];
    let mut i = 0;
    while i < N {
        out[i] = pairs[i].0;
        i += 1;
    }
    out
}

/// A scenario module's [`Info`], taken from its `CHECKS` at compile time.
macro_rules! info {
    ($($module:ident),* $(,)?) => {
        &[$(
            Info {
                id: $module::CHECKS.id,
                objectives: &ids::<Check, { $module::CHECKS.objectives.len() }>(
                    $module::CHECKS.objectives,
                ),
                wrong_turns: &ids::<Detect, { $module::CHECKS.wrong_turns.len() }>(
                    $module::CHECKS.wrong_turns,
                ),
                values: $module::CHECKS.values,
                variant: $module::CHECKS.variant,
                diagnose_from_cloudtrail: $module::CHECKS.diagnose_from_cloudtrail,
            },
        )*]
    };
}

/// The catalogue, in the order the Scenarios page lists it: [`CHECKS`] without the checks.
pub(crate) static CATALOGUE: &[Info] = info![
    key_rotation,
    scheduled_deletion,
    separation_of_duties,
    grants_for_services,
    diagnose_denied_decrypt,
    ebs_encrypt_existing_volume,
    s3_enforce_sse_kms,
    ebs_default_encryption,
    rds_snapshot_cross_account,
    s3_bucket_keys,
    multi_region_dr,
    imported_key_material,
    healthcare_design,
    secrets_least_privilege,
    rds_password_rotation,
    logs_trail_key_policy,
    dynamodb_inaccessible_table,
    sns_sqs_encrypted_pipeline,
    config_encryption_compliance,
];

/// The scenarios' checks, as [`install`] takes them (opaque outside this crate).
#[derive(Clone, Copy, Debug)]
pub struct CheckTable(&'static [Checks]);

/// The checks' table, for [`install`]: the one place that names it, so with the `lazy` feature
/// the code of every check is reached only from where this is called (the app's chunk).
pub fn check_table() -> CheckTable {
    CheckTable(CHECKS)
}

#[cfg(feature = "lazy")]
static INSTALLED: std::sync::OnceLock<&'static [Checks]> = std::sync::OnceLock::new();

/// Installs the scenarios' checks (with the `lazy` feature; without it they are always there).
/// Installing again changes nothing.
pub fn install(table: CheckTable) {
    #[cfg(feature = "lazy")]
    let _ = INSTALLED.set(table.0);
    #[cfg(not(feature = "lazy"))]
    let _always_here = table.0;
}

/// Whether the checks are here (always, without the `lazy` feature).
pub fn installed() -> bool {
    #[cfg(feature = "lazy")]
    return INSTALLED.get().is_some();
    #[cfg(not(feature = "lazy"))]
    true
}

/// The checks of catalogue entry `index`; `None` (and the engine's extension noted as wanted,
/// `cloud::service::take_wanted`) before they are installed.
pub(crate) fn checks(index: usize) -> Option<&'static Checks> {
    #[cfg(feature = "lazy")]
    let table = INSTALLED.get().copied();
    #[cfg(not(feature = "lazy"))]
    let table = Some(CHECKS);
    let Some(table) = table else {
        cloud::service::want_extension();
        return None;
    };
    table.get(index)
}

/// Every scenario's checks (tests; always the full table).
#[cfg(test)]
pub(crate) fn all() -> &'static [Checks] {
    CHECKS
}

/// The production account.
const PROD: &str = cloud::PROD_ACCOUNT;
/// The partner account.
const PARTNER: &str = cloud::PARTNER_ACCOUNT;
const APP_ROLE: &str = "arn:aws:iam::111122223333:role/AppRole";

fn b64(text: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(text)
}

/// Checks that `profile` decrypts file `name` (with `context`) to `expected`.
fn decrypts_to(
    p: &mut Probe,
    profile: &str,
    name: &str,
    context: Option<&[(&str, &str)]>,
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
fn cannot_decrypt(
    p: &mut Probe,
    profile: &str,
    name: &str,
    context: Option<&[(&str, &str)]>,
) -> Verdict {
    match p.decrypt_file(profile, name, context) {
        Ok(_) => Verdict::fail(format!("`{profile}` can decrypt {name}, and must not.")),
        Err(e) => Verdict::pass(format!(
            "`{profile}` is refused ({}).",
            e.split(':').next().unwrap_or_default()
        )),
    }
}

/// Checks that `profile` gets AccessDeniedException for KMS `op`.
fn denied(p: &mut Probe, profile: &str, op: &str, input: Value) -> Verdict {
    match p.kms(profile).call(op, input) {
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

/// Checks that `profile` may call KMS `op`.
fn allowed(p: &mut Probe, profile: &str, op: &str, input: Value) -> Verdict {
    match p.kms(profile).call(op, input) {
        Ok(_) => Verdict::pass(format!("`{profile}` may call {op}.")),
        Err(e) => Verdict::fail(format!("`{profile}` cannot call {op}: {}", e.code)),
    }
}

/// Whether `role` got a new inline policy since the scenario started.
fn role_policy_changed(p: &Probe, role: &str) -> bool {
    p.events_since_start()
        .iter()
        .any(|e| e.name() == "PutRolePolicy" && e.succeeded() && e.param("RoleName") == Some(role))
}
