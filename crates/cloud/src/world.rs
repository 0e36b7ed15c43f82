//! The world: every account, Region and service, the clock and the random source.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::authorize::AuthorizationRecord;
use crate::cloudtrail::{CallAudit, CloudTrail};
use crate::context::{CallContext, ProfileInfo};
use crate::env::WorldRng;
use crate::error::{AwsError, ServiceError};
use crate::iam::Iam;
use crate::kms::Kms;
use crate::service::{JsonEntry, Service};
use crate::{DEFAULT_REGION, PARTNER_ACCOUNT, PROD_ACCOUNT, arn};

/// The seed of a world's RSA key pool, derived from the world seed (so it draws nothing from
/// the world's RNG).
fn rsa_pool_seed(seed: u64) -> [u8; 32] {
    use sha2::Digest as _;
    let mut h = sha2::Sha256::new();
    h.update(b"kmslab rsa pool seed");
    h.update(seed.to_be_bytes());
    h.finalize().into()
}

/// One CLI profile: long-term credentials of an IAM user, or a role to assume.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Profile {
    pub name: String,
    /// `Some` for profiles holding long-term user credentials: (account, user name).
    pub user: Option<(String, String)>,
    pub role_arn: Option<String>,
    pub source_profile: Option<String>,
    pub region: String,
}

/// Cached role credentials of a profile (the aws-cli caches them too).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct CachedSession {
    context: CallContext,
    role_arn: String,
    source_profile: String,
}

/// The whole simulated world. Its serde form is the lab's state schema (read as
/// [`crate::WorldState`]).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(from = "crate::WorldState")]
pub struct World {
    now_ms: i64,
    pub(crate) rng: WorldRng,
    pub(crate) iam: Iam,
    pub(crate) kms: Kms,
    pub(crate) trail: CloudTrail,
    profiles: BTreeMap<String, Profile>,
    default_profile: String,
    session_cache: BTreeMap<String, CachedSession>,
    /// The last denied authorization of each caller (by principal ARN), for "Why?".
    #[serde(default)]
    last_denials: BTreeMap<String, AuthorizationRecord>,
    /// The state of every registered service beyond the core (`s3`, `ec2`, `rds`, …), each
    /// under its own name in the serde form.
    #[serde(flatten)]
    pub(crate) services: crate::Services,
    /// True while serving a call whose allowed authorization decisions nobody reads
    /// ([`World::call`], [`crate::service::Client::call`]): they are then taken without their
    /// explanations. Not state.
    #[serde(skip)]
    lean: bool,
    /// The caller of the last call, shared by the audits of its calls (a caller makes many
    /// calls in a row). Not state.
    #[serde(skip)]
    last_caller: Option<std::sync::Arc<CallContext>>,
}

impl From<crate::WorldState> for World {
    fn from(mut state: crate::WorldState) -> World {
        let services = state.take_services();
        World {
            now_ms: state.now_ms,
            rng: state.rng,
            iam: state.iam,
            kms: state.kms,
            trail: state.trail,
            profiles: state.profiles,
            default_profile: state.default_profile,
            session_cache: state.session_cache,
            last_denials: state.last_denials,
            services,
            lean: false,
            last_caller: None,
        }
    }
}

impl World {
    /// The default world: accounts `prod` (111122223333) and `partner` (444455556666), their IAM
    /// principals, and the profiles `admin` (default), `security-admin`, `app`, `partner-admin`.
    pub fn new(seed: u64, start_time_ms: i64) -> World {
        let mut rng = WorldRng::new(seed);
        let iam = Iam::default_world(&mut rng, start_time_ms);
        let mut profiles = BTreeMap::new();
        let mut add = |p: Profile| {
            profiles.insert(p.name.clone(), p);
        };
        add(Profile {
            name: "admin".into(),
            user: Some((PROD_ACCOUNT.into(), "Admin".into())),
            role_arn: None,
            source_profile: None,
            region: DEFAULT_REGION.into(),
        });
        add(Profile {
            name: "security-admin".into(),
            user: None,
            role_arn: Some(format!("arn:aws:iam::{PROD_ACCOUNT}:role/SecurityAdmin")),
            source_profile: Some("admin".into()),
            region: DEFAULT_REGION.into(),
        });
        add(Profile {
            name: "app".into(),
            user: None,
            role_arn: Some(format!("arn:aws:iam::{PROD_ACCOUNT}:role/AppRole")),
            source_profile: Some("admin".into()),
            region: DEFAULT_REGION.into(),
        });
        add(Profile {
            name: "partner-admin".into(),
            user: Some((PARTNER_ACCOUNT.into(), "PartnerAdmin".into())),
            role_arn: None,
            source_profile: None,
            region: DEFAULT_REGION.into(),
        });
        World {
            now_ms: start_time_ms,
            rng,
            iam,
            kms: Kms::with_tracking_start(start_time_ms, rsa_pool_seed(seed)),
            trail: CloudTrail::default(),
            profiles,
            default_profile: "admin".into(),
            session_cache: BTreeMap::new(),
            last_denials: BTreeMap::new(),
            services: crate::Services::default(),
            lean: false,
            last_caller: None,
        }
    }

    /// The simulated time, Unix epoch milliseconds.
    pub fn now_ms(&self) -> i64 {
        self.now_ms
    }

    /// Moves the clock forward by `ms` (negative values are ignored: time never runs backwards),
    /// running every rotation, deletion and expiry that falls due, in time order. KMS's own
    /// CloudTrail events (`RotateKey`, `DeleteKey`) are stamped with the time they fell due.
    pub fn advance_clock(&mut self, ms: i64) {
        let target = self.now_ms.saturating_add(ms.max(0));
        self.kms.accrue(self.now_ms);
        while let Some(due) = self.kms.next_due(target) {
            self.now_ms = self.now_ms.max(due);
            self.kms.accrue(self.now_ms);
            for ev in self.kms.run_due(self.now_ms, &mut self.rng) {
                let event_id = self.rng.uuid();
                let request_id = self.rng.uuid();
                let bus_event = ev.clone();
                self.trail
                    .record_service_event(ev, self.now_ms, event_id, Some(request_id));
                crate::eventbridge::on_kms_service_event(self, &bus_event);
            }
        }
        self.now_ms = target;
        self.kms.accrue(self.now_ms);
    }

    /// Generates the next RSA keys of `bits` (2048, 3072 or 4096) ahead of time, so a later
    /// `CreateKey`, `GetParametersForImport` or `GenerateDataKeyPair` needing one is instant.
    /// Call it during idle time (it takes up to seconds for RSA_4096 in a browser). It changes
    /// nothing observable: the world's RSA keys are fixed by its seed either way.
    pub fn warm_rsa_pool(&self, bits: usize) {
        if matches!(bits, 2048 | 3072 | 4096) {
            self.kms.rsa_pool.warm(bits, 1);
        }
    }

    /// The next RSA key of `bits` (2048, 3072 or 4096) the pool holds, computed now unless it
    /// was already (slow: up to seconds in a browser), with an id that names it (hex of its
    /// seed): a host may keep it across page loads and give it back with
    /// [`World::offer_rsa_pool_key`] instead of computing it again.
    pub fn rsa_pool_next_key(&self, bits: usize) -> Option<(String, Vec<u8>)> {
        let id = self.rsa_pool_next_id(bits)?;
        let seed = self.kms.rsa_pool.next_seed(bits);
        let der = crate::kms::asym::rsa_private_der(bits, seed)?;
        Some((id, der))
    }

    /// The id of the next RSA key of `bits` the pool holds (see [`World::rsa_pool_next_key`]).
    pub fn rsa_pool_next_id(&self, bits: usize) -> Option<String> {
        if !matches!(bits, 2048 | 3072 | 4096) {
            return None;
        }
        let seed = self.kms.rsa_pool.next_seed(bits);
        Some(seed.iter().map(|b| format!("{b:02x}")).collect())
    }

    /// Gives the pool its next RSA key of `bits`, kept by the host from an earlier page load
    /// (see [`World::rsa_pool_next_key`]); taken only if it is an RSA private key (PKCS#8 DER)
    /// of that size. The world's keys stay those of its seed when the host's copy is its own.
    pub fn offer_rsa_pool_key(&self, bits: usize, der: &[u8]) -> bool {
        if !matches!(bits, 2048 | 3072 | 4096) {
            return false;
        }
        crate::kms::asym::remember_rsa_der(bits, self.kms.rsa_pool.next_seed(bits), der)
    }

    /// Turns request-rate quotas for single calls on (the default, as in AWS: a call over a
    /// quota within one simulated second answers `ThrottlingException`) or off (for scripted
    /// set-ups that make many management calls at one simulated instant). `World::load` always
    /// applies them.
    pub fn set_request_quotas(&mut self, enforced: bool) {
        self.kms.quotas_enforced = enforced;
    }

    /// The KMS bill of `account` for the current calendar month (simulated clock).
    pub fn cost(&self, account: &str) -> crate::kms::quota::CostReport {
        let (month, _) = crate::env::month_of(self.now_ms);
        self.kms.meter.report(account, &month)
    }

    /// Calls `service`'s `operation` with an AWS JSON-protocol `input`, as `ctx`.
    ///
    /// `service` is the aws-cli service name (`kms`, `iam`, `sts`, `cloudtrail`), `operation` the
    /// PascalCase API name. Every call to a known service appends exactly one CloudTrail event,
    /// whether it succeeds or fails.
    #[cfg_attr(wasm_speed, optimize(speed))]
    pub fn call(
        &mut self,
        ctx: &CallContext,
        service: &str,
        operation: &str,
        input: Value,
    ) -> Result<Value, AwsError> {
        let (result, decisions) =
            self.with_lean(true, |w| w.call_inner(ctx, service, operation, input));
        self.keep_denial(ctx, &decisions);
        result
    }

    /// Runs `f` with [`World::lean`] set to `lean`, then restores it.
    pub(crate) fn with_lean<R>(&mut self, lean: bool, f: impl FnOnce(&mut Self) -> R) -> R {
        let outer = std::mem::replace(&mut self.lean, lean);
        let r = f(self);
        self.lean = outer;
        r
    }

    /// [`World::call`], also returning the authorization decisions this very call took, in
    /// order (the service's own, then those of the KMS requests it made on the caller's behalf):
    /// what a "Why?" card explains, rather than a re-run on a later world.
    pub fn call_recorded(
        &mut self,
        ctx: &CallContext,
        service: &str,
        operation: &str,
        input: Value,
    ) -> (Result<Value, AwsError>, Vec<AuthorizationRecord>) {
        let (result, decisions) =
            self.with_lean(false, |w| w.call_inner(ctx, service, operation, input));
        self.keep_denial(ctx, &decisions);
        (result, decisions)
    }

    /// The typed client of this world acting as `ctx`: `world.client(&ctx).kms().describe_key(…)`.
    /// Each typed call goes through the same seam as [`World::call`] (one CloudTrail event, one
    /// request counted, its denial kept for [`World::last_denial`]).
    pub fn client<'w>(&'w mut self, ctx: &'w CallContext) -> crate::service::Client<'w> {
        crate::cloudtrail::deliver_due(self);
        crate::service::Client::new(self, ctx)
    }

    /// Keeps the last denied decision of a call for "Why?".
    pub(crate) fn keep_denial(&mut self, ctx: &CallContext, decisions: &[AuthorizationRecord]) {
        if let Some(denied) = decisions.iter().rev().find(|d| !d.allowed) {
            self.last_denials
                .insert(ctx.principal_arn.clone(), denied.clone());
        }
    }

    #[cfg_attr(wasm_speed, optimize(speed))]
    fn call_inner(
        &mut self,
        ctx: &CallContext,
        service: &str,
        operation: &str,
        input: Value,
    ) -> (Result<Value, AwsError>, Vec<AuthorizationRecord>) {
        if !arn::is_region(&ctx.region) {
            return (Err(endpoint_error(service, &ctx.region)), Vec::new());
        }
        let input = if input.is_null() {
            Value::Object(serde_json::Map::new())
        } else {
            input
        };
        // `aws s3api` talks to the `s3` endpoint.
        let service = if service == "s3api" { "s3" } else { service };
        let Ok(found) = crate::service::entry(service) else {
            crate::service::want_extension();
            return (Err(not_installed(service)), Vec::new());
        };
        let Some(entry) = found else {
            let names: Vec<&str> = crate::service::service_names().collect();
            let (last, rest) = names.split_last().unwrap_or((&"", &[]));
            return (
                Err(AwsError::new(
                    "UnknownServiceError",
                    format!(
                        "unknown service `{service}`: the lab models {} and {last}",
                        rest.join(", ")
                    ),
                )),
                Vec::new(),
            );
        };
        // What trails have due is delivered before the call (lazily, on the world's clock).
        crate::cloudtrail::deliver_due(self);
        self.json_call(entry.name, entry.json, ctx, operation, input)
    }

    /// The typed seam of service `S` through its [`crate::service::TypedEntry`] (the typed
    /// client's way in): the service's code is reached only through the entry, so it may live in
    /// a part of the engine installed later.
    pub(crate) fn invoke_entry<S: Service>(
        &mut self,
        ctx: &CallContext,
        req: S::Request,
    ) -> (Result<S::Response, S::Error>, Vec<AuthorizationRecord>) {
        use crate::service::Slot;
        let Ok(Some(entry)) = crate::service::entry(S::NAME) else {
            crate::service::want_extension();
            return (Err(S::internal(not_installed(S::NAME).message)), Vec::new());
        };
        let mut slot = Slot::<S>::Request(req);
        (entry.typed)(self, ctx, &mut slot);
        match slot {
            Slot::Done(done) => done,
            _ => (
                Err(S::internal(crate::service::answered(S::NAME, "nothing"))),
                Vec::new(),
            ),
        }
    }

    /// The JSON seam of a service (`entry` is its [`Service::handle_json`], `service` its name):
    /// decode, [`Service::handle`], encode, inside one audited call. Not generic: one copy for
    /// every service (the registry lists each service's `handle_json`).
    pub(crate) fn json_call(
        &mut self,
        service: &'static str,
        entry: JsonEntry,
        ctx: &CallContext,
        operation: &str,
        input: Value,
    ) -> (Result<Value, AwsError>, Vec<AuthorizationRecord>) {
        let (result, audit) = entry(self, ctx, operation, input);
        let decisions = self.finish_call(ctx, service, audit, result.as_ref().err());
        (result, decisions)
    }

    /// A service's JSON entry ([`JsonEntry`], what the registry lists): opens the call's audit
    /// and runs decode, [`Service::handle`] and encode inside it; [`World::json_call`] closes it.
    /// A request the service decodes by reference ([`Service::decode_ref`]) names its operation
    /// without a copy and keeps the caller's input for the event (converted when the event is
    /// read); otherwise the request parameters are built first and [`Service::handle_json`]
    /// runs.
    #[cfg_attr(wasm_speed, optimize(speed))]
    pub(crate) fn json_entry<S: Service>(
        &mut self,
        ctx: &CallContext,
        operation: &str,
        mut input: Value,
    ) -> (Result<Value, AwsError>, CallAudit) {
        // The input's request parameters are written (as text) before it is decoded, so the
        // request may take the input's strings instead of copying them.
        let kept = if S::DECODES_BY_REF {
            crate::cloudtrail::DeferredText::of(&input)
        } else {
            None
        };
        let decoded = if kept.is_some() {
            S::decode_taking(operation, &mut input)
        } else {
            S::decode_ref(operation, &input)
        };
        let name = match &decoded {
            Some(Ok(req)) => std::borrow::Cow::Borrowed(S::operation(req)),
            _ => std::borrow::Cow::Owned(operation.to_owned()),
        };
        let mut audit = self.open_audit(S::NAME, name, ctx);
        let result = match decoded {
            Some(decoded) => {
                match kept {
                    Some(text) => {
                        audit.defer_request_parameters_text(text);
                        drop(input);
                    }
                    None => audit.defer_request_parameters(input),
                }
                decoded.and_then(|req| {
                    let resp = S::handle(self, ctx, req, &mut audit).map_err(|e| e.to_aws())?;
                    S::encode(resp)
                })
            }
            None => {
                audit.set_request_parameters(crate::cloudtrail::request_parameters(&input));
                S::handle_json(self, ctx, operation, input, &mut audit)
            }
        };
        (result, audit)
    }

    /// The typed seam of service `S`: the same audited call as [`World::json_call`], without the
    /// JSON codec.
    pub(crate) fn invoke<S: Service>(
        &mut self,
        ctx: &CallContext,
        req: S::Request,
    ) -> (Result<S::Response, S::Error>, Vec<AuthorizationRecord>) {
        if !arn::is_region(&ctx.region) {
            let e = endpoint_error(S::NAME, &ctx.region);
            return (Err(S::client_side(e)), Vec::new());
        }
        let mut audit =
            self.open_audit(S::NAME, std::borrow::Cow::Borrowed(S::operation(&req)), ctx);
        if !S::defer_audit_input(&req, &mut audit) {
            audit.set_request_parameters(crate::cloudtrail::request_parameters_owned(
                S::audit_input(&req),
            ));
        }
        let result = S::handle(self, ctx, req, &mut audit);
        let error = result.as_ref().err().map(ServiceError::to_aws);
        let decisions = self.finish_call(ctx, S::NAME, audit, error.as_ref());
        (result, decisions)
    }

    /// Ends an audited call of `service` (JSON or typed) that failed with `error`, if it did:
    /// records its event, then lets AWS Config see what a successful call changed. Kept out of
    /// line so the typed seam's copies (one per service) share it.
    #[inline(never)]
    #[cfg_attr(wasm_speed, optimize(speed))]
    fn finish_call(
        &mut self,
        ctx: &CallContext,
        service: &'static str,
        audit: CallAudit,
        error: Option<&AwsError>,
    ) -> Vec<AuthorizationRecord> {
        let changed = error.is_none() && changes(&audit);
        let decisions = self.close_audit(audit, error);
        if changed {
            crate::config::after_change(self, ctx, service);
        }
        decisions
    }

    /// Opens a call's audit (drawing its event and request ids first); the caller sets its
    /// request parameters.
    #[cfg_attr(wasm_speed, optimize(speed))]
    fn open_audit(
        &mut self,
        service: &'static str,
        operation: std::borrow::Cow<'static, str>,
        ctx: &CallContext,
    ) -> CallAudit {
        let event_id = self.rng.uuid_id();
        let request_id = self.rng.uuid_id();
        let caller = match &self.last_caller {
            Some(c) if **c == *ctx => std::sync::Arc::clone(c),
            _ => {
                let c = std::sync::Arc::new(ctx.clone());
                self.last_caller = Some(std::sync::Arc::clone(&c));
                c
            }
        };
        let mut audit = CallAudit::open(service, operation, caller, event_id, request_id);
        audit.explain = !self.lean;
        audit
    }

    /// Records the call's event (and the service events it caused) and returns its decisions.
    #[cfg_attr(wasm_speed, optimize(speed))]
    fn close_audit(
        &mut self,
        mut audit: CallAudit,
        error: Option<&AwsError>,
    ) -> Vec<AuthorizationRecord> {
        let followups = std::mem::take(&mut audit.followups);
        let authorizations = std::mem::take(&mut audit.authorizations);
        self.trail.record(audit, error, self.now_ms, &mut self.rng);
        crate::eventbridge::after_call(self);
        for ev in followups {
            let event_id = self.rng.uuid();
            let request_id = self.rng.uuid();
            let bus_event = ev.clone();
            self.trail
                .record_service_event(ev, self.now_ms, event_id, Some(request_id));
            crate::eventbridge::on_kms_service_event(self, &bus_event);
        }
        authorizations
    }

    /// A KMS request an AWS service makes on a caller's behalf (`ctx` built with
    /// [`CallContext::via`]): recorded as its own KMS CloudTrail event and counted as a KMS
    /// request of the caller's account; its authorization decisions join the service call's.
    pub(crate) fn kms_on_behalf(
        &mut self,
        ctx: &CallContext,
        req: crate::kms::KmsRequest,
        decisions: &mut Vec<AuthorizationRecord>,
    ) -> Result<crate::kms::KmsResponse, crate::kms::KmsError> {
        let (result, made) = self.invoke_entry::<Kms>(ctx, req);
        decisions.extend(made);
        result
    }

    /// Explains how `ctx`'s call would be authorized, without making it: the call runs on a
    /// copy of the world, so nothing changes (no CloudTrail event, no request counted, no key
    /// touched). The answer lists every authorization decision the call would take (for
    /// `ReEncrypt`, the source and the destination key), each with what the key policy, every
    /// identity policy and every grant said and which rule decided, plus the call's outcome.
    ///
    /// The JSON: `{Service, Operation, Principal, Outcome: "Allowed"|"Denied"|"Failed", Error?:
    /// {Code, Message}, Decisions: [AuthorizationRecord…], Text}` where `Text` is the readable
    /// explanation (what `lab explain` prints).
    pub fn explain(
        &self,
        ctx: &CallContext,
        service: &str,
        operation: &str,
        input: Value,
    ) -> Result<Value, AwsError> {
        let mut copy = self.clone();
        let (result, decisions) = copy.call_recorded(ctx, service, operation, input);
        if let Err(e) = &result
            && decisions.is_empty()
            && e.is_client_side()
        {
            return Err(e.clone());
        }
        Ok(explanation_json(
            ctx, service, operation, &result, &decisions,
        ))
    }

    /// The last denied authorization of a caller (by its principal ARN, the session ARN for a
    /// role session), with its explanation: what the browser's "Why?" panel shows.
    pub fn last_denial(&self, principal_arn: &str) -> Option<&AuthorizationRecord> {
        self.last_denials.get(principal_arn)
    }

    /// Resolves a profile (None = the default profile) into a call context, as the aws-cli does:
    /// user profiles sign with the user's keys; role profiles call `sts:AssumeRole` with their
    /// source profile's credentials (the trust policy is checked) and cache the session until it
    /// expires. `region` overrides the profile's Region.
    pub fn context_for_profile(
        &mut self,
        profile: Option<&str>,
        region: Option<&str>,
    ) -> Result<CallContext, AwsError> {
        self.context_for_profile_depth(profile, region, 0)
    }

    fn context_for_profile_depth(
        &mut self,
        profile: Option<&str>,
        region: Option<&str>,
        depth: u8,
    ) -> Result<CallContext, AwsError> {
        let name = profile.unwrap_or(&self.default_profile).to_owned();
        let p = self.profiles.get(&name).cloned().ok_or_else(|| {
            AwsError::client(
                "ProfileNotFound",
                format!("The config profile ({name}) could not be found"),
            )
        })?;
        let region = region.unwrap_or(&p.region).to_owned();
        if let Some((account, user)) = &p.user {
            let mut ctx = self.iam.user_context(account, user).ok_or_else(|| {
                AwsError::with_status(
                    "InvalidClientTokenId",
                    "The security token included in the request is invalid.",
                    403,
                )
            })?;
            ctx.region = region;
            return Ok(ctx);
        }
        let (Some(role_arn), Some(source)) = (p.role_arn.clone(), p.source_profile.clone()) else {
            return Err(AwsError::client(
                "PartialCredentialsError",
                format!("profile `{name}` has neither credentials nor role_arn + source_profile"),
            ));
        };
        if depth > 4 {
            return Err(AwsError::client(
                "InfiniteLoopConfigError",
                format!("Infinite loop in credential configuration detected at profile `{name}`"),
            ));
        }
        if let Some(cached) = self.session_cache.get(&name) {
            let fresh = cached
                .context
                .session
                .as_ref()
                .is_some_and(|s| s.expires_ms > self.now_ms + 60_000);
            if fresh && cached.role_arn == role_arn && cached.source_profile == source {
                let mut ctx = cached.context.clone();
                ctx.region = region;
                return Ok(ctx);
            }
        }
        let source_ctx = self.context_for_profile_depth(Some(&source), Some(&region), depth + 1)?;
        let session_name = format!("botocore-session-{}", self.now_ms.div_euclid(1000));
        let out = self
            .client(&source_ctx)
            .sts()
            .assume_role(crate::sts::AssumeRoleRequest {
                role_arn: role_arn.clone(),
                role_session_name: session_name,
                ..Default::default()
            })
            .map_err(|e| e.to_aws())?;
        let mut ctx =
            crate::sts::context_from_assume_role(&self.iam, &out, &source_ctx, self.now_ms)?;
        ctx.region = region;
        self.session_cache.insert(
            name,
            CachedSession {
                context: ctx.clone(),
                role_arn,
                source_profile: source,
            },
        );
        Ok(ctx)
    }

    /// Every profile, sorted by name.
    pub fn profiles(&self) -> Vec<ProfileInfo> {
        self.profiles
            .values()
            .map(|p| ProfileInfo {
                name: p.name.clone(),
                principal_arn: p
                    .user
                    .as_ref()
                    .map(|(acct, user)| format!("arn:aws:iam::{acct}:user/{user}")),
                role_arn: p.role_arn.clone(),
                source_profile: p.source_profile.clone(),
                region: p.region.clone(),
            })
            .collect()
    }

    /// The profile used when none is named.
    pub fn default_profile(&self) -> &str {
        &self.default_profile
    }

    /// Makes `name` the default profile.
    pub fn set_default_profile(&mut self, name: &str) -> Result<(), AwsError> {
        if !self.profiles.contains_key(name) {
            return Err(AwsError::client(
                "ProfileNotFound",
                format!("The config profile ({name}) could not be found"),
            ));
        }
        name.clone_into(&mut self.default_profile);
        Ok(())
    }

    /// `aws configure set KEY VALUE --profile NAME` for `role_arn`, `source_profile` and `region`;
    /// creates the profile if needed.
    pub fn configure_set(&mut self, profile: &str, key: &str, value: &str) -> Result<(), AwsError> {
        let invalid = |m: String| AwsError::client("InvalidConfigError", m);
        if profile.is_empty()
            || profile
                .chars()
                .any(|c| c.is_whitespace() || c == '[' || c == ']')
        {
            return Err(invalid(format!("invalid profile name `{profile}`")));
        }
        match key {
            "role_arn" => {
                let ok = arn::Arn::parse(value).is_some_and(|a| {
                    a.service == "iam"
                        && arn::is_account_id(a.account)
                        && a.resource.starts_with("role/")
                });
                if !ok {
                    return Err(invalid(format!(
                        "`{value}` is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)"
                    )));
                }
            }
            "source_profile" => {
                if !self.profiles.contains_key(value) {
                    return Err(invalid(format!("source_profile `{value}` does not exist")));
                }
            }
            "region" => {
                if !arn::is_region(value) {
                    return Err(invalid(format!("`{value}` is not a Region the lab knows")));
                }
            }
            other => {
                return Err(invalid(format!(
                    "the lab supports `role_arn`, `source_profile` and `region`, not `{other}`"
                )));
            }
        }
        let p = self
            .profiles
            .entry(profile.to_owned())
            .or_insert_with(|| Profile {
                name: profile.to_owned(),
                user: None,
                role_arn: None,
                source_profile: None,
                region: DEFAULT_REGION.into(),
            });
        match key {
            "role_arn" => p.role_arn = Some(value.to_owned()),
            "source_profile" => p.source_profile = Some(value.to_owned()),
            _ => value.clone_into(&mut p.region),
        }
        self.session_cache.remove(profile);
        Ok(())
    }

    /// Whether a profile assumes a role.
    pub fn is_role_profile(&self, name: &str) -> bool {
        self.profiles
            .get(name)
            .is_some_and(|p| p.role_arn.is_some())
    }

    /// The retained CloudTrail events, oldest first (at most the newest
    /// [`crate::cloudtrail::RETAINED_EVENTS`]).
    pub fn events(&self) -> impl Iterator<Item = &crate::StoredEvent> {
        self.trail.events()
    }

    /// Sets how many full CloudTrail events are retained (default
    /// [`crate::RETAINED_EVENTS`]; each costs about 1.5 KB of serialised state). Counters keep
    /// counting everything.
    pub fn set_event_retention(&mut self, events: usize) {
        self.trail.set_retention(events);
    }

    /// Counters over every event ever recorded (not bounded by retention).
    pub fn event_counters(&self) -> &crate::EventCounters {
        self.trail.counters()
    }

    /// The number of KMS requests made by callers in `account` (the billing view).
    pub fn kms_request_count(&self, account: &str) -> u64 {
        self.trail
            .counters()
            .kms_requests_by_account
            .get(account)
            .copied()
            .unwrap_or(0)
    }

    /// The AWS managed key `aws/SERVICE` of an account and Region, created on first use (as AWS
    /// creates it when a service first needs it). Returns its key id.
    pub fn aws_managed_key(
        &mut self,
        account: &str,
        region: &str,
        service: &str,
    ) -> Result<String, AwsError> {
        self.kms
            .aws_managed_key(account, region, service, self.now_ms, &mut self.rng)
            .map_err(|e| e.to_aws())
    }

    /// The account alias (`prod`, `partner`) of an account, if it has one.
    pub fn account_alias(&self, account: &str) -> Option<&str> {
        self.iam
            .accounts
            .get(account)
            .map(|a| a.alias.as_str())
            .filter(|a| !a.is_empty())
    }

    /// The KMS state (read-only; for UIs).
    pub fn kms(&self) -> &Kms {
        &self.kms
    }
}

/// Whether a successful call may have changed resources (what AWS Config records): not a
/// read-only call.
fn changes(audit: &crate::service::CallAudit) -> bool {
    let op = &audit.operation;
    !(audit.read_only
        || ["Describe", "Get", "List", "Lookup", "Head"]
            .iter()
            .any(|p| op.starts_with(p)))
}

/// The error of a call that needed a part of the engine not installed yet. The browser app
/// drops what such a call did and runs it again once the part is there; only if the download
/// fails can a learner meet it (a finished long command's queued lines).
pub(crate) fn not_installed(service: &str) -> AwsError {
    AwsError::new(
        "ServiceUnavailable",
        format!("the lab is still loading the {service} service; try again in a moment"),
    )
}

/// The client-side error of a call to a Region that does not exist.
fn endpoint_error(service: &str, region: &str) -> AwsError {
    AwsError::client(
        "EndpointConnectionError",
        format!(
            "Could not connect to the endpoint URL: \"https://{service}.{region}.amazonaws.com/\""
        ),
    )
}

/// The JSON answer of [`World::explain`].
fn explanation_json(
    ctx: &CallContext,
    service: &str,
    operation: &str,
    result: &Result<Value, AwsError>,
    decisions: &[AuthorizationRecord],
) -> Value {
    use std::fmt::Write as _;
    let denied = decisions.iter().any(|d| !d.allowed);
    let outcome = match result {
        Ok(_) => "Allowed",
        Err(e) if denied || e.code.starts_with("AccessDenied") => "Denied",
        Err(_) => "Failed",
    };
    let mut text = format!("{service} {operation} as {}\n", ctx.principal_arn);
    if decisions.is_empty() {
        text.push_str("No authorization decision was taken: ");
        match result {
            Ok(_) => text.push_str("this call needs no permission (e.g. sts:GetCallerIdentity).\n"),
            Err(e) => {
                let _ = writeln!(
                    text,
                    "the request fails before authorization with {}: {}",
                    e.code, e.message
                );
            }
        }
    }
    for d in decisions {
        text.push('\n');
        text.push_str(&d.text);
        if !text.ends_with('\n') {
            text.push('\n');
        }
    }
    match result {
        Ok(_) => text.push_str("\nOutcome: the call would succeed.\n"),
        Err(e) => {
            let _ = writeln!(text, "\nOutcome: {}: {}", e.code, e.message);
        }
    }
    let mut out = serde_json::json!({
        "Service": service,
        "Operation": operation,
        "Principal": ctx.principal_arn,
        "Outcome": outcome,
        "Decisions": decisions,
        "Text": text,
    });
    if let (Err(e), Value::Object(m)) = (result, &mut out) {
        m.insert(
            "Error".into(),
            serde_json::json!({ "Code": e.code, "Message": e.message }),
        );
    }
    out
}
