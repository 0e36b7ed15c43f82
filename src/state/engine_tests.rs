//! The store before and after the engine's extension is installed (the browser app's build,
//! where every service, KMS, IAM, STS and CloudTrail among them, and the command line's
//! interpreter arrive after the first download; the world's state and the console's views are
//! there from the start).
//! Run with `cargo test -p kmslab-web --features lazy-engine --lib state::engine_tests`: one
//! test, because installing is for the whole process.

use std::rc::Rc;

use awscli::Session;
use yew::Reducible;

use super::*;

const T0: i64 = 1_795_377_420_000;

fn lab() -> Rc<LabState> {
    Rc::new(LabState::new(Session::new(7, T0), None))
}

fn last_output(s: &LabState) -> &LineOutput {
    &s.transcript.last().expect("an entry").output
}

#[test]
fn actions_that_need_the_extension_wait_for_it_and_run_in_order() {
    assert!(!cloud::service::installed());

    // What changes the world without a service runs at once: moving the clock.
    let s = lab().reduce(Action::AdvanceClock { ms: 60_000 });
    assert_eq!(s.revision, 1);
    assert!(s.waiting.is_empty());

    // A line waits, even one that needs no service (the interpreter is in the chunk): nothing
    // of what it did is kept, nothing is shown.
    let echo = s.clone().reduce(Action::Run("echo ready".into()));
    assert_eq!(echo.waiting.len(), 1);
    assert_eq!(echo.revision, 1);
    assert_eq!(echo.transcript.len(), 0);

    // A line that needs S3 waits the same way, and its caller is not answered yet.
    let before = s.clone();
    let s = s.reduce(Action::RunFor {
        text: "aws s3api create-bucket --bucket reports".into(),
        request: 4,
    });
    assert_eq!(s.waiting.len(), 1);
    assert_eq!(s.revision, before.revision);
    assert_eq!(s.transcript.len(), before.transcript.len());
    assert!(Rc::ptr_eq(&s.session, &before.session));
    assert!(s.replies.is_empty());

    // What comes next waits behind it (order is kept); the clock's sync is dropped; what only
    // changes the view goes on.
    let s = s.reduce(Action::Run(
        "aws kms list-aliases --query 'length(Aliases)'".into(),
    ));
    assert_eq!(s.waiting.len(), 2);
    let s = s.reduce(Action::Run("echo after".into()));
    assert_eq!(s.waiting.len(), 3);
    let synced = s.clone().reduce(Action::Sync {
        real_now_ms: T0 + 5_000,
    });
    assert!(Rc::ptr_eq(&synced, &s));
    let s = s.reduce(Action::DismissFlash);
    assert_eq!(s.waiting.len(), 3);

    // A KMS line on its own waits too: nothing of what it did is kept.
    let kms = lab().reduce(Action::Run("aws kms create-key --description one".into()));
    assert_eq!(kms.waiting.len(), 1);
    assert_eq!(kms.revision, 0);
    assert!(kms.transcript.is_empty());

    // A scenario whose set-up uses S3 waits too.
    let scenario = lab().reduce(Action::Scenario(ScenarioIntent::Start {
        id: "s3-bucket-keys".into(),
        seed: 3,
    }));
    assert_eq!(scenario.waiting.len(), 1);
    assert!(scenario.grading.is_none());
    // An embedding host's `start` of it is answered only once it has run: with an error if
    // the download fails, `Done` after the install.
    let hosted = lab().reduce(Action::ScenarioFor {
        intent: ScenarioIntent::Start {
            id: "s3-bucket-keys".into(),
            seed: 3,
        },
        request: 21,
    });
    assert_eq!(hosted.waiting.len(), 1);
    assert!(hosted.replies.is_empty());
    let unanswered = hosted.clone().reduce(Action::EngineUnavailable);
    assert!(matches!(
        unanswered.replies.as_slice(),
        [(
            21,
            ReplyValue::Failed {
                code: "Unavailable",
                ..
            }
        )]
    ));

    // A scenario that is active when the lab opens (a reload) is there at once; its checks come
    // with the extension, so it is graded once they are here (nothing recorded before).
    let mut session = Session::new(7, T0);
    lab::progress::set_scenario(
        &mut session.progress,
        "key-rotation",
        &lab::progress::ScenarioProgress::default(),
    );
    lab::progress::set_active_scenario(&mut session.progress, "key-rotation");
    let rotation =
        Rc::new(LabState::new(session, None)).reduce(Action::AdvanceClock { ms: 60_000 });
    assert!(rotation.waiting.is_empty());
    assert!(rotation.revision > 0);
    assert!(rotation.grading.is_none());
    assert!(rotation.regrade);
    assert!(rotation.needs_engine());
    // A failed download leaves it waiting (said so, and tried again on the next change).
    let rotation = rotation.reduce(Action::EngineUnavailable);
    assert!(rotation.engine_failed);
    assert!(rotation.needs_engine());
    assert!(Rc::ptr_eq(
        &rotation,
        &rotation.clone().reduce(Action::EngineUnavailable)
    ));
    let rotation = rotation.reduce(Action::AdvanceClock { ms: 60_000 });
    assert!(rotation.grading.is_none() && rotation.regrade);

    // If the download fails, the waiting actions run in order: each line is answered with why
    // (and a script caller too); nothing waits.
    let failed = s.clone().reduce(Action::EngineUnavailable);
    assert!(failed.waiting.is_empty());
    assert_eq!(failed.transcript.len(), 3);
    for entry in failed.transcript.iter() {
        assert_eq!(entry.output.exit_code, 1, "{}", entry.input);
        assert!(entry.output.stderr.contains("could not be downloaded"));
    }
    assert!(matches!(
        failed.replies.as_slice(),
        [(4, ReplyValue::Line(out))] if out.exit_code == 1
    ));
    // A reset that waited behind such a line still resets.
    let reset = s
        .clone()
        .reduce(Action::Reset {
            seed: 9,
            now_ms: T0,
            request: Some(6),
        })
        .reduce(Action::EngineUnavailable);
    assert!(reset.waiting.is_empty());
    assert!(reset.transcript.is_empty());
    assert!(
        reset
            .replies
            .iter()
            .any(|(id, r)| *id == 6 && *r == ReplyValue::Done)
    );

    // Installed: the waiting actions run in order, as if they had run when they arrived.
    assert!(!lab::scenario::checks_installed());
    lab::scenario::install_checks(lab::scenario::check_table());
    awscli::model::install(awscli::model::extension_table());
    awscli::runner::install(awscli::runner::table());
    cloud::service::install(cloud::service::extension());
    assert!(!s.engine);
    let s = s.reduce(Action::EngineInstalled);
    assert!(s.engine, "views that graded on their own grade again");
    assert!(s.waiting.is_empty());
    let lines: Vec<_> = s.transcript.iter().map(|e| e.input.as_str()).collect();
    assert_eq!(
        lines,
        [
            "aws s3api create-bucket --bucket reports",
            "aws kms list-aliases --query 'length(Aliases)'",
            "echo after"
        ]
    );
    for entry in s.transcript.iter() {
        assert_eq!(entry.output.exit_code, 0, "{}", entry.output.stderr);
    }
    assert_eq!(last_output(&s).stdout.trim(), "after");
    let echo = echo.reduce(Action::EngineInstalled);
    assert_eq!(last_output(&echo).stdout.trim(), "ready");
    // The KMS line ran after the install: the aliases are counted.
    assert!(
        s.transcript[1]
            .output
            .stdout
            .trim()
            .parse::<u32>()
            .is_ok_and(|n| n > 0)
    );
    assert!(matches!(
        s.replies.as_slice(),
        [(4, ReplyValue::Line(out))] if out.exit_code == 0
    ));
    assert_eq!(s.revision, before.revision + 3);
    let kms = kms.reduce(Action::EngineInstalled);
    assert!(kms.waiting.is_empty());
    assert!(last_output(&kms).stdout.contains("\"KeyId\""));
    let again = s.clone().reduce(Action::Run(
        "aws s3api list-buckets --query 'Buckets[].Name'".into(),
    ));
    assert!(last_output(&again).stdout.contains("reports"));
    assert!(again.waiting.is_empty());

    // The scenario starts and is graded.
    let scenario = scenario.reduce(Action::EngineInstalled);
    assert!(scenario.waiting.is_empty());
    assert_eq!(
        scenario.grading.as_ref().map(|g| g.scenario.as_str()),
        Some("s3-bucket-keys")
    );
    let hosted = hosted.reduce(Action::EngineInstalled);
    assert_eq!(hosted.replies.as_slice(), [(21, ReplyValue::Done)]);
    let rotation = rotation.reduce(Action::EngineInstalled);
    let graded = rotation.grading.as_ref().expect("graded");
    assert_eq!(graded.scenario, "key-rotation");
    assert!(graded.results.as_ref().is_ok_and(|r| !r.is_empty()));
    assert!(!rotation.regrade);
    assert!(!rotation.engine_failed);
    assert!(!rotation.needs_engine());
    // Nothing more to run: the same state.
    assert!(Rc::ptr_eq(
        &scenario,
        &scenario.clone().reduce(Action::EngineInstalled)
    ));
}
