//! What the fuzz targets share: the lab's fixed clock and seed, and fresh worlds made once and
//! cloned for every input (so each input meets the same state, and libFuzzer's runs are
//! reproducible).

use std::sync::OnceLock;

use awscli::Session;

/// 2026-11-22T20:00:00Z, the start time the engine's tests use.
pub const START_MS: i64 = 1_795_377_600_000;
/// The world seed of every fuzzed session.
pub const SEED: u64 = 42;
/// The browser's host settings (`src/storage.rs`).
pub const HOST: document::HostSettings = kmslab_web::storage::HOST;

/// A fresh default session, as the terminal starts with.
pub fn fresh_session() -> Session {
    static FRESH: OnceLock<Session> = OnceLock::new();
    FRESH.get_or_init(|| Session::new(SEED, START_MS)).clone()
}

/// Runs `text` as the terminal would: one line, or a script (keep going past failures) when it
/// holds several lines.
pub fn run_terminal(session: &mut Session, text: &str) {
    if text.contains('\n') {
        let _ = session.run_script_in_memory(text, awscli::ScriptOptions { keep_going: true });
    } else {
        let _ = session.run_line_in_memory(text);
    }
}
