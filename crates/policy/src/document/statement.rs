//! One statement of a policy and its elements, typed: `Effect`, `Principal`/`NotPrincipal`,
//! `Action`/`NotAction`, `Resource`/`NotResource` and the conditions.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::condition::Condition;
use crate::glob::{Template, Token};

/// `Allow` or `Deny`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Effect {
    /// Grants the matching requests (unless something denies them).
    Allow,
    /// Explicitly denies the matching requests; always wins.
    Deny,
}

impl fmt::Display for Effect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Allow => "Allow",
            Self::Deny => "Deny",
        })
    }
}

/// One principal named in `Principal` or `NotPrincipal`.
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html>
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PrincipalId {
    /// `"*"` or `{"AWS": "*"}`: everyone, including anonymous callers.
    Everyone,
    /// An account, written as `arn:aws:iam::ACCT:root` or as the bare id.
    /// It names the account, so it matches every principal in that account
    /// (whose own IAM policies must then allow the request).
    Account {
        /// The 12-digit account id.
        id: String,
        /// The value as written.
        raw: String,
    },
    /// A user, role, assumed-role session or federated user ARN. A role ARN
    /// also matches that role's sessions.
    Arn(String),
    /// `{"Service": "..."}`: an AWS service principal.
    Service(String),
    /// `{"Federated": "..."}`: a web identity or SAML provider.
    Federated(String),
}

impl fmt::Display for PrincipalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Everyone => f.write_str("*"),
            Self::Account { raw, .. } => f.write_str(raw),
            Self::Arn(s) | Self::Service(s) | Self::Federated(s) => f.write_str(s),
        }
    }
}

/// The `Principal` or `NotPrincipal` element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrincipalBlock {
    /// True for `NotPrincipal`.
    pub negated: bool,
    /// The principals named.
    pub ids: Vec<PrincipalId>,
}

/// One pattern of `Action`/`NotAction` (matched ignoring case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionPattern {
    pub(super) raw: String,
    pub(super) tokens: Vec<Token>,
}

impl ActionPattern {
    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    pub(crate) fn tokens(&self) -> &[Token] {
        &self.tokens
    }
}

/// The `Action` or `NotAction` element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionBlock {
    /// True for `NotAction`.
    pub negated: bool,
    /// The patterns.
    pub patterns: Vec<ActionPattern>,
}

/// The `Resource` or `NotResource` element (case-sensitive, with variables).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceBlock {
    /// True for `NotResource`.
    pub negated: bool,
    pub(crate) patterns: Vec<Template>,
}

impl ResourceBlock {
    /// The patterns as written.
    pub fn patterns(&self) -> impl Iterator<Item = &str> {
        self.patterns.iter().map(Template::raw)
    }

    /// Policy variables in the patterns that have no value in `ctx`.
    pub(crate) fn unresolved(&self, ctx: &crate::context::RequestContext) -> Vec<String> {
        crate::glob::unresolved_keys(&self.patterns, ctx)
    }
}

/// One statement of a policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub(crate) sid: Option<String>,
    pub(crate) effect: Effect,
    pub(crate) principal: Option<PrincipalBlock>,
    pub(crate) action: ActionBlock,
    pub(crate) resource: Option<ResourceBlock>,
    pub(crate) conditions: Vec<Condition>,
}

impl Statement {
    /// The statement id, if any.
    pub fn sid(&self) -> Option<&str> {
        self.sid.as_deref()
    }

    /// `Allow` or `Deny`.
    pub fn effect(&self) -> Effect {
        self.effect
    }

    /// `Principal`/`NotPrincipal` (absent in identity policies).
    pub fn principal(&self) -> Option<&PrincipalBlock> {
        self.principal.as_ref()
    }

    /// `Action`/`NotAction`.
    pub fn action(&self) -> &ActionBlock {
        &self.action
    }

    /// `Resource`/`NotResource`, if present.
    pub fn resource(&self) -> Option<&ResourceBlock> {
        self.resource.as_ref()
    }

    /// The conditions (all must hold).
    pub fn conditions(&self) -> &[Condition] {
        &self.conditions
    }
}
