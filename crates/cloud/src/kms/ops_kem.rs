//! ML-KEM key encapsulation: `Encapsulate` (a shared secret and its ciphertext, made with the
//! key pair's public key) and `Decapsulate` (the shared secret back from the ciphertext).
//!
//! <https://docs.aws.amazon.com/kms/latest/APIReference/API_Encapsulate.html>,
//! <https://docs.aws.amazon.com/kms/latest/APIReference/API_Decapsulate.html>.

use super::asym::{self, Spec};
use super::model::{
    Blob, DecapsulateRequest, DecapsulateResponse, EncapsulateRequest, EncapsulateResponse,
};
use super::ops_keys::enum_check;
use super::{Env, Kms, KmsError, RequestConditions, pq};
use crate::context::CallContext;

/// The `EncapsulationAlgorithmSpec` enum.
const ENCAPSULATION_ALGORITHMS: &[&str] = &["ML_KEM"];

/// The ML-KEM level of a key spec.
fn kem_level(spec: Spec) -> Result<u16, KmsError> {
    match spec {
        Spec::MlKem(level) => Ok(level),
        _ => Err(KmsError::KmsInternal("not an ML-KEM key".into())),
    }
}

impl Kms {
    pub(crate) fn encapsulate(
        &mut self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        r: &EncapsulateRequest,
    ) -> Result<EncapsulateResponse, KmsError> {
        enum_check(
            &r.encapsulation_algorithm,
            "encapsulationAlgorithm",
            ENCAPSULATION_ALGORITHMS,
        )?;
        let c = RequestConditions::new().tokens(r.grant_tokens.as_ref());
        let slot = self.usable_key(
            env,
            ctx,
            &r.key_id,
            "kms:Encapsulate",
            &c,
            "ENCAPSULATE_DECAPSULATE",
        )?;
        let (spec, der, arn) = self.private_of(&slot)?;
        let level = kem_level(spec)?;
        if r.dry_run == Some(true) {
            return Err(KmsError::dry_run());
        }
        let spki = asym::public_spki(spec, &der)
            .ok_or_else(|| KmsError::KmsInternal("public key unavailable".into()))?;
        let (secret, ct) = pq::kem_encapsulate(level, &spki, env.rng)
            .ok_or_else(|| KmsError::KmsInternal("encapsulation failed".into()))?;
        self.note_use(env, &slot, "Encapsulate");
        Ok(EncapsulateResponse {
            key_id: Some(arn),
            shared_secret: Some(Blob(secret)),
            shared_secret_ciphertext_blob: Some(Blob(ct)),
            encapsulation_algorithm: Some(r.encapsulation_algorithm.clone()),
        })
    }

    pub(crate) fn decapsulate(
        &mut self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        r: &DecapsulateRequest,
    ) -> Result<DecapsulateResponse, KmsError> {
        let ct = &r.shared_secret_ciphertext_blob.0;
        if ct.is_empty() || ct.len() > 6144 {
            return Err(KmsError::constraint(
                None,
                "sharedSecretCiphertextBlob",
                "Member must have length between 1 and 6144",
            ));
        }
        enum_check(
            &r.encapsulation_algorithm,
            "encapsulationAlgorithm",
            ENCAPSULATION_ALGORITHMS,
        )?;
        let c = RequestConditions::new().tokens(r.grant_tokens.as_ref());
        let slot = self.usable_key(
            env,
            ctx,
            &r.key_id,
            "kms:Decapsulate",
            &c,
            "ENCAPSULATE_DECAPSULATE",
        )?;
        let (spec, der, arn) = self.private_of(&slot)?;
        let level = kem_level(spec)?;
        // Only a ciphertext of the wrong length is refused; any other ciphertext decapsulates
        // to a pseudo-random secret (ML-KEM's implicit rejection), as in AWS.
        let want = pq::kem_ciphertext_len(level);
        if ct.len() != want {
            return Err(KmsError::InvalidCiphertext(format!(
                "The encapsulated shared secret is {} bytes; {} takes {want} bytes.",
                ct.len(),
                super::ops_asym::spec_name(spec)
            )));
        }
        if r.dry_run == Some(true) {
            return Err(KmsError::dry_run());
        }
        let secret = pq::kem_decapsulate(level, &der, ct)
            .ok_or_else(|| KmsError::KmsInternal("decapsulation failed".into()))?;
        self.note_use(env, &slot, "Decapsulate");
        Ok(DecapsulateResponse {
            key_id: Some(arn),
            shared_secret: Some(Blob(secret)),
            encapsulation_algorithm: Some(r.encapsulation_algorithm.clone()),
        })
    }
}
