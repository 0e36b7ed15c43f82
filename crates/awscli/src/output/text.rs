//! aws-cli's `text` format (`awscli/text.py`).

use serde_json::Value;

use super::{is_scalar, py_str};

/// aws-cli's `text` format (`awscli/text.py`).
pub fn text(value: &Value) -> String {
    let mut out = String::new();
    format_text(value, &mut out, None, None);
    out
}

fn format_text(
    item: &Value,
    out: &mut String,
    identifier: Option<&str>,
    scalar_keys: Option<&[String]>,
) {
    match item {
        Value::Object(map) => format_dict(scalar_keys, map, identifier, out),
        Value::Array(list) => format_list(list, identifier, out),
        other => {
            out.push_str(&py_str(other));
            out.push('\n');
        }
    }
}

fn format_list(list: &[Value], identifier: Option<&str>, out: &mut String) {
    if list.is_empty() {
        return;
    }
    if list.iter().any(Value::is_object) {
        let keys = all_scalar_keys(list);
        for el in list {
            format_text(el, out, identifier, Some(&keys));
        }
    } else if list.iter().any(Value::is_array) {
        let (scalars, others): (Vec<&Value>, Vec<&Value>) = list.iter().partition(|v| is_scalar(v));
        if !scalars.is_empty() {
            format_scalar_list(&scalars, identifier, out);
        }
        for el in others {
            format_text(el, out, identifier, None);
        }
    } else {
        let all: Vec<&Value> = list.iter().collect();
        format_scalar_list(&all, identifier, out);
    }
}

fn format_scalar_list(elements: &[&Value], identifier: Option<&str>, out: &mut String) {
    if let Some(id) = identifier {
        for el in elements {
            out.push_str(&format!("{}\t{}\n", id.to_uppercase(), py_str(el)));
        }
    } else {
        let parts: Vec<String> = elements.iter().map(|v| py_str(v)).collect();
        out.push_str(&parts.join("\t"));
        out.push('\n');
    }
}

fn format_dict(
    scalar_keys: Option<&[String]>,
    map: &serde_json::Map<String, Value>,
    identifier: Option<&str>,
    out: &mut String,
) {
    let mut scalars: Vec<String> = Vec::new();
    let mut non_scalars: Vec<(&str, &Value)> = Vec::new();
    match scalar_keys {
        None => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            for k in keys {
                if let Some(v) = map.get(k) {
                    if is_scalar(v) {
                        scalars.push(py_str(v));
                    } else {
                        non_scalars.push((k, v));
                    }
                }
            }
        }
        Some(keys) => {
            for k in keys {
                scalars.push(map.get(k).map(py_str).unwrap_or_default());
            }
            let mut rest: Vec<&String> = map.keys().filter(|k| !keys.contains(k)).collect();
            rest.sort();
            for k in rest {
                if let Some(v) = map.get(k) {
                    non_scalars.push((k, v));
                }
            }
        }
    }
    if !scalars.is_empty() {
        if let Some(id) = identifier {
            scalars.insert(0, id.to_uppercase());
        }
        out.push_str(&scalars.join("\t"));
        out.push('\n');
    }
    for (k, v) in non_scalars {
        format_text(v, out, Some(k), None);
    }
}

fn all_scalar_keys(list: &[Value]) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for item in list {
        if let Value::Object(m) = item {
            for (k, v) in m {
                if is_scalar(v) && !keys.contains(k) {
                    keys.push(k.clone());
                }
            }
        }
    }
    keys.sort();
    keys
}
