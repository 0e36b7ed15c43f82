//! CloudTrail trails: `CreateTrail`, `UpdateTrail`, `StartLogging`, `StopLogging`,
//! `DescribeTrails`, `GetTrailStatus` and `DeleteTrail`, with the checks CloudTrail makes
//! against the S3 bucket policy and the KMS key policy. Their shapes are in `trail_model.rs`,
//! the delivery of log files in `trail_delivery.rs`.
//!
//! - The bucket policy must let `cloudtrail.amazonaws.com` call `s3:GetBucketAcl` on the bucket
//!   and `s3:PutObject` under `[PREFIX/]AWSLogs/ACCOUNT/` with `s3:x-amz-acl` =
//!   `bucket-owner-full-control` (`AWSCloudTrailAclCheck`, `AWSCloudTrailWrite`; the request
//!   carries `aws:SourceArn` = the trail ARN), or the call fails with
//!   `InsufficientS3BucketPolicyException` "Incorrect S3 bucket policy is detected for bucket:
//!   BUCKET" (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html>).
//! - With `KmsKeyId`, CloudTrail itself (the service principal) calls `kms:DescribeKey` and then
//!   `kms:GenerateDataKey` with the encryption context `aws:cloudtrail:arn` = the trail ARN and
//!   `aws:s3:arn` = the delivery path, "to verify that the KMS key exists and that CloudTrail
//!   has permission to use it for encryption" (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/how-kms-works-with-cloudtrail.html>);
//!   a key policy without the console's statements fails with
//!   `InsufficientEncryptionPolicyException` "Insufficient permissions to access S3 bucket
//!   BUCKET or KMS key KEY-ARN." (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/default-kms-key-policy.html>).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::lookup::CloudTrailError;
pub use super::trail_model::{
    CreateTrailRequest, DescribeTrailsRequest, DescribeTrailsResponse, EmptyResponse,
    GetTrailStatusResponse, Tag, Trail, TrailNameRequest, TrailResponse, UpdateTrailRequest,
};
use crate::World;
use crate::cloudtrail::CallAudit;
use crate::context::CallContext;
use crate::kms::model::{DescribeKeyRequest, EncryptionContext, GenerateDataKeyRequest};
use crate::kms::{KmsError, KmsRequest, KmsResponse};

/// How many trails an account may have in one Region.
pub const MAX_TRAILS_PER_REGION: usize = 5;

/// One logging period: from `start_ms` until `stop_ms` (open while logging).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct LoggingPeriod {
    pub start_ms: i64,
    pub stop_ms: Option<i64>,
    /// The `StartLogging` event: events of the same millisecond before it are not logged.
    #[serde(default)]
    pub start_event: Option<String>,
    /// The `StopLogging` event: it is logged, events of the same millisecond after it are not.
    #[serde(default)]
    pub stop_event: Option<String>,
}

/// A trail.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct StoredTrail {
    pub name: String,
    pub account: String,
    pub home_region: String,
    pub bucket: String,
    pub prefix: Option<String>,
    /// The KMS key ARN (resolved from the `KmsKeyId` given).
    pub kms_key: Option<String>,
    pub multi_region: bool,
    pub include_global: bool,
    pub validation: bool,
    pub created_ms: i64,
    pub periods: Vec<LoggingPeriod>,
    /// Events before this time have been delivered (or were not to be).
    pub delivered_until_ms: i64,
    pub latest_delivery_ms: Option<i64>,
    pub latest_attempt_ms: Option<i64>,
    pub latest_attempt_succeeded_ms: Option<i64>,
    pub latest_delivery_error: Option<String>,
}

impl StoredTrail {
    pub(crate) fn arn(&self) -> String {
        trail_arn(&self.account, &self.home_region, &self.name)
    }

    pub(crate) fn is_logging(&self) -> bool {
        self.periods.last().is_some_and(|p| p.stop_ms.is_none())
    }

    /// `[PREFIX/]AWSLogs/ACCOUNT/`: where its log files go.
    pub(crate) fn log_path(&self) -> String {
        let prefix = self
            .prefix
            .as_deref()
            .filter(|p| !p.is_empty())
            .map(|p| format!("{p}/"))
            .unwrap_or_default();
        format!("{prefix}AWSLogs/{}/", self.account)
    }
}

/// Every trail of every account, by ARN (kept beside the event store).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trails {
    pub(crate) trails: BTreeMap<String, StoredTrail>,
}

impl Trails {
    /// The number of trails in every account and Region.
    pub fn count(&self) -> usize {
        self.trails.len()
    }
}

/// `arn:aws:cloudtrail:REGION:ACCOUNT:trail/NAME`.
pub(crate) fn trail_arn(account: &str, region: &str, name: &str) -> String {
    format!("arn:aws:cloudtrail:{region}:{account}:trail/{name}")
}

/// Authorizes `cloudtrail:ACTION` on `resource` (identity policies only).
fn authorize(
    world: &World,
    ctx: &CallContext,
    action: &str,
    resource: &str,
    audit: &mut CallAudit,
) -> Result<(), CloudTrailError> {
    crate::authorize::identity_only(
        &world.iam,
        ctx,
        action,
        resource,
        &[],
        world.now_ms(),
        &mut audit.authorizations,
    )
    .map_err(CloudTrailError::AccessDenied)
}

/// Checks a trail name: 3–128 characters of letters, digits, `.`, `_` and `-`, starting and
/// ending with a letter or digit, without two separators in a row.
fn valid_name(name: &str) -> Result<(), CloudTrailError> {
    let bad = |m: &str| Err(CloudTrailError::InvalidTrailName(m.to_owned()));
    let sep = |c: char| matches!(c, '.' | '_' | '-');
    if name.len() < 3 || name.len() > 128 {
        return bad("Trail name must be between 3 and 128 characters long.");
    }
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || sep(c)) {
        return bad(
            "Trail name or ARN can only contain uppercase letters, lowercase letters, numbers, periods (.), hyphens (-), and underscores (_).",
        );
    }
    if !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return bad("Trail name must starts with a letter or number.");
    }
    if !name.ends_with(|c: char| c.is_ascii_alphanumeric()) {
        return bad("Trail name must ends with a letter or number.");
    }
    if name
        .chars()
        .zip(name.chars().skip(1))
        .any(|(a, b)| sep(a) && sep(b))
    {
        return bad(
            "Trail name cannot have an underscore, period, or hyphen next to another underscore, period, or hyphen.",
        );
    }
    Ok(())
}

fn required<'a, T>(v: &'a Option<T>, member: &str) -> Result<&'a T, CloudTrailError> {
    v.as_ref().ok_or_else(|| {
        CloudTrailError::InvalidParameter(format!(
            "1 validation error detected: Value null at '{}' failed to satisfy constraint: Member must not be null",
            super::camel(member)
        ))
    })
}

fn not_modelled(r_sns: Option<&String>, r_cwl: Option<&String>) -> Result<(), CloudTrailError> {
    if r_sns.is_some() || r_cwl.is_some() {
        return Err(CloudTrailError::InvalidParameter(
            "The lab's trails deliver to S3 only (SnsTopicName and CloudWatchLogsLogGroupArn are not modelled)"
                .into(),
        ));
    }
    Ok(())
}

/// The trail a `Name` (name or ARN) designates for `ctx`: its ARN, or `TrailNotFoundException`.
/// `home` requires the trail's home Region (`InvalidHomeRegionException` otherwise).
fn resolve(
    world: &World,
    ctx: &CallContext,
    name: &str,
    home: bool,
) -> Result<String, CloudTrailError> {
    let trails = &world.trail.trails.trails;
    let found = if name.starts_with("arn:") {
        if !name.starts_with("arn:aws:cloudtrail:") || !name.contains(":trail/") {
            return Err(CloudTrailError::CloudTrailArnInvalid(format!(
                "{name} is not a valid trail ARN."
            )));
        }
        trails.get(name).filter(|t| t.account == ctx.account)
    } else {
        trails
            .get(&trail_arn(&ctx.account, &ctx.region, name))
            .or_else(|| {
                trails
                    .values()
                    .find(|t| t.account == ctx.account && t.name == name && t.multi_region)
            })
    };
    let Some(t) = found else {
        let arn = if name.starts_with("arn:") {
            name.to_owned()
        } else {
            trail_arn(&ctx.account, &ctx.region, name)
        };
        return Err(CloudTrailError::TrailNotFound(format!(
            "Unknown trail: {arn} for the user: {}",
            ctx.account
        )));
    };
    if home && t.home_region != ctx.region {
        return Err(CloudTrailError::InvalidHomeRegion(format!(
            "This operation must be called from the trail's home region, {}.",
            t.home_region
        )));
    }
    Ok(t.arn())
}

/// CloudTrail's checks of a bucket (exists; its policy lets CloudTrail write) for trail
/// `arn` of `account` with log path `path`.
fn check_bucket(
    world: &World,
    account: &str,
    region: &str,
    (bucket, path): (&str, &str),
    arn: &str,
) -> Result<(), CloudTrailError> {
    if !crate::s3::bucket_exists(world, bucket) {
        return Err(CloudTrailError::S3BucketDoesNotExist(format!(
            "S3 bucket {bucket} does not exist."
        )));
    }
    let service = CallContext::aws_service("cloudtrail", account, region);
    let source = vec![
        ("aws:SourceArn".to_owned(), vec![arn.to_owned()]),
        ("aws:SourceAccount".to_owned(), vec![account.to_owned()]),
    ];
    let mut write = source.clone();
    write.push((
        "s3:x-amz-acl".to_owned(),
        vec!["bucket-owner-full-control".to_owned()],
    ));
    let acl_ok = crate::s3::bucket_allows_service(
        world,
        bucket,
        &service,
        "s3:GetBucketAcl",
        &format!("arn:aws:s3:::{bucket}"),
        &source,
    );
    let write_ok = crate::s3::bucket_allows_service(
        world,
        bucket,
        &service,
        "s3:PutObject",
        &format!("arn:aws:s3:::{bucket}/{path}CloudTrail/{region}/"),
        &write,
    );
    if acl_ok && write_ok {
        Ok(())
    } else {
        Err(CloudTrailError::InsufficientS3BucketPolicy(format!(
            "Incorrect S3 bucket policy is detected for bucket: {bucket}"
        )))
    }
}

/// CloudTrail's service principal acting in `region` for `account`.
pub(crate) fn principal(account: &str, region: &str) -> CallContext {
    CallContext::aws_service("cloudtrail", account, region)
}

/// The encryption context of a trail's data keys: the trail ARN and the S3 ARN written to.
pub(crate) fn key_context(trail: &str, s3_arn: &str) -> EncryptionContext {
    EncryptionContext::from([
        ("aws:cloudtrail:arn".to_owned(), trail.to_owned()),
        ("aws:s3:arn".to_owned(), s3_arn.to_owned()),
    ])
}

/// CloudTrail's check of a KMS key for trail `arn`: `DescribeKey`, then a `GenerateDataKey`
/// whose key it throws away, both as its service principal. The key ARN.
fn check_key(
    world: &mut World,
    ctx: &CallContext,
    key: &str,
    (bucket, path): (&str, &str),
    arn: &str,
    audit: &mut CallAudit,
) -> Result<String, CloudTrailError> {
    let svc = principal(&ctx.account, &ctx.region);
    let insufficient = |key_arn: &str| {
        CloudTrailError::InsufficientEncryptionPolicy(format!(
            "Insufficient permissions to access S3 bucket {bucket} or KMS key {key_arn}."
        ))
    };
    let map = |e: KmsError, key_arn: &str| match e.code() {
        "AccessDeniedException" => insufficient(key_arn),
        "NotFoundException" | "InvalidArnException" => {
            CloudTrailError::KmsKeyNotFound(format!("KMS key {key} not found."))
        }
        _ => CloudTrailError::Kms(crate::ServiceError::message(&e)),
    };
    let described = world.kms_on_behalf(
        &svc,
        KmsRequest::DescribeKey(DescribeKeyRequest {
            key_id: key.to_owned(),
            ..DescribeKeyRequest::default()
        }),
        &mut audit.authorizations,
    );
    let key_arn = match described {
        Ok(KmsResponse::DescribeKey(r)) => r.key_metadata.map(|m| m.arn).unwrap_or_default(),
        Ok(_) => {
            return Err(CloudTrailError::InternalFailure(
                "KMS answered wrongly".into(),
            ));
        }
        // A denied DescribeKey names the key as given (its ARN is not known to the caller).
        Err(e) => return Err(map(e, key)),
    };
    let generated = world.kms_on_behalf(
        &svc,
        KmsRequest::GenerateDataKey(GenerateDataKeyRequest {
            key_id: key_arn.clone(),
            key_spec: Some("AES_256".into()),
            encryption_context: Some(key_context(arn, &format!("arn:aws:s3:::{bucket}/{path}"))),
            ..GenerateDataKeyRequest::default()
        }),
        &mut audit.authorizations,
    );
    match generated {
        Ok(_) => Ok(key_arn),
        Err(e) => Err(map(e, &key_arn)),
    }
}

fn response(t: &StoredTrail) -> TrailResponse {
    TrailResponse {
        name: t.name.clone(),
        s3_bucket_name: t.bucket.clone(),
        s3_key_prefix: t.prefix.clone(),
        include_global_service_events: t.include_global,
        is_multi_region_trail: t.multi_region,
        trail_arn: t.arn(),
        log_file_validation_enabled: t.validation,
        kms_key_id: t.kms_key.clone(),
        is_organization_trail: false,
    }
}

pub(crate) fn create(
    world: &mut World,
    ctx: &CallContext,
    r: &CreateTrailRequest,
    audit: &mut CallAudit,
) -> Result<TrailResponse, CloudTrailError> {
    let name = required(&r.name, "Name")?;
    let bucket = required(&r.s3_bucket_name, "S3BucketName")?;
    valid_name(name)?;
    let arn = trail_arn(&ctx.account, &ctx.region, name);
    authorize(world, ctx, "cloudtrail:CreateTrail", &arn, audit)?;
    not_modelled(
        r.sns_topic_name.as_ref(),
        r.cloud_watch_logs_log_group_arn.as_ref(),
    )?;
    if r.is_organization_trail == Some(true) {
        return Err(CloudTrailError::InvalidParameter(
            "The lab does not model AWS Organizations (IsOrganizationTrail)".into(),
        ));
    }
    let trails = &world.trail.trails.trails;
    if trails.contains_key(&arn) {
        return Err(CloudTrailError::TrailAlreadyExists(format!(
            "Trail {name} already exists for customer: {}",
            ctx.account
        )));
    }
    let in_region = trails
        .values()
        .filter(|t| t.account == ctx.account && t.home_region == ctx.region)
        .count();
    if in_region >= MAX_TRAILS_PER_REGION {
        return Err(CloudTrailError::MaximumNumberOfTrailsExceeded(format!(
            "User: {} already has {MAX_TRAILS_PER_REGION} trails in {}.",
            ctx.account, ctx.region
        )));
    }
    let mut t = StoredTrail {
        name: name.clone(),
        account: ctx.account.clone(),
        home_region: ctx.region.clone(),
        bucket: bucket.clone(),
        prefix: r.s3_key_prefix.clone().filter(|p| !p.is_empty()),
        kms_key: None,
        multi_region: r.is_multi_region_trail.unwrap_or(false),
        include_global: r.include_global_service_events.unwrap_or(true),
        validation: r.enable_log_file_validation.unwrap_or(false),
        created_ms: world.now_ms(),
        periods: Vec::new(),
        delivered_until_ms: world.now_ms(),
        latest_delivery_ms: None,
        latest_attempt_ms: None,
        latest_attempt_succeeded_ms: None,
        latest_delivery_error: None,
    };
    let path = t.log_path();
    check_bucket(world, &ctx.account, &ctx.region, (bucket, &path), &arn)?;
    if let Some(k) = r.kms_key_id.as_ref().filter(|k| !k.is_empty()) {
        t.kms_key = Some(check_key(world, ctx, k, (bucket, &path), &arn, audit)?);
    }
    let out = response(&t);
    world.trail.trails.trails.insert(arn, t);
    Ok(out)
}

pub(crate) fn update(
    world: &mut World,
    ctx: &CallContext,
    r: &UpdateTrailRequest,
    audit: &mut CallAudit,
) -> Result<TrailResponse, CloudTrailError> {
    let name = required(&r.name, "Name")?;
    let arn = resolve(world, ctx, name, false)?;
    authorize(world, ctx, "cloudtrail:UpdateTrail", &arn, audit)?;
    resolve(world, ctx, name, true)?;
    not_modelled(
        r.sns_topic_name.as_ref(),
        r.cloud_watch_logs_log_group_arn.as_ref(),
    )?;
    let Some(mut t) = world.trail.trails.trails.get(&arn).cloned() else {
        return Err(CloudTrailError::InternalFailure("trail vanished".into()));
    };
    if let Some(b) = &r.s3_bucket_name {
        t.bucket.clone_from(b);
    }
    if let Some(p) = &r.s3_key_prefix {
        t.prefix = Some(p.clone()).filter(|p| !p.is_empty());
    }
    if let Some(v) = r.include_global_service_events {
        t.include_global = v;
    }
    if let Some(v) = r.is_multi_region_trail {
        t.multi_region = v;
    }
    if let Some(v) = r.enable_log_file_validation {
        t.validation = v;
    }
    let path = t.log_path();
    let destination_changed = r.s3_bucket_name.is_some() || r.s3_key_prefix.is_some();
    if destination_changed {
        check_bucket(world, &ctx.account, &ctx.region, (&t.bucket, &path), &arn)?;
    }
    match r.kms_key_id.as_deref() {
        Some("") => t.kms_key = None,
        Some(k) => {
            t.kms_key = Some(check_key(world, ctx, k, (&t.bucket, &path), &arn, audit)?);
        }
        None => {}
    }
    let out = response(&t);
    world.trail.trails.trails.insert(arn, t);
    Ok(out)
}

pub(crate) fn start_logging(
    world: &mut World,
    ctx: &CallContext,
    r: &TrailNameRequest,
    audit: &mut CallAudit,
) -> Result<EmptyResponse, CloudTrailError> {
    let name = required(&r.name, "Name")?;
    let arn = resolve(world, ctx, name, false)?;
    authorize(world, ctx, "cloudtrail:StartLogging", &arn, audit)?;
    resolve(world, ctx, name, true)?;
    let now = world.now_ms();
    if let Some(t) = world.trail.trails.trails.get_mut(&arn)
        && !t.is_logging()
    {
        t.periods.push(LoggingPeriod {
            start_ms: now,
            stop_ms: None,
            start_event: Some(audit.event_id.as_str().to_owned()),
            stop_event: None,
        });
    }
    Ok(EmptyResponse {})
}

pub(crate) fn stop_logging(
    world: &mut World,
    ctx: &CallContext,
    r: &TrailNameRequest,
    audit: &mut CallAudit,
) -> Result<EmptyResponse, CloudTrailError> {
    let name = required(&r.name, "Name")?;
    let arn = resolve(world, ctx, name, false)?;
    authorize(world, ctx, "cloudtrail:StopLogging", &arn, audit)?;
    resolve(world, ctx, name, true)?;
    let now = world.now_ms();
    if let Some(p) = world
        .trail
        .trails
        .trails
        .get_mut(&arn)
        .and_then(|t| t.periods.last_mut())
        && p.stop_ms.is_none()
    {
        p.stop_ms = Some(now);
        p.stop_event = Some(audit.event_id.as_str().to_owned());
    }
    Ok(EmptyResponse {})
}

pub(crate) fn delete(
    world: &mut World,
    ctx: &CallContext,
    r: &TrailNameRequest,
    audit: &mut CallAudit,
) -> Result<EmptyResponse, CloudTrailError> {
    let name = required(&r.name, "Name")?;
    let arn = resolve(world, ctx, name, false)?;
    authorize(world, ctx, "cloudtrail:DeleteTrail", &arn, audit)?;
    resolve(world, ctx, name, true)?;
    world.trail.trails.trails.remove(&arn);
    Ok(EmptyResponse {})
}

fn view(t: &StoredTrail) -> Trail {
    Trail {
        name: t.name.clone(),
        s3_bucket_name: t.bucket.clone(),
        s3_key_prefix: t.prefix.clone(),
        include_global_service_events: t.include_global,
        is_multi_region_trail: t.multi_region,
        home_region: t.home_region.clone(),
        trail_arn: t.arn(),
        log_file_validation_enabled: t.validation,
        kms_key_id: t.kms_key.clone(),
        has_custom_event_selectors: false,
        has_insight_selectors: false,
        is_organization_trail: false,
    }
}

pub(crate) fn describe(
    world: &mut World,
    ctx: &CallContext,
    r: &DescribeTrailsRequest,
    audit: &mut CallAudit,
) -> Result<DescribeTrailsResponse, CloudTrailError> {
    authorize(world, ctx, "cloudtrail:DescribeTrails", "*", audit)?;
    let shadows = r.include_shadow_trails.unwrap_or(true);
    let visible = |t: &&StoredTrail| {
        t.account == ctx.account && (t.home_region == ctx.region || (shadows && t.multi_region))
    };
    let trails = &world.trail.trails.trails;
    let trail_list = match &r.trail_name_list {
        Some(names) if !names.is_empty() => names
            .iter()
            .filter_map(|n| {
                let arn = if n.starts_with("arn:") {
                    n.clone()
                } else {
                    trail_arn(&ctx.account, &ctx.region, n)
                };
                trails
                    .get(&arn)
                    .or_else(|| trails.values().find(|t| &t.name == n && t.multi_region))
                    .filter(visible)
                    .map(view)
            })
            .collect(),
        _ => trails.values().filter(visible).map(view).collect(),
    };
    Ok(DescribeTrailsResponse { trail_list })
}

fn seconds(ms: i64) -> f64 {
    crate::env::epoch_seconds(ms).as_f64().unwrap_or_default()
}

fn text(ms: Option<i64>) -> String {
    ms.map(crate::env::iso8601).unwrap_or_default()
}

pub(crate) fn status(
    world: &mut World,
    ctx: &CallContext,
    r: &TrailNameRequest,
    audit: &mut CallAudit,
) -> Result<GetTrailStatusResponse, CloudTrailError> {
    let name = required(&r.name, "Name")?;
    let arn = resolve(world, ctx, name, false)?;
    authorize(world, ctx, "cloudtrail:GetTrailStatus", &arn, audit)?;
    let Some(t) = world.trail.trails.trails.get(&arn) else {
        return Err(CloudTrailError::InternalFailure("trail vanished".into()));
    };
    let started = t.periods.last().map(|p| p.start_ms);
    let stopped = t.periods.last().and_then(|p| p.stop_ms);
    Ok(GetTrailStatusResponse {
        is_logging: t.is_logging(),
        latest_delivery_error: t.latest_delivery_error.clone(),
        latest_delivery_time: t.latest_delivery_ms.map(seconds),
        start_logging_time: started.map(seconds),
        stop_logging_time: stopped.map(seconds),
        latest_delivery_attempt_time: text(t.latest_attempt_ms),
        latest_notification_attempt_time: String::new(),
        latest_notification_attempt_succeeded: String::new(),
        latest_delivery_attempt_succeeded: text(t.latest_attempt_succeeded_ms),
        time_logging_started: text(started),
        time_logging_stopped: text(stopped),
    })
}

/// Runs a trail operation (every CloudTrail operation but `LookupEvents`).
pub(crate) fn handle(
    world: &mut World,
    ctx: &CallContext,
    req: super::lookup::CloudTrailRequest,
    audit: &mut CallAudit,
) -> Result<super::lookup::CloudTrailResponse, CloudTrailError> {
    use super::lookup::{CloudTrailRequest as Q, CloudTrailResponse as A};
    audit.read_only = matches!(req, Q::DescribeTrails(_) | Q::GetTrailStatus(_));
    Ok(match req {
        Q::CreateTrail(r) => A::CreateTrail(create(world, ctx, &r, audit)?),
        Q::UpdateTrail(r) => A::UpdateTrail(update(world, ctx, &r, audit)?),
        Q::StartLogging(r) => A::StartLogging(start_logging(world, ctx, &r, audit)?),
        Q::StopLogging(r) => A::StopLogging(stop_logging(world, ctx, &r, audit)?),
        Q::DescribeTrails(r) => A::DescribeTrails(describe(world, ctx, &r, audit)?),
        Q::GetTrailStatus(r) => A::GetTrailStatus(status(world, ctx, &r, audit)?),
        Q::DeleteTrail(r) => A::DeleteTrail(delete(world, ctx, &r, audit)?),
        Q::LookupEvents(_) => {
            return Err(CloudTrailError::InternalFailure(
                "LookupEvents is not a trail operation".into(),
            ));
        }
    })
}
