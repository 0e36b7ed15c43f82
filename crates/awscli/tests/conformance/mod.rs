//! The aws-cli documentation examples as a conformance suite (see `../conformance.rs`).

pub mod compare;
pub mod data;
pub mod doc;
pub mod exempt;
pub mod run;
