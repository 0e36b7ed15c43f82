//! Trails delivering log files: every [`DELIVERY_INTERVAL_MS`] of simulated time (run lazily,
//! before the next call), each logging trail writes the account's new management events of each
//! Region it covers to its bucket as one gzipped JSON object `{"Records":[…]}` per Region and
//! interval, under `[PREFIX/]AWSLogs/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/
//! ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHmmZ_UNIQUE.json.gz`
//! (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/get-and-view-cloudtrail-log-files.html>).
//!
//! The write is CloudTrail's, as its service principal: the bucket policy must allow
//! `s3:PutObject` with `s3:x-amz-acl` = `bucket-owner-full-control` for the trail's
//! `aws:SourceArn`; with a KMS key, CloudTrail asks KMS for the object's data key with the
//! encryption context `aws:cloudtrail:arn` + `aws:s3:arn`, and the object is stored under
//! SSE-KMS, so reading it needs `kms:Decrypt` on the key. A failed write leaves the events
//! undelivered and is reported by `GetTrailStatus` (`LatestDeliveryError`: `NoSuchBucket`,
//! `AccessDenied`, `KMS.DisabledException`, …), as S3 names its errors.

use std::collections::BTreeMap;
use std::io::Write as _;

use serde_json::{Value, json};

use super::trails::{StoredTrail, key_context, principal};
use crate::World;
use crate::kms::model::GenerateDataKeyRequest;
use crate::kms::{KmsRequest, KmsResponse};

/// How often a trail delivers (CloudTrail "typically delivers logs within an average of about
/// 5 minutes of an API call").
pub const DELIVERY_INTERVAL_MS: i64 = 5 * 60_000;

/// Delivers what every trail has due at the world's time. Cheap when there is nothing to do; a
/// delivery's own KMS calls (recorded as CloudTrail's) find nothing more due.
pub(crate) fn deliver_due(world: &mut World) {
    if world.trail.trails.trails.is_empty() {
        return;
    }
    let now = world.now_ms();
    let due = now - now.rem_euclid(DELIVERY_INTERVAL_MS);
    let pending: Vec<String> = world
        .trail
        .trails
        .trails
        .values()
        .filter(|t| {
            t.delivered_until_ms < due
                && t.periods
                    .iter()
                    .any(|p| p.stop_ms.is_none_or(|s| s > t.delivered_until_ms))
        })
        .map(StoredTrail::arn)
        .collect();
    for arn in pending {
        let Some(t) = world.trail.trails.trails.get_mut(&arn) else {
            continue;
        };
        let from = t.delivered_until_ms;
        t.delivered_until_ms = due;
        let trail = t.clone();
        deliver(world, &trail, from, due);
    }
}

/// The events `t` delivers from `[from, to)`, by (interval end, Region).
fn due_records(
    world: &World,
    t: &StoredTrail,
    from: i64,
    to: i64,
) -> BTreeMap<(i64, String), Vec<Value>> {
    let mut files: BTreeMap<(i64, String), Vec<Value>> = BTreeMap::new();
    // Which periods' StartLogging / StopLogging events have been passed, in recording order
    // (the clock does not move between calls, so a millisecond is not enough).
    let mut started = vec![false; t.periods.len()];
    let mut stopped = vec![false; t.periods.len()];
    for ev in world.events() {
        let time = ev.event_time_ms;
        for (i, p) in t.periods.iter().enumerate() {
            if p.start_event.as_ref() == Some(&ev.event_id) {
                started[i] = true;
            }
        }
        let logging = t.periods.iter().enumerate().any(|(i, p)| {
            let after_start = time > p.start_ms || (time == p.start_ms && started[i]);
            let before_stop = p
                .stop_ms
                .is_none_or(|s| time < s || (time == s && !stopped[i]));
            after_start && before_stop
        });
        for (i, p) in t.periods.iter().enumerate() {
            if p.stop_event.as_ref() == Some(&ev.event_id) {
                stopped[i] = true;
            }
        }
        if time < from
            || time >= to
            || !logging
            || !ev.accounts.contains(&t.account)
            || !(t.multi_region || ev.region == t.home_region)
            || ev.record["managementEvent"] == json!(false)
            || (!t.include_global && ev.event_source == "iam.amazonaws.com")
        {
            continue;
        }
        let end = time - time.rem_euclid(DELIVERY_INTERVAL_MS) + DELIVERY_INTERVAL_MS;
        files
            .entry((end, ev.region.clone()))
            .or_default()
            .push(ev.record.clone());
    }
    files
}

fn deliver(world: &mut World, t: &StoredTrail, from: i64, to: i64) {
    let files = due_records(world, t, from, to);
    if files.is_empty() {
        return;
    }
    let now = world.now_ms();
    let mut error = None;
    for ((end, region), records) in files {
        if let Err(e) = write_file(world, t, end, &region, records) {
            error = Some(e);
        }
    }
    if let Some(stored) = world.trail.trails.trails.get_mut(&t.arn()) {
        stored.latest_attempt_ms = Some(now);
        match error {
            Some(e) => stored.latest_delivery_error = Some(e),
            None => {
                stored.latest_delivery_error = None;
                stored.latest_delivery_ms = Some(now);
                stored.latest_attempt_succeeded_ms = Some(now);
            }
        }
    }
}

/// The object key of a log file delivered at `at` for `region`.
fn object_key(world: &mut World, t: &StoredTrail, at: i64, region: &str) -> String {
    let secs = at.div_euclid(1000);
    let (y, m, d) = crate::env::civil_from_days(secs.div_euclid(86_400));
    let sod = secs.rem_euclid(86_400);
    let stamp = format!(
        "{y:04}{m:02}{d:02}T{:02}{:02}Z",
        sod / 3600,
        (sod / 60) % 60
    );
    const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let unique: String = world
        .rng
        .bytes(16)
        .iter()
        .map(|b| char::from(ALNUM[usize::from(*b) % ALNUM.len()]))
        .collect();
    let account = &t.account;
    format!(
        "{}CloudTrail/{region}/{y:04}/{m:02}/{d:02}/{account}_CloudTrail_{region}_{stamp}_{unique}.json.gz",
        t.log_path()
    )
}

fn gzip(body: &[u8]) -> Option<Vec<u8>> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(body).ok()?;
    enc.finish().ok()
}

/// Writes one log file as CloudTrail; `Err` is the delivery error S3 would name.
fn write_file(
    world: &mut World,
    t: &StoredTrail,
    at: i64,
    region: &str,
    records: Vec<Value>,
) -> Result<(), String> {
    if !crate::s3::bucket_exists(world, &t.bucket) {
        return Err("NoSuchBucket".into());
    }
    let key = object_key(world, t, at, region);
    let object_arn = format!("arn:aws:s3:::{}/{key}", t.bucket);
    let arn = t.arn();
    let svc = principal(&t.account, &t.home_region);
    let conditions = vec![
        ("aws:SourceArn".to_owned(), vec![arn.clone()]),
        ("aws:SourceAccount".to_owned(), vec![t.account.clone()]),
        (
            "s3:x-amz-acl".to_owned(),
            vec!["bucket-owner-full-control".to_owned()],
        ),
    ];
    if !crate::s3::bucket_allows_service(
        world,
        &t.bucket,
        &svc,
        "s3:PutObject",
        &object_arn,
        &conditions,
    ) {
        return Err("AccessDenied".into());
    }
    let text = json!({ "Records": records }).to_string();
    let body = gzip(text.as_bytes()).ok_or("InternalError")?;
    let kms = match &t.kms_key {
        None => None,
        Some(key_arn) => {
            let context = key_context(&arn, &object_arn);
            let key_region = key_arn.split(':').nth(3).unwrap_or(&t.home_region);
            let svc = principal(&t.account, key_region);
            let req = KmsRequest::GenerateDataKey(GenerateDataKeyRequest {
                key_id: key_arn.clone(),
                key_spec: Some("AES_256".into()),
                encryption_context: Some(context.clone()),
                ..GenerateDataKeyRequest::default()
            });
            let mut decisions = Vec::new();
            match world.kms_on_behalf(&svc, req, &mut decisions) {
                Ok(KmsResponse::GenerateDataKey(r)) => Some((
                    key_arn.clone(),
                    context,
                    r.plaintext.map(|b| b.0.clone()).unwrap_or_default(),
                    r.ciphertext_blob.map(|b| b.0.clone()).unwrap_or_default(),
                )),
                Ok(_) => return Err("InternalError".into()),
                Err(e) if e.code() == "AccessDeniedException" => return Err("AccessDenied".into()),
                Err(e) => return Err(format!("KMS.{}", e.code())),
            }
        }
    };
    let write = crate::s3::ServiceWrite {
        bucket: &t.bucket,
        key: &key,
        body: &body,
        content_type: "application/json",
        kms: kms.as_ref().map(
            |(key_arn, context, plaintext, wrapped)| crate::s3::ServiceDataKey {
                key_arn: key_arn.clone(),
                context: context.clone(),
                plaintext: plaintext.as_slice(),
                wrapped: wrapped.clone(),
            },
        ),
    };
    crate::s3::put_as_service(world, write)
}
