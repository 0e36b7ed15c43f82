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
    /// 400 `InvalidDBInstanceState`: the instance is not `available` (still `creating`).
    #[error("{0}")]
    InvalidDBInstanceState(String),
    /// 400 `InvalidDBSnapshotState`: the snapshot is not `available` (still `creating`).
    #[error("{0}")]
    InvalidDBSnapshotState(String),
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
            Self::InvalidDBInstanceState(_) => "InvalidDBInstanceState",
            Self::InvalidDBSnapshotState(_) => "InvalidDBSnapshotState",
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

service_error_with_managed_key!(RdsError, hint = lab_hint);

/// RDS's answer to `CreateDBSnapshot` of an instance that is not `available`, as RDS words it
/// (e.g. <https://github.com/fog/fog-aws/pull/157>).
pub(crate) fn snapshot_of_unavailable_instance(id: &str) -> RdsError {
    RdsError::InvalidDBInstanceState(format!(
        "Cannot create a snapshot because the database instance {id} is not currently in the available state."
    ))
}

/// RDS's answer to `ModifyDBInstance` of an instance that is not `available`, as RDS words it
/// (e.g. the CloudTrail event in
/// <https://github.com/hashicorp/terraform-provider-aws/issues/31594>).
pub(crate) fn instance_not_available() -> RdsError {
    RdsError::InvalidDBInstanceState("Database instance is not in available state.".into())
}

/// `InvalidDBSnapshotState` for a snapshot that is not `available` yet. The code is the RDS
/// model's; its message could not be verified and follows RDS's instance wording.
pub(crate) fn snapshot_not_available(id: &str) -> RdsError {
    RdsError::InvalidDBSnapshotState(format!("DBSnapshot {id} is not in available state."))
}

/// The lab's explanation of an RDS error whose AWS message says less.
fn lab_hint(e: &RdsError) -> Option<String> {
    match e {
        RdsError::InvalidDBInstanceState(_) => Some(
            "RDS is still creating the DB instance (about 10 minutes on the lab's clock): run `aws rds wait db-instance-available --db-instance-identifier ID` first, or advance the clock (`lab clock advance 10m`).".into(),
        ),
        RdsError::InvalidDBSnapshotState(_) => Some(
            "RDS is still creating the snapshot (about 5 minutes on the lab's clock): run `aws rds wait db-snapshot-available --db-snapshot-identifier ID` first, or advance the clock (`lab clock advance 5m`).".into(),
        ),
        _ => None,
    }
}

/// The required member `name`, or `MissingParameter` as RDS answers.
pub(crate) fn required<'a>(member: &'a Option<String>, name: &str) -> Result<&'a str, RdsError> {
    member.as_deref().ok_or_else(|| {
        RdsError::MissingParameter(format!("The request must contain the parameter {name}"))
    })
}
