//! `kmslab`: run aws-cli scripts against a simulated AWS world, optionally saved in a state file.
//!
//! ```text
//! kmslab run [FILE|-] [--state FILE] [--keep-going] [--seed N]
//! kmslab scenario list|start|check|hint|solve ...
//! kmslab quiz list|export|prove|validate ...
//! kmslab --version | help
//! ```

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use awscli::{FileSystem, Session};
use document::state_file as state;

mod content;

const HELP: &str = "\
kmslab - a simulated AWS KMS lab in your terminal

USAGE:
    kmslab run [FILE|-] [--state FILE] [--keep-going] [--seed N]
        Run a script (standard input for `-` or no FILE). Each line is an aws-cli command
        (`aws kms create-key ...`), a variable assignment (`KEY=$(aws ... --output text)`) or a
        lab command (`lab clock advance 400d`, `lab expect NotFoundException -- aws ...`).
        --state FILE   load the lab from FILE (created when missing) and save it after every line
        --keep-going   run every line even after a failure
        --seed N       seed for a new world (default: from the clock)
    kmslab scenario list [--output json]
    kmslab scenario start ID --state FILE [--seed N]    prepare the world (files in this directory)
    kmslab scenario check ID --state FILE [--output json]
        grade every objective (exit 0 only when all pass, 1 otherwise)
    kmslab scenario hint ID --state FILE                 reveal the next hint (costs points)
    kmslab scenario solve ID --state FILE [--route R]    apply the reference solution
    kmslab quiz list [--output json]
    kmslab quiz export                                    the whole bank as JSON
    kmslab quiz prove ID [--output json]                  run a question's proof in a fresh world
    kmslab quiz validate                                  check the bank and run every proof
    kmslab --version
    kmslab help

Exit code: 0, or the first failing line's code (252 usage, 254 AWS error, 255 other).
Run `kmslab run` and type `help` for the lab's commands.
";

/// Real files, relative to the current directory.
#[derive(Debug)]
struct RealFs;

fn errno(e: &std::io::Error, path: &str) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => format!("[Errno 2] No such file or directory: '{path}'"),
        std::io::ErrorKind::PermissionDenied => format!("[Errno 13] Permission denied: '{path}'"),
        _ => format!("{e}: '{path}'"),
    }
}

impl FileSystem for RealFs {
    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        std::fs::read(path).map_err(|e| errno(&e, path))
    }

    fn write(&mut self, path: &str, data: &[u8]) -> Result<(), String> {
        std::fs::write(path, data).map_err(|e| errno(&e, path))
    }

    fn list(&self) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(".")
            .map(|d| {
                d.filter_map(Result::ok)
                    .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                    .filter_map(|e| e.file_name().into_string().ok())
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    }
}

#[derive(Debug, Default)]
struct RunArgs {
    script: Option<String>,
    state: Option<PathBuf>,
    keep_going: bool,
    seed: Option<u64>,
}

fn parse_run(args: &[String]) -> Result<RunArgs, String> {
    let mut r = RunArgs::default();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--state" => r.state = Some(PathBuf::from(it.next().ok_or("--state needs a FILE")?)),
            "--keep-going" => r.keep_going = true,
            "--seed" => {
                let v = it.next().ok_or("--seed needs a number")?;
                r.seed = Some(
                    v.parse()
                        .map_err(|_| format!("--seed: `{v}` is not a number"))?,
                );
            }
            s if s.starts_with("--") => return Err(format!("unknown option `{s}`")),
            s => {
                if r.script.replace(s.to_owned()).is_some() {
                    return Err("give at most one script FILE".into());
                }
            }
        }
    }
    Ok(r)
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(0))
}

fn load_state(path: &Path, seed: u64) -> Result<Session, String> {
    match std::fs::read_to_string(path) {
        Ok(text) => state::load(&text).map_err(|e| format!("kmslab: {}: {e}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Session::new(seed, now_ms())),
        Err(e) => Err(format!("kmslab: cannot read {}: {e}", path.display())),
    }
}

fn save_state(path: &Path, session: &Session) -> Result<(), String> {
    let text = state::save(session).map_err(|e| format!("kmslab: {e}"))?;
    // Write then rename, so an interrupted save never leaves a half-written state file.
    let tmp = path.with_extension("tmp-kmslab");
    std::fs::write(&tmp, text)
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| format!("kmslab: cannot save {}: {e}", path.display()))
}

/// Runs logical lines one by one, printing as it goes and saving the state after each.
struct Runner {
    session: Session,
    fs: RealFs,
    state: Option<PathBuf>,
    keep_going: bool,
    exit: i32,
}

impl Runner {
    /// Runs one logical line; returns false when the script must stop.
    fn step(&mut self, line: &str) -> Result<bool, String> {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            return Ok(true);
        }
        let out = self.session.run_line(line, &mut self.fs);
        {
            let mut o = std::io::stdout().lock();
            let _ = o.write_all(out.stdout.as_bytes());
            let _ = o.flush();
        }
        {
            let mut e = std::io::stderr().lock();
            let _ = e.write_all(out.stderr.as_bytes());
            let _ = e.flush();
        }
        if let Some(p) = &self.state {
            save_state(p, &self.session)?;
        }
        if out.exit_code != 0 {
            if self.exit == 0 {
                self.exit = out.exit_code;
            }
            return Ok(self.keep_going);
        }
        Ok(true)
    }
}

fn run(args: &[String]) -> Result<i32, String> {
    let r = parse_run(args).map_err(|e| format!("kmslab run: {e}\n\n{HELP}"))?;
    let file = match r.script.as_deref() {
        None | Some("-") => None,
        Some(f) => {
            Some(std::fs::read_to_string(f).map_err(|e| format!("kmslab: {}", errno(&e, f)))?)
        }
    };
    let seed = r
        .seed
        .unwrap_or_else(|| u64::try_from(now_ms()).unwrap_or(0));
    let session = match &r.state {
        Some(p) => load_state(p, seed)?,
        None => Session::new(seed, now_ms()),
    };
    let mut runner = Runner {
        session,
        fs: RealFs,
        state: r.state.clone(),
        keep_going: r.keep_going,
        exit: 0,
    };
    match file {
        Some(script) => {
            for (_, line) in awscli::lexer::logical_lines(&script) {
                if !runner.step(&line)? {
                    break;
                }
            }
        }
        None => {
            // Standard input runs line by line, so an interactive user sees each result at once.
            let mut pending = String::new();
            for line in std::io::stdin().lock().lines() {
                let line = line.map_err(|e| format!("kmslab: cannot read standard input: {e}"))?;
                let trailing = line.chars().rev().take_while(|c| *c == '\\').count();
                if trailing % 2 == 1 {
                    pending.push_str(line.strip_suffix('\\').unwrap_or(&line));
                    continue;
                }
                pending.push_str(&line);
                let logical = std::mem::take(&mut pending);
                if !runner.step(&logical)? {
                    return Ok(runner.exit);
                }
            }
            if !pending.is_empty() {
                runner.step(&pending)?;
            }
        }
    }
    Ok(runner.exit)
}

fn main() -> ExitCode {
    // The engine beyond its core, the CLI's tables of it and the scenarios' checks are always
    // here natively; installing them only matters in a build with the crates' `lazy` features on
    // (`--all-features`), which the browser app uses to download them after its first load.
    cloud::service::install(cloud::service::extension());
    awscli::model::install(awscli::model::extension_table());
    lab::scenario::install_checks(lab::scenario::check_table());
    let args: Vec<String> = std::env::args().skip(1).collect();
    let code = match args.first().map(String::as_str) {
        Some("run") => match run(args.get(1..).unwrap_or_default()) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("{e}");
                2
            }
        },
        Some("--version" | "-V" | "version") => {
            println!("kmslab {}", env!("CARGO_PKG_VERSION"));
            0
        }
        Some("help" | "--help" | "-h") | None => {
            print!("{HELP}");
            0
        }
        Some(sub @ ("scenario" | "quiz")) => {
            let rest = args.get(1..).unwrap_or_default();
            let r = if sub == "scenario" {
                content::scenario(rest)
            } else {
                content::quiz(rest)
            };
            match r {
                Ok(c) => c,
                Err(e) => {
                    eprintln!("kmslab {sub}: {e}");
                    2
                }
            }
        }
        Some(other) => {
            eprintln!("kmslab: unknown command `{other}`\n\n{HELP}");
            2
        }
    };
    ExitCode::from(u8::try_from(code).unwrap_or(1))
}
