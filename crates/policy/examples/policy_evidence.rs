//! Prints the evidence for a few requests against a console-style key policy:
//! `cargo run -p policy --example policy_evidence`.

use policy::{Limits, PolicyDocument, PolicyError, PolicyKind, Principal, RequestContext};

const KEY_POLICY: &str = r#"{
  "Version": "2012-10-17",
  "Id": "key-consolepolicy-3",
  "Statement": [
    {
      "Sid": "Enable IAM User Permissions",
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
      "Action": "kms:*",
      "Resource": "*"
    },
    {
      "Sid": "Allow use of the key through S3 only",
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::444455556666:role/Analytics"},
      "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
      "Resource": "*",
      "Condition": {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}
    },
    {
      "Sid": "Protect the key",
      "Effect": "Deny",
      "Principal": "*",
      "Action": "kms:ScheduleKeyDeletion",
      "Resource": "*",
      "Condition": {"ArnNotEquals": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/KeyAdmin"}}
    }
  ]
}"#;

const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

fn main() -> Result<(), PolicyError> {
    let doc = PolicyDocument::parse(KEY_POLICY, PolicyKind::Resource, Limits::kms_key_policy())?;
    let requests = [
        RequestContext::new(Principal::user("111122223333", "alice"), "kms:Decrypt", KEY),
        RequestContext::new(
            Principal::assumed_role("444455556666", "Analytics", "job-7"),
            "kms:Decrypt",
            KEY,
        ),
        RequestContext::new(
            Principal::assumed_role("444455556666", "Analytics", "job-7"),
            "kms:Decrypt",
            KEY,
        )
        .with("kms:ViaService", "s3.us-east-1.amazonaws.com"),
        RequestContext::new(
            Principal::user("111122223333", "alice"),
            "kms:ScheduleKeyDeletion",
            KEY,
        ),
    ];
    for ctx in &requests {
        println!("{} calls {}:", ctx.principal(), ctx.action());
        println!("{}\n", doc.evaluate(ctx));
    }
    Ok(())
}
