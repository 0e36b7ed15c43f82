//! aws-cli v2 fidelity through a real session: Tab completion applied to a line, YAML output,
//! `aws s3 ls`, `aws configure list`, and the "Why?" card of a failed call.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use awscli::{MemFs, Session, complete_line};

const START: i64 = 1_795_377_659_000; // 2026-11-22T20:00:59Z

fn session() -> (Session, MemFs) {
    (Session::new(42, START), MemFs::new())
}

#[test]
fn tab_extends_to_the_common_prefix_without_a_space() {
    let (s, fs) = session();
    let first = complete_line(&s, "aws kms cre", &fs);
    assert_eq!(first.line, "aws kms create-");
    assert!(first.candidates.len() > 2, "{first:?}");
    for c in ["create-alias", "create-grant", "create-key"] {
        assert!(first.candidates.iter().any(|x| x == c), "{c}: {first:?}");
    }
    // Tab again adds nothing: no space, no `--`.
    let again = complete_line(&s, &first.line, &fs);
    assert_eq!(again.line, "aws kms create-");
    assert_eq!(again.candidates, first.candidates);
    // One candidate: the word is replaced and a space follows.
    let one = complete_line(&s, "aws kms describe-k", &fs);
    assert_eq!(one.line, "aws kms describe-key ");
    assert!(one.candidates.is_empty());
    // No candidate: unchanged.
    let none = complete_line(&s, "aws kms zzz", &fs);
    assert_eq!(none.line, "aws kms zzz");
    assert!(none.candidates.is_empty());
    // A candidate that expects more text gets no space.
    let mut fs2 = MemFs::new();
    awscli::FileSystem::write(&mut fs2, "plain.txt", b"x").unwrap();
    let file = complete_line(&s, "aws kms encrypt --plaintext fileb://pl", &fs2);
    assert_eq!(file.line, "aws kms encrypt --plaintext fileb://plain.txt ");
    assert_eq!(
        complete_line(&s, "aws kms list-keys --output yaml", &fs).candidates,
        vec!["yaml", "yaml-stream"]
    );
    // Leading words and spacing are kept.
    assert_eq!(complete_line(&s, "aws  km", &fs).line, "aws  kms ");
}
