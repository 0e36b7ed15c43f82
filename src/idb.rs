//! A tiny IndexedDB key-value store (one object store, string values) for the saved world.
//! localStorage's ~5 MB limit is too small for long runs; IndexedDB is not. One connection is
//! kept open for the page's life.

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbRequest, IdbTransaction, IdbTransactionMode};

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

thread_local! {
    /// The open connection, kept between saves (opening one costs a few milliseconds per save).
    static CONNECTION: std::cell::RefCell<Option<IdbDatabase>> = const { std::cell::RefCell::new(None) };
}

/// The connection: the one kept open, or a new one. Another page asking for a newer version
/// makes it close (`versionchange`), and the next call opens a new one.
async fn open() -> Result<IdbDatabase, JsValue> {
    if let Some(db) = CONNECTION.with(|d| d.borrow().clone()) {
        return Ok(db);
    }
    let db = connect().await?;
    let on_change = {
        let db = db.clone();
        Closure::once_into_js(move || {
            db.close();
            CONNECTION.with(|d| d.borrow_mut().take());
        })
    };
    db.set_onversionchange(Some(on_change.unchecked_ref()));
    CONNECTION.with(|d| *d.borrow_mut() = Some(db.clone()));
    Ok(db)
}

/// Forgets the kept connection after a failure (the next call opens a new one).
fn forget() {
    if let Some(db) = CONNECTION.with(|d| d.borrow_mut().take()) {
        db.close();
    }
}

/// A transaction on the store; a kept connection the browser closed is replaced once.
async fn transaction(mode: IdbTransactionMode) -> Result<IdbTransaction, JsValue> {
    if let Ok(tx) = open().await?.transaction_with_str_and_mode(STORE, mode) {
        return Ok(tx);
    }
    forget();
    open().await?.transaction_with_str_and_mode(STORE, mode)
}

async fn connect() -> Result<IdbDatabase, JsValue> {
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
    let tx = transaction(IdbTransactionMode::Readonly).await?;
    let request = tx.object_store(STORE)?.get(&JsValue::from_str(key))?;
    let value = JsFuture::from(settle(&request)).await;
    Ok(value?.as_string())
}

/// Resolves when `tx` commits; fails when it aborts or errs (nothing of it was written).
fn committed(tx: &IdbTransaction) -> Promise {
    let tx = tx.clone();
    Promise::new(&mut |resolve, reject| {
        let ok = Closure::once_into_js(move || {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let failed = Closure::once_into_js(move || {
            let _ = reject.call1(
                &JsValue::NULL,
                &JsValue::from_str("IndexedDB transaction failed"),
            );
        });
        tx.set_oncomplete(Some(ok.unchecked_ref()));
        tx.set_onabort(Some(failed.unchecked_ref()));
        tx.set_onerror(Some(failed.unchecked_ref()));
    })
}

/// Reads each of `keys` in one transaction (`None` where absent).
pub async fn get_all(keys: &[String]) -> Result<Vec<Option<String>>, JsValue> {
    let tx = transaction(IdbTransactionMode::Readonly).await?;
    let store = tx.object_store(STORE)?;
    let requests = keys
        .iter()
        .map(|k| store.get(&JsValue::from_str(k)))
        .collect::<Result<Vec<_>, _>>()?;
    let mut values = Vec::with_capacity(requests.len());
    for request in &requests {
        values.push(JsFuture::from(settle(request)).await?.as_string());
    }
    Ok(values)
}

/// Writes `puts` and deletes `deletes` in one transaction: all of it is saved, or none.
pub async fn write_all(puts: &[(String, &str)], deletes: &[String]) -> Result<(), JsValue> {
    write_all_if_present(puts, deletes, &[]).await.map(|_| ())
}

/// [`write_all`], but only if every key in `must_exist` is in the store when the transaction
/// runs (checked inside it, so no other tab's transaction can come between): `Ok(false)`, with
/// nothing written, when one is missing.
///
/// The key listing and the writes are queued together (one round trip to the browser's
/// storage, not two): requests run in order, so the listing answers before any write is done,
/// and a missing key aborts the transaction, which undoes the writes.
pub async fn write_all_if_present(
    puts: &[(String, &str)],
    deletes: &[String],
    must_exist: &[String],
) -> Result<bool, JsValue> {
    let tx = transaction(IdbTransactionMode::Readwrite).await?;
    let done = committed(&tx);
    let store = tx.object_store(STORE)?;
    let listed = if must_exist.is_empty() {
        None
    } else {
        Some(store.get_all_keys()?)
    };
    let queued = (|| {
        for (key, value) in puts {
            store.put_with_key(&JsValue::from_str(value), &JsValue::from_str(key))?;
        }
        for key in deletes {
            store.delete(&JsValue::from_str(key))?;
        }
        Ok::<(), JsValue>(())
    })();
    if let Err(e) = queued {
        let _ = tx.abort();
        return Err(e);
    }
    if let Some(listed) = listed {
        let keys: js_sys::Array = JsFuture::from(settle(&listed)).await?.dyn_into()?;
        let present: std::collections::HashSet<String> =
            keys.iter().filter_map(|k| k.as_string()).collect();
        if must_exist.iter().any(|k| !present.contains(k)) {
            let _ = tx.abort();
            return Ok(false);
        }
    }
    JsFuture::from(done).await.map(|_| true)
}

/// Deletes the keys `prefix + ID` whose ID is neither in `keep` nor among `refs` of the value
/// of `doc_key`, read in the same transaction: no other tab's save can come between the
/// reading and the deleting.
pub async fn delete_unreferenced(
    prefix: &str,
    doc_key: &str,
    keep: &std::collections::HashSet<String>,
    refs: impl Fn(&str) -> Vec<String>,
) -> Result<(), JsValue> {
    let tx = transaction(IdbTransactionMode::Readwrite).await?;
    let done = committed(&tx);
    let store = tx.object_store(STORE)?;
    let doc = store.get(&JsValue::from_str(doc_key))?;
    let listed = store.get_all_keys()?;
    let doc = JsFuture::from(settle(&doc)).await?.as_string();
    let keys: js_sys::Array = JsFuture::from(settle(&listed)).await?.dyn_into()?;
    let referenced: std::collections::HashSet<String> = doc
        .as_deref()
        .map(&refs)
        .unwrap_or_default()
        .into_iter()
        .collect();
    for key in keys.iter().filter_map(|k| k.as_string()) {
        if let Some(id) = key.strip_prefix(prefix)
            && !keep.contains(id)
            && !referenced.contains(id)
        {
            store.delete(&JsValue::from_str(&key))?;
        }
    }
    JsFuture::from(done).await.map(|_| ())
}

/// Writes `key`.
pub async fn put(key: &str, value: &str) -> Result<(), JsValue> {
    let tx = transaction(IdbTransactionMode::Readwrite).await?;
    let request = tx
        .object_store(STORE)?
        .put_with_key(&JsValue::from_str(value), &JsValue::from_str(key))?;
    JsFuture::from(settle(&request)).await.map(|_| ())
}
