//! The evidence behind a decision, for learners: a verdict line first, then
//! every policy, statement, grant and condition key that was looked at.

use std::fmt;

use policy::{Decision, Effect, Evaluation, Outcome, PrincipalMatch, Reason};
use serde::Serialize;

/// What one key-policy statement contributed (KMS reads key-policy allows in two ways).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind")]
pub enum StatementRole {
    /// An `Allow` that names the caller (its ARN, its role, `*`, its service) or the root user
    /// through the account principal: it allows by itself.
    DirectAllow,
    /// An `Allow` whose principal is the caller's *account* (`arn:aws:iam::ACCT:root` or `ACCT`):
    /// it delegates to IAM, so the caller also needs an identity policy that allows
    /// ([key-policy-default.html](https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam)).
    DelegatesToAccount {
        /// The account the statement names.
        account: String,
    },
    /// An `Allow` in an identity policy.
    IdentityAllow,
    /// An applicable `Deny`.
    Deny,
    /// The statement does not apply to this request.
    NotApplicable,
}

/// One statement's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatementTrace {
    /// 0-based position in the policy.
    pub index: usize,
    /// The Sid, if any.
    pub sid: Option<String>,
    /// The statement's effect.
    pub effect: Effect,
    /// What it did with this request.
    pub outcome: Outcome,
    /// How KMS counts it.
    pub role: StatementRole,
    /// The `policy` crate's explanation, e.g.
    /// "Statement `Enable IAM User Permissions` allows: principal … matches account …".
    pub text: String,
}

/// One evaluated policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyTrace {
    /// The key ARN for the key policy, the policy's name for identity policies.
    pub name: String,
    /// The policy's own decision.
    pub decision: Decision,
    /// Every statement, in document order.
    pub statements: Vec<StatementTrace>,
    /// The raw evaluation from the `policy` crate.
    #[serde(skip)]
    pub evaluation: Evaluation,
}

impl PolicyTrace {
    pub(crate) fn key_policy(name: &str, evaluation: Evaluation, caller_is_root: bool) -> Self {
        Self::build(name, evaluation, |reason| match reason {
            Reason::Applies {
                principal: PrincipalMatch::Account { account, .. },
                ..
            } if !caller_is_root => StatementRole::DelegatesToAccount {
                account: account.clone(),
            },
            _ => StatementRole::DirectAllow,
        })
    }

    pub(crate) fn identity(name: &str, evaluation: Evaluation) -> Self {
        Self::build(name, evaluation, |_| StatementRole::IdentityAllow)
    }

    fn build(
        name: &str,
        evaluation: Evaluation,
        allow_role: impl Fn(&Reason) -> StatementRole,
    ) -> Self {
        let statements = evaluation
            .statements
            .iter()
            .map(|s| StatementTrace {
                index: s.index,
                sid: s.sid.clone(),
                effect: s.effect,
                outcome: s.outcome,
                role: match s.outcome {
                    Outcome::Allow => allow_role(&s.reason),
                    Outcome::Deny => StatementRole::Deny,
                    Outcome::NotApplicable => StatementRole::NotApplicable,
                },
                text: s.to_string(),
            })
            .collect();
        Self {
            name: name.to_owned(),
            decision: evaluation.decision,
            statements,
            evaluation,
        }
    }

    /// Statements with this role.
    pub fn with_role<'s>(
        &'s self,
        wanted: impl Fn(&StatementRole) -> bool + 's,
    ) -> impl Iterator<Item = &'s StatementTrace> + 's {
        self.statements.iter().filter(move |s| wanted(&s.role))
    }
}

/// Why a grant did or did not apply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind")]
pub enum GrantVerdict {
    /// The grant allows this request.
    Applies {
        /// True when it counted before propagation because the request carried its token.
        by_token: bool,
    },
    /// The grant names another grantee.
    OtherGrantee,
    /// The grant's operations do not include this one.
    OperationNotListed,
    /// `EncryptionContextEquals` does not equal the request's context.
    ContextNotEqual,
    /// `EncryptionContextSubset` pairs missing from the request's context.
    ContextSubsetMissing {
        /// The missing or different pairs, as `key=value`.
        missing: Vec<String>,
    },
    /// The grant has an encryption context constraint and the operation is `CreateGrant`; the
    /// lab does not compare the new grant's constraints, so the grant does not apply.
    ConstraintNotModelled,
    /// The grant matches but has not propagated yet and the request carries no token for it.
    NotYetPropagated {
        /// When it takes effect without a token (epoch ms).
        effective_ms: i64,
    },
}

/// One grant checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GrantTrace {
    /// The grant id.
    pub grant_id: String,
    /// The grantee.
    pub grantee: String,
    /// The verdict.
    pub verdict: GrantVerdict,
    /// A sentence for learners.
    pub text: String,
}

/// One condition key of the request context, as set (documented spelling, not lower-cased).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContextEntry {
    /// The key, e.g. `kms:EncryptionContext:Project`.
    pub key: String,
    /// Its values (one for single-valued keys; possibly none for an empty multivalued key).
    pub values: Vec<String>,
}

/// Everything looked at to decide one request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explanation {
    /// The first line of the rendering: "ALLOWED: …" or "DENIED: …".
    pub verdict: String,
    /// The caller's ARN.
    pub caller: String,
    /// The action.
    pub action: String,
    /// The resource (key ARN, or the resource of an IAM-only check).
    pub resource: String,
    /// Whether caller and key are in the same account.
    pub same_account: bool,
    /// The key policy's evaluation (absent for IAM-only checks).
    pub key_policy: Option<PolicyTrace>,
    /// Whether the key policy delegates this action to the caller's account's IAM policies.
    pub key_policy_delegates_to_iam: bool,
    /// Each identity policy's evaluation.
    pub identity_policies: Vec<PolicyTrace>,
    /// Each grant on the key (for this request).
    pub grants: Vec<GrantTrace>,
    /// The condition keys and values in the request context (as set, original case).
    pub conditions: Vec<ContextEntry>,
    /// Further rules that applied (cross-account, root, service callers, …).
    pub notes: Vec<String>,
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.verdict)?;
        writeln!(
            f,
            "Request: {} calls {} on {}{}",
            self.caller,
            self.action,
            self.resource,
            if self.same_account {
                ""
            } else {
                " (another account)"
            }
        )?;
        for note in &self.notes {
            writeln!(f, "Note: {note}")?;
        }
        if let Some(kp) = &self.key_policy {
            let direct = kp
                .statements
                .iter()
                .any(|s| s.role == StatementRole::DirectAllow);
            if kp.decision == Decision::Allow && !direct {
                writeln!(
                    f,
                    "Key policy: allows the caller's account only (delegation to IAM: an identity policy must also allow)"
                )?;
            } else {
                writeln!(f, "Key policy: {}", kp.decision)?;
            }
            write_statements(f, kp)?;
            writeln!(
                f,
                "  delegates to IAM for the caller's account: {}",
                if self.key_policy_delegates_to_iam {
                    "yes"
                } else {
                    "no"
                }
            )?;
        }
        if self.identity_policies.is_empty() {
            writeln!(f, "Identity policies: none")?;
        } else {
            writeln!(f, "Identity policies:")?;
        }
        for p in &self.identity_policies {
            writeln!(f, "  {}: {}", p.name, p.decision)?;
            write_statements(f, p)?;
        }
        if self.key_policy.is_some() {
            if self.grants.is_empty() {
                writeln!(f, "Grants: none on this key")?;
            } else {
                writeln!(f, "Grants:")?;
            }
            for g in &self.grants {
                writeln!(f, "  - {}", g.text)?;
            }
        }
        write!(f, "Context keys:")?;
        for ContextEntry { key: k, values: v } in &self.conditions {
            write!(f, "\n  {k} = ")?;
            if v.len() == 1 {
                if let Some(one) = v.first() {
                    f.write_str(one)?;
                }
            } else {
                write!(f, "[{}]", v.join(", "))?;
            }
        }
        Ok(())
    }
}

fn write_statements(f: &mut fmt::Formatter<'_>, p: &PolicyTrace) -> fmt::Result {
    for s in &p.statements {
        let tag = match &s.role {
            StatementRole::DirectAllow => " [allows directly]",
            StatementRole::DelegatesToAccount { .. } => " [delegates to IAM]",
            StatementRole::IdentityAllow | StatementRole::Deny | StatementRole::NotApplicable => "",
        };
        writeln!(f, "    - {}{tag}", s.text)?;
    }
    Ok(())
}
