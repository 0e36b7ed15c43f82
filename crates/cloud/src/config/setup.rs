//! The configuration recorder and the delivery channel: one of each per account and Region,
//! the recorder first, and the channel before the recorder starts.

use super::error::{constraint, no_such_recorder};
use super::model::{
    ConfigurationRecorderStatus, DeliveryChannel, DescribeConfigurationRecorderStatusResponse,
    DescribeConfigurationRecordersRequest, DescribeConfigurationRecordersResponse,
    DescribeDeliveryChannelsRequest, DescribeDeliveryChannelsResponse, EmptyResponse,
    ExclusionByResourceTypes, PutConfigurationRecorderRequest, PutDeliveryChannelRequest,
    RecorderNameRequest, RecordingGroup, RecordingStrategy,
};
use super::{ConfigError, Recorder, epoch, evaluate, slot};
use crate::World;
use crate::cloudtrail::CallAudit;
use crate::context::CallContext;

/// The name Config gives a recorder or channel created without one.
const DEFAULT_NAME: &str = "default";

/// The delivery frequencies of the model.
pub(super) const FREQUENCIES: &[&str] = &[
    "One_Hour",
    "Three_Hours",
    "Six_Hours",
    "Twelve_Hours",
    "TwentyFour_Hours",
];

/// The service-linked role Config creates for itself.
const SERVICE_LINKED_ROLE: &str = "role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig";

/// Authorizes `config:OPERATION` against the caller's identity policies.
pub(super) fn authorize(
    world: &World,
    ctx: &CallContext,
    operation: &str,
    audit: &mut CallAudit,
) -> Result<(), ConfigError> {
    crate::authorize::identity_only(
        &world.iam,
        ctx,
        &format!("config:{operation}"),
        "*",
        &[],
        world.now_ms(),
        &mut audit.authorizations,
    )
    .map_err(ConfigError::AccessDeniedException)
}

pub(super) fn put_recorder(
    world: &mut World,
    ctx: &CallContext,
    r: PutConfigurationRecorderRequest,
) -> Result<EmptyResponse, ConfigError> {
    let mut spec = r.configuration_recorder.unwrap_or_default();
    let name = spec.name.clone().unwrap_or_else(|| DEFAULT_NAME.to_owned());
    if name.trim().is_empty() {
        return Err(ConfigError::InvalidConfigurationRecorderNameException(
            format!("The configuration recorder name '{name}' is not valid, blank string."),
        ));
    }
    if name.len() > 256 {
        return Err(constraint(
            &name,
            "configurationRecorder.name",
            "Member must have length less than or equal to 256",
        ));
    }
    if name.starts_with("AWSConfigurationRecorderFor") {
        return Err(ConfigError::InvalidConfigurationRecorderNameException(
            "The configuration recorder name is not valid. The prefix \"AWSConfigurationRecorderFor\" is reserved for service-linked configuration recorders.".into(),
        ));
    }
    if spec.role_arn.as_deref().is_none_or(str::is_empty) {
        return Err(ConfigError::InvalidRoleException(
            "The role ARN provided for the configuration recorder is null or empty.".into(),
        ));
    }
    spec.recording_group = Some(recording_group(spec.recording_group.take())?);
    spec.name = Some(name.clone());
    spec.arn = None;
    let region = world
        .services
        .config
        .regions
        .entry(slot(&ctx.account, &ctx.region))
        .or_default();
    match &mut region.recorder {
        Some(existing) if existing.spec.name.as_deref() != Some(name.as_str()) => {
            return Err(
                ConfigError::MaxNumberOfConfigurationRecordersExceededException(format!(
                    "Failed to put configuration recorder '{name}' because the maximum number of configuration recorders: 1 is reached."
                )),
            );
        }
        Some(existing) => existing.spec = spec,
        None => {
            region.recorder = Some(Recorder {
                spec,
                recording: false,
                last_start_ms: None,
                last_stop_ms: None,
                status_change_ms: None,
            });
        }
    }
    Ok(EmptyResponse {})
}

/// A recording group as Config stores it: absent means every supported regional type;
/// contradictions are `InvalidRecordingGroupException`.
fn recording_group(g: Option<RecordingGroup>) -> Result<RecordingGroup, ConfigError> {
    let invalid = || {
        ConfigError::InvalidRecordingGroupException(
            "The recording group provided is not valid".into(),
        )
    };
    let Some(g) = g else {
        return Ok(RecordingGroup {
            all_supported: Some(true),
            include_global_resource_types: Some(false),
            resource_types: Some(Vec::new()),
            exclusion_by_resource_types: Some(ExclusionByResourceTypes {
                resource_types: Some(Vec::new()),
            }),
            recording_strategy: Some(RecordingStrategy {
                use_only: Some("ALL_SUPPORTED_RESOURCE_TYPES".into()),
            }),
        });
    };
    let all = g.all_supported.unwrap_or(false);
    let types = g.resource_types.clone().unwrap_or_default();
    let excluded = g
        .exclusion_by_resource_types
        .as_ref()
        .and_then(|e| e.resource_types.clone())
        .unwrap_or_default();
    let strategy = g
        .recording_strategy
        .as_ref()
        .and_then(|s| s.use_only.clone())
        .unwrap_or_else(|| {
            if all {
                "ALL_SUPPORTED_RESOURCE_TYPES".into()
            } else if !excluded.is_empty() {
                "EXCLUSION_BY_RESOURCE_TYPES".into()
            } else {
                "INCLUSION_BY_RESOURCE_TYPES".into()
            }
        });
    let valid = match strategy.as_str() {
        "ALL_SUPPORTED_RESOURCE_TYPES" => all && types.is_empty() && excluded.is_empty(),
        "INCLUSION_BY_RESOURCE_TYPES" => !all && !types.is_empty() && excluded.is_empty(),
        "EXCLUSION_BY_RESOURCE_TYPES" => !all && types.is_empty() && !excluded.is_empty(),
        _ => false,
    };
    if !valid {
        return Err(invalid());
    }
    Ok(RecordingGroup {
        all_supported: Some(all),
        include_global_resource_types: Some(g.include_global_resource_types.unwrap_or(false)),
        resource_types: Some(types),
        exclusion_by_resource_types: Some(ExclusionByResourceTypes {
            resource_types: Some(excluded),
        }),
        recording_strategy: Some(RecordingStrategy {
            use_only: Some(strategy),
        }),
    })
}

/// Whether a recording group records `resource_type`.
pub(super) fn records(group: Option<&RecordingGroup>, resource_type: &str) -> bool {
    let Some(g) = group else {
        return true;
    };
    let listed = |l: Option<&Vec<String>>| l.is_some_and(|l| l.iter().any(|t| t == resource_type));
    match g
        .recording_strategy
        .as_ref()
        .and_then(|s| s.use_only.as_deref())
    {
        Some("INCLUSION_BY_RESOURCE_TYPES") => listed(g.resource_types.as_ref()),
        Some("EXCLUSION_BY_RESOURCE_TYPES") => !listed(
            g.exclusion_by_resource_types
                .as_ref()
                .and_then(|e| e.resource_types.as_ref()),
        ),
        _ => true,
    }
}

/// Checks the names asked for against the one recorder of the Region.
fn named_recorders<'w>(
    world: &'w World,
    ctx: &CallContext,
    names: Option<&Vec<String>>,
) -> Result<Vec<&'w Recorder>, ConfigError> {
    let recorder = world
        .services
        .config
        .regions
        .get(&slot(&ctx.account, &ctx.region))
        .and_then(|r| r.recorder.as_ref());
    match names.filter(|n| !n.is_empty()) {
        None => Ok(recorder.into_iter().collect()),
        Some(names) => {
            if names.len() > 1 {
                return Err(ConfigError::ValidationException(
                    "You have specified more than one configuration recorder.".into(),
                ));
            }
            let mut out = Vec::new();
            for n in names {
                match recorder {
                    Some(r) if r.spec.name.as_deref() == Some(n.as_str()) => out.push(r),
                    _ => return Err(no_such_recorder(n)),
                }
            }
            Ok(out)
        }
    }
}

pub(super) fn describe_recorders(
    world: &World,
    ctx: &CallContext,
    r: &DescribeConfigurationRecordersRequest,
) -> Result<DescribeConfigurationRecordersResponse, ConfigError> {
    Ok(DescribeConfigurationRecordersResponse {
        configuration_recorders: named_recorders(world, ctx, r.configuration_recorder_names.as_ref())?
            .into_iter()
            .map(|r| r.spec.clone())
            .collect(),
    })
}

pub(super) fn recorder_status(
    world: &World,
    ctx: &CallContext,
    r: &DescribeConfigurationRecordersRequest,
) -> Result<DescribeConfigurationRecorderStatusResponse, ConfigError> {
    Ok(DescribeConfigurationRecorderStatusResponse {
        configuration_recorders_status: named_recorders(
            world,
            ctx,
            r.configuration_recorder_names.as_ref(),
        )?
        .into_iter()
        .map(|r| ConfigurationRecorderStatus {
            arn: None,
            name: r.spec.name.clone().unwrap_or_default(),
            last_start_time: r.last_start_ms.map(epoch),
            last_stop_time: r.last_stop_ms.map(epoch),
            recording: r.recording,
            last_status: r.last_start_ms.map(|_| "SUCCESS".to_owned()),
            last_status_change_time: r.status_change_ms.map(epoch),
        })
        .collect(),
    })
}

/// The recorder named `name` in the caller's Region.
fn recorder_mut<'w>(
    world: &'w mut World,
    ctx: &CallContext,
    name: Option<&str>,
) -> Result<&'w mut super::RegionConfig, ConfigError> {
    let name = name.unwrap_or_default();
    if name.is_empty() {
        return Err(constraint(
            name,
            "configurationRecorderName",
            "Member must have length greater than or equal to 1",
        ));
    }
    match world
        .services
        .config
        .regions
        .get_mut(&slot(&ctx.account, &ctx.region))
    {
        Some(region)
            if region
                .recorder
                .as_ref()
                .is_some_and(|r| r.spec.name.as_deref() == Some(name)) =>
        {
            Ok(region)
        }
        _ => Err(no_such_recorder(name)),
    }
}

pub(super) fn start_recorder(
    world: &mut World,
    ctx: &CallContext,
    r: &RecorderNameRequest,
) -> Result<EmptyResponse, ConfigError> {
    let now = world.now_ms();
    let region = recorder_mut(world, ctx, r.configuration_recorder_name.as_deref())?;
    if region.channel.is_none() {
        return Err(ConfigError::NoAvailableDeliveryChannelException(
            "Delivery channel is not available to start configuration recorder.".into(),
        ));
    }
    if let Some(rec) = region.recorder.as_mut().filter(|rec| !rec.recording) {
        rec.recording = true;
        rec.last_start_ms = Some(now);
        rec.status_change_ms = Some(now);
        // Recording starts with a configuration item for every recorded resource: the rules
        // triggered by configuration changes evaluate them.
        evaluate::run_region(world, &ctx.account, &ctx.region, evaluate::Run::Recorded);
    }
    Ok(EmptyResponse {})
}

pub(super) fn stop_recorder(
    world: &mut World,
    ctx: &CallContext,
    r: &RecorderNameRequest,
) -> Result<EmptyResponse, ConfigError> {
    let now = world.now_ms();
    let region = recorder_mut(world, ctx, r.configuration_recorder_name.as_deref())?;
    if let Some(rec) = region.recorder.as_mut().filter(|rec| rec.recording) {
        rec.recording = false;
        rec.last_stop_ms = Some(now);
        rec.status_change_ms = Some(now);
    }
    Ok(EmptyResponse {})
}

pub(super) fn put_channel(
    world: &mut World,
    ctx: &CallContext,
    r: PutDeliveryChannelRequest,
) -> Result<EmptyResponse, ConfigError> {
    let mut channel = r.delivery_channel.unwrap_or_default();
    let key = slot(&ctx.account, &ctx.region);
    let region = world.services.config.regions.get(&key);
    let Some(recorder) = region.and_then(|r| r.recorder.as_ref()) else {
        return Err(ConfigError::NoAvailableConfigurationRecorderException(
            "Configuration recorder is not available to put delivery channel.".into(),
        ));
    };
    let name = channel.name.clone().unwrap_or_else(|| DEFAULT_NAME.to_owned());
    if name.trim().is_empty() {
        return Err(ConfigError::InvalidDeliveryChannelNameException(format!(
            "The delivery channel name '{name}' is not valid, blank string."
        )));
    }
    if let Some(existing) = region.and_then(|r| r.channel.as_ref())
        && existing.name.as_deref() != Some(name.as_str())
    {
        return Err(ConfigError::MaxNumberOfDeliveryChannelsExceededException(
            format!(
                "Failed to put delivery channel '{name}' because the maximum number of delivery channels: 1 is reached."
            ),
        ));
    }
    let bucket = channel.s3_bucket_name.clone().unwrap_or_default();
    if bucket.is_empty() {
        return Err(ConfigError::NoSuchBucketException(
            "Cannot find a S3 bucket with an empty bucket name.".into(),
        ));
    }
    if channel.s3_key_prefix.as_deref() == Some("") {
        return Err(ConfigError::InvalidS3KeyPrefixException(
            "The s3 key prefix '' is not valid, empty s3 key prefix.".into(),
        ));
    }
    if let Some(k) = channel.s3_kms_key_arn.as_deref()
        && !(k.starts_with("arn:aws:kms:") && (k.contains(":key/") || k.contains(":alias/")))
    {
        return Err(ConfigError::InvalidS3KmsKeyArnException(format!(
            "The arn '{k}' is not a valid kms key or alias arn."
        )));
    }
    if channel.sns_topic_arn.as_deref() == Some("") {
        return Err(ConfigError::InvalidSNSTopicARNException(
            "The sns topic arn '' is not valid.".into(),
        ));
    }
    if let Some(f) = channel
        .config_snapshot_delivery_properties
        .as_ref()
        .and_then(|p| p.delivery_frequency.as_deref())
        && !FREQUENCIES.contains(&f)
    {
        return Err(ConfigError::InvalidDeliveryFrequency(format!(
            "1 validation error detected: Value '{f}' at 'deliveryChannel.configSnapshotDeliveryProperties.deliveryFrequency' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
            FREQUENCIES.join(", ")
        )));
    }
    let Some(owner) = world
        .services
        .s3
        .buckets
        .get(&bucket)
        .map(|b| b.account.clone())
    else {
        return Err(ConfigError::NoSuchBucketException(format!(
            "Cannot find a S3 bucket with name '{bucket}'."
        )));
    };
    let role = recorder.spec.role_arn.clone().unwrap_or_default();
    let service_role = role.ends_with(SERVICE_LINKED_ROLE);
    if (service_role || owner != ctx.account) && !config_may_write(world, ctx, &channel, &bucket) {
        let null = |v: Option<&String>| v.map_or_else(|| "null".to_owned(), Clone::clone);
        return Err(ConfigError::InsufficientDeliveryPolicyException(format!(
            "Insufficient delivery policy to s3 bucket: {bucket}, unable to write to bucket, provided s3 key prefix is '{}', provided kms key is '{}'.",
            null(channel.s3_key_prefix.as_ref()),
            null(channel.s3_kms_key_arn.as_ref()),
        )));
    }
    channel.name = Some(name);
    world
        .services
        .config
        .regions
        .entry(key)
        .or_default()
        .channel = Some(channel);
    Ok(EmptyResponse {})
}

/// Whether the bucket policy lets `config.amazonaws.com` check the bucket's ACL and write
/// under `[PREFIX/]AWSLogs/ACCOUNT/Config/`, as the developer guide's bucket policy grants.
fn config_may_write(
    world: &World,
    ctx: &CallContext,
    channel: &DeliveryChannel,
    bucket: &str,
) -> bool {
    let service = CallContext::aws_service("config", &ctx.account, &ctx.region);
    let source = vec![(
        "aws:SourceAccount".to_owned(),
        vec![ctx.account.clone()],
    )];
    let mut write = source.clone();
    write.push((
        "s3:x-amz-acl".to_owned(),
        vec!["bucket-owner-full-control".to_owned()],
    ));
    let prefix = channel
        .s3_key_prefix
        .as_deref()
        .map(|p| format!("{p}/"))
        .unwrap_or_default();
    crate::s3::bucket_allows_service(
        world,
        bucket,
        &service,
        "s3:GetBucketAcl",
        &format!("arn:aws:s3:::{bucket}"),
        &source,
    ) && crate::s3::bucket_allows_service(
        world,
        bucket,
        &service,
        "s3:PutObject",
        &format!(
            "arn:aws:s3:::{bucket}/{prefix}AWSLogs/{}/Config/{}/ConfigSnapshot.json.gz",
            ctx.account, ctx.region
        ),
        &write,
    )
}

pub(super) fn describe_channels(
    world: &World,
    ctx: &CallContext,
    r: &DescribeDeliveryChannelsRequest,
) -> Result<DescribeDeliveryChannelsResponse, ConfigError> {
    let channel = world
        .services
        .config
        .regions
        .get(&slot(&ctx.account, &ctx.region))
        .and_then(|r| r.channel.as_ref());
    let mut out = Vec::new();
    match r.delivery_channel_names.as_ref().filter(|n| !n.is_empty()) {
        None => out.extend(channel.cloned()),
        Some(names) => {
            for n in names {
                match channel {
                    Some(c) if c.name.as_deref() == Some(n.as_str()) => out.push(c.clone()),
                    _ => {
                        return Err(ConfigError::NoSuchDeliveryChannelException(format!(
                            "Cannot find delivery channel with specified name '{n}'."
                        )));
                    }
                }
            }
        }
    }
    Ok(DescribeDeliveryChannelsResponse {
        delivery_channels: out,
    })
}
