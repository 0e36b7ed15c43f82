//! Local, client-side cryptography AWS users perform outside KMS (the aws-cli's `lab local`): RSA-OAEP
//! encryption with a KMS public key, and wrapping key material for `ImportKeyMaterial`.

use crate::kms::asym;

/// RSA-OAEP encryption with a DER SubjectPublicKeyInfo (`GetPublicKey`'s `PublicKey`);
/// `algorithm` is `RSAES_OAEP_SHA_1` or `RSAES_OAEP_SHA_256`.
pub fn rsa_oaep_encrypt(
    public_key_der: &[u8],
    algorithm: &str,
    plaintext: &[u8],
    rng: &mut impl rand_core::CryptoRngCore,
) -> Result<Vec<u8>, String> {
    let hash = match algorithm {
        "RSAES_OAEP_SHA_1" | "RSAES_OAEP_SHA_256" => asym::oaep_hash(algorithm),
        _ => None,
    }
    .ok_or_else(|| {
        format!("unknown algorithm `{algorithm}`: use RSAES_OAEP_SHA_1 or RSAES_OAEP_SHA_256")
    })?;
    asym::oaep_encrypt(public_key_der, hash, plaintext, rng).ok_or_else(|| {
        "RSA-OAEP encryption failed: the public key is not a DER RSA SubjectPublicKeyInfo, or the plaintext is too long for it".to_owned()
    })
}

/// Wraps key material for `ImportKeyMaterial` with the wrapping public key of
/// `GetParametersForImport`: `RSAES_OAEP_SHA_*` directly, `RSA_AES_KEY_WRAP_SHA_*` as
/// RSA-OAEP(fresh AES-256 key) followed by RFC 5649 AES key wrap with padding of the material.
pub fn wrap_key_material(
    public_key_der: &[u8],
    algorithm: &str,
    material: &[u8],
    rng: &mut impl rand_core::CryptoRngCore,
) -> Result<Vec<u8>, String> {
    match algorithm {
        "RSAES_OAEP_SHA_1" | "RSAES_OAEP_SHA_256" => {
            rsa_oaep_encrypt(public_key_der, algorithm, material, rng)
        }
        "RSA_AES_KEY_WRAP_SHA_1" | "RSA_AES_KEY_WRAP_SHA_256" => {
            let hash = asym::oaep_hash(algorithm).ok_or("bad algorithm")?;
            let mut aes = zeroize::Zeroizing::new([0u8; 32]);
            rng.fill_bytes(aes.as_mut());
            let mut out = asym::oaep_encrypt(public_key_der, hash, aes.as_ref(), rng)
                .ok_or("RSA-OAEP encryption of the AES key failed: is the public key a DER RSA SubjectPublicKeyInfo?")?;
            out.extend(asym::kwp_wrap(&aes, material).ok_or("AES key wrap failed")?);
            Ok(out)
        }
        other => Err(format!(
            "unknown wrapping algorithm `{other}`: use RSAES_OAEP_SHA_1, RSAES_OAEP_SHA_256, RSA_AES_KEY_WRAP_SHA_1 or RSA_AES_KEY_WRAP_SHA_256"
        )),
    }
}

/// RFC 5649 AES key wrap with padding under a 256-bit key (for tests and teaching).
pub fn aes_kwp_wrap(kek: &[u8; 32], data: &[u8]) -> Option<Vec<u8>> {
    asym::kwp_wrap(kek, data)
}

/// The inverse of [`aes_kwp_wrap`].
pub fn aes_kwp_unwrap(kek: &[u8; 32], data: &[u8]) -> Option<Vec<u8>> {
    asym::kwp_unwrap(kek, data)
}
