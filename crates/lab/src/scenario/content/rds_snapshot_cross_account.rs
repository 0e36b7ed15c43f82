//! `rds-snapshot-cross-account`: the orders database is encrypted with `aws/rds`, whose snapshots
//! cannot be shared. Copy the snapshot with a customer managed key, open that key to the partner
//! account so that RDS can copy it for the partner (CreateGrant only for AWS resources, no kms:*,
//! no Principal "*"), share the copy, and let the partner copy it
//! with its own key and restore. Graded by RDS and KMS calls as `admin` and `partner-admin` in
//! the clone, including a restore with the source key disabled.

use serde_json::json;

use super::{Checks, PARTNER, PROD};
use crate::scenario::probe::policies::{allows_everyone, gives_account_every_action};
use crate::scenario::probe::shapes::{DbInstance, DbSnapshot};
use crate::scenario::{Probe, Seen, Verdict};

const PARTNER_USER: &str = "arn:aws:iam::444455556666:user/PartnerAdmin";
/// The source instance and its nightly manual snapshot (encrypted with aws/rds; `setup.aws`).
const DB: &str = "orders-db";
const SNAP: &str = "orders-db-nightly";
/// Instance id the independence probe restores in the clone.
const PROBE_DB: &str = "kmslab-independence-probe";
/// Ids the key check gives its throw-away snapshots in the clone.
const PROBE_SNAP: &str = "kmslab-key-probe";

pub(super) const CHECKS: Checks = Checks {
    id: "rds-snapshot-cross-account",
    objectives: &[
        ("cmk-snapshot", cmk_copy),
        ("key-for-partner", key_for_partner),
        ("shared", shared),
        ("partner-copy", partner_copy),
        ("partner-restore", partner_restore),
    ],
    wrong_turns: &[
        ("shared-aws-rds", shared_aws_rds),
        ("public", public),
        ("broad-key-policy", broad_policy),
        ("create-grant-unconditioned", grant_unconditioned),
        ("restored-directly", restored_directly),
        ("partner-uses-source-key", partner_source_key),
        ("copy-refused", copy_refused),
    ],
    ..Checks::BASE
};

/// The account of a key ARN (`arn:aws:kms:REGION:ACCOUNT:key/ID`).
fn key_account(arn: &str) -> &str {
    arn.split(':').nth(4).unwrap_or_default()
}

/// Whether a key is customer managed, asked by its own account (`None`: unknown).
fn customer_managed(p: &mut Probe, arn: &str) -> Option<bool> {
    let profile = if key_account(arn) == PARTNER {
        "partner-admin"
    } else {
        "admin"
    };
    p.kms(profile)
        .describe_key(arn)
        .ok()
        .map(|m| m.customer_managed())
}

/// Snapshots of the orders database that `profile`'s account owns (copies keep the source's
/// DBInstanceIdentifier).
fn lineage(p: &mut Probe, profile: &str) -> Vec<DbSnapshot> {
    p.rds(profile)
        .snapshots()
        .unwrap_or_default()
        .into_iter()
        .filter(|s| s.instance == DB)
        .collect()
}

/// Source snapshots encrypted with a customer managed key of the source account.
fn cmk_snapshots(p: &mut Probe) -> Vec<DbSnapshot> {
    let all = lineage(p, "admin");
    all.into_iter()
        .filter(|s| {
            s.encrypted
                && key_account(&s.kms_key_id) == PROD
                && customer_managed(p, &s.kms_key_id) == Some(true)
        })
        .collect()
}

/// The restore attribute of a source snapshot.
fn restore_values(p: &mut Probe, id: &str) -> Vec<String> {
    p.rds("admin").restore_accounts(id).unwrap_or_default()
}

/// The keys the partner would need: those of shared customer-managed-key snapshots, else of any
/// such snapshot, else the prepared alias/rds-share key.
fn share_keys(p: &mut Probe) -> Vec<String> {
    let snaps = cmk_snapshots(p);
    let mut shared = Vec::new();
    let mut other = Vec::new();
    for s in &snaps {
        let bucket = if restore_values(p, &s.id).iter().any(|a| a == PARTNER) {
            &mut shared
        } else {
            &mut other
        };
        if !bucket.contains(&s.kms_key_id) {
            bucket.push(s.kms_key_id.clone());
        }
    }
    if !shared.is_empty() {
        return shared;
    }
    if !other.is_empty() {
        return other;
    }
    vec![format!(
        "arn:aws:kms:us-east-1:{PROD}:key/{}",
        p.var("SHARE_KEY")
    )]
}

/// Whether the partner may create a grant on `key` directly (not through an AWS service).
fn partner_may_grant(p: &mut Probe, key: &str) -> bool {
    p.kms("partner-admin")
        .call(
            "CreateGrant",
            json!({ "KeyId": key, "GranteePrincipal": PARTNER_USER, "Operations": ["Decrypt"] }),
        )
        .is_ok()
}

/// Whether an Allow statement of `key`'s policy gives the partner account every KMS action.
fn partner_gets_everything(p: &mut Probe, key: &str) -> bool {
    p.key_policy(key)
        .is_some_and(|pol| gives_account_every_action(&pol, PARTNER))
}

fn short(key: &str) -> &str {
    key.rsplit('/').next().unwrap_or(key)
}

/// The ARN of a source snapshot of the orders data encrypted with `key` and shared with the
/// partner, and a note on what the check had to do in the clone to get it: a snapshot the
/// learner already shared; else one of theirs under `key`, shared here; else a copy of the
/// nightly snapshot made with `key` here and shared. So the key is judged on its own,
/// whatever the learner did (or not yet) with snapshots and sharing.
fn shared_source(p: &mut Probe, key: &str) -> Result<(String, &'static str), String> {
    let k = short(key);
    let mine: Vec<DbSnapshot> = cmk_snapshots(p)
        .into_iter()
        .filter(|s| s.kms_key_id == key)
        .collect();
    for s in &mine {
        if restore_values(p, &s.id).iter().any(|v| v == PARTNER) {
            return Ok((s.arn.clone(), ""));
        }
    }
    let (id, arn, note) = match mine.first() {
        Some(s) => (
            s.id.clone(),
            s.arn.clone(),
            " (shared with it for this check)",
        ),
        None => {
            let copy = p
                .rds("admin")
                .copy_snapshot(SNAP, PROBE_SNAP, key)
                .map_err(|e| {
                    format!(
                        "No snapshot of {DB} is encrypted with key {k}, and copying {SNAP} with it as admin fails ({}).",
                        e.code
                    )
                })?;
            (
                PROBE_SNAP.to_owned(),
                copy.arn,
                " (a copy of orders-db-nightly under that key, made and shared for this check)",
            )
        }
    };
    // A snapshot or copy that RDS is still creating cannot be shared: wait for it, as the
    // learner would (`aws rds wait db-snapshot-available`).
    p.settle();
    p.rds("admin")
        .share_snapshot(&id, PARTNER)
        .map_err(|e| format!("Sharing {id} with 444455556666 fails ({}).", e.code))?;
    Ok((arn, note))
}

/// Graded by the real thing: in the clone, the partner copies a snapshot encrypted with `key`
/// and shared with it, into its own account with a key of its own — exactly what RDS needs the
/// key policy to allow, whatever conditions (kms:ViaService, grant constraints) narrow it. Then
/// the least-privilege guards: no direct CreateGrant by the partner, no kms:* for it, no
/// unconditioned Principal "*".
fn key_verdict(p: &mut Probe, key: &str) -> Verdict {
    let k = short(key);
    let (arn, note) = match shared_source(p, key) {
        Ok(found) => found,
        Err(why) => return Verdict::fail(why),
    };
    let snap = arn.rsplit(':').next().unwrap_or(&arn).to_owned();
    // A fresh key of the partner's own, so only the source key is being judged.
    let partner_key = p
        .kms("partner-admin")
        .create_key("kmslab key check")
        .map(|m| m.arn)
        .unwrap_or_else(|_| p.var("PARTNER_KEY"));
    if let Err(e) =
        p.rds("partner-admin")
            .copy_snapshot(&arn, &format!("kmslab-probe-{k}"), &partner_key)
    {
        return Verdict::fail(format!(
            "As partner-admin (444455556666), copying {snap}{note} with a key of its own fails ({}): RDS, acting for the partner, cannot use key {k}.",
            e.code
        ));
    }
    if partner_may_grant(p, key) {
        return Verdict::fail(format!(
            "444455556666 may create grants on key {k} directly, not only through RDS: add the condition kms:GrantIsForAWSResource = true."
        ));
    }
    if p.key_policy(key).is_some_and(|pol| allows_everyone(&pol)) {
        return Verdict::fail(format!(
            "The policy of key {k} allows Principal \"*\" without conditions."
        ));
    }
    if partner_gets_everything(p, key) {
        return Verdict::fail(format!(
            "The policy of key {k} gives 444455556666 kms:*; name only the actions RDS needs."
        ));
    }
    Verdict::pass(format!(
        "As partner-admin (444455556666), CopyDBSnapshot of {snap}{note} with a key of its own works, so RDS can use key {k} for the partner; the partner cannot create grants on it directly, and no statement gives it (or everyone) kms:*."
    ))
}

// ----- objectives -----

fn cmk_copy(p: &mut Probe) -> Verdict {
    let snaps = cmk_snapshots(p);
    if let Some(s) = snaps.first() {
        return Verdict::pass(format!(
            "Snapshot {} of {DB} is encrypted with customer managed key {}.",
            s.id,
            short(&s.kms_key_id)
        ));
    }
    Verdict::fail(format!(
        "No snapshot of {DB} in 111122223333 is encrypted with a customer managed key yet ({SNAP} uses aws/rds)."
    ))
}

fn key_for_partner(p: &mut Probe) -> Verdict {
    let keys = share_keys(p);
    let mut first: Option<Verdict> = None;
    for key in keys {
        let v = key_verdict(p, &key);
        if v.passed {
            return v;
        }
        first.get_or_insert(v);
    }
    first.unwrap_or_else(|| Verdict::fail("No key to check."))
}

/// Source snapshots the partner sees as shared with it, encrypted with a customer managed key.
fn shared_snapshots(p: &mut Probe) -> Vec<DbSnapshot> {
    let seen = p
        .rds("partner-admin")
        .shared_snapshots()
        .unwrap_or_default();
    let arns: Vec<String> = cmk_snapshots(p).into_iter().map(|s| s.arn).collect();
    seen.into_iter().filter(|s| arns.contains(&s.arn)).collect()
}

fn shared(p: &mut Probe) -> Verdict {
    // "Only": no snapshot of the orders data is shared with anyone but the partner.
    for s in lineage(p, "admin") {
        let others: Vec<String> = restore_values(p, &s.id)
            .into_iter()
            .filter(|v| v != PARTNER)
            .collect();
        if others.iter().any(|v| v == "all") {
            return Verdict::fail(format!("{} is shared publicly (restore = all).", s.id));
        }
        if !others.is_empty() {
            return Verdict::fail(format!(
                "{} is also shared with {}: its restore attribute must list 444455556666 only.",
                s.id,
                others.join(", ")
            ));
        }
    }
    let snaps = shared_snapshots(p);
    let Some(s) = snaps.first() else {
        return Verdict::fail(
            "444455556666 sees no shared snapshot of orders-db encrypted with a customer managed key.",
        );
    };
    Verdict::pass(format!(
        "444455556666 sees {}; its restore attribute lists 444455556666 only.",
        s.id
    ))
}

/// The partner's snapshots of the orders data encrypted with one of its own keys.
fn partner_copies(p: &mut Probe) -> Vec<DbSnapshot> {
    lineage(p, "partner-admin")
        .into_iter()
        .filter(|s| s.encrypted && key_account(&s.kms_key_id) == PARTNER)
        .collect()
}

fn partner_copy(p: &mut Probe) -> Verdict {
    let good = partner_copies(p);
    if let Some(s) = good.first() {
        return Verdict::pass(format!(
            "444455556666 owns {}, a copy of the orders data encrypted with its own key {}.",
            s.id,
            short(&s.kms_key_id)
        ));
    }
    if lineage(p, "partner-admin").is_empty() {
        Verdict::fail("444455556666 has no snapshot of the orders data yet.")
    } else {
        Verdict::fail(
            "444455556666 has a copy of the orders data, but not encrypted with a key of its own account.",
        )
    }
}

/// An RDS call from CloudTrail: the parameters checks read, and its error.
struct Call {
    snapshot: String,
    instance: String,
    values_to_add: Vec<String>,
    error: Option<String>,
}

/// Calls of `name` since the start by `account`.
fn calls(p: &Probe, name: &str, account: &str) -> Vec<Call> {
    p.events_since_start()
        .iter()
        .filter(|e| e.name() == name && e.caller_account() == account)
        .map(|e| Call {
            snapshot: e
                .param("DBSnapshotIdentifier")
                .unwrap_or_default()
                .to_owned(),
            instance: e
                .param("DBInstanceIdentifier")
                .unwrap_or_default()
                .to_owned(),
            values_to_add: e
                .param_list("ValuesToAdd")
                .into_iter()
                .map(str::to_owned)
                .collect(),
            error: e.error_code().map(str::to_owned),
        })
        .collect()
}

/// The partner's instances restored from one of its own copies, with the copy's id.
fn partner_restores(p: &mut Probe) -> Vec<(DbInstance, String)> {
    let copies: Vec<String> = partner_copies(p).into_iter().map(|s| s.id).collect();
    let restores = calls(p, "RestoreDBInstanceFromDBSnapshot", PARTNER);
    let instances = p.rds("partner-admin").instances().unwrap_or_default();
    instances
        .into_iter()
        .filter(|i| key_account(&i.kms_key_id) == PARTNER)
        .filter_map(|i| {
            let from = restores.iter().find_map(|r| {
                let snap = r.snapshot.rsplit(':').next().unwrap_or(&r.snapshot);
                (r.error.is_none() && r.instance == i.id && copies.iter().any(|c| c == snap))
                    .then(|| snap.to_owned())
            })?;
            Some((i, from))
        })
        .collect()
}

fn partner_restore(p: &mut Probe) -> Verdict {
    let found = partner_restores(p);
    let Some((inst, from)) = found.first() else {
        return Verdict::fail(
            "444455556666 has no DB instance restored from its own encrypted copy of the orders data.",
        );
    };
    // Independence: with every source-account key of the orders snapshots disabled, the
    // partner can still restore from its copy.
    for s in cmk_snapshots(p) {
        let _ = p
            .kms("admin")
            .call("DisableKey", json!({ "KeyId": s.kms_key_id }));
    }
    match p.rds("partner-admin").restore_instance(PROBE_DB, from) {
        Ok(()) => Verdict::pass(format!(
            "444455556666 runs {}, restored from {from} with its own key; with 111122223333's key disabled it can still restore {from}.",
            inst.id
        )),
        Err(e) => Verdict::fail(format!(
            "{} exists, but with 111122223333's key disabled the partner cannot restore {from} again ({}).",
            inst.id, e.code
        )),
    }
}

// ----- wrong turns -----

fn shared_aws_rds(p: &mut Probe) -> Option<Seen> {
    let tried: Vec<String> = calls(p, "ModifyDBSnapshotAttribute", PROD)
        .into_iter()
        .filter(|c| c.error.as_deref() == Some("InvalidParameterValue"))
        .map(|c| c.snapshot)
        .collect();
    if tried.is_empty() || shared(p).passed {
        return None;
    }
    let hit = lineage(p, "admin")
        .into_iter()
        .find(|s| tried.contains(&s.id) && s.encrypted)?;
    (customer_managed(p, &hit.kms_key_id) == Some(false))
        .then(|| Seen::it().with("SNAPSHOT", &hit.id))
}

fn public(p: &mut Probe) -> Option<Seen> {
    let now_public = lineage(p, "admin")
        .iter()
        .any(|s| restore_values(p, &s.id).iter().any(|v| v == "all"));
    let tried = calls(p, "ModifyDBSnapshotAttribute", PROD)
        .iter()
        .any(|c| c.values_to_add.iter().any(|v| v == "all"));
    (now_public || (tried && !shared(p).passed)).then(Seen::it)
}

fn broad_policy(p: &mut Probe) -> Option<Seen> {
    for key in share_keys(p) {
        if p.key_policy(&key).is_some_and(|pol| allows_everyone(&pol)) {
            return Some(Seen::it().with("KEY", short(&key)));
        }
        if partner_gets_everything(p, &key) {
            return Some(Seen::variant("kms-all").with("KEY", short(&key)));
        }
    }
    None
}

fn grant_unconditioned(p: &mut Probe) -> Option<Seen> {
    for key in share_keys(p) {
        if partner_gets_everything(p, &key) {
            return None;
        }
        if partner_may_grant(p, &key) {
            return Some(Seen::it().with("KEY", short(&key)));
        }
    }
    None
}

fn restored_directly(p: &mut Probe) -> Option<Seen> {
    let tried = calls(p, "RestoreDBInstanceFromDBSnapshot", PARTNER)
        .iter()
        .any(|c| {
            c.error.is_some()
                && c.snapshot
                    .starts_with(&format!("arn:aws:rds:us-east-1:{PROD}:"))
        });
    (tried && partner_restores(p).is_empty()).then(Seen::it)
}

fn partner_source_key(p: &mut Probe) -> Option<Seen> {
    if !partner_copies(p).is_empty() {
        return None;
    }
    let bad = lineage(p, "partner-admin")
        .into_iter()
        .find(|s| key_account(&s.kms_key_id) == PROD)?;
    Some(Seen::it().with("SNAPSHOT", bad.id))
}

fn copy_refused(p: &mut Probe) -> Option<Seen> {
    let refused = calls(p, "CopyDBSnapshot", PARTNER)
        .iter()
        .any(|c| c.error.as_deref() == Some("KMSKeyNotAccessibleFault"));
    (refused && partner_copies(p).is_empty()).then(Seen::it)
}

#[cfg(test)]
mod tests {
    use awscli::Session;

    use crate::scenario::testing::{self, attempt};
    use crate::scenario::{evaluate, wrong_turns};

    const ID: &str = "rds-snapshot-cross-account";

    fn hits(s: &Session) -> Vec<&'static str> {
        testing::wrong_turn_ids(s, ID)
    }

    fn passed(s: &Session) -> Vec<&'static str> {
        testing::passed_ids(s, ID)
    }

    #[test]
    fn sharing_the_aws_rds_snapshot_and_public_sharing_are_named() {
        let mut s = testing::started(ID, 7);
        assert!(hits(&s).is_empty());
        attempt(
            &mut s,
            "aws rds modify-db-snapshot-attribute --db-snapshot-identifier orders-db-nightly --attribute-name restore --values-to-add 444455556666",
        );
        assert_eq!(hits(&s), ["shared-aws-rds"]);
        attempt(
            &mut s,
            "aws rds modify-db-snapshot-attribute --db-snapshot-identifier orders-db-nightly --attribute-name restore --values-to-add all",
        );
        let h = wrong_turns(&s, ID).unwrap();
        assert!(h.iter().any(|x| x.id == "public"), "{h:?}");
        assert!(
            h.iter()
                .any(|x| x.id == "shared-aws-rds" && x.message.contains("AWS managed key")),
            "{h:?}"
        );
    }

    #[test]
    fn over_broad_policies_are_named_and_fail_the_key_objective() {
        let mut s = testing::started(ID, 7);
        attempt(
            &mut s,
            r#"aws kms put-key-policy --key-id $SHARE_KEY --policy-name default --policy '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"kms:*","Resource":"*"}]}'"#,
        );
        assert_eq!(hits(&s), ["broad-key-policy"]);
        assert!(!passed(&s).contains(&"key-for-partner"));
        attempt(
            &mut s,
            r#"aws kms put-key-policy --key-id $SHARE_KEY --policy-name default --policy '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":["kms:Decrypt","kms:DescribeKey","kms:CreateGrant"],"Resource":"*"}]}'"#,
        );
        assert_eq!(hits(&s), ["create-grant-unconditioned"]);
        assert!(!passed(&s).contains(&"key-for-partner"));
        attempt(
            &mut s,
            r#"aws kms put-key-policy --key-id $SHARE_KEY --policy-name default --policy '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},{"Effect":"Allow","Principal":"*","Action":["kms:Decrypt","kms:DescribeKey"],"Resource":"*"}]}'"#,
        );
        let h = wrong_turns(&s, ID).unwrap();
        assert!(
            h.iter()
                .any(|x| x.id == "broad-key-policy" && x.message.contains("Principal")),
            "{h:?}"
        );
    }

    #[test]
    fn restoring_directly_and_copying_with_the_source_key_are_named() {
        let mut s = testing::started(ID, 7);
        // The account-root route's key policy: its first line.
        let route = crate::scenario::get(ID).unwrap().solutions[0]
            .script(7)
            .unwrap();
        attempt(
            &mut s,
            route
                .lines()
                .find(|l| l.starts_with("aws kms put-key-policy"))
                .unwrap(),
        );
        attempt(
            &mut s,
            "aws rds copy-db-snapshot --source-db-snapshot-identifier orders-db-nightly --target-db-snapshot-identifier orders-db-share --kms-key-id alias/rds-share",
        );
        attempt(
            &mut s,
            "aws rds wait db-snapshot-available --db-snapshot-identifier orders-db-share",
        );
        attempt(
            &mut s,
            "aws rds modify-db-snapshot-attribute --db-snapshot-identifier orders-db-share --attribute-name restore --values-to-add 444455556666",
        );
        assert_eq!(
            passed(&s),
            ["cmk-snapshot", "key-for-partner", "shared"],
            "{:#?}",
            evaluate(&s, ID)
        );
        let arn = "arn:aws:rds:us-east-1:111122223333:snapshot:orders-db-share";
        attempt(
            &mut s,
            &format!(
                "aws rds restore-db-instance-from-db-snapshot --profile partner-admin --db-instance-identifier orders-db --db-snapshot-identifier {arn}"
            ),
        );
        assert_eq!(hits(&s), ["restored-directly"]);
        // The partner copies with the source account's key (the template policy allows it).
        attempt(
            &mut s,
            &format!(
                "aws rds copy-db-snapshot --profile partner-admin --source-db-snapshot-identifier {arn} --target-db-snapshot-identifier borrowed --kms-key-id arn:aws:kms:us-east-1:111122223333:key/$SHARE_KEY"
            ),
        );
        attempt(
            &mut s,
            "aws rds wait db-snapshot-available --profile partner-admin --db-snapshot-identifier borrowed",
        );
        assert_eq!(hits(&s), ["restored-directly", "partner-uses-source-key"]);
        assert!(!passed(&s).contains(&"partner-copy"));
        // Restoring that copy gives an instance that depends on the source key: not accepted.
        attempt(
            &mut s,
            "aws rds restore-db-instance-from-db-snapshot --profile partner-admin --db-instance-identifier orders-db --db-snapshot-identifier borrowed",
        );
        assert!(!passed(&s).contains(&"partner-restore"));
    }

    #[test]
    fn a_copy_refused_for_lack_of_key_access_is_named() {
        let mut s = testing::started(ID, 7);
        attempt(
            &mut s,
            "aws rds copy-db-snapshot --source-db-snapshot-identifier orders-db-nightly --target-db-snapshot-identifier orders-db-share --kms-key-id alias/rds-share",
        );
        attempt(
            &mut s,
            "aws rds wait db-snapshot-available --db-snapshot-identifier orders-db-share",
        );
        attempt(
            &mut s,
            "aws rds modify-db-snapshot-attribute --db-snapshot-identifier orders-db-share --attribute-name restore --values-to-add 444455556666",
        );
        attempt(
            &mut s,
            "aws rds copy-db-snapshot --profile partner-admin --source-db-snapshot-identifier arn:aws:rds:us-east-1:111122223333:snapshot:orders-db-share --target-db-snapshot-identifier mine --kms-key-id alias/partner-rds",
        );
        assert_eq!(hits(&s), ["copy-refused"]);
        assert_eq!(passed(&s), ["cmk-snapshot", "shared"]);
    }

    /// A stricter valid policy: every partner statement also requires the request to come
    /// through RDS in us-east-1, and CreateGrant only for grants with an encryption-context
    /// constraint. The real cross-account copy works, so the key objective passes — before the
    /// learner has copied or shared anything (the check does both in its clone).
    #[test]
    fn a_via_service_conditioned_policy_passes_the_key_objective() {
        let mut s = testing::started(ID, 7);
        let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":["kms:Decrypt","kms:DescribeKey"],"Resource":"*","Condition":{"StringEquals":{"kms:ViaService":"rds.us-east-1.amazonaws.com"}}},{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"kms:CreateGrant","Resource":"*","Condition":{"Bool":{"kms:GrantIsForAWSResource":"true"},"StringEquals":{"kms:ViaService":"rds.us-east-1.amazonaws.com","kms:GrantConstraintType":"EncryptionContextSubset"}}}]}"#;
        testing::run(
            &mut s,
            &format!(
                "aws kms put-key-policy --key-id $SHARE_KEY --policy-name default --policy '{policy}'"
            ),
        );
        assert_eq!(passed(&s), ["key-for-partner"], "{:#?}", evaluate(&s, ID));
        testing::run(
            &mut s,
            "aws rds copy-db-snapshot --source-db-snapshot-identifier orders-db-nightly --target-db-snapshot-identifier orders-db-share --kms-key-id alias/rds-share",
        );
        testing::run(
            &mut s,
            "aws rds wait db-snapshot-available --db-snapshot-identifier orders-db-share",
        );
        assert_eq!(passed(&s), ["cmk-snapshot", "key-for-partner"]);
        testing::run(
            &mut s,
            "aws rds modify-db-snapshot-attribute --db-snapshot-identifier orders-db-share --attribute-name restore --values-to-add 444455556666",
        );
        testing::run(
            &mut s,
            "aws rds copy-db-snapshot --profile partner-admin --source-db-snapshot-identifier arn:aws:rds:us-east-1:111122223333:snapshot:orders-db-share --target-db-snapshot-identifier orders-db-partner --kms-key-id alias/partner-rds",
        );
        testing::run(
            &mut s,
            "aws rds wait db-snapshot-available --profile partner-admin --db-snapshot-identifier orders-db-partner",
        );
        assert_eq!(
            passed(&s),
            ["cmk-snapshot", "key-for-partner", "shared", "partner-copy"]
        );
        assert!(hits(&s).is_empty(), "{:?}", hits(&s));
    }

    /// Decrypt and DescribeKey granted directly, but no CreateGrant: the partner's copy through
    /// RDS fails, so the key objective fails and says so.
    #[test]
    fn a_policy_without_create_grant_fails_the_key_objective() {
        let mut s = testing::started(ID, 7);
        testing::run(
            &mut s,
            r#"aws kms put-key-policy --key-id $SHARE_KEY --policy-name default --policy '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":["kms:Decrypt","kms:DescribeKey"],"Resource":"*"}]}'"#,
        );
        let r = evaluate(&s, ID).unwrap();
        let k = r.iter().find(|o| o.id == "key-for-partner").unwrap();
        assert_eq!(k.status, crate::scenario::Status::Failed);
        assert!(k.evidence.contains("KMSKeyNotAccessibleFault"), "{k:?}");
    }

    #[test]
    fn sharing_with_another_account_too_fails_the_shared_objective() {
        let mut s = testing::started(ID, 7);
        testing::run(
            &mut s,
            "aws rds copy-db-snapshot --source-db-snapshot-identifier orders-db-nightly --target-db-snapshot-identifier orders-db-share --kms-key-id alias/rds-share",
        );
        testing::run(
            &mut s,
            "aws rds wait db-snapshot-available --db-snapshot-identifier orders-db-share",
        );
        testing::run(
            &mut s,
            "aws rds modify-db-snapshot-attribute --db-snapshot-identifier orders-db-share --attribute-name restore --values-to-add 444455556666 999988887777",
        );
        assert!(!passed(&s).contains(&"shared"));
        let r = evaluate(&s, ID).unwrap();
        let sh = r.iter().find(|o| o.id == "shared").unwrap();
        assert!(sh.evidence.contains("999988887777"), "{sh:?}");
        testing::run(
            &mut s,
            "aws rds modify-db-snapshot-attribute --db-snapshot-identifier orders-db-share --attribute-name restore --values-to-remove 999988887777",
        );
        assert!(passed(&s).contains(&"shared"));
    }
}
