//! When and how the world is saved: after a quiet moment, not after every command, and at
//! once when the tab is hidden or closed; in parts, so a save writes what changed.
//!
//! A burst of commands (a pasted script, `lab load`, an embedding page's `run` calls) used to
//! serialise the whole world after each one. Now a change after a quiet moment is saved at once
//! (the leading edge), and the changes of a burst only mark the world dirty and (re)arm a short
//! timer: one save when the timer fires, or at [`MAX_WAIT_MS`] at the latest.
//!
//! Each save serialises the world in parts (`cloud::parts`, `saved_parts`): the S3 objects and
//! CloudTrail events that did not change since the last save are neither serialised nor written
//! again, so a command in a world of 12,000 objects saves a few kilobytes, not megabytes.
//!
//! `visibilitychange` (hidden) and `pagehide` write a pending change straight away. IndexedDB is
//! asynchronous and a page being unloaded gets no more turns of the event loop, so that write
//! goes synchronously to localStorage (the document and its unstored parts), which the next
//! load prefers and the next IndexedDB save clears. Closing or reloading the tab loses nothing.
//!
//! This is an effect outside the store: the store never sees the timer or the pending export.

use std::cell::RefCell;

use cloud::parts::PartCache;
use document::state_file::SavedInParts;
use gloo_timers::callback::Timeout;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

/// Quiet time after the last change before the save runs.
pub const DEBOUNCE_MS: u32 = 300;
/// The longest a change waits during a continuous burst of changes.
pub const MAX_WAIT_MS: f64 = 2_000.0;

/// Serialises the newest state in parts, with the given cache (a fresh cache makes every part),
/// making at most so many new parts (`None`: all it needs).
type Export = Box<dyn Fn(&mut PartCache, Option<usize>) -> Result<SavedInParts, String>>;

/// The most new parts one pass of a save makes (a part is about 64 objects or events): a save
/// of much new data (after `lab load`, or the first save after a reload) is spread over passes,
/// each a short task of its own, instead of one long one.
const NEW_PARTS_PER_PASS: usize = 12;

struct Pending {
    export: Export,
    /// When the oldest unsaved change was made (`performance.now()`).
    since: f64,
    _timer: Timeout,
}

thread_local! {
    static PENDING: RefCell<Option<Pending>> = const { RefCell::new(None) };
    static HOOKED: RefCell<bool> = const { RefCell::new(false) };
    /// When the last save was started (`performance.now()`).
    static LAST_WRITE: RefCell<Option<f64>> = const { RefCell::new(None) };
    /// What the saves remember of each other (which parts are unchanged).
    static CACHE: RefCell<PartCache> = RefCell::new(PartCache::default());
    /// The newest save started: a save still making its parts gives way to a newer one.
    static WRITE_SEQ: RefCell<u64> = const { RefCell::new(0) };
}

fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Marks the world changed: `export` serialises the newest state when the save runs (a
/// later call replaces an earlier one, whose state is older).
pub fn schedule(
    export: impl Fn(&mut PartCache, Option<usize>) -> Result<SavedInParts, String> + 'static,
) {
    hook_page_lifecycle();
    let t = now();
    let pending = PENDING.with(|p| p.borrow().as_ref().map(|p| p.since));
    let quiet = LAST_WRITE.with(|w| {
        w.borrow()
            .is_none_or(|last| t - last >= f64::from(DEBOUNCE_MS))
    });
    if pending.is_none() && quiet {
        write(Box::new(export));
        return;
    }
    let since = pending.unwrap_or(t);
    if t - since >= MAX_WAIT_MS {
        PENDING.with(|p| p.borrow_mut().take());
        write(Box::new(export));
        return;
    }
    let timer = Timeout::new(DEBOUNCE_MS, flush);
    PENDING.with(|p| {
        *p.borrow_mut() = Some(Pending {
            export: Box::new(export),
            since,
            _timer: timer,
        });
    });
}

/// How long after loading the first save runs when nothing else saved first.
const WARM_MS: u32 = 1_000;

thread_local! {
    static WARMING: RefCell<Option<Timeout>> = const { RefCell::new(None) };
}

/// Saves once, a moment after the lab loaded: the save after a reload serialises every part to
/// learn which are stored (the world's items are new allocations), and this does it while the
/// learner reads the page, not during their first command. A save in between makes it cheap.
pub fn warm(
    export: impl Fn(&mut PartCache, Option<usize>) -> Result<SavedInParts, String> + 'static,
) {
    let timer = Timeout::new(WARM_MS, move || {
        WARMING.with(|w| w.borrow_mut().take());
        if PENDING.with(|p| p.borrow().is_none()) {
            write(Box::new(export));
        }
    });
    WARMING.with(|w| *w.borrow_mut() = Some(timer));
}

/// Saves the pending change now, if there is one (the debounce timer's end).
fn flush() {
    if let Some(pending) = PENDING.with(|p| p.borrow_mut().take()) {
        write(pending.export);
    }
}

fn write(export: Export) {
    LAST_WRITE.with(|w| *w.borrow_mut() = Some(now()));
    let seq = WRITE_SEQ.with(|s| {
        let mut s = s.borrow_mut();
        *s += 1;
        *s
    });
    mark("kmslab-save-start");
    pass(export, seq);
}

/// One pass of save `seq`: makes at most [`NEW_PARTS_PER_PASS`] new parts; if more are needed,
/// the next pass runs in a task of its own. A newer save supersedes this one (the parts made so
/// far are kept for it).
fn pass(export: Export, seq: u64) {
    if WRITE_SEQ.with(|s| *s.borrow()) != seq {
        return;
    }
    let saved = CACHE.with(|c| export(&mut c.borrow_mut(), Some(NEW_PARTS_PER_PASS)));
    let saved = match saved {
        Ok(saved) if !saved.parts.complete => {
            crate::saved_parts::keep_made(saved.parts.made);
            Timeout::new(0, move || pass(export, seq)).forget();
            return;
        }
        Ok(saved) => saved,
        Err(e) => {
            web_sys::console::warn_1(&e.into());
            return;
        }
    };
    let prepared = match crate::saved_parts::prepare(saved) {
        Some(write) => Ok(write),
        None => prepare(&export),
    };
    mark("kmslab-save-serialised");
    measure(
        "kmslab-save-serialise",
        "kmslab-save-start",
        "kmslab-save-serialised",
    );
    match prepared {
        Ok(write) => save_to_idb(write, export),
        Err(e) => web_sys::console::warn_1(&e.into()),
    }
}

/// Serialises the newest state in parts, all at once, and says what to write. If the cache and
/// the store are out of step (a part neither stored nor made), serialises again with a fresh
/// cache.
fn prepare(export: &Export) -> Result<crate::saved_parts::Write, String> {
    let saved = CACHE.with(|c| export(&mut c.borrow_mut(), None))?;
    if let Some(write) = crate::saved_parts::prepare(saved) {
        return Ok(write);
    }
    let saved = CACHE.with(|c| {
        let mut cache = c.borrow_mut();
        *cache = PartCache::default();
        export(&mut cache, None)
    })?;
    crate::saved_parts::prepare(saved).ok_or_else(|| "the save lost track of its parts".into())
}

/// Starts the IndexedDB save (see `saved_parts::store`); if IndexedDB refuses it, the whole
/// document is saved the older way (`storage::save`, which falls back to localStorage). A
/// failure is reported, not fatal.
fn save_to_idb(write: crate::saved_parts::Write, export: Export) {
    mark("kmslab-save-idb-start");
    wasm_bindgen_futures::spawn_local(async move {
        let mut saved = crate::saved_parts::store(&write).await;
        if saved.is_err() {
            let whole = export(&mut PartCache::default(), None)
                .ok()
                .and_then(crate::saved_parts::prepare)
                .and_then(|w| w.whole());
            if let Some(whole) = whole {
                saved = crate::storage::save(whole).await;
            }
        }
        mark("kmslab-save-end");
        measure(
            "kmslab-save-idb",
            "kmslab-save-idb-start",
            "kmslab-save-end",
        );
        measure("kmslab-save", "kmslab-save-start", "kmslab-save-end");
        clear_timings();
        if let Err(e) = saved {
            web_sys::console::warn_1(&e.into());
        }
    });
}

/// User Timing marks and measures (`kmslab-save`: serialise + IndexedDB write) for
/// `cargo xtask bench --scale`, which reads them with a `PerformanceObserver`; timing only, they
/// change nothing in the save, and [`clear_timings`] drops them from the timeline once made so
/// a long session does not collect them.
fn mark(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark(name);
    }
}

fn clear_timings() {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        for m in [
            "kmslab-save-start",
            "kmslab-save-serialised",
            "kmslab-save-idb-start",
            "kmslab-save-end",
        ] {
            p.clear_marks_with_mark_name(m);
        }
        for m in ["kmslab-save-serialise", "kmslab-save-idb", "kmslab-save"] {
            p.clear_measures_with_measure_name(m);
        }
    }
}

fn measure(name: &str, start: &str, end: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.measure_with_start_mark_and_end_mark(name, start, end);
    }
}

/// Writes the pending change synchronously (localStorage), for a page that may get no more
/// turns of the event loop, and starts its IndexedDB save too.
fn flush_now() {
    let Some(pending) = PENDING.with(|p| p.borrow_mut().take()) else {
        return;
    };
    // This save is complete at once; one still making its parts gives way.
    WRITE_SEQ.with(|s| *s.borrow_mut() += 1);
    match prepare(&pending.export) {
        Ok(write) => {
            crate::saved_parts::store_pending_now(&write);
            save_to_idb(write, pending.export);
        }
        Err(e) => web_sys::console::warn_1(&e.into()),
    }
}

/// Flushes on `visibilitychange` (to hidden) and `pagehide`, installed once.
fn hook_page_lifecycle() {
    if HOOKED.with(|h| h.replace(true)) {
        return;
    }
    on_page_hidden(flush_now);
}

/// Runs `flush` when the page is hidden (`visibilitychange`) or closed (`pagehide`), for the
/// page's whole life: the last moment a page can still write (synchronously).
pub(crate) fn on_page_hidden(flush: fn()) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let on_hide = Closure::<dyn Fn()>::new(move || {
        let hidden = web_sys::window()
            .and_then(|w| w.document())
            .is_none_or(|d| d.visibility_state() == web_sys::VisibilityState::Hidden);
        if hidden {
            flush();
        }
    });
    let on_pagehide = Closure::<dyn Fn()>::new(flush);
    if let Some(doc) = window.document() {
        let _ = doc
            .add_event_listener_with_callback("visibilitychange", on_hide.as_ref().unchecked_ref());
    }
    let _ =
        window.add_event_listener_with_callback("pagehide", on_pagehide.as_ref().unchecked_ref());
    // Listeners for the page's whole life.
    on_hide.forget();
    on_pagehide.forget();
}
