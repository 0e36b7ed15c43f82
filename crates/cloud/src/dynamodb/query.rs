//! `Query` (a key condition: equality on the partition key, and optionally one condition on the
//! sort key) and `Scan`, with `Limit`, `ExclusiveStartKey`/`LastEvaluatedKey` and `Select`
//! `COUNT`. Filter and projection expressions are not modelled.

use std::cmp::Ordering;

use base64::Engine as _;
use serde_json::Value;

use super::error::invalid;
use super::item::{check_key, data_table, item_slot, key_of, type_of};
use super::model::{Item, ItemsResponse, QueryRequest, ScanRequest};
use super::{DynamoDbError, Table, b64, open_item};
use crate::World;
use crate::cloudtrail::CallAudit;
use crate::context::CallContext;

/// A comparison in a key condition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Eq,
    Lt,
    Le,
    Gt,
    Ge,
    Between,
    BeginsWith,
}

/// One condition: `attribute op values`.
#[derive(Debug)]
struct Cond {
    attr: String,
    op: Op,
    values: Vec<Value>,
}

fn syntax(token: &str, expr: &str) -> DynamoDbError {
    DynamoDbError::ValidationException(format!(
        "Invalid KeyConditionExpression: Syntax error; token: \"{token}\", near: \"{expr}\""
    ))
}

/// Splits a key condition expression into tokens.
fn tokens(expr: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let flush = |cur: &mut String, out: &mut Vec<String>| {
        if !cur.is_empty() {
            out.push(std::mem::take(cur));
        }
    };
    let chars: Vec<char> = expr.chars().collect();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        match c {
            c if c.is_whitespace() => flush(&mut cur, &mut out),
            '(' | ')' | ',' | '=' => {
                flush(&mut cur, &mut out);
                out.push(c.to_string());
            }
            '<' | '>' => {
                flush(&mut cur, &mut out);
                if chars.get(i + 1) == Some(&'=') {
                    out.push(format!("{c}="));
                    i += 1;
                } else {
                    out.push(c.to_string());
                }
            }
            c => cur.push(c),
        }
        i += 1;
    }
    flush(&mut cur, &mut out);
    out
}

/// Parses `cond [AND cond]`, resolving `#names` and `:values`.
fn parse(
    expr: &str,
    names: &std::collections::BTreeMap<String, String>,
    values: &Item,
) -> Result<Vec<Cond>, DynamoDbError> {
    let toks = tokens(expr);
    let mut pos = 0;
    let name = |t: &str| -> Result<String, DynamoDbError> {
        if t.starts_with('#') {
            return names.get(t).cloned().ok_or_else(|| {
                DynamoDbError::ValidationException(format!(
                    "Invalid KeyConditionExpression: An expression attribute name used in the document path is not defined; attribute name: {t}"
                ))
            });
        }
        if t.starts_with(':') || t.is_empty() || !t.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(syntax(t, expr));
        }
        Ok(t.to_owned())
    };
    let value = |t: &str| -> Result<Value, DynamoDbError> {
        if !t.starts_with(':') {
            return Err(syntax(t, expr));
        }
        values.get(t).cloned().ok_or_else(|| {
            DynamoDbError::ValidationException(format!(
                "Invalid KeyConditionExpression: An expression attribute value used in expression is not defined; attribute value: {t}"
            ))
        })
    };
    let tok = |pos: usize| toks.get(pos).map_or("<EOF>", String::as_str);
    let mut conds = Vec::new();
    loop {
        if tok(pos) == "begins_with" {
            if tok(pos + 1) != "(" || tok(pos + 3) != "," || tok(pos + 5) != ")" {
                return Err(syntax(tok(pos + 1), expr));
            }
            conds.push(Cond {
                attr: name(tok(pos + 2))?,
                op: Op::BeginsWith,
                values: vec![value(tok(pos + 4))?],
            });
            pos += 6;
        } else {
            let attr = name(tok(pos))?;
            let op = tok(pos + 1);
            if op.eq_ignore_ascii_case("BETWEEN") {
                if !tok(pos + 3).eq_ignore_ascii_case("AND") {
                    return Err(syntax(tok(pos + 3), expr));
                }
                conds.push(Cond {
                    attr,
                    op: Op::Between,
                    values: vec![value(tok(pos + 2))?, value(tok(pos + 4))?],
                });
                pos += 5;
            } else {
                let op = match op {
                    "=" => Op::Eq,
                    "<" => Op::Lt,
                    "<=" => Op::Le,
                    ">" => Op::Gt,
                    ">=" => Op::Ge,
                    other => return Err(syntax(other, expr)),
                };
                conds.push(Cond {
                    attr,
                    op,
                    values: vec![value(tok(pos + 2))?],
                });
                pos += 3;
            }
        }
        if pos >= toks.len() {
            break;
        }
        if !tok(pos).eq_ignore_ascii_case("AND") {
            return Err(syntax(tok(pos), expr));
        }
        pos += 1;
    }
    Ok(conds)
}

/// Compares two attribute values of the same scalar type.
fn compare(a: &Value, b: &Value) -> Ordering {
    let kind = type_of(a);
    let (x, y) = (a.get(kind), b.get(kind));
    match kind {
        "N" => {
            let n = |v: Option<&Value>| {
                v.and_then(Value::as_str)
                    .and_then(|s| s.trim().parse::<f64>().ok())
                    .unwrap_or_default()
            };
            n(x).partial_cmp(&n(y)).unwrap_or(Ordering::Equal)
        }
        "B" => {
            let d = |v: Option<&Value>| {
                b64()
                    .decode(v.and_then(Value::as_str).unwrap_or_default())
                    .unwrap_or_default()
            };
            d(x).cmp(&d(y))
        }
        _ => {
            let s = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or_default().to_owned();
            s(x).cmp(&s(y))
        }
    }
}

fn holds(c: &Cond, v: &Value) -> bool {
    let (Some(a), Some(b)) = (c.values.first(), c.values.get(1).or(c.values.first())) else {
        return false;
    };
    if type_of(v) != type_of(a) {
        return false;
    }
    match c.op {
        Op::Eq => compare(v, a) == Ordering::Equal,
        Op::Lt => compare(v, a) == Ordering::Less,
        Op::Le => compare(v, a) != Ordering::Greater,
        Op::Gt => compare(v, a) == Ordering::Greater,
        Op::Ge => compare(v, a) != Ordering::Less,
        Op::Between => compare(v, a) != Ordering::Less && compare(v, b) != Ordering::Greater,
        Op::BeginsWith => {
            let kind = type_of(v);
            let s = |x: &Value| x.get(kind).and_then(Value::as_str).unwrap_or_default().to_owned();
            kind != "N" && s(v).starts_with(&s(a))
        }
    }
}

/// Every item of the table, opened (slot order).
fn open_all(t: &Table, key: &[u8]) -> Result<Vec<Item>, DynamoDbError> {
    t.items
        .iter()
        .map(|(s, stored)| open_item(key, s, stored))
        .collect()
}

/// `Select`: whether the items are returned (`COUNT`: only counted).
fn returns_items(select: Option<&str>) -> Result<bool, DynamoDbError> {
    match select {
        None | Some("ALL_ATTRIBUTES") => Ok(true),
        Some("COUNT") => Ok(false),
        Some(other) => Err(DynamoDbError::ValidationException(format!(
            "1 validation error detected: Value '{other}' at 'select' failed to satisfy constraint: Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]"
        ))),
    }
}

/// One page of `items` after `start`, at most `limit` long.
fn page(
    t: &Table,
    items: Vec<Item>,
    start: Option<&Item>,
    limit: Option<i64>,
    with_items: bool,
) -> Result<ItemsResponse, DynamoDbError> {
    if let Some(l) = limit
        && l < 1
    {
        return Err(DynamoDbError::ValidationException(format!(
            "1 validation error detected: Value '{l}' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"
        )));
    }
    let mut rest: Vec<Item> = match start {
        Some(s) => {
            check_key(t, s)?;
            let at = item_slot(t, s);
            match items.iter().position(|i| item_slot(t, &key_of(t, i)) == at) {
                Some(p) => items.into_iter().skip(p + 1).collect(),
                None => items,
            }
        }
        None => items,
    };
    let limit = limit.and_then(|l| usize::try_from(l).ok());
    let mut last = None;
    if let Some(l) = limit
        && rest.len() >= l
    {
        rest.truncate(l);
        last = rest.last().map(|i| key_of(t, i));
    }
    let count = i64::try_from(rest.len()).unwrap_or(i64::MAX);
    Ok(ItemsResponse {
        items: with_items.then_some(rest),
        count,
        scanned_count: count,
        last_evaluated_key: last,
    })
}

pub(super) fn query(
    world: &mut World,
    ctx: &CallContext,
    r: &QueryRequest,
    audit: &mut CallAudit,
) -> Result<ItemsResponse, DynamoDbError> {
    let (t, key) = data_table(world, ctx, &r.table_name, "Query", audit)?;
    let Some(expr) = &r.key_condition_expression else {
        return Err(DynamoDbError::ValidationException(
            "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.".into(),
        ));
    };
    let with_items = returns_items(r.select.as_deref())?;
    let names = r.expression_attribute_names.clone().unwrap_or_default();
    let values = r.expression_attribute_values.clone().unwrap_or_default();
    for v in values.values() {
        super::item::check_value(v)?;
    }
    let conds = parse(expr, &names, &values)?;
    let (hash, range) = t.key_names();
    let Some(hash_cond) = conds.iter().find(|c| c.attr == hash) else {
        return Err(DynamoDbError::ValidationException(format!(
            "Query condition missed key schema element: {hash}"
        )));
    };
    let range_cond = conds.iter().find(|c| Some(&c.attr) == range.as_ref());
    if hash_cond.op != Op::Eq
        || conds.len() > 2
        || conds.len() != 1 + usize::from(range_cond.is_some())
    {
        return Err(DynamoDbError::ValidationException(
            "Query key condition not supported".into(),
        ));
    }
    for c in &conds {
        let want = t.key_type(&c.attr);
        if c.values.iter().any(|v| type_of(v) != want) {
            return Err(invalid("Condition parameter type does not match schema type"));
        }
    }
    let mut items: Vec<Item> = open_all(&t, &key)?
        .into_iter()
        .filter(|i| i.get(&hash).is_some_and(|v| holds(hash_cond, v)))
        .filter(|i| {
            range_cond.is_none_or(|c| i.get(&c.attr).is_some_and(|v| holds(c, v)))
        })
        .collect();
    if let Some(rn) = &range {
        items.sort_by(|a, b| match (a.get(rn), b.get(rn)) {
            (Some(x), Some(y)) => compare(x, y),
            _ => Ordering::Equal,
        });
    }
    if r.scan_index_forward == Some(false) {
        items.reverse();
    }
    page(&t, items, r.exclusive_start_key.as_ref(), r.limit, with_items)
}

pub(super) fn scan(
    world: &mut World,
    ctx: &CallContext,
    r: &ScanRequest,
    audit: &mut CallAudit,
) -> Result<ItemsResponse, DynamoDbError> {
    let (t, key) = data_table(world, ctx, &r.table_name, "Scan", audit)?;
    let with_items = returns_items(r.select.as_deref())?;
    let items = open_all(&t, &key)?;
    page(&t, items, r.exclusive_start_key.as_ref(), r.limit, with_items)
}
