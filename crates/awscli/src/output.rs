//! aws-cli v2 output: `json`, `text`, `table`, `yaml`, `yaml-stream` and `off`, after `--query`.
//!
//! Each formatter follows aws-cli's Python implementation (`formatter.py`, `text.py`,
//! `table.py`) closely enough that the output is byte-identical for the shapes KMS, IAM, STS and
//! CloudTrail return.

//!
//! One formatter per file: `text`, `table` and `yaml/`; this file holds the formats, `json`,
//! and the response post-processing (timestamps, `--query`).

use serde_json::Value;

mod table;
mod text;
mod yaml;

pub use table::table;
pub use text::text;
pub use yaml::{yaml, yaml_stream};

/// The `--output` formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Pretty-printed JSON with 4-space indentation.
    Json,
    /// Tab-separated text.
    Text,
    /// Boxed tables titled with the operation name.
    Table,
    /// YAML in block style (`ruamel.yaml`'s safe dumper, as aws-cli v2 uses it).
    Yaml,
    /// Each response page as a YAML list item, printed as the pages arrive.
    YamlStream,
    /// Nothing on standard output (errors still go to standard error).
    Off,
}

impl Format {
    /// Parses an `--output` value.
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "json" => Some(Format::Json),
            "text" => Some(Format::Text),
            "table" => Some(Format::Table),
            "yaml" => Some(Format::Yaml),
            "yaml-stream" => Some(Format::YamlStream),
            "off" => Some(Format::Off),
            _ => None,
        }
    }
}

/// Renders a (queried) response. `title` is the operation name used by `table`. For
/// `yaml-stream` the response is one page of an operation that is not paginated (see
/// [`yaml_stream`] for pages).
pub fn render(format: Format, title: &str, value: &Value, width: usize) -> String {
    match format {
        Format::Json => json(value),
        Format::Text => text(value),
        Format::Table => table(title, value, width),
        Format::Yaml => yaml(value),
        Format::YamlStream => yaml_stream(std::slice::from_ref(value), false),
        Format::Off => String::new(),
    }
}

/// `json.dumps(value, indent=4, ensure_ascii=False)` plus a newline; nothing for `{}`.
pub fn json(value: &Value) -> String {
    if value.as_object().is_some_and(serde_json::Map::is_empty) {
        return String::new();
    }
    let mut out = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut out, fmt);
    if serde::Serialize::serialize(value, &mut ser).is_err() {
        return String::new();
    }
    let mut s = String::from_utf8_lossy(&out).into_owned();
    s.push('\n');
    s
}

/// Python's `str()` of a JSON scalar as aws-cli prints it.
pub fn py_str(v: &Value) -> String {
    match v {
        Value::Null => "None".to_owned(),
        Value::Bool(true) => "True".to_owned(),
        Value::Bool(false) => "False".to_owned(),
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        other => other.to_string(),
    }
}

pub(super) fn is_scalar(v: &Value) -> bool {
    !matches!(v, Value::Array(_) | Value::Object(_))
}

// ---------------------------------------------------------------- response post-processing

/// Rewrites timestamps in members named in `names` as ISO 8601 strings, the way aws-cli v2
/// prints them (`cli_timestamp_format = iso8601`): epoch seconds (the JSON protocols) and ISO
/// 8601 text (the query and REST-XML protocols: EC2, RDS, S3) alike.
pub fn format_timestamps(value: &mut Value, names: &[String]) {
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if names.iter().any(|x| x == k) {
                    let ms = match v {
                        Value::Number(n) => n.as_f64().map(|secs| (secs * 1000.0).round() as i64),
                        Value::String(s) if s.contains('T') => crate::time::parse_timestamp(s),
                        _ => None,
                    };
                    if let Some(ms) = ms {
                        *v = Value::String(crate::time::iso8601(ms));
                        continue;
                    }
                }
                format_timestamps(v, names);
            }
        }
        Value::Array(list) => list.iter_mut().for_each(|v| format_timestamps(v, names)),
        _ => {}
    }
}

/// Applies a JMESPath expression. The `jmespath` crate returns objects with sorted keys;
/// objects that come from the response get the response's key order back.
pub fn apply_query(expr: &jmespath::Expression<'_>, value: &Value) -> Result<Value, String> {
    let result = expr.search(value.clone()).map_err(|e| e.to_string())?;
    let mut out = serde_json::to_value(&*result).map_err(|e| e.to_string())?;
    let mut orders: Vec<Vec<String>> = Vec::new();
    collect_key_orders(value, &mut orders);
    restore_order(&mut out, &orders);
    Ok(out)
}

fn collect_key_orders(v: &Value, orders: &mut Vec<Vec<String>>) {
    match v {
        Value::Object(m) => {
            let keys: Vec<String> = m.keys().cloned().collect();
            if !orders.contains(&keys) {
                orders.push(keys);
            }
            m.values().for_each(|x| collect_key_orders(x, orders));
        }
        Value::Array(a) => a.iter().for_each(|x| collect_key_orders(x, orders)),
        _ => {}
    }
}

fn restore_order(v: &mut Value, orders: &[Vec<String>]) {
    match v {
        Value::Object(m) => {
            m.values_mut().for_each(|x| restore_order(x, orders));
            if let Some(order) = orders.iter().find(|o| m.keys().all(|k| o.contains(k))) {
                let mut entries: Vec<(String, Value)> = std::mem::take(m).into_iter().collect();
                entries.sort_by_key(|(k, _)| order.iter().position(|o| o == k));
                m.extend(entries);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| restore_order(x, orders)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::table::round_half_even;
    use super::*;

    fn describe_key() -> Value {
        json!({"KeyMetadata": {
            "AWSAccountId": "111122223333",
            "KeyId": "1234abcd-12ab-34cd-56ef-1234567890ab",
            "Arn": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "CreationDate": "2026-11-22T20:00:59.123000+00:00",
            "Enabled": true,
            "Description": "",
            "KeyUsage": "ENCRYPT_DECRYPT",
            "KeyState": "Enabled",
            "Origin": "AWS_KMS",
            "KeyManager": "CUSTOMER",
            "CustomerMasterKeySpec": "SYMMETRIC_DEFAULT",
            "KeySpec": "SYMMETRIC_DEFAULT",
            "EncryptionAlgorithms": ["SYMMETRIC_DEFAULT"],
            "MultiRegion": false
        }})
    }

    fn list_keys() -> Value {
        json!({"Keys": [
            {"KeyId": "1234abcd-12ab-34cd-56ef-1234567890ab", "KeyArn": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"},
            {"KeyId": "0987dcba-09fe-87dc-65ba-ab0987654321", "KeyArn": "arn:aws:kms:us-east-1:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321"}
        ], "Truncated": false})
    }

    #[test]
    fn json_is_four_space_indented() {
        insta::assert_snapshot!(json(&describe_key()));
        assert_eq!(json(&json!({})), "");
        assert_eq!(json(&json!("x")), "\"x\"\n");
        assert_eq!(
            json(&json!({"A": [], "B": {}})),
            "{\n    \"A\": [],\n    \"B\": {}\n}\n"
        );
        assert_eq!(json(&json!({"E": "é"})), "{\n    \"E\": \"é\"\n}\n");
    }

    #[test]
    fn text_follows_aws_cli_rules() {
        insta::assert_snapshot!("text_describe_key", text(&describe_key()));
        insta::assert_snapshot!("text_list_keys", text(&list_keys()));
        assert_eq!(text(&json!("abc")), "abc\n");
        assert_eq!(text(&json!(["a", "b"])), "a\tb\n");
        assert_eq!(text(&json!(null)), "None\n");
        assert_eq!(
            text(&json!({"Grants": [{"Operations": ["Encrypt", "Decrypt"], "GrantId": "g1"}]})),
            "GRANTS\tg1\nOPERATIONS\tEncrypt\nOPERATIONS\tDecrypt\n"
        );
        assert_eq!(text(&json!({})), "");
    }

    #[test]
    fn table_follows_aws_cli_layout() {
        insta::assert_snapshot!(
            "table_describe_key",
            table("DescribeKey", &describe_key(), 80)
        );
        insta::assert_snapshot!("table_list_keys", table("ListKeys", &list_keys(), 80));
        insta::assert_snapshot!(
            "table_caller_identity",
            table(
                "GetCallerIdentity",
                &json!({"UserId": "AIDAEXAMPLE", "Account": "111122223333", "Arn": "arn:aws:iam::111122223333:user/Admin"}),
                80
            )
        );
        insta::assert_snapshot!("table_scalar", table("DescribeKey", &json!("alias/x"), 80));
        assert_eq!(table("X", &json!({}), 80), "");
    }

    #[test]
    fn python_rounding() {
        assert_eq!(round_half_even(2.5), 2);
        assert_eq!(round_half_even(3.5), 4);
        assert_eq!(round_half_even(3.4), 3);
    }

    #[test]
    fn timestamps_become_iso() {
        let mut v =
            json!({"KeyMetadata": {"CreationDate": 1795377659.123, "KeyId": "k"}, "Other": 5});
        format_timestamps(&mut v, &["CreationDate".to_owned()]);
        assert_eq!(
            v["KeyMetadata"]["CreationDate"],
            "2026-11-22T20:00:59.123000+00:00"
        );
        assert_eq!(v["Other"], 5);
    }

    #[test]
    fn query_keeps_response_order() {
        let e = jmespath::compile("KeyMetadata").unwrap();
        let out = apply_query(&e, &describe_key()).unwrap();
        let keys: Vec<&String> = out.as_object().unwrap().keys().collect();
        assert_eq!(keys.first().unwrap().as_str(), "AWSAccountId");
        assert_eq!(keys.get(1).unwrap().as_str(), "KeyId");
        let e = jmespath::compile("Keys[].KeyId").unwrap();
        assert_eq!(
            apply_query(&e, &list_keys()).unwrap(),
            json!([
                "1234abcd-12ab-34cd-56ef-1234567890ab",
                "0987dcba-09fe-87dc-65ba-ab0987654321"
            ])
        );
        let e = jmespath::compile("length(Keys)").unwrap();
        assert_eq!(apply_query(&e, &list_keys()).unwrap(), json!(2));
        let e = jmespath::compile("Keys[?starts_with(KeyId, '09')].KeyArn | [0]").unwrap();
        assert_eq!(
            apply_query(&e, &list_keys()).unwrap(),
            json!("arn:aws:kms:us-east-1:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321")
        );
    }
}
