//! The documented output against the lab's: the same members (AWS's output shape), the same
//! types, and the same values where a value is not an id, a date, opaque bytes or a value the
//! documentation took from a differently set-up resource.

use serde_json::Value;

use super::doc::Doc;

/// What a comparison found.
#[derive(Debug, Default)]
pub struct Report {
    /// Differences that fail the example.
    pub failures: Vec<String>,
    /// Values compared equal.
    pub values_compared: usize,
    /// Documented values not compared (ids, dates, opaque data, errata, exemptions), with why.
    pub skipped: Vec<String>,
}

/// What the comparison needs to know beyond the two values.
pub struct Context<'a> {
    /// The data's errata: dotted path → reason.
    pub errata: &'a std::collections::BTreeMap<String, String>,
    /// Test-side exemptions for this example: dotted path → reason.
    pub exempt: &'a dyn Fn(&str) -> Option<&'static str>,
    /// Members aws-cli leaves out because it follows the pages itself (`Truncated`, `NextMarker`).
    pub not_printed: &'a [String],
}

/// Compares `doc` with `actual` under the operation's output `shape` (`model_shapes.json`).
pub fn compare(doc: &Doc, actual: &Value, shape: Option<&Value>, cx: &Context<'_>) -> Report {
    let mut r = Report::default();
    walk(doc, actual, shape, "", "", cx, &mut r);
    r
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "object",
    }
}

/// `shape`'s structure members, list item or map marker.
fn members(shape: Option<&Value>) -> Option<&serde_json::Map<String, Value>> {
    shape?.get("s")?.as_object()
}

fn is_map(shape: Option<&Value>) -> bool {
    shape.is_some_and(|s| s.get("m").is_some())
}

/// `key` is the dotted path without list indices (how errata and exemptions name members);
/// `at` is the path shown in messages.
fn walk(
    doc: &Doc,
    actual: &Value,
    shape: Option<&Value>,
    key: &str,
    at: &str,
    cx: &Context<'_>,
    r: &mut Report,
) {
    let shown = if at.is_empty() { "(top level)" } else { at };
    if let Some(reason) = cx.errata.get(key) {
        r.skipped.push(format!("{shown}: erratum: {reason}"));
        return;
    }
    let exempt = (cx.exempt)(key);
    match doc {
        Doc::Object {
            members: doc_members,
            elided,
        } => {
            let Value::Object(obj) = actual else {
                r.failures.push(format!(
                    "{shown}: documented an object, the lab gives a {}",
                    kind(actual)
                ));
                return;
            };
            if is_map(shape) {
                // A map's keys are data (an encryption context, metadata), not members.
                for (k, v) in doc_members {
                    if let Some(a) = obj.get(k).or_else(|| obj.values().next()) {
                        scalar_type(v, a, &format!("{shown}{{{k}}}"), r);
                    }
                }
                return;
            }
            let model = members(shape);
            for (k, v) in doc_members {
                let child_key = join(key, k);
                let child_at = join(at, k);
                match obj.get(k) {
                    Some(a) => walk(
                        v,
                        a,
                        model.and_then(|m| m.get(k)),
                        &child_key,
                        &child_at,
                        cx,
                        r,
                    ),
                    None if key.is_empty() && cx.not_printed.iter().any(|n| n == k) => {
                        r.skipped.push(format!(
                            "{child_at}: aws-cli follows the pages itself and does not print it"
                        ))
                    }
                    None => match (cx.errata.get(&child_key), (cx.exempt)(&child_key)) {
                        (Some(reason), _) => {
                            r.skipped.push(format!("{child_at}: erratum: {reason}"))
                        }
                        (None, Some(reason)) => {
                            r.skipped.push(format!("{child_at}: absent: {reason}"))
                        }
                        (None, None) => r.failures.push(format!(
                            "{child_at}: documented, missing from the lab's output{}",
                            if model.is_some_and(|m| !m.contains_key(k)) {
                                " (and not in AWS's output shape either)"
                            } else {
                                ""
                            }
                        )),
                    },
                }
            }
            if let Some(model) = model {
                for k in obj.keys() {
                    if !model.contains_key(k) {
                        r.failures.push(format!(
                            "{}: the lab prints a member AWS's output shape does not have",
                            join(at, k)
                        ));
                    }
                }
            }
            let _ = elided; // members beyond the documented ones are checked against the model
        }
        Doc::List { items, elided } => {
            let Value::Array(list) = actual else {
                r.failures.push(format!(
                    "{shown}: documented a list, the lab gives a {}",
                    kind(actual)
                ));
                return;
            };
            let item_shape = shape.and_then(|s| s.get("l"));
            if !elided && items.len() != list.len() {
                match exempt {
                    Some(reason) => r.skipped.push(format!(
                        "{shown}: {} documented items, the lab has {}: {reason}",
                        items.len(),
                        list.len()
                    )),
                    None => r.failures.push(format!(
                        "{shown}: {} documented items, the lab has {}",
                        items.len(),
                        list.len()
                    )),
                }
            }
            if list.len() < items.len() && *elided {
                r.failures.push(format!(
                    "{shown}: at least {} documented items, the lab has {}",
                    items.len(),
                    list.len()
                ));
            }
            let objects = items.iter().any(|i| matches!(i, Doc::Object { .. }));
            if objects {
                // Items are matched by content, not position: AWS does not promise an order.
                let mut used = vec![false; list.len()];
                for (i, item) in items.iter().enumerate() {
                    let item_at = format!("{}[{i}]", if at.is_empty() { "" } else { at });
                    let mut best: Option<(usize, Report)> = None;
                    for (j, a) in list.iter().enumerate() {
                        if used[j] {
                            continue;
                        }
                        let mut sub = Report::default();
                        walk(item, a, item_shape, key, &item_at, cx, &mut sub);
                        let better = best
                            .as_ref()
                            .is_none_or(|(_, b)| sub.failures.len() < b.failures.len());
                        if better {
                            best = Some((j, sub));
                        }
                        if best.as_ref().is_some_and(|(_, b)| b.failures.is_empty()) {
                            break;
                        }
                    }
                    if let Some((j, sub)) = best {
                        used[j] = true;
                        r.failures.extend(sub.failures);
                        r.values_compared += sub.values_compared;
                        r.skipped.extend(sub.skipped);
                    }
                }
            } else {
                for (i, (item, a)) in items.iter().zip(list).enumerate() {
                    let item_at = format!("{at}[{i}]");
                    walk(item, a, item_shape, key, &item_at, cx, r);
                }
            }
        }
        scalar => {
            if !scalar_type(scalar, actual, shown, r) {
                return;
            }
            if let Some(why) = not_compared(scalar) {
                r.skipped.push(format!("{shown}: {why}"));
                return;
            }
            if let Some(reason) = exempt {
                r.skipped.push(format!("{shown}: {reason}"));
                return;
            }
            if same(scalar, actual) {
                r.values_compared += 1;
            } else {
                r.failures.push(format!(
                    "{shown}: documented {}, the lab gives {actual}",
                    scalar.to_json()
                ));
            }
        }
    }
}

/// Checks the scalar's type; a documented date may be a string or epoch seconds, and the lab
/// must print aws-cli v2's ISO 8601 form. Returns whether the value can be compared further.
fn scalar_type(doc: &Doc, actual: &Value, at: &str, r: &mut Report) -> bool {
    if looks_like_date(doc) {
        match actual {
            Value::String(s) if is_cli_v2_timestamp(s) => {}
            other => r.failures.push(format!(
                "{at}: a timestamp, printed as aws-cli v2 does (2026-01-02T03:04:05.678000+00:00), \
                 the lab gives {other}"
            )),
        }
        return false;
    }
    let ok = match (doc, actual) {
        (Doc::Str(_) | Doc::Bare(_), Value::String(_))
        | (Doc::Num(_), Value::Number(_))
        | (Doc::Bool(_), Value::Bool(_))
        | (Doc::Null, Value::Null) => true,
        // The documentation quotes some numbers; a bare word may be a number too.
        (Doc::Bare(w), Value::Number(_)) => w.parse::<f64>().is_ok(),
        _ => false,
    };
    if !ok {
        r.failures.push(format!(
            "{at}: documented {} ({}), the lab gives a {} ({actual})",
            doc_kind(doc),
            doc.to_json(),
            kind(actual)
        ));
    }
    ok
}

fn doc_kind(d: &Doc) -> &'static str {
    match d {
        Doc::Object { .. } => "an object",
        Doc::List { .. } => "a list",
        Doc::Str(_) | Doc::Bare(_) => "a string",
        Doc::Num(_) => "a number",
        Doc::Bool(_) => "a boolean",
        Doc::Null => "null",
    }
}

fn same(doc: &Doc, actual: &Value) -> bool {
    match (doc, actual) {
        (Doc::Str(a) | Doc::Bare(a), Value::String(b)) => a == b,
        (Doc::Num(a), Value::Number(b)) => b.as_f64().is_some_and(|b| (a - b).abs() < 1e-9),
        (Doc::Bool(a), Value::Bool(b)) => a == b,
        (Doc::Null, Value::Null) => true,
        _ => false,
    }
}

/// A documented date: ISO 8601 (also the docs' `YYYY-MM-DDTHH:MM:SS` placeholder and garbled
/// hours), an HTTP date, or epoch seconds with a fraction.
fn looks_like_date(doc: &Doc) -> bool {
    match doc {
        Doc::Str(s) | Doc::Bare(s) => {
            let b = s.as_bytes();
            let iso = b.len() > 10
                && b[10] == b'T'
                && b[4] == b'-'
                && b[7] == b'-'
                && b[..4].iter().all(|c| c.is_ascii_digit() || *c == b'Y');
            let http = s.ends_with(" GMT") && s.contains(", ");
            iso || http
        }
        Doc::Num(n) => *n > 1.0e9 && n.fract() != 0.0,
        _ => false,
    }
}

/// aws-cli v2's default `cli_timestamp_format` (iso8601): Python's `datetime.isoformat()`,
/// e.g. `2019-12-02T19:47:14.861000+00:00` or `2018-02-28T21:06:01+00:00`.
pub fn is_cli_v2_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|x| x.iter().all(u8::is_ascii_digit));
    let head = b.len() >= 19
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && b[10] == b'T'
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19);
    let rest = &s[19.min(s.len())..];
    let rest = match rest.strip_prefix('.') {
        Some(frac) if frac.len() > 6 && frac[..6].bytes().all(|c| c.is_ascii_digit()) => &frac[6..],
        Some(_) => return false,
        None => rest,
    };
    head && rest == "+00:00"
}

/// Why a documented scalar is not compared by value, if it is not: ids, accounts, ETags and
/// version ids differ per resource; opaque bytes and placeholders carry no value.
fn not_compared(doc: &Doc) -> Option<&'static str> {
    let (Doc::Str(s) | Doc::Bare(s)) = doc else {
        return None;
    };
    if s.starts_with('<') && s.ends_with('>') || s.contains("...") || s.contains("###") {
        return Some("a placeholder");
    }
    if s.starts_with("arn:") {
        return Some("an ARN");
    }
    if is_region(s) {
        return Some("a Region (the documentation's account ran in another default Region)");
    }
    if s.starts_with('"') {
        return Some("an ETag");
    }
    if s.len() == 12 && s.bytes().all(|c| c.is_ascii_digit()) {
        return Some("an account id");
    }
    if s.contains("EXAMPLE") || is_uuid_like(s) || s.starts_with("mrk-") {
        return Some("an id");
    }
    if s.len() >= 16 && s.bytes().all(|c| c.is_ascii_hexdigit()) {
        return Some("an id");
    }
    // vol-…, snap-…, sg-…, vpc-…, subnet-…, db-…, cks-…: a prefix and one run of id characters.
    if let Some((prefix, rest)) = s.split_once('-')
        && prefix.len() <= 6
        && prefix.bytes().all(|c| c.is_ascii_lowercase())
        && rest.len() >= 6
        && rest.bytes().all(|c| c.is_ascii_alphanumeric())
        && rest.bytes().any(|c| c.is_ascii_digit())
    {
        return Some("an id");
    }
    // Opaque bytes and tokens: base64 or version ids.
    if s.len() >= 20
        && !s.contains(' ')
        && s.bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"+/=._".contains(&c))
        && s.bytes().any(|c| c.is_ascii_digit())
        && s.bytes().any(|c| c.is_ascii_uppercase())
        && s.bytes().any(|c| c.is_ascii_lowercase())
    {
        return Some("opaque data");
    }
    None
}

/// `us-west-2`, `ap-northeast-1`, `us-gov-west-1`.
fn is_region(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    (3..=4).contains(&parts.len())
        && parts[0].len() == 2
        && parts
            .iter()
            .take(parts.len() - 1)
            .all(|p| p.bytes().all(|c| c.is_ascii_lowercase()))
        && parts[parts.len() - 1].bytes().all(|c| c.is_ascii_digit())
}

fn is_uuid_like(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 5
        && parts.iter().map(|p| p.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
        && parts
            .iter()
            .all(|p| p.bytes().all(|c| c.is_ascii_alphanumeric()))
}
