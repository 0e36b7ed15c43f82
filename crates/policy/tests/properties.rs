//! Property tests (bounded): deny monotonicity, allow removal, glob matching
//! against a reference matcher, and exact serde round trips.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use policy::{Decision, Effect, Limits, PolicyDocument, PolicyKind, Principal, RequestContext};
use proptest::prelude::*;

const PRINCIPALS: &[&str] = &[
    r#""Principal": "*""#,
    r#""Principal": {"AWS": "111122223333"}"#,
    r#""Principal": {"AWS": "arn:aws:iam::111122223333:user/alice"}"#,
    r#""Principal": {"AWS": ["arn:aws:iam::111122223333:role/App", "444455556666"]}"#,
    r#""Principal": {"Service": "s3.amazonaws.com"}"#,
];
const NOT_PRINCIPALS: &[&str] = &[
    r#""NotPrincipal": {"AWS": ["arn:aws:iam::111122223333:user/alice", "111122223333"]}"#,
    r#""NotPrincipal": {"AWS": "arn:aws:iam::111122223333:role/App"}"#,
];
const ACTIONS: &[&str] = &[
    r#""Action": "kms:*""#,
    r#""Action": "*""#,
    r#""Action": ["kms:Decrypt", "kms:Encrypt"]"#,
    r#""Action": "KMS:?ncrypt""#,
    r#""Action": "s3:*""#,
    r#""NotAction": "kms:Decrypt""#,
    r#""NotAction": ["kms:*"]"#,
];
const RESOURCES: &[&str] = &[
    r#""Resource": "*""#,
    r#""Resource": "arn:aws:kms:us-east-1:111122223333:key/*""#,
    r#""Resource": "arn:aws:kms:*:*:key/k?""#,
    r#""NotResource": "arn:aws:kms:us-east-1:111122223333:key/k1""#,
    r#""Resource": "arn:aws:s3:::bucket/${aws:username}/*""#,
];
const CONDITIONS: &[&str] = &[
    "",
    r#", "Condition": {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}"#,
    r#", "Condition": {"StringNotEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}"#,
    r#", "Condition": {"StringEqualsIfExists": {"kms:ViaService": "ec2.us-east-1.amazonaws.com"}}"#,
    r#", "Condition": {"ForAllValues:StringEquals": {"kms:EncryptionContextKeys": ["Dept", "Team"]}}"#,
    r#", "Condition": {"ForAnyValue:StringLike": {"kms:EncryptionContextKeys": "D*"}}"#,
    r#", "Condition": {"Bool": {"aws:SecureTransport": "true"}, "Null": {"kms:ViaService": "false"}}"#,
];

/// One statement as JSON text; NotPrincipal only with Deny (AWS requires it).
fn statement() -> impl Strategy<Value = (Effect, String)> {
    (
        any::<bool>(),
        prop::sample::select(PRINCIPALS),
        prop::sample::select(NOT_PRINCIPALS),
        any::<bool>(),
        prop::sample::select(ACTIONS),
        prop::sample::select(RESOURCES),
        prop::sample::select(CONDITIONS),
    )
        .prop_map(|(allow, p, np, use_np, a, r, c)| {
            let effect = if allow { Effect::Allow } else { Effect::Deny };
            let principal = if !allow && use_np { np } else { p };
            (
                effect,
                format!(r#"{{"Effect": "{effect}", {principal}, {a}, {r}{c}}}"#),
            )
        })
}

fn policy_text(statements: &[(Effect, String)]) -> String {
    let body: Vec<&str> = statements.iter().map(|(_, s)| s.as_str()).collect();
    format!(
        r#"{{"Version": "2012-10-17", "Statement": [{}]}}"#,
        body.join(", ")
    )
}

fn parse(statements: &[(Effect, String)]) -> PolicyDocument {
    let text = policy_text(statements);
    PolicyDocument::parse(&text, PolicyKind::Resource, Limits::none())
        .unwrap_or_else(|e| panic!("generator produced an invalid policy: {e}\n{text}"))
}

fn request() -> impl Strategy<Value = RequestContext> {
    let principals = prop::sample::select(vec![
        Principal::root("111122223333"),
        Principal::user("111122223333", "alice"),
        Principal::user("111122223333", "bob"),
        Principal::assumed_role("111122223333", "App", "s1"),
        Principal::user("444455556666", "carol"),
        Principal::service("s3.amazonaws.com"),
        Principal::anonymous(),
    ]);
    let actions = prop::sample::select(vec![
        "kms:Decrypt",
        "kms:Encrypt",
        "kms:ReEncrypt",
        "s3:GetObject",
    ]);
    let resources = prop::sample::select(vec![
        "arn:aws:kms:us-east-1:111122223333:key/k1",
        "arn:aws:kms:eu-west-1:444455556666:key/k2",
        "arn:aws:s3:::bucket/alice/x",
    ]);
    let via = prop::option::of(prop::sample::select(vec![
        "s3.us-east-1.amazonaws.com",
        "ec2.us-east-1.amazonaws.com",
    ]));
    let keys = prop::option::of(prop::collection::vec(
        prop::sample::select(vec!["Dept", "Team", "Other"]),
        0..3,
    ));
    (principals, actions, resources, via, keys, any::<bool>()).prop_map(
        |(p, a, r, via, keys, tls)| {
            let mut ctx = RequestContext::new(p, a, r);
            if let Some(v) = via {
                ctx.set("kms:ViaService", v);
            }
            if let Some(k) = keys {
                ctx.set_list("kms:EncryptionContextKeys", k);
            }
            ctx.set_bool("aws:SecureTransport", tls);
            ctx
        },
    )
}

/// `decide` (no evidence, lazy context) agrees with `evaluate` statement by statement.
fn decide_agrees(doc: &PolicyDocument, ctx: &RequestContext) -> Result<(), TestCaseError> {
    let ev = doc.evaluate(ctx);
    let build = || ctx.clone();
    let lazy = policy::LazyContext::new(&build);
    let request = policy::Request {
        principal: ctx.principal().view(),
        action: ctx.action(),
        resource: ctx.resource(),
        context: &lazy,
    };
    let mut verdicts = Vec::new();
    let decision = doc.decide(&request, |i, v| verdicts.push((i, v)));
    prop_assert_eq!(decision, ev.decision);
    prop_assert_eq!(verdicts.len(), ev.statements.len());
    for ((i, v), s) in verdicts.iter().zip(&ev.statements) {
        prop_assert_eq!(*i, s.index);
        prop_assert_eq!(v.outcome, s.outcome);
        let by_account = matches!(
            s.reason,
            policy::Reason::Applies {
                principal: policy::PrincipalMatch::Account { .. },
                ..
            }
        );
        prop_assert_eq!(v.by_account, by_account);
    }
    Ok(())
}

/// Reference matcher: straightforward recursion over `*` and `?`.
fn reference_glob(p: &[char], t: &[char]) -> bool {
    match (p.first(), t.first()) {
        (None, None) => true,
        (None, Some(_)) => false,
        (Some('*'), _) => {
            reference_glob(&p[1..], t) || (!t.is_empty() && reference_glob(p, &t[1..]))
        }
        (Some(_), None) => false,
        (Some('?'), Some(_)) => reference_glob(&p[1..], &t[1..]),
        (Some(a), Some(b)) => a == b && reference_glob(&p[1..], &t[1..]),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The evidence-free `decide` agrees with `evaluate` on generated policies and requests.
    #[test]
    fn decide_agrees_with_evaluate(
        statements in prop::collection::vec(statement(), 1..6),
        ctx in request(),
    ) {
        decide_agrees(&parse(&statements), &ctx)?;
    }

    /// Matching is the same on non-ASCII text (the matcher walks UTF-8 without copying it).
    #[test]
    fn glob_agrees_with_reference_on_unicode(pattern in "[aé*?]{0,8}", text in "[aéÉ]{0,10}") {
        let json = format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "x:y", "Resource": "*",
                "Condition": {{"StringLike": {{"k": "{pattern}"}}}}}}]}}"#
        );
        let doc = PolicyDocument::parse(&json, PolicyKind::Identity, Limits::none()).unwrap();
        let ctx = RequestContext::new(Principal::root("111122223333"), "x:y", "r").with("k", text.as_str());
        let p: Vec<char> = pattern.chars().collect();
        let t: Vec<char> = text.chars().collect();
        prop_assert_eq!(doc.evaluate(&ctx).decision.is_allowed(), reference_glob(&p, &t));
        decide_agrees(&doc, &ctx)?;
    }

    /// Adding any Deny statement never turns a non-allow into an allow, and a
    /// Deny that applies on its own always yields an explicit deny.
    #[test]
    fn adding_a_deny_never_grants(
        statements in prop::collection::vec(statement(), 1..5),
        extra in statement().prop_filter("deny only", |(e, _)| *e == Effect::Deny),
        ctx in request(),
    ) {
        let before = parse(&statements).evaluate(&ctx).decision;
        let mut with_deny = statements.clone();
        with_deny.push(extra.clone());
        let after = parse(&with_deny).evaluate(&ctx).decision;
        if before != Decision::Allow {
            prop_assert_ne!(after, Decision::Allow);
        }
        if before == Decision::ExplicitDeny {
            prop_assert_eq!(after, Decision::ExplicitDeny);
        }
        let alone = parse(&[extra]).evaluate(&ctx).decision;
        if alone == Decision::ExplicitDeny {
            prop_assert_eq!(after, Decision::ExplicitDeny);
        }
    }

    /// A policy with its Allow statements removed never allows.
    #[test]
    fn without_allows_nothing_is_allowed(
        statements in prop::collection::vec(statement(), 1..6),
        ctx in request(),
    ) {
        let denies: Vec<_> = statements.iter().filter(|(e, _)| *e == Effect::Deny).cloned().collect();
        prop_assume!(!denies.is_empty());
        let ev = parse(&denies).evaluate(&ctx);
        prop_assert_ne!(ev.decision, Decision::Allow);
        prop_assert!(ev.deciding().all(|s| s.effect == Effect::Deny));
    }

    /// The decision agrees with the per-statement outcomes (deny > allow > not applicable).
    #[test]
    fn decision_follows_statement_outcomes(
        statements in prop::collection::vec(statement(), 1..6),
        ctx in request(),
    ) {
        decide_agrees(&parse(&statements), &ctx)?;
        let ev = parse(&statements).evaluate(&ctx);
        prop_assert_eq!(ev.statements.len(), statements.len());
        let any = |o| ev.statements.iter().any(|s| s.outcome == o);
        let expected = if any(policy::Outcome::Deny) {
            Decision::ExplicitDeny
        } else if any(policy::Outcome::Allow) {
            Decision::Allow
        } else {
            Decision::NotApplicable
        };
        prop_assert_eq!(ev.decision, expected);
        prop_assert_eq!(policy::combine(std::slice::from_ref(&ev)), ev.decision);
    }

    /// Glob matching (through a StringLike condition) agrees with the reference matcher.
    #[test]
    fn glob_agrees_with_reference(pattern in "[ab*?]{0,8}", text in "[ab]{0,10}") {
        let json = format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "x:y", "Resource": "*",
                "Condition": {{"StringLike": {{"k": "{pattern}"}}}}}}]}}"#
        );
        let doc = PolicyDocument::parse(&json, PolicyKind::Identity, Limits::none()).unwrap();
        let ctx = RequestContext::new(Principal::root("111122223333"), "x:y", "r").with("k", text.as_str());
        let p: Vec<char> = pattern.chars().collect();
        let t: Vec<char> = text.chars().collect();
        prop_assert_eq!(doc.evaluate(&ctx).decision.is_allowed(), reference_glob(&p, &t));
        decide_agrees(&doc, &ctx)?;
    }

    /// Actions match ignoring case (resource case-sensitivity is covered by the corpus).
    #[test]
    fn action_case_is_ignored(upper in prop::collection::vec(any::<bool>(), 11)) {
        let action: String = "kms:decrypt"
            .chars()
            .zip(upper)
            .map(|(c, u)| if u { c.to_ascii_uppercase() } else { c })
            .collect();
        let doc = PolicyDocument::parse(
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}]}"#,
            PolicyKind::Identity,
            Limits::none(),
        ).unwrap();
        let ctx = RequestContext::new(Principal::root("111122223333"), action, "r");
        prop_assert!(doc.evaluate(&ctx).decision.is_allowed());
    }

    /// Stored policies come back identical, source text included.
    #[test]
    fn serde_round_trip(statements in prop::collection::vec(statement(), 1..4)) {
        let doc = parse(&statements);
        let stored = serde_json::to_string(&doc).unwrap();
        let back: PolicyDocument = serde_json::from_str(&stored).unwrap();
        prop_assert_eq!(back.source(), doc.source());
        prop_assert_eq!(back, doc);
    }
}
