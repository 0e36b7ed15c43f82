//! What the integration tests share: a session at a fixed time, and a line that must succeed.

use awscli::{MemFs, Session};

/// 2026-11-22T20:00:59Z.
pub const START: i64 = 1_795_377_659_000;

/// A fresh session (seed 42) and an empty in-memory file system.
pub fn session() -> (Session, MemFs) {
    (Session::new(42, START), MemFs::new())
}

/// Runs `line` and returns its standard output; fails the test when it exits non-zero.
pub fn ok(s: &mut Session, fs: &mut MemFs, line: &str) -> String {
    let out = s.run_line(line, fs);
    assert_eq!(
        out.exit_code, 0,
        "`{line}` failed:\n{}{}",
        out.stdout, out.stderr
    );
    out.stdout
}
