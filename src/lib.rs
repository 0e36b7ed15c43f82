//! KMS Lab in the browser: a thin Yew shell over the engine crates (`cloud`, `awscli`, `lab`).
//!
//! Layout follows Yew's `function_router` / `function_todomvc` examples: `app.rs` holds the route
//! enum and the layout, `pages/` one component per route, `components/` reusable pieces that take
//! data plus callbacks, `hooks/` the `use_lab` handle, and `state.rs` the reducer whose actions are
//! user intents.

// Links the word-at-a-time memcmp/bcmp in place of compiler-builtins' on wasm32.
use wasm_mem as _;

pub mod app;
pub mod components;
pub mod embed;
mod export;
pub mod hooks;
mod idb;
mod job_runner;
pub mod js_api;
pub mod lazy;
pub mod pages;
mod persist;
pub mod quiz_bank;
mod saved_parts;
pub mod scenario_data;
pub mod state;
pub mod storage;
pub mod views;

/// Mounts the app on `<body>`, replacing the boot placeholder.
pub fn start() {
    if let Some(boot) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("boot"))
    {
        boot.remove();
    }
    embed::apply_theme();
    yew::Renderer::<app::App>::new().render();
}
