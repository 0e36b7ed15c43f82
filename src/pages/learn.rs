//! Learn: concept pages with diagrams, each linking to the scenarios and quiz topics that practise
//! it and to the AWS documentation. Facts follow the project's AWS fact sheet (current AWS docs);
//! stale study-guide claims are named as misconceptions.

use serde::Deserialize;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::empty_state::EmptyState;
use crate::components::envelope::{EnvelopeDiagram, EnvelopeValues};
use crate::components::eval_flow::EvalFlow;
use crate::hooks::use_lab;

/// One concept page.
#[derive(Debug)]
pub struct Topic {
    pub id: &'static str,
    pub title: &'static str,
    pub summary: &'static str,
    /// Paragraphs of the page.
    pub body: &'static [&'static str],
    /// A stale claim and the current fact.
    pub misconception: Option<(&'static str, &'static str)>,
    pub docs: &'static [(&'static str, &'static str)],
    pub scenarios: &'static [&'static str],
    pub quiz_topics: &'static [&'static str],
    pub diagram: Diagram,
}

/// Which diagram a page shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Diagram {
    None,
    Envelope,
    Evaluation,
    KeyTypes,
    Lifecycle,
}

const KMS_DOCS: &str = "https://docs.aws.amazon.com/kms/latest/developerguide/";

/// Every concept page, in reading order.
pub const TOPICS: &[Topic] = &[
    Topic {
        id: "key-types",
        title: "Key types: AWS owned, AWS managed, customer managed",
        summary: "Who creates the key, who controls its policy, who pays, and how it rotates.",
        body: &[
            "Customer managed keys are yours: you create them, write their key policy, grant access, enable or disable them, set automatic rotation (off by default; 90–2560 days, default 365) and schedule their deletion. Each costs $1 per month.",
            "AWS managed keys (aliases aws/s3, aws/ebs, aws/rds …) are created in your account the first time a service encrypts for you. You can see them and their policy, but you cannot change the policy, disable them, or change their rotation: they rotate every year. Their policy only allows use through the owning service (kms:ViaService) by principals of your account (kms:CallerAccount), so they cannot be used directly or shared across accounts.",
            "AWS owned keys live in AWS's accounts and are shared across many customers; you never see them and they do not count against your quotas or bill.",
        ],
        misconception: Some((
            "AWS managed keys rotate every three years (1,095 days).",
            "Since May 2022 AWS managed keys rotate every year, and you cannot change that.",
        )),
        docs: &[
            ("AWS KMS keys", "concepts.html#kms_keys"),
            ("Rotating AWS KMS keys", "rotate-keys.html"),
        ],
        scenarios: &["separation-of-duties", "rds-snapshot-cross-account"],
        quiz_topics: &["key-types"],
        diagram: Diagram::KeyTypes,
    },
    Topic {
        id: "envelope-encryption",
        title: "Envelope encryption and the 4 KB limit",
        summary: "Encrypt data with a data key; protect the data key with a KMS key.",
        body: &[
            "Encrypt accepts at most 4,096 bytes of plaintext: KMS keys are for encrypting small secrets and data keys, not bulk data. For anything larger, call GenerateDataKey: KMS returns a fresh data key twice — in plaintext and encrypted under your KMS key. Encrypt the data locally (AES-256-GCM), discard the plaintext key, and store the encrypted data key next to the data.",
            "To read the data, call Decrypt on the encrypted data key (a symmetric ciphertext names its KMS key, so no KeyId is needed) and decrypt locally. GenerateDataKeyWithoutPlaintext returns only the encrypted copy, for systems that will decrypt later (EBS uses it when it creates a volume).",
            "An encryption context — non-secret key/value pairs — is bound to the ciphertext as additional authenticated data. Decrypt must present exactly the same context (case-sensitive) or it fails with InvalidCiphertextException; the context is logged in plaintext in CloudTrail, which makes it an audit tool, and policies can test it with kms:EncryptionContext:<key>.",
        ],
        misconception: Some((
            "A KMS key can be at most 4 KB.",
            "The 4 KB limit applies to the plaintext of one Encrypt call, not to the key.",
        )),
        docs: &[
            ("Envelope encryption", "concepts.html#enveloping"),
            ("Encryption context", "encrypt_context.html"),
            (
                "GenerateDataKey",
                "https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateDataKey.html",
            ),
        ],
        scenarios: &["s3-bucket-keys", "diagnose-denied-decrypt"],
        quiz_topics: &["envelope", "context"],
        diagram: Diagram::Envelope,
    },
    Topic {
        id: "access-control",
        title: "Key policies, IAM policies and grants",
        summary: "The key policy is the primary control; IAM counts only when the key policy says so.",
        body: &[
            "Every KMS key has exactly one key policy. The default policy's statement \"Enable IAM User Permissions\" names arn:aws:iam::ACCOUNT:root: that principal means the account, and the statement lets IAM policies in that account grant access to the key. Remove it and IAM Allow statements stop working for the key (IAM Deny statements still apply).",
            "A request is allowed when nothing explicitly denies it and the key policy allows the caller — directly, or by delegating to the account plus an IAM policy that allows — or a grant allows it. Grants only ever allow, name one grantee, can carry encryption-context constraints, and are eventually consistent: use the grant token to use a new grant at once.",
            "Across accounts both sides must agree: the key policy in the owning account must allow the other account (or principal), and an IAM policy in the caller's account must allow the action. Only some operations work cross-account (cryptographic operations, DescribeKey, CreateGrant, GetPublicKey …), and the caller must name the key by its ARN.",
        ],
        misconception: Some((
            "The root principal in a key policy gives access only to the root user.",
            "arn:aws:iam::ACCOUNT:root names the whole account; it delegates to IAM policies in that account.",
        )),
        docs: &[
            ("Default key policy", "key-policy-default.html"),
            ("Determining access", "determining-access.html"),
            ("Grants", "grants.html"),
            (
                "Cross-account access",
                "key-policy-modifying-external-accounts.html",
            ),
        ],
        scenarios: &[
            "diagnose-denied-decrypt",
            "separation-of-duties",
            "grants-for-services",
            "rds-snapshot-cross-account",
        ],
        quiz_topics: &["access", "cross-account"],
        diagram: Diagram::Evaluation,
    },
    Topic {
        id: "rotation",
        title: "Key rotation",
        summary: "New key material, same key ID; old material stays to decrypt old data.",
        body: &[
            "Automatic rotation of a customer managed key is optional and off by default; RotationPeriodInDays accepts 90 to 2560 days (default 365). It applies only to symmetric keys whose material KMS generated. On-demand rotation (RotateKeyOnDemand) works whether or not automatic rotation is on, at most 25 times per key, and does not change the schedule.",
            "Rotation keeps the key ID, ARN, aliases and policy. KMS keeps every old material version until the key is deleted, and Decrypt picks the right one from the ciphertext — so rotation never re-encrypts existing data. Disabled keys are not rotated; a key past its date rotates when it is re-enabled.",
            "Asymmetric, HMAC and imported keys cannot rotate automatically: rotate them manually by creating a new key and repointing the alias (imported symmetric material can rotate on demand after importing NEW_KEY_MATERIAL).",
        ],
        misconception: Some((
            "On-demand rotation is limited to 10 per key, and rotation is a fixed yearly schedule.",
            "The limit is 25 on-demand rotations per key, and the automatic period is configurable from 90 to 2560 days.",
        )),
        docs: &[
            ("Rotating keys", "rotate-keys.html"),
            ("On-demand rotation", "rotating-keys-on-demand.html"),
        ],
        scenarios: &["key-rotation"],
        quiz_topics: &["rotation"],
        diagram: Diagram::Lifecycle,
    },
    Topic {
        id: "deletion",
        title: "Key states and scheduled deletion",
        summary: "Enabled, Disabled, PendingDeletion — and why deletion waits 7 to 30 days.",
        body: &[
            "Deleting a KMS key is destructive and irreversible: every ciphertext under it becomes unrecoverable. So ScheduleKeyDeletion only starts a waiting period of 7 to 30 days (default 30). During it the key is PendingDeletion and unusable; CancelKeyDeletion brings it back as Disabled. When the period ends the key, its material and its aliases are gone.",
            "Disabling a key is the reversible way to stop its use. A disabled key answers cryptographic requests with DisabledException; a key pending deletion answers with KMSInvalidStateException. Watch CloudTrail during the waiting period for requests that fail because of the pending deletion.",
        ],
        misconception: None,
        docs: &[
            ("Deleting keys", "deleting-keys.html"),
            ("Key states", "key-state.html"),
        ],
        scenarios: &["scheduled-deletion"],
        quiz_topics: &["lifecycle"],
        diagram: Diagram::Lifecycle,
    },
    Topic {
        id: "multi-region",
        title: "Multi-Region keys",
        summary: "Related keys in several Regions sharing ID and material.",
        body: &[
            "A multi-Region key (ID starting mrk-) is chosen at creation and cannot be converted later. ReplicateKey creates a related key in another Region of the same partition with the same key ID and material, so data encrypted in one Region decrypts in the other without a cross-Region call.",
            "Key spec, usage, origin and rotation are shared (rotation is configured on the primary); key policy, grants, aliases, tags and state are independent per Region. Each replica is billed as a key.",
        ],
        misconception: None,
        docs: &[("Multi-Region keys", "multi-region-keys-overview.html")],
        scenarios: &["multi-region-dr"],
        quiz_topics: &["key-types"],
        diagram: Diagram::None,
    },
    Topic {
        id: "s3-ebs-rds",
        title: "S3, EBS and RDS encryption at rest",
        summary: "How services call KMS on your behalf — and the gotchas the exams love.",
        body: &[
            "S3 encrypts every new object by default (SSE-S3, since January 2023). With SSE-KMS, S3 calls GenerateDataKey per object; S3 Bucket Keys cut those KMS calls (and cost) by up to 99% and change the encryption context to the bucket ARN. Reading an SSE-KMS object needs kms:Decrypt on its key as well as s3:GetObject.",
            "EBS encryption by default is per account and per Region; an existing volume cannot be encrypted in place: snapshot it, then create a volume from the snapshot with Encrypted and a KMS key (CreateVolume encrypts, or re-encrypts under another key, without a copy), or copy the snapshot encrypted first. RDS encryption is chosen at creation; to encrypt an instance, copy a snapshot with a key and restore. Snapshots encrypted with the AWS managed aws/rds key cannot be shared — re-encrypt with a customer managed key whose policy allows the other account.",
        ],
        misconception: Some((
            "S3 objects are unencrypted unless you enable default encryption.",
            "Since 5 January 2023 every new object upload is encrypted (SSE-S3 at least).",
        )),
        docs: &[
            (
                "S3 Bucket Keys",
                "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html",
            ),
            (
                "How EBS encryption works",
                "https://docs.aws.amazon.com/ebs/latest/userguide/how-ebs-encryption-works.html",
            ),
            (
                "Sharing encrypted RDS snapshots",
                "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/share-encrypted-snapshot.html",
            ),
        ],
        scenarios: &[
            "s3-bucket-keys",
            "s3-enforce-sse-kms",
            "ebs-encrypt-existing-volume",
            "ebs-default-encryption",
            "rds-snapshot-cross-account",
        ],
        quiz_topics: &["services"],
        diagram: Diagram::None,
    },
    Topic {
        id: "secrets-vs-parameters",
        title: "Secrets Manager vs Parameter Store vs KMS",
        summary: "Where a password, a setting and a key belong: what each service stores, how it encrypts, rotates, sizes, prices and crosses accounts.",
        body: &[
            "KMS stores keys, not your data: its keys never leave it, and Encrypt takes at most 4,096 bytes of plaintext, so larger data is envelope-encrypted with a data key. Secrets Manager stores secrets (a text or binary value of up to 64 KB, 65,536 bytes) with versions labelled AWSCURRENT, AWSPREVIOUS and AWSPENDING. Parameter Store (part of Systems Manager) stores configuration as String, StringList or SecureString parameters: up to 4 KB in the Standard tier, 8 KB in the Advanced tier, with up to 100 versions.",
            "Both stores encrypt with KMS as the caller, through the service (kms:ViaService secretsmanager.REGION.amazonaws.com or ssm.REGION.amazonaws.com). Secrets Manager encrypts every version with its own data key from GenerateDataKey, under the secret's key or the AWS managed aws/secretsmanager, with the encryption context SecretARN and SecretVersionId. A Standard SecureString is encrypted by KMS Encrypt directly, an Advanced one with envelope encryption; the key defaults to aws/ssm and the encryption context is PARAMETER_ARN. Reading a SecureString without --with-decryption returns the ciphertext and makes no KMS call.",
            "Rotation is what Secrets Manager is for: a rotation function (Lambda) or managed rotation changes the credential where it is used and moves the staging labels. RDS can manage a DB instance's master password in Secrets Manager (--manage-master-user-password), in a secret named rds!db-…, rotated every 7 days by default. Parameter Store does not rotate values. KMS rotates key material (automatic rotation, yearly by default), which never changes what a ciphertext decrypts to.",
            "A rotation function runs four steps: createSecret (a new version labelled AWSPENDING), setSecret (the new password set in the database), testSecret (a login with it) and finishSecret (AWSCURRENT moves to the new version, the old one keeps AWSPREVIOUS). It calls Secrets Manager as its own execution role, and Secrets Manager then calls KMS as that role: under a customer managed key, the key policy (or an IAM policy the key policy allows) must let the role decrypt and generate data keys, or the first rotation fails. A rotation that stops half-way leaves AWSPENDING on the new version, and the next RotateSecret answers \"A previous rotation isn't complete\". The lab has no Lambda: `lab rotation-functions` lists its stand-ins for AWS's rotation templates, and `lab db-connect` shows that the database password really changed.",
            "Prices: a secret costs $0.40 per month plus $0.05 per 10,000 API calls. Standard parameters are free; Advanced parameters cost $0.05 per parameter per month. A customer managed KMS key costs $1 per month, and every service's KMS requests are billed as KMS requests. So: rotate database credentials → Secrets Manager; cheap configuration and small secrets that never rotate → Parameter Store.",
            "Cross-account: a secret can be read from another account only with a resource policy on the secret AND a customer managed key whose key policy lets that account decrypt: the AWS managed aws/secretsmanager key can never be used across accounts. Parameters have no resource policy; only Advanced-tier parameters can be shared, through AWS RAM. A KMS key is shared through its key policy (plus the other account's IAM policies).",
        ],
        misconception: Some((
            "Parameter Store SecureString and Secrets Manager are the same service at different prices.",
            "Only Secrets Manager rotates secrets, keeps staged versions, takes 64 KB values and resource policies; Standard parameters are free but limited to 4 KB and never rotate.",
        )),
        docs: &[
            (
                "How Secrets Manager uses AWS KMS",
                "https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html",
            ),
            (
                "Secrets Manager quotas",
                "https://docs.aws.amazon.com/secretsmanager/latest/userguide/reference_limits.html",
            ),
            (
                "How Parameter Store uses AWS KMS",
                "https://docs.aws.amazon.com/kms/latest/developerguide/services-parameter-store.html",
            ),
            (
                "Parameter tiers (Standard and Advanced)",
                "https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html",
            ),
            (
                "Password management with Amazon RDS and Secrets Manager",
                "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html",
            ),
            (
                "Secrets Manager pricing",
                "https://aws.amazon.com/secrets-manager/pricing/",
            ),
        ],
        scenarios: &["secrets-least-privilege", "rds-password-rotation"],
        quiz_topics: &["secrets", "services"],
        diagram: Diagram::None,
    },
    Topic {
        id: "service-principals",
        title: "The service-principal pattern in key policies",
        summary: "CloudTrail and CloudWatch Logs call KMS as themselves: the key policy must name them, bound to your resources.",
        body: &[
            "Most services use a KMS key on behalf of the caller: S3, EBS, RDS, Secrets Manager and DynamoDB call KMS as the principal that made the request, so the caller's permissions (and kms:ViaService conditions) decide. A few services call KMS as their own service principal instead. CloudTrail encrypts log files as cloudtrail.amazonaws.com, and CloudWatch Logs encrypts log groups as its Regional principal logs.REGION.amazonaws.com. For them only a key-policy statement that names the principal helps: the root statement delegates to IAM principals of the account, and a service principal has no IAM policy.",
            "CloudTrail needs two statements, the ones its console adds: kms:GenerateDataKey* for cloudtrail.amazonaws.com, conditioned on kms:EncryptionContext:aws:cloudtrail:arn (every data key CloudTrail asks for carries the trail's ARN in that key, and aws:s3:arn for the log file), and kms:DescribeKey. CreateTrail and UpdateTrail test the key and fail with InsufficientEncryptionPolicyException without them; if the policy changes later, delivery stops and GetTrailStatus reports LatestDeliveryError while the trail keeps logging. Reading the log files is a separate permission: they are SSE-KMS objects, so the reader needs kms:Decrypt on the key as well as s3:GetObject.",
            "CloudWatch Logs needs kms:Encrypt*, kms:Decrypt*, kms:ReEncrypt*, kms:GenerateDataKey* and kms:Describe* for logs.REGION.amazonaws.com, conditioned on kms:EncryptionContext:aws:logs:arn (the log group's ARN, or arn:aws:logs:REGION:ACCOUNT:* for the account's log groups). Without it CreateLogGroup --kms-key-id and AssociateKmsKey fail with AccessDeniedException \"The specified KMS key does not exist or is not allowed to be used with Arn …\". The global name logs.amazonaws.com does not match, an association takes up to five minutes to apply, and a disabled key stops both ingestion and reading.",
            "Why the conditions matter: a service principal acts for every customer. A statement that lets cloudtrail.amazonaws.com or logs.REGION.amazonaws.com use your key with no condition lets anyone's trail or log group that names your key ARN have it used: the confused-deputy problem. The encryption-context conditions bind the permission to your resources; the global condition keys aws:SourceArn and aws:SourceAccount name the resource and the account the service is acting for (the CloudTrail console pins aws:SourceArn to the trail). Never give a service \"Principal\": \"*\" or kms:*: it needs no administrative action on the key.",
        ],
        misconception: Some((
            "The root statement in the default key policy lets AWS services use the key.",
            "It delegates to IAM principals of the account. A service that calls KMS as its own principal (CloudTrail, CloudWatch Logs) needs a statement naming that principal.",
        )),
        docs: &[
            (
                "AWS KMS key policy for CloudTrail",
                "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html",
            ),
            (
                "Encrypt log data in CloudWatch Logs using AWS KMS",
                "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html",
            ),
            (
                "The confused deputy problem",
                "https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html",
            ),
            (
                "kms:EncryptionContext condition keys",
                "conditions-kms.html#conditions-kms-encryption-context",
            ),
        ],
        scenarios: &["logs-trail-key-policy"],
        quiz_topics: &["trails-tables", "access"],
        diagram: Diagram::None,
    },
    Topic {
        id: "dynamodb-keys",
        title: "DynamoDB's three key options",
        summary: "AWS owned, aws/dynamodb or customer managed: cost, control, what CloudTrail shows, and the inaccessible table.",
        body: &[
            "Every DynamoDB table is encrypted at rest, and you choose the key, at creation or later with UpdateTable, as often as you like. The AWS owned key is the default: free, not in your account, no KMS requests and no KMS events in your CloudTrail, and DescribeTable shows no SSEDescription. The AWS managed key aws/dynamodb is created in your account the first time a table uses it: visible, its uses logged in CloudTrail and billed as KMS requests, but its policy cannot be changed and you cannot disable it. A customer managed key costs $1 a month plus requests and gives you its key policy, grants, rotation settings, CloudTrail records of every use and the power to disable it.",
            "With aws/dynamodb or a customer managed key, DynamoDB protects each table with a table key encrypted under the KMS key, and calls KMS as the caller through the service (kms:ViaService dynamodb.REGION.amazonaws.com) with the encryption context aws:dynamodb:tableName and aws:dynamodb:subscriberId. It caches the table key, so not every read or write reaches KMS. In CloudTrail the table operations (CreateTable, UpdateTable, DescribeTable) are management events; item operations (GetItem, PutItem, Query, Scan) are data events, never in event history and logged by a trail only with data-event selectors.",
            "The price of control: within minutes of a customer managed key being disabled, scheduled for deletion or its access revoked, the table becomes INACCESSIBLE_ENCRYPTION_CREDENTIALS, SSEDescription.InaccessibleEncryptionDateTime says since when, and data calls fail. Bring the key back (EnableKey, or CancelKeyDeletion and then EnableKey, since a cancelled deletion leaves the key Disabled) and the table is ACTIVE again. After seven days inaccessible DynamoDB archives the table: an on-demand backup is made at the archival time (ArchivalSummary names it), the table is ARCHIVED and stays so, and a restore needs the key. Once the key is deleted the data is gone.",
            "Other services decide differently. EFS chooses encryption at rest only when a file system is created (and through the API only with --encrypted): there is no operation to encrypt an existing file system. CloudWatch Logs and CloudTrail trails can add or change a key later, as their own service principals.",
        ],
        misconception: Some((
            "DynamoDB tables are stored unencrypted unless you enable encryption.",
            "All DynamoDB tables are encrypted at rest; without an SSESpecification the key is an AWS owned key, and encryption cannot be turned off.",
        )),
        docs: &[
            (
                "DynamoDB encryption at rest",
                "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/EncryptionAtRest.html",
            ),
            (
                "Usage notes: inaccessible tables and archival",
                "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/encryption.usagenotes.html",
            ),
            ("How DynamoDB uses AWS KMS", "services-dynamodb.html"),
            (
                "EFS encryption at rest",
                "https://docs.aws.amazon.com/efs/latest/ug/encryption-at-rest.html",
            ),
        ],
        scenarios: &["dynamodb-inaccessible-table"],
        quiz_topics: &["trails-tables", "key-types"],
        diagram: Diagram::KeyTypes,
    },
    Topic {
        id: "detective-controls",
        title: "Detective controls for encryption",
        summary: "AWS Config finds what is not encrypted, EventBridge warns when a key is about to go, CloudTrail records who did it.",
        body: &[
            "Preventive controls (key policies, bucket policies, encryption by default) stop a mistake; detective controls tell you it happened. For encryption at rest three services work together: AWS Config judges how resources are configured, EventBridge reacts to events as they happen, and CloudTrail records every API call and feeds EventBridge.",
            "AWS Config needs a configuration recorder, a delivery channel (an S3 bucket, optionally an SNS topic) and StartConfigurationRecorder, in that order. AWS managed rules are named by their source identifiers and each checks exactly what its page says: ENCRYPTED_VOLUMES only attached EBS volumes (an unattached one is NOT_APPLICABLE, so detaching hides the finding without encrypting anything); EC2_EBS_ENCRYPTION_BY_DEFAULT the account's setting per Region; RDS_STORAGE_ENCRYPTED and RDS_SNAPSHOT_ENCRYPTED instances and snapshots; S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED and S3_DEFAULT_ENCRYPTION_KMS a bucket's default encryption (the second wants SSE-KMS); DYNAMODB_TABLE_ENCRYPTED_KMS, EFS_ENCRYPTED_CHECK, CLOUD_TRAIL_ENCRYPTION_ENABLED, CLOUDWATCH_LOG_GROUP_ENCRYPTED; and KMS_CMK_NOT_SCHEDULED_FOR_DELETION, customer managed keys pending deletion. Rules triggered by configuration changes evaluate when a recorded resource changes, periodic ones every 24 hours by default, and both on demand with StartConfigRulesEvaluation; GetComplianceDetailsByConfigRule lists each resource's verdict.",
            "Config reports, it does not encrypt. Some fixes are made in place and cost no downtime: turning on EBS encryption by default, setting a bucket's default encryption to SSE-KMS (existing objects keep theirs until copied). Others never can be: an EBS volume or an RDS instance is encrypted through a snapshot, an encrypted copy and a new volume or instance, which is why that is the exam's answer.",
            "EventBridge sees two kinds of KMS events. KMS's own: KMS CMK Rotation, KMS Imported Key Material Expiration, and KMS CMK Deletion, sent when the key is really deleted at the end of its 7-to-30-day waiting period, too late to cancel. And AWS API Call via CloudTrail events for KMS calls that change something, such as ScheduleKeyDeletion or DisableKey, which arrive only while a trail in the account logs that Region. A warning the moment someone schedules a deletion is therefore a rule on eventName ScheduleKeyDeletion plus a logging trail, sending to an SQS queue or SNS topic whose resource policy lets events.amazonaws.com in (and whose key, if it uses SSE-KMS, allows that principal too).",
            "The same service-principal rule applies to SNS: a topic delivers to an SSE-KMS queue as sns.amazonaws.com, so the queue key's policy needs kms:GenerateDataKey* and kms:Decrypt for it and the queue policy must allow the topic. A queue under aws/sqs never receives from SNS or EventBridge, because that policy cannot be edited; SSE-SQS needs no key statement. Deliveries refused for permissions are not retried.",
        ],
        misconception: Some((
            "EventBridge's KMS CMK Deletion event warns you when a key is scheduled for deletion.",
            "KMS sends it only when the key is actually deleted, after the waiting period. Match the ScheduleKeyDeletion API call (AWS API Call via CloudTrail, with a logging trail) to be warned while the deletion can still be cancelled.",
        )),
        docs: &[
            (
                "AWS Config managed rules",
                "https://docs.aws.amazon.com/config/latest/developerguide/managed-rules-by-aws-config.html",
            ),
            (
                "Monitoring AWS KMS keys with Amazon EventBridge",
                "kms-events.html",
            ),
            (
                "Events from AWS services via CloudTrail",
                "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html",
            ),
            (
                "Amazon SQS key management",
                "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html",
            ),
        ],
        scenarios: &["config-encryption-compliance", "sns-sqs-encrypted-pipeline"],
        quiz_topics: &["messaging-detective", "audit"],
        diagram: Diagram::None,
    },
];

/// A doc link: absolute URLs as they are, KMS developer guide pages by file name.
fn doc_url(path: &str) -> String {
    if path.starts_with("https://") {
        path.to_owned()
    } else {
        format!("{KMS_DOCS}{path}")
    }
}

fn key_types_diagram() -> Html {
    let col = |x: i32, title: &str, lines: [&str; 4], class: &str| {
        html! {
            <g class={classes!("svg-node", class.to_owned())}>
                <rect x={x.to_string()} y="10" width="230" height="170" rx="10" />
                <text x={(x + 115).to_string()} y="38" class="svg-title">{ title.to_owned() }</text>
                { for lines.iter().enumerate().map(|(i, l)| html! {
                    <text x={(x + 115).to_string()} y={(70 + 26 * i as i32).to_string()} class="svg-small">{ (*l).to_owned() }</text>
                }) }
            </g>
        }
    };
    html! {
        <figure class="diagram">
            <svg viewBox="0 0 740 190" role="img" aria-label="Customer managed, AWS managed and AWS owned keys compared" class="svg-diagram">
                { col(10, "Customer managed", ["you create and control", "your key policy", "rotation optional, 90–2560 d", "$1/month + requests"], "svg-allow") }
                { col(255, "AWS managed (aws/…)", ["created by a service", "fixed policy: ViaService", "rotates every year", "requests billed"], "svg-state") }
                { col(500, "AWS owned", ["in AWS accounts", "not visible to you", "rotation by AWS", "free, no quota use"], "svg-neutral") }
            </svg>
        </figure>
    }
}

fn lifecycle_diagram() -> Html {
    html! {
        <figure class="diagram">
            <svg viewBox="0 0 740 170" role="img" aria-label="Key states: Enabled, Disabled, PendingDeletion, deleted" class="svg-diagram">
                <defs>
                    <marker id="arrow3" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                        <path d="M0 0 10 5 0 10z" class="svg-arrowhead" />
                    </marker>
                </defs>
                <g class="svg-node svg-allow"><rect x="10" y="50" width="150" height="54" rx="8" /><text x="85" y="82" class="svg-title">{ "Enabled" }</text></g>
                <g class="svg-node svg-state"><rect x="200" y="50" width="150" height="54" rx="8" /><text x="275" y="82" class="svg-title">{ "Disabled" }</text></g>
                <g class="svg-node svg-deny"><rect x="400" y="50" width="170" height="54" rx="8" /><text x="485" y="75" class="svg-title">{ "PendingDeletion" }</text><text x="485" y="94" class="svg-small">{ "7–30 days" }</text></g>
                <g class="svg-node svg-neutral"><rect x="610" y="50" width="120" height="54" rx="8" /><text x="670" y="82" class="svg-title">{ "Deleted" }</text></g>
                <path d="M160 68 H200" class="svg-flow" marker-end="url(#arrow3)" />
                <path d="M200 88 H160" class="svg-flow" marker-end="url(#arrow3)" />
                <path d="M350 77 H400" class="svg-flow" marker-end="url(#arrow3)" />
                <path d="M570 77 H610" class="svg-flow" marker-end="url(#arrow3)" />
                <path d="M485 104 V140 H275 V104" class="svg-flow" marker-end="url(#arrow3)" />
                <path d="M85 50 V20 H485 V50" class="svg-flow" marker-end="url(#arrow3)" />
                <text x="180" y="44" class="svg-small">{ "Disable / Enable" }</text>
                <text x="285" y="14" class="svg-small">{ "ScheduleKeyDeletion" }</text>
                <text x="380" y="158" class="svg-small">{ "CancelKeyDeletion → Disabled" }</text>
                <text x="590" y="44" class="svg-small">{ "window ends" }</text>
            </svg>
        </figure>
    }
}

#[component]
pub fn Learn() -> Html {
    html! {
        <section class="page" aria-labelledby="page-title">
            <h1 id="page-title">{ "Learn" }</h1>
            <p class="muted">{ "The concepts behind AWS KMS and encryption at rest, with diagrams drawn from what you do in the lab." }</p>
            <div class="cards">
                { for TOPICS.iter().map(|t| html! {
                    <Link<Route> to={Route::LearnTopic { topic: t.id.to_owned() }} classes="card">
                        <h2>{ t.title }</h2>
                        <p>{ t.summary }</p>
                    </Link<Route>>
                }) }
            </div>
        </section>
    }
}

/// A `GenerateDataKey` answer in the terminal's transcript (aws-cli JSON output).
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DataKey {
    key_id: String,
    plaintext: String,
    ciphertext_blob: String,
}

#[derive(Properties, PartialEq, Debug)]
pub struct LearnTopicProps {
    pub topic: AttrValue,
}

#[component]
pub fn LearnTopic(props: &LearnTopicProps) -> Html {
    let lab = use_lab();
    let Some(topic) = TOPICS.iter().find(|t| t.id == props.topic.as_str()) else {
        return html! {
            <section class="page" aria-labelledby="page-title">
                <h1 id="page-title">{ format!("Learn: {}", props.topic) }</h1>
                <EmptyState title="Unknown topic" text={format!("No concept page is called `{}`.", props.topic)}>
                    <Link<Route> to={Route::Learn} classes="btn">{ "All topics" }</Link<Route>>
                </EmptyState>
            </section>
        };
    };
    // The learner's own last GenerateDataKey and last failure drive the diagrams.
    let envelope = lab.transcript.iter().rev().find_map(|e| {
        let k = DataKey::deserialize(e.output.json.as_ref()?).ok()?;
        Some(EnvelopeValues {
            key_id: k.key_id,
            plaintext_b64: k.plaintext,
            ciphertext_b64: k.ciphertext_blob,
        })
    });
    // The last failure that stopped at a box of the flowchart, read from the card recorded
    // with it (the call's own decisions; never a re-run on today's world). While the learner
    // diagnoses a scenario, only the box the error code points at is lit, without the trace.
    let limited = lab.with_session(lab::scenario::why_detail) == lab::scenario::WhyDetail::Limited;
    let failure_step = |e: &&std::rc::Rc<crate::state::TermEntry>| {
        let code = e.output.error_code.as_deref()?;
        let recorded = e
            .output
            .why
            .as_ref()
            .and_then(|c| c.step)
            .filter(|_| !limited);
        recorded.or_else(|| awscli::why::step_for_code(code))
    };
    let last_failure = lab
        .transcript
        .iter()
        .rev()
        .find(|e| failure_step(e).is_some());
    let lit = last_failure.and_then(|e| failure_step(&e));
    let explanation = last_failure
        .filter(|_| topic.diagram == Diagram::Evaluation && !limited)
        .and_then(|e| e.output.why.as_ref()?.trace.clone())
        .map(AttrValue::from);
    let diagram = match topic.diagram {
        Diagram::Envelope => html! { <EnvelopeDiagram values={envelope} /> },
        Diagram::Evaluation => html! { <EvalFlow {lit} {explanation} /> },
        Diagram::KeyTypes => key_types_diagram(),
        Diagram::Lifecycle => lifecycle_diagram(),
        Diagram::None => html! {},
    };
    html! {
        <section class="page learn" aria-labelledby="page-title">
            <nav class="breadcrumbs" aria-label="Breadcrumb"><Link<Route> to={Route::Learn}>{ "Learn" }</Link<Route>>{ format!(" › {}", topic.title) }</nav>
            <h1 id="page-title">{ topic.title }</h1>
            <p class="lead">{ topic.summary }</p>
            { diagram }
            { for topic.body.iter().map(|p| html! { <p>{ *p }</p> }) }
            if let Some((old, now)) = topic.misconception {
                <aside class="misconception" aria-label="Common misconception">
                    <strong>{ "Misconception: " }</strong>{ old }<br />
                    <strong>{ "Current fact: " }</strong>{ now }
                </aside>
            }
            <div class="learn-links">
                <div>
                    <h2>{ "Practise it" }</h2>
                    <ul>
                        { for topic.scenarios.iter().map(|id| html! { <li><Link<Route> to={Route::Scenario { id: (*id).to_owned() }}>{ format!("Scenario: {id}") }</Link<Route>></li> }) }
                        { for topic.quiz_topics.iter().map(|q| html! { <li><Link<Route> to={Route::QuizTopic { topic: (*q).to_owned() }}>{ format!("Quiz: {q}") }</Link<Route>></li> }) }
                    </ul>
                </div>
                <div>
                    <h2>{ "AWS documentation" }</h2>
                    <ul>
                        { for topic.docs.iter().map(|(label, path)| html! { <li><a href={doc_url(path)} target="_blank" rel="noopener">{ *label }</a></li> }) }
                    </ul>
                </div>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::TOPICS;

    #[test]
    fn every_learn_link_names_a_real_scenario_and_quiz_topic() {
        for t in TOPICS {
            for id in t.scenarios {
                assert!(
                    lab::scenario::get(id).is_some(),
                    "{}: no scenario {id}",
                    t.id
                );
            }
            for q in t.quiz_topics {
                assert!(
                    lab::quiz::topics().iter().any(|x| x.id == *q),
                    "{}: no quiz topic {q}",
                    t.id
                );
            }
            assert!(!t.docs.is_empty(), "{} cites AWS docs", t.id);
        }
    }
}
