//! The lab menu: export the world as a JSON file (the CLI's `--state` schema, so
//! `kmslab run --state FILE` continues from it), import one, or start over.
//!
//! It follows the WAI-ARIA menu button pattern: Enter, Space or ↓ on the button opens the menu
//! on its first item (↑ on its last); ↑/↓/Home/End move between items; Escape closes it and
//! returns focus to the button; Tab, a click outside and a change of page close it.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{HtmlElement, HtmlInputElement};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::hooks::use_lab;
use crate::state::Notice;
use crate::storage;

/// The menu's items, in order (the refs of their buttons).
const ITEMS: usize = 3;

fn focus(node: &NodeRef) {
    if let Some(el) = node.cast::<HtmlElement>() {
        let _ = el.focus();
    }
}

/// Which item has the focus, if any.
fn focused_item(items: &[NodeRef]) -> Option<usize> {
    let active = web_sys::window()?.document()?.active_element()?;
    items.iter().position(|item| {
        item.get()
            .is_some_and(|node| node.is_same_node(Some(&active)))
    })
}

#[component]
pub fn LabMenu() -> Html {
    let lab = use_lab();
    let open = use_state(|| false);
    let root = use_node_ref();
    let button = use_node_ref();
    let file_input = use_node_ref();
    let items: Rc<Vec<NodeRef>> =
        use_memo((), |_| (0..ITEMS).map(|_| NodeRef::default()).collect());
    // The item to focus once the menu has rendered (it is not in the DOM before).
    let pending_focus = use_mut_ref(|| None::<usize>);
    let route = use_route::<Route>();

    {
        let items = items.clone();
        let pending_focus = pending_focus.clone();
        use_effect(move || {
            if let Some(i) = pending_focus.borrow_mut().take()
                && let Some(item) = items.get(i)
            {
                focus(item);
            }
        });
    }
    // A change of page closes the menu.
    use_effect_with(route, {
        let open = open.clone();
        move |_| {
            if *open {
                open.set(false);
            }
        }
    });
    // A click (or tap) outside closes it.
    use_effect_with(*open, {
        let open = open.clone();
        let root = root.clone();
        move |is_open| {
            let document = web_sys::window().and_then(|w| w.document());
            let listener = (*is_open).then(|| {
                Closure::<dyn Fn(Event)>::new(move |e: Event| {
                    let target = e.target().and_then(|t| t.dyn_into::<web_sys::Node>().ok());
                    let inside = root
                        .cast::<web_sys::Node>()
                        .is_some_and(|r| r.contains(target.as_ref()));
                    if !inside {
                        open.set(false);
                    }
                })
            });
            if let (Some(document), Some(listener)) = (&document, &listener) {
                let _ = document.add_event_listener_with_callback(
                    "pointerdown",
                    listener.as_ref().unchecked_ref(),
                );
            }
            move || {
                if let (Some(document), Some(listener)) = (document, listener) {
                    let _ = document.remove_event_listener_with_callback(
                        "pointerdown",
                        listener.as_ref().unchecked_ref(),
                    );
                }
            }
        }
    });

    // Opens the menu (if it is closed) with the focus on item `i`.
    let open_at = {
        let open = open.clone();
        let items = items.clone();
        let pending_focus = pending_focus.clone();
        Rc::new(move |i: usize| {
            if *open {
                if let Some(item) = items.get(i) {
                    focus(item);
                }
            } else {
                *pending_focus.borrow_mut() = Some(i);
                open.set(true);
            }
        })
    };
    // Closes the menu, optionally returning the focus to its button.
    let close = {
        let open = open.clone();
        let button = button.clone();
        Rc::new(move |refocus: bool| {
            open.set(false);
            if refocus {
                focus(&button);
            }
        })
    };

    let toggle = {
        let open_at = open_at.clone();
        let close = close.clone();
        let is_open = *open;
        Callback::from(move |_: MouseEvent| {
            if is_open {
                close(false);
            } else {
                open_at(0);
            }
        })
    };
    let on_button_key = {
        let open_at = open_at.clone();
        let close = close.clone();
        let is_open = *open;
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "Enter" | " " | "ArrowDown" => {
                e.prevent_default();
                open_at(0);
            }
            "ArrowUp" => {
                e.prevent_default();
                open_at(ITEMS - 1);
            }
            "Escape" if is_open => {
                e.prevent_default();
                close(true);
            }
            _ => {}
        })
    };
    let on_menu_key = {
        let items = items.clone();
        let close = close.clone();
        Callback::from(move |e: KeyboardEvent| {
            let current = focused_item(&items);
            let next = match e.key().as_str() {
                "ArrowDown" => current.map_or(0, |i| (i + 1) % ITEMS),
                "ArrowUp" => current.map_or(ITEMS - 1, |i| (i + ITEMS - 1) % ITEMS),
                "Home" => 0,
                "End" => ITEMS - 1,
                "Escape" => {
                    e.prevent_default();
                    e.stop_propagation();
                    close(true);
                    return;
                }
                "Tab" => {
                    // Back on the button, the browser's own Tab then moves on from there.
                    close(true);
                    return;
                }
                _ => return,
            };
            e.prevent_default();
            if let Some(item) = items.get(next) {
                focus(item);
            }
        })
    };

    let export = {
        let lab = lab.clone();
        let close = close.clone();
        Callback::from(move |_| {
            close(true);
            // One export at a time: the bar shows the one under way.
            if lab.export.is_some() {
                return;
            }
            let lab = lab.clone();
            let report = lab.clone();
            crate::export::download_world(
                "kmslab-state.json",
                move |cache, max_new| lab.export_in_parts(cache, max_new),
                move |progress| report.export_progressed(progress),
            );
        })
    };
    let choose_file = {
        let file_input = file_input.clone();
        let close = close.clone();
        Callback::from(move |_| {
            close(true);
            if let Some(input) = file_input.cast::<HtmlInputElement>() {
                input.click();
            }
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
            // Choosing the same file again is a new import.
            input.set_value("");
            let lab = lab.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let text = wasm_bindgen_futures::JsFuture::from(file.text())
                    .await
                    .ok()
                    .and_then(|v| v.as_string())
                    .unwrap_or_default();
                match document::LabDocument::load(&text, storage::HOST) {
                    Ok(doc) => {
                        lab.load_world(doc.into_session());
                    }
                    Err(e) => lab.show_notice(Notice {
                        message: format!(
                            "That file could not be imported: {e}. Your current lab is unchanged."
                        ),
                        rejected_save: None,
                    }),
                }
            });
        })
    };
    let reset = {
        let lab = lab.clone();
        let close = close.clone();
        Callback::from(move |_| {
            let confirmed = web_sys::window()
                .and_then(|w| w.confirm_with_message("Start over with a fresh default world? Export first if you want to keep this one.").ok())
                .unwrap_or(false);
            if confirmed {
                lab.reset();
            }
            close(true);
        })
    };
    html! {
        <div class="lab-menu" ref={root}>
            <button id="lab-menu-button" class="btn-chip" ref={button}
                aria-expanded={open.to_string()} aria-haspopup="menu"
                aria-controls={open.then_some("lab-menu-list")}
                onclick={toggle} onkeydown={on_button_key} data-testid="lab-menu">{ "Lab ▾" }</button>
            if *open {
                <div id="lab-menu-list" class="menu" role="menu" aria-labelledby="lab-menu-button" onkeydown={on_menu_key}>
                    <button role="menuitem" tabindex="-1" class="menu-item" ref={items[0].clone()} onclick={export}>{ "Export world (JSON)" }</button>
                    <button role="menuitem" tabindex="-1" class="menu-item" ref={items[1].clone()} onclick={choose_file}
                        data-testid="import-world">{ "Import world…" }</button>
                    <button role="menuitem" tabindex="-1" class="menu-item danger" ref={items[2].clone()} onclick={reset}>{ "Reset lab" }</button>
                </div>
            }
            // Outside the menu (a menu holds menu items only) and always present, so the file
            // chooser it opens can still deliver its file once the menu has closed.
            <input type="file" accept="application/json,.json" class="visually-hidden" tabindex="-1"
                aria-label="World file to import" ref={file_input} onchange={import} data-testid="import-file" />
        </div>
    }
}
