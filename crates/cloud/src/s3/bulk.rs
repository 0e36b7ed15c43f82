//! Load tooling: many uploads through the audited seam, for measuring KMS request counts.

use serde_json::Value;

use crate::World;
use crate::context::CallContext;
use crate::error::AwsError;

impl World {
    /// `n` `PutObject` uploads of `size` random bytes each (keys `bulk/000000`, …) into `bucket`
    /// with the bucket's default encryption, as `ctx`: for measuring KMS request counts (e.g.
    /// "10,000 uploads with and without S3 Bucket Keys"). Every call is counted in the
    /// CloudTrail counters, but only the first few events of the run are retained in full
    /// (samples), so the run does not evict the trail. Stops at the first failure.
    ///
    /// Answers `{Uploads, Failed, KmsRequests, KmsRequestsByOperation, S3Requests,
    /// BucketKeyEnabled, SampleEventIds, Error?}`; `n` is capped at 100,000 and `size` at 64 KiB.
    pub fn s3_bulk_put(
        &mut self,
        ctx: &CallContext,
        bucket: &str,
        n: u64,
        size: usize,
    ) -> Result<Value, AwsError> {
        const SAMPLES: usize = 20;
        if n > 100_000 || size > 65_536 {
            return Err(AwsError::client(
                "InvalidArgument",
                "the lab's bulk upload is capped at 100,000 objects of at most 64 KiB",
            ));
        }
        let bucket_key = self
            .services.s3
            .buckets
            .get(bucket)
            .map(|b| b.encryption.algorithm == "aws:kms" && b.encryption.bucket_key_enabled);
        let kms_before = self.kms_request_count(&ctx.account);
        let counters_before = self.trail.counters().by_event_name.clone();
        let last_before = self.trail.events().last().map(|e| e.event_id.clone());
        self.trail.set_sampling(Some(SAMPLES));
        let mut uploads = 0u64;
        let mut error = None;
        for i in 0..n {
            let body = self.rng.bytes(size);
            let input = serde_json::json!({
                "Bucket": bucket,
                "Key": format!("bulk/{i:06}"),
                "Body": base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &body),
            });
            match self.call(ctx, "s3", "PutObject", input) {
                Ok(_) => uploads += 1,
                Err(e) => {
                    error = Some(e);
                    break;
                }
            }
        }
        self.trail.set_sampling(None);
        let after = &self.trail.counters().by_event_name;
        let delta = |name: &str| {
            after.get(name).copied().unwrap_or(0) - counters_before.get(name).copied().unwrap_or(0)
        };
        let kms_ops: serde_json::Map<String, Value> = ["GenerateDataKey", "Decrypt"]
            .iter()
            .map(|op| ((*op).to_owned(), serde_json::json!(delta(op))))
            .collect();
        let sample_ids: Vec<&str> = self
            .trail
            .events()
            .skip_while(|e| last_before.as_deref().is_some_and(|id| e.event_id != id))
            .skip(usize::from(last_before.is_some()))
            .map(|e| e.event_id.as_str())
            .collect();
        let mut out = serde_json::json!({
            "Bucket": bucket,
            "Uploads": uploads,
            "Failed": n - uploads,
            "ObjectSize": size,
            "BucketKeyEnabled": bucket_key.unwrap_or(false),
            "KmsRequests": self.kms_request_count(&ctx.account) - kms_before,
            "KmsRequestsByOperation": kms_ops,
            "S3Requests": delta("PutObject"),
            "SampleEventIds": sample_ids,
        });
        if let (Some(e), Value::Object(m)) = (error, &mut out) {
            m.insert(
                "Error".into(),
                serde_json::json!({ "Code": e.code, "Message": e.message }),
            );
        }
        Ok(out)
    }
}
