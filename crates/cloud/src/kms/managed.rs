//! The key factory: keys created through the API and the AWS managed keys (`aws/SERVICE`) a
//! service integration creates on first use, with the default key policy.

use serde_json::json;

use super::key::{Key, KeyManager, KeyState};
use super::{AWS_MANAGED_SERVICES, Alias, Kms, KmsError, alias_slot, crypto, key, model};
use crate::env::WorldRng;

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

impl Kms {
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
