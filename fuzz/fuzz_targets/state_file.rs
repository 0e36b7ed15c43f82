//! Loading a corrupt or hostile save: the state file is loaded (with the browser's host
//! settings, migrating older schemas), and a lab that loads is used, saved and loaded again.
#![no_main]

use document::LabDocument;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(mut doc) = LabDocument::load(text, kmslab_fuzz::HOST) else {
        return;
    };
    let session = doc.session_mut();
    let _ = session.status();
    kmslab_fuzz::run_terminal(
        session,
        "aws kms list-keys\naws kms list-aliases\naws iam list-roles\nlab status",
    );
    let Ok(saved) = doc.save() else {
        return;
    };
    if LabDocument::load(&saved, kmslab_fuzz::HOST).is_err() {
        // What the lab saved, it must load again.
        std::process::abort();
    }
});
