//! Aliases: `alias/NAME` per account and Region, pointing at customer managed keys.
//!
//! CloudTrail lists an alias among an event's resources with type `AWS::KMS::Key` (as AWS does).

use super::key::{KeyManager, StateRule};
use super::model::{
    AliasListEntry, AliasRequest, DeleteAliasRequest, Empty, ListAliasesRequest,
    ListAliasesResponse,
};
use super::{AWS_MANAGED_SERVICES, Alias, Env, KeyTarget, Kms, KmsError, alias_slot, paginate};
use crate::context::CallContext;
use crate::env::epoch_seconds;

/// Aliases per key (resource quota).
const ALIASES_PER_KEY: usize = 50;

fn secs(ms: i64) -> f64 {
    epoch_seconds(ms).as_f64().unwrap_or_default()
}

/// Checks an alias name: length and characters (`ValidationException`), the `alias/` prefix
/// (`ValidationException`, AWS's wording), an empty name (`InvalidAliasNameException`), the reserved `alias/aws/` prefix (`NotAuthorizedException`).
pub(crate) fn check_alias_name(name: &str) -> Result<(), KmsError> {
    if name.is_empty() || name.len() > 256 {
        return Err(KmsError::constraint(
            Some(name),
            "aliasName",
            "Member must have length between 1 and 256",
        ));
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, ':' | '/' | '_' | '-'))
    {
        return Err(KmsError::constraint(
            Some(name),
            "aliasName",
            "Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$",
        ));
    }
    let Some(rest) = name.strip_prefix("alias/") else {
        // The wording AWS returns for a missing prefix.
        return Err(KmsError::Validation(
            "Alias must start with the prefix \"alias/\". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html".into(),
        ));
    };
    if rest.is_empty() {
        return Err(KmsError::InvalidAliasName(
            "Alias name alias/ has no name after the alias/ prefix".into(),
        ));
    }
    if rest.starts_with("aws/") {
        return Err(KmsError::NotAuthorized(format!(
            "Cannot create, update or delete alias {name}: the alias/aws/ prefix is reserved for AWS managed keys"
        )));
    }
    Ok(())
}

impl Kms {
    /// Resolves an alias target: a customer managed key of the caller's account and Region.
    fn alias_target(
        &self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        target: &str,
        action: &str,
        alias: &str,
    ) -> Result<String, KmsError> {
        let id = self.target_with(
            env,
            ctx,
            &KeyTarget {
                id: target,
                allow_alias: false,
                action,
                rule: StateRule::NotPendingDeletion,
                conditions: &super::RequestConditions::new()
                    .with("kms:AliasName", vec![alias.to_owned()]),
            },
        )?;
        let key = self.key(&id)?;
        if key.manager == KeyManager::Aws {
            return Err(KmsError::AccessDenied(format!(
                "User: {} is not authorized to perform: {action} on resource: {} because aliases can only point to customer managed keys",
                ctx.principal_arn, key.arn
            )));
        }
        Ok(id)
    }

    fn aliases_of(&self, id: &str) -> usize {
        self.aliases.values().filter(|a| a.target == id).count()
    }

    pub(crate) fn create_alias(
        &mut self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        r: &AliasRequest,
    ) -> Result<Empty, KmsError> {
        check_alias_name(&r.alias_name)?;
        let id = self.alias_target(env, ctx, &r.target_key_id, "kms:CreateAlias", &r.alias_name)?;
        let slot = alias_slot(&ctx.account, &ctx.region, &r.alias_name);
        let alias_arn = format!(
            "arn:aws:kms:{}:{}:{}",
            ctx.region, ctx.account, r.alias_name
        );
        if self.aliases.contains_key(&slot) {
            return Err(KmsError::AlreadyExists(format!(
                "An alias with the name {alias_arn} already exists"
            )));
        }
        if self.aliases_of(&id) >= ALIASES_PER_KEY {
            return Err(KmsError::LimitExceeded(format!(
                "A KMS key can have at most {ALIASES_PER_KEY} aliases"
            )));
        }
        self.aliases.insert(
            slot,
            Alias {
                name: r.alias_name.clone(),
                account: ctx.account.clone(),
                region: ctx.region.clone(),
                target: id,
                created_ms: env.now,
                updated_ms: env.now,
            },
        );
        env.audit
            .resource(&ctx.account, "AWS::KMS::Key", &alias_arn);
        Ok(Empty {})
    }

    pub(crate) fn update_alias(
        &mut self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        r: &AliasRequest,
    ) -> Result<Empty, KmsError> {
        check_alias_name(&r.alias_name)?;
        let slot = alias_slot(&ctx.account, &ctx.region, &r.alias_name);
        let alias_arn = format!(
            "arn:aws:kms:{}:{}:{}",
            ctx.region, ctx.account, r.alias_name
        );
        if let Some(old) = self.aliases.get(&slot)
            && let Some(k) = self.keys.get(&old.target)
        {
            env.audit.resource(&k.account, "AWS::KMS::Key", &k.arn);
        }
        if !self.aliases.contains_key(&slot) {
            return Err(KmsError::NotFound(format!(
                "Alias {alias_arn} is not found."
            )));
        }
        let id = self.alias_target(env, ctx, &r.target_key_id, "kms:UpdateAlias", &r.alias_name)?;
        if self.aliases.get(&slot).is_some_and(|a| a.target != id)
            && self.aliases_of(&id) >= ALIASES_PER_KEY
        {
            return Err(KmsError::LimitExceeded(format!(
                "A KMS key can have at most {ALIASES_PER_KEY} aliases"
            )));
        }
        if let Some(a) = self.aliases.get_mut(&slot) {
            a.target = id;
            a.updated_ms = env.now;
        }
        env.audit
            .resource(&ctx.account, "AWS::KMS::Key", &alias_arn);
        Ok(Empty {})
    }

    pub(crate) fn delete_alias(
        &mut self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        r: &DeleteAliasRequest,
    ) -> Result<Empty, KmsError> {
        check_alias_name(&r.alias_name)?;
        let slot = alias_slot(&ctx.account, &ctx.region, &r.alias_name);
        let alias_arn = format!(
            "arn:aws:kms:{}:{}:{}",
            ctx.region, ctx.account, r.alias_name
        );
        let alias = self
            .aliases
            .get(&slot)
            .ok_or_else(|| KmsError::NotFound(format!("Alias {alias_arn} is not found.")))?;
        if let Some(k) = self.keys.get(&alias.target) {
            env.audit.resource(&k.account, "AWS::KMS::Key", &k.arn);
            self.authorize(
                env,
                ctx,
                "kms:DeleteAlias",
                Some(k),
                &super::RequestConditions::new().with("kms:AliasName", vec![r.alias_name.clone()]),
            )?;
        }
        self.aliases.remove(&slot);
        env.audit
            .resource(&ctx.account, "AWS::KMS::Key", &alias_arn);
        Ok(Empty {})
    }

    pub(crate) fn list_aliases(
        &self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        r: &ListAliasesRequest,
    ) -> Result<ListAliasesResponse, KmsError> {
        // kms:ListAliases is an IAM-only permission (resource `*`), with or without a KeyId.
        self.authorize(
            env,
            ctx,
            "kms:ListAliases",
            None,
            &super::RequestConditions::new(),
        )?;
        let filter = match &r.key_id {
            Some(k) => Some(self.resolve(env, ctx, k, false)?),
            None => None,
        };
        let mut items: Vec<(String, AliasListEntry)> = self
            .aliases
            .values()
            .filter(|a| a.account == ctx.account && a.region == ctx.region)
            .filter(|a| filter.as_ref().is_none_or(|f| &a.target == f))
            .map(|a| {
                (
                    a.name.clone(),
                    AliasListEntry {
                        alias_name: Some(a.name.clone()),
                        alias_arn: Some(a.arn()),
                        // The map slot of a multi-Region key is `ID@REGION`; AWS shows the id.
                        target_key_id: Some(
                            self.keys
                                .get(&a.target)
                                .map_or_else(|| a.target.clone(), |k| k.id.clone()),
                        ),
                        creation_date: Some(secs(a.created_ms)),
                        last_updated_date: Some(secs(a.updated_ms)),
                    },
                )
            })
            .collect();
        if filter.is_none() {
            // Predefined AWS managed aliases are listed even before their key exists.
            for service in AWS_MANAGED_SERVICES {
                let name = format!("alias/aws/{service}");
                if !items.iter().any(|(n, _)| n == &name) {
                    items.push((
                        name.clone(),
                        AliasListEntry {
                            alias_arn: Some(format!(
                                "arn:aws:kms:{}:{}:{name}",
                                ctx.region, ctx.account
                            )),
                            alias_name: Some(name),
                            ..AliasListEntry::default()
                        },
                    ));
                }
            }
        }
        items.sort_by(|a, b| a.0.cmp(&b.0));
        let (aliases, next) = paginate(items, r.limit, 100, 50, r.marker.as_deref())?;
        Ok(ListAliasesResponse {
            aliases: Some(aliases),
            truncated: Some(next.is_some()),
            next_marker: next,
        })
    }
}
