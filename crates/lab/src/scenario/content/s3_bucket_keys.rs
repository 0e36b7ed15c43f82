//! `s3-bucket-keys`: a hot SSE-KMS bucket that throttles and costs; Bucket Keys cut the KMS
//! requests, change the encryption context to the bucket ARN, and so break a policy condition
//! written for object ARNs. Graded by uploads and reads in the clone.

use base64::Engine as _;
use cloud::AwsError;
use serde_json::json;

use super::Checks;
use crate::scenario::probe::{PutObject, S3};
use crate::scenario::{Probe, Seen, Verdict};

const BUCKET: &str = "clickstream-111122223333";
/// Shares the bucket's name as a prefix, so a trailing-wildcard condition does not pass.
const PROBE_BUCKET: &str = "clickstream-111122223333-archive";
const REGION: &str = "eu-north-1";
/// Uploads the checker makes to count KMS requests.
const UPLOADS: u64 = 100;
/// The objects written before Bucket Keys (`setup.aws`), with their content.
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

pub(super) const CHECKS: Checks = Checks {
    id: "s3-bucket-keys",
    objectives: &[
        ("few-kms-requests", few_requests),
        ("app-writes", app_writes),
        ("old-objects", old_objects),
        ("still-scoped", still_scoped),
    ],
    wrong_turns: &[
        ("condition-not-updated", condition_not_updated),
        ("condition-removed", condition_removed),
        ("old-objects-locked", old_objects_locked),
        ("not-sse-kms", switched_to_sse_s3),
    ],
    ..Checks::BASE
};

/// S3 as `profile` with the client in the bucket's Region (as `--region eu-north-1`).
fn s3<'p>(p: &'p mut Probe, profile: &'p str) -> S3<'p> {
    p.s3(profile).region(REGION)
}

fn text(e: &AwsError) -> String {
    format!("{}: {}", e.code, e.message)
}

/// Whether the bucket's default encryption is SSE-KMS with Bucket Keys on.
fn bucket_keys_on(p: &mut Probe) -> bool {
    s3(p, "admin").encryption(BUCKET).is_ok_and(|rule| {
        rule.bucket_key_enabled
            && rule.apply_server_side_encryption_by_default.algorithm == "aws:kms"
    })
}

const NOT_YET: &str = "Bucket Keys are not enabled in the bucket's default encryption yet.";

fn few_requests(p: &mut Probe) -> Verdict {
    let key = p.var("KEY_ID");
    let report = match p.s3("admin").bulk_put(BUCKET, UPLOADS, 64) {
        Ok(r) => r,
        Err(e) => return Verdict::fail(format!("Uploading failed: {}", e.message)),
    };
    if let Some(e) = &report.error {
        return Verdict::fail(format!("Uploads stop with {}: {}", e.code, e.message));
    }
    let requests = report.kms_requests;
    let last = format!("bulk/{:06}", UPLOADS - 1);
    let head = match s3(p, "admin").head_object(BUCKET, &last) {
        Ok(h) => h,
        Err(e) => {
            return Verdict::fail(format!("HeadObject on a new object failed: {}", text(&e)));
        }
    };
    let kms_key = head.kms_key_id.clone().unwrap_or_default();
    let sse = head.server_side_encryption.clone();
    if sse.as_deref() != Some("aws:kms") || !kms_key.ends_with(&format!("key/{key}")) {
        return Verdict::fail(format!(
            "New objects are not SSE-KMS with alias/clickstream (ServerSideEncryption {}, key {}); \
the auditors require the customer managed key.",
            sse.map_or_else(|| "null".to_owned(), |s| format!("\"{s}\"")),
            if kms_key.is_empty() { "none" } else { &kms_key }
        ));
    }
    if requests <= 2 && head.bucket_key_enabled {
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

fn put(p: &mut Probe, profile: &str, bucket: &str, key: &str, body: &str) -> Result<(), AwsError> {
    s3(p, profile).put_object(PutObject {
        bucket,
        key,
        body,
        ..PutObject::default()
    })
}

fn app_writes(p: &mut Probe) -> Verdict {
    if !bucket_keys_on(p) {
        return Verdict::fail(NOT_YET);
    }
    let body = base64::engine::general_purpose::STANDARD.encode("{\"probe\":true}");
    let key = "events/probe-new.json";
    if let Err(e) = put(p, "app", BUCKET, key, &body) {
        return Verdict::fail(format!("AppRole cannot upload a new event: {}", text(&e)));
    }
    match s3(p, "app").get_object(BUCKET, key) {
        Ok(b) if b == body => {
            Verdict::pass("AppRole uploads a new event under the bucket key and reads it back.")
        }
        Ok(_) => Verdict::fail("AppRole reads the new event back, but not the same bytes."),
        Err(e) => Verdict::fail(format!(
            "AppRole uploads, but cannot read the event back: {}",
            text(&e)
        )),
    }
}

fn old_objects(p: &mut Probe) -> Verdict {
    if !bucket_keys_on(p) {
        return Verdict::fail(NOT_YET);
    }
    for (key, content) in OLD_OBJECTS {
        let want = base64::engine::general_purpose::STANDARD.encode(content);
        match s3(p, "app").get_object(BUCKET, key) {
            Ok(b) if b == want => {}
            Ok(_) => {
                return Verdict::fail(format!(
                    "AppRole reads {key}, but it is not the original event."
                ));
            }
            Err(e) => return Verdict::fail(format!("AppRole cannot read {key}: {}", text(&e))),
        }
    }
    Verdict::pass(format!(
        "AppRole still reads the {} events written before the change.",
        OLD_OBJECTS.len()
    ))
}

/// As admin in the clone: another bucket with the same key and Bucket Keys, whose bucket policy
/// lets AppRole upload; then AppRole's upload (its KMS call for that bucket) is the test.
fn upload_elsewhere(p: &mut Probe) -> Result<(), String> {
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
        s3(p, "admin")
            .call(op, input)
            .map_err(|e| format!("setting up the probe bucket: {}", text(&e)))?;
    }
    put(p, "app", PROBE_BUCKET, "probe.json", "e30=").map_err(|e| text(&e))
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
        Ok(()) => Verdict::fail(format!(
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

fn condition_not_updated(p: &mut Probe) -> Option<Seen> {
    if !bucket_keys_on(p) {
        return None;
    }
    let e = put(p, "app", BUCKET, "events/wrong-turn.json", "e30=").err()?;
    e.code.starts_with("AccessDenied").then(Seen::it)
}

fn condition_removed(p: &mut Probe) -> Option<Seen> {
    if !bucket_keys_on(p) {
        return None;
    }
    upload_elsewhere(p).ok().map(|()| Seen::it())
}

fn old_objects_locked(p: &mut Probe) -> Option<Seen> {
    if !bucket_keys_on(p) {
        return None;
    }
    let (key, _) = OLD_OBJECTS.first()?;
    let e = s3(p, "app").get_object(BUCKET, key).err()?;
    e.code
        .starts_with("AccessDenied")
        .then(|| Seen::it().with("OBJECT", key))
}

fn switched_to_sse_s3(p: &mut Probe) -> Option<Seen> {
    let rule = s3(p, "admin").encryption(BUCKET).ok()?;
    let alg = rule.apply_server_side_encryption_by_default.algorithm;
    if alg.is_empty() || alg == "aws:kms" {
        return None;
    }
    let seen = if alg == "aws:kms:dsse" {
        Seen::variant("dsse")
    } else {
        Seen::it()
    };
    Some(seen.with("ALGORITHM", alg))
}

#[cfg(test)]
mod tests {
    use awscli::Session;

    use crate::START_MS;
    use crate::scenario::testing::{self, run};
    use crate::scenario::{self, Status};

    const BUCKET_ARN: &str = "arn:aws:s3:::clickstream-111122223333";

    /// Turns Bucket Keys on (the first line of both solution routes).
    fn enable_script() -> String {
        let route = scenario::get("s3-bucket-keys").unwrap().solutions[1]
            .script(7)
            .unwrap();
        route.lines().next().unwrap().to_owned()
    }

    /// AppRole's policy, as in `setup.aws`, with other condition values and operator.
    fn writer_policy(context_values: &str, operator: &str) -> String {
        format!(
            "{{\"Version\":\"2012-10-17\",\"Statement\":[\
{{\"Sid\":\"ClickstreamObjects\",\"Effect\":\"Allow\",\"Action\":[\"s3:PutObject\",\"s3:GetObject\"],\"Resource\":\"{BUCKET_ARN}/*\"}},\
{{\"Sid\":\"ClickstreamKey\",\"Effect\":\"Allow\",\"Action\":[\"kms:GenerateDataKey\",\"kms:Decrypt\"],\
\"Resource\":\"arn:aws:kms:eu-north-1:111122223333:key/'$KEY_ID'\",\
\"Condition\":{{\"{operator}\":{{\"kms:EncryptionContext:aws:s3:arn\":{context_values}}}}}}}]}}"
        )
    }

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
        run(&mut s, enable_script().trim_end());
        assert_eq!(ids(&s), ["condition-not-updated"]);
        let r = scenario::evaluate(&s, "s3-bucket-keys").unwrap();
        assert_eq!(r[0].status, Status::Passed, "{r:#?}");
        assert_eq!(r[1].status, Status::Failed, "{r:#?}");
        // A role denied everywhere is not "still scoped".
        assert_eq!(r[3].status, Status::Failed, "{r:#?}");

        // Bucket ARN only: new uploads work, the old files are locked out.
        let bucket_only = format!(
            "aws iam put-role-policy --role-name AppRole --policy-name ClickstreamWriter --policy-document '{}'",
            writer_policy(&format!("\"{}\"", BUCKET_ARN), "StringEquals")
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
        run(&mut s, enable_script().trim_end());
        let wildcard = format!(
            "aws iam put-role-policy --role-name AppRole --policy-name ClickstreamWriter --policy-document '{}'",
            writer_policy(&format!("\"{}*\"", BUCKET_ARN), "StringLike")
        );
        run(&mut s, &wildcard);
        let passed = testing::passed_ids(&s, "s3-bucket-keys");
        assert!(passed.contains(&"app-writes"), "{passed:?}");
        assert!(!passed.contains(&"still-scoped"), "{passed:?}");
        assert_eq!(ids(&s), ["condition-removed"]);
    }
}
