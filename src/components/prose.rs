//! Prose from the lab's content: `backticked` spans are commands and names, shown as inline code.

use yew::prelude::*;

/// Renders `text`, with every `backticked` span as inline code (an unmatched backtick is kept).
pub fn prose(text: &str) -> Html {
    let parts: Vec<&str> = text.split('`').collect();
    // An odd number of backticks leaves the last span unclosed: show it as written.
    let closed = parts.len() % 2 == 1;
    html! {
        { for parts.iter().enumerate().map(|(i, part)| {
            if i % 2 == 1 && (closed || i + 1 < parts.len()) {
                html! { <code class="inline-code">{ (*part).to_owned() }</code> }
            } else if i % 2 == 1 {
                html! { { format!("`{part}") } }
            } else {
                html! { { (*part).to_owned() } }
            }
        }) }
    }
}
