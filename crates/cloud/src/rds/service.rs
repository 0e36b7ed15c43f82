//! RDS behind the [`Service`] trait: the JSON codec, read-only marking, the identity-only
//! authorization every operation passes first, and the dispatch.

use serde_json::Value;

use super::model::{RdsRequest, RdsResponse};
use super::{Rds, RdsError, instance, password, snapshot};
use crate::World;
use crate::context::CallContext;
use crate::error::AwsError;
use crate::service::{CallAudit, Service};

impl Service for Rds {
    const NAME: &'static str = "rds";
    type Request = RdsRequest;
    type Response = RdsResponse;
    type Error = RdsError;

    fn operation(req: &RdsRequest) -> &'static str {
        req.operation()
    }

    fn decode(operation: &str, input: Value) -> Result<RdsRequest, AwsError> {
        match RdsRequest::decode(operation, crate::lenient::object(input)) {
            Some(Ok(req)) => Ok(req),
            // Lenient members: only a request the model cannot hold at all ends here.
            Some(Err(e)) => Err(RdsError::InvalidParameterValue(e.to_string()).to_aws()),
            None => Err(RdsError::InvalidAction(format!(
                "The action {operation} is not valid for this web service (the lab models RDS encryption operations)."
            ))
            .to_aws()),
        }
    }

    fn encode(resp: RdsResponse) -> Result<Value, AwsError> {
        resp.encode()
            .map_err(|e| RdsError::InternalError(e.to_string()).to_aws())
    }

    fn audit_input(req: &RdsRequest) -> Value {
        req.to_input()
    }

    fn client_side(e: AwsError) -> RdsError {
        RdsError::EndpointConnection(e.message)
    }

    fn internal(message: String) -> RdsError {
        RdsError::InternalError(message)
    }

    fn handle(
        world: &mut World,
        ctx: &CallContext,
        req: RdsRequest,
        audit: &mut CallAudit,
    ) -> Result<RdsResponse, RdsError> {
        let operation = req.operation();
        audit.read_only = operation.starts_with("Describe");
        let now = world.now_ms();
        crate::authorize::identity_only(
            &world.iam,
            ctx,
            &format!("rds:{operation}"),
            "*",
            &[],
            now,
            &mut audit.authorizations,
        )
        .map_err(RdsError::AccessDenied)?;
        // Managed master passwords due for rotation on the world's clock rotate first.
        password::rotate_due(world, ctx, audit);
        crate::secretsmanager::run_due_rotations(world);
        use RdsRequest as Q;
        use RdsResponse as A;
        Ok(match req {
            Q::CreateDBInstance(r) => A::CreateDBInstance(instance::create(world, ctx, &r, audit)?),
            Q::DescribeDBInstances(r) => {
                A::DescribeDBInstances(instance::describe(world, ctx, &r)?)
            }
            Q::DeleteDBInstance(r) => A::DeleteDBInstance(instance::delete(world, ctx, &r)?),
            Q::ModifyDBInstance(r) => {
                A::ModifyDBInstance(password::modify(world, ctx, &r, audit)?)
            }
            Q::CreateDBSnapshot(r) => A::CreateDBSnapshot(snapshot::create(world, ctx, &r)?),
            Q::DescribeDBSnapshots(r) => {
                A::DescribeDBSnapshots(snapshot::describe(world, ctx, &r)?)
            }
            Q::DeleteDBSnapshot(r) => A::DeleteDBSnapshot(snapshot::delete(world, ctx, &r)?),
            Q::CopyDBSnapshot(r) => A::CopyDBSnapshot(snapshot::copy(world, ctx, &r, audit)?),
            Q::ModifyDBSnapshotAttribute(r) => {
                A::ModifyDBSnapshotAttribute(snapshot::modify_attribute(world, ctx, &r)?)
            }
            Q::DescribeDBSnapshotAttributes(r) => {
                A::DescribeDBSnapshotAttributes(snapshot::describe_attributes(world, ctx, &r)?)
            }
            Q::RestoreDBInstanceFromDBSnapshot(r) => {
                A::RestoreDBInstanceFromDBSnapshot(instance::restore(world, ctx, &r, audit)?)
            }
            Q::CreateDBInstanceReadReplica(r) => {
                A::CreateDBInstanceReadReplica(instance::read_replica(world, ctx, &r, audit)?)
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::World;
    use crate::rds::model::{
        CopyDBSnapshotRequest, CreateDBInstanceRequest, CreateDBSnapshotRequest,
    };

    /// Typed RDS calls answer and audit exactly as the same JSON calls.
    #[test]
    fn typed_and_json_calls_answer_and_audit_alike() {
        let mut typed = World::new(3, 1_795_377_600_000);
        let mut json = typed.clone();
        let ctx = typed.context_for_profile(None, None).unwrap();
        let ctx2 = json.context_for_profile(None, None).unwrap();
        // Each resource is waited for (ten simulated minutes) before it is used.
        const READY_MS: i64 = 10 * 60_000;
        let created = typed
            .client(&ctx)
            .rds()
            .create_db_instance(Box::new(CreateDBInstanceRequest {
                db_instance_identifier: Some("db1".into()),
                db_instance_class: Some("db.t3.micro".into()),
                engine: Some("postgres".into()),
                storage_encrypted: Some(true),
                ..Default::default()
            }))
            .unwrap();
        typed.advance_clock(READY_MS);
        typed
            .client(&ctx)
            .rds()
            .create_db_snapshot(CreateDBSnapshotRequest {
                db_snapshot_identifier: Some("s1".into()),
                db_instance_identifier: Some("db1".into()),
            })
            .unwrap();
        typed.advance_clock(READY_MS);
        let mut rds = typed.client(&ctx).rds();
        let copied = rds
            .copy_db_snapshot(CopyDBSnapshotRequest {
                source_db_snapshot_identifier: Some("s1".into()),
                target_db_snapshot_identifier: Some("s2".into()),
                ..Default::default()
            })
            .unwrap();
        let missing = rds.create_db_instance(Box::default());
        assert_eq!(missing.unwrap_err().code(), "MissingParameter");
        let created_json = json
            .call(
                &ctx2,
                "rds",
                "CreateDBInstance",
                json!({ "DBInstanceIdentifier": "db1", "DBInstanceClass": "db.t3.micro",
                        "Engine": "postgres", "StorageEncrypted": true }),
            )
            .unwrap();
        json.advance_clock(READY_MS);
        json.call(
            &ctx2,
            "rds",
            "CreateDBSnapshot",
            json!({ "DBSnapshotIdentifier": "s1", "DBInstanceIdentifier": "db1" }),
        )
        .unwrap();
        json.advance_clock(READY_MS);
        let copied_json = json
            .call(
                &ctx2,
                "rds",
                "CopyDBSnapshot",
                json!({ "SourceDBSnapshotIdentifier": "s1", "TargetDBSnapshotIdentifier": "s2" }),
            )
            .unwrap();
        let _ = json.call(&ctx2, "rds", "CreateDBInstance", json!({}));
        assert_eq!(serde_json::to_value(&created).unwrap(), created_json);
        assert_eq!(serde_json::to_value(&copied).unwrap(), copied_json);
        let records = |w: &World| w.events().map(|e| e.record.clone()).collect::<Vec<_>>();
        assert_eq!(records(&typed), records(&json));
        assert_eq!(typed.event_counters(), json.event_counters());
    }
}
