//! Parsing a `Condition` element into conditions whose values are typed up front.

use serde_json::Value;

use super::values::{Cidr, Values, decode_base64, parse_bool, parse_number};
use super::{Condition, ConditionOperator, OperatorKind};
use crate::datetime;
use crate::error::Problem;
use crate::glob::Template;

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
