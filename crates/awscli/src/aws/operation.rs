//! `aws SERVICE OPERATION --options`: the operation's options (argparse rules, booleans with
//! `--no-…`, lists, pagination options, `--cli-input-json`, `--generate-cli-skeleton`, a
//! positional outfile) mapped to its request in model order.

use base64::Engine as _;
use serde_json::{Map, Value};

use super::params::{b64, convert_top, load_param_file, param_file_error};
use super::validate::validate_required;
use super::{AwsCommand, Globals, Paging};
use crate::error::CliError;
use crate::fs::FileSystem;
use crate::model::{Operation, Shape, cli_member_name, xform_name};

pub(super) fn parse_operation(
    g: Globals,
    service: &str,
    op_name: &str,
    op: &Operation,
    params: &[String],
    fs: &dyn FileSystem,
) -> Result<(Globals, AwsCommand), CliError> {
    let cli_members: Vec<(String, String, Shape)> = op
        .member_names()
        .filter_map(|m| {
            op.member(m)
                .map(|s| (cli_member_name(service, op_name, m), m.to_owned(), s))
        })
        .collect();
    let mut given: Vec<(String, Vec<String>)> = Vec::new(); // (member, values)
    let mut unknown: Vec<String> = Vec::new();
    let mut positionals: Vec<String> = Vec::new();
    let mut cli_input_json: Option<String> = None;
    let mut skeleton = false;
    let mut paging = Paging::default();
    let option_names = option_names(&cli_members, op.paginator.is_some());
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
        // argparse (allow_abbrev) takes an unambiguous prefix for the whole option name.
        let resolved = resolve_abbreviation(name.get(2..).unwrap_or_default(), &option_names)?;
        let opt = resolved.as_str();
        let name = format!("--{opt}");
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
    if service == "configservice" && op_name == "PutConfigurationRecorder" {
        recording_group_into_recorder(&mut base);
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

/// `aws configservice put-configuration-recorder --recording-group …`: an aws-cli
/// customization (`awscli/customizations/configservice/putconfigurationrecorder.py`) whose
/// value becomes the recorder's `recordingGroup`.
fn recording_group_into_recorder(base: &mut Map<String, Value>) {
    if let Some(group) = base.remove("RecordingGroup") {
        let recorder = base
            .entry("ConfigurationRecorder")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(r) = recorder {
            r.insert("recordingGroup".into(), group);
        }
    }
}

/// Every option of the operation as argparse knows it (without `--`): its members, `no-` for
/// each boolean member, the pagination options and `--cli-input-json`/`--generate-cli-skeleton`.
fn option_names(cli_members: &[(String, String, Shape)], paginated: bool) -> Vec<String> {
    let mut names = Vec::new();
    for (cli, _, shape) in cli_members {
        names.push(cli.clone());
        if matches!(shape, Shape::Boolean) {
            names.push(format!("no-{cli}"));
        }
    }
    names.extend(["cli-input-json", "generate-cli-skeleton"].map(String::from));
    if paginated {
        names.extend(["starting-token", "page-size", "max-items"].map(String::from));
    }
    names
}

/// argparse's `allow_abbrev`: an exact option name, else the one option it is a prefix of; a
/// prefix of several is an error. An unknown name comes back unchanged.
fn resolve_abbreviation(opt: &str, names: &[String]) -> Result<String, CliError> {
    if opt.is_empty() || names.iter().any(|n| n == opt) {
        return Ok(opt.to_owned());
    }
    let matches: Vec<&String> = names.iter().filter(|n| n.starts_with(opt)).collect();
    match matches.as_slice() {
        [] => Ok(opt.to_owned()),
        [one] => Ok((*one).clone()),
        many => Err(CliError::Usage(format!(
            "ambiguous option: --{opt} could match {}",
            many.iter()
                .map(|m| format!("--{m}"))
                .collect::<Vec<_>>()
                .join(", ")
        ))),
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
