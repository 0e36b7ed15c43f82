//! The versioned state file: `{"schemaVersion": 1, "kind": "kmslab-state", "session": {...}}`.
//!
//! The native `kmslab` binary saves it after every line; the browser keeps the same document in
//! its storage. [`crate::LabDocument`] is the way in; these are its codec. Loading never guesses: corrupt JSON, another kind of file and a newer schema are
//! distinct errors, so the caller can refuse to overwrite the file.

use serde_json::Value;

use awscli::Session;

/// The schema version this build writes.
pub const SCHEMA_VERSION: u64 = 1;
/// The `kind` marker.
pub const KIND: &str = "kmslab-state";

/// Why a state file cannot be loaded or saved.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StateError {
    /// Not JSON.
    #[error("state file is not valid JSON ({0}); it may be corrupt")]
    Corrupt(String),
    /// JSON, but not a kmslab state file.
    #[error("not a kmslab state file ({0})")]
    WrongKind(String),
    /// Written by a newer kmslab.
    #[error(
        "state file schema version {found} is newer than this kmslab ({supported}); upgrade kmslab or start fresh"
    )]
    Newer {
        /// The file's version.
        found: u64,
        /// The newest version this build reads.
        supported: u64,
    },
    /// The right kind and version, but the session inside does not deserialise.
    #[error("state file session is invalid: {0}")]
    InvalidSession(String),
    /// The session could not be serialised.
    #[error("cannot serialise the session: {0}")]
    Serialise(String),
}

/// The document as written: the members in this order, the session serialised straight into
/// the text (no intermediate JSON tree: a big world is megabytes).
#[derive(serde::Serialize)]
struct Written<'a> {
    #[serde(rename = "schemaVersion")]
    schema_version: u64,
    kind: &'static str,
    session: &'a Session,
}

fn written(session: &Session) -> Written<'_> {
    Written {
        schema_version: SCHEMA_VERSION,
        kind: KIND,
        session,
    }
}

/// Serialises a session as a state document.
pub fn save(session: &Session) -> Result<String, StateError> {
    serde_json::to_string(&written(session)).map_err(|e| StateError::Serialise(e.to_string()))
}

/// A state document saved in parts (see [`cloud::parts`]): [`assemble`] of `document` and
/// every part gives exactly what [`save`] writes.
#[derive(Debug)]
pub struct SavedInParts {
    /// The document, with a placeholder for each part.
    pub document: String,
    /// The parts it refers to, and the texts of those made by this save.
    pub parts: cloud::parts::Parts,
}

/// Serialises a session as a state document in parts; `cache` (one per saved document) lets
/// the parts that did not change since the last save be skipped without serialising them.
pub fn save_in_parts(
    session: &Session,
    cache: &mut cloud::parts::PartCache,
) -> Result<SavedInParts, StateError> {
    save_in_parts_within(session, cache, None)
}

/// [`save_in_parts`], making at most `max_new` new parts: an incomplete save
/// (`!parts.complete`) gives out the parts it made, and a later call goes on from there.
pub fn save_in_parts_within(
    session: &Session,
    cache: &mut cloud::parts::PartCache,
    max_new: Option<usize>,
) -> Result<SavedInParts, StateError> {
    let (document, parts) = cloud::parts::in_parts_within(cache, max_new, || save(session));
    Ok(SavedInParts {
        document: document?,
        parts,
    })
}

/// The whole state document from one saved in parts; `part` gives a part's text by id.
pub fn assemble<'a>(
    document: &str,
    part: impl Fn(&str) -> Option<&'a str>,
) -> Result<String, StateError> {
    cloud::parts::assemble(document, part).map_err(|e| StateError::Corrupt(e.to_string()))
}

/// Loads a state document, migrating older schema versions.
pub fn load(text: &str) -> Result<Session, StateError> {
    // A document in the current schema is read straight into the session; anything else (an
    // older schema, or a document that is not well formed) takes the general way, which says
    // what is wrong exactly as it always did.
    match load_current(text) {
        Some(session) => Ok(session),
        None => load_any(text),
    }
}

/// A well-formed document in the current schema, read without the intermediate `Value` tree
/// (for a big world, that tree was half of the load: millions of small allocations).
fn load_current(text: &str) -> Option<Session> {
    #[derive(serde::Deserialize)]
    struct Current {
        kind: String,
        #[serde(rename = "schemaVersion")]
        schema_version: u64,
        session: Session,
    }
    let doc: Current = serde_json::from_str(text).ok()?;
    (doc.kind == KIND && doc.schema_version == SCHEMA_VERSION).then_some(doc.session)
}

/// Loads a state document of any schema through a `Value` tree, migrating older versions.
fn load_any(text: &str) -> Result<Session, StateError> {
    let doc: Value = serde_json::from_str(text).map_err(|e| StateError::Corrupt(e.to_string()))?;
    let Value::Object(mut doc) = doc else {
        return Err(StateError::WrongKind(
            "the document is not a JSON object".into(),
        ));
    };
    match doc.get("kind").and_then(Value::as_str) {
        Some(KIND) => {}
        Some(other) => {
            return Err(StateError::WrongKind(format!(
                "kind is `{other}`, expected `{KIND}`"
            )));
        }
        None => {
            return Err(StateError::WrongKind(format!(
                "no `kind` field; expected `{KIND}`"
            )));
        }
    }
    let version = doc
        .get("schemaVersion")
        .and_then(Value::as_u64)
        .ok_or_else(|| StateError::WrongKind("no numeric `schemaVersion` field".into()))?;
    if version > SCHEMA_VERSION {
        return Err(StateError::Newer {
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    let session = doc
        .remove("session")
        .ok_or_else(|| StateError::InvalidSession("no `session` field".into()))?;
    let session = migrate(session, version)?;
    // Read from text, as `load_current` reads: one deserialiser of the whole world in the
    // wasm, not two (reading from a `Value` would add a second, some 50 KiB gzipped). Only
    // older schemas and broken documents come this way.
    serde_json::from_str(&session.to_string())
        .map_err(|e| StateError::InvalidSession(e.to_string()))
}

/// Upgrades a session document from `from` to [`SCHEMA_VERSION`], one version at a time.
/// Version 1 is the first; each later version adds one arm here.
pub fn migrate(session: Value, from: u64) -> Result<Value, StateError> {
    match from {
        SCHEMA_VERSION => Ok(session),
        other => Err(StateError::WrongKind(format!(
            "unknown schema version {other}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The released build's state file, and a world with every kind of state the fixtures hold:
    /// read straight or through the `Value` tree, the session is the same.
    #[test]
    fn the_current_schema_reads_straight_into_the_same_session() {
        let released = include_str!("../tests/fixtures/state-v1-2026-12-06.json");
        let straight =
            load_current(released).expect("the released file is current and well formed");
        let general = load_any(released).unwrap();
        assert_eq!(save(&straight).unwrap(), save(&general).unwrap());
        // Not the current schema, or not well formed: the general way answers.
        assert!(
            load_current(r#"{"kind":"kmslab-state","schemaVersion":0,"session":{}}"#).is_none()
        );
        assert!(load_current(r#"{"kind":"other","schemaVersion":1}"#).is_none());
    }

    #[test]
    fn load_errors_are_distinct() {
        assert!(matches!(load("{not json"), Err(StateError::Corrupt(_))));
        assert!(matches!(load("[]"), Err(StateError::WrongKind(_))));
        let e = load(r#"{"kind":"other","schemaVersion":1}"#).unwrap_err();
        assert_eq!(
            e.to_string(),
            "not a kmslab state file (kind is `other`, expected `kmslab-state`)"
        );
        let e = load(r#"{"kind":"kmslab-state","schemaVersion":7,"session":{}}"#).unwrap_err();
        assert_eq!(
            e.to_string(),
            "state file schema version 7 is newer than this kmslab (1); upgrade kmslab or start fresh"
        );
        assert!(matches!(
            load(r#"{"kind":"kmslab-state","schemaVersion":0,"session":{}}"#),
            Err(StateError::WrongKind(_))
        ));
        assert!(matches!(
            load(r#"{"kind":"kmslab-state","schemaVersion":1,"session":{}}"#),
            Err(StateError::InvalidSession(_))
        ));
    }
}
