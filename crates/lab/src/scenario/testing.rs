//! Helpers shared by the scenario content tests (`content/*.rs`).

use awscli::Session;

use super::{Status, evaluate, start, wrong_turns};
use crate::START_MS;

/// A fresh session with scenario `id` started at `seed`.
pub(crate) fn started(id: &str, seed: u64) -> Session {
    let mut s = Session::new(seed, START_MS);
    start(&mut s, id, seed).unwrap_or_else(|e| panic!("{id} setup: {e}"));
    s
}

/// Runs a learner line that must succeed.
pub(crate) fn run(s: &mut Session, line: &str) {
    let out = s.run_line_in_memory(line);
    assert_eq!(out.exit_code, 0, "{line}: {}", out.stderr);
}

/// Runs a learner line whatever its outcome (a wrong turn may fail on purpose).
pub(crate) fn attempt(s: &mut Session, line: &str) {
    s.run_line_in_memory(line);
}

/// The ids of the wrong turns scenario `id` sees now.
pub(crate) fn wrong_turn_ids(s: &Session, id: &str) -> Vec<&'static str> {
    wrong_turns(s, id)
        .unwrap_or_else(|e| panic!("{id}: {e}"))
        .iter()
        .map(|h| h.id)
        .collect()
}

/// The ids of the objectives of scenario `id` that pass now.
pub(crate) fn passed_ids(s: &Session, id: &str) -> Vec<&'static str> {
    evaluate(s, id)
        .unwrap_or_else(|e| panic!("{id}: {e}"))
        .iter()
        .filter(|r| r.status == Status::Passed)
        .map(|r| r.id)
        .collect()
}
