#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Model-based property test: a simple model of key lifecycle, aliases, rotation and
//! encryption, checked against the engine through `World::call` after every step.

mod common;
use std::collections::BTreeMap;

use common::*;
use proptest::prelude::*;
use serde_json::{Value, json};

#[derive(Clone, Debug)]
enum Op {
    Create,
    Enable(usize),
    Disable(usize),
    Schedule(usize, i64),
    Cancel(usize),
    Advance(i64),
    CreateAlias(u8, usize),
    UpdateAlias(u8, usize),
    DeleteAlias(u8),
    EnableRotation(usize, i64),
    DisableRotation(usize),
    RotateOnDemand(usize),
    Encrypt(usize, u8),
    Decrypt(usize),
}

fn op() -> impl Strategy<Value = Op> {
    let k = 0usize..4;
    prop_oneof![
        2 => Just(Op::Create),
        1 => k.clone().prop_map(Op::Enable),
        1 => k.clone().prop_map(Op::Disable),
        1 => (k.clone(), 7i64..=30).prop_map(|(k, d)| Op::Schedule(k, d)),
        1 => k.clone().prop_map(Op::Cancel),
        2 => (0i64..200).prop_map(Op::Advance),
        1 => (0u8..3, k.clone()).prop_map(|(a, k)| Op::CreateAlias(a, k)),
        1 => (0u8..3, k.clone()).prop_map(|(a, k)| Op::UpdateAlias(a, k)),
        1 => (0u8..3).prop_map(Op::DeleteAlias),
        1 => (k.clone(), prop_oneof![Just(90i64), Just(120), Just(365)]).prop_map(|(k, p)| Op::EnableRotation(k, p)),
        1 => k.clone().prop_map(Op::DisableRotation),
        1 => k.clone().prop_map(Op::RotateOnDemand),
        2 => (k.clone(), any::<u8>()).prop_map(|(k, b)| Op::Encrypt(k, b)),
        2 => (0usize..8).prop_map(Op::Decrypt),
    ]
}

#[derive(Clone, Debug, PartialEq)]
enum St {
    Enabled,
    Disabled,
    Pending(i64),
    Deleted,
}

#[derive(Clone, Debug)]
struct MKey {
    id: String,
    st: St,
    created: i64,
    rotation: Option<(i64, i64)>, // (period days, next due ms)
    last_auto: Option<i64>,
    rotations: usize,
}

#[derive(Default)]
struct Model {
    now: i64,
    keys: Vec<MKey>,
    aliases: BTreeMap<u8, usize>,
    blobs: Vec<(String, usize, u8)>,
}

impl Model {
    /// The expected error code for a key that must be usable.
    fn usable(&self, k: usize) -> Option<&'static str> {
        match self.keys[k].st {
            St::Enabled => None,
            St::Disabled => Some("DisabledException"),
            St::Pending(_) => Some("KMSInvalidStateException"),
            St::Deleted => Some("NotFoundException"),
        }
    }

    fn advance_to(&mut self, target: i64) {
        loop {
            // Next due event over all keys (deletion or rotation of an enabled key).
            let next = self
                .keys
                .iter()
                .enumerate()
                .filter_map(|(i, k)| match (&k.st, k.rotation) {
                    (St::Pending(t), _) => Some((*t, i)),
                    (St::Enabled, Some((_, due))) => Some((due, i)),
                    _ => None,
                })
                .filter(|(t, _)| *t <= target)
                .min();
            let Some((t, _)) = next else { break };
            self.now = self.now.max(t);
            for i in 0..self.keys.len() {
                let k = &mut self.keys[i];
                match (&k.st, k.rotation) {
                    (St::Pending(d), _) if *d <= self.now => {
                        k.st = St::Deleted;
                        self.aliases.retain(|_, v| *v != i);
                    }
                    (St::Enabled, Some((p, due))) if due <= self.now => {
                        k.rotations += 1;
                        k.last_auto = Some(self.now);
                        k.rotation = Some((p, self.now + p * DAY));
                    }
                    _ => {}
                }
            }
        }
        self.now = target;
    }
}

fn code(r: &Result<Value, cloud::AwsError>) -> Option<&str> {
    r.as_ref().err().map(|e| e.code.as_str())
}

fn check(lab: &mut Lab, m: &Model) -> Result<(), TestCaseError> {
    for k in &m.keys {
        let r = lab.kms("DescribeKey", json!({ "KeyId": k.id }));
        match &k.st {
            St::Deleted => prop_assert_eq!(code(&r), Some("NotFoundException")),
            st => {
                let md = r.unwrap()["KeyMetadata"].clone();
                let want = match st {
                    St::Enabled => "Enabled",
                    St::Disabled => "Disabled",
                    _ => "PendingDeletion",
                };
                prop_assert_eq!(md["KeyState"].as_str(), Some(want));
                let rot = lab.ok("ListKeyRotations", json!({ "KeyId": k.id }));
                prop_assert_eq!(
                    rot["Rotations"].as_array().unwrap().len(),
                    k.rotations,
                    "rotations of {}",
                    k.id
                );
                let status = lab.ok("GetKeyRotationStatus", json!({ "KeyId": k.id }));
                let on = k.rotation.is_some() && !matches!(st, St::Pending(_));
                prop_assert_eq!(status["KeyRotationEnabled"].as_bool(), Some(on));
            }
        }
    }
    let listed = lab.ok("ListAliases", json!({ "Limit": 100 }));
    let mut got: Vec<(String, String)> = listed["Aliases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| !a["AliasName"].as_str().unwrap().starts_with("alias/aws/"))
        .map(|a| {
            (
                a["AliasName"].as_str().unwrap().to_owned(),
                a["TargetKeyId"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    got.sort();
    let want: Vec<(String, String)> = m
        .aliases
        .iter()
        .map(|(a, k)| (format!("alias/a{a}"), m.keys[*k].id.clone()))
        .collect();
    prop_assert_eq!(got, want);
    Ok(())
}

fn run(ops: Vec<Op>) -> Result<(), TestCaseError> {
    let mut lab = Lab::new();
    // The model does not model request quotas (many calls happen at one simulated instant).
    lab.w.set_request_quotas(false);
    let mut m = Model {
        now: START,
        ..Model::default()
    };
    for op in ops {
        if m.keys.is_empty() && !matches!(op, Op::Create | Op::Advance(_)) {
            continue;
        }
        let pick = |k: usize| k % m.keys.len().max(1);
        match op {
            Op::Create => {
                let id = lab.create_key();
                m.keys.push(MKey {
                    id,
                    st: St::Enabled,
                    created: m.now,
                    rotation: None,
                    last_auto: None,
                    rotations: 0,
                });
            }
            Op::Enable(k) | Op::Disable(k) => {
                let k = pick(k);
                let enable = matches!(op, Op::Enable(_));
                let r = lab.kms(
                    if enable { "EnableKey" } else { "DisableKey" },
                    json!({ "KeyId": m.keys[k].id }),
                );
                let want = match m.keys[k].st {
                    St::Deleted => Some("NotFoundException"),
                    St::Pending(_) => Some("KMSInvalidStateException"),
                    _ => None,
                };
                prop_assert_eq!(code(&r), want);
                if want.is_none() {
                    let key = &mut m.keys[k];
                    key.st = if enable { St::Enabled } else { St::Disabled };
                    if let (true, Some((p, due))) = (enable, key.rotation)
                        && due <= m.now
                    {
                        key.rotations += 1;
                        key.last_auto = Some(m.now);
                        key.rotation = Some((p, m.now + p * DAY));
                    }
                }
            }
            Op::Schedule(k, days) => {
                let k = pick(k);
                let r = lab.kms(
                    "ScheduleKeyDeletion",
                    json!({ "KeyId": m.keys[k].id, "PendingWindowInDays": days }),
                );
                let want = match m.keys[k].st {
                    St::Deleted => Some("NotFoundException"),
                    St::Pending(_) => Some("KMSInvalidStateException"),
                    _ => None,
                };
                prop_assert_eq!(code(&r), want);
                if want.is_none() {
                    m.keys[k].st = St::Pending(m.now + days * DAY);
                }
            }
            Op::Cancel(k) => {
                let k = pick(k);
                let r = lab.kms("CancelKeyDeletion", json!({ "KeyId": m.keys[k].id }));
                let want = match m.keys[k].st {
                    St::Deleted => Some("NotFoundException"),
                    St::Pending(_) => None,
                    _ => Some("KMSInvalidStateException"),
                };
                prop_assert_eq!(code(&r), want);
                if want.is_none() {
                    m.keys[k].st = St::Disabled;
                }
            }
            Op::Advance(days) => {
                lab.w.advance_clock(days * DAY);
                m.advance_to(m.now + days * DAY);
                prop_assert_eq!(lab.w.now_ms(), m.now);
            }
            Op::CreateAlias(a, k) | Op::UpdateAlias(a, k) => {
                let k = pick(k);
                let create = matches!(op, Op::CreateAlias(..));
                let r = lab.kms(
                    if create { "CreateAlias" } else { "UpdateAlias" },
                    json!({ "AliasName": format!("alias/a{a}"), "TargetKeyId": m.keys[k].id }),
                );
                let target_err = match m.keys[k].st {
                    St::Deleted => Some("NotFoundException"),
                    St::Pending(_) => Some("KMSInvalidStateException"),
                    _ => None,
                };
                let exists = m.aliases.contains_key(&a);
                let want = if create {
                    target_err.or(exists.then_some("AlreadyExistsException"))
                } else if !exists {
                    Some("NotFoundException")
                } else {
                    target_err
                };
                prop_assert_eq!(code(&r), want);
                if want.is_none() {
                    m.aliases.insert(a, k);
                }
            }
            Op::DeleteAlias(a) => {
                let r = lab.kms("DeleteAlias", json!({ "AliasName": format!("alias/a{a}") }));
                let want = (!m.aliases.contains_key(&a)).then_some("NotFoundException");
                prop_assert_eq!(code(&r), want);
                m.aliases.remove(&a);
            }
            Op::EnableRotation(k, period) => {
                let k = pick(k);
                let r = lab.kms(
                    "EnableKeyRotation",
                    json!({ "KeyId": m.keys[k].id, "RotationPeriodInDays": period }),
                );
                let want = m.usable(k);
                prop_assert_eq!(code(&r), want);
                if want.is_none() {
                    let key = &mut m.keys[k];
                    let base = if key.rotation.is_some() {
                        key.last_auto.unwrap_or(key.created)
                    } else {
                        m.now
                    };
                    key.rotation = Some((period, (base + period * DAY).max(m.now)));
                }
            }
            Op::DisableRotation(k) => {
                let k = pick(k);
                let r = lab.kms("DisableKeyRotation", json!({ "KeyId": m.keys[k].id }));
                let want = m.usable(k);
                prop_assert_eq!(code(&r), want);
                if want.is_none() {
                    m.keys[k].rotation = None;
                }
            }
            Op::RotateOnDemand(k) => {
                let k = pick(k);
                let r = lab.kms("RotateKeyOnDemand", json!({ "KeyId": m.keys[k].id }));
                let want = m.usable(k);
                prop_assert_eq!(code(&r), want);
                if want.is_none() {
                    m.keys[k].rotations += 1;
                }
            }
            Op::Encrypt(k, byte) => {
                let k = pick(k);
                let r = lab.kms(
                    "Encrypt",
                    json!({ "KeyId": m.keys[k].id, "Plaintext": b64(&[byte; 3]) }),
                );
                let want = m.usable(k);
                prop_assert_eq!(code(&r), want);
                if let Ok(v) = r {
                    m.blobs
                        .push((v["CiphertextBlob"].as_str().unwrap().to_owned(), k, byte));
                }
            }
            Op::Decrypt(b) => {
                if m.blobs.is_empty() {
                    continue;
                }
                let (blob, k, byte) = m.blobs[b % m.blobs.len()].clone();
                let r = lab.decrypt(&blob, Value::Null);
                let want = m.usable(k);
                prop_assert_eq!(r.as_ref().err().map(|e| e.code.as_str()), want);
                if let Ok(pt) = r {
                    prop_assert_eq!(pt, vec![byte; 3]);
                }
            }
        }
        check(&mut lab, &m)?;
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn engine_matches_model(ops in proptest::collection::vec(op(), 1..40)) {
        run(ops)?;
    }
}
