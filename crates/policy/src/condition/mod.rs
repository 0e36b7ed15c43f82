//! The `Condition` element: operators, typed values and their evaluation.
//!
//! Semantics follow
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html>
//! and <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html>:
//!
//! - several operators in a block, and several keys under one operator, are AND'ed;
//! - several values for one key are OR'ed, or NOR'ed for negated operators
//!   (`StringNotEquals`, `StringNotLike`, `ArnNotLike`, `NotIpAddress`, …);
//! - a key missing from the request makes the condition false, except that a
//!   negated operator is then true, `…IfExists` is then true, `ForAllValues:`
//!   is then true and `ForAnyValue:` is then false. A key present with an
//!   empty list of values counts as missing;
//! - `Null` tests presence: `"true"` means "the key is absent".
//!
//! One concern per file: this file holds the parsed [`Condition`]; `operator` the operator
//! names (`ForAnyValue:StringLikeIfExists`); `values` the typed policy values (numbers, dates,
//! CIDR blocks, …); `parse` the `Condition` element's parsing; `check` the evaluation against a
//! request, with its evidence.

mod check;
mod operator;
mod parse;
mod values;

pub use check::{ConditionCheck, ConditionNote};
pub use operator::{ConditionOperator, OperatorKind, SetQualifier};
pub(crate) use parse::parse_block;
use values::Values;

/// One `operator: { key: values }` pair of a `Condition` block.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    operator: ConditionOperator,
    key: String,
    key_lower: String,
    raw_values: Vec<String>,
    values: Values,
}

// f64 values come from parsed JSON and are always finite.
impl Eq for Condition {}

impl Condition {
    /// The operator.
    pub fn operator(&self) -> ConditionOperator {
        self.operator
    }

    /// The condition key as written in the policy.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The policy values as written.
    pub fn values(&self) -> &[String] {
        &self.raw_values
    }
}

#[cfg(test)]
mod tests;
