//! `rds-snapshot-cross-account`: the orders database is encrypted with `aws/rds`, whose snapshots
//! cannot be shared. Copy the snapshot with a customer managed key, open that key to the partner
//! account so that RDS can copy it for the partner (CreateGrant only for AWS resources, no kms:*,
//! no Principal "*"), share the copy, and let the partner copy it
//! with its own key and restore. Graded by RDS and KMS calls as `admin` and `partner-admin` in
//! the clone, including a restore with the source key disabled.

use serde_json::{Value, json};

use super::{PROD, always};
use crate::scenario::probe::{allows_everyone, principals, statements};
use crate::scenario::{
    Availability, Difficulty, Hint, Objective, Probe, Scenario, Solution, Verdict, WrongTurn,
};

const PARTNER: &str = cloud::PARTNER_ACCOUNT;
const PARTNER_USER: &str = "arn:aws:iam::444455556666:user/PartnerAdmin";
/// The source instance and its nightly manual snapshot (encrypted with aws/rds).
const DB: &str = "orders-db";
const SNAP: &str = "orders-db-nightly";
/// Distinctive storage, so restored copies can be recognised.
const SIZE: u64 = 173;
/// Instance id the independence probe restores in the clone.
const PROBE_DB: &str = "kmslab-independence-probe";

fn setup(_seed: u64) -> String {
    format!(
        "\
aws rds create-db-instance --db-instance-identifier {DB} --db-instance-class db.t3.micro --engine postgres --allocated-storage {SIZE} --master-username orders --master-user-password Orders-2026-pw --storage-encrypted
aws rds create-db-snapshot --db-snapshot-identifier {SNAP} --db-instance-identifier {DB}
SHARE_KEY=$(aws kms create-key --description \"RDS snapshots shared with partners\" --query KeyMetadata.KeyId --output text)
aws kms create-alias --alias-name alias/rds-share --target-key-id $SHARE_KEY
PARTNER_KEY=$(aws kms create-key --profile partner-admin --description \"Partner RDS data\" --query KeyMetadata.Arn --output text)
aws kms create-alias --profile partner-admin --alias-name alias/partner-rds --target-key-id $PARTNER_KEY
"
    )
}

fn rds(p: &mut Probe, profile: &str, op: &str, input: Value) -> Value {
    p.call(profile, "rds", op, input).unwrap_or(Value::Null)
}

fn list(v: &Value, field: &str) -> Vec<Value> {
    v[field].as_array().cloned().unwrap_or_default()
}

fn str_of<'a>(v: &'a Value, field: &str) -> &'a str {
    v[field].as_str().unwrap_or_default()
}

/// The account of a key ARN (`arn:aws:kms:REGION:ACCOUNT:key/ID`).
fn key_account(arn: &str) -> &str {
    arn.split(':').nth(4).unwrap_or_default()
}

/// `KeyManager` (`AWS` or `CUSTOMER`) of a key, asked by its own account.
fn key_manager(p: &mut Probe, arn: &str) -> Option<String> {
    let profile = if key_account(arn) == PARTNER {
        "partner-admin"
    } else {
        "admin"
    };
    p.kms(profile, "DescribeKey", json!({ "KeyId": arn }))
        .ok()
        .and_then(|v| v["KeyMetadata"]["KeyManager"].as_str().map(str::to_owned))
}

/// Snapshots of the orders database that `profile`'s account owns (copies keep the source's
/// DBInstanceIdentifier).
fn lineage(p: &mut Probe, profile: &str) -> Vec<Value> {
    list(
        &rds(p, profile, "DescribeDBSnapshots", json!({})),
        "DBSnapshots",
    )
    .into_iter()
    .filter(|s| s["DBInstanceIdentifier"] == DB)
    .collect()
}

/// Source snapshots encrypted with a customer managed key of the source account.
fn cmk_snapshots(p: &mut Probe) -> Vec<Value> {
    let all = lineage(p, "admin");
    all.into_iter()
        .filter(|s| {
            let k = str_of(s, "KmsKeyId");
            s["Encrypted"] == true
                && key_account(k) == PROD
                && key_manager(p, k).as_deref() == Some("CUSTOMER")
        })
        .collect()
}

/// The restore attribute of a source snapshot.
fn restore_values(p: &mut Probe, id: &str) -> Vec<String> {
    let v = rds(
        p,
        "admin",
        "DescribeDBSnapshotAttributes",
        json!({ "DBSnapshotIdentifier": id }),
    );
    list(&v["DBSnapshotAttributesResult"], "DBSnapshotAttributes")
        .iter()
        .filter(|a| a["AttributeName"] == "restore")
        .flat_map(|a| list(a, "AttributeValues"))
        .filter_map(|x| x.as_str().map(str::to_owned))
        .collect()
}

/// The keys the partner would need: those of shared customer-managed-key snapshots, else of any
/// such snapshot, else the prepared alias/rds-share key.
fn share_keys(p: &mut Probe) -> Vec<String> {
    let snaps = cmk_snapshots(p);
    let mut shared = Vec::new();
    let mut other = Vec::new();
    for s in &snaps {
        let key = str_of(s, "KmsKeyId").to_owned();
        let id = str_of(s, "DBSnapshotIdentifier").to_owned();
        let bucket = if restore_values(p, &id).iter().any(|a| a == PARTNER) {
            &mut shared
        } else {
            &mut other
        };
        if !bucket.contains(&key) {
            bucket.push(key);
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

/// A CreateGrant made directly by the partner (not through an AWS service).
fn partner_grant(p: &mut Probe, key: &str) -> Result<Value, String> {
    p.kms(
        "partner-admin",
        "CreateGrant",
        json!({ "KeyId": key, "GranteePrincipal": PARTNER_USER, "Operations": ["Decrypt"] }),
    )
    .map_err(|e| e.code)
}

/// Whether an Allow statement of `key`'s policy gives the partner account every KMS action
/// (`kms:*` or `*`).
fn partner_gets_everything(p: &mut Probe, key: &str) -> bool {
    fn strings(v: &Value) -> Vec<&str> {
        match v {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        }
    }
    let Some(policy) = p.key_policy(key) else {
        return false;
    };
    statements(&policy).iter().any(|st| {
        st["Effect"] == "Allow"
            && principals(st).iter().any(|pr| pr.contains(PARTNER))
            && strings(&st["Action"])
                .iter()
                .any(|a| *a == "*" || a.eq_ignore_ascii_case("kms:*"))
    })
}

fn short(key: &str) -> &str {
    key.rsplit('/').next().unwrap_or(key)
}

/// Ids the key check gives its throw-away snapshots in the clone.
const PROBE_SNAP: &str = "kmslab-key-probe";

/// The ARN of a source snapshot of the orders data encrypted with `key` and shared with the
/// partner, and a note on what the check had to do in the clone to get it: a snapshot the
/// learner already shared; else one of theirs under `key`, shared here; else a copy of the
/// nightly snapshot made with `key` here and shared. So the key is judged on its own,
/// whatever the learner did (or not yet) with snapshots and sharing.
fn shared_source(p: &mut Probe, key: &str) -> Result<(String, &'static str), String> {
    let k = short(key);
    let mine: Vec<(String, String)> = cmk_snapshots(p)
        .iter()
        .filter(|s| str_of(s, "KmsKeyId") == key)
        .map(|s| {
            (
                str_of(s, "DBSnapshotIdentifier").to_owned(),
                str_of(s, "DBSnapshotArn").to_owned(),
            )
        })
        .collect();
    for (id, arn) in &mine {
        if restore_values(p, id).iter().any(|v| v == PARTNER) {
            return Ok((arn.clone(), ""));
        }
    }
    let (id, arn, note) = match mine.first() {
        Some((id, arn)) => (id.clone(), arn.clone(), " (shared with it for this check)"),
        None => {
            let out = p
                .call(
                    "admin",
                    "rds",
                    "CopyDBSnapshot",
                    json!({ "SourceDBSnapshotIdentifier": SNAP, "TargetDBSnapshotIdentifier": PROBE_SNAP, "KmsKeyId": key }),
                )
                .map_err(|e| {
                    format!(
                        "No snapshot of {DB} is encrypted with key {k}, and copying {SNAP} with it as admin fails ({}).",
                        e.code
                    )
                })?;
            (
                PROBE_SNAP.to_owned(),
                str_of(&out["DBSnapshot"], "DBSnapshotArn").to_owned(),
                " (a copy of orders-db-nightly under that key, made and shared for this check)",
            )
        }
    };
    p.call(
        "admin",
        "rds",
        "ModifyDBSnapshotAttribute",
        json!({ "DBSnapshotIdentifier": id, "AttributeName": "restore", "ValuesToAdd": [PARTNER] }),
    )
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
        .kms(
            "partner-admin",
            "CreateKey",
            json!({ "Description": "kmslab key check" }),
        )
        .ok()
        .and_then(|v| v["KeyMetadata"]["Arn"].as_str().map(str::to_owned))
        .unwrap_or_else(|| p.var("PARTNER_KEY"));
    if let Err(e) = p.call(
        "partner-admin",
        "rds",
        "CopyDBSnapshot",
        json!({ "SourceDBSnapshotIdentifier": arn, "TargetDBSnapshotIdentifier": format!("kmslab-probe-{k}"), "KmsKeyId": partner_key }),
    ) {
        return Verdict::fail(format!(
            "As partner-admin (444455556666), copying {snap}{note} with a key of its own fails ({}): RDS, acting for the partner, cannot use key {k}.",
            e.code
        ));
    }
    if partner_grant(p, key).is_ok() {
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
            str_of(s, "DBSnapshotIdentifier"),
            short(str_of(s, "KmsKeyId"))
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
fn shared_snapshots(p: &mut Probe) -> Vec<Value> {
    let seen = list(
        &rds(
            p,
            "partner-admin",
            "DescribeDBSnapshots",
            json!({ "SnapshotType": "shared" }),
        ),
        "DBSnapshots",
    );
    let ids: Vec<String> = cmk_snapshots(p)
        .iter()
        .map(|s| str_of(s, "DBSnapshotArn").to_owned())
        .collect();
    seen.into_iter()
        .filter(|s| ids.iter().any(|a| a == str_of(s, "DBSnapshotArn")))
        .collect()
}

fn shared(p: &mut Probe) -> Verdict {
    // "Only": no snapshot of the orders data is shared with anyone but the partner.
    for s in lineage(p, "admin") {
        let id = str_of(&s, "DBSnapshotIdentifier").to_owned();
        let others: Vec<String> = restore_values(p, &id)
            .into_iter()
            .filter(|v| v != PARTNER)
            .collect();
        if others.iter().any(|v| v == "all") {
            return Verdict::fail(format!("{id} is shared publicly (restore = all)."));
        }
        if !others.is_empty() {
            return Verdict::fail(format!(
                "{id} is also shared with {}: its restore attribute must list 444455556666 only.",
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
        str_of(s, "DBSnapshotIdentifier")
    ))
}

/// The partner's snapshots of the orders data encrypted with one of its own keys.
fn partner_copies(p: &mut Probe) -> Vec<Value> {
    lineage(p, "partner-admin")
        .into_iter()
        .filter(|s| s["Encrypted"] == true && key_account(str_of(s, "KmsKeyId")) == PARTNER)
        .collect()
}

fn partner_copy(p: &mut Probe) -> Verdict {
    let good = partner_copies(p);
    if let Some(s) = good.first() {
        return Verdict::pass(format!(
            "444455556666 owns {}, a copy of the orders data encrypted with its own key {}.",
            str_of(s, "DBSnapshotIdentifier"),
            short(str_of(s, "KmsKeyId"))
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

fn param<'a>(record: &'a Value, name: &str) -> &'a str {
    let p = &record["requestParameters"];
    let mut c = name.chars();
    let camel: String = c
        .next()
        .map(|f| f.to_lowercase().chain(c).collect())
        .unwrap_or_default();
    p[name]
        .as_str()
        .or_else(|| p[camel.as_str()].as_str())
        .unwrap_or_default()
}

fn account_of(record: &Value) -> &str {
    record["userIdentity"]["accountId"]
        .as_str()
        .unwrap_or_default()
}

/// Events of `name` since the start by `account`, with their success.
fn events(p: &Probe, name: &str, account: &str) -> Vec<(Value, Option<String>)> {
    p.events_since_start()
        .iter()
        .filter(|e| e.event_name == name && account_of(&e.record) == account)
        .map(|e| (e.record.clone(), e.error_code.clone()))
        .collect()
}

/// The partner's instances restored from one of its own copies, with the copy's id.
fn partner_restores(p: &mut Probe) -> Vec<(Value, String)> {
    let copies: Vec<String> = partner_copies(p)
        .iter()
        .map(|s| str_of(s, "DBSnapshotIdentifier").to_owned())
        .collect();
    let restores = events(p, "RestoreDBInstanceFromDBSnapshot", PARTNER);
    let instances = list(
        &rds(p, "partner-admin", "DescribeDBInstances", json!({})),
        "DBInstances",
    );
    instances
        .into_iter()
        .filter(|i| key_account(str_of(i, "KmsKeyId")) == PARTNER)
        .filter_map(|i| {
            let id = str_of(&i, "DBInstanceIdentifier").to_owned();
            let from = restores.iter().find_map(|(r, err)| {
                let snap = param(r, "DBSnapshotIdentifier");
                let snap = snap.rsplit(':').next().unwrap_or(snap);
                (err.is_none()
                    && param(r, "DBInstanceIdentifier") == id
                    && copies.iter().any(|c| c == snap))
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
    let id = str_of(inst, "DBInstanceIdentifier").to_owned();
    // Independence: with every source-account key of the orders snapshots disabled, the
    // partner can still restore from its copy.
    let source_keys: Vec<String> = cmk_snapshots(p)
        .iter()
        .map(|s| str_of(s, "KmsKeyId").to_owned())
        .collect();
    for k in &source_keys {
        let _ = p.kms("admin", "DisableKey", json!({ "KeyId": k }));
    }
    match p.call(
        "partner-admin",
        "rds",
        "RestoreDBInstanceFromDBSnapshot",
        json!({ "DBInstanceIdentifier": PROBE_DB, "DBSnapshotIdentifier": from }),
    ) {
        Ok(_) => Verdict::pass(format!(
            "444455556666 runs {id}, restored from {from} with its own key; with 111122223333's key disabled it can still restore {from}."
        )),
        Err(e) => Verdict::fail(format!(
            "{id} exists, but with 111122223333's key disabled the partner cannot restore {from} again ({}).",
            e.code
        )),
    }
}

// ----- wrong turns -----

fn shared_aws_rds(p: &mut Probe) -> Option<String> {
    let tried: Vec<String> = events(p, "ModifyDBSnapshotAttribute", PROD)
        .iter()
        .filter(|(_, err)| err.as_deref() == Some("InvalidParameterValue"))
        .map(|(r, _)| param(r, "DBSnapshotIdentifier").to_owned())
        .collect();
    if tried.is_empty() || shared(p).passed {
        return None;
    }
    let snaps = lineage(p, "admin");
    let hit = snaps.iter().find(|s| {
        tried.iter().any(|t| t == str_of(s, "DBSnapshotIdentifier")) && s["Encrypted"] == true
    })?;
    let key = str_of(hit, "KmsKeyId").to_owned();
    (key_manager(p, &key).as_deref() == Some("AWS")).then(|| {
        format!(
            "You tried to share {}, which is encrypted with aws/rds. An AWS managed key's policy belongs to AWS and \
only lets principals of your own account use it through RDS; you cannot add 444455556666 to it, so RDS refuses \
to share (InvalidParameterValue). Copy the snapshot with a customer managed key whose policy you control, and \
share the copy.",
            str_of(hit, "DBSnapshotIdentifier")
        )
    })
}

fn public(p: &mut Probe) -> Option<String> {
    let now_public = lineage(p, "admin").iter().any(|s| {
        let id = str_of(s, "DBSnapshotIdentifier").to_owned();
        restore_values(p, &id).iter().any(|v| v == "all")
    });
    let tried = events(p, "ModifyDBSnapshotAttribute", PROD)
        .iter()
        .any(|(r, _)| {
            let rp = &r["requestParameters"];
            [&rp["valuesToAdd"], &rp["ValuesToAdd"]]
                .iter()
                .any(|v| v.as_array().is_some_and(|a| a.iter().any(|x| x == "all")))
        });
    (now_public || (tried && !shared(p).passed)).then(|| {
        "You tried to share a snapshot with \"all\". Encrypted snapshots can never be public, and a public snapshot \
would hand the orders data to every AWS account. Share with the partner's account id only: --values-to-add \
444455556666."
            .to_owned()
    })
}

fn broad_policy(p: &mut Probe) -> Option<String> {
    for key in share_keys(p) {
        if p.key_policy(&key).is_some_and(|pol| allows_everyone(&pol)) {
            return Some(format!(
                "The policy of key {} allows Principal \"*\" without conditions: any AWS account could use the key. \
Name the partner account (arn:aws:iam::444455556666:root) or its principal instead.",
                short(&key)
            ));
        }
        if partner_gets_everything(p, &key) {
            return Some(format!(
                "The policy of key {} gives 444455556666 kms:*. Another account can never administer your key (cross-account \
principals cannot call PutKeyPolicy, DisableKey or ScheduleKeyDeletion), but kms:* lets it create grants on your key \
for any principal, revoke grants, and encrypt its own data under your key. Give it only kms:DescribeKey and \
kms:Decrypt (the console template adds Encrypt, ReEncrypt* and GenerateDataKey*), and kms:CreateGrant with the \
condition kms:GrantIsForAWSResource = true.",
                short(&key)
            ));
        }
    }
    None
}

fn grant_unconditioned(p: &mut Probe) -> Option<String> {
    for key in share_keys(p) {
        if partner_gets_everything(p, &key) {
            return None;
        }
        if partner_grant(p, &key).is_ok() {
            return Some(format!(
                "444455556666 may call kms:CreateGrant on key {} for anyone, directly: it could hand your key to any \
principal. RDS creates the grant on the partner's behalf, so add the condition \
\"Bool\": {{\"kms:GrantIsForAWSResource\": \"true\"}} to the CreateGrant statement.",
                short(&key)
            ));
        }
    }
    None
}

fn restored_directly(p: &mut Probe) -> Option<String> {
    let tried = events(p, "RestoreDBInstanceFromDBSnapshot", PARTNER)
        .iter()
        .any(|(r, err)| {
            err.is_some()
                && param(r, "DBSnapshotIdentifier")
                    .starts_with(&format!("arn:aws:rds:us-east-1:{PROD}:"))
        });
    (tried && partner_restores(p).is_empty()).then(|| {
        "The partner tried to restore straight from the shared snapshot. RDS does not restore a DB instance from a \
snapshot that is both shared and encrypted: copy it into 444455556666 first (copy-db-snapshot with the shared \
snapshot's ARN and --kms-key-id alias/partner-rds), then restore the copy."
            .to_owned()
    })
}

fn partner_source_key(p: &mut Probe) -> Option<String> {
    if !partner_copies(p).is_empty() {
        return None;
    }
    let theirs = lineage(p, "partner-admin");
    let bad = theirs
        .iter()
        .find(|s| key_account(str_of(s, "KmsKeyId")) == PROD)?;
    Some(format!(
        "The partner's copy {} is encrypted with 111122223333's key, so it still depends on your account: if you \
disable the key, change its policy or delete it, the partner loses the data. The partner should copy with a key \
of its own account (alias/partner-rds).",
        str_of(bad, "DBSnapshotIdentifier")
    ))
}

fn copy_refused(p: &mut Probe) -> Option<String> {
    let refused = events(p, "CopyDBSnapshot", PARTNER)
        .iter()
        .any(|(_, err)| err.as_deref() == Some("KMSKeyNotAccessibleFault"));
    (refused && partner_copies(p).is_empty()).then(|| {
        "The partner's copy failed with KMSKeyNotAccessibleFault: RDS, acting for 444455556666, could not use \
the key of the shared snapshot. AWS documents that the other account needs kms:DescribeKey, kms:Decrypt and \
kms:CreateGrant on that key (CreateGrant best limited with kms:GrantIsForAWSResource = true, so only AWS services \
can create grants for it): put them in the key policy for arn:aws:iam::444455556666:root (or the partner's \
principal), and check that the partner names an enabled key of its own as --kms-key-id."
            .to_owned()
    })
}

// ----- solutions -----

fn root_policy() -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{PROD}:root"}},"Action":"kms:*","Resource":"*"}},{{"Sid":"Allow use of the key","Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{PARTNER}:root"}},"Action":["kms:Encrypt","kms:Decrypt","kms:ReEncrypt*","kms:GenerateDataKey*","kms:DescribeKey"],"Resource":"*"}},{{"Sid":"Allow attachment of persistent resources","Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{PARTNER}:root"}},"Action":["kms:CreateGrant","kms:ListGrants","kms:RevokeGrant"],"Resource":"*","Condition":{{"Bool":{{"kms:GrantIsForAWSResource":"true"}}}}}}]}}"#
    )
}

fn user_policy() -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{PROD}:root"}},"Action":"kms:*","Resource":"*"}},{{"Sid":"PartnerAdminUsesKeyForRds","Effect":"Allow","Principal":{{"AWS":"{PARTNER_USER}"}},"Action":["kms:Decrypt","kms:DescribeKey"],"Resource":"*"}},{{"Sid":"PartnerAdminGrantsForRds","Effect":"Allow","Principal":{{"AWS":"{PARTNER_USER}"}},"Action":"kms:CreateGrant","Resource":"*","Condition":{{"Bool":{{"kms:GrantIsForAWSResource":"true"}}}}}}]}}"#
    )
}

fn solution_account_root(_: u64) -> Option<String> {
    Some(format!(
        "\
aws kms put-key-policy --key-id $SHARE_KEY --policy-name default --policy '{}'
aws rds copy-db-snapshot --source-db-snapshot-identifier {SNAP} --target-db-snapshot-identifier orders-db-share --kms-key-id alias/rds-share
aws rds modify-db-snapshot-attribute --db-snapshot-identifier orders-db-share --attribute-name restore --values-to-add {PARTNER}
aws rds copy-db-snapshot --profile partner-admin --source-db-snapshot-identifier arn:aws:rds:us-east-1:{PROD}:snapshot:orders-db-share --target-db-snapshot-identifier orders-db-partner --kms-key-id alias/partner-rds
aws rds restore-db-instance-from-db-snapshot --profile partner-admin --db-instance-identifier orders-db --db-snapshot-identifier orders-db-partner
",
        root_policy()
    ))
}

fn solution_partner_user(_: u64) -> Option<String> {
    Some(format!(
        "\
NEW_KEY=$(aws kms create-key --description \"Orders snapshots for the partner\" --policy '{}' --query KeyMetadata.Arn --output text)
aws rds create-db-snapshot --db-snapshot-identifier orders-db-handover --db-instance-identifier {DB}
aws rds copy-db-snapshot --source-db-snapshot-identifier orders-db-handover --target-db-snapshot-identifier orders-db-handover-cmk --kms-key-id $NEW_KEY
aws rds modify-db-snapshot-attribute --db-snapshot-identifier orders-db-handover-cmk --attribute-name restore --values-to-add {PARTNER}
aws rds copy-db-snapshot --profile partner-admin --source-db-snapshot-identifier arn:aws:rds:us-east-1:{PROD}:snapshot:orders-db-handover-cmk --target-db-snapshot-identifier orders-from-supplier --kms-key-id $PARTNER_KEY
aws rds restore-db-instance-from-db-snapshot --profile partner-admin --db-instance-identifier orders-replica --db-snapshot-identifier orders-from-supplier
",
        user_policy()
    ))
}

pub(super) const SCENARIO: Scenario = Scenario {
    id: "rds-snapshot-cross-account",
    title: "Share an encrypted RDS snapshot with another account",
    exam: "SOA-C03 Domain 4 (Security and Compliance): encryption at rest, cross-account KMS access; Domain 2 (Reliability): backups",
    difficulty: Difficulty::Advanced,
    minutes: 30,
    availability: Availability::Playable,
    story: "Your account 111122223333 runs the orders database orders-db (PostgreSQL, 173 GiB), encrypted at rest \
with the AWS managed key aws/rds, and keeps a manual snapshot of it, orders-db-nightly. A partner, account \
444455556666 (profile partner-admin), must get its own running copy of the database. Prepared for you: a customer \
managed key alias/rds-share ($SHARE_KEY) in your account, whose policy still only trusts your own account, and in \
the partner's account its customer managed key alias/partner-rds ($PARTNER_KEY). Hand the data over so that the \
partner can use your key through RDS (it may not create grants on it directly, nor get kms:*), the snapshot is shared with the partner alone, and the partner \
ends up with a database encrypted with its own key that keeps working whatever you later do with yours.",
    setup,
    record_vars: &["SHARE_KEY", "PARTNER_KEY"],
    files: &[],
    objectives: &[
        Objective {
            id: "cmk-snapshot",
            text: "In 111122223333, make a snapshot of orders-db encrypted with a customer managed key (not aws/rds).",
            success: "CopyDBSnapshot with KmsKeyId re-encrypts the data under a new data key from a key whose policy you control.",
            check: cmk_copy,
            pending: None,
        },
        Objective {
            id: "key-for-partner",
            text: "Open that key to 444455556666 so that RDS can copy the shared snapshot for it (the partner's CopyDBSnapshot with a key of its own works); CreateGrant only for AWS resources; no kms:*, no Principal \"*\".",
            success: "Cross-account use needs the key policy to name the other account; kms:GrantIsForAWSResource keeps CreateGrant for AWS services only.",
            check: key_for_partner,
            pending: None,
        },
        Objective {
            id: "shared",
            text: "Share that snapshot with 444455556666 only (restore attribute; never \"all\").",
            success: "Sharing adds the account id to the snapshot's restore attribute; the partner sees it with SnapshotType shared.",
            check: shared,
            pending: None,
        },
        Objective {
            id: "partner-copy",
            text: "As partner-admin, copy the shared snapshot into 444455556666, encrypted with the partner's own key.",
            success: "Copying a shared encrypted snapshot requires a KmsKeyId of your own account: the copy no longer depends on the sharer's key.",
            check: partner_copy,
            pending: None,
        },
        Objective {
            id: "partner-restore",
            text: "As partner-admin, restore a DB instance from that copy; it must keep working with 111122223333's key disabled.",
            success: "The partner's instance and copy are encrypted under the partner's key; the source key could be disabled or deleted without affecting them.",
            check: partner_restore,
            pending: None,
        },
    ],
    hints: &[
        Hint {
            text: "aws/rds is an AWS managed key: nobody can edit its policy, so no other account can ever use it and RDS will not share snapshots encrypted with it. Start from a customer managed key (alias/rds-share, or one you create).",
            cost: 10,
        },
        Hint {
            text: "`aws kms get-key-policy --key-id $SHARE_KEY --policy-name default`, then `put-key-policy` with the root statement kept plus a statement for arn:aws:iam::444455556666:root allowing kms:DescribeKey and kms:Decrypt, and one allowing kms:CreateGrant with \"Condition\": {\"Bool\": {\"kms:GrantIsForAWSResource\": \"true\"}}.",
            cost: 20,
        },
        Hint {
            text: "`aws rds copy-db-snapshot --source-db-snapshot-identifier orders-db-nightly --target-db-snapshot-identifier orders-db-share --kms-key-id alias/rds-share`, then `aws rds modify-db-snapshot-attribute --db-snapshot-identifier orders-db-share --attribute-name restore --values-to-add 444455556666`.",
            cost: 20,
        },
        Hint {
            text: "As the partner (`--profile partner-admin`): `aws rds copy-db-snapshot --source-db-snapshot-identifier arn:aws:rds:us-east-1:111122223333:snapshot:orders-db-share --target-db-snapshot-identifier orders-db-partner --kms-key-id alias/partner-rds`, then `aws rds restore-db-instance-from-db-snapshot --db-instance-identifier orders-db --db-snapshot-identifier orders-db-partner`.",
            cost: 30,
        },
    ],
    wrong_turns: &[
        WrongTurn {
            id: "shared-aws-rds",
            detect: shared_aws_rds,
        },
        WrongTurn {
            id: "public",
            detect: public,
        },
        WrongTurn {
            id: "broad-key-policy",
            detect: broad_policy,
        },
        WrongTurn {
            id: "create-grant-unconditioned",
            detect: grant_unconditioned,
        },
        WrongTurn {
            id: "restored-directly",
            detect: restored_directly,
        },
        WrongTurn {
            id: "partner-uses-source-key",
            detect: partner_source_key,
        },
        WrongTurn {
            id: "copy-refused",
            detect: copy_refused,
        },
    ],
    solutions: &[
        Solution {
            route: "account-root",
            script: solution_account_root,
        },
        Solution {
            route: "new-key-partner-user",
            script: solution_partner_user,
        },
    ],
    debrief: "RDS encrypts an instance and its snapshots under one KMS key chosen at creation. A snapshot encrypted \
with the AWS managed key aws/rds cannot be shared: its key policy is owned by AWS and only admits your own \
account, so another account could never decrypt it. The documented path is: (1) copy the snapshot with \
CopyDBSnapshot and a customer managed key (a new data key is generated under it); (2) in that key's policy, name \
the other account (its root, which delegates to its IAM policies, or a specific principal) with kms:DescribeKey \
and kms:Decrypt (the console template adds Encrypt, ReEncrypt* and GenerateDataKey*), and kms:CreateGrant only \
with kms:GrantIsForAWSResource, because RDS creates a grant for the copy on the partner's behalf; the partner's \
own IAM policies must allow the same actions on your key ARN; (3) add the account id to the snapshot's restore \
attribute (encrypted snapshots can never be public, and at most 20 accounts); (4) the partner copies the shared \
snapshot by its ARN with a KmsKeyId of its own account: a snapshot that is both shared and encrypted is not \
restored directly; (5) the partner restores from its copy, which is encrypted under its own key, so your key can \
later be disabled, rotated or deleted, or its policy tightened, without touching the partner's data. \
In this lab, CloudTrail in both accounts shows RDS's DescribeKey, CreateGrant, Decrypt and RetireGrant on your key, invoked by \
rds.amazonaws.com for the partner.",
    docs: &[
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/share-encrypted-snapshot.html",
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ShareSnapshot.html",
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_CopySnapshot.html",
        "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CopyDBSnapshot.html",
        "https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html",
        "https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html",
    ],
    needs_enforcement: always,
    diagnose_from_cloudtrail: super::never,
};

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
        let policy = super::root_policy();
        attempt(
            &mut s,
            &format!(
                "aws kms put-key-policy --key-id $SHARE_KEY --policy-name default --policy '{policy}'"
            ),
        );
        attempt(
            &mut s,
            "aws rds copy-db-snapshot --source-db-snapshot-identifier orders-db-nightly --target-db-snapshot-identifier orders-db-share --kms-key-id alias/rds-share",
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
        assert_eq!(passed(&s), ["cmk-snapshot", "key-for-partner"]);
        testing::run(
            &mut s,
            "aws rds modify-db-snapshot-attribute --db-snapshot-identifier orders-db-share --attribute-name restore --values-to-add 444455556666",
        );
        testing::run(
            &mut s,
            "aws rds copy-db-snapshot --profile partner-admin --source-db-snapshot-identifier arn:aws:rds:us-east-1:111122223333:snapshot:orders-db-share --target-db-snapshot-identifier orders-db-partner --kms-key-id alias/partner-rds",
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
