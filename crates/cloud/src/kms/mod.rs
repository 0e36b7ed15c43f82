//! KMS: keys, aliases, grants, rotation and real AES-256-GCM cryptography.
//!
//! `Kms::handle` is the typed entry point; `World::call` decodes JSON into a [`KmsRequest`],
//! calls it and encodes the [`KmsResponse`]. Every operation names the key it acts on through
//! `Kms::authorize`, the single authorization seam.

mod alias;
pub(crate) mod crypto;
mod error;
mod grant;
mod key;
pub mod model;
mod ops_crypto;
mod ops_keys;
mod rotation;
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
use crate::error::AwsError;
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
    "DeleteImportedKeyMaterial",
    "DeriveSharedSecret",
    "DescribeCustomKeyStores",
    "DisconnectCustomKeyStore",
    "Encapsulate",
    "GenerateDataKeyPair",
    "GenerateDataKeyPairWithoutPlaintext",
    "GenerateMac",
    "GetParametersForImport",
    "GetPublicKey",
    "ImportKeyMaterial",
    "ReplicateKey",
    "Sign",
    "UpdateCustomKeyStore",
    "UpdatePrimaryRegion",
    "Verify",
    "VerifyMac",
];

/// Condition-key values of one request (e.g. `kms:EncryptionContext:dept`), for the
/// authorization seam. Empty today; the policy engine will read them.
pub type RequestConditions = BTreeMap<String, Vec<String>>;

/// KMS actions that work on a key in another account (the "Cross-account use: Yes" operations).
const CROSS_ACCOUNT_ACTIONS: &[&str] = &[
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
    "kms:GenerateDataKey",
    "kms:GenerateDataKeyWithoutPlaintext",
    "kms:DescribeKey",
    "kms:CreateGrant",
    "kms:ListGrants",
    "kms:RetireGrant",
    "kms:RevokeGrant",
    "kms:GetKeyRotationStatus",
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
        || matches!(op, "Encrypt" | "Decrypt" | "ReEncrypt" | "GenerateRandom")
}

impl Kms {
    pub(crate) fn with_tracking_start(start_ms: i64) -> Self {
        Kms {
            tracking_start_ms: Some(start_ms),
            ..Kms::default()
        }
    }

    /// JSON glue: decode, dispatch, encode.
    #[expect(
        clippy::too_many_arguments,
        reason = "the world's pieces are passed explicitly"
    )]
    pub(crate) fn call(
        &mut self,
        ctx: &CallContext,
        operation: &str,
        input: Value,
        audit: &mut CallAudit,
        now: i64,
        rng: &mut WorldRng,
        iam: &Iam,
    ) -> Result<Value, AwsError> {
        let Some(req) = KmsRequest::decode(operation, input) else {
            if NOT_MODELLED_YET.contains(&operation) {
                return Err(KmsError::UnsupportedOperation(format!(
                    "{operation} is a real KMS operation, but the lab does not model it yet"
                ))
                .to_aws());
            }
            return Err(AwsError::new(
                "UnknownOperationException",
                format!("KMS has no operation named `{operation}`"),
            ));
        };
        let req = req.map_err(|e| crate::decode_error("ValidationException", operation, &e))?;
        audit.read_only = read_only(operation);
        let mut env = Env {
            now,
            rng,
            audit,
            iam,
        };
        let resp = self.handle(&mut env, ctx, req).map_err(|e| e.to_aws())?;
        // Since December 2022 CloudTrail names the affected key in `responseElements.keyId` for
        // management operations that do not return it.
        if !env.audit.read_only
            && env.audit.response_elements.is_null()
            && let Some(r) = env.audit.resources.iter().find(|r| r.arn.contains(":key/"))
        {
            env.audit.response_elements = json!({ "keyId": r.arn });
        }
        resp.encode()
            .map_err(|e| KmsError::KmsInternal(e.to_string()).to_aws())
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
        })
    }

    /// The single authorization seam every operation passes through.
    ///
    /// Today it enforces only the hard rules that hold whatever the policies say:
    /// - operations that do not support cross-account use are refused on another account's key;
    /// - AWS managed keys obey their fixed key policy: `kms:Describe*`, `kms:Get*`, `kms:List*`
    ///   for the owning account, cryptographic use, `CreateGrant` and `DescribeKey` only through
    ///   the owning service (`kms:ViaService`) by principals of the owning account; nothing else
    ///   (so policy edits, deletion, disabling and rotation changes are denied).
    ///
    /// The authorization task plugs key-policy, IAM and grant evaluation in here.
    pub(crate) fn authorize(
        &self,
        env: &Env<'_>,
        ctx: &CallContext,
        action: &str,
        key: Option<&Key>,
        _conditions: &RequestConditions,
    ) -> Result<(), KmsError> {
        // The principal's IAM identity-based policies live in `env.iam` (used by the
        // authorization task; the hard rules below do not need them).
        let _ = env.iam;
        let Some(key) = key else { return Ok(()) };
        let deny = |why: &str| {
            KmsError::AccessDenied(format!(
                "User: {} is not authorized to perform: {action} on resource: {} because {why}",
                ctx.principal_arn, key.arn
            ))
        };
        if key.account != ctx.account && !CROSS_ACCOUNT_ACTIONS.contains(&action) {
            return Err(deny(&format!(
                "{action} does not support cross-account use"
            )));
        }
        if key.manager == KeyManager::Aws {
            let same_account = key.account == ctx.account;
            let service = key.aws_service.as_deref().unwrap_or_default();
            let metadata = ["kms:Describe", "kms:Get", "kms:List"]
                .iter()
                .any(|p| action.starts_with(p))
                || (service == "ebs" && action == "kms:RevokeGrant");
            let via_ok = ctx.via_service.as_deref()
                == Some(&format!(
                    "{}.{}.amazonaws.com",
                    service_endpoint(service),
                    key.region
                ));
            let use_ok = matches!(
                action,
                "kms:Encrypt"
                    | "kms:Decrypt"
                    | "kms:ReEncryptFrom"
                    | "kms:ReEncryptTo"
                    | "kms:GenerateDataKey"
                    | "kms:GenerateDataKeyWithoutPlaintext"
                    | "kms:CreateGrant"
                    | "kms:DescribeKey"
            ) && via_ok;
            if !(same_account && (metadata || use_ok)) {
                return Err(deny(&format!(
                    "no resource-based policy allows the {action} action"
                )));
            }
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
        if crypto::uuid_bytes(key_id).is_none() {
            return Err(invalid_key_id());
        }
        // KMS endpoints are Regional: a key ARN of another Region names nothing here.
        match self.keys.get(key_id) {
            Some(k) if k.account == account && k.region == region && region == ctx.region => {
                Ok(k.id.clone())
            }
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
        let key_id = self.resolve(env, ctx, id, allow_alias)?;
        let key = self.key(&key_id)?;
        self.authorize(env, ctx, action, Some(key), &RequestConditions::new())?;
        key.check_state(rule)?;
        Ok(key_id)
    }

    /// The earliest due event (deletion or rotation) at or before `until`.
    pub(crate) fn next_due(&self, until: i64) -> Option<i64> {
        self.keys
            .values()
            .filter_map(|k| match &k.state {
                KeyState::PendingDeletion { deletion_ms, .. } => Some(*deletion_ms),
                KeyState::Enabled if k.rotation.enabled => k.rotation.next_ms,
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
                KeyState::Enabled => {
                    k.rotation.enabled && k.rotation.next_ms.is_some_and(|t| t <= now)
                }
                _ => false,
            })
            .map(|k| k.id.clone())
            .collect();
        for id in due {
            let Some(key) = self.keys.get(&id) else {
                continue;
            };
            if matches!(key.state, KeyState::PendingDeletion { .. }) {
                let (account, region, arn) =
                    (key.account.clone(), key.region.clone(), key.arn.clone());
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
        key.materials.push(key::Material {
            id: material_id.clone(),
            secret,
            created_ms: now,
            rotation: Some(kind),
        });
        if kind == RotationType::Automatic {
            key.rotation.next_ms = Some(now + key.rotation.period_days * crate::env::DAY_MS);
        }
        Some(ServiceEvent {
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
        })
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
        let policy = aws_managed_policy(account, region, service);
        let id = self.insert_key(
            account,
            region,
            now,
            rng,
            description,
            "AWS_KMS",
            KeyManager::Aws,
            policy,
            Vec::new(),
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
    #[expect(clippy::too_many_arguments, reason = "every key attribute is explicit")]
    pub(crate) fn insert_key(
        &mut self,
        account: &str,
        region: &str,
        now: i64,
        rng: &mut WorldRng,
        description: String,
        origin: &str,
        manager: KeyManager,
        policy: String,
        tags: Vec<model::Tag>,
    ) -> String {
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

/// The fixed key policy of an AWS managed key (as AWS writes it, e.g. for `aws/s3`).
fn aws_managed_policy(account: &str, region: &str, service: &str) -> String {
    let sid_service = service.to_uppercase();
    let endpoint = service_endpoint(service);
    let mut metadata = vec!["kms:Describe*", "kms:Get*", "kms:List*"];
    if service == "ebs" {
        metadata.push("kms:RevokeGrant");
    }
    let doc = json!({
        "Version": "2012-10-17",
        "Id": format!("auto-{service}-2"),
        "Statement": [
            {
                "Sid": format!("Allow access through {sid_service} for all principals in the account that are authorized to use {sid_service}"),
                "Effect": "Allow",
                "Principal": { "AWS": "*" },
                "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey"],
                "Resource": "*",
                "Condition": { "StringEquals": { "kms:CallerAccount": account, "kms:ViaService": format!("{endpoint}.{region}.amazonaws.com") } },
            },
            {
                "Sid": "Allow direct access to key metadata to the account",
                "Effect": "Allow",
                "Principal": { "AWS": format!("arn:aws:iam::{account}:root") },
                "Action": metadata,
                "Resource": "*",
            },
        ],
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

/// The endpoint an AWS managed key's service calls KMS through (EBS volumes are encrypted
/// through the EC2 endpoint).
fn service_endpoint(service: &str) -> &str {
    if service == "ebs" { "ec2" } else { service }
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
    if limit < 1 {
        return Err(KmsError::constraint(
            Some(&limit.to_string()),
            "limit",
            "Member must have value greater than or equal to 1",
        ));
    }
    if limit > max {
        return Err(KmsError::constraint(
            Some(&limit.to_string()),
            "limit",
            &format!("Member must have value less than or equal to {max}"),
        ));
    }
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
