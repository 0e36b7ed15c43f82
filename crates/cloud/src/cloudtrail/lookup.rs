//! `LookupEvents`: the API over the trail (the caller's account and Region, as the event
//! history is), its model, its errors and its [`Service`] impl.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::World;
use crate::context::CallContext;
use crate::env::parse_time;
use crate::error::AwsError;
use crate::service::{CallAudit, Service};

use super::{CloudTrail, StoredEvent, trails};

impl CloudTrail {
    fn lookup_events(
        &self,
        ctx: &CallContext,
        req: &LookupEventsRequest,
    ) -> Result<LookupEventsResponse, CloudTrailError> {
        if req.lookup_attributes.len() > 1 {
            return Err(CloudTrailError::InvalidLookupAttributes(
                "You can only specify one lookup attribute per request.".into(),
            ));
        }
        let max = req.max_results.unwrap_or(50);
        if !(1..=50).contains(&max) {
            return Err(CloudTrailError::InvalidMaxResults(
                "MaxResults must be between 1 and 50.".into(),
            ));
        }
        let start = req
            .start_time
            .as_ref()
            .map(|t| {
                time_arg(t).ok_or_else(|| {
                    CloudTrailError::InvalidTimeRange(format!("invalid StartTime `{t}`"))
                })
            })
            .transpose()?;
        let end = req
            .end_time
            .as_ref()
            .map(|t| {
                time_arg(t).ok_or_else(|| {
                    CloudTrailError::InvalidTimeRange(format!("invalid EndTime `{t}`"))
                })
            })
            .transpose()?;
        if let (Some(s), Some(e)) = (start, end)
            && s > e
        {
            return Err(CloudTrailError::InvalidTimeRange(
                "Start time must be earlier than end time.".into(),
            ));
        }
        if let Some(cat) = &req.event_category {
            if cat != "insight" {
                return Err(CloudTrailError::InvalidEventCategory(format!(
                    "invalid EventCategory `{cat}`"
                )));
            }
            return Ok(LookupEventsResponse::default());
        }
        let attr = req.lookup_attributes.first();
        if let Some(a) = attr {
            const KEYS: &[&str] = &[
                "EventId",
                "EventName",
                "ReadOnly",
                "Username",
                "ResourceType",
                "ResourceName",
                "EventSource",
                "AccessKeyId",
            ];
            if !KEYS.contains(&a.attribute_key.as_str()) {
                return Err(CloudTrailError::InvalidLookupAttributes(format!(
                    "invalid AttributeKey `{}`; valid keys: {}",
                    a.attribute_key,
                    KEYS.join(", ")
                )));
            }
        }
        // NextToken = the eventID of the first event of the next page. Event history holds
        // management events only: data events (S3 object and DynamoDB item calls) reach a
        // trail with data-event selectors, never the history.
        let mut matching = self.events().rev().filter(|ev| {
            ev.accounts.contains(&ctx.account)
                && ev.record["managementEvent"] != Value::Bool(false)
                && ev.region == ctx.region
                && start.is_none_or(|s| ev.event_time_ms >= s)
                && end.is_none_or(|e| ev.event_time_ms <= e)
                && attr.is_none_or(|a| matches_attribute(ev, &a.attribute_key, &a.attribute_value))
        });
        let mut page: Vec<&StoredEvent> = Vec::new();
        if let Some(tok) = &req.next_token {
            let mut found = false;
            for ev in matching.by_ref() {
                if &ev.event_id == tok {
                    page.push(ev);
                    found = true;
                    break;
                }
            }
            if !found {
                return Err(CloudTrailError::InvalidNextToken(
                    "Invalid NextToken".into(),
                ));
            }
        }
        let max = usize::try_from(max).unwrap_or(50);
        for ev in matching.by_ref() {
            if page.len() == max {
                break;
            }
            page.push(ev);
        }
        let next = matching.next().map(|ev| ev.event_id.clone());
        let events = page
            .iter()
            .map(|ev| Event {
                event_id: ev.event_id.clone(),
                event_name: ev.event_name.clone(),
                read_only: if ev.read_only { "true" } else { "false" }.to_owned(),
                access_key_id: ev.access_key_id.clone(),
                event_time: crate::env::epoch_seconds(ev.event_time_ms)
                    .as_f64()
                    .unwrap_or_default(),
                event_source: ev.event_source.clone(),
                username: ev.username.clone(),
                resources: ev
                    .resources
                    .iter()
                    .map(|(t, n)| Resource {
                        resource_type: t.clone(),
                        resource_name: n.clone(),
                    })
                    .collect(),
                cloud_trail_event: ev.record.to_string(),
            })
            .collect();
        Ok(LookupEventsResponse {
            events,
            next_token: next,
        })
    }
}

fn time_arg(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_f64().and_then(|f| parse_time(&f.to_string())),
        Value::String(s) => parse_time(s),
        _ => None,
    }
}

fn matches_attribute(ev: &StoredEvent, key: &str, value: &str) -> bool {
    match key {
        "EventId" => ev.event_id == value,
        "EventName" => ev.event_name == value,
        "ReadOnly" => (if ev.read_only { "true" } else { "false" }) == value,
        "Username" => ev.username.as_deref() == Some(value),
        "ResourceType" => ev.resources.iter().any(|(t, _)| t == value),
        "ResourceName" => ev
            .resources
            .iter()
            .any(|(_, n)| n == value || n.rsplit_once('/').is_some_and(|(_, id)| id == value)),
        "EventSource" => ev.event_source == value,
        "AccessKeyId" => ev.access_key_id.as_deref() == Some(value),
        _ => false,
    }
}

/// One `LookupAttributes` entry.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct LookupAttribute {
    /// `EventName`, `ResourceName`, ….
    pub attribute_key: String,
    /// The value to match.
    pub attribute_value: String,
}

/// `LookupEvents`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct LookupEventsRequest {
    /// At most one attribute to match (left out of a typed call's logged input when empty, as
    /// a JSON caller leaves it out).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lookup_attributes: Vec<LookupAttribute>,
    /// Epoch seconds (number) or a date-time string.
    pub start_time: Option<Value>,
    /// Epoch seconds (number) or a date-time string.
    pub end_time: Option<Value>,
    /// Only `insight` (which answers no events).
    pub event_category: Option<String>,
    /// 1 to 50 (default 50).
    pub max_results: Option<i64>,
    /// The `NextToken` of the previous page.
    pub next_token: Option<String>,
}

/// One `LookupEvents` resource (`Resource`).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Resource {
    /// E.g. `AWS::KMS::Key`.
    pub resource_type: String,
    /// Its ARN or name.
    pub resource_name: String,
}

/// One `LookupEvents` event (`Event`): the indexed attributes plus the full record. Members in
/// botocore's order; the ones the lab always answers are plain values.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Event {
    /// `eventID`.
    pub event_id: String,
    /// `eventName`.
    pub event_name: String,
    /// `"true"` or `"false"` (text, as AWS answers it).
    pub read_only: String,
    /// The access key used, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_key_id: Option<String>,
    /// Epoch seconds (the aws-cli prints it as a date).
    pub event_time: f64,
    /// E.g. `kms.amazonaws.com`.
    pub event_source: String,
    /// The user name (user, role session or service), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// The resources the event names.
    pub resources: Vec<Resource>,
    /// The full CloudTrail record as JSON text (as AWS answers it).
    pub cloud_trail_event: String,
}

/// `LookupEvents` response.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct LookupEventsResponse {
    /// This page's events, newest first.
    pub events: Vec<Event>,
    /// The next page's token (the `EventId` of its first event), when more follow.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

operations!(CloudTrailRequest / CloudTrailResponse, cloudtrail -> CloudTrailClient for CloudTrail {
    lookup_events: LookupEvents(LookupEventsRequest) -> LookupEventsResponse,
    create_trail: CreateTrail(trails::CreateTrailRequest) -> trails::TrailResponse,
    update_trail: UpdateTrail(trails::UpdateTrailRequest) -> trails::TrailResponse,
    start_logging: StartLogging(trails::TrailNameRequest) -> trails::EmptyResponse,
    stop_logging: StopLogging(trails::TrailNameRequest) -> trails::EmptyResponse,
    describe_trails: DescribeTrails(trails::DescribeTrailsRequest) -> trails::DescribeTrailsResponse,
    get_trail_status: GetTrailStatus(trails::TrailNameRequest) -> trails::GetTrailStatusResponse,
    delete_trail: DeleteTrail(trails::TrailNameRequest) -> trails::EmptyResponse,
});

service_error!(
    /// CloudTrail errors, named after the AWS error codes.
    CloudTrailError {
        /// More than one attribute, or an unknown attribute key.
        InvalidLookupAttributes = "InvalidLookupAttributesException" / 400,
        /// `MaxResults` out of 1..=50.
        InvalidMaxResults = "InvalidMaxResultsException" / 400,
        /// A malformed or reversed time range.
        InvalidTimeRange = "InvalidTimeRangeException" / 400,
        /// An event category other than `insight`.
        InvalidEventCategory = "InvalidEventCategoryException" / 400,
        /// A `NextToken` that names no event.
        InvalidNextToken = "InvalidNextTokenException" / 400,
        /// The caller may not call `cloudtrail:LookupEvents`.
        AccessDenied = "AccessDeniedException" / 400,
        /// A trail name that breaks the naming rules.
        InvalidTrailName = "InvalidTrailNameException" / 400,
        /// No such trail in the caller's account.
        TrailNotFound = "TrailNotFoundException" / 400,
        /// A trail of that name exists in the Region.
        TrailAlreadyExists = "TrailAlreadyExistsException" / 400,
        /// A malformed trail ARN.
        CloudTrailArnInvalid = "CloudTrailARNInvalidException" / 400,
        /// A trail changed outside its home Region.
        InvalidHomeRegion = "InvalidHomeRegionException" / 400,
        /// More than five trails in one Region.
        MaximumNumberOfTrailsExceeded = "MaximumNumberOfTrailsExceededException" / 400,
        /// The trail's bucket does not exist.
        S3BucketDoesNotExist = "S3BucketDoesNotExistException" / 400,
        /// The bucket policy does not let CloudTrail write.
        InsufficientS3BucketPolicy = "InsufficientS3BucketPolicyException" / 400,
        /// The key policy does not let CloudTrail describe the key or generate data keys.
        InsufficientEncryptionPolicy = "InsufficientEncryptionPolicyException" / 400,
        /// The KMS key does not exist.
        KmsKeyNotFound = "KmsKeyNotFoundException" / 400,
        /// Another KMS failure (a disabled key, …).
        Kms = "KmsException" / 400,
        /// A member the operation does not take, or a feature the lab does not model.
        InvalidParameter = "InvalidParameterException" / 400,
        /// An internal failure (never expected).
        InternalFailure = "InternalFailure" / 500,
    }
);

impl Service for CloudTrail {
    const NAME: &'static str = "cloudtrail";
    type Request = CloudTrailRequest;
    type Response = CloudTrailResponse;
    type Error = CloudTrailError;

    fn operation(req: &CloudTrailRequest) -> &'static str {
        req.operation()
    }

    fn decode(operation: &str, input: Value) -> Result<CloudTrailRequest, AwsError> {
        match CloudTrailRequest::decode(operation, input) {
            Some(req) => req.map_err(|e| {
                AwsError::new(
                    "InvalidParameterException",
                    format!("invalid {operation} request: {e}"),
                )
            }),
            None => Err(AwsError::new(
                "UnknownOperationException",
                format!("the lab's CloudTrail models LookupEvents and trails, not `{operation}`"),
            )),
        }
    }

    fn encode(resp: CloudTrailResponse) -> Result<Value, AwsError> {
        resp.encode()
            .map_err(|e| CloudTrailError::InternalFailure(e.to_string()).to_aws())
    }

    fn audit_input(req: &CloudTrailRequest) -> Value {
        req.to_input()
    }

    fn client_side(e: AwsError) -> CloudTrailError {
        CloudTrailError::EndpointConnection(e.message)
    }

    fn internal(message: String) -> CloudTrailError {
        CloudTrailError::InternalFailure(message)
    }

    fn handle(
        world: &mut World,
        ctx: &CallContext,
        req: CloudTrailRequest,
        audit: &mut CallAudit,
    ) -> Result<CloudTrailResponse, CloudTrailError> {
        match req {
            CloudTrailRequest::LookupEvents(r) => {
                authorize_lookup(world, ctx, audit)?;
                world
                    .trail
                    .lookup_events(ctx, &r)
                    .map(CloudTrailResponse::LookupEvents)
            }
            other => trails::handle(world, ctx, other, audit),
        }
    }

    /// CloudTrail authorizes `LookupEvents` before it reads the request.
    fn handle_json(
        world: &mut World,
        ctx: &CallContext,
        operation: &str,
        input: Value,
        audit: &mut CallAudit,
    ) -> Result<Value, AwsError> {
        if operation == "LookupEvents" {
            authorize_lookup(world, ctx, audit).map_err(|e| e.to_aws())?;
        }
        let resp = match Self::decode(operation, input)? {
            CloudTrailRequest::LookupEvents(r) => world
                .trail
                .lookup_events(ctx, &r)
                .map(CloudTrailResponse::LookupEvents),
            other => trails::handle(world, ctx, other, audit),
        };
        Self::encode(resp.map_err(|e| e.to_aws())?)
    }
}

/// `cloudtrail:LookupEvents` is identity-only; an allowed lookup is read-only.
fn authorize_lookup(
    world: &World,
    ctx: &CallContext,
    audit: &mut CallAudit,
) -> Result<(), CloudTrailError> {
    crate::authorize::identity_only(
        &world.iam,
        ctx,
        "cloudtrail:LookupEvents",
        "*",
        &[],
        world.now_ms(),
        &mut audit.authorizations,
    )
    .map_err(CloudTrailError::AccessDenied)?;
    audit.read_only = true;
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::{LookupAttribute, LookupEventsRequest};
    use crate::World;

    /// Typed `LookupEvents` pages print as the JSON pages, byte for byte.
    #[test]
    fn typed_lookup_events_prints_as_the_json_answer() {
        let mut typed = World::new(3, 1_795_377_600_000);
        let a = typed.context_for_profile(None, None).unwrap();
        for _ in 0..3 {
            typed.call(&a, "iam", "ListRoles", json!({})).unwrap();
        }
        let _ = typed.call(&a, "iam", "GetRole", json!({ "RoleName": "Nobody" }));
        // The role profile's AssumeRole, then a call as the role.
        let app = typed.context_for_profile(Some("app"), None).unwrap();
        let _ = typed.call(&app, "kms", "ListKeys", json!({}));
        let mut json = typed.clone();
        let b = json.context_for_profile(None, None).unwrap();
        let cases = [
            (
                LookupEventsRequest {
                    max_results: Some(2),
                    ..LookupEventsRequest::default()
                },
                json!({ "MaxResults": 2 }),
            ),
            (
                LookupEventsRequest {
                    lookup_attributes: vec![LookupAttribute {
                        attribute_key: "EventName".into(),
                        attribute_value: "AssumeRole".into(),
                    }],
                    ..LookupEventsRequest::default()
                },
                json!({ "LookupAttributes": [{ "AttributeKey": "EventName", "AttributeValue": "AssumeRole" }] }),
            ),
            (
                LookupEventsRequest {
                    event_category: Some("insight".into()),
                    ..LookupEventsRequest::default()
                },
                json!({ "EventCategory": "insight" }),
            ),
            (LookupEventsRequest::default(), json!({})),
        ];
        let mut printed = Vec::new();
        for (req, input) in cases {
            let t = typed.client(&a).cloudtrail().lookup_events(req).unwrap();
            let j = json.call(&b, "cloudtrail", "LookupEvents", input).unwrap();
            let t = serde_json::to_string(&t).unwrap();
            assert_eq!(t, serde_json::to_string(&j).unwrap());
            printed.push(t);
        }
        let first: Value = serde_json::from_str(&printed[0]).unwrap();
        assert_eq!(first["Events"].as_array().map(Vec::len), Some(2));
        assert!(first["NextToken"].is_string());
        let assumed: Value = serde_json::from_str(&printed[1]).unwrap();
        let ev = &assumed["Events"][0];
        let keys: Vec<&str> = ev.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "EventId",
                "EventName",
                "ReadOnly",
                "AccessKeyId",
                "EventTime",
                "EventSource",
                "Username",
                "Resources",
                "CloudTrailEvent"
            ]
        );
        assert_eq!(ev["ReadOnly"], json!("true"));
        assert_eq!(ev["EventTime"], json!(1_795_377_600.0));
        assert_eq!(
            ev["Resources"],
            json!([{ "ResourceType": "AWS::IAM::Role", "ResourceName": "arn:aws:iam::111122223333:role/AppRole" }])
        );
        assert!(ev["CloudTrailEvent"].is_string());
        assert_eq!(printed[2], r#"{"Events":[]}"#);
        let records = |w: &World| w.events().map(|e| e.record.clone()).collect::<Vec<_>>();
        assert_eq!(records(&typed), records(&json));
    }
}
