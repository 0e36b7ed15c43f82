//! Read-only views of the world for the console pages.
//!
//! They call the same entry point as everyone else, but on a copy of the world, so looking at a
//! page leaves no CloudTrail event, cost or AWS managed key behind (the real console's own
//! ListKeys/DescribeKey calls would; the lab keeps the trail for what the learner does).

use serde_json::{Value, json};

use crate::state::LabState;

/// A KMS key as the keys table shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct KeyRow {
    pub key_id: String,
    pub arn: String,
    pub aliases: Vec<String>,
    pub description: String,
    pub state: String,
    pub key_spec: String,
    pub key_usage: String,
    pub manager: String,
    pub origin: String,
    pub created: f64,
    pub metadata: Value,
}

/// An error the page shows instead of the table (for example AccessDeniedException).
#[derive(Clone, Debug, PartialEq)]
pub struct ViewError {
    pub code: String,
    pub message: String,
}

impl From<cloud::AwsError> for ViewError {
    fn from(e: cloud::AwsError) -> Self {
        ViewError {
            code: e.code,
            message: e.message,
        }
    }
}

/// Every KMS key the current profile can see in its account and Region, with aliases.
pub fn kms_keys(lab: &LabState) -> Result<Vec<KeyRow>, ViewError> {
    let mut session = lab.snapshot();
    let world = &mut session.world;
    let ctx = world.context_for_profile(None, None)?;
    let mut ids = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let mut input = json!({ "Limit": 1000 });
        if let Some(m) = &marker {
            input["Marker"] = json!(m);
        }
        let page = world.call(&ctx, "kms", "ListKeys", input)?;
        for k in page["Keys"].as_array().into_iter().flatten() {
            if let Some(id) = k["KeyId"].as_str() {
                ids.push(id.to_owned());
            }
        }
        match page["NextMarker"].as_str() {
            Some(m) if page["Truncated"].as_bool() == Some(true) => marker = Some(m.to_owned()),
            _ => break,
        }
    }
    let aliases = world.call(&ctx, "kms", "ListAliases", json!({ "Limit": 100 }))?;
    let alias_list: Vec<(String, String)> = aliases["Aliases"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| {
            Some((
                a["TargetKeyId"].as_str()?.to_owned(),
                a["AliasName"].as_str()?.to_owned(),
            ))
        })
        .collect();
    let mut rows = Vec::new();
    for id in ids {
        let Ok(d) = world.call(&ctx, "kms", "DescribeKey", json!({ "KeyId": id })) else {
            continue;
        };
        let m = &d["KeyMetadata"];
        let s = |k: &str| m[k].as_str().unwrap_or_default().to_owned();
        rows.push(KeyRow {
            aliases: alias_list
                .iter()
                .filter(|(t, _)| *t == id)
                .map(|(_, a)| a.clone())
                .collect(),
            key_id: id,
            arn: s("Arn"),
            description: s("Description"),
            state: s("KeyState"),
            key_spec: s("KeySpec"),
            key_usage: s("KeyUsage"),
            manager: s("KeyManager"),
            origin: s("Origin"),
            created: m["CreationDate"].as_f64().unwrap_or_default(),
            metadata: m.clone(),
        });
    }
    Ok(rows)
}

/// One call on a copy of the world, as the current profile in `region`.
pub fn peek(
    lab: &LabState,
    region: &str,
    service: &str,
    operation: &str,
    input: Value,
) -> Result<Value, ViewError> {
    Peek::new(lab).call(region, service, operation, input)
}

/// Several read calls on one copy of the world (a page's reads copy the world once, not per
/// call). Nothing done here reaches the lab: no CloudTrail event, cost or managed key.
#[derive(Debug)]
pub struct Peek {
    session: awscli::Session,
}

impl Peek {
    /// A copy of the lab's world to read from.
    pub fn new(lab: &LabState) -> Self {
        Peek {
            session: lab.snapshot(),
        }
    }

    /// One call as the current profile in `region`.
    pub fn call(
        &mut self,
        region: &str,
        service: &str,
        operation: &str,
        input: Value,
    ) -> Result<Value, ViewError> {
        let world = &mut self.session.world;
        let ctx = world.context_for_profile(None, Some(region))?;
        Ok(world.call(&ctx, service, operation, input)?)
    }
}
