//! The terminal drawer: the same terminal, one click away on every page.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::pages::terminal::TerminalPanel;

#[component]
pub fn TerminalDrawer() -> Html {
    let open = use_state(|| false);
    let route = use_route::<Route>();
    // The Terminal page already is the terminal.
    if route == Some(Route::Terminal) {
        return html! {};
    }
    let toggle = {
        let open = open.clone();
        Callback::from(move |_| open.set(!*open))
    };
    html! {
        <>
        <button class="drawer-toggle" aria-expanded={open.to_string()} aria-controls="terminal-drawer" onclick={toggle}
            data-testid="drawer-toggle">{ if *open { "Close terminal" } else { ">_ Terminal" } }</button>
        if *open {
            <aside id="terminal-drawer" class="drawer" aria-label="Terminal">
                <TerminalPanel />
            </aside>
        }
        </>
    }
}
