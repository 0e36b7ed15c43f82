//! Project tasks for KMS Lab: `cargo xtask serve | test | dist | oembed | scorm | bench | fuzz`.
//!
//! Every task installs what it needs and is missing (pinned versions, never a second install of a
//! tool that is already present at that version), so a fresh machine needs only rustup's stable
//! toolchain, Node.js/npm and apt.

use std::env;
use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

mod bench;
mod catalog;
mod fuzz;
mod oembed;
mod scorm;
mod split;

const TRUNK_VERSION: &str = "0.21.14";
const WASM_BINDGEN_VERSION: &str = "0.2.130";
const BINARYEN_VERSION: &str = "132.0.0";
const SERVE_ADDR: &str = "127.0.0.1";
const SERVE_PORT: &str = "8080";

type Result<T = ()> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let task = args.first().map(String::as_str).unwrap_or("help");
    let rest = args.get(1..).unwrap_or(&[]);
    let result = match task {
        "serve" => serve(rest),
        "test" => test(rest),
        "dist" => dist_task(rest),
        "oembed" => oembed_task(rest),
        "scorm" => scorm_task(rest),
        "scenario-bundle" => scenario_bundle_task(rest),
        "split-wasm" => split::split_wasm_task(rest),
        "bench" => bench::bench(rest),
        "fuzz" => fuzz::fuzz(rest),
        "setup" => ensure_build_tools(),
        "help" | "--help" | "-h" => {
            println!("{HELP}");
            Ok(())
        }
        other => Err(format!("unknown task `{other}`\n\n{HELP}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: error: {message}");
            ExitCode::FAILURE
        }
    }
}

const HELP: &str = "cargo xtask <task>

tasks:
  serve            install what is missing, build, and serve the lab on http://127.0.0.1:8080
  test             install what is missing and run every check (fmt, clippy, native tests,
                   wasm tests in headless Chromium, Playwright end-to-end tests)
  dist [--base-url URL]
                   release bundle into dist/, prints the .wasm size raw and gzipped; writes
                   oembed/<id>.json and s/<id>.html for every scenario, with absolute URLs
                   under URL (where index.html is served) or, without it, relative ones
  oembed --out DIR [--base-url URL]
                   only the oEmbed files (oembed/, s/) into DIR, no build
  scorm (--scenario ID | --quiz TOPIC) [--dist DIR] [--out FILE]
                   SCORM 1.2 zip (default target/scorm/kmslab-<scenario|quiz>-<id>.zip) from a
                   fresh release build, or from the bundle already in DIR
  scenario-bundle [--out DIR]
                   writes scenarios.json (the scenario data the app fetches) into DIR, by
                   default trunk's staging directory ($TRUNK_STAGING_DIR: a Trunk.toml hook)
  split-wasm [--staging DIR] [--profile release|debug] [--input WASM] [--keep-names]
                   cuts the app's wasm into its first download and the chunks loaded on first
                   use (src/lazy/), in trunk's staging directory ($TRUNK_STAGING_DIR and
                   $TRUNK_PROFILE: a Trunk.toml hook)
  bench [--wasm] [--budget-ms N] [--opt-level LEVEL]
                   engine throughput figures (release build) with the moto anchor when moto
                   is installed; --wasm also runs the engine rows compiled to wasm32 in
                   headless Chromium; writes target/bench/report.json
  bench --scale [--objects N] [--real-calls N] [--rounds N]
                   the app (dist/) in headless Chromium with a big world: set-up long tasks,
                   reload from IndexedDB, per-command time and saves; target/bench/scale.json
  bench --first-load [--loads N]
                   time to kmsLab.ready on a first visit, dist/ served gzipped, at 20 Mbit/s
                   with 40 ms latency and on loopback; target/bench/first_load.json
  fuzz [SECONDS]   longer randomised campaign of the terminal input path (not part of CI)
  fuzz --libfuzzer [SECONDS_PER_TARGET] [--target NAME]... [--target-dir DIR]
                   coverage-guided libFuzzer targets in fuzz/ (cargo fuzz, installed when
                   missing), one at a time on one core; not part of CI
  setup            install the build tools only";

fn root() -> PathBuf {
    // xtask/ lives one level below the workspace root.
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(Path::to_path_buf).unwrap_or(manifest)
}

fn tools_dir() -> PathBuf {
    root().join(".tools")
}

fn cargo_bin_dir() -> PathBuf {
    let home = env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from("/root/.cargo"));
    home.join("bin")
}

/// PATH with the project's tools first: npm's binaryen, then cargo-installed binaries.
fn tool_path() -> OsString {
    let mut parts = vec![
        tools_dir().join("node_modules").join(".bin"),
        cargo_bin_dir(),
    ];
    if let Some(path) = env::var_os("PATH") {
        parts.extend(env::split_paths(&path));
    }
    env::join_paths(parts).unwrap_or_default()
}

fn cmd(program: &str) -> Command {
    let mut c = Command::new(program);
    c.env("PATH", tool_path()).current_dir(root());
    c
}

fn run(step: &str, command: &mut Command) -> Result {
    eprintln!("xtask: ▶ {step}");
    let started = Instant::now();
    let status = command
        .status()
        .map_err(|e| format!("{step}: could not start: {e}"))?;
    eprintln!(
        "xtask: {} {step} ({:.1}s)",
        if status.success() { "✔" } else { "✘" },
        started.elapsed().as_secs_f64()
    );
    if status.success() {
        Ok(())
    } else {
        Err(format!("{step} failed ({status})"))
    }
}

/// First line of `program --version`, or None if the program is not there.
fn version_of(program: &str, arg: &str) -> Option<String> {
    let out = cmd(program)
        .arg(arg)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .next()
        .map(str::to_owned)
}

/// Adds rustup's `kind` (`target` or `component`) `name` unless `rustup KIND list --installed`
/// lists it.
fn ensure_rustup(kind: &str, name: &str) -> Result {
    let installed = cmd("rustup")
        .args([kind, "list", "--installed"])
        .output()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .any(|l| l.trim() == name)
        })
        .unwrap_or(false);
    if installed {
        return Ok(());
    }
    run(
        &format!("rustup {kind} add {name}"),
        cmd("rustup").args([kind, "add", name]),
    )
}

fn ensure_wasm_target() -> Result {
    ensure_rustup("target", "wasm32-unknown-unknown")
}

/// The standard library's sources, which the shipped wasm builds compile (see [`shipping_wasm`]).
fn ensure_rust_src() -> Result {
    ensure_rustup("component", "rust-src")
}

/// The settings of a shipped wasm build (the app's `trunk build --release`, the wasm bench): the
/// standard library is compiled with the app (`-Zbuild-std`, size-optimised with its
/// `optimize_for_size` feature) and a panic aborts at once (`-Cpanic=immediate-abort`), without
/// the panic machinery's formatting and messages, which `wasm32-unknown-unknown` has nowhere to
/// print anyway: a panic was already fatal to the page. These are unstable cargo and rustc
/// options, taken on the stable toolchain with `RUSTC_BOOTSTRAP=1` (as `cargo xtask fuzz` does),
/// and they apply to the wasm32 target only: the build scripts and proc macros cargo builds for
/// the host are built as usual. `--cfg wasm_speed` compiles the hot functions of a KMS call's
/// path for speed in a build otherwise optimised for size (`#[optimize(speed)]`: `cloud`'s crate
/// root says which and why). Trunk's hooks (`cargo xtask …`, Trunk.toml) run with these
/// variables removed, so the host build of the xtask is not rebuilt with the standard library.
fn shipping_wasm(c: &mut Command) -> &mut Command {
    c.env("RUSTC_BOOTSTRAP", "1")
        .env("CARGO_UNSTABLE_BUILD_STD", "std,panic_abort")
        .env("CARGO_UNSTABLE_BUILD_STD_FEATURES", "optimize_for_size")
        // `.cargo/config.toml`'s flag for the wasm target, repeated: this variable is the same
        // setting (whether cargo joins the two lists or takes this one, the linker gets the flag).
        .env(
            "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS",
            "-Clink-arg=--emit-relocs -Zunstable-options -Cpanic=immediate-abort --cfg wasm_speed",
        )
}

fn ensure_cargo_tool(program: &str, krate: &str, version: &str, locked: bool) -> Result {
    let found = version_of(program, "--version").unwrap_or_default();
    if found.split_whitespace().any(|w| w == version) {
        return Ok(());
    }
    let mut c = cmd("cargo");
    c.args(["install", krate, "--version", version]);
    if locked {
        c.arg("--locked");
    }
    run(
        &format!("cargo install {krate} {version} (first time only)"),
        &mut c,
    )
}

fn ensure_binaryen() -> Result {
    let found = version_of("wasm-opt", "--version").unwrap_or_default();
    let major = BINARYEN_VERSION.split('.').next().unwrap_or_default();
    if found.contains(&format!("version {major}")) {
        return Ok(());
    }
    fs::create_dir_all(tools_dir()).map_err(|e| format!("create .tools: {e}"))?;
    run(
        &format!("npm install binaryen@{BINARYEN_VERSION} into .tools"),
        cmd("npm")
            .args([
                "install",
                "--no-audit",
                "--no-fund",
                "--prefix",
                ".tools",
                &format!("binaryen@{BINARYEN_VERSION}"),
            ])
            .current_dir(root()),
    )
}

fn ensure_build_tools() -> Result {
    ensure_wasm_target()?;
    ensure_rust_src()?;
    ensure_binaryen()?;
    ensure_cargo_tool(
        "wasm-bindgen",
        "wasm-bindgen-cli",
        WASM_BINDGEN_VERSION,
        false,
    )?;
    ensure_cargo_tool("trunk", "trunk", TRUNK_VERSION, true)?;
    Ok(())
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

fn apt(args: &[&str]) -> Command {
    let mut c = if is_root() {
        Command::new("apt-get")
    } else {
        let mut s = Command::new("sudo");
        s.arg("apt-get");
        s
    };
    c.args(args).env("DEBIAN_FRONTEND", "noninteractive");
    c
}

fn ensure_browser() -> Result {
    if Path::new("/usr/bin/chromium").exists() && Path::new("/usr/bin/chromedriver").exists() {
        return Ok(());
    }
    run("apt-get update", &mut apt(&["update", "-q"]))?;
    run(
        "apt-get install chromium chromium-driver",
        &mut apt(&["install", "-y", "-q", "chromium", "chromium-driver"]),
    )
}

fn ensure_e2e_packages() -> Result {
    let e2e = root().join("tests").join("e2e");
    // Every package the suites import must be there (a node_modules from before a new
    // dependency would otherwise be used as it is).
    let modules = e2e.join("node_modules");
    if ["playwright-core", "axe-core", "scorm-again"]
        .iter()
        .all(|p| modules.join(p).exists())
    {
        return Ok(());
    }
    run(
        "npm ci (browser tests)",
        cmd("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(e2e),
    )
}

fn serve(rest: &[String]) -> Result {
    ensure_build_tools()?;
    let url = format!("http://{SERVE_ADDR}:{SERVE_PORT}/");
    eprintln!("xtask: serving KMS Lab on {url} (Ctrl+C to stop)");
    println!("{url}");
    let mut c = cmd("trunk");
    c.args(["serve", "--address", SERVE_ADDR, "--port", SERVE_PORT]);
    c.args(rest);
    run("trunk serve", &mut c)
}

/// The value after `--name` in `args` (`--name value` or `--name=value`).
fn option(args: &[String], name: &str) -> Result<Option<String>> {
    let mut found = None;
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        if arg == name {
            let value = args
                .get(i + 1)
                .filter(|v| !v.starts_with("--"))
                .ok_or_else(|| format!("{name} needs a value"))?;
            found = Some(value.clone());
            i += 1;
        } else if let Some(value) = arg.strip_prefix(&format!("{name}=")) {
            found = Some(value.to_owned());
        }
        i += 1;
    }
    Ok(found)
}

/// Fails on any argument that is not one of `known` (each taking a value).
fn only_options(args: &[String], known: &[&str]) -> Result {
    let mut i = 0;
    while i < args.len() {
        let name = args[i].split('=').next().unwrap_or_default();
        if !known.contains(&name) {
            return Err(format!(
                "unknown argument `{}` (expected {})",
                args[i],
                known.join(", ")
            ));
        }
        if !args[i].contains('=') {
            i += 1;
        }
        i += 1;
    }
    Ok(())
}

fn dist_task(rest: &[String]) -> Result {
    only_options(rest, &["--base-url"])?;
    let base = option(rest, "--base-url")?
        .map(|b| oembed::normalise_base(&b))
        .transpose()?;
    dist_with(base.as_deref()).map(|_| ())
}

fn oembed_task(rest: &[String]) -> Result {
    only_options(rest, &["--out", "--base-url"])?;
    let out = option(rest, "--out")?.ok_or("oembed needs --out DIR")?;
    let base = option(rest, "--base-url")?
        .map(|b| oembed::normalise_base(&b))
        .transpose()?;
    oembed::write(
        &root(),
        &env::current_dir().map_err(|e| e.to_string())?.join(out),
        base.as_deref(),
    )
    .map(|_| ())
}

fn scorm_task(rest: &[String]) -> Result {
    only_options(rest, &["--scenario", "--quiz", "--dist", "--out"])?;
    let subject = match (option(rest, "--scenario")?, option(rest, "--quiz")?) {
        (Some(id), None) => scorm::Subject::Scenario(id),
        (None, Some(topic)) => scorm::Subject::Quiz(topic),
        _ => return Err("scorm needs exactly one of --scenario ID and --quiz TOPIC".into()),
    };
    let cwd = env::current_dir().map_err(|e| e.to_string())?;
    let dist_dir = match option(rest, "--dist")? {
        Some(dir) => cwd.join(dir),
        None => {
            dist()?;
            root().join("dist")
        }
    };
    let out = option(rest, "--out")?.map(|o| cwd.join(o));
    let zip = scorm::package(&root(), &dist_dir, &subject, out.as_deref())?;
    println!("{}", zip.display());
    Ok(())
}

/// `scenario-bundle [--out DIR]`: the scenario data the browser app fetches after the first
/// load (the wasm does not compile it in). Trunk runs it after each build (Trunk.toml hook).
fn scenario_bundle_task(rest: &[String]) -> Result {
    only_options(rest, &["--out"])?;
    let out = match option(rest, "--out")? {
        Some(dir) => env::current_dir().map_err(|e| e.to_string())?.join(dir),
        None => env::var_os("TRUNK_STAGING_DIR")
            .map(PathBuf::from)
            .ok_or("scenario-bundle needs --out DIR (or TRUNK_STAGING_DIR, set by trunk)")?,
    };
    let bundle = catalog::scenario_bundle(&root())?;
    fs::create_dir_all(&out).map_err(|e| format!("create {}: {e}", out.display()))?;
    let path = out.join("scenarios.json");
    fs::write(&path, bundle).map_err(|e| format!("write {}: {e}", path.display()))
}

/// Builds the release bundle (with relative oEmbed files) and returns the path of the .wasm file.
fn dist() -> Result<PathBuf> {
    dist_with(None)
}

/// Builds the release bundle, writes the oEmbed files under `base` (None: relative URLs) and
/// returns the path of the .wasm file.
fn dist_with(base: Option<&str>) -> Result<PathBuf> {
    ensure_build_tools()?;
    run(
        "trunk build --release",
        shipping_wasm(&mut cmd("trunk")).args(["build", "--release", "--dist", "dist"]),
    )?;
    let dist = root().join("dist");
    let (wasm, chunks) = wasm_modules(&dist)?;
    let raw = fs::metadata(&wasm).map_err(|e| e.to_string())?.len();
    let gz = gzip_len(&wasm)?;
    println!(
        "wasm bundle: {} — {:.1} KiB raw, {:.1} KiB gzipped (the first download)",
        wasm.file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default(),
        raw as f64 / 1024.0,
        gz as f64 / 1024.0
    );
    let mut chunks_raw = 0;
    let mut chunks_gz = 0;
    for chunk in &chunks {
        chunks_raw += fs::metadata(chunk).map_err(|e| e.to_string())?.len();
        chunks_gz += gzip_len(chunk)?;
    }
    println!(
        "wasm chunks loaded on first use: {} — {:.1} KiB raw, {:.1} KiB gzipped",
        chunks.len(),
        chunks_raw as f64 / 1024.0,
        chunks_gz as f64 / 1024.0
    );
    oembed::write(&root(), &dist, base)?;
    Ok(wasm)
}

/// Where cargo builds (what trunk's build used, what the benches read): `cargo metadata`'s
/// `target_directory`, which follows `CARGO_TARGET_DIR`, `build.target-dir` and the rest of
/// cargo's configuration.
fn target_dir() -> Result<PathBuf> {
    let out = cmd("cargo")
        .args(["metadata", "--format-version", "1", "--no-deps"])
        .output()
        .map_err(|e| format!("cargo metadata: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "cargo metadata: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let meta: serde_json::Value =
        serde_json::from_slice(&out.stdout).map_err(|e| format!("cargo metadata: {e}"))?;
    meta["target_directory"]
        .as_str()
        .map(PathBuf::from)
        .ok_or_else(|| "cargo metadata: no target_directory".to_owned())
}

/// The bundle's wasm modules: the main one (`<name>_bg.wasm`, the first download) and the chunks
/// loaded on first use (`cargo xtask split-wasm`).
fn wasm_modules(dist: &Path) -> Result<(PathBuf, Vec<PathBuf>)> {
    let mut main = None;
    let mut chunks = Vec::new();
    for entry in fs::read_dir(dist).map_err(|e| format!("read {}: {e}", dist.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        match name {
            Some(n) if n.ends_with("_bg.wasm") => main = Some(path),
            Some(n) if n.ends_with(".wasm") => chunks.push(path),
            _ => {}
        }
    }
    chunks.sort();
    Ok((
        main.ok_or_else(|| format!("no _bg.wasm in {}", dist.display()))?,
        chunks,
    ))
}

/// The size of `gzip -9` of a file.
fn gzip_len(path: &Path) -> Result<u64> {
    let out = Command::new("gzip")
        .args(["-9", "-c"])
        .arg(path)
        .output()
        .map_err(|e| format!("gzip: {e}"))?;
    if !out.status.success() {
        return Err(format!("gzip {} failed", path.display()));
    }
    Ok(out.stdout.len() as u64)
}

fn test(rest: &[String]) -> Result {
    let started = Instant::now();
    let skip_browser = rest.iter().any(|a| a == "--native-only");
    ensure_build_tools()?;
    if !skip_browser {
        ensure_browser()?;
        ensure_e2e_packages()?;
    }
    // Make sure an offline trunk build later finds every crate.
    run(
        "cargo fmt --check",
        cmd("cargo").args(["fmt", "--all", "--check"]),
    )?;
    run(
        "cargo clippy",
        cmd("cargo").args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    run(
        "clippy (wasm32 app, with its split points)",
        cmd("cargo").args([
            "clippy",
            "-p",
            "kmslab-web",
            "--features",
            "split",
            "--target",
            "wasm32-unknown-unknown",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    run(
        "native tests (cargo test --workspace)",
        cmd("cargo").args(["test", "--workspace"]),
    )?;
    run(
        "the engine's extension installed late (cloud, lazy feature)",
        cmd("cargo").args([
            "test",
            "-p",
            "cloud",
            "--features",
            "lazy",
            "--test",
            "lazy_extension",
        ]),
    )?;
    run(
        "the scenarios' checks installed late (lab, lazy feature)",
        cmd("cargo").args([
            "test",
            "-p",
            "lab",
            "--features",
            "lazy",
            "--test",
            "lazy_checks",
        ]),
    )?;
    run(
        "the store waiting for the engine's extension (app, lazy-engine feature)",
        cmd("cargo").args([
            "test",
            "-p",
            "kmslab-web",
            "--features",
            "lazy-engine",
            "--lib",
            "state::engine_tests",
        ]),
    )?;
    if skip_browser {
        eprintln!("xtask: browser steps skipped (--native-only)");
        return Ok(());
    }
    run(
        "wasm-bindgen tests in headless Chromium",
        cmd("cargo")
            .args([
                "test",
                "-p",
                "kmslab-web",
                "--target",
                "wasm32-unknown-unknown",
            ])
            .env("CHROMEDRIVER", "/usr/bin/chromedriver")
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120"),
    )?;
    dist()?;
    run(
        "end-to-end tests (Playwright + Chromium)",
        cmd("node")
            .args(["--test", "--test-concurrency=1", "tests/e2e/"])
            .env("KMSLAB_DIST", root().join("dist")),
    )?;
    eprintln!(
        "xtask: all checks passed in {:.0}s; screenshots in target/screenshots/",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
