//! Implicit types: what a plain scalar reads back as under YAML 1.2, so the emitter quotes
//! strings that would change type (`'true'`, `'111122223333'`, `''`).

/// The type a plain scalar reads back as under YAML 1.2 (ruamel's `VersionedResolver`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Str,
    Int,
    Float,
    Bool,
    Null,
    Timestamp,
    Other,
}

pub(super) fn resolve(s: &str) -> Kind {
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
