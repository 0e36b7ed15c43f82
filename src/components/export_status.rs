//! The bar that shows how far the Lab menu's Export world has come (`crate::export`).

use yew::prelude::*;

use crate::hooks::use_lab;

#[component]
pub fn ExportStatus() -> Html {
    let lab = use_lab();
    let Some(progress) = lab.export else {
        return html! {};
    };
    let (bar, text) = if progress.total == 0 {
        // Before the first pass: an indeterminate bar.
        (
            html! { <progress class="export-bar" aria-label="Exporting the world" /> },
            "Exporting the world…".to_owned(),
        )
    } else {
        (
            html! {
                <progress class="export-bar" max={progress.total.to_string()}
                    value={progress.done.to_string()} aria-label="Exporting the world" />
            },
            format!(
                "Exporting the world: {} of {} parts",
                progress.done, progress.total
            ),
        )
    };
    html! {
        <div class="export-status" role="status" data-testid="export-progress">
            { bar }
            <span class="export-text">{ text }</span>
        </div>
    }
}
