//! Request-rate quotas (per account and Region, per simulated second) and the cost meter.
//!
//! Quotas follow the KMS developer guide ("Request quotas"): the shared symmetric cryptographic
//! quota is 10,000/s, 20,000/s or 100,000/s depending on the Region; RSA and ECC operations have
//! 1,000/s each; `CreateKey` 5/s, `CreateGrant` 50/s, `DescribeKey` 2,000/s, `RotateKeyOnDemand`
//! 5/s, `GetPublicKey` 2,000/s. A request over quota answers `ThrottlingException` and is not
//! billed. Requests that AWS services make on a user's behalf count like any other.
//!
//! Prices (aws.amazon.com/kms/pricing, us-east-1): $1 per key-month, prorated hourly (730 hours
//! a month), +$1 for each of the first two rotations; $0.03 per 10,000 symmetric and management
//! requests and requests with RSA_2048 keys; $0.15 per 10,000 other asymmetric requests; $0.10
//! per 10,000 ECC GenerateDataKeyPair requests; $12.00 per 10,000 RSA GenerateDataKeyPair
//! requests. The free tier (20,000 requests a month) covers symmetric and management requests
//! only.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::asym::Spec;
use super::key::{Key, KeyManager, KeyState};

/// The shared symmetric quota.
pub const SYMMETRIC: &str = "Cryptographic operations (symmetric) request rate";
/// RSA operations.
pub const RSA: &str = "Cryptographic operations (RSA) request rate";
/// ECC operations.
pub const ECC: &str = "Cryptographic operations (ECC) request rate";

/// Price classes of requests.
pub mod price {
    /// Symmetric, HMAC and management requests: $0.03 per 10,000 (free tier applies).
    pub const STANDARD: &str = "standard";
    /// Requests with RSA_2048 keys: $0.03 per 10,000.
    pub const RSA_2048: &str = "asymmetric RSA_2048";
    /// Other asymmetric requests: $0.15 per 10,000.
    pub const ASYMMETRIC: &str = "asymmetric (except RSA_2048)";
    /// ECC GenerateDataKeyPair: $0.10 per 10,000.
    pub const ECC_PAIR: &str = "ECC GenerateDataKeyPair";
    /// RSA GenerateDataKeyPair: $12.00 per 10,000.
    pub const RSA_PAIR: &str = "RSA GenerateDataKeyPair";

    /// USD per 10,000 requests of a class.
    pub fn per_10k(class: &str) -> f64 {
        match class {
            ASYMMETRIC => 0.15,
            ECC_PAIR => 0.10,
            RSA_PAIR => 12.0,
            _ => 0.03,
        }
    }
}

const FREE_TIER: u64 = 20_000;
const HOURS_PER_MONTH: f64 = 730.0;

/// The shared symmetric quota of a Region.
pub fn symmetric_limit(region: &str) -> u64 {
    match region {
        "us-east-1" | "us-west-2" | "eu-west-1" => 100_000,
        "us-east-2" | "ap-southeast-1" | "ap-southeast-2" | "ap-northeast-1" | "eu-central-1"
        | "eu-west-2" => 20_000,
        _ => 10_000,
    }
}

/// The request-rate quota an operation counts toward (name and limit per second), given the
/// spec of the key it uses.
#[cfg_attr(wasm_speed, optimize(speed))]
pub fn quota_for(operation: &str, spec: Option<&str>, region: &str) -> Option<(&'static str, u64)> {
    let spec = spec.and_then(Spec::parse);
    let asym = match spec {
        Some(s) if s.is_rsa() => Some((RSA, 1_000)),
        Some(s) if s.is_ecc() => Some((ECC, 1_000)),
        _ => None,
    };
    match operation {
        "Encrypt" | "Decrypt" | "ReEncrypt" | "Sign" | "Verify" | "DeriveSharedSecret" => {
            Some(asym.unwrap_or((SYMMETRIC, symmetric_limit(region))))
        }
        "GenerateDataKey"
        | "GenerateDataKeyWithoutPlaintext"
        | "GenerateDataKeyPair"
        | "GenerateDataKeyPairWithoutPlaintext"
        | "GenerateMac"
        | "VerifyMac"
        | "GenerateRandom" => Some((SYMMETRIC, symmetric_limit(region))),
        "CreateKey" => Some(("CreateKey request rate", 5)),
        "CreateGrant" => Some(("CreateGrant request rate", 50)),
        "DescribeKey" => Some(("DescribeKey request rate", 2_000)),
        "RotateKeyOnDemand" => Some(("RotateKeyOnDemand request rate", 5)),
        "GetPublicKey" => Some(("GetPublicKey request rate", 2_000)),
        _ => None,
    }
}

/// The price class of a request.
pub fn price_class(operation: &str, spec: Option<&str>, pair_spec: Option<&str>) -> &'static str {
    if operation.starts_with("GenerateDataKeyPair") {
        return match pair_spec {
            Some(p) if p.starts_with("RSA") => price::RSA_PAIR,
            _ => price::ECC_PAIR,
        };
    }
    match spec {
        Some("RSA_2048") => price::RSA_2048,
        Some(s)
            if Spec::parse(s).is_some_and(|s| s.is_rsa() || s.is_ecc() || s.is_post_quantum()) =>
        {
            price::ASYMMETRIC
        }
        _ => price::STANDARD,
    }
}

/// Per-second request counters.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Quotas {
    /// `ACCOUNT/REGION/QUOTA` -> (simulated second, requests in it).
    window: BTreeMap<String, (i64, u64)>,
}

impl Quotas {
    /// Admits up to `n` requests at `now_ms`; returns how many were admitted.
    pub(crate) fn admit(
        &mut self,
        account: &str,
        region: &str,
        quota: &str,
        limit: u64,
        now_ms: i64,
        n: u64,
    ) -> u64 {
        let second = now_ms.div_euclid(1000);
        let slot = self
            .window
            .entry(format!("{account}/{region}/{quota}"))
            .or_insert((second, 0));
        if slot.0 != second {
            *slot = (second, 0);
        }
        let ok = n.min(limit.saturating_sub(slot.1));
        slot.1 += ok;
        ok
    }
}

/// One account's usage in one calendar month.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub(crate) struct MonthUsage {
    /// Billable key time in milliseconds, weighted by the rotation surcharge (1 to 3).
    key_ms: u64,
    /// Requests per price class.
    requests: BTreeMap<String, u64>,
}

/// The cost meter: per account, per calendar month.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Meter {
    months: BTreeMap<String, BTreeMap<String, MonthUsage>>,
    /// Key time is accrued up to this instant.
    accrued_to_ms: Option<i64>,
    /// Key time spent pending deletion, per key ARN: not billed while the deletion stands,
    /// billed in full if it is cancelled ("as though it was never scheduled for deletion", AWS
    /// KMS pricing).
    #[serde(default)]
    pending: BTreeMap<String, PendingTime>,
}

/// A key's time pending deletion: its account, and the key-ms per month (`YYYY-MM`).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct PendingTime {
    account: String,
    months: BTreeMap<String, u64>,
}

impl Meter {
    /// Counts `n` billed requests of `class` for `account` at `now_ms`.
    #[cfg_attr(wasm_speed, optimize(speed))]
    pub(crate) fn request(&mut self, account: &str, class: &str, now_ms: i64, n: u64) {
        crate::env::with_month(now_ms, |month| {
            // The counter exists after an account's first request of the month: no allocation.
            if let Some(c) = self
                .months
                .get_mut(account)
                .and_then(|m| m.get_mut(month))
                .and_then(|u| u.requests.get_mut(class))
            {
                *c += n;
                return;
            }
            *self
                .months
                .entry(account.to_owned())
                .or_default()
                .entry(month.to_owned())
                .or_default()
                .requests
                .entry(class.to_owned())
                .or_default() += n;
        });
    }

    /// Accrues key storage from the last accrual to `to_ms` (keys do not change in between).
    pub(crate) fn accrue<'a>(&mut self, keys: impl Iterator<Item = &'a Key> + Clone, to_ms: i64) {
        let mut from = self.accrued_to_ms.unwrap_or(to_ms);
        self.accrued_to_ms = Some(to_ms.max(from));
        while from < to_ms {
            let (month, end) = crate::env::month_of(from);
            let until = end.min(to_ms);
            let span = u64::try_from(until - from).unwrap_or(0);
            for k in keys.clone() {
                if k.manager != KeyManager::Customer {
                    continue;
                }
                let rotations = k.materials.iter().filter(|m| m.rotation.is_some()).count();
                let weight = 1 + u64::try_from(rotations.min(2)).unwrap_or(2);
                if matches!(
                    k.state,
                    KeyState::PendingDeletion { .. } | KeyState::PendingReplicaDeletion { .. }
                ) {
                    let p = self.pending.entry(k.arn.clone()).or_default();
                    p.account.clone_from(&k.account);
                    *p.months.entry(month.clone()).or_default() += span * weight;
                    continue;
                }
                self.months
                    .entry(k.account.clone())
                    .or_default()
                    .entry(month.clone())
                    .or_default()
                    .key_ms += span * weight;
            }
            from = until;
        }
    }

    /// A deletion was cancelled: the time the key spent pending deletion is billed after all.
    pub(crate) fn deletion_cancelled(&mut self, arn: &str) {
        let p = self.pending.remove(arn).unwrap_or_default();
        for (month, ms) in p.months {
            self.months
                .entry(p.account.clone())
                .or_default()
                .entry(month)
                .or_default()
                .key_ms += ms;
        }
    }

    /// A key was deleted: its pending-deletion time is never billed.
    pub(crate) fn deletion_done(&mut self, arn: &str) {
        self.pending.remove(arn);
    }

    /// The bill of `account` for `month` (`YYYY-MM`).
    pub(crate) fn report(&self, account: &str, month: &str) -> CostReport {
        let usage = self
            .months
            .get(account)
            .and_then(|m| m.get(month))
            .cloned()
            .unwrap_or_default();
        #[expect(clippy::cast_precision_loss, reason = "money display")]
        let key_months = usage.key_ms as f64 / (HOURS_PER_MONTH * 3_600_000.0);
        let standard = usage.requests.get(price::STANDARD).copied().unwrap_or(0);
        let free = standard.min(FREE_TIER);
        let mut lines = Vec::new();
        let mut request_cost = 0.0;
        for (class, n) in &usage.requests {
            let billed = if class == price::STANDARD {
                n - free
            } else {
                *n
            };
            #[expect(clippy::cast_precision_loss, reason = "money display")]
            let usd = billed as f64 / 10_000.0 * price::per_10k(class);
            request_cost += usd;
            lines.push(CostLine {
                class: class.clone(),
                requests: *n,
                billed_requests: billed,
                usd_per_10k: price::per_10k(class),
                usd,
            });
        }
        CostReport {
            account: account.to_owned(),
            month: month.to_owned(),
            key_months,
            key_usd: key_months,
            requests: lines,
            free_tier_requests: free,
            request_usd: request_cost,
            total_usd: key_months + request_cost,
        }
    }
}

/// One request price class on a bill.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CostLine {
    /// The price class.
    pub class: String,
    /// Requests made.
    pub requests: u64,
    /// Requests billed (after the free tier).
    pub billed_requests: u64,
    /// The price per 10,000 requests.
    #[serde(rename = "USDPer10k")]
    pub usd_per_10k: f64,
    /// The charge.
    #[serde(rename = "USD")]
    pub usd: f64,
}

/// An account's KMS bill for one calendar month (all Regions).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CostReport {
    /// The account.
    pub account: String,
    /// `YYYY-MM`.
    pub month: String,
    /// Key-months billed (rotation surcharges count as extra key-months).
    pub key_months: f64,
    /// Key storage charge ($1 per key-month).
    #[serde(rename = "KeyUSD")]
    pub key_usd: f64,
    /// Requests per price class.
    pub requests: Vec<CostLine>,
    /// Requests covered by the free tier.
    pub free_tier_requests: u64,
    /// Request charges.
    #[serde(rename = "RequestUSD")]
    pub request_usd: f64,
    /// Total.
    #[serde(rename = "TotalUSD")]
    pub total_usd: f64,
}
