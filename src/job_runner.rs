//! The effect that runs a long command (`lab load …`, see `state::job`) outside `reduce`: on its
//! own copy of the session, in chunks of at most [`CHUNK_BUDGET_MS`] each followed by a
//! `setTimeout(0)`, so the page keeps painting and answering input (no task of 50 ms or more).
//!
//! Progress is dispatched at most every [`PROGRESS_EVERY_MS`] (each dispatch re-renders the
//! page); the finished session and output come back in one `Action::JobFinished`, so the world is
//! saved once, when the job is done. A job the store stopped (reset, import) is dropped with its
//! copy of the session when the effect is cleaned up.

use std::cell::RefCell;
use std::rc::Rc;

use awscli::{Job, Session, Started, Step};
use gloo_timers::callback::Timeout;
use yew::prelude::*;

use crate::state::{Action, LabState};

/// How long one chunk may run, in milliseconds: well under a 50 ms long task, leaving room
/// for the render a progress report causes.
const CHUNK_BUDGET_MS: f64 = 12.0;
/// How often progress is reported, in milliseconds.
const PROGRESS_EVERY_MS: f64 = 100.0;
/// What one step aims at, in milliseconds: the step size adapts to it.
const STEP_TARGET_MS: f64 = 2.0;

/// The job under way, owned by the effect.
struct Runner {
    id: u64,
    /// The line, until the first chunk starts it.
    text: Option<String>,
    session: Option<Session>,
    job: Option<Job>,
    /// Items per step.
    batch: u64,
    last_progress: Option<f64>,
    timer: Option<Timeout>,
    dispatcher: UseReducerDispatcher<LabState>,
    /// The state the job was recorded in (its session is the one to copy).
    state: Rc<LabState>,
}

type Slot = Rc<RefCell<Option<Runner>>>;

/// User Timing: a mark where a timed part starts, and the measure `name` from it to now, for
/// `cargo xtask bench --scale` (it reads them with a `PerformanceObserver`); both are dropped
/// from the timeline once the measure is made, so a long session does not collect them.
/// Timing only.
fn mark(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark(name);
    }
}

fn measure(name: &str, start_mark: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.measure_with_start_mark(name, start_mark);
        p.clear_marks_with_mark_name(start_mark);
        p.clear_measures_with_measure_name(name);
    }
}

fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}

/// Runs the store's job, if any, in chunks.
#[hook]
pub fn use_job_runner(lab: &UseReducerHandle<LabState>) {
    let id = lab.job.as_ref().map(|j| j.id);
    let lab = lab.clone();
    use_effect_with(id, move |id| {
        let slot: Slot = Rc::new(RefCell::new(None));
        if let (Some(id), Some(job)) = (*id, lab.job.clone()) {
            *slot.borrow_mut() = Some(Runner {
                id,
                text: Some(job.text.clone()),
                session: None,
                job: None,
                batch: 8,
                last_progress: None,
                timer: None,
                dispatcher: lab.dispatcher(),
                state: Rc::new((*lab).clone()),
            });
            schedule(&slot);
        }
        move || {
            // Drops the timer (cancelling the next chunk) and the job's copy of the session.
            let runner = slot.borrow_mut().take();
            drop(runner);
        }
    });
}

/// Runs the next chunk after yielding to the event loop.
fn schedule(slot: &Slot) {
    let next = Rc::clone(slot);
    let timer = Timeout::new(0, move || chunk(&next));
    if let Some(runner) = slot.borrow_mut().as_mut() {
        runner.timer = Some(timer);
    }
}

/// One chunk. The runner is taken out of its slot while it works, so that a dispatch (which may
/// render and clean the effect up) never finds it borrowed.
fn chunk(slot: &Slot) {
    let Some(mut runner) = slot.borrow_mut().take() else {
        return;
    };
    runner.timer = None;
    if runner.text.is_some() && !cloud::service::installed() {
        // A long command may need any service: the engine's extension first (src/lazy/).
        let next = Rc::clone(slot);
        *slot.borrow_mut() = Some(runner);
        wasm_bindgen_futures::spawn_local(async move {
            if crate::lazy::engine().await.is_ok() {
                schedule(&next);
                return;
            }
            let runner = next.borrow_mut().take();
            if let Some(runner) = runner {
                let output = crate::state::engine_unavailable_output();
                finish(
                    runner.dispatcher,
                    runner.id,
                    runner.state.snapshot(),
                    output,
                );
            }
        });
        return;
    }
    mark("kmslab-job-chunk-start");
    let started = now();
    if let Some(text) = runner.text.take() {
        // The first chunk: copy the frozen session and start the line in it.
        let mut session = runner.state.snapshot();
        match session.start_line_in_memory(&text) {
            Started::Done(output) => {
                measure("kmslab-job-chunk", "kmslab-job-chunk-start");
                finish(runner.dispatcher, runner.id, session, output);
                return;
            }
            Started::Job(job) => {
                runner.session = Some(session);
                runner.job = Some(job);
            }
        }
    }
    let (Some(mut session), Some(mut job)) = (runner.session.take(), runner.job.take()) else {
        return;
    };
    loop {
        let step_started = now();
        match job.step(&mut session, runner.batch) {
            Step::Done(output) => {
                measure("kmslab-job-chunk", "kmslab-job-chunk-start");
                mark("kmslab-job-finish-start");
                finish(runner.dispatcher, runner.id, session, output);
                measure("kmslab-job-finish", "kmslab-job-finish-start");
                return;
            }
            Step::Running(next) => job = next,
        }
        let took = now() - step_started;
        if took < STEP_TARGET_MS / 2.0 {
            runner.batch = runner.batch.saturating_mul(2).min(1 << 16);
        } else if took > STEP_TARGET_MS * 2.0 {
            runner.batch = (runner.batch / 2).max(1);
        }
        if now() - started >= CHUNK_BUDGET_MS {
            break;
        }
    }
    measure("kmslab-job-chunk", "kmslab-job-chunk-start");
    let progress = job.progress();
    runner.session = Some(session);
    runner.job = Some(job);
    let report = runner
        .last_progress
        .is_none_or(|at| now() - at >= PROGRESS_EVERY_MS);
    let (id, dispatcher) = (runner.id, runner.dispatcher.clone());
    if report {
        runner.last_progress = Some(now());
    }
    *slot.borrow_mut() = Some(runner);
    if report {
        dispatcher.dispatch(Action::JobProgress { id, progress });
    }
    schedule(slot);
}

fn finish(
    dispatcher: UseReducerDispatcher<LabState>,
    id: u64,
    session: Session,
    output: awscli::LineOutput,
) {
    dispatcher.dispatch(Action::JobFinished {
        id,
        session: Box::new(session),
        output,
    });
}
