//! `cargo xtask fuzz`: the randomised terminal-input campaign (`cargo xtask fuzz [SECONDS]`), or
//! the coverage-guided libFuzzer targets in `fuzz/` (`cargo xtask fuzz --libfuzzer …`).
//!
//! The libFuzzer targets are built by `cargo fuzz` (installed with `cargo install cargo-fuzz
//! --locked` when missing) on the stable toolchain, without a sanitizer (the workspace forbids
//! `unsafe`; a panic is what the targets look for), with debug assertions and overflow checks:
//! only stable `-C` flags. `RUSTC_BOOTSTRAP=1` is set for the `-Z` flags a sanitizer would add. Each target runs in turn
//! on one core (`-jobs=1 -workers=1`), from its committed seed corpus `fuzz/corpus/<target>/`;
//! what it learns goes to `<target dir>/corpus/<target>/`, so the repository's corpora stay as
//! committed, and a crash is saved in `fuzz/artifacts/<target>/`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{Result, cmd, root, run};

/// The targets in `fuzz/fuzz_targets/`, in the order they run.
pub const TARGETS: &[&str] = &[
    "terminal_line",
    "policy",
    "ciphertext_blob",
    "key_material",
    "state_file",
    "embed_message",
];

/// What `--libfuzzer` was asked.
#[derive(Debug, PartialEq)]
struct Options {
    seconds: u64,
    targets: Vec<String>,
    target_dir: Option<PathBuf>,
}

fn parse(rest: &[String]) -> Result<Options> {
    let mut options = Options {
        seconds: 60,
        targets: Vec::new(),
        target_dir: None,
    };
    let mut args = rest.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--libfuzzer" => {}
            "--target" => {
                let name = args.next().ok_or("--target needs a target name")?;
                if !TARGETS.contains(&name.as_str()) {
                    return Err(format!(
                        "unknown fuzz target `{name}` (targets: {})",
                        TARGETS.join(", ")
                    ));
                }
                options.targets.push(name.clone());
            }
            "--target-dir" => {
                let dir = args.next().ok_or("--target-dir needs a directory")?;
                options.target_dir = Some(PathBuf::from(dir));
            }
            n => {
                options.seconds = n
                    .parse()
                    .map_err(|_| format!("`{n}` is not a number of seconds per target"))?;
            }
        }
    }
    if options.targets.is_empty() {
        options.targets = TARGETS.iter().map(|t| (*t).to_owned()).collect();
    }
    Ok(options)
}

/// `cargo xtask fuzz …`.
pub fn fuzz(rest: &[String]) -> Result {
    if rest.iter().any(|a| a == "--libfuzzer") {
        libfuzzer(&parse(rest)?)
    } else {
        campaign(rest)
    }
}

/// The randomised (not coverage-guided) campaign of the terminal input path.
fn campaign(rest: &[String]) -> Result {
    let seconds = rest.first().cloned().unwrap_or_else(|| "60".to_owned());
    run(
        "terminal input fuzz campaign",
        cmd("cargo")
            .args([
                "run",
                "--release",
                "-p",
                "bench",
                "--bin",
                "fuzz",
                "--",
                "--seconds",
            ])
            .arg(seconds),
    )
}

fn ensure_cargo_fuzz() -> Result {
    let present = Command::new("cargo")
        .args(["fuzz", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if present {
        return Ok(());
    }
    run(
        "installing cargo-fuzz",
        cmd("cargo").args(["install", "cargo-fuzz", "--locked"]),
    )
}

/// The common arguments of `cargo fuzz build` and `cargo fuzz run`.
fn cargo_fuzz(fuzz_dir: &Path, target_dir: &Path, sub: &str) -> Command {
    let mut c = cmd("cargo");
    c.current_dir(fuzz_dir)
        .env("RUSTC_BOOTSTRAP", "1")
        .args(["fuzz", sub, "--sanitizer", "none", "--target-dir"])
        .arg(target_dir);
    c
}

/// One target's figures, from libFuzzer's last status line.
#[derive(Debug, Default, PartialEq)]
struct Figures {
    execs: u64,
    exec_per_s: u64,
    cov: u64,
    ft: u64,
    corpus: String,
}

fn figures(log: &str) -> Figures {
    let mut f = Figures::default();
    for line in log.lines().filter(|l| l.starts_with('#')) {
        let mut words = line.split_whitespace();
        if let Some(n) = words
            .next()
            .and_then(|w| w.trim_start_matches('#').parse().ok())
        {
            f.execs = n;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        for pair in words.windows(2) {
            if let [name, value] = pair {
                match *name {
                    "cov:" => f.cov = value.parse().unwrap_or(f.cov),
                    "ft:" => f.ft = value.parse().unwrap_or(f.ft),
                    "exec/s:" => f.exec_per_s = value.parse().unwrap_or(f.exec_per_s),
                    "corp:" => f.corpus = (*value).to_owned(),
                    _ => {}
                }
            }
        }
    }
    f
}

fn libfuzzer(options: &Options) -> Result {
    let fuzz_dir = root().join("fuzz");
    let target_dir = options
        .target_dir
        .clone()
        .unwrap_or_else(|| fuzz_dir.join("target"));
    ensure_cargo_fuzz()?;
    run(
        "building the fuzz targets (cargo fuzz build, RUSTC_BOOTSTRAP=1)",
        &mut cargo_fuzz(&fuzz_dir, &target_dir, "build"),
    )?;
    let mut rows = Vec::new();
    for target in &options.targets {
        let learned = target_dir.join("corpus").join(target);
        let logs = target_dir.join("logs");
        std::fs::create_dir_all(&learned).map_err(|e| format!("{}: {e}", learned.display()))?;
        std::fs::create_dir_all(&logs).map_err(|e| format!("{}: {e}", logs.display()))?;
        let log = logs.join(format!("{target}.log"));
        let _ = std::fs::remove_file(fuzz_dir.join("fuzz-0.log"));
        let mut c = cargo_fuzz(&fuzz_dir, &target_dir, "run");
        c.arg(target)
            .arg(&learned)
            .arg(Path::new("corpus").join(target))
            .arg("--")
            .arg(format!("-max_total_time={}", options.seconds))
            .args([
                "-jobs=1",
                "-workers=1",
                "-timeout=60",
                "-print_final_stats=1",
            ]);
        let result = run(
            &format!("fuzzing {target} for {}s", options.seconds),
            &mut c,
        );
        // With -jobs, libFuzzer writes the run's output to fuzz-0.log in its directory.
        let text = std::fs::read_to_string(fuzz_dir.join("fuzz-0.log")).unwrap_or_default();
        let _ = std::fs::rename(fuzz_dir.join("fuzz-0.log"), &log);
        let crashed =
            result.is_err() || text.contains("ERROR: libFuzzer") || text.contains("panicked at");
        let f = figures(&text);
        rows.push((target.clone(), f, crashed));
        if crashed {
            eprintln!("{text}");
            eprintln!(
                "fuzz target {target} failed: the input is in fuzz/artifacts/{target}/, the log in {}",
                log.display()
            );
        }
    }
    println!(
        "\n{:<16} {:>12} {:>9} {:>7} {:>7}  {:<14} result",
        "target", "execs", "exec/s", "cov", "ft", "corpus"
    );
    for (target, f, crashed) in &rows {
        println!(
            "{target:<16} {:>12} {:>9} {:>7} {:>7}  {:<14} {}",
            f.execs,
            f.exec_per_s,
            f.cov,
            f.ft,
            f.corpus,
            if *crashed { "CRASH" } else { "no crash" }
        );
    }
    if rows.iter().any(|(_, _, crashed)| *crashed) {
        return Err("a fuzz target crashed".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_last_status_line() {
        let log = "INFO: Seed: 1\n#2\tINITED cov: 10 ft: 11 corp: 3/1Kb exec/s: 0 rss: 40Mb\n\
                   #4096\tpulse  cov: 120 ft: 300 corp: 40/9Kb lim: 4096 exec/s: 2048 rss: 50Mb\n\
                   #81920\tDONE   cov: 130 ft: 321 corp: 44/10Kb lim: 4096 exec/s: 136 rss: 51Mb\n\
                   Done 81920 runs in 601 second(s)\n";
        assert_eq!(
            figures(log),
            Figures {
                execs: 81920,
                exec_per_s: 136,
                cov: 130,
                ft: 321,
                corpus: "44/10Kb".into()
            }
        );
    }

    #[test]
    fn options() {
        let args = |a: &[&str]| a.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let o = parse(&args(&["--libfuzzer", "600", "--target", "policy"])).unwrap_or_else(|e| {
            unreachable!("{e}");
        });
        assert_eq!(o.seconds, 600);
        assert_eq!(o.targets, vec!["policy".to_owned()]);
        let all = parse(&args(&["--libfuzzer"])).unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(all.seconds, 60);
        assert_eq!(all.targets.len(), TARGETS.len());
        assert!(parse(&args(&["--libfuzzer", "--target", "nope"])).is_err());
        assert!(parse(&args(&["--libfuzzer", "soon"])).is_err());
    }
}
