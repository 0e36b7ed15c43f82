use super::*;
use crate::error::{PolicyError, SizeUnit};

fn parse(json: &str, kind: PolicyKind) -> Result<PolicyDocument, String> {
    PolicyDocument::parse(json, kind, Limits::none()).map_err(|e| e.to_string())
}

const KMS_DEFAULT: &str = r#"{
      "Version": "2012-10-17",
      "Id": "key-default-1",
      "Statement": [{
        "Sid": "Enable IAM User Permissions",
        "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
        "Action": "kms:*",
        "Resource": "*"
      }]
    }"#;

#[test]
fn parses_default_key_policy() {
    let doc = parse(KMS_DEFAULT, PolicyKind::Resource).unwrap();
    assert_eq!(doc.version(), Version::V2012_10_17);
    assert_eq!(doc.id(), Some("key-default-1"));
    assert_eq!(doc.source(), KMS_DEFAULT);
    let st = &doc.statements()[0];
    assert_eq!(st.sid(), Some("Enable IAM User Permissions"));
    assert_eq!(st.effect(), Effect::Allow);
    assert_eq!(
        st.principal().unwrap().ids,
        vec![PrincipalId::Account {
            id: "111122223333".to_owned(),
            raw: "arn:aws:iam::111122223333:root".to_owned()
        }]
    );
    assert_eq!(doc.principals().len(), 1);
}

#[test]
fn statement_may_be_a_single_object_and_version_defaults() {
    let doc = parse(
        r#"{"Statement": {"Effect": "Deny", "Action": "s3:*", "Resource": "*"}}"#,
        PolicyKind::Identity,
    )
    .unwrap();
    assert_eq!(doc.version(), Version::V2008_10_17);
    assert_eq!(doc.statements().len(), 1);
}

#[test]
fn principal_forms() {
    let doc = parse(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole",
               "Principal":{"AWS":["111122223333","arn:aws:iam::444455556666:role/R","*"],
                            "Service":"ec2.amazonaws.com",
                            "Federated":"cognito-identity.amazonaws.com"}}]}"#,
        PolicyKind::Trust,
    )
    .unwrap();
    let ids = &doc.statements()[0].principal().unwrap().ids;
    assert_eq!(ids.len(), 5);
    assert!(matches!(&ids[0], PrincipalId::Account { id, .. } if id == "111122223333"));
    assert_eq!(
        ids[1],
        PrincipalId::Arn("arn:aws:iam::444455556666:role/R".to_owned())
    );
    assert_eq!(ids[2], PrincipalId::Everyone);
    assert_eq!(ids[3], PrincipalId::Service("ec2.amazonaws.com".to_owned()));
}

#[test]
fn limits_are_enforced() {
    let err =
        PolicyDocument::parse(KMS_DEFAULT, PolicyKind::Resource, Limits::bytes(100)).unwrap_err();
    assert!(matches!(
        err,
        PolicyError::TooLarge {
            limit: 100,
            unit: SizeUnit::Bytes,
            ..
        }
    ));
    let nonws = KMS_DEFAULT.chars().filter(|c| !c.is_whitespace()).count();
    assert!(
        PolicyDocument::parse(
            KMS_DEFAULT,
            PolicyKind::Resource,
            Limits::non_whitespace_chars(nonws)
        )
        .is_ok()
    );
    assert!(
        PolicyDocument::parse(
            KMS_DEFAULT,
            PolicyKind::Resource,
            Limits::non_whitespace_chars(nonws - 1)
        )
        .is_err()
    );
    let exotic = KMS_DEFAULT.replace("key-default-1", "key-\u{2603}");
    let err =
        PolicyDocument::parse(&exotic, PolicyKind::Resource, Limits::kms_key_policy()).unwrap_err();
    assert!(err.to_string().contains("U+2603"), "{err}");
    assert!(PolicyDocument::parse(&exotic, PolicyKind::Resource, Limits::none()).is_ok());
}

#[test]
fn serde_round_trip_is_exact() {
    let doc = parse(KMS_DEFAULT, PolicyKind::Resource).unwrap();
    let stored = serde_json::to_string(&doc).unwrap();
    let back: PolicyDocument = serde_json::from_str(&stored).unwrap();
    assert_eq!(back, doc);
    assert_eq!(back.source(), KMS_DEFAULT);
    let bad = r#"{"kind":"Resource","source":"{}"}"#;
    assert!(serde_json::from_str::<PolicyDocument>(bad).is_err());
}
