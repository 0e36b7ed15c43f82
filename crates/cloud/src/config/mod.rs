//! AWS Config: the configuration recorder, the delivery channel and AWS managed rules that
//! evaluate the encryption of the lab's resources
//! (<https://docs.aws.amazon.com/config/latest/developerguide/how-does-config-work.html>,
//! <https://docs.aws.amazon.com/config/latest/developerguide/evaluate-config.html>):
//! - one **configuration recorder** and one **delivery channel** per account and Region: the
//!   recorder must exist before the channel (`NoAvailableConfigurationRecorderException`), the
//!   channel before the recorder can start (`NoAvailableDeliveryChannelException`), and a rule
//!   can only be added once a recorder exists;
//! - the channel's bucket must exist; Config writes to it as `config.amazonaws.com` when the
//!   recorder uses the service-linked role `AWSServiceRoleForConfig` or the bucket belongs to
//!   another account, so its policy must then allow `s3:GetBucketAcl` and `s3:PutObject`
//!   (<https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-policy.html>); with a
//!   custom role on a bucket of the same account the role's own permissions are used (the lab
//!   does not model the role's policies);
//! - **AWS managed rules** are named by their source identifiers ([`managed`]); each evaluates
//!   what its page in the developer guide says. Rules triggered by **configuration changes**
//!   evaluate from recorded configuration items: when a rule is added, when the recorder
//!   starts, after every change to a recorded resource of their scope (the world's call seam
//!   tells Config, `after_change`) and on demand (`StartConfigRulesEvaluation`); while the
//!   recorder is stopped nothing is recorded and their results stay as they were. **Periodic**
//!   rules evaluate when added, every `MaximumExecutionFrequency` (24 hours by default) on the
//!   world's clock, and on demand;
//! - results name resources as Config does (`AWS::EC2::Volume` `vol-…`, `AWS::RDS::DBInstance`
//!   by its `DbiResourceId`, `AWS::S3::Bucket` by name, …); a rule's compliance is
//!   `NON_COMPLIANT` if any resource is, `COMPLIANT` if some resource is, else
//!   `INSUFFICIENT_DATA`.
//!
//! The aws-cli calls the service `configservice`; its endpoint and CloudTrail event source are
//! `config`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

mod checks;
mod error;
mod evaluate;
pub mod managed;
pub mod model;
mod rules;
mod service;
mod setup;

pub use error::ConfigError;
pub(crate) use evaluate::{after_change, after_change_run};
pub use model::{ConfigClient, ConfigRequest, ConfigResponse};

/// A stored configuration recorder and its recording state.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Recorder {
    /// The recorder as `DescribeConfigurationRecorders` shows it.
    pub spec: model::ConfigurationRecorder,
    pub recording: bool,
    pub last_start_ms: Option<i64>,
    pub last_stop_ms: Option<i64>,
    pub status_change_ms: Option<i64>,
}

/// One evaluation result of a rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct StoredResult {
    pub resource_type: String,
    pub resource_id: String,
    pub compliance: managed::ComplianceType,
    pub invoked_ms: i64,
    pub recorded_ms: i64,
}

/// A rule and its latest results.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct StoredRule {
    /// The rule as `DescribeConfigRules` shows it.
    pub spec: model::ConfigRule,
    /// The parsed `InputParameters`.
    pub params: BTreeMap<String, String>,
    pub created_ms: i64,
    /// Results by `TYPE ID`; `None` until the rule first evaluated.
    pub results: Option<BTreeMap<String, StoredResult>>,
    /// A periodic rule's next evaluation.
    pub next_periodic_ms: Option<i64>,
}

/// AWS Config in one account and Region.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub(crate) struct RegionConfig {
    pub recorder: Option<Recorder>,
    pub channel: Option<model::DeliveryChannel>,
    pub rules: BTreeMap<String, StoredRule>,
}

/// The AWS Config state of every account and Region, by `ACCOUNT/REGION`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Config {
    pub(crate) regions: BTreeMap<String, RegionConfig>,
}

impl Config {
    /// The number of Config rules in every account and Region.
    pub fn rule_count(&self) -> usize {
        self.regions.values().map(|r| r.rules.len()).sum()
    }
}

/// The `ACCOUNT/REGION` slot.
pub(crate) fn slot(account: &str, region: &str) -> String {
    format!("{account}/{region}")
}

/// Epoch seconds, as Config's JSON shows timestamps.
pub(crate) fn epoch(ms: i64) -> f64 {
    #[expect(clippy::cast_precision_loss, reason = "ms timestamps fit f64 exactly")]
    let secs = ms as f64 / 1000.0;
    secs
}
