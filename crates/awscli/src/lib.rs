//! aws-cli command syntax, the lab's script language and aws-cli v2 output formatting, over the
//! simulated world of the `cloud` crate.
//!
//! The same code runs in the browser terminal (with a [`MemFs`]) and in the native `kmslab`
//! binary (with a file system over real files): nothing here touches the operating system.
//!
//! ```text
//! let mut session = Session::new(seed, now_ms);
//! let out = session.run_line("KEY=$(aws kms create-key --query KeyMetadata.KeyId --output text)", &mut fs);
//! let out = session.run_line("aws kms describe-key --key-id $KEY --output table", &mut fs);
//! print!("{}", out.stdout); eprint!("{}", out.stderr); // out.exit_code: 0, 252, 254, 255, ...
//! ```
//!
//! Entry points: [`Session::run_line`], [`Session::run_script`], [`complete`], [`state::save`] /
//! [`state::load`].

#![deny(missing_docs)]

pub mod aws;
mod complete;
pub mod error;
pub mod fs;
mod lab;
pub mod lexer;
pub mod model;
pub mod output;
mod session;
pub mod shorthand;
pub mod state;
pub mod time;

pub use complete::complete;
pub use error::CliError;
pub use fs::{FileSystem, MemFs};
pub use lab::HELP;
pub use session::{LineOutput, ScriptLine, ScriptOptions, ScriptOutput, Session};
