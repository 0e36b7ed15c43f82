//! The probe's service handles: calls on the clone through the world's typed client
//! (`world.client(&ctx).kms()…`, the same audited seam as `World::call`), answers read from
//! cloud's own response structs into [`super::shapes`]. Only the `call` escape hatches (any
//! operation by name, answer unread) and the bulk-upload report are JSON.

use base64::Engine as _;
use cloud::service::Client;
use cloud::{AwsError, CallContext, ServiceError};
use policy::{Limits, PolicyDocument, PolicyKind};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::Probe;
use super::shapes::{
    BulkPutReport, DbInstance, DbSnapshot, Decrypted, EncryptionRule, Grant, KeyMetadata,
    ObjectHead, Rotation, RotationStatus, Snapshot, Volume,
};

/// The caller's context in the probe's world: `profile` in `region` (the profile's by default),
/// over TLS unless `tls` is `Some(false)`.
fn context(
    probe: &mut Probe,
    profile: &str,
    region: Option<&str>,
    tls: Option<bool>,
) -> Result<CallContext, AwsError> {
    let mut ctx = probe
        .session
        .world
        .context_for_profile(Some(profile), region)?;
    if let Some(tls) = tls {
        ctx.secure_transport = tls;
    }
    Ok(ctx)
}

/// Calls `service`'s `op` by name with JSON input, for requests whose answer is not read.
pub(super) fn call(
    probe: &mut Probe,
    profile: &str,
    region: Option<&str>,
    tls: Option<bool>,
    service: &str,
    op: &str,
    input: Value,
) -> Result<Value, AwsError> {
    let ctx = context(probe, profile, region, tls)?;
    probe.session.world.call(&ctx, service, op, input)
}

/// An answer the probe cannot read, reported like a service error.
fn unreadable(op: &str, what: impl std::fmt::Display) -> AwsError {
    AwsError::new(
        "ProbeDecodeError",
        format!("cannot read {op}'s answer: {what}"),
    )
}

/// A member the world always sends, missing.
fn required<T>(op: &str, member: &str, v: Option<T>) -> Result<T, AwsError> {
    v.ok_or_else(|| unreadable(op, format!("missing field `{member}`")))
}

/// Decodes a JSON answer (the bulk-upload report).
fn decode<T: DeserializeOwned>(op: &str, v: Value) -> Result<T, AwsError> {
    serde_json::from_value(v).map_err(|e| unreadable(op, e))
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

    /// One typed call as this caller: `f` gets the world's typed client.
    fn typed<T, E: ServiceError>(
        &mut self,
        f: impl FnOnce(Client<'_>) -> Result<T, E>,
    ) -> Result<T, AwsError> {
        let ctx = context(self.probe, self.profile, self.region, self.tls)?;
        f(self.probe.session.world.client(&ctx)).map_err(|e| e.to_aws())
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
    /// Any KMS operation by name (JSON), for attempts whose answer is not read (allowed or
    /// denied?).
    pub fn call(&mut self, op: &str, input: Value) -> Result<Value, AwsError> {
        self.0.call("kms", op, input)
    }

    fn metadata(
        op: &str,
        m: Option<cloud::kms::model::KeyMetadata>,
    ) -> Result<KeyMetadata, AwsError> {
        KeyMetadata::read(required(op, "KeyMetadata", m)?).map_err(|e| unreadable(op, e))
    }

    /// `DescribeKey`.
    pub fn describe_key(&mut self, key: &str) -> Result<KeyMetadata, AwsError> {
        use cloud::kms::model::DescribeKeyRequest;
        let r = self.0.typed(|c| {
            c.kms().describe_key(DescribeKeyRequest {
                key_id: key.into(),
                ..Default::default()
            })
        })?;
        Self::metadata("DescribeKey", r.key_metadata.map(|m| *m))
    }

    /// `CreateKey` with a description.
    pub fn create_key(&mut self, description: &str) -> Result<KeyMetadata, AwsError> {
        use cloud::kms::model::CreateKeyRequest;
        let r = self.0.typed(|c| {
            c.kms().create_key(CreateKeyRequest {
                description: Some(description.into()),
                ..Default::default()
            })
        })?;
        Self::metadata("CreateKey", r.key_metadata.map(|m| *m))
    }

    /// `ListKeys`: the key ids.
    pub fn key_ids(&mut self) -> Result<Vec<String>, AwsError> {
        let r = self.0.typed(|c| c.kms().list_keys(Default::default()))?;
        r.keys
            .unwrap_or_default()
            .into_iter()
            .map(|k| required("ListKeys", "KeyId", k.key_id))
            .collect()
    }

    /// `GetKeyPolicy` (the default policy), parsed.
    pub fn key_policy(&mut self, key: &str) -> Result<PolicyDocument, AwsError> {
        use cloud::kms::model::GetKeyPolicyRequest;
        let r = self.0.typed(|c| {
            c.kms().get_key_policy(GetKeyPolicyRequest {
                key_id: key.into(),
                policy_name: Some("default".into()),
            })
        })?;
        parse_policy(
            &required("GetKeyPolicy", "Policy", r.policy)?,
            PolicyKind::Resource,
        )
    }

    /// `GetKeyRotationStatus`.
    pub fn rotation_status(&mut self, key: &str) -> Result<RotationStatus, AwsError> {
        use cloud::kms::model::KeyIdRequest;
        let r = self.0.typed(|c| {
            c.kms()
                .get_key_rotation_status(KeyIdRequest { key_id: key.into() })
        })?;
        Ok(RotationStatus {
            key_rotation_enabled: required(
                "GetKeyRotationStatus",
                "KeyRotationEnabled",
                r.key_rotation_enabled,
            )?,
            rotation_period_in_days: r.rotation_period_in_days,
        })
    }

    /// `ListKeyRotations`.
    pub fn rotations(&mut self, key: &str) -> Result<Vec<Rotation>, AwsError> {
        use cloud::kms::model::ListKeyRotationsRequest;
        const OP: &str = "ListKeyRotations";
        let r = self.0.typed(|c| {
            c.kms().list_key_rotations(ListKeyRotationsRequest {
                key_id: key.into(),
                ..Default::default()
            })
        })?;
        r.rotations
            .unwrap_or_default()
            .into_iter()
            .map(|e| {
                let name = required(OP, "RotationType", e.rotation_type)?;
                Rotation::named(&name)
                    .ok_or_else(|| unreadable(OP, format!("rotation type {name}")))
            })
            .collect()
    }

    /// `ListGrants`.
    pub fn grants(&mut self, key: &str) -> Result<Vec<Grant>, AwsError> {
        use cloud::kms::model::ListGrantsRequest;
        let r = self.0.typed(|c| {
            c.kms().list_grants(ListGrantsRequest {
                key_id: key.into(),
                ..Default::default()
            })
        })?;
        let grants = r.grants.unwrap_or_default();
        // As the probe always read the list: every entry names a grantee principal (a grant to
        // a service principal only makes the whole answer unreadable).
        for g in &grants {
            required(
                "ListGrants",
                "GranteePrincipal",
                g.grantee_principal.as_ref(),
            )?;
        }
        Ok(grants)
    }

    /// `Encrypt`: the ciphertext as base64.
    pub fn encrypt(&mut self, key: &str, plaintext: &[u8]) -> Result<String, AwsError> {
        use cloud::kms::model::{Blob, EncryptRequest};
        let r = self.0.typed(|c| {
            c.kms().encrypt(EncryptRequest {
                key_id: key.into(),
                plaintext: Blob(plaintext.to_vec()),
                ..Default::default()
            })
        })?;
        let blob = required("Encrypt", "CiphertextBlob", r.ciphertext_blob)?;
        Ok(base64::engine::general_purpose::STANDARD.encode(&blob.0))
    }

    /// `Decrypt` of a base64 ciphertext, with an encryption context if given.
    pub fn decrypt(
        &mut self,
        blob: &str,
        context: Option<&[(&str, &str)]>,
    ) -> Result<Decrypted, AwsError> {
        use cloud::kms::model::{Blob, DecryptRequest};
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(blob)
            .map_err(|e| {
                AwsError::new(
                    "SerializationException",
                    format!("cannot read the Decrypt request: invalid base64 blob: {e}"),
                )
            })?;
        let encryption_context = context.map(|pairs| {
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect()
        });
        let r = self.0.typed(|c| {
            c.kms().decrypt(DecryptRequest {
                ciphertext_blob: Blob(bytes),
                encryption_context,
                ..Default::default()
            })
        })?;
        Ok(Decrypted {
            plaintext: required("Decrypt", "Plaintext", r.plaintext)?.0.clone(),
            key_id: r.key_id.unwrap_or_default(),
            key_material_id: r.key_material_id,
        })
    }
}

impl Ec2<'_> {
    /// `DescribeVolumes`.
    pub fn volumes(&mut self) -> Result<Vec<Volume>, AwsError> {
        let r = self
            .0
            .typed(|c| c.ec2().describe_volumes(Default::default()))?;
        Ok(r.volumes.into_iter().map(Volume::from).collect())
    }

    /// `DescribeSnapshots` of the caller's own snapshots.
    pub fn snapshots(&mut self) -> Result<Vec<Snapshot>, AwsError> {
        use cloud::ec2::model::DescribeSnapshotsRequest;
        let r = self.0.typed(|c| {
            c.ec2().describe_snapshots(DescribeSnapshotsRequest {
                owner_ids: Some(vec!["self".to_owned()].into()),
                ..Default::default()
            })
        })?;
        Ok(r.snapshots)
    }

    /// `GetEbsEncryptionByDefault`.
    pub fn encryption_by_default(&mut self) -> Result<bool, AwsError> {
        self.0
            .typed(|c| c.ec2().get_ebs_encryption_by_default(Default::default()))
            .map(|r| r.ebs_encryption_by_default)
    }

    /// `GetEbsDefaultKmsKeyId`.
    pub fn default_kms_key_id(&mut self) -> Result<Option<String>, AwsError> {
        self.0
            .typed(|c| c.ec2().get_ebs_default_kms_key_id(Default::default()))
            .map(|r| Some(r.kms_key_id))
    }

    /// `CreateVolume` of `size` GiB with no other option.
    pub fn create_volume(&mut self, size: u64) -> Result<Volume, AwsError> {
        use cloud::ec2::model::CreateVolumeRequest;
        self.0
            .typed(|c| {
                c.ec2().create_volume(CreateVolumeRequest {
                    size: Some(size),
                    ..Default::default()
                })
            })
            .map(Volume::from)
    }
}

impl Rds<'_> {
    fn describe_snapshots(
        &mut self,
        snapshot_type: Option<&str>,
    ) -> Result<Vec<DbSnapshot>, AwsError> {
        use cloud::rds::model::DescribeDBSnapshotsRequest;
        let r = self.0.typed(|c| {
            c.rds().describe_db_snapshots(DescribeDBSnapshotsRequest {
                snapshot_type: snapshot_type.map(str::to_owned),
                ..Default::default()
            })
        })?;
        Ok(r.db_snapshots.into_iter().map(DbSnapshot::from).collect())
    }

    /// `DescribeDBSnapshots` (the caller's own).
    pub fn snapshots(&mut self) -> Result<Vec<DbSnapshot>, AwsError> {
        self.describe_snapshots(None)
    }

    /// `DescribeDBSnapshots` of the snapshots other accounts shared with the caller.
    pub fn shared_snapshots(&mut self) -> Result<Vec<DbSnapshot>, AwsError> {
        self.describe_snapshots(Some("shared"))
    }

    /// The accounts (or `all`) in a snapshot's `restore` attribute.
    pub fn restore_accounts(&mut self, snapshot: &str) -> Result<Vec<String>, AwsError> {
        use cloud::rds::model::DBSnapshotRequest;
        let r = self.0.typed(|c| {
            c.rds().describe_db_snapshot_attributes(DBSnapshotRequest {
                db_snapshot_identifier: Some(snapshot.into()),
            })
        })?;
        Ok(r.db_snapshot_attributes_result
            .db_snapshot_attributes
            .into_iter()
            .filter(|a| a.attribute_name == "restore")
            .flat_map(|a| a.attribute_values)
            .collect())
    }

    fn describe_instances(&mut self, id: Option<&str>) -> Result<Vec<DbInstance>, AwsError> {
        use cloud::rds::model::DBInstanceRequest;
        let r = self.0.typed(|c| {
            c.rds().describe_db_instances(DBInstanceRequest {
                db_instance_identifier: id.map(str::to_owned),
            })
        })?;
        Ok(r.db_instances.into_iter().map(DbInstance::from).collect())
    }

    /// `DescribeDBInstances`.
    pub fn instances(&mut self) -> Result<Vec<DbInstance>, AwsError> {
        self.describe_instances(None)
    }

    /// `DescribeDBInstances` of one instance.
    pub fn instance(&mut self, id: &str) -> Result<DbInstance, AwsError> {
        self.describe_instances(Some(id))?
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
        use cloud::rds::model::CopyDBSnapshotRequest;
        self.0
            .typed(|c| {
                c.rds().copy_db_snapshot(CopyDBSnapshotRequest {
                    source_db_snapshot_identifier: Some(source.into()),
                    target_db_snapshot_identifier: Some(target.into()),
                    kms_key_id: Some(kms_key.into()),
                })
            })
            .map(|r| DbSnapshot::from(r.db_snapshot))
    }

    /// Adds `account` to a snapshot's `restore` attribute.
    pub fn share_snapshot(&mut self, snapshot: &str, account: &str) -> Result<(), AwsError> {
        use cloud::rds::model::ModifyDBSnapshotAttributeRequest;
        self.0
            .typed(|c| {
                c.rds()
                    .modify_db_snapshot_attribute(ModifyDBSnapshotAttributeRequest {
                        db_snapshot_identifier: Some(snapshot.into()),
                        attribute_name: Some("restore".into()),
                        values_to_add: Some(vec![account.to_owned()].into()),
                        ..Default::default()
                    })
            })
            .map(drop)
    }

    /// `RestoreDBInstanceFromDBSnapshot`.
    pub fn restore_instance(&mut self, instance: &str, snapshot: &str) -> Result<(), AwsError> {
        use cloud::rds::model::RestoreDBInstanceFromDBSnapshotRequest;
        self.0
            .typed(|c| {
                c.rds().restore_db_instance_from_db_snapshot(
                    RestoreDBInstanceFromDBSnapshotRequest {
                        db_instance_identifier: Some(instance.into()),
                        db_snapshot_identifier: Some(snapshot.into()),
                        ..Default::default()
                    },
                )
            })
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

    /// Any S3 operation by name (JSON), for changes made in the clone (the answer is not
    /// read).
    pub fn call(&mut self, op: &str, input: Value) -> Result<Value, AwsError> {
        self.0.call("s3", op, input)
    }

    /// `PutObject`.
    pub fn put_object(&mut self, put: PutObject<'_>) -> Result<(), AwsError> {
        use cloud::s3::model::PutObjectRequest;
        self.0
            .typed(|c| {
                c.s3().put_object(PutObjectRequest {
                    bucket: Some(put.bucket.into()),
                    key: Some(put.key.into()),
                    body: Some(put.body.into()),
                    server_side_encryption: put.sse.map(str::to_owned),
                    sse_kms_key_id: put.kms_key.map(str::to_owned),
                    ..Default::default()
                })
            })
            .map(drop)
    }

    fn object(bucket: &str, key: &str) -> cloud::s3::model::GetObjectRequest {
        cloud::s3::model::GetObjectRequest {
            bucket: Some(bucket.into()),
            key: Some(key.into()),
            ..Default::default()
        }
    }

    /// `GetObject`: the body as base64.
    pub fn get_object(&mut self, bucket: &str, key: &str) -> Result<String, AwsError> {
        let r = self
            .0
            .typed(|c| c.s3().get_object(Self::object(bucket, key)))?;
        required("GetObject", "Body", r.body)
    }

    /// `HeadObject`.
    pub fn head_object(&mut self, bucket: &str, key: &str) -> Result<ObjectHead, AwsError> {
        self.0
            .typed(|c| c.s3().head_object(Self::object(bucket, key)))
            .map(|r| ObjectHead::from(r.encryption))
    }

    /// `ListObjectsV2`: the object keys.
    pub fn object_keys(&mut self, bucket: &str) -> Result<Vec<String>, AwsError> {
        use cloud::s3::model::ListObjectsV2Request;
        let r = self.0.typed(|c| {
            c.s3().list_objects_v2(ListObjectsV2Request {
                bucket: Some(bucket.into()),
                ..Default::default()
            })
        })?;
        Ok(r.contents.into_iter().map(|o| o.key).collect())
    }

    fn bucket(bucket: &str) -> cloud::s3::model::BucketRequest {
        cloud::s3::model::BucketRequest {
            bucket: Some(bucket.into()),
        }
    }

    /// The first rule of `GetBucketEncryption`.
    pub fn encryption(&mut self, bucket: &str) -> Result<EncryptionRule, AwsError> {
        let r = self
            .0
            .typed(|c| c.s3().get_bucket_encryption(Self::bucket(bucket)))?;
        Ok(r.server_side_encryption_configuration
            .rules
            .unwrap_or_default()
            .into_iter()
            .next()
            .map(EncryptionRule::from)
            .unwrap_or_default())
    }

    /// `GetBucketPolicy`, parsed.
    pub fn bucket_policy(&mut self, bucket: &str) -> Result<PolicyDocument, AwsError> {
        let r = self
            .0
            .typed(|c| c.s3().get_bucket_policy(Self::bucket(bucket)))?;
        parse_policy(&r.policy, PolicyKind::Resource)
    }

    /// `n` uploads of `size` bytes to `bucket` (what `lab load --s3-put` does), counted. The
    /// world reports it as JSON.
    pub fn bulk_put(
        &mut self,
        bucket: &str,
        n: u64,
        size: usize,
    ) -> Result<BulkPutReport, AwsError> {
        let c = &mut self.0;
        let ctx = context(c.probe, c.profile, c.region, None)?;
        let report = c.probe.session.world.s3_bulk_put(&ctx, bucket, n, size)?;
        decode("the bulk upload", report)
    }
}

/// IAM: typed requests, cloud's typed responses.
impl Iam<'_> {
    /// `ListRolePolicies`.
    pub fn role_policy_names(&mut self, role: &str) -> Result<Vec<String>, AwsError> {
        use cloud::iam::RoleListRequest;
        let r = self.0.typed(|c| {
            c.iam().list_role_policies(RoleListRequest {
                role_name: role.into(),
                marker: None,
                max_items: None,
                path_prefix: None,
            })
        })?;
        Ok(r.policy_names)
    }

    /// `GetRolePolicy`, parsed.
    pub fn role_policy(&mut self, role: &str, name: &str) -> Result<PolicyDocument, AwsError> {
        use cloud::iam::RolePolicyRequest;
        let r = self.0.typed(|c| {
            c.iam().get_role_policy(RolePolicyRequest {
                role_name: role.into(),
                policy_name: name.into(),
            })
        })?;
        // The lab answers the document as the aws-cli prints it: its JSON (AWS: URL-encoded
        // text), or its text where it is not JSON.
        let text = match r.policy_document {
            Value::String(text) => text,
            other => other.to_string(),
        };
        parse_policy(&text, PolicyKind::Identity)
    }

    /// `ListAttachedRolePolicies`: the policy ARNs.
    pub fn attached_role_policies(&mut self, role: &str) -> Result<Vec<String>, AwsError> {
        use cloud::iam::RoleListRequest;
        let r = self.0.typed(|c| {
            c.iam().list_attached_role_policies(RoleListRequest {
                role_name: role.into(),
                marker: None,
                max_items: None,
                path_prefix: None,
            })
        })?;
        Ok(r.attached_policies
            .into_iter()
            .map(|p| p.policy_arn)
            .collect())
    }

    /// `DeleteRolePolicy`.
    pub fn delete_role_policy(&mut self, role: &str, name: &str) -> Result<(), AwsError> {
        use cloud::iam::RolePolicyRequest;
        self.0
            .typed(|c| {
                c.iam().delete_role_policy(RolePolicyRequest {
                    role_name: role.into(),
                    policy_name: name.into(),
                })
            })
            .map(drop)
    }

    /// `DetachRolePolicy`.
    pub fn detach_role_policy(&mut self, role: &str, arn: &str) -> Result<(), AwsError> {
        use cloud::iam::RolePolicyArnRequest;
        self.0
            .typed(|c| {
                c.iam().detach_role_policy(RolePolicyArnRequest {
                    role_name: role.into(),
                    policy_arn: arn.into(),
                })
            })
            .map(drop)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use awscli::Session;

    use super::Probe;

    /// The probe's IAM reads come from cloud's typed answers: names, the parsed inline policy,
    /// attached ARNs and IAM's own errors.
    #[test]
    fn iam_reads_are_typed_answers() {
        let mut p = Probe::new(Session::new(9, 1_795_377_600_000), BTreeMap::new(), 0, 9);
        assert_eq!(
            p.iam("admin").role_policy_names("AppRole").unwrap(),
            ["AppKeyUse"]
        );
        let doc = p.iam("admin").role_policy("AppRole", "AppKeyUse").unwrap();
        assert!(
            doc.source()
                .starts_with(r#"{"Version":"2012-10-17","Statement":[{"Sid":"AppKeyUse","#)
        );
        assert!(
            p.iam("admin")
                .attached_role_policies("AppRole")
                .unwrap()
                .is_empty()
        );
        let arn = "arn:aws:iam::aws:policy/ReadOnlyAccess";
        let out = p.run(&format!(
            "aws iam attach-role-policy --role-name AppRole --policy-arn {arn}"
        ));
        assert_eq!(out.exit_code, 0, "{}", out.stderr);
        assert_eq!(
            p.iam("admin").attached_role_policies("AppRole").unwrap(),
            [arn]
        );
        p.iam("admin").detach_role_policy("AppRole", arn).unwrap();
        p.iam("admin")
            .delete_role_policy("AppRole", "AppKeyUse")
            .unwrap();
        assert!(
            p.iam("admin")
                .role_policy_names("AppRole")
                .unwrap()
                .is_empty()
        );
        let e = p.iam("admin").role_policy_names("Nobody").unwrap_err();
        assert_eq!(e.code, "NoSuchEntity");
        assert_eq!(e.message, "The role with name Nobody cannot be found.");
    }
}
