//! How a storage service (EBS, RDS) calls KMS for its caller: as the caller, through the service
//! (`kms:ViaService`), in the resource's Region, with data keys bound to the resource by an
//! encryption context; and how the service reports a KMS failure. One copy for both services.

use serde_json::{Value, json};

use crate::World;
use crate::cloudtrail::CallAudit;
use crate::context::CallContext;
use crate::error::AwsError;
use crate::query_input::s;

/// One service's way of using KMS.
pub(crate) struct ServiceKms {
    /// The service name in `kms:ViaService` (`ec2`, `rds`).
    pub service: &'static str,
    /// The encryption-context key of its data keys (`aws:ebs:id`, `aws:rds:db-id`).
    pub context_key: &'static str,
    /// Turns a KMS error into the service's own (given the key the request named).
    pub map_err: fn(AwsError, &str) -> AwsError,
}

impl ServiceKms {
    /// `op` on KMS as `ctx` (in the Region of the resource: see [`in_region`]), through the
    /// service.
    pub(crate) fn call(
        &self,
        world: &mut World,
        ctx: &CallContext,
        op: &str,
        input: Value,
        key: &str,
        audit: &mut CallAudit,
    ) -> Result<Value, AwsError> {
        let via = ctx.via(self.service);
        if let Some(named) = input.get("KeyId").and_then(Value::as_str)
            && self.names_own_managed_key(&via, named)
        {
            // The service's AWS managed key is created on first use, as in AWS.
            world
                .aws_managed_key(&via.account, &via.region, self.managed_key_service())
                .map_err(|e| (self.map_err)(e, key))?;
        }
        world
            .kms_on_behalf(&via, op, input, &mut audit.authorizations)
            .map_err(|e| (self.map_err)(e, key))
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
    pub(crate) fn context(&self, resource: &str) -> Value {
        json!({ self.context_key: resource })
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
    ) -> Result<(String, String), AwsError> {
        let out = self.call(
            world,
            ctx,
            "GenerateDataKeyWithoutPlaintext",
            json!({ "KeyId": key, "KeySpec": "AES_256", "EncryptionContext": self.context(resource) }),
            key,
            audit,
        )?;
        Ok((
            s(&out, "KeyId").unwrap_or(key).to_owned(),
            s(&out, "CiphertextBlob").unwrap_or_default().to_owned(),
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
    ) -> Result<(), AwsError> {
        if let (Some(blob), Some(key)) = (sealed.blob, sealed.key) {
            self.call(
                world,
                &in_region(ctx, sealed.region),
                "Decrypt",
                json!({ "CiphertextBlob": blob, "KeyId": key, "EncryptionContext": self.context(sealed.resource) }),
                key,
                audit,
            )?;
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
