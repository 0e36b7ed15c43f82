//! `aws SERVICE OPERATION --options`: from words to an API request, the way aws-cli v2 parses
//! them (argparse rules, shorthand, JSON, `file://` / `fileb://`, base64 blobs).
//!
//! One concern per file: this file holds the parsed command and the global options and picks
//! the service and operation; `operation` maps an operation's options to its request,
//! `params` turns option values into JSON for their shape (JSON, shorthand, `file://`,
//! `fileb://`, base64 blobs), `validate` checks the request the way botocore does, `s3` parses
//! the `aws s3` high-level commands, `configure` the `aws configure` commands and `help` prints
//! the help pages.

use serde_json::Value;

use crate::error::CliError;
use crate::fs::FileSystem;
use crate::model;
use crate::output::Format;

mod configure;
mod help;
mod operation;
mod params;
mod s3;
mod validate;
mod wait;

use configure::parse_configure;
use help::{operation_help, service_help, top_help};
use operation::parse_operation;
use s3::parse_s3;
use wait::parse_wait;

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
    /// `--debug`: log the request, the response and (lab extension) a failure's explanation on
    /// standard error, as aws-cli logs its steps.
    pub debug: bool,
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
    /// `aws SERVICE wait WAITER`: polls the waiter's operation until an acceptor decides.
    Wait {
        /// The command-line service name (`ec2`).
        service: String,
        /// The waiter's name (`VolumeAvailable`).
        waiter: String,
        /// The API operation each poll calls (`DescribeVolumes`).
        operation: String,
        /// The request of each poll, in AWS JSON shape.
        input: Value,
    },
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
            if name == "--debug" {
                g.debug = true;
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
    if op_cli == "wait" && model::waiters::waiters(&service).is_some() {
        return parse_wait(g, &service, rest.get(2..).unwrap_or_default(), fs);
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

/// aws-cli's two-column "valid choices" listing.
pub(super) fn columns(items: &[String]) -> String {
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

#[cfg(test)]
mod tests;
