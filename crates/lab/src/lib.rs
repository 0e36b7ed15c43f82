//! Lab content for KMS Lab: scenarios (a prepared world, objectives graded by running operations
//! against a clone of the learner's session) and quizzes (questions as data, each proved by a
//! script run in a fresh world).
//!
//! Everything here is data plus small checker functions:
//!
//! * [`scenario`]: [`scenario::catalog`], [`scenario::start`], [`scenario::evaluate`],
//!   [`scenario::record`], [`scenario::hint`], [`scenario::solve`], [`scenario::restart`],
//!   [`scenario::reset`], [`scenario::why_detail`].
//! * [`quiz`]: [`quiz::bank`], [`quiz::prove`], [`quiz::validate`], [`quiz::exam`].
//! * [`progress`]: what the learner did, persisted in `Session::progress`.
//!
//! Grading never changes the learner's world: checks run on a clone that is thrown away.
#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

pub mod progress;
pub mod quiz;
pub mod scenario;
pub mod script;

/// The simulated start time tests and fresh proof worlds use: 2026-11-22T20:00:00Z.
pub const START_MS: i64 = 1_795_377_600_000;

/// Whether every `backticked` span in `text` is closed. Content prose (stories, objectives, hints,
/// questions, options, explanations) marks commands and names as `code`, which the app shows as
/// inline code; an unmatched backtick would show literally.
pub fn balanced_code_spans(text: &str) -> bool {
    text.matches('`').count().is_multiple_of(2)
}
