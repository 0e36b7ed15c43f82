//! Shared helpers of the benchmark and fuzz binaries, and the engine benchmark itself: the same
//! code runs natively (`cargo xtask bench`) and compiled to wasm32 in headless Chromium
//! (`cargo xtask bench --wasm`), each with its own clock.

use base64::Engine as _;
use cloud::{CallContext, World};
use serde_json::{Value, json};

/// The world's start time in the benchmarks (epoch ms).
pub const T0: i64 = 1_795_377_420_000;

/// Runs `f` repeatedly for about `budget` seconds of `clock` (seconds, monotonic) and returns
/// (iterations, elapsed seconds).
pub fn measure_with(clock: &dyn Fn() -> f64, budget: f64, mut f: impl FnMut()) -> (u64, f64) {
    let start = clock();
    let mut n = 0u64;
    loop {
        let elapsed = clock() - start;
        if elapsed >= budget {
            return (n, elapsed);
        }
        for _ in 0..16 {
            f();
        }
        n += 16;
    }
}

/// Runs `f` repeatedly for about `budget` and returns (iterations, elapsed) on the real clock
/// (native only: the wasm32 target has no `Instant`).
#[cfg(not(target_arch = "wasm32"))]
pub fn measure(budget: std::time::Duration, f: impl FnMut()) -> (u64, std::time::Duration) {
    let origin = std::time::Instant::now();
    let clock = move || origin.elapsed().as_secs_f64();
    let (n, secs) = measure_with(&clock, budget.as_secs_f64(), f);
    (n, std::time::Duration::from_secs_f64(secs))
}

/// The engine rows every report carries: (report key, table label).
pub const ENGINE_ROWS: [(&str, &str); 3] = [
    ("Encrypt", "Encrypt (64 B, encryption context)"),
    ("Decrypt", "Decrypt (64 B, encryption context)"),
    ("GenerateDataKey", "GenerateDataKey (AES_256)"),
];

/// The engine benchmark's world: one symmetric key, called through `World::call` (request
/// decoding, the authorization seam with the key policy and the caller's IAM policies, real
/// AES-256-GCM, one CloudTrail event per call), as the `admin` profile.
#[derive(Debug)]
pub struct Engine {
    /// The world (request quotas off: the bench measures the engine, not the simulated quotas,
    /// which would throttle these bursts inside one simulated second, as AWS would).
    pub world: World,
    /// The caller.
    pub ctx: CallContext,
    /// The key id.
    pub key: String,
    /// The JSON inputs, built once: each call sends a copy (as a caller reusing a prepared
    /// request does; moto's anchor likewise copies its context per call).
    encrypt_input: Value,
    decrypt_input: Value,
    generate_data_key_input: Value,
    typed_plaintext: Vec<u8>,
    typed_context: cloud::kms::model::EncryptionContext,
    typed_blob: Vec<u8>,
    /// Calls that failed (there should be none).
    pub failures: u64,
}

impl Engine {
    /// A fresh world (seed 42) with one key and one ciphertext to decrypt.
    pub fn new() -> Result<Self, String> {
        let mut world = World::new(42, T0);
        world.set_request_quotas(false);
        let ctx = world
            .context_for_profile(None, None)
            .map_err(|e| e.to_string())?;
        let key = world
            .call(&ctx, "kms", "CreateKey", json!({}))
            .map_err(|e| e.to_string())?["KeyMetadata"]["KeyId"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let plaintext = base64::engine::general_purpose::STANDARD.encode([7u8; 64]);
        let context = json!({ "purpose": "bench", "dept": "lab" });
        let blob = world
            .call(
                &ctx,
                "kms",
                "Encrypt",
                json!({ "KeyId": key, "Plaintext": plaintext, "EncryptionContext": context }),
            )
            .map_err(|e| e.to_string())?["CiphertextBlob"]
            .clone();
        let typed_blob = base64::engine::general_purpose::STANDARD
            .decode(blob.as_str().unwrap_or_default())
            .map_err(|e| e.to_string())?;
        Ok(Self {
            encrypt_input: json!({ "KeyId": key, "Plaintext": plaintext, "EncryptionContext": context }),
            decrypt_input: json!({ "CiphertextBlob": blob, "EncryptionContext": context }),
            generate_data_key_input: json!({ "KeyId": key, "KeySpec": "AES_256" }),
            world,
            ctx,
            key,
            typed_plaintext: vec![7u8; 64],
            typed_context: [("purpose", "bench"), ("dept", "lab")]
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect(),
            typed_blob,
            failures: 0,
        })
    }

    fn call(&mut self, op: &str, input: Value) -> Option<Value> {
        let r = self.world.call(&self.ctx, "kms", op, input).ok();
        self.failures += u64::from(r.is_none());
        r
    }

    /// One `Encrypt` of 64 bytes with a two-pair encryption context.
    pub fn encrypt(&mut self) -> Option<Value> {
        self.call("Encrypt", self.encrypt_input.clone())
    }

    /// One `Decrypt` of that ciphertext, with its encryption context.
    pub fn decrypt(&mut self) -> Option<Value> {
        self.call("Decrypt", self.decrypt_input.clone())
    }

    /// One `GenerateDataKey` (AES_256).
    pub fn generate_data_key(&mut self) -> Option<Value> {
        self.call("GenerateDataKey", self.generate_data_key_input.clone())
    }

    /// The operation of a report key (`Encrypt`, `Decrypt`, `GenerateDataKey`).
    pub fn run(&mut self, op: &str) {
        let _ = match op {
            "Encrypt" => self.encrypt(),
            "Decrypt" => self.decrypt(),
            _ => self.generate_data_key(),
        };
    }

    /// The same call through the typed client (`world.client(&ctx).kms()`), which enters the
    /// same audited seam (authorization, one CloudTrail event) without the JSON codec.
    pub fn run_typed(&mut self, op: &str) {
        use cloud::kms::model::{Blob, DecryptRequest, EncryptRequest, GenerateDataKeyRequest};
        let mut kms = self.world.client(&self.ctx).kms();
        let ok = match op {
            "Encrypt" => kms
                .encrypt(EncryptRequest {
                    key_id: self.key.clone(),
                    plaintext: Blob(self.typed_plaintext.clone()),
                    encryption_context: Some(self.typed_context.clone()),
                    ..EncryptRequest::default()
                })
                .is_ok(),
            "Decrypt" => kms
                .decrypt(DecryptRequest {
                    ciphertext_blob: Blob(self.typed_blob.clone()),
                    encryption_context: Some(self.typed_context.clone()),
                    ..DecryptRequest::default()
                })
                .is_ok(),
            _ => kms
                .generate_data_key(GenerateDataKeyRequest {
                    key_id: self.key.clone(),
                    key_spec: Some("AES_256".to_owned()),
                    ..GenerateDataKeyRequest::default()
                })
                .is_ok(),
        };
        self.failures += u64::from(!ok);
    }
}

/// One measured row.
#[derive(Debug, Clone)]
pub struct Measured {
    /// The report key (`Encrypt`, …).
    pub key: &'static str,
    /// The table label.
    pub label: &'static str,
    /// Calls made.
    pub runs: u64,
    /// Seconds they took (wall clock).
    pub secs: f64,
    /// CPU seconds the process spent meanwhile, where the platform tells (Linux): on a shared
    /// machine, wall time also counts the time other processes held the CPU.
    pub cpu_secs: Option<f64>,
}

impl Measured {
    /// Calls per second (wall clock).
    pub fn ops_per_s(&self) -> f64 {
        self.runs as f64 / self.secs.max(f64::MIN_POSITIVE)
    }

    /// Calls per CPU second, if measured.
    pub fn ops_per_cpu_s(&self) -> Option<f64> {
        self.cpu_secs
            .map(|c| self.runs as f64 / c.max(f64::MIN_POSITIVE))
    }
}

/// The CPU time this process has run, in seconds (Linux: `/proc/self/schedstat`, nanosecond
/// resolution); `None` elsewhere.
#[cfg(not(target_arch = "wasm32"))]
pub fn cpu_seconds() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/self/schedstat").ok()?;
    let ns = text.split_whitespace().next()?.parse::<f64>().ok()?;
    Some(ns / 1e9)
}

/// Measures the three engine rows for about `budget` seconds each on `clock`, after a short
/// warm-up, reading `cpu` (CPU seconds, if the platform tells) before and after each row.
/// Returns the rows and the engine (its world, its count of failed calls).
pub fn engine_rows(
    clock: &dyn Fn() -> f64,
    cpu: &dyn Fn() -> Option<f64>,
    budget: f64,
) -> Result<(Vec<Measured>, Engine), String> {
    let mut engine = Engine::new()?;
    let rows = rows_of(&mut engine, clock, cpu, budget, Engine::run);
    Ok((rows, engine))
}

/// The same rows through the typed client ([`Engine::run_typed`]).
pub fn typed_rows(
    engine: &mut Engine,
    clock: &dyn Fn() -> f64,
    cpu: &dyn Fn() -> Option<f64>,
    budget: f64,
) -> Vec<Measured> {
    rows_of(engine, clock, cpu, budget, Engine::run_typed)
}

fn rows_of(
    engine: &mut Engine,
    clock: &dyn Fn() -> f64,
    cpu: &dyn Fn() -> Option<f64>,
    budget: f64,
    call: fn(&mut Engine, &str),
) -> Vec<Measured> {
    // Every row runs before any is measured: a JIT (the browser's wasm tiers, compiled in the
    // background) reaches its steady state on the code all rows share, so the first row is not
    // measured partly on the baseline tier. Then a short warm-up of each row's own code.
    for (key, _) in ENGINE_ROWS {
        let _ = measure_with(clock, budget / 3.0, || call(engine, key));
    }
    let mut rows = Vec::new();
    for (key, label) in ENGINE_ROWS {
        let _ = measure_with(clock, budget / 10.0, || call(engine, key));
        let cpu_before = cpu();
        let (runs, secs) = measure_with(clock, budget, || call(engine, key));
        let cpu_secs = cpu().zip(cpu_before).map(|(after, before)| after - before);
        rows.push(Measured {
            key,
            label,
            runs,
            secs,
            cpu_secs,
        });
    }
    rows
}

fn round1(x: f64) -> Value {
    json!((x * 10.0).round() / 10.0)
}

/// The rows as the report's `{"Encrypt": ops_per_s, …}` object (wall clock).
pub fn rows_json(rows: &[Measured]) -> Value {
    Value::Object(
        rows.iter()
            .map(|r| (r.key.to_owned(), round1(r.ops_per_s())))
            .collect(),
    )
}

/// The rows per CPU second (`null` where not measured).
pub fn rows_cpu_json(rows: &[Measured]) -> Value {
    Value::Object(
        rows.iter()
            .map(|r| {
                (
                    r.key.to_owned(),
                    r.ops_per_cpu_s().map_or(Value::Null, round1),
                )
            })
            .collect(),
    )
}
