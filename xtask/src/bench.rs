//! `cargo xtask bench [--wasm] [--instructions] [--budget-ms N] [--opt-level LEVEL]`: the engine
//! benchmark
//! (release build, `crates/bench`), its moto anchor when moto is installed, the same engine
//! rows compiled to wasm32 in headless Chromium (`--wasm`), and `target/bench/report.json`:
//!
//! ```json
//! {"engine": {"Encrypt": ops_per_s, "Decrypt": …, "GenerateDataKey": …},
//!  "engine_cpu": {…per CPU second…}, "wasm": {…} | null, "wasm_time_over_native": {…} | null,
//!  "native_after_wasm": {…} | null,  (the native run after the last page load; wasm_time_over_native:
//!    to the mean of "engine" and this)
//!  "wasm_loads": [{…}, …] | null,  ("wasm" is each row's median over these page loads)
//!  "wasm_time_over_native_interleaved": {…} | null,  (each load against the native runs just
//!    before and after it, `--engine-only`; the median over the loads)
//!  "wasm_interleaved": {"native": [{…}, …], "ratios": [{…}, …], "median": {…}} | null,
//!  "first_load_wasm_gz_kib": n | null, "moto": {…} | null, "moto_cpu": {…} | null,
//!  "engine_over_moto": {…} | null, "engine_cpu_over_moto_cpu": {…} | null,
//!  "engine_typed": {…}, "engine_typed_cpu": {…}, "engine_typed_over_moto": {…} | null,
//!    (the same calls through the typed client, `world.client(&ctx).kms()`)
//!  "instructions_per_call": {…} | null, "instructions_per_call_typed": {…} | null,
//!    (`--instructions`: callgrind's count per call, through `World::call` and the typed client)
//!  "machine": {…}}
//! ```
//!
//! Figures, never pass/fail: they belong in reports (docs/reports/).
//!
//! `cargo xtask bench --scale [--objects N] [--real-calls N] [--rounds N]`: the app (`dist/`)
//! in headless Chromium with a big world (`crates/bench/wasm/scale.mjs`): the set-up's long
//! tasks, a reload from IndexedDB (time to `kmsLab.ready`, stored size, JS heap, wasm memory)
//! and the browser time of typical commands with their saves; writes `target/bench/scale.json`.
//!
//! `cargo xtask bench --first-load [--loads N]`: the time to `kmsLab.ready` on a first visit
//! (`first_load`).

mod first_load;

use std::fs;
use std::path::Path;
use std::process::Command;

use serde_json::{Map, Value, json};

use super::{Result, cmd, only_options, option, root, run, target_dir};

const ROWS: [&str; 3] = ["Encrypt", "Decrypt", "GenerateDataKey"];

fn read_json(path: &Path) -> Result<Value> {
    let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// `a[row] / b[row]` for every row both have.
/// Writes `value` as pretty JSON to `path`.
fn write_json(path: &Path, value: &Value) -> Result {
    let text = serde_json::to_string_pretty(value).map_err(|e| e.to_string())?;
    fs::write(path, text + "\n").map_err(|e| format!("{}: {e}", path.display()))
}

/// Row by row, `f` of two tables' figures (rows missing from either, or where `f` answers
/// `None`, are left out); `null` when no row is left.
fn per_row(a: &Value, b: &Value, f: impl Fn(f64, f64) -> Option<f64>) -> Value {
    let m: Map<String, Value> = ROWS
        .iter()
        .filter_map(|r| {
            let v = f(a.get(r)?.as_f64()?, b.get(r)?.as_f64()?)?;
            Some(((*r).to_owned(), json!(v)))
        })
        .collect();
    if m.is_empty() {
        Value::Null
    } else {
        Value::Object(m)
    }
}

/// Row by row, `a ÷ b` to two decimals.
fn ratio(a: &Value, b: &Value) -> Value {
    per_row(a, b, |x, y| {
        (y > 0.0).then(|| (x / y * 100.0).round() / 100.0)
    })
}

/// Row by row, the mean of two ops/s tables, to one decimal.
fn mean(a: &Value, b: &Value) -> Value {
    per_row(a, b, |x, y| Some(((x + y) / 2.0 * 10.0).round() / 10.0))
}

fn label(row: &str) -> &'static str {
    match row {
        "Encrypt" => "Encrypt (64 B, encryption context)",
        "Decrypt" => "Decrypt (64 B, encryption context)",
        _ => "GenerateDataKey (AES_256)",
    }
}

fn num(v: &Value, row: &str) -> String {
    v.get(row)
        .and_then(Value::as_f64)
        .map_or_else(|| "–".to_owned(), |x| format!("{x:.1}"))
}

/// The moto anchor: `crates/bench/moto_anchor.py` (None when python3 or moto is missing).
fn moto(budget_s: f64) -> Option<Value> {
    let out = Command::new("python3")
        .arg(root().join("crates/bench/moto_anchor.py"))
        .arg(format!("{budget_s}"))
        .current_dir(root())
        .output();
    match out {
        Ok(o) if o.status.success() => serde_json::from_slice(&o.stdout)
            .ok()
            .filter(Value::is_object),
        Ok(o) => {
            eprintln!(
                "xtask: no moto anchor: {} (pip install moto boto3)",
                String::from_utf8_lossy(&o.stderr).trim()
            );
            None
        }
        Err(e) => {
            eprintln!("xtask: no moto anchor: python3: {e}");
            None
        }
    }
}

/// The gzipped size of the app's first-load wasm in dist/, if a bundle is there.
fn first_load_kib() -> Option<f64> {
    let (wasm, _) = super::wasm_modules(&root().join("dist")).ok()?;
    let gz = super::gzip_len(&wasm).ok()?;
    Some((gz as f64 / 1024.0 * 10.0).round() / 10.0)
}

/// Builds the wasm32 bench (the `wasm-release` profile, as the app ships: size-optimised, then
/// `wasm-opt -Oz` when it is on the PATH) into `target/bench/wasm`, before any timing.
fn build_wasm() -> Result<()> {
    super::ensure_wasm_target()?;
    super::ensure_rust_src()?;
    run(
        "build the wasm32 engine bench (wasm-release)",
        super::shipping_wasm(&mut cmd("cargo")).args([
            "build",
            "--profile",
            "wasm-release",
            "-p",
            "bench",
            "--bin",
            "wasm_bench",
            "--target",
            "wasm32-unknown-unknown",
        ]),
    )?;
    let built = target_dir()?.join("wasm32-unknown-unknown/wasm-release/wasm_bench.wasm");
    let out = root().join("target/bench/wasm");
    fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    run(
        "wasm-bindgen --target web",
        cmd("wasm-bindgen")
            .args(["--target", "web", "--no-typescript", "--out-dir"])
            .arg(&out)
            .arg(&built),
    )?;
    let bg = out.join("wasm_bench_bg.wasm");
    if super::version_of("wasm-opt", "--version").is_some() {
        run(
            "wasm-opt -Oz (as the app bundle)",
            cmd("wasm-opt")
                .args([
                    "-Oz",
                    "--enable-bulk-memory",
                    "--enable-nontrapping-float-to-int",
                ])
                .arg(&bg)
                .arg("-o")
                .arg(&bg),
        )?;
    } else {
        eprintln!("xtask: wasm-opt not found: the wasm bench runs without it");
    }
    Ok(())
}

/// Runs the built wasm32 bench in headless Chromium, with the native bench `native` run before
/// the first page load and after each one (`interleaved` in the result). Returns its JSON result.
fn run_wasm(budget_ms: u64, native: &Path) -> Result<Value> {
    let out = root().join("target/bench/wasm");
    super::ensure_browser()?;
    super::ensure_e2e_packages()?;
    eprintln!("xtask: ▶ engine bench in headless Chromium");
    let o = cmd("node")
        .arg(root().join("crates/bench/wasm/run.mjs"))
        .arg(&out)
        .arg(budget_ms.to_string())
        .arg(native)
        .output()
        .map_err(|e| format!("node: {e}"))?;
    if !o.status.success() {
        return Err(format!(
            "wasm bench failed: {}",
            String::from_utf8_lossy(&o.stderr).trim()
        ));
    }
    serde_json::from_slice(&o.stdout).map_err(|e| format!("wasm bench output: {e}"))
}

/// `--instructions`: instructions per call of each engine row (the whole loop body), through
/// `World::call` or (`typed`) the typed client, counted by callgrind on the bench binary:
/// (count(3N) - count(N)) / 2N, so the set-up cancels out. Immune to the machine's other load,
/// unlike the timings.
fn instructions_per_call(bench: &Path, typed: bool) -> Result<Value> {
    const N: u64 = 500;
    let count = |op: &str, calls: u64| -> Result<f64> {
        let out = Command::new("valgrind")
            .args(["--tool=callgrind", "--callgrind-out-file=/dev/null"])
            .arg(bench)
            .args(["--count", &calls.to_string(), "--op", op])
            .args(typed.then_some("--typed"))
            .output()
            .map_err(|e| format!("valgrind: {e} (install valgrind for --instructions)"))?;
        let text = String::from_utf8_lossy(&out.stderr);
        text.lines()
            .find_map(|l| l.split("Collected :").nth(1))
            .and_then(|n| n.trim().parse::<f64>().ok())
            .ok_or_else(|| format!("callgrind printed no count for {op}: {}", text.trim()))
    };
    let mut rows = Map::new();
    for r in ROWS {
        let way = if typed { "typed client" } else { "World::call" };
        eprintln!("xtask: ▶ callgrind: {r} ({way})");
        let per_call = (count(r, 3 * N)? - count(r, N)?) / (2 * N) as f64;
        rows.insert(r.to_owned(), json!(per_call.round()));
        println!(
            "{:<44} {:>9.0} instructions per call ({way})",
            label(r),
            per_call
        );
    }
    Ok(Value::Object(rows))
}

fn load_average() -> Value {
    fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| {
            s.split_whitespace()
                .next()
                .and_then(|x| x.parse::<f64>().ok())
        })
        .map_or(Value::Null, |x| json!(x))
}

fn ms(v: Option<&Value>) -> String {
    v.and_then(Value::as_f64)
        .map_or_else(|| "–".to_owned(), |x| format!("{x:.1}"))
}

fn mib(v: Option<&Value>) -> String {
    v.and_then(Value::as_f64).map_or_else(
        || "not reachable".to_owned(),
        |x| format!("{:.1} MiB", x / 1024.0 / 1024.0),
    )
}

/// `--scale`: the big-world measurements in the browser (figures, never pass/fail).
fn scale(args: &[String]) -> Result {
    let known = ["--objects", "--real-calls", "--rounds"];
    only_options(args, &known)?;
    let mut pass = Vec::new();
    for name in known {
        if let Some(v) = option(args, name)? {
            pass.extend([name.to_owned(), v]);
        }
    }
    if !root().join("dist/index.html").exists() {
        super::dist()?;
    }
    super::ensure_browser()?;
    super::ensure_e2e_packages()?;
    eprintln!("xtask: ▶ scale bench: the app in headless Chromium with a big world");
    let o = cmd("node")
        .arg(root().join("crates/bench/wasm/scale.mjs"))
        .args(&pass)
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| format!("node: {e}"))?;
    if !o.status.success() {
        return Err("scale bench failed (see above)".to_owned());
    }
    let mut report: Value =
        serde_json::from_slice(&o.stdout).map_err(|e| format!("scale bench output: {e}"))?;
    let date = Command::new("date")
        .args(["-u", "+%Y-%m-%dT%H:%MZ"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned());
    report["machine"] = json!({
        "date": date,
        "load_average_1m": load_average(),
        "cpus": std::thread::available_parallelism().map_or(0, usize::from),
    });
    let r = &report;

    println!("\nScale: set-up in the browser (long tasks: PerformanceObserver 'longtask')\n");
    println!(
        "| {:<62} | {:>9} | {:>10} | {:>12} | {:>13} |",
        "step", "wall ms", "long tasks", "longest ms", "blocked ms"
    );
    println!(
        "|{}|{}|{}|{}|{}|",
        "-".repeat(64),
        "-".repeat(11),
        "-".repeat(12),
        "-".repeat(14),
        "-".repeat(15)
    );
    for s in r["setup"].as_array().into_iter().flatten() {
        println!(
            "| {:<62} | {:>9} | {:>10} | {:>12} | {:>13} |",
            s["step"].as_str().unwrap_or_default(),
            ms(s.get("wall_ms")),
            s["longtasks"]["count"].to_string(),
            ms(s["longtasks"].get("max_ms")),
            ms(s["longtasks"].get("total_ms")),
        );
    }
    let stored: f64 = r["idb_records"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|x| x["chars"].as_f64())
        .sum();
    let reload = &r["reload"];
    println!(
        "\nCloudTrail: {} events counted, {} full events kept (browser retention)",
        r["trail"]["counters_total"], r["trail"]["full_events_kept"]
    );
    println!(
        "Reload: kmsLab.ready {} ms after navigation; stored {:.1} KiB in IndexedDB; JS heap {} ({} after GC); wasm memory {}",
        ms(reload.get("ready_ms")),
        stored / 1024.0,
        mib(reload.get("js_heap_used_bytes")),
        mib(reload.get("js_heap_used_bytes_after_gc")),
        mib(reload.get("wasm_memory_bytes")),
    );
    let st = &r["command_stats_ms"];
    println!(
        "\nPer command ({} commands, each after a quiet moment)\n",
        st["total_with_save"]["n"]
    );
    println!(
        "| {:<44} | {:>8} | {:>8} | {:>8} |",
        "ms", "p50", "p95", "max"
    );
    println!(
        "|{}|{}|{}|{}|",
        "-".repeat(46),
        "-".repeat(10),
        "-".repeat(10),
        "-".repeat(10)
    );
    for (name, label) in [
        (
            "wall_run_grade_render",
            "run + grade + render (to 2nd frame)",
        ),
        ("save", "save (serialise + IndexedDB)"),
        ("save_serialise", "  serialise"),
        ("save_idb", "  IndexedDB write"),
        ("total_with_save", "total: run + grade + render + save"),
    ] {
        println!(
            "| {:<44} | {:>8} | {:>8} | {:>8} |",
            label,
            ms(st[name].get("p50")),
            ms(st[name].get("p95")),
            ms(st[name].get("max"))
        );
    }
    println!(
        "\ngoal: total p95 ≤ 50 ms: {}",
        if r["goal_met"] == true {
            "met"
        } else {
            "not met"
        }
    );
    let dir = root().join("target/bench");
    fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let path = dir.join("scale.json");
    write_json(&path, &report)?;
    println!("\nreport: {}", path.display());
    Ok(())
}

pub(crate) fn bench(rest: &[String]) -> Result {
    if rest.iter().any(|a| a == "--first-load") {
        let args: Vec<String> = rest
            .iter()
            .filter(|a| *a != "--first-load")
            .cloned()
            .collect();
        return first_load::first_load(&args);
    }
    if rest.iter().any(|a| a == "--scale") {
        let args: Vec<String> = rest.iter().filter(|a| *a != "--scale").cloned().collect();
        return scale(&args);
    }
    let with_wasm = rest.iter().any(|a| a == "--wasm");
    let with_instructions = rest.iter().any(|a| a == "--instructions");
    let mut args: Vec<String> = rest
        .iter()
        .filter(|a| *a != "--wasm" && *a != "--instructions")
        .cloned()
        .collect();
    only_options(&args, &["--budget-ms", "--opt-level"])?;
    let budget_ms: u64 = option(&args, "--budget-ms")?
        .map(|b| b.parse().map_err(|e| format!("--budget-ms: {e}")))
        .transpose()?
        .unwrap_or(1500);
    let opt_level = option(&args, "--opt-level")?;
    args.clear();

    let report_dir = root().join("target/bench");
    fs::create_dir_all(&report_dir).map_err(|e| format!("{}: {e}", report_dir.display()))?;
    let native_json = report_dir.join("native.json");
    let mut native = cmd("cargo");
    native.args(["run", "--release", "-p", "bench", "--bin", "bench"]);
    let mut bench_dir = target_dir()?;
    let profile = match &opt_level {
        // Another optimisation level than the release profile's (3: native builds are
        // optimised for speed, the browser's `wasm-release` for size): built in its own target
        // directory so the release build stays as it is.
        Some(level) => {
            bench_dir = bench_dir.join(format!("bench-opt{level}"));
            native
                .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", level)
                .env("CARGO_TARGET_DIR", &bench_dir);
            format!("release with opt-level {level}")
        }
        None => "release (opt-level 3, as the native CLI ships)".to_owned(),
    };
    native
        .arg("--")
        .arg("--json")
        .arg(&native_json)
        .arg("--budget-ms")
        .arg(budget_ms.to_string());
    if with_wasm {
        build_wasm()?;
    }
    run(&format!("engine benchmark ({profile})"), &mut native)?;
    let native = read_json(&native_json)?;
    // The browser's run comes right after the native one, and `run.mjs` runs the native rows
    // again after each page load: the ratio is taken against the mean of the native run before
    // the browser's and the last one after it, so a machine whose speed drifts between runs does
    // not skew it (before session 13 the ratio was to one native run made minutes before the
    // browser's, after the wasm build).
    let wasm = if with_wasm {
        let w = run_wasm(budget_ms, &bench_dir.join("release/bench"))?;
        let after = w
            .pointer("/interleaved/native")
            .and_then(Value::as_array)
            .and_then(|runs| runs.last())
            .cloned()
            .unwrap_or(Value::Null);
        Some((w, after))
    } else {
        None
    };
    let engine = native.get("engine").cloned().unwrap_or(Value::Null);
    let engine_cpu = native.get("engine_cpu").cloned().unwrap_or(Value::Null);
    let engine_typed = native.get("engine_typed").cloned().unwrap_or(Value::Null);
    let engine_typed_cpu = native
        .get("engine_typed_cpu")
        .cloned()
        .unwrap_or(Value::Null);
    let (instructions, instructions_typed) = if with_instructions {
        let bin = bench_dir.join("release/bench");
        (
            instructions_per_call(&bin, false)?,
            instructions_per_call(&bin, true)?,
        )
    } else {
        (Value::Null, Value::Null)
    };

    let moto = moto(budget_ms as f64 / 1000.0);
    let moto_wall = moto.as_ref().map(|m| {
        Value::Object(
            ROWS.iter()
                .filter_map(|r| Some(((*r).to_owned(), m.get(r)?.clone())))
                .collect(),
        )
    });
    let moto_cpu = moto.as_ref().and_then(|m| m.get("cpu")).cloned();
    if let (Some(m), Some(wall)) = (&moto, &moto_wall) {
        let version = m.get("moto").and_then(Value::as_str).unwrap_or("?");
        println!(
            "\nAnchor: moto {version}'s KMS backend called directly (Python; no authorization, no CloudTrail), same calls\n"
        );
        println!(
            "| {:<44} | {:>12} | {:>12} | {:>8} | {:>12} | {:>12} | {:>8} |",
            "operation",
            "moto ops/s",
            "engine ops/s",
            "× moto",
            "moto /CPU s",
            "engine /CPU s",
            "× moto"
        );
        println!(
            "|{}|{}|{}|{}|{}|{}|{}|",
            "-".repeat(46),
            "-".repeat(14),
            "-".repeat(14),
            "-".repeat(10),
            "-".repeat(14),
            "-".repeat(15),
            "-".repeat(10)
        );
        let wall_ratio = ratio(&engine, wall);
        let cpu_ratio = moto_cpu
            .as_ref()
            .map_or(Value::Null, |c| ratio(&engine_cpu, c));
        for r in ROWS {
            println!(
                "| {:<44} | {:>12} | {:>12} | {:>8} | {:>12} | {:>13} | {:>8} |",
                label(r),
                num(wall, r),
                num(&engine, r),
                num(&wall_ratio, r),
                moto_cpu
                    .as_ref()
                    .map_or_else(|| "–".to_owned(), |c| num(c, r)),
                num(&engine_cpu, r),
                num(&cpu_ratio, r),
            );
        }
        let typed_ratio = ratio(&engine_typed, wall);
        let typed_cpu_ratio = moto_cpu
            .as_ref()
            .map_or(Value::Null, |c| ratio(&engine_typed_cpu, c));
        println!(
            "\nThe same calls through the typed client (world.client(&ctx).kms(), no JSON codec)\n"
        );
        for r in ROWS {
            println!(
                "| {:<44} | {:>12} | {:>12} | {:>8} | {:>12} | {:>13} | {:>8} |",
                label(r),
                num(wall, r),
                num(&engine_typed, r),
                num(&typed_ratio, r),
                moto_cpu
                    .as_ref()
                    .map_or_else(|| "–".to_owned(), |c| num(c, r)),
                num(&engine_typed_cpu, r),
                num(&typed_cpu_ratio, r),
            );
        }
    } else {
        println!("\nAnchor: moto is not installed (pip install moto boto3): no anchor this run");
    }

    let native_after = wasm.as_ref().map(|(_, after)| after.clone());
    let native_around = native_after.as_ref().map(|after| mean(&engine, after));
    let wasm = wasm.map(|(w, _)| w);
    let wasm_engine = wasm.as_ref().and_then(|w| w.get("engine")).cloned();
    // Time per call in the browser over time per call natively: native ops/s ÷ wasm ops/s,
    // native being the mean of the runs just before and just after the browser's.
    let wasm_ratio = match (&wasm_engine, &native_around) {
        (Some(w), Some(n)) => ratio(n, w),
        _ => Value::Null,
    };
    let wasm_interleaved = wasm
        .as_ref()
        .and_then(|w| w.pointer("/interleaved/median"))
        .cloned()
        .unwrap_or(Value::Null);
    if let Some(w) = &wasm_engine {
        println!(
            "\nWASM (the same engine rows, wasm32 release + wasm-opt -Oz, headless Chromium)\n"
        );
        let after = native_after.clone().unwrap_or(Value::Null);
        println!(
            "| {:<44} | {:>14} | {:>14} | {:>14} | {:>22} |",
            "operation", "native before", "wasm ops/s", "native after", "wasm time ÷ native"
        );
        println!(
            "|{}|{}|{}|{}|{}|",
            "-".repeat(46),
            "-".repeat(16),
            "-".repeat(16),
            "-".repeat(16),
            "-".repeat(24)
        );
        for r in ROWS {
            println!(
                "| {:<44} | {:>14} | {:>14} | {:>14} | {:>22} |",
                label(r),
                num(&engine, r),
                num(w, r),
                num(&after, r),
                num(&wasm_ratio, r)
            );
        }
        println!(
            "\n(native ops/s just before and just after the browser's run; the ratio is to their mean)"
        );
        if let Value::Object(m) = &wasm_interleaved {
            let each = |r: &str| {
                m.get(r)
                    .and_then(Value::as_f64)
                    .map_or("-".to_owned(), |x| format!("{x:.2}"))
            };
            println!(
                "Interleaved (each page load against the native runs just before and after it; median of the loads): {}",
                ROWS.iter()
                    .map(|r| format!("{} {}", r, each(r)))
                    .collect::<Vec<_>>()
                    .join(" / ")
            );
        }
    }

    let report = json!({
        "engine": engine,
        "engine_cpu": engine_cpu,
        "wasm": wasm_engine,
        "wasm_time_over_native": wasm_ratio,
        "wasm_time_over_native_interleaved": wasm_interleaved,
        "wasm_interleaved": wasm.as_ref().and_then(|w| w.get("interleaved")).cloned(),
        "native_after_wasm": native_after,
        "wasm_browser": wasm.as_ref().and_then(|w| w.get("browser")).cloned(),
        "wasm_loads": wasm.as_ref().and_then(|w| w.get("loads")).cloned(),
        "first_load_wasm_gz_kib": first_load_kib(),
        "moto": moto_wall,
        "moto_cpu": moto_cpu,
        "moto_version": moto.as_ref().and_then(|m| m.get("moto")).cloned(),
        "engine_over_moto": moto_wall.as_ref().map_or(Value::Null, |m| ratio(&engine, m)),
        "engine_cpu_over_moto_cpu": moto_cpu.as_ref().map_or(Value::Null, |m| ratio(&engine_cpu, m)),
        "engine_typed": engine_typed,
        "engine_typed_cpu": engine_typed_cpu,
        "engine_typed_over_moto": moto_wall.as_ref().map_or(Value::Null, |m| ratio(&engine_typed, m)),
        "instructions_per_call": instructions,
        "instructions_per_call_typed": instructions_typed,
        "machine": {
            "load_average_1m": load_average(),
            "cpus": std::thread::available_parallelism().map_or(0, usize::from),
        },
        "profile": profile,
        "budget_ms_per_row": budget_ms,
    });
    let path = report_dir.join("report.json");
    write_json(&path, &report)?;
    println!("\nreport: {}", path.display());
    Ok(())
}
