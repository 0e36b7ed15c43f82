//! Key management operations: create, describe, list, enable/disable, deletion, policy,
//! rotation, tags and last usage.

use serde_json::{Value, json};

use super::asym::Spec;
use super::key::{KeyManager, RotationType, StateRule};
use super::model::{
    CreateKeyRequest, DescribeKeyRequest, Empty, GetKeyLastUsageResponse, GetKeyPolicyRequest,
    GetKeyPolicyResponse, KeyIdRequest, KeyIdResponse, KeyLastUsageData, KeyListEntry,
    KeyListRequest, KeyMetadataResponse, ListKeyPoliciesResponse, ListKeysRequest,
    ListKeysResponse, ListResourceTagsResponse, PutKeyPolicyRequest, ScheduleKeyDeletionRequest,
    ScheduleKeyDeletionResponse, Tag, TagResourceRequest, UntagResourceRequest,
    UpdateKeyDescriptionRequest,
};
use super::{
    AWS_MANAGED_SERVICES, Env, KeyTarget, Kms, KmsError, NewKey, RequestConditions,
    default_key_policy, paginate,
};
use policy::{AwsService, Limits, PolicyDocument, PolicyKind};

use crate::cloudtrail::camel_value;
use crate::context::CallContext;
use crate::env::epoch_seconds;

fn secs(ms: i64) -> f64 {
    epoch_seconds(ms).as_f64().unwrap_or_default()
}

const KEY_SPECS: &[&str] = &[
    "RSA_2048",
    "RSA_3072",
    "RSA_4096",
    "ECC_NIST_P256",
    "ECC_NIST_P384",
    "ECC_NIST_P521",
    "ECC_SECG_P256K1",
    "SYMMETRIC_DEFAULT",
    "HMAC_224",
    "HMAC_256",
    "HMAC_384",
    "HMAC_512",
    "SM2",
    "ML_DSA_44",
    "ML_DSA_65",
    "ML_DSA_87",
    "ECC_NIST_EDWARDS25519",
    "ML_KEM_512",
    "ML_KEM_768",
    "ML_KEM_1024",
];
const KEY_USAGES: &[&str] = &[
    "SIGN_VERIFY",
    "ENCRYPT_DECRYPT",
    "GENERATE_VERIFY_MAC",
    "KEY_AGREEMENT",
    "ENCAPSULATE_DECAPSULATE",
];
const ORIGINS: &[&str] = &["AWS_KMS", "EXTERNAL", "AWS_CLOUDHSM", "EXTERNAL_KEY_STORE"];

pub(crate) fn enum_check(value: &str, member: &str, allowed: &[&str]) -> Result<(), KmsError> {
    if allowed.contains(&value) {
        return Ok(());
    }
    Err(KmsError::constraint(
        Some(value),
        member,
        &format!(
            "Member must satisfy enum value set: [{}]",
            allowed.join(", ")
        ),
    ))
}

/// Parses a key policy on write: the API's length constraint (`ValidationException`), then the
/// policy crate's rules with KMS's limits: `LimitExceededException` over 32 KB,
/// `MalformedPolicyDocumentException` with the policy crate's message otherwise.
pub(crate) fn parse_key_policy(policy: &str) -> Result<PolicyDocument, KmsError> {
    if policy.is_empty() || policy.len() > 131_072 {
        return Err(KmsError::constraint(
            None,
            "policy",
            "Member must have length between 1 and 131072",
        ));
    }
    PolicyDocument::parse(policy, PolicyKind::Resource, Limits::kms_key_policy()).map_err(|e| {
        match e.code_for(AwsService::Kms) {
            "LimitExceededException" => {
                KmsError::LimitExceeded(format!("The key policy exceeds the 32 KB quota: {e}"))
            }
            _ => KmsError::MalformedPolicyDocument(e.to_string()),
        }
    })
}

/// `aws:RequestTag/KEY` for every tag and `aws:TagKeys`.
fn tag_conditions(c: RequestConditions, tags: &[Tag]) -> RequestConditions {
    let mut c = tags.iter().fold(c, |c, t| {
        c.with(
            &format!("aws:RequestTag/{}", t.tag_key),
            vec![t.tag_value.clone()],
        )
    });
    if !tags.is_empty() {
        c = c.with(
            "aws:TagKeys",
            tags.iter().map(|t| t.tag_key.clone()).collect(),
        );
    }
    c
}

/// The model's length constraints on tags (`TagKeyType` 1..=128, `TagValueType` 0..=256), as
/// AWS's framework reports them before the operation runs: one `ValidationException` listing
/// every violation (`N validation errors detected: …; …`), members named `tags.N.member.tagKey`.
pub(crate) fn validate_tag_lengths(tags: &[Tag]) -> Result<(), KmsError> {
    let mut errors = Vec::new();
    for (i, t) in tags.iter().enumerate() {
        let n = i + 1;
        let key_len = t.tag_key.chars().count();
        if key_len == 0 {
            errors.push(format!(
                "Value '' at 'tags.{n}.member.tagKey' failed to satisfy constraint: Member must have length greater than or equal to 1"
            ));
        } else if key_len > 128 {
            errors.push(format!(
                "Value '{}' at 'tags.{n}.member.tagKey' failed to satisfy constraint: Member must have length less than or equal to 128",
                t.tag_key
            ));
        }
        if t.tag_value.chars().count() > 256 {
            errors.push(format!(
                "Value '{}' at 'tags.{n}.member.tagValue' failed to satisfy constraint: Member must have length less than or equal to 256",
                t.tag_value
            ));
        }
    }
    validation_errors(&errors)
}

/// `1 validation error detected: A` / `N validation errors detected: A; B`.
pub(crate) fn validation_errors(errors: &[String]) -> Result<(), KmsError> {
    match errors.len() {
        0 => Ok(()),
        1 => Err(KmsError::Validation(format!(
            "1 validation error detected: {}",
            errors[0]
        ))),
        n => Err(KmsError::Validation(format!(
            "{n} validation errors detected: {}",
            errors.join("; ")
        ))),
    }
}

/// Whether a tag key uses the prefix AWS reserves, in any letter case (`aws:`, `AWS:`, `Aws:`).
fn reserved_tag_key(key: &str) -> bool {
    key.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("aws:"))
}

/// Validates tags as KMS does: the model's lengths (`ValidationException`), then KMS's own
/// rules (`TagException`): the reserved `aws:` prefix in any case, duplicate keys, 50 tags.
pub(crate) fn check_tags(tags: &[Tag]) -> Result<(), KmsError> {
    validate_tag_lengths(tags)?;
    let mut seen = std::collections::BTreeSet::new();
    for t in tags {
        if reserved_tag_key(&t.tag_key) {
            return Err(KmsError::Tag(format!(
                "Tag key `{}` uses the reserved prefix aws:",
                t.tag_key
            )));
        }
        if !seen.insert(t.tag_key.as_str()) {
            return Err(KmsError::Tag(format!("Duplicate tag key `{}`", t.tag_key)));
        }
    }
    if tags.len() > 50 {
        return Err(KmsError::Tag("A KMS key can have at most 50 tags".into()));
    }
    Ok(())
}

impl Kms {
    pub(crate) fn create_key(
        &mut self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        r: CreateKeyRequest,
    ) -> Result<KeyMetadataResponse, KmsError> {
        // The model's constraints come first: AWS validates the request before running it.
        if let Some(tags) = &r.tags {
            validate_tag_lengths(tags)?;
        }
        if r.key_spec.is_some() && r.customer_master_key_spec.is_some() {
            return Err(KmsError::Validation(
                "You cannot specify KeySpec and CustomerMasterKeySpec in the same request. CustomerMasterKeySpec is deprecated.".into(),
            ));
        }
        let (spec, member) = match (&r.key_spec, &r.customer_master_key_spec) {
            (Some(s), _) => (s.as_str(), "keySpec"),
            (None, Some(s)) => (s.as_str(), "customerMasterKeySpec"),
            (None, None) => ("SYMMETRIC_DEFAULT", "keySpec"),
        };
        enum_check(spec, member, KEY_SPECS)?;
        if let Some(u) = r.key_usage.as_deref() {
            enum_check(u, "keyUsage", KEY_USAGES)?;
        }
        let origin = r.origin.as_deref().unwrap_or("AWS_KMS");
        enum_check(origin, "origin", ORIGINS)?;
        let parsed = Spec::parse(spec).ok_or_else(|| {
            KmsError::UnsupportedOperation(format!(
                "KeySpec {spec} is valid in AWS, but the lab does not model SM2 keys (China Regions only)"
            ))
        })?;
        let usage = match r.key_usage.as_deref() {
            Some(u) => u.to_owned(),
            None if parsed == Spec::Symmetric => "ENCRYPT_DECRYPT".to_owned(),
            None => {
                return Err(KmsError::Validation(
                    "You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.".into(),
                ));
            }
        };
        if !parsed.usages().contains(&usage.as_str()) {
            return Err(KmsError::Validation(format!(
                "KeyUsage {usage} is not compatible with KeySpec {spec}"
            )));
        }
        if !matches!(origin, "AWS_KMS" | "EXTERNAL")
            || r.custom_key_store_id.is_some()
            || r.xks_key_id.is_some()
        {
            return Err(KmsError::UnsupportedOperation(format!(
                "Origin {origin} and custom key stores (AWS CloudHSM key stores, external key stores/XKS) are valid in AWS, but the lab does not model them"
            )));
        }
        let multi_region = r.multi_region == Some(true);
        let description = r.description.unwrap_or_default();
        if description.chars().count() > 8192 {
            return Err(KmsError::constraint(
                None,
                "description",
                "Member must have length less than or equal to 8192",
            ));
        }
        let supplied = r.policy.is_some();
        let policy = match r.policy {
            Some(p) => parse_key_policy(&p)?,
            None => parse_key_policy(&default_key_policy(&ctx.account))?,
        };
        let tags = r.tags.unwrap_or_default();
        check_tags(&tags)?;
        let conditions = RequestConditions::new()
            .with("kms:KeySpec", vec![spec.to_owned()])
            .with("kms:KeyUsage", vec![usage.clone()])
            .with("kms:KeyOrigin", vec![origin.to_owned()])
            .with("kms:MultiRegion", vec![multi_region.to_string()]);
        let conditions = tag_conditions(conditions, &tags);
        self.authorize(env, ctx, "kms:CreateKey", None, &conditions)?;
        let private = match parsed {
            _ if origin == "EXTERNAL" => None,
            Spec::Symmetric => None,
            Spec::Rsa(bits) => Some(
                self.rsa_pool
                    .draw(bits)
                    .ok_or_else(|| KmsError::KmsInternal("RSA key generation failed".into()))?,
            ),
            other => Some(
                super::asym::generate_non_rsa(other, env.rng)
                    .ok_or_else(|| KmsError::KmsInternal("key generation failed".into()))?,
            ),
        };
        let mut id = self.insert_key(
            NewKey {
                account: &ctx.account,
                region: &ctx.region,
                description,
                origin,
                manager: KeyManager::Customer,
                policy,
                tags,
            },
            env.now,
            env.rng,
        );
        if parsed != Spec::Symmetric || multi_region {
            let mut key = self
                .keys
                .remove(&id)
                .ok_or_else(|| KmsError::KmsInternal("key vanished".into()))?;
            spec.clone_into(&mut key.spec);
            key.usage = usage;
            if parsed != Spec::Symmetric {
                key.materials.clear();
                key.private = private;
            }
            if multi_region {
                key.id = format!("mrk-{}", env.rng.hex(32));
                key.arn = format!("arn:aws:kms:{}:{}:key/{}", key.region, key.account, key.id);
                key.multi_region = Some(super::key::MultiRegion {
                    primary_region: key.region.clone(),
                });
            }
            id = key.slot();
            self.keys.insert(id.clone(), key);
        }
        // The lockout safety check applies to a policy given in the request; it is checked
        // against the new key's ARN, and a rejected key is never stored.
        if supplied && r.bypass_policy_lockout_safety_check != Some(true) {
            let caller = crate::authorize::caller(ctx);
            let policies = crate::authorize::identity_policies(env.iam, ctx);
            let key = self.key(&id)?;
            if let Err(e) = authz::lockout_check(&key.policy, &caller, &key.arn, &policies) {
                self.keys.remove(&id);
                return Err(lockout_error(env, &e));
            }
        }
        let key = self.key(&id)?;
        env.audit.resource(&key.account, "AWS::KMS::Key", &key.arn);
        let metadata = self.metadata(key);
        if let Ok(v) = serde_json::to_value(&metadata) {
            let mut v = camel_value(&v);
            // CloudTrail writes dates in responseElements as text.
            if let Value::Object(m) = &mut v {
                m.insert(
                    "creationDate".into(),
                    json!(crate::env::trail_date(key.created_ms)),
                );
            }
            env.audit.response_elements = json!({ "keyMetadata": v });
        }
        Ok(KeyMetadataResponse {
            key_metadata: Some(Box::new(metadata)),
        })
    }

    pub(crate) fn describe_key(
        &mut self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        r: &DescribeKeyRequest,
    ) -> Result<KeyMetadataResponse, KmsError> {
        // A predefined AWS alias with no key yet: KMS creates the AWS managed key now.
        let alias = r
            .key_id
            .rsplit_once(":alias/")
            .map_or(r.key_id.as_str(), |(_, a)| a);
        let alias = alias.strip_prefix("alias/").unwrap_or(alias);
        if let Some(service) = alias.strip_prefix("aws/")
            && AWS_MANAGED_SERVICES.contains(&service)
            && (r.key_id.starts_with("alias/")
                || r.key_id
                    .starts_with(&format!("arn:aws:kms:{}:{}:", ctx.region, ctx.account)))
        {
            self.aws_managed_key(&ctx.account, &ctx.region, service, env.now, env.rng)?;
        }
        let conditions = RequestConditions::new().tokens(r.grant_tokens.as_ref());
        let id = self.target_with(
            env,
            ctx,
            &KeyTarget {
                id: &r.key_id,
                allow_alias: true,
                action: "kms:DescribeKey",
                rule: StateRule::Any,
                conditions: &conditions,
            },
        )?;
        Ok(KeyMetadataResponse {
            key_metadata: Some(Box::new(self.metadata(self.key(&id)?))),
        })
    }

    pub(crate) fn list_keys(
        &self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        r: &ListKeysRequest,
    ) -> Result<ListKeysResponse, KmsError> {
        self.authorize(env, ctx, "kms:ListKeys", None, &RequestConditions::new())?;
        let items: Vec<(String, KeyListEntry)> = self
            .keys
            .values()
            .filter(|k| k.account == ctx.account && k.region == ctx.region)
            .map(|k| {
                (
                    k.id.clone(),
                    KeyListEntry {
                        key_id: Some(k.id.clone()),
                        key_arn: Some(k.arn.clone()),
                    },
                )
            })
            .collect();
        let (keys, next) = paginate(items, r.limit, 1000, 100, r.marker.as_deref())?;
        Ok(ListKeysResponse {
            keys: Some(keys),
            truncated: Some(next.is_some()),
            next_marker: next,
        })
    }

    pub(crate) fn update_key_description(
        &mut self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        r: UpdateKeyDescriptionRequest,
    ) -> Result<Empty, KmsError> {
        if r.description.chars().count() > 8192 {
            return Err(KmsError::constraint(
                None,
                "description",
                "Member must have length less than or equal to 8192",
            ));
        }
        let id = self.target(
            env,
            ctx,
            &r.key_id,
            false,
            "kms:UpdateKeyDescription",
            StateRule::NotPendingDeletion,
        )?;
        self.key_mut(&id)?.description = r.description;
        self.key_arn_response(env, &id);
        Ok(Empty {})
    }

    pub(crate) fn key_arn_response(&self, env: &mut Env<'_>, id: &str) {
        if let Some(k) = self.keys.get(id) {
            env.audit.response_elements = json!({ "keyId": k.arn });
        }
    }

    pub(crate) fn enable_key(
        &mut self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        r: &KeyIdRequest,
    ) -> Result<Empty, KmsError> {
        let id = self.target(env, ctx, &r.key_id, false, "kms:EnableKey", StateRule::Any)?;
        let now = env.now;
        let key = self.key_mut(&id)?;
        key.enable()?;
        // A key that missed its rotation date while disabled rotates as soon as it is enabled.
        let overdue = key.rotation.enabled && key.rotation.next_ms.is_some_and(|t| t <= now);
        if overdue && let Some(ev) = self.rotate(&id, now, env.rng, RotationType::Automatic) {
            env.audit.followups.push(ev);
        }
        Ok(Empty {})
    }

    pub(crate) fn disable_key(
        &mut self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        r: &KeyIdRequest,
    ) -> Result<Empty, KmsError> {
        let id = self.target(env, ctx, &r.key_id, false, "kms:DisableKey", StateRule::Any)?;
        self.key_mut(&id)?.disable()?;
        Ok(Empty {})
    }

    pub(crate) fn schedule_key_deletion(
        &mut self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        r: &ScheduleKeyDeletionRequest,
    ) -> Result<ScheduleKeyDeletionResponse, KmsError> {
        let days = r.pending_window_in_days.unwrap_or(30);
        KmsError::check_range(days, "pendingWindowInDays", 7, 30)?;
        let conditions = RequestConditions::new().with(
            "kms:ScheduleKeyDeletionPendingWindowInDays",
            vec![days.to_string()],
        );
        let id = self.target_with(
            env,
            ctx,
            &KeyTarget {
                id: &r.key_id,
                allow_alias: false,
                action: "kms:ScheduleKeyDeletion",
                rule: StateRule::Any,
                conditions: &conditions,
            },
        )?;
        let replicas = {
            let key = self.key(&id)?;
            key.multi_region.is_some() && key.is_rotation_owner() && self.related(&key.id).len() > 1
        };
        let key = self.key_mut(&id)?;
        let when = key.schedule_deletion(env.now, days)?;
        let arn = key.arn.clone();
        if replicas {
            // A primary with replicas waits for them: its window starts when the last goes.
            key.state = super::key::KeyState::PendingReplicaDeletion { window_days: days };
            env.audit.response_elements = json!({
                "keyId": arn,
                "keyState": "PendingReplicaDeletion",
                "pendingWindowInDays": days,
            });
            return Ok(ScheduleKeyDeletionResponse {
                key_id: Some(arn),
                deletion_date: None,
                key_state: Some("PendingReplicaDeletion".into()),
                pending_window_in_days: Some(days),
            });
        }
        env.audit.response_elements = json!({
            "keyId": arn,
            "deletionDate": crate::env::trail_date(when),
            "keyState": "PendingDeletion",
            "pendingWindowInDays": days,
        });
        Ok(ScheduleKeyDeletionResponse {
            key_id: Some(arn),
            deletion_date: Some(secs(when)),
            key_state: Some("PendingDeletion".into()),
            pending_window_in_days: Some(days),
        })
    }

    pub(crate) fn cancel_key_deletion(
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
            "kms:CancelKeyDeletion",
            StateRule::Any,
        )?;
        let key = self.key_mut(&id)?;
        key.cancel_deletion()?;
        let arn = key.arn.clone();
        // A cancelled deletion is billed as though it was never scheduled.
        self.meter.deletion_cancelled(&arn);
        env.audit.response_elements = json!({ "keyId": arn });
        Ok(KeyIdResponse { key_id: Some(arn) })
    }

    pub(crate) fn put_key_policy(
        &mut self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        r: PutKeyPolicyRequest,
    ) -> Result<Empty, KmsError> {
        check_policy_name(r.policy_name.as_deref())?;
        let policy = parse_key_policy(&r.policy)?;
        let id = self.target(
            env,
            ctx,
            &r.key_id,
            false,
            "kms:PutKeyPolicy",
            StateRule::Any,
        )?;
        if r.bypass_policy_lockout_safety_check != Some(true) {
            let caller = crate::authorize::caller(ctx);
            let policies = crate::authorize::identity_policies(env.iam, ctx);
            let arn = self.key(&id)?.arn.clone();
            authz::lockout_check(&policy, &caller, &arn, &policies)
                .map_err(|e| lockout_error(env, &e))?;
        }
        self.key_mut(&id)?.policy = policy;
        self.key_arn_response(env, &id);
        Ok(Empty {})
    }

    pub(crate) fn get_key_policy(
        &self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        r: &GetKeyPolicyRequest,
    ) -> Result<GetKeyPolicyResponse, KmsError> {
        check_policy_name(r.policy_name.as_deref())?;
        let id = self.target(
            env,
            ctx,
            &r.key_id,
            false,
            "kms:GetKeyPolicy",
            StateRule::Any,
        )?;
        Ok(GetKeyPolicyResponse {
            policy: Some(self.key(&id)?.policy.source().to_owned()),
            policy_name: Some("default".into()),
        })
    }

    pub(crate) fn list_key_policies(
        &self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        r: &KeyListRequest,
    ) -> Result<ListKeyPoliciesResponse, KmsError> {
        let _ = self.target(
            env,
            ctx,
            &r.key_id,
            false,
            "kms:ListKeyPolicies",
            StateRule::Any,
        )?;
        let (names, next) = paginate(
            vec![("default".to_owned(), "default".to_owned())],
            r.limit,
            1000,
            100,
            r.marker.as_deref(),
        )?;
        Ok(ListKeyPoliciesResponse {
            policy_names: Some(names),
            truncated: Some(next.is_some()),
            next_marker: next,
        })
    }

    pub(crate) fn tag_resource(
        &mut self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        r: TagResourceRequest,
    ) -> Result<Empty, KmsError> {
        check_tags(&r.tags)?;
        let id = self.target_with(
            env,
            ctx,
            &KeyTarget {
                id: &r.key_id,
                allow_alias: false,
                action: "kms:TagResource",
                rule: StateRule::NotPendingDeletion,
                conditions: &tag_conditions(RequestConditions::new(), &r.tags),
            },
        )?;
        let key = self.key_mut(&id)?;
        let mut merged = key.tags.clone();
        for t in r.tags {
            match merged.iter_mut().find(|x| x.tag_key == t.tag_key) {
                Some(existing) => existing.tag_value = t.tag_value,
                None => merged.push(t),
            }
        }
        if merged.len() > 50 {
            return Err(KmsError::LimitExceeded(format!(
                "{} would have {} tags; the limit is 50",
                key.arn,
                merged.len()
            )));
        }
        key.tags = merged;
        Ok(Empty {})
    }

    pub(crate) fn untag_resource(
        &mut self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        r: &UntagResourceRequest,
    ) -> Result<Empty, KmsError> {
        let errors: Vec<String> = r
            .tag_keys
            .iter()
            .enumerate()
            .filter_map(|(i, k)| {
                let n = i + 1;
                match k.chars().count() {
                    0 => Some(format!(
                        "Value '' at 'tagKeys.{n}.member' failed to satisfy constraint: Member must have length greater than or equal to 1"
                    )),
                    l if l > 128 => Some(format!(
                        "Value '{k}' at 'tagKeys.{n}.member' failed to satisfy constraint: Member must have length less than or equal to 128"
                    )),
                    _ => None,
                }
            })
            .collect();
        validation_errors(&errors)?;
        let id = self.target_with(
            env,
            ctx,
            &KeyTarget {
                id: &r.key_id,
                allow_alias: false,
                action: "kms:UntagResource",
                rule: StateRule::NotPendingDeletion,
                conditions: &RequestConditions::new().with("aws:TagKeys", r.tag_keys.clone()),
            },
        )?;
        self.key_mut(&id)?
            .tags
            .retain(|t| !r.tag_keys.contains(&t.tag_key));
        Ok(Empty {})
    }

    pub(crate) fn list_resource_tags(
        &self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        r: &KeyListRequest,
    ) -> Result<ListResourceTagsResponse, KmsError> {
        let id = self.target(
            env,
            ctx,
            &r.key_id,
            false,
            "kms:ListResourceTags",
            StateRule::Any,
        )?;
        let mut items: Vec<(String, Tag)> = self
            .key(&id)?
            .tags
            .iter()
            .map(|t| (t.tag_key.clone(), t.clone()))
            .collect();
        items.sort_by(|a, b| a.0.cmp(&b.0));
        let (tags, next) = paginate(items, r.limit, 50, 50, r.marker.as_deref())?;
        Ok(ListResourceTagsResponse {
            tags: Some(tags),
            truncated: Some(next.is_some()),
            next_marker: next,
        })
    }

    pub(crate) fn get_key_last_usage(
        &self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        r: &KeyIdRequest,
    ) -> Result<GetKeyLastUsageResponse, KmsError> {
        let id = self.target(
            env,
            ctx,
            &r.key_id,
            false,
            "kms:GetKeyLastUsage",
            StateRule::Any,
        )?;
        let key = self.key(&id)?;
        Ok(GetKeyLastUsageResponse {
            key_id: Some(key.arn.clone()),
            key_last_usage: key.last_usage.as_ref().map(|u| KeyLastUsageData {
                operation: Some(u.operation.clone()),
                timestamp: Some(secs(u.at_ms)),
                cloud_trail_event_id: Some(u.event_id.as_str().to_owned()),
                kms_request_id: Some(u.request_id.as_str().to_owned()),
            }),
            tracking_start_date: self.tracking_start_ms.map(secs),
            key_creation_date: Some(secs(key.created_ms)),
        })
    }

    /// Records a successful cryptographic use for `GetKeyLastUsage`.
    #[cfg_attr(wasm_speed, optimize(speed))]
    pub(crate) fn note_use(&mut self, env: &Env<'_>, id: &str, operation: &str) {
        if let Some(k) = self.keys.get_mut(id) {
            match &mut k.last_usage {
                // Overwritten in place (no allocation once a key has been used).
                Some(u) => {
                    operation.clone_into(&mut u.operation);
                    u.at_ms = env.now;
                    u.event_id.clone_from(&env.audit.event_id);
                    u.request_id.clone_from(&env.audit.request_id);
                }
                None => {
                    k.last_usage = Some(super::key::LastUsage {
                        operation: operation.to_owned(),
                        at_ms: env.now,
                        event_id: env.audit.event_id.clone(),
                        request_id: env.audit.request_id.clone(),
                    });
                }
            }
        }
    }
}

/// The lockout check's error, its explanation recorded as the call's (denied) decision.
fn lockout_error(env: &mut Env<'_>, e: &authz::LockoutError) -> KmsError {
    env.audit
        .authorizations
        .push(crate::authorize::AuthorizationRecord::new(
            false,
            authz::DecidingGate::LockoutSafetyCheck,
            &e.to_string(),
            &e.explanation,
        ));
    KmsError::MalformedPolicyDocument(e.to_string())
}

fn check_policy_name(name: Option<&str>) -> Result<(), KmsError> {
    match name {
        None | Some("default") => Ok(()),
        Some(n)
            if n.is_empty()
                || n.len() > 128
                || !n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') =>
        {
            Err(KmsError::constraint(
                Some(n),
                "policyName",
                "Member must satisfy regular expression pattern: [\\w]+",
            ))
        }
        Some(n) => Err(KmsError::NotFound(format!(
            "No such policy exists: {n}. The only valid policy name is default."
        ))),
    }
}
