//! IAM request shapes and errors.

use serde::Deserialize;
use serde_json::Value;

use crate::error::AwsError;

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
        }
    }

    fn status(&self) -> u16 {
        match self {
            Self::NoSuchEntity(_) => 404,
            Self::EntityAlreadyExists(_) | Self::DeleteConflict(_) | Self::LimitExceeded(_) => 409,
            _ => 400,
        }
    }

    pub(crate) fn to_aws(&self) -> AwsError {
        AwsError::with_status(self.code(), self.to_string(), self.status())
    }
}

macro_rules! iam_request {
    ($name:ident { $($field:ident : $ty:ty),* $(,)? }) => {
        /// An IAM request shape.
        #[derive(Debug, Deserialize)]
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

operations!(IamRequest / IamResponse {
    CreateUser(CreateUserRequest) -> Value,
    GetUser(GetUserRequest) -> Value,
    ListUsers(ListRequest) -> Value,
    DeleteUser(UserNameRequest) -> Value,
    CreateRole(CreateRoleRequest) -> Value,
    GetRole(RoleNameRequest) -> Value,
    ListRoles(ListRequest) -> Value,
    DeleteRole(RoleNameRequest) -> Value,
    PutUserPolicy(PutUserPolicyRequest) -> Value,
    PutRolePolicy(PutRolePolicyRequest) -> Value,
    GetUserPolicy(UserPolicyRequest) -> Value,
    GetRolePolicy(RolePolicyRequest) -> Value,
    ListUserPolicies(UserListRequest) -> Value,
    ListRolePolicies(RoleListRequest) -> Value,
    DeleteUserPolicy(UserPolicyRequest) -> Value,
    DeleteRolePolicy(RolePolicyRequest) -> Value,
    AttachUserPolicy(UserPolicyArnRequest) -> Value,
    AttachRolePolicy(RolePolicyArnRequest) -> Value,
    DetachUserPolicy(UserPolicyArnRequest) -> Value,
    DetachRolePolicy(RolePolicyArnRequest) -> Value,
    ListAttachedUserPolicies(UserListRequest) -> Value,
    ListAttachedRolePolicies(RoleListRequest) -> Value,
});
