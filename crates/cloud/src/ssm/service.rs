//! Parameter Store behind the [`Service`] trait: the JSON codec, read-only marking, what the
//! CloudTrail event leaves out (the value), and the dispatch. Every operation authorizes its
//! `ssm:` action on the parameter ARN against the caller's identity policies first.

use serde_json::Value;

use super::model::{SsmRequest, SsmResponse};
use super::{Ssm, SsmError, parameter};
use crate::World;
use crate::context::CallContext;
use crate::error::AwsError;
use crate::service::{CallAudit, Service};

impl Service for Ssm {
    const NAME: &'static str = "ssm";
    type Request = SsmRequest;
    type Response = SsmResponse;
    type Error = SsmError;

    fn operation(req: &SsmRequest) -> &'static str {
        req.operation()
    }

    fn decode(operation: &str, input: Value) -> Result<SsmRequest, AwsError> {
        match SsmRequest::decode(operation, crate::lenient::object(input)) {
            Some(Ok(req)) => Ok(req),
            // Lenient members: only a request the model cannot hold at all ends here.
            Some(Err(e)) => Err(SsmError::ValidationException(e.to_string()).to_aws()),
            None => Err(SsmError::UnknownOperationException(format!(
                "SSM has no operation named `{operation}` in the lab (it models Parameter Store)"
            ))
            .to_aws()),
        }
    }

    fn encode(resp: SsmResponse) -> Result<Value, AwsError> {
        resp.encode()
            .map_err(|e| SsmError::InternalServerError(e.to_string()).to_aws())
    }

    fn audit_input(req: &SsmRequest) -> Value {
        req.to_input()
    }

    fn client_side(e: AwsError) -> SsmError {
        SsmError::EndpointConnection(e.message)
    }

    fn internal(message: String) -> SsmError {
        SsmError::InternalServerError(message)
    }

    fn handle(
        world: &mut World,
        ctx: &CallContext,
        req: SsmRequest,
        audit: &mut CallAudit,
    ) -> Result<SsmResponse, SsmError> {
        let operation = req.operation();
        audit.read_only = operation.starts_with("Get")
            || operation.starts_with("Describe")
            || operation.starts_with("List");
        // CloudTrail never logs a parameter's value.
        if let Value::Object(m) = audit.request_parameters_mut() {
            m.remove("value");
        }
        use SsmRequest as Q;
        use SsmResponse as A;
        Ok(match req {
            Q::PutParameter(r) => A::PutParameter(parameter::put(world, ctx, &r, audit)?),
            Q::GetParameter(r) => A::GetParameter(parameter::get(world, ctx, &r, audit)?),
            Q::GetParameters(r) => A::GetParameters(parameter::get_many(world, ctx, &r, audit)?),
            Q::GetParametersByPath(r) => {
                A::GetParametersByPath(parameter::by_path(world, ctx, &r, audit)?)
            }
            Q::GetParameterHistory(r) => {
                A::GetParameterHistory(parameter::history(world, ctx, &r, audit)?)
            }
            Q::DeleteParameter(r) => A::DeleteParameter(parameter::delete(world, ctx, &r, audit)?),
            Q::DeleteParameters(r) => {
                A::DeleteParameters(parameter::delete_many(world, ctx, &r, audit)?)
            }
            Q::LabelParameterVersion(r) => {
                A::LabelParameterVersion(parameter::label(world, ctx, &r, audit)?)
            }
            Q::DescribeParameters(r) => {
                A::DescribeParameters(parameter::describe(world, ctx, &r, audit)?)
            }
            Q::AddTagsToResource(r) => {
                A::AddTagsToResource(parameter::add_tags(world, ctx, &r, audit)?)
            }
            Q::ListTagsForResource(r) => {
                A::ListTagsForResource(parameter::list_tags(world, ctx, &r, audit)?)
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::World;
    use crate::ssm::model::{GetParameterRequest, PutParameterRequest};

    /// Typed Parameter Store calls answer and audit exactly as the same JSON calls.
    #[test]
    fn typed_and_json_calls_answer_and_audit_alike() {
        let mut typed = World::new(5, 1_795_377_600_000);
        let mut json = typed.clone();
        let ctx = typed.context_for_profile(None, None).unwrap();
        let ctx2 = json.context_for_profile(None, None).unwrap();
        let mut ssm = typed.client(&ctx).ssm();
        let put = ssm
            .put_parameter(PutParameterRequest {
                name: Some("/app/db".into()),
                value: Some("s3cr3t".into()),
                r#type: Some("SecureString".into()),
                ..Default::default()
            })
            .unwrap();
        let got = ssm
            .get_parameter(GetParameterRequest {
                name: Some("/app/db".into()),
                with_decryption: Some(true),
            })
            .unwrap();
        assert_eq!(got.parameter.value, "s3cr3t");
        let missing = ssm.get_parameter(GetParameterRequest::default());
        assert_eq!(missing.unwrap_err().code(), "ValidationException");
        let put_json = json
            .call(
                &ctx2,
                "ssm",
                "PutParameter",
                json!({ "Name": "/app/db", "Value": "s3cr3t", "Type": "SecureString" }),
            )
            .unwrap();
        let got_json = json
            .call(
                &ctx2,
                "ssm",
                "GetParameter",
                json!({ "Name": "/app/db", "WithDecryption": true }),
            )
            .unwrap();
        let _ = json.call(&ctx2, "ssm", "GetParameter", json!({}));
        assert_eq!(serde_json::to_value(&put).unwrap(), put_json);
        assert_eq!(serde_json::to_value(&got).unwrap(), got_json);
        let records = |w: &World| w.events().map(|e| e.record.clone()).collect::<Vec<_>>();
        assert_eq!(records(&typed), records(&json));
        assert_eq!(typed.event_counters(), json.event_counters());
    }
}
