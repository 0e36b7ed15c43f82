// The shipped wasm build (the app, the wasm bench) is optimised for size: opt-level "z" and
// `wasm-opt -Oz`. The hot functions of a KMS call's path (`World::call` and the audit every
// service shares; KMS's decoding, authorization, crypto and encoding; the policy evaluator's
// statement and glob matching) are marked `#[cfg_attr(wasm_speed, optimize(speed))]`, and that
// build sets `--cfg wasm_speed` (`shipping_wasm` in xtask, with RUSTC_BOOTSTRAP=1, as it already
// is for `-Zbuild-std`). They are compiled for speed, which lets the small functions they call
// be inlined into them. Most sit in the chunk loaded at `ready`: the first download grew by
// about 0.2 KiB gzipped. Native builds and tests are stable Rust without the cfg.
#![cfg_attr(wasm_speed, feature(optimize_attribute))]
#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

/// Declares a service's operations: the typed request and response enums (one variant per
/// operation, with the JSON decoding and encoding `World::call` uses) and the service's typed
/// client on [`service::Client`] (one method per operation, through the same audited seam).
macro_rules! operations {
    (
        $req:ident / $resp:ident, $accessor:ident -> $client:ident for $svc:ty {
            $($method:ident: $op:ident($in:ty) -> $out:ty),* $(,)?
        }
    ) => {
        /// A typed request: one variant per operation, shaped like the AWS JSON API.
        #[derive(Debug)]
        pub enum $req {
            $(
                #[doc = concat!("The `", stringify!($op), "` operation.")]
                $op($in),
            )*
        }

        /// A typed response: one variant per operation.
        #[derive(Debug)]
        pub enum $resp {
            $(
                #[doc = concat!("The `", stringify!($op), "` response.")]
                $op($out),
            )*
        }

        impl $req {
            /// Decodes `input` as `operation`'s request; `None` for an unknown operation.
            pub fn decode(operation: &str, input: serde_json::Value) -> Option<Result<Self, serde_json::Error>> {
                match operation {
                    $(stringify!($op) => Some(serde_json::from_value::<$in>(input).map(Self::$op)),)*
                    _ => None,
                }
            }

            /// [`Self::decode`] reading `input` without taking it (the same answer).
            pub fn decode_ref(operation: &str, input: &serde_json::Value) -> Option<Result<Self, serde_json::Error>> {
                match operation {
                    $(stringify!($op) => Some(<$in as serde::Deserialize>::deserialize(input).map(Self::$op)),)*
                    _ => None,
                }
            }

            /// The operation's API name.
            pub fn operation(&self) -> &'static str {
                match self {
                    $(Self::$op(_) => stringify!($op),)*
                }
            }

            /// The request as AWS JSON input (absent members left out), as a JSON caller would
            /// have sent it: what the CloudTrail event of a typed call logs.
            pub fn to_input(&self) -> serde_json::Value {
                let v = match self {
                    $(Self::$op(r) => serde_json::to_value(r),)*
                };
                crate::service::without_nulls(v.unwrap_or_default())
            }
        }

        impl $resp {
            /// Encodes the response as its AWS JSON shape.
            pub fn encode(&self) -> Result<serde_json::Value, serde_json::Error> {
                match self {
                    $(Self::$op(r) => serde_json::to_value(r),)*
                }
            }

            /// The operation's API name.
            pub fn operation(&self) -> &'static str {
                match self {
                    $(Self::$op(_) => stringify!($op),)*
                }
            }
        }

        #[doc = concat!("The typed client of `", stringify!($svc), "` (`World::client(ctx).", stringify!($accessor), "()`): one method per operation, each one audited `World::call`.")]
        #[derive(Debug)]
        pub struct $client<'w>(crate::service::Client<'w>);

        impl<'w> crate::service::Client<'w> {
            #[doc = concat!("The typed `", stringify!($accessor), "` client.")]
            pub fn $accessor(self) -> $client<'w> {
                $client(self)
            }
        }

        impl $client<'_> {
            $(
                #[doc = concat!("`", stringify!($op), "`, through the audited seam (one CloudTrail event, one request counted).")]
                pub fn $method(&mut self, req: $in) -> Result<$out, <$svc as crate::service::Service>::Error> {
                    match self.0.call::<$svc>($req::$op(req))? {
                        $resp::$op(r) => Ok(r),
                        #[allow(unreachable_patterns, reason = "services with one operation")]
                        other => Err(<$svc as crate::service::Service>::internal(
                            crate::service::answered(stringify!($op), other.operation()),
                        )),
                    }
                }
            )*
        }
    };
}

/// Declares a service's error enum, one variant per AWS error code (with its HTTP status),
/// plus the client-side `EndpointConnection` every service can meet; implements
/// [`ServiceError`] for it. An optional `hint = FN` after the variants names the function that
/// gives the lab's explanation of an error ([`ServiceError::hint`]), kept out of AWS's message.
macro_rules! service_error {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $code:literal / $status:literal),* $(,)? } $(hint = $hint:path)?) => {
        $(#[$m])*
        #[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
        pub enum $name {
            $($(#[$vm])* #[error("{0}")] $variant(String),)*
            /// Client-side: the endpoint (Region) does not exist; no request was sent.
            #[error("{0}")]
            EndpointConnection(String),
        }

        impl $name {
            /// The AWS error code.
            pub fn code(&self) -> &'static str {
                match self {
                    $(Self::$variant(_) => $code,)*
                    Self::EndpointConnection(_) => "EndpointConnectionError",
                }
            }

            /// The HTTP status AWS answers with (0 for the client-side error).
            pub fn status(&self) -> u16 {
                match self {
                    $(Self::$variant(_) => $status,)*
                    Self::EndpointConnection(_) => 0,
                }
            }

            /// The wire form.
            pub fn to_aws(&self) -> $crate::AwsError {
                $crate::ServiceError::to_aws(self)
            }
        }

        impl $crate::ServiceError for $name {
            fn code(&self) -> std::borrow::Cow<'static, str> {
                $name::code(self).into()
            }
            fn status(&self) -> u16 {
                $name::status(self)
            }
            fn origin(&self) -> $crate::ErrorOrigin {
                if matches!(self, Self::EndpointConnection(_)) {
                    $crate::ErrorOrigin::Client
                } else {
                    $crate::ErrorOrigin::Service
                }
            }
            $(
                fn hint(&self) -> Option<String> {
                    $hint(self)
                }
            )?
        }
    };
}

/// Implements `ServiceError` for a service error enum that has its own `code()`, `status()` and
/// `message()`, an `EndpointConnection` variant (client side) and a `ManagedKey(KmsError)`
/// variant (the origin of the KMS error it wraps): the errors of S3, EC2 and RDS. An optional
/// `hint = FN` names the function that gives the lab's explanation ([`ServiceError::hint`]).
macro_rules! service_error_with_managed_key {
    ($name:ident $(, hint = $hint:path)?) => {
        impl $crate::ServiceError for $name {
            fn code(&self) -> std::borrow::Cow<'static, str> {
                $name::code(self)
            }
            fn status(&self) -> u16 {
                $name::status(self)
            }
            fn message(&self) -> String {
                $name::message(self)
            }
            fn origin(&self) -> $crate::ErrorOrigin {
                match self {
                    Self::EndpointConnection(_) => $crate::ErrorOrigin::Client,
                    Self::ManagedKey(e) => $crate::ServiceError::origin(e),
                    _ => $crate::ErrorOrigin::Service,
                }
            }
            $(
                fn hint(&self) -> Option<String> {
                    $hint(self)
                }
            )?
        }
    };
}

/// Declares a request struct whose members are all optional, read leniently
/// ([`lenient`]) and left out of the JSON when absent: the request shapes of S3, EC2 and RDS.
macro_rules! lenient_request {
    ($(#[$m:meta])* $name:ident { $($(#[$fm:meta])* $field:ident: $ty:ty = $wire:literal),* $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
        pub struct $name {
            $(
                $(#[$fm])*
                #[serde(rename = $wire, default, deserialize_with = "crate::lenient::opt", skip_serializing_if = "Option::is_none")]
                pub $field: Option<$ty>,
            )*
        }
    };
}

/// Registers the services that live beside the core (IAM, STS, KMS, CloudTrail): for each, its
/// folder (module), the type that is both its [`service::Service`] and its state in the world,
/// and one line of doc. Registering a service is one line of the `services!` invocation below:
/// it declares the module, gives [`World`] a field of that state (saved in the state file under
/// the module's name, absent in older files), a read-only accessor `world.<module>()`, and a
/// registry entry `World::call` dispatches through.
macro_rules! services {
    ($($(#[doc = $doc:literal])* $module:ident: $ty:ident),* $(,)?) => {
        $(pub mod $module;)*

        /// The state of every registered service beyond the core, flattened into [`World`]'s
        /// serde form (each under its module's name).
        #[derive(Clone, Debug, Default, serde::Serialize)]
        pub(crate) struct Services {
            $(
                $(#[doc = $doc])*
                #[serde(default)]
                pub(crate) $module: $module::$ty,
            )*
        }

        /// [`World`]'s serde form as it is read: the core members, then every registered
        /// service under its module's name (where the flattened [`Services`] writes it, absent
        /// in older files). One plain struct rather than `#[serde(flatten)]`, which would read
        /// every service's state through serde's buffered content: the same members, one
        /// decoding path.
        #[derive(serde::Deserialize)]
        pub(crate) struct WorldState {
            pub(crate) now_ms: i64,
            pub(crate) rng: env::WorldRng,
            pub(crate) iam: iam::Iam,
            pub(crate) kms: kms::Kms,
            pub(crate) trail: cloudtrail::CloudTrail,
            pub(crate) profiles: std::collections::BTreeMap<String, world::Profile>,
            pub(crate) default_profile: String,
            pub(crate) session_cache: std::collections::BTreeMap<String, world::CachedSession>,
            #[serde(default)]
            pub(crate) last_denials:
                std::collections::BTreeMap<String, authorize::AuthorizationRecord>,
            $(
                #[serde(default)]
                pub(crate) $module: $module::$ty,
            )*
        }

        impl WorldState {
            /// Moves the registered services' states out (leaving defaults behind).
            pub(crate) fn take_services(&mut self) -> Services {
                Services {
                    $($module: std::mem::take(&mut self.$module),)*
                }
            }
        }

        /// The aws-cli names of the registered services beyond the core.
        pub(crate) const REGISTERED: &[&str] = &[
            $(<$module::$ty as service::Service>::NAME,)*
        ];

        /// The engine's services: the registered services' and the core's entries and the
        /// hooks the world reaches them through ([`service::extension`]).
        pub(crate) static EXTENSION: service::Extension = service::Extension {
            services: &[$(service::Entry::of::<$module::$ty>(),)*],
            core: service::CORE,
            hooks: service::Hooks {
                config_after_change: config::after_change_run,
                events_after_call: eventbridge::after_call_run,
                events_on_kms_event: eventbridge::on_kms_service_event_run,
                asym: kms::asym::CRYPTO,
                kms_request: load::kms_request,
            },
        };

        impl World {
            $(
                $(#[doc = $doc])*
                #[doc = "(read-only; for UIs)"]
                pub fn $module(&self) -> &$module::$ty {
                    &self.services.$module
                }
            )*
        }
    };
}

/// Maps a serde decoding error to the AWS error a malformed request gets.
pub(crate) fn decode_error(
    validation_code: &str,
    operation: &str,
    e: &serde_json::Error,
) -> AwsError {
    let msg = e.to_string();
    if let Some(rest) = msg.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or_default();
        let member = kms::camel_member(field);
        return AwsError::new(
            validation_code,
            format!(
                "1 validation error detected: Value null at '{member}' failed to satisfy constraint: Member must not be null"
            ),
        );
    }
    AwsError::new(
        "SerializationException",
        format!("cannot read the {operation} request: {msg}"),
    )
}

mod arn;
mod authorize;
mod cloudtrail;
mod context;
pub mod env;
mod error;
pub mod iam;
pub mod kms;
mod lenient;
mod load;
pub mod local_crypto;
pub mod parts;
pub mod service;
mod service_kms;
pub mod sts;
mod world;

services! {
    /// S3 buckets and objects.
    s3: S3,
    /// EC2/EBS volumes, snapshots, instances and EBS encryption defaults.
    ec2: Ec2,
    /// RDS DB instances and snapshots.
    rds: Rds,
    /// CloudWatch Logs log groups, streams and events (encrypted by Logs' service principal).
    logs: Logs,
    /// Systems Manager Parameter Store parameters (SecureString values encrypted through KMS).
    ssm: Ssm,
    /// Secrets Manager secrets (every version sealed with a KMS data key).
    secretsmanager: SecretsManager,
    /// DynamoDB tables, items and backups (encrypted at rest under an AWS owned, AWS managed or customer managed key).
    dynamodb: DynamoDb,
    /// EFS file systems (encrypted at rest only if chosen at creation).
    efs: Efs,
    /// AWS Config: the configuration recorder, the delivery channel and AWS managed rules.
    config: Config,
    /// SQS queues and messages (SSE-SQS, or SSE-KMS with data keys reused for a period).
    sqs: Sqs,
    /// SNS topics, SQS subscriptions and publishing (SSE-KMS topics; deliveries as `sns.amazonaws.com`).
    sns: Sns,
    /// EventBridge rules and targets on the default bus, with KMS's own events.
    eventbridge: Events,
}

pub use arn::REGIONS;
pub use authorize::AuthorizationRecord;
pub use cloudtrail::{EventCounters, RETAINED_EVENTS, StoredEvent};
/// CloudTrail's `LookupEvents` and trail shapes (`world.client(&ctx).cloudtrail()`).
pub mod trail {
    pub use crate::cloudtrail::{
        CloudTrailClient, CreateTrailRequest, DescribeTrailsRequest, DescribeTrailsResponse, Event,
        GetTrailStatusResponse, LookupAttribute, LookupEventsRequest, LookupEventsResponse,
        Resource, Tag, Trail, TrailNameRequest, TrailResponse, Trails, UpdateTrailRequest,
    };
}
pub use context::{CallContext, IdentityType, ProfileInfo, RoleSession};
pub use error::{AwsError, ErrorOrigin, ServiceError};
pub use kms::quota::{CostLine, CostReport};
pub use lenient::StringList;
pub use load::{LoadReport, LoadRun};
/// The old name of [`local_crypto`] (it never was an AWS client), kept for existing callers.
pub use local_crypto as client;
pub use s3::BulkPut;
pub use world::World;

/// The partition every resource of the lab lives in.
pub const PARTITION: &str = "aws";
/// The Region used when a profile names none.
pub const DEFAULT_REGION: &str = "us-east-1";
/// The production account of the default world.
pub const PROD_ACCOUNT: &str = "111122223333";
/// The partner account of the default world.
pub const PARTNER_ACCOUNT: &str = "444455556666";
