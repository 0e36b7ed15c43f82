//! Bucket operations: create, list, delete, head, default encryption and bucket policy.

use std::collections::BTreeMap;
use std::sync::Arc;

use sha2::{Digest, Sha256};

use super::auth::{bucket_for, check};
use super::error::required;
use super::model::{
    ApplyServerSideEncryptionByDefault, BlockedEncryptionTypes, BucketRequest, BucketSummary,
    CreateBucketRequest, CreateBucketResponse, Empty, GetBucketEncryptionResponse,
    GetBucketPolicyResponse, HeadBucketResponse, ListBucketsResponse, Owner,
    PutBucketEncryptionRequest, PutBucketPolicyRequest, ServerSideEncryptionConfiguration,
    ServerSideEncryptionRule,
};
use super::{Bucket, DefaultEncryption, S3Error};
use crate::World;
use crate::cloudtrail::CallAudit;
use crate::context::CallContext;
use crate::env::iso8601;

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

pub(crate) fn create(
    world: &mut World,
    ctx: &CallContext,
    r: &CreateBucketRequest,
    audit: &mut CallAudit,
) -> Result<CreateBucketResponse, S3Error> {
    let name = required(&r.bucket, "Bucket")?;
    let arn = format!("arn:aws:s3:::{name}");
    check(world, ctx, "s3:CreateBucket", &arn, None, &[], audit)?;
    if !valid_bucket_name(name) {
        return Err(S3Error::InvalidBucketName(
            "The specified bucket is not valid.".into(),
        ));
    }
    let constraint = r
        .create_bucket_configuration
        .as_ref()
        .and_then(|c| c.location_constraint.as_deref());
    match constraint {
        Some(lc) if lc != ctx.region => {
            return Err(S3Error::IllegalLocationConstraintException(format!(
                "The {lc} location constraint is incompatible for the region specific endpoint this request was sent to."
            )));
        }
        None if ctx.region != "us-east-1" => {
            return Err(S3Error::IllegalLocationConstraintException(
                "The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.".into(),
            ));
        }
        _ => {}
    }
    if let Some(existing) = world.services.s3.buckets.get(name) {
        return Err(if existing.account == ctx.account {
            S3Error::BucketAlreadyOwnedByYou(
                "Your previous request to create the named bucket succeeded and you already own it.".into(),
            )
        } else {
            S3Error::BucketAlreadyExists(
                "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.".into(),
            )
        });
    }
    let now = world.now_ms();
    world.services.s3.buckets.insert(
        name.to_owned(),
        Bucket {
            name: name.to_owned(),
            account: ctx.account.clone(),
            region: ctx.region.clone(),
            created_ms: now,
            encryption: DefaultEncryption::default(),
            policy: None,
            objects: Arc::default(),
            versioning: None,
            noncurrent: BTreeMap::new(),
        },
    );
    let location = if ctx.region == "us-east-1" {
        format!("/{name}")
    } else {
        format!("http://{name}.s3.amazonaws.com/")
    };
    Ok(CreateBucketResponse { location })
}

pub(crate) fn list(
    world: &mut World,
    ctx: &CallContext,
    audit: &mut CallAudit,
) -> Result<ListBucketsResponse, S3Error> {
    check(world, ctx, "s3:ListAllMyBuckets", "*", None, &[], audit)?;
    let buckets = world
        .services.s3
        .buckets
        .values()
        .filter(|b| b.account == ctx.account)
        .map(|b| BucketSummary {
            name: b.name.clone(),
            creation_date: iso8601(b.created_ms),
            bucket_region: b.region.clone(),
        })
        .collect();
    let owner = crate::env::hex(&Sha256::digest(ctx.account.as_bytes()));
    Ok(ListBucketsResponse {
        buckets,
        owner: Owner { id: owner },
    })
}

pub(crate) fn delete(
    world: &mut World,
    ctx: &CallContext,
    r: &BucketRequest,
    audit: &mut CallAudit,
) -> Result<Empty, S3Error> {
    let b = bucket_for(world, ctx, &r.bucket, "s3:DeleteBucket", audit)?;
    if !b.objects.is_empty() || b.noncurrent.values().any(|v| !v.is_empty()) {
        return Err(S3Error::BucketNotEmpty(
            "The bucket you tried to delete is not empty".into(),
        ));
    }
    let name = b.name.clone();
    world.services.s3.buckets.remove(&name);
    world
        .services.s3
        .bucket_keys
        .retain(|k, _| !k.starts_with(&format!("{name}\n")));
    Ok(Empty {})
}

pub(crate) fn head(
    world: &mut World,
    ctx: &CallContext,
    r: &BucketRequest,
    audit: &mut CallAudit,
) -> Result<HeadBucketResponse, S3Error> {
    let b = bucket_for(world, ctx, &r.bucket, "s3:ListBucket", audit)?;
    Ok(HeadBucketResponse {
        bucket_region: b.region.clone(),
    })
}

pub(crate) fn put_encryption(
    world: &mut World,
    ctx: &CallContext,
    r: &PutBucketEncryptionRequest,
    audit: &mut CallAudit,
) -> Result<Empty, S3Error> {
    let name = bucket_for(
        world,
        ctx,
        &r.bucket,
        "s3:PutEncryptionConfiguration",
        audit,
    )?
    .name
    .clone();
    let rules = r
        .server_side_encryption_configuration
        .as_ref()
        .and_then(|c| c.rules.as_ref())
        .ok_or_else(S3Error::malformed_xml)?;
    let [rule] = rules.as_slice() else {
        return Err(S3Error::malformed_xml());
    };
    let mut enc = DefaultEncryption::default();
    if let Some(d) = &rule.apply_server_side_encryption_by_default {
        let alg = d
            .sse_algorithm
            .as_deref()
            .ok_or_else(S3Error::malformed_xml)?;
        if !matches!(alg, "AES256" | "aws:kms" | "aws:kms:dsse") {
            return Err(S3Error::malformed_xml());
        }
        let key = d.kms_master_key_id.clone();
        if alg == "AES256" && key.is_some() {
            return Err(S3Error::InvalidArgument(
                "a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse".into(),
            ));
        }
        alg.clone_into(&mut enc.algorithm);
        enc.kms_key = key;
    }
    enc.bucket_key_enabled = rule.bucket_key_enabled.unwrap_or(false);
    if let Some(types) = rule
        .blocked_encryption_types
        .as_ref()
        .and_then(|b| b.encryption_type.as_ref())
    {
        if types
            .iter()
            .any(|t| !matches!(t.as_str(), "NONE" | "SSE-C"))
        {
            return Err(S3Error::malformed_xml());
        }
        enc.sse_c_blocked = types.iter().any(|t| t == "SSE-C");
    } else if let Some(b) = world.services.s3.buckets.get(&name) {
        // Not given: the setting is left as it is.
        enc.sse_c_blocked = b.encryption.sse_c_blocked;
    }
    if let Some(b) = world.services.s3.buckets.get_mut(&name) {
        b.encryption = enc;
    }
    Ok(Empty {})
}

/// A bucket's default encryption as `GetBucketEncryption` shows it.
fn encryption_configuration(enc: &DefaultEncryption) -> ServerSideEncryptionConfiguration {
    ServerSideEncryptionConfiguration {
        rules: Some(vec![ServerSideEncryptionRule {
            apply_server_side_encryption_by_default: Some(ApplyServerSideEncryptionByDefault {
                sse_algorithm: Some(enc.algorithm.clone()),
                kms_master_key_id: enc.kms_key.clone(),
            }),
            bucket_key_enabled: Some(enc.bucket_key_enabled),
            blocked_encryption_types: Some(BlockedEncryptionTypes {
                encryption_type: Some(vec![
                    if enc.sse_c_blocked { "SSE-C" } else { "NONE" }.to_owned(),
                ]),
            }),
        }]),
    }
}

pub(crate) fn get_encryption(
    world: &mut World,
    ctx: &CallContext,
    r: &BucketRequest,
    audit: &mut CallAudit,
) -> Result<GetBucketEncryptionResponse, S3Error> {
    let b = bucket_for(
        world,
        ctx,
        &r.bucket,
        "s3:GetEncryptionConfiguration",
        audit,
    )?;
    Ok(GetBucketEncryptionResponse {
        server_side_encryption_configuration: encryption_configuration(&b.encryption),
    })
}

pub(crate) fn delete_encryption(
    world: &mut World,
    ctx: &CallContext,
    r: &BucketRequest,
    audit: &mut CallAudit,
) -> Result<Empty, S3Error> {
    let name = bucket_for(
        world,
        ctx,
        &r.bucket,
        "s3:PutEncryptionConfiguration",
        audit,
    )?
    .name
    .clone();
    if let Some(b) = world.services.s3.buckets.get_mut(&name) {
        b.encryption = DefaultEncryption::default();
    }
    Ok(Empty {})
}

pub(crate) fn put_policy(
    world: &mut World,
    ctx: &CallContext,
    r: &PutBucketPolicyRequest,
    audit: &mut CallAudit,
) -> Result<Empty, S3Error> {
    let name = bucket_for(world, ctx, &r.bucket, "s3:PutBucketPolicy", audit)?
        .name
        .clone();
    let text = required(&r.policy, "Policy")?;
    let doc = policy::PolicyDocument::parse(
        text,
        policy::PolicyKind::Resource,
        policy::Limits::s3_bucket_policy(),
    )
    .map_err(|e| S3Error::MalformedPolicy(e.to_string()))?;
    let arn = format!("arn:aws:s3:::{name}");
    for st in doc.statements() {
        let Some(res) = st.resource() else {
            return Err(S3Error::MalformedPolicy(
                "Missing required field Resource".into(),
            ));
        };
        for p in res.patterns() {
            let inside = p == arn || p.starts_with(&format!("{arn}/")) || p == "*";
            if !inside {
                return Err(S3Error::MalformedPolicy(
                    "Policy has invalid resource".into(),
                ));
            }
        }
        for a in &st.action().patterns {
            let a = a.as_str();
            if !(a == "*" || a.to_ascii_lowercase().starts_with("s3:")) {
                return Err(S3Error::MalformedPolicy("Policy has invalid action".into()));
            }
        }
    }
    if let Some(b) = world.services.s3.buckets.get_mut(&name) {
        b.policy = Some(doc);
    }
    Ok(Empty {})
}

pub(crate) fn get_policy(
    world: &mut World,
    ctx: &CallContext,
    r: &BucketRequest,
    audit: &mut CallAudit,
) -> Result<GetBucketPolicyResponse, S3Error> {
    let b = bucket_for(world, ctx, &r.bucket, "s3:GetBucketPolicy", audit)?;
    match &b.policy {
        Some(p) => Ok(GetBucketPolicyResponse {
            policy: p.source().to_owned(),
        }),
        None => Err(S3Error::NoSuchBucketPolicy(
            "The bucket policy does not exist".into(),
        )),
    }
}

pub(crate) fn delete_policy(
    world: &mut World,
    ctx: &CallContext,
    r: &BucketRequest,
    audit: &mut CallAudit,
) -> Result<Empty, S3Error> {
    let name = bucket_for(world, ctx, &r.bucket, "s3:DeleteBucketPolicy", audit)?
        .name
        .clone();
    if let Some(b) = world.services.s3.buckets.get_mut(&name) {
        b.policy = None;
    }
    Ok(Empty {})
}
