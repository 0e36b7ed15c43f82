//! EBS encryption by default and the default EBS KMS key, per account and Region.

use super::error::required;
use super::model::{
    EbsEncryptionByDefaultResponse, KmsKeyIdResponse, ModifyEbsDefaultKmsKeyIdRequest,
};
use super::{Ec2Error, KMS, slot};
use crate::World;
use crate::cloudtrail::CallAudit;
use crate::context::CallContext;

/// `Enable/DisableEbsEncryptionByDefault`.
pub(super) fn set_encryption(
    world: &mut World,
    ctx: &CallContext,
    on: bool,
) -> EbsEncryptionByDefaultResponse {
    world.services.ec2.defaults.entry(slot(ctx)).or_default().enabled = on;
    EbsEncryptionByDefaultResponse {
        ebs_encryption_by_default: on,
        sse_type: None,
    }
}

pub(super) fn get_encryption(world: &World, ctx: &CallContext) -> EbsEncryptionByDefaultResponse {
    let on = world
        .services.ec2
        .defaults
        .get(&slot(ctx))
        .is_some_and(|d| d.enabled);
    EbsEncryptionByDefaultResponse {
        ebs_encryption_by_default: on,
        sse_type: Some("sse-ebs".into()),
    }
}

pub(super) fn modify_key(
    world: &mut World,
    ctx: &CallContext,
    r: &ModifyEbsDefaultKmsKeyIdRequest,
    audit: &mut CallAudit,
) -> Result<KmsKeyIdResponse, Ec2Error> {
    let id = required(&r.kms_key_id, "KmsKeyId")?;
    // EBS checks the key through KMS (DescribeKey) and keeps its ARN.
    let md = KMS.describe_key(world, ctx, id, audit)?;
    if md.key_spec != "SYMMETRIC_DEFAULT" {
        return Err(Ec2Error::InvalidParameterValue(
            "The specified KMS key is not a symmetric encryption key: EBS supports only symmetric keys".into(),
        ));
    }
    let arn = md.arn;
    world.services.ec2.defaults.entry(slot(ctx)).or_default().kms_key = Some(arn.clone());
    Ok(KmsKeyIdResponse { kms_key_id: arn })
}

/// `GetEbsDefaultKmsKeyId`: the configured key's ARN, or `alias/aws/ebs` while none is set
/// (the get-ebs-default-kms-key-id reference: the default is the AWS managed key, shown as its
/// alias).
pub(super) fn get_key(world: &World, ctx: &CallContext) -> KmsKeyIdResponse {
    KmsKeyIdResponse {
        kms_key_id: world
            .services
            .ec2
            .defaults
            .get(&slot(ctx))
            .and_then(|d| d.kms_key.clone())
            .unwrap_or_else(|| "alias/aws/ebs".into()),
    }
}

/// `ResetEbsDefaultKmsKeyId`: back to `aws/ebs`, answered with that key's ARN.
pub(super) fn reset_key(world: &mut World, ctx: &CallContext) -> KmsKeyIdResponse {
    world.services.ec2.defaults.entry(slot(ctx)).or_default().kms_key = None;
    KmsKeyIdResponse {
        kms_key_id: super::managed_key_arn(world, ctx).unwrap_or_else(|_| "alias/aws/ebs".into()),
    }
}
