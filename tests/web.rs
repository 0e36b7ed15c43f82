//! A few wasm-bindgen-test smoke tests of the app's components, run in headless Chromium
//! (`cargo test -p kmslab-web --target wasm32-unknown-unknown`). Engine behaviour is tested natively.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

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

/// Waits (flushing Yew's scheduler) until `selector` appears: the app reads its saved world
/// from IndexedDB before it shows the shell.
async fn wait_for(host: &web_sys::Element, selector: &str) -> web_sys::Element {
    for _ in 0..300 {
        yew::scheduler::flush().await;
        if let Ok(Some(el)) = host.query_selector(selector) {
            return el;
        }
        let tick = js_sys::Promise::new(&mut |resolve, _| {
            web_sys::window()
                .unwrap()
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 10)
                .unwrap();
        });
        wasm_bindgen_futures::JsFuture::from(tick).await.unwrap();
    }
    panic!("`{selector}` never appeared");
}

#[wasm_bindgen_test]
async fn app_renders_shell_with_navigation() {
    let host = mount_point();
    yew::Renderer::<kmslab_web::app::App>::with_root(host.clone()).render();
    let nav = wait_for(&host, "nav.side-nav").await;
    let labels = nav.text_content().unwrap_or_default();
    for label in [
        "Console",
        "IAM",
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
    let account = wait_for(&host, "[data-testid=account]").await;
    assert!(
        account
            .text_content()
            .unwrap_or_default()
            .contains("111122223333")
    );
}

#[wasm_bindgen_test]
async fn the_envelope_diagram_shows_the_real_values() {
    use kmslab_web::components::envelope::{EnvelopeDiagram, EnvelopeProps, EnvelopeValues};
    let host = mount_point();
    let props = EnvelopeProps {
        values: Some(EnvelopeValues {
            key_id: "arn:aws:kms:us-east-1:111122223333:key/abcd1234-0000".into(),
            plaintext_b64: "cGxhaW50ZXh0LWRhdGEta2V5".into(),
            ciphertext_b64: "AQIDAHh-encrypted".into(),
        }),
    };
    yew::Renderer::<EnvelopeDiagram>::with_root_and_props(host.clone(), props).render();
    yew::scheduler::flush().await;
    let text = host.text_content().unwrap_or_default();
    assert!(text.contains("abcd1234"), "{text}");
    assert!(text.contains("AQIDAHh-encrypted"), "{text}");
    assert!(
        text.contains("Drawn from your last GenerateDataKey call"),
        "{text}"
    );
}

#[path = "../crates/document/tests/common/released.rs"]
mod released;

/// A KMS blob sealed by the native release build (the document crate's released state file,
/// `ledger.bin`) opens in the browser, where AES-GCM is `cloud`'s own wasm implementation: the
/// two builds' ciphertexts are the same format, byte for byte.
#[wasm_bindgen_test]
fn a_blob_sealed_natively_opens_in_the_browser() {
    released::the_ledger_opens_and_a_tampered_copy_does_not();
}
