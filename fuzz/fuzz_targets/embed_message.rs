//! The embed postMessage handler's input: the message data (JSON, as `serde_wasm_bindgen` gives
//! it) is read by the app's own `decide`, and what it asks is done as the handler does it (run a
//! line, load a state document, start a scenario, answer). `embed.json` parsing gets the input
//! too.
#![no_main]

use kmslab_web::embed::protocol::{Request, allowed_origins, decide, failure, success};
use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = allowed_origins(text);
    }
    let Ok(message) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let answer = match decide(&message) {
        Request::Hello | Request::Ignore => return,
        Request::Refuse { id, code, message } => failure(&id, code, &message),
        Request::Run { id, line } => {
            let mut session = kmslab_fuzz::fresh_session();
            let out = session.run_line_in_memory(&line);
            success(
                &id,
                json!({ "exitCode": out.exit_code, "stdout": out.stdout }),
            )
        }
        Request::Reset { id } | Request::State { id } => success(&id, json!({})),
        Request::Load { id, state } => {
            match document::LabDocument::load(&state, kmslab_fuzz::HOST) {
                Ok(doc) => {
                    let _ = doc.into_session();
                    success(&id, json!({}))
                }
                Err(e) => failure(&id, "InvalidState", &e.to_string()),
            }
        }
        Request::Start { id, scenario } => {
            let mut session = kmslab_fuzz::fresh_session();
            match lab::scenario::start(&mut session, &scenario, kmslab_fuzz::SEED) {
                Ok(_) => success(&id, json!({})),
                Err(e) => failure(&id, "ScenarioError", &e.to_string()),
            }
        }
    };
    let _ = std::hint::black_box(answer.to_string());
});
