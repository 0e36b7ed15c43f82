//! `sns-sqs-encrypted-pipeline`: an SNS topic delivers to an SQS queue under SSE-KMS with a new
//! customer managed key; the key policy lacks `sns.amazonaws.com` and the queue has no policy,
//! so every order is lost. Graded by publishing an order in the clone and reading it as AppRole,
//! and by asking the policy evaluator what SNS may do with the key and who may send to the queue.

use cloud::sns::model::PublishRequest;
use cloud::sqs::model::{GetQueueAttributesRequest, ReceiveMessageRequest};
use policy::{Limits, PolicyDocument, PolicyKind};

use super::{Checks, PARTNER, PROD};
use crate::scenario::probe::policies::{allows_everyone, allows_service};
use crate::scenario::probe::shapes::KeyManager;
use crate::scenario::{Probe, Seen, Verdict};

const QUEUE_ARN: &str = "arn:aws:sqs:us-east-1:111122223333:orders";
const TOPIC_ARN: &str = "arn:aws:sns:us-east-1:111122223333:order-events";
const SNS: &str = "sns.amazonaws.com";

/// The statement a new key's default policy has: the account's root.
const ROOT: &str = r#"{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}"#;
/// The SQS guide's statement for an SNS topic delivering to the queue.
const SNS_STATEMENT: &str = r#"{"Sid":"Allow Amazon SNS to use the key","Effect":"Allow","Principal":{"Service":"sns.amazonaws.com"},"Action":["kms:GenerateDataKey*","kms:Decrypt"],"Resource":"*"}"#;
/// The same, bound to this queue by the encryption context SQS sends.
const SNS_BOUND: &str = r#"{"Sid":"SnsForTheOrdersQueue","Effect":"Allow","Principal":{"Service":"sns.amazonaws.com"},"Action":["kms:GenerateDataKey","kms:Decrypt"],"Resource":"*","Condition":{"ArnEquals":{"kms:EncryptionContext:aws:sqs:arn":"arn:aws:sqs:us-east-1:111122223333:orders"}}}"#;
/// The queue policy: SendMessage for the topic only.
const QUEUE_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"OrderEventsOnly","Effect":"Allow","Principal":{"Service":"sns.amazonaws.com"},"Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:111122223333:orders","Condition":{"ArnEquals":{"aws:SourceArn":"arn:aws:sns:us-east-1:111122223333:order-events"}}}]}"#;
/// AppRole's permissions on the queue (the fulfilment service).
const CONSUMER_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sqs:ReceiveMessage","sqs:DeleteMessage","sqs:GetQueueAttributes"],"Resource":"arn:aws:sqs:us-east-1:111122223333:orders"}]}"#;

fn policy(statements: &[&str]) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        statements.join(",")
    )
}

/// `set-queue-attributes --attributes` JSON with `QUEUE_POLICY` as the Policy string.
fn queue_policy_attributes() -> String {
    serde_json::json!({ "Policy": QUEUE_POLICY }).to_string()
}

pub(super) const CHECKS: Checks = Checks {
    id: "sns-sqs-encrypted-pipeline",
    objectives: &[
        ("order-arrives", order_arrives),
        ("least-privilege", least_privilege),
    ],
    wrong_turns: &[
        ("aws-managed-key", aws_managed_key),
        ("customer-key-removed", customer_key_removed),
        ("open-key-policy", open_key_policy),
        ("queue-open-to-any-topic", queue_open_to_any_topic),
    ],
    values: |_| {
        vec![
            ("CONSUMER_POLICY", CONSUMER_POLICY.to_owned()),
            ("KEY_POLICY", policy(&[ROOT, SNS_STATEMENT])),
            ("KEY_POLICY_BOUND", policy(&[ROOT, SNS_BOUND])),
            ("QUEUE_POLICY_ATTRIBUTES", queue_policy_attributes()),
        ]
    },
    ..Checks::BASE
};

/// The queue's attribute `name` as admin reads it (`None`: unset, or the queue is gone).
fn queue_attribute(p: &mut Probe, name: &str) -> Option<String> {
    let url = p.var("QUEUE_URL");
    p.typed("admin", |c| {
        c.sqs().get_queue_attributes(GetQueueAttributesRequest {
            queue_url: Some(url),
            attribute_names: Some(vec!["All".to_owned()]),
        })
    })
    .ok()?
    .attributes?
    .remove(name)
}

/// What the queue's `KmsMasterKeyId` resolves to: the key's ARN and whether AWS manages it.
fn queue_key(p: &mut Probe) -> Option<(String, bool)> {
    let id = queue_attribute(p, "KmsMasterKeyId")?;
    let meta = p.describe(&id).ok()?;
    Some((meta.arn, meta.key_manager == KeyManager::Aws))
}

fn order_arrives(p: &mut Probe) -> Verdict {
    let key = p.var("KEY_ARN");
    if queue_key(p).map(|(arn, _)| arn).as_deref() != Some(key.as_str()) {
        return Verdict::fail("The queue orders is no longer encrypted under alias/orders-queue.");
    }
    let order = "grader-order-9001";
    let published = p.typed("admin", |c| {
        c.sns().publish(PublishRequest {
            topic_arn: Some(TOPIC_ARN.to_owned()),
            message: Some(order.to_owned()),
            ..Default::default()
        })
    });
    if let Err(e) = published {
        return Verdict::fail(format!("Publishing to order-events fails: {}", e.code));
    }
    let url = p.var("QUEUE_URL");
    let got = p.typed("app", |c| {
        c.sqs().receive_message(ReceiveMessageRequest {
            queue_url: Some(url),
            max_number_of_messages: Some(10),
            ..Default::default()
        })
    });
    match got {
        Ok(r)
            if r.messages
                .as_deref()
                .unwrap_or_default()
                .iter()
                .any(|m| m.body.contains(order)) =>
        {
            Verdict::pass("A published order arrived in orders and AppRole read it.")
        }
        Ok(_) => Verdict::fail(
            "A published order did not arrive in orders: SNS's delivery was refused (see `lab deliveries`).",
        ),
        Err(e) => Verdict::fail(format!(
            "AppRole cannot receive from orders: {}: {}",
            e.code, e.message
        )),
    }
}

/// SNS asking for a data key of `key` for `queue` (in `account`), as the evaluator decides.
fn sns_asks(doc: &PolicyDocument, action: &str, key: &str, queue: Option<(&str, &str)>) -> bool {
    match queue {
        Some((account, arn)) => allows_service(
            doc,
            SNS,
            action,
            key,
            &[
                ("kms:EncryptionContext:aws:sqs:arn", arn),
                ("aws:SourceAccount", account),
            ],
        ),
        None => allows_service(doc, SNS, action, key, &[]),
    }
}

const ADMIN_ACTIONS: &[&str] = &[
    "kms:PutKeyPolicy",
    "kms:ScheduleKeyDeletion",
    "kms:DisableKey",
    "kms:CreateGrant",
];

/// Whether the key policy gives SNS an administrative action, or everyone anything.
fn key_policy_open(doc: &PolicyDocument, key: &str) -> Option<String> {
    if allows_everyone(doc) {
        return Some(
            "A key statement allows everyone (\"Principal\": \"*\" without conditions).".into(),
        );
    }
    let ours = Some((PROD, QUEUE_ARN));
    ADMIN_ACTIONS
        .iter()
        .find(|a| sns_asks(doc, a, key, ours))
        .map(|a| {
            format!("sns.amazonaws.com may call {a}; it needs only kms:GenerateDataKey* and kms:Decrypt.")
        })
}

/// Whether the queue policy lets SNS send for a topic that is not order-events (or lets
/// everyone send).
fn queue_policy_open(p: &mut Probe) -> Option<String> {
    let text = queue_attribute(p, "Policy")?;
    let doc = PolicyDocument::parse(&text, PolicyKind::Resource, Limits::none()).ok()?;
    if allows_everyone(&doc) {
        return Some(
            "The queue policy allows everyone (\"Principal\": \"*\" without conditions).".into(),
        );
    }
    let stranger = format!("arn:aws:sns:us-east-1:{PARTNER}:spam");
    let open = allows_service(
        &doc,
        SNS,
        "sqs:SendMessage",
        QUEUE_ARN,
        &[("aws:SourceArn", &stranger), ("aws:SourceAccount", PARTNER)],
    ) || allows_service(&doc, SNS, "sqs:SendMessage", QUEUE_ARN, &[]);
    open.then(|| {
        "The queue policy lets SNS send for any topic (no aws:SourceArn condition binds it to order-events).".into()
    })
}

fn least_privilege(p: &mut Probe) -> Verdict {
    order_arrives(p).and(|| {
        let key = p.var("KEY_ARN");
        let Some(doc) = p.key_policy(&key) else {
            return Verdict::fail("The key policy cannot be read.");
        };
        if let Some(why) = key_policy_open(&doc, &key) {
            return Verdict::fail(why);
        }
        if let Some(why) = queue_policy_open(p) {
            return Verdict::fail(why);
        }
        match p.kms("partner-admin").encrypt(&key, b"probe") {
            Ok(_) => Verdict::fail("The partner account can use alias/orders-queue."),
            Err(_) => Verdict::pass(
                "SNS may only generate data keys and decrypt, and only order-events may send to the queue.",
            ),
        }
    })
}

fn aws_managed_key(p: &mut Probe) -> Option<Seen> {
    queue_key(p).is_some_and(|(_, aws)| aws).then(Seen::it)
}

fn customer_key_removed(p: &mut Probe) -> Option<Seen> {
    let key = p.var("KEY_ARN");
    match queue_key(p) {
        Some((arn, _)) if arn == key => None,
        // The aws/sqs key is the other wrong turn's message.
        Some((_, true)) => None,
        Some(_) => Some(Seen::it().with("WHAT", "it uses another key")),
        None if queue_attribute(p, "SqsManagedSseEnabled").as_deref() == Some("true") => {
            Some(Seen::it().with("WHAT", "it uses SSE-SQS"))
        }
        None => Some(Seen::it().with("WHAT", "it is no longer encrypted with a KMS key")),
    }
}

fn open_key_policy(p: &mut Probe) -> Option<Seen> {
    let key = p.var("KEY_ARN");
    let doc = p.key_policy(&key)?;
    key_policy_open(&doc, &key).map(|_| Seen::it())
}

fn queue_open_to_any_topic(p: &mut Probe) -> Option<Seen> {
    queue_policy_open(p).map(|_| Seen::it())
}

#[cfg(test)]
mod tests {
    use crate::scenario::testing::{attempt, passed_ids, run, started, wrong_turn_ids};

    const ID: &str = "sns-sqs-encrypted-pipeline";

    fn put_key_policy(statements: &[&str]) -> String {
        format!(
            "aws kms put-key-policy --key-id $KEY_ARN --policy-name default --policy '{}'",
            super::policy(statements)
        )
    }

    fn put_queue_policy(policy: &str) -> String {
        format!(
            "aws sqs set-queue-attributes --queue-url $QUEUE_URL --attributes '{}'",
            serde_json::json!({ "Policy": policy })
        )
    }

    #[test]
    fn the_setup_loses_every_order() {
        let mut s = started(ID, 1);
        let out = s.run_line_in_memory("lab deliveries");
        assert!(out.stdout.contains("order-events"), "{}", out.stdout);
        assert!(passed_ids(&s, ID).is_empty());
        assert!(wrong_turn_ids(&s, ID).is_empty());
    }

    #[test]
    fn the_key_statement_alone_is_not_enough() {
        let mut s = started(ID, 1);
        run(
            &mut s,
            &put_key_policy(&[super::ROOT, super::SNS_STATEMENT]),
        );
        assert!(passed_ids(&s, ID).is_empty());
        assert!(wrong_turn_ids(&s, ID).is_empty());
    }

    #[test]
    fn the_aws_managed_key_never_receives() {
        let mut s = started(ID, 1);
        run(&mut s, &put_queue_policy(super::QUEUE_POLICY));
        run(
            &mut s,
            "aws sqs set-queue-attributes --queue-url $QUEUE_URL --attributes KmsMasterKeyId=alias/aws/sqs",
        );
        assert!(passed_ids(&s, ID).is_empty());
        assert_eq!(wrong_turn_ids(&s, ID), ["aws-managed-key"]);
    }

    #[test]
    fn kms_star_for_everyone_works_but_is_not_least_privilege() {
        let mut s = started(ID, 1);
        let open =
            r#"{"Sid":"Open","Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*"}"#;
        run(&mut s, &put_key_policy(&[super::ROOT, open]));
        run(&mut s, &put_queue_policy(super::QUEUE_POLICY));
        assert_eq!(passed_ids(&s, ID), ["order-arrives"]);
        assert_eq!(wrong_turn_ids(&s, ID), ["open-key-policy"]);
    }

    #[test]
    fn a_queue_policy_without_the_topic_is_named() {
        let mut s = started(ID, 1);
        run(
            &mut s,
            &put_key_policy(&[super::ROOT, super::SNS_STATEMENT]),
        );
        let any = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"sns.amazonaws.com"},"Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:111122223333:orders"}]}"#;
        run(&mut s, &put_queue_policy(any));
        assert_eq!(passed_ids(&s, ID), ["order-arrives"]);
        assert_eq!(wrong_turn_ids(&s, ID), ["queue-open-to-any-topic"]);
    }

    #[test]
    fn turning_the_key_off_is_named() {
        let mut s = started(ID, 1);
        run(&mut s, &put_queue_policy(super::QUEUE_POLICY));
        run(
            &mut s,
            "aws sqs set-queue-attributes --queue-url $QUEUE_URL --attributes SqsManagedSseEnabled=true",
        );
        attempt(&mut s, "lab clock advance 1m");
        assert_eq!(wrong_turn_ids(&s, ID), ["customer-key-removed"]);
        let hits = crate::scenario::wrong_turns(&s, ID).unwrap();
        assert!(hits[0].message.contains("SSE-SQS"), "{}", hits[0].message);
        assert!(passed_ids(&s, ID).is_empty());
    }
}
