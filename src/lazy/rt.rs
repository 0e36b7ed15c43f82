//! The loader the split points call (the `wasm_split_path` the `#[wasm_split]` attribute names).
//!
//! A split point's generated code imports a load function from the link module that
//! `cargo xtask split-wasm` writes (`__wasm_split.js`): called with a callback and a data pointer,
//! it fetches and instantiates the chunk, then calls the callback with the data pointer and
//! whether it worked. This module turns that into a future that **fails instead of panicking**
//! (a panic would abort the whole page): a failed download is an `Err`, the page says so and
//! offers to try again, and the next call starts a new download (the link module forgets a
//! failed one).
//!
//! (Written before `wasm_split_helpers` 0.2 was looked at: its `fallible` loader does the same,
//! and could replace this file; 0.1, the version at hand then, remembered a failure for the
//! whole visit.)

// Calling the imported load function and taking back the pointer it returns.
#![allow(unsafe_code)]

use std::cell::{Cell, RefCell};
use std::ffi::c_void;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, Waker};

/// Called by the link module once a load has ended: the data pointer it was given, and whether
/// the chunk is now instantiated.
pub type LoadCallbackFn = unsafe extern "C" fn(*const c_void, bool);
/// A chunk's load function, imported from the link module.
pub type LoadFn = unsafe extern "C" fn(LoadCallbackFn, *const c_void);

/// One chunk's loader (a `static` per split point).
#[derive(Debug)]
pub struct LazySplitLoader {
    load: LoadFn,
    ready: AtomicBool,
}

impl LazySplitLoader {
    /// # Safety
    /// `load` must call its callback exactly once, with the data pointer it was given.
    pub const unsafe fn new(load: LoadFn) -> Self {
        Self {
            load,
            ready: AtomicBool::new(false),
        }
    }
}

/// Waits until the loader's chunk is instantiated (at once when it already is).
pub async fn ensure_loaded(
    loader: Pin<&'static LazySplitLoader>,
) -> Result<(), super::SplitLoaderError> {
    let loader = loader.get_ref();
    if loader.ready.load(Ordering::Acquire) {
        return Ok(());
    }
    let attempt = Rc::new(Attempt::default());
    let data = Rc::into_raw(attempt.clone()).cast::<c_void>();
    // SAFETY: `LazySplitLoader::new`'s contract: `load` calls `completed` once with `data`,
    // which gives back the reference counted here.
    unsafe { (loader.load)(completed, data) };
    if (AttemptDone { attempt }).await {
        loader.ready.store(true, Ordering::Release);
        Ok(())
    } else {
        Err(super::SplitLoaderError)
    }
}

unsafe extern "C" fn completed(data: *const c_void, success: bool) {
    // SAFETY: `data` is the pointer `ensure_loaded` made with `Rc::into_raw`, given back once.
    let attempt = unsafe { Rc::from_raw(data.cast::<Attempt>()) };
    attempt.result.set(Some(success));
    if let Some(waker) = attempt.waker.borrow_mut().take() {
        waker.wake();
    }
}

#[derive(Default)]
struct Attempt {
    result: Cell<Option<bool>>,
    waker: RefCell<Option<Waker>>,
}

struct AttemptDone {
    attempt: Rc<Attempt>,
}

impl Future for AttemptDone {
    type Output = bool;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<bool> {
        match self.attempt.result.get() {
            Some(success) => Poll::Ready(success),
            None => {
                *self.attempt.waker.borrow_mut() = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}
