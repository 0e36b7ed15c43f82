//! The app's store, shaped like Yew's own examples: immutable state changed copy-on-write, actions
//! named after what the learner does, effects (persistence, JS replies, timers) outside `reduce`.
//!
//! - The engine session (`awscli::Session`: the world, shell variables, files, progress) sits
//!   behind an `Rc` and is changed with `Rc::make_mut`, so the state holds no `RefCell` and an
//!   older state is never changed under a view that still holds it.
//! - Every action that changes the world (the clock following real time included) yields a new
//!   `revision`; effects and memos key on it.
//! - The active scenario is graded in the same `reduce` as the action that changed the world, and
//!   its progress recorded there ([`Grading`]): views read it instead of grading per render.
//! - Answers for script callers (`window.kmsLab`) are queued in [`LabState::replies`] by request
//!   id; an effect in `app.rs` resolves the promises and clears the queue.
//!
//! The reducer is deterministic: the seed and the time of a reset are part of the action.

mod action;
mod console;
mod job;
mod reduce;

use std::rc::Rc;

use awscli::{LineOutput, Session};
use lab::scenario::{ObjectiveResult, ScenarioError, WrongTurnHit};

pub use action::ConsoleCall;
pub use action::{Action, KmsFileRequest, QuizIntent, ScenarioIntent};
pub use console::run_text;
pub use job::{QueuedLine, RunningJob};

/// One simulated day in milliseconds.
pub const DAY_MS: i64 = 86_400_000;

/// Regions offered in the top bar: every commercial Region the world accepts, so any Region a
/// scenario or the learner uses can be reached from the console.
pub const REGIONS: &[&str] = cloud::REGIONS;

/// The most terminal entries kept on screen (the world keeps its own, bounded, audit trail).
const TRANSCRIPT_LIMIT: usize = 200;
/// Commands kept for ↑/↓ (in the session, and across reloads).
pub const HISTORY_LIMIT: usize = 500;

/// The longest stretch of real time one sync moves the simulated clock (a tab left open
/// overnight should not silently rotate keys; the clock controls are for long jumps).
pub const MAX_SYNC_MS: i64 = 10 * 60 * 1000;

/// One command typed in the terminal and what it printed.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TermEntry {
    /// The profile the line ran as.
    pub profile: String,
    /// What was typed.
    pub input: String,
    /// What it printed.
    pub output: LineOutput,
}

/// Who and where the learner is: the default profile's identity.
#[derive(Clone, Debug, PartialEq)]
pub struct Identity {
    pub profile: String,
    /// The profile's principal: a user ARN, or the role ARN it assumes.
    pub principal: String,
    pub account: String,
    pub account_alias: &'static str,
    pub region: String,
}

/// A console action's outcome.
#[derive(Clone, Debug, PartialEq)]
pub struct CallOutcome {
    /// The API operation, e.g. `DisableKey`.
    pub operation: String,
    /// What the learner did, in words ("Disabled key 1234…").
    pub summary: String,
    pub result: Result<serde_json::Value, cloud::AwsError>,
    /// Shown on the next page too (an action that opens a page, as Create key does).
    pub carry_over: bool,
    /// The "Why?" card recorded with a failure, from the call's own decisions.
    pub why: Option<awscli::WhyCard>,
}

/// A message about the saved world, with the rejected save kept for export.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub message: String,
    /// The text of a save that could not be loaded, so the learner can download it.
    pub rejected_save: Option<Rc<String>>,
}

/// The active scenario graded at one revision: objectives, wrong turns.
#[derive(Clone, Debug, PartialEq)]
pub struct Grading {
    /// The scenario graded.
    pub scenario: String,
    /// Each objective's result.
    pub results: Result<Vec<ObjectiveResult>, ScenarioError>,
    /// The wrong turns detected.
    pub wrong_turns: Vec<WrongTurnHit>,
}

/// Why an action that needed the engine's extension did not run: its download failed.
pub const ENGINE_UNAVAILABLE: &str =
    "this needs a part of the lab that could not be downloaded; check the connection and try again";

/// The output of a line that did not run because the engine's extension could not be
/// downloaded.
pub fn engine_unavailable_output() -> LineOutput {
    LineOutput {
        stderr: format!("kmslab: {ENGINE_UNAVAILABLE}\n"),
        exit_code: 1,
        ..LineOutput::default()
    }
}

/// What a script caller (`window.kmsLab`) is answered with, by request id.
#[derive(Clone, Debug, PartialEq)]
pub enum ReplyValue {
    /// The output of `run(line)`.
    Line(Box<LineOutput>),
    /// `reset()` is done (also a `load` or a `start` of an embedding host).
    Done,
    /// The request could not be carried out: an error code and message for the caller.
    Failed { code: &'static str, message: String },
}

/// What the learner sees and changes.
#[derive(Clone, Debug)]
pub struct LabState {
    session: Rc<Session>,
    /// Bumped on every change of the session; effects and memos key on it.
    pub revision: u64,
    /// The terminal's scrollback.
    pub transcript: Rc<Vec<Rc<TermEntry>>>,
    /// How many entries were dropped from the front of the scrollback so far: `transcript[i]` is
    /// entry number `transcript_start + i`, which places it in the same render block until it
    /// goes (see the terminal page).
    pub transcript_start: u64,
    /// Commands typed, oldest first (↑/↓ in the terminal).
    pub history: Rc<Vec<String>>,
    /// A problem found while loading the saved world, shown until dismissed.
    pub notice: Option<Notice>,
    /// The outcome of the last console action (shown as a flash message).
    pub last_call: Option<Rc<CallOutcome>>,
    /// False until the saved world has been read (nothing is saved before that).
    pub loaded: bool,
    /// The real time of the last [`Action::Sync`]: between actions, simulated time flows like
    /// real time (plus the learner's jumps), so a human never trips the per-second quotas.
    pub synced_real_ms: Option<i64>,
    /// The active scenario graded at this revision (None when no scenario is active).
    pub grading: Option<Rc<Grading>>,
    /// Answers waiting for script callers, by request id (delivered by an effect).
    pub replies: Rc<Vec<(u64, ReplyValue)>>,
    /// The host's settings, applied by the lab document to every world this store holds.
    host: document::HostSettings,
    /// True when a saved lab exists that could not be read: nothing is saved over it.
    pub saves_blocked: bool,
    /// Whether the question bank (fetched after the first load) is there.
    pub quiz_bank: crate::quiz_bank::QuizBank,
    /// Whether the scenario data (fetched while the saved world opens) is there.
    pub scenario_data: crate::scenario_data::ScenarioData,
    /// The long command under way (run by an effect; the session is frozen meanwhile).
    pub job: Option<Rc<RunningJob>>,
    /// Lines that arrived while the job ran, run in order when it is done.
    pub queued: Rc<Vec<QueuedLine>>,
    /// Actions that needed the engine's extension (every service, KMS's too, loaded after the
    /// first download) before it was installed: dropped from the state they ran on, and
    /// run again in order once it is ([`Action::EngineInstalled`]). Empty once it is installed.
    pub waiting: Rc<Vec<Action>>,
    /// The active scenario could not be graded because its checks needed the engine's
    /// extension: it is graded once that is installed.
    regrade: bool,
    /// The engine's extension has been installed (views that graded on their own before then,
    /// and found they could not, grade again).
    pub engine: bool,
    /// The last download of the engine's extension failed (until it is installed): what waits
    /// for it is said to, and the next change of the world tries the download again.
    pub engine_failed: bool,
    /// The last job's id.
    next_job_id: u64,
    /// How far the Lab menu's Export world has come (`None`: no export under way).
    pub export: Option<ExportProgress>,
}

/// An export under way: the parts of the state document made so far, of all it has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExportProgress {
    pub done: usize,
    pub total: usize,
}

impl PartialEq for LabState {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.session, &other.session)
            && self.revision == other.revision
            && Rc::ptr_eq(&self.transcript, &other.transcript)
            && self.transcript_start == other.transcript_start
            && Rc::ptr_eq(&self.history, &other.history)
            && self.notice == other.notice
            && self.last_call == other.last_call
            && self.loaded == other.loaded
            && Rc::ptr_eq(&self.replies, &other.replies)
            && self.saves_blocked == other.saves_blocked
            && self.quiz_bank == other.quiz_bank
            && self.scenario_data == other.scenario_data
            && self.job == other.job
            && self.export == other.export
            && Rc::ptr_eq(&self.queued, &other.queued)
            && Rc::ptr_eq(&self.waiting, &other.waiting)
            && self.regrade == other.regrade
            && self.engine == other.engine
            && self.engine_failed == other.engine_failed
    }
}

impl LabState {
    /// A lab around a session (fresh, or loaded from storage).
    pub fn new(session: Session, notice: Option<Notice>) -> Self {
        let mut state = Self {
            session: Rc::new(session),
            revision: 0,
            transcript: Rc::new(Vec::new()),
            transcript_start: 0,
            history: Rc::new(Vec::new()),
            notice,
            last_call: None,
            loaded: true,
            synced_real_ms: None,
            grading: None,
            replies: Rc::new(Vec::new()),
            host: document::HostSettings::default(),
            saves_blocked: false,
            quiz_bank: crate::quiz_bank::QuizBank::initial(),
            scenario_data: crate::scenario_data::ScenarioData::initial(),
            job: None,
            queued: Rc::new(Vec::new()),
            waiting: Rc::new(Vec::new()),
            regrade: false,
            engine: false,
            engine_failed: false,
            next_job_id: 0,
            export: None,
        };
        state.grade();
        state
    }

    /// The same lab kept under `host`'s settings (applied now, and to every later world).
    pub fn with_host(mut self, host: document::HostSettings) -> Self {
        self.host = host;
        host.apply(self.session_mut());
        self
    }

    /// A placeholder store shown while the saved world loads.
    pub fn loading() -> Self {
        Self {
            loaded: false,
            ..Self::new(Session::new(0, 0), None)
        }
    }

    /// The session, for views (read-only: changes go through actions).
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// Read access to the session for views.
    pub fn with_session<T>(&self, f: impl FnOnce(&Session) -> T) -> T {
        f(&self.session)
    }

    /// The session to change, copied first if an older state still shares it.
    fn session_mut(&mut self) -> &mut Session {
        Rc::make_mut(&mut self.session)
    }

    /// The default profile's identity, read without calling the world (no audit events).
    pub fn identity(&self) -> Identity {
        let world = &self.session.world;
        let name = world.default_profile().to_owned();
        let info = world.profiles().into_iter().find(|p| p.name == name);
        let principal = info
            .as_ref()
            .and_then(|p| p.principal_arn.clone().or_else(|| p.role_arn.clone()))
            .unwrap_or_default();
        let account = principal.split(':').nth(4).unwrap_or_default().to_owned();
        Identity {
            account_alias: account_alias(&account),
            profile: name,
            principal,
            account,
            region: info.map(|p| p.region).unwrap_or_else(|| "us-east-1".into()),
        }
    }

    /// Profile names, for the switcher.
    pub fn profile_names(&self) -> Vec<String> {
        self.session
            .world
            .profiles()
            .into_iter()
            .map(|p| p.name)
            .collect()
    }

    /// Simulated time, epoch milliseconds.
    pub fn now_ms(&self) -> i64 {
        self.session.world.now_ms()
    }

    /// KMS requests made by (or on behalf of) the current account.
    pub fn kms_requests(&self) -> u64 {
        let account = self.identity().account;
        self.session.world.kms_request_count(&account)
    }

    /// The state document (the same schema as the CLI's `--state` file).
    pub fn export(&self) -> Result<String, String> {
        document::state_file::save(&self.session).map_err(|e| e.to_string())
    }

    /// The state document in parts (see `persist`): `cache` remembers the parts of the last
    /// save; at most `max_new` new parts are made (an incomplete save says so).
    pub fn export_in_parts(
        &self,
        cache: &mut cloud::parts::PartCache,
        max_new: Option<usize>,
    ) -> Result<document::state_file::SavedInParts, String> {
        document::state_file::save_in_parts_within(&self.session, cache, max_new)
            .map_err(|e| e.to_string())
    }

    /// Whether something waits for the engine's extension: actions, or the active scenario's
    /// grading.
    pub fn needs_engine(&self) -> bool {
        !self.waiting.is_empty() || self.regrade
    }

    /// A copy of the session for read-only views (calls on it leave no trace in the lab).
    pub fn snapshot(&self) -> Session {
        Session::clone(&self.session)
    }

    /// Grades the active scenario and records its progress (after a change of the world).
    fn grade(&mut self) {
        let Some(id) = lab::progress::active_scenario(&self.session.progress) else {
            self.grading = None;
            return;
        };
        // Before the engine's extension is installed (the scenarios' checks come with it) a
        // grading may need it: then nothing is recorded (the session is put back) and the
        // scenario is graded once it is installed.
        let installed = cloud::service::installed() && lab::scenario::checks_installed();
        let before = (!installed).then(|| Rc::clone(&self.session));
        cloud::service::take_wanted();
        // Called after the action changed the session, which is then this state's own: recording
        // the progress copies nothing (except in the case above).
        let results = lab::scenario::record(self.session_mut(), &id);
        let wrong_turns = lab::scenario::wrong_turns(&self.session, &id).unwrap_or_default();
        if let Some(before) = before
            && cloud::service::take_wanted()
        {
            // The last grading of this scenario (if any) stays until then.
            self.session = before;
            self.grading = self.grading.take().filter(|g| g.scenario == id);
            self.regrade = true;
            return;
        }
        self.regrade = false;
        self.grading = Some(Rc::new(Grading {
            scenario: id,
            results,
            wrong_turns,
        }));
    }
}

/// The default world's account aliases.
pub fn account_alias(account: &str) -> &'static str {
    match account {
        "111122223333" => "prod",
        "444455556666" => "partner",
        _ => "",
    }
}

/// Past exam attempts as (epoch ms, right, total), oldest first.
pub fn exam_attempts(progress: &lab::progress::Progress) -> Vec<(i64, u64, u64)> {
    progress
        .exam_attempts
        .iter()
        .map(|a| (a.at, a.right, a.total))
        .collect()
}

/// Formats epoch milliseconds as `YYYY-MM-DD HH:MM UTC` (civil-from-days, no clock access).
pub fn format_time(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = cloud::env::civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        rem / 3600,
        (rem % 3600) / 60
    )
}

#[cfg(all(test, feature = "lazy-engine"))]
mod engine_tests;
#[cfg(test)]
mod job_tests;
#[cfg(test)]
mod tests;
