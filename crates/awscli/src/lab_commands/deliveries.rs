//! `lab deliveries`: what AWS services delivered on the caller's behalf, and what they could
//! not deliver. SNS does not retry a delivery an SQS queue or its KMS key refuses (a
//! client-side error), and EventBridge gives up on a target that refuses it; in AWS the
//! learner would find these in CloudWatch metrics (`NumberOfNotificationsFailed`,
//! `FailedInvocations`) and in CloudTrail (the refused KMS request of `sns.amazonaws.com`).

use super::Opts;
use crate::error::CliError;
use crate::session::{Out, Session};
use crate::time;

/// `lab deliveries [--profile P]`.
pub(super) fn deliveries(s: &mut Session, rest: &[&str]) -> Result<Out, CliError> {
    let o = Opts::parse(rest, &["profile", "region"])?;
    let ctx = s
        .world
        .context_for_profile(o.get("profile"), o.get("region"))
        .map_err(|e| CliError::Config(format!("\n{}\n", e.message)))?;
    let mine = |arn: &str| arn.split(':').nth(4) == Some(ctx.account.as_str());
    let mut t = String::from(
        "SNS deliveries that failed (not retried: the message is lost for that subscription)\n",
    );
    let failures: Vec<_> = s
        .world
        .sns()
        .delivery_failures()
        .iter()
        .filter(|f| mine(&f.topic_arn))
        .collect();
    if failures.is_empty() {
        t.push_str("  none\n");
    }
    for f in failures {
        t.push_str(&format!(
            "  {}  {} -> {}\n    message {}: {}: {}\n",
            time::iso8601(f.time_ms),
            f.topic_arn,
            f.endpoint,
            f.message_id,
            f.error_code,
            f.error_message
        ));
    }
    t.push_str("\nEventBridge invocations\n");
    let invocations: Vec<_> = s
        .world
        .eventbridge()
        .invocations()
        .iter()
        .filter(|i| mine(&i.rule_arn))
        .collect();
    if invocations.is_empty() {
        t.push_str("  none\n");
    }
    for i in invocations {
        t.push_str(&format!(
            "  {}  {} ({}) -> {}: {}{}\n",
            time::iso8601(i.time_ms),
            i.rule_arn,
            i.detail_type,
            i.target_arn,
            i.outcome,
            i.message
                .as_deref()
                .map(|m| format!(": {m}"))
                .unwrap_or_default()
        ));
    }
    Ok(Out::text(t))
}
