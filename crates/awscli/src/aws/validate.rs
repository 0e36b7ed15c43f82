//! botocore-style parameter validation of a request against the operation's model.

use serde::Deserialize as _;
use serde_json::{Map, Value};

use crate::error::CliError;
use crate::model::{Operation, Shape};

/// botocore's `ParamValidator`: required members, unknown members, value types and the model's
/// `min` (lengths of strings, blobs, lists and maps; values of numbers), with paths like
/// `Tags[0].TagKey`. Like botocore it leaves `max`, patterns and enums to the service, so a
/// request that fails here is never sent (no CloudTrail event).
pub(super) fn validate_required(
    op_name: &str,
    input: &Map<String, Value>,
    op: &Operation,
) -> Result<(), CliError> {
    let _ = op_name;
    let mut problems = Vec::new();
    let valid: Vec<&str> = op.member_names().collect();
    for (name, v) in input {
        match op.members.get(name) {
            Some(desc) => check(desc, v, name, &mut problems),
            None => problems.push(format!(
                "Unknown parameter in input: \"{name}\", must be one of: {}",
                valid.join(", ")
            )),
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(CliError::ParamValidation(format!(
            "\nParameter validation failed:\n{}",
            problems.join("\n")
        )))
    }
}

fn python_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "<class 'NoneType'>",
        Value::Bool(_) => "<class 'bool'>",
        Value::Number(n) if n.is_f64() => "<class 'float'>",
        Value::Number(_) => "<class 'int'>",
        Value::String(_) => "<class 'str'>",
        Value::Array(_) => "<class 'list'>",
        Value::Object(_) => "<class 'dict'>",
    }
}

/// botocore's `min` checks: `Invalid length for parameter …, valid min length: N` for strings,
/// blobs, lists and maps, `Invalid value for parameter …, valid min value: N` for numbers.
fn check_min(desc: &Value, shape: &Shape, v: &Value, path: &str, problems: &mut Vec<String>) {
    let Some(min) = desc.get("min").and_then(Value::as_f64) else {
        return;
    };
    let length = match (shape, v) {
        // A blob reaches the validator as base64 text: its length is the decoded length.
        (Shape::Blob, Value::String(s)) => {
            use base64::Engine as _;
            base64::engine::general_purpose::STANDARD
                .decode(s)
                .map_or(s.len(), |b| b.len())
        }
        (_, Value::String(s)) => s.chars().count(),
        (_, Value::Array(a)) => a.len(),
        (_, Value::Object(m)) => m.len(),
        (_, Value::Number(n)) => {
            if n.as_f64().is_some_and(|x| x < min) {
                problems.push(format!(
                    "Invalid value for parameter {path}, value: {n}, valid min value: {min}"
                ));
            }
            return;
        }
        _ => return,
    };
    if (length as f64) < min {
        problems.push(format!(
            "Invalid length for parameter {path}, value: {length}, valid min length: {min}"
        ));
    }
}

fn check(desc: &Value, v: &Value, path: &str, problems: &mut Vec<String>) {
    let Ok(shape) = Shape::deserialize(desc) else {
        return;
    };
    let expected = match (&shape, v) {
        (Shape::Structure { members, required }, Value::Object(m)) => {
            for r in required {
                if !m.contains_key(r) {
                    problems.push(format!("Missing required parameter in {path}: \"{r}\""));
                }
            }
            let member_descs = desc.get("members");
            for (k, x) in m {
                match member_descs.and_then(|d| d.get(k)) {
                    Some(d) => check(d, x, &format!("{path}.{k}"), problems),
                    None => {
                        let valid: Vec<&str> = members.keys().map(String::as_str).collect();
                        problems.push(format!(
                            "Unknown parameter in {path}: \"{k}\", must be one of: {}",
                            valid.join(", ")
                        ));
                    }
                }
            }
            return;
        }
        (Shape::List { .. }, Value::Array(items)) => {
            check_min(desc, &shape, v, path, problems);
            if let Some(item) = desc.get("member") {
                for (i, x) in items.iter().enumerate() {
                    check(item, x, &format!("{path}[{i}]"), problems);
                }
            }
            return;
        }
        (Shape::Map { .. }, Value::Object(m)) => {
            check_min(desc, &shape, v, path, problems);
            if let Some(value) = desc.get("value") {
                for (k, x) in m {
                    check(value, x, &format!("{path}.{k}"), problems);
                }
            }
            return;
        }
        (Shape::String { .. } | Shape::Blob, Value::String(_)) => {
            check_min(desc, &shape, v, path, problems);
            return;
        }
        (Shape::Boolean, Value::Bool(_))
        | (Shape::Timestamp, Value::String(_) | Value::Number(_)) => return,
        (Shape::Integer | Shape::Long, Value::Number(n)) if !n.is_f64() => {
            check_min(desc, &shape, v, path, problems);
            return;
        }
        (Shape::Double | Shape::Float, Value::Number(_)) => {
            check_min(desc, &shape, v, path, problems);
            return;
        }
        (Shape::Structure { .. } | Shape::Map { .. }, _) => "<class 'dict'>",
        (Shape::List { .. }, _) => "<class 'list'>, <class 'tuple'>",
        (Shape::Integer | Shape::Long, _) => "<class 'int'>",
        (Shape::Double | Shape::Float, _) => {
            "<class 'float'>, <class 'decimal.Decimal'>, <class 'int'>"
        }
        (Shape::Boolean, _) => "<class 'bool'>",
        (Shape::String { .. }, _) => "<class 'str'>",
        (Shape::Blob, _) => "<class 'bytes'>, <class 'bytearray'>, file-like object",
        (Shape::Timestamp, _) => "<class 'datetime.datetime'>, <class 'str'>",
    };
    problems.push(format!(
        "Invalid type for parameter {path}, value: {}, type: {}, valid types: {expected}",
        crate::output::py_str(v),
        python_type(v)
    ));
}
