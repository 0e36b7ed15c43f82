//! Malformed documents: each must be rejected with a message naming the problem.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use policy::{AwsService, Limits, PolicyDocument, PolicyError, PolicyKind};

fn err(json: &str, kind: PolicyKind) -> PolicyError {
    match PolicyDocument::parse(json, kind, Limits::none()) {
        Ok(_) => panic!("accepted a malformed policy: {json}"),
        Err(e) => e,
    }
}

fn msg(json: &str, kind: PolicyKind) -> String {
    err(json, kind).to_string()
}

fn resource(statements: &str) -> String {
    format!(r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#)
}

const OK: &str = r#"{"Sid":"Ok","Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*"}"#;

#[test]
fn unknown_statement_element_names_the_statement_number() {
    let json = resource(&format!(
        r#"{OK},{{"Effect":"Allow","Principal":"*","Acton":"kms:*"}}"#
    ));
    assert_eq!(
        msg(&json, PolicyKind::Resource),
        "statement 2: unknown element `Acton` (did you mean `Action`?)"
    );
    let json = resource(r#"{"Effect":"Allow","Principal":"*","Action":"kms:*","Frobnicate":1}"#);
    assert_eq!(
        msg(&json, PolicyKind::Resource),
        "statement 1: unknown element `Frobnicate`"
    );
}

#[test]
fn unknown_element_with_wrong_case_gets_a_suggestion() {
    let json = resource(r#"{"Sid":"S","effect":"Allow","Principal":"*","Action":"kms:*"}"#);
    assert_eq!(
        msg(&json, PolicyKind::Resource),
        "statement `S`: unknown element `effect` (did you mean `Effect`?)"
    );
}

#[test]
fn unknown_top_level_element() {
    let json = r#"{"Version":"2012-10-17","Statment":[]}"#;
    assert_eq!(
        msg(json, PolicyKind::Resource),
        "policy: unknown element `Statment` (did you mean `Statement`?)"
    );
}

#[test]
fn effect_must_be_allow_or_deny() {
    let json = resource(r#"{"Sid":"AllowUse","Effect":"allow","Principal":"*","Action":"kms:*"}"#);
    assert_eq!(
        msg(&json, PolicyKind::Resource),
        "statement `AllowUse`: `Effect` must be `Allow` or `Deny`, found `allow`"
    );
}

#[test]
fn missing_effect_and_action() {
    let json = resource(r#"{"Principal":"*","Action":"kms:*"}"#);
    assert_eq!(
        msg(&json, PolicyKind::Resource),
        "statement 1: missing required element `Effect`"
    );
    let json = resource(r#"{"Effect":"Allow","Principal":"*","Resource":"*"}"#);
    assert_eq!(
        msg(&json, PolicyKind::Resource),
        "statement 1: missing required element `Action`"
    );
}

#[test]
fn action_and_not_action_conflict() {
    let json = resource(
        r#"{"Effect":"Allow","Principal":"*","Action":"kms:*","NotAction":"kms:Decrypt"}"#,
    );
    assert_eq!(
        msg(&json, PolicyKind::Resource),
        "statement 1: `Action` and `NotAction` cannot both be present"
    );
    let json = resource(
        r#"{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*","NotResource":"*"}"#,
    );
    assert!(
        msg(&json, PolicyKind::Resource)
            .contains("`Resource` and `NotResource` cannot both be present")
    );
}

#[test]
fn principal_rules_per_kind() {
    let identity =
        resource(r#"{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*"}"#);
    assert_eq!(
        msg(&identity, PolicyKind::Identity),
        "statement 1: `Principal` is not allowed in an identity policy"
    );
    let missing = resource(r#"{"Effect":"Allow","Action":"kms:*","Resource":"*"}"#);
    assert_eq!(
        msg(&missing, PolicyKind::Resource),
        "statement 1: resource policy statements must name a `Principal`"
    );
    assert_eq!(
        msg(&missing, PolicyKind::Trust),
        "statement 1: role trust policy statements must name a `Principal`"
    );
    let not_principal_trust = resource(
        r#"{"Effect":"Deny","NotPrincipal":{"AWS":"111122223333"},"Action":"sts:AssumeRole"}"#,
    );
    assert_eq!(
        msg(&not_principal_trust, PolicyKind::Trust),
        "statement 1: `NotPrincipal` is not allowed in a role trust policy"
    );
    let not_principal_allow =
        resource(r#"{"Effect":"Allow","NotPrincipal":{"AWS":"111122223333"},"Action":"kms:*"}"#);
    assert_eq!(
        msg(&not_principal_allow, PolicyKind::Resource),
        "statement 1: `NotPrincipal` can only be used with `\"Effect\": \"Deny\"`"
    );
}

#[test]
fn resource_rules_per_kind() {
    let json = resource(r#"{"Effect":"Allow","Action":"kms:*"}"#);
    assert_eq!(
        msg(&json, PolicyKind::Identity),
        "statement 1: identity policy statements must have a `Resource` or `NotResource`"
    );
    let json = resource(
        r#"{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole","Resource":"*"}"#,
    );
    assert_eq!(
        msg(&json, PolicyKind::Trust),
        "statement 1: `Resource` is not allowed in a role trust policy"
    );
}

#[test]
fn invalid_principals() {
    let json = resource(
        r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/*"},"Action":"kms:*"}"#,
    );
    assert_eq!(
        msg(&json, PolicyKind::Resource),
        "statement 1: invalid principal `arn:aws:iam::111122223333:role/*`: wildcards are only allowed as the whole value `*`"
    );
    let json = resource(r#"{"Effect":"Allow","Principal":{"AWS":"alice"},"Action":"kms:*"}"#);
    assert!(msg(&json, PolicyKind::Resource).contains("invalid principal `alice`"));
    let json =
        resource(r#"{"Effect":"Allow","Principal":{"CanonicalUser":"abc"},"Action":"kms:*"}"#);
    assert!(
        msg(&json, PolicyKind::Resource).contains("unsupported principal type `CanonicalUser`")
    );
    let json = resource(
        r#"{"Effect":"Allow","Principal":"arn:aws:iam::111122223333:root","Action":"kms:*"}"#,
    );
    assert!(msg(&json, PolicyKind::Resource).starts_with("statement 1: `Principal` must be"));
}

#[test]
fn invalid_actions_and_resources() {
    let json = resource(r#"{"Effect":"Allow","Principal":"*","Action":"Decrypt"}"#);
    assert_eq!(
        msg(&json, PolicyKind::Resource),
        "statement 1: invalid action `Decrypt`: actions must be `*` or `service:action`"
    );
    let json =
        resource(r#"{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"my-key"}"#);
    assert_eq!(
        msg(&json, PolicyKind::Resource),
        "statement 1: invalid resource `my-key`: resources must be `*` or an ARN"
    );
    let json = resource(r#"{"Effect":"Allow","Principal":"*","Action":[]}"#);
    assert_eq!(
        msg(&json, PolicyKind::Resource),
        "statement 1: `Action` must not be empty"
    );
    let json = resource(r#"{"Effect":"Allow","Principal":"*","Action":["kms:*", 7]}"#);
    assert_eq!(
        msg(&json, PolicyKind::Resource),
        "statement 1: `Action` must be a string or a list of strings"
    );
}

#[test]
fn unsupported_condition_operator() {
    let json = resource(
        r#"{"Effect":"Allow","Principal":"*","Action":"kms:*","Condition":{"StringEqualz":{"kms:ViaService":"x"}}}"#,
    );
    assert_eq!(
        msg(&json, PolicyKind::Resource),
        "statement 1: unsupported condition operator `StringEqualz`"
    );
    let json = resource(
        r#"{"Effect":"Allow","Principal":"*","Action":"kms:*","Condition":{"NullIfExists":{"k":"true"}}}"#,
    );
    assert!(
        msg(&json, PolicyKind::Resource).contains("unsupported condition operator `NullIfExists`")
    );
}

#[test]
fn condition_values_are_checked_for_their_operator() {
    let json = resource(
        r#"{"Sid":"Dates","Effect":"Allow","Principal":"*","Action":"kms:*","Condition":{"DateLessThan":{"aws:CurrentTime":"next week"}}}"#,
    );
    assert_eq!(
        msg(&json, PolicyKind::Resource),
        "statement `Dates`: `DateLessThan` on `aws:CurrentTime`: `next week` is not an ISO 8601 date or epoch seconds"
    );
    let json = resource(
        r#"{"Effect":"Allow","Principal":"*","Action":"kms:*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.300/8"}}}"#,
    );
    assert!(msg(&json, PolicyKind::Resource).contains("is not an IP address or CIDR block"));
}

#[test]
fn bad_policy_variable() {
    let json = resource(
        r#"{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:username"}"#,
    );
    assert_eq!(
        msg(&json, PolicyKind::Resource),
        "statement 1: invalid policy variable in `arn:aws:s3:::b/${aws:username`: `${` is not closed by `}`"
    );
    // In the 2008 version the same text is literal.
    let old = r#"{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:username"}]}"#;
    assert!(PolicyDocument::parse(old, PolicyKind::Resource, Limits::none()).is_ok());
}

#[test]
fn duplicate_sids() {
    let json = resource(&format!("{OK},{OK}"));
    assert_eq!(
        msg(&json, PolicyKind::Resource),
        "statement 2: duplicate Sid `Ok` (each statement id must be unique in a policy)"
    );
}

#[test]
fn version_and_statement_shape() {
    assert_eq!(
        msg(
            r#"{"Version":"2012-10-18","Statement":[]}"#,
            PolicyKind::Resource
        ),
        "policy: `Version` must be `2012-10-17` or `2008-10-17`, found `2012-10-18`"
    );
    assert_eq!(
        msg(
            r#"{"Version":"2012-10-17","Statement":[]}"#,
            PolicyKind::Resource
        ),
        "policy: `Statement` must not be empty"
    );
    assert_eq!(
        msg(r#"{"Version":"2012-10-17"}"#, PolicyKind::Resource),
        "policy: missing required element `Statement`"
    );
    assert_eq!(
        msg("[]", PolicyKind::Resource),
        "policy: `policy` must be a JSON object"
    );
    assert_eq!(
        msg(r#"{"Statement":["x"]}"#, PolicyKind::Resource),
        "statement 1: `Statement` must be an object"
    );
}

#[test]
fn invalid_json_reports_the_position() {
    let e = err(
        "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n}",
        PolicyKind::Resource,
    );
    match &e {
        PolicyError::InvalidJson { line, column, .. } => {
            assert_eq!((*line, *column), (4, 1));
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(
        e.to_string()
            .starts_with("invalid JSON at line 4, column 1: "),
        "{e}"
    );
    assert_eq!(
        e.code_for(AwsService::Kms),
        "MalformedPolicyDocumentException"
    );
    assert_eq!(e.code_for(AwsService::Iam), "MalformedPolicyDocument");
}

#[test]
fn size_limits_and_their_codes() {
    let padding = " ".repeat(40_000);
    let json = format!(r#"{{"Version":"2012-10-17",{padding}"Statement":[{OK}]}}"#);
    let e =
        PolicyDocument::parse(&json, PolicyKind::Resource, Limits::kms_key_policy()).unwrap_err();
    assert_eq!(e.code_for(AwsService::Kms), "LimitExceededException");
    assert!(
        e.to_string().contains("more than the limit of 32768"),
        "{e}"
    );
    // IAM counts non-whitespace characters, so the padding does not count.
    let identity = format!(
        r#"{{"Version":"2012-10-17",{padding}"Statement":[{{"Effect":"Allow","Action":"kms:*","Resource":"*"}}]}}"#
    );
    assert!(
        PolicyDocument::parse(&identity, PolicyKind::Identity, Limits::iam_user_inline()).is_ok()
    );
    let many: Vec<String> = (0..200).map(|i| format!(r#""kms:Action{i:04}""#)).collect();
    let big = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":[{}],"Resource":"*"}}]}}"#,
        many.join(",")
    );
    let e =
        PolicyDocument::parse(&big, PolicyKind::Identity, Limits::iam_user_inline()).unwrap_err();
    assert_eq!(e.code_for(AwsService::Iam), "LimitExceeded");
    assert!(
        e.to_string()
            .contains("non-whitespace characters, more than the limit of 2048"),
        "{e}"
    );
    assert!(PolicyDocument::parse(&big, PolicyKind::Identity, Limits::iam_role_inline()).is_ok());
}
