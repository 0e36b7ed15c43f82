//! Saving in parts (the browser's incremental save): the parts put together are exactly the
//! state file, and a save after a small change makes only the parts that changed.

use std::collections::HashMap;

use awscli::Session;
use document::state_file::{self, SavedInParts};

const T0: i64 = 1_795_000_000_000;

/// A world with a bucket of `objects` objects and some KMS calls (CloudTrail events).
fn world(objects: usize) -> Session {
    let mut s = Session::new(7, T0);
    for line in [
        "aws s3api create-bucket --bucket big",
        "aws kms create-key --description parts",
    ] {
        assert_eq!(s.run_line_in_memory(line).exit_code, 0, "{line}");
    }
    let out = s.run_line_in_memory(&format!("lab load --s3-put {objects} --bucket big"));
    assert_eq!(out.exit_code, 0, "{}", out.stderr);
    for _ in 0..200 {
        s.run_line_in_memory("aws sts get-caller-identity");
    }
    s
}

/// Every part's text, as a store keeps them.
fn keep(store: &mut HashMap<String, String>, saved: &SavedInParts) {
    for (id, text) in &saved.parts.made {
        store.insert(id.clone(), text.clone());
    }
}

fn whole(
    saved: &SavedInParts,
    store: &HashMap<String, String>,
) -> Result<String, document::StateError> {
    state_file::assemble(&saved.document, |id| store.get(id).map(String::as_str))
}

#[test]
fn parts_put_together_are_exactly_the_state_file() {
    let session = world(3000);
    let mut cache = cloud::parts::PartCache::default();
    let saved = state_file::save_in_parts(&session, &mut cache).unwrap();
    let full = state_file::save(&session).unwrap();
    // The big collections are out of the document, in many parts.
    assert!(
        saved.document.len() * 5 < full.len(),
        "{}",
        saved.document.len()
    );
    assert!(saved.parts.ids.len() > 20, "{:?}", saved.parts.ids.len());
    assert_eq!(saved.parts.made.len(), saved.parts.ids.len());
    let mut store = HashMap::new();
    keep(&mut store, &saved);
    assert_eq!(whole(&saved, &store).unwrap(), full);
    // And it loads as the same lab.
    let loaded = state_file::load(&whole(&saved, &store).unwrap()).unwrap();
    assert_eq!(state_file::save(&loaded).unwrap(), full);
}

#[test]
fn a_small_change_makes_only_the_changed_parts() {
    let mut session = world(3000);
    let mut cache = cloud::parts::PartCache::default();
    let mut store = HashMap::new();
    let first = state_file::save_in_parts(&session, &mut cache).unwrap();
    keep(&mut store, &first);

    // Nothing changed: nothing is made again.
    let again = state_file::save_in_parts(&session, &mut cache).unwrap();
    assert!(again.parts.made.is_empty(), "{:?}", again.parts.made.keys());
    assert_eq!(again.parts.ids, first.parts.ids);

    // One object put: its chunk and the newest events' chunk change, nothing else.
    let out = session.run_line_in_memory("aws s3api put-object --bucket big --key bulk/001500x");
    assert_eq!(out.exit_code, 0, "{}", out.stderr);
    let out = session.run_line_in_memory("aws s3api delete-object --bucket big --key bulk/000007");
    assert_eq!(out.exit_code, 0, "{}", out.stderr);
    let after = state_file::save_in_parts(&session, &mut cache).unwrap();
    assert!(
        (1..=4).contains(&after.parts.made.len()),
        "{} of {} parts made",
        after.parts.made.len(),
        after.parts.ids.len()
    );
    keep(&mut store, &after);
    assert_eq!(
        whole(&after, &store).unwrap(),
        state_file::save(&session).unwrap()
    );
    // The parts no longer referenced are the ones a store may delete.
    let stale = cloud::parts::unreferenced(store.keys(), &after.parts.ids);
    assert!(!stale.is_empty() && stale.len() <= after.parts.made.len());
}

#[test]
fn a_fresh_cache_knows_the_same_parts_by_their_text() {
    let session = world(1000);
    let first = state_file::save_in_parts(&session, &mut Default::default()).unwrap();
    // After a reload the items are new allocations: the parts are made again, with the same ids.
    let reloaded = state_file::load(&state_file::save(&session).unwrap()).unwrap();
    let second = state_file::save_in_parts(&reloaded, &mut Default::default()).unwrap();
    assert_eq!(first.parts.ids, second.parts.ids);
    assert_eq!(first.document, second.document);
}

#[test]
fn a_missing_part_is_an_error_not_a_wrong_lab() {
    let session = world(500);
    let saved = state_file::save_in_parts(&session, &mut Default::default()).unwrap();
    let mut store = HashMap::new();
    keep(&mut store, &saved);
    store.remove(&saved.parts.ids[0]);
    let e =
        state_file::assemble(&saved.document, |id| store.get(id).map(String::as_str)).unwrap_err();
    assert!(e.to_string().contains("missing"), "{e}");
    assert_eq!(
        cloud::parts::referenced(&saved.document),
        saved.parts.ids,
        "the document names its parts in order"
    );
}

#[test]
fn outside_a_parts_save_nothing_changes() {
    let session = world(300);
    let full = state_file::save(&session).unwrap();
    assert!(!full.contains("kmslab-part"));
}

#[test]
fn a_budget_spreads_a_big_save_over_passes_that_end_in_the_same_document() {
    let session = world(2000);
    let mut cache = cloud::parts::PartCache::default();
    let mut store = HashMap::new();
    let mut passes = 0;
    let last = loop {
        passes += 1;
        let saved = state_file::save_in_parts_within(&session, &mut cache, Some(5)).unwrap();
        assert!(saved.parts.made.len() <= 5);
        keep(&mut store, &saved);
        if saved.parts.complete {
            break saved;
        }
        assert!(passes < 100, "the passes make progress");
    };
    assert!(passes > 3, "{passes} passes");
    assert_eq!(
        whole(&last, &store).unwrap(),
        state_file::save(&session).unwrap()
    );
}
