//! A secret's resource policy: get, put (with `BlockPublicPolicy`), delete and validate.

use super::auth::{authorize, is_public, parse_policy};
use super::error::required;
use super::model::{
    GetResourcePolicyResponse, PutResourcePolicyRequest, SecretIdRequest, SecretRef,
    ValidateResourcePolicyRequest, ValidateResourcePolicyResponse, ValidationErrorsEntry,
};
use super::secret::{lookup, save};
use super::SecretsManagerError;
use crate::World;
use crate::cloudtrail::CallAudit;
use crate::context::CallContext;

type Result<T> = std::result::Result<T, SecretsManagerError>;

pub(super) fn get_policy(
    world: &World,
    ctx: &CallContext,
    r: &SecretIdRequest,
    audit: &mut CallAudit,
) -> Result<GetResourcePolicyResponse> {
    let s = lookup(world, ctx, &r.secret_id, "GetResourcePolicy", false, audit)?;
    Ok(GetResourcePolicyResponse {
        arn: s.arn,
        name: s.name,
        resource_policy: s.policy,
    })
}

/// The problems of a resource policy for `arn`: malformed, or (when `block`) public.
fn check_policy(text: &str, block: bool) -> Result<()> {
    let doc = parse_policy(text).map_err(|e| {
        SecretsManagerError::MalformedPolicyDocumentException(format!(
            "This resource policy contains a syntax error: {e}"
        ))
    })?;
    for st in doc.statements() {
        for a in &st.action().patterns {
            let a = a.as_str().to_ascii_lowercase();
            if !(a == "*" || a.starts_with("secretsmanager:")) {
                return Err(SecretsManagerError::MalformedPolicyDocumentException(
                    "This resource policy contains an unsupported action.".into(),
                ));
            }
        }
    }
    if block && is_public(&doc) {
        return Err(SecretsManagerError::PublicPolicyException(
            "The BlockPublicPolicy parameter is set to true, and the resource policy did not prevent broad access to the secret.".into(),
        ));
    }
    Ok(())
}

pub(super) fn put_policy(
    world: &mut World,
    ctx: &CallContext,
    r: &PutResourcePolicyRequest,
    audit: &mut CallAudit,
) -> Result<SecretRef> {
    let mut s = lookup(world, ctx, &r.secret_id, "PutResourcePolicy", false, audit)?;
    let text = required(&r.resource_policy, "resourcePolicy")?.clone();
    check_policy(&text, r.block_public_policy == Some(true))?;
    s.policy = Some(text);
    let resp = SecretRef {
        arn: s.arn.clone(),
        name: s.name.clone(),
    };
    save(world, s);
    Ok(resp)
}

pub(super) fn delete_policy(
    world: &mut World,
    ctx: &CallContext,
    r: &SecretIdRequest,
    audit: &mut CallAudit,
) -> Result<SecretRef> {
    let mut s = lookup(world, ctx, &r.secret_id, "DeleteResourcePolicy", false, audit)?;
    s.policy = None;
    let resp = SecretRef {
        arn: s.arn.clone(),
        name: s.name.clone(),
    };
    save(world, s);
    Ok(resp)
}

pub(super) fn validate_policy(
    world: &World,
    ctx: &CallContext,
    r: &ValidateResourcePolicyRequest,
    audit: &mut CallAudit,
) -> Result<ValidateResourcePolicyResponse> {
    if r.secret_id.is_some() {
        lookup(world, ctx, &r.secret_id, "ValidateResourcePolicy", true, audit)?;
    } else {
        authorize(
            world,
            ctx,
            "ValidateResourcePolicy",
            "*",
            &ctx.account,
            None,
            audit,
        )?;
    }
    let text = required(&r.resource_policy, "resourcePolicy")?;
    let validation_errors: Vec<ValidationErrorsEntry> = match check_policy(text, true) {
        Ok(()) => Vec::new(),
        Err(e) => vec![ValidationErrorsEntry {
            check_name: if matches!(e, SecretsManagerError::PublicPolicyException(_)) {
                "BROAD_ACCESS".into()
            } else {
                "SYNTAX".into()
            },
            error_message: e.to_string(),
        }],
    };
    Ok(ValidateResourcePolicyResponse {
        policy_validation_passed: validation_errors.is_empty(),
        validation_errors,
    })
}
