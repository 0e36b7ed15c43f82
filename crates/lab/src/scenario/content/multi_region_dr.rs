//! `multi-region-dr`: data encrypted under a single-Region key in us-east-1 must survive a
//! us-east-1 outage. A key cannot become multi-Region, so the learner creates an `mrk-` primary,
//! re-encrypts the data under it, replicates it into us-west-2 with a key policy of its own,
//! creates the alias there too and keeps rotation on (set on the primary). Graded by calls to
//! us-west-2 only, as the application.

use base64::Engine as _;
use serde_json::{Value, json};

use super::{APP_ROLE, always, b64};
use crate::scenario::probe::{principals, statements};
use crate::scenario::{
    Availability, Difficulty, Hint, Objective, Probe, Scenario, Solution, Verdict, WrongTurn,
};

const EAST: &str = "us-east-1";
const WEST: &str = "us-west-2";
const ORDERS: &str =
    "orders export 2026-11-22: 18,204 orders, 1,377 refunds, settlement 412,880.05 USD\n";
/// Files that may hold the orders data under the multi-Region key.
const DATA_FILES: &[&str] = &["orders-mrk.bin", "orders.bin"];

/// The orders key's policy: the account root (so IAM can delegate administration) and the
/// application's use. AppRole has no KMS permissions in IAM, so key policies alone decide.
const POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},{"Sid":"OrdersApp","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/AppRole"},"Action":["kms:Encrypt","kms:Decrypt","kms:ReEncrypt*","kms:GenerateDataKey*","kms:DescribeKey"],"Resource":"*"}]}"#;

fn setup(_seed: u64) -> String {
    format!(
        "\
aws iam delete-role-policy --role-name AppRole --policy-name AppKeyUse
OLD_KEY=$(aws kms create-key --description \"Orders (single-Region)\" --policy '{POLICY}' --query KeyMetadata.KeyId --output text)
aws kms create-alias --alias-name alias/orders --target-key-id $OLD_KEY
aws kms enable-key-rotation --key-id $OLD_KEY
aws kms encrypt --profile app --key-id alias/orders --plaintext {} --query CiphertextBlob --output text | base64 --decode > orders.bin
",
        b64(ORDERS)
    )
}

/// Calls KMS `op` as `profile` in `region` in the clone.
fn kms_in(
    p: &mut Probe,
    profile: &str,
    region: &str,
    op: &str,
    input: Value,
) -> Result<Value, (String, String)> {
    let w = &mut p.session.world;
    let ctx = w
        .context_for_profile(Some(profile), Some(region))
        .map_err(|e| (e.code.clone(), e.message))?;
    w.call(&ctx, "kms", op, input)
        .map_err(|e| (e.code.clone(), e.message))
}

/// Decrypts `blob` (base64) as `profile` in `region`: the plaintext bytes and the key ARN used.
fn decrypt_in(
    p: &mut Probe,
    profile: &str,
    region: &str,
    blob: &str,
) -> Result<(Vec<u8>, String), String> {
    let v = kms_in(
        p,
        profile,
        region,
        "Decrypt",
        json!({ "CiphertextBlob": blob }),
    )
    .map_err(|(code, _)| code)?;
    let plain = base64::engine::general_purpose::STANDARD
        .decode(v["Plaintext"].as_str().unwrap_or_default())
        .map_err(|e| e.to_string())?;
    Ok((plain, v["KeyId"].as_str().unwrap_or_default().to_owned()))
}

/// Metadata of every key in us-west-2, as `admin`.
fn west_keys(p: &mut Probe) -> Vec<Value> {
    let ids: Vec<String> = kms_in(p, "admin", WEST, "ListKeys", json!({}))
        .ok()
        .and_then(|v| v["Keys"].as_array().cloned())
        .unwrap_or_default()
        .iter()
        .filter_map(|k| k["KeyId"].as_str().map(str::to_owned))
        .collect();
    ids.iter()
        .filter_map(|id| {
            kms_in(p, "admin", WEST, "DescribeKey", json!({ "KeyId": id }))
                .ok()
                .map(|v| v["KeyMetadata"].clone())
        })
        .collect()
}

/// Whether a key (metadata) is multi-Region with a related key in us-east-1: a replica of a
/// us-east-1 primary, or (after UpdatePrimaryRegion) the primary of a us-east-1 replica.
fn related_to_east(m: &Value) -> bool {
    let c = &m["MultiRegionConfiguration"];
    c["PrimaryKey"]["Region"] == EAST
        || c["ReplicaKeys"]
            .as_array()
            .is_some_and(|r| r.iter().any(|k| k["Region"] == EAST))
}

/// Multi-Region keys in us-west-2 related to a key in us-east-1 (normally the replica).
fn west_replicas(p: &mut Probe) -> Vec<Value> {
    west_keys(p).into_iter().filter(related_to_east).collect()
}

/// Customer managed keys in us-west-2 with material of their own (no related key in us-east-1).
fn separate_west_keys(p: &mut Probe) -> Vec<Value> {
    west_keys(p)
        .into_iter()
        .filter(|m| {
            m["KeyManager"] == "CUSTOMER"
                && m["KeyState"] != "PendingDeletion"
                && !related_to_east(m)
        })
        .collect()
}

/// The us-west-2 multi-Region key related to us-east-1 that the DR setup uses: the one
/// us-west-2's alias/orders targets, else an Enabled one, else one neither Enabled nor pending
/// deletion (Disabled, say), else one pending deletion. Abandoned attempts (an earlier replica
/// scheduled for deletion) are thus never graded in place of the live one.
fn west_replica(p: &mut Probe) -> Option<Value> {
    let replicas = west_replicas(p);
    let aliased = kms_in(
        p,
        "admin",
        WEST,
        "DescribeKey",
        json!({ "KeyId": "alias/orders" }),
    )
    .ok()
    .and_then(|v| v["KeyMetadata"]["KeyId"].as_str().map(str::to_owned));
    let pending = |m: &&Value| {
        matches!(
            m["KeyState"].as_str(),
            Some("PendingDeletion" | "PendingReplicaDeletion")
        )
    };
    replicas
        .iter()
        .find(|m| !pending(m) && aliased.is_some() && m["KeyId"].as_str() == aliased.as_deref())
        .or_else(|| replicas.iter().find(|m| m["KeyState"] == "Enabled"))
        .or_else(|| replicas.iter().find(|m| !pending(m)))
        .or_else(|| replicas.first())
        .cloned()
}

fn replica(p: &mut Probe) -> Verdict {
    let Some(r) = west_replica(p) else {
        return Verdict::fail(
            "us-west-2 has no replica of a multi-Region key whose primary is in us-east-1.",
        );
    };
    let id = r["KeyId"].as_str().unwrap_or_default().to_owned();
    if r["KeyState"] != "Enabled" {
        return Verdict::fail(format!(
            "The multi-Region key {id} in us-west-2 is {}, not Enabled.",
            r["KeyState"].as_str().unwrap_or_default()
        ));
    }
    match kms_in(p, "admin", EAST, "DescribeKey", json!({ "KeyId": id })) {
        Ok(v) if v["KeyMetadata"]["KeyState"] == "Enabled" => Verdict::pass(format!(
            "{id} exists in us-east-1 and in us-west-2, both Enabled: one key id, one key material ({} primary).",
            v["KeyMetadata"]["MultiRegionConfiguration"]["PrimaryKey"]["Region"]
                .as_str()
                .unwrap_or_default()
        )),
        Ok(v) => Verdict::fail(format!(
            "The related key {id} in us-east-1 is {}.",
            v["KeyMetadata"]["KeyState"].as_str().unwrap_or_default()
        )),
        Err((code, _)) => Verdict::fail(format!("The related key {id} in us-east-1: {code}.")),
    }
}

/// Which data file decrypts to the orders as the app in us-west-2, or why none does.
fn orders_in_west(p: &mut Probe) -> Result<String, String> {
    let mut why = Vec::new();
    for name in DATA_FILES {
        let Some(blob) = p.file_b64(name) else {
            continue;
        };
        match decrypt_in(p, "app", WEST, &blob) {
            Ok((plain, _)) if plain == ORDERS.as_bytes() => return Ok((*name).to_owned()),
            Ok(_) => why.push(format!("{name} decrypts, but not to the orders export")),
            Err(code) => why.push(format!("{name}: {code}")),
        }
    }
    if why.is_empty() {
        why.push("neither orders-mrk.bin nor orders.bin exists".to_owned());
    }
    Err(why.join("; "))
}

fn orders_west(p: &mut Probe) -> Verdict {
    match orders_in_west(p) {
        Ok(name) => Verdict::pass(format!(
            "Calling only us-west-2, `app` decrypts {name} to the orders export."
        )),
        Err(why) => Verdict::fail(format!(
            "Calling only us-west-2, `app` cannot read the orders export ({why})."
        )),
    }
}

/// Encrypts a probe record as the app with alias/orders in `from`, decrypts it in `to`.
fn round_trip(p: &mut Probe, from: &str, to: &str) -> Verdict {
    let enc = kms_in(
        p,
        "app",
        from,
        "Encrypt",
        json!({ "KeyId": "alias/orders", "Plaintext": b64("probe order\n") }),
    );
    let blob = match enc {
        Ok(v) => v["CiphertextBlob"].as_str().unwrap_or_default().to_owned(),
        Err((code, _)) => {
            return Verdict::fail(format!(
                "`app` cannot encrypt with alias/orders in {from}: {code}."
            ));
        }
    };
    match decrypt_in(p, "app", to, &blob) {
        Ok((plain, _)) if plain == b"probe order\n" => Verdict::pass(format!(
            "Encrypted with alias/orders in {from}, decrypted in {to}."
        )),
        Ok(_) => Verdict::fail(format!(
            "Data encrypted in {from} decrypts in {to} to something else."
        )),
        Err(code) => Verdict::fail(format!(
            "`app` encrypts with alias/orders in {from}, but cannot decrypt that in {to}: {code}."
        )),
    }
}

fn alias_both(p: &mut Probe) -> Verdict {
    round_trip(p, WEST, EAST).and(|| round_trip(p, EAST, WEST))
}

/// Whether a statement allows AppRole to call Decrypt.
fn allows_app_decrypt(s: &Value) -> bool {
    let action = |a: &str| matches!(a, "kms:Decrypt" | "kms:*" | "*");
    let actions = match &s["Action"] {
        Value::String(a) => action(a),
        Value::Array(a) => a.iter().filter_map(Value::as_str).any(action),
        _ => false,
    };
    s["Effect"] == "Allow" && actions && principals(s).iter().any(|x| x == APP_ROLE)
}

/// The names of AppRole's inline policies, now.
fn app_inline_policy_names(p: &mut Probe) -> Vec<String> {
    p.call(
        "admin",
        "iam",
        "ListRolePolicies",
        json!({ "RoleName": "AppRole" }),
    )
    .ok()
    .and_then(|v| v["PolicyNames"].as_array().cloned())
    .unwrap_or_default()
    .iter()
    .filter_map(|n| n.as_str().map(str::to_owned))
    .collect()
}

/// Removes every identity policy of AppRole in the clone (the clone is thrown away).
fn strip_app_iam(p: &mut Probe) {
    let inline = app_inline_policy_names(p);
    for name in inline {
        let _ = p.call(
            "admin",
            "iam",
            "DeleteRolePolicy",
            json!({ "RoleName": "AppRole", "PolicyName": name }),
        );
    }
    let attached: Vec<String> = p
        .call(
            "admin",
            "iam",
            "ListAttachedRolePolicies",
            json!({ "RoleName": "AppRole" }),
        )
        .ok()
        .and_then(|v| v["AttachedPolicies"].as_array().cloned())
        .unwrap_or_default()
        .iter()
        .filter_map(|n| n["PolicyArn"].as_str().map(str::to_owned))
        .collect();
    for arn in attached {
        let _ = p.call(
            "admin",
            "iam",
            "DetachRolePolicy",
            json!({ "RoleName": "AppRole", "PolicyArn": arn }),
        );
    }
}

fn replica_policy(p: &mut Probe) -> Verdict {
    let Some(r) = west_replica(p) else {
        return Verdict::fail("There is no replica in us-west-2 yet.");
    };
    let id = r["KeyId"].as_str().unwrap_or_default().to_owned();
    let policy: Option<Value> = kms_in(
        p,
        "admin",
        WEST,
        "GetKeyPolicy",
        json!({ "KeyId": id, "PolicyName": "default" }),
    )
    .ok()
    .and_then(|v| serde_json::from_str(v["Policy"].as_str()?).ok());
    let names_app = policy
        .as_ref()
        .is_some_and(|pol| statements(pol).into_iter().any(allows_app_decrypt));
    if !names_app {
        return Verdict::fail(
            "The replica's key policy in us-west-2 has no statement allowing AppRole to Decrypt (ReplicateKey without --policy attaches the default key policy).",
        );
    }
    // Proof by operation: with AppRole's IAM policies gone (in the clone), the app still reads.
    strip_app_iam(p);
    match orders_in_west(p) {
        Ok(name) => Verdict::pass(format!(
            "The replica's own key policy names AppRole: even without any IAM policy, `app` decrypts {name} in us-west-2."
        )),
        Err(why) => Verdict::fail(format!(
            "The replica's key policy names AppRole, but without IAM policies `app` still cannot read the orders in us-west-2 ({why})."
        )),
    }
}

fn rotation(p: &mut Probe) -> Verdict {
    let Some(r) = west_replica(p) else {
        return Verdict::fail("There is no replica in us-west-2 yet.");
    };
    let id = r["KeyId"].as_str().unwrap_or_default().to_owned();
    match kms_in(
        p,
        "admin",
        WEST,
        "GetKeyRotationStatus",
        json!({ "KeyId": id }),
    ) {
        Ok(v) if v["KeyRotationEnabled"] == true => Verdict::pass(format!(
            "The replica in us-west-2 reports automatic rotation every {} days, inherited from the primary.",
            v["RotationPeriodInDays"]
        )),
        Ok(_) => Verdict::fail("Automatic rotation is off for the multi-Region key."),
        Err((code, _)) => Verdict::fail(format!("GetKeyRotationStatus in us-west-2: {code}.")),
    }
}

/// Failed calls named `event` since the start, with their error codes.
fn failed(p: &Probe, event: &str) -> Vec<String> {
    p.events_since_start()
        .iter()
        .filter(|e| e.event_name == event)
        .filter_map(|e| e.error_code.clone())
        .collect()
}

fn replicated_single_region(p: &mut Probe) -> Option<String> {
    let tried = failed(p, "ReplicateKey")
        .iter()
        .any(|c| c == "UnsupportedOperationException");
    (tried && west_replicas(p).is_empty()).then(|| {
        "ReplicateKey refused the orders key: whether a key is multi-Region is fixed when it is created, and a \
single-Region key can never be replicated or converted. Create a new multi-Region primary \
(`aws kms create-key --multi-region`) and re-encrypt the data under it."
            .to_owned()
    })
}

fn separate_key(p: &mut Probe) -> Option<String> {
    let keys = separate_west_keys(p);
    let k = keys.first()?;
    Some(format!(
        "{} in us-west-2 is a key of its own, not a replica: it has different key material, so nothing encrypted \
in us-east-1 will ever decrypt with it. Only a replica (ReplicateKey of a multi-Region primary) shares the key \
id and material.",
        k["KeyId"].as_str().unwrap_or_default()
    ))
}

fn default_replica_policy(p: &mut Probe) -> Option<String> {
    let r = west_replica(p)?;
    if r["KeyState"] != "Enabled" {
        return None;
    }
    let id = r["KeyId"].as_str()?.to_owned();
    let v = kms_in(
        p,
        "admin",
        WEST,
        "GetKeyPolicy",
        json!({ "KeyId": id, "PolicyName": "default" }),
    )
    .ok()?;
    let pol: Value = serde_json::from_str(v["Policy"].as_str()?).ok()?;
    (!statements(&pol).into_iter().any(allows_app_decrypt)).then(|| {
        "The replica in us-west-2 does not name AppRole in its key policy. The key policy is not a shared property \
of multi-Region keys: ReplicateKey without --policy attaches the default key policy (it does not copy the \
primary's), and later changes are never synchronised. Give the replica its own policy (--policy on \
replicate-key, or put-key-policy --region us-west-2)."
            .to_owned()
    })
}

/// Whether an identity-policy statement allows some KMS action.
fn allows_some_kms(s: &Value) -> bool {
    let listed = |v: &Value| -> Vec<String> {
        match v {
            Value::String(a) => vec![a.to_ascii_lowercase()],
            Value::Array(a) => a
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_ascii_lowercase)
                .collect(),
            _ => Vec::new(),
        }
    };
    let kms = |a: &String| a == "*" || a.starts_with("kms:");
    s["Effect"] == "Allow"
        && (listed(&s["Action"]).iter().any(kms)
            || (!s["NotAction"].is_null() && !listed(&s["NotAction"]).iter().any(kms)))
}

/// AppRole's inline policies (by name) that allow some KMS action, now.
fn app_inline_kms_policies(p: &mut Probe) -> Vec<String> {
    let names = app_inline_policy_names(p);
    names
        .into_iter()
        .filter(|name| {
            let doc = p
                .call(
                    "admin",
                    "iam",
                    "GetRolePolicy",
                    json!({ "RoleName": "AppRole", "PolicyName": name }),
                )
                .ok()
                .map(|v| v["PolicyDocument"].clone())
                .unwrap_or_default();
            let doc = match doc {
                Value::String(text) => serde_json::from_str(&text).unwrap_or_default(),
                other => other,
            };
            statements(&doc).into_iter().any(allows_some_kms)
        })
        .collect()
}

fn iam_workaround(p: &mut Probe) -> Option<String> {
    // Inline policies are read; attached (AWS managed) ones are tested by operation: ListKeys is
    // authorized by IAM policies alone, and every lab managed policy that grants KMS grants it.
    let inline = app_inline_kms_policies(p);
    let attached = inline.is_empty()
        && kms_in(p, "app", EAST, "ListKeys", json!({}))
            .or_else(|_| kms_in(p, "app", WEST, "ListKeys", json!({})))
            .is_ok();
    (!inline.is_empty() || attached).then(|| {
        let which = if inline.is_empty() {
            "an attached IAM policy".to_owned()
        } else {
            format!("the inline IAM policy {}", inline.join(", "))
        };
        format!(
            "AppRole has KMS permissions in IAM ({which}). The team's rule is that key use is granted in key \
policies only; each replica has its own key policy, so that is where the standby's access belongs. Remove the IAM \
permissions and give the replica's key policy a statement for AppRole."
        )
    })
}

fn old_key_retired_early(p: &mut Probe) -> Option<String> {
    let old = p.var("OLD_KEY");
    let state = p.describe(&old).ok()?["KeyState"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let retired = matches!(state.as_str(), "PendingDeletion" | "Disabled");
    (retired && orders_in_west(p).is_err()).then(|| {
        format!(
            "The single-Region key is {state}, but the orders export is not yet re-encrypted under the multi-Region \
key: while it is, orders.bin cannot be read anywhere. Re-encrypt first, retire the old key last (to restore it: cancel-key-deletion, \
which leaves it Disabled, then enable-key; a key that is only Disabled needs just enable-key)."
        )
    })
}

fn update_primary(p: &mut Probe) -> Option<String> {
    (!failed(p, "UpdatePrimaryRegion").is_empty()).then(|| {
        "UpdatePrimaryRegion does not make a key multi-Region: it only moves the primary role among related \
multi-Region keys, and needs a replica in the target Region first. For recovery you do not need it at all: a \
replica encrypts and decrypts on its own while the primary's Region is down."
            .to_owned()
    })
}

fn rotation_on_replica(p: &mut Probe) -> Option<String> {
    let tried = ["EnableKeyRotation", "DisableKeyRotation"].iter().any(|e| {
        failed(p, e)
            .iter()
            .any(|c| c == "UnsupportedOperationException")
    });
    let on = rotation(p).passed;
    (tried && !on).then(|| {
        "Rotation is a shared property of multi-Region keys, configured on the primary only (enable-key-rotation \
in us-east-1); replicas inherit it and refuse EnableKeyRotation."
            .to_owned()
    })
}

const COPY_POLICY: &str = "\
POLICY=$(aws kms get-key-policy --key-id $OLD_KEY --policy-name default --query Policy --output text)
MRK=$(aws kms create-key --multi-region --description \"Orders (multi-Region)\" --policy \"$POLICY\" --query KeyMetadata.KeyId --output text)
";

fn solution_re_encrypt(_: u64) -> Option<String> {
    Some(format!(
        "\
{COPY_POLICY}aws kms re-encrypt --ciphertext-blob fileb://orders.bin --destination-key-id $MRK --query CiphertextBlob --output text | base64 --decode > orders-mrk.bin
aws kms replicate-key --key-id $MRK --replica-region us-west-2 --policy \"$POLICY\"
aws kms enable-key-rotation --key-id $MRK
aws kms update-alias --alias-name alias/orders --target-key-id $MRK
aws kms create-alias --alias-name alias/orders --target-key-id $MRK --region us-west-2
"
    ))
}

fn solution_decrypt_encrypt(_: u64) -> Option<String> {
    Some(format!(
        "\
{COPY_POLICY}aws kms enable-key-rotation --key-id $MRK --rotation-period-in-days 365
aws kms replicate-key --key-id $MRK --replica-region us-west-2 --description \"Orders (us-west-2 replica)\"
aws kms put-key-policy --key-id $MRK --policy-name default --policy \"$POLICY\" --region us-west-2
aws kms create-alias --alias-name alias/orders --target-key-id $MRK --region us-west-2
aws kms decrypt --ciphertext-blob fileb://orders.bin --query Plaintext --output text | base64 --decode > orders.txt
aws kms encrypt --region us-west-2 --key-id alias/orders --plaintext fileb://orders.txt --query CiphertextBlob --output text | base64 --decode > orders.bin
aws kms delete-alias --alias-name alias/orders
aws kms create-alias --alias-name alias/orders --target-key-id $MRK
"
    ))
}

pub(super) const SCENARIO: Scenario = Scenario {
    id: "multi-region-dr",
    title: "Disaster recovery with multi-Region keys",
    exam: "SOA-C03 Domain 2 (Reliability and Business Continuity); SAA-C03 Domain 2 (Design Resilient Architectures); Domain 4 (Security): KMS keys across Regions",
    difficulty: Difficulty::Advanced,
    minutes: 25,
    availability: Availability::Playable,
    story: "The orders service (role AppRole, profile app) runs in us-east-1. Its nightly export orders.bin is \
encrypted under alias/orders ($OLD_KEY), a single-Region customer managed key with automatic rotation. The new \
disaster-recovery plan says: if us-east-1 goes down, the standby in us-west-2 must read the export and keep \
writing new orders with the same alias/orders name, calling only us-west-2; when us-east-1 comes back, orders \
written in us-west-2 must open there too. The security team grants KMS use in key policies only: AppRole has no \
KMS permissions in IAM, and it stays that way. Rotation must stay on. Put the recoverable export in \
orders-mrk.bin (or replace orders.bin); the CLI's `--region us-west-2` talks to the other Region.",
    setup,
    record_vars: &["OLD_KEY"],
    files: &["orders.bin", "orders-mrk.bin", "orders.txt"],
    objectives: &[
        Objective {
            id: "replica",
            text: "A multi-Region primary key in us-east-1 has an Enabled replica in us-west-2.",
            success: "Related multi-Region keys share key id and key material, so ciphertext from one Region decrypts in the other without a cross-Region call.",
            check: replica,
            pending: None,
        },
        Objective {
            id: "orders-west",
            text: "With us-east-1 down (only us-west-2 is called), the app decrypts the orders export (orders-mrk.bin or orders.bin).",
            success: "The export was re-encrypted under the multi-Region key; its replica in us-west-2 decrypts it alone.",
            check: orders_west,
            pending: None,
        },
        Objective {
            id: "alias-both",
            text: "alias/orders names the multi-Region key in both Regions: what the app encrypts with it in one Region decrypts in the other.",
            success: "Aliases are per Region and never replicated; the same alias name in each Region keeps the application's configuration unchanged on failover and failback.",
            check: alias_both,
            pending: None,
        },
        Objective {
            id: "replica-policy",
            text: "The app's access in us-west-2 comes from the replica's own key policy, not from IAM.",
            success: "Key policies are independent per related key: the replica got its own statement for AppRole.",
            check: replica_policy,
            pending: None,
        },
        Objective {
            id: "rotation",
            text: "Keep automatic rotation on for the multi-Region key (the replica in us-west-2 must report it).",
            success: "Rotation is a shared property set on the primary; KMS syncs it and every new material version to the replicas.",
            check: rotation,
            pending: None,
        },
    ],
    hints: &[
        Hint {
            text: "Try `aws kms replicate-key --key-id $OLD_KEY --replica-region us-west-2` and read the error: multi-Region is chosen at creation. You need `aws kms create-key --multi-region` (give it the old key's policy: `aws kms get-key-policy --key-id $OLD_KEY --policy-name default --query Policy --output text`).",
            cost: 10,
        },
        Hint {
            text: "Move the data without seeing it: `aws kms re-encrypt --ciphertext-blob fileb://orders.bin --destination-key-id $MRK --query CiphertextBlob --output text | base64 --decode > orders-mrk.bin`. Then `aws kms replicate-key --key-id $MRK --replica-region us-west-2`.",
            cost: 20,
        },
        Hint {
            text: "A replica has its own key policy (default unless you pass --policy), its own aliases (`aws kms create-alias ... --region us-west-2`; repoint us-east-1 with update-alias) and inherits rotation from the primary (`aws kms enable-key-rotation --key-id $MRK` in us-east-1).",
            cost: 30,
        },
    ],
    wrong_turns: &[
        WrongTurn {
            id: "replicate-single-region",
            detect: replicated_single_region,
        },
        WrongTurn {
            id: "separate-key",
            detect: separate_key,
        },
        WrongTurn {
            id: "default-replica-policy",
            detect: default_replica_policy,
        },
        WrongTurn {
            id: "iam-workaround",
            detect: iam_workaround,
        },
        WrongTurn {
            id: "old-key-retired-early",
            detect: old_key_retired_early,
        },
        WrongTurn {
            id: "update-primary",
            detect: update_primary,
        },
        WrongTurn {
            id: "rotation-on-replica",
            detect: rotation_on_replica,
        },
    ],
    solutions: &[
        Solution {
            route: "re-encrypt",
            script: solution_re_encrypt,
        },
        Solution {
            route: "decrypt-encrypt-in-replica",
            script: solution_decrypt_encrypt,
        },
    ],
    debrief: "KMS keys are Regional: a single-Region key and its ciphertext are useless when its Region is down. \
Multi-Region keys are sets of related keys in different Regions with the same key id (mrk-...) and the same key \
material, so data encrypted in one Region decrypts in another without a cross-Region call. Whether a key is \
multi-Region is decided at creation; an existing key cannot be converted, so existing data has to be \
re-encrypted under a new multi-Region primary: ReEncrypt does it inside KMS (the plaintext never leaves it), or \
decrypt and encrypt again. ReplicateKey creates a replica in another Region of the same partition. Shared \
properties (key id, material, spec, usage, origin, automatic rotation) are configured on the primary and synced; \
everything else is per key: key policy, grants, aliases, tags, description and state. ReplicateKey without a \
Policy attaches the default key policy, not the primary's, and later policy changes are never synchronised, so \
each replica needs its own statements. Aliases are never replicated. A replica works on its own during an \
outage of the primary's Region; UpdatePrimaryRegion only moves the primary role (for managing shared \
properties) and is not needed to fail over. Each replica is billed as a key ($1/month). A separate key created \
in the recovery Region has different material and can never decrypt the old data.",
    docs: &[
        "https://docs.aws.amazon.com/kms/latest/developerguide/multi-region-keys-overview.html",
        "https://docs.aws.amazon.com/kms/latest/developerguide/mrk-how-it-works.html",
        "https://docs.aws.amazon.com/kms/latest/developerguide/multi-region-keys-replicate.html",
        "https://docs.aws.amazon.com/kms/latest/APIReference/API_ReplicateKey.html",
        "https://docs.aws.amazon.com/kms/latest/APIReference/API_ReEncrypt.html",
        "https://docs.aws.amazon.com/kms/latest/APIReference/API_UpdatePrimaryRegion.html",
    ],
    needs_enforcement: always,
    diagnose_from_cloudtrail: super::never,
};

#[cfg(test)]
mod tests {
    use awscli::Session;

    use crate::scenario::evaluate;
    use crate::scenario::testing::{self, run};

    const ID: &str = "multi-region-dr";

    fn session() -> Session {
        testing::started(ID, 7)
    }

    fn hits(s: &Session) -> Vec<&'static str> {
        testing::wrong_turn_ids(s, ID)
    }

    fn passed(s: &Session) -> Vec<&'static str> {
        testing::passed_ids(s, ID)
    }

    #[test]
    fn single_region_key_cannot_be_replicated_and_a_separate_key_is_named() {
        if !crate::enforcement_active() {
            return;
        }
        let mut s = session();
        let out = s.run_line_in_memory(
            "aws kms replicate-key --key-id $OLD_KEY --replica-region us-west-2",
        );
        assert_eq!(
            out.error_code.as_deref(),
            Some("UnsupportedOperationException")
        );
        let out = s.run_line_in_memory(
            "aws kms update-primary-region --key-id $OLD_KEY --primary-region us-west-2",
        );
        assert_ne!(out.exit_code, 0);
        run(
            &mut s,
            "WEST=$(aws kms create-key --region us-west-2 --query KeyMetadata.KeyId --output text)",
        );
        run(
            &mut s,
            "aws kms create-alias --region us-west-2 --alias-name alias/orders --target-key-id $WEST",
        );
        assert_eq!(
            hits(&s),
            ["replicate-single-region", "separate-key", "update-primary"]
        );
        // The separate key's alias encrypts in us-west-2, but nothing crosses Regions.
        assert!(passed(&s).is_empty(), "{:?}", passed(&s));
    }

    #[test]
    fn default_replica_policy_and_iam_workaround_are_named() {
        if !crate::enforcement_active() {
            return;
        }
        let mut s = session();
        for line in [
            "POLICY=$(aws kms get-key-policy --key-id $OLD_KEY --policy-name default --query Policy --output text)",
            "MRK=$(aws kms create-key --multi-region --policy \"$POLICY\" --query KeyMetadata.KeyId --output text)",
            "aws kms re-encrypt --ciphertext-blob fileb://orders.bin --destination-key-id $MRK --query CiphertextBlob --output text | base64 --decode > orders-mrk.bin",
            "aws kms replicate-key --key-id $MRK --replica-region us-west-2",
        ] {
            run(&mut s, line);
        }
        assert_eq!(hits(&s), ["default-replica-policy"]);
        assert_eq!(passed(&s), ["replica"]);
        let out =
            s.run_line_in_memory("aws kms enable-key-rotation --key-id $MRK --region us-west-2");
        assert_eq!(
            out.error_code.as_deref(),
            Some("UnsupportedOperationException")
        );
        assert_eq!(hits(&s), ["default-replica-policy", "rotation-on-replica"]);
        // Working around the replica's policy with IAM reads the data, but is named and not counted.
        run(
            &mut s,
            r#"aws iam put-role-policy --role-name AppRole --policy-name Dr --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}]}'"#,
        );
        assert_eq!(
            hits(&s),
            [
                "default-replica-policy",
                "iam-workaround",
                "rotation-on-replica"
            ]
        );
        assert_eq!(passed(&s), ["replica", "orders-west"]);
    }

    #[test]
    fn retiring_the_old_key_before_re_encrypting_is_named() {
        let mut s = session();
        run(
            &mut s,
            "aws kms schedule-key-deletion --key-id $OLD_KEY --pending-window-in-days 7",
        );
        assert_eq!(hits(&s), ["old-key-retired-early"]);
    }

    #[test]
    fn moving_the_primary_to_us_west_2_afterwards_still_passes() {
        if !crate::enforcement_active() {
            return;
        }
        let mut s = session();
        crate::scenario::solve(&mut s, ID, Some("re-encrypt")).unwrap();
        run(
            &mut s,
            "aws kms update-primary-region --key-id $MRK --primary-region us-west-2",
        );
        assert_eq!(passed(&s).len(), 5, "{:#?}", evaluate(&s, ID));
        assert!(hits(&s).is_empty(), "{:?}", hits(&s));
    }

    #[test]
    fn iam_workaround_follows_the_current_iam_policies() {
        if !crate::enforcement_active() {
            return;
        }
        let mut s = session();
        crate::scenario::solve(&mut s, ID, Some("re-encrypt")).unwrap();
        assert!(hits(&s).is_empty(), "{:?}", hits(&s));
        // An inline policy without KMS actions is not a workaround.
        run(
            &mut s,
            r#"aws iam put-role-policy --role-name AppRole --policy-name Logs --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}'"#,
        );
        assert!(hits(&s).is_empty(), "{:?}", hits(&s));
        run(
            &mut s,
            r#"aws iam put-role-policy --role-name AppRole --policy-name Dr --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["kms:Decrypt"],"Resource":"*"}]}'"#,
        );
        assert_eq!(hits(&s), ["iam-workaround"]);
        run(
            &mut s,
            "aws iam delete-role-policy --role-name AppRole --policy-name Dr",
        );
        assert!(hits(&s).is_empty(), "{:?}", hits(&s));
        // Attached managed policies count when they grant KMS.
        run(
            &mut s,
            "aws iam attach-role-policy --role-name AppRole --policy-arn arn:aws:iam::aws:policy/AmazonS3FullAccess",
        );
        assert!(hits(&s).is_empty(), "{:?}", hits(&s));
        run(
            &mut s,
            "aws iam attach-role-policy --role-name AppRole --policy-arn arn:aws:iam::aws:policy/PowerUserAccess",
        );
        assert_eq!(hits(&s), ["iam-workaround"]);
        run(
            &mut s,
            "aws iam detach-role-policy --role-name AppRole --policy-arn arn:aws:iam::aws:policy/PowerUserAccess",
        );
        assert!(hits(&s).is_empty(), "{:?}", hits(&s));
        assert_eq!(passed(&s).len(), 5, "{:#?}", evaluate(&s, ID));
    }

    #[test]
    fn an_abandoned_multi_region_key_is_not_graded_in_place_of_the_live_one() {
        if !crate::enforcement_active() {
            return;
        }
        let mut s = session();
        // Three abandoned attempts: replicated with the default policy, then both Regions
        // scheduled for deletion.
        for n in 1..=3 {
            for line in [
                format!(
                    "ABANDONED{n}=$(aws kms create-key --multi-region --query KeyMetadata.KeyId --output text)"
                ),
                format!("aws kms replicate-key --key-id $ABANDONED{n} --replica-region us-west-2"),
                format!(
                    "aws kms schedule-key-deletion --key-id $ABANDONED{n} --region us-west-2 --pending-window-in-days 7"
                ),
                format!(
                    "aws kms schedule-key-deletion --key-id $ABANDONED{n} --pending-window-in-days 7"
                ),
            ] {
                run(&mut s, &line);
            }
        }
        crate::scenario::solve(&mut s, ID, Some("decrypt-encrypt-in-replica")).unwrap();
        // The test means something only if an abandoned replica is listed before the live one.
        let listed = s.run_line_in_memory(
            "aws kms list-keys --region us-west-2 --query Keys[].KeyId --output text",
        );
        let live = s.run_line_in_memory("echo $MRK").stdout.trim().to_owned();
        let first = listed
            .stdout
            .split_whitespace()
            .find(|id| id.starts_with("mrk-"))
            .unwrap_or_default()
            .to_owned();
        assert_ne!(first, live, "{}", listed.stdout);
        assert_eq!(passed(&s).len(), 5, "{:#?}", evaluate(&s, ID));
        assert!(hits(&s).is_empty(), "{:?}", hits(&s));
    }
}
