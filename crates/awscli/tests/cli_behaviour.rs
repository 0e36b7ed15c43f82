//! aws-cli's own behaviour (issue 20, item 3): client-side parameter validation from the model's
//! `min` (exit 252, no request, no CloudTrail event), argparse's unambiguous option prefixes,
//! bash brace expansion of pasted commands, `aws configure set` for any key, and `--debug`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{ok, session};

#[test]
fn parameter_validation_happens_before_any_request() {
    let (mut s, mut fs) = session();
    let before = s.world.events().count();
    let out = s.run_line("aws kms generate-random --number-of-bytes 0", &mut fs);
    assert_eq!(out.exit_code, 252);
    assert_eq!(
        out.stderr,
        "\nParameter validation failed:\nInvalid value for parameter NumberOfBytes, value: 0, valid min value: 1\n"
    );
    let out = s.run_line(
        "aws kms create-key --tags TagKey=,TagValue=v TagKey=a,TagValue=",
        &mut fs,
    );
    assert_eq!(out.exit_code, 252);
    assert!(
        out.stderr
            .contains("Invalid length for parameter Tags[0].TagKey, value: 0, valid min length: 1"),
        "{}",
        out.stderr
    );
    // A tag value may be empty (min 0).
    assert!(!out.stderr.contains("Tags[1]"), "{}", out.stderr);
    assert_eq!(s.world.events().count(), before, "no request was made");
    // `max` is the service's to check: KMS answers with its validation error.
    let long = "k".repeat(129);
    let out = s.run_line(
        &format!("aws kms create-key --tags TagKey={long},TagValue=v"),
        &mut fs,
    );
    assert_eq!(out.exit_code, 254, "{}", out.stderr);
}

#[test]
fn unambiguous_option_prefixes_are_accepted() {
    let (mut s, mut fs) = session();
    let key = ok(
        &mut s,
        &mut fs,
        "aws kms create-key --desc 'short option' --query KeyMetadata.KeyId --output text",
    );
    let key = key.trim();
    assert_eq!(
        ok(
            &mut s,
            &mut fs,
            &format!(
                "aws kms describe-key --key {key} --query KeyMetadata.Description --output text"
            )
        ),
        "short option\n"
    );
    ok(
        &mut s,
        &mut fs,
        &format!(
            "aws kms tag-resource --key-id {key} --tags TagKey=a,TagValue=1 TagKey=b,TagValue=2"
        ),
    );
    ok(
        &mut s,
        &mut fs,
        &format!("aws kms untag-resource --key-id {key} --tag-key a"),
    );
    assert_eq!(
        ok(
            &mut s,
            &mut fs,
            &format!(
                "aws kms list-resource-tags --key-id {key} --query Tags[].TagKey --output text"
            )
        ),
        "b\n"
    );
    // A prefix of two options is refused as argparse refuses it.
    let out = s.run_line(
        &format!("aws kms create-grant --key-id {key} --grant arn:aws:iam::111122223333:root --operations Decrypt"),
        &mut fs,
    );
    assert_eq!(out.exit_code, 252);
    assert!(
        out.stderr
            .ends_with("aws: error: ambiguous option: --grant could match --grantee-principal, --grant-tokens, --grantee-service-principal\n"),
        "{}",
        out.stderr
    );
}

#[test]
fn braces_expand_as_bash_expands_them() {
    let (mut s, mut fs) = session();
    assert_eq!(
        ok(&mut s, &mut fs, r#"echo {"a","b"} x{1..3}"#),
        "a b x1 x2 x3\n"
    );
    assert_eq!(ok(&mut s, &mut fs, "echo '{a,b}' {a}"), "{a,b} {a}\n");
    // Assignments are not brace-expanded.
    ok(&mut s, &mut fs, "IDS={111122223333,444455556666}");
    assert_eq!(s.vars["IDS"], "{111122223333,444455556666}");
}

#[test]
fn configure_set_keeps_any_key_and_debug_logs_the_call() {
    let (mut s, mut fs) = session();
    ok(
        &mut s,
        &mut fs,
        "aws configure set cli_follow_urlparam false",
    );
    assert_eq!(
        ok(&mut s, &mut fs, "aws configure get cli_follow_urlparam"),
        "false\n"
    );
    let out = s.run_line("aws kms describe-key --key-id alias/none --debug", &mut fs);
    assert_eq!(out.exit_code, 254);
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert!(lines[0].ends_with(" - MainThread - awscli.clidriver - DEBUG - CLI version: aws-cli/2.22.0 Python/3.12.6 KMSLab/0.1 exe/wasm32 prompt/off"), "{}", out.stderr);
    assert!(lines[1].contains(
        "Arguments entered to CLI: ['kms', 'describe-key', '--key-id', 'alias/none', '--debug']"
    ));
    assert!(out.stderr.contains("Making request for OperationModel(name=DescribeKey) with params: {\"KeyId\":\"alias/none\"}"));
    assert!(out.stderr.contains("\"__type\":\"NotFoundException\""));
    assert!(
        out.stderr.contains("kmslab.why - DEBUG - "),
        "{}",
        out.stderr
    );
    // The error line is still the last one.
    assert!(
        lines
            .last()
            .unwrap()
            .starts_with("An error occurred (NotFoundException)")
    );
    let quiet = s.run_line("aws kms list-keys", &mut fs);
    assert_eq!(quiet.stderr, "");
}

#[test]
fn a_service_error_prints_aws_cli_s_one_line_and_the_hint_travels_apart() {
    let (mut s, mut fs) = session();
    awscli::FileSystem::write(&mut fs, "plain.txt", b"secret").unwrap();
    ok(
        &mut s,
        &mut fs,
        "K=$(aws kms create-key --query KeyMetadata.KeyId --output text)",
    );
    ok(
        &mut s,
        &mut fs,
        "aws kms encrypt --key-id $K --plaintext fileb://plain.txt --encryption-context dept=hr --query CiphertextBlob --output text | base64 --decode > c.bin",
    );
    let out = s.run_line("aws kms decrypt --ciphertext-blob fileb://c.bin", &mut fs);
    assert_eq!(out.exit_code, 254);
    assert_eq!(
        out.stderr,
        "\nAn error occurred (InvalidCiphertextException) when calling the Decrypt operation: \n"
    );
    let hint = out.hint.clone().unwrap();
    assert!(hint.contains("encryption context"), "{hint}");
    assert_eq!(
        out.why.as_ref().unwrap().hint.as_deref(),
        Some(hint.as_str())
    );
    let explained = ok(
        &mut s,
        &mut fs,
        "lab explain -- aws kms decrypt --ciphertext-blob fileb://c.bin",
    );
    assert!(explained.contains(&format!("Hint: {hint}")), "{explained}");
}
