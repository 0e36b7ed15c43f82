//! KMS: keys, aliases, grants, rotation and real AES-256-GCM cryptography.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::cloudtrail::{CallAudit, CloudTrail};
use crate::context::CallContext;
use crate::env::WorldRng;
use crate::error::AwsError;
use crate::iam::Iam;

/// `KeyId` -> `keyId`: the member name AWS uses in validation messages.
pub(crate) fn camel_member(name: &str) -> String {
    crate::cloudtrail::camel(name)
}

/// KMS errors (skeleton; completed with the operations).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum KmsError {
    /// The operation is not modelled yet.
    #[error("{0}")]
    UnsupportedOperation(String),
}

impl KmsError {
    /// The AWS error code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::UnsupportedOperation(_) => "UnsupportedOperationException",
        }
    }

    pub(crate) fn to_aws(&self) -> AwsError {
        AwsError::new(self.code(), self.to_string())
    }
}

/// The KMS state of every account and Region.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Kms {
    keys: BTreeMap<String, Value>,
}

impl Kms {
    pub(crate) fn next_due(&self, _until: i64) -> Option<i64> {
        None
    }

    pub(crate) fn run_due(&mut self, _now: i64, _rng: &mut WorldRng, _trail: &mut CloudTrail) {}

    #[expect(
        clippy::too_many_arguments,
        reason = "the world's pieces are passed explicitly"
    )]
    pub(crate) fn call(
        &mut self,
        _ctx: &CallContext,
        operation: &str,
        _input: Value,
        _audit: &mut CallAudit,
        _now: i64,
        _rng: &mut WorldRng,
        _iam: &Iam,
    ) -> Result<Value, AwsError> {
        Err(
            KmsError::UnsupportedOperation(format!("the lab does not implement {operation} yet"))
                .to_aws(),
        )
    }

    pub(crate) fn aws_managed_key(
        &mut self,
        _account: &str,
        _region: &str,
        service: &str,
        _now: i64,
        _rng: &mut WorldRng,
    ) -> Result<String, KmsError> {
        Err(KmsError::UnsupportedOperation(format!(
            "aws/{service} is not implemented yet"
        )))
    }
}
