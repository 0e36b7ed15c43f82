//! `dynamodb-inaccessible-table`: a table under a customer managed key whose key was disabled or
//! scheduled for deletion (the variant a seed draws); the learner finds the cause
//! (DescribeTable's SSEDescription, the key's state, CloudTrail) and brings the key back before
//! DynamoDB archives the table. Graded by DynamoDB's own answers, now and eight simulated days
//! later.

use cloud::dynamodb::model::{GetItemRequest, TableNameRequest};
use serde_json::{Value, json};

use super::Checks;
use crate::scenario::{Probe, Seen, Verdict};

const TABLE: &str = "Orders";
const CUSTOMER: &str = "Ana Lima";
/// How far past the learner's present the deadline check looks: beyond both the key's
/// deletion date and the table's archival date.
const DEADLINE_MS: i64 = 8 * 86_400_000;

pub(super) const CHECKS: Checks = Checks {
    id: "dynamodb-inaccessible-table",
    objectives: &[
        ("table-active", table_active),
        ("items-back", items_back),
        ("past-the-deadline", past_the_deadline),
    ],
    wrong_turns: &[
        ("cancelled-only", cancelled_only),
        ("key-switched", key_switched),
    ],
    values: |_| vec![("CUSTOMER", CUSTOMER.to_owned())],
    variant,
    // The learner finds the cause from DynamoDB, the key and CloudTrail: the "Why?" card must
    // not name it until the table is back.
    diagnose_from_cloudtrail: |_| true,
};

/// What happened to the key: `setup/<variant>.aws`.
fn variant(seed: u64) -> &'static str {
    if seed.is_multiple_of(2) {
        "pending-deletion"
    } else {
        "disabled"
    }
}

/// The table's status and its KMS key ARN (`None`: no KMS key), as DescribeTable shows them.
fn table(p: &mut Probe) -> Result<(String, Option<String>), String> {
    let t = p
        .typed("admin", |c| {
            c.dynamodb().describe_table(TableNameRequest {
                table_name: Some(TABLE.to_owned()),
            })
        })
        .map_err(|e| format!("{}: {}", e.code, e.message))?
        .table;
    let key = t
        .sse_description
        .filter(|d| d.sse_type == "KMS")
        .map(|d| d.kms_master_key_arn);
    Ok((t.table_status, key))
}

fn table_active(p: &mut Probe) -> Verdict {
    let key = p.var("KEY_ARN");
    match table(p) {
        Ok((status, Some(k))) if status == "ACTIVE" && k == key => {
            Verdict::pass("Orders is ACTIVE under alias/orders-table.")
        }
        Ok((status, _)) if status != "ACTIVE" => Verdict::fail(format!("Orders is {status}.")),
        Ok(_) => Verdict::fail("Orders is ACTIVE, but no longer under alias/orders-table."),
        Err(e) => Verdict::fail(format!("DescribeTable on Orders fails: {e}")),
    }
}

/// The first order's customer, as GetItem returns it.
fn first_order(p: &mut Probe) -> Result<Option<Value>, String> {
    let key = [("OrderId".to_owned(), json!({ "S": "o-1001" }))].into();
    p.typed("admin", |c| {
        c.dynamodb().get_item(GetItemRequest {
            table_name: Some(TABLE.to_owned()),
            key: Some(key),
            ..Default::default()
        })
    })
    .map(|r| r.item.and_then(|i| i.get("Customer").cloned()))
    .map_err(|e| format!("{}: {}", e.code, e.message))
}

fn items_back(p: &mut Probe) -> Verdict {
    match first_order(p) {
        Ok(Some(c)) if c == json!({ "S": CUSTOMER }) => {
            Verdict::pass("GetItem returns order o-1001 with its customer.")
        }
        Ok(_) => Verdict::fail("GetItem works, but order o-1001 is not the original one."),
        Err(e) => Verdict::fail(format!("GetItem on Orders fails: {e}")),
    }
}

fn past_the_deadline(p: &mut Probe) -> Verdict {
    table_active(p).and(|| items_back(p)).and(|| {
        p.session.world.advance_clock(DEADLINE_MS);
        let later = table_active(p).and(|| items_back(p));
        if later.passed {
            Verdict::pass("Eight days from now Orders is still ACTIVE and readable.")
        } else {
            Verdict::fail(format!("Eight days from now: {}", later.evidence))
        }
    })
}

fn cancelled_only(p: &mut Probe) -> Option<Seen> {
    let key = p.var("KEY_ARN");
    let cancelled = p
        .events_since_start()
        .iter()
        .any(|e| e.name() == "CancelKeyDeletion" && e.succeeded());
    let disabled = p
        .key_state(&key)
        .is_ok_and(|s| s == crate::scenario::probe::shapes::KeyState::Disabled);
    (cancelled && disabled).then(Seen::it)
}

fn key_switched(p: &mut Probe) -> Option<Seen> {
    let key = p.var("KEY_ARN");
    let (_, now) = table(p).ok()?;
    (now.as_deref() != Some(key.as_str())).then(Seen::it)
}

#[cfg(test)]
mod tests {
    use crate::scenario::testing::{attempt, passed_ids, run, started, wrong_turn_ids};

    const ID: &str = "dynamodb-inaccessible-table";
    /// Seeds of the two variants.
    const PENDING: u64 = 2;
    const DISABLED: u64 = 3;

    fn status(s: &mut awscli::Session) -> String {
        s.run_line_in_memory(
            "aws dynamodb describe-table --table-name Orders --query Table.TableStatus --output text",
        )
        .stdout
        .trim()
        .to_owned()
    }

    #[test]
    fn each_variant_leaves_the_table_inaccessible_with_its_cause_in_the_key() {
        for (seed, state) in [(PENDING, "PendingDeletion"), (DISABLED, "Disabled")] {
            let mut s = started(ID, seed);
            assert_eq!(status(&mut s), "INACCESSIBLE_ENCRYPTION_CREDENTIALS");
            let out = s.run_line_in_memory(
                "aws dynamodb describe-table --table-name Orders --query Table.SSEDescription.InaccessibleEncryptionDateTime",
            );
            assert!(out.stdout.contains("2026-"), "{}", out.stdout);
            let out = s.run_line_in_memory(
                "aws kms describe-key --key-id $KEY_ARN --query KeyMetadata.KeyState --output text",
            );
            assert_eq!(out.stdout.trim(), state);
            let out = s.run_line_in_memory(
                "aws dynamodb get-item --table-name Orders --key '{\"OrderId\": {\"S\": \"o-1001\"}}'",
            );
            assert!(
                out.stderr.contains("(AccessDeniedException)"),
                "{}",
                out.stderr
            );
            assert!(passed_ids(&s, ID).is_empty());
            assert!(wrong_turn_ids(&s, ID).is_empty());
            assert_eq!(
                crate::scenario::why_detail(&s),
                crate::scenario::WhyDetail::Limited
            );
        }
    }

    #[test]
    fn cancelling_without_enabling_is_named() {
        let mut s = started(ID, PENDING);
        run(&mut s, "aws kms cancel-key-deletion --key-id $KEY_ARN");
        assert_eq!(wrong_turn_ids(&s, ID), ["cancelled-only"]);
        assert!(passed_ids(&s, ID).is_empty());
    }

    #[test]
    fn moving_the_table_to_another_key_is_named() {
        let mut s = started(ID, DISABLED);
        run(&mut s, "aws kms enable-key --key-id $KEY_ARN");
        run(
            &mut s,
            "aws dynamodb update-table --table-name Orders --sse-specification Enabled=false",
        );
        assert_eq!(wrong_turn_ids(&s, ID), ["key-switched"]);
        assert_eq!(passed_ids(&s, ID), ["items-back"]);
    }

    #[test]
    fn waiting_past_the_deadline_loses_the_table() {
        for seed in [PENDING, DISABLED] {
            let mut s = started(ID, seed);
            run(&mut s, "lab clock advance 6d");
            assert_eq!(status(&mut s), "ARCHIVED");
            attempt(&mut s, "aws kms cancel-key-deletion --key-id $KEY_ARN");
            attempt(&mut s, "aws kms enable-key --key-id $KEY_ARN");
            assert_eq!(status(&mut s), "ARCHIVED");
            assert!(passed_ids(&s, ID).is_empty());
        }
    }
}
