//! Policy documents: parsing JSON into typed statements, once, on write.
//!
//! Grammar: <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html>.
//! Elements: <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html>.
//!
//! One concern per file: this file holds the [`PolicyDocument`] itself, its [`Version`] and
//! [`PolicyKind`], and how it is stored; `statement` the typed statement and its elements;
//! `limits` the per-service size and character limits; `parse` the parsing and validation of
//! the JSON text.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

mod limits;
mod parse;
mod statement;

pub use limits::Limits;
pub use statement::{
    ActionBlock, ActionPattern, Effect, PrincipalBlock, PrincipalId, ResourceBlock, Statement,
};

/// The policy language version (`Version` element).
///
/// Policy variables are only recognised in `2012-10-17`; in `2008-10-17`
/// (also the default when `Version` is omitted) `${...}` is literal text.
/// See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html>.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Version {
    /// `2012-10-17`, the current version.
    #[serde(rename = "2012-10-17")]
    V2012_10_17,
    /// `2008-10-17`, the original version.
    #[serde(rename = "2008-10-17")]
    V2008_10_17,
}

impl Version {
    /// The version string.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::V2012_10_17 => "2012-10-17",
            Self::V2008_10_17 => "2008-10-17",
        }
    }

    fn supports_variables(self) -> bool {
        self == Self::V2012_10_17
    }
}

/// Where a policy is attached, which decides the rules for `Principal` and `Resource`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PolicyKind {
    /// Attached to a user, group or role: no `Principal`/`NotPrincipal`;
    /// `Resource` or `NotResource` required.
    Identity,
    /// Attached to a resource (KMS key policy, S3 bucket policy): every
    /// statement names a `Principal` or `NotPrincipal`. A statement without
    /// `Resource` is accepted, as KMS does, but never applies; services that
    /// reject it (S3) can check [`Statement::resource`].
    Resource,
    /// A role trust policy: `Principal` required, no `NotPrincipal`, no
    /// `Resource`/`NotResource`.
    Trust,
}

impl PolicyKind {
    fn describe(self) -> &'static str {
        match self {
            Self::Identity => "an identity policy",
            Self::Resource => "a resource policy",
            Self::Trust => "a role trust policy",
        }
    }
}

/// A parsed, validated policy document. Keeps the original text, because
/// AWS returns policies exactly as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyDocument {
    source: String,
    kind: PolicyKind,
    version: Version,
    id: Option<String>,
    statements: Vec<Statement>,
}

impl PolicyDocument {
    /// The document exactly as it was written.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The kind it was parsed as.
    pub fn kind(&self) -> PolicyKind {
        self.kind
    }

    /// The policy language version.
    pub fn version(&self) -> Version {
        self.version
    }

    /// The optional `Id` element.
    pub fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    /// The statements in document order.
    pub fn statements(&self) -> &[Statement] {
        &self.statements
    }

    /// Every principal named in `Principal`/`NotPrincipal`, in order, without
    /// duplicates (KMS checks that named principals exist).
    pub fn principals(&self) -> Vec<&PrincipalId> {
        let mut out: Vec<&PrincipalId> = Vec::new();
        for id in self
            .statements
            .iter()
            .filter_map(|s| s.principal.as_ref())
            .flat_map(|p| &p.ids)
        {
            if !out.contains(&id) {
                out.push(id);
            }
        }
        out
    }
}

/// How a [`PolicyDocument`] is stored: the kind and the original text.
#[derive(Serialize, Deserialize)]
struct Stored<'a> {
    kind: PolicyKind,
    #[serde(borrow)]
    source: std::borrow::Cow<'a, str>,
}

impl Serialize for PolicyDocument {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Stored {
            kind: self.kind,
            source: std::borrow::Cow::Borrowed(&self.source),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for PolicyDocument {
    /// Re-parses the stored text (without size limits: they were checked on write).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let stored = Stored::deserialize(deserializer)?;
        Self::parse(&stored.source, stored.kind, Limits::none()).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests;
