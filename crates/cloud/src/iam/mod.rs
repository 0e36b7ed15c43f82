//! Minimal IAM: users, roles, inline, AWS managed and customer managed policies (parsed once, on write, into
//! [`PolicyDocument`]s that every later call is authorized against). IAM is global: the Region
//! is ignored, events land in us-east-1.

use std::collections::BTreeMap;

use policy::{AwsService, Limits, PolicyDocument, PolicyError, PolicyKind};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::context::{CallContext, IdentityType};
use crate::env::{WorldRng, iso8601};
use crate::{PARTNER_ACCOUNT, PROD_ACCOUNT};

pub mod model;
mod policies;
mod service;
// The state's `User` and `Role` shadow the model's shapes of the same AWS names here: those
// are `model::User` and `model::Role`.
pub use model::*;

/// AWS managed policies the lab knows: (name, document).
pub(crate) const MANAGED_POLICIES: &[(&str, &str)] = &[
    (
        "AdministratorAccess",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
    ),
    (
        "AmazonS3FullAccess",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","s3-object-lambda:*"],"Resource":"*"}]}"#,
    ),
    (
        "PowerUserAccess",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":["iam:*","organizations:*","account:*"],"Resource":"*"},{"Effect":"Allow","Action":["account:GetAccountInformation","account:GetPrimaryEmail","account:ListRegions","iam:CreateServiceLinkedRole","iam:DeleteServiceLinkedRole","iam:ListRoles","organizations:DescribeOrganization"],"Resource":"*"}]}"#,
    ),
    // INVARIANT: abridged: the real document lists hundreds of services; the lab keeps the
    // statements for the services it models (the KMS entries are verbatim).
    (
        "ReadOnlyAccess",
        r#"{"Version":"2012-10-17","Statement":[{"Sid":"ReadOnlyActions","Effect":"Allow","Action":["cloudtrail:Describe*","cloudtrail:Get*","cloudtrail:List*","cloudtrail:LookupEvents","ebs:Describe*","ebs:Get*","ebs:List*","ec2:Describe*","ec2:Get*","iam:Generate*","iam:Get*","iam:List*","iam:Simulate*","kms:Describe*","kms:Get*","kms:List*","rds:Describe*","rds:List*","s3:Describe*","s3:Get*","s3:List*","sts:GetAccessKeyInfo","sts:GetCallerIdentity","sts:GetSessionToken"],"Resource":"*"}]}"#,
    ),
];

/// The `arn:aws:iam::aws:policy/NAME` of a managed policy name.
pub(crate) fn managed_policy_arn(name: &str) -> String {
    format!("arn:aws:iam::aws:policy/{name}")
}

/// An IAM user.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct User {
    pub(crate) name: String,
    pub(crate) id: String,
    pub(crate) arn: String,
    pub(crate) path: String,
    pub(crate) created_ms: i64,
    pub(crate) access_key_id: String,
    pub(crate) inline: BTreeMap<String, PolicyDocument>,
    pub(crate) attached: Vec<String>,
}

/// An IAM role.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Role {
    pub(crate) name: String,
    pub(crate) id: String,
    pub(crate) arn: String,
    pub(crate) path: String,
    pub(crate) created_ms: i64,
    pub(crate) assume_role_policy: PolicyDocument,
    pub(crate) description: Option<String>,
    pub(crate) max_session_duration: i64,
    pub(crate) inline: BTreeMap<String, PolicyDocument>,
    pub(crate) attached: Vec<String>,
}

/// A service's execution role, as [`Iam::ensure_service_role`] creates it.
pub(crate) struct ServiceRole<'a> {
    pub name: &'a str,
    /// The service principal trusted to assume it (`lambda.amazonaws.com`).
    pub service: &'a str,
    pub description: &'a str,
    /// Inline policies: (name, built-in literal).
    pub inline: &'a [(&'a str, &'a str)],
}

/// One account's IAM.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Account {
    pub(crate) id: String,
    pub(crate) alias: String,
    pub(crate) users: BTreeMap<String, User>,
    pub(crate) roles: BTreeMap<String, Role>,
    /// Customer managed policies, by name (saves from before they existed have none).
    #[serde(default)]
    pub(crate) policies: BTreeMap<String, policies::ManagedPolicy>,
}

/// Every account's IAM (users, roles, their policies).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Iam {
    pub(crate) accounts: BTreeMap<String, Account>,
    /// The AWS managed policies, by ARN, parsed at world creation.
    pub(crate) managed: BTreeMap<String, PolicyDocument>,
}

fn trust_account_root(account: &str) -> PolicyDocument {
    let text = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{account}:root"}},"Action":"sts:AssumeRole"}}]}}"#
    );
    builtin(&text, PolicyKind::Trust)
}

/// Parses a built-in policy of the default world.
#[expect(
    clippy::panic,
    reason = "INVARIANT: built-in documents are literals (tested by `builtin_policies_parse`), never input"
)]
fn builtin(text: &str, kind: PolicyKind) -> PolicyDocument {
    match PolicyDocument::parse(text, kind, Limits::none()) {
        Ok(d) => d,
        Err(e) => panic!("built-in policy does not parse: {e}"),
    }
}

const SECURITY_ADMIN_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"KeyAdministration","Effect":"Allow","Action":["kms:Create*","kms:Describe*","kms:Enable*","kms:List*","kms:Put*","kms:Update*","kms:Revoke*","kms:Disable*","kms:Get*","kms:Delete*","kms:TagResource","kms:UntagResource","kms:ScheduleKeyDeletion","kms:CancelKeyDeletion","kms:RotateKeyOnDemand"],"Resource":"*"}]}"#;
const APP_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"AppKeyUse","Effect":"Allow","Action":["kms:Encrypt","kms:Decrypt","kms:GenerateDataKey*","kms:DescribeKey"],"Resource":"*"}]}"#;

impl Iam {
    pub(crate) fn default_world(rng: &mut WorldRng, now: i64) -> Iam {
        let mut iam = Iam {
            accounts: BTreeMap::new(),
            managed: MANAGED_POLICIES
                .iter()
                .map(|(name, doc)| (managed_policy_arn(name), builtin(doc, PolicyKind::Identity)))
                .collect(),
        };
        for (id, alias) in [(PROD_ACCOUNT, "prod"), (PARTNER_ACCOUNT, "partner")] {
            iam.accounts.insert(
                id.to_owned(),
                Account {
                    id: id.to_owned(),
                    alias: alias.to_owned(),
                    users: BTreeMap::new(),
                    roles: BTreeMap::new(),
                    policies: BTreeMap::new(),
                },
            );
        }
        let admin = managed_policy_arn("AdministratorAccess");
        if let Some(a) = iam.accounts.get_mut(PROD_ACCOUNT) {
            let mut u = new_user(rng, PROD_ACCOUNT, "Admin", "/", now);
            u.attached.push(admin.clone());
            a.users.insert(u.name.clone(), u);
            let mut r = new_role(
                rng,
                PROD_ACCOUNT,
                "SecurityAdmin",
                "/",
                now,
                trust_account_root(PROD_ACCOUNT),
            );
            r.description = Some("Administers KMS keys; no cryptographic use".into());
            r.inline.insert(
                "KeyAdministration".into(),
                builtin(SECURITY_ADMIN_POLICY, PolicyKind::Identity),
            );
            a.roles.insert(r.name.clone(), r);
            let mut r = new_role(
                rng,
                PROD_ACCOUNT,
                "AppRole",
                "/",
                now,
                trust_account_root(PROD_ACCOUNT),
            );
            r.description = Some("The application: encrypts and decrypts with KMS".into());
            r.inline.insert(
                "AppKeyUse".into(),
                builtin(APP_POLICY, PolicyKind::Identity),
            );
            a.roles.insert(r.name.clone(), r);
        }
        if let Some(a) = iam.accounts.get_mut(PARTNER_ACCOUNT) {
            let mut u = new_user(rng, PARTNER_ACCOUNT, "PartnerAdmin", "/", now);
            u.attached.push(admin);
            a.users.insert(u.name.clone(), u);
        }
        iam
    }

    /// The role `name` of `account`, created as a service's execution role when it does not
    /// exist yet: trusted by `service` (`lambda.amazonaws.com`), with `inline` policies (built-in
    /// literals). An existing role is left as it is (the learner may have changed it).
    pub(crate) fn ensure_service_role(
        &mut self,
        rng: &mut WorldRng,
        account: &str,
        role: &ServiceRole<'_>,
        now: i64,
    ) {
        let ServiceRole {
            name,
            service,
            description,
            inline,
        } = *role;
        let Some(a) = self.accounts.get_mut(account) else {
            return;
        };
        if a.roles.contains_key(name) {
            return;
        }
        let trust = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Service":"{service}"}},"Action":"sts:AssumeRole"}}]}}"#
        );
        let mut r = new_role(
            rng,
            account,
            name,
            "/",
            now,
            builtin(&trust, PolicyKind::Trust),
        );
        r.description = Some(description.to_owned());
        for (policy_name, text) in inline {
            r.inline.insert(
                (*policy_name).to_owned(),
                builtin(text, PolicyKind::Identity),
            );
        }
        a.roles.insert(r.name.clone(), r);
    }

    /// The call context of a session of role `role` of `account` named `session` (as a service
    /// such as Lambda assumes its execution role), or `None` when the role does not exist.
    pub(crate) fn role_session_context(
        &self,
        rng: &mut WorldRng,
        account: &str,
        role: &str,
        session: &str,
        region: &str,
        now: i64,
    ) -> Option<CallContext> {
        let r = self.accounts.get(account)?.roles.get(role)?;
        Some(CallContext {
            principal_arn: format!("arn:aws:sts::{account}:assumed-role/{}/{session}", r.name),
            account: account.to_owned(),
            region: region.to_owned(),
            via_service: None,
            secure_transport: true,
            source_ip: "198.51.100.77".into(),
            user_agent: "Boto3/1.34.0 md/Botocore#1.34.0 exec-env/AWS_Lambda_python3.12".into(),
            identity_type: IdentityType::AssumedRole,
            principal_id: format!("{}:{session}", r.id),
            access_key_id: rng.iam_id("ASIA", 20),
            user_name: None,
            session: Some(crate::context::RoleSession {
                role_arn: r.arn.clone(),
                role_id: r.id.clone(),
                role_name: r.name.clone(),
                session_name: session.to_owned(),
                created_ms: now,
                expires_ms: now + 3_600_000,
            }),
            invoked_by: None,
            source_arn: None,
        })
    }

    /// The call context of an IAM user signing with its access key.
    pub(crate) fn user_context(&self, account: &str, user: &str) -> Option<CallContext> {
        let u = self.accounts.get(account)?.users.get(user)?;
        Some(CallContext {
            principal_arn: u.arn.clone(),
            account: account.to_owned(),
            region: crate::DEFAULT_REGION.to_owned(),
            via_service: None,
            secure_transport: true,
            source_ip: "198.51.100.10".into(),
            user_agent: "aws-cli/2.27.0 md/kmslab".into(),
            identity_type: IdentityType::IAMUser,
            principal_id: u.id.clone(),
            access_key_id: u.access_key_id.clone(),
            user_name: Some(u.name.clone()),
            session: None,
            invoked_by: None,
            source_arn: None,
        })
    }

    /// The identity policies of the caller, named for explanations: a user's inline and attached
    /// managed policies, or the role's for a role session; none for root and services.
    pub(crate) fn identity_policies(&self, ctx: &CallContext) -> Vec<(String, &PolicyDocument)> {
        let Some(account) = self.accounts.get(&ctx.account) else {
            return Vec::new();
        };
        let (label, inline, attached) = match ctx.identity_type {
            IdentityType::IAMUser => {
                let Some(u) = ctx.user_name.as_ref().and_then(|n| account.users.get(n)) else {
                    return Vec::new();
                };
                (format!("user/{}", u.name), &u.inline, &u.attached)
            }
            IdentityType::AssumedRole => {
                let Some(r) = ctx
                    .session
                    .as_ref()
                    .and_then(|s| account.roles.get(&s.role_name))
                else {
                    return Vec::new();
                };
                (format!("role/{}", r.name), &r.inline, &r.attached)
            }
            IdentityType::Root | IdentityType::AWSService => return Vec::new(),
        };
        let mut out: Vec<(String, &PolicyDocument)> = inline
            .iter()
            .map(|(name, doc)| (format!("{label} inline policy {name}"), doc))
            .collect();
        out.extend(
            attached
                .iter()
                .filter_map(|arn| self.attached_document(arn).map(|d| (arn.clone(), d))),
        );
        out
    }

    /// The role an `arn:aws:iam::ACCT:role/PATH/NAME` ARN names.
    pub(crate) fn role_by_arn(&self, arn: &str) -> Option<(&Account, &Role)> {
        let a = crate::arn::Arn::parse(arn)?;
        if a.service != "iam" {
            return None;
        }
        let name = a.resource.strip_prefix("role/")?.rsplit('/').next()?;
        let acct = self.accounts.get(a.account)?;
        let role = acct.roles.get(name)?;
        (role.arn == arn).then_some((acct, role))
    }

    fn account_mut(&mut self, ctx: &CallContext) -> Result<&mut Account, IamError> {
        let id = ctx.account.clone();
        Ok(self.accounts.entry(id.clone()).or_insert_with(|| Account {
            id,
            alias: String::new(),
            users: BTreeMap::new(),
            roles: BTreeMap::new(),
            policies: BTreeMap::new(),
        }))
    }

    /// The typed entry point: one request, one response or an [`IamError`].
    pub fn handle(
        &mut self,
        ctx: &CallContext,
        req: IamRequest,
        now: i64,
        rng: &mut WorldRng,
    ) -> Result<IamResponse, IamError> {
        use IamRequest as Q;
        use IamResponse as R;
        Ok(match req {
            q @ (Q::CreatePolicy(_)
            | Q::GetPolicy(_)
            | Q::DeletePolicy(_)
            | Q::ListPolicies(_)
            | Q::CreatePolicyVersion(_)
            | Q::GetPolicyVersion(_)
            | Q::ListPolicyVersions(_)
            | Q::SetDefaultPolicyVersion(_)
            | Q::DeletePolicyVersion(_)) => return self.handle_policy(ctx, q, now, rng),
            Q::CreateUser(r) => {
                check_name("userName", &r.user_name, 64)?;
                let path = r.path.unwrap_or_else(|| "/".into());
                check_path(&path)?;
                let acct = ctx.account.clone();
                let a = self.account_mut(ctx)?;
                if a.users.contains_key(&r.user_name) {
                    return Err(IamError::EntityAlreadyExists(format!(
                        "User with name {} already exists.",
                        r.user_name
                    )));
                }
                let u = new_user(rng, &acct, &r.user_name, &path, now);
                let out = user_shape(&u);
                a.users.insert(u.name.clone(), u);
                R::CreateUser(UserResponse { user: out })
            }
            Q::GetUser(r) => {
                let name = match r.user_name {
                    Some(n) => n,
                    None => ctx.user_name.clone().ok_or_else(|| {
                        IamError::ValidationError(
                            "Must specify userName when calling with non-User credentials".into(),
                        )
                    })?,
                };
                let u = self.user(ctx, &name)?;
                R::GetUser(UserResponse {
                    user: user_shape(u),
                })
            }
            Q::ListUsers(r) => {
                let a = self.account_mut(ctx)?;
                let prefix = r.path_prefix.unwrap_or_else(|| "/".into());
                let all: Vec<model::User> = a
                    .users
                    .values()
                    .filter(|u| u.path.starts_with(&prefix))
                    .map(user_shape)
                    .collect();
                let p = page(all, r.marker.as_deref(), r.max_items)?;
                R::ListUsers(ListUsersResponse {
                    users: p.items,
                    is_truncated: p.is_truncated,
                    marker: p.marker,
                })
            }
            Q::DeleteUser(r) => {
                let u = self.user(ctx, &r.user_name)?;
                if !u.inline.is_empty() {
                    return Err(IamError::DeleteConflict(
                        "Cannot delete entity, must delete policies first.".into(),
                    ));
                }
                if !u.attached.is_empty() {
                    return Err(IamError::DeleteConflict(
                        "Cannot delete entity, must detach all policies first.".into(),
                    ));
                }
                self.account_mut(ctx)?.users.remove(&r.user_name);
                R::DeleteUser(Empty {})
            }
            Q::CreateRole(r) => {
                check_name("roleName", &r.role_name, 64)?;
                let path = r.path.unwrap_or_else(|| "/".into());
                check_path(&path)?;
                let trust = parse_policy(
                    &r.assume_role_policy_document,
                    PolicyKind::Trust,
                    Limits::iam_role_trust(),
                )?;
                let max = r.max_session_duration.unwrap_or(3600);
                if !(3600..=43200).contains(&max) {
                    return Err(IamError::ValidationError(format!(
                        "1 validation error detected: Value '{max}' at 'maxSessionDuration' failed to satisfy constraint: Member must have value less than or equal to 43200 and greater than or equal to 3600"
                    )));
                }
                let acct = ctx.account.clone();
                let a = self.account_mut(ctx)?;
                if a.roles.contains_key(&r.role_name) {
                    return Err(IamError::EntityAlreadyExists(format!(
                        "Role with name {} already exists.",
                        r.role_name
                    )));
                }
                let mut role = new_role(rng, &acct, &r.role_name, &path, now, trust);
                role.description = r.description;
                role.max_session_duration = max;
                let out = role_shape(&role);
                a.roles.insert(role.name.clone(), role);
                R::CreateRole(RoleResponse { role: out })
            }
            Q::GetRole(r) => R::GetRole(RoleResponse {
                role: role_shape(self.role(ctx, &r.role_name)?),
            }),
            Q::ListRoles(r) => {
                let a = self.account_mut(ctx)?;
                let prefix = r.path_prefix.unwrap_or_else(|| "/".into());
                let all: Vec<model::Role> = a
                    .roles
                    .values()
                    .filter(|x| x.path.starts_with(&prefix))
                    .map(role_shape)
                    .collect();
                let p = page(all, r.marker.as_deref(), r.max_items)?;
                R::ListRoles(ListRolesResponse {
                    roles: p.items,
                    is_truncated: p.is_truncated,
                    marker: p.marker,
                })
            }
            Q::DeleteRole(r) => {
                let role = self.role(ctx, &r.role_name)?;
                if !role.inline.is_empty() {
                    return Err(IamError::DeleteConflict(
                        "Cannot delete entity, must delete policies first.".into(),
                    ));
                }
                if !role.attached.is_empty() {
                    return Err(IamError::DeleteConflict(
                        "Cannot delete entity, must detach all policies first.".into(),
                    ));
                }
                self.account_mut(ctx)?.roles.remove(&r.role_name);
                R::DeleteRole(Empty {})
            }
            Q::PutUserPolicy(r) => {
                check_name("policyName", &r.policy_name, 128)?;
                let doc = parse_policy(
                    &r.policy_document,
                    PolicyKind::Identity,
                    Limits::iam_user_inline(),
                )?;
                self.user_mut(ctx, &r.user_name)?
                    .inline
                    .insert(r.policy_name, doc);
                R::PutUserPolicy(Empty {})
            }
            Q::PutRolePolicy(r) => {
                check_name("policyName", &r.policy_name, 128)?;
                let doc = parse_policy(
                    &r.policy_document,
                    PolicyKind::Identity,
                    Limits::iam_role_inline(),
                )?;
                self.role_mut(ctx, &r.role_name)?
                    .inline
                    .insert(r.policy_name, doc);
                R::PutRolePolicy(Empty {})
            }
            Q::GetUserPolicy(r) => {
                let u = self.user(ctx, &r.user_name)?;
                let doc = u.inline.get(&r.policy_name).ok_or_else(|| {
                    IamError::NoSuchEntity(format!(
                        "The user policy with name {} cannot be found.",
                        r.policy_name
                    ))
                })?;
                R::GetUserPolicy(GetUserPolicyResponse {
                    user_name: u.name.clone(),
                    policy_document: doc_value(doc.source()),
                    policy_name: r.policy_name,
                })
            }
            Q::GetRolePolicy(r) => {
                let role = self.role(ctx, &r.role_name)?;
                let doc = role.inline.get(&r.policy_name).ok_or_else(|| {
                    IamError::NoSuchEntity(format!(
                        "The role policy with name {} cannot be found.",
                        r.policy_name
                    ))
                })?;
                R::GetRolePolicy(GetRolePolicyResponse {
                    role_name: role.name.clone(),
                    policy_document: doc_value(doc.source()),
                    policy_name: r.policy_name,
                })
            }
            Q::ListUserPolicies(r) => {
                let names: Vec<String> = self
                    .user(ctx, &r.user_name)?
                    .inline
                    .keys()
                    .cloned()
                    .collect();
                let p = page(names, r.marker.as_deref(), r.max_items)?;
                R::ListUserPolicies(ListPolicyNamesResponse {
                    policy_names: p.items,
                    is_truncated: p.is_truncated,
                    marker: p.marker,
                })
            }
            Q::ListRolePolicies(r) => {
                let names: Vec<String> = self
                    .role(ctx, &r.role_name)?
                    .inline
                    .keys()
                    .cloned()
                    .collect();
                let p = page(names, r.marker.as_deref(), r.max_items)?;
                R::ListRolePolicies(ListPolicyNamesResponse {
                    policy_names: p.items,
                    is_truncated: p.is_truncated,
                    marker: p.marker,
                })
            }
            Q::DeleteUserPolicy(r) => {
                if self
                    .user_mut(ctx, &r.user_name)?
                    .inline
                    .remove(&r.policy_name)
                    .is_none()
                {
                    return Err(IamError::NoSuchEntity(format!(
                        "The user policy with name {} cannot be found.",
                        r.policy_name
                    )));
                }
                R::DeleteUserPolicy(Empty {})
            }
            Q::DeleteRolePolicy(r) => {
                if self
                    .role_mut(ctx, &r.role_name)?
                    .inline
                    .remove(&r.policy_name)
                    .is_none()
                {
                    return Err(IamError::NoSuchEntity(format!(
                        "The role policy with name {} cannot be found.",
                        r.policy_name
                    )));
                }
                R::DeleteRolePolicy(Empty {})
            }
            Q::AttachUserPolicy(r) => {
                self.check_attachable(ctx, &r.policy_arn)?;
                let u = self.user_mut(ctx, &r.user_name)?;
                if !u.attached.contains(&r.policy_arn) {
                    u.attached.push(r.policy_arn);
                }
                R::AttachUserPolicy(Empty {})
            }
            Q::AttachRolePolicy(r) => {
                self.check_attachable(ctx, &r.policy_arn)?;
                let role = self.role_mut(ctx, &r.role_name)?;
                if !role.attached.contains(&r.policy_arn) {
                    role.attached.push(r.policy_arn);
                }
                R::AttachRolePolicy(Empty {})
            }
            Q::DetachUserPolicy(r) => {
                let u = self.user_mut(ctx, &r.user_name)?;
                let before = u.attached.len();
                u.attached.retain(|a| a != &r.policy_arn);
                if u.attached.len() == before {
                    return Err(IamError::NoSuchEntity(format!(
                        "Policy {} was not found.",
                        r.policy_arn
                    )));
                }
                R::DetachUserPolicy(Empty {})
            }
            Q::DetachRolePolicy(r) => {
                let role = self.role_mut(ctx, &r.role_name)?;
                let before = role.attached.len();
                role.attached.retain(|a| a != &r.policy_arn);
                if role.attached.len() == before {
                    return Err(IamError::NoSuchEntity(format!(
                        "Policy {} was not found.",
                        r.policy_arn
                    )));
                }
                R::DetachRolePolicy(Empty {})
            }
            Q::ListAttachedUserPolicies(r) => {
                let list = attached_shape(&self.user(ctx, &r.user_name)?.attached);
                let p = page(list, r.marker.as_deref(), r.max_items)?;
                R::ListAttachedUserPolicies(ListAttachedPoliciesResponse {
                    attached_policies: p.items,
                    is_truncated: p.is_truncated,
                    marker: p.marker,
                })
            }
            Q::ListAttachedRolePolicies(r) => {
                let list = attached_shape(&self.role(ctx, &r.role_name)?.attached);
                let p = page(list, r.marker.as_deref(), r.max_items)?;
                R::ListAttachedRolePolicies(ListAttachedPoliciesResponse {
                    attached_policies: p.items,
                    is_truncated: p.is_truncated,
                    marker: p.marker,
                })
            }
        })
    }

    fn user(&self, ctx: &CallContext, name: &str) -> Result<&User, IamError> {
        self.accounts
            .get(&ctx.account)
            .and_then(|a| a.users.get(name))
            .ok_or_else(|| {
                IamError::NoSuchEntity(format!("The user with name {name} cannot be found."))
            })
    }

    fn user_mut(&mut self, ctx: &CallContext, name: &str) -> Result<&mut User, IamError> {
        self.accounts
            .get_mut(&ctx.account)
            .and_then(|a| a.users.get_mut(name))
            .ok_or_else(|| {
                IamError::NoSuchEntity(format!("The user with name {name} cannot be found."))
            })
    }

    fn role(&self, ctx: &CallContext, name: &str) -> Result<&Role, IamError> {
        self.accounts
            .get(&ctx.account)
            .and_then(|a| a.roles.get(name))
            .ok_or_else(|| {
                IamError::NoSuchEntity(format!("The role with name {name} cannot be found."))
            })
    }

    fn role_mut(&mut self, ctx: &CallContext, name: &str) -> Result<&mut Role, IamError> {
        self.accounts
            .get_mut(&ctx.account)
            .and_then(|a| a.roles.get_mut(name))
            .ok_or_else(|| {
                IamError::NoSuchEntity(format!("The role with name {name} cannot be found."))
            })
    }
}

/// The resource an IAM request acts on (the service authorization reference's resource types).
fn iam_resource(req: &IamRequest, ctx: &CallContext) -> String {
    use IamRequest as Q;
    let acct = &ctx.account;
    let user = |n: &str| format!("arn:aws:iam::{acct}:user/{n}");
    let role = |n: &str| format!("arn:aws:iam::{acct}:role/{n}");
    match req {
        Q::CreateUser(r) => user(&r.user_name),
        Q::GetUser(r) => match &r.user_name {
            Some(n) => user(n),
            None => ctx.principal_arn.clone(),
        },
        Q::ListUsers(_) => format!("arn:aws:iam::{acct}:user/*"),
        Q::ListRoles(_) => format!("arn:aws:iam::{acct}:role/*"),
        Q::DeleteUser(r) => user(&r.user_name),
        Q::CreateRole(r) => role(&r.role_name),
        Q::GetRole(r) | Q::DeleteRole(r) => role(&r.role_name),
        Q::PutUserPolicy(r) => user(&r.user_name),
        Q::PutRolePolicy(r) => role(&r.role_name),
        Q::GetUserPolicy(r) | Q::DeleteUserPolicy(r) => user(&r.user_name),
        Q::GetRolePolicy(r) | Q::DeleteRolePolicy(r) => role(&r.role_name),
        Q::ListUserPolicies(r) | Q::ListAttachedUserPolicies(r) => user(&r.user_name),
        Q::ListRolePolicies(r) | Q::ListAttachedRolePolicies(r) => role(&r.role_name),
        Q::AttachUserPolicy(r) | Q::DetachUserPolicy(r) => user(&r.user_name),
        Q::AttachRolePolicy(r) | Q::DetachRolePolicy(r) => role(&r.role_name),
        Q::CreatePolicy(_)
        | Q::GetPolicy(_)
        | Q::DeletePolicy(_)
        | Q::ListPolicies(_)
        | Q::CreatePolicyVersion(_)
        | Q::GetPolicyVersion(_)
        | Q::ListPolicyVersions(_)
        | Q::SetDefaultPolicyVersion(_)
        | Q::DeletePolicyVersion(_) => policies::resource(req, ctx),
    }
}

fn new_user(rng: &mut WorldRng, account: &str, name: &str, path: &str, now: i64) -> User {
    User {
        name: name.to_owned(),
        id: rng.iam_id("AIDA", 21),
        arn: format!("arn:aws:iam::{account}:user{path}{name}"),
        path: path.to_owned(),
        created_ms: now,
        access_key_id: rng.iam_id("AKIA", 20),
        inline: BTreeMap::new(),
        attached: Vec::new(),
    }
}

fn new_role(
    rng: &mut WorldRng,
    account: &str,
    name: &str,
    path: &str,
    now: i64,
    trust: PolicyDocument,
) -> Role {
    Role {
        name: name.to_owned(),
        id: rng.iam_id("AROA", 21),
        arn: format!("arn:aws:iam::{account}:role{path}{name}"),
        path: path.to_owned(),
        created_ms: now,
        assume_role_policy: trust,
        description: None,
        max_session_duration: 3600,
        inline: BTreeMap::new(),
        attached: Vec::new(),
    }
}

fn user_shape(u: &User) -> model::User {
    model::User {
        path: u.path.clone(),
        user_name: u.name.clone(),
        user_id: u.id.clone(),
        arn: u.arn.clone(),
        create_date: iso8601(u.created_ms),
    }
}

fn role_shape(r: &Role) -> model::Role {
    model::Role {
        path: r.path.clone(),
        role_name: r.name.clone(),
        role_id: r.id.clone(),
        arn: r.arn.clone(),
        create_date: iso8601(r.created_ms),
        assume_role_policy_document: doc_value(r.assume_role_policy.source()),
        max_session_duration: r.max_session_duration,
        description: r.description.clone(),
    }
}

fn attached_shape(arns: &[String]) -> Vec<AttachedPolicy> {
    arns.iter()
        .map(|a| AttachedPolicy {
            policy_name: a.rsplit('/').next().unwrap_or(a).to_owned(),
            policy_arn: a.clone(),
        })
        .collect()
}

/// Policy documents are returned parsed, as the aws-cli prints them (the text where it is not
/// JSON).
fn doc_value(doc: &str) -> Value {
    serde_json::from_str(doc).unwrap_or_else(|_| Value::String(doc.to_owned()))
}

/// One page of a list: its items, whether more follow and the next page's marker.
struct Page<T> {
    items: Vec<T>,
    is_truncated: bool,
    marker: Option<String>,
}

/// The page of `all` that `marker` (an index, as text) and `max_items` (1–1000, default 100)
/// select.
fn page<T>(all: Vec<T>, marker: Option<&str>, max_items: Option<i64>) -> Result<Page<T>, IamError> {
    let max = max_items.unwrap_or(100);
    if !(1..=1000).contains(&max) {
        return Err(IamError::ValidationError(format!(
            "1 validation error detected: Value '{max}' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 1000"
        )));
    }
    let start = match marker {
        None => 0,
        Some(m) => m
            .parse::<usize>()
            .ok()
            .filter(|s| *s <= all.len())
            .ok_or_else(|| IamError::ValidationError("Invalid Marker.".into()))?,
    };
    let max = usize::try_from(max).unwrap_or(100);
    let end = start.saturating_add(max).min(all.len());
    let is_truncated = end < all.len();
    let items: Vec<T> = all.into_iter().skip(start).take(end - start).collect();
    Ok(Page {
        items,
        is_truncated,
        marker: is_truncated.then(|| end.to_string()),
    })
}

fn check_name(member: &str, name: &str, max: usize) -> Result<(), IamError> {
    if name.is_empty() || name.len() > max {
        return Err(IamError::ValidationError(format!(
            "1 validation error detected: Value '{name}' at '{member}' failed to satisfy constraint: Member must have length less than or equal to {max}"
        )));
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c))
    {
        return Err(IamError::ValidationError(format!(
            "1 validation error detected: Value '{name}' at '{member}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+"
        )));
    }
    Ok(())
}

fn check_path(path: &str) -> Result<(), IamError> {
    if !path.starts_with('/') || !path.ends_with('/') || path.len() > 512 {
        return Err(IamError::ValidationError(format!(
            "The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters. (`{path}`)"
        )));
    }
    Ok(())
}

/// Parses a policy on write: `MalformedPolicyDocument` with the policy crate's message, or
/// `LimitExceeded` for the size quota.
fn parse_policy(doc: &str, kind: PolicyKind, limits: Limits) -> Result<PolicyDocument, IamError> {
    PolicyDocument::parse(doc, kind, limits).map_err(|e| match (&e, e.code_for(AwsService::Iam)) {
        (PolicyError::TooLarge { limit, .. }, _) => {
            IamError::LimitExceeded(format!("Cannot exceed quota for PolicySize: {limit}"))
        }
        // IAM's own first sentence, then the policy crate's precise reason.
        (PolicyError::InvalidJson { .. }, _) => {
            IamError::MalformedPolicyDocument(format!("This policy contains invalid Json ({e})"))
        }
        _ => IamError::MalformedPolicyDocument(format!("Syntax errors in policy. ({e})")),
    })
}
