//! `cargo xtask fuzz [SECONDS]`: feeds random command lines (built from the aws-cli and lab
//! vocabulary plus raw noise) to the terminal's line runner for a while. A panic would abort the
//! process (release builds abort on panic); the line being run is written to
//! `target/fuzz-current-line.txt` first, so a crash leaves its reproducer behind.

use std::time::{Duration, Instant};

use awscli::Session;
use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};

const WORDS: &[&str] = &[
    "aws",
    "kms",
    "lab",
    "iam",
    "sts",
    "cloudtrail",
    "create-key",
    "describe-key",
    "encrypt",
    "decrypt",
    "re-encrypt",
    "generate-data-key",
    "list-keys",
    "create-alias",
    "schedule-key-deletion",
    "enable-key-rotation",
    "put-key-policy",
    "create-grant",
    "lookup-events",
    "get-caller-identity",
    "--key-id",
    "--plaintext",
    "--ciphertext-blob",
    "--encryption-context",
    "--query",
    "--output",
    "--policy",
    "--tags",
    "--alias-name",
    "--region",
    "--profile",
    "--limit",
    "--dry-run",
    "text",
    "table",
    "json",
    "alias/x",
    "$K",
    "${K}",
    "$(aws kms list-keys)",
    "K=",
    "'",
    "\"",
    "\\",
    "|",
    "base64",
    "-d",
    ">",
    "out.bin",
    "fileb://out.bin",
    "file://p.json",
    "{",
    "}",
    "[",
    "]",
    "=",
    ",",
    "clock",
    "advance",
    "400d",
    "expect",
    "--",
    "local",
    "whoami",
    "profile",
    "use",
    "reset",
    "aGVsbG8=",
    "KeyMetadata.KeyId",
    "a=b,c=d",
    "TagKey=a,TagValue=b",
    "-1",
    "99999999999999999999",
    "é",
    "\u{0}",
];

fn line(rng: &mut ChaCha8Rng) -> String {
    let n = 1 + (rng.next_u32() % 10) as usize;
    // Most lines start like a real command, so the parser gets past the command word.
    let mut out = match rng.next_u32() % 5 {
        0..=2 => "aws kms ".to_owned(),
        3 => "lab ".to_owned(),
        _ => String::new(),
    };
    for _ in 0..n {
        let r = rng.next_u32();
        if r.is_multiple_of(13) {
            let len = (r % 9) as usize;
            out.extend((0..len).map(|_| char::from_u32(32 + rng.next_u32() % 95).unwrap_or('?')));
        } else {
            out.push_str(
                WORDS
                    .get((r as usize) % WORDS.len())
                    .copied()
                    .unwrap_or("aws"),
            );
        }
        out.push(if rng.next_u32().is_multiple_of(7) {
            '\n'
        } else {
            ' '
        });
    }
    out
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let seconds = args
        .iter()
        .position(|a| a == "--seconds")
        .and_then(|i| args.get(i + 1))
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or(60);
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(1);
    println!("fuzzing the terminal input path for {seconds}s (seed {seed})");
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut session = Session::new(seed, 1_795_377_420_000);
    let _ = session
        .run_line_in_memory("K=$(aws kms create-key --query KeyMetadata.KeyId --output text)");
    let reproducer = std::path::Path::new("target").join("fuzz-current-line.txt");
    let start = Instant::now();
    let mut runs = 0u64;
    let mut codes = std::collections::BTreeMap::<i32, u64>::new();
    while start.elapsed() < Duration::from_secs(seconds) {
        let l = line(&mut rng);
        let _ = std::fs::write(&reproducer, &l);
        let out = if l.contains('\n') {
            session
                .run_script_in_memory(&l, awscli::ScriptOptions { keep_going: true })
                .exit_code
        } else {
            session.run_line_in_memory(&l).exit_code
        };
        *codes.entry(out).or_default() += 1;
        runs += 1;
        if runs.is_multiple_of(5_000) {
            session = Session::new(seed ^ runs, 1_795_377_420_000);
        }
    }
    let _ = std::fs::remove_file(&reproducer);
    println!("{runs} lines, no panic; exit codes: {codes:?}");
}
