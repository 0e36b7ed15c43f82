//! KMS behind the [`Service`] trait: the JSON codec, read-only marking, request quotas, and
//! the `responseElements.keyId` CloudTrail adds for management operations.

use serde_json::{Value, json};

use super::{Env, Kms, KmsError, KmsRequest, KmsResponse, quota};
use crate::World;
use crate::context::CallContext;
use crate::error::AwsError;
use crate::service::{CallAudit, Service};

/// Operations whose events CloudTrail marks `readOnly`.
fn read_only(op: &str) -> bool {
    // KMS logs its cryptographic operations as read-only too (they change no resource).
    op.starts_with("Describe")
        || op.starts_with("List")
        || op.starts_with("Get")
        || op.starts_with("GenerateDataKey")
        || matches!(
            op,
            "Encrypt"
                | "Decrypt"
                | "ReEncrypt"
                | "GenerateRandom"
                | "Sign"
                | "Verify"
                | "GenerateMac"
                | "VerifyMac"
                | "DeriveSharedSecret"
                | "Encapsulate"
                | "Decapsulate"
        )
}

/// KMS API operations (from the 2014-11-01 API model) the lab does not implement yet.
const NOT_MODELLED_YET: &[&str] = &[
    "ConnectCustomKeyStore",
    "CreateCustomKeyStore",
    "DeleteCustomKeyStore",
    "DescribeCustomKeyStores",
    "DisconnectCustomKeyStore",
    "UpdateCustomKeyStore",
];

/// A decoded KMS request, or the error AWS answers (an operation the lab does not model, an
/// unknown operation, a malformed request).
fn decoded(
    operation: &str,
    req: Option<Result<KmsRequest, serde_json::Error>>,
) -> Result<KmsRequest, AwsError> {
    let Some(req) = req else {
        if NOT_MODELLED_YET.contains(&operation) {
            return Err(KmsError::UnsupportedOperation(format!(
                "{operation} is a real KMS operation, but the lab does not model it yet"
            ))
            .to_aws());
        }
        return Err(AwsError::new(
            "UnknownOperationException",
            format!("KMS has no operation named `{operation}`"),
        ));
    };
    req.map_err(|e| crate::decode_error("ValidationException", operation, &e))
}

impl Service for Kms {
    const NAME: &'static str = "kms";
    type Request = KmsRequest;
    type Response = KmsResponse;
    type Error = KmsError;

    fn operation(req: &KmsRequest) -> &'static str {
        req.operation()
    }

    fn decode(operation: &str, input: Value) -> Result<KmsRequest, AwsError> {
        decoded(operation, KmsRequest::decode(operation, input))
    }

    fn decode_ref(operation: &str, input: &Value) -> Option<Result<KmsRequest, AwsError>> {
        Some(decoded(operation, KmsRequest::decode_ref(operation, input)))
    }

    fn encode(resp: &KmsResponse) -> Result<Value, AwsError> {
        resp.encode()
            .map_err(|e| KmsError::KmsInternal(e.to_string()).to_aws())
    }

    fn audit_input(req: &KmsRequest) -> Value {
        req.to_input()
    }

    fn client_side(e: AwsError) -> KmsError {
        KmsError::EndpointConnection(e.message)
    }

    fn internal(message: String) -> KmsError {
        KmsError::KmsInternal(message)
    }

    fn handle(
        world: &mut World,
        ctx: &CallContext,
        req: KmsRequest,
        audit: &mut CallAudit,
    ) -> Result<KmsResponse, KmsError> {
        let operation = req.operation();
        let now = world.now_ms();
        let kms = &mut world.kms;
        // Replicas created by an earlier ReplicateKey have finished creating.
        kms.finish_creating();
        audit.read_only = read_only(operation);
        if kms.admit(ctx, operation, &req, now, 1, kms.quotas_enforced) == 0 {
            let (spec, owner, _) = kms.quota_subject(ctx, &req);
            let (name, limit) = quota::quota_for(operation, spec, &ctx.region).unwrap_or(("", 0));
            return Err(KmsError::Throttling(format!(
                "Rate exceeded ({name}: {limit} per second for account {owner} in {})",
                ctx.region
            )));
        }
        let mut env = Env {
            now,
            rng: &mut world.rng,
            audit,
            iam: &world.iam,
        };
        let resp = kms.handle(&mut env, ctx, req)?;
        // Since December 2022 CloudTrail names the affected key in `responseElements.keyId` for
        // management operations that do not return it.
        if !env.audit.read_only
            && env.audit.response_elements.is_null()
            && let Some(r) = env.audit.resources.iter().find(|r| r.arn.contains(":key/"))
        {
            env.audit.response_elements = json!({ "keyId": r.arn });
        }
        Ok(resp)
    }
}
