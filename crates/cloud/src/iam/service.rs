//! IAM behind the [`Service`] trait: the JSON codec and the identity-only authorization every
//! IAM action passes.

use serde_json::Value;

use super::{Iam, IamError, IamRequest, IamResponse, iam_resource};
use crate::World;
use crate::context::CallContext;
use crate::error::AwsError;
use crate::service::{CallAudit, Service};

impl Service for Iam {
    const NAME: &'static str = "iam";
    type Request = IamRequest;
    type Response = IamResponse;
    type Error = IamError;

    fn operation(req: &IamRequest) -> &str {
        req.operation()
    }

    fn decode(operation: &str, input: Value) -> Result<IamRequest, AwsError> {
        let Some(req) = IamRequest::decode(operation, input) else {
            return Err(AwsError::new(
                "InvalidAction",
                format!("Could not find operation {operation} for version 2010-05-08"),
            ));
        };
        req.map_err(|e| crate::decode_error("ValidationError", operation, &e))
    }

    fn encode(resp: &IamResponse) -> Result<Value, AwsError> {
        resp.encode()
            .map_err(|e| IamError::ServiceFailure(e.to_string()).to_aws())
    }

    fn audit_input(req: &IamRequest) -> Value {
        req.to_input()
    }

    fn client_side(e: AwsError) -> IamError {
        IamError::EndpointConnection(e.message)
    }

    fn internal(message: String) -> IamError {
        IamError::ServiceFailure(message)
    }

    fn handle(
        world: &mut World,
        ctx: &CallContext,
        req: IamRequest,
        audit: &mut CallAudit,
    ) -> Result<IamResponse, IamError> {
        let operation = req.operation();
        let now = world.now_ms();
        audit.read_only = operation.starts_with("Get") || operation.starts_with("List");
        let resource = iam_resource(&req, ctx);
        crate::authorize::identity_only(
            &world.iam,
            ctx,
            &format!("iam:{operation}"),
            &resource,
            &[],
            now,
            &mut audit.authorizations,
        )
        .map_err(IamError::AccessDenied)?;
        world.iam.handle(ctx, req, now, &mut world.rng)
    }
}
