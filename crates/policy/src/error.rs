//! Errors for malformed policy documents.
//!
//! Every error maps to the AWS error code that the calling service returns
//! (see [`PolicyError::code_for`]); messages name the offending statement and
//! element so a learner can fix the document.

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The AWS service that received the policy: error codes differ per service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AwsService {
    /// AWS KMS (key policies).
    Kms,
    /// AWS IAM (identity policies and role trust policies).
    Iam,
    /// Amazon S3 (bucket policies).
    S3,
}

/// The unit a size limit counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SizeUnit {
    /// UTF-8 bytes of the whole document (KMS key policies, S3 bucket policies).
    Bytes,
    /// Characters other than white space (IAM policies).
    NonWhitespaceCharacters,
}

impl fmt::Display for SizeUnit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Bytes => "bytes",
            Self::NonWhitespaceCharacters => "non-whitespace characters",
        })
    }
}

/// Where in the document a problem was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// The top level of the document.
    Document,
    /// One statement.
    Statement {
        /// 1-based position in the `Statement` list.
        number: usize,
        /// The statement's `Sid`, if it has a usable one.
        sid: Option<String>,
    },
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Document => f.write_str("policy"),
            Self::Statement { sid: Some(sid), .. } => write!(f, "statement `{sid}`"),
            Self::Statement { number, sid: None } => write!(f, "statement {number}"),
        }
    }
}

/// What is wrong at a [`Location`].
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Problem {
    /// An element name that the policy grammar does not define (names are case-sensitive).
    #[error("unknown element `{element}`{}", suggestion.map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default())]
    UnknownElement {
        /// The name as written.
        element: String,
        /// A known element with the same name ignoring case.
        suggestion: Option<&'static str>,
    },
    /// A required element is absent.
    #[error("missing required element `{element}`")]
    MissingElement {
        /// The element name.
        element: &'static str,
    },
    /// Two mutually exclusive elements are both present.
    #[error("`{first}` and `{second}` cannot both be present")]
    ConflictingElements {
        /// The first element.
        first: &'static str,
        /// The second element.
        second: &'static str,
    },
    /// An element has the wrong JSON type.
    #[error("`{element}` must be {expected}")]
    WrongType {
        /// The element name.
        element: String,
        /// What was expected, in words.
        expected: &'static str,
    },
    /// A list element is empty.
    #[error("`{element}` must not be empty")]
    Empty {
        /// The element name.
        element: String,
    },
    /// `Version` is not one of the two policy language versions.
    #[error("`Version` must be `2012-10-17` or `2008-10-17`, found `{value}`")]
    InvalidVersion {
        /// The value as written.
        value: String,
    },
    /// `Effect` is not `Allow` or `Deny` (case-sensitive).
    #[error("`Effect` must be `Allow` or `Deny`, found `{value}`")]
    InvalidEffect {
        /// The value as written.
        value: String,
    },
    /// Two statements share a `Sid`.
    #[error("duplicate Sid `{sid}` (each statement id must be unique in a policy)")]
    DuplicateSid {
        /// The repeated Sid.
        sid: String,
    },
    /// `Principal`/`NotPrincipal` in a policy kind that cannot have one.
    #[error("`{element}` is not allowed in {kind}")]
    PrincipalNotAllowed {
        /// `Principal` or `NotPrincipal`.
        element: &'static str,
        /// The policy kind, in words.
        kind: &'static str,
    },
    /// A resource-based or trust policy statement without a principal.
    #[error("{kind} statements must name a `Principal`")]
    PrincipalRequired {
        /// The policy kind, in words.
        kind: &'static str,
    },
    /// `NotPrincipal` with `"Effect": "Allow"`.
    #[error("`NotPrincipal` can only be used with `\"Effect\": \"Deny\"`")]
    NotPrincipalWithAllow,
    /// `Resource`/`NotResource` in a trust policy.
    #[error("`{element}` is not allowed in a role trust policy")]
    ResourceNotAllowed {
        /// `Resource` or `NotResource`.
        element: &'static str,
    },
    /// An identity policy statement without `Resource`/`NotResource`.
    #[error("identity policy statements must have a `Resource` or `NotResource`")]
    ResourceRequired,
    /// A principal value that is not `*`, an account id or an IAM/STS ARN.
    #[error("invalid principal `{value}`: {reason}")]
    InvalidPrincipal {
        /// The value as written.
        value: String,
        /// Why it is invalid.
        reason: &'static str,
    },
    /// A principal type other than `AWS`, `Service` and `Federated`.
    #[error("unsupported principal type `{name}` (expected `AWS`, `Service` or `Federated`)")]
    UnsupportedPrincipalType {
        /// The type as written.
        name: String,
    },
    /// An action that is not `*` or `service:action`.
    #[error("invalid action `{value}`: actions must be `*` or `service:action`")]
    InvalidAction {
        /// The value as written.
        value: String,
    },
    /// A resource that is not `*` or an ARN.
    #[error("invalid resource `{value}`: resources must be `*` or an ARN")]
    InvalidResource {
        /// The value as written.
        value: String,
    },
    /// An unknown condition operator (names are case-sensitive).
    #[error("unsupported condition operator `{operator}`{}", suggestion.as_ref().map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default())]
    UnsupportedConditionOperator {
        /// The operator as written.
        operator: String,
        /// The operator with the same name ignoring case, if any.
        suggestion: Option<String>,
    },
    /// A condition value of the wrong form for its operator.
    #[error("`{operator}` on `{key}`: `{value}` is not {expected}")]
    InvalidConditionValue {
        /// The operator as written.
        operator: String,
        /// The condition key as written.
        key: String,
        /// The value as written.
        value: String,
        /// What was expected, in words.
        expected: &'static str,
    },
    /// A malformed `${...}` policy variable.
    #[error("invalid policy variable in `{value}`: {reason}")]
    InvalidPolicyVariable {
        /// The string containing the variable.
        value: String,
        /// What is wrong.
        reason: String,
    },
}

/// A policy document that cannot be accepted.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PolicyError {
    /// The text is not valid JSON (position from the JSON parser, 1-based).
    #[error("invalid JSON at line {line}, column {column}: {message}")]
    InvalidJson {
        /// The parser's description.
        message: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// The document exceeds the size limit the caller passed in [`crate::Limits`].
    #[error("policy is {actual} {unit}, more than the limit of {limit}")]
    TooLarge {
        /// The measured size.
        actual: usize,
        /// The limit.
        limit: usize,
        /// What was counted.
        unit: SizeUnit,
    },
    /// A character outside the set the caller allowed (KMS: tab, LF, CR, U+0020–U+00FF).
    #[error(
        "policy contains the character {character:?} (U+{code:04X}) at byte {offset}, which is not allowed"
    )]
    InvalidCharacter {
        /// The character.
        character: char,
        /// Its code point.
        code: u32,
        /// Byte offset in the document.
        offset: usize,
    },
    /// The JSON is well-formed but is not a valid policy.
    #[error("{at}: {problem}")]
    Invalid {
        /// Where.
        at: Location,
        /// What.
        problem: Problem,
    },
}

impl PolicyError {
    /// The AWS error code the given service returns for this error, e.g.
    /// `MalformedPolicyDocumentException` (KMS) or `MalformedPolicyDocument` (IAM).
    ///
    /// Size errors are quota errors: KMS `LimitExceededException`
    /// (documented on `PutKeyPolicy`), IAM `LimitExceeded`.
    pub fn code_for(&self, service: AwsService) -> &'static str {
        match (self, service) {
            (Self::TooLarge { .. }, AwsService::Kms) => "LimitExceededException",
            (Self::TooLarge { .. }, AwsService::Iam) => "LimitExceeded",
            (Self::TooLarge { .. }, AwsService::S3) => "MalformedPolicy",
            (
                Self::InvalidJson { .. } | Self::InvalidCharacter { .. } | Self::Invalid { .. },
                service,
            ) => match service {
                AwsService::Kms => "MalformedPolicyDocumentException",
                AwsService::Iam => "MalformedPolicyDocument",
                AwsService::S3 => "MalformedPolicy",
            },
        }
    }

    pub(crate) fn at(at: Location, problem: Problem) -> Self {
        Self::Invalid { at, problem }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_per_service() {
        let e = PolicyError::at(Location::Document, Problem::ResourceRequired);
        assert_eq!(
            e.code_for(AwsService::Kms),
            "MalformedPolicyDocumentException"
        );
        assert_eq!(e.code_for(AwsService::Iam), "MalformedPolicyDocument");
        let big = PolicyError::TooLarge {
            actual: 40_000,
            limit: 32_768,
            unit: SizeUnit::Bytes,
        };
        assert_eq!(big.code_for(AwsService::Kms), "LimitExceededException");
        assert_eq!(big.code_for(AwsService::Iam), "LimitExceeded");
        assert_eq!(
            big.to_string(),
            "policy is 40000 bytes, more than the limit of 32768"
        );
    }

    #[test]
    fn locations_read_well() {
        let e = PolicyError::at(
            Location::Statement {
                number: 2,
                sid: None,
            },
            Problem::UnknownElement {
                element: "Acton".to_owned(),
                suggestion: None,
            },
        );
        assert_eq!(e.to_string(), "statement 2: unknown element `Acton`");
        let e = PolicyError::at(
            Location::Statement {
                number: 1,
                sid: Some("AllowUse".to_owned()),
            },
            Problem::InvalidEffect {
                value: "allow".to_owned(),
            },
        );
        assert_eq!(
            e.to_string(),
            "statement `AllowUse`: `Effect` must be `Allow` or `Deny`, found `allow`"
        );
    }
}
