//! A modal confirmation dialog, as the console asks before destructive actions: `role=dialog`
//! with `aria-modal`, labelled by its title; focus moves into it when it opens, Tab stays inside,
//! Escape or the backdrop closes it, and focus returns to what opened it.

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

#[derive(Properties, PartialEq, Debug)]
pub struct DialogProps {
    /// The heading (also the dialog's accessible name).
    pub title: AttrValue,
    /// Escape, the backdrop, the close button and Cancel call this.
    pub on_close: Callback<()>,
    /// `data-testid` of the dialog.
    #[prop_or_default]
    pub testid: Option<AttrValue>,
    /// The body, then (in `footer`) the buttons.
    #[prop_or_default]
    pub children: Html,
    #[prop_or_default]
    pub footer: Html,
}

const FOCUSABLE: &str = "input:not([disabled]), select:not([disabled]), textarea:not([disabled]), button:not([disabled]), a[href]";

fn focus(el: Option<Element>) {
    if let Some(el) = el.and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
        let _ = el.focus();
    }
}

#[component]
pub fn Dialog(props: &DialogProps) -> Html {
    let node = use_node_ref();
    let title_id = use_memo((), |_| {
        format!(
            "dialog-title-{}",
            js_sys::Math::random().to_bits() % 1_000_000
        )
    });
    // Focus the first control on open (the body's, else the footer's); give focus back on close.
    {
        let node = node.clone();
        use_effect_with((), move |_| {
            let opener = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.active_element());
            if let Some(el) = node.cast::<Element>() {
                let first = el
                    .query_selector(&format!(".dialog-body :is({FOCUSABLE})"))
                    .ok()
                    .flatten()
                    .or_else(|| el.query_selector(FOCUSABLE).ok().flatten());
                focus(first.or(Some(el)));
            }
            move || focus(opener)
        });
    }
    let onkeydown = {
        let on_close = props.on_close.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.prevent_default();
                on_close.emit(());
            }
        })
    };
    // Focus sentinels at both ends keep Tab inside the dialog.
    let wrap_to = |last: bool| {
        let node = node.clone();
        Callback::from(move |_: FocusEvent| {
            let Some(el) = node.cast::<Element>() else {
                return;
            };
            let target = if last {
                el.query_selector(".dialog-footer button:last-of-type")
                    .ok()
                    .flatten()
            } else {
                el.query_selector(FOCUSABLE).ok().flatten()
            };
            focus(target);
        })
    };
    let backdrop = {
        let on_close = props.on_close.clone();
        Callback::from(move |e: MouseEvent| {
            if e.target() == e.current_target() {
                on_close.emit(());
            }
        })
    };
    let close = props.on_close.reform(|_: MouseEvent| ());
    html! {
        <div class="dialog-backdrop" onclick={backdrop}>
            <span tabindex="0" class="sr-only" onfocus={wrap_to(true)} />
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby={(*title_id).clone()}
                tabindex="-1" ref={node.clone()} {onkeydown} data-testid={props.testid.clone()}>
                <div class="dialog-header">
                    <h2 id={(*title_id).clone()}>{ props.title.clone() }</h2>
                    <button type="button" class="flash-close" aria-label="Close" onclick={close}>{ "×" }</button>
                </div>
                <div class="dialog-body">{ props.children.clone() }</div>
                <div class="dialog-footer">{ props.footer.clone() }</div>
            </div>
            <span tabindex="0" class="sr-only" onfocus={wrap_to(false)} />
        </div>
    }
}
