//! Parameter Store's errors, named after its AWS error codes (the error shapes of the
//! `ssm-2014-11-06` model, plus the common `AccessDeniedException`, `ValidationException` and
//! `ThrottlingException`).

use std::borrow::Cow;

use crate::error::ServiceError;
use crate::kms::KmsError;

/// Declares [`SsmError`]: one variant per code, each carrying its message.
macro_rules! ssm_errors {
    ($($(#[$m:meta])* $variant:ident),* $(,)?) => {
        /// A Parameter Store error, one variant per AWS error code the lab answers.
        #[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
        pub enum SsmError {
            $($(#[$m])* #[error("{0}")] $variant(String),)*
            /// KMS's own error creating the `aws/ssm` key, passed through unchanged (never expected).
            #[error(transparent)]
            ManagedKey(KmsError),
            /// Client-side: the endpoint (Region) does not exist; no request was sent.
            #[error("{0}")]
            EndpointConnection(String),
        }

        impl SsmError {
            /// The AWS error code.
            pub fn code(&self) -> Cow<'static, str> {
                match self {
                    $(Self::$variant(_) => Cow::Borrowed(stringify!($variant)),)*
                    Self::ManagedKey(e) => Cow::Borrowed(e.code()),
                    Self::EndpointConnection(_) => Cow::Borrowed("EndpointConnectionError"),
                }
            }
        }
    };
}

ssm_errors! {
    /// The caller's identity policies do not allow the action, or KMS denied the call SSM made
    /// for it (KMS's message, as SSM passes it on).
    AccessDeniedException,
    /// A hierarchy deeper than 15 levels.
    HierarchyLevelLimitExceededException,
    /// An overwrite that changes the parameter's type.
    HierarchyTypeMismatchException,
    /// Never expected.
    InternalServerError,
    /// A filter key the operation does not take.
    InvalidFilterKey,
    /// A filter option the key does not take.
    InvalidFilterOption,
    /// A filter value that is not valid.
    InvalidFilterValue,
    /// The KMS key cannot be used (does not exist, disabled, pending deletion, …): KMS's error
    /// as SSM passes it on.
    InvalidKeyId,
    /// A `NextToken` the lab did not issue.
    InvalidNextToken,
    /// A tagging request naming a parameter that does not exist.
    InvalidResourceId,
    /// A tagging request for a resource type the lab does not model.
    InvalidResourceType,
    /// A parameter exists and `Overwrite` was not set.
    ParameterAlreadyExists,
    /// The oldest of 100 versions carries a label and cannot be dropped.
    ParameterMaxVersionLimitExceeded,
    /// The parameter does not exist.
    ParameterNotFound,
    /// A version would carry more than 10 labels.
    ParameterVersionLabelLimitExceeded,
    /// The version or label does not exist.
    ParameterVersionNotFound,
    /// KMS throttled the call SSM made for the caller.
    ThrottlingException,
    /// More than 50 tags.
    TooManyTagsError,
    /// An operation the lab does not model.
    UnknownOperationException,
    /// The request breaks a constraint (size per tier, name rules, enum values, …).
    ValidationException,
}

impl SsmError {
    /// The HTTP status SSM answers with (0 for the client-side error).
    pub fn status(&self) -> u16 {
        match self {
            Self::InternalServerError(_) => 500,
            Self::ManagedKey(e) => ServiceError::status(e),
            Self::EndpointConnection(_) => 0,
            _ => 400,
        }
    }

    /// The message SSM sends.
    pub fn message(&self) -> String {
        match self {
            Self::ManagedKey(e) => ServiceError::message(e),
            other => other.to_string(),
        }
    }

    /// The wire form.
    pub fn to_aws(&self) -> crate::AwsError {
        ServiceError::to_aws(self)
    }

    /// How SSM reports a failure of the KMS call it made for the caller: KMS's
    /// `AccessDeniedException` stays `AccessDeniedException`, any other KMS error (a key that
    /// does not exist, is disabled or pending deletion, …) is `InvalidKeyId`; both carry KMS's
    /// message followed by the SDK's `(Service: AWSKMS; Status Code: …; Error Code: …)`, as
    /// SSM answers (e.g. `InvalidKeyId` "Key '…' does not exist (Service: AWSKMS; Status Code:
    /// 400; Error Code: NotFoundException; …)").
    pub(crate) fn from_kms(e: KmsError, _key: &str) -> Self {
        let code = e.code();
        let message = format!(
            "{} (Service: AWSKMS; Status Code: {}; Error Code: {code})",
            ServiceError::message(&e),
            ServiceError::status(&e)
        );
        match code {
            "AccessDeniedException" => Self::AccessDeniedException(message),
            "ThrottlingException" => Self::ThrottlingException(message),
            _ => Self::InvalidKeyId(message),
        }
    }
}

service_error_with_managed_key!(SsmError);

/// `1 validation error detected: Value null at 'member' …`: a required member is missing.
pub(crate) fn missing(member: &str) -> SsmError {
    SsmError::ValidationException(format!(
        "1 validation error detected: Value null at '{member}' failed to satisfy constraint: Member must not be null"
    ))
}

/// The required member, or the validation error AWS answers without it.
pub(crate) fn required<'a, T>(value: &'a Option<T>, member: &str) -> Result<&'a T, SsmError> {
    value.as_ref().ok_or_else(|| missing(member))
}

/// A value outside its enum.
pub(crate) fn not_in_enum(value: &str, member: &str, allowed: &[&str]) -> SsmError {
    SsmError::ValidationException(format!(
        "1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
        allowed.join(", ")
    ))
}
