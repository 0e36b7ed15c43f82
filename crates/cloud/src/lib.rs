#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

/// Declares a service's typed request and response enums, one variant per operation, with the
/// JSON decoding and encoding `World::call` uses.
macro_rules! operations {
    ($req:ident / $resp:ident { $($op:ident($in:ty) -> $out:ty),* $(,)? }) => {
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

            /// The operation's API name.
            pub fn operation(&self) -> &'static str {
                match self {
                    $(Self::$op(_) => stringify!($op),)*
                }
            }
        }

        impl $resp {
            /// Encodes the response as its AWS JSON shape.
            pub fn encode(&self) -> Result<serde_json::Value, serde_json::Error> {
                match self {
                    $(Self::$op(r) => serde_json::to_value(r),)*
                }
            }
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
pub mod ec2;
pub mod env;
mod error;
pub mod iam;
pub mod kms;
mod load;
pub mod local_crypto;
mod query_input;
pub mod rds;
pub mod s3;
mod service_kms;
pub mod sts;
mod world;

pub use arn::REGIONS;
pub use authorize::AuthorizationRecord;
pub use cloudtrail::{EventCounters, RETAINED_EVENTS, StoredEvent};
pub use context::{CallContext, IdentityType, ProfileInfo, RoleSession};
pub use error::{AwsError, ErrorOrigin, ServiceError};
pub use kms::quota::{CostLine, CostReport};
pub use load::LoadReport;
/// The old name of [`local_crypto`] (it never was an AWS client), kept for existing callers.
pub use local_crypto as client;
pub use world::World;

/// The partition every resource of the lab lives in.
pub const PARTITION: &str = "aws";
/// The Region used when a profile names none.
pub const DEFAULT_REGION: &str = "us-east-1";
/// The production account of the default world.
pub const PROD_ACCOUNT: &str = "111122223333";
/// The partner account of the default world.
pub const PARTNER_ACCOUNT: &str = "444455556666";
