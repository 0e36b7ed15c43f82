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
        let _ = awscli::state::load(&input);
    }
}
