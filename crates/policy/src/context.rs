//! The request being authorized: who calls, which action, which resource,
//! and the condition keys that describe the call.
//!
//! See "The request context" in
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html>.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::datetime;

/// What kind of identity made the call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum PrincipalKind {
    /// The account's root user (`arn:aws:iam::ACCT:root`).
    Root,
    /// An IAM user.
    User {
        /// The user name (the value of `aws:username`).
        name: String,
    },
    /// An IAM role itself (rarely a caller; sessions are [`PrincipalKind::AssumedRole`]).
    Role {
        /// The role name.
        name: String,
    },
    /// A session of an assumed role (`arn:aws:sts::ACCT:assumed-role/ROLE/SESSION`).
    AssumedRole {
        /// The role's ARN (`arn:aws:iam::ACCT:role/ROLE`); this is `aws:PrincipalArn`.
        role_arn: String,
        /// The session name chosen when the role was assumed.
        session_name: String,
    },
    /// An AWS service calling with its service principal, e.g. `s3.amazonaws.com`.
    Service {
        /// The service principal name.
        name: String,
    },
    /// A web identity or SAML provider (the `Federated` principal type).
    Federated {
        /// The provider, e.g. `cognito-identity.amazonaws.com` or a SAML provider ARN.
        provider: String,
    },
    /// An unauthenticated caller.
    Anonymous,
}

/// The caller of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Principal {
    /// The caller's own ARN (for a session, the `assumed-role` ARN).
    pub arn: String,
    /// The caller's account, when it has one (not for services or anonymous callers).
    pub account: Option<String>,
    /// What kind of caller this is.
    pub kind: PrincipalKind,
    /// The unique id (`aws:userid`), e.g. `AIDA…` for a user or `AROA…:session` for a session.
    pub userid: Option<String>,
}

impl Principal {
    /// The root user of `account`.
    pub fn root(account: impl Into<String>) -> Self {
        let account = account.into();
        Self {
            arn: format!("arn:aws:iam::{account}:root"),
            userid: Some(account.clone()),
            account: Some(account),
            kind: PrincipalKind::Root,
        }
    }

    /// The IAM user `name` in `account`.
    pub fn user(account: impl Into<String>, name: impl Into<String>) -> Self {
        let (account, name) = (account.into(), name.into());
        Self {
            arn: format!("arn:aws:iam::{account}:user/{name}"),
            account: Some(account),
            kind: PrincipalKind::User { name },
            userid: None,
        }
    }

    /// The IAM role `name` in `account`, acting as itself.
    pub fn role(account: impl Into<String>, name: impl Into<String>) -> Self {
        let (account, name) = (account.into(), name.into());
        Self {
            arn: format!("arn:aws:iam::{account}:role/{name}"),
            account: Some(account),
            kind: PrincipalKind::Role { name },
            userid: None,
        }
    }

    /// A session `session` of the role `role` in `account`.
    pub fn assumed_role(
        account: impl Into<String>,
        role: impl Into<String>,
        session: impl Into<String>,
    ) -> Self {
        let (account, role, session) = (account.into(), role.into(), session.into());
        Self {
            arn: format!("arn:aws:sts::{account}:assumed-role/{role}/{session}"),
            kind: PrincipalKind::AssumedRole {
                role_arn: format!("arn:aws:iam::{account}:role/{role}"),
                session_name: session,
            },
            account: Some(account),
            userid: None,
        }
    }

    /// An AWS service principal such as `s3.amazonaws.com`.
    pub fn service(name: impl Into<String>) -> Self {
        let name = name.into();
        Self {
            arn: name.clone(),
            account: None,
            kind: PrincipalKind::Service { name },
            userid: None,
        }
    }

    /// A federated (web identity or SAML) caller from `provider`.
    pub fn federated(provider: impl Into<String>) -> Self {
        let provider = provider.into();
        Self {
            arn: provider.clone(),
            account: None,
            kind: PrincipalKind::Federated { provider },
            userid: None,
        }
    }

    /// An unauthenticated caller.
    pub fn anonymous() -> Self {
        Self {
            arn: "anonymous".to_owned(),
            account: None,
            kind: PrincipalKind::Anonymous,
            userid: Some("anonymous".to_owned()),
        }
    }

    /// Sets the unique id reported as `aws:userid`.
    #[must_use]
    pub fn with_userid(mut self, userid: impl Into<String>) -> Self {
        self.userid = Some(userid.into());
        self
    }

    /// The value of `aws:PrincipalArn`: the role ARN for a role session,
    /// otherwise the caller's own ARN; `None` for services, federated and
    /// anonymous callers.
    pub fn principal_arn(&self) -> Option<&str> {
        match &self.kind {
            PrincipalKind::AssumedRole { role_arn, .. } => Some(role_arn),
            PrincipalKind::Service { .. }
            | PrincipalKind::Federated { .. }
            | PrincipalKind::Anonymous => None,
            PrincipalKind::Root | PrincipalKind::User { .. } | PrincipalKind::Role { .. } => {
                Some(&self.arn)
            }
        }
    }

    /// The value of `aws:PrincipalType` (`Account`, `User`, `AssumedRole`,
    /// `Anonymous`); `None` for service and federated callers, for which this
    /// crate does not set the key.
    pub fn principal_type(&self) -> Option<&'static str> {
        match self.kind {
            PrincipalKind::Root => Some("Account"),
            PrincipalKind::User { .. } => Some("User"),
            PrincipalKind::Role { .. } | PrincipalKind::AssumedRole { .. } => Some("AssumedRole"),
            PrincipalKind::Anonymous => Some("Anonymous"),
            PrincipalKind::Service { .. } | PrincipalKind::Federated { .. } => None,
        }
    }
}

impl Principal {
    /// The caller as a borrowed [`PrincipalView`] (what [`crate::PolicyDocument::decide`] matches).
    pub fn view(&self) -> PrincipalView<'_> {
        PrincipalView {
            arn: &self.arn,
            account: self.account.as_deref(),
            kind: match &self.kind {
                PrincipalKind::Root => KindView::Root,
                PrincipalKind::User { .. } => KindView::User,
                PrincipalKind::Role { .. } => KindView::Role,
                PrincipalKind::AssumedRole { role_arn, .. } => KindView::AssumedRole { role_arn },
                PrincipalKind::Service { name } => KindView::Service { name },
                PrincipalKind::Federated { provider } => KindView::Federated { provider },
                PrincipalKind::Anonymous => KindView::Anonymous,
            },
        }
    }
}

/// A caller, borrowed: what the `Principal`/`NotPrincipal` element is matched against. It holds
/// what matching looks at (not the user or session name, which only policy variables read,
/// through the request context).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PrincipalView<'a> {
    /// The caller's own ARN (for a session, the `assumed-role` ARN; for a service, its name).
    pub arn: &'a str,
    /// The caller's account, when it has one.
    pub account: Option<&'a str>,
    /// What kind of caller this is.
    pub kind: KindView<'a>,
}

/// [`PrincipalKind`], borrowed, without the names matching does not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KindView<'a> {
    /// The account's root user.
    Root,
    /// An IAM user.
    User,
    /// An IAM role acting as itself.
    Role,
    /// A role session.
    AssumedRole {
        /// The role's ARN.
        role_arn: &'a str,
    },
    /// An AWS service principal.
    Service {
        /// The service principal name.
        name: &'a str,
    },
    /// A federated caller.
    Federated {
        /// The provider.
        provider: &'a str,
    },
    /// An unauthenticated caller.
    Anonymous,
}

/// A request context built only when a policy needs one: a condition, or a policy variable in
/// a `Resource` (see [`crate::PolicyDocument::decide`]). Built at most once.
pub struct LazyContext<'a> {
    cell: std::cell::OnceCell<RequestContext>,
    build: &'a dyn Fn() -> RequestContext,
}

impl<'a> LazyContext<'a> {
    /// A context that `build` makes on first use.
    pub fn new(build: &'a dyn Fn() -> RequestContext) -> Self {
        Self {
            cell: std::cell::OnceCell::new(),
            build,
        }
    }

    /// The context (built now if it was not yet).
    pub fn get(&self) -> &RequestContext {
        self.cell.get_or_init(self.build)
    }

    /// Whether the context has been built.
    pub fn is_built(&self) -> bool {
        self.cell.get().is_some()
    }
}

impl fmt::Debug for LazyContext<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LazyContext")
            .field("built", &self.cell.get())
            .finish()
    }
}

impl fmt::Display for Principal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.arn)
    }
}

/// The value(s) of one condition key in a request. Single-valued keys hold
/// one string; multivalued keys such as `aws:TagKeys` or
/// `kms:EncryptionContextKeys` hold a list, possibly empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ConditionValues(Vec<String>);

impl ConditionValues {
    /// The values in request order.
    pub fn as_slice(&self) -> &[String] {
        &self.0
    }

    /// True when the key is present but holds no values (treated like a missing key).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<Vec<String>> for ConditionValues {
    fn from(values: Vec<String>) -> Self {
        Self(values)
    }
}

impl fmt::Display for ConditionValues {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_list(f, &self.0)
    }
}

/// Writes `[a, b]` with each item in backticks.
pub(crate) fn write_list(f: &mut fmt::Formatter<'_>, items: &[String]) -> fmt::Result {
    f.write_str("[")?;
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "`{item}`")?;
    }
    f.write_str("]")
}

/// Everything a policy can look at when deciding one request.
///
/// Condition keys are case-insensitive: they are stored lower-cased.
/// [`RequestContext::new`] fills in the keys that describe the principal
/// (`aws:PrincipalArn`, `aws:PrincipalAccount`, `aws:PrincipalType`,
/// `aws:username` for users, `aws:userid`, `aws:PrincipalServiceName` for
/// services); callers add the rest with [`set`](RequestContext::set) and friends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestContext {
    principal: Principal,
    action: String,
    resource: String,
    #[serde(deserialize_with = "lowercase_keys")]
    conditions: BTreeMap<String, ConditionValues>,
}

/// Keeps the lower-case invariant for contexts read from JSON.
fn lowercase_keys<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<BTreeMap<String, ConditionValues>, D::Error> {
    let raw = BTreeMap::<String, ConditionValues>::deserialize(deserializer)?;
    Ok(raw
        .into_iter()
        .map(|(k, v)| (k.to_lowercase(), v))
        .collect())
}

impl RequestContext {
    /// A request by `principal` to perform `action` (e.g. `kms:Decrypt`) on `resource` (an ARN).
    pub fn new(
        principal: Principal,
        action: impl Into<String>,
        resource: impl Into<String>,
    ) -> Self {
        let mut ctx = Self {
            principal,
            action: action.into(),
            resource: resource.into(),
            conditions: BTreeMap::new(),
        };
        let p = ctx.principal.clone();
        if let Some(arn) = p.principal_arn() {
            ctx.set("aws:PrincipalArn", arn);
        }
        if let Some(account) = &p.account {
            ctx.set("aws:PrincipalAccount", account.as_str());
        }
        if let Some(principal_type) = p.principal_type() {
            ctx.set("aws:PrincipalType", principal_type);
        }
        if let PrincipalKind::User { name } = &p.kind {
            ctx.set("aws:username", name.as_str());
        }
        if let Some(userid) = &p.userid {
            ctx.set("aws:userid", userid.as_str());
        }
        if let PrincipalKind::Service { name } = &p.kind {
            ctx.set("aws:PrincipalServiceName", name.as_str());
        }
        ctx
    }

    /// The caller.
    pub fn principal(&self) -> &Principal {
        &self.principal
    }

    /// The action, e.g. `kms:Decrypt`.
    pub fn action(&self) -> &str {
        &self.action
    }

    /// The resource ARN.
    pub fn resource(&self) -> &str {
        &self.resource
    }

    /// Sets a single-valued condition key.
    pub fn set(&mut self, key: &str, value: impl Into<String>) -> &mut Self {
        self.conditions
            .insert(key.to_lowercase(), ConditionValues(vec![value.into()]));
        self
    }

    /// Sets a multivalued condition key (an empty list is allowed).
    pub fn set_list<I, S>(&mut self, key: &str, values: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let values = values.into_iter().map(Into::into).collect();
        self.conditions
            .insert(key.to_lowercase(), ConditionValues(values));
        self
    }

    /// Sets a boolean key as `"true"` / `"false"`.
    pub fn set_bool(&mut self, key: &str, value: bool) -> &mut Self {
        self.set(key, if value { "true" } else { "false" })
    }

    /// Sets a numeric key.
    pub fn set_number(&mut self, key: &str, value: i64) -> &mut Self {
        self.set(key, value.to_string())
    }

    /// Sets the request time: `aws:CurrentTime` (ISO 8601, UTC) and
    /// `aws:EpochTime` (seconds). The crate never reads a clock.
    pub fn set_time(&mut self, epoch_seconds: i64) -> &mut Self {
        self.set("aws:CurrentTime", datetime::format_iso8601(epoch_seconds));
        self.set_number("aws:EpochTime", epoch_seconds)
    }

    /// Removes a key.
    pub fn remove(&mut self, key: &str) -> &mut Self {
        self.conditions.remove(&key.to_lowercase());
        self
    }

    /// Builder form of [`set`](Self::set).
    #[must_use]
    pub fn with(mut self, key: &str, value: impl Into<String>) -> Self {
        self.set(key, value);
        self
    }

    /// Builder form of [`set_list`](Self::set_list).
    #[must_use]
    pub fn with_list<I, S>(mut self, key: &str, values: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.set_list(key, values);
        self
    }

    /// Builder form of [`set_bool`](Self::set_bool).
    #[must_use]
    pub fn with_bool(mut self, key: &str, value: bool) -> Self {
        self.set_bool(key, value);
        self
    }

    /// The values of a key (looked up case-insensitively).
    pub fn get(&self, key: &str) -> Option<&ConditionValues> {
        if key.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
            return self.get_lower(key);
        }
        self.conditions.get(&key.to_lowercase())
    }

    /// The values of a key already lower-cased.
    pub(crate) fn get_lower(&self, key_lower: &str) -> Option<&ConditionValues> {
        self.conditions.get(key_lower)
    }

    /// All keys (lower-cased) and their values.
    pub fn conditions(&self) -> impl Iterator<Item = (&str, &ConditionValues)> {
        self.conditions.iter().map(|(k, v)| (k.as_str(), v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn principal_keys_are_filled_in() {
        let ctx = RequestContext::new(
            Principal::assumed_role("111122223333", "Admin", "alice"),
            "kms:Decrypt",
            "arn:aws:kms:us-east-1:111122223333:key/k",
        );
        assert_eq!(
            ctx.get("AWS:PRINCIPALARN").map(ConditionValues::as_slice),
            Some(&["arn:aws:iam::111122223333:role/Admin".to_owned()][..])
        );
        assert_eq!(
            ctx.get("aws:principalaccount")
                .map(ConditionValues::as_slice),
            Some(&["111122223333".to_owned()][..])
        );
        assert!(ctx.get("aws:username").is_none());
        let user = RequestContext::new(Principal::user("1", "bob"), "a:b", "*");
        assert_eq!(
            user.get("aws:username").map(ConditionValues::as_slice),
            Some(&["bob".to_owned()][..])
        );
        let svc = RequestContext::new(Principal::service("s3.amazonaws.com"), "a:b", "*");
        assert!(svc.get("aws:PrincipalArn").is_none());
        assert!(svc.get("aws:PrincipalServiceName").is_some());
    }

    #[test]
    fn setters_lowercase_keys() {
        let mut ctx = RequestContext::new(Principal::root("1"), "a:b", "*");
        ctx.set("kms:ViaService", "s3.us-east-1.amazonaws.com")
            .set_list("aws:TagKeys", ["a", "b"])
            .set_bool("aws:SecureTransport", true)
            .set_time(0);
        assert!(ctx.conditions().any(|(k, _)| k == "kms:viaservice"));
        assert_eq!(ctx.get("aws:tagkeys").map(|v| v.as_slice().len()), Some(2));
        assert_eq!(
            ctx.get("aws:currenttime").map(ConditionValues::as_slice),
            Some(&["1970-01-01T00:00:00Z".to_owned()][..])
        );
        ctx.remove("AWS:TagKeys");
        assert!(ctx.get("aws:tagkeys").is_none());
    }

    #[test]
    fn serde_keeps_keys_lowercase() {
        let ctx = RequestContext::new(Principal::root("1"), "a:b", "*").with("kms:ViaService", "x");
        let mut json = serde_json::to_value(&ctx).unwrap();
        json["conditions"]["KMS:CallerAccount"] = serde_json::json!(["1"]);
        let back: RequestContext = serde_json::from_value(json).unwrap();
        assert!(back.get("kms:calleraccount").is_some());
        assert_eq!(back.get("kms:viaservice"), ctx.get("kms:viaservice"));
    }
}
