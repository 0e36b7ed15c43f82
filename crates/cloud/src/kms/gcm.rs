//! AES-256-GCM (NIST SP 800-38D, 96-bit nonce, 128-bit tag) for the wasm build's KMS calls.
//!
//! Native builds use the `aes-gcm` crate, whose GHASH runs on the CPU's carry-less multiply.
//! On wasm32 that crate's portable GHASH is its 32-bit one (`polyval`'s backend is chosen by
//! pointer width): eighteen 32×32 products per block, the single largest cost of an Encrypt in
//! the browser. wasm has native 64-bit multiplies, so this module does GHASH with the 64-bit
//! constant-time method instead (BearSSL's `ghash_ctmul64`, as `polyval`'s `soft64` backend
//! implements it: six 64×64 products per block, the key's halves and their bit reversals
//! computed once per key). The block cipher is [`super::aes64`]: the `aes` crate's 64-bit
//! fixslice, four blocks per call, where the crate would run its 32-bit one (two) on wasm32. The
//! tag's mask is encrypted with the first three blocks of keystream, and every call encrypts
//! whole groups of four counter blocks (the unused ones are wiped): one call for a data key, two
//! for a 64-byte Encrypt.
//!
//! The output is byte-for-byte the `aes-gcm` crate's (tested natively against it below).

use super::aes64::{Aes256, Blocks};
use std::cell::Cell;
use zeroize::Zeroize;

const BLOCK: usize = 16;

/// Bytes at the start of the AAD whose GHASH state is kept ([`Gcm::ghash`]): three blocks.
const PREFIX: usize = 48;
// Whole blocks: `absorb` would pad a partial one, and the state would not be the one after it.
const _: () = assert!(PREFIX.is_multiple_of(BLOCK));

/// An AES-256-GCM key: the expanded AES key and GHASH's key, ready for many calls.
pub(crate) struct Gcm {
    aes: Aes256,
    h: HashKey,
    /// The first [`PREFIX`] bytes of the last AAD that had as many, and GHASH's state after
    /// them. A KMS blob's header begins with 48 bytes that every blob of one key material shares
    /// (magic 2, format 1, key id 16 and the first 29 of the material id's 32), so a key's calls
    /// hash them once.
    prefix: Cell<Option<([u8; PREFIX], u128)>>,
}

impl Drop for Gcm {
    fn drop(&mut self) {
        // The state is as sensitive as `H` (from a known AAD, `H` is a root of a polynomial).
        // Wiped where it is stored: `take` would copy it out and leave it.
        if let Some((bytes, state)) = self.prefix.get_mut() {
            state.zeroize();
            bytes.zeroize();
        }
    }
}

/// GHASH's key `H` (as POLYVAL's `mulX(H)`), split into the pieces each product needs.
struct HashKey {
    y0: u64,
    y1: u64,
    y2: u64,
    y0r: u64,
    y1r: u64,
    y2r: u64,
}

impl Drop for HashKey {
    fn drop(&mut self) {
        for word in [
            &mut self.y0,
            &mut self.y1,
            &mut self.y2,
            &mut self.y0r,
            &mut self.y1r,
            &mut self.y2r,
        ] {
            word.zeroize();
        }
    }
}

impl HashKey {
    /// GHASH in POLYVAL's arithmetic (RFC 8452, appendix A): the key is `mulX_POLYVAL` of the
    /// byte-reversed `H`, which as a little-endian number is `H` read big-endian.
    fn new(h: &[u8; BLOCK]) -> Self {
        let v = u128::from_be_bytes(*h);
        let top = v >> 127;
        let v = (v << 1) ^ top ^ (top << 127) ^ (top << 126) ^ (top << 121);
        let (y0, y1) = (v as u64, (v >> 64) as u64);
        let (y0r, y1r) = (y0.reverse_bits(), y1.reverse_bits());
        HashKey {
            y0,
            y1,
            y2: y0 ^ y1,
            y0r,
            y1r,
            y2r: y0r ^ y1r,
        }
    }

    /// `a · H` in POLYVAL's field (Karatsuba over 64-bit halves, bit reversal for the high
    /// halves of the products).
    #[cfg_attr(wasm_speed, optimize(speed))]
    fn mul(&self, a: u128) -> u128 {
        let (a0, a1) = (a as u64, (a >> 64) as u64);
        let (a0r, a1r) = (a0.reverse_bits(), a1.reverse_bits());
        let z0 = bmul64(a0, self.y0);
        let z1 = bmul64(a1, self.y1);
        let mut z2 = bmul64(a0 ^ a1, self.y2);
        let mut z0h = bmul64(a0r, self.y0r);
        let mut z1h = bmul64(a1r, self.y1r);
        let mut z2h = bmul64(a0r ^ a1r, self.y2r);
        z2 ^= z0 ^ z1;
        z2h ^= z0h ^ z1h;
        z0h = z0h.reverse_bits() >> 1;
        z1h = z1h.reverse_bits() >> 1;
        z2h = z2h.reverse_bits() >> 1;
        let v0 = z0;
        let mut v1 = z0h ^ z2;
        let mut v2 = z1 ^ z2h;
        let mut v3 = z1h;
        v2 ^= v0 ^ (v0 >> 1) ^ (v0 >> 2) ^ (v0 >> 7);
        v1 ^= (v0 << 63) ^ (v0 << 62) ^ (v0 << 57);
        v3 ^= v1 ^ (v1 >> 1) ^ (v1 >> 2) ^ (v1 >> 7);
        v2 ^= (v1 << 63) ^ (v1 << 62) ^ (v1 << 57);
        (u128::from(v3) << 64) | u128::from(v2)
    }

    /// Folds `data` into the running hash `s`, zero-padded to whole blocks.
    #[cfg_attr(wasm_speed, optimize(speed))]
    fn absorb(&self, s: &mut u128, data: &[u8]) {
        let mut blocks = data.chunks_exact(BLOCK);
        for block in &mut blocks {
            let mut b = [0u8; BLOCK];
            b.copy_from_slice(block);
            *s = self.mul(*s ^ u128::from_be_bytes(b));
        }
        let rest = blocks.remainder();
        if !rest.is_empty() {
            let mut b = [0u8; BLOCK];
            if let Some(head) = b.get_mut(..rest.len()) {
                head.copy_from_slice(rest);
            }
            *s = self.mul(*s ^ u128::from_be_bytes(b));
        }
    }

    /// GHASH of `aad` and `ciphertext` with their bit lengths, from the state `s` after the
    /// first `skipped` bytes of `aad` (whole blocks), which `aad` no longer holds.
    #[cfg_attr(wasm_speed, optimize(speed))]
    fn ghash_from(&self, mut s: u128, skipped: usize, aad: &[u8], ciphertext: &[u8]) -> u128 {
        self.absorb(&mut s, aad);
        self.absorb(&mut s, ciphertext);
        let bits = |n: usize| (n as u128) * 8;
        self.mul(s ^ ((bits(skipped + aad.len()) << 64) | bits(ciphertext.len())))
    }
}

/// Carry-less product of two 64-bit words, truncated to 64 bits, with integer multiplies on
/// bits four apart (the carries land in the holes and are masked out).
#[cfg_attr(wasm_speed, optimize(speed))]
fn bmul64(x: u64, y: u64) -> u64 {
    const M0: u64 = 0x1111_1111_1111_1111;
    const M1: u64 = 0x2222_2222_2222_2222;
    const M2: u64 = 0x4444_4444_4444_4444;
    const M3: u64 = 0x8888_8888_8888_8888;
    let (x0, x1, x2, x3) = (x & M0, x & M1, x & M2, x & M3);
    let (y0, y1, y2, y3) = (y & M0, y & M1, y & M2, y & M3);
    let m = u64::wrapping_mul;
    let z0 = m(x0, y0) ^ m(x1, y3) ^ m(x2, y2) ^ m(x3, y1);
    let z1 = m(x0, y1) ^ m(x1, y0) ^ m(x2, y3) ^ m(x3, y2);
    let z2 = m(x0, y2) ^ m(x1, y1) ^ m(x2, y0) ^ m(x3, y3);
    let z3 = m(x0, y3) ^ m(x1, y2) ^ m(x2, y1) ^ m(x3, y0);
    (z0 & M0) | (z1 & M1) | (z2 & M2) | (z3 & M3)
}

impl Gcm {
    pub(crate) fn new(key: &[u8; 32]) -> Self {
        let aes = Aes256::new(key);
        let mut h: Blocks = [[0; BLOCK]; 4];
        aes.encrypt4(&mut h);
        let hash = HashKey::new(&h[0]);
        h.zeroize();
        Gcm {
            aes,
            h: hash,
            prefix: Cell::new(None),
        }
    }

    /// XORs `buf` with the keystream from counter 2 on, and returns `E(J0)`, the tag's mask
    /// (counter 1), encrypted in the first group with the first blocks of keystream. `None`
    /// (nothing usable: the caller fails) if a slice were ever not the size it is built to be.
    #[cfg_attr(wasm_speed, optimize(speed))]
    fn apply_keystream(&self, nonce: &[u8; 12], buf: &mut [u8]) -> Option<[u8; BLOCK]> {
        let mut mask = [0u8; BLOCK];
        let mut counter: u32 = 1;
        let mut keystream = buf.chunks_mut(BLOCK);
        // The mask's block, then one block per 16 bytes of `buf`, in groups of four.
        for group in 0..(1 + keystream.len()).div_ceil(4) {
            let mut blocks: Blocks = [[0; BLOCK]; 4];
            for block in blocks.iter_mut() {
                let (n, c) = block.split_at_mut_checked(12)?;
                n.copy_from_slice(nonce);
                c.copy_from_slice(&counter.to_be_bytes());
                counter = counter.wrapping_add(1);
            }
            self.aes.encrypt4(&mut blocks);
            let mut ks = blocks.iter();
            if group == 0 {
                mask = *ks.next()?;
            }
            // `ks` first: `zip` takes from its left side first, and a chunk taken after the
            // group's last block would be lost.
            for (k, chunk) in ks.zip(&mut keystream) {
                for (byte, k) in chunk.iter_mut().zip(k) {
                    *byte ^= k;
                }
            }
            blocks.zeroize();
        }
        Some(mask)
    }

    /// GHASH of `aad` and `ciphertext`, the state after `aad`'s first [`PREFIX`] bytes taken
    /// from the last call when they are the same.
    #[cfg_attr(wasm_speed, optimize(speed))]
    fn ghash(&self, aad: &[u8], ciphertext: &[u8]) -> u128 {
        let Some((head, rest)) = aad.split_first_chunk::<PREFIX>() else {
            return self.h.ghash_from(0, 0, aad, ciphertext);
        };
        let state = match self.prefix.get() {
            Some((bytes, state)) if bytes == *head => state,
            _ => {
                let mut state = 0;
                self.h.absorb(&mut state, head);
                self.prefix.set(Some((*head, state)));
                state
            }
        };
        self.h.ghash_from(state, PREFIX, rest, ciphertext)
    }

    /// Encrypts `buf` in place and returns the tag (`None`: see [`Self::apply_keystream`]).
    #[cfg_attr(wasm_speed, optimize(speed))]
    pub(crate) fn seal_in_place(
        &self,
        nonce: &[u8; 12],
        aad: &[u8],
        buf: &mut [u8],
    ) -> Option<[u8; 16]> {
        let mask = self.apply_keystream(nonce, buf)?;
        Some((u128::from_be_bytes(mask) ^ self.ghash(aad, buf)).to_be_bytes())
    }

    /// Checks the tag at the end of `sealed` and decrypts the rest; `None` when it does not
    /// authenticate (or is shorter than a tag).
    #[cfg_attr(wasm_speed, optimize(speed))]
    pub(crate) fn open(&self, nonce: &[u8; 12], aad: &[u8], sealed: &[u8]) -> Option<Vec<u8>> {
        let split = sealed.len().checked_sub(BLOCK)?;
        let (ciphertext, tag) = sealed.split_at(split);
        let expected = self.ghash(aad, ciphertext);
        let mut plaintext = zeroize::Zeroizing::new(ciphertext.to_vec());
        let mask = self.apply_keystream(nonce, &mut plaintext)?;
        let mut given = [0u8; BLOCK];
        given.copy_from_slice(tag);
        // Constant time: every bit of the difference is folded in before the one test.
        let diff = (u128::from_be_bytes(mask) ^ expected) ^ u128::from_be_bytes(given);
        (diff == 0).then(|| std::mem::take(&mut *plaintext))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aes_gcm::aead::{Aead, AeadInPlace, KeyInit, Payload};
    use aes_gcm::{Aes256Gcm, Key, Nonce};

    /// A deterministic byte stream for the test inputs.
    fn bytes(seed: u64, n: usize) -> Vec<u8> {
        let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect()
    }

    #[test]
    fn seals_and_opens_as_the_aes_gcm_crate() {
        let mut case = 0u64;
        for msg_len in (0..=70).chain([127, 128, 129, 200, 1000]) {
            for aad_len in [0, 1, 15, 16, 17, 63, 64, 120, 300] {
                case += 1;
                let key: [u8; 32] = bytes(case, 32).try_into().unwrap();
                let nonce: [u8; 12] = bytes(case + 7, 12).try_into().unwrap();
                let msg = bytes(case + 13, msg_len);
                let aad = bytes(case + 29, aad_len);
                let reference = Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&key));
                let expected = reference
                    .encrypt(
                        Nonce::from_slice(&nonce),
                        Payload {
                            msg: &msg,
                            aad: &aad,
                        },
                    )
                    .unwrap();
                let gcm = Gcm::new(&key);
                let mut buf = msg.clone();
                let tag = gcm.seal_in_place(&nonce, &aad, &mut buf).unwrap();
                buf.extend_from_slice(&tag);
                assert_eq!(buf, expected, "message {msg_len} B, aad {aad_len} B");
                assert_eq!(gcm.open(&nonce, &aad, &expected).unwrap(), msg);
            }
        }
    }

    #[test]
    fn a_kept_aad_prefix_gives_the_crates_bytes() {
        let key = [3u8; 32];
        let nonce = [5u8; 12];
        let head = bytes(1, 80);
        let mut other = head.clone();
        other[47] ^= 1; // differs in the last byte of the kept prefix
        let mut tail = head.clone();
        tail[48] ^= 1; // differs just after it
        let aads = [
            head.clone(),
            tail,
            head[..48].to_vec(),
            head[..47].to_vec(),
            other,
            head.clone(),
            head[..64].to_vec(),
            Vec::new(),
            head,
        ];
        let gcm = Gcm::new(&key);
        let reference = Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&key));
        for (i, aad) in aads.iter().enumerate() {
            let msg = bytes(40 + i as u64, 64);
            let expected = reference
                .encrypt(Nonce::from_slice(&nonce), Payload { msg: &msg, aad })
                .unwrap();
            let mut buf = msg.clone();
            let tag = gcm.seal_in_place(&nonce, aad, &mut buf).unwrap();
            buf.extend_from_slice(&tag);
            assert_eq!(buf, expected, "aad {i}");
            assert_eq!(gcm.open(&nonce, aad, &expected).unwrap(), msg, "aad {i}");
        }
    }

    #[test]
    fn nist_test_case_16() {
        // GCM spec (McGrew & Viega), test case 16: AES-256, 60-byte message, 20-byte AAD.
        let hex = |s: &str| -> Vec<u8> {
            (0..s.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
                .collect()
        };
        let key: [u8; 32] = hex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308")
            .try_into()
            .unwrap();
        let nonce: [u8; 12] = hex("cafebabefacedbaddecaf888").try_into().unwrap();
        let mut msg = hex(concat!(
            "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72",
            "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39"
        ));
        let aad = hex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
        let gcm = Gcm::new(&key);
        let tag = gcm.seal_in_place(&nonce, &aad, &mut msg).unwrap();
        assert_eq!(
            msg,
            hex(concat!(
                "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa",
                "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"
            ))
        );
        assert_eq!(tag.to_vec(), hex("76fc6ece0f4e1768cddf8853bb2d551b"));
    }

    #[test]
    fn any_changed_bit_fails_to_open() {
        let key = [7u8; 32];
        let nonce = [9u8; 12];
        let aad = b"header and context".to_vec();
        let mut sealed =
            b"sixty-four bytes of plaintext, more or less, to be sealed here.".to_vec();
        let gcm = Gcm::new(&key);
        let tag = gcm.seal_in_place(&nonce, &aad, &mut sealed).unwrap();
        sealed.extend_from_slice(&tag);
        for i in 0..sealed.len() {
            let mut bad = sealed.clone();
            bad[i] ^= 0x01;
            assert!(gcm.open(&nonce, &aad, &bad).is_none(), "byte {i}");
        }
        let mut bad_aad = aad.clone();
        bad_aad[0] ^= 0x80;
        assert!(gcm.open(&nonce, &bad_aad, &sealed).is_none());
        assert!(gcm.open(&[0; 12], &aad, &sealed).is_none());
        assert!(gcm.open(&nonce, &aad, &sealed[..15]).is_none());
        // The in-place seal agrees with the crate's detached form too.
        let reference = Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&key));
        let mut plain = gcm.open(&nonce, &aad, &sealed).unwrap();
        let crate_tag = reference
            .encrypt_in_place_detached(Nonce::from_slice(&nonce), &aad, &mut plain)
            .unwrap();
        assert_eq!(plain, sealed[..sealed.len() - 16]);
        assert_eq!(crate_tag.as_slice(), &tag);
    }
}
