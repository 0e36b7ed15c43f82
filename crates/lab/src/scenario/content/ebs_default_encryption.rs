//! `ebs-default-encryption`: encryption by default for the account and Region, with the team's
//! customer managed key as the default EBS key.

use super::Checks;
use crate::scenario::{Probe, Seen, Verdict};

pub(super) const CHECKS: Checks = Checks {
    id: "ebs-default-encryption",
    objectives: &[("by-default", by_default), ("team-key", new_volume_key)],
    wrong_turns: &[("aws-managed-default", aws_managed_default)],
    ..Checks::BASE
};

fn by_default(p: &mut Probe) -> Verdict {
    match p.ec2("admin").encryption_by_default() {
        Ok(true) => Verdict::pass("Encryption by default is on in us-east-1."),
        Ok(false) => Verdict::fail("Encryption by default is off."),
        Err(e) => Verdict::fail(format!("GetEbsEncryptionByDefault failed: {}", e.code)),
    }
}

fn new_volume_key(p: &mut Probe) -> Verdict {
    let key = p.var("KEY_ID");
    match p.ec2("admin").create_volume(8) {
        Ok(v) if !v.encrypted => {
            Verdict::fail("A new volume created without options is not encrypted.")
        }
        Ok(v) if v.encrypted_with(&key) => {
            Verdict::pass("A new volume created without options is encrypted with alias/team-ebs.")
        }
        Ok(v) => Verdict::fail(format!(
            "A new volume is encrypted, but with {} instead of alias/team-ebs.",
            v.kms_key_id.as_deref().unwrap_or("another key")
        )),
        Err(e) => Verdict::fail(format!("Creating a volume failed: {}", e.code)),
    }
}

fn aws_managed_default(p: &mut Probe) -> Option<Seen> {
    let on = p.ec2("admin").encryption_by_default().ok()?;
    let name = p
        .ec2("admin")
        .default_kms_key_id()
        .ok()?
        .unwrap_or_default();
    (on && name.contains("alias/aws/ebs")).then(Seen::it)
}
