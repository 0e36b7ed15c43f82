//! Where the world is kept between visits: the browser's storage, in the CLI's state schema.
//!
//! Loading never loses data: a save that cannot be read (corrupt, or written by a newer version)
//! is kept aside under its own key and offered for download, and the lab starts fresh.

use awscli::Session;

use crate::state::Notice;

const KEY: &str = "kmslab.state";
const REJECTED_KEY: &str = "kmslab.state.rejected";

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
/// well inside browser storage limits.
pub const EVENT_RETENTION: usize = 1500;

/// The saved session, or a fresh one plus a notice explaining why the save was not used.
pub fn load() -> (Session, Option<Notice>) {
    let (mut session, notice) = load_unbounded();
    session.world.set_event_retention(EVENT_RETENTION);
    (session, notice)
}

fn load_unbounded() -> (Session, Option<Notice>) {
    let fresh = || Session::new(random_seed(), now_ms());
    let Some(storage) = local_storage() else {
        return (fresh(), None);
    };
    let Ok(Some(text)) = storage.get_item(KEY) else {
        return (fresh(), None);
    };
    match awscli::state::load(&text) {
        Ok(session) => (session, None),
        Err(e) => {
            // Keep the unreadable save aside so the next autosave cannot overwrite it.
            let _ = storage.set_item(REJECTED_KEY, &text);
            let notice = Notice {
                message: format!(
                    "Your saved lab could not be loaded: {e}. A fresh lab was started; \
                     the old save is kept and can be downloaded."
                ),
                rejected_save: Some(std::rc::Rc::new(text)),
            };
            (fresh(), Some(notice))
        }
    }
}

/// Saves the state document. Errors (quota, private mode) are reported, not fatal.
pub fn save(document: &str) -> Result<(), String> {
    let storage = local_storage().ok_or("browser storage is unavailable")?;
    storage
        .set_item(KEY, document)
        .map_err(|_| "browser storage refused the save (quota exceeded?)".to_owned())
}
