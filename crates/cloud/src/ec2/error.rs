//! EC2's (EBS's) errors, named after its AWS error codes.

use std::borrow::Cow;

use crate::error::ServiceError;
use crate::kms::KmsError;

/// An EC2 error, one variant per AWS error code the lab answers (dotted codes such as
/// `InvalidVolume.NotFound` lose the dot in the variant name).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Ec2Error {
    /// 412: the request would have succeeded (`DryRun`).
    #[error("{0}")]
    DryRunOperation(String),
    /// 400: the volume is not attached (`DetachVolume`), is still `creating` (`AttachVolume`),
    /// or the snapshot is still `pending` (`CreateVolume`, `CopySnapshot`).
    #[error("{0}")]
    IncorrectState(String),
    /// 400: an operation the lab does not model.
    #[error("{0}")]
    InvalidAction(String),
    /// 400 `InvalidInstanceID.NotFound`.
    #[error("{0}")]
    InvalidInstanceIdNotFound(String),
    /// 400: e.g. sharing a snapshot that cannot be shared.
    #[error("{0}")]
    InvalidParameter(String),
    /// 400: e.g. `KmsKeyId` without `Encrypted`.
    #[error("{0}")]
    InvalidParameterDependency(String),
    /// 400: e.g. `Iops` for a gp2 volume.
    #[error("{0}")]
    InvalidParameterCombination(String),
    /// 400.
    #[error("{0}")]
    InvalidParameterValue(String),
    /// 400 `InvalidSnapshot.NotFound`.
    #[error("{0}")]
    InvalidSnapshotNotFound(String),
    /// 400 `InvalidVolume.NotFound`.
    #[error("{0}")]
    InvalidVolumeNotFound(String),
    /// 500: never expected.
    #[error("{0}")]
    InternalError(String),
    /// 400: a required member is missing.
    #[error("{0}")]
    MissingParameter(String),
    /// 403: the caller's identity policies do not allow the action.
    #[error("{0}")]
    UnauthorizedOperation(String),
    /// 400 `UnauthorizedOperation`: KMS denied a request EC2 made for the caller (reported with
    /// KMS's message).
    #[error("{0}")]
    KmsUnauthorizedOperation(String),
    /// 400: the volume is attached.
    #[error("{0}")]
    VolumeInUse(String),
    /// 400 `KMS.<Code>`: another KMS failure of a request EC2 made for the caller.
    #[error("{message}")]
    Kms {
        /// KMS's error code (`DisabledException`, …), without the `KMS.` prefix.
        code: String,
        /// KMS's message.
        message: String,
    },
    /// KMS's own error creating the `aws/ebs` key, passed through unchanged (never expected).
    #[error(transparent)]
    ManagedKey(KmsError),
    /// Client-side: the endpoint (Region) does not exist; no request was sent.
    #[error("{0}")]
    EndpointConnection(String),
}

impl Ec2Error {
    /// The AWS error code.
    pub fn code(&self) -> Cow<'static, str> {
        Cow::Borrowed(match self {
            Self::DryRunOperation(_) => "DryRunOperation",
            Self::IncorrectState(_) => "IncorrectState",
            Self::InvalidAction(_) => "InvalidAction",
            Self::InvalidInstanceIdNotFound(_) => "InvalidInstanceID.NotFound",
            Self::InvalidParameter(_) => "InvalidParameter",
            Self::InvalidParameterDependency(_) => "InvalidParameterDependency",
            Self::InvalidParameterCombination(_) => "InvalidParameterCombination",
            Self::InvalidParameterValue(_) => "InvalidParameterValue",
            Self::InvalidSnapshotNotFound(_) => "InvalidSnapshot.NotFound",
            Self::InvalidVolumeNotFound(_) => "InvalidVolume.NotFound",
            Self::InternalError(_) => "InternalError",
            Self::MissingParameter(_) => "MissingParameter",
            Self::UnauthorizedOperation(_) | Self::KmsUnauthorizedOperation(_) => {
                "UnauthorizedOperation"
            }
            Self::VolumeInUse(_) => "VolumeInUse",
            Self::Kms { code, .. } => return Cow::Owned(format!("KMS.{code}")),
            Self::ManagedKey(e) => e.code(),
            Self::EndpointConnection(_) => "EndpointConnectionError",
        })
    }

    /// The HTTP status EC2 answers with (0 for the client-side error).
    pub fn status(&self) -> u16 {
        match self {
            Self::DryRunOperation(_) => 412,
            Self::UnauthorizedOperation(_) => 403,
            Self::InternalError(_) => 500,
            Self::ManagedKey(e) => ServiceError::status(e),
            Self::EndpointConnection(_) => 0,
            _ => 400,
        }
    }

    /// The message EC2 sends.
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

    /// EC2 reports KMS failures of the calls it makes for the caller with the KMS message.
    pub(crate) fn from_kms(e: KmsError, _key: &str) -> Self {
        let message = ServiceError::message(&e);
        match e.code() {
            "AccessDeniedException" => Self::KmsUnauthorizedOperation(message),
            code => Self::Kms {
                code: code.to_owned(),
                message,
            },
        }
    }
}

service_error_with_managed_key!(Ec2Error, hint = lab_hint);

/// EC2's answer to a volume that is still being created (AttachVolume): `vol-… is not
/// 'available'.` (as EC2 words it, e.g. in boto's `EC2ResponseError` of
/// <https://github.com/jsmartin/raidformer/pull/5>).
pub(crate) fn volume_not_available(id: &str) -> Ec2Error {
    Ec2Error::IncorrectState(format!("{id} is not 'available'."))
}

/// EC2's answer to a snapshot that is still `pending` (CreateVolume, as reported in
/// <https://github.com/velero-io/velero/issues/1799>; CopySnapshot is assumed to word it the
/// same way).
pub(crate) fn snapshot_pending() -> Ec2Error {
    Ec2Error::IncorrectState("Snapshot is in invalid state - pending".into())
}

/// The lab's explanation of an EC2 error whose AWS message says less.
fn lab_hint(e: &Ec2Error) -> Option<String> {
    match e {
        Ec2Error::IncorrectState(m) if m.ends_with("is not 'available'.") => Some(
            "EBS is still creating the volume (it takes a few seconds): run `aws ec2 wait volume-available --volume-ids VOLUME_ID` first, or advance the clock (`lab clock advance 5s`).".into(),
        ),
        Ec2Error::IncorrectState(m) if m.ends_with("- pending") => Some(
            "The snapshot is still pending (a minute plus a second per GiB on the lab's clock): run `aws ec2 wait snapshot-completed --snapshot-ids SNAPSHOT_ID` first, or advance the clock (`lab clock advance 2m`).".into(),
        ),
        _ => None,
    }
}

/// The required member `name`, or `MissingParameter` as EC2 answers.
pub(crate) fn required<'a>(member: &'a Option<String>, name: &str) -> Result<&'a str, Ec2Error> {
    member.as_deref().ok_or_else(|| {
        Ec2Error::MissingParameter(format!("The request must contain the parameter {name}"))
    })
}
