//! A long command stepped as a [`Job`] answers and leaves exactly what its one-go run does.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::Value;

use crate::fs::MemFs;
use crate::session::{LineOutput, ScriptOptions, Session};
use crate::{JobProgress, Started, Step};

const START: i64 = 1_795_377_659_000;

/// A world with a key (alias `alias/load`), an SSE-KMS bucket without a Bucket Key
/// (`plain-kms`), one with (`keyed-kms`) and an SSE-S3 bucket (`bulk-b`).
fn lab(seed: u64) -> Session {
    let mut s = Session::new(seed, START);
    let mut fs = MemFs::new();
    let script = r#"
KEY=$(aws kms create-key --query KeyMetadata.KeyId --output text)
aws kms create-alias --alias-name alias/load --target-key-id $KEY
aws s3api create-bucket --bucket bulk-b
aws s3api create-bucket --bucket plain-kms
aws s3api create-bucket --bucket keyed-kms
aws s3api put-bucket-encryption --bucket plain-kms --server-side-encryption-configuration '{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"'$KEY'"}}]}'
aws s3api put-bucket-encryption --bucket keyed-kms --server-side-encryption-configuration '{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"'$KEY'"},"BucketKeyEnabled":true}]}'
"#;
    let out = s.run_script(script, &mut fs, ScriptOptions::default());
    assert_eq!(out.exit_code, 0, "{out:#?}");
    s.files = fs;
    s
}

/// The state file's content (the session as it is saved).
fn state(s: &Session) -> Value {
    serde_json::to_value(s).unwrap()
}

/// `line` run in one go: its output and the state after it (and `$?`).
fn one_go(seed: u64, line: &str) -> (LineOutput, Value) {
    let mut s = lab(seed);
    let out = s.run_line_in_memory(line);
    let after = state(&s);
    let status = s.run_line_in_memory("echo $?").stdout;
    assert_eq!(status.trim(), out.exit_code.to_string());
    (out, after)
}

/// `line` started and stepped `per_step` items at a time: its output, the state after it and
/// the progress seen after each step that did not finish.
fn stepped(seed: u64, line: &str, per_step: u64) -> (LineOutput, Value, Vec<JobProgress>) {
    let mut s = lab(seed);
    let mut seen = Vec::new();
    let out = match s.start_line_in_memory(line) {
        Started::Done(out) => out,
        Started::Job(mut job) => loop {
            match job.step(&mut s, per_step) {
                Step::Done(out) => break out,
                Step::Running(next) => {
                    seen.push(next.progress());
                    job = next;
                }
            }
        },
    };
    let after = state(&s);
    let status = s.run_line_in_memory("echo $?").stdout;
    assert_eq!(status.trim(), out.exit_code.to_string());
    (out, after, seen)
}

fn assert_same(line: &str, per_step: u64) -> Vec<JobProgress> {
    let (want, want_state) = one_go(7, line);
    let (got, got_state, seen) = stepped(7, line, per_step);
    assert_eq!(got, want, "{line}");
    assert!(
        got_state == want_state,
        "{line}: the stepped run left another world"
    );
    seen
}

#[test]
fn s3_put_stepped_matches_one_go_with_sse_kms() {
    let seen = assert_same("lab load --s3-put 250 --bucket plain-kms", 7);
    assert_eq!(seen.len(), 35);
    assert_eq!(
        seen.first(),
        Some(&JobProgress {
            done: 7,
            total: 250,
            label: "PutObject".into()
        })
    );
    assert!(seen.windows(2).all(|w| w[0].done < w[1].done));
}

#[test]
fn s3_put_stepped_matches_one_go_with_a_bucket_key_and_sse_s3() {
    assert_same("lab load --s3-put 120 --bucket keyed-kms --size 64", 50);
    assert_same("lab load --s3-put 300 --bucket bulk-b", 1);
}

#[test]
fn s3_put_that_fails_stops_at_the_failure_as_in_one_go() {
    let (out, _, seen) = stepped(7, "lab load --s3-put 40 --bucket missing-bucket", 5);
    assert_eq!(out.exit_code, 1);
    assert!(out.stdout.contains("NoSuchBucket"), "{out:?}");
    assert!(seen.is_empty(), "{seen:?}");
    assert_same("lab load --s3-put 40 --bucket missing-bucket", 5);
}

#[test]
fn operation_load_stepped_matches_one_go_with_throttling() {
    // Over the Encrypt quota: throttled requests, sample events, per-second counts.
    let line = "lab load --operation Encrypt --key-id alias/load --rate 150000/s --duration 75s";
    let seen = assert_same(line, 1);
    assert_eq!(seen.len(), 74);
    assert_eq!(
        seen.last(),
        Some(&JobProgress {
            done: 74,
            total: 75,
            label: "simulated seconds of Encrypt".into()
        })
    );
    let (out, _) = one_go(7, line);
    assert!(out.stdout.contains("ThrottlingException"), "{}", out.stdout);
    // A partial last second, and an operation that needs a ciphertext first.
    assert_same(
        "lab load --operation Decrypt --key-id alias/load --rate 900/s --duration 2500ms",
        1,
    );
}

#[test]
fn wrong_arguments_and_early_failures_answer_at_once_as_in_one_go() {
    for line in [
        "lab load --s3-put 0 --bucket bulk-b",
        "lab load --s3-put 5",
        "lab load --s3-put 5 --bucket bulk-b --profile nobody",
        "lab load --operation Encrypt --rate fast --duration 1s",
        "lab load --operation Frobnicate --key-id alias/load --rate 10/s --duration 1s",
        "lab load --operation Encrypt --key-id alias/none --rate 10/s --duration 1s",
    ] {
        let (want, want_state) = one_go(7, line);
        assert_ne!(want.exit_code, 0, "{line}");
        let mut s = lab(7);
        let Started::Done(got) = s.start_line_in_memory(line) else {
            panic!("{line}: started a job");
        };
        assert_eq!(got, want, "{line}");
        assert!(state(&s) == want_state, "{line}");
    }
}

#[test]
fn only_a_plain_lab_load_line_becomes_a_job() {
    let mut s = lab(7);
    s.vars.insert("N".into(), "3".into());
    for line in [
        "lab load --s3-put 3 --bucket bulk-b | cat",
        "lab load --s3-put 3 --bucket bulk-b > out.txt",
        "lab load --s3-put $N --bucket bulk-b",
        "echo lab load --s3-put 3 --bucket bulk-b",
        "lab cost",
        "aws s3 ls",
        "lab load --s3-put 3 --bucket bulk-b\naws s3 ls",
    ] {
        assert!(!crate::is_job_line(line), "{line}");
        assert!(
            matches!(s.start_line_in_memory(line), Started::Done(_)),
            "{line}"
        );
    }
    for line in [
        "lab load --s3-put 3 --bucket bulk-b",
        "lab load --s3-put=3 --bucket 'bulk-b'",
        "lab load --s3-put 3 \\\n  --bucket bulk-b",
        "lab load --operation Encrypt --key-id alias/load --rate 10/s --duration 1s",
    ] {
        assert!(crate::is_job_line(line), "{line}");
        let Started::Job(job) = lab(7).start_line_in_memory(line) else {
            panic!("{line}: not a job");
        };
        assert_eq!(job.progress().done, 0, "{line}");
    }
}

#[test]
fn run_to_end_is_the_one_go_run() {
    let line = "lab load --s3-put 60 --bucket plain-kms";
    let (want, want_state) = one_go(9, line);
    let mut s = lab(9);
    let Started::Job(job) = s.start_line_in_memory(line) else {
        panic!("not a job");
    };
    assert_eq!(job.run_to_end(&mut s), want);
    assert!(state(&s) == want_state);
}
