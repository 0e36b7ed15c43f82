//! The console's flash message: the outcome of the last action, success or AWS error.

use yew::prelude::*;

use crate::components::why::Why;
use crate::hooks::use_lab;

#[component]
pub fn Flash() -> Html {
    let lab = use_lab();
    let Some(outcome) = lab.last_call.clone() else {
        return html! {};
    };
    let dismiss = {
        let lab = lab.clone();
        Callback::from(move |_| lab.dismiss_flash())
    };
    match &outcome.result {
        Ok(_) => html! {
            <div class="flash flash-ok" role="status" data-testid="flash">
                <span>{ outcome.summary.clone() }</span>
                <button class="flash-close" aria-label="Dismiss" onclick={dismiss}>{ "×" }</button>
            </div>
        },
        Err(e) => html! {
            <div class="flash flash-err" role="alert" data-testid="flash">
                <span>
                    <strong>{ format!("{} failed: {}", outcome.operation, e.code) }</strong>
                    <br />{ e.message.clone() }
                    <Why code={e.code.clone()} card={outcome.why.clone()} />
                </span>
                <button class="flash-close" aria-label="Dismiss" onclick={dismiss}>{ "×" }</button>
            </div>
        },
    }
}
