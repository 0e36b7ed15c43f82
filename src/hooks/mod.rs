//! Hooks: the lab store handle shared through a context (never a global).

use yew::prelude::*;

use crate::state::LabState;

/// The store, provided once by `App` and read with [`use_lab`].
pub type LabContext = UseReducerHandle<LabState>;

/// The lab store. Panics never: outside the provider it yields a fresh local store.
#[hook]
pub fn use_lab() -> LabContext {
    let fallback = use_reducer(|| LabState::new(0));
    use_context::<LabContext>().unwrap_or(fallback)
}
