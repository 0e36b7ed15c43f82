//! Post-quantum key material: ML-DSA (FIPS 204) signing keys and ML-KEM (FIPS 203) key
//! encapsulation keys, with RustCrypto's `ml-dsa` and `ml-kem`.
//!
//! Private keys are stored as PKCS#8 DER in the seed form (the 32-byte ξ of ML-DSA, the 64-byte
//! d‖z of ML-KEM); public keys are DER SubjectPublicKeyInfo, as GetPublicKey returns them. Every
//! seed, signing nonce (`rnd`) and encapsulation message (`m`) comes from the world's RNG.

use ml_dsa::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};
use ml_dsa::{Keypair as _, MlDsa44, MlDsa65, MlDsa87, MlDsaParams};
use ml_kem::Decapsulate;

use crate::env::WorldRng;

/// Bytes of the message representative μ (FIPS 204 section 6.2) that `EXTERNAL_MU` signs.
pub(crate) const MU_LEN: usize = 64;

/// The world's RNG behind the `rand_core` 0.10 traits the `ml-dsa` crate asks for.
struct Rng10<'a>(&'a mut WorldRng);

impl rand_core_10::TryRng for Rng10<'_> {
    type Error = core::convert::Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        Ok(rand_core::RngCore::next_u32(self.0))
    }

    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        Ok(rand_core::RngCore::next_u64(self.0))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        rand_core::RngCore::fill_bytes(self.0, dst);
        Ok(())
    }
}

impl rand_core_10::TryCryptoRng for Rng10<'_> {}

/// What ML-DSA signs or verifies: the message (pure ML-DSA, empty context) or an external μ.
#[derive(Clone, Copy, Debug)]
pub(crate) enum DsaInput<'a> {
    Raw(&'a [u8]),
    Mu(&'a [u8]),
}

macro_rules! dsa_dispatch {
    ($level:expr, $f:ident ( $($arg:expr),* )) => {
        match $level {
            44 => $f::<MlDsa44>($($arg),*),
            65 => $f::<MlDsa65>($($arg),*),
            87 => $f::<MlDsa87>($($arg),*),
            _ => None,
        }
    };
}

/// Runs `$body` with `$m` naming the `ml-kem` module of `$level` (the crate keeps its parameter
/// trait private, so the code is written once per concrete parameter set).
macro_rules! with_kem {
    ($level:expr, |$m:ident| $body:expr) => {
        match $level {
            512 => {
                use ml_kem::ml_kem_512 as $m;
                $body
            }
            768 => {
                use ml_kem::ml_kem_768 as $m;
                $body
            }
            1024 => {
                use ml_kem::ml_kem_1024 as $m;
                $body
            }
            _ => None,
        }
    };
}

/// A new ML-DSA private key (PKCS#8 DER) of `level` (44, 65 or 87).
pub(crate) fn dsa_generate(level: u16, rng: &mut WorldRng) -> Option<Vec<u8>> {
    fn gen_key<P: MlDsaParams>(seed: [u8; 32]) -> Option<Vec<u8>>
    where
        ml_dsa::SigningKey<P>: EncodePrivateKey,
    {
        let key = ml_dsa::SigningKey::<P>::from_seed(&seed.into());
        Some(key.to_pkcs8_der().ok()?.as_bytes().to_vec())
    }
    let seed: [u8; 32] = rng.array();
    dsa_dispatch!(level, gen_key(seed))
}

/// The DER SubjectPublicKeyInfo of an ML-DSA private key.
pub(crate) fn dsa_public(level: u16, der: &[u8]) -> Option<Vec<u8>> {
    fn public<P: MlDsaParams>(der: &[u8]) -> Option<Vec<u8>>
    where
        ml_dsa::SigningKey<P>: DecodePrivateKey,
        ml_dsa::VerifyingKey<P>: EncodePublicKey,
    {
        let key = ml_dsa::SigningKey::<P>::from_pkcs8_der(der).ok()?;
        let spki = key.verifying_key().to_public_key_der().ok()?;
        Some(spki.as_bytes().to_vec())
    }
    dsa_dispatch!(level, public(der))
}

/// Signs with the hedged (randomized) ML-DSA.Sign of FIPS 204 and an empty context string.
pub(super) fn dsa_sign_imp(
    level: u16,
    der: &[u8],
    input: DsaInput<'_>,
    rng: &mut WorldRng,
) -> Option<Vec<u8>> {
    fn sign<P: MlDsaParams>(der: &[u8], input: DsaInput<'_>, rng: &mut WorldRng) -> Option<Vec<u8>>
    where
        ml_dsa::SigningKey<P>: DecodePrivateKey,
    {
        let key = ml_dsa::SigningKey::<P>::from_pkcs8_der(der).ok()?;
        let key = key.expanded_key();
        let mut rng = Rng10(rng);
        let sig = match input {
            DsaInput::Raw(msg) => key.sign_randomized(msg, &[], &mut rng).ok()?,
            DsaInput::Mu(mu) => key.sign_mu_randomized(mu.try_into().ok()?, &mut rng).ok()?,
        };
        Some(sig.encode().to_vec())
    }
    dsa_dispatch!(level, sign(der, input, rng))
}

/// Verifies an ML-DSA signature against a DER SubjectPublicKeyInfo.
pub(super) fn dsa_verify_imp(level: u16, spki: &[u8], input: DsaInput<'_>, sig: &[u8]) -> bool {
    fn verify<P: MlDsaParams>(spki: &[u8], input: DsaInput<'_>, sig: &[u8]) -> Option<bool>
    where
        ml_dsa::VerifyingKey<P>: DecodePublicKey,
    {
        let key = ml_dsa::VerifyingKey::<P>::from_public_key_der(spki).ok()?;
        let sig = ml_dsa::Signature::<P>::try_from(sig).ok()?;
        Some(match input {
            DsaInput::Raw(msg) => key.verify_with_context(msg, &[], &sig),
            DsaInput::Mu(mu) => key.verify_mu(mu.try_into().ok()?, &sig),
        })
    }
    dsa_dispatch!(level, verify(spki, input, sig)).unwrap_or(false)
}

/// A new ML-KEM private key (PKCS#8 DER, seed form) of `level` (512, 768 or 1024).
pub(crate) fn kem_generate(level: u16, rng: &mut WorldRng) -> Option<Vec<u8>> {
    use ml_kem::pkcs8::EncodePrivateKey as _;
    let seed: [u8; 64] = rng.array();
    with_kem!(level, |m| {
        let key = m::DecapsulationKey::from_seed(seed.into());
        Some(key.to_pkcs8_der().ok()?.as_bytes().to_vec())
    })
}

/// The DER SubjectPublicKeyInfo of an ML-KEM private key.
pub(crate) fn kem_public(level: u16, der: &[u8]) -> Option<Vec<u8>> {
    use ml_kem::pkcs8::{DecodePrivateKey as _, EncodePublicKey as _};
    with_kem!(level, |m| {
        let key = m::DecapsulationKey::from_pkcs8_der(der).ok()?;
        let spki = key.encapsulation_key().to_public_key_der().ok()?;
        Some(spki.as_bytes().to_vec())
    })
}

/// ML-KEM.Encaps with the public key (DER SubjectPublicKeyInfo): the shared secret and its
/// ciphertext.
pub(super) fn kem_encapsulate_imp(
    level: u16,
    spki: &[u8],
    rng: &mut WorldRng,
) -> Option<(Vec<u8>, Vec<u8>)> {
    use ml_kem::pkcs8::DecodePublicKey as _;
    let msg: [u8; 32] = rng.array();
    with_kem!(level, |m| {
        let key = m::EncapsulationKey::from_public_key_der(spki).ok()?;
        let (ct, shared) = key.encapsulate_deterministic(&msg.into());
        Some((shared.to_vec(), ct.to_vec()))
    })
}

/// The ciphertext length of an ML-KEM level.
pub(crate) fn kem_ciphertext_len(level: u16) -> usize {
    match level {
        512 => 768,
        768 => 1088,
        _ => 1568,
    }
}

/// ML-KEM.Decaps: the shared secret of `ct` (implicit rejection: a pseudo-random secret for a
/// ciphertext that was not made with this key). `None` when `ct` has the wrong length.
pub(super) fn kem_decapsulate_imp(level: u16, der: &[u8], ct: &[u8]) -> Option<Vec<u8>> {
    use ml_kem::pkcs8::DecodePrivateKey as _;
    with_kem!(level, |m| {
        let key = m::DecapsulationKey::from_pkcs8_der(der).ok()?;
        let ct = m::Ciphertext::try_from(ct).ok()?;
        Some(key.decapsulate(&ct).to_vec())
    })
}

/// Signs with ML-DSA (see `dsa_sign_imp`), through the engine's extension
/// (`super::asym::Crypto`).
pub(crate) fn dsa_sign(
    level: u16,
    der: &[u8],
    input: DsaInput<'_>,
    rng: &mut WorldRng,
) -> Option<Vec<u8>> {
    (super::asym::crypto()?.dsa_sign)(level, der, input, rng)
}

/// Verifies an ML-DSA signature (see `dsa_verify_imp`), through the engine's extension.
pub(crate) fn dsa_verify(level: u16, spki: &[u8], input: DsaInput<'_>, sig: &[u8]) -> bool {
    super::asym::crypto().is_some_and(|c| (c.dsa_verify)(level, spki, input, sig))
}

/// ML-KEM encapsulation (see `kem_encapsulate_imp`), through the engine's extension.
pub(crate) fn kem_encapsulate(
    level: u16,
    spki: &[u8],
    rng: &mut WorldRng,
) -> Option<(Vec<u8>, Vec<u8>)> {
    (super::asym::crypto()?.kem_encapsulate)(level, spki, rng)
}

/// ML-KEM decapsulation (see `kem_decapsulate_imp`), through the engine's extension.
pub(crate) fn kem_decapsulate(level: u16, der: &[u8], ct: &[u8]) -> Option<Vec<u8>> {
    (super::asym::crypto()?.kem_decapsulate)(level, der, ct)
}
