//! Evaluating one policy document against a request, with evidence.
//!
//! Within one policy: every statement is checked (principal, then action,
//! then resource, then conditions); an applicable `Deny` is an explicit
//! deny and wins over any `Allow`; otherwise an applicable `Allow` allows;
//! otherwise nothing applies, which is an implicit deny. See
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html>.
//!
//! Combining several policies (key policy + IAM policies, bucket policy …)
//! is service-specific; [`combine`] provides the common rule and callers
//! build their own on top.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::condition::ConditionCheck;
use crate::context::{KindView, LazyContext, PrincipalView, RequestContext};
use crate::document::{Effect, PolicyDocument, PolicyKind, PrincipalBlock, PrincipalId, Statement};
use crate::glob::glob_match;

/// The result of a policy or a set of policies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Decision {
    /// At least one statement allows and none denies.
    Allow,
    /// At least one statement explicitly denies.
    ExplicitDeny,
    /// No statement applies: an implicit deny.
    NotApplicable,
}

impl Decision {
    /// True only for [`Decision::Allow`].
    pub fn is_allowed(self) -> bool {
        self == Self::Allow
    }

    /// Combines decisions: any explicit deny → deny; else any allow → allow;
    /// else implicit deny ([`Decision::NotApplicable`]).
    pub fn combine<I: IntoIterator<Item = Self>>(decisions: I) -> Self {
        let mut result = Self::NotApplicable;
        for d in decisions {
            match d {
                Self::ExplicitDeny => return Self::ExplicitDeny,
                Self::Allow => result = Self::Allow,
                Self::NotApplicable => {}
            }
        }
        result
    }
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Allow => "allow",
            Self::ExplicitDeny => "explicit deny",
            Self::NotApplicable => "implicit deny (no statement applies)",
        })
    }
}

/// Combines the decisions of several evaluated policies (see [`Decision::combine`]).
pub fn combine(evaluations: &[Evaluation]) -> Decision {
    Decision::combine(evaluations.iter().map(|e| e.decision))
}

/// What one statement did with the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Outcome {
    /// The statement applies and its effect is `Allow`.
    Allow,
    /// The statement applies and its effect is `Deny`.
    Deny,
    /// The statement does not apply to this request.
    NotApplicable,
}

/// How the caller matched the `Principal`/`NotPrincipal` element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrincipalMatch {
    /// Identity policies have no principal element: they apply to the identity they are attached to.
    IdentityPolicy,
    /// `*` names everyone.
    Everyone,
    /// An account principal (`arn:aws:iam::ACCT:root` or `ACCT`) names every principal in the account.
    Account {
        /// The principal as written.
        listed: String,
        /// The account.
        account: String,
    },
    /// The caller's ARN is listed.
    Arn {
        /// The ARN.
        listed: String,
    },
    /// The caller is a session of the listed role.
    RoleSession {
        /// The role ARN as written.
        listed: String,
        /// The session ARN.
        session: String,
    },
    /// The caller is the listed service.
    Service {
        /// The service principal.
        listed: String,
    },
    /// The caller comes from the listed federated provider.
    Federated {
        /// The provider.
        listed: String,
    },
    /// `NotPrincipal` does not exempt the caller.
    NotExempted {
        /// The caller's ARN.
        caller: String,
        /// The `NotPrincipal` entries.
        listed: Vec<String>,
    },
}

impl fmt::Display for PrincipalMatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::IdentityPolicy => {
                f.write_str("identity policy applies to the identity it is attached to")
            }
            Self::Everyone => f.write_str("principal * matches everyone"),
            Self::Account { listed, account } => {
                write!(f, "principal {listed} matches account {account}")
            }
            Self::Arn { listed } => write!(f, "principal {listed} matches the caller"),
            Self::RoleSession { listed, session } => {
                write!(f, "principal {listed} matches its role session {session}")
            }
            Self::Service { listed } => write!(f, "principal {listed} matches the calling service"),
            Self::Federated { listed } => {
                write!(f, "principal {listed} matches the federated caller")
            }
            Self::NotExempted { caller, listed } => {
                write!(
                    f,
                    "caller {caller} is not exempted by NotPrincipal [{}]",
                    listed.join(", ")
                )
            }
        }
    }
}

/// How the action or resource matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ElementMatch {
    /// The value matched this pattern of `Action`/`Resource`.
    Pattern {
        /// The request's value.
        value: String,
        /// The matching pattern as written.
        pattern: String,
    },
    /// The value matched none of the `NotAction`/`NotResource` patterns.
    NotListed {
        /// The request's value.
        value: String,
        /// The excluded patterns.
        listed: Vec<String>,
    },
    /// A trust-policy statement has no `Resource`: it covers the role it is attached to.
    Implicit,
}

impl ElementMatch {
    fn describe(&self, f: &mut fmt::Formatter<'_>, element: &str, negated: &str) -> fmt::Result {
        match self {
            Self::Pattern { value, pattern } => write!(f, "{element} {value} matches {pattern}"),
            Self::NotListed { value, listed } => {
                write!(
                    f,
                    "{element} {value} is not in {negated} [{}]",
                    listed.join(", ")
                )
            }
            Self::Implicit => write!(
                f,
                "{element}: the statement covers the role it is attached to"
            ),
        }
    }
}

/// Why a statement applied or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// Every element matched.
    Applies {
        /// Principal evidence.
        principal: PrincipalMatch,
        /// Action evidence.
        action: ElementMatch,
        /// Resource evidence.
        resource: ElementMatch,
        /// Every condition, each satisfied.
        conditions: Vec<ConditionCheck>,
    },
    /// The caller is not among the listed principals.
    PrincipalMismatch {
        /// The caller's ARN.
        caller: String,
        /// The listed principals.
        listed: Vec<String>,
    },
    /// `NotPrincipal` names the caller (and its account), so the statement skips it.
    PrincipalExempted {
        /// The caller's ARN.
        caller: String,
        /// The `NotPrincipal` entries.
        listed: Vec<String>,
    },
    /// The action matches none of the `Action` patterns.
    ActionMismatch {
        /// The requested action.
        action: String,
        /// The patterns.
        listed: Vec<String>,
    },
    /// The action matches a `NotAction` pattern.
    ActionExcluded {
        /// The requested action.
        action: String,
        /// The matching pattern.
        pattern: String,
    },
    /// The resource matches none of the `Resource` patterns.
    ResourceMismatch {
        /// The requested resource.
        resource: String,
        /// The patterns.
        listed: Vec<String>,
        /// Policy variables (lower-cased keys) that had no value in the request.
        unresolved: Vec<String>,
    },
    /// The resource matches a `NotResource` pattern.
    ResourceExcluded {
        /// The requested resource.
        resource: String,
        /// The matching pattern.
        pattern: String,
    },
    /// A resource-policy statement without `Resource`/`NotResource`. KMS accepts
    /// such a key policy but the statement has no effect (see the `Policy`
    /// parameter of [PutKeyPolicy](https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html)).
    NoResourceElement,
    /// A condition did not hold (the first one that failed).
    ConditionFailed(ConditionCheck),
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Applies {
                principal,
                action,
                resource,
                conditions,
            } => {
                write!(f, "{principal}; ")?;
                action.describe(f, "action", "NotAction")?;
                f.write_str("; ")?;
                resource.describe(f, "resource", "NotResource")?;
                for c in conditions {
                    write!(f, "; {c}")?;
                }
                Ok(())
            }
            Self::PrincipalMismatch { caller, listed } => {
                write!(f, "principal {caller} is not among [{}]", listed.join(", "))
            }
            Self::PrincipalExempted { caller, listed } => {
                write!(
                    f,
                    "principal {caller} is exempted by NotPrincipal [{}]",
                    listed.join(", ")
                )
            }
            Self::ActionMismatch { action, listed } => {
                write!(f, "action {action} does not match [{}]", listed.join(", "))
            }
            Self::ActionExcluded { action, pattern } => {
                write!(f, "action {action} is excluded by NotAction {pattern}")
            }
            Self::ResourceMismatch {
                resource,
                listed,
                unresolved,
            } => {
                write!(
                    f,
                    "resource {resource} does not match [{}]",
                    listed.join(", ")
                )?;
                write_unresolved(f, unresolved)
            }
            Self::ResourceExcluded { resource, pattern } => {
                write!(
                    f,
                    "resource {resource} is excluded by NotResource {pattern}"
                )
            }
            Self::NoResourceElement => {
                f.write_str("the statement has no `Resource` element, so it has no effect")
            }
            Self::ConditionFailed(check) => write!(f, "condition {check}"),
        }
    }
}

/// Appends ` (no value for `${a}`, `${b}`)` when variables could not be resolved.
pub(crate) fn write_unresolved(f: &mut fmt::Formatter<'_>, keys: &[String]) -> fmt::Result {
    if keys.is_empty() {
        return Ok(());
    }
    let names: Vec<String> = keys.iter().map(|k| format!("`${{{k}}}`")).collect();
    write!(f, " (no value in this request for {})", names.join(", "))
}

/// The evidence for one statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementResult {
    /// 0-based position in the policy's `Statement` list.
    pub index: usize,
    /// The statement's Sid.
    pub sid: Option<String>,
    /// The statement's effect.
    pub effect: Effect,
    /// What it did with this request.
    pub outcome: Outcome,
    /// Why.
    pub reason: Reason,
}

impl fmt::Display for StatementResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.sid.as_deref().filter(|s| !s.is_empty()) {
            Some(sid) => write!(f, "Statement `{sid}` ")?,
            None => write!(f, "Statement {} ", self.index + 1)?,
        }
        let verb = match self.outcome {
            Outcome::Allow => "allows",
            Outcome::Deny => "denies",
            Outcome::NotApplicable => "does not apply",
        };
        write!(f, "{verb}: {}", self.reason)
    }
}

/// The decision of one policy for one request, with per-statement evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    /// The policy's decision.
    pub decision: Decision,
    /// One result per statement, in document order.
    pub statements: Vec<StatementResult>,
}

impl Evaluation {
    /// The statements that produced the decision: the denying ones for an
    /// explicit deny, the allowing ones for an allow, none otherwise.
    pub fn deciding(&self) -> impl Iterator<Item = &StatementResult> {
        let wanted = match self.decision {
            Decision::Allow => Some(Outcome::Allow),
            Decision::ExplicitDeny => Some(Outcome::Deny),
            Decision::NotApplicable => None,
        };
        self.statements
            .iter()
            .filter(move |s| Some(s.outcome) == wanted)
    }
}

impl fmt::Display for Evaluation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "decision: {}", self.decision)?;
        for s in &self.statements {
            write!(f, "\n  {s}")?;
        }
        Ok(())
    }
}

/// Evaluates `document` against `ctx`.
pub fn evaluate(document: &PolicyDocument, ctx: &RequestContext) -> Evaluation {
    let statements: Vec<StatementResult> = document
        .statements()
        .iter()
        .enumerate()
        .map(|(index, st)| {
            let (outcome, reason) = match check_statement(st, document.kind(), ctx) {
                Ok(reason) => (
                    match st.effect() {
                        Effect::Allow => Outcome::Allow,
                        Effect::Deny => Outcome::Deny,
                    },
                    reason,
                ),
                Err(reason) => (Outcome::NotApplicable, reason),
            };
            StatementResult {
                index,
                sid: st.sid().map(str::to_owned),
                effect: st.effect(),
                outcome,
                reason,
            }
        })
        .collect();
    let decision = if statements.iter().any(|s| s.outcome == Outcome::Deny) {
        Decision::ExplicitDeny
    } else if statements.iter().any(|s| s.outcome == Outcome::Allow) {
        Decision::Allow
    } else {
        Decision::NotApplicable
    };
    Evaluation {
        decision,
        statements,
    }
}

impl PolicyDocument {
    /// Evaluates this document against `ctx` (same as [`evaluate`]).
    pub fn evaluate(&self, ctx: &RequestContext) -> Evaluation {
        evaluate(self, ctx)
    }
}

#[allow(
    clippy::result_large_err,
    reason = "internal helper: the error is the evidence returned to callers anyway (the lint fires on 64-bit targets only, so `expect` would fail on wasm32)"
)]
fn check_statement(
    st: &Statement,
    kind: PolicyKind,
    ctx: &RequestContext,
) -> Result<Reason, Reason> {
    let principal = match st.principal() {
        None => PrincipalMatch::IdentityPolicy,
        Some(block) => check_principal(block, &ctx.principal().view())?,
    };

    let block = st.action();
    let listed = || {
        block
            .patterns
            .iter()
            .map(|p| p.as_str().to_owned())
            .collect::<Vec<_>>()
    };
    let hit = block
        .patterns
        .iter()
        .find(|p| glob_match(p.tokens(), ctx.action(), true));
    let action = match (block.negated, hit) {
        (false, Some(p)) => ElementMatch::Pattern {
            value: ctx.action().to_owned(),
            pattern: p.as_str().to_owned(),
        },
        (false, None) => {
            return Err(Reason::ActionMismatch {
                action: ctx.action().to_owned(),
                listed: listed(),
            });
        }
        (true, Some(p)) => {
            return Err(Reason::ActionExcluded {
                action: ctx.action().to_owned(),
                pattern: p.as_str().to_owned(),
            });
        }
        (true, None) => ElementMatch::NotListed {
            value: ctx.action().to_owned(),
            listed: listed(),
        },
    };

    let resource = match st.resource() {
        None if kind == PolicyKind::Resource => return Err(Reason::NoResourceElement),
        None => ElementMatch::Implicit,
        Some(block) => {
            let listed = || block.patterns().map(str::to_owned).collect::<Vec<_>>();
            let hit = block.patterns.iter().find(|t| {
                t.resolve_lazily(|| ctx, true)
                    .is_ok_and(|tokens| glob_match(&tokens, ctx.resource(), false))
            });
            match (block.negated, hit) {
                (false, Some(t)) => ElementMatch::Pattern {
                    value: ctx.resource().to_owned(),
                    pattern: t.raw().to_owned(),
                },
                (false, None) => {
                    return Err(Reason::ResourceMismatch {
                        resource: ctx.resource().to_owned(),
                        listed: listed(),
                        unresolved: block.unresolved(ctx),
                    });
                }
                (true, Some(t)) => {
                    return Err(Reason::ResourceExcluded {
                        resource: ctx.resource().to_owned(),
                        pattern: t.raw().to_owned(),
                    });
                }
                (true, None) => ElementMatch::NotListed {
                    value: ctx.resource().to_owned(),
                    listed: listed(),
                },
            }
        }
    };

    let mut conditions = Vec::with_capacity(st.conditions().len());
    for c in st.conditions() {
        let check = c.check(ctx);
        if !check.satisfied {
            return Err(Reason::ConditionFailed(check));
        }
        conditions.push(check);
    }

    Ok(Reason::Applies {
        principal,
        action,
        resource,
        conditions,
    })
}

/// How a listed principal named the caller (the kind of [`PrincipalMatch`], without evidence).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hit {
    Everyone,
    Account,
    Arn,
    RoleSession,
    Service,
    Federated,
}

/// True for callers that are not IAM identities of an account (services, federated and
/// anonymous callers): account and ARN principals never name them.
fn outside_iam(p: &PrincipalView<'_>) -> bool {
    matches!(
        p.kind,
        KindView::Service { .. } | KindView::Federated { .. } | KindView::Anonymous
    )
}

/// Does `id` name `p` (for the `Principal` element)?
fn principal_hit(id: &PrincipalId, p: &PrincipalView<'_>) -> Option<Hit> {
    match id {
        PrincipalId::Everyone => Some(Hit::Everyone),
        PrincipalId::Account { id, .. } => {
            (p.account == Some(id.as_str()) && !outside_iam(p)).then_some(Hit::Account)
        }
        PrincipalId::Arn(arn) => {
            if outside_iam(p) {
                None
            } else if p.arn == arn {
                Some(Hit::Arn)
            } else if let KindView::AssumedRole { role_arn } = p.kind {
                (role_arn == arn).then_some(Hit::RoleSession)
            } else {
                None
            }
        }
        PrincipalId::Service(name) => match p.kind {
            KindView::Service { name: caller } if caller.eq_ignore_ascii_case(name) => {
                Some(Hit::Service)
            }
            _ => None,
        },
        PrincipalId::Federated(provider) => match p.kind {
            KindView::Federated { provider: caller } if caller == provider => Some(Hit::Federated),
            _ => None,
        },
    }
}

/// Does `id` name `p`, with the evidence?
fn principal_match(id: &PrincipalId, p: &PrincipalView<'_>) -> Option<PrincipalMatch> {
    let hit = principal_hit(id, p)?;
    Some(match (hit, id) {
        (Hit::Account, PrincipalId::Account { id, raw }) => PrincipalMatch::Account {
            listed: raw.clone(),
            account: id.clone(),
        },
        (Hit::Arn, PrincipalId::Arn(arn)) => PrincipalMatch::Arn {
            listed: arn.clone(),
        },
        (Hit::RoleSession, PrincipalId::Arn(arn)) => PrincipalMatch::RoleSession {
            listed: arn.clone(),
            session: p.arn.to_owned(),
        },
        (Hit::Service, PrincipalId::Service(name)) => PrincipalMatch::Service {
            listed: name.clone(),
        },
        (Hit::Federated, PrincipalId::Federated(provider)) => PrincipalMatch::Federated {
            listed: provider.clone(),
        },
        _ => PrincipalMatch::Everyone,
    })
}

/// For `NotPrincipal`: is every part of the caller's identity named?
///
/// AWS checks the account, then the role, then the session or user, so an
/// exemption must name the account as well as the user or role; naming only
/// the user leaves the account (and so the user) denied. See the key points in
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html>.
fn exempted(ids: &[PrincipalId], p: &PrincipalView<'_>) -> bool {
    if ids.contains(&PrincipalId::Everyone) {
        return true;
    }
    let names_account = || {
        ids.iter().any(
            |id| matches!(id, PrincipalId::Account { id, .. } if p.account == Some(id.as_str())),
        )
    };
    let names_arn = |arn: &str| {
        ids.iter()
            .any(|id| matches!(id, PrincipalId::Arn(a) if a == arn))
    };
    match p.kind {
        KindView::Root => names_account(),
        KindView::User | KindView::Role => names_account() && names_arn(p.arn),
        KindView::AssumedRole { role_arn } => {
            names_account() && (names_arn(role_arn) || names_arn(p.arn))
        }
        KindView::Service { .. } | KindView::Federated { .. } => {
            ids.iter().any(|id| principal_hit(id, p).is_some())
        }
        KindView::Anonymous => false,
    }
}

#[allow(
    clippy::result_large_err,
    reason = "internal helper: the error is the evidence returned to callers anyway (the lint fires on 64-bit targets only, so `expect` would fail on wasm32)"
)]
fn check_principal(
    block: &PrincipalBlock,
    p: &PrincipalView<'_>,
) -> Result<PrincipalMatch, Reason> {
    let listed = || {
        block
            .ids
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
    };
    if block.negated {
        if exempted(&block.ids, p) {
            Err(Reason::PrincipalExempted {
                caller: p.arn.to_owned(),
                listed: listed(),
            })
        } else {
            Ok(PrincipalMatch::NotExempted {
                caller: p.arn.to_owned(),
                listed: listed(),
            })
        }
    } else {
        block
            .ids
            .iter()
            .find_map(|id| principal_match(id, p))
            .ok_or_else(|| Reason::PrincipalMismatch {
                caller: p.arn.to_owned(),
                listed: listed(),
            })
    }
}

/// A request as [`PolicyDocument::decide`] reads it: borrowed, with its condition keys built
/// only if a statement needs them.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The caller.
    pub principal: PrincipalView<'a>,
    /// The action, e.g. `kms:Decrypt`.
    pub action: &'a str,
    /// The resource ARN.
    pub resource: &'a str,
    /// The full request context (its principal, action and resource the same as above), for
    /// conditions and policy variables.
    pub context: &'a LazyContext<'a>,
}

/// What one statement did with a request, without the evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verdict {
    /// The statement's outcome.
    pub outcome: Outcome,
    /// For an applicable statement of a policy with a `Principal` element: whether the caller
    /// was named through an account principal ([`PrincipalMatch::Account`]), the first listed
    /// principal naming it being an account.
    pub by_account: bool,
}

impl PolicyDocument {
    /// The decision of this document for `request`, as [`PolicyDocument::evaluate`] reaches it,
    /// without building the evidence; `each` sees every statement's verdict in document order.
    /// The request context is built only if a statement gets as far as its conditions or a
    /// `Resource` with policy variables.
    pub fn decide(&self, request: &Request<'_>, mut each: impl FnMut(usize, Verdict)) -> Decision {
        let (mut allow, mut deny) = (false, false);
        for (index, st) in self.statements().iter().enumerate() {
            let verdict = match statement_applies(st, self.kind(), request) {
                Some(by_account) => {
                    match st.effect() {
                        Effect::Allow => allow = true,
                        Effect::Deny => deny = true,
                    }
                    Verdict {
                        outcome: match st.effect() {
                            Effect::Allow => Outcome::Allow,
                            Effect::Deny => Outcome::Deny,
                        },
                        by_account,
                    }
                }
                None => Verdict {
                    outcome: Outcome::NotApplicable,
                    by_account: false,
                },
            };
            each(index, verdict);
        }
        if deny {
            Decision::ExplicitDeny
        } else if allow {
            Decision::Allow
        } else {
            Decision::NotApplicable
        }
    }
}

/// [`check_statement`] without the evidence: `Some(by_account)` when the statement applies.
#[cfg_attr(wasm_speed, optimize(speed))]
fn statement_applies(st: &Statement, kind: PolicyKind, r: &Request<'_>) -> Option<bool> {
    let by_account = match st.principal() {
        None => false,
        Some(block) if block.negated => {
            if exempted(&block.ids, &r.principal) {
                return None;
            }
            false
        }
        Some(block) => {
            block
                .ids
                .iter()
                .find_map(|id| principal_hit(id, &r.principal))?
                == Hit::Account
        }
    };
    let block = st.action();
    let hit = block
        .patterns
        .iter()
        .any(|p| glob_match(p.tokens(), r.action, true));
    if hit == block.negated {
        return None;
    }
    match st.resource() {
        None if kind == PolicyKind::Resource => return None,
        None => {}
        Some(block) => {
            let hit = block.patterns.iter().any(|t| {
                t.resolve_lazily(|| r.context.get(), true)
                    .is_ok_and(|tokens| glob_match(&tokens, r.resource, false))
            });
            if hit == block.negated {
                return None;
            }
        }
    }
    if st.conditions().is_empty() {
        return Some(by_account);
    }
    let ctx = r.context.get();
    st.conditions()
        .iter()
        .all(|c| c.holds(ctx))
        .then_some(by_account)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::Principal;
    use crate::document::Limits;

    const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    fn doc(json: &str, kind: PolicyKind) -> PolicyDocument {
        PolicyDocument::parse(json, kind, Limits::none()).unwrap()
    }

    fn default_key_policy() -> PolicyDocument {
        doc(
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow",
                "Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}"#,
            PolicyKind::Resource,
        )
    }

    #[test]
    fn root_principal_names_the_whole_account() {
        let policy = default_key_policy();
        for caller in [
            Principal::root("111122223333"),
            Principal::user("111122223333", "alice"),
            Principal::assumed_role("111122223333", "Admin", "s1"),
        ] {
            let ctx = RequestContext::new(caller, "kms:Decrypt", KEY);
            let ev = evaluate(&policy, &ctx);
            assert_eq!(ev.decision, Decision::Allow, "{ev}");
        }
        let other = RequestContext::new(
            Principal::user("444455556666", "mallory"),
            "kms:Decrypt",
            KEY,
        );
        assert_eq!(evaluate(&policy, &other).decision, Decision::NotApplicable);
        let svc = RequestContext::new(Principal::service("s3.amazonaws.com"), "kms:Decrypt", KEY);
        assert_eq!(evaluate(&policy, &svc).decision, Decision::NotApplicable);
    }

    #[test]
    fn display_reads_like_the_console() {
        let ctx = RequestContext::new(Principal::user("111122223333", "alice"), "kms:Decrypt", KEY);
        let ev = evaluate(&default_key_policy(), &ctx);
        let line = ev.statements[0].to_string();
        assert!(
            line.starts_with(
                "Statement `Enable IAM User Permissions` allows: principal arn:aws:iam::111122223333:root matches account 111122223333"
            ),
            "{line}"
        );
        assert!(line.contains("action kms:Decrypt matches kms:*"), "{line}");
        assert!(ev.to_string().starts_with("decision: allow\n  Statement"));
    }

    #[test]
    fn explicit_deny_wins_and_deciding_lists_it() {
        let policy = doc(
            r#"{"Version":"2012-10-17","Statement":[
                {"Sid":"All","Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*"},
                {"Sid":"NoDelete","Effect":"Deny","Principal":"*","Action":"kms:ScheduleKeyDeletion","Resource":"*"}]}"#,
            PolicyKind::Resource,
        );
        let ctx = RequestContext::new(
            Principal::root("111122223333"),
            "kms:ScheduleKeyDeletion",
            KEY,
        );
        let ev = evaluate(&policy, &ctx);
        assert_eq!(ev.decision, Decision::ExplicitDeny);
        let deciding: Vec<_> = ev.deciding().map(|s| s.sid.as_deref()).collect();
        assert_eq!(deciding, vec![Some("NoDelete")]);
        assert_eq!(ev.statements[0].outcome, Outcome::Allow);
    }

    #[test]
    fn not_applicable_reasons() {
        let policy = doc(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:Encrypt","Resource":"*",
                "Condition":{"StringEquals":{"kms:ViaService":"s3.us-east-1.amazonaws.com"}}}]}"#,
            PolicyKind::Identity,
        );
        let ctx = RequestContext::new(Principal::user("111122223333", "a"), "kms:Decrypt", KEY);
        let ev = evaluate(&policy, &ctx);
        assert_eq!(
            ev.statements[0].to_string(),
            "Statement 1 does not apply: action kms:Decrypt does not match [kms:Encrypt]"
        );
        let ctx = RequestContext::new(Principal::user("111122223333", "a"), "kms:Encrypt", KEY)
            .with("kms:ViaService", "ec2.us-east-1.amazonaws.com");
        let ev = evaluate(&policy, &ctx);
        assert!(matches!(
            ev.statements[0].reason,
            Reason::ConditionFailed(_)
        ));
        assert_eq!(
            ev.statements[0].to_string(),
            "Statement 1 does not apply: condition StringEquals kms:ViaService expected [`s3.us-east-1.amazonaws.com`] got [`ec2.us-east-1.amazonaws.com`]"
        );
    }

    #[test]
    fn not_principal_needs_account_and_identity() {
        let deny_all_but = |listed: &str| {
            doc(
                &format!(
                    r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Deny","NotPrincipal":{{"AWS":{listed}}},"Action":"kms:*","Resource":"*"}}]}}"#
                ),
                PolicyKind::Resource,
            )
        };
        let alice =
            RequestContext::new(Principal::user("111122223333", "alice"), "kms:Decrypt", KEY);
        let only_user = deny_all_but(r#""arn:aws:iam::111122223333:user/alice""#);
        assert_eq!(
            evaluate(&only_user, &alice).decision,
            Decision::ExplicitDeny
        );
        let both = deny_all_but(r#"["arn:aws:iam::111122223333:user/alice","111122223333"]"#);
        assert_eq!(evaluate(&both, &alice).decision, Decision::NotApplicable);
        let bob = RequestContext::new(Principal::user("111122223333", "bob"), "kms:Decrypt", KEY);
        assert_eq!(evaluate(&both, &bob).decision, Decision::ExplicitDeny);
        let session = RequestContext::new(
            Principal::assumed_role("111122223333", "Ops", "s"),
            "kms:Decrypt",
            KEY,
        );
        let role = deny_all_but(
            r#"["arn:aws:iam::111122223333:role/Ops","arn:aws:iam::111122223333:root"]"#,
        );
        assert_eq!(evaluate(&role, &session).decision, Decision::NotApplicable);
    }

    #[test]
    fn combine_follows_aws_order() {
        use Decision::*;
        assert_eq!(Decision::combine([Allow, NotApplicable]), Allow);
        assert_eq!(
            Decision::combine([Allow, ExplicitDeny, Allow]),
            ExplicitDeny
        );
        assert_eq!(
            Decision::combine([NotApplicable, NotApplicable]),
            NotApplicable
        );
        assert_eq!(Decision::combine([]), NotApplicable);
        assert!(!NotApplicable.is_allowed());
    }
}
