//! botocore-style parameter validation of a request against the operation's model.

use serde_json::{Map, Value};

use crate::error::CliError;
use crate::model::{Operation, Shape};

/// botocore-style parameter validation: required members, unknown members and value types, with
/// paths like `Tags[0]`.
pub(super) fn validate_required(
    op_name: &str,
    input: &Map<String, Value>,
    op: &Operation,
) -> Result<(), CliError> {
    let _ = op_name;
    let mut problems = Vec::new();
    let valid: Vec<&str> = op.member_names().collect();
    for (name, v) in input {
        match op.member(name) {
            Some(shape) => check(&shape, v, name, &mut problems),
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

fn check(shape: &Shape, v: &Value, path: &str, problems: &mut Vec<String>) {
    let expected = match (shape, v) {
        (Shape::Structure { members, required }, Value::Object(m)) => {
            for r in required {
                if !m.contains_key(r) {
                    problems.push(format!("Missing required parameter in {path}: \"{r}\""));
                }
            }
            for (k, x) in m {
                match members.get(k) {
                    Some(s) => check(s, x, &format!("{path}.{k}"), problems),
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
        (Shape::List { member }, Value::Array(items)) => {
            for (i, x) in items.iter().enumerate() {
                check(member, x, &format!("{path}[{i}]"), problems);
            }
            return;
        }
        (Shape::Map { value, .. }, Value::Object(m)) => {
            for (k, x) in m {
                check(value, x, &format!("{path}.{k}"), problems);
            }
            return;
        }
        (Shape::String { .. } | Shape::Blob, Value::String(_))
        | (Shape::Boolean, Value::Bool(_))
        | (Shape::Timestamp, Value::String(_) | Value::Number(_)) => return,
        (Shape::Integer | Shape::Long, Value::Number(n)) if !n.is_f64() => return,
        (Shape::Double | Shape::Float, Value::Number(_)) => return,
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
