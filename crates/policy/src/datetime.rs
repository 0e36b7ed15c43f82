//! Dates for the `Date…` condition operators: ISO 8601 (W3C profile) or
//! epoch seconds, as in
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Date>.
//! Values are compared as milliseconds since the Unix epoch. No clock is read.

/// Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Inverse of [`days_from_civil`].
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Formats epoch seconds as `YYYY-MM-DDThh:mm:ssZ`.
pub(crate) fn format_iso8601(epoch_seconds: i64) -> String {
    let days = epoch_seconds.div_euclid(86_400);
    let secs = epoch_seconds.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// Fixed-width decimal number at `s[range]`.
fn num(s: &str, from: usize, len: usize) -> Option<i64> {
    let part = s.get(from..from + len)?;
    if !part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    part.parse().ok()
}

/// Parses an ISO 8601 date/time or integer epoch seconds into epoch milliseconds.
///
/// Accepted: `2026-01-31`, `2026-01-31T12:30Z`, `2026-01-31T12:30:00Z`,
/// `2026-01-31T12:30:00.123Z`, offsets `+02:00` / `-0530`, no zone (UTC),
/// and `1767225600`.
pub(crate) fn parse_millis(s: &str) -> Option<i64> {
    let s = s.trim();
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse::<i64>().ok()?.checked_mul(1000);
    }
    let (y, m, d) = (num(s, 0, 4)?, num(s, 5, 2)?, num(s, 8, 2)?);
    if s.get(4..5)? != "-" || s.get(7..8)? != "-" {
        return None;
    }
    if !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
        return None;
    }
    let mut millis = days_from_civil(y, m, d) * 86_400_000;
    let rest = s.get(10..)?;
    if rest.is_empty() {
        return Some(millis);
    }
    let time = rest.strip_prefix('T').or_else(|| rest.strip_prefix('t'))?;
    let (hh, mm) = (num(time, 0, 2)?, num(time, 3, 2)?);
    if time.get(2..3)? != ":" || hh > 23 || mm > 59 {
        return None;
    }
    let mut rest = time.get(5..)?;
    let mut ss = 0;
    let mut frac_ms = 0;
    if let Some(after) = rest.strip_prefix(':') {
        ss = num(after, 0, 2)?;
        if ss > 60 {
            return None;
        }
        rest = after.get(2..)?;
        if let Some(frac) = rest.strip_prefix('.') {
            let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return None;
            }
            let padded: String = frac
                .chars()
                .take(digits)
                .chain("000".chars())
                .take(3)
                .collect();
            frac_ms = padded.parse::<i64>().ok()?;
            rest = frac.get(digits..)?;
        }
    }
    let offset_minutes = match rest {
        "" | "Z" | "z" => 0,
        _ => {
            let sign = match rest.get(..1)? {
                "+" => 1,
                "-" => -1,
                _ => return None,
            };
            let body = rest.get(1..)?;
            let (oh, om) = match body.len() {
                5 if body.get(2..3)? == ":" => (num(body, 0, 2)?, num(body, 3, 2)?),
                4 => (num(body, 0, 2)?, num(body, 2, 2)?),
                2 => (num(body, 0, 2)?, 0),
                _ => return None,
            };
            sign * (oh * 60 + om)
        }
    };
    millis += ((hh * 60 + mm - offset_minutes) * 60 + ss) * 1000 + frac_ms;
    Some(millis)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_forms() {
        assert_eq!(parse_millis("1970-01-01"), Some(0));
        assert_eq!(parse_millis("1970-01-01T00:00:01Z"), Some(1000));
        assert_eq!(parse_millis("1970-01-01T00:00:01.5Z"), Some(1500));
        assert_eq!(parse_millis("1970-01-01T01:00:00+01:00"), Some(0));
        assert_eq!(parse_millis("1970-01-01T00:00-0030"), Some(1_800_000));
        assert_eq!(parse_millis("86400"), Some(86_400_000));
        assert_eq!(
            parse_millis("2026-11-22T20:00:00Z"),
            parse_millis("1795377600")
        );
    }

    #[test]
    fn rejects_garbage() {
        for bad in [
            "",
            "yesterday",
            "2026-13-01",
            "2026-02-30",
            "2026-01-01T25:00Z",
            "2026-01-01X",
        ] {
            assert_eq!(parse_millis(bad), None, "{bad}");
        }
        assert!(parse_millis("2024-02-29").is_some());
        assert!(parse_millis("2023-02-29").is_none());
    }

    #[test]
    fn format_round_trips() {
        for secs in [0, 951_782_400, 1_795_377_600, -86_400] {
            let iso = format_iso8601(secs);
            assert_eq!(parse_millis(&iso), Some(secs * 1000), "{iso}");
        }
        assert_eq!(format_iso8601(1_795_377_600), "2026-11-22T20:00:00Z");
    }
}
