//! The injected environment: simulated time and the seeded random source.

use rand_chacha::ChaCha20Rng;
use rand_core::{RngCore, SeedableRng};
use serde::{Deserialize, Serialize};

/// Milliseconds in one day.
pub(crate) const DAY_MS: i64 = 86_400_000;

/// The world's random source: a seeded ChaCha20 stream, serialised with the world.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct WorldRng {
    inner: ChaCha20Rng,
}

impl rand_core::RngCore for WorldRng {
    fn next_u32(&mut self) -> u32 {
        self.inner.next_u32()
    }
    fn next_u64(&mut self) -> u64 {
        self.inner.next_u64()
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        self.inner.fill_bytes(dest);
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
        self.inner.try_fill_bytes(dest)
    }
}

impl rand_core::CryptoRng for WorldRng {}

impl WorldRng {
    pub(crate) fn new(seed: u64) -> Self {
        Self {
            inner: ChaCha20Rng::seed_from_u64(seed),
        }
    }

    pub(crate) fn fill(&mut self, out: &mut [u8]) {
        self.inner.fill_bytes(out);
    }

    pub(crate) fn bytes(&mut self, n: usize) -> Vec<u8> {
        let mut v = vec![0u8; n];
        self.fill(&mut v);
        v
    }

    #[cfg_attr(wasm_speed, optimize(speed))]
    pub(crate) fn array<const N: usize>(&mut self) -> [u8; N] {
        let mut a = [0u8; N];
        self.fill(&mut a);
        a
    }

    /// A random (version 4) UUID in its lowercase hyphenated form.
    pub(crate) fn uuid(&mut self) -> String {
        self.uuid_id().as_str().to_owned()
    }

    /// [`WorldRng::uuid`] without an allocation: the same draw, its text kept inline.
    pub(crate) fn uuid_id(&mut self) -> IdText {
        let mut b: [u8; 16] = self.array();
        b[6] = (b[6] & 0x0f) | 0x40;
        b[8] = (b[8] & 0x3f) | 0x80;
        IdText::Uuid(uuid_bytes(&b))
    }

    /// `n` random lowercase hex digits.
    pub(crate) fn hex(&mut self, n: usize) -> String {
        let mut s = hex(&self.bytes(n.div_ceil(2)));
        s.truncate(n);
        s
    }

    /// An IAM-style unique id: `prefix` followed by characters from `A-Z2-7`, `len` in total.
    pub(crate) fn iam_id(&mut self, prefix: &str, len: usize) -> String {
        const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        let mut s = prefix.to_owned();
        while s.len() < len {
            let [b] = self.array::<1>();
            s.push(char::from(ALPHABET[usize::from(b & 31)]));
        }
        s
    }
}

/// Lowercase hex encoding.
pub(crate) fn hex(bytes: &[u8]) -> String {
    let mut out = Vec::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.extend_from_slice(&hex_pair(*b));
    }
    String::from_utf8(out).unwrap_or_default()
}

/// The two lowercase hex digits of a byte.
#[cfg_attr(wasm_speed, optimize(speed))]
fn hex_pair(b: u8) -> [u8; 2] {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    [DIGITS[usize::from(b >> 4)], DIGITS[usize::from(b & 15)]]
}

/// An id's text (an event's `eventID`, a `requestID`): a drawn UUID kept inline (no
/// allocation), or any other text. Compared, printed (`Debug` as a string) and serialised as
/// its text.
#[derive(Clone)]
pub(crate) enum IdText {
    /// The 36 ASCII characters of a UUID ([`uuid_bytes`]).
    Uuid([u8; 36]),
    /// Any other id.
    Text(String),
}

impl IdText {
    pub(crate) fn as_str(&self) -> &str {
        match self {
            Self::Uuid(b) => std::str::from_utf8(b).unwrap_or_default(),
            Self::Text(s) => s,
        }
    }
}

impl PartialEq for IdText {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for IdText {}

impl std::fmt::Debug for IdText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl serde::Serialize for IdText {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for IdText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Self::Text)
    }
}

impl From<String> for IdText {
    fn from(s: String) -> Self {
        Self::Text(s)
    }
}

impl std::fmt::Display for IdText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The hyphenated form of 16 bytes (`8-4-4-4-12` lowercase hex digits).
pub(crate) fn uuid_text(b: &[u8; 16]) -> String {
    String::from_utf8(uuid_bytes(b).to_vec()).unwrap_or_default()
}

/// [`uuid_text`]'s characters (ASCII).
#[cfg_attr(wasm_speed, optimize(speed))]
pub(crate) fn uuid_bytes(b: &[u8; 16]) -> [u8; 36] {
    /// Where each byte's two digits go (the hyphens stay at 8, 13, 18 and 23).
    const AT: [usize; 16] = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];
    let mut out = [b'-'; 36];
    for (&byte, &at) in b.iter().zip(AT.iter()) {
        let [hi, lo] = hex_pair(byte);
        if let Some(slot) = out.get_mut(at) {
            *slot = hi;
        }
        if let Some(slot) = out.get_mut(at + 1) {
            *slot = lo;
        }
    }
    out
}

/// Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    (
        y,
        u32::try_from(m).unwrap_or(1),
        u32::try_from(d).unwrap_or(1),
    )
}

/// Days since 1970-01-01 of a civil date.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The calendar month (`YYYY-MM`, UTC) of an instant and the instant the month ends.
pub(crate) fn month_of(ms: i64) -> (String, i64) {
    let (y, m, _) = civil_from_days(ms.div_euclid(DAY_MS));
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    (
        format!("{y:04}-{m:02}"),
        days_from_civil(ny, nm, 1) * DAY_MS,
    )
}

/// Calls `f` with the calendar month of `ms` as [`month_of`] names it (`2026-11`), without
/// allocating for years 0 to 9999.
pub(crate) fn with_month<R>(ms: i64, f: impl FnOnce(&str) -> R) -> R {
    let (y, m, _) = civil_from_days(ms.div_euclid(DAY_MS));
    if let (Ok(y @ 0..=9999), 1..=12) = (u32::try_from(y), m) {
        let digit = |n: u32| b'0' + u8::try_from(n % 10).unwrap_or(0);
        let text = [
            digit(y / 1000),
            digit(y / 100),
            digit(y / 10),
            digit(y),
            b'-',
            digit(m / 10),
            digit(m),
        ];
        if let Ok(month) = std::str::from_utf8(&text) {
            return f(month);
        }
    }
    f(&format!("{y:04}-{m:02}"))
}

/// ISO 8601 UTC with second precision, as CloudTrail writes `eventTime`: `2026-11-22T20:00:00Z`.
pub(crate) fn iso8601(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let sod = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        sod / 3600,
        (sod / 60) % 60,
        sod % 60
    )
}

/// The date format CloudTrail uses inside `responseElements`: `Nov 22, 2026, 8:00:00 PM`.
pub(crate) fn trail_date(ms: i64) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let secs = ms.div_euclid(1000);
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let sod = secs.rem_euclid(86_400);
    let (h, mi, s) = (sod / 3600, (sod / 60) % 60, sod % 60);
    let (h12, ampm) = match h {
        0 => (12, "AM"),
        1..=11 => (h, "AM"),
        12 => (12, "PM"),
        _ => (h - 12, "PM"),
    };
    let month = MONTHS
        .get(usize::try_from(m.saturating_sub(1)).unwrap_or(0))
        .copied()
        .unwrap_or("Jan");
    format!("{month} {d}, {y}, {h12}:{mi:02}:{s:02} {ampm}")
}

/// Parses an ISO 8601 UTC timestamp (`YYYY-MM-DDTHH:MM:SS[.fff]Z`) or epoch seconds into epoch ms.
pub(crate) fn parse_time(text: &str) -> Option<i64> {
    if let Ok(secs) = text.parse::<f64>() {
        // Truncation is intended: sub-millisecond precision is not modelled.
        #[expect(clippy::cast_possible_truncation, reason = "epoch seconds to ms")]
        return Some((secs * 1000.0) as i64);
    }
    let t = text.trim_end_matches('Z');
    let (date, time) = t.split_once('T').unwrap_or((t, "00:00:00"));
    let mut dp = date.split('-');
    let y: i64 = dp.next()?.parse().ok()?;
    let mo: u32 = dp.next()?.parse().ok()?;
    let d: u32 = dp.next()?.parse().ok()?;
    let (hms, frac) = time.split_once('.').unwrap_or((time, "0"));
    let mut tp = hms.split(':');
    let h: i64 = tp.next()?.parse().ok()?;
    let mi: i64 = tp.next().unwrap_or("0").parse().ok()?;
    let s: i64 = tp.next().unwrap_or("0").parse().ok()?;
    let frac_ms: i64 = format!("{:0<3}", frac.get(..3).unwrap_or(frac))
        .parse()
        .ok()?;
    // Bounded so the arithmetic below cannot overflow on hostile input.
    if !(1..=9999).contains(&y)
        || !(1..=12).contains(&mo)
        || !(1..=31).contains(&d)
        || !(0..24).contains(&h)
        || !(0..60).contains(&mi)
        || !(0..=60).contains(&s)
    {
        return None;
    }
    Some(((days_from_civil(y, mo, d) * 86_400) + h * 3600 + mi * 60 + s) * 1000 + frac_ms)
}

/// Epoch seconds as the AWS JSON protocol writes timestamps (a number with millisecond precision).
pub(crate) fn epoch_seconds(ms: i64) -> serde_json::Value {
    #[expect(clippy::cast_precision_loss, reason = "ms timestamps fit f64 exactly")]
    let secs = ms as f64 / 1000.0;
    serde_json::Number::from_f64(secs).map_or(serde_json::Value::Null, serde_json::Value::Number)
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn iso_round_trip() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso8601(1_795_377_600_000), "2026-11-22T20:00:00Z");
        assert_eq!(parse_time("2026-11-22T20:00:00Z"), Some(1_795_377_600_000));
        assert_eq!(
            parse_time("2024-02-29T12:34:56.789Z"),
            Some(1_709_210_096_789)
        );
        assert_eq!(iso8601(1_709_210_096_789), "2024-02-29T12:34:56Z");
        assert_eq!(parse_time("99999999999999999-01-01T00:00:00Z"), None);
        assert_eq!(parse_time("2026-13-01T00:00:00Z"), None);
        assert_eq!(parse_time("garbage"), None);
        assert_eq!(trail_date(1_795_377_600_000), "Nov 22, 2026, 8:00:00 PM");
        assert_eq!(trail_date(0), "Jan 1, 1970, 12:00:00 AM");
        assert_eq!(trail_date(43_200_000), "Jan 1, 1970, 12:00:00 PM");
    }

    #[test]
    fn uuid_shape() {
        let mut r = WorldRng::new(7);
        let u = r.uuid();
        assert_eq!(u.len(), 36);
        assert_eq!(u.as_bytes()[14], b'4');
        assert!(r.iam_id("AIDA", 21).starts_with("AIDA"));
    }

    /// The table-driven hex and UUID text is what `format!("{b:02x}")` gave.
    #[test]
    fn hex_and_uuid_text_match_fmt() {
        let mut r = WorldRng::new(3);
        for _ in 0..1000 {
            let b: [u8; 16] = r.array();
            let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
            assert_eq!(hex(&b), h);
            let expected = format!(
                "{}-{}-{}-{}-{}",
                &h[0..8],
                &h[8..12],
                &h[12..16],
                &h[16..20],
                &h[20..32]
            );
            assert_eq!(uuid_text(&b), expected);
            assert_eq!(std::str::from_utf8(&uuid_bytes(&b)), Ok(expected.as_str()));
        }
        assert_eq!(hex(&[]), "");
    }

    /// `uuid_id` draws what `uuid` draws and reads as the same text.
    #[test]
    fn uuid_id_is_uuid_without_the_allocation() {
        let (mut a, mut b) = (WorldRng::new(11), WorldRng::new(11));
        for _ in 0..1000 {
            let id = b.uuid_id();
            let text = a.uuid();
            assert_eq!(id.as_str(), text);
            assert_eq!(id.to_string(), text);
            assert_eq!(IdText::from(text.clone()).as_str(), text);
        }
        assert_eq!(a.array::<8>(), b.array::<8>());
    }

    /// An `IdText` is serialised, printed and compared as its text, and read back as equal.
    #[test]
    fn id_text_reads_as_its_string() {
        let mut r = WorldRng::new(5);
        for id in [
            r.uuid_id(),
            IdText::from("e-1".to_owned()),
            IdText::from(String::new()),
        ] {
            let text = id.as_str().to_owned();
            let json = serde_json::to_string(&id).unwrap_or_default();
            assert_eq!(json, serde_json::to_string(&text).unwrap_or_default());
            let back: IdText = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(back, id);
            assert_eq!(format!("{id:?}"), format!("{text:?}"));
            assert_eq!(IdText::from(text), id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{DAY_MS, month_of, with_month};

    /// The allocation-free month name is `month_of`'s, before year 0, through the years and
    /// after year 9999.
    #[test]
    fn with_month_names_the_month_as_month_of() {
        let mut days = vec![
            -800_000i64,
            -719_529,
            -719_528,
            -1,
            0,
            1,
            2_932_896,
            2_932_897,
        ];
        days.extend((0..2_000).map(|i| 19_000 + i * 17));
        for d in days {
            let ms = d * DAY_MS + 1;
            assert_eq!(with_month(ms, str::to_owned), month_of(ms).0, "day {d}");
        }
    }
}
