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
//!
//! One concern per file: this file holds the entry points and scalar JSON; `resolve` the
//! implicit types a plain scalar reads back as; `analyze` libyaml's scalar analysis; `emitter`
//! libyaml's block emitter.

use serde_json::Value;

mod analyze;
mod emitter;
mod resolve;

use emitter::Emitter;

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

#[cfg(test)]
mod tests;
