//! Per-service parameter tables: which operations exist and which members their input takes.
//!
//! The KMS table is generated from the official API model by `tools/gen_model.py`; the IAM, STS
//! and CloudTrail tables are hand-written in the same format and cover only the operations the
//! simulated world implements. A new service (s3api, ec2, rds) is one more JSON file plus one
//! line in `SERVICES` (this module).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

pub mod waiters;

/// The command-line names of every service with a table: the core's, then the others'.
const NAMES: &[&str] = &[
    "kms",
    "iam",
    "sts",
    "cloudtrail",
    "s3api",
    "ec2",
    "rds",
    "logs",
    "ssm",
    "secretsmanager",
    "dynamodb",
    "efs",
    "configservice",
    "sqs",
    "sns",
    "events",
];

/// The core's services (always here) and their compact tables.
const CORE: &[(&str, &str)] = &[
    ("kms", include_str!("kms.json")),
    ("iam", include_str!("iam.json")),
    ("sts", include_str!("sts.json")),
    ("cloudtrail", include_str!("cloudtrail.json")),
];

/// The other services' tables: reached through [`extension_table`], so with the `lazy` feature
/// they come with the engine's extension (the browser app downloads them after its first load).
static EXTENSION: &[(&str, &str)] = &[
    ("s3api", include_str!("s3api.json")),
    ("ec2", include_str!("ec2.json")),
    ("rds", include_str!("rds.json")),
    ("logs", include_str!("logs.json")),
    ("ssm", include_str!("ssm.json")),
    ("secretsmanager", include_str!("secretsmanager.json")),
    ("dynamodb", include_str!("dynamodb.json")),
    ("efs", include_str!("efs.json")),
    ("configservice", include_str!("configservice.json")),
    ("sqs", include_str!("sqs.json")),
    ("sns", include_str!("sns.json")),
    ("events", include_str!("events.json")),
];

/// The type of one input member, with nested members for containers.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Shape {
    /// A string, possibly restricted to `enum` values (aws-cli does not check them client-side).
    String {
        /// The allowed values, if the model names any.
        #[serde(default, rename = "enum")]
        values: Vec<String>,
    },
    /// A 32-bit integer.
    Integer,
    /// A 64-bit integer.
    Long,
    /// A floating-point number.
    Double,
    /// A floating-point number.
    Float,
    /// A boolean; top-level booleans are flags (`--dry-run` / `--no-dry-run`).
    Boolean,
    /// Binary data: base64 text inline, raw bytes with `fileb://`.
    Blob,
    /// A point in time: ISO 8601 or epoch seconds on the command line.
    Timestamp,
    /// A list of members.
    List {
        /// The element shape.
        member: Box<Shape>,
    },
    /// A map from strings to values.
    Map {
        /// The key shape (always a string in the supported services).
        key: Box<Shape>,
        /// The value shape.
        value: Box<Shape>,
    },
    /// A structure with named members.
    Structure {
        /// The members by their API name.
        #[serde(default)]
        members: BTreeMap<String, Shape>,
        /// The members that must be present.
        #[serde(default)]
        required: Vec<String>,
    },
}

impl Shape {
    /// A short type name for help text and error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Shape::String { .. } => "string",
            Shape::Integer => "integer",
            Shape::Long => "long",
            Shape::Double | Shape::Float => "double",
            Shape::Boolean => "boolean",
            Shape::Blob => "blob",
            Shape::Timestamp => "timestamp",
            Shape::List { .. } => "list",
            Shape::Map { .. } => "map",
            Shape::Structure { .. } => "structure",
        }
    }

    /// Whether the shape is a scalar (not a list, map or structure).
    pub fn is_scalar(&self) -> bool {
        !matches!(
            self,
            Shape::List { .. } | Shape::Map { .. } | Shape::Structure { .. }
        )
    }
}

/// One operation's input.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct Operation {
    /// Input members by API name (`KeyId`), in the model's order.
    #[serde(default)]
    pub members: serde_json::Map<String, serde_json::Value>,
    /// Required members.
    #[serde(default)]
    pub required: Vec<String>,
    /// The response member written to the positional outfile argument (e.g. `Body` for
    /// `s3api get-object KEY OUTFILE`); `None` for operations without an outfile.
    #[serde(default)]
    pub outfile: Option<String>,
    /// How aws-cli pages through this operation's results, if it does.
    #[serde(default)]
    pub paginator: Option<Paginator>,
}

/// botocore's paginator configuration for one operation.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct Paginator {
    /// The request member that carries the page token (`Marker`).
    pub input_token: String,
    /// The response member with the next page token (`NextMarker`).
    pub output_token: String,
    /// The response member that says more pages exist (`Truncated`), if any.
    #[serde(default)]
    pub more_results: Option<String>,
    /// The request member that limits a page's size (`Limit`).
    pub limit_key: String,
    /// The response list aggregated over all pages (`Keys`).
    pub result_key: String,
}

impl Operation {
    /// The shape of one input member.
    pub fn member(&self, name: &str) -> Option<Shape> {
        self.members
            .get(name)
            .and_then(|v| Shape::deserialize(v).ok())
    }

    /// Input member names in model order.
    pub fn member_names(&self) -> impl Iterator<Item = &str> {
        self.members.keys().map(String::as_str)
    }
}

/// One service's table.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct Service {
    /// The service's command-line name (`kms`).
    pub service: String,
    /// Operations by their API name (`CreateKey`).
    pub operations: BTreeMap<String, Operation>,
    /// Output member names whose values are timestamps (printed as ISO 8601).
    #[serde(default)]
    pub timestamps: Vec<String>,
}

impl Service {
    /// Finds an operation by its command-line name (`create-key`).
    pub fn operation_by_cli_name(&self, cli: &str) -> Option<(&str, &Operation)> {
        self.operations
            .iter()
            .find(|(name, _)| xform_name(name) == cli)
            .map(|(name, op)| (name.as_str(), op))
    }

    /// Command-line names of all operations, with `wait` for a service that has waiters,
    /// sorted.
    pub fn cli_operation_names(&self) -> Vec<String> {
        let mut v: Vec<String> = self.operations.keys().map(|n| xform_name(n)).collect();
        if waiters::waiters(&self.service).is_some() {
            v.push("wait".into());
        }
        v.sort();
        v
    }
}

/// The tables beyond the core's, as [`install`] takes them (opaque outside this crate).
#[derive(Clone, Copy, Debug)]
pub struct ModelTable(&'static [(&'static str, &'static str)]);

/// The tables beyond the core's, for [`install`]: the one place that names them, so with the
/// `lazy` feature they are reached only from where this is called (the app's chunk).
pub fn extension_table() -> ModelTable {
    ModelTable(EXTENSION)
}

#[cfg(feature = "lazy")]
static INSTALLED: OnceLock<&'static [(&'static str, &'static str)]> = OnceLock::new();

/// Installs the tables beyond the core's (with the `lazy` feature; without it they are always
/// there). Installing again changes nothing.
pub fn install(table: ModelTable) {
    #[cfg(feature = "lazy")]
    let _ = INSTALLED.set(table.0);
    #[cfg(not(feature = "lazy"))]
    let _always_here = table.0;
}

fn parse(texts: &[(&str, &str)]) -> Vec<Service> {
    texts
        .iter()
        // INVARIANT: the embedded tables are valid (checked by the `tables_load` test).
        .filter_map(|(_, text)| serde_json::from_str::<Service>(text).ok())
        .collect()
}

fn core_tables() -> &'static [Service] {
    static TABLES: OnceLock<Vec<Service>> = OnceLock::new();
    TABLES.get_or_init(|| parse(CORE))
}

/// The tables beyond the core's, once installed.
fn extension_tables() -> Option<&'static [Service]> {
    #[cfg(feature = "lazy")]
    let texts = INSTALLED.get().copied()?;
    #[cfg(not(feature = "lazy"))]
    let texts = EXTENSION;
    static TABLES: OnceLock<Vec<Service>> = OnceLock::new();
    Some(TABLES.get_or_init(|| parse(texts)))
}

/// The table of a service by its command-line name. For a service beyond the core before its
/// table is installed: `None`, and the engine's extension is noted as wanted
/// (`cloud::service::take_wanted`), so the app runs the line again once it is here.
pub fn service(name: &str) -> Option<&'static Service> {
    if let Some(s) = core_tables().iter().find(|s| s.service == name) {
        return Some(s);
    }
    match extension_tables() {
        Some(tables) => tables.iter().find(|s| s.service == name),
        None => {
            if is_service_name(name) {
                cloud::service::want_extension();
            }
            None
        }
    }
}

/// Whether `name` is the command-line name of a service with a table (installed or not).
pub fn is_service_name(name: &str) -> bool {
    NAMES.contains(&name)
}

/// Command-line names of all services with a table.
pub fn service_names() -> Vec<&'static str> {
    NAMES.to_vec()
}

/// aws-cli's argument renames (`awscli/customizations/argrename.py`) in the lab's services:
/// (service, operation, member, option name without `--`).
const ARG_RENAMES: &[(&str, &str, &str, &str)] =
    &[("sns", "Subscribe", "Endpoint", "notification-endpoint")];

/// The command-line option name of `member` of `service`'s `operation`: aws-cli's rename if it
/// has one, otherwise [`xform_name`].
pub fn cli_member_name(service: &str, operation: &str, member: &str) -> String {
    ARG_RENAMES
        .iter()
        .find(|(s, o, m, _)| *s == service && *o == operation && *m == member)
        .map_or_else(|| xform_name(member), |(_, _, _, cli)| (*cli).to_owned())
}

/// botocore's `xform_name(name, '-')`: the command-line form of an API name.
///
/// `CreateKey` → `create-key`, `ReEncrypt` → `re-encrypt`, `PolicyARNs` → `policy-arns`.
pub fn xform_name(name: &str) -> String {
    if name.contains('-') {
        return name.to_owned();
    }
    let chars: Vec<char> = name.chars().collect();
    // `[A-Z]{2,}s$`: "ARNs" at the end becomes "-arns".
    let mut base: Vec<char> = chars.clone();
    let n = chars.len();
    if n >= 3 && chars.last() == Some(&'s') {
        let mut start = n - 1;
        while start > 0 && chars.get(start - 1).is_some_and(char::is_ascii_uppercase) {
            start -= 1;
        }
        if n - 1 - start >= 2 {
            base = chars.iter().take(start).copied().collect();
            base.push('-');
            base.extend(chars.iter().skip(start).map(char::to_ascii_lowercase));
        }
    }
    // `(.)([A-Z][a-z]+)` → `\1-\2`
    let mut s1: Vec<char> = Vec::with_capacity(base.len() + 8);
    let mut i = 0;
    while i < base.len() {
        let c = base.get(i).copied().unwrap_or(' ');
        let up = base.get(i + 1).is_some_and(char::is_ascii_uppercase);
        let low = base.get(i + 2).is_some_and(char::is_ascii_lowercase);
        if up && low {
            let mut end = i + 2;
            while base.get(end).is_some_and(char::is_ascii_lowercase) {
                end += 1;
            }
            s1.push(c);
            s1.push('-');
            s1.extend(base.iter().take(end).skip(i + 1));
            i = end;
        } else {
            s1.push(c);
            i += 1;
        }
    }
    // `([a-z0-9])([A-Z])` → `\1-\2`
    let mut out = String::with_capacity(s1.len() + 8);
    let mut i = 0;
    while i < s1.len() {
        let c = s1.get(i).copied().unwrap_or(' ');
        let next = s1.get(i + 1).copied();
        if (c.is_ascii_lowercase() || c.is_ascii_digit())
            && next.is_some_and(|n| n.is_ascii_uppercase())
        {
            out.push(c);
            out.push('-');
            out.extend(next);
            i += 2;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_load() {
        let tables: Vec<&Service> = core_tables()
            .iter()
            .chain(extension_tables().unwrap_or_default())
            .collect();
        assert_eq!(tables.len(), CORE.len() + EXTENSION.len());
        let names: Vec<&str> = tables.iter().map(|s| s.service.as_str()).collect();
        assert_eq!(
            names, NAMES,
            "every table, named in NAMES in the same order"
        );
        for s in tables {
            for (name, op) in &s.operations {
                for m in op.member_names() {
                    assert!(op.member(m).is_some(), "{name}.{m}");
                }
            }
        }
    }

    #[test]
    fn xform_matches_botocore() {
        for (api, cli) in [
            ("CreateKey", "create-key"),
            ("ReEncrypt", "re-encrypt"),
            (
                "GenerateDataKeyWithoutPlaintext",
                "generate-data-key-without-plaintext",
            ),
            ("GetParametersForImport", "get-parameters-for-import"),
            ("ListResourceTags", "list-resource-tags"),
            (
                "BypassPolicyLockoutSafetyCheck",
                "bypass-policy-lockout-safety-check",
            ),
            ("KeyId", "key-id"),
            ("ListSAMLProviders", "list-saml-providers"),
            ("PolicyARNs", "policy-arns"),
            ("GetMLTaskRun", "get-ml-task-run"),
            ("HMACKey", "hmac-key"),
            ("XksProxyUriEndpoint", "xks-proxy-uri-endpoint"),
            ("ID", "id"),
            ("arn", "arn"),
        ] {
            assert_eq!(xform_name(api), cli, "{api}");
        }
    }

    #[test]
    fn every_kms_operation_maps_both_ways() {
        let model: serde_json::Value = serde_json::from_str(include_str!("kms.json")).unwrap();
        let kms = service("kms").unwrap();
        let ops = model["operations"].as_object().unwrap();
        assert_eq!(ops.len(), kms.operations.len());
        for api in ops.keys() {
            let cli = xform_name(api);
            assert!(
                cli.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{cli}"
            );
            let (found, _) = kms.operation_by_cli_name(&cli).unwrap();
            assert_eq!(found, api);
        }
    }
}
