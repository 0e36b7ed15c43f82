//! libyaml's emitter (`emitter.c`), block style, for one document.

use serde_json::Value;

use super::analyze::{analyze, is_break, is_printable};
use super::number;
use super::resolve::{Kind, resolve};

const BEST_INDENT: i64 = 2;
const BEST_WIDTH: usize = 80;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    Single,
    Double,
}

/// libyaml's emitter state, for one document.
pub(super) struct Emitter {
    pub(super) out: String,
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
    pub(super) fn new() -> Emitter {
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

    pub(super) fn document(&mut self, value: &Value) {
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
