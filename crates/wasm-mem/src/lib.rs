//! `memcmp` and `bcmp` for wasm32, eight bytes at a time.
//!
//! On `wasm32-unknown-unknown` the C memory functions come from `compiler-builtins`, whose
//! `memcmp` compares one byte per loop turn. Every `str` and slice comparison the engine makes
//! (map lookups by key id and ARN, the audit's shared texts, member names) ends there, about a
//! fourteenth of a KMS call's time in the browser. `compiler-builtins` defines them as weak
//! symbols, so these strong definitions take their place when this crate is linked (`use
//! wasm_mem as _;`). Other targets (WASI and Emscripten included: their C library defines
//! `memcmp` strongly) get nothing from this crate.
//!
//! [`compare`]'s loop exits at the first differing word, a shape the compiler does not turn
//! back into a call to `memcmp` (which would recurse). The crate is not `#![no_builtins]`: such a
//! crate stays out of link-time optimisation, and in it the comparison can be inlined where it
//! is called.

#![no_std]

/// The sign of the first difference of `a` and `b`, which have the same length (C's `memcmp`
/// compares `n` bytes of each), as unsigned bytes: negative, zero or positive.
#[cfg(any(test, all(target_arch = "wasm32", target_os = "unknown")))]
#[inline]
fn compare(a: &[u8], b: &[u8]) -> i32 {
    debug_assert_eq!(a.len(), b.len());
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + 8 <= n {
        let (Some(x), Some(y)) = (word(a, i), word(b, i)) else {
            break;
        };
        if x != y {
            return if x < y { -1 } else { 1 };
        }
        i += 8;
    }
    while i < n {
        let (Some(x), Some(y)) = (a.get(i), b.get(i)) else {
            break;
        };
        if x != y {
            return i32::from(*x) - i32::from(*y);
        }
        i += 1;
    }
    0
}

/// The eight bytes at `at`, big-endian (so words order as their bytes do).
#[cfg(any(test, all(target_arch = "wasm32", target_os = "unknown")))]
#[inline(always)]
fn word(bytes: &[u8], at: usize) -> Option<u64> {
    let w: [u8; 8] = bytes.get(at..at + 8)?.try_into().ok()?;
    Some(u64::from_be_bytes(w))
}

/// C's `memcmp`.
///
/// # Safety
/// `a` and `b` each point to `n` readable bytes (any pointer when `n` is 0).
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
#[allow(
    unsafe_code,
    reason = "the C memory function's contract: raw pointers and a length"
)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn memcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    if n == 0 {
        return 0;
    }
    // SAFETY: the caller's contract: `n` readable bytes at each (and `n` > 0, so neither is
    // null).
    let (a, b) = unsafe {
        (
            core::slice::from_raw_parts(a, n),
            core::slice::from_raw_parts(b, n),
        )
    };
    compare(a, b)
}

/// C's `bcmp`: zero when the bytes are equal ([`memcmp`]'s answer serves).
///
/// # Safety
/// As [`memcmp`].
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
#[allow(
    unsafe_code,
    reason = "the C memory function's contract: raw pointers and a length"
)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    // SAFETY: the same contract.
    unsafe { memcmp(a, b, n) }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::compare;
    use std::vec::Vec;

    fn sign(o: core::cmp::Ordering) -> i32 {
        o as i32
    }

    #[test]
    fn orders_as_slices_do() {
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for len in 0..40usize {
            for _ in 0..300 {
                let a: Vec<u8> = (0..len).map(|_| (next() % 4) as u8 * 85).collect();
                let mut b = a.clone();
                // Zero to three changed bytes, anywhere: long equal prefixes, and words whose
                // bytes differ in more than one place (where a word read in the wrong byte
                // order would give the wrong sign).
                if len > 0 {
                    for _ in 0..next() % 4 {
                        let at = (next() as usize) % len;
                        b[at] = (next() % 256) as u8;
                    }
                }
                assert_eq!(compare(&a, &b).signum(), sign(a.cmp(&b)), "{a:?} {b:?}");
                assert_eq!(compare(&b, &a).signum(), sign(b.cmp(&a)), "{b:?} {a:?}");
            }
        }
        assert_eq!(compare(b"abcdefgh\xff", b"abcdefgh\x01"), 0xfe);
        assert!(compare(b"abcdefgz", b"abcdefga") > 0);
        assert!(compare(b"\x00bcdefgh", b"\x80bcdefgh") < 0);
        // The first byte decides, though a later byte of the same word says otherwise.
        assert!(compare(b"\x01\x00abcdef", b"\x00\x01abcdef") > 0);
        assert!(compare(b"abcdefg\x00\x01", b"abcdefg\x01\x00") < 0);
    }
}
