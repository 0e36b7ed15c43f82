//! EFS behind the [`Service`] trait: the JSON codec, read-only marking, the CloudTrail event
//! source (`elasticfilesystem.amazonaws.com`, though the aws-cli calls the service `efs`), and
//! the dispatch.

use serde_json::Value;

use super::model::{EfsRequest, EfsResponse};
use super::{Efs, EfsError, file_system};
use crate::World;
use crate::context::CallContext;
use crate::error::AwsError;
use crate::service::{CallAudit, Service};

impl Service for Efs {
    const NAME: &'static str = "efs";
    type Request = EfsRequest;
    type Response = EfsResponse;
    type Error = EfsError;

    fn operation(req: &EfsRequest) -> &'static str {
        req.operation()
    }

    fn decode(operation: &str, input: Value) -> Result<EfsRequest, AwsError> {
        match EfsRequest::decode(operation, crate::lenient::object(input)) {
            Some(Ok(req)) => Ok(req),
            Some(Err(e)) => Err(EfsError::BadRequest(e.to_string()).to_aws()),
            None => Err(EfsError::UnknownOperationException(format!(
                "EFS has no operation named `{operation}` in the lab"
            ))
            .to_aws()),
        }
    }

    fn encode(resp: EfsResponse) -> Result<Value, AwsError> {
        resp.encode()
            .map_err(|e| EfsError::InternalServerError(e.to_string()).to_aws())
    }

    fn audit_input(req: &EfsRequest) -> Value {
        req.to_input()
    }

    fn client_side(e: AwsError) -> EfsError {
        EfsError::EndpointConnection(e.message)
    }

    fn internal(message: String) -> EfsError {
        EfsError::InternalServerError(message)
    }

    fn handle(
        world: &mut World,
        ctx: &CallContext,
        req: EfsRequest,
        audit: &mut CallAudit,
    ) -> Result<EfsResponse, EfsError> {
        // EFS's endpoint and event source are `elasticfilesystem`.
        audit.service = "elasticfilesystem";
        audit.read_only = req.operation().starts_with("Describe");
        use EfsRequest as Q;
        use EfsResponse as A;
        Ok(match req {
            Q::CreateFileSystem(r) => {
                A::CreateFileSystem(Box::new(file_system::create(world, ctx, &r, audit)?))
            }
            Q::DescribeFileSystems(r) => {
                A::DescribeFileSystems(file_system::describe(world, ctx, &r, audit)?)
            }
            Q::DeleteFileSystem(r) => A::DeleteFileSystem(file_system::delete(world, ctx, &r, audit)?),
        })
    }
}
