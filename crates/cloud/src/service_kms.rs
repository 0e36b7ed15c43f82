//! How a storage service (S3, EBS, RDS) calls KMS for its caller: as the caller, through the
//! service (`kms:ViaService`), in the resource's Region, with data keys bound to the resource by
//! an encryption context; and how the service reports a KMS failure (in its own error type `E`).
//! One copy for every service.

use base64::Engine as _;

use crate::World;
use crate::cloudtrail::CallAudit;
use crate::context::CallContext;
use crate::kms::model::{
    Blob, CreateGrantRequest, CreateGrantResponse, DecryptRequest, DescribeKeyRequest,
    EncryptionContext, GenerateDataKeyRequest, GenerateDataKeyResponse, KeyMetadata,
};
use crate::kms::{KmsError, KmsRequest, KmsResponse};

/// One service's way of using KMS; `E` is the service's error type.
pub(crate) struct ServiceKms<E> {
    /// The service name in `kms:ViaService` (`ec2`, `rds`).
    pub service: &'static str,
    /// The encryption-context key of its data keys (`aws:ebs:id`, `aws:rds:db-id`).
    pub context_key: &'static str,
    /// Turns a KMS error into the service's own (given the key the request named).
    pub map_err: fn(KmsError, &str) -> E,
    /// The service's internal error (KMS answered something never expected).
    pub internal: fn(String) -> E,
}

impl<E> ServiceKms<E> {
    /// A typed KMS request as `ctx` (in the Region of the resource: see [`in_region`]),
    /// through the service.
    pub(crate) fn call(
        &self,
        world: &mut World,
        ctx: &CallContext,
        req: KmsRequest,
        key: &str,
        audit: &mut CallAudit,
    ) -> Result<KmsResponse, E> {
        let via = ctx.via(self.service);
        if let Some(named) = named_key(&req)
            && self.names_own_managed_key(&via, named)
        {
            // The service's AWS managed key is created on first use, as in AWS.
            let now = world.now_ms();
            world
                .kms
                .aws_managed_key(
                    &via.account,
                    &via.region,
                    self.managed_key_service(),
                    now,
                    &mut world.rng,
                )
                .map_err(|e| (self.map_err)(e, key))?;
        }
        world
            .kms_on_behalf(&via, req, &mut audit.authorizations)
            .map_err(|e| (self.map_err)(e, key))
    }

    /// `GenerateDataKey` (with the plaintext) or `GenerateDataKeyWithoutPlaintext` of an AES-256
    /// data key for `context`, in `ctx`'s Region.
    pub(crate) fn data_key(
        &self,
        world: &mut World,
        ctx: &CallContext,
        key: &str,
        context: EncryptionContext,
        with_plaintext: bool,
        audit: &mut CallAudit,
    ) -> Result<GenerateDataKeyResponse, E> {
        let req = GenerateDataKeyRequest {
            key_id: key.to_owned(),
            key_spec: Some("AES_256".into()),
            encryption_context: Some(context),
            ..GenerateDataKeyRequest::default()
        };
        let req = if with_plaintext {
            KmsRequest::GenerateDataKey(req)
        } else {
            KmsRequest::GenerateDataKeyWithoutPlaintext(req)
        };
        match self.call(world, ctx, req, key, audit)? {
            KmsResponse::GenerateDataKey(r) | KmsResponse::GenerateDataKeyWithoutPlaintext(r) => {
                Ok(r)
            }
            other => Err((self.internal)(unexpected(&other))),
        }
    }

    /// `DescribeKey` of `key`: its metadata.
    pub(crate) fn describe_key(
        &self,
        world: &mut World,
        ctx: &CallContext,
        key: &str,
        audit: &mut CallAudit,
    ) -> Result<KeyMetadata, E> {
        let req = KmsRequest::DescribeKey(DescribeKeyRequest {
            key_id: key.to_owned(),
            ..DescribeKeyRequest::default()
        });
        match self.call(world, ctx, req, key, audit)? {
            KmsResponse::DescribeKey(r) => r
                .key_metadata
                .map(|m| *m)
                .ok_or_else(|| (self.internal)(unexpected_none("KeyMetadata"))),
            other => Err((self.internal)(unexpected(&other))),
        }
    }

    /// `CreateGrant` on `req.key_id`.
    pub(crate) fn create_grant(
        &self,
        world: &mut World,
        ctx: &CallContext,
        req: CreateGrantRequest,
        audit: &mut CallAudit,
    ) -> Result<CreateGrantResponse, E> {
        let key = req.key_id.clone();
        match self.call(world, ctx, KmsRequest::CreateGrant(req), &key, audit)? {
            KmsResponse::CreateGrant(r) => Ok(r),
            other => Err((self.internal)(unexpected(&other))),
        }
    }

    /// `Decrypt` of `blob` under `key` with `context`, in `ctx`'s Region: the plaintext.
    pub(crate) fn decrypt(
        &self,
        world: &mut World,
        ctx: &CallContext,
        req: DecryptRequest,
        audit: &mut CallAudit,
    ) -> Result<Blob, E> {
        let key = req.key_id.clone().unwrap_or_default();
        match self.call(world, ctx, KmsRequest::Decrypt(req), &key, audit)? {
            KmsResponse::Decrypt(mut r) => r
                .plaintext
                .take()
                .ok_or_else(|| (self.internal)(unexpected_none("Plaintext"))),
            other => Err((self.internal)(unexpected(&other))),
        }
    }

    /// The service of its AWS managed key (`alias/aws/ebs` for EC2, `alias/aws/rds`).
    fn managed_key_service(&self) -> &'static str {
        if self.service == "ec2" {
            "ebs"
        } else {
            self.service
        }
    }

    /// Whether `key_id` names the service's AWS managed key by its alias (name or ARN) in the
    /// caller's account and Region.
    fn names_own_managed_key(&self, ctx: &CallContext, key_id: &str) -> bool {
        let own = format!("aws/{}", self.managed_key_service());
        if let Some(alias) = key_id.strip_prefix("alias/") {
            return alias == own;
        }
        key_id
            .strip_prefix(&format!(
                "arn:aws:kms:{}:{}:alias/",
                ctx.region, ctx.account
            ))
            .is_some_and(|alias| alias == own)
    }

    /// The encryption context binding a data key to `resource`.
    pub(crate) fn context(&self, resource: &str) -> EncryptionContext {
        EncryptionContext::from([(self.context_key.to_owned(), resource.to_owned())])
    }

    /// A new data key for `resource` under `key` in the caller's Region: (key ARN, encrypted data
    /// key).
    pub(crate) fn new_data_key(
        &self,
        world: &mut World,
        ctx: &CallContext,
        key: &str,
        resource: &str,
        audit: &mut CallAudit,
    ) -> Result<(String, String), E> {
        let out = self.data_key(world, ctx, key, self.context(resource), false, audit)?;
        Ok((
            out.key_id.clone().unwrap_or_else(|| key.to_owned()),
            out.ciphertext_blob
                .as_ref()
                .map(|b| b64().encode(&b.0))
                .unwrap_or_default(),
        ))
    }

    /// `Decrypt` of a resource's data key: the caller must still be able to use the key.
    /// Nothing to do for an unencrypted resource.
    pub(crate) fn open(
        &self,
        world: &mut World,
        ctx: &CallContext,
        sealed: &Sealed<'_>,
        audit: &mut CallAudit,
    ) -> Result<(), E> {
        if let (Some(blob), Some(key)) = (sealed.blob, sealed.key) {
            let req = DecryptRequest {
                ciphertext_blob: stored_blob(blob),
                key_id: Some(key.clone()),
                encryption_context: Some(self.context(sealed.resource)),
                ..DecryptRequest::default()
            };
            self.decrypt(world, &in_region(ctx, sealed.region), req, audit)?;
        }
        Ok(())
    }
}

/// A resource's encrypted data key, as EBS and RDS keep it.
pub(crate) struct Sealed<'a> {
    /// The resource's Region (its key is there).
    pub region: &'a str,
    /// The encrypted data key, if the resource is encrypted.
    pub blob: Option<&'a String>,
    /// The KMS key ARN, if the resource is encrypted.
    pub key: Option<&'a String>,
    /// The id the data key is bound to (`aws:ebs:id` / `aws:rds:db-id`).
    pub resource: &'a str,
}

/// `ctx` acting in `region` (a resource's Region, for the KMS calls about it).
pub(crate) fn in_region(ctx: &CallContext, region: &str) -> CallContext {
    let mut c = ctx.clone();
    region.clone_into(&mut c.region);
    c
}

fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

/// A data key EBS and RDS keep as base64 text, as the blob KMS takes (an unreadable one is an
/// empty blob, which KMS rejects as `InvalidCiphertextException`).
pub(crate) fn stored_blob(text: &str) -> Blob {
    Blob(b64().decode(text.as_bytes()).unwrap_or_default())
}

/// The envelope a service keeps for a value it encrypted locally with a KMS data key: `magic`
/// (which service wrote it), the encrypted data key's length (2 bytes, big-endian), the
/// encrypted data key, a 12-byte nonce, then the AES-256-GCM ciphertext and tag of the value
/// with `aad` as additional authenticated data. `None` if the data key is not an AES-256 key.
pub(crate) fn seal_envelope(
    magic: &[u8; 4],
    data_key: &[u8],
    wrapped: &[u8],
    nonce: &[u8; 12],
    plaintext: &[u8],
    aad: &[u8],
) -> Option<Vec<u8>> {
    use aes_gcm::aead::{Aead, KeyInit, Payload};
    let cipher = aes_gcm::Aes256Gcm::new_from_slice(data_key).ok()?;
    let ct = cipher
        .encrypt(
            aes_gcm::Nonce::from_slice(nonce),
            Payload {
                msg: plaintext,
                aad,
            },
        )
        .ok()?;
    let len = u16::try_from(wrapped.len()).ok()?;
    let mut out = magic.to_vec();
    out.extend(len.to_be_bytes());
    out.extend(wrapped);
    out.extend(nonce);
    out.extend(ct);
    Some(out)
}

/// The parts of a [`seal_envelope`] envelope: (encrypted data key, nonce, ciphertext).
pub(crate) fn split_envelope<'a>(
    magic: &[u8; 4],
    sealed: &'a [u8],
) -> Option<(&'a [u8], &'a [u8], &'a [u8])> {
    let rest = sealed.strip_prefix(magic.as_slice())?;
    let (len, rest) = rest.split_at_checked(2)?;
    let len = usize::from(u16::from_be_bytes([*len.first()?, *len.get(1)?]));
    let (wrapped, rest) = rest.split_at_checked(len)?;
    let (nonce, ct) = rest.split_at_checked(12)?;
    Some((wrapped, nonce, ct))
}

/// Opens the ciphertext of an envelope with its decrypted data key; `None` if it does not open.
pub(crate) fn open_envelope(
    data_key: &[u8],
    nonce: &[u8],
    ct: &[u8],
    aad: &[u8],
) -> Option<Vec<u8>> {
    use aes_gcm::aead::{Aead, KeyInit, Payload};
    let cipher = aes_gcm::Aes256Gcm::new_from_slice(data_key.get(..32)?).ok()?;
    if nonce.len() != 12 {
        return None;
    }
    cipher
        .decrypt(aes_gcm::Nonce::from_slice(nonce), Payload { msg: ct, aad })
        .ok()
}

/// The key a request names (`KeyId`), if any.
fn named_key(req: &KmsRequest) -> Option<&str> {
    match req {
        KmsRequest::DescribeKey(r) => Some(&r.key_id),
        KmsRequest::GenerateDataKey(r) | KmsRequest::GenerateDataKeyWithoutPlaintext(r) => {
            Some(&r.key_id)
        }
        KmsRequest::Decrypt(r) => r.key_id.as_deref(),
        KmsRequest::CreateGrant(r) => Some(&r.key_id),
        KmsRequest::RetireGrant(r) => r.key_id.as_deref(),
        _ => None,
    }
}

/// KMS answered another operation than asked (never expected): the internal error's message.
fn unexpected(resp: &KmsResponse) -> String {
    format!("KMS answered {}", resp.operation())
}

/// KMS left out a member it always sends (never expected): the internal error's message.
fn unexpected_none(member: &str) -> String {
    format!("KMS returned no {member}")
}

/// The request's condition keys plus `aws:SourceArn` when a service principal calls KMS for
/// one of its resources. That resource is the context's [`CallContext::source_arn`] (an SNS
/// topic delivering to an SSE-KMS queue, an EventBridge rule invoking one), sent with
/// `aws:SourceAccount`; otherwise the one the service binds in the encryption context
/// (`aws:cloudtrail:arn`, `aws:logs:arn`), which is also the `aws:SourceArn` its key-policy
/// statements use
/// (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html>).
/// `None` when nothing is added.
pub(crate) fn with_source_arn(
    ctx: &CallContext,
    conditions: &crate::kms::RequestConditions,
) -> Option<crate::kms::RequestConditions> {
    if ctx.identity_type != crate::context::IdentityType::AWSService
        || conditions.extra.iter().any(|(k, _)| k == "aws:SourceArn")
    {
        return None;
    }
    if let Some(source) = &ctx.source_arn {
        let account = source.split(':').nth(4).unwrap_or_default().to_owned();
        return Some(
            conditions
                .clone()
                .with("aws:SourceArn", vec![source.clone()])
                .with("aws:SourceAccount", vec![account]),
        );
    }
    let service = ctx.principal_arn.split('.').next()?;
    let source = conditions
        .encryption_context
        .as_ref()?
        .get(&format!("aws:{service}:arn"))?;
    Some(
        conditions
            .clone()
            .with("aws:SourceArn", vec![source.clone()]),
    )
}
