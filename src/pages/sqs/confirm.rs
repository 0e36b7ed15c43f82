//! The console's confirmation of a destructive action by typing a word ("delete" for a queue,
//! "purge" to purge it, "delete me" for a topic): the action's button stays disabled until the
//! word is typed.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::dialog::Dialog;

#[derive(Properties, PartialEq, Debug)]
pub(crate) struct ConfirmProps {
    /// The dialog's title ("Delete queue").
    pub title: AttrValue,
    /// What happens, in words.
    pub text: AttrValue,
    /// The word to type.
    pub word: AttrValue,
    /// The action's button text ("Delete").
    pub action: AttrValue,
    pub on_confirm: Callback<()>,
    pub on_close: Callback<()>,
    /// `data-testid` of the dialog; its button is `TESTID-confirm`.
    pub testid: AttrValue,
}

#[component]
pub(crate) fn ConfirmByTyping(props: &ConfirmProps) -> Html {
    let typed = use_state(String::new);
    let oninput = {
        let typed = typed.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
                typed.set(i.value());
            }
        })
    };
    let confirm = {
        let (on_confirm, on_close) = (props.on_confirm.clone(), props.on_close.clone());
        Callback::from(move |_: MouseEvent| {
            on_confirm.emit(());
            on_close.emit(());
        })
    };
    let ok = typed.trim() == props.word.as_str();
    let footer = html! { <>
        <button type="button" class="btn btn-small" onclick={props.on_close.reform(|_: MouseEvent| ())}>{ "Cancel" }</button>
        <button type="button" class="btn btn-danger btn-small" disabled={!ok} onclick={confirm} data-testid={format!("{}-confirm", props.testid)}>{ props.action.clone() }</button>
    </> };
    html! {
        <Dialog title={props.title.clone()} on_close={props.on_close.clone()} testid={Some(props.testid.clone())} {footer}>
            <p>{ props.text.clone() }</p>
            <label class="wide-field">{ format!("To confirm, enter \"{}\" in the field.", props.word) }
                <input class="input" name="confirm" value={(*typed).clone()} {oninput} autocomplete="off" placeholder={props.word.clone()} />
            </label>
        </Dialog>
    }
}
