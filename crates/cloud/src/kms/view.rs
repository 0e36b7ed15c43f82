//! Read-only views for user interfaces: no API call, no CloudTrail event.

use serde::Serialize;

use super::Kms;
use super::key::{KeyManager, KeyState};
use super::model::{KeyMetadata, Tag};

/// Everything a key page shows about one key.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct KeyView {
    /// `DescribeKey`'s metadata.
    pub metadata: KeyMetadata,
    /// Alias names pointing at the key.
    pub aliases: Vec<String>,
    /// The key's tags.
    pub tags: Vec<Tag>,
    /// Whether automatic rotation is enabled (as `GetKeyRotationStatus` reports it).
    pub rotation_enabled: bool,
    /// The rotation period in days.
    pub rotation_period_days: i64,
    /// The next automatic rotation (epoch ms), while enabled.
    pub next_rotation_ms: Option<i64>,
    /// Key material versions (1 + rotations).
    pub material_versions: usize,
    /// On-demand rotations used (of 25).
    pub on_demand_rotations: u32,
    /// Number of grants.
    pub grants: usize,
    /// The key policy text.
    pub policy: String,
}

impl Kms {
    /// The keys of an account and Region, sorted by key id (AWS managed keys included).
    pub fn key_views(&self, account: &str, region: &str) -> Vec<KeyView> {
        self.keys
            .values()
            .filter(|k| k.account == account && k.region == region)
            .map(|k| KeyView {
                metadata: self.metadata(k),
                aliases: self
                    .aliases
                    .values()
                    .filter(|a| a.target == k.slot())
                    .map(|a| a.name.clone())
                    .collect(),
                tags: k.tags.clone(),
                rotation_enabled: k.rotation_reported(),
                rotation_period_days: k.rotation.period_days,
                next_rotation_ms: if k.rotation_reported() {
                    k.rotation.next_ms
                } else {
                    None
                },
                material_versions: k.materials.len(),
                on_demand_rotations: k.rotation.on_demand_count,
                grants: k.grants.len(),
                policy: k.policy.source().to_owned(),
            })
            .collect()
    }

    /// The keys an account is billed for in a Region: customer managed keys that are not pending
    /// deletion (AWS managed keys are free to store; PendingDeletion keys are not billed).
    pub fn billable_keys(&self, account: &str, region: &str) -> usize {
        self.keys
            .values()
            .filter(|k| k.account == account && k.region == region)
            .filter(|k| {
                k.manager == KeyManager::Customer
                    && !matches!(
                        k.state,
                        KeyState::PendingDeletion { .. } | KeyState::PendingReplicaDeletion { .. }
                    )
            })
            .count()
    }
}
