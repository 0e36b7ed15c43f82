//! The banner that explains why a saved lab was not loaded, with a download of the old save.

use yew::prelude::*;

use crate::hooks::use_lab;

fn data_url(text: &str) -> String {
    let encoded: String = js_sys::encode_uri_component(text).into();
    format!("data:application/json;charset=utf-8,{encoded}")
}

#[component]
pub fn NoticeBanner() -> Html {
    let lab = use_lab();
    let Some(notice) = lab.notice.clone() else {
        return html! {};
    };
    let dismiss = {
        let lab = lab.clone();
        Callback::from(move |_| lab.dismiss_notice())
    };
    html! {
        <div class="alert alert-error notice" role="alert" data-testid="notice">
            <p>{ notice.message.clone() }</p>
            <div class="notice-actions">
                if let Some(save) = &notice.rejected_save {
                    <a class="btn" href={data_url(save)} download="kmslab-unreadable-save.json">{ "Download the old save" }</a>
                }
                <button class="btn btn-primary" onclick={dismiss}>{ "Continue with the fresh lab" }</button>
            </div>
        </div>
    }
}
