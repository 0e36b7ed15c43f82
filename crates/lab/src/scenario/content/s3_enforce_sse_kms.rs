//! `s3-enforce-sse-kms`: a bucket policy that denies uploads without SSE-KMS, with any key but
//! the pinned one, and over plain HTTP; graded by real PutObject attempts as the app role.

use cloud::AwsError;

use super::Checks;
use crate::scenario::probe::PutObject;
use crate::scenario::{Probe, Seen, Verdict};

const BUCKET: &str = "audit-evidence-111122223333";
const ACCOUNT_ARN_PREFIX: &str = "arn:aws:kms:us-east-1:111122223333:key/";

pub(super) const CHECKS: Checks = Checks {
    id: "s3-enforce-sse-kms",
    objectives: &[
        ("deny-without-sse-kms", no_sse),
        ("pinned-key-works", pinned_ok),
        ("deny-other-keys", other_key),
        ("deny-http", tls_only),
    ],
    wrong_turns: &[
        ("default-encryption-only", default_only),
        ("key-pinned-by-alias", alias_pinned),
    ],
    ..Checks::BASE
};

fn key_arn(p: &Probe, var: &str) -> String {
    format!("{ACCOUNT_ARN_PREFIX}{}", p.var(var))
}

/// A PutObject as the app role in the clone, over TLS or not.
fn put(
    p: &mut Probe,
    key: &str,
    sse: Option<&str>,
    kms_key: Option<&str>,
    tls: bool,
) -> Result<(), AwsError> {
    p.s3("app").tls(tls).put_object(PutObject {
        bucket: BUCKET,
        key,
        body: "ZXZpZGVuY2U=",
        sse,
        kms_key,
    })
}

fn refused(r: Result<(), AwsError>, what: &str) -> Verdict {
    match r {
        Err(e) if e.code == "AccessDenied" => {
            Verdict::pass(format!("An upload {what} is refused (AccessDenied)."))
        }
        Err(e) => Verdict::fail(format!(
            "An upload {what} fails with {}, not with the bucket policy's AccessDenied.",
            e.code
        )),
        Ok(()) => Verdict::fail(format!("An upload {what} is accepted.")),
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
    if p.s3("admin").bucket_policy(BUCKET).is_err() {
        return Verdict::fail(
            "The bucket has no policy yet; the correct upload must keep working once it does.",
        );
    }
    let arn = key_arn(p, "KEY_ID");
    match put(p, "probe/pinned.txt", Some("aws:kms"), Some(&arn), true) {
        Ok(()) => Verdict::pass("AppRole can upload with SSE-KMS and the audit-evidence key ARN."),
        Err(e) => Verdict::fail(format!(
            "An upload with SSE-KMS and the audit-evidence key ARN fails ({}); the policy must still let it through.",
            e.code
        )),
    }
}

fn other_key(p: &mut Probe) -> Verdict {
    let arn = key_arn(p, "OTHER_KEY_ID");
    let r = put(p, "probe/other-key.txt", Some("aws:kms"), Some(&arn), true);
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
        put(p, "probe/http.txt", Some("aws:kms"), Some(&arn), false),
        "over plain HTTP (aws:SecureTransport false)",
    )
}

fn default_only(p: &mut Probe) -> Option<Seen> {
    let has_policy = p.s3("admin").bucket_policy(BUCKET).is_ok();
    let rule = p.s3("admin").encryption(BUCKET).ok()?;
    let kms = rule.apply_server_side_encryption_by_default.algorithm == "aws:kms";
    (kms && !has_policy).then(Seen::it)
}

fn alias_pinned(p: &mut Probe) -> Option<Seen> {
    let policy = p.s3("admin").bucket_policy(BUCKET).ok()?;
    let key = p.var("KEY_ID");
    let values: Vec<String> = policy
        .statements()
        .iter()
        .flat_map(|s| s.conditions())
        .flat_map(|c| c.values().iter().cloned())
        .collect();
    let by_alias = values.iter().any(|v| v.contains("alias/audit-evidence"));
    let bare_id = !key.is_empty()
        && values.contains(&key)
        && !values.iter().any(|v| v.contains(&format!("key/{key}")));
    (by_alias || bare_id).then(Seen::it)
}
