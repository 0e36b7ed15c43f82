//! The documented output as the aws-cli documentation prints it: JSON, but written by hand, so
//! with missing commas, unquoted values (`cks-1234…`, `2017-06-30T21:44:32.140000+00:00`),
//! `...` for elided list items and `...output omitted...` lines for elided members.

/// One documented value.
#[derive(Clone, Debug, PartialEq)]
pub enum Doc {
    /// An object; `elided` when the documentation left members out (`...output omitted...`).
    Object {
        members: Vec<(String, Doc)>,
        elided: bool,
    },
    /// A list; `elided` when the documentation shows only some items (`...`).
    List { items: Vec<Doc>, elided: bool },
    /// A quoted string.
    Str(String),
    /// An unquoted word that is not a number, boolean or null (treated as a string).
    Bare(String),
    /// A number, with its text.
    Num(f64),
    /// A boolean.
    Bool(bool),
    /// `null`.
    Null,
}

impl Doc {
    /// The documented value as JSON (elision markers dropped), for messages.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            Doc::Object { members, .. } => Value::Object(
                members
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_json()))
                    .collect(),
            ),
            Doc::List { items, .. } => Value::Array(items.iter().map(Doc::to_json).collect()),
            Doc::Str(s) | Doc::Bare(s) => Value::String(s.clone()),
            Doc::Num(n) => serde_json::Number::from_f64(*n).map_or(Value::Null, Value::Number),
            Doc::Bool(b) => Value::Bool(*b),
            Doc::Null => Value::Null,
        }
    }
}

/// Parses documented output; `None` when it is not JSON-like at all.
pub fn parse(text: &str) -> Option<Doc> {
    let mut p = Parser {
        chars: text.chars().collect(),
        pos: 0,
    };
    let v = p.value()?;
    p.skip_ws();
    (p.pos >= p.chars.len()).then_some(v)
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
}

/// What a position in an object or list holds.
enum Item {
    Value(Doc),
    /// `...` or a `...output omitted...` line.
    Ellipsis,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(|c| c.is_whitespace() || c == ',') {
            self.pos += 1;
        }
    }

    fn value(&mut self) -> Option<Doc> {
        match self.item()? {
            Item::Value(v) => Some(v),
            Item::Ellipsis => None,
        }
    }

    fn item(&mut self) -> Option<Item> {
        self.skip_ws();
        match self.peek()? {
            '{' => self.object().map(Item::Value),
            '[' => self.list().map(Item::Value),
            '"' => self.string().map(|s| Item::Value(Doc::Str(s))),
            '.' => {
                self.ellipsis_line();
                Some(Item::Ellipsis)
            }
            _ => {
                let word = self.bare();
                if word.is_empty() {
                    return None;
                }
                Some(Item::Value(match word.as_str() {
                    "true" => Doc::Bool(true),
                    "false" => Doc::Bool(false),
                    "null" => Doc::Null,
                    w => w
                        .parse::<f64>()
                        .map_or_else(|_| Doc::Bare(word.clone()), Doc::Num),
                }))
            }
        }
    }

    /// `...` or `...output omitted...`: skipped to the end of its line.
    fn ellipsis_line(&mut self) {
        while self.peek().is_some_and(|c| c != '\n') {
            self.pos += 1;
        }
    }

    fn bare(&mut self) -> String {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|c| !c.is_whitespace() && !matches!(c, ',' | '}' | ']'))
        {
            self.pos += 1;
        }
        self.chars[start..self.pos].iter().collect()
    }

    fn string(&mut self) -> Option<String> {
        self.pos += 1;
        let mut out = String::new();
        loop {
            let c = self.peek()?;
            self.pos += 1;
            match c {
                '"' => return Some(out),
                '\\' => {
                    let e = self.peek()?;
                    self.pos += 1;
                    match e {
                        'n' => out.push('\n'),
                        't' => out.push('\t'),
                        'r' => out.push('\r'),
                        'u' => {
                            let hex: String =
                                self.chars.get(self.pos..self.pos + 4)?.iter().collect();
                            self.pos += 4;
                            out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                        }
                        other => out.push(other),
                    }
                }
                other => out.push(other),
            }
        }
    }

    fn object(&mut self) -> Option<Doc> {
        self.pos += 1;
        let mut members = Vec::new();
        let mut elided = false;
        loop {
            self.skip_ws();
            match self.peek()? {
                '}' => {
                    self.pos += 1;
                    return Some(Doc::Object { members, elided });
                }
                '.' => {
                    self.ellipsis_line();
                    elided = true;
                }
                '"' => {
                    let key = self.string()?;
                    self.skip_ws();
                    if self.peek()? != ':' {
                        return None;
                    }
                    self.pos += 1;
                    members.push((key, self.value()?));
                }
                _ => return None,
            }
        }
    }

    fn list(&mut self) -> Option<Doc> {
        self.pos += 1;
        let mut items = Vec::new();
        let mut elided = false;
        loop {
            self.skip_ws();
            if self.peek()? == ']' {
                self.pos += 1;
                return Some(Doc::List { items, elided });
            }
            match self.item()? {
                Item::Value(v) => items.push(v),
                Item::Ellipsis => elided = true,
            }
        }
    }
}
