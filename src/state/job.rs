//! Long commands (`lab load …`) in the store: the one under way, the lines that wait for it, and
//! what the store refuses meanwhile.
//!
//! `reduce` never runs a long command: it records it as [`RunningJob`] and an effect
//! (`crate::job_runner`) runs it on its own copy of the session in chunks that yield to the event
//! loop, reporting [`Action::JobProgress`], then hands the finished session back with
//! [`Action::JobFinished`]. Until then the store's session is frozen:
//!
//! - lines typed or sent by `window.kmsLab.run` are queued and run in order when the job is done
//!   (a queued long command starts the next job);
//! - other changes of the world (console actions, the clock, profiles, quiz answers, scenarios)
//!   are refused with a flash message saying why; the clock's real-time sync waits;
//! - what replaces the world stops the job: the Lab menu's reset or `kmsLab.reset()`, an import,
//!   a scenario's start or restart; its caller and the queued callers are answered with a
//!   "stopped" output (exit code 130).
//!
//! Saves follow revisions, and a job's chunks change none: the world is saved once, when the
//! finished session comes back.

use std::rc::Rc;

use awscli::{JobProgress, LineOutput, Session};

use super::action::{Action, ScenarioIntent};
use super::reduce::Change;
use super::{CallOutcome, LabState, ReplyValue, TermEntry};

/// A long command under way.
#[derive(Clone, Debug, PartialEq)]
pub struct RunningJob {
    /// Tells this job's progress and result from a stopped one's.
    pub id: u64,
    /// The line.
    pub text: String,
    /// The profile it runs as (shown in its prompt).
    pub profile: String,
    /// The script caller waiting for its output, if any.
    pub request: Option<u64>,
    /// How far it has come (None until the first chunk ran).
    pub progress: Option<JobProgress>,
}

/// A line that arrived while a job ran.
#[derive(Clone, Debug, PartialEq)]
pub struct QueuedLine {
    pub text: String,
    pub request: Option<u64>,
}

/// What a caller whose line did not run is answered.
fn stopped(why: &str) -> LineOutput {
    LineOutput {
        stderr: format!("kmslab: stopped before it finished: {why}\n"),
        exit_code: 130,
        ..LineOutput::default()
    }
}

impl LabState {
    /// A line typed or sent: run now, started as a job, or queued behind the job under way.
    pub(super) fn run_or_queue(&mut self, text: String, request: Option<u64>) -> Change {
        if self.job.is_some() {
            if text.trim().is_empty() {
                return Change::None;
            }
            Rc::make_mut(&mut self.queued).push(QueuedLine { text, request });
            return Change::View;
        }
        self.start(text, request)
    }

    /// Runs a line (or a pasted script), or records a long command as the job to run.
    fn start(&mut self, text: String, request: Option<u64>) -> Change {
        let text = text.trim_end().to_owned();
        if awscli::is_job_line(&text) {
            self.remember(&text);
            self.next_job_id += 1;
            self.job = Some(Rc::new(RunningJob {
                id: self.next_job_id,
                text,
                profile: self.identity().profile,
                request,
                progress: None,
            }));
            return Change::View;
        }
        let output = self.run(&text);
        let ran = output.is_some();
        if let Some(request) = request {
            Rc::make_mut(&mut self.replies).push((
                request,
                ReplyValue::Line(Box::new(output.unwrap_or_default())),
            ));
        }
        match (ran, request) {
            (true, _) => Change::World,
            (false, Some(_)) => Change::View,
            (false, None) => Change::None,
        }
    }

    /// The job's latest progress.
    pub(super) fn job_progress(&mut self, id: u64, progress: JobProgress) -> Change {
        let Some(job) = self.job.as_mut().filter(|j| j.id == id) else {
            return Change::None;
        };
        Rc::make_mut(job).progress = Some(progress);
        Change::View
    }

    /// The job is done: its session replaces the store's, its output is recorded and answered,
    /// then the queued lines run (until one starts another job).
    pub(super) fn job_finished(&mut self, id: u64, session: Session, output: LineOutput) -> Change {
        let Some(job) = self.job.take_if(|j| j.id == id) else {
            return Change::None;
        };
        self.session = Rc::new(session);
        self.record(job.profile.clone(), job.text.clone(), output.clone());
        if let Some(request) = job.request {
            Rc::make_mut(&mut self.replies).push((request, ReplyValue::Line(Box::new(output))));
        }
        let queued = std::mem::take(Rc::make_mut(&mut self.queued));
        let mut rest = queued.into_iter();
        for q in rest.by_ref() {
            self.start(q.text, q.request);
            if self.job.is_some() {
                break;
            }
        }
        self.queued = Rc::new(rest.collect());
        Change::World
    }

    /// Stops the job under way (the world is being replaced): its caller and the queued ones are
    /// answered with a "stopped" output.
    pub(super) fn stop_job(&mut self, why: &str) {
        let Some(job) = self.job.take() else {
            return;
        };
        let queued = std::mem::take(Rc::make_mut(&mut self.queued));
        let requests = job
            .request
            .into_iter()
            .chain(queued.into_iter().filter_map(|q| q.request));
        for request in requests {
            Rc::make_mut(&mut self.replies)
                .push((request, ReplyValue::Line(Box::new(stopped(why)))));
        }
    }

    /// While a job runs, an action that would change the world is refused (the job's session
    /// would overwrite the change): Some(what the store does instead).
    pub(super) fn refuse_while_busy(&mut self, action: &Action) -> Option<Change> {
        let job = self.job.as_ref()?;
        let what = match action {
            Action::Sync { .. } => return Some(Change::None),
            Action::Call { operation, .. } => *operation,
            Action::Calls { .. } => "these calls",
            Action::CreateKey { .. } => "CreateKey",
            Action::AdvanceClock { .. } => "moving the clock",
            Action::UseProfile(_) => "switching profiles",
            Action::UseRegion(_) => "switching Regions",
            Action::Scenario(ScenarioIntent::Hint(_)) => "the hint",
            Action::ScenarioFor {
                intent: ScenarioIntent::Hint(_),
                request,
            } => {
                let message = format!("`{}` is still running in the terminal", job.text);
                Rc::make_mut(&mut self.replies).push((
                    *request,
                    super::ReplyValue::Failed {
                        code: "LabBusy",
                        message,
                    },
                ));
                "the hint"
            }
            Action::Quiz(_) => "recording the answer",
            Action::LabLocal { .. } | Action::KmsFile(_) => "this step",
            Action::PutFile { .. } => "the upload",
            _ => return None,
        };
        let summary = format!(
            "Not done: `{}` is still running in the terminal. Try {what} again when it has finished.",
            job.text
        );
        self.last_call = Some(Rc::new(CallOutcome {
            operation: "Busy".into(),
            summary: summary.clone(),
            result: Err(cloud::AwsError::new("LabBusy", summary)),
            carry_over: false,
            why: None,
        }));
        Some(Change::View)
    }

    /// Adds a line to the terminal's history (unless it repeats the last one), keeping the
    /// newest [`super::HISTORY_LIMIT`] (the store copies the list on every command).
    pub(super) fn remember(&mut self, text: &str) {
        if self.history.last().map(String::as_str) == Some(text) {
            return;
        }
        let history = Rc::make_mut(&mut self.history);
        history.push(text.to_owned());
        if history.len() > super::HISTORY_LIMIT {
            let excess = history.len() - super::HISTORY_LIMIT;
            history.drain(..excess);
        }
    }

    /// Adds a finished line to the scrollback (keeping the newest entries).
    pub(super) fn record(&mut self, profile: String, input: String, output: LineOutput) {
        let transcript = Rc::make_mut(&mut self.transcript);
        transcript.push(Rc::new(TermEntry {
            profile,
            input,
            output,
        }));
        if transcript.len() > super::TRANSCRIPT_LIMIT {
            let excess = transcript.len() - super::TRANSCRIPT_LIMIT;
            transcript.drain(..excess);
            self.transcript_start += excess as u64;
        }
    }
}
