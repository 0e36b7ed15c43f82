//! The error every public entry point returns.

use serde::{Deserialize, Serialize};

/// An AWS error as the wire shows it: the error code (`__type`), its message and the HTTP status.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{code}: {message}")]
pub struct AwsError {
    /// The AWS error code, e.g. `NotFoundException`.
    pub code: String,
    /// The human-readable message.
    pub message: String,
    /// The HTTP status AWS answers with.
    pub status: u16,
}

impl AwsError {
    /// Builds an error with status 400.
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Self {
            code: code.to_owned(),
            message: message.into(),
            status: 400,
        }
    }

    /// Builds an error with an explicit status.
    pub fn with_status(code: &str, message: impl Into<String>, status: u16) -> Self {
        Self {
            code: code.to_owned(),
            message: message.into(),
            status,
        }
    }
}
