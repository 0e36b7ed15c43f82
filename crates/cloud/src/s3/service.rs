//! S3 behind the [`Service`] trait: the JSON codec, read-only marking, the CloudTrail resources
//! and secrets of a call, and the dispatch to the bucket and object operations.

use serde_json::Value;

use super::model::{S3Request, S3Response};
use super::{S3, S3Error, bucket, object, versioning};
use crate::World;
use crate::context::CallContext;
use crate::error::AwsError;
use crate::service::{CallAudit, Service};

/// Object-level operations: CloudTrail data events.
pub(crate) fn is_data_event(operation: &str) -> bool {
    matches!(
        operation,
        "PutObject"
            | "GetObject"
            | "HeadObject"
            | "CopyObject"
            | "DeleteObject"
            | "ListObjectsV2"
            | "ListObjectVersions"
    )
}

impl Service for S3 {
    const NAME: &'static str = "s3";
    type Request = S3Request;
    type Response = S3Response;
    type Error = S3Error;

    fn operation(req: &S3Request) -> &'static str {
        req.operation()
    }

    fn decode(operation: &str, input: Value) -> Result<S3Request, AwsError> {
        match S3Request::decode(operation, crate::lenient::object(input)) {
            Some(Ok(req)) => Ok(req),
            // Lenient members: only a request the model cannot hold at all ends here.
            Some(Err(e)) => Err(S3Error::InvalidRequest(e.to_string()).to_aws()),
            None => Err(S3Error::NotImplemented(format!(
                "the lab's S3 does not implement {operation}"
            ))
            .to_aws()),
        }
    }

    fn encode(resp: S3Response) -> Result<Value, AwsError> {
        resp.encode()
            .map_err(|e| S3Error::InternalError(e.to_string()).to_aws())
    }

    fn audit_input(req: &S3Request) -> Value {
        req.to_input()
    }

    fn client_side(e: AwsError) -> S3Error {
        S3Error::EndpointConnection(e.message)
    }

    fn internal(message: String) -> S3Error {
        S3Error::InternalError(message)
    }

    fn handle(
        world: &mut World,
        ctx: &CallContext,
        req: S3Request,
        audit: &mut CallAudit,
    ) -> Result<S3Response, S3Error> {
        let operation = req.operation();
        audit.read_only = operation.starts_with("Get")
            || operation.starts_with("List")
            || operation.starts_with("Head");
        // Request bodies and secrets are not logged.
        if let Value::Object(m) = audit.request_parameters_mut() {
            for secret in ["body", "sSECustomerKey", "copySourceSSECustomerKey"] {
                m.remove(secret);
            }
        }
        if let Some(b) = req.bucket() {
            let acct = world
                .services.s3
                .buckets
                .get(b)
                .map_or_else(|| ctx.account.clone(), |x| x.account.clone());
            audit.resource(&acct, "AWS::S3::Bucket", &format!("arn:aws:s3:::{b}"));
        }
        use S3Request as Q;
        use S3Response as A;
        Ok(match req {
            Q::CreateBucket(r) => A::CreateBucket(bucket::create(world, ctx, &r, audit)?),
            Q::ListBuckets(_) => A::ListBuckets(bucket::list(world, ctx, audit)?),
            Q::DeleteBucket(r) => A::DeleteBucket(bucket::delete(world, ctx, &r, audit)?),
            Q::HeadBucket(r) => A::HeadBucket(bucket::head(world, ctx, &r, audit)?),
            Q::PutBucketEncryption(r) => {
                A::PutBucketEncryption(bucket::put_encryption(world, ctx, &r, audit)?)
            }
            Q::GetBucketEncryption(r) => {
                A::GetBucketEncryption(bucket::get_encryption(world, ctx, &r, audit)?)
            }
            Q::DeleteBucketEncryption(r) => {
                A::DeleteBucketEncryption(bucket::delete_encryption(world, ctx, &r, audit)?)
            }
            Q::PutBucketPolicy(r) => A::PutBucketPolicy(bucket::put_policy(world, ctx, &r, audit)?),
            Q::GetBucketPolicy(r) => A::GetBucketPolicy(bucket::get_policy(world, ctx, &r, audit)?),
            Q::DeleteBucketPolicy(r) => {
                A::DeleteBucketPolicy(bucket::delete_policy(world, ctx, &r, audit)?)
            }
            Q::PutObject(r) => A::PutObject(object::put(world, ctx, &r, audit)?),
            Q::GetObject(r) => A::GetObject(object::get(world, ctx, &r, audit, true)?),
            Q::HeadObject(r) => A::HeadObject(object::get(world, ctx, &r, audit, false)?),
            Q::CopyObject(r) => A::CopyObject(object::copy(world, ctx, &r, audit)?),
            Q::DeleteObject(r) => A::DeleteObject(object::delete(world, ctx, &r, audit)?),
            Q::ListObjectsV2(r) => A::ListObjectsV2(object::list_v2(world, ctx, &r, audit)?),
            Q::PutBucketVersioning(r) => {
                A::PutBucketVersioning(versioning::put(world, ctx, &r, audit)?)
            }
            Q::GetBucketVersioning(r) => {
                A::GetBucketVersioning(versioning::get(world, ctx, &r, audit)?)
            }
            Q::ListObjectVersions(r) => {
                A::ListObjectVersions(versioning::list(world, ctx, &r, audit)?)
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::World;
    use crate::s3::model::{CreateBucketRequest, GetObjectRequest, PutObjectRequest};

    /// Typed S3 calls answer and audit exactly as the same JSON calls.
    #[test]
    fn typed_and_json_calls_answer_and_audit_alike() {
        let mut typed = World::new(11, 1_795_377_600_000);
        let mut json = typed.clone();
        let ctx = typed.context_for_profile(None, None).unwrap();
        let ctx2 = json.context_for_profile(None, None).unwrap();
        let mut s3 = typed.client(&ctx).s3();
        s3.create_bucket(CreateBucketRequest {
            bucket: Some("typed-bucket".into()),
            ..Default::default()
        })
        .unwrap();
        let put = s3
            .put_object(PutObjectRequest {
                bucket: Some("typed-bucket".into()),
                key: Some("a.txt".into()),
                body: Some("aGk=".into()),
                server_side_encryption: Some("aws:kms".into()),
                ..Default::default()
            })
            .unwrap();
        let got = s3
            .get_object(GetObjectRequest {
                bucket: Some("typed-bucket".into()),
                key: Some("a.txt".into()),
                ..Default::default()
            })
            .unwrap();
        let missing = s3.get_object(GetObjectRequest {
            bucket: Some("typed-bucket".into()),
            key: Some("none".into()),
            ..Default::default()
        });
        assert_eq!(missing.unwrap_err().code(), "NoSuchKey");
        json.call(
            &ctx2,
            "s3",
            "CreateBucket",
            json!({ "Bucket": "typed-bucket" }),
        )
        .unwrap();
        let put_json = json
            .call(
                &ctx2,
                "s3",
                "PutObject",
                json!({ "Bucket": "typed-bucket", "Key": "a.txt", "Body": "aGk=",
                        "ServerSideEncryption": "aws:kms" }),
            )
            .unwrap();
        let got_json = json
            .call(
                &ctx2,
                "s3",
                "GetObject",
                json!({ "Bucket": "typed-bucket", "Key": "a.txt" }),
            )
            .unwrap();
        let _ = json.call(
            &ctx2,
            "s3",
            "GetObject",
            json!({ "Bucket": "typed-bucket", "Key": "none" }),
        );
        assert_eq!(serde_json::to_value(&put).unwrap(), put_json);
        assert_eq!(serde_json::to_value(&got).unwrap(), got_json);
        assert_eq!(got.body.as_deref(), Some("aGk="));
        let records = |w: &World| w.events().map(|e| e.record.clone()).collect::<Vec<_>>();
        assert_eq!(records(&typed), records(&json));
        assert_eq!(typed.event_counters(), json.event_counters());
    }

    /// A copied world shares each bucket's object map until one of the two changes it; the
    /// change is the changer's alone (the browser's store copies the world on every command).
    #[test]
    fn a_copied_world_shares_objects_until_one_side_writes() {
        use std::sync::Arc;

        use crate::s3::model::DeleteObjectRequest;

        let mut world = World::new(12, 1_795_377_600_000);
        let ctx = world.context_for_profile(None, None).unwrap();
        let put = |w: &mut World, key: &str| {
            w.client(&ctx)
                .s3()
                .put_object(PutObjectRequest {
                    bucket: Some("shared".into()),
                    key: Some(key.into()),
                    body: Some("aGk=".into()),
                    ..Default::default()
                })
                .unwrap();
        };
        world
            .client(&ctx)
            .s3()
            .create_bucket(CreateBucketRequest {
                bucket: Some("shared".into()),
                ..Default::default()
            })
            .unwrap();
        put(&mut world, "a.txt");
        let objects = |w: &World| Arc::clone(&w.services.s3.buckets["shared"].objects);
        let mut copy = world.clone();
        assert!(Arc::ptr_eq(&objects(&world), &objects(&copy)), "copied, not shared");

        put(&mut copy, "b.txt");
        copy.client(&ctx)
            .s3()
            .delete_object(DeleteObjectRequest {
                bucket: Some("shared".into()),
                key: Some("a.txt".into()),
                ..Default::default()
            })
            .unwrap();
        assert!(!Arc::ptr_eq(&objects(&world), &objects(&copy)));
        let keys = |w: &World| objects(w).keys().cloned().collect::<Vec<_>>();
        assert_eq!(keys(&world), ["a.txt"]);
        assert_eq!(keys(&copy), ["b.txt"]);
    }
}
