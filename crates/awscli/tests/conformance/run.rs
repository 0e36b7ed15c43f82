//! One example through a fresh lab session: its set-up, the documented command, the documented
//! output, the follow-up checks and the files it writes.

use awscli::{FileSystem, LineOutput, MemFs, Session};
use base64::Engine as _;
use serde_json::Value;

use super::compare::{self, Context};
use super::data::{self, Case, Shapes};
use super::doc;
use super::exempt;

/// 2026-11-22T20:00:59Z, as the other session tests.
const START: i64 = 1_795_377_659_000;

/// How one example went.
#[derive(Debug)]
pub enum Outcome {
    /// In scope and as documented.
    Passed { values: usize, skipped: Vec<String> },
    /// In scope, and something differs.
    Failed(Vec<String>),
    /// Out of scope, answered clearly (the answer's first line).
    OutOfScope(String),
    /// Out of scope, but the answer is not the clear one.
    OutOfScopeUnclear(String),
}

fn show(out: &LineOutput) -> String {
    format!(
        "exit {}{}{}",
        out.exit_code,
        if out.stdout.is_empty() {
            String::new()
        } else {
            format!("\n  stdout: {}", out.stdout.trim_end())
        },
        if out.stderr.is_empty() {
            String::new()
        } else {
            format!("\n  stderr: {}", out.stderr.trim_end())
        }
    )
}

/// A fresh session with the example's files.
fn prepare(case: &Case) -> (Session, MemFs) {
    let mut fs = MemFs::new();
    for (name, text) in &case.files {
        fs.write(name, text.as_bytes()).expect("memory file");
    }
    for (name, size) in &case.binfiles {
        fs.write(name, &data::binary(*size)).expect("memory file");
    }
    (Session::new(42, START), fs)
}

/// Runs one example.
pub fn run(case: &Case, defaults: &[(String, String, String)], shapes: &Shapes) -> Outcome {
    let (mut s, mut fs) = prepare(case);
    let command = data::substitute(&case.command, case, defaults);
    if case.scope != "in" && !exempt::now_in_scope(&case.id) {
        return out_of_scope(case, &mut s, &mut fs, &command);
    }
    let mut failures = Vec::new();
    for line in &case.setup {
        let out = s.run_line(line, &mut fs);
        if out.exit_code != 0 {
            return Outcome::Failed(vec![format!("set-up `{line}` failed: {}", show(&out))]);
        }
    }
    let out = s.run_line(&command, &mut fs);
    if out.exit_code != 0 {
        return Outcome::Failed(vec![format!("`{command}` failed: {}", show(&out))]);
    }
    if !out.stderr.is_empty() {
        failures.push(format!("stderr is not empty: {}", out.stderr.trim_end()));
    }
    let mut values = 0;
    let mut skipped = Vec::new();
    if case.doc_says_no_output && !out.stdout.is_empty() {
        failures.push(format!(
            "the documentation says it prints nothing; the lab prints {}",
            out.stdout.trim_end()
        ));
    }
    if let Some(text) = &case.documented_output {
        match output_json(&command, &out.stdout) {
            None => failures.push(format!("the output is not JSON: {}", out.stdout.trim_end())),
            Some(actual) => {
                let report = compare_documented(case, text, &actual, shapes);
                match report {
                    Ok(r) => {
                        values += r.values_compared;
                        skipped.extend(r.skipped);
                    }
                    Err(f) => failures.extend(f),
                }
            }
        }
    }
    if !case.doc_values.is_empty() {
        match output_json(&command, &out.stdout) {
            None => failures.push(format!("the output is not JSON: {}", out.stdout.trim_end())),
            Some(actual) => {
                for (path, want) in &case.doc_values {
                    let got = path.split('.').try_fold(&actual, |v, k| v.get(k));
                    if got == Some(want) {
                        values += 1;
                    } else {
                        failures.push(format!(
                            "{path}: the documentation says {want}, the lab gives {got:?}"
                        ));
                    }
                }
            }
        }
    }
    for v in &case.verify {
        let check = s.run_line(&v.command, &mut fs);
        if check.exit_code != 0 {
            failures.push(format!(
                "follow-up `{}` failed: {}",
                v.command,
                show(&check)
            ));
            continue;
        }
        let same = if v.unordered {
            let mut a: Vec<&str> = check.stdout.lines().collect();
            let mut b: Vec<&str> = v.stdout.lines().collect();
            a.sort_unstable();
            b.sort_unstable();
            a == b
        } else {
            check.stdout == v.stdout
        };
        if same {
            values += 1;
        } else {
            failures.push(format!(
                "follow-up `{}` printed {:?}, expected {:?}",
                v.command, check.stdout, v.stdout
            ));
        }
    }
    for (name, checks) in &case.check_files {
        match fs.read(name) {
            Err(e) => failures.push(format!("file {name}: {e}")),
            Ok(bytes) => {
                for (what, want) in checks {
                    if let Err(f) = check_file(&fs, &bytes, what, want) {
                        failures.push(format!("file {name}: {f}"));
                    } else {
                        values += 1;
                    }
                }
            }
        }
    }
    if failures.is_empty() {
        Outcome::Passed { values, skipped }
    } else {
        Outcome::Failed(failures)
    }
}

/// The command's standard output as JSON: a JSON document, or for `--output text` the first
/// tab-separated field (a policy document printed as text).
fn output_json(command: &str, stdout: &str) -> Option<Value> {
    if let Ok(v) = serde_json::from_str::<Value>(stdout) {
        return Some(v);
    }
    if command.contains("--output text") {
        let first = stdout.split('\t').next()?;
        return serde_json::from_str(first).ok();
    }
    None
}

fn compare_documented(
    case: &Case,
    text: &str,
    actual: &Value,
    shapes: &Shapes,
) -> Result<compare::Report, Vec<String>> {
    let op = case.operation.as_deref().unwrap_or_default();
    let text_output = case.command.contains("--output text");
    let shape = if text_output {
        None
    } else {
        shapes.shapes.get(&case.service).and_then(|s| s.get(op))
    };
    let not_printed: Vec<String> =
        match shapes.paginators.get(&case.service).and_then(|p| p.get(op)) {
            Some(p) => {
                let printed: Vec<&String> =
                    p.result_keys.iter().chain(&p.non_aggregate_keys).collect();
                shape
                    .and_then(|s| s.get("s"))
                    .and_then(Value::as_object)
                    .map(|m| m.keys().filter(|k| !printed.contains(k)).cloned().collect())
                    .unwrap_or_default()
            }
            None => Vec::new(),
        };
    // aws-cli prints only the aggregated members of an operation it pages through.
    let mut failures = Vec::new();
    if let (Some(obj), false) = (actual.as_object(), not_printed.is_empty()) {
        for k in obj.keys().filter(|k| not_printed.contains(k)) {
            failures.push(format!(
                "{k}: aws-cli follows the pages itself and does not print it; the lab does"
            ));
        }
    }
    let exempt_for = |path: &str| exempt::exempt(&case.id, path);
    let cx = Context {
        errata: &case.errata,
        exempt: &exempt_for,
        not_printed: &not_printed,
    };
    let mut candidates = vec![text.to_owned()];
    candidates.extend(case.alt_outputs.iter().cloned());
    let mut first: Option<Vec<String>> = None;
    for candidate in &candidates {
        let Some(documented) = doc::parse(candidate) else {
            failures.push(format!("the documented output does not parse: {candidate}"));
            return Err(failures);
        };
        let report = compare::compare(&documented, actual, shape, &cx);
        if report.failures.is_empty() && failures.is_empty() {
            return Ok(report);
        }
        first.get_or_insert(report.failures);
    }
    failures.extend(first.unwrap_or_default());
    Err(failures)
}

fn check_file(fs: &MemFs, bytes: &[u8], what: &str, want: &Value) -> Result<(), String> {
    let b64 = |b: &[u8]| {
        let text: String = String::from_utf8_lossy(b).split_whitespace().collect();
        base64::engine::general_purpose::STANDARD
            .decode(text)
            .map_err(|e| format!("not base64: {e}"))
    };
    let expect = |ok: bool, msg: String| if ok { Ok(()) } else { Err(msg) };
    match what {
        "text" => {
            let want = want.as_str().unwrap_or_default();
            expect(
                bytes == want.as_bytes(),
                format!(
                    "holds {:?}, expected {want:?}",
                    String::from_utf8_lossy(bytes)
                ),
            )
        }
        "base64_of" => {
            let want = want.as_str().unwrap_or_default();
            let got = b64(bytes)?;
            expect(
                got == want.as_bytes(),
                format!(
                    "decodes to {:?}, expected {want:?}",
                    String::from_utf8_lossy(&got)
                ),
            )
        }
        "size" => {
            let n = want.as_u64().unwrap_or_default() as usize;
            expect(
                bytes.len() == n,
                format!("{} bytes, expected {n}", bytes.len()),
            )
        }
        "base64_size" => {
            let n = want.as_u64().unwrap_or_default() as usize;
            let got = b64(bytes)?;
            expect(
                got.len() == n,
                format!("decodes to {} bytes, expected {n}", got.len()),
            )
        }
        "json" => serde_json::from_slice::<Value>(bytes)
            .map(|_| ())
            .map_err(|e| format!("not JSON: {e}")),
        "der_prefix" => expect(
            bytes.first() == Some(&0x30),
            "does not start a DER SEQUENCE (0x30)".into(),
        ),
        "nonempty" => expect(!bytes.is_empty(), "is empty".into()),
        "equals_file" => {
            let other = want.as_str().unwrap_or_default();
            let theirs = fs.read(other)?;
            expect(
                bytes == theirs.as_slice(),
                format!(
                    "differs from {other} ({} vs {} bytes)",
                    bytes.len(),
                    theirs.len()
                ),
            )
        }
        other => Err(format!("unknown file check {other}")),
    }
}

/// An example the lab does not model: KMS operations answer UnsupportedOperationException in
/// AWS's error shape; a command aws-cli lacks answers aws-cli's "invalid choice"; a client-side
/// setting (`aws configure set`) is stored as aws-cli stores it.
fn out_of_scope(case: &Case, s: &mut Session, fs: &mut MemFs, command: &str) -> Outcome {
    let out = s.run_line(command, fs);
    // aws-cli prints a blank line before a service error.
    let stderr = out.stderr.trim_start_matches('\n');
    let first = |t: &str| t.lines().next().unwrap_or_default().to_owned();
    match case.operation.as_deref() {
        None => {
            if out.exit_code == 0 && out.stderr.is_empty() {
                Outcome::OutOfScope(format!("`{command}` accepted as aws-cli accepts it"))
            } else {
                Outcome::OutOfScopeUnclear(show(&out))
            }
        }
        Some(op) => {
            let known = awscli::model::service(&case.service)
                .is_some_and(|svc| svc.operations.contains_key(op));
            let line = first(stderr);
            let clear = if known {
                let prefix = format!(
                    "An error occurred (UnsupportedOperationException) when calling the {op} operation: "
                );
                out.exit_code == 254
                    && out.error_code.as_deref() == Some("UnsupportedOperationException")
                    && stderr.lines().count() == 1
                    && line.len() > prefix.len()
                    && line.starts_with(&prefix)
            } else {
                out.exit_code == 252 && out.stderr.contains("Invalid choice")
            };
            if clear {
                Outcome::OutOfScope(line)
            } else {
                Outcome::OutOfScopeUnclear(show(&out))
            }
        }
    }
}
