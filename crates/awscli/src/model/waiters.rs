//! botocore's waiters (`waiters-2.json`) for the operations the lab models, and how one poll's
//! answer is matched against a waiter's acceptors (`botocore/waiter.py`).
//!
//! `waiters.json` copies botocore's configuration (delay, maximum attempts, acceptors) for each
//! waiter whose operation the lab implements: ec2 (`ec2/2016-11-15`), rds (`rds/2014-10-31`),
//! dynamodb (`dynamodb/2012-08-10`), s3api (`s3/2006-03-01`) and iam (`iam/2010-05-08`).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::Value;

use super::xform_name;

/// One waiter: the operation it polls, how often and how many times, and its acceptors.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Waiter {
    /// Seconds between polls.
    pub delay: i64,
    /// The most polls before `Max attempts exceeded`.
    pub max_attempts: u32,
    /// The API operation each poll calls (`DescribeVolumes`).
    pub operation: String,
    /// Tried in order on each answer; the first that matches decides the state.
    pub acceptors: Vec<Acceptor>,
}

/// What a matching acceptor makes of the wait.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum AcceptorState {
    /// The wait is over: exit 0.
    Success,
    /// The wait fails at once (`Waiter encountered a terminal failure state`).
    Failure,
    /// Poll again.
    Retry,
}

/// How an acceptor reads an answer.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
pub enum Matcher {
    /// The JMESPath `argument` equals `expected`.
    #[serde(rename = "path")]
    Path,
    /// Every element of the (non-empty) list `argument` equals `expected`.
    #[serde(rename = "pathAll")]
    PathAll,
    /// Some element of the (non-empty) list `argument` equals `expected`.
    #[serde(rename = "pathAny")]
    PathAny,
    /// The HTTP status equals `expected`.
    #[serde(rename = "status")]
    Status,
    /// The error code equals `expected`.
    #[serde(rename = "error")]
    Error,
}

/// One acceptor of a waiter.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct Acceptor {
    /// The state a match leads to.
    pub state: AcceptorState,
    /// How the answer is read.
    pub matcher: Matcher,
    /// The value to match (a string, a number or a boolean).
    pub expected: Value,
    /// The JMESPath expression of the path matchers.
    #[serde(default)]
    pub argument: Option<String>,
}

/// One poll's answer, as botocore hands it to the acceptors.
#[derive(Clone, Copy, Debug)]
pub enum Answer<'a> {
    /// The parsed response (HTTP 200).
    Response(&'a Value),
    /// The service's error.
    Error {
        /// The error code.
        code: &'a str,
        /// The HTTP status.
        status: u16,
    },
}

impl Acceptor {
    /// Whether the acceptor matches the answer (`AcceptorConfig._create_matcher_func`): path
    /// matchers never match an error, `pathAll` and `pathAny` need a non-empty list.
    pub fn matches(&self, answer: Answer<'_>) -> bool {
        match (self.matcher, answer) {
            (Matcher::Status, Answer::Response(_)) => self.expected == 200,
            (Matcher::Status, Answer::Error { status, .. }) => self.expected == status,
            (Matcher::Error, Answer::Error { code, .. }) => self.expected == code,
            (Matcher::Error, Answer::Response(_)) | (_, Answer::Error { .. }) => false,
            (Matcher::Path, Answer::Response(r)) => self.search(r) == Some(self.expected.clone()),
            (Matcher::PathAll, Answer::Response(r)) => match self.search(r) {
                Some(Value::Array(items)) if !items.is_empty() => {
                    items.iter().all(|i| *i == self.expected)
                }
                _ => false,
            },
            (Matcher::PathAny, Answer::Response(r)) => match self.search(r) {
                Some(Value::Array(items)) => items.contains(&self.expected),
                _ => false,
            },
        }
    }

    fn search(&self, response: &Value) -> Option<Value> {
        let expr = jmespath::compile(self.argument.as_deref()?).ok()?;
        let found = expr.search(response.clone()).ok()?;
        serde_json::to_value(&*found).ok()
    }

    /// botocore's `AcceptorConfig.explanation`, quoted in a failure's reason.
    pub fn explanation(&self) -> String {
        let argument = self.argument.as_deref().unwrap_or_default();
        // Python's str() of the expected value: strings bare, booleans `True`/`False`.
        let expected = match &self.expected {
            Value::String(s) => s.clone(),
            Value::Bool(true) => "True".into(),
            Value::Bool(false) => "False".into(),
            other => other.to_string(),
        };
        match self.matcher {
            Matcher::Path => {
                format!("For expression \"{argument}\" we matched expected path: \"{expected}\"")
            }
            Matcher::PathAll => format!(
                "For expression \"{argument}\" all members matched expected path: \"{expected}\""
            ),
            Matcher::PathAny => format!(
                "For expression \"{argument}\" we matched expected path: \"{expected}\" at least once"
            ),
            Matcher::Status => format!("Matched expected HTTP status code: {expected}"),
            Matcher::Error => format!("Matched expected service error code: {expected}"),
        }
    }
}

fn tables() -> &'static BTreeMap<String, BTreeMap<String, Waiter>> {
    static TABLES: OnceLock<BTreeMap<String, BTreeMap<String, Waiter>>> = OnceLock::new();
    TABLES.get_or_init(|| {
        // INVARIANT: the embedded table is valid (checked by the `waiters_load` test).
        serde_json::from_str(include_str!("waiters.json")).unwrap_or_default()
    })
}

/// The waiters of a service (command-line name), by waiter name (`VolumeAvailable`).
pub fn waiters(service: &str) -> Option<&'static BTreeMap<String, Waiter>> {
    tables().get(service)
}

/// A service's waiter by its command-line name (`volume-available`).
pub fn waiter_by_cli_name(service: &str, cli: &str) -> Option<(&'static str, &'static Waiter)> {
    waiters(service)?
        .iter()
        .find(|(name, _)| xform_name(name) == cli)
        .map(|(name, w)| (name.as_str(), w))
}

/// The command-line names of a service's waiters, sorted.
pub fn cli_waiter_names(service: &str) -> Vec<String> {
    let mut names: Vec<String> = waiters(service)
        .map(|w| w.keys().map(|n| xform_name(n)).collect())
        .unwrap_or_default();
    names.sort();
    names
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn waiters_load_and_poll_modelled_operations() {
        let raw: BTreeMap<String, Value> =
            serde_json::from_str(include_str!("waiters.json")).unwrap();
        assert_eq!(tables().len(), raw.len());
        for (service, ws) in tables() {
            let table = super::super::service(service).unwrap();
            for (name, w) in ws {
                assert!(
                    table.operations.contains_key(&w.operation),
                    "{service} {name}"
                );
                for a in &w.acceptors {
                    if let Some(arg) = &a.argument {
                        assert!(jmespath::compile(arg).is_ok(), "{arg}");
                    }
                }
            }
        }
        assert_eq!(
            cli_waiter_names("rds"),
            [
                "db-instance-available",
                "db-instance-deleted",
                "db-snapshot-available",
                "db-snapshot-completed",
                "db-snapshot-deleted"
            ]
        );
        assert!(waiter_by_cli_name("ec2", "volume-in-use").is_some());
        assert!(waiters("kms").is_none());
    }

    #[test]
    fn acceptors_match_as_botocore_does() {
        let (_, w) = waiter_by_cli_name("ec2", "volume-available").unwrap();
        let [success, failure] = [&w.acceptors[0], &w.acceptors[1]];
        let vols = |states: &[&str]| json!({ "Volumes": states.iter().map(|s| json!({ "State": s })).collect::<Vec<_>>() });
        assert!(success.matches(Answer::Response(&vols(&["available", "available"]))));
        assert!(!success.matches(Answer::Response(&vols(&["available", "creating"]))));
        // An empty list matches neither pathAll nor pathAny.
        assert!(!success.matches(Answer::Response(&vols(&[]))));
        assert!(failure.matches(Answer::Response(&vols(&["creating", "deleted"]))));
        assert!(!success.matches(Answer::Error {
            code: "InvalidVolume.NotFound",
            status: 400
        }));
        assert_eq!(
            failure.explanation(),
            "For expression \"Volumes[].State\" we matched expected path: \"deleted\" at least once"
        );
        let (_, exists) = waiter_by_cli_name("s3api", "bucket-exists").unwrap();
        assert!(exists.acceptors[2].matches(Answer::Error {
            code: "403",
            status: 403
        }));
        assert_eq!(
            exists.acceptors[3].explanation(),
            "Matched expected HTTP status code: 404"
        );
        let (_, table) = waiter_by_cli_name("dynamodb", "table-exists").unwrap();
        assert!(table.acceptors[0].matches(Answer::Response(
            &json!({ "Table": { "TableStatus": "ACTIVE" } })
        )));
        let (_, inst) = waiter_by_cli_name("ec2", "instance-exists").unwrap();
        assert_eq!(
            inst.acceptors[0].explanation(),
            "For expression \"length(Reservations[]) > `0`\" we matched expected path: \"True\""
        );
    }
}
