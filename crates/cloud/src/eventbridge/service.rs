//! Amazon EventBridge behind the [`Service`] trait: the JSON codec and the dispatch.

use serde_json::Value;

use super::model::{EventsRequest, EventsResponse};
use super::{Events, EventsError, rule};
use crate::World;
use crate::context::CallContext;
use crate::error::AwsError;
use crate::service::{CallAudit, Service};

impl Service for Events {
    const NAME: &'static str = "events";
    type Request = EventsRequest;
    type Response = EventsResponse;
    type Error = EventsError;

    fn operation(req: &EventsRequest) -> &'static str {
        req.operation()
    }

    fn decode(operation: &str, input: Value) -> Result<EventsRequest, AwsError> {
        match EventsRequest::decode(operation, crate::lenient::object(input)) {
            Some(Ok(req)) => Ok(req),
            Some(Err(e)) => Err(EventsError::Validation(e.to_string()).to_aws()),
            None => Err(EventsError::UnknownOperation(format!(
                "EventBridge has no operation named `{operation}` in the lab (it models rules, targets and PutEvents on the default bus)"
            ))
            .to_aws()),
        }
    }

    fn encode(resp: EventsResponse) -> Result<Value, AwsError> {
        resp.encode()
            .map_err(|e| EventsError::Internal(e.to_string()).to_aws())
    }

    fn audit_input(req: &EventsRequest) -> Value {
        req.to_input()
    }

    fn client_side(e: AwsError) -> EventsError {
        EventsError::EndpointConnection(e.message)
    }

    fn internal(message: String) -> EventsError {
        EventsError::Internal(message)
    }

    fn handle(
        world: &mut World,
        ctx: &CallContext,
        req: EventsRequest,
        audit: &mut CallAudit,
    ) -> Result<EventsResponse, EventsError> {
        use EventsRequest as Q;
        use EventsResponse as A;
        Ok(match req {
            Q::PutRule(r) => A::PutRule(rule::put_rule(world, ctx, &r, audit)?),
            Q::DescribeRule(r) => A::DescribeRule(rule::describe(world, ctx, &r, audit)?),
            Q::ListRules(r) => A::ListRules(rule::list(world, ctx, &r, audit)?),
            Q::DeleteRule(r) => A::DeleteRule(rule::delete(world, ctx, &r, audit)?),
            Q::PutTargets(r) => A::PutTargets(rule::put_targets(world, ctx, &r, audit)?),
            Q::RemoveTargets(r) => A::RemoveTargets(rule::remove_targets(world, ctx, &r, audit)?),
            Q::ListTargetsByRule(r) => {
                A::ListTargetsByRule(rule::list_targets(world, ctx, &r, audit)?)
            }
            Q::PutEvents(r) => A::PutEvents(rule::put_events(world, ctx, &r, audit)?),
        })
    }
}
