//! The browser terminal must never panic, whatever is typed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use awscli::{MemFs, Session};
use proptest::prelude::*;

const SANE: &[i32] = &[0, 1, 2, 127, 252, 253, 254, 255];

fn fragments() -> impl Strategy<Value = String> {
    let words = prop::sample::select(vec![
        "aws",
        "kms",
        "lab",
        "echo",
        "create-key",
        "encrypt",
        "decrypt",
        "describe-key",
        "--key-id",
        "--plaintext",
        "fileb://x",
        "file://",
        "--query",
        "--output",
        "text",
        "table",
        "$(",
        ")",
        "$X",
        "${",
        "}",
        "'",
        "\"",
        "\\",
        "|",
        ">",
        "base64",
        "-d",
        "=",
        "X=",
        "--tags",
        "TagKey=a,TagValue=",
        "{",
        "[",
        "]",
        "alias/none",
        "expect",
        "--",
        "clock",
        "advance",
        "1d",
        "local",
        "--bytes",
        "sts",
        "get-caller-identity",
        "#",
        "\n",
        " ",
    ]);
    prop::collection::vec(words, 0..12).prop_map(|w| w.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_lines_never_panic(line in any::<String>()) {
        let mut s = Session::new(1, 0);
        let mut fs = MemFs::new();
        let out = s.run_line(&line, &mut fs);
        prop_assert!(SANE.contains(&out.exit_code), "exit {} for {line:?}", out.exit_code);
        let _ = awscli::complete(&s, &line, &fs);
    }

    #[test]
    fn command_shaped_lines_never_panic(line in fragments()) {
        let mut s = Session::new(1, 0);
        let mut fs = MemFs::new();
        let out = s.run_line(&line, &mut fs);
        prop_assert!(SANE.contains(&out.exit_code), "exit {} for {line:?}", out.exit_code);
        let _ = awscli::complete(&s, &line, &fs);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn parsers_never_panic(input in any::<String>()) {
        let _ = awscli::shorthand::parse(&input);
        let _ = awscli::lexer::tokenize(&input);
        let _ = awscli::lexer::logical_lines(&input);
        let _ = awscli::time::parse_timestamp(&input);
        let _ = awscli::time::parse_duration(&input);
    }
}

fn kms_calls() -> impl Strategy<Value = String> {
    let kms = awscli::model::service("kms").unwrap();
    let ops: Vec<(String, Vec<String>)> = kms
        .operations
        .iter()
        .map(|(name, op)| {
            (
                awscli::model::xform_name(name),
                op.member_names().map(awscli::model::xform_name).collect(),
            )
        })
        .collect();
    let values = prop::sample::select(vec![
        "1",
        "0",
        "-5",
        "99999999999",
        "alias/x",
        "alias/aws/ebs",
        "aGk=",
        "AAAA",
        "Encrypt",
        "true",
        "k=v",
        "{}",
        "[]",
        "''",
        "SYMMETRIC_DEFAULT",
        "RSA_2048",
        "HMAC_256",
        "AES_256",
        "$KEY",
        "arn:aws:kms:us-east-1:111122223333:key/x",
        "arn:aws:iam::111122223333:role/AppRole",
    ]);
    (
        prop::sample::select(ops),
        prop::collection::vec((any::<prop::sample::Index>(), values), 0..5),
    )
        .prop_map(|((op, members), args)| {
            let mut line = format!("aws kms {op}");
            for (i, v) in args {
                if !members.is_empty() {
                    line.push_str(&format!(" --{} {v}", members[i.index(members.len())]));
                }
            }
            line
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Random KMS calls with plausible arguments reach the engine; nothing may panic.
    #[test]
    fn random_kms_calls_never_panic(line in kms_calls()) {
        let mut s = Session::new(5, 0);
        let mut fs = MemFs::new();
        let setup = s.run_line("KEY=$(aws kms create-key --query KeyMetadata.KeyId --output text)", &mut fs);
        prop_assert_eq!(setup.exit_code, 0);
        s.run_line("aws kms create-alias --alias-name alias/x --target-key-id $KEY", &mut fs);
        let out = s.run_line(&line, &mut fs);
        prop_assert!(SANE.contains(&out.exit_code), "exit {} for {line:?}", out.exit_code);
    }
}
