//! "Why?" cards: which gate stopped a failed call (key policy, IAM, grant, key state,
//! encryption context, a missing object, a parameter form) as a readable card with the AWS
//! documentation page, computed from the call's own recorded authorization decisions — never
//! from a re-run of the command on a later world.

use authz::EvaluationStep;
use cloud::{AuthorizationRecord, AwsError};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A "Why?" card.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WhyCard {
    /// The gate that stopped the call.
    pub gate: String,
    /// What happened and what to change, in a sentence or three.
    pub reading: String,
    /// The AWS documentation page.
    pub doc: String,
    /// The explanation of the call's own recorded denial (`AuthorizationRecord::text`).
    pub trace: Option<String>,
    /// The box of KMS's request-evaluation flowchart that stopped the call: the recorded KMS
    /// denial's gate, else what the error code points at ([`step_for_code`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<EvaluationStep>,
    /// The lab's explanation the service kept out of AWS's message ([`cloud::AwsError::hint`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

/// The flowchart box an error code points at, when no recorded decision says more: an access
/// denial is an implicit deny, a disabled or pending key is the key state, a bad ciphertext is
/// Decrypt's own check.
pub fn step_for_code(code: &str) -> Option<EvaluationStep> {
    match code.strip_prefix("KMS.").unwrap_or(code) {
        "AccessDeniedException" | "AccessDenied" => Some(EvaluationStep::ImplicitDeny),
        "DisabledException" | "KMSInvalidStateException" => Some(EvaluationStep::KeyState),
        "InvalidCiphertextException" => Some(EvaluationStep::Context),
        _ => None,
    }
}

/// A failed call, as the session made it.
#[derive(Clone, Copy, Debug)]
pub struct Failure<'a> {
    /// The service (`kms`, `s3api`/`s3`, `ec2`, `rds`, …).
    pub service: &'a str,
    /// The API operation (`Decrypt`, `GetObject`, …).
    pub operation: &'a str,
    /// The request, in AWS JSON shape.
    pub input: &'a Value,
    /// The error the call answered.
    pub error: &'a AwsError,
    /// The authorization decisions the call took, in order ([`cloud::World::call_recorded`]).
    pub decisions: &'a [AuthorizationRecord],
}

const ACCESS_DOC: &str =
    "https://docs.aws.amazon.com/kms/latest/developerguide/determining-access.html";
const KEY_STATE_DOC: &str = "https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html";
const EBS_DOC: &str =
    "https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption-requirements.html";
const RDS_DOC: &str =
    "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.Keys.html";

/// KMS operations whose key parameter takes only a key ID or key ARN — not an alias name or
/// alias ARN — according to the parameter's documentation in the KMS API model
/// (`kms-2014-11-01.service-2.json`: "Specify the key ID or key ARN of the KMS key", or "Alias
/// names are not supported"), with the parameter that names the key.
const NO_ALIAS: &[(&str, &str)] = &[
    ("CancelKeyDeletion", "KeyId"),
    ("CreateAlias", "TargetKeyId"),
    ("CreateGrant", "KeyId"),
    ("DeleteImportedKeyMaterial", "KeyId"),
    ("DisableKey", "KeyId"),
    ("DisableKeyRotation", "KeyId"),
    ("EnableKey", "KeyId"),
    ("EnableKeyRotation", "KeyId"),
    ("GetKeyLastUsage", "KeyId"),
    ("GetKeyPolicy", "KeyId"),
    ("GetKeyRotationStatus", "KeyId"),
    ("GetParametersForImport", "KeyId"),
    ("ImportKeyMaterial", "KeyId"),
    ("ListAliases", "KeyId"),
    ("ListGrants", "KeyId"),
    ("ListKeyPolicies", "KeyId"),
    ("ListKeyRotations", "KeyId"),
    ("ListResourceTags", "KeyId"),
    ("PutKeyPolicy", "KeyId"),
    ("ReplicateKey", "KeyId"),
    ("RetireGrant", "KeyId"),
    ("RevokeGrant", "KeyId"),
    ("RotateKeyOnDemand", "KeyId"),
    ("ScheduleKeyDeletion", "KeyId"),
    ("TagResource", "KeyId"),
    ("UntagResource", "KeyId"),
    ("UpdateAlias", "TargetKeyId"),
    ("UpdateKeyDescription", "KeyId"),
    ("UpdatePrimaryRegion", "KeyId"),
];

fn make(gate: &str, reading: &str, doc: &str) -> WhyCard {
    WhyCard {
        gate: gate.to_owned(),
        reading: reading.to_owned(),
        doc: doc.to_owned(),
        trace: None,
        step: None,
        hint: None,
    }
}

/// The card an error code points at, for callers with no context (no request, no recorded
/// decisions): the six KMS readings (also under EC2's `KMS.` prefix), S3's `AccessDenied`,
/// RDS's `KMSKeyNotAccessibleFault` and EC2's `UnauthorizedOperation`.
pub fn card_for_code(code: &str) -> Option<WhyCard> {
    let mut c = reading_for_code(code)?;
    c.step = step_for_code(code);
    Some(c)
}

fn reading_for_code(code: &str) -> Option<WhyCard> {
    Some(match code {
        "AccessDeniedException" | "AccessDenied" => make(
            "Access: key policy, IAM policies and grants",
            "Nothing allowed the request, or an explicit Deny matched. The key policy must allow the caller — directly, or by trusting the account so that an IAM policy can allow — or a grant must.",
            ACCESS_DOC,
        ),
        "DisabledException" | "KMS.DisabledException" => make(
            "Key state: disabled",
            "Authorization passed, but the key is disabled. Enable it (EnableKey) to use it again; nothing about the data changed.",
            KEY_STATE_DOC,
        ),
        "KMSInvalidStateException" | "KMS.KMSInvalidStateException" => make(
            "Key state: not usable for this operation",
            "The key's state (pending deletion, pending import, …) does not allow this operation. A key pending deletion can be recovered with CancelKeyDeletion until its waiting period ends.",
            KEY_STATE_DOC,
        ),
        "InvalidCiphertextException" | "KMS.InvalidCiphertextException" => make(
            "Ciphertext or encryption context",
            "The ciphertext was altered, or the encryption context differs from the one used to encrypt. The context is bound as additional authenticated data: it must match exactly, keys and values, case-sensitive.",
            "https://docs.aws.amazon.com/kms/latest/developerguide/encrypt_context.html",
        ),
        "IncorrectKeyException" | "KMS.IncorrectKeyException" => make(
            "Wrong key for this ciphertext",
            "The KeyId you passed is not the key that encrypted the data. For symmetric ciphertexts you can omit KeyId: the ciphertext names its key.",
            "https://docs.aws.amazon.com/kms/latest/APIReference/API_Decrypt.html",
        ),
        "NotFoundException" | "KMS.NotFoundException" => make(
            "Key not found from where you asked",
            "KMS keys are Regional and per account: check the Region, and name keys in other accounts by key ARN or alias ARN. A deleted key is gone for good.",
            "https://docs.aws.amazon.com/kms/latest/developerguide/find-cmk-id-arn.html",
        ),
        "KMSKeyNotAccessibleFault" => make(
            "KMS key not usable by RDS",
            "RDS could not use the KMS key: the key is disabled or scheduled for deletion, it does not exist in this account and Region, or RDS may not use it as you — the key policy (directly, or through an IAM policy it lets the account grant) or a grant must allow the KMS actions RDS uses on your behalf (kms:DescribeKey, kms:CreateGrant, kms:GenerateDataKey*, kms:Decrypt), and a kms:ViaService condition must name rds.REGION.amazonaws.com.",
            RDS_DOC,
        ),
        "UnauthorizedOperation" => make(
            "Access: IAM policies (EC2), or the volume's KMS key",
            "EC2 refused the request as unauthorized: no IAM policy allows the EC2 action, or an explicit Deny matched — or, for an encrypted volume or snapshot, KMS denied a request EBS made as you with the volume's key.",
            EBS_DOC,
        ),
        "InsufficientEncryptionPolicyException" => make(
            "Key policy: CloudTrail may not use the key",
            "CloudTrail itself (the service principal cloudtrail.amazonaws.com, not you) calls kms:DescribeKey and kms:GenerateDataKey on the trail's key when a trail is created or updated. The key policy must allow both to cloudtrail.amazonaws.com, GenerateDataKey* conditioned on kms:EncryptionContext:aws:cloudtrail:arn; the console adds these statements only to a key it creates.",
            CLOUDTRAIL_KEY_DOC,
        ),
        "InsufficientS3BucketPolicyException" => make(
            "Bucket policy: CloudTrail may not write to the bucket",
            "The bucket policy must let cloudtrail.amazonaws.com call s3:GetBucketAcl on the bucket and s3:PutObject under [PREFIX/]AWSLogs/ACCOUNT/ with s3:x-amz-acl bucket-owner-full-control (the AWSCloudTrailAclCheck and AWSCloudTrailWrite statements).",
            CLOUDTRAIL_BUCKET_DOC,
        ),
        "InvalidEventPatternException" => make(
            "Event pattern: not a pattern EventBridge accepts",
            "An event pattern is a JSON object whose leaves are arrays of values or of matching filters (prefix, anything-but, numeric, exists), for example {\"source\": [\"aws.kms\"], \"detail-type\": [\"KMS CMK Deletion\"]}. A bare string or number where an array is expected, an empty object, or an unknown filter is refused; the Reason names the field.",
            EVENT_PATTERN_DOC,
        ),
        "NoAvailableConfigurationRecorderException" | "NoAvailableDeliveryChannelException" => {
            make(
                "AWS Config is not set up",
                "AWS Config needs a configuration recorder, then a delivery channel (an S3 bucket Config can write to), before it records; StartConfigurationRecorder needs both, and a rule needs the recorder. The console's setup makes PutConfigurationRecorder, PutDeliveryChannel and StartConfigurationRecorder in that order.",
                CONFIG_SETUP_DOC,
            )
        }
        _ => return None,
    })
}

const EVENT_PATTERN_DOC: &str =
    "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html";
const CONFIG_SETUP_DOC: &str =
    "https://docs.aws.amazon.com/config/latest/developerguide/gs-cli-prereq.html";
const CLOUDTRAIL_KEY_DOC: &str = "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html";
const CLOUDTRAIL_BUCKET_DOC: &str = "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html";
const DYNAMODB_DOC: &str = "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/encryption.troubleshooting.html";

/// DynamoDB reports KMS's answers as `AccessDeniedException` ("KMS key access denied error: …
/// Error Code: DisabledException"): a key state is not an access decision.
fn dynamodb_card(
    code: &str,
    message: &str,
    denial: Option<&AuthorizationRecord>,
    trace: Option<String>,
) -> Option<WhyCard> {
    if code != "AccessDeniedException" {
        return None;
    }
    let state = [
        "DisabledException",
        "KMSInvalidStateException",
        "NotFoundException",
    ]
    .into_iter()
    .find(|c| message.contains(&format!("Error Code: {c}")));
    if let Some(state) = state {
        return Some(WhyCard {
            gate: "Key state: the table's KMS key is not usable".into(),
            reading: format!(
                "DynamoDB asked KMS to decrypt the table key with the table's customer managed key, and KMS answered {state}: the key is disabled, scheduled for deletion or gone. Within minutes the table becomes INACCESSIBLE_ENCRYPTION_CREDENTIALS; enable the key (or cancel its deletion) and it comes back. After seven days inaccessible, DynamoDB archives it to a backup."
            ),
            doc: DYNAMODB_DOC.into(),
            trace: None,
            step: Some(EvaluationStep::KeyState),
            hint: None,
        });
    }
    let d = denial.filter(|d| d.action.starts_with("kms:"))?;
    Some(WhyCard {
        gate: "Access: DynamoDB could not use the KMS key as you".into(),
        reading: format!(
            "DynamoDB calls KMS as you, through dynamodb.REGION.amazonaws.com (kms:ViaService), and KMS denied {}. The key policy (directly, or by trusting the account so that an IAM policy can allow) or a grant must allow you the KMS actions DynamoDB uses: kms:DescribeKey, kms:CreateGrant, kms:GenerateDataKey and kms:Decrypt.",
            d.action
        ),
        doc: DYNAMODB_DOC.into(),
        trace,
        step: None,
        hint: None,
    })
}

/// The card of a failed call, read from the call's own recorded decisions: `trace` is the
/// explanation of its denial when one was recorded, `step` its KMS gate's flowchart box. `None`
/// for errors no card explains.
pub fn card(f: &Failure<'_>) -> Option<WhyCard> {
    let mut c = card_without_step(f)?;
    c.hint.clone_from(&f.error.hint);
    let denial = f.decisions.iter().rev().find(|d| !d.allowed);
    c.step = denial
        .and_then(|d| d.gate.kms_step())
        .or_else(|| step_for_code(&f.error.code));
    Some(c)
}

fn card_without_step(f: &Failure<'_>) -> Option<WhyCard> {
    let code = f.error.code.as_str();
    let denial = f.decisions.iter().rev().find(|d| !d.allowed);
    let trace = denial.map(|d| d.text.clone());
    let service = if f.service == "s3api" {
        "s3"
    } else {
        f.service
    };
    // S3 hides a missing object from callers who may not list the bucket.
    if service == "s3"
        && matches!(f.operation, "GetObject" | "HeadObject")
        && (code == "AccessDenied" || (f.operation == "HeadObject" && code == "403"))
    {
        if denial.is_none() && !f.decisions.is_empty() {
            let key = f
                .input
                .get("Key")
                .and_then(Value::as_str)
                .unwrap_or("the key");
            let bucket = f
                .input
                .get("Bucket")
                .and_then(Value::as_str)
                .unwrap_or("the bucket");
            return Some(WhyCard {
                gate: "Object not found — and S3 will not say so".into(),
                reading: format!(
                    "The request was authorized: every recorded decision allowed it. S3 answered 403 because the object `{key}` does not exist in `{bucket}` and the caller may not s3:ListBucket on the bucket: S3 answers 404 (NoSuchKey) only to callers allowed to list the bucket, so that others cannot probe which keys exist. Check the key name, or allow s3:ListBucket to see NoSuchKey."
                ),
                doc: format!(
                    "https://docs.aws.amazon.com/AmazonS3/latest/API/API_{}.html",
                    f.operation
                ),
                trace: None,
                step: None,
                hint: None,
            });
        }
        let mut c = card_for_code("AccessDenied")?;
        c.trace = trace;
        return Some(c);
    }
    // Key-management operations take a key ID or key ARN only.
    if service == "kms"
        && code == "NotFoundException"
        && let Some((_, member)) = NO_ALIAS.iter().find(|(op, _)| *op == f.operation)
        && let Some(named) = f.input.get(*member).and_then(Value::as_str)
        && is_alias(named)
    {
        return Some(WhyCard {
            gate: format!("{} does not take an alias", f.operation),
            reading: format!(
                "{op} identifies the KMS key by key ID or key ARN only; `{named}` is an alias, which {op} does not resolve, so KMS found no key by that name. Look up the key ID (aws kms describe-key --key-id {named} --query KeyMetadata.KeyId) and name the key by its key ID or key ARN.",
                op = f.operation
            ),
            doc: format!(
                "https://docs.aws.amazon.com/kms/latest/APIReference/API_{}.html",
                f.operation
            ),
            trace: None,
            step: None,
            hint: None,
        });
    }
    // RDS reports every KMS failure as KMSKeyNotAccessibleFault.
    if code == "KMSKeyNotAccessibleFault" {
        let mut c = card_for_code(code)?;
        if denial.is_some() {
            c.gate = "Access: RDS could not use the KMS key as you".into();
            c.reading = "RDS calls KMS as you, through rds.REGION.amazonaws.com (kms:ViaService), and KMS denied it. The key policy — directly, or by trusting the account so that an IAM policy can allow — or a grant must allow you the KMS actions RDS uses (kms:DescribeKey, kms:CreateGrant, kms:GenerateDataKey*, kms:Decrypt); a kms:ViaService condition must name RDS in the key's Region; a key in another account must allow your account in its key policy.".into();
        }
        c.trace = trace;
        return Some(c);
    }
    // EBS: EC2 reports KMS's answers with a `KMS.` prefix, and a KMS denial as
    // UnauthorizedOperation.
    if service == "ec2" {
        if code == "UnauthorizedOperation"
            && let Some(d) = denial
            && d.action.starts_with("kms:")
        {
            return Some(WhyCard {
                gate: "Access: EBS could not use the KMS key as you".into(),
                reading: format!(
                    "EBS calls KMS as you, through ec2.REGION.amazonaws.com (kms:ViaService), and KMS denied {}. The key policy — directly, or by trusting the account so that an IAM policy can allow — or a grant must allow you kms:CreateGrant, kms:Decrypt, kms:DescribeKey, kms:GenerateDataKeyWithoutPlaintext and kms:ReEncrypt*, and a kms:ViaService condition must name EC2 in the key's Region. EC2 reports the denial as UnauthorizedOperation.",
                    d.action
                ),
                doc: EBS_DOC.into(),
                trace,
                step: None,
                hint: None,
            });
        }
        if let Some(inner) = code.strip_prefix("KMS.") {
            let mut c = card_for_code(code)
                .or_else(|| card_for_code(inner))
                .unwrap_or_else(|| {
                    make(
                        "KMS refused EBS's request",
                        "KMS refused the request EBS made for you with the volume's KMS key.",
                        EBS_DOC,
                    )
                });
            c.reading = format!(
                "EBS called KMS on your behalf with the volume's key, and KMS answered {inner}. {}",
                c.reading
            );
            c.trace = trace;
            return Some(c);
        }
    }
    // Secrets Manager calls KMS as the caller (GenerateDataKey to write a version, Decrypt to
    // read one) and reports KMS's answers in its own codes.
    if service == "secretsmanager"
        && let Some(c) = secrets_manager_card(code, &f.error.message, denial, trace.clone())
    {
        return Some(c);
    }
    if service == "ssm"
        && let Some(c) = parameter_store_card(code, &f.error.message, denial, trace.clone())
    {
        return Some(c);
    }
    if service == "dynamodb"
        && let Some(c) = dynamodb_card(code, &f.error.message, denial, trace.clone())
    {
        return Some(c);
    }
    let mut c = card_for_code(code)?;
    if code.contains("AccessDenied") || code == "UnauthorizedOperation" {
        c.trace = trace;
    }
    Some(c)
}

const PARAMETER_STORE_DOC: &str =
    "https://docs.aws.amazon.com/kms/latest/developerguide/services-parameter-store.html";

/// The card of a Parameter Store failure that KMS caused: `AccessDeniedException` when KMS
/// denied the call Parameter Store made as the caller, `InvalidKeyId` when the key cannot be
/// used (disabled, pending deletion, missing).
fn parameter_store_card(
    code: &str,
    message: &str,
    denial: Option<&AuthorizationRecord>,
    trace: Option<String>,
) -> Option<WhyCard> {
    let kms_denial = denial.filter(|d| d.action.starts_with("kms:"));
    match code {
        "AccessDeniedException" if kms_denial.is_some() || message.contains("Service: AWSKMS") => {
            let action = kms_denial.map_or("kms:Decrypt", |d| d.action.as_str());
            Some(WhyCard {
                gate: "Access: Parameter Store could not use the KMS key as you".into(),
                reading: format!(
                    "Parameter Store calls KMS as you, through ssm.REGION.amazonaws.com (kms:ViaService), with the encryption context PARAMETER_ARN, and KMS denied {action}. A SecureString needs kms:Encrypt to write (kms:GenerateDataKey for Advanced-tier values) and kms:Decrypt to read with --with-decryption, from the key policy (directly, or through an IAM policy it lets the account grant) or a grant. Without --with-decryption Parameter Store returns the ciphertext and calls no KMS at all."
                ),
                doc: PARAMETER_STORE_DOC.into(),
                trace,
                step: kms_denial.and_then(|d| d.gate.kms_step()),
                hint: None,
            })
        }
        "InvalidKeyId" => {
            let inner = [
                "DisabledException",
                "KMSInvalidStateException",
                "NotFoundException",
            ]
            .into_iter()
            .find(|c| message.contains(c));
            let mut c = inner.and_then(card_for_code).unwrap_or_else(|| {
                make(
                    "KMS key not usable by Parameter Store",
                    "Parameter Store could not use the KMS key named for this SecureString.",
                    PARAMETER_STORE_DOC,
                )
            });
            c.reading = format!(
                "Parameter Store called KMS as you with the parameter's key, and KMS refused it{}. Parameter Store reports any KMS failure other than a denial as InvalidKeyId. {}",
                inner.map(|i| format!(" ({i})")).unwrap_or_default(),
                c.reading
            );
            c.trace = trace;
            Some(c)
        }
        _ => None,
    }
}

const SECRETS_DOC: &str =
    "https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html";

/// The card of a Secrets Manager failure that KMS caused: "Access to KMS is not allowed" (KMS
/// denied the call made as the caller) or `DecryptionFailure` / `EncryptionFailure` (the key's
/// state or existence).
fn secrets_manager_card(
    code: &str,
    message: &str,
    denial: Option<&AuthorizationRecord>,
    trace: Option<String>,
) -> Option<WhyCard> {
    match code {
        "AccessDeniedException"
            if denial.is_some_and(|d| d.action.starts_with("kms:"))
                || message == "Access to KMS is not allowed" =>
        {
            let action = denial.map_or("kms:Decrypt", |d| d.action.as_str());
            Some(WhyCard {
                gate: "Access: Secrets Manager could not use the KMS key as you".into(),
                reading: format!(
                    "Secrets Manager calls KMS as you, through secretsmanager.REGION.amazonaws.com (kms:ViaService), with the encryption context SecretARN and SecretVersionId, and KMS denied {action}. The key policy — directly, or by trusting the account so that an IAM policy can allow — or a grant must allow you kms:Decrypt (to read) and kms:GenerateDataKey (to write). The AWS managed key aws/secretsmanager only allows its own account: a secret read from another account needs a customer managed key whose policy allows that account, plus the secret's resource policy."
                ),
                doc: SECRETS_DOC.into(),
                trace,
                step: None,
                hint: None,
            })
        }
        "DecryptionFailure" | "EncryptionFailure" => {
            let inner = [
                "DisabledException",
                "KMSInvalidStateException",
                "NotFoundException",
                "InvalidCiphertextException",
            ]
            .into_iter()
            .find(|c| message.contains(c));
            let mut c = inner.and_then(card_for_code).unwrap_or_else(|| {
                make(
                    "KMS key not usable by Secrets Manager",
                    "KMS refused the request Secrets Manager made for you with the secret's key.",
                    SECRETS_DOC,
                )
            });
            c.reading = format!(
                "Secrets Manager called KMS on your behalf with the secret's key ({} the version's data key), and KMS answered {}. {}",
                if code == "DecryptionFailure" {
                    "to decrypt"
                } else {
                    "to generate"
                },
                inner.unwrap_or("an error"),
                c.reading
            );
            c.trace = trace;
            Some(c)
        }
        _ => None,
    }
}

/// An alias name (`alias/…`) or alias ARN (`arn:…:kms:…:alias/…`).
fn is_alias(id: &str) -> bool {
    id.starts_with("alias/")
        || (id.starts_with("arn:")
            && id
                .split(':')
                .nth(5)
                .is_some_and(|r| r.starts_with("alias/")))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn err(code: &str) -> AwsError {
        AwsError::new(code, "m")
    }

    #[test]
    fn a_dynamodb_table_whose_key_is_disabled_reads_as_key_state_not_access() {
        let e = AwsError::new(
            "AccessDeniedException",
            "KMS key access denied error: com.amazonaws.services.kms.model.DisabledException: k is disabled. (Service: AWSKMS; Status Code: 400; Error Code: DisabledException)",
        );
        let input = json!({ "TableName": "t" });
        let f = Failure {
            service: "dynamodb",
            operation: "Scan",
            input: &input,
            error: &e,
            decisions: &[],
        };
        let c = card(&f).unwrap();
        assert!(c.gate.starts_with("Key state"), "{}", c.gate);
        assert!(c.reading.contains("INACCESSIBLE_ENCRYPTION_CREDENTIALS"));
    }

    #[test]
    fn six_readings_and_their_ec2_variants() {
        for code in [
            "AccessDeniedException",
            "AccessDenied",
            "DisabledException",
            "KMS.DisabledException",
            "KMSInvalidStateException",
            "KMS.KMSInvalidStateException",
            "InvalidCiphertextException",
            "IncorrectKeyException",
            "NotFoundException",
            "KMS.NotFoundException",
            "KMSKeyNotAccessibleFault",
            "UnauthorizedOperation",
        ] {
            let c = card_for_code(code).unwrap();
            assert!(c.doc.starts_with("https://docs.aws.amazon.com/"), "{code}");
            assert!(c.trace.is_none());
        }
        for code in [
            "InsufficientEncryptionPolicyException",
            "InsufficientS3BucketPolicyException",
        ] {
            assert!(
                card_for_code(code)
                    .unwrap()
                    .reading
                    .contains("cloudtrail.amazonaws.com")
            );
        }
        assert!(
            card_for_code("InvalidEventPatternException")
                .unwrap()
                .reading
                .contains("event pattern")
        );
        assert_eq!(card_for_code("ThrottlingException"), None);
        assert_eq!(
            card_for_code("DisabledException").unwrap().reading,
            "Authorization passed, but the key is disabled. Enable it (EnableKey) to use it again; nothing about the data changed."
        );
    }

    #[test]
    fn alias_only_for_operations_that_refuse_aliases() {
        let e = err("NotFoundException");
        let input = json!({"KeyId": "alias/demo"});
        let f = Failure {
            service: "kms",
            operation: "GetKeyRotationStatus",
            input: &input,
            error: &e,
            decisions: &[],
        };
        let c = card(&f).unwrap();
        assert_eq!(c.gate, "GetKeyRotationStatus does not take an alias");
        assert!(c.reading.contains("key ID or key ARN"), "{}", c.reading);
        assert!(!c.reading.contains("Region"), "{}", c.reading);
        // An alias ARN too; but DescribeKey takes aliases: the Region reading stays.
        let arn = json!({"KeyId": "arn:aws:kms:us-east-1:111122223333:alias/demo"});
        assert!(
            card(&Failure { input: &arn, ..f })
                .unwrap()
                .gate
                .contains("alias")
        );
        let d = card(&Failure {
            operation: "DescribeKey",
            ..f
        })
        .unwrap();
        assert_eq!(d.gate, "Key not found from where you asked");
        let by_id = json!({"KeyId": "1234abcd-12ab-34cd-56ef-1234567890ab"});
        assert_eq!(
            card(&Failure { input: &by_id, ..f }).unwrap().gate,
            "Key not found from where you asked"
        );
        assert!(is_alias("alias/x"));
        assert!(!is_alias("arn:aws:kms:us-east-1:111122223333:key/abc"));
    }
}
