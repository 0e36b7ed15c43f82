//! Amazon SQS behind the [`Service`] trait: the JSON codec, what the CloudTrail event leaves out
//! (message bodies), and the dispatch.

use serde_json::Value;

use super::model::{SqsRequest, SqsResponse};
use super::{Sqs, SqsError, message, queue};
use crate::World;
use crate::context::CallContext;
use crate::error::AwsError;
use crate::service::{CallAudit, Service};

impl Service for Sqs {
    const NAME: &'static str = "sqs";
    type Request = SqsRequest;
    type Response = SqsResponse;
    type Error = SqsError;

    fn operation(req: &SqsRequest) -> &'static str {
        req.operation()
    }

    fn decode(operation: &str, input: Value) -> Result<SqsRequest, AwsError> {
        match SqsRequest::decode(operation, crate::lenient::object(input)) {
            Some(Ok(req)) => Ok(req),
            Some(Err(e)) => Err(SqsError::InvalidParameterValue(e.to_string()).to_aws()),
            None => Err(SqsError::UnsupportedOperation(format!(
                "Amazon SQS has no operation named `{operation}` in the lab (it models queues, queue attributes and messages)"
            ))
            .to_aws()),
        }
    }

    fn encode(resp: SqsResponse) -> Result<Value, AwsError> {
        resp.encode()
            .map_err(|e| SqsError::InternalError(e.to_string()).to_aws())
    }

    fn audit_input(req: &SqsRequest) -> Value {
        req.to_input()
    }

    fn client_side(e: AwsError) -> SqsError {
        SqsError::EndpointConnection(e.message)
    }

    fn internal(message: String) -> SqsError {
        SqsError::InternalError(message)
    }

    fn handle(
        world: &mut World,
        ctx: &CallContext,
        req: SqsRequest,
        audit: &mut CallAudit,
    ) -> Result<SqsResponse, SqsError> {
        // The event never carries the messages themselves.
        if let Value::Object(m) = audit.request_parameters_mut() {
            m.remove("messageBody");
            m.remove("MessageBody");
        }
        use SqsRequest as Q;
        use SqsResponse as A;
        Ok(match req {
            Q::CreateQueue(r) => A::CreateQueue(queue::create(world, ctx, &r, audit)?),
            Q::GetQueueUrl(r) => A::GetQueueUrl(queue::get_url(world, ctx, &r, audit)?),
            Q::GetQueueAttributes(r) => {
                A::GetQueueAttributes(queue::get_attributes(world, ctx, &r, audit)?)
            }
            Q::SetQueueAttributes(r) => {
                A::SetQueueAttributes(queue::set_attributes(world, ctx, &r, audit)?)
            }
            Q::ListQueues(r) => A::ListQueues(queue::list(world, ctx, &r, audit)?),
            Q::DeleteQueue(r) => A::DeleteQueue(queue::delete(world, ctx, &r, audit)?),
            Q::PurgeQueue(r) => A::PurgeQueue(queue::purge(world, ctx, &r, audit)?),
            Q::SendMessage(r) => A::SendMessage(message::send(world, ctx, &r, audit)?),
            Q::ReceiveMessage(r) => A::ReceiveMessage(message::receive(world, ctx, &r, audit)?),
            Q::DeleteMessage(r) => A::DeleteMessage(message::delete(world, ctx, &r, audit)?),
        })
    }
}
