//! aws-cli's `table` format (`awscli/table.py` `MultiTable`).

use serde_json::Value;

use super::{is_scalar, py_str};

#[derive(Debug, Default)]
struct Section {
    title: String,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    indent: usize,
    max_widths: Vec<usize>,
}

fn text_len(s: &str) -> usize {
    s.chars().count()
}

impl Section {
    fn update_widths(&mut self, row: &[String]) {
        if self.max_widths.is_empty() {
            self.max_widths = row.iter().map(|s| text_len(s)).collect();
        } else {
            for (i, el) in row.iter().enumerate() {
                if let Some(w) = self.max_widths.get_mut(i) {
                    *w = (*w).max(text_len(el));
                }
            }
        }
    }

    fn add_header(&mut self, headers: Vec<String>) {
        self.update_widths(&headers);
        self.headers = headers;
    }

    fn add_row(&mut self, row: Vec<String>) {
        self.update_widths(&row);
        self.rows.push(row);
    }

    /// Column widths scaled to `max_width` (Python's banker's rounding, then adjusted so the
    /// sum is exact).
    fn column_widths(&self, padding: usize, max_width: usize) -> Vec<usize> {
        let unscaled: Vec<usize> = self.max_widths.iter().map(|w| w + padding).collect();
        let total: usize = unscaled.iter().sum();
        if unscaled.is_empty() || total == 0 {
            return unscaled;
        }
        let factor = max_width as f64 / total as f64;
        let mut scaled: Vec<i64> = unscaled
            .iter()
            .map(|w| round_half_even(factor * *w as f64))
            .collect();
        let mut off_by: i64 = scaled.iter().sum::<i64>() - max_width as i64;
        let n = scaled.len();
        while off_by != 0 {
            let order: Vec<usize> = if off_by < 0 {
                (0..n).rev().collect()
            } else {
                (0..n).collect()
            };
            for i in order {
                if let Some(w) = scaled.get_mut(i) {
                    if off_by > 0 {
                        *w -= 1;
                        off_by -= 1;
                    } else {
                        *w += 1;
                        off_by += 1;
                    }
                }
                if off_by == 0 {
                    break;
                }
            }
        }
        scaled
            .into_iter()
            .map(|w| usize::try_from(w).unwrap_or(0))
            .collect()
    }

    fn total_width(&self, padding: usize, outer: usize) -> usize {
        let total: usize =
            self.max_widths.iter().map(|w| w + padding).sum::<usize>() + 2 + 2 * outer;
        (text_len(&self.title) + 2 + 2 * outer).max(total)
    }
}

pub(super) fn round_half_even(x: f64) -> i64 {
    let r = x.round();
    let v = if (x - x.trunc()).abs() == 0.5 {
        2.0 * (x / 2.0).round()
    } else {
        r
    };
    v as i64
}

fn spaces(n: i64) -> String {
    " ".repeat(usize::try_from(n).unwrap_or(0))
}

fn center_text(text: &str, length: usize, left: &str, right: &str) -> String {
    let tl = text_len(text) as i64;
    let length = length as i64;
    let char_start = length / 2 - tl / 2 - 1;
    let so_far = text_len(left) as i64 + char_start + tl;
    let right_spaces = length - text_len(right) as i64 - so_far;
    format!(
        "{left}{}{text}{}{right}",
        spaces(char_start),
        spaces(right_spaces)
    )
}

fn align_left(text: &str, length: usize, left: &str, right: &str) -> String {
    let so_far = text_len(left) as i64 + text_len(text) as i64 + 2;
    let right_spaces = length as i64 - text_len(right) as i64 - so_far;
    format!("{left}  {text}{}{right}", spaces(right_spaces))
}

#[derive(Debug, Default)]
struct Table {
    sections: Vec<Section>,
}

impl Table {
    fn current(&mut self) -> &mut Section {
        if self.sections.is_empty() {
            self.sections.push(Section::default());
        }
        let last = self.sections.len() - 1;
        // INVARIANT: non-empty (pushed above).
        &mut self.sections[last]
    }

    fn new_section(&mut self, title: &str, indent: usize) {
        self.sections.push(Section {
            title: title.to_owned(),
            indent,
            ..Section::default()
        });
    }

    fn build(&mut self, title: Option<&str>, current: &Value, indent: usize) -> bool {
        let empty = match current {
            Value::Null => true,
            Value::Bool(b) => !b,
            Value::String(s) => s.is_empty(),
            Value::Number(n) => n.as_f64() == Some(0.0),
            Value::Array(a) => a.is_empty(),
            Value::Object(o) => o.is_empty(),
        };
        if empty {
            return false;
        }
        if let Some(t) = title {
            self.new_section(t, indent);
        }
        match current {
            Value::Array(list) => {
                if list.first().is_some_and(Value::is_object) {
                    self.sub_table_from_list(list, indent, title.unwrap_or(""));
                } else {
                    for item in list {
                        match item {
                            Value::Array(inner) if inner.iter().all(is_scalar) => {
                                self.current().add_row(inner.iter().map(py_str).collect());
                            }
                            v if is_scalar(v) => self.current().add_row(vec![py_str(v)]),
                            other => {
                                self.build(None, other, 0);
                            }
                        }
                    }
                }
            }
            Value::Object(map) => self.sub_table_from_dict(map, indent),
            other => self.current().add_row(vec![py_str(other)]),
        }
        true
    }

    fn sub_table_from_dict(&mut self, map: &serde_json::Map<String, Value>, indent: usize) {
        let (headers, more) = group_scalar_keys(map);
        if headers.len() == 1 {
            let h = headers.first().cloned().unwrap_or_default();
            let v = map.get(&h).map(py_str).unwrap_or_default();
            self.current().add_row(vec![h, v]);
        } else if !headers.is_empty() {
            let row = headers
                .iter()
                .map(|h| map.get(h).map(py_str).unwrap_or_default())
                .collect();
            self.current().add_header(headers);
            self.current().add_row(row);
        }
        for k in more {
            if let Some(v) = map.get(&k) {
                self.build(Some(&k), v, indent + 1);
            }
        }
    }

    fn sub_table_from_list(&mut self, list: &[Value], indent: usize, title: &str) {
        let mut headers: Vec<String> = Vec::new();
        let mut more: Vec<String> = Vec::new();
        for item in list {
            if let Value::Object(m) = item {
                let (h, r) = group_scalar_keys(m);
                for x in h {
                    if !headers.contains(&x) {
                        headers.push(x);
                    }
                }
                for x in r {
                    if !more.contains(&x) {
                        more.push(x);
                    }
                }
            }
        }
        headers.sort();
        more.sort();
        self.current().add_header(headers.clone());
        let mut first = true;
        for el in list {
            if !first && !more.is_empty() {
                self.new_section(title, indent);
                self.current().add_header(headers.clone());
            }
            first = false;
            let obj = el.as_object();
            let row = headers
                .iter()
                .map(|h| obj.and_then(|m| m.get(h)).map(py_str).unwrap_or_default())
                .collect();
            self.current().add_row(row);
            for k in &more {
                if let Some(v) = obj.and_then(|m| m.get(k)) {
                    self.build(Some(k), v, indent + 1);
                }
            }
        }
    }

    fn max_width(&self) -> usize {
        self.sections
            .iter()
            .map(|s| s.total_width(4, s.indent))
            .max()
            .unwrap_or(0)
    }

    fn render(mut self, terminal_width: usize) -> String {
        let mut max_width = self.max_width();
        if max_width > terminal_width {
            for s in &mut self.sections {
                if s.rows.len() == 1 && !s.headers.is_empty() {
                    let row = s.rows.pop().unwrap_or_default();
                    let headers = std::mem::take(&mut s.headers);
                    s.max_widths.clear();
                    for (h, e) in headers.into_iter().zip(row) {
                        s.add_row(vec![h, e]);
                    }
                }
            }
            max_width = self.max_width();
        }
        let mut out = format!("{}\n", "-".repeat(max_width));
        for s in &self.sections {
            let mut lines: Vec<String> = Vec::new();
            let width = max_width.saturating_sub(s.indent * 2);
            if !s.title.is_empty() {
                lines.push(center_text(&s.title, width, "|", "|"));
                if s.headers.is_empty() && s.rows.is_empty() {
                    lines.push(format!("+{}+", "-".repeat(width.saturating_sub(2))));
                }
            }
            let widths = s.column_widths(4, width);
            if !s.headers.is_empty() {
                lines.push(line_break(&widths));
                let mut cur = String::new();
                for (i, (w, h)) in widths.iter().zip(&s.headers).enumerate() {
                    cur.push_str(&center_text(h, *w, if i == 0 { "|" } else { "" }, "|"));
                }
                lines.push(cur);
            }
            if !s.rows.is_empty() && !widths.is_empty() {
                lines.push(line_break(&widths));
                for row in &s.rows {
                    let mut cur = String::new();
                    for (i, (w, el)) in widths.iter().zip(row).enumerate() {
                        cur.push_str(&align_left(el, *w, if i == 0 { "|" } else { "" }, "|"));
                    }
                    lines.push(cur);
                }
                lines.push(line_break(&widths));
            }
            let edge = "|".repeat(s.indent);
            for l in lines {
                out.push_str(&format!("{edge}{l}{edge}\n"));
            }
        }
        out
    }
}

fn line_break(widths: &[usize]) -> String {
    let mut s = String::new();
    for (i, w) in widths.iter().enumerate() {
        if i == 0 {
            s.push_str(&format!("+{}+", "-".repeat(w.saturating_sub(2))));
        } else {
            s.push_str(&format!("{}+", "-".repeat(w.saturating_sub(1))));
        }
    }
    s
}

fn group_scalar_keys(map: &serde_json::Map<String, Value>) -> (Vec<String>, Vec<String>) {
    let mut headers: Vec<String> = Vec::new();
    let mut more: Vec<String> = Vec::new();
    for (k, v) in map {
        if is_scalar(v) {
            headers.push(k.clone());
        } else {
            more.push(k.clone());
        }
    }
    headers.sort();
    more.sort();
    (headers, more)
}

/// aws-cli's `table` format (`awscli/table.py` `MultiTable`), for a terminal `width` wide
/// (aws-cli uses 80 when output is not a terminal).
pub fn table(title: &str, value: &Value, width: usize) -> String {
    let mut t = Table::default();
    if !t.build(Some(title), value, 0) {
        return String::new();
    }
    t.render(width)
}
