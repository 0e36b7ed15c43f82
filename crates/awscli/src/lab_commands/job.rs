//! Long lab commands run as a [`Job`] in bounded steps: `lab load --s3-put N` (N uploads) and
//! `lab load --operation …` (one step per simulated second), so a browser can yield to its
//! event loop between steps and show progress.
//!
//! A job makes the same calls in the same order as the one-go run of its line
//! ([`Session::run_line`]), so its output and the world it leaves are the same. Between its
//! first and last step the session must run nothing else (the trail keeps only sample events
//! meanwhile): the caller queues or refuses other lines.
//!
//! Only a line that is exactly one `lab load …` command of literal words becomes a job; with a
//! pipe, a redirect, `$VAR` or `$(…)` it runs in one go.

use cloud::{BulkPut, LoadRun};

use super::load::{LoadArgs, S3PutArgs};
use crate::lexer::{self, Seg, Token};
use crate::session::{LineOutput, Out, Session};

/// A long command under way. Drive it with [`Job::step`] until it is done.
#[derive(Debug)]
pub struct Job {
    kind: Kind,
}

#[derive(Debug)]
#[expect(
    clippy::large_enum_variant,
    reason = "a job moves once per step (a few hundred times a second at most); boxing it would allocate at every step"
)]
enum Kind {
    S3Put { args: S3PutArgs, run: BulkPut },
    Load { args: LoadArgs, run: LoadRun },
}

/// How far a job has come.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobProgress {
    /// Items done (uploads, or simulated seconds).
    pub done: u64,
    /// Items in all.
    pub total: u64,
    /// What an item is: `PutObject`, or `simulated seconds of Encrypt`.
    pub label: String,
}

/// What [`Session::start_line`] did with a line.
#[derive(Debug)]
#[expect(
    clippy::large_enum_variant,
    reason = "a job moves once per step (a few hundred times a second at most); boxing it would allocate at every step"
)]
pub enum Started {
    /// The line ran in one go (it was not a long command, or it failed before starting).
    Done(LineOutput),
    /// The line is a long command, started but not yet run: step it.
    Job(Job),
}

/// What one [`Job::step`] did.
#[derive(Debug)]
#[expect(
    clippy::large_enum_variant,
    reason = "a job moves once per step (a few hundred times a second at most); boxing it would allocate at every step"
)]
pub enum Step {
    /// More to do.
    Running(Job),
    /// Finished: the line's output, as [`Session::run_line`] answers it.
    Done(LineOutput),
}

impl Job {
    /// How far the job has come.
    pub fn progress(&self) -> JobProgress {
        match &self.kind {
            Kind::S3Put { run, .. } => JobProgress {
                done: run.done(),
                total: run.total(),
                label: "PutObject".into(),
            },
            Kind::Load { run, .. } => JobProgress {
                done: run.done(),
                total: run.total(),
                label: format!("simulated seconds of {}", run.report().operation),
            },
        }
    }

    /// Runs up to `max_items` more items (at least one) of the job in `s`, the session it was
    /// started in.
    pub fn step(self, s: &mut Session, max_items: u64) -> Step {
        crate::session::runner::step(self, s, max_items)
    }

    /// [`Job::step`], reached through the interpreter's table (`session::runner`).
    pub(crate) fn step_here(self, s: &mut Session, max_items: u64) -> Step {
        let max = max_items.max(1);
        match self.kind {
            Kind::S3Put { args, mut run } => {
                s.world.s3_bulk_put_step(&mut run, max);
                if !run.is_finished() {
                    return Step::Running(Job {
                        kind: Kind::S3Put { args, run },
                    });
                }
                let report = s.world.s3_bulk_put_finish(run);
                Step::Done(s.finish_line(args.output(report)))
            }
            Kind::Load { args, mut run } => {
                s.world.load_step(&mut run, max);
                if !run.is_finished() {
                    return Step::Running(Job {
                        kind: Kind::Load { args, run },
                    });
                }
                let report = s.world.load_finish(run);
                let out = args.output(s, &report);
                Step::Done(s.finish_line(out))
            }
        }
    }

    /// Runs the job to its end.
    pub fn run_to_end(self, s: &mut Session) -> LineOutput {
        match self.step(s, u64::MAX) {
            Step::Done(out) => out,
            // Unreachable: a step of u64::MAX items finishes every job.
            Step::Running(job) => job.run_to_end(s),
        }
    }
}

/// True when [`Session::start_line`] would start `line` as a [`Job`] (unless its arguments are
/// wrong): one `lab load …` command of literal words. Reads nothing but the line.
pub fn is_job_line(line: &str) -> bool {
    literal_words(line).is_some_and(
        |w| matches!(w.as_slice(), [lab, load, _, ..] if lab == "lab" && load == "load"),
    )
}

/// The line as a job: None when it is not one long command of literal words (it then runs in
/// one go); `Err` when its arguments are wrong or it fails before its first item (the line's
/// output, as the one-go run answers it).
pub(crate) fn start(s: &mut Session, line: &str) -> Option<Result<Job, Out>> {
    let words = literal_words(line)?;
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    let ["lab", "load", rest @ ..] = words.as_slice() else {
        return None;
    };
    let started = if rest.iter().any(|a| a.starts_with("--s3-put")) {
        S3PutArgs::parse(s, rest).and_then(|args| {
            let run = args.start(s)?;
            Ok(Kind::S3Put { args, run })
        })
    } else {
        LoadArgs::parse(s, rest).and_then(|args| {
            let run = args.start(s)?;
            Ok(Kind::Load { args, run })
        })
    };
    Some(started.map(|kind| Job { kind }).map_err(|e| Out::err(&e)))
}

/// The line's words when it is one command of literal words (no pipe, redirect, expansion or
/// brace).
fn literal_words(line: &str) -> Option<Vec<String>> {
    let joined = line.replace("\\\r\n", "").replace("\\\n", "");
    if joined.contains(['\n', '\r']) {
        // Several lines: a script, run line by line.
        return None;
    }
    let tokens = lexer::tokenize(line).ok()?;
    tokens
        .iter()
        .map(|t| match t {
            Token::Word(w) => {
                let mut text = String::new();
                for seg in &w.0 {
                    match seg {
                        Seg::Lit { text: t, quoted } => {
                            if !quoted && t.contains('{') {
                                return None;
                            }
                            text.push_str(t);
                        }
                        _ => return None,
                    }
                }
                Some(text)
            }
            _ => None,
        })
        .collect()
}
