//! The cryptographic layer: key material, the ciphertext blob format and the AAD encoding.
//!
//! # Ciphertext blob, format version 1
//!
//! ```text
//! offset  size  field
//! 0       2     magic "KL" (0x4B 0x4C)
//! 2       1     format version (0x01; 0x02 when the key id is a multi-Region `mrk-` id)
//! 3       16    key id (the UUID's 16 bytes, or the mrk id's 16 bytes)
//! 19      32    key material id (the 64-hex-digit KeyMaterialId as bytes)
//! 51      12    GCM nonce (random per encryption)
//! 63      n+16  AES-256-GCM ciphertext and tag
//! ```
//!
//! The AAD is the 63-byte header followed by the encoded encryption context, so every header
//! bit is authenticated as well as the context: any change fails decryption.
//!
//! # Encryption context encoding
//!
//! `"KLEC1"`, then the pair count as a u32 (big-endian), then for each pair, sorted by key
//! bytes: u32 key length, key bytes, u32 value length, value bytes. Lengths make the encoding
//! injective: `{"ab":"c"}` and `{"a":"bc"}` encode differently.

use std::collections::BTreeMap;

#[cfg(test)]
use aes_gcm::aead::{Aead, KeyInit, Payload};
#[cfg(test)]
use aes_gcm::{Aes256Gcm, Key, Nonce};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::env::WorldRng;

const MAGIC: [u8; 2] = *b"KL";
const FORMAT_VERSION: u8 = 1;
/// The format version of blobs whose key id is a multi-Region key id.
const FORMAT_VERSION_MRK: u8 = 2;
/// Length of the blob header (magic, version, key id, material id, nonce).
pub(crate) const HEADER_LEN: usize = 63;
const TAG_LEN: usize = 16;

/// 256-bit key material, zeroized on drop. Serialised (base64) with the world: the lab is a
/// simulation, its state is not a key store.
#[derive(Clone, Zeroize, ZeroizeOnDrop, PartialEq, Eq)]
pub(crate) struct Secret256([u8; 32]);

impl std::fmt::Debug for Secret256 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret256(..)")
    }
}

impl Secret256 {
    pub(crate) fn generate(rng: &mut WorldRng) -> Self {
        Secret256(rng.array())
    }

    pub(crate) fn from_bytes(bytes: [u8; 32]) -> Self {
        Secret256(bytes)
    }
}

impl Serialize for Secret256 {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use base64::Engine as _;
        s.serialize_str(&base64::engine::general_purpose::STANDARD.encode(self.0))
    }
}

impl<'de> Deserialize<'de> for Secret256 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use base64::Engine as _;
        let text = zeroize::Zeroizing::new(String::deserialize(d)?);
        let bytes = zeroize::Zeroizing::new(
            base64::engine::general_purpose::STANDARD
                .decode(text.as_bytes())
                .map_err(serde::de::Error::custom)?,
        );
        let arr: [u8; 32] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| serde::de::Error::custom("key material must be 32 bytes"))?;
        Ok(Secret256(arr))
    }
}

/// The unambiguous AAD encoding of an encryption context (see the module docs).
#[cfg(test)]
pub(crate) fn encode_context(ctx: &BTreeMap<String, String>) -> Vec<u8> {
    let mut out = Vec::with_capacity(encoded_context_len(ctx));
    encode_context_into(&mut out, ctx);
    out
}

/// The length of [`encode_context`]'s output.
fn encoded_context_len(ctx: &BTreeMap<String, String>) -> usize {
    9 + ctx
        .iter()
        .map(|(k, v)| 8 + k.len() + v.len())
        .sum::<usize>()
}

/// Appends [`encode_context`]'s output to `out`.
fn encode_context_into(out: &mut Vec<u8>, ctx: &BTreeMap<String, String>) {
    encode_context_with(ctx, |bytes| out.extend_from_slice(bytes));
}

/// [`encode_context`]'s output, piece by piece.
fn encode_context_with(ctx: &BTreeMap<String, String>, mut put: impl FnMut(&[u8])) {
    put(b"KLEC1");
    put(&u32::try_from(ctx.len()).unwrap_or(u32::MAX).to_be_bytes());
    // BTreeMap<String, _> iterates in key byte order.
    for (k, v) in ctx {
        for part in [k, v] {
            put(&u32::try_from(part.len()).unwrap_or(u32::MAX).to_be_bytes());
            put(part.as_bytes());
        }
    }
}

/// Runs `f` with the AAD of a blob ([`aad`]), built on the stack when it is short (a header
/// and a small encryption context).
#[cfg_attr(wasm_speed, optimize(speed))]
fn with_aad<R>(header: &[u8], context: &BTreeMap<String, String>, f: impl FnOnce(&[u8]) -> R) -> R {
    const STACK: usize = 256;
    let len = header.len() + encoded_context_len(context);
    if len > STACK {
        return f(&aad(header, context));
    }
    let mut buf = [0u8; STACK];
    let mut at = 0;
    let mut put = |bytes: &[u8]| {
        if let Some(slot) = buf.get_mut(at..at + bytes.len()) {
            slot.copy_from_slice(bytes);
        }
        at += bytes.len();
    };
    put(header);
    encode_context_with(context, put);
    f(buf.get(..len).unwrap_or_default())
}

/// The AAD of a blob: its header, then the encoded encryption context.
fn aad(header: &[u8], context: &BTreeMap<String, String>) -> Vec<u8> {
    let mut aad = Vec::with_capacity(header.len() + encoded_context_len(context));
    aad.extend_from_slice(header);
    encode_context_into(&mut aad, context);
    aad
}

/// The 16 bytes of a key id: a UUID, or a multi-Region key id (`mrk-` and 32 hex digits).
pub(crate) fn key_id_bytes(id: &str) -> Option<[u8; 16]> {
    match id.strip_prefix("mrk-") {
        Some(hex) => from_hex::<16>(hex).filter(|_| hex.bytes().all(|b| !b.is_ascii_uppercase())),
        None => uuid_bytes(id),
    }
}

/// Parses a hyphenated UUID into its 16 bytes: 36 bytes of which 32 are not `-` (the hyphens'
/// places are not checked), read as hex.
#[cfg_attr(wasm_speed, optimize(speed))]
pub(crate) fn uuid_bytes(id: &str) -> Option<[u8; 16]> {
    if id.len() != 36 {
        return None;
    }
    let mut hex = [0u8; 32];
    let mut n = 0;
    for b in id.bytes().filter(|b| *b != b'-') {
        *hex.get_mut(n)? = b;
        n += 1;
    }
    if n != 32 {
        return None;
    }
    from_hex_bytes::<16>(&hex)
}

fn from_hex<const N: usize>(hex: &str) -> Option<[u8; N]> {
    if hex.len() != N * 2 {
        return None;
    }
    from_hex_bytes(hex.as_bytes())
}

/// `N` bytes from `2N` hex digits, each pair read as `u8::from_str_radix(pair, 16)` reads it
/// (which also takes `+d` for the single digit `d`).
fn from_hex_bytes<const N: usize>(hex: &[u8]) -> Option<[u8; N]> {
    /// Each byte's hex digit value, 0xFF for the others.
    const DIGITS: [u8; 256] = {
        let mut t = [0xFFu8; 256];
        let mut i = 0;
        while i < 10 {
            t[b'0' as usize + i] = i as u8;
            i += 1;
        }
        let mut i = 0;
        while i < 6 {
            t[b'a' as usize + i] = 10 + i as u8;
            t[b'A' as usize + i] = 10 + i as u8;
            i += 1;
        }
        t
    };
    fn digit(b: u8) -> Option<u8> {
        let d = DIGITS[usize::from(b)];
        (d != 0xFF).then_some(d)
    }
    let mut out = [0u8; N];
    for (slot, pair) in out.iter_mut().zip(hex.chunks_exact(2)) {
        *slot = match *pair {
            [b'+', lo] => digit(lo)?,
            [hi, lo] => (digit(hi)? << 4) | digit(lo)?,
            _ => return None,
        };
    }
    (hex.len() == N * 2).then_some(out)
}

fn uuid_string(b: &[u8; 16]) -> String {
    crate::env::uuid_text(b)
}

/// A parsed (not yet authenticated) ciphertext blob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParsedBlob<'a> {
    pub key_id: std::sync::Arc<str>,
    pub material_id: std::sync::Arc<str>,
    header: &'a [u8],
    nonce: [u8; 12],
    body: &'a [u8],
}

/// Splits a blob into its header fields; `None` if it is not a version-1 blob.
pub(crate) fn parse_blob(blob: &[u8]) -> Option<ParsedBlob<'_>> {
    if blob.len() < HEADER_LEN + TAG_LEN {
        return None;
    }
    let (header, body) = blob.split_at(HEADER_LEN);
    let version = *header.get(2)?;
    if header.get(0..2)? != MAGIC || !matches!(version, FORMAT_VERSION | FORMAT_VERSION_MRK) {
        return None;
    }
    let ids: [u8; 48] = header.get(3..51)?.try_into().ok()?;
    let nonce: [u8; 12] = header.get(51..63)?.try_into().ok()?;
    let (key_id, material_id) = ids_text(version, &ids)?;
    Some(ParsedBlob {
        key_id,
        material_id,
        header,
        nonce,
        body,
    })
}

/// The key id and `KeyMaterialId` texts of a blob header's id bytes (16 + 32); the last ones
/// are remembered (a caller decrypts under one key many times in a row) and shared.
fn ids_text(version: u8, ids: &[u8; 48]) -> Option<(std::sync::Arc<str>, std::sync::Arc<str>)> {
    use std::sync::Arc;
    type Last = Option<(u8, [u8; 48], Arc<str>, Arc<str>)>;
    thread_local! {
        static LAST: std::cell::RefCell<Last> = const { std::cell::RefCell::new(None) };
    }
    LAST.with(|last| {
        let mut last = last.borrow_mut();
        if let Some((v, bytes, key_id, material_id)) = last.as_ref()
            && *v == version
            && bytes == ids
        {
            return Some((Arc::clone(key_id), Arc::clone(material_id)));
        }
        let key: [u8; 16] = ids.get(..16)?.try_into().ok()?;
        let key_id: Arc<str> = if version == FORMAT_VERSION_MRK {
            Arc::from(format!("mrk-{}", crate::env::hex(&key)))
        } else {
            Arc::from(uuid_string(&key))
        };
        let material_id: Arc<str> = Arc::from(crate::env::hex(ids.get(16..)?));
        *last = Some((version, *ids, Arc::clone(&key_id), Arc::clone(&material_id)));
        Some((key_id, material_id))
    })
}

/// Encrypts `plaintext` under `material`, producing a version-1 blob.
#[cfg_attr(wasm_speed, optimize(speed))]
pub(crate) fn seal(
    rng: &mut WorldRng,
    key_id: &str,
    material_id: &str,
    material: &Secret256,
    plaintext: &[u8],
    context: &BTreeMap<String, String>,
) -> Option<Vec<u8>> {
    let ids = ids_bytes(key_id, material_id)?;
    let nonce: [u8; 12] = rng.array();
    let mut blob = Vec::with_capacity(HEADER_LEN + plaintext.len() + TAG_LEN);
    blob.extend_from_slice(&MAGIC);
    blob.push(if key_id.starts_with("mrk-") {
        FORMAT_VERSION_MRK
    } else {
        FORMAT_VERSION
    });
    blob.extend_from_slice(&ids);
    blob.extend_from_slice(&nonce);
    let header: [u8; HEADER_LEN] = blob.as_slice().try_into().ok()?;
    // Encrypted in place after the header, the tag appended: the same bytes as
    // `gcm_encrypt(…)` appended to the header.
    blob.extend_from_slice(plaintext);
    let tag = with_aad(&header, context, |aad| {
        with_cipher(material, |cipher| {
            seal_in_place(cipher, &nonce, aad, blob.get_mut(HEADER_LEN..)?)
        })
    })?;
    blob.extend_from_slice(&tag);
    Some(blob)
}

/// The header's key id and material id bytes (16 + 32) of a key id and a `KeyMaterialId`;
/// the last pair is remembered (a caller encrypts under one key many times in a row).
fn ids_bytes(key_id: &str, material_id: &str) -> Option<[u8; 48]> {
    thread_local! {
        static LAST: std::cell::RefCell<Option<(String, String, [u8; 48])>> =
            const { std::cell::RefCell::new(None) };
    }
    LAST.with(|last| {
        let mut last = last.borrow_mut();
        if let Some((k, m, bytes)) = last.as_ref()
            && k == key_id
            && m == material_id
        {
            return Some(*bytes);
        }
        let mut bytes = [0u8; 48];
        bytes.get_mut(..16)?.copy_from_slice(&key_id_bytes(key_id)?);
        bytes
            .get_mut(16..)?
            .copy_from_slice(&from_hex::<32>(material_id)?);
        *last = Some((key_id.to_owned(), material_id.to_owned(), bytes));
        Some(bytes)
    })
}

/// The AES-256-GCM implementation of the KMS calls: the `aes-gcm` crate natively (AES-NI and
/// carry-less multiply where the CPU has them), [`super::gcm`] on wasm32 (a 64-bit GHASH where
/// the crate's portable one is 32-bit). Both give the same bytes. Each backend has a `Cipher`
/// made by `new_cipher`, `seal_in_place` (encrypts a buffer in place; the tag) and `open_sealed`
/// (authenticates and decrypts the ciphertext followed by its tag).
#[cfg(not(target_arch = "wasm32"))]
mod backend {
    use aes_gcm::aead::{Aead, AeadInPlace, KeyInit, Payload};
    use aes_gcm::{Aes256Gcm, Key, Nonce};

    pub(super) type Cipher = Aes256Gcm;

    pub(super) fn new_cipher(material: &[u8; 32]) -> Cipher {
        Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(material))
    }

    pub(super) fn seal_in_place(
        cipher: &Cipher,
        nonce: &[u8; 12],
        aad: &[u8],
        buf: &mut [u8],
    ) -> Option<[u8; 16]> {
        let tag = cipher
            .encrypt_in_place_detached(Nonce::from_slice(nonce), aad, buf)
            .ok()?;
        Some(tag.into())
    }

    pub(super) fn open_sealed(
        cipher: &Cipher,
        nonce: &[u8; 12],
        aad: &[u8],
        sealed: &[u8],
    ) -> Option<Vec<u8>> {
        cipher
            .decrypt(Nonce::from_slice(nonce), Payload { msg: sealed, aad })
            .ok()
    }
}

#[cfg(target_arch = "wasm32")]
mod backend {
    pub(super) use super::super::gcm::Gcm as Cipher;

    pub(super) fn new_cipher(material: &[u8; 32]) -> Cipher {
        Cipher::new(material)
    }

    pub(super) fn seal_in_place(
        cipher: &Cipher,
        nonce: &[u8; 12],
        aad: &[u8],
        buf: &mut [u8],
    ) -> Option<[u8; 16]> {
        cipher.seal_in_place(nonce, aad, buf)
    }

    pub(super) fn open_sealed(
        cipher: &Cipher,
        nonce: &[u8; 12],
        aad: &[u8],
        sealed: &[u8],
    ) -> Option<Vec<u8>> {
        cipher.open(nonce, aad, sealed)
    }
}

use backend::{Cipher, new_cipher, open_sealed, seal_in_place};

/// Runs `f` with the AES-256-GCM cipher of `material`. The last key schedule is kept (a caller
/// uses one key many times in a row) with a zeroized copy of its material to recognise it.
#[cfg_attr(wasm_speed, optimize(speed))]
fn with_cipher<R>(material: &Secret256, f: impl FnOnce(&Cipher) -> R) -> R {
    type Last = Option<(zeroize::Zeroizing<[u8; 32]>, Cipher)>;
    thread_local! {
        static LAST: std::cell::RefCell<Last> = const { std::cell::RefCell::new(None) };
    }
    LAST.with(|last| {
        let mut last = last.borrow_mut();
        match last.as_ref() {
            Some((secret, cipher)) if **secret == material.0 => f(cipher),
            _ => {
                let cipher = new_cipher(&material.0);
                let r = f(&cipher);
                *last = Some((zeroize::Zeroizing::new(material.0), cipher));
                r
            }
        }
    })
}

/// Authenticates and decrypts a parsed blob; `None` on any mismatch.
#[cfg_attr(wasm_speed, optimize(speed))]
pub(crate) fn open(
    parsed: &ParsedBlob<'_>,
    material: &Secret256,
    context: &BTreeMap<String, String>,
) -> Option<zeroize::Zeroizing<Vec<u8>>> {
    with_aad(parsed.header, context, |aad| {
        gcm_decrypt(material, &parsed.nonce, parsed.body, aad).map(zeroize::Zeroizing::new)
    })
}

/// The inner layer: AES-256-GCM with a 96-bit nonce and a 128-bit tag appended (`seal` does
/// the same in place).
#[cfg(test)]
pub(crate) fn gcm_encrypt(
    key: &Secret256,
    nonce: &[u8; 12],
    plaintext: &[u8],
    aad: &[u8],
) -> Option<Vec<u8>> {
    let cipher = Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&key.0));
    cipher
        .encrypt(
            Nonce::from_slice(nonce),
            Payload {
                msg: plaintext,
                aad,
            },
        )
        .ok()
}

/// The inverse of [`gcm_encrypt`].
#[cfg_attr(wasm_speed, optimize(speed))]
pub(crate) fn gcm_decrypt(
    key: &Secret256,
    nonce: &[u8; 12],
    ciphertext: &[u8],
    aad: &[u8],
) -> Option<Vec<u8>> {
    with_cipher(key, |cipher| open_sealed(cipher, nonce, aad, ciphertext))
}

#[cfg(test)]
mod test {
    use super::*;

    fn h(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    /// The AAD built on the stack is `aad`'s, for contexts from empty to longer than the
    /// stack buffer, with keys and values of every length around its boundary.
    #[test]
    fn aad_on_the_stack_is_aad() {
        let header: Vec<u8> = (0..HEADER_LEN as u8).collect();
        let mut contexts = vec![BTreeMap::new()];
        for n in 0..6usize {
            for len in [0usize, 1, 7, 40, 60, 61, 62, 63, 64, 90, 200, 300] {
                let ctx: BTreeMap<String, String> = (0..n)
                    .map(|i| (format!("k{i}{}", "x".repeat(len / 2)), "é".repeat(len / 4)))
                    .collect();
                contexts.push(ctx);
            }
        }
        for ctx in &contexts {
            for h in [&header[..], &[][..], &[1, 2, 3][..]] {
                let expected = aad(h, ctx);
                assert_eq!(with_aad(h, ctx, <[u8]>::to_vec), expected, "{ctx:?}");
            }
        }
    }

    /// NIST GCM test vector (gcmEncryptExtIV256.rsp, Count 0 with AAD; also Wycheproof
    /// aes_gcm_test tcId 75-style 256-bit key): McGrew & Viega test case 16.
    #[test]
    fn gcm_known_answer_test_case_16() {
        let key = Secret256(
            h("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308")
                .try_into()
                .unwrap(),
        );
        let nonce: [u8; 12] = h("cafebabefacedbaddecaf888").try_into().unwrap();
        let pt = h(
            "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
        );
        let aad = h("feedfacedeadbeeffeedfacedeadbeefabaddad2");
        let expected = h(
            "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662\
76fc6ece0f4e1768cddf8853bb2d551b",
        );
        let ct = gcm_encrypt(&key, &nonce, &pt, &aad).unwrap();
        assert_eq!(ct, expected);
        assert_eq!(gcm_decrypt(&key, &nonce, &ct, &aad).unwrap(), pt);
    }

    /// McGrew & Viega test case 13: all-zero 256-bit key, empty plaintext: the tag alone.
    #[test]
    fn gcm_known_answer_test_case_13() {
        let key = Secret256([0; 32]);
        let ct = gcm_encrypt(&key, &[0; 12], b"", b"").unwrap();
        assert_eq!(ct, h("530f8afbc74536b9a963b4f1c4cb738b"));
    }

    /// The reading of key ids and material ids is the one `u8::from_str_radix` gave.
    #[test]
    fn hex_reading_matches_from_str_radix() {
        fn reference_uuid(id: &str) -> Option<[u8; 16]> {
            let hex: String = id.chars().filter(|c| *c != '-').collect();
            if id.len() != 36 || hex.len() != 32 {
                return None;
            }
            let mut out = [0u8; 16];
            for (i, slot) in out.iter_mut().enumerate() {
                *slot = u8::from_str_radix(hex.get(i * 2..i * 2 + 2)?, 16).ok()?;
            }
            Some(out)
        }
        let mut rng = WorldRng::new(9);
        let alphabet: Vec<char> = "0123456789abcdefABCDEF-+g é".chars().collect();
        let mut cases = vec![
            "1234abcd-12ab-34cd-56ef-1234567890ab".to_owned(),
            "+234abcd-12ab-34cd-56ef-1234567890ab".to_owned(),
            "1234ABCD-12ab-34cd-56ef-1234567890aB".to_owned(),
            "1234abcd-12ab-34cd-56ef-1234567890a".to_owned(),
            "1234abcd12ab34cd56ef1234567890ab----".to_owned(),
            "é234abcd-12ab-34cd-56ef-1234567890a".to_owned(),
        ];
        for _ in 0..20_000 {
            let len = 34 + (rng.array::<1>()[0] % 4) as usize;
            let s: String = (0..len)
                .map(|_| alphabet[rng.array::<1>()[0] as usize % alphabet.len()])
                .collect();
            cases.push(s);
            let mut ok = crate::env::uuid_text(&rng.array());
            let [i, c] = rng.array::<2>();
            let i = usize::from(i) % 36;
            let c = alphabet[usize::from(c) % alphabet.len()];
            if c.is_ascii() {
                ok.replace_range(i..=i, &c.to_string());
            }
            cases.push(ok);
        }
        for c in &cases {
            assert_eq!(uuid_bytes(c), reference_uuid(c), "{c:?}");
        }
    }

    #[test]
    fn context_encoding_is_injective() {
        let a = BTreeMap::from([("ab".to_owned(), "c".to_owned())]);
        let b = BTreeMap::from([("a".to_owned(), "bc".to_owned())]);
        assert_ne!(encode_context(&a), encode_context(&b));
        assert_ne!(
            encode_context(&BTreeMap::new()),
            encode_context(&BTreeMap::from([(String::new(), String::new())]))
        );
    }

    #[test]
    fn blob_round_trip_and_header() {
        let mut rng = WorldRng::new(3);
        let m = Secret256::generate(&mut rng);
        let key = "1234abcd-12ab-34cd-56ef-1234567890ab";
        let mid = "ab".repeat(32);
        let ctx = BTreeMap::from([("k".to_owned(), "v".to_owned())]);
        let blob = seal(&mut rng, key, &mid, &m, b"hello", &ctx).unwrap();
        let p = parse_blob(&blob).unwrap();
        assert_eq!(&*p.key_id, key);
        assert_eq!(*p.material_id, *mid);
        assert_eq!(open(&p, &m, &ctx).unwrap().as_slice(), b"hello");
        assert!(open(&p, &m, &BTreeMap::new()).is_none());
        // Sealing in place gives the header followed by gcm_encrypt's output.
        let (header, _) = blob.split_at(HEADER_LEN);
        let mut aad = header.to_vec();
        aad.extend_from_slice(&encode_context(&ctx));
        let nonce: [u8; 12] = header[51..63].try_into().unwrap();
        let expected = gcm_encrypt(&m, &nonce, b"hello", &aad).unwrap();
        assert_eq!(&blob[HEADER_LEN..], expected.as_slice());
    }
}
