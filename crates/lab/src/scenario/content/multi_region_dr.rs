//! `multi-region-dr`: data encrypted under a single-Region key in us-east-1 must survive a
//! us-east-1 outage. A key cannot become multi-Region, so the learner creates an `mrk-` primary,
//! re-encrypts the data under it, replicates it into us-west-2 with a key policy of its own,
//! creates the alias there too and keeps rotation on (set on the primary). Graded by calls to
//! us-west-2 only, as the application.

use cloud::AwsError;
use policy::Principal;

use super::{Checks, PROD, b64};
use crate::scenario::probe::Kms;
use crate::scenario::probe::policies::{allows_some_kms, names_and_allows};
use crate::scenario::probe::shapes::{Decrypted, KeyMetadata, KeyState};
use crate::scenario::{Probe, Seen, Verdict};

const EAST: &str = "us-east-1";
const WEST: &str = "us-west-2";
const ORDERS: &str =
    "orders export 2026-11-22: 18,204 orders, 1,377 refunds, settlement 412,880.05 USD\n";
/// Files that may hold the orders data under the multi-Region key.
const DATA_FILES: &[&str] = &["orders-mrk.bin", "orders.bin"];

pub(super) const CHECKS: Checks = Checks {
    id: "multi-region-dr",
    objectives: &[
        ("replica", replica),
        ("orders-west", orders_west),
        ("alias-both", alias_both),
        ("replica-policy", replica_policy),
        ("rotation", rotation),
    ],
    wrong_turns: &[
        ("replicate-single-region", replicated_single_region),
        ("separate-key", separate_key),
        ("default-replica-policy", default_replica_policy),
        ("iam-workaround", iam_workaround),
        ("old-key-retired-early", old_key_retired_early),
        ("update-primary", update_primary),
        ("rotation-on-replica", rotation_on_replica),
    ],
    values: |_| vec![("ORDERS_B64", b64(ORDERS))],
    ..Checks::BASE
};

/// KMS as `profile` in `region`.
fn kms_in<'p>(p: &'p mut Probe, profile: &'p str, region: &'p str) -> Kms<'p> {
    p.kms(profile).region(region)
}

/// Decrypts `blob` (base64) as `profile` in `region`, or the error code.
fn decrypt_in(p: &mut Probe, profile: &str, region: &str, blob: &str) -> Result<Decrypted, String> {
    kms_in(p, profile, region)
        .decrypt(blob, None)
        .map_err(|e| e.code)
}

/// Metadata of every key in us-west-2, as `admin`.
fn west_keys(p: &mut Probe) -> Vec<KeyMetadata> {
    let ids = kms_in(p, "admin", WEST).key_ids().unwrap_or_default();
    ids.iter()
        .filter_map(|id| kms_in(p, "admin", WEST).describe_key(id).ok())
        .collect()
}

/// Multi-Region keys in us-west-2 related to a key in us-east-1 (normally the replica): a
/// replica of a us-east-1 primary, or (after UpdatePrimaryRegion) the primary of a us-east-1
/// replica.
fn west_replicas(p: &mut Probe) -> Vec<KeyMetadata> {
    west_keys(p)
        .into_iter()
        .filter(|m| m.related_in(EAST))
        .collect()
}

/// Customer managed keys in us-west-2 with material of their own (no related key in us-east-1).
fn separate_west_keys(p: &mut Probe) -> Vec<KeyMetadata> {
    west_keys(p)
        .into_iter()
        .filter(|m| {
            m.customer_managed() && m.key_state != KeyState::PendingDeletion && !m.related_in(EAST)
        })
        .collect()
}

/// The us-west-2 multi-Region key related to us-east-1 that the DR setup uses: the one
/// us-west-2's alias/orders targets, else an Enabled one, else one neither Enabled nor pending
/// deletion (Disabled, say), else one pending deletion. Abandoned attempts (an earlier replica
/// scheduled for deletion) are thus never graded in place of the live one.
fn west_replica(p: &mut Probe) -> Option<KeyMetadata> {
    let replicas = west_replicas(p);
    let aliased = kms_in(p, "admin", WEST)
        .describe_key("alias/orders")
        .ok()
        .map(|m| m.key_id);
    let pending = |m: &&KeyMetadata| m.key_state.pending_deletion();
    replicas
        .iter()
        .find(|m| !pending(m) && aliased.as_deref() == Some(m.key_id.as_str()))
        .or_else(|| replicas.iter().find(|m| m.key_state == KeyState::Enabled))
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
    let id = r.key_id;
    if r.key_state != KeyState::Enabled {
        return Verdict::fail(format!(
            "The multi-Region key {id} in us-west-2 is {}, not Enabled.",
            r.key_state
        ));
    }
    match kms_in(p, "admin", EAST).describe_key(&id) {
        Ok(m) if m.key_state == KeyState::Enabled => Verdict::pass(format!(
            "{id} exists in us-east-1 and in us-west-2, both Enabled: one key id, one key material ({} primary).",
            m.multi_region_configuration
                .and_then(|c| c.primary_key)
                .map(|k| k.region)
                .unwrap_or_default()
        )),
        Ok(m) => Verdict::fail(format!(
            "The related key {id} in us-east-1 is {}.",
            m.key_state
        )),
        Err(e) => Verdict::fail(format!("The related key {id} in us-east-1: {}.", e.code)),
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
            Ok(d) if d.plaintext == ORDERS.as_bytes() => return Ok((*name).to_owned()),
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
    let blob = match kms_in(p, "app", from).encrypt("alias/orders", b"probe order\n") {
        Ok(blob) => blob,
        Err(e) => {
            return Verdict::fail(format!(
                "`app` cannot encrypt with alias/orders in {from}: {}.",
                e.code
            ));
        }
    };
    match decrypt_in(p, "app", to, &blob) {
        Ok(d) if d.plaintext == b"probe order\n" => Verdict::pass(format!(
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

/// Whether the replica's own key policy names AppRole and allows it Decrypt.
fn replica_names_app(p: &mut Probe, replica: &KeyMetadata) -> Result<bool, AwsError> {
    let policy = kms_in(p, "admin", WEST).key_policy(&replica.key_id)?;
    Ok(names_and_allows(
        &policy,
        Principal::role(PROD, "AppRole"),
        "kms:Decrypt",
        &replica.arn,
    ))
}

/// Removes every identity policy of AppRole in the clone (the clone is thrown away).
fn strip_app_iam(p: &mut Probe) {
    let inline = p
        .iam("admin")
        .role_policy_names("AppRole")
        .unwrap_or_default();
    for name in inline {
        let _ = p.iam("admin").delete_role_policy("AppRole", &name);
    }
    let attached = p
        .iam("admin")
        .attached_role_policies("AppRole")
        .unwrap_or_default();
    for arn in attached {
        let _ = p.iam("admin").detach_role_policy("AppRole", &arn);
    }
}

fn replica_policy(p: &mut Probe) -> Verdict {
    let Some(r) = west_replica(p) else {
        return Verdict::fail("There is no replica in us-west-2 yet.");
    };
    if !replica_names_app(p, &r).unwrap_or(false) {
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
    match kms_in(p, "admin", WEST).rotation_status(&r.key_id) {
        Ok(s) if s.key_rotation_enabled => Verdict::pass(format!(
            "The replica in us-west-2 reports automatic rotation every {} days, inherited from the primary.",
            s.period()
        )),
        Ok(_) => Verdict::fail("Automatic rotation is off for the multi-Region key."),
        Err(e) => Verdict::fail(format!("GetKeyRotationStatus in us-west-2: {}.", e.code)),
    }
}

/// Failed calls named `event` since the start, with their error codes.
fn failed(p: &Probe, event: &str) -> Vec<String> {
    p.events_since_start()
        .iter()
        .filter(|e| e.name() == event)
        .filter_map(|e| e.error_code().map(str::to_owned))
        .collect()
}

fn replicated_single_region(p: &mut Probe) -> Option<Seen> {
    let tried = failed(p, "ReplicateKey")
        .iter()
        .any(|c| c == "UnsupportedOperationException");
    (tried && west_replicas(p).is_empty()).then(Seen::it)
}

fn separate_key(p: &mut Probe) -> Option<Seen> {
    let keys = separate_west_keys(p);
    let k = keys.first()?;
    Some(Seen::it().with("KEY", &k.key_id))
}

fn default_replica_policy(p: &mut Probe) -> Option<Seen> {
    let r = west_replica(p)?;
    if r.key_state != KeyState::Enabled {
        return None;
    }
    (!replica_names_app(p, &r).ok()?).then(Seen::it)
}

/// AppRole's inline policies (by name) that allow some KMS action, now.
fn app_inline_kms_policies(p: &mut Probe) -> Vec<String> {
    let names = p
        .iam("admin")
        .role_policy_names("AppRole")
        .unwrap_or_default();
    names
        .into_iter()
        .filter(|name| {
            p.iam("admin")
                .role_policy("AppRole", name)
                .is_ok_and(|doc| allows_some_kms(&doc))
        })
        .collect()
}

fn iam_workaround(p: &mut Probe) -> Option<Seen> {
    // Inline policies are read; attached (AWS managed) ones are tested by operation: ListKeys is
    // authorized by IAM policies alone, and every lab managed policy that grants KMS grants it.
    let inline = app_inline_kms_policies(p);
    if !inline.is_empty() {
        return Some(Seen::it().with("NAMES", inline.join(", ")));
    }
    let attached =
        kms_in(p, "app", EAST).key_ids().is_ok() || kms_in(p, "app", WEST).key_ids().is_ok();
    attached.then(|| Seen::variant("attached"))
}

fn old_key_retired_early(p: &mut Probe) -> Option<Seen> {
    let old = p.var("OLD_KEY");
    let state = p.describe(&old).ok()?.key_state;
    let retired = matches!(state, KeyState::PendingDeletion | KeyState::Disabled);
    (retired && orders_in_west(p).is_err()).then(|| Seen::it().with("STATE", state))
}

fn update_primary(p: &mut Probe) -> Option<Seen> {
    (!failed(p, "UpdatePrimaryRegion").is_empty()).then(Seen::it)
}

fn rotation_on_replica(p: &mut Probe) -> Option<Seen> {
    let tried = ["EnableKeyRotation", "DisableKeyRotation"].iter().any(|e| {
        failed(p, e)
            .iter()
            .any(|c| c == "UnsupportedOperationException")
    });
    let on = rotation(p).passed;
    (tried && !on).then(Seen::it)
}

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
