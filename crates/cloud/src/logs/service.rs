//! CloudWatch Logs behind the [`Service`] trait: the JSON codec, read-only marking, what the
//! CloudTrail event leaves out (the messages), and the dispatch.

use serde_json::Value;

use super::model::{LogsRequest, LogsResponse};
use super::{Logs, LogsError, group, stream};
use crate::World;
use crate::context::CallContext;
use crate::error::AwsError;
use crate::service::{CallAudit, Service};

impl Service for Logs {
    const NAME: &'static str = "logs";
    type Request = LogsRequest;
    type Response = LogsResponse;
    type Error = LogsError;

    fn operation(req: &LogsRequest) -> &'static str {
        req.operation()
    }

    fn decode(operation: &str, input: Value) -> Result<LogsRequest, AwsError> {
        match LogsRequest::decode(operation, crate::lenient::object(input)) {
            Some(Ok(req)) => Ok(req),
            Some(Err(e)) => Err(LogsError::InvalidParameter(e.to_string()).to_aws()),
            None => Err(LogsError::UnknownOperation(format!(
                "CloudWatch Logs has no operation named `{operation}` in the lab (it models log groups, log streams and their events)"
            ))
            .to_aws()),
        }
    }

    fn encode(resp: LogsResponse) -> Result<Value, AwsError> {
        resp.encode()
            .map_err(|e| LogsError::ServiceUnavailable(e.to_string()).to_aws())
    }

    fn audit_input(req: &LogsRequest) -> Value {
        req.to_input()
    }

    fn client_side(e: AwsError) -> LogsError {
        LogsError::EndpointConnection(e.message)
    }

    fn internal(message: String) -> LogsError {
        LogsError::ServiceUnavailable(message)
    }

    fn handle(
        world: &mut World,
        ctx: &CallContext,
        req: LogsRequest,
        audit: &mut CallAudit,
    ) -> Result<LogsResponse, LogsError> {
        let operation = req.operation();
        audit.read_only = operation.starts_with("Describe") || operation.starts_with("Get");
        // The event never carries the messages themselves.
        if let Value::Object(m) = audit.request_parameters_mut() {
            m.remove("logEvents");
        }
        use LogsRequest as Q;
        use LogsResponse as A;
        Ok(match req {
            Q::CreateLogGroup(r) => A::CreateLogGroup(group::create(world, ctx, &r, audit)?),
            Q::AssociateKmsKey(r) => A::AssociateKmsKey(group::associate(world, ctx, &r, audit)?),
            Q::DisassociateKmsKey(r) => {
                A::DisassociateKmsKey(group::disassociate(world, ctx, &r, audit)?)
            }
            Q::DescribeLogGroups(r) => {
                A::DescribeLogGroups(group::describe(world, ctx, &r, audit)?)
            }
            Q::DeleteLogGroup(r) => A::DeleteLogGroup(group::delete(world, ctx, &r, audit)?),
            Q::CreateLogStream(r) => A::CreateLogStream(stream::create(world, ctx, &r, audit)?),
            Q::DescribeLogStreams(r) => {
                A::DescribeLogStreams(stream::describe(world, ctx, &r, audit)?)
            }
            Q::PutLogEvents(r) => A::PutLogEvents(stream::put(world, ctx, &r, audit)?),
            Q::GetLogEvents(r) => A::GetLogEvents(stream::get(world, ctx, &r, audit)?),
        })
    }
}
