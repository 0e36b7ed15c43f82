//! DynamoDB's errors, named after its AWS error codes (the error shapes of the
//! `dynamodb-2012-08-10` model, plus the common `AccessDeniedException` and
//! `ValidationException`).

use crate::kms::KmsError;

service_error! {
    /// A DynamoDB error, one variant per AWS error code the lab answers.
    DynamoDbError {
        /// The caller's identity policies do not allow the action, or KMS refused a request
        /// DynamoDB made with the table's key ("KMS key access denied error: …").
        AccessDeniedException = "AccessDeniedException" / 400,
        /// The backup does not exist.
        BackupNotFoundException = "BackupNotFoundException" / 400,
        /// Never expected.
        InternalServerError = "InternalServerError" / 500,
        /// The table exists already, or is in a state that does not allow the operation.
        ResourceInUseException = "ResourceInUseException" / 400,
        /// The table does not exist (or is being deleted).
        ResourceNotFoundException = "ResourceNotFoundException" / 400,
        /// `RestoreTableFromBackup` to a table name in use.
        TableAlreadyExistsException = "TableAlreadyExistsException" / 400,
        /// The table is being created, updated, archived or is archived.
        TableInUseException = "TableInUseException" / 400,
        /// `CreateBackup` of a table that does not exist.
        TableNotFoundException = "TableNotFoundException" / 400,
        /// An operation the lab does not model.
        UnknownOperationException = "UnknownOperationException" / 400,
        /// The request breaks a constraint of the model or of the table's schema.
        ValidationException = "ValidationException" / 400,
    }
}

impl DynamoDbError {
    /// How DynamoDB reports a KMS request that failed: `AccessDeniedException` "KMS key access
    /// denied error: com.amazonaws.services.kms.model.<KMS exception>: <KMS message> (Service:
    /// AWSKMS; Status Code: 400; Error Code: <KMS code>)", the form DynamoDB answers
    /// (e.g. <https://github.com/aws/aws-cdk/issues/10010>).
    pub(crate) fn from_kms(e: KmsError, _key: &str) -> Self {
        let code = e.code();
        let class = match code {
            "AccessDeniedException" => "AWSKMSException".to_owned(),
            c => c.to_owned(),
        };
        Self::AccessDeniedException(format!(
            "KMS key access denied error: com.amazonaws.services.kms.model.{class}: {} (Service: AWSKMS; Status Code: {}; Error Code: {code})",
            crate::ServiceError::message(&e),
            crate::ServiceError::status(&e)
        ))
    }
}

/// `1 validation error detected: Value null at 'member' …`: a required member is missing.
pub(crate) fn missing(member: &str) -> DynamoDbError {
    DynamoDbError::ValidationException(format!(
        "1 validation error detected: Value null at '{member}' failed to satisfy constraint: Member must not be null"
    ))
}

/// The required member, or the validation error AWS answers without it.
pub(crate) fn required<'a, T>(value: &'a Option<T>, member: &str) -> Result<&'a T, DynamoDbError> {
    value.as_ref().ok_or_else(|| missing(member))
}

/// `ValidationException` "One or more parameter values were invalid: …".
pub(crate) fn invalid(detail: &str) -> DynamoDbError {
    DynamoDbError::ValidationException(format!(
        "One or more parameter values were invalid: {detail}"
    ))
}

/// `ResourceNotFoundException` for a data call on a table that does not exist.
pub(crate) fn no_resource() -> DynamoDbError {
    DynamoDbError::ResourceNotFoundException("Requested resource not found".into())
}

/// `ResourceNotFoundException` for a table operation on a table that does not exist.
pub(crate) fn no_table(name: &str) -> DynamoDbError {
    DynamoDbError::ResourceNotFoundException(format!(
        "Requested resource not found: Table: {name} not found"
    ))
}
