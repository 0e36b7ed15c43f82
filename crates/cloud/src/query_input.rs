//! Input helpers shared by the query-protocol services (EC2, RDS): AWS-style 400 errors and
//! required string members.

use serde_json::Value;

use crate::AwsError;

/// A client error (HTTP 400) with an AWS error code.
pub(crate) fn err(code: &str, message: impl Into<String>) -> AwsError {
    AwsError::with_status(code, message, 400)
}

/// The string member `name` of a request, if present.
pub(crate) fn s<'a>(input: &'a Value, name: &str) -> Option<&'a str> {
    input.get(name).and_then(Value::as_str)
}

/// The string member `name`, or `MissingParameter` as EC2 and RDS answer.
pub(crate) fn required<'a>(input: &'a Value, name: &str) -> Result<&'a str, AwsError> {
    s(input, name).ok_or_else(|| {
        err(
            "MissingParameter",
            format!("The request must contain the parameter {name}"),
        )
    })
}
