//! Amazon EventBridge's errors, named after the error shapes of the `events-2015-10-07` model.

service_error!(
    /// An EventBridge error, one variant per AWS error code the lab answers.
    EventsError {
        /// The rule (or bus) does not exist.
        ResourceNotFound = "ResourceNotFoundException" / 400,
        /// The event pattern is not valid.
        InvalidEventPattern = "InvalidEventPatternException" / 400,
        /// A member breaks its constraints, or the request is not allowed in this state.
        Validation = "ValidationException" / 400,
        /// Too many rules or targets.
        LimitExceeded = "LimitExceededException" / 400,
        /// The caller may not call the action.
        AccessDenied = "AccessDeniedException" / 400,
        /// An operation the lab does not model.
        UnknownOperation = "UnknownOperationException" / 400,
        /// Never expected.
        Internal = "InternalException" / 500,
    }
);

/// `ResourceNotFoundException` for a rule on a bus.
pub(crate) fn no_rule(name: &str, bus: &str) -> EventsError {
    EventsError::ResourceNotFound(format!("Rule {name} does not exist on EventBus {bus}."))
}

/// The required member, or the `ValidationException` EventBridge answers without it.
pub(crate) fn required<'a, T>(value: &'a Option<T>, member: &str) -> Result<&'a T, EventsError> {
    value.as_ref().ok_or_else(|| {
        EventsError::Validation(format!(
            "1 validation error detected: Value null at '{member}' failed to satisfy constraint: Member must not be null"
        ))
    })
}
