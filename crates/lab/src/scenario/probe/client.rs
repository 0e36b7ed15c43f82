//! The probe's service handles: typed calls on the clone, decoded from the world's JSON answers
//! into [`super::shapes`]. This file and `shapes.rs` are the only places that read those answers.

use cloud::AwsError;
use policy::{Limits, PolicyDocument, PolicyKind};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::Probe;
use super::shapes::{
    AttachedPoliciesResponse, BucketEncryptionResponse, BulkPutReport, CopyDbSnapshotResponse,
    DbInstance, DbInstancesResponse, DbSnapshot, DbSnapshotsResponse, DecryptResponse, Decrypted,
    DescribeKeyResponse, EbsByDefaultResponse, EncryptResponse, EncryptionRule, GetObjectResponse,
    Grant, KeyMetadata, KmsKeyIdResponse, ListGrantsResponse, ListKeyRotationsResponse,
    ListKeysResponse, ListObjectsResponse, ObjectHead, PolicyNamesResponse, PolicyResponse,
    RolePolicyResponse, Rotation, RotationStatus, Snapshot, SnapshotAttributesResponse,
    SnapshotsResponse, Volume, VolumesResponse,
};

/// Calls `service`'s `op` in the probe's world as `profile`, in `region` (the profile's by
/// default), over TLS unless `tls` is `Some(false)`.
pub(super) fn call(
    probe: &mut Probe,
    profile: &str,
    region: Option<&str>,
    tls: Option<bool>,
    service: &str,
    op: &str,
    input: Value,
) -> Result<Value, AwsError> {
    let w = &mut probe.session.world;
    let mut ctx = w.context_for_profile(Some(profile), region)?;
    if let Some(tls) = tls {
        ctx.secure_transport = tls;
    }
    w.call(&ctx, service, op, input)
}

/// Decodes an answer; a shape the probe cannot read is reported like a service error.
fn decode<T: DeserializeOwned>(op: &str, v: Value) -> Result<T, AwsError> {
    serde_json::from_value(v).map_err(|e| {
        AwsError::new(
            "ProbeDecodeError",
            format!("cannot read {op}'s answer: {e}"),
        )
    })
}

fn parse_policy(text: &str, kind: PolicyKind) -> Result<PolicyDocument, AwsError> {
    PolicyDocument::parse(text, kind, Limits::none())
        .map_err(|e| AwsError::new("MalformedPolicyDocument", e.to_string()))
}

/// A caller: profile, Region and transport.
#[derive(Debug)]
struct Caller<'p> {
    probe: &'p mut Probe,
    profile: &'p str,
    region: Option<&'p str>,
    tls: Option<bool>,
}

impl<'p> Caller<'p> {
    fn new(probe: &'p mut Probe, profile: &'p str) -> Self {
        Self {
            probe,
            profile,
            region: None,
            tls: None,
        }
    }

    fn call(&mut self, service: &str, op: &str, input: Value) -> Result<Value, AwsError> {
        call(
            self.probe,
            self.profile,
            self.region,
            self.tls,
            service,
            op,
            input,
        )
    }

    fn read<T: DeserializeOwned>(
        &mut self,
        service: &str,
        op: &str,
        input: Value,
    ) -> Result<T, AwsError> {
        let v = self.call(service, op, input)?;
        decode(op, v)
    }
}

macro_rules! handle {
    ($(#[$m:meta])* $name:ident) => {
        $(#[$m])*
        #[derive(Debug)]
        pub struct $name<'p>(Caller<'p>);

        impl<'p> $name<'p> {
            pub(super) fn new(probe: &'p mut Probe, profile: &'p str) -> Self {
                Self(Caller::new(probe, profile))
            }

            /// The same caller in another Region.
            pub fn region(mut self, region: &'p str) -> Self {
                self.0.region = Some(region);
                self
            }
        }
    };
}

handle!(
    /// KMS as one profile.
    Kms
);
handle!(
    /// EC2 (EBS) as one profile.
    Ec2
);
handle!(
    /// RDS as one profile.
    Rds
);
handle!(
    /// S3 as one profile.
    S3
);
handle!(
    /// IAM as one profile.
    Iam
);

impl Kms<'_> {
    /// Any KMS operation, for attempts whose answer is not read (allowed or denied?).
    pub fn call(&mut self, op: &str, input: Value) -> Result<Value, AwsError> {
        self.0.call("kms", op, input)
    }

    /// `DescribeKey`.
    pub fn describe_key(&mut self, key: &str) -> Result<KeyMetadata, AwsError> {
        self.0
            .read::<DescribeKeyResponse>("kms", "DescribeKey", json!({ "KeyId": key }))
            .map(|r| r.key_metadata)
    }

    /// `CreateKey` with a description.
    pub fn create_key(&mut self, description: &str) -> Result<KeyMetadata, AwsError> {
        self.0
            .read::<DescribeKeyResponse>("kms", "CreateKey", json!({ "Description": description }))
            .map(|r| r.key_metadata)
    }

    /// `ListKeys`: the key ids.
    pub fn key_ids(&mut self) -> Result<Vec<String>, AwsError> {
        self.0
            .read::<ListKeysResponse>("kms", "ListKeys", json!({}))
            .map(|r| r.keys.into_iter().map(|k| k.key_id).collect())
    }

    /// `GetKeyPolicy` (the default policy), parsed.
    pub fn key_policy(&mut self, key: &str) -> Result<PolicyDocument, AwsError> {
        let r: PolicyResponse = self.0.read(
            "kms",
            "GetKeyPolicy",
            json!({ "KeyId": key, "PolicyName": "default" }),
        )?;
        parse_policy(&r.policy, PolicyKind::Resource)
    }

    /// `GetKeyRotationStatus`.
    pub fn rotation_status(&mut self, key: &str) -> Result<RotationStatus, AwsError> {
        self.0
            .read("kms", "GetKeyRotationStatus", json!({ "KeyId": key }))
    }

    /// `ListKeyRotations`.
    pub fn rotations(&mut self, key: &str) -> Result<Vec<Rotation>, AwsError> {
        self.0
            .read::<ListKeyRotationsResponse>("kms", "ListKeyRotations", json!({ "KeyId": key }))
            .map(|r| r.rotations)
    }

    /// `ListGrants`.
    pub fn grants(&mut self, key: &str) -> Result<Vec<Grant>, AwsError> {
        self.0
            .read::<ListGrantsResponse>("kms", "ListGrants", json!({ "KeyId": key }))
            .map(|r| r.grants)
    }

    /// `Encrypt`: the ciphertext as base64.
    pub fn encrypt(&mut self, key: &str, plaintext: &[u8]) -> Result<String, AwsError> {
        use base64::Engine as _;
        let plaintext = base64::engine::general_purpose::STANDARD.encode(plaintext);
        self.0
            .read::<EncryptResponse>(
                "kms",
                "Encrypt",
                json!({ "KeyId": key, "Plaintext": plaintext }),
            )
            .map(|r| r.ciphertext_blob)
    }

    /// `Decrypt` of a base64 ciphertext, with an encryption context if given.
    pub fn decrypt(
        &mut self,
        blob: &str,
        context: Option<&[(&str, &str)]>,
    ) -> Result<Decrypted, AwsError> {
        let mut input = json!({ "CiphertextBlob": blob });
        if let (Some(pairs), Some(obj)) = (context, input.as_object_mut()) {
            let ctx: serde_json::Map<String, Value> = pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), json!(v)))
                .collect();
            obj.insert("EncryptionContext".into(), Value::Object(ctx));
        }
        self.0
            .read::<DecryptResponse>("kms", "Decrypt", input)
            .map(|r| Decrypted {
                plaintext: r.plaintext.0.clone(),
                key_id: r.key_id,
                key_material_id: r.key_material_id,
            })
    }
}

impl Ec2<'_> {
    /// `DescribeVolumes`.
    pub fn volumes(&mut self) -> Result<Vec<Volume>, AwsError> {
        self.0
            .read::<VolumesResponse>("ec2", "DescribeVolumes", json!({}))
            .map(|r| r.volumes)
    }

    /// `DescribeSnapshots` of the caller's own snapshots.
    pub fn snapshots(&mut self) -> Result<Vec<Snapshot>, AwsError> {
        self.0
            .read::<SnapshotsResponse>("ec2", "DescribeSnapshots", json!({ "OwnerIds": ["self"] }))
            .map(|r| r.snapshots)
    }

    /// `GetEbsEncryptionByDefault`.
    pub fn encryption_by_default(&mut self) -> Result<bool, AwsError> {
        self.0
            .read::<EbsByDefaultResponse>("ec2", "GetEbsEncryptionByDefault", json!({}))
            .map(|r| r.ebs_encryption_by_default)
    }

    /// `GetEbsDefaultKmsKeyId`.
    pub fn default_kms_key_id(&mut self) -> Result<Option<String>, AwsError> {
        self.0
            .read::<KmsKeyIdResponse>("ec2", "GetEbsDefaultKmsKeyId", json!({}))
            .map(|r| r.kms_key_id)
    }

    /// `CreateVolume` of `size` GiB with no other option.
    pub fn create_volume(&mut self, size: u64) -> Result<Volume, AwsError> {
        self.0.read("ec2", "CreateVolume", json!({ "Size": size }))
    }
}

impl Rds<'_> {
    /// `DescribeDBSnapshots` (the caller's own).
    pub fn snapshots(&mut self) -> Result<Vec<DbSnapshot>, AwsError> {
        self.0
            .read::<DbSnapshotsResponse>("rds", "DescribeDBSnapshots", json!({}))
            .map(|r| r.snapshots)
    }

    /// `DescribeDBSnapshots` of the snapshots other accounts shared with the caller.
    pub fn shared_snapshots(&mut self) -> Result<Vec<DbSnapshot>, AwsError> {
        self.0
            .read::<DbSnapshotsResponse>(
                "rds",
                "DescribeDBSnapshots",
                json!({ "SnapshotType": "shared" }),
            )
            .map(|r| r.snapshots)
    }

    /// The accounts (or `all`) in a snapshot's `restore` attribute.
    pub fn restore_accounts(&mut self, snapshot: &str) -> Result<Vec<String>, AwsError> {
        self.0
            .read::<SnapshotAttributesResponse>(
                "rds",
                "DescribeDBSnapshotAttributes",
                json!({ "DBSnapshotIdentifier": snapshot }),
            )
            .map(|r| {
                r.result
                    .attributes
                    .into_iter()
                    .filter(|a| a.attribute_name == "restore")
                    .flat_map(|a| a.attribute_values)
                    .collect()
            })
    }

    /// `DescribeDBInstances`.
    pub fn instances(&mut self) -> Result<Vec<DbInstance>, AwsError> {
        self.0
            .read::<DbInstancesResponse>("rds", "DescribeDBInstances", json!({}))
            .map(|r| r.instances)
    }

    /// `DescribeDBInstances` of one instance.
    pub fn instance(&mut self, id: &str) -> Result<DbInstance, AwsError> {
        self.0
            .read::<DbInstancesResponse>(
                "rds",
                "DescribeDBInstances",
                json!({ "DBInstanceIdentifier": id }),
            )?
            .instances
            .into_iter()
            .next()
            .ok_or_else(|| AwsError::new("DBInstanceNotFound", format!("no instance {id}")))
    }

    /// `CopyDBSnapshot` with a KMS key.
    pub fn copy_snapshot(
        &mut self,
        source: &str,
        target: &str,
        kms_key: &str,
    ) -> Result<DbSnapshot, AwsError> {
        self.0
            .read::<CopyDbSnapshotResponse>(
                "rds",
                "CopyDBSnapshot",
                json!({ "SourceDBSnapshotIdentifier": source, "TargetDBSnapshotIdentifier": target, "KmsKeyId": kms_key }),
            )
            .map(|r| r.snapshot)
    }

    /// Adds `account` to a snapshot's `restore` attribute.
    pub fn share_snapshot(&mut self, snapshot: &str, account: &str) -> Result<(), AwsError> {
        self.0
            .call(
                "rds",
                "ModifyDBSnapshotAttribute",
                json!({ "DBSnapshotIdentifier": snapshot, "AttributeName": "restore", "ValuesToAdd": [account] }),
            )
            .map(drop)
    }

    /// `RestoreDBInstanceFromDBSnapshot`.
    pub fn restore_instance(&mut self, instance: &str, snapshot: &str) -> Result<(), AwsError> {
        self.0
            .call(
                "rds",
                "RestoreDBInstanceFromDBSnapshot",
                json!({ "DBInstanceIdentifier": instance, "DBSnapshotIdentifier": snapshot }),
            )
            .map(drop)
    }
}

/// A `PutObject` request.
#[derive(Clone, Copy, Debug, Default)]
pub struct PutObject<'a> {
    /// The bucket.
    pub bucket: &'a str,
    /// The object key.
    pub key: &'a str,
    /// The body, base64.
    pub body: &'a str,
    /// `x-amz-server-side-encryption`.
    pub sse: Option<&'a str>,
    /// `x-amz-server-side-encryption-aws-kms-key-id`.
    pub kms_key: Option<&'a str>,
}

impl S3<'_> {
    /// The same caller over plain HTTP (`aws:SecureTransport` false) or TLS.
    pub fn tls(mut self, tls: bool) -> Self {
        self.0.tls = Some(tls);
        self
    }

    /// Any S3 operation, for changes made in the clone (the answer is not read).
    pub fn call(&mut self, op: &str, input: Value) -> Result<Value, AwsError> {
        self.0.call("s3", op, input)
    }

    /// `PutObject`.
    pub fn put_object(&mut self, put: PutObject<'_>) -> Result<(), AwsError> {
        let mut input = json!({ "Bucket": put.bucket, "Key": put.key, "Body": put.body });
        if let Some(obj) = input.as_object_mut() {
            if let Some(s) = put.sse {
                obj.insert("ServerSideEncryption".into(), json!(s));
            }
            if let Some(k) = put.kms_key {
                obj.insert("SSEKMSKeyId".into(), json!(k));
            }
        }
        self.0.call("s3", "PutObject", input).map(drop)
    }

    /// `GetObject`: the body as base64.
    pub fn get_object(&mut self, bucket: &str, key: &str) -> Result<String, AwsError> {
        self.0
            .read::<GetObjectResponse>("s3", "GetObject", json!({ "Bucket": bucket, "Key": key }))
            .map(|r| r.body)
    }

    /// `HeadObject`.
    pub fn head_object(&mut self, bucket: &str, key: &str) -> Result<ObjectHead, AwsError> {
        self.0
            .read("s3", "HeadObject", json!({ "Bucket": bucket, "Key": key }))
    }

    /// `ListObjectsV2`: the object keys.
    pub fn object_keys(&mut self, bucket: &str) -> Result<Vec<String>, AwsError> {
        self.0
            .read::<ListObjectsResponse>("s3", "ListObjectsV2", json!({ "Bucket": bucket }))
            .map(|r| r.contents.into_iter().map(|o| o.key).collect())
    }

    /// The first rule of `GetBucketEncryption`.
    pub fn encryption(&mut self, bucket: &str) -> Result<EncryptionRule, AwsError> {
        self.0
            .read::<BucketEncryptionResponse>(
                "s3",
                "GetBucketEncryption",
                json!({ "Bucket": bucket }),
            )
            .map(|r| {
                r.server_side_encryption_configuration
                    .rules
                    .into_iter()
                    .next()
                    .unwrap_or_default()
            })
    }

    /// `GetBucketPolicy`, parsed.
    pub fn bucket_policy(&mut self, bucket: &str) -> Result<PolicyDocument, AwsError> {
        let r: PolicyResponse =
            self.0
                .read("s3", "GetBucketPolicy", json!({ "Bucket": bucket }))?;
        parse_policy(&r.policy, PolicyKind::Resource)
    }

    /// `n` uploads of `size` bytes to `bucket` (what `lab load --s3-put` does), counted.
    pub fn bulk_put(
        &mut self,
        bucket: &str,
        n: u64,
        size: usize,
    ) -> Result<BulkPutReport, AwsError> {
        let c = &mut self.0;
        let w = &mut c.probe.session.world;
        let ctx = w.context_for_profile(Some(c.profile), c.region)?;
        let report = w.s3_bulk_put(&ctx, bucket, n, size)?;
        decode("the bulk upload", report)
    }
}

impl Iam<'_> {
    /// `ListRolePolicies`.
    pub fn role_policy_names(&mut self, role: &str) -> Result<Vec<String>, AwsError> {
        self.0
            .read::<PolicyNamesResponse>("iam", "ListRolePolicies", json!({ "RoleName": role }))
            .map(|r| r.policy_names)
    }

    /// `GetRolePolicy`, parsed.
    pub fn role_policy(&mut self, role: &str, name: &str) -> Result<PolicyDocument, AwsError> {
        let r: RolePolicyResponse = self.0.read(
            "iam",
            "GetRolePolicy",
            json!({ "RoleName": role, "PolicyName": name }),
        )?;
        let text = match r.policy_document {
            Value::String(text) => text,
            other => other.to_string(),
        };
        parse_policy(&text, PolicyKind::Identity)
    }

    /// `ListAttachedRolePolicies`: the policy ARNs.
    pub fn attached_role_policies(&mut self, role: &str) -> Result<Vec<String>, AwsError> {
        self.0
            .read::<AttachedPoliciesResponse>(
                "iam",
                "ListAttachedRolePolicies",
                json!({ "RoleName": role }),
            )
            .map(|r| {
                r.attached_policies
                    .into_iter()
                    .map(|p| p.policy_arn)
                    .collect()
            })
    }

    /// `DeleteRolePolicy`.
    pub fn delete_role_policy(&mut self, role: &str, name: &str) -> Result<(), AwsError> {
        self.0
            .call(
                "iam",
                "DeleteRolePolicy",
                json!({ "RoleName": role, "PolicyName": name }),
            )
            .map(drop)
    }

    /// `DetachRolePolicy`.
    pub fn detach_role_policy(&mut self, role: &str, arn: &str) -> Result<(), AwsError> {
        self.0
            .call(
                "iam",
                "DetachRolePolicy",
                json!({ "RoleName": role, "PolicyArn": arn }),
            )
            .map(drop)
    }
}
