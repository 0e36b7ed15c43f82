//! Builds the catalogue from each scenario's data folder (`scenarios/<id>/`, embedded at build
//! time) and its Rust checks (`content/<id>.rs`).
//!
//! A folder holds `scenario.json` (prose and metadata), the setup script (`setup.aws`, or one
//! `setup/<variant>.aws` per variant) and one script per solution route
//! (`solutions/<route>.aws`, or `solutions/<route>/<variant>.aws` for routes that differ per
//! variant; a route applies to the variants that have a file). Scripts and wrong-turn messages
//! may contain `{{NAME}}` placeholders, filled from values the Rust side gives (the variant's
//! data, a base64 plaintext, what a detector saw).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use super::content::{self, Info};
use super::{Availability, Difficulty, Hint, Objective, Scenario, Solution, WrongTurn};

/// `(path under scenarios/, contents)` of every embedded data file, sorted by path.
#[cfg(feature = "embedded-scenarios")]
static EMBEDDED: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/scenario_files.rs"));

/// The data files the browser app fetched ([`install`]), in the same form.
#[cfg(not(feature = "embedded-scenarios"))]
static INSTALLED: OnceLock<Vec<(&'static str, &'static str)>> = OnceLock::new();

/// Every data file: compiled in, or as installed (none until then).
fn files() -> &'static [(&'static str, &'static str)] {
    #[cfg(feature = "embedded-scenarios")]
    return EMBEDDED;
    #[cfg(not(feature = "embedded-scenarios"))]
    return INSTALLED.get().map_or(&[], Vec::as_slice);
}

/// Whether the scenario data is there (always, with the files compiled in).
pub(super) fn is_loaded() -> bool {
    cfg!(feature = "embedded-scenarios") || !files().is_empty()
}

/// Installs the data files `(path under scenarios/, contents)` as the browser app fetched them
/// (the bundle `scenarios.json`). They live as long as the page, as compiled-in files would. A
/// set already there is kept (with the files compiled in, it always is).
pub(super) fn install(files: Vec<(String, String)>) {
    if is_loaded() {
        return;
    }
    #[cfg(not(feature = "embedded-scenarios"))]
    {
        let mut files = files;
        files.sort();
        let leaked = files
            .into_iter()
            .map(|(path, text)| (&*path.leak(), &*text.leak()))
            .collect();
        let _ = INSTALLED.set(leaked);
    }
    #[cfg(feature = "embedded-scenarios")]
    drop(files);
}

/// `scenario.json`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ScenarioFile {
    title: String,
    exam: String,
    difficulty: Difficulty,
    minutes: u32,
    /// What a listed but not yet playable scenario waits for.
    #[serde(default)]
    coming: Option<String>,
    story: String,
    #[serde(default)]
    record_vars: Vec<String>,
    #[serde(default)]
    files: Vec<String>,
    objectives: Vec<ObjectiveText>,
    hints: Vec<HintText>,
    wrong_turns: Vec<WrongTurnText>,
    routes: Vec<String>,
    debrief: String,
    docs: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ObjectiveText {
    id: String,
    text: String,
    success: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct HintText {
    text: String,
    cost: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WrongTurnText {
    id: String,
    message: String,
    /// Other messages the detector may pick by name.
    #[serde(default)]
    variants: BTreeMap<String, String>,
}

/// The parsed `scenario.json` of every registered scenario, in catalogue order.
fn parsed() -> &'static [(usize, Result<ScenarioFile, String>)] {
    // Not before the files are there: the catalogue is built once.
    if !is_loaded() {
        return &[];
    }
    static PARSED: OnceLock<Vec<(usize, Result<ScenarioFile, String>)>> = OnceLock::new();
    PARSED.get_or_init(|| {
        content::CATALOGUE
            .iter()
            .enumerate()
            .map(|(index, c)| {
                let file = file(c.id, "scenario.json")
                    .ok_or_else(|| format!("{}: scenarios/{0}/scenario.json is missing", c.id))
                    .and_then(|text| {
                        serde_json::from_str(text)
                            .map_err(|e| format!("{}: scenario.json: {e}", c.id))
                    });
                (index, file)
            })
            .collect()
    })
}

/// Every scenario whose data loads, in catalogue order.
pub(super) fn catalog() -> &'static [Scenario] {
    if !is_loaded() {
        return &[];
    }
    static CATALOG: OnceLock<Vec<Scenario>> = OnceLock::new();
    CATALOG.get_or_init(|| {
        parsed()
            .iter()
            .filter_map(|(c, f)| build(*c, f.as_ref().ok()?).ok())
            .collect()
    })
}

/// What keeps scenarios from loading (none in a correct build; a test checks).
#[cfg(test)]
pub(super) fn errors() -> Vec<String> {
    let mut errors: Vec<String> = parsed()
        .iter()
        .filter_map(|(c, f)| match f {
            Ok(f) => build(*c, f).err(),
            Err(e) => Some(vec![e.clone()]),
        })
        .flatten()
        .collect();
    let ids: Vec<&str> = content::CATALOGUE.iter().map(|c| c.id).collect();
    for (path, _) in files() {
        let id = path.split('/').next().unwrap_or_default();
        if !ids.contains(&id) {
            errors.push(format!(
                "scenarios/{path}: no Rust checks are registered for `{id}`"
            ));
        }
    }
    errors
}

/// The contents of `scenarios/<id>/<rel>`.
fn file(id: &str, rel: &str) -> Option<&'static str> {
    files()
        .iter()
        .find(|(p, _)| p.strip_prefix(id).and_then(|r| r.strip_prefix('/')) == Some(rel))
        .map(|(_, text)| *text)
}

/// The files under `scenarios/<id>/<dir>/` as `(name without .aws, contents)`.
fn variants(id: &str, dir: &str) -> Vec<(&'static str, &'static str)> {
    let prefix = format!("{id}/{dir}/");
    files()
        .iter()
        .filter_map(|(p, text)| {
            let name = p.strip_prefix(prefix.as_str())?.strip_suffix(".aws")?;
            (!name.contains('/')).then_some((name, *text))
        })
        .collect()
}

/// A script that may differ per variant, with `{{NAME}}` placeholders.
#[derive(Debug)]
pub(crate) struct Template {
    /// `(variant, text)`; variant `""` serves every variant without a file of its own.
    files: Vec<(&'static str, &'static str)>,
    values: fn(u64) -> Vec<(&'static str, String)>,
    variant: fn(u64) -> &'static str,
}

impl Template {
    /// A template with no script (a listed scenario that is not playable).
    #[cfg(test)]
    pub(crate) const EMPTY: Template = Template {
        files: Vec::new(),
        values: |_| Vec::new(),
        variant: |_| "",
    };

    fn new(files: Vec<(&'static str, &'static str)>, c: &Info) -> Self {
        Self {
            files,
            values: c.values,
            variant: c.variant,
        }
    }

    /// The script for `seed`'s variant, placeholders filled; `None` if none applies.
    pub(crate) fn render(&self, seed: u64) -> Option<String> {
        let variant = (self.variant)(seed);
        let (_, text) = self
            .files
            .iter()
            .find(|(v, _)| *v == variant)
            .or_else(|| self.files.iter().find(|(v, _)| v.is_empty()))?;
        Some(fill(text, &(self.values)(seed)))
    }
}

/// Replaces each `{{NAME}}` with its value; unknown names stay as written.
pub(crate) fn fill(text: &str, values: &[(&str, String)]) -> String {
    let mut out = text.to_owned();
    for (name, value) in values {
        out = out.replace(&format!("{{{{{name}}}}}"), value);
    }
    out
}

fn build(index: usize, f: &'static ScenarioFile) -> Result<Scenario, Vec<String>> {
    let mut errors = Vec::new();
    let Some(c) = content::CATALOGUE.get(index) else {
        return Err(vec![format!("catalogue entry {index} is missing")]);
    };
    let id = c.id;
    let objectives = f
        .objectives
        .iter()
        .filter_map(|o| {
            let check = c.objectives.iter().position(|k| *k == o.id);
            if check.is_none() {
                errors.push(format!("{id}: objective `{}` has no check", o.id));
            }
            Some(Objective {
                id: &o.id,
                text: &o.text,
                success: &o.success,
                check: (index, check?),
            })
        })
        .collect::<Vec<_>>();
    let wrong_turns = f
        .wrong_turns
        .iter()
        .filter_map(|w| {
            let detect = c.wrong_turns.iter().position(|k| *k == w.id);
            if detect.is_none() {
                errors.push(format!("{id}: wrong turn `{}` has no detector", w.id));
            }
            Some(WrongTurn {
                id: &w.id,
                message: &w.message,
                variants: w
                    .variants
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect(),
                detect: (index, detect?),
            })
        })
        .collect::<Vec<_>>();
    for k in c.objectives {
        if !f.objectives.iter().any(|o| o.id == *k) {
            errors.push(format!(
                "{id}: check `{k}` has no objective in scenario.json"
            ));
        }
    }
    for k in c.wrong_turns {
        if !f.wrong_turns.iter().any(|w| w.id == *k) {
            errors.push(format!(
                "{id}: detector `{k}` has no wrong turn in scenario.json"
            ));
        }
    }
    let mut setup = variants(id, "setup");
    if let Some(text) = file(id, "setup.aws") {
        setup.push(("", text));
    }
    let solutions = f
        .routes
        .iter()
        .map(|route| {
            let mut files = variants(id, &format!("solutions/{route}"));
            if let Some(text) = file(id, &format!("solutions/{route}.aws")) {
                files.push(("", text));
            }
            if files.is_empty() {
                errors.push(format!("{id}: route `{route}` has no script"));
            }
            Solution {
                route,
                script: Template::new(files, c),
            }
        })
        .collect::<Vec<_>>();
    for (path, _) in files() {
        let Some(rel) = path.strip_prefix(id).and_then(|r| r.strip_prefix('/')) else {
            continue;
        };
        let known = rel == "scenario.json"
            || rel == "setup.aws"
            || rel
                .strip_prefix("setup/")
                .is_some_and(|v| v.ends_with(".aws"))
            || rel.strip_prefix("solutions/").is_some_and(|r| {
                f.routes.iter().any(|route| {
                    r == format!("{route}.aws")
                        || r.strip_prefix(route.as_str())
                            .and_then(|v| v.strip_prefix('/'))
                            .is_some_and(|v| v.ends_with(".aws") && !v.contains('/'))
                })
            });
        if !known {
            errors.push(format!("{id}: scenarios/{path} is not used"));
        }
    }
    if setup.is_empty() && f.coming.is_none() {
        errors.push(format!("{id}: no setup script"));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Scenario {
        id,
        title: &f.title,
        exam: &f.exam,
        difficulty: f.difficulty,
        minutes: f.minutes,
        availability: match &f.coming {
            None => Availability::Playable,
            Some(needs) => Availability::Coming(needs),
        },
        story: &f.story,
        setup: Template::new(setup, c),
        record_vars: f.record_vars.iter().map(String::as_str).collect(),
        files: f.files.iter().map(String::as_str).collect(),
        objectives,
        hints: f
            .hints
            .iter()
            .map(|h| Hint {
                text: &h.text,
                cost: h.cost,
            })
            .collect(),
        wrong_turns,
        solutions,
        debrief: &f.debrief,
        docs: f.docs.iter().map(String::as_str).collect(),
        diagnose_from_cloudtrail: c.diagnose_from_cloudtrail,
    })
}
