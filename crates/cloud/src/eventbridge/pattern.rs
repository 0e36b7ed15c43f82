//! Event patterns: validated on `PutRule`, matched against events
//! (<https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html>).
//!
//! The lab models the documented subset: exact values (strings, numbers, booleans, `null`),
//! `prefix`, `suffix`, `equals-ignore-case`, `anything-but` (a value, a list, or a `prefix`),
//! `exists` and `numeric` ranges, on any field (`source`, `detail-type`, `detail.…`). A pattern
//! field's value is an object (a nested field) or a non-empty array of matchers; an event
//! field holding an array matches when any element does.

use serde_json::{Map, Value};

/// Why a pattern is not valid: the `Reason` of AWS's `InvalidEventPatternException`.
pub(crate) fn validate(text: &str) -> Result<Value, String> {
    let pattern: Value = serde_json::from_str(text)
        .map_err(|e| format!("Unrecognized token: {e}"))?;
    let Value::Object(fields) = &pattern else {
        return Err("Filter is not an object".into());
    };
    validate_object(fields)?;
    Ok(pattern)
}

fn validate_object(fields: &Map<String, Value>) -> Result<(), String> {
    if fields.is_empty() {
        return Err("Empty objects are not allowed".into());
    }
    for (key, value) in fields {
        match value {
            Value::Object(nested) => validate_object(nested)?,
            Value::Array(matchers) => {
                if matchers.is_empty() {
                    return Err("Empty arrays are not allowed".into());
                }
                for m in matchers {
                    validate_matcher(m)?;
                }
            }
            _ => return Err(format!("\"{key}\" must be an object or an array")),
        }
    }
    Ok(())
}

fn validate_matcher(m: &Value) -> Result<(), String> {
    let Value::Object(rule) = m else {
        return if m.is_array() {
            Err("Match value must be String, number, true, false, or null".into())
        } else {
            Ok(())
        };
    };
    let (kind, arg) = match rule.iter().next() {
        Some(pair) if rule.len() == 1 => pair,
        _ => return Err("Only one key allowed in match expression".into()),
    };
    match kind.as_str() {
        "prefix" | "suffix" | "equals-ignore-case" => {
            if !arg.is_string() {
                return Err(format!("{kind} match pattern must be a string"));
            }
        }
        "exists" => {
            if !arg.is_boolean() {
                return Err("exists match pattern must be either true or false.".into());
            }
        }
        "anything-but" => match arg {
            Value::Object(inner)
                if !(inner.len() == 1 && inner.get("prefix").is_some_and(Value::is_string)) =>
            {
                return Err(
                    "Value of anything-but must be an array or single string/number value.".into(),
                );
            }
            Value::Array(items) if items.is_empty() => {
                return Err("Empty arrays are not allowed".into());
            }
            _ => {}
        },
        "numeric" => validate_numeric(arg)?,
        other => return Err(format!("Unrecognized match type {other}")),
    }
    Ok(())
}

fn validate_numeric(arg: &Value) -> Result<(), String> {
    let Value::Array(parts) = arg else {
        return Err("Value of numeric must be an array.".into());
    };
    if parts.is_empty() || parts.len() % 2 != 0 || parts.len() > 4 {
        return Err("Bad numeric range operator".into());
    }
    for pair in parts.chunks(2) {
        let (op, n) = match pair {
            [op, n] => (op, n),
            _ => return Err("Bad numeric range operator".into()),
        };
        if !matches!(op.as_str(), Some("<" | "<=" | "=" | ">" | ">=")) {
            return Err(format!("Unrecognized numeric range operator: {op}"));
        }
        if !n.is_number() {
            return Err("Value of numeric must be a number".into());
        }
    }
    Ok(())
}

/// Whether `event` matches `pattern` (a validated pattern).
pub(crate) fn matches(pattern: &Value, event: &Value) -> bool {
    let Value::Object(fields) = pattern else {
        return false;
    };
    fields.iter().all(|(key, want)| {
        let got = event.get(key);
        match want {
            Value::Object(_) => got.is_some_and(|g| matches(want, g)),
            Value::Array(matchers) => matchers.iter().any(|m| field_matches(m, got)),
            _ => false,
        }
    })
}

/// One matcher against an event field (absent: `None`; an array: any element).
fn field_matches(m: &Value, got: Option<&Value>) -> bool {
    if let Some(Value::Object(rule)) = Some(m)
        && let Some(Value::Bool(want)) = rule.get("exists")
    {
        return got.is_some() == *want;
    }
    if let Some(rule) = m.as_object()
        && rule.contains_key("anything-but")
    {
        // anything-but matches only present values, and for an array, none may be excluded.
        return match got {
            None => false,
            Some(Value::Array(items)) => items.iter().all(|v| value_matches(m, v)),
            Some(v) => value_matches(m, v),
        };
    }
    match got {
        None => false,
        Some(Value::Array(items)) => items.iter().any(|v| value_matches(m, v)),
        Some(v) => value_matches(m, v),
    }
}

fn same(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

fn value_matches(m: &Value, v: &Value) -> bool {
    let Value::Object(rule) = m else {
        return same(m, v);
    };
    let Some((kind, arg)) = rule.iter().next() else {
        return false;
    };
    let text = v.as_str();
    match kind.as_str() {
        "prefix" => text.zip(arg.as_str()).is_some_and(|(t, p)| t.starts_with(p)),
        "suffix" => text.zip(arg.as_str()).is_some_and(|(t, s)| t.ends_with(s)),
        "equals-ignore-case" => text
            .zip(arg.as_str())
            .is_some_and(|(t, s)| t.eq_ignore_ascii_case(s)),
        "anything-but" => match arg {
            Value::Array(items) => !items.iter().any(|i| same(i, v)),
            Value::Object(inner) => match inner.get("prefix").and_then(Value::as_str) {
                Some(p) => !text.is_some_and(|t| t.starts_with(p)),
                None => false,
            },
            other => !same(other, v),
        },
        "numeric" => {
            let Some(n) = v.as_f64() else {
                return false;
            };
            arg.as_array().is_some_and(|parts| {
                parts.chunks(2).all(|pair| match pair {
                    [op, bound] => {
                        let b = bound.as_f64().unwrap_or(f64::NAN);
                        match op.as_str() {
                            Some("<") => n < b,
                            Some("<=") => n <= b,
                            Some("=") => n == b,
                            Some(">") => n > b,
                            Some(">=") => n >= b,
                            _ => false,
                        }
                    }
                    _ => false,
                })
            })
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{matches, validate};

    fn ok(p: &str) -> serde_json::Value {
        validate(p).unwrap()
    }

    #[test]
    fn the_documented_subset_matches() {
        let ev = json!({
            "source": "aws.kms", "detail-type": "KMS CMK Deletion",
            "detail": { "key-id": "abc", "n": 5, "tags": ["a", "b"] }
        });
        assert!(matches(&ok(r#"{"source":["aws.kms"]}"#), &ev));
        assert!(!matches(&ok(r#"{"source":["aws.s3"]}"#), &ev));
        assert!(matches(&ok(r#"{"detail-type":[{"prefix":"KMS CMK"}]}"#), &ev));
        assert!(matches(&ok(r#"{"detail-type":[{"anything-but":"KMS CMK Rotation"}]}"#), &ev));
        assert!(!matches(&ok(r#"{"detail-type":[{"anything-but":["KMS CMK Deletion"]}]}"#), &ev));
        assert!(matches(&ok(r#"{"detail":{"key-id":[{"exists":true}]}}"#), &ev));
        assert!(matches(&ok(r#"{"detail":{"gone":[{"exists":false}]}}"#), &ev));
        assert!(matches(&ok(r#"{"detail":{"n":[{"numeric":[">",0,"<=",5]}]}}"#), &ev));
        assert!(!matches(&ok(r#"{"detail":{"n":[{"numeric":["<",5]}]}}"#), &ev));
        assert!(matches(&ok(r#"{"detail":{"tags":["b"]}}"#), &ev));
        assert!(matches(&ok(r#"{"source":[{"equals-ignore-case":"AWS.KMS"}]}"#), &ev));
    }

    #[test]
    fn bad_patterns_say_why() {
        assert_eq!(
            validate(r#"{"source":"aws.kms"}"#).unwrap_err(),
            "\"source\" must be an object or an array"
        );
        assert_eq!(
            validate(r#"{"source":[]}"#).unwrap_err(),
            "Empty arrays are not allowed"
        );
        assert_eq!(
            validate(r#"{"detail":{}}"#).unwrap_err(),
            "Empty objects are not allowed"
        );
        assert!(validate(r#"{"source":[{"fuzzy":"x"}]}"#).is_err());
        assert!(validate("[1]").is_err());
        assert!(validate("{nope").is_err());
    }
}
