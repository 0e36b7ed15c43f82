//! SCORM 1.2 packages (issue #15 item 5): `cargo xtask scorm --scenario ID` or `--quiz TOPIC`.
//!
//! The zip holds, at its root:
//! - `imsmanifest.xml`: one organization, one item, one SCO resource launching `launch.html`;
//! - the static bundle (`dist/`, without `embed.json`, `oembed/` and `s/`, which an LMS does not
//!   use: the launch page is on the lab's own origin);
//! - `embed.js` (from `static/`, so the package carries the loader of the same source);
//! - `launch.html` and `scorm-launch.js` (from `static/scorm/`): the SCO;
//! - `scorm-config.js`, written here: what to embed and how to score it.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::json;
use zip::CompressionMethod;
use zip::write::{SimpleFileOptions, ZipWriter};

use crate::Result;
use crate::catalog::{self, escape};

/// What a package reports on.
#[derive(Debug)]
pub enum Subject {
    Scenario(String),
    Quiz(String),
}

/// The pass mark of a quiz package, in percent; a scenario passes when every objective does.
const QUIZ_MASTERY: u32 = 80;

/// Where a file of the package comes from.
enum Source {
    File(PathBuf),
    Bytes(Vec<u8>),
}

/// Every file under `dir`, as (path relative to `dir` with `/` separators, absolute path), sorted.
fn walk(dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in
            fs::read_dir(&current).map_err(|e| format!("read {}: {e}", current.display()))?
        {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.is_file() {
                let rel = path
                    .strip_prefix(dir)
                    .map_err(|e| e.to_string())?
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                out.push((rel, path));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The package's configuration, read by `scorm-launch.js`.
fn config(root: &Path, subject: &Subject) -> Result<(String, String, serde_json::Value)> {
    let version = env!("CARGO_PKG_VERSION");
    Ok(match subject {
        Subject::Scenario(id) => {
            let s = catalog::scenario(root, id)?;
            let config = json!({
                "kind": "scenario",
                "id": s.id,
                "title": s.title,
                "route": format!("scenario/{}", s.id),
                "objectives": s.objectives,
                "mastery": 100,
                "labVersion": version,
            });
            (format!("scenario-{}", s.id), s.title, config)
        }
        Subject::Quiz(topic) => {
            let q = catalog::quiz(root, topic)?;
            let config = json!({
                "kind": "quiz",
                "id": q.topic,
                "title": q.title,
                "route": format!("quiz/{}", q.topic),
                "questions": q.questions,
                "mastery": QUIZ_MASTERY,
                "labVersion": version,
            });
            (format!("quiz-{}", q.topic), q.title, config)
        }
    })
}

/// `imsmanifest.xml` for SCORM 1.2 (IMS CP 1.1.2 with the ADL SCORM 1.2 extensions, as Moodle,
/// SCORM Cloud and other LMSs import it).
fn manifest(name: &str, title: &str, files: &[&str]) -> String {
    let title = escape(&format!("KMS Lab: {title}"));
    let list: String = files
        .iter()
        .map(|f| format!("      <file href=\"{}\"/>\n", escape(f)))
        .collect();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="kmslab-{name}" version="1.0"
    xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
  </metadata>
  <organizations default="kmslab-org">
    <organization identifier="kmslab-org">
      <title>{title}</title>
      <item identifier="kmslab-item" identifierref="kmslab-sco" isvisible="true">
        <title>{title}</title>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="kmslab-sco" type="webcontent" adlcp:scormtype="sco" href="launch.html">
{list}    </resource>
  </resources>
</manifest>
"#
    )
}

/// Writes the package for `subject` from the bundle in `dist` to `out`; returns the zip's path.
pub fn package(root: &Path, dist: &Path, subject: &Subject, out: Option<&Path>) -> Result<PathBuf> {
    if !dist.join("index.html").is_file() {
        return Err(format!(
            "no release bundle in {} (run `cargo xtask dist`, or leave out --dist)",
            dist.display()
        ));
    }
    let (name, title, config) = config(root, subject)?;
    let mut files: BTreeMap<String, Source> = BTreeMap::new();
    for (rel, path) in walk(dist)? {
        let top = rel.split('/').next().unwrap_or_default();
        if rel == "embed.json" || top == "oembed" || top == "s" || rel == "imsmanifest.xml" {
            continue;
        }
        files.insert(rel, Source::File(path));
    }
    let static_dir = root.join("static");
    let embed_js = static_dir.join("embed.js");
    if !embed_js.is_file() {
        return Err(format!("missing {}", embed_js.display()));
    }
    files.insert("embed.js".into(), Source::File(embed_js));
    for (rel, path) in walk(&static_dir.join("scorm"))? {
        files.insert(rel, Source::File(path));
    }
    if !files.contains_key("launch.html") {
        return Err("static/scorm/launch.html is missing".into());
    }
    let config_js = format!(
        "// Written by `cargo xtask scorm`: what this package embeds and how it is scored.\n\
         window.KMSLAB_SCORM = {};\n",
        serde_json::to_string_pretty(&config).map_err(|e| e.to_string())?
    );
    files.insert(
        "scorm-config.js".into(),
        Source::Bytes(config_js.into_bytes()),
    );
    let names: Vec<&str> = files.keys().map(String::as_str).collect();
    let manifest = manifest(&name, &title, &names);

    let zip_path = match out {
        Some(p) => p.to_path_buf(),
        None => root
            .join("target")
            .join("scorm")
            .join(format!("kmslab-{name}.zip")),
    };
    if let Some(parent) = zip_path.parent() {
        fs::create_dir_all(parent).map_err(|e| format!("create {}: {e}", parent.display()))?;
    }
    let file =
        fs::File::create(&zip_path).map_err(|e| format!("create {}: {e}", zip_path.display()))?;
    let mut zip = ZipWriter::new(file);
    // A fixed timestamp (1980-01-01) keeps the package byte-for-byte reproducible.
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .unix_permissions(0o644);
    let add = |zip: &mut ZipWriter<fs::File>, name: &str, bytes: &[u8]| -> Result {
        zip.start_file(name, options)
            .map_err(|e| format!("zip {name}: {e}"))?;
        zip.write_all(bytes).map_err(|e| format!("zip {name}: {e}"))
    };
    add(&mut zip, "imsmanifest.xml", manifest.as_bytes())?;
    for (rel, source) in &files {
        let bytes = match source {
            Source::File(path) => {
                fs::read(path).map_err(|e| format!("read {}: {e}", path.display()))?
            }
            Source::Bytes(bytes) => bytes.clone(),
        };
        add(&mut zip, rel, &bytes)?;
    }
    zip.finish().map_err(|e| format!("zip: {e}"))?;
    let size = fs::metadata(&zip_path).map(|m| m.len()).unwrap_or_default();
    eprintln!(
        "xtask: SCORM 1.2 package {} ({} files, {:.1} KiB)",
        zip_path.display(),
        files.len() + 1,
        size as f64 / 1024.0
    );
    Ok(zip_path)
}
