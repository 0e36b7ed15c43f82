//! Rotation: `RotateSecret`, `CancelRotateSecret`, and the schedule on the world's clock
//! (<https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets.html>).
//!
//! `RotateSecret` configures rotation and starts it asynchronously: it answers at once with the
//! new version's id (the `ClientRequestToken` the function creates the version under), and the
//! rotation function runs afterwards — in the lab, just before the next Secrets Manager or RDS
//! call, as the function's own execution role. Scheduled rotations fall due on the world's
//! clock the same way. Secrets another service manages (`rds!db-…`) get that service's managed
//! rotation instead. The lab has no Lambda: its rotation functions are the stand-ins of
//! [`super::standin`].

use super::model::{RotateSecretRequest, RotationRules, SecretIdRequest, SecretVersionResponse};
use super::secret::{lookup, save};
use super::standin::{self, Standin};
use super::{AWSCURRENT, AWSPENDING, SecretsManagerError, StoredSecret};
use crate::World;
use crate::cloudtrail::CallAudit;
use crate::context::CallContext;

type Result<T> = std::result::Result<T, SecretsManagerError>;

const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 86_400_000;
/// The tag Secrets Manager puts on a secret another service manages.
pub(crate) const OWNING_SERVICE_TAG: &str = "aws:secretsmanager:owningService";

fn invalid_request(m: impl Into<String>) -> SecretsManagerError {
    SecretsManagerError::InvalidRequestException(m.into())
}

fn invalid_parameter(m: impl Into<String>) -> SecretsManagerError {
    SecretsManagerError::InvalidParameterException(m.into())
}

/// The service that manages `s` (`rds`), if another service does.
pub(crate) fn owning_service(s: &StoredSecret) -> Option<&str> {
    s.tags
        .iter()
        .find(|t| t.key == OWNING_SERVICE_TAG)
        .map(|t| t.value.as_str())
}

/// The interval a schedule gives, in ms: `AutomaticallyAfterDays`, `rate(N days|hours)`, or a
/// `cron()` expression (which the lab runs once a day).
fn interval_ms(rules: &RotationRules) -> Option<i64> {
    if let Some(d) = rules.automatically_after_days {
        return Some(d * DAY_MS);
    }
    let expr = rules.schedule_expression.as_deref()?.trim();
    if let Some(inner) = expr.strip_prefix("rate(").and_then(|e| e.strip_suffix(')')) {
        let mut parts = inner.split_whitespace();
        let n: i64 = parts.next()?.parse().ok()?;
        return match parts.next()? {
            "day" | "days" => Some(n * DAY_MS),
            "hour" | "hours" => Some(n * HOUR_MS),
            _ => None,
        };
    }
    expr.starts_with("cron(").then_some(DAY_MS)
}

/// Checks `RotationRules` as Secrets Manager does.
fn check_rules(rules: &RotationRules) -> Result<()> {
    if let Some(d) = rules.automatically_after_days {
        if d < 1 {
            return Err(SecretsManagerError::ValidationException(format!(
                "1 validation error detected: Value '{d}' at 'rotationRules.automaticallyAfterDays' failed to satisfy constraint: Member must have value greater than or equal to 1"
            )));
        }
        if d > 1000 {
            return Err(SecretsManagerError::ValidationException(format!(
                "1 validation error detected: Value '{d}' at 'rotationRules.automaticallyAfterDays' failed to satisfy constraint: Member must have value less than or equal to 1000"
            )));
        }
        if rules.schedule_expression.is_some() {
            return Err(invalid_parameter(
                "You can't specify both AutomaticallyAfterDays and ScheduleExpression.",
            ));
        }
        return Ok(());
    }
    let Some(expr) = rules.schedule_expression.as_deref() else {
        return Err(invalid_parameter(
            "You must specify AutomaticallyAfterDays or ScheduleExpression in RotationRules.",
        ));
    };
    match interval_ms(rules) {
        None => Err(invalid_parameter(format!(
            "The schedule expression {expr} isn't valid. Use rate() or cron()."
        ))),
        Some(ms) if ms < 4 * HOUR_MS => Err(invalid_parameter(
            "The rotation interval must be at least four hours.",
        )),
        Some(_) => Ok(()),
    }
}

/// When the next scheduled rotation of `s` falls due (epoch ms), if rotation is on.
pub(crate) fn next_rotation_ms(s: &StoredSecret) -> Option<i64> {
    let every = interval_ms(s.rotation_rules.as_ref()?)?;
    let from = s.last_rotated_ms.max(s.schedule_from_ms)?;
    Some(from + every)
}

/// A version holds `AWSPENDING` without being `AWSCURRENT`: a rotation that did not finish.
fn unfinished(s: &StoredSecret) -> Option<String> {
    s.versions
        .iter()
        .find(|v| {
            v.stages.iter().any(|x| x == AWSPENDING) && !v.stages.iter().any(|x| x == AWSCURRENT)
        })
        .map(|v| v.id.clone())
}

pub(super) fn rotate(
    world: &mut World,
    ctx: &CallContext,
    r: &RotateSecretRequest,
    audit: &mut CallAudit,
) -> Result<SecretVersionResponse> {
    let mut s = lookup(world, ctx, &r.secret_id, "RotateSecret", false, audit)?;
    if let Some(rules) = &r.rotation_rules {
        check_rules(rules)?;
    }
    if let Some(service) = owning_service(&s).map(str::to_owned) {
        if r.rotation_lambda_arn.is_some() {
            return Err(invalid_request(format!(
                "You can't use a Lambda rotation function for a secret managed by {service}: it uses managed rotation."
            )));
        }
        return managed_now(world, ctx, &s, &service, audit);
    }
    let Some(function) = r
        .rotation_lambda_arn
        .clone()
        .or_else(|| s.rotation_lambda_arn.clone())
    else {
        return Err(invalid_request(
            "No Lambda rotation function ARN is associated with this secret.",
        ));
    };
    if standin::find(&function, &s.region, &s.account).is_none() {
        return Err(SecretsManagerError::AccessDeniedException(
            "Secrets Manager cannot invoke the specified Lambda function. Ensure that the function policy grants access to the principal secretsmanager.amazonaws.com.".into(),
        ));
    }
    if let Some(pending) = unfinished(&s) {
        // The rotation is reattempted with its own token.
        s.rotation_queued = Some(pending);
        save(world, s);
        return Err(invalid_request(
            "A previous rotation isn't complete. That rotation will be reattempted.",
        ));
    }
    let now = world.now_ms();
    s.rotation_lambda_arn = Some(function);
    if let Some(rules) = &r.rotation_rules {
        s.rotation_rules = Some(rules.clone());
        s.schedule_from_ms = Some(now);
    } else if s.rotation_rules.is_none() {
        return Err(invalid_parameter(
            "You must specify RotationRules when you turn on rotation for a secret.",
        ));
    }
    let immediately = r.rotate_immediately != Some(false);
    let token = if immediately {
        let token = match &r.client_request_token {
            Some(t) if t.len() < 32 || t.len() > 64 => {
                return Err(SecretsManagerError::ValidationException(format!(
                    "1 validation error detected: Value '{t}' at 'clientRequestToken' failed to satisfy constraint: Member must have length greater than or equal to 32"
                )));
            }
            Some(t) => t.clone(),
            None => world.rng.uuid(),
        };
        s.rotation_queued = Some(token.clone());
        Some(token)
    } else {
        None
    };
    standin::ensure_role(world, &s.account);
    s.changed_ms = now;
    let resp = SecretVersionResponse {
        arn: s.arn.clone(),
        name: s.name.clone(),
        version_id: token,
        version_stages: None,
    };
    save(world, s);
    Ok(resp)
}

/// `RotateSecret` of a secret another service manages: that service rotates it now.
fn managed_now(
    world: &mut World,
    ctx: &CallContext,
    s: &StoredSecret,
    service: &str,
    audit: &mut CallAudit,
) -> Result<SecretVersionResponse> {
    if service != "rds" {
        return Err(invalid_request(format!(
            "The secret is managed by {service}, which the lab doesn't model."
        )));
    }
    crate::rds::rotate_managed_secret(world, ctx, &s.arn, audit)?;
    let version_id = world
        .services
        .secretsmanager
        .secrets
        .get(&s.arn)
        .and_then(|s| s.version_by_stage(AWSCURRENT))
        .map(|v| v.id.clone());
    Ok(SecretVersionResponse {
        arn: s.arn.clone(),
        name: s.name.clone(),
        version_id,
        version_stages: None,
    })
}

pub(super) fn cancel_rotate(
    world: &mut World,
    ctx: &CallContext,
    r: &SecretIdRequest,
    audit: &mut CallAudit,
) -> Result<SecretVersionResponse> {
    let mut s = lookup(world, ctx, &r.secret_id, "CancelRotateSecret", false, audit)?;
    if s.rotation_lambda_arn.is_none() {
        return Err(invalid_request(
            "Secrets Manager can't cancel rotation because rotation isn't enabled for this secret.",
        ));
    }
    let pending = s.version_by_stage(AWSPENDING).map(|v| v.id.clone());
    for v in &mut s.versions {
        v.stages.retain(|x| x != AWSPENDING);
    }
    s.rotation_lambda_arn = None;
    s.rotation_rules = None;
    s.rotation_queued = None;
    s.schedule_from_ms = None;
    let resp = SecretVersionResponse {
        arn: s.arn.clone(),
        name: s.name.clone(),
        version_id: pending,
        version_stages: None,
    };
    save(world, s);
    Ok(resp)
}

/// What is due: a rotation `RotateSecret` started (or asked to reattempt), or a scheduled one.
fn due(s: &StoredSecret, now: i64) -> Option<(String, Option<String>)> {
    if s.deletion_due_ms.is_some() {
        return None;
    }
    let function = s.rotation_lambda_arn.clone()?;
    if let Some(token) = &s.rotation_queued {
        return Some((function, Some(token.clone())));
    }
    let next = next_rotation_ms(s)?;
    let retry_ok = s.rotation_failed_ms.is_none_or(|f| now - f >= DAY_MS);
    (next <= now && retry_ok).then_some((function, None))
}

/// Runs every rotation due at the world's time, each as its function's execution role (its
/// calls are audited like anyone's). Nothing runs while a rotation is already running (the
/// function's own Secrets Manager calls come back here).
pub(crate) fn run_due(world: &mut World) {
    if world.services.secretsmanager.rotating {
        return;
    }
    let now = world.now_ms();
    let due: Vec<(String, String, Option<String>)> = world
        .services
        .secretsmanager
        .secrets
        .values()
        .filter_map(|s| due(s, now).map(|(f, t)| (s.arn.clone(), f, t)))
        .collect();
    if due.is_empty() {
        return;
    }
    world.services.secretsmanager.rotating = true;
    for (arn, function, token) in due {
        let Some(s) = world.services.secretsmanager.secrets.get(&arn).cloned() else {
            continue;
        };
        let Some(standin) = standin::find(&function, &s.region, &s.account) else {
            continue;
        };
        let token = token.unwrap_or_else(|| world.rng.uuid());
        let outcome = run_one(world, &s, standin, &token);
        if let Some(s) = world.services.secretsmanager.secrets.get_mut(&arn) {
            s.rotation_queued = None;
            match outcome {
                Ok(()) => {
                    s.last_rotated_ms = Some(now);
                    s.rotation_failed_ms = None;
                }
                Err(_) => s.rotation_failed_ms = Some(now),
            }
        }
    }
    world.services.secretsmanager.rotating = false;
}

fn run_one(world: &mut World, s: &StoredSecret, standin: &Standin, token: &str) -> std::result::Result<(), String> {
    let ctx = standin::execution_context(world, standin, &s.account, &s.region);
    standin::run(world, &ctx, standin, &s.arn, token)
}
