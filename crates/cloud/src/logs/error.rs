//! CloudWatch Logs' errors, named after its AWS error codes (the error shapes of the
//! `logs-2014-03-28` model, plus `AccessDeniedException`, which Logs answers both for a caller
//! its identity policies do not allow and for a KMS key it may not use).

use crate::kms::KmsError;

service_error!(
    /// A CloudWatch Logs error, one variant per AWS error code the lab answers.
    LogsError {
        /// A member breaks its constraint, or a KMS key that does not exist or is disabled.
        InvalidParameter = "InvalidParameterException" / 400,
        /// The log group or log stream already exists.
        ResourceAlreadyExists = "ResourceAlreadyExistsException" / 400,
        /// The log group or log stream does not exist.
        ResourceNotFound = "ResourceNotFoundException" / 400,
        /// The caller may not call the action, or Logs may not use the log group's KMS key.
        AccessDenied = "AccessDeniedException" / 400,
        /// An operation the lab does not model.
        UnknownOperation = "UnknownOperationException" / 400,
        /// Never expected.
        ServiceUnavailable = "ServiceUnavailableException" / 500,
    }
);

/// `1 validation error detected: Value null at 'member' …`: a required member is missing.
pub(crate) fn missing(member: &str) -> LogsError {
    LogsError::InvalidParameter(format!(
        "1 validation error detected: Value null at '{member}' failed to satisfy constraint: Member must not be null"
    ))
}

/// The required member, or the error Logs answers without it.
pub(crate) fn required<'a, T>(value: &'a Option<T>, member: &str) -> Result<&'a T, LogsError> {
    value.as_ref().ok_or_else(|| missing(member))
}

/// How Logs reports that it could not use a log group's key: AWS's
/// `AccessDeniedException` "The specified KMS key does not exist or is not allowed to be used
/// with Arn '…'" (the log group's ARN), whatever KMS said (a key policy without Logs' service
/// principal, a condition on the encryption context that does not match, a disabled key or one
/// pending deletion).
pub(crate) fn key_not_usable(group_arn: &str) -> LogsError {
    LogsError::AccessDenied(format!(
        "The specified KMS key does not exist or is not allowed to be used with Arn '{group_arn}'"
    ))
}

/// How `CreateLogGroup` and `AssociateKmsKey` report a KMS failure: access denied as
/// [`key_not_usable`]; a key that does not exist, is disabled or cannot encrypt as
/// `InvalidParameterException`, as the `AssociateKmsKey` reference says.
pub(crate) fn association_error(e: &KmsError, group_name: &str, group_arn: &str) -> LogsError {
    match e.code() {
        "AccessDeniedException" => key_not_usable(group_arn),
        "NotFoundException" | "InvalidArnException" => LogsError::InvalidParameter(format!(
            "The specified KMS Key Id could not be found. '{group_name}'"
        )),
        "DisabledException" | "KMSInvalidStateException" => LogsError::InvalidParameter(format!(
            "The specified KMS key is disabled or pending deletion and cannot be used with Arn '{group_arn}'"
        )),
        "InvalidKeyUsageException" | "UnsupportedOperationException" => {
            LogsError::InvalidParameter(
                "CloudWatch Logs supports only symmetric encryption KMS keys".into(),
            )
        }
        _ => LogsError::ServiceUnavailable(crate::ServiceError::message(e)),
    }
}
