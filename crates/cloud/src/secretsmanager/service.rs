//! Secrets Manager behind the [`Service`] trait: the JSON codec, read-only marking, what the
//! CloudTrail event leaves out (secret values), the recovery windows that have ended, and the
//! dispatch.

use serde_json::Value;

use super::model::{SecretsManagerRequest, SecretsManagerResponse};
use super::{SecretsManager, SecretsManagerError, random, resource_policy, rotation, secret};
use crate::World;
use crate::context::CallContext;
use crate::error::AwsError;
use crate::service::{CallAudit, Service};

/// Request members CloudTrail never logs.
const SECRET_MEMBERS: &[&str] = &["secretString", "secretBinary"];

impl Service for SecretsManager {
    const NAME: &'static str = "secretsmanager";
    type Request = SecretsManagerRequest;
    type Response = SecretsManagerResponse;
    type Error = SecretsManagerError;

    fn operation(req: &SecretsManagerRequest) -> &'static str {
        req.operation()
    }

    fn decode(operation: &str, input: Value) -> Result<SecretsManagerRequest, AwsError> {
        match SecretsManagerRequest::decode(operation, crate::lenient::object(input)) {
            Some(Ok(req)) => Ok(req),
            Some(Err(e)) => Err(SecretsManagerError::ValidationException(e.to_string()).to_aws()),
            None => Err(SecretsManagerError::UnknownOperationException(format!(
                "Secrets Manager has no operation named `{operation}` in the lab"
            ))
            .to_aws()),
        }
    }

    fn encode(resp: SecretsManagerResponse) -> Result<Value, AwsError> {
        resp.encode()
            .map_err(|e| SecretsManagerError::InternalServiceError(e.to_string()).to_aws())
    }

    fn audit_input(req: &SecretsManagerRequest) -> Value {
        req.to_input()
    }

    fn client_side(e: AwsError) -> SecretsManagerError {
        SecretsManagerError::EndpointConnection(e.message)
    }

    fn internal(message: String) -> SecretsManagerError {
        SecretsManagerError::InternalServiceError(message)
    }

    fn handle(
        world: &mut World,
        ctx: &CallContext,
        req: SecretsManagerRequest,
        audit: &mut CallAudit,
    ) -> Result<SecretsManagerResponse, SecretsManagerError> {
        let operation = req.operation();
        audit.read_only = operation.starts_with("Get")
            || operation.starts_with("BatchGet")
            || operation.starts_with("Describe")
            || operation.starts_with("List")
            || operation.starts_with("Validate");
        // CloudTrail never logs a secret's value.
        if let Value::Object(m) = audit.request_parameters_mut() {
            for k in SECRET_MEMBERS {
                m.remove(*k);
            }
        }
        // Secrets whose recovery window has ended on the world's clock are gone.
        let now = world.now_ms();
        world.services.secretsmanager.purge_due(now);
        // RDS-managed secrets rotate on their schedule, whichever service is asked next.
        crate::rds::rotate_managed_passwords(world, ctx, audit);
        // Rotation functions run before the next call (RotateSecret started them, or their
        // schedule fell due).
        rotation::run_due(world);
        use SecretsManagerRequest as Q;
        use SecretsManagerResponse as A;
        Ok(match req {
            Q::CreateSecret(r) => A::CreateSecret(secret::create(world, ctx, &r, audit)?),
            Q::GetSecretValue(r) => A::GetSecretValue(secret::get(world, ctx, &r, audit)?),
            Q::BatchGetSecretValue(r) => {
                A::BatchGetSecretValue(secret::batch_get(world, ctx, &r, audit)?)
            }
            Q::PutSecretValue(r) => A::PutSecretValue(secret::put(world, ctx, &r, audit)?),
            Q::DescribeSecret(r) => A::DescribeSecret(secret::describe(world, ctx, &r, audit)?),
            Q::ListSecrets(r) => A::ListSecrets(secret::list(world, ctx, &r, audit)?),
            Q::ListSecretVersionIds(r) => {
                A::ListSecretVersionIds(secret::list_versions(world, ctx, &r, audit)?)
            }
            Q::UpdateSecret(r) => A::UpdateSecret(secret::update(world, ctx, &r, audit)?),
            Q::UpdateSecretVersionStage(r) => {
                A::UpdateSecretVersionStage(secret::update_stage(world, ctx, &r, audit)?)
            }
            Q::DeleteSecret(r) => A::DeleteSecret(secret::delete(world, ctx, &r, audit)?),
            Q::RestoreSecret(r) => A::RestoreSecret(secret::restore(world, ctx, &r, audit)?),
            Q::TagResource(r) => A::TagResource(secret::tag(world, ctx, &r, audit)?),
            Q::UntagResource(r) => A::UntagResource(secret::untag(world, ctx, &r, audit)?),
            Q::GetResourcePolicy(r) => {
                A::GetResourcePolicy(resource_policy::get_policy(world, ctx, &r, audit)?)
            }
            Q::PutResourcePolicy(r) => {
                A::PutResourcePolicy(resource_policy::put_policy(world, ctx, &r, audit)?)
            }
            Q::DeleteResourcePolicy(r) => {
                A::DeleteResourcePolicy(resource_policy::delete_policy(world, ctx, &r, audit)?)
            }
            Q::ValidateResourcePolicy(r) => {
                A::ValidateResourcePolicy(resource_policy::validate_policy(world, ctx, &r, audit)?)
            }
            Q::RotateSecret(r) => A::RotateSecret(rotation::rotate(world, ctx, &r, audit)?),
            Q::CancelRotateSecret(r) => {
                A::CancelRotateSecret(rotation::cancel_rotate(world, ctx, &r, audit)?)
            }
            Q::GetRandomPassword(r) => {
                A::GetRandomPassword(random::random_password(world, ctx, &r, audit)?)
            }
        })
    }
}
