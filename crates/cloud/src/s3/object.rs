//! Object operations: put, get, head, copy, delete and list (CloudTrail data events).

use std::collections::BTreeMap;
use std::sync::Arc;

use base64::Engine as _;
use sha2::{Digest, Sha256};

use super::auth::{bucket_for, check, check_object};
use super::error::required;
use super::model::{
    CopyObjectRequest, CopyObjectResponse, CopyObjectResult, DeleteObjectRequest,
    DeleteObjectResponse, GetObjectRequest, GetObjectResponse, ListObjectsV2Request,
    ListObjectsV2Response, ObjectSummary, PutObjectRequest, PutObjectResponse,
};
use super::versioning::{self, NULL};
use super::sse::{
    WriteEncryption, decrypt_body, encrypt_body, encryption_members, sse_c_read_key,
    write_conditions, write_encryption,
};
use super::{Bucket, Object, ObjectEncryption, S3Error};
use crate::World;
use crate::cloudtrail::CallAudit;
use crate::context::CallContext;
use crate::env::iso8601;

fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

fn etag(body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    let hex = crate::env::hex(&digest);
    format!("\"{}\"", hex.get(..32).unwrap_or(&hex))
}

/// A copy of a bucket without its objects (cheap to take while the world is borrowed mutably).
fn shallow(world: &World, name: &str) -> Result<Bucket, S3Error> {
    world
        .services.s3
        .buckets
        .get(name)
        .map(|b| Bucket {
            name: b.name.clone(),
            account: b.account.clone(),
            region: b.region.clone(),
            created_ms: b.created_ms,
            encryption: b.encryption.clone(),
            policy: None,
            objects: Arc::default(),
            versioning: b.versioning.clone(),
            noncurrent: BTreeMap::new(),
        })
        .ok_or_else(S3Error::no_such_bucket)
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
) -> Result<Arc<Object>, S3Error> {
    let bucket = shallow(world, write.bucket)?;
    let object_arn = format!("{}/{}", bucket.arn(), write.key);
    let (sealed, encryption) = encrypt_body(
        world,
        ctx,
        &bucket,
        &object_arn,
        write.body,
        write.encryption,
        audit,
    )?;
    let version_id = versioning::next_version_id(world, write.bucket);
    let object = Arc::new(Object {
        key: write.key.to_owned(),
        size: u64::try_from(write.body.len()).unwrap_or(u64::MAX),
        etag: etag(write.body),
        last_modified_ms: world.now_ms(),
        content_type: write.content_type,
        body: sealed,
        encryption,
        version_id,
        delete_marker: false,
    });
    let b = world
        .services.s3
        .buckets
        .get_mut(write.bucket)
        .ok_or_else(S3Error::no_such_bucket)?;
    versioning::make_current(b, Arc::clone(&object));
    Ok(object)
}

pub(crate) fn put(
    world: &mut World,
    ctx: &CallContext,
    r: &PutObjectRequest,
    audit: &mut CallAudit,
) -> Result<PutObjectResponse, S3Error> {
    let name = required(&r.bucket, "Bucket")?;
    let key = required(&r.key, "Key")?;
    let headers = r.headers();
    let object_arn = check_object(
        world,
        ctx,
        "s3:PutObject",
        name,
        key,
        &write_conditions(&headers),
        audit,
    )?;
    let body = match &r.body {
        Some(text) => b64()
            .decode(text.as_bytes())
            .map_err(|_| S3Error::InvalidArgument("Body is not valid base64".into()))?,
        None => Vec::new(),
    };
    let bucket = shallow(world, name)?;
    let enc = write_encryption(&bucket, &headers)?;
    let write = ObjectWrite {
        bucket: name,
        key,
        body: &body,
        content_type: r.content_type.clone(),
        encryption: &enc,
    };
    let object = store(world, ctx, write, audit)?;
    audit.resource(&bucket.account, "AWS::S3::Object", &object_arn);
    Ok(PutObjectResponse {
        e_tag: object.etag.clone(),
        encryption: encryption_members(&object.encryption),
        version_id: object.version_id.clone().filter(|v| v != NULL),
    })
}

/// Reads an object for `GetObject`/`HeadObject`/`CopyObject`: authorization (s3:GetObject),
/// existence (`NoSuchKey` only for callers allowed to list the bucket, `AccessDenied`
/// otherwise, as S3 answers), then decryption when `decrypt`.
fn read_object(
    world: &mut World,
    ctx: &CallContext,
    (name, key, version): (&str, &str, Option<&str>),
    sse_c: Option<&[u8]>,
    decrypt: bool,
    audit: &mut CallAudit,
) -> Result<(Arc<Object>, Vec<u8>), S3Error> {
    let action = if version.is_some() {
        "s3:GetObjectVersion"
    } else {
        "s3:GetObject"
    };
    let object_arn = check_object(world, ctx, action, name, key, &[], audit)?;
    let bucket = world.services.s3.buckets.get(name);
    let object = match version {
        Some(v) => {
            let found = bucket.and_then(|b| versioning::find(b, key, v));
            match found {
                Some((o, _)) if o.delete_marker => {
                    return Err(S3Error::MethodNotAllowed(
                        "The specified method is not allowed against this resource.".into(),
                    ));
                }
                Some((o, _)) => Some(o),
                None => {
                    return Err(S3Error::NoSuchVersion(
                        "The specified version does not exist.".into(),
                    ));
                }
            }
        }
        // A key whose current version is a delete marker reads as missing.
        None => bucket
            .and_then(|b| b.objects.get(key))
            .filter(|o| !o.delete_marker)
            .cloned(),
    };
    let Some(object) = object else {
        let mut scratch = CallAudit::new(
            "s3",
            "ListObjectsV2",
            ctx,
            &serde_json::Value::Null,
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
            S3Error::NoSuchKey("The specified key does not exist.".into())
        } else {
            S3Error::AccessDenied("Access Denied".into())
        });
    };
    let owner = world
        .services.s3
        .buckets
        .get(name)
        .map(|b| b.account.clone())
        .unwrap_or_default();
    audit.resource(&owner, "AWS::S3::Object", &object_arn);
    if !decrypt {
        if let ObjectEncryption::SseC { key_check, .. } = &object.encryption {
            let ok =
                sse_c.is_some_and(|k| super::sse::sse_c_key_matches(&object_arn, k, key_check));
            if !ok {
                return Err(S3Error::HeadStatus {
                    status: 400,
                    message: "Bad Request".into(),
                });
            }
        }
        return Ok((object, Vec::new()));
    }
    let bucket = shallow(world, name)?;
    let body = decrypt_body(world, ctx, &bucket, &object, sse_c, audit)?;
    Ok((object, body))
}

pub(crate) fn get(
    world: &mut World,
    ctx: &CallContext,
    r: &GetObjectRequest,
    audit: &mut CallAudit,
    with_body: bool,
) -> Result<GetObjectResponse, S3Error> {
    let name = required(&r.bucket, "Bucket")?;
    let key = required(&r.key, "Key")?;
    let sse_c = sse_c_read_key(r.sse_customer_key.as_deref())?;
    let version = r.version_id.as_deref();
    let read = read_object(
        world,
        ctx,
        (name, key, version),
        sse_c.as_deref(),
        with_body,
        audit,
    );
    let (object, body) =
        match read {
            Ok(r) => r,
            // HeadObject has no body: the aws-cli shows only the status.
            Err(e) if !with_body && e.status() == 404 => {
                return Err(S3Error::HeadStatus {
                    status: 404,
                    message: "Not Found".into(),
                });
            }
            Err(e) if !with_body && e.status() == 403 => {
                return Err(S3Error::HeadStatus {
                    status: 403,
                    message: "Forbidden".into(),
                });
            }
            Err(e) => return Err(e),
        };
    let range = match r.range.as_deref() {
        Some(spec) => byte_range(spec, object.size)?,
        None => None,
    };
    let (content_length, content_range, body) = match range {
        Some((first, last)) => {
            let part = usize::try_from(first).ok().zip(usize::try_from(last).ok());
            let slice = part
                .and_then(|(a, b)| body.get(a..=b))
                .map(<[u8]>::to_vec)
                .unwrap_or_default();
            (
                last - first + 1,
                Some(format!("bytes {first}-{last}/{}", object.size)),
                slice,
            )
        }
        None => (object.size, None, body),
    };
    Ok(GetObjectResponse {
        accept_ranges: "bytes".into(),
        last_modified: iso8601(object.last_modified_ms),
        content_length,
        e_tag: object.etag.clone(),
        // An object written before versioning was enabled reads as version `null`.
        version_id: object.version_id.clone().or_else(|| {
            let versioned = world
                .services
                .s3
                .buckets
                .get(name)
                .is_some_and(|b| b.versioning.is_some());
            versioned.then(|| NULL.to_owned())
        }),
        content_range,
        content_type: object
            .content_type
            .clone()
            .unwrap_or_else(|| "binary/octet-stream".into()),
        encryption: encryption_members(&object.encryption),
        metadata: BTreeMap::new(),
        body: with_body.then(|| b64().encode(&body)),
    })
}

/// A `Range` header (`bytes=FIRST-LAST`, `bytes=FIRST-`, `bytes=-SUFFIX`) over an object of
/// `size` bytes: the first and last byte served, `None` for a header S3 ignores (not `bytes=`,
/// several ranges), `InvalidRange` when it starts past the end.
fn byte_range(spec: &str, size: u64) -> Result<Option<(u64, u64)>, S3Error> {
    let Some((a, b)) = spec
        .trim()
        .strip_prefix("bytes=")
        .filter(|r| !r.contains(','))
        .and_then(|r| r.split_once('-'))
    else {
        return Ok(None);
    };
    let num = |t: &str| t.trim().parse::<u64>().ok();
    let unsatisfiable = || S3Error::InvalidRange("The requested range is not satisfiable".into());
    let (first, last) = match (a.trim().is_empty(), num(a), num(b)) {
        // bytes=-N: the last N bytes.
        (true, _, Some(n)) if n > 0 && size > 0 => (size.saturating_sub(n), size - 1),
        (true, _, _) => return Err(unsatisfiable()),
        (false, Some(first), last) if b.trim().is_empty() || last.is_some() => {
            if first >= size {
                return Err(unsatisfiable());
            }
            (first, last.unwrap_or(size - 1).min(size - 1))
        }
        _ => return Ok(None),
    };
    Ok((first <= last).then_some((first, last)))
}

pub(crate) fn copy(
    world: &mut World,
    ctx: &CallContext,
    r: &CopyObjectRequest,
    audit: &mut CallAudit,
) -> Result<CopyObjectResponse, S3Error> {
    let name = required(&r.bucket, "Bucket")?;
    let key = required(&r.key, "Key")?;
    let source = required(&r.copy_source, "CopySource")?;
    let source = source.strip_prefix('/').unwrap_or(source);
    let (source, src_version) = match source.split_once("?versionId=") {
        Some((s, v)) => (s, Some(v)),
        None => (source, None),
    };
    let (src_bucket, src_key) = source
        .split_once('/')
        .ok_or_else(|| S3Error::InvalidArgument("Invalid copy source object key".into()))?;
    // A member counts when it is given with its type (the JSON entry used to count any present
    // member, even `null` or ill-typed; the aws-cli never sends those).
    let changes_encryption = r.server_side_encryption.is_some()
        || r.sse_kms_key_id.is_some()
        || r.bucket_key_enabled.is_some()
        || r.sse_customer_algorithm.is_some()
        || r.metadata_directive.as_deref() == Some("REPLACE");
    if src_bucket == name && src_key == key && !changes_encryption {
        return Err(S3Error::InvalidRequest(
            "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.".into(),
        ));
    }
    let headers = r.headers();
    let object_arn = check_object(
        world,
        ctx,
        "s3:PutObject",
        name,
        key,
        &write_conditions(&headers),
        audit,
    )?;
    let src_sse_c = sse_c_read_key(r.copy_source_sse_customer_key.as_deref())?;
    let (src, body) = read_object(
        world,
        ctx,
        (src_bucket, src_key, src_version),
        src_sse_c.as_deref(),
        true,
        audit,
    )?;
    let bucket = shallow(world, name)?;
    let enc = write_encryption(&bucket, &headers)?;
    let write = ObjectWrite {
        bucket: name,
        key,
        body: &body,
        content_type: src.content_type.clone(),
        encryption: &enc,
    };
    let object = store(world, ctx, write, audit)?;
    audit.resource(&bucket.account, "AWS::S3::Object", &object_arn);
    Ok(CopyObjectResponse {
        copy_object_result: CopyObjectResult {
            e_tag: object.etag.clone(),
            last_modified: iso8601(object.last_modified_ms),
        },
        copy_source_version_id: src.version_id.clone(),
        version_id: object.version_id.clone().filter(|v| v != NULL),
        encryption: encryption_members(&object.encryption),
    })
}

/// `DeleteObject`: removes the object in a bucket that never had versioning; in a versioned
/// bucket adds a delete marker (a `null` one while versioning is suspended), or with
/// `VersionId` deletes that version for good.
pub(crate) fn delete(
    world: &mut World,
    ctx: &CallContext,
    r: &DeleteObjectRequest,
    audit: &mut CallAudit,
) -> Result<DeleteObjectResponse, S3Error> {
    let name = required(&r.bucket, "Bucket")?;
    let key = required(&r.key, "Key")?;
    let action = if r.version_id.is_some() {
        "s3:DeleteObjectVersion"
    } else {
        "s3:DeleteObject"
    };
    check_object(world, ctx, action, name, key, &[], audit)?;
    let now = world.now_ms();
    let marker_id = match &r.version_id {
        Some(_) => None,
        None => versioning::next_version_id(world, name),
    };
    let Some(b) = world.services.s3.buckets.get_mut(name) else {
        return Ok(DeleteObjectResponse::default());
    };
    Ok(match (&r.version_id, marker_id) {
        (Some(v), _) => {
            let gone = versioning::remove(b, key, v);
            DeleteObjectResponse {
                delete_marker: gone.filter(|o| o.delete_marker).map(|_| true),
                version_id: Some(v.clone()),
            }
        }
        (None, Some(id)) => {
            let marker = versioning::marker(key, id.clone(), now);
            versioning::make_current(b, Arc::new(marker));
            DeleteObjectResponse {
                delete_marker: Some(true),
                version_id: Some(id),
            }
        }
        (None, None) => {
            Arc::make_mut(&mut b.objects).remove(key);
            DeleteObjectResponse::default()
        }
    })
}

pub(crate) fn list_v2(
    world: &mut World,
    ctx: &CallContext,
    r: &ListObjectsV2Request,
    audit: &mut CallAudit,
) -> Result<ListObjectsV2Response, S3Error> {
    let b = bucket_for(world, ctx, &r.bucket, "s3:ListBucket", audit)?;
    let prefix = r.prefix.as_deref().unwrap_or_default();
    let max = r.max_keys.map_or(1000, |n| n.min(1000));
    let after = r
        .continuation_token
        .as_deref()
        .or(r.start_after.as_deref())
        .unwrap_or_default();
    let mut contents: Vec<ObjectSummary> = Vec::new();
    let mut next = None;
    for o in b
        .objects
        .values()
        .filter(|o| !o.delete_marker && o.key.starts_with(prefix) && o.key.as_str() > after)
    {
        if u64::try_from(contents.len()).unwrap_or(u64::MAX) >= max {
            next = contents.last().map(|c| c.key.clone());
            break;
        }
        contents.push(ObjectSummary {
            key: o.key.clone(),
            last_modified: iso8601(o.last_modified_ms),
            e_tag: o.etag.clone(),
            size: o.size,
            storage_class: "STANDARD".into(),
        });
    }
    Ok(ListObjectsV2Response {
        is_truncated: next.is_some(),
        key_count: contents.len(),
        contents,
        name: b.name.clone(),
        prefix: prefix.to_owned(),
        max_keys: max,
        next_continuation_token: next,
    })
}
