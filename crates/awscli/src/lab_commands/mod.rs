//! `lab ...` commands: the simulated clock, profiles, expectations, explanations, and the
//! client-side steps AWS users perform themselves.
//!
//! One concern per file: this file holds the `help` text, the dispatch and the commands that
//! read or set the session (`clock`, `whoami`, `profiles`, `vars`, `reset`, `expect`,
//! `explain`); `local` the client-side steps (`lab local encrypt|decrypt|random|…`); `load` the
//! request-volume tools (`lab load`, `lab cost`).

use crate::error::CliError;
use crate::fs::FileSystem;
use crate::session::{Out, Session};
use crate::time;

mod deliveries;
pub(crate) mod job;
#[cfg(test)]
mod job_tests;
mod load;
mod local;
mod rotation;

use load::{cost, load, load_s3_put};
use local::LOCAL;
pub(crate) use local::{local_commands, local_options};

/// The `help` text.
pub const HELP: &str = "\
KMS Lab commands (one per line; `#` comments; `\\` continues a line)

  aws SERVICE OPERATION [--options]     kms, iam, sts, cloudtrail, s3api, ec2, rds, secretsmanager,
                                        ssm, dynamodb, efs, logs, sqs, sns, events (`aws` optional)
  aws s3 cp LOCAL s3://B/K [--sse aws:kms] [--sse-kms-key-id K] | cp s3://B/K LOCAL | mb | rb | ls
  aws configure set KEY VALUE [--profile NAME] | get KEY | list | list-profiles
  NAME=value, NAME=$(aws ... --output text), $NAME, ${NAME}, export NAME=value
  echo TEXT [> FILE]   cat FILE   ls   base64 [-d] FILE
  aws ... --query Plaintext --output text | base64 --decode > FILE

  lab clock show | lab clock advance 400d      (units s, m, h, d; e.g. 90m, 1d12h)
  lab clock show --plus 30d                    the time 30 days from now (the clock does not move),
                                               e.g. for `--valid-to $(lab clock show --plus 30d)`
  lab clock show --epoch-ms                    the time in milliseconds since the epoch, e.g. for
                                               `put-log-events --log-events timestamp=$(lab clock show --epoch-ms),message=hi`
  lab whoami [--profile NAME]                  lab profiles     lab profile use NAME
  lab expect CODE -- COMMAND                   succeeds only if COMMAND fails with CODE
  lab explain -- aws COMMAND                   why COMMAND would be allowed or denied (key policy,
                                               IAM policies, grants), without running it; also
                                               `aws ... --explain`
  lab vars                                     lab reset
  lab load --s3-put N --bucket B [--size BYTES] [--profile NAME]
                                               N uploads with the bucket's default encryption;
                                               reports the KMS requests they made (counters and
                                               sample events only, not N CloudTrail events)
  lab local encrypt --key-b64 B64 | --key-file F --in FILE --out FILE [--aad TEXT]
  lab local decrypt --key-b64 B64 | --key-file F --in FILE --out FILE [--aad TEXT]
  lab local random --bytes N --out FILE
  lab local rsa-encrypt --public-key fileb://PUB.der --algorithm RSAES_OAEP_SHA_256 --in FILE --out FILE
  lab local wrap-key-material --public-key fileb://PUB.der|PARAMS.json --algorithm RSAES_OAEP_SHA_256
                  --in KEY.bin --out WRAPPED.bin [--token-out TOKEN.bin]
  lab load --operation Encrypt --key-id KEY --rate 20000/s --duration 10s [--profile P] [--region R]
  lab cost [--profile P | --account ID]        this month's KMS bill (simulated clock)
  lab rotation-functions                       the lab's stand-in Lambda rotation functions (ARNs)
  lab deliveries [--profile P]                 SNS deliveries that failed, EventBridge invocations
  lab db-connect --db-instance-identifier ID (--secret-id S | --username U --password P)
                                               log in to an RDS instance as a client would
";

/// `lab clock advance` moves at most 100 years at a time.
const MAX_ADVANCE_MS: i64 = 36_500 * 86_400_000;

/// Runs `lab ARGS`.
pub(crate) fn run(s: &mut Session, args: &[String], fs: &mut dyn FileSystem, depth: usize) -> Out {
    match dispatch(s, args, fs, depth) {
        Ok(o) => o,
        Err(e) => Out::err(&e),
    }
}

fn usage(msg: &str) -> CliError {
    CliError::lab(format!("lab: {msg}\n(see `lab help`)"), 252)
}

fn dispatch(
    s: &mut Session,
    args: &[String],
    fs: &mut dyn FileSystem,
    depth: usize,
) -> Result<Out, CliError> {
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    match words.as_slice() {
        [] | ["help"] => Ok(Out::text(HELP)),
        ["clock", "show"] | ["clock"] => {
            Ok(Out::text(format!("{}\n", time::iso8601(s.world.now_ms()))))
        }
        ["clock", "show", "--epoch-ms"] => Ok(Out::text(format!("{}\n", s.world.now_ms()))),
        ["clock", "show", "--plus", d] => {
            let ms = time::parse_duration(d)
                .filter(|ms| *ms > 0 && *ms <= MAX_ADVANCE_MS)
                .ok_or_else(|| usage(&format!("`{d}` is not a duration; use a number with s, m, h or d up to 36500d, e.g. 30d, 90m, 1d12h")))?;
            Ok(Out::text(format!(
                "{}\n",
                time::iso8601(s.world.now_ms().saturating_add(ms))
            )))
        }
        ["clock", "advance", d] => {
            let ms = time::parse_duration(d)
                .filter(|ms| *ms > 0 && *ms <= MAX_ADVANCE_MS)
                .ok_or_else(|| usage(&format!("`{d}` is not a duration; use a number with s, m, h or d up to 36500d, e.g. 400d, 90m, 1d12h")))?;
            s.world.advance_clock(ms);
            Ok(Out::text(format!(
                "clock advanced by {d}; now {}\n",
                time::iso8601(s.world.now_ms())
            )))
        }
        ["whoami", rest @ ..] => {
            let opts = Opts::parse(rest, &["profile", "region"])?;
            let profile = opts.get("profile").map(str::to_owned);
            let ctx = s
                .world
                .context_for_profile(profile.as_deref(), opts.get("region"))
                .map_err(|e| CliError::Config(format!("\n{}\n", e.message)))?;
            let name = profile.unwrap_or_else(|| s.world.default_profile().to_owned());
            Ok(Out::text(format!(
                "profile:   {name}\nprincipal: {}\naccount:   {}\nregion:    {}\n",
                ctx.principal_arn, ctx.account, ctx.region
            )))
        }
        ["profiles"] => Ok(Out::text(profiles_table(s))),
        ["profile", "use", name] => {
            s.world
                .set_default_profile(name)
                .map_err(|e| CliError::lab(format!("lab: {}", e.message), 1))?;
            Ok(Out::text(format!("default profile is now {name}\n")))
        }
        ["vars"] => Ok(Out::text(
            s.vars
                .iter()
                .map(|(k, v)| format!("{k}={v}\n"))
                .collect::<String>(),
        )),
        ["reset"] => {
            let now = s.world.now_ms();
            let width = s.terminal_width;
            let files = std::mem::take(&mut s.files);
            let progress = std::mem::take(&mut s.progress);
            *s = Session::new(s.seed, now);
            s.files = files;
            s.progress = progress;
            s.terminal_width = width;
            Ok(Out::text(
                "lab reset: a fresh default world (variables cleared, files kept)\n",
            ))
        }
        ["expect", code, "--", cmd @ ..] if !cmd.is_empty() => {
            let cmd: Vec<String> = cmd.iter().map(|w| (*w).to_owned()).collect();
            let out = s.exec(&cmd, fs, depth);
            expect(code, &out)
        }
        ["explain", "--", cmd @ ..] if !cmd.is_empty() => {
            let mut cmd: Vec<String> = cmd.iter().map(|w| (*w).to_owned()).collect();
            let is_aws = cmd.first().is_some_and(|w| {
                w == "aws" || (crate::model::is_service_name(w) && w != "configure")
            });
            if !is_aws {
                return Err(usage(
                    "usage: lab explain -- aws SERVICE OPERATION [--options]",
                ));
            }
            cmd.push("--explain".to_owned());
            Ok(s.exec(&cmd, fs, depth))
        }
        ["explain", ..] => Err(usage(
            "usage: lab explain -- aws SERVICE OPERATION [--options]",
        )),
        ["expect", ..] => Err(usage(
            "usage: lab expect CODE -- COMMAND (CODE is an AWS error code or an exit code)",
        )),
        ["local", sub, rest @ ..] => {
            let Some((_, allowed, handler)) = LOCAL.iter().find(|(n, _, _)| n == sub) else {
                let names: Vec<&str> = LOCAL.iter().map(|(n, _, _)| *n).collect();
                return Err(usage(&format!(
                    "unknown `lab local {sub}`; available: {}",
                    names.join(", ")
                )));
            };
            let opts = Opts::parse(rest, allowed)?;
            handler(s, &opts, fs)
        }
        ["load", rest @ ..] if rest.iter().any(|a| a.starts_with("--s3-put")) => {
            load_s3_put(s, rest)
        }
        ["load", rest @ ..] => load(s, rest),
        ["cost", rest @ ..] => cost(s, rest),
        ["rotation-functions", rest @ ..] => rotation::rotation_functions(s, rest),
        ["deliveries", rest @ ..] => deliveries::deliveries(s, rest),
        ["db-connect", rest @ ..] => rotation::db_connect(s, rest),
        [other, ..] => Err(usage(&format!("unknown command `lab {other}`"))),
    }
}

fn expect(code: &str, out: &Out) -> Result<Out, CliError> {
    let want_exit: Option<i32> = code.parse().ok();
    let matched = match want_exit {
        Some(n) => out.code == n,
        None => out.error_code.as_deref() == Some(code),
    };
    if matched && out.code != 0 {
        return Ok(Out::text(format!("ok: failed as expected with {code}\n")));
    }
    if out.code == 0 {
        return Err(CliError::lab(
            format!("lab expect: expected the command to fail with {code}, but it succeeded"),
            1,
        ));
    }
    let got = out
        .error_code
        .clone()
        .unwrap_or_else(|| format!("exit code {}", out.code));
    let detail = out.stderr.trim();
    Err(CliError::lab(
        format!("lab expect: expected {code}, got {got}\n{detail}"),
        1,
    ))
}

fn profiles_table(s: &Session) -> String {
    let default = s.world.default_profile().to_owned();
    let rows: Vec<[String; 4]> = s
        .world
        .profiles()
        .into_iter()
        .map(|p| {
            let mark = if p.name == default { "* " } else { "  " };
            let identity = match (&p.role_arn, &p.principal_arn) {
                (Some(r), _) => format!(
                    "{r} (assumed via {})",
                    p.source_profile.clone().unwrap_or_default()
                ),
                (None, Some(a)) => a.clone(),
                (None, None) => String::new(),
            };
            [
                format!("{mark}{}", p.name),
                identity,
                p.region,
                String::new(),
            ]
        })
        .collect();
    let w0 = rows
        .iter()
        .map(|r| r[0].chars().count())
        .max()
        .unwrap_or(0)
        .max(9);
    let w1 = rows
        .iter()
        .map(|r| r[1].chars().count())
        .max()
        .unwrap_or(0)
        .max(8);
    let mut out = format!("{:<w0$}  {:<w1$}  {}\n", "  PROFILE", "IDENTITY", "REGION");
    for r in rows {
        out.push_str(&format!("{:<w0$}  {:<w1$}  {}\n", r[0], r[1], r[2]));
    }
    out.push_str("(* = default; change it with `lab profile use NAME` or pass --profile NAME)\n");
    out
}

/// `--name value` options of a lab command.
#[derive(Debug, Default)]
pub(crate) struct Opts(Vec<(String, String)>);

impl Opts {
    fn parse(args: &[&str], allowed: &[&str]) -> Result<Opts, CliError> {
        let mut out = Vec::new();
        let mut it = args.iter();
        while let Some(a) = it.next() {
            let Some(name) = a.strip_prefix("--") else {
                return Err(usage(&format!("unexpected argument `{a}`")));
            };
            let (name, value) = match name.split_once('=') {
                Some((n, v)) => (n, Some((*v).to_owned())),
                None => (name, None),
            };
            if !allowed.contains(&name) {
                let list: Vec<String> = allowed.iter().map(|x| format!("--{x}")).collect();
                return Err(usage(&format!(
                    "unknown option `--{name}`; expected {}",
                    list.join(", ")
                )));
            }
            let value = match value {
                Some(v) => v,
                None => (*it
                    .next()
                    .ok_or_else(|| usage(&format!("--{name} needs a value")))?)
                .to_owned(),
            };
            out.push((name.to_owned(), value));
        }
        Ok(Opts(out))
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn require(&self, name: &str) -> Result<&str, CliError> {
        self.get(name)
            .ok_or_else(|| usage(&format!("--{name} is required")))
    }
}
