//! Long commands in the store: recorded as a job, run elsewhere, finished once; lines queued
//! meanwhile, world changes refused, a reset stops it.

use std::rc::Rc;

use awscli::{Session, Started, Step};
use yew::Reducible;

use super::*;

const T0: i64 = 1_795_377_420_000;
const LOAD: &str = "lab load --s3-put 40 --bucket bulk-bucket";

fn lab() -> Rc<LabState> {
    Rc::new(LabState::new(Session::new(7, T0), None)).reduce(Action::Run(
        "aws s3api create-bucket --bucket bulk-bucket".into(),
    ))
}

/// What the effect does: the job on a copy of the session, a few items at a time.
fn run_job(state: &Rc<LabState>) -> Rc<LabState> {
    let job = state.job.clone().expect("a job");
    let mut session = state.snapshot();
    let mut state = state.clone();
    let output = match session.start_line_in_memory(&job.text) {
        Started::Done(out) => out,
        Started::Job(mut running) => loop {
            match running.step(&mut session, 15) {
                Step::Done(out) => break out,
                Step::Running(next) => {
                    state = state.reduce(Action::JobProgress {
                        id: job.id,
                        progress: next.progress(),
                    });
                    running = next;
                }
            }
        },
    };
    state.reduce(Action::JobFinished {
        id: job.id,
        session: Box::new(session),
        output,
    })
}

#[test]
fn a_long_command_becomes_a_job_and_its_result_is_recorded_once_done() {
    let before = lab();
    let s = before.clone().reduce(Action::RunFor {
        text: LOAD.into(),
        request: 3,
    });
    // Recorded, not run: the world and the revision are untouched, nothing is answered yet.
    assert!(Rc::ptr_eq(&s.session, &before.session));
    assert_eq!(s.revision, before.revision);
    assert!(s.replies.is_empty());
    assert_eq!(s.history.last().map(String::as_str), Some(LOAD));
    let job = s.job.clone().unwrap();
    assert_eq!((job.text.as_str(), job.request), (LOAD, Some(3)));
    assert_eq!(job.progress, None);

    let progress = s.clone().reduce(Action::JobProgress {
        id: job.id,
        progress: awscli::JobProgress {
            done: 15,
            total: 40,
            label: "PutObject".into(),
        },
    });
    assert_eq!(
        progress.revision, s.revision,
        "progress changes no revision"
    );
    assert_eq!(
        progress
            .job
            .as_ref()
            .unwrap()
            .progress
            .as_ref()
            .unwrap()
            .done,
        15
    );

    let done = run_job(&s);
    assert!(done.job.is_none());
    assert_eq!(done.revision, before.revision + 1);
    let entry = done.transcript.last().unwrap();
    assert_eq!(entry.input, LOAD);
    assert_eq!(entry.output.exit_code, 0, "{}", entry.output.stderr);
    assert!(
        entry
            .output
            .stdout
            .starts_with("40 uploads to s3://bulk-bucket")
    );
    // The same output as the line run in one go in the same world.
    let mut one_go = before.snapshot();
    assert_eq!(entry.output, one_go.run_line_in_memory(LOAD));
    assert_eq!(
        done.replies.as_slice(),
        [(3, ReplyValue::Line(Box::new(entry.output.clone())))]
    );
}

#[test]
fn lines_that_arrive_meanwhile_wait_and_run_in_order() {
    let s = lab()
        .reduce(Action::Run(LOAD.into()))
        .reduce(Action::Sync {
            real_now_ms: T0 + 5_000,
        })
        .reduce(Action::RunFor {
            text: "aws s3api list-objects-v2 --bucket bulk-bucket --query KeyCount".into(),
            request: 8,
        })
        .reduce(Action::Run(
            "lab load --s3-put 5 --bucket bulk-bucket".into(),
        ))
        .reduce(Action::Run("echo last".into()));
    assert_eq!(s.queued.len(), 3);
    let s = run_job(&s);
    // The first queued line ran (it saw the job's 40 objects); the second long one is the job.
    assert_eq!(
        s.replies.as_slice(),
        [(
            8,
            ReplyValue::Line(Box::new(LineOutput {
                stdout: "40\n".into(),
                ..s.transcript.last().unwrap().output.clone()
            }))
        )]
    );
    assert_eq!(
        s.job.as_ref().unwrap().text,
        "lab load --s3-put 5 --bucket bulk-bucket"
    );
    assert_eq!(s.queued.len(), 1);
    let s = run_job(&s);
    assert!(s.job.is_none() && s.queued.is_empty());
    let inputs: Vec<&str> = s.transcript.iter().map(|e| e.input.as_str()).collect();
    assert_eq!(
        inputs[inputs.len() - 4..],
        [
            LOAD,
            "aws s3api list-objects-v2 --bucket bulk-bucket --query KeyCount",
            "lab load --s3-put 5 --bucket bulk-bucket",
            "echo last"
        ]
    );
}

#[test]
fn world_changes_are_refused_while_a_job_runs() {
    let s = lab().reduce(Action::Run(LOAD.into()));
    let refused = s.clone().reduce(Action::AdvanceClock { ms: DAY_MS });
    assert_eq!(refused.now_ms(), s.now_ms());
    assert_eq!(refused.revision, s.revision);
    let flash = refused.last_call.clone().unwrap();
    assert!(flash.summary.contains(LOAD), "{}", flash.summary);
    // The real-time sync waits too.
    let synced = s.clone().reduce(Action::Sync {
        real_now_ms: T0 + 60_000,
    });
    assert!(Rc::ptr_eq(&synced, &s));
}

#[test]
fn a_reset_stops_the_job_and_answers_its_callers() {
    let s = lab()
        .reduce(Action::RunFor {
            text: LOAD.into(),
            request: 1,
        })
        .reduce(Action::RunFor {
            text: "echo queued".into(),
            request: 2,
        });
    let id = s.job.as_ref().unwrap().id;
    let reset = s.reduce(Action::Reset {
        seed: 9,
        now_ms: T0,
        request: Some(3),
    });
    assert!(reset.job.is_none() && reset.queued.is_empty());
    let answered: Vec<(u64, i32)> = reset
        .replies
        .iter()
        .map(|(id, v)| match v {
            ReplyValue::Line(o) => (*id, o.exit_code),
            ReplyValue::Done => (*id, 0),
            ReplyValue::Failed { .. } => (*id, -1),
        })
        .collect();
    assert_eq!(answered, [(1, 130), (2, 130), (3, 0)]);
    // The stopped job's late result is ignored.
    let late = reset.clone().reduce(Action::JobFinished {
        id,
        session: Box::new(Session::new(1, T0)),
        output: LineOutput::default(),
    });
    assert!(Rc::ptr_eq(&late, &reset));
}

#[test]
fn a_long_command_with_wrong_arguments_finishes_at_its_first_chunk() {
    let s = lab().reduce(Action::Run(
        "lab load --s3-put 0 --bucket bulk-bucket".into(),
    ));
    let s = run_job(&s);
    let out = &s.transcript.last().unwrap().output;
    assert_eq!(out.exit_code, 252, "{out:?}");
}

#[test]
fn a_scenario_start_stops_the_job_and_a_hint_is_refused() {
    let s = lab().reduce(Action::RunFor {
        text: LOAD.into(),
        request: 4,
    });
    let hint = s.clone().reduce(Action::Scenario(ScenarioIntent::Hint(
        "key-rotation".into(),
    )));
    assert!(hint.job.is_some());
    assert_eq!(hint.revision, s.revision);
    let started = s.reduce(Action::Scenario(ScenarioIntent::Start {
        id: "key-rotation".into(),
        seed: 3,
    }));
    assert!(started.job.is_none());
    assert!(matches!(
        started.replies.as_slice(),
        [(4, ReplyValue::Line(o))] if o.exit_code == 130
    ));
}
