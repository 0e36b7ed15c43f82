//! Where the world is kept between visits: the browser's storage, in the CLI's state schema.
//!
//! Loading never loses data: a save that cannot be read (corrupt, or written by a newer version)
//! is kept aside under its own key and offered for download, and the lab starts fresh.

use std::rc::Rc;

use awscli::Session;

use crate::state::Notice;

/// A storage key in this page's namespace (`kmslab.NAME` for the full lab,
/// `kmslab.embed.INSTANCE.NAME` for an embed: see [`crate::embed`]).
pub(crate) fn key(name: &str) -> String {
    format!("{}{name}", crate::embed::context().namespace())
}

/// The saved lab document.
pub(crate) fn state_key() -> String {
    key("state")
}

/// A change written synchronously as the page was hidden or closed (see `persist`): newer than
/// the IndexedDB save until the next IndexedDB save succeeds.
pub(crate) fn pending_key() -> String {
    key("state.pending")
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Browser entropy for a new world's seed (falls back to the clock if crypto is unavailable).
pub fn random_seed() -> u64 {
    let mut bytes = [0u8; 8];
    let ok = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok())
        .unwrap_or(false);
    if ok {
        u64::from_le_bytes(bytes)
    } else {
        (js_sys::Date::now() as u64) ^ 0x9e37_79b9_7f4a_7c15
    }
}

/// The real time, which starts a new world's simulated clock.
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// Full CloudTrail events kept in the browser (counters cover everything beyond), so saves stay
/// small enough to write after every command.
pub const EVENT_RETENTION: usize = 1500;

/// The browser's host settings, applied to every world it holds (load, import, reset, scenario
/// start) by the lab document.
pub const HOST: document::HostSettings = document::HostSettings {
    event_retention: Some(EVENT_RETENTION),
};

/// What loading found: the session, a notice for the learner, and whether saving must stay off
/// (the saved lab exists but could not be read now: saving would overwrite it).
#[derive(Debug)]
pub struct Loaded {
    pub session: Session,
    pub notice: Option<Notice>,
    pub saves_blocked: bool,
}

/// The saved session (IndexedDB first, then an older localStorage save), or a fresh one plus a
/// notice explaining why the save was not used.
pub async fn load() -> Loaded {
    let fresh = || document::LabDocument::fresh(random_seed(), now_ms(), HOST).into_session();
    let loaded = |session, notice| Loaded {
        session,
        notice,
        saves_blocked: false,
    };
    let from_local = || local_storage().and_then(|s| s.get_item(&state_key()).ok().flatten());
    // A change written as the page closed is newer than anything in IndexedDB.
    let pending = local_storage().and_then(|s| s.get_item(&pending_key()).ok().flatten());
    // A read that fails is tried once more before anything is decided.
    let from_idb = match read_idb().await {
        Ok(found) => Ok(found),
        Err(_) => read_idb().await,
    };
    let saved = match from_idb {
        _ if pending.is_some() => pending,
        Ok(Some(text)) => Some(text),
        Ok(None) => from_local(),
        Err(_) => match from_local() {
            Some(text) => Some(text),
            // IndexedDB can be written but not read: the learner's lab may be in there, and an
            // autosave of a fresh world would overwrite it. Start fresh without saving.
            None if crate::idb::put(&key("probe"), "").await.is_ok() => {
                return Loaded {
                    session: fresh(),
                    notice: Some(Notice {
                        message: "Your saved lab could not be read just now (the browser's \
                                  storage answered with an error). This fresh lab will not be \
                                  saved, so your saved lab stays safe: reload the page to try again."
                            .into(),
                        rejected_save: None,
                    }),
                    saves_blocked: true,
                };
            }
            // No IndexedDB at all: saves go to localStorage, which holds nothing yet.
            None => None,
        },
    };
    let Some(text) = saved else {
        return loaded(fresh(), None);
    };
    match document::LabDocument::load(&text, HOST) {
        Ok(doc) => loaded(doc.into_session(), None),
        Err(e) => {
            // Keep the unreadable save aside so the next autosave cannot overwrite it.
            if crate::idb::put(&key("state.rejected"), &text)
                .await
                .is_err()
                && let Some(storage) = local_storage()
            {
                let _ = storage.set_item(&key("state.rejected"), &text);
            }
            let notice = Notice {
                message: format!(
                    "Your saved lab could not be loaded: {e}. A fresh lab was started; \
                     the old save is kept and can be downloaded."
                ),
                rejected_save: Some(std::rc::Rc::new(text)),
            };
            loaded(fresh(), Some(notice))
        }
    }
}

/// The saved document in IndexedDB: saved in parts (this build), or whole (earlier builds).
async fn read_idb() -> Result<Option<String>, wasm_bindgen::JsValue> {
    match crate::saved_parts::load_whole().await {
        Ok(Some(whole)) => Ok(Some(whole)),
        Ok(None) => crate::idb::get(&state_key()).await,
        // Parts missing: a whole save, if there is one, is the lab; otherwise this is an error.
        Err(e) => crate::idb::get(&state_key()).await?.map(Some).ok_or(e),
    }
}

/// Saves the whole state document (IndexedDB; localStorage if IndexedDB is unavailable), when a
/// save in parts could not be written. Errors are reported, not fatal.
pub async fn save(document: String) -> Result<(), String> {
    // A document saved in parts (`state.doc`) would be read first: it goes with this save.
    let whole = [(state_key(), document.as_str())];
    if crate::idb::write_all(&whole, &[crate::saved_parts::doc_key()])
        .await
        .is_ok()
    {
        // An older localStorage save would otherwise shadow nothing, but free its space.
        if let Some(storage) = local_storage() {
            let _ = storage.remove_item(&state_key());
            let _ = storage.remove_item(&pending_key());
            let _ = storage.remove_item(&crate::saved_parts::pending_key());
        }
        return Ok(());
    }
    let storage = local_storage().ok_or("browser storage is unavailable")?;
    storage
        .set_item(&state_key(), &document)
        .map_err(|_| "browser storage refused the save (quota exceeded?)".to_owned())?;
    let _ = storage.remove_item(&pending_key());
    let _ = storage.remove_item(&crate::saved_parts::pending_key());
    Ok(())
}

/// The path of the page the learner was last on (`/kms/keys`), for the start page.
pub fn last_place() -> Option<String> {
    local_storage()?.get_item(&key("lastPlace")).ok().flatten()
}

/// Remembers the page the learner is on.
pub fn set_last_place(path: &str) {
    if let Some(s) = local_storage() {
        let _ = s.set_item(&key("lastPlace"), path);
    }
}

/// The terminal as saved: commands typed (↑/↓) and the scrollback.
#[derive(serde::Deserialize)]
struct SavedTerminal {
    history: Vec<String>,
    transcript: Vec<crate::state::TermEntry>,
}

/// [`SavedTerminal`] as written: borrowed, so a save copies nothing before serialising.
#[derive(serde::Serialize)]
struct SavedTerminalRef<'a> {
    history: &'a [String],
    transcript: &'a [Rc<crate::state::TermEntry>],
}

/// How long the terminal waits after a change before it is saved (a burst of commands is one
/// save; the scrollback is some 100 KB of JSON written synchronously to localStorage).
const TERMINAL_DEBOUNCE_MS: u32 = 500;

/// The terminal waiting to be saved, and the timer that saves it.
type PendingTerminal = (
    Rc<Vec<String>>,
    Rc<Vec<Rc<crate::state::TermEntry>>>,
    gloo_timers::callback::Timeout,
);

thread_local! {
    static PENDING_TERMINAL: std::cell::RefCell<Option<PendingTerminal>> =
        const { std::cell::RefCell::new(None) };
    static TERMINAL_HOOKED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Saves the terminal's history and scrollback a moment after the last change, or at once when
/// the page is hidden or closed (an effect: the store's `Rc`s are kept, not copied).
pub fn save_terminal_soon(
    history: Rc<Vec<String>>,
    transcript: Rc<Vec<Rc<crate::state::TermEntry>>>,
) {
    hook_terminal_flush();
    let timer = gloo_timers::callback::Timeout::new(TERMINAL_DEBOUNCE_MS, flush_terminal);
    // The earlier timer, if any, is dropped and so cancelled.
    PENDING_TERMINAL.with(|p| p.replace(Some((history, transcript, timer))));
}

/// Writes the terminal waiting to be saved, if any.
fn flush_terminal() {
    if let Some((history, transcript, _timer)) = PENDING_TERMINAL.with(|p| p.take()) {
        save_terminal(&history, &transcript);
    }
}

/// Flushes on `visibilitychange` (to hidden) and `pagehide`, installed once.
fn hook_terminal_flush() {
    if TERMINAL_HOOKED.with(|h| h.replace(true)) {
        return;
    }
    crate::persist::on_page_hidden(flush_terminal);
}

/// Saves the terminal's history and scrollback (best effort: a full storage only loses them).
pub fn save_terminal(history: &[String], transcript: &[Rc<crate::state::TermEntry>]) {
    let keep = history.len().saturating_sub(crate::state::HISTORY_LIMIT);
    let saved = SavedTerminalRef {
        history: &history[keep..],
        transcript,
    };
    if let (Some(s), Ok(text)) = (local_storage(), serde_json::to_string(&saved)) {
        let _ = s.set_item(&key("terminal"), &text);
    }
}

/// The saved terminal, if any and readable.
pub fn load_terminal() -> Option<(Vec<String>, Vec<crate::state::TermEntry>)> {
    let text = local_storage()?.get_item(&key("terminal")).ok().flatten()?;
    let saved: SavedTerminal = serde_json::from_str(&text).ok()?;
    Some((saved.history, saved.transcript))
}

/// Warms the world's pool with its next RSA key of `bits`: from localStorage when an earlier
/// page load kept it, else computed (slow) and kept there, replacing any other kept key.
pub fn warm_rsa_pool(world: &cloud::World, bits: usize) {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD;
    let Some(id) = world.rsa_pool_next_id(bits) else {
        return;
    };
    let name = key(&format!("rsa.{bits}.{id}"));
    let storage = local_storage();
    let kept = storage
        .as_ref()
        .and_then(|s| s.get_item(&name).ok().flatten())
        .and_then(|text| b64.decode(text).ok());
    if let Some(der) = kept
        && world.offer_rsa_pool_key(bits, &der)
    {
        return;
    }
    let Some((_, der)) = world.rsa_pool_next_key(bits) else {
        return;
    };
    if let Some(s) = storage {
        let prefix = key("rsa.");
        let stale: Vec<String> = (0..s.length().unwrap_or(0))
            .filter_map(|i| s.key(i).ok().flatten())
            .filter(|k| k.starts_with(&prefix) && *k != name)
            .collect();
        for k in stale {
            let _ = s.remove_item(&k);
        }
        let _ = s.set_item(&name, &b64.encode(der));
    }
}
