//! Standard padded base64 for blobs, table-driven: fewer instructions per byte than the
//! `base64` engine at the size-optimised opt-level the app ships with. The decoder takes only
//! canonical text (what the `base64` crate's standard engine accepts); anything else is left
//! to that engine, whose answer (and error) stays the one reported.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Not a base64 symbol.
const INVALID: u8 = 0xff;

/// Each byte's 6-bit value, or [`INVALID`].
const VALUES: [u8; 256] = {
    let mut t = [INVALID; 256];
    let mut i = 0;
    while i < 64 {
        t[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    t
};

/// The padded text length of `n` bytes.
pub(crate) const fn encoded_len(n: usize) -> usize {
    n.div_ceil(3) * 4
}

fn symbol(v: u32) -> u8 {
    ALPHABET[(v & 63) as usize]
}

/// Writes the padded base64 text of `bytes` at the start of `out`; `None` if `out` is shorter
/// than [`encoded_len`].
#[cfg_attr(wasm_speed, optimize(speed))]
pub(crate) fn encode_into<'o>(bytes: &[u8], out: &'o mut [u8]) -> Option<&'o [u8]> {
    let len = encoded_len(bytes.len());
    let text = out.get_mut(..len)?;
    // Six bytes (eight symbols) at a time from one 64-bit word, then the rest by triples.
    let (sixes, rest) = bytes.as_chunks::<6>();
    let (head, tail) = text.split_at_mut_checked(sixes.len() * 8)?;
    let (eights, _) = head.as_chunks_mut::<8>();
    for (&[a, b, c, d, e, f], o) in sixes.iter().zip(eights.iter_mut()) {
        let n = u64::from_be_bytes([a, b, c, d, e, f, 0, 0]);
        let at = |shift: u32| ALPHABET[((n >> shift) & 63) as usize];
        *o = [
            at(58),
            at(52),
            at(46),
            at(40),
            at(34),
            at(28),
            at(22),
            at(16),
        ];
    }
    encode_triples(rest, tail);
    Some(text)
}

/// [`encode_into`] of `bytes` into `text`, exactly [`encoded_len`] long, by triples.
#[cfg_attr(wasm_speed, optimize(speed))]
fn encode_triples(bytes: &[u8], text: &mut [u8]) {
    let (triples, rest) = bytes.as_chunks::<3>();
    let (quads, last) = text.as_chunks_mut::<4>();
    for (&[a, b, c], q) in triples.iter().zip(quads.iter_mut()) {
        let n = u32::from(a) << 16 | u32::from(b) << 8 | u32::from(c);
        *q = [symbol(n >> 18), symbol(n >> 12), symbol(n >> 6), symbol(n)];
    }
    // `last` is empty: the remainder's quad is the last of `quads`.
    debug_assert!(last.is_empty());
    let tail = match *rest {
        [a] => {
            let n = u32::from(a) << 16;
            Some([symbol(n >> 18), symbol(n >> 12), b'=', b'='])
        }
        [a, b] => {
            let n = u32::from(a) << 16 | u32::from(b) << 8;
            Some([symbol(n >> 18), symbol(n >> 12), symbol(n >> 6), b'='])
        }
        _ => None,
    };
    if let (Some(tail), Some(q)) = (tail, quads.last_mut()) {
        *q = tail;
    }
}

/// The padded base64 text of `bytes`, as a `String` of exactly its length.
#[allow(
    clippy::slow_vector_initialization,
    reason = "measured: `vec![0; n]` is glibc's calloc, about twice malloc + memset here"
)]
#[cfg_attr(wasm_speed, optimize(speed))]
pub(crate) fn encode_string(bytes: &[u8]) -> Option<String> {
    // Allocated, then zeroed (`vec![0; n]` asks the allocator for zeroed memory, dearer).
    let mut text = Vec::with_capacity(encoded_len(bytes.len()));
    text.resize(encoded_len(bytes.len()), 0);
    encode_into(bytes, &mut text)?;
    String::from_utf8(text).ok()
}

/// The 24 bits of four symbols; `None` if one is not a base64 symbol.
#[cfg_attr(wasm_speed, optimize(speed))]
fn quad([a, b, c, d]: [u8; 4]) -> Option<u32> {
    // Four plain lookups (`array::map` is a loop with a drop guard at opt-level "z").
    let value = |s: u8| VALUES[usize::from(s)];
    let (a, b, c, d) = (value(a), value(b), value(c), value(d));
    // Every valid value is below 64; INVALID has its high bit set.
    if (a | b | c | d) & 0x80 != 0 {
        return None;
    }
    Some(u32::from(a) << 18 | u32::from(b) << 12 | u32::from(c) << 6 | u32::from(d))
}

/// The bytes of canonical padded base64 `text`; `None` for any other text (which the `base64`
/// crate then judges).
#[allow(
    clippy::slow_vector_initialization,
    reason = "measured: `vec![0; n]` is glibc's calloc, about twice malloc + memset here"
)]
#[cfg_attr(wasm_speed, optimize(speed))]
pub(crate) fn decode_canonical(text: &[u8]) -> Option<Vec<u8>> {
    let (quads, rest) = text.as_chunks::<4>();
    let Some((&last, body)) = quads.split_last() else {
        return rest.is_empty().then(Vec::new);
    };
    if !rest.is_empty() {
        return None;
    }
    // The last quad: its padding, and the bits after the last byte, which must be zero (no
    // trailing bits), as the standard engine requires.
    let (n, pad) = match last {
        [a, b, b'=', b'='] => (quad([a, b, b'A', b'A'])?, 2),
        [a, b, c, b'='] => (quad([a, b, c, b'A'])?, 1),
        _ => (quad(last)?, 0),
    };
    let unused = match pad {
        2 => n & 0xffff,
        1 => n & 0xff,
        _ => 0,
    };
    if unused != 0 {
        return None;
    }
    let full = body.len() * 3;
    let mut out = Vec::with_capacity(full + 3 - pad);
    out.resize(full + 3 - pad, 0);
    let (head, tail) = out.split_at_mut(full);
    let (triples, _) = head.as_chunks_mut::<3>();
    for (&q, o) in body.iter().zip(triples.iter_mut()) {
        let n = quad(q)?;
        *o = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
    }
    let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
    tail.copy_from_slice(bytes.get(..3 - pad)?);
    Some(out)
}

#[cfg(test)]
mod tests {
    use base64::Engine as _;

    use super::{decode_canonical, encode_into, encoded_len};

    const STANDARD: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

    #[test]
    fn encodes_as_the_standard_engine() {
        let mut buf = vec![0u8; 8200];
        for len in (0..=300).chain([767, 768, 769, 4096, 6144]) {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 131 + len * 7) as u8).collect();
            let got = encode_into(&bytes, &mut buf).unwrap();
            assert_eq!(got, STANDARD.encode(&bytes).as_bytes(), "{len} bytes");
            assert_eq!(got.len(), encoded_len(len));
        }
        assert!(encode_into(b"abcd", &mut [0u8; 7]).is_none());
        assert_eq!(encode_into(b"abcd", &mut [0u8; 8]).unwrap(), b"YWJjZA==");
    }

    /// Whatever the fast decoder accepts, the standard engine decodes to the same bytes; what
    /// the engine accepts, the fast decoder accepts too (so it is never slower on valid text).
    #[test]
    fn decodes_as_the_standard_engine() {
        let mut texts: Vec<Vec<u8>> = Vec::new();
        for len in 0..=70 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + len) as u8).collect();
            texts.push(STANDARD.encode(&bytes).into_bytes());
        }
        // Every one- and two-symbol change of short texts, and every last quad.
        let symbols = b"AQgwBCDE/+=az09-_ .\n\x00\xff";
        for base in [&b"QUJD"[..], b"QUI=", b"QQ==", b"QUJDRA==", b"QUJDREU="] {
            for i in 0..base.len() {
                for &s in symbols {
                    let mut t = base.to_vec();
                    t[i] = s;
                    texts.push(t.clone());
                    for j in 0..base.len() {
                        for &s2 in b"A=Q/" {
                            let mut t2 = t.clone();
                            t2[j] = s2;
                            texts.push(t2);
                        }
                    }
                }
            }
        }
        for a in 0..=255u8 {
            for b in [b'A', b'B', b'Q', b'g', b'=', b'/'] {
                texts.push(vec![b'Q', a, b, b'=']);
                texts.push(vec![b'Q', a, b'=', b'=']);
                texts.push(vec![a, b, b'=', b'=']);
            }
        }
        texts.extend([&b"QUJ"[..], b"Q", b"====", b"QUJDR", b"QU=D", b"=QUJ"].map(<[u8]>::to_vec));
        for t in &texts {
            let engine = STANDARD.decode(t).ok();
            let fast = decode_canonical(t);
            if let Some(f) = &fast {
                assert_eq!(Some(f), engine.as_ref(), "{:?}", String::from_utf8_lossy(t));
            }
            assert_eq!(
                fast.is_some(),
                engine.is_some(),
                "{:?}",
                String::from_utf8_lossy(t)
            );
        }
    }
}
