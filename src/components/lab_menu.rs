//! The lab menu: export the world as a JSON file (the CLI's `--state` schema, so
//! `kmslab run --state FILE` continues from it), import one, or start over.

use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::hooks::use_lab;
use crate::state::{Action, Notice};
use crate::storage;

fn download(name: &str, text: &str) {
    let encoded: String = js_sys::encode_uri_component(text).into();
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Ok(a) = document.create_element("a")
        && let Ok(a) = a.dyn_into::<web_sys::HtmlAnchorElement>()
    {
        a.set_href(&format!("data:application/json;charset=utf-8,{encoded}"));
        a.set_download(name);
        a.click();
    }
}

#[component]
pub fn LabMenu() -> Html {
    let lab = use_lab();
    let open = use_state(|| false);
    let toggle = {
        let open = open.clone();
        Callback::from(move |_| open.set(!*open))
    };
    let export = {
        let lab = lab.clone();
        Callback::from(move |_| match lab.export() {
            Ok(doc) => download("kmslab-state.json", &doc),
            Err(e) => web_sys::console::warn_1(&e.into()),
        })
    };
    let import = {
        let lab = lab.clone();
        Callback::from(move |e: Event| {
            let Some(input) = e.target_dyn_into::<HtmlInputElement>() else {
                return;
            };
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            let lab = lab.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let text = wasm_bindgen_futures::JsFuture::from(file.text())
                    .await
                    .ok()
                    .and_then(|v| v.as_string())
                    .unwrap_or_default();
                match awscli::state::load(&text) {
                    Ok(mut session) => {
                        session.world.set_event_retention(storage::EVENT_RETENTION);
                        lab.dispatch(Action::Load(Box::new(session)));
                    }
                    Err(e) => lab.dispatch(Action::ShowNotice(Notice {
                        message: format!(
                            "That file could not be imported: {e}. Your current lab is unchanged."
                        ),
                        rejected_save: None,
                    })),
                }
            });
        })
    };
    let reset = {
        let lab = lab.clone();
        let open = open.clone();
        Callback::from(move |_| {
            let confirmed = web_sys::window()
                .and_then(|w| w.confirm_with_message("Start over with a fresh default world? Export first if you want to keep this one.").ok())
                .unwrap_or(false);
            if confirmed {
                lab.dispatch(Action::Reset {
                    seed: storage::random_seed(),
                    now_ms: storage::now_ms(),
                });
                open.set(false);
            }
        })
    };
    html! {
        <div class="lab-menu">
            <button class="btn-chip" aria-expanded={open.to_string()} aria-haspopup="true" onclick={toggle} data-testid="lab-menu">{ "Lab ▾" }</button>
            if *open {
                <div class="menu" role="menu">
                    <button role="menuitem" class="menu-item" onclick={export}>{ "Export world (JSON)" }</button>
                    <label role="menuitem" class="menu-item">{ "Import world…" }
                        <input type="file" accept="application/json,.json" class="visually-hidden" onchange={import} data-testid="import-file" />
                    </label>
                    <button role="menuitem" class="menu-item danger" onclick={reset}>{ "Reset lab" }</button>
                </div>
            }
        </div>
    }
}
