//! IAM request and response shapes and errors. IAM speaks the AWS query protocol; the
//! response shapes are the members the lab answers, in the order of the botocore model
//! (iam-2010-05-08) except where noted, as the aws-cli prints them (dates as ISO 8601 text).
//! Members the lab always answers are plain values; members it may leave out are `Option`s,
//! skipped when `None`. Members the lab never answers (`Tags`, `PermissionsBoundary`,
//! `RoleLastUsed`, `PasswordLastUsed`) are left out.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{AwsError, ErrorOrigin, ServiceError};

/// IAM errors, named after the AWS error codes.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IamError {
    /// The named user, role or policy does not exist.
    #[error("{0}")]
    NoSuchEntity(String),
    /// An entity with that name already exists.
    #[error("{0}")]
    EntityAlreadyExists(String),
    /// A user or role still has policies.
    #[error("{0}")]
    DeleteConflict(String),
    /// The policy document is not valid JSON or lacks `Statement`.
    #[error("{0}")]
    MalformedPolicyDocument(String),
    /// A parameter fails the API's constraints.
    #[error("{0}")]
    ValidationError(String),
    /// A parameter is not valid (e.g. a malformed ARN).
    #[error("{0}")]
    InvalidInput(String),
    /// A quota would be exceeded.
    #[error("{0}")]
    LimitExceeded(String),
    /// The caller's identity policies do not allow the action.
    #[error("{0}")]
    AccessDenied(String),
    /// An internal failure (never expected).
    #[error("{0}")]
    ServiceFailure(String),
    /// Client-side: the endpoint (Region) does not exist; no request was sent.
    #[error("{0}")]
    EndpointConnection(String),
}

impl IamError {
    /// The AWS error code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NoSuchEntity(_) => "NoSuchEntity",
            Self::EntityAlreadyExists(_) => "EntityAlreadyExists",
            Self::DeleteConflict(_) => "DeleteConflict",
            Self::MalformedPolicyDocument(_) => "MalformedPolicyDocument",
            Self::ValidationError(_) => "ValidationError",
            Self::InvalidInput(_) => "InvalidInput",
            Self::LimitExceeded(_) => "LimitExceeded",
            Self::AccessDenied(_) => "AccessDenied",
            Self::ServiceFailure(_) => "ServiceFailure",
            Self::EndpointConnection(_) => "EndpointConnectionError",
        }
    }

    /// The HTTP status AWS answers with (0 for the client-side error).
    pub fn status(&self) -> u16 {
        match self {
            Self::EndpointConnection(_) => 0,
            Self::AccessDenied(_) => 403,
            Self::ServiceFailure(_) => 500,
            Self::NoSuchEntity(_) => 404,
            Self::EntityAlreadyExists(_) | Self::DeleteConflict(_) | Self::LimitExceeded(_) => 409,
            _ => 400,
        }
    }

    /// The wire form.
    pub fn to_aws(&self) -> AwsError {
        ServiceError::to_aws(self)
    }
}

impl ServiceError for IamError {
    fn code(&self) -> std::borrow::Cow<'static, str> {
        IamError::code(self).into()
    }
    fn status(&self) -> u16 {
        IamError::status(self)
    }
    fn origin(&self) -> ErrorOrigin {
        if matches!(self, Self::EndpointConnection(_)) {
            ErrorOrigin::Client
        } else {
            ErrorOrigin::Service
        }
    }
}

macro_rules! iam_request {
    ($name:ident { $($field:ident : $ty:ty),* $(,)? }) => {
        /// An IAM request shape.
        #[derive(Clone, Debug, Serialize, Deserialize)]
        #[serde(rename_all = "PascalCase", deny_unknown_fields)]
        pub struct $name { $(#[allow(missing_docs, reason = "AWS member")] pub $field: $ty,)* }
    };
}

iam_request!(CreateUserRequest { user_name: String, path: Option<String>, permissions_boundary: Option<String>, tags: Option<Value> });
iam_request!(GetUserRequest { user_name: Option<String> });
iam_request!(ListRequest { path_prefix: Option<String>, marker: Option<String>, max_items: Option<i64> });
iam_request!(UserNameRequest { user_name: String });
iam_request!(RoleNameRequest { role_name: String });
iam_request!(CreateRoleRequest { role_name: String, assume_role_policy_document: String, path: Option<String>, description: Option<String>, max_session_duration: Option<i64>, permissions_boundary: Option<String>, tags: Option<Value> });
iam_request!(PutUserPolicyRequest {
    user_name: String,
    policy_name: String,
    policy_document: String
});
iam_request!(PutRolePolicyRequest {
    role_name: String,
    policy_name: String,
    policy_document: String
});
iam_request!(UserPolicyRequest {
    user_name: String,
    policy_name: String
});
iam_request!(RolePolicyRequest {
    role_name: String,
    policy_name: String
});
iam_request!(UserListRequest { user_name: String, marker: Option<String>, max_items: Option<i64>, path_prefix: Option<String> });
iam_request!(RoleListRequest { role_name: String, marker: Option<String>, max_items: Option<i64>, path_prefix: Option<String> });
iam_request!(UserPolicyArnRequest {
    user_name: String,
    policy_arn: String
});
iam_request!(RolePolicyArnRequest {
    role_name: String,
    policy_arn: String
});
iam_request!(CreatePolicyRequest { policy_name: String, path: Option<String>, policy_document: String, description: Option<String>, tags: Option<Value> });
iam_request!(PolicyArnRequest { policy_arn: String });
iam_request!(PolicyVersionRequest {
    policy_arn: String,
    version_id: String
});
iam_request!(CreatePolicyVersionRequest { policy_arn: String, policy_document: String, set_as_default: Option<bool> });
iam_request!(ListPolicyVersionsRequest { policy_arn: String, marker: Option<String>, max_items: Option<i64> });
iam_request!(ListPoliciesRequest { scope: Option<String>, only_attached: Option<bool>, path_prefix: Option<String>, policy_usage_filter: Option<String>, marker: Option<String>, max_items: Option<i64> });

/// An IAM user (`User`).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct User {
    /// The path (`/` by default).
    pub path: String,
    /// The name.
    pub user_name: String,
    /// `AIDA…`.
    pub user_id: String,
    /// The ARN.
    pub arn: String,
    /// ISO 8601.
    pub create_date: String,
}

/// An IAM role (`Role`).
///
/// `Description` follows `MaxSessionDuration` (botocore lists it before): the lab has always
/// answered it last, and the printed JSON keeps that order.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Role {
    /// The path (`/` by default).
    pub path: String,
    /// The name.
    pub role_name: String,
    /// `AROA…`.
    pub role_id: String,
    /// The ARN.
    pub arn: String,
    /// ISO 8601.
    pub create_date: String,
    /// The trust policy as the aws-cli prints it: the document's JSON (AWS answers it as
    /// URL-encoded text, which the aws-cli decodes), or its text where it is not JSON.
    pub assume_role_policy_document: Value,
    /// Seconds (3600–43200).
    pub max_session_duration: i64,
    /// The description, when set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// An attached managed policy (`AttachedPolicy`).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AttachedPolicy {
    /// The policy's name (the ARN's last part).
    pub policy_name: String,
    /// The policy's ARN.
    pub policy_arn: String,
}

/// A managed policy (`Policy`).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Policy {
    /// The name.
    pub policy_name: String,
    /// `ANPA…`.
    pub policy_id: String,
    /// The ARN.
    pub arn: String,
    /// The path (`/` by default).
    pub path: String,
    /// The default version (`v1`, …).
    pub default_version_id: String,
    /// How many users and roles have it attached.
    pub attachment_count: i64,
    /// How many use it as a permissions boundary (always 0: the lab has no boundaries).
    pub permissions_boundary_usage_count: i64,
    /// Whether it can be attached.
    pub is_attachable: bool,
    /// The description (answered by `GetPolicy` only, as IAM does).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// ISO 8601.
    pub create_date: String,
    /// ISO 8601: when a version was last created or made the default.
    pub update_date: String,
}

/// A managed policy's version (`PolicyVersion`).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PolicyVersion {
    /// The document, as the aws-cli prints it (`GetPolicyVersion` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document: Option<Value>,
    /// `v1`, `v2`, …
    pub version_id: String,
    /// Whether it is the version IAM authorizes with.
    pub is_default_version: bool,
    /// ISO 8601.
    pub create_date: String,
}

/// `CreatePolicy` and `GetPolicy`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PolicyResponse {
    /// The policy.
    pub policy: Policy,
}

/// `CreatePolicyVersion` and `GetPolicyVersion`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PolicyVersionResponse {
    /// The version.
    pub policy_version: PolicyVersion,
}

/// `ListPolicies`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListPoliciesResponse {
    /// This page's policies.
    pub policies: Vec<Policy>,
    /// Whether more pages follow.
    pub is_truncated: bool,
    /// The next page's marker, when truncated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub marker: Option<String>,
}

/// `ListPolicyVersions` (newest first).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListPolicyVersionsResponse {
    /// This page's versions.
    pub versions: Vec<PolicyVersion>,
    /// Whether more pages follow.
    pub is_truncated: bool,
    /// The next page's marker, when truncated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub marker: Option<String>,
}

/// `CreateUser` and `GetUser`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserResponse {
    /// The user.
    pub user: User,
}

/// `CreateRole` and `GetRole`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RoleResponse {
    /// The role.
    pub role: Role,
}

/// `ListUsers`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListUsersResponse {
    /// This page's users.
    pub users: Vec<User>,
    /// Whether more pages follow.
    pub is_truncated: bool,
    /// The next page's marker, when truncated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub marker: Option<String>,
}

/// `ListRoles`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListRolesResponse {
    /// This page's roles.
    pub roles: Vec<Role>,
    /// Whether more pages follow.
    pub is_truncated: bool,
    /// The next page's marker, when truncated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub marker: Option<String>,
}

/// `ListUserPolicies` and `ListRolePolicies`: inline policy names.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListPolicyNamesResponse {
    /// This page's policy names.
    pub policy_names: Vec<String>,
    /// Whether more pages follow.
    pub is_truncated: bool,
    /// The next page's marker, when truncated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub marker: Option<String>,
}

/// `ListAttachedUserPolicies` and `ListAttachedRolePolicies`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListAttachedPoliciesResponse {
    /// This page's attached policies.
    pub attached_policies: Vec<AttachedPolicy>,
    /// Whether more pages follow.
    pub is_truncated: bool,
    /// The next page's marker, when truncated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub marker: Option<String>,
}

/// `GetUserPolicy`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetUserPolicyResponse {
    /// The user.
    pub user_name: String,
    /// The inline policy's name.
    pub policy_name: String,
    /// The document as the aws-cli prints it (see [`Role::assume_role_policy_document`]).
    pub policy_document: Value,
}

/// `GetRolePolicy`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetRolePolicyResponse {
    /// The role.
    pub role_name: String,
    /// The inline policy's name.
    pub policy_name: String,
    /// The document as the aws-cli prints it (see [`Role::assume_role_policy_document`]).
    pub policy_document: Value,
}

/// The answer of operations without output (`DeleteUser`, `PutRolePolicy`, `AttachUserPolicy`,
/// …): `{}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Empty {}

operations!(IamRequest / IamResponse, iam -> IamClient for crate::iam::Iam {
    create_user: CreateUser(CreateUserRequest) -> UserResponse,
    get_user: GetUser(GetUserRequest) -> UserResponse,
    list_users: ListUsers(ListRequest) -> ListUsersResponse,
    delete_user: DeleteUser(UserNameRequest) -> Empty,
    create_role: CreateRole(CreateRoleRequest) -> RoleResponse,
    get_role: GetRole(RoleNameRequest) -> RoleResponse,
    list_roles: ListRoles(ListRequest) -> ListRolesResponse,
    delete_role: DeleteRole(RoleNameRequest) -> Empty,
    put_user_policy: PutUserPolicy(PutUserPolicyRequest) -> Empty,
    put_role_policy: PutRolePolicy(PutRolePolicyRequest) -> Empty,
    get_user_policy: GetUserPolicy(UserPolicyRequest) -> GetUserPolicyResponse,
    get_role_policy: GetRolePolicy(RolePolicyRequest) -> GetRolePolicyResponse,
    list_user_policies: ListUserPolicies(UserListRequest) -> ListPolicyNamesResponse,
    list_role_policies: ListRolePolicies(RoleListRequest) -> ListPolicyNamesResponse,
    delete_user_policy: DeleteUserPolicy(UserPolicyRequest) -> Empty,
    delete_role_policy: DeleteRolePolicy(RolePolicyRequest) -> Empty,
    attach_user_policy: AttachUserPolicy(UserPolicyArnRequest) -> Empty,
    attach_role_policy: AttachRolePolicy(RolePolicyArnRequest) -> Empty,
    detach_user_policy: DetachUserPolicy(UserPolicyArnRequest) -> Empty,
    detach_role_policy: DetachRolePolicy(RolePolicyArnRequest) -> Empty,
    list_attached_user_policies: ListAttachedUserPolicies(UserListRequest) -> ListAttachedPoliciesResponse,
    list_attached_role_policies: ListAttachedRolePolicies(RoleListRequest) -> ListAttachedPoliciesResponse,
    create_policy: CreatePolicy(CreatePolicyRequest) -> PolicyResponse,
    get_policy: GetPolicy(PolicyArnRequest) -> PolicyResponse,
    delete_policy: DeletePolicy(PolicyArnRequest) -> Empty,
    list_policies: ListPolicies(ListPoliciesRequest) -> ListPoliciesResponse,
    create_policy_version: CreatePolicyVersion(CreatePolicyVersionRequest) -> PolicyVersionResponse,
    get_policy_version: GetPolicyVersion(PolicyVersionRequest) -> PolicyVersionResponse,
    list_policy_versions: ListPolicyVersions(ListPolicyVersionsRequest) -> ListPolicyVersionsResponse,
    set_default_policy_version: SetDefaultPolicyVersion(PolicyVersionRequest) -> Empty,
    delete_policy_version: DeletePolicyVersion(PolicyVersionRequest) -> Empty,
});
