//! The KMS scheduler: what falls due as the clock advances (deletions at the end of their
//! waiting period, expiry of imported material, automatic rotations), run in time order.

use serde_json::json;

use super::key::{KeyState, RotationType};
use super::{Kms, crypto, key};
use crate::cloudtrail::ServiceEvent;
use crate::env::WorldRng;

impl Kms {
    /// The earliest due event (deletion or rotation) at or before `until`.
    pub(crate) fn next_due(&self, until: i64) -> Option<i64> {
        self.keys
            .values()
            .filter_map(|k| match &k.state {
                KeyState::PendingDeletion { deletion_ms, .. } => Some(*deletion_ms),
                KeyState::Creating => Some(k.created_ms),
                _ if k.imported.expires_ms.is_some() && k.has_material() => k.imported.expires_ms,
                KeyState::Enabled if k.rotation.enabled && k.is_rotation_owner() => {
                    k.rotation.next_ms
                }
                _ => None,
            })
            .filter(|t| *t <= until)
            .min()
    }

    /// Runs everything due at `now`: completes deletions, performs automatic rotations. Returns
    /// KMS's own events, in order.
    pub(crate) fn run_due(&mut self, now: i64, rng: &mut WorldRng) -> Vec<ServiceEvent> {
        self.finish_creating();
        let mut events = Vec::new();
        // The map's own slots: a loaded world whose key id disagrees with its slot (a hostile
        // save) must still make progress, or `World::advance_clock` would loop forever.
        let due: Vec<String> = self
            .keys
            .iter()
            .filter(|(_, k)| match &k.state {
                KeyState::PendingDeletion { deletion_ms, .. } => *deletion_ms <= now,
                _ if k.has_material() && k.imported.expires_ms.is_some_and(|t| t <= now) => true,
                KeyState::Enabled => {
                    k.rotation.enabled
                        && k.is_rotation_owner()
                        && k.rotation.next_ms.is_some_and(|t| t <= now)
                }
                _ => false,
            })
            .map(|(slot, _)| slot.clone())
            .collect();
        for id in due {
            let Some(key) = self.keys.get(&id) else {
                continue;
            };
            if matches!(key.state, KeyState::PendingDeletion { .. }) {
                let (account, region, arn, key_id) = (
                    key.account.clone(),
                    key.region.clone(),
                    key.arn.clone(),
                    key.id.clone(),
                );
                let mrk = key.multi_region.is_some();
                self.keys.remove(&id);
                self.aliases.retain(|_, a| a.target != id);
                self.meter.deletion_done(&arn);
                self.deleted.insert(id, arn.clone());
                events.push(ServiceEvent {
                    account,
                    region,
                    event_name: "DeleteKey",
                    key_arn: arn,
                    additional: None,
                });
                if mrk {
                    self.after_replica_deleted(&key_id, now);
                }
            } else if key.has_material() && key.imported.expires_ms.is_some_and(|t| t <= now) {
                events.extend(self.expire_material(&id));
            } else {
                events.extend(self.rotate(&id, now, rng, key::RotationType::Automatic));
            }
        }
        events
    }

    /// Adds new key material; automatic rotations reschedule and log KMS's own `RotateKey` event.
    pub(crate) fn rotate(
        &mut self,
        id: &str,
        now: i64,
        rng: &mut WorldRng,
        kind: RotationType,
    ) -> Option<ServiceEvent> {
        let material_id = rng.hex(64);
        let secret = crypto::Secret256::generate(rng);
        let key = self.keys.get_mut(id)?;
        let previous = key.current().map(|m| m.id.clone());
        // Imported material: the rotation makes the NEW_KEY_MATERIAL import current.
        let material = match key.imported.pending.take() {
            Some(mut m) if key.origin == "EXTERNAL" => {
                m.created_ms = now;
                m.rotation = Some(kind);
                m
            }
            _ => key::Material {
                id: material_id,
                secret,
                created_ms: now,
                rotation: Some(kind),
            },
        };
        let material_id = material.id.clone();
        if key.origin == "EXTERNAL" {
            key.imported.current_id = Some(material_id.clone());
        }
        key.materials.push(material.clone());
        if kind == RotationType::Automatic {
            // At least a day on: a saved period of zero or less must not make the key due again
            // at once (the scheduler would never finish).
            let period = key.rotation.period_days.max(1);
            key.rotation.next_ms =
                Some(now.saturating_add(period.saturating_mul(crate::env::DAY_MS)));
        }
        let (key_id, mrk) = (key.id.clone(), key.multi_region.is_some());
        let event = ServiceEvent {
            account: key.account.clone(),
            region: key.region.clone(),
            event_name: "RotateKey",
            key_arn: key.arn.clone(),
            additional: Some(json!({
                "rotationType": kind.name(),
                "keyOrigin": key.origin,
                "previousKeyMaterialId": previous,
                "currentKeyMaterialId": material_id,
            })),
        };
        // Multi-Region keys share their material: every replica gets the new version.
        if mrk {
            for slot in self.related(&key_id) {
                if slot != id
                    && let Some(k) = self.keys.get_mut(&slot)
                    && k.origin != "EXTERNAL"
                {
                    k.materials.push(material.clone());
                }
            }
        }
        Some(event)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use crate::World;

    const START: i64 = 1_795_377_600_000;
    const DAY: i64 = crate::env::DAY_MS;

    /// A world with one key with automatic rotation on, changed as a hostile save could be.
    fn hostile(edit: impl Fn(&mut Value)) -> (World, String) {
        let mut w = World::new(7, START);
        let Ok(admin) = w.context_for_profile(None, None) else {
            unreachable!("the default profile");
        };
        let Ok(created) = w.call(&admin, "kms", "CreateKey", json!({})) else {
            unreachable!("CreateKey");
        };
        let id = created["KeyMetadata"]["KeyId"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert!(
            w.call(&admin, "kms", "EnableKeyRotation", json!({ "KeyId": id }))
                .is_ok()
        );
        let Ok(mut v) = serde_json::to_value(&w) else {
            unreachable!("a world serialises");
        };
        edit(&mut v["kms"]["keys"][&id]);
        match serde_json::from_value(v) {
            Ok(w) => (w, id),
            Err(e) => unreachable!("the edited world loads: {e}"),
        }
    }

    fn materials(w: &World, slot: &str) -> usize {
        w.kms.keys.get(slot).map_or(0, |k| k.materials.len())
    }

    /// Found by the `state_file` fuzz target: a save whose key id differs from its slot (one
    /// letter's case) made the next command hang in `advance_clock`.
    #[test]
    fn a_key_whose_id_differs_from_its_slot_still_rotates() {
        let (mut w, id) = hostile(|k| {
            let upper = id_upper(k["id"].as_str());
            k["id"] = json!(upper);
        });
        assert_eq!(materials(&w, &id), 1);
        w.advance_clock(400 * DAY);
        assert_eq!(materials(&w, &id), 2, "rotated once in 400 days");
    }

    fn id_upper(id: Option<&str>) -> String {
        id.unwrap_or_default().to_uppercase()
    }

    /// A saved rotation period of zero days schedules the next rotation a day on, not now.
    #[test]
    fn a_zero_rotation_period_does_not_make_the_key_due_again_at_once() {
        let (mut w, id) = hostile(|k| k["rotation"]["period_days"] = json!(0));
        w.advance_clock(400 * DAY);
        let next = w.kms.keys.get(&id).and_then(|k| k.rotation.next_ms);
        assert!(
            next.is_some_and(|t| t > w.now_ms()),
            "next rotation {next:?}"
        );
    }
}
