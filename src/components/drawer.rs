//! The terminal drawer: the same terminal, one click away on every page.
//!
//! Opening it puts the focus in the terminal's input; Escape closes it and returns the focus to
//! its toggle. Pages that already show a terminal (the Terminal page, a scenario) have no drawer,
//! so its floating toggle never covers their own terminal.

use web_sys::HtmlElement;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::pages::terminal::TerminalPanel;

fn focus(node: &NodeRef) {
    if let Some(el) = node.cast::<HtmlElement>() {
        let _ = el.focus();
    }
}

#[component]
pub fn TerminalDrawer() -> Html {
    let open = use_state(|| false);
    let route = use_route::<Route>();
    let toggle_ref = use_node_ref();
    let drawer_ref = use_node_ref();
    let has_terminal = matches!(route, Some(Route::Terminal | Route::Scenario { .. }));

    // Opening the drawer focuses its terminal's input.
    use_effect_with(*open, {
        let drawer_ref = drawer_ref.clone();
        move |is_open| {
            if *is_open
                && let Some(drawer) = drawer_ref.cast::<web_sys::Element>()
                && let Ok(Some(input)) = drawer.query_selector("textarea")
                && let Ok(input) = wasm_bindgen::JsCast::dyn_into::<HtmlElement>(input)
            {
                let _ = input.focus();
            }
        }
    });
    // A page with its own terminal closes the drawer.
    use_effect_with(has_terminal, {
        let open = open.clone();
        move |has_terminal| {
            if *has_terminal && *open {
                open.set(false);
            }
        }
    });

    if has_terminal {
        return html! {};
    }
    let toggle = {
        let open = open.clone();
        Callback::from(move |_| open.set(!*open))
    };
    let on_key = {
        let open = open.clone();
        let toggle_ref = toggle_ref.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.prevent_default();
                open.set(false);
                focus(&toggle_ref);
            }
        })
    };
    html! {
        <>
        <button class="drawer-toggle" ref={toggle_ref} aria-expanded={open.to_string()}
            aria-controls={open.then_some("terminal-drawer")} onclick={toggle}
            data-testid="drawer-toggle">{ if *open { "Close terminal" } else { ">_ Terminal" } }</button>
        if *open {
            <aside id="terminal-drawer" class="drawer" aria-label="Terminal" ref={drawer_ref} onkeydown={on_key}>
                <TerminalPanel />
            </aside>
        }
        </>
    }
}
