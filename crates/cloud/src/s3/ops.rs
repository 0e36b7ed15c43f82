//! The S3 operations (`aws s3api …`), in the AWS JSON shapes botocore uses.

use std::collections::BTreeMap;
use std::sync::Arc;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::Engine as _;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use crate::World;
use crate::cloudtrail::CallAudit;
use crate::context::CallContext;
use crate::env::iso8601;
use crate::error::AwsError;
use crate::kms::model::{Blob, DecryptRequest, EncryptionContext};
use crate::service_kms::{ServiceKms, in_region};

use super::auth::{S3Access, authorize};
use super::{
    BUCKET_KEY_TTL_MS, Bucket, CachedBucketKey, DefaultEncryption, Object, ObjectEncryption,
};

fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

fn err(code: &str, status: u16, message: impl Into<String>) -> AwsError {
    AwsError::with_status(code, message, status)
}

fn no_such_bucket(name: &str) -> AwsError {
    let _ = name;
    err("NoSuchBucket", 404, "The specified bucket does not exist")
}

fn str_member<'a>(input: &'a Value, name: &str) -> Option<&'a str> {
    input.get(name).and_then(Value::as_str)
}

fn required<'a>(input: &'a Value, name: &str) -> Result<&'a str, AwsError> {
    str_member(input, name).ok_or_else(|| {
        err(
            "InvalidRequest",
            400,
            format!("Missing required request parameter: {name}"),
        )
    })
}

fn bool_member(input: &Value, name: &str) -> Option<bool> {
    input.get(name).and_then(Value::as_bool)
}

/// S3's answer for a failed KMS request made on the caller's behalf: access denials become S3's
/// `AccessDenied` (403) with KMS's message; other KMS errors keep their code behind `KMS.`.
fn kms_error(e: AwsError, _key: &str) -> AwsError {
    match e.code.as_str() {
        "AccessDeniedException" => err("AccessDenied", 403, e.message),
        "ThrottlingException" => err("SlowDown", 503, e.message),
        code => err(&format!("KMS.{code}"), 400, e.message),
    }
}

const OPERATIONS: &[&str] = &[
    "CreateBucket",
    "ListBuckets",
    "DeleteBucket",
    "HeadBucket",
    "PutBucketEncryption",
    "GetBucketEncryption",
    "DeleteBucketEncryption",
    "PutBucketPolicy",
    "GetBucketPolicy",
    "DeleteBucketPolicy",
    "PutObject",
    "GetObject",
    "HeadObject",
    "CopyObject",
    "DeleteObject",
    "ListObjectsV2",
];

/// Object-level operations: CloudTrail data events.
pub(crate) fn is_data_event(operation: &str) -> bool {
    matches!(
        operation,
        "PutObject" | "GetObject" | "HeadObject" | "CopyObject" | "DeleteObject" | "ListObjectsV2"
    )
}

/// The `s3` (`s3api`) entry point.
pub(crate) fn call(
    world: &mut World,
    ctx: &CallContext,
    operation: &str,
    input: Value,
    audit: &mut CallAudit,
) -> Result<Value, AwsError> {
    if !OPERATIONS.contains(&operation) {
        return Err(err(
            "NotImplemented",
            501,
            format!("the lab's S3 does not implement {operation}"),
        ));
    }
    audit.read_only = operation.starts_with("Get")
        || operation.starts_with("List")
        || operation.starts_with("Head");
    // Request bodies and secrets are not logged.
    if let Value::Object(m) = &mut audit.request_parameters {
        for secret in ["body", "sSECustomerKey", "copySourceSSECustomerKey"] {
            m.remove(secret);
        }
    }
    if let Some(b) = str_member(&input, "Bucket") {
        let acct = world
            .s3
            .buckets
            .get(b)
            .map_or_else(|| ctx.account.clone(), |x| x.account.clone());
        audit.resource(&acct, "AWS::S3::Bucket", &format!("arn:aws:s3:::{b}"));
    }
    match operation {
        "CreateBucket" => create_bucket(world, ctx, &input, audit),
        "ListBuckets" => list_buckets(world, ctx, audit),
        "DeleteBucket" => delete_bucket(world, ctx, &input, audit),
        "HeadBucket" => head_bucket(world, ctx, &input, audit),
        "PutBucketEncryption" => put_bucket_encryption(world, ctx, &input, audit),
        "GetBucketEncryption" => get_bucket_encryption(world, ctx, &input, audit),
        "DeleteBucketEncryption" => delete_bucket_encryption(world, ctx, &input, audit),
        "PutBucketPolicy" => put_bucket_policy(world, ctx, &input, audit),
        "GetBucketPolicy" => get_bucket_policy(world, ctx, &input, audit),
        "DeleteBucketPolicy" => delete_bucket_policy(world, ctx, &input, audit),
        "PutObject" => put_object(world, ctx, &input, audit),
        "GetObject" => get_object(world, ctx, &input, audit, true),
        "HeadObject" => get_object(world, ctx, &input, audit, false),
        "CopyObject" => copy_object(world, ctx, &input, audit),
        "DeleteObject" => delete_object(world, ctx, &input, audit),
        _ => list_objects_v2(world, ctx, &input, audit),
    }
}

fn valid_bucket_name(name: &str) -> bool {
    let ok_chars = name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.');
    let edges = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric())
        && name
            .chars()
            .last()
            .is_some_and(|c| c.is_ascii_alphanumeric());
    (3..=63).contains(&name.len())
        && ok_chars
        && edges
        && !name.contains("..")
        && !name.starts_with("xn--")
        && name.parse::<std::net::Ipv4Addr>().is_err()
}

/// The object's ARN, once its bucket exists and `action` on the object is authorized.
fn check_object(
    world: &World,
    ctx: &CallContext,
    action: &str,
    name: &str,
    key: &str,
    extra: &[(String, Vec<String>)],
    audit: &mut CallAudit,
) -> Result<String, AwsError> {
    if !world.s3.buckets.contains_key(name) {
        return Err(no_such_bucket(name));
    }
    let object_arn = format!("arn:aws:s3:::{name}/{key}");
    check(world, ctx, action, &object_arn, Some(name), extra, audit)?;
    Ok(object_arn)
}

fn check(
    world: &World,
    ctx: &CallContext,
    action: &str,
    resource: &str,
    bucket: Option<&str>,
    extra: &[(String, Vec<String>)],
    audit: &mut CallAudit,
) -> Result<(), AwsError> {
    let b = bucket.and_then(|n| world.s3.buckets.get(n));
    let access = S3Access {
        action,
        resource,
        bucket: b,
        extra,
    };
    authorize(&world.iam, ctx, access, world.now_ms(), audit)
}

/// The bucket, after authorizing `action` on it (AWS checks access before existence only for
/// principals who could list; the lab answers `NoSuchBucket` first, as S3 does for the owner).
fn bucket_for<'w>(
    world: &'w World,
    ctx: &CallContext,
    input: &Value,
    action: &str,
    audit: &mut CallAudit,
) -> Result<&'w Bucket, AwsError> {
    let name = required(input, "Bucket")?;
    if !world.s3.buckets.contains_key(name) {
        return Err(no_such_bucket(name));
    }
    check(
        world,
        ctx,
        action,
        &format!("arn:aws:s3:::{name}"),
        Some(name),
        &[],
        audit,
    )?;
    world
        .s3
        .buckets
        .get(name)
        .ok_or_else(|| no_such_bucket(name))
}

fn create_bucket(
    world: &mut World,
    ctx: &CallContext,
    input: &Value,
    audit: &mut CallAudit,
) -> Result<Value, AwsError> {
    let name = required(input, "Bucket")?;
    let arn = format!("arn:aws:s3:::{name}");
    check(world, ctx, "s3:CreateBucket", &arn, None, &[], audit)?;
    if !valid_bucket_name(name) {
        return Err(err(
            "InvalidBucketName",
            400,
            "The specified bucket is not valid.",
        ));
    }
    let constraint = input
        .pointer("/CreateBucketConfiguration/LocationConstraint")
        .and_then(Value::as_str);
    match constraint {
        Some(lc) if lc != ctx.region => {
            return Err(err(
                "IllegalLocationConstraintException",
                400,
                format!(
                    "The {lc} location constraint is incompatible for the region specific endpoint this request was sent to."
                ),
            ));
        }
        None if ctx.region != "us-east-1" => {
            return Err(err(
                "IllegalLocationConstraintException",
                400,
                "The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.",
            ));
        }
        _ => {}
    }
    if let Some(existing) = world.s3.buckets.get(name) {
        return Err(if existing.account == ctx.account {
            err(
                "BucketAlreadyOwnedByYou",
                409,
                "Your previous request to create the named bucket succeeded and you already own it.",
            )
        } else {
            err(
                "BucketAlreadyExists",
                409,
                "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.",
            )
        });
    }
    let now = world.now_ms();
    world.s3.buckets.insert(
        name.to_owned(),
        Bucket {
            name: name.to_owned(),
            account: ctx.account.clone(),
            region: ctx.region.clone(),
            created_ms: now,
            encryption: DefaultEncryption::default(),
            policy: None,
            objects: BTreeMap::new(),
        },
    );
    let location = if ctx.region == "us-east-1" {
        format!("/{name}")
    } else {
        format!("http://{name}.s3.amazonaws.com/")
    };
    Ok(json!({ "Location": location }))
}

fn list_buckets(
    world: &mut World,
    ctx: &CallContext,
    audit: &mut CallAudit,
) -> Result<Value, AwsError> {
    check(world, ctx, "s3:ListAllMyBuckets", "*", None, &[], audit)?;
    let buckets: Vec<Value> = world
        .s3
        .buckets
        .values()
        .filter(|b| b.account == ctx.account)
        .map(|b| {
            json!({ "Name": b.name, "CreationDate": iso8601(b.created_ms), "BucketRegion": b.region })
        })
        .collect();
    let owner = crate::env::hex(&Sha256::digest(ctx.account.as_bytes()));
    Ok(json!({ "Buckets": buckets, "Owner": { "ID": owner } }))
}

fn delete_bucket(
    world: &mut World,
    ctx: &CallContext,
    input: &Value,
    audit: &mut CallAudit,
) -> Result<Value, AwsError> {
    let b = bucket_for(world, ctx, input, "s3:DeleteBucket", audit)?;
    if !b.objects.is_empty() {
        return Err(err(
            "BucketNotEmpty",
            409,
            "The bucket you tried to delete is not empty",
        ));
    }
    let name = b.name.clone();
    world.s3.buckets.remove(&name);
    world
        .s3
        .bucket_keys
        .retain(|k, _| !k.starts_with(&format!("{name}\n")));
    Ok(json!({}))
}

fn head_bucket(
    world: &mut World,
    ctx: &CallContext,
    input: &Value,
    audit: &mut CallAudit,
) -> Result<Value, AwsError> {
    let b = bucket_for(world, ctx, input, "s3:ListBucket", audit)?;
    Ok(json!({ "BucketRegion": b.region }))
}

fn put_bucket_encryption(
    world: &mut World,
    ctx: &CallContext,
    input: &Value,
    audit: &mut CallAudit,
) -> Result<Value, AwsError> {
    let name = bucket_for(world, ctx, input, "s3:PutEncryptionConfiguration", audit)?
        .name
        .clone();
    let malformed = || {
        err(
            "MalformedXML",
            400,
            "The XML you provided was not well-formed or did not validate against our published schema",
        )
    };
    let rules = input
        .pointer("/ServerSideEncryptionConfiguration/Rules")
        .and_then(Value::as_array)
        .ok_or_else(malformed)?;
    let [rule] = rules.as_slice() else {
        return Err(malformed());
    };
    let mut enc = DefaultEncryption::default();
    if let Some(d) = rule.get("ApplyServerSideEncryptionByDefault") {
        let alg = str_member(d, "SSEAlgorithm").ok_or_else(malformed)?;
        if !matches!(alg, "AES256" | "aws:kms" | "aws:kms:dsse") {
            return Err(malformed());
        }
        let key = str_member(d, "KMSMasterKeyID").map(str::to_owned);
        if alg == "AES256" && key.is_some() {
            return Err(err(
                "InvalidArgument",
                400,
                "a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse",
            ));
        }
        alg.clone_into(&mut enc.algorithm);
        enc.kms_key = key;
    }
    enc.bucket_key_enabled = bool_member(rule, "BucketKeyEnabled").unwrap_or(false);
    if let Some(types) = rule
        .pointer("/BlockedEncryptionTypes/EncryptionType")
        .and_then(Value::as_array)
    {
        let names: Vec<&str> = types.iter().filter_map(Value::as_str).collect();
        if names.iter().any(|t| !matches!(*t, "NONE" | "SSE-C")) {
            return Err(malformed());
        }
        enc.sse_c_blocked = names.contains(&"SSE-C");
    } else if let Some(b) = world.s3.buckets.get(&name) {
        // Not given: the setting is left as it is.
        enc.sse_c_blocked = b.encryption.sse_c_blocked;
    }
    if let Some(b) = world.s3.buckets.get_mut(&name) {
        b.encryption = enc;
    }
    Ok(json!({}))
}

fn encryption_json(enc: &DefaultEncryption) -> Value {
    let mut d = Map::new();
    d.insert("SSEAlgorithm".into(), json!(enc.algorithm));
    if let Some(k) = &enc.kms_key {
        d.insert("KMSMasterKeyID".into(), json!(k));
    }
    json!({
        "ServerSideEncryptionConfiguration": { "Rules": [{
            "ApplyServerSideEncryptionByDefault": d,
            "BucketKeyEnabled": enc.bucket_key_enabled,
            "BlockedEncryptionTypes": {
                "EncryptionType": [if enc.sse_c_blocked { "SSE-C" } else { "NONE" }]
            },
        }]}
    })
}

fn get_bucket_encryption(
    world: &mut World,
    ctx: &CallContext,
    input: &Value,
    audit: &mut CallAudit,
) -> Result<Value, AwsError> {
    let b = bucket_for(world, ctx, input, "s3:GetEncryptionConfiguration", audit)?;
    Ok(encryption_json(&b.encryption))
}

fn delete_bucket_encryption(
    world: &mut World,
    ctx: &CallContext,
    input: &Value,
    audit: &mut CallAudit,
) -> Result<Value, AwsError> {
    let name = bucket_for(world, ctx, input, "s3:PutEncryptionConfiguration", audit)?
        .name
        .clone();
    if let Some(b) = world.s3.buckets.get_mut(&name) {
        b.encryption = DefaultEncryption::default();
    }
    Ok(json!({}))
}

fn put_bucket_policy(
    world: &mut World,
    ctx: &CallContext,
    input: &Value,
    audit: &mut CallAudit,
) -> Result<Value, AwsError> {
    let name = bucket_for(world, ctx, input, "s3:PutBucketPolicy", audit)?
        .name
        .clone();
    let text = required(input, "Policy")?;
    let doc = policy::PolicyDocument::parse(
        text,
        policy::PolicyKind::Resource,
        policy::Limits::s3_bucket_policy(),
    )
    .map_err(|e| err("MalformedPolicy", 400, e.to_string()))?;
    let arn = format!("arn:aws:s3:::{name}");
    for st in doc.statements() {
        let Some(res) = st.resource() else {
            return Err(err(
                "MalformedPolicy",
                400,
                "Missing required field Resource",
            ));
        };
        for p in res.patterns() {
            let inside = p == arn || p.starts_with(&format!("{arn}/")) || p == "*";
            if !inside {
                return Err(err("MalformedPolicy", 400, "Policy has invalid resource"));
            }
        }
        for a in &st.action().patterns {
            let a = a.as_str();
            if !(a == "*" || a.to_ascii_lowercase().starts_with("s3:")) {
                return Err(err("MalformedPolicy", 400, "Policy has invalid action"));
            }
        }
    }
    if let Some(b) = world.s3.buckets.get_mut(&name) {
        b.policy = Some(doc);
    }
    Ok(json!({}))
}

fn get_bucket_policy(
    world: &mut World,
    ctx: &CallContext,
    input: &Value,
    audit: &mut CallAudit,
) -> Result<Value, AwsError> {
    let b = bucket_for(world, ctx, input, "s3:GetBucketPolicy", audit)?;
    match &b.policy {
        Some(p) => Ok(json!({ "Policy": p.source() })),
        None => Err(err(
            "NoSuchBucketPolicy",
            404,
            "The bucket policy does not exist",
        )),
    }
}

fn delete_bucket_policy(
    world: &mut World,
    ctx: &CallContext,
    input: &Value,
    audit: &mut CallAudit,
) -> Result<Value, AwsError> {
    let name = bucket_for(world, ctx, input, "s3:DeleteBucketPolicy", audit)?
        .name
        .clone();
    if let Some(b) = world.s3.buckets.get_mut(&name) {
        b.policy = None;
    }
    Ok(json!({}))
}

/// The encryption a write asks for (headers) after the bucket default fills the gaps.
#[derive(Debug)]
struct WriteEncryption {
    /// `AES256`, `aws:kms`, `aws:kms:dsse` or `SSE-C`.
    kind: String,
    kms_key: Option<String>,
    bucket_key: bool,
    user_context: Option<BTreeMap<String, String>>,
    sse_c_key: Option<Vec<u8>>,
    sse_c_md5: Option<String>,
}

/// The condition keys of a write's encryption headers (present only when the header is).
fn write_conditions(input: &Value) -> Vec<(String, Vec<String>)> {
    let mut c = Vec::new();
    if let Some(v) = str_member(input, "ServerSideEncryption") {
        c.push((
            "s3:x-amz-server-side-encryption".to_owned(),
            vec![v.to_owned()],
        ));
    }
    if let Some(v) = str_member(input, "SSEKMSKeyId") {
        c.push((
            "s3:x-amz-server-side-encryption-aws-kms-key-id".to_owned(),
            vec![v.to_owned()],
        ));
    }
    if let Some(v) = str_member(input, "SSECustomerAlgorithm") {
        c.push((
            "s3:x-amz-server-side-encryption-customer-algorithm".to_owned(),
            vec![v.to_owned()],
        ));
    }
    c
}

fn write_encryption(bucket: &Bucket, input: &Value) -> Result<WriteEncryption, AwsError> {
    let invalid = |m: &str| err("InvalidArgument", 400, m);
    let header = str_member(input, "ServerSideEncryption");
    let key = str_member(input, "SSEKMSKeyId").map(str::to_owned);
    let user_context = match str_member(input, "SSEKMSEncryptionContext") {
        None => None,
        Some(text) => {
            let bytes = b64()
                .decode(text.as_bytes())
                .map_err(|_| invalid("The header 'x-amz-server-side-encryption-context' shall be Base64-encoded UTF-8 string holding JSON with the encryption context key-value pairs."))?;
            let map: BTreeMap<String, String> = serde_json::from_slice(&bytes)
                .map_err(|_| invalid("The header 'x-amz-server-side-encryption-context' shall be Base64-encoded UTF-8 string holding JSON with the encryption context key-value pairs."))?;
            if map.keys().any(|k| k.starts_with("aws:")) {
                return Err(invalid(
                    "Encryption context keys cannot start with the reserved prefix aws:",
                ));
            }
            Some(map)
        }
    };
    if let Some(alg) = str_member(input, "SSECustomerAlgorithm") {
        if header.is_some() {
            return Err(invalid(
                "Server Side Encryption with Customer provided key is incompatible with the encryption method specified",
            ));
        }
        if alg != "AES256" {
            return Err(invalid(
                "The encryption algorithm specified is not valid: use AES256",
            ));
        }
        let key_b64 = str_member(input, "SSECustomerKey").ok_or_else(|| {
            invalid("Requests specifying Server Side Encryption with Customer provided keys must provide an appropriate secret key.")
        })?;
        let key = b64()
            .decode(key_b64.as_bytes())
            .ok()
            .filter(|k| k.len() == 32)
            .ok_or_else(|| invalid("The secret key was invalid for the specified algorithm."))?;
        if bucket.encryption.sse_c_blocked {
            return Err(err(
                "AccessDenied",
                403,
                "Requests specifying Server Side Encryption with Customer provided keys are blocked for this bucket (BlockedEncryptionTypes: SSE-C). Update the bucket's default encryption configuration to allow SSE-C.",
            ));
        }
        return Ok(WriteEncryption {
            kind: "SSE-C".into(),
            kms_key: None,
            bucket_key: false,
            user_context: None,
            sse_c_key: Some(key),
            sse_c_md5: str_member(input, "SSECustomerKeyMD5").map(str::to_owned),
        });
    }
    let d = &bucket.encryption;
    let (kind, kms_key) = match header {
        Some("AES256") => {
            if key.is_some() || user_context.is_some() {
                return Err(invalid(
                    "Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms",
                ));
            }
            ("AES256".to_owned(), None)
        }
        // With the header but without a key id S3 uses aws/s3.
        Some(h @ ("aws:kms" | "aws:kms:dsse")) => (h.to_owned(), key),
        Some(other) => {
            return Err(invalid(&format!(
                "The encryption method specified is not supported: {other}"
            )));
        }
        None if key.is_some() => {
            return Err(invalid(
                "Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms",
            ));
        }
        None => (d.algorithm.clone(), d.kms_key.clone()),
    };
    if kind == "AES256" && user_context.is_some() {
        return Err(invalid(
            "Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms",
        ));
    }
    let bucket_key =
        kind == "aws:kms" && bool_member(input, "BucketKeyEnabled").unwrap_or(d.bucket_key_enabled);
    Ok(WriteEncryption {
        kind,
        kms_key,
        bucket_key,
        user_context,
        sse_c_key: None,
        sse_c_md5: None,
    })
}

fn seal(key: &[u8], nonce: &[u8; 12], plaintext: &[u8], aad: &[u8]) -> Result<Vec<u8>, AwsError> {
    let cipher = Aes256Gcm::new_from_slice(key)
        .map_err(|_| err("InternalError", 500, "bad data key length"))?;
    let ct = cipher
        .encrypt(
            Nonce::from_slice(nonce),
            Payload {
                msg: plaintext,
                aad,
            },
        )
        .map_err(|_| err("InternalError", 500, "encryption failed"))?;
    let mut out = nonce.to_vec();
    out.extend(ct);
    Ok(out)
}

fn open(key: &[u8], sealed: &[u8], aad: &[u8]) -> Option<Vec<u8>> {
    let (nonce, ct) = sealed.split_at_checked(12)?;
    let cipher = Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(key.get(..32)?));
    cipher
        .decrypt(Nonce::from_slice(nonce), Payload { msg: ct, aad })
        .ok()
}

fn derive(bucket_key: &[u8], salt: &[u8], object_arn: &str) -> Result<Vec<u8>, AwsError> {
    let hk = hkdf::Hkdf::<Sha256>::new(Some(salt), bucket_key);
    let mut out = vec![0u8; 32];
    hk.expand(object_arn.as_bytes(), &mut out)
        .map_err(|_| err("InternalError", 500, "key derivation failed"))?;
    Ok(out)
}

fn root_key(world: &mut World) -> Vec<u8> {
    if world.s3.root_key.len() != 32 {
        world.s3.root_key = world.rng.bytes(32);
    }
    world.s3.root_key.clone()
}

/// S3 calls KMS for the caller; its encryption context (`aws:s3:arn`, plus the caller's) is
/// built per request.
const KMS: ServiceKms = ServiceKms {
    service: "s3",
    context_key: "aws:s3:arn",
    map_err: kms_error,
};

/// The plaintext of a data key (or bucket key) S3 stored encrypted under `key_arn`: KMS `Decrypt`
/// for the caller, in the bucket's Region, with the context it was bound to.
fn unwrap_key(
    world: &mut World,
    ctx: &CallContext,
    region: &str,
    wrapped: &[u8],
    key_arn: &str,
    context: EncryptionContext,
    audit: &mut CallAudit,
) -> Result<zeroize::Zeroizing<Vec<u8>>, AwsError> {
    let req = DecryptRequest {
        ciphertext_blob: Blob(wrapped.to_vec()),
        key_id: Some(key_arn.to_owned()),
        encryption_context: Some(context),
        ..DecryptRequest::default()
    };
    let mut plaintext = KMS.decrypt(world, &in_region(ctx, region), req, audit)?;
    Ok(zeroize::Zeroizing::new(std::mem::take(&mut plaintext.0)))
}

/// A data key's plaintext, its encrypted form and the ARN of its KMS key.
type DataKey = (zeroize::Zeroizing<Vec<u8>>, Vec<u8>, String);

/// An AES-256 data key from KMS `GenerateDataKey` for the caller, in the bucket's Region:
/// (plaintext, encrypted data key, key ARN).
fn new_data_key(
    world: &mut World,
    ctx: &CallContext,
    region: &str,
    key_id: &str,
    context: EncryptionContext,
    audit: &mut CallAudit,
) -> Result<DataKey, AwsError> {
    let mut out = KMS.data_key(world, &in_region(ctx, region), key_id, context, true, audit)?;
    let missing = |m: &str| err("InternalError", 500, format!("KMS returned no {m}"));
    let plaintext = out.plaintext.take().ok_or_else(|| missing("Plaintext"))?;
    let wrapped = out
        .ciphertext_blob
        .take()
        .ok_or_else(|| missing("CiphertextBlob"))?;
    let key_arn = out.key_id.take().unwrap_or_else(|| key_id.to_owned());
    Ok((
        zeroize::Zeroizing::new(plaintext.0.clone()),
        wrapped.0.clone(),
        key_arn,
    ))
}

/// The key id S3 sends to KMS: the configured one, or the bucket account's `aws/s3`.
fn resolve_key(world: &mut World, bucket: &Bucket, key: Option<&str>) -> Result<String, AwsError> {
    match key {
        Some(k) => Ok(k.to_owned()),
        None => {
            let id = world.aws_managed_key(&bucket.account, &bucket.region, "s3")?;
            Ok(format!(
                "arn:aws:kms:{}:{}:key/{id}",
                bucket.region, bucket.account
            ))
        }
    }
}

/// Encrypts `body` for `object_arn` as `enc` asks; returns the sealed body and its record.
fn encrypt_body(
    world: &mut World,
    ctx: &CallContext,
    bucket: &Bucket,
    object_arn: &str,
    body: &[u8],
    enc: &WriteEncryption,
    audit: &mut CallAudit,
) -> Result<(Vec<u8>, ObjectEncryption), AwsError> {
    let nonce: [u8; 12] = world.rng.array();
    let aad = object_arn.as_bytes();
    match enc.kind.as_str() {
        "SSE-C" => {
            let key = enc.sse_c_key.clone().unwrap_or_default();
            let sealed = seal(&key, &nonce, body, aad)?;
            let check = crate::env::hex(&Sha256::digest([object_arn.as_bytes(), &key].concat()));
            Ok((
                sealed,
                ObjectEncryption::SseC {
                    key_check: check,
                    key_md5: enc.sse_c_md5.clone(),
                },
            ))
        }
        "AES256" => {
            let root = root_key(world);
            let data_key = zeroize::Zeroizing::new(world.rng.bytes(32));
            let sealed = seal(&data_key, &nonce, body, aad)?;
            let wrap_nonce: [u8; 12] = world.rng.array();
            let wrapped = seal(&root, &wrap_nonce, &data_key, aad)?;
            Ok((
                sealed,
                ObjectEncryption::SseS3 {
                    wrapped_key: wrapped,
                },
            ))
        }
        kind => {
            let key_id = resolve_key(world, bucket, enc.kms_key.as_deref())?;
            let mut context = enc.user_context.clone().unwrap_or_default();
            if enc.bucket_key {
                let bucket_arn = bucket.arn();
                let slot = format!("{}\n{}\nW:{key_id}", bucket.name, ctx.principal_arn);
                let now = world.now_ms();
                let cached = world
                    .s3
                    .bucket_keys
                    .get(&slot)
                    .filter(|c| c.expires_ms > now)
                    .cloned();
                let bk = match cached {
                    Some(c) => c,
                    None => {
                        let (plaintext, blob, key_arn) = new_data_key(
                            world,
                            ctx,
                            &bucket.region,
                            &key_id,
                            KMS.context(&bucket_arn),
                            audit,
                        )?;
                        let c = CachedBucketKey {
                            plaintext,
                            blob,
                            key_arn,
                            expires_ms: now + BUCKET_KEY_TTL_MS,
                        };
                        world.s3.bucket_keys.insert(slot, c.clone());
                        let read_slot = format!(
                            "{}\n{}\nR:{}",
                            bucket.name,
                            ctx.principal_arn,
                            b64().encode(&c.blob)
                        );
                        world.s3.bucket_keys.insert(read_slot, c.clone());
                        c
                    }
                };
                let salt = world.rng.bytes(16);
                let data_key = zeroize::Zeroizing::new(derive(&bk.plaintext, &salt, object_arn)?);
                let sealed = seal(&data_key, &nonce, body, aad)?;
                context.insert("aws:s3:arn".into(), bucket_arn);
                return Ok((
                    sealed,
                    ObjectEncryption::SseKms {
                        key_arn: bk.key_arn,
                        context,
                        wrapped_key: Vec::new(),
                        bucket_key: bk.blob,
                        salt,
                        user_context: enc.user_context.clone(),
                    },
                ));
            }
            context.insert("aws:s3:arn".into(), object_arn.to_owned());
            let (data_key, wrapped, key_arn) =
                new_data_key(world, ctx, &bucket.region, &key_id, context.clone(), audit)?;
            let inner = seal(&data_key, &nonce, body, aad)?;
            if kind == "aws:kms:dsse" {
                // The second, independent layer under an S3 key.
                let root = root_key(world);
                let outer_key = zeroize::Zeroizing::new(world.rng.bytes(32));
                let outer_nonce: [u8; 12] = world.rng.array();
                let sealed = seal(&outer_key, &outer_nonce, &inner, aad)?;
                let wrap_nonce: [u8; 12] = world.rng.array();
                let outer_wrapped = seal(&root, &wrap_nonce, &outer_key, aad)?;
                return Ok((
                    sealed,
                    ObjectEncryption::Dsse {
                        key_arn,
                        context,
                        wrapped_key: wrapped,
                        outer_wrapped_key: outer_wrapped,
                        user_context: enc.user_context.clone(),
                    },
                ));
            }
            Ok((
                inner,
                ObjectEncryption::SseKms {
                    key_arn,
                    context,
                    wrapped_key: wrapped,
                    bucket_key: Vec::new(),
                    salt: Vec::new(),
                    user_context: enc.user_context.clone(),
                },
            ))
        }
    }
}

/// Decrypts a stored object's body (KMS `Decrypt` on the caller's behalf for SSE-KMS/DSSE).
fn decrypt_body(
    world: &mut World,
    ctx: &CallContext,
    bucket: &Bucket,
    object: &Object,
    sse_c_key: Option<&[u8]>,
    audit: &mut CallAudit,
) -> Result<Vec<u8>, AwsError> {
    let object_arn = format!("{}/{}", bucket.arn(), object.key);
    let aad = object_arn.as_bytes();
    let corrupt = || err("InternalError", 500, "the stored object failed to decrypt");
    match &object.encryption {
        ObjectEncryption::SseC { key_check, .. } => {
            let key = sse_c_key.ok_or_else(|| {
                err(
                    "InvalidRequest",
                    400,
                    "The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.",
                )
            })?;
            let check = crate::env::hex(&Sha256::digest([object_arn.as_bytes(), key].concat()));
            if &check != key_check {
                return Err(err("AccessDenied", 403, "Forbidden"));
            }
            open(key, &object.body, aad).ok_or_else(corrupt)
        }
        ObjectEncryption::SseS3 { wrapped_key } => {
            let root = root_key(world);
            let data_key =
                zeroize::Zeroizing::new(open(&root, wrapped_key, aad).ok_or_else(corrupt)?);
            open(&data_key, &object.body, aad).ok_or_else(corrupt)
        }
        ObjectEncryption::SseKms {
            key_arn,
            context,
            wrapped_key,
            bucket_key,
            salt,
            ..
        } => {
            if bucket_key.is_empty() {
                let data_key = unwrap_key(
                    world,
                    ctx,
                    &bucket.region,
                    wrapped_key,
                    key_arn,
                    context.clone(),
                    audit,
                )?;
                return open(&data_key, &object.body, aad).ok_or_else(corrupt);
            }
            let slot = format!(
                "{}\n{}\nR:{}",
                bucket.name,
                ctx.principal_arn,
                b64().encode(bucket_key)
            );
            let now = world.now_ms();
            let cached = world
                .s3
                .bucket_keys
                .get(&slot)
                .filter(|c| c.expires_ms > now)
                .map(|c| c.plaintext.clone());
            let plaintext = match cached {
                Some(p) => p,
                None => {
                    let p = unwrap_key(
                        world,
                        ctx,
                        &bucket.region,
                        bucket_key,
                        key_arn,
                        KMS.context(&bucket.arn()),
                        audit,
                    )?;
                    world.s3.bucket_keys.insert(
                        slot,
                        CachedBucketKey {
                            plaintext: p.clone(),
                            blob: bucket_key.clone(),
                            key_arn: key_arn.clone(),
                            expires_ms: now + BUCKET_KEY_TTL_MS,
                        },
                    );
                    p
                }
            };
            let data_key = zeroize::Zeroizing::new(derive(&plaintext, salt, &object_arn)?);
            open(&data_key, &object.body, aad).ok_or_else(corrupt)
        }
        ObjectEncryption::Dsse {
            key_arn,
            context,
            wrapped_key,
            outer_wrapped_key,
            ..
        } => {
            let data_key = unwrap_key(
                world,
                ctx,
                &bucket.region,
                wrapped_key,
                key_arn,
                context.clone(),
                audit,
            )?;
            let root = root_key(world);
            let outer_key =
                zeroize::Zeroizing::new(open(&root, outer_wrapped_key, aad).ok_or_else(corrupt)?);
            let inner = open(&outer_key, &object.body, aad).ok_or_else(corrupt)?;
            open(&data_key, &inner, aad).ok_or_else(corrupt)
        }
    }
}

/// The encryption members of an object response.
fn encryption_members(out: &mut Map<String, Value>, enc: &ObjectEncryption) {
    if let Some(h) = enc.header() {
        out.insert("ServerSideEncryption".into(), json!(h));
    }
    match enc {
        ObjectEncryption::SseKms {
            key_arn,
            user_context,
            ..
        }
        | ObjectEncryption::Dsse {
            key_arn,
            user_context,
            ..
        } => {
            out.insert("SSEKMSKeyId".into(), json!(key_arn));
            if let Some(c) = user_context {
                let text = serde_json::to_string(c).unwrap_or_default();
                out.insert(
                    "SSEKMSEncryptionContext".into(),
                    json!(b64().encode(text.as_bytes())),
                );
            }
            if enc.uses_bucket_key() {
                out.insert("BucketKeyEnabled".into(), json!(true));
            }
        }
        ObjectEncryption::SseC { key_md5, .. } => {
            out.insert("SSECustomerAlgorithm".into(), json!("AES256"));
            if let Some(m) = key_md5 {
                out.insert("SSECustomerKeyMD5".into(), json!(m));
            }
        }
        ObjectEncryption::SseS3 { .. } => {}
    }
}

fn etag(body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    let hex = crate::env::hex(&digest);
    format!("\"{}\"", hex.get(..32).unwrap_or(&hex))
}

/// An object write, after authorization: what [`store`] encrypts and keeps.
#[derive(Debug)]
struct ObjectWrite<'a> {
    bucket: &'a str,
    key: &'a str,
    body: &'a [u8],
    content_type: Option<String>,
    encryption: &'a WriteEncryption,
}

/// Stores an object after authorization and encryption; shared by PutObject and CopyObject.
fn store(
    world: &mut World,
    ctx: &CallContext,
    write: ObjectWrite<'_>,
    audit: &mut CallAudit,
) -> Result<Arc<Object>, AwsError> {
    let ObjectWrite {
        bucket: bucket_name,
        key,
        body,
        content_type,
        encryption: enc,
    } = write;
    let bucket = world
        .s3
        .buckets
        .get(bucket_name)
        .cloned_shallow()
        .ok_or_else(|| no_such_bucket(bucket_name))?;
    let object_arn = format!("{}/{key}", bucket.arn());
    let (sealed, encryption) = encrypt_body(world, ctx, &bucket, &object_arn, body, enc, audit)?;
    let object = Arc::new(Object {
        key: key.to_owned(),
        size: u64::try_from(body.len()).unwrap_or(u64::MAX),
        etag: etag(body),
        last_modified_ms: world.now_ms(),
        content_type,
        body: sealed,
        encryption,
    });
    let b = world
        .s3
        .buckets
        .get_mut(bucket_name)
        .ok_or_else(|| no_such_bucket(bucket_name))?;
    b.objects.insert(key.to_owned(), Arc::clone(&object));
    Ok(object)
}

/// A copy of a bucket without its objects (cheap to take while the world is borrowed mutably).
trait ShallowBucket {
    fn cloned_shallow(self) -> Option<Bucket>;
}

impl ShallowBucket for Option<&Bucket> {
    fn cloned_shallow(self) -> Option<Bucket> {
        self.map(|b| Bucket {
            name: b.name.clone(),
            account: b.account.clone(),
            region: b.region.clone(),
            created_ms: b.created_ms,
            encryption: b.encryption.clone(),
            policy: None,
            objects: BTreeMap::new(),
        })
    }
}

fn put_object(
    world: &mut World,
    ctx: &CallContext,
    input: &Value,
    audit: &mut CallAudit,
) -> Result<Value, AwsError> {
    let name = required(input, "Bucket")?;
    let key = required(input, "Key")?;
    let object_arn = check_object(
        world,
        ctx,
        "s3:PutObject",
        name,
        key,
        &write_conditions(input),
        audit,
    )?;
    let body = match str_member(input, "Body") {
        Some(text) => b64()
            .decode(text.as_bytes())
            .map_err(|_| err("InvalidArgument", 400, "Body is not valid base64"))?,
        None => Vec::new(),
    };
    let bucket = world
        .s3
        .buckets
        .get(name)
        .cloned_shallow()
        .ok_or_else(|| no_such_bucket(name))?;
    let enc = write_encryption(&bucket, input)?;
    let write = ObjectWrite {
        bucket: name,
        key,
        body: &body,
        content_type: str_member(input, "ContentType").map(str::to_owned),
        encryption: &enc,
    };
    let object = store(world, ctx, write, audit)?;
    audit.resource(&bucket.account, "AWS::S3::Object", &object_arn);
    let mut out = Map::new();
    out.insert("ETag".into(), json!(object.etag));
    encryption_members(&mut out, &object.encryption);
    Ok(Value::Object(out))
}

fn sse_c_read_key(input: &Value, prefix: &str) -> Result<Option<Vec<u8>>, AwsError> {
    match str_member(input, &format!("{prefix}SSECustomerKey")) {
        None => Ok(None),
        Some(k) => b64()
            .decode(k.as_bytes())
            .ok()
            .filter(|k| k.len() == 32)
            .map(Some)
            .ok_or_else(|| {
                err(
                    "InvalidArgument",
                    400,
                    "The secret key was invalid for the specified algorithm.",
                )
            }),
    }
}

/// Reads an object for `GetObject`/`HeadObject`/`CopyObject`: authorization (s3:GetObject),
/// existence (`NoSuchKey` only for callers allowed to list the bucket, `AccessDenied`
/// otherwise, as S3 answers), then decryption when `decrypt`.
fn read_object(
    world: &mut World,
    ctx: &CallContext,
    name: &str,
    key: &str,
    sse_c: Option<&[u8]>,
    decrypt: bool,
    audit: &mut CallAudit,
) -> Result<(Arc<Object>, Vec<u8>), AwsError> {
    let object_arn = check_object(world, ctx, "s3:GetObject", name, key, &[], audit)?;
    let object = world
        .s3
        .buckets
        .get(name)
        .and_then(|b| b.objects.get(key))
        .cloned();
    let Some(object) = object else {
        let mut scratch = CallAudit::new(
            "s3",
            "ListObjectsV2",
            ctx,
            &Value::Null,
            String::new(),
            String::new(),
        );
        let can_list = check(
            world,
            ctx,
            "s3:ListBucket",
            &format!("arn:aws:s3:::{name}"),
            Some(name),
            &[],
            &mut scratch,
        )
        .is_ok();
        return Err(if can_list {
            err("NoSuchKey", 404, "The specified key does not exist.")
        } else {
            err("AccessDenied", 403, "Access Denied")
        });
    };
    let owner = world
        .s3
        .buckets
        .get(name)
        .map(|b| b.account.clone())
        .unwrap_or_default();
    audit.resource(&owner, "AWS::S3::Object", &object_arn);
    if !decrypt {
        if let ObjectEncryption::SseC { key_check, .. } = &object.encryption {
            let ok = sse_c.is_some_and(|k| {
                crate::env::hex(&Sha256::digest([object_arn.as_bytes(), k].concat())) == *key_check
            });
            if !ok {
                return Err(err("400", 400, "Bad Request"));
            }
        }
        return Ok((object, Vec::new()));
    }
    let bucket = world
        .s3
        .buckets
        .get(name)
        .cloned_shallow()
        .ok_or_else(|| no_such_bucket(name))?;
    let body = decrypt_body(world, ctx, &bucket, &object, sse_c, audit)?;
    Ok((object, body))
}

fn get_object(
    world: &mut World,
    ctx: &CallContext,
    input: &Value,
    audit: &mut CallAudit,
    with_body: bool,
) -> Result<Value, AwsError> {
    let name = required(input, "Bucket")?;
    let key = required(input, "Key")?;
    let sse_c = sse_c_read_key(input, "")?;
    let (object, body) =
        match read_object(world, ctx, name, key, sse_c.as_deref(), with_body, audit) {
            Ok(r) => r,
            // HeadObject has no body: the aws-cli shows only the status.
            Err(e) if !with_body && e.status == 404 => {
                return Err(err("404", 404, "Not Found"));
            }
            Err(e) if !with_body && e.status == 403 => return Err(err("403", 403, "Forbidden")),
            Err(e) => return Err(e),
        };
    let mut out = Map::new();
    out.insert("AcceptRanges".into(), json!("bytes"));
    out.insert(
        "LastModified".into(),
        json!(iso8601(object.last_modified_ms)),
    );
    out.insert("ContentLength".into(), json!(object.size));
    out.insert("ETag".into(), json!(object.etag));
    out.insert(
        "ContentType".into(),
        json!(
            object
                .content_type
                .clone()
                .unwrap_or_else(|| "binary/octet-stream".into())
        ),
    );
    encryption_members(&mut out, &object.encryption);
    out.insert("Metadata".into(), json!({}));
    if with_body {
        out.insert("Body".into(), json!(b64().encode(&body)));
    }
    Ok(Value::Object(out))
}

fn copy_object(
    world: &mut World,
    ctx: &CallContext,
    input: &Value,
    audit: &mut CallAudit,
) -> Result<Value, AwsError> {
    let name = required(input, "Bucket")?;
    let key = required(input, "Key")?;
    let source = required(input, "CopySource")?;
    let source = source.strip_prefix('/').unwrap_or(source);
    let (src_bucket, src_key) = source
        .split_once('/')
        .ok_or_else(|| err("InvalidArgument", 400, "Invalid copy source object key"))?;
    let changes_encryption = [
        "ServerSideEncryption",
        "SSEKMSKeyId",
        "BucketKeyEnabled",
        "SSECustomerAlgorithm",
    ]
    .iter()
    .any(|m| input.get(*m).is_some())
        || str_member(input, "MetadataDirective") == Some("REPLACE");
    if src_bucket == name && src_key == key && !changes_encryption {
        return Err(err(
            "InvalidRequest",
            400,
            "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
        ));
    }
    let object_arn = check_object(
        world,
        ctx,
        "s3:PutObject",
        name,
        key,
        &write_conditions(input),
        audit,
    )?;
    let src_sse_c = sse_c_read_key(input, "CopySource")?;
    let (src, body) = read_object(
        world,
        ctx,
        src_bucket,
        src_key,
        src_sse_c.as_deref(),
        true,
        audit,
    )?;
    let bucket = world
        .s3
        .buckets
        .get(name)
        .cloned_shallow()
        .ok_or_else(|| no_such_bucket(name))?;
    let enc = write_encryption(&bucket, input)?;
    let write = ObjectWrite {
        bucket: name,
        key,
        body: &body,
        content_type: src.content_type.clone(),
        encryption: &enc,
    };
    let object = store(world, ctx, write, audit)?;
    audit.resource(&bucket.account, "AWS::S3::Object", &object_arn);
    let mut out = Map::new();
    out.insert(
        "CopyObjectResult".into(),
        json!({ "ETag": object.etag, "LastModified": iso8601(object.last_modified_ms) }),
    );
    encryption_members(&mut out, &object.encryption);
    Ok(Value::Object(out))
}

fn delete_object(
    world: &mut World,
    ctx: &CallContext,
    input: &Value,
    audit: &mut CallAudit,
) -> Result<Value, AwsError> {
    let name = required(input, "Bucket")?;
    let key = required(input, "Key")?;
    check_object(world, ctx, "s3:DeleteObject", name, key, &[], audit)?;
    if let Some(b) = world.s3.buckets.get_mut(name) {
        b.objects.remove(key);
    }
    Ok(json!({}))
}

fn list_objects_v2(
    world: &mut World,
    ctx: &CallContext,
    input: &Value,
    audit: &mut CallAudit,
) -> Result<Value, AwsError> {
    let b = bucket_for(world, ctx, input, "s3:ListBucket", audit)?;
    let prefix = str_member(input, "Prefix").unwrap_or_default();
    let max = input
        .get("MaxKeys")
        .and_then(Value::as_u64)
        .map_or(1000, |n| n.min(1000));
    let after = str_member(input, "ContinuationToken")
        .or_else(|| str_member(input, "StartAfter"))
        .unwrap_or_default();
    let mut contents = Vec::new();
    let mut next = None;
    for o in b
        .objects
        .values()
        .filter(|o| o.key.starts_with(prefix) && o.key.as_str() > after)
    {
        if u64::try_from(contents.len()).unwrap_or(u64::MAX) >= max {
            next = contents
                .last()
                .and_then(|c: &Value| c.get("Key"))
                .and_then(Value::as_str)
                .map(str::to_owned);
            break;
        }
        contents.push(json!({
            "Key": o.key,
            "LastModified": iso8601(o.last_modified_ms),
            "ETag": o.etag,
            "Size": o.size,
            "StorageClass": "STANDARD",
        }));
    }
    let mut out = Map::new();
    out.insert("IsTruncated".into(), json!(next.is_some()));
    if !contents.is_empty() {
        out.insert("Contents".into(), json!(contents));
    }
    out.insert("Name".into(), json!(b.name));
    out.insert("Prefix".into(), json!(prefix));
    out.insert("MaxKeys".into(), json!(max));
    out.insert("KeyCount".into(), json!(contents.len()));
    if let Some(n) = next {
        out.insert("NextContinuationToken".into(), json!(n));
    }
    Ok(Value::Object(out))
}
