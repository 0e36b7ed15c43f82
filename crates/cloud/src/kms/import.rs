//! Imported key material: GetParametersForImport, ImportKeyMaterial, DeleteImportedKeyMaterial
//! and expiry.
//!
//! Wrapping: `RSAES_OAEP_SHA_*` wraps the material directly with the 24-hour wrapping public key;
//! `RSA_AES_KEY_WRAP_SHA_*` wraps a fresh 256-bit AES key with RSA-OAEP, then the material with
//! RFC 5649 AES key wrap with padding (the two are concatenated).

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::asym::{self, Spec};
use super::key::{KeyState, Material, StateRule};
use super::model::{
    Blob, DeleteImportedKeyMaterialRequest, GetParametersForImportRequest,
    GetParametersForImportResponse, ImportKeyMaterialRequest, KeyMaterialResponse,
};
use super::ops_keys::enum_check;
use super::{Env, KeyTarget, Kms, KmsError, RequestConditions};
use crate::cloudtrail::ServiceEvent;
use crate::context::CallContext;
use crate::env::{DAY_MS, epoch_seconds};

const WRAPPING_ALGORITHMS: &[&str] = &[
    "RSAES_PKCS1_V1_5",
    "RSAES_OAEP_SHA_1",
    "RSAES_OAEP_SHA_256",
    "RSA_AES_KEY_WRAP_SHA_1",
    "RSA_AES_KEY_WRAP_SHA_256",
    "SM2PKE",
];
const WRAPPING_KEY_SPECS: &[&str] = &["RSA_2048", "RSA_3072", "RSA_4096", "SM2"];
/// Import parameters are valid for 24 hours.
const PARAMETERS_VALID_MS: i64 = DAY_MS;
const TOKEN_MAGIC: &[u8] = b"KLIT";

fn secs(ms: i64) -> f64 {
    epoch_seconds(ms).as_f64().unwrap_or_default()
}

/// The id of imported material: derived from the key and the material, so re-importing the
/// same material yields the same id (and different material a different one).
fn imported_material_id(key_id: &str, material: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(b"kmslab imported key material\0");
    h.update(key_id.as_bytes());
    h.update([0]);
    h.update(material);
    crate::env::hex(&h.finalize())
}

fn parse_valid_to(v: &Value) -> Option<i64> {
    match v {
        #[expect(clippy::cast_possible_truncation, reason = "epoch seconds to ms")]
        Value::Number(n) => n.as_f64().map(|s| (s * 1000.0) as i64),
        Value::String(s) => crate::env::parse_time(s),
        _ => None,
    }
}

/// The HMAC key lengths (bytes) AWS accepts for imported HMAC material.
fn hmac_range(bits: usize) -> (usize, usize) {
    match bits {
        224 => (28, 64),
        256 => (32, 64),
        384 => (48, 128),
        _ => (64, 128),
    }
}

/// Unwraps imported material with the wrapping private key.
fn unwrap(alg: &str, wrapping: &[u8], bits: usize, blob: &[u8]) -> Option<Vec<u8>> {
    let hash = asym::oaep_hash(alg)?;
    if alg.starts_with("RSAES_OAEP_") {
        return asym::oaep_decrypt(wrapping, hash, blob);
    }
    let k = bits / 8;
    if blob.len() <= k {
        return None;
    }
    let (head, tail) = blob.split_at(k);
    let aes = zeroize::Zeroizing::new(asym::oaep_decrypt(wrapping, hash, head)?);
    let kek: [u8; 32] = aes.as_slice().try_into().ok()?;
    asym::kwp_unwrap(&kek, tail)
}

fn to_secret(material: &[u8]) -> Result<super::crypto::Secret256, KmsError> {
    let secret: [u8; 32] = material
        .try_into()
        .map_err(|_| KmsError::KmsInternal("material length".into()))?;
    Ok(super::crypto::Secret256::from_bytes(secret))
}

impl Kms {
    fn external_key(
        &self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        key_id: &str,
        action: &str,
        conditions: &RequestConditions,
    ) -> Result<String, KmsError> {
        let slot = self.target_with(
            env,
            ctx,
            &KeyTarget {
                id: key_id,
                allow_alias: false,
                action,
                rule: StateRule::Any,
                conditions,
            },
        )?;
        let key = self.key(&slot)?;
        if key.origin != "EXTERNAL" {
            return Err(KmsError::UnsupportedOperation(format!(
                "{} has Origin {}: {} works only with KMS keys whose Origin is EXTERNAL.",
                key.arn,
                key.origin,
                action.trim_start_matches("kms:")
            )));
        }
        key.check_state(StateRule::NotPendingDeletion)?;
        Ok(slot)
    }

    pub(crate) fn get_parameters_for_import(
        &mut self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        r: &GetParametersForImportRequest,
    ) -> Result<GetParametersForImportResponse, KmsError> {
        enum_check(
            &r.wrapping_algorithm,
            "wrappingAlgorithm",
            WRAPPING_ALGORITHMS,
        )?;
        enum_check(&r.wrapping_key_spec, "wrappingKeySpec", WRAPPING_KEY_SPECS)?;
        if r.wrapping_algorithm == "RSAES_PKCS1_V1_5" {
            return Err(KmsError::UnsupportedOperation(
                "RSAES_PKCS1_V1_5 is no longer supported for wrapping key material: use RSAES_OAEP_SHA_256 or RSA_AES_KEY_WRAP_SHA_256".into(),
            ));
        }
        if r.wrapping_algorithm == "SM2PKE" || r.wrapping_key_spec == "SM2" {
            return Err(KmsError::UnsupportedOperation(
                "SM2 wrapping (China Regions) is valid in AWS, but the lab does not model it"
                    .into(),
            ));
        }
        let conditions = RequestConditions::new()
            .with("kms:WrappingAlgorithm", vec![r.wrapping_algorithm.clone()])
            .with("kms:WrappingKeySpec", vec![r.wrapping_key_spec.clone()]);
        let slot = self.external_key(
            env,
            ctx,
            &r.key_id,
            "kms:GetParametersForImport",
            &conditions,
        )?;
        let Some(Spec::Rsa(bits)) = Spec::parse(&r.wrapping_key_spec) else {
            return Err(KmsError::KmsInternal("wrapping key spec".into()));
        };
        let private = self
            .rsa_pool
            .draw(bits)
            .ok_or_else(|| KmsError::KmsInternal("RSA key generation failed".into()))?;
        let public = asym::public_spki(Spec::Rsa(bits), &private.0)
            .ok_or_else(|| KmsError::KmsInternal("public key unavailable".into()))?;
        let token_id = env.rng.hex(64);
        let mut token = TOKEN_MAGIC.to_vec();
        token.extend_from_slice(token_id.as_bytes());
        let valid_to = env.now + PARAMETERS_VALID_MS;
        let key = self.key_mut(&slot)?;
        key.import_params = Some(super::key::ImportParams {
            token: token_id,
            wrapping_algorithm: r.wrapping_algorithm.clone(),
            wrapping_spec: r.wrapping_key_spec.clone(),
            private,
            valid_to_ms: valid_to,
        });
        Ok(GetParametersForImportResponse {
            key_id: Some(key.arn.clone()),
            import_token: Some(Blob(token)),
            public_key: Some(Blob(public)),
            parameters_valid_to: Some(secs(valid_to)),
        })
    }

    #[expect(
        clippy::too_many_lines,
        reason = "one validation sequence, in AWS's order"
    )]
    pub(crate) fn import_key_material(
        &mut self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        r: &ImportKeyMaterialRequest,
    ) -> Result<KeyMaterialResponse, KmsError> {
        if let Some(t) = r.import_type.as_deref() {
            enum_check(
                t,
                "importType",
                &["NEW_KEY_MATERIAL", "EXISTING_KEY_MATERIAL"],
            )?;
        }
        if let Some(m) = r.expiration_model.as_deref() {
            enum_check(
                m,
                "expirationModel",
                &["KEY_MATERIAL_EXPIRES", "KEY_MATERIAL_DOES_NOT_EXPIRE"],
            )?;
        }
        let valid_to = match &r.valid_to {
            None | Some(Value::Null) => None,
            Some(v) => Some(parse_valid_to(v).ok_or_else(|| {
                KmsError::Validation(format!("ValidTo `{v}` is not a timestamp"))
            })?),
        };
        // The default ExpirationModel is KEY_MATERIAL_EXPIRES, which requires ValidTo.
        let expires = match (r.expiration_model.as_deref(), valid_to) {
            (None | Some("KEY_MATERIAL_EXPIRES"), Some(t)) => Some(t),
            (None | Some("KEY_MATERIAL_EXPIRES"), None) => {
                return Err(KmsError::Validation(
                    "A validTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES"
                        .into(),
                ));
            }
            (Some(_), Some(_)) => {
                return Err(KmsError::Validation(
                    "A validTo date must not be set if the ExpirationModel is KEY_MATERIAL_DOES_NOT_EXPIRE".into(),
                ));
            }
            (Some(_), None) => None,
        };
        if let Some(t) = expires
            && (t <= env.now || t > env.now + 365 * DAY_MS)
        {
            return Err(KmsError::Validation(
                "ValidTo must be in the future and no more than 365 days from the request date"
                    .into(),
            ));
        }
        let model = if expires.is_some() {
            "KEY_MATERIAL_EXPIRES"
        } else {
            "KEY_MATERIAL_DOES_NOT_EXPIRE"
        };
        let mut conditions =
            RequestConditions::new().with("kms:ExpirationModel", vec![model.to_owned()]);
        if let Some(t) = expires {
            conditions = conditions.with("kms:ValidTo", vec![(t / 1000).to_string()]);
        }
        let slot = self.external_key(env, ctx, &r.key_id, "kms:ImportKeyMaterial", &conditions)?;
        let key = self.key(&slot)?;
        let arn = key.arn.clone();
        let params = key.import_params.as_ref().ok_or_else(|| {
            KmsError::InvalidImportToken(format!(
                "{arn} has no import parameters: call GetParametersForImport first"
            ))
        })?;
        let mut expected = TOKEN_MAGIC.to_vec();
        expected.extend_from_slice(params.token.as_bytes());
        if r.import_token.0 != expected {
            return Err(KmsError::InvalidImportToken(format!(
                "The import token is not valid for {arn}: use the token of the latest GetParametersForImport call for this key"
            )));
        }
        if env.now > params.valid_to_ms {
            return Err(KmsError::ExpiredImportToken(format!(
                "The import token for {arn} expired 24 hours after GetParametersForImport: get new parameters"
            )));
        }
        let Some(Spec::Rsa(bits)) = Spec::parse(&params.wrapping_spec) else {
            return Err(KmsError::KmsInternal("wrapping key spec".into()));
        };
        let material = zeroize::Zeroizing::new(
            unwrap(
                &params.wrapping_algorithm,
                &params.private.0,
                bits,
                &r.encrypted_key_material.0,
            )
            .ok_or_else(|| {
                KmsError::InvalidCiphertext(format!(
                    "The encrypted key material could not be unwrapped with the wrapping key and {} of the import parameters",
                    params.wrapping_algorithm
                ))
            })?,
        );
        let spec = key.spec();
        match spec {
            Spec::Symmetric if material.len() != 32 => {
                return Err(KmsError::IncorrectKeyMaterial(format!(
                    "Symmetric key material must be 256 bits (32 bytes), not {} bytes",
                    material.len()
                )));
            }
            Spec::Hmac(b) => {
                let (lo, hi) = hmac_range(b);
                if !(lo..=hi).contains(&material.len()) {
                    return Err(KmsError::IncorrectKeyMaterial(format!(
                        "HMAC_{b} key material must be {lo} to {hi} bytes, not {}",
                        material.len()
                    )));
                }
            }
            Spec::Symmetric => {}
            other => {
                if !asym::valid_private(other, &material) {
                    return Err(KmsError::IncorrectKeyMaterial(format!(
                        "The key material is not a PKCS#8 DER private key of {}",
                        key.spec
                    )));
                }
            }
        }
        let id = imported_material_id(&key.id, &material);
        if let Some(given) = &r.key_material_id
            && *given != id
        {
            return Err(KmsError::IncorrectKeyMaterial(format!(
                "The key material does not match KeyMaterialId {given}"
            )));
        }
        let known = key.imported.ids.contains(&id);
        let first = key.imported.ids.is_empty();
        let now = env.now;
        let key = self.key_mut(&slot)?;
        // ImportType is only usable with symmetric encryption keys: AWS rejects it, whatever its
        // value, for asymmetric and HMAC keys (one key material each).
        if spec != Spec::Symmetric && r.import_type.is_some() {
            return Err(KmsError::UnsupportedOperation(format!(
                "{arn} is not a symmetric encryption KMS key: asymmetric and HMAC keys have exactly one key material, so ImportType cannot be used"
            )));
        }
        // Omitted, ImportType is NEW_KEY_MATERIAL for the first import, EXISTING_KEY_MATERIAL after.
        let import_type = r.import_type.as_deref().unwrap_or(if first {
            "NEW_KEY_MATERIAL"
        } else {
            "EXISTING_KEY_MATERIAL"
        });
        if import_type == "NEW_KEY_MATERIAL" && r.key_material_id.is_some() {
            return Err(KmsError::Validation(
                "You cannot specify a KeyMaterialId with ImportType NEW_KEY_MATERIAL".into(),
            ));
        }
        if import_type == "NEW_KEY_MATERIAL" && !first {
            if known {
                return Err(KmsError::IncorrectKeyMaterial(format!(
                    "This key material was already imported into {arn}: NEW_KEY_MATERIAL must be new"
                )));
            }
            // Only one NEW_KEY_MATERIAL import may wait for its rotation at a time.
            if let Some(p) = &key.imported.pending {
                return Err(KmsError::KmsInvalidState(format!(
                    "{arn} already has new key material {} pending rotation: call RotateKeyOnDemand, or delete that key material, before importing other new key material",
                    p.id
                )));
            }
            key.imported.ids.push(id.clone());
            key.imported.pending = Some(Material {
                id: id.clone(),
                secret: to_secret(&material)?,
                created_ms: now,
                rotation: None,
            });
            env.audit.additional_event_data = Some(Box::new(
                json!({ "keyMaterialId": id, "importType": import_type }),
            ));
            return Ok(KeyMaterialResponse {
                key_id: Some(arn),
                key_material_id: Some(id),
            });
        }
        if !first && !known {
            return Err(KmsError::IncorrectKeyMaterial(format!(
                "The key material you imported does not match the key material previously imported into {arn}. Re-import the same key material."
            )));
        }
        if first {
            key.imported.ids.push(id.clone());
            if spec == Spec::Symmetric {
                key.imported.current_id = Some(id.clone());
            }
        }
        key.imported.model = Some(model.to_owned());
        if spec == Spec::Symmetric {
            if !key.materials.iter().any(|m| m.id == id) {
                let m = Material {
                    id: id.clone(),
                    secret: to_secret(&material)?,
                    created_ms: now,
                    rotation: None,
                };
                // Keep the import order: the latest imported material stays current.
                let ids = key.imported.ids.clone();
                let order = |mid: &str| ids.iter().position(|x| x == mid);
                let pos = key
                    .materials
                    .iter()
                    .position(|x| order(&x.id) > order(&id))
                    .unwrap_or(key.materials.len());
                key.materials.insert(pos, m);
            }
        } else {
            key.private = Some(asym::SecretBytes(material.to_vec()));
        }
        key.imported.expires_ms = expires;
        if key.state == KeyState::PendingImport && !key.lacks_imported_material() {
            key.state = KeyState::Enabled;
        }
        env.audit.additional_event_data = Some(Box::new(
            json!({ "keyMaterialId": id, "importType": import_type }),
        ));
        Ok(KeyMaterialResponse {
            key_id: Some(arn),
            key_material_id: Some(id),
        })
    }

    pub(crate) fn delete_imported_key_material(
        &mut self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        r: &DeleteImportedKeyMaterialRequest,
    ) -> Result<KeyMaterialResponse, KmsError> {
        let slot = self.external_key(
            env,
            ctx,
            &r.key_id,
            "kms:DeleteImportedKeyMaterial",
            &RequestConditions::new(),
        )?;
        let key = self.key_mut(&slot)?;
        if let Some(given) = &r.key_material_id
            && !key.imported.ids.contains(given)
        {
            return Err(KmsError::NotFound(format!(
                "Key material {given} does not exist in {}",
                key.arn
            )));
        }
        // Without a KeyMaterialId, KMS deletes the current key material.
        let target = r.key_material_id.clone().or_else(|| {
            key.current()
                .map(|m| m.id.clone())
                .or_else(|| key.imported.ids.last().cloned())
        });
        match &target {
            // Symmetric keys can hold several materials: only the named one goes.
            Some(id) if key.spec() == Spec::Symmetric => remove_one_material(key, id),
            _ => remove_material(key),
        }
        Ok(KeyMaterialResponse {
            key_id: Some(key.arn.clone()),
            key_material_id: target,
        })
    }

    /// Expired imported material: KMS deletes it and the key returns to PendingImport.
    pub(crate) fn expire_material(&mut self, slot: &str) -> Option<ServiceEvent> {
        let key = self.keys.get_mut(slot)?;
        remove_material(key);
        Some(ServiceEvent {
            account: key.account.clone(),
            region: key.region.clone(),
            event_name: "DeleteExpiredKeyMaterial",
            key_arn: key.arn.clone(),
            additional: None,
        })
    }
}

/// Deletes one material of a symmetric key. A `NEW_KEY_MATERIAL` import still waiting for its
/// rotation is simply dropped (it can be imported again as new material); any other deletion
/// leaves the key in PendingImport until that material is re-imported.
fn remove_one_material(key: &mut super::key::Key, id: &str) {
    if key.imported.pending.as_ref().is_some_and(|m| m.id == id) {
        key.imported.pending = None;
        key.imported.ids.retain(|x| x != id);
        return;
    }
    key.materials.retain(|m| m.id != id);
    if key.materials.is_empty() {
        key.imported.expires_ms = None;
    }
    if !matches!(
        key.state,
        KeyState::PendingDeletion { .. } | KeyState::PendingReplicaDeletion { .. }
    ) {
        key.state = KeyState::PendingImport;
    }
}

fn remove_material(key: &mut super::key::Key) {
    key.materials.clear();
    key.private = None;
    key.imported.pending = None;
    key.imported.expires_ms = None;
    if !matches!(
        key.state,
        KeyState::PendingDeletion { .. } | KeyState::PendingReplicaDeletion { .. }
    ) {
        key.state = KeyState::PendingImport;
    }
}
