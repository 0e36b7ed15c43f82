//! The reducer: each action returns a new state (copy-on-write), or the same `Rc` when nothing
//! changed. Every change of the world bumps the revision and grades the active scenario.

use std::rc::Rc;

use awscli::LineOutput;
use yew::Reducible;

use super::action::{Action, QuizIntent, ScenarioIntent};
use super::console;
use super::{CallOutcome, LabState, MAX_SYNC_MS, REGIONS, ReplyValue, TRANSCRIPT_LIMIT};

/// What an action did to the state.
pub(super) enum Change {
    /// Nothing: keep the same `Rc`.
    None,
    /// Only what the learner sees (banners, scrollback): a new state, same revision.
    View,
    /// The session changed: a new revision, graded.
    World,
}

impl Reducible for LabState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        match action {
            Action::EngineInstalled => return self.engine_installed(),
            Action::EngineUnavailable => return self.engine_unavailable(),
            _ => {}
        }
        if !self.waiting.is_empty() && action.waits_for_engine() {
            // Behind an action waiting for the engine's extension: wait too, in order. (The
            // clock's sync is not kept: the next one after them catches up.)
            if matches!(action, Action::Sync { .. }) {
                return self;
            }
            let mut next = (*self).clone();
            Rc::make_mut(&mut next.waiting).push(action);
            return Rc::new(next);
        }
        // Before the engine's extension is installed, an action may need it: it then answered
        // an error somewhere and may have changed the session halfway, so what it did is
        // dropped and it waits to run again on this state.
        let replay = (!cloud::service::installed()).then(|| action.clone());
        let (next, wanted) = Rc::clone(&self).attempt(action);
        match replay {
            Some(replay) if wanted => {
                let mut next = (*self).clone();
                Rc::make_mut(&mut next.waiting).push(replay);
                Rc::new(next)
            }
            _ => next,
        }
    }
}

impl LabState {
    /// Applies an action (a new revision, graded, when the world changed); also tells whether
    /// it needed the engine's extension while it was not installed.
    fn attempt(self: Rc<Self>, action: Action) -> (Rc<Self>, bool) {
        cloud::service::take_wanted();
        let mut next = (*self).clone();
        let change = next.apply(action);
        let wanted = cloud::service::take_wanted();
        let state = match change {
            Change::None => self,
            Change::View => Rc::new(next),
            Change::World => {
                next.revision += 1;
                next.grade();
                Rc::new(next)
            }
        };
        (state, wanted)
    }

    /// The engine's extension is installed: the actions that waited run in order, then the
    /// scenario whose grading waited is graded.
    fn engine_installed(self: Rc<Self>) -> Rc<Self> {
        if self.engine && self.waiting.is_empty() && !self.regrade {
            return self;
        }
        let mut next = (*self).clone();
        // Views that graded on their own before it was here grade again.
        next.engine = true;
        next.engine_failed = false;
        let waiting = std::mem::take(Rc::make_mut(&mut next.waiting));
        let mut state = Rc::new(next);
        for action in waiting {
            state = state.reduce(action);
        }
        if state.regrade {
            let mut next = (*state).clone();
            next.revision += 1;
            next.grade();
            state = Rc::new(next);
        }
        state
    }

    /// The engine's extension could not be downloaded: the waiting actions run in order; one
    /// that needed it is dropped again and answered with why (a line's caller with an error
    /// output, anything else with a flash message). A finished long command is kept whatever
    /// its queued lines met, so that it ends. The next action that needs it tries the download
    /// again.
    fn engine_unavailable(self: Rc<Self>) -> Rc<Self> {
        if self.engine || (self.waiting.is_empty() && self.engine_failed) {
            return self;
        }
        let mut next = (*self).clone();
        next.engine_failed = true;
        let waiting = std::mem::take(Rc::make_mut(&mut next.waiting));
        let mut state = Rc::new(next);
        for action in waiting {
            let ends_a_job = matches!(action, Action::JobFinished { .. });
            let (next, wanted) = Rc::clone(&state).attempt(action.clone());
            state = if wanted && !ends_a_job {
                state.answer_unavailable(action)
            } else {
                next
            };
        }
        state
    }

    /// Answers an action that could not run without the engine's extension.
    fn answer_unavailable(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Run(text) => next.unavailable_line(text, None),
            Action::RunFor { text, request } => next.unavailable_line(text, Some(request)),
            other => {
                if let Action::ScenarioFor { request, .. } | Action::LoadFor { request, .. } =
                    &other
                {
                    Rc::make_mut(&mut next.replies).push((
                        *request,
                        ReplyValue::Failed {
                            code: "Unavailable",
                            message: super::ENGINE_UNAVAILABLE.into(),
                        },
                    ));
                }
                let operation = match other {
                    Action::Scenario(_) | Action::ScenarioFor { .. } => "Scenario",
                    Action::AdvanceClock { .. } | Action::Sync { .. } => "Clock",
                    Action::LabLocal { .. } | Action::KmsFile(_) => "Lab tools",
                    _ => "Console",
                };
                next.last_call = Some(Rc::new(CallOutcome {
                    operation: operation.into(),
                    summary: String::new(),
                    result: Err(cloud::AwsError::new(
                        "ServiceUnavailable",
                        super::ENGINE_UNAVAILABLE,
                    )),
                    carry_over: false,
                    why: None,
                }));
            }
        }
        Rc::new(next)
    }

    /// A line that could not run: shown in the terminal with why, and its caller answered.
    fn unavailable_line(&mut self, text: String, request: Option<u64>) {
        let output = super::engine_unavailable_output();
        let profile = self.identity().profile;
        self.remember(&text);
        self.record(profile, text, output.clone());
        if let Some(request) = request {
            Rc::make_mut(&mut self.replies).push((request, ReplyValue::Line(Box::new(output))));
        }
    }
}

impl LabState {
    fn apply(&mut self, action: Action) -> Change {
        if let Some(change) = self.refuse_while_busy(&action) {
            return change;
        }
        match action {
            Action::Sync { real_now_ms } => {
                let elapsed = self
                    .synced_real_ms
                    .map(|t| (real_now_ms - t).clamp(0, MAX_SYNC_MS))
                    .unwrap_or(0);
                self.synced_real_ms = Some(real_now_ms);
                if elapsed < 1 {
                    return Change::View;
                }
                // Rotations and deletions that fall due change the world: a new revision.
                self.session_mut().world.advance_clock(elapsed);
                Change::World
            }
            Action::Run(text) => self.run_or_queue(text, None),
            Action::RunFor { text, request } => self.run_or_queue(text, Some(request)),
            Action::JobProgress { id, progress } => self.job_progress(id, progress),
            Action::JobFinished {
                id,
                session,
                output,
            } => self.job_finished(id, *session, output),
            Action::Call {
                region,
                service,
                operation,
                input,
                summary,
            } => {
                let world = &mut self.session_mut().world;
                let outcome = console::call(world, &region, service, operation, input, summary);
                self.last_call = Some(Rc::new(outcome));
                Change::World
            }
            Action::Calls {
                region,
                calls,
                summary,
            } => {
                let world = &mut self.session_mut().world;
                let outcome = console::calls(world, &region, calls, summary);
                self.last_call = Some(Rc::new(outcome));
                Change::World
            }
            Action::CreateKey {
                region,
                input,
                alias,
            } => {
                let world = &mut self.session_mut().world;
                let outcome = console::create_key(world, &region, input, alias.as_deref());
                self.last_call = Some(Rc::new(outcome));
                Change::World
            }
            Action::DismissFlash => {
                self.last_call = None;
                Change::View
            }
            Action::AdvanceClock { ms } if ms > 0 => {
                self.session_mut().world.advance_clock(ms);
                Change::World
            }
            Action::AdvanceClock { .. } => Change::None,
            Action::UseProfile(name) => {
                if self.session.world.profiles().iter().all(|p| p.name != name) {
                    return Change::None;
                }
                match self.session_mut().world.set_default_profile(&name) {
                    Ok(()) => Change::World,
                    Err(_) => Change::None,
                }
            }
            Action::UseRegion(region) => {
                if !REGIONS.contains(&region.as_str()) {
                    return Change::None;
                }
                let profile = self.identity().profile;
                match self
                    .session_mut()
                    .world
                    .configure_set(&profile, "region", &region)
                {
                    Ok(()) => Change::World,
                    Err(_) => Change::None,
                }
            }
            Action::Reset {
                seed,
                now_ms,
                request,
            } => {
                self.stop_job("the lab was reset");
                // World, files and shell variables are one unit: a fresh session replaces all.
                self.session =
                    Rc::new(document::LabDocument::fresh(seed, now_ms, self.host).into_session());
                self.transcript = Rc::new(Vec::new());
                self.last_call = None;
                // The new world starts at `now_ms`: real time is measured from here.
                self.synced_real_ms = Some(now_ms);
                if let Some(request) = request {
                    Rc::make_mut(&mut self.replies).push((request, ReplyValue::Done));
                }
                Change::World
            }
            Action::Loaded {
                session,
                notice,
                saves_blocked,
            } => {
                self.saves_blocked = saves_blocked;
                self.session =
                    Rc::new(document::LabDocument::new(*session, self.host).into_session());
                self.notice = notice;
                self.loaded = true;
                self.grade();
                Change::View
            }
            Action::LoadFor { session, request } => {
                let change = self.apply(Action::Load(session));
                Rc::make_mut(&mut self.replies).push((request, ReplyValue::Done));
                change
            }
            Action::Load(session) => {
                self.stop_job("another lab was imported");
                self.session =
                    Rc::new(document::LabDocument::new(*session, self.host).into_session());
                self.transcript = Rc::new(Vec::new());
                self.notice = None;
                self.last_call = None;
                // An imported world keeps its own clock: the next sync only sets a baseline.
                self.synced_real_ms = None;
                Change::World
            }
            Action::ClearTerminal => {
                self.transcript = Rc::new(Vec::new());
                Change::View
            }
            Action::Scenario(intent) => self.scenario(intent).0,
            Action::ScenarioFor { intent, request } => {
                let (change, outcome) = self.scenario(intent);
                let reply = match outcome {
                    Ok(()) => ReplyValue::Done,
                    Err(e) => ReplyValue::Failed {
                        code: "ScenarioError",
                        message: e.to_string(),
                    },
                };
                Rc::make_mut(&mut self.replies).push((request, reply));
                change
            }
            Action::Quiz(intent) => {
                let progress = &mut self.session_mut().progress;
                match intent {
                    QuizIntent::Answer {
                        id,
                        correct,
                        now_ms,
                    } => {
                        lab::progress::record_answer(progress, &id, correct, now_ms);
                    }
                    QuizIntent::Flag { id, flagged } => {
                        lab::progress::set_flag(progress, &id, flagged)
                    }
                    QuizIntent::ExamFinished {
                        right,
                        total,
                        now_ms,
                        seed,
                    } => lab::progress::record_exam(progress, right, total, now_ms, seed),
                }
                Change::World
            }
            Action::LabLocal { args } => {
                let output = self
                    .session_mut()
                    .run_line_in_memory(&console::lab_local_line(&args));
                self.last_call = Some(Rc::new(console::lab_tool_outcome(&args, &output)));
                Change::World
            }
            Action::KmsFile(request) => {
                let outcome = console::kms_file(self.session_mut(), &request);
                self.last_call = Some(Rc::new(outcome));
                Change::World
            }
            Action::PutFile { name, bytes } => {
                let written =
                    awscli::FileSystem::write(&mut self.session_mut().files, &name, &bytes);
                let summary = match &written {
                    Ok(()) => format!(
                        "Uploaded {name} ({} bytes): use it as fileb://{name}",
                        bytes.len()
                    ),
                    Err(e) => format!("Could not store {name}: {e}"),
                };
                self.last_call = Some(Rc::new(CallOutcome {
                    operation: "Upload".into(),
                    summary: summary.clone(),
                    result: written
                        .map(|()| serde_json::Value::Null)
                        .map_err(|_| cloud::AwsError::new("InvalidFileName", summary)),
                    carry_over: false,
                    why: None,
                }));
                Change::World
            }
            Action::ShowNotice(notice) => {
                self.notice = Some(notice);
                Change::View
            }
            Action::DismissNotice => {
                self.notice = None;
                Change::View
            }
            Action::ExportProgressed(progress) => {
                self.export = progress;
                Change::View
            }
            Action::QuizBankFetched(bank) => {
                self.quiz_bank = bank;
                Change::View
            }
            Action::ScenarioDataFetched(data) => {
                // The active scenario (if any) is graded once it is known.
                if data == crate::scenario_data::ScenarioData::Ready {
                    self.grade();
                }
                self.scenario_data = data;
                Change::View
            }
            Action::Navigated => {
                // An outcome that opened a new page (Create key → the key) is shown there once.
                match self.last_call.take() {
                    None => return Change::None,
                    Some(o) if o.carry_over => {
                        self.last_call = Some(Rc::new(CallOutcome {
                            carry_over: false,
                            ..(*o).clone()
                        }));
                    }
                    Some(_) => {}
                }
                Change::View
            }
            Action::RestoreTerminal {
                history,
                transcript,
            } => {
                self.history = Rc::new(history);
                let keep = transcript.len().saturating_sub(TRANSCRIPT_LIMIT);
                self.transcript = Rc::new(transcript.into_iter().skip(keep).map(Rc::new).collect());
                Change::View
            }
            Action::RepliesDelivered { up_to } => {
                if self.replies.iter().all(|(id, _)| *id > up_to) {
                    return Change::None;
                }
                Rc::make_mut(&mut self.replies).retain(|(id, _)| *id > up_to);
                Change::View
            }
            // Handled by `reduce` before `apply`.
            Action::EngineInstalled | Action::EngineUnavailable => Change::None,
        }
    }

    /// Carries out a scenario intent; also tells whether it failed.
    fn scenario(
        &mut self,
        intent: ScenarioIntent,
    ) -> (Change, Result<(), lab::scenario::ScenarioError>) {
        if !matches!(intent, ScenarioIntent::Hint(_)) {
            self.stop_job("a scenario was started");
        }
        let (outcome, fresh) = {
            let session = self.session_mut();
            match &intent {
                ScenarioIntent::Start { id, seed } => {
                    (lab::scenario::start(session, id, *seed).map(|_| ()), true)
                }
                ScenarioIntent::Restart { id, seed } => {
                    (lab::scenario::restart(session, id, *seed).map(|_| ()), true)
                }
                ScenarioIntent::Hint(id) => (lab::scenario::hint(session, id).map(|_| ()), false),
            }
        };
        match outcome {
            Err(e) => {
                self.last_call = Some(Rc::new(CallOutcome {
                    operation: "Scenario".into(),
                    summary: String::new(),
                    result: Err(cloud::AwsError::new("ScenarioError", format!("{e:?}"))),
                    carry_over: false,
                    why: None,
                }));
                (Change::World, Err(e))
            }
            Ok(()) => {
                if fresh {
                    // A scenario brings its own world: the host's settings apply to it too.
                    let host = self.host;
                    host.apply(self.session_mut());
                    // The scenario's world has its own clock: the next sync only sets a baseline.
                    self.synced_real_ms = None;
                    self.transcript = Rc::new(Vec::new());
                    self.last_call = None;
                }
                (Change::World, Ok(()))
            }
        }
    }

    /// Runs terminal input and records it; None when there was nothing to run.
    pub(super) fn run(&mut self, text: &str) -> Option<LineOutput> {
        let text = text.trim_end().to_owned();
        if text.trim().is_empty() {
            return None;
        }
        let profile = self.identity().profile;
        let output = console::run_text(self.session_mut(), &text);
        self.remember(&text);
        self.record(profile, text, output.clone());
        Some(output)
    }
}
