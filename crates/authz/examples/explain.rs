//! Prints the explanation of a few typical KMS decisions:
//! `cargo run -p authz --example explain`.

use std::collections::BTreeMap;

use authz::{Caller, GrantFacts, KeyFacts, KeyManager, KmsRequest, NamedPolicy, authorize_kms};
use policy::{Limits, PolicyDocument, PolicyError, PolicyKind};

fn main() -> Result<(), PolicyError> {
    let key_policy = PolicyDocument::parse(
        r#"{"Version": "2012-10-17", "Statement": [
            {"Sid": "Enable IAM User Permissions", "Effect": "Allow",
             "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
            {"Sid": "Allow use of the key", "Effect": "Allow",
             "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"},
             "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*"], "Resource": "*",
             "Condition": {"StringEquals": {"kms:EncryptionContext:Project": "alpha"}}},
            {"Sid": "Deny plain HTTP", "Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": "*",
             "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}"#,
        PolicyKind::Resource,
        Limits::kms_key_policy(),
    )?;
    let iam = PolicyDocument::parse(
        r#"{"Version": "2012-10-17", "Statement": [{"Sid": "ReadKeys", "Effect": "Allow",
            "Action": ["kms:Describe*", "kms:List*"], "Resource": "*"}]}"#,
        PolicyKind::Identity,
        Limits::iam_managed(),
    )?;
    let key = KeyFacts {
        arn: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab".into(),
        account: "111122223333".into(),
        region: "us-east-1".into(),
        manager: KeyManager::Customer,
        key_spec: "SYMMETRIC_DEFAULT".into(),
        key_usage: "ENCRYPT_DECRYPT".into(),
        origin: "AWS_KMS".into(),
        aliases: vec!["alias/app".into()],
        tags: vec![("Team".into(), "blue".into())],
        policy: &key_policy,
    };
    let policies = [NamedPolicy {
        name: "role/App managed: ReadKeys".into(),
        document: &iam,
    }];
    let grants = [GrantFacts {
        grant_id: "0c237476b39f8bc44e45212e08498fbe".into(),
        grantee_principal: "arn:aws:iam::111122223333:role/App".into(),
        retiring_principal: None,
        operations: vec!["Decrypt".into()],
        encryption_context_equals: None,
        encryption_context_subset: Some(BTreeMap::from([("Project".into(), "beta".into())])),
        created_ms: 1_779_999_990_000,
        token: "token".into(),
    }];
    let app = Caller::assumed_role("111122223333", "App", "worker-1");
    let ec = BTreeMap::from([("Project".to_owned(), "beta".to_owned())]);
    let base = KmsRequest {
        caller: &app,
        action: "kms:Decrypt",
        key: &key,
        identity_policies: &policies,
        grants: &grants,
        grant_tokens: &[],
        encryption_context: Some(&ec),
        via_service: None,
        secure_transport: true,
        source_ip: Some("203.0.113.5"),
        now_ms: 1_780_000_000_000,
        extra_conditions: vec![],
    };
    for req in [
        base.clone(),
        KmsRequest {
            grant_tokens: &["token".to_owned()],
            ..base.clone()
        },
        KmsRequest {
            secure_transport: false,
            ..base.clone()
        },
    ] {
        let d = authorize_kms(&req);
        println!("{}\n", d.explanation);
        if !d.allowed {
            println!("AccessDeniedException: {}\n", d.aws_message);
        }
        println!("----\n");
    }
    Ok(())
}
