//! AWS Config's errors, named after its AWS error codes (the error shapes of the
//! `config-2014-11-12` model). Every one answers HTTP 400 except the internal failure.

service_error! {
    /// An AWS Config error, one variant per AWS error code the lab answers.
    ConfigError {
        /// The caller's identity policies do not allow the action.
        AccessDeniedException = "AccessDeniedException" / 400,
        /// The bucket policy does not let Config write to the delivery channel's bucket.
        InsufficientDeliveryPolicyException = "InsufficientDeliveryPolicyException" / 400,
        /// Never expected.
        InternalFailure = "InternalFailure" / 500,
        /// A blank configuration recorder name.
        InvalidConfigurationRecorderNameException = "InvalidConfigurationRecorderNameException" / 400,
        /// A blank delivery channel name.
        InvalidDeliveryChannelNameException = "InvalidDeliveryChannelNameException" / 400,
        /// A `deliveryFrequency` outside the enum.
        InvalidDeliveryFrequency = "InvalidDeliveryFrequency" / 400,
        /// A `NextToken` this call did not hand out.
        InvalidNextTokenException = "InvalidNextTokenException" / 400,
        /// A parameter value the operation does not accept (an unknown managed rule, …).
        InvalidParameterValueException = "InvalidParameterValueException" / 400,
        /// A recording group whose members contradict each other.
        InvalidRecordingGroupException = "InvalidRecordingGroupException" / 400,
        /// A null or empty role ARN for the recorder.
        InvalidRoleException = "InvalidRoleException" / 400,
        /// An empty S3 key prefix.
        InvalidS3KeyPrefixException = "InvalidS3KeyPrefixException" / 400,
        /// An `s3KmsKeyArn` that is not a KMS key or alias ARN.
        InvalidS3KmsKeyArnException = "InvalidS3KmsKeyArnException" / 400,
        /// An empty SNS topic ARN.
        InvalidSNSTopicARNException = "InvalidSNSTopicARNException" / 400,
        /// A second configuration recorder in the Region.
        MaxNumberOfConfigurationRecordersExceededException = "MaxNumberOfConfigurationRecordersExceededException" / 400,
        /// A second delivery channel in the Region.
        MaxNumberOfDeliveryChannelsExceededException = "MaxNumberOfDeliveryChannelsExceededException" / 400,
        /// No configuration recorder (PutDeliveryChannel, PutConfigRule).
        NoAvailableConfigurationRecorderException = "NoAvailableConfigurationRecorderException" / 400,
        /// No delivery channel (StartConfigurationRecorder).
        NoAvailableDeliveryChannelException = "NoAvailableDeliveryChannelException" / 400,
        /// The delivery channel's bucket does not exist.
        NoSuchBucketException = "NoSuchBucketException" / 400,
        /// The rule does not exist.
        NoSuchConfigRuleException = "NoSuchConfigRuleException" / 400,
        /// The configuration recorder does not exist.
        NoSuchConfigurationRecorderException = "NoSuchConfigurationRecorderException" / 400,
        /// The delivery channel does not exist.
        NoSuchDeliveryChannelException = "NoSuchDeliveryChannelException" / 400,
        /// An operation the lab does not model.
        UnknownOperationException = "UnknownOperationException" / 400,
        /// A member breaks a constraint of the model.
        ValidationException = "ValidationException" / 400,
    }
}

/// `NoSuchConfigRuleException` for `name`.
pub(crate) fn no_such_rule(name: &str) -> ConfigError {
    ConfigError::NoSuchConfigRuleException(format!(
        "The ConfigRule '{name}' provided in the request is invalid. Please check the configRule name"
    ))
}

/// `NoSuchConfigurationRecorderException` for `name`.
pub(crate) fn no_such_recorder(name: &str) -> ConfigError {
    ConfigError::NoSuchConfigurationRecorderException(format!(
        "Cannot find configuration recorder with the specified name '{name}'."
    ))
}

/// The model's constraint message for one member.
pub(crate) fn constraint(value: &str, member: &str, rule: &str) -> ConfigError {
    ConfigError::ValidationException(format!(
        "1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: {rule}"
    ))
}
