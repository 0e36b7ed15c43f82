//! Hooks: the lab store handle shared through a context (never a global).

use yew::prelude::*;

use crate::state::LabState;

/// The store, provided once by `App` and read with [`use_lab`].
pub type LabContext = UseReducerHandle<LabState>;

/// The lab store. Never panics: outside the provider (component tests) it yields a local store
/// around a fresh default world.
#[hook]
pub fn use_lab() -> LabContext {
    let fallback = use_reducer(|| LabState::new(awscli::Session::new(1, 0), None));
    use_context::<LabContext>().unwrap_or(fallback)
}

/// Dispatches a learner action after letting the simulated clock catch up with real time.
pub fn act(lab: &LabContext, action: crate::state::Action) {
    lab.dispatch(crate::state::Action::Sync {
        real_now_ms: crate::storage::now_ms(),
    });
    lab.dispatch(action);
}
