//! Calls on a resource that is not ready yet (issue 20): AWS refuses them with its own code and
//! message, and the lab's advice (wait, or advance the clock) is the hint beside it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{ok, session};

fn refused(s: &mut awscli::Session, fs: &mut awscli::MemFs, line: &str) -> awscli::LineOutput {
    let out = s.run_line(line, fs);
    assert_eq!(out.exit_code, 254, "`{line}`: {}{}", out.stdout, out.stderr);
    out
}

#[test]
fn ebs_refuses_a_creating_volume_and_a_pending_snapshot() {
    let (mut s, mut fs) = session();
    let inst = ok(
        &mut s,
        &mut fs,
        "aws ec2 run-instances --image-id ami-0abc --min-count 1 --max-count 1 --query Instances[0].InstanceId --output text",
    );
    let inst = inst.trim();
    let vol = ok(
        &mut s,
        &mut fs,
        "aws ec2 create-volume --size 8 --availability-zone us-east-1a --query VolumeId --output text",
    );
    let vol = vol.trim();
    let attach =
        format!("aws ec2 attach-volume --volume-id {vol} --instance-id {inst} --device /dev/sdf");
    let out = refused(&mut s, &mut fs, &attach);
    assert_eq!(
        out.stderr,
        format!(
            "\nAn error occurred (IncorrectState) when calling the AttachVolume operation: {vol} is not 'available'.\n"
        )
    );
    assert!(out.hint.unwrap().contains("aws ec2 wait volume-available"));
    ok(
        &mut s,
        &mut fs,
        &format!("aws ec2 wait volume-available --volume-ids {vol}"),
    );
    let snap = ok(
        &mut s,
        &mut fs,
        &format!("aws ec2 create-snapshot --volume-id {vol} --query SnapshotId --output text"),
    );
    let snap = snap.trim();
    let out = refused(
        &mut s,
        &mut fs,
        &format!("aws ec2 create-volume --snapshot-id {snap} --availability-zone us-east-1a"),
    );
    assert_eq!(
        out.stderr,
        "\nAn error occurred (IncorrectState) when calling the CreateVolume operation: Snapshot is in invalid state - pending\n"
    );
    assert!(
        out.hint
            .unwrap()
            .contains("aws ec2 wait snapshot-completed")
    );
    let out = refused(
        &mut s,
        &mut fs,
        &format!("aws ec2 copy-snapshot --source-snapshot-id {snap} --source-region us-east-1"),
    );
    assert_eq!(out.error_code.as_deref(), Some("IncorrectState"));
    ok(&mut s, &mut fs, &attach);
    ok(
        &mut s,
        &mut fs,
        &format!("aws ec2 wait snapshot-completed --snapshot-ids {snap}"),
    );
    ok(
        &mut s,
        &mut fs,
        &format!("aws ec2 create-volume --snapshot-id {snap} --availability-zone us-east-1a"),
    );
    ok(
        &mut s,
        &mut fs,
        &format!("aws ec2 copy-snapshot --source-snapshot-id {snap} --source-region us-east-1"),
    );
}

#[test]
fn rds_refuses_a_creating_instance_and_snapshot() {
    let (mut s, mut fs) = session();
    ok(
        &mut s,
        &mut fs,
        "aws rds create-db-instance --db-instance-identifier db1 --db-instance-class db.t3.micro --engine postgres --master-username admin1 --master-user-password Passw0rd-long --storage-encrypted",
    );
    let snapshot =
        "aws rds create-db-snapshot --db-instance-identifier db1 --db-snapshot-identifier s1";
    let out = refused(&mut s, &mut fs, snapshot);
    assert_eq!(
        out.stderr,
        "\nAn error occurred (InvalidDBInstanceState) when calling the CreateDBSnapshot operation: Cannot create a snapshot because the database instance db1 is not currently in the available state.\n"
    );
    assert!(
        out.hint
            .unwrap()
            .contains("aws rds wait db-instance-available")
    );
    let out = refused(
        &mut s,
        &mut fs,
        "aws rds modify-db-instance --db-instance-identifier db1 --manage-master-user-password --apply-immediately",
    );
    assert_eq!(
        out.stderr,
        "\nAn error occurred (InvalidDBInstanceState) when calling the ModifyDBInstance operation: Database instance is not in available state.\n"
    );
    ok(
        &mut s,
        &mut fs,
        "aws rds wait db-instance-available --db-instance-identifier db1",
    );
    ok(&mut s, &mut fs, snapshot);
    for line in [
        "aws rds copy-db-snapshot --source-db-snapshot-identifier s1 --target-db-snapshot-identifier s2",
        "aws rds restore-db-instance-from-db-snapshot --db-instance-identifier db2 --db-snapshot-identifier s1",
        "aws rds modify-db-snapshot-attribute --db-snapshot-identifier s1 --attribute-name restore --values-to-add 444455556666",
    ] {
        let out = refused(&mut s, &mut fs, line);
        assert_eq!(
            out.error_code.as_deref(),
            Some("InvalidDBSnapshotState"),
            "{line}"
        );
        assert!(
            out.stderr
                .ends_with(": DBSnapshot s1 is not in available state.\n"),
            "{}",
            out.stderr
        );
        assert!(
            out.hint
                .unwrap()
                .contains("aws rds wait db-snapshot-available")
        );
    }
    ok(
        &mut s,
        &mut fs,
        "aws rds wait db-snapshot-available --db-snapshot-identifier s1",
    );
    ok(
        &mut s,
        &mut fs,
        "aws rds copy-db-snapshot --source-db-snapshot-identifier s1 --target-db-snapshot-identifier s2",
    );
    ok(
        &mut s,
        &mut fs,
        "aws rds restore-db-instance-from-db-snapshot --db-instance-identifier db2 --db-snapshot-identifier s1",
    );
}
