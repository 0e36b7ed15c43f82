//! The plain inputs `cloud` builds from its state for every authorization.
//!
//! Everything is borrowed or cheap to clone: the policies are already parsed
//! [`PolicyDocument`]s (parsed once, on write), grants and keys are the facts
//! the simulated world stores anyway.

use std::collections::BTreeMap;

use policy::{KindView, PolicyDocument, Principal, PrincipalKind, PrincipalView};
use serde::{Deserialize, Serialize};

/// What kind of identity is calling.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum CallerKind {
    /// An IAM user (`arn:aws:iam::ACCT:user/NAME`).
    User,
    /// A role session (`arn:aws:sts::ACCT:assumed-role/ROLE/SESSION`).
    AssumedRole {
        /// The role's ARN, `arn:aws:iam::ACCT:role/ROLE` (the value of `aws:PrincipalArn`).
        role_arn: String,
    },
    /// The account's root user (`arn:aws:iam::ACCT:root`).
    Root,
    /// An AWS service calling with its own service principal.
    Service {
        /// The service principal, e.g. `s3.amazonaws.com`.
        name: String,
    },
}

/// The authenticated caller of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Caller {
    /// The caller's ARN: a user ARN, `arn:aws:sts::ACCT:assumed-role/ROLE/SESSION`, the root ARN,
    /// or the service principal name for a service.
    pub arn: String,
    /// The caller's account. For a service caller: the account the service acts for.
    pub account: String,
    /// What kind of identity this is.
    pub kind: CallerKind,
    /// The unique id (`aws:userid`): `AIDA…`, `AROA…:session`, or the account id for root.
    pub userid: String,
    /// The IAM user name (`aws:username`), for users only.
    pub user_name: Option<String>,
}

impl Caller {
    /// An IAM user `name` in `account` (userid `AIDA` + name, for tests and examples).
    pub fn user(account: &str, name: &str) -> Self {
        Self {
            arn: format!("arn:aws:iam::{account}:user/{name}"),
            account: account.to_owned(),
            kind: CallerKind::User,
            userid: format!("AIDA{}", name.to_uppercase()),
            user_name: Some(name.to_owned()),
        }
    }

    /// A session `session` of role `role` in `account`.
    pub fn assumed_role(account: &str, role: &str, session: &str) -> Self {
        Self {
            arn: format!("arn:aws:sts::{account}:assumed-role/{role}/{session}"),
            account: account.to_owned(),
            kind: CallerKind::AssumedRole {
                role_arn: format!("arn:aws:iam::{account}:role/{role}"),
            },
            userid: format!("AROA{}:{session}", role.to_uppercase()),
            user_name: None,
        }
    }

    /// The root user of `account`.
    pub fn root(account: &str) -> Self {
        Self {
            arn: format!("arn:aws:iam::{account}:root"),
            account: account.to_owned(),
            kind: CallerKind::Root,
            userid: account.to_owned(),
            user_name: None,
        }
    }

    /// An AWS service principal (`s3.amazonaws.com`) acting for `account`.
    pub fn service(name: &str, account: &str) -> Self {
        Self {
            arn: name.to_owned(),
            account: account.to_owned(),
            kind: CallerKind::Service {
                name: name.to_owned(),
            },
            userid: name.to_owned(),
            user_name: None,
        }
    }

    /// True for the account's root user.
    pub fn is_root(&self) -> bool {
        self.kind == CallerKind::Root
    }

    /// True for a service principal.
    pub fn is_service(&self) -> bool {
        matches!(self.kind, CallerKind::Service { .. })
    }

    /// The value of `aws:PrincipalArn`: the role ARN for a session, else the caller's ARN.
    pub fn principal_arn(&self) -> &str {
        match &self.kind {
            CallerKind::AssumedRole { role_arn } => role_arn,
            CallerKind::User | CallerKind::Root | CallerKind::Service { .. } => &self.arn,
        }
    }

    /// The caller, borrowed (what [`crate::decide_kms`] takes).
    pub fn view(&self) -> CallerView<'_> {
        CallerView {
            arn: &self.arn,
            account: &self.account,
            kind: match &self.kind {
                CallerKind::User => CallerKindView::User,
                CallerKind::AssumedRole { role_arn } => CallerKindView::AssumedRole { role_arn },
                CallerKind::Root => CallerKindView::Root,
                CallerKind::Service { name } => CallerKindView::Service { name },
            },
        }
    }

    /// The caller as the `policy` crate sees it.
    pub fn to_principal(&self) -> Principal {
        let kind = match &self.kind {
            CallerKind::User => PrincipalKind::User {
                name: self
                    .user_name
                    .clone()
                    .unwrap_or_else(|| last_segment(&self.arn).to_owned()),
            },
            CallerKind::AssumedRole { role_arn } => PrincipalKind::AssumedRole {
                role_arn: role_arn.clone(),
                session_name: last_segment(&self.arn).to_owned(),
            },
            CallerKind::Root => PrincipalKind::Root,
            CallerKind::Service { name } => {
                return Principal::service(name.clone());
            }
        };
        Principal {
            arn: self.arn.clone(),
            account: Some(self.account.clone()),
            kind,
            userid: Some(self.userid.clone()),
        }
    }
}

/// [`CallerKind`], borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallerKindView<'a> {
    /// An IAM user.
    User,
    /// A role session.
    AssumedRole {
        /// The role's ARN.
        role_arn: &'a str,
    },
    /// The account's root user.
    Root,
    /// An AWS service principal.
    Service {
        /// The service principal, e.g. `s3.amazonaws.com`.
        name: &'a str,
    },
}

/// A [`Caller`], borrowed: what a decision without evidence reads ([`crate::decide_kms`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallerView<'a> {
    /// The caller's ARN (the service principal name for a service).
    pub arn: &'a str,
    /// The caller's account (for a service: the account the service acts for).
    pub account: &'a str,
    /// What kind of identity this is.
    pub kind: CallerKindView<'a>,
}

impl<'a> CallerView<'a> {
    /// True for the account's root user.
    pub fn is_root(&self) -> bool {
        self.kind == CallerKindView::Root
    }

    /// True for a service principal.
    pub fn is_service(&self) -> bool {
        matches!(self.kind, CallerKindView::Service { .. })
    }

    /// The caller as the `policy` crate matches it: the same as
    /// `Caller::to_principal().view()`, without building the principal.
    pub fn principal(&self) -> PrincipalView<'a> {
        match self.kind {
            CallerKindView::Service { name } => PrincipalView {
                arn: name,
                account: None,
                kind: KindView::Service { name },
            },
            CallerKindView::User => PrincipalView {
                arn: self.arn,
                account: Some(self.account),
                kind: KindView::User,
            },
            CallerKindView::AssumedRole { role_arn } => PrincipalView {
                arn: self.arn,
                account: Some(self.account),
                kind: KindView::AssumedRole { role_arn },
            },
            CallerKindView::Root => PrincipalView {
                arn: self.arn,
                account: Some(self.account),
                kind: KindView::Root,
            },
        }
    }
}

fn last_segment(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

/// An identity policy attached to the caller (directly, through a group, or a managed policy),
/// with a name for the explanation.
#[derive(Debug, Clone)]
pub struct NamedPolicy<'a> {
    /// How the learner knows the policy: `arn:aws:iam::aws:policy/AdministratorAccess`,
    /// `user/Admin inline: AllowKms`, …
    pub name: String,
    /// The parsed policy (kind [`policy::PolicyKind::Identity`]).
    pub document: &'a PolicyDocument,
}

/// Who manages a KMS key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum KeyManager {
    /// An AWS managed key (`aws/s3`, `aws/ebs`, …): its policy is fixed by the service.
    Aws,
    /// A customer managed key.
    Customer,
}

/// The facts about the KMS key a request targets.
#[derive(Debug, Clone)]
pub struct KeyFacts<'a> {
    /// The key ARN (`arn:aws:kms:REGION:ACCT:key/ID`), the request's resource.
    pub arn: String,
    /// The owning account.
    pub account: String,
    /// The key's Region.
    pub region: String,
    /// AWS managed or customer managed.
    pub manager: KeyManager,
    /// `SYMMETRIC_DEFAULT`, `RSA_2048`, `HMAC_256`, … (sets `kms:KeySpec`).
    pub key_spec: String,
    /// `ENCRYPT_DECRYPT`, `SIGN_VERIFY`, `GENERATE_VERIFY_MAC`, … (sets `kms:KeyUsage`).
    pub key_usage: String,
    /// `AWS_KMS`, `EXTERNAL`, … (sets `kms:KeyOrigin`).
    pub origin: String,
    /// Alias names pointing at the key, e.g. `alias/prod` (sets `kms:ResourceAliases`).
    pub aliases: Vec<String>,
    /// The key's tags (sets `aws:ResourceTag/KEY`).
    pub tags: Vec<(String, String)>,
    /// The key policy (kind [`policy::PolicyKind::Resource`]).
    pub policy: &'a PolicyDocument,
}

/// One grant on the key, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantFacts {
    /// The grant id.
    pub grant_id: String,
    /// The grantee: a user, role or account-root ARN, or a service principal name.
    pub grantee_principal: String,
    /// Who may retire the grant besides the grantee.
    pub retiring_principal: Option<String>,
    /// The operations the grant allows, without the `kms:` prefix (`Decrypt`, …).
    pub operations: Vec<String>,
    /// `EncryptionContextEquals` constraint.
    pub encryption_context_equals: Option<BTreeMap<String, String>>,
    /// `EncryptionContextSubset` constraint.
    pub encryption_context_subset: Option<BTreeMap<String, String>>,
    /// When the grant was created (epoch ms).
    pub created_ms: i64,
    /// The grant token returned by `CreateGrant`.
    pub token: String,
}

/// One KMS request to authorize.
#[derive(Debug, Clone)]
pub struct KmsRequest<'a> {
    /// Who calls.
    pub caller: &'a Caller,
    /// The action, e.g. `kms:Decrypt`.
    pub action: &'a str,
    /// The key.
    pub key: &'a KeyFacts<'a>,
    /// The caller's identity policies (empty for root and services).
    pub identity_policies: &'a [NamedPolicy<'a>],
    /// Every grant on the key (the function picks the ones for this caller).
    pub grants: &'a [GrantFacts],
    /// The `GrantTokens` parameter of the request.
    pub grant_tokens: &'a [String],
    /// The request's encryption context, for operations that take one.
    pub encryption_context: Option<&'a BTreeMap<String, String>>,
    /// `kms:ViaService` when an AWS service calls on the caller's behalf, e.g. `s3.us-east-1.amazonaws.com`.
    pub via_service: Option<&'a str>,
    /// `aws:SecureTransport`.
    pub secure_transport: bool,
    /// `aws:SourceIp`, set only when it is an IP address (service calls carry a DNS name).
    pub source_ip: Option<&'a str>,
    /// The request time (epoch ms): `aws:CurrentTime`, `aws:EpochTime` and grant propagation.
    pub now_ms: i64,
    /// Operation-specific condition keys (`kms:GrantOperations`, `kms:RequestAlias`,
    /// `aws:RequestTag/…`, `kms:EncryptionAlgorithm`, …). Set after the standard keys, so an
    /// entry here replaces a standard key of the same name.
    pub extra_conditions: Vec<(String, Vec<String>)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callers_become_policy_principals() {
        let s = Caller::assumed_role("111122223333", "Dev", "alice");
        let p = s.to_principal();
        assert_eq!(p.arn, "arn:aws:sts::111122223333:assumed-role/Dev/alice");
        assert_eq!(
            p.principal_arn(),
            Some("arn:aws:iam::111122223333:role/Dev")
        );
        assert_eq!(s.principal_arn(), "arn:aws:iam::111122223333:role/Dev");
        assert!(matches!(
            p.kind,
            PrincipalKind::AssumedRole { ref session_name, .. } if session_name == "alice"
        ));
        let u = Caller::user("111122223333", "bob").to_principal();
        assert!(matches!(u.kind, PrincipalKind::User { ref name } if name == "bob"));
        assert_eq!(
            Caller::root("111122223333").to_principal().kind,
            PrincipalKind::Root
        );
        let svc = Caller::service("s3.amazonaws.com", "111122223333").to_principal();
        assert_eq!(svc.account, None);
    }

    #[test]
    fn caller_views_match_their_principals() {
        for c in [
            Caller::assumed_role("111122223333", "Dev", "alice"),
            Caller::user("111122223333", "bob"),
            Caller::root("111122223333"),
            Caller::service("s3.amazonaws.com", "111122223333"),
        ] {
            assert_eq!(c.view().principal(), c.to_principal().view());
            assert_eq!(c.view().is_root(), c.is_root());
            assert_eq!(c.view().is_service(), c.is_service());
        }
    }
}
