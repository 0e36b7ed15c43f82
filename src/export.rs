//! The Lab menu's "Export world (JSON)": the state document made in short passes (at most
//! [`NEW_PARTS_PER_PASS`] parts of S3 objects or CloudTrail events each, every pass a task of its
//! own, see `cloud::parts`), put together, and downloaded as a Blob. A big world's export used to
//! be one long task: serialising megabytes, then percent-encoding them into a `data:` URL.
//! After each pass `progress` is told how many of the document's parts are made (the top of
//! the page shows it as a bar), and `None` when the export is over.

use std::collections::HashMap;
use std::rc::Rc;

use cloud::parts::PartCache;
use document::state_file::SavedInParts;
use gloo_timers::callback::Timeout;
use wasm_bindgen::{JsCast, JsValue};

use crate::state::ExportProgress;

/// The most new parts one pass makes.
const NEW_PARTS_PER_PASS: usize = 12;

type Export = Rc<dyn Fn(&mut PartCache, Option<usize>) -> Result<SavedInParts, String>>;
type Progress = Rc<dyn Fn(Option<ExportProgress>)>;

/// Makes the state document in passes and downloads it as `name`.
pub fn download_world(
    name: &'static str,
    export: impl Fn(&mut PartCache, Option<usize>) -> Result<SavedInParts, String> + 'static,
    progress: impl Fn(Option<ExportProgress>) + 'static,
) {
    let progress: Progress = Rc::new(progress);
    progress(Some(ExportProgress { done: 0, total: 0 }));
    // The first pass after the bar is shown.
    Timeout::new(0, move || {
        pass(
            name,
            Rc::new(export),
            progress,
            PartCache::default(),
            HashMap::new(),
        );
    })
    .forget();
}

fn pass(
    name: &'static str,
    export: Export,
    progress: Progress,
    mut cache: PartCache,
    mut texts: HashMap<String, String>,
) {
    let saved = match export(&mut cache, Some(NEW_PARTS_PER_PASS)) {
        Ok(saved) => saved,
        Err(e) => {
            web_sys::console::warn_1(&e.into());
            progress(None);
            return;
        }
    };
    let complete = saved.parts.complete;
    texts.extend(saved.parts.made);
    if !complete {
        // A part this pass did not make is noted with an empty id.
        let ids = &saved.parts.ids;
        progress(Some(ExportProgress {
            done: ids.iter().filter(|id| !id.is_empty()).count(),
            total: ids.len(),
        }));
        Timeout::new(0, move || pass(name, export, progress, cache, texts)).forget();
        return;
    }
    progress(None);
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
