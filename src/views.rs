//! Read-only views of the world for the console pages.
//!
//! They call the same entry point as everyone else, but on a copy of the world, so looking at a
//! page leaves no CloudTrail event, cost or AWS managed key behind (the real console's own
//! ListKeys/DescribeKey calls would; the lab keeps the trail for what the learner does).

use serde::Deserialize;
use serde_json::Value;

use crate::state::LabState;

mod key_policy;

pub use key_policy::{KeyPolicyRoles, key_policy_roles};

use cloud::iam::model as iam;
use cloud::kms::model as kms;
use cloud::kms::model::KmsClient;

/// The KMS shapes the pages read: the engine's own typed responses.
pub use cloud::kms::model::{
    AliasListEntry, GetKeyRotationStatusResponse as KeyRotationStatus,
    GetPublicKeyResponse as PublicKey, GrantListEntry, KeyListEntry, KeyMetadata,
    RotationsListEntry, Tag,
};

/// A KMS key as the keys table shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct KeyRow {
    pub key_id: String,
    pub arn: String,
    pub aliases: Vec<String>,
    pub description: String,
    pub state: String,
    pub key_spec: String,
    pub key_usage: String,
    pub manager: String,
    pub origin: String,
    pub created: f64,
}

/// An IAM user or role as the IAM page lists it.
#[derive(Clone, Debug, PartialEq)]
pub struct IamPrincipal {
    /// The user or role name.
    pub name: String,
    pub arn: String,
    /// A role's trust policy (free-form: an object, or URL-encoded text).
    pub trust: Option<Value>,
}

/// An error the page shows instead of the table (for example AccessDeniedException).
#[derive(Clone, Debug, PartialEq)]
pub struct ViewError {
    pub code: String,
    pub message: String,
}

impl<E: cloud::ServiceError> From<E> for ViewError {
    fn from(e: E) -> Self {
        let e = e.to_aws();
        ViewError {
            code: e.code,
            message: e.message,
        }
    }
}

/// Every KMS key the current profile can see in its account and Region, with aliases.
pub fn kms_keys(lab: &LabState) -> Result<Vec<KeyRow>, ViewError> {
    let mut peek = Peek::new(lab);
    let region = lab.identity().region;
    let keys = peek.kms_list_keys(&region)?;
    let aliases = peek.kms_aliases(&region, None)?;
    let mut rows = Vec::new();
    for k in keys {
        let Some(key_id) = k.key_id else {
            continue;
        };
        let Ok(m) = peek.kms_describe_key(&region, &key_id) else {
            continue;
        };
        rows.push(KeyRow {
            aliases: aliases
                .iter()
                .filter(|a| a.target_key_id.as_deref() == Some(key_id.as_str()))
                .filter_map(|a| a.alias_name.clone())
                .collect(),
            key_id,
            arn: m.arn,
            description: m.description,
            state: m.key_state,
            key_spec: m.key_spec,
            key_usage: m.key_usage,
            manager: m.key_manager,
            origin: m.origin,
            created: m.creation_date,
        });
    }
    Ok(rows)
}

/// The id of the key a `CreateKey` answer (`{"KeyMetadata": {"KeyId": …}}`) describes.
pub fn created_key_id(answer: &Value) -> Option<String> {
    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Created {
        key_metadata: CreatedKey,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct CreatedKey {
        key_id: String,
    }
    Created::deserialize(answer)
        .ok()
        .map(|c| c.key_metadata.key_id)
}

/// Several read calls on one copy of the world (a page's reads copy the world once, not per
/// call). Nothing done here reaches the lab: no CloudTrail event, cost or managed key.
#[derive(Debug)]
pub struct Peek {
    session: awscli::Session,
    /// The caller of the typed client last handed out (it borrows its context).
    ctx: Option<cloud::CallContext>,
}

impl Peek {
    /// A copy of the lab's world to read from.
    pub fn new(lab: &LabState) -> Self {
        Peek {
            session: lab.snapshot(),
            ctx: None,
        }
    }

    /// One call as the current profile in `region`.
    pub fn call(
        &mut self,
        region: &str,
        service: &str,
        operation: &str,
        input: Value,
    ) -> Result<Value, ViewError> {
        let world = &mut self.session.world;
        let ctx = world.context_for_profile(None, Some(region))?;
        Ok(world.call(&ctx, service, operation, input)?)
    }

    /// The typed client of the current profile in `region`, on the copy.
    pub fn client(&mut self, region: &str) -> Result<cloud::service::Client<'_>, ViewError> {
        let world = &mut self.session.world;
        let ctx = world.context_for_profile(None, Some(region))?;
        let ctx = &*self.ctx.insert(ctx);
        Ok(world.client(ctx))
    }

    /// The typed KMS client of the current profile in `region`, on the copy.
    fn kms(&mut self, region: &str) -> Result<KmsClient<'_>, ViewError> {
        Ok(self.client(region)?.kms())
    }

    /// Every page of a paginated read: `fetch(client, token)` reads the page after `token`
    /// (the first page with `None`) and returns its items and the next token.
    pub fn all_pages<T>(
        &mut self,
        region: &str,
        mut fetch: impl FnMut(
            cloud::service::Client<'_>,
            Option<String>,
        ) -> Result<(Vec<T>, Option<String>), ViewError>,
    ) -> Result<Vec<T>, ViewError> {
        let mut out = Vec::new();
        let mut token = None;
        loop {
            let (items, next) = fetch(self.client(region)?, token)?;
            out.extend(items);
            match next {
                Some(t) => token = Some(t),
                None => return Ok(out),
            }
        }
    }

    /// KMS `ListKeys`, every page.
    pub fn kms_list_keys(&mut self, region: &str) -> Result<Vec<KeyListEntry>, ViewError> {
        let mut keys = Vec::new();
        let mut marker: Option<String> = None;
        loop {
            let page = self.kms(region)?.list_keys(kms::ListKeysRequest {
                limit: Some(1000),
                marker: marker.take(),
                ..Default::default()
            })?;
            keys.extend(page.keys.unwrap_or_default());
            match page.next_marker {
                Some(m) if page.truncated == Some(true) => marker = Some(m),
                _ => break,
            }
        }
        Ok(keys)
    }

    /// KMS `ListAliases`: the aliases of `key`, or (first 100) of every key.
    pub fn kms_aliases(
        &mut self,
        region: &str,
        key: Option<&str>,
    ) -> Result<Vec<AliasListEntry>, ViewError> {
        let req = kms::ListAliasesRequest {
            key_id: key.map(str::to_owned),
            limit: key.is_none().then_some(100),
            marker: None,
        };
        Ok(self
            .kms(region)?
            .list_aliases(req)?
            .aliases
            .unwrap_or_default())
    }

    /// KMS `DescribeKey`.
    pub fn kms_describe_key(&mut self, region: &str, key: &str) -> Result<KeyMetadata, ViewError> {
        let req = kms::DescribeKeyRequest {
            key_id: key.to_owned(),
            grant_tokens: None,
        };
        self.kms(region)?
            .describe_key(req)?
            .key_metadata
            .map(|m| *m)
            .ok_or_else(|| ViewError {
                code: "InternalFailure".into(),
                message: "DescribeKey answered no KeyMetadata".into(),
            })
    }

    /// KMS `GetKeyPolicy` (the `default` policy), parsed as a resource policy.
    pub fn kms_key_policy(
        &mut self,
        region: &str,
        key: &str,
    ) -> Result<policy::PolicyDocument, ViewError> {
        let req = kms::GetKeyPolicyRequest {
            key_id: key.to_owned(),
            policy_name: Some("default".into()),
        };
        let text = self
            .kms(region)?
            .get_key_policy(req)?
            .policy
            .unwrap_or_default();
        // KMS validated it when it was put; no size limits when re-reading it.
        policy::PolicyDocument::parse(&text, policy::PolicyKind::Resource, policy::Limits::none())
            .map_err(|e| ViewError {
                code: "MalformedPolicyDocumentException".into(),
                message: e.to_string(),
            })
    }

    /// KMS `GetKeyRotationStatus`.
    pub fn kms_rotation_status(
        &mut self,
        region: &str,
        key: &str,
    ) -> Result<KeyRotationStatus, ViewError> {
        let req = kms::KeyIdRequest {
            key_id: key.to_owned(),
        };
        Ok(self.kms(region)?.get_key_rotation_status(req)?)
    }

    /// KMS `ListKeyRotations` (first page).
    pub fn kms_key_rotations(
        &mut self,
        region: &str,
        key: &str,
    ) -> Result<Vec<RotationsListEntry>, ViewError> {
        let req = kms::ListKeyRotationsRequest {
            key_id: key.to_owned(),
            ..Default::default()
        };
        Ok(self
            .kms(region)?
            .list_key_rotations(req)?
            .rotations
            .unwrap_or_default())
    }

    /// KMS `ListResourceTags` (first page).
    pub fn kms_tags(&mut self, region: &str, key: &str) -> Result<Vec<Tag>, ViewError> {
        let req = kms::KeyListRequest {
            key_id: key.to_owned(),
            ..Default::default()
        };
        Ok(self
            .kms(region)?
            .list_resource_tags(req)?
            .tags
            .unwrap_or_default())
    }

    /// KMS `ListGrants` (first page).
    pub fn kms_grants(
        &mut self,
        region: &str,
        key: &str,
    ) -> Result<Vec<GrantListEntry>, ViewError> {
        let req = kms::ListGrantsRequest {
            key_id: key.to_owned(),
            ..Default::default()
        };
        Ok(self
            .kms(region)?
            .list_grants(req)?
            .grants
            .unwrap_or_default())
    }

    /// KMS `GetPublicKey`.
    pub fn kms_public_key(&mut self, region: &str, key: &str) -> Result<PublicKey, ViewError> {
        let req = kms::GetPublicKeyRequest {
            key_id: key.to_owned(),
            grant_tokens: None,
        };
        Ok(self.kms(region)?.get_public_key(req)?)
    }

    /// IAM users and roles (every page of `ListUsers` and `ListRoles`), as one list of
    /// principals: name, ARN, and a role's trust policy.
    pub fn iam_principals(
        &mut self,
        region: &str,
        role: bool,
    ) -> Result<Vec<IamPrincipal>, ViewError> {
        let mut out = Vec::new();
        let mut marker = None;
        loop {
            let req = iam::ListRequest {
                path_prefix: None,
                marker: marker.take(),
                max_items: None,
            };
            let mut client = self.client(region)?.iam();
            let (page, truncated, next) = if role {
                let r = client.list_roles(req)?;
                let page: Vec<IamPrincipal> = r
                    .roles
                    .into_iter()
                    .map(|r| IamPrincipal {
                        name: r.role_name,
                        arn: r.arn,
                        trust: Some(r.assume_role_policy_document),
                    })
                    .collect();
                (page, r.is_truncated, r.marker)
            } else {
                let r = client.list_users(req)?;
                let page: Vec<IamPrincipal> = r
                    .users
                    .into_iter()
                    .map(|u| IamPrincipal {
                        name: u.user_name,
                        arn: u.arn,
                        trust: None,
                    })
                    .collect();
                (page, r.is_truncated, r.marker)
            };
            out.extend(page);
            match next {
                Some(m) if truncated => marker = Some(m),
                _ => break,
            }
        }
        Ok(out)
    }

    /// IAM `ListUserPolicies` / `ListRolePolicies` (first page): the inline policy names.
    pub fn iam_inline_policy_names(
        &mut self,
        region: &str,
        role: bool,
        name: &str,
    ) -> Result<Vec<String>, ViewError> {
        let mut client = self.client(region)?.iam();
        Ok(if role {
            client
                .list_role_policies(iam::RoleListRequest {
                    role_name: name.to_owned(),
                    marker: None,
                    max_items: None,
                    path_prefix: None,
                })?
                .policy_names
        } else {
            client
                .list_user_policies(iam::UserListRequest {
                    user_name: name.to_owned(),
                    marker: None,
                    max_items: None,
                    path_prefix: None,
                })?
                .policy_names
        })
    }

    /// IAM `GetUserPolicy` / `GetRolePolicy`: the document, free-form (an object or a
    /// URL-encoded string, shown as text).
    pub fn iam_inline_policy(
        &mut self,
        region: &str,
        role: bool,
        name: &str,
        policy_name: &str,
    ) -> Result<Value, ViewError> {
        let mut client = self.client(region)?.iam();
        Ok(if role {
            client
                .get_role_policy(iam::RolePolicyRequest {
                    role_name: name.to_owned(),
                    policy_name: policy_name.to_owned(),
                })?
                .policy_document
        } else {
            client
                .get_user_policy(iam::UserPolicyRequest {
                    user_name: name.to_owned(),
                    policy_name: policy_name.to_owned(),
                })?
                .policy_document
        })
    }

    /// IAM `ListAttachedUserPolicies` / `ListAttachedRolePolicies` (first page).
    pub fn iam_attached_policies(
        &mut self,
        region: &str,
        role: bool,
        name: &str,
    ) -> Result<Vec<iam::AttachedPolicy>, ViewError> {
        let mut client = self.client(region)?.iam();
        Ok(if role {
            client
                .list_attached_role_policies(iam::RoleListRequest {
                    role_name: name.to_owned(),
                    marker: None,
                    max_items: None,
                    path_prefix: None,
                })?
                .attached_policies
        } else {
            client
                .list_attached_user_policies(iam::UserListRequest {
                    user_name: name.to_owned(),
                    marker: None,
                    max_items: None,
                    path_prefix: None,
                })?
                .attached_policies
        })
    }
}
