//! The script language's words: POSIX-sh quoting, `$NAME` / `${NAME}` / `$(...)` expansion, and
//! the few operators the lab supports (`|`, `>`, `>>`). It is deliberately not a shell.

/// A piece of a word before expansion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seg {
    /// Literal text.
    Lit {
        /// The text.
        text: String,
        /// Inside quotes or escaped (an empty quoted literal still makes a word).
        quoted: bool,
    },
    /// `$NAME` or `${NAME}`.
    Var {
        /// The variable name.
        name: String,
        /// Inside double quotes (no field splitting).
        quoted: bool,
    },
    /// `$?`: the exit code of the previous line.
    Status {
        /// Inside double quotes.
        quoted: bool,
    },
    /// `$(COMMAND)`: the command's standard output with trailing newlines removed.
    Capture {
        /// The command line inside the parentheses.
        source: String,
        /// Inside double quotes (no field splitting).
        quoted: bool,
    },
}

/// One word, as a sequence of segments.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Word(pub Vec<Seg>);

impl Word {
    /// The word's text if it is a single unquoted literal.
    pub fn plain(&self) -> Option<&str> {
        match self.0.as_slice() {
            [
                Seg::Lit {
                    text,
                    quoted: false,
                },
            ] => Some(text),
            _ => None,
        }
    }
}

/// A token of a command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Token {
    /// A word.
    Word(Word),
    /// `|`
    Pipe,
    /// `>` (`append` false) or `>>` (`append` true).
    Redirect {
        /// `>>` rather than `>`.
        append: bool,
    },
}

/// A syntax error in a command line.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LexError {
    /// A quote or `$(`/`${` was not closed.
    #[error("unexpected end of line: unterminated {0}")]
    Unterminated(&'static str),
    /// Shell syntax the lab's script language does not have.
    #[error(
        "`{0}` is not supported here: the lab runs one command per line (pipes only into `base64 --decode`, output only with `> FILE`)"
    )]
    Unsupported(String),
    /// `${...}` with something other than a variable name inside.
    #[error("bad substitution: `{0}`")]
    BadSubstitution(String),
}

fn is_name_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

struct Lexer {
    chars: Vec<char>,
    pos: usize,
}

/// Splits one logical line into tokens. `\`-newline pairs are removed first.
pub fn tokenize(line: &str) -> Result<Vec<Token>, LexError> {
    let line = line.replace("\\\r\n", "").replace("\\\n", "");
    let mut lx = Lexer {
        chars: line.chars().collect(),
        pos: 0,
    };
    lx.run()
}

impl Lexer {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, off: usize) -> Option<char> {
        self.chars.get(self.pos + off).copied()
    }

    fn run(&mut self) -> Result<Vec<Token>, LexError> {
        let mut tokens = Vec::new();
        let mut word = Word::default();
        let mut in_word = false;
        macro_rules! finish {
            () => {
                if in_word {
                    tokens.push(Token::Word(std::mem::take(&mut word)));
                    in_word = false;
                }
            };
        }
        while let Some(c) = self.peek() {
            match c {
                c if c.is_whitespace() => {
                    finish!();
                    self.pos += 1;
                }
                '#' if !in_word => break,
                '|' => {
                    finish!();
                    if self.peek_at(1) == Some('|') {
                        return Err(LexError::Unsupported("||".into()));
                    }
                    tokens.push(Token::Pipe);
                    self.pos += 1;
                }
                '>' => {
                    finish!();
                    let append = self.peek_at(1) == Some('>');
                    self.pos += if append { 2 } else { 1 };
                    tokens.push(Token::Redirect { append });
                }
                ';' | '&' | '<' | '`' => {
                    let two: String = self.chars.iter().skip(self.pos).take(2).collect();
                    let op = if two == "&&" || two == "<<" {
                        two
                    } else {
                        c.to_string()
                    };
                    return Err(LexError::Unsupported(op));
                }
                '\'' => {
                    in_word = true;
                    self.pos += 1;
                    let mut s = String::new();
                    loop {
                        match self.peek() {
                            None => return Err(LexError::Unterminated("single quote")),
                            Some('\'') => break,
                            Some(ch) => s.push(ch),
                        }
                        self.pos += 1;
                    }
                    self.pos += 1;
                    word.0.push(Seg::Lit {
                        text: s,
                        quoted: true,
                    });
                }
                '"' => {
                    in_word = true;
                    self.pos += 1;
                    self.double_quoted(&mut word)?;
                }
                '\\' => {
                    in_word = true;
                    self.pos += 1;
                    if let Some(n) = self.peek() {
                        word.0.push(Seg::Lit {
                            text: n.to_string(),
                            quoted: true,
                        });
                        self.pos += 1;
                    }
                }
                '$' => {
                    in_word = true;
                    self.dollar(&mut word, false)?;
                }
                other => {
                    in_word = true;
                    push_lit(&mut word, other, false);
                    self.pos += 1;
                }
            }
        }
        if in_word {
            tokens.push(Token::Word(word));
        }
        Ok(tokens)
    }

    fn double_quoted(&mut self, word: &mut Word) -> Result<(), LexError> {
        // An empty "" still makes a (quoted, empty) segment.
        word.0.push(Seg::Lit {
            text: String::new(),
            quoted: true,
        });
        loop {
            match self.peek() {
                None => return Err(LexError::Unterminated("double quote")),
                Some('"') => {
                    self.pos += 1;
                    return Ok(());
                }
                Some('\\') => match self.peek_at(1) {
                    Some(n @ ('$' | '`' | '"' | '\\')) => {
                        push_lit(word, n, true);
                        self.pos += 2;
                    }
                    Some('\n') => self.pos += 2,
                    _ => {
                        push_lit(word, '\\', true);
                        self.pos += 1;
                    }
                },
                Some('$') => self.dollar(word, true)?,
                Some(c) => {
                    push_lit(word, c, true);
                    self.pos += 1;
                }
            }
        }
    }

    /// At a `$`.
    fn dollar(&mut self, word: &mut Word, quoted: bool) -> Result<(), LexError> {
        match self.peek_at(1) {
            Some('(') => {
                self.pos += 2;
                let start = self.pos;
                let mut depth = 1;
                while depth > 0 {
                    match self.peek() {
                        None => return Err(LexError::Unterminated("$(")),
                        Some('(') => depth += 1,
                        Some(')') => depth -= 1,
                        Some(q @ ('\'' | '"')) => {
                            self.pos += 1;
                            while let Some(ch) = self.peek() {
                                if ch == '\\' && q == '"' {
                                    self.pos += 1;
                                } else if ch == q {
                                    break;
                                }
                                self.pos += 1;
                            }
                            if self.peek().is_none() {
                                return Err(LexError::Unterminated("$("));
                            }
                        }
                        Some('\\') => self.pos += 1,
                        _ => {}
                    }
                    self.pos += 1;
                }
                let source: String = self
                    .chars
                    .get(start..self.pos - 1)
                    .unwrap_or_default()
                    .iter()
                    .collect();
                word.0.push(Seg::Capture { source, quoted });
            }
            Some('{') => {
                self.pos += 2;
                let start = self.pos;
                while self.peek().is_some_and(|c| c != '}') {
                    self.pos += 1;
                }
                if self.peek().is_none() {
                    return Err(LexError::Unterminated("${"));
                }
                let name: String = self
                    .chars
                    .get(start..self.pos)
                    .unwrap_or_default()
                    .iter()
                    .collect();
                self.pos += 1;
                let valid = name.chars().next().is_some_and(is_name_start)
                    && name.chars().all(is_name_char);
                if name == "?" {
                    word.0.push(Seg::Status { quoted });
                } else if valid {
                    word.0.push(Seg::Var { name, quoted });
                } else {
                    return Err(LexError::BadSubstitution(format!("${{{name}}}")));
                }
            }
            Some('?') => {
                self.pos += 2;
                word.0.push(Seg::Status { quoted });
            }
            Some(c) if is_name_start(c) => {
                self.pos += 1;
                let start = self.pos;
                while self.peek().is_some_and(is_name_char) {
                    self.pos += 1;
                }
                let name: String = self
                    .chars
                    .get(start..self.pos)
                    .unwrap_or_default()
                    .iter()
                    .collect();
                word.0.push(Seg::Var { name, quoted });
            }
            _ => {
                push_lit(word, '$', quoted);
                self.pos += 1;
            }
        }
        Ok(())
    }
}

fn push_lit(word: &mut Word, c: char, quoted: bool) {
    if let Some(Seg::Lit { text, quoted: q }) = word.0.last_mut()
        && *q == quoted
    {
        text.push(c);
        return;
    }
    word.0.push(Seg::Lit {
        text: c.to_string(),
        quoted,
    });
}

/// One piece of a word for brace expansion: an unquoted character, or anything else (quoted
/// text, `$NAME`, `$(…)`), which brace expansion leaves alone.
#[derive(Clone)]
enum Atom {
    Char(char),
    Other(Seg),
}

/// bash's brace expansion of one word, before any other expansion: `{a,b}` (unquoted braces
/// and commas, any quoting inside) gives one word per alternative, `{1..3}` and `{a..c}` a
/// sequence; nested and repeated braces expand left to right. A word without a valid brace
/// expression comes back unchanged (`{}`, `{a}`, `{"a"}`).
pub fn brace_expand(word: &Word) -> Vec<Word> {
    let mut atoms = Vec::new();
    for seg in &word.0 {
        match seg {
            Seg::Lit {
                text,
                quoted: false,
            } => atoms.extend(text.chars().map(Atom::Char)),
            other => atoms.push(Atom::Other(other.clone())),
        }
    }
    let mut out = Vec::new();
    expand_atoms(atoms, &mut out, 0);
    out.into_iter().map(rebuild).collect()
}

/// More alternatives than this come back unexpanded (a pasted line cannot explode).
const MAX_BRACE_WORDS: usize = 1024;

fn expand_atoms(atoms: Vec<Atom>, out: &mut Vec<Vec<Atom>>, depth: usize) {
    let is = |a: &Atom, c: char| matches!(a, Atom::Char(x) if *x == c);
    if depth < 16 && out.len() < MAX_BRACE_WORDS {
        for open in (0..atoms.len()).filter(|&i| is(&atoms[i], '{')) {
            // The matching close brace and the top-level commas.
            let mut level = 0;
            let mut commas = Vec::new();
            let mut close = None;
            for (j, a) in atoms.iter().enumerate().skip(open + 1) {
                if is(a, '{') {
                    level += 1;
                } else if is(a, '}') {
                    if level == 0 {
                        close = Some(j);
                        break;
                    }
                    level -= 1;
                } else if is(a, ',') && level == 0 {
                    commas.push(j);
                }
            }
            let Some(close) = close else { continue };
            let alternatives: Vec<Vec<Atom>> = if commas.is_empty() {
                match sequence(&atoms[open + 1..close]) {
                    Some(seq) => seq,
                    None => continue,
                }
            } else {
                let mut bounds = vec![open];
                bounds.extend(&commas);
                bounds.push(close);
                bounds
                    .windows(2)
                    .map(|w| atoms[w[0] + 1..w[1]].to_vec())
                    .collect()
            };
            for alt in alternatives {
                let mut next = atoms[..open].to_vec();
                next.extend(alt);
                next.extend_from_slice(&atoms[close + 1..]);
                expand_atoms(next, out, depth + 1);
            }
            return;
        }
    }
    out.push(atoms);
}

/// `1..5`, `5..1`, `a..e` (unquoted): the sequence's words.
fn sequence(inner: &[Atom]) -> Option<Vec<Vec<Atom>>> {
    let text: String = inner
        .iter()
        .map(|a| match a {
            Atom::Char(c) => Some(*c),
            Atom::Other(_) => None,
        })
        .collect::<Option<String>>()?;
    let (a, b) = text.split_once("..")?;
    let words: Vec<String> = if let (Ok(x), Ok(y)) = (a.parse::<i64>(), b.parse::<i64>()) {
        if x.abs_diff(y) >= MAX_BRACE_WORDS as u64 {
            return None;
        }
        if x <= y {
            (x..=y).map(|n| n.to_string()).collect()
        } else {
            (y..=x).rev().map(|n| n.to_string()).collect()
        }
    } else {
        let (mut x, mut y) = (a.chars(), b.chars());
        let (Some(x), None, Some(y), None) = (x.next(), x.next(), y.next(), y.next()) else {
            return None;
        };
        if !x.is_ascii_alphabetic() || !y.is_ascii_alphabetic() {
            return None;
        }
        let (lo, hi) = (x.min(y), x.max(y));
        let mut v: Vec<String> = (lo..=hi).map(String::from).collect();
        if x > y {
            v.reverse();
        }
        v
    };
    Some(
        words
            .into_iter()
            .map(|w| w.chars().map(Atom::Char).collect())
            .collect(),
    )
}

fn rebuild(atoms: Vec<Atom>) -> Word {
    let mut word = Word::default();
    for a in atoms {
        match a {
            Atom::Char(c) => push_lit(&mut word, c, false),
            Atom::Other(seg) => word.0.push(seg),
        }
    }
    word
}

/// Splits a script into logical lines: joins `\` continuations, keeps comments and blank lines
/// out. Returns (first physical line number, text).
pub fn logical_lines(script: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut start = 0;
    for (i, raw) in script.lines().enumerate() {
        if current.is_empty() {
            start = i + 1;
        }
        let trailing = raw.chars().rev().take_while(|c| *c == '\\').count();
        if trailing % 2 == 1 {
            current.push_str(raw.strip_suffix('\\').unwrap_or(raw));
            continue;
        }
        current.push_str(raw);
        let line = std::mem::take(&mut current);
        let t = line.trim();
        if !t.is_empty() && !t.starts_with('#') {
            out.push((start, line));
        }
    }
    let t = current.trim();
    if !t.is_empty() && !t.starts_with('#') {
        out.push((start, current));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(s: &str, quoted: bool) -> Seg {
        Seg::Lit {
            text: s.into(),
            quoted,
        }
    }

    fn words(line: &str) -> Vec<Vec<Seg>> {
        tokenize(line)
            .unwrap()
            .into_iter()
            .map(|t| match t {
                Token::Word(w) => w.0,
                other => panic!("not a word: {other:?}"),
            })
            .collect()
    }

    #[test]
    fn brace_expansion_like_bash() {
        let expand = |line: &str| -> Vec<Vec<Seg>> {
            tokenize(line)
                .unwrap()
                .into_iter()
                .flat_map(|t| match t {
                    Token::Word(w) => brace_expand(&w).into_iter().map(|w| w.0).collect(),
                    _ => Vec::new(),
                })
                .collect()
        };
        assert_eq!(
            expand(r#"{"111122223333","444455556666"}"#),
            vec![
                vec![lit("111122223333", true)],
                vec![lit("444455556666", true)]
            ]
        );
        assert_eq!(
            expand("x{a,b}y"),
            vec![vec![lit("xay", false)], vec![lit("xby", false)]]
        );
        assert_eq!(
            expand("{a,b}{1,2}"),
            vec![
                vec![lit("a1", false)],
                vec![lit("a2", false)],
                vec![lit("b1", false)],
                vec![lit("b2", false)]
            ]
        );
        assert_eq!(
            expand("{a,{b,c}}"),
            vec![
                vec![lit("a", false)],
                vec![lit("b", false)],
                vec![lit("c", false)]
            ]
        );
        assert_eq!(
            expand("{1..3}"),
            vec![
                vec![lit("1", false)],
                vec![lit("2", false)],
                vec![lit("3", false)]
            ]
        );
        // No expansion: quoted braces or commas, no comma, empty braces.
        for same in ["'{a,b}'", "\"{a,b}\"", "{a}", "{}", "a,b", "{a\\,b}"] {
            assert_eq!(expand(same).len(), 1, "{same}");
        }
        assert_eq!(expand("{x,}"), vec![vec![lit("x", false)], vec![]]);
    }

    #[test]
    fn quoting_like_sh() {
        assert_eq!(
            words("aws kms  list-keys"),
            vec![
                vec![lit("aws", false)],
                vec![lit("kms", false)],
                vec![lit("list-keys", false)]
            ]
        );
        assert_eq!(
            words("'a b' \"c d\""),
            vec![vec![lit("a b", true)], vec![lit("c d", true)]]
        );
        assert_eq!(words("'$X'"), vec![vec![lit("$X", true)]]);
        assert_eq!(
            words(r#"a\ b"#),
            vec![vec![lit("a", false), lit(" ", true), lit("b", false)]]
        );
        assert_eq!(words(r#""x\"y\$z\n""#), vec![vec![lit("x\"y$z\\n", true)]]);
        assert_eq!(
            words("--policy '{\"a\": 1}'"),
            vec![vec![lit("--policy", false)], vec![lit("{\"a\": 1}", true)]]
        );
        assert_eq!(words("a # comment"), vec![vec![lit("a", false)]]);
        assert_eq!(words("a#b"), vec![vec![lit("a#b", false)]]);
    }

    #[test]
    fn expansions() {
        assert_eq!(
            words("$KEY"),
            vec![vec![Seg::Var {
                name: "KEY".into(),
                quoted: false
            }]]
        );
        assert_eq!(
            words("\"${KEY}x\""),
            vec![vec![
                lit("", true),
                Seg::Var {
                    name: "KEY".into(),
                    quoted: true
                },
                lit("x", true)
            ]]
        );
        assert_eq!(
            words("K=$(aws kms create-key --query 'KeyMetadata.KeyId' --output text)"),
            vec![vec![
                lit("K=", false),
                Seg::Capture {
                    source: "aws kms create-key --query 'KeyMetadata.KeyId' --output text".into(),
                    quoted: false
                }
            ]]
        );
        assert_eq!(
            words("$? $5 $"),
            vec![
                vec![Seg::Status { quoted: false }],
                vec![lit("$5", false)],
                vec![lit("$", false)]
            ]
        );
        assert_eq!(
            words("$(echo \"(\")"),
            vec![vec![Seg::Capture {
                source: "echo \"(\"".into(),
                quoted: false
            }]]
        );
    }

    #[test]
    fn operators_and_errors() {
        let t = tokenize("aws kms decrypt | base64 -d > out.bin").unwrap();
        assert_eq!(t.iter().filter(|t| **t == Token::Pipe).count(), 1);
        assert!(t.contains(&Token::Redirect { append: false }));
        assert!(
            tokenize("echo a >> f")
                .unwrap()
                .contains(&Token::Redirect { append: true })
        );
        assert_eq!(
            tokenize("'open").unwrap_err(),
            LexError::Unterminated("single quote")
        );
        assert_eq!(
            tokenize("\"open").unwrap_err(),
            LexError::Unterminated("double quote")
        );
        assert_eq!(
            tokenize("$(open").unwrap_err(),
            LexError::Unterminated("$(")
        );
        assert_eq!(
            tokenize("a && b").unwrap_err(),
            LexError::Unsupported("&&".into())
        );
        assert_eq!(
            tokenize("a; b").unwrap_err(),
            LexError::Unsupported(";".into())
        );
        assert_eq!(
            tokenize("${1x}").unwrap_err(),
            LexError::BadSubstitution("${1x}".into())
        );
    }

    #[test]
    fn continuation_and_comments() {
        let script = "# setup\n\naws kms create-key \\\n  --description x\necho hi # trailing\n  # indented comment\n";
        let lines = logical_lines(script);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].0, 3);
        assert!(lines[0].1.contains("create-key") && lines[0].1.contains("--description x"));
        assert_eq!(lines[1], (5, "echo hi # trailing".to_owned()));
        assert_eq!(tokenize("a \\\nb").unwrap().len(), 2);
    }
}
