//! A few wasm-bindgen-test smoke tests of the app's components, run in headless Chromium
//! (`cargo test -p kmslab-web --target wasm32-unknown-unknown`). Engine behaviour is tested natively.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

fn mount_point() -> web_sys::Element {
    let document = web_sys::window().and_then(|w| w.document()).unwrap();
    let div = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&div).unwrap();
    div
}

#[wasm_bindgen_test]
async fn empty_state_renders_title_and_text() {
    use kmslab_web::components::empty_state::{EmptyState, EmptyStateProps};
    let host = mount_point();
    let props = EmptyStateProps {
        title: "No keys".into(),
        text: "Create one".into(),
        children: Html::default(),
    };
    yew::Renderer::<EmptyState>::with_root_and_props(host.clone(), props).render();
    yew::scheduler::flush().await;
    let text = host.text_content().unwrap_or_default();
    assert!(text.contains("No keys"), "{text}");
    assert!(text.contains("Create one"), "{text}");
}

#[wasm_bindgen_test]
async fn app_renders_shell_with_navigation() {
    let host = mount_point();
    yew::Renderer::<kmslab_web::app::App>::with_root(host.clone()).render();
    yew::scheduler::flush().await;
    let nav = host
        .query_selector("nav.side-nav")
        .unwrap()
        .expect("side nav");
    let labels = nav.text_content().unwrap_or_default();
    for label in [
        "Console",
        "Terminal",
        "Scenarios",
        "Quizzes",
        "Activity",
        "Learn",
    ] {
        assert!(
            labels.contains(label),
            "missing nav entry {label}: {labels}"
        );
    }
    let account = host
        .query_selector("[data-testid=account]")
        .unwrap()
        .expect("account in top bar");
    assert!(
        account
            .text_content()
            .unwrap_or_default()
            .contains("111122223333")
    );
}
