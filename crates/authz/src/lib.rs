#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod explain;
mod gate;
mod grant;
mod iam;
mod input;
mod kms;
mod managed;
mod message;

pub use explain::{
    ContextEntry, Explanation, GrantTrace, GrantVerdict, PolicyTrace, StatementRole, StatementTrace,
};
pub use gate::{DecidingGate, EvaluationStep, ResourceGate, S3Gate};
pub use grant::{
    GRANT_OPERATIONS, GRANT_PROPAGATION_MS, RetireRight, grantee_matches, retire_right,
};
pub use iam::{IamDecision, IamGate, authorize_assume_role, authorize_identity_only};
pub use input::{
    Caller, CallerKind, CallerKindView, CallerView, GrantFacts, KeyFacts, KeyManager, KmsRequest,
    NamedPolicy,
};
pub use kms::{
    CROSS_ACCOUNT_KMS_ACTIONS, Gate, KmsDecision, KmsQuery, KmsVerdict, authorize_kms, decide_kms,
    decide_kms_request, kms_policy_context, kms_request_context,
};
pub use managed::{LockoutError, aws_managed_key_policy, lockout_check};
pub use message::{DenialKind, access_denied};
