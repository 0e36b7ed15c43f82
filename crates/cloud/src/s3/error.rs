//! S3's errors, named after its AWS error codes, with the HTTP status S3 answers.

use std::borrow::Cow;

use crate::error::ServiceError;
use crate::kms::KmsError;

/// An S3 error, one variant per AWS error code the lab answers.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum S3Error {
    /// 403: denied by policy, a wrong SSE-C key, SSE-C blocked, or KMS denied the caller.
    #[error("{0}")]
    AccessDenied(String),
    /// 409: the name is another account's bucket.
    #[error("{0}")]
    BucketAlreadyExists(String),
    /// 409: the caller already owns the bucket.
    #[error("{0}")]
    BucketAlreadyOwnedByYou(String),
    /// 409: `DeleteBucket` of a bucket with objects.
    #[error("{0}")]
    BucketNotEmpty(String),
    /// 400: the location constraint does not match the endpoint's Region.
    #[error("{0}")]
    IllegalLocationConstraintException(String),
    /// 500: never expected.
    #[error("{0}")]
    InternalError(String),
    /// 400: an invalid header or member value.
    #[error("{0}")]
    InvalidArgument(String),
    /// 400: the bucket name breaks the naming rules.
    #[error("{0}")]
    InvalidBucketName(String),
    /// 400: a missing member or an illegal request.
    #[error("{0}")]
    InvalidRequest(String),
    /// 400: the bucket policy does not parse or does not fit the bucket.
    #[error("{0}")]
    MalformedPolicy(String),
    /// 400: the encryption configuration does not validate.
    #[error("{0}")]
    MalformedXML(String),
    /// 404.
    #[error("{0}")]
    NoSuchBucket(String),
    /// 404: `GetBucketPolicy` of a bucket without one.
    #[error("{0}")]
    NoSuchBucketPolicy(String),
    /// 404: the object does not exist (for callers who may list the bucket).
    #[error("{0}")]
    NoSuchKey(String),
    /// 404: the version does not exist.
    #[error("{0}")]
    NoSuchVersion(String),
    /// 416: the `Range` starts after the object's end.
    #[error("{0}")]
    InvalidRange(String),
    /// 405: `GetObject` of a key whose current version is a delete marker, by version id.
    #[error("{0}")]
    MethodNotAllowed(String),
    /// 501: an operation the lab's S3 does not model.
    #[error("{0}")]
    NotImplemented(String),
    /// 503: KMS throttled the request S3 made for the caller.
    #[error("{0}")]
    SlowDown(String),
    /// 400 `KMS.<Code>`: another KMS failure of a request S3 made for the caller.
    #[error("{message}")]
    Kms {
        /// KMS's error code (`DisabledException`, …), without the `KMS.` prefix.
        code: String,
        /// KMS's message.
        message: String,
    },
    /// A `HeadObject` failure: no body, so the aws-cli shows only the status (`400`, `403`,
    /// `404`), which is the code.
    #[error("{message}")]
    HeadStatus {
        /// The HTTP status.
        status: u16,
        /// Its reason phrase.
        message: String,
    },
    /// KMS's own error creating the `aws/s3` key, passed through unchanged (never expected).
    #[error(transparent)]
    ManagedKey(KmsError),
    /// Client-side: the endpoint (Region) does not exist; no request was sent.
    #[error("{0}")]
    EndpointConnection(String),
}

impl S3Error {
    /// The AWS error code.
    pub fn code(&self) -> Cow<'static, str> {
        Cow::Borrowed(match self {
            Self::AccessDenied(_) => "AccessDenied",
            Self::BucketAlreadyExists(_) => "BucketAlreadyExists",
            Self::BucketAlreadyOwnedByYou(_) => "BucketAlreadyOwnedByYou",
            Self::BucketNotEmpty(_) => "BucketNotEmpty",
            Self::IllegalLocationConstraintException(_) => "IllegalLocationConstraintException",
            Self::InternalError(_) => "InternalError",
            Self::InvalidArgument(_) => "InvalidArgument",
            Self::InvalidBucketName(_) => "InvalidBucketName",
            Self::InvalidRequest(_) => "InvalidRequest",
            Self::MalformedPolicy(_) => "MalformedPolicy",
            Self::MalformedXML(_) => "MalformedXML",
            Self::NoSuchBucket(_) => "NoSuchBucket",
            Self::NoSuchBucketPolicy(_) => "NoSuchBucketPolicy",
            Self::NoSuchKey(_) => "NoSuchKey",
            Self::NoSuchVersion(_) => "NoSuchVersion",
            Self::InvalidRange(_) => "InvalidRange",
            Self::MethodNotAllowed(_) => "MethodNotAllowed",
            Self::NotImplemented(_) => "NotImplemented",
            Self::SlowDown(_) => "SlowDown",
            Self::Kms { code, .. } => return Cow::Owned(format!("KMS.{code}")),
            Self::HeadStatus { status, .. } => return Cow::Owned(status.to_string()),
            Self::ManagedKey(e) => e.code(),
            Self::EndpointConnection(_) => "EndpointConnectionError",
        })
    }

    /// The HTTP status S3 answers with (0 for the client-side error).
    pub fn status(&self) -> u16 {
        match self {
            Self::AccessDenied(_) => 403,
            Self::BucketAlreadyExists(_)
            | Self::BucketAlreadyOwnedByYou(_)
            | Self::BucketNotEmpty(_) => 409,
            Self::InternalError(_) => 500,
            Self::NoSuchBucket(_)
            | Self::NoSuchBucketPolicy(_)
            | Self::NoSuchKey(_)
            | Self::NoSuchVersion(_) => 404,
            Self::MethodNotAllowed(_) => 405,
            Self::InvalidRange(_) => 416,
            Self::NotImplemented(_) => 501,
            Self::SlowDown(_) => 503,
            Self::HeadStatus { status, .. } => *status,
            Self::ManagedKey(e) => ServiceError::status(e),
            Self::EndpointConnection(_) => 0,
            Self::IllegalLocationConstraintException(_)
            | Self::InvalidArgument(_)
            | Self::InvalidBucketName(_)
            | Self::InvalidRequest(_)
            | Self::MalformedPolicy(_)
            | Self::MalformedXML(_)
            | Self::Kms { .. } => 400,
        }
    }

    /// The message S3 sends.
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

    /// `NoSuchBucket`, with S3's message.
    pub(crate) fn no_such_bucket() -> Self {
        Self::NoSuchBucket("The specified bucket does not exist".into())
    }

    /// `MalformedXML`, with S3's message.
    pub(crate) fn malformed_xml() -> Self {
        Self::MalformedXML(
            "The XML you provided was not well-formed or did not validate against our published schema"
                .into(),
        )
    }

    /// `InvalidRequest` for a missing required member.
    pub(crate) fn missing(member: &str) -> Self {
        Self::InvalidRequest(format!("Missing required request parameter: {member}"))
    }

    /// S3's answer for a failed KMS request made on the caller's behalf: access denials become
    /// `AccessDenied` (403) with KMS's message, throttling `SlowDown`; other KMS errors keep their
    /// code behind `KMS.`.
    pub(crate) fn from_kms(e: KmsError, _key: &str) -> Self {
        let message = ServiceError::message(&e);
        match e.code() {
            "AccessDeniedException" => Self::AccessDenied(message),
            "ThrottlingException" => Self::SlowDown(message),
            code => Self::Kms {
                code: code.to_owned(),
                message,
            },
        }
    }
}

service_error_with_managed_key!(S3Error);

/// The required member `name`, or `InvalidRequest` as S3 answers.
pub(crate) fn required<'a>(member: &'a Option<String>, name: &str) -> Result<&'a str, S3Error> {
    member.as_deref().ok_or_else(|| S3Error::missing(name))
}
