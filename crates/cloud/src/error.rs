//! The error every public entry point returns.

use serde::{Deserialize, Serialize};

/// Where an error comes from: the client side (the aws-cli's own checks: an unknown profile or
/// Region, a bad configuration; no request reached AWS) or an AWS service's answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorOrigin {
    /// Raised before any request was sent (botocore's client-side errors); no HTTP status.
    Client,
    /// An AWS service answered with this error and an HTTP status.
    Service,
}

/// An AWS error as the wire shows it: the error code (`__type`), its message and the HTTP status.
///
/// Its serde form is `{code, message, status}` (status 0 for a client-side error), as before
/// [`ErrorOrigin`] existed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(from = "WireError", into = "WireError")]
#[error("{code}: {message}")]
pub struct AwsError {
    /// The AWS error code, e.g. `NotFoundException`.
    pub code: String,
    /// The human-readable message.
    pub message: String,
    /// The HTTP status AWS answers with; 0 for a client-side error (kept for readers of the
    /// field: prefer [`AwsError::origin`] and [`AwsError::http_status`]).
    pub status: u16,
    /// Whether the error is client-side or a service's answer.
    pub origin: ErrorOrigin,
    /// The lab's explanation of the failure, kept out of AWS's message (which it sends as AWS
    /// does, even when AWS's is empty): shown by the Why? card, `lab explain` and `--debug`,
    /// never on the aws-cli error line or in CloudTrail. Not part of the wire or saved form.
    pub hint: Option<String>,
}

/// The serialised form (unchanged since before `origin`).
#[derive(Serialize, Deserialize)]
struct WireError {
    code: String,
    message: String,
    status: u16,
}

impl From<WireError> for AwsError {
    fn from(w: WireError) -> Self {
        let origin = if w.status == 0 {
            ErrorOrigin::Client
        } else {
            ErrorOrigin::Service
        };
        Self {
            code: w.code,
            message: w.message,
            status: w.status,
            origin,
            hint: None,
        }
    }
}

impl From<AwsError> for WireError {
    fn from(e: AwsError) -> Self {
        Self {
            code: e.code,
            message: e.message,
            status: e.status,
        }
    }
}

impl AwsError {
    /// A service error with status 400.
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Self::with_status(code, message, 400)
    }

    /// A service error with an explicit HTTP status (0 means a client-side error, as before
    /// [`AwsError::client`] existed).
    pub fn with_status(code: &str, message: impl Into<String>, status: u16) -> Self {
        Self::from(WireError {
            code: code.to_owned(),
            message: message.into(),
            status,
        })
    }

    /// A client-side error: raised before any request was sent (no HTTP status).
    pub fn client(code: &str, message: impl Into<String>) -> Self {
        Self {
            code: code.to_owned(),
            message: message.into(),
            status: 0,
            origin: ErrorOrigin::Client,
            hint: None,
        }
    }

    /// The same error with the lab's explanation attached.
    #[must_use]
    pub fn with_hint(mut self, hint: Option<String>) -> Self {
        self.hint = hint;
        self
    }

    /// Whether the error is client-side or a service's answer.
    pub fn origin(&self) -> ErrorOrigin {
        self.origin
    }

    /// Whether the error was raised on the client side (no request reached a service).
    pub fn is_client_side(&self) -> bool {
        self.origin == ErrorOrigin::Client
    }

    /// The HTTP status of a service error; `None` for a client-side error.
    pub fn http_status(&self) -> Option<u16> {
        (self.origin == ErrorOrigin::Service).then_some(self.status)
    }
}

/// A service's typed error: named after its AWS codes, with the HTTP status and message AWS
/// sends, converted to an [`AwsError`] at `World::call`'s seam.
pub trait ServiceError: std::error::Error {
    /// The AWS error code (`__type` / `Code`).
    fn code(&self) -> std::borrow::Cow<'static, str>;
    /// The HTTP status AWS answers with.
    fn status(&self) -> u16;
    /// The message AWS sends.
    fn message(&self) -> String {
        self.to_string()
    }
    /// Client-side (no request reached the service) or the service's answer.
    fn origin(&self) -> ErrorOrigin {
        ErrorOrigin::Service
    }
    /// The wire form.
    fn to_aws(&self) -> AwsError {
        let e = match self.origin() {
            ErrorOrigin::Client => AwsError::client(&self.code(), self.message()),
            ErrorOrigin::Service => {
                AwsError::with_status(&self.code(), self.message(), self.status())
            }
        };
        e.with_hint(self.hint())
    }

    /// The lab's explanation, where it is kept apart from AWS's message (see
    /// [`AwsError::hint`]).
    fn hint(&self) -> Option<String> {
        None
    }
}

impl ServiceError for AwsError {
    fn code(&self) -> std::borrow::Cow<'static, str> {
        self.code.clone().into()
    }
    fn status(&self) -> u16 {
        self.status
    }
    fn message(&self) -> String {
        self.message.clone()
    }
    fn origin(&self) -> ErrorOrigin {
        self.origin
    }
    fn to_aws(&self) -> AwsError {
        self.clone()
    }
    fn hint(&self) -> Option<String> {
        self.hint.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_round_trips_through_the_unchanged_wire_form() {
        let e = AwsError::client("ProfileNotFound", "m");
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"code": "ProfileNotFound", "message": "m", "status": 0})
        );
        let back: AwsError = serde_json::from_value(v).unwrap();
        assert_eq!(back, e);
        assert!(back.is_client_side());
        assert_eq!(AwsError::new("X", "m").http_status(), Some(400));
    }
}
