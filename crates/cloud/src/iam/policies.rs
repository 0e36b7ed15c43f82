//! Customer managed policies: `CreatePolicy`, versions (`CreatePolicyVersion`, at most five,
//! one default), `GetPolicy`, `GetPolicyVersion`, `ListPolicies`, `ListPolicyVersions`,
//! `SetDefaultPolicyVersion`, `DeletePolicyVersion` and `DeletePolicy`, with IAM's rules and
//! messages. A principal's attached customer managed policy is authorized with its default
//! version, as IAM does (see [`Iam::attached_document`]).

use std::collections::BTreeMap;

use policy::{Limits, PolicyDocument, PolicyKind};
use serde::{Deserialize, Serialize};

use super::{
    Account, Iam, IamError, IamRequest, IamResponse, MANAGED_POLICIES, check_name, check_path,
    doc_value, managed_policy_arn, page, parse_policy,
};
use crate::context::CallContext;
use crate::env::{WorldRng, iso8601};
use crate::iam::model::{
    Empty, ListPoliciesResponse, ListPolicyVersionsResponse, Policy, PolicyResponse, PolicyVersion,
    PolicyVersionResponse,
};

/// How many versions a customer managed policy may keep.
const MAX_VERSIONS: usize = 5;

/// A customer managed policy of an account.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ManagedPolicy {
    pub(crate) name: String,
    /// `ANPA…`.
    pub(crate) id: String,
    pub(crate) arn: String,
    pub(crate) path: String,
    pub(crate) description: Option<String>,
    pub(crate) created_ms: i64,
    pub(crate) updated_ms: i64,
    /// The default version's id (`v1`, `v2`, …).
    pub(crate) default_version: String,
    /// The versions, oldest first.
    pub(crate) versions: Vec<StoredVersion>,
    /// The number the next version gets (version ids are never reused).
    pub(crate) next_version: u32,
}

/// One version of a customer managed policy.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StoredVersion {
    pub(crate) id: String,
    pub(crate) document: PolicyDocument,
    pub(crate) created_ms: i64,
}

impl ManagedPolicy {
    /// The default version's document.
    pub(crate) fn default_document(&self) -> Option<&PolicyDocument> {
        self.versions
            .iter()
            .find(|v| v.id == self.default_version)
            .map(|v| &v.document)
    }
}

/// How many users and roles of `account` have `arn` attached.
fn attachment_count(account: Option<&Account>, arn: &str) -> i64 {
    account.map_or(0, |a| {
        let users = a
            .users
            .values()
            .filter(|u| u.attached.iter().any(|x| x == arn));
        let roles = a
            .roles
            .values()
            .filter(|r| r.attached.iter().any(|x| x == arn));
        i64::try_from(users.count() + roles.count()).unwrap_or(i64::MAX)
    })
}

fn shape(p: &ManagedPolicy, account: Option<&Account>, with_description: bool) -> Policy {
    Policy {
        policy_name: p.name.clone(),
        policy_id: p.id.clone(),
        arn: p.arn.clone(),
        path: p.path.clone(),
        default_version_id: p.default_version.clone(),
        attachment_count: attachment_count(account, &p.arn),
        permissions_boundary_usage_count: 0,
        is_attachable: true,
        description: if with_description {
            p.description.clone()
        } else {
            None
        },
        create_date: iso8601(p.created_ms),
        update_date: iso8601(p.updated_ms),
    }
}

/// An AWS managed policy as `ListPolicies` shows it (the lab keeps no dates: AWS's own are
/// years old; the lab answers the world's epoch).
fn aws_shape(name: &str, account: Option<&Account>) -> Policy {
    let arn = managed_policy_arn(name);
    Policy {
        policy_name: name.to_owned(),
        policy_id: format!(
            "ANPA{}",
            name.to_uppercase()
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .take(17)
                .collect::<String>()
        ),
        attachment_count: attachment_count(account, &arn),
        arn,
        path: "/".into(),
        default_version_id: "v1".into(),
        permissions_boundary_usage_count: 0,
        is_attachable: true,
        description: None,
        create_date: iso8601(0),
        update_date: iso8601(0),
    }
}

fn version_shape(p: &ManagedPolicy, v: &StoredVersion, with_document: bool) -> PolicyVersion {
    PolicyVersion {
        document: with_document.then(|| doc_value(v.document.source())),
        version_id: v.id.clone(),
        is_default_version: v.id == p.default_version,
        create_date: iso8601(v.created_ms),
    }
}

fn not_found(arn: &str) -> IamError {
    IamError::NoSuchEntity(format!("Policy {arn} was not found."))
}

fn no_version(arn: &str, version: &str) -> IamError {
    IamError::NoSuchEntity(format!(
        "Policy {arn} version {version} does not exist or is not attachable."
    ))
}

/// A policy path as the model's `policyPathType` allows it: `/`, or `/` + segments of
/// letters, digits and `.,+@=_-`, each ended by `/`.
fn check_policy_path(path: &str) -> Result<(), IamError> {
    let inner = path.strip_prefix('/').and_then(|p| p.strip_suffix('/'));
    let ok = path == "/"
        || inner.is_some_and(|inner| {
            inner.split('/').all(|seg| {
                !seg.is_empty()
                    && seg
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || ".,+@=_-".contains(c))
            })
        });
    if ok {
        Ok(())
    } else {
        Err(IamError::ValidationError(format!(
            "1 validation error detected: Value '{path}' at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern: ((/[A-Za-z0-9\\.,\\+@=_-]+)*)/"
        )))
    }
}

/// The ARN's account and policy name (the last path segment), when it is a policy ARN.
fn split_arn(arn: &str) -> Result<(String, String), IamError> {
    let a = crate::arn::Arn::parse(arn)
        .ok_or_else(|| IamError::InvalidInput(format!("ARN {arn} is not valid.")))?;
    let name = a
        .resource
        .strip_prefix("policy/")
        .and_then(|r| r.rsplit('/').next())
        .filter(|n| !n.is_empty() && a.service == "iam")
        .ok_or_else(|| IamError::InvalidInput(format!("ARN {arn} is not valid.")))?;
    Ok((a.account.to_owned(), name.to_owned()))
}

impl Iam {
    /// The document IAM authorizes an attached policy `arn` with: an AWS managed policy's, or a
    /// customer managed policy's default version.
    pub(crate) fn attached_document(&self, arn: &str) -> Option<&PolicyDocument> {
        if let Some(d) = self.managed.get(arn) {
            return Some(d);
        }
        let (account, name) = split_arn(arn).ok()?;
        self.accounts
            .get(&account)?
            .policies
            .get(&name)
            .filter(|p| p.arn == arn)?
            .default_document()
    }

    /// Whether `arn` may be attached by a principal of `ctx`'s account: an AWS managed policy
    /// the lab knows, or one of the account's customer managed policies.
    pub(crate) fn check_attachable(&self, ctx: &CallContext, arn: &str) -> Result<(), IamError> {
        if self.managed.contains_key(arn) {
            return Ok(());
        }
        let (account, _) = split_arn(arn)?;
        if account == ctx.account && self.attached_document(arn).is_some() {
            return Ok(());
        }
        Err(IamError::NoSuchEntity(format!(
            "Policy {arn} does not exist or is not attachable."
        )))
    }

    /// The caller's customer managed policy `arn`.
    fn policy(&self, ctx: &CallContext, arn: &str) -> Result<&ManagedPolicy, IamError> {
        let (account, name) = split_arn(arn)?;
        self.accounts
            .get(&account)
            .filter(|_| account == ctx.account)
            .and_then(|a| a.policies.get(&name))
            .filter(|p| p.arn == arn)
            .ok_or_else(|| not_found(arn))
    }

    fn policy_mut(&mut self, ctx: &CallContext, arn: &str) -> Result<&mut ManagedPolicy, IamError> {
        self.policy(ctx, arn)?;
        let (_, name) = split_arn(arn)?;
        self.accounts
            .get_mut(&ctx.account)
            .and_then(|a| a.policies.get_mut(&name))
            .ok_or_else(|| not_found(arn))
    }

    /// The customer managed policy operations (see the module's documentation).
    pub(super) fn handle_policy(
        &mut self,
        ctx: &CallContext,
        req: IamRequest,
        now: i64,
        rng: &mut WorldRng,
    ) -> Result<IamResponse, IamError> {
        use IamRequest as Q;
        use IamResponse as R;
        let parse = |text: &str| parse_policy(text, PolicyKind::Identity, Limits::iam_managed());
        Ok(match req {
            Q::CreatePolicy(r) => {
                check_name("policyName", &r.policy_name, 128)?;
                let path = r.path.unwrap_or_else(|| "/".into());
                check_path(&path)?;
                check_policy_path(&path)?;
                if r.description
                    .as_ref()
                    .is_some_and(|d| d.chars().count() > 1000)
                {
                    return Err(IamError::ValidationError(
                        "1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to 1000".into(),
                    ));
                }
                let document = parse(&r.policy_document)?;
                let account = ctx.account.clone();
                let a = self.account_mut(ctx)?;
                if a.policies
                    .keys()
                    .any(|n| n.eq_ignore_ascii_case(&r.policy_name))
                {
                    return Err(IamError::EntityAlreadyExists(format!(
                        "A policy called {} already exists. Duplicate names are not allowed.",
                        r.policy_name
                    )));
                }
                let p = ManagedPolicy {
                    arn: format!("arn:aws:iam::{account}:policy{path}{}", r.policy_name),
                    name: r.policy_name.clone(),
                    id: rng.iam_id("ANPA", 21),
                    path,
                    description: r.description,
                    created_ms: now,
                    updated_ms: now,
                    default_version: "v1".into(),
                    versions: vec![StoredVersion {
                        id: "v1".into(),
                        document,
                        created_ms: now,
                    }],
                    next_version: 2,
                };
                a.policies.insert(r.policy_name, p.clone());
                R::CreatePolicy(PolicyResponse {
                    policy: shape(&p, self.accounts.get(&account), false),
                })
            }
            Q::GetPolicy(r) => {
                if let Some((name, _)) = MANAGED_POLICIES
                    .iter()
                    .find(|(n, _)| managed_policy_arn(n) == r.policy_arn)
                {
                    return Ok(R::GetPolicy(PolicyResponse {
                        policy: aws_shape(name, self.accounts.get(&ctx.account)),
                    }));
                }
                let p = self.policy(ctx, &r.policy_arn)?;
                R::GetPolicy(PolicyResponse {
                    policy: shape(p, self.accounts.get(&ctx.account), true),
                })
            }
            Q::GetPolicyVersion(r) => {
                if let Some(doc) = self.managed.get(&r.policy_arn) {
                    if r.version_id != "v1" {
                        return Err(no_version(&r.policy_arn, &r.version_id));
                    }
                    return Ok(R::GetPolicyVersion(PolicyVersionResponse {
                        policy_version: PolicyVersion {
                            document: Some(doc_value(doc.source())),
                            version_id: "v1".into(),
                            is_default_version: true,
                            create_date: iso8601(0),
                        },
                    }));
                }
                let p = self.policy(ctx, &r.policy_arn)?;
                let v = p
                    .versions
                    .iter()
                    .find(|v| v.id == r.version_id)
                    .ok_or_else(|| no_version(&r.policy_arn, &r.version_id))?;
                R::GetPolicyVersion(PolicyVersionResponse {
                    policy_version: version_shape(p, v, true),
                })
            }
            Q::CreatePolicyVersion(r) => {
                let document = parse(&r.policy_document)?;
                let p = self.policy_mut(ctx, &r.policy_arn)?;
                if p.versions.len() >= MAX_VERSIONS {
                    return Err(IamError::LimitExceeded(
                        "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.".into(),
                    ));
                }
                let id = format!("v{}", p.next_version);
                p.next_version += 1;
                p.versions.push(StoredVersion {
                    id: id.clone(),
                    document,
                    created_ms: now,
                });
                if r.set_as_default == Some(true) {
                    p.default_version.clone_from(&id);
                }
                p.updated_ms = now;
                let p = p.clone();
                let v = p.versions.iter().find(|v| v.id == id);
                R::CreatePolicyVersion(PolicyVersionResponse {
                    policy_version: v.map(|v| version_shape(&p, v, false)).unwrap_or_default(),
                })
            }
            Q::ListPolicyVersions(r) if self.managed.contains_key(&r.policy_arn) => {
                // The lab keeps one version of each AWS managed policy.
                R::ListPolicyVersions(ListPolicyVersionsResponse {
                    versions: vec![PolicyVersion {
                        document: None,
                        version_id: "v1".into(),
                        is_default_version: true,
                        create_date: iso8601(0),
                    }],
                    is_truncated: false,
                    marker: None,
                })
            }
            Q::ListPolicyVersions(r) => {
                let p = self.policy(ctx, &r.policy_arn)?;
                // Newest first, as IAM lists them.
                let all: Vec<PolicyVersion> = p
                    .versions
                    .iter()
                    .rev()
                    .map(|v| version_shape(p, v, false))
                    .collect();
                let pg = page(all, r.marker.as_deref(), r.max_items)?;
                R::ListPolicyVersions(ListPolicyVersionsResponse {
                    versions: pg.items,
                    is_truncated: pg.is_truncated,
                    marker: pg.marker,
                })
            }
            Q::SetDefaultPolicyVersion(r) => {
                let p = self.policy_mut(ctx, &r.policy_arn)?;
                if !p.versions.iter().any(|v| v.id == r.version_id) {
                    return Err(no_version(&r.policy_arn, &r.version_id));
                }
                p.default_version = r.version_id;
                p.updated_ms = now;
                R::SetDefaultPolicyVersion(Empty {})
            }
            Q::DeletePolicyVersion(r) => {
                let p = self.policy_mut(ctx, &r.policy_arn)?;
                if !p.versions.iter().any(|v| v.id == r.version_id) {
                    return Err(no_version(&r.policy_arn, &r.version_id));
                }
                if p.default_version == r.version_id {
                    return Err(IamError::DeleteConflict(
                        "Cannot delete the default version of a policy.".into(),
                    ));
                }
                p.versions.retain(|v| v.id != r.version_id);
                R::DeletePolicyVersion(Empty {})
            }
            Q::DeletePolicy(r) => {
                let p = self.policy(ctx, &r.policy_arn)?;
                if attachment_count(self.accounts.get(&ctx.account), &r.policy_arn) > 0 {
                    return Err(IamError::DeleteConflict(
                        "Cannot delete a policy attached to entities.".into(),
                    ));
                }
                if p.versions.len() > 1 {
                    return Err(IamError::DeleteConflict(
                        "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.".into(),
                    ));
                }
                let name = p.name.clone();
                self.account_mut(ctx)?.policies.remove(&name);
                R::DeletePolicy(Empty {})
            }
            Q::ListPolicies(r) => {
                let scope = r.scope.as_deref().unwrap_or("All");
                if !matches!(scope, "All" | "AWS" | "Local") {
                    return Err(IamError::ValidationError(format!(
                        "1 validation error detected: Value '{scope}' at 'scope' failed to satisfy constraint: Member must satisfy enum value set: [All, AWS, Local]"
                    )));
                }
                let prefix = r.path_prefix.as_deref().unwrap_or("/");
                let account = self.accounts.get(&ctx.account);
                let mut all: Vec<Policy> = Vec::new();
                if scope != "Local" {
                    all.extend(MANAGED_POLICIES.iter().map(|(n, _)| aws_shape(n, account)));
                }
                if scope != "AWS" {
                    let local = account.map(|a| &a.policies);
                    all.extend(
                        local
                            .into_iter()
                            .flat_map(BTreeMap::values)
                            .map(|p| shape(p, account, false)),
                    );
                }
                all.retain(|p| p.path.starts_with(prefix));
                if r.only_attached == Some(true) {
                    all.retain(|p| p.attachment_count > 0);
                }
                let pg = page(all, r.marker.as_deref(), r.max_items)?;
                R::ListPolicies(ListPoliciesResponse {
                    policies: pg.items,
                    is_truncated: pg.is_truncated,
                    marker: pg.marker,
                })
            }
            other => {
                return Err(IamError::ServiceFailure(format!(
                    "{} is not a policy operation",
                    other.operation()
                )));
            }
        })
    }
}

/// The resource a policy operation acts on: the policy's ARN (`*` for `ListPolicies`).
pub(super) fn resource(req: &IamRequest, ctx: &CallContext) -> String {
    use IamRequest as Q;
    match req {
        Q::CreatePolicy(r) => {
            let path = r.path.as_deref().unwrap_or("/");
            format!("arn:aws:iam::{}:policy{path}{}", ctx.account, r.policy_name)
        }
        Q::GetPolicy(r) | Q::DeletePolicy(r) => r.policy_arn.clone(),
        Q::GetPolicyVersion(r) | Q::SetDefaultPolicyVersion(r) | Q::DeletePolicyVersion(r) => {
            r.policy_arn.clone()
        }
        Q::CreatePolicyVersion(r) => r.policy_arn.clone(),
        Q::ListPolicyVersions(r) => r.policy_arn.clone(),
        _ => "*".into(),
    }
}
