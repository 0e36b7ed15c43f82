// The evaluator's hot functions are compiled for speed in the shipped wasm build, which is
// otherwise optimised for size (see `cloud`'s crate root).
#![cfg_attr(wasm_speed, feature(optimize_attribute))]
#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod condition;
mod context;
mod datetime;
mod document;
mod error;
mod eval;
mod glob;

pub use condition::{
    Condition, ConditionCheck, ConditionNote, ConditionOperator, OperatorKind, SetQualifier,
};
pub use context::{
    ConditionValues, KindView, LazyContext, Principal, PrincipalKind, PrincipalView, RequestContext,
};
pub use document::{
    ActionBlock, ActionPattern, Effect, Limits, PolicyDocument, PolicyKind, PrincipalBlock,
    PrincipalId, ResourceBlock, Statement, Version,
};
pub use error::{AwsService, Location, PolicyError, Problem, SizeUnit};
pub use eval::{
    Decision, ElementMatch, Evaluation, Outcome, PrincipalMatch, Reason, Request, StatementResult,
    Verdict, combine, evaluate,
};
