//! Secrets Manager's errors, named after its AWS error codes (the error shapes of the
//! `secretsmanager-2017-10-17` model, plus the common `AccessDeniedException`,
//! `ValidationException` and `ThrottlingException`).

use crate::kms::KmsError;

service_error! {
    /// A Secrets Manager error, one variant per AWS error code the lab answers.
    SecretsManagerError {
        /// The caller's policies (or the secret's resource policy) do not allow the action, or
        /// KMS denied the call Secrets Manager made for the caller ("Access to KMS is not allowed").
        AccessDeniedException = "AccessDeniedException" / 400,
        /// KMS could not decrypt a version's data key (the key is disabled, pending deletion, …).
        DecryptionFailure = "DecryptionFailure" / 400,
        /// KMS could not make a data key (the key does not exist, is disabled, …).
        EncryptionFailure = "EncryptionFailure" / 400,
        /// Never expected.
        InternalServiceError = "InternalServiceError" / 500,
        /// A `NextToken` the lab did not issue.
        InvalidNextTokenException = "InvalidNextTokenException" / 400,
        /// A parameter's name or value is invalid.
        InvalidParameterException = "InvalidParameterException" / 400,
        /// The request is not valid for the secret's state (scheduled for deletion, no rotation
        /// function, …).
        InvalidRequestException = "InvalidRequestException" / 400,
        /// A quota would be exceeded.
        LimitExceededException = "LimitExceededException" / 400,
        /// The resource policy has syntax errors.
        MalformedPolicyDocumentException = "MalformedPolicyDocumentException" / 400,
        /// `BlockPublicPolicy` and a policy that grants broad access.
        PublicPolicyException = "PublicPolicyException" / 400,
        /// The secret (or the version) already exists.
        ResourceExistsException = "ResourceExistsException" / 400,
        /// The secret, the version or the staging label does not exist.
        ResourceNotFoundException = "ResourceNotFoundException" / 400,
        /// KMS throttled the call Secrets Manager made for the caller.
        ThrottlingException = "ThrottlingException" / 400,
        /// An operation the lab does not model.
        UnknownOperationException = "UnknownOperationException" / 400,
        /// A member breaks a constraint of the model (length, range, …).
        ValidationException = "ValidationException" / 400,
    }
}

/// The message of `AccessDeniedException` when KMS refuses the call Secrets Manager makes for
/// the caller.
pub const KMS_ACCESS_DENIED: &str = "Access to KMS is not allowed";

impl SecretsManagerError {
    /// How Secrets Manager reports a failed `GenerateDataKey` (a new version): KMS's
    /// `AccessDeniedException` is "Access to KMS is not allowed", anything else (a key that
    /// does not exist, is disabled or pending deletion) is `EncryptionFailure`.
    pub(crate) fn from_kms_encrypt(e: KmsError, _key: &str) -> Self {
        match e.code() {
            "AccessDeniedException" => Self::AccessDeniedException(KMS_ACCESS_DENIED.into()),
            "ThrottlingException" => Self::ThrottlingException(e.to_string()),
            _ => Self::EncryptionFailure(format!(
                "Secrets Manager can't encrypt the protected secret text using the provided KMS key. Check that the KMS key is available, enabled, and not in an invalid state. ({}: {})",
                e.code(),
                crate::ServiceError::message(&e)
            )),
        }
    }

    /// How Secrets Manager reports a failed `Decrypt` of a version's data key: KMS's
    /// `AccessDeniedException` is "Access to KMS is not allowed", anything else is
    /// `DecryptionFailure`.
    pub(crate) fn from_kms_decrypt(e: KmsError, _key: &str) -> Self {
        match e.code() {
            "AccessDeniedException" => Self::AccessDeniedException(KMS_ACCESS_DENIED.into()),
            "ThrottlingException" => Self::ThrottlingException(e.to_string()),
            _ => Self::DecryptionFailure(format!(
                "Secrets Manager can't decrypt the protected secret text using the provided KMS key. ({}: {})",
                e.code(),
                crate::ServiceError::message(&e)
            )),
        }
    }
}

/// `1 validation error detected: Value null at 'member' …`: a required member is missing.
pub(crate) fn missing(member: &str) -> SecretsManagerError {
    SecretsManagerError::ValidationException(format!(
        "1 validation error detected: Value null at '{member}' failed to satisfy constraint: Member must not be null"
    ))
}

/// The required member, or the validation error AWS answers without it.
pub(crate) fn required<'a, T>(
    value: &'a Option<T>,
    member: &str,
) -> Result<&'a T, SecretsManagerError> {
    value.as_ref().ok_or_else(|| missing(member))
}

/// A member longer than the model allows (the value is not echoed: it may be secret).
pub(crate) fn too_long(member: &str, max: usize) -> SecretsManagerError {
    SecretsManagerError::ValidationException(format!(
        "1 validation error detected: Value at '{member}' failed to satisfy constraint: Member must have length less than or equal to {max}"
    ))
}

/// `ResourceNotFoundException` for a secret that does not exist (or the caller cannot see).
pub(crate) fn no_secret() -> SecretsManagerError {
    SecretsManagerError::ResourceNotFoundException(
        "Secrets Manager can't find the specified secret.".into(),
    )
}

/// `InvalidRequestException` for a secret in its recovery window.
pub(crate) fn marked_for_deletion() -> SecretsManagerError {
    SecretsManagerError::InvalidRequestException(
        "You can't perform this operation on the secret because it was marked for deletion."
            .into(),
    )
}
