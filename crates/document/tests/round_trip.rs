//! A saved lab comes back whole: the world, the shell's variables and the browser's files.

use awscli::{FileSystem, MemFs, Session};

/// Runs `line` and returns its standard output; fails the test when it exits non-zero.
fn ok(s: &mut Session, fs: &mut MemFs, line: &str) -> String {
    let out = s.run_line(line, fs);
    assert_eq!(
        out.exit_code, 0,
        "`{line}` failed:\n{}{}",
        out.stdout, out.stderr
    );
    out.stdout
}

fn session() -> (Session, MemFs) {
    (Session::new(42, 1_795_377_659_000), MemFs::new())
}

#[test]
fn state_round_trip_keeps_world_vars_and_files() {
    let (mut s, mut fs) = session();
    ok(
        &mut s,
        &mut fs,
        "KEY=$(aws kms create-key --query KeyMetadata.KeyId --output text)",
    );
    s.files.write("note.txt", b"kept").unwrap();
    let text = document::state_file::save(&s).unwrap();
    assert!(text.starts_with("{\"schemaVersion\":1,\"kind\":\"kmslab-state\""));
    let mut back = document::state_file::load(&text).unwrap();
    assert_eq!(back.vars, s.vars);
    assert_eq!(back.files.read("note.txt").unwrap(), b"kept");
    let state = ok(
        &mut back,
        &mut fs,
        "aws kms describe-key --key-id $KEY --query KeyMetadata.KeyState --output text",
    );
    assert_eq!(state, "Enabled\n");
    ok(&mut back, &mut fs, "lab reset");
    assert!(back.vars.is_empty());
    assert_eq!(
        back.run_line(
            "aws kms describe-key --key-id 00000000-0000-0000-0000-000000000000",
            &mut fs
        )
        .exit_code,
        254
    );
}
