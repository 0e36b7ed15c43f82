//! `lab ...` commands: the simulated clock, profiles, expectations, and the client-side steps
//! AWS users perform themselves (`lab local ...`).

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes128Gcm, Aes256Gcm, Nonce};
use base64::Engine as _;
use rand_core::RngCore;

use crate::error::CliError;
use crate::fs::FileSystem;
use crate::session::{Out, Session};
use crate::time;

/// The `help` text.
pub const HELP: &str = "\
KMS Lab commands (one per line; `#` comments; `\\` continues a line)

  aws SERVICE OPERATION [--options]     kms, iam, sts, cloudtrail, s3api, ec2, rds (`aws` optional)
  aws s3 cp LOCAL s3://B/K [--sse aws:kms] [--sse-kms-key-id K] | cp s3://B/K LOCAL | mb | rb | ls
  aws configure set KEY VALUE [--profile NAME] | get KEY | list | list-profiles
  NAME=value, NAME=$(aws ... --output text), $NAME, ${NAME}, export NAME=value
  echo TEXT [> FILE]   cat FILE   ls   base64 [-d] FILE
  aws ... --query Plaintext --output text | base64 --decode > FILE

  lab clock show | lab clock advance 400d      (units s, m, h, d; e.g. 90m, 1d12h)
  lab clock show --plus 30d                    the time 30 days from now (the clock does not move),
                                               e.g. for `--valid-to $(lab clock show --plus 30d)`
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
";

/// `lab clock advance` moves at most 100 years at a time.
const MAX_ADVANCE_MS: i64 = 36_500 * 86_400_000;

type LocalCommand = fn(&mut Session, &Opts, &mut dyn FileSystem) -> Result<Out, CliError>;

/// `lab local` subcommands: name, allowed options, handler. Add client-side steps here.
const LOCAL: &[(&str, &[&str], LocalCommand)] = &[
    (
        "encrypt",
        &["key-b64", "key-file", "in", "out", "aad"],
        local_encrypt,
    ),
    (
        "decrypt",
        &["key-b64", "key-file", "in", "out", "aad"],
        local_decrypt,
    ),
    ("random", &["bytes", "out"], local_random),
    (
        "rsa-encrypt",
        &["public-key", "algorithm", "in", "out"],
        local_rsa_encrypt,
    ),
    (
        "wrap-key-material",
        &["public-key", "algorithm", "in", "out", "token-out"],
        local_wrap_key_material,
    ),
];

/// The `lab local` subcommand names.
pub(crate) fn local_commands() -> impl Iterator<Item = &'static str> {
    LOCAL.iter().map(|(n, _, _)| *n)
}

/// The options of one `lab local` subcommand.
pub(crate) fn local_options(sub: &str) -> impl Iterator<Item = &'static str> {
    LOCAL
        .iter()
        .filter(move |(n, _, _)| *n == sub)
        .flat_map(|(_, o, _)| o.iter().copied())
}

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
                w == "aws" || (crate::model::service(w).is_some() && w != "configure")
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

fn read(fs: &dyn FileSystem, path: &str) -> Result<Vec<u8>, CliError> {
    fs.read(path)
        .map_err(|e| CliError::lab(format!("lab local: {e}"), 1))
}

fn write(fs: &mut dyn FileSystem, path: &str, data: &[u8]) -> Result<(), CliError> {
    fs.write(path, data)
        .map_err(|e| CliError::lab(format!("lab local: {path}: {e}"), 1))
}

/// The plaintext data key from `--key-b64` or `--key-file`.
fn data_key(o: &Opts, fs: &dyn FileSystem) -> Result<Vec<u8>, CliError> {
    let key = match (o.get("key-b64"), o.get("key-file")) {
        (Some(b), None) => base64::engine::general_purpose::STANDARD
            .decode(b.trim().as_bytes())
            .map_err(|_| CliError::lab("lab local: --key-b64 is not valid base64 (use the Plaintext of generate-data-key)", 1))?,
        (None, Some(f)) => read(fs, f)?,
        _ => return Err(usage("give the data key with exactly one of --key-b64 or --key-file")),
    };
    if key.len() != 32 && key.len() != 16 {
        return Err(CliError::lab(
            format!(
                "lab local: the data key must be 32 bytes (AES_256) or 16 bytes (AES_128); got {} bytes",
                key.len()
            ),
            1,
        ));
    }
    Ok(key)
}

/// AES-GCM with a data key: the file is `nonce (12 bytes) || ciphertext || tag (16 bytes)`.
fn seal(key: &[u8], nonce: &[u8; 12], data: &[u8], aad: &[u8]) -> Result<Vec<u8>, ()> {
    let n = Nonce::from_slice(nonce);
    let p = Payload { msg: data, aad };
    if key.len() == 32 {
        Aes256Gcm::new_from_slice(key)
            .map_err(|_| ())?
            .encrypt(n, p)
            .map_err(|_| ())
    } else {
        Aes128Gcm::new_from_slice(key)
            .map_err(|_| ())?
            .encrypt(n, p)
            .map_err(|_| ())
    }
}

fn open(key: &[u8], nonce: &[u8], data: &[u8], aad: &[u8]) -> Result<Vec<u8>, ()> {
    if nonce.len() != 12 {
        return Err(());
    }
    let n = Nonce::from_slice(nonce);
    let p = Payload { msg: data, aad };
    if key.len() == 32 {
        Aes256Gcm::new_from_slice(key)
            .map_err(|_| ())?
            .decrypt(n, p)
            .map_err(|_| ())
    } else {
        Aes128Gcm::new_from_slice(key)
            .map_err(|_| ())?
            .decrypt(n, p)
            .map_err(|_| ())
    }
}

fn local_encrypt(s: &mut Session, o: &Opts, fs: &mut dyn FileSystem) -> Result<Out, CliError> {
    let key = data_key(o, fs)?;
    let input = read(fs, o.require("in")?)?;
    let out_path = o.require("out")?.to_owned();
    let mut nonce = [0u8; 12];
    s.rng().fill_bytes(&mut nonce);
    let sealed = seal(
        &key,
        &nonce,
        &input,
        o.get("aad").unwrap_or_default().as_bytes(),
    )
    .map_err(|()| CliError::lab("lab local: encryption failed", 1))?;
    let mut file = nonce.to_vec();
    file.extend(sealed);
    write(fs, &out_path, &file)?;
    Ok(Out::text(format!(
        "encrypted {} bytes into {out_path} ({} bytes: 12-byte nonce, ciphertext, 16-byte tag) with AES-{}-GCM\n",
        input.len(),
        file.len(),
        key.len() * 8
    )))
}

fn local_decrypt(_s: &mut Session, o: &Opts, fs: &mut dyn FileSystem) -> Result<Out, CliError> {
    let key = data_key(o, fs)?;
    let input = read(fs, o.require("in")?)?;
    let out_path = o.require("out")?.to_owned();
    let (nonce, body) = input.split_at(input.len().min(12));
    let plain = open(
        &key,
        nonce,
        body,
        o.get("aad").unwrap_or_default().as_bytes(),
    )
    .map_err(|()| {
        CliError::lab(
            "lab local: decryption failed: wrong data key, wrong --aad, or the file was changed",
            1,
        )
    })?;
    write(fs, &out_path, &plain)?;
    Ok(Out::text(format!(
        "decrypted {} bytes into {out_path}\n",
        plain.len()
    )))
}

fn local_random(s: &mut Session, o: &Opts, fs: &mut dyn FileSystem) -> Result<Out, CliError> {
    let n: usize = o
        .require("bytes")?
        .parse()
        .ok()
        .filter(|n| *n > 0 && *n <= 1 << 20)
        .ok_or_else(|| usage("--bytes must be a number from 1 to 1048576"))?;
    let mut buf = vec![0u8; n];
    s.rng().fill_bytes(&mut buf);
    let path = o.require("out")?.to_owned();
    write(fs, &path, &buf)?;
    Ok(Out::text(format!("wrote {n} random bytes to {path}\n")))
}

/// A `fileb://PATH` or plain path.
fn file_arg(v: &str) -> &str {
    v.strip_prefix("fileb://")
        .or_else(|| v.strip_prefix("file://"))
        .unwrap_or(v)
}

fn local_rsa_encrypt(s: &mut Session, o: &Opts, fs: &mut dyn FileSystem) -> Result<Out, CliError> {
    let public = read(fs, file_arg(o.require("public-key")?))?;
    let alg = o.get("algorithm").unwrap_or("RSAES_OAEP_SHA_256");
    let input = read(fs, file_arg(o.require("in")?))?;
    let out_path = o.require("out")?.to_owned();
    let ct = cloud::client::rsa_oaep_encrypt(&public, alg, &input, s.rng())
        .map_err(|e| CliError::lab(format!("lab local: {e}"), 1))?;
    write(fs, &out_path, &ct)?;
    Ok(Out::text(format!(
        "encrypted {} bytes into {out_path} ({} bytes) with {alg}\n",
        input.len(),
        ct.len()
    )))
}

fn local_wrap_key_material(
    s: &mut Session,
    o: &Opts,
    fs: &mut dyn FileSystem,
) -> Result<Out, CliError> {
    let mut public = read(fs, file_arg(o.require("public-key")?))?;
    // The saved JSON output of `aws kms get-parameters-for-import` works too: its PublicKey is
    // used, and --token-out receives its ImportToken.
    if public.first() == Some(&b'{') {
        let v: serde_json::Value = serde_json::from_slice(&public)
            .map_err(|e| CliError::lab(format!("lab local: --public-key JSON: {e}"), 1))?;
        let field = |name: &str| {
            v.get(name)
                .and_then(serde_json::Value::as_str)
                .and_then(|t| base64::engine::general_purpose::STANDARD.decode(t).ok())
                .ok_or_else(|| {
                    CliError::lab(format!("lab local: the JSON has no base64 {name}"), 1)
                })
        };
        if let Some(path) = o.get("token-out") {
            let token = field("ImportToken")?;
            write(fs, path, &token)?;
        }
        public = field("PublicKey")?;
    }
    let alg = o.require("algorithm")?.to_owned();
    let input = read(fs, file_arg(o.require("in")?))?;
    let out_path = o.require("out")?.to_owned();
    let wrapped = cloud::client::wrap_key_material(&public, &alg, &input, s.rng())
        .map_err(|e| CliError::lab(format!("lab local: {e}"), 1))?;
    write(fs, &out_path, &wrapped)?;
    Ok(Out::text(format!(
        "wrapped {} bytes of key material into {out_path} ({} bytes) with {alg}\n",
        input.len(),
        wrapped.len()
    )))
}

/// `20000/s`, `20000`, `1200/m`: requests per second.
fn parse_rate(r: &str) -> Option<u64> {
    let (n, per) = r.split_once('/').unwrap_or((r, "s"));
    let n: u64 = n.trim().parse().ok()?;
    match per.trim() {
        "s" | "sec" | "second" => Some(n),
        "m" | "min" | "minute" => Some(n / 60),
        _ => None,
    }
}

fn load(s: &mut Session, rest: &[&str]) -> Result<Out, CliError> {
    let o = Opts::parse(
        rest,
        &[
            "operation",
            "key-id",
            "rate",
            "duration",
            "profile",
            "region",
        ],
    )?;
    let op = o.require("operation")?.to_owned();
    let key = o.get("key-id").unwrap_or_default().to_owned();
    let rate = parse_rate(o.require("rate")?)
        .filter(|r| *r > 0)
        .ok_or_else(|| usage("--rate must look like 20000/s"))?;
    let duration = time::parse_duration(o.require("duration")?)
        .filter(|d| *d > 0)
        .ok_or_else(|| usage("--duration must look like 10s, 2m or 1h"))?;
    let ctx = s
        .world
        .context_for_profile(o.get("profile"), o.get("region"))
        .map_err(|e| CliError::Config(format!("\n{}\n", e.message)))?;
    let r = s
        .world
        .load(&ctx, &op, &key, rate, duration)
        .map_err(|e| CliError::lab(format!("lab load: {}: {}", e.code, e.message), 254))?;
    let mut t = format!(
        "load: {op} at {rate}/s for {} (simulated) as {} in {}\n",
        o.require("duration")?,
        ctx.principal_arn,
        ctx.region
    );
    if let Some((name, limit)) = &r.quota {
        t.push_str(&format!("quota:      {name} = {limit}/s\n"));
    }
    t.push_str(&format!(
        "requests:   {}\nsucceeded:  {}\nthrottled:  {} (ThrottlingException)\n",
        r.requests, r.succeeded, r.throttled
    ));
    for (code, n) in &r.failed {
        t.push_str(&format!("failed:     {n} ({code})\n"));
    }
    let secs: Vec<String> = r
        .per_second
        .iter()
        .take(10)
        .map(|(ok, th)| format!("{ok}/{th}"))
        .collect();
    t.push_str(&format!(
        "per second (ok/throttled): {}{}\n",
        secs.join(" "),
        if r.per_second.len() > 10 { " ..." } else { "" }
    ));
    t.push_str(&format!(
        "CloudTrail: {} sample events stored ({}); every request is counted\nclock now {}\n",
        r.sample_event_ids.len(),
        r.sample_event_ids.join(", "),
        time::iso8601(s.world.now_ms())
    ));
    Ok(Out::text(t))
}

fn cost(s: &mut Session, rest: &[&str]) -> Result<Out, CliError> {
    let o = Opts::parse(rest, &["profile", "account", "region"])?;
    let account = match o.get("account") {
        Some(a) => a.to_owned(),
        None => {
            s.world
                .context_for_profile(o.get("profile"), o.get("region"))
                .map_err(|e| CliError::Config(format!("\n{}\n", e.message)))?
                .account
        }
    };
    let c = s.world.cost(&account);
    let mut t = format!(
        "KMS bill for account {} - {} (so far, simulated clock)\n  keys:      {:>10.4} key-months x $1.00 = ${:.4}\n",
        c.account, c.month, c.key_months, c.key_usd
    );
    for l in &c.requests {
        t.push_str(&format!(
            "  requests:  {:>10} {} ({} billed x ${:.2}/10k) = ${:.4}\n",
            l.requests, l.class, l.billed_requests, l.usd_per_10k, l.usd
        ));
    }
    t.push_str(&format!(
        "  free tier: {} of 20000 requests used\n  total:     ${:.4}\n",
        c.free_tier_requests, c.total_usd
    ));
    Ok(Out::text(t))
}

/// `lab load --s3-put N --bucket B`: N uploads through `World::s3_bulk_put`.
fn load_s3_put(s: &mut Session, rest: &[&str]) -> Result<Out, CliError> {
    let opts = Opts::parse(rest, &["s3-put", "bucket", "size", "profile", "region"])?;
    let n: u64 = opts
        .require("s3-put")?
        .parse()
        .ok()
        .filter(|n| *n > 0 && *n <= 100_000)
        .ok_or_else(|| usage("--s3-put takes a number of uploads from 1 to 100000"))?;
    let size: usize = opts
        .get("size")
        .unwrap_or("16")
        .parse()
        .ok()
        .filter(|n| *n <= 65_536)
        .ok_or_else(|| usage("--size takes a number of bytes up to 65536"))?;
    let bucket = opts.require("bucket")?.to_owned();
    let ctx = s
        .world
        .context_for_profile(opts.get("profile"), opts.get("region"))
        .map_err(|e| CliError::Config(format!("\n{}\n", e.message)))?;
    let report = s
        .world
        .s3_bulk_put(&ctx, &bucket, n, size)
        .map_err(|e| CliError::lab(format!("lab load: {}", e.message), 1))?;
    let mut text = format!(
        "{} uploads to s3://{bucket} ({} bytes each, Bucket Key {}): {} KMS requests ({} GenerateDataKey)\n",
        report["Uploads"],
        size,
        if report["BucketKeyEnabled"] == true {
            "enabled"
        } else {
            "disabled"
        },
        report["KmsRequests"],
        report["KmsRequestsByOperation"]["GenerateDataKey"],
    );
    let failed = report.get("Error").is_some();
    if let Some(e) = report.get("Error") {
        text.push_str(&format!(
            "stopped after a failure: {}: {}\n",
            e["Code"].as_str().unwrap_or_default(),
            e["Message"].as_str().unwrap_or_default()
        ));
    }
    let mut out = Out::text(text);
    out.json = Some(report);
    if failed {
        out.code = 1;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_open_round_trip() {
        let key = [7u8; 32];
        let nonce = [1u8; 12];
        let c = seal(&key, &nonce, b"secret", b"ctx").unwrap();
        assert_eq!(open(&key, &nonce, &c, b"ctx").unwrap(), b"secret");
        assert!(open(&key, &nonce, &c, b"other").is_err());
        assert!(open(&[8u8; 32], &nonce, &c, b"ctx").is_err());
        assert!(open(&key, &nonce[..3], &c, b"ctx").is_err());
        let k16 = [3u8; 16];
        let c = seal(&k16, &nonce, b"x", b"").unwrap();
        assert_eq!(open(&k16, &nonce, &c, b"").unwrap(), b"x");
    }
}
