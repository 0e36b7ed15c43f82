//! The examples' data: `cases.json` and `model_shapes.json` of `../shared/aws-cli-examples`,
//! read at run time (the documentation text is not copied into the project).

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;
use serde_json::Value;

/// Where the data lives: `../shared/aws-cli-examples` beside the repository (also in CI).
pub fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/aws-cli-examples")
}

/// `cases.json`.
#[derive(Debug, Deserialize)]
pub struct Cases {
    /// `[kind, pattern, replacement]`: `lit` (literal) or `re` (a regular expression whose
    /// replacement uses Python's `\g<1>` group syntax), applied to every command.
    pub default_subs: Vec<(String, String, String)>,
    pub cases: Vec<Case>,
}

/// One documented command.
#[derive(Debug, Deserialize)]
pub struct Case {
    pub id: String,
    pub command: String,
    pub service: String,
    pub operation: Option<String>,
    pub documented_output: Option<String>,
    #[serde(default)]
    pub alt_outputs: Vec<String>,
    #[serde(default)]
    pub doc_says_no_output: bool,
    pub scope: String,
    pub out_of_scope_reason: Option<String>,
    #[serde(default)]
    pub setup: Vec<String>,
    #[serde(default)]
    pub files: BTreeMap<String, String>,
    #[serde(default)]
    pub binfiles: BTreeMap<String, usize>,
    /// `[literal in the example, what stands for it here]`.
    #[serde(default)]
    pub subs: Vec<(String, String)>,
    #[serde(default)]
    pub check_files: BTreeMap<String, BTreeMap<String, Value>>,
    #[serde(default)]
    pub verify: Vec<Verify>,
    /// Documented values (from the prose) by dotted path in the output.
    #[serde(default)]
    pub doc_values: BTreeMap<String, Value>,
    /// Documented values that are wrong in the documentation or vary in AWS, by dotted path.
    #[serde(default)]
    pub errata: BTreeMap<String, String>,
}

/// A follow-up command and what it prints after the example ran.
#[derive(Debug, Deserialize)]
pub struct Verify {
    pub command: String,
    pub stdout: String,
    /// Compare the lines as a set.
    #[serde(default)]
    pub unordered: bool,
}

/// `model_shapes.json`.
#[derive(Debug, Deserialize)]
pub struct Shapes {
    /// service → operation → output shape (`{"s": {member: shape}}`, `{"l": item}`, `{"m": 1}`).
    pub shapes: BTreeMap<String, BTreeMap<String, Value>>,
    /// service → operation → botocore paginator (`result_keys`, `non_aggregate_keys`).
    pub paginators: BTreeMap<String, BTreeMap<String, Paginator>>,
}

/// The keys aws-cli prints when it follows an operation's pages itself.
#[derive(Debug, Deserialize)]
pub struct Paginator {
    pub result_keys: Vec<String>,
    #[serde(default)]
    pub non_aggregate_keys: Vec<String>,
}

/// Reads both files; fails loudly when the directory is missing (CI has it).
pub fn load() -> (Cases, Shapes) {
    let dir = dir();
    let read = |name: &str| {
        let path = dir.join(name);
        std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "the aws-cli examples are missing: cannot read {} ({e}). The conformance suite \
                 reads them from ../shared/aws-cli-examples beside the repository.",
                path.display()
            )
        })
    };
    let cases = serde_json::from_str(&read("cases.json")).expect("cases.json parses");
    let shapes =
        serde_json::from_str(&read("model_shapes.json")).expect("model_shapes.json parses");
    (cases, shapes)
}

/// A deterministic binary file of `size` bytes (the content of `binfiles`).
pub fn binary(size: usize) -> Vec<u8> {
    let mut x: u32 = 0x2545_f491;
    (0..size)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x >> 24) as u8
        })
        .collect()
}

/// Applies the case's own substitutions (literal), then the default ones.
pub fn substitute(command: &str, case: &Case, defaults: &[(String, String, String)]) -> String {
    let mut out = command.to_owned();
    for (from, to) in &case.subs {
        out = out.replace(from.as_str(), to);
    }
    for (kind, pattern, replacement) in defaults {
        out = match kind.as_str() {
            "lit" => out.replace(pattern.as_str(), replacement),
            _ => {
                let re = regex::Regex::new(pattern).expect("default_subs pattern compiles");
                re.replace_all(&out, python_replacement(replacement).as_str())
                    .into_owned()
            }
        };
    }
    out
}

/// Python's `\g<1>` group references as the regex crate's `${1}`; `$` kept literal.
fn python_replacement(r: &str) -> String {
    let mut out = r.replace('$', "$$");
    while let Some(start) = out.find("\\g<") {
        let Some(end) = out[start..].find('>') else {
            break;
        };
        let group = out[start + 3..start + end].to_owned();
        out.replace_range(start..start + end + 1, &format!("${{{group}}}"));
    }
    out
}
