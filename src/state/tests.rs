//! The store's behaviour, natively.

use std::rc::Rc;

use awscli::Session;
use yew::Reducible;

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

/// The scrollback and the ↑/↓ history keep their newest entries; an entry already shown is
/// the same entry after the next command (so the terminal renders only the new one).
#[test]
fn the_scrollback_and_history_keep_the_newest_and_reuse_old_entries() {
    let mut s = lab();
    for i in 0..(super::HISTORY_LIMIT + 5) {
        s = s.reduce(Action::Run(format!("echo {i}")));
    }
    assert_eq!(s.history.len(), super::HISTORY_LIMIT);
    assert_eq!(s.history.first().map(String::as_str), Some("echo 5"));
    assert_eq!(s.transcript.len(), super::TRANSCRIPT_LIMIT);
    let last = Rc::clone(s.transcript.last().unwrap());
    let next = s.reduce(Action::Run("echo again".into()));
    let kept = &next.transcript[next.transcript.len() - 2];
    assert!(
        Rc::ptr_eq(&last, kept),
        "the previous entry is shared, not copied"
    );
    assert_eq!(next.transcript.last().unwrap().input, "echo again");
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
    let back = document::state_file::load(&text).unwrap();
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
fn lab_tools_kms_step_encrypts_and_decrypts_files_with_their_context() {
    let s = lab().reduce(Action::PutFile {
        name: "orders.txt".into(),
        bytes: b"42 orders".to_vec(),
    });
    let s = s.reduce(Action::Run(
        "aws kms create-alias --alias-name alias/orders --target-key-id $(aws kms create-key --query KeyMetadata.KeyId --output text)".into(),
    ));
    let step = |operation, input: &str, output: &str, context: &str| {
        Action::KmsFile(KmsFileRequest {
            region: "us-east-1".into(),
            operation,
            key_id: (operation == "Encrypt").then(|| "alias/orders".to_owned()),
            context: vec![("job".into(), context.into())],
            input: input.into(),
            output: output.into(),
        })
    };
    let s = s.reduce(step("Encrypt", "orders.txt", "orders.bin", "nightly"));
    let done = s.last_call.as_ref().unwrap();
    assert!(done.result.is_ok(), "{:?}", done.result);
    assert!(
        done.summary
            .starts_with("Encrypted orders.txt into orders.bin")
    );
    let s = s.reduce(step("Decrypt", "orders.bin", "wrong.txt", "adhoc"));
    let refused = s.last_call.as_ref().unwrap();
    assert_eq!(
        refused.result.as_ref().unwrap_err().code,
        "InvalidCiphertextException"
    );
    assert!(
        awscli::FileSystem::read(&s.session.files, "wrong.txt").is_err(),
        "nothing written on failure"
    );
    let s = s.reduce(step("Decrypt", "orders.bin", "back.txt", "nightly"));
    assert_eq!(
        awscli::FileSystem::read(&s.session.files, "back.txt").unwrap(),
        b"42 orders"
    );
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
        request: None,
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

#[test]
fn an_older_state_is_never_changed_by_a_newer_action() {
    let before = lab();
    let after = before
        .clone()
        .reduce(Action::Run("aws kms create-key".into()));
    assert_eq!(after.revision, before.revision + 1);
    let events = |s: &LabState| s.with_session(|x| x.world.events().count());
    assert_eq!(
        events(&after),
        events(&before) + 1,
        "copy-on-write: the state a view still holds is untouched"
    );
}

#[test]
fn the_clock_following_real_time_is_a_new_revision() {
    let s = lab().reduce(Action::Sync { real_now_ms: 1_000 });
    let r = s.revision;
    let s = s.reduce(Action::Sync { real_now_ms: 5_000 });
    assert_eq!(
        s.revision,
        r + 1,
        "the world changed: effects and memos must see it"
    );
}

#[test]
fn script_replies_are_queued_by_request_id_and_cleared_once_delivered() {
    let s = lab()
        .reduce(Action::RunFor {
            text: "aws sts get-caller-identity --query Account --output text".into(),
            request: 7,
        })
        .reduce(Action::Reset {
            seed: 3,
            now_ms: T0,
            request: Some(8),
        });
    assert_eq!(s.replies.len(), 2);
    match &s.replies[0] {
        (7, ReplyValue::Line(out)) => assert_eq!(out.stdout.trim(), "111122223333"),
        other => panic!("unexpected reply {other:?}"),
    }
    assert_eq!(s.replies[1], (8, ReplyValue::Done));
    let s = s.reduce(Action::RepliesDelivered { up_to: 7 });
    assert_eq!(s.replies.len(), 1);
    let s = s.reduce(Action::RepliesDelivered { up_to: 8 });
    assert!(s.replies.is_empty());
    let same = s.clone().reduce(Action::RepliesDelivered { up_to: 8 });
    assert!(
        Rc::ptr_eq(&s, &same),
        "nothing to clear keeps the same state"
    );
}

#[test]
fn the_active_scenario_is_graded_and_recorded_in_the_same_reduce() {
    let s = lab().reduce(Action::Scenario(ScenarioIntent::Start {
        id: "scheduled-deletion".into(),
        seed: 1,
    }));
    let grading = s.grading.clone().expect("graded at start");
    assert_eq!(grading.scenario, "scheduled-deletion");
    let results = grading.results.clone().unwrap();
    assert!(
        results
            .iter()
            .all(|r| r.status != lab::scenario::Status::Passed)
    );
    let solution = lab::scenario::get("scheduled-deletion")
        .and_then(|sc| sc.solutions[0].script(1))
        .unwrap();
    let s = s.reduce(Action::Run(solution));
    let results = s.grading.clone().unwrap().results.clone().unwrap();
    assert!(
        results
            .iter()
            .all(|r| r.status == lab::scenario::Status::Passed),
        "{results:?}"
    );
    // The progress was recorded by the same reduce (no separate "record" step).
    let progress = s
        .with_session(|x| lab::progress::scenario(&x.progress, "scheduled-deletion"))
        .unwrap();
    assert!(progress.objectives.values().all(|o| o.passed));
}

#[test]
fn the_host_event_retention_covers_reset_and_scenario_start() {
    let host = document::HostSettings {
        event_retention: Some(2),
    };
    let count = |s: &LabState| s.with_session(|x| x.world.events().count());
    let mut s = Rc::new(LabState::new(Session::new(7, T0), None).with_host(host));
    for action in [
        Action::Reset {
            seed: 1,
            now_ms: T0,
            request: None,
        },
        Action::Scenario(ScenarioIntent::Start {
            id: "key-rotation".into(),
            seed: 1,
        }),
    ] {
        s = s.reduce(action);
        for _ in 0..4 {
            s = s.reduce(Action::Run("aws kms list-keys".into()));
        }
        assert!(count(&s) <= 2, "{} events kept", count(&s));
    }
}

#[test]
fn a_new_world_does_not_inherit_real_time_from_the_old_one() {
    let s = lab()
        .reduce(Action::Sync { real_now_ms: 1_000 })
        .reduce(Action::Reset {
            seed: 2,
            now_ms: 10_000_000,
            request: None,
        });
    let at_reset = s.now_ms();
    // A learner action five minutes (of real time) after the reset began.
    let s = s.reduce(Action::Sync {
        real_now_ms: 10_000_000,
    });
    assert_eq!(s.now_ms(), at_reset, "no time passed since the reset");
    let s = s.reduce(Action::Scenario(ScenarioIntent::Start {
        id: "key-rotation".into(),
        seed: 1,
    }));
    let started = s.now_ms();
    let s = s.reduce(Action::Sync {
        real_now_ms: 99_000_000,
    });
    assert_eq!(
        s.now_ms(),
        started,
        "a scenario's world starts its own clock"
    );
}

#[test]
fn lab_tools_steps_run_lab_local_on_the_files_outside_the_terminal() {
    let s = lab();
    let next = s.clone().reduce(Action::LabLocal {
        args: vec![
            "random".into(),
            "--bytes".into(),
            "32".into(),
            "--out".into(),
            "it's key.bin".into(),
        ],
    });
    let bytes = awscli::FileSystem::read(&next.session().files, "it's key.bin").unwrap();
    assert_eq!(bytes.len(), 32);
    assert!(
        next.transcript.is_empty(),
        "not in the terminal's scrollback"
    );
    let outcome = next.last_call.clone().unwrap();
    assert!(outcome.result.is_ok(), "{outcome:?}");
    assert_eq!(outcome.operation, "Lab tools: random");
    assert!(
        outcome.summary.contains("32 random bytes"),
        "{}",
        outcome.summary
    );
    let failed = next.reduce(Action::LabLocal {
        args: vec![
            "decrypt".into(),
            "--in".into(),
            "missing.bin".into(),
            "--out".into(),
            "x".into(),
            "--key-b64".into(),
            "AAAA".into(),
        ],
    });
    let err = failed
        .last_call
        .clone()
        .unwrap()
        .result
        .clone()
        .unwrap_err();
    assert_eq!(err.code, "LabToolError");
    assert!(!err.message.is_empty());
}

/// An embedding host's `start` and `load` are answered when they have run: `start` of a
/// scenario that does not exist with its error, the others with `Done`.
#[test]
fn a_host_start_or_load_is_answered_when_it_has_run() {
    let s = lab().reduce(Action::ScenarioFor {
        intent: ScenarioIntent::Start {
            id: "key-rotation".into(),
            seed: 2,
        },
        request: 11,
    });
    assert_eq!(s.replies.as_slice(), [(11, ReplyValue::Done)]);
    assert_eq!(
        s.grading.as_ref().map(|g| g.scenario.as_str()),
        Some("key-rotation")
    );

    let s = s.reduce(Action::ScenarioFor {
        intent: ScenarioIntent::Start {
            id: "no-such-scenario".into(),
            seed: 2,
        },
        request: 12,
    });
    assert!(matches!(
        s.replies.last(),
        Some((12, ReplyValue::Failed { code: "ScenarioError", message }))
            if message.contains("no-such-scenario")
    ));

    let before = s.revision;
    let s = s.reduce(Action::LoadFor {
        session: Box::new(Session::new(3, T0)),
        request: 13,
    });
    assert_eq!(s.replies.last(), Some(&(13, ReplyValue::Done)));
    assert!(s.revision > before);
    assert!(
        s.grading.is_none(),
        "the loaded world has no scenario started"
    );
}
