//! Asymmetric and HMAC key material: generation from the world's RNG, SubjectPublicKeyInfo,
//! signing, verification, RSA-OAEP, ECDH and HMAC. Private keys are stored as PKCS#8 DER (HMAC
//! keys as raw bytes).
//!
//! RSA key generation is slow (seconds for RSA_4096 in a browser). Every RSA key of a world is
//! a pure function of a 32-byte seed, so generated keys are memoised process-wide
//! ([`rsa_private_der`]); `World::warm_rsa_pool` computes the next keys ahead of time.

use std::collections::BTreeMap;
use std::sync::Mutex;

use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha224, Sha256, Sha384, Sha512};
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::env::WorldRng;

/// Secret bytes of any length (PKCS#8 DER or a raw HMAC key), zeroized on drop.
#[derive(Clone, Zeroize, ZeroizeOnDrop, PartialEq, Eq, Default)]
pub(crate) struct SecretBytes(pub Vec<u8>);

impl std::fmt::Debug for SecretBytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SecretBytes({} bytes)", self.0.len())
    }
}

impl Serialize for SecretBytes {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use base64::Engine as _;
        s.serialize_str(&base64::engine::general_purpose::STANDARD.encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for SecretBytes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use base64::Engine as _;
        let text = zeroize::Zeroizing::new(String::deserialize(d)?);
        base64::engine::general_purpose::STANDARD
            .decode(text.as_bytes())
            .map(SecretBytes)
            .map_err(serde::de::Error::custom)
    }
}

/// A key spec the lab models.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Spec {
    Symmetric,
    Rsa(usize),
    P256,
    P384,
    P521,
    K256,
    Ed25519,
    Hmac(usize),
    /// ML-DSA (FIPS 204) of level 44, 65 or 87.
    MlDsa(u16),
    /// ML-KEM (FIPS 203) of level 512, 768 or 1024.
    MlKem(u16),
}

impl Spec {
    pub(crate) fn parse(s: &str) -> Option<Spec> {
        Some(match s {
            "SYMMETRIC_DEFAULT" => Spec::Symmetric,
            "RSA_2048" => Spec::Rsa(2048),
            "RSA_3072" => Spec::Rsa(3072),
            "RSA_4096" => Spec::Rsa(4096),
            "ECC_NIST_P256" => Spec::P256,
            "ECC_NIST_P384" => Spec::P384,
            "ECC_NIST_P521" => Spec::P521,
            "ECC_SECG_P256K1" => Spec::K256,
            "ECC_NIST_EDWARDS25519" => Spec::Ed25519,
            "HMAC_224" => Spec::Hmac(224),
            "HMAC_256" => Spec::Hmac(256),
            "HMAC_384" => Spec::Hmac(384),
            "HMAC_512" => Spec::Hmac(512),
            "ML_DSA_44" => Spec::MlDsa(44),
            "ML_DSA_65" => Spec::MlDsa(65),
            "ML_DSA_87" => Spec::MlDsa(87),
            "ML_KEM_512" => Spec::MlKem(512),
            "ML_KEM_768" => Spec::MlKem(768),
            "ML_KEM_1024" => Spec::MlKem(1024),
            _ => return None,
        })
    }

    /// The key usages AWS allows for the spec.
    pub(crate) fn usages(self) -> &'static [&'static str] {
        match self {
            Spec::Symmetric => &["ENCRYPT_DECRYPT"],
            Spec::Rsa(_) => &["ENCRYPT_DECRYPT", "SIGN_VERIFY"],
            Spec::P256 | Spec::P384 | Spec::P521 => &["SIGN_VERIFY", "KEY_AGREEMENT"],
            Spec::K256 | Spec::Ed25519 | Spec::MlDsa(_) => &["SIGN_VERIFY"],
            Spec::Hmac(_) => &["GENERATE_VERIFY_MAC"],
            Spec::MlKem(_) => &["ENCAPSULATE_DECAPSULATE"],
        }
    }

    pub(crate) fn is_rsa(self) -> bool {
        matches!(self, Spec::Rsa(_))
    }

    /// ML-DSA or ML-KEM.
    pub(crate) fn is_post_quantum(self) -> bool {
        matches!(self, Spec::MlDsa(_) | Spec::MlKem(_))
    }

    pub(crate) fn is_ecc(self) -> bool {
        matches!(
            self,
            Spec::P256 | Spec::P384 | Spec::P521 | Spec::K256 | Spec::Ed25519
        )
    }

    /// The signing algorithms of a SIGN_VERIFY key.
    pub(crate) fn signing_algorithms(self) -> &'static [&'static str] {
        match self {
            // As KMS lists them (DescribeKey, GetPublicKey): PKCS #1 v1.5 first.
            Spec::Rsa(_) => &[
                "RSASSA_PKCS1_V1_5_SHA_256",
                "RSASSA_PKCS1_V1_5_SHA_384",
                "RSASSA_PKCS1_V1_5_SHA_512",
                "RSASSA_PSS_SHA_256",
                "RSASSA_PSS_SHA_384",
                "RSASSA_PSS_SHA_512",
            ],
            Spec::P256 | Spec::K256 => &["ECDSA_SHA_256"],
            Spec::P384 => &["ECDSA_SHA_384"],
            Spec::P521 => &["ECDSA_SHA_512"],
            Spec::Ed25519 => &["ED25519_SHA_512", "ED25519_PH_SHA_512"],
            Spec::MlDsa(_) => &["ML_DSA_SHAKE_256"],
            Spec::Symmetric | Spec::Hmac(_) | Spec::MlKem(_) => &[],
        }
    }

    /// The encryption algorithms of an ENCRYPT_DECRYPT key.
    pub(crate) fn encryption_algorithms(self) -> &'static [&'static str] {
        match self {
            Spec::Symmetric => &["SYMMETRIC_DEFAULT"],
            Spec::Rsa(_) => &["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"],
            _ => &[],
        }
    }

    /// The MAC algorithm of an HMAC key.
    pub(crate) fn mac_algorithm(self) -> Option<&'static str> {
        match self {
            Spec::Hmac(224) => Some("HMAC_SHA_224"),
            Spec::Hmac(256) => Some("HMAC_SHA_256"),
            Spec::Hmac(384) => Some("HMAC_SHA_384"),
            Spec::Hmac(512) => Some("HMAC_SHA_512"),
            _ => None,
        }
    }
}

/// Hash functions of the signing and OAEP algorithms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Hash {
    Sha1,
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    pub(crate) fn len(self) -> usize {
        match self {
            Hash::Sha1 => 20,
            Hash::Sha256 => 32,
            Hash::Sha384 => 48,
            Hash::Sha512 => 64,
        }
    }

    pub(crate) fn digest(self, msg: &[u8]) -> Vec<u8> {
        match self {
            Hash::Sha1 => sha1::Sha1::digest(msg).to_vec(),
            Hash::Sha256 => Sha256::digest(msg).to_vec(),
            Hash::Sha384 => Sha384::digest(msg).to_vec(),
            Hash::Sha512 => Sha512::digest(msg).to_vec(),
        }
    }
}

/// The hash of a signing algorithm.
pub(crate) fn signing_hash(alg: &str) -> Option<Hash> {
    Some(match alg.rsplit('_').next()? {
        "256" => Hash::Sha256,
        "384" => Hash::Sha384,
        "512" => Hash::Sha512,
        _ => return None,
    })
}

/// The hash of an OAEP algorithm (`RSAES_OAEP_SHA_1`, `RSAES_OAEP_SHA_256`, and the wrapping
/// algorithms `RSA_AES_KEY_WRAP_SHA_*`).
pub(crate) fn oaep_hash(alg: &str) -> Option<Hash> {
    match alg.rsplit('_').next()? {
        "1" => Some(Hash::Sha1),
        "256" => Some(Hash::Sha256),
        _ => None,
    }
}

/// The largest plaintext RSA-OAEP takes: `k - 2*hLen - 2`.
pub(crate) fn oaep_max(bits: usize, hash: Hash) -> usize {
    (bits / 8).saturating_sub(2 * hash.len() + 2)
}

/// Generated RSA keys (PKCS#8 DER) by (bits, seed).
type RsaMemo = BTreeMap<(usize, [u8; 32]), Vec<u8>>;
static RSA_MEMO: Mutex<RsaMemo> = Mutex::new(BTreeMap::new());
const RSA_MEMO_MAX: usize = 64;

/// The RSA private key (PKCS#8 DER) of `bits` generated from `seed`; memoised.
fn rsa_private_der_imp(bits: usize, seed: [u8; 32]) -> Option<Vec<u8>> {
    if let Ok(m) = RSA_MEMO.lock()
        && let Some(der) = m.get(&(bits, seed))
    {
        return Some(der.clone());
    }
    use rsa::pkcs8::EncodePrivateKey;
    let mut rng = ChaCha20Rng::from_seed(seed);
    let key = rsa::RsaPrivateKey::new(&mut rng, bits).ok()?;
    let der = key.to_pkcs8_der().ok()?.as_bytes().to_vec();
    if let Ok(mut m) = RSA_MEMO.lock() {
        if m.len() >= RSA_MEMO_MAX {
            m.pop_first();
        }
        m.insert((bits, seed), der.clone());
    }
    Some(der)
}

/// Puts into the memo a key of `bits` for `seed` computed earlier (a host's cache across page
/// loads). Taken only if it is an RSA private key (PKCS#8 DER) of `bits`.
fn remember_rsa_der_imp(bits: usize, seed: [u8; 32], der: &[u8]) -> bool {
    use rsa::pkcs8::DecodePrivateKey;
    use rsa::traits::PublicKeyParts;
    let Ok(key) = rsa::RsaPrivateKey::from_pkcs8_der(der) else {
        return false;
    };
    if key.size() * 8 != bits {
        return false;
    }
    if let Ok(mut m) = RSA_MEMO.lock() {
        if m.len() >= RSA_MEMO_MAX {
            m.pop_first();
        }
        m.insert((bits, seed), der.to_vec());
    }
    true
}

/// Seed of the `n`-th RSA key of `bits` in a world whose pool seed is `pool_seed`.
pub(crate) fn rsa_seed(pool_seed: &[u8; 32], bits: usize, n: u64) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"kmslab rsa pool");
    h.update(pool_seed);
    h.update((bits as u64).to_be_bytes());
    h.update(n.to_be_bytes());
    h.finalize().into()
}

/// Generates a non-RSA private key (PKCS#8 DER, or raw HMAC key bytes).
fn generate_non_rsa_imp(spec: Spec, rng: &mut WorldRng) -> Option<SecretBytes> {
    use p256::pkcs8::EncodePrivateKey;
    let der = match spec {
        Spec::P256 => p256::SecretKey::random(rng).to_pkcs8_der().ok()?,
        Spec::P384 => p384::SecretKey::random(rng).to_pkcs8_der().ok()?,
        Spec::P521 => p521::SecretKey::random(rng).to_pkcs8_der().ok()?,
        Spec::K256 => k256::SecretKey::random(rng).to_pkcs8_der().ok()?,
        Spec::Ed25519 => {
            let bytes: [u8; 32] = rng.array();
            ed25519_dalek::SigningKey::from_bytes(&bytes)
                .to_pkcs8_der()
                .ok()?
        }
        Spec::Hmac(bits) => return Some(SecretBytes(rng.bytes(bits / 8))),
        Spec::MlDsa(level) => return super::pq::dsa_generate(level, rng).map(SecretBytes),
        Spec::MlKem(level) => return super::pq::kem_generate(level, rng).map(SecretBytes),
        Spec::Symmetric | Spec::Rsa(_) => return None,
    };
    Some(SecretBytes(der.as_bytes().to_vec()))
}

fn rsa_key(der: &[u8]) -> Option<rsa::RsaPrivateKey> {
    use rsa::pkcs8::DecodePrivateKey;
    rsa::RsaPrivateKey::from_pkcs8_der(der).ok()
}

/// Checks that `der` is a PKCS#8 private key of `spec` (imported asymmetric material).
fn valid_private_imp(spec: Spec, der: &[u8]) -> bool {
    public_spki(spec, der).is_some()
        && match spec {
            Spec::Rsa(bits) => rsa_key(der).is_some_and(|k| {
                use rsa::traits::PublicKeyParts;
                k.size() * 8 == bits
            }),
            _ => true,
        }
}

/// The DER SubjectPublicKeyInfo of a private key.
fn public_spki_imp(spec: Spec, der: &[u8]) -> Option<Vec<u8>> {
    use p256::pkcs8::{DecodePrivateKey, EncodePublicKey};
    let doc = match spec {
        Spec::Rsa(_) => rsa_key(der)?.to_public_key().to_public_key_der().ok()?,
        Spec::P256 => p256::SecretKey::from_pkcs8_der(der)
            .ok()?
            .public_key()
            .to_public_key_der()
            .ok()?,
        Spec::P384 => p384::SecretKey::from_pkcs8_der(der)
            .ok()?
            .public_key()
            .to_public_key_der()
            .ok()?,
        Spec::P521 => p521::SecretKey::from_pkcs8_der(der)
            .ok()?
            .public_key()
            .to_public_key_der()
            .ok()?,
        Spec::K256 => k256::SecretKey::from_pkcs8_der(der)
            .ok()?
            .public_key()
            .to_public_key_der()
            .ok()?,
        Spec::Ed25519 => ed25519_dalek::SigningKey::from_pkcs8_der(der)
            .ok()?
            .verifying_key()
            .to_public_key_der()
            .ok()?,
        Spec::MlDsa(level) => return super::pq::dsa_public(level, der),
        Spec::MlKem(level) => return super::pq::kem_public(level, der),
        Spec::Symmetric | Spec::Hmac(_) => return None,
    };
    Some(doc.as_bytes().to_vec())
}

/// Signs `digest` (already hashed with the algorithm's hash) or, for Ed25519 and ML-DSA, the raw
/// message. For `ED25519_PH_SHA_512` it is the caller's SHA-512 digest, which Ed25519ph hashes
/// again (its PH step), as KMS does. (ML-DSA's `EXTERNAL_MU` goes to [`super::pq`] directly.)
fn sign_imp(
    spec: Spec,
    der: &[u8],
    alg: &str,
    digest_or_msg: &[u8],
    rng: &mut WorldRng,
) -> Option<Vec<u8>> {
    use p256::ecdsa::signature::hazmat::{PrehashSigner, RandomizedPrehashSigner};
    use p256::pkcs8::DecodePrivateKey;
    match spec {
        Spec::Rsa(_) => {
            let key = rsa_key(der)?;
            let hash = signing_hash(alg)?;
            if alg.starts_with("RSASSA_PSS_") {
                match hash {
                    Hash::Sha256 => {
                        key.sign_with_rng(rng, rsa::Pss::new::<Sha256>(), digest_or_msg)
                    }
                    Hash::Sha384 => {
                        key.sign_with_rng(rng, rsa::Pss::new::<Sha384>(), digest_or_msg)
                    }
                    Hash::Sha512 => {
                        key.sign_with_rng(rng, rsa::Pss::new::<Sha512>(), digest_or_msg)
                    }
                    Hash::Sha1 => return None,
                }
                .ok()
            } else {
                match hash {
                    Hash::Sha256 => key.sign(rsa::Pkcs1v15Sign::new::<Sha256>(), digest_or_msg),
                    Hash::Sha384 => key.sign(rsa::Pkcs1v15Sign::new::<Sha384>(), digest_or_msg),
                    Hash::Sha512 => key.sign(rsa::Pkcs1v15Sign::new::<Sha512>(), digest_or_msg),
                    Hash::Sha1 => return None,
                }
                .ok()
            }
        }
        Spec::P256 => {
            let k = p256::ecdsa::SigningKey::from(p256::SecretKey::from_pkcs8_der(der).ok()?);
            let s: p256::ecdsa::Signature = k.sign_prehash(digest_or_msg).ok()?;
            Some(s.to_der().as_bytes().to_vec())
        }
        Spec::P384 => {
            let k = p384::ecdsa::SigningKey::from(p384::SecretKey::from_pkcs8_der(der).ok()?);
            let s: p384::ecdsa::Signature = k.sign_prehash(digest_or_msg).ok()?;
            Some(s.to_der().as_bytes().to_vec())
        }
        Spec::P521 => {
            let sk = p521::SecretKey::from_pkcs8_der(der).ok()?;
            let k = p521::ecdsa::SigningKey::from_bytes(&sk.to_bytes()).ok()?;
            // p521's deterministic PrehashSigner needs OS randomness; sign with the world's RNG.
            let s: p521::ecdsa::Signature =
                RandomizedPrehashSigner::sign_prehash_with_rng(&k, rng, digest_or_msg).ok()?;
            Some(s.to_der().as_bytes().to_vec())
        }
        Spec::K256 => {
            let k = k256::ecdsa::SigningKey::from(k256::SecretKey::from_pkcs8_der(der).ok()?);
            let s: k256::ecdsa::Signature = k.sign_prehash(digest_or_msg).ok()?;
            Some(s.to_der().as_bytes().to_vec())
        }
        Spec::Ed25519 => {
            use ed25519_dalek::Signer;
            let k = ed25519_dalek::SigningKey::from_pkcs8_der(der).ok()?;
            let sig = if alg == "ED25519_PH_SHA_512" {
                k.sign_prehashed(Sha512::new_with_prefix(digest_or_msg), None)
                    .ok()?
            } else {
                k.sign(digest_or_msg)
            };
            Some(sig.to_bytes().to_vec())
        }
        Spec::MlDsa(level) => {
            super::pq::dsa_sign(level, der, super::pq::DsaInput::Raw(digest_or_msg), rng)
        }
        Spec::Symmetric | Spec::Hmac(_) | Spec::MlKem(_) => None,
    }
}

/// Verifies a signature against a DER SubjectPublicKeyInfo (the same path an outside verifier
/// takes). `digest_or_msg` as for [`sign`].
fn verify_imp(spec: Spec, spki: &[u8], alg: &str, digest_or_msg: &[u8], sig: &[u8]) -> bool {
    use p256::ecdsa::signature::hazmat::PrehashVerifier;
    use p256::pkcs8::DecodePublicKey;
    match spec {
        Spec::Rsa(_) => {
            let Ok(key) = rsa::RsaPublicKey::from_public_key_der(spki) else {
                return false;
            };
            let Some(hash) = signing_hash(alg) else {
                return false;
            };
            let r = if alg.starts_with("RSASSA_PSS_") {
                match hash {
                    Hash::Sha256 => key.verify(rsa::Pss::new::<Sha256>(), digest_or_msg, sig),
                    Hash::Sha384 => key.verify(rsa::Pss::new::<Sha384>(), digest_or_msg, sig),
                    Hash::Sha512 => key.verify(rsa::Pss::new::<Sha512>(), digest_or_msg, sig),
                    Hash::Sha1 => return false,
                }
            } else {
                match hash {
                    Hash::Sha256 => {
                        key.verify(rsa::Pkcs1v15Sign::new::<Sha256>(), digest_or_msg, sig)
                    }
                    Hash::Sha384 => {
                        key.verify(rsa::Pkcs1v15Sign::new::<Sha384>(), digest_or_msg, sig)
                    }
                    Hash::Sha512 => {
                        key.verify(rsa::Pkcs1v15Sign::new::<Sha512>(), digest_or_msg, sig)
                    }
                    Hash::Sha1 => return false,
                }
            };
            r.is_ok()
        }
        Spec::P256 => (|| {
            let k = p256::ecdsa::VerifyingKey::from_public_key_der(spki).ok()?;
            let s = p256::ecdsa::Signature::from_der(sig).ok()?;
            k.verify_prehash(digest_or_msg, &s).ok()
        })()
        .is_some(),
        Spec::P384 => (|| {
            let k = p384::ecdsa::VerifyingKey::from_public_key_der(spki).ok()?;
            let s = p384::ecdsa::Signature::from_der(sig).ok()?;
            k.verify_prehash(digest_or_msg, &s).ok()
        })()
        .is_some(),
        Spec::P521 => (|| {
            let pk = p521::PublicKey::from_public_key_der(spki).ok()?;
            let k = p521::ecdsa::VerifyingKey::from_affine(*pk.as_affine()).ok()?;
            let s = p521::ecdsa::Signature::from_der(sig).ok()?;
            k.verify_prehash(digest_or_msg, &s).ok()
        })()
        .is_some(),
        Spec::K256 => (|| {
            let k = k256::ecdsa::VerifyingKey::from_public_key_der(spki).ok()?;
            let s = k256::ecdsa::Signature::from_der(sig).ok()?;
            k.verify_prehash(digest_or_msg, &s).ok()
        })()
        .is_some(),
        Spec::Ed25519 => (|| {
            let k = ed25519_dalek::VerifyingKey::from_public_key_der(spki).ok()?;
            let s = ed25519_dalek::Signature::from_slice(sig).ok()?;
            if alg == "ED25519_PH_SHA_512" {
                k.verify_prehashed_strict(Sha512::new_with_prefix(digest_or_msg), None, &s)
                    .ok()
            } else {
                k.verify_strict(digest_or_msg, &s).ok()
            }
        })()
        .is_some(),
        Spec::MlDsa(level) => {
            super::pq::dsa_verify(level, spki, super::pq::DsaInput::Raw(digest_or_msg), sig)
        }
        Spec::Symmetric | Spec::Hmac(_) | Spec::MlKem(_) => false,
    }
}

/// RSA-OAEP encryption with a DER SubjectPublicKeyInfo.
fn oaep_encrypt_imp(
    spki: &[u8],
    hash: Hash,
    msg: &[u8],
    mut rng: &mut dyn rand_core::CryptoRngCore,
) -> Option<Vec<u8>> {
    let rng = &mut rng;
    use rsa::pkcs8::DecodePublicKey;
    let key = rsa::RsaPublicKey::from_public_key_der(spki).ok()?;
    match hash {
        Hash::Sha1 => key.encrypt(rng, rsa::Oaep::new::<sha1::Sha1>(), msg),
        Hash::Sha256 => key.encrypt(rng, rsa::Oaep::new::<Sha256>(), msg),
        Hash::Sha384 | Hash::Sha512 => return None,
    }
    .ok()
}

/// RSA-OAEP decryption with a PKCS#8 private key.
fn oaep_decrypt_imp(der: &[u8], hash: Hash, ct: &[u8]) -> Option<Vec<u8>> {
    let key = rsa_key(der)?;
    match hash {
        Hash::Sha1 => key.decrypt(rsa::Oaep::new::<sha1::Sha1>(), ct),
        Hash::Sha256 => key.decrypt(rsa::Oaep::new::<Sha256>(), ct),
        Hash::Sha384 | Hash::Sha512 => return None,
    }
    .ok()
}

/// ECDH: the raw shared secret (the x-coordinate) of our private key and the peer's SPKI.
fn ecdh_imp(spec: Spec, der: &[u8], peer_spki: &[u8]) -> Option<Vec<u8>> {
    use p256::pkcs8::{DecodePrivateKey, DecodePublicKey};
    macro_rules! dh {
        ($c:ident) => {{
            let sk = $c::SecretKey::from_pkcs8_der(der).ok()?;
            let pk = $c::PublicKey::from_public_key_der(peer_spki).ok()?;
            let shared = $c::ecdh::diffie_hellman(sk.to_nonzero_scalar(), pk.as_affine());
            Some(shared.raw_secret_bytes().to_vec())
        }};
    }
    match spec {
        Spec::P256 => dh!(p256),
        Spec::P384 => dh!(p384),
        Spec::P521 => dh!(p521),
        _ => None,
    }
}

/// HMAC of `msg` under `key` with the spec's hash.
pub(crate) fn hmac(spec: Spec, key: &[u8], msg: &[u8]) -> Option<Vec<u8>> {
    use hmac::{Mac, SimpleHmac};
    macro_rules! mac {
        ($h:ty) => {{
            let mut m = <SimpleHmac<$h> as Mac>::new_from_slice(key).ok()?;
            m.update(msg);
            Some(m.finalize().into_bytes().to_vec())
        }};
    }
    match spec {
        Spec::Hmac(224) => mac!(Sha224),
        Spec::Hmac(256) => mac!(Sha256),
        Spec::Hmac(384) => mac!(Sha384),
        Spec::Hmac(512) => mac!(Sha512),
        _ => None,
    }
}

/// The asymmetric crypto itself (RSA, the ECC curves, Ed25519, and ML-DSA and ML-KEM from
/// [`super::pq`]): part of the engine's extension (`service::Hooks`), which the browser app
/// downloads after its first load. The functions of the same names in this module (and `pq`'s
/// signing and encapsulation) reach it through the extension; before it is installed they
/// answer as if the key were unusable and note that it was wanted (`service::take_wanted`),
/// so the call is run again once it is (with the `lazy` feature KMS itself is in the
/// extension, so a KMS call does not get this far before the install).
#[derive(Debug)]
#[allow(
    clippy::type_complexity,
    reason = "each member is the signature of the function it stands for"
)]
pub(crate) struct Crypto {
    rsa_private_der: fn(usize, [u8; 32]) -> Option<Vec<u8>>,
    remember_rsa_der: fn(usize, [u8; 32], &[u8]) -> bool,
    generate_non_rsa: fn(Spec, &mut WorldRng) -> Option<SecretBytes>,
    valid_private: fn(Spec, &[u8]) -> bool,
    public_spki: fn(Spec, &[u8]) -> Option<Vec<u8>>,
    sign: fn(Spec, &[u8], &str, &[u8], &mut WorldRng) -> Option<Vec<u8>>,
    verify: fn(Spec, &[u8], &str, &[u8], &[u8]) -> bool,
    oaep_encrypt: fn(&[u8], Hash, &[u8], &mut dyn rand_core::CryptoRngCore) -> Option<Vec<u8>>,
    oaep_decrypt: fn(&[u8], Hash, &[u8]) -> Option<Vec<u8>>,
    ecdh: fn(Spec, &[u8], &[u8]) -> Option<Vec<u8>>,
    pub(super) dsa_sign: fn(u16, &[u8], super::pq::DsaInput<'_>, &mut WorldRng) -> Option<Vec<u8>>,
    pub(super) dsa_verify: fn(u16, &[u8], super::pq::DsaInput<'_>, &[u8]) -> bool,
    pub(super) kem_encapsulate: fn(u16, &[u8], &mut WorldRng) -> Option<(Vec<u8>, Vec<u8>)>,
    pub(super) kem_decapsulate: fn(u16, &[u8], &[u8]) -> Option<Vec<u8>>,
}

/// The asymmetric crypto, for the engine's extension.
pub(crate) const CRYPTO: Crypto = Crypto {
    rsa_private_der: rsa_private_der_imp,
    remember_rsa_der: remember_rsa_der_imp,
    generate_non_rsa: generate_non_rsa_imp,
    valid_private: valid_private_imp,
    public_spki: public_spki_imp,
    sign: sign_imp,
    verify: verify_imp,
    oaep_encrypt: oaep_encrypt_imp,
    oaep_decrypt: oaep_decrypt_imp,
    ecdh: ecdh_imp,
    dsa_sign: super::pq::dsa_sign_imp,
    dsa_verify: super::pq::dsa_verify_imp,
    kem_encapsulate: super::pq::kem_encapsulate_imp,
    kem_decapsulate: super::pq::kem_decapsulate_imp,
};

/// The asymmetric crypto when the engine's extension is installed (noting it was wanted when not).
pub(super) fn crypto() -> Option<&'static Crypto> {
    crate::service::present_or_want().map(|e| &e.hooks.asym)
}

/// The RSA private key (PKCS#8 DER) of `bits` generated from `seed`; memoised.
pub(crate) fn rsa_private_der(bits: usize, seed: [u8; 32]) -> Option<Vec<u8>> {
    (crypto()?.rsa_private_der)(bits, seed)
}

/// Puts into the memo a key of `bits` for `seed` computed earlier (a host's cache across page
/// loads). Taken only if it is an RSA private key (PKCS#8 DER) of `bits`.
pub(crate) fn remember_rsa_der(bits: usize, seed: [u8; 32], der: &[u8]) -> bool {
    crypto().is_some_and(|c| (c.remember_rsa_der)(bits, seed, der))
}

/// Generates a non-RSA private key (PKCS#8 DER, or raw HMAC key bytes).
pub(crate) fn generate_non_rsa(spec: Spec, rng: &mut WorldRng) -> Option<SecretBytes> {
    (crypto()?.generate_non_rsa)(spec, rng)
}

/// Checks that `der` is a PKCS#8 private key of `spec` (imported asymmetric material).
pub(crate) fn valid_private(spec: Spec, der: &[u8]) -> bool {
    crypto().is_some_and(|c| (c.valid_private)(spec, der))
}

/// The DER SubjectPublicKeyInfo of a private key of `spec`.
pub(crate) fn public_spki(spec: Spec, der: &[u8]) -> Option<Vec<u8>> {
    (crypto()?.public_spki)(spec, der)
}

/// Signs (see `sign_imp`).
pub(crate) fn sign(
    spec: Spec,
    der: &[u8],
    alg: &str,
    digest_or_msg: &[u8],
    rng: &mut WorldRng,
) -> Option<Vec<u8>> {
    (crypto()?.sign)(spec, der, alg, digest_or_msg, rng)
}

/// Verifies (see `verify_imp`).
pub(crate) fn verify(spec: Spec, spki: &[u8], alg: &str, digest_or_msg: &[u8], sig: &[u8]) -> bool {
    crypto().is_some_and(|c| (c.verify)(spec, spki, alg, digest_or_msg, sig))
}

/// RSA-OAEP encryption with a DER SubjectPublicKeyInfo.
pub(crate) fn oaep_encrypt(
    spki: &[u8],
    hash: Hash,
    msg: &[u8],
    rng: &mut impl rand_core::CryptoRngCore,
) -> Option<Vec<u8>> {
    (crypto()?.oaep_encrypt)(spki, hash, msg, rng)
}

/// RSA-OAEP decryption with a PKCS#8 private key.
pub(crate) fn oaep_decrypt(der: &[u8], hash: Hash, ct: &[u8]) -> Option<Vec<u8>> {
    (crypto()?.oaep_decrypt)(der, hash, ct)
}

/// ECDH: the raw shared secret (the x-coordinate) of our private key and the peer's SPKI.
pub(crate) fn ecdh(spec: Spec, der: &[u8], peer_spki: &[u8]) -> Option<Vec<u8>> {
    (crypto()?.ecdh)(spec, der, peer_spki)
}

/// RFC 5649 AES key wrap with padding (KWP) with a 256-bit key encryption key.
pub(crate) fn kwp_wrap(kek: &[u8; 32], data: &[u8]) -> Option<Vec<u8>> {
    aes_kw::KekAes256::from(*kek)
        .wrap_with_padding_vec(data)
        .ok()
}

/// The inverse of [`kwp_wrap`].
pub(crate) fn kwp_unwrap(kek: &[u8; 32], data: &[u8]) -> Option<Vec<u8>> {
    // RFC 5649 ciphertext is at least two semiblocks; aes-kw 0.2 underflows on a single one.
    if data.len() < 16 {
        return None;
    }
    aes_kw::KekAes256::from(*kek)
        .unwrap_with_padding_vec(data)
        .ok()
}

#[cfg(test)]
mod test {
    use super::*;

    /// Found by the `key_material` fuzz target: an 8-byte key-wrapped part (what wrapping empty
    /// material gives) overflowed inside aes-kw instead of failing to unwrap.
    #[test]
    fn kwp_unwrap_refuses_less_than_two_semiblocks() {
        let kek = [7u8; 32];
        assert_eq!(kwp_unwrap(&kek, &[0u8; 8]), None);
        assert_eq!(kwp_unwrap(&kek, &[]), None);
        let wrapped = kwp_wrap(&kek, &[1u8; 32]).unwrap_or_default();
        assert_eq!(kwp_unwrap(&kek, &wrapped), Some(vec![1u8; 32]));
    }

    fn h(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    /// RFC 4231 test case 2 ("Jefe").
    #[test]
    fn hmac_rfc4231_case_2() {
        let msg = b"what do ya want for nothing?";
        let cases = [
            (
                224,
                "a30e01098bc6dbbf45690f3a7e9e6d0f8bbea2a39e6148008fd05e44",
            ),
            (
                256,
                "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
            ),
            (
                384,
                "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649",
            ),
            (
                512,
                "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737",
            ),
        ];
        for (bits, want) in cases {
            assert_eq!(
                hmac(Spec::Hmac(bits), b"Jefe", msg).unwrap(),
                h(want),
                "{bits}"
            );
        }
    }

    /// RFC 5649 section 6 (192-bit KEK, checked on the same `aes-kw` code path), and a 256-bit
    /// round trip through the lab's functions.
    #[test]
    fn kwp_rfc5649_vectors() {
        let kek: [u8; 24] = h("5840df6e29b02af1ab493b705bf16ea1ae8338f4dcc176a8")
            .try_into()
            .unwrap();
        let k = aes_kw::KekAes192::from(kek);
        let twenty = h("c37b7e6492584340bed12207808941155068f738");
        assert_eq!(
            k.wrap_with_padding_vec(&twenty).unwrap(),
            h("138bdeaa9b8fa7fc61f97742e72248ee5ae6ae5360d1ae6a5f54f373fa543b6a")
        );
        let seven = h("466f7250617369");
        assert_eq!(
            k.wrap_with_padding_vec(&seven).unwrap(),
            h("afbeb0f07dfbf5419200f2ccb50bb24f")
        );
        let kek256 = [9u8; 32];
        for len in [1usize, 7, 8, 9, 32, 100] {
            let data = vec![0x5a; len];
            let w = kwp_wrap(&kek256, &data).unwrap();
            assert_eq!(w.len(), len.div_ceil(8) * 8 + 8);
            assert_eq!(kwp_unwrap(&kek256, &w).unwrap(), data);
            let mut bad = w.clone();
            bad[0] ^= 1;
            assert!(kwp_unwrap(&kek256, &bad).is_none());
        }
    }

    /// RFC 8032 section 7.1 TEST 1 (empty message).
    #[test]
    fn ed25519_rfc8032_test_1() {
        use ed25519_dalek::pkcs8::EncodePrivateKey;
        let secret: [u8; 32] =
            h("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
                .try_into()
                .unwrap();
        let der = ed25519_dalek::SigningKey::from_bytes(&secret)
            .to_pkcs8_der()
            .unwrap();
        let mut rng = WorldRng::new(1);
        let sig = sign(
            Spec::Ed25519,
            der.as_bytes(),
            "ED25519_SHA_512",
            b"",
            &mut rng,
        )
        .unwrap();
        assert_eq!(
            sig,
            h(
                "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
            )
        );
        let spki = public_spki(Spec::Ed25519, der.as_bytes()).unwrap();
        assert!(verify(Spec::Ed25519, &spki, "ED25519_SHA_512", b"", &sig));
        assert!(!verify(Spec::Ed25519, &spki, "ED25519_SHA_512", b"x", &sig));
    }

    #[test]
    fn oaep_limits_per_spec() {
        assert_eq!(oaep_max(2048, Hash::Sha256), 190);
        assert_eq!(oaep_max(2048, Hash::Sha1), 214);
        assert_eq!(oaep_max(3072, Hash::Sha256), 318);
        assert_eq!(oaep_max(3072, Hash::Sha1), 342);
        assert_eq!(oaep_max(4096, Hash::Sha256), 446);
        assert_eq!(oaep_max(4096, Hash::Sha1), 470);
    }

    /// Same seed, same key: generation is a pure function (which makes the memo sound).
    #[test]
    fn rsa_generation_is_deterministic() {
        let a = rsa_private_der(2048, [1; 32]).unwrap();
        {
            let mut m = RSA_MEMO.lock().unwrap();
            m.clear();
        }
        let b = rsa_private_der(2048, [1; 32]).unwrap();
        assert_eq!(a, b);
        assert!(valid_private(Spec::Rsa(2048), &a));
        assert!(!valid_private(Spec::Rsa(3072), &a));
    }
}
