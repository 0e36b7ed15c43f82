//! A lab session: the simulated world, the script's variables and files, and the line runner.

use std::collections::BTreeMap;

use base64::Engine as _;
use cloud::World;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::aws::{self, AwsCommand, Globals};
use crate::error::CliError;
use crate::fs::{FileSystem, MemFs};
use crate::lexer::{self, LexError, Seg, Token, Word};
use crate::model;
use crate::output::{self, Format};
use crate::why::{self, Failure, WhyCard};

mod configure;
mod s3_ls;

/// How deep `$( ... $( ... ) ... )` may nest.
const MAX_CAPTURE_DEPTH: usize = 8;

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
    /// Scenario and quiz progress, owned by the `lab` crate.
    #[serde(default)]
    pub progress: Value,
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
            progress: Value::Null,
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
        let out = self.line(line, fs, 0);
        self.last_status = out.code;
        LineOutput {
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: out.stderr,
            exit_code: out.code,
            json: out.json,
            error_code: out.error_code,
            why: out.why,
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

    fn line(&mut self, line: &str, fs: &mut dyn FileSystem, depth: usize) -> Out {
        let tokens = match lexer::tokenize(line) {
            Ok(t) => t,
            Err(e) => return syntax_error(&e),
        };
        if tokens.is_empty() {
            return Out::default();
        }
        // Split into pipeline stages and an optional redirect target.
        let mut stages: Vec<Vec<Word>> = vec![Vec::new()];
        let mut redirect: Option<(bool, Word)> = None;
        let mut iter = tokens.into_iter();
        while let Some(t) = iter.next() {
            if redirect.is_some() {
                return syntax_error(&LexError::Unsupported("text after `> FILE`".into()));
            }
            match t {
                Token::Word(w) => {
                    if let Some(s) = stages.last_mut() {
                        s.push(w);
                    }
                }
                Token::Pipe => stages.push(Vec::new()),
                Token::Redirect { append } => match iter.next() {
                    Some(Token::Word(w)) => redirect = Some((append, w)),
                    _ => {
                        return Out::err(&CliError::lab(
                            "kmslab: syntax error: `>` needs a file name",
                            2,
                        ));
                    }
                },
            }
        }
        if stages.iter().any(Vec::is_empty) {
            return Out::err(&CliError::lab("kmslab: syntax error near `|`", 2));
        }
        // NAME=value lines.
        if stages.len() == 1
            && redirect.is_none()
            && let Some(first) = stages.first()
        {
            if first.iter().all(|w| assignment(w).is_some()) {
                return self.assign(first, fs, depth);
            }
            if assignment(first.first().unwrap_or(&Word::default())).is_some() {
                return Out::err(&CliError::lab(
                    "kmslab: `NAME=value command` is not supported; put the assignment on its own line",
                    2,
                ));
            }
        }
        let mut stderr = String::new();
        let mut data: Option<Vec<u8>> = None;
        let mut last = Out::default();
        for (i, stage) in stages.iter().enumerate() {
            let words = match self.expand_words(stage, fs, depth, &mut stderr) {
                Ok(w) => w,
                Err(mut o) => {
                    o.stderr = stderr + &o.stderr;
                    return *o;
                }
            };
            let mut out = if i == 0 {
                self.exec(&words, fs, depth)
            } else {
                filter(&words, data.take().unwrap_or_default())
            };
            stderr.push_str(&out.stderr);
            if out.code != 0 {
                out.stderr = stderr;
                return out;
            }
            data = Some(std::mem::take(&mut out.stdout));
            last = out;
        }
        last.stdout = data.unwrap_or_default();
        last.stderr = stderr;
        if let Some((append, target)) = redirect {
            let mut e = String::new();
            let path = match self.expand_words(std::slice::from_ref(&target), fs, depth, &mut e) {
                Ok(p) if p.len() == 1 => p.concat(),
                Ok(_) => return Out::err(&CliError::lab("kmslab: ambiguous redirect", 1)),
                Err(o) => return *o,
            };
            let mut content = if append {
                fs.read(&path).unwrap_or_default()
            } else {
                Vec::new()
            };
            content.extend_from_slice(&last.stdout);
            if let Err(err) = fs.write(&path, &content) {
                return Out::err(&CliError::lab(format!("kmslab: {path}: {err}"), 1));
            }
            last.stdout.clear();
        }
        last
    }

    fn assign(&mut self, words: &[Word], fs: &mut dyn FileSystem, depth: usize) -> Out {
        let mut stderr = String::new();
        for w in words {
            let Some((name, value_word)) = assignment(w) else {
                continue;
            };
            match self.expand_one(&value_word, fs, depth, &mut stderr) {
                Ok(v) => {
                    self.vars.insert(name, v);
                }
                Err(mut o) => {
                    o.stderr = stderr + &o.stderr;
                    return *o;
                }
            }
        }
        Out {
            stderr,
            ..Out::default()
        }
    }

    /// Expands without field splitting (assignment values).
    fn expand_one(
        &mut self,
        w: &Word,
        fs: &mut dyn FileSystem,
        depth: usize,
        stderr: &mut String,
    ) -> Result<String, Box<Out>> {
        let mut s = String::new();
        for seg in &w.0 {
            s.push_str(&self.segment_value(seg, fs, depth, stderr)?);
        }
        Ok(s)
    }

    fn segment_value(
        &mut self,
        seg: &Seg,
        fs: &mut dyn FileSystem,
        depth: usize,
        stderr: &mut String,
    ) -> Result<String, Box<Out>> {
        match seg {
            Seg::Lit { text, .. } => Ok(text.clone()),
            Seg::Status { .. } => Ok(self.last_status.to_string()),
            Seg::Var { name, .. } => self.vars.get(name).cloned().ok_or_else(|| {
                Box::new(Out::err(&CliError::lab(
                    format!("kmslab: ${name}: variable is not set (set it with {name}=VALUE or {name}=$(aws ...))"),
                    1,
                )))
            }),
            Seg::Capture { source, .. } => {
                if depth >= MAX_CAPTURE_DEPTH {
                    return Err(Box::new(Out::err(&CliError::lab("kmslab: $( ... ) nested too deeply", 2))));
                }
                let out = self.line(source, fs, depth + 1);
                stderr.push_str(&out.stderr);
                if out.code != 0 {
                    return Err(Box::new(Out { stderr: String::new(), ..out }));
                }
                let text = String::from_utf8_lossy(&out.stdout).into_owned();
                Ok(text.trim_end_matches(['\n', '\r']).to_owned())
            }
        }
    }

    /// Expands words with sh field splitting of unquoted `$VAR` / `$(...)` results.
    fn expand_words(
        &mut self,
        words: &[Word],
        fs: &mut dyn FileSystem,
        depth: usize,
        stderr: &mut String,
    ) -> Result<Vec<String>, Box<Out>> {
        let mut fields = Vec::new();
        for w in words {
            let mut cur = String::new();
            let mut has = false;
            for seg in &w.0 {
                let value = self.segment_value(seg, fs, depth, stderr)?;
                let quoted = match seg {
                    Seg::Lit { .. } => true,
                    Seg::Var { quoted, .. }
                    | Seg::Status { quoted }
                    | Seg::Capture { quoted, .. } => *quoted,
                };
                if quoted {
                    cur.push_str(&value);
                    has = true;
                    continue;
                }
                let starts_ws = value.starts_with(char::is_whitespace);
                let ends_ws = value.ends_with(char::is_whitespace);
                if starts_ws && has {
                    fields.push(std::mem::take(&mut cur));
                    has = false;
                }
                for (i, part) in value.split_whitespace().enumerate() {
                    if i > 0 {
                        fields.push(std::mem::take(&mut cur));
                    }
                    cur.push_str(part);
                    has = true;
                }
                if ends_ws && has {
                    fields.push(std::mem::take(&mut cur));
                    has = false;
                }
            }
            if has {
                fields.push(cur);
            }
        }
        Ok(fields)
    }

    /// Runs one command from its expanded words.
    pub(crate) fn exec(&mut self, words: &[String], fs: &mut dyn FileSystem, depth: usize) -> Out {
        let Some(first) = words.first() else {
            return Out::default();
        };
        let rest = words.get(1..).unwrap_or_default();
        match first.as_str() {
            "aws" => self.aws(rest, fs),
            name if model::service(name).is_some() || name == "configure" => self.aws(words, fs),
            "lab" => crate::lab::run(self, rest, fs, depth),
            "echo" => echo(rest),
            "cat" => cat(rest, fs),
            "ls" => Out::text(fs.list().into_iter().map(|f| f + "\n").collect::<String>()),
            "base64" => {
                let (flags, files): (Vec<&String>, Vec<&String>) =
                    rest.iter().partition(|a| a.starts_with('-'));
                let input = match files.as_slice() {
                    [f] => match fs.read(f) {
                        Ok(b) => b,
                        Err(e) => return Out::err(&CliError::lab(format!("base64: {f}: {e}"), 1)),
                    },
                    _ => {
                        return Out::err(&CliError::lab(
                            "base64: give one FILE, or pipe into base64",
                            1,
                        ));
                    }
                };
                let mut argv = vec!["base64".to_owned()];
                argv.extend(flags.into_iter().cloned());
                filter(&argv, input)
            }
            "export" => {
                let mut o = Out::default();
                for a in rest {
                    match a.split_once('=') {
                        Some((n, v)) if valid_name(n) => {
                            self.vars.insert(n.to_owned(), v.to_owned());
                        }
                        _ => {
                            o = Out::err(&CliError::lab(
                                format!("export: `{a}`: not a valid NAME=value"),
                                1,
                            ))
                        }
                    }
                }
                o
            }
            "help" => Out::text(crate::lab::HELP),
            "true" => Out::default(),
            "false" => Out {
                code: 1,
                ..Out::default()
            },
            other => Out::err(&CliError::lab(
                format!(
                    "kmslab: {other}: command not found (try `help`; AWS commands start with `aws`)"
                ),
                127,
            )),
        }
    }

    fn aws(&mut self, args: &[String], fs: &mut dyn FileSystem) -> Out {
        let profile = aws::profile_arg(args)
            .map_or_else(|| self.world.default_profile().to_owned(), str::to_owned);
        let settings = self.cli_config.get(&profile);
        let defaults = Globals {
            output: settings
                .and_then(|m| m.get("output"))
                .and_then(|o| Format::parse(o)),
            raw_in_base64_out: settings
                .and_then(|m| m.get("cli_binary_format"))
                .is_some_and(|v| v == "raw-in-base64-out"),
            ..Globals::default()
        };
        let (g, cmd) = match aws::parse_with_defaults(args, fs, defaults) {
            Ok(p) => p,
            Err(e) => return Out::err(&e),
        };
        match cmd {
            AwsCommand::Print(s) => Out::text(s),
            AwsCommand::ConfigureSet { key, value }
                if key == "output" || key == "cli_binary_format" =>
            {
                let valid: &[&str] = if key == "output" {
                    &["json", "text", "table", "yaml", "yaml-stream", "off"]
                } else {
                    &["base64", "raw-in-base64-out"]
                };
                if !valid.contains(&value.as_str()) {
                    return Out::err(&CliError::Config(format!(
                        "`{value}` is not a valid {key}; use one of: {}",
                        valid.join(", ")
                    )));
                }
                self.cli_config
                    .entry(profile)
                    .or_default()
                    .insert(key, value);
                Out::default()
            }
            AwsCommand::ConfigureSet { key, value } => {
                match self.world.configure_set(&profile, &key, &value) {
                    Ok(()) => Out::default(),
                    Err(e) => Out::err(&CliError::Config(e.message)),
                }
            }
            AwsCommand::ConfigureGet { key } => {
                if let Some(v) = self.cli_config.get(&profile).and_then(|m| m.get(&key)) {
                    return Out::text(format!("{v}\n"));
                }
                let info = self
                    .world
                    .profiles()
                    .into_iter()
                    .find(|p| p.name == profile);
                let v = info.and_then(|p| match key.as_str() {
                    "region" => Some(p.region),
                    "role_arn" => p.role_arn,
                    "source_profile" => p.source_profile,
                    _ => None,
                });
                match v {
                    Some(v) => Out::text(format!("{v}\n")),
                    None => Out {
                        code: 1,
                        ..Out::default()
                    },
                }
            }
            AwsCommand::ListProfiles => Out::text(
                self.world
                    .profiles()
                    .into_iter()
                    .map(|p| p.name + "\n")
                    .collect::<String>(),
            ),
            AwsCommand::ConfigureList => self.configure_list(&g),
            AwsCommand::Call {
                service,
                operation,
                input,
                outfile,
                paging,
            } => self.call(&g, &service, &operation, input, outfile, paging, fs),
            AwsCommand::S3 {
                operation,
                input,
                outfile,
                done,
                failed,
            } => self.s3_high_level(&g, &operation, input, outfile, &done, &failed, fs),
            AwsCommand::S3List(l) => self.s3_list(&g, &l, fs),
        }
    }

    /// `aws s3 cp|mb|rb`: the API call, printed the way the high-level commands print.
    #[expect(clippy::too_many_arguments, reason = "the parsed command's parts")]
    fn s3_high_level(
        &mut self,
        g: &Globals,
        operation: &str,
        input: Value,
        outfile: Option<(String, String)>,
        done: &str,
        failed: &str,
        fs: &mut dyn FileSystem,
    ) -> Out {
        let mut quiet = g.clone();
        quiet.query = None;
        quiet.output = Some(Format::Json);
        let out = self.call(&quiet, "s3api", operation, input, outfile, None, fs);
        if out.code != 0 {
            if failed.is_empty() {
                return out;
            }
            return Out {
                stderr: format!("{failed} {}\n", out.stderr.trim()),
                code: 1,
                ..out
            };
        }
        let text = done.to_owned();
        Out {
            stdout: text.into_bytes(),
            json: out.json,
            ..Out::default()
        }
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "the parsed command's parts, passed through once"
    )]
    fn call(
        &mut self,
        g: &Globals,
        service: &str,
        operation: &str,
        input: Value,
        outfile: Option<(String, String)>,
        paging: Option<aws::Paging>,
        fs: &mut dyn FileSystem,
    ) -> Out {
        if g.explain {
            return self.explain(g, service, operation, input);
        }
        let ctx = match self
            .world
            .context_for_profile(g.profile.as_deref(), g.region.as_deref())
        {
            Ok(c) => c,
            // Client-side failures (status 0) are not service errors: aws-cli prints the bare
            // message; configuration problems exit 253, anything else (an unreachable Region
            // endpoint) 255.
            Err(e) if e.status == 0 => return Out::err(&client_error(&e)),
            Err(e) => {
                // A role profile's AssumeRole failed (or the profile's credentials are invalid).
                let op = if e.code == "InvalidClientTokenId" {
                    operation
                } else {
                    "AssumeRole"
                };
                let mut out = Out::err(&CliError::Service {
                    code: e.code.clone(),
                    operation: op.to_owned(),
                    message: e.message.clone(),
                });
                out.why = why::card(&Failure {
                    service: if op == "AssumeRole" { "sts" } else { service },
                    operation: op,
                    input: &Value::Null,
                    error: &e,
                    decisions: &[],
                });
                return out;
            }
        };
        let paginator = model::service(service)
            .and_then(|t| t.operations.get(operation))
            .and_then(|o| o.paginator.clone());
        let paginated = paging.is_some() && paginator.is_some();
        // The request as sent, for the "Why?" card of a failure.
        let request = input.clone();
        let (result, decisions) = match (paging, paginator) {
            (Some(paging), Some(p)) => {
                self.call_pages(&ctx, service, operation, input, &paging, &p)
            }
            _ => {
                let (r, d) = self.world.call_recorded(&ctx, service, operation, input);
                (r.map(|r| (r.clone(), vec![r])), d)
            }
        };
        let (mut response, mut pages) = match result {
            Ok(r) => r,
            Err(e) if e.status == 0 => return Out::err(&client_error(&e)),
            Err(e) => {
                let mut out = Out::err(&CliError::Service {
                    code: e.code.clone(),
                    operation: operation.to_owned(),
                    message: e.message.clone(),
                });
                out.why = why::card(&Failure {
                    service,
                    operation,
                    input: &request,
                    error: &e,
                    decisions: &decisions,
                });
                return out;
            }
        };
        if let Some(table) = model::service(service) {
            output::format_timestamps(&mut response, &table.timestamps);
            for page in &mut pages {
                output::format_timestamps(page, &table.timestamps);
            }
        }
        if let Some((path, member)) = outfile
            && let Some(Value::String(b64)) =
                response.as_object_mut().and_then(|m| m.remove(&member))
        {
            for page in &mut pages {
                if let Some(m) = page.as_object_mut() {
                    m.remove(&member);
                }
            }
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(b64.as_bytes())
                .unwrap_or_default();
            if let Err(e) = fs.write(&path, &bytes) {
                return Out::err(&CliError::Other(format!("{path}: {e}")));
            }
        }
        let query = match &g.query {
            Some(q) => match jmespath::compile(q) {
                Ok(e) => Some((q, e)),
                Err(e) => {
                    return Out::err(&CliError::Other(format!("Bad value for --query {q}: {e}")));
                }
            },
            None => None,
        };
        let apply = |v: Value| -> Result<Value, Box<Out>> {
            match &query {
                Some((q, e)) => output::apply_query(e, &v).map_err(|e| {
                    Box::new(Out::err(&CliError::Other(format!(
                        "Bad value for --query {q}: {e}"
                    ))))
                }),
                None => Ok(v),
            }
        };
        let queried = match apply(response) {
            Ok(v) => v,
            Err(o) => return *o,
        };
        let format = g.output.unwrap_or(Format::Json);
        let text = if format == Format::YamlStream {
            // aws-cli streams the pages as they arrive, each queried on its own.
            let mut each = Vec::with_capacity(pages.len());
            for page in pages {
                match apply(page) {
                    Ok(v) => each.push(v),
                    Err(o) => return *o,
                }
            }
            output::yaml_stream(&each, paginated)
        } else {
            output::render(format, operation, &queried, self.terminal_width)
        };
        let mut out = Out::text(text);
        out.json = Some(queried);
        out
    }

    /// `--explain` / `lab explain -- COMMAND`: how the call would be authorized, without making
    /// it (the world is untouched: no CloudTrail event, no request counted, no session cached).
    /// Prints the readable explanation (`--output json`: the JSON); `json` carries the JSON.
    fn explain(&mut self, g: &Globals, service: &str, operation: &str, input: Value) -> Out {
        let mut scratch = self.world.clone();
        let ctx = match scratch.context_for_profile(g.profile.as_deref(), g.region.as_deref()) {
            Ok(c) => c,
            Err(e) if e.status == 0 => return Out::err(&client_error(&e)),
            Err(e) => {
                return Out::err(&CliError::Service {
                    code: e.code,
                    operation: "AssumeRole".to_owned(),
                    message: e.message,
                });
            }
        };
        match scratch.explain(&ctx, service, operation, input) {
            Ok(v) => {
                let text = match g.output {
                    Some(Format::Json) => output::json(&v),
                    _ => v
                        .get("Text")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned(),
                };
                let mut out = Out::text(text);
                out.json = Some(v);
                out
            }
            Err(e) => Out::err(&client_error(&e)),
        }
    }
}

impl Session {
    /// aws-cli's automatic pagination: follow the page tokens, concatenate the result list, and
    /// drop the token and "more results" members from the output. Answers the merged result
    /// and each page; `decisions` holds the authorization decisions of the last request.
    fn call_pages(
        &mut self,
        ctx: &cloud::CallContext,
        service: &str,
        operation: &str,
        mut input: Value,
        paging: &aws::Paging,
        p: &model::Paginator,
    ) -> (Paged, Vec<cloud::AuthorizationRecord>) {
        if let Some(obj) = input.as_object_mut() {
            if let Some(n) = paging.page_size {
                obj.insert(p.limit_key.clone(), Value::from(n));
            }
            if let Some(t) = &paging.starting_token {
                obj.insert(p.input_token.clone(), Value::from(t.clone()));
            }
        }
        let mut merged: Option<Value> = None;
        let mut pages: Vec<Value> = Vec::new();
        let mut decisions = Vec::new();
        let mut seen = 0usize;
        // INVARIANT: bounded, so a service that always answers "more" cannot hang the terminal.
        for _ in 0..1000 {
            // The decisions of the latest request: a failing page's are its own.
            let (page, made) = self
                .world
                .call_recorded(ctx, service, operation, input.clone());
            decisions = made;
            let page = match page {
                Ok(p) => p,
                Err(e) => return (Err(e), decisions),
            };
            let token = page
                .get(&p.output_token)
                .and_then(Value::as_str)
                .filter(|t| !t.is_empty())
                .map(str::to_owned);
            let more = match &p.more_results {
                Some(k) => page.get(k).and_then(Value::as_bool).unwrap_or(false),
                None => token.is_some(),
            };
            // The page as `yaml-stream` shows it: cut at --max-items.
            let mut shown = page.clone();
            if let (Some(max), Some(Value::Array(items))) =
                (paging.max_items, shown.get_mut(&p.result_key))
            {
                items.truncate(max.saturating_sub(seen));
                seen += items.len();
            }
            pages.push(shown);
            match &mut merged {
                None => merged = Some(page),
                Some(m) => {
                    let items = page
                        .get(&p.result_key)
                        .and_then(Value::as_array)
                        .cloned()
                        .unwrap_or_default();
                    if let Some(Value::Array(all)) = m.get_mut(&p.result_key) {
                        all.extend(items);
                    }
                }
            }
            let enough = paging.max_items.is_some_and(|max| {
                merged
                    .as_ref()
                    .and_then(|m| m.get(&p.result_key))
                    .and_then(Value::as_array)
                    .is_some_and(|a| a.len() >= max)
            });
            match token {
                Some(t) if more && !enough => {
                    if let Some(obj) = input.as_object_mut() {
                        obj.insert(p.input_token.clone(), Value::from(t));
                    }
                }
                _ => break,
            }
        }
        let mut merged = merged.unwrap_or_else(|| Value::Object(serde_json::Map::new()));
        if let Some(obj) = merged.as_object_mut() {
            obj.remove(&p.output_token);
            if let Some(k) = &p.more_results {
                obj.remove(k);
            }
            if let (Some(max), Some(Value::Array(items))) =
                (paging.max_items, obj.get_mut(&p.result_key))
            {
                items.truncate(max);
            }
        }
        (Ok((merged, pages)), decisions)
    }
}

/// The merged result of a paginated call and each of its pages.
type Paged = Result<(Value, Vec<Value>), cloud::AwsError>;

/// A client-side (status 0) engine error as aws-cli reports it.
fn client_error(e: &cloud::AwsError) -> CliError {
    let msg = format!("\n{}\n", e.message);
    match e.code.as_str() {
        "ProfileNotFound"
        | "PartialCredentialsError"
        | "InfiniteLoopConfigError"
        | "NoRegionError" => CliError::Config(msg),
        _ => CliError::Other(msg),
    }
}

fn syntax_error(e: &LexError) -> Out {
    Out::err(&CliError::lab(format!("kmslab: syntax error: {e}"), 2))
}

fn valid_name(n: &str) -> bool {
    n.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `NAME=...` as the start of an unquoted word: the name and the value's word.
fn assignment(w: &Word) -> Option<(String, Word)> {
    let Some(Seg::Lit {
        text,
        quoted: false,
    }) = w.0.first()
    else {
        return None;
    };
    let (name, rest) = text.split_once('=')?;
    if !valid_name(name) {
        return None;
    }
    let mut segs = vec![Seg::Lit {
        text: rest.to_owned(),
        quoted: true,
    }];
    segs.extend(w.0.iter().skip(1).map(|s| match s {
        // Assignment values are never field-split.
        Seg::Var { name, .. } => Seg::Var {
            name: name.clone(),
            quoted: true,
        },
        Seg::Capture { source, .. } => Seg::Capture {
            source: source.clone(),
            quoted: true,
        },
        Seg::Status { .. } => Seg::Status { quoted: true },
        other => other.clone(),
    }));
    Some((name.to_owned(), Word(segs)))
}

fn echo(args: &[String]) -> Out {
    let (newline, args) = match args.first().map(String::as_str) {
        Some("-n") => (false, args.get(1..).unwrap_or_default()),
        _ => (true, args),
    };
    let mut s = args.join(" ");
    if newline {
        s.push('\n');
    }
    Out::text(s)
}

fn cat(args: &[String], fs: &dyn FileSystem) -> Out {
    let mut out = Out::default();
    for f in args {
        match fs.read(f) {
            Ok(b) => out.stdout.extend(b),
            Err(e) => {
                return Out {
                    code: 1,
                    stderr: format!("cat: {f}: {e}\n"),
                    ..out
                };
            }
        }
    }
    out
}

/// The commands a pipe can feed: `base64`, `base64 --decode` / `-d`, `cat`.
fn filter(words: &[String], input: Vec<u8>) -> Out {
    let b64 = base64::engine::general_purpose::STANDARD;
    match words
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["base64", "-d" | "--decode" | "-D"] => {
            let compact: Vec<u8> = input
                .into_iter()
                .filter(|b| !b.is_ascii_whitespace())
                .collect();
            match b64.decode(&compact) {
                Ok(bytes) => Out {
                    stdout: bytes,
                    ..Out::default()
                },
                Err(_) => Out::err(&CliError::lab("base64: invalid input", 1)),
            }
        }
        ["base64"] | ["base64", "-w0" | "-w" | "--wrap=0"] | ["base64", "-w", "0"] => {
            let mut s = b64.encode(&input);
            s.push('\n');
            Out::text(s)
        }
        ["cat"] => Out {
            stdout: input,
            ..Out::default()
        },
        _ => Out::err(&CliError::lab(
            format!(
                "kmslab: `{}`: pipes in the lab only feed `base64 --decode`, `base64` or `cat`",
                words.join(" ")
            ),
            127,
        )),
    }
}
