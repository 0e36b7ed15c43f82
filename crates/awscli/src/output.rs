//! aws-cli v2 output: `json`, `text`, `table`, `yaml`, `yaml-stream` and `off`, after `--query`.
//!
//! Each formatter follows aws-cli's Python implementation (`formatter.py`, `text.py`,
//! `table.py`) closely enough that the output is byte-identical for the shapes KMS, IAM, STS and
//! CloudTrail return.

use serde_json::Value;

mod yaml;

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

fn is_scalar(v: &Value) -> bool {
    !matches!(v, Value::Array(_) | Value::Object(_))
}

// ---------------------------------------------------------------- text

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

// ---------------------------------------------------------------- table

#[derive(Debug, Default)]
struct Section {
    title: String,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    indent: usize,
    max_widths: Vec<usize>,
}

fn text_len(s: &str) -> usize {
    s.chars().count()
}

impl Section {
    fn update_widths(&mut self, row: &[String]) {
        if self.max_widths.is_empty() {
            self.max_widths = row.iter().map(|s| text_len(s)).collect();
        } else {
            for (i, el) in row.iter().enumerate() {
                if let Some(w) = self.max_widths.get_mut(i) {
                    *w = (*w).max(text_len(el));
                }
            }
        }
    }

    fn add_header(&mut self, headers: Vec<String>) {
        self.update_widths(&headers);
        self.headers = headers;
    }

    fn add_row(&mut self, row: Vec<String>) {
        self.update_widths(&row);
        self.rows.push(row);
    }

    /// Column widths scaled to `max_width` (Python's banker's rounding, then adjusted so the
    /// sum is exact).
    fn column_widths(&self, padding: usize, max_width: usize) -> Vec<usize> {
        let unscaled: Vec<usize> = self.max_widths.iter().map(|w| w + padding).collect();
        let total: usize = unscaled.iter().sum();
        if unscaled.is_empty() || total == 0 {
            return unscaled;
        }
        let factor = max_width as f64 / total as f64;
        let mut scaled: Vec<i64> = unscaled
            .iter()
            .map(|w| round_half_even(factor * *w as f64))
            .collect();
        let mut off_by: i64 = scaled.iter().sum::<i64>() - max_width as i64;
        let n = scaled.len();
        while off_by != 0 {
            let order: Vec<usize> = if off_by < 0 {
                (0..n).rev().collect()
            } else {
                (0..n).collect()
            };
            for i in order {
                if let Some(w) = scaled.get_mut(i) {
                    if off_by > 0 {
                        *w -= 1;
                        off_by -= 1;
                    } else {
                        *w += 1;
                        off_by += 1;
                    }
                }
                if off_by == 0 {
                    break;
                }
            }
        }
        scaled
            .into_iter()
            .map(|w| usize::try_from(w).unwrap_or(0))
            .collect()
    }

    fn total_width(&self, padding: usize, outer: usize) -> usize {
        let total: usize =
            self.max_widths.iter().map(|w| w + padding).sum::<usize>() + 2 + 2 * outer;
        (text_len(&self.title) + 2 + 2 * outer).max(total)
    }
}

fn round_half_even(x: f64) -> i64 {
    let r = x.round();
    let v = if (x - x.trunc()).abs() == 0.5 {
        2.0 * (x / 2.0).round()
    } else {
        r
    };
    v as i64
}

fn spaces(n: i64) -> String {
    " ".repeat(usize::try_from(n).unwrap_or(0))
}

fn center_text(text: &str, length: usize, left: &str, right: &str) -> String {
    let tl = text_len(text) as i64;
    let length = length as i64;
    let char_start = length / 2 - tl / 2 - 1;
    let so_far = text_len(left) as i64 + char_start + tl;
    let right_spaces = length - text_len(right) as i64 - so_far;
    format!(
        "{left}{}{text}{}{right}",
        spaces(char_start),
        spaces(right_spaces)
    )
}

fn align_left(text: &str, length: usize, left: &str, right: &str) -> String {
    let so_far = text_len(left) as i64 + text_len(text) as i64 + 2;
    let right_spaces = length as i64 - text_len(right) as i64 - so_far;
    format!("{left}  {text}{}{right}", spaces(right_spaces))
}

#[derive(Debug, Default)]
struct Table {
    sections: Vec<Section>,
}

impl Table {
    fn current(&mut self) -> &mut Section {
        if self.sections.is_empty() {
            self.sections.push(Section::default());
        }
        let last = self.sections.len() - 1;
        // INVARIANT: non-empty (pushed above).
        &mut self.sections[last]
    }

    fn new_section(&mut self, title: &str, indent: usize) {
        self.sections.push(Section {
            title: title.to_owned(),
            indent,
            ..Section::default()
        });
    }

    fn build(&mut self, title: Option<&str>, current: &Value, indent: usize) -> bool {
        let empty = match current {
            Value::Null => true,
            Value::Bool(b) => !b,
            Value::String(s) => s.is_empty(),
            Value::Number(n) => n.as_f64() == Some(0.0),
            Value::Array(a) => a.is_empty(),
            Value::Object(o) => o.is_empty(),
        };
        if empty {
            return false;
        }
        if let Some(t) = title {
            self.new_section(t, indent);
        }
        match current {
            Value::Array(list) => {
                if list.first().is_some_and(Value::is_object) {
                    self.sub_table_from_list(list, indent, title.unwrap_or(""));
                } else {
                    for item in list {
                        match item {
                            Value::Array(inner) if inner.iter().all(is_scalar) => {
                                self.current().add_row(inner.iter().map(py_str).collect());
                            }
                            v if is_scalar(v) => self.current().add_row(vec![py_str(v)]),
                            other => {
                                self.build(None, other, 0);
                            }
                        }
                    }
                }
            }
            Value::Object(map) => self.sub_table_from_dict(map, indent),
            other => self.current().add_row(vec![py_str(other)]),
        }
        true
    }

    fn sub_table_from_dict(&mut self, map: &serde_json::Map<String, Value>, indent: usize) {
        let (headers, more) = group_scalar_keys(map);
        if headers.len() == 1 {
            let h = headers.first().cloned().unwrap_or_default();
            let v = map.get(&h).map(py_str).unwrap_or_default();
            self.current().add_row(vec![h, v]);
        } else if !headers.is_empty() {
            let row = headers
                .iter()
                .map(|h| map.get(h).map(py_str).unwrap_or_default())
                .collect();
            self.current().add_header(headers);
            self.current().add_row(row);
        }
        for k in more {
            if let Some(v) = map.get(&k) {
                self.build(Some(&k), v, indent + 1);
            }
        }
    }

    fn sub_table_from_list(&mut self, list: &[Value], indent: usize, title: &str) {
        let mut headers: Vec<String> = Vec::new();
        let mut more: Vec<String> = Vec::new();
        for item in list {
            if let Value::Object(m) = item {
                let (h, r) = group_scalar_keys(m);
                for x in h {
                    if !headers.contains(&x) {
                        headers.push(x);
                    }
                }
                for x in r {
                    if !more.contains(&x) {
                        more.push(x);
                    }
                }
            }
        }
        headers.sort();
        more.sort();
        self.current().add_header(headers.clone());
        let mut first = true;
        for el in list {
            if !first && !more.is_empty() {
                self.new_section(title, indent);
                self.current().add_header(headers.clone());
            }
            first = false;
            let obj = el.as_object();
            let row = headers
                .iter()
                .map(|h| obj.and_then(|m| m.get(h)).map(py_str).unwrap_or_default())
                .collect();
            self.current().add_row(row);
            for k in &more {
                if let Some(v) = obj.and_then(|m| m.get(k)) {
                    self.build(Some(k), v, indent + 1);
                }
            }
        }
    }

    fn max_width(&self) -> usize {
        self.sections
            .iter()
            .map(|s| s.total_width(4, s.indent))
            .max()
            .unwrap_or(0)
    }

    fn render(mut self, terminal_width: usize) -> String {
        let mut max_width = self.max_width();
        if max_width > terminal_width {
            for s in &mut self.sections {
                if s.rows.len() == 1 && !s.headers.is_empty() {
                    let row = s.rows.pop().unwrap_or_default();
                    let headers = std::mem::take(&mut s.headers);
                    s.max_widths.clear();
                    for (h, e) in headers.into_iter().zip(row) {
                        s.add_row(vec![h, e]);
                    }
                }
            }
            max_width = self.max_width();
        }
        let mut out = format!("{}\n", "-".repeat(max_width));
        for s in &self.sections {
            let mut lines: Vec<String> = Vec::new();
            let width = max_width.saturating_sub(s.indent * 2);
            if !s.title.is_empty() {
                lines.push(center_text(&s.title, width, "|", "|"));
                if s.headers.is_empty() && s.rows.is_empty() {
                    lines.push(format!("+{}+", "-".repeat(width.saturating_sub(2))));
                }
            }
            let widths = s.column_widths(4, width);
            if !s.headers.is_empty() {
                lines.push(line_break(&widths));
                let mut cur = String::new();
                for (i, (w, h)) in widths.iter().zip(&s.headers).enumerate() {
                    cur.push_str(&center_text(h, *w, if i == 0 { "|" } else { "" }, "|"));
                }
                lines.push(cur);
            }
            if !s.rows.is_empty() && !widths.is_empty() {
                lines.push(line_break(&widths));
                for row in &s.rows {
                    let mut cur = String::new();
                    for (i, (w, el)) in widths.iter().zip(row).enumerate() {
                        cur.push_str(&align_left(el, *w, if i == 0 { "|" } else { "" }, "|"));
                    }
                    lines.push(cur);
                }
                lines.push(line_break(&widths));
            }
            let edge = "|".repeat(s.indent);
            for l in lines {
                out.push_str(&format!("{edge}{l}{edge}\n"));
            }
        }
        out
    }
}

fn line_break(widths: &[usize]) -> String {
    let mut s = String::new();
    for (i, w) in widths.iter().enumerate() {
        if i == 0 {
            s.push_str(&format!("+{}+", "-".repeat(w.saturating_sub(2))));
        } else {
            s.push_str(&format!("{}+", "-".repeat(w.saturating_sub(1))));
        }
    }
    s
}

fn group_scalar_keys(map: &serde_json::Map<String, Value>) -> (Vec<String>, Vec<String>) {
    let mut headers: Vec<String> = Vec::new();
    let mut more: Vec<String> = Vec::new();
    for (k, v) in map {
        if is_scalar(v) {
            headers.push(k.clone());
        } else {
            more.push(k.clone());
        }
    }
    headers.sort();
    more.sort();
    (headers, more)
}

/// aws-cli's `table` format (`awscli/table.py` `MultiTable`), for a terminal `width` wide
/// (aws-cli uses 80 when output is not a terminal).
pub fn table(title: &str, value: &Value, width: usize) -> String {
    let mut t = Table::default();
    if !t.build(Some(title), value, 0) {
        return String::new();
    }
    t.render(width)
}

// ---------------------------------------------------------------- response post-processing

/// Rewrites numeric timestamps (epoch seconds) in members named in `names` as ISO 8601 strings,
/// the way aws-cli v2 prints them.
pub fn format_timestamps(value: &mut Value, names: &[String]) {
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if let Value::Number(n) = v
                    && names.iter().any(|x| x == k)
                {
                    if let Some(secs) = n.as_f64() {
                        *v = Value::String(crate::time::iso8601((secs * 1000.0).round() as i64));
                    }
                    continue;
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
