//! Cryptographic operations: Encrypt, Decrypt, ReEncrypt, GenerateDataKey(WithoutPlaintext),
//! GenerateRandom.

use serde_json::{Value, json};

use super::asym::Spec;
use super::crypto::{open, parse_blob, seal};
use super::key::{Key, StateRule};
use super::model::{
    Blob, DecryptRequest, DecryptResponse, EncryptRequest, EncryptResponse, EncryptionContext,
    GenerateDataKeyRequest, GenerateDataKeyResponse, GenerateRandomRequest, GenerateRandomResponse,
    ReEncryptRequest, ReEncryptResponse,
};
use super::ops_keys::enum_check;
use super::{Env, KeyTarget, Kms, KmsError, RequestConditions};
use crate::context::CallContext;

const ALGORITHMS: &[&str] = &[
    "SYMMETRIC_DEFAULT",
    "RSAES_OAEP_SHA_1",
    "RSAES_OAEP_SHA_256",
    "SM2PKE",
];

fn check_algorithm(alg: Option<&str>, member: &str, key_arn: Option<&str>) -> Result<(), KmsError> {
    let Some(a) = alg else { return Ok(()) };
    enum_check(a, member, ALGORITHMS)?;
    if a != "SYMMETRIC_DEFAULT" {
        return Err(KmsError::InvalidKeyUsage(format!(
            "The encryption algorithm {a} is not supported by {}: symmetric encryption keys use SYMMETRIC_DEFAULT",
            key_arn.unwrap_or("the KMS key")
        )));
    }
    Ok(())
}

fn check_blob_len(blob: &Blob, member: &str, max: usize) -> Result<(), KmsError> {
    if blob.0.is_empty() {
        return Err(KmsError::constraint(
            None,
            member,
            "Member must have length greater than or equal to 1",
        ));
    }
    if blob.0.len() > max {
        return Err(KmsError::constraint(
            None,
            member,
            &format!("Member must have length less than or equal to {max}"),
        ));
    }
    Ok(())
}

/// The seam's inputs of a cryptographic request: its encryption context (as given), grant
/// tokens, `kms:EncryptionAlgorithm` and `kms:RequestAlias`.
pub(crate) fn crypto_conditions(
    ec: Option<&EncryptionContext>,
    tokens: Option<&Vec<String>>,
    algorithm: Option<&str>,
) -> RequestConditions {
    crypto_conditions_owned(ec.cloned(), tokens, algorithm)
}

/// [`crypto_conditions`] taking the request's encryption context (not copying it).
#[cfg_attr(wasm_speed, optimize(speed))]
pub(crate) fn crypto_conditions_owned(
    ec: Option<EncryptionContext>,
    tokens: Option<&Vec<String>>,
    algorithm: Option<&str>,
) -> RequestConditions {
    let mut c = RequestConditions::new().tokens(tokens);
    c.encryption_context = ec;
    if let Some(a) = algorithm {
        c = c.encryption_algorithm(a, ALGORITHMS);
    }
    c
}

fn invalid_ciphertext() -> KmsError {
    KmsError::InvalidCiphertext(
        "The ciphertext is invalid, or the encryption context or key does not match the one used to encrypt it (KMS does not say which)"
            .into(),
    )
}

fn unsupported_recipient() -> KmsError {
    KmsError::UnsupportedOperation(
        "Recipient (Nitro Enclaves attestation) is valid in AWS, but the lab does not model it yet"
            .into(),
    )
}

fn set_param(env: &mut Env<'_>, name: &'static str, value: Value) {
    env.audit.set_param(name, value);
}

/// Sets the `encryptionAlgorithm` request parameter: a known algorithm's name is not copied.
fn set_algorithm_param(env: &mut Env<'_>, algorithm: &str) {
    match ALGORITHMS.iter().find(|a| **a == algorithm) {
        Some(known) => env.audit.set_param_text("encryptionAlgorithm", known),
        None => set_param(env, "encryptionAlgorithm", json!(algorithm)),
    }
}

/// A decrypted source: the key, its material id and the plaintext.
struct Opened {
    /// The key's slot ([`Key::slot`]): the blob's key id itself when that is the slot.
    key_id: std::sync::Arc<str>,
    material_id: std::sync::Arc<str>,
    plaintext: Blob,
}

impl Kms {
    /// Resolves and authorizes the key for an encrypting operation.
    #[cfg_attr(wasm_speed, optimize(speed))]
    fn encrypting_key(
        &self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        key_id: &str,
        action: &str,
        conditions: &RequestConditions,
    ) -> Result<String, KmsError> {
        let id = self.target_with(
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
        let key = self.key(&id)?;
        if key.spec() != Spec::Symmetric {
            return Err(KmsError::InvalidKeyUsage(format!(
                "{} key usage is {} with key spec {}, which is not valid for {}: it needs a symmetric encryption KMS key.",
                key.arn,
                key.usage,
                key.spec,
                action.trim_start_matches("kms:")
            )));
        }
        Ok(id)
    }

    #[cfg_attr(wasm_speed, optimize(speed))]
    pub(crate) fn seal_with(
        &self,
        env: &mut Env<'_>,
        id: &str,
        plaintext: &[u8],
        ec: &EncryptionContext,
    ) -> Result<(Vec<u8>, std::sync::Arc<str>), KmsError> {
        let key = self.key(id)?;
        let material = key
            .current()
            .ok_or_else(|| KmsError::KmsInvalidState(format!("{} is pending import.", key.arn)))?;
        let blob = seal(
            env.rng,
            &key.id,
            &material.id,
            &material.secret,
            plaintext,
            ec,
        )
        .ok_or_else(|| KmsError::KmsInternal("encryption failed".into()))?;
        Ok((blob, crate::cloudtrail::shared_text(&material.id)))
    }

    /// Decrypts a blob: finds the key from the blob, checks the optional key id, authorizes.
    #[cfg_attr(wasm_speed, optimize(speed))]
    fn open_blob(
        &self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        blob: &Blob,
        key_id: Option<&str>,
        action: &str,
        conditions: &RequestConditions,
    ) -> Result<Opened, KmsError> {
        let no_context = EncryptionContext::new();
        let ec = conditions
            .encryption_context
            .as_ref()
            .unwrap_or(&no_context);
        let expected = key_id
            .map(|k| self.resolve_quiet(ctx, k, true))
            .transpose()?;
        let parsed = parse_blob(&blob.0).ok_or_else(invalid_ciphertext)?;
        let Some(key) = self.find(&parsed.key_id, &ctx.region) else {
            let mrk_slot = format!("{}@{}", parsed.key_id, ctx.region);
            if let Some(arn) = self
                .deleted
                .get(&*parsed.key_id)
                .or_else(|| self.deleted.get(&mrk_slot))
            {
                return Err(KmsError::NotFound(format!("Key '{arn}' does not exist")));
            }
            return Err(invalid_ciphertext());
        };
        env.audit.resource(&key.account, "AWS::KMS::Key", &key.arn);
        if let Some(expected) = expected
            && expected != key.slot()
        {
            return Err(KmsError::IncorrectKey(
                "The key ID in the request does not identify a KMS key that can perform this operation.".into(),
            ));
        }
        let aliased;
        let conditions = match key_id {
            Some(k) if super::resolve::names_alias(k) => {
                aliased = conditions.clone().alias(k);
                &aliased
            }
            _ => conditions,
        };
        self.authorize(env, ctx, action, Some(key), conditions)?;
        key.check_state(StateRule::Usable)?;
        let material = key
            .materials
            .iter()
            .find(|m| *m.id == *parsed.material_id)
            .ok_or_else(invalid_ciphertext)?;
        let mut plaintext = open(&parsed, &material.secret, ec).ok_or_else(invalid_ciphertext)?;
        // The slot of a key that is not multi-Region is its id, which the blob names.
        let key_id = if key.multi_region.is_none() && key.id == *parsed.key_id {
            std::sync::Arc::clone(&parsed.key_id)
        } else {
            std::sync::Arc::from(key.slot())
        };
        Ok(Opened {
            key_id,
            material_id: std::sync::Arc::clone(&parsed.material_id),
            // The decrypted bytes become the response's blob, which is not zeroized (nor was
            // the copy of them it used to get): moved out, not copied, leaving nothing to wipe.
            plaintext: Blob(std::mem::take(&mut *plaintext)),
        })
    }

    pub(crate) fn encrypt(
        &mut self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        mut r: EncryptRequest,
    ) -> Result<EncryptResponse, KmsError> {
        check_blob_len(&r.plaintext, "plaintext", 4096)?;
        let algorithm = r
            .encryption_algorithm
            .as_deref()
            .unwrap_or("SYMMETRIC_DEFAULT");
        set_algorithm_param(env, algorithm);
        let asymmetric = match self.resolve_slot(ctx, &r.key_id, true) {
            Ok(slot) => self.key(slot)?.spec() != Spec::Symmetric,
            Err(_) => false,
        };
        // The symmetric path takes the request's context; the RSA path reads it from the request.
        let ec = if asymmetric {
            r.encryption_context.clone()
        } else {
            r.encryption_context.take()
        };
        let conditions = crypto_conditions_owned(ec, r.grant_tokens.as_ref(), Some(algorithm));
        let no_context = EncryptionContext::new();
        let ec = conditions
            .encryption_context
            .as_ref()
            .unwrap_or(&no_context);
        if asymmetric {
            let slot = self.usable_key(
                env,
                ctx,
                &r.key_id,
                "kms:Encrypt",
                &conditions,
                "ENCRYPT_DECRYPT",
            )?;
            return self.rsa_encrypt(env, &slot, &r);
        }
        let id = self.encrypting_key(env, ctx, &r.key_id, "kms:Encrypt", &conditions)?;
        let arn = self.key(&id)?.arn.clone();
        check_algorithm(
            r.encryption_algorithm.as_deref(),
            "encryptionAlgorithm",
            Some(&arn),
        )?;
        if r.dry_run == Some(true) {
            return Err(KmsError::dry_run());
        }
        let (blob, material) = self.seal_with(env, &id, &r.plaintext.0, ec)?;
        env.audit.key_material_id = Some(material);
        self.note_use(env, &id, "Encrypt");
        Ok(EncryptResponse {
            ciphertext_blob: Some(Blob(blob)),
            key_id: Some(arn),
            encryption_algorithm: Some("SYMMETRIC_DEFAULT".into()),
        })
    }

    pub(crate) fn decrypt(
        &mut self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        mut r: DecryptRequest,
    ) -> Result<DecryptResponse, KmsError> {
        check_blob_len(&r.ciphertext_blob, "ciphertextBlob", 6144)?;
        if r.recipient.is_some() {
            return Err(unsupported_recipient());
        }
        let algorithm = r
            .encryption_algorithm
            .as_deref()
            .unwrap_or("SYMMETRIC_DEFAULT");
        set_algorithm_param(env, algorithm);
        let asymmetric = |k: &Key| !matches!(k.spec(), Spec::Symmetric | Spec::Hmac(_));
        // The symmetric path takes the request's context; the RSA path reads it from the request.
        let rsa = r
            .key_id
            .as_deref()
            .and_then(|k| self.resolve_slot(ctx, k, true).ok())
            .and_then(|slot| self.keys.get(slot))
            .is_some_and(asymmetric);
        let ec = if rsa {
            r.encryption_context.clone()
        } else {
            r.encryption_context.take()
        };
        let conditions = crypto_conditions_owned(ec, r.grant_tokens.as_ref(), Some(algorithm));
        if let Some(a) = r.encryption_algorithm.as_deref() {
            enum_check(a, "encryptionAlgorithm", ALGORITHMS)?;
        }
        if let Some(k) = r.key_id.as_deref() {
            match self.resolve_slot(ctx, k, true) {
                // HMAC keys are symmetric keys: AWS reads the (symmetric) ciphertext, whose key
                // is not the HMAC key, and answers IncorrectKeyException (`open_blob`).
                Ok(slot) if asymmetric(self.key(slot)?) => {
                    let slot = self.usable_key(
                        env,
                        ctx,
                        k,
                        "kms:Decrypt",
                        &conditions,
                        "ENCRYPT_DECRYPT",
                    )?;
                    return self.rsa_decrypt(env, &slot, &r);
                }
                Ok(_) => {}
                // A key that does not exist (or was deleted) answers NotFoundException, whatever
                // the algorithm asked for.
                Err(_) => {
                    self.usable_key(env, ctx, k, "kms:Decrypt", &conditions, "ENCRYPT_DECRYPT")?;
                }
            }
        }
        check_algorithm(
            r.encryption_algorithm.as_deref(),
            "encryptionAlgorithm",
            None,
        )?;
        let opened = self.open_blob(
            env,
            ctx,
            &r.ciphertext_blob,
            r.key_id.as_deref(),
            "kms:Decrypt",
            &conditions,
        )?;
        if r.dry_run == Some(true) {
            return Err(KmsError::dry_run());
        }
        env.audit.key_material_id = Some(std::sync::Arc::clone(&opened.material_id));
        self.note_use(env, &opened.key_id, "Decrypt");
        let arn = self.key(&opened.key_id)?.arn.clone();
        Ok(DecryptResponse {
            key_id: Some(arn),
            plaintext: Some(opened.plaintext),
            encryption_algorithm: Some("SYMMETRIC_DEFAULT".into()),
            key_material_id: Some(opened.material_id.to_string()),
        })
    }

    pub(crate) fn re_encrypt(
        &mut self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        r: ReEncryptRequest,
    ) -> Result<ReEncryptResponse, KmsError> {
        check_blob_len(&r.ciphertext_blob, "ciphertextBlob", 6144)?;
        check_algorithm(
            r.source_encryption_algorithm.as_deref(),
            "sourceEncryptionAlgorithm",
            None,
        )?;
        check_algorithm(
            r.destination_encryption_algorithm.as_deref(),
            "destinationEncryptionAlgorithm",
            None,
        )?;
        let dst_ec = r.destination_encryption_context.clone().unwrap_or_default();
        // kms:ReEncryptOnSameKey: whether source and destination are the same key.
        let same_key = |opened_id: Option<&str>| -> Vec<String> {
            let dst = self.resolve_quiet(ctx, &r.destination_key_id, true).ok();
            let src = opened_id
                .map(str::to_owned)
                .or_else(|| parse_blob(&r.ciphertext_blob.0).map(|p| p.key_id.to_string()));
            vec![(dst.is_some() && dst == src).to_string()]
        };
        let src_conditions = crypto_conditions(
            r.source_encryption_context.as_ref(),
            r.grant_tokens.as_ref(),
            Some(
                r.source_encryption_algorithm
                    .as_deref()
                    .unwrap_or("SYMMETRIC_DEFAULT"),
            ),
        )
        .with("kms:ReEncryptOnSameKey", same_key(None));
        let opened = self.open_blob(
            env,
            ctx,
            &r.ciphertext_blob,
            r.source_key_id.as_deref(),
            "kms:ReEncryptFrom",
            &src_conditions,
        )?;
        let dst_conditions = crypto_conditions(
            r.destination_encryption_context.as_ref(),
            r.grant_tokens.as_ref(),
            Some(
                r.destination_encryption_algorithm
                    .as_deref()
                    .unwrap_or("SYMMETRIC_DEFAULT"),
            ),
        )
        .with("kms:ReEncryptOnSameKey", same_key(Some(&*opened.key_id)));
        let dst = self.encrypting_key(
            env,
            ctx,
            &r.destination_key_id,
            "kms:ReEncryptTo",
            &dst_conditions,
        )?;
        if r.dry_run == Some(true) {
            return Err(KmsError::dry_run());
        }
        let (blob, dst_material) = self.seal_with(env, &dst, &opened.plaintext.0, &dst_ec)?;
        self.note_use(env, &opened.key_id, "ReEncrypt");
        self.note_use(env, &dst, "ReEncrypt");
        Ok(ReEncryptResponse {
            ciphertext_blob: Some(Blob(blob)),
            source_key_id: Some(self.key(&opened.key_id)?.arn.clone()),
            key_id: Some(self.key(&dst)?.arn.clone()),
            source_encryption_algorithm: Some("SYMMETRIC_DEFAULT".into()),
            destination_encryption_algorithm: Some("SYMMETRIC_DEFAULT".into()),
            source_key_material_id: Some(opened.material_id.to_string()),
            destination_key_material_id: Some(dst_material.to_string()),
        })
    }

    #[cfg_attr(wasm_speed, optimize(speed))]
    pub(crate) fn generate_data_key(
        &mut self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        mut r: GenerateDataKeyRequest,
        with_plaintext: bool,
    ) -> Result<GenerateDataKeyResponse, KmsError> {
        let len = match (&r.key_spec, r.number_of_bytes) {
            (Some(_), Some(_)) | (None, None) => {
                return Err(KmsError::Validation(
                    "Please specify either number of bytes or key spec.".into(),
                ));
            }
            (Some(spec), None) => {
                enum_check(spec, "keySpec", &["AES_256", "AES_128"])?;
                if spec == "AES_256" { 32 } else { 16 }
            }
            (None, Some(n)) => {
                KmsError::check_range(n, "numberOfBytes", 1, 1024)?;
                usize::try_from(n).unwrap_or(32)
            }
        };
        if r.recipient.is_some() {
            return Err(unsupported_recipient());
        }
        let (action, op) = if with_plaintext {
            ("kms:GenerateDataKey", "GenerateDataKey")
        } else {
            (
                "kms:GenerateDataKeyWithoutPlaintext",
                "GenerateDataKeyWithoutPlaintext",
            )
        };
        let conditions =
            crypto_conditions_owned(r.encryption_context.take(), r.grant_tokens.as_ref(), None);
        let no_context = EncryptionContext::new();
        let ec = conditions
            .encryption_context
            .as_ref()
            .unwrap_or(&no_context);
        let id = self.encrypting_key(env, ctx, &r.key_id, action, &conditions)?;
        if r.dry_run == Some(true) {
            return Err(KmsError::dry_run());
        }
        let data_key = Blob(env.rng.bytes(len));
        let (blob, material) = self.seal_with(env, &id, &data_key.0, ec)?;
        let material_text = material.to_string();
        env.audit.key_material_id = Some(material);
        self.note_use(env, &id, op);
        Ok(GenerateDataKeyResponse {
            ciphertext_blob: Some(Blob(blob)),
            plaintext: with_plaintext.then_some(data_key),
            key_id: Some(self.key(&id)?.arn.clone()),
            key_material_id: Some(material_text),
        })
    }

    pub(crate) fn generate_random(
        &mut self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        r: &GenerateRandomRequest,
    ) -> Result<GenerateRandomResponse, KmsError> {
        let n = r.number_of_bytes.ok_or_else(|| {
            KmsError::Validation("1 validation error detected: Value null at 'numberOfBytes' failed to satisfy constraint: Member must not be null".into())
        })?;
        KmsError::check_range(n, "numberOfBytes", 1, 1024)?;
        if r.custom_key_store_id.is_some() {
            return Err(KmsError::UnsupportedOperation(
                "Custom key stores are valid in AWS, but the lab does not model them yet".into(),
            ));
        }
        if r.recipient.is_some() {
            return Err(unsupported_recipient());
        }
        self.authorize(
            env,
            ctx,
            "kms:GenerateRandom",
            None,
            &RequestConditions::new(),
        )?;
        let len = usize::try_from(n).unwrap_or(32);
        Ok(GenerateRandomResponse {
            plaintext: Some(Blob(env.rng.bytes(len))),
        })
    }
}
