//! A lab session: the simulated world, the script's variables and files, and the line runner.
//!
//! One concern per file:
//!
//! - this file: [`Session`], what a line or a script returns, and the entry points;
//! - `interpreter`: a line's words, pipes, redirects, assignments and `$…` expansion;
//! - `builtins`: the commands a line runs (`echo`, `cat`, `ls`, `base64`, `export`, …) and the
//!   pipe filters;
//! - `dispatch`: `aws …` lines, with the profile's aws-cli settings, to the parsed command;
//! - `call`: one API call, its outfile, `--query` and rendering; `paginate`: following pages;
//! - `explain`: `--explain` / `lab explain`;
//! - `configure`: `aws configure …`; `s3`: the `aws s3` high-level commands;
//! - `wait`: `aws SERVICE wait WAITER`, polling on the simulated clock;
//! - `runner`: the one table through which the entry points reach the interpreter (installed
//!   with the engine's chunk in the browser app).

use std::collections::BTreeMap;

use cloud::World;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::CliError;
use crate::fs::{FileSystem, MemFs};
use crate::lab_commands::job::Started;
use crate::lexer;
use crate::why::WhyCard;

mod builtins;
mod call;
mod configure;
mod dispatch;
mod explain;
mod interpreter;
mod paginate;
pub mod runner;
mod s3;
mod wait;

/// Everything a learner's lab holds; serialised as the state file and in the browser's storage.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Session {
    /// The simulated AWS world.
    pub world: World,
    /// Script variables (`NAME=value`, `NAME=$(...)`).
    pub vars: BTreeMap<String, String>,
    /// The browser's files (empty natively, where files are real).
    #[serde(default)]
    pub files: MemFs,
    /// Scenario and quiz progress (typed here; the `lab` crate owns what it means).
    #[serde(default)]
    pub progress: crate::progress::Progress,
    /// The seed the world was created with (`lab reset` reuses it).
    pub seed: u64,
    /// The exit code of the last line (`$?`).
    #[serde(default)]
    pub last_status: i32,
    /// The terminal width `--output table` fits (aws-cli uses 80 when not on a terminal).
    #[serde(default = "default_width")]
    pub terminal_width: usize,
    /// aws-cli's own per-profile settings (`output`, `cli_binary_format`), which the world does
    /// not model: profile → key → value.
    #[serde(default)]
    pub cli_config: BTreeMap<String, BTreeMap<String, String>>,
    /// Randomness for client-side steps (`lab local`: data-file nonces, random files).
    rng: ChaCha20Rng,
}

fn default_width() -> usize {
    80
}

/// The result of one command line.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LineOutput {
    /// Standard output (binary output is shown lossily; redirect it to keep it exact).
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
    /// 0 on success; 252 usage, 254 service error, 255 other aws-cli failures; 1 for a failed
    /// lab check; 2 for script syntax errors; 127 for unknown commands.
    pub exit_code: i32,
    /// The (queried) AWS response of the line's `aws` command, for the browser to render.
    pub json: Option<Value>,
    /// The AWS error code when an `aws` command failed with a service error.
    pub error_code: Option<String>,
    /// The "Why?" card of that failure, read from the call's own recorded decisions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<WhyCard>,
    /// The lab's explanation of that failure where it is kept apart from AWS's message (which
    /// the error line prints exactly as aws-cli does, even when AWS's is empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

/// The default profile, its Region and the simulated time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionStatus {
    /// The default profile (`lab profile use NAME` changes it).
    pub profile: String,
    /// The default profile's Region.
    pub region: String,
    /// The simulated clock, ISO 8601.
    pub now: String,
}

/// Options for [`Session::run_script`].
#[derive(Clone, Copy, Debug, Default)]
pub struct ScriptOptions {
    /// Run every line even after a failure (`kmslab run --keep-going`).
    pub keep_going: bool,
}

/// One executed script line.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScriptLine {
    /// The first physical line number (1-based).
    pub line_no: usize,
    /// The logical line's text (continuations joined).
    pub source: String,
    /// What it printed and returned.
    pub output: LineOutput,
}

/// The result of a script.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ScriptOutput {
    /// The executed lines, in order.
    pub lines: Vec<ScriptLine>,
    /// The first failing line's exit code, or 0.
    pub exit_code: i32,
}

/// Internal result of a command: bytes, so `base64 --decode > file` stays exact.
#[derive(Debug, Default)]
pub(crate) struct Out {
    pub stdout: Vec<u8>,
    pub stderr: String,
    pub code: i32,
    pub json: Option<Value>,
    pub error_code: Option<String>,
    pub why: Option<WhyCard>,
    pub hint: Option<String>,
}

impl Out {
    pub(crate) fn text(s: impl Into<String>) -> Out {
        Out {
            stdout: s.into().into_bytes(),
            ..Out::default()
        }
    }

    pub(crate) fn err(e: &CliError) -> Out {
        Out {
            stderr: e.stderr(),
            code: e.exit_code(),
            error_code: e.aws_code().map(str::to_owned),
            ..Out::default()
        }
    }
}

impl Session {
    /// A fresh session with the default world.
    pub fn new(seed: u64, start_time_ms: i64) -> Session {
        Session::from_world(World::new(seed, start_time_ms), seed)
    }

    /// A session around an existing world.
    pub fn from_world(world: World, seed: u64) -> Session {
        Session {
            world,
            vars: BTreeMap::new(),
            files: MemFs::new(),
            progress: crate::progress::Progress::default(),
            seed,
            last_status: 0,
            terminal_width: default_width(),
            cli_config: BTreeMap::new(),
            rng: ChaCha20Rng::seed_from_u64(seed ^ 0x6b6d_736c_6162_0001),
        }
    }

    pub(crate) fn rng(&mut self) -> &mut ChaCha20Rng {
        &mut self.rng
    }

    /// Runs one command line (continuations already joined or `\`-newline inside).
    /// Never panics; every failure is an exit code and a message.
    pub fn run_line(&mut self, line: &str, fs: &mut dyn FileSystem) -> LineOutput {
        let out = runner::line(self, line, fs);
        self.finish_line(out)
    }

    /// Starts one command line: a long command (`lab load …`) as a [`Job`] to step, so the
    /// caller can yield between steps; any other line runs at once, as [`Session::run_line`].
    /// Stepping the job to its end gives the output and the world `run_line` would.
    pub fn start_line(&mut self, line: &str, fs: &mut dyn FileSystem) -> Started {
        match runner::start_job(self, line) {
            Some(Ok(job)) => Started::Job(job),
            Some(Err(out)) => Started::Done(self.finish_line(out)),
            None => Started::Done(self.run_line(line, fs)),
        }
    }

    /// [`Session::start_line`] against the session's own in-memory files.
    pub fn start_line_in_memory(&mut self, line: &str) -> Started {
        let mut fs = std::mem::take(&mut self.files);
        let started = self.start_line(line, &mut fs);
        self.files = fs;
        started
    }

    /// A line's result: `$?` is set from it.
    pub(crate) fn finish_line(&mut self, out: Out) -> LineOutput {
        self.last_status = out.code;
        LineOutput {
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: out.stderr,
            exit_code: out.code,
            json: out.json,
            error_code: out.error_code,
            why: out.why,
            hint: out.hint,
        }
    }

    /// What the terminal shows in its prompt and status bar, read without side effects.
    pub fn status(&self) -> SessionStatus {
        let profile = self.world.default_profile().to_owned();
        let region = self
            .world
            .profiles()
            .into_iter()
            .find(|p| p.name == profile)
            .map(|p| p.region)
            .unwrap_or_default();
        SessionStatus {
            profile,
            region,
            now: crate::time::iso8601(self.world.now_ms()),
        }
    }

    /// A shell-style prompt: `admin@us-east-1 $ `.
    pub fn prompt(&self) -> String {
        let s = self.status();
        format!("{}@{} $ ", s.profile, s.region)
    }

    /// [`Session::run_line`] against the session's own in-memory files ([`Session::files`]):
    /// the browser's entry point.
    pub fn run_line_in_memory(&mut self, line: &str) -> LineOutput {
        let mut fs = std::mem::take(&mut self.files);
        let out = self.run_line(line, &mut fs);
        self.files = fs;
        out
    }

    /// [`Session::run_script`] against the session's own in-memory files.
    pub fn run_script_in_memory(&mut self, script: &str, opts: ScriptOptions) -> ScriptOutput {
        let mut fs = std::mem::take(&mut self.files);
        let out = self.run_script(script, &mut fs, opts);
        self.files = fs;
        out
    }

    /// Runs a script line by line; stops at the first failure unless `keep_going`.
    pub fn run_script(
        &mut self,
        script: &str,
        fs: &mut dyn FileSystem,
        opts: ScriptOptions,
    ) -> ScriptOutput {
        let mut result = ScriptOutput::default();
        for (line_no, source) in lexer::logical_lines(script) {
            let output = self.run_line(&source, fs);
            let code = output.exit_code;
            result.lines.push(ScriptLine {
                line_no,
                source,
                output,
            });
            if code != 0 {
                if result.exit_code == 0 {
                    result.exit_code = code;
                }
                if !opts.keep_going {
                    break;
                }
            }
        }
        result
    }
}
