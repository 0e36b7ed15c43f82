//! The Lab menu's "Export world (JSON)": the state document made in short passes (at most
//! [`NEW_PARTS_PER_PASS`] parts of S3 objects or CloudTrail events each, every pass a task of its
//! own, see `cloud::parts`), put together, and downloaded as a Blob. A big world's export used to
//! be one long task: serialising megabytes, then percent-encoding them into a `data:` URL.

use std::collections::HashMap;
use std::rc::Rc;

use cloud::parts::PartCache;
use document::state_file::SavedInParts;
use gloo_timers::callback::Timeout;
use wasm_bindgen::{JsCast, JsValue};

/// The most new parts one pass makes.
const NEW_PARTS_PER_PASS: usize = 12;

type Export = Rc<dyn Fn(&mut PartCache, Option<usize>) -> Result<SavedInParts, String>>;

/// Makes the state document in passes and downloads it as `name`.
pub fn download_world(
    name: &'static str,
    export: impl Fn(&mut PartCache, Option<usize>) -> Result<SavedInParts, String> + 'static,
) {
    pass(name, Rc::new(export), PartCache::default(), HashMap::new());
}

fn pass(
    name: &'static str,
    export: Export,
    mut cache: PartCache,
    mut texts: HashMap<String, String>,
) {
    let saved = match export(&mut cache, Some(NEW_PARTS_PER_PASS)) {
        Ok(saved) => saved,
        Err(e) => {
            web_sys::console::warn_1(&e.into());
            return;
        }
    };
    let complete = saved.parts.complete;
    texts.extend(saved.parts.made);
    if !complete {
        Timeout::new(0, move || pass(name, export, cache, texts)).forget();
        return;
    }
    match document::state_file::assemble(&saved.document, |id| texts.get(id).map(String::as_str)) {
        Ok(whole) => {
            if let Err(e) = download(name, &whole) {
                web_sys::console::warn_1(&e);
            }
        }
        Err(e) => web_sys::console::warn_1(&e.to_string().into()),
    }
}

/// Offers `text` as a JSON file download.
pub fn download(name: &str, text: &str) -> Result<(), JsValue> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(
        &js_sys::Array::of1(&JsValue::from_str(text)),
        &options,
    )?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let a: web_sys::HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    // The download has its own copy once started; the URL is freed a moment later.
    Timeout::new(60_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}
