//! `logs-trail-key-policy`: a key-policy clean-up removed the service-principal statements of
//! CloudTrail and CloudWatch Logs; the learner puts back least-privilege ones. Graded by the
//! services' own work (a log file delivered under SSE-KMS, log events ingested and read) and by
//! asking the policy evaluator what each service principal may do for whose resources.

use cloud::logs::model::{
    DescribeLogGroupsRequest, GetLogEventsRequest, InputLogEvent, PutLogEventsRequest,
};
use cloud::trail::{DescribeTrailsRequest, TrailNameRequest};
use policy::PolicyDocument;

use super::{Checks, PARTNER, PROD};
use crate::scenario::probe::policies::{allows_everyone, allows_service, names_service};
use crate::scenario::{Probe, Seen, Verdict};

const TRAIL: &str = "management-events";
const TRAIL_ARN: &str = "arn:aws:cloudtrail:us-east-1:111122223333:trail/management-events";
const BUCKET: &str = "audit-trail-logs-111122223333";
const GROUP: &str = "/app/orders";
const GROUP_ARN: &str = "arn:aws:logs:us-east-1:111122223333:log-group:/app/orders";
const STREAM: &str = "web-1";
const CLOUDTRAIL: &str = "cloudtrail.amazonaws.com";
const LOGS: &str = "logs.us-east-1.amazonaws.com";

/// The statements the clean-up kept: the root and the key administrators.
const KEPT: &str = r#"{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},{"Sid":"Allow access for Key Administrators","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/SecurityAdmin"},"Action":["kms:Create*","kms:Describe*","kms:Enable*","kms:List*","kms:Put*","kms:Update*","kms:Revoke*","kms:Disable*","kms:Get*","kms:Delete*","kms:TagResource","kms:UntagResource","kms:ScheduleKeyDeletion","kms:CancelKeyDeletion"],"Resource":"*"}"#;
/// The CloudTrail console's two statements.
const CLOUDTRAIL_STATEMENTS: &str = r#"{"Sid":"Allow CloudTrail to encrypt logs","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"kms:GenerateDataKey*","Resource":"*","Condition":{"StringEquals":{"aws:SourceArn":"arn:aws:cloudtrail:us-east-1:111122223333:trail/management-events"},"StringLike":{"kms:EncryptionContext:aws:cloudtrail:arn":"arn:aws:cloudtrail:*:111122223333:trail/*"}}},{"Sid":"Allow CloudTrail to describe key","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"kms:DescribeKey","Resource":"*"}"#;
/// The CloudWatch Logs guide's statement, for the account's log groups.
const LOGS_STATEMENT: &str = r#"{"Sid":"Allow CloudWatch Logs","Effect":"Allow","Principal":{"Service":"logs.us-east-1.amazonaws.com"},"Action":["kms:Encrypt*","kms:Decrypt*","kms:ReEncrypt*","kms:GenerateDataKey*","kms:Describe*"],"Resource":"*","Condition":{"ArnLike":{"kms:EncryptionContext:aws:logs:arn":"arn:aws:logs:us-east-1:111122223333:*"}}}"#;
/// The tightest form: one trail, one log group, the operations each service uses.
const EXACT_STATEMENTS: &str = r#"{"Sid":"CloudTrailThisTrail","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"kms:GenerateDataKey*","Resource":"*","Condition":{"StringEquals":{"kms:EncryptionContext:aws:cloudtrail:arn":"arn:aws:cloudtrail:us-east-1:111122223333:trail/management-events"}}},{"Sid":"CloudTrailDescribe","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"kms:DescribeKey","Resource":"*"},{"Sid":"LogsThisGroup","Effect":"Allow","Principal":{"Service":"logs.us-east-1.amazonaws.com"},"Action":["kms:GenerateDataKey","kms:Decrypt"],"Resource":"*","Condition":{"ArnEquals":{"kms:EncryptionContext:aws:logs:arn":"arn:aws:logs:us-east-1:111122223333:log-group:/app/orders"}}}"#;
/// CloudTrail's bucket policy (`AWSCloudTrailAclCheck`, `AWSCloudTrailWrite`).
const BUCKET_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"AWSCloudTrailAclCheck","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:GetBucketAcl","Resource":"arn:aws:s3:::audit-trail-logs-111122223333","Condition":{"StringEquals":{"aws:SourceArn":"arn:aws:cloudtrail:us-east-1:111122223333:trail/management-events"}}},{"Sid":"AWSCloudTrailWrite","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::audit-trail-logs-111122223333/AWSLogs/111122223333/*","Condition":{"StringEquals":{"s3:x-amz-acl":"bucket-owner-full-control","aws:SourceArn":"arn:aws:cloudtrail:us-east-1:111122223333:trail/management-events"}}}]}"#;

fn policy(statements: &[&str]) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        statements.join(",")
    )
}

pub(super) const CHECKS: Checks = Checks {
    id: "logs-trail-key-policy",
    objectives: &[
        ("trail-delivers", trail_delivers),
        ("logs-ingest", logs_ingest),
        ("least-privilege", least_privilege),
    ],
    wrong_turns: &[
        ("open-or-all-actions", open_or_all_actions),
        ("no-context-condition", no_context_condition),
        ("global-logs-principal", global_logs_principal),
        ("encryption-removed", encryption_removed),
    ],
    values: |_| {
        vec![
            (
                "WORKING_POLICY",
                policy(&[KEPT, CLOUDTRAIL_STATEMENTS, LOGS_STATEMENT]),
            ),
            ("CLEAN_POLICY", policy(&[KEPT])),
            ("EXACT_POLICY", policy(&[KEPT, EXACT_STATEMENTS])),
            ("BUCKET_POLICY", BUCKET_POLICY.to_owned()),
        ]
    },
    ..Checks::BASE
};

/// The trail's key ARN as DescribeTrails shows it (`None`: no key, or no trail).
fn trail_key(p: &mut Probe) -> Option<String> {
    p.typed("admin", |c| {
        c.cloudtrail().describe_trails(DescribeTrailsRequest {
            trail_name_list: Some(vec![TRAIL.to_owned()].into()),
            ..Default::default()
        })
    })
    .ok()?
    .trail_list
    .into_iter()
    .next()?
    .kms_key_id
}

/// The log group's key as DescribeLogGroups shows it (`None`: no key, or no group).
fn group_key(p: &mut Probe) -> Option<String> {
    p.typed("admin", |c| {
        c.logs().describe_log_groups(DescribeLogGroupsRequest {
            log_group_name_prefix: Some(GROUP.to_owned()),
            ..Default::default()
        })
    })
    .ok()?
    .log_groups
    .into_iter()
    .find(|g| g.log_group_name == GROUP)?
    .kms_key_id
}

fn trail_delivers(p: &mut Probe) -> Verdict {
    let key = p.var("KEY_ARN");
    if trail_key(p).as_deref() != Some(key.as_str()) {
        return Verdict::fail(
            "The trail management-events no longer encrypts under alias/audit-logs.",
        );
    }
    let before = p.s3("admin").object_keys(BUCKET).unwrap_or_default();
    // A management event to deliver, then one delivery interval (the next call delivers).
    let _ = p.kms("admin").describe_key(&key);
    p.settle();
    let status = p.typed("admin", |c| {
        c.cloudtrail().get_trail_status(TrailNameRequest {
            name: Some(TRAIL.to_owned()),
        })
    });
    let status = match status {
        Ok(s) => s,
        Err(e) => return Verdict::fail(format!("GetTrailStatus failed: {}", e.code)),
    };
    if let Some(error) = status.latest_delivery_error {
        return Verdict::fail(format!(
            "The trail still cannot deliver: GetTrailStatus shows LatestDeliveryError {error}."
        ));
    }
    let after = p.s3("admin").object_keys(BUCKET).unwrap_or_default();
    let Some(new) = after.iter().find(|k| !before.contains(k)) else {
        return Verdict::fail("No new log file reached audit-trail-logs-111122223333.");
    };
    match p.s3("admin").head_object(BUCKET, new) {
        Ok(h)
            if h.server_side_encryption.as_deref() == Some("aws:kms")
                && h.kms_key_id.as_deref() == Some(key.as_str()) =>
        {
            Verdict::pass("A new log file arrived under SSE-KMS with alias/audit-logs.")
        }
        Ok(_) => {
            Verdict::fail("A new log file arrived, but not under SSE-KMS with alias/audit-logs.")
        }
        Err(e) => Verdict::fail(format!("The new log file cannot be read: {}", e.code)),
    }
}

fn logs_ingest(p: &mut Probe) -> Verdict {
    let key = p.var("KEY_ARN");
    if group_key(p).as_deref() != Some(key.as_str()) {
        return Verdict::fail(
            "The log group /app/orders is no longer encrypted under alias/audit-logs.",
        );
    }
    let now = p.now_ms();
    let message = "grader-probe-event";
    let put = p.typed("admin", |c| {
        c.logs().put_log_events(PutLogEventsRequest {
            log_group_name: Some(GROUP.to_owned()),
            log_stream_name: Some(STREAM.to_owned()),
            log_events: Some(vec![InputLogEvent {
                timestamp: now,
                message: message.to_owned(),
            }]),
            ..Default::default()
        })
    });
    if let Err(e) = put {
        return Verdict::fail(format!(
            "PutLogEvents to /app/orders fails: {}: {}",
            e.code, e.message
        ));
    }
    let got = p.typed("admin", |c| {
        c.logs().get_log_events(GetLogEventsRequest {
            log_group_name: Some(GROUP.to_owned()),
            log_stream_name: Some(STREAM.to_owned()),
            start_from_head: Some(true),
            ..Default::default()
        })
    });
    match got {
        Ok(r) if r.events.iter().any(|e| e.message == message) => Verdict::pass(
            "PutLogEvents and GetLogEvents work on /app/orders, under alias/audit-logs.",
        ),
        Ok(_) => Verdict::fail("GetLogEvents does not return the event just written."),
        Err(e) => Verdict::fail(format!(
            "GetLogEvents on /app/orders fails: {}: {}",
            e.code, e.message
        )),
    }
}

/// CloudTrail asking for a log file's data key for `trail` (in `account`).
fn cloudtrail_asks(
    doc: &PolicyDocument,
    action: &str,
    key: &str,
    trail: Option<(&str, &str)>,
) -> bool {
    match trail {
        Some((account, arn)) => {
            let object = format!("arn:aws:s3:::{BUCKET}/AWSLogs/{account}/CloudTrail/x.json.gz");
            allows_service(
                doc,
                CLOUDTRAIL,
                action,
                key,
                &[
                    ("kms:EncryptionContext:aws:cloudtrail:arn", arn),
                    ("kms:EncryptionContext:aws:s3:arn", &object),
                    ("aws:SourceArn", arn),
                    ("aws:SourceAccount", account),
                ],
            )
        }
        None => allows_service(doc, CLOUDTRAIL, action, key, &[]),
    }
}

/// CloudWatch Logs asking for `group`'s data key (in `account`).
fn logs_asks(doc: &PolicyDocument, action: &str, key: &str, group: Option<(&str, &str)>) -> bool {
    match group {
        Some((account, arn)) => allows_service(
            doc,
            LOGS,
            action,
            key,
            &[
                ("kms:EncryptionContext:aws:logs:arn", arn),
                ("aws:SourceArn", arn),
                ("aws:SourceAccount", account),
            ],
        ),
        None => allows_service(doc, LOGS, action, key, &[]),
    }
}

const ADMIN_ACTIONS: &[&str] = &[
    "kms:PutKeyPolicy",
    "kms:ScheduleKeyDeletion",
    "kms:DisableKey",
    "kms:CreateGrant",
];

/// What goes beyond least privilege in `doc`, in a sentence (`None`: nothing).
fn excess(doc: &PolicyDocument, key: &str) -> Option<String> {
    if allows_everyone(doc) {
        return Some(
            "A statement allows everyone (\"Principal\": \"*\" without conditions).".into(),
        );
    }
    let partner_trail = format!("arn:aws:cloudtrail:us-east-1:{PARTNER}:trail/exfiltrate");
    let partner_group = format!("arn:aws:logs:us-east-1:{PARTNER}:log-group:/exfiltrate");
    let our_trail = Some((PROD, TRAIL_ARN));
    let our_group = Some((PROD, GROUP_ARN));
    for action in ADMIN_ACTIONS.iter().chain(&["kms:Decrypt"]) {
        if cloudtrail_asks(doc, action, key, our_trail) {
            return Some(format!(
                "cloudtrail.amazonaws.com may call {action}; it needs only kms:GenerateDataKey* and kms:DescribeKey."
            ));
        }
    }
    for action in ADMIN_ACTIONS {
        if logs_asks(doc, action, key, our_group) {
            return Some(format!(
                "logs.us-east-1.amazonaws.com may call {action}, an administrative action."
            ));
        }
    }
    if cloudtrail_asks(doc, "kms:GenerateDataKey", key, None)
        || cloudtrail_asks(
            doc,
            "kms:GenerateDataKey",
            key,
            Some((PARTNER, &partner_trail)),
        )
    {
        return Some("CloudTrail may generate data keys for a trail that is not this account's (no kms:EncryptionContext:aws:cloudtrail:arn condition binds it).".into());
    }
    if logs_asks(doc, "kms:GenerateDataKey", key, None)
        || logs_asks(
            doc,
            "kms:GenerateDataKey",
            key,
            Some((PARTNER, &partner_group)),
        )
    {
        return Some("CloudWatch Logs may generate data keys for a log group that is not this account's (no kms:EncryptionContext:aws:logs:arn condition binds it).".into());
    }
    None
}

fn least_privilege(p: &mut Probe) -> Verdict {
    trail_delivers(p).and(|| logs_ingest(p)).and(|| {
        let key = p.var("KEY_ARN");
        let Some(doc) = p.key_policy(&key) else {
            return Verdict::fail("The key policy cannot be read.");
        };
        if let Some(why) = excess(&doc, &key) {
            return Verdict::fail(why);
        }
        match p.kms("partner-admin").encrypt(&key, b"probe") {
            Ok(_) => Verdict::fail("The partner account can use alias/audit-logs."),
            Err(_) => Verdict::pass(
                "Each service may use the key only for this account's trails and log groups, and administer nothing.",
            ),
        }
    })
}

fn open_or_all_actions(p: &mut Probe) -> Option<Seen> {
    let key = p.var("KEY_ARN");
    let doc = p.key_policy(&key)?;
    let our_trail = Some((PROD, TRAIL_ARN));
    let our_group = Some((PROD, GROUP_ARN));
    let admin = ADMIN_ACTIONS
        .iter()
        .any(|a| cloudtrail_asks(&doc, a, &key, our_trail) || logs_asks(&doc, a, &key, our_group));
    (allows_everyone(&doc) || admin).then(Seen::it)
}

fn no_context_condition(p: &mut Probe) -> Option<Seen> {
    let key = p.var("KEY_ARN");
    let doc = p.key_policy(&key)?;
    let partner_trail = format!("arn:aws:cloudtrail:us-east-1:{PARTNER}:trail/exfiltrate");
    let partner_group = format!("arn:aws:logs:us-east-1:{PARTNER}:log-group:/exfiltrate");
    let open = cloudtrail_asks(
        &doc,
        "kms:GenerateDataKey",
        &key,
        Some((PARTNER, &partner_trail)),
    ) || logs_asks(
        &doc,
        "kms:GenerateDataKey",
        &key,
        Some((PARTNER, &partner_group)),
    );
    // Not when everything is open: that is the other wrong turn's message.
    (open && !allows_everyone(&doc)).then(Seen::it)
}

fn global_logs_principal(p: &mut Probe) -> Option<Seen> {
    let key = p.var("KEY_ARN");
    let doc = p.key_policy(&key)?;
    names_service(&doc, "logs.amazonaws.com").then(Seen::it)
}

fn encryption_removed(p: &mut Probe) -> Option<Seen> {
    let key = p.var("KEY_ARN");
    let group = group_key(p).is_some_and(|k| k == key);
    let trail = trail_key(p).is_some_and(|k| k == key);
    match (group, trail) {
        (true, true) => None,
        (false, true) => Some(Seen::it().with("WHAT", "the log group /app/orders")),
        (true, false) => Some(Seen::it().with("WHAT", "the trail management-events")),
        (false, false) => Some(Seen::it().with("WHAT", "neither the log group nor the trail")),
    }
}

#[cfg(test)]
mod tests {
    use crate::scenario::testing::{attempt, passed_ids, run, started, wrong_turn_ids};

    const ID: &str = "logs-trail-key-policy";

    fn put_policy(statements: &[&str]) -> String {
        format!(
            "aws kms put-key-policy --key-id $KEY_ARN --policy-name default --policy '{}'",
            super::policy(statements)
        )
    }

    #[test]
    fn the_setup_shows_both_symptoms() {
        let mut s = started(ID, 1);
        let out = s.run_line_in_memory(
            "aws cloudtrail get-trail-status --name management-events --query LatestDeliveryError --output text",
        );
        assert_eq!(out.stdout.trim(), "AccessDenied", "{}", out.stderr);
        let out = s.run_line_in_memory(
            "aws logs put-log-events --log-group-name /app/orders --log-stream-name web-1 --log-events timestamp=$(lab clock show --epoch-ms),message=x",
        );
        assert!(
            out.stderr.contains("(AccessDeniedException)"),
            "{}",
            out.stderr
        );
        assert!(passed_ids(&s, ID).is_empty());
        assert!(wrong_turn_ids(&s, ID).is_empty());
    }

    #[test]
    fn a_wide_open_policy_works_but_is_not_least_privilege() {
        let mut s = started(ID, 1);
        let open = r#"{"Sid":"Services","Effect":"Allow","Principal":{"Service":["cloudtrail.amazonaws.com","logs.us-east-1.amazonaws.com"]},"Action":"kms:*","Resource":"*"}"#;
        run(&mut s, &put_policy(&[super::KEPT, open]));
        assert_eq!(passed_ids(&s, ID), ["trail-delivers", "logs-ingest"]);
        assert_eq!(
            wrong_turn_ids(&s, ID),
            ["open-or-all-actions", "no-context-condition"]
        );
    }

    #[test]
    fn statements_without_conditions_are_the_confused_deputy() {
        let mut s = started(ID, 1);
        let bare = r#"{"Sid":"Trail","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":["kms:GenerateDataKey*","kms:DescribeKey"],"Resource":"*"},{"Sid":"Logs","Effect":"Allow","Principal":{"Service":"logs.us-east-1.amazonaws.com"},"Action":["kms:GenerateDataKey*","kms:Decrypt*","kms:Describe*"],"Resource":"*"}"#;
        run(&mut s, &put_policy(&[super::KEPT, bare]));
        assert_eq!(passed_ids(&s, ID), ["trail-delivers", "logs-ingest"]);
        assert_eq!(wrong_turn_ids(&s, ID), ["no-context-condition"]);
    }

    #[test]
    fn the_console_s_decrypt_statement_for_the_account_is_still_least_privilege() {
        let mut s = started(ID, 1);
        let readers = r#"{"Sid":"Allow principals in the account to decrypt log files","Effect":"Allow","Principal":{"AWS":"*"},"Action":["kms:Decrypt","kms:ReEncryptFrom"],"Resource":"*","Condition":{"StringEquals":{"kms:CallerAccount":"111122223333"},"StringLike":{"kms:EncryptionContext:aws:cloudtrail:arn":"arn:aws:cloudtrail:*:111122223333:trail/*"}}}"#;
        run(
            &mut s,
            &put_policy(&[
                super::KEPT,
                super::CLOUDTRAIL_STATEMENTS,
                readers,
                super::LOGS_STATEMENT,
            ]),
        );
        assert_eq!(
            passed_ids(&s, ID),
            ["trail-delivers", "logs-ingest", "least-privilege"]
        );
        assert!(wrong_turn_ids(&s, ID).is_empty());
    }

    #[test]
    fn the_global_logs_principal_never_matches() {
        let mut s = started(ID, 1);
        let global =
            super::LOGS_STATEMENT.replace("logs.us-east-1.amazonaws.com", "logs.amazonaws.com");
        run(
            &mut s,
            &put_policy(&[super::KEPT, super::CLOUDTRAIL_STATEMENTS, &global]),
        );
        assert_eq!(passed_ids(&s, ID), ["trail-delivers"]);
        assert_eq!(wrong_turn_ids(&s, ID), ["global-logs-principal"]);
    }

    #[test]
    fn dropping_the_encryption_is_named() {
        let mut s = started(ID, 1);
        run(
            &mut s,
            "aws logs disassociate-kms-key --log-group-name /app/orders",
        );
        attempt(&mut s, "lab clock advance 10m");
        assert_eq!(wrong_turn_ids(&s, ID), ["encryption-removed"]);
        let hits = crate::scenario::wrong_turns(&s, ID).unwrap();
        assert!(
            hits[0].message.contains("the log group /app/orders"),
            "{}",
            hits[0].message
        );
        assert!(!passed_ids(&s, ID).contains(&"logs-ingest"));
    }
}
