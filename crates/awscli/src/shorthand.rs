//! aws-cli's shorthand syntax: `Key=value,Other=[a,b],Nested={k=v}`.
//!
//! Parsing yields an untyped [`Value`]; the caller converts it using the parameter's model shape
//! (a `Map` becomes a structure or a map, a lone string becomes a one-element list, ...).

/// A parsed shorthand value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// A scalar, still text.
    Str(String),
    /// `a,b` after a key, or `[a,b]`.
    List(Vec<Value>),
    /// `k=v,k2=v2`, or `{k=v}`; keys keep their order.
    Map(Vec<(String, Value)>),
}

/// A shorthand syntax error, in aws-cli's wording.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("Expected: '{expected}', received: '{received}' for input:\n{input}\n{pointer}")]
pub struct ShorthandError {
    expected: String,
    received: String,
    input: String,
    pointer: String,
}

struct Parser<'a> {
    chars: Vec<char>,
    pos: usize,
    input: &'a str,
    depth: usize,
}

/// How deep `[` / `{` may nest (the parser is recursive; no AWS shape nests this deep).
const MAX_DEPTH: usize = 32;

/// Parses `key=value,...` (the whole argument must be key/value pairs).
pub fn parse(input: &str) -> Result<Value, ShorthandError> {
    let mut p = Parser {
        chars: input.chars().collect(),
        pos: 0,
        input,
        depth: 0,
    };
    let v = p.keyvals(None)?;
    p.skip_ws();
    if p.pos < p.chars.len() {
        return Err(p.error("<end>"));
    }
    Ok(v)
}

/// Whether an argument looks like shorthand (`Key=...`) rather than a plain value.
pub fn looks_like_shorthand(arg: &str) -> bool {
    let key: String = arg.chars().take_while(|c| is_key_char(*c)).collect();
    !key.is_empty() && arg.chars().nth(key.chars().count()) == Some('=')
}

fn is_key_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':' | '/' | '#' | '@' | '*' | '$')
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    fn error(&self, expected: &str) -> ShorthandError {
        let received = self
            .peek()
            .map_or_else(|| "<none>".to_owned(), |c| c.to_string());
        ShorthandError {
            expected: expected.to_owned(),
            received,
            input: self.input.to_owned(),
            pointer: format!("{}^", " ".repeat(self.pos)),
        }
    }

    fn keyvals(&mut self, close: Option<char>) -> Result<Value, ShorthandError> {
        let mut out = Vec::new();
        loop {
            self.skip_ws();
            if close.is_some() && self.peek() == close && out.is_empty() {
                break;
            }
            let start = self.pos;
            while self.peek().is_some_and(is_key_char) {
                self.pos += 1;
            }
            let key: String = self
                .chars
                .get(start..self.pos)
                .unwrap_or_default()
                .iter()
                .collect();
            self.skip_ws();
            if key.is_empty() || self.peek() != Some('=') {
                return Err(self.error("="));
            }
            self.pos += 1;
            let v = self.values(close)?;
            out.push((key, v));
            self.skip_ws();
            if self.peek() == Some(',') {
                self.pos += 1;
            } else {
                break;
            }
        }
        Ok(Value::Map(out))
    }

    /// After `key=`: a list `[..]`, a hash `{..}`, or one or more comma-separated values.
    fn values(&mut self, close: Option<char>) -> Result<Value, ShorthandError> {
        self.skip_ws();
        match self.peek() {
            Some('[') => self.explicit_list(),
            Some('{') => self.hash(),
            _ => {
                let first = self.value(close, false)?;
                let mut items = vec![first];
                while self.peek() == Some(',') && !self.next_is_key() {
                    self.pos += 1;
                    items.push(self.value(close, false)?);
                }
                if items.len() == 1 {
                    Ok(items.pop().unwrap_or(Value::Str(String::new())))
                } else {
                    Ok(Value::List(items))
                }
            }
        }
    }

    /// Whether the text after the comma at `pos` is `key=`.
    fn next_is_key(&self) -> bool {
        let mut i = self.pos + 1;
        while self.chars.get(i).is_some_and(|c| c.is_whitespace()) {
            i += 1;
        }
        let start = i;
        while self.chars.get(i).copied().is_some_and(is_key_char) {
            i += 1;
        }
        while self.chars.get(i).is_some_and(|c| c.is_whitespace()) {
            i += 1;
        }
        i > start && self.chars.get(i) == Some(&'=')
    }

    fn explicit_list(&mut self) -> Result<Value, ShorthandError> {
        self.enter()?;
        let v = self.explicit_list_inner();
        self.depth -= 1;
        v
    }

    fn enter(&mut self) -> Result<(), ShorthandError> {
        if self.depth >= MAX_DEPTH {
            return Err(self.error("at most 32 nested brackets"));
        }
        self.depth += 1;
        Ok(())
    }

    fn explicit_list_inner(&mut self) -> Result<Value, ShorthandError> {
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(']') {
            self.pos += 1;
            return Ok(Value::List(items));
        }
        loop {
            self.skip_ws();
            let item = match self.peek() {
                Some('[') => self.explicit_list()?,
                Some('{') => self.hash()?,
                _ => self.value(Some(']'), true)?,
            };
            items.push(item);
            self.skip_ws();
            match self.peek() {
                Some(',') => self.pos += 1,
                Some(']') => {
                    self.pos += 1;
                    return Ok(Value::List(items));
                }
                _ => return Err(self.error("]")),
            }
        }
    }

    fn hash(&mut self) -> Result<Value, ShorthandError> {
        self.enter()?;
        self.pos += 1;
        let v = self.keyvals(Some('}'));
        self.depth -= 1;
        let v = v?;
        self.skip_ws();
        if self.peek() != Some('}') {
            return Err(self.error("}"));
        }
        self.pos += 1;
        Ok(v)
    }

    /// A quoted or bare value. Bare values stop at `,` and the enclosing bracket.
    fn value(&mut self, close: Option<char>, in_list: bool) -> Result<Value, ShorthandError> {
        self.skip_ws();
        if let Some(q @ ('"' | '\'')) = self.peek() {
            self.pos += 1;
            let mut s = String::new();
            loop {
                match self.peek() {
                    None => return Err(self.error(&q.to_string())),
                    Some('\\') if self.chars.get(self.pos + 1) == Some(&q) => {
                        s.push(q);
                        self.pos += 2;
                    }
                    Some(c) if c == q => {
                        self.pos += 1;
                        break;
                    }
                    Some(c) => {
                        s.push(c);
                        self.pos += 1;
                    }
                }
            }
            self.skip_ws();
            return Ok(Value::Str(s));
        }
        let mut s = String::new();
        while let Some(c) = self.peek() {
            if c == ',' || Some(c) == close || (in_list && c == ']') {
                break;
            }
            if c == '\\' && self.chars.get(self.pos + 1).is_some() {
                s.extend(self.chars.get(self.pos + 1));
                self.pos += 2;
                continue;
            }
            s.push(c);
            self.pos += 1;
        }
        Ok(Value::Str(s.trim().to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::Value::{List, Map, Str};
    use super::*;

    fn s(x: &str) -> Value {
        Str(x.to_owned())
    }

    #[test]
    fn pairs_lists_and_hashes() {
        assert_eq!(
            parse("TagKey=a,TagValue=b").unwrap(),
            Map(vec![("TagKey".into(), s("a")), ("TagValue".into(), s("b"))])
        );
        assert_eq!(
            parse("purpose=test, dept = hr").unwrap(),
            Map(vec![
                ("purpose".into(), s("test")),
                ("dept".into(), s("hr"))
            ])
        );
        assert_eq!(
            parse("Ops=Encrypt,Decrypt").unwrap(),
            Map(vec![("Ops".into(), List(vec![s("Encrypt"), s("Decrypt")]))])
        );
        assert_eq!(
            parse("Ops=[Encrypt, Decrypt]").unwrap(),
            Map(vec![("Ops".into(), List(vec![s("Encrypt"), s("Decrypt")]))])
        );
        assert_eq!(
            parse("EncryptionContextSubset={k=v,k2=v2}").unwrap(),
            Map(vec![(
                "EncryptionContextSubset".into(),
                Map(vec![("k".into(), s("v")), ("k2".into(), s("v2"))])
            )])
        );
        assert_eq!(
            parse("K=\"a,b\",L='x'").unwrap(),
            Map(vec![("K".into(), s("a,b")), ("L".into(), s("x"))])
        );
        assert_eq!(parse("K=").unwrap(), Map(vec![("K".into(), s(""))]));
        assert_eq!(
            parse("B=YWJj==").unwrap(),
            Map(vec![("B".into(), s("YWJj=="))])
        );
        assert_eq!(
            parse("aws:s3:arn=arn:aws:s3:::b").unwrap(),
            Map(vec![("aws:s3:arn".into(), s("arn:aws:s3:::b"))])
        );
    }

    #[test]
    fn errors_point_at_the_problem() {
        let e = parse("novalue").unwrap_err().to_string();
        assert_eq!(
            e,
            "Expected: '=', received: '<none>' for input:\nnovalue\n       ^"
        );
        assert!(parse("K={a=b").is_err());
        assert!(parse("K=[a,b").is_err());
        assert!(parse("K=\"open").is_err());
        assert!(parse(&format!("K={}", "[".repeat(100_000))).is_err());
        assert!(parse(&format!("K={}", "{a=".repeat(100_000))).is_err());
        assert!(looks_like_shorthand("TagKey=a"));
        assert!(!looks_like_shorthand("alias/x"));
    }
}
