//! The stored KMS key: its state machine, key material versions, rotation schedule and grants.

use serde::{Deserialize, Serialize};

use super::asym::{SecretBytes, Spec};
use super::crypto::Secret256;
use super::error::KmsError;
use super::model::{GrantConstraints, KeyMetadata, Tag};
use crate::env::epoch_seconds;

/// The key state. Transitions are methods returning `Result`, each one exhaustive `match`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum KeyState {
    /// Usable.
    Enabled,
    /// Not usable for cryptography until enabled.
    Disabled,
    /// Scheduled for deletion at `deletion_ms` (epoch ms) after a `window_days` wait.
    PendingDeletion {
        /// When deletion completes.
        deletion_ms: i64,
        /// The waiting period chosen.
        window_days: i64,
    },
    /// An `EXTERNAL` key without key material.
    PendingImport,
    /// A new multi-Region replica (`ReplicateKey`) being created; it becomes Enabled (or
    /// PendingImport for imported material) on the next call or clock step.
    Creating,
    /// A multi-Region primary key scheduled for deletion while replicas still exist: its
    /// `window_days` waiting period starts when the last replica is deleted.
    PendingReplicaDeletion {
        /// The waiting period chosen.
        window_days: i64,
    },
}

impl KeyState {
    /// The AWS name.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Creating => "Creating",
            Self::Enabled => "Enabled",
            Self::Disabled => "Disabled",
            Self::PendingDeletion { .. } => "PendingDeletion",
            Self::PendingImport => "PendingImport",
            Self::PendingReplicaDeletion { .. } => "PendingReplicaDeletion",
        }
    }
}

/// How an operation treats each key state (the key-state table of the KMS developer guide).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum StateRule {
    /// Works in every state (describe, list, get policy, ...).
    Any,
    /// Cryptographic use and rotation settings: Disabled → `DisabledException`, PendingDeletion
    /// and PendingImport → `KMSInvalidStateException`.
    Usable,
    /// EnableKey / DisableKey: PendingDeletion and PendingImport → `KMSInvalidStateException`.
    Toggle,
    /// Management that is refused only while PendingDeletion (description, tags, aliases,
    /// ScheduleKeyDeletion).
    NotPendingDeletion,
    /// CancelKeyDeletion: only PendingDeletion.
    OnlyPendingDeletion,
}

/// The kind of a rotation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RotationType {
    /// Scheduled rotation.
    #[serde(rename = "AUTOMATIC")]
    Automatic,
    /// `RotateKeyOnDemand`.
    #[serde(rename = "ON_DEMAND")]
    OnDemand,
}

impl RotationType {
    /// The AWS name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Automatic => "AUTOMATIC",
            Self::OnDemand => "ON_DEMAND",
        }
    }
}

/// One version of key material.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Material {
    /// 64 hex digits (`KeyMaterialId`).
    pub id: String,
    pub secret: Secret256,
    pub created_ms: i64,
    /// `None` for the first material; how later materials came to be.
    pub rotation: Option<RotationType>,
}

/// The multi-Region part of a key (shared properties are copied to every related key).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct MultiRegion {
    /// The Region of the primary key.
    pub primary_region: String,
}

/// Import parameters of an `EXTERNAL` key (`GetParametersForImport`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct ImportParams {
    pub token: String,
    pub wrapping_algorithm: String,
    pub wrapping_spec: String,
    /// The wrapping private key (PKCS#8 DER).
    pub private: SecretBytes,
    pub valid_to_ms: i64,
}

/// What KMS remembers of imported key material.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub(crate) struct Imported {
    /// Every material id ever imported, in order (re-imports must match one of them).
    pub ids: Vec<String>,
    /// When the current material expires (`KEY_MATERIAL_EXPIRES`).
    pub expires_ms: Option<i64>,
    /// `NEW_KEY_MATERIAL` imported and waiting for `RotateKeyOnDemand`.
    pub pending: Option<Material>,
    /// The expiration model of the latest import (`DescribeKey` shows it once material has been
    /// imported, and keeps it after the material is deleted or expires).
    #[serde(default)]
    pub model: Option<String>,
    /// The current key material of a symmetric key: set by the first import and by rotations,
    /// kept when the material is deleted or expires (`CurrentKeyMaterialId`).
    #[serde(default)]
    pub current_id: Option<String>,
}

/// The rotation settings.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub(crate) struct Rotation {
    pub enabled: bool,
    pub period_days: i64,
    /// When the next automatic rotation is due (set while enabled).
    pub next_ms: Option<i64>,
    pub on_demand_count: u32,
    /// While an on-demand rotation is in progress (instantaneous in the lab: never set long).
    pub on_demand_started_ms: Option<i64>,
}

/// A grant on a key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Grant {
    pub id: String,
    pub token: String,
    pub name: Option<String>,
    pub grantee_principal: Option<String>,
    pub grantee_service_principal: Option<String>,
    pub retiring_principal: Option<String>,
    pub retiring_service_principal: Option<String>,
    pub operations: Vec<String>,
    pub constraints: Option<GrantConstraints>,
    pub issuing_account: String,
    pub created_ms: i64,
}

/// The last successful cryptographic use (`GetKeyLastUsage`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct LastUsage {
    pub operation: String,
    pub at_ms: i64,
    /// Serialised as its text (a string, as when it was a `String`).
    pub event_id: crate::env::IdText,
    pub request_id: crate::env::IdText,
}

/// Who manages a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum KeyManager {
    /// A customer managed key.
    #[serde(rename = "CUSTOMER")]
    Customer,
    /// An AWS managed key (`aws/SERVICE`).
    #[serde(rename = "AWS")]
    Aws,
}

/// A stored key.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Key {
    pub id: String,
    pub arn: String,
    pub account: String,
    pub region: String,
    pub created_ms: i64,
    pub description: String,
    /// `AWS_KMS` or `EXTERNAL`.
    pub origin: String,
    pub manager: KeyManager,
    pub state: KeyState,
    /// The key policy, parsed on write.
    pub policy: policy::PolicyDocument,
    pub tags: Vec<Tag>,
    /// Oldest first; the last one is current.
    pub materials: Vec<Material>,
    pub rotation: Rotation,
    pub grants: Vec<Grant>,
    pub last_usage: Option<LastUsage>,
    /// For AWS managed keys: the service of `alias/aws/SERVICE`.
    #[serde(default)]
    pub aws_service: Option<String>,
    /// The key spec (`SYMMETRIC_DEFAULT`, `RSA_2048`, `HMAC_256`, ...).
    #[serde(default = "symmetric_default")]
    pub spec: String,
    /// The key usage.
    #[serde(default = "encrypt_decrypt")]
    pub usage: String,
    /// Asymmetric private key (PKCS#8 DER) or HMAC key; `None` for symmetric keys and
    /// `EXTERNAL` keys without material.
    #[serde(default)]
    pub private: Option<SecretBytes>,
    /// `Some` for multi-Region keys.
    #[serde(default)]
    pub multi_region: Option<MultiRegion>,
    /// Outstanding import parameters (`EXTERNAL` keys).
    #[serde(default)]
    pub import_params: Option<ImportParams>,
    /// Imported material bookkeeping (`EXTERNAL` keys).
    #[serde(default)]
    pub imported: Imported,
}

fn symmetric_default() -> String {
    "SYMMETRIC_DEFAULT".into()
}

fn encrypt_decrypt() -> String {
    "ENCRYPT_DECRYPT".into()
}

impl Key {
    /// The map slot of the key: its id, or `ID@REGION` for multi-Region keys (related keys
    /// share the id).
    pub(crate) fn slot(&self) -> String {
        if self.multi_region.is_some() {
            format!("{}@{}", self.id, self.region)
        } else {
            self.id.clone()
        }
    }

    /// Whether this key runs its own rotation schedule (multi-Region replicas follow their
    /// primary).
    pub(crate) fn is_rotation_owner(&self) -> bool {
        self.multi_region
            .as_ref()
            .is_none_or(|m| m.primary_region == self.region)
    }

    /// The parsed key spec.
    pub(crate) fn spec(&self) -> Spec {
        Spec::parse(&self.spec).unwrap_or(Spec::Symmetric)
    }

    /// Whether the key has usable material.
    pub(crate) fn has_material(&self) -> bool {
        !self.materials.is_empty() || self.private.is_some()
    }

    /// Whether a symmetric key with imported material lacks one of its material versions: AWS
    /// keeps such a key in PendingImport until every material associated with it is re-imported
    /// (a `NEW_KEY_MATERIAL` import still waiting for its rotation does not count).
    pub(crate) fn lacks_imported_material(&self) -> bool {
        let pending = self.imported.pending.as_ref().map(|m| m.id.as_str());
        self.spec() == Spec::Symmetric
            && self.imported.ids.iter().any(|id| {
                Some(id.as_str()) != pending && !self.materials.iter().any(|m| m.id == *id)
            })
    }

    /// The current key material.
    pub(crate) fn current(&self) -> Option<&Material> {
        self.materials.last()
    }

    /// Checks the key state against an operation's rule.
    pub(crate) fn check_state(&self, rule: StateRule) -> Result<(), KmsError> {
        let arn = &self.arn;
        let pending = |s: &KeyState| match s {
            KeyState::PendingDeletion { .. } => Err(KmsError::KmsInvalidState(format!(
                "{arn} is pending deletion."
            ))),
            KeyState::PendingImport => Err(KmsError::KmsInvalidState(format!(
                "{arn} is pending import."
            ))),
            KeyState::PendingReplicaDeletion { .. } => Err(KmsError::KmsInvalidState(format!(
                "{arn} is pending replica deletion."
            ))),
            KeyState::Creating => Err(KmsError::KmsInvalidState(format!(
                "{arn} is being created."
            ))),
            KeyState::Enabled | KeyState::Disabled => Ok(()),
        };
        match rule {
            StateRule::Any => Ok(()),
            StateRule::Usable => match &self.state {
                KeyState::Enabled => Ok(()),
                KeyState::Disabled => Err(KmsError::Disabled(format!("{arn} is disabled."))),
                s => pending(s),
            },
            StateRule::Toggle => pending(&self.state),
            StateRule::NotPendingDeletion => match &self.state {
                KeyState::PendingDeletion { .. } | KeyState::PendingReplicaDeletion { .. } => {
                    pending(&self.state)
                }
                _ => Ok(()),
            },
            StateRule::OnlyPendingDeletion => match &self.state {
                KeyState::PendingDeletion { .. } | KeyState::PendingReplicaDeletion { .. } => {
                    Ok(())
                }
                _ => Err(KmsError::KmsInvalidState(format!(
                    "{arn} is not pending deletion."
                ))),
            },
        }
    }

    /// EnableKey (idempotent on Enabled).
    pub(crate) fn enable(&mut self) -> Result<(), KmsError> {
        self.check_state(StateRule::Toggle)?;
        self.state = KeyState::Enabled;
        Ok(())
    }

    /// DisableKey (idempotent on Disabled).
    pub(crate) fn disable(&mut self) -> Result<(), KmsError> {
        self.check_state(StateRule::Toggle)?;
        self.state = KeyState::Disabled;
        Ok(())
    }

    /// ScheduleKeyDeletion.
    pub(crate) fn schedule_deletion(&mut self, now: i64, days: i64) -> Result<i64, KmsError> {
        self.check_state(StateRule::NotPendingDeletion)?;
        let deletion_ms = now + days * crate::env::DAY_MS;
        self.state = KeyState::PendingDeletion {
            deletion_ms,
            window_days: days,
        };
        Ok(deletion_ms)
    }

    /// CancelKeyDeletion: the key comes back Disabled (PendingImport if it has no material).
    pub(crate) fn cancel_deletion(&mut self) -> Result<(), KmsError> {
        self.check_state(StateRule::OnlyPendingDeletion)?;
        self.state = if !self.has_material() || self.lacks_imported_material() {
            KeyState::PendingImport
        } else {
            KeyState::Disabled
        };
        Ok(())
    }

    /// The rotation status as AWS reports it (false while pending deletion).
    pub(crate) fn rotation_reported(&self) -> bool {
        self.rotation.enabled
            && !matches!(
                self.state,
                KeyState::PendingDeletion { .. } | KeyState::PendingReplicaDeletion { .. }
            )
    }

    pub(crate) fn metadata(&self) -> KeyMetadata {
        let secs = |ms: i64| epoch_seconds(ms).as_f64().unwrap_or_default();
        let (deletion_date, window) = match &self.state {
            KeyState::PendingDeletion {
                deletion_ms,
                window_days,
            } => (Some(secs(*deletion_ms)), Some(*window_days)),
            KeyState::PendingReplicaDeletion { window_days } => (None, Some(*window_days)),
            _ => (None, None),
        };
        let spec = self.spec();
        let list = |l: &[&str]| Some(l.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>());
        let (enc, sig, mac, agree, encap) = match self.usage.as_str() {
            "SIGN_VERIFY" => (None, list(spec.signing_algorithms()), None, None, None),
            "GENERATE_VERIFY_MAC" => (
                None,
                None,
                spec.mac_algorithm().map(|m| vec![m.to_owned()]),
                None,
                None,
            ),
            "KEY_AGREEMENT" => (None, None, None, list(&["ECDH"]), None),
            "ENCAPSULATE_DECAPSULATE" => (None, None, None, None, list(&["ML_KEM"])),
            _ => (list(spec.encryption_algorithms()), None, None, None, None),
        };
        let external = self.origin == "EXTERNAL";
        KeyMetadata {
            aws_account_id: self.account.clone(),
            key_id: self.id.clone(),
            arn: self.arn.clone(),
            creation_date: secs(self.created_ms),
            enabled: self.state == KeyState::Enabled,
            description: self.description.clone(),
            key_usage: self.usage.clone(),
            key_state: self.state.name().into(),
            deletion_date,
            origin: self.origin.clone(),
            key_manager: match self.manager {
                KeyManager::Customer => "CUSTOMER".into(),
                KeyManager::Aws => "AWS".into(),
            },
            customer_master_key_spec: self.spec.clone(),
            key_spec: self.spec.clone(),
            encryption_algorithms: enc,
            signing_algorithms: sig,
            mac_algorithms: mac,
            key_agreement_algorithms: agree,
            encapsulation_algorithms: encap,
            multi_region: self.multi_region.is_some(),
            multi_region_configuration: None,
            // Absent until material has been imported (then kept, like AWS).
            expiration_model: if external {
                self.imported.model.clone().or_else(|| {
                    self.has_material().then(|| {
                        if self.imported.expires_ms.is_some() {
                            "KEY_MATERIAL_EXPIRES".to_owned()
                        } else {
                            "KEY_MATERIAL_DOES_NOT_EXPIRE".to_owned()
                        }
                    })
                })
            } else {
                None
            },
            valid_to: self.imported.expires_ms.map(secs),
            pending_deletion_window_in_days: window,
            current_key_material_id: if external && spec == Spec::Symmetric {
                self.imported
                    .current_id
                    .clone()
                    .or_else(|| self.current().map(|m| m.id.clone()))
            } else {
                self.current().map(|m| m.id.clone())
            },
        }
    }
}

#[cfg(test)]
mod test {
    use super::*;

    fn key() -> Key {
        Key {
            id: "k".into(),
            arn: "arn:aws:kms:us-east-1:111122223333:key/k".into(),
            account: "111122223333".into(),
            region: "us-east-1".into(),
            created_ms: 0,
            description: String::new(),
            origin: "AWS_KMS".into(),
            manager: KeyManager::Customer,
            state: KeyState::Enabled,
            policy: policy::PolicyDocument::parse(
                &crate::kms::default_key_policy("111122223333"),
                policy::PolicyKind::Resource,
                policy::Limits::none(),
            )
            .unwrap(),
            tags: vec![],
            materials: vec![],
            rotation: Rotation::default(),
            grants: vec![],
            last_usage: None,
            aws_service: None,
            spec: symmetric_default(),
            usage: encrypt_decrypt(),
            private: None,
            multi_region: None,
            import_params: None,
            imported: Imported::default(),
        }
    }

    #[test]
    fn transitions() {
        let mut k = key();
        k.disable().unwrap();
        assert_eq!(
            k.check_state(StateRule::Usable).unwrap_err().code(),
            "DisabledException"
        );
        k.schedule_deletion(0, 7).unwrap();
        assert_eq!(k.enable().unwrap_err().code(), "KMSInvalidStateException");
        assert_eq!(
            k.schedule_deletion(0, 7).unwrap_err().code(),
            "KMSInvalidStateException"
        );
        k.cancel_deletion().unwrap();
        // No material: an EXTERNAL key returns to PendingImport.
        assert_eq!(k.state, KeyState::PendingImport);
        assert_eq!(
            k.cancel_deletion().unwrap_err().to_string(),
            format!("{} is not pending deletion.", k.arn)
        );
    }
}
