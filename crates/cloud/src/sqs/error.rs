//! Amazon SQS's errors. The variants are the error shapes of the `sqs-2012-11-05` model; SQS is
//! `awsQueryCompatible`, so the code a caller sees (the aws-cli prints it) is each shape's
//! query-protocol code (`AWS.SimpleQueueService.NonExistentQueue` for `QueueDoesNotExist`,
//! `KMS.AccessDeniedException` for `KmsAccessDenied`, …), which is what `code()` answers.

use crate::kms::KmsError;

service_error!(
    /// An SQS error, one variant per AWS error code the lab answers.
    SqsError {
        /// The queue does not exist (or the caller may not know it exists).
        QueueDoesNotExist = "AWS.SimpleQueueService.NonExistentQueue" / 400,
        /// A queue of that name exists with other attributes.
        QueueNameExists = "QueueAlreadyExists" / 400,
        /// A queue of that name was deleted less than 60 seconds ago.
        QueueDeletedRecently = "AWS.SimpleQueueService.QueueDeletedRecently" / 400,
        /// The queue was purged less than 60 seconds ago.
        PurgeQueueInProgress = "AWS.SimpleQueueService.PurgeQueueInProgress" / 403,
        /// An attribute name SQS does not know.
        InvalidAttributeName = "InvalidAttributeName" / 400,
        /// An attribute value out of range or malformed.
        InvalidAttributeValue = "InvalidAttributeValue" / 400,
        /// A request member out of range.
        InvalidParameterValue = "InvalidParameterValue" / 400,
        /// A required member is missing.
        MissingParameter = "MissingParameter" / 400,
        /// The receipt handle is not one SQS issued.
        ReceiptHandleIsInvalid = "ReceiptHandleIsInvalid" / 400,
        /// The caller may not call the action on the queue.
        AccessDenied = "AccessDenied" / 403,
        /// KMS refused SQS's request for the caller (`kms:GenerateDataKey`, `kms:Decrypt`).
        KmsAccessDenied = "KMS.AccessDeniedException" / 400,
        /// The queue's KMS key is disabled.
        KmsDisabled = "KMS.DisabledException" / 400,
        /// The queue's KMS key is in a state that does not allow it (pending deletion, …).
        KmsInvalidState = "KMS.InvalidStateException" / 400,
        /// The queue's KMS key does not exist.
        KmsNotFound = "KMS.NotFoundException" / 400,
        /// The queue's KMS key is not a symmetric encryption key.
        KmsInvalidKeyUsage = "KMS.InvalidKeyUsageException" / 400,
        /// KMS throttled SQS's request.
        KmsThrottled = "KMS.ThrottlingException" / 400,
        /// An operation the lab does not model.
        UnsupportedOperation = "AWS.SimpleQueueService.UnsupportedOperation" / 400,
        /// Never expected.
        InternalError = "InternalError" / 500,
    }
);

/// The required member, or `MissingParameter` as SQS answers without it.
pub(crate) fn required<'a, T>(value: &'a Option<T>, member: &str) -> Result<&'a T, SqsError> {
    value.as_ref().ok_or_else(|| {
        SqsError::MissingParameter(format!(
            "The request must contain the parameter {member}."
        ))
    })
}

/// `AWS.SimpleQueueService.NonExistentQueue`.
pub(crate) fn no_queue() -> SqsError {
    SqsError::QueueDoesNotExist("The specified queue does not exist.".into())
}

/// How SQS reports a KMS failure while it encrypts or decrypts for a caller: KMS's error under
/// SQS's `KMS.*` code, with KMS's message and the KMS error it came from.
pub(crate) fn from_kms(e: KmsError, _key: &str) -> SqsError {
    let code = e.code();
    let message = format!(
        "{} (Service: AWSKMS; Status Code: 400; Error Code: {code})",
        crate::ServiceError::message(&e)
    );
    match code {
        "AccessDeniedException" => SqsError::KmsAccessDenied(message),
        "DisabledException" => SqsError::KmsDisabled(message),
        "KMSInvalidStateException" => SqsError::KmsInvalidState(message),
        "NotFoundException" | "InvalidArnException" => SqsError::KmsNotFound(message),
        "InvalidKeyUsageException" | "UnsupportedOperationException" => {
            SqsError::KmsInvalidKeyUsage(message)
        }
        "ThrottlingException" => SqsError::KmsThrottled(message),
        _ => SqsError::InternalError(message),
    }
}
