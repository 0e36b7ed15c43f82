//! `healthcare-design`: the study material's design exercise as an open scenario. No key ids
//! are given: the checks find the key each data store really uses (bucket default encryption
//! and objects, the default EBS key, the database's key) and grade properties of the design:
//! customer managed keys, one per data type, administrators separated from users, rotation, and
//! CloudTrail events that say who used which data type's key.

use serde_json::{Value, json};

use super::{PROD, allowed, denied};
use crate::scenario::probe::allows_everyone;
use crate::scenario::{
    Availability, Difficulty, Hint, Objective, Probe, Scenario, Solution, Verdict, WrongTurn,
};

const BUCKET: &str = "clinic-imaging-111122223333";
const DB: &str = "clinic-records";
const APP_ROLE_ARN: &str = "arn:aws:iam::111122223333:role/AppRole";
/// The scans in the bucket before the work starts.
const IMAGES: &[(&str, &str)] = &[
    ("scans/patient-0042/chest-xray.dcm", "DICM chest x-ray 0042"),
    ("scans/patient-0043/knee-mri.dcm", "DICM knee MRI 0043"),
];

const BROAD: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Prototype","Effect":"Allow","Action":"kms:*","Resource":"*"}]}"#;

fn setup(_seed: u64) -> String {
    let mut s = format!(
        "\
aws s3api create-bucket --bucket {BUCKET}
aws iam put-role-policy --role-name AppRole --policy-name ClinicImaging --policy-document '{{\"Version\":\"2012-10-17\",\"Statement\":[{{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:PutObject\"],\"Resource\":\"arn:aws:s3:::{BUCKET}/*\"}},{{\"Effect\":\"Allow\",\"Action\":\"s3:ListBucket\",\"Resource\":\"arn:aws:s3:::{BUCKET}\"}}]}}'
aws iam put-role-policy --role-name AppRole --policy-name AppKeyUse --policy-document '{BROAD}'
aws iam put-role-policy --role-name SecurityAdmin --policy-name KeyAdministration --policy-document '{BROAD}'
"
    );
    for (i, (key, body)) in IMAGES.iter().enumerate() {
        s.push_str(&format!(
            "echo '{body}' > scan{i}.dcm\naws s3api put-object --bucket {BUCKET} --key {key} --body scan{i}.dcm\n"
        ));
    }
    s
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
    policy: Option<Value>,
}

/// The key `key` (key id, key ARN, alias name or alias ARN) names in us-east-1, read from the
/// world's state (the grader's own view: no call, no authorization). An AWS managed alias that
/// has no key yet (alias/aws/ebs before first use) is an AWS managed key.
fn describe(p: &mut Probe, key: &str) -> Result<UsedKey, String> {
    let alias = key
        .strip_prefix("arn:aws:kms:us-east-1:111122223333:")
        .unwrap_or(key);
    let views = p.session.world.kms().key_views(PROD, "us-east-1");
    let found = views.into_iter().find(|v| {
        v.metadata.key_id == key || v.metadata.arn == key || v.aliases.iter().any(|a| a == alias)
    });
    match found {
        Some(v) => Ok(UsedKey {
            customer: v.metadata.key_manager == "CUSTOMER",
            arn: v.metadata.arn,
            alias_hint: key.to_owned(),
            rotation: v.rotation_enabled,
            policy: serde_json::from_str(&v.policy).ok(),
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

fn call(
    p: &mut Probe,
    profile: &str,
    service: &str,
    op: &str,
    input: Value,
) -> Result<Value, String> {
    p.call(profile, service, op, input)
        .map_err(|e| format!("{}: {}", e.code, e.message))
}

/// The key new images get (bucket default encryption), if SSE-KMS.
fn image_key(p: &mut Probe) -> Result<UsedKey, String> {
    let v = call(
        p,
        "admin",
        "s3",
        "GetBucketEncryption",
        json!({ "Bucket": BUCKET }),
    )?;
    let d = v
        .pointer("/ServerSideEncryptionConfiguration/Rules/0/ApplyServerSideEncryptionByDefault")
        .cloned()
        .unwrap_or_default();
    match (d["SSEAlgorithm"].as_str(), d["KMSMasterKeyID"].as_str()) {
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
    let on = call(p, "admin", "ec2", "GetEbsEncryptionByDefault", json!({}))?;
    if on["EbsEncryptionByDefault"] != true {
        return Err("EBS encryption by default is off: new volumes are not encrypted".into());
    }
    let k = call(p, "admin", "ec2", "GetEbsDefaultKmsKeyId", json!({}))?;
    let id = k["KmsKeyId"].as_str().unwrap_or("alias/aws/ebs").to_owned();
    describe(p, &id)
}

/// The key of the production database.
fn database_key(p: &mut Probe) -> Result<UsedKey, String> {
    let v = call(
        p,
        "admin",
        "rds",
        "DescribeDBInstances",
        json!({ "DBInstanceIdentifier": DB }),
    )
    .map_err(|_| format!("there is no DB instance {DB}"))?;
    let i = v["DBInstances"][0].clone();
    if i["StorageEncrypted"] != true {
        return Err(format!("{DB} is not encrypted"));
    }
    describe(p, i["KmsKeyId"].as_str().unwrap_or_default())
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
    let listed = match call(
        p,
        "admin",
        "s3",
        "ListObjectsV2",
        json!({ "Bucket": BUCKET }),
    ) {
        Ok(l) => l,
        Err(e) => return Verdict::fail(format!("Listing the bucket failed: {e}")),
    };
    let keys: Vec<String> = listed["Contents"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|o| o["Key"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    for k in &keys {
        let h = match call(
            p,
            "admin",
            "s3",
            "HeadObject",
            json!({ "Bucket": BUCKET, "Key": k }),
        ) {
            Ok(h) => h,
            Err(e) => return Verdict::fail(format!("HeadObject {k} failed: {e}")),
        };
        if h["ServerSideEncryption"] != "aws:kms" || h["SSEKMSKeyId"] != arn.as_str() {
            return Verdict::fail(format!(
                "{k} is still encrypted with {} {}: default encryption applies to new objects only.",
                h["ServerSideEncryption"].as_str().unwrap_or("?"),
                h["SSEKMSKeyId"].as_str().unwrap_or("(SSE-S3)")
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
    match call(p, "admin", "ec2", "CreateVolume", json!({ "Size": 8 })) {
        Ok(vol) if vol["Encrypted"] == true && vol["KmsKeyId"] == arn.as_str() => {
            v.and(|| Verdict::pass("A volume created without options is encrypted with it."))
        }
        Ok(vol) => Verdict::fail(format!(
            "A volume created without options is not encrypted with it (Encrypted {}, key {}).",
            vol["Encrypted"], vol["KmsKeyId"]
        )),
        Err(e) => Verdict::fail(format!("Creating a volume failed: {e}")),
    }
}

fn database(p: &mut Probe) -> Verdict {
    let v = customer_managed(&format!("Database {DB}"), database_key(p));
    if !v.passed {
        return v;
    }
    match call(
        p,
        "admin",
        "rds",
        "DescribeDBInstances",
        json!({ "DBInstanceIdentifier": DB }),
    ) {
        Ok(d) if d["DBInstances"][0]["Engine"] == "mysql" => v,
        Ok(d) => Verdict::fail(format!(
            "{DB} runs {}, the clinic's application needs MySQL.",
            d["DBInstances"][0]["Engine"]
        )),
        Err(e) => Verdict::fail(e),
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
    let (object, _) = IMAGES[0];
    if let Err(e) = call(
        p,
        "app",
        "s3",
        "GetObject",
        json!({ "Bucket": BUCKET, "Key": object }),
    ) {
        return Verdict::fail(format!("AppRole cannot read {object}: {e}"));
    }
    let event = p
        .events_since_start()
        .into_iter()
        .skip(seen)
        .find(|e| e.event_name == "Decrypt")
        .map(|e| e.record.clone());
    let Some(e) = event else {
        return Verdict::fail("Reading a scan left no Decrypt event in CloudTrail.");
    };
    let who = e["userIdentity"]["arn"].as_str().unwrap_or_default();
    let key = e["resources"][0]["ARN"].as_str().unwrap_or_default();
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
    let input = json!({ "KeyId": arn, "Plaintext": "cGF0aWVudCByZWNvcmQ=" });
    p.kms("app", "Encrypt", input.clone())
        .or_else(|_| p.kms("admin", "Encrypt", input))
        .map(|v| v["CiphertextBlob"].as_str().unwrap_or_default().to_owned())
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
                .map(|v| v.to_string())
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

fn aws_managed(p: &mut Probe) -> Option<String> {
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
    (!managed.is_empty()).then(|| {
        format!(
            "{} use an AWS managed key. AWS managed keys are simple, but their key policy cannot be edited, \
so you cannot keep the security team out of the data or limit which application uses them; and \
snapshots encrypted with them cannot be shared. Compliance with separated duties needs customer managed keys.",
            managed.join(", ")
        )
    })
}

fn shared_key(p: &mut Probe) -> Option<String> {
    let found = [image_key(p), volume_key(p), database_key(p)];
    let arns: Vec<String> = found
        .into_iter()
        .filter_map(|k| k.ok().filter(|k| k.customer).map(|k| k.arn))
        .collect();
    let shared = (0..arns.len()).any(|i| arns[i + 1..].contains(&arns[i]));
    shared.then(|| {
        "One customer managed key serves several data types. It is cheaper (each key costs $1 a month, up to $3 after two rotations), but \
CloudTrail then cannot tell whether someone read images or database backups, and anyone allowed to use \
the key for one data type can use it for all. The reference design uses one key per data type."
            .to_owned()
    })
}

fn old_images(p: &mut Probe) -> Option<String> {
    let key = image_key(p).ok().filter(|k| k.customer)?;
    let (object, _) = IMAGES[0];
    let h = call(
        p,
        "admin",
        "s3",
        "HeadObject",
        json!({ "Bucket": BUCKET, "Key": object }),
    )
    .ok()?;
    (h["SSEKMSKeyId"] != key.arn.as_str()).then(|| {
        format!(
            "New images get the image key, but {object} and the other existing scans keep their old \
encryption: bucket default encryption applies only to objects written after it. Copy them in place \
(aws s3api copy-object with --server-side-encryption aws:kms and the key) to re-encrypt them."
        )
    })
}

fn open_policy(p: &mut Probe) -> Option<String> {
    let found = [image_key(p), volume_key(p), database_key(p)];
    for k in found.into_iter().flatten().filter(|k| k.customer) {
        if k.policy.as_ref().is_some_and(allows_everyone) {
            return Some(format!(
                "The key policy of {} allows everyone (\"Principal\": \"*\" without a condition). Name the \
administrators and users instead.",
                k.arn
            ));
        }
    }
    None
}

/// Three keys with aliases and rotation; the data stores use them.
fn keys_and_stores() -> String {
    format!(
        "\
IMAGES_KEY=$(aws kms create-key --description \"Clinic: medical images (S3)\" --tags TagKey=data-type,TagValue=images --query KeyMetadata.KeyId --output text)
aws kms create-alias --alias-name alias/clinic-images --target-key-id $IMAGES_KEY
VOLUMES_KEY=$(aws kms create-key --description \"Clinic: application servers (EBS)\" --tags TagKey=data-type,TagValue=volumes --query KeyMetadata.KeyId --output text)
aws kms create-alias --alias-name alias/clinic-ebs --target-key-id $VOLUMES_KEY
DB_KEY=$(aws kms create-key --description \"Clinic: records database (RDS)\" --tags TagKey=data-type,TagValue=records --query KeyMetadata.KeyId --output text)
aws kms create-alias --alias-name alias/clinic-rds --target-key-id $DB_KEY
aws kms enable-key-rotation --key-id $IMAGES_KEY
aws kms enable-key-rotation --key-id $VOLUMES_KEY
aws kms enable-key-rotation --key-id $DB_KEY
aws s3api put-bucket-encryption --bucket {BUCKET} --server-side-encryption-configuration '{{\"Rules\":[{{\"ApplyServerSideEncryptionByDefault\":{{\"SSEAlgorithm\":\"aws:kms\",\"KMSMasterKeyID\":\"alias/clinic-images\"}},\"BucketKeyEnabled\":true}}]}}'
{}aws ec2 enable-ebs-encryption-by-default
aws ec2 modify-ebs-default-kms-key-id --kms-key-id alias/clinic-ebs
aws rds create-db-instance --db-instance-identifier {DB} --db-instance-class db.t3.medium --engine mysql --allocated-storage 100 --master-username clinic --master-user-password change-me-now --storage-encrypted --kms-key-id alias/clinic-rds
",
        IMAGES
            .iter()
            .map(|(key, _)| format!(
                "aws s3api copy-object --bucket {BUCKET} --key {key} --copy-source {BUCKET}/{key} --server-side-encryption aws:kms --ssekms-key-id alias/clinic-images\n"
            ))
            .collect::<String>()
    )
}

const ADMIN_ACTIONS: &str = r#"["kms:Create*","kms:Describe*","kms:Enable*","kms:List*","kms:Put*","kms:Update*","kms:Revoke*","kms:Disable*","kms:Get*","kms:Delete*","kms:TagResource","kms:UntagResource","kms:ScheduleKeyDeletion","kms:CancelKeyDeletion","kms:RotateKeyOnDemand"]"#;
const USE_ACTIONS: &str =
    r#"["kms:Encrypt","kms:Decrypt","kms:ReEncrypt*","kms:GenerateDataKey*","kms:DescribeKey"]"#;

fn solution_iam(_: u64) -> Option<String> {
    Some(format!(
        "{}aws iam put-role-policy --role-name SecurityAdmin --policy-name KeyAdministration --policy-document '{{\"Version\":\"2012-10-17\",\"Statement\":[{{\"Effect\":\"Allow\",\"Action\":{ADMIN_ACTIONS},\"Resource\":\"*\"}}]}}'
aws iam put-role-policy --role-name AppRole --policy-name AppKeyUse --policy-document '{{\"Version\":\"2012-10-17\",\"Statement\":[{{\"Effect\":\"Allow\",\"Action\":{USE_ACTIONS},\"Resource\":\"*\"}}]}}'
",
        keys_and_stores()
    ))
}

/// Key policies with explicit denies: they hold whatever IAM policies say.
fn solution_key_policies(_: u64) -> Option<String> {
    let policy = format!(
        "{{\"Version\":\"2012-10-17\",\"Statement\":[\
{{\"Sid\":\"Enable IAM User Permissions\",\"Effect\":\"Allow\",\"Principal\":{{\"AWS\":\"arn:aws:iam::111122223333:root\"}},\"Action\":\"kms:*\",\"Resource\":\"*\"}},\
{{\"Sid\":\"KeyAdministratorsDoNotUseTheKey\",\"Effect\":\"Deny\",\"Principal\":{{\"AWS\":\"arn:aws:iam::111122223333:role/SecurityAdmin\"}},\"Action\":[\"kms:Encrypt\",\"kms:Decrypt\",\"kms:ReEncrypt*\",\"kms:GenerateDataKey*\"],\"Resource\":\"*\"}},\
{{\"Sid\":\"KeyUsersDoNotAdministerTheKey\",\"Effect\":\"Deny\",\"Principal\":{{\"AWS\":\"{APP_ROLE_ARN}\"}},\"Action\":{ADMIN_ACTIONS},\"Resource\":\"*\"}}]}}"
    );
    let mut s = keys_and_stores();
    for var in ["IMAGES_KEY", "VOLUMES_KEY", "DB_KEY"] {
        s.push_str(&format!(
            "aws kms put-key-policy --key-id ${var} --policy-name default --policy '{policy}'\n"
        ));
    }
    Some(s)
}

pub(super) const SCENARIO: Scenario = Scenario {
    id: "healthcare-design",
    title: "Design encryption for a healthcare workload",
    exam: "SAA-C03 Domain 1 (Design Secure Architectures); SOA-C03 Domain 4 (Security and Compliance)",
    difficulty: Difficulty::Advanced,
    minutes: 40,
    availability: Availability::Playable,
    story: "A healthcare startup keeps raw medical images in the S3 bucket clinic-imaging-111122223333 \
(two scans are already there), will launch application servers on EC2 with EBS volumes in us-east-1 next \
week, and needs its production MySQL database, clinic-records, created now. All patient data must be \
encrypted at rest, auditors want to see which team used which type of data, and the team has little ops \
capacity. The prototype gave both roles kms:* in IAM: SecurityAdmin (the security team, profile \
security-admin) should administer keys, AppRole (the application, profile app) should use them.\n\n\
Design and build it: how many keys, which kind, who administers and who uses each. There are no given key \
ids: the grader finds the keys your bucket, volumes and database really use, and checks the design's \
properties by running operations.",
    setup,
    record_vars: &[],
    files: &[],
    objectives: &[
        Objective {
            id: "images-cmk",
            text: "Every image in clinic-imaging, old and new, is SSE-KMS with a customer managed key.",
            success: "Bucket default encryption covers new objects; existing ones are re-encrypted by copying them in place.",
            check: images,
            pending: None,
        },
        Objective {
            id: "volumes-cmk",
            text: "New EBS volumes in us-east-1 are encrypted with a customer managed key, even if nobody asks for it.",
            success: "Encryption by default plus a customer managed default EBS key: per account and Region.",
            check: volumes,
            pending: None,
        },
        Objective {
            id: "database-cmk",
            text: "The MySQL database clinic-records exists, encrypted with a customer managed key.",
            success: "RDS encryption is chosen at creation; its automated backups, snapshots and same-Region read replicas use the same key.",
            check: database,
            pending: None,
        },
        Objective {
            id: "key-per-type",
            text: "One key per data type: CloudTrail shows which role used which type of data.",
            success: "Separate keys make every KMS event name the data type, and let each key's policy name its own users.",
            check: one_key_per_type,
            pending: None,
        },
        Objective {
            id: "admins-cannot-read",
            text: "SecurityAdmin administers all three keys but cannot use them to encrypt or decrypt.",
            success: "Key administrators manage the key's life, not the data.",
            check: admins_cannot_read,
            pending: None,
        },
        Objective {
            id: "users-cannot-administer",
            text: "AppRole uses all three keys but cannot disable, delete or re-policy them.",
            success: "Key users get cryptographic operations only.",
            check: users_cannot_administer,
            pending: None,
        },
        Objective {
            id: "rotation",
            text: "Automatic rotation is on for all three keys.",
            success: "Rotation keeps old material for old data, so applications keep working unchanged.",
            check: rotation,
            pending: None,
        },
    ],
    hints: &[
        Hint {
            text: "The reference design from the study guide: three customer managed keys, one each for S3, EBS and RDS, with aliases such as alias/clinic-images.",
            cost: 10,
        },
        Hint {
            text: "Wire them in: `aws s3api put-bucket-encryption` (and copy the two existing scans in place), `aws ec2 enable-ebs-encryption-by-default` + `modify-ebs-default-kms-key-id`, `aws rds create-db-instance ... --engine mysql --storage-encrypted --kms-key-id`.",
            cost: 20,
        },
        Hint {
            text: "Separate duties either in IAM (replace the kms:* inline policies KeyAdministration on SecurityAdmin and AppKeyUse on AppRole) or in each key policy with explicit Deny statements, which win over any IAM allow.",
            cost: 20,
        },
    ],
    wrong_turns: &[
        WrongTurn {
            id: "aws-managed-key",
            detect: aws_managed,
        },
        WrongTurn {
            id: "shared-key",
            detect: shared_key,
        },
        WrongTurn {
            id: "old-images",
            detect: old_images,
        },
        WrongTurn {
            id: "open-key-policy",
            detect: open_policy,
        },
    ],
    solutions: &[
        Solution {
            route: "iam-separation",
            script: solution_iam,
        },
        Solution {
            route: "key-policy-denies",
            script: solution_key_policies,
        },
    ],
    debrief: "The reference design is three customer managed keys, one per data store: images (S3), \
application volumes (EBS) and the records database (RDS). Customer managed, because compliance asks for \
control: you write the key policy, choose the rotation period, can disable the key, and see every use in \
CloudTrail under your own key. One key per data type, because each KMS event (Decrypt by AppRole on \
alias/clinic-images) then says which data was touched, and a mistake in one key's policy exposes one data \
type, not all. Duties are separated: SecurityAdmin manages the keys but cannot decrypt, AppRole uses them \
but cannot disable, delete or re-policy them; do it in IAM, or in the key policy with explicit denies that \
hold whatever IAM says. Separation is not absolute: an administrator with kms:Put* or kms:Create* \
can rewrite the policy or create a grant for itself, so alarm on PutKeyPolicy and CreateGrant in \
CloudTrail. The trade-off: $1 per key per month (up to $3 once rotated twice) plus requests (Bucket Keys cut the S3 share), \
and three policies to keep, versus one shared key that is cheaper but blind to data types, or AWS managed \
keys that need no work but allow no separation. Remember what is fixed at creation: an RDS instance's \
encryption and key, an EBS volume's key; existing S3 objects keep their encryption until copied.",
    docs: &[
        "https://docs.aws.amazon.com/kms/latest/developerguide/overview.html",
        "https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-mgmt",
        "https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html",
        "https://docs.aws.amazon.com/kms/latest/developerguide/logging-using-cloudtrail.html",
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html",
        "https://docs.aws.amazon.com/ebs/latest/userguide/encryption-by-default.html",
    ],
    needs_enforcement: super::always,
    diagnose_from_cloudtrail: super::never,
};

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
