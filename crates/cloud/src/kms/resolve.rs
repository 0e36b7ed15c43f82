//! Key resolution and the authorization seam: how a `KeyId` (key id, key ARN, alias name or
//! alias ARN, in the caller's or another account) names a key, and `Kms::authorize`, which every
//! operation passes.

use super::key::{Key, KeyManager, StateRule};
use super::{Env, Kms, KmsError, RequestConditions, alias_slot, crypto, grant};
use crate::arn::Arn;
use crate::context::CallContext;

/// What a keyed operation asks of the key it names: how to resolve the name, the action to
/// authorize (with the request's condition keys) and the key-state rule to check.
#[derive(Debug)]
pub(crate) struct KeyTarget<'a> {
    /// The `KeyId` member as given (key id, key ARN, alias name or alias ARN).
    pub id: &'a str,
    /// Whether an alias may name the key.
    pub allow_alias: bool,
    /// The IAM action (`kms:Encrypt`, …).
    pub action: &'a str,
    /// Which key states the operation accepts.
    pub rule: StateRule,
    /// The request's condition keys, grant tokens and encryption context.
    pub conditions: &'a RequestConditions,
}

/// Operations AWS never allows on an AWS managed key, whatever a policy says (its key policy
/// cannot be changed, so evaluation already denies them; this is the backstop).
const AWS_MANAGED_IMMUTABLE: &[&str] = &[
    "kms:PutKeyPolicy",
    "kms:ScheduleKeyDeletion",
    "kms:CancelKeyDeletion",
    "kms:DisableKey",
    "kms:EnableKey",
    "kms:EnableKeyRotation",
    "kms:DisableKeyRotation",
    "kms:RotateKeyOnDemand",
    "kms:UpdateKeyDescription",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:CreateAlias",
    "kms:UpdateAlias",
    "kms:DeleteAlias",
];

/// Whether [`RequestConditions::alias`] adds `kms:RequestAlias` for this `KeyId`.
pub(crate) fn names_alias(key_id: &str) -> bool {
    // The prefixes first: a key id or key ARN (the usual `KeyId`) is told without a substring
    // search.
    key_id.starts_with("alias/") || (key_id.starts_with("arn:") && key_id.contains("alias/"))
}

impl Kms {
    /// The single authorization seam every operation passes through.
    ///
    /// With a key: `authz::authorize_kms` with the key's facts (policy, aliases, tags, spec,
    /// usage, origin, manager), the caller's identity policies, the key's grants and the
    /// request's grant tokens, encryption context and condition keys. Without a key (`CreateKey`,
    /// `ListKeys`, `GenerateRandom`, …): `authz::authorize_identity_only` on resource `*`.
    /// Every decision is recorded in the call's audit (for `World::explain` and the last denial).
    #[cfg_attr(wasm_speed, optimize(speed))]
    pub(crate) fn authorize(
        &self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        action: &str,
        key: Option<&Key>,
        conditions: &RequestConditions,
    ) -> Result<(), KmsError> {
        let sourced = crate::service_kms::with_source_arn(ctx, conditions);
        let conditions = sourced.as_ref().unwrap_or(conditions);
        let Some(key) = key else {
            return crate::authorize::identity_only(
                env.iam,
                ctx,
                action,
                "*",
                &conditions.condition_keys(),
                env.now,
                &mut env.audit.authorizations,
            )
            .map_err(KmsError::AccessDenied);
        };
        // A call whose allowed decisions nobody reads (`World::call`) is decided without
        // building the explanation; a denial, or a recorded call, takes the full evaluation.
        let quietly_allowed = !env.audit.explain
            && self.allowed_quietly(env.iam, env.now, ctx, action, key, conditions);
        if !quietly_allowed {
            let d = self.with_request(env.iam, env.now, ctx, action, key, conditions, |req| {
                authz::authorize_kms(req)
            });
            env.audit
                .authorizations
                .push(crate::authorize::AuthorizationRecord::new(
                    d.allowed,
                    d.gate,
                    &d.aws_message,
                    &d.explanation,
                ));
            if !d.allowed {
                return Err(KmsError::AccessDenied(d.aws_message));
            }
        }
        if key.manager == KeyManager::Aws && AWS_MANAGED_IMMUTABLE.contains(&action) {
            return Err(KmsError::AccessDenied(format!(
                "User: {} is not authorized to perform: {action} on resource: {} because AWS managed keys are managed by their AWS service",
                ctx.principal_arn, key.arn
            )));
        }
        Ok(())
    }

    /// The full `authz` request of a keyed authorization (the key's facts, the caller's named
    /// identity policies, the key's grants), handed to `f`.
    #[expect(
        clippy::too_many_arguments,
        reason = "the seam's inputs, passed through"
    )]
    fn with_request<R>(
        &self,
        iam: &crate::iam::Iam,
        now: i64,
        ctx: &CallContext,
        action: &str,
        key: &Key,
        conditions: &RequestConditions,
        f: impl FnOnce(&authz::KmsRequest<'_>) -> R,
    ) -> R {
        let caller = crate::authorize::caller(ctx);
        let policies = crate::authorize::identity_policies(iam, ctx);
        let facts = authz::KeyFacts {
            arn: key.arn.clone(),
            account: key.account.clone(),
            region: key.region.clone(),
            manager: match key.manager {
                KeyManager::Aws => authz::KeyManager::Aws,
                KeyManager::Customer => authz::KeyManager::Customer,
            },
            key_spec: key.spec.clone(),
            key_usage: key.usage.clone(),
            origin: key.origin.clone(),
            aliases: self
                .aliases
                .values()
                .filter(|a| a.target == key.slot())
                .map(|a| a.name.clone())
                .collect(),
            tags: key
                .tags
                .iter()
                .map(|t| (t.tag_key.clone(), t.tag_value.clone()))
                .collect(),
            policy: &key.policy,
        };
        let grants: Vec<authz::GrantFacts> = key.grants.iter().map(grant::facts).collect();
        let req = authz::KmsRequest {
            caller: &caller,
            action,
            key: &facts,
            identity_policies: &policies,
            grants: &grants,
            grant_tokens: &conditions.grant_tokens,
            encryption_context: conditions.encryption_context.as_ref(),
            via_service: ctx.via_service.as_deref(),
            secure_transport: ctx.secure_transport,
            source_ip: Some(ctx.source_ip.as_str()),
            now_ms: now,
            extra_conditions: conditions.condition_keys().into_owned(),
        };
        f(&req)
    }

    /// Whether `authz::authorize_kms` would allow the request, decided without its explanation
    /// (`authz::decide_kms`: no traces, and the condition keys only if a statement needs them).
    fn allowed_quietly(
        &self,
        iam: &crate::iam::Iam,
        now: i64,
        ctx: &CallContext,
        action: &str,
        key: &Key,
        conditions: &RequestConditions,
    ) -> bool {
        let grants: Vec<authz::GrantFacts> = key.grants.iter().map(grant::facts).collect();
        let query = authz::KmsQuery {
            caller: crate::authorize::caller_view(ctx),
            action,
            key_arn: &key.arn,
            key_account: &key.account,
            key_spec: &key.spec,
            key_policy: &key.policy,
            grants: &grants,
            grant_tokens: &conditions.grant_tokens,
            encryption_context: conditions.encryption_context.as_ref(),
            now_ms: now,
        };
        let build = || {
            self.with_request(iam, now, ctx, action, key, conditions, |req| {
                authz::kms_policy_context(req)
            })
        };
        let verdict = authz::decide_kms(
            &query,
            crate::authorize::identity_documents(iam, ctx),
            &build,
        );
        // Debug builds (the tests) check every quiet decision against the full one.
        #[cfg(debug_assertions)]
        {
            let full = self.with_request(iam, now, ctx, action, key, conditions, |req| {
                authz::KmsVerdict::of(&authz::authorize_kms(req))
            });
            debug_assert_eq!(verdict, full, "decide_kms disagrees with authorize_kms");
        }
        verdict.allowed
    }

    /// Resolves a key identifier (key id, key ARN, and where `allow_alias`, alias name or alias
    /// ARN) to a key id, recording the key as the event's resource.
    pub(crate) fn resolve(
        &self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        id: &str,
        allow_alias: bool,
    ) -> Result<String, KmsError> {
        let key_id = self.resolve_quiet(ctx, id, allow_alias)?;
        if let Some(k) = self.keys.get(&key_id) {
            env.audit.resource(&k.account, "AWS::KMS::Key", &k.arn);
        }
        Ok(key_id)
    }

    pub(crate) fn resolve_quiet(
        &self,
        ctx: &CallContext,
        id: &str,
        allow_alias: bool,
    ) -> Result<String, KmsError> {
        self.resolve_slot(ctx, id, allow_alias).map(str::to_owned)
    }

    /// [`Kms::resolve_quiet`], borrowing the slot from the KMS state (no allocation on success).
    #[cfg_attr(wasm_speed, optimize(speed))]
    pub(crate) fn resolve_slot(
        &self,
        ctx: &CallContext,
        id: &str,
        allow_alias: bool,
    ) -> Result<&str, KmsError> {
        if id.is_empty() || id.len() > 2048 {
            return Err(KmsError::constraint(
                Some(id),
                "keyId",
                "Member must have length between 1 and 2048",
            ));
        }
        let invalid_key_id = || KmsError::NotFound(format!("Invalid keyId '{id}'"));
        let (account, region, resource) = if id.starts_with("arn:") {
            let a = Arn::parse(id)
                .ok_or_else(|| KmsError::InvalidArn(format!("Invalid ARN '{id}'")))?;
            if a.partition != crate::PARTITION
                || a.service != "kms"
                || !crate::arn::is_account_id(a.account)
                || a.region.is_empty()
            {
                return Err(KmsError::InvalidArn(format!("Invalid ARN '{id}'")));
            }
            (a.account, a.region, a.resource)
        } else {
            (ctx.account.as_str(), ctx.region.as_str(), id)
        };
        if resource.starts_with("alias/") {
            if !allow_alias {
                return Err(invalid_key_id());
            }
            let alias = self
                .aliases
                .get(&alias_slot(account, region, resource))
                .filter(|_| region == ctx.region)
                .ok_or_else(|| {
                    KmsError::NotFound(format!(
                        "Alias arn:aws:kms:{region}:{account}:{resource} is not found."
                    ))
                })?;
            return Ok(alias.target.as_str());
        }
        let key_id = if id.starts_with("arn:") {
            resource
                .strip_prefix("key/")
                .ok_or_else(|| KmsError::InvalidArn(format!("Invalid ARN '{id}'")))?
        } else {
            resource
        };
        let found = self.find_slot(key_id, region);
        // A key's own id is well formed: only other names are parsed.
        let well_formed = match found {
            Some((_, k)) if k.id == key_id => true,
            _ => crypto::key_id_bytes(key_id).is_some(),
        };
        if !well_formed {
            return Err(invalid_key_id());
        }
        // KMS endpoints are Regional: a key ARN of another Region names nothing here.
        match found {
            Some((slot, k)) if k.account == account && region == ctx.region => Ok(slot),
            _ => Err(KmsError::NotFound(format!(
                "Key 'arn:aws:kms:{region}:{account}:key/{key_id}' does not exist"
            ))),
        }
    }

    /// The ARN of the key an identifier names for `ctx`, if any.
    pub(crate) fn key_arn_for(&self, ctx: &CallContext, id: &str) -> Option<String> {
        let slot = self.resolve_quiet(ctx, id, true).ok()?;
        self.keys.get(&slot).map(|k| k.arn.clone())
    }

    /// The key (resolved ids always exist).
    #[cfg_attr(wasm_speed, optimize(speed))]
    pub(crate) fn key(&self, id: &str) -> Result<&Key, KmsError> {
        self.keys
            .get(id)
            .ok_or_else(|| KmsError::NotFound(format!("Key '{id}' does not exist")))
    }

    pub(crate) fn key_mut(&mut self, id: &str) -> Result<&mut Key, KmsError> {
        self.keys
            .get_mut(id)
            .ok_or_else(|| KmsError::NotFound(format!("Key '{id}' does not exist")))
    }

    /// Resolve, authorize and check the state rule in one step.
    pub(crate) fn target(
        &self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        id: &str,
        allow_alias: bool,
        action: &str,
        rule: StateRule,
    ) -> Result<String, KmsError> {
        self.target_with(
            env,
            ctx,
            &KeyTarget {
                id,
                allow_alias,
                action,
                rule,
                conditions: &RequestConditions::new(),
            },
        )
    }

    /// [`Kms::target`] with the request's condition keys, grant tokens and context.
    #[cfg_attr(wasm_speed, optimize(speed))]
    pub(crate) fn target_with(
        &self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        target: &KeyTarget<'_>,
    ) -> Result<String, KmsError> {
        let key_id = self.resolve(env, ctx, target.id, target.allow_alias)?;
        let key = self.key(&key_id)?;
        // `kms:RequestAlias` when the key was named by an alias (copying the conditions then).
        let aliased;
        let conditions = if names_alias(target.id) {
            aliased = target.conditions.clone().alias(target.id);
            &aliased
        } else {
            target.conditions
        };
        self.authorize(env, ctx, target.action, Some(key), conditions)?;
        key.check_state(target.rule)?;
        Ok(key_id)
    }
}
