//! The line interpreter as the session's entry points reach it: one table of the interpreter's
//! entries ([`Runner`]), so that with the `lazy` feature (the browser app's build) the
//! interpreter and all it reaches (the aws-cli's parsing, output and `--query`, the `lab`
//! commands, the long commands' steps) are code of the engine's chunk, installed with it. The
//! session itself (its world, variables, files and progress, what is saved) needs none of it.
//!
//! Before the install a line answers exit code 1 and notes the engine as wanted
//! (`cloud::service::take_wanted`), as a call of a service not yet installed does: the app drops
//! what the line did and runs it again once the chunk is here. Without the feature the table is
//! always present.

use crate::fs::FileSystem;
use crate::lab_commands::job::{Job, Step};
use crate::session::{Out, Session};

/// The interpreter's entries, as [`install`] takes them (opaque outside this crate).
#[derive(Clone, Copy, Debug)]
pub struct Runner {
    /// One line, run in one go (`Session::line`).
    line: fn(&mut Session, &str, &mut dyn FileSystem) -> Out,
    /// A long command started as a job, if the line is one (`job::start`).
    start_job: fn(&mut Session, &str) -> Option<Result<Job, Out>>,
    /// One step of a job (`Job::step_here`).
    step: fn(Job, &mut Session, u64) -> Step,
}

static RUNNER: Runner = Runner {
    line: |s, line, fs| s.line(line, fs, 0),
    start_job: crate::lab_commands::job::start,
    step: Job::step_here,
};

/// The interpreter's entries, for [`install`]: the one place that names them, so with the `lazy`
/// feature their code is reached only from where this is called (the app's chunk).
pub fn table() -> Runner {
    RUNNER
}

#[cfg(feature = "lazy")]
static INSTALLED: std::sync::OnceLock<Runner> = std::sync::OnceLock::new();

/// Installs the interpreter (with the `lazy` feature; without it, it is always there).
/// Installing again changes nothing.
pub fn install(runner: Runner) {
    #[cfg(feature = "lazy")]
    let _ = INSTALLED.set(runner);
    #[cfg(not(feature = "lazy"))]
    let _always_here = runner;
}

/// The interpreter, if installed (always, without the `lazy` feature).
fn present() -> Option<Runner> {
    #[cfg(feature = "lazy")]
    return INSTALLED.get().copied();
    #[cfg(not(feature = "lazy"))]
    return Some(RUNNER);
}

/// What a line answers before the interpreter is here: the want is noted, so the app runs the
/// line again once it is.
fn not_yet() -> Out {
    cloud::service::want_extension();
    Out {
        stderr: "kmslab: this line needs the lab's command line, which has not been downloaded\n"
            .into(),
        code: 1,
        ..Out::default()
    }
}

/// Runs one line through the interpreter.
pub(crate) fn line(s: &mut Session, line: &str, fs: &mut dyn FileSystem) -> Out {
    match present() {
        Some(r) => (r.line)(s, line, fs),
        None => not_yet(),
    }
}

/// Starts a long command ([`crate::lab_commands::job::start`]); before the install, the line's
/// answer.
pub(crate) fn start_job(s: &mut Session, line: &str) -> Option<Result<Job, Out>> {
    match present() {
        Some(r) => (r.start_job)(s, line),
        None => Some(Err(not_yet())),
    }
}

/// One step of a job. A job exists only once the interpreter is here (it started it), so the
/// other arm only answers as a line would.
pub(crate) fn step(job: Job, s: &mut Session, max_items: u64) -> Step {
    match present() {
        Some(r) => (r.step)(job, s, max_items),
        None => Step::Done(s.finish_line(not_yet())),
    }
}
