//! Questions checks ask about key, bucket and identity policies, answered on the policy crate's
//! typed model ([`PolicyDocument`]): `NotPrincipal` and `NotAction` count, and action patterns
//! are matched by the policy evaluator itself.

use policy::{
    ActionBlock, Decision, Effect, Outcome, PolicyDocument, Principal, PrincipalBlock, PrincipalId,
    PrincipalMatch, Reason, RequestContext, Statement,
};

/// Whether `block` covers some principal for which `named` holds: a `Principal` that lists
/// one, or a `NotPrincipal` that does not exempt it.
fn covers(block: &PrincipalBlock, named: impl Fn(&PrincipalId) -> bool) -> bool {
    block.ids.iter().any(&named) != block.negated
}

fn allows(st: &Statement) -> bool {
    st.effect() == Effect::Allow
}

/// Whether a principal id belongs to `account` (the account itself, or an ARN in it).
fn in_account(id: &PrincipalId, account: &str) -> bool {
    match id {
        PrincipalId::Account { id, .. } => id == account,
        PrincipalId::Arn(arn) => arn.split(':').nth(4) == Some(account),
        _ => false,
    }
}

/// Whether the policy has an Allow statement for the account root (`arn:aws:iam::ACCT:root`
/// or the bare account id), which lets IAM policies take effect.
pub fn delegates_to_account(doc: &PolicyDocument, account: &str) -> bool {
    doc.statements().iter().filter(|s| allows(s)).any(|s| {
        s.principal().is_some_and(|p| {
            covers(
                p,
                |id| matches!(id, PrincipalId::Account { id, .. } if id == account),
            )
        })
    })
}

/// Whether the policy allows everyone without conditions: `"Principal": "*"` (or
/// `{"AWS": "*"}`). (An Allow with `NotPrincipal`, which would allow everyone it does not name,
/// is refused by the policy parser, as by AWS; it would count here.)
pub fn allows_everyone(doc: &PolicyDocument) -> bool {
    doc.statements().iter().any(|s| {
        allows(s)
            && s.conditions().is_empty()
            && s.principal()
                .is_some_and(|p| p.negated || p.ids.contains(&PrincipalId::Everyone))
    })
}

/// Whether `block` gives every KMS action: `*` or `kms:*`, or a `NotAction` (everything but
/// what it lists).
fn every_kms_action(block: &ActionBlock) -> bool {
    block.negated
        || block
            .patterns
            .iter()
            .any(|a| a.as_str() == "*" || a.as_str().eq_ignore_ascii_case("kms:*"))
}

/// Whether an Allow statement gives a principal of `account` every KMS action.
pub fn gives_account_every_action(doc: &PolicyDocument, account: &str) -> bool {
    doc.statements().iter().any(|s| {
        allows(s)
            && s.principal()
                .is_some_and(|p| covers(p, |id| in_account(id, account)))
            && every_kms_action(s.action())
    })
}

/// Whether an identity-policy statement allows some KMS action: an `Action` naming `*` or a
/// `kms:` action, or a `NotAction` that excludes none of them.
pub fn allows_some_kms(doc: &PolicyDocument) -> bool {
    let kms = |a: &str| a == "*" || a.to_ascii_lowercase().starts_with("kms:");
    doc.statements().iter().any(|s| {
        let listed = s.action().patterns.iter().any(|a| kms(a.as_str()));
        allows(s) && listed != s.action().negated
    })
}

/// Whether a statement that names `caller` itself (its ARN, not its account or everyone)
/// allows it `action` on `resource`, as the policy evaluator decides with no request context
/// beyond the caller (a statement whose conditions need more does not count). `caller` is
/// `Principal::role(..)` or `Principal::user(..)`.
pub fn names_and_allows(
    doc: &PolicyDocument,
    caller: Principal,
    action: &str,
    resource: &str,
) -> bool {
    let eval = doc.evaluate(&RequestContext::new(caller, action, resource));
    eval.statements.iter().any(|r| {
        r.outcome == Outcome::Allow
            && matches!(
                &r.reason,
                Reason::Applies {
                    principal: PrincipalMatch::Arn { .. } | PrincipalMatch::RoleSession { .. },
                    ..
                }
            )
    })
}

/// Whether the policy allows the service principal `service` (`cloudtrail.amazonaws.com`,
/// `logs.us-east-1.amazonaws.com`) `action` on `resource` in a request carrying `conditions`
/// (`kms:EncryptionContext:KEY` pairs also fill `kms:EncryptionContextKeys`), as the policy
/// evaluator decides: how a check asks "would KMS let the service do this, for this resource?"
/// without making the call.
pub fn allows_service(
    doc: &PolicyDocument,
    service: &str,
    action: &str,
    resource: &str,
    conditions: &[(&str, &str)],
) -> bool {
    let mut ctx = RequestContext::new(Principal::service(service), action, resource);
    let mut context_keys = Vec::new();
    for (k, v) in conditions {
        ctx.set(k, *v);
        if let Some(key) = k.strip_prefix("kms:EncryptionContext:") {
            context_keys.push(key.to_owned());
        }
    }
    if !context_keys.is_empty() {
        ctx.set_list("kms:EncryptionContextKeys", context_keys);
    }
    doc.evaluate(&ctx).decision == Decision::Allow
}

/// Whether an Allow statement names the service principal `service` exactly.
pub fn names_service(doc: &PolicyDocument, service: &str) -> bool {
    doc.statements().iter().filter(|s| allows(s)).any(|s| {
        s.principal().is_some_and(|p| {
            !p.negated
                && p.ids
                    .iter()
                    .any(|id| matches!(id, PrincipalId::Service(name) if name == service))
        })
    })
}

/// Whether two documents say the same (statements and version; layout and key order aside).
pub fn same_statements(a: &PolicyDocument, b: &PolicyDocument) -> bool {
    a.version() == b.version() && a.statements() == b.statements()
}

#[cfg(test)]
mod tests {
    use policy::{Limits, PolicyKind};

    use super::*;

    fn doc(statements: &str) -> PolicyDocument {
        let text = format!(r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#);
        PolicyDocument::parse(&text, PolicyKind::Resource, Limits::none()).unwrap()
    }

    const ROOT: &str = r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}"#;

    #[test]
    fn not_principal_and_not_action_count() {
        // A Deny with NotPrincipal opens nothing; the root statement still delegates.
        let deny = doc(&format!(
            r#"{ROOT},{{"Effect":"Deny","NotPrincipal":{{"AWS":"arn:aws:iam::111122223333:root"}},"Action":"kms:*","Resource":"*"}}"#
        ));
        assert!(!allows_everyone(&deny));
        assert!(delegates_to_account(&deny, "111122223333"));
        // NotAction gives everything it does not list.
        let broad = doc(&format!(
            r#"{ROOT},{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::444455556666:root"}},"NotAction":"kms:ScheduleKeyDeletion","Resource":"*"}}"#
        ));
        assert!(gives_account_every_action(&broad, "444455556666"));
        assert!(!gives_account_every_action(&broad, "999988887777"));
        assert!(!allows_everyone(&broad));
        let narrow = doc(&format!(
            r#"{ROOT},{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::444455556666:user/PartnerAdmin"}},"Action":["kms:Decrypt","kms:DescribeKey"],"Resource":"*"}}"#
        ));
        assert!(!gives_account_every_action(&narrow, "444455556666"));
        let open = doc(
            r#"{"Effect":"Allow","Principal":{"AWS":"*"},"NotAction":"kms:Decrypt","Resource":"*"}"#,
        );
        assert!(allows_everyone(&open));
        assert!(!delegates_to_account(&open, "111122223333"));
        let conditioned = doc(
            r#"{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*","Condition":{"StringEquals":{"kms:CallerAccount":"111122223333"}}}"#,
        );
        assert!(!allows_everyone(&conditioned));
        let identity = PolicyDocument::parse(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":"s3:*","Resource":"*"}]}"#,
            PolicyKind::Identity,
            Limits::none(),
        )
        .unwrap();
        assert!(allows_some_kms(&identity));
    }

    #[test]
    fn naming_a_role_is_not_naming_its_account() {
        let app = Principal::role("111122223333", "AppRole");
        let key = "arn:aws:kms:us-west-2:111122223333:key/mrk-1";
        assert!(!names_and_allows(
            &doc(ROOT),
            app.clone(),
            "kms:Decrypt",
            key
        ));
        let named = doc(&format!(
            r#"{ROOT},{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::111122223333:role/AppRole"}},"Action":"kms:Decrypt*","Resource":"*"}}"#
        ));
        assert!(names_and_allows(&named, app, "kms:Decrypt", key));
    }
}
