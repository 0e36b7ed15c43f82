//! Multi-Region keys: ReplicateKey, UpdatePrimaryRegion and replica-aware deletion.
//!
//! Related keys share their key id (`mrk-...`), material, spec, usage, origin and rotation
//! settings (configured on the primary); policy, grants, aliases, tags and state are per key.
//! A new replica answers `KeyState: Creating` (with an empty Description, as AWS's ReplicateKey
//! response shows it) and becomes `Enabled` — `PendingImport` for `EXTERNAL` keys, as in AWS —
//! on the next KMS call or clock step ([`Kms::finish_creating`]); AWS takes a few seconds.

use super::key::{Key, KeyManager, KeyState, MultiRegion, StateRule};
use super::model::{Empty, ReplicateKeyRequest, ReplicateKeyResponse, UpdatePrimaryRegionRequest};
use super::ops_keys::{check_tags, parse_key_policy};
use super::{Env, Kms, KmsError, RequestConditions, default_key_policy};
use crate::context::CallContext;

impl Kms {
    pub(crate) fn replicate_key(
        &mut self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        r: ReplicateKeyRequest,
    ) -> Result<ReplicateKeyResponse, KmsError> {
        if !crate::arn::is_region(&r.replica_region) {
            return Err(KmsError::constraint(
                Some(&r.replica_region),
                "replicaRegion",
                "Member must be a Region of the aws partition",
            ));
        }
        let supplied_policy = r.policy.as_deref().map(parse_key_policy).transpose()?;
        let tags = r.tags.clone().unwrap_or_default();
        check_tags(&tags)?;
        let slot = self.resolve(env, ctx, &r.key_id, false)?;
        let key = self.key(&slot)?;
        let conditions =
            RequestConditions::new().with("kms:ReplicaRegion", vec![r.replica_region.clone()]);
        self.authorize(env, ctx, "kms:ReplicateKey", Some(key), &conditions)?;
        let Some(mr) = &key.multi_region else {
            return Err(KmsError::UnsupportedOperation(format!(
                "{} is not a multi-Region key: only keys created with MultiRegion=true can be replicated",
                key.arn
            )));
        };
        if mr.primary_region != key.region {
            return Err(KmsError::UnsupportedOperation(format!(
                "{} is a replica key: replicate the primary key in {}",
                key.arn, mr.primary_region
            )));
        }
        key.check_state(StateRule::NotPendingDeletion)?;
        if r.replica_region == key.region {
            return Err(KmsError::Validation(format!(
                "The replica Region must differ from the primary key's Region {}",
                key.region
            )));
        }
        if self.find(&key.id, &r.replica_region).is_some() {
            return Err(KmsError::AlreadyExists(format!(
                "arn:aws:kms:{}:{}:key/{} already exists",
                r.replica_region, key.account, key.id
            )));
        }
        let description = r
            .description
            .clone()
            .unwrap_or_else(|| key.description.clone());
        if description.chars().count() > 8192 {
            return Err(KmsError::constraint(
                None,
                "description",
                "Member must have length less than or equal to 8192",
            ));
        }
        let policy = match supplied_policy {
            Some(p) => p,
            None => parse_key_policy(&default_key_policy(&key.account))?,
        };
        let policy_text = policy.source().to_owned();
        let external = key.origin == "EXTERNAL";
        let replica = Key {
            id: key.id.clone(),
            arn: format!(
                "arn:aws:kms:{}:{}:key/{}",
                r.replica_region, key.account, key.id
            ),
            account: key.account.clone(),
            region: r.replica_region.clone(),
            created_ms: env.now,
            description,
            origin: key.origin.clone(),
            manager: KeyManager::Customer,
            state: KeyState::Creating,
            policy,
            tags: tags.clone(),
            materials: if external {
                Vec::new()
            } else {
                key.materials.clone()
            },
            rotation: key.rotation.clone(),
            grants: Vec::new(),
            last_usage: None,
            aws_service: None,
            spec: key.spec.clone(),
            usage: key.usage.clone(),
            private: if external { None } else { key.private.clone() },
            multi_region: Some(MultiRegion {
                primary_region: mr.primary_region.clone(),
            }),
            import_params: None,
            imported: super::key::Imported::default(),
        };
        let replica_slot = replica.slot();
        self.keys.insert(replica_slot.clone(), replica);
        let replica = self.key(&replica_slot)?;
        env.audit
            .resource(&replica.account, "AWS::KMS::Key", &replica.arn);
        let mut metadata = self.metadata(replica);
        // AWS answers while the replica is still being created: no description yet.
        metadata.description = String::new();
        Ok(ReplicateKeyResponse {
            replica_key_metadata: Some(Box::new(metadata)),
            replica_policy: Some(policy_text),
            replica_tags: Some(tags),
        })
    }

    pub(crate) fn update_primary_region(
        &mut self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        r: &UpdatePrimaryRegionRequest,
    ) -> Result<Empty, KmsError> {
        if !crate::arn::is_region(&r.primary_region) {
            return Err(KmsError::constraint(
                Some(&r.primary_region),
                "primaryRegion",
                "Member must be a Region of the aws partition",
            ));
        }
        let slot = self.resolve(env, ctx, &r.key_id, false)?;
        let key = self.key(&slot)?;
        let conditions =
            RequestConditions::new().with("kms:PrimaryRegion", vec![r.primary_region.clone()]);
        self.authorize(env, ctx, "kms:UpdatePrimaryRegion", Some(key), &conditions)?;
        let Some(mr) = &key.multi_region else {
            return Err(KmsError::UnsupportedOperation(format!(
                "{} is not a multi-Region key",
                key.arn
            )));
        };
        if mr.primary_region != key.region {
            return Err(KmsError::UnsupportedOperation(format!(
                "{} is a replica key: call UpdatePrimaryRegion on the primary key in {}",
                key.arn, mr.primary_region
            )));
        }
        key.check_state(StateRule::NotPendingDeletion)?;
        if r.primary_region == key.region {
            return Ok(Empty {});
        }
        let id = key.id.clone();
        if self.find(&id, &r.primary_region).is_none() {
            return Err(KmsError::NotFound(format!(
                "{} has no replica in {}",
                key.arn, r.primary_region
            )));
        }
        for s in self.related(&id) {
            if let Some(k) = self.keys.get_mut(&s) {
                k.multi_region = Some(MultiRegion {
                    primary_region: r.primary_region.clone(),
                });
            }
        }
        Ok(Empty {})
    }

    /// Completes the creation of new replicas: `Creating` becomes `Enabled`, or `PendingImport`
    /// for a key without material (imported material is not replicated). Runs before every KMS
    /// call and when the clock advances.
    pub(crate) fn finish_creating(&mut self) {
        for k in self.keys.values_mut() {
            if k.state == KeyState::Creating {
                k.state = if k.has_material() {
                    KeyState::Enabled
                } else {
                    KeyState::PendingImport
                };
            }
        }
    }

    /// After a replica is deleted: a primary waiting in PendingReplicaDeletion with no replicas
    /// left starts its own waiting period.
    pub(crate) fn after_replica_deleted(&mut self, id: &str, now: i64) {
        let related = self.related(id);
        if related.len() != 1 {
            return;
        }
        for s in related {
            if let Some(k) = self.keys.get_mut(&s)
                && let KeyState::PendingReplicaDeletion { window_days } = k.state
            {
                k.state = KeyState::PendingDeletion {
                    deletion_ms: now + window_days * crate::env::DAY_MS,
                    window_days,
                };
            }
        }
    }
}
