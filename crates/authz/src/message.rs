//! The `AccessDeniedException` messages, in AWS's wording.
//!
//! AWS's current form names the caller, the action, the resource and which
//! kind of policy is missing or denying (see "Access denied error messages",
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html>):
//!
//! `User: ARN is not authorized to perform: ACTION on resource: RESOURCE because no resource-based policy allows the ACTION action`
//!
//! For a role session the `User:` part is the session ARN
//! (`arn:aws:sts::ACCT:assumed-role/ROLE/SESSION`).

use serde::Serialize;

/// Which sentence ends the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum DenialKind {
    /// `because no resource-based policy allows the ACTION action`
    NoResourcePolicyAllows,
    /// `because no identity-based policy allows the ACTION action`
    NoIdentityPolicyAllows,
    /// `with an explicit deny in a resource-based policy`
    ExplicitDenyResourcePolicy,
    /// `with an explicit deny in an identity-based policy`
    ExplicitDenyIdentityPolicy,
}

/// The full message.
pub fn access_denied(caller_arn: &str, action: &str, resource: &str, kind: DenialKind) -> String {
    let head = format!(
        "User: {caller_arn} is not authorized to perform: {action} on resource: {resource}"
    );
    match kind {
        DenialKind::NoResourcePolicyAllows => {
            format!("{head} because no resource-based policy allows the {action} action")
        }
        DenialKind::NoIdentityPolicyAllows => {
            format!("{head} because no identity-based policy allows the {action} action")
        }
        DenialKind::ExplicitDenyResourcePolicy => {
            format!("{head} with an explicit deny in a resource-based policy")
        }
        DenialKind::ExplicitDenyIdentityPolicy => {
            format!("{head} with an explicit deny in an identity-based policy")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    #[test]
    fn no_resource_policy() {
        assert_eq!(
            access_denied(
                "arn:aws:iam::111122223333:user/alice",
                "kms:Decrypt",
                KEY,
                DenialKind::NoResourcePolicyAllows
            ),
            format!(
                "User: arn:aws:iam::111122223333:user/alice is not authorized to perform: kms:Decrypt on resource: {KEY} because no resource-based policy allows the kms:Decrypt action"
            )
        );
    }

    #[test]
    fn no_identity_policy() {
        assert_eq!(
            access_denied(
                "arn:aws:iam::111122223333:user/alice",
                "kms:Encrypt",
                KEY,
                DenialKind::NoIdentityPolicyAllows
            ),
            format!(
                "User: arn:aws:iam::111122223333:user/alice is not authorized to perform: kms:Encrypt on resource: {KEY} because no identity-based policy allows the kms:Encrypt action"
            )
        );
    }

    #[test]
    fn explicit_denies() {
        let s = "arn:aws:sts::111122223333:assumed-role/Dev/alice";
        assert_eq!(
            access_denied(
                s,
                "kms:Decrypt",
                KEY,
                DenialKind::ExplicitDenyResourcePolicy
            ),
            format!(
                "User: {s} is not authorized to perform: kms:Decrypt on resource: {KEY} with an explicit deny in a resource-based policy"
            )
        );
        assert_eq!(
            access_denied(
                s,
                "kms:Decrypt",
                KEY,
                DenialKind::ExplicitDenyIdentityPolicy
            ),
            format!(
                "User: {s} is not authorized to perform: kms:Decrypt on resource: {KEY} with an explicit deny in an identity-based policy"
            )
        );
    }
}
