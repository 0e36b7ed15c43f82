//! `aws SERVICE OPERATION --options`: from words to an API request, the way aws-cli v2 parses
//! them (argparse rules, shorthand, JSON, `file://` / `fileb://`, base64 blobs).

use base64::Engine as _;
use serde_json::{Map, Value};

use crate::error::CliError;
use crate::fs::FileSystem;
use crate::model::{self, Operation, Shape, xform_name};
use crate::output::Format;
use crate::shorthand;

/// Options aws-cli accepts before or after the command.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Globals {
    /// `--profile`
    pub profile: Option<String>,
    /// `--region`
    pub region: Option<String>,
    /// `--output`
    pub output: Option<Format>,
    /// `--query`
    pub query: Option<String>,
    /// `--explain` (lab extension): explain the authorization decision.
    pub explain: bool,
    /// `--cli-binary-format raw-in-base64-out`: inline blobs are raw text, as in aws-cli v1.
    pub raw_in_base64_out: bool,
    /// `--no-paginate`: return only the first page.
    pub no_paginate: bool,
}

/// aws-cli's automatic pagination options (`--max-items`, `--page-size`, `--starting-token`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Paging {
    /// Stop after this many result items.
    pub max_items: Option<usize>,
    /// Ask the service for pages of this size.
    pub page_size: Option<i64>,
    /// Start from this page token.
    pub starting_token: Option<String>,
}

/// A parsed `aws` command.
#[derive(Clone, Debug, PartialEq)]
pub enum AwsCommand {
    /// Print this text (help, `--version`, `--generate-cli-skeleton`).
    Print(String),
    /// `aws configure set KEY VALUE`
    ConfigureSet {
        /// The setting (`region`, `role_arn`, `source_profile`).
        key: String,
        /// Its value.
        value: String,
    },
    /// `aws configure get KEY`
    ConfigureGet {
        /// The setting.
        key: String,
    },
    /// `aws configure list-profiles`
    ListProfiles,
    /// `aws configure list`
    ConfigureList,
    /// An `aws s3` high-level command (`cp`, `mb`, `rb`, `ls`): one API call whose success and
    /// failure print the way the high-level command does.
    S3 {
        /// The API operation (`PutObject`, `GetObject`, `CreateBucket`, …).
        operation: String,
        /// The request in AWS JSON shape.
        input: Value,
        /// For downloads: (path, response member).
        outfile: Option<(String, String)>,
        /// What `aws s3` prints on success (`upload: ./f to s3://b/f`); empty for `ls`.
        done: String,
        /// The prefix of the failure line (`upload failed: ./f to s3://b/f`).
        failed: String,
    },
    /// `aws s3 ls [s3://BUCKET[/PREFIX]] [--recursive] [--human-readable] [--summarize]
    /// [--page-size N]`.
    S3List(S3List),
    /// An API call.
    Call {
        /// The command-line service name (`kms`).
        service: String,
        /// The API operation (`CreateKey`).
        operation: String,
        /// The request in AWS JSON shape.
        input: Value,
        /// For operations with a positional outfile: (path, response member).
        outfile: Option<(String, String)>,
        /// Set when aws-cli would follow the pages itself (a paginated operation, no explicit
        /// page token or limit, no `--no-paginate`).
        paging: Option<Paging>,
    },
}

/// A parsed `aws s3 ls`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct S3List {
    /// The bucket; `None` lists the buckets.
    pub bucket: Option<String>,
    /// The key prefix after `s3://BUCKET/` (may be empty).
    pub prefix: String,
    /// `--recursive`: every key under the prefix, shown in full.
    pub recursive: bool,
    /// `--human-readable`: sizes as `1.5 KiB`.
    pub human_readable: bool,
    /// `--summarize`: the object count and total size at the end.
    pub summarize: bool,
    /// `--page-size`: keys per `ListObjectsV2` request.
    pub page_size: Option<i64>,
}

/// Options that take a value and apply to every command.
const GLOBAL_VALUE_OPTIONS: &[&str] = &[
    "--profile",
    "--region",
    "--output",
    "--query",
    "--endpoint-url",
    "--cli-binary-format",
    "--color",
    "--ca-bundle",
    "--cli-read-timeout",
    "--cli-connect-timeout",
];

/// Flags that apply to every command (accepted; most have no effect in the lab).
const GLOBAL_FLAGS: &[&str] = &[
    "--no-cli-pager",
    "--debug",
    "--explain",
    "--no-paginate",
    "--no-verify-ssl",
    "--no-sign-request",
    "--cli-auto-prompt",
    "--no-cli-auto-prompt",
];

/// The names of all global options, for completion.
pub fn global_option_names() -> impl Iterator<Item = &'static str> {
    GLOBAL_VALUE_OPTIONS.iter().chain(GLOBAL_FLAGS).copied()
}

/// The version string `aws --version` prints.
pub const VERSION: &str = "aws-cli/2.22.0 Python/3.12.6 KMSLab/0.1 exe/wasm32 prompt/off";

/// Parses the words after `aws`.
pub fn parse(args: &[String], fs: &dyn FileSystem) -> Result<(Globals, AwsCommand), CliError> {
    parse_with_defaults(args, fs, Globals::default())
}

/// The profile named by `--profile NAME` / `--profile=NAME`, if any (read before parsing, so the
/// profile's `output` and `cli_binary_format` settings can apply).
pub fn profile_arg(args: &[String]) -> Option<&str> {
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--profile" {
            return it.next().map(String::as_str);
        }
        if let Some(p) = a.strip_prefix("--profile=") {
            return Some(p);
        }
    }
    None
}

/// [`parse`], starting from `defaults` (a profile's configured `output` and
/// `cli_binary_format`) that command-line options override.
pub fn parse_with_defaults(
    args: &[String],
    fs: &dyn FileSystem,
    defaults: Globals,
) -> Result<(Globals, AwsCommand), CliError> {
    let mut g = defaults;
    let mut rest: Vec<String> = Vec::new();
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        i += 1;
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_owned())),
            _ => (arg.as_str(), None),
        };
        if GLOBAL_VALUE_OPTIONS.contains(&name) {
            let value = match inline {
                Some(v) => v,
                None => {
                    let v = args.get(i).ok_or_else(|| {
                        CliError::Usage(format!("argument {name}: expected one argument"))
                    })?;
                    i += 1;
                    v.clone()
                }
            };
            match name {
                "--profile" => g.profile = Some(value),
                "--region" => g.region = Some(value),
                "--output" => {
                    g.output = Some(Format::parse(&value).ok_or_else(|| {
                        CliError::Usage(
                            "argument --output: Invalid choice, valid choices are:\n\njson                                     | text\ntable                                    | yaml\nyaml-stream                              | off\n"
                                .into(),
                        )
                    })?)
                }
                "--query" => {
                    // The JMESPath parser is recursive: refuse absurd nesting before it runs.
                    let nesting = value.chars().filter(|c| matches!(c, '(' | '[' | '{')).count();
                    if nesting > 64 {
                        return Err(CliError::Usage(
                            "argument --query: Bad value for --query: more than 64 nested brackets"
                                .into(),
                        ));
                    }
                    if let Err(e) = jmespath::compile(&value) {
                        return Err(CliError::Usage(format!("argument --query: Bad value for --query {value}: {e}")));
                    }
                    g.query = Some(value)
                }
                "--cli-binary-format" => match value.as_str() {
                    "base64" => g.raw_in_base64_out = false,
                    "raw-in-base64-out" => g.raw_in_base64_out = true,
                    _ => {
                        return Err(CliError::Usage(
                            "argument --cli-binary-format: Invalid choice, valid choices are:\n\nbase64                                   | raw-in-base64-out\n"
                                .into(),
                        ));
                    }
                },
                _ => {}
            }
            continue;
        }
        if GLOBAL_FLAGS.contains(&name) && inline.is_none() {
            if name == "--no-paginate" {
                g.no_paginate = true;
            }
            if name == "--explain" {
                g.explain = true;
            }
            continue;
        }
        if name == "--version" {
            return Ok((g, AwsCommand::Print(format!("{VERSION}\n"))));
        }
        rest.push(arg.clone());
    }

    let Some(service) = rest.first().cloned() else {
        return Err(CliError::Usage(
            "the following arguments are required: command".into(),
        ));
    };
    if service == "help" {
        return Ok((g, AwsCommand::Print(top_help())));
    }
    if service == "configure" {
        return Ok((g, parse_configure(rest.get(1..).unwrap_or_default())?));
    }
    if service == "s3" {
        return Ok((g, parse_s3(rest.get(1..).unwrap_or_default(), fs)?));
    }
    let Some(table) = model::service(&service) else {
        let mut choices = model::service_names();
        choices.push("configure");
        choices.sort_unstable();
        return Err(CliError::Usage(format!(
            "argument command: Invalid choice, valid choices are:\n\n{}",
            columns(&choices.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>())
        )));
    };
    let Some(op_cli) = rest.get(1).cloned() else {
        return Err(CliError::Usage(
            "the following arguments are required: operation".into(),
        ));
    };
    if op_cli == "help" {
        return Ok((g, AwsCommand::Print(service_help(&service))));
    }
    let Some((op_name, op)) = table.operation_by_cli_name(&op_cli) else {
        let mut choices = table.cli_operation_names();
        choices.push("help".into());
        return Err(CliError::Usage(format!(
            "argument operation: Invalid choice, valid choices are:\n\n{}",
            columns(&choices)
        )));
    };
    let params = rest.get(2..).unwrap_or_default();
    if params.first().is_some_and(|p| p == "help") {
        return Ok((g, AwsCommand::Print(operation_help(&service, op_name, op))));
    }
    parse_operation(g, &service, op_name, op, params, fs)
}

fn parse_configure(args: &[String]) -> Result<AwsCommand, CliError> {
    let sub = args.first().map(String::as_str);
    let extra = |from: usize| -> Result<(), CliError> {
        let more: Vec<String> = args.get(from..).unwrap_or_default().to_vec();
        if more.is_empty() {
            Ok(())
        } else {
            Err(CliError::UnknownOptions(more))
        }
    };
    match sub {
        Some("set") => match (args.get(1), args.get(2)) {
            (Some(k), Some(v)) => {
                extra(3)?;
                Ok(AwsCommand::ConfigureSet { key: k.clone(), value: v.clone() })
            }
            _ => Err(CliError::Usage("the following arguments are required: varname, value".into())),
        },
        Some("get") => match args.get(1) {
            Some(k) => {
                extra(2)?;
                Ok(AwsCommand::ConfigureGet { key: k.clone() })
            }
            None => Err(CliError::Usage("the following arguments are required: varname".into())),
        },
        Some("list-profiles") => {
            extra(1)?;
            Ok(AwsCommand::ListProfiles)
        }
        Some("list") => {
            extra(1)?;
            Ok(AwsCommand::ConfigureList)
        }
        Some("help") | None => Ok(AwsCommand::Print(
            "aws configure set KEY VALUE [--profile NAME]   (keys: region, role_arn, source_profile)\n\
             aws configure get KEY [--profile NAME]\n\
             aws configure list [--profile NAME]\n\
             aws configure list-profiles\n"
                .into(),
        )),
        Some(other) => Err(CliError::Usage(format!(
            "argument operation: Invalid choice, valid choices are:\n\n{}",
            columns(&["get".into(), "list".into(), "list-profiles".into(), "set".into(), other.to_owned()][..4])
        ))),
    }
}

/// aws-cli's two-column "valid choices" listing.
fn columns(items: &[String]) -> String {
    let mut out = String::new();
    for pair in items.chunks(2) {
        match pair {
            [a, b] => out.push_str(&format!("{a:<40} | {b}\n")),
            [a] => out.push_str(&format!("{a}\n")),
            _ => {}
        }
    }
    out
}

fn parse_operation(
    g: Globals,
    service: &str,
    op_name: &str,
    op: &Operation,
    params: &[String],
    fs: &dyn FileSystem,
) -> Result<(Globals, AwsCommand), CliError> {
    let cli_members: Vec<(String, String, Shape)> = op
        .member_names()
        .filter_map(|m| op.member(m).map(|s| (xform_name(m), m.to_owned(), s)))
        .collect();
    let mut given: Vec<(String, Vec<String>)> = Vec::new(); // (member, values)
    let mut unknown: Vec<String> = Vec::new();
    let mut positionals: Vec<String> = Vec::new();
    let mut cli_input_json: Option<String> = None;
    let mut skeleton = false;
    let mut paging = Paging::default();
    let mut i = 0;
    while let Some(arg) = params.get(i) {
        i += 1;
        if !arg.starts_with("--") || arg == "--" {
            positionals.push(arg.clone());
            continue;
        }
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) => (n.to_owned(), Some(v.to_owned())),
            None => (arg.clone(), None),
        };
        let opt = name.get(2..).unwrap_or_default();
        let take_values = |i: &mut usize| -> Vec<String> {
            let mut vals = Vec::new();
            while let Some(v) = params.get(*i) {
                if v.starts_with("--") {
                    break;
                }
                vals.push(v.clone());
                *i += 1;
            }
            vals
        };
        if op.paginator.is_some() && matches!(opt, "max-items" | "page-size" | "starting-token") {
            let v = match inline {
                Some(v) => v,
                None => {
                    let v = params
                        .get(i)
                        .filter(|v| !v.starts_with("--"))
                        .ok_or_else(|| {
                            CliError::Usage(format!("argument {name}: expected one argument"))
                        })?;
                    i += 1;
                    v.clone()
                }
            };
            let int = |v: &str| {
                v.parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(|| {
                    CliError::Usage(format!("argument {name}: invalid int value: '{v}'"))
                })
            };
            match opt {
                "max-items" => {
                    paging.max_items = Some(usize::try_from(int(&v)?).unwrap_or(usize::MAX))
                }
                "page-size" => paging.page_size = Some(int(&v)?),
                _ => paging.starting_token = Some(v),
            }
            continue;
        }
        if opt == "cli-input-json" || opt == "generate-cli-skeleton" {
            let vals = match inline {
                Some(v) => vec![v],
                None => take_values(&mut i),
            };
            if opt == "generate-cli-skeleton" {
                skeleton = true;
            } else {
                cli_input_json = Some(vals.into_iter().next().ok_or_else(|| {
                    CliError::Usage("argument --cli-input-json: expected one argument".into())
                })?);
            }
            continue;
        }
        if let Some((_, member, _)) = cli_members.iter().find(|(cli, _, s)| {
            matches!(s, Shape::Boolean)
                && (opt == cli || opt.strip_prefix("no-") == Some(cli.as_str()))
        }) {
            if inline.is_some() {
                unknown.push(arg.clone());
                continue;
            }
            let value = if opt.starts_with("no-") && !cli_members.iter().any(|(c, _, _)| c == opt) {
                "false"
            } else {
                "true"
            };
            given.retain(|(m, _)| m != member);
            given.push((member.clone(), vec![value.to_owned()]));
            continue;
        }
        let Some((_, member, shape)) = cli_members.iter().find(|(cli, _, _)| cli == opt) else {
            unknown.push(name.clone());
            if let Some(v) = inline {
                unknown.push(v);
            }
            unknown.extend(take_values(&mut i));
            continue;
        };
        let mut vals = match inline {
            Some(v) => vec![v],
            None => take_values(&mut i),
        };
        if vals.is_empty() {
            return Err(CliError::Usage(format!(
                "argument {name}: expected {} argument",
                if matches!(shape, Shape::List { .. }) {
                    "at least one"
                } else {
                    "one"
                },
            )));
        }
        if !matches!(shape, Shape::List { .. }) && vals.len() > 1 {
            positionals.extend(vals.drain(1..));
        }
        given.retain(|(m, _)| m != member);
        given.push((member.clone(), vals));
    }

    if skeleton {
        let mut sk = Map::new();
        for (_, member, shape) in &cli_members {
            sk.insert(member.clone(), skeleton_value(shape, 0));
        }
        return Ok((
            g,
            AwsCommand::Print(crate::output::json(&Value::Object(sk))),
        ));
    }

    let mut base = Map::new();
    if let Some(src) = cli_input_json {
        let text = load_param_file(&src, "--cli-input-json", fs)?.unwrap_or(src);
        match serde_json::from_str::<Value>(&text) {
            Ok(Value::Object(m)) => base = m,
            _ => {
                return Err(CliError::ParamValidation(
                    "Error parsing parameter '--cli-input-json': Invalid JSON received.".into(),
                ));
            }
        }
    }

    let outfile_path = if op.outfile.is_some() && !positionals.is_empty() {
        Some(positionals.remove(0))
    } else {
        None
    };
    let mut missing: Vec<String> = op
        .required
        .iter()
        .filter(|r| !given.iter().any(|(m, _)| m == *r) && !base.contains_key(r.as_str()))
        .map(|r| format!("--{}", xform_name(r)))
        .collect();
    if op.outfile.is_some() && outfile_path.is_none() {
        missing.push("outfile".into());
    }
    if !missing.is_empty() {
        return Err(CliError::Usage(format!(
            "the following arguments are required: {}",
            missing.join(", ")
        )));
    }
    unknown.extend(positionals);
    if !unknown.is_empty() {
        return Err(CliError::UnknownOptions(unknown));
    }

    // Build the request in model order.
    for (cli, member, shape) in &cli_members {
        if let Some((_, vals)) = given.iter().find(|(m, _)| m == member) {
            // `s3api put-object --body PATH` streams the file's bytes.
            if service == "s3api" && member == "Body" {
                let path = vals.first().map(String::as_str).unwrap_or_default();
                let bytes = fs
                    .read(path)
                    .map_err(|e| param_file_error("--body", path, &e))?;
                base.insert(member.clone(), Value::String(b64().encode(bytes)));
                continue;
            }
            let v = convert_top(&format!("--{cli}"), shape, vals, &g, fs)?;
            base.insert(member.clone(), v);
        }
    }
    validate_required(op_name, &base, op)?;
    let outfile = match (outfile_path, &op.outfile) {
        (Some(p), Some(m)) => Some((p, m.clone())),
        _ => None,
    };
    // Like aws-cli, an explicit page token or page limit turns automatic pagination off.
    let paging = op.paginator.as_ref().and_then(|p| {
        let explicit = base.contains_key(&p.input_token) || base.contains_key(&p.limit_key);
        (!explicit && !g.no_paginate).then_some(paging)
    });
    Ok((
        g,
        AwsCommand::Call {
            service: service.to_owned(),
            operation: op_name.to_owned(),
            input: Value::Object(base),
            outfile,
            paging,
        },
    ))
}

/// `aws s3 cp|mb|rb|ls`: the high-level S3 commands the lab supports, each one API call.
fn parse_s3(args: &[String], fs: &dyn FileSystem) -> Result<AwsCommand, CliError> {
    let usage = || {
        CliError::Usage(
            "the lab supports: aws s3 cp LOCAL s3://BUCKET/KEY [--sse AES256|aws:kms|aws:kms:dsse] [--sse-kms-key-id KEY] | aws s3 cp s3://BUCKET/KEY LOCAL | aws s3 mb s3://BUCKET | aws s3 rb s3://BUCKET | aws s3 ls [s3://BUCKET[/PREFIX]] [--recursive] [--human-readable] [--summarize] [--page-size N]".into(),
        )
    };
    let Some((cmd, rest)) = args.split_first() else {
        return Err(usage());
    };
    let mut positionals: Vec<&str> = Vec::new();
    let mut sse: Option<String> = None;
    let mut key_id: Option<String> = None;
    let mut list = S3List::default();
    let mut i = 0;
    while let Some(a) = rest.get(i) {
        i += 1;
        let (name, inline) = match a.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_owned())),
            _ => (a.as_str(), None),
        };
        match name {
            "--sse" | "--sse-kms-key-id" => {
                let v = match inline {
                    Some(v) => v,
                    None => {
                        // `--sse` alone means AES256.
                        match rest.get(i).filter(|v| !v.starts_with("--")) {
                            Some(v) => {
                                i += 1;
                                v.clone()
                            }
                            None if name == "--sse" => "AES256".to_owned(),
                            None => {
                                return Err(CliError::Usage(format!(
                                    "argument {name}: expected one argument"
                                )));
                            }
                        }
                    }
                };
                if name == "--sse" {
                    sse = Some(v);
                } else {
                    key_id = Some(v);
                }
            }
            "--recursive" if cmd == "ls" && inline.is_none() => list.recursive = true,
            "--human-readable" if cmd == "ls" && inline.is_none() => list.human_readable = true,
            "--summarize" if cmd == "ls" && inline.is_none() => list.summarize = true,
            "--page-size" if cmd == "ls" => {
                let v = match inline {
                    Some(v) => v,
                    None => {
                        i += 1;
                        rest.get(i - 1).cloned().ok_or_else(|| {
                            CliError::Usage("argument --page-size: expected one argument".into())
                        })?
                    }
                };
                list.page_size = Some(v.parse().map_err(|_| {
                    CliError::Usage(format!("argument --page-size: invalid int value: '{v}'"))
                })?);
            }
            other if other.starts_with("--") => {
                return Err(CliError::UnknownOptions(vec![other.to_owned()]));
            }
            other => positionals.push(other),
        }
    }
    let s3_path = |p: &str| -> Option<(String, String)> {
        let rest = p.strip_prefix("s3://")?;
        let (b, k) = rest.split_once('/').unwrap_or((rest, ""));
        (!b.is_empty()).then(|| (b.to_owned(), k.to_owned()))
    };
    let file_name = |p: &str| p.rsplit('/').next().unwrap_or(p).to_owned();
    let call =
        |operation: &str, input: Value, outfile, done: String, failed: String| AwsCommand::S3 {
            operation: operation.to_owned(),
            input,
            outfile,
            done,
            failed,
        };
    match (cmd.as_str(), positionals.as_slice()) {
        ("cp", [src, dst]) => match (s3_path(src), s3_path(dst)) {
            (None, Some((bucket, key))) => {
                let key = if key.is_empty() || key.ends_with('/') {
                    format!("{key}{}", file_name(src))
                } else {
                    key
                };
                let bytes = fs.read(src).map_err(|e| {
                    CliError::Other(format!(
                        "\nThe user-provided path {src} does not exist. ({e})\n"
                    ))
                })?;
                let mut input = serde_json::json!({ "Bucket": bucket, "Key": key, "Body": b64().encode(bytes) });
                if let Some(v) = sse {
                    input["ServerSideEncryption"] = Value::String(v);
                }
                if let Some(k) = key_id {
                    input["SSEKMSKeyId"] = Value::String(k);
                    if input.get("ServerSideEncryption").is_none() {
                        input["ServerSideEncryption"] = Value::String("aws:kms".into());
                    }
                }
                let shown = format!("upload: {src} to s3://{bucket}/{key}");
                Ok(call(
                    "PutObject",
                    input,
                    None,
                    format!("{shown}\n"),
                    format!("upload failed: {src} to s3://{bucket}/{key}"),
                ))
            }
            (Some((bucket, key)), None) => {
                if key.is_empty() {
                    return Err(usage());
                }
                let path = if dst.ends_with('/') || *dst == "." {
                    format!("{}/{}", dst.trim_end_matches('/'), file_name(&key))
                } else {
                    (*dst).to_owned()
                };
                let input = serde_json::json!({ "Bucket": bucket, "Key": key });
                Ok(call(
                    "GetObject",
                    input,
                    Some((path.clone(), "Body".to_owned())),
                    format!("download: s3://{bucket}/{key} to {path}\n"),
                    format!("download failed: s3://{bucket}/{key} to {path}"),
                ))
            }
            _ => Err(usage()),
        },
        ("mb", [target]) => {
            let (bucket, _) = s3_path(target).ok_or_else(usage)?;
            Ok(call(
                "CreateBucket",
                serde_json::json!({ "Bucket": bucket }),
                None,
                format!("make_bucket: {bucket}\n"),
                format!("make_bucket failed: s3://{bucket}"),
            ))
        }
        ("rb", [target]) => {
            let (bucket, _) = s3_path(target).ok_or_else(usage)?;
            Ok(call(
                "DeleteBucket",
                serde_json::json!({ "Bucket": bucket }),
                None,
                format!("remove_bucket: {bucket}\n"),
                format!("remove_bucket failed: s3://{bucket}"),
            ))
        }
        ("ls", []) => Ok(AwsCommand::S3List(list)),
        ("ls", [target]) => {
            // aws-cli: `s3://` is optional; `s3://` alone lists the buckets.
            let path = target.strip_prefix("s3://").unwrap_or(target);
            let (bucket, prefix) = path.split_once('/').unwrap_or((path, ""));
            if !bucket.is_empty() {
                list.bucket = Some(bucket.to_owned());
                prefix.clone_into(&mut list.prefix);
            }
            Ok(AwsCommand::S3List(list))
        }
        _ => Err(usage()),
    }
}

fn skeleton_value(shape: &Shape, depth: usize) -> Value {
    if depth > 8 {
        return Value::Null;
    }
    match shape {
        Shape::String { values } => Value::String(values.first().cloned().unwrap_or_default()),
        Shape::Integer | Shape::Long => Value::from(0),
        Shape::Double | Shape::Float => Value::from(0.0),
        Shape::Boolean => Value::Bool(true),
        Shape::Blob => Value::Null,
        Shape::Timestamp => Value::String("1970-01-01T00:00:00".into()),
        Shape::List { member } => Value::Array(vec![skeleton_value(member, depth + 1)]),
        Shape::Map { value, .. } => {
            let mut m = Map::new();
            m.insert("KeyName".into(), skeleton_value(value, depth + 1));
            Value::Object(m)
        }
        Shape::Structure { members, .. } => Value::Object(
            members
                .iter()
                .map(|(k, s)| (k.clone(), skeleton_value(s, depth + 1)))
                .collect(),
        ),
    }
}

/// `file://` → text, `fileb://` → bytes (as latin-1-free UTF-8 text for non-blob params).
/// Returns `None` when the value is not a file reference.
fn load_param_file(
    value: &str,
    param: &str,
    fs: &dyn FileSystem,
) -> Result<Option<String>, CliError> {
    let (path, _binary) = if let Some(p) = value.strip_prefix("fileb://") {
        (p, true)
    } else if let Some(p) = value.strip_prefix("file://") {
        (p, false)
    } else {
        return Ok(None);
    };
    let bytes = fs
        .read(path)
        .map_err(|e| param_file_error(param, value, &e))?;
    String::from_utf8(bytes).map(Some).map_err(|_| {
        CliError::Other(format!(
            "Error parsing parameter '{param}': Unable to load paramfile {value}: 'utf-8' codec can't decode the file's bytes (use fileb:// for binary parameters)"
        ))
    })
}

fn param_file_error(param: &str, value: &str, reason: &str) -> CliError {
    CliError::Other(format!(
        "Error parsing parameter '{param}': Unable to load paramfile {value}: {reason}"
    ))
}

fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

/// Converts a top-level option's words to its JSON value.
fn convert_top(
    param: &str,
    shape: &Shape,
    vals: &[String],
    g: &Globals,
    fs: &dyn FileSystem,
) -> Result<Value, CliError> {
    let first = vals.first().map(String::as_str).unwrap_or_default();
    // Blobs: fileb:// gives raw bytes; inline text is base64 (or raw with raw-in-base64-out).
    if matches!(shape, Shape::Blob) {
        if let Some(path) = first.strip_prefix("fileb://") {
            let bytes = fs
                .read(path)
                .map_err(|e| param_file_error(param, first, &e))?;
            return Ok(Value::String(b64().encode(bytes)));
        }
        let text = load_param_file(first, param, fs)?.unwrap_or_else(|| first.to_owned());
        return blob_from_text(&text, g.raw_in_base64_out);
    }
    match shape {
        Shape::List { member } => {
            if vals.len() == 1 {
                let text = load_param_file(first, param, fs)?.unwrap_or_else(|| first.to_owned());
                if text.trim_start().starts_with('[') {
                    return parse_json(param, &text);
                }
                return Ok(Value::Array(vec![convert_item(param, member, &text, g)?]));
            }
            let mut out = Vec::new();
            for v in vals {
                let text = load_param_file(v, param, fs)?.unwrap_or_else(|| v.clone());
                out.push(convert_item(param, member, &text, g)?);
            }
            Ok(Value::Array(out))
        }
        _ => {
            let text = load_param_file(first, param, fs)?.unwrap_or_else(|| first.to_owned());
            convert_item(param, shape, &text, g)
        }
    }
}

/// One textual value for a shape: JSON for `{...}` / `[...]` containers, shorthand otherwise.
fn convert_item(param: &str, shape: &Shape, text: &str, g: &Globals) -> Result<Value, CliError> {
    match shape {
        Shape::Structure { .. } | Shape::Map { .. } => {
            if text.trim_start().starts_with('{') {
                return parse_json(param, text);
            }
            let parsed = shorthand::parse(text).map_err(|e| {
                CliError::ParamValidation(format!("Error parsing parameter '{param}': {e}"))
            })?;
            from_shorthand(param, shape, &parsed, g)
        }
        Shape::List { member } => {
            if text.trim_start().starts_with('[') {
                return parse_json(param, text);
            }
            Ok(Value::Array(vec![convert_item(param, member, text, g)?]))
        }
        scalar => scalar_value(param, scalar, text, g),
    }
}

fn parse_json(param: &str, text: &str) -> Result<Value, CliError> {
    serde_json::from_str(text).map_err(|e| {
        CliError::ParamValidation(format!(
            "Error parsing parameter '{param}': Invalid JSON: {e}\nJSON received: {text}"
        ))
    })
}

fn blob_from_text(text: &str, raw: bool) -> Result<Value, CliError> {
    if raw {
        return Ok(Value::String(b64().encode(text.as_bytes())));
    }
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    match b64().decode(compact.as_bytes()) {
        Ok(bytes) => Ok(Value::String(b64().encode(bytes))),
        Err(_) => Err(CliError::Other(format!("\nInvalid base64: \"{text}\"\n"))),
    }
}

fn scalar_value(param: &str, shape: &Shape, text: &str, g: &Globals) -> Result<Value, CliError> {
    match shape {
        Shape::Integer | Shape::Long => text.trim().parse::<i64>().map(Value::from).map_err(|_| {
            CliError::ParamValidation(format!(
                "\nParameter validation failed:\nInvalid type for parameter {}, value: {text}, type: <class 'str'>, valid types: <class 'int'>",
                param.trim_start_matches('-')
            ))
        }),
        Shape::Double | Shape::Float => text
            .trim()
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| CliError::ParamValidation(format!("Error parsing parameter '{param}': invalid number: {text}"))),
        Shape::Boolean => match text.trim().to_ascii_lowercase().as_str() {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(CliError::ParamValidation(format!(
                "Error parsing parameter '{param}': invalid boolean value: '{text}'"
            ))),
        },
        Shape::Timestamp => crate::time::parse_timestamp(text)
            .map(|ms| {
                serde_json::Number::from_f64(ms as f64 / 1000.0).map_or(Value::from(ms / 1000), Value::Number)
            })
            .ok_or_else(|| CliError::ParamValidation(format!("Error parsing parameter '{param}': Invalid timestamp: {text}"))),
        Shape::Blob => blob_from_text(text, g.raw_in_base64_out),
        _ => Ok(Value::String(text.to_owned())),
    }
}

fn from_shorthand(
    param: &str,
    shape: &Shape,
    v: &shorthand::Value,
    g: &Globals,
) -> Result<Value, CliError> {
    use shorthand::Value as S;
    match (shape, v) {
        (Shape::Structure { members, .. }, S::Map(pairs)) => {
            let mut out = Map::new();
            for (k, val) in pairs {
                let Some(ms) = members.get(k) else {
                    // Reported with its path by `validate`, as botocore does.
                    out.insert(k.clone(), shorthand_json(val));
                    continue;
                };
                out.insert(k.clone(), from_shorthand(param, ms, val, g)?);
            }
            Ok(Value::Object(out))
        }
        (Shape::Map { value, .. }, S::Map(pairs)) => {
            let mut out = Map::new();
            for (k, val) in pairs {
                out.insert(k.clone(), from_shorthand(param, value, val, g)?);
            }
            Ok(Value::Object(out))
        }
        (Shape::List { member }, S::List(items)) => items
            .iter()
            .map(|i| from_shorthand(param, member, i, g))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        (Shape::List { member }, single) => Ok(Value::Array(vec![from_shorthand(
            param, member, single, g,
        )?])),
        (scalar, S::Str(s)) if scalar.is_scalar() => scalar_value(param, scalar, s, g),
        (shape, _) => Err(CliError::ParamValidation(format!(
            "Error parsing parameter '{param}': expected a {} value",
            shape.type_name()
        ))),
    }
}

fn shorthand_json(v: &shorthand::Value) -> Value {
    match v {
        shorthand::Value::Str(s) => Value::String(s.clone()),
        shorthand::Value::List(items) => Value::Array(items.iter().map(shorthand_json).collect()),
        shorthand::Value::Map(pairs) => Value::Object(
            pairs
                .iter()
                .map(|(k, v)| (k.clone(), shorthand_json(v)))
                .collect(),
        ),
    }
}

/// botocore-style parameter validation: required members, unknown members and value types, with
/// paths like `Tags[0]`.
fn validate_required(
    op_name: &str,
    input: &Map<String, Value>,
    op: &Operation,
) -> Result<(), CliError> {
    let _ = op_name;
    let mut problems = Vec::new();
    let valid: Vec<&str> = op.member_names().collect();
    for (name, v) in input {
        match op.member(name) {
            Some(shape) => check(&shape, v, name, &mut problems),
            None => problems.push(format!(
                "Unknown parameter in input: \"{name}\", must be one of: {}",
                valid.join(", ")
            )),
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(CliError::ParamValidation(format!(
            "\nParameter validation failed:\n{}",
            problems.join("\n")
        )))
    }
}

fn python_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "<class 'NoneType'>",
        Value::Bool(_) => "<class 'bool'>",
        Value::Number(n) if n.is_f64() => "<class 'float'>",
        Value::Number(_) => "<class 'int'>",
        Value::String(_) => "<class 'str'>",
        Value::Array(_) => "<class 'list'>",
        Value::Object(_) => "<class 'dict'>",
    }
}

fn check(shape: &Shape, v: &Value, path: &str, problems: &mut Vec<String>) {
    let expected = match (shape, v) {
        (Shape::Structure { members, required }, Value::Object(m)) => {
            for r in required {
                if !m.contains_key(r) {
                    problems.push(format!("Missing required parameter in {path}: \"{r}\""));
                }
            }
            for (k, x) in m {
                match members.get(k) {
                    Some(s) => check(s, x, &format!("{path}.{k}"), problems),
                    None => {
                        let valid: Vec<&str> = members.keys().map(String::as_str).collect();
                        problems.push(format!(
                            "Unknown parameter in {path}: \"{k}\", must be one of: {}",
                            valid.join(", ")
                        ));
                    }
                }
            }
            return;
        }
        (Shape::List { member }, Value::Array(items)) => {
            for (i, x) in items.iter().enumerate() {
                check(member, x, &format!("{path}[{i}]"), problems);
            }
            return;
        }
        (Shape::Map { value, .. }, Value::Object(m)) => {
            for (k, x) in m {
                check(value, x, &format!("{path}.{k}"), problems);
            }
            return;
        }
        (Shape::String { .. } | Shape::Blob, Value::String(_))
        | (Shape::Boolean, Value::Bool(_))
        | (Shape::Timestamp, Value::String(_) | Value::Number(_)) => return,
        (Shape::Integer | Shape::Long, Value::Number(n)) if !n.is_f64() => return,
        (Shape::Double | Shape::Float, Value::Number(_)) => return,
        (Shape::Structure { .. } | Shape::Map { .. }, _) => "<class 'dict'>",
        (Shape::List { .. }, _) => "<class 'list'>, <class 'tuple'>",
        (Shape::Integer | Shape::Long, _) => "<class 'int'>",
        (Shape::Double | Shape::Float, _) => {
            "<class 'float'>, <class 'decimal.Decimal'>, <class 'int'>"
        }
        (Shape::Boolean, _) => "<class 'bool'>",
        (Shape::String { .. }, _) => "<class 'str'>",
        (Shape::Blob, _) => "<class 'bytes'>, <class 'bytearray'>, file-like object",
        (Shape::Timestamp, _) => "<class 'datetime.datetime'>, <class 'str'>",
    };
    problems.push(format!(
        "Invalid type for parameter {path}, value: {}, type: {}, valid types: {expected}",
        crate::output::py_str(v),
        python_type(v)
    ));
}

// ---------------------------------------------------------------- help

fn top_help() -> String {
    let mut s = String::from(
        "aws [options] <command> <subcommand> [parameters]\n\nAvailable services in this lab:\n\n",
    );
    for name in model::service_names() {
        s.push_str(&format!("  o {name}\n"));
    }
    s.push_str("  o configure\n\nGlobal options: --profile, --region, --output json|text|table|yaml|yaml-stream|off, --query JMESPATH, --explain\n");
    s
}

fn service_help(service: &str) -> String {
    let mut s = format!("aws {service} <operation> [parameters]\n\nAvailable operations:\n\n");
    if let Some(t) = model::service(service) {
        for op in t.cli_operation_names() {
            s.push_str(&format!("  o {op}\n"));
        }
    }
    s
}

fn operation_help(service: &str, op_name: &str, op: &Operation) -> String {
    let mut s = format!(
        "{op_name}\n\nSYNOPSIS\n\n    {service} {}\n",
        xform_name(op_name)
    );
    for m in op.member_names() {
        let Some(shape) = op.member(m) else { continue };
        let cli = xform_name(m);
        let req = op.required.iter().any(|r| r == m);
        let arg = match &shape {
            Shape::Boolean => format!("--{cli} | --no-{cli}"),
            other => format!("--{cli} <{}>", other.type_name()),
        };
        s.push_str(&if req {
            format!("        {arg}\n")
        } else {
            format!("        [{arg}]\n")
        });
        let values = match &shape {
            Shape::String { values } => values.clone(),
            Shape::List { member } => match member.as_ref() {
                Shape::String { values } => values.clone(),
                _ => Vec::new(),
            },
            _ => Vec::new(),
        };
        if !values.is_empty() {
            s.push_str(&format!("            one of: {}\n", values.join(", ")));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::fs::MemFs;

    fn words(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_owned).collect()
    }

    fn call(line: &str) -> Result<(Globals, String, Value), CliError> {
        let mut fs = MemFs::new();
        fs.write("plain.txt", b"hello\n").unwrap();
        fs.write("policy.json", br#"{"Version":"2012-10-17"}"#)
            .unwrap();
        fs.write("bin", &[0, 159, 146, 150]).unwrap();
        match parse(&words(line), &fs)? {
            (
                g,
                AwsCommand::Call {
                    operation, input, ..
                },
            ) => Ok((g, operation, input)),
            (_, other) => panic!("not a call: {other:?}"),
        }
    }

    #[test]
    fn maps_options_to_members() {
        let (_, op, input) = call("kms create-key --description x --tags TagKey=a,TagValue=b TagKey=c,TagValue=d --multi-region").unwrap();
        assert_eq!(op, "CreateKey");
        assert_eq!(
            input,
            json!({"Description": "x", "Tags": [{"TagKey": "a", "TagValue": "b"}, {"TagKey": "c", "TagValue": "d"}], "MultiRegion": true})
        );
        let (_, op, input) = call(
            "kms re-encrypt --ciphertext-blob fileb://bin --destination-key-id k --no-dry-run",
        )
        .unwrap();
        assert_eq!(op, "ReEncrypt");
        assert_eq!(
            input,
            json!({"CiphertextBlob": "AJ+Slg==", "DestinationKeyId": "k", "DryRun": false})
        );
        let (_, _, input) =
            call("kms encrypt --key-id alias/x --plaintext fileb://plain.txt --encryption-context purpose=test,dept=hr --grant-tokens a b").unwrap();
        assert_eq!(
            input,
            json!({"KeyId": "alias/x", "Plaintext": "aGVsbG8K", "EncryptionContext": {"purpose": "test", "dept": "hr"}, "GrantTokens": ["a", "b"]})
        );
        let (_, _, input) = call("kms create-grant --key-id k --grantee-principal p --operations Encrypt Decrypt --constraints EncryptionContextSubset={k=v}").unwrap();
        assert_eq!(input["Operations"], json!(["Encrypt", "Decrypt"]));
        assert_eq!(
            input["Constraints"],
            json!({"EncryptionContextSubset": {"k": "v"}})
        );
        let (_, _, input) = call("kms put-key-policy --key-id k --policy file://policy.json --bypass-policy-lockout-safety-check").unwrap();
        assert_eq!(
            input,
            json!({"KeyId": "k", "Policy": "{\"Version\":\"2012-10-17\"}", "BypassPolicyLockoutSafetyCheck": true})
        );
        let (_, _, input) = call("cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=Encrypt --max-results 5").unwrap();
        assert_eq!(
            input,
            json!({"LookupAttributes": [{"AttributeKey": "EventName", "AttributeValue": "Encrypt"}], "MaxResults": 5})
        );
        let (_, _, input) = call("kms generate-data-key --key-id=k --number-of-bytes 32").unwrap();
        assert_eq!(input, json!({"KeyId": "k", "NumberOfBytes": 32}));
        let (_, op, _) = call("sts get-caller-identity").unwrap();
        assert_eq!(op, "GetCallerIdentity");
        let (_, op, input) =
            call("iam attach-role-policy --role-name r --policy-arn arn:aws:iam::aws:policy/x")
                .unwrap();
        assert_eq!(op, "AttachRolePolicy");
        assert_eq!(
            input,
            json!({"RoleName": "r", "PolicyArn": "arn:aws:iam::aws:policy/x"})
        );
    }

    #[test]
    fn json_values_and_globals() {
        let mut fs = MemFs::new();
        let args: Vec<String> = vec![
            "kms".into(),
            "encrypt".into(),
            "--profile".into(),
            "app".into(),
            "--key-id".into(),
            "k".into(),
            "--plaintext".into(),
            "aGk=".into(),
            "--encryption-context".into(),
            r#"{"purpose":"test"}"#.into(),
            "--output".into(),
            "text".into(),
            "--query".into(),
            "CiphertextBlob".into(),
            "--region".into(),
            "eu-west-1".into(),
            "--no-cli-pager".into(),
        ];
        let (g, cmd) = parse(&args, &fs).unwrap();
        assert_eq!(g.profile.as_deref(), Some("app"));
        assert_eq!(g.region.as_deref(), Some("eu-west-1"));
        assert_eq!(g.output, Some(Format::Text));
        assert_eq!(g.query.as_deref(), Some("CiphertextBlob"));
        let AwsCommand::Call { input, .. } = cmd else {
            panic!()
        };
        assert_eq!(input["EncryptionContext"], json!({"purpose": "test"}));
        fs.write("in.json", br#"{"KeyId": "from-file", "Plaintext": "aGk="}"#)
            .unwrap();
        let (_, cmd) = parse(&words("kms encrypt --cli-input-json file://in.json"), &fs).unwrap();
        let AwsCommand::Call { input, .. } = cmd else {
            panic!()
        };
        assert_eq!(input, json!({"KeyId": "from-file", "Plaintext": "aGk="}));
        let (g, _) = parse(
            &words(
                "kms encrypt --key-id k --plaintext hello --cli-binary-format raw-in-base64-out",
            ),
            &fs,
        )
        .unwrap();
        assert!(g.raw_in_base64_out);
    }

    #[test]
    fn usage_errors_like_aws_cli() {
        let e = call("kms describe-key").unwrap_err();
        assert_eq!(e.exit_code(), 252);
        assert!(
            e.stderr()
                .ends_with("aws: error: the following arguments are required: --key-id\n"),
            "{e}"
        );
        let e = call("kms encrypt").unwrap_err();
        assert!(
            e.stderr().ends_with("required: --key-id, --plaintext\n"),
            "{e}"
        );
        let e = call("kms describe-key --key-id k --foo bar").unwrap_err();
        assert!(
            e.stderr().ends_with("\nUnknown options: --foo, bar\n"),
            "{e}"
        );
        assert_eq!(e.exit_code(), 252);
        let e = call("kms describe-key --key-id a b").unwrap_err();
        assert!(e.stderr().ends_with("Unknown options: b\n"), "{e}");
        let e = call("kms describe-key --key-id").unwrap_err();
        assert!(
            e.stderr()
                .ends_with("aws: error: argument --key-id: expected one argument\n"),
            "{e}"
        );
        let e = call("kms frobnicate").unwrap_err();
        assert!(
            e.stderr()
                .contains("argument operation: Invalid choice, valid choices are:"),
            "{e}"
        );
        assert!(e.stderr().contains("create-key"));
        let e = call("s3x ls").unwrap_err();
        assert!(e.stderr().contains("argument command: Invalid choice"));
        let e = call("kms list-keys --output yaml2").unwrap_err();
        assert_eq!(e.exit_code(), 252);
        let deep = format!("kms list-keys --query {}", "(".repeat(100_000));
        assert_eq!(call(&deep).unwrap_err().exit_code(), 252);
        let e = call("kms list-keys --query [").unwrap_err();
        assert!(e.stderr().contains("Bad value for --query"), "{e}");
        let e = call("kms create-key --tags TagKey=a").unwrap_err();
        assert_eq!(
            e.stderr(),
            "\nParameter validation failed:\nMissing required parameter in Tags[0]: \"TagValue\"\n"
        );
        let e = call("kms create-key --tags Nope=a").unwrap_err();
        assert!(
            e.stderr().contains(
                "Unknown parameter in Tags[0]: \"Nope\", must be one of: TagKey, TagValue"
            ),
            "{e}"
        );
        let e = call("kms generate-random --number-of-bytes lots").unwrap_err();
        assert_eq!(e.exit_code(), 252);
    }

    #[test]
    fn json_input_is_validated_like_botocore() {
        let fs = MemFs::new();
        let args: Vec<String> = vec![
            "kms".into(),
            "create-key".into(),
            "--tags".into(),
            r#"[{"TagKey": "a", "TagValue": 5}]"#.into(),
        ];
        let e = parse(&args, &fs).unwrap_err();
        assert_eq!(
            e.stderr(),
            "\nParameter validation failed:\nInvalid type for parameter Tags[0].TagValue, value: 5, type: <class 'int'>, valid types: <class 'str'>\n"
        );
        let args: Vec<String> = vec![
            "kms".into(),
            "list-keys".into(),
            "--cli-input-json".into(),
            r#"{"Limit": 1, "Bogus": 2}"#.into(),
        ];
        let e = parse(&args, &fs).unwrap_err();
        assert!(
            e.stderr()
                .contains("Unknown parameter in input: \"Bogus\", must be one of: Limit, Marker"),
            "{e}"
        );
        assert_eq!(e.exit_code(), 252);
    }

    #[test]
    fn usage_and_help_text_snapshots() {
        let fs = MemFs::new();
        insta::assert_snapshot!(
            "invalid_operation",
            call("kms frobnicate").unwrap_err().stderr()
        );
        insta::assert_snapshot!(
            "missing_required",
            call("kms encrypt --plaintext aGk=").unwrap_err().stderr()
        );
        let (_, AwsCommand::Print(h)) = parse(&words("kms create-grant help"), &fs).unwrap() else {
            panic!()
        };
        insta::assert_snapshot!("create_grant_help", h);
    }

    #[test]
    fn positional_outfile_hook() {
        let op: Operation = serde_json::from_value(json!({
            "members": {"Bucket": {"type": "string"}, "Key": {"type": "string"}},
            "required": ["Bucket", "Key"],
            "outfile": "Body"
        }))
        .unwrap();
        let fs = MemFs::new();
        let args = words("--bucket b --key k out.bin");
        let (_, cmd) =
            parse_operation(Globals::default(), "s3api", "GetObject", &op, &args, &fs).unwrap();
        let AwsCommand::Call { outfile, input, .. } = cmd else {
            panic!()
        };
        assert_eq!(outfile, Some(("out.bin".to_owned(), "Body".to_owned())));
        assert_eq!(input, json!({"Bucket": "b", "Key": "k"}));
        let e = parse_operation(
            Globals::default(),
            "s3api",
            "GetObject",
            &op,
            &words("--bucket b --key k"),
            &fs,
        )
        .unwrap_err();
        assert!(e.stderr().ends_with("required: outfile\n"), "{e}");
    }

    #[test]
    fn file_and_base64_errors_exit_255() {
        let e = call("kms encrypt --key-id k --plaintext fileb://x").unwrap_err();
        assert_eq!(
            e.stderr(),
            "Error parsing parameter '--plaintext': Unable to load paramfile fileb://x: [Errno 2] No such file or directory: 'x'\n"
        );
        assert_eq!(e.exit_code(), 255);
        let e = call("kms encrypt --key-id k --plaintext hello").unwrap_err();
        assert_eq!(e.stderr(), "\nInvalid base64: \"hello\"\n\n");
        assert_eq!(e.exit_code(), 255);
    }

    #[test]
    fn help_and_skeleton() {
        let fs = MemFs::new();
        let (_, AwsCommand::Print(h)) = parse(&words("kms encrypt help"), &fs).unwrap() else {
            panic!()
        };
        assert!(
            h.contains("--key-id <string>") && h.contains("[--dry-run | --no-dry-run]"),
            "{h}"
        );
        let (_, AwsCommand::Print(s)) =
            parse(&words("kms encrypt --generate-cli-skeleton"), &fs).unwrap()
        else {
            panic!()
        };
        let v: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v["EncryptionContext"], json!({"KeyName": ""}));
        let (_, AwsCommand::Print(s)) = parse(&words("--version"), &fs).unwrap() else {
            panic!()
        };
        assert!(s.starts_with("aws-cli/2."));
        assert!(matches!(
            parse(&words("configure list-profiles"), &fs).unwrap().1,
            AwsCommand::ListProfiles
        ));
        assert_eq!(
            parse(&words("configure set region eu-west-1 --profile app"), &fs).unwrap(),
            (
                Globals {
                    profile: Some("app".into()),
                    ..Globals::default()
                },
                AwsCommand::ConfigureSet {
                    key: "region".into(),
                    value: "eu-west-1".into()
                }
            )
        );
    }
}
