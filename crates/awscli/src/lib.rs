#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

pub mod aws;
mod complete;
pub mod error;
pub mod fs;
mod lab_commands;
pub mod lexer;
pub mod model;
pub mod output;
mod session;
pub mod shorthand;
pub mod time;
pub mod why;

pub mod progress;
pub use complete::{Completed, complete, complete_line};
pub use error::CliError;
pub use fs::{FileSystem, MemFs};
pub use lab_commands::HELP;
pub use lab_commands::job::{Job, JobProgress, Started, Step, is_job_line};
pub use session::runner;
pub use session::{LineOutput, ScriptLine, ScriptOptions, ScriptOutput, Session, SessionStatus};
pub use why::{Failure, WhyCard, card, card_for_code};
