//! AWS Config behind the [`Service`] trait: the JSON codec, read-only marking, the CloudTrail
//! event source (`config.amazonaws.com`, though the aws-cli calls the service
//! `configservice`), and the dispatch.

use serde_json::Value;

use super::model::{ConfigRequest, ConfigResponse};
use super::{Config, ConfigError, evaluate, rules, setup};
use crate::World;
use crate::context::CallContext;
use crate::error::AwsError;
use crate::service::{CallAudit, Service};

impl Service for Config {
    const NAME: &'static str = "configservice";
    type Request = ConfigRequest;
    type Response = ConfigResponse;
    type Error = ConfigError;

    fn operation(req: &ConfigRequest) -> &'static str {
        req.operation()
    }

    fn decode(operation: &str, input: Value) -> Result<ConfigRequest, AwsError> {
        match ConfigRequest::decode(operation, crate::lenient::object(input)) {
            Some(Ok(req)) => Ok(req),
            Some(Err(e)) => Err(crate::decode_error("ValidationException", operation, &e)),
            None => Err(ConfigError::UnknownOperationException(format!(
                "Config has no operation named `{operation}` in the lab"
            ))
            .to_aws()),
        }
    }

    fn encode(resp: ConfigResponse) -> Result<Value, AwsError> {
        resp.encode()
            .map_err(|e| ConfigError::InternalFailure(e.to_string()).to_aws())
    }

    fn audit_input(req: &ConfigRequest) -> Value {
        req.to_input()
    }

    fn client_side(e: AwsError) -> ConfigError {
        ConfigError::EndpointConnection(e.message)
    }

    fn internal(message: String) -> ConfigError {
        ConfigError::InternalFailure(message)
    }

    fn handle(
        world: &mut World,
        ctx: &CallContext,
        req: ConfigRequest,
        audit: &mut CallAudit,
    ) -> Result<ConfigResponse, ConfigError> {
        // Config's endpoint and event source are `config`.
        audit.service = "config";
        let op = req.operation();
        audit.read_only = op.starts_with("Describe") || op.starts_with("Get");
        setup::authorize(world, ctx, op, audit)?;
        // Periodic rules that fell due on the world's clock run before the call answers.
        evaluate::catch_up(world, &ctx.account, &ctx.region);
        use ConfigRequest as Q;
        use ConfigResponse as A;
        Ok(match req {
            Q::PutDeliveryChannel(r) => A::PutDeliveryChannel(setup::put_channel(world, ctx, r)?),
            Q::DescribeDeliveryChannels(r) => {
                A::DescribeDeliveryChannels(setup::describe_channels(world, ctx, &r)?)
            }
            Q::PutConfigurationRecorder(r) => {
                A::PutConfigurationRecorder(setup::put_recorder(world, ctx, r)?)
            }
            Q::DescribeConfigurationRecorders(r) => {
                A::DescribeConfigurationRecorders(setup::describe_recorders(world, ctx, &r)?)
            }
            Q::DescribeConfigurationRecorderStatus(r) => {
                A::DescribeConfigurationRecorderStatus(setup::recorder_status(world, ctx, &r)?)
            }
            Q::StartConfigurationRecorder(r) => {
                A::StartConfigurationRecorder(setup::start_recorder(world, ctx, &r)?)
            }
            Q::StopConfigurationRecorder(r) => {
                A::StopConfigurationRecorder(setup::stop_recorder(world, ctx, &r)?)
            }
            Q::PutConfigRule(r) => A::PutConfigRule(rules::put(world, ctx, r)?),
            Q::DescribeConfigRules(r) => A::DescribeConfigRules(rules::describe(world, ctx, &r)?),
            Q::DeleteConfigRule(r) => A::DeleteConfigRule(rules::delete(world, ctx, &r)?),
            Q::StartConfigRulesEvaluation(r) => {
                A::StartConfigRulesEvaluation(rules::start_evaluation(world, ctx, &r)?)
            }
            Q::GetComplianceDetailsByConfigRule(r) => {
                A::GetComplianceDetailsByConfigRule(rules::details(world, ctx, &r)?)
            }
            Q::DescribeComplianceByConfigRule(r) => {
                A::DescribeComplianceByConfigRule(rules::compliance(world, ctx, &r)?)
            }
        })
    }
}
