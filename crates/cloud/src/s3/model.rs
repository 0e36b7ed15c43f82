//! S3's typed requests and responses. AWS speaks REST-XML to S3; the lab's shapes are the JSON
//! the aws-cli prints for `s3api` (PascalCase members, timestamps as ISO 8601 strings, bodies as
//! base64 text). Request members are read leniently ([`crate::lenient`]): decoding never fails,
//! and each operation reports the members it requires in S3's order.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

lenient_request!(
    /// A request that names only a bucket (`DeleteBucket`, `HeadBucket`, `GetBucketEncryption`,
    /// `DeleteBucketEncryption`, `GetBucketPolicy`, `DeleteBucketPolicy`).
    BucketRequest {
        /// The bucket name.
        bucket: String = "Bucket",
    }
);

/// `ListBuckets` has no members.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListBucketsRequest {}

lenient_request!(
    /// `CreateBucketConfiguration`.
    CreateBucketConfiguration {
        /// The bucket's Region (absent for `us-east-1`).
        location_constraint: String = "LocationConstraint",
    }
);

lenient_request!(
    /// `CreateBucket`.
    CreateBucketRequest {
        /// The bucket name.
        bucket: String = "Bucket",
        /// Where the bucket lives.
        create_bucket_configuration: CreateBucketConfiguration = "CreateBucketConfiguration",
    }
);

/// `ApplyServerSideEncryptionByDefault`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplyServerSideEncryptionByDefault {
    /// `AES256`, `aws:kms` or `aws:kms:dsse`.
    #[serde(
        rename = "SSEAlgorithm",
        default,
        deserialize_with = "crate::lenient::opt"
    )]
    pub sse_algorithm: Option<String>,
    /// The KMS key (id, ARN, alias name or alias ARN); absent means `aws/s3`.
    #[serde(
        rename = "KMSMasterKeyID",
        default,
        deserialize_with = "crate::lenient::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub kms_master_key_id: Option<String>,
}

/// `BlockedEncryptionTypes`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockedEncryptionTypes {
    /// `SSE-C` (blocked) or `NONE`.
    #[serde(
        rename = "EncryptionType",
        default,
        deserialize_with = "crate::lenient::list",
        skip_serializing_if = "Option::is_none"
    )]
    pub encryption_type: Option<Vec<String>>,
}

/// One rule of a `ServerSideEncryptionConfiguration` (S3 takes exactly one).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerSideEncryptionRule {
    /// The default encryption; present (even empty) means it must name an algorithm.
    #[serde(
        rename = "ApplyServerSideEncryptionByDefault",
        default,
        deserialize_with = "crate::lenient::present",
        skip_serializing_if = "Option::is_none"
    )]
    pub apply_server_side_encryption_by_default: Option<ApplyServerSideEncryptionByDefault>,
    /// Whether SSE-KMS objects use an S3 Bucket Key.
    #[serde(
        rename = "BucketKeyEnabled",
        default,
        deserialize_with = "crate::lenient::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub bucket_key_enabled: Option<bool>,
    /// Which encryption types uploads may not use.
    #[serde(
        rename = "BlockedEncryptionTypes",
        default,
        deserialize_with = "crate::lenient::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub blocked_encryption_types: Option<BlockedEncryptionTypes>,
}

/// `ServerSideEncryptionConfiguration`: a bucket's default encryption.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerSideEncryptionConfiguration {
    /// The rules (exactly one).
    #[serde(
        rename = "Rules",
        default,
        deserialize_with = "crate::lenient::structs",
        skip_serializing_if = "Option::is_none"
    )]
    pub rules: Option<Vec<ServerSideEncryptionRule>>,
}

lenient_request!(
    /// `PutBucketEncryption`.
    PutBucketEncryptionRequest {
        /// The bucket name.
        bucket: String = "Bucket",
        /// The default encryption.
        server_side_encryption_configuration: ServerSideEncryptionConfiguration = "ServerSideEncryptionConfiguration",
    }
);

lenient_request!(
    /// `PutBucketPolicy`.
    PutBucketPolicyRequest {
        /// The bucket name.
        bucket: String = "Bucket",
        /// The policy document (JSON text).
        policy: String = "Policy",
    }
);

lenient_request!(
    /// `PutObject`.
    PutObjectRequest {
        /// The bucket name.
        bucket: String = "Bucket",
        /// The object key.
        key: String = "Key",
        /// The body, base64.
        body: String = "Body",
        /// The content type.
        content_type: String = "ContentType",
        /// `AES256`, `aws:kms` or `aws:kms:dsse`.
        server_side_encryption: String = "ServerSideEncryption",
        /// The KMS key for SSE-KMS / DSSE-KMS.
        sse_kms_key_id: String = "SSEKMSKeyId",
        /// Base64 of the JSON encryption context to add.
        sse_kms_encryption_context: String = "SSEKMSEncryptionContext",
        /// Whether to use an S3 Bucket Key.
        bucket_key_enabled: bool = "BucketKeyEnabled",
        /// `AES256` for SSE-C.
        sse_customer_algorithm: String = "SSECustomerAlgorithm",
        /// The SSE-C key, base64 (never logged).
        sse_customer_key: String = "SSECustomerKey",
        /// The SSE-C key's MD5, base64.
        sse_customer_key_md5: String = "SSECustomerKeyMD5",
    }
);

lenient_request!(
    /// `GetObject` and `HeadObject`.
    GetObjectRequest {
        /// The bucket name.
        bucket: String = "Bucket",
        /// The object key.
        key: String = "Key",
        /// `bytes=FIRST-LAST`, `bytes=FIRST-` or `bytes=-SUFFIX`.
        range: String = "Range",
        /// A version other than the current one.
        version_id: String = "VersionId",
        /// The SSE-C key, base64 (never logged).
        sse_customer_key: String = "SSECustomerKey",
    }
);

/// `HeadObject` reads like `GetObject`, without the body.
pub type HeadObjectRequest = GetObjectRequest;

lenient_request!(
    /// `CopyObject`.
    CopyObjectRequest {
        /// The destination bucket.
        bucket: String = "Bucket",
        /// The destination key.
        key: String = "Key",
        /// `SOURCE-BUCKET/SOURCE-KEY` (a leading `/` is allowed).
        copy_source: String = "CopySource",
        /// `REPLACE` counts as a change (copying an object onto itself).
        metadata_directive: String = "MetadataDirective",
        /// `AES256`, `aws:kms` or `aws:kms:dsse`.
        server_side_encryption: String = "ServerSideEncryption",
        /// The KMS key for SSE-KMS / DSSE-KMS.
        sse_kms_key_id: String = "SSEKMSKeyId",
        /// Base64 of the JSON encryption context to add.
        sse_kms_encryption_context: String = "SSEKMSEncryptionContext",
        /// Whether to use an S3 Bucket Key.
        bucket_key_enabled: bool = "BucketKeyEnabled",
        /// `AES256` for SSE-C.
        sse_customer_algorithm: String = "SSECustomerAlgorithm",
        /// The destination's SSE-C key, base64 (never logged).
        sse_customer_key: String = "SSECustomerKey",
        /// The destination's SSE-C key's MD5, base64.
        sse_customer_key_md5: String = "SSECustomerKeyMD5",
        /// The source's SSE-C key, base64 (never logged).
        copy_source_sse_customer_key: String = "CopySourceSSECustomerKey",
    }
);

lenient_request!(
    /// `DeleteObject`.
    DeleteObjectRequest {
        /// The bucket name.
        bucket: String = "Bucket",
        /// The object key.
        key: String = "Key",
        /// Delete this version for good (rather than adding a delete marker).
        version_id: String = "VersionId",
    }
);

lenient_request!(
    /// `VersioningConfiguration`.
    VersioningConfiguration {
        /// `Enabled` or `Suspended`.
        status: String = "Status",
        /// `Enabled` or `Disabled` (the lab does not model MFA delete).
        mfa_delete: String = "MFADelete",
    }
);

lenient_request!(
    /// `PutBucketVersioning`.
    PutBucketVersioningRequest {
        /// The bucket name.
        bucket: String = "Bucket",
        /// The new state.
        versioning_configuration: VersioningConfiguration = "VersioningConfiguration",
    }
);

lenient_request!(
    /// `ListObjectVersions`.
    ListObjectVersionsRequest {
        /// The bucket name.
        bucket: String = "Bucket",
        /// Only keys starting with this.
        prefix: String = "Prefix",
    }
);

lenient_request!(
    /// `ListObjectsV2`.
    ListObjectsV2Request {
        /// The bucket name.
        bucket: String = "Bucket",
        /// Only keys starting with this.
        prefix: String = "Prefix",
        /// At most this many keys (capped at 1,000).
        max_keys: u64 = "MaxKeys",
        /// The `NextContinuationToken` of the previous page.
        continuation_token: String = "ContinuationToken",
        /// Only keys after this one.
        start_after: String = "StartAfter",
    }
);

/// The encryption headers of a write (`PutObject`, `CopyObject`), borrowed from its request.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct WriteHeaders<'a> {
    pub server_side_encryption: Option<&'a str>,
    pub sse_kms_key_id: Option<&'a str>,
    pub sse_kms_encryption_context: Option<&'a str>,
    pub bucket_key_enabled: Option<bool>,
    pub sse_customer_algorithm: Option<&'a str>,
    pub sse_customer_key: Option<&'a str>,
    pub sse_customer_key_md5: Option<&'a str>,
}

impl PutObjectRequest {
    pub(crate) fn headers(&self) -> WriteHeaders<'_> {
        WriteHeaders {
            server_side_encryption: self.server_side_encryption.as_deref(),
            sse_kms_key_id: self.sse_kms_key_id.as_deref(),
            sse_kms_encryption_context: self.sse_kms_encryption_context.as_deref(),
            bucket_key_enabled: self.bucket_key_enabled,
            sse_customer_algorithm: self.sse_customer_algorithm.as_deref(),
            sse_customer_key: self.sse_customer_key.as_deref(),
            sse_customer_key_md5: self.sse_customer_key_md5.as_deref(),
        }
    }
}

impl CopyObjectRequest {
    pub(crate) fn headers(&self) -> WriteHeaders<'_> {
        WriteHeaders {
            server_side_encryption: self.server_side_encryption.as_deref(),
            sse_kms_key_id: self.sse_kms_key_id.as_deref(),
            sse_kms_encryption_context: self.sse_kms_encryption_context.as_deref(),
            bucket_key_enabled: self.bucket_key_enabled,
            sse_customer_algorithm: self.sse_customer_algorithm.as_deref(),
            sse_customer_key: self.sse_customer_key.as_deref(),
            sse_customer_key_md5: self.sse_customer_key_md5.as_deref(),
        }
    }
}

/// An answer without members (`{}`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Empty {}

/// `CreateBucket`'s answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateBucketResponse {
    /// `/NAME` in `us-east-1`, the bucket's URL elsewhere.
    #[serde(rename = "Location")]
    pub location: String,
}

/// One bucket of `ListBuckets`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BucketSummary {
    /// The bucket name.
    #[serde(rename = "Name")]
    pub name: String,
    /// ISO 8601.
    #[serde(rename = "CreationDate")]
    pub creation_date: String,
    /// The bucket's Region.
    #[serde(rename = "BucketRegion")]
    pub bucket_region: String,
}

/// The owner of the listed buckets.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Owner {
    /// The canonical user id.
    #[serde(rename = "ID")]
    pub id: String,
}

/// `ListBuckets`'s answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListBucketsResponse {
    /// The caller's account's buckets.
    #[serde(rename = "Buckets")]
    pub buckets: Vec<BucketSummary>,
    /// Their owner.
    #[serde(rename = "Owner")]
    pub owner: Owner,
}

/// `HeadBucket`'s answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeadBucketResponse {
    /// The bucket's Region.
    #[serde(rename = "BucketRegion")]
    pub bucket_region: String,
}

/// `GetBucketEncryption`'s answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetBucketEncryptionResponse {
    /// The bucket's default encryption (one rule, every member present).
    #[serde(rename = "ServerSideEncryptionConfiguration")]
    pub server_side_encryption_configuration: ServerSideEncryptionConfiguration,
}

/// `GetBucketPolicy`'s answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetBucketPolicyResponse {
    /// The policy text as it was put.
    #[serde(rename = "Policy")]
    pub policy: String,
}

/// How an object is encrypted, as object responses report it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EncryptionMembers {
    /// `AES256`, `aws:kms` or `aws:kms:dsse` (absent for SSE-C).
    #[serde(
        rename = "ServerSideEncryption",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub server_side_encryption: Option<String>,
    /// The KMS key ARN (SSE-KMS, DSSE-KMS).
    #[serde(
        rename = "SSEKMSKeyId",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub sse_kms_key_id: Option<String>,
    /// Base64 of the JSON encryption context the caller added.
    #[serde(
        rename = "SSEKMSEncryptionContext",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub sse_kms_encryption_context: Option<String>,
    /// `true` when the object's key came from an S3 Bucket Key.
    #[serde(
        rename = "BucketKeyEnabled",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub bucket_key_enabled: Option<bool>,
    /// `AES256` for SSE-C.
    #[serde(
        rename = "SSECustomerAlgorithm",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub sse_customer_algorithm: Option<String>,
    /// The SSE-C key's MD5 the writer sent.
    #[serde(
        rename = "SSECustomerKeyMD5",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub sse_customer_key_md5: Option<String>,
}

/// `PutObject`'s answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PutObjectResponse {
    /// The entity tag.
    #[serde(rename = "ETag")]
    pub e_tag: String,
    /// How the object is encrypted.
    #[serde(flatten)]
    pub encryption: EncryptionMembers,
    /// The new version (versioning enabled).
    #[serde(rename = "VersionId", default, skip_serializing_if = "Option::is_none")]
    pub version_id: Option<String>,
}

/// `GetObject`'s (and without `Body`, `HeadObject`'s) answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetObjectResponse {
    /// Always `bytes`.
    #[serde(rename = "AcceptRanges")]
    pub accept_ranges: String,
    /// ISO 8601.
    #[serde(rename = "LastModified")]
    pub last_modified: String,
    /// The body's length in bytes.
    #[serde(rename = "ContentLength")]
    pub content_length: u64,
    /// The entity tag.
    #[serde(rename = "ETag")]
    pub e_tag: String,
    /// The version (in a bucket that has or had versioning).
    #[serde(rename = "VersionId", default, skip_serializing_if = "Option::is_none")]
    pub version_id: Option<String>,
    /// `bytes FIRST-LAST/TOTAL` (a `Range` request).
    #[serde(rename = "ContentRange", default, skip_serializing_if = "Option::is_none")]
    pub content_range: Option<String>,
    /// The content type (`binary/octet-stream` when none was given).
    #[serde(rename = "ContentType")]
    pub content_type: String,
    /// How the object is encrypted.
    #[serde(flatten)]
    pub encryption: EncryptionMembers,
    /// User metadata (the lab keeps none).
    #[serde(rename = "Metadata")]
    pub metadata: BTreeMap<String, String>,
    /// The body, base64 (`GetObject` only).
    #[serde(rename = "Body", default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}

/// `HeadObject`'s answer: `GetObject`'s without the body.
pub type HeadObjectResponse = GetObjectResponse;

/// `CopyObjectResult`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CopyObjectResult {
    /// The new object's entity tag.
    #[serde(rename = "ETag")]
    pub e_tag: String,
    /// ISO 8601.
    #[serde(rename = "LastModified")]
    pub last_modified: String,
}

/// `CopyObject`'s answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CopyObjectResponse {
    /// The new object.
    #[serde(rename = "CopyObjectResult")]
    pub copy_object_result: CopyObjectResult,
    /// The version of the source that was copied (a versioned source).
    #[serde(rename = "CopySourceVersionId", default, skip_serializing_if = "Option::is_none")]
    pub copy_source_version_id: Option<String>,
    /// The new object's version (a versioned destination).
    #[serde(rename = "VersionId", default, skip_serializing_if = "Option::is_none")]
    pub version_id: Option<String>,
    /// How the new object is encrypted.
    #[serde(flatten)]
    pub encryption: EncryptionMembers,
}

/// One object of `ListObjectsV2`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectSummary {
    /// The key.
    #[serde(rename = "Key")]
    pub key: String,
    /// ISO 8601.
    #[serde(rename = "LastModified")]
    pub last_modified: String,
    /// The entity tag.
    #[serde(rename = "ETag")]
    pub e_tag: String,
    /// Bytes.
    #[serde(rename = "Size")]
    pub size: u64,
    /// Always `STANDARD`.
    #[serde(rename = "StorageClass")]
    pub storage_class: String,
}

/// `ListObjectsV2`'s answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListObjectsV2Response {
    /// Whether more keys follow.
    #[serde(rename = "IsTruncated")]
    pub is_truncated: bool,
    /// The page (left out when empty).
    #[serde(rename = "Contents", default, skip_serializing_if = "Vec::is_empty")]
    pub contents: Vec<ObjectSummary>,
    /// The bucket name.
    #[serde(rename = "Name")]
    pub name: String,
    /// The prefix asked for (`""` when none).
    #[serde(rename = "Prefix")]
    pub prefix: String,
    /// The page size used.
    #[serde(rename = "MaxKeys")]
    pub max_keys: u64,
    /// The number of keys on this page.
    #[serde(rename = "KeyCount")]
    pub key_count: usize,
    /// The token of the next page.
    #[serde(
        rename = "NextContinuationToken",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub next_continuation_token: Option<String>,
}

/// `DeleteObject`'s answer (empty in a bucket that never had versioning).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeleteObjectResponse {
    /// Whether the version deleted (or created) is a delete marker.
    #[serde(rename = "DeleteMarker", default, skip_serializing_if = "Option::is_none")]
    pub delete_marker: Option<bool>,
    /// The version deleted, or the delete marker created.
    #[serde(rename = "VersionId", default, skip_serializing_if = "Option::is_none")]
    pub version_id: Option<String>,
}

/// `GetBucketVersioning`'s answer (empty for a bucket that never had versioning).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetBucketVersioningResponse {
    /// `Enabled` or `Suspended`.
    #[serde(rename = "Status", default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

/// One object version of `ListObjectVersions`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectVersion {
    /// The entity tag.
    #[serde(rename = "ETag")]
    pub e_tag: String,
    /// Bytes.
    #[serde(rename = "Size")]
    pub size: u64,
    /// Always `STANDARD`.
    #[serde(rename = "StorageClass")]
    pub storage_class: String,
    /// The key.
    #[serde(rename = "Key")]
    pub key: String,
    /// The version id.
    #[serde(rename = "VersionId")]
    pub version_id: String,
    /// Whether it is the current version.
    #[serde(rename = "IsLatest")]
    pub is_latest: bool,
    /// ISO 8601.
    #[serde(rename = "LastModified")]
    pub last_modified: String,
}

/// One delete marker of `ListObjectVersions`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeleteMarkerEntry {
    /// The key.
    #[serde(rename = "Key")]
    pub key: String,
    /// The marker's version id.
    #[serde(rename = "VersionId")]
    pub version_id: String,
    /// Whether it is the current version.
    #[serde(rename = "IsLatest")]
    pub is_latest: bool,
    /// ISO 8601.
    #[serde(rename = "LastModified")]
    pub last_modified: String,
}

/// `ListObjectVersions`'s answer (one page).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListObjectVersionsResponse {
    /// Always `false` (one page).
    #[serde(rename = "IsTruncated")]
    pub is_truncated: bool,
    /// The versions, newest first per key (left out when none).
    #[serde(rename = "Versions", default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<ObjectVersion>,
    /// The delete markers (left out when none).
    #[serde(rename = "DeleteMarkers", default, skip_serializing_if = "Vec::is_empty")]
    pub delete_markers: Vec<DeleteMarkerEntry>,
    /// The bucket name.
    #[serde(rename = "Name")]
    pub name: String,
    /// The prefix asked for (`""` when none).
    #[serde(rename = "Prefix")]
    pub prefix: String,
    /// 1,000.
    #[serde(rename = "MaxKeys")]
    pub max_keys: u64,
}

operations!(S3Request / S3Response, s3 -> S3Client for crate::s3::S3 {
    create_bucket: CreateBucket(CreateBucketRequest) -> CreateBucketResponse,
    list_buckets: ListBuckets(ListBucketsRequest) -> ListBucketsResponse,
    delete_bucket: DeleteBucket(BucketRequest) -> Empty,
    head_bucket: HeadBucket(BucketRequest) -> HeadBucketResponse,
    put_bucket_encryption: PutBucketEncryption(PutBucketEncryptionRequest) -> Empty,
    get_bucket_encryption: GetBucketEncryption(BucketRequest) -> GetBucketEncryptionResponse,
    delete_bucket_encryption: DeleteBucketEncryption(BucketRequest) -> Empty,
    put_bucket_policy: PutBucketPolicy(PutBucketPolicyRequest) -> Empty,
    get_bucket_policy: GetBucketPolicy(BucketRequest) -> GetBucketPolicyResponse,
    delete_bucket_policy: DeleteBucketPolicy(BucketRequest) -> Empty,
    put_object: PutObject(PutObjectRequest) -> PutObjectResponse,
    get_object: GetObject(GetObjectRequest) -> GetObjectResponse,
    head_object: HeadObject(HeadObjectRequest) -> HeadObjectResponse,
    copy_object: CopyObject(CopyObjectRequest) -> CopyObjectResponse,
    delete_object: DeleteObject(DeleteObjectRequest) -> DeleteObjectResponse,
    list_objects_v2: ListObjectsV2(ListObjectsV2Request) -> ListObjectsV2Response,
    put_bucket_versioning: PutBucketVersioning(PutBucketVersioningRequest) -> Empty,
    get_bucket_versioning: GetBucketVersioning(BucketRequest) -> GetBucketVersioningResponse,
    list_object_versions: ListObjectVersions(ListObjectVersionsRequest) -> ListObjectVersionsResponse,
});

impl S3Request {
    /// The bucket the request names, if any.
    pub fn bucket(&self) -> Option<&str> {
        match self {
            Self::CreateBucket(r) => r.bucket.as_deref(),
            Self::ListBuckets(_) => None,
            Self::DeleteBucket(r)
            | Self::HeadBucket(r)
            | Self::GetBucketEncryption(r)
            | Self::DeleteBucketEncryption(r)
            | Self::GetBucketPolicy(r)
            | Self::DeleteBucketPolicy(r)
            | Self::GetBucketVersioning(r) => r.bucket.as_deref(),
            Self::PutBucketVersioning(r) => r.bucket.as_deref(),
            Self::ListObjectVersions(r) => r.bucket.as_deref(),
            Self::PutBucketEncryption(r) => r.bucket.as_deref(),
            Self::PutBucketPolicy(r) => r.bucket.as_deref(),
            Self::PutObject(r) => r.bucket.as_deref(),
            Self::GetObject(r) | Self::HeadObject(r) => r.bucket.as_deref(),
            Self::CopyObject(r) => r.bucket.as_deref(),
            Self::DeleteObject(r) => r.bucket.as_deref(),
            Self::ListObjectsV2(r) => r.bucket.as_deref(),
        }
    }
}
