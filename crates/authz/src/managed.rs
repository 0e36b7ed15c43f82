//! AWS managed key policies and the key-policy lockout safety check.

use policy::{Decision, PolicyDocument};
use serde_json::json;

use crate::explain::{Explanation, PolicyTrace, StatementRole};
use crate::input::{Caller, NamedPolicy};
use crate::kms::ContextBuilder;

/// The key policy of an AWS managed key (`aws/SERVICE`), in the shape AWS writes it
/// ([key-policy-default / AWS managed keys](https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#aws-managed-key),
/// [kms:ViaService example](https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service)):
/// every principal of the account may use the key for cryptography, `CreateGrant` and
/// `DescribeKey` only through the service (`kms:CallerAccount` + `kms:ViaService`), and the
/// account may read the key's metadata directly. So direct use and cross-account use are denied
/// by evaluation alone.
///
/// `service` is the alias suffix (`s3`, `ebs`, `rds`, `secretsmanager`, `lambda`, …). EBS volumes
/// are encrypted through the EC2 endpoint, so `aws/ebs` names `ec2.REGION.amazonaws.com`, and its
/// metadata statement also allows `kms:RevokeGrant`.
pub fn aws_managed_key_policy(account: &str, region: &str, service: &str) -> String {
    let endpoint = if service == "ebs" { "ec2" } else { service };
    let shown = service.to_uppercase();
    let mut metadata = vec!["kms:Describe*", "kms:Get*", "kms:List*"];
    if service == "ebs" {
        metadata.push("kms:RevokeGrant");
    }
    let doc = json!({
        "Version": "2012-10-17",
        "Id": format!("auto-{service}-2"),
        "Statement": [
            {
                "Sid": format!("Allow access through {shown} for all principals in the account that are authorized to use {shown}"),
                "Effect": "Allow",
                "Principal": { "AWS": "*" },
                "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey"],
                "Resource": "*",
                "Condition": { "StringEquals": {
                    "kms:CallerAccount": account,
                    "kms:ViaService": format!("{endpoint}.{region}.amazonaws.com"),
                } },
            },
            {
                "Sid": "Allow direct access to key metadata to the account",
                "Effect": "Allow",
                "Principal": { "AWS": format!("arn:aws:iam::{account}:root") },
                "Action": metadata,
                "Resource": "*",
            },
        ],
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

/// The error of the lockout safety check.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("The new key policy will not allow you to update the key policy in the future.")]
pub struct LockoutError {
    /// Why the new policy would lock the caller out (boxed: it is large).
    pub explanation: Box<Explanation>,
}

impl LockoutError {
    /// The AWS error code.
    pub fn code(&self) -> &'static str {
        "MalformedPolicyDocumentException"
    }
}

/// The policy lockout safety check of `CreateKey` and `PutKeyPolicy` (skipped when the request
/// sets `BypassPolicyLockoutSafetyCheck`): the new policy must let the caller call
/// `kms:PutKeyPolicy` later — directly, or through a statement for its account plus an identity
/// policy ([API_PutKeyPolicy.html](https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html),
/// [key-policy-default.html#prevent-unmanageable-key](https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#prevent-unmanageable-key)).
/// Failing that, KMS answers `MalformedPolicyDocumentException` "The new key policy will not
/// allow you to update the key policy in the future."
///
/// The check uses only the principal's keys and `kms:CallerAccount`; conditions on other
/// request keys count as not met.
pub fn lockout_check(
    new_policy: &PolicyDocument,
    caller: &Caller,
    key_arn: &str,
    identity_policies: &[NamedPolicy<'_>],
) -> Result<(), LockoutError> {
    let action = "kms:PutKeyPolicy";
    let mut b = ContextBuilder::new(caller, action, key_arn);
    b.set("kms:CallerAccount", &caller.account);
    let (ctx, shown) = b.finish();
    let kp = PolicyTrace::key_policy(key_arn, new_policy.evaluate(&ctx), caller.is_root());
    let traces: Vec<PolicyTrace> = identity_policies
        .iter()
        .map(|p| PolicyTrace::identity(&p.name, p.document.evaluate(&ctx)))
        .collect();
    let iam = Decision::combine(traces.iter().map(|t| t.decision));
    let direct = kp
        .with_role(|r| *r == StatementRole::DirectAllow)
        .next()
        .is_some();
    let delegates = kp
        .with_role(|r| matches!(r, StatementRole::DelegatesToAccount { .. }))
        .next()
        .is_some();
    let why = if kp.decision == Decision::ExplicitDeny {
        Some("the new key policy denies the caller kms:PutKeyPolicy")
    } else if iam == Decision::ExplicitDeny {
        Some("an identity policy denies the caller kms:PutKeyPolicy")
    } else if direct || (delegates && iam == Decision::Allow) {
        None
    } else if delegates {
        Some(
            "the new key policy delegates to IAM, but no identity policy of the caller allows kms:PutKeyPolicy",
        )
    } else {
        Some(
            "the new key policy allows neither the caller nor its account to call kms:PutKeyPolicy",
        )
    };
    match why {
        None => Ok(()),
        Some(why) => Err(LockoutError {
            explanation: Box::new(Explanation {
                verdict: format!("REJECTED: {why}, so {} could never change this key policy again", caller.arn),
                caller: caller.arn.clone(),
                action: action.to_owned(),
                resource: key_arn.to_owned(),
                same_account: true,
                key_policy_delegates_to_iam: delegates,
                key_policy: Some(kp),
                identity_policies: traces,
                grants: Vec::new(),
                conditions: shown,
                notes: vec!["the lockout safety check; set BypassPolicyLockoutSafetyCheck to skip it (not recommended)".to_owned()],
            }),
        }),
    }
}
