//! aws-cli v2 fidelity through a real session: Tab completion applied to a line, YAML output,
//! `aws s3 ls`, `aws configure list`, and the "Why?" card of a failed call.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use awscli::{MemFs, Session, complete_line};

mod common;

use common::{ok, session};

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
  CreationDate: '2026-11-22T20:00:59.300000+00:00'
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
    // Each aws command takes a client round trip of simulated time (300 ms).
    let row = |at: &str, name: &str| format!("2026-11-22 {at}          6 {name}\n");
    assert_eq!(
        ok(&mut s, &mut fs, "aws s3 ls s3://lab-data"),
        format!(
            "{pre}reports/\n{}{}",
            row("20:01:00", "reports-old.txt"),
            row("20:00:59", "top.txt")
        )
    );
    // Names relative to the prefix.
    assert_eq!(
        ok(&mut s, &mut fs, "aws s3 ls s3://lab-data/reports/"),
        format!("{pre}2026/\n{}", row("20:00:59", "q1.txt"))
    );
    // Without a trailing slash: what starts with the prefix, relative to its last `/`.
    assert_eq!(
        ok(&mut s, &mut fs, "aws s3 ls s3://lab-data/rep"),
        format!("{pre}reports/\n{}", row("20:01:00", "reports-old.txt"))
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
            row("20:01:00", "reports/2026/q2.txt"),
            row("20:00:59", "reports/q1.txt")
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

/// The "Why?" card of a line, which must have failed.
fn why(s: &mut Session, fs: &mut MemFs, line: &str) -> (String, awscli::WhyCard) {
    let out = s.run_line(line, fs);
    assert_ne!(out.exit_code, 0, "`{line}` succeeded:\n{}", out.stdout);
    let code = out.error_code.clone().unwrap_or_default();
    let card = out
        .why
        .unwrap_or_else(|| panic!("`{line}` ({code}) has no card:\n{}", out.stderr));
    (code, card)
}

#[test]
fn why_s3_missing_object_without_list_bucket_was_authorized() {
    let (mut s, mut fs) = session();
    ok(&mut s, &mut fs, "aws s3 mb s3://lab-data");
    ok(&mut s, &mut fs, "echo hello > f.txt");
    ok(&mut s, &mut fs, "aws s3 cp f.txt s3://lab-data/there.txt");
    ok(
        &mut s,
        &mut fs,
        r#"aws iam put-role-policy --role-name AppRole --policy-name read --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::lab-data/*"}]}'"#,
    );
    // The app may read the object that exists.
    ok(
        &mut s,
        &mut fs,
        "aws s3api get-object --bucket lab-data --key there.txt out.txt --profile app",
    );
    // A missing key: S3 answers 403 AccessDenied, though every decision allowed the request.
    let out = s.run_line(
        "aws s3api get-object --bucket lab-data --key missing.txt out.txt --profile app",
        &mut fs,
    );
    assert_eq!(out.error_code.as_deref(), Some("AccessDenied"), "{out:?}");
    let card = out.why.unwrap();
    assert_eq!(card.gate, "Object not found — and S3 will not say so");
    assert!(
        card.reading.contains("The request was authorized"),
        "{}",
        card.reading
    );
    assert!(card.reading.contains("s3:ListBucket"), "{}", card.reading);
    assert!(!card.reading.contains("Nothing allowed the request"));
    assert_eq!(
        card.doc,
        "https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html"
    );
    assert_eq!(card.trace, None);
    let (code, head) = why(
        &mut s,
        &mut fs,
        "aws s3api head-object --bucket lab-data --key missing.txt --profile app",
    );
    assert_eq!(code, "403");
    assert_eq!(head.gate, card.gate);
    // With s3:ListBucket (admin), S3 says NoSuchKey: no card.
    let out = s.run_line(
        "aws s3api get-object --bucket lab-data --key missing.txt out.txt",
        &mut fs,
    );
    assert_eq!(out.error_code.as_deref(), Some("NoSuchKey"));
    assert_eq!(out.why, None);
    // A real denial (no policy allows the app in another bucket): the generic reading, and the
    // trace of that very call's recorded denial.
    ok(&mut s, &mut fs, "aws s3 mb s3://lab-other");
    ok(&mut s, &mut fs, "aws s3 cp f.txt s3://lab-other/x.txt");
    let (code, denied) = why(
        &mut s,
        &mut fs,
        "aws s3api get-object --bucket lab-other --key x.txt out.txt --profile app",
    );
    assert_eq!(code, "AccessDenied");
    assert!(denied.reading.starts_with("Nothing allowed the request"));
    let trace = denied.trace.unwrap();
    assert!(trace.contains("s3:GetObject"), "{trace}");
    assert!(trace.contains("lab-other"), "{trace}");
}

#[test]
fn why_trace_is_the_calls_own_denial_not_a_rerun() {
    let (mut s, mut fs) = session();
    let key = ok(
        &mut s,
        &mut fs,
        "aws kms create-key --query KeyMetadata.KeyId --output text",
    );
    let key = key.trim();
    let line = format!("aws kms disable-key --key-id {key} --profile app");
    let (code, card) = why(&mut s, &mut fs, &line);
    assert_eq!(code, "AccessDeniedException");
    assert_eq!(card.gate, "Access: key policy, IAM policies and grants");
    let trace = card.trace.unwrap();
    assert!(trace.contains("kms:DisableKey"), "{trace}");
    // The card is recorded with the line: it stays in the saved JSON, unchanged by what
    // happens to the world afterwards.
    let out = s.run_line(&line, &mut fs);
    let saved = serde_json::to_value(&out).unwrap();
    assert_eq!(saved["why"]["trace"], serde_json::json!(trace));
    let back: awscli::LineOutput = serde_json::from_value(saved).unwrap();
    assert_eq!(back, out);
    // Successful lines keep their JSON shape: no `why` member.
    let fine = s.run_line("aws kms list-keys", &mut fs);
    assert!(fine.why.is_none());
    assert!(serde_json::to_value(&fine).unwrap().get("why").is_none());
    // Error codes and messages are AWS's, untouched.
    assert!(out.stderr.starts_with(
        "\nAn error occurred (AccessDeniedException) when calling the DisableKey operation: "
    ));
}

#[test]
fn why_alias_for_an_operation_that_takes_key_id_or_arn_only() {
    let (mut s, mut fs) = session();
    let key = ok(
        &mut s,
        &mut fs,
        "aws kms create-key --query KeyMetadata.KeyId --output text",
    );
    ok(
        &mut s,
        &mut fs,
        &format!(
            "aws kms create-alias --alias-name alias/demo --target-key-id {}",
            key.trim()
        ),
    );
    // DescribeKey takes the alias.
    ok(&mut s, &mut fs, "aws kms describe-key --key-id alias/demo");
    let out = s.run_line(
        "aws kms get-key-rotation-status --key-id alias/demo",
        &mut fs,
    );
    assert_eq!(out.error_code.as_deref(), Some("NotFoundException"));
    assert!(out.stderr.contains("GetKeyRotationStatus operation"));
    let card = out.why.unwrap();
    assert_eq!(card.gate, "GetKeyRotationStatus does not take an alias");
    assert!(
        card.reading.contains("key ID or key ARN"),
        "{}",
        card.reading
    );
    assert!(!card.reading.contains("Region"), "{}", card.reading);
    assert_eq!(
        card.doc,
        "https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyRotationStatus.html"
    );
    // A key that does not exist, named where aliases are fine: the Region reading.
    let (_, missing) = why(&mut s, &mut fs, "aws kms describe-key --key-id alias/nope");
    assert_eq!(missing.gate, "Key not found from where you asked");
    assert!(missing.reading.contains("Region"));
}

#[test]
fn why_rds_and_ebs_kms_failures() {
    let (mut s, mut fs) = session();
    let key = ok(
        &mut s,
        &mut fs,
        "aws kms create-key --query KeyMetadata.Arn --output text",
    );
    let key = key.trim();
    ok(
        &mut s,
        &mut fs,
        &format!("aws kms disable-key --key-id {key}"),
    );
    // RDS: a disabled key.
    let (code, rds) = why(
        &mut s,
        &mut fs,
        &format!(
            "aws rds create-db-instance --db-instance-identifier shop --db-instance-class db.t3.micro --engine postgres --storage-encrypted --kms-key-id {key}"
        ),
    );
    assert_eq!(code, "KMSKeyNotAccessibleFault");
    assert_eq!(rds.gate, "KMS key not usable by RDS");
    assert!(rds.reading.contains("disabled"), "{}", rds.reading);
    assert!(rds.reading.contains("kms:ViaService"), "{}", rds.reading);
    // EBS: the same key, through EC2.
    let (code, ebs) = why(
        &mut s,
        &mut fs,
        &format!(
            "aws ec2 create-volume --availability-zone us-east-1a --size 8 --encrypted --kms-key-id {key}"
        ),
    );
    assert_eq!(code, "KMS.DisabledException");
    assert_eq!(ebs.gate, "Key state: disabled");
    assert!(
        ebs.reading.starts_with("EBS called KMS on your behalf"),
        "{}",
        ebs.reading
    );
    // Not allowed as the app: RDS's card names the permissions and carries the denial.
    ok(
        &mut s,
        &mut fs,
        &format!("aws kms enable-key --key-id {key}"),
    );
    ok(
        &mut s,
        &mut fs,
        r#"aws iam put-role-policy --role-name AppRole --policy-name db --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["rds:*","ec2:*"],"Resource":"*"},{"Effect":"Deny","Action":"kms:*","Resource":"*"}]}'"#,
    );
    let (code, rds) = why(
        &mut s,
        &mut fs,
        &format!(
            "aws rds create-db-instance --db-instance-identifier shop --db-instance-class db.t3.micro --engine postgres --storage-encrypted --kms-key-id {key} --profile app"
        ),
    );
    assert_eq!(code, "KMSKeyNotAccessibleFault");
    assert_eq!(rds.gate, "Access: RDS could not use the KMS key as you");
    assert!(rds.trace.is_some_and(|t| t.contains("kms:")));
    let (code, ebs) = why(
        &mut s,
        &mut fs,
        &format!(
            "aws ec2 create-volume --availability-zone us-east-1a --size 8 --encrypted --kms-key-id {key} --profile app"
        ),
    );
    assert_eq!(code, "UnauthorizedOperation");
    assert_eq!(ebs.gate, "Access: EBS could not use the KMS key as you");
    assert!(ebs.trace.is_some_and(|t| t.contains("kms:")));
}

/// The card names the flowchart box the recorded KMS decision stopped at, and the box an error
/// code points at when no decision says more.
#[test]
fn why_card_names_the_evaluation_step_of_the_recorded_denial() {
    use authz::EvaluationStep;
    let (mut s, mut fs) = session();
    ok(
        &mut s,
        &mut fs,
        "K=$(aws kms create-key --query KeyMetadata.KeyId --output text)",
    );
    // SecurityAdmin's identity policies do not allow kms:Encrypt: the key policy delegates to
    // IAM and IAM says no.
    let (code, card) = why(
        &mut s,
        &mut fs,
        "aws kms encrypt --key-id $K --plaintext aGk= --profile security-admin",
    );
    assert_eq!(code, "AccessDeniedException");
    assert_eq!(card.step, Some(EvaluationStep::Iam));
    // A disabled key stops an authorized call at the key state.
    ok(&mut s, &mut fs, "aws kms disable-key --key-id $K");
    let (_, card) = why(
        &mut s,
        &mut fs,
        "aws kms encrypt --key-id $K --plaintext aGk=",
    );
    assert_eq!(card.step, Some(EvaluationStep::KeyState));
    // An explicit deny in the key policy.
    ok(&mut s, &mut fs, "aws kms enable-key --key-id $K");
    ok(
        &mut s,
        &mut fs,
        r#"aws kms put-key-policy --key-id $K --policy '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},{"Effect":"Deny","Principal":{"AWS":"*"},"Action":"kms:Encrypt","Resource":"*"}]}'"#,
    );
    let (_, card) = why(
        &mut s,
        &mut fs,
        "aws kms encrypt --key-id $K --plaintext aGk=",
    );
    assert_eq!(card.step, Some(EvaluationStep::ExplicitDeny));
    assert!(card.trace.is_some_and(|t| t.contains("DENIED")));
}
