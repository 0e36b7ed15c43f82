//! A tiny IndexedDB key-value store (one object store, string values) for the saved world.
//! localStorage's ~5 MB limit is too small for long runs; IndexedDB is not.

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbRequest, IdbTransactionMode};

const DB: &str = "kmslab";
const STORE: &str = "state";

/// Resolves when `request` succeeds (with its result) or fails (with its error).
fn settle(request: &IdbRequest) -> Promise {
    let request = request.clone();
    Promise::new(&mut |resolve, reject| {
        let ok = {
            let request = request.clone();
            Closure::once_into_js(move || {
                let _ = resolve.call1(
                    &JsValue::NULL,
                    &request.result().unwrap_or(JsValue::UNDEFINED),
                );
            })
        };
        let err = Closure::once_into_js(move || {
            let _ = reject.call1(
                &JsValue::NULL,
                &JsValue::from_str("IndexedDB request failed"),
            );
        });
        request.set_onsuccess(Some(ok.unchecked_ref()));
        request.set_onerror(Some(err.unchecked_ref()));
    })
}

async fn open() -> Result<IdbDatabase, JsValue> {
    let factory = web_sys::window()
        .ok_or("no window")?
        .indexed_db()?
        .ok_or("IndexedDB unavailable")?;
    let request = factory.open_with_u32(DB, 1)?;
    let upgrade = {
        let request = request.clone();
        Closure::<dyn FnMut()>::new(move || {
            if let Ok(db) = request.result().and_then(|r| r.dyn_into::<IdbDatabase>())
                && !db.object_store_names().contains(STORE)
            {
                let _ = db.create_object_store(STORE);
            }
        })
    };
    request.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    let db = JsFuture::from(settle(&request)).await?;
    drop(upgrade);
    db.dyn_into::<IdbDatabase>()
}

/// Reads `key`; `Ok(None)` when absent.
pub async fn get(key: &str) -> Result<Option<String>, JsValue> {
    let db = open().await?;
    let tx = db.transaction_with_str(STORE)?;
    let request = tx.object_store(STORE)?.get(&JsValue::from_str(key))?;
    let value = JsFuture::from(settle(&request)).await;
    db.close();
    Ok(value?.as_string())
}

/// Writes `key`.
pub async fn put(key: &str, value: &str) -> Result<(), JsValue> {
    let db = open().await?;
    let tx = db.transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite)?;
    let request = tx
        .object_store(STORE)?
        .put_with_key(&JsValue::from_str(value), &JsValue::from_str(key))?;
    let done = JsFuture::from(settle(&request)).await;
    // Closing waits for the transaction to finish; it keeps no connection open between saves.
    db.close();
    done.map(|_| ())
}
