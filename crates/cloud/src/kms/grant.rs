//! Grants: CreateGrant, ListGrants, ListRetirableGrants, RetireGrant, RevokeGrant. Every
//! authorization on a key sees its grants ([`facts`]), so a grant allows its operations once it
//! has propagated, or at once with its grant token.

use serde_json::json;

use super::asym::Spec;
use super::key::{Grant, StateRule};
use super::model::{
    CreateGrantRequest, CreateGrantResponse, Empty, GrantListEntry, ListGrantsRequest,
    ListGrantsResponse, ListRetirableGrantsRequest, RetireGrantRequest, RevokeGrantRequest,
};
use super::ops_keys::enum_check;
use super::{Env, KeyTarget, Kms, KmsError, RequestConditions, paginate};
use crate::context::CallContext;
use crate::env::epoch_seconds;

const GRANT_OPERATIONS: &[&str] = &[
    "Decrypt",
    "Encrypt",
    "GenerateDataKey",
    "GenerateDataKeyWithoutPlaintext",
    "ReEncryptFrom",
    "ReEncryptTo",
    "Sign",
    "Verify",
    "GetPublicKey",
    "CreateGrant",
    "RetireGrant",
    "DescribeKey",
    "GenerateDataKeyPair",
    "GenerateDataKeyPairWithoutPlaintext",
    "GenerateMac",
    "VerifyMac",
    "DeriveSharedSecret",
    "Encapsulate",
    "Decapsulate",
];
/// The grant operations a symmetric encryption key supports.
const SYMMETRIC_GRANT_OPERATIONS: &[&str] = &[
    "Decrypt",
    "Encrypt",
    "GenerateDataKey",
    "GenerateDataKeyWithoutPlaintext",
    "ReEncryptFrom",
    "ReEncryptTo",
    "CreateGrant",
    "RetireGrant",
    "DescribeKey",
    "GenerateDataKeyPair",
    "GenerateDataKeyPairWithoutPlaintext",
];
/// The grant operations a key supports, by its key usage (symmetric encryption keys: the list
/// above). Every key supports CreateGrant, RetireGrant and DescribeKey.
fn grant_operations_for(symmetric: bool, usage: &str) -> &'static [&'static str] {
    const COMMON: [&str; 3] = ["CreateGrant", "RetireGrant", "DescribeKey"];
    macro_rules! with_common {
        ($($op:literal),*) => {
            &[$($op,)* COMMON[0], COMMON[1], COMMON[2]]
        };
    }
    match usage {
        _ if symmetric => SYMMETRIC_GRANT_OPERATIONS,
        "ENCRYPT_DECRYPT" => with_common!(
            "Encrypt",
            "Decrypt",
            "ReEncryptFrom",
            "ReEncryptTo",
            "GetPublicKey"
        ),
        "SIGN_VERIFY" => with_common!("Sign", "Verify", "GetPublicKey"),
        "GENERATE_VERIFY_MAC" => with_common!("GenerateMac", "VerifyMac"),
        "KEY_AGREEMENT" => with_common!("DeriveSharedSecret", "GetPublicKey"),
        "ENCAPSULATE_DECAPSULATE" => with_common!("Encapsulate", "Decapsulate", "GetPublicKey"),
        _ => &COMMON,
    }
}
/// Grants per key (resource quota).
const GRANTS_PER_KEY: usize = 50_000;

fn check_principal(p: &str, member: &str) -> Result<(), KmsError> {
    let ok = crate::arn::Arn::parse(p).is_some_and(|a| {
        matches!(a.service, "iam" | "sts")
            && crate::arn::is_account_id(a.account)
            && !a.resource.is_empty()
    });
    if ok {
        return Ok(());
    }
    Err(KmsError::Validation(format!(
        "Invalid {member} `{p}`: specify the ARN of an AWS principal (account root, IAM user, IAM role or assumed-role session)"
    )))
}

fn check_grant_id(id: &str) -> Result<(), KmsError> {
    if id.len() == 64 && id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(());
    }
    Err(KmsError::InvalidGrantId(format!("Invalid grant ID `{id}`")))
}

/// A stored grant as the `authz` crate sees it.
pub(crate) fn facts(g: &Grant) -> authz::GrantFacts {
    authz::GrantFacts {
        grant_id: g.id.clone(),
        grantee_principal: g
            .grantee_principal
            .clone()
            .or_else(|| g.grantee_service_principal.clone())
            .unwrap_or_default(),
        retiring_principal: g
            .retiring_principal
            .clone()
            .or_else(|| g.retiring_service_principal.clone()),
        operations: g.operations.clone(),
        encryption_context_equals: g
            .constraints
            .as_ref()
            .and_then(|c| c.encryption_context_equals.clone()),
        encryption_context_subset: g
            .constraints
            .as_ref()
            .and_then(|c| c.encryption_context_subset.clone()),
        created_ms: g.created_ms,
        token: g.token.clone(),
    }
}

fn entry(g: &Grant, key_arn: &str) -> GrantListEntry {
    GrantListEntry {
        key_id: Some(key_arn.to_owned()),
        grant_id: Some(g.id.clone()),
        // A grant created without a name lists with an empty Name.
        name: Some(g.name.clone().unwrap_or_default()),
        creation_date: epoch_seconds(g.created_ms).as_f64(),
        grantee_principal: g.grantee_principal.clone(),
        retiring_principal: g.retiring_principal.clone(),
        issuing_account: Some(format!("arn:aws:iam::{}:root", g.issuing_account)),
        operations: Some(g.operations.clone()),
        constraints: g.constraints.clone(),
        grantee_service_principal: g.grantee_service_principal.clone(),
        retiring_service_principal: g.retiring_service_principal.clone(),
    }
}

impl Kms {
    pub(crate) fn create_grant(
        &mut self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        r: CreateGrantRequest,
    ) -> Result<CreateGrantResponse, KmsError> {
        if r.operations.is_empty() {
            return Err(KmsError::constraint(
                Some("[]"),
                "operations",
                "Member must have length greater than or equal to 1",
            ));
        }
        for op in &r.operations {
            enum_check(op, "operations", GRANT_OPERATIONS)?;
        }
        match (&r.grantee_principal, &r.grantee_service_principal) {
            (None, None) => {
                return Err(KmsError::Validation(
                    "Specify a GranteePrincipal or a GranteeServicePrincipal".into(),
                ));
            }
            (Some(p), _) => check_principal(p, "GranteePrincipal")?,
            (None, Some(_)) => {
                if r.constraints
                    .as_ref()
                    .and_then(|c| c.source_arn.as_ref())
                    .is_none()
                {
                    return Err(KmsError::Validation(
                        "A grant for a GranteeServicePrincipal requires a SourceArn constraint"
                            .into(),
                    ));
                }
            }
        }
        if let Some(p) = &r.retiring_principal {
            check_principal(p, "RetiringPrincipal")?;
        }
        if let Some(name) = &r.name
            && (name.is_empty()
                || name.len() > 256
                || !name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, ':' | '/' | '_' | '-')))
        {
            return Err(KmsError::constraint(
                Some(name),
                "name",
                "Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$",
            ));
        }
        if let Some(c) = &r.constraints {
            let pairs = c.encryption_context_equals.as_ref().map_or(0, |m| m.len())
                + c.encryption_context_subset.as_ref().map_or(0, |m| m.len());
            if pairs > 8 {
                return Err(KmsError::Validation(
                    "A grant constraint can include at most 8 encryption context pairs".into(),
                ));
            }
        }
        let mut conditions = RequestConditions::new()
            .tokens(r.grant_tokens.as_ref())
            .with("kms:GrantOperations", r.operations.clone())
            .with(
                "kms:GrantIsForAWSResource",
                vec![ctx.via_service.is_some().to_string()],
            );
        if let Some(p) = r
            .grantee_principal
            .as_ref()
            .or(r.grantee_service_principal.as_ref())
        {
            conditions = conditions.with("kms:GranteePrincipal", vec![p.clone()]);
        }
        if let Some(p) = r
            .retiring_principal
            .as_ref()
            .or(r.retiring_service_principal.as_ref())
        {
            conditions = conditions.with("kms:RetiringPrincipal", vec![p.clone()]);
        }
        if let Some(c) = &r.constraints {
            let mut types = Vec::new();
            if c.encryption_context_equals.is_some() {
                types.push("EncryptionContextEquals".to_owned());
            }
            if c.encryption_context_subset.is_some() {
                types.push("EncryptionContextSubset".to_owned());
            }
            if !types.is_empty() {
                conditions = conditions.with("kms:GrantConstraintType", types);
            }
        }
        let id = self.target_with(
            env,
            ctx,
            &KeyTarget {
                id: &r.key_id,
                allow_alias: false,
                action: "kms:CreateGrant",
                rule: StateRule::Usable,
                conditions: &conditions,
            },
        )?;
        let key = self.key(&id)?;
        let allowed = grant_operations_for(key.spec() == Spec::Symmetric, &key.usage);
        let bad: Vec<&str> = r
            .operations
            .iter()
            .map(String::as_str)
            .filter(|o| !allowed.contains(o))
            .collect();
        if !bad.is_empty() {
            return Err(KmsError::Validation(format!(
                "Grant operations {} are not valid for a KMS key with KeySpec {}",
                bad.join(", "),
                key.spec
            )));
        }
        if key.grants.len() >= GRANTS_PER_KEY {
            return Err(KmsError::LimitExceeded(format!(
                "{} has reached the limit of {GRANTS_PER_KEY} grants",
                key.arn
            )));
        }
        if r.dry_run == Some(true) {
            return Err(KmsError::dry_run());
        }
        let token = {
            use base64::Engine as _;
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(env.rng.bytes(96))
        };
        // KMS lists a grant's operations once each, in the GrantOperation enum's order.
        let ops: Vec<String> = GRANT_OPERATIONS
            .iter()
            .filter(|o| r.operations.iter().any(|x| x == *o))
            .map(|o| (*o).to_owned())
            .collect();
        let grant = Grant {
            id: String::new(),
            token: token.clone(),
            name: r.name,
            grantee_principal: r.grantee_principal,
            grantee_service_principal: r.grantee_service_principal,
            retiring_principal: r.retiring_principal,
            retiring_service_principal: r.retiring_service_principal,
            operations: ops,
            constraints: r.constraints,
            issuing_account: ctx.account.clone(),
            created_ms: env.now,
        };
        let key = self.key_mut(&id)?;
        // Same name and same properties: CreateGrant is idempotent and returns the same grant id.
        let same = |g: &Grant| {
            g.name.is_some()
                && g.name == grant.name
                && g.grantee_principal == grant.grantee_principal
                && g.grantee_service_principal == grant.grantee_service_principal
                && g.retiring_principal == grant.retiring_principal
                && g.operations == grant.operations
                && g.constraints == grant.constraints
        };
        let grant_id = match key.grants.iter().find(|g| same(g)) {
            Some(existing) => existing.id.clone(),
            None => {
                let gid = env.rng.hex(64);
                key.grants.push(Grant {
                    id: gid.clone(),
                    ..grant
                });
                gid
            }
        };
        env.audit.response_elements = json!({ "grantId": grant_id, "keyId": key.arn });
        Ok(CreateGrantResponse {
            grant_token: Some(token),
            grant_id: Some(grant_id),
        })
    }

    pub(crate) fn list_grants(
        &self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        r: &ListGrantsRequest,
    ) -> Result<ListGrantsResponse, KmsError> {
        if let Some(g) = &r.grant_id {
            check_grant_id(g)?;
        }
        let id = self.target(env, ctx, &r.key_id, false, "kms:ListGrants", StateRule::Any)?;
        let key = self.key(&id)?;
        let items: Vec<(String, GrantListEntry)> = key
            .grants
            .iter()
            .enumerate()
            .filter(|(_, g)| r.grant_id.as_ref().is_none_or(|x| &g.id == x))
            .filter(|(_, g)| {
                r.grantee_principal
                    .as_ref()
                    .is_none_or(|p| g.grantee_principal.as_ref() == Some(p))
            })
            .filter(|(_, g)| {
                r.grantee_service_principal
                    .as_ref()
                    .is_none_or(|p| g.grantee_service_principal.as_ref() == Some(p))
            })
            .map(|(i, g)| (format!("{i:08}"), entry(g, &key.arn)))
            .collect();
        let (grants, next) = paginate(items, r.limit, 100, 50, r.marker.as_deref())?;
        Ok(ListGrantsResponse {
            grants: Some(grants),
            truncated: Some(next.is_some()),
            next_marker: next,
        })
    }

    pub(crate) fn list_retirable_grants(
        &self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        r: &ListRetirableGrantsRequest,
    ) -> Result<ListGrantsResponse, KmsError> {
        if r.retiring_principal.is_none() && r.retiring_service_principal.is_none() {
            return Err(KmsError::Validation(
                "Specify a RetiringPrincipal or a RetiringServicePrincipal".into(),
            ));
        }
        if let Some(p) = &r.retiring_principal {
            check_principal(p, "RetiringPrincipal")?;
        }
        self.authorize(
            env,
            ctx,
            "kms:ListRetirableGrants",
            None,
            &RequestConditions::new(),
        )?;
        let mut items = Vec::new();
        for key in self.keys.values().filter(|k| k.region == ctx.region) {
            for (i, g) in key.grants.iter().enumerate() {
                let matches = r
                    .retiring_principal
                    .as_ref()
                    .is_some_and(|p| g.retiring_principal.as_ref() == Some(p))
                    || r.retiring_service_principal
                        .as_ref()
                        .is_some_and(|p| g.retiring_service_principal.as_ref() == Some(p));
                if matches {
                    items.push((format!("{}/{i:08}", key.id), entry(g, &key.arn)));
                }
            }
        }
        let (grants, next) = paginate(items, r.limit, 100, 50, r.marker.as_deref())?;
        Ok(ListGrantsResponse {
            grants: Some(grants),
            truncated: Some(next.is_some()),
            next_marker: next,
        })
    }

    pub(crate) fn retire_grant(
        &mut self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        r: &RetireGrantRequest,
    ) -> Result<Empty, KmsError> {
        let (key_id, grant_id) = match (&r.grant_token, &r.key_id, &r.grant_id) {
            (Some(token), _, _) => {
                let found = self.keys.values().find_map(|k| {
                    k.grants
                        .iter()
                        .find(|g| &g.token == token)
                        .map(|g| (k.id.clone(), g.id.clone()))
                });
                let (kid, gid) = found
                    .ok_or_else(|| KmsError::InvalidGrantToken("Invalid grant token".into()))?;
                if let Some(k) = self.keys.get(&kid) {
                    env.audit.resource(&k.account, "AWS::KMS::Key", &k.arn);
                }
                (kid, gid)
            }
            (None, Some(k), Some(g)) => {
                check_grant_id(g)?;
                (self.resolve(env, ctx, k, false)?, g.clone())
            }
            _ => {
                return Err(KmsError::Validation(
                    "Specify either a GrantToken, or both a KeyId and a GrantId".into(),
                ));
            }
        };
        let key = self.key(&key_id)?;
        let grant = key
            .grants
            .iter()
            .find(|g| g.id == grant_id)
            .ok_or_else(|| KmsError::NotFound(format!("Grant ID {grant_id} not found")))?;
        // The retiring principal, the grantee (with RetireGrant) and the grant's account may
        // retire by virtue of the grant; anyone else needs kms:RetireGrant by policy.
        let caller = crate::authorize::caller(ctx);
        if authz::retire_right(&caller, &facts(grant), &grant.issuing_account).is_none() {
            self.authorize(
                env,
                ctx,
                "kms:RetireGrant",
                Some(key),
                &RequestConditions::new(),
            )?;
        }
        if r.dry_run == Some(true) {
            return Err(KmsError::dry_run());
        }
        self.key_mut(&key_id)?.grants.retain(|g| g.id != grant_id);
        env.audit.response_elements = json!({ "grantId": grant_id });
        Ok(Empty {})
    }

    pub(crate) fn revoke_grant(
        &mut self,
        env: &mut Env<'_>,
        ctx: &CallContext,
        r: &RevokeGrantRequest,
    ) -> Result<Empty, KmsError> {
        check_grant_id(&r.grant_id)?;
        let id = self.target(
            env,
            ctx,
            &r.key_id,
            false,
            "kms:RevokeGrant",
            StateRule::Any,
        )?;
        if !self.key(&id)?.grants.iter().any(|g| g.id == r.grant_id) {
            return Err(KmsError::NotFound(format!(
                "Grant ID {} not found",
                r.grant_id
            )));
        }
        if r.dry_run == Some(true) {
            return Err(KmsError::dry_run());
        }
        self.key_mut(&id)?.grants.retain(|g| g.id != r.grant_id);
        Ok(Empty {})
    }
}
