//! The kmslab binary end to end: scripts, the state file, and its error handling.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn kmslab(dir: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kmslab"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // kmslab may exit before reading its input (a bad state file): ignore a broken pipe.
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    child.wait_with_output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn state_persists_between_runs() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("plain.txt"), "hello\n").unwrap();
    let first = "\
KEY=$(aws kms create-key --description demo --query KeyMetadata.KeyId --output text)
aws kms create-alias --alias-name alias/demo --target-key-id $KEY
aws kms encrypt --key-id alias/demo --plaintext fileb://plain.txt --query CiphertextBlob --output text | base64 -d > secret.bin
";
    std::fs::write(dir.path().join("setup.sh"), first).unwrap();
    let out = kmslab(
        dir.path(),
        &["run", "setup.sh", "--state", "lab.json", "--seed", "7"],
        "",
    );
    assert!(
        out.status.success(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert!(dir.path().join("secret.bin").exists());

    // Continue from the saved state through standard input: the alias and $KEY survive.
    let second = "\
echo $KEY
aws kms decrypt --ciphertext-blob fileb://secret.bin --query Plaintext --output text | base64 --decode
aws kms describe-key --key-id alias/demo --query KeyMetadata.Description --output text
";
    let out = kmslab(dir.path(), &["run", "-", "--state", "lab.json"], second);
    assert!(
        out.status.success(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    assert_eq!(lines[0].len(), 36);
    assert_eq!(lines[1], "hello");
    assert_eq!(lines[2], "demo");
}

#[test]
fn failing_lines_set_the_exit_code_and_are_saved() {
    let dir = tempfile::tempdir().unwrap();
    let script = "aws kms describe-key --key-id alias/none\necho not reached\n";
    let out = kmslab(dir.path(), &["run", "--state", "s.json"], script);
    assert_eq!(out.status.code(), Some(254));
    assert!(text(&out.stderr).starts_with(
        "\nAn error occurred (NotFoundException) when calling the DescribeKey operation"
    ));
    assert!(!text(&out.stdout).contains("not reached"));
    // The failed call's audit event was saved with the state.
    let saved = std::fs::read_to_string(dir.path().join("s.json")).unwrap();
    assert!(
        saved.contains("DescribeKey"),
        "state was not saved after the failing line"
    );

    let out = kmslab(
        dir.path(),
        &["run", "--keep-going"],
        "aws kms describe-key\necho still here\n",
    );
    assert_eq!(out.status.code(), Some(252));
    assert_eq!(text(&out.stdout), "still here\n");
    let out = kmslab(
        dir.path(),
        &["run"],
        "aws kms encrypt --key-id k --plaintext fileb://nope\n",
    );
    assert_eq!(out.status.code(), Some(255));
}

#[test]
fn bad_state_files_are_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let corrupt = "{\"schemaVersion\": 1, \"kind\": \"kmslab-state\", \"session\": {trunc";
    std::fs::write(dir.path().join("bad.json"), corrupt).unwrap();
    let out = kmslab(dir.path(), &["run", "--state", "bad.json"], "echo hi\n");
    assert_ne!(out.status.code(), Some(0));
    assert!(
        text(&out.stderr).contains("bad.json: state file is not valid JSON"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("bad.json")).unwrap(),
        corrupt
    );
    assert_eq!(text(&out.stdout), "");

    let newer = r#"{"schemaVersion": 7, "kind": "kmslab-state", "session": {}}"#;
    std::fs::write(dir.path().join("new.json"), newer).unwrap();
    let out = kmslab(dir.path(), &["run", "--state", "new.json"], "echo hi\n");
    assert_ne!(out.status.code(), Some(0));
    assert!(
        text(&out.stderr).contains("state file schema version 7 is newer than this kmslab (1); upgrade kmslab or start fresh"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("new.json")).unwrap(),
        newer
    );
}

#[test]
fn version_help_and_unknown_subcommands() {
    let dir = tempfile::tempdir().unwrap();
    let out = kmslab(dir.path(), &["--version"], "");
    assert!(text(&out.stdout).starts_with("kmslab "));
    let out = kmslab(dir.path(), &["help"], "");
    assert!(text(&out.stdout).contains("kmslab run [FILE|-]"));
    assert!(text(&out.stdout).contains("kmslab scenario check ID --state FILE"));
    let out = kmslab(dir.path(), &["scenario", "frobnicate"], "");
    assert!(text(&out.stderr).contains("unknown subcommand `frobnicate`"));
    assert_eq!(out.status.code(), Some(2));
}
