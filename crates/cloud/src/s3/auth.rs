//! S3's authorization: identity policies and the bucket policy.
//!
//! [How S3 authorizes a request](https://docs.aws.amazon.com/AmazonS3/latest/userguide/how-s3-evaluates-access-control.html):
//! an explicit deny in either wins; within the bucket owner's account an allow in the identity
//! policies **or** the bucket policy suffices; for a caller from another account both the
//! bucket policy and the caller's own identity policy must allow.

use authz::{DenialKind, S3Gate, access_denied};
use policy::{Decision, RequestContext};

use crate::authorize::{AuthorizationRecord, base_conditions, caller, identity_policies};
use crate::cloudtrail::CallAudit;
use crate::context::{CallContext, IdentityType};
use crate::iam::Iam;

use super::{Bucket, S3Error};
use crate::World;

/// What one S3 request asks: an action on a resource, in a bucket (if it exists), with the
/// request's extra condition keys (the encryption headers of a write).
#[derive(Clone, Copy, Debug)]
pub(crate) struct S3Access<'a> {
    /// The IAM action (`s3:PutObject`, …).
    pub action: &'a str,
    /// The bucket or object ARN (`*` for `ListAllMyBuckets`).
    pub resource: &'a str,
    /// The bucket whose owner and policy apply.
    pub bucket: Option<&'a Bucket>,
    /// Condition keys of the request beyond the base ones.
    pub extra: &'a [(String, Vec<String>)],
}

/// Decides `access` for `ctx`, recording the decision; `Err` is S3's `AccessDenied` (403) with
/// AWS's message.
pub(crate) fn authorize(
    iam: &Iam,
    ctx: &CallContext,
    access: S3Access<'_>,
    now_ms: i64,
    audit: &mut CallAudit,
) -> Result<(), S3Error> {
    let S3Access {
        action,
        resource,
        bucket,
        extra,
    } = access;
    let mut conditions = base_conditions(ctx, now_ms, "s3");
    conditions.extend(extra.iter().cloned());
    let who = caller(ctx);
    let policies = identity_policies(iam, ctx);
    let identity = authz::authorize_identity_only(&who, action, resource, &policies, &conditions);
    let identity_decision = match identity.gate {
        authz::IamGate::ExplicitDenyIam => Decision::ExplicitDeny,
        g if g.allows() => Decision::Allow,
        _ => Decision::NotApplicable,
    };
    let owner = bucket.map(|b| b.account.as_str());
    let bucket_decision = bucket
        .and_then(|b| b.policy.as_ref())
        .map(|doc| {
            let mut rc = RequestContext::new(who.to_principal(), action, resource);
            for (k, v) in &conditions {
                rc.set_list(k, v.iter().cloned());
            }
            doc.evaluate(&rc).decision
        })
        .unwrap_or(Decision::NotApplicable);
    let same_account = owner.is_none_or(|o| o == ctx.account);
    let kind = if identity_decision == Decision::ExplicitDeny {
        Some(DenialKind::ExplicitDenyIdentityPolicy)
    } else if bucket_decision == Decision::ExplicitDeny {
        Some(DenialKind::ExplicitDenyResourcePolicy)
    } else if same_account {
        // The root user of the owner account is allowed by `authorize_identity_only`.
        if identity_decision == Decision::Allow || bucket_decision == Decision::Allow {
            None
        } else {
            Some(DenialKind::NoIdentityPolicyAllows)
        }
    } else if ctx.identity_type == IdentityType::Root
        || identity_decision == Decision::Allow
        || identity.gate == authz::IamGate::RootUser
    {
        if bucket_decision == Decision::Allow {
            None
        } else {
            Some(DenialKind::NoResourcePolicyAllows)
        }
    } else {
        Some(DenialKind::NoIdentityPolicyAllows)
    };
    let message = kind
        .map(|k| access_denied(&ctx.principal_arn, action, resource, k))
        .unwrap_or_default();
    let gate = match kind {
        None if bucket_decision == Decision::Allow && !same_account => S3Gate::BucketPolicyPlusIam,
        None if bucket_decision == Decision::Allow => S3Gate::BucketPolicy,
        None => S3Gate::IdentityPolicy,
        Some(DenialKind::ExplicitDenyIdentityPolicy) => S3Gate::ExplicitDenyIam,
        Some(DenialKind::ExplicitDenyResourcePolicy) => S3Gate::ExplicitDenyBucketPolicy,
        Some(DenialKind::NoResourcePolicyAllows) => S3Gate::NoBucketPolicyAllow,
        Some(DenialKind::NoIdentityPolicyAllows) => S3Gate::NoIdentityOrBucketPolicyAllow,
    };
    let mut record =
        AuthorizationRecord::new(kind.is_none(), gate, &message, &identity.explanation);
    record.text = format!(
        "{}\nS3: identity policies: {identity_decision}; bucket policy: {}; {} → {}\n",
        record.text.trim_end(),
        if bucket.is_some_and(|b| b.policy.is_some()) {
            bucket_decision.to_string()
        } else {
            "none".to_owned()
        },
        if same_account {
            "same account: either may allow"
        } else {
            "another account: both must allow"
        },
        if kind.is_none() { "ALLOWED" } else { "DENIED" },
    );
    if kind.is_some() {
        record.verdict_line(&message);
    }
    audit.authorizations.push(record);
    match kind {
        None => Ok(()),
        Some(_) => Err(S3Error::AccessDenied(message)),
    }
}

/// Authorizes `action` on `resource` (in bucket `bucket`, if it exists) for `ctx`.
pub(crate) fn check(
    world: &World,
    ctx: &CallContext,
    action: &str,
    resource: &str,
    bucket: Option<&str>,
    extra: &[(String, Vec<String>)],
    audit: &mut CallAudit,
) -> Result<(), S3Error> {
    let b = bucket.and_then(|n| world.services.s3.buckets.get(n));
    let access = S3Access {
        action,
        resource,
        bucket: b,
        extra,
    };
    authorize(&world.iam, ctx, access, world.now_ms(), audit)
}

/// The object's ARN, once its bucket exists and `action` on the object is authorized.
pub(crate) fn check_object(
    world: &World,
    ctx: &CallContext,
    action: &str,
    name: &str,
    key: &str,
    extra: &[(String, Vec<String>)],
    audit: &mut CallAudit,
) -> Result<String, S3Error> {
    if !world.services.s3.buckets.contains_key(name) {
        return Err(S3Error::no_such_bucket());
    }
    let object_arn = format!("arn:aws:s3:::{name}/{key}");
    check(world, ctx, action, &object_arn, Some(name), extra, audit)?;
    Ok(object_arn)
}

/// The bucket `name` (a required member), after authorizing `action` on it (AWS checks access
/// before existence only for principals who could list; the lab answers `NoSuchBucket` first,
/// as S3 does for the owner).
pub(crate) fn bucket_for<'w>(
    world: &'w World,
    ctx: &CallContext,
    name: &Option<String>,
    action: &str,
    audit: &mut CallAudit,
) -> Result<&'w Bucket, S3Error> {
    let name = super::error::required(name, "Bucket")?;
    if !world.services.s3.buckets.contains_key(name) {
        return Err(S3Error::no_such_bucket());
    }
    check(
        world,
        ctx,
        action,
        &format!("arn:aws:s3:::{name}"),
        Some(name),
        &[],
        audit,
    )?;
    world
        .services.s3
        .buckets
        .get(name)
        .ok_or_else(S3Error::no_such_bucket)
}

impl AuthorizationRecord {
    /// Makes the first line of the text say the request was denied (the identity explanation
    /// alone may have allowed it).
    fn verdict_line(&mut self, message: &str) {
        if self.text.starts_with("ALLOWED") {
            self.text = format!("DENIED: {message}\n{}", self.text);
        }
    }
}
