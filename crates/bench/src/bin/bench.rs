//! `cargo xtask bench`: engine throughput through the same entry point every caller uses
//! (`World::call`: request decoding, the authorization seam, real AES-256-GCM, one CloudTrail
//! event per call), printed as a table. Figures, not pass/fail: they belong in reports.

use std::time::Duration;

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine as _;
use cloud::World;
use serde_json::{Value, json};

const BUDGET: Duration = Duration::from_millis(1500);
const T0: i64 = bench::T0;

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn row(name: &str, n: u64, elapsed: Duration, unit: &str, per: f64) {
    let rate = n as f64 * per / elapsed.as_secs_f64();
    println!("| {name:<44} | {rate:>14.1} {unit:<6} | {n:>9} |");
}

/// Command-line options: `--json PATH` writes the engine rows as JSON (for the report),
/// `--engine-only` stops after them, `--budget-ms N` sets their time per row (default 1500),
/// `--count N [--op OP] [--typed]` runs each engine operation (or only OP) N times, through
/// `World::call` or (`--typed`) the typed client, and prints nothing but a summary (for
/// profilers and instruction counters).
struct Options {
    json: Option<String>,
    engine_only: bool,
    count: Option<u64>,
    budget: Duration,
}

fn options() -> Result<Options, String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .map(|i| {
                args.get(i + 1)
                    .cloned()
                    .ok_or_else(|| format!("{name} needs a value"))
            })
            .transpose()
    };
    Ok(Options {
        json: value("--json")?,
        engine_only: args.iter().any(|a| a == "--engine-only"),
        count: value("--count")?
            .map(|c| c.parse::<u64>().map_err(|e| format!("--count: {e}")))
            .transpose()?,
        budget: value("--budget-ms")?
            .map(|c| c.parse::<u64>().map_err(|e| format!("--budget-ms: {e}")))
            .transpose()?
            .map_or(BUDGET, Duration::from_millis),
    })
}

fn main() -> Result<(), String> {
    let opts = options()?;
    if let Some(count) = opts.count {
        let mut engine = bench::Engine::new()?;
        let only = std::env::args().skip_while(|a| a != "--op").nth(1);
        let typed = std::env::args().any(|a| a == "--typed");
        for (key, _) in bench::ENGINE_ROWS {
            if only.as_deref().is_some_and(|o| o != key) {
                continue;
            }
            for _ in 0..count {
                if typed {
                    engine.run_typed(key);
                } else {
                    engine.run(key);
                }
            }
        }
        println!(
            "{count} calls of each engine operation, {} failed",
            engine.failures
        );
        return Ok(());
    }

    println!(
        "KMS Lab engine benchmark (release, one thread; key policy + IAM evaluation and CloudTrail on every call)\n"
    );
    println!(
        "| {:<44} | {:>21} | {:>9} |",
        "operation", "throughput", "runs"
    );
    println!("|{}|{}|{}|", "-".repeat(46), "-".repeat(23), "-".repeat(11));

    let origin = std::time::Instant::now();
    let clock = move || origin.elapsed().as_secs_f64();
    let (rows, mut engine) =
        bench::engine_rows(&clock, &bench::cpu_seconds, opts.budget.as_secs_f64())?;
    for r in &rows {
        row(
            r.label,
            r.runs,
            Duration::from_secs_f64(r.secs),
            "ops/s",
            1.0,
        );
    }
    // The same calls through the typed client (printed after the table).
    let typed = bench::typed_rows(
        &mut engine,
        &clock,
        &bench::cpu_seconds,
        opts.budget.as_secs_f64(),
    );
    let mut failures = engine.failures;
    if let Some(path) = &opts.json {
        let report = json!({
            "engine": bench::rows_json(&rows),
            "engine_cpu": bench::rows_cpu_json(&rows),
            "engine_typed": bench::rows_json(&typed),
            "engine_typed_cpu": bench::rows_cpu_json(&typed),
        });
        let text = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
        std::fs::write(path, text).map_err(|e| format!("{path}: {e}"))?;
    }
    if opts.engine_only {
        return if failures > 0 {
            Err(format!("{failures} calls failed during the benchmark"))
        } else {
            Ok(())
        };
    }

    // The rest runs on the same world.
    let bench::Engine {
        mut world,
        ctx,
        key,
        ..
    } = engine;
    let call = |w: &mut World, op: &str, input: Value| {
        w.call(&ctx, "kms", op, input).map_err(|e| e.to_string())
    };

    // Envelope encryption of 1 MiB: one GenerateDataKey, then local AES-256-GCM with the data key.
    let data = vec![0x5au8; 1 << 20];
    let (n, t) = bench::measure(BUDGET, || {
        let Ok(dk) = call(
            &mut world,
            "GenerateDataKey",
            json!({ "KeyId": key, "KeySpec": "AES_256" }),
        ) else {
            failures += 1;
            return;
        };
        let raw = base64::engine::general_purpose::STANDARD
            .decode(dk["Plaintext"].as_str().unwrap_or_default())
            .unwrap_or_default();
        match Aes256Gcm::new_from_slice(&raw) {
            Ok(cipher) => {
                failures += u64::from(
                    cipher
                        .encrypt(Nonce::from_slice(&[1u8; 12]), data.as_slice())
                        .is_err(),
                )
            }
            Err(_) => failures += 1,
        }
    });
    row(
        "Envelope encryption, 1 MiB (GenerateDataKey + AES-GCM)",
        n,
        t,
        "MB/s",
        1.048_576,
    );

    for (label, spec, alg) in [
        (
            "RSA_2048, RSASSA_PSS_SHA_256",
            "RSA_2048",
            "RSASSA_PSS_SHA_256",
        ),
        (
            "ECC_NIST_P256, ECDSA_SHA_256",
            "ECC_NIST_P256",
            "ECDSA_SHA_256",
        ),
    ] {
        let signing_key = call(
            &mut world,
            "CreateKey",
            json!({ "KeySpec": spec, "KeyUsage": "SIGN_VERIFY" }),
        )?["KeyMetadata"]["KeyId"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let message = b64(b"an invoice to sign");
        let sign_input = json!({ "KeyId": signing_key, "Message": message, "MessageType": "RAW", "SigningAlgorithm": alg });
        let signature = call(&mut world, "Sign", sign_input.clone())?["Signature"].clone();
        let (n, t) = bench::measure(BUDGET, || {
            failures += u64::from(call(&mut world, "Sign", sign_input.clone()).is_err());
        });
        row(&format!("Sign ({label})"), n, t, "ops/s", 1.0);
        let verify_input = json!({ "KeyId": signing_key, "Message": message, "MessageType": "RAW", "SigningAlgorithm": alg, "Signature": signature });
        let (n, t) = bench::measure(BUDGET, || {
            let ok = call(&mut world, "Verify", verify_input.clone())
                .map(|v| v["SignatureValid"] == true)
                .unwrap_or(false);
            failures += u64::from(!ok);
        });
        row(&format!("Verify ({label})"), n, t, "ops/s", 1.0);
    }

    println!(
        "\nThe same three calls through the typed client (world.client(&ctx).kms(): the same seam, no JSON codec)\n"
    );
    for r in &typed {
        row(
            r.label,
            r.runs,
            Duration::from_secs_f64(r.secs),
            "ops/s",
            1.0,
        );
    }
    println!("\nCloudTrail events recorded: {}", world.events().count());
    failures += grading()?;
    if failures > 0 {
        return Err(format!("{failures} calls failed during the benchmark"));
    }
    Ok(())
}

/// What the browser pays after every learner operation while a scenario is open: grading every
/// objective and wrong-turn detector on clones of the solved world.
fn grading() -> Result<u64, String> {
    println!(
        "\nScenario grading (solved world, seed 7: every objective and wrong-turn detector, each on a clone)\n"
    );
    println!(
        "| {:<32} | {:>10} | {:>12} | {:>6} |",
        "scenario", "objectives", "ms per grade", "runs"
    );
    println!(
        "|{}|{}|{}|{}|",
        "-".repeat(34),
        "-".repeat(12),
        "-".repeat(14),
        "-".repeat(8)
    );
    let mut failures = 0;
    for s in lab::scenario::catalog()
        .iter()
        .filter(|s| s.availability == lab::scenario::Availability::Playable)
    {
        let mut session = awscli::Session::new(7, T0);
        lab::scenario::start(&mut session, s.id, 7).map_err(|e| e.to_string())?;
        lab::scenario::solve(&mut session, s.id, None).map_err(|e| e.to_string())?;
        let mut passed = 0;
        let (n, t) = bench::measure(Duration::from_millis(600), || {
            let r = lab::scenario::evaluate(&session, s.id).unwrap_or_default();
            let _ = lab::scenario::wrong_turns(&session, s.id);
            passed = r
                .iter()
                .filter(|o| o.status == lab::scenario::Status::Passed)
                .count();
        });
        let total = s.counted().count();
        failures += u64::from(passed != total);
        let ms = t.as_secs_f64() * 1000.0 / n.max(1) as f64;
        println!(
            "| {:<32} | {:>10} | {ms:>12.2} | {n:>6} |",
            s.id,
            format!("{passed}/{total}")
        );
    }
    // The same after the story's load test: a bucket holding the objects of 12,000 uploads, which
    // every grading clone copies.
    let mut session = awscli::Session::new(7, T0);
    lab::scenario::start(&mut session, "s3-bucket-keys", 7).map_err(|e| e.to_string())?;
    lab::scenario::solve(&mut session, "s3-bucket-keys", None).map_err(|e| e.to_string())?;
    let out = session.run_line_in_memory(
        "lab load --s3-put 12000 --bucket clickstream-111122223333 --profile app",
    );
    failures += u64::from(out.exit_code != 0);
    let (n, t) = bench::measure(Duration::from_millis(600), || {
        let _ = lab::scenario::evaluate(&session, "s3-bucket-keys");
        let _ = lab::scenario::wrong_turns(&session, "s3-bucket-keys");
    });
    let ms = t.as_secs_f64() * 1000.0 / n.max(1) as f64;
    println!(
        "| {:<32} | {:>10} | {ms:>12.2} | {n:>6} |",
        "s3-bucket-keys + 12,000 objects", "4/4"
    );
    Ok(failures)
}
