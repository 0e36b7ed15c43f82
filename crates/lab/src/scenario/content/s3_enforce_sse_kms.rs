//! `s3-enforce-sse-kms`: a bucket policy that denies uploads without SSE-KMS, with any key but
//! the pinned one, and over plain HTTP; graded by real PutObject attempts as the app role.

use serde_json::{Value, json};

use super::never;
use crate::scenario::probe::statements;
use crate::scenario::{
    Availability, Difficulty, Hint, Objective, Probe, Scenario, Solution, Verdict, WrongTurn,
};

const BUCKET: &str = "audit-evidence-111122223333";
const ACCOUNT_ARN_PREFIX: &str = "arn:aws:kms:us-east-1:111122223333:key/";

fn setup(_seed: u64) -> String {
    format!(
        "\
KEY_ID=$(aws kms create-key --description \"Audit evidence\" --query KeyMetadata.KeyId --output text)
aws kms create-alias --alias-name alias/audit-evidence --target-key-id $KEY_ID
OTHER_KEY_ID=$(aws kms create-key --description \"Team scratch data\" --query KeyMetadata.KeyId --output text)
aws kms create-alias --alias-name alias/scratch --target-key-id $OTHER_KEY_ID
aws s3api create-bucket --bucket {BUCKET}
aws iam put-role-policy --role-name AppRole --policy-name AuditEvidence --policy-document '{{\"Version\":\"2012-10-17\",\"Statement\":[{{\"Effect\":\"Allow\",\"Action\":[\"s3:PutObject\",\"s3:GetObject\"],\"Resource\":\"arn:aws:s3:::{BUCKET}/*\"}},{{\"Effect\":\"Allow\",\"Action\":[\"kms:GenerateDataKey\",\"kms:Decrypt\"],\"Resource\":\"*\"}}]}}'
"
    )
}

fn key_arn(p: &Probe, var: &str) -> String {
    format!("{ACCOUNT_ARN_PREFIX}{}", p.var(var))
}

/// A PutObject as the app role in the clone, over TLS or not.
fn put(
    p: &mut Probe,
    key: &str,
    sse: Option<&str>,
    kms_key: Option<String>,
    tls: bool,
) -> Result<Value, String> {
    let mut input = json!({ "Bucket": BUCKET, "Key": key, "Body": "ZXZpZGVuY2U=" });
    if let Some(obj) = input.as_object_mut() {
        if let Some(s) = sse {
            obj.insert("ServerSideEncryption".into(), json!(s));
        }
        if let Some(k) = kms_key {
            obj.insert("SSEKMSKeyId".into(), json!(k));
        }
    }
    let w = &mut p.session.world;
    let mut ctx = w
        .context_for_profile(Some("app"), None)
        .map_err(|e| e.code)?;
    ctx.secure_transport = tls;
    w.call(&ctx, "s3", "PutObject", input).map_err(|e| e.code)
}

fn refused(r: Result<Value, String>, what: &str) -> Verdict {
    match r {
        Err(code) if code == "AccessDenied" => {
            Verdict::pass(format!("An upload {what} is refused (AccessDenied)."))
        }
        Err(code) => Verdict::fail(format!(
            "An upload {what} fails with {code}, not with the bucket policy's AccessDenied."
        )),
        Ok(_) => Verdict::fail(format!("An upload {what} is accepted.")),
    }
}

fn no_sse(p: &mut Probe) -> Verdict {
    let r = put(p, "probe/no-headers.txt", None, None, true);
    let a = refused(r, "without encryption headers");
    if !a.passed {
        return a;
    }
    let r = put(p, "probe/sse-s3.txt", Some("AES256"), None, true);
    a.and(|| refused(r, "with SSE-S3 (AES256)"))
}

fn pinned_ok(p: &mut Probe) -> Verdict {
    if bucket_policy(p).is_none() {
        return Verdict::fail(
            "The bucket has no policy yet; the correct upload must keep working once it does.",
        );
    }
    let arn = key_arn(p, "KEY_ID");
    match put(p, "probe/pinned.txt", Some("aws:kms"), Some(arn), true) {
        Ok(_) => Verdict::pass("AppRole can upload with SSE-KMS and the audit-evidence key ARN."),
        Err(code) => Verdict::fail(format!(
            "An upload with SSE-KMS and the audit-evidence key ARN fails ({code}); the policy must still let it through."
        )),
    }
}

fn other_key(p: &mut Probe) -> Verdict {
    let arn = key_arn(p, "OTHER_KEY_ID");
    let r = put(p, "probe/other-key.txt", Some("aws:kms"), Some(arn), true);
    let a = refused(r, "with SSE-KMS and alias/scratch's key");
    if !a.passed {
        return a;
    }
    let r = put(p, "probe/default-kms.txt", Some("aws:kms"), None, true);
    a.and(|| refused(r, "with SSE-KMS but no key id (aws/s3)"))
}

fn tls_only(p: &mut Probe) -> Verdict {
    let arn = key_arn(p, "KEY_ID");
    refused(
        put(p, "probe/http.txt", Some("aws:kms"), Some(arn), false),
        "over plain HTTP (aws:SecureTransport false)",
    )
}

fn bucket_policy(p: &mut Probe) -> Option<Value> {
    let v = p
        .call(
            "admin",
            "s3",
            "GetBucketPolicy",
            json!({ "Bucket": BUCKET }),
        )
        .ok()?;
    serde_json::from_str(v["Policy"].as_str()?).ok()
}

fn default_only(p: &mut Probe) -> Option<String> {
    let has_policy = bucket_policy(p).is_some();
    let enc = p
        .call(
            "admin",
            "s3",
            "GetBucketEncryption",
            json!({ "Bucket": BUCKET }),
        )
        .ok()?;
    let kms = enc
        .pointer("/ServerSideEncryptionConfiguration/Rules/0/ApplyServerSideEncryptionByDefault/SSEAlgorithm")
        == Some(&json!("aws:kms"));
    (kms && !has_policy).then(|| {
        "Default encryption only fills in what a request leaves out: an upload that asks for SSE-S3 or \
another KMS key still gets it. Enforcement needs a bucket policy that denies such requests."
            .to_owned()
    })
}

fn alias_pinned(p: &mut Probe) -> Option<String> {
    let policy = bucket_policy(p)?;
    let text = statements(&policy)
        .iter()
        .filter_map(|s| s.get("Condition"))
        .map(Value::to_string)
        .collect::<String>();
    let key = p.var("KEY_ID");
    let by_alias = text.contains("alias/audit-evidence");
    let bare_id = !key.is_empty()
        && text.contains(&format!("\"{key}\""))
        && !text.contains(&format!("key/{key}"));
    (by_alias || bare_id).then(|| {
        "The bucket policy pins the key by alias or bare key id. The condition compares the value of the \
x-amz-server-side-encryption-aws-kms-key-id header as sent, so pin the key ARN and have clients send it."
            .to_owned()
    })
}

fn policy_script() -> String {
    format!(
        "aws s3api put-bucket-policy --bucket {BUCKET} --policy '{{\"Version\":\"2012-10-17\",\"Statement\":[\
{{\"Sid\":\"DenyNotSseKms\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::{BUCKET}/*\",\"Condition\":{{\"StringNotEquals\":{{\"s3:x-amz-server-side-encryption\":\"aws:kms\"}}}}}},\
{{\"Sid\":\"DenyOtherKeys\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::{BUCKET}/*\",\"Condition\":{{\"StringNotEquals\":{{\"s3:x-amz-server-side-encryption-aws-kms-key-id\":\"{ACCOUNT_ARN_PREFIX}'$KEY_ID'\"}}}}}},\
{{\"Sid\":\"DenyHttp\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":[\"arn:aws:s3:::{BUCKET}\",\"arn:aws:s3:::{BUCKET}/*\"],\"Condition\":{{\"Bool\":{{\"aws:SecureTransport\":\"false\"}}}}}}]}}'
"
    )
}

fn solution_policy(_: u64) -> Option<String> {
    Some(policy_script())
}

fn solution_with_default(_: u64) -> Option<String> {
    Some(format!(
        "aws s3api put-bucket-encryption --bucket {BUCKET} --server-side-encryption-configuration '{{\"Rules\":[{{\"ApplyServerSideEncryptionByDefault\":{{\"SSEAlgorithm\":\"aws:kms\",\"KMSMasterKeyID\":\"{ACCOUNT_ARN_PREFIX}'$KEY_ID'\"}}}}]}}'
{}",
        policy_script()
    ))
}

pub(super) const SCENARIO: Scenario = Scenario {
    id: "s3-enforce-sse-kms",
    title: "Require SSE-KMS with a specific key on a bucket",
    exam: "SOA-C03 Domain 4 (Security and Compliance): data protection; SAA-C03 Domain 1 (Design Secure Architectures)",
    difficulty: Difficulty::Intermediate,
    minutes: 20,
    availability: Availability::Playable,
    story: "The bucket audit-evidence-111122223333 receives evidence files from the collector application \
(profile app, role AppRole, which may use any KMS key). The auditors now require that every new object is \
encrypted with SSE-KMS under one customer managed key, alias/audit-evidence ($KEY_ID), never with SSE-S3, \
aws/s3 or the team's scratch key alias/scratch ($OTHER_KEY_ID), and that nothing reaches the bucket over \
plain HTTP. Make the bucket refuse every upload that breaks these rules, while the correct upload still works.",
    setup,
    record_vars: &["KEY_ID", "OTHER_KEY_ID"],
    files: &[],
    objectives: &[
        Objective {
            id: "deny-without-sse-kms",
            text: "Uploads without SSE-KMS (no encryption header, or SSE-S3) are denied.",
            success: "A Deny with StringNotEquals on s3:x-amz-server-side-encryption also matches requests that send no header.",
            check: no_sse,
            pending: None,
        },
        Objective {
            id: "pinned-key-works",
            text: "AppRole can still upload with SSE-KMS and the audit-evidence key ARN.",
            success: "The allow comes from AppRole's IAM policy; the bucket policy only adds denies, so the right upload passes.",
            check: pinned_ok,
            pending: None,
        },
        Objective {
            id: "deny-other-keys",
            text: "Uploads with SSE-KMS under any other key (alias/scratch, or aws/s3 by omitting the key) are denied.",
            success: "s3:x-amz-server-side-encryption-aws-kms-key-id pins the key: IAM permissions on other keys no longer matter for this bucket.",
            check: other_key,
            pending: None,
        },
        Objective {
            id: "deny-http",
            text: "Requests over plain HTTP are denied (aws:SecureTransport).",
            success: "A Deny on Bool aws:SecureTransport false keeps every request to the bucket on TLS.",
            check: tls_only,
            pending: None,
        },
    ],
    hints: &[
        Hint {
            text: "Default encryption is not enforcement: it only fills in what a request leaves out. You need `aws s3api put-bucket-policy` with Deny statements.",
            cost: 10,
        },
        Hint {
            text: "Use condition keys s3:x-amz-server-side-encryption (must equal aws:kms), s3:x-amz-server-side-encryption-aws-kms-key-id (must equal the key ARN, arn:aws:kms:us-east-1:111122223333:key/$KEY_ID) and aws:SecureTransport.",
            cost: 20,
        },
        Hint {
            text: "Three Deny statements with \"Principal\":\"*\": StringNotEquals on the encryption header, StringNotEquals on the key id header, and Bool aws:SecureTransport \"false\". Resource: arn:aws:s3:::audit-evidence-111122223333/*.",
            cost: 30,
        },
    ],
    wrong_turns: &[
        WrongTurn {
            id: "default-encryption-only",
            detect: default_only,
        },
        WrongTurn {
            id: "key-pinned-by-alias",
            detect: alias_pinned,
        },
    ],
    solutions: &[
        Solution {
            route: "bucket-policy",
            script: solution_policy,
        },
        Solution {
            route: "default-encryption-and-policy",
            script: solution_with_default,
        },
    ],
    debrief: "Bucket default encryption (PutBucketEncryption) decides what S3 does when a request sends no \
encryption headers; it does not stop a client that asks for SSE-S3 or for another KMS key. To enforce, deny \
in the bucket policy: StringNotEquals s3:x-amz-server-side-encryption aws:kms (this also matches requests \
without the header, so clients must send it explicitly, even if the default would have used SSE-KMS), \
StringNotEquals s3:x-amz-server-side-encryption-aws-kms-key-id with the key ARN (the header is compared as \
sent, so pin the ARN, not the alias), and Bool aws:SecureTransport false. An explicit deny in a bucket \
policy wins over any allow in IAM. The KMS side still applies: the uploader needs kms:GenerateDataKey on \
the key (and kms:Decrypt for multipart uploads and reads), which S3 requests as the caller with the \
encryption context aws:s3:arn.",
    docs: &[
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html",
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/specifying-kms-encryption.html",
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html",
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html",
    ],
    needs_enforcement: never,
    diagnose_from_cloudtrail: super::never,
};
