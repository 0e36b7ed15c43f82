//! The rule that decided a request, whichever service asked, and the box of KMS's
//! request-evaluation flowchart it lights.

use std::fmt;

use serde::de::{Error as _, IntoDeserializer};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{Gate, IamGate};

/// Which rule decided an S3 request (identity policies and the bucket policy).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum S3Gate {
    /// Allowed: an identity policy allows (same account) and no policy denies.
    IdentityPolicy,
    /// Allowed: the bucket policy allows (same account).
    BucketPolicy,
    /// Allowed across accounts: the bucket policy and the caller's identity policy both allow.
    BucketPolicyPlusIam,
    /// Denied: an identity policy denies.
    ExplicitDenyIam,
    /// Denied: the bucket policy denies.
    ExplicitDenyBucketPolicy,
    /// Denied across accounts: the caller's identity policy allows, the bucket policy does not.
    NoBucketPolicyAllow,
    /// Denied: neither an identity policy nor the bucket policy allows.
    NoIdentityOrBucketPolicyAllow,
}

/// Which rule decided a request to a service whose resources carry their own policy, besides
/// S3 (a secret's resource policy in Secrets Manager; later SQS, SNS, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ResourceGate {
    /// Allowed: an identity policy allows (same account) and no policy denies.
    IdentityPolicy,
    /// Allowed: the resource policy allows (same account).
    ResourcePolicy,
    /// Allowed across accounts: the resource policy and the caller's identity policy both allow.
    ResourcePolicyPlusIam,
    /// Denied: an identity policy denies.
    ExplicitDenyIam,
    /// Denied: the resource policy denies.
    ExplicitDenyResourcePolicy,
    /// Denied across accounts: the caller's identity policy allows, the resource policy does not.
    NoResourcePolicyAllow,
    /// Denied: neither an identity policy nor the resource policy allows.
    NoIdentityOrResourcePolicyAllow,
}

/// The rule that decided one authorization: a KMS gate, an IAM (identity-only or trust policy)
/// gate, an S3 gate, or KMS's policy lockout safety check. It is written as the bare rule name
/// (`"KeyPolicyPlusIam"`, `"NoIdentityAllow"`, …), as `lab explain` and saved worlds show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DecidingGate {
    /// KMS: key policy, IAM delegation, grants, cross-account rules.
    Kms(Gate),
    /// Identity policies only, or a role's trust policy (`sts:AssumeRole`).
    Iam(IamGate),
    /// S3: identity policies and the bucket policy.
    S3(S3Gate),
    /// Another service's identity policies and resource policy (a secret's, …).
    Resource(ResourceGate),
    /// KMS refused a key policy that would lock the caller out (`PutKeyPolicy`, `CreateKey`).
    LockoutSafetyCheck,
}

/// The boxes of KMS's request-evaluation flowchart, in the order AWS documents them
/// (determining-access.html): explicit deny anywhere, the key policy, IAM through the key
/// policy, grants, implicit deny; then the key's state, then Decrypt's own checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EvaluationStep {
    /// An explicit `Deny` in the key policy or an identity policy.
    ExplicitDeny,
    /// The key policy allows (or names) the caller.
    KeyPolicy,
    /// The key policy delegates to IAM and an identity policy decides.
    Iam,
    /// A grant allows (or has not propagated yet).
    Grant,
    /// Nothing allowed the request.
    ImplicitDeny,
    /// Authorized, but the key's state does not allow the operation.
    KeyState,
    /// Decrypt: the ciphertext or its encryption context does not match.
    Context,
    /// Allowed.
    Allowed,
}

impl Gate {
    /// The flowchart box this gate decided in.
    pub fn step(self) -> EvaluationStep {
        match self {
            Self::ExplicitDenyKeyPolicy | Self::ExplicitDenyIam => EvaluationStep::ExplicitDeny,
            Self::KeyPolicy | Self::NoAllowInKeyPolicy | Self::CrossAccountNotSupported => {
                EvaluationStep::KeyPolicy
            }
            Self::KeyPolicyPlusIam
            | Self::IamNotDelegated
            | Self::NoIamAllow
            | Self::CrossAccount => EvaluationStep::Iam,
            Self::Grant | Self::GrantPending => EvaluationStep::Grant,
        }
    }
}

impl DecidingGate {
    /// The KMS flowchart box of a KMS decision; `None` for other services' rules.
    pub fn kms_step(self) -> Option<EvaluationStep> {
        match self {
            Self::Kms(g) => Some(g.step()),
            _ => None,
        }
    }

    /// True for the allowing rules.
    pub fn allows(self) -> bool {
        match self {
            Self::Kms(g) => g.allows(),
            Self::Iam(g) => g.allows(),
            Self::S3(g) => matches!(
                g,
                S3Gate::IdentityPolicy | S3Gate::BucketPolicy | S3Gate::BucketPolicyPlusIam
            ),
            Self::Resource(g) => matches!(
                g,
                ResourceGate::IdentityPolicy
                    | ResourceGate::ResourcePolicy
                    | ResourceGate::ResourcePolicyPlusIam
            ),
            Self::LockoutSafetyCheck => false,
        }
    }
}

impl DecidingGate {
    /// The rule's name, as it is written (`"KeyPolicyPlusIam"`).
    pub fn name(self) -> String {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::String(s)) => s,
            _ => String::new(),
        }
    }
}

impl PartialEq<&str> for DecidingGate {
    fn eq(&self, other: &&str) -> bool {
        self.name() == *other
    }
}

impl From<Gate> for DecidingGate {
    fn from(g: Gate) -> Self {
        Self::Kms(g)
    }
}

impl From<IamGate> for DecidingGate {
    fn from(g: IamGate) -> Self {
        Self::Iam(g)
    }
}

impl From<ResourceGate> for DecidingGate {
    fn from(g: ResourceGate) -> Self {
        Self::Resource(g)
    }
}

impl From<S3Gate> for DecidingGate {
    fn from(g: S3Gate) -> Self {
        Self::S3(g)
    }
}

impl Serialize for DecidingGate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Kms(g) => g.serialize(s),
            Self::Iam(g) => g.serialize(s),
            Self::S3(g) => g.serialize(s),
            Self::Resource(g) => g.serialize(s),
            Self::LockoutSafetyCheck => s.serialize_str("LockoutSafetyCheck"),
        }
    }
}

impl<'de> Deserialize<'de> for DecidingGate {
    /// The bare rule name. A name two services share (`ExplicitDenyIam`: an identity policy
    /// denies) reads as the KMS gate, which means the same.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        let parse = |n: &str| -> Option<DecidingGate> {
            fn one<'a, T: Deserialize<'a>>(n: &'a str) -> Option<T> {
                T::deserialize(IntoDeserializer::<serde::de::value::Error>::into_deserializer(n))
                    .ok()
            }
            if n == "LockoutSafetyCheck" {
                return Some(DecidingGate::LockoutSafetyCheck);
            }
            one::<Gate>(n)
                .map(DecidingGate::Kms)
                .or_else(|| one::<IamGate>(n).map(DecidingGate::Iam))
                .or_else(|| one::<S3Gate>(n).map(DecidingGate::S3))
                .or_else(|| one::<ResourceGate>(n).map(DecidingGate::Resource))
        };
        parse(&name).ok_or_else(|| D::Error::custom(format!("unknown authorization rule `{name}`")))
    }
}

impl fmt::Display for DecidingGate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Kms(g) => g.fmt(f),
            Self::Iam(g) => g.fmt(f),
            Self::S3(g) => f.write_str(match g {
                S3Gate::IdentityPolicy => "an identity policy allows",
                S3Gate::BucketPolicy => "the bucket policy allows",
                S3Gate::BucketPolicyPlusIam => {
                    "the bucket policy allows the other account and its identity policy allows"
                }
                S3Gate::ExplicitDenyIam => "an identity policy denies",
                S3Gate::ExplicitDenyBucketPolicy => "the bucket policy denies",
                S3Gate::NoBucketPolicyAllow => {
                    "no bucket policy statement allows the caller from another account"
                }
                S3Gate::NoIdentityOrBucketPolicyAllow => {
                    "neither an identity policy nor the bucket policy allows"
                }
            }),
            Self::Resource(g) => f.write_str(match g {
                ResourceGate::IdentityPolicy => "an identity policy allows",
                ResourceGate::ResourcePolicy => "the resource policy allows",
                ResourceGate::ResourcePolicyPlusIam => {
                    "the resource policy allows the other account and its identity policy allows"
                }
                ResourceGate::ExplicitDenyIam => "an identity policy denies",
                ResourceGate::ExplicitDenyResourcePolicy => "the resource policy denies",
                ResourceGate::NoResourcePolicyAllow => {
                    "no resource policy statement allows the caller from another account"
                }
                ResourceGate::NoIdentityOrResourcePolicyAllow => {
                    "neither an identity policy nor the resource policy allows"
                }
            }),
            Self::LockoutSafetyCheck => {
                f.write_str("the policy would stop the caller from changing it again")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gates_read_and_write_as_bare_rule_names() {
        for (gate, name) in [
            (
                DecidingGate::Kms(Gate::KeyPolicyPlusIam),
                "KeyPolicyPlusIam",
            ),
            (DecidingGate::Kms(Gate::GrantPending), "GrantPending"),
            (
                DecidingGate::Iam(IamGate::NoIdentityAllow),
                "NoIdentityAllow",
            ),
            (
                DecidingGate::Iam(IamGate::TrustPolicyDoesNotAllow),
                "TrustPolicyDoesNotAllow",
            ),
            (
                DecidingGate::S3(S3Gate::ExplicitDenyBucketPolicy),
                "ExplicitDenyBucketPolicy",
            ),
            (DecidingGate::LockoutSafetyCheck, "LockoutSafetyCheck"),
            (
                DecidingGate::Resource(ResourceGate::NoResourcePolicyAllow),
                "NoResourcePolicyAllow",
            ),
        ] {
            let json = serde_json::to_value(gate).unwrap();
            assert_eq!(json, serde_json::Value::String(name.into()));
            assert_eq!(serde_json::from_value::<DecidingGate>(json).unwrap(), gate);
        }
        assert!(serde_json::from_str::<DecidingGate>("\"Nonsense\"").is_err());
        assert_eq!(DecidingGate::Kms(Gate::NoIamAllow), "NoIamAllow");
        assert_ne!(DecidingGate::Kms(Gate::NoIamAllow), "KeyPolicy");
    }

    #[test]
    fn kms_gates_light_their_flowchart_box() {
        assert_eq!(Gate::ExplicitDenyIam.step(), EvaluationStep::ExplicitDeny);
        assert_eq!(Gate::NoAllowInKeyPolicy.step(), EvaluationStep::KeyPolicy);
        assert_eq!(Gate::IamNotDelegated.step(), EvaluationStep::Iam);
        assert_eq!(Gate::GrantPending.step(), EvaluationStep::Grant);
        assert_eq!(DecidingGate::S3(S3Gate::BucketPolicy).kms_step(), None);
        assert!(DecidingGate::S3(S3Gate::BucketPolicyPlusIam).allows());
        assert!(!DecidingGate::Iam(IamGate::NoIdentityAllow).allows());
    }
}
