//! The versioned postMessage protocol between an embedded lab and the page that frames it.
//! It is a contract (README, "Embedding"): every message is an object with `kmslab: 1` and a
//! `type`.
//!
//! - Host → lab: `hello`, `run {id, line}`, `reset {id}`, `state {id}`, `load {id, state}`,
//!   `start {id, scenario}`. Every request gets exactly one `result {id, ok, …}`.
//! - Lab → host: `ready {version, route}` (on load and in answer to `hello`), `result`, and the
//!   events `resize {height}`, `objective`, `completed`, `answered`, `changed {revision}`.
//! - Security: only messages whose `source` is the parent window are read; an optional
//!   `embed.json` beside `index.html` (a JSON list of origins) restricts who may drive the lab;
//!   requests count only after a `hello`, and the lab posts only to the origin that said
//!   `hello`. Before that it posts only `ready`, and only to the origin of `document.referrer`.
//!   Nothing is ever posted to `'*'`.
//!
//! What a message asks is decided by [`decide`] (pure, tested natively); this module's browser
//! half listens, checks the sender, dispatches store actions and posts the answers.

use std::cell::RefCell;
use std::collections::BTreeMap;

use serde_json::{Value, json};

/// The protocol version (`kmslab: 1`).
pub const VERSION: u64 = 1;

/// What a host message asks the lab to do.
#[derive(Clone, Debug, PartialEq)]
pub enum Request {
    /// The handshake: the sender's origin becomes the host.
    Hello,
    /// Run a line in the view's shell session.
    Run { id: Value, line: String },
    /// A fresh default world.
    Reset { id: Value },
    /// The state document.
    State { id: Value },
    /// Replace the world with a state document (an object or its JSON text).
    Load { id: Value, state: String },
    /// Start a scenario.
    Start { id: Value, scenario: String },
    /// A request that cannot be served: answer `ok:false` with this error.
    Refuse {
        id: Value,
        code: &'static str,
        message: String,
    },
    /// Not for the lab (no `kmslab: 1`), or malformed without an `id`: ignored.
    Ignore,
}

/// Reads one message's data.
pub fn decide(data: &Value) -> Request {
    let Some(obj) = data.as_object() else {
        return Request::Ignore;
    };
    if obj.get("kmslab").and_then(Value::as_u64) != Some(VERSION) {
        return Request::Ignore;
    }
    let kind = obj.get("type").and_then(Value::as_str).unwrap_or_default();
    if kind == "hello" {
        return Request::Hello;
    }
    let Some(id) = obj.get("id").filter(|v| v.is_string() || v.is_number()) else {
        return Request::Ignore;
    };
    let id = id.clone();
    let text = |name: &str| obj.get(name).and_then(Value::as_str).map(str::to_owned);
    let missing = |name: &str| Request::Refuse {
        id: id.clone(),
        code: "MissingField",
        message: format!("a `{kind}` message needs a string `{name}`"),
    };
    match kind {
        "run" => match text("line") {
            Some(line) => Request::Run { id, line },
            None => missing("line"),
        },
        "reset" => Request::Reset { id },
        "state" => Request::State { id },
        "load" => match obj.get("state") {
            Some(Value::String(s)) => Request::Load {
                id,
                state: s.clone(),
            },
            Some(v @ Value::Object(_)) => Request::Load {
                id,
                state: integral_numbers(v.clone()).to_string(),
            },
            _ => Request::Refuse {
                id,
                code: "MissingField",
                message: "a `load` message needs `state`: a state document (object or JSON text)"
                    .into(),
            },
        },
        "start" => match text("scenario") {
            Some(s) if lab::scenario::get(&s).is_some() => Request::Start { id, scenario: s },
            Some(s) => Request::Refuse {
                id,
                code: "UnknownScenario",
                message: format!("there is no scenario `{s}`"),
            },
            None => missing("scenario"),
        },
        other => Request::Refuse {
            id,
            code: "UnknownType",
            message: format!("unknown message type `{other}`"),
        },
    }
}

/// Whole numbers that reached the lab as JavaScript numbers (floats: a state object's 64-bit
/// seeds are beyond 2^53) become integers again, so a state document read with `state` loads
/// back with `load`. They were rounded on the way through JavaScript; hosts that need them exact
/// pass the state as JSON text.
fn integral_numbers(v: Value) -> Value {
    match v {
        Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() >= 9_007_199_254_740_992.0 => {
                if f >= 0.0 {
                    Value::from(if f >= u64::MAX as f64 {
                        u64::MAX
                    } else {
                        f as u64
                    })
                } else {
                    Value::from(f as i64)
                }
            }
            _ => Value::Number(n),
        },
        Value::Array(a) => Value::Array(a.into_iter().map(integral_numbers).collect()),
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, v)| (k, integral_numbers(v)))
                .collect(),
        ),
        other => other,
    }
}

/// A `result` that failed.
pub fn failure(id: &Value, code: &str, message: &str) -> Value {
    json!({ "kmslab": VERSION, "type": "result", "id": id, "ok": false,
            "error": { "code": code, "message": message } })
}

/// A `result` that succeeded, with extra members.
pub fn success(id: &Value, extra: Value) -> Value {
    let mut v = json!({ "kmslab": VERSION, "type": "result", "id": id, "ok": true });
    if let (Some(m), Value::Object(extra)) = (v.as_object_mut(), extra) {
        m.extend(extra);
    }
    v
}

/// A scenario's score: counted objectives passed, of all counted.
fn score(results: &[lab::scenario::ObjectiveResult]) -> (usize, usize) {
    use lab::scenario::Status;
    let counted: Vec<_> = results
        .iter()
        .filter(|r| r.status != Status::Pending)
        .collect();
    let passed = counted
        .iter()
        .filter(|r| r.status == Status::Passed)
        .count();
    (passed, counted.len())
}

/// What the events remember between revisions.
#[derive(Debug, Default)]
pub struct Seen {
    /// The scenario graded last, and each objective's state then.
    objectives: Option<(String, BTreeMap<&'static str, bool>)>,
    /// Whether that scenario was complete.
    completed: bool,
    /// Answers given so far, by question (right + wrong).
    answers: BTreeMap<String, u32>,
}

/// The events a new revision causes (objective changes, completion, quiz answers), in order.
/// The first call only takes a baseline: a reloaded lab announces nothing it had already done.
pub fn events(
    seen: &mut Option<Seen>,
    grading: Option<&crate::state::Grading>,
    progress: &lab::progress::Progress,
) -> Vec<Value> {
    let baseline = seen.is_none();
    let seen = seen.get_or_insert_with(Seen::default);
    let mut out = Vec::new();
    // A baseline with no grading yet (the scenarios' checks arrive after the first download):
    // the active scenario's saved progress stands for it, so grading it later announces only
    // what changed since.
    if baseline
        && grading.is_none()
        && let Some(id) = lab::progress::active_scenario(progress)
        && let Some(p) = lab::progress::scenario(progress, &id)
        && let Some(s) = lab::scenario::get(&id)
    {
        let before: BTreeMap<&'static str, bool> = s
            .objectives
            .iter()
            .map(|o| (o.id, p.objectives.get(o.id).is_some_and(|x| x.passed)))
            .collect();
        seen.completed = !before.is_empty() && before.values().all(|passed| *passed);
        seen.objectives = Some((id, before));
    }
    // Scenario objectives.
    if let Some(g) = grading
        && let Ok(results) = &g.results
    {
        let now: BTreeMap<&'static str, bool> = results
            .iter()
            .filter(|r| r.status != lab::scenario::Status::Pending)
            .map(|r| (r.id, r.status == lab::scenario::Status::Passed))
            .collect();
        let (passed, total) = score(results);
        let same_scenario = seen
            .objectives
            .as_ref()
            .is_some_and(|(id, _)| *id == g.scenario);
        if !same_scenario {
            seen.completed = false;
        }
        if !baseline {
            for (objective, passed_now) in &now {
                let before = seen
                    .objectives
                    .as_ref()
                    .filter(|_| same_scenario)
                    .and_then(|(_, m)| m.get(objective).copied())
                    .unwrap_or(false);
                if before != *passed_now {
                    out.push(json!({ "kmslab": VERSION, "type": "objective",
                        "scenario": g.scenario, "objective": objective, "passed": passed_now,
                        "score": { "passed": passed, "total": total } }));
                }
            }
        }
        let complete = total > 0 && passed == total;
        if complete && !seen.completed && !baseline {
            out.push(
                json!({ "kmslab": VERSION, "type": "completed", "scenario": g.scenario,
                "score": { "passed": passed, "total": total } }),
            );
        }
        seen.completed = complete;
        seen.objectives = Some((g.scenario.clone(), now));
    }
    // Quiz answers.
    let answered = progress
        .quiz
        .values()
        .filter(|q| q.right + q.wrong > 0)
        .count();
    let correct = progress
        .quiz
        .values()
        .filter(|q| q.right + q.wrong > 0 && q.last_correct)
        .count();
    for (question, q) in &progress.quiz {
        let count = q.right + q.wrong;
        let before = seen.answers.insert(question.clone(), count).unwrap_or(0);
        if count > before && !baseline {
            out.push(
                json!({ "kmslab": VERSION, "type": "answered", "question": question,
                "correct": q.last_correct, "score": { "correct": correct, "answered": answered } }),
            );
        }
    }
    seen.answers.retain(|k, _| progress.quiz.contains_key(k));
    out
}

/// The origins an `embed.json` allows (`None`: the file is absent or unreadable, so any).
pub fn allowed_origins(text: &str) -> Option<Vec<String>> {
    let v: Value = serde_json::from_str(text).ok()?;
    let list = match &v {
        Value::Array(a) => a,
        Value::Object(o) => o.get("allowedOrigins")?.as_array()?,
        _ => return None,
    };
    Some(
        list.iter()
            .filter_map(Value::as_str)
            .map(|s| s.trim_end_matches('/').to_owned())
            .collect(),
    )
}

/// The browser half: listening, checking the sender, posting.
mod browser {
    use super::*;

    use js_sys::{Object, Reflect};
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::*;
    use yew::UseReducerDispatcher;

    use crate::state::{Action, LabState, ScenarioIntent};
    use crate::storage;

    /// Whether the allowlist is known yet, and what it says.
    #[derive(Debug)]
    enum Allowed {
        /// `embed.json` is being fetched: messages wait.
        Pending(Vec<(Value, String)>),
        /// Any origin (no `embed.json`).
        Any,
        /// Only these origins.
        Only(Vec<String>),
    }

    struct Host {
        /// The origin that said `hello`.
        origin: Option<String>,
        allowed: Allowed,
        dispatcher: Option<UseReducerDispatcher<LabState>>,
        /// The last height posted.
        height: i32,
        seen: Option<Seen>,
    }

    thread_local! {
        static HOST: RefCell<Host> = const { RefCell::new(Host {
            origin: None,
            allowed: Allowed::Pending(Vec::new()),
            dispatcher: None,
            height: -1,
            seen: None,
        }) };
    }

    fn parent() -> Option<web_sys::Window> {
        let window = web_sys::window()?;
        let parent = window.parent().ok().flatten()?;
        // A top-level page is its own parent: nobody frames it.
        (!Object::is(&parent, &window)).then_some(parent)
    }

    fn post_to(message: &Value, origin: &str) {
        let Some(parent) = parent() else {
            return;
        };
        // Through JSON text, as `window.kmsLab.state()` does: a state document holds 64-bit
        // numbers that a direct conversion refuses.
        let data = serde_json::to_string(message)
            .ok()
            .and_then(|text| js_sys::JSON::parse(&text).ok())
            .unwrap_or(JsValue::NULL);
        let _ = parent.post_message(&data, origin);
    }

    /// Posts to the host that said `hello` (nothing before that).
    pub fn post(message: &Value) {
        if let Some(origin) = HOST.with(|h| h.borrow().origin.clone()) {
            post_to(message, &origin);
        }
    }

    fn ready_message() -> Value {
        let route = web_sys::window()
            .and_then(|w| w.location().hash().ok())
            .unwrap_or_default();
        json!({ "kmslab": VERSION, "type": "ready", "version": env!("CARGO_PKG_VERSION"),
                "route": route.trim_start_matches('#') })
    }

    fn referrer_origin() -> Option<String> {
        let referrer = web_sys::window()?.document()?.referrer();
        let url = web_sys::Url::new(&referrer).ok()?;
        let origin = url.origin();
        (origin != "null" && !origin.is_empty()).then_some(origin)
    }

    fn is_allowed(allowed: &Allowed, origin: &str) -> bool {
        match allowed {
            Allowed::Any | Allowed::Pending(_) => true,
            Allowed::Only(list) => list.iter().any(|o| o == origin),
        }
    }

    /// Serves one message from the parent window at `origin`.
    fn handle(data: Value, origin: String) {
        let request = decide(&data);
        let (host_origin, dispatcher) = HOST.with(|h| {
            let h = h.borrow();
            (h.origin.clone(), h.dispatcher.clone())
        });
        if request == Request::Hello {
            HOST.with(|h| h.borrow_mut().origin = Some(origin.clone()));
            post_to(&ready_message(), &origin);
            send_height(true);
            return;
        }
        // Requests count only from the host that said hello.
        if host_origin.as_deref() != Some(origin.as_str()) {
            return;
        }
        let Some(d) = dispatcher else {
            return;
        };
        match request {
            Request::Hello | Request::Ignore => {}
            Request::Refuse { id, code, message } => post(&failure(&id, code, &message)),
            Request::Run { id, line } => {
                let request = crate::js_api::next_request(crate::js_api::Responder::Host(id));
                d.dispatch(Action::Sync {
                    real_now_ms: storage::now_ms(),
                });
                d.dispatch(Action::RunFor {
                    text: line,
                    request,
                });
            }
            Request::Reset { id } => {
                let request = crate::js_api::next_request(crate::js_api::Responder::Host(id));
                d.dispatch(Action::Reset {
                    seed: storage::random_seed(),
                    now_ms: storage::now_ms(),
                    request: Some(request),
                });
            }
            Request::State { id } => match crate::js_api::latest_export() {
                Some(Ok(doc)) => {
                    let state: Value = serde_json::from_str(&doc).unwrap_or(Value::Null);
                    post(&success(&id, json!({ "state": state })));
                }
                Some(Err(e)) => post(&failure(&id, "StateUnavailable", &e)),
                None => post(&failure(&id, "NotReady", "the lab is still loading")),
            },
            Request::Load { id, state } => {
                match document::LabDocument::load(&state, storage::HOST) {
                    Ok(doc) => {
                        // Answered once it has run (after what waits for the engine's chunk).
                        let request =
                            crate::js_api::next_request(crate::js_api::Responder::Host(id));
                        d.dispatch(Action::LoadFor {
                            session: Box::new(doc.into_session()),
                            request,
                        });
                    }
                    Err(e) => post(&failure(&id, "InvalidState", &e.to_string())),
                }
            }
            Request::Start { id, scenario } => {
                d.dispatch(Action::Sync {
                    real_now_ms: storage::now_ms(),
                });
                // Answered once it has run: a set-up may wait for the engine's chunk.
                let request = crate::js_api::next_request(crate::js_api::Responder::Host(id));
                d.dispatch(Action::ScenarioFor {
                    intent: ScenarioIntent::Start {
                        id: scenario,
                        seed: storage::random_seed(),
                    },
                    request,
                });
            }
        }
    }

    fn on_message(event: web_sys::MessageEvent) {
        let Some(parent) = parent() else {
            return;
        };
        // Only the parent window may drive the lab.
        let from_parent = event
            .source()
            .is_some_and(|s| Object::is(&s, parent.as_ref()));
        if !from_parent {
            return;
        }
        let origin = event.origin();
        let Ok(data) = serde_wasm_bindgen::from_value::<Value>(event.data()) else {
            return;
        };
        let go = HOST.with(|h| {
            let mut h = h.borrow_mut();
            if let Allowed::Pending(queue) = &mut h.allowed {
                queue.push((data.clone(), origin.clone()));
                return false;
            }
            is_allowed(&h.allowed, &origin)
        });
        if go {
            handle(data, origin);
        }
    }

    /// Settles the allowlist, then serves the messages that waited for it.
    fn settle(allowed: Allowed) {
        let queued = HOST.with(|h| {
            let mut h = h.borrow_mut();
            match std::mem::replace(&mut h.allowed, allowed) {
                Allowed::Pending(q) => q,
                _ => Vec::new(),
            }
        });
        for (data, origin) in queued {
            if HOST.with(|h| is_allowed(&h.borrow().allowed, &origin)) {
                handle(data, origin);
            }
        }
    }

    async fn fetch_allowlist() -> Allowed {
        let Some(window) = web_sys::window() else {
            return Allowed::Any;
        };
        let response = wasm_bindgen_futures::JsFuture::from(window.fetch_with_str("embed.json"))
            .await
            .ok()
            .and_then(|r| r.dyn_into::<web_sys::Response>().ok())
            .filter(web_sys::Response::ok);
        let Some(response) = response else {
            return Allowed::Any;
        };
        let text = match response.text() {
            Ok(p) => wasm_bindgen_futures::JsFuture::from(p)
                .await
                .ok()
                .and_then(|t| t.as_string()),
            Err(_) => None,
        };
        // A file that is there but unreadable allows nobody: better shut than open.
        match text.map(|t| allowed_origins(&t)) {
            Some(Some(list)) => Allowed::Only(list),
            _ => Allowed::Only(Vec::new()),
        }
    }

    /// Posts the content height when it changed (`force`: always).
    pub fn send_height(force: bool) {
        let height = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
            .map_or(0, |e| {
                let shell = e.query_selector(".embed-shell").ok().flatten();
                shell.map_or(e.scroll_height(), |s| s.scroll_height())
            });
        let changed = HOST.with(|h| {
            let mut h = h.borrow_mut();
            let changed = h.height != height;
            h.height = height;
            changed
        });
        if changed || force {
            post(&json!({ "kmslab": VERSION, "type": "resize", "height": height }));
        }
    }

    /// Starts listening (once, when the lab has loaded) and announces the lab to the page that
    /// framed it.
    pub fn install(dispatcher: UseReducerDispatcher<LabState>) {
        let Some(window) = web_sys::window() else {
            return;
        };
        if parent().is_none() {
            return;
        }
        HOST.with(|h| h.borrow_mut().dispatcher = Some(dispatcher));
        let listener = Closure::<dyn Fn(web_sys::MessageEvent)>::new(on_message).into_js_value();
        let _ = window.add_event_listener_with_callback("message", listener.unchecked_ref());
        // Heights change as pages render and panels open.
        let resize = Closure::<dyn Fn()>::new(|| send_height(false)).into_js_value();
        if let Ok(observer) = web_sys::ResizeObserver::new(resize.unchecked_ref())
            && let Some(root) = window.document().and_then(|d| d.document_element())
        {
            observer.observe(&root);
            if let Some(body) = window.document().and_then(|d| d.body()) {
                observer.observe(&body);
            }
            let _ = Reflect::set(&window, &"__kmsLabResize".into(), &observer);
        }
        wasm_bindgen_futures::spawn_local(async {
            let allowed = fetch_allowlist().await;
            // Before any hello: `ready`, and only to the referrer's origin (if it may drive us).
            if let Some(origin) = referrer_origin()
                && is_allowed(&allowed, &origin)
            {
                post_to(&ready_message(), &origin);
            }
            settle(allowed);
        });
    }

    /// After a revision: `changed`, then the objective, completion and answer events.
    pub fn after_revision(state: &LabState) {
        if HOST.with(|h| h.borrow().dispatcher.is_none()) {
            return;
        }
        let events = state.with_session(|s| {
            HOST.with(|h| {
                events(
                    &mut h.borrow_mut().seen,
                    state.grading.as_deref(),
                    &s.progress,
                )
            })
        });
        post(&json!({ "kmslab": VERSION, "type": "changed", "revision": state.revision }));
        for e in &events {
            post(e);
        }
        send_height(false);
    }
}

pub use browser::{after_revision, install, post};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_without_the_version_or_an_id_are_ignored() {
        assert_eq!(decide(&json!("hello")), Request::Ignore);
        assert_eq!(
            decide(&json!({ "type": "run", "id": 1, "line": "x" })),
            Request::Ignore
        );
        assert_eq!(
            decide(&json!({ "kmslab": 2, "type": "hello" })),
            Request::Ignore
        );
        assert_eq!(
            decide(&json!({ "kmslab": 1, "type": "run", "line": "x" })),
            Request::Ignore
        );
        assert_eq!(
            decide(&json!({ "kmslab": 1, "type": "hello" })),
            Request::Hello
        );
    }

    #[test]
    fn requests_are_read_and_bad_ones_refused_with_their_id() {
        assert_eq!(
            decide(
                &json!({ "kmslab": 1, "type": "run", "id": "a", "line": "aws sts get-caller-identity" })
            ),
            Request::Run {
                id: json!("a"),
                line: "aws sts get-caller-identity".into()
            }
        );
        assert!(matches!(
            decide(&json!({ "kmslab": 1, "type": "run", "id": 3 })),
            Request::Refuse {
                code: "MissingField",
                ..
            }
        ));
        assert!(matches!(
            decide(&json!({ "kmslab": 1, "type": "start", "id": 3, "scenario": "nope" })),
            Request::Refuse {
                code: "UnknownScenario",
                ..
            }
        ));
        assert_eq!(
            decide(&json!({ "kmslab": 1, "type": "start", "id": 3, "scenario": "key-rotation" })),
            Request::Start {
                id: json!(3),
                scenario: "key-rotation".into()
            }
        );
        assert!(matches!(
            decide(&json!({ "kmslab": 1, "type": "fly", "id": 3 })),
            Request::Refuse {
                code: "UnknownType",
                ..
            }
        ));
        assert_eq!(
            decide(&json!({ "kmslab": 1, "type": "load", "id": 4, "state": { "kind": "x" } })),
            Request::Load {
                id: json!(4),
                state: r#"{"kind":"x"}"#.into()
            }
        );
        let f = failure(&json!(9), "UnknownType", "m");
        assert_eq!(f["ok"], json!(false));
        assert_eq!(f["id"], json!(9));
        assert_eq!(success(&json!(9), json!({ "state": 1 }))["state"], json!(1));
    }

    /// A reloaded lab's baseline comes before its scenario is graded (the checks arrive after
    /// the first download): what the saved progress already had is not announced again.
    #[test]
    fn a_baseline_before_grading_takes_the_saved_progress() {
        let id = "scheduled-deletion";
        let mut s = awscli::Session::new(7, 1_795_377_600_000);
        lab::scenario::start(&mut s, id, 1).unwrap();
        let solution = lab::scenario::get(id)
            .and_then(|sc| sc.solutions[0].script(1))
            .unwrap();
        assert!(lab::script::run(&mut s, &solution).1);
        let solved = lab::scenario::record(&mut s, id).unwrap();
        assert!(
            solved
                .iter()
                .all(|r| r.status == lab::scenario::Status::Passed)
        );
        let grading = |results| crate::state::Grading {
            scenario: id.into(),
            results: Ok(results),
            wrong_turns: Vec::new(),
        };

        let mut seen = None;
        assert!(events(&mut seen, None, &s.progress).is_empty());
        assert!(
            events(&mut seen, Some(&grading(solved.clone())), &s.progress).is_empty(),
            "graded later: nothing it had already done is announced"
        );
        // A change after that is.
        let mut lost = solved.clone();
        lost[0].status = lab::scenario::Status::Failed;
        let e = events(&mut seen, Some(&grading(lost)), &s.progress);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0]["type"], json!("objective"));
        assert_eq!(e[0]["passed"], json!(false));
        let e = events(&mut seen, Some(&grading(solved)), &s.progress);
        assert_eq!(
            e.iter().map(|m| m["type"].clone()).collect::<Vec<_>>(),
            [json!("objective"), json!("completed")]
        );
    }

    #[test]
    fn quiz_answers_are_announced_after_the_baseline() {
        let mut seen = None;
        let mut p = lab::progress::Progress::default();
        lab::progress::record_answer(&mut p, "old", true, 0);
        assert!(
            events(&mut seen, None, &p).is_empty(),
            "the baseline announces nothing"
        );
        lab::progress::record_answer(&mut p, "q1", false, 1);
        let e = events(&mut seen, None, &p);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0]["type"], json!("answered"));
        assert_eq!(e[0]["question"], json!("q1"));
        assert_eq!(e[0]["correct"], json!(false));
        assert_eq!(e[0]["score"], json!({ "correct": 1, "answered": 2 }));
        assert!(
            events(&mut seen, None, &p).is_empty(),
            "nothing new, nothing sent"
        );
    }

    #[test]
    fn a_state_object_that_went_through_javascript_numbers_loads_back() {
        let seed = 13_436_114_227_816_833_000_u64;
        let through_js = json!({ "seed": seed as f64, "small": 3.0, "half": 1.5, "list": [1e19] });
        let fixed = integral_numbers(through_js);
        // The nearest double, as JavaScript held it.
        assert_eq!(fixed["seed"].as_u64(), Some(seed as f64 as u64));
        assert_eq!(fixed["half"], json!(1.5));
        assert_eq!(fixed["small"], json!(3.0), "small floats stay as they are");
        assert_eq!(fixed["list"][0].as_u64(), Some(10_000_000_000_000_000_000));
    }

    #[test]
    fn allowlists_read_as_lists_of_origins() {
        assert_eq!(
            allowed_origins(r#"["https://study.example/", "http://127.0.0.1:9000"]"#),
            Some(vec![
                "https://study.example".into(),
                "http://127.0.0.1:9000".into()
            ])
        );
        assert_eq!(
            allowed_origins(r#"{"allowedOrigins": ["https://a.example"]}"#),
            Some(vec!["https://a.example".into()])
        );
        assert_eq!(allowed_origins("nonsense"), None);
    }
}
