//! The interpreter of one line: words, pipes and `> FILE` redirects, `NAME=value` assignments,
//! and the expansion of `$NAME`, `${NAME}`, `$?` and `$(…)` with sh field splitting.

use super::builtins::filter;
use super::{Out, Session};
use crate::error::CliError;
use crate::fs::FileSystem;
use crate::lexer::{self, LexError, Seg, Token, Word};

/// How deep `$( ... $( ... ) ... )` may nest.
const MAX_CAPTURE_DEPTH: usize = 8;

impl Session {
    pub(super) fn line(&mut self, line: &str, fs: &mut dyn FileSystem, depth: usize) -> Out {
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
        let braced: Vec<Word> = words.iter().flat_map(lexer::brace_expand).collect();
        for w in &braced {
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
}

fn syntax_error(e: &LexError) -> Out {
    Out::err(&CliError::lab(format!("kmslab: syntax error: {e}"), 2))
}

pub(super) fn valid_name(n: &str) -> bool {
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
