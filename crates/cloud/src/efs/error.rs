//! EFS's errors, named after its AWS error codes (the error shapes of the
//! `elasticfilesystem-2015-02-01` model).

use crate::kms::KmsError;

service_error! {
    /// An EFS error, one variant per AWS error code the lab answers.
    EfsError {
        /// The caller's identity policies do not allow the action.
        AccessDeniedException = "AccessDeniedException" / 403,
        /// A malformed request, or a KMS key EFS cannot use.
        BadRequest = "BadRequest" / 400,
        /// A file system with this creation token exists.
        FileSystemAlreadyExists = "FileSystemAlreadyExists" / 409,
        /// The file system still has mount targets (never, in the lab).
        FileSystemInUse = "FileSystemInUse" / 409,
        /// The file system does not exist.
        FileSystemNotFound = "FileSystemNotFound" / 404,
        /// Never expected.
        InternalServerError = "InternalServerError" / 500,
        /// An operation the lab does not model.
        UnknownOperationException = "UnknownOperationException" / 400,
        /// A member breaks a constraint of the model.
        ValidationException = "ValidationException" / 400,
    }
}

impl EfsError {
    /// How EFS reports a KMS request it made for the caller that failed: `BadRequest` with
    /// KMS's message and code (`… [error=NotFoundException]`, as in
    /// <https://github.com/aws/aws-cdk/issues/7641>).
    pub(crate) fn from_kms(e: KmsError, _key: &str) -> Self {
        Self::BadRequest(format!(
            "{} [error={}]",
            crate::ServiceError::message(&e),
            e.code()
        ))
    }
}

/// `FileSystemNotFound` for `id`.
pub(crate) fn not_found(id: &str) -> EfsError {
    EfsError::FileSystemNotFound(format!("File system '{id}' does not exist."))
}
