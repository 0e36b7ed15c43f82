//! Bucket versioning: `PutBucketVersioning`, `GetBucketVersioning`, `ListObjectVersions`, and
//! how a write or a delete keeps the earlier versions of a key
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html>).

use std::sync::Arc;

use base64::Engine as _;

use super::auth::bucket_for;
use super::model::{
    BucketRequest, DeleteMarkerEntry, Empty, GetBucketVersioningResponse,
    ListObjectVersionsRequest, ListObjectVersionsResponse, ObjectVersion,
    PutBucketVersioningRequest,
};
use super::{Bucket, Object, S3Error};
use crate::World;
use crate::cloudtrail::CallAudit;
use crate::context::CallContext;
use crate::env::iso8601;

/// The version id of a version written while versioning is suspended (and of objects written
/// before versioning was first enabled, once it is).
pub(crate) const NULL: &str = "null";

/// A version id as S3 makes them: 32 URL-safe characters.
fn new_version_id(world: &mut World) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(world.rng.bytes(24))
        .replace('-', ".")
}

/// The version id a new version of bucket `name` gets: a fresh id with versioning enabled,
/// `null` while it is suspended, none in a bucket that never had versioning.
pub(crate) fn next_version_id(world: &mut World, name: &str) -> Option<String> {
    let state = world
        .services
        .s3
        .buckets
        .get(name)
        .and_then(|b| b.versioning.clone());
    match state.as_deref() {
        Some("Enabled") => Some(new_version_id(world)),
        Some(_) => Some(NULL.to_owned()),
        None => None,
    }
}

/// A version's id as listed (`null` for one written before versioning).
fn id_of(o: &Object) -> &str {
    o.version_id.as_deref().unwrap_or(NULL)
}

/// Makes `object` the current version of its key: in a versioned bucket the previous current
/// version is kept (a `null` version is replaced by a new `null` one).
pub(crate) fn make_current(b: &mut Bucket, object: Arc<Object>) {
    let key = object.key.clone();
    let replaces_null = object.version_id.as_deref() == Some(NULL);
    if replaces_null && let Some(list) = b.noncurrent.get_mut(&key) {
        list.retain(|o| id_of(o) != NULL);
    }
    let previous = Arc::make_mut(&mut b.objects).insert(key.clone(), object);
    if let (Some(prev), Some(_)) = (previous, b.versioning.as_ref())
        && !(replaces_null && id_of(&prev) == NULL)
    {
        b.noncurrent.entry(key).or_default().push(prev);
    }
}

/// Finds version `version` of `key`: (the version, whether it is the current one).
pub(crate) fn find(b: &Bucket, key: &str, version: &str) -> Option<(Arc<Object>, bool)> {
    if let Some(cur) = b.objects.get(key).filter(|o| id_of(o) == version) {
        return Some((Arc::clone(cur), true));
    }
    b.noncurrent
        .get(key)?
        .iter()
        .find(|o| id_of(o) == version)
        .map(|o| (Arc::clone(o), false))
}

/// Deletes version `version` of `key` for good; the newest earlier version becomes current
/// when the current one goes. Returns the deleted version, if there was one.
pub(crate) fn remove(b: &mut Bucket, key: &str, version: &str) -> Option<Arc<Object>> {
    if b.objects.get(key).is_some_and(|o| id_of(o) == version) {
        let objects = Arc::make_mut(&mut b.objects);
        let gone = objects.remove(key);
        if let Some(prev) = b.noncurrent.get_mut(key).and_then(Vec::pop) {
            objects.insert(key.to_owned(), prev);
        }
        return gone;
    }
    let list = b.noncurrent.get_mut(key)?;
    let at = list.iter().position(|o| id_of(o) == version)?;
    Some(list.remove(at))
}

/// A delete marker for `key`, written now.
pub(crate) fn marker(key: &str, version_id: String, now: i64) -> Object {
    Object {
        key: key.to_owned(),
        size: 0,
        etag: String::new(),
        last_modified_ms: now,
        content_type: None,
        body: Vec::new(),
        // A marker has no body; its encryption record is never read.
        encryption: super::ObjectEncryption::SseS3 {
            wrapped_key: Vec::new(),
        },
        version_id: Some(version_id),
        delete_marker: true,
    }
}

pub(crate) fn put(
    world: &mut World,
    ctx: &CallContext,
    r: &PutBucketVersioningRequest,
    audit: &mut CallAudit,
) -> Result<Empty, S3Error> {
    let name = bucket_for(world, ctx, &r.bucket, "s3:PutBucketVersioning", audit)?
        .name
        .clone();
    let status = r
        .versioning_configuration
        .as_ref()
        .and_then(|c| c.status.as_deref())
        .filter(|s| matches!(*s, "Enabled" | "Suspended"))
        .ok_or_else(S3Error::malformed_xml)?;
    if let Some(b) = world.services.s3.buckets.get_mut(&name) {
        b.versioning = Some(status.to_owned());
    }
    Ok(Empty {})
}

pub(crate) fn get(
    world: &mut World,
    ctx: &CallContext,
    r: &BucketRequest,
    audit: &mut CallAudit,
) -> Result<GetBucketVersioningResponse, S3Error> {
    let b = bucket_for(world, ctx, &r.bucket, "s3:GetBucketVersioning", audit)?;
    Ok(GetBucketVersioningResponse {
        status: b.versioning.clone(),
    })
}

pub(crate) fn list(
    world: &mut World,
    ctx: &CallContext,
    r: &ListObjectVersionsRequest,
    audit: &mut CallAudit,
) -> Result<ListObjectVersionsResponse, S3Error> {
    let b = bucket_for(world, ctx, &r.bucket, "s3:ListBucketVersions", audit)?;
    let prefix = r.prefix.as_deref().unwrap_or_default();
    let mut versions = Vec::new();
    let mut delete_markers = Vec::new();
    for (key, current) in b.objects.iter().filter(|(k, _)| k.starts_with(prefix)) {
        let older = b.noncurrent.get(key).into_iter().flatten().rev();
        for (i, o) in std::iter::once(current).chain(older).enumerate() {
            let last_modified = iso8601(o.last_modified_ms);
            if o.delete_marker {
                delete_markers.push(DeleteMarkerEntry {
                    key: key.clone(),
                    version_id: id_of(o).to_owned(),
                    is_latest: i == 0,
                    last_modified,
                });
            } else {
                versions.push(ObjectVersion {
                    e_tag: o.etag.clone(),
                    size: o.size,
                    storage_class: "STANDARD".into(),
                    key: key.clone(),
                    version_id: id_of(o).to_owned(),
                    is_latest: i == 0,
                    last_modified,
                });
            }
        }
    }
    Ok(ListObjectVersionsResponse {
        is_truncated: false,
        versions,
        delete_markers,
        name: b.name.clone(),
        prefix: prefix.to_owned(),
        max_keys: 1000,
    })
}
