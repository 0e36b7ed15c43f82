//! The aws-cli terminal.

use yew::prelude::*;

#[component]
pub fn Terminal() -> Html {
    html! {
        <section class="page" aria-labelledby="page-title">
            <h1 id="page-title">{ "Terminal" }</h1>
            <p class="muted">{ "An aws-cli compatible terminal: `aws kms create-key`, `aws kms encrypt …`, and `lab` commands." }</p>
            <div class="terminal" role="log" aria-live="polite">
                <pre class="term-out">{ "KMS Lab terminal — type `help`.\n" }</pre>
            </div>
        </section>
    }
}
