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

fn ok(s: &mut Session, fs: &mut MemFs, line: &str) -> String {
    let out = s.run_line(line, fs);
    assert_eq!(
        out.exit_code, 0,
        "`{line}` failed:\n{}{}",
        out.stdout, out.stderr
    );
    out.stdout
}

#[test]
fn yaml_output_like_aws_cli_v2() {
    let (mut s, mut fs) = session();
    let key = ok(
        &mut s,
        &mut fs,
        "aws kms create-key --description 'lab key' --query KeyMetadata.KeyId --output text",
    );
    let key = key.trim();
    let material = ok(
        &mut s,
        &mut fs,
        &format!(
            "aws kms describe-key --key-id {key} --query KeyMetadata.CurrentKeyMaterialId --output text"
        ),
    );
    let material = material.trim();
    let out = ok(
        &mut s,
        &mut fs,
        &format!("aws kms describe-key --key-id {key} --output yaml"),
    );
    let want = format!(
        "KeyMetadata:
  AWSAccountId: '111122223333'
  Arn: arn:aws:kms:us-east-1:111122223333:key/{key}
  CreationDate: '2026-11-22T20:00:59+00:00'
  CurrentKeyMaterialId: {material}
  CustomerMasterKeySpec: SYMMETRIC_DEFAULT
  Description: lab key
  Enabled: true
  EncryptionAlgorithms:
  - SYMMETRIC_DEFAULT
  KeyId: {key}
  KeyManager: CUSTOMER
  KeySpec: SYMMETRIC_DEFAULT
  KeyState: Enabled
  KeyUsage: ENCRYPT_DECRYPT
  MultiRegion: false
  Origin: AWS_KMS
"
    );
    assert_eq!(out, want);
    // A scalar --query result is printed as JSON; a list as a YAML sequence.
    assert_eq!(
        ok(
            &mut s,
            &mut fs,
            &format!(
                "aws kms describe-key --key-id {key} --query KeyMetadata.KeyState --output yaml"
            ),
        ),
        "\"Enabled\"\n"
    );
    assert_eq!(
        ok(
            &mut s,
            &mut fs,
            &format!(
                "aws kms describe-key --key-id {key} --query KeyMetadata.[KeyState,Enabled] --output yaml"
            ),
        ),
        "- Enabled\n- true\n"
    );
    // No output for an empty response.
    assert_eq!(
        ok(
            &mut s,
            &mut fs,
            &format!("aws kms enable-key-rotation --key-id {key} --output yaml"),
        ),
        ""
    );
    // yaml-stream: one `- ` item per page, each page with its own tokens.
    ok(&mut s, &mut fs, "aws kms create-key");
    let stream = ok(
        &mut s,
        &mut fs,
        "aws kms list-keys --page-size 1 --output yaml-stream --query Keys[].KeyId",
    );
    let items: Vec<&str> = stream.lines().collect();
    assert_eq!(items.len(), 2, "{stream}");
    assert!(items.iter().all(|l| l.starts_with("- - ")), "{stream}");
    let pages = ok(
        &mut s,
        &mut fs,
        "aws kms list-keys --page-size 1 --output yaml-stream",
    );
    assert_eq!(
        pages.matches("\n- Keys:\n").count() + usize::from(pages.starts_with("- Keys:\n")),
        2,
        "{pages}"
    );
    assert!(pages.contains("  NextMarker: "), "{pages}");
    assert!(pages.contains("  Truncated: true\n"), "{pages}");
    assert!(pages.ends_with("  Truncated: false\n"), "{pages}");
    // The profile's `output` setting.
    ok(&mut s, &mut fs, "aws configure set output yaml");
    assert_eq!(
        ok(
            &mut s,
            &mut fs,
            "aws kms list-aliases --query Aliases[0].AliasName"
        ),
        "\"alias/aws/acm\"\n"
    );
    ok(&mut s, &mut fs, "aws configure set output off");
    assert_eq!(ok(&mut s, &mut fs, "aws kms list-keys"), "");
}

#[test]
fn s3_ls_prints_like_aws_cli() {
    let (mut s, mut fs) = session();
    ok(&mut s, &mut fs, "aws s3 mb s3://lab-data");
    ok(&mut s, &mut fs, "echo hello > f.txt");
    for key in [
        "top.txt",
        "reports/q1.txt",
        "reports/2026/q2.txt",
        "reports-old.txt",
    ] {
        ok(
            &mut s,
            &mut fs,
            &format!("aws s3 cp f.txt s3://lab-data/{key}"),
        );
    }
    let pre = format!("{:>30} ", "PRE");
    assert_eq!(pre, "                           PRE ");
    let row = |name: &str| format!("2026-11-22 20:00:59          6 {name}\n");
    assert_eq!(
        ok(&mut s, &mut fs, "aws s3 ls s3://lab-data"),
        format!(
            "{pre}reports/\n{}{}",
            row("reports-old.txt"),
            row("top.txt")
        )
    );
    // Names relative to the prefix.
    assert_eq!(
        ok(&mut s, &mut fs, "aws s3 ls s3://lab-data/reports/"),
        format!("{pre}2026/\n{}", row("q1.txt"))
    );
    // Without a trailing slash: what starts with the prefix, relative to its last `/`.
    assert_eq!(
        ok(&mut s, &mut fs, "aws s3 ls s3://lab-data/rep"),
        format!("{pre}reports/\n{}", row("reports-old.txt"))
    );
    assert_eq!(
        ok(&mut s, &mut fs, "aws s3 ls s3://lab-data/reports/20"),
        format!("{pre}2026/\n")
    );
    // --recursive: full keys; --summarize totals.
    assert_eq!(
        ok(
            &mut s,
            &mut fs,
            "aws s3 ls s3://lab-data/reports/ --recursive --summarize"
        ),
        format!(
            "{}{}\nTotal Objects: 2\n   Total Size: 12\n",
            row("reports/2026/q2.txt"),
            row("reports/q1.txt")
        )
    );
    assert_eq!(
        ok(&mut s, &mut fs, "aws s3 ls lab-data/top --human-readable"),
        "2026-11-22 20:00:59    6 Bytes top.txt\n"
    );
    // Pages of one key still list everything.
    assert_eq!(
        ok(&mut s, &mut fs, "aws s3 ls s3://lab-data --page-size 1")
            .lines()
            .count(),
        3
    );
    // A prefix that matches nothing exits 1 and prints nothing.
    let none = s.run_line("aws s3 ls s3://lab-data/nothing", &mut fs);
    assert_eq!((none.exit_code, none.stdout.as_str()), (1, ""));
    assert_eq!(
        ok(&mut s, &mut fs, "aws s3 ls"),
        "2026-11-22 20:00:59 lab-data\n"
    );
}

#[test]
fn configure_list_columns_like_aws_cli_v2() {
    let (mut s, mut fs) = session();
    let out = ok(&mut s, &mut fs, "aws configure list");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 6, "{out}");
    assert_eq!(
        lines[0],
        "      Name                    Value             Type    Location"
    );
    assert_eq!(
        lines[1],
        "      ----                    -----             ----    --------"
    );
    assert_eq!(
        lines[2],
        "   profile                    admin              env    ['AWS_DEFAULT_PROFILE', 'AWS_PROFILE']"
    );
    // The access key the profile signs with, masked to its last four characters.
    assert!(
        lines[3].starts_with("access_key     ****************"),
        "{}",
        lines[3]
    );
    assert!(
        lines[3].ends_with(" shared-credentials-file    "),
        "{}",
        lines[3]
    );
    assert!(lines[4].starts_with("secret_key     ****************"));
    assert_eq!(
        lines[5],
        "    region                us-east-1      config-file    ~/.aws/config"
    );
    // The masked key is the one CloudTrail records for the caller.
    let tail = &lines[3][31..35];
    ok(&mut s, &mut fs, "aws sts get-caller-identity");
    let key = ok(
        &mut s,
        &mut fs,
        "aws cloudtrail lookup-events --query Events[0].AccessKeyId --output text",
    );
    assert!(key.trim().ends_with(tail), "{key} vs {tail}");
    let role = ok(&mut s, &mut fs, "aws configure list --profile app");
    let lines: Vec<&str> = role.lines().collect();
    assert_eq!(
        lines[2],
        "   profile                      app           manual    --profile"
    );
    assert!(lines[3].ends_with("      assume-role    "), "{}", lines[3]);
    // Listing assumed nothing for real: no AssumeRole event.
    assert_eq!(
        ok(
            &mut s,
            &mut fs,
            "aws cloudtrail lookup-events --query length(Events[?EventName=='AssumeRole'])"
        ),
        "0\n"
    );
}
