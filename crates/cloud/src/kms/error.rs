//! KMS errors: one variant per AWS error code the lab can return.

use crate::error::{AwsError, ErrorOrigin, ServiceError};

/// A KMS error. Each variant is named after the AWS error code ([`KmsError::code`]) and carries
/// the message AWS would send.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum KmsError {
    /// The key, alias or grant does not exist (or the identifier cannot name one).
    #[error("{0}")]
    NotFound(String),
    /// The ARN is malformed or names the wrong resource type.
    #[error("{0}")]
    InvalidArn(String),
    /// The key is disabled.
    #[error("{0}")]
    Disabled(String),
    /// The key's state does not allow the operation (pending deletion, pending import, ...).
    #[error("{0}")]
    KmsInvalidState(String),
    /// The ciphertext, its encryption context or its authentication tag does not verify.
    #[error("{0}")]
    InvalidCiphertext(String),
    /// The key named in the request is not the key that encrypted the ciphertext.
    #[error("{0}")]
    IncorrectKey(String),
    /// The key's usage or spec does not allow the operation or algorithm.
    #[error("{0}")]
    InvalidKeyUsage(String),
    /// An alias with that name already exists.
    #[error("{0}")]
    AlreadyExists(String),
    /// The alias name is malformed.
    #[error("{0}")]
    InvalidAliasName(String),
    /// The alias uses the reserved `alias/aws/` prefix.
    #[error("{0}")]
    NotAuthorized(String),
    /// The caller is not authorized.
    #[error("{0}")]
    AccessDenied(String),
    /// The key policy is not valid JSON or not a policy.
    #[error("{0}")]
    MalformedPolicyDocument(String),
    /// A quota would be exceeded.
    #[error("{0}")]
    LimitExceeded(String),
    /// A tag is invalid.
    #[error("{0}")]
    Tag(String),
    /// A parameter fails the API's constraints.
    #[error("{0}")]
    Validation(String),
    /// The operation or option is not supported (or not modelled by the lab yet).
    #[error("{0}")]
    UnsupportedOperation(String),
    /// The pagination marker is invalid.
    #[error("{0}")]
    InvalidMarker(String),
    /// The grant id is malformed or names no grant of the key.
    #[error("{0}")]
    InvalidGrantId(String),
    /// The grant token is malformed or names no grant.
    #[error("{0}")]
    InvalidGrantToken(String),
    /// `DryRun` was set and the request would have succeeded.
    #[error("{0}")]
    DryRunOperation(String),
    /// The signature does not verify.
    #[error("{0}")]
    KmsInvalidSignature(String),
    /// The MAC does not verify.
    #[error("{0}")]
    KmsInvalidMac(String),
    /// Imported key material does not match the key's previous material.
    #[error("{0}")]
    IncorrectKeyMaterial(String),
    /// The import token has expired.
    #[error("{0}")]
    ExpiredImportToken(String),
    /// The import token is not the key's current one.
    #[error("{0}")]
    InvalidImportToken(String),
    /// A request-rate quota was exceeded.
    #[error("{0}")]
    Throttling(String),
    /// An internal failure (never expected).
    #[error("{0}")]
    KmsInternal(String),
    /// Client-side: the endpoint (Region) does not exist; no request was sent.
    #[error("{0}")]
    EndpointConnection(String),
}

impl KmsError {
    /// The AWS error code (`__type`).
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotFound(_) => "NotFoundException",
            Self::InvalidArn(_) => "InvalidArnException",
            Self::Disabled(_) => "DisabledException",
            Self::KmsInvalidState(_) => "KMSInvalidStateException",
            Self::InvalidCiphertext(_) => "InvalidCiphertextException",
            Self::IncorrectKey(_) => "IncorrectKeyException",
            Self::InvalidKeyUsage(_) => "InvalidKeyUsageException",
            Self::AlreadyExists(_) => "AlreadyExistsException",
            Self::InvalidAliasName(_) => "InvalidAliasNameException",
            Self::NotAuthorized(_) => "NotAuthorizedException",
            Self::AccessDenied(_) => "AccessDeniedException",
            Self::MalformedPolicyDocument(_) => "MalformedPolicyDocumentException",
            Self::LimitExceeded(_) => "LimitExceededException",
            Self::Tag(_) => "TagException",
            Self::Validation(_) => "ValidationException",
            Self::UnsupportedOperation(_) => "UnsupportedOperationException",
            Self::InvalidMarker(_) => "InvalidMarkerException",
            Self::InvalidGrantId(_) => "InvalidGrantIdException",
            Self::InvalidGrantToken(_) => "InvalidGrantTokenException",
            Self::DryRunOperation(_) => "DryRunOperationException",
            Self::KmsInvalidSignature(_) => "KMSInvalidSignatureException",
            Self::KmsInvalidMac(_) => "KMSInvalidMacException",
            Self::IncorrectKeyMaterial(_) => "IncorrectKeyMaterialException",
            Self::ExpiredImportToken(_) => "ExpiredImportTokenException",
            Self::InvalidImportToken(_) => "InvalidImportTokenException",
            Self::Throttling(_) => "ThrottlingException",
            Self::KmsInternal(_) => "KMSInternalException",
            Self::EndpointConnection(_) => "EndpointConnectionError",
        }
    }

    /// The HTTP status AWS answers with.
    pub fn status(&self) -> u16 {
        match self {
            Self::KmsInternal(_) => 500,
            Self::EndpointConnection(_) => 0,
            Self::DryRunOperation(_) => 412,
            _ => 400,
        }
    }

    /// The wire form.
    pub fn to_aws(&self) -> AwsError {
        crate::error::ServiceError::to_aws(self)
    }

    /// The code S3 and EC2 report a failed KMS request under: `KMS.<Code>`.
    pub fn dotted_code(&self) -> String {
        format!("KMS.{}", self.code())
    }

    /// The `DryRun` success error.
    pub(crate) fn dry_run() -> Self {
        Self::DryRunOperation(
            "The request would have succeeded, but the DryRun option is set.".into(),
        )
    }

    /// `1 validation error detected: Value 'V' at 'member' failed to satisfy constraint: ...`
    pub(crate) fn constraint(value: Option<&str>, member: &str, constraint: &str) -> Self {
        let v = value.map_or_else(|| "Value".to_owned(), |v| format!("Value '{v}'"));
        Self::Validation(format!(
            "1 validation error detected: {v} at '{member}' failed to satisfy constraint: {constraint}"
        ))
    }

    /// `value` within `min..=max`, or the model's range `ValidationException` for `member`.
    pub(crate) fn check_range(value: i64, member: &str, min: i64, max: i64) -> Result<(), Self> {
        let bound = if value < min {
            format!("Member must have value greater than or equal to {min}")
        } else if value > max {
            format!("Member must have value less than or equal to {max}")
        } else {
            return Ok(());
        };
        Err(Self::constraint(Some(&value.to_string()), member, &bound))
    }
}

impl KmsError {
    /// Whether AWS sends this error without a message: the lab's text is then only a hint.
    fn aws_message_is_empty(&self) -> bool {
        matches!(
            self,
            Self::InvalidCiphertext(_) | Self::KmsInvalidSignature(_) | Self::KmsInvalidMac(_)
        )
    }
}

impl ServiceError for KmsError {
    fn code(&self) -> std::borrow::Cow<'static, str> {
        KmsError::code(self).into()
    }
    fn status(&self) -> u16 {
        KmsError::status(self)
    }
    /// AWS's message: empty for InvalidCiphertextException, KMSInvalidSignatureException and
    /// KMSInvalidMacException (KMS does not say what did not match).
    fn message(&self) -> String {
        if self.aws_message_is_empty() {
            String::new()
        } else {
            self.to_string()
        }
    }
    /// The lab's explanation of an error AWS sends without a message.
    fn hint(&self) -> Option<String> {
        self.aws_message_is_empty().then(|| self.to_string())
    }
    fn origin(&self) -> ErrorOrigin {
        if matches!(self, Self::EndpointConnection(_)) {
            ErrorOrigin::Client
        } else {
            ErrorOrigin::Service
        }
    }
}
