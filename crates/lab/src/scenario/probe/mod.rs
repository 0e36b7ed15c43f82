//! The checker's view: a throw-away clone of the learner's session, read through typed helpers.
//!
//! Checks never index JSON: they ask the probe's service handles ([`Probe::kms`],
//! [`Probe::ec2`], [`Probe::rds`], [`Probe::s3`], [`Probe::iam`]) for typed answers, read
//! CloudTrail through [`Event`], and analyse policies as [`policy::PolicyDocument`]s
//! ([`policies`]). The handles call the world's typed client (`world.client(&ctx).kms()…`,
//! the same audited seam as `World::call`) and read cloud's own response structs, turned into
//! the probe's views where needed ([`shapes`]). [`Probe::call`], `Kms::call` and `S3::call`
//! stay JSON: any operation by name, for attempts whose answer is not read.

mod client;
pub mod policies;
pub mod shapes;
mod trail;

use std::collections::BTreeMap;

use awscli::{LineOutput, Session};
use base64::Engine as _;
use cloud::AwsError;
use serde_json::Value;

pub use client::{Ec2, Iam, Kms, PutObject, Rds, S3};
pub use trail::Event;

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

    /// KMS as `profile` (in the profile's Region unless [`Kms::region`] says otherwise).
    pub fn kms<'p>(&'p mut self, profile: &'p str) -> Kms<'p> {
        Kms::new(self, profile)
    }

    /// EC2 (EBS) as `profile`.
    pub fn ec2<'p>(&'p mut self, profile: &'p str) -> Ec2<'p> {
        Ec2::new(self, profile)
    }

    /// RDS as `profile`.
    pub fn rds<'p>(&'p mut self, profile: &'p str) -> Rds<'p> {
        Rds::new(self, profile)
    }

    /// S3 as `profile`.
    pub fn s3<'p>(&'p mut self, profile: &'p str) -> S3<'p> {
        S3::new(self, profile)
    }

    /// IAM as `profile`.
    pub fn iam<'p>(&'p mut self, profile: &'p str) -> Iam<'p> {
        Iam::new(self, profile)
    }

    /// One typed call as `profile` (in its Region) through the world's typed client, for the
    /// services without a handle of their own: `p.typed("app", |c| c.secretsmanager().…)`.
    pub fn typed<T, E: cloud::ServiceError>(
        &mut self,
        profile: &str,
        f: impl FnOnce(cloud::service::Client<'_>) -> Result<T, E>,
    ) -> Result<T, AwsError> {
        let ctx = self
            .session
            .world
            .context_for_profile(Some(profile), None)?;
        f(self.session.world.client(&ctx)).map_err(|e| e.to_aws())
    }

    /// Calls `service`'s `op` as `profile` in the clone, for requests whose answer the check
    /// does not read (an attempt that must be allowed or denied, a change made in the clone).
    pub fn call(
        &mut self,
        profile: &str,
        service: &str,
        op: &str,
        input: Value,
    ) -> Result<Value, AwsError> {
        client::call(self, profile, None, None, service, op, input)
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
    pub fn events_since_start(&self) -> Vec<Event<'_>> {
        self.session
            .world
            .events()
            .filter(|e| e.event_time_ms >= self.started_ms)
            .map(Event::new)
            .collect()
    }

    /// Decrypts file `name` as `profile` with `context`; `Ok(plaintext bytes)` or
    /// `Err("Code: message")`.
    pub fn decrypt_file(
        &mut self,
        profile: &str,
        name: &str,
        context: Option<&[(&str, &str)]>,
    ) -> Result<Vec<u8>, String> {
        let Some(blob) = self.file_b64(name) else {
            return Err(format!("{name} is missing"));
        };
        self.kms(profile)
            .decrypt(&blob, context)
            .map(|d| d.plaintext)
            .map_err(|e| format!("{}: {}", e.code, e.message))
    }

    /// The key's metadata as `admin`.
    pub fn describe(&mut self, key: &str) -> Result<shapes::KeyMetadata, AwsError> {
        self.kms("admin").describe_key(key)
    }

    /// The key's state as `admin` sees it, or the error code.
    pub fn key_state(&mut self, key: &str) -> Result<shapes::KeyState, String> {
        self.describe(key).map(|m| m.key_state).map_err(|e| e.code)
    }

    /// The key policy as `admin` reads it (`None` if GetKeyPolicy fails or it does not parse).
    pub fn key_policy(&mut self, key: &str) -> Option<policy::PolicyDocument> {
        self.kms("admin").key_policy(key).ok()
    }

    /// The keys of `account` in `region` as the world stores them (the grader's own view: no
    /// call, no authorization, so a key whose policy admits no administrator is still seen).
    pub fn key_views(&self, account: &str, region: &str) -> Vec<cloud::kms::KeyView> {
        self.session.world.kms().key_views(account, region)
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
