//! Load tooling: many uploads through the audited seam, for measuring KMS request counts.
//!
//! A bulk upload runs in one go ([`World::s3_bulk_put`]) or in bounded steps
//! ([`World::s3_bulk_put_start`], [`World::s3_bulk_put_step`], [`World::s3_bulk_put_finish`]),
//! so a browser can yield between them; both make the same calls in the same order, so they
//! leave the same world.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::World;
use crate::context::CallContext;
use crate::error::AwsError;

/// How many events of a bulk upload are kept in full (the rest are only counted).
const SAMPLES: usize = 20;

/// A bulk upload under way (see [`World::s3_bulk_put_start`]). While one is under way the
/// trail keeps only sample events: make no other calls until it is finished.
#[derive(Clone, Debug)]
pub struct BulkPut {
    ctx: CallContext,
    bucket: String,
    n: u64,
    size: usize,
    /// The next upload's index.
    next: u64,
    uploads: u64,
    error: Option<AwsError>,
    bucket_key: Option<bool>,
    kms_before: u64,
    counters_before: BTreeMap<String, u64>,
    last_before: Option<String>,
}

impl BulkPut {
    /// Uploads attempted so far.
    pub fn done(&self) -> u64 {
        self.next
    }

    /// Uploads asked for.
    pub fn total(&self) -> u64 {
        self.n
    }

    /// True when every upload was made or one failed.
    pub fn is_finished(&self) -> bool {
        self.error.is_some() || self.next >= self.n
    }
}

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
        let mut job = self.s3_bulk_put_start(ctx, bucket, n, size)?;
        self.s3_bulk_put_step(&mut job, u64::MAX);
        Ok(self.s3_bulk_put_finish(job))
    }

    /// Starts [`World::s3_bulk_put`] without uploading anything yet: checks the caps, notes the
    /// counters to report against, and turns on the trail's sampling until the finish.
    pub fn s3_bulk_put_start(
        &mut self,
        ctx: &CallContext,
        bucket: &str,
        n: u64,
        size: usize,
    ) -> Result<BulkPut, AwsError> {
        if n > 100_000 || size > 65_536 {
            return Err(AwsError::client(
                "InvalidArgument",
                "the lab's bulk upload is capped at 100,000 objects of at most 64 KiB",
            ));
        }
        let bucket_key = self
            .services
            .s3
            .buckets
            .get(bucket)
            .map(|b| b.encryption.algorithm == "aws:kms" && b.encryption.bucket_key_enabled);
        let job = BulkPut {
            ctx: ctx.clone(),
            bucket: bucket.to_owned(),
            n,
            size,
            next: 0,
            uploads: 0,
            error: None,
            bucket_key,
            kms_before: self.kms_request_count(&ctx.account),
            counters_before: self.trail.counters().by_event_name.clone(),
            last_before: self.trail.events().last().map(|e| e.event_id.clone()),
        };
        self.trail.set_sampling(Some(SAMPLES));
        Ok(job)
    }

    /// Makes up to `max` more uploads of `job` (none once it is finished).
    pub fn s3_bulk_put_step(&mut self, job: &mut BulkPut, max: u64) {
        let end = job.n.min(job.next.saturating_add(max));
        while job.next < end && job.error.is_none() {
            let body = self.rng.bytes(job.size);
            let input = serde_json::json!({
                "Bucket": job.bucket,
                "Key": format!("bulk/{:06}", job.next),
                "Body": base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &body),
            });
            job.next += 1;
            match self.call(&job.ctx, "s3", "PutObject", input) {
                Ok(_) => job.uploads += 1,
                Err(e) => job.error = Some(e),
            }
        }
    }

    /// Ends `job` (finished or not: the uploads not made count as failed), turns the trail's
    /// sampling off and answers the report [`World::s3_bulk_put`] answers.
    pub fn s3_bulk_put_finish(&mut self, job: BulkPut) -> Value {
        self.trail.set_sampling(None);
        let after = &self.trail.counters().by_event_name;
        let before = &job.counters_before;
        let delta = |name: &str| {
            after.get(name).copied().unwrap_or(0) - before.get(name).copied().unwrap_or(0)
        };
        let kms_ops: serde_json::Map<String, Value> = ["GenerateDataKey", "Decrypt"]
            .iter()
            .map(|op| ((*op).to_owned(), serde_json::json!(delta(op))))
            .collect();
        let last_before = job.last_before.as_deref();
        let sample_ids: Vec<&str> = self
            .trail
            .events()
            .skip_while(|e| last_before.is_some_and(|id| e.event_id != id))
            .skip(usize::from(last_before.is_some()))
            .map(|e| e.event_id.as_str())
            .collect();
        let mut out = serde_json::json!({
            "Bucket": job.bucket,
            "Uploads": job.uploads,
            "Failed": job.n - job.uploads,
            "ObjectSize": job.size,
            "BucketKeyEnabled": job.bucket_key.unwrap_or(false),
            "KmsRequests": self.kms_request_count(&job.ctx.account) - job.kms_before,
            "KmsRequestsByOperation": kms_ops,
            "S3Requests": delta("PutObject"),
            "SampleEventIds": sample_ids,
        });
        if let (Some(e), Value::Object(m)) = (job.error, &mut out) {
            m.insert(
                "Error".into(),
                serde_json::json!({ "Code": e.code, "Message": e.message }),
            );
        }
        out
    }
}
