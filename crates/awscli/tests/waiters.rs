//! `aws SERVICE wait WAITER` (issue 20): botocore's waiters on the simulated clock. Each poll
//! is a recorded call (CloudTrail logs it), the clock moves by the waiter's delay between
//! polls, success prints nothing, and failures print aws-cli's `Waiter … failed: …` with exit
//! code 255.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{ok, session};

fn polls(s: &awscli::Session, name: &str) -> usize {
    s.world.events().filter(|e| e.event_name == name).count()
}

#[test]
fn volume_available_polls_until_the_volume_is_created() {
    let (mut s, mut fs) = session();
    let vol = ok(
        &mut s,
        &mut fs,
        "aws ec2 create-volume --size 8 --availability-zone us-east-1a --query VolumeId --output text",
    );
    let vol = vol.trim();
    let state = format!(
        "aws ec2 describe-volumes --volume-ids {vol} --query Volumes[0].State --output text"
    );
    assert_eq!(ok(&mut s, &mut fs, &state), "creating\n");
    let before = polls(&s, "DescribeVolumes");
    let t0 = s.world.now_ms();
    let out = s.run_line(
        &format!("aws ec2 wait volume-available --volume-ids {vol}"),
        &mut fs,
    );
    assert_eq!(
        (out.exit_code, out.stdout.as_str(), out.stderr.as_str()),
        (0, "", "")
    );
    // The first poll (still creating) and one 15 s later (available).
    assert_eq!(polls(&s, "DescribeVolumes"), before + 2);
    assert_eq!(s.world.now_ms() - t0, 300 + 15_000);
    assert_eq!(ok(&mut s, &mut fs, &state), "available\n");
    // An available volume: one poll, no wait.
    let before = polls(&s, "DescribeVolumes");
    ok(
        &mut s,
        &mut fs,
        &format!("aws ec2 wait volume-available --volume-ids {vol}"),
    );
    assert_eq!(polls(&s, "DescribeVolumes"), before + 1);
}

#[test]
fn max_attempts_exceeded_is_aws_clis_text_and_exit_code() {
    let (mut s, mut fs) = session();
    let vol = ok(
        &mut s,
        &mut fs,
        "aws ec2 create-volume --size 8 --availability-zone us-east-1a --query VolumeId --output text",
    );
    let vol = vol.trim();
    // Never attached: volume-in-use polls 40 times, 15 s apart, and gives up.
    let before = polls(&s, "DescribeVolumes");
    let t0 = s.world.now_ms();
    let out = s.run_line(
        &format!("aws ec2 wait volume-in-use --volume-ids {vol}"),
        &mut fs,
    );
    assert_eq!(out.exit_code, 255);
    assert_eq!(out.stdout, "");
    assert_eq!(
        out.stderr,
        "\nWaiter VolumeInUse failed: Max attempts exceeded\n"
    );
    assert_eq!(polls(&s, "DescribeVolumes"), before + 40);
    assert_eq!(s.world.now_ms() - t0, 300 + 39 * 15_000);
    assert!(out.hint.unwrap().contains("40 times"));
}

#[test]
fn retry_then_max_attempts_quotes_the_previously_accepted_state() {
    let (mut s, mut fs) = session();
    // No such table: every poll matches the retry acceptor.
    let out = s.run_line("aws dynamodb wait table-exists --table-name nope", &mut fs);
    assert_eq!(out.exit_code, 255);
    assert_eq!(
        out.stderr,
        "\nWaiter TableExists failed: Max attempts exceeded. Previously accepted state: Matched expected service error code: ResourceNotFoundException\n"
    );
    assert_eq!(polls(&s, "DescribeTable"), 25);
    // table-not-exists succeeds on the first poll.
    let out = s.run_line(
        "aws dynamodb wait table-not-exists --table-name nope",
        &mut fs,
    );
    assert_eq!((out.exit_code, out.stderr.as_str()), (0, ""));
}

#[test]
fn an_unexpected_error_ends_the_wait_with_the_services_words() {
    let (mut s, mut fs) = session();
    let out = s.run_line(
        "aws ec2 wait volume-available --volume-ids vol-0123456789abcdef0",
        &mut fs,
    );
    assert_eq!(out.exit_code, 255);
    assert_eq!(
        out.stderr,
        "\nWaiter VolumeAvailable failed: An error occurred (InvalidVolume.NotFound): The volume 'vol-0123456789abcdef0' does not exist.\n"
    );
    assert_eq!(polls(&s, "DescribeVolumes"), 1);
    // volume-deleted takes the same error as success.
    let out = s.run_line(
        "aws ec2 wait volume-deleted --volume-ids vol-0123456789abcdef0",
        &mut fs,
    );
    assert_eq!(out.exit_code, 0, "{}", out.stderr);
}

#[test]
fn a_terminal_failure_state_stops_at_once() {
    let (mut s, mut fs) = session();
    ok(
        &mut s,
        &mut fs,
        "aws rds create-db-instance --db-instance-identifier db1 --db-instance-class db.t3.micro --engine postgres --master-username admin1 --master-user-password Passw0rd-long",
    );
    // db-instance-deleted fails on a creating instance.
    let out = s.run_line(
        "aws rds wait db-instance-deleted --db-instance-identifier db1",
        &mut fs,
    );
    assert_eq!(out.exit_code, 255);
    assert_eq!(
        out.stderr,
        "\nWaiter DBInstanceDeleted failed: Waiter encountered a terminal failure state: For expression \"DBInstances[].DBInstanceStatus\" we matched expected path: \"creating\" at least once\n"
    );
    assert_eq!(polls(&s, "DescribeDBInstances"), 1);
    // db-instance-available: 10 minutes of creation at 30 s a poll.
    let t0 = s.world.now_ms();
    ok(
        &mut s,
        &mut fs,
        "aws rds wait db-instance-available --db-instance-identifier db1",
    );
    assert_eq!(polls(&s, "DescribeDBInstances"), 1 + 21);
    assert_eq!(s.world.now_ms() - t0, 300 + 20 * 30_000);
    ok(
        &mut s,
        &mut fs,
        "aws rds create-db-snapshot --db-instance-identifier db1 --db-snapshot-identifier snap1",
    );
    ok(
        &mut s,
        &mut fs,
        "aws rds wait db-snapshot-available --db-snapshot-identifier snap1",
    );
    ok(
        &mut s,
        &mut fs,
        "aws rds wait db-snapshot-completed --db-snapshot-identifier snap1",
    );
    ok(
        &mut s,
        &mut fs,
        "aws rds delete-db-snapshot --db-snapshot-identifier snap1",
    );
    ok(
        &mut s,
        &mut fs,
        "aws rds wait db-snapshot-deleted --db-snapshot-identifier snap1",
    );
}

#[test]
fn snapshots_buckets_objects_and_iam() {
    let (mut s, mut fs) = session();
    let vol = ok(
        &mut s,
        &mut fs,
        "aws ec2 create-volume --size 8 --availability-zone us-east-1a --query VolumeId --output text",
    );
    ok(
        &mut s,
        &mut fs,
        &format!("aws ec2 wait volume-available --volume-ids {}", vol.trim()),
    );
    let snap = ok(
        &mut s,
        &mut fs,
        &format!(
            "aws ec2 create-snapshot --volume-id {} --query SnapshotId --output text",
            vol.trim()
        ),
    );
    ok(
        &mut s,
        &mut fs,
        &format!(
            "aws ec2 wait snapshot-completed --snapshot-ids {}",
            snap.trim()
        ),
    );
    let state = ok(
        &mut s,
        &mut fs,
        &format!(
            "aws ec2 describe-snapshots --snapshot-ids {} --query Snapshots[0].State --output text",
            snap.trim()
        ),
    );
    assert_eq!(state, "completed\n");
    let out = s.run_line(
        "aws s3api wait bucket-exists --bucket nothing-here",
        &mut fs,
    );
    assert_eq!(
        (out.exit_code, out.stderr.as_str()),
        (
            255,
            "\nWaiter BucketExists failed: Max attempts exceeded. Previously accepted state: Matched expected HTTP status code: 404\n"
        )
    );
    ok(
        &mut s,
        &mut fs,
        "aws s3api wait bucket-not-exists --bucket nothing-here",
    );
    ok(&mut s, &mut fs, "aws s3api create-bucket --bucket waited");
    ok(
        &mut s,
        &mut fs,
        "aws s3api wait bucket-exists --bucket waited",
    );
    ok(
        &mut s,
        &mut fs,
        "aws s3api wait object-not-exists --bucket waited --key k",
    );
    ok(&mut s, &mut fs, "echo hi > f.txt");
    ok(
        &mut s,
        &mut fs,
        "aws s3api put-object --bucket waited --key k --body f.txt",
    );
    ok(
        &mut s,
        &mut fs,
        "aws s3api wait object-exists --bucket waited --key k",
    );
    ok(&mut s, &mut fs, "aws iam create-user --user-name waiter");
    ok(
        &mut s,
        &mut fs,
        "aws iam wait user-exists --user-name waiter",
    );
    let out = s.run_line("aws iam wait role-exists --role-name none", &mut fs);
    assert_eq!(out.exit_code, 255);
    assert_eq!(polls(&s, "GetRole"), 20);
}

#[test]
fn wait_usage_errors_are_aws_clis() {
    let (mut s, mut fs) = session();
    let out = s.run_line("aws ec2 wait volume-ready --volume-ids vol-1", &mut fs);
    assert_eq!(out.exit_code, 252);
    assert!(
        out.stderr.contains(
            "aws: error: argument subcommand: Invalid choice, valid choices are:\n\ninstance-exists"
        ),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("volume-in-use"), "{}", out.stderr);
    let out = s.run_line("aws ec2 wait", &mut fs);
    assert_eq!(out.exit_code, 255);
    assert_eq!(
        out.stderr,
        "\nusage: aws [options] <command> <subcommand> [parameters]\naws: error: too few arguments\n"
    );
    // A waiter takes its operation's options, required ones included.
    let out = s.run_line("aws dynamodb wait table-exists", &mut fs);
    assert_eq!(out.exit_code, 252);
    assert!(out.stderr.contains("--table-name"), "{}", out.stderr);
    // KMS has no waiters: `wait` is not one of its commands.
    let out = s.run_line("aws kms wait key-exists", &mut fs);
    assert_eq!(out.exit_code, 252);
    let help = ok(&mut s, &mut fs, "aws ec2 wait volume-available help");
    assert!(help.contains("It will poll every 15 seconds"), "{help}");
    assert!(ok(&mut s, &mut fs, "aws ec2 help").contains("  o wait\n"));
}
