//! Amazon SNS's errors, named after the error shapes of the `sns-2010-03-31` model (the codes
//! are the model's query-protocol codes: `NotFound`, `AuthorizationError`, `KMSDisabled`, …).

use crate::kms::KmsError;

service_error!(
    /// An SNS error, one variant per AWS error code the lab answers.
    SnsError {
        /// A request member breaks its constraints.
        InvalidParameter = "InvalidParameter" / 400,
        /// The topic or subscription does not exist.
        NotFound = "NotFound" / 404,
        /// The caller may not call the action on the topic.
        AuthorizationError = "AuthorizationError" / 403,
        /// KMS refused SNS's request for the caller.
        KmsAccessDenied = "KMSAccessDenied" / 400,
        /// The topic's KMS key is disabled.
        KmsDisabled = "KMSDisabled" / 400,
        /// The topic's KMS key is in a state that does not allow it.
        KmsInvalidState = "KMSInvalidState" / 400,
        /// The topic's KMS key does not exist.
        KmsNotFound = "KMSNotFound" / 400,
        /// KMS throttled SNS's request.
        KmsThrottling = "KMSThrottling" / 400,
        /// An operation the lab does not model.
        UnknownOperation = "InvalidAction" / 400,
        /// Never expected.
        InternalError = "InternalError" / 500,
    }
    hint = lab_hint
);

/// The lab's explanation of an SNS error whose AWS message says less.
fn lab_hint(e: &SnsError) -> Option<String> {
    match e {
        SnsError::InvalidParameter(m) if m.starts_with("Invalid parameter: PhoneNumber") => Some(
            "The lab sends no SMS: publish to a topic (--topic-arn) and subscribe an SQS queue to it to see deliveries.".into(),
        ),
        _ => None,
    }
}

/// `Invalid parameter: MEMBER` as SNS answers a missing or malformed member.
pub(crate) fn invalid(member: &str) -> SnsError {
    SnsError::InvalidParameter(format!("Invalid parameter: {member}"))
}

/// The required member, or SNS's error without it.
pub(crate) fn required<'a, T>(value: &'a Option<T>, member: &str) -> Result<&'a T, SnsError> {
    value.as_ref().ok_or_else(|| invalid(member))
}

/// `NotFound` for a topic.
pub(crate) fn no_topic() -> SnsError {
    SnsError::NotFound("Topic does not exist".into())
}

/// How SNS reports a KMS failure while it encrypts or decrypts a message for the publisher.
pub(crate) fn from_kms(e: KmsError, _key: &str) -> SnsError {
    let code = e.code();
    let message = format!(
        "{} (Service: AWSKMS; Status Code: 400; Error Code: {code})",
        crate::ServiceError::message(&e)
    );
    match code {
        "AccessDeniedException" => SnsError::KmsAccessDenied(message),
        "DisabledException" => SnsError::KmsDisabled(message),
        "KMSInvalidStateException" => SnsError::KmsInvalidState(message),
        "NotFoundException" | "InvalidArnException" => SnsError::KmsNotFound(message),
        "ThrottlingException" => SnsError::KmsThrottling(message),
        _ => SnsError::InternalError(message),
    }
}
