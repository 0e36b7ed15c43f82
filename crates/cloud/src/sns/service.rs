//! Amazon SNS behind the [`Service`] trait: the JSON codec, what the CloudTrail event leaves out
//! (messages), and the dispatch.

use serde_json::Value;

use super::model::{SnsRequest, SnsResponse};
use super::{Sns, SnsError, publish, subscription, topic};
use crate::World;
use crate::context::CallContext;
use crate::error::AwsError;
use crate::service::{CallAudit, Service};

impl Service for Sns {
    const NAME: &'static str = "sns";
    type Request = SnsRequest;
    type Response = SnsResponse;
    type Error = SnsError;

    fn operation(req: &SnsRequest) -> &'static str {
        req.operation()
    }

    fn decode(operation: &str, input: Value) -> Result<SnsRequest, AwsError> {
        match SnsRequest::decode(operation, crate::lenient::object(input)) {
            Some(Ok(req)) => Ok(req),
            Some(Err(e)) => Err(SnsError::InvalidParameter(e.to_string()).to_aws()),
            None => Err(SnsError::UnknownOperation(format!(
                "Amazon SNS has no operation named `{operation}` in the lab (it models topics, SQS subscriptions and publishing)"
            ))
            .to_aws()),
        }
    }

    fn encode(resp: SnsResponse) -> Result<Value, AwsError> {
        resp.encode()
            .map_err(|e| SnsError::InternalError(e.to_string()).to_aws())
    }

    fn audit_input(req: &SnsRequest) -> Value {
        req.to_input()
    }

    fn client_side(e: AwsError) -> SnsError {
        SnsError::EndpointConnection(e.message)
    }

    fn internal(message: String) -> SnsError {
        SnsError::InternalError(message)
    }

    fn handle(
        world: &mut World,
        ctx: &CallContext,
        req: SnsRequest,
        audit: &mut CallAudit,
    ) -> Result<SnsResponse, SnsError> {
        // The event never carries the message itself.
        if let Value::Object(m) = audit.request_parameters_mut() {
            m.remove("message");
            m.remove("Message");
        }
        use SnsRequest as Q;
        use SnsResponse as A;
        Ok(match req {
            Q::CreateTopic(r) => A::CreateTopic(topic::create(world, ctx, &r, audit)?),
            Q::GetTopicAttributes(r) => {
                A::GetTopicAttributes(topic::get_attributes(world, ctx, &r, audit)?)
            }
            Q::SetTopicAttributes(r) => {
                A::SetTopicAttributes(topic::set_attributes(world, ctx, &r, audit)?)
            }
            Q::ListTopics(r) => A::ListTopics(topic::list(world, ctx, &r, audit)?),
            Q::DeleteTopic(r) => A::DeleteTopic(topic::delete(world, ctx, &r, audit)?),
            Q::Subscribe(r) => A::Subscribe(subscription::subscribe(world, ctx, &r, audit)?),
            Q::ListSubscriptions(r) => {
                A::ListSubscriptions(subscription::list(world, ctx, &r, audit)?)
            }
            Q::ListSubscriptionsByTopic(r) => {
                A::ListSubscriptionsByTopic(subscription::list_by_topic(world, ctx, &r, audit)?)
            }
            Q::Unsubscribe(r) => A::Unsubscribe(subscription::unsubscribe(world, ctx, &r, audit)?),
            Q::Publish(r) => A::Publish(publish::publish(world, ctx, &r, audit)?),
        })
    }
}
