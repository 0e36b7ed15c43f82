//! With the `lazy` feature (the browser app's build), the scenarios' objective checks and
//! wrong-turn detectors are present only once installed (with the engine's extension): until
//! then the catalogue, a scenario's start, its hints, score and "Why?" detail work, grading
//! answers every objective as not checked, sees no wrong turn, and notes the want. Run with
//! `cargo test -p lab --features lazy --test lazy_checks` (one test: installing is for the whole
//! process).
#![cfg(feature = "lazy")]

use awscli::Session;
use cloud::service;
use lab::scenario::{self, Status, WhyDetail};

const T0: i64 = 1_795_377_600_000;

#[test]
fn checks_are_there_once_installed() {
    assert!(!scenario::checks_installed());
    // The engine's services are installed with the checks in the app; a scenario's set-up needs
    // them (KMS), the checks are what this test is about.
    service::install(service::extension());
    assert!(!service::take_wanted());

    // The catalogue, a start, a hint and the "Why?" detail need no check.
    assert!(scenario::catalog().len() > 10);
    let mut s = Session::new(7, T0);
    scenario::start(&mut s, "scheduled-deletion", 1).expect("starts");
    scenario::start(&mut s, "diagnose-denied-decrypt", 2).expect("starts");
    assert!(scenario::hint(&mut s, "diagnose-denied-decrypt").is_ok());
    let detail = scenario::why_detail(&s);
    assert!(matches!(detail, WhyDetail::Full | WhyDetail::Limited));
    assert!(!service::take_wanted(), "none of that needs the checks");

    // Grading before the install: every objective not checked, no wrong turn; the want noted.
    let results = scenario::evaluate(&s, "scheduled-deletion").expect("started");
    assert!(!results.is_empty());
    assert!(results.iter().all(|r| r.status == Status::Failed));
    assert!(service::take_wanted());
    let turns = scenario::wrong_turns(&s, "scheduled-deletion").expect("started");
    assert!(turns.is_empty());
    assert!(service::take_wanted());
    // Installed: the reference solution passes every objective, and nothing is wanted.
    scenario::install_checks(scenario::check_table());
    assert!(scenario::checks_installed());
    let sc = scenario::get("scheduled-deletion").expect("listed");
    let solution = sc.solutions[0].script(1).expect("a solution for seed 1");
    let mut solved = Session::new(7, T0);
    scenario::start(&mut solved, "scheduled-deletion", 1).expect("starts");
    let (steps, ok) = lab::script::run(&mut solved, &solution);
    assert!(ok, "{steps:?}");
    let results = scenario::evaluate(&solved, "scheduled-deletion").expect("started");
    assert!(
        results.iter().all(|r| r.status == Status::Passed),
        "{results:?}"
    );
    assert!(!service::take_wanted());
}
