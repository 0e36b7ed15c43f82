//! Hooks: the lab store handle shared through a context (never a global), with one method per
//! thing the learner does.

use std::ops::Deref;
use std::rc::Rc;

use yew::prelude::*;

use crate::state::{Action, LabState, QuizIntent, ScenarioIntent};
use crate::storage;

/// The store as components see it: the current state (read through `Deref`) and intent methods.
/// Provided once by `App`; [`use_lab`] reads it.
#[derive(Clone, PartialEq)]
pub struct Lab {
    handle: Option<UseReducerHandle<LabState>>,
    /// The state shown outside the provider (component tests): one per page, never per component.
    detached: Rc<LabState>,
}

thread_local! {
    static DETACHED: Rc<LabState> = Rc::new(LabState::loading());
}

impl Lab {
    /// The handle `App` provides.
    pub fn new(handle: UseReducerHandle<LabState>) -> Self {
        Lab {
            handle: Some(handle),
            detached: DETACHED.with(Rc::clone),
        }
    }

    /// A store outside the provider: it shows an empty lab and ignores actions.
    fn detached() -> Self {
        Lab {
            handle: None,
            detached: DETACHED.with(Rc::clone),
        }
    }

    /// Dispatches an action as it is.
    pub fn dispatch(&self, action: Action) {
        match &self.handle {
            Some(h) => h.dispatch(action),
            None => web_sys::console::warn_1(&"KMS Lab: an action outside the lab provider".into()),
        }
    }

    /// Dispatches a learner action after letting the simulated clock catch up with real time.
    pub fn act(&self, action: Action) {
        self.dispatch(Action::Sync {
            real_now_ms: storage::now_ms(),
        });
        self.dispatch(action);
    }

    /// Runs terminal input (a line or a pasted script).
    pub fn run(&self, text: impl Into<String>) {
        self.act(Action::Run(text.into()));
    }

    /// One console API call as the current profile in `region`.
    pub fn call(
        &self,
        region: impl Into<String>,
        service: &'static str,
        operation: &'static str,
        input: serde_json::Value,
        summary: impl Into<String>,
    ) {
        self.act(Action::Call {
            region: region.into(),
            service,
            operation,
            input,
            summary: summary.into(),
        });
    }

    /// Several console calls for one choice, in order, stopping at the first failure.
    pub fn calls(
        &self,
        region: impl Into<String>,
        calls: Vec<crate::state::ConsoleCall>,
        summary: impl Into<String>,
    ) {
        self.act(Action::Calls {
            region: region.into(),
            calls,
            summary: summary.into(),
        });
    }

    /// Starts a scenario in a fresh world.
    pub fn start_scenario(&self, id: impl Into<String>) {
        self.act(Action::Scenario(ScenarioIntent::Start {
            id: id.into(),
            seed: storage::random_seed(),
        }));
    }

    /// Starts a scenario again: fresh world, files and variables, a new seed.
    pub fn restart_scenario(&self, id: impl Into<String>) {
        self.act(Action::Scenario(ScenarioIntent::Restart {
            id: id.into(),
            seed: storage::random_seed(),
        }));
    }

    /// Reveals a scenario's next hint.
    pub fn hint(&self, id: impl Into<String>) {
        self.dispatch(Action::Scenario(ScenarioIntent::Hint(id.into())));
    }

    /// Records a quiz answer.
    pub fn answer(&self, id: impl Into<String>, correct: bool) {
        self.dispatch(Action::Quiz(QuizIntent::Answer {
            id: id.into(),
            correct,
            now_ms: storage::now_ms(),
        }));
    }

    /// Flags or unflags a question for review.
    pub fn flag(&self, id: impl Into<String>, flagged: bool) {
        self.dispatch(Action::Quiz(QuizIntent::Flag {
            id: id.into(),
            flagged,
        }));
    }

    /// Records a finished exam attempt (for the trend plot), with the seed of its option order.
    pub fn exam_finished(&self, right: usize, total: usize, seed: u64) {
        self.dispatch(Action::Quiz(QuizIntent::ExamFinished {
            right,
            total,
            now_ms: storage::now_ms(),
            seed,
        }));
    }

    /// Signs in as another profile.
    pub fn use_profile(&self, name: impl Into<String>) {
        self.dispatch(Action::UseProfile(name.into()));
    }

    /// Switches the current profile's Region.
    pub fn use_region(&self, region: impl Into<String>) {
        self.dispatch(Action::UseRegion(region.into()));
    }

    /// Moves the simulated clock forward.
    pub fn advance_clock(&self, ms: i64) {
        self.dispatch(Action::AdvanceClock { ms });
    }

    /// Hides the console's flash message.
    pub fn dismiss_flash(&self) {
        self.dispatch(Action::DismissFlash);
    }

    /// Hides the load notice.
    pub fn dismiss_notice(&self) {
        self.dispatch(Action::DismissNotice);
    }

    /// Reports how far the Lab menu's Export world has come (`None` when it is over).
    pub fn export_progressed(&self, progress: Option<crate::state::ExportProgress>) {
        self.dispatch(Action::ExportProgressed(progress));
    }

    /// Shows a notice (an import that failed, for example).
    pub fn show_notice(&self, notice: crate::state::Notice) {
        self.dispatch(Action::ShowNotice(notice));
    }

    /// Clears the terminal's scrollback.
    pub fn clear_terminal(&self) {
        self.dispatch(Action::ClearTerminal);
    }

    /// Puts a file into the lab's file system (for `fileb://NAME`).
    pub fn put_file(&self, name: String, bytes: Vec<u8>) {
        self.dispatch(Action::PutFile { name, bytes });
    }

    /// Runs a Lab tools step: `lab local` with these arguments (not shown in the terminal).
    pub fn lab_local(&self, args: Vec<String>) {
        self.act(Action::LabLocal { args });
    }

    /// Runs Lab tools' KMS step: Encrypt or Decrypt a lab file as the current profile.
    pub fn kms_file(&self, request: crate::state::KmsFileRequest) {
        self.act(Action::KmsFile(request));
    }

    /// Replaces the world with an imported one.
    pub fn load_world(&self, session: awscli::Session) {
        self.dispatch(Action::Load(Box::new(session)));
    }

    /// Starts over with a fresh default world.
    pub fn reset(&self) {
        self.dispatch(Action::Reset {
            seed: storage::random_seed(),
            now_ms: storage::now_ms(),
            request: None,
        });
    }
}

impl std::fmt::Debug for Lab {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lab")
            .field("revision", &self.revision)
            .field("attached", &self.handle.is_some())
            .finish()
    }
}

impl Deref for Lab {
    type Target = LabState;

    fn deref(&self) -> &LabState {
        match &self.handle {
            Some(h) => h,
            None => &self.detached,
        }
    }
}

/// The lab store. Never panics: outside the provider (component tests) it is a detached store
/// showing an empty lab (built once per page, not per component).
#[hook]
pub fn use_lab() -> Lab {
    use_context::<Lab>().unwrap_or_else(Lab::detached)
}
