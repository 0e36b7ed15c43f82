//! CloudTrail events as checks read them.

use cloud::StoredEvent;
use serde_json::Value;

/// One CloudTrail event, read through typed accessors.
#[derive(Clone, Copy, Debug)]
pub struct Event<'a>(&'a StoredEvent);

impl<'a> Event<'a> {
    pub(super) fn new(e: &'a StoredEvent) -> Self {
        Self(e)
    }

    /// `eventName`.
    pub fn name(&self) -> &'a str {
        &self.0.event_name
    }

    /// Whether the call succeeded (no `errorCode`).
    pub fn succeeded(&self) -> bool {
        self.0.error_code.is_none()
    }

    /// `errorCode`, if the call failed.
    pub fn error_code(&self) -> Option<&'a str> {
        self.0.error_code.as_deref()
    }

    /// Event time, epoch ms.
    pub fn time_ms(&self) -> i64 {
        self.0.event_time_ms
    }

    /// The resources' names (ARNs, or ids).
    pub fn resource_names(&self) -> impl Iterator<Item = &'a str> {
        self.0.resources.iter().map(|(_, name)| name.as_str())
    }

    fn member(&self, path: &[&str]) -> Option<&'a Value> {
        path.iter()
            .try_fold(&self.0.record, |v, name| v.as_object()?.get(*name))
    }

    /// A request parameter, by its API name (`DBSnapshotIdentifier`) or its camel-case form
    /// (`dBSnapshotIdentifier`, as CloudTrail writes most services' parameters).
    pub fn param(&self, name: &str) -> Option<&'a str> {
        self.param_value(name).and_then(Value::as_str)
    }

    /// A request parameter that is a number.
    pub fn param_i64(&self, name: &str) -> Option<i64> {
        self.param_value(name).and_then(Value::as_i64)
    }

    /// A request parameter that is a list of strings (empty when absent).
    pub fn param_list(&self, name: &str) -> Vec<&'a str> {
        self.param_value(name)
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    }

    fn param_value(&self, name: &str) -> Option<&'a Value> {
        let params = self.member(&["requestParameters"])?.as_object()?;
        let mut c = name.chars();
        let camel: String = c
            .next()
            .map(|f| f.to_lowercase().chain(c).collect())
            .unwrap_or_default();
        params.get(name).or_else(|| params.get(&camel))
    }

    /// The request parameters as JSON text (to look for a key id anywhere in them).
    pub fn params_text(&self) -> String {
        self.member(&["requestParameters"])
            .map(Value::to_string)
            .unwrap_or_default()
    }

    /// `userIdentity.arn`.
    pub fn caller_arn(&self) -> &'a str {
        self.member(&["userIdentity", "arn"])
            .and_then(Value::as_str)
            .unwrap_or_default()
    }

    /// `userIdentity.accountId`.
    pub fn caller_account(&self) -> &'a str {
        self.member(&["userIdentity", "accountId"])
            .and_then(Value::as_str)
            .unwrap_or_default()
    }

    /// The first resource's ARN (`resources[0].ARN`).
    pub fn first_resource_arn(&self) -> &'a str {
        self.member(&["resources"])
            .and_then(Value::as_array)
            .and_then(|r| r.first())
            .and_then(|r| r.get("ARN"))
            .and_then(Value::as_str)
            .unwrap_or_default()
    }
}
