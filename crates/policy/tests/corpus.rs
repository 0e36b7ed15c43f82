//! Table-driven evaluation corpus: every `tests/corpus/*.json` file holds a
//! list of cases, parsed strictly (`deny_unknown_fields`).
//!
//! Principal shorthand in `request.principal`:
//! `root:ACCT`, `user:ACCT:NAME`, `role:ACCT:NAME`, `assumed-role:ACCT:ROLE:SESSION`,
//! `service:NAME`, `federated:PROVIDER`, `anonymous`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::path::Path;

use policy::{Decision, Limits, PolicyDocument, PolicyKind, Principal, RequestContext};
use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    /// What the case shows; cites the AWS documentation for non-obvious rules.
    description: String,
    /// The policy as a JSON object, or as a string to parse verbatim.
    policy: Value,
    kind: PolicyKind,
    request: Request,
    expected_decision: Decision,
    /// Sid of the first statement behind the decision (`null` when none applies or it has no Sid).
    expected_sid: Option<String>,
    /// Substrings the learner-facing explanation must contain.
    #[serde(default)]
    explanation_contains: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Request {
    principal: String,
    #[serde(default)]
    userid: Option<String>,
    action: String,
    resource: String,
    /// Key → string, number, boolean, or list of strings (multivalued).
    #[serde(default)]
    conditions: BTreeMap<String, Value>,
    /// Request time in epoch seconds (sets `aws:CurrentTime` and `aws:EpochTime`).
    #[serde(default)]
    time: Option<i64>,
}

fn principal(spec: &str) -> Principal {
    let parts: Vec<&str> = spec.split(':').collect();
    match parts.as_slice() {
        ["root", acct] => Principal::root(*acct),
        ["user", acct, name] => Principal::user(*acct, *name),
        ["role", acct, name] => Principal::role(*acct, *name),
        ["assumed-role", acct, role, session] => Principal::assumed_role(*acct, *role, *session),
        ["service", name] => Principal::service(*name),
        ["federated", provider] => Principal::federated(*provider),
        ["anonymous"] => Principal::anonymous(),
        _ => panic!("bad principal shorthand `{spec}`"),
    }
}

fn context(req: &Request) -> RequestContext {
    let mut p = principal(&req.principal);
    if let Some(id) = &req.userid {
        p = p.with_userid(id);
    }
    let mut ctx = RequestContext::new(p, &req.action, &req.resource);
    if let Some(t) = req.time {
        ctx.set_time(t);
    }
    for (key, value) in &req.conditions {
        match value {
            Value::String(s) => ctx.set(key, s.as_str()),
            Value::Bool(b) => ctx.set_bool(key, *b),
            Value::Number(n) => ctx.set(key, n.to_string()),
            Value::Array(items) => ctx.set_list(
                key,
                items
                    .iter()
                    .map(|v| v.as_str().expect("list items must be strings").to_owned()),
            ),
            other => panic!("unsupported condition value {other}"),
        };
    }
    ctx
}

fn run_case(file: &str, i: usize, case: &Case) -> Result<(), String> {
    let label = format!("{file}[{i}] {}", case.description);
    let text = match &case.policy {
        Value::String(s) => s.clone(),
        other => serde_json::to_string_pretty(other).unwrap(),
    };
    let doc = PolicyDocument::parse(&text, case.kind, Limits::none())
        .map_err(|e| format!("{label}: policy rejected: {e}"))?;
    let ctx = context(&case.request);
    let ev = doc.evaluate(&ctx);
    // The evidence-free decision agrees, statement by statement.
    let build = || ctx.clone();
    let lazy = policy::LazyContext::new(&build);
    let request = policy::Request {
        principal: ctx.principal().view(),
        action: ctx.action(),
        resource: ctx.resource(),
        context: &lazy,
    };
    let mut outcomes = Vec::new();
    let decided = doc.decide(&request, |_, v| outcomes.push(v.outcome));
    let expected: Vec<_> = ev.statements.iter().map(|s| s.outcome).collect();
    if decided != ev.decision || outcomes != expected {
        return Err(format!(
            "{label}: decide gave {decided:?} {outcomes:?}, evaluate {:?} {expected:?}",
            ev.decision
        ));
    }
    if ev.decision != case.expected_decision {
        return Err(format!(
            "{label}: expected {:?}, got {:?}\n{ev}",
            case.expected_decision, ev.decision
        ));
    }
    let sid = ev.deciding().next().and_then(|s| s.sid.clone());
    if sid != case.expected_sid {
        return Err(format!(
            "{label}: expected deciding sid {:?}, got {sid:?}\n{ev}",
            case.expected_sid
        ));
    }
    let explanation = ev.to_string();
    for needle in &case.explanation_contains {
        if !explanation.contains(needle.as_str()) {
            return Err(format!(
                "{label}: explanation lacks `{needle}`:\n{explanation}"
            ));
        }
    }
    Ok(())
}

#[test]
fn corpus() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut total = 0;
    let mut failures = Vec::new();
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(path).unwrap();
        let cases: Vec<Case> = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{name}: invalid corpus file: {e}"));
        assert!(!cases.is_empty(), "{name} has no cases");
        for (i, case) in cases.iter().enumerate() {
            total += 1;
            if let Err(e) = run_case(&name, i, case) {
                failures.push(e);
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {total} cases failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    assert!(
        total >= 40,
        "the corpus should hold at least 40 cases, found {total}"
    );
}
