use super::*;
use crate::context::{Principal, RequestContext};
use serde_json::{Value, json};

fn ctx() -> RequestContext {
    RequestContext::new(Principal::user("111122223333", "alice"), "kms:Decrypt", "*")
}

fn holds(block: Value, ctx: &RequestContext) -> bool {
    parse_block(&block, true)
        .unwrap()
        .iter()
        .all(|c| c.check(ctx).satisfied)
}

#[test]
fn operator_names() {
    let op = ConditionOperator::parse("ForAllValues:StringLikeIfExists").unwrap();
    assert_eq!(op.qualifier, Some(SetQualifier::ForAllValues));
    assert_eq!(op.kind, OperatorKind::StringLike);
    assert!(op.if_exists);
    assert_eq!(op.to_string(), "ForAllValues:StringLikeIfExists");
    assert!(ConditionOperator::parse("stringEquals").is_none());
    assert_eq!(
        ConditionOperator::parse_ignoring_case("stringequals").map(|o| o.to_string()),
        Some("StringEquals".to_owned())
    );
    assert!(ConditionOperator::parse("StringEqualz").is_none());
    assert!(ConditionOperator::parse("NullIfExists").is_none());
    assert!(ConditionOperator::parse("ForSomeValues:StringEquals").is_none());
}

#[test]
fn values_are_typed_at_parse_time() {
    let err = parse_block(&json!({"NumericLessThan": {"s3:max-keys": "ten"}}), true).unwrap_err();
    assert_eq!(
        err.to_string(),
        "`NumericLessThan` on `s3:max-keys`: `ten` is not a number"
    );
    assert!(parse_block(&json!({"IpAddress": {"aws:SourceIp": "10.0.0.0/33"}}), true).is_err());
    assert!(parse_block(&json!({"DateLessThan": {"aws:CurrentTime": "soon"}}), true).is_err());
    assert!(parse_block(&json!({"Bool": {"aws:SecureTransport": "yes"}}), true).is_err());
    assert!(parse_block(&json!({"BinaryEquals": {"k": "***"}}), true).is_err());
    assert!(parse_block(&json!({"StringEquals": {"k": []}}), true).is_err());
    assert!(parse_block(&json!({"StringEquals": {"k": {"a": 1}}}), true).is_err());
    assert!(parse_block(&json!({"StringEquals": "k"}), true).is_err());
}

#[test]
fn numbers_and_json_scalars() {
    let mut c = ctx();
    c.set_number("s3:max-keys", 5);
    assert!(holds(json!({"NumericLessThan": {"s3:max-keys": 10}}), &c));
    assert!(!holds(
        json!({"NumericGreaterThan": {"s3:max-keys": "10"}}),
        &c
    ));
    assert!(holds(
        json!({"NumericLessThanEquals": {"s3:max-keys": "5"}}),
        &c
    ));
    assert!(holds(
        json!({"NumericNotEquals": {"s3:max-keys": ["1", "2"]}}),
        &c
    ));
    assert!(!holds(
        json!({"NumericNotEquals": {"s3:max-keys": ["1", "5"]}}),
        &c
    ));
}

#[test]
fn ip_v4_and_v6() {
    let mut c = ctx();
    c.set("aws:SourceIp", "203.0.113.77");
    assert!(holds(
        json!({"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}),
        &c
    ));
    assert!(!holds(
        json!({"IpAddress": {"aws:SourceIp": "203.0.114.0/24"}}),
        &c
    ));
    assert!(holds(
        json!({"NotIpAddress": {"aws:SourceIp": "2001:db8::/32"}}),
        &c
    ));
    c.set("aws:SourceIp", "2001:db8:1::5");
    assert!(holds(
        json!({"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "2001:db8::/32"]}}),
        &c
    ));
    assert!(!holds(
        json!({"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}),
        &ctx()
    ));
    c.set("aws:SourceIp", "10.1.2.3");
    assert!(holds(
        json!({"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}),
        &c
    ));
    assert!(holds(
        json!({"IpAddress": {"aws:SourceIp": "10.1.2.3"}}),
        &c
    ));
}

#[test]
fn binary_and_bool() {
    let mut c = ctx();
    c.set("k", "QmluYXJ5");
    c.set("aws:SecureTransport", "TRUE");
    assert!(holds(json!({"BinaryEquals": {"k": "QmluYXJ5"}}), &c));
    assert!(!holds(json!({"BinaryEquals": {"k": "QmluYXJa"}}), &c));
    assert!(holds(json!({"Bool": {"aws:SecureTransport": true}}), &c));
    assert!(!holds(
        json!({"Bool": {"aws:SecureTransport": "false"}}),
        &c
    ));
}

#[test]
fn arn_components() {
    let mut c = ctx();
    c.set("aws:SourceArn", "arn:aws:s3:::bucket-1");
    assert!(holds(
        json!({"ArnLike": {"aws:SourceArn": "arn:aws:s3:::bucket-*"}}),
        &c
    ));
    assert!(holds(
        json!({"ArnEquals": {"aws:SourceArn": "arn:aws:s3:::bucket-1"}}),
        &c
    ));
    assert!(!holds(
        json!({"ArnLike": {"aws:SourceArn": "arn:aws:s3:::Bucket-*"}}),
        &c
    ));
    // `*` in one component does not swallow the `:` separators.
    c.set("aws:SourceArn", "arn:aws:iam::111122223333:role/a");
    assert!(!holds(
        json!({"ArnLike": {"aws:SourceArn": "arn:aws:*:role/a"}}),
        &c
    ));
    assert!(holds(
        json!({"ArnLike": {"aws:SourceArn": "arn:aws:iam::*:role/*"}}),
        &c
    ));
    assert!(holds(
        json!({"ArnNotLike": {"aws:SourceArn": "arn:aws:iam::*:user/*"}}),
        &c
    ));
    c.set("aws:SourceArn", "not-an-arn");
    assert!(!holds(
        json!({"ArnLike": {"aws:SourceArn": "arn:aws:iam::*:role/*"}}),
        &c
    ));
}

#[test]
fn missing_key_rules() {
    let c = ctx();
    assert!(!holds(json!({"StringEquals": {"kms:ViaService": "x"}}), &c));
    assert!(holds(
        json!({"StringNotEquals": {"kms:ViaService": "x"}}),
        &c
    ));
    assert!(holds(
        json!({"StringEqualsIfExists": {"kms:ViaService": "x"}}),
        &c
    ));
    assert!(holds(
        json!({"ForAllValues:StringEquals": {"aws:TagKeys": "x"}}),
        &c
    ));
    assert!(!holds(
        json!({"ForAnyValue:StringEquals": {"aws:TagKeys": "x"}}),
        &c
    ));
    assert!(holds(
        json!({"ForAnyValue:StringEqualsIfExists": {"aws:TagKeys": "x"}}),
        &c
    ));
    assert!(holds(json!({"Null": {"kms:ViaService": "true"}}), &c));
    assert!(!holds(json!({"Null": {"kms:ViaService": "false"}}), &c));
    let mut empty = ctx();
    empty.set_list("aws:TagKeys", Vec::<String>::new());
    assert!(holds(
        json!({"ForAllValues:StringEquals": {"aws:TagKeys": "x"}}),
        &empty
    ));
    assert!(holds(json!({"Null": {"aws:TagKeys": "true"}}), &empty));
}

#[test]
fn negated_values_are_nored() {
    let mut c = ctx();
    c.set("kms:ViaService", "s3.us-east-1.amazonaws.com");
    assert!(!holds(
        json!({"StringNotEquals": {"kms:ViaService": ["ec2.us-east-1.amazonaws.com", "s3.us-east-1.amazonaws.com"]}}),
        &c
    ));
    assert!(holds(
        json!({"StringNotEquals": {"kms:ViaService": ["ec2.us-east-1.amazonaws.com", "rds.us-east-1.amazonaws.com"]}}),
        &c
    ));
    assert!(holds(
        json!({"StringNotEqualsIgnoreCase": {"kms:ViaService": "EC2.us-east-1.amazonaws.com"}}),
        &c
    ));
    assert!(!holds(
        json!({"StringNotEqualsIgnoreCase": {"kms:ViaService": "S3.US-EAST-1.amazonaws.com"}}),
        &c
    ));
}

#[test]
fn set_operators_over_lists() {
    let mut c = ctx();
    c.set_list("kms:EncryptionContextKeys", ["Department", "Project"]);
    assert!(holds(
        json!({"ForAllValues:StringEquals": {"kms:EncryptionContextKeys": ["Department", "Project", "Team"]}}),
        &c
    ));
    assert!(!holds(
        json!({"ForAllValues:StringEquals": {"kms:EncryptionContextKeys": ["Department"]}}),
        &c
    ));
    assert!(holds(
        json!({"ForAnyValue:StringEquals": {"kms:EncryptionContextKeys": ["Department"]}}),
        &c
    ));
    assert!(!holds(
        json!({"ForAnyValue:StringEquals": {"kms:EncryptionContextKeys": ["Team"]}}),
        &c
    ));
    assert!(holds(
        json!({"ForAnyValue:StringNotLike": {"kms:EncryptionContextKeys": "Dep*"}}),
        &c
    ));
    assert!(!holds(
        json!({"ForAllValues:StringNotLike": {"kms:EncryptionContextKeys": "Dep*"}}),
        &c
    ));
}

#[test]
fn dates_compare_instants() {
    let mut c = ctx();
    c.set_time(1_795_377_600); // 2026-11-22T20:00:00Z
    assert!(holds(
        json!({"DateLessThan": {"aws:CurrentTime": "2026-12-01T00:00:00Z"}}),
        &c
    ));
    assert!(holds(
        json!({"DateGreaterThan": {"aws:CurrentTime": "2026-11-22"}}),
        &c
    ));
    assert!(holds(
        json!({"DateEquals": {"aws:EpochTime": "2026-11-22T21:00:00+01:00"}}),
        &c
    ));
    assert!(holds(
        json!({"DateLessThanEquals": {"aws:EpochTime": 1_795_377_600}}),
        &c
    ));
    assert!(!holds(
        json!({"DateGreaterThanEquals": {"aws:CurrentTime": "1795377601"}}),
        &c
    ));
}

#[test]
fn display_reads_well() {
    let mut c = ctx();
    c.set("kms:ViaService", "ec2.us-east-1.amazonaws.com");
    let conds = parse_block(
        &json!({"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}),
        true,
    )
    .unwrap();
    let check = conds[0].check(&c);
    assert!(!check.satisfied);
    assert_eq!(
        check.to_string(),
        "StringEquals kms:ViaService expected [`s3.us-east-1.amazonaws.com`] got [`ec2.us-east-1.amazonaws.com`]"
    );
    let check = conds[0].check(&ctx());
    assert_eq!(
        check.to_string(),
        "StringEquals kms:ViaService failed: condition key missing from the request"
    );
}

#[test]
fn unresolved_variables_are_reported() {
    let ctx = RequestContext::new(Principal::assumed_role("1", "R", "s"), "s3:ListBucket", "*")
        .with("s3:prefix", "home/s/");
    let conds = parse_block(
        &json!({"StringLike": {"s3:prefix": "home/${aws:username}/*"}}),
        true,
    )
    .unwrap();
    let check = conds[0].check(&ctx);
    assert!(!check.satisfied);
    assert_eq!(check.unresolved, vec!["aws:username".to_owned()]);
    assert!(
        check
            .to_string()
            .ends_with("(no value in this request for `${aws:username}`)"),
        "{check}"
    );
}

#[test]
fn multivalued_key_without_qualifier() {
    // Without ForAnyValue/ForAllValues a positive operator needs one matching
    // request value; a negated one needs every value to match nothing.
    let mut c = ctx();
    c.set_list("aws:TagKeys", ["a", "b"]);
    assert!(holds(json!({"StringEquals": {"aws:TagKeys": "b"}}), &c));
    assert!(!holds(json!({"StringNotEquals": {"aws:TagKeys": "b"}}), &c));
    assert!(holds(json!({"StringNotEquals": {"aws:TagKeys": "c"}}), &c));
}

#[test]
fn explanations_name_the_relation() {
    let mut c = ctx();
    c.set_number("kms:ScheduleKeyDeletionPendingWindowInDays", 7);
    c.set("aws:PrincipalArn", "arn:aws:iam::1:user/a");
    let conds = parse_block(
        &json!({
            "NumericLessThan": {"kms:ScheduleKeyDeletionPendingWindowInDays": 30},
            "ArnNotEquals": {"aws:PrincipalArn": "arn:aws:iam::1:role/Admin"}
        }),
        true,
    )
    .unwrap();
    let texts: Vec<String> = conds.iter().map(|x| x.check(&c).to_string()).collect();
    assert_eq!(
        texts,
        [
            "NumericLessThan kms:ScheduleKeyDeletionPendingWindowInDays holds: expected < [`30`] got [`7`]",
            "ArnNotEquals aws:PrincipalArn holds: expected none of [`arn:aws:iam::1:role/Admin`] got [`arn:aws:iam::1:user/a`]",
        ]
    );
}
