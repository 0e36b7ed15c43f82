//! aws-cli v2's `yaml` and `yaml-stream` output.
//!
//! aws-cli v2 dumps with `ruamel.yaml`'s `YAML(typ='safe')` and `default_flow_style = False`
//! (`awscli/formatter.py` `YAMLDumper`). With `ruamel.yaml.clib` installed, as in every aws-cli
//! v2 build, that emitter is libyaml's, so this module follows libyaml's `emitter.c`: block
//! style with mapping keys sorted (the safe representer sorts plain dicts), sequences inside
//! mappings not indented (`Users:` then `- Arn: …`), empty lists and maps in flow style (`[]`,
//! `{}`), plain scalars unless the plain text would read back as another type (`'true'`,
//! `'111122223333'`, `'2026-11-22T20:00:59+00:00'`, `''`) or contains YAML indicators (then
//! single-quoted), double quotes with escapes for control characters, tabs and characters
//! outside the Basic Multilingual Plane, and line folding past column 80. A response that is
//! only a scalar (a `--query` result) is printed as JSON instead, as aws-cli does.

use serde_json::Value;

/// `--output yaml`: the whole (queried) response; nothing for `{}`.
pub fn yaml(value: &Value) -> String {
    if value.as_object().is_some_and(serde_json::Map::is_empty) {
        return String::new();
    }
    dump(value)
}

/// `--output yaml-stream`: each page (already queried) as a one-item list, `- ` first. An
/// operation that is not paginated has one page, and prints nothing when it is `{}`.
pub fn yaml_stream(pages: &[Value], paginated: bool) -> String {
    let mut out = String::new();
    for page in pages {
        if !paginated && page.as_object().is_some_and(serde_json::Map::is_empty) {
            continue;
        }
        out.push_str(&dump(&Value::Array(vec![page.clone()])));
    }
    out
}

/// `YAMLDumper.dump`: JSON scalars as JSON (YAML would end the document with `...`), anything
/// else through the emitter.
fn dump(value: &Value) -> String {
    match value {
        Value::Array(_) | Value::Object(_) => {
            let mut e = Emitter::new();
            e.document(value);
            e.out
        }
        Value::Number(n) => format!("{}\n", number(n)),
        other => {
            let mut s = serde_json::to_string(other).unwrap_or_default();
            s.push('\n');
            s
        }
    }
}

/// A number as Python writes it (`repr` of a float: `1.5`, `2.0`, `1e+16`).
fn number(n: &serde_json::Number) -> String {
    if n.is_i64() || n.is_u64() {
        return n.to_string();
    }
    let f = n.as_f64().unwrap_or(0.0);
    if !f.is_finite() {
        return if f.is_nan() {
            ".nan".into()
        } else if f > 0.0 {
            ".inf".into()
        } else {
            "-.inf".into()
        };
    }
    // Shortest round-trip digits, then Python's choice of notation.
    let sci = format!("{f:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => ("-", m),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    if (-4..16).contains(&exp) {
        let point = exp + 1;
        let s = if point <= 0 {
            format!(
                "0.{}{digits}",
                "0".repeat(usize::try_from(-point).unwrap_or(0))
            )
        } else {
            let p = usize::try_from(point).unwrap_or(0);
            if digits.len() <= p {
                format!("{digits}{}.0", "0".repeat(p - digits.len()))
            } else {
                format!(
                    "{}.{}",
                    digits.get(..p).unwrap_or(""),
                    digits.get(p..).unwrap_or("")
                )
            }
        };
        format!("{sign}{s}")
    } else {
        let (first, rest) = digits.split_at(digits.len().min(1));
        let m = if rest.is_empty() {
            first.to_owned()
        } else {
            format!("{first}.{rest}")
        };
        let esign = if exp < 0 { '-' } else { '+' };
        format!("{sign}{m}e{esign}{:02}", exp.abs())
    }
}

// ---------------------------------------------------------------- implicit types

/// The type a plain scalar reads back as under YAML 1.2 (ruamel's `VersionedResolver`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Str,
    Int,
    Float,
    Bool,
    Null,
    Timestamp,
    Other,
}

fn resolve(s: &str) -> Kind {
    if matches!(s, "" | "~" | "null" | "Null" | "NULL") {
        return Kind::Null;
    }
    if matches!(s, "true" | "True" | "TRUE" | "false" | "False" | "FALSE") {
        return Kind::Bool;
    }
    if is_float(s) {
        return Kind::Float;
    }
    if is_int(s) {
        return Kind::Int;
    }
    if s == "<<" || s == "=" {
        return Kind::Other;
    }
    if is_timestamp(s) {
        return Kind::Timestamp;
    }
    Kind::Str
}

/// Python's `re.match(...$)` also matches before one trailing newline.
fn body(s: &str) -> &str {
    s.strip_suffix('\n').unwrap_or(s)
}

fn signless(s: &str) -> &str {
    s.strip_prefix(['-', '+']).unwrap_or(s)
}

fn all(s: &str, f: impl Fn(char) -> bool) -> bool {
    !s.is_empty() && s.chars().all(f)
}

/// `[-+]?0b[0-1_]+ | [-+]?0o?[0-7_]+ | [-+]?[0-9_]+ | [-+]?0x[0-9a-fA-F_]+`
fn is_int(s: &str) -> bool {
    let t = signless(body(s));
    if let Some(r) = t.strip_prefix("0b") {
        return all(r, |c| matches!(c, '0' | '1' | '_'));
    }
    if let Some(r) = t.strip_prefix("0x") {
        return all(r, |c| c.is_ascii_hexdigit() || c == '_');
    }
    if let Some(r) = t.strip_prefix("0o")
        && all(r, |c| matches!(c, '0'..='7' | '_'))
    {
        return true;
    }
    all(t, |c| c.is_ascii_digit() || c == '_')
}

/// `[-+]?[0-9][0-9_]*\.[0-9_]*([eE][-+]?[0-9]+)? | [-+]?[0-9][0-9_]*[eE][-+]?[0-9]+ |
/// [-+]?\.[0-9_]+([eE][-+][0-9]+)? | [-+]?\.(inf|Inf|INF) | \.(nan|NaN|NAN)`
fn is_float(s: &str) -> bool {
    let s = body(s);
    if matches!(s, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    let t = signless(s);
    if matches!(t, ".inf" | ".Inf" | ".INF") {
        return true;
    }
    let exp_ok = |e: &str, sign_required: bool| {
        let digits = match e.strip_prefix(['-', '+']) {
            Some(d) => d,
            None if sign_required => return false,
            None => e,
        };
        all(digits, |c| c.is_ascii_digit())
    };
    let (mant, exp) = match t.find(['e', 'E']) {
        Some(i) => (t.get(..i).unwrap_or(""), Some(t.get(i + 1..).unwrap_or(""))),
        None => (t, None),
    };
    if let Some(frac) = mant.strip_prefix('.') {
        return all(frac, |c| c.is_ascii_digit() || c == '_')
            && exp.is_none_or(|e| exp_ok(e, true));
    }
    let starts_digit = mant.starts_with(|c: char| c.is_ascii_digit());
    if !starts_digit {
        return false;
    }
    match mant.split_once('.') {
        Some((int, frac)) => {
            int.chars().all(|c| c.is_ascii_digit() || c == '_')
                && frac.chars().all(|c| c.is_ascii_digit() || c == '_')
                && exp.is_none_or(|e| exp_ok(e, false))
        }
        None => {
            mant.chars().all(|c| c.is_ascii_digit() || c == '_')
                && exp.is_some_and(|e| exp_ok(e, false))
        }
    }
}

/// `YYYY-MM-DD`, or `YYYY-M(M)-D(D)` then `T`/`t`/blanks, `H(H):MM:SS`, optional fraction and
/// optional `Z` / `±H(H)(:MM)` zone (after optional blanks).
fn is_timestamp(s: &str) -> bool {
    let s = body(s);
    let b = s.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    // Date-only form.
    if b.len() == 10
        && (0..4).all(digit)
        && b.get(4) == Some(&b'-')
        && digit(5)
        && digit(6)
        && b.get(7) == Some(&b'-')
        && digit(8)
        && digit(9)
    {
        return true;
    }
    let mut i = 0;
    let digits = |i: &mut usize, min: usize, max: usize| -> bool {
        let start = *i;
        while *i < b.len() && *i - start < max && digit(*i) {
            *i += 1;
        }
        *i - start >= min
    };
    if !digits(&mut i, 4, 4) || b.get(i) != Some(&b'-') {
        return false;
    }
    i += 1;
    if !digits(&mut i, 1, 2) || b.get(i) != Some(&b'-') {
        return false;
    }
    i += 1;
    if !digits(&mut i, 1, 2) {
        return false;
    }
    match b.get(i) {
        Some(b'T' | b't') => i += 1,
        Some(b' ' | b'\t') => {
            while matches!(b.get(i), Some(b' ' | b'\t')) {
                i += 1;
            }
        }
        _ => return false,
    }
    if !digits(&mut i, 1, 2) || b.get(i) != Some(&b':') {
        return false;
    }
    i += 1;
    if !digits(&mut i, 2, 2) || b.get(i) != Some(&b':') {
        return false;
    }
    i += 1;
    if !digits(&mut i, 2, 2) {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while digit(i) {
            i += 1;
        }
    }
    if i == b.len() {
        return true;
    }
    while matches!(b.get(i), Some(b' ' | b'\t')) {
        i += 1;
    }
    match b.get(i) {
        Some(b'Z') => i + 1 == b.len(),
        Some(b'-' | b'+') => {
            i += 1;
            if !digits(&mut i, 1, 2) {
                return false;
            }
            if b.get(i) == Some(&b':') {
                i += 1;
                if !digits(&mut i, 2, 2) {
                    return false;
                }
            }
            i == b.len()
        }
        _ => false,
    }
}

// ---------------------------------------------------------------- scalar analysis

fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

fn is_blankz(c: Option<char>) -> bool {
    c.is_none_or(|c| c == ' ' || c == '\t' || c == '\0' || is_break(c))
}

/// libyaml's `IS_PRINTABLE`.
fn is_printable(c: char) -> bool {
    matches!(c, '\n' | '\u{20}'..='\u{7e}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}')
        && c != '\u{feff}'
}

#[derive(Clone, Copy, Debug, Default)]
struct Analysis {
    multiline: bool,
    flow_plain: bool,
    block_plain: bool,
    single_quoted: bool,
}

/// `yaml_emitter_analyze_scalar`.
fn analyze(s: &str) -> Analysis {
    if s.is_empty() {
        return Analysis {
            multiline: false,
            flow_plain: false,
            block_plain: true,
            single_quoted: true,
        };
    }
    let chars: Vec<char> = s.chars().collect();
    let mut block_indicators = s.starts_with("---") || s.starts_with("...");
    let mut flow_indicators = block_indicators;
    let mut line_breaks = false;
    let mut special = false;
    let (mut leading_space, mut leading_break) = (false, false);
    let (mut trailing_space, mut trailing_break) = (false, false);
    let (mut break_space, mut space_break) = (false, false);
    let (mut previous_space, mut previous_break) = (false, false);
    let mut preceded_by_whitespace = true;
    let mut followed_by_whitespace = is_blankz(chars.get(1).copied());
    let last = chars.len() - 1;
    for (i, &c) in chars.iter().enumerate() {
        if i == 0 {
            if "#,[]{}&*!|>'\"%@`".contains(c) {
                flow_indicators = true;
                block_indicators = true;
            }
            if c == '?' || c == ':' {
                flow_indicators = true;
                if followed_by_whitespace {
                    block_indicators = true;
                }
            }
            if c == '-' && followed_by_whitespace {
                flow_indicators = true;
                block_indicators = true;
            }
        } else {
            if ",?[]{}".contains(c) {
                flow_indicators = true;
            }
            if c == ':' {
                flow_indicators = true;
                if followed_by_whitespace {
                    block_indicators = true;
                }
            }
            if c == '#' && preceded_by_whitespace {
                flow_indicators = true;
                block_indicators = true;
            }
        }
        if !is_printable(c) {
            special = true;
        }
        if is_break(c) {
            line_breaks = true;
        }
        if c == ' ' {
            leading_space |= i == 0;
            trailing_space |= i == last;
            break_space |= previous_break;
            previous_space = true;
            previous_break = false;
        } else if is_break(c) {
            leading_break |= i == 0;
            trailing_break |= i == last;
            space_break |= previous_space;
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_whitespace = is_blankz(Some(c));
        followed_by_whitespace = is_blankz(chars.get(i + 2).copied());
    }
    let mut a = Analysis {
        multiline: line_breaks,
        flow_plain: true,
        block_plain: true,
        single_quoted: true,
    };
    if leading_space || leading_break || trailing_space || trailing_break {
        a.flow_plain = false;
        a.block_plain = false;
    }
    if break_space || space_break || special {
        a.flow_plain = false;
        a.block_plain = false;
        a.single_quoted = false;
    }
    if line_breaks {
        a.flow_plain = false;
        a.block_plain = false;
    }
    if flow_indicators {
        a.flow_plain = false;
    }
    if block_indicators {
        a.block_plain = false;
    }
    a
}

// ---------------------------------------------------------------- emitter

const BEST_INDENT: i64 = 2;
const BEST_WIDTH: usize = 80;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    Single,
    Double,
}

/// libyaml's emitter state, for one document.
struct Emitter {
    out: String,
    column: usize,
    whitespace: bool,
    indention: bool,
    indent: i64,
    indents: Vec<i64>,
    flow_level: usize,
    mapping_context: bool,
    simple_key_context: bool,
}

impl Emitter {
    fn new() -> Emitter {
        Emitter {
            out: String::new(),
            column: 0,
            whitespace: true,
            indention: true,
            indent: -1,
            indents: Vec::new(),
            flow_level: 0,
            mapping_context: false,
            simple_key_context: false,
        }
    }

    fn document(&mut self, value: &Value) {
        self.node(value, false, false);
        self.write_indent();
    }

    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
    }

    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        self.indents.push(self.indent);
        if self.indent < 0 {
            self.indent = if flow { BEST_INDENT } else { 0 };
        } else if !indentless {
            self.indent += BEST_INDENT;
        }
    }

    fn pop_indent(&mut self) {
        self.indent = self.indents.pop().unwrap_or(-1);
    }

    fn indent_width(&self) -> usize {
        usize::try_from(self.indent.max(0)).unwrap_or(0)
    }

    fn write_indent(&mut self) {
        let indent = self.indent_width();
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
        self.indention = true;
    }

    fn write_indicator(
        &mut self,
        s: &str,
        need_whitespace: bool,
        is_whitespace: bool,
        is_indention: bool,
    ) {
        if need_whitespace && !self.whitespace {
            self.put(' ');
        }
        for c in s.chars() {
            self.put(c);
        }
        self.whitespace = is_whitespace;
        self.indention = self.indention && is_indention;
    }

    /// `yaml_emitter_emit_node` for a node in mapping (`mapping`) or simple-key context.
    fn node(&mut self, value: &Value, mapping: bool, simple_key: bool) {
        self.mapping_context = mapping;
        self.simple_key_context = simple_key;
        match value {
            Value::Array(items) if items.is_empty() || self.flow_level > 0 => {
                self.flow_empty("[", "]");
            }
            Value::Object(map) if map.is_empty() || self.flow_level > 0 => {
                self.flow_empty("{", "}");
            }
            Value::Array(items) => self.block_sequence(items),
            Value::Object(map) => self.block_mapping(map),
            Value::String(s) => self.scalar(s, Kind::Str),
            Value::Number(n) => {
                let kind = if n.is_i64() || n.is_u64() {
                    Kind::Int
                } else {
                    Kind::Float
                };
                self.scalar(&number(n), kind);
            }
            Value::Bool(b) => self.scalar(if *b { "true" } else { "false" }, Kind::Bool),
            Value::Null => self.scalar("null", Kind::Null),
        }
    }

    /// Only empty collections are emitted in flow style (`default_flow_style = False`).
    fn flow_empty(&mut self, open: &str, close: &str) {
        self.write_indicator(open, true, true, false);
        self.increase_indent(true, false);
        self.pop_indent();
        self.write_indicator(close, false, false, false);
    }

    fn block_sequence(&mut self, items: &[Value]) {
        let indentless = self.mapping_context && !self.indention;
        self.increase_indent(false, indentless);
        for item in items {
            self.write_indent();
            self.write_indicator("-", true, false, true);
            self.node(item, false, false);
        }
        self.pop_indent();
    }

    fn block_mapping(&mut self, map: &serde_json::Map<String, Value>) {
        self.increase_indent(false, false);
        // The safe representer sorts a dict's items.
        let mut entries: Vec<(&String, &Value)> = map.iter().collect();
        entries.sort_by(|a, b| a.0.cmp(b.0));
        for (key, value) in entries {
            self.write_indent();
            let simple = !analyze(key).multiline && key.len() <= 128;
            if simple {
                self.mapping_context = true;
                self.simple_key_context = true;
                self.scalar(key, Kind::Str);
                self.write_indicator(":", false, false, false);
            } else {
                self.write_indicator("?", true, false, true);
                self.mapping_context = true;
                self.simple_key_context = false;
                self.scalar(key, Kind::Str);
                self.write_indent();
                self.write_indicator(":", true, false, true);
            }
            self.node(value, true, false);
        }
        self.pop_indent();
    }

    /// `yaml_emitter_emit_scalar`: picks the style, then writes the scalar one indent deeper.
    fn scalar(&mut self, text: &str, kind: Kind) {
        let a = analyze(text);
        let plain_implicit = resolve(text) == kind;
        let mut style = Style::Plain;
        if self.simple_key_context && a.multiline {
            style = Style::Double;
        }
        if style == Style::Plain {
            let allowed = if self.flow_level > 0 {
                a.flow_plain
            } else {
                a.block_plain
            };
            if !allowed
                || (text.is_empty() && (self.flow_level > 0 || self.simple_key_context))
                || !plain_implicit
            {
                style = Style::Single;
            }
        }
        if style == Style::Single && !a.single_quoted {
            style = Style::Double;
        }
        self.increase_indent(true, false);
        let breaks = !self.simple_key_context;
        match style {
            Style::Plain => self.write_plain(text, breaks),
            Style::Single => self.write_single_quoted(text, breaks),
            Style::Double => self.write_double_quoted(text, breaks),
        }
        self.pop_indent();
    }

    fn write_plain(&mut self, text: &str, allow_breaks: bool) {
        if !self.whitespace && (!text.is_empty() || self.flow_level > 0) {
            self.put(' ');
        }
        let chars: Vec<char> = text.chars().collect();
        let mut spaces = false;
        let mut i = 0;
        while let Some(&c) = chars.get(i) {
            if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && chars.get(i + 1) != Some(&' ')
                {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                // Plain scalars never hold line breaks (the analysis forbids them).
                self.put(c);
                self.indention = false;
                spaces = false;
            }
            i += 1;
        }
        self.whitespace = false;
        self.indention = false;
    }

    fn write_single_quoted(&mut self, text: &str, allow_breaks: bool) {
        self.write_indicator("'", true, false, false);
        let chars: Vec<char> = text.chars().collect();
        let last = chars.len().saturating_sub(1);
        let mut spaces = false;
        let mut breaks = false;
        for (i, &c) in chars.iter().enumerate() {
            if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && i != 0
                    && i != last
                    && chars.get(i + 1) != Some(&' ')
                {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                if c == '\n' {
                    self.put_break();
                } else {
                    self.out.push(c);
                    self.column = 0;
                }
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                if c == '\'' {
                    self.put('\'');
                }
                self.put(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        if breaks {
            self.write_indent();
        }
        self.write_indicator("'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_double_quoted(&mut self, text: &str, allow_breaks: bool) {
        self.write_indicator("\"", true, false, false);
        let chars: Vec<char> = text.chars().collect();
        let last = chars.len().saturating_sub(1);
        let mut spaces = false;
        for (i, &c) in chars.iter().enumerate() {
            if !is_printable(c) || c == '\u{feff}' || is_break(c) || c == '"' || c == '\\' {
                self.put('\\');
                let escaped = match c {
                    '\0' => Some('0'),
                    '\u{07}' => Some('a'),
                    '\u{08}' => Some('b'),
                    '\t' => Some('t'),
                    '\n' => Some('n'),
                    '\u{0b}' => Some('v'),
                    '\u{0c}' => Some('f'),
                    '\r' => Some('r'),
                    '\u{1b}' => Some('e'),
                    '"' => Some('"'),
                    '\\' => Some('\\'),
                    '\u{85}' => Some('N'),
                    '\u{a0}' => Some('_'),
                    '\u{2028}' => Some('L'),
                    '\u{2029}' => Some('P'),
                    _ => None,
                };
                match escaped {
                    Some(e) => self.put(e),
                    None => {
                        let v = u32::from(c);
                        let hex = if v <= 0xff {
                            format!("x{v:02X}")
                        } else if v <= 0xffff {
                            format!("u{v:04X}")
                        } else {
                            format!("U{v:08X}")
                        };
                        for h in hex.chars() {
                            self.put(h);
                        }
                    }
                }
                spaces = false;
            } else if c == ' ' {
                if allow_breaks && !spaces && self.column > BEST_WIDTH && i != 0 && i != last {
                    self.write_indent();
                    if chars.get(i + 1) == Some(&' ') {
                        self.put('\\');
                    }
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                self.put(c);
                spaces = false;
            }
        }
        self.write_indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn aws_cli_dumper_cases() {
        // awscli tests/unit/test_formatter.py TestYAMLDumper / TestStreamedYAMLFormatter
        assert_eq!(yaml(&json!(1)), "1\n");
        assert_eq!(yaml(&json!(1.2)), "1.2\n");
        assert_eq!(yaml(&json!(true)), "true\n");
        assert_eq!(yaml(&json!("foo")), "\"foo\"\n");
        assert_eq!(yaml(&json!(null)), "null\n");
        assert_eq!(yaml(&json!({"key": "val"})), "key: val\n");
        assert_eq!(yaml(&json!(["val1", "val2"])), "- val1\n- val2\n");
        assert_eq!(yaml(&json!({})), "");
        assert_eq!(yaml(&json!([])), "[]\n");
        assert_eq!(
            yaml_stream(&[json!({"TableNames": ["MyTable"]})], false),
            "- TableNames:\n  - MyTable\n"
        );
        assert_eq!(
            yaml_stream(
                &[
                    json!({"TableNames": ["MyTable"]}),
                    json!({"TableNames": ["MyTable2"]})
                ],
                true
            ),
            "- TableNames:\n  - MyTable\n- TableNames:\n  - MyTable2\n"
        );
        assert_eq!(yaml_stream(&[json!({})], false), "");
        assert_eq!(yaml_stream(&[json!("x")], false), "- x\n");
    }

    #[test]
    fn user_guide_list_users_example() {
        // docs.aws.amazon.com/cli/latest/userguide/cli-usage-output-format.html (YAML): keys
        // sorted, timestamps quoted, the list under a key not indented.
        let v = json!({"Users": [
            {"Path": "/", "UserName": "Admin", "UserId": "AIDA1111111111EXAMPLE",
             "Arn": "arn:aws:iam::123456789012:user/Admin",
             "CreateDate": "2014-10-16T16:03:09+00:00",
             "PasswordLastUsed": "2016-06-03T18:37:29+00:00"},
            {"Path": "/backup/", "UserName": "backup-user", "UserId": "AIDA2222222222EXAMPLE",
             "Arn": "arn:aws:iam::123456789012:user/backup/backup-user",
             "CreateDate": "2019-09-17T19:30:40+00:00"}
        ]});
        assert_eq!(
            yaml(&v),
            "Users:
- Arn: arn:aws:iam::123456789012:user/Admin
  CreateDate: '2014-10-16T16:03:09+00:00'
  PasswordLastUsed: '2016-06-03T18:37:29+00:00'
  Path: /
  UserId: AIDA1111111111EXAMPLE
  UserName: Admin
- Arn: arn:aws:iam::123456789012:user/backup/backup-user
  CreateDate: '2019-09-17T19:30:40+00:00'
  Path: /backup/
  UserId: AIDA2222222222EXAMPLE
  UserName: backup-user
"
        );
        let page = json!({"IsTruncated": false, "Users": [{"Path": "/", "UserName": "cli-user"}]});
        assert_eq!(
            yaml_stream(&[page], true),
            "- IsTruncated: false\n  Users:\n  - Path: /\n    UserName: cli-user\n"
        );
    }

    #[test]
    fn scalars_are_quoted_only_when_plain_would_change_them() {
        let v = json!({
            "Account": "111122223333",
            "Empty": "",
            "Enabled": true,
            "Flag": "true",
            "Null": null,
            "Size": 42,
            "Ratio": 0.5,
            "Dash": "-",
            "Colon": "a: b",
            "Hash": "a #b",
            "Quote": "it's",
            "Star": "*",
            "Version": "1.0",
            "Hex": "0x1F",
            "Yes": "yes",
            "Tab": "a\tb",
            "Multi": "line1\nline2",
            "Emoji": "\u{1F600}",
            "Accent": "é",
            "Arn": "arn:aws:kms:us-east-1:111122223333:alias/x",
            "Lists": [[], {}, ["a", ["b", "c"]]]
        });
        assert_eq!(
            yaml(&v),
            "Accent: é
Account: '111122223333'
Arn: arn:aws:kms:us-east-1:111122223333:alias/x
Colon: 'a: b'
Dash: '-'
Emoji: \"\\U0001F600\"
Empty: ''
Enabled: true
Flag: 'true'
Hash: 'a #b'
Hex: '0x1F'
Lists:
- []
- {}
- - a
  - - b
    - c
Multi: 'line1

  line2'
'Null': null
Quote: it's
Ratio: 0.5
Size: 42
Star: '*'
Tab: \"a\\tb\"
Version: '1.0'
Yes: yes
"
        );
    }

    #[test]
    fn policies_are_double_quoted_and_folded_at_80_columns() {
        let policy = "{\n  \"Version\" : \"2012-10-17\",\n  \"Id\" : \"key-default-1\",\n  \"Statement\" : [ {\n    \"Sid\" : \"Enable IAM User Permissions\"\n  } ]\n}";
        let out = yaml(&json!({ "Policy": policy, "PolicyName": "default" }));
        assert_eq!(
            out,
            "Policy: \"{\\n  \\\"Version\\\" : \\\"2012-10-17\\\",\\n  \\\"Id\\\" : \\\"key-default-1\\\",\\n  \\\"Statement\\\"\n  : [ {\\n    \\\"Sid\\\" : \\\"Enable IAM User Permissions\\\"\\n  } ]\\n}\"\nPolicyName: default\n"
        );
        // Folded at the first space past column 80: 14 words, then 16 on the next line.
        let long = "word ".repeat(30);
        let long = long.trim_end();
        assert_eq!(
            yaml(&json!({ "Description": long })),
            format!(
                "Description: {}\n  {}\n",
                "word ".repeat(14).trim_end(),
                "word ".repeat(16).trim_end()
            )
        );
    }

    #[test]
    fn python_float_repr() {
        let f = |x: f64| number(&serde_json::Number::from_f64(x).unwrap());
        assert_eq!(f(2.0), "2.0");
        assert_eq!(f(0.5), "0.5");
        assert_eq!(f(1e16), "1e+16");
        assert_eq!(f(1.5e-7), "1.5e-07");
        assert_eq!(f(123.456), "123.456");
        assert_eq!(f(0.0001), "0.0001");
        assert_eq!(f(-3.25), "-3.25");
    }

    #[test]
    fn implicit_types() {
        for (s, k) in [
            ("123", Kind::Int),
            ("0o17", Kind::Int),
            ("+1_000", Kind::Int),
            ("1.5", Kind::Float),
            ("1e5", Kind::Float),
            (".5", Kind::Float),
            ("-.inf", Kind::Float),
            ("2026-11-22T20:00:59.123000+00:00", Kind::Timestamp),
            ("2026-11-22", Kind::Timestamp),
            ("2026-11-22 20:00:59 Z", Kind::Timestamp),
            ("Null", Kind::Null),
            ("FALSE", Kind::Bool),
            ("1234abcd-12ab-34cd-56ef-1234567890ab", Kind::Str),
            ("yes", Kind::Str),
            ("e5", Kind::Str),
            ("1.2.3", Kind::Str),
        ] {
            assert_eq!(resolve(s), k, "{s}");
        }
    }
}
