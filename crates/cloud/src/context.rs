//! Who is calling: the request context every operation receives.

use serde::{Deserialize, Serialize};

/// The kind of identity behind a call, as CloudTrail's `userIdentity.type` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum IdentityType {
    /// An IAM user with long-term credentials.
    IAMUser,
    /// A role session obtained through `sts:AssumeRole`.
    AssumedRole,
    /// The account root user.
    Root,
    /// An AWS service acting with its own service principal.
    AWSService,
}

impl IdentityType {
    /// The name CloudTrail writes.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::IAMUser => "IAMUser",
            Self::AssumedRole => "AssumedRole",
            Self::Root => "Root",
            Self::AWSService => "AWSService",
        }
    }
}

/// The role session behind an `AssumedRole` identity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleSession {
    /// The role's ARN (`arn:aws:iam::ACCT:role/NAME`), the session issuer.
    pub role_arn: String,
    /// The role's unique id (`AROA…`).
    pub role_id: String,
    /// The role's name.
    pub role_name: String,
    /// The session name chosen by the caller.
    pub session_name: String,
    /// When the session was created (epoch ms).
    pub created_ms: i64,
    /// When the credentials expire (epoch ms).
    pub expires_ms: i64,
}

/// The request context of one call: the authenticated principal and the request's environment.
///
/// The fields mirror the global condition keys AWS evaluates (`aws:PrincipalArn`,
/// `aws:SecureTransport`, `aws:SourceIp`, `aws:UserAgent`, `kms:ViaService`, ...).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallContext {
    /// The principal ARN as it appears in the request context (`aws:PrincipalArn` is the role ARN
    /// for role sessions; this field holds the session ARN `arn:aws:sts::ACCT:assumed-role/R/S`).
    pub principal_arn: String,
    /// The caller's account.
    pub account: String,
    /// The Region the request is sent to.
    pub region: String,
    /// Set when an AWS service calls on the principal's behalf (`kms:ViaService`), e.g.
    /// `s3.us-east-1.amazonaws.com`.
    pub via_service: Option<String>,
    /// Whether the request used TLS (`aws:SecureTransport`).
    pub secure_transport: bool,
    /// The source IP address (`aws:SourceIp`), or a service's DNS name for service calls.
    pub source_ip: String,
    /// The user agent.
    pub user_agent: String,
    /// The kind of identity.
    pub identity_type: IdentityType,
    /// The principal id: `AIDA…` for users, `AROA…:session` for role sessions, the account for root.
    pub principal_id: String,
    /// The access key id the request was signed with (`AKIA…` or `ASIA…`).
    pub access_key_id: String,
    /// The IAM user name for `IAMUser` identities.
    pub user_name: Option<String>,
    /// The role session for `AssumedRole` identities.
    pub session: Option<RoleSession>,
    /// For `AWSService` identities, or calls an AWS service makes with forward-access sessions, the
    /// service principal (CloudTrail `invokedBy`), e.g. `s3.amazonaws.com`.
    pub invoked_by: Option<String>,
    /// For an AWS service acting for one of its resources (an SNS topic delivering to a queue,
    /// an EventBridge rule invoking a target), that resource: its requests carry it as
    /// `aws:SourceArn`, with its account as `aws:SourceAccount`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_arn: Option<String>,
}

impl CallContext {
    /// The same principal, calling through an AWS service in the context's Region (sets
    /// `via_service` to `SERVICE.REGION.amazonaws.com` and `invoked_by` to `SERVICE.amazonaws.com`).
    pub fn via(&self, service: &str) -> CallContext {
        let mut c = self.clone();
        c.via_service = Some(format!("{service}.{}.amazonaws.com", self.region));
        c.invoked_by = Some(format!("{service}.amazonaws.com"));
        c.source_ip = format!("{service}.amazonaws.com");
        c.user_agent = format!("{service}.amazonaws.com");
        c
    }

    /// An AWS service acting as itself (`userIdentity.type` = `AWSService`) in an account.
    pub fn aws_service(service: &str, account: &str, region: &str) -> CallContext {
        let principal = format!("{service}.amazonaws.com");
        CallContext {
            principal_arn: principal.clone(),
            account: account.to_owned(),
            region: region.to_owned(),
            via_service: None,
            secure_transport: true,
            source_ip: principal.clone(),
            user_agent: principal.clone(),
            identity_type: IdentityType::AWSService,
            principal_id: principal.clone(),
            access_key_id: String::new(),
            user_name: None,
            session: None,
            invoked_by: Some(principal),
            source_arn: None,
        }
    }

    /// The same service principal, acting for the resource `arn` (see [`CallContext::source_arn`]).
    #[must_use]
    pub fn for_resource(mut self, arn: &str) -> CallContext {
        self.source_arn = Some(arn.to_owned());
        self
    }

    /// The account root user of `account` (no profile uses it; scenarios may).
    pub fn root(account: &str, region: &str) -> CallContext {
        CallContext {
            principal_arn: format!("arn:aws:iam::{account}:root"),
            account: account.to_owned(),
            region: region.to_owned(),
            via_service: None,
            secure_transport: true,
            source_ip: "198.51.100.10".into(),
            user_agent: "aws-cli/2.27.0 md/kmslab".into(),
            identity_type: IdentityType::Root,
            principal_id: account.to_owned(),
            access_key_id: String::new(),
            user_name: None,
            session: None,
            invoked_by: None,
            source_arn: None,
        }
    }

    /// The principal ARN used for policy matching: the role ARN for role sessions
    /// (`aws:PrincipalArn`), otherwise [`CallContext::principal_arn`].
    pub fn policy_principal_arn(&self) -> &str {
        self.session
            .as_ref()
            .map_or(self.principal_arn.as_str(), |s| s.role_arn.as_str())
    }
}

/// A named CLI profile, as `~/.aws/config` would hold it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileInfo {
    /// The profile name.
    pub name: String,
    /// For profiles with long-term credentials: the IAM principal they belong to.
    pub principal_arn: Option<String>,
    /// For role profiles: the role to assume.
    pub role_arn: Option<String>,
    /// For role profiles: the profile whose credentials call `sts:AssumeRole`.
    pub source_profile: Option<String>,
    /// The profile's Region.
    pub region: String,
}
