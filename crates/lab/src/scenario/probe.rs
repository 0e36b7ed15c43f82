//! The checker's view: a throw-away clone of the learner's session.

use std::collections::BTreeMap;

use awscli::{LineOutput, Session};
use base64::Engine as _;
use cloud::{AwsError, StoredEvent};
use serde_json::Value;

/// How long [`Probe::settle`] waits: longer than grant propagation.
pub const SETTLE_MS: i64 = 5 * 60_000;

/// A checker's verdict with the evidence it saw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    /// Whether the objective holds.
    pub passed: bool,
    /// What the check observed, in a sentence or two.
    pub evidence: String,
}

impl Verdict {
    /// A pass.
    pub fn pass(evidence: impl Into<String>) -> Self {
        Self {
            passed: true,
            evidence: evidence.into(),
        }
    }

    /// A fail.
    pub fn fail(evidence: impl Into<String>) -> Self {
        Self {
            passed: false,
            evidence: evidence.into(),
        }
    }

    /// Both must hold; evidence of the first failure, or both evidences.
    pub fn and(self, next: impl FnOnce() -> Verdict) -> Verdict {
        if !self.passed {
            return self;
        }
        let n = next();
        Verdict {
            passed: n.passed,
            evidence: if n.passed {
                format!("{} {}", self.evidence, n.evidence)
            } else {
                n.evidence
            },
        }
    }
}

/// A clone of the learner's session plus the scenario's recorded variables. Anything a check
/// does here is thrown away.
#[derive(Debug)]
pub struct Probe {
    /// The clone (its `vars` include the recorded variables).
    pub session: Session,
    vars: BTreeMap<String, String>,
    started_ms: i64,
    seed: u64,
}

impl Probe {
    pub(crate) fn new(
        session: Session,
        vars: BTreeMap<String, String>,
        started_ms: i64,
        seed: u64,
    ) -> Self {
        Self {
            session,
            vars,
            started_ms,
            seed,
        }
    }

    /// The seed the scenario was started with (its variant).
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// A variable recorded at setup (empty if missing).
    pub fn var(&self, name: &str) -> String {
        self.vars.get(name).cloned().unwrap_or_default()
    }

    /// Runs a line of the learner's language in the clone.
    pub fn run(&mut self, line: &str) -> LineOutput {
        crate::script::run_line(&mut self.session, line)
    }

    /// Calls a KMS operation as `profile` in the clone.
    pub fn kms(&mut self, profile: &str, op: &str, input: Value) -> Result<Value, AwsError> {
        self.call(profile, "kms", op, input)
    }

    /// Calls `service`'s `op` as `profile` in the clone.
    pub fn call(
        &mut self,
        profile: &str,
        service: &str,
        op: &str,
        input: Value,
    ) -> Result<Value, AwsError> {
        let w = &mut self.session.world;
        let ctx = w.context_for_profile(Some(profile), None)?;
        w.call(&ctx, service, op, input)
    }

    /// A file of the learner's session.
    pub fn file(&self, name: &str) -> Option<Vec<u8>> {
        use awscli::FileSystem as _;
        self.session.files.read(name).ok()
    }

    /// A file as base64 (for `CiphertextBlob`), if present.
    pub fn file_b64(&self, name: &str) -> Option<String> {
        self.file(name)
            .map(|b| base64::engine::general_purpose::STANDARD.encode(b))
    }

    /// CloudTrail events since the scenario started, oldest first.
    pub fn events_since_start(&self) -> Vec<&StoredEvent> {
        self.session
            .world
            .events()
            .filter(|e| e.event_time_ms >= self.started_ms)
            .collect()
    }

    /// Decrypts file `name` as `profile` with `context`; `Ok(plaintext bytes)` or the AWS error.
    pub fn decrypt_file(
        &mut self,
        profile: &str,
        name: &str,
        context: Option<Value>,
    ) -> Result<Vec<u8>, String> {
        let Some(blob) = self.file_b64(name) else {
            return Err(format!("{name} is missing"));
        };
        let mut input = serde_json::json!({ "CiphertextBlob": blob });
        if let (Some(ctx), Some(obj)) = (context, input.as_object_mut()) {
            obj.insert("EncryptionContext".into(), ctx);
        }
        match self.kms(profile, "Decrypt", input) {
            Ok(v) => {
                let b64 = v["Plaintext"].as_str().unwrap_or_default();
                base64::engine::general_purpose::STANDARD
                    .decode(b64)
                    .map_err(|e| e.to_string())
            }
            Err(e) => Err(format!("{}: {}", e.code, e.message)),
        }
    }

    /// The key's metadata as `admin`, or the error code.
    pub fn describe(&mut self, key: &str) -> Result<Value, String> {
        self.kms("admin", "DescribeKey", serde_json::json!({ "KeyId": key }))
            .map(|v| v["KeyMetadata"].clone())
            .map_err(|e| e.code)
    }

    /// The key policy (parsed) as `admin`.
    pub fn key_policy(&mut self, key: &str) -> Option<Value> {
        let v = self
            .kms(
                "admin",
                "GetKeyPolicy",
                serde_json::json!({ "KeyId": key, "PolicyName": "default" }),
            )
            .ok()?;
        serde_json::from_str(v["Policy"].as_str()?).ok()
    }

    /// Lets five simulated minutes pass in the clone, so new grants have propagated (as they
    /// would before an application's next run; grantees without the grant token wait for this).
    pub fn settle(&mut self) {
        self.session.world.advance_clock(SETTLE_MS);
    }

    /// The simulated time.
    pub fn now_ms(&self) -> i64 {
        self.session.world.now_ms()
    }
}

/// The statements of a policy document (a single statement object counts as one).
pub fn statements(policy: &Value) -> Vec<&Value> {
    match &policy["Statement"] {
        Value::Array(a) => a.iter().collect(),
        v @ Value::Object(_) => vec![v],
        _ => Vec::new(),
    }
}

/// A statement's principal values (`"*"`, ARNs, service names), flattened.
pub fn principals(statement: &Value) -> Vec<String> {
    fn strings(v: &Value) -> Vec<String> {
        match v {
            Value::String(s) => vec![s.clone()],
            Value::Array(a) => a
                .iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect(),
            Value::Object(m) => m.values().flat_map(strings).collect(),
            _ => Vec::new(),
        }
    }
    strings(&statement["Principal"])
}

/// Whether the policy has an Allow statement for the account root (`arn:aws:iam::ACCT:root` or
/// the bare account id), which lets IAM policies take effect.
pub fn has_root_statement(policy: &Value, account: &str) -> bool {
    let root = format!("arn:aws:iam::{account}:root");
    statements(policy)
        .iter()
        .any(|s| s["Effect"] == "Allow" && principals(s).iter().any(|p| *p == root || p == account))
}

/// Whether the policy allows everyone (`"Principal": "*"` or `{"AWS": "*"}`) without conditions.
pub fn allows_everyone(policy: &Value) -> bool {
    statements(policy).iter().any(|s| {
        s["Effect"] == "Allow"
            && s.get("Condition").is_none()
            && principals(s).iter().any(|p| p == "*")
    })
}
