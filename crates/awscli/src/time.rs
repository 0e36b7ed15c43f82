//! Civil time for the simulated clock (UTC only): ISO 8601 output and input, and `400d`-style
//! durations for `lab clock advance`.

use cloud::env::{civil_from_days, days_from_civil};

/// Epoch milliseconds → `2026-11-22T20:00:59.123000+00:00`, the way aws-cli v2 prints
/// timestamps (Python's `isoformat()`, microseconds only when non-zero).
pub fn iso8601(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let frac = ms.rem_euclid(1000);
    let (y, mo, d) = civil_from_days(secs.div_euclid(86_400));
    let sod = secs.rem_euclid(86_400);
    let base = format!(
        "{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}",
        sod / 3600,
        sod % 3600 / 60,
        sod % 60
    );
    if frac == 0 {
        format!("{base}+00:00")
    } else {
        format!("{base}.{:06}+00:00", frac * 1000)
    }
}

/// Parses a timestamp argument as aws-cli accepts it: epoch seconds, or ISO 8601
/// (`2026-01-31`, `2026-01-31T10:00:00Z`, `2026-01-31T10:00:00.5+00:00`). Returns epoch ms.
pub fn parse_timestamp(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Ok(n) = s.parse::<f64>() {
        return n.is_finite().then(|| (n * 1000.0).round() as i64);
    }
    let num = |t: &str| -> Option<i64> {
        if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        t.parse().ok()
    };
    let (date, rest) = match s.split_once(['T', ' ']) {
        Some((d, r)) => (d, r),
        None => (s, ""),
    };
    let mut dp = date.splitn(3, '-');
    let y = num(dp.next()?)?;
    let mo = u32::try_from(num(dp.next()?)?).ok()?;
    let d = u32::try_from(num(dp.next()?)?).ok()?;
    // Python's datetime range; also keeps the arithmetic below far from overflow.
    if !(1..=9999).contains(&y) || !(1..=12).contains(&mo) || !(1..=31).contains(&d) {
        return None;
    }
    let mut ms = days_from_civil(y, mo, d) * 86_400_000;
    if rest.is_empty() {
        return Some(ms);
    }
    let (time, offset_ms) = if let Some(t) = rest.strip_suffix('Z') {
        (t, 0)
    } else if let Some(i) = rest.rfind(['+', '-']) {
        let (t, off) = rest.split_at(i);
        let sign = if off.starts_with('-') { -1 } else { 1 };
        let off = off.get(1..)?.replace(':', "");
        let h = num(off.get(..2)?)?;
        let m = num(off.get(2..).filter(|x| !x.is_empty()).unwrap_or("0"))?;
        if h > 23 || m > 59 {
            return None;
        }
        (t, sign * (h * 3600 + m * 60) * 1000)
    } else {
        (rest, 0)
    };
    let mut tp = time.splitn(3, ':');
    let h = num(tp.next()?)?;
    let mi = tp.next().map_or(Some(0), num)?;
    let sec_part = tp.next().unwrap_or("0");
    let (sec, frac) = sec_part.split_once('.').unwrap_or((sec_part, ""));
    let sec = num(sec)?;
    let frac_ms = if frac.is_empty() {
        0
    } else {
        let f: String = frac.chars().chain("000".chars()).take(3).collect();
        num(&f)?
    };
    if h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    ms += (h * 3600 + mi * 60 + sec) * 1000 + frac_ms - offset_ms;
    Some(ms)
}

/// Parses `400d`, `90m`, `1d12h`, `30s` into milliseconds.
pub fn parse_duration(s: &str) -> Option<i64> {
    let mut total: i64 = 0;
    let mut digits = String::new();
    let mut any = false;
    for c in s.trim().chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let unit: i64 = match c {
            's' => 1000,
            'm' => 60_000,
            'h' => 3_600_000,
            'd' => 86_400_000,
            _ => return None,
        };
        let n: i64 = digits.parse().ok()?;
        total = total.checked_add(n.checked_mul(unit)?)?;
        digits.clear();
        any = true;
    }
    if !digits.is_empty() || !any {
        return None;
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_round_trip() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00+00:00");
        assert_eq!(
            iso8601(1_795_377_659_123),
            "2026-11-22T20:00:59.123000+00:00"
        );
        assert_eq!(
            parse_timestamp("2026-11-22T20:00:59.123Z"),
            Some(1_795_377_659_123)
        );
        assert_eq!(
            parse_timestamp("2026-11-22T21:00:59.123+01:00"),
            Some(1_795_377_659_123)
        );
        assert_eq!(parse_timestamp("1795377659.123"), Some(1_795_377_659_123));
        assert_eq!(parse_timestamp("2024-02-29"), Some(1_709_164_800_000));
        assert_eq!(parse_timestamp("yesterday"), None);
        assert_eq!(parse_timestamp("2024-13-01"), None);
        assert_eq!(parse_timestamp("999999999999999999-01-01"), None);
        assert_eq!(
            parse_timestamp("2024-01-01T00:00:00+00:99999999999999999"),
            None
        );
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("400d"), Some(400 * 86_400_000));
        assert_eq!(parse_duration("90m"), Some(5_400_000));
        assert_eq!(parse_duration("1d12h"), Some(129_600_000));
        assert_eq!(parse_duration("10"), None);
        assert_eq!(parse_duration("5x"), None);
        assert_eq!(parse_duration(""), None);
        assert_eq!(parse_duration("99999999999999999999d"), None);
    }
}
