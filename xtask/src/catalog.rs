//! The lab's content as the packaging tasks see it: scenario ids and titles
//! (`crates/lab/scenarios/<id>/scenario.json`) and quiz topics (`crates/lab/quiz/<topic>.json`).

use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::Result;

/// One scenario: what oEmbed and SCORM need to know about it.
#[derive(Debug)]
pub struct Scenario {
    pub id: String,
    pub title: String,
    pub story: String,
    /// Objective ids, in the order the scenario lists them.
    pub objectives: Vec<String>,
}

/// One quiz topic.
#[derive(Debug)]
pub struct Quiz {
    pub topic: String,
    pub title: String,
    /// Question ids, in the order the topic lists them.
    pub questions: Vec<String>,
}

/// Ids are directory and file names and end up in URLs: lower-case letters, digits and dashes.
fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn read_json(path: &Path) -> Result<Value> {
    let text = fs::read_to_string(path).map_err(|e| format!("read {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("parse {}: {e}", path.display()))
}

fn string(doc: &Value, key: &str, path: &Path) -> Result<String> {
    doc.get(key)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| format!("{}: no string `{key}`", path.display()))
}

fn ids(doc: &Value, list: &str, path: &Path) -> Result<Vec<String>> {
    doc.get(list)
        .and_then(Value::as_array)
        .ok_or_else(|| format!("{}: no array `{list}`", path.display()))?
        .iter()
        .map(|item| string(item, "id", path))
        .collect()
}

/// The scenario `id`.
pub fn scenario(root: &Path, id: &str) -> Result<Scenario> {
    let dir = root.join("crates/lab/scenarios");
    if !valid_id(id) || !dir.join(id).join("scenario.json").is_file() {
        let known: Vec<String> = scenario_ids(root)?;
        return Err(format!(
            "no scenario `{id}`; the scenarios are: {}",
            known.join(", ")
        ));
    }
    let path = dir.join(id).join("scenario.json");
    let doc = read_json(&path)?;
    Ok(Scenario {
        id: id.to_owned(),
        title: string(&doc, "title", &path)?,
        story: string(&doc, "story", &path).unwrap_or_default(),
        objectives: ids(&doc, "objectives", &path)?,
    })
}

/// Every scenario id (the directories under `crates/lab/scenarios/` with a `scenario.json`), sorted.
pub fn scenario_ids(root: &Path) -> Result<Vec<String>> {
    let dir = root.join("crates/lab/scenarios");
    let mut ids: Vec<String> = fs::read_dir(&dir)
        .map_err(|e| format!("read {}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.path().join("scenario.json").is_file())
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|id| valid_id(id))
        .collect();
    ids.sort();
    Ok(ids)
}

/// Every scenario, sorted by id.
pub fn scenarios(root: &Path) -> Result<Vec<Scenario>> {
    scenario_ids(root)?
        .iter()
        .map(|id| scenario(root, id))
        .collect()
}

/// Every quiz topic (the `.json` files under `crates/lab/quiz/`), sorted.
pub fn quiz_topics(root: &Path) -> Result<Vec<String>> {
    let dir = root.join("crates/lab/quiz");
    let mut topics: Vec<String> = fs::read_dir(&dir)
        .map_err(|e| format!("read {}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .filter_map(|p| p.file_stem().and_then(|s| s.to_str()).map(str::to_owned))
        .filter(|t| valid_id(t))
        .collect();
    topics.sort();
    Ok(topics)
}

/// The quiz topic `topic`.
pub fn quiz(root: &Path, topic: &str) -> Result<Quiz> {
    let path = root.join("crates/lab/quiz").join(format!("{topic}.json"));
    if !valid_id(topic) || !path.is_file() {
        return Err(format!(
            "no quiz topic `{topic}`; the topics are: {}",
            quiz_topics(root)?.join(", ")
        ));
    }
    let doc = read_json(&path)?;
    Ok(Quiz {
        topic: topic.to_owned(),
        title: string(&doc, "title", &path)?,
        questions: ids(&doc, "questions", &path)?,
    })
}

/// Escapes text for HTML and XML text and double-quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Every file under `scenarios/<id>/` (hidden ones skipped), into `out`.
fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> Result {
    let entries = fs::read_dir(dir).map_err(|e| format!("read {}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            walk(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

/// The scenario data bundle the browser app fetches (`lab::scenario::BUNDLE_FILE`): one JSON
/// object, path under `crates/lab/scenarios/` → contents, the same files `crates/lab/build.rs`
/// compiles into the native builds.
pub fn scenario_bundle(root: &Path) -> Result<String> {
    let base = root.join("crates/lab/scenarios");
    let mut paths = Vec::new();
    let entries = fs::read_dir(&base).map_err(|e| format!("read {}: {e}", base.display()))?;
    for entry in entries {
        let dir = entry.map_err(|e| e.to_string())?.path();
        if dir.is_dir() {
            walk(&dir, &mut paths)?;
        }
    }
    let mut files = std::collections::BTreeMap::new();
    for path in paths {
        let rel = path
            .strip_prefix(&base)
            .map_err(|e| e.to_string())?
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        let text =
            fs::read_to_string(&path).map_err(|e| format!("read {}: {e}", path.display()))?;
        files.insert(rel, text);
    }
    serde_json::to_string(&files).map_err(|e| e.to_string())
}
