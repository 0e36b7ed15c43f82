//! Table-driven KMS authorization corpus.
//!
//! `tests/corpus/policies.json` maps names to policy documents shared by every case file;
//! each other `tests/corpus/*.json` file is `{ "policies": {...}?, "cases": [...] }`, parsed
//! strictly (`deny_unknown_fields`). A policy is given by name or inline as a JSON object.
//!
//! Accounts: the key lives in 111122223333 unless `key.account` says otherwise; 444455556666 is
//! "the other account".
//!
//! Caller shorthand (`caller`, and `grantee` of a grant): `[ACCT:]user/NAME`, `[ACCT:]root`,
//! `[ACCT:]assumed-role/ROLE/SESSION`, `service/NAME`; a grantee may also be `[ACCT:]role/NAME` or
//! a raw ARN.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::path::Path;

use authz::{Caller, GrantFacts, KeyFacts, KeyManager, KmsRequest, NamedPolicy, authorize_kms};
use policy::{Limits, PolicyDocument, PolicyKind};
use serde::Deserialize;
use serde_json::Value;

const KEY_ACCOUNT: &str = "111122223333";
const KEY_ID: &str = "1234abcd-12ab-34cd-56ef-1234567890ab";
/// 2026-05-28T20:26:40Z.
const DEFAULT_NOW_S: i64 = 1_780_000_000;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    policies: BTreeMap<String, Value>,
    cases: Vec<Case>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    /// What the case shows, with the AWS page for non-obvious rules.
    description: String,
    caller: String,
    action: String,
    key_policy: Value,
    #[serde(default)]
    identity_policies: Vec<Value>,
    #[serde(default)]
    grants: Vec<GrantSpec>,
    #[serde(default)]
    key: KeySpec,
    #[serde(default)]
    context: ContextSpec,
    expect_allowed: bool,
    /// The `Gate` variant name.
    expect_gate: String,
    /// A substring of `aws_message` (denials) or of the rendered explanation (allows).
    #[serde(default)]
    expect_text: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeySpec {
    account: Option<String>,
    region: Option<String>,
    #[serde(default)]
    aws_managed: bool,
    key_spec: Option<String>,
    key_usage: Option<String>,
    origin: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    tags: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ContextSpec {
    encryption_context: Option<BTreeMap<String, String>>,
    via_service: Option<String>,
    #[serde(default = "yes")]
    secure_transport: bool,
    source_ip: Option<String>,
    /// Epoch seconds.
    now: Option<i64>,
    #[serde(default)]
    grant_tokens: Vec<String>,
    #[serde(default)]
    extra: BTreeMap<String, Vec<String>>,
}

impl Default for ContextSpec {
    fn default() -> Self {
        Self {
            encryption_context: None,
            via_service: None,
            secure_transport: true,
            source_ip: None,
            now: None,
            grant_tokens: Vec::new(),
            extra: BTreeMap::new(),
        }
    }
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GrantSpec {
    id: String,
    grantee: String,
    operations: Vec<String>,
    equals: Option<BTreeMap<String, String>>,
    subset: Option<BTreeMap<String, String>>,
    /// Seconds between creation and the request (default one hour).
    #[serde(default = "hour")]
    age_s: i64,
}

fn hour() -> i64 {
    3600
}

fn split_account(spec: &str) -> (&str, &str) {
    match spec.split_once(':') {
        Some((acct, rest)) if acct.len() == 12 && acct.bytes().all(|b| b.is_ascii_digit()) => {
            (acct, rest)
        }
        _ => (KEY_ACCOUNT, spec),
    }
}

fn caller(spec: &str) -> Caller {
    if let Some(name) = spec.strip_prefix("service/") {
        return Caller::service(name, KEY_ACCOUNT);
    }
    let (acct, rest) = split_account(spec);
    let parts: Vec<&str> = rest.split('/').collect();
    match parts.as_slice() {
        ["root"] => Caller::root(acct),
        ["user", name] => Caller::user(acct, name),
        ["assumed-role", role, session] => Caller::assumed_role(acct, role, session),
        _ => panic!("bad caller shorthand `{spec}`"),
    }
}

fn grantee(spec: &str) -> String {
    if spec.starts_with("arn:") || spec.contains(".amazonaws.com") {
        return spec.to_owned();
    }
    let (acct, rest) = split_account(spec);
    if let Some(role) = rest.strip_prefix("role/") {
        return format!("arn:aws:iam::{acct}:role/{role}");
    }
    caller(spec).arn
}

fn resolve<'v>(
    v: &'v Value,
    shared: &'v BTreeMap<String, Value>,
    local: &'v BTreeMap<String, Value>,
) -> &'v Value {
    match v {
        Value::String(name) => local
            .get(name)
            .or_else(|| shared.get(name))
            .unwrap_or_else(|| panic!("unknown policy `{name}`")),
        other => other,
    }
}

fn parse(v: &Value, kind: PolicyKind) -> PolicyDocument {
    let json = serde_json::to_string(v).unwrap();
    let limits = match kind {
        PolicyKind::Resource => Limits::kms_key_policy(),
        _ => Limits::iam_managed(),
    };
    PolicyDocument::parse(&json, kind, limits)
        .unwrap_or_else(|e| panic!("policy does not parse: {e}\n{json}"))
}

fn run_case(
    case: &Case,
    shared: &BTreeMap<String, Value>,
    local: &BTreeMap<String, Value>,
) -> Result<(), String> {
    let key_policy = parse(
        resolve(&case.key_policy, shared, local),
        PolicyKind::Resource,
    );
    let identity: Vec<(String, PolicyDocument)> = case
        .identity_policies
        .iter()
        .map(|v| {
            let name = match v {
                Value::String(n) => n.clone(),
                _ => "inline".to_owned(),
            };
            (name, parse(resolve(v, shared, local), PolicyKind::Identity))
        })
        .collect();
    let named: Vec<NamedPolicy<'_>> = identity
        .iter()
        .map(|(name, document)| NamedPolicy {
            name: name.clone(),
            document,
        })
        .collect();
    let account = case
        .key
        .account
        .clone()
        .unwrap_or_else(|| KEY_ACCOUNT.to_owned());
    let region = case
        .key
        .region
        .clone()
        .unwrap_or_else(|| "us-east-1".to_owned());
    let key = KeyFacts {
        arn: format!("arn:aws:kms:{region}:{account}:key/{KEY_ID}"),
        account,
        region,
        manager: if case.key.aws_managed {
            KeyManager::Aws
        } else {
            KeyManager::Customer
        },
        key_spec: case
            .key
            .key_spec
            .clone()
            .unwrap_or_else(|| "SYMMETRIC_DEFAULT".into()),
        key_usage: case
            .key
            .key_usage
            .clone()
            .unwrap_or_else(|| "ENCRYPT_DECRYPT".into()),
        origin: case.key.origin.clone().unwrap_or_else(|| "AWS_KMS".into()),
        aliases: case.key.aliases.clone(),
        tags: case.key.tags.clone().into_iter().collect(),
        policy: &key_policy,
    };
    let now_ms = case.context.now.unwrap_or(DEFAULT_NOW_S) * 1000;
    let grants: Vec<GrantFacts> = case
        .grants
        .iter()
        .map(|g| GrantFacts {
            grant_id: g.id.clone(),
            grantee_principal: grantee(&g.grantee),
            retiring_principal: None,
            operations: g.operations.clone(),
            encryption_context_equals: g.equals.clone(),
            encryption_context_subset: g.subset.clone(),
            created_ms: now_ms - g.age_s * 1000,
            token: format!("token-{}", g.id),
        })
        .collect();
    let who = caller(&case.caller);
    let req = KmsRequest {
        caller: &who,
        action: &case.action,
        key: &key,
        identity_policies: &named,
        grants: &grants,
        grant_tokens: &case.context.grant_tokens,
        encryption_context: case.context.encryption_context.as_ref(),
        via_service: case.context.via_service.as_deref(),
        secure_transport: case.context.secure_transport,
        source_ip: case.context.source_ip.as_deref(),
        now_ms,
        extra_conditions: case
            .context
            .extra
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    };
    let d = authorize_kms(&req);
    let rendered = d.explanation.to_string();
    let gate = format!("{:?}", d.gate);
    let mut problems = Vec::new();
    let quick = authz::decide_kms_request(&req);
    if quick != authz::KmsVerdict::of(&d) {
        problems.push(format!("decide_kms disagrees: {quick:?}"));
    }
    if d.allowed != case.expect_allowed {
        problems.push(format!(
            "allowed: expected {}, got {}",
            case.expect_allowed, d.allowed
        ));
    }
    if gate != case.expect_gate {
        problems.push(format!("gate: expected {}, got {gate}", case.expect_gate));
    }
    if d.allowed != d.aws_message.is_empty() {
        problems.push(format!("aws_message inconsistent: `{}`", d.aws_message));
    }
    if !d.allowed
        && !d.aws_message.starts_with(&format!(
            "User: {} is not authorized to perform: {} on resource: {}",
            who.arn, case.action, key.arn
        ))
    {
        problems.push(format!("aws_message form: `{}`", d.aws_message));
    }
    if let Some(t) = &case.expect_text {
        let hay = if d.allowed { &rendered } else { &d.aws_message };
        if !hay.contains(t.as_str()) && !rendered.contains(t.as_str()) {
            problems.push(format!("text `{t}` not found"));
        }
    }
    if !rendered.starts_with(if d.allowed { "ALLOWED: " } else { "DENIED: " }) {
        problems.push("verdict line".to_owned());
    }
    serde_json::to_string(&d).map_err(|e| e.to_string())?;
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{}\n  {}\n{rendered}\n  message: {}",
            case.description,
            problems.join("\n  "),
            d.aws_message
        ))
    }
}

#[test]
fn corpus() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let shared: BTreeMap<String, Value> =
        serde_json::from_str(&std::fs::read_to_string(dir.join("policies.json")).unwrap()).unwrap();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json") && !p.ends_with("policies.json"))
        .collect();
    files.sort();
    let (mut total, mut failures) = (0, Vec::new());
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let file: File =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for case in &file.cases {
            total += 1;
            if let Err(e) = run_case(case, &shared, &file.policies) {
                failures.push(format!(
                    "{}: {e}",
                    path.file_name().unwrap().to_string_lossy()
                ));
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
        total >= 80,
        "the corpus should hold at least 80 cases, found {total}"
    );
    eprintln!("{total} corpus cases passed");
}
