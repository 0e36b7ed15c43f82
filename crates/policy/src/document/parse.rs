//! Parsing and validating a policy's JSON text into a [`PolicyDocument`]: known elements (with
//! a spelling hint), types, conflicting elements, duplicate Sids, and the principal and
//! resource rules of each [`PolicyKind`].

use std::collections::HashSet;

use serde_json::{Map, Value};

use super::limits::check_limits;
use super::{
    ActionBlock, ActionPattern, Effect, Limits, PolicyDocument, PolicyKind, PrincipalBlock,
    PrincipalId, ResourceBlock, Statement, Version,
};
use crate::condition::parse_block;
use crate::error::{Location, PolicyError, Problem};
use crate::glob::{Template, compile_wildcards, has_wildcard};

const TOP_LEVEL: [&str; 3] = ["Version", "Id", "Statement"];
const STATEMENT_ELEMENTS: [&str; 9] = [
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];

/// Edit distance between two short ASCII-ish names (case-insensitive).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitute = prev.get(j).copied().unwrap_or(usize::MAX) + usize::from(ca != cb);
            let delete = prev
                .get(j + 1)
                .copied()
                .unwrap_or(usize::MAX)
                .saturating_add(1);
            let insert = cur.get(j).copied().unwrap_or(usize::MAX).saturating_add(1);
            if let Some(slot) = cur.get_mut(j + 1) {
                *slot = substitute.min(delete).min(insert);
            }
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(usize::MAX)
}

/// An unknown element, with the closest known name (at most two edits away) as a hint.
fn unknown(element: &str, known: &[&'static str]) -> Problem {
    Problem::UnknownElement {
        element: element.to_owned(),
        suggestion: known
            .iter()
            .copied()
            .map(|k| (edit_distance(k, element), k))
            .filter(|(d, _)| *d <= 2)
            .min_by_key(|(d, _)| *d)
            .map(|(_, k)| k),
    }
}

impl PolicyDocument {
    /// Parses and validates `json` as a policy of the given kind.
    ///
    /// # Errors
    ///
    /// A [`PolicyError`] describing the first problem found: size/character
    /// limits, invalid JSON (with position), unknown or missing elements,
    /// conflicting elements, bad values, unsupported condition operators,
    /// duplicate Sids, and principal/resource rules for `kind`.
    pub fn parse(json: &str, kind: PolicyKind, limits: Limits) -> Result<Self, PolicyError> {
        check_limits(json, limits)?;
        let value: Value = serde_json::from_str(json).map_err(|e| {
            let text = e.to_string();
            let message = text
                .rsplit_once(" at line ")
                .map_or(text.as_str(), |(m, _)| m)
                .to_owned();
            PolicyError::InvalidJson {
                message,
                line: e.line(),
                column: e.column(),
            }
        })?;
        let doc_err = |problem| PolicyError::at(Location::Document, problem);
        let Value::Object(top) = value else {
            return Err(doc_err(Problem::WrongType {
                element: "policy".to_owned(),
                expected: "a JSON object",
            }));
        };
        if let Some(bad) = top.keys().find(|k| !TOP_LEVEL.contains(&k.as_str())) {
            return Err(doc_err(unknown(bad, &TOP_LEVEL)));
        }
        let version = match top.get("Version") {
            None => Version::V2008_10_17,
            Some(Value::String(s)) if s == "2012-10-17" => Version::V2012_10_17,
            Some(Value::String(s)) if s == "2008-10-17" => Version::V2008_10_17,
            Some(other) => {
                return Err(doc_err(Problem::InvalidVersion {
                    value: other
                        .as_str()
                        .map_or_else(|| other.to_string(), str::to_owned),
                }));
            }
        };
        let id = match top.get("Id") {
            None => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => {
                return Err(doc_err(Problem::WrongType {
                    element: "Id".to_owned(),
                    expected: "a string",
                }));
            }
        };
        let raw_statements: Vec<&Value> = match top.get("Statement") {
            None => {
                return Err(doc_err(Problem::MissingElement {
                    element: "Statement",
                }));
            }
            Some(Value::Array(items)) => items.iter().collect(),
            Some(obj @ Value::Object(_)) => vec![obj],
            Some(_) => {
                return Err(doc_err(Problem::WrongType {
                    element: "Statement".to_owned(),
                    expected: "an object or a list of objects",
                }));
            }
        };
        if raw_statements.is_empty() {
            return Err(doc_err(Problem::Empty {
                element: "Statement".to_owned(),
            }));
        }
        let mut statements = Vec::with_capacity(raw_statements.len());
        let mut sids = HashSet::new();
        for (i, raw) in raw_statements.into_iter().enumerate() {
            let statement = parse_statement(i + 1, raw, kind, version)?;
            if let Some(sid) = statement.sid.as_deref().filter(|s| !s.is_empty())
                && !sids.insert(sid.to_owned())
            {
                return Err(PolicyError::at(
                    Location::Statement {
                        number: i + 1,
                        sid: None,
                    },
                    Problem::DuplicateSid {
                        sid: sid.to_owned(),
                    },
                ));
            }
            statements.push(statement);
        }
        Ok(Self {
            source: json.to_owned(),
            kind,
            version,
            id,
            statements,
        })
    }
}

/// A string or a non-empty list of strings.
fn string_list(value: &Value, element: &str) -> Result<Vec<String>, Problem> {
    let wrong = || Problem::WrongType {
        element: element.to_owned(),
        expected: "a string or a list of strings",
    };
    let list = match value {
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items
            .iter()
            .map(|v| v.as_str().map(str::to_owned).ok_or_else(wrong))
            .collect::<Result<Vec<_>, _>>()?,
        _ => return Err(wrong()),
    };
    if list.is_empty() {
        return Err(Problem::Empty {
            element: element.to_owned(),
        });
    }
    Ok(list)
}

fn parse_statement(
    number: usize,
    raw: &Value,
    kind: PolicyKind,
    version: Version,
) -> Result<Statement, PolicyError> {
    let Value::Object(obj) = raw else {
        return Err(PolicyError::at(
            Location::Statement { number, sid: None },
            Problem::WrongType {
                element: "Statement".to_owned(),
                expected: "an object",
            },
        ));
    };
    let sid = obj.get("Sid").and_then(Value::as_str).map(str::to_owned);
    let at = Location::Statement {
        number,
        sid: sid.clone().filter(|s| !s.is_empty()),
    };
    parse_statement_body(obj, sid, kind, version).map_err(|problem| PolicyError::at(at, problem))
}

fn exclusive<'a>(
    obj: &'a Map<String, Value>,
    positive: &'static str,
    negative: &'static str,
) -> Result<Option<(bool, &'a Value)>, Problem> {
    match (obj.get(positive), obj.get(negative)) {
        (Some(_), Some(_)) => Err(Problem::ConflictingElements {
            first: positive,
            second: negative,
        }),
        (Some(v), None) => Ok(Some((false, v))),
        (None, Some(v)) => Ok(Some((true, v))),
        (None, None) => Ok(None),
    }
}

fn parse_statement_body(
    obj: &Map<String, Value>,
    sid: Option<String>,
    kind: PolicyKind,
    version: Version,
) -> Result<Statement, Problem> {
    if let Some(bad) = obj
        .keys()
        .find(|k| !STATEMENT_ELEMENTS.contains(&k.as_str()))
    {
        return Err(unknown(bad, &STATEMENT_ELEMENTS));
    }
    if obj.get("Sid").is_some_and(|v| !v.is_string()) {
        return Err(Problem::WrongType {
            element: "Sid".to_owned(),
            expected: "a string",
        });
    }
    let effect = match obj.get("Effect") {
        None => return Err(Problem::MissingElement { element: "Effect" }),
        Some(Value::String(s)) if s == "Allow" => Effect::Allow,
        Some(Value::String(s)) if s == "Deny" => Effect::Deny,
        Some(other) => {
            return Err(Problem::InvalidEffect {
                value: other
                    .as_str()
                    .map_or_else(|| other.to_string(), str::to_owned),
            });
        }
    };

    let principal = match exclusive(obj, "Principal", "NotPrincipal")? {
        Some((negated, value)) => {
            let element = if negated { "NotPrincipal" } else { "Principal" };
            match kind {
                PolicyKind::Identity => {
                    return Err(Problem::PrincipalNotAllowed {
                        element,
                        kind: kind.describe(),
                    });
                }
                PolicyKind::Trust if negated => {
                    return Err(Problem::PrincipalNotAllowed {
                        element,
                        kind: kind.describe(),
                    });
                }
                PolicyKind::Resource | PolicyKind::Trust => {}
            }
            if negated && effect == Effect::Allow {
                return Err(Problem::NotPrincipalWithAllow);
            }
            Some(PrincipalBlock {
                negated,
                ids: parse_principal(value, element)?,
            })
        }
        None if kind == PolicyKind::Identity => None,
        None => {
            return Err(Problem::PrincipalRequired {
                kind: match kind {
                    PolicyKind::Trust => "role trust policy",
                    _ => "resource policy",
                },
            });
        }
    };

    let action = match exclusive(obj, "Action", "NotAction")? {
        Some((negated, value)) => {
            let element = if negated { "NotAction" } else { "Action" };
            let patterns = string_list(value, element)?
                .into_iter()
                .map(|raw| {
                    let valid = raw == "*"
                        || raw.split_once(':').is_some_and(|(svc, act)| {
                            !svc.is_empty()
                                && !act.is_empty()
                                && svc.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                        });
                    if valid {
                        Ok(ActionPattern {
                            tokens: compile_wildcards(&raw),
                            raw,
                        })
                    } else {
                        Err(Problem::InvalidAction { value: raw })
                    }
                })
                .collect::<Result<_, _>>()?;
            ActionBlock { negated, patterns }
        }
        None => return Err(Problem::MissingElement { element: "Action" }),
    };

    let resource = match exclusive(obj, "Resource", "NotResource")? {
        Some((negated, value)) => {
            let element = if negated { "NotResource" } else { "Resource" };
            if kind == PolicyKind::Trust {
                return Err(Problem::ResourceNotAllowed { element });
            }
            let patterns = string_list(value, element)?
                .into_iter()
                .map(|raw| {
                    if raw != "*" && !raw.starts_with("arn:") {
                        return Err(Problem::InvalidResource { value: raw });
                    }
                    Template::parse(&raw, version.supports_variables())
                        .map_err(|reason| Problem::InvalidPolicyVariable { value: raw, reason })
                })
                .collect::<Result<_, _>>()?;
            Some(ResourceBlock { negated, patterns })
        }
        None if kind == PolicyKind::Identity => return Err(Problem::ResourceRequired),
        None => None,
    };

    let conditions = match obj.get("Condition") {
        Some(block) => parse_block(block, version.supports_variables())?,
        None => Vec::new(),
    };

    Ok(Statement {
        sid,
        effect,
        principal,
        action,
        resource,
        conditions,
    })
}

fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

fn parse_principal(value: &Value, element: &'static str) -> Result<Vec<PrincipalId>, Problem> {
    let map = match value {
        Value::String(s) if s == "*" => return Ok(vec![PrincipalId::Everyone]),
        Value::Object(map) if !map.is_empty() => map,
        _ => {
            return Err(Problem::WrongType {
                element: element.to_owned(),
                expected: "`\"*\"` or an object such as `{\"AWS\": \"arn:aws:iam::111122223333:root\"}`",
            });
        }
    };
    let mut ids = Vec::new();
    for (principal_type, values) in map {
        let values = string_list(values, &format!("{element}.{principal_type}"))?;
        for v in values {
            let invalid = |reason| Problem::InvalidPrincipal {
                value: v.clone(),
                reason,
            };
            let id = match principal_type.as_str() {
                "AWS" => parse_aws_principal(&v).map_err(invalid)?,
                "Service" | "Federated" if v.is_empty() || has_wildcard(&v) => {
                    return Err(invalid(
                        "service and federated principals cannot use wildcards",
                    ));
                }
                "Service" => PrincipalId::Service(v),
                "Federated" => PrincipalId::Federated(v),
                other => {
                    return Err(Problem::UnsupportedPrincipalType {
                        name: other.to_owned(),
                    });
                }
            };
            ids.push(id);
        }
    }
    Ok(ids)
}

fn parse_aws_principal(v: &str) -> Result<PrincipalId, &'static str> {
    if v == "*" {
        return Ok(PrincipalId::Everyone);
    }
    if has_wildcard(v) {
        return Err("wildcards are only allowed as the whole value `*`");
    }
    if is_account_id(v) {
        return Ok(PrincipalId::Account {
            id: v.to_owned(),
            raw: v.to_owned(),
        });
    }
    // arn:PARTITION:SERVICE::ACCOUNT:RESOURCE
    let parts: Vec<&str> = v.splitn(6, ':').collect();
    match parts.as_slice() {
        [
            "arn",
            partition,
            service @ ("iam" | "sts"),
            "",
            account,
            resource,
        ] if !partition.is_empty() && is_account_id(account) && !resource.is_empty() => {
            if *service == "iam" && *resource == "root" {
                Ok(PrincipalId::Account {
                    id: (*account).to_owned(),
                    raw: v.to_owned(),
                })
            } else {
                Ok(PrincipalId::Arn(v.to_owned()))
            }
        }
        _ => Err("expected `*`, a 12-digit account id, or an IAM or STS ARN"),
    }
}
