//! `healthcare-design`: the study material's design exercise as an open scenario. No key ids
//! are given: the checks find the key each data store really uses (bucket default encryption
//! and objects, the default EBS key, the database's key) and grade properties of the design:
//! customer managed keys, one per data type, administrators separated from users, rotation, and
//! CloudTrail events that say who used which data type's key.

use cloud::AwsError;
use policy::{Limits, PolicyDocument, PolicyKind};
use serde_json::json;

use super::{Checks, PROD, allowed, denied};
use crate::scenario::probe::policies::allows_everyone;
use crate::scenario::{Probe, Seen, Verdict};

const BUCKET: &str = "clinic-imaging-111122223333";
const DB: &str = "clinic-records";
/// The scans in the bucket before the work starts (`setup.aws`).
const IMAGES: &[(&str, &str)] = &[
    ("scans/patient-0042/chest-xray.dcm", "DICM chest x-ray 0042"),
    ("scans/patient-0043/knee-mri.dcm", "DICM knee MRI 0043"),
];

pub(super) const CHECKS: Checks = Checks {
    id: "healthcare-design",
    objectives: &[
        ("images-cmk", images),
        ("volumes-cmk", volumes),
        ("database-cmk", database),
        ("key-per-type", one_key_per_type),
        ("admins-cannot-read", admins_cannot_read),
        ("users-cannot-administer", users_cannot_administer),
        ("rotation", rotation),
    ],
    wrong_turns: &[
        ("aws-managed-key", aws_managed),
        ("shared-key", shared_key),
        ("old-images", old_images),
        ("open-key-policy", open_policy),
    ],
    ..Checks::BASE
};

fn text(e: &AwsError) -> String {
    format!("{}: {}", e.code, e.message)
}

/// A key the design uses: its ARN, whether the customer manages it, and what the grader knows
/// of it without asking KMS as anyone (a design whose key policies admit no administrator user
/// is still graded).
#[derive(Clone, Debug, PartialEq)]
struct UsedKey {
    arn: String,
    customer: bool,
    alias_hint: String,
    rotation: bool,
    policy: Option<PolicyDocument>,
}

/// The key `key` (key id, key ARN, alias name or alias ARN) names in us-east-1, read from the
/// world's state (the grader's own view: no call, no authorization). An AWS managed alias that
/// has no key yet (alias/aws/ebs before first use) is an AWS managed key.
fn describe(p: &mut Probe, key: &str) -> Result<UsedKey, String> {
    let alias = key
        .strip_prefix("arn:aws:kms:us-east-1:111122223333:")
        .unwrap_or(key);
    let views = p.key_views(PROD, "us-east-1");
    let found = views.into_iter().find(|v| {
        v.metadata.key_id == key || v.metadata.arn == key || v.aliases.iter().any(|a| a == alias)
    });
    match found {
        Some(v) => Ok(UsedKey {
            customer: v.metadata.key_manager == "CUSTOMER",
            arn: v.metadata.arn,
            alias_hint: key.to_owned(),
            rotation: v.rotation_enabled,
            policy: PolicyDocument::parse(&v.policy, PolicyKind::Resource, Limits::none()).ok(),
        }),
        None if alias.starts_with("alias/aws/") => Ok(UsedKey {
            arn: key.to_owned(),
            customer: false,
            alias_hint: key.to_owned(),
            rotation: true,
            policy: None,
        }),
        None => Err(format!("{key} names no KMS key in us-east-1")),
    }
}

/// The key new images get (bucket default encryption), if SSE-KMS.
fn image_key(p: &mut Probe) -> Result<UsedKey, String> {
    let rule = p.s3("admin").encryption(BUCKET).map_err(|e| text(&e))?;
    let d = rule.apply_server_side_encryption_by_default;
    let alg = Some(d.algorithm.as_str()).filter(|a| !a.is_empty());
    match (alg, d.kms_key.as_deref()) {
        (Some("aws:kms"), Some(k)) => describe(p, k),
        (Some("aws:kms"), None) => describe(p, "alias/aws/s3"),
        (alg, _) => Err(format!(
            "new uploads get {} (no KMS key)",
            match alg {
                Some("AES256") => "SSE-S3, AES256",
                Some(other) => other,
                None => "no default encryption",
            }
        )),
    }
}

/// The key new EBS volumes get, if encryption by default is on.
fn volume_key(p: &mut Probe) -> Result<UsedKey, String> {
    let on = p
        .ec2("admin")
        .encryption_by_default()
        .map_err(|e| text(&e))?;
    if !on {
        return Err("EBS encryption by default is off: new volumes are not encrypted".into());
    }
    let id = p
        .ec2("admin")
        .default_kms_key_id()
        .map_err(|e| text(&e))?
        .unwrap_or_else(|| "alias/aws/ebs".to_owned());
    describe(p, &id)
}

/// The key of the production database.
fn database_key(p: &mut Probe) -> Result<UsedKey, String> {
    let i = p
        .rds("admin")
        .instance(DB)
        .map_err(|_| format!("there is no DB instance {DB}"))?;
    if !i.storage_encrypted {
        return Err(format!("{DB} is not encrypted"));
    }
    describe(p, &i.kms_key_id)
}

fn customer_managed(what: &str, k: Result<UsedKey, String>) -> Verdict {
    match k {
        Ok(k) if k.customer => Verdict::pass(format!("{what}: customer managed key {}.", k.arn)),
        Ok(k) => Verdict::fail(format!(
            "{what}: the AWS managed key {} (its policy cannot be changed, so duties cannot be separated on it).",
            k.arn
        )),
        Err(e) => Verdict::fail(format!("{what}: {e}.")),
    }
}

fn images(p: &mut Probe) -> Verdict {
    let key = image_key(p);
    let v = customer_managed("New images", key.clone());
    if !v.passed {
        return v;
    }
    let arn = key.map(|k| k.arn).unwrap_or_default();
    let keys = match p.s3("admin").object_keys(BUCKET) {
        Ok(keys) => keys,
        Err(e) => return Verdict::fail(format!("Listing the bucket failed: {}", text(&e))),
    };
    for k in &keys {
        let h = match p.s3("admin").head_object(BUCKET, k) {
            Ok(h) => h,
            Err(e) => return Verdict::fail(format!("HeadObject {k} failed: {}", text(&e))),
        };
        if h.server_side_encryption.as_deref() != Some("aws:kms")
            || h.kms_key_id.as_deref() != Some(arn.as_str())
        {
            return Verdict::fail(format!(
                "{k} is still encrypted with {} {}: default encryption applies to new objects only.",
                h.server_side_encryption.as_deref().unwrap_or("?"),
                h.kms_key_id.as_deref().unwrap_or("(SSE-S3)")
            ));
        }
    }
    v.and(|| {
        Verdict::pass(format!(
            "All {} objects in the bucket are SSE-KMS with it.",
            keys.len()
        ))
    })
}

fn volumes(p: &mut Probe) -> Verdict {
    let key = volume_key(p);
    let v = customer_managed("New EBS volumes", key.clone());
    if !v.passed {
        return v;
    }
    let arn = key.map(|k| k.arn).unwrap_or_default();
    match p.ec2("admin").create_volume(8) {
        Ok(vol) if vol.encrypted && vol.kms_key_id.as_deref() == Some(arn.as_str()) => {
            v.and(|| Verdict::pass("A volume created without options is encrypted with it."))
        }
        Ok(vol) => Verdict::fail(format!(
            "A volume created without options is not encrypted with it (Encrypted {}, key {}).",
            vol.encrypted,
            vol.kms_key_id
                .map_or_else(|| "null".to_owned(), |k| format!("\"{k}\""))
        )),
        Err(e) => Verdict::fail(format!("Creating a volume failed: {}", text(&e))),
    }
}

fn database(p: &mut Probe) -> Verdict {
    let v = customer_managed(&format!("Database {DB}"), database_key(p));
    if !v.passed {
        return v;
    }
    match p.rds("admin").instance(DB) {
        Ok(d) if d.engine == "mysql" => v,
        Ok(d) => Verdict::fail(format!(
            "{DB} runs \"{}\", the clinic's application needs MySQL.",
            d.engine
        )),
        Err(e) => Verdict::fail(text(&e)),
    }
}

/// The three keys, if every data store uses a customer managed key.
fn design_keys(p: &mut Probe) -> Result<[UsedKey; 3], String> {
    let found = [
        ("images", image_key(p)),
        ("volumes", volume_key(p)),
        ("database", database_key(p)),
    ];
    let mut keys = Vec::new();
    for (what, k) in found {
        match k {
            Ok(k) if k.customer => keys.push(k),
            _ => {
                return Err(format!(
                    "The {what} do not use a customer managed key yet; finish the first three objectives."
                ));
            }
        }
    }
    keys.try_into()
        .map_err(|_| "the three keys could not be found".to_owned())
}

fn one_key_per_type(p: &mut Probe) -> Verdict {
    let keys = match design_keys(p) {
        Ok(k) => k,
        Err(e) => return Verdict::fail(e),
    };
    let [s3k, ebs, rds] = &keys;
    if s3k.arn == ebs.arn || s3k.arn == rds.arn || ebs.arn == rds.arn {
        return Verdict::fail(
            "Two data types share a key: CloudTrail's KMS events cannot tell which data was used.",
        );
    }
    // AppRole reads a scan in the clone; its Decrypt must name AppRole and the image key.
    // Five minutes later any cached S3 Bucket Key has expired, so the read reaches KMS.
    p.settle();
    let seen = p.events_since_start().len();
    let Some(&(object, _)) = IMAGES.first() else {
        return Verdict::fail("No scan to read.");
    };
    if let Err(e) = p.s3("app").get_object(BUCKET, object) {
        return Verdict::fail(format!("AppRole cannot read {object}: {}", text(&e)));
    }
    let event = p
        .events_since_start()
        .into_iter()
        .skip(seen)
        .find(|e| e.name() == "Decrypt")
        .map(|e| (e.caller_arn().to_owned(), e.first_resource_arn().to_owned()));
    let Some((who, key)) = event else {
        return Verdict::fail("Reading a scan left no Decrypt event in CloudTrail.");
    };
    if who.contains("assumed-role/AppRole/") && key == s3k.arn {
        Verdict::pass(format!(
            "Three different keys; AppRole reading {object} shows in CloudTrail as Decrypt by {who} on the image key."
        ))
    } else {
        Verdict::fail(format!(
            "The Decrypt event for reading {object} shows {who} on {key}, not AppRole on the image key."
        ))
    }
}

/// `check` for each of the design's three keys (by ARN); the first failure names its key.
fn for_each_key(p: &mut Probe, check: fn(&mut Probe, &str) -> Verdict, all: &str) -> Verdict {
    let keys = match design_keys(p) {
        Ok(k) => k,
        Err(e) => return Verdict::fail(e),
    };
    for k in &keys {
        let v = check(p, &k.arn);
        if !v.passed {
            return Verdict::fail(format!("{} (key {})", v.evidence, k.arn));
        }
    }
    Verdict::pass(all)
}

/// A ciphertext under `arn`, made by AppRole (or Admin): what SecurityAdmin must not open.
fn test_ciphertext(p: &mut Probe, arn: &str) -> Result<String, String> {
    let record = b"patient record";
    p.kms("app")
        .encrypt(arn, record)
        .or_else(|_| p.kms("admin").encrypt(arn, record))
        .map_err(|e| e.code)
}

fn admins_cannot_read(p: &mut Probe) -> Verdict {
    for_each_key(
        p,
        |p, arn| {
            let blob = test_ciphertext(p, arn);
            allowed(
                p,
                "security-admin",
                "EnableKeyRotation",
                json!({ "KeyId": arn }),
            )
            .and(|| {
                denied(
                    p,
                    "security-admin",
                    "GenerateDataKey",
                    json!({ "KeyId": arn, "KeySpec": "AES_256" }),
                )
            })
            .and(|| match blob {
                Ok(b) => denied(
                    p,
                    "security-admin",
                    "Decrypt",
                    json!({ "CiphertextBlob": b }),
                )
                .and(|| {
                    denied(
                        p,
                        "security-admin",
                        "ReEncrypt",
                        json!({ "CiphertextBlob": b, "DestinationKeyId": arn }),
                    )
                }),
                Err(code) => Verdict::fail(format!(
                    "Neither AppRole nor Admin can encrypt a test record under the key ({code})."
                )),
            })
        },
        "SecurityAdmin administers all three keys and is denied GenerateDataKey, Decrypt and ReEncrypt on each.",
    )
}

fn users_cannot_administer(p: &mut Probe) -> Verdict {
    for_each_key(
        p,
        |p, arn| {
            let policy = describe(p, arn)
                .ok()
                .and_then(|k| k.policy)
                .map(|d| d.source().to_owned())
                .unwrap_or_default();
            allowed(
                p,
                "app",
                "GenerateDataKey",
                json!({ "KeyId": arn, "KeySpec": "AES_256" }),
            )
            .and(|| denied(p, "app", "DisableKey", json!({ "KeyId": arn })))
            .and(|| {
                denied(
                    p,
                    "app",
                    "ScheduleKeyDeletion",
                    json!({ "KeyId": arn, "PendingWindowInDays": 7 }),
                )
            })
            .and(|| {
                denied(
                    p,
                    "app",
                    "PutKeyPolicy",
                    json!({ "KeyId": arn, "PolicyName": "default", "Policy": policy }),
                )
            })
        },
        "AppRole uses all three keys and is denied DisableKey, ScheduleKeyDeletion and PutKeyPolicy on each.",
    )
}

fn rotation(p: &mut Probe) -> Verdict {
    let keys = match design_keys(p) {
        Ok(k) => k,
        Err(e) => return Verdict::fail(e),
    };
    if let Some(k) = keys.iter().find(|k| !k.rotation) {
        return Verdict::fail(format!("Automatic rotation is off for {}.", k.arn));
    }
    Verdict::pass(
        "Automatic rotation is on for all three keys (every 365 days unless you chose another period).",
    )
}

// Wrong turns.

fn aws_managed(p: &mut Probe) -> Option<Seen> {
    let found = [
        ("new images", image_key(p)),
        ("new EBS volumes", volume_key(p)),
        ("the database", database_key(p)),
    ];
    let managed: Vec<String> = found
        .into_iter()
        .filter_map(|(what, k)| {
            k.ok()
                .filter(|k| !k.customer)
                .map(|k| format!("{what} ({})", k.alias_hint))
        })
        .collect();
    (!managed.is_empty()).then(|| Seen::it().with("WHICH", managed.join(", ")))
}

fn shared_key(p: &mut Probe) -> Option<Seen> {
    let found = [image_key(p), volume_key(p), database_key(p)];
    let arns: Vec<String> = found
        .into_iter()
        .filter_map(|k| k.ok().filter(|k| k.customer).map(|k| k.arn))
        .collect();
    let shared = arns
        .iter()
        .enumerate()
        .any(|(i, a)| arns.iter().skip(i + 1).any(|b| b == a));
    shared.then(Seen::it)
}

fn old_images(p: &mut Probe) -> Option<Seen> {
    let key = image_key(p).ok().filter(|k| k.customer)?;
    let (object, _) = IMAGES.first()?;
    let h = p.s3("admin").head_object(BUCKET, object).ok()?;
    (h.kms_key_id.as_deref() != Some(key.arn.as_str())).then(|| Seen::it().with("OBJECT", object))
}

fn open_policy(p: &mut Probe) -> Option<Seen> {
    let found = [image_key(p), volume_key(p), database_key(p)];
    found
        .into_iter()
        .flatten()
        .filter(|k| k.customer)
        .find(|k| k.policy.as_ref().is_some_and(allows_everyone))
        .map(|k| Seen::it().with("KEY", k.arn))
}

#[cfg(test)]
mod tests {
    use awscli::Session;

    use crate::START_MS;
    use crate::scenario;
    use crate::scenario::testing::{self, run};

    fn ids(s: &Session) -> Vec<&'static str> {
        testing::wrong_turn_ids(s, "healthcare-design")
    }

    #[test]
    fn wrong_turns_name_managed_keys_shared_keys_and_old_images() {
        let mut s = Session::new(6, START_MS);
        scenario::start(&mut s, "healthcare-design", 6).unwrap();
        assert!(ids(&s).is_empty());
        run(&mut s, "aws ec2 enable-ebs-encryption-by-default");
        assert_eq!(ids(&s), ["aws-managed-key"]);
        run(
            &mut s,
            "K=$(aws kms create-key --query KeyMetadata.KeyId --output text)",
        );
        run(
            &mut s,
            "aws ec2 modify-ebs-default-kms-key-id --kms-key-id $K",
        );
        run(
            &mut s,
            r#"aws s3api put-bucket-encryption --bucket clinic-imaging-111122223333 --server-side-encryption-configuration '{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"'$K'"}}]}'"#,
        );
        assert_eq!(ids(&s), ["shared-key", "old-images"]);
        let r = scenario::evaluate(&s, "healthcare-design").unwrap();
        assert_eq!(r[0].status, scenario::Status::Failed, "{r:#?}");
        assert!(r[0].evidence.contains("new objects only"), "{r:#?}");
        assert_eq!(r[1].status, scenario::Status::Passed, "{r:#?}");
    }

    #[test]
    fn an_administrator_who_keeps_decrypt_fails_and_strict_policies_are_still_graded() {
        let mut s = testing::started("healthcare-design", 8);
        scenario::solve(&mut s, "healthcare-design", Some("iam-separation")).unwrap();
        let all = testing::passed_ids(&s, "healthcare-design").len();
        assert_eq!(all, 7);
        let mut leaky = s.clone();
        run(
            &mut leaky,
            r#"aws iam put-role-policy --role-name SecurityAdmin --policy-name KeyAdministration --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["kms:Enable*","kms:Put*","kms:Decrypt"],"Resource":"*"}]}'"#,
        );
        let passed = testing::passed_ids(&leaky, "healthcare-design");
        assert!(!passed.contains(&"admins-cannot-read"), "{passed:?}");

        // Key policies that name only SecurityAdmin and AppRole (no root statement): Admin can no
        // longer describe the keys, and the grader still finds and grades them.
        let strict = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/SecurityAdmin"},"Action":["kms:Create*","kms:Describe*","kms:Enable*","kms:List*","kms:Put*","kms:Update*","kms:Revoke*","kms:Disable*","kms:Get*","kms:Delete*","kms:TagResource","kms:UntagResource","kms:ScheduleKeyDeletion","kms:CancelKeyDeletion","kms:RotateKeyOnDemand"],"Resource":"*"},{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/AppRole"},"Action":["kms:Encrypt","kms:Decrypt","kms:ReEncrypt*","kms:GenerateDataKey*","kms:DescribeKey"],"Resource":"*"}]}"#;
        // PutKeyPolicy takes a key id or ARN, not an alias; the solution left $VOLUMES_KEY, $DB_KEY.
        for key in ["$VOLUMES_KEY", "$DB_KEY"] {
            run(
                &mut s,
                &format!(
                    "aws kms put-key-policy --key-id {key} --policy-name default --bypass-policy-lockout-safety-check --policy '{strict}'"
                ),
            );
        }
        let out = s.run_line_in_memory("aws kms describe-key --key-id alias/clinic-rds");
        assert_ne!(out.exit_code, 0, "Admin is no longer in the key policy");
        let passed = testing::passed_ids(&s, "healthcare-design");
        assert!(
            passed.contains(&"rotation") && passed.contains(&"users-cannot-administer"),
            "{passed:?}"
        );
    }
}
