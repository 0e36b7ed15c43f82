//! Serialising the world in parts, so a save writes only what changed.
//!
//! Two collections make up nearly all of a big world's state file: S3 objects (12,000 objects
//! are about 4.8 MB of JSON) and the CloudTrail events kept in full (1,500 are about 2.5 MB).
//! Both hold their items behind `Arc`s that are replaced, never changed in place, when the
//! item changes. While [`in_parts`] runs, each of them serialises as a list of **parts**:
//!
//! - the items are cut into chunks at content-defined boundaries (after an item whose name
//!   hashes to 0 modulo the collection's average chunk length: [`AVERAGE_CHUNK`] objects, or
//!   [`serialize_seq`]'s `average` events), so appending, trimming the oldest events or
//!   putting one object changes one chunk and leaves the others' boundaries where they were;
//!   a chunk is rewritten whole when it changes, so the average is chosen to keep a chunk's
//!   text at some tens of KB (an object is about 400 bytes of JSON, a full event about 1.7 KB);
//! - a chunk's text is the items' JSON joined by commas, and its id is a hash of that text, so
//!   a chunk seen before is known by its id without being written again;
//! - a chunk whose items are the same `Arc`s as at the last save is not even serialised again:
//!   [`PartCache`] remembers it by the items' addresses, holding a `Weak` of each item so that
//!   no address can be reused while it is remembered;
//! - in the document itself a chunk is a placeholder: the string `"\u0001kmslab-part:ID"` as
//!   an element of a list, or as a key (with the value `0`) of a map. [`assemble`] puts the
//!   chunks' texts back in their place, which gives exactly the text of the whole document.
//!
//! Outside [`in_parts`] nothing changes: the collections serialise as they always did.

use std::any::Any;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Weak};

use serde::Serialize;
use serde::ser::{Error as _, SerializeMap, SerializeSeq, Serializer};

/// The average number of items in a chunk of a map ([`serialize_map`]: S3 objects).
const AVERAGE_CHUNK: u64 = 64;

/// The placeholder's marker, as it is written in the JSON text (serde_json escapes U+0001).
const MARKER_TEXT: &str = "\"\\u0001kmslab-part:";
/// The placeholder's marker, as a string value.
const MARKER: &str = "\u{1}kmslab-part:";

/// A chunk made at an earlier save.
struct Remembered {
    id: String,
    items: Vec<Weak<dyn Any>>,
    /// The save that last used it ([`PartCache::generation`]).
    used: u64,
}

/// What [`in_parts`] remembers from one save to the next (keep one per saved document).
#[derive(Default)]
pub struct PartCache {
    chunks: HashMap<u64, Remembered>,
    generation: u64,
}

impl std::fmt::Debug for PartCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PartCache")
            .field("chunks", &self.chunks.len())
            .field("generation", &self.generation)
            .finish()
    }
}

/// The parts of one save.
#[derive(Debug)]
pub struct Parts {
    /// False when a budget ([`in_parts_within`]) stopped the making of new parts: the
    /// document is then unusable, but the parts made are remembered and given out.
    pub complete: bool,
    /// Every part the document refers to, in document order.
    pub ids: Vec<String>,
    /// The text of each part made (serialised) during this save, by id; a part remembered from
    /// an earlier save is not here (its text was given out then).
    pub made: HashMap<String, String>,
}

impl Default for Parts {
    fn default() -> Self {
        Parts {
            complete: true,
            ids: Vec::new(),
            made: HashMap::new(),
        }
    }
}

struct Writer {
    cache: PartCache,
    parts: Parts,
    /// How many more new parts this pass may make.
    budget: Option<usize>,
}

thread_local! {
    static ACTIVE: RefCell<Option<Writer>> = const { RefCell::new(None) };
}

/// Runs `serialise` (a serialisation of something holding a world) with the world's big
/// collections written as parts; returns its result and the parts.
pub fn in_parts<T>(cache: &mut PartCache, serialise: impl FnOnce() -> T) -> (T, Parts) {
    in_parts_within(cache, None, serialise)
}

/// [`in_parts`], making at most `max_new` new parts (serialising a chunk is the cost): with a
/// budget, a save of much new data can be spread over several passes (each one a short task in
/// the browser), every pass remembering what it made, until a pass is [`Parts::complete`].
pub fn in_parts_within<T>(
    cache: &mut PartCache,
    max_new: Option<usize>,
    serialise: impl FnOnce() -> T,
) -> (T, Parts) {
    cache.generation += 1;
    let writer = Writer {
        cache: std::mem::take(cache),
        parts: Parts::default(),
        budget: max_new,
    };
    let previous = ACTIVE.with(|a| a.borrow_mut().replace(writer));
    let out = serialise();
    let writer = ACTIVE.with(|a| std::mem::replace(&mut *a.borrow_mut(), previous));
    let Some(mut writer) = writer else {
        return (out, Parts::default());
    };
    // Forget the chunks this save did not use: their items may be gone. (A pass cut short by
    // its budget still walked every chunk, so it used all it knows.)
    let generation = writer.cache.generation;
    writer.cache.chunks.retain(|_, c| c.used == generation);
    *cache = writer.cache;
    (out, writer.parts)
}

fn active() -> bool {
    ACTIVE.with(|a| a.borrow().is_some())
}

/// The text that stands for part `id` in the document (a JSON string).
fn placeholder(id: &str) -> String {
    format!("{MARKER}{id}")
}

fn boundary(name: &str, average: u64) -> bool {
    let mut h = Fnv::default();
    name.hash(&mut h);
    h.finish() % average.max(1) == 0
}

/// 64-bit FNV-1a: small, and the same on every build and target (ids outlive the page).
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// A part's id: a hash of its text and the text's length.
fn part_id(text: &str) -> String {
    let mut h = Fnv::default();
    h.write(text.as_bytes());
    format!("{:016x}{:x}", h.finish(), text.len())
}

/// Appends `value`'s JSON to `text`.
fn push_json(text: &mut String, value: &(impl Serialize + ?Sized)) -> Result<(), String> {
    text.push_str(&serde_json::to_string(value).map_err(|e| e.to_string())?);
    Ok(())
}

/// Finds or makes the part of one chunk, and notes it as the document's next part: `item`
/// writes the text of the chunk's `i`th item (the part's text joins them with commas).
fn part_of<T: Any>(
    chunk: &[&Arc<T>],
    item: impl Fn(usize, &mut String) -> Result<(), String>,
) -> Result<String, String> {
    let mut h = Fnv::default();
    for item in chunk {
        (Arc::as_ptr(item) as *const () as usize).hash(&mut h);
    }
    chunk.len().hash(&mut h);
    let key = h.finish();
    let known = ACTIVE.with(|a| {
        let mut a = a.borrow_mut();
        let w = a.as_mut()?;
        let generation = w.cache.generation;
        let c = w.cache.chunks.get_mut(&key)?;
        let same = c.items.len() == chunk.len()
            && c.items
                .iter()
                .zip(chunk)
                .all(|(w, item)| std::ptr::addr_eq(w.as_ptr(), Arc::as_ptr(item)));
        if !same {
            return None;
        }
        c.used = generation;
        Some(c.id.clone())
    });
    if let Some(id) = known {
        note(&id);
        return Ok(id);
    }
    let spent = ACTIVE.with(|a| {
        let mut a = a.borrow_mut();
        let Some(w) = a.as_mut() else {
            return false;
        };
        match &mut w.budget {
            Some(0) => {
                w.parts.complete = false;
                true
            }
            Some(n) => {
                *n -= 1;
                false
            }
            None => false,
        }
    });
    if spent {
        // Not made in this pass: a later pass makes it.
        note("");
        return Ok(String::new());
    }
    let mut text = String::new();
    for i in 0..chunk.len() {
        if i > 0 {
            text.push(',');
        }
        item(i, &mut text)?;
    }
    let id = part_id(&text);
    ACTIVE.with(|a| {
        if let Some(w) = a.borrow_mut().as_mut() {
            let items = chunk
                .iter()
                .map(|item| {
                    let item: Arc<dyn Any> = Arc::<T>::clone(item);
                    Arc::downgrade(&item)
                })
                .collect();
            let used = w.cache.generation;
            w.cache.chunks.insert(
                key,
                Remembered {
                    id: id.clone(),
                    items,
                    used,
                },
            );
            w.parts.made.insert(id.clone(), text);
        }
    });
    note(&id);
    Ok(id)
}

fn note(id: &str) {
    ACTIVE.with(|a| {
        if let Some(w) = a.borrow_mut().as_mut() {
            w.parts.ids.push(id.to_owned());
        }
    });
}

/// Serialises a list of shared items, `show` giving each one's serde form and `name` its
/// stable name (where chunks may end, after `average` items on average); as parts inside
/// [`in_parts`], as a plain list otherwise.
pub(crate) fn serialize_seq<'a, T, R, S>(
    items: impl ExactSizeIterator<Item = &'a Arc<T>>,
    average: u64,
    show: impl Fn(&T) -> &R,
    name: impl Fn(&R) -> &str,
    s: S,
) -> Result<S::Ok, S::Error>
where
    T: Any + 'a,
    R: Serialize + ?Sized,
    S: Serializer,
{
    if !active() {
        return s.collect_seq(items.map(|i| show(i)));
    }
    let mut seq = s.serialize_seq(None)?;
    let mut chunk: Vec<&Arc<T>> = Vec::with_capacity(2 * average as usize);
    let flush = |chunk: &mut Vec<&Arc<T>>, seq: &mut S::SerializeSeq| {
        if chunk.is_empty() {
            return Ok(());
        }
        let id =
            part_of(chunk, |i, text| push_json(text, show(chunk[i]))).map_err(S::Error::custom)?;
        chunk.clear();
        seq.serialize_element(&placeholder(&id))
    };
    for item in items {
        chunk.push(item);
        if boundary(name(show(item)), average) {
            flush(&mut chunk, &mut seq)?;
        }
    }
    flush(&mut chunk, &mut seq)?;
    seq.end()
}

/// Serialises a map of names to shared items; as parts inside [`in_parts`], as a plain map
/// otherwise.
pub(crate) fn serialize_map<T, S>(
    map: &Arc<std::collections::BTreeMap<String, Arc<T>>>,
    s: S,
) -> Result<S::Ok, S::Error>
where
    T: Any + Serialize,
    S: Serializer,
{
    if !active() {
        return s.collect_map(map.iter());
    }
    let mut out = s.serialize_map(None)?;
    let mut names: Vec<&String> = Vec::new();
    let mut chunk: Vec<&Arc<T>> = Vec::new();
    let flush = |names: &mut Vec<&String>, chunk: &mut Vec<&Arc<T>>, out: &mut S::SerializeMap| {
        if chunk.is_empty() {
            return Ok(());
        }
        let id = part_of(chunk, |i, text| {
            push_json(text, names[i])?;
            text.push(':');
            push_json(text, &**chunk[i])
        })
        .map_err(S::Error::custom)?;
        names.clear();
        chunk.clear();
        out.serialize_entry(&placeholder(&id), &0)
    };
    for (name, item) in map.iter() {
        names.push(name);
        chunk.push(item);
        if boundary(name, AVERAGE_CHUNK) {
            flush(&mut names, &mut chunk, &mut out)?;
        }
    }
    flush(&mut names, &mut chunk, &mut out)?;
    out.end()
}

/// A part the document refers to is missing.
#[derive(Debug, PartialEq, Eq)]
pub struct MissingPart(pub String);

impl std::fmt::Display for MissingPart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "part {} of the saved lab is missing", self.0)
    }
}

/// The ids of the parts a document written by [`in_parts`] refers to, in order.
pub fn referenced(document: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let mut rest = document;
    while let Some(at) = rest.find(MARKER_TEXT) {
        let after = &rest[at + MARKER_TEXT.len()..];
        let Some(end) = after.find('"') else {
            break;
        };
        ids.push(after[..end].to_owned());
        rest = &after[end..];
    }
    ids
}

/// The whole document: `document` (written by [`in_parts`]) with each placeholder replaced by
/// its part's text from `part`.
pub fn assemble<'a>(
    document: &str,
    part: impl Fn(&str) -> Option<&'a str>,
) -> Result<String, MissingPart> {
    let mut out = String::with_capacity(document.len());
    let mut rest = document;
    while let Some(at) = rest.find(MARKER_TEXT) {
        out.push_str(&rest[..at]);
        let after = &rest[at + MARKER_TEXT.len()..];
        let Some(end) = after.find('"') else {
            return Err(MissingPart(after.to_owned()));
        };
        let id = &after[..end];
        let text = part(id).ok_or_else(|| MissingPart(id.to_owned()))?;
        out.push_str(text);
        // A map's placeholder is a key with the value 0.
        rest = after[end + 1..]
            .strip_prefix(":0")
            .unwrap_or(&after[end + 1..]);
    }
    out.push_str(rest);
    Ok(out)
}

/// The ids among `ids` not in `keep`.
pub fn unreferenced<'a>(ids: impl IntoIterator<Item = &'a String>, keep: &[String]) -> Vec<String> {
    let keep: HashSet<&String> = keep.iter().collect();
    ids.into_iter()
        .filter(|id| !keep.contains(id))
        .cloned()
        .collect()
}
