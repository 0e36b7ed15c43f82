//! KMS's authorization rule: key policy first, IAM only where the key policy
//! delegates, grants beside both, explicit deny over everything.
//!
//! Sources:
//! - <https://docs.aws.amazon.com/kms/latest/developerguide/determining-access.html>
//! - <https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html>
//! - <https://docs.aws.amazon.com/kms/latest/developerguide/iam-policies.html>
//! - <https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html>
//! - <https://docs.aws.amazon.com/kms/latest/developerguide/grants.html>
//! - <https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html>

use std::fmt;
use std::net::IpAddr;

use std::collections::BTreeMap;

use policy::{Decision, LazyContext, Outcome, PolicyDocument, Request, RequestContext};
use serde::{Deserialize, Serialize};

use crate::explain::{
    ContextEntry, Explanation, GrantTrace, GrantVerdict, PolicyTrace, StatementRole,
};
use crate::grant::{GrantCheck, GrantRequest, check_grant, grant_check};
use crate::input::{Caller, CallerKind, CallerView, GrantFacts, KeyManager, KmsRequest};
use crate::message::{DenialKind, access_denied};

/// The operations that can be authorized on a key in another account. Any other operation on
/// another account's key is denied whatever the policies say ("Cross-account use: No" in
/// <https://docs.aws.amazon.com/kms/latest/developerguide/kms-api-permissions-reference.html>;
/// the list is in
/// <https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html>).
pub const CROSS_ACCOUNT_KMS_ACTIONS: &[&str] = &[
    "kms:CreateGrant",
    "kms:Decapsulate",
    "kms:Decrypt",
    "kms:DescribeKey",
    "kms:DeriveSharedSecret",
    "kms:Encapsulate",
    "kms:Encrypt",
    "kms:GenerateDataKey",
    "kms:GenerateDataKeyPair",
    "kms:GenerateDataKeyPairWithoutPlaintext",
    "kms:GenerateDataKeyWithoutPlaintext",
    "kms:GenerateMac",
    "kms:GetKeyRotationStatus",
    "kms:GetPublicKey",
    "kms:ListGrants",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
    "kms:RetireGrant",
    "kms:RevokeGrant",
    "kms:Sign",
    "kms:Verify",
    "kms:VerifyMac",
];

/// Which rule decided the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Gate {
    /// Allowed: a key-policy statement names the caller (or `*`, or the root user through the
    /// account principal) and allows the action; no IAM policy is needed in the same account.
    KeyPolicy,
    /// Allowed: the key policy allows the caller's account (delegation to IAM) and an identity
    /// policy allows the action.
    KeyPolicyPlusIam,
    /// Allowed across accounts: the key policy allows the external account or principal and the
    /// caller's own identity policy allows the action.
    CrossAccount,
    /// Allowed by a grant.
    Grant,
    /// Denied: an applicable `Deny` in the key policy.
    ExplicitDenyKeyPolicy,
    /// Denied: an applicable `Deny` in an identity policy.
    ExplicitDenyIam,
    /// Denied: no key-policy statement allows the caller or its account, and no grant does.
    NoAllowInKeyPolicy,
    /// Denied: an identity policy allows, but the key policy does not delegate to IAM
    /// (no account-principal statement allowing the action), so IAM allows have no effect.
    IamNotDelegated,
    /// Denied: the key policy delegates to IAM (or, across accounts, allows the caller's
    /// account), but no identity policy allows the action.
    NoIamAllow,
    /// Denied: the operation cannot be used on a key in another account.
    CrossAccountNotSupported,
    /// Denied: a grant would allow it but has not propagated yet and the request carried no
    /// grant token for it.
    GrantPending,
}

impl Gate {
    /// True for the allowing gates.
    pub fn allows(self) -> bool {
        matches!(
            self,
            Self::KeyPolicy | Self::KeyPolicyPlusIam | Self::CrossAccount | Self::Grant
        )
    }
}

impl fmt::Display for Gate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::KeyPolicy => "the key policy allows the caller",
            Self::KeyPolicyPlusIam => {
                "the key policy delegates to IAM and an identity policy allows"
            }
            Self::CrossAccount => {
                "the key policy allows the external account and the caller's identity policy allows"
            }
            Self::Grant => "a grant allows",
            Self::ExplicitDenyKeyPolicy => "an explicit deny in the key policy",
            Self::ExplicitDenyIam => "an explicit deny in an identity policy",
            Self::NoAllowInKeyPolicy => "no key-policy statement allows the caller or its account",
            Self::IamNotDelegated => {
                "an identity policy allows, but the key policy does not delegate to IAM"
            }
            Self::NoIamAllow => "the key policy delegates to IAM, but no identity policy allows",
            Self::CrossAccountNotSupported => {
                "this operation cannot be used on a key in another account"
            }
            Self::GrantPending => "the matching grant has not propagated yet (no grant token)",
        })
    }
}

/// The decision for one KMS request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KmsDecision {
    /// Whether the request may proceed.
    pub allowed: bool,
    /// The rule that decided.
    pub gate: Gate,
    /// The evidence.
    pub explanation: Explanation,
    /// The `AccessDeniedException` message (empty when allowed).
    pub aws_message: String,
}

/// Builds the policy request context for a KMS request: the principal keys, the global keys,
/// the KMS keys of the key and of the request, then `extra_conditions`. Also returns the keys as
/// set (original case) for the explanation.
///
/// Keys: <https://docs.aws.amazon.com/kms/latest/developerguide/policy-conditions.html> (global)
/// and <https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html> (KMS).
pub fn kms_request_context(req: &KmsRequest<'_>) -> (RequestContext, Vec<ContextEntry>) {
    build_context(
        req,
        ContextBuilder::new(req.caller, req.action, &req.key.arn),
    )
}

/// [`kms_request_context`] without the keys as set (what a decision without evidence needs).
pub fn kms_policy_context(req: &KmsRequest<'_>) -> RequestContext {
    build_context(
        req,
        ContextBuilder::without_evidence(req.caller, req.action, &req.key.arn),
    )
    .0
}

fn build_context(
    req: &KmsRequest<'_>,
    mut b: ContextBuilder,
) -> (RequestContext, Vec<ContextEntry>) {
    b.set_bool("aws:SecureTransport", req.secure_transport);
    b.set_time(req.now_ms);
    if let Some(ip) = req.source_ip.filter(|s| s.parse::<IpAddr>().is_ok()) {
        b.set("aws:SourceIp", ip);
    }
    b.set("kms:CallerAccount", &req.caller.account);
    if let Some(via) = req.via_service {
        b.set("kms:ViaService", via);
    }
    // aws:ViaAWSService: true when a service calls with the principal's credentials (forward
    // access sessions); aws:PrincipalIsAWSService: true for a service principal. Both are
    // present in every request
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-viaawsservice).
    b.set_bool("aws:ViaAWSService", req.via_service.is_some());
    b.set_bool("aws:PrincipalIsAWSService", req.caller.is_service());
    if req.caller.is_service() {
        // aws:SourceAccount is present only when a service principal calls on behalf of a
        // resource; `cloud` passes the account it acts for as the caller's account
        // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourceaccount).
        b.set("aws:SourceAccount", &req.caller.account);
    }
    for (k, v) in &req.key.tags {
        b.set(&format!("aws:ResourceTag/{k}"), v);
    }
    b.set_list("kms:ResourceAliases", req.key.aliases.iter().cloned());
    b.set("kms:KeySpec", &req.key.key_spec);
    b.set("kms:KeyUsage", &req.key.key_usage);
    b.set("kms:KeyOrigin", &req.key.origin);
    match req.encryption_context {
        Some(ec) => {
            for (k, v) in ec {
                b.set(&format!("kms:EncryptionContext:{k}"), v);
            }
            b.set_list("kms:EncryptionContextKeys", ec.keys().cloned());
        }
        // No context: the multivalued key is empty, i.e. absent (ForAllValues: true,
        // ForAnyValue: false), as conditions-kms.html warns.
        None => b.set_list("kms:EncryptionContextKeys", Vec::<String>::new()),
    }
    for (k, v) in &req.extra_conditions {
        b.set_list(k, v.iter().cloned());
    }
    b.finish()
}

/// A [`RequestContext`] that also remembers the keys as written (unless built without
/// evidence).
pub(crate) struct ContextBuilder {
    ctx: RequestContext,
    shown: Vec<ContextEntry>,
    evidence: bool,
}

impl ContextBuilder {
    pub(crate) fn without_evidence(caller: &Caller, action: &str, resource: &str) -> Self {
        Self {
            ctx: RequestContext::new(caller.to_principal(), action, resource),
            shown: Vec::new(),
            evidence: false,
        }
    }

    pub(crate) fn new(caller: &Caller, action: &str, resource: &str) -> Self {
        let ctx = RequestContext::new(caller.to_principal(), action, resource);
        // The keys `RequestContext::new` fills in, in their documented spelling.
        let mut shown: Vec<ContextEntry> = Vec::new();
        let principal = ctx.principal();
        if let Some(arn) = principal.principal_arn() {
            shown.push(ContextEntry {
                key: "aws:PrincipalArn".into(),
                values: vec![arn.to_owned()],
            });
        }
        if let Some(account) = &principal.account {
            shown.push(ContextEntry {
                key: "aws:PrincipalAccount".into(),
                values: vec![account.clone()],
            });
        }
        if let Some(t) = principal.principal_type() {
            shown.push(ContextEntry {
                key: "aws:PrincipalType".into(),
                values: vec![t.to_owned()],
            });
        }
        if let Some(u) = &caller.user_name {
            shown.push(ContextEntry {
                key: "aws:username".into(),
                values: vec![u.clone()],
            });
        }
        if let Some(userid) = &principal.userid {
            shown.push(ContextEntry {
                key: "aws:userid".into(),
                values: vec![userid.clone()],
            });
        }
        if let CallerKind::Service { name } = &caller.kind {
            shown.push(ContextEntry {
                key: "aws:PrincipalServiceName".into(),
                values: vec![name.clone()],
            });
        }
        Self {
            ctx,
            shown,
            evidence: true,
        }
    }

    fn remember(&mut self, key: &str, values: Vec<String>) {
        if !self.evidence {
            return;
        }
        if let Some(slot) = self
            .shown
            .iter_mut()
            .find(|e| e.key.eq_ignore_ascii_case(key))
        {
            slot.values = values;
        } else {
            self.shown.push(ContextEntry {
                key: key.to_owned(),
                values,
            });
        }
    }

    pub(crate) fn set(&mut self, key: &str, value: &str) {
        self.ctx.set(key, value);
        if self.evidence {
            self.remember(key, vec![value.to_owned()]);
        }
    }

    pub(crate) fn set_bool(&mut self, key: &str, value: bool) {
        self.set(key, if value { "true" } else { "false" });
    }

    pub(crate) fn set_time(&mut self, now_ms: i64) {
        let secs = now_ms.div_euclid(1000);
        self.ctx.set_time(secs);
        for key in ["aws:CurrentTime", "aws:EpochTime"] {
            if !self.evidence {
                break;
            }
            let values = self
                .ctx
                .get(key)
                .map(|v| v.as_slice().to_vec())
                .unwrap_or_default();
            self.remember(key, values);
        }
    }

    pub(crate) fn set_list<I: IntoIterator<Item = String>>(&mut self, key: &str, values: I) {
        if !self.evidence {
            self.ctx.set_list(key, values);
            return;
        }
        let values: Vec<String> = values.into_iter().collect();
        self.ctx.set_list(key, values.iter().cloned());
        self.remember(key, values);
    }

    pub(crate) fn finish(self) -> (RequestContext, Vec<ContextEntry>) {
        (self.ctx, self.shown)
    }
}

/// What the KMS rule reads of a request's evaluation: the facts both [`authorize_kms`] and
/// [`decide_kms`] reduce it to before choosing the gate, so both choose it alike.
#[derive(Debug, Clone, Copy)]
struct GateFacts {
    /// Another account's key, and the caller is not a service principal.
    cross: bool,
    /// The action is one that can be used on another account's key.
    cross_supported: bool,
    /// A key-policy statement allows the caller directly.
    direct: bool,
    /// A key-policy statement allows the caller's account (delegation to IAM).
    delegating: bool,
    /// The key policy denies.
    key_denies: bool,
    /// The identity policies' combined decision.
    iam_decision: Decision,
    /// The identity side allows (an identity policy, or a root or service caller).
    iam_allows: bool,
    /// A grant applies.
    granting: bool,
    /// A grant would apply but has not propagated.
    pending: bool,
}

impl GateFacts {
    /// The deciding gate, and the gate the policies alone give (no grants, no explicit deny).
    fn gates(&self) -> (Gate, Gate) {
        let policy_gate = if self.cross {
            let key_side = self.direct || self.delegating;
            if key_side && self.iam_allows {
                Gate::CrossAccount
            } else if key_side {
                Gate::NoIamAllow
            } else if self.iam_allows {
                Gate::IamNotDelegated
            } else {
                Gate::NoAllowInKeyPolicy
            }
        } else if self.direct {
            Gate::KeyPolicy
        } else if self.delegating && self.iam_allows {
            Gate::KeyPolicyPlusIam
        } else if self.delegating {
            Gate::NoIamAllow
        } else if self.iam_decision == Decision::Allow {
            Gate::IamNotDelegated
        } else {
            Gate::NoAllowInKeyPolicy
        };
        let gate = if self.cross && !self.cross_supported {
            Gate::CrossAccountNotSupported
        } else if self.key_denies {
            Gate::ExplicitDenyKeyPolicy
        } else if self.iam_decision == Decision::ExplicitDeny {
            Gate::ExplicitDenyIam
        } else if policy_gate.allows() {
            policy_gate
        } else if self.granting {
            Gate::Grant
        } else if self.pending {
            Gate::GrantPending
        } else {
            policy_gate
        };
        (gate, policy_gate)
    }
}

fn cross_supported(action: &str) -> bool {
    CROSS_ACCOUNT_KMS_ACTIONS
        .iter()
        .any(|a| a.eq_ignore_ascii_case(action))
}

/// Authorizes one KMS request against the key policy, the caller's identity policies and the
/// key's grants. Pure: the same inputs always give the same decision.
///
/// The rule ([determining-access.html](https://docs.aws.amazon.com/kms/latest/developerguide/determining-access.html)):
/// 1. An operation outside [`CROSS_ACCOUNT_KMS_ACTIONS`] on another account's key is denied.
/// 2. An applicable `Deny` in the key policy or in an identity policy denies, whatever else
///    allows (grants included).
/// 3. Same account: allowed if a key-policy statement allows the caller directly; or allows the
///    caller's account (delegation) and an identity policy allows; or a grant allows.
/// 4. Another account: allowed if the key policy allows the caller or its account and the
///    caller's identity policy allows; or a grant allows.
pub fn authorize_kms(req: &KmsRequest<'_>) -> KmsDecision {
    let caller = req.caller;
    let action = req.action;
    let key = req.key;
    let same_account = caller.account == key.account;
    let (ctx, conditions) = kms_request_context(req);
    let mut notes = Vec::new();

    let key_policy = PolicyTrace::key_policy(&key.arn, key.policy.evaluate(&ctx), caller.is_root());
    let identity_policies: Vec<PolicyTrace> = req
        .identity_policies
        .iter()
        .map(|p| PolicyTrace::identity(&p.name, p.document.evaluate(&ctx)))
        .collect();
    let grants: Vec<GrantTrace> = req.grants.iter().map(|g| check_grant(g, req)).collect();

    let direct: Vec<String> = key_policy
        .with_role(|r| *r == StatementRole::DirectAllow)
        .map(label)
        .collect();
    let delegating: Vec<String> = key_policy
        .with_role(|r| matches!(r, StatementRole::DelegatesToAccount { .. }))
        .map(label)
        .collect();
    let iam_decision = Decision::combine(identity_policies.iter().map(|p| p.decision));
    // The root user and service principals have no identity policies: the root user's
    // identity side is implicitly allowed in its own account and for cross-account use
    // (only SCPs could restrict it); a service principal is authorized by resource policies.
    let iam_allows = iam_decision == Decision::Allow || caller.is_root() || caller.is_service();
    if key.manager == KeyManager::Aws {
        notes.push("an AWS managed key: its key policy is written by the service and cannot be changed; it allows use only through that service (kms:ViaService) by principals of the owning account (kms:CallerAccount)".to_owned());
    }
    if caller.is_root() {
        notes.push("the root user needs no identity policy: an account-principal statement allows it directly (key-policy-default.html)".to_owned());
    }
    let granting = grants
        .iter()
        .find(|g| matches!(g.verdict, GrantVerdict::Applies { .. }));
    let pending = grants
        .iter()
        .find(|g| matches!(g.verdict, GrantVerdict::NotYetPropagated { .. }));

    let cross = !same_account && !caller.is_service();
    let facts = GateFacts {
        cross,
        cross_supported: cross_supported(action),
        direct: !direct.is_empty(),
        delegating: !delegating.is_empty(),
        key_denies: key_policy.decision == Decision::ExplicitDeny,
        iam_decision,
        iam_allows,
        granting: granting.is_some(),
        pending: pending.is_some(),
    };
    let (gate, policy_gate) = facts.gates();

    // What the policies alone say (no grants, no explicit deny yet).
    let policy_why = if cross {
        notes.push("cross-account use needs both the key policy (in the key's account) and the caller's own identity policy (key-policy-modifying-external-accounts.html)".to_owned());
        let key_side: Vec<String> = direct.iter().chain(&delegating).cloned().collect();
        match policy_gate {
            Gate::CrossAccount => format!(
                "the key policy allows the caller's account ({}) and the caller's identity policy allows {action}",
                key_side.join(", ")
            ),
            Gate::NoIamAllow => format!(
                "the key policy allows the caller's account ({}), but no identity policy in account {} allows {action}",
                key_side.join(", "),
                caller.account
            ),
            Gate::IamNotDelegated => format!(
                "the caller's identity policy allows {action}, but the key policy in account {} allows neither the caller nor its account",
                key.account
            ),
            _ => format!(
                "the key policy in account {} allows neither the caller nor its account, and no grant applies",
                key.account
            ),
        }
    } else {
        match policy_gate {
            Gate::KeyPolicy => format!(
                "the key policy allows the caller directly ({})",
                direct.join(", ")
            ),
            Gate::KeyPolicyPlusIam => {
                let names: Vec<&str> = identity_policies
                    .iter()
                    .filter(|p| p.decision == Decision::Allow)
                    .map(|p| p.name.as_str())
                    .collect();
                format!(
                    "the key policy delegates to IAM ({}) and an identity policy allows ({})",
                    delegating.join(", "),
                    names.join(", ")
                )
            }
            Gate::NoIamAllow => format!(
                "the key policy delegates to IAM ({}), but no identity policy allows {action}",
                delegating.join(", ")
            ),
            Gate::IamNotDelegated => format!(
                "an identity policy allows {action}, but the key policy has no statement allowing the account, so IAM policies have no effect (iam-policies.html)"
            ),
            _ => "no key-policy statement allows the caller or its account, and no grant applies"
                .to_owned(),
        }
    };

    let why = match gate {
        Gate::CrossAccountNotSupported => format!(
            "{action} cannot be used on a key in another account ({} owns the key, the caller is in {})",
            key.account, caller.account
        ),
        Gate::ExplicitDenyKeyPolicy => format!(
            "the key policy denies it ({})",
            deciding(&key_policy, &StatementRole::Deny)
        ),
        Gate::ExplicitDenyIam => {
            let names: Vec<&str> = identity_policies
                .iter()
                .filter(|p| p.decision == Decision::ExplicitDeny)
                .map(|p| p.name.as_str())
                .collect();
            format!("an identity policy denies it ({})", names.join(", "))
        }
        Gate::Grant => granting.map(|g| g.text.clone()).unwrap_or_default(),
        Gate::GrantPending => format!(
            "{}; without it, {policy_why}",
            pending.map(|g| g.text.as_str()).unwrap_or_default()
        ),
        _ => policy_why,
    };

    let allowed = gate.allows();
    let aws_message = if allowed {
        String::new()
    } else {
        denial_message(caller.view(), action, &key.arn, gate, policy_gate)
    };
    let verdict = format!(
        "{}: {} {} {action} on {} — {why}",
        if allowed { "ALLOWED" } else { "DENIED" },
        caller.arn,
        if allowed { "may call" } else { "may not call" },
        key.arn
    );
    KmsDecision {
        allowed,
        gate,
        explanation: Explanation {
            verdict,
            caller: caller.arn.clone(),
            action: action.to_owned(),
            resource: key.arn.clone(),
            same_account,
            key_policy_delegates_to_iam: facts.delegating,
            key_policy: Some(key_policy),
            identity_policies,
            grants,
            conditions,
            notes,
        },
        aws_message,
    }
}

/// The `AccessDeniedException` message of a denial. A grant that has not propagated is invisible
/// to AWS: a GrantPending denial carries the message the policies alone give.
fn denial_message(
    caller: CallerView<'_>,
    action: &str,
    key_arn: &str,
    gate: Gate,
    policy_gate: Gate,
) -> String {
    let shown = if gate == Gate::GrantPending {
        policy_gate
    } else {
        gate
    };
    let kind = match shown {
        Gate::ExplicitDenyKeyPolicy => DenialKind::ExplicitDenyResourcePolicy,
        Gate::ExplicitDenyIam => DenialKind::ExplicitDenyIdentityPolicy,
        Gate::NoIamAllow => DenialKind::NoIdentityPolicyAllows,
        _ => DenialKind::NoResourcePolicyAllows,
    };
    access_denied(caller.arn, action, key_arn, kind)
}

/// A KMS request as [`decide_kms`] reads it: everything borrowed. The request context (condition
/// keys) comes from a builder that runs only if a policy statement needs it.
#[derive(Debug, Clone, Copy)]
pub struct KmsQuery<'a> {
    /// Who calls.
    pub caller: CallerView<'a>,
    /// The action, e.g. `kms:Decrypt`.
    pub action: &'a str,
    /// The key ARN (the request's resource).
    pub key_arn: &'a str,
    /// The key's account.
    pub key_account: &'a str,
    /// The key's spec (grant constraints apply to symmetric encryption keys only).
    pub key_spec: &'a str,
    /// The key policy.
    pub key_policy: &'a PolicyDocument,
    /// Every grant on the key.
    pub grants: &'a [GrantFacts],
    /// The `GrantTokens` parameter of the request.
    pub grant_tokens: &'a [String],
    /// The request's encryption context.
    pub encryption_context: Option<&'a BTreeMap<String, String>>,
    /// The request time (epoch ms), for grant propagation.
    pub now_ms: i64,
}

/// The decision of [`authorize_kms`] without its evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KmsVerdict {
    /// Whether the request may proceed.
    pub allowed: bool,
    /// The rule that decided.
    pub gate: Gate,
    /// The `AccessDeniedException` message (empty when allowed).
    pub aws_message: String,
}

impl<'a> KmsQuery<'a> {
    /// The query of a full request.
    pub fn of(req: &'a KmsRequest<'a>) -> Self {
        Self {
            caller: req.caller.view(),
            action: req.action,
            key_arn: &req.key.arn,
            key_account: &req.key.account,
            key_spec: &req.key.key_spec,
            key_policy: req.key.policy,
            grants: req.grants,
            grant_tokens: req.grant_tokens,
            encryption_context: req.encryption_context,
            now_ms: req.now_ms,
        }
    }
}

impl KmsVerdict {
    /// The verdict of a full decision.
    pub fn of(d: &KmsDecision) -> Self {
        Self {
            allowed: d.allowed,
            gate: d.gate,
            aws_message: d.aws_message.clone(),
        }
    }
}

/// [`decide_kms`] on a full request (what [`authorize_kms`] takes).
pub fn decide_kms_request(req: &KmsRequest<'_>) -> KmsVerdict {
    decide_kms(
        &KmsQuery::of(req),
        req.identity_policies.iter().map(|p| p.document),
        &|| kms_policy_context(req),
    )
}

/// Decides a KMS request as [`authorize_kms`] does (same `allowed`, `gate` and message) without
/// building the explanation: no traces, no sentences, and the request context only when a
/// statement gets as far as its conditions (or a `Resource` with policy variables).
/// `context` must build the request's [`kms_policy_context`] (or [`kms_request_context`]'s
/// context); `identity_policies` are the caller's identity policy documents.
pub fn decide_kms<'p>(
    q: &KmsQuery<'_>,
    identity_policies: impl IntoIterator<Item = &'p PolicyDocument>,
    context: &dyn Fn() -> RequestContext,
) -> KmsVerdict {
    let caller = q.caller;
    let lazy = LazyContext::new(context);
    let request = Request {
        principal: caller.principal(),
        action: q.action,
        resource: q.key_arn,
        context: &lazy,
    };
    let (mut direct, mut delegating) = (false, false);
    let key_decision = q.key_policy.decide(&request, |_, v| {
        if v.outcome == Outcome::Allow {
            // PolicyTrace::key_policy: an account principal delegates, except for the root user.
            if v.by_account && !caller.is_root() {
                delegating = true;
            } else {
                direct = true;
            }
        }
    });
    let mut iam_decision = Decision::NotApplicable;
    for doc in identity_policies {
        match doc.decide(&request, |_, _| {}) {
            Decision::ExplicitDeny => {
                iam_decision = Decision::ExplicitDeny;
                break;
            }
            Decision::Allow => iam_decision = Decision::Allow,
            Decision::NotApplicable => {}
        }
    }
    let grant_request = GrantRequest {
        caller,
        action: q.action,
        key_spec: q.key_spec,
        encryption_context: q.encryption_context,
        grant_tokens: q.grant_tokens,
        now_ms: q.now_ms,
    };
    let (mut granting, mut pending) = (false, false);
    for g in q.grants {
        match grant_check(g, &grant_request) {
            GrantCheck::Applies { .. } => granting = true,
            GrantCheck::NotYetPropagated { .. } => pending = true,
            _ => {}
        }
    }
    let facts = GateFacts {
        cross: caller.account != q.key_account && !caller.is_service(),
        cross_supported: cross_supported(q.action),
        direct,
        delegating,
        key_denies: key_decision == Decision::ExplicitDeny,
        iam_decision,
        iam_allows: iam_decision == Decision::Allow || caller.is_root() || caller.is_service(),
        granting,
        pending,
    };
    let (gate, policy_gate) = facts.gates();
    let allowed = gate.allows();
    KmsVerdict {
        allowed,
        gate,
        aws_message: if allowed {
            String::new()
        } else {
            denial_message(caller, q.action, q.key_arn, gate, policy_gate)
        },
    }
}

fn label(s: &crate::explain::StatementTrace) -> String {
    match s.sid.as_deref().filter(|x| !x.is_empty()) {
        Some(sid) => format!("statement `{sid}`"),
        None => format!("statement {}", s.index + 1),
    }
}

fn deciding(p: &PolicyTrace, role: &StatementRole) -> String {
    let v: Vec<String> = p.with_role(|r| r == role).map(label).collect();
    v.join(", ")
}
