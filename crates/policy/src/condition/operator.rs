//! Condition operator names: the base comparison, `ForAnyValue:` / `ForAllValues:` and
//! `…IfExists`.

use std::fmt;

/// The base comparison of a condition operator (without `ForAnyValue:`,
/// `ForAllValues:` or `IfExists`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OperatorKind {
    /// Exact, case-sensitive string match.
    StringEquals,
    /// Negated [`OperatorKind::StringEquals`].
    StringNotEquals,
    /// Exact match ignoring case.
    StringEqualsIgnoreCase,
    /// Negated [`OperatorKind::StringEqualsIgnoreCase`].
    StringNotEqualsIgnoreCase,
    /// Case-sensitive match with `*` and `?` wildcards.
    StringLike,
    /// Negated [`OperatorKind::StringLike`].
    StringNotLike,
    /// Numbers equal.
    NumericEquals,
    /// Negated [`OperatorKind::NumericEquals`].
    NumericNotEquals,
    /// Request value < policy value.
    NumericLessThan,
    /// Request value ≤ policy value.
    NumericLessThanEquals,
    /// Request value > policy value.
    NumericGreaterThan,
    /// Request value ≥ policy value.
    NumericGreaterThanEquals,
    /// Same instant.
    DateEquals,
    /// Negated [`OperatorKind::DateEquals`].
    DateNotEquals,
    /// Request date before policy date.
    DateLessThan,
    /// Request date at or before policy date.
    DateLessThanEquals,
    /// Request date after policy date.
    DateGreaterThan,
    /// Request date at or after policy date.
    DateGreaterThanEquals,
    /// Boolean match (`true`/`false`, case-insensitive).
    Bool,
    /// Base64-encoded bytes equal.
    BinaryEquals,
    /// Request IP inside one of the CIDR blocks.
    IpAddress,
    /// Negated [`OperatorKind::IpAddress`].
    NotIpAddress,
    /// ARN match; each of the six `:` components may use wildcards.
    ArnEquals,
    /// Same as [`OperatorKind::ArnEquals`].
    ArnLike,
    /// Negated [`OperatorKind::ArnEquals`].
    ArnNotEquals,
    /// Negated [`OperatorKind::ArnLike`].
    ArnNotLike,
    /// Key presence test.
    Null,
}

impl OperatorKind {
    const ALL: [Self; 27] = [
        Self::StringEquals,
        Self::StringNotEquals,
        Self::StringEqualsIgnoreCase,
        Self::StringNotEqualsIgnoreCase,
        Self::StringLike,
        Self::StringNotLike,
        Self::NumericEquals,
        Self::NumericNotEquals,
        Self::NumericLessThan,
        Self::NumericLessThanEquals,
        Self::NumericGreaterThan,
        Self::NumericGreaterThanEquals,
        Self::DateEquals,
        Self::DateNotEquals,
        Self::DateLessThan,
        Self::DateLessThanEquals,
        Self::DateGreaterThan,
        Self::DateGreaterThanEquals,
        Self::Bool,
        Self::BinaryEquals,
        Self::IpAddress,
        Self::NotIpAddress,
        Self::ArnEquals,
        Self::ArnLike,
        Self::ArnNotEquals,
        Self::ArnNotLike,
        Self::Null,
    ];

    /// The operator's name as AWS spells it.
    pub fn name(self) -> &'static str {
        match self {
            Self::StringEquals => "StringEquals",
            Self::StringNotEquals => "StringNotEquals",
            Self::StringEqualsIgnoreCase => "StringEqualsIgnoreCase",
            Self::StringNotEqualsIgnoreCase => "StringNotEqualsIgnoreCase",
            Self::StringLike => "StringLike",
            Self::StringNotLike => "StringNotLike",
            Self::NumericEquals => "NumericEquals",
            Self::NumericNotEquals => "NumericNotEquals",
            Self::NumericLessThan => "NumericLessThan",
            Self::NumericLessThanEquals => "NumericLessThanEquals",
            Self::NumericGreaterThan => "NumericGreaterThan",
            Self::NumericGreaterThanEquals => "NumericGreaterThanEquals",
            Self::DateEquals => "DateEquals",
            Self::DateNotEquals => "DateNotEquals",
            Self::DateLessThan => "DateLessThan",
            Self::DateLessThanEquals => "DateLessThanEquals",
            Self::DateGreaterThan => "DateGreaterThan",
            Self::DateGreaterThanEquals => "DateGreaterThanEquals",
            Self::Bool => "Bool",
            Self::BinaryEquals => "BinaryEquals",
            Self::IpAddress => "IpAddress",
            Self::NotIpAddress => "NotIpAddress",
            Self::ArnEquals => "ArnEquals",
            Self::ArnLike => "ArnLike",
            Self::ArnNotEquals => "ArnNotEquals",
            Self::ArnNotLike => "ArnNotLike",
            Self::Null => "Null",
        }
    }

    /// How the request value must relate to the policy values, for explanations.
    pub(super) fn relation(self) -> &'static str {
        match self {
            Self::StringLike | Self::ArnLike => "like ",
            Self::StringNotLike | Self::ArnNotLike => "not like ",
            Self::StringNotEquals
            | Self::StringNotEqualsIgnoreCase
            | Self::NumericNotEquals
            | Self::DateNotEquals
            | Self::ArnNotEquals => "none of ",
            Self::NumericLessThan | Self::DateLessThan => "< ",
            Self::NumericLessThanEquals | Self::DateLessThanEquals => "<= ",
            Self::NumericGreaterThan | Self::DateGreaterThan => "> ",
            Self::NumericGreaterThanEquals | Self::DateGreaterThanEquals => ">= ",
            Self::IpAddress => "within ",
            Self::NotIpAddress => "outside ",
            Self::StringEquals
            | Self::StringEqualsIgnoreCase
            | Self::NumericEquals
            | Self::DateEquals
            | Self::Bool
            | Self::BinaryEquals
            | Self::ArnEquals
            | Self::Null => "",
        }
    }

    /// True for the "negated matching" operators whose values are NOR'ed and
    /// which are true when the key is missing.
    pub fn is_negated(self) -> bool {
        matches!(
            self,
            Self::StringNotEquals
                | Self::StringNotEqualsIgnoreCase
                | Self::StringNotLike
                | Self::NumericNotEquals
                | Self::DateNotEquals
                | Self::NotIpAddress
                | Self::ArnNotEquals
                | Self::ArnNotLike
        )
    }
}

/// `ForAnyValue:` or `ForAllValues:`, for multivalued keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SetQualifier {
    /// At least one request value must match; false when the key is missing or empty.
    ForAnyValue,
    /// Every request value must match; true when the key is missing or empty.
    ForAllValues,
}

/// A full condition operator such as `ForAllValues:StringLikeIfExists`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ConditionOperator {
    /// Optional set qualifier.
    pub qualifier: Option<SetQualifier>,
    /// The base comparison.
    pub kind: OperatorKind,
    /// The `IfExists` suffix: true when the key is missing.
    pub if_exists: bool,
}

impl ConditionOperator {
    /// Parses an operator name, e.g. `ForAnyValue:StringLikeIfExists`.
    /// Names are case-sensitive, as in IAM (which rejects `stringEquals` with
    /// "Invalid Condition type"); `NullIfExists` does not exist.
    pub fn parse(name: &str) -> Option<Self> {
        Self::parse_ignoring_case(name).filter(|op| op.to_string() == name)
    }

    /// Like [`parse`](Self::parse) but ignoring case; used to suggest the right spelling.
    pub(crate) fn parse_ignoring_case(name: &str) -> Option<Self> {
        let lower = name.to_ascii_lowercase();
        let (qualifier, rest) = if let Some(r) = lower.strip_prefix("forallvalues:") {
            (Some(SetQualifier::ForAllValues), r)
        } else if let Some(r) = lower.strip_prefix("foranyvalue:") {
            (Some(SetQualifier::ForAnyValue), r)
        } else {
            (None, lower.as_str())
        };
        let (if_exists, base) = match rest.strip_suffix("ifexists") {
            Some(b) => (true, b),
            None => (false, rest),
        };
        let kind = OperatorKind::ALL
            .into_iter()
            .find(|k| k.name().eq_ignore_ascii_case(base))?;
        if kind == OperatorKind::Null && if_exists {
            return None;
        }
        Some(Self {
            qualifier,
            kind,
            if_exists,
        })
    }
}

impl fmt::Display for ConditionOperator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.qualifier {
            Some(SetQualifier::ForAnyValue) => f.write_str("ForAnyValue:")?,
            Some(SetQualifier::ForAllValues) => f.write_str("ForAllValues:")?,
            None => {}
        }
        f.write_str(self.kind.name())?;
        if self.if_exists {
            f.write_str("IfExists")?;
        }
        Ok(())
    }
}
