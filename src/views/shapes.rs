//! The AWS response shapes the console pages read, deserialized once per answer.
//!
//! The KMS pages read the engine's typed responses (`cloud::kms::model`) through the typed
//! client; these are the IAM, S3 and EC2 answers the pages still read from JSON. Members follow
//! the AWS API references (PascalCase). Every member a page can live without is optional or
//! defaulted, so a missing member shows as "-" rather than failing the page.

use serde::Deserialize;
use serde_json::Value;

/// IAM `User` or `Role` (`ListUsers`, `ListRoles`).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct IamPrincipal {
    pub user_name: Option<String>,
    pub role_name: Option<String>,
    pub arn: String,
    /// Roles only; IAM answers an object (decoded) or a URL-encoded string: free-form text.
    pub assume_role_policy_document: Value,
}

/// IAM `AttachedPolicy`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct AttachedPolicy {
    pub policy_name: Option<String>,
    pub policy_arn: String,
}

/// One member of a response, deserialized as `T` (`{"Keys": [...]}` → `Vec<KeyListEntry>`);
/// an absent or null member is `T::default()`.
pub(super) fn member<T: for<'de> Deserialize<'de> + Default>(
    answer: Value,
    name: &str,
) -> Result<T, serde_json::Error> {
    match answer {
        Value::Object(mut map) => match map.remove(name) {
            None | Some(Value::Null) => Ok(T::default()),
            Some(v) => T::deserialize(v),
        },
        _ => Ok(T::default()),
    }
}
