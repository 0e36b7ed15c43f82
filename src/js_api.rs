//! `window.kmsLab`: the JavaScript API for study sites and tests.
//!
//! `index.html` creates `window.kmsLab = { ready }` before the WebAssembly loads; once the app
//! has mounted, this module adds `run(line)`, `reset()` and `state()`, resolves `ready`, and fires
//! a `kmslab:ready` event on `window`. Everything goes through the store's actions, so what a
//! script runs shows in the terminal and the console exactly like what a learner types.
//!
//! - `run(line)` → `Promise<{ ok, exitCode, stdout, stderr, json, hint? }>`; failures resolve
//!   with `ok: false` (never reject). `json` is the parsed result when the output is JSON, else
//!   null; `hint` is the lab's explanation of a failure whose AWS message says less. A long
//!   command (`lab load …`) runs in chunks with a progress bar in the terminal and resolves when
//!   it is done, with the output its one-go run gives; lines sent meanwhile wait for it and run
//!   in order (see `state::job`).
//! - `reset()` → `Promise<void>`: a fresh default world.
//! - `state()` → the export object (the same versioned schema as `kmslab run --state`).

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;

use awscli::LineOutput;
use js_sys::{Function, Object, Promise, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use yew::UseReducerDispatcher;

use crate::state::{Action, LabState, ReplyValue};
use crate::storage;

/// The object `run` resolves with.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RunResult {
    ok: bool,
    exit_code: i32,
    stdout: String,
    stderr: String,
    json: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hint: Option<String>,
}

impl From<&LineOutput> for RunResult {
    fn from(o: &LineOutput) -> Self {
        // `json` is the parsed output when the output is JSON (aws-cli's default format), so
        // `--output text` answers carry none.
        let trimmed = o.stdout.trim();
        let json = (trimmed.starts_with('{') || trimmed.starts_with('['))
            .then(|| serde_json::from_str(trimmed).ok())
            .flatten();
        RunResult {
            ok: o.exit_code == 0,
            exit_code: o.exit_code,
            stdout: o.stdout.clone(),
            stderr: o.stderr.clone(),
            json,
            hint: o.hint.clone(),
        }
    }
}

fn to_js<T: Serialize>(value: &T) -> JsValue {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap_or(JsValue::NULL)
}

fn set(target: &Object, name: &str, value: &JsValue) {
    let _ = Reflect::set(target, &JsValue::from_str(name), value);
}

/// Who waits for a reply: a promise of `window.kmsLab`, or a host page driving an embed over
/// postMessage (answered with a `result` carrying the host's own request id).
#[derive(Debug)]
pub enum Responder {
    /// Resolves a `window.kmsLab` promise.
    Promise(Function),
    /// Posts a `result` to the embedding host (`crate::embed::protocol`).
    Host(serde_json::Value),
}

thread_local! {
    /// The state as last rendered (updated by an effect), for `state()`.
    static LATEST: RefCell<Option<LabState>> = const { RefCell::new(None) };
    /// Callers waiting for their reply, by request id.
    static PENDING: RefCell<BTreeMap<u64, Responder>> = const { RefCell::new(BTreeMap::new()) };
    /// The next request id.
    static NEXT_REQUEST: Cell<u64> = const { Cell::new(1) };
}

/// A new request id whose reply goes to `responder`.
pub fn next_request(responder: Responder) -> u64 {
    let id = NEXT_REQUEST.with(|n| {
        let id = n.get();
        n.set(id + 1);
        id
    });
    PENDING.with(|p| p.borrow_mut().insert(id, responder));
    id
}

/// The state document as last rendered (`None` before the lab has loaded).
pub fn latest_export() -> Option<Result<String, String>> {
    LATEST.with(|l| l.borrow().as_ref().map(LabState::export))
}

/// Keeps the rendered state for `state()` (called from an effect after every change).
pub fn publish(state: &LabState) {
    LATEST.with(|l| *l.borrow_mut() = Some(state.clone()));
}

/// Resolves the promises whose replies are queued; returns the highest request id delivered.
pub fn deliver(replies: &[(u64, ReplyValue)]) -> Option<u64> {
    let mut up_to = None;
    for (id, value) in replies {
        match PENDING.with(|p| p.borrow_mut().remove(id)) {
            Some(Responder::Promise(resolve)) => {
                let answer = match value {
                    ReplyValue::Line(out) => to_js(&RunResult::from(&**out)),
                    ReplyValue::Done => JsValue::UNDEFINED,
                    // Only a host's `start` or `load` fails this way (not a promise of
                    // `window.kmsLab` today); shaped as `run`'s protocol failures are.
                    ReplyValue::Failed { code, message } => to_js(&serde_json::json!({
                        "ok": false, "error": { "code": code, "message": message } })),
                };
                let _ = resolve.call1(&JsValue::NULL, &answer);
            }
            Some(Responder::Host(host_id)) => {
                use crate::embed::protocol;
                let message = match value {
                    // `run`: its own `ok` (false when the command failed) replaces the default.
                    ReplyValue::Line(out) => {
                        let r = RunResult::from(&**out);
                        protocol::success(
                            &host_id,
                            serde_json::json!({ "ok": r.ok, "exitCode": r.exit_code,
                                "stdout": r.stdout, "stderr": r.stderr, "json": r.json }),
                        )
                    }
                    ReplyValue::Done => protocol::success(&host_id, serde_json::json!({})),
                    ReplyValue::Failed { code, message } => {
                        protocol::failure(&host_id, code, message)
                    }
                };
                protocol::post(&message);
            }
            None => {}
        }
        up_to = up_to.max(Some(*id));
    }
    up_to
}

/// Installs the API on `window.kmsLab` (once per page).
pub fn install(dispatcher: UseReducerDispatcher<LabState>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let api: Object = Reflect::get(&window, &JsValue::from_str("kmsLab"))
        .ok()
        .and_then(|v| v.dyn_into::<Object>().ok())
        .unwrap_or_default();

    let d = dispatcher.clone();
    let run = Closure::<dyn Fn(JsValue) -> Promise>::new(move |line: JsValue| {
        let text = line.as_string().unwrap_or_default();
        let d = d.clone();
        Promise::new(&mut |resolve: Function, _reject: Function| {
            let request = next_request(Responder::Promise(resolve));
            d.dispatch(Action::Sync {
                real_now_ms: storage::now_ms(),
            });
            d.dispatch(Action::RunFor {
                text: text.clone(),
                request,
            });
        })
    });
    set(&api, "run", run.as_ref());
    run.forget();

    let d = dispatcher;
    let reset = Closure::<dyn Fn() -> Promise>::new(move || {
        let d = d.clone();
        Promise::new(&mut |resolve: Function, _reject: Function| {
            let request = next_request(Responder::Promise(resolve));
            d.dispatch(Action::Reset {
                seed: storage::random_seed(),
                now_ms: storage::now_ms(),
                request: Some(request),
            });
        })
    });
    set(&api, "reset", reset.as_ref());
    reset.forget();

    let state = Closure::<dyn Fn() -> JsValue>::new(move || {
        LATEST.with(|l| {
            l.borrow()
                .as_ref()
                .and_then(|s| s.export().ok())
                .and_then(|doc| js_sys::JSON::parse(&doc).ok())
                .unwrap_or(JsValue::NULL)
        })
    });
    set(&api, "state", state.as_ref());
    state.forget();

    set(
        &api,
        "version",
        &JsValue::from_str(env!("CARGO_PKG_VERSION")),
    );
    set(&window, "kmsLab", &api);

    // Resolve the `ready` promise that index.html created, and announce readiness.
    match Reflect::get(&window, &JsValue::from_str("__kmsLabResolveReady"))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
    {
        Some(resolve) => {
            let _ = resolve.call1(&JsValue::NULL, &api);
        }
        None => set(&api, "ready", &Promise::resolve(&api)),
    }
    if let Ok(event) = web_sys::CustomEvent::new("kmslab:ready") {
        let _ = window.dispatch_event(&event);
    }
}
