//! The saved lab in IndexedDB as a document and its parts (see `cloud::parts`), so that a save
//! writes what changed, not the whole world.
//!
//! - `kmslab.state.doc` is the state document with a placeholder for each part;
//!   `kmslab.state.part.ID` is one part's text. A save writes the document, the parts it refers
//!   to that are not stored yet, and deletes the parts nothing refers to any more, in one
//!   transaction: either all of it lands or none of it.
//! - A part made by a save whose transaction failed is kept here and written by the next save.
//! - When the page is hidden or closed, the document and its unstored parts go to localStorage
//!   at once (`kmslab.state.pending-parts`), which the next load prefers.
//! - The whole document (`cloud::parts::assemble`) is exactly what `state_file::save` writes, so
//!   loading, export and the CLI's state files are unchanged.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use document::state_file::SavedInParts;
use wasm_bindgen::JsValue;

thread_local! {
    /// Parts known to be in IndexedDB (read at load, or written by a committed save).
    static STORED: RefCell<HashSet<String>> = RefCell::new(HashSet::new());
    /// Parts made but not yet known to be stored, by id.
    static UNSTORED: RefCell<HashMap<String, String>> = RefCell::new(HashMap::new());
}

use crate::storage::key;

pub(crate) fn doc_key() -> String {
    key("state.doc")
}

fn part_key(id: &str) -> String {
    key(&format!("state.part.{id}"))
}

pub(crate) fn pending_key() -> String {
    key("state.pending-parts")
}

/// What one save writes.
#[derive(Debug)]
pub struct Write {
    document: String,
    ids: Vec<String>,
    /// The parts the document refers to that are not stored yet.
    new_parts: Vec<(String, String)>,
}

impl Write {
    /// The whole document, if every part is in this write (a save with a fresh cache).
    pub fn whole(&self) -> Option<String> {
        let parts: HashMap<&str, &str> = self
            .new_parts
            .iter()
            .map(|(id, text)| (id.as_str(), text.as_str()))
            .collect();
        document::state_file::assemble(&self.document, |id| parts.get(id).copied()).ok()
    }
}

/// The write for a save; `None` when the document refers to a part that is neither stored nor
/// made (the cache and the store are out of step): save again with a fresh cache.
pub fn prepare(saved: SavedInParts) -> Option<Write> {
    let SavedInParts { document, parts } = saved;
    let ids = parts.ids;
    let referenced: HashSet<&String> = ids.iter().collect();
    UNSTORED.with(|u| {
        let mut u = u.borrow_mut();
        u.extend(parts.made);
        u.retain(|id, _| referenced.contains(id));
    });
    let mut new_parts = Vec::new();
    for id in &ids {
        if STORED.with(|s| s.borrow().contains(id)) {
            continue;
        }
        let text = UNSTORED.with(|u| u.borrow().get(id).cloned())?;
        new_parts.push((id.clone(), text));
    }
    Some(Write {
        document,
        ids,
        new_parts,
    })
}

/// Keeps the parts made by a pass of a save that is not complete yet (the next pass knows them
/// as made, so only this copy of their texts remains until they are stored).
pub fn keep_made(made: HashMap<String, String>) {
    UNSTORED.with(|u| u.borrow_mut().extend(made));
}

/// Writes `write` to IndexedDB in one transaction; on success the document is the saved lab.
pub async fn store(write: &Write) -> Result<(), String> {
    let keep: HashSet<&String> = write.ids.iter().collect();
    let mut deletes: Vec<String> = STORED.with(|s| {
        s.borrow()
            .iter()
            .filter(|id| !keep.contains(id))
            .map(|id| part_key(id))
            .collect()
    });
    // The whole-document save of earlier builds is superseded.
    deletes.push(crate::storage::state_key());
    let mut puts: Vec<(String, &str)> = write
        .new_parts
        .iter()
        .map(|(id, text)| (part_key(id), text.as_str()))
        .collect();
    puts.push((doc_key(), write.document.as_str()));
    // The parts taken as stored must still be there when the document lands: another tab of
    // the same lab may have deleted them. Checked in the same transaction; if one is gone,
    // nothing is written and the caller saves the whole document instead.
    let must_exist: Vec<String> = {
        let new: HashSet<&String> = write.new_parts.iter().map(|(id, _)| id).collect();
        write
            .ids
            .iter()
            .filter(|id| !new.contains(id))
            .map(|id| part_key(id))
            .collect()
    };
    let written = crate::idb::write_all_if_present(&puts, &deletes, &must_exist)
        .await
        .map_err(|e| format!("IndexedDB refused the save: {e:?}"))?;
    if !written {
        STORED.with(|s| s.borrow_mut().clear());
        return Err("a part of the saved lab was removed by another tab".into());
    }
    STORED.with(|s| *s.borrow_mut() = write.ids.iter().cloned().collect());
    UNSTORED.with(|u| {
        let mut u = u.borrow_mut();
        for (id, _) in &write.new_parts {
            u.remove(id);
        }
    });
    if let Some(storage) = local_storage() {
        for key in [
            crate::storage::state_key(),
            crate::storage::pending_key(),
            pending_key(),
        ] {
            let _ = storage.remove_item(&key);
        }
    }
    Ok(())
}

/// A save written where a closing page can still write: localStorage, synchronously.
#[derive(serde::Serialize, serde::Deserialize)]
struct Pending {
    document: String,
    parts: HashMap<String, String>,
}

/// Writes `write` to localStorage at once (for a page being hidden or closed). False when
/// localStorage refuses it (too big for its quota, or unavailable).
pub fn store_pending_now(write: &Write) -> bool {
    let pending = Pending {
        document: write.document.clone(),
        parts: write.new_parts.iter().cloned().collect(),
    };
    let Ok(text) = serde_json::to_string(&pending) else {
        return false;
    };
    local_storage().is_some_and(|s| s.set_item(&pending_key(), &text).is_ok())
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The whole saved document, if the lab was saved in parts: `Ok(None)` when it was not. The
/// closing-time copy (localStorage) is newer than the document in IndexedDB; one whose parts
/// cannot all be found gives way to the next. A part that cannot be read is an error (the
/// caller then keeps the save and writes nothing).
pub async fn load_whole() -> Result<Option<String>, JsValue> {
    let pending: Option<Pending> = local_storage()
        .and_then(|s| s.get_item(&pending_key()).ok().flatten())
        .and_then(|text| serde_json::from_str(&text).ok());
    let stored_doc = crate::idb::get(&doc_key()).await?;
    let mut keep: HashSet<String> = HashSet::new();
    let mut missing = None;
    let candidates = pending
        .map(|p| (p.document, p.parts))
        .into_iter()
        .chain(stored_doc.map(|doc| (doc, HashMap::new())));
    let mut found = None;
    for (document, parts) in candidates {
        keep.extend(cloud::parts::referenced(&document));
        if found.is_some() {
            continue;
        }
        match gather(&document, parts).await? {
            Ok(whole) => found = Some(whole),
            Err(id) => missing = Some(id),
        }
    }
    match (found, missing) {
        (Some(whole), _) => {
            // Before the first save can start (the app saves only once loading is done).
            collect_garbage(keep).await;
            Ok(Some(whole))
        }
        (None, Some(id)) => Err(JsValue::from_str(&format!("part {id} is missing"))),
        (None, None) => Ok(None),
    }
}

/// The whole document from `document`, its parts read from IndexedDB where `parts` (from
/// localStorage) lacks them; the id of a part found nowhere. On success the parts read are
/// known stored, and the others are written by the next save.
async fn gather(
    document: &str,
    mut parts: HashMap<String, String>,
) -> Result<Result<String, String>, JsValue> {
    let wanted: Vec<String> = cloud::parts::referenced(document)
        .into_iter()
        .filter(|id| !parts.contains_key(id))
        .collect();
    let read =
        crate::idb::get_all(&wanted.iter().map(|id| part_key(id)).collect::<Vec<_>>()).await?;
    let mut stored = HashSet::new();
    for (id, text) in wanted.into_iter().zip(read) {
        let Some(text) = text else {
            return Ok(Err(id));
        };
        stored.insert(id.clone());
        parts.insert(id, text);
    }
    let whole =
        match document::state_file::assemble(document, |id| parts.get(id).map(String::as_str)) {
            Ok(whole) => whole,
            Err(e) => return Ok(Err(e.to_string())),
        };
    UNSTORED.with(|u| {
        *u.borrow_mut() = parts
            .into_iter()
            .filter(|(id, _)| !stored.contains(id))
            .collect();
    });
    STORED.with(|s| *s.borrow_mut() = stored);
    Ok(Ok(whole))
}

/// Deletes the stored parts no saved document refers to (left by a save that was cut short),
/// reading the newest document in the same transaction (another tab of the lab may have saved
/// since this one loaded).
async fn collect_garbage(keep: HashSet<String>) {
    let _ = crate::idb::delete_unreferenced(&part_key(""), &doc_key(), &keep, |doc| {
        cloud::parts::referenced(doc)
    })
    .await;
}
