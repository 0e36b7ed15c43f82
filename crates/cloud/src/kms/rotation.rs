//! Rotation: automatic schedule, on-demand rotations, status and history.

use serde_json::{Value, json};

use super::asym::Spec;
use super::key::{RotationType, StateRule};
use super::model::{
    Empty, EnableKeyRotationRequest, GetKeyRotationStatusResponse, KeyIdRequest, KeyIdResponse,
    ListKeyRotationsRequest, ListKeyRotationsResponse, RotationsListEntry,
};
use super::ops_keys::enum_check;
use super::{Env, Kms, KmsError, RequestConditions, paginate};
use crate::context::CallContext;
use crate::env::epoch_seconds;

/// On-demand rotations per key (resource quota, not adjustable).
const ON_DEMAND_LIMIT: u32 = 25;

fn secs(ms: i64) -> f64 {
    epoch_seconds(ms).as_f64().unwrap_or_default()
}

/// Automatic rotation is not for imported material, whatever the key state (the key-state table
/// answers UnsupportedOperationException for PendingImport keys).
fn origin_supported(key: &super::key::Key) -> Result<(), KmsError> {
    if key.origin == "EXTERNAL" {
        return Err(KmsError::UnsupportedOperation(format!(
            "{} has imported key material (Origin EXTERNAL); automatic rotation is not supported for it",
            key.arn
        )));
    }
    Ok(())
}

/// Automatic rotation: symmetric keys, configured on the primary. Checked after the key state
/// (a disabled RSA key is DisabledException).
fn rotation_supported(key: &super::key::Key) -> Result<(), KmsError> {
    if key.spec() != Spec::Symmetric {
        return Err(KmsError::UnsupportedOperation(format!(
            "{} is not a symmetric encryption KMS key; automatic rotation works only with symmetric encryption keys",
            key.arn
        )));
    }
    if !key.is_rotation_owner() {
        return Err(KmsError::UnsupportedOperation(format!(
            "{} is a multi-Region replica key; rotation is a shared property configured on the primary key",
            key.arn
        )));
    }
    Ok(())
}

impl Kms {
    /// Copies a multi-Region primary's rotation settings to its replicas (a shared property).
    fn sync_rotation(&mut self, slot: &str) {
        let Some(key) = self.keys.get(slot) else {
            return;
        };
        if key.multi_region.is_none() {
            return;
        }
        let rotation = key.rotation.clone();
        for other in self.related(&key.id.clone()) {
            if other != slot
                && let Some(k) = self.keys.get_mut(&other)
            {
                k.rotation.enabled = rotation.enabled;
                k.rotation.period_days = rotation.period_days;
                k.rotation.next_ms = rotation.next_ms;
            }
        }
    }

    pub(crate) fn enable_key_rotation(
        &mut self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        r: &EnableKeyRotationRequest,
    ) -> Result<Empty, KmsError> {
        let period = r.rotation_period_in_days.unwrap_or(365);
        KmsError::check_range(period, "rotationPeriodInDays", 90, 2560)?;
        if let Value::Object(m) = env.audit.request_parameters_mut() {
            m.insert("rotationPeriodInDays".into(), json!(period));
        }
        let id = self.resolve(env, ctx, &r.key_id, false)?;
        let conditions =
            RequestConditions::new().with("kms:RotationPeriodInDays", vec![period.to_string()]);
        self.authorize(
            env,
            ctx,
            "kms:EnableKeyRotation",
            Some(self.key(&id)?),
            &conditions,
        )?;
        let now = env.now;
        let key = self.key_mut(&id)?;
        // AWS checks the key state before the key spec: a disabled RSA key is DisabledException.
        origin_supported(key)?;
        key.check_state(StateRule::Usable)?;
        rotation_supported(key)?;
        let base = if key.rotation.enabled {
            key.materials
                .iter()
                .rev()
                .find(|m| m.rotation == Some(RotationType::Automatic))
                .map_or(key.created_ms, |m| m.created_ms)
        } else {
            now
        };
        key.rotation.enabled = true;
        key.rotation.period_days = period;
        key.rotation.next_ms = Some((base + period * crate::env::DAY_MS).max(now));
        self.sync_rotation(&id);
        self.key_arn_response(env, &id);
        Ok(Empty {})
    }

    pub(crate) fn disable_key_rotation(
        &mut self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        r: &KeyIdRequest,
    ) -> Result<Empty, KmsError> {
        let id = self.target(
            env,
            ctx,
            &r.key_id,
            false,
            "kms:DisableKeyRotation",
            StateRule::Any,
        )?;
        let key = self.key_mut(&id)?;
        origin_supported(key)?;
        key.check_state(StateRule::Usable)?;
        rotation_supported(key)?;
        key.rotation.enabled = false;
        key.rotation.next_ms = None;
        self.sync_rotation(&id);
        self.key_arn_response(env, &id);
        Ok(Empty {})
    }

    pub(crate) fn get_key_rotation_status(
        &self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        r: &KeyIdRequest,
    ) -> Result<GetKeyRotationStatusResponse, KmsError> {
        let id = self.target(
            env,
            ctx,
            &r.key_id,
            false,
            "kms:GetKeyRotationStatus",
            StateRule::Any,
        )?;
        let key = self.key(&id)?;
        let on = key.rotation_reported();
        Ok(GetKeyRotationStatusResponse {
            key_rotation_enabled: Some(on),
            key_id: Some(key.arn.clone()),
            rotation_period_in_days: on.then_some(key.rotation.period_days),
            next_rotation_date: if on {
                key.rotation.next_ms.map(secs)
            } else {
                None
            },
            on_demand_rotation_start_date: key.rotation.on_demand_started_ms.map(secs),
        })
    }

    pub(crate) fn rotate_key_on_demand(
        &mut self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        r: &KeyIdRequest,
    ) -> Result<KeyIdResponse, KmsError> {
        let id = self.target(
            env,
            ctx,
            &r.key_id,
            false,
            "kms:RotateKeyOnDemand",
            StateRule::Any,
        )?;
        let key = self.key_mut(&id)?;
        key.check_state(StateRule::Usable)?;
        if key.spec() != Spec::Symmetric {
            return Err(KmsError::UnsupportedOperation(format!(
                "{} is not a symmetric encryption KMS key: on-demand rotation works only with symmetric encryption keys",
                key.arn
            )));
        }
        if !key.is_rotation_owner() {
            return Err(KmsError::UnsupportedOperation(format!(
                "{} is a multi-Region replica key: rotate the primary key",
                key.arn
            )));
        }
        if key.origin == "EXTERNAL" && key.imported.pending.is_none() {
            return Err(KmsError::KmsInvalidState(format!(
                "{} has no new key material to rotate to: first call ImportKeyMaterial with ImportType NEW_KEY_MATERIAL",
                key.arn
            )));
        }
        if key.rotation.on_demand_count >= ON_DEMAND_LIMIT {
            return Err(KmsError::LimitExceeded(format!(
                "{} has reached the limit of {ON_DEMAND_LIMIT} on-demand rotations",
                key.arn
            )));
        }
        key.rotation.on_demand_count += 1;
        let arn = key.arn.clone();
        if let Some(ev) = self.rotate(&id, env.now, env.rng, RotationType::OnDemand) {
            env.audit.followups.push(ev);
        }
        env.audit.response_elements = json!({ "keyId": arn });
        Ok(KeyIdResponse { key_id: Some(arn) })
    }

    pub(crate) fn list_key_rotations(
        &self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        r: &ListKeyRotationsRequest,
    ) -> Result<ListKeyRotationsResponse, KmsError> {
        let include = r
            .include_key_material
            .as_deref()
            .unwrap_or("ROTATIONS_ONLY");
        enum_check(
            include,
            "includeKeyMaterial",
            &["ALL_KEY_MATERIAL", "ROTATIONS_ONLY"],
        )?;
        let id = self.target(
            env,
            ctx,
            &r.key_id,
            false,
            "kms:ListKeyRotations",
            StateRule::Any,
        )?;
        let key = self.key(&id)?;
        if key.spec() != Spec::Symmetric {
            return Err(KmsError::UnsupportedOperation(format!(
                "{} is not a symmetric encryption KMS key: it has no rotations",
                key.arn
            )));
        }
        let last = key.materials.len().saturating_sub(1);
        let items: Vec<(String, RotationsListEntry)> = key
            .materials
            .iter()
            .enumerate()
            .filter(|(_, m)| include == "ALL_KEY_MATERIAL" || m.rotation.is_some())
            .map(|(i, m)| {
                (
                    format!("{i:06}"),
                    RotationsListEntry {
                        key_id: Some(key.id.clone()),
                        key_material_id: Some(m.id.clone()),
                        key_material_state: Some(
                            if i == last { "CURRENT" } else { "NON_CURRENT" }.into(),
                        ),
                        rotation_date: m.rotation.map(|_| secs(m.created_ms)),
                        rotation_type: m.rotation.map(|t| t.name().to_owned()),
                    },
                )
            })
            .collect();
        let (rotations, next) = paginate(items, r.limit, 1000, 100, r.marker.as_deref())?;
        Ok(ListKeyRotationsResponse {
            rotations: Some(rotations),
            truncated: Some(next.is_some()),
            next_marker: next,
        })
    }
}
