//! Evaluating a condition against a request, with the evidence of how it held or failed.

use std::fmt;
use std::net::IpAddr;

use super::values::{Values, decode_base64, parse_bool, parse_number};
use super::{Condition, ConditionOperator, OperatorKind, SetQualifier};
use crate::context::{RequestContext, write_list};
use crate::datetime;
use crate::glob::{Token, glob_match};

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
                match t.resolve_lazily(|| ctx, wildcards) {
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

    /// Whether this condition holds for the request: [`Condition::check`]'s `satisfied`,
    /// without the evidence.
    pub(crate) fn holds(&self, ctx: &RequestContext) -> bool {
        let got = ctx
            .get_lower(&self.key_lower)
            .filter(|v| !v.is_empty())
            .map(|v| v.as_slice());
        self.decide(got, ctx).0
    }

    /// Evaluates this condition against the request.
    pub(crate) fn check(&self, ctx: &RequestContext) -> ConditionCheck {
        let got = ctx
            .get_lower(&self.key_lower)
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
