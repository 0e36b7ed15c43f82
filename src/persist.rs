//! When the world is saved: after a quiet moment, not after every command, and at once when the
//! tab is hidden or closed.
//!
//! A burst of commands (a pasted script, `lab load`, an embedding page's `run` calls) used to
//! serialise the whole world after each one. Now a change after a quiet moment is saved at once
//! (the leading edge), and the changes of a burst only mark the world dirty and (re)arm a short
//! timer: one save when the timer fires, or at [`MAX_WAIT_MS`] at the latest.
//!
//! `visibilitychange` (hidden) and `pagehide` write a pending change straight away. IndexedDB is
//! asynchronous and a page being unloaded gets no more turns of the event loop, so that write
//! goes synchronously to localStorage (`…state.pending`), which the next load prefers and the
//! next IndexedDB save clears (see `storage`). Closing or reloading the tab loses nothing.
//!
//! This is an effect outside the store: the store never sees the timer or the pending export.

use std::cell::RefCell;

use gloo_timers::callback::Timeout;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

/// Quiet time after the last change before the save runs.
pub const DEBOUNCE_MS: u32 = 300;
/// The longest a change waits during a continuous burst of changes.
pub const MAX_WAIT_MS: f64 = 2_000.0;

type Export = Box<dyn FnOnce() -> Result<String, String>>;

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
}

fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Marks the world changed: `export` serialises the newest state when the save runs (a
/// later call replaces an earlier one, whose state is older).
pub fn schedule(export: impl FnOnce() -> Result<String, String> + 'static) {
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

/// Saves the pending change now, if there is one (the debounce timer's end).
fn flush() {
    if let Some(pending) = PENDING.with(|p| p.borrow_mut().take()) {
        write(pending.export);
    }
}

fn write(export: Export) {
    LAST_WRITE.with(|w| *w.borrow_mut() = Some(now()));
    mark("kmslab-save-start");
    let doc = export();
    mark("kmslab-save-serialised");
    measure(
        "kmslab-save-serialise",
        "kmslab-save-start",
        "kmslab-save-serialised",
    );
    match doc {
        Ok(doc) => save_to_idb(doc),
        Err(e) => web_sys::console::warn_1(&e.into()),
    }
}

/// Starts the IndexedDB save (see `storage::save`); a failure is reported, not fatal.
fn save_to_idb(doc: String) {
    mark("kmslab-save-idb-start");
    wasm_bindgen_futures::spawn_local(async move {
        let saved = crate::storage::save(doc).await;
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
/// turns of the event loop; a document too big for localStorage still goes to IndexedDB.
fn flush_now() {
    let Some(pending) = PENDING.with(|p| p.borrow_mut().take()) else {
        return;
    };
    match (pending.export)() {
        Ok(doc) => {
            if !crate::storage::save_pending_now(&doc) {
                save_to_idb(doc);
            }
        }
        Err(e) => web_sys::console::warn_1(&e.into()),
    }
}

/// Flushes on `visibilitychange` (to hidden) and `pagehide`, installed once.
fn hook_page_lifecycle() {
    if HOOKED.with(|h| h.replace(true)) {
        return;
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    let on_hide = Closure::<dyn Fn()>::new(|| {
        let hidden = web_sys::window()
            .and_then(|w| w.document())
            .is_none_or(|d| d.visibility_state() == web_sys::VisibilityState::Hidden);
        if hidden {
            flush_now();
        }
    });
    let on_pagehide = Closure::<dyn Fn()>::new(flush_now);
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
