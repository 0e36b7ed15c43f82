//! The app's store: a `use_reducer` state whose actions are user intents.
//!
//! The engine session (`awscli::Session`: the simulated world, script variables and files) lives
//! behind an `Rc<RefCell<…>>` so an action does not copy the whole world; every change bumps
//! `revision` and returns a new `Rc<LabState>` (Yew 0.23 skips re-rendering for the same `Rc`).
//! The reducer is deterministic — no storage, no clock, no entropy: the seed and the time of a
//! reset are part of the action, and persistence runs in an effect in `app.rs`.

use std::cell::RefCell;
use std::rc::Rc;

use awscli::{LineOutput, Session};
use yew::Reducible;

/// One simulated day in milliseconds.
pub const DAY_MS: i64 = 86_400_000;

/// Regions offered in the top bar: every commercial Region the world accepts, so any Region a
/// scenario or the learner uses can be reached from the console.
pub const REGIONS: &[&str] = cloud::REGIONS;

/// The most terminal entries kept on screen (the world keeps its own, bounded, audit trail).
const TRANSCRIPT_LIMIT: usize = 200;

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

/// What the learner sees and changes.
#[derive(Clone, Debug)]
pub struct LabState {
    session: Rc<RefCell<Session>>,
    /// Bumped on every change of the session; effects and memos key on it.
    pub revision: u64,
    /// The terminal's scrollback.
    pub transcript: Rc<Vec<TermEntry>>,
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

impl PartialEq for LabState {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.session, &other.session)
            && self.revision == other.revision
            && Rc::ptr_eq(&self.transcript, &other.transcript)
            && Rc::ptr_eq(&self.history, &other.history)
            && self.notice == other.notice
            && self.last_call == other.last_call
            && self.loaded == other.loaded
    }
}

impl LabState {
    /// A lab around a session (fresh, or loaded from storage).
    pub fn new(session: Session, notice: Option<Notice>) -> Self {
        Self {
            session: Rc::new(RefCell::new(session)),
            revision: 0,
            transcript: Rc::new(Vec::new()),
            history: Rc::new(Vec::new()),
            notice,
            last_call: None,
            loaded: true,
            synced_real_ms: None,
        }
    }

    /// A placeholder store shown while the saved world loads.
    pub fn loading() -> Self {
        Self {
            loaded: false,
            ..Self::new(Session::new(0, 0), None)
        }
    }

    /// Read access to the session for views (never held across a dispatch).
    pub fn with_session<T>(&self, f: impl FnOnce(&Session) -> T) -> T {
        f(&self.session.borrow())
    }

    /// The default profile's identity, read without calling the world (no audit events).
    pub fn identity(&self) -> Identity {
        self.with_session(|s| {
            let world = &s.world;
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
        })
    }

    /// Profile names, for the switcher.
    pub fn profile_names(&self) -> Vec<String> {
        self.with_session(|s| s.world.profiles().into_iter().map(|p| p.name).collect())
    }

    /// Simulated time, epoch milliseconds.
    pub fn now_ms(&self) -> i64 {
        self.with_session(|s| s.world.now_ms())
    }

    /// KMS requests made by (or on behalf of) the current account.
    pub fn kms_requests(&self) -> u64 {
        let account = self.identity().account;
        self.with_session(|s| s.world.kms_request_count(&account))
    }

    /// The state document (the same schema as the CLI's `--state` file).
    pub fn export(&self) -> Result<String, String> {
        self.with_session(|s| awscli::state::save(s).map_err(|e| e.to_string()))
    }

    /// A copy of the session for read-only views (calls on it leave no trace in the lab).
    pub fn snapshot(&self) -> Session {
        self.with_session(Session::clone)
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

/// A callback that receives the result of an action (the JS API resolves promises with it).
#[derive(Clone)]
pub struct Reply(ReplyFn);

#[derive(Clone)]
enum ReplyFn {
    Line(Rc<dyn Fn(&LineOutput)>),
    Export(Rc<dyn Fn(&str)>),
}

impl Reply {
    /// A reply that receives a command's output.
    pub fn new(f: impl Fn(&LineOutput) + 'static) -> Self {
        Reply(ReplyFn::Line(Rc::new(f)))
    }

    /// A reply that receives the exported state document.
    pub fn new_export(f: impl Fn(&str) + 'static) -> Self {
        Reply(ReplyFn::Export(Rc::new(f)))
    }
}

impl std::fmt::Debug for Reply {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Reply(..)")
    }
}

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
    /// Save objective results after a change of the world.
    Record(String),
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

/// Past exam attempts as (epoch ms, right, total), oldest first.
pub fn exam_attempts(progress: &serde_json::Value) -> Vec<(i64, u64, u64)> {
    progress["examAttempts"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| {
            Some((
                a["at"].as_i64()?,
                a["right"].as_u64()?,
                a["total"].as_u64()?,
            ))
        })
        .collect()
}

/// The longest stretch of real time one sync moves the simulated clock (a tab left open
/// overnight should not silently rotate keys; the clock controls are for long jumps).
pub const MAX_SYNC_MS: i64 = 10 * 60 * 1000;

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
    /// Run a line for a script caller (`window.kmsLab.run`), then hand it the output.
    RunFor { text: String, reply: Reply },
    /// Hand the state document to a caller; changes nothing.
    Export(Reply),
    /// A console action: one API call as the current profile in `region`.
    Call {
        region: String,
        service: &'static str,
        operation: &'static str,
        input: serde_json::Value,
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
    /// Start over with a fresh default world.
    Reset { seed: u64, now_ms: i64 },
    /// Replace the world with an imported one.
    Load(Box<Session>),
    /// The saved world has been read at start-up.
    Loaded(Box<Session>, Option<Notice>),
    /// Clear the terminal's scrollback.
    ClearTerminal,
    /// Put a file into the lab's file system (the terminal's file picker), for `fileb://NAME`.
    PutFile { name: String, bytes: Vec<u8> },
    /// Show a notice (for example, an import that failed).
    ShowNotice(Notice),
    /// Hide the load notice.
    DismissNotice,
    /// The learner moved to another page: banners from the page left are cleared.
    Navigated,
    /// The terminal's history and scrollback as saved before a reload.
    RestoreTerminal {
        history: Vec<String>,
        transcript: Vec<TermEntry>,
    },
}

impl Reducible for LabState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Sync { real_now_ms } => {
                let elapsed = next
                    .synced_real_ms
                    .map(|t| (real_now_ms - t).clamp(0, MAX_SYNC_MS))
                    .unwrap_or(0);
                next.synced_real_ms = Some(real_now_ms);
                if elapsed < 1 {
                    return Rc::new(next);
                }
                next.session.borrow_mut().world.advance_clock(elapsed);
                return Rc::new(next);
            }
            Action::Run(text) => {
                if !next.run(&text) {
                    return self;
                }
            }
            Action::RunFor { text, reply } => {
                let ran = next.run(&text);
                if let ReplyFn::Line(f) = &reply.0 {
                    match next.transcript.last().filter(|_| ran) {
                        Some(entry) => f(&entry.output),
                        None => f(&LineOutput::default()),
                    }
                }
                if !ran {
                    return self;
                }
            }
            Action::Export(reply) => {
                if let ReplyFn::Export(f) = &reply.0 {
                    f(&self
                        .export()
                        .unwrap_or_else(|e| format!("{{\"error\":{e:?}}}")));
                }
                return self;
            }
            Action::Call {
                region,
                service,
                operation,
                input,
                summary,
            } => {
                let (result, why) = {
                    let world = &mut next.session.borrow_mut().world;
                    match world.context_for_profile(None, Some(&region)) {
                        Err(e) => (Err(e), None),
                        Ok(ctx) => {
                            let (result, decisions) =
                                world.call_recorded(&ctx, service, operation, input.clone());
                            let why = result.as_ref().err().and_then(|error| {
                                awscli::why::card(&awscli::why::Failure {
                                    service,
                                    operation,
                                    input: &input,
                                    error,
                                    decisions: &decisions,
                                })
                            });
                            (result, why)
                        }
                    }
                };
                next.last_call = Some(Rc::new(CallOutcome {
                    operation: operation.to_owned(),
                    summary,
                    result,
                    carry_over: false,
                    why,
                }));
            }
            Action::CreateKey {
                region,
                input,
                alias,
            } => {
                let outcome = {
                    let world = &mut next.session.borrow_mut().world;
                    create_key(world, &region, input, alias.as_deref())
                };
                next.last_call = Some(Rc::new(outcome));
            }
            Action::DismissFlash => {
                next.last_call = None;
                return Rc::new(next);
            }
            Action::AdvanceClock { ms } if ms > 0 => {
                next.session.borrow_mut().world.advance_clock(ms);
            }
            Action::UseProfile(name) => {
                let changed = next.session.borrow_mut().world.set_default_profile(&name);
                if changed.is_err() {
                    return self;
                }
            }
            Action::UseRegion(region) if REGIONS.contains(&region.as_str()) => {
                let profile = next.identity().profile;
                let changed = next
                    .session
                    .borrow_mut()
                    .world
                    .configure_set(&profile, "region", &region);
                if changed.is_err() {
                    return self;
                }
            }
            Action::Reset { seed, now_ms } => {
                // World, files and shell variables are one unit: a fresh session replaces all.
                next.session = Rc::new(RefCell::new(Session::new(seed, now_ms)));
                next.transcript = Rc::new(Vec::new());
                next.last_call = None;
            }
            Action::Loaded(session, notice) => {
                next.session = Rc::new(RefCell::new(*session));
                next.notice = notice;
                next.loaded = true;
                return Rc::new(next);
            }
            Action::Load(session) => {
                next.session = Rc::new(RefCell::new(*session));
                next.transcript = Rc::new(Vec::new());
                next.notice = None;
                next.last_call = None;
            }
            Action::ClearTerminal => {
                next.transcript = Rc::new(Vec::new());
                return Rc::new(next);
            }
            Action::Scenario(intent) => {
                let changed = {
                    let mut session = next.session.borrow_mut();
                    let before = session.progress.clone();
                    let outcome = match &intent {
                        ScenarioIntent::Start { id, seed } => {
                            lab::scenario::start(&mut session, id, *seed).map(|_| ())
                        }
                        ScenarioIntent::Restart { id, seed } => {
                            lab::scenario::restart(&mut session, id, *seed).map(|_| ())
                        }
                        ScenarioIntent::Hint(id) => {
                            lab::scenario::hint(&mut session, id).map(|_| ())
                        }
                        ScenarioIntent::Record(id) => {
                            lab::scenario::record(&mut session, id).map(|_| ())
                        }
                    };
                    if let (Err(e), false) = (&outcome, matches!(intent, ScenarioIntent::Record(_)))
                    {
                        next.last_call = Some(Rc::new(CallOutcome {
                            operation: "Scenario".into(),
                            summary: String::new(),
                            result: Err(cloud::AwsError::new("ScenarioError", format!("{e:?}"))),
                            carry_over: false,
                            why: None,
                        }));
                    }
                    matches!(
                        intent,
                        ScenarioIntent::Start { .. } | ScenarioIntent::Restart { .. }
                    ) || session.progress != before
                };
                if !changed {
                    return self;
                }
                if matches!(
                    intent,
                    ScenarioIntent::Start { .. } | ScenarioIntent::Restart { .. }
                ) {
                    next.transcript = Rc::new(Vec::new());
                }
            }
            Action::Quiz(intent) => {
                let mut session = next.session.borrow_mut();
                match intent {
                    QuizIntent::Answer {
                        id,
                        correct,
                        now_ms,
                    } => {
                        lab::progress::record_answer(&mut session.progress, &id, correct, now_ms);
                    }
                    QuizIntent::Flag { id, flagged } => {
                        lab::progress::set_flag(&mut session.progress, &id, flagged);
                    }
                    QuizIntent::ExamFinished {
                        right,
                        total,
                        now_ms,
                        seed,
                    } => {
                        if !session.progress.is_object() {
                            session.progress = serde_json::json!({});
                        }
                        let attempt = serde_json::json!({ "at": now_ms, "right": right, "total": total, "seed": seed });
                        match session
                            .progress
                            .get_mut("examAttempts")
                            .and_then(|a| a.as_array_mut())
                        {
                            Some(list) => list.push(attempt),
                            None => session.progress["examAttempts"] = serde_json::json!([attempt]),
                        }
                    }
                }
            }
            Action::PutFile { name, bytes } => {
                let written = {
                    let mut session = next.session.borrow_mut();
                    awscli::FileSystem::write(&mut session.files, &name, &bytes)
                };
                let summary = match &written {
                    Ok(()) => format!(
                        "Uploaded {name} ({} bytes): use it as fileb://{name}",
                        bytes.len()
                    ),
                    Err(e) => format!("Could not store {name}: {e}"),
                };
                next.last_call = Some(Rc::new(CallOutcome {
                    operation: "Upload".into(),
                    summary: summary.clone(),
                    result: written
                        .map(|()| serde_json::Value::Null)
                        .map_err(|_| cloud::AwsError::new("InvalidFileName", summary)),
                    carry_over: false,
                    why: None,
                }));
            }
            Action::ShowNotice(notice) => {
                next.notice = Some(notice);
                return Rc::new(next);
            }
            Action::DismissNotice => {
                next.notice = None;
                return Rc::new(next);
            }
            Action::Navigated => {
                // An outcome that opened a new page (Create key → the key) is shown there once.
                next.last_call = match next.last_call.take() {
                    Some(o) if o.carry_over => Some(Rc::new(CallOutcome {
                        carry_over: false,
                        ..(*o).clone()
                    })),
                    _ => None,
                };
                if next.last_call == self.last_call && self.last_call.is_none() {
                    return self;
                }
                return Rc::new(next);
            }
            Action::RestoreTerminal {
                history,
                transcript,
            } => {
                next.history = Rc::new(history);
                let keep = transcript.len().saturating_sub(TRANSCRIPT_LIMIT);
                next.transcript = Rc::new(transcript.into_iter().skip(keep).collect());
                return Rc::new(next);
            }
            Action::AdvanceClock { .. } | Action::UseRegion(_) => return self,
        }
        next.revision += 1;
        Rc::new(next)
    }
}

impl LabState {
    /// Runs terminal input and records it; false when there was nothing to run.
    fn run(&mut self, text: &str) -> bool {
        let text = text.trim_end().to_owned();
        if text.trim().is_empty() {
            return false;
        }
        let profile = self.identity().profile;
        let output = run_text(&mut self.session.borrow_mut(), &text);
        let history = Rc::make_mut(&mut self.history);
        if history.last() != Some(&text) {
            history.push(text.clone());
        }
        let transcript = Rc::make_mut(&mut self.transcript);
        transcript.push(TermEntry {
            profile,
            input: text,
            output,
        });
        if transcript.len() > TRANSCRIPT_LIMIT {
            let excess = transcript.len() - TRANSCRIPT_LIMIT;
            transcript.drain(..excess);
        }
        true
    }
}

/// CreateKey then CreateAlias, as the console's wizard does; the outcome names both.
fn create_key(
    world: &mut cloud::World,
    region: &str,
    input: serde_json::Value,
    alias: Option<&str>,
) -> CallOutcome {
    let ctx = match world.context_for_profile(None, Some(region)) {
        Ok(ctx) => ctx,
        Err(e) => {
            return CallOutcome {
                operation: "CreateKey".into(),
                summary: String::new(),
                result: Err(e),
                carry_over: false,
                why: None,
            };
        }
    };
    let created = world.call(&ctx, "kms", "CreateKey", input);
    let Ok(created) = created else {
        return CallOutcome {
            operation: "CreateKey".into(),
            summary: String::new(),
            result: created,
            carry_over: false,
            why: None,
        };
    };
    let key_id = created["KeyMetadata"]["KeyId"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let mut summary = format!("Created key {key_id}");
    if let Some(alias) = alias {
        let aliased = world.call(
            &ctx,
            "kms",
            "CreateAlias",
            serde_json::json!({ "AliasName": alias, "TargetKeyId": key_id }),
        );
        match aliased {
            Ok(_) => summary.push_str(&format!(" with alias {alias}")),
            Err(e) => summary.push_str(&format!(
                "; the alias {alias} was not created: {} ({})",
                e.message, e.code
            )),
        }
    }
    CallOutcome {
        operation: "CreateKey".into(),
        summary,
        result: Ok(created),
        carry_over: true,
        why: None,
    }
}

/// Runs terminal input against the session, using the session's own in-memory files.
/// Several lines run as a script (stopping at the first failure, as `kmslab run` does).
pub fn run_text(session: &mut Session, text: &str) -> LineOutput {
    if !text.contains('\n') {
        return session.run_line_in_memory(text);
    }
    let script = session.run_script_in_memory(text, awscli::ScriptOptions::default());
    let mut merged = LineOutput {
        exit_code: script.exit_code,
        ..LineOutput::default()
    };
    for line in script.lines {
        merged.stdout.push_str(&line.output.stdout);
        merged.stderr.push_str(&line.output.stderr);
        merged.json = line.output.json.or(merged.json);
        merged.error_code = line.output.error_code.or(merged.error_code);
    }
    merged
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

#[cfg(test)]
mod tests {
    use super::*;

    const T0: i64 = 1_795_377_420_000;

    fn lab() -> Rc<LabState> {
        Rc::new(LabState::new(Session::new(7, T0), None))
    }

    #[test]
    fn advancing_the_clock_moves_the_world_and_returns_a_new_state() {
        let s = lab();
        let next = s.clone().reduce(Action::AdvanceClock { ms: DAY_MS });
        assert_eq!(next.now_ms(), T0 + DAY_MS);
        assert!(!Rc::ptr_eq(&s, &next));
        assert_eq!(next.revision, 1);
    }

    #[test]
    fn invalid_intents_keep_the_same_rc() {
        let s = lab();
        assert!(Rc::ptr_eq(
            &s,
            &s.clone().reduce(Action::UseRegion("mars-1".into()))
        ));
        assert!(Rc::ptr_eq(
            &s,
            &s.clone().reduce(Action::UseProfile("nobody".into()))
        ));
        assert!(Rc::ptr_eq(
            &s,
            &s.clone().reduce(Action::AdvanceClock { ms: -5 })
        ));
        assert!(Rc::ptr_eq(&s, &s.clone().reduce(Action::Run("   ".into()))));
    }

    #[test]
    fn profile_and_region_switches_change_identity() {
        let s = lab()
            .reduce(Action::UseProfile("partner-admin".into()))
            .reduce(Action::UseRegion("eu-west-1".into()));
        let id = s.identity();
        assert_eq!(id.account, "444455556666");
        assert_eq!(id.account_alias, "partner");
        assert_eq!(id.region, "eu-west-1");
    }

    #[test]
    fn running_a_command_records_output_and_history() {
        let s = lab().reduce(Action::Run("aws sts get-caller-identity".into()));
        let entry = s.transcript.last().unwrap();
        assert_eq!(entry.output.exit_code, 0, "{}", entry.output.stderr);
        assert!(entry.output.stdout.contains("111122223333"));
        assert_eq!(s.history.as_slice(), ["aws sts get-caller-identity"]);
    }

    #[test]
    fn a_pasted_script_runs_line_by_line_with_captures() {
        let script = "K=$(aws kms create-key --query KeyMetadata.KeyId --output text)\naws kms describe-key --key-id $K --query KeyMetadata.KeyState --output text";
        let s = lab().reduce(Action::Run(script.into()));
        let out = &s.transcript.last().unwrap().output;
        assert_eq!(out.exit_code, 0, "{}", out.stderr);
        assert_eq!(out.stdout.trim(), "Enabled");
    }

    #[test]
    fn export_round_trips_through_the_cli_state_schema() {
        let s = lab().reduce(Action::Run("aws kms create-key".into()));
        let text = s.export().unwrap();
        let back = awscli::state::load(&text).unwrap();
        assert_eq!(back.world.now_ms(), s.now_ms());
    }

    #[test]
    fn console_calls_go_through_the_entry_point_and_report_errors() {
        let s = lab().reduce(Action::Call {
            region: "us-east-1".into(),
            service: "kms",
            operation: "CreateKey",
            input: serde_json::json!({ "Description": "from the console" }),
            summary: "Created a key".into(),
        });
        let created = s.last_call.clone().unwrap();
        let id = created.result.as_ref().unwrap()["KeyMetadata"]["KeyId"]
            .as_str()
            .unwrap()
            .to_owned();
        let s = s.reduce(Action::Call {
            region: "us-east-1".into(),
            service: "kms",
            operation: "ScheduleKeyDeletion",
            input: serde_json::json!({ "KeyId": id, "PendingWindowInDays": 3 }),
            summary: "Scheduled deletion".into(),
        });
        let err = s.last_call.clone().unwrap().result.clone().unwrap_err();
        assert_eq!(err.code, "ValidationException");
        assert_eq!(s.revision, 2);
    }

    #[test]
    fn exam_attempts_are_kept_for_the_trend() {
        let s = lab()
            .reduce(Action::Quiz(QuizIntent::Answer {
                id: "rot-default-off".into(),
                correct: true,
                now_ms: 5,
            }))
            .reduce(Action::Quiz(QuizIntent::ExamFinished {
                right: 7,
                total: 10,
                now_ms: 10,
                seed: 1,
            }))
            .reduce(Action::Quiz(QuizIntent::ExamFinished {
                right: 9,
                total: 10,
                now_ms: 20,
                seed: 2,
            }));
        let attempts = s.with_session(|x| exam_attempts(&x.progress));
        assert_eq!(attempts, [(10, 7, 10), (20, 9, 10)]);
        let answered = s.with_session(|x| lab::progress::question(&x.progress, "rot-default-off"));
        assert!(
            answered.is_some_and(|q| q.right == 1),
            "quiz progress is kept beside the attempts"
        );
    }

    #[test]
    fn an_uploaded_file_is_readable_with_fileb() {
        let s = lab().reduce(Action::PutFile {
            name: "secret.bin".into(),
            bytes: b"top secret".to_vec(),
        });
        let s = s.reduce(Action::Run(
            "aws kms encrypt --key-id $(aws kms create-key --query KeyMetadata.KeyId --output text) --plaintext fileb://secret.bin --query KeyId --output text".into(),
        ));
        let out = &s.transcript.last().unwrap().output;
        assert_eq!(out.exit_code, 0, "{}", out.stderr);
        assert!(out.stdout.contains(":key/"));
    }

    #[test]
    fn sync_lets_simulated_time_follow_real_time_within_a_cap() {
        let s = lab().reduce(Action::Sync { real_now_ms: 1_000 });
        assert_eq!(s.now_ms(), T0, "the first sync only sets the reference");
        let s = s.reduce(Action::Sync { real_now_ms: 3_500 });
        assert_eq!(s.now_ms(), T0 + 2_500);
        let s = s.reduce(Action::Sync {
            real_now_ms: 3_500 + 86_400_000,
        });
        assert_eq!(s.now_ms(), T0 + 2_500 + MAX_SYNC_MS);
        // Six keys typed a few seconds apart are not throttled by the 5/s CreateKey quota.
        let mut s = s;
        for i in 0..6 {
            s = s
                .reduce(Action::Sync {
                    real_now_ms: 100_000_000 + i * 3_000,
                })
                .reduce(Action::Run("aws kms create-key".into()));
            let out = &s.transcript.last().unwrap().output;
            assert_eq!(out.exit_code, 0, "key {i}: {}", out.stderr);
        }
    }

    #[test]
    fn banners_clear_on_navigation_and_reset() {
        let failed = lab().reduce(Action::Call {
            region: "us-east-1".into(),
            service: "kms",
            operation: "DescribeKey",
            input: serde_json::json!({ "KeyId": "alias/nope" }),
            summary: String::new(),
        });
        assert!(failed.last_call.is_some());
        assert!(failed.clone().reduce(Action::Navigated).last_call.is_none());
        let reset = failed.reduce(Action::Reset {
            seed: 2,
            now_ms: T0,
        });
        assert!(
            reset.last_call.is_none(),
            "Reset lab leaves no banner behind"
        );
        // Create key opens the new key's page: its outcome is shown there, once.
        let created = lab().reduce(Action::CreateKey {
            region: "us-east-1".into(),
            input: serde_json::json!({}),
            alias: None,
        });
        let on_key_page = created.reduce(Action::Navigated);
        assert!(
            on_key_page
                .last_call
                .as_ref()
                .is_some_and(|o| o.result.is_ok())
        );
        assert!(on_key_page.reduce(Action::Navigated).last_call.is_none());
    }

    #[test]
    fn a_console_denial_carries_the_recorded_why_card() {
        let s = lab()
            .reduce(Action::Run(
                "K=$(aws kms create-key --query KeyMetadata.KeyId --output text)".into(),
            ))
            .reduce(Action::UseProfile("security-admin".into()));
        let key = s.with_session(|x| x.vars["K"].clone());
        let s = s.reduce(Action::Call {
            region: "us-east-1".into(),
            service: "kms",
            operation: "Encrypt",
            input: serde_json::json!({ "KeyId": key, "Plaintext": "aGk=" }),
            summary: String::new(),
        });
        let outcome = s.last_call.clone().unwrap();
        assert_eq!(
            outcome.result.as_ref().unwrap_err().code,
            "AccessDeniedException"
        );
        let card = outcome.why.clone().expect("a Why? card for the denial");
        assert!(card.trace.is_some_and(|t| t.contains("kms:Encrypt")));
    }

    #[test]
    fn restart_replaces_the_scenario_world_files_and_variables() {
        let s = lab()
            .reduce(Action::Scenario(ScenarioIntent::Start {
                id: "diagnose-denied-decrypt".into(),
                seed: 1,
            }))
            .reduce(Action::Run("echo \"grant: guess\" > diagnosis.txt".into()))
            .reduce(Action::Run("MINE=1".into()));
        assert!(s.with_session(|x| {
            awscli::FileSystem::list(&x.files).contains(&"diagnosis.txt".to_owned())
        }));
        let s = s.reduce(Action::Scenario(ScenarioIntent::Restart {
            id: "diagnose-denied-decrypt".into(),
            seed: 2,
        }));
        s.with_session(|x| {
            assert!(!awscli::FileSystem::list(&x.files).contains(&"diagnosis.txt".to_owned()));
            assert!(!x.vars.contains_key("MINE"));
            assert!(
                x.vars.contains_key("KEY_ID"),
                "the setup's own variables are back"
            );
        });
        assert!(
            s.transcript.is_empty(),
            "the terminal starts over with the world"
        );
    }

    #[test]
    fn every_region_a_scenario_uses_is_offered() {
        assert!(REGIONS.contains(&"eu-north-1"));
        let s = lab().reduce(Action::UseRegion("eu-north-1".into()));
        assert_eq!(s.identity().region, "eu-north-1");
    }

    #[test]
    fn formats_known_dates() {
        assert_eq!(format_time(0), "1970-01-01 00:00 UTC");
        assert_eq!(format_time(T0), "2026-11-22 19:57 UTC");
        assert_eq!(format_time(951_782_400_000), "2000-02-29 00:00 UTC");
    }
}
