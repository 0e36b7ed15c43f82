//! Simulated load: `World::load` drives a burst of one KMS operation at a rate for a duration
//! on the simulated clock, without storing an event per request.
//!
//! Each simulated second makes a few real calls (CloudTrail samples: the first request of the
//! first seconds, and the first throttled request), then admits the rest of that second's
//! requests in bulk against the same request-rate quota, bills them, and adds them to the
//! CloudTrail counters. Bulk requests are assumed to end like that second's real call.

use std::collections::BTreeMap;

use base64::Engine as _;
use serde::Serialize;
use serde_json::{Value, json};

use crate::context::CallContext;
use crate::error::AwsError;
use crate::kms::KmsRequest;
use crate::world::World;

/// Real calls (stored CloudTrail events) are made in at most this many seconds.
const SAMPLE_SECONDS: u64 = 5;
/// Longest load: one simulated hour.
const MAX_DURATION_MS: i64 = 3_600_000;
/// Highest rate.
const MAX_RATE: u64 = 10_000_000;

/// What a load run did.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct LoadReport {
    /// The operation.
    pub operation: String,
    /// The key named.
    pub key_id: String,
    /// Requests per second asked for.
    pub rate_per_second: u64,
    /// Duration on the simulated clock.
    pub duration_ms: i64,
    /// Requests made.
    pub requests: u64,
    /// Requests that succeeded.
    pub succeeded: u64,
    /// Requests answered with `ThrottlingException`.
    pub throttled: u64,
    /// Requests that failed otherwise, by error code.
    pub failed: BTreeMap<String, u64>,
    /// The request-rate quota the operation counts toward, and its limit per second.
    pub quota: Option<(String, u64)>,
    /// Succeeded and throttled requests of each simulated second (at most the first 60).
    pub per_second: Vec<(u64, u64)>,
    /// Event ids of the real calls recorded in CloudTrail.
    pub sample_event_ids: Vec<String>,
}

fn b64(b: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(b)
}

/// A load run under way (see [`World::load_start`]): the simulated seconds still to drive.
#[derive(Debug)]
pub struct LoadRun {
    ctx: CallContext,
    input: Value,
    req: KmsRequest,
    key_arn: Option<String>,
    throttle_sampled: bool,
    elapsed: i64,
    second: u64,
    report: LoadReport,
}

impl LoadRun {
    /// Simulated seconds driven so far.
    pub fn done(&self) -> u64 {
        self.second
    }

    /// Simulated seconds in the run (the last one may be partial).
    pub fn total(&self) -> u64 {
        u64::try_from((self.report.duration_ms + 999) / 1000).unwrap_or(0)
    }

    /// True when the whole duration has been driven.
    pub fn is_finished(&self) -> bool {
        self.elapsed >= self.report.duration_ms
    }

    /// The report so far.
    pub fn report(&self) -> &LoadReport {
        &self.report
    }
}

impl World {
    /// Drives `rate_per_s` requests per second of `operation` (Encrypt, Decrypt,
    /// GenerateDataKey, GenerateDataKeyWithoutPlaintext, GenerateRandom, DescribeKey,
    /// GetPublicKey, Sign, GenerateMac) with `key` for `duration_ms` of simulated time, as `ctx`.
    /// The clock advances by the duration.
    pub fn load(
        &mut self,
        ctx: &CallContext,
        operation: &str,
        key: &str,
        rate_per_s: u64,
        duration_ms: i64,
    ) -> Result<LoadReport, AwsError> {
        let mut run = self.load_start(ctx, operation, key, rate_per_s, duration_ms)?;
        self.load_step(&mut run, u64::MAX);
        Ok(run.report)
    }

    /// Starts [`World::load`]: checks the request and builds it (which may call DescribeKey or
    /// Encrypt once, as the one-go run does), without driving any second yet. Drive it with
    /// [`World::load_step`] until [`LoadRun::is_finished`]; make no other calls meanwhile.
    pub fn load_start(
        &mut self,
        ctx: &CallContext,
        operation: &str,
        key: &str,
        rate_per_s: u64,
        duration_ms: i64,
    ) -> Result<LoadRun, AwsError> {
        let invalid = |m: String| AwsError::new("ValidationException", m);
        if rate_per_s == 0 || rate_per_s > MAX_RATE {
            return Err(invalid(format!("rate must be 1 to {MAX_RATE} per second")));
        }
        if duration_ms <= 0 || duration_ms > MAX_DURATION_MS {
            return Err(invalid("duration must be 1 ms to 1 hour".into()));
        }
        // KMS's request decoding is the engine's extension's code (`service::Hooks`).
        let Some(ext) = crate::service::present_or_want() else {
            return Err(crate::world::not_installed("kms"));
        };
        let input = self.load_input(ctx, operation, key)?;
        let req = (ext.hooks.kms_request)(operation, input.clone())
            .ok_or_else(|| invalid(format!("cannot build a {operation} request")))?;
        let (spec, _, _) = self.kms.quota_subject(ctx, &req);
        let quota = crate::kms::quota::quota_for(operation, spec, &ctx.region)
            .map(|(n, l)| (n.to_owned(), l));
        let key_arn = self.kms.key_arn_for(ctx, key);
        Ok(LoadRun {
            ctx: ctx.clone(),
            input,
            req,
            key_arn,
            throttle_sampled: false,
            elapsed: 0,
            second: 0,
            report: LoadReport {
                operation: operation.to_owned(),
                key_id: key.to_owned(),
                rate_per_second: rate_per_s,
                duration_ms,
                requests: 0,
                succeeded: 0,
                throttled: 0,
                failed: BTreeMap::new(),
                quota,
                per_second: Vec::new(),
                sample_event_ids: Vec::new(),
            },
        })
    }

    /// Drives up to `max_seconds` more simulated seconds of `run` (none once it is finished).
    pub fn load_step(&mut self, run: &mut LoadRun, max_seconds: u64) {
        let LoadRun {
            ctx,
            input,
            req,
            key_arn,
            throttle_sampled,
            elapsed,
            second,
            report,
        } = run;
        let ctx = &*ctx;
        let operation = report.operation.clone();
        let operation = operation.as_str();
        let (rate_per_s, duration_ms) = (report.rate_per_second, report.duration_ms);
        let mut driven = 0u64;
        while *elapsed < duration_ms && driven < max_seconds {
            let span = (duration_ms - *elapsed).min(1000);
            let n = rate_per_s * u64::try_from(span).unwrap_or(0) / 1000;
            let (mut ok, mut throttled, mut last_error) = (0u64, 0u64, None::<String>);
            let mut rest = n;
            if n > 0 && *second < SAMPLE_SECONDS {
                rest -= 1;
                match self.sample(ctx, operation, input, report) {
                    Ok(()) => ok += 1,
                    Err(code) if code == "ThrottlingException" => {
                        throttled += 1;
                        *throttle_sampled = true;
                    }
                    Err(code) => last_error = Some(code),
                }
            }
            let admitted = self
                .kms
                .admit(ctx, operation, req, self.now_ms(), rest, true);
            let mut over = rest - admitted;
            if over > 0 && !*throttle_sampled {
                *throttle_sampled = true;
                over -= 1;
                let _ = self.sample(ctx, operation, input, report);
                throttled += 1;
            }
            throttled += over;
            match &last_error {
                Some(code) => {
                    *report.failed.entry(code.clone()).or_default() += admitted + 1;
                }
                None => ok += admitted,
            }
            let failed_bulk = if last_error.is_some() { admitted } else { 0 };
            self.trail.count_bulk(
                operation,
                key_arn.as_deref(),
                &ctx.account,
                admitted - failed_bulk,
                over + failed_bulk,
            );
            report.requests += n;
            report.succeeded += ok;
            report.throttled += throttled;
            if report.per_second.len() < 60 {
                report.per_second.push((ok, throttled));
            }
            self.advance_clock(span);
            *elapsed += span;
            *second += 1;
            driven += 1;
        }
    }

    /// Ends `run` and answers its report (the seconds not driven are not in it).
    pub fn load_finish(&mut self, run: LoadRun) -> LoadReport {
        run.report
    }

    /// One real call; `Err(code)` on failure.
    fn sample(
        &mut self,
        ctx: &CallContext,
        operation: &str,
        input: &Value,
        report: &mut LoadReport,
    ) -> Result<(), String> {
        let r = self.call(ctx, "kms", operation, input.clone());
        if let Some(ev) = self.trail.events().last() {
            report.sample_event_ids.push(ev.event_id.clone());
        }
        r.map(|_| ()).map_err(|e| e.code)
    }

    fn load_input(&mut self, ctx: &CallContext, op: &str, key: &str) -> Result<Value, AwsError> {
        let msg = b64(b"KMS Lab load test");
        let describe = |w: &mut World| w.call(ctx, "kms", "DescribeKey", json!({ "KeyId": key }));
        let first = |v: &Value, field: &str| {
            v.pointer(&format!("/KeyMetadata/{field}/0"))
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        Ok(match op {
            "Encrypt" | "Decrypt" => {
                let meta = describe(self)?;
                let alg = first(&meta, "EncryptionAlgorithms")
                    .unwrap_or_else(|| "SYMMETRIC_DEFAULT".into());
                let alg = if alg == "SYMMETRIC_DEFAULT" {
                    alg
                } else {
                    "RSAES_OAEP_SHA_256".into()
                };
                let enc = json!({ "KeyId": key, "Plaintext": msg, "EncryptionAlgorithm": alg });
                if op == "Encrypt" {
                    enc
                } else {
                    let out = self.call(ctx, "kms", "Encrypt", enc)?;
                    json!({
                        "KeyId": key,
                        "CiphertextBlob": out.get("CiphertextBlob").cloned().unwrap_or(Value::Null),
                        "EncryptionAlgorithm": alg,
                    })
                }
            }
            "GenerateDataKey" | "GenerateDataKeyWithoutPlaintext" => {
                json!({ "KeyId": key, "KeySpec": "AES_256" })
            }
            "GenerateRandom" => json!({ "NumberOfBytes": 32 }),
            "DescribeKey" | "GetPublicKey" => json!({ "KeyId": key }),
            "Sign" => {
                let meta = describe(self)?;
                let alg = first(&meta, "SigningAlgorithms").unwrap_or_default();
                json!({ "KeyId": key, "Message": msg, "SigningAlgorithm": alg })
            }
            "GenerateMac" => {
                let meta = describe(self)?;
                let alg = first(&meta, "MacAlgorithms").unwrap_or_default();
                json!({ "KeyId": key, "Message": msg, "MacAlgorithm": alg })
            }
            other => {
                return Err(AwsError::new(
                    "ValidationException",
                    format!(
                        "lab load supports Encrypt, Decrypt, GenerateDataKey, GenerateDataKeyWithoutPlaintext, GenerateRandom, DescribeKey, GetPublicKey, Sign and GenerateMac, not `{other}`"
                    ),
                ));
            }
        })
    }
}

/// The KMS request a load drives (`service::Hooks::kms_request`): `operation` decoded from
/// `input`, if it is one.
pub(crate) fn kms_request(operation: &str, input: Value) -> Option<KmsRequest> {
    KmsRequest::decode(operation, input).and_then(Result::ok)
}
