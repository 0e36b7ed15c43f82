//! IAM request shapes and errors.

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

operations!(IamRequest / IamResponse, iam -> IamClient for crate::iam::Iam {
    create_user: CreateUser(CreateUserRequest) -> Value,
    get_user: GetUser(GetUserRequest) -> Value,
    list_users: ListUsers(ListRequest) -> Value,
    delete_user: DeleteUser(UserNameRequest) -> Value,
    create_role: CreateRole(CreateRoleRequest) -> Value,
    get_role: GetRole(RoleNameRequest) -> Value,
    list_roles: ListRoles(ListRequest) -> Value,
    delete_role: DeleteRole(RoleNameRequest) -> Value,
    put_user_policy: PutUserPolicy(PutUserPolicyRequest) -> Value,
    put_role_policy: PutRolePolicy(PutRolePolicyRequest) -> Value,
    get_user_policy: GetUserPolicy(UserPolicyRequest) -> Value,
    get_role_policy: GetRolePolicy(RolePolicyRequest) -> Value,
    list_user_policies: ListUserPolicies(UserListRequest) -> Value,
    list_role_policies: ListRolePolicies(RoleListRequest) -> Value,
    delete_user_policy: DeleteUserPolicy(UserPolicyRequest) -> Value,
    delete_role_policy: DeleteRolePolicy(RolePolicyRequest) -> Value,
    attach_user_policy: AttachUserPolicy(UserPolicyArnRequest) -> Value,
    attach_role_policy: AttachRolePolicy(RolePolicyArnRequest) -> Value,
    detach_user_policy: DetachUserPolicy(UserPolicyArnRequest) -> Value,
    detach_role_policy: DetachRolePolicy(RolePolicyArnRequest) -> Value,
    list_attached_user_policies: ListAttachedUserPolicies(UserListRequest) -> Value,
    list_attached_role_policies: ListAttachedRolePolicies(RoleListRequest) -> Value,
});
