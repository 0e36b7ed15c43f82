//! KMS: keys, aliases, grants, rotation and real AES-256-GCM cryptography.
//!
//! `Kms::handle` is the typed entry point; `World::call` decodes JSON into a [`KmsRequest`],
//! calls it and encodes the [`KmsResponse`]. Every operation names the key it acts on through
//! `Kms::authorize`, the single authorization seam.

mod alias;
pub(crate) mod asym;
pub(crate) mod crypto;
mod error;
mod grant;
mod import;
mod key;
pub mod model;
mod mrk;
mod ops_asym;
mod ops_crypto;
mod ops_keys;
pub mod quota;
mod rotation;
mod service;
mod view;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

pub use error::KmsError;
pub use key::{KeyManager, KeyState, RotationType};
pub use model::{KmsRequest, KmsResponse};
pub use view::KeyView;

use crate::arn::Arn;
use crate::cloudtrail::{CallAudit, ServiceEvent};
use crate::context::CallContext;
use crate::env::WorldRng;
use crate::iam::Iam;
use key::{Key, StateRule};

/// `KeyId` -> `keyId`: the member name AWS uses in validation messages.
pub(crate) fn camel_member(name: &str) -> String {
    crate::cloudtrail::camel(name)
}

/// The AWS managed key aliases KMS lists in every account and Region (`alias/aws/SERVICE`).
pub const AWS_MANAGED_SERVICES: &[&str] = &[
    "acm",
    "dynamodb",
    "ebs",
    "elasticfilesystem",
    "es",
    "glue",
    "kinesisvideo",
    "lambda",
    "rds",
    "redshift",
    "s3",
    "secretsmanager",
    "ssm",
    "xray",
];

/// KMS API operations (from the 2014-11-01 API model) the lab does not implement yet.
const NOT_MODELLED_YET: &[&str] = &[
    "ConnectCustomKeyStore",
    "CreateCustomKeyStore",
    "Decapsulate",
    "DeleteCustomKeyStore",
    "DescribeCustomKeyStores",
    "DisconnectCustomKeyStore",
    "Encapsulate",
    "UpdateCustomKeyStore",
];

/// What one request brings to the authorization seam besides the caller and the key: its
/// encryption context, its grant tokens, and the operation's own condition keys
/// (`kms:GrantOperations`, `kms:RequestAlias`, `aws:RequestTag/…`, …).
#[derive(Clone, Debug, Default)]
pub struct RequestConditions {
    /// The request's encryption context, for operations that take one.
    pub encryption_context: Option<model::EncryptionContext>,
    /// The request's `GrantTokens`.
    pub grant_tokens: Vec<String>,
    /// Operation-specific condition keys and their values.
    pub extra: Vec<(String, Vec<String>)>,
}

impl RequestConditions {
    /// No context, no tokens, no extra keys.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a condition key.
    pub fn with(mut self, key: &str, values: Vec<String>) -> Self {
        self.extra.push((key.to_owned(), values));
        self
    }

    /// Sets the grant tokens.
    pub fn tokens(mut self, tokens: Option<&Vec<String>>) -> Self {
        self.grant_tokens = tokens.cloned().unwrap_or_default();
        self
    }

    /// Adds `kms:RequestAlias` when the request named the key by an alias (name or ARN).
    pub fn alias(self, key_id: &str) -> Self {
        match key_id.find("alias/") {
            Some(i) if key_id.starts_with("alias/") || key_id.starts_with("arn:") => {
                let name = key_id.get(i..).unwrap_or_default().to_owned();
                self.with("kms:RequestAlias", vec![name])
            }
            _ => self,
        }
    }
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

/// An alias.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Alias {
    pub name: String,
    pub account: String,
    pub region: String,
    pub target: String,
    pub created_ms: i64,
    pub updated_ms: i64,
}

impl Alias {
    pub(crate) fn arn(&self) -> String {
        format!("arn:aws:kms:{}:{}:{}", self.region, self.account, self.name)
    }
}

fn alias_slot(account: &str, region: &str, name: &str) -> String {
    format!("{account}/{region}/{name}")
}

/// The KMS state of every account and Region.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Kms {
    keys: BTreeMap<String, Key>,
    /// Keyed by `ACCOUNT/REGION/alias/NAME`.
    aliases: BTreeMap<String, Alias>,
    /// Deleted keys (id -> ARN): their old ciphertexts answer `NotFoundException`.
    deleted: BTreeMap<String, String>,
    /// When usage tracking began (`GetKeyLastUsage` `TrackingStartDate`): the world's start.
    tracking_start_ms: Option<i64>,
    /// The deterministic pool RSA keys are drawn from.
    #[serde(default)]
    pub(crate) rsa_pool: RsaPool,
    /// Request-rate counters (quotas).
    #[serde(default)]
    pub(crate) quotas: quota::Quotas,
    /// The cost meter.
    #[serde(default)]
    pub(crate) meter: quota::Meter,
    /// Whether single calls are throttled by the request quotas (`World::load` always is).
    #[serde(default = "enabled")]
    pub(crate) quotas_enforced: bool,
}

fn enabled() -> bool {
    true
}

/// RSA keys of a world: the `n`-th key of a size comes from a seed derived from `seed`, `n` and
/// the size, so generating keys ahead of time (idle-time warming) changes nothing.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub(crate) struct RsaPool {
    seed: [u8; 32],
    /// Keys drawn so far, by size in bits.
    drawn: BTreeMap<usize, u64>,
}

impl RsaPool {
    /// Draws the next RSA private key (PKCS#8 DER) of `bits`.
    pub(crate) fn draw(&mut self, bits: usize) -> Option<asym::SecretBytes> {
        let n = self.drawn.entry(bits).or_insert(0);
        let der = asym::rsa_private_der(bits, asym::rsa_seed(&self.seed, bits, *n))?;
        *n += 1;
        Some(asym::SecretBytes(der))
    }

    /// Generates the next `count` keys of `bits` into the process-wide memo (no state change).
    pub(crate) fn warm(&self, bits: usize, count: u64) {
        let n = self.drawn.get(&bits).copied().unwrap_or(0);
        for i in n..n + count {
            let _ = asym::rsa_private_der(bits, asym::rsa_seed(&self.seed, bits, i));
        }
    }
}

/// The attributes of a key [`Kms::insert_key`] creates.
#[derive(Debug)]
pub(crate) struct NewKey<'a> {
    pub account: &'a str,
    pub region: &'a str,
    pub description: String,
    /// `AWS_KMS` or `EXTERNAL` (no material until imported).
    pub origin: &'a str,
    pub manager: KeyManager,
    pub policy: policy::PolicyDocument,
    pub tags: Vec<model::Tag>,
}

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

/// What an operation needs from the world besides the KMS state.
#[derive(Debug)]
pub(crate) struct Env<'a> {
    pub now: i64,
    pub rng: &'a mut WorldRng,
    pub audit: &'a mut CallAudit,
    /// IAM (identity-based policies of the caller, for the authorization seam).
    pub iam: &'a Iam,
}

/// Operations whose events CloudTrail marks `readOnly`.
fn read_only(op: &str) -> bool {
    // KMS logs its cryptographic operations as read-only too (they change no resource).
    op.starts_with("Describe")
        || op.starts_with("List")
        || op.starts_with("Get")
        || op.starts_with("GenerateDataKey")
        || matches!(
            op,
            "Encrypt"
                | "Decrypt"
                | "ReEncrypt"
                | "GenerateRandom"
                | "Sign"
                | "Verify"
                | "GenerateMac"
                | "VerifyMac"
                | "DeriveSharedSecret"
        )
}

impl Kms {
    pub(crate) fn with_tracking_start(start_ms: i64, pool_seed: [u8; 32]) -> Self {
        Kms {
            tracking_start_ms: Some(start_ms),
            rsa_pool: RsaPool {
                seed: pool_seed,
                drawn: BTreeMap::new(),
            },
            quotas_enforced: true,
            ..Kms::default()
        }
    }

    /// The key `id` (a key id, or a multi-Region key id) in `region`.
    pub(crate) fn find(&self, id: &str, region: &str) -> Option<&Key> {
        self.keys
            .get(id)
            .filter(|k| k.region == region)
            .or_else(|| self.keys.get(&format!("{id}@{region}")))
    }

    /// The Regions holding a key with this key id (several for a multi-Region key), so the
    /// console can link to a key wherever it lives. Reads only: no call, no audit event.
    pub fn regions_of(&self, key_id: &str) -> Vec<String> {
        self.keys
            .values()
            .filter(|k| k.id == key_id)
            .map(|k| k.region.clone())
            .collect()
    }

    /// Every key related to a multi-Region key (primary and replicas), by slot.
    pub(crate) fn related(&self, id: &str) -> Vec<String> {
        self.keys
            .values()
            .filter(|k| k.multi_region.is_some() && k.id == id)
            .map(Key::slot)
            .collect()
    }

    /// `DescribeKey` metadata, with the multi-Region configuration filled in.
    pub(crate) fn metadata(&self, key: &Key) -> model::KeyMetadata {
        let mut m = key.metadata();
        if let Some(mr) = &key.multi_region {
            let arn = |region: &str| format!("arn:aws:kms:{region}:{}:key/{}", key.account, key.id);
            let replicas: Vec<Value> = self
                .keys
                .values()
                .filter(|k| {
                    k.id == key.id && k.multi_region.is_some() && k.region != mr.primary_region
                })
                .map(|k| json!({ "Arn": k.arn, "Region": k.region }))
                .collect();
            m.multi_region_configuration = Some(json!({
                "MultiRegionKeyType": if key.region == mr.primary_region { "PRIMARY" } else { "REPLICA" },
                "PrimaryKey": { "Arn": arn(&mr.primary_region), "Region": mr.primary_region },
                "ReplicaKeys": replicas,
            }));
        }
        m
    }

    /// The key spec, owning account and data key pair spec a request's quota and price depend on.
    pub(crate) fn quota_subject(
        &self,
        ctx: &CallContext,
        req: &KmsRequest,
    ) -> (Option<String>, String, Option<String>) {
        use KmsRequest as Q;
        let (id, blob, pair) = match req {
            Q::Encrypt(r) => (Some(r.key_id.as_str()), None, None),
            Q::Decrypt(r) => (r.key_id.as_deref(), Some(&r.ciphertext_blob), None),
            Q::ReEncrypt(r) => (r.source_key_id.as_deref(), Some(&r.ciphertext_blob), None),
            Q::GenerateDataKey(r) | Q::GenerateDataKeyWithoutPlaintext(r) => {
                (Some(r.key_id.as_str()), None, None)
            }
            Q::GenerateDataKeyPair(r) | Q::GenerateDataKeyPairWithoutPlaintext(r) => {
                (Some(r.key_id.as_str()), None, Some(r.key_pair_spec.clone()))
            }
            Q::Sign(r) => (Some(r.key_id.as_str()), None, None),
            Q::Verify(r) => (Some(r.key_id.as_str()), None, None),
            Q::GenerateMac(r) => (Some(r.key_id.as_str()), None, None),
            Q::VerifyMac(r) => (Some(r.key_id.as_str()), None, None),
            Q::DeriveSharedSecret(r) => (Some(r.key_id.as_str()), None, None),
            Q::GetPublicKey(r) => (Some(r.key_id.as_str()), None, None),
            Q::DescribeKey(r) => (Some(r.key_id.as_str()), None, None),
            _ => (None, None, None),
        };
        let key = id
            .and_then(|i| self.resolve_quiet(ctx, i, true).ok())
            .and_then(|s| self.keys.get(&s))
            .or_else(|| {
                blob.and_then(|b| crypto::parse_blob(&b.0))
                    .and_then(|p| self.find(&p.key_id, &ctx.region))
            });
        match key {
            Some(k) => (Some(k.spec.clone()), k.account.clone(), pair),
            None => (None, ctx.account.clone(), pair),
        }
    }

    /// Admits up to `n` requests against the request-rate quota (counted in the key owner's
    /// account) and bills the admitted ones to the caller's account. Returns how many passed.
    pub(crate) fn admit(
        &mut self,
        ctx: &CallContext,
        operation: &str,
        req: &KmsRequest,
        now: i64,
        n: u64,
        enforce: bool,
    ) -> u64 {
        let (spec, owner, pair) = self.quota_subject(ctx, req);
        let ok = match quota::quota_for(operation, spec.as_deref(), &ctx.region) {
            Some((name, limit)) if enforce => {
                self.quotas.admit(&owner, &ctx.region, name, limit, now, n)
            }
            _ => n,
        };
        let class = quota::price_class(operation, spec.as_deref(), pair.as_deref());
        self.meter.request(&ctx.account, class, now, ok);
        ok
    }

    /// The ARN of the key an identifier names for `ctx`, if any.
    pub(crate) fn key_arn_for(&self, ctx: &CallContext, id: &str) -> Option<String> {
        let slot = self.resolve_quiet(ctx, id, true).ok()?;
        self.keys.get(&slot).map(|k| k.arn.clone())
    }

    /// Accrues key storage charges up to `now`.
    pub(crate) fn accrue(&mut self, now: i64) {
        self.meter.accrue(self.keys.values(), now);
    }

    /// The typed entry point: one request, one response or a [`KmsError`].
    pub(crate) fn handle(
        &mut self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        req: KmsRequest,
    ) -> Result<KmsResponse, KmsError> {
        use KmsRequest as Q;
        use KmsResponse as R;
        Ok(match req {
            Q::CreateKey(r) => R::CreateKey(self.create_key(env, ctx, r)?),
            Q::DescribeKey(r) => R::DescribeKey(self.describe_key(env, ctx, &r)?),
            Q::ListKeys(r) => R::ListKeys(self.list_keys(env, ctx, &r)?),
            Q::UpdateKeyDescription(r) => {
                R::UpdateKeyDescription(self.update_key_description(env, ctx, r)?)
            }
            Q::EnableKey(r) => R::EnableKey(self.enable_key(env, ctx, &r)?),
            Q::DisableKey(r) => R::DisableKey(self.disable_key(env, ctx, &r)?),
            Q::ScheduleKeyDeletion(r) => {
                R::ScheduleKeyDeletion(self.schedule_key_deletion(env, ctx, &r)?)
            }
            Q::CancelKeyDeletion(r) => {
                R::CancelKeyDeletion(self.cancel_key_deletion(env, ctx, &r)?)
            }
            Q::Encrypt(r) => R::Encrypt(self.encrypt(env, ctx, r)?),
            Q::Decrypt(r) => R::Decrypt(self.decrypt(env, ctx, r)?),
            Q::ReEncrypt(r) => R::ReEncrypt(self.re_encrypt(env, ctx, r)?),
            Q::GenerateDataKey(r) => R::GenerateDataKey(self.generate_data_key(env, ctx, r, true)?),
            Q::GenerateDataKeyWithoutPlaintext(r) => {
                R::GenerateDataKeyWithoutPlaintext(self.generate_data_key(env, ctx, r, false)?)
            }
            Q::GenerateRandom(r) => R::GenerateRandom(self.generate_random(env, ctx, &r)?),
            Q::CreateAlias(r) => R::CreateAlias(self.create_alias(env, ctx, &r)?),
            Q::UpdateAlias(r) => R::UpdateAlias(self.update_alias(env, ctx, &r)?),
            Q::DeleteAlias(r) => R::DeleteAlias(self.delete_alias(env, ctx, &r)?),
            Q::ListAliases(r) => R::ListAliases(self.list_aliases(env, ctx, &r)?),
            Q::PutKeyPolicy(r) => R::PutKeyPolicy(self.put_key_policy(env, ctx, r)?),
            Q::GetKeyPolicy(r) => R::GetKeyPolicy(self.get_key_policy(env, ctx, &r)?),
            Q::ListKeyPolicies(r) => R::ListKeyPolicies(self.list_key_policies(env, ctx, &r)?),
            Q::EnableKeyRotation(r) => {
                R::EnableKeyRotation(self.enable_key_rotation(env, ctx, &r)?)
            }
            Q::DisableKeyRotation(r) => {
                R::DisableKeyRotation(self.disable_key_rotation(env, ctx, &r)?)
            }
            Q::GetKeyRotationStatus(r) => {
                R::GetKeyRotationStatus(self.get_key_rotation_status(env, ctx, &r)?)
            }
            Q::RotateKeyOnDemand(r) => {
                R::RotateKeyOnDemand(self.rotate_key_on_demand(env, ctx, &r)?)
            }
            Q::ListKeyRotations(r) => R::ListKeyRotations(self.list_key_rotations(env, ctx, &r)?),
            Q::TagResource(r) => R::TagResource(self.tag_resource(env, ctx, r)?),
            Q::UntagResource(r) => R::UntagResource(self.untag_resource(env, ctx, &r)?),
            Q::ListResourceTags(r) => R::ListResourceTags(self.list_resource_tags(env, ctx, &r)?),
            Q::GetKeyLastUsage(r) => R::GetKeyLastUsage(self.get_key_last_usage(env, ctx, &r)?),
            Q::CreateGrant(r) => R::CreateGrant(self.create_grant(env, ctx, r)?),
            Q::ListGrants(r) => R::ListGrants(self.list_grants(env, ctx, &r)?),
            Q::ListRetirableGrants(r) => {
                R::ListRetirableGrants(self.list_retirable_grants(env, ctx, &r)?)
            }
            Q::RetireGrant(r) => R::RetireGrant(self.retire_grant(env, ctx, &r)?),
            Q::RevokeGrant(r) => R::RevokeGrant(self.revoke_grant(env, ctx, &r)?),
            Q::Sign(r) => R::Sign(self.sign(env, ctx, &r)?),
            Q::Verify(r) => R::Verify(self.verify(env, ctx, &r)?),
            Q::GetPublicKey(r) => R::GetPublicKey(self.get_public_key(env, ctx, &r)?),
            Q::GenerateMac(r) => R::GenerateMac(self.generate_mac(env, ctx, &r)?),
            Q::VerifyMac(r) => R::VerifyMac(self.verify_mac(env, ctx, &r)?),
            Q::GenerateDataKeyPair(r) => {
                R::GenerateDataKeyPair(self.generate_data_key_pair(env, ctx, &r, true)?)
            }
            Q::GenerateDataKeyPairWithoutPlaintext(r) => R::GenerateDataKeyPairWithoutPlaintext(
                self.generate_data_key_pair(env, ctx, &r, false)?,
            ),
            Q::DeriveSharedSecret(r) => {
                R::DeriveSharedSecret(self.derive_shared_secret(env, ctx, &r)?)
            }
            Q::GetParametersForImport(r) => {
                R::GetParametersForImport(self.get_parameters_for_import(env, ctx, &r)?)
            }
            Q::ImportKeyMaterial(r) => {
                R::ImportKeyMaterial(self.import_key_material(env, ctx, &r)?)
            }
            Q::DeleteImportedKeyMaterial(r) => {
                R::DeleteImportedKeyMaterial(self.delete_imported_key_material(env, ctx, &r)?)
            }
            Q::ReplicateKey(r) => R::ReplicateKey(self.replicate_key(env, ctx, r)?),
            Q::UpdatePrimaryRegion(r) => {
                R::UpdatePrimaryRegion(self.update_primary_region(env, ctx, &r)?)
            }
        })
    }

    /// The single authorization seam every operation passes through.
    ///
    /// With a key: `authz::authorize_kms` with the key's facts (policy, aliases, tags, spec,
    /// usage, origin, manager), the caller's identity policies, the key's grants and the
    /// request's grant tokens, encryption context and condition keys. Without a key (`CreateKey`,
    /// `ListKeys`, `GenerateRandom`, …): `authz::authorize_identity_only` on resource `*`.
    /// Every decision is recorded in the call's audit (for `World::explain` and the last denial).
    pub(crate) fn authorize(
        &self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        action: &str,
        key: Option<&Key>,
        conditions: &RequestConditions,
    ) -> Result<(), KmsError> {
        let Some(key) = key else {
            return crate::authorize::identity_only(
                env.iam,
                ctx,
                action,
                "*",
                &conditions.extra,
                env.now,
                &mut env.audit.authorizations,
            )
            .map_err(KmsError::AccessDenied);
        };
        let caller = crate::authorize::caller(ctx);
        let policies = crate::authorize::identity_policies(env.iam, ctx);
        let metadata = key.metadata();
        let facts = authz::KeyFacts {
            arn: key.arn.clone(),
            account: key.account.clone(),
            region: key.region.clone(),
            manager: match key.manager {
                KeyManager::Aws => authz::KeyManager::Aws,
                KeyManager::Customer => authz::KeyManager::Customer,
            },
            key_spec: metadata.key_spec,
            key_usage: metadata.key_usage,
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
            now_ms: env.now,
            extra_conditions: conditions.extra.clone(),
        };
        let d = authz::authorize_kms(&req);
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
        if key.manager == KeyManager::Aws && AWS_MANAGED_IMMUTABLE.contains(&action) {
            return Err(KmsError::AccessDenied(format!(
                "User: {} is not authorized to perform: {action} on resource: {} because AWS managed keys are managed by their AWS service",
                ctx.principal_arn, key.arn
            )));
        }
        Ok(())
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

    fn resolve_quiet(
        &self,
        ctx: &CallContext,
        id: &str,
        allow_alias: bool,
    ) -> Result<String, KmsError> {
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
            (
                a.account.to_owned(),
                a.region.to_owned(),
                a.resource.to_owned(),
            )
        } else {
            (ctx.account.clone(), ctx.region.clone(), id.to_owned())
        };
        if resource.starts_with("alias/") {
            if !allow_alias {
                return Err(invalid_key_id());
            }
            let alias = self
                .aliases
                .get(&alias_slot(&account, &region, &resource))
                .filter(|_| region == ctx.region)
                .ok_or_else(|| {
                    KmsError::NotFound(format!(
                        "Alias arn:aws:kms:{region}:{account}:{resource} is not found."
                    ))
                })?;
            return Ok(alias.target.clone());
        }
        let key_id = if id.starts_with("arn:") {
            resource
                .strip_prefix("key/")
                .ok_or_else(|| KmsError::InvalidArn(format!("Invalid ARN '{id}'")))?
        } else {
            resource.as_str()
        };
        if crypto::key_id_bytes(key_id).is_none() {
            return Err(invalid_key_id());
        }
        // KMS endpoints are Regional: a key ARN of another Region names nothing here.
        match self.find(key_id, &region) {
            Some(k) if k.account == account && region == ctx.region => Ok(k.slot()),
            _ => Err(KmsError::NotFound(format!(
                "Key 'arn:aws:kms:{region}:{account}:key/{key_id}' does not exist"
            ))),
        }
    }

    /// The key (resolved ids always exist).
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
    pub(crate) fn target_with(
        &self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        target: &KeyTarget<'_>,
    ) -> Result<String, KmsError> {
        let key_id = self.resolve(env, ctx, target.id, target.allow_alias)?;
        let key = self.key(&key_id)?;
        let conditions = target.conditions.clone().alias(target.id);
        self.authorize(env, ctx, target.action, Some(key), &conditions)?;
        key.check_state(target.rule)?;
        Ok(key_id)
    }

    /// The earliest due event (deletion or rotation) at or before `until`.
    pub(crate) fn next_due(&self, until: i64) -> Option<i64> {
        self.keys
            .values()
            .filter_map(|k| match &k.state {
                KeyState::PendingDeletion { deletion_ms, .. } => Some(*deletion_ms),
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
        let mut events = Vec::new();
        let due: Vec<String> = self
            .keys
            .values()
            .filter(|k| match &k.state {
                KeyState::PendingDeletion { deletion_ms, .. } => *deletion_ms <= now,
                _ if k.has_material() && k.imported.expires_ms.is_some_and(|t| t <= now) => true,
                KeyState::Enabled => {
                    k.rotation.enabled
                        && k.is_rotation_owner()
                        && k.rotation.next_ms.is_some_and(|t| t <= now)
                }
                _ => false,
            })
            .map(Key::slot)
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
        key.materials.push(material.clone());
        if kind == RotationType::Automatic {
            key.rotation.next_ms = Some(now + key.rotation.period_days * crate::env::DAY_MS);
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

    /// The AWS managed key `aws/SERVICE`, created on first use.
    pub(crate) fn aws_managed_key(
        &mut self,
        account: &str,
        region: &str,
        service: &str,
        now: i64,
        rng: &mut WorldRng,
    ) -> Result<String, KmsError> {
        let service = service.strip_prefix("alias/").unwrap_or(service);
        let service = service.strip_prefix("aws/").unwrap_or(service);
        if !AWS_MANAGED_SERVICES.contains(&service) {
            return Err(KmsError::UnsupportedOperation(format!(
                "the lab has no AWS managed key for `{service}`; known: {}",
                AWS_MANAGED_SERVICES.join(", ")
            )));
        }
        if !crate::arn::is_region(region) || !crate::arn::is_account_id(account) {
            return Err(KmsError::Validation(format!(
                "invalid account `{account}` or Region `{region}`"
            )));
        }
        let name = format!("alias/aws/{service}");
        if let Some(a) = self.aliases.get(&alias_slot(account, region, &name)) {
            return Ok(a.target.clone());
        }
        let description = match service {
            "s3" => "Default key that protects my S3 objects when no other key is defined".to_owned(),
            "ebs" => "Default master key that protects my EBS volumes when no other key is defined".to_owned(),
            "rds" => "Default master key that protects my RDS database volumes when no other key is defined".to_owned(),
            other => format!("Default master key that protects my {} data when no other key is defined", other.to_uppercase()),
        };
        let policy = policy::PolicyDocument::parse(
            &authz::aws_managed_key_policy(account, region, service),
            policy::PolicyKind::Resource,
            policy::Limits::none(),
        )
        .map_err(|e| KmsError::KmsInternal(format!("AWS managed key policy: {e}")))?;
        let id = self.insert_key(
            NewKey {
                account,
                region,
                description,
                origin: "AWS_KMS",
                manager: KeyManager::Aws,
                policy,
                tags: Vec::new(),
            },
            now,
            rng,
        );
        if let Some(k) = self.keys.get_mut(&id) {
            k.aws_service = Some(service.to_owned());
            k.rotation = key::Rotation {
                enabled: true,
                period_days: 365,
                next_ms: Some(now + 365 * crate::env::DAY_MS),
                on_demand_count: 0,
                on_demand_started_ms: None,
            };
        }
        self.aliases.insert(
            alias_slot(account, region, &name),
            Alias {
                name,
                account: account.to_owned(),
                region: region.to_owned(),
                target: id.clone(),
                created_ms: now,
                updated_ms: now,
            },
        );
        Ok(id)
    }

    /// Creates and stores a key; returns its id.
    pub(crate) fn insert_key(&mut self, new: NewKey<'_>, now: i64, rng: &mut WorldRng) -> String {
        let NewKey {
            account,
            region,
            description,
            origin,
            manager,
            policy,
            tags,
        } = new;
        let id = rng.uuid();
        let materials = if origin == "EXTERNAL" {
            Vec::new()
        } else {
            let mid = rng.hex(64);
            vec![key::Material {
                id: mid,
                secret: crypto::Secret256::generate(rng),
                created_ms: now,
                rotation: None,
            }]
        };
        let key = Key {
            arn: format!("arn:aws:kms:{region}:{account}:key/{id}"),
            id: id.clone(),
            account: account.to_owned(),
            region: region.to_owned(),
            created_ms: now,
            description,
            origin: origin.to_owned(),
            manager,
            state: if origin == "EXTERNAL" {
                KeyState::PendingImport
            } else {
                KeyState::Enabled
            },
            policy,
            tags,
            materials,
            rotation: key::Rotation {
                period_days: 365,
                ..key::Rotation::default()
            },
            grants: Vec::new(),
            last_usage: None,
            aws_service: None,
            spec: "SYMMETRIC_DEFAULT".into(),
            usage: "ENCRYPT_DECRYPT".into(),
            private: None,
            multi_region: None,
            import_params: None,
            imported: key::Imported::default(),
        };
        self.keys.insert(id.clone(), key);
        id
    }
}

/// The default key policy of a key created through the API.
pub(crate) fn default_key_policy(account: &str) -> String {
    let doc = json!({
        "Version": "2012-10-17",
        "Id": "key-default-1",
        "Statement": [{
            "Sid": "Enable IAM User Permissions",
            "Effect": "Allow",
            "Principal": { "AWS": format!("arn:aws:iam::{account}:root") },
            "Action": "kms:*",
            "Resource": "*",
        }],
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

/// Pagination over items sorted by a string key; the marker is the next item's sort key.
pub(crate) fn paginate<T>(
    items: Vec<(String, T)>,
    limit: Option<i64>,
    max: i64,
    default: i64,
    marker: Option<&str>,
) -> Result<(Vec<T>, Option<String>), KmsError> {
    use base64::Engine as _;
    let limit = limit.unwrap_or(default);
    KmsError::check_range(limit, "limit", 1, max)?;
    let start = match marker {
        None => None,
        Some(m) => Some(
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(m)
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .ok_or_else(|| KmsError::InvalidMarker("Invalid marker".into()))?,
        ),
    };
    let mut rest = items
        .into_iter()
        .filter(|(k, _)| start.as_ref().is_none_or(|s| k >= s))
        .peekable();
    let limit = usize::try_from(limit).unwrap_or(100);
    let page: Vec<T> = rest.by_ref().take(limit).map(|(_, v)| v).collect();
    let next = rest
        .peek()
        .map(|(k, _)| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(k));
    Ok((page, next))
}
