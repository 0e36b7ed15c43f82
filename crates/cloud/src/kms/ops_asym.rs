//! Asymmetric and HMAC operations: Sign, Verify, GetPublicKey, GenerateMac, VerifyMac,
//! GenerateDataKeyPair(WithoutPlaintext), DeriveSharedSecret, and RSA-OAEP Encrypt/Decrypt.

use super::asym::{self, Spec};
use super::key::StateRule;
use super::model::{
    Blob, DecryptRequest, DecryptResponse, DeriveSharedSecretRequest, DeriveSharedSecretResponse,
    EncryptRequest, EncryptResponse, GenerateDataKeyPairRequest, GenerateDataKeyPairResponse,
    GenerateMacRequest, GenerateMacResponse, GetPublicKeyRequest, GetPublicKeyResponse,
    SignRequest, SignResponse, VerifyMacRequest, VerifyMacResponse, VerifyRequest, VerifyResponse,
};
use super::ops_keys::enum_check;
use super::pq;
use super::{Env, KeyTarget, Kms, KmsError, RequestConditions};
use crate::context::CallContext;

/// Largest `Message` of Sign/Verify/GenerateMac/VerifyMac.
const MAX_MESSAGE: usize = 4096;

const SIGNING_ALGORITHMS: &[&str] = &[
    "RSASSA_PSS_SHA_256",
    "RSASSA_PSS_SHA_384",
    "RSASSA_PSS_SHA_512",
    "RSASSA_PKCS1_V1_5_SHA_256",
    "RSASSA_PKCS1_V1_5_SHA_384",
    "RSASSA_PKCS1_V1_5_SHA_512",
    "ECDSA_SHA_256",
    "ECDSA_SHA_384",
    "ECDSA_SHA_512",
    "SM2DSA",
    "ML_DSA_SHAKE_256",
    "ED25519_SHA_512",
    "ED25519_PH_SHA_512",
];
const MAC_ALGORITHMS: &[&str] = &[
    "HMAC_SHA_224",
    "HMAC_SHA_256",
    "HMAC_SHA_384",
    "HMAC_SHA_512",
];
const KEY_PAIR_SPECS: &[&str] = &[
    "RSA_2048",
    "RSA_3072",
    "RSA_4096",
    "ECC_NIST_P256",
    "ECC_NIST_P384",
    "ECC_NIST_P521",
    "ECC_SECG_P256K1",
    "SM2",
    "ECC_NIST_EDWARDS25519",
    "ML_KEM_512",
    "ML_KEM_768",
    "ML_KEM_1024",
];

fn message_len(m: &Blob, member: &str) -> Result<(), KmsError> {
    if m.0.is_empty() {
        return Err(KmsError::constraint(
            None,
            member,
            "Member must have length greater than or equal to 1",
        ));
    }
    if m.0.len() > MAX_MESSAGE {
        return Err(KmsError::constraint(
            None,
            member,
            "Member must have length less than or equal to 4096",
        ));
    }
    Ok(())
}

fn cond(pairs: &[(&str, &str)], tokens: Option<&Vec<String>>) -> RequestConditions {
    pairs
        .iter()
        .fold(RequestConditions::new().tokens(tokens), |c, (k, v)| {
            c.with(k, vec![(*v).to_owned()])
        })
}

fn wrong_usage(arn: &str, usage: &str, op: &str) -> KmsError {
    KmsError::InvalidKeyUsage(format!(
        "{arn} key usage is {usage} which is not valid for {op}."
    ))
}

/// What a signing request reduces to: what to hand the signer.
fn to_be_signed(
    spec: Spec,
    alg: &str,
    message: &[u8],
    message_type: Option<&str>,
) -> Result<Vec<u8>, KmsError> {
    let mt = message_type.unwrap_or("RAW");
    enum_check(mt, "messageType", &["RAW", "DIGEST", "EXTERNAL_MU"])?;
    // AWS: `Message type DIGEST is incompatible with key spec ML_DSA_44.`
    let incompatible = || {
        KmsError::Validation(format!(
            "Message type {mt} is incompatible with key spec {}.",
            spec_name(spec)
        ))
    };
    match (spec, mt) {
        (Spec::MlDsa(_), "RAW") => return Ok(message.to_vec()),
        (Spec::MlDsa(_), "EXTERNAL_MU") => {
            if message.len() != super::pq::MU_LEN {
                return Err(KmsError::Validation(format!(
                    "Digest is invalid length for algorithm {alg}."
                )));
            }
            return Ok(message.to_vec());
        }
        (Spec::MlDsa(_), _) | (_, "EXTERNAL_MU") => return Err(incompatible()),
        _ => {}
    }
    if spec == Spec::Ed25519 {
        // ED25519_SHA_512 requires RAW; ED25519_PH_SHA_512 requires DIGEST (a SHA-512 digest,
        // which Ed25519ph hashes again).
        let wanted = if alg == "ED25519_PH_SHA_512" {
            "DIGEST"
        } else {
            "RAW"
        };
        if mt != wanted {
            return Err(KmsError::Validation(format!(
                "The message type {mt} is not valid for signing algorithm {alg}; use {wanted}"
            )));
        }
        if mt == "DIGEST" && message.len() != 64 {
            return Err(KmsError::Validation(format!(
                "Digest is invalid length for algorithm {alg}."
            )));
        }
        return Ok(message.to_vec());
    }
    let hash = asym::signing_hash(alg)
        .ok_or_else(|| KmsError::KmsInternal(format!("no hash for {alg}")))?;
    if mt == "DIGEST" {
        // A digest is signed as given: it is not hashed again.
        if message.len() != hash.len() {
            return Err(KmsError::Validation(format!(
                "Digest is invalid length for algorithm {alg}."
            )));
        }
        return Ok(message.to_vec());
    }
    Ok(hash.digest(message))
}

/// The request members Sign and Verify share.
struct SigningParams<'a> {
    key_id: &'a str,
    message: &'a Blob,
    message_type: Option<&'a str>,
    grant_tokens: Option<&'a Vec<String>>,
    algorithm: &'a str,
    dry_run: Option<bool>,
}

macro_rules! signing_params {
    ($($request:ty),*) => {$(
        impl<'a> From<&'a $request> for SigningParams<'a> {
            fn from(r: &'a $request) -> Self {
                SigningParams {
                    key_id: &r.key_id,
                    message: &r.message,
                    message_type: r.message_type.as_deref(),
                    grant_tokens: r.grant_tokens.as_ref(),
                    algorithm: &r.signing_algorithm,
                    dry_run: r.dry_run,
                }
            }
        }
    )*};
}
signing_params!(SignRequest, VerifyRequest);

/// A signing key ready for Sign or Verify, and the bytes to sign.
struct Signing {
    slot: String,
    spec: Spec,
    der: Vec<u8>,
    arn: String,
    tbs: Vec<u8>,
    /// ML-DSA with `EXTERNAL_MU`: `tbs` is μ.
    mu: bool,
}

impl Kms {
    /// Resolves, authorizes and state-checks a key for an asymmetric/HMAC operation, checking
    /// its key usage. Returns the key's slot.
    pub(crate) fn usable_key(
        &self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        key_id: &str,
        action: &str,
        conditions: &RequestConditions,
        usage: &str,
    ) -> Result<String, KmsError> {
        let slot = self.target_with(
            env,
            ctx,
            &KeyTarget {
                id: key_id,
                allow_alias: true,
                action,
                rule: StateRule::Usable,
                conditions,
            },
        )?;
        let key = self.key(&slot)?;
        if key.usage != usage {
            let op = action.trim_start_matches("kms:");
            return Err(wrong_usage(&key.arn, &key.usage, op));
        }
        Ok(slot)
    }

    pub(crate) fn private_of(&self, slot: &str) -> Result<(Spec, Vec<u8>, String), KmsError> {
        let key = self.key(slot)?;
        let private = key
            .private
            .as_ref()
            .ok_or_else(|| KmsError::KmsInvalidState(format!("{} is pending import.", key.arn)))?;
        Ok((key.spec(), private.0.clone(), key.arn.clone()))
    }

    fn check_signing_alg(spec: Spec, arn: &str, alg: &str) -> Result<(), KmsError> {
        enum_check(alg, "signingAlgorithm", SIGNING_ALGORITHMS)?;
        if !spec.signing_algorithms().contains(&alg) {
            return Err(KmsError::InvalidKeyUsage(format!(
                "Algorithm {alg} is incompatible with key spec {}: {arn} supports {}.",
                spec_name(spec),
                spec.signing_algorithms().join(", ")
            )));
        }
        Ok(())
    }

    /// What Sign and Verify share: validation, the authorized signing key and its material, and
    /// the bytes to sign (the message, or its digest).
    fn signing(
        &self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        action: &str,
        p: &SigningParams<'_>,
    ) -> Result<Signing, KmsError> {
        enum_check(p.algorithm, "signingAlgorithm", SIGNING_ALGORITHMS)?;
        let c = cond(
            &[
                ("kms:SigningAlgorithm", p.algorithm),
                ("kms:MessageType", p.message_type.unwrap_or("RAW")),
            ],
            p.grant_tokens,
        );
        let slot = self.usable_key(env, ctx, p.key_id, action, &c, "SIGN_VERIFY")?;
        let (spec, der, arn) = self.private_of(&slot)?;
        Self::check_signing_alg(spec, &arn, p.algorithm)?;
        let tbs = to_be_signed(spec, p.algorithm, &p.message.0, p.message_type)?;
        if p.dry_run == Some(true) {
            return Err(KmsError::dry_run());
        }
        Ok(Signing {
            slot,
            spec,
            der,
            arn,
            tbs,
            mu: p.message_type == Some("EXTERNAL_MU"),
        })
    }

    pub(crate) fn sign(
        &mut self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        r: &SignRequest,
    ) -> Result<SignResponse, KmsError> {
        message_len(&r.message, "message")?;
        let s = self.signing(env, ctx, "kms:Sign", &r.into())?;
        let sig = match s.spec {
            Spec::MlDsa(level) if s.mu => {
                pq::dsa_sign(level, &s.der, pq::DsaInput::Mu(&s.tbs), env.rng)
            }
            _ => asym::sign(s.spec, &s.der, &r.signing_algorithm, &s.tbs, env.rng),
        }
        .ok_or_else(|| KmsError::KmsInternal("signing failed".into()))?;
        self.note_use(env, &s.slot, "Sign");
        Ok(SignResponse {
            key_id: Some(s.arn),
            signature: Some(Blob(sig)),
            signing_algorithm: Some(r.signing_algorithm.clone()),
        })
    }

    pub(crate) fn verify(
        &mut self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        r: &VerifyRequest,
    ) -> Result<VerifyResponse, KmsError> {
        message_len(&r.message, "message")?;
        if r.signature.0.is_empty() || r.signature.0.len() > 6144 {
            return Err(KmsError::constraint(
                None,
                "signature",
                "Member must have length between 1 and 6144",
            ));
        }
        let s = self.signing(env, ctx, "kms:Verify", &r.into())?;
        let spki = asym::public_spki(s.spec, &s.der)
            .ok_or_else(|| KmsError::KmsInternal("public key unavailable".into()))?;
        self.note_use(env, &s.slot, "Verify");
        let valid = match s.spec {
            Spec::MlDsa(level) if s.mu => {
                pq::dsa_verify(level, &spki, pq::DsaInput::Mu(&s.tbs), &r.signature.0)
            }
            _ => asym::verify(s.spec, &spki, &r.signing_algorithm, &s.tbs, &r.signature.0),
        };
        if !valid {
            return Err(KmsError::KmsInvalidSignature(
                "The signature is not valid for this message, key and signing algorithm.".into(),
            ));
        }
        Ok(VerifyResponse {
            key_id: Some(s.arn),
            signature_valid: Some(true),
            signing_algorithm: Some(r.signing_algorithm.clone()),
        })
    }

    pub(crate) fn get_public_key(
        &mut self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        r: &GetPublicKeyRequest,
    ) -> Result<GetPublicKeyResponse, KmsError> {
        let slot = self.target_with(
            env,
            ctx,
            &KeyTarget {
                id: &r.key_id,
                allow_alias: true,
                action: "kms:GetPublicKey",
                rule: StateRule::Usable,
                conditions: &RequestConditions::new().tokens(r.grant_tokens.as_ref()),
            },
        )?;
        let key = self.key(&slot)?;
        let spec = key.spec();
        if matches!(spec, Spec::Symmetric | Spec::Hmac(_)) {
            return Err(KmsError::UnsupportedOperation(format!(
                "{} is not an asymmetric KMS key: GetPublicKey works only with asymmetric KMS keys.",
                key.arn
            )));
        }
        let (_, der, arn) = self.private_of(&slot)?;
        let spki = asym::public_spki(spec, &der)
            .ok_or_else(|| KmsError::KmsInternal("public key unavailable".into()))?;
        let key = self.key(&slot)?;
        let list = |l: &[&str]| l.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        Ok(GetPublicKeyResponse {
            key_id: Some(arn),
            public_key: Some(Blob(spki)),
            customer_master_key_spec: Some(key.spec.clone()),
            key_spec: Some(key.spec.clone()),
            key_usage: Some(key.usage.clone()),
            encryption_algorithms: (key.usage == "ENCRYPT_DECRYPT")
                .then(|| list(spec.encryption_algorithms())),
            signing_algorithms: (key.usage == "SIGN_VERIFY")
                .then(|| list(spec.signing_algorithms())),
            key_agreement_algorithms: (key.usage == "KEY_AGREEMENT").then(|| list(&["ECDH"])),
            encapsulation_algorithms: (key.usage == "ENCAPSULATE_DECAPSULATE")
                .then(|| list(&["ML_KEM"])),
        })
    }

    /// The MAC of `mac.message` under the key `mac.key_id` names (resolved, authorized, checked).
    fn mac_of(
        &self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        mac: &MacInput<'_>,
    ) -> Result<(String, Vec<u8>), KmsError> {
        let MacInput {
            key_id,
            alg,
            action,
            message,
            tokens,
        } = *mac;
        message_len(message, "message")?;
        enum_check(alg, "macAlgorithm", MAC_ALGORITHMS)?;
        let c = cond(&[("kms:MacAlgorithm", alg)], tokens);
        let slot = self.usable_key(env, ctx, key_id, action, &c, "GENERATE_VERIFY_MAC")?;
        let (spec, secret, arn) = self.private_of(&slot)?;
        if spec.mac_algorithm() != Some(alg) {
            return Err(KmsError::InvalidKeyUsage(format!(
                "Algorithm {alg} is incompatible with key spec {}: {arn} supports {}.",
                spec_name(spec),
                spec.mac_algorithm().unwrap_or_default()
            )));
        }
        let mac = asym::hmac(spec, &secret, &message.0)
            .ok_or_else(|| KmsError::KmsInternal("HMAC failed".into()))?;
        Ok((slot, mac))
    }

    pub(crate) fn generate_mac(
        &mut self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        r: &GenerateMacRequest,
    ) -> Result<GenerateMacResponse, KmsError> {
        let (slot, mac) = self.mac_of(
            env,
            ctx,
            &MacInput {
                key_id: &r.key_id,
                alg: &r.mac_algorithm,
                action: "kms:GenerateMac",
                message: &r.message,
                tokens: r.grant_tokens.as_ref(),
            },
        )?;
        if r.dry_run == Some(true) {
            return Err(KmsError::dry_run());
        }
        self.note_use(env, &slot, "GenerateMac");
        Ok(GenerateMacResponse {
            mac: Some(Blob(mac)),
            mac_algorithm: Some(r.mac_algorithm.clone()),
            key_id: Some(self.key(&slot)?.arn.clone()),
        })
    }

    pub(crate) fn verify_mac(
        &mut self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        r: &VerifyMacRequest,
    ) -> Result<VerifyMacResponse, KmsError> {
        if r.mac.0.is_empty() || r.mac.0.len() > 6144 {
            return Err(KmsError::constraint(
                None,
                "mac",
                "Member must have length between 1 and 6144",
            ));
        }
        let (slot, mac) = self.mac_of(
            env,
            ctx,
            &MacInput {
                key_id: &r.key_id,
                alg: &r.mac_algorithm,
                action: "kms:VerifyMac",
                message: &r.message,
                tokens: r.grant_tokens.as_ref(),
            },
        )?;
        if r.dry_run == Some(true) {
            return Err(KmsError::dry_run());
        }
        self.note_use(env, &slot, "VerifyMac");
        use subtle_eq::ct_eq;
        if !ct_eq(&mac, &r.mac.0) {
            return Err(KmsError::KmsInvalidMac(
                "The MAC is not valid for this message, key and MAC algorithm.".into(),
            ));
        }
        Ok(VerifyMacResponse {
            key_id: Some(self.key(&slot)?.arn.clone()),
            mac_valid: Some(true),
            mac_algorithm: Some(r.mac_algorithm.clone()),
        })
    }

    pub(crate) fn generate_data_key_pair(
        &mut self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        r: &GenerateDataKeyPairRequest,
        with_plaintext: bool,
    ) -> Result<GenerateDataKeyPairResponse, KmsError> {
        enum_check(&r.key_pair_spec, "keyPairSpec", KEY_PAIR_SPECS)?;
        if r.recipient.is_some() {
            return Err(KmsError::UnsupportedOperation(
                "Recipient (Nitro Enclaves attestation) is valid in AWS, but the lab does not model it yet"
                    .into(),
            ));
        }
        let spec = Spec::parse(&r.key_pair_spec).ok_or_else(|| {
            KmsError::UnsupportedOperation(format!(
                "KeyPairSpec {} is valid in AWS (China Regions), but the lab does not model it",
                r.key_pair_spec
            ))
        })?;
        let ec = r.encryption_context.clone().unwrap_or_default();
        let (action, op) = if with_plaintext {
            ("kms:GenerateDataKeyPair", "GenerateDataKeyPair")
        } else {
            (
                "kms:GenerateDataKeyPairWithoutPlaintext",
                "GenerateDataKeyPairWithoutPlaintext",
            )
        };
        let c = super::ops_crypto::crypto_conditions(
            r.encryption_context.as_ref(),
            r.grant_tokens.as_ref(),
            None,
        )
        .with("kms:DataKeyPairSpec", vec![r.key_pair_spec.clone()]);
        let slot = self.target_with(
            env,
            ctx,
            &KeyTarget {
                id: &r.key_id,
                allow_alias: true,
                action,
                rule: StateRule::Usable,
                conditions: &c,
            },
        )?;
        let key = self.key(&slot)?;
        if key.spec() != Spec::Symmetric {
            return Err(KmsError::InvalidKeyUsage(format!(
                "{} is not a symmetric encryption KMS key: data key pairs are encrypted under symmetric encryption KMS keys.",
                key.arn
            )));
        }
        if r.dry_run == Some(true) {
            return Err(KmsError::dry_run());
        }
        let private = match spec {
            Spec::Rsa(bits) => self.rsa_pool.draw(bits),
            other => asym::generate_non_rsa(other, env.rng),
        }
        .ok_or_else(|| KmsError::KmsInternal("key pair generation failed".into()))?;
        let public = asym::public_spki(spec, &private.0)
            .ok_or_else(|| KmsError::KmsInternal("public key unavailable".into()))?;
        let (blob, material) = self.seal_with(env, &slot, &private.0, &ec)?;
        env.audit.key_material_id = Some(std::sync::Arc::clone(&material));
        self.note_use(env, &slot, op);
        Ok(GenerateDataKeyPairResponse {
            private_key_ciphertext_blob: Some(Blob(blob)),
            private_key_plaintext: with_plaintext.then(|| Blob(private.0.clone())),
            public_key: Some(Blob(public)),
            key_id: Some(self.key(&slot)?.arn.clone()),
            key_pair_spec: Some(r.key_pair_spec.clone()),
            key_material_id: Some(material.to_string()),
        })
    }

    pub(crate) fn derive_shared_secret(
        &mut self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        r: &DeriveSharedSecretRequest,
    ) -> Result<DeriveSharedSecretResponse, KmsError> {
        enum_check(
            &r.key_agreement_algorithm,
            "keyAgreementAlgorithm",
            &["ECDH"],
        )?;
        if r.public_key.0.is_empty() || r.public_key.0.len() > 8192 {
            return Err(KmsError::constraint(
                None,
                "publicKey",
                "Member must have length between 1 and 8192",
            ));
        }
        if r.recipient.is_some() {
            return Err(KmsError::UnsupportedOperation(
                "Recipient (Nitro Enclaves attestation) is valid in AWS, but the lab does not model it yet"
                    .into(),
            ));
        }
        let c = cond(
            &[("kms:KeyAgreementAlgorithm", &r.key_agreement_algorithm)],
            r.grant_tokens.as_ref(),
        );
        let slot = self.usable_key(
            env,
            ctx,
            &r.key_id,
            "kms:DeriveSharedSecret",
            &c,
            "KEY_AGREEMENT",
        )?;
        let (spec, der, arn) = self.private_of(&slot)?;
        let secret = asym::ecdh(spec, &der, &r.public_key.0).ok_or_else(|| {
            KmsError::Validation(format!(
                "PublicKey must be a DER-encoded X.509 SubjectPublicKeyInfo on the curve of {arn} ({})",
                spec_name(spec)
            ))
        })?;
        if r.dry_run == Some(true) {
            return Err(KmsError::dry_run());
        }
        self.note_use(env, &slot, "DeriveSharedSecret");
        let origin = self.key(&slot)?.origin.clone();
        Ok(DeriveSharedSecretResponse {
            key_id: Some(arn),
            shared_secret: Some(Blob(secret)),
            key_agreement_algorithm: Some("ECDH".into()),
            key_origin: Some(origin),
        })
    }

    /// Encrypt with an RSA key (RSAES-OAEP; no encryption context).
    pub(crate) fn rsa_encrypt(
        &mut self,
        env: &mut Env<'_>,
        slot: &str,
        r: &EncryptRequest,
    ) -> Result<EncryptResponse, KmsError> {
        let (spec, der, arn) = self.private_of(slot)?;
        let alg = Self::rsa_alg(
            spec,
            &arn,
            r.encryption_algorithm.as_deref(),
            r.encryption_context.as_ref(),
        )?;
        let hash = asym::oaep_hash(alg).ok_or_else(|| KmsError::KmsInternal("no hash".into()))?;
        let Spec::Rsa(bits) = spec else {
            return Err(KmsError::KmsInternal("not an RSA key".into()));
        };
        let max = asym::oaep_max(bits, hash);
        if r.plaintext.0.len() > max {
            return Err(KmsError::Validation(format!(
                "Plaintext is {} bytes; {alg} with {} takes at most {max} bytes.",
                r.plaintext.0.len(),
                spec_name(spec)
            )));
        }
        if r.dry_run == Some(true) {
            return Err(KmsError::dry_run());
        }
        let spki = asym::public_spki(spec, &der)
            .ok_or_else(|| KmsError::KmsInternal("public key unavailable".into()))?;
        let ct = asym::oaep_encrypt(&spki, hash, &r.plaintext.0, env.rng)
            .ok_or_else(|| KmsError::KmsInternal("encryption failed".into()))?;
        self.note_use(env, slot, "Encrypt");
        Ok(EncryptResponse {
            ciphertext_blob: Some(Blob(ct)),
            key_id: Some(arn),
            encryption_algorithm: Some(alg.to_owned()),
        })
    }

    /// Decrypt with an RSA key.
    pub(crate) fn rsa_decrypt(
        &mut self,
        env: &mut Env<'_>,
        slot: &str,
        r: &DecryptRequest,
    ) -> Result<DecryptResponse, KmsError> {
        let (spec, der, arn) = self.private_of(slot)?;
        let alg = Self::rsa_alg(
            spec,
            &arn,
            r.encryption_algorithm.as_deref(),
            r.encryption_context.as_ref(),
        )?;
        let hash = asym::oaep_hash(alg).ok_or_else(|| KmsError::KmsInternal("no hash".into()))?;
        if r.dry_run == Some(true) {
            return Err(KmsError::dry_run());
        }
        let pt = asym::oaep_decrypt(&der, hash, &r.ciphertext_blob.0).ok_or_else(|| {
            KmsError::InvalidCiphertext(
                "The ciphertext is invalid for this key and encryption algorithm.".into(),
            )
        })?;
        self.note_use(env, slot, "Decrypt");
        Ok(DecryptResponse {
            key_id: Some(arn),
            plaintext: Some(Blob(pt)),
            encryption_algorithm: Some(alg.to_owned()),
            key_material_id: None,
        })
    }

    fn rsa_alg<'a>(
        spec: Spec,
        arn: &str,
        alg: Option<&'a str>,
        ec: Option<&super::model::EncryptionContext>,
    ) -> Result<&'a str, KmsError> {
        if ec.is_some_and(|c| !c.is_empty()) {
            return Err(KmsError::Validation(
                "EncryptionContext is supported only on operations with symmetric encryption KMS keys.".into(),
            ));
        }
        let alg = alg.unwrap_or("SYMMETRIC_DEFAULT");
        if !spec.encryption_algorithms().contains(&alg) {
            return Err(KmsError::InvalidKeyUsage(format!(
                "The encryption algorithm {alg} is not valid for {arn} ({}): use {}.",
                spec_name(spec),
                spec.encryption_algorithms().join(" or ")
            )));
        }
        Ok(alg)
    }
}

/// The AWS name of a spec.
pub(crate) fn spec_name(spec: Spec) -> String {
    match spec {
        Spec::Symmetric => "SYMMETRIC_DEFAULT".into(),
        Spec::Rsa(b) => format!("RSA_{b}"),
        Spec::P256 => "ECC_NIST_P256".into(),
        Spec::P384 => "ECC_NIST_P384".into(),
        Spec::P521 => "ECC_NIST_P521".into(),
        Spec::K256 => "ECC_SECG_P256K1".into(),
        Spec::Ed25519 => "ECC_NIST_EDWARDS25519".into(),
        Spec::Hmac(b) => format!("HMAC_{b}"),
        Spec::MlDsa(l) => format!("ML_DSA_{l}"),
        Spec::MlKem(l) => format!("ML_KEM_{l}"),
    }
}

mod subtle_eq {
    /// Constant-time equality of two byte strings (length is not secret).
    pub(super) fn ct_eq(a: &[u8], b: &[u8]) -> bool {
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }
}

/// The members of a `GenerateMac` / `VerifyMac` request that computing the MAC needs.
#[derive(Clone, Copy, Debug)]
struct MacInput<'a> {
    key_id: &'a str,
    alg: &'a str,
    /// `kms:GenerateMac` or `kms:VerifyMac`.
    action: &'a str,
    message: &'a Blob,
    tokens: Option<&'a Vec<String>>,
}
