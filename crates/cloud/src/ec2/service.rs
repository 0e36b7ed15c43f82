//! EC2 behind the [`Service`] trait: the JSON codec, read-only marking, the identity-only
//! authorization and `DryRun` every operation passes first, and the dispatch.

use serde_json::Value;

use super::model::{Ec2Request, Ec2Response};
use super::{Ec2, Ec2Error, defaults, instance, snapshot, volume};
use crate::World;
use crate::context::CallContext;
use crate::error::AwsError;
use crate::service::{CallAudit, Service};

impl Service for Ec2 {
    const NAME: &'static str = "ec2";
    type Request = Ec2Request;
    type Response = Ec2Response;
    type Error = Ec2Error;

    fn operation(req: &Ec2Request) -> &'static str {
        req.operation()
    }

    fn decode(operation: &str, input: Value) -> Result<Ec2Request, AwsError> {
        match Ec2Request::decode(operation, crate::lenient::object(input)) {
            Some(Ok(req)) => Ok(req),
            // Lenient members: only a request the model cannot hold at all ends here.
            Some(Err(e)) => Err(Ec2Error::InvalidParameterValue(e.to_string()).to_aws()),
            None => Err(Ec2Error::InvalidAction(format!(
                "The action {operation} is not valid for this web service (the lab models EBS encryption operations)."
            ))
            .to_aws()),
        }
    }

    fn encode(resp: Ec2Response) -> Result<Value, AwsError> {
        resp.encode()
            .map_err(|e| Ec2Error::InternalError(e.to_string()).to_aws())
    }

    fn audit_input(req: &Ec2Request) -> Value {
        req.to_input()
    }

    fn client_side(e: AwsError) -> Ec2Error {
        Ec2Error::EndpointConnection(e.message)
    }

    fn internal(message: String) -> Ec2Error {
        Ec2Error::InternalError(message)
    }

    fn handle(
        world: &mut World,
        ctx: &CallContext,
        req: Ec2Request,
        audit: &mut CallAudit,
    ) -> Result<Ec2Response, Ec2Error> {
        let operation = req.operation();
        audit.read_only = operation.starts_with("Describe") || operation.starts_with("Get");
        let now = world.now_ms();
        crate::authorize::identity_only(
            &world.iam,
            ctx,
            &format!("ec2:{operation}"),
            "*",
            &[],
            now,
            &mut audit.authorizations,
        )
        .map_err(|m| {
            Ec2Error::UnauthorizedOperation(format!(
                "You are not authorized to perform this operation. {m}"
            ))
        })?;
        if req.dry_run() == Some(true) {
            return Err(Ec2Error::DryRunOperation(
                "Request would have succeeded, but DryRun flag is set.".into(),
            ));
        }
        use Ec2Request as Q;
        use Ec2Response as A;
        Ok(match req {
            Q::EnableEbsEncryptionByDefault(_) => {
                A::EnableEbsEncryptionByDefault(defaults::set_encryption(world, ctx, true))
            }
            Q::DisableEbsEncryptionByDefault(_) => {
                A::DisableEbsEncryptionByDefault(defaults::set_encryption(world, ctx, false))
            }
            Q::GetEbsEncryptionByDefault(_) => {
                A::GetEbsEncryptionByDefault(defaults::get_encryption(world, ctx))
            }
            Q::ModifyEbsDefaultKmsKeyId(r) => {
                A::ModifyEbsDefaultKmsKeyId(defaults::modify_key(world, ctx, &r, audit)?)
            }
            Q::GetEbsDefaultKmsKeyId(_) => A::GetEbsDefaultKmsKeyId(defaults::get_key(world, ctx)),
            Q::ResetEbsDefaultKmsKeyId(_) => {
                A::ResetEbsDefaultKmsKeyId(defaults::reset_key(world, ctx))
            }
            Q::CreateVolume(r) => A::CreateVolume(volume::create(world, ctx, &r, audit)?),
            Q::DescribeVolumes(r) => A::DescribeVolumes(volume::describe(world, ctx, &r)?),
            Q::DeleteVolume(r) => A::DeleteVolume(volume::delete(world, ctx, &r)?),
            Q::AttachVolume(r) => A::AttachVolume(volume::attach(world, ctx, &r, audit)?),
            Q::DetachVolume(r) => A::DetachVolume(volume::detach(world, ctx, &r)?),
            Q::ModifyVolume(r) => A::ModifyVolume(volume::modify(world, ctx, &r)?),
            Q::CreateSnapshot(r) => A::CreateSnapshot(snapshot::create(world, ctx, &r)?),
            Q::CopySnapshot(r) => A::CopySnapshot(snapshot::copy(world, ctx, &r, audit)?),
            Q::DescribeSnapshots(r) => A::DescribeSnapshots(snapshot::describe(world, ctx, &r)?),
            Q::ModifySnapshotAttribute(r) => {
                A::ModifySnapshotAttribute(snapshot::modify_attribute(world, ctx, &r)?)
            }
            Q::DescribeSnapshotAttribute(r) => {
                A::DescribeSnapshotAttribute(snapshot::describe_attribute(world, ctx, &r)?)
            }
            Q::RunInstances(r) => A::RunInstances(instance::run(world, ctx, &r, audit)),
            Q::DescribeInstances(_) => A::DescribeInstances(instance::describe(world, ctx)),
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::World;
    use crate::ec2::model::{CreateVolumeRequest, DescribeVolumesRequest, RunInstancesRequest};

    /// Typed EC2 calls answer and audit exactly as the same JSON calls.
    #[test]
    fn typed_and_json_calls_answer_and_audit_alike() {
        let mut typed = World::new(5, 1_795_377_600_000);
        let mut json = typed.clone();
        let ctx = typed.context_for_profile(None, None).unwrap();
        let ctx2 = json.context_for_profile(None, None).unwrap();
        let mut ec2 = typed.client(&ctx).ec2();
        let created = ec2
            .create_volume(CreateVolumeRequest {
                size: Some(8),
                encrypted: Some(true),
                ..Default::default()
            })
            .unwrap();
        let described = ec2
            .describe_volumes(DescribeVolumesRequest::default())
            .unwrap();
        let run = ec2.run_instances(RunInstancesRequest::default()).unwrap();
        let dry = ec2.describe_volumes(DescribeVolumesRequest {
            dry_run: Some(true),
            ..Default::default()
        });
        assert_eq!(dry.unwrap_err().code(), "DryRunOperation");
        let created_json = json
            .call(
                &ctx2,
                "ec2",
                "CreateVolume",
                json!({ "Size": 8, "Encrypted": true }),
            )
            .unwrap();
        let described_json = json
            .call(&ctx2, "ec2", "DescribeVolumes", json!({}))
            .unwrap();
        let run_json = json.call(&ctx2, "ec2", "RunInstances", json!({})).unwrap();
        let _ = json.call(&ctx2, "ec2", "DescribeVolumes", json!({ "DryRun": true }));
        assert_eq!(serde_json::to_value(&created).unwrap(), created_json);
        assert_eq!(serde_json::to_value(&described).unwrap(), described_json);
        assert_eq!(serde_json::to_value(&run).unwrap(), run_json);
        let records = |w: &World| w.events().map(|e| e.record.clone()).collect::<Vec<_>>();
        assert_eq!(records(&typed), records(&json));
        assert_eq!(typed.event_counters(), json.event_counters());
    }
}
