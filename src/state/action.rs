//! What the learner (or a script on the page) does: the store's actions, named after intents.

use awscli::Session;

use super::{Notice, TermEntry};

/// What the learner does with a scenario.
#[derive(Clone, Debug, PartialEq)]
pub enum ScenarioIntent {
    /// Prepare the scenario's world (replacing the current one).
    Start { id: String, seed: u64 },
    /// Start again from scratch: a fresh world, files and variables, and a new seed (a
    /// randomised scenario may draw another variant).
    Restart { id: String, seed: u64 },
    /// Reveal the next hint (it costs points).
    Hint(String),
}

/// What the learner does in a quiz.
#[derive(Clone, Debug, PartialEq)]
pub enum QuizIntent {
    /// Record an answer (moves the question between Leitner boxes).
    Answer {
        id: String,
        correct: bool,
        now_ms: i64,
    },
    /// Flag or unflag a question for review.
    Flag { id: String, flagged: bool },
    /// An exam attempt finished: kept for the trend plot, with the seed of its option order.
    ExamFinished {
        right: usize,
        total: usize,
        now_ms: i64,
        seed: u64,
    },
}

/// What the Lab tools' "Encrypt or decrypt a file with KMS" step asks for.
#[derive(Clone, Debug, PartialEq)]
pub struct KmsFileRequest {
    pub region: String,
    /// `Encrypt` or `Decrypt`.
    pub operation: &'static str,
    /// Required for Encrypt; for Decrypt, the key the ciphertext must be under (optional).
    pub key_id: Option<String>,
    /// The encryption context, `k=v` pairs.
    pub context: Vec<(String, String)>,
    pub input: String,
    pub output: String,
}

/// One call of an [`Action::Calls`] chain.
#[derive(Clone, Debug, PartialEq)]
pub struct ConsoleCall {
    pub service: &'static str,
    pub operation: &'static str,
    pub input: serde_json::Value,
}

/// User intents.
#[derive(Clone, Debug)]
pub enum Action {
    /// Let the simulated clock follow real time since the last sync (dispatched with each
    /// learner action; the time is read by the caller, keeping the reducer deterministic).
    Sync { real_now_ms: i64 },
    /// A quiz intent.
    Quiz(QuizIntent),
    /// A scenario intent.
    Scenario(ScenarioIntent),
    /// Run what was typed or pasted in the terminal (several lines run as a script).
    Run(String),
    /// Run a line for a script caller (`window.kmsLab.run`); its output is queued as the reply
    /// to `request`.
    RunFor { text: String, request: u64 },
    /// A scenario intent of a script caller (an embedding host's `start`): answered as
    /// `request` once it has run (in order, after what waits for the engine's extension).
    ScenarioFor {
        intent: ScenarioIntent,
        request: u64,
    },
    /// A console action: one API call as the current profile in `region`.
    Call {
        region: String,
        service: &'static str,
        operation: &'static str,
        input: serde_json::Value,
        summary: String,
    },
    /// Several console calls the console makes for one choice (AWS Config's setup: the
    /// recorder, the delivery channel, then recording; an EventBridge target and the permission
    /// the console adds to the queue's policy), in order, stopping at the first failure.
    Calls {
        region: String,
        calls: Vec<ConsoleCall>,
        summary: String,
    },
    /// The Create key wizard: CreateKey, then CreateAlias when an alias was given.
    CreateKey {
        region: String,
        input: serde_json::Value,
        alias: Option<String>,
    },
    /// Hide the console's flash message.
    DismissFlash,
    /// Move the simulated clock forward.
    AdvanceClock { ms: i64 },
    /// Switch the default profile ("sign in as").
    UseProfile(String),
    /// Switch the default profile's Region.
    UseRegion(String),
    /// Start over with a fresh default world (`request`: a script caller waiting for it).
    Reset {
        seed: u64,
        now_ms: i64,
        request: Option<u64>,
    },
    /// Replace the world with an imported one.
    Load(Box<Session>),
    /// Replace the world with one a script caller sent (an embedding host's `load`): answered
    /// as `request` once it has run.
    LoadFor { session: Box<Session>, request: u64 },
    /// The saved world has been read at start-up (`saves_blocked`: a save exists that could not
    /// be read, so nothing may be saved over it).
    Loaded {
        session: Box<Session>,
        notice: Option<Notice>,
        saves_blocked: bool,
    },
    /// Clear the terminal's scrollback.
    ClearTerminal,
    /// A Lab tools step that has no AWS console UI: one `lab local` command (decrypt a file
    /// locally, wrap key material, random bytes) with these arguments, run on the lab's files as
    /// the terminal runs it, but outside the terminal's scrollback.
    LabLocal { args: Vec<String> },
    /// A Lab tools step that calls KMS as an application's SDK would: Encrypt or Decrypt one of
    /// the lab's files into another, as the current profile in `region` (audited, with Why?).
    KmsFile(KmsFileRequest),
    /// Put a file into the lab's file system (the terminal's file picker), for `fileb://NAME`.
    PutFile { name: String, bytes: Vec<u8> },
    /// Show a notice (for example, an import that failed).
    ShowNotice(Notice),
    /// Hide the load notice.
    DismissNotice,
    /// The Lab menu's Export world has come this far (`None`: it finished or gave up).
    ExportProgressed(Option<crate::state::ExportProgress>),
    /// The learner moved to another page: banners from the page left are cleared.
    Navigated,
    /// The terminal's history and scrollback as saved before a reload.
    RestoreTerminal {
        history: Vec<String>,
        transcript: Vec<TermEntry>,
    },
    /// Script replies up to and including `request` were delivered.
    RepliesDelivered { up_to: u64 },
    /// How far the long command under way has come (from the effect that runs it).
    JobProgress {
        id: u64,
        progress: awscli::JobProgress,
    },
    /// The long command under way finished: the session it ran in, and its output.
    JobFinished {
        id: u64,
        session: Box<Session>,
        output: awscli::LineOutput,
    },
    /// The question bank arrived (or could not be fetched).
    QuizBankFetched(crate::quiz_bank::QuizBank),
    /// The scenario data arrived (or could not be fetched).
    ScenarioDataFetched(crate::scenario_data::ScenarioData),
    /// The engine's extension (every service and the command line's interpreter) was
    /// downloaded and installed: the actions that waited for it run now, in order.
    EngineInstalled,
    /// The engine's extension could not be downloaded: the actions that waited for it are
    /// answered with an error (a later one that needs it tries the download again).
    EngineUnavailable,
}

impl Action {
    /// Whether the action may need the world's services (so it waits, in order, behind
    /// actions already waiting for the engine's extension); false for what only changes what
    /// the learner sees or arrives from the app's own start-up and effects.
    pub(super) fn waits_for_engine(&self) -> bool {
        !matches!(
            self,
            Action::DismissFlash
                | Action::ShowNotice(_)
                | Action::DismissNotice
                | Action::ExportProgressed(_)
                | Action::Navigated
                | Action::RestoreTerminal { .. }
                | Action::RepliesDelivered { .. }
                | Action::QuizBankFetched(_)
                | Action::ScenarioDataFetched(_)
                | Action::Loaded { .. }
                | Action::JobProgress { .. }
                | Action::EngineInstalled
                | Action::EngineUnavailable
        )
    }
}
