//! Wildcard matching (`*` and `?`) and policy-variable templates.
//!
//! Patterns are compiled into [`Token`]s and matched by a small
//! backtracking matcher; no regular expression is ever built from policy
//! text, so characters such as `.` or `+` in an ARN are always literal.
//!
//! Policy variables (`${aws:username}`, `${aws:PrincipalTag/team, 'none'}`,
//! and the escapes `${*}`, `${?}`, `${$}`) are parsed once into a
//! [`Template`] and resolved against a request at evaluation time. Values
//! substituted for a variable are always literal text: a user name that
//! contains `*` does not become a wildcard.
//! See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html>.

use std::fmt;

use crate::context::RequestContext;

/// One element of a compiled pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Token {
    /// Matches exactly this character (modulo case folding).
    Char(char),
    /// `*`: matches any run of characters, including none.
    Star,
    /// `?`: matches exactly one character.
    Question,
}

fn chars_equal(a: char, b: char, ignore_case: bool) -> bool {
    a == b
        || (ignore_case
            && if a.is_ascii() && b.is_ascii() {
                a.eq_ignore_ascii_case(&b)
            } else {
                a.to_lowercase().eq(b.to_lowercase())
            })
}

/// The character at byte offset `i` of `text` (a character boundary) and the offset after it.
fn char_at(text: &str, i: usize) -> Option<(char, usize)> {
    let b = *text.as_bytes().get(i)?;
    if b.is_ascii() {
        return Some((char::from(b), i + 1));
    }
    text.get(i..)?.chars().next().map(|c| (c, i + c.len_utf8()))
}

/// Matches `text` against `pattern`.
///
/// Classic two-pointer wildcard matching: on a mismatch, resume after the
/// most recent `*`, letting it absorb one more character. Runs in
/// O(pattern × text) time in the worst case, without recursion and without
/// allocating (positions in `text` are byte offsets of character boundaries).
#[cfg_attr(wasm_speed, optimize(speed))]
pub(crate) fn glob_match(pattern: &[Token], text: &str, ignore_case: bool) -> bool {
    let at = |i: usize| char_at(text, i);
    let (mut p, mut t) = (0usize, 0usize);
    // (index of the last `*` in the pattern, text offset it currently absorbs up to)
    let mut backtrack: Option<(usize, usize)> = None;
    while let Some((c, next)) = at(t) {
        match pattern.get(p) {
            // Only stars left: they absorb the rest of the text.
            Some(Token::Star)
                if pattern
                    .get(p + 1..)
                    .is_some_and(|rest| rest.iter().all(|tok| *tok == Token::Star)) =>
            {
                return true;
            }
            Some(Token::Star) => {
                backtrack = Some((p, t));
                p += 1;
            }
            Some(Token::Question) => {
                p += 1;
                t = next;
            }
            Some(Token::Char(pc)) if chars_equal(*pc, c, ignore_case) => {
                p += 1;
                t = next;
            }
            _ => match backtrack {
                Some((star, absorbed)) => {
                    let after = at(absorbed).map_or(absorbed + 1, |(_, n)| n);
                    p = star + 1;
                    t = after;
                    backtrack = Some((star, after));
                }
                None => return false,
            },
        }
    }
    pattern
        .get(p..)
        .is_some_and(|rest| rest.iter().all(|tok| *tok == Token::Star))
}

/// Compiles plain text (no policy variables) into wildcard tokens.
pub(crate) fn compile_wildcards(text: &str) -> Vec<Token> {
    text.chars()
        .map(|c| match c {
            '*' => Token::Star,
            '?' => Token::Question,
            other => Token::Char(other),
        })
        .collect()
}

/// True when `text` contains a wildcard character.
pub(crate) fn has_wildcard(text: &str) -> bool {
    text.contains(['*', '?'])
}

/// A piece of a [`Template`].
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    /// Text as written; `*` and `?` in it are wildcards where the operator allows them.
    Text(String),
    /// A character written as `${*}`, `${?}` or `${$}`: always literal.
    Escaped(char),
    /// `${key}` or `${key, 'default'}`; the key is stored lower-cased.
    Variable {
        key: String,
        default: Option<String>,
    },
}

/// A policy string that may contain policy variables, parsed once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Template {
    raw: String,
    parts: Vec<Part>,
    /// Without policy variables: the compiled tokens, with wildcards and literal (they do not
    /// depend on the request).
    fixed: Option<(Vec<Token>, Vec<Token>)>,
}

/// Why a policy variable could not be resolved for a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unresolved {
    /// The variable's key, lower-cased.
    pub key: String,
}

impl fmt::Display for Unresolved {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "policy variable `${{{}}}` has no value in this request",
            self.key
        )
    }
}

impl Template {
    /// Parses `raw`. When `variables` is false (policy Version `2008-10-17`)
    /// `${...}` is ordinary text.
    pub(crate) fn parse(raw: &str, variables: bool) -> Result<Self, String> {
        let mut parts = Vec::new();
        let mut text = String::new();
        let mut rest = raw;
        while !rest.is_empty() {
            if variables && rest.starts_with("${") {
                let (part, after) = parse_variable(rest)?;
                if !text.is_empty() {
                    parts.push(Part::Text(std::mem::take(&mut text)));
                }
                parts.push(part);
                rest = after;
            } else {
                let mut chars = rest.chars();
                if let Some(c) = chars.next() {
                    text.push(c);
                }
                rest = chars.as_str();
            }
        }
        if !text.is_empty() {
            parts.push(Part::Text(text));
        }
        let mut t = Self {
            raw: raw.to_owned(),
            parts,
            fixed: None,
        };
        if !t.parts.iter().any(|p| matches!(p, Part::Variable { .. })) {
            // No variable: compiling cannot fail.
            if let (Ok(with), Ok(literal)) = (t.compile(|_| None, true), t.compile(|_| None, false))
            {
                t.fixed = Some((with, literal));
            }
        }
        Ok(t)
    }

    /// The string as written in the policy.
    pub(crate) fn raw(&self) -> &str {
        &self.raw
    }

    /// Resolves variables against `ctx` and compiles the result. When
    /// `wildcards` is false every character is literal.
    pub(crate) fn resolve(
        &self,
        ctx: &RequestContext,
        wildcards: bool,
    ) -> Result<Vec<Token>, Unresolved> {
        self.compile(|key| ctx.get_lower(key), wildcards)
    }

    /// [`Template::resolve`], looking at the request (through `ctx`) only when the template
    /// has policy variables.
    pub(crate) fn resolve_lazily<'c>(
        &self,
        ctx: impl FnOnce() -> &'c RequestContext,
        wildcards: bool,
    ) -> Result<std::borrow::Cow<'_, [Token]>, Unresolved> {
        match &self.fixed {
            Some((with, literal)) => Ok(std::borrow::Cow::Borrowed(if wildcards {
                with
            } else {
                literal
            })),
            None => self.resolve(ctx(), wildcards).map(std::borrow::Cow::Owned),
        }
    }

    fn compile<'v>(
        &self,
        lookup: impl Fn(&str) -> Option<&'v crate::context::ConditionValues>,
        wildcards: bool,
    ) -> Result<Vec<Token>, Unresolved> {
        let mut out = Vec::with_capacity(self.raw.len());
        for part in &self.parts {
            match part {
                Part::Text(t) if wildcards => out.extend(compile_wildcards(t)),
                Part::Text(t) => out.extend(t.chars().map(Token::Char)),
                Part::Escaped(c) => out.push(Token::Char(*c)),
                Part::Variable { key, default } => {
                    // Only single-valued keys can be variables.
                    let value = lookup(key)
                        .and_then(|v| match v.as_slice() {
                            [single] => Some(single.as_str()),
                            _ => None,
                        })
                        .or(default.as_deref());
                    match value {
                        Some(v) => out.extend(v.chars().map(Token::Char)),
                        None => return Err(Unresolved { key: key.clone() }),
                    }
                }
            }
        }
        Ok(out)
    }
}

/// The distinct variables (lower-cased keys) of `templates` that have no value in `ctx`.
pub(crate) fn unresolved_keys(templates: &[Template], ctx: &RequestContext) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for t in templates {
        if let Err(Unresolved { key }) = t.resolve(ctx, false)
            && !keys.contains(&key)
        {
            keys.push(key);
        }
    }
    keys
}

/// Parses one `${...}` at the start of `s`; returns the part and the rest.
fn parse_variable(s: &str) -> Result<(Part, &str), String> {
    let body_start = s.get(2..).unwrap_or_default();
    // Find the closing brace that is not inside a quoted default value.
    let mut in_quote = false;
    let mut end = None;
    for (i, c) in body_start.char_indices() {
        match c {
            '\'' => in_quote = !in_quote,
            '}' if !in_quote => {
                end = Some(i);
                break;
            }
            _ => {}
        }
    }
    let Some(end) = end else {
        return Err("`${` is not closed by `}`".to_owned());
    };
    let body = body_start.get(..end).unwrap_or_default();
    let after = body_start.get(end + 1..).unwrap_or_default();
    let trimmed = body.trim();
    let part = match trimmed {
        "*" => Part::Escaped('*'),
        "?" => Part::Escaped('?'),
        "$" => Part::Escaped('$'),
        _ => {
            let (key, default) = match trimmed.split_once(',') {
                Some((k, d)) => (k.trim(), Some(parse_default(d.trim())?)),
                None => (trimmed, None),
            };
            if key.is_empty() || key.contains(char::is_whitespace) {
                return Err(format!("`${{{body}}}` does not name a context key"));
            }
            Part::Variable {
                key: key.to_lowercase(),
                default,
            }
        }
    };
    Ok((part, after))
}

/// Parses a quoted default value: `'text'`, with `''` standing for `'`.
fn parse_default(d: &str) -> Result<String, String> {
    let inner = d
        .strip_prefix('\'')
        .and_then(|x| x.strip_suffix('\''))
        .filter(|_| d.len() >= 2)
        .ok_or_else(|| format!("default value `{d}` must be in single quotes"))?;
    Ok(inner.replace("''", "'"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::{Principal, RequestContext};

    fn m(p: &str, t: &str) -> bool {
        glob_match(&compile_wildcards(p), t, false)
    }

    #[test]
    fn star_and_question() {
        assert!(m("*", ""));
        assert!(m("*", "anything"));
        assert!(m("kms:*", "kms:Decrypt"));
        assert!(!m("kms:*", "s3:GetObject"));
        assert!(m("kms:Re*", "kms:ReEncryptFrom"));
        assert!(m("a?c", "abc"));
        assert!(!m("a?c", "ac"));
        assert!(!m("a?c", "abbc"));
        assert!(m("a*b*c", "axxbyyc"));
        assert!(!m("a*b*c", "axxbyy"));
        assert!(m("*a*a*", "banana"));
        assert!(!m("", "x"));
        assert!(m("", ""));
    }

    #[test]
    fn dots_are_literal() {
        assert!(!m("arn:aws:s3:::my.bucket", "arn:aws:s3:::myxbucket"));
        assert!(m("arn:aws:s3:::my.bucket", "arn:aws:s3:::my.bucket"));
    }

    #[test]
    fn case_folding() {
        let p = compile_wildcards("kms:Decrypt");
        assert!(glob_match(&p, "KMS:decrypt", true));
        assert!(!glob_match(&p, "KMS:decrypt", false));
    }

    fn ctx() -> RequestContext {
        RequestContext::new(
            Principal::user("111122223333", "alice"),
            "s3:GetObject",
            "x",
        )
    }

    #[test]
    fn variables_resolve_literally() {
        let t = Template::parse("home/${aws:username}/*", true).unwrap();
        let toks = t.resolve(&ctx(), true).unwrap();
        assert!(glob_match(&toks, "home/alice/notes.txt", false));
        assert!(!glob_match(&toks, "home/bob/notes.txt", false));
    }

    #[test]
    fn escapes_are_literal() {
        let t = Template::parse("a${*}b${?}${$}", true).unwrap();
        let toks = t.resolve(&ctx(), true).unwrap();
        assert!(glob_match(&toks, "a*b?$", false));
        assert!(!glob_match(&toks, "axxb?$", false));
    }

    #[test]
    fn variables_disabled_in_old_version() {
        let t = Template::parse("${aws:username}", false).unwrap();
        let toks = t.resolve(&ctx(), false).unwrap();
        assert!(glob_match(&toks, "${aws:username}", false));
        assert!(!glob_match(&toks, "alice", false));
    }

    #[test]
    fn defaults_and_missing() {
        let t = Template::parse("${aws:PrincipalTag/team, 'no''ne'}", true).unwrap();
        let toks = t.resolve(&ctx(), false).unwrap();
        assert!(glob_match(&toks, "no'ne", false));
        let t = Template::parse("${aws:PrincipalTag/team}", true).unwrap();
        assert_eq!(
            t.resolve(&ctx(), false),
            Err(Unresolved {
                key: "aws:principaltag/team".to_owned()
            })
        );
    }

    #[test]
    fn malformed_variables() {
        assert!(Template::parse("${aws:username", true).is_err());
        assert!(Template::parse("${}", true).is_err());
        assert!(Template::parse("${a, b}", true).is_err());
        assert!(Template::parse("${aws:username", false).is_ok());
    }
}
