//! Option values to JSON for their shape, as aws-cli converts them: `file://` and `fileb://`
//! parameter files, base64 blobs (or raw text with `--cli-binary-format raw-in-base64-out`),
//! JSON for containers, shorthand otherwise, and typed scalars.

use base64::Engine as _;
use serde_json::{Map, Value};

use super::Globals;
use crate::error::CliError;
use crate::fs::FileSystem;
use crate::model::Shape;
use crate::shorthand;

/// `file://` → text, `fileb://` → bytes (as latin-1-free UTF-8 text for non-blob params).
/// Returns `None` when the value is not a file reference.
pub(super) fn load_param_file(
    value: &str,
    param: &str,
    fs: &dyn FileSystem,
) -> Result<Option<String>, CliError> {
    let (path, _binary) = if let Some(p) = value.strip_prefix("fileb://") {
        (p, true)
    } else if let Some(p) = value.strip_prefix("file://") {
        (p, false)
    } else {
        return Ok(None);
    };
    let bytes = fs
        .read(path)
        .map_err(|e| param_file_error(param, value, &e))?;
    String::from_utf8(bytes).map(Some).map_err(|_| {
        CliError::Other(format!(
            "Error parsing parameter '{param}': Unable to load paramfile {value}: 'utf-8' codec can't decode the file's bytes (use fileb:// for binary parameters)"
        ))
    })
}

pub(super) fn param_file_error(param: &str, value: &str, reason: &str) -> CliError {
    CliError::Other(format!(
        "Error parsing parameter '{param}': Unable to load paramfile {value}: {reason}"
    ))
}

pub(super) fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

/// Converts a top-level option's words to its JSON value.
pub(super) fn convert_top(
    param: &str,
    shape: &Shape,
    vals: &[String],
    g: &Globals,
    fs: &dyn FileSystem,
) -> Result<Value, CliError> {
    let first = vals.first().map(String::as_str).unwrap_or_default();
    // Blobs: fileb:// gives raw bytes; inline text is base64 (or raw with raw-in-base64-out).
    if matches!(shape, Shape::Blob) {
        if let Some(path) = first.strip_prefix("fileb://") {
            let bytes = fs
                .read(path)
                .map_err(|e| param_file_error(param, first, &e))?;
            return Ok(Value::String(b64().encode(bytes)));
        }
        let text = load_param_file(first, param, fs)?.unwrap_or_else(|| first.to_owned());
        return blob_from_text(&text, g.raw_in_base64_out);
    }
    match shape {
        Shape::List { member } => {
            if vals.len() == 1 {
                let text = load_param_file(first, param, fs)?.unwrap_or_else(|| first.to_owned());
                if text.trim_start().starts_with('[') {
                    return parse_json(param, &text);
                }
                return Ok(Value::Array(vec![convert_item(param, member, &text, g)?]));
            }
            let mut out = Vec::new();
            for v in vals {
                let text = load_param_file(v, param, fs)?.unwrap_or_else(|| v.clone());
                out.push(convert_item(param, member, &text, g)?);
            }
            Ok(Value::Array(out))
        }
        _ => {
            let text = load_param_file(first, param, fs)?.unwrap_or_else(|| first.to_owned());
            convert_item(param, shape, &text, g)
        }
    }
}

/// One textual value for a shape: JSON for `{...}` / `[...]` containers, shorthand otherwise.
fn convert_item(param: &str, shape: &Shape, text: &str, g: &Globals) -> Result<Value, CliError> {
    match shape {
        Shape::Structure { .. } | Shape::Map { .. } => {
            if text.trim_start().starts_with('{') {
                return parse_json(param, text);
            }
            let parsed = shorthand::parse(text).map_err(|e| {
                CliError::ParamValidation(format!("Error parsing parameter '{param}': {e}"))
            })?;
            from_shorthand(param, shape, &parsed, g)
        }
        Shape::List { member } => {
            if text.trim_start().starts_with('[') {
                return parse_json(param, text);
            }
            Ok(Value::Array(vec![convert_item(param, member, text, g)?]))
        }
        scalar => scalar_value(param, scalar, text, g),
    }
}

fn parse_json(param: &str, text: &str) -> Result<Value, CliError> {
    serde_json::from_str(text).map_err(|e| {
        CliError::ParamValidation(format!(
            "Error parsing parameter '{param}': Invalid JSON: {e}\nJSON received: {text}"
        ))
    })
}

fn blob_from_text(text: &str, raw: bool) -> Result<Value, CliError> {
    if raw {
        return Ok(Value::String(b64().encode(text.as_bytes())));
    }
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    match b64().decode(compact.as_bytes()) {
        Ok(bytes) => Ok(Value::String(b64().encode(bytes))),
        Err(_) => Err(CliError::Other(format!("\nInvalid base64: \"{text}\"\n"))),
    }
}

fn scalar_value(param: &str, shape: &Shape, text: &str, g: &Globals) -> Result<Value, CliError> {
    match shape {
        Shape::Integer | Shape::Long => text.trim().parse::<i64>().map(Value::from).map_err(|_| {
            CliError::ParamValidation(format!(
                "\nParameter validation failed:\nInvalid type for parameter {}, value: {text}, type: <class 'str'>, valid types: <class 'int'>",
                param.trim_start_matches('-')
            ))
        }),
        Shape::Double | Shape::Float => text
            .trim()
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| CliError::ParamValidation(format!("Error parsing parameter '{param}': invalid number: {text}"))),
        Shape::Boolean => match text.trim().to_ascii_lowercase().as_str() {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(CliError::ParamValidation(format!(
                "Error parsing parameter '{param}': invalid boolean value: '{text}'"
            ))),
        },
        Shape::Timestamp => crate::time::parse_timestamp(text)
            .map(|ms| {
                serde_json::Number::from_f64(ms as f64 / 1000.0).map_or(Value::from(ms / 1000), Value::Number)
            })
            .ok_or_else(|| CliError::ParamValidation(format!("Error parsing parameter '{param}': Invalid timestamp: {text}"))),
        Shape::Blob => blob_from_text(text, g.raw_in_base64_out),
        _ => Ok(Value::String(text.to_owned())),
    }
}

fn from_shorthand(
    param: &str,
    shape: &Shape,
    v: &shorthand::Value,
    g: &Globals,
) -> Result<Value, CliError> {
    use shorthand::Value as S;
    match (shape, v) {
        (Shape::Structure { members, .. }, S::Map(pairs)) => {
            let mut out = Map::new();
            for (k, val) in pairs {
                let Some(ms) = members.get(k) else {
                    // Reported with its path by `validate`, as botocore does.
                    out.insert(k.clone(), shorthand_json(val));
                    continue;
                };
                out.insert(k.clone(), from_shorthand(param, ms, val, g)?);
            }
            Ok(Value::Object(out))
        }
        (Shape::Map { value, .. }, S::Map(pairs)) => {
            let mut out = Map::new();
            for (k, val) in pairs {
                out.insert(k.clone(), from_shorthand(param, value, val, g)?);
            }
            Ok(Value::Object(out))
        }
        (Shape::List { member }, S::List(items)) => items
            .iter()
            .map(|i| from_shorthand(param, member, i, g))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        (Shape::List { member }, single) => Ok(Value::Array(vec![from_shorthand(
            param, member, single, g,
        )?])),
        (scalar, S::Str(s)) if scalar.is_scalar() => scalar_value(param, scalar, s, g),
        (shape, _) => Err(CliError::ParamValidation(format!(
            "Error parsing parameter '{param}': expected a {} value",
            shape.type_name()
        ))),
    }
}

fn shorthand_json(v: &shorthand::Value) -> Value {
    match v {
        shorthand::Value::Str(s) => Value::String(s.clone()),
        shorthand::Value::List(items) => Value::Array(items.iter().map(shorthand_json).collect()),
        shorthand::Value::Map(pairs) => Value::Object(
            pairs
                .iter()
                .map(|(k, v)| (k.clone(), shorthand_json(v)))
                .collect(),
        ),
    }
}
