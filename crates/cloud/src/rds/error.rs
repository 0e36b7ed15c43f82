//! RDS's errors, named after its AWS error codes.

use std::borrow::Cow;

use crate::error::ServiceError;
use crate::kms::KmsError;

/// An RDS error, one variant per AWS error code the lab answers.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RdsError {
    /// 403: the caller's identity policies do not allow the action.
    #[error("{0}")]
    AccessDenied(String),
    /// 400.
    #[error("{0}")]
    DBInstanceAlreadyExists(String),
    /// 400.
    #[error("{0}")]
    DBInstanceNotFound(String),
    /// 400.
    #[error("{0}")]
    DBSnapshotAlreadyExists(String),
    /// 400.
    #[error("{0}")]
    DBSnapshotNotFound(String),
    /// 500: never expected.
    #[error("{0}")]
    InternalError(String),
    /// 400: an operation the lab does not model.
    #[error("{0}")]
    InvalidAction(String),
    /// 400: e.g. `KmsKeyId` with `StorageEncrypted` false.
    #[error("{0}")]
    InvalidParameterCombination(String),
    /// 400.
    #[error("{0}")]
    InvalidParameterValue(String),
    /// 400: any KMS failure of a request RDS made for the caller (disabled key, no permission).
    #[error("{0}")]
    KMSKeyNotAccessibleFault(String),
    /// 400: a required member is missing.
    #[error("{0}")]
    MissingParameter(String),
    /// 400: a snapshot shared with more than 20 accounts.
    #[error("{0}")]
    SharedSnapshotQuotaExceeded(String),
    /// KMS's own error creating the `aws/rds` key, passed through unchanged (never expected).
    #[error(transparent)]
    ManagedKey(KmsError),
    /// Client-side: the endpoint (Region) does not exist; no request was sent.
    #[error("{0}")]
    EndpointConnection(String),
}

impl RdsError {
    /// The AWS error code.
    pub fn code(&self) -> Cow<'static, str> {
        Cow::Borrowed(match self {
            Self::AccessDenied(_) => "AccessDenied",
            Self::DBInstanceAlreadyExists(_) => "DBInstanceAlreadyExists",
            Self::DBInstanceNotFound(_) => "DBInstanceNotFound",
            Self::DBSnapshotAlreadyExists(_) => "DBSnapshotAlreadyExists",
            Self::DBSnapshotNotFound(_) => "DBSnapshotNotFound",
            Self::InternalError(_) => "InternalError",
            Self::InvalidAction(_) => "InvalidAction",
            Self::InvalidParameterCombination(_) => "InvalidParameterCombination",
            Self::InvalidParameterValue(_) => "InvalidParameterValue",
            Self::KMSKeyNotAccessibleFault(_) => "KMSKeyNotAccessibleFault",
            Self::MissingParameter(_) => "MissingParameter",
            Self::SharedSnapshotQuotaExceeded(_) => "SharedSnapshotQuotaExceeded",
            Self::ManagedKey(e) => e.code(),
            Self::EndpointConnection(_) => "EndpointConnectionError",
        })
    }

    /// The HTTP status RDS answers with (0 for the client-side error).
    pub fn status(&self) -> u16 {
        match self {
            Self::AccessDenied(_) => 403,
            Self::InternalError(_) => 500,
            Self::ManagedKey(e) => ServiceError::status(e),
            Self::EndpointConnection(_) => 0,
            _ => 400,
        }
    }

    /// The message RDS sends.
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

    /// RDS reports every KMS failure of the calls it makes for the caller as
    /// `KMSKeyNotAccessibleFault`, naming the key.
    pub(crate) fn from_kms(_: KmsError, key: &str) -> Self {
        Self::KMSKeyNotAccessibleFault(format!(
            "The specified KMS key [{key}] does not exist, is not enabled or you do not have permissions to access it."
        ))
    }
}

service_error_with_managed_key!(RdsError);

/// The required member `name`, or `MissingParameter` as RDS answers.
pub(crate) fn required<'a>(member: &'a Option<String>, name: &str) -> Result<&'a str, RdsError> {
    member.as_deref().ok_or_else(|| {
        RdsError::MissingParameter(format!("The request must contain the parameter {name}"))
    })
}
