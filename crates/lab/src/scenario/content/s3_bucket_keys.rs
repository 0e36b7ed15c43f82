//! `s3-bucket-keys`: a hot SSE-KMS bucket that throttles and costs; Bucket Keys cut the KMS
//! requests, change the encryption context to the bucket ARN, and so break a policy condition
//! written for object ARNs. Graded by uploads and reads in the clone.

use base64::Engine as _;
use serde_json::{Value, json};

use super::never;
use crate::scenario::{
    Availability, Difficulty, Hint, Objective, Probe, Scenario, Solution, Verdict, WrongTurn,
};

const BUCKET: &str = "clickstream-111122223333";
const BUCKET_ARN: &str = "arn:aws:s3:::clickstream-111122223333";
/// Shares the bucket's name as a prefix, so a trailing-wildcard condition does not pass.
const PROBE_BUCKET: &str = "clickstream-111122223333-archive";
const REGION: &str = "eu-north-1";
/// Uploads the checker makes to count KMS requests.
const UPLOADS: u64 = 100;
/// The objects written before Bucket Keys, with their content.
const OLD_OBJECTS: &[(&str, &str)] = &[
    (
        "events/2026-11-20.json",
        "{\"day\":\"2026-11-20\",\"clicks\":18234}\n",
    ),
    (
        "events/2026-11-21.json",
        "{\"day\":\"2026-11-21\",\"clicks\":20411}\n",
    ),
    (
        "events/2026-11-22.json",
        "{\"day\":\"2026-11-22\",\"clicks\":19877}\n",
    ),
];

/// AppRole's policy: S3 on the bucket, KMS only for S3 object ARNs of the bucket.
fn writer_policy(context_values: &str, operator: &str) -> String {
    format!(
        "{{\"Version\":\"2012-10-17\",\"Statement\":[\
{{\"Sid\":\"ClickstreamObjects\",\"Effect\":\"Allow\",\"Action\":[\"s3:PutObject\",\"s3:GetObject\"],\"Resource\":\"{BUCKET_ARN}/*\"}},\
{{\"Sid\":\"ClickstreamKey\",\"Effect\":\"Allow\",\"Action\":[\"kms:GenerateDataKey\",\"kms:Decrypt\"],\
\"Resource\":\"arn:aws:kms:{REGION}:111122223333:key/'$KEY_ID'\",\
\"Condition\":{{\"{operator}\":{{\"kms:EncryptionContext:aws:s3:arn\":{context_values}}}}}}}]}}"
    )
}

fn setup(_seed: u64) -> String {
    let mut s = format!(
        "\
KEY_ID=$(aws kms create-key --region {REGION} --description \"Clickstream events\" --query KeyMetadata.KeyId --output text)
aws kms create-alias --region {REGION} --alias-name alias/clickstream --target-key-id $KEY_ID
aws s3api create-bucket --bucket {BUCKET} --region {REGION} --create-bucket-configuration LocationConstraint={REGION}
aws s3api put-bucket-encryption --bucket {BUCKET} --server-side-encryption-configuration '{{\"Rules\":[{{\"ApplyServerSideEncryptionByDefault\":{{\"SSEAlgorithm\":\"aws:kms\",\"KMSMasterKeyID\":\"arn:aws:kms:{REGION}:111122223333:key/'$KEY_ID'\"}},\"BucketKeyEnabled\":false}}]}}'
aws iam delete-role-policy --role-name AppRole --policy-name AppKeyUse
aws iam put-role-policy --role-name AppRole --policy-name ClickstreamWriter --policy-document '{}'
",
        writer_policy(&format!("\"{BUCKET_ARN}/*\""), "StringLike")
    );
    for (key, body) in OLD_OBJECTS {
        let file = key.trim_start_matches("events/");
        s.push_str(&format!(
            "echo '{}' > {file}\naws s3api put-object --bucket {BUCKET} --key {key} --body {file} --profile app\n",
            body.trim_end()
        ));
    }
    s
}

/// An S3 call as `profile` with the client in the bucket's Region (as `--region eu-north-1`).
fn s3(p: &mut Probe, profile: &str, op: &str, input: Value) -> Result<Value, String> {
    let w = &mut p.session.world;
    w.context_for_profile(Some(profile), Some(REGION))
        .and_then(|ctx| w.call(&ctx, "s3", op, input))
        .map_err(|e| format!("{}: {}", e.code, e.message))
}

/// Whether the bucket's default encryption is SSE-KMS with Bucket Keys on.
fn bucket_keys_on(p: &mut Probe) -> bool {
    s3(
        p,
        "admin",
        "GetBucketEncryption",
        json!({ "Bucket": BUCKET }),
    )
    .ok()
    .and_then(|v| {
        let rule = v
            .pointer("/ServerSideEncryptionConfiguration/Rules/0")?
            .clone();
        Some(
            rule["BucketKeyEnabled"] == true
                && rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms",
        )
    })
    .unwrap_or(false)
}

const NOT_YET: &str = "Bucket Keys are not enabled in the bucket's default encryption yet.";

fn few_requests(p: &mut Probe) -> Verdict {
    let key = p.var("KEY_ID");
    let w = &mut p.session.world;
    let report = match w
        .context_for_profile(Some("admin"), None)
        .and_then(|ctx| w.s3_bulk_put(&ctx, BUCKET, UPLOADS, 64))
    {
        Ok(r) => r,
        Err(e) => return Verdict::fail(format!("Uploading failed: {}", e.message)),
    };
    if let Some(e) = report.get("Error") {
        return Verdict::fail(format!(
            "Uploads stop with {}: {}",
            e["Code"].as_str().unwrap_or_default(),
            e["Message"].as_str().unwrap_or_default()
        ));
    }
    let requests = report["KmsRequests"].as_u64().unwrap_or(u64::MAX);
    let last = format!("bulk/{:06}", UPLOADS - 1);
    let head = match s3(
        p,
        "admin",
        "HeadObject",
        json!({ "Bucket": BUCKET, "Key": last }),
    ) {
        Ok(h) => h,
        Err(e) => return Verdict::fail(format!("HeadObject on a new object failed: {e}")),
    };
    let kms_key = head["SSEKMSKeyId"].as_str().unwrap_or_default();
    if head["ServerSideEncryption"] != "aws:kms" || !kms_key.ends_with(&format!("key/{key}")) {
        return Verdict::fail(format!(
            "New objects are not SSE-KMS with alias/clickstream (ServerSideEncryption {}, key {}); \
the auditors require the customer managed key.",
            head["ServerSideEncryption"],
            if kms_key.is_empty() { "none" } else { kms_key }
        ));
    }
    if requests <= 2 && head["BucketKeyEnabled"] == true {
        Verdict::pass(format!(
            "{UPLOADS} uploads made {requests} KMS request(s) (one per upload without Bucket Keys); \
new objects are SSE-KMS with alias/clickstream and BucketKeyEnabled."
        ))
    } else {
        Verdict::fail(format!(
            "{UPLOADS} uploads made {requests} KMS requests: one GenerateDataKey per object."
        ))
    }
}

fn app_writes(p: &mut Probe) -> Verdict {
    if !bucket_keys_on(p) {
        return Verdict::fail(NOT_YET);
    }
    let body = base64::engine::general_purpose::STANDARD.encode("{\"probe\":true}");
    let key = "events/probe-new.json";
    if let Err(e) = s3(
        p,
        "app",
        "PutObject",
        json!({ "Bucket": BUCKET, "Key": key, "Body": body }),
    ) {
        return Verdict::fail(format!("AppRole cannot upload a new event: {e}"));
    }
    match s3(
        p,
        "app",
        "GetObject",
        json!({ "Bucket": BUCKET, "Key": key }),
    ) {
        Ok(v) if v["Body"] == body.as_str() => {
            Verdict::pass("AppRole uploads a new event under the bucket key and reads it back.")
        }
        Ok(_) => Verdict::fail("AppRole reads the new event back, but not the same bytes."),
        Err(e) => Verdict::fail(format!(
            "AppRole uploads, but cannot read the event back: {e}"
        )),
    }
}

fn old_objects(p: &mut Probe) -> Verdict {
    if !bucket_keys_on(p) {
        return Verdict::fail(NOT_YET);
    }
    for (key, text) in OLD_OBJECTS {
        let want = base64::engine::general_purpose::STANDARD.encode(text);
        match s3(
            p,
            "app",
            "GetObject",
            json!({ "Bucket": BUCKET, "Key": key }),
        ) {
            Ok(v) if v["Body"] == want.as_str() => {}
            Ok(_) => {
                return Verdict::fail(format!(
                    "AppRole reads {key}, but it is not the original event."
                ));
            }
            Err(e) => return Verdict::fail(format!("AppRole cannot read {key}: {e}")),
        }
    }
    Verdict::pass(format!(
        "AppRole still reads the {} events written before the change.",
        OLD_OBJECTS.len()
    ))
}

/// As admin in the clone: another bucket with the same key and Bucket Keys, whose bucket policy
/// lets AppRole upload; then AppRole's upload (its KMS call for that bucket) is the test.
fn upload_elsewhere(p: &mut Probe) -> Result<Value, String> {
    let key = p.var("KEY_ID");
    let policy = json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": { "AWS": "arn:aws:iam::111122223333:role/AppRole" },
            "Action": "s3:PutObject",
            "Resource": format!("arn:aws:s3:::{PROBE_BUCKET}/*"),
        }],
    });
    let steps = [
        (
            "CreateBucket",
            json!({ "Bucket": PROBE_BUCKET, "CreateBucketConfiguration": { "LocationConstraint": REGION } }),
        ),
        (
            "PutBucketEncryption",
            json!({
                "Bucket": PROBE_BUCKET,
                "ServerSideEncryptionConfiguration": { "Rules": [{
                    "ApplyServerSideEncryptionByDefault": {
                        "SSEAlgorithm": "aws:kms",
                        "KMSMasterKeyID": format!("arn:aws:kms:{REGION}:111122223333:key/{key}"),
                    },
                    "BucketKeyEnabled": true,
                }]},
            }),
        ),
        (
            "PutBucketPolicy",
            json!({ "Bucket": PROBE_BUCKET, "Policy": policy.to_string() }),
        ),
    ];
    for (op, input) in steps {
        s3(p, "admin", op, input).map_err(|e| format!("setting up the probe bucket: {e}"))?;
    }
    s3(
        p,
        "app",
        "PutObject",
        json!({ "Bucket": PROBE_BUCKET, "Key": "probe.json", "Body": "e30=" }),
    )
}

fn still_scoped(p: &mut Probe) -> Verdict {
    if !bucket_keys_on(p) {
        return Verdict::fail(NOT_YET);
    }
    // Denying AppRole everything is not least privilege: the role must still work here.
    if !app_writes(p).passed {
        return Verdict::fail(
            "AppRole cannot upload to clickstream-111122223333 yet, so its scope cannot be judged.",
        );
    }
    match upload_elsewhere(p) {
        Ok(_) => Verdict::fail(format!(
            "AppRole can use the clickstream key for another bucket ({PROBE_BUCKET}): the \
encryption-context condition no longer limits the key to this bucket."
        )),
        Err(e) if e.starts_with("setting up") => Verdict::fail(e),
        Err(e) if e.contains("kms:GenerateDataKey") => Verdict::pass(format!(
            "KMS refuses AppRole's GenerateDataKey for another bucket ({PROBE_BUCKET}): the key serves this bucket only."
        )),
        Err(e) => Verdict::fail(format!(
            "The upload to {PROBE_BUCKET} failed, but not on the KMS permission: {e}"
        )),
    }
}

// Wrong turns.

fn condition_not_updated(p: &mut Probe) -> Option<String> {
    if !bucket_keys_on(p) {
        return None;
    }
    let body = "e30=";
    let e = s3(
        p,
        "app",
        "PutObject",
        json!({ "Bucket": BUCKET, "Key": "events/wrong-turn.json", "Body": body }),
    )
    .err()?;
    e.starts_with("AccessDenied").then(|| {
        format!(
            "Bucket Keys are on, and AppRole's uploads now fail: S3 asks KMS for a bucket-level key with \
the encryption context aws:s3:arn = {BUCKET_ARN} (the bucket ARN), but AppRole's KMS permission only \
matches object ARNs ({BUCKET_ARN}/*). Update the kms:EncryptionContext:aws:s3:arn condition."
        )
    })
}

fn condition_removed(p: &mut Probe) -> Option<String> {
    if !bucket_keys_on(p) {
        return None;
    }
    upload_elsewhere(p).ok().map(|_| {
        format!(
            "AppRole's uploads work again, but the key is no longer tied to this bucket: AppRole can use it \
through S3 for {PROBE_BUCKET} too. The kms:EncryptionContext:aws:s3:arn condition was removed, or allows \
a wildcard wider than {BUCKET_ARN} and its objects. Keep the condition, with the bucket ARN."
        )
    })
}

fn old_objects_locked(p: &mut Probe) -> Option<String> {
    if !bucket_keys_on(p) {
        return None;
    }
    let (key, _) = OLD_OBJECTS.first()?;
    let e = s3(
        p,
        "app",
        "GetObject",
        json!({ "Bucket": BUCKET, "Key": key }),
    )
    .err()?;
    e.starts_with("AccessDenied").then(|| {
        format!(
            "Existing objects keep the encryption context they were written with, the object ARN \
({BUCKET_ARN}/{key}). A condition that allows only the bucket ARN locks AppRole out of them. Allow both \
ARNs, or copy the old objects in place with --bucket-key-enabled so they use the bucket key too."
        )
    })
}

fn switched_to_sse_s3(p: &mut Probe) -> Option<String> {
    let v = s3(
        p,
        "admin",
        "GetBucketEncryption",
        json!({ "Bucket": BUCKET }),
    )
    .ok()?;
    let alg = v
        .pointer("/ServerSideEncryptionConfiguration/Rules/0/ApplyServerSideEncryptionByDefault/SSEAlgorithm")?
        .as_str()?
        .to_owned();
    (alg != "aws:kms").then(|| {
        format!(
            "The bucket's default encryption is now {alg}. {} The auditors require SSE-KMS with the \
customer managed key (its policy, CloudTrail record and disable switch): keep aws:kms and turn on \
BucketKeyEnabled.",
            if alg == "aws:kms:dsse" {
                "DSSE-KMS does not support Bucket Keys, so every object still calls KMS."
            } else {
                "SSE-S3 makes no KMS calls at all, and gives you no key of your own either."
            }
        )
    })
}

fn enable_script() -> String {
    format!(
        "aws s3api put-bucket-encryption --bucket {BUCKET} --server-side-encryption-configuration '{{\"Rules\":[{{\"ApplyServerSideEncryptionByDefault\":{{\"SSEAlgorithm\":\"aws:kms\",\"KMSMasterKeyID\":\"arn:aws:kms:{REGION}:111122223333:key/'$KEY_ID'\"}},\"BucketKeyEnabled\":true}}]}}'\n"
    )
}

fn solution_both_arns(_: u64) -> Option<String> {
    Some(format!(
        "aws iam put-role-policy --role-name AppRole --policy-name ClickstreamWriter --policy-document '{}'\n{}",
        writer_policy(
            &format!("[\"{BUCKET_ARN}\",\"{BUCKET_ARN}/*\"]"),
            "StringLike"
        ),
        enable_script()
    ))
}

fn solution_copy_in_place(_: u64) -> Option<String> {
    let mut s = enable_script();
    for (key, _) in OLD_OBJECTS {
        s.push_str(&format!(
            "aws s3api copy-object --bucket {BUCKET} --key {key} --copy-source {BUCKET}/{key} \
--server-side-encryption aws:kms --ssekms-key-id arn:aws:kms:{REGION}:111122223333:key/$KEY_ID --bucket-key-enabled\n"
        ));
    }
    s.push_str(&format!(
        "aws iam put-role-policy --role-name AppRole --policy-name ClickstreamWriter --policy-document '{}'\n",
        writer_policy(&format!("\"{BUCKET_ARN}\""), "StringEquals")
    ));
    Some(s)
}

pub(super) const SCENARIO: Scenario = Scenario {
    id: "s3-bucket-keys",
    title: "Cut SSE-KMS request costs with S3 Bucket Keys",
    exam: "SOA-C03 Domain 4 (Security and Compliance) and Domain 3 (Performance); SAA-C03 Domain 4 (Cost-Optimized Architectures)",
    difficulty: Difficulty::Intermediate,
    minutes: 25,
    availability: Availability::Playable,
    story: "The bucket clickstream-111122223333 in eu-north-1 receives an event file for every page view, \
encrypted with SSE-KMS under the customer managed key alias/clickstream ($KEY_ID). Each upload is one \
GenerateDataKey call: at peak the collector (profile app, role AppRole) passes KMS's 10,000 requests per \
second in this Region and uploads fail with SlowDown, and the KMS bill grows with every event. Try it: \
`lab load --s3-put 12000 --bucket clickstream-111122223333 --profile app`, then `lab cost`. Turn on S3 \
Bucket Keys without breaking anything: AppRole's policy allows the key only with the encryption context \
aws:s3:arn of this bucket's objects, and must stay tied to this bucket; the three event files already in \
the bucket must stay readable.",
    setup,
    record_vars: &["KEY_ID"],
    files: &[],
    objectives: &[
        Objective {
            id: "few-kms-requests",
            text: "New uploads use an S3 Bucket Key: 100 uploads make at most 2 KMS requests, still SSE-KMS with alias/clickstream.",
            success: "S3 asks KMS for a bucket-level key once per requester and derives each object's data key from it, for a limited time: up to 99% fewer requests.",
            check: few_requests,
            pending: None,
        },
        Objective {
            id: "app-writes",
            text: "With Bucket Keys on, AppRole can still upload new events and read them back.",
            success: "With a Bucket Key the encryption context S3 sends (and CloudTrail logs with the KMS request) is the bucket ARN, so the condition must allow it.",
            check: app_writes,
            pending: None,
        },
        Objective {
            id: "old-objects",
            text: "AppRole can still read the three event files written before the change.",
            success: "Bucket Keys apply to new objects only; older objects keep their object-ARN context until they are copied.",
            check: old_objects,
            pending: None,
        },
        Objective {
            id: "still-scoped",
            text: "AppRole still cannot use the clickstream key through S3 for any other bucket.",
            success: "Least privilege survives: the encryption-context condition names this bucket's ARN, not a wildcard.",
            check: still_scoped,
            pending: None,
        },
    ],
    hints: &[
        Hint {
            text: "Bucket Keys are part of the bucket's default encryption rule: `aws s3api put-bucket-encryption` with \"BucketKeyEnabled\": true (keep SSEAlgorithm aws:kms and the key).",
            cost: 10,
        },
        Hint {
            text: "After the change, try an upload as app and read the denial with `lab explain -- aws s3api put-object ... --profile app`. Look at the encryption context S3 now sends to KMS.",
            cost: 15,
        },
        Hint {
            text: "With Bucket Keys the context is {\"aws:s3:arn\": \"arn:aws:s3:::clickstream-111122223333\"}. Change AppRole's ClickstreamWriter policy (aws iam put-role-policy) so the condition allows that value, and keep the object-ARN value for the existing files (or copy them in place with --bucket-key-enabled).",
            cost: 25,
        },
    ],
    wrong_turns: &[
        WrongTurn {
            id: "condition-not-updated",
            detect: condition_not_updated,
        },
        WrongTurn {
            id: "condition-removed",
            detect: condition_removed,
        },
        WrongTurn {
            id: "old-objects-locked",
            detect: old_objects_locked,
        },
        WrongTurn {
            id: "not-sse-kms",
            detect: switched_to_sse_s3,
        },
    ],
    solutions: &[
        Solution {
            route: "allow-both-arns",
            script: solution_both_arns,
        },
        Solution {
            route: "copy-in-place",
            script: solution_copy_in_place,
        },
    ],
    debrief: "Without a Bucket Key, S3 calls GenerateDataKey for every object it writes and Decrypt for \
every object it reads, all counted toward the Region's shared symmetric quota (10,000 per second in \
eu-north-1; 20,000 or 100,000 in some Regions; adjustable) and billed at $0.03 per 10,000 requests after \
the free tier. When S3 needs KMS faster than the quota allows, uploads fail with SlowDown. A Bucket Key is \
a short-lived bucket-level data key that S3 gets from KMS once per requester and then uses to derive the \
data keys of many objects: up to 99% fewer KMS requests, lower cost, far less risk of throttling. Three consequences to \
plan for: the encryption context S3 sends is now the bucket ARN (arn:aws:s3:::bucket), so key policy and \
IAM conditions on kms:EncryptionContext:aws:s3:arn must allow it, and CloudTrail events \
log the bucket ARN as the context, not each object; existing objects are unchanged until copied (CopyObject or Batch Operations), so either allow both \
ARNs or copy them; and there are fewer KMS events to audit per object. Bucket Keys do not work with \
DSSE-KMS, and SSE-S3 makes no KMS calls at all, but also gives you no key policy or per-key audit.",
    docs: &[
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html",
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/configuring-bucket-key.html",
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/configuring-bucket-key-object.html",
        "https://docs.aws.amazon.com/kms/latest/developerguide/requests-per-second.html",
        "https://aws.amazon.com/kms/pricing/",
    ],
    needs_enforcement: never,
    diagnose_from_cloudtrail: super::never,
};

#[cfg(test)]
mod tests {
    use awscli::Session;

    use crate::START_MS;
    use crate::scenario::testing::{self, run};
    use crate::scenario::{self, Status};

    fn ids(s: &Session) -> Vec<&'static str> {
        testing::wrong_turn_ids(s, "s3-bucket-keys")
    }

    #[test]
    fn hot_bucket_throttles_before_bucket_keys() {
        let mut s = Session::new(4, START_MS);
        scenario::start(&mut s, "s3-bucket-keys", 4).unwrap();
        let out = s.run_line_in_memory(
            "lab load --s3-put 10001 --bucket clickstream-111122223333 --profile app",
        );
        assert_eq!(out.exit_code, 1, "{}", out.stdout);
        assert!(out.stdout.contains("SlowDown"), "{}", out.stdout);
    }

    #[test]
    fn wrong_turns_name_the_bucket_arn_context_and_the_lost_scope() {
        let mut s = Session::new(4, START_MS);
        scenario::start(&mut s, "s3-bucket-keys", 4).unwrap();
        assert!(ids(&s).is_empty());
        run(&mut s, super::enable_script().trim_end());
        assert_eq!(ids(&s), ["condition-not-updated"]);
        let r = scenario::evaluate(&s, "s3-bucket-keys").unwrap();
        assert_eq!(r[0].status, Status::Passed, "{r:#?}");
        assert_eq!(r[1].status, Status::Failed, "{r:#?}");
        // A role denied everywhere is not "still scoped".
        assert_eq!(r[3].status, Status::Failed, "{r:#?}");

        // Bucket ARN only: new uploads work, the old files are locked out.
        let bucket_only = format!(
            "aws iam put-role-policy --role-name AppRole --policy-name ClickstreamWriter --policy-document '{}'",
            super::writer_policy(&format!("\"{}\"", super::BUCKET_ARN), "StringEquals")
        );
        run(&mut s, &bucket_only);
        assert_eq!(ids(&s), ["old-objects-locked"]);

        // Dropping the condition fixes both symptoms and loses the scope.
        run(
            &mut s,
            r#"aws iam put-role-policy --role-name AppRole --policy-name ClickstreamWriter --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:PutObject","s3:GetObject"],"Resource":"arn:aws:s3:::clickstream-111122223333/*"},{"Effect":"Allow","Action":["kms:GenerateDataKey","kms:Decrypt"],"Resource":"*"}]}'"#,
        );
        assert_eq!(ids(&s), ["condition-removed"]);
        let r = scenario::evaluate(&s, "s3-bucket-keys").unwrap();
        let passed: Vec<_> = r.iter().map(|o| o.status == Status::Passed).collect();
        assert_eq!(passed, [true, true, true, false], "{r:#?}");

        // SSE-S3 dodges KMS and the requirement.
        run(
            &mut s,
            r#"aws s3api put-bucket-encryption --bucket clickstream-111122223333 --server-side-encryption-configuration '{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"AES256"}}]}'"#,
        );
        assert_eq!(ids(&s), ["not-sse-kms"]);
    }

    #[test]
    fn a_trailing_wildcard_on_the_bucket_name_is_not_scoped() {
        let mut s = testing::started("s3-bucket-keys", 4);
        run(&mut s, super::enable_script().trim_end());
        let wildcard = format!(
            "aws iam put-role-policy --role-name AppRole --policy-name ClickstreamWriter --policy-document '{}'",
            super::writer_policy(&format!("\"{}*\"", super::BUCKET_ARN), "StringLike")
        );
        run(&mut s, &wildcard);
        let passed = testing::passed_ids(&s, "s3-bucket-keys");
        assert!(passed.contains(&"app-writes"), "{passed:?}");
        assert!(!passed.contains(&"still-scoped"), "{passed:?}");
        assert_eq!(ids(&s), ["condition-removed"]);
    }
}
