//! Policy documents: parsing JSON into typed statements, once, on write.
//!
//! Grammar: <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html>.
//! Elements: <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html>.

use std::collections::HashSet;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::condition::{Condition, parse_block};
use crate::error::{Location, PolicyError, Problem, SizeUnit};
use crate::glob::{Template, Token, compile_wildcards, has_wildcard};

/// The policy language version (`Version` element).
///
/// Policy variables are only recognised in `2012-10-17`; in `2008-10-17`
/// (also the default when `Version` is omitted) `${...}` is literal text.
/// See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html>.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Version {
    /// `2012-10-17`, the current version.
    #[serde(rename = "2012-10-17")]
    V2012_10_17,
    /// `2008-10-17`, the original version.
    #[serde(rename = "2008-10-17")]
    V2008_10_17,
}

impl Version {
    /// The version string.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::V2012_10_17 => "2012-10-17",
            Self::V2008_10_17 => "2008-10-17",
        }
    }

    fn supports_variables(self) -> bool {
        self == Self::V2012_10_17
    }
}

/// Where a policy is attached, which decides the rules for `Principal` and `Resource`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PolicyKind {
    /// Attached to a user, group or role: no `Principal`/`NotPrincipal`;
    /// `Resource` or `NotResource` required.
    Identity,
    /// Attached to a resource (KMS key policy, S3 bucket policy): every
    /// statement names a `Principal` or `NotPrincipal`. A statement without
    /// `Resource` is accepted, as KMS does, but never applies; services that
    /// reject it (S3) can check [`Statement::resource`].
    Resource,
    /// A role trust policy: `Principal` required, no `NotPrincipal`, no
    /// `Resource`/`NotResource`.
    Trust,
}

impl PolicyKind {
    fn describe(self) -> &'static str {
        match self {
            Self::Identity => "an identity policy",
            Self::Resource => "a resource policy",
            Self::Trust => "a role trust policy",
        }
    }
}

/// Size and character limits, passed by the caller because they differ per
/// service and policy type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    /// Maximum size and what it counts, or `None` for no limit.
    pub max_size: Option<(usize, SizeUnit)>,
    /// Restrict characters to tab, LF, CR and U+0020–U+00FF (the KMS `PolicyType` pattern).
    pub latin1_only: bool,
}

impl Limits {
    /// No limits (used when re-reading stored policies).
    pub const fn none() -> Self {
        Self {
            max_size: None,
            latin1_only: false,
        }
    }

    /// A byte limit on the whole document.
    pub const fn bytes(max: usize) -> Self {
        Self {
            max_size: Some((max, SizeUnit::Bytes)),
            latin1_only: false,
        }
    }

    /// A limit on characters other than white space (how IAM counts).
    pub const fn non_whitespace_chars(max: usize) -> Self {
        Self {
            max_size: Some((max, SizeUnit::NonWhitespaceCharacters)),
            latin1_only: false,
        }
    }

    /// KMS key policy: 32 KB (32,768 bytes) and the `PolicyType` character set.
    /// <https://docs.aws.amazon.com/kms/latest/developerguide/resource-limits.html>
    pub const fn kms_key_policy() -> Self {
        Self {
            max_size: Some((32_768, SizeUnit::Bytes)),
            latin1_only: true,
        }
    }

    /// IAM inline policies of a user: 2,048 non-whitespace characters.
    /// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html>
    pub const fn iam_user_inline() -> Self {
        Self::non_whitespace_chars(2_048)
    }

    /// IAM inline policies of a role: 10,240 non-whitespace characters.
    pub const fn iam_role_inline() -> Self {
        Self::non_whitespace_chars(10_240)
    }

    /// IAM managed policies: 6,144 non-whitespace characters.
    pub const fn iam_managed() -> Self {
        Self::non_whitespace_chars(6_144)
    }

    /// Role trust policies: 2,048 non-whitespace characters (default quota).
    pub const fn iam_role_trust() -> Self {
        Self::non_whitespace_chars(2_048)
    }

    /// S3 bucket policies: 20 KB.
    pub const fn s3_bucket_policy() -> Self {
        Self::bytes(20_480)
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self::none()
    }
}

/// `Allow` or `Deny`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Effect {
    /// Grants the matching requests (unless something denies them).
    Allow,
    /// Explicitly denies the matching requests; always wins.
    Deny,
}

impl fmt::Display for Effect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Allow => "Allow",
            Self::Deny => "Deny",
        })
    }
}

/// One principal named in `Principal` or `NotPrincipal`.
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html>
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PrincipalId {
    /// `"*"` or `{"AWS": "*"}`: everyone, including anonymous callers.
    Everyone,
    /// An account, written as `arn:aws:iam::ACCT:root` or as the bare id.
    /// It names the account, so it matches every principal in that account
    /// (whose own IAM policies must then allow the request).
    Account {
        /// The 12-digit account id.
        id: String,
        /// The value as written.
        raw: String,
    },
    /// A user, role, assumed-role session or federated user ARN. A role ARN
    /// also matches that role's sessions.
    Arn(String),
    /// `{"Service": "..."}`: an AWS service principal.
    Service(String),
    /// `{"Federated": "..."}`: a web identity or SAML provider.
    Federated(String),
}

impl fmt::Display for PrincipalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Everyone => f.write_str("*"),
            Self::Account { raw, .. } => f.write_str(raw),
            Self::Arn(s) | Self::Service(s) | Self::Federated(s) => f.write_str(s),
        }
    }
}

/// The `Principal` or `NotPrincipal` element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrincipalBlock {
    /// True for `NotPrincipal`.
    pub negated: bool,
    /// The principals named.
    pub ids: Vec<PrincipalId>,
}

/// One pattern of `Action`/`NotAction` (matched ignoring case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionPattern {
    raw: String,
    tokens: Vec<Token>,
}

impl ActionPattern {
    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    pub(crate) fn tokens(&self) -> &[Token] {
        &self.tokens
    }
}

/// The `Action` or `NotAction` element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionBlock {
    /// True for `NotAction`.
    pub negated: bool,
    /// The patterns.
    pub patterns: Vec<ActionPattern>,
}

/// The `Resource` or `NotResource` element (case-sensitive, with variables).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceBlock {
    /// True for `NotResource`.
    pub negated: bool,
    pub(crate) patterns: Vec<Template>,
}

impl ResourceBlock {
    /// The patterns as written.
    pub fn patterns(&self) -> impl Iterator<Item = &str> {
        self.patterns.iter().map(Template::raw)
    }

    /// Policy variables in the patterns that have no value in `ctx`.
    pub(crate) fn unresolved(&self, ctx: &crate::context::RequestContext) -> Vec<String> {
        crate::glob::unresolved_keys(&self.patterns, ctx)
    }
}

/// One statement of a policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub(crate) sid: Option<String>,
    pub(crate) effect: Effect,
    pub(crate) principal: Option<PrincipalBlock>,
    pub(crate) action: ActionBlock,
    pub(crate) resource: Option<ResourceBlock>,
    pub(crate) conditions: Vec<Condition>,
}

impl Statement {
    /// The statement id, if any.
    pub fn sid(&self) -> Option<&str> {
        self.sid.as_deref()
    }

    /// `Allow` or `Deny`.
    pub fn effect(&self) -> Effect {
        self.effect
    }

    /// `Principal`/`NotPrincipal` (absent in identity policies).
    pub fn principal(&self) -> Option<&PrincipalBlock> {
        self.principal.as_ref()
    }

    /// `Action`/`NotAction`.
    pub fn action(&self) -> &ActionBlock {
        &self.action
    }

    /// `Resource`/`NotResource`, if present.
    pub fn resource(&self) -> Option<&ResourceBlock> {
        self.resource.as_ref()
    }

    /// The conditions (all must hold).
    pub fn conditions(&self) -> &[Condition] {
        &self.conditions
    }
}

/// A parsed, validated policy document. Keeps the original text, because
/// AWS returns policies exactly as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyDocument {
    source: String,
    kind: PolicyKind,
    version: Version,
    id: Option<String>,
    statements: Vec<Statement>,
}

const TOP_LEVEL: [&str; 3] = ["Version", "Id", "Statement"];
const STATEMENT_ELEMENTS: [&str; 9] = [
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];

/// Edit distance between two short ASCII-ish names (case-insensitive).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitute = prev.get(j).copied().unwrap_or(usize::MAX) + usize::from(ca != cb);
            let delete = prev
                .get(j + 1)
                .copied()
                .unwrap_or(usize::MAX)
                .saturating_add(1);
            let insert = cur.get(j).copied().unwrap_or(usize::MAX).saturating_add(1);
            if let Some(slot) = cur.get_mut(j + 1) {
                *slot = substitute.min(delete).min(insert);
            }
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(usize::MAX)
}

/// An unknown element, with the closest known name (at most two edits away) as a hint.
fn unknown(element: &str, known: &[&'static str]) -> Problem {
    Problem::UnknownElement {
        element: element.to_owned(),
        suggestion: known
            .iter()
            .copied()
            .map(|k| (edit_distance(k, element), k))
            .filter(|(d, _)| *d <= 2)
            .min_by_key(|(d, _)| *d)
            .map(|(_, k)| k),
    }
}

impl PolicyDocument {
    /// Parses and validates `json` as a policy of the given kind.
    ///
    /// # Errors
    ///
    /// A [`PolicyError`] describing the first problem found: size/character
    /// limits, invalid JSON (with position), unknown or missing elements,
    /// conflicting elements, bad values, unsupported condition operators,
    /// duplicate Sids, and principal/resource rules for `kind`.
    pub fn parse(json: &str, kind: PolicyKind, limits: Limits) -> Result<Self, PolicyError> {
        check_limits(json, limits)?;
        let value: Value = serde_json::from_str(json).map_err(|e| {
            let text = e.to_string();
            let message = text
                .rsplit_once(" at line ")
                .map_or(text.as_str(), |(m, _)| m)
                .to_owned();
            PolicyError::InvalidJson {
                message,
                line: e.line(),
                column: e.column(),
            }
        })?;
        let doc_err = |problem| PolicyError::at(Location::Document, problem);
        let Value::Object(top) = value else {
            return Err(doc_err(Problem::WrongType {
                element: "policy".to_owned(),
                expected: "a JSON object",
            }));
        };
        if let Some(bad) = top.keys().find(|k| !TOP_LEVEL.contains(&k.as_str())) {
            return Err(doc_err(unknown(bad, &TOP_LEVEL)));
        }
        let version = match top.get("Version") {
            None => Version::V2008_10_17,
            Some(Value::String(s)) if s == "2012-10-17" => Version::V2012_10_17,
            Some(Value::String(s)) if s == "2008-10-17" => Version::V2008_10_17,
            Some(other) => {
                return Err(doc_err(Problem::InvalidVersion {
                    value: other
                        .as_str()
                        .map_or_else(|| other.to_string(), str::to_owned),
                }));
            }
        };
        let id = match top.get("Id") {
            None => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => {
                return Err(doc_err(Problem::WrongType {
                    element: "Id".to_owned(),
                    expected: "a string",
                }));
            }
        };
        let raw_statements: Vec<&Value> = match top.get("Statement") {
            None => {
                return Err(doc_err(Problem::MissingElement {
                    element: "Statement",
                }));
            }
            Some(Value::Array(items)) => items.iter().collect(),
            Some(obj @ Value::Object(_)) => vec![obj],
            Some(_) => {
                return Err(doc_err(Problem::WrongType {
                    element: "Statement".to_owned(),
                    expected: "an object or a list of objects",
                }));
            }
        };
        if raw_statements.is_empty() {
            return Err(doc_err(Problem::Empty {
                element: "Statement".to_owned(),
            }));
        }
        let mut statements = Vec::with_capacity(raw_statements.len());
        let mut sids = HashSet::new();
        for (i, raw) in raw_statements.into_iter().enumerate() {
            let statement = parse_statement(i + 1, raw, kind, version)?;
            if let Some(sid) = statement.sid.as_deref().filter(|s| !s.is_empty())
                && !sids.insert(sid.to_owned())
            {
                return Err(PolicyError::at(
                    Location::Statement {
                        number: i + 1,
                        sid: None,
                    },
                    Problem::DuplicateSid {
                        sid: sid.to_owned(),
                    },
                ));
            }
            statements.push(statement);
        }
        Ok(Self {
            source: json.to_owned(),
            kind,
            version,
            id,
            statements,
        })
    }

    /// The document exactly as it was written.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The kind it was parsed as.
    pub fn kind(&self) -> PolicyKind {
        self.kind
    }

    /// The policy language version.
    pub fn version(&self) -> Version {
        self.version
    }

    /// The optional `Id` element.
    pub fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    /// The statements in document order.
    pub fn statements(&self) -> &[Statement] {
        &self.statements
    }

    /// Every principal named in `Principal`/`NotPrincipal`, in order, without
    /// duplicates (KMS checks that named principals exist).
    pub fn principals(&self) -> Vec<&PrincipalId> {
        let mut out: Vec<&PrincipalId> = Vec::new();
        for id in self
            .statements
            .iter()
            .filter_map(|s| s.principal.as_ref())
            .flat_map(|p| &p.ids)
        {
            if !out.contains(&id) {
                out.push(id);
            }
        }
        out
    }
}

fn check_limits(json: &str, limits: Limits) -> Result<(), PolicyError> {
    if limits.latin1_only
        && let Some((offset, character)) = json
            .char_indices()
            .find(|&(_, c)| !matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{FF}'))
    {
        return Err(PolicyError::InvalidCharacter {
            character,
            code: u32::from(character),
            offset,
        });
    }
    if let Some((limit, unit)) = limits.max_size {
        let actual = match unit {
            SizeUnit::Bytes => json.len(),
            SizeUnit::NonWhitespaceCharacters => {
                json.chars().filter(|c| !c.is_whitespace()).count()
            }
        };
        if actual > limit {
            return Err(PolicyError::TooLarge {
                actual,
                limit,
                unit,
            });
        }
    }
    Ok(())
}

/// A string or a non-empty list of strings.
fn string_list(value: &Value, element: &str) -> Result<Vec<String>, Problem> {
    let wrong = || Problem::WrongType {
        element: element.to_owned(),
        expected: "a string or a list of strings",
    };
    let list = match value {
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items
            .iter()
            .map(|v| v.as_str().map(str::to_owned).ok_or_else(wrong))
            .collect::<Result<Vec<_>, _>>()?,
        _ => return Err(wrong()),
    };
    if list.is_empty() {
        return Err(Problem::Empty {
            element: element.to_owned(),
        });
    }
    Ok(list)
}

fn parse_statement(
    number: usize,
    raw: &Value,
    kind: PolicyKind,
    version: Version,
) -> Result<Statement, PolicyError> {
    let Value::Object(obj) = raw else {
        return Err(PolicyError::at(
            Location::Statement { number, sid: None },
            Problem::WrongType {
                element: "Statement".to_owned(),
                expected: "an object",
            },
        ));
    };
    let sid = obj.get("Sid").and_then(Value::as_str).map(str::to_owned);
    let at = Location::Statement {
        number,
        sid: sid.clone().filter(|s| !s.is_empty()),
    };
    parse_statement_body(obj, sid, kind, version).map_err(|problem| PolicyError::at(at, problem))
}

fn exclusive<'a>(
    obj: &'a Map<String, Value>,
    positive: &'static str,
    negative: &'static str,
) -> Result<Option<(bool, &'a Value)>, Problem> {
    match (obj.get(positive), obj.get(negative)) {
        (Some(_), Some(_)) => Err(Problem::ConflictingElements {
            first: positive,
            second: negative,
        }),
        (Some(v), None) => Ok(Some((false, v))),
        (None, Some(v)) => Ok(Some((true, v))),
        (None, None) => Ok(None),
    }
}

fn parse_statement_body(
    obj: &Map<String, Value>,
    sid: Option<String>,
    kind: PolicyKind,
    version: Version,
) -> Result<Statement, Problem> {
    if let Some(bad) = obj
        .keys()
        .find(|k| !STATEMENT_ELEMENTS.contains(&k.as_str()))
    {
        return Err(unknown(bad, &STATEMENT_ELEMENTS));
    }
    if obj.get("Sid").is_some_and(|v| !v.is_string()) {
        return Err(Problem::WrongType {
            element: "Sid".to_owned(),
            expected: "a string",
        });
    }
    let effect = match obj.get("Effect") {
        None => return Err(Problem::MissingElement { element: "Effect" }),
        Some(Value::String(s)) if s == "Allow" => Effect::Allow,
        Some(Value::String(s)) if s == "Deny" => Effect::Deny,
        Some(other) => {
            return Err(Problem::InvalidEffect {
                value: other
                    .as_str()
                    .map_or_else(|| other.to_string(), str::to_owned),
            });
        }
    };

    let principal = match exclusive(obj, "Principal", "NotPrincipal")? {
        Some((negated, value)) => {
            let element = if negated { "NotPrincipal" } else { "Principal" };
            match kind {
                PolicyKind::Identity => {
                    return Err(Problem::PrincipalNotAllowed {
                        element,
                        kind: kind.describe(),
                    });
                }
                PolicyKind::Trust if negated => {
                    return Err(Problem::PrincipalNotAllowed {
                        element,
                        kind: kind.describe(),
                    });
                }
                PolicyKind::Resource | PolicyKind::Trust => {}
            }
            if negated && effect == Effect::Allow {
                return Err(Problem::NotPrincipalWithAllow);
            }
            Some(PrincipalBlock {
                negated,
                ids: parse_principal(value, element)?,
            })
        }
        None if kind == PolicyKind::Identity => None,
        None => {
            return Err(Problem::PrincipalRequired {
                kind: match kind {
                    PolicyKind::Trust => "role trust policy",
                    _ => "resource policy",
                },
            });
        }
    };

    let action = match exclusive(obj, "Action", "NotAction")? {
        Some((negated, value)) => {
            let element = if negated { "NotAction" } else { "Action" };
            let patterns = string_list(value, element)?
                .into_iter()
                .map(|raw| {
                    let valid = raw == "*"
                        || raw.split_once(':').is_some_and(|(svc, act)| {
                            !svc.is_empty()
                                && !act.is_empty()
                                && svc.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                        });
                    if valid {
                        Ok(ActionPattern {
                            tokens: compile_wildcards(&raw),
                            raw,
                        })
                    } else {
                        Err(Problem::InvalidAction { value: raw })
                    }
                })
                .collect::<Result<_, _>>()?;
            ActionBlock { negated, patterns }
        }
        None => return Err(Problem::MissingElement { element: "Action" }),
    };

    let resource = match exclusive(obj, "Resource", "NotResource")? {
        Some((negated, value)) => {
            let element = if negated { "NotResource" } else { "Resource" };
            if kind == PolicyKind::Trust {
                return Err(Problem::ResourceNotAllowed { element });
            }
            let patterns = string_list(value, element)?
                .into_iter()
                .map(|raw| {
                    if raw != "*" && !raw.starts_with("arn:") {
                        return Err(Problem::InvalidResource { value: raw });
                    }
                    Template::parse(&raw, version.supports_variables())
                        .map_err(|reason| Problem::InvalidPolicyVariable { value: raw, reason })
                })
                .collect::<Result<_, _>>()?;
            Some(ResourceBlock { negated, patterns })
        }
        None if kind == PolicyKind::Identity => return Err(Problem::ResourceRequired),
        None => None,
    };

    let conditions = match obj.get("Condition") {
        Some(block) => parse_block(block, version.supports_variables())?,
        None => Vec::new(),
    };

    Ok(Statement {
        sid,
        effect,
        principal,
        action,
        resource,
        conditions,
    })
}

fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

fn parse_principal(value: &Value, element: &'static str) -> Result<Vec<PrincipalId>, Problem> {
    let map = match value {
        Value::String(s) if s == "*" => return Ok(vec![PrincipalId::Everyone]),
        Value::Object(map) if !map.is_empty() => map,
        _ => {
            return Err(Problem::WrongType {
                element: element.to_owned(),
                expected: "`\"*\"` or an object such as `{\"AWS\": \"arn:aws:iam::111122223333:root\"}`",
            });
        }
    };
    let mut ids = Vec::new();
    for (principal_type, values) in map {
        let values = string_list(values, &format!("{element}.{principal_type}"))?;
        for v in values {
            let invalid = |reason| Problem::InvalidPrincipal {
                value: v.clone(),
                reason,
            };
            let id = match principal_type.as_str() {
                "AWS" => parse_aws_principal(&v).map_err(invalid)?,
                "Service" | "Federated" if v.is_empty() || has_wildcard(&v) => {
                    return Err(invalid(
                        "service and federated principals cannot use wildcards",
                    ));
                }
                "Service" => PrincipalId::Service(v),
                "Federated" => PrincipalId::Federated(v),
                other => {
                    return Err(Problem::UnsupportedPrincipalType {
                        name: other.to_owned(),
                    });
                }
            };
            ids.push(id);
        }
    }
    Ok(ids)
}

fn parse_aws_principal(v: &str) -> Result<PrincipalId, &'static str> {
    if v == "*" {
        return Ok(PrincipalId::Everyone);
    }
    if has_wildcard(v) {
        return Err("wildcards are only allowed as the whole value `*`");
    }
    if is_account_id(v) {
        return Ok(PrincipalId::Account {
            id: v.to_owned(),
            raw: v.to_owned(),
        });
    }
    // arn:PARTITION:SERVICE::ACCOUNT:RESOURCE
    let parts: Vec<&str> = v.splitn(6, ':').collect();
    match parts.as_slice() {
        [
            "arn",
            partition,
            service @ ("iam" | "sts"),
            "",
            account,
            resource,
        ] if !partition.is_empty() && is_account_id(account) && !resource.is_empty() => {
            if *service == "iam" && *resource == "root" {
                Ok(PrincipalId::Account {
                    id: (*account).to_owned(),
                    raw: v.to_owned(),
                })
            } else {
                Ok(PrincipalId::Arn(v.to_owned()))
            }
        }
        _ => Err("expected `*`, a 12-digit account id, or an IAM or STS ARN"),
    }
}

/// How a [`PolicyDocument`] is stored: the kind and the original text.
#[derive(Serialize, Deserialize)]
struct Stored<'a> {
    kind: PolicyKind,
    #[serde(borrow)]
    source: std::borrow::Cow<'a, str>,
}

impl Serialize for PolicyDocument {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Stored {
            kind: self.kind,
            source: std::borrow::Cow::Borrowed(&self.source),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for PolicyDocument {
    /// Re-parses the stored text (without size limits: they were checked on write).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let stored = Stored::deserialize(deserializer)?;
        Self::parse(&stored.source, stored.kind, Limits::none()).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let err = PolicyDocument::parse(KMS_DEFAULT, PolicyKind::Resource, Limits::bytes(100))
            .unwrap_err();
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
        let err = PolicyDocument::parse(&exotic, PolicyKind::Resource, Limits::kms_key_policy())
            .unwrap_err();
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
}
