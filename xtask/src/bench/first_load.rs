//! `cargo xtask bench --first-load [--loads N]`: the time to `window.kmsLab.ready` on a first
//! visit, with the release bundle (`dist/`) served gzipped, at 20 Mbit/s with 40 ms latency
//! (Chromium's network emulation) and on loopback (`crates/bench/wasm/first_load.mjs`). Writes
//! `target/bench/first_load.json` and adds `first_load_ready_ms` to `target/bench/report.json`
//! when that exists. Figures, never pass/fail.

use std::fs;

use serde_json::{Value, json};

use super::super::{Result, cmd, only_options, option, root};
use super::{load_average, read_json, write_json};

fn ms(v: &Value) -> String {
    v.as_f64()
        .map_or_else(|| "—".to_owned(), |x| format!("{x:.0} ms"))
}

pub(crate) fn first_load(args: &[String]) -> Result {
    only_options(args, &["--loads"])?;
    let loads = option(args, "--loads")?.unwrap_or_else(|| "5".to_owned());
    if !root().join("dist/index.html").exists() {
        super::super::dist()?;
    }
    super::super::ensure_browser()?;
    super::super::ensure_e2e_packages()?;
    eprintln!("xtask: ▶ first-load bench: dist/ served gzipped to headless Chromium");
    let o = cmd("node")
        .arg(root().join("crates/bench/wasm/first_load.mjs"))
        .args(["--loads", &loads])
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| format!("node: {e}"))?;
    if !o.status.success() {
        return Err("first-load bench failed (see above)".to_owned());
    }
    let mut r: Value =
        serde_json::from_slice(&o.stdout).map_err(|e| format!("first-load bench output: {e}"))?;
    r["machine"] = json!({ "load_average_1m": load_average(), "cpus": std::thread::available_parallelism().map(usize::from).ok() });
    println!(
        "\nFirst load (`kmsLab.ready` after navigation start, fresh cache, served gzipped; wasm {} KiB gzipped)",
        r["wasm_gz_kib"]
    );
    println!(
        "| network | ready p50 | ready max | wasm arrived (p50) | transferred before ready | longest task before ready | a KMS command sent at ready answered (p50) |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for (name, label) in [
        ("emulated", "20 Mbit/s, 40 ms latency"),
        ("loopback", "loopback"),
    ] {
        let n = &r[name];
        println!(
            "| {label} | {} | {} | {} | {} KiB | {} | {} |",
            ms(&n["ready_ms"]["p50"]),
            ms(&n["ready_ms"]["max"]),
            ms(&n["wasm_response_end_ms_p50"]),
            n["transferred_kib"],
            ms(&n["longest_task_before_ready_ms"]),
            ms(&n["first_kms_run_ms_p50"])
        );
    }
    println!(
        "\ngoal: ready ≤ 1 s at 20 Mbit/s with 40 ms latency: {}",
        if r["goal_met"] == true {
            "met"
        } else {
            "not met"
        }
    );
    let dir = root().join("target/bench");
    fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let path = dir.join("first_load.json");
    write_json(&path, &r)?;
    let report = dir.join("report.json");
    if report.exists() {
        let mut all = read_json(&report)?;
        all["first_load_ready_ms"] = json!({
            "emulated_20mbit_40ms": r["emulated"]["ready_ms"],
            "loopback": r["loopback"]["ready_ms"],
        });
        write_json(&report, &all)?;
    }
    println!("\nreport: {}", path.display());
    Ok(())
}
