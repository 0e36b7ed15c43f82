//! Tab completion for the browser terminal.

use serde_json::{Value, json};

use crate::aws;
use crate::fs::FileSystem;
use crate::model::{self, Shape, xform_name};
use crate::session::Session;

const COMMANDS: &[&str] = &[
    "aws", "lab", "echo", "cat", "ls", "base64", "export", "help",
];
const LAB: &[&str] = &[
    "clock",
    "whoami",
    "profiles",
    "profile",
    "expect",
    "explain",
    "vars",
    "reset",
    "local",
    "load",
    "cost",
    "rotation-functions",
    "db-connect",
    "help",
];
const REGIONS: &[&str] = &[
    "us-east-1",
    "us-east-2",
    "us-west-2",
    "eu-west-1",
    "eu-central-1",
    "ap-southeast-2",
];

/// Candidates for the last (partial) word of `line`: full words that start with it, sorted.
///
/// Completes commands, services, operations, options (including `--no-` forms of flags),
/// `--profile` / `--output` / `--region` values, key IDs and aliases after key options (read from
/// a copy of the world, so completion never leaves audit events), and file names after
/// `file://` / `fileb://`.
pub fn complete(session: &Session, line: &str, fs: &dyn FileSystem) -> Vec<String> {
    let mut words: Vec<&str> = line.split_whitespace().collect();
    let partial = if line.ends_with(char::is_whitespace) || line.is_empty() {
        ""
    } else {
        words.pop().unwrap_or("")
    };
    let prev = words.last().copied().unwrap_or("");
    let mut c: Vec<String> = candidates(session, &words, prev, partial, fs);
    c.retain(|x| x.starts_with(partial));
    c.sort();
    c.dedup();
    c
}

fn candidates(
    session: &Session,
    words: &[&str],
    prev: &str,
    partial: &str,
    fs: &dyn FileSystem,
) -> Vec<String> {
    let owned = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    if let Some(prefix) = ["fileb://", "file://"]
        .into_iter()
        .find(|p| partial.starts_with(p))
    {
        return fs
            .list()
            .into_iter()
            .map(|f| format!("{prefix}{f}"))
            .collect();
    }
    let Some(first) = words.first().copied() else {
        let mut v = owned(COMMANDS);
        v.extend(model::service_names().into_iter().map(str::to_owned));
        return v;
    };
    if first == "lab" {
        return match words.get(1..).unwrap_or_default() {
            [] => owned(LAB),
            ["clock"] => owned(&["show", "advance"]),
            ["explain"] => owned(&["--"]),
            ["explain", "--"] => owned(&["aws"]),
            ["profile"] => owned(&["use"]),
            ["profile", "use"] => session
                .world
                .profiles()
                .into_iter()
                .map(|p| p.name)
                .collect(),
            ["local"] => crate::lab_commands::local_commands()
                .map(str::to_owned)
                .collect(),
            ["local", .., "--in" | "--out" | "--key-file"] => fs.list(),
            ["local", sub, ..] => crate::lab_commands::local_options(sub)
                .map(|o| format!("--{o}"))
                .collect(),
            _ => Vec::new(),
        };
    }
    let aws_words: Vec<&str> = if first == "aws" {
        words.get(1..).unwrap_or_default().to_vec()
    } else {
        words.to_vec()
    };
    if first != "aws" && !model::is_service_name(first) {
        return fs.list();
    }
    match prev {
        "--profile" => {
            return session
                .world
                .profiles()
                .into_iter()
                .map(|p| p.name)
                .collect();
        }
        "--output" => return owned(&["json", "text", "table", "yaml", "yaml-stream", "off"]),
        "--region" => return owned(REGIONS),
        p if p.ends_with("key-id") => return key_ids(session),
        _ => {}
    }
    let positional: Vec<&str> = aws_words
        .iter()
        .copied()
        .filter(|w| !w.starts_with("--"))
        .collect();
    match positional.as_slice() {
        [] => {
            let mut v: Vec<String> = model::service_names()
                .into_iter()
                .map(str::to_owned)
                .collect();
            v.push("configure".into());
            v.push("help".into());
            v
        }
        ["configure"] => owned(&["set", "get", "list", "list-profiles"]),
        [svc] => model::service(svc)
            .map(|t| t.cli_operation_names())
            .unwrap_or_default(),
        [svc, op, ..] => {
            let mut v: Vec<String> = aws::global_option_names().map(str::to_owned).collect();
            if let Some((_, o)) = model::service(svc).and_then(|t| t.operation_by_cli_name(op)) {
                // The value of an option with enumerated values (`--key-spec`, `--operations`).
                if let Some(name) = prev.strip_prefix("--")
                    && let Some(shape) = o
                        .member_names()
                        .find(|m| xform_name(m) == name)
                        .and_then(|m| o.member(m))
                {
                    let values = match shape {
                        Shape::String { values } => values,
                        Shape::List { member } => match *member {
                            Shape::String { values } => values,
                            _ => Vec::new(),
                        },
                        _ => Vec::new(),
                    };
                    if !values.is_empty() {
                        return values;
                    }
                }
                for m in o.member_names() {
                    let cli = xform_name(m);
                    if o.member(m) == Some(Shape::Boolean) {
                        v.push(format!("--no-{cli}"));
                    }
                    v.push(format!("--{cli}"));
                }
            }
            v
        }
    }
}

/// A line after Tab: the completed line and the candidates to show.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Completed {
    /// The line with its last word completed.
    pub line: String,
    /// The candidates to list when there was more than one (empty otherwise).
    pub candidates: Vec<String>,
}

/// Applies Tab to `line` the way a shell does: with one candidate, the last word becomes it,
/// followed by a space (no space after a candidate ending in `/`, `://` or `=`, where more text
/// follows); with several, the last word is extended to their longest common prefix (without a
/// space, so Tab again lists them again rather than adding anything) and `candidates` lists
/// them; with none, the line is unchanged.
pub fn complete_line(session: &Session, line: &str, fs: &dyn FileSystem) -> Completed {
    let candidates = complete(session, line, fs);
    // The last word starts after the last whitespace (the whole line when there is none).
    let start = line
        .char_indices()
        .rfind(|(_, c)| c.is_whitespace())
        .map_or(0, |(i, c)| i + c.len_utf8());
    let head = line.get(..start).unwrap_or_default();
    match candidates.as_slice() {
        [] => Completed {
            line: line.to_owned(),
            candidates: Vec::new(),
        },
        [only] => {
            let space = if only.ends_with('/') || only.ends_with('=') {
                ""
            } else {
                " "
            };
            Completed {
                line: format!("{head}{only}{space}"),
                candidates: Vec::new(),
            }
        }
        [first, rest @ ..] => {
            let mut prefix: &str = first;
            for c in rest {
                let common: usize = prefix
                    .chars()
                    .zip(c.chars())
                    .take_while(|(a, b)| a == b)
                    .map(|(a, _)| a.len_utf8())
                    .sum();
                prefix = prefix.get(..common).unwrap_or_default();
            }
            let partial = line.get(start..).unwrap_or_default();
            let word = if prefix.len() > partial.len() {
                prefix
            } else {
                partial
            };
            Completed {
                line: format!("{head}{word}"),
                candidates,
            }
        }
    }
}

/// Key IDs, key ARNs and alias names visible to the default profile, from a scratch copy of the
/// world (completion must not change the real one).
fn key_ids(session: &Session) -> Vec<String> {
    let mut world = session.world.clone();
    let Ok(ctx) = world.context_for_profile(None, None) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if let Ok(v) = world.call(&ctx, "kms", "ListKeys", json!({})) {
        for k in v
            .get("Keys")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            out.extend(k.get("KeyId").and_then(Value::as_str).map(str::to_owned));
        }
    }
    if let Ok(v) = world.call(&ctx, "kms", "ListAliases", json!({})) {
        for a in v
            .get("Aliases")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            out.extend(
                a.get("AliasName")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
            );
        }
    }
    out
}
