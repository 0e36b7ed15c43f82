//! AWS Config's errors, named after its AWS error codes (the error shapes of the
//! `config-2014-11-12` model). Every one answers HTTP 400 except the internal failure.

use crate::error::{AwsError, ErrorOrigin, ServiceError};

/// An AWS Config error, one variant per AWS error code the lab answers. Written out rather
/// than declared with `service_error!` for its [`ServiceError::hint`]: an identifier of a real
/// managed rule the lab does not model gets AWS's message for an unknown one, and the lab says
/// why beside it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// The caller's identity policies do not allow the action.
    #[error("{0}")]
    AccessDeniedException(String),
    /// The bucket policy does not let Config write to the delivery channel's bucket.
    #[error("{0}")]
    InsufficientDeliveryPolicyException(String),
    /// A custom rule's Lambda function cannot be invoked (the lab has no Lambda).
    #[error("{0}")]
    InsufficientPermissionsException(String),
    /// Never expected.
    #[error("{0}")]
    InternalFailure(String),
    /// A blank configuration recorder name.
    #[error("{0}")]
    InvalidConfigurationRecorderNameException(String),
    /// A blank delivery channel name.
    #[error("{0}")]
    InvalidDeliveryChannelNameException(String),
    /// A `deliveryFrequency` outside the enum.
    #[error("{0}")]
    InvalidDeliveryFrequency(String),
    /// A `NextToken` this call did not hand out.
    #[error("{0}")]
    InvalidNextTokenException(String),
    /// A parameter value the operation does not accept (an unknown managed rule, …).
    #[error("{0}")]
    InvalidParameterValueException(String),
    /// A recording group whose members contradict each other.
    #[error("{0}")]
    InvalidRecordingGroupException(String),
    /// A null or empty role ARN for the recorder.
    #[error("{0}")]
    InvalidRoleException(String),
    /// An empty S3 key prefix.
    #[error("{0}")]
    InvalidS3KeyPrefixException(String),
    /// An `s3KmsKeyArn` that is not a KMS key or alias ARN.
    #[error("{0}")]
    InvalidS3KmsKeyArnException(String),
    /// An empty SNS topic ARN.
    #[error("{0}")]
    InvalidSNSTopicARNException(String),
    /// A second configuration recorder in the Region.
    #[error("{0}")]
    MaxNumberOfConfigurationRecordersExceededException(String),
    /// A second delivery channel in the Region.
    #[error("{0}")]
    MaxNumberOfDeliveryChannelsExceededException(String),
    /// No configuration recorder (PutDeliveryChannel, PutConfigRule).
    #[error("{0}")]
    NoAvailableConfigurationRecorderException(String),
    /// No delivery channel (StartConfigurationRecorder).
    #[error("{0}")]
    NoAvailableDeliveryChannelException(String),
    /// The delivery channel's bucket does not exist.
    #[error("{0}")]
    NoSuchBucketException(String),
    /// The rule does not exist.
    #[error("{0}")]
    NoSuchConfigRuleException(String),
    /// The configuration recorder does not exist.
    #[error("{0}")]
    NoSuchConfigurationRecorderException(String),
    /// The delivery channel does not exist.
    #[error("{0}")]
    NoSuchDeliveryChannelException(String),
    /// An operation the lab does not model.
    #[error("{0}")]
    UnknownOperationException(String),
    /// A member breaks a constraint of the model.
    #[error("{0}")]
    ValidationException(String),
    /// Client-side: the endpoint (Region) does not exist; no request was sent.
    #[error("{0}")]
    EndpointConnection(String),
}

impl ConfigError {
    /// The AWS error code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::AccessDeniedException(_) => "AccessDeniedException",
            Self::InsufficientDeliveryPolicyException(_) => "InsufficientDeliveryPolicyException",
            Self::InsufficientPermissionsException(_) => "InsufficientPermissionsException",
            Self::InternalFailure(_) => "InternalFailure",
            Self::InvalidConfigurationRecorderNameException(_) => "InvalidConfigurationRecorderNameException",
            Self::InvalidDeliveryChannelNameException(_) => "InvalidDeliveryChannelNameException",
            Self::InvalidDeliveryFrequency(_) => "InvalidDeliveryFrequency",
            Self::InvalidNextTokenException(_) => "InvalidNextTokenException",
            Self::InvalidParameterValueException(_) => "InvalidParameterValueException",
            Self::InvalidRecordingGroupException(_) => "InvalidRecordingGroupException",
            Self::InvalidRoleException(_) => "InvalidRoleException",
            Self::InvalidS3KeyPrefixException(_) => "InvalidS3KeyPrefixException",
            Self::InvalidS3KmsKeyArnException(_) => "InvalidS3KmsKeyArnException",
            Self::InvalidSNSTopicARNException(_) => "InvalidSNSTopicARNException",
            Self::MaxNumberOfConfigurationRecordersExceededException(_) => "MaxNumberOfConfigurationRecordersExceededException",
            Self::MaxNumberOfDeliveryChannelsExceededException(_) => "MaxNumberOfDeliveryChannelsExceededException",
            Self::NoAvailableConfigurationRecorderException(_) => "NoAvailableConfigurationRecorderException",
            Self::NoAvailableDeliveryChannelException(_) => "NoAvailableDeliveryChannelException",
            Self::NoSuchBucketException(_) => "NoSuchBucketException",
            Self::NoSuchConfigRuleException(_) => "NoSuchConfigRuleException",
            Self::NoSuchConfigurationRecorderException(_) => "NoSuchConfigurationRecorderException",
            Self::NoSuchDeliveryChannelException(_) => "NoSuchDeliveryChannelException",
            Self::UnknownOperationException(_) => "UnknownOperationException",
            Self::ValidationException(_) => "ValidationException",
            Self::EndpointConnection(_) => "EndpointConnectionError",
        }
    }

    /// The HTTP status AWS answers with (0 for the client-side error).
    pub fn status(&self) -> u16 {
        match self {
            Self::AccessDeniedException(_) => 400,
            Self::InsufficientDeliveryPolicyException(_) => 400,
            Self::InsufficientPermissionsException(_) => 400,
            Self::InternalFailure(_) => 500,
            Self::InvalidConfigurationRecorderNameException(_) => 400,
            Self::InvalidDeliveryChannelNameException(_) => 400,
            Self::InvalidDeliveryFrequency(_) => 400,
            Self::InvalidNextTokenException(_) => 400,
            Self::InvalidParameterValueException(_) => 400,
            Self::InvalidRecordingGroupException(_) => 400,
            Self::InvalidRoleException(_) => 400,
            Self::InvalidS3KeyPrefixException(_) => 400,
            Self::InvalidS3KmsKeyArnException(_) => 400,
            Self::InvalidSNSTopicARNException(_) => 400,
            Self::MaxNumberOfConfigurationRecordersExceededException(_) => 400,
            Self::MaxNumberOfDeliveryChannelsExceededException(_) => 400,
            Self::NoAvailableConfigurationRecorderException(_) => 400,
            Self::NoAvailableDeliveryChannelException(_) => 400,
            Self::NoSuchBucketException(_) => 400,
            Self::NoSuchConfigRuleException(_) => 400,
            Self::NoSuchConfigurationRecorderException(_) => 400,
            Self::NoSuchDeliveryChannelException(_) => 400,
            Self::UnknownOperationException(_) => 400,
            Self::ValidationException(_) => 400,
            Self::EndpointConnection(_) => 0,
        }
    }

    /// The wire form.
    pub fn to_aws(&self) -> AwsError {
        ServiceError::to_aws(self)
    }
}

impl ServiceError for ConfigError {
    fn code(&self) -> std::borrow::Cow<'static, str> {
        ConfigError::code(self).into()
    }

    fn status(&self) -> u16 {
        ConfigError::status(self)
    }

    fn origin(&self) -> ErrorOrigin {
        if matches!(self, Self::EndpointConnection(_)) {
            ErrorOrigin::Client
        } else {
            ErrorOrigin::Service
        }
    }

    fn hint(&self) -> Option<String> {
        match self {
            Self::InvalidParameterValueException(m) if m.starts_with("The sourceIdentifier ") => {
                let modelled: Vec<&str> = super::managed::RULES.iter().map(|r| r.identifier).collect();
                Some(format!(
                    "AWS has hundreds of managed rules; the lab models the encryption ones only: {}. An identifier AWS knows but the lab does not model gets the answer AWS gives an unknown one.",
                    modelled.join(", ")
                ))
            }
            Self::InvalidParameterValueException(m)
                if m.is_empty() || m == super::rules::CUSTOM_POLICY_WITHOUT_DETAILS =>
            {
                Some(
                    "The lab does not evaluate Guard custom policy rules (Owner CUSTOM_POLICY), so it refuses them where AWS would accept a rule with its CustomPolicyDetails: add AWS managed rules (Owner AWS) instead.".into(),
                )
            }
            Self::InsufficientPermissionsException(_) => Some(
                "The lab has no Lambda functions: only AWS managed rules (Owner AWS) can be added.".into(),
            ),
            _ => None,
        }
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
