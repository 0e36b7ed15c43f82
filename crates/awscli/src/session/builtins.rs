//! The commands a line runs (`aws`, `lab`, `echo`, `cat`, `ls`, `base64`, `export`, `help`,
//! `true`, `false`) and the filters a pipe can feed (`base64 [--decode]`, `cat`).

use base64::Engine as _;

use super::interpreter::valid_name;
use super::{Out, Session};
use crate::error::CliError;
use crate::fs::FileSystem;
use crate::model;

impl Session {
    /// Runs one command from its expanded words.
    pub(crate) fn exec(&mut self, words: &[String], fs: &mut dyn FileSystem, depth: usize) -> Out {
        let Some(first) = words.first() else {
            return Out::default();
        };
        let rest = words.get(1..).unwrap_or_default();
        match first.as_str() {
            "aws" => self.aws(rest, fs),
            name if model::is_service_name(name) || name == "configure" => self.aws(words, fs),
            "lab" => crate::lab_commands::run(self, rest, fs, depth),
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
            "help" => Out::text(crate::lab_commands::HELP),
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
pub(super) fn filter(words: &[String], input: Vec<u8>) -> Out {
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
