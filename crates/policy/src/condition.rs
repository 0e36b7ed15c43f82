//! The `Condition` element: operators, typed values and their evaluation.
//!
//! Semantics follow
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html>
//! and <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html>:
//!
//! - several operators in a block, and several keys under one operator, are AND'ed;
//! - several values for one key are OR'ed, or NOR'ed for negated operators
//!   (`StringNotEquals`, `StringNotLike`, `ArnNotLike`, `NotIpAddress`, …);
//! - a key missing from the request makes the condition false, except that a
//!   negated operator is then true, `…IfExists` is then true, `ForAllValues:`
//!   is then true and `ForAnyValue:` is then false. A key present with an
//!   empty list of values counts as missing;
//! - `Null` tests presence: `"true"` means "the key is absent".

use std::fmt;
use std::net::IpAddr;

use base64::Engine as _;
use serde_json::Value;

use crate::context::{RequestContext, write_list};
use crate::datetime;
use crate::error::Problem;
use crate::glob::{Template, Token, glob_match};

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
    fn relation(self) -> &'static str {
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

/// An IPv4 or IPv6 CIDR block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Cidr {
    addr: IpAddr,
    prefix: u8,
}

impl Cidr {
    fn parse(s: &str) -> Option<Self> {
        let (addr, prefix) = match s.trim().split_once('/') {
            Some((a, p)) => (a.parse::<IpAddr>().ok()?, Some(p.parse::<u8>().ok()?)),
            None => (s.trim().parse::<IpAddr>().ok()?, None),
        };
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = prefix.unwrap_or(max);
        (prefix <= max).then_some(Self { addr, prefix })
    }

    fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

/// Policy-side values, parsed for the operator's family.
#[derive(Debug, Clone, PartialEq)]
enum Values {
    Strings(Vec<Template>),
    Numbers(Vec<f64>),
    Dates(Vec<i64>),
    Bools(Vec<bool>),
    Binary(Vec<Vec<u8>>),
    Cidrs(Vec<Cidr>),
}

/// One `operator: { key: values }` pair of a `Condition` block.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    operator: ConditionOperator,
    key: String,
    key_lower: String,
    raw_values: Vec<String>,
    values: Values,
}

// f64 values come from parsed JSON and are always finite.
impl Eq for Condition {}

impl Condition {
    /// The operator.
    pub fn operator(&self) -> ConditionOperator {
        self.operator
    }

    /// The condition key as written in the policy.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The policy values as written.
    pub fn values(&self) -> &[String] {
        &self.raw_values
    }
}

fn scalar_strings(value: &Value) -> Option<Vec<String>> {
    let one = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    match value {
        Value::Array(items) => items.iter().map(one).collect(),
        other => one(other).map(|s| vec![s]),
    }
}

fn parse_bool(s: &str) -> Option<bool> {
    if s.eq_ignore_ascii_case("true") {
        Some(true)
    } else if s.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

fn parse_number(s: &str) -> Option<f64> {
    s.trim().parse::<f64>().ok().filter(|n| n.is_finite())
}

fn decode_base64(s: &str) -> Option<Vec<u8>> {
    base64::engine::general_purpose::STANDARD
        .decode(s.trim())
        .ok()
}

/// Parses a whole `Condition` element into a flat list of conditions (all AND'ed).
pub(crate) fn parse_block(value: &Value, variables: bool) -> Result<Vec<Condition>, Problem> {
    let Value::Object(ops) = value else {
        return Err(Problem::WrongType {
            element: "Condition".to_owned(),
            expected: "an object of operators",
        });
    };
    let mut out = Vec::new();
    for (op_name, keys) in ops {
        let operator = ConditionOperator::parse(op_name).ok_or_else(|| {
            Problem::UnsupportedConditionOperator {
                operator: op_name.clone(),
                suggestion: ConditionOperator::parse_ignoring_case(op_name)
                    .map(|op| op.to_string()),
            }
        })?;
        let Value::Object(keys) = keys else {
            return Err(Problem::WrongType {
                element: op_name.clone(),
                expected: "an object of condition keys",
            });
        };
        for (key, raw) in keys {
            let raw_values = scalar_strings(raw).ok_or_else(|| Problem::WrongType {
                element: format!("{op_name}.{key}"),
                expected: "a string, number, boolean or a list of them",
            })?;
            if raw_values.is_empty() {
                return Err(Problem::Empty {
                    element: format!("{op_name}.{key}"),
                });
            }
            let values = parse_values(operator.kind, op_name, key, &raw_values, variables)?;
            out.push(Condition {
                operator,
                key: key.clone(),
                key_lower: key.to_lowercase(),
                raw_values,
                values,
            });
        }
    }
    Ok(out)
}

fn parse_values(
    kind: OperatorKind,
    op_name: &str,
    key: &str,
    raw: &[String],
    variables: bool,
) -> Result<Values, Problem> {
    use OperatorKind as K;
    let invalid = |value: &String, expected: &'static str| Problem::InvalidConditionValue {
        operator: op_name.to_owned(),
        key: key.to_owned(),
        value: value.clone(),
        expected,
    };
    fn all<T>(
        raw: &[String],
        parse: impl Fn(&str) -> Option<T>,
        err: impl Fn(&String) -> Problem,
    ) -> Result<Vec<T>, Problem> {
        raw.iter().map(|v| parse(v).ok_or_else(|| err(v))).collect()
    }
    Ok(match kind {
        K::StringEquals
        | K::StringNotEquals
        | K::StringEqualsIgnoreCase
        | K::StringNotEqualsIgnoreCase
        | K::StringLike
        | K::StringNotLike
        | K::ArnEquals
        | K::ArnLike
        | K::ArnNotEquals
        | K::ArnNotLike => Values::Strings(
            raw.iter()
                .map(|v| {
                    Template::parse(v, variables).map_err(|reason| Problem::InvalidPolicyVariable {
                        value: v.clone(),
                        reason,
                    })
                })
                .collect::<Result<_, _>>()?,
        ),
        K::NumericEquals
        | K::NumericNotEquals
        | K::NumericLessThan
        | K::NumericLessThanEquals
        | K::NumericGreaterThan
        | K::NumericGreaterThanEquals => {
            Values::Numbers(all(raw, parse_number, |v| invalid(v, "a number"))?)
        }
        K::DateEquals
        | K::DateNotEquals
        | K::DateLessThan
        | K::DateLessThanEquals
        | K::DateGreaterThan
        | K::DateGreaterThanEquals => Values::Dates(all(raw, datetime::parse_millis, |v| {
            invalid(v, "an ISO 8601 date or epoch seconds")
        })?),
        K::Bool | K::Null => {
            Values::Bools(all(raw, parse_bool, |v| invalid(v, "`true` or `false`"))?)
        }
        K::BinaryEquals => Values::Binary(all(raw, decode_base64, |v| invalid(v, "base64"))?),
        K::IpAddress | K::NotIpAddress => Values::Cidrs(all(raw, Cidr::parse, |v| {
            invalid(v, "an IP address or CIDR block")
        })?),
    })
}

/// Why a condition held or failed, beyond a plain value comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConditionNote {
    /// The request values were compared with the policy values.
    Compared,
    /// The key is missing (or empty) from the request.
    KeyMissing,
    /// The key is missing, and `…IfExists` makes that true.
    KeyMissingIfExists,
    /// The key is missing, and a negated operator is then true.
    KeyMissingNegated,
    /// The key is missing or empty, and `ForAllValues:` is then true.
    KeyMissingForAllValues,
    /// The key is missing or empty, and `ForAnyValue:` is then false.
    KeyMissingForAnyValue,
    /// A `Null` presence test.
    NullCheck,
}

/// The evidence for one condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionCheck {
    /// The operator (canonical spelling).
    pub operator: ConditionOperator,
    /// The key as written in the policy.
    pub key: String,
    /// The policy values as written.
    pub expected: Vec<String>,
    /// The request values, if the key was present.
    pub got: Option<Vec<String>>,
    /// Whether the condition held.
    pub satisfied: bool,
    /// How the result came about.
    pub note: ConditionNote,
    /// Policy variables (lower-cased keys) in the values that had no value in the request.
    pub unresolved: Vec<String>,
}

impl fmt::Display for ConditionCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} ", self.operator, self.key)?;
        match self.note {
            ConditionNote::NullCheck => {
                let present = self.got.is_some();
                write!(
                    f,
                    "{}: key is {}",
                    self.expected
                        .first()
                        .map(String::as_str)
                        .unwrap_or_default(),
                    if present { "present" } else { "absent" }
                )
            }
            ConditionNote::KeyMissing => {
                f.write_str("failed: condition key missing from the request")
            }
            ConditionNote::KeyMissingIfExists => {
                f.write_str("holds: key is absent, and …IfExists treats that as a match")
            }
            ConditionNote::KeyMissingNegated => {
                f.write_str("holds: key is absent, and a negated operator is then true")
            }
            ConditionNote::KeyMissingForAllValues => {
                f.write_str("holds: key is absent or empty, and ForAllValues is then true")
            }
            ConditionNote::KeyMissingForAnyValue => {
                f.write_str("failed: key is absent or empty, and ForAnyValue is then false")
            }
            ConditionNote::Compared => {
                f.write_str(if self.satisfied { "holds: " } else { "" })?;
                write!(f, "expected {}", self.operator.kind.relation())?;
                write_list(f, &self.expected)?;
                f.write_str(" got ")?;
                write_list(f, self.got.as_deref().unwrap_or_default())?;
                crate::eval::write_unresolved(f, &self.unresolved)
            }
        }
    }
}

/// Splits tokens at the first five `:` characters.
fn split_tokens(tokens: &[Token]) -> Vec<&[Token]> {
    let mut parts = Vec::with_capacity(6);
    let mut rest = tokens;
    while parts.len() < 5 {
        match rest.iter().position(|t| *t == Token::Char(':')) {
            Some(i) => {
                parts.push(rest.get(..i).unwrap_or_default());
                rest = rest.get(i + 1..).unwrap_or_default();
            }
            None => break,
        }
    }
    parts.push(rest);
    parts
}

/// ARN comparison: the six `:`-separated components are matched one by one,
/// so a `*` never spans a separator. A pattern without any `:` (such as a
/// bare `*`) is matched against the whole value.
fn arn_match(pattern: &[Token], text: &str) -> bool {
    let p = split_tokens(pattern);
    let t: Vec<&str> = text.splitn(6, ':').collect();
    match p.len() {
        1 => glob_match(pattern, text, false),
        6 if t.len() == 6 => p.iter().zip(&t).all(|(p, t)| glob_match(p, t, false)),
        _ => false,
    }
}

impl Condition {
    /// True when the single request value `v` matches at least one policy
    /// value under the positive form of the operator.
    fn matches_one(&self, v: &str, ctx: &RequestContext) -> bool {
        use OperatorKind as K;
        match &self.values {
            Values::Strings(templates) => templates.iter().any(|t| {
                let (wildcards, ignore_case, arn) = match self.operator.kind {
                    K::StringLike | K::StringNotLike => (true, false, false),
                    K::StringEqualsIgnoreCase | K::StringNotEqualsIgnoreCase => {
                        (false, true, false)
                    }
                    K::ArnEquals | K::ArnLike | K::ArnNotEquals | K::ArnNotLike => {
                        (true, false, true)
                    }
                    _ => (false, false, false),
                };
                match t.resolve(ctx, wildcards) {
                    Ok(tokens) if arn => arn_match(&tokens, v),
                    Ok(tokens) => glob_match(&tokens, v, ignore_case),
                    Err(_) => false,
                }
            }),
            Values::Numbers(ns) => parse_number(v).is_some_and(|x| {
                ns.iter().any(|n| match self.operator.kind {
                    K::NumericLessThan => x < *n,
                    K::NumericLessThanEquals => x <= *n,
                    K::NumericGreaterThan => x > *n,
                    K::NumericGreaterThanEquals => x >= *n,
                    _ => x == *n,
                })
            }),
            Values::Dates(ds) => datetime::parse_millis(v).is_some_and(|x| {
                ds.iter().any(|d| match self.operator.kind {
                    K::DateLessThan => x < *d,
                    K::DateLessThanEquals => x <= *d,
                    K::DateGreaterThan => x > *d,
                    K::DateGreaterThanEquals => x >= *d,
                    _ => x == *d,
                })
            }),
            Values::Bools(bs) => parse_bool(v).is_some_and(|x| bs.contains(&x)),
            Values::Binary(bins) => decode_base64(v).is_some_and(|x| bins.contains(&x)),
            Values::Cidrs(cidrs) => v
                .trim()
                .parse::<IpAddr>()
                .is_ok_and(|ip| cidrs.iter().any(|c| c.contains(ip))),
        }
    }

    /// Evaluates this condition against the request.
    pub(crate) fn check(&self, ctx: &RequestContext) -> ConditionCheck {
        let got = ctx
            .get(&self.key_lower)
            .filter(|v| !v.is_empty())
            .map(|v| v.as_slice().to_vec());
        let (satisfied, note) = self.decide(got.as_deref(), ctx);
        let unresolved = match &self.values {
            Values::Strings(templates) if note == ConditionNote::Compared => {
                crate::glob::unresolved_keys(templates, ctx)
            }
            _ => Vec::new(),
        };
        ConditionCheck {
            operator: self.operator,
            key: self.key.clone(),
            expected: self.raw_values.clone(),
            got,
            satisfied,
            note,
            unresolved,
        }
    }

    fn decide(&self, got: Option<&[String]>, ctx: &RequestContext) -> (bool, ConditionNote) {
        let op = self.operator;
        if op.kind == OperatorKind::Null {
            // "true" = the key must be absent.
            let absent = got.is_none();
            let holds = matches!(&self.values, Values::Bools(bs) if bs.contains(&absent));
            return (holds, ConditionNote::NullCheck);
        }
        let Some(values) = got else {
            return if op.if_exists {
                (true, ConditionNote::KeyMissingIfExists)
            } else {
                match op.qualifier {
                    Some(SetQualifier::ForAllValues) => {
                        (true, ConditionNote::KeyMissingForAllValues)
                    }
                    Some(SetQualifier::ForAnyValue) => {
                        (false, ConditionNote::KeyMissingForAnyValue)
                    }
                    None if op.kind.is_negated() => (true, ConditionNote::KeyMissingNegated),
                    None => (false, ConditionNote::KeyMissing),
                }
            };
        };
        let negated = op.kind.is_negated();
        // For a negated operator, one request value "passes" when it matches none of the policy values.
        let passes = |v: &String| self.matches_one(v, ctx) != negated;
        let holds = match op.qualifier {
            Some(SetQualifier::ForAllValues) => values.iter().all(passes),
            Some(SetQualifier::ForAnyValue) => values.iter().any(passes),
            // Without a qualifier: positive operators need one matching value,
            // negated operators need every value to match nothing (NOR).
            None if negated => values.iter().all(passes),
            None => values.iter().any(passes),
        };
        (holds, ConditionNote::Compared)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::Principal;
    use serde_json::json;

    fn ctx() -> RequestContext {
        RequestContext::new(Principal::user("111122223333", "alice"), "kms:Decrypt", "*")
    }

    fn holds(block: Value, ctx: &RequestContext) -> bool {
        parse_block(&block, true)
            .unwrap()
            .iter()
            .all(|c| c.check(ctx).satisfied)
    }

    #[test]
    fn operator_names() {
        let op = ConditionOperator::parse("ForAllValues:StringLikeIfExists").unwrap();
        assert_eq!(op.qualifier, Some(SetQualifier::ForAllValues));
        assert_eq!(op.kind, OperatorKind::StringLike);
        assert!(op.if_exists);
        assert_eq!(op.to_string(), "ForAllValues:StringLikeIfExists");
        assert!(ConditionOperator::parse("stringEquals").is_none());
        assert_eq!(
            ConditionOperator::parse_ignoring_case("stringequals").map(|o| o.to_string()),
            Some("StringEquals".to_owned())
        );
        assert!(ConditionOperator::parse("StringEqualz").is_none());
        assert!(ConditionOperator::parse("NullIfExists").is_none());
        assert!(ConditionOperator::parse("ForSomeValues:StringEquals").is_none());
    }

    #[test]
    fn values_are_typed_at_parse_time() {
        let err =
            parse_block(&json!({"NumericLessThan": {"s3:max-keys": "ten"}}), true).unwrap_err();
        assert_eq!(
            err.to_string(),
            "`NumericLessThan` on `s3:max-keys`: `ten` is not a number"
        );
        assert!(parse_block(&json!({"IpAddress": {"aws:SourceIp": "10.0.0.0/33"}}), true).is_err());
        assert!(parse_block(&json!({"DateLessThan": {"aws:CurrentTime": "soon"}}), true).is_err());
        assert!(parse_block(&json!({"Bool": {"aws:SecureTransport": "yes"}}), true).is_err());
        assert!(parse_block(&json!({"BinaryEquals": {"k": "***"}}), true).is_err());
        assert!(parse_block(&json!({"StringEquals": {"k": []}}), true).is_err());
        assert!(parse_block(&json!({"StringEquals": {"k": {"a": 1}}}), true).is_err());
        assert!(parse_block(&json!({"StringEquals": "k"}), true).is_err());
    }

    #[test]
    fn numbers_and_json_scalars() {
        let mut c = ctx();
        c.set_number("s3:max-keys", 5);
        assert!(holds(json!({"NumericLessThan": {"s3:max-keys": 10}}), &c));
        assert!(!holds(
            json!({"NumericGreaterThan": {"s3:max-keys": "10"}}),
            &c
        ));
        assert!(holds(
            json!({"NumericLessThanEquals": {"s3:max-keys": "5"}}),
            &c
        ));
        assert!(holds(
            json!({"NumericNotEquals": {"s3:max-keys": ["1", "2"]}}),
            &c
        ));
        assert!(!holds(
            json!({"NumericNotEquals": {"s3:max-keys": ["1", "5"]}}),
            &c
        ));
    }

    #[test]
    fn ip_v4_and_v6() {
        let mut c = ctx();
        c.set("aws:SourceIp", "203.0.113.77");
        assert!(holds(
            json!({"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}),
            &c
        ));
        assert!(!holds(
            json!({"IpAddress": {"aws:SourceIp": "203.0.114.0/24"}}),
            &c
        ));
        assert!(holds(
            json!({"NotIpAddress": {"aws:SourceIp": "2001:db8::/32"}}),
            &c
        ));
        c.set("aws:SourceIp", "2001:db8:1::5");
        assert!(holds(
            json!({"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "2001:db8::/32"]}}),
            &c
        ));
        assert!(!holds(
            json!({"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}),
            &ctx()
        ));
        c.set("aws:SourceIp", "10.1.2.3");
        assert!(holds(
            json!({"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}),
            &c
        ));
        assert!(holds(
            json!({"IpAddress": {"aws:SourceIp": "10.1.2.3"}}),
            &c
        ));
    }

    #[test]
    fn binary_and_bool() {
        let mut c = ctx();
        c.set("k", "QmluYXJ5");
        c.set("aws:SecureTransport", "TRUE");
        assert!(holds(json!({"BinaryEquals": {"k": "QmluYXJ5"}}), &c));
        assert!(!holds(json!({"BinaryEquals": {"k": "QmluYXJa"}}), &c));
        assert!(holds(json!({"Bool": {"aws:SecureTransport": true}}), &c));
        assert!(!holds(
            json!({"Bool": {"aws:SecureTransport": "false"}}),
            &c
        ));
    }

    #[test]
    fn arn_components() {
        let mut c = ctx();
        c.set("aws:SourceArn", "arn:aws:s3:::bucket-1");
        assert!(holds(
            json!({"ArnLike": {"aws:SourceArn": "arn:aws:s3:::bucket-*"}}),
            &c
        ));
        assert!(holds(
            json!({"ArnEquals": {"aws:SourceArn": "arn:aws:s3:::bucket-1"}}),
            &c
        ));
        assert!(!holds(
            json!({"ArnLike": {"aws:SourceArn": "arn:aws:s3:::Bucket-*"}}),
            &c
        ));
        // `*` in one component does not swallow the `:` separators.
        c.set("aws:SourceArn", "arn:aws:iam::111122223333:role/a");
        assert!(!holds(
            json!({"ArnLike": {"aws:SourceArn": "arn:aws:*:role/a"}}),
            &c
        ));
        assert!(holds(
            json!({"ArnLike": {"aws:SourceArn": "arn:aws:iam::*:role/*"}}),
            &c
        ));
        assert!(holds(
            json!({"ArnNotLike": {"aws:SourceArn": "arn:aws:iam::*:user/*"}}),
            &c
        ));
        c.set("aws:SourceArn", "not-an-arn");
        assert!(!holds(
            json!({"ArnLike": {"aws:SourceArn": "arn:aws:iam::*:role/*"}}),
            &c
        ));
    }

    #[test]
    fn missing_key_rules() {
        let c = ctx();
        assert!(!holds(json!({"StringEquals": {"kms:ViaService": "x"}}), &c));
        assert!(holds(
            json!({"StringNotEquals": {"kms:ViaService": "x"}}),
            &c
        ));
        assert!(holds(
            json!({"StringEqualsIfExists": {"kms:ViaService": "x"}}),
            &c
        ));
        assert!(holds(
            json!({"ForAllValues:StringEquals": {"aws:TagKeys": "x"}}),
            &c
        ));
        assert!(!holds(
            json!({"ForAnyValue:StringEquals": {"aws:TagKeys": "x"}}),
            &c
        ));
        assert!(holds(
            json!({"ForAnyValue:StringEqualsIfExists": {"aws:TagKeys": "x"}}),
            &c
        ));
        assert!(holds(json!({"Null": {"kms:ViaService": "true"}}), &c));
        assert!(!holds(json!({"Null": {"kms:ViaService": "false"}}), &c));
        let mut empty = ctx();
        empty.set_list("aws:TagKeys", Vec::<String>::new());
        assert!(holds(
            json!({"ForAllValues:StringEquals": {"aws:TagKeys": "x"}}),
            &empty
        ));
        assert!(holds(json!({"Null": {"aws:TagKeys": "true"}}), &empty));
    }

    #[test]
    fn negated_values_are_nored() {
        let mut c = ctx();
        c.set("kms:ViaService", "s3.us-east-1.amazonaws.com");
        assert!(!holds(
            json!({"StringNotEquals": {"kms:ViaService": ["ec2.us-east-1.amazonaws.com", "s3.us-east-1.amazonaws.com"]}}),
            &c
        ));
        assert!(holds(
            json!({"StringNotEquals": {"kms:ViaService": ["ec2.us-east-1.amazonaws.com", "rds.us-east-1.amazonaws.com"]}}),
            &c
        ));
        assert!(holds(
            json!({"StringNotEqualsIgnoreCase": {"kms:ViaService": "EC2.us-east-1.amazonaws.com"}}),
            &c
        ));
        assert!(!holds(
            json!({"StringNotEqualsIgnoreCase": {"kms:ViaService": "S3.US-EAST-1.amazonaws.com"}}),
            &c
        ));
    }

    #[test]
    fn set_operators_over_lists() {
        let mut c = ctx();
        c.set_list("kms:EncryptionContextKeys", ["Department", "Project"]);
        assert!(holds(
            json!({"ForAllValues:StringEquals": {"kms:EncryptionContextKeys": ["Department", "Project", "Team"]}}),
            &c
        ));
        assert!(!holds(
            json!({"ForAllValues:StringEquals": {"kms:EncryptionContextKeys": ["Department"]}}),
            &c
        ));
        assert!(holds(
            json!({"ForAnyValue:StringEquals": {"kms:EncryptionContextKeys": ["Department"]}}),
            &c
        ));
        assert!(!holds(
            json!({"ForAnyValue:StringEquals": {"kms:EncryptionContextKeys": ["Team"]}}),
            &c
        ));
        assert!(holds(
            json!({"ForAnyValue:StringNotLike": {"kms:EncryptionContextKeys": "Dep*"}}),
            &c
        ));
        assert!(!holds(
            json!({"ForAllValues:StringNotLike": {"kms:EncryptionContextKeys": "Dep*"}}),
            &c
        ));
    }

    #[test]
    fn dates_compare_instants() {
        let mut c = ctx();
        c.set_time(1_795_377_600); // 2026-11-22T20:00:00Z
        assert!(holds(
            json!({"DateLessThan": {"aws:CurrentTime": "2026-12-01T00:00:00Z"}}),
            &c
        ));
        assert!(holds(
            json!({"DateGreaterThan": {"aws:CurrentTime": "2026-11-22"}}),
            &c
        ));
        assert!(holds(
            json!({"DateEquals": {"aws:EpochTime": "2026-11-22T21:00:00+01:00"}}),
            &c
        ));
        assert!(holds(
            json!({"DateLessThanEquals": {"aws:EpochTime": 1_795_377_600}}),
            &c
        ));
        assert!(!holds(
            json!({"DateGreaterThanEquals": {"aws:CurrentTime": "1795377601"}}),
            &c
        ));
    }

    #[test]
    fn display_reads_well() {
        let mut c = ctx();
        c.set("kms:ViaService", "ec2.us-east-1.amazonaws.com");
        let conds = parse_block(
            &json!({"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}),
            true,
        )
        .unwrap();
        let check = conds[0].check(&c);
        assert!(!check.satisfied);
        assert_eq!(
            check.to_string(),
            "StringEquals kms:ViaService expected [`s3.us-east-1.amazonaws.com`] got [`ec2.us-east-1.amazonaws.com`]"
        );
        let check = conds[0].check(&ctx());
        assert_eq!(
            check.to_string(),
            "StringEquals kms:ViaService failed: condition key missing from the request"
        );
    }

    #[test]
    fn unresolved_variables_are_reported() {
        let ctx = RequestContext::new(Principal::assumed_role("1", "R", "s"), "s3:ListBucket", "*")
            .with("s3:prefix", "home/s/");
        let conds = parse_block(
            &json!({"StringLike": {"s3:prefix": "home/${aws:username}/*"}}),
            true,
        )
        .unwrap();
        let check = conds[0].check(&ctx);
        assert!(!check.satisfied);
        assert_eq!(check.unresolved, vec!["aws:username".to_owned()]);
        assert!(
            check
                .to_string()
                .ends_with("(no value in this request for `${aws:username}`)"),
            "{check}"
        );
    }

    #[test]
    fn multivalued_key_without_qualifier() {
        // Without ForAnyValue/ForAllValues a positive operator needs one matching
        // request value; a negated one needs every value to match nothing.
        let mut c = ctx();
        c.set_list("aws:TagKeys", ["a", "b"]);
        assert!(holds(json!({"StringEquals": {"aws:TagKeys": "b"}}), &c));
        assert!(!holds(json!({"StringNotEquals": {"aws:TagKeys": "b"}}), &c));
        assert!(holds(json!({"StringNotEquals": {"aws:TagKeys": "c"}}), &c));
    }

    #[test]
    fn explanations_name_the_relation() {
        let mut c = ctx();
        c.set_number("kms:ScheduleKeyDeletionPendingWindowInDays", 7);
        c.set("aws:PrincipalArn", "arn:aws:iam::1:user/a");
        let conds = parse_block(
            &json!({
                "NumericLessThan": {"kms:ScheduleKeyDeletionPendingWindowInDays": 30},
                "ArnNotEquals": {"aws:PrincipalArn": "arn:aws:iam::1:role/Admin"}
            }),
            true,
        )
        .unwrap();
        let texts: Vec<String> = conds.iter().map(|x| x.check(&c).to_string()).collect();
        assert_eq!(
            texts,
            [
                "NumericLessThan kms:ScheduleKeyDeletionPendingWindowInDays holds: expected < [`30`] got [`7`]",
                "ArnNotEquals aws:PrincipalArn holds: expected none of [`arn:aws:iam::1:role/Admin`] got [`arn:aws:iam::1:user/a`]",
            ]
        );
    }
}
