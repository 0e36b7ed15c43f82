//! KMS: keys, aliases, grants, rotation and real AES-256-GCM cryptography.
//!
//! `Kms::handle` is the typed entry point; `World::call` decodes JSON into a [`KmsRequest`]
//! (`service.rs`, the JSON glue), calls it and encodes the [`KmsResponse`]. Every operation names
//! the key it acts on through `Kms::authorize`, the single authorization seam (`resolve.rs`, with
//! key resolution). `scheduler.rs` runs what falls due as the clock advances; `managed.rs`
//! creates keys and the AWS managed keys.

#[cfg(any(target_arch = "wasm32", test))]
mod aes64;
mod alias;
pub(crate) mod asym;
mod b64;
pub(crate) mod crypto;
mod error;
#[cfg(any(target_arch = "wasm32", test))]
mod gcm;
mod grant;
mod import;
mod key;
mod managed;
pub mod model;
mod mrk;
mod ops_asym;
mod ops_crypto;
mod ops_kem;
mod ops_keys;
mod pq;
pub mod quota;
mod resolve;
mod rotation;
mod scheduler;
mod service;
mod view;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use error::KmsError;
pub use key::{KeyManager, KeyState, RotationType};
pub(crate) use managed::{NewKey, default_key_policy};
pub use model::{KmsRequest, KmsResponse};
pub(crate) use resolve::KeyTarget;
pub use view::KeyView;

use crate::cloudtrail::CallAudit;
use crate::context::CallContext;
use crate::env::WorldRng;
use crate::iam::Iam;
use key::Key;

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
    "sns",
    "sqs",
    "ssm",
    "xray",
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
    /// `kms:EncryptionAlgorithm` of a cryptographic request, kept apart so that a decision
    /// that reads no condition key costs no allocation: [`RequestConditions::condition_keys`]
    /// lists it first, before `extra`, where it was always added.
    algorithm: Option<std::borrow::Cow<'static, str>>,
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

    /// Sets `kms:EncryptionAlgorithm` (listed before every [`RequestConditions::with`] key):
    /// a known algorithm name is not copied.
    pub(crate) fn encryption_algorithm(mut self, algorithm: &str, known: &[&'static str]) -> Self {
        self.algorithm = Some(match known.iter().find(|a| **a == algorithm) {
            Some(a) => std::borrow::Cow::Borrowed(*a),
            None => std::borrow::Cow::Owned(algorithm.to_owned()),
        });
        self
    }

    /// The operation's condition keys in order: `kms:EncryptionAlgorithm` when set, then
    /// `extra`.
    pub fn condition_keys(&self) -> std::borrow::Cow<'_, [(String, Vec<String>)]> {
        match &self.algorithm {
            None => std::borrow::Cow::Borrowed(&self.extra),
            Some(a) => {
                let mut keys = Vec::with_capacity(self.extra.len() + 1);
                keys.push(("kms:EncryptionAlgorithm".to_owned(), vec![a.to_string()]));
                keys.extend(self.extra.iter().cloned());
                std::borrow::Cow::Owned(keys)
            }
        }
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

    /// The seed of the next key of `bits` (what [`RsaPool::draw`] generates it from).
    pub(crate) fn next_seed(&self, bits: usize) -> [u8; 32] {
        let n = self.drawn.get(&bits).copied().unwrap_or(0);
        asym::rsa_seed(&self.seed, bits, n)
    }

    /// Generates the next `count` keys of `bits` into the process-wide memo (no state change).
    pub(crate) fn warm(&self, bits: usize, count: u64) {
        let n = self.drawn.get(&bits).copied().unwrap_or(0);
        for i in n..n + count {
            let _ = asym::rsa_private_der(bits, asym::rsa_seed(&self.seed, bits, i));
        }
    }
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
        self.find_slot(id, region).map(|(_, k)| k)
    }

    /// [`Kms::find`] with the key's slot (its [`Key::slot`], the map's key).
    pub(crate) fn find_slot(&self, id: &str, region: &str) -> Option<(&str, &Key)> {
        self.keys
            .get_key_value(id)
            .filter(|(_, k)| k.region == region)
            .or_else(|| self.keys.get_key_value(&format!("{id}@{region}")))
            .map(|(slot, k)| (slot.as_str(), k))
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
            let key_of = |arn: String, region: &str| model::MultiRegionKey {
                arn: Some(arn),
                region: Some(region.to_owned()),
            };
            let replicas = self
                .keys
                .values()
                .filter(|k| {
                    k.id == key.id && k.multi_region.is_some() && k.region != mr.primary_region
                })
                .map(|k| key_of(k.arn.clone(), &k.region))
                .collect();
            let kind = if key.region == mr.primary_region {
                "PRIMARY"
            } else {
                "REPLICA"
            };
            m.multi_region_configuration = Some(model::MultiRegionConfiguration {
                multi_region_key_type: Some(kind.to_owned()),
                primary_key: Some(key_of(arn(&mr.primary_region), &mr.primary_region)),
                replica_keys: Some(replicas),
            });
        }
        m
    }

    /// The key spec, owning account and data key pair spec a request's quota and price depend on.
    #[cfg_attr(wasm_speed, optimize(speed))]
    pub(crate) fn quota_subject<'a>(
        &'a self,
        ctx: &'a CallContext,
        req: &'a KmsRequest,
    ) -> (Option<&'a str>, &'a str, Option<&'a str>) {
        use KmsRequest as Q;
        let (id, blob, pair) = match req {
            Q::Encrypt(r) => (Some(r.key_id.as_str()), None, None),
            Q::Decrypt(r) => (r.key_id.as_deref(), Some(&r.ciphertext_blob), None),
            Q::ReEncrypt(r) => (r.source_key_id.as_deref(), Some(&r.ciphertext_blob), None),
            Q::GenerateDataKey(r) | Q::GenerateDataKeyWithoutPlaintext(r) => {
                (Some(r.key_id.as_str()), None, None)
            }
            Q::GenerateDataKeyPair(r) | Q::GenerateDataKeyPairWithoutPlaintext(r) => (
                Some(r.key_id.as_str()),
                None,
                Some(r.key_pair_spec.as_str()),
            ),
            Q::Sign(r) => (Some(r.key_id.as_str()), None, None),
            Q::Verify(r) => (Some(r.key_id.as_str()), None, None),
            Q::GenerateMac(r) => (Some(r.key_id.as_str()), None, None),
            Q::VerifyMac(r) => (Some(r.key_id.as_str()), None, None),
            Q::DeriveSharedSecret(r) => (Some(r.key_id.as_str()), None, None),
            Q::Encapsulate(r) => (Some(r.key_id.as_str()), None, None),
            Q::Decapsulate(r) => (Some(r.key_id.as_str()), None, None),
            Q::GetPublicKey(r) => (Some(r.key_id.as_str()), None, None),
            Q::DescribeKey(r) => (Some(r.key_id.as_str()), None, None),
            _ => (None, None, None),
        };
        let key = id
            .and_then(|i| self.resolve_slot(ctx, i, true).ok())
            .and_then(|s| self.keys.get(s))
            .or_else(|| {
                blob.and_then(|b| crypto::parse_blob(&b.0))
                    .and_then(|p| self.find(&p.key_id, &ctx.region))
            });
        match key {
            Some(k) => (Some(k.spec.as_str()), k.account.as_str(), pair),
            None => (None, ctx.account.as_str(), pair),
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
        let class = quota::price_class(operation, spec, pair);
        // The quota's counter is the key owner's (copied only when the quota is enforced).
        let quota = quota::quota_for(operation, spec, &ctx.region)
            .filter(|_| enforce)
            .map(|(name, limit)| (owner.to_owned(), name, limit));
        let ok = match quota {
            Some((owner, name, limit)) => {
                self.quotas.admit(&owner, &ctx.region, name, limit, now, n)
            }
            None => n,
        };
        self.meter.request(&ctx.account, class, now, ok);
        ok
    }

    /// Accrues key storage charges up to `now`.
    pub(crate) fn accrue(&mut self, now: i64) {
        self.meter.accrue(self.keys.values(), now);
    }

    /// The typed entry point: one request, one response or a [`KmsError`].
    #[cfg_attr(wasm_speed, optimize(speed))]
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
            Q::Encapsulate(r) => R::Encapsulate(self.encapsulate(env, ctx, &r)?),
            Q::Decapsulate(r) => R::Decapsulate(self.decapsulate(env, ctx, &r)?),
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
